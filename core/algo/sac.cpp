#include "algo/sac.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "algo/decompose.h"
#include "algo/formula.h"
#include "env/env.h"
#include "io/scenario.h"
#include "policy/gaussian.h"
#include "policy/policy.h"
#include "session/session.h"
#include "util/cancel.h"
#include "util/error.h"

namespace pg {

double soft_expectation(const double* p, const double* logp, const double* q, int A, double alpha,
                        double* weight) {
  // V = Σ_a π(a|s) [Q(s,a) − α log π(a|s)]   (exact: the actions are discrete)
  double v = 0.0;
  for (int a = 0; a < A; ++a)
    if (p[a] > 0.0) v += p[a] * (q[a] - alpha * logp[a]);
  if (weight)
    for (int a = 0; a < A; ++a) weight[a] = p[a] > 0.0 ? p[a] * (q[a] - alpha * logp[a] - v) : 0.0;
  return v;
}

void gather_states(const ReplayBuffer& buf, const int* idx, int B, int A, bool next,
                   SacScratch& s) {
  const int dim = buf.obs_dim();
  if (s.x.rows() != dim || s.x.cols() < B) s.x.resize(dim, B);
  if (s.x_rep.rows() != dim || s.x_rep.cols() < B * A) s.x_rep.resize(dim, B * A);
  s.index.resize(B);
  s.index_rep.resize(static_cast<size_t>(B) * A);
  s.actions_rep.resize(static_cast<size_t>(B) * A);
  for (int b = 0; b < B; ++b) {
    const ObsRef o = next ? buf.next_obs(idx[b]) : buf.obs(idx[b]);
    s.index[b] = o.index;
    if (dim > 0) s.x.col(b) = Eigen::Map<const Eigen::VectorXd>(o.x, dim);
    for (int a = 0; a < A; ++a) {
      const int n = b * A + a;
      s.index_rep[n] = o.index;
      s.actions_rep[n] = a;
      if (dim > 0) s.x_rep.col(n) = s.x.col(b);
    }
  }
}

namespace {

const Eigen::MatrixXd kNoFeatures;

Eigen::Ref<const Eigen::MatrixXd> cols(const Eigen::MatrixXd& x, int n) {
  return x.rows() > 0 ? Eigen::Ref<const Eigen::MatrixXd>(x.leftCols(n))
                      : Eigen::Ref<const Eigen::MatrixXd>(kNoFeatures);
}

// log π(a|s_b) for every action of the gathered states into s.logp (B·A), one batched pass.
void all_log_probs(const Policy& policy, int B, int A, SacScratch& s) {
  s.logp.resize(static_cast<size_t>(B) * A);
  s.weight.resize(static_cast<size_t>(B) * A);
  s.p.resize(A);
  policy.log_prob_batch(cols(s.x_rep, B * A), s.index_rep.data(), s.actions_rep.data(), B * A,
                        s.logp.data(), nullptr);
}

// The continuous-action critics (the constructor makes MlpActionQ whenever action_dim > 0).
const MlpActionQ& action_q(const QFunction& q) {
  PG_ASSERT(q.action_dim() > 0, "SAC: a Q over continuous actions was expected");
  return static_cast<const MlpActionQ&>(q);
}
const MlpActionQ* action_q(const QFunction* q) {
  return q ? &action_q(*q) : nullptr;
}

const GaussianPolicy& gaussian(const Policy& p) {
  PG_ASSERT(p.kind() == PolicyKind::kGaussian,
            "SAC with continuous actions needs a Gaussian policy");
  return static_cast<const GaussianPolicy&>(p);
}

}  // namespace

void min_q(const QFunction& q1, const QFunction* q2, SacScratch& s, int B) {
  const int A = q1.num_actions();
  if (s.q1.rows() != A || s.q1.cols() < B) s.q1.resize(A, B);
  q1.q_batch(cols(s.x, B), s.index.data(), B, s.q1.leftCols(B));
  if (!q2) return;
  if (s.q2.rows() != A || s.q2.cols() < B) s.q2.resize(A, B);
  q2->q_batch(cols(s.x, B), s.index.data(), B, s.q2.leftCols(B));
  s.q1.leftCols(B) = s.q1.leftCols(B).cwiseMin(s.q2.leftCols(B));
}

void soft_targets(const Policy& policy, const QFunction& q1, const QFunction* q2,
                  const ReplayBuffer& buf, const int* idx, int B, double gamma, double alpha,
                  double* y, SacScratch& s) {
  const int A = q1.num_actions();
  gather_states(buf, idx, B, A, /*next=*/true, s);
  min_q(q1, q2, s, B);
  all_log_probs(policy, B, A, s);
  for (int b = 0; b < B; ++b) {
    const int k = idx[b];
    // y = r + γ (1 − terminated) Σ_a′ π(a′|s′) [Q̄(s′,a′) − α log π(a′|s′)]
    double v_next = 0.0;
    if (!buf.terminated(k)) {
      const double* logp = s.logp.data() + static_cast<size_t>(b) * A;
      for (int a = 0; a < A; ++a) s.p[a] = std::exp(logp[a]);
      v_next = soft_expectation(s.p.data(), logp, s.q1.col(b).data(), A, alpha, nullptr);
    }
    y[b] = buf.reward(k) + gamma * v_next;
  }
}

double actor_objective(const Policy& policy, const QFunction& q1, const QFunction* q2,
                       const ReplayBuffer& buf, const int* idx, int B, double alpha,
                       Eigen::VectorXd* g, double* mean_entropy, SacScratch& s) {
  const int A = q1.num_actions();
  gather_states(buf, idx, B, A, /*next=*/false, s);
  min_q(q1, q2, s, B);
  all_log_probs(policy, B, A, s);
  // J_π = (1/B) Σ_b Σ_a π(a|s_b) [Q(s_b,a) − α log π(a|s_b)]
  double objective = 0.0, entropy = 0.0;
  for (int b = 0; b < B; ++b) {
    const double* logp = s.logp.data() + static_cast<size_t>(b) * A;
    for (int a = 0; a < A; ++a) {
      s.p[a] = std::exp(logp[a]);
      if (s.p[a] > 0.0) entropy -= s.p[a] * logp[a];
    }
    double* w = s.weight.data() + static_cast<size_t>(b) * A;
    objective += soft_expectation(s.p.data(), logp, s.q1.col(b).data(), A, alpha, w);
    for (int a = 0; a < A; ++a) w[a] /= B;
  }
  if (mean_entropy) *mean_entropy = B > 0 ? entropy / B : 0.0;
  // ∇θ J_π = (1/B) Σ_b Σ_a weight_ba ∇θ log π(a|s_b), one batched backward.
  if (g && B > 0)
    policy.add_grad_log_prob_batch(cols(s.x_rep, B * A), s.index_rep.data(), s.actions_rep.data(),
                                   s.weight.data(), B * A, *g);
  return B > 0 ? objective / B : 0.0;
}

SacAlgorithm::SacAlgorithm(const Scenario& s, const std::atomic<bool>* cancel)
    : settings_(s.sac), alpha_(s.sac.alpha) {
  const std::unique_ptr<Env> env = make_env(s);
  gamma_ = env->gamma();
  num_actions_ = env->num_actions();
  action_dim_ = env->action_dim();
  if (action_dim_ == 0 && s.sac.alpha_mode == SacAlphaMode::kAuto &&
      (s.sac.target_entropy >= std::log(num_actions_) || s.sac.target_entropy < 0.0))
    throw InputError("sac.target_entropy",
                     "must be in [0, log " + std::to_string(num_actions_) + " = " +
                         std::to_string(std::log(num_actions_)) +
                         ") nats (up to the entropy of the uniform policy) when "
                         "sac.alpha_mode=auto with discrete actions");
  if (s.critic.kind == CriticKind::kTabular && s.critic.lr > 1.0)
    throw InputError("critic.lr",
                     "a tabular Q critic moves critic.lr of the way to its targets, at most 1");
  const bool features = s.policy.kind != PolicyKind::kTabular || s.critic.kind == CriticKind::kMlp;
  buffer_ = ReplayBuffer(s.sac.buffer_size, features ? env->obs_dim() : 0, action_dim_);
  const CriticKind kind = s.critic.kind;
  Rng rng1 = Rng::stream(s.seed, 0, 0, Purpose::kCritic);
  q1_ = make_q_function(kind, features ? env->obs_dim() : 0, env->num_obs(), num_actions_,
                        s.critic.hidden, s.critic.lr, rng1, action_dim_, cancel);
  if (s.sac.twin) {
    Rng rng2 = Rng::stream(s.seed, 0, 1, Purpose::kCritic);
    q2_ = make_q_function(kind, features ? env->obs_dim() : 0, env->num_obs(), num_actions_,
                          s.critic.hidden, s.critic.lr, rng2, action_dim_, cancel);
  }
  if (s.sac.target_network) {
    target1_ = q1_->clone();
    if (q2_) target2_ = q2_->clone();
  }
}

SacAlgorithm::SacAlgorithm(const SacAlgorithm& o)
    : settings_(o.settings_),
      gamma_(o.gamma_),
      alpha_(o.alpha_),
      estimate_alpha_(o.estimate_alpha_),
      est_phi1_(o.est_phi1_),
      est_phi2_(o.est_phi2_),
      num_actions_(o.num_actions_),
      buffer_(o.buffer_),
      q1_(o.q1_->clone()),
      q2_(o.q2_ ? o.q2_->clone() : nullptr),
      target1_(o.target1_ ? o.target1_->clone() : nullptr),
      target2_(o.target2_ ? o.target2_->clone() : nullptr),
      scratch_(o.scratch_),
      record_(o.record_),
      est_gamma_q_(o.est_gamma_q_),
      est_entropy_next_(o.est_entropy_next_),
      idx_(o.idx_),
      y_(o.y_),
      action_dim_(o.action_dim_),
      est_eps_(o.est_eps_),
      est_steps_(o.est_steps_) {}

void SacAlgorithm::settings_changed(const Scenario& s) {
  const double old_alpha = settings_.alpha;
  settings_ = s.sac;
  if (s.sac.alpha != old_alpha) alpha_ = s.sac.alpha;
}

void SacAlgorithm::estimate(AlgoContext& ctx, const Batch& batch, Estimate& est) {
  const int N = batch.size();
  const int A = num_actions_;
  est.config = EstimatorConfig{Returns::kRewardToGo, Baseline::kCritic, false, false};
  est.gamma = gamma_;
  est.num_trajectories = N;
  est.offset.resize(N + 1);
  est.offset[0] = 0;
  for (int i = 0; i < N; ++i) est.offset[i + 1] = est.offset[i] + batch.trajectories[i].length();
  const int M = est.num_steps();
  est.divisor = std::max(M, 1);
  est.optimal_b.resize(0);
  est.q_hat.resize(M);
  est.baseline.resize(M);
  est.values.resize(M);
  est.psi.resize(M);
  est.reward_to_go.resize(M);
  est.final_values.assign(N, 0.0);
  est.advantages.clear();
  est.targets.clear();
  est.gradient.setZero(ctx.behaviour.num_params());
  estimate_alpha_ = alpha_;
  est_phi1_ = q1_->params();
  if (q2_) est_phi2_ = q2_->params();
  if (action_dim_ > 0) return estimate_gaussian(ctx, batch, est);
  // Per step: Q(sₜ,·), π(·|sₜ) at θ_old; ψₜ = Q(sₜ,aₜ) − α log π(aₜ|sₜ) − V_soft(sₜ);
  // ĝ = 1/M Σₜ Σ_a π(a|sₜ) [Q(sₜ,a) − α log π(a|sₜ) − V_soft(sₜ)] ∇θ log π(a|sₜ).
  std::vector<double>&p = est_p_, &logp = est_logp_, &w = est_w_, &qs = est_q_, &q2s = est_q2_;
  for (std::vector<double>* v : {&p, &logp, &w, &qs, &q2s}) v->resize(A);
  for (int i = 0; i < N; ++i) {
    const Trajectory& tr = batch.trajectories[i];
    reward_to_go(tr, gamma_, est.reward_to_go.data() + est.offset[i]);
    for (int t = 0; t < tr.length(); ++t) {
      const ObsRef o = tr.obs_at(t);
      const ObsRef o_eval{o.index, buffer_.obs_dim() > 0 ? o.x : nullptr};
      q1_->q_values(o_eval, qs.data());
      if (q2_) {
        q2_->q_values(o_eval, q2s.data());
        for (int a = 0; a < A; ++a) qs[a] = std::min(qs[a], q2s[a]);
      }
      ctx.behaviour.probs(o, p.data());
      for (int a = 0; a < A; ++a) logp[a] = std::log(p[a]);
      const double v = soft_expectation(p.data(), logp.data(), qs.data(), A, alpha_, w.data());
      const int k = est.at(i, t), at = tr.actions[t];
      est.q_hat[k] = qs[at];
      est.values[k] = v;
      est.baseline[k] = v;
      est.psi[k] = qs[at] - alpha_ * logp[at] - v;
      for (int a = 0; a < A; ++a)
        if (w[a] != 0.0) ctx.behaviour.add_grad_log_prob(o, a, w[a] / M, est.gradient);
    }
  }
  // The critic target of each step's own transition, for the inspector (algo/replay_record.h).
  const QFunction& bootstrap1 = target1_ ? *target1_ : *q1_;
  const QFunction* bootstrap2 = target1_ ? target2_.get() : q2_.get();
  batch_target_terms(batch, ctx.env, ctx.behaviour, bootstrap1, bootstrap2, buffer_.obs_dim() > 0,
                     gamma_, alpha_, est_gamma_q_, est_entropy_next_);
}

void SacAlgorithm::estimate_gaussian(AlgoContext& ctx, const Batch& batch, Estimate& est) {
  const GaussianPolicy& pi = gaussian(ctx.behaviour);
  const int M = est.num_steps(), d = action_dim_, dim = buffer_.obs_dim();
  if (est_x_.rows() != dim || est_x_.cols() < M) est_x_.resize(dim, M);
  if (est_a_.rows() != d || est_a_.cols() < M) est_a_.resize(d, M);
  est_logp_.resize(M);
  // Per step at θ_old: the taken action aₜ = env_action(uₜ), log π(aₜ|sₜ) and the states' columns.
  for (int i = 0; i < batch.size(); ++i) {
    const Trajectory& tr = batch.trajectories[i];
    reward_to_go(tr, gamma_, est.reward_to_go.data() + est.offset[i]);
    for (int t = 0; t < tr.length(); ++t) {
      const int k = est.at(i, t);
      if (dim > 0) est_x_.col(k) = Eigen::Map<const Eigen::VectorXd>(tr.obs_at(t).x, dim);
      pi.env_action(tr.act_at(t).u, est_a_.col(k).data());
      est_logp_[k] = pi.log_prob(tr.obs_at(t), tr.act_at(t));
    }
  }
  const MlpActionQ& q1 = action_q(*q1_);
  const MlpActionQ* q2 = action_q(q2_.get());
  min_q_sa(q1, q2, est_x_.leftCols(M), est_a_.leftCols(M), M, est.q_hat.data(), gscratch_);
  // ĝ = 1/M Σₜ ∇θ [min Q(sₜ, a_θ(sₜ, εₜ)) − α log π(a_θ(sₜ, εₜ)|sₜ)], one ε per step (the
  // estimate's own draws: stream (seed, iteration, 0, lab)); V̂(sₜ) = that sample's value.
  Rng rng = Rng::stream(ctx.seed, static_cast<uint64_t>(ctx.iteration), 0, Purpose::kLab);
  draw_normals(rng, d, M, est_eps_);
  est_steps_ = M;
  reparam_actor_objective_at(pi, q1, q2, est_x_.leftCols(M), M, alpha_, est_eps_, &est.gradient,
                             nullptr, gscratch_);
  for (int k = 0; k < M; ++k) {
    est.values[k] = gscratch_.q1[k] - alpha_ * gscratch_.logp[k];
    est.baseline[k] = est.values[k];
    est.psi[k] = est.q_hat[k] - alpha_ * est_logp_[k] - est.values[k];
  }
}

std::string SacAlgorithm::discrete_step(AlgoContext& ctx, int B, bool recorded, double& q_loss,
                                        double& objective, double& h) {
  const QFunction& bootstrap1 = target1_ ? *target1_ : *q1_;
  const QFunction* bootstrap2 = target1_ ? target2_.get() : q2_.get();
  if (recorded)
    record_step_inputs(record_, ctx.iteration, settings_.gradient_steps - 1, ctx.policy, *q1_,
                       q2_.get(), target1_.get(), target2_.get(), alpha_, buffer_, idx_.data(), B);
  // Critic: y = r + γ (1 − terminated) V̄_soft(s′); Q_φ descends ½ (1/B) Σ (Q_φ(s,a) − y)².
  soft_targets(ctx.policy, bootstrap1, bootstrap2, buffer_, idx_.data(), B, gamma_, alpha_,
               y_.data(), scratch_);
  if (recorded)
    record_target_terms(record_, ctx.policy, bootstrap1, bootstrap2, buffer_, gamma_, y_.data());
  const double loss1 = q1_->fit_step(buffer_, idx_.data(), y_.data(), B);
  const double loss2 = q2_ ? q2_->fit_step(buffer_, idx_.data(), y_.data(), B) : 0.0;
  q_loss += loss1 + loss2;
  // Actor: θ ascends (1/B) Σ_b Σ_a π(a|s_b) [Q(s_b,a) − α log π(a|s_b)].
  ascent_.setZero(ctx.policy.num_params());
  const double j_pi = actor_objective(ctx.policy, *q1_, q2_.get(), buffer_, idx_.data(), B, alpha_,
                                      &ascent_, &h, scratch_);
  objective += j_pi;
  if (recorded) {
    record_.q1_loss = loss1;
    record_.q2_loss = loss2;
    record_actor_terms(record_, ctx.policy, *q1_, q2_.get(), buffer_);
    record_.actor_objective = j_pi;
    record_.mean_entropy = h;
    record_.actor_gradient = ascent_;
  }
  clip_norm(ascent_, ctx.scenario.algorithm.max_grad_norm);
  return apply_ascent(ctx, ascent_, theta_);
}

namespace {

// to = q's parameters, or empty without q — in place (a ?: with an empty vector would copy).
void assign_params(Eigen::VectorXd& to, const QFunction* q) {
  if (q)
    to = q->params();
  else
    to.resize(0);
}

}  // namespace

void SacAlgorithm::record_gaussian_inputs(const AlgoContext& ctx, int B) {
  SacStepRecord& r = record_;
  r.iteration = ctx.iteration;
  r.gradient_step = settings_.gradient_steps - 1;
  r.theta = ctx.policy.params();
  r.phi1 = q1_->params();
  assign_params(r.phi2, q2_.get());
  assign_params(r.target1, target1_.get());
  assign_params(r.target2, target2_.get());
  r.alpha = alpha_;
  r.slot.assign(idx_.begin(), idx_.begin() + B);
  r.eps_next = eps_next_.leftCols(B);
  r.eps = eps_.leftCols(B);
  // Q_k(s_b, a_b) before the fit, a_b the action the buffer keeps.
  const int dim = buffer_.obs_dim(), d = action_dim_;
  rec_xa_.resize(dim + d, B);
  for (int b = 0; b < B; ++b) {
    const int k = idx_[b];
    if (dim > 0)
      rec_xa_.col(b).head(dim) = Eigen::Map<const Eigen::VectorXd>(buffer_.obs(k).x, dim);
    rec_xa_.col(b).tail(d) = Eigen::Map<const Eigen::VectorXd>(buffer_.act(k), d);
  }
  r.q1_sa.resize(B);
  r.q2_sa.resize(q2_ ? B : 0);
  action_q(*q1_).q_sa(rec_xa_, B, r.q1_sa.data());
  if (q2_) action_q(*q2_).q_sa(rec_xa_, B, r.q2_sa.data());
}

std::string SacAlgorithm::gaussian_step(AlgoContext& ctx, Rng& rng, int B, bool recorded,
                                        double& q_loss, double& objective, double& h) {
  const GaussianPolicy& pi = gaussian(ctx.policy);
  const MlpActionQ& bootstrap1 = action_q(target1_ ? *target1_ : *q1_);
  const MlpActionQ* bootstrap2 = action_q(target1_ ? target2_.get() : q2_.get());
  draw_normals(rng, action_dim_, B, eps_next_);
  draw_normals(rng, action_dim_, B, eps_);
  if (recorded) record_gaussian_inputs(ctx, B);
  // Critic: y = r + γ (1 − terminated) [min Q̄(s′, a′) − α log π(a′|s′)], a′ = a_θ(s′, ε′);
  // Q_φ descends ½ (1/B) Σ (Q_φ(s,a) − y)².
  sampled_soft_targets(pi, bootstrap1, bootstrap2, buffer_, idx_.data(), B, gamma_, alpha_,
                       eps_next_, y_.data(), gscratch_);
  if (recorded) {
    // gscratch_ holds min Q̄(s′_b, a′_b), log π(a′_b|s′_b) and a′_b (sampled_soft_targets).
    SacStepRecord& r = record_;
    r.reward.resize(B);
    r.gamma_q_next.resize(B);
    r.entropy_next.resize(B);
    r.y.assign(y_.begin(), y_.begin() + B);
    for (int b = 0; b < B; ++b) {
      const int k = idx_[b];
      const bool live = !buffer_.terminated(k);
      r.reward[b] = buffer_.reward(k);
      r.gamma_q_next[b] = live ? gamma_ * gscratch_.q1[b] : 0.0;
      r.entropy_next[b] = live ? -gamma_ * alpha_ * gscratch_.logp[b] : 0.0;
    }
    r.next_actions = gscratch_.a.leftCols(B);
  }
  const double loss1 = q1_->fit_step(buffer_, idx_.data(), y_.data(), B);
  const double loss2 = q2_ ? q2_->fit_step(buffer_, idx_.data(), y_.data(), B) : 0.0;
  q_loss += loss1 + loss2;
  // Actor: θ ascends (1/B) Σ_b [min Q(s_b, a_θ(s_b, ε_b)) − α log π(a_θ(s_b, ε_b)|s_b)].
  ascent_.setZero(ctx.policy.num_params());
  const double j_pi =
      reparam_actor_objective(pi, action_q(*q1_), action_q(q2_.get()), buffer_, idx_.data(), B,
                              alpha_, eps_, &ascent_, &h, gscratch_);
  objective += j_pi;
  if (recorded) {
    // gscratch_ now holds min Q(s_b, a_b), log π(a_b|s_b) and a_b = a_θ(s_b, ε_b).
    SacStepRecord& r = record_;
    r.q1_loss = loss1;
    r.q2_loss = loss2;
    r.phi1_after = q1_->params();
    assign_params(r.phi2_after, q2_.get());
    r.actor_q.assign(gscratch_.q1.begin(), gscratch_.q1.begin() + B);
    r.actor_entropy.resize(B);
    for (int b = 0; b < B; ++b) r.actor_entropy[b] = -alpha_ * gscratch_.logp[b];
    r.actor_actions = gscratch_.a.leftCols(B);
    r.actor_objective = j_pi;
    r.mean_entropy = h;
    r.actor_gradient = ascent_;
  }
  clip_norm(ascent_, ctx.scenario.algorithm.max_grad_norm);
  return apply_ascent(ctx, ascent_, theta_);
}

std::string SacAlgorithm::update(AlgoContext& ctx, const Batch& batch, const Estimate& est,
                                 UpdateStats& stats) {
  (void)est;
  buffer_.push_batch(batch, ctx.env, ctx.iteration, &ctx.policy);
  stats.set("buffer_size", buffer_.size());
  stats.set("alpha", alpha_);
  if (buffer_.size() < std::max(settings_.warmup, 1)) {
    stats.set("gradient_steps", 0);
    return "";
  }
  const int B = settings_.batch_size;
  idx_.resize(B);
  y_.resize(B);
  double q_loss = 0.0, objective = 0.0, entropy = 0.0, age = 0.0;
  for (int g = 0; g < settings_.gradient_steps; ++g) {
    if (ctx.cancel && ctx.cancel->load()) throw Cancelled();
    // A big update (sac.gradient_steps × sac.batch_size) runs for minutes: counted (audit F7).
    if (ctx.progress) ctx.progress->fetch_add(1, std::memory_order_relaxed);
    Rng rng = Rng::stream(ctx.seed, static_cast<uint64_t>(ctx.iteration), static_cast<uint64_t>(g),
                          Purpose::kMinibatch);
    buffer_.sample(rng, B, idx_.data());
    if (g == 0) record_.sample_ages.clear();
    for (int b = 0; b < B; ++b) {
      age += ctx.iteration - buffer_.iteration(idx_[b]);
      record_.sample_ages.push_back(ctx.iteration - buffer_.iteration(idx_[b]));
    }
    // The last gradient step is kept whole for the dump and the views (algo/replay_record.h).
    const bool recorded = g + 1 == settings_.gradient_steps;
    double h = 0.0;  // H̄: the actor minibatch's mean entropy (discrete) or −mean log π (Gaussian)
    const std::string fault = action_dim_ > 0
                                  ? gaussian_step(ctx, rng, B, recorded, q_loss, objective, h)
                                  : discrete_step(ctx, B, recorded, q_loss, objective, h);
    if (!fault.empty()) {
      // A tuned α that ran away (a factor beyond e^50 from its start) is the cause, not the
      // actor's step size: log α moves by sac.alpha_lr · (H̄ − target) per gradient step, and at
      // sac.alpha_lr = 100 it fell to 0 within an iteration, the entropy collapsed without its
      // term, and α swung to 1e185 (audit a14 F6: the message blamed algorithm.lr and
      // normalisation, which SAC does not have).
      const double drift = std::abs(std::log(std::max(alpha_, 1e-300)) -
                                    std::log(std::max(settings_.alpha, 1e-300)));
      if (settings_.alpha_mode == SacAlphaMode::kAuto && !(drift < 50)) {
        char buf[400];
        std::snprintf(buf, sizeof buf,
                      " after α, tuned toward sac.target_entropy = %g with sac.alpha_lr = %g per "
                      "gradient step, went from %g to %g (%s); lower sac.alpha_lr, then reset",
                      settings_.target_entropy, settings_.alpha_lr, settings_.alpha, alpha_,
                      alpha_ > 1 ? "the entropy term swamped the Q values"
                                 : "no entropy term was left to keep the policy spread");
        return fault.substr(0, fault.find(';')) + buf;
      }
      return fault;
    }
    entropy += h;
    // α: log α descends log α · (H̄ − target entropy).
    if (settings_.alpha_mode == SacAlphaMode::kAuto)
      alpha_ = std::exp(std::log(std::max(alpha_, 1e-300)) -
                        settings_.alpha_lr * (h - settings_.target_entropy));
    // Targets: φ̄ ← τ φ + (1 − τ) φ̄.
    if (target1_) {
      polyak(*q1_, settings_.tau, *target1_, blend_);
      if (target2_) polyak(*q2_, settings_.tau, *target2_, blend_);
    }
    if (recorded) record_.alpha_next = alpha_;
  }
  const double G = settings_.gradient_steps;
  stats.set("gradient_steps", G);
  stats.set("q_loss", q_loss / G / (q2_ ? 2.0 : 1.0));
  stats.set("actor_objective", objective / G);
  stats.set("entropy", entropy / G);
  stats.set("alpha", alpha_);
  stats.set("sample_age", age / (G * B));
  return "";
}

ReplayRecord SacAlgorithm::replay_record() const {
  ReplayRecord r;
  r.buffer = &buffer_;
  r.q1 = q1_.get();
  r.q2 = q2_.get();
  r.target1 = target1_.get();
  r.target2 = target2_.get();
  r.alpha = alpha_;
  r.last_step = &record_;
  if (est_phi1_.size() > 0) {
    r.estimate_phi1 = &est_phi1_;
    r.estimate_phi2 = &est_phi2_;
    r.estimate_alpha = estimate_alpha_;
  }
  if (action_dim_ > 0 && est_steps_ > 0) {
    r.estimate_eps = &est_eps_;
    r.estimate_steps = est_steps_;
  }
  return r;
}

AlgorithmInfo SacAlgorithm::info(const Scenario& s) const {
  using Role = FormulaPart::Role;
  AlgorithmInfo info;
  Formula& f = info.objective;
  if (action_dim_ > 0) {
    info.title = "SAC (Gaussian, tanh-squashed)";
    add_part(f, "ĝ = 1/M Σₜ ∇θ ");
    add_part(f, "[Q(sₜ, a_θ(sₜ,εₜ)) − α log π(a_θ(sₜ,εₜ)|sₜ)]", Role::kWeight);
    add_note(f,
             "a_θ(s,ε) = lo + (tanh(μ(s) + σ(s) ε) + 1)(hi − lo)/2, ε ~ N(0, I): one "
             "reparameterised sample per state");
    add_note(f,
             "critic: y = r + γ (1 − terminated) [Q̄(s′,a′) − α log π(a′|s′)], a′ ~ π(·|s′), "
             "from the replay buffer" +
                 std::string(s.sac.target_network ? ", Q̄ by the target critic" : "") +
                 (s.sac.twin ? "; Q = min(Q₁, Q₂)" : ""));
  } else {
    info.title = "SAC (discrete)";
    add_part(f, "ĝ = 1/M Σₜ Σₐ π(a|sₜ) ∇log π(a|sₜ) ");
    add_part(f, "[Q(sₜ,a) − α log π(a|sₜ) − V_soft(sₜ)]", Role::kWeight);
    add_note(f, "V_soft(s) = Σₐ π(a|s) [Q(s,a) − α log π(a|s)]  (exact sum over actions)");
    add_note(f, "critic: y = r + γ (1 − terminated) V̄_soft(s′) from the replay buffer" +
                    std::string(s.sac.target_network ? ", V̄ by the target critic" : "") +
                    (s.sac.twin ? "; Q = min(Q₁, Q₂)" : ""));
  }
  char buf[200];
  std::snprintf(buf, sizeof buf,
                "α = %.3g (%s); %d gradient steps of %d transitions per iteration; buffer %d",
                alpha_, s.sac.alpha_mode == SacAlphaMode::kAuto ? "tuned" : "fixed",
                s.sac.gradient_steps, s.sac.batch_size, s.sac.buffer_size);
  add_note(f, buf);
  // The SAC-specific views (replay buffer, Q_φ against Q^π) are not built yet: the analyses
  // the other views offer do not apply, so those views say so rather than show REINFORCE's.
  info.analyses = static_cast<unsigned>(Analysis::kReplay);
  // update() steps once the buffer (every step of every batch, at most sac.buffer_size) holds
  // max(sac.warmup, 1) transitions.
  const long warmup = std::max(s.sac.warmup, 1);
  info.warmup_steps = s.sac.buffer_size >= warmup ? warmup : std::numeric_limits<long>::max();
  return info;
}

void SacAlgorithm::decompose(const DecomposeInput& in, StepDecomposition& out) const {
  const Estimate& est = in.estimate;
  if (!estimate_matches_batch(in) || est.q_hat.size() != est.psi.size() ||
      est.values.size() != est.psi.size())
    return decompose_weight_only(in, "the estimate is not of this batch: no pieces to show", out);
  DecompositionBuilder b(est);
  // The critic's side: the target yₜ this step's transition gets when the update replays it.
  const bool critic_terms =
      est_gamma_q_.size() == est.psi.size() && est_entropy_next_.size() == est.psi.size();
  if (critic_terms) {
    // rₜ is the ledger's own column already (the inspector shows every step's reward).
    std::vector<double>& gq = b.column(
        "γQ̄′",
        "γ (1 − terminated) Σₐ′ π(a′|sₜ₊₁) Q̄(sₜ₊₁,a′): the bootstrapped soft value's Q part");
    std::vector<double>& ge = b.column(
        "−γα log π′", "−γ (1 − terminated) α Σₐ′ π(a′|sₜ₊₁) log π(a′|sₜ₊₁): its entropy bonus");
    std::vector<double>& y = b.column("yₜ", "the critic's target rₜ + γQ̄′ − γα log π′");
    std::vector<double>& td = b.column(
        "Q − yₜ", "Q(sₜ,aₜ) − yₜ: the critic's error on this transition, which its fit shrinks");
    for (int i = 0; i < in.batch.size(); ++i) {
      const Trajectory& tr = in.batch.trajectories[i];
      for (int t = 0; t < tr.length(); ++t) {
        const int k = est.at(i, t);
        gq[k] = est_gamma_q_[k];
        ge[k] = est_entropy_next_[k];
        y[k] = tr.rewards[t] + gq[k] + ge[k];
        td[k] = est.q_hat[k] - y[k];
      }
    }
    b.derive("critic: yₜ = rₜ + γQ̄′ + (−γα log π′), Q̄ " +
             std::string(settings_.target_network ? "the target critic" : "the critic itself") +
             (settings_.twin ? " (min of the twins)" : ""));
  }
  std::vector<double>& q = b.column("Q(sₜ,aₜ)", "the critic's value of the taken action");
  std::vector<double>& ent =
      b.column("α log π(aₜ|sₜ)", "the entropy term of the taken action at θ_old");
  const bool continuous = action_dim_ > 0;
  std::vector<double>& v =
      continuous ? b.column("V̂(sₜ)",
                            "Q(sₜ,ã) − α log π(ã|sₜ) at one reparameterised sample ã, the baseline")
                 : b.column("V_soft(sₜ)", "Σₐ π(a|sₜ) [Q(sₜ,a) − α log π(a|sₜ)], the baseline");
  for (int i = 0; i < in.batch.size(); ++i) {
    const Trajectory& tr = in.batch.trajectories[i];
    for (int t = 0; t < tr.length(); ++t) {
      const int k = est.at(i, t);
      q[k] = est.q_hat[k];
      ent[k] = estimate_alpha_ * in.behaviour.log_prob(tr.obs_at(t), tr.act_at(t));
      v[k] = est.values[k];
    }
  }
  if (continuous) {
    b.derive("actor: w = Q(sₜ,aₜ) − α log π(aₜ|sₜ) − V̂(sₜ)  (the taken action's term)");
    b.derive("ĝ is the reparameterised gradient at a fresh sample a_θ(sₜ,εₜ), not w ∇log π(aₜ|sₜ)");
  } else {
    b.derive("actor: w = Q(sₜ,aₜ) − α log π(aₜ|sₜ) − V_soft(sₜ)  (the taken action's term)");
    b.derive("ĝ sums that term over every action a weighted by π(a|sₜ), not over aₜ alone");
  }
  b.finish(est, "wₜ", out);
  mark_not_summing(out, continuous
                            ? "SAC's ĝ is the reparameterised gradient at a fresh sample "
                              "a_θ(sₜ,εₜ), not the taken action's w ∇log π(aₜ|sₜ)"
                            : "SAC's ĝ sums Q − α log π − V_soft over every action a weighted by "
                              "π(a|sₜ), not at the taken action aₜ alone");
}

}  // namespace pg
