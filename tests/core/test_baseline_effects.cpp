// Baseline effects: the pair of settings compared, ψ's spread on one batch, forked runs on common
// random numbers (against forking by hand), and the variance-reduction factor.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

#include "lab/baseline_effects.h"
#include "session/session.h"
#include "util/error.h"

namespace pg {

namespace {

Session trained(const char* name, int iterations) {
  Session s(load_scenario(name));
  EXPECT_TRUE(s.run_iterations(iterations));
  return s;
}

}  // namespace

TEST(BaselineEffects, PairIsCurrentVersusAlternative) {
  Session s = trained("gridworld-reinforce", 1);  // reward-to-go, leave-one-out
  BaselinePair p = baseline_pair(s, Baseline::kNone);
  EXPECT_TRUE(p.with_is_current);
  EXPECT_EQ(p.with, s.estimator());
  EXPECT_EQ(p.without.baseline, Baseline::kNone);
  EXPECT_EQ(p.without.returns, s.estimator().returns);
  EXPECT_EQ(p.without.discount_weighting, s.estimator().discount_weighting);
  p = baseline_pair(s, Baseline::kExactValue);
  EXPECT_EQ(p.without.baseline, Baseline::kExactValue);
  // The current baseline as the alternative means none.
  EXPECT_EQ(baseline_pair(s, Baseline::kLeaveOneOut).without.baseline, Baseline::kNone);

  Session b = trained("bandit-reinforce", 1);  // total, none
  p = baseline_pair(b, Baseline::kNone);
  EXPECT_FALSE(p.with_is_current);
  EXPECT_EQ(p.with.baseline, Baseline::kLeaveOneOut);
  EXPECT_EQ(p.without, b.estimator());
  EXPECT_EQ(baseline_pair(b, Baseline::kOptimal).with.baseline, Baseline::kOptimal);

  // One episode per batch (the short corridor): leave-one-out would be b ≡ 0; the exact value
  // instead.
  Session corridor = trained("short-corridor-reinforce", 1);
  ASSERT_EQ(corridor.scenario().algorithm.batch_episodes, 1);
  EXPECT_EQ(baseline_pair(corridor, Baseline::kNone).with.baseline, Baseline::kExactValue);
  EXPECT_TRUE(needs_other_episodes(Baseline::kLeaveOneOut));
  EXPECT_FALSE(needs_other_episodes(Baseline::kExactValue));

  Session c = trained("cartpole-reinforce", 1);  // no model: exact-value is not offered
  const std::vector<Baseline> ok = available_baselines(c, Returns::kRewardToGo);
  EXPECT_EQ(std::count(ok.begin(), ok.end(), Baseline::kExactValue), 0);
  EXPECT_EQ(std::count(ok.begin(), ok.end(), Baseline::kCritic), 1);
  EXPECT_EQ(std::count(ok.begin(), ok.end(), Baseline::kOptimal), 0);  // normalize is on
  EXPECT_EQ(baseline_pair(c, Baseline::kExactValue).without.baseline, Baseline::kNone);
}

TEST(BaselineEffects, PsiWithoutABaselineIsTheReturn) {
  Session s = trained("gridworld-reinforce", 2);
  const PsiComparison c = compare_psi(s, baseline_pair(s, Baseline::kNone));
  ASSERT_EQ(c.with.num_steps(), s.batch().num_steps());
  ASSERT_EQ(c.without.psi.size(), c.without.q_hat.size());
  // rtg + discount weighting: ψ_it = γ^t G_it without a baseline, γ^t (G_it − b_it) with one.
  const double gamma = s.env().gamma();
  for (int i = 0; i < c.with.num_trajectories; ++i)
    for (int t = 0; t < c.with.offset[i + 1] - c.with.offset[i]; ++t) {
      const int k = c.with.at(i, t);
      EXPECT_NEAR(c.without.psi[k], std::pow(gamma, t) * c.without.q_hat[k], 1e-12);
      EXPECT_NEAR(c.with.psi[k], std::pow(gamma, t) * (c.with.q_hat[k] - c.with.baseline[k]),
                  1e-12);
    }
  // Spread: naive two-pass std.
  double m = 0, ss = 0;
  for (double v : c.without.psi) m += v;
  m /= c.without.psi.size();
  for (double v : c.without.psi) ss += (v - m) * (v - m);
  EXPECT_NEAR(c.psi_std_without, std::sqrt(ss / c.without.psi.size()), 1e-12);
  EXPECT_NEAR(c.psi_variance_ratio, std::pow(c.psi_std_without / c.psi_std_with, 2), 1e-12);
  // mean² + std² = mean square.
  EXPECT_NEAR(c.psi_rms_with * c.psi_rms_with,
              c.psi_mean_with * c.psi_mean_with + c.psi_std_with * c.psi_std_with, 1e-12);
  EXPECT_NEAR(c.psi_square_ratio, std::pow(c.psi_rms_without / c.psi_rms_with, 2), 1e-12);
  // Without a baseline every G_t here is a discounted sum of rewards; the baseline centres ψ.
  EXPECT_LT(std::abs(c.psi_mean_with), std::abs(c.psi_mean_without));
  EXPECT_DOUBLE_EQ(root_mean_square({3.0, -4.0}), std::sqrt(12.5));
  EXPECT_DOUBLE_EQ(population_std({1.0, 3.0}), 1.0);
  EXPECT_DOUBLE_EQ(population_std({}), 0.0);
}

TEST(BaselineEffects, ForksMatchForkingByHand) {
  Session s = trained("gridworld-reinforce", 3);
  const BaselinePair p = baseline_pair(s, Baseline::kNone);
  std::atomic<int> progress{0};
  const ForkComparison f = run_forks(s, p, 6, &progress);
  EXPECT_EQ(progress.load(), 12);
  EXPECT_EQ(f.fork_iteration, 3);
  for (auto [run, config] : {std::pair{&f.with, p.with}, {&f.without, p.without}}) {
    Session by_hand = s.fork_with(config);
    ASSERT_TRUE(by_hand.run_iterations(6));
    ASSERT_EQ(run->iteration.size(), 6u);
    for (int i = 0; i < 6; ++i) {
      const IterationRecord& r = by_hand.history()[3 + i];
      EXPECT_EQ(run->iteration[i], 3 + i);
      EXPECT_EQ(run->return_mean[i], r.return_mean);
      EXPECT_EQ(run->exact_J[i], r.exact_J);
    }
    // Trailing mean over up to kForkSmoothing entries.
    EXPECT_DOUBLE_EQ(run->smoothed[2],
                     (run->return_mean[0] + run->return_mean[1] + run->return_mean[2]) / 3.0);
  }
  // Common random numbers: the first batch after the fork is sampled at the same θ with the same
  // streams, so both runs see the same returns; the updates then differ and so do the θ's.
  EXPECT_EQ(f.with.return_mean[0], f.without.return_mean[0]);
  EXPECT_EQ(f.with.exact_J[0], f.without.exact_J[0]);
  EXPECT_NE(f.with.exact_J[1], f.without.exact_J[1]);
}

TEST(BaselineEffects, ForksCanBeCancelled) {
  Session s = trained("bandit-reinforce", 1);
  std::atomic<bool> cancel{true};
  const ForkComparison f = run_forks(s, baseline_pair(s, Baseline::kNone), 50, nullptr, &cancel);
  EXPECT_TRUE(f.cancelled);
  EXPECT_TRUE(f.with.iteration.empty());
}

TEST(BaselineEffects, LeaveOneOutReducesVarianceOnTheGrid) {
  // Reward-to-go on the 4×4 grid once the policy reaches the goal reliably (iteration 20): every
  // G_t is near the goal reward, a shared part the baseline removes. Measured ×4.7 (fixed seed);
  // 2 leaves room for K = 200's noise. (Near the uniform start the factor is ~1: G_t varies mostly
  // with the episode's own luck, which no baseline can remove.)
  Session s = trained("gridworld-reinforce", 20);
  const BaselinePair p = baseline_pair(s, Baseline::kNone);
  const VarianceReport rep = run_variance(s, {p.with, p.without}, 200);
  const double f = variance_reduction(rep);
  EXPECT_DOUBLE_EQ(f, rep.settings[1].trace_cov / rep.settings[0].trace_cov);
  EXPECT_GT(f, 2.0);
}

}  // namespace pg

