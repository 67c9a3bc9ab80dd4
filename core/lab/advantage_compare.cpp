#include "lab/advantage_compare.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <memory>
#include <optional>

#include "algo/a2c.h"
#include "env/env.h"
#include "env/tabular_model.h"
#include "exact/exact.h"
#include "io/scenario_enums.h"
#include "lab/advantage_curves.h"
#include "lab/variance.h"
#include "rollout/sampler.h"
#include "session/budget.h"
#include "session/session.h"
#include "util/cancel.h"
#include "util/error.h"

namespace pg {

std::string AdvantageEstimatorSetting::label() const {
  char buf[64];
  if (!critic) return "Gₜ, no critic";
  switch (kind) {
    case AdvantageKind::kMonteCarlo:
    case AdvantageKind::kTD0:
      return advantage_spec(kind).title;
    case AdvantageKind::kNStep:
      std::snprintf(buf, sizeof buf, "%d-step", n);
      return buf;
    case AdvantageKind::kGAE:
      std::snprintf(buf, sizeof buf, "GAE(λ=%.3g)", lambda);
      return buf;
  }
  return "?";
}

AdvantageEstimatorSetting scenario_advantage(const Session& s) {
  const AdvantageConfig c = advantage_config(s.scenario(), s.env().gamma());
  AdvantageEstimatorSetting a;
  a.kind = c.kind;
  a.lambda = c.kind == AdvantageKind::kGAE ? c.lambda : AdvantageEstimatorSetting{}.lambda;
  a.n = c.kind == AdvantageKind::kNStep ? c.n : AdvantageEstimatorSetting{}.n;
  return a;
}

std::vector<AdvantageEstimatorSetting> advantage_sweep(const Session& s) {
  const AdvantageEstimatorSetting mine = scenario_advantage(s);
  std::vector<AdvantageEstimatorSetting> out;
  AdvantageEstimatorSetting a;
  a.kind = AdvantageKind::kMonteCarlo;
  out.push_back(a);
  a.kind = AdvantageKind::kTD0;
  out.push_back(a);
  a.kind = AdvantageKind::kNStep;
  a.n = std::max(2, s.scenario().advantage.n);
  out.push_back(a);
  std::vector<double> lambdas = {0.0, 0.5, 0.8, 0.9, 0.95, 0.97, 0.99, 1.0};
  if (mine.kind == AdvantageKind::kGAE) lambdas.push_back(mine.lambda);
  std::sort(lambdas.begin(), lambdas.end());
  lambdas.erase(std::unique(lambdas.begin(), lambdas.end()), lambdas.end());
  a = AdvantageEstimatorSetting{};
  for (double l : lambdas) {
    a.kind = AdvantageKind::kGAE;
    a.lambda = l;
    out.push_back(a);
  }
  a = AdvantageEstimatorSetting{};
  a.kind = AdvantageKind::kMonteCarlo;
  a.critic = false;
  out.push_back(a);
  return out;
}

std::vector<AdvantageEstimatorSetting> lambda_curve_settings(const Session& s, int points) {
  PG_ASSERT(points >= 2, "lambda_curve_settings: at least the two ends λ = 0 and λ = 1");
  std::vector<AdvantageEstimatorSetting> out(3);
  out[0].kind = AdvantageKind::kMonteCarlo;
  out[1].kind = AdvantageKind::kTD0;
  out[2].kind = AdvantageKind::kNStep;
  out[2].n = std::max(2, s.scenario().advantage.n);
  for (int k = 0; k < points; ++k) {
    AdvantageEstimatorSetting a;
    a.kind = AdvantageKind::kGAE;
    a.lambda = k == points - 1 ? 1.0 : static_cast<double>(k) / (points - 1);
    out.push_back(a);
  }
  return out;
}

ExactAdvantage exact_advantage(const Env& env, const ExactResult& ex) {
  const TabularModel* m = env.model();
  if (!m)
    throw InputError("env",
                     "the exact advantage needs a finite world (" + finite_env_names() + ")");
  ExactAdvantage out;
  out.num_states = m->num_states();
  out.num_actions = m->num_actions();
  out.horizon = ex.horizon;
  const int S = out.num_states, A = out.num_actions, rows = std::max(1, ex.horizon);
  out.table.assign(static_cast<size_t>(rows) * S * A, 0.0);
  const double gamma = env.gamma();
  for (int t = 0; t < rows; ++t) {
    for (int s = 0; s < S; ++s) {
      if (m->terminal(s)) continue;
      for (int a = 0; a < A; ++a) {
        double q;
        if (ex.horizon > 0) {
          // Q_t(s,a) = R(s,a) + γ Σ P(s'|s,a) V_{t+1}(s'), V_H = 0 (V is 0 at terminal states).
          q = m->reward(s, a);
          if (t + 1 < ex.horizon)
            for (const Transition& tr : m->successors(s, a))
              q += gamma * tr.prob * ex.V_t(t + 1, tr.next);
          q -= ex.V_t(t, s);
        } else {
          q = ex.Q(s, a) - ex.V[s];
        }
        out.table[(static_cast<size_t>(t) * S + s) * A + a] = q;
      }
    }
  }
  return out;
}

void advantage_gradients(const Batch& batch, const Policy& policy, double gamma,
                         const std::vector<AdvantageEstimatorSetting>& settings,
                         const std::vector<int>& offset, const std::vector<double>& values,
                         const std::vector<double>& final_values, Eigen::MatrixXd& adv,
                         Eigen::MatrixXd& out) {
  const int M = offset.back(), F = static_cast<int>(settings.size()), N = batch.size();
  PG_ASSERT(static_cast<int>(values.size()) == M, "advantage_gradients: one value per step");
  adv.resize(M, F);
  std::vector<double> a(M), targets(M), zeros(std::max(M, N), 0.0);
  Eigen::MatrixXd weights(M, F);
  for (int f = 0; f < F; ++f) {
    const AdvantageEstimatorSetting& st = settings[f];
    const AdvantageConfig cfg{st.kind, gamma, st.lambda, st.n};
    compute_advantages(batch, cfg, offset, st.critic ? values.data() : zeros.data(),
                       st.critic ? final_values.data() : zeros.data(), a.data(), targets.data());
    for (int i = 0; i < N; ++i) {
      double w =
          std::pow(gamma, batch.trajectories[i].start_t) / N;  // γ^t / N, t the episode's step
      for (int k = offset[i]; k < offset[i + 1]; ++k, w *= gamma) {
        adv(k, f) = a[k];
        weights(k, f) = w * a[k];
      }
    }
  }
  Eigen::MatrixXd scores;
  step_scores_times(batch, policy, weights, scores, out);
}

AdvantageReport run_advantage_compare(const Session& s,
                                      const std::vector<AdvantageEstimatorSetting>& settings, int K,
                                      const AdvantageCompareOptions& options) {
  PG_ASSERT(K >= 2, "the advantage comparison needs at least two estimates");
  if (options.exact_critic && !s.env().model())
    throw InputError("env.kind",
                     "the exact V^π as critic needs a finite world (" + finite_env_names() + ")");
  if (!s.critic() && !options.exact_critic)
    throw InputError("critic.kind",
                     "comparing advantage estimators needs a critic V_φ (critic.kind = mlp here)");
  // Every estimate of every setting is kept until the end (its covariance): known before starting.
  require_estimates_fit(s, K, static_cast<int>(settings.size()), options.samples_name,
                        options.batch_episodes);
  AdvantageReport rep;
  rep.samples = K;
  rep.batch_episodes =
      options.batch_episodes > 0 ? options.batch_episodes : s.scenario().algorithm.batch_episodes;
  std::unique_ptr<Env> env = s.env().clone();
  std::unique_ptr<Policy> policy = s.policy().clone();
  const ValueFunction* critic = options.exact_critic ? nullptr : s.critic();
  const bool features =
      policy->kind() != PolicyKind::kTabular || (critic && critic->kind() != CriticKind::kTabular);
  const double gamma = env->gamma();
  std::optional<ExactResult> exact;
  std::optional<ExactAdvantage> exact_adv;
  if (env->model()) {
    try {  // a long horizon takes seconds: the oracle polls the cancel flag too
      exact = exact_evaluate(*env, *policy, env->step_limit(), options.cancel);
    } catch (const Cancelled&) {
      return AdvantageReport{};
    }
    rep.exact_gradient = exact->gradient;
    exact_adv = exact_advantage(*env, *exact);
  }
  const AdvantageEstimatorSetting mine = scenario_advantage(s);
  const int F = static_cast<int>(settings.size());
  for (int f = 0; f < F; ++f)
    if (settings[f] == mine) rep.current = f;
  const int P = policy->num_params();

  std::vector<Eigen::VectorXd> all(static_cast<size_t>(F) * K);
  std::vector<Eigen::VectorXd> sum(F, Eigen::VectorXd::Zero(P));
  // Advantage-level accumulators: per setting, Σ e, Σ e² over all steps, and per (s, a) group Σ e.
  std::vector<double> e_sum(F, 0.0), e_sq(F, 0.0), a_sum(F, 0.0), a_sq(F, 0.0);
  struct Group {
    long n = 0;
    // Per setting: Σ e over all batches, Σ_k S_k² of the batches' sums S_k, and S_k of the batch
    // being sampled (k = `batch`).
    std::vector<double> sum, sq_batch_sums, this_batch;
    int batch = -1;
  };
  // Adds the finished batch's sums S_k of every group it touched to Σ_k S_k².
  const auto close_batch = [&](Group& g) {
    for (int f = 0; f < F; ++f) {
      g.sq_batch_sums[f] += g.this_batch[f] * g.this_batch[f];
      g.this_batch[f] = 0.0;
    }
  };
  std::map<long, Group> groups;  // s·A + a → its steps' errors
  long steps = 0;
  double v_err_sq = 0.0;
  Batch batch;
  Eigen::MatrixXd adv, grads;
  const BatchCap cap = batch_cap(s.scenario(), s.env());
  for (int k = 0; k < K; ++k) {
    sample_batch(*env, *policy, s.scenario().seed, kLabIterationBase + k, rep.batch_episodes,
                 features, batch, cap);
    const BatchValues v =
        critic ? batch_critic_values(batch, *critic, *env) : batch_exact_values(batch, *exact);
    advantage_gradients(batch, *policy, gamma, settings, v.offset, v.values, v.final_values, adv,
                        grads);
    for (int f = 0; f < F; ++f) {
      all[static_cast<size_t>(f) * K + k] = grads.col(f);
      sum[f] += grads.col(f);
      for (int m = 0; m < adv.rows(); ++m) {
        a_sum[f] += adv(m, f);
        a_sq[f] += adv(m, f) * adv(m, f);
      }
    }
    steps += adv.rows();
    if (exact_adv) {
      for (int i = 0; i < batch.size(); ++i) {
        const Trajectory& tr = batch.trajectories[i];
        for (int t = 0; t < tr.length(); ++t) {
          const int m = v.offset[i] + t, st = tr.state[t], ac = tr.actions[t], te = tr.start_t + t;
          const double vpi = exact->horizon > 0 ? exact->V_t(te, st) : exact->V[st];
          v_err_sq += (v.values[m] - vpi) * (v.values[m] - vpi);
          Group& g = groups[static_cast<long>(st) * env->num_actions() + ac];
          if (g.sum.empty()) {
            g.sum.assign(F, 0.0);
            g.sq_batch_sums.assign(F, 0.0);
            g.this_batch.assign(F, 0.0);
          }
          if (g.batch != k) {
            if (g.batch >= 0) close_batch(g);
            g.batch = k;
          }
          ++g.n;
          const double A = exact_adv->at(te, st, ac);
          for (int f = 0; f < F; ++f) {
            const double e = adv(m, f) - A;
            e_sum[f] += e;
            e_sq[f] += e * e;
            g.sum[f] += e;
            g.this_batch[f] += e;
          }
        }
      }
    }
    if (options.progress) options.progress->store(k + 1, std::memory_order_relaxed);
    if (options.cancel && options.cancel->load(std::memory_order_relaxed)) return AdvantageReport{};
  }
  for (auto& [key, g] : groups) close_batch(g);  // each group's last batch
  if (exact_adv && steps > 0) rep.critic_rmse = std::sqrt(v_err_sq / static_cast<double>(steps));

  // Reference direction for cosines: the exact gradient, else Monte Carlo's mean (unbiased).
  Eigen::VectorXd reference = rep.exact_gradient;
  if (reference.size() == 0)
    for (int f = 0; f < F; ++f)
      if (settings[f].kind == AdvantageKind::kMonteCarlo && settings[f].critic)
        reference = sum[f] / K;
  if (reference.size() == 0) reference = sum[0] / K;
  const double ref_norm = reference.norm();

  for (int f = 0; f < F; ++f) {
    AdvantageRow r;
    r.setting = settings[f];
    r.mean = sum[f] / K;
    double tr = 0.0, cos_sum = 0.0, mse = 0.0;
    r.spread.resize(K);
    for (int k = 0; k < K; ++k) {
      const Eigen::VectorXd& g = all[static_cast<size_t>(f) * K + k];
      r.spread[k] = (g - r.mean).squaredNorm();
      tr += r.spread[k];
      const double gn = g.norm();
      cos_sum += (gn > 0 && ref_norm > 0) ? g.dot(reference) / (gn * ref_norm) : 0.0;
      if (rep.exact_gradient.size() > 0) mse += (g - rep.exact_gradient).squaredNorm();
    }
    r.trace_cov = tr / (K - 1);
    r.cosine_mean = cos_sum / K;
    r.snr = r.trace_cov > 0 ? r.mean.norm() / std::sqrt(r.trace_cov) : 0.0;
    r.bias_stderr = std::sqrt(r.trace_cov / K);
    if (rep.exact_gradient.size() > 0) {
      r.has_bias = true;
      r.bias_norm = (r.mean - rep.exact_gradient).norm();
      r.bias2 = std::max(0.0, r.bias_norm * r.bias_norm - r.trace_cov / K);
      r.mse = mse / K;
    }
    const double n = static_cast<double>(std::max<long>(steps, 1));
    const double am = a_sum[f] / n;
    r.adv_std = std::sqrt(std::max(0.0, a_sq[f] / n - am * am));
    if (exact_adv && steps > 0) {
      r.has_adv_bias = true;
      r.adv_mse = e_sq[f] / n;
      // n ē² = (Σ_k S_k)² / n of a group (S_k: its errors' sum in batch k) carries the products
      // S_k² of each batch with itself: noise, however correlated the errors of one batch are (a
      // trajectory visits (s, a) again with an overlapping return). Only the products of two
      // independent batches, Σ_k≠l S_k S_l = (Σ S_k)² − Σ S_k², have the mean K(K − 1)·E[S]²
      // that the bias makes: that is n ē² with its noise taken out. (The plug-in Σ n ē² / Σ n
      // read 5.8e-5 for Monte Carlo with the exact V^π, whose bias is 0, and rose with λ as the
      // variance does: audit a15.)
      double b2 = 0.0;
      for (const auto& [key, g] : groups) {
        const double cross = g.sum[f] * g.sum[f] - g.sq_batch_sums[f];
        b2 += cross * K / ((K - 1.0) * static_cast<double>(g.n));
      }
      r.adv_bias2 = K > 1 ? std::max(0.0, b2 / n) : 0.0;
      r.adv_variance = std::max(0.0, r.adv_mse - r.adv_bias2);
    }
    rep.rows.push_back(std::move(r));
  }
  return rep;
}

double paired_ratio_stderr(const std::vector<double>& a, const std::vector<double>& b) {
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  const size_t K = a.size();
  if (K < 3 || b.size() != K) return kNaN;
  double ma = 0.0, mb = 0.0;
  for (size_t k = 0; k < K; ++k) {
    ma += a[k] / K;
    mb += b[k] / K;
  }
  if (!(mb > 0.0)) return kNaN;
  const double R = ma / mb;
  double m = 0.0, ss = 0.0;
  for (size_t k = 0; k < K; ++k) m += (a[k] - R * b[k]) / K;
  for (size_t k = 0; k < K; ++k) ss += (a[k] - R * b[k] - m) * (a[k] - R * b[k] - m);
  return std::sqrt(ss / (K - 1) / K) / mb;
}

double critic_reduction_stderr(const AdvantageRow& with, const AdvantageRow& without) {
  return paired_ratio_stderr(without.spread, with.spread);
}

}  // namespace pg
