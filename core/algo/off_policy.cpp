#include "algo/off_policy.h"

#include <algorithm>
#include <cmath>

#include "algo/critic_fit.h"
#include "algo/reinforce_algo.h"
#include "env/env.h"
#include "io/scenario.h"
#include "policy/tabular_softmax.h"
#include "session/session.h"
#include "util/error.h"

namespace pg {

OffPolicyAlgorithm::OffPolicyAlgorithm(const Scenario& s) {
  config_.weighting = is_weighting_from_name(s.offpolicy.weighting);
  config_.truncate = s.offpolicy.truncate;
  check_importance_setting(s.estimator, config_);
  fixed_ = s.offpolicy.behaviour == "fixed";
  lag_ = s.offpolicy.lag;
  if (fixed_) {
    if (s.policy.kind != "tabular")
      throw InputError("offpolicy.behaviour", "fixed behaviour logits are tabular (one row for every observation); "
                                              "set policy.kind=tabular or offpolicy.behaviour=previous");
    const int A = make_env(s)->num_actions();
    if (static_cast<int>(s.offpolicy.behaviour_logits.size()) != A)
      throw InputError("offpolicy.behaviour_logits", "expected one logit per action (" + std::to_string(A) + " for " +
                                                         s.env.kind + "), got " +
                                                         std::to_string(s.offpolicy.behaviour_logits.size()));
  }
}

OffPolicyAlgorithm::OffPolicyAlgorithm(const OffPolicyAlgorithm& o)
    : config_(o.config_),
      fixed_(o.fixed_),
      lag_(o.lag_),
      ring_(o.ring_),
      behaviour_(o.behaviour_ ? o.behaviour_->clone() : nullptr),
      behaviour_iteration_(o.behaviour_iteration_),
      weights_(o.weights_),
      ascent_(o.ascent_) {}

void OffPolicyAlgorithm::begin_iteration(AlgoContext& ctx) {
  if (fixed_) {
    if (!behaviour_) {
      const auto* target = dynamic_cast<const TabularSoftmax*>(&ctx.behaviour);
      PG_ASSERT(target, "fixed behaviour needs a tabular policy (checked in the constructor)");
      auto b = std::make_unique<TabularSoftmax>(target->num_obs(), target->num_actions());
      b->fill_rows(ctx.scenario.offpolicy.behaviour_logits);
      behaviour_ = std::move(b);
    }
    return;
  }
  // b = π at θ_{max(0, i − lag)}: the ring holds the last lag + 1 parameter vectors.
  ring_.push_back(ctx.behaviour.params());
  while (static_cast<int>(ring_.size()) > lag_ + 1) ring_.pop_front();
  if (!behaviour_) behaviour_ = ctx.behaviour.clone();
  behaviour_->set_params(ring_.front());
  behaviour_iteration_ = ctx.iteration - (static_cast<int>(ring_.size()) - 1);
}

void OffPolicyAlgorithm::estimate(AlgoContext& ctx, const Batch& batch, Estimate& est) {
  // ĝ_IS at the current θ (ctx.behaviour is the target here) from b's samples.
  BaselineSources src;
  src.exact = ctx.exact;
  src.critic = ctx.critic;
  estimate_off_policy(batch, ctx.behaviour, ctx.env.gamma(), ctx.scenario.estimator, config_, src, est, weights_);
}

std::string OffPolicyAlgorithm::update(AlgoContext& ctx, const Batch& batch, const Estimate& est,
                                       UpdateStats& stats) {
  const int N = batch.size();
  stats.set("ess", weights_.ess);
  stats.set("ess_fraction", N > 0 ? weights_.ess / N : 0.0);
  if (N > 0) {
    stats.set("log_w_min", *std::min_element(weights_.log_w.begin(), weights_.log_w.end()));
    stats.set("log_w_max", *std::max_element(weights_.log_w.begin(), weights_.log_w.end()));
  }
  stats.set("rho_max", weights_.rho.empty() ? 1.0 : *std::max_element(weights_.rho.begin(), weights_.rho.end()));
  stats.set("truncated", weights_.truncated);
  // Ascend J + c · mean_t H(π(·|s_t)) over the behaviour's states.
  ascent_ = est.gradient;
  add_entropy_bonus(ctx.behaviour, batch, ctx.scenario.algorithm.entropy_coef, ascent_);
  stats.set("grad_norm", clip_norm(ascent_, ctx.scenario.algorithm.max_grad_norm));
  const std::string fault = apply_ascent(ctx, ascent_);
  if (!fault.empty()) return fault;
  fit_critic_to_reward_to_go(ctx, batch, stats);
  return "";
}

}  // namespace pg
