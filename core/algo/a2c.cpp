#include "algo/a2c.h"

#include <cmath>
#include <cstdio>
#include <limits>

#include "algo/decompose.h"
#include "algo/formula.h"
#include "critic/value_function.h"
#include "env/env.h"
#include "env/tabular_model.h"
#include "io/scenario.h"
#include "policy/policy.h"
#include "session/session.h"
#include "util/error.h"

namespace pg {

AdvantageConfig advantage_config(const Scenario& s, double gamma) {
  AdvantageConfig c;
  c.kind = s.advantage.estimator;
  c.gamma = gamma;
  c.lambda = s.advantage.lambda;
  c.n = s.advantage.n;
  return c;
}

void estimate_a2c(const Batch& batch, const Policy& policy, const ValueFunction& critic,
                  const Env& env, const AdvantageConfig& cfg, bool normalize, Estimate& est,
                  GradientPass pass) {
  const int N = batch.size();
  PG_ASSERT(N > 0, "estimate_a2c needs at least one trajectory");
  // As REINFORCE's terms: Q̂ is the critic's target, b = V_φ, ψ = Â (normalised or not).
  est.config = EstimatorConfig{Returns::kRewardToGo, Baseline::kCritic, normalize, false};
  est.gamma = cfg.gamma;
  est.num_trajectories = N;
  est.offset.resize(N + 1);
  est.offset[0] = 0;
  for (int i = 0; i < N; ++i) est.offset[i + 1] = est.offset[i] + batch.trajectories[i].length();
  const int M = est.num_steps();
  est.divisor = M;
  est.optimal_b.resize(0);
  est.values.resize(M);
  est.final_values.assign(N, 0.0);
  est.advantages.resize(M);
  est.targets.resize(M);
  est.reward_to_go.resize(M);

  // V_t = V_φ(s_t); V_T = V_φ(s_T) where the piece bootstraps (tabular critics read s_T's
  // observation index, MLP critics its features).
  const TabularModel* model = env.model();
  for (int i = 0; i < N; ++i) {
    const Trajectory& tr = batch.trajectories[i];
    critic.values(tr, est.values.data() + est.offset[i]);
    reward_to_go(tr, cfg.gamma, est.reward_to_go.data() + est.offset[i]);
    if (!tr.bootstrap()) continue;
    const int final_obs_index =
        model && tr.final_state >= 0 ? model->obs_of_state(tr.final_state) : -1;
    est.final_values[i] =
        critic.value(ObsRef{final_obs_index, tr.final_obs.empty() ? nullptr : tr.final_obs.data()});
  }

  // Â_t by the chosen estimator; y_t = Â_t + V_t.
  compute_advantages(batch, cfg, est.offset, est.values.data(), est.final_values.data(),
                     est.advantages.data(), est.targets.data());
  est.baseline = est.values;
  est.q_hat = est.targets;
  est.psi = est.advantages;
  // normalize: ψ ← (Â − mean Â) / (std Â + 1e-8), population std over the batch's M steps.
  if (normalize) normalize_in_place(est.psi.data(), M);

  // ĝ = (1/M) Σ_t ∇θ log π(a_t|s_t) ψ_t.
  // The mean is over steps, not episodes: with segments the batch's pieces are not episodes (their
  // number depends on how many episodes happened to end inside the segment, their lengths differ),
  // whereas M = num_envs × num_steps is fixed, so 1/M keeps the step size independent of episode
  // boundaries. It is the gradient of the per-step loss −mean_t(log π · Â) every A2C
  // implementation minimises; with whole episodes it rescales REINFORCE's 1/N by N/M.
  est.entropy.clear();
  if (pass == GradientPass::kSkip) {
    est.gradient.resize(0);
    est.deferred_gradient = Estimate::DeferredGradient::kActorCritic;  // actor_critic_gradient's
    return;
  }
  actor_critic_gradient(batch, policy, est);
}

void actor_critic_gradient(const Batch& batch, const Policy& policy, Estimate& est) {
  const int N = batch.size(), M = est.num_steps();
  est.entropy.clear();
  est.gradient.setZero(policy.num_params());
  est.deferred_gradient = Estimate::DeferredGradient::kNone;
  if (M == 0) return;
  const bool features = policy.kind() != PolicyKind::kTabular;
  const int dim = features ? batch.trajectories[0].obs_dim : 0;
  est.work_index.resize(M);
  est.size_actions(batch, M);
  est.work_scale.resize(M);
  if (features && (est.work_x.rows() != dim || est.work_x.cols() < M)) est.work_x.resize(dim, M);
  const double inv_m = 1.0 / M;
  for (int i = 0; i < N; ++i) {
    const Trajectory& tr = batch.trajectories[i];
    for (int t = 0; t < tr.length(); ++t) {
      const int k = est.at(i, t);
      est.work_index[k] = tr.obs_index[t];
      est.gather_action(tr, t, k);
      est.work_scale[k] = est.psi[k] * inv_m;
      if (features)
        est.work_x.col(k) =
            Eigen::Map<const Eigen::VectorXd>(tr.obs.data() + static_cast<size_t>(t) * dim, dim);
    }
  }
  if (!features || !policy.batch_columns_exact()) {
    const Eigen::MatrixXd no_features;
    policy.add_grad_log_prob_batch(
        features ? Eigen::Ref<const Eigen::MatrixXd>(est.work_x.leftCols(M))
                 : Eigen::Ref<const Eigen::MatrixXd>(no_features),
        est.work_index.data(), est.work_acts(), est.work_scale.data(), M, est.gradient);
    return;
  }
  // One forward at θ serves ĝ's backward and H(π(·|s_t)) per step, which the session's evaluate
  // reads instead of its own pass over the batch's pieces: the same log_prob_batch, and the policy
  // gives a column the same bits wherever it sits in the batch (batch_columns_exact). The
  // surrogate's gradient with no entropy term is add_grad_log_prob_batch's, dZ for dZ.
  const Eigen::Ref<const Eigen::MatrixXd> X = est.work_x.leftCols(M);
  est.work_logp.resize(M);
  est.entropy.resize(M);
  policy.log_prob_batch(X, est.work_index.data(), est.work_acts(), M, est.work_logp.data(),
                        est.entropy.data());
  policy.add_grad_surrogate_batch(X, est.work_index.data(), est.work_acts(), est.work_scale.data(),
                                  nullptr, M, est.gradient, /*reuse_forward=*/true);
}

A2CAlgorithm::A2CAlgorithm(const Scenario& s) {
  const AlgorithmSettings& a = s.algorithm;
  const std::unique_ptr<Env> env = make_env(s);
  advantage_ = advantage_config(s, env->gamma());
  if (a.online) {
    if (a.num_envs != 1)
      throw InputError("algorithm.num_envs", "online A2C learns from one environment, got " +
                                                 std::to_string(a.num_envs) +
                                                 "; set algorithm.num_envs=1");
    if (a.num_steps < 1)
      throw InputError("algorithm.num_steps",
                       "online A2C updates every n environment steps; set "
                       "algorithm.num_steps=n with n >= 1 (1: one-step actor-critic)");
  }
  // A tabular critic needs tabular observations.
  if (env->num_obs() == 0 && s.critic.kind != CriticKind::kMlp)
    throw InputError("critic.kind", "a2c needs a critic and " + env->name() +
                                        " has continuous observations; allowed: mlp");
  if (s.critic.kind == CriticKind::kTabular && a.value_coef * s.critic.lr > 1.0)
    throw InputError(
        "algorithm.value_coef",
        "a tabular critic moves value_coef * critic.lr of the way to its targets per update, which "
        "must be at most 1 (got " +
            std::to_string(a.value_coef * s.critic.lr) +
            "); lower algorithm.value_coef or critic.lr");
}

void A2CAlgorithm::estimate(AlgoContext& ctx, const Batch& batch, Estimate& est) {
  if (!ctx.critic) throw InputError("critic.kind", "a2c needs a critic; allowed here: mlp");
  // The batch's Â are of these settings until the next estimate: decompose reads them (a live λ
  // change must not rewrite the derivation of Â taken with the old λ).
  advantage_ = advantage_config(ctx.scenario, ctx.env.gamma());
  estimate_a2c(batch, ctx.behaviour, *ctx.critic, ctx.env, advantage_,
               ctx.scenario.advantage.normalize, est);
}

namespace {

// Population variance of x[0..n).
double variance(const double* x, int n) {
  if (n <= 0) return 0.0;
  double mean = 0.0;
  for (int k = 0; k < n; ++k) mean += x[k];
  mean /= n;
  double var = 0.0;
  for (int k = 0; k < n; ++k) var += (x[k] - mean) * (x[k] - mean);
  return var / n;
}

}  // namespace

std::string A2CAlgorithm::update(AlgoContext& ctx, const Batch& batch, const Estimate& est,
                                 UpdateStats& stats) {
  const AlgorithmSettings& a = ctx.scenario.algorithm;
  const int M = est.num_steps();
  // The steps as estimate_a2c gathered them (features for MLP policies, indices, actions).
  const bool features = ctx.behaviour.kind() != PolicyKind::kTabular;
  const Eigen::MatrixXd no_features;
  const Eigen::Ref<const Eigen::MatrixXd> X =
      features ? Eigen::Ref<const Eigen::MatrixXd>(est.work_x.leftCols(M))
               : Eigen::Ref<const Eigen::MatrixXd>(no_features);

  // Statistics at θ_old, φ_old (before either moves): log π and H in one batched pass.
  logp_.resize(M);
  entropy_.resize(M);
  if (M > 0)
    ctx.behaviour.log_prob_batch(X, est.work_index.data(), est.work_acts(), M, logp_.data(),
                                 entropy_.data());
  // actor loss L_pg = −(1/M) Σ_t log π(a_t|s_t) ψ_t (its gradient is −ĝ)
  double pg_loss = 0.0, entropy = 0.0;
  for (int k = 0; k < M; ++k) {
    pg_loss -= logp_[k] * est.psi[k];
    entropy += entropy_[k];
  }
  stats.set("actor_loss", M > 0 ? pg_loss / M : 0.0);
  stats.set("entropy", M > 0 ? entropy / M : 0.0);
  // explained variance 1 − Var(y − V) / Var(y): 1 when V predicts the targets, ≤ 0 when it does no
  // better than their mean; NaN when the targets are constant.
  double residual_mean = 0.0, residual_var = 0.0;
  for (int k = 0; k < M; ++k) residual_mean += est.targets[k] - est.values[k];
  residual_mean = M > 0 ? residual_mean / M : 0.0;
  for (int k = 0; k < M; ++k) {
    const double r = est.targets[k] - est.values[k] - residual_mean;
    residual_var += r * r;
  }
  residual_var = M > 0 ? residual_var / M : 0.0;
  const double target_var = variance(est.targets.data(), M);
  stats.set("explained_variance", target_var > 0.0 ? 1.0 - residual_var / target_var
                                                   : std::numeric_limits<double>::quiet_NaN());
  double adv_mean = 0.0;
  for (int k = 0; k < M; ++k) adv_mean += est.advantages[k];
  adv_mean = M > 0 ? adv_mean / M : 0.0;
  stats.set("advantage_mean", adv_mean);
  stats.set("advantage_std", std::sqrt(variance(est.advantages.data(), M)));

  // Actor: θ ← θ + α · clip(ĝ + c₂ ∇θ (1/M) Σ_t H(π(·|s_t))).
  ascent_ = est.gradient;
  if (a.entropy_coef > 0.0 && M > 0) {
    zero_.assign(M, 0.0);
    entropy_scale_.assign(M, a.entropy_coef / M);
    ctx.behaviour.add_grad_surrogate_batch(X, est.work_index.data(), est.work_acts(), zero_.data(),
                                           entropy_scale_.data(), M, ascent_);
  }
  stats.set("grad_norm", clip_norm(ascent_, a.max_grad_norm));
  const std::string fault = apply_ascent(ctx, ascent_, theta_);
  if (!fault.empty()) return fault;

  // Critic: descend c₁ · ½ · (1/M) Σ_t (V_φ(s_t) − y_t)².
  // Actor and critic share no parameters here, so the joint loss L_pg + c₁ L_V − c₂ H separates and
  // c₁ only scales the critic's gradient. For plain gradient steps (and the tabular critic's step
  // toward the mean) that is the same as multiplying the critic's step size by c₁; Adam would
  // cancel a constant factor on its gradient, so c₁ is applied where it still acts for every
  // optimizer: the critic's step size is c₁ · critic.lr.
  // The per-piece target vectors keep their buffers: pieces beyond this batch's count wait in
  // spare_targets_ rather than being freed (the count varies with where episodes end).
  while (static_cast<int>(critic_targets_.size()) > batch.size()) {
    spare_targets_.push_back(std::move(critic_targets_.back()));
    critic_targets_.pop_back();
  }
  while (static_cast<int>(critic_targets_.size()) < batch.size()) {
    if (spare_targets_.empty()) {
      critic_targets_.emplace_back();
    } else {
      critic_targets_.push_back(std::move(spare_targets_.back()));
      spare_targets_.pop_back();
    }
  }
  for (int i = 0; i < batch.size(); ++i)
    critic_targets_[i].assign(est.targets.begin() + est.offset[i],
                              est.targets.begin() + est.offset[i + 1]);
  ctx.critic->set_lr(a.value_coef * ctx.scenario.critic.lr);
  const double mse = ctx.critic->fit(batch, critic_targets_);
  stats.set("value_loss", a.value_coef * 0.5 * mse);
  stats.set("critic_mse", mse);
  return "";
}

Formula actor_critic_gradient_formula(const AdvantageConfig& a, bool normalize,
                                      const AdvantageConfig* used) {
  using Role = FormulaPart::Role;
  Formula f;
  // ĝ = (1/M) Σ_t ∇θ log π(a_t|s_t) ψ_t,  ψ_t = Â_t or norm Â_t
  add_part(f, "ĝ = 1/M Σₜ ∇log π(aₜ|sₜ) ");
  add_part(f, normalize ? "norm Âₜ" : "Âₜ", Role::kWeight);
  add_note(f, "Â by " + advantage_text(a) + ";  δₜ = rₜ + γV(sₜ₊₁) − V(sₜ)");
  if (normalize) add_note(f, "norm Â = (Â − mean Â) / (std Â + 1e-8) over the batch's M steps");
  add_note(f,
           "M = steps in the batch; V(s_T) bootstraps a piece cut or truncated, 0 when terminated");
  // "GAE(λ = 0.95)", "n-step (n = 5)", "TD(0)": what differs between two settings, if anything.
  auto name = [](const AdvantageConfig& c) {
    const std::string t = advantage_text(c);
    return t.substr(0, t.find(": "));
  };
  if (used && name(*used) != name(a))
    add_note(
        f, name(a) + " from the next batch: the batch on screen was estimated with " + name(*used));
  return f;
}

void decompose_actor_critic(const DecomposeInput& in, const AdvantageConfig& a,
                            StepDecomposition& out) {
  const Estimate& est = in.estimate;
  if (!estimate_matches_batch(in))
    return decompose_weight_only(in, "the estimate is not of this batch: no pieces to show", out);
  // A REINFORCE estimate of this batch (the variance lab's settings): its own pieces.
  if (!is_actor_critic_estimate(est)) return decompose_reinforce(in, out);
  DecompositionBuilder b(est);
  std::vector<double> w;
  actor_critic_columns(in, a, b, w);
  b.derive(est.config.normalize ? "w = norm Âₜ" : "w = Âₜ");
  b.derive("ĝ = 1/M Σₜ w ∇log π(aₜ|sₜ),  M = " + std::to_string(est.num_steps()) + " steps");
  b.finish(est, "wₜ", out);
}

void A2CAlgorithm::settings_changed(const Scenario&) {
  // advantage.* takes effect at the next estimate, which sets advantage_.
}

AlgorithmInfo A2CAlgorithm::info(const Scenario& s) const {
  AlgorithmInfo info;
  info.title = "A2C";
  info.analyses = static_cast<unsigned>(Analysis::kAdvantageEstimators) |
                  static_cast<unsigned>(Analysis::kCriticEffect);
  const AdvantageConfig a = advantage_config(s, advantage_.gamma);
  info.objective = actor_critic_gradient_formula(a, s.advantage.normalize, &advantage_);
  char buf[160];
  std::snprintf(buf, sizeof buf,
                "the critic V is fitted to Â + V (weight c₁ = %.3g); entropy bonus c₂ = %.3g",
                s.algorithm.value_coef, s.algorithm.entropy_coef);
  add_note(info.objective, buf);
  return info;
}

void A2CAlgorithm::decompose(const DecomposeInput& in, StepDecomposition& out) const {
  decompose_actor_critic(in, advantage_, out);
}

}  // namespace pg
