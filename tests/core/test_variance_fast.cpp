// The variance lab's fast path (each step's score once per batch, every setting from one product)
// against the naive path (estimate_reinforce with the policy per setting): the same K estimates
// for every setting, to 1e-12 relative, on a tabular and an MLP world.
#include <gtest/gtest.h>

#include "lab/variance.h"
#include "session/session.h"

namespace pg {

namespace {

void expect_same(const Session& s, const std::vector<EstimatorConfig>& settings, int K) {
  VarianceOptions fast, naive;
  fast.keep_samples = naive.keep_samples = true;
  naive.naive = true;
  const VarianceReport a = run_variance(s, settings, K, fast);
  const VarianceReport b = run_variance(s, settings, K, naive);
  ASSERT_EQ(a.settings.size(), settings.size());
  ASSERT_EQ(b.settings.size(), settings.size());
  for (size_t j = 0; j < settings.size(); ++j) {
    SCOPED_TRACE(describe(settings[j]));
    for (int k = 0; k < K; ++k) {
      const Eigen::VectorXd& x = a.settings[j].samples[k];
      const Eigen::VectorXd& y = b.settings[j].samples[k];
      ASSERT_EQ(x.size(), y.size());
      // Only the summation order differs: rounding, far below 1e-12 of the estimate's size.
      EXPECT_LE((x - y).norm(), 1e-12 * std::max(1.0, y.norm())) << "batch " << k;
    }
    EXPECT_NEAR(a.settings[j].trace_cov, b.settings[j].trace_cov,
                1e-12 * std::max(1.0, b.settings[j].trace_cov));
  }
}

}  // namespace

TEST(VarianceFast, EqualsNaiveOnGridworld) {
  Session s(load_scenario("gridworld-reinforce"));
  ASSERT_TRUE(s.run_iterations(3));
  std::vector<EstimatorConfig> settings = all_settings(s);
  // The tabular critic too (all_settings lists it only where the run fits it; this one trains
  // with leave-one-out, so its V_φ is its start, which the two paths must still agree on).
  for (Returns r : {Returns::kTotal, Returns::kRewardToGo}) {
    EstimatorConfig c = settings.front();
    c.returns = r;
    c.baseline = Baseline::kCritic;
    settings.push_back(c);
  }
  // Every baseline, with normalize and discount weighting both ways (optimal needs normalize off).
  const size_t n = settings.size();
  for (size_t j = 0; j < n; ++j) {
    EstimatorConfig c = settings[j];
    c.discount_weighting = !c.discount_weighting;
    settings.push_back(c);
    if (c.baseline != Baseline::kOptimal) {
      c.normalize = !c.normalize;
      settings.push_back(c);
    }
  }
  expect_same(s, settings, 6);
}

TEST(VarianceFast, EqualsNaiveOnCartPoleMlp) {
  Session s(load_scenario("cartpole-reinforce"));  // MLP policy and MLP critic baseline
  ASSERT_TRUE(s.run_iterations(2));
  expect_same(s, all_settings(s), 3);
}

}  // namespace pg
