#include "lab/meter.h"

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numbers>

#include "algo/algorithm.h"
#include "algo/replay_record.h"
#include "env/env.h"
#include "env/tabular_model.h"
#include "exact/exact.h"
#include "exact/optimal.h"
#include "policy/policy.h"
#include "session/session.h"
#include "session/timeline.h"

namespace pg {

namespace {

// Population variance of x[0..n).
double variance_of(const std::vector<double>& x) {
  if (x.empty()) return 0.0;
  double m = 0.0;
  for (double v : x) m += v;
  m /= static_cast<double>(x.size());
  double s = 0.0;
  for (double v : x) s += (v - m) * (v - m);
  return s / static_cast<double>(x.size());
}

// 1 − Var(y − v)/Var(y); NaN when Var(y) = 0 or the sizes differ.
double explained_variance(const std::vector<double>& y, const std::vector<double>& v) {
  if (y.empty() || y.size() != v.size()) return MeterReading::kNaN;
  const double vy = variance_of(y);
  if (!(vy > 0.0)) return MeterReading::kNaN;
  std::vector<double> r(y.size());
  for (size_t k = 0; k < y.size(); ++k) r[k] = y[k] - v[k];
  return 1.0 - variance_of(r) / vy;
}

}  // namespace

MeterReading read_meter(const Session& s) {
  MeterReading r;
  const Batch& batch = s.batch();
  const Estimate& est = s.last_estimate();
  if (!s.batch_complete() || !s.has_estimate() || batch.size() == 0 ||
      est.num_steps() != batch.num_steps())
    return r;
  r.iteration = s.batch_iteration();
  const AlgorithmInfo info = s.algorithm().info(s.scenario());
  r.loss_form = info.loss_form;
  const Policy& pi = s.behaviour_policy();  // θ_old
  StepDecomposition d;
  s.algorithm().decompose({batch, est, pi, pi, s.env().gamma()}, d);
  const int N = batch.size();
  r.pieces = N;
  r.normalizes = est.config.normalize;
  const double inv_d = 1.0 / d.divisor;

  // Per piece: log π and H at θ_old, the loss terms, g_i = (1/D) Σ_t w_it ∇log π(a_it|s_it).
  const int P = pi.num_params();
  Eigen::VectorXd g = Eigen::VectorXd::Zero(P), gi(P);
  std::vector<double> logp, ent, scale, w_all;
  w_all.reserve(static_cast<size_t>(d.num_steps()));
  double loss = 0.0, loss_abs = 0.0, h = 0.0, sum_norm = 0.0, sum_sq = 0.0;
  double r_min = 0.0, r_max = 0.0, r_abs = 0.0;
  int M = 0;
  for (int i = 0; i < N; ++i) {
    const Trajectory& tr = batch.trajectories[i];
    const int T = tr.length();
    const double ri = tr.total_reward();
    r_min = i == 0 ? ri : std::min(r_min, ri);
    r_max = i == 0 ? ri : std::max(r_max, ri);
    r_abs = std::max(r_abs, std::fabs(ri));
    if (T == 0) continue;
    logp.resize(T);
    ent.resize(T);
    scale.resize(T);
    const Eigen::Map<const Eigen::MatrixXd> X(tr.obs.data(), tr.obs_dim, T);
    pi.log_prob_batch(X, tr.obs_index.data(), tr.all_actions(), T, logp.data(), ent.data());
    for (int t = 0; t < T; ++t) {
      const double w = d.weight(i, t);
      // ℓ = log π (log-prob form) or the ratio, 1 at θ_old (ratio form).
      const double ell = r.loss_form == LossForm::kRatio ? 1.0 : logp[t];
      loss -= inv_d * w * ell;
      loss_abs += inv_d * std::fabs(w * ell);
      scale[t] = inv_d * w;
      h += ent[t];
      w_all.push_back(w);
    }
    M += T;
    gi.setZero();
    pi.add_grad_log_prob_batch(X, tr.obs_index.data(), tr.all_actions(), scale.data(), T, gi);
    g += gi;
    const double n2 = gi.squaredNorm();
    sum_sq += n2;
    sum_norm += std::sqrt(n2);
  }
  r.loss = loss;
  r.loss_scale = loss_abs;
  r.loss_gradient_is_ghat = d.sums_to_gradient;
  r.gradient_note = d.why_not_gradient;
  // Where no per-step w reproduces ĝ (SAC sums over every action or takes the reparameterised
  // gradient; REINFORCE's optimal baseline is per parameter) the pieces are not ĝ's: ‖ĝ‖ and its
  // cosine are the estimate's own (the history's grad_norm), and no SNR is read off the pieces.
  const bool pieces_sum = d.sums_to_gradient || est.gradient.size() != P;
  if (!pieces_sum) g = est.gradient;
  r.grad_norm = g.norm();
  r.grad_scale = sum_norm;
  if (N >= 2 && pieces_sum) {
    // tr Cov(ĝ) ≈ (N Σ‖g_i‖² − ‖ĝ‖²) / (N − 1): the pieces as i.i.d. draws of N g_i.
    const double tr_cov = std::max(0.0, (N * sum_sq - g.squaredNorm()) / (N - 1));
    r.trace_cov = tr_cov;
    // ‖E ĝ‖² = E‖ĝ‖² − tr Cov(ĝ): the signal's part of ‖ĝ‖², over the noise's size.
    r.snr = tr_cov > 0.0 ? std::sqrt(std::max(0.0, g.squaredNorm() - tr_cov) / tr_cov)
                         : MeterReading::kNaN;
  }
  r.entropy = M > 0 ? h / M : MeterReading::kNaN;
  if (const int d = pi.action_dim(); d > 0) {
    r.action_dim = d;
    r.sigma = std::exp(r.entropy / d - 0.5 * std::log(2.0 * std::numbers::pi * std::numbers::e));
    double log_scale = 0.0;
    if (!s.scenario().policy.squash)
      for (int i = 0; i < d; ++i)
        log_scale += std::log(0.5 * (s.env().action_high(i) - s.env().action_low(i))) / d;
    r.sigma_scale = std::exp(log_scale);
  } else if (pi.num_actions() > 0) {
    r.entropy_max = std::log(static_cast<double>(pi.num_actions()));
  }
  r.weight_std = std::sqrt(variance_of(w_all));
  r.returns_equal = r_max - r_min <= 1e-9 * std::max(1.0, r_abs);

  const std::vector<double>& done = s.completed_returns();
  if (!done.empty()) {
    double m = 0.0;
    for (double v : done) m += v;
    r.return_mean = m / static_cast<double>(done.size());
  }
  if (const ExactResult* ex = s.batch_exact()) {
    r.exact_J = ex->J;
    const double gn = ex->gradient.norm();
    if (gn > 0.0 && r.grad_norm > 0.0 && ex->gradient.size() == g.size())
      r.cosine_exact = g.dot(ex->gradient) / (gn * r.grad_norm);
  }
  if (const TabularModel* m = s.env().model()) {
    bool aliased = false;  // two states the policy cannot tell apart
    std::vector<int> seen(static_cast<size_t>(std::max(0, m->num_obs())), -1);
    for (int st = 0; st < m->num_states() && !aliased; ++st) {
      if (m->terminal(st)) continue;
      const int o = m->obs_of_state(st);
      if (o < 0 || o >= m->num_obs()) continue;
      aliased = seen[static_cast<size_t>(o)] >= 0;
      seen[static_cast<size_t>(o)] = st;
    }
    if (!aliased) r.optimal_J = optimal_values(s.env()).J;
  }

  // The critic the estimate used, against its target. A replay learner's critic is Q, fitted to
  // y on minibatches from its buffer, not V to a return of this batch (its estimate's values are
  // V_soft, a baseline): Q₁(s_b,a_b) before the fit against y_b on the last gradient step of this
  // iteration's update (the dump's algorithm.update); none before the first update.
  if (const ReplayRecord rr = s.algorithm().replay_record(); rr.buffer) {
    const SacStepRecord* st = rr.last_step;
    if (st && st->iteration == r.iteration && !st->y.empty() && st->q1_sa.size() == st->y.size()) {
      r.has_critic = true;
      r.explained_variance = explained_variance(st->y, st->q1_sa);
    }
  } else if (!est.values.empty() && est.targets.size() == est.values.size()) {
    r.has_critic = true;
    r.explained_variance = explained_variance(est.targets, est.values);
  } else if (est.config.baseline == Baseline::kCritic &&
             est.baseline.size() == est.reward_to_go.size()) {
    r.has_critic = true;
    r.explained_variance = explained_variance(est.reward_to_go, est.baseline);
  }

  if (const GrpoRecord* rec = s.algorithm().group_record(); rec && rec->iteration == r.iteration) {
    r.groups = static_cast<int>(rec->groups.size());
    for (const GrpoGroup& gr : rec->groups) r.zero_spread_groups += gr.zero_spread ? 1 : 0;
  }
  return r;
}

std::vector<MeterReading> replay_meter(const Timeline& timeline, const Session& live, int from,
                                       int to, const std::atomic<bool>* cancel) {
  std::vector<MeterReading> out;
  if (from >= to) return out;
  out.reserve(static_cast<size_t>(to - from));
  // The boundary of iteration k + 1 reads iteration k's batch: from + 1 to `to`.
  timeline.replay(
      live, from, to,
      [&](const Session& s) {
        if (!s.at_iteration_boundary() || s.iteration() <= from) return;
        MeterReading r = read_meter(s);
        if (r.iteration == s.iteration() - 1) out.push_back(std::move(r));
      },
      cancel);
  return out;
}

std::vector<Badge> dead_signals(const MeterReading& r) {
  std::vector<Badge> out;
  if (r.iteration < 0) return out;
  char buf[240];
  // loss ≈ 0 while the gradient is not
  if (std::isfinite(r.loss) && r.loss_scale > 0.0 &&
      std::fabs(r.loss) <= kLossZeroRel * r.loss_scale &&
      r.grad_norm > kGradAliveRel * r.grad_scale && r.grad_norm > 0.0) {
    std::snprintf(buf, sizeof buf, "L = %.3g is %.2g of its terms' size %.3g; ‖ĝ‖ = %.3g", r.loss,
                  std::fabs(r.loss) / r.loss_scale, r.loss_scale, r.grad_norm);
    out.push_back({DeadSignal::kLossZero, buf});
  }
  if (r.zero_spread_groups > 0) {
    std::snprintf(buf, sizeof buf, "%d of %d groups (%.0f%%) have Â ≡ 0", r.zero_spread_groups,
                  r.groups, 100.0 * r.zero_spread_groups / std::max(1, r.groups));
    out.push_back({DeadSignal::kZeroSpread, buf});
  }
  if (r.normalizes && r.returns_equal && r.pieces >= 1 && r.weight_std >= kNormalizedNoiseStd) {
    std::snprintf(buf, sizeof buf,
                  "all %d returns equal; normalised weights have std %.3g (≥ %.1f)", r.pieces,
                  r.weight_std, kNormalizedNoiseStd);
    out.push_back({DeadSignal::kNormalizedNoise, buf});
  }
  const bool discrete_collapse = std::isfinite(r.entropy) && r.entropy_max > 0.0 &&
                                 r.entropy / r.entropy_max < kEntropyCollapseFrac;
  const bool gaussian_collapse = std::isfinite(r.sigma) && r.sigma_scale > 0.0 &&
                                 r.sigma < kGaussianCollapseFrac * r.sigma_scale;
  if (discrete_collapse || gaussian_collapse) {
    const bool known = std::isfinite(r.optimal_J) && std::isfinite(r.exact_J);
    const double gap = known ? r.optimal_J - r.exact_J : MeterReading::kNaN;
    if (!known || gap > kEntropyCollapseGap * std::max(std::fabs(r.optimal_J), 1e-12)) {
      int n = gaussian_collapse
                  ? std::snprintf(buf, sizeof buf,
                                  "σ = %.3g is %.2g of the action's scale %.3g (< %g)", r.sigma,
                                  r.sigma / r.sigma_scale, r.sigma_scale, kGaussianCollapseFrac)
                  : std::snprintf(buf, sizeof buf, "H/log|A| = %.3g (< %.1f)",
                                  r.entropy / r.entropy_max, kEntropyCollapseFrac);
      if (known && n > 0 && n < static_cast<int>(sizeof buf))
        std::snprintf(buf + n, sizeof buf - n, " at J = %.4g, J* = %.4g", r.exact_J, r.optimal_J);
      out.push_back({DeadSignal::kEntropyCollapse, buf});
    }
  }
  if (std::isfinite(r.explained_variance) && r.explained_variance <= 0.0) {
    std::snprintf(buf, sizeof buf, "explained variance %.3g ≤ 0", r.explained_variance);
    out.push_back({DeadSignal::kCriticExplainsNothing, buf});
  }
  return out;
}

}  // namespace pg
