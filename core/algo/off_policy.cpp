#include "algo/off_policy.h"

#include <algorithm>
#include <cmath>

#include "algo/critic_fit.h"
#include "algo/decompose.h"
#include "algo/formula.h"
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
  fixed_ = s.offpolicy.behaviour == BehaviourKind::kFixed;
  lag_ = s.offpolicy.lag;
  const std::unique_ptr<Env> env = make_env(s);
  env_gamma_ = env->gamma();
  if (fixed_) {
    if (s.policy.kind != PolicyKind::kTabular)
      throw InputError("offpolicy.behaviour",
                       "fixed behaviour logits are tabular (one row for every observation); "
                       "set policy.kind=tabular or offpolicy.behaviour=previous");
    const int A = env->num_actions();
    if (static_cast<int>(s.offpolicy.behaviour_logits.size()) != A)
      throw InputError("offpolicy.behaviour_logits",
                       "expected one logit per action (" + std::to_string(A) + " for " +
                           env->name() + "), got " +
                           std::to_string(s.offpolicy.behaviour_logits.size()));
  }
}

OffPolicyAlgorithm::OffPolicyAlgorithm(const OffPolicyAlgorithm& o)
    : config_(o.config_),
      env_gamma_(o.env_gamma_),
      fixed_(o.fixed_),
      lag_(o.lag_),
      ring_(o.ring_),
      behaviour_(o.behaviour_ ? o.behaviour_->clone() : nullptr),
      record_(o.record_),
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
  record_.behaviour_iteration = ctx.iteration - (static_cast<int>(ring_.size()) - 1);
}

void OffPolicyAlgorithm::estimate(AlgoContext& ctx, const Batch& batch, Estimate& est) {
  // ĝ_IS at the current θ (ctx.behaviour is the target here) from b's samples.
  BaselineSources src;
  src.exact = ctx.exact;
  src.critic = ctx.critic;
  estimate_off_policy(batch, ctx.behaviour, ctx.env.gamma(), ctx.scenario.estimator, config_, src,
                      est, record_.weights);
}

std::string OffPolicyAlgorithm::update(AlgoContext& ctx, const Batch& batch, const Estimate& est,
                                       UpdateStats& stats) {
  const int N = batch.size();
  stats.set("ess", record_.weights.ess);
  stats.set("ess_fraction", N > 0 ? record_.weights.ess / N : 0.0);
  if (N > 0) {
    stats.set("log_w_min",
              *std::min_element(record_.weights.log_w.begin(), record_.weights.log_w.end()));
    stats.set("log_w_max",
              *std::max_element(record_.weights.log_w.begin(), record_.weights.log_w.end()));
  }
  stats.set("rho_max", record_.weights.rho.empty() ? 1.0
                                                   : *std::max_element(record_.weights.rho.begin(),
                                                                       record_.weights.rho.end()));
  stats.set("truncated", record_.weights.truncated);
  // Ascend J + c · mean_t H(π(·|s_t)) over the behaviour's states.
  ascent_ = est.gradient;
  add_entropy_bonus(ctx.behaviour, batch, ctx.scenario.algorithm.entropy_coef, ascent_);
  stats.set("grad_norm", clip_norm(ascent_, ctx.scenario.algorithm.max_grad_norm));
  const std::string fault = apply_ascent(ctx, ascent_);
  if (!fault.empty()) return fault;
  fit_critic_to_reward_to_go(ctx, batch, stats);
  return "";
}

