#include "algo/reinforce_algo.h"

#include "algo/decompose.h"
#include "algo/formula.h"
#include "critic/value_function.h"
#include "env/env.h"
#include "io/scenario.h"
#include "policy/policy.h"
#include "session/session.h"

namespace pg {

void add_entropy_bonus(const Policy& policy, const Batch& batch, double coef, Eigen::VectorXd& g) {
  if (coef <= 0.0) return;
  const int M = batch.num_steps();
  for (const auto& tr : batch.trajectories)
    for (int t = 0; t < tr.length(); ++t) policy.add_grad_entropy(tr.obs_at(t), coef / M, g);
}

void ReinforceAlgorithm::estimate(AlgoContext& ctx, const Batch& batch, Estimate& est) {
  BaselineSources src;
  src.exact = ctx.exact;
  src.critic = ctx.critic;
  estimate_reinforce(batch, ctx.behaviour, ctx.env.gamma(), ctx.scenario.estimator, src, est);
}

std::string ReinforceAlgorithm::update(AlgoContext& ctx, const Batch& batch, const Estimate& est,
                                       UpdateStats& stats) {
  // Ascend J + c · mean_t H(π(·|s_t)).
  ascent_ = est.gradient;
  add_entropy_bonus(ctx.behaviour, batch, ctx.scenario.algorithm.entropy_coef, ascent_);
  stats.set("grad_norm", clip_norm(ascent_, ctx.scenario.algorithm.max_grad_norm));
  const std::string fault = apply_ascent(ctx, ascent_);
  if (!fault.empty()) return fault;
  if (ctx.critic && ctx.scenario.estimator.baseline == Baseline::kCritic) {
    std::vector<std::vector<double>> targets(batch.size());
    for (int i = 0; i < batch.size(); ++i) {
      targets[i].resize(batch.trajectories[i].length());
      reward_to_go(batch.trajectories[i], ctx.env.gamma(), targets[i].data());
    }
    stats.set("critic_mse", ctx.critic->fit(batch, targets));
  }
  return "";
}

ReinforceAlgorithm::ReinforceAlgorithm(const Scenario& s) : env_gamma_(make_env(s)->gamma()) {}

AlgorithmInfo ReinforceAlgorithm::info(const Scenario& s) const {
  AlgorithmInfo info;
  info.title = "REINFORCE";
  info.reinforce_settings = true;
  info.analyses = static_cast<unsigned>(Analysis::kEstimatorVariance) |
                  static_cast<unsigned>(Analysis::kBaselineEffect);
  info.objective =
      reinforce_formula(s.estimator, env_gamma_ >= 0.0 ? env_gamma_ : make_env(s)->gamma());
  add_entropy_bonus_note(info.objective, s.algorithm.entropy_coef);
  return info;
}

void ReinforceAlgorithm::decompose(const DecomposeInput& in, StepDecomposition& out) const {
  decompose_reinforce(in, out);
}

}  // namespace pg
