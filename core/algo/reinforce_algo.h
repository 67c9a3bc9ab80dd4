#pragma once
// REINFORCE (DESIGN.md §3): estimate ĝ with the scenario's estimator settings; update
// θ ← θ + α·(ĝ + c·∇H̄) with the optimizer; then fit the critic (when the baseline uses it) to the
// batch's reward-to-go, after the estimate that used it, so its baseline never saw the batch.

#include "algo/algorithm.h"

namespace pg {

class ReinforceAlgorithm final : public Algorithm {
 public:
  const char* name() const override { return "reinforce"; }
  bool needs_whole_episodes() const override { return true; }
  void estimate(AlgoContext& ctx, const Batch& batch, Estimate& est) override;
  std::string update(AlgoContext& ctx, const Batch& batch, const Estimate& est, UpdateStats& stats) override;
  std::unique_ptr<Algorithm> clone() const override { return std::make_unique<ReinforceAlgorithm>(*this); }

 private:
  Eigen::VectorXd ascent_;  // ĝ plus the entropy term (reused)
};

// ∇θ of c · (1/M) Σ_steps H(π(·|s_t)) at `policy`, added into g (M = steps in the batch).
void add_entropy_bonus(const Policy& policy, const Batch& batch, double coef, Eigen::VectorXd& g);

}  // namespace pg