AlgorithmInfo OffPolicyAlgorithm::info(const Scenario& s) const {
  using Role = FormulaPart::Role;
  const EstimatorConfig& c = s.estimator;
  const IsWeighting weighting = is_weighting_from_name(s.offpolicy.weighting);
  const double c_bar = s.offpolicy.truncate;
  AlgorithmInfo info;
  info.title = std::string("Off-policy PG (") + name_of(weighting) + " importance weights)";
  info.reinforce_settings = true;
  info.analyses = static_cast<unsigned>(Analysis::kImportance);
  Formula& f = info.objective;
  // ĝ = (1/N) Σ_i Σ_t ∇θ log π(a_it|s_it) ψ'_it
  add_part(f, "ĝ = 1/N Σᵢ Σₜ ∇log π(aᵢₜ|sᵢₜ) ");
  add_part(f, "ψ′ᵢₜ", Role::kWeight);
  add_line_break(f);
  const std::string bar = c_bar > 0.0 ? "̄" : "";  // combining overline: truncated weights
  const bool gamma_t = applies_discount_weighting(c);
  switch (weighting) {
    case IsWeighting::kTrajectory:
      add_part(f, "ψ′ᵢₜ = W" + bar + "ᵢ ", Role::kWeight);
      break;
    case IsWeighting::kPerStep:
      add_part(f, "ψ′ᵢₜ = ρ" + bar + "ᵢₜ ", Role::kWeight);
      break;
    case IsWeighting::kPerDecision: {
      const bool total = c.returns == Returns::kTotal;
      add_part(f, "ψ′ᵢₜ = " + std::string(gamma_t ? "γᵗ " : ""), Role::kWeight);
      add_part(f, "(", Role::kWeight);
      add_part(f,
               total ? "Σₜ′ γᵗ′ ρ" + bar + "ᵢ,₀:max(t,t′) rᵢₜ′"
                     : "Σₜ′≥ₜ γ^(t′−t) ρ" + bar + "ᵢ,₀:ₜ′ rᵢₜ′",
               Role::kReturn);
      if (c.baseline != Baseline::kNone) {
        add_part(f, " − ρ" + bar + "ᵢ,₀:ₜ ", Role::kWeight);
        add_part(f, baseline_spec(c.baseline).symbol, Role::kBaseline);
      }
      add_part(f, ")", Role::kWeight);
      break;
    }
  }
  if (weighting != IsWeighting::kPerDecision) {
    add_part(f, "ψᵢₜ,  ψᵢₜ = " + std::string(gamma_t ? "γᵗ " : ""));
    add_reinforce_psi(f, c);
  }
  add_note(f,
           "ρᵢₜ = π(aᵢₜ|sᵢₜ) / b(aᵢₜ|sᵢₜ), b the behaviour policy that sampled the batch; ρᵢ,₀:ₜ = "
           "Πₖ≤ₜ ρᵢₖ; "
           "Wᵢ = ρᵢ,₀:T−1");
  if (c_bar > 0.0) {
    char buf[96];
    std::snprintf(buf, sizeof buf,
                  "truncated: w̄ = min(w, c̄), c̄ = %.3g, for the weight that is applied", c_bar);
    add_note(f, buf);
  }
  add_reinforce_notes(f, c, env_gamma_);
  const bool unbiased =
      is_unbiased(c, env_gamma_) && c_bar == 0.0 && weighting != IsWeighting::kPerStep;
  add_note(f, unbiased ? "unbiased for ∇J" : "biased for ∇J");
  add_entropy_bonus_note(f, s.algorithm.entropy_coef);
  return info;
}

