#include "algo/grpo.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "algo/decompose.h"
#include "algo/formula.h"
#include "algo/reinforce_algo.h"
#include "env/tabular_model.h"
#include "exact/exact.h"
#include "policy/mlp_softmax.h"
#include "policy/policy.h"
#include "session/session.h"
#include "util/cancel.h"
#include "util/error.h"
#include "util/rng.h"

namespace pg {

int grpo_prompt(uint64_t seed, int iteration, int group, int num_prompts) {
  Rng rng = Rng::stream(seed, static_cast<uint64_t>(iteration),
                        (1ULL << 40) + static_cast<uint64_t>(group), Purpose::kEnvReset);
  return static_cast<int>(rng.below(static_cast<uint32_t>(num_prompts)));
}

void grpo_group_advantages(const double* R, int G, bool std_normalize, bool leave_one_out,
                           double eps, double* adv, double* b) {
  PG_ASSERT(G >= 1 && (!leave_one_out || G >= 2),
            "a leave-one-out baseline needs a group of at least 2");
  double lo = R[0], hi = R[0], max_abs = 0.0;
  for (int i = 0; i < G; ++i) {
    lo = std::min(lo, R[i]);
    hi = std::max(hi, R[i]);
    max_abs = std::max(max_abs, std::abs(R[i]));
  }
  // Computed on r_i = R_i / 2^e with 2^e the scale of max |R_i|: the sum and the squares stay
  // finite for rewards near ±1e308 (unscaled, (1e308)² overflowed, σ was inf and every Â 0). A
  // power of two scales exactly, so rewards that did not overflow give the same bits as before.
  int e = 0;
  if (max_abs > 0.0 && std::isfinite(max_abs)) std::frexp(max_abs, &e);
  double sum = 0.0;
  for (int i = 0; i < G; ++i) sum += std::ldexp(R[i], -e);
  // mean_g = (1/G) Σ_j R_j;  σ_g = √((1/G) Σ_j (R_j − mean_g)²)   (both over 2^e)
  const double mean = sum / G;
  double ss = 0.0;
  for (int i = 0; i < G; ++i) {
    const double d = std::ldexp(R[i], -e) - mean;
    ss += d * d;
  }
  const double sigma = std::sqrt(ss / G);
  const double scaled_eps = std::ldexp(eps, -e);
  for (int i = 0; i < G; ++i) {
    const double r = std::ldexp(R[i], -e);
    // b_i = mean_g, or (Σ_j R_j − R_i) / (G − 1) leaving i out
    const double baseline = leave_one_out ? (sum - r) / (G - 1) : mean;
    if (b) b[i] = std::ldexp(baseline, e);
    // Â_i = (R_i − b_i) / (σ_g + ε)  (or R_i − b_i);  exactly 0 without spread
    adv[i] = hi == lo        ? 0.0
             : std_normalize ? (r - baseline) / (sigma + scaled_eps)
                             : std::ldexp(r - baseline, e);
  }
}

GrpoAlgorithm::GrpoAlgorithm(const Scenario& s) : cfg_(s.grpo), seed_(s.seed) {
  // Groups share a prompt: the environment must have prompts that before_episode() can pin.
  const std::unique_ptr<Env> env = make_env(s);
  if (env->num_prompts() <= 0)
    throw InputError("algorithm.name",
                     "grpo compares groups of completions of one prompt and needs "
                     "env.kind=token-task (got " +
                         env->name() + ")");
  if (cfg_.group_size < 2)
    throw InputError("grpo.group_size",
                     "a group needs at least 2 completions to compare; allowed: ≥ 2");
  if (s.algorithm.batch_episodes != cfg_.prompts * cfg_.group_size)
    throw InputError("algorithm.batch_episodes",
                     "grpo samples grpo.prompts × grpo.group_size = " +
                         std::to_string(cfg_.prompts * cfg_.group_size) +
                         " episodes per batch; set it to that or leave it out");
  num_prompts_ = s.env.digits * s.env.digits;
  record_.eps = kGrpoEps;
}

GrpoAlgorithm::GrpoAlgorithm(const GrpoAlgorithm& o)
    : Algorithm(o),
      cfg_(o.cfg_),
      seed_(o.seed_),
      num_prompts_(o.num_prompts_),
      ref_(o.ref_ ? o.ref_->clone() : nullptr),
      ref_log_probs_(o.ref_log_probs_),
      record_(o.record_),
      offset_(o.offset_),
      logp_old_(o.logp_old_),
      logp_ref_(o.logp_ref_),
      logp_(o.logp_),
      scale_(o.scale_),
      index_(o.index_),
      actions_(o.actions_),
      X_(o.X_),
      P_(o.P_),
      grad_(o.grad_),
      last_kl_(o.last_kl_),
      reward_mean_(o.reward_mean_),
      success_rate_(o.success_rate_),
      zero_spread_fraction_(o.zero_spread_fraction_) {}

void GrpoAlgorithm::before_episode(Env& env, int iteration, int episode) const {
  PG_ASSERT(env.num_prompts() > 0, "GrpoAlgorithm runs on prompts (checked when it is built)");
  env.set_prompt(grpo_prompt(seed_, iteration, episode / cfg_.group_size, env.num_prompts()));
}

void GrpoAlgorithm::begin_iteration(AlgoContext& ctx) {
  if (ref_) return;
  // π_ref = π_θ at the start of training, frozen from here on.
  ref_ = ctx.behaviour.clone();
  const TabularModel* m = ctx.env.model();
  if (!m) return;
  const int S = m->num_states(), A = ref_->num_actions();
  ref_log_probs_.setZero(S, A);
  std::vector<double> x(ctx.env.obs_dim()), p(A);
  for (int s = 0; s < S; ++s) {
    if (m->terminal(s)) continue;
    const int o = m->obs_of_state(s);
    ctx.env.features_of(o, x.data());
    ref_->probs(ObsRef{o, x.data()}, p.data());
    for (int a = 0; a < A; ++a) ref_log_probs_(s, a) = std::log(p[a]);
  }
}

void GrpoAlgorithm::log_probs(const Policy& policy, const Batch& batch, std::vector<double>& out) {
  const int M = offset_.back(), A = policy.num_actions();
  out.resize(M);
  if (P_.rows() != A || P_.cols() < M) P_.resize(A, std::max<Eigen::Index>(M, P_.cols()));
  if (const auto* mlp = dynamic_cast<const MlpSoftmax*>(&policy)) {
    mlp->probs_batch(X_, P_.leftCols(M));
  } else {
    for (int i = 0; i < batch.size(); ++i)
      for (int t = 0; t < batch.trajectories[i].length(); ++t)
        policy.probs(batch.trajectories[i].obs_at(t), P_.col(offset_[i] + t).data());
  }
  for (int j = 0; j < M; ++j) out[j] = std::log(P_(actions_[j], j));
}

void GrpoAlgorithm::estimate(AlgoContext& ctx, const Batch& batch, Estimate& est) {
  PG_ASSERT(ref_, "GrpoAlgorithm::estimate before begin_iteration (the session calls it first)");
  const Env& task = ctx.env;  // has prompts (checked when the algorithm is built)
  const int N = batch.size(), G = cfg_.group_size;
  PG_ASSERT(N % G == 0, "a GRPO batch is whole groups: batch_episodes = prompts × group_size");
  const int P = N / G;

  // Flat per-step arrays: index, action, log π_old (the sampling policy's, from the trajectory).
  offset_.assign(N + 1, 0);
  for (int i = 0; i < N; ++i) offset_[i + 1] = offset_[i] + batch.trajectories[i].length();
  const int M = offset_.back();
  index_.resize(M);
  actions_.resize(M);
  logp_old_.resize(M);
  scale_.resize(M);
  const bool features = ctx.behaviour.kind() == PolicyKind::kMlp;
  if (features) X_.resize(ctx.env.obs_dim(), M);
  for (int i = 0; i < N; ++i) {
    const Trajectory& tr = batch.trajectories[i];
    for (int t = 0; t < tr.length(); ++t) {
      const int j = offset_[i] + t;
      index_[j] = tr.obs_index[t];
      actions_[j] = tr.actions[t];
      logp_old_[j] = tr.logp[t];
      if (features)
        X_.col(j) = Eigen::Map<const Eigen::VectorXd>(
            tr.obs.data() + static_cast<size_t>(t) * tr.obs_dim, tr.obs_dim);
    }
  }
  log_probs(*ref_, batch, logp_ref_);

  // Groups: R_i, b_i, Â_i.
  record_.completions.resize(N);
  record_.groups.resize(P);
  std::vector<double> R(G), adv(G), b(G);
  int zero_spread = 0, successes = 0;
  double reward_sum = 0.0;
  for (int g = 0; g < P; ++g) {
    for (int k = 0; k < G; ++k) R[k] = batch.trajectories[g * G + k].total_reward();
    grpo_group_advantages(R.data(), G, cfg_.std_normalize, cfg_.leave_one_out, kGrpoEps, adv.data(),
                          b.data());
    GrpoGroup& grp = record_.groups[g];
    grp.first = g * G;
    grp.prompt = task.prompt_of_state(batch.trajectories[g * G].state[0]);
    double mean = 0.0, ss = 0.0;
    for (int k = 0; k < G; ++k) mean += R[k] / G;
    for (int k = 0; k < G; ++k) ss += (R[k] - mean) * (R[k] - mean);
    grp.mean = mean;
    grp.std = std::sqrt(ss / G);
    grp.zero_spread =
        *std::min_element(R.begin(), R.end()) == *std::max_element(R.begin(), R.end());
    zero_spread += grp.zero_spread ? 1 : 0;
    for (int k = 0; k < G; ++k) {
      const Trajectory& tr = batch.trajectories[g * G + k];
      GrpoCompletion& c = record_.completions[g * G + k];
      c.prompt = task.prompt_of_state(tr.state[0]);
      c.group = g;
      c.reward = R[k];
      c.baseline = b[k];
      c.advantage = adv[k];
      c.length = tr.length();
      reward_sum += R[k];
      successes += R[k] == 1.0 ? 1 : 0;
    }
  }

  // Sampled KL(π_old ‖ π_ref), token means: k1 = −log ρ, k2 = ½ (log ρ)², k3 = ρ − 1 − log ρ.
  GrpoKlPoint kl;
  kl.iteration = ctx.iteration;
  kl.k1_min = kl.k3_min = M > 0 ? INFINITY : 0.0;
  for (int j = 0; j < M; ++j) {
    const double log_rho = logp_ref_[j] - logp_old_[j];
    const double k1 = kl::k1(log_rho), k3 = kl::k3(log_rho);
    kl.k1 += k1 / M;
    kl.k2 += kl::k2(log_rho) / M;
    kl.k3 += k3 / M;
    kl.k1_min = std::min(kl.k1_min, k1);
    kl.k3_min = std::min(kl.k3_min, k3);
  }
  // Exact: Σ_s d(s) Σ_a π_old(a|s) (log π_old(a|s) − log π_ref(a|s)) / Σ_s d(s).
  kl.exact = std::numeric_limits<double>::quiet_NaN();
  if (ctx.exact && ref_log_probs_.rows() == ctx.exact->probs.rows()) {
    double num = 0.0, den = 0.0;
    for (Eigen::Index s = 0; s < ctx.exact->d.size(); ++s) {
      const double d = ctx.exact->d[s];
      if (d == 0.0) continue;
      double kl_s = 0.0;
      for (Eigen::Index a = 0; a < ctx.exact->probs.cols(); ++a) {
        const double pi = ctx.exact->probs(s, a);
        if (pi > 0.0) kl_s += pi * (std::log(pi) - ref_log_probs_(s, a));
      }
      num += d * kl_s;
      den += d;
    }
    kl.exact = den > 0.0 ? num / den : 0.0;
  }
  last_kl_ = kl;
  if (!record_.kl_history.empty() && record_.kl_history.back().iteration == kl.iteration)
    record_.kl_history.pop_back();
  if (record_.kl_history.size() >= kKlHistory) record_.kl_history.erase(record_.kl_history.begin());
  record_.kl_history.push_back(kl);
  record_.iteration = ctx.iteration;

  // The Estimate: ĝ = ∇J at θ_old, and per step what the ledger needs (header).
  est.config = EstimatorConfig{Returns::kTotal,
                               cfg_.leave_one_out ? Baseline::kLeaveOneOut : Baseline::kMean,
                               cfg_.std_normalize, false};
  est.gamma = ctx.env.gamma();
  est.num_trajectories = N;
  est.offset = offset_;
  est.q_hat.resize(M);
  est.baseline.resize(M);
  est.psi.resize(M);
  est.reward_to_go.resize(M);
  est.optimal_b.resize(0);
  const double beta = cfg_.kl_coef;
  for (int i = 0; i < N; ++i) {
    const int T = batch.trajectories[i].length();
    reward_to_go(batch.trajectories[i], est.gamma, est.reward_to_go.data() + offset_[i]);
    for (int t = 0; t < T; ++t) {
      const int j = offset_[i] + t;
      const double rho = std::exp(logp_ref_[j] - logp_old_[j]);
      est.q_hat[j] = record_.completions[i].reward;
      est.baseline[j] = record_.completions[i].baseline;
      // ψ_it = (Â_i − β (1 − ρ_it)) / |o_i|
      est.psi[j] = (record_.completions[i].advantage - beta * (1.0 - rho)) / T;
    }
  }
  objective(ctx.behaviour, batch, est.gradient);
  reward_mean_ = reward_sum / N;
  success_rate_ = static_cast<double>(successes) / N;
  zero_spread_fraction_ = static_cast<double>(zero_spread) / P;
}

double grpo_token_objective(const std::vector<int>& offset, const double* adv, const double* logp,
                            const double* logp_old, const double* logp_ref, double clip_eps,
                            double beta, double* scale, int* clipped) {
  const int N = static_cast<int>(offset.size()) - 1;
  double J = 0.0;
  int n_clipped = 0;
  for (int i = 0; i < N; ++i) {
    const int T = offset[i + 1] - offset[i];
    const double A = adv[i];
    // w_it = 1 / (N |o_i|):  (1/P) Σ_g (1/G) Σ_i (1/|o_i|) Σ_t
    const double w = 1.0 / (static_cast<double>(N) * T);
    for (int j = offset[i]; j < offset[i + 1]; ++j) {
      // r = π_θ / π_old;  ρ = π_ref / π_θ
      const double ratio = std::exp(logp[j] - logp_old[j]);
      const double log_rho = logp_ref[j] - logp[j];
      const double surr1 = ratio * A;
      const double surr2 = std::clamp(ratio, 1.0 - clip_eps, 1.0 + clip_eps) * A;
      // min(r Â, clip(r) Â) − β KL_k3
      J += w * (std::min(surr1, surr2) - beta * kl::k3(log_rho));
      // ∂/∂ log π: 1{unclipped} r Â − β (1 − ρ)
      scale[j] = w * ((surr1 <= surr2 ? surr1 : 0.0) - beta * (1.0 - std::exp(log_rho)));
      n_clipped += std::abs(ratio - 1.0) > clip_eps ? 1 : 0;
    }
  }
  if (clipped) *clipped = n_clipped;
  return J;
}

double GrpoAlgorithm::objective(const Policy& policy, const Batch& batch, Eigen::VectorXd& grad,
                                int* clipped) {
  const int N = batch.size(), M = offset_.back();
  log_probs(policy, batch, logp_);
  std::vector<double> adv(N);
  for (int i = 0; i < N; ++i) adv[i] = record_.completions[i].advantage;
  const double J =
      grpo_token_objective(offset_, adv.data(), logp_.data(), logp_old_.data(), logp_ref_.data(),
                           cfg_.clip_eps, cfg_.kl_coef, scale_.data(), clipped);
  grad.setZero(policy.num_params());
  policy.add_grad_log_prob_batch(X_.leftCols(policy.kind() == PolicyKind::kMlp ? M : 0),
                                 index_.data(), actions_.data(), scale_.data(), M, grad);
  return J;
}

std::string GrpoAlgorithm::update(AlgoContext& ctx, const Batch& batch, const Estimate& est,
                                  UpdateStats& stats) {
  (void)est;
  const Eigen::VectorXd theta_old = ctx.policy.params();
  const int M = offset_.back();
  int clipped_total = 0;
  double J = 0.0, grad_norm = 0.0;
  for (int e = 0; e < cfg_.epochs; ++e) {
    throw_if_cancelled(ctx.cancel);
    int clipped = 0;
    J = objective(ctx.policy, batch, grad_, &clipped);
    clipped_total += clipped;
    add_entropy_bonus(ctx.policy, batch, ctx.scenario.algorithm.entropy_coef, grad_);
    grad_norm = clip_norm(grad_, ctx.scenario.algorithm.max_grad_norm);
    const std::string fault = apply_ascent(ctx, grad_);
    if (!fault.empty()) {
      ctx.policy.set_params(theta_old);  // the session pauses with θ as it was
      return fault;
    }
  }
  stats.set("reward_mean", reward_mean_);
  stats.set("success_rate", success_rate_);
  stats.set("zero_spread_fraction", zero_spread_fraction_);
  stats.set("kl_k1", last_kl_.k1);
  stats.set("kl_k2", last_kl_.k2);
  stats.set("kl_k3", last_kl_.k3);
  stats.set("kl_k1_min", last_kl_.k1_min);
  stats.set("kl_k3_min", last_kl_.k3_min);
  stats.set("kl_exact", last_kl_.exact);
  stats.set(
      "clip_fraction",
      M > 0 ? static_cast<double>(clipped_total) / (static_cast<double>(M) * cfg_.epochs) : 0.0);
  stats.set("objective", J);
  stats.set("grad_norm", grad_norm);
  return "";
}

AlgorithmInfo GrpoAlgorithm::info(const Scenario& s) const {
  using Role = FormulaPart::Role;
  const GrpoSettings& c = s.grpo;
  AlgorithmInfo info;
  info.title = "GRPO";
  info.loss_form = LossForm::kRatio;
  info.analyses = static_cast<unsigned>(Analysis::kGroups);
  Formula& f = info.objective;
  // J = (1/N) Σ_i (1/|o_i|) Σ_t [min(r Â_i, clip(r, 1−ε, 1+ε) Â_i) − β k3],  N = P·G
  add_part(f, "J = 1/N Σᵢ 1/|oᵢ| Σₜ [min(r ");
  add_part(f, "Âᵢ", Role::kWeight);
  add_part(f, ",");
  add_line_break(f);
  add_part(f, "      clip(r, 1−ε, 1+ε) ");
  add_part(f, "Âᵢ", Role::kWeight);
  add_part(f, ") − β k3]");
  add_line_break(f);
  add_part(f, "at θ_old (r = 1): ĝ = 1/N Σᵢ Σₜ ∇log π(aᵢₜ|sᵢₜ) ");
  add_part(f, "(Âᵢ − β(1 − π_ref/π)) / |oᵢ|", Role::kWeight);
  char buf[240];
  std::snprintf(buf, sizeof buf, "Âᵢ = (Rᵢ − %s)%s; Rᵢ the verifier's reward of completion i",
                c.leave_one_out ? "mean of the other G−1" : "mean of the group",
                c.std_normalize ? " / (std + ε)" : "");
  add_note(f, buf);
  std::snprintf(buf, sizeof buf,
                "k3 = π_ref/π − log(π_ref/π) − 1, β = %.3g; r = π/π_old, ε = %.3g; %d epochs",
                c.kl_coef, c.clip_eps, c.epochs);
  add_note(f, buf);
  std::snprintf(buf, sizeof buf,
                "N = %d: %d prompts × G = %d completions each; |oᵢ| = tokens of completion i",
                c.prompts * c.group_size, c.prompts, c.group_size);
  add_note(f, buf);
  add_entropy_bonus_note(f, s.algorithm.entropy_coef);
  return info;
}

void GrpoAlgorithm::decompose(const DecomposeInput& in, StepDecomposition& out) const {
  const Estimate& est = in.estimate;
  const Batch& batch = in.batch;
  const int N = est.num_trajectories, G = cfg_.group_size;
  const double beta = cfg_.kl_coef;
  if (!estimate_matches_batch(in))
    return decompose_weight_only(in, "the estimate is not of this batch: no pieces to show", out);
  if (N % G != 0) return decompose_reinforce(in, out);  // not GRPO's batch of whole groups
  DecompositionBuilder b(est);
  std::vector<double>& R = b.column("Rᵢ", "the verifier's reward of the completion");
  std::vector<double>& mu = b.column("μ", "mean reward of the group");
  std::vector<double>& sigma = b.column("σ", "population std of the group's rewards");
  std::vector<double>* base =
      cfg_.leave_one_out ? &b.column("bᵢ", "mean reward of the other G − 1") : nullptr;
  std::vector<double>& adv = b.column("Âᵢ", "the completion's group-relative advantage");
  std::vector<double>& inv_len = b.column("1/|oᵢ|", "one over the completion's tokens");
  std::vector<double>& rho =
      b.column("π_ref/π_old", "the reference policy's probability over the sampler's");
  std::vector<double>& k3 = b.column("β(1−π_ref/π)", "the k3 penalty's weight on ∇log π at θ_old");
  std::vector<double> r(G), a(G), bl(G), p(in.behaviour.num_actions());
  bool grpo_estimate = true;  // est's b are the groups' (else: a REINFORCE estimate of this batch)
  for (int g = 0; g < N / G; ++g) {
    for (int j = 0; j < G; ++j) r[j] = batch.trajectories[g * G + j].total_reward();
    // μ = (1/G) Σ_j R_j;  σ = √((1/G) Σ_j (R_j − μ)²)
    double m = 0.0, ss = 0.0;
    for (int j = 0; j < G; ++j) m += r[j] / G;
    for (int j = 0; j < G; ++j) ss += (r[j] - m) * (r[j] - m);
    grpo_group_advantages(r.data(), G, cfg_.std_normalize, cfg_.leave_one_out, kGrpoEps, a.data(),
                          bl.data());
    for (int j = 0; j < G; ++j) {
      const int i = g * G + j;
      const Trajectory& tr = batch.trajectories[i];
      for (int t = 0; t < tr.length(); ++t) {
        const int k = est.offset[i] + t;
        R[k] = r[j];
        mu[k] = m;
        sigma[k] = std::sqrt(ss / G);
        if (base) (*base)[k] = bl[j];
        grpo_estimate = grpo_estimate && est.baseline[k] == bl[j];
        adv[k] = a[j];
        inv_len[k] = 1.0 / tr.length();
        // ρ = π_ref(a|s) / π_old(a|s), π_old as the sampler recorded it (Trajectory::logp)
        double log_ref = tr.logp[t];
        if (ref_) {
          ref_->probs(tr.obs_at(t), p.data());
          log_ref = std::log(p[tr.actions[t]]);
        }
        rho[k] = std::exp(log_ref - tr.logp[t]);
        k3[k] = beta * (1.0 - rho[k]);
      }
    }
  }
  if (!grpo_estimate) return decompose_reinforce(in, out);
  const std::string b_sym = cfg_.leave_one_out ? "bᵢ" : "μ";
  b.derive(cfg_.std_normalize
               ? "Âᵢ = (Rᵢ − " + b_sym + ") / (σ + ε),  ε = 1e-4  (0 when the group has no spread)"
               : "Âᵢ = Rᵢ − " + b_sym + "  (0 when the group has no spread)");
  b.derive(
      "at θ_old r = 1 (nothing clipped): ∇[min(r Â, clip(r) Â)] = Â ∇log π;  ∇(β k3) = β(1 − "
      "π_ref/π) ∇log π");
  b.derive("w = (Âᵢ − β(1 − π_ref/π_old)) / |oᵢ|,  β = " + formula_number(beta));
  b.derive("ĝ = 1/N Σᵢₜ w ∇log π(aᵢₜ|sᵢₜ),  N = " + std::to_string(N) + " completions");
  b.finish(est, "wₜ", out);
}

}  // namespace pg
