#include "lab/baseline_effects.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "lab/advantage_compare.h"
#include "session/session.h"
#include "util/error.h"

namespace pg {

std::vector<Baseline> available_baselines(const Session& s, Returns returns) {
  std::vector<Baseline> out;
  for (const EstimatorConfig& c : all_settings(s))
    if (c.returns == returns) out.push_back(c.baseline);
  // The critic wherever the session has one, fitted or not: the view's two runs fit it in the
  // one set to baseline = critic (the variance lab, at a fixed θ, lists it only where it is
  // fitted).
  if (s.critic() && std::find(out.begin(), out.end(), Baseline::kCritic) == out.end())
    out.push_back(Baseline::kCritic);
  return out;
}

BaselinePair baseline_pair(const Session& s, Baseline alternative) {
  const EstimatorConfig& current = s.estimator();
  const std::vector<Baseline> ok = available_baselines(s, current.returns);
  const auto available = [&](Baseline b) { return std::find(ok.begin(), ok.end(), b) != ok.end(); };
  if (!available(alternative) || alternative == current.baseline) alternative = Baseline::kNone;

  BaselinePair p;
  p.with = current;
  p.without = current;
  if (current.baseline == Baseline::kNone) {
    // Nothing to take away: add one instead, and compare it against the current (none). The
    // default is leave-one-out, except with one episode per batch, where it has no other episode
    // (b ≡ 0): then the exact value or the critic, where the world has one.
    Baseline added = Baseline::kLeaveOneOut;
    if (s.scenario().algorithm.batch_episodes < 2) {
      if (available(Baseline::kExactValue))
        added = Baseline::kExactValue;
      else if (available(Baseline::kCritic))
        added = Baseline::kCritic;
    }
    p.with.baseline = alternative != Baseline::kNone ? alternative : added;
    p.with_is_current = false;
  } else {
    p.without.baseline = alternative;
  }
  return p;
}

bool needs_other_episodes(Baseline b) {
  return b == Baseline::kMean || b == Baseline::kTimeMean || b == Baseline::kLeaveOneOut ||
         b == Baseline::kOptimal;
}

double population_std(const std::vector<double>& values) {
  if (values.empty()) return 0.0;
  double mean = 0.0;
  for (double v : values) mean += v;
  mean /= static_cast<double>(values.size());
  double ss = 0.0;
  for (double v : values) ss += (v - mean) * (v - mean);
  return std::sqrt(ss / static_cast<double>(values.size()));
}

double root_mean_square(const std::vector<double>& values) {
  if (values.empty()) return 0.0;
  double ss = 0.0;
  for (double v : values) ss += v * v;
  return std::sqrt(ss / static_cast<double>(values.size()));
}

PsiComparison compare_psi(const Session& s, const BaselinePair& p) {
  PG_ASSERT(s.batch_complete(), "compare_psi needs a complete batch");
  PsiComparison out;
  out.with = s.estimate_with(p.with);
  out.without = s.estimate_with(p.without);
  const auto mean = [](const std::vector<double>& v) {
    double m = 0.0;
    for (double x : v) m += x;
    return v.empty() ? 0.0 : m / static_cast<double>(v.size());
  };
  const auto ratio = [](double a, double b) {
    return b > 0.0 ? (a / b) * (a / b) : std::numeric_limits<double>::quiet_NaN();
  };
  out.psi_mean_with = mean(out.with.psi);
  out.psi_mean_without = mean(out.without.psi);
  out.psi_std_with = population_std(out.with.psi);
  out.psi_std_without = population_std(out.without.psi);
  out.psi_rms_with = root_mean_square(out.with.psi);
  out.psi_rms_without = root_mean_square(out.without.psi);
  out.psi_variance_ratio = ratio(out.psi_std_without, out.psi_std_with);
  out.psi_square_ratio = ratio(out.psi_rms_without, out.psi_rms_with);
  return out;
}

double variance_reduction(const VarianceReport& rep) {
  PG_ASSERT(rep.settings.size() == 2, "variance_reduction expects a report on {with, without}");
  const double with = rep.settings[0].trace_cov, without = rep.settings[1].trace_cov;
  return with > 0.0 ? without / with : std::numeric_limits<double>::quiet_NaN();
}

double variance_reduction_stderr(const VarianceReport& rep) {
  if (rep.settings.size() != 2) return std::numeric_limits<double>::quiet_NaN();
  const VarianceSetting &with = rep.settings[0], &without = rep.settings[1];
  const size_t K = with.samples.size();
  if (without.samples.size() != K) return std::numeric_limits<double>::quiet_NaN();
  std::vector<double> a(K), b(K);
  for (size_t k = 0; k < K; ++k) {
    a[k] = (without.samples[k] - without.mean).squaredNorm();
    b[k] = (with.samples[k] - with.mean).squaredNorm();
  }
  return paired_ratio_stderr(a, b);
}

namespace {

// Appends the history rows the fork added since the last call.
void append_new_rows(const Session& fork, int fork_iteration, ForkRun& run) {
  const History& h = fork.history();
  // Rows are in iteration order; the ones at or after the fork that are not yet in `run`.
  size_t first = h.size();
  while (first > 0 && h[first - 1].iteration >= fork_iteration) --first;
  for (size_t i = first + run.iteration.size(); i < h.size(); ++i) {
    const IterationRecord& r = h[i];
    run.iteration.push_back(r.iteration);
    run.return_mean.push_back(r.return_mean);
    run.exact_J.push_back(r.exact_J);
    const size_t n = run.return_mean.size();
    const size_t from = n > static_cast<size_t>(kForkSmoothing) ? n - kForkSmoothing : 0;
    double sum = 0.0;
    for (size_t j = from; j < n; ++j) sum += run.return_mean[j];
    run.smoothed.push_back(sum / static_cast<double>(n - from));
  }
}

}  // namespace

ForkComparison run_forks(const Session& s, const BaselinePair& p, int iterations,
                         std::atomic<int>* progress, const std::atomic<bool>* cancel) {
  PG_ASSERT(iterations >= 0, "run_forks: iterations must be >= 0");
  ForkComparison out;
  out.fork_iteration = s.iteration();
  out.iterations = iterations;
  out.with.config = p.with;
  out.without.config = p.without;
  Session a = s.fork_with(p.with);
  Session b = s.fork_with(p.without);
  int done = 0;
  for (int it = 0; it < iterations; ++it) {
    if (cancel && cancel->load(std::memory_order_relaxed)) {
      out.cancelled = true;
      break;
    }
    for (auto [fork, run] : {std::pair<Session*, ForkRun*>{&a, &out.with}, {&b, &out.without}}) {
      if (!run->fault.empty()) continue;
      if (!fork->run_iterations(1)) run->fault = fork->fault();
      append_new_rows(*fork, out.fork_iteration, *run);
      ++done;
      if (progress) progress->store(done, std::memory_order_relaxed);
    }
    if (!out.with.fault.empty() && !out.without.fault.empty()) break;
  }
  return out;
}

}  // namespace pg
