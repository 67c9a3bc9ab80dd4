#include "estimator/importance.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "util/error.h"

namespace pg {

IsWeighting is_weighting_from_name(const std::string& s) {
  return enum_from_valid_name<IsWeighting>(s);
}

void check_importance_setting(const EstimatorConfig& config, const ImportanceConfig& is) {
  if (config.baseline == Baseline::kOptimal)
    throw InputError(
        "estimator.baseline",
        "off-policy weights per-step terms and the optimal baseline is per parameter; allowed: " +
            baseline_names_except(Baseline::kOptimal));
  if (is.weighting == IsWeighting::kPerDecision && config.normalize)
    throw InputError("estimator.normalize",
                     "per-decision importance weights re-weight the rewards inside ψ, which "
                     "normalisation rescales by a batch statistic; set estimator.normalize=false "
                     "or offpolicy.weighting=trajectory");
}

double effective_sample_size(const std::vector<double>& log_w) {
  // ESS = (Σ W)² / Σ W² = (Σ e)² / Σ e² with e = exp(log W − max log W): the ratio is unchanged by
  // the common factor, and the largest e is 1.
  double m = -std::numeric_limits<double>::infinity();
  for (double x : log_w) m = std::max(m, x);
  if (m == -std::numeric_limits<double>::infinity()) return 0.0;
  double s = 0.0, s2 = 0.0;
  for (double x : log_w) {
    const double e = std::exp(x - m);
    s += e;
    s2 += e * e;
  }
  return s * s / s2;
}

void estimate_off_policy(const Batch& batch, const Policy& target, double gamma,
                         const EstimatorConfig& config, const ImportanceConfig& is,
                         const BaselineSources& sources, Estimate& est, ImportanceWeights& iw) {
  check_importance_setting(config, is);
  // REINFORCE's Q̂, b, ψ at θ (unweighted), and the flat step arrays.
  estimate_reinforce(batch, target, gamma, config, sources, est);
  const int N = batch.size(), M = est.num_steps();
  iw.config = is;
  iw.offset = est.offset;
  iw.log_rho.resize(M);
  iw.rho.resize(M);
  iw.cum_rho.resize(M);
  iw.weight.resize(M);
  iw.log_w.resize(N);
  iw.w.resize(N);
  iw.truncated = 0;
  const double c_bar = is.truncate;
  auto truncate = [&](double w) {
    // ρ̄ = min(w, c̄).
    if (c_bar > 0.0 && w > c_bar) {
      ++iw.truncated;
      return c_bar;
    }
    return w;
  };

  // ρ_it = π(a_it|s_it) / b(a_it|s_it); ρ_i,0:t = Π_{k≤t} ρ_ik; log W_i = Σ_t log ρ_it.
  std::vector<double> p(target.num_actions());
  for (int i = 0; i < N; ++i) {
    const Trajectory& tr = batch.trajectories[i];
    PG_ASSERT(static_cast<int>(tr.logp.size()) == tr.length(),
              "off-policy estimates need Trajectory::logp per step");
    double log_cum = 0.0;
    for (int t = 0; t < tr.length(); ++t) {
      const int k = est.at(i, t);
      target.probs(tr.obs_at(t), p.data());
      iw.log_rho[k] = std::log(p[tr.actions[t]]) - tr.logp[t];
      iw.rho[k] = std::exp(iw.log_rho[k]);
      log_cum += iw.log_rho[k];
      iw.cum_rho[k] = std::exp(log_cum);
    }
    iw.log_w[i] = log_cum;
  }
  // W_i = ρ_i,0:T−1 and ESS = (Σ W)² / Σ W², both uncapped: capping would hide exactly the
  // degeneracy the ESS measures. The capped weights are the applied ones (iw.weight).
  for (int i = 0; i < N; ++i) iw.w[i] = std::exp(iw.log_w[i]);
  iw.ess = effective_sample_size(iw.log_w);

  auto len = [&](int i) { return batch.trajectories[i].length(); };
  switch (is.weighting) {
    case IsWeighting::kTrajectory:
      // ψ'_it = W̄_i ψ_it (W̄_i counted once per trajectory when capped).
      for (int i = 0; i < N; ++i) {
        const double W_bar = truncate(iw.w[i]);
        for (int t = 0; t < len(i); ++t) {
          const int k = est.at(i, t);
          iw.weight[k] = W_bar;
          est.psi[k] *= W_bar;
        }
      }
      break;
    case IsWeighting::kPerStep:
      // ψ'_it = ρ̄_it ψ_it.
      for (int k = 0; k < M; ++k) {
        iw.weight[k] = truncate(iw.rho[k]);
        est.psi[k] *= iw.weight[k];
      }
      break;
    case IsWeighting::kPerDecision: {
      // ψ'_it = w_t (Σ_t' c_tt' r_it' ρ̄_i,0:max(t,t') − ρ̄_i,0:t b_it), through
      //   B_t = Σ_{t'≥t} γ^(t'−t) ρ̄_i,0:t' r_it'   (B_t = ρ̄_i,0:t r_it + γ B_{t+1})
      //   A_t = Σ_{t'<t} γ^t' r_it'                 (total returns: the rewards before t, weighted
      //   by ρ̄_i,0:t)
      // reward-to-go: Σ_t' c_tt' r ρ̄ = B_t;  total: ρ̄_i,0:t A_t + γ^t B_t.
      for (int k = 0; k < M; ++k) iw.weight[k] = truncate(iw.cum_rho[k]);
      for (int i = 0; i < N; ++i) {
        const Trajectory& tr = batch.trajectories[i];
        const int T = tr.length();
        double B = 0.0;
        for (int t = T - 1; t >= 0; --t) {
          const int k = est.at(i, t);
          B = iw.weight[k] * tr.rewards[t] + gamma * B;
          est.psi[k] = B;  // B_t for now
        }
        double A = 0.0, gamma_t = 1.0;
        for (int t = 0; t < T; ++t, gamma_t *= gamma) {
          const int k = est.at(i, t);
          const double weighted_q = config.returns == Returns::kRewardToGo
                                        ? est.psi[k]
                                        : iw.weight[k] * A + gamma_t * est.psi[k];
          const double w_t =
              applies_discount_weighting(config) ? gamma_t : 1.0;  // reward-to-go only
          est.psi[k] = w_t * (weighted_q - iw.weight[k] * est.baseline[k]);
          A += gamma_t * tr.rewards[t];
        }
      }
      break;
    }
  }

  // ĝ = (1/N) Σ_i Σ_t ∇θ log π(a_it|s_it) ψ'_it.
  const bool features = target.kind() != PolicyKind::kTabular && est.work_x.size() > 0;
  const double inv_n = 1.0 / N;
  for (int k = 0; k < M; ++k) est.work_scale[k] = est.psi[k] * inv_n;
  est.gradient.setZero(target.num_params());
  if (features)
    target.add_grad_log_prob_batch(est.work_x.leftCols(M), est.work_index.data(),
                                   est.work_actions.data(), est.work_scale.data(), M, est.gradient);
  else
    target.add_grad_log_prob_batch(Eigen::MatrixXd(), est.work_index.data(),
                                   est.work_actions.data(), est.work_scale.data(), M, est.gradient);
}

}  // namespace pg
