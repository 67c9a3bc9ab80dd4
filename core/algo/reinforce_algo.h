#pragma once
// REINFORCE (DESIGN.md §3): estimate ĝ with the scenario's estimator settings; update
// θ ← θ + α·(ĝ + c·∇H̄) with the optimizer; then fit the critic (when the baseline uses it) to the
// batch's reward-to-go, after the estimate that used it, so its baseline never saw the batch.

#include "algo/algorithm.h"

namespace pg {

class ReinforceAlgorithm final : public Algorithm {
 public:
  ReinforceAlgorithm() = default;
  // Keeps the environment's γ for info() (make_env reads files; info() may be called every frame).
  explicit ReinforceAlgorithm(const Scenario& s);
  const char* name() const override { return "reinforce"; }
  bool needs_whole_episodes() const override { return true; }
  void estimate(AlgoContext& ctx, const Batch& batch, Estimate& est) override;
  std::string update(AlgoContext& ctx, const Batch& batch, const Estimate& est,
                     UpdateStats& stats) override;
  // Estimator settings apply; analyses: estimator variance and baseline effects; objective: the
  // estimator's formula (algo/formula.h). decompose(): Q̂, b, Q̂ − b, norm, γᵗ, ψ (algo/decompose.h).
  AlgorithmInfo info(const Scenario& s) const override;
  void decompose(const DecomposeInput& in, StepDecomposition& out) const override;
  std::unique_ptr<Algorithm> clone() const override {
    return std::make_unique<ReinforceAlgorithm>(*this);
  }

 private:
  double env_gamma_ =
      -1.0;  // γ of the scenario's environment; < 0: not known (default-constructed)
  Eigen::VectorXd ascent_;  // ĝ plus the entropy term (reused)
};

// ∇θ of c · (1/M) Σ_steps H(π(·|s_t)) at `policy`, added into g (M = steps in the batch).
void add_entropy_bonus(const Policy& policy, const Batch& batch, double coef, Eigen::VectorXd& g);

}  // namespace pg