void OffPolicyAlgorithm::decompose(const DecomposeInput& in, StepDecomposition& out) const {
  const Estimate& est = in.estimate;
  if (!estimate_matches_batch(in))
    return decompose_weight_only(in, "the estimate is not of this batch: no pieces to show", out);
  const Batch& batch = in.batch;
  const int N = est.num_trajectories, M = est.num_steps();
  const double c_bar = config_.truncate, gamma = est.gamma;
  // ρ̄ = min(w, c̄) when truncating.
  auto cap = [&](double w) { return c_bar > 0.0 ? std::min(w, c_bar) : w; };
  DecompositionBuilder b(est);
  std::vector<double> psi;
  reinforce_columns(est, b, psi);

  // ρ_it = π(a_it|s_it) / b(a_it|s_it) (log b from the trajectory); ρ_i,0:t; log W_i.
  std::vector<double>& rho = b.column("ρₜ", "π(aₜ|sₜ) / b(aₜ|sₜ): target over behaviour");
  std::vector<double> cum(M), log_w(N);
  std::vector<double> p(in.behaviour.num_actions());
  for (int i = 0; i < N; ++i) {
    const Trajectory& tr = batch.trajectories[i];
    double log_cum = 0.0;
    for (int t = 0; t < tr.length(); ++t) {
      const int k = est.offset[i] + t;
      in.behaviour.probs(tr.obs_at(t), p.data());
      const double log_rho = std::log(p[tr.actions[t]]) - tr.logp[t];
      rho[k] = std::exp(log_rho);
      log_cum += log_rho;
      cum[k] = std::exp(log_cum);
    }
    log_w[i] = log_cum;
  }
  const std::string bar = c_bar > 0.0 ? "̄" : "";
  b.derive("ρₜ = π(aₜ|sₜ) / b(aₜ|sₜ)");
  switch (config_.weighting) {
    case IsWeighting::kTrajectory: {
      std::vector<double>& W = b.column("W", "ρ₀:T−1 = Πₜ ρₜ: the trajectory's weight");
      std::vector<double>* Wc =
          c_bar > 0.0 ? &b.column("W̄", "min(W, c̄): the weight applied") : nullptr;
      std::vector<double>& ps = b.column("ψₜ", "the on-policy weight before importance weighting");
      for (int i = 0; i < N; ++i)
        for (int k = est.offset[i]; k < est.offset[i + 1]; ++k) {
          W[k] = std::exp(log_w[i]);
          if (Wc) (*Wc)[k] = cap(W[k]);
          ps[k] = psi[k];
        }
      b.derive("W = Πₜ ρₜ over the episode");
      b.derive("ψ′ₜ = W" + bar + " · ψₜ");
      break;
    }
    case IsWeighting::kPerStep: {
      std::vector<double>* rc =
          c_bar > 0.0 ? &b.column("ρ̄ₜ", "min(ρₜ, c̄): the weight applied") : nullptr;
      std::vector<double>& ps = b.column("ψₜ", "the on-policy weight before importance weighting");
      for (int k = 0; k < M; ++k) {
        if (rc) (*rc)[k] = cap(rho[k]);
        ps[k] = psi[k];
      }
      b.derive("ψ′ₜ = ρ" + bar + "ₜ · ψₜ   (per-step weights: biased)");
      break;
    }
    case IsWeighting::kPerDecision: {
      const bool total = est.config.returns == Returns::kTotal;
      std::vector<double>& cr = b.column("ρ₀:ₜ", "Πₖ≤ₜ ρₖ: the ratios of every action up to t");
      std::vector<double>* crc = c_bar > 0.0 ? &b.column("ρ̄₀:ₜ", "min(ρ₀:ₜ, c̄)") : nullptr;
      std::vector<double>& qw = b.column(
          "Q̂′ₜ", total ? "Σₜ′ γᵗ′ ρ" + bar +
                             "₀:max(t,t′) rₜ′: each reward weighted by the ratios before it"
                       : "Σₜ′≥ₜ γ^(t′−t) ρ" + bar +
                             "₀:ₜ′ rₜ′: each reward weighted by the ratios before it");
      for (int i = 0; i < N; ++i) {
        const Trajectory& tr = batch.trajectories[i];
        const int T = tr.length(), off = est.offset[i];
        for (int t = 0; t < T; ++t) {
          cr[off + t] = cum[off + t];
          if (crc) (*crc)[off + t] = cap(cum[off + t]);
        }
        // B_t = ρ̄_0:t r_t + γ B_{t+1};  A_t = Σ_{t'<t} γ^t' r_t'
        double B = 0.0;
        for (int t = T - 1; t >= 0; --t)
          qw[off + t] = B = cap(cum[off + t]) * tr.rewards[t] + gamma * B;
        if (total) {
          double A = 0.0, g_t = 1.0;
          for (int t = 0; t < T; ++t, g_t *= gamma) {
            qw[off + t] = cap(cum[off + t]) * A + g_t * qw[off + t];
            A += g_t * tr.rewards[t];
          }
        }
      }
      const bool gamma_t = applies_discount_weighting(est.config);
      b.derive(
          "ρ₀:ₜ = Πₖ≤ₜ ρₖ;  per-decision: Q̂′ₜ and ρ₀:ₜ bₜ replace Q̂ₜ and bₜ (ψₜ above is "
          "on-policy, for "
          "comparison)");
      b.derive(std::string("ψ′ₜ = ") + (gamma_t ? "γᵗ " : "") + "(Q̂′ₜ − ρ" + bar + "₀:ₜ bₜ)");
      break;
    }
  }
  b.derive("ĝ = 1/N Σᵢₜ ψ′ₜ ∇log π(aᵢₜ|sᵢₜ),  N = " + std::to_string(N));
  b.finish(est, "ψ′ₜ", out);
}

}  // namespace pg
