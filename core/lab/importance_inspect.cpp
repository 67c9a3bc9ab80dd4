#include "lab/importance_inspect.h"

#include <cmath>
#include <cstdio>
#include <limits>

#include "estimator/importance.h"
#include "exact/exact.h"
#include "io/scenario_enums.h"
#include "policy/tabular_softmax.h"
#include "rollout/sampler.h"
#include "session/budget.h"
#include "util/cancel.h"
#include "util/error.h"
#include "util/text.h"

namespace pg {

namespace {

// π at the session's current θ (the one its next batch samples from, and exact J and ∇J are of),
// not the θ of the batch still shown (Session::behaviour_policy, one update behind).
const TabularSoftmax& tabular_target(const Session& s) {
  if (!s.env().model())
    throw InputError(
        "env.kind",
        "the importance inspector needs a finite world (exact ∇J); allowed: " + finite_env_names());
  const auto* t = dynamic_cast<const TabularSoftmax*>(&s.policy());
  if (!t)
    throw InputError("policy.kind",
                     "the importance inspector paints b(a|s) per state: set policy.kind=tabular");
  return *t;
}

// Mean, bias against `exact`, standard errors and the covariance trace of the K estimates.
void summarise(const Eigen::VectorXd& exact, IsEstimatorStats& st) {
  const int K = static_cast<int>(st.per_batch.size());
  const int P = static_cast<int>(exact.size());
  st.mean = Eigen::VectorXd::Zero(P);
  for (const Eigen::VectorXd& g : st.per_batch) st.mean += g;
  st.mean /= K;
  Eigen::VectorXd var = Eigen::VectorXd::Zero(P);
  for (const Eigen::VectorXd& g : st.per_batch) var += (g - st.mean).cwiseAbs2();
  var /= (K - 1);
  st.bias = st.mean - exact;
  st.std_error = (var / K).cwiseSqrt();
  st.bias_norm = st.bias.norm();
  st.variance = var.sum();
  st.bias_stderr = std::sqrt(st.variance / K);
  st.mse = st.bias_norm * st.bias_norm + st.variance;
}

}  // namespace

Eigen::MatrixXd behaviour_probs(const Session& s, const BehaviourPaint& paint) {
  const TabularSoftmax& target = tabular_target(s);
  const int O = target.num_obs(), A = target.num_actions();
  if (!(paint.temperature > 0.0) || !std::isfinite(paint.temperature)) {
    char got[32];  // %g: −1e-09 printed as −0.000000 with std::to_string
    std::snprintf(got, sizeof got, "%g", paint.temperature);
    throw InputError("importance.temperature",
                     std::string("expected a finite temperature > 0, got ") + got);
  }
  const std::vector<double>& base_logits = s.scenario().offpolicy.behaviour_logits;
  if (paint.scenario_base && static_cast<int>(base_logits.size()) != A) {
    // The key applies on every algorithm (the lab reads it); offpolicy.behaviour does not, so
    // "behaviour=fixed" was advice REINFORCE refused.
    std::string example;
    for (int a = 0; a < A; ++a) example += a == 0 ? "0" : ",0";
    throw InputError("offpolicy.behaviour_logits",
                     "base = scenario paints from these logits: expected one per action (" +
                         std::to_string(A) + "), the scenario has " +
                         std::to_string(base_logits.size()) + "; set them, e.g. " +
                         "offpolicy.behaviour_logits=" + example + " (uniform)");
  }
  TabularSoftmax b(O, A);
  if (paint.scenario_base)
    b.fill_rows(base_logits);
  else
    b.set_params(paint.temperature == 1.0 ? target.params()
                                          : Eigen::VectorXd(target.params() / paint.temperature));
  Eigen::MatrixXd P(O, A);
  std::vector<double> row(A);
  for (int o = 0; o < O; ++o) {
    b.probs_of(o, row.data());
    for (int a = 0; a < A; ++a) P(o, a) = row[a];
  }
  for (const auto& [o, p] : paint.rows) {
    const std::string key = "importance.cell " + std::to_string(o);
    if (o < 0 || o >= O)
      throw InputError(key, "observation out of range 0.." + std::to_string(O - 1));
    if (static_cast<int>(p.size()) != A)
      throw InputError(
          key, "expected " + std::to_string(A) + " probabilities, got " + std::to_string(p.size()));
    double sum = 0.0;
    for (size_t i = 0; i < p.size(); ++i) {
      const double x = p[i];
      if (!(x >= 0.0) || !std::isfinite(x))
        throw InputError(key, "probability " + std::to_string(i + 1) + " of " +
                                  std::to_string(p.size()) + " is " + number_text(x) +
                                  "; probabilities must be finite and ≥ 0");
      sum += x;
    }
    if (!(sum > 0.0)) throw InputError(key, "probabilities sum to 0: b must act somewhere");
    if (!std::isfinite(sum))
      throw InputError(key,
                       "probabilities sum beyond the largest double; give them as weights "
                       "of a sensible size (they are normalised), e.g. 1,1,0,0");
    for (int a = 0; a < A; ++a) P(o, a) = p[a] / sum;
  }
  return P;
}

std::string ImportanceInspection::cut_note() const {
  if (cut_episodes == 0) return "";
  return std::to_string(cut_episodes) + " of " + std::to_string(N * K) +
         " episodes never ended under b and were cut at " + std::to_string(kHardStepCap) +
         " steps: their returns lose their tails, so every estimate is biased.";
}

ImportanceInspection inspect_importance(const Session& s, const BehaviourPaint& paint, int N, int K,
                                        const std::atomic<bool>* cancel,
                                        std::atomic<int>* progress) {
  const TabularSoftmax& target = tabular_target(s);  // a finite world, a tabular policy
  if (N < 1) throw InputError("importance.episodes", "expected ≥ 1 episodes per batch");
  if (K < 2) throw InputError("importance.batches", "expected ≥ 2 batches (for a variance)");
  require_importance_fits(s, N, K);
  ImportanceInspection r;
  r.N = N;
  r.K = K;
  r.behaviour = behaviour_probs(s, paint);
  const int O = target.num_obs(), A = target.num_actions();
  r.target.resize(O, A);
  std::vector<double> row(A);
  for (int o = 0; o < O; ++o) {
    target.probs_of(o, row.data());
    for (int a = 0; a < A; ++a) {
      r.target(o, a) = row[a];
      if (r.behaviour(o, a) == 0.0 && row[a] > 0.0) r.violations.emplace_back(o, a);
    }
  }
  r.exact = exact_evaluate(s.env(), target).gradient;

  // b as a tabular softmax: log p (−∞ where p = 0, never sampled). With T = 1 and nothing
  // painted these are π's own logits, so b's samples are π's bit for bit.
  TabularSoftmax b(O, A);
  if (!paint.scenario_base && paint.temperature == 1.0 && paint.rows.empty()) {
    b.set_params(target.params());
  } else {
    Eigen::VectorXd logits(O * A);
    for (int o = 0; o < O; ++o)
      for (int a = 0; a < A; ++a) logits[o * A + a] = std::log(r.behaviour(o, a));
    b.set_params(logits);
  }

  EstimatorConfig config;  // unbiased: reward-to-go, no baseline, no normalisation, γ^t weights
  config.returns = Returns::kRewardToGo;
  config.baseline = Baseline::kNone;
  config.normalize = false;
  config.discount_weighting = true;
  const ImportanceConfig ordinary{IsWeighting::kTrajectory, 0.0};
  const ImportanceConfig per_decision{IsWeighting::kPerDecision, 0.0};
  r.ordinary.name = "ordinary";
  r.weighted.name = "weighted";
  r.per_decision.name = "per-decision";
  auto env = s.env().clone();
  Batch batch;
  Estimate est;
  ImportanceWeights w;
  const BaselineSources none;
  BatchCap cap = batch_cap(s.scenario(), s.env());
  cap.lower = "--episodes";
  for (int k = 0; k < K; ++k) {
    throw_if_cancelled(cancel);
    sample_batch(*env, b, s.scenario().seed, static_cast<uint64_t>(k), N, true, batch, cap);
    for (const Trajectory& tr : batch.trajectories)
      if (!tr.terminated && tr.length() >= kHardStepCap) ++r.cut_episodes;
    estimate_off_policy(batch, target, env->gamma(), config, ordinary, none, est, w);
    r.ordinary.per_batch.push_back(est.gradient);
    double sum_w = 0.0;
    for (double x : w.w) sum_w += x;
    r.weighted.per_batch.push_back(sum_w > 0.0 ? Eigen::VectorXd(est.gradient * (N / sum_w))
                                               : Eigen::VectorXd::Zero(est.gradient.size()));
    r.ess_mean += w.ess / K;
    if (k == 0) {
      r.log_w = w.log_w;
      r.ess_first = w.ess;
    }
    estimate_off_policy(batch, target, env->gamma(), config, per_decision, none, est, w);
    r.per_decision.per_batch.push_back(est.gradient);
    if (progress) progress->store(k + 1, std::memory_order_relaxed);
  }
  summarise(r.exact, r.ordinary);
  summarise(r.exact, r.weighted);
  summarise(r.exact, r.per_decision);
  return r;
}

}  // namespace pg