namespace pg {

// Issue 7, item 1: the baseline view on A2C/PPO reached an assert in estimate_with (segments). A
// view's action is input, not a programmer mistake: a typed error the view shows, never an abort.
TEST(BaselineEffects, EstimateWithOnSegmentsThrowsInputError) {
  Session s(load_scenario("a2c-gridworld"));  // 8 environments × 32 steps: segments
  ASSERT_TRUE(s.segments());
  EXPECT_THROW(s.estimate_with(s.estimator()), InputError);  // no complete batch yet
  ASSERT_TRUE(s.run_iterations(1));
  EXPECT_THROW(s.estimate_with(s.estimator()), InputError);
  EXPECT_THROW(compare_psi(s, baseline_pair(s, Baseline::kNone)), InputError);
}

}  // namespace pg

#include <random>

namespace pg {

// The factor's standard error (audit a7 F4: a red "noisier" verdict from ×0.967 at K = 200 that
// reversed at K = 3000). Calibration: over many independent reports of K paired samples with a
// known ratio, the spread of the factor equals the mean standard error the formula gives.
TEST(BaselineEffects, ReductionStderrMatchesTheFactorsSpread) {
  std::mt19937_64 rng(7);
  std::normal_distribution<double> n01;
  const int K = 200, reps = 600, P = 3;
  std::vector<double> factors, ses;
  for (int rep = 0; rep < reps; ++rep) {
    VarianceReport r;
    r.samples = K;
    r.settings.resize(2);
    for (VarianceSetting& v : r.settings) v.mean = Eigen::VectorXd::Zero(P);
    for (int k = 0; k < K; ++k) {
      // Paired: "with" shares part of "without"'s noise (common random numbers), and the heavier
      // tail of a product of normals.
      Eigen::VectorXd common(P), own(P);
      for (int j = 0; j < P; ++j) {
        common[j] = n01(rng) * (1.0 + 0.5 * std::abs(n01(rng)));
        own[j] = n01(rng);
      }
      const Eigen::VectorXd without = 1.2 * common, with = common + 0.4 * own;
      r.settings[0].samples.push_back(with);
      r.settings[1].samples.push_back(without);
      r.settings[0].mean += with / K;
      r.settings[1].mean += without / K;
    }
    for (VarianceSetting& v : r.settings) {
      double ss = 0.0;
      for (const Eigen::VectorXd& g : v.samples) ss += (g - v.mean).squaredNorm();
      v.trace_cov = ss / (K - 1);
    }
    factors.push_back(variance_reduction(r));
    ses.push_back(variance_reduction_stderr(r));
  }
  double m = 0.0, mse = 0.0;
  for (int i = 0; i < reps; ++i) m += factors[i] / reps, mse += ses[i] / reps;
  double sd = 0.0;
  for (double f : factors) sd += (f - m) * (f - m) / (reps - 1);
  sd = std::sqrt(sd);
  std::printf("factor %.4f, spread %.4g, mean s.e. %.4g\n", m, sd, mse);
  // 600 replicates: the spread's own relative s.e. is ~3%; 12% leaves room and catches a missing
  // covariance term (ignoring the pairing gives ~2× here) or a wrong √K.
  EXPECT_NEAR(mse, sd, 0.12 * sd);
  // Without the K samples there is no standard error.
  VarianceReport empty;
  empty.settings.resize(2);
  EXPECT_TRUE(std::isnan(variance_reduction_stderr(empty)));
}

// The audit's case: the continuous bandit at iteration 5, leave-one-out against none over the
// view's K = 200 batches, is within 3 s.e. of 1 (K = 3000 reverses its order).
TEST(BaselineEffects, BanditLeaveOneOutIsWithinNoiseAtK200) {
  Session s(load_scenario("continuous-bandit-reinforce"));
  ASSERT_TRUE(s.run_iterations(5));
  const BaselinePair p = baseline_pair(s, Baseline::kNone);
  ASSERT_EQ(p.with.baseline, Baseline::kLeaveOneOut);
  VarianceOptions o;
  o.keep_samples = true;
  const VarianceReport rep = run_variance(s, {p.with, p.without}, 200, o);
  const double f = variance_reduction(rep), se = variance_reduction_stderr(rep);
  std::printf("factor %.4f ± %.3g\n", f, se);
  ASSERT_TRUE(std::isfinite(se));
  EXPECT_GT(se, 0.0);
  EXPECT_LT(std::abs(f - 1.0), kReductionMargin * se);
}

}  // namespace pg
