#include "lab/variance.h"

#include <algorithm>
#include <cmath>
#include <memory>

#include "algo/formula.h"
#include "lab/weights_only_policy.h"
#include "rollout/sampler.h"
#include "session/budget.h"
#include "session/session.h"
#include "util/cancel.h"
#include "util/error.h"

namespace pg {

void step_scores_times(const Batch& batch, const Policy& policy,
                       const Eigen::Ref<const Eigen::MatrixXd>& weights, Eigen::MatrixXd& scores,
                       Eigen::MatrixXd& out) {
  constexpr int kChunk = 256;  // columns of Z held at once: P × 256 doubles
  const int P = policy.num_params();
  PG_ASSERT(weights.rows() == batch.num_steps(),
            "step_scores_times: one row of weights per step of the batch");
  out.setZero(P, weights.cols());
  if (scores.rows() != P || scores.cols() != kChunk) scores.resize(P, kChunk);
  int first = 0, filled = 0;  // step index of column 0 of the chunk; columns filled
  const auto flush = [&] {
    if (filled == 0) return;
    out.noalias() += scores.leftCols(filled) * weights.middleRows(first, filled);
    first += filled;
    filled = 0;
  };
  for (const Trajectory& tr : batch.trajectories)
    for (int t = 0; t < tr.length(); ++t) {
      if (filled == kChunk) flush();
      scores.col(filled).setZero();
      policy.add_grad_log_prob(tr.obs_at(t), tr.act_at(t), 1.0, scores.col(filled));
      ++filled;
    }
  flush();
}

std::vector<EstimatorConfig> all_settings(const Session& s) {
  std::vector<EstimatorConfig> out;
  const EstimatorConfig& base = s.estimator();
  for (Returns r : {Returns::kTotal, Returns::kRewardToGo}) {
    for (Baseline b : all_baselines()) {
      if (b == Baseline::kExactValue && !s.env().has_exact()) continue;
      // The critic only where the run fits it (estimator.baseline = critic): an unfitted V_φ is
      // its initial value, and its row equalled the one without a baseline.
      if (b == Baseline::kCritic && !s.critic_learns()) continue;
      EstimatorConfig c = base;
      c.returns = r;
      c.baseline = b;
      // The settings a scenario refuses (optimal with reward-to-go, or normalised): the one rule.
      if (estimator_config_problem(c)) continue;
      out.push_back(c);
    }
  }
  return out;
}

void require_available_settings(const Session& s, const std::vector<EstimatorConfig>& settings,
                                const std::string& where) {
  const std::vector<EstimatorConfig> valid = all_settings(s);
  for (const EstimatorConfig& e : settings)
    if (std::find_if(valid.begin(), valid.end(), [&](const EstimatorConfig& v) {
          return v.returns == e.returns && v.baseline == e.baseline;
        }) == valid.end())
      throw InputError(where, "the setting " + setting_name(e) + " is not available in this world");
}

VarianceReport run_variance(const Session& s, const std::vector<EstimatorConfig>& settings, int K,
                            bool keep_samples) {
  VarianceOptions o;
  o.keep_samples = keep_samples;
  return run_variance(s, settings, K, o);
}

VarianceReport run_variance(const Session& s, const std::vector<EstimatorConfig>& settings, int K,
                            const VarianceOptions& options) {
  PG_ASSERT(K >= 2, "the variance lab needs at least two estimates");
  PG_ASSERT(options.batch_episodes >= 0, "batch_episodes is 0 (the scenario's) or a batch size");
  const bool keep_samples = options.keep_samples;
  require_estimates_fit(s, K, static_cast<int>(settings.size()), options.samples_name,
                        options.batch_episodes);
  VarianceReport rep;
  rep.samples = K;
  rep.batch_episodes =
      options.batch_episodes > 0 ? options.batch_episodes : s.scenario().algorithm.batch_episodes;
  std::unique_ptr<Env> env = s.env().clone();
  std::unique_ptr<Policy> policy = s.policy().clone();
  const bool features = policy->kind() != PolicyKind::kTabular ||
                        (s.critic() && s.critic()->kind() != CriticKind::kTabular);
  const double gamma = env->gamma();
  std::optional<ExactResult> exact;
  if (env->has_exact()) {
    try {  // a long horizon takes seconds: the oracle polls the cancel flag too
      exact = exact_evaluate(*env, *policy, env->step_limit(), options.cancel);
    } catch (const Cancelled&) {
      return VarianceReport{};
    }
    rep.exact_gradient = exact->gradient;
  }
  BaselineSources src;
  src.exact = exact ? &*exact : nullptr;
  src.critic = s.critic();

  const int S = static_cast<int>(settings.size());
  const int P = policy->num_params();
  std::vector<Eigen::VectorXd> sum(S, Eigen::VectorXd::Zero(P)), all(static_cast<size_t>(S) * K);
  Batch batch;
  std::vector<Estimate> est(S);
  // Fast path: the settings whose ĝ is Z ψ / D (all but the optimal baseline), their columns in Ψ.
  std::vector<int> fast;
  for (int j = 0; j < S; ++j)
    if (!options.naive && settings[j].baseline != Baseline::kOptimal) fast.push_back(j);
  const int F = static_cast<int>(fast.size());
  WeightsOnlyPolicy weights_only(policy->num_actions());
  Eigen::MatrixXd psi, grads, scores;  // M × F, P × F, P × chunk
  const BatchCap cap = batch_cap(s.scenario(), s.env());
  for (int k = 0; k < K; ++k) {
    sample_batch(*env, *policy, s.scenario().seed, kLabIterationBase + k, rep.batch_episodes,
                 features, batch, cap);
    for (int j = 0; j < S; ++j) {
      if (std::find(fast.begin(), fast.end(), j) != fast.end()) continue;
      estimate_reinforce(batch, *policy, gamma, settings[j], src, est[j]);
      all[static_cast<size_t>(j) * K + k] = est[j].gradient;
    }
    if (F > 0) {
      const int M = batch.num_steps();
      // Emptied before it grows: Eigen's resize frees the old block before allocating the new one
      // and keeps the dangling pointer if that throws (std::bad_alloc then ended in a double free).
      if (psi.rows() != M) psi.resize(0, 0);
      psi.resize(M, F);
      for (int f = 0; f < F; ++f) {
        Estimate& e = est[fast[f]];
        estimate_reinforce(batch, weights_only, gamma, settings[fast[f]], src, e);
        const double inv_d = 1.0 / e.gradient_divisor();
        for (int m = 0; m < M; ++m) psi(m, f) = e.psi[m] * inv_d;
      }
      step_scores_times(batch, *policy, psi, scores, grads);
      for (int f = 0; f < F; ++f) all[static_cast<size_t>(fast[f]) * K + k] = grads.col(f);
    }
    for (int j = 0; j < S; ++j) sum[j] += all[static_cast<size_t>(j) * K + k];
    if (options.progress) options.progress->store(k + 1, std::memory_order_relaxed);
    if (options.cancel && options.cancel->load(std::memory_order_relaxed)) return VarianceReport{};
  }

  // Reference direction for cosines: the exact gradient, else total/none's mean (unbiased).
  Eigen::VectorXd reference = rep.exact_gradient;
  if (reference.size() == 0) {
    for (int j = 0; j < S; ++j)
      if (settings[j].returns == Returns::kTotal && settings[j].baseline == Baseline::kNone)
        reference = sum[j] / K;
    if (reference.size() == 0) reference = sum[0] / K;
  }
  const double ref_norm = reference.norm();

  for (int j = 0; j < S; ++j) {
    VarianceSetting v;
    v.config = settings[j];
    v.unbiased = is_unbiased(settings[j], gamma);
    v.mean = sum[j] / K;
    double tr = 0.0, cos_sum = 0.0;
    for (int k = 0; k < K; ++k) {
      const Eigen::VectorXd& g = all[static_cast<size_t>(j) * K + k];
      tr += (g - v.mean).squaredNorm();
      const double gn = g.norm();
      cos_sum += (gn > 0 && ref_norm > 0) ? g.dot(reference) / (gn * ref_norm) : 0.0;
    }
    v.trace_cov = tr / (K - 1);
    v.cosine_mean = cos_sum / K;
    v.snr = v.trace_cov > 0 ? v.mean.norm() / std::sqrt(v.trace_cov) : 0.0;
    v.bias_stderr = std::sqrt(v.trace_cov / K);
    if (rep.exact_gradient.size() > 0) {
      v.has_bias = true;
      v.bias_norm = (v.mean - rep.exact_gradient).norm();
    }
    if (keep_samples)
      v.samples.assign(all.begin() + static_cast<long>(j) * K,
                       all.begin() + static_cast<long>(j + 1) * K);
    rep.settings.push_back(std::move(v));
  }
  return rep;
}

}  // namespace pg
