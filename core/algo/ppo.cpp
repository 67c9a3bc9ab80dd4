#include "algo/ppo.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "algo/a2c.h"
#include "algo/decompose.h"
#include "algo/fault_advice.h"
#include "algo/formula.h"
#include "critic/value_function.h"
#include "env/env.h"
#include "io/scenario.h"
#include "policy/policy.h"
#include "session/session.h"
#include "util/cancel.h"
#include "util/error.h"
#include "util/finite.h"
#include "util/rng.h"

namespace pg {

// ---------------------------------------------------------------------------------------------
// Per-sample pieces

double clipped_surrogate(double ratio, double adv, double eps) {
  // min(r Â, clip(r, 1−ε, 1+ε) Â)
  const double clipped = std::clamp(ratio, 1.0 - eps, 1.0 + eps);
  return std::min(ratio * adv, clipped * adv);
}

double clipped_surrogate_dr(double ratio, double adv, double eps) {
  return no_gradient(clip_region(ratio, adv, eps)) ? 0.0 : adv;
}

ClipRegion clip_region(double ratio, double adv, double eps) {
  if (ratio > 1.0 + eps) return adv > 0.0 ? ClipRegion::kAboveFlat : ClipRegion::kAboveActive;
  if (ratio < 1.0 - eps) return adv < 0.0 ? ClipRegion::kBelowFlat : ClipRegion::kBelowActive;
  return ClipRegion::kInside;
}

ClipCase clip_case_of(double ratio, double adv, double eps) {
  const int side = ratio < 1.0 - eps ? 0 : ratio > 1.0 + eps ? 2 : 1;  // below, inside, above
  return static_cast<ClipCase>((adv >= 0.0 ? 0 : 3) + side);
}

double adapt_beta(double beta, double kl, double target) {
  if (kl > 1.5 * target) return beta * 2.0;
  if (kl < target / 1.5) return beta / 2.0;
  return beta;
}

double ppo_policy_gradient(const Policy& policy, const Eigen::Ref<const Eigen::MatrixXd>& X,
                           const int* index, ActionsRef actions, const double* logp_old,
                           const double* adv, int n, const PpoObjective& obj, double* logp,
                           double* entropy, double* ratio, double* scale_logp,
                           double* scale_entropy, Eigen::Ref<Eigen::VectorXd> g) {
  if (n == 0) return 0.0;
  const double inv_n = 1.0 / n;
  // log π_θ(a_j|s_j) and H(π_θ(·|s_j)) at the current θ.
  policy.log_prob_batch(X, index, actions, n, logp, entropy);
  double L = 0.0;
  for (int j = 0; j < n; ++j) {
    // r_j = exp(log π_θ(a_j|s_j) − log π_old(a_j|s_j))
    const double log_ratio = logp[j] - logp_old[j];
    const double r = std::exp(log_ratio);
    ratio[j] = r;
    if (obj.kl_penalty) {
      // L_j = r Â − β k3,  ∂L_j/∂r = Â − β (1 − 1/r)  ⇒  ∂L_j/∂θ = (Â r − β (r − 1)) ∇θ log π
      L += r * adv[j] - obj.beta * kl::k3(log_ratio);
      scale_logp[j] = (adv[j] * r - obj.beta * (r - 1.0)) * inv_n;
    } else {
      // L_j = min(r Â, clip(r, 1−ε, 1+ε) Â),  ∂L_j/∂θ = ∂L_j/∂r · r ∇θ log π
      L += clipped_surrogate(r, adv[j], obj.clip_eps);
      scale_logp[j] = clipped_surrogate_dr(r, adv[j], obj.clip_eps) * r * inv_n;
    }
    // c₂ ∇θ (1/n) Σ_j H_j
    scale_entropy[j] = obj.entropy_coef * inv_n;
  }
  // One backward through log_prob_batch's pass (no second forward).
  policy.add_grad_surrogate_batch(X, index, actions, scale_logp,
                                  obj.entropy_coef > 0.0 ? scale_entropy : nullptr, n, g,
                                  /*reuse_forward=*/true);
  return L * inv_n;
}

double ppo_value_loss(const double* v, const double* v_old, const double* target, int n, bool clip,
                      double eps, double value_coef, double* d_v) {
  if (n == 0) return 0.0;
  const double inv_n = 1.0 / n;
  double L = 0.0;
  for (int j = 0; j < n; ++j) {
    const double err = v[j] - target[j];
    double loss = 0.5 * err * err, dloss = err;  // ½ (V − y)² and its ∂/∂V
    if (clip) {
      // V_clipped = V_old + clip(V − V_old, −ε, ε): constant in V once V − V_old leaves ±ε, so
      // where the clipped error is the larger one the sample has no gradient.
      const double err_c = v_old[j] + std::clamp(v[j] - v_old[j], -eps, eps) - target[j];
      if (err_c * err_c > err * err) {
        loss = 0.5 * err_c * err_c;
        dloss = 0.0;
      }
    }
    L += loss;
    d_v[j] = -value_coef * dloss * inv_n;
  }
  return L * inv_n;
}

void ClipCounts::add(ClipRegion c) {
  switch (c) {
    case ClipRegion::kInside:
      ++inside;
      break;
    case ClipRegion::kAboveFlat:
      ++above_flat;
      break;
    case ClipRegion::kBelowFlat:
      ++below_flat;
      break;
    case ClipRegion::kAboveActive:
      ++above_active;
      break;
    case ClipRegion::kBelowActive:
      ++below_active;
      break;
  }
}

double ClipCounts::clip_fraction() const {
  const long n = total();
  return n > 0 ? static_cast<double>(n - inside) / static_cast<double>(n) : 0.0;
}

// ---------------------------------------------------------------------------------------------
// PpoAlgorithm

PpoAlgorithm::PpoAlgorithm(const Scenario& s)
    : critic_opt_(make_optimizer(s.algorithm.optimizer, s.algorithm.lr)),
      kl_penalty_(s.ppo.objective == PpoObjectiveKind::kKlPenalty),
      beta_(s.ppo.kl_beta) {
  const std::unique_ptr<Env> env = make_env(s);
  advantage_ = advantage_config(s, env->gamma());
  // A tabular critic needs tabular observations.
  if (env->num_obs() == 0 && s.critic.kind != CriticKind::kMlp)
    throw InputError("critic.kind", "ppo needs a critic and " + env->name() +
                                        " has continuous observations; allowed: mlp");
  record_.clip_eps = s.ppo.clip_eps;
}

PpoAlgorithm::PpoAlgorithm(const PpoAlgorithm& o)
    : Algorithm(o),
      critic_opt_(o.critic_opt_->clone()),
      advantage_(o.advantage_),
      kl_penalty_(o.kl_penalty_),
      beta_(o.beta_),
      record_(o.record_),
      logp_old_(o.logp_old_),
      x_all_(o.x_all_),
      idx_all_(o.idx_all_),
      act_all_(o.act_all_),
      udim_(o.udim_),
      u_all_(o.u_all_) {}

void PpoAlgorithm::estimate(AlgoContext& ctx, const Batch& batch, Estimate& est) {
  if (!ctx.critic) throw InputError("critic.kind", "ppo needs a critic; allowed here: mlp");
  // V, Â, targets, ψ and ĝ = (1/M) Σ ∇θ log π ψ at θ_old: the surrogate's gradient where r = 1
  // (the update's minibatches read neither ĝ nor the per-step entropies of its forward: both are
  // skipped when nothing else does).
  // The batch's Â are of these settings until the next estimate: the inspector's derivation reads
  // them (a live λ change showed "λ = 0.5" and a Σ(γλ)ˡδ column of 0.5 beside Â of 0.95).
  advantage_ = advantage_config(ctx.scenario, ctx.env.gamma());
  estimate_a2c(batch, ctx.behaviour, *ctx.critic, ctx.env, advantage_,
               ctx.scenario.advantage.normalize, est,
               ctx.statistics_wanted ? GradientPass::kCompute : GradientPass::kSkip);
  // The flat per-step inputs of the minibatches: features, indices, actions, log π_old.
  const int M = est.num_steps();
  const int dim = batch.size() > 0 ? batch.trajectories[0].obs_dim : 0;
  if (x_all_.rows() != dim || x_all_.cols() < M) x_all_.resize(dim, M);
  idx_all_.resize(M);
  act_all_.resize(M);
  udim_ = batch.size() > 0 ? batch.trajectories[0].action_dim : 0;
  u_all_.resize(static_cast<size_t>(M) * udim_);
  logp_old_.resize(M);
  for (int i = 0; i < batch.size(); ++i) {
    const Trajectory& tr = batch.trajectories[i];
    const int T = tr.length(), off = est.offset[i];
    if (dim > 0)
      x_all_.middleCols(off, T) = Eigen::Map<const Eigen::MatrixXd>(tr.obs.data(), dim, T);
    std::copy(tr.obs_index.begin(), tr.obs_index.end(), idx_all_.begin() + off);
    std::copy(tr.actions.begin(), tr.actions.end(), act_all_.begin() + off);
    std::copy(tr.act_u.begin(), tr.act_u.end(), u_all_.begin() + static_cast<size_t>(off) * udim_);
    std::copy(tr.logp.begin(), tr.logp.end(), logp_old_.begin() + off);
  }
}

namespace {

// The critic's parameters as one vector, whichever kind it is.
const Eigen::VectorXd& critic_params(const ValueFunction& critic) {
  if (const auto* mlp = dynamic_cast<const MlpValue*>(&critic)) return mlp->net().params();
  return dynamic_cast<const TabularValue&>(critic).table();
}

void set_critic_params(ValueFunction& critic, const Eigen::VectorXd& phi) {
  if (auto* mlp = dynamic_cast<MlpValue*>(&critic))
    mlp->set_params(phi);
  else
    dynamic_cast<TabularValue&>(critic).set_table(phi);
}

}  // namespace

void PpoAlgorithm::critic_values(AlgoContext& ctx, int n) {
  if (auto* mlp = dynamic_cast<MlpValue*>(ctx.critic)) {
    const Eigen::Ref<const Eigen::MatrixXd> v = mlp->mutable_net().forward(x_mb_.leftCols(n));
    for (int j = 0; j < n; ++j) v_[j] = v(0, j);
    return;
  }
  const auto& table = dynamic_cast<const TabularValue&>(*ctx.critic).table();
  for (int j = 0; j < n; ++j) v_[j] = table[idx_mb_[j]];
}

std::string PpoAlgorithm::update(AlgoContext& ctx, const Batch& batch, const Estimate& est,
                                 UpdateStats& stats) {
  (void)batch;
  const PpoSettings& p = ctx.scenario.ppo;
  const int M = est.num_steps();
  const int K = p.epochs;
  const int B = std::max(1, std::min(p.minibatches, M));  // minibatches per epoch (each non-empty)
  if (M == 0) return "";
  ValueFunction& critic = *ctx.critic;

  // Scratch for the largest minibatch, ⌈M/B⌉ steps.
  const int cap = (M + B - 1) / B;
  const int dim = static_cast<int>(x_all_.rows());
  if (x_mb_.rows() != dim || x_mb_.cols() < cap) x_mb_.resize(dim, cap);
  for (auto* v : {&idx_mb_, &act_mb_}) v->resize(cap);
  u_mb_.resize(static_cast<size_t>(cap) * udim_);
  for (auto* v : {&logp_old_mb_, &adv_mb_, &target_mb_, &v_old_mb_, &logp_, &ent_, &ratio_,
                  &scale_logp_, &scale_ent_, &v_})
    v->resize(cap);
  if (d_v_.cols() < cap) d_v_.resize(1, cap);
  g_theta_.resize(ctx.policy.num_params());
  g_phi_.resize(critic.num_params());
  theta_start_ = ctx.policy.params();
  phi_start_ = critic_params(critic);
  // θ and φ the minibatches step (Adam in place, then set_params): after every minibatch the
  // policy and the critic hold exactly these copies and nothing else moves them inside update(), so
  // they are copied in once here, not read back before every step.
  theta_ = theta_start_;
  phi_ = phi_start_;

  // The critic steps at the actor's (annealed) step size: one Adam over both, as in CleanRL.
  critic_opt_->set_lr(ctx.optimizer.lr());

  record_.iteration = ctx.iteration;
  record_.clip_eps = p.clip_eps;
  record_.beta_used = beta_;
  for (auto* v : {&record_.ratio_first, &record_.adv_first, &record_.ratio_last, &record_.adv_last})
    v->resize(M);
  record_.minibatch_first.resize(M);
  record_.minibatch_last.resize(M);
  record_.ratio_all.resize(static_cast<size_t>(K) * M);
  record_.adv_all.resize(static_cast<size_t>(K) * M);
  record_.epoch_clip_fraction.resize(K);
  record_.epoch_kl_k1.resize(K);
  record_.epoch_kl_k3.resize(K);
  counts_ = ClipCounts{};
  sum_k1_ = sum_k2_ = sum_k3_ = sum_ratio_ = sum_entropy_ = sum_surrogate_ = 0.0;
  sum_value_loss_ = sum_grad_norm_ = 0.0;
  ratio_min_ = std::numeric_limits<double>::infinity();
  ratio_max_ = -std::numeric_limits<double>::infinity();
  samples_ = 0;
  steps_ = 0;

  perm_.resize(M);
  for (int e = 0; e < K; ++e) {
    // A fresh permutation per epoch, a function of (seed, iteration, epoch) alone (Fisher–Yates).
    std::iota(perm_.begin(), perm_.end(), 0);
    Rng rng = Rng::stream(ctx.seed, static_cast<uint64_t>(ctx.iteration), static_cast<uint64_t>(e),
                          Purpose::kMinibatch);
    for (int k = M - 1; k > 0; --k)
      std::swap(perm_[k], perm_[rng.below(static_cast<uint32_t>(k + 1))]);
    epoch_counts_ = ClipCounts{};
    epoch_k1_ = epoch_k3_ = 0.0;
    epoch_samples_ = 0;
    for (int b = 0; b < B; ++b) {
      throw_if_cancelled(ctx.cancel);  // a big update runs for seconds
      if (ctx.progress) ctx.progress->fetch_add(1, std::memory_order_relaxed);
      const int lo = static_cast<int>(static_cast<long>(b) * M / B);
      const int hi = static_cast<int>(static_cast<long>(b + 1) * M / B);
      const int n = hi - lo;
      for (int j = 0; j < n; ++j) {
        const int k = perm_[lo + j];
        // (x_mb_ and x_all_ are dim × cols: a column is dim adjacent values. A plain copy: Eigen's
        // assignment of a 4-row column ran with its per-expression checks.)
        std::copy_n(x_all_.data() + static_cast<std::ptrdiff_t>(k) * dim, dim,
                    x_mb_.data() + static_cast<std::ptrdiff_t>(j) * dim);
        idx_mb_[j] = idx_all_[k];
        act_mb_[j] = act_all_[k];
        for (int d = 0; d < udim_; ++d)
          u_mb_[static_cast<size_t>(j) * udim_ + d] = u_all_[static_cast<size_t>(k) * udim_ + d];
        logp_old_mb_[j] = logp_old_[k];
        adv_mb_[j] = est.advantages[k];
        target_mb_[j] = est.targets[k];
        v_old_mb_[j] = est.values[k];
      }
      // Â ← (Â − mean_B Â) / (std_B Â + 1e-8) over the minibatch.
      if (ctx.scenario.advantage.normalize) normalize_in_place(adv_mb_.data(), n);
      const std::string fault = minibatch_step(ctx, n, e == 0 && b == 0);
      if (!fault.empty()) {
        ctx.policy.set_params(theta_start_);
        set_critic_params(critic, phi_start_);
        return fault;
      }
      // Keep the first and last epochs' (r, Â) for the clip view.
      for (int j = 0; j < n; ++j) {
        record_.ratio_all[static_cast<size_t>(e) * M + lo + j] = ratio_[j];
        record_.adv_all[static_cast<size_t>(e) * M + lo + j] = adv_mb_[j];
        if (e == 0) {
          record_.ratio_first[lo + j] = ratio_[j];
          record_.adv_first[lo + j] = adv_mb_[j];
          record_.minibatch_first[lo + j] = b;
        }
        if (e == K - 1) {
          record_.ratio_last[lo + j] = ratio_[j];
          record_.adv_last[lo + j] = adv_mb_[j];
          record_.minibatch_last[lo + j] = b;
        }
      }
    }
    record_.epoch_clip_fraction[e] = epoch_counts_.clip_fraction();
    record_.epoch_kl_k1[e] = epoch_k1_ / static_cast<double>(epoch_samples_);
    record_.epoch_kl_k3[e] = epoch_k3_ / static_cast<double>(epoch_samples_);
  }

  // kl-penalty: d = mean KL at the final θ; β doubles above 1.5·target and halves below target/1.5.
  record_.beta_next = beta_;
  if (p.objective == PpoObjectiveKind::kKlPenalty) {
    const double d = final_kl(ctx, est);
    stats.set("kl_after", d);
    if (p.adaptive_beta) beta_ = adapt_beta(beta_, d, p.kl_target);
    record_.beta_next = beta_;
    stats.set("beta", record_.beta_used);
    stats.set("beta_next", beta_);
  }

  // Statistics over every sample of every minibatch of every epoch (1/(K·M) each).
  const double inv = 1.0 / static_cast<double>(samples_);
  stats.set("surrogate", sum_surrogate_ * inv);
  stats.set("value_loss", sum_value_loss_ * inv);
  stats.set("entropy", sum_entropy_ * inv);
  stats.set("approx_kl_k1", sum_k1_ * inv);
  stats.set("approx_kl_k2", sum_k2_ * inv);
  stats.set("approx_kl_k3", sum_k3_ * inv);
  stats.set("clip_fraction", counts_.clip_fraction());
  // Split by the side of the band and the sign of Â: the two flat (zero-gradient) regions, and the
  // two where the min keeps r Â and the gradient still flows.
  stats.set("clip_frac_high_pos", counts_.above_flat * inv);
  stats.set("clip_frac_low_neg", counts_.below_flat * inv);
  stats.set("clip_frac_no_grad", (counts_.above_flat + counts_.below_flat) * inv);
  stats.set("clip_frac_high_neg", counts_.above_active * inv);
  stats.set("clip_frac_low_pos", counts_.below_active * inv);
  stats.set("ratio_min", ratio_min_);
  stats.set("ratio_mean", sum_ratio_ * inv);
  stats.set("ratio_max", ratio_max_);
  stats.set("first_ratio_max_abs_dev", record_.first_ratio_max_abs_dev);
  stats.set("first_ratio_is_one", record_.first_ratio_is_one ? 1.0 : 0.0);
  stats.set("grad_norm", sum_grad_norm_ / steps_);
  stats.set("minibatch_steps", steps_);
  stats.set("lr", ctx.optimizer.lr());
  // explained variance 1 − Var(y − V_old) / Var(y) of the values the advantages used.
  double my = 0.0, mr = 0.0;
  for (int k = 0; k < M; ++k) {
    my += est.targets[k];
    mr += est.targets[k] - est.values[k];
  }
  my /= M;
  mr /= M;
  double vy = 0.0, vr = 0.0;
  for (int k = 0; k < M; ++k) {
    vy += (est.targets[k] - my) * (est.targets[k] - my);
    const double r = est.targets[k] - est.values[k] - mr;
    vr += r * r;
  }
  stats.set("explained_variance",
            vy > 0.0 ? 1.0 - vr / vy : std::numeric_limits<double>::quiet_NaN());
  return "";
}

std::string PpoAlgorithm::minibatch_step(AlgoContext& ctx, int n, bool first) {
  const AlgorithmSettings& a = ctx.scenario.algorithm;
  const PpoSettings& p = ctx.scenario.ppo;
  const double eps = p.clip_eps;
  const Eigen::Ref<const Eigen::MatrixXd> X = x_mb_.leftCols(n);

  // g_θ = ∇θ (L + c₂ H̄), with log π_θ, H and r per sample.
  const PpoObjective obj{p.objective == PpoObjectiveKind::kKlPenalty, eps, beta_, a.entropy_coef};
  g_theta_.setZero();
  sum_surrogate_ += n * ppo_policy_gradient(
                            ctx.policy, X, idx_mb_.data(),
                            ActionsRef(act_mb_.data(), udim_ ? u_mb_.data() : nullptr, udim_),
                            logp_old_mb_.data(), adv_mb_.data(), n, obj, logp_.data(), ent_.data(),
                            ratio_.data(), scale_logp_.data(), scale_ent_.data(), g_theta_);
  double dev = 0.0;
  for (int j = 0; j < n; ++j) {
    const double log_ratio = logp_[j] - logp_old_mb_[j];
    const double ratio = ratio_[j];
    dev = std::max(dev, std::abs(ratio - 1.0));
    const ClipRegion region = clip_region(ratio, adv_mb_[j], eps);
    counts_.add(region);
    epoch_counts_.add(region);
    const double k3 = kl::k3(log_ratio);  // an expm1 and a log: once for both sums
    sum_k1_ += kl::k1(log_ratio);
    sum_k2_ += kl::k2(log_ratio);
    sum_k3_ += k3;
    epoch_k1_ += kl::k1(log_ratio);
    epoch_k3_ += k3;
    sum_ratio_ += ratio;
    ratio_min_ = std::min(ratio_min_, ratio);
    ratio_max_ = std::max(ratio_max_, ratio);
    sum_entropy_ += ent_[j];
  }
  samples_ += n;
  epoch_samples_ += n;
  if (first) {
    // θ = θ_old on the first minibatch of the first epoch: every ratio is 1 (see
    // kFirstRatioTolerance).
    record_.first_ratio_max_abs_dev = dev;
    record_.first_ratio_is_one = dev <= kFirstRatioTolerance;
  }

  // L_V and g_φ = −c₁ ∇φ L_V: the critic ascends −c₁ L_V.
  ValueFunction& critic = *ctx.critic;
  critic_values(ctx, n);
  sum_value_loss_ += n * ppo_value_loss(v_.data(), v_old_mb_.data(), target_mb_.data(), n,
                                        p.clip_value, eps, a.value_coef, d_v_.data());
  g_phi_.setZero();
  if (auto* mlp = dynamic_cast<MlpValue*>(&critic)) {
    mlp->mutable_net().backward(d_v_.leftCols(n), g_phi_);
  } else {
    for (int j = 0; j < n; ++j) g_phi_[idx_mb_[j]] += d_v_(0, j);
  }

  // (g_θ, g_φ) · min(1, max_grad_norm / ‖(g_θ, g_φ)‖): the joint norm of the whole agent.
  const double norm = std::sqrt(g_theta_.squaredNorm() + g_phi_.squaredNorm());
  sum_grad_norm_ += norm;
  ++steps_;
  if (!std::isfinite(norm))
    return "the PPO gradient at iteration " + std::to_string(ctx.iteration) +
           " is not finite (NaN or Inf); " + fault_advice(ctx.scenario, false);
  if (a.max_grad_norm > 0.0 && norm > a.max_grad_norm) {
    const double shrink = a.max_grad_norm / norm;
    g_theta_ *= shrink;
    g_phi_ *= shrink;
  }

  // θ, φ ← Adam steps (ascent) with the same step size (theta_ and phi_ are the policy's and the
  // critic's parameters: see update()).
  ctx.optimizer.step(theta_, g_theta_);
  critic_opt_->step(phi_, g_phi_);
  if (!all_finite(theta_) || !all_finite(phi_))
    return "the parameters became non-finite at iteration " + std::to_string(ctx.iteration) +
           "; lower algorithm.lr, then reset";
  ctx.policy.set_params(theta_);
  set_critic_params(critic, phi_);
  return "";
}

double PpoAlgorithm::final_kl(AlgoContext& ctx, const Estimate& est) {
  const int M = est.num_steps();
  if (static_cast<int>(logp_.size()) < M) logp_.resize(M);
  ctx.policy.log_prob_batch(x_all_.leftCols(M), idx_all_.data(),
                            ActionsRef(act_all_.data(), udim_ ? u_all_.data() : nullptr, udim_), M,
                            logp_.data(), nullptr);
  // d = (1/M) Σ_t k3_t,  k3 = (r − 1) − log r at the final θ
  double d = 0.0;
  for (int k = 0; k < M; ++k) d += kl::k3(logp_[k] - logp_old_[k]);
  return d / M;
}

// ---------------------------------------------------------------------------------------------
// What PPO tells the views

void PpoAlgorithm::settings_changed(const Scenario& s) {
  // (advantage.* takes effect at the next estimate, which sets advantage_.)
  if (critic_opt_->name() != s.algorithm.optimizer)
    critic_opt_ = make_optimizer(s.algorithm.optimizer, critic_opt_->lr());
}

AlgorithmInfo PpoAlgorithm::info(const Scenario& s) const {
  using Role = FormulaPart::Role;
  const bool kl = s.ppo.objective == PpoObjectiveKind::kKlPenalty;
  AlgorithmInfo info;
  info.title = kl ? "PPO (KL penalty)" : "PPO (clip)";
  info.loss_form = LossForm::kRatio;
  info.analyses = static_cast<unsigned>(Analysis::kAdvantageEstimators) |
                  static_cast<unsigned>(Analysis::kCriticEffect);
  if (!kl) info.analyses |= static_cast<unsigned>(Analysis::kClipping);
  Formula& f = info.objective;
  if (kl) {
    // L = (1/|B|) Σ_j [r_j Â_j − β k3_j]
    add_part(f, "L = mean(r ");
    add_part(f, "Â", Role::kWeight);
    add_part(f, " − β k3),  k3 = (r − 1) − log r");
  } else {
    // L = (1/|B|) Σ_j min(r_j Â_j, clip(r_j, 1−ε, 1+ε) Â_j)
    add_part(f, "L = mean min(r ");
    add_part(f, "Â", Role::kWeight);
    add_part(f, ", clip(r, 1−ε, 1+ε) ");
    add_part(f, "Â", Role::kWeight);
    add_part(f, ")");
  }
  add_line_break(f);
  // At θ_old every r is 1: ĝ = ∇L(θ_old) is A2C's.
  const AdvantageConfig a = advantage_config(s, advantage_.gamma);
  const Formula g = actor_critic_gradient_formula(a, s.advantage.normalize, &advantage_);
  add_part(f, "at θ_old (r = 1): ");
  f.insert(f.end(), g.begin(), g.end());
  char buf[200];
  if (kl && s.ppo.adaptive_beta)
    // β now (the next update's), not the scenario's starting value: it moves every update.
    std::snprintf(buf, sizeof buf,
                  "r = π(a|s)/π_old(a|s); β = %.3g now (from %.3g, adapted to the KL target "
                  "after each update); %d epochs × %d minibatches",
                  beta_, s.ppo.kl_beta, s.ppo.epochs, s.ppo.minibatches);
  else if (kl)
    std::snprintf(buf, sizeof buf, "r = π(a|s)/π_old(a|s); β = %.3g; %d epochs × %d minibatches",
                  s.ppo.kl_beta, s.ppo.epochs, s.ppo.minibatches);
  else
    std::snprintf(buf, sizeof buf, "r = π(a|s)/π_old(a|s); ε = %.3g; %d epochs × %d minibatches",
                  s.ppo.clip_eps, s.ppo.epochs, s.ppo.minibatches);
  add_note(f, buf);
  // What the update climbs besides L (the audit found PPO's panel without it, A2C's with it).
  std::snprintf(buf, sizeof buf,
                "the update climbs L + c₂ H (entropy bonus c₂ = %.3g, H the minibatch's mean "
                "entropy); the critic V is fitted to Â + V (weight c₁ = %.3g)",
                s.algorithm.entropy_coef, s.algorithm.value_coef);
  add_note(f, buf);
  if (s.advantage.normalize) add_note(f, "the update normalises Â over each minibatch");
  return info;
}

void PpoAlgorithm::decompose(const DecomposeInput& in, StepDecomposition& out) const {
  const Estimate& est = in.estimate;
  if (!estimate_matches_batch(in))
    return decompose_weight_only(in, "the estimate is not of this batch: no pieces to show", out);
  if (!is_actor_critic_estimate(est)) return decompose_reinforce(in, out);
  const Batch& batch = in.batch;
  const int N = est.num_trajectories, M = est.num_steps();
  const double eps = record_.clip_eps;
  // β of the update that moved θ_old to the current θ, or (before it) the one it will use.
  const bool moved = &in.current != &in.behaviour && in.current.params() != in.behaviour.params();
  const double beta = moved && record_.iteration >= 0 ? record_.beta_used : beta_;
  DecompositionBuilder b(est);
  std::vector<double> w;
  actor_critic_columns(in, advantage_, b, w);
  std::vector<double>& ratio =
      b.column("r", "π_current(a|s) / π_old(a|s): 1 at θ_old, moved by the update");
  for (int i = 0; i < N; ++i) {
    const Trajectory& tr = batch.trajectories[i];
    for (int t = 0; t < tr.length(); ++t)
      // r = exp(log π_θ(a|s) − log π_old(a|s))
      ratio[est.offset[i] + t] = std::exp(in.current.log_prob(tr.obs_at(t), tr.act_at(t)) -
                                          in.behaviour.log_prob(tr.obs_at(t), tr.act_at(t)));
  }
  // After the update (the batch stays on screen while θ has moved) r and the terms are the
  // update's effect on each sample; ĝ was taken before it, at θ_old, where r = 1.
  b.derive(moved ? "r = π_current(aₜ|sₜ) / π_old(aₜ|sₜ) at the θ this batch's update reached "
                   "(r = 1 at θ_old)"
                 : "r = π_current(aₜ|sₜ) / π_old(aₜ|sₜ)");
  const char* at_old = moved ? "ĝ was taken at θ_old, where r = 1" : "at θ_old r = 1";
  std::vector<int> cases;
  if (kl_penalty_) {
    std::vector<double>& k3 = b.column("k3", "(r − 1) − log r: the sampled KL(π_old ‖ π) term");
    std::vector<double>& term =
        b.column("r w − β k3", "the sample's term of the penalised objective");
    for (int k = 0; k < M; ++k) {
      k3[k] = kl::k3(std::log(ratio[k]));
      term[k] = ratio[k] * w[k] - beta * k3[k];
    }
    b.derive("Lₜ = r w − β k3,  β = " + formula_number(beta) +
             (moved ? " (its value at that θ)" : ""));
    b.derive(std::string(at_old) + " and ∇k3 = 0, so ∇Lₜ = w ∇log π(aₜ|sₜ): the weight is w");
  } else {
    std::vector<double>& term =
        b.column("min(r w, clip(r) w)", "the sample's clipped surrogate term");
    cases.resize(M);
    for (int k = 0; k < M; ++k) {
      term[k] = clipped_surrogate(ratio[k], w[k], eps);
      cases[k] = static_cast<int>(clip_case_of(ratio[k], w[k], eps));
    }
    char buf[128];
    std::snprintf(buf, sizeof buf, "Lₜ = min(r w, clip(r, 1−ε, 1+ε) w),  ε = %.3g%s", eps,
                  moved ? " (its value at that θ)" : "");
    b.derive(buf);
    b.derive(std::string(at_old) +
             " (inside the band, nothing clipped), so ∇Lₜ = w ∇log π(aₜ|sₜ): the weight is w");
  }
  b.derive(est.config.normalize
               ? "w = norm Âₜ (over the batch; the update renormalises per minibatch)"
               : "w = Âₜ");
  b.derive("ĝ = 1/M Σₜ w ∇log π(aₜ|sₜ),  M = " + std::to_string(M) + " steps");
  b.finish(est, "wₜ", out);
  out.clip_case = std::move(cases);
}

}  // namespace pg
