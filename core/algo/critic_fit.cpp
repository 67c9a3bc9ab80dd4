#include "algo/critic_fit.h"

#include "critic/value_function.h"
#include "env/env.h"
#include "io/scenario.h"

namespace pg {

void fit_critic_to_reward_to_go(AlgoContext& ctx, const Batch& batch, UpdateStats& stats) {
  if (!ctx.critic || ctx.scenario.estimator.baseline != Baseline::kCritic) return;
  std::vector<std::vector<double>> targets(batch.size());
  for (int i = 0; i < batch.size(); ++i) {
    targets[i].resize(batch.trajectories[i].length());
    reward_to_go(batch.trajectories[i], ctx.env.gamma(), targets[i].data());
  }
  stats.set("critic_mse", ctx.critic->fit(batch, targets));
}

}  // namespace pg
