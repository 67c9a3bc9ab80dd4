#pragma once
// Off-policy policy gradient (algorithm.name off-policy): the batch is sampled by a behaviour
// policy b, the gradient is estimated at the CURRENT θ by importance sampling
// (estimator/importance.h has every formula), and θ takes one optimizer step along it:
//   θ ← θ + α·(ĝ_IS + c·∇H̄),  then the critic fit (to the behaviour's returns) when it is the
//   baseline.
//
// Behaviour b (sampling_policy()):
//   offpolicy.behaviour = previous: π at θ_{max(0, i − lag)}, i the iteration (a ring of the last
//                                   offpolicy.lag + 1 parameter vectors; at the first iterations,
//                                   before lag of them exist, the oldest one — θ_0)
//   offpolicy.behaviour = fixed:    a tabular softmax with offpolicy.behaviour_logits in every row
// The session's ctx.behaviour (its batch policy) is the current θ — here the TARGET policy.
// Trajectory::logp holds log b(a|s), recorded at sampling.
//
// Stats: ess, ess_fraction (ESS / N), log_w_min, log_w_max (log W_i), rho_max, truncated
// (weights that truncation changed), grad_norm, critic_mse.

#include <deque>
#include <memory>

#include "algo/algorithm.h"
#include "estimator/importance.h"
#include "policy/policy.h"

namespace pg {

class OffPolicyAlgorithm final : public Algorithm {
 public:
  // Throws InputError: fixed behaviour without tabular policy or with logits of the wrong size,
  // a setting the weighting cannot honour (importance.h).
  explicit OffPolicyAlgorithm(const Scenario& s);
  OffPolicyAlgorithm(const OffPolicyAlgorithm& o);
  OffPolicyAlgorithm& operator=(const OffPolicyAlgorithm&) = delete;

  const char* name() const override { return "off-policy"; }
  bool needs_whole_episodes() const override { return true; }
  void begin_iteration(AlgoContext& ctx) override;
  const Policy* sampling_policy() const override { return behaviour_.get(); }
  void estimate(AlgoContext& ctx, const Batch& batch, Estimate& est) override;
  std::string update(AlgoContext& ctx, const Batch& batch, const Estimate& est,
                     UpdateStats& stats) override;
  // Estimator settings apply (to ψ before weighting); analyses: importance weights. decompose():
  // REINFORCE's pieces, ρₜ (from the estimate's θ — in.behaviour — and Trajectory::logp, log b),
  // then W and ψ (trajectory), ρ̄ₜ and ψ (per-step) or ρ₀:ₜ and the weighted return (per-decision),
  // and w = ψ′.
  AlgorithmInfo info(const Scenario& s) const override;
  void decompose(const DecomposeInput& in, StepDecomposition& out) const override;
  std::unique_ptr<Algorithm> clone() const override {
    return std::make_unique<OffPolicyAlgorithm>(*this);
  }

  // The weights of the last estimate and the iteration whose θ sampled the batch (previous), or
  // -1 (fixed): for the dump and the importance view.
  const ImportanceRecord* importance_record() const override { return &record_; }
  const ImportanceWeights& weights() const { return record_.weights; }
  const ImportanceConfig& config() const { return config_; }
  int behaviour_iteration() const { return record_.behaviour_iteration; }

 private:
  ImportanceConfig config_;
  double env_gamma_ = 1.0;  // γ of the scenario's environment (for info())
  bool fixed_ = false;
  int lag_ = 1;
  std::deque<Eigen::VectorXd> ring_;   // θ_{i−lag} … θ_i (previous)
  std::unique_ptr<Policy> behaviour_;  // b; null until the first begin_iteration
  ImportanceRecord record_;
  Eigen::VectorXd ascent_;
};

}  // namespace pg
