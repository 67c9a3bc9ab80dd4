#pragma once
// What a baseline does, three ways (the GUI's baseline view and its tests):
//   1. on one batch: the per-step weights ψ_it = Q̂_it − b_it with and without it, and their spread;
//   2. over training: two runs forked from the same session that differ only in the baseline (they
//      share every random stream, so the difference is the estimator's alone);
//   3. at a fixed θ: the variance-reduction factor trace Cov(without) / trace Cov(with) from the
//      variance lab on common random numbers.
//
//   BaselinePair p = baseline_pair(session, Baseline::kNone);   // current setting vs none
//   PsiComparison psi = compare_psi(session, p);
//   ForkComparison runs = run_forks(session, p, 100);
//   VarianceReport rep = run_variance(session, {p.with, p.without}, 200);
//   double factor = variance_reduction(rep);                       // > 1: the baseline helps

#include <atomic>
#include <string>
#include <vector>

#include "estimator/reinforce.h"
#include "lab/variance.h"

namespace pg {

class Session;

// Baselines the session's world supports with `returns` and the session's normalize flag
// (the same rules as all_settings: optimal needs total returns and no normalize, exact-value a
// model, critic a critic), in all_baselines() order.
std::vector<Baseline> available_baselines(const Session& s, Returns returns);

// Two settings that differ only in the baseline. `with` is the session's setting and `without`
// the same with `alternative`; when the session's baseline is none they swap roles (`without`
// is none), and when the alternative is also none — or not available — it becomes leave-one-out
// (unbiased, needs no model: the baseline a student would implement first) — with one episode per
// batch, where leave-one-out is b ≡ 0, exact-value or critic instead where available.
struct BaselinePair {
  EstimatorConfig with, without;
  bool with_is_current = true;  // which one the session is training with
};
BaselinePair baseline_pair(const Session& s, Baseline alternative);

// Baselines computed from the batch's other episodes (mean, time-mean, leave-one-out, optimal):
// with N = 1 they are degenerate (leave-one-out b ≡ 0; mean and time-mean b = Q̂, ψ ≡ 0).
bool needs_other_episodes(Baseline b);

// Population standard deviation (0 for fewer than one value).
double population_std(const std::vector<double>& values);

// Root mean square √(mean v²) (0 for no values).
double root_mean_square(const std::vector<double>& values);

// Both estimates on the session's current batch (needs batch_complete()), and the size of ψ.
// ψ multiplies ∇log π, whose expectation is 0, so a constant part of ψ adds only noise: what drives
// the gradient's variance is E[ψ²] = mean² + std², not the spread alone — hence both.
struct PsiComparison {
  Estimate with, without;
  double psi_mean_with = 0, psi_mean_without = 0;
  double psi_std_with = 0, psi_std_without = 0;
  double psi_rms_with = 0, psi_rms_without = 0;
  // (std ψ without / std ψ with)²: the ratio of the weights' variances on this batch.
  double psi_variance_ratio = 0;
  // (rms ψ without / rms ψ with)²: the ratio of mean ψ², what the gradient noise scales with.
  double psi_square_ratio = 0;
};
PsiComparison compare_psi(const Session& s, const BaselinePair& p);

// trace Cov(settings[1]) / trace Cov(settings[0]) of a report run on {with, without}: how many
// times more batches the estimator without the baseline needs for the same variance.
double variance_reduction(const VarianceReport& rep);
// The standard error of that ratio, from the K estimates (run_variance with keep_samples; NaN
// without them or K < 3). Per batch k, a_k = ‖ĝ_k − ḡ‖² without and b_k with the baseline (the
// same batch for both): the ratio is R = mean a / mean b, and by the delta method for a ratio of
// paired means Var R ≈ Var_k(a_k − R b_k) / (K (mean b)²), the pairing's covariance included.
// (Treating ḡ as known understates the variance by O(1/K²).) The view calls the difference real
// only when |R − 1| > kReductionMargin s.e.
double variance_reduction_stderr(const VarianceReport& rep);
// 3 s.e., as the variance view greys a bias within 3 s.e.: a_k and b_k are squared norms, heavy-
// tailed, so the delta method's s.e. is itself noisy at K = 200 and 2 s.e. would call too much (the
// audit's continuous bandit: ×0.967 at K = 200 was ×1.04 at K = 3000).
inline constexpr double kReductionMargin = 3.0;

// One forked run's learning curve from the fork on (one entry per iteration completed after it).
struct ForkRun {
  EstimatorConfig config;
  std::vector<double> iteration, return_mean, exact_J;  // exact_J: NaN without a model
  std::vector<double>
      smoothed;       // trailing mean of return_mean over the last kForkSmoothing entries
  std::string fault;  // the fork's NaN/Inf message, if it stopped
};
inline constexpr int kForkSmoothing = 10;

struct ForkComparison {
  int fork_iteration = 0;  // the session's iteration when forked
  int iterations = 0;      // requested per run
  ForkRun with, without;
  bool cancelled = false;
};

// Forks s twice (Session::fork_with) and runs both `iterations` iterations, alternating one
// iteration each. `progress` counts iterations done over both runs (0 .. 2·iterations); `cancel`
// stops early (the curves then hold what was run).
ForkComparison run_forks(const Session& s, const BaselinePair& p, int iterations,
                         std::atomic<int>* progress = nullptr,
                         const std::atomic<bool>* cancel = nullptr);

}  // namespace pg
