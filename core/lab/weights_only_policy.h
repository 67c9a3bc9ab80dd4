#pragma once
// A policy with no parameters, for computing estimator weights without a gradient: given it,
// estimate_reinforce fills Q̂, b and ψ exactly as with the real policy (the same code, so the
// weights cannot drift from DESIGN.md §3) and adds nothing to a 0-length ĝ. The variance labs then
// multiply ψ by scores they derived once per batch (lab/variance.h: step_scores_times).
// Only for estimator settings whose ĝ is Σ ψ ∇log π / D — not the optimal baseline, which needs
// the real policy's per-trajectory scores.

#include <memory>

#include "policy/policy.h"
#include "util/error.h"

namespace pg {

class WeightsOnlyPolicy final : public Policy {
 public:
  explicit WeightsOnlyPolicy(int num_actions) : num_actions_(num_actions) {}
  // estimate_reinforce then gathers no features
  PolicyKind kind() const override { return PolicyKind::kTabular; }
  int num_actions() const override { return num_actions_; }
  int num_params() const override { return 0; }
  const Eigen::VectorXd& params() const override { return params_; }
  void set_params(const Eigen::Ref<const Eigen::VectorXd>&) override {}
  void probs(ObsRef, double*) const override {
    PG_ASSERT(false,
              "WeightsOnlyPolicy has no probabilities; use it only to compute estimator weights");
  }
  void add_grad_log_prob(ObsRef, ActRef, double, Eigen::Ref<Eigen::VectorXd>) const override {}
  void add_grad_entropy(ObsRef, double, Eigen::Ref<Eigen::VectorXd>) const override {}
  void add_grad_log_prob_batch(const Eigen::Ref<const Eigen::MatrixXd>&, const int*, ActionsRef,
                               const double*, int, Eigen::Ref<Eigen::VectorXd>) const override {}
  std::unique_ptr<Policy> clone() const override {
    return std::make_unique<WeightsOnlyPolicy>(*this);
  }

 private:
  int num_actions_ = 0;
  Eigen::VectorXd params_;
};

}  // namespace pg
