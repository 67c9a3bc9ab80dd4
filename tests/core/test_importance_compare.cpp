// The Importance view's numbers: with b = π (iteration 0 of a lagged behaviour) the fresh
// on-policy batch shares the behaviour batch's random numbers, so both estimates are equal; later
// they differ; cosines, norms, ESS and the top-k ranking against direct computations.
#include <gtest/gtest.h>

#include <cmath>

#include "lab/importance_compare.h"

namespace pg {

TEST(ImportanceCompare, EqualEstimatesWhenTheBehaviourIsTheTarget) {
  Session s(load_scenario("off-policy-gridworld"));
  ASSERT_TRUE(s.advance(Granularity::kEstimate));
  const ImportanceComparison c = compare_importance(s, 8);
  ASSERT_TRUE(c.available);
  EXPECT_EQ(c.N, s.batch().size());
  EXPECT_LT((c.off_policy - c.on_policy).norm(), 1e-12 * c.norm_on);
  EXPECT_NEAR(c.cos_off_on, 1.0, 1e-12);
  EXPECT_EQ(c.ess, c.N);
  for (double lw : c.log_w) EXPECT_EQ(lw, 0.0);
  EXPECT_EQ(c.batch_iteration, 0);
  // Between iterations the batch (and its streams) are still iteration 0's.
  ASSERT_TRUE(s.advance(Granularity::kIteration));
  ASSERT_EQ(s.phase(), Phase::kCollect);
  const ImportanceComparison after = compare_importance(s, 8);
  EXPECT_EQ(after.batch_iteration, 0);
  EXPECT_LT((after.off_policy - after.on_policy).norm(), 1e-12 * after.norm_on);
}

TEST(ImportanceCompare, NumbersMatchDirectComputations) {
  Session s(load_scenario("off-policy-gridworld"));
  ASSERT_TRUE(s.run_iterations(5));
  ASSERT_TRUE(s.advance(Granularity::kEstimate));
  const ImportanceComparison c = compare_importance(s, 6);
  ASSERT_TRUE(c.available);
  EXPECT_EQ(c.behaviour_iteration, 3);
  EXPECT_EQ(c.weighting, "per-decision");
  EXPECT_GT((c.off_policy - c.on_policy).norm(), 0.0);
  ASSERT_EQ(c.exact.size(), c.off_policy.size());
  EXPECT_NEAR(c.cos_off_exact, c.off_policy.dot(c.exact) / (c.off_policy.norm() * c.exact.norm()),
              1e-12);
  EXPECT_NEAR(c.norm_exact, s.batch_exact()->gradient.norm(), 1e-12);
  double sw = 0, sw2 = 0;
  for (double lw : c.log_w) {
    sw += std::exp(lw);
    sw2 += std::exp(2 * lw);
  }
  EXPECT_NEAR(c.ess, sw * sw / sw2, 1e-9);
  EXPECT_NEAR(c.ess_fraction, c.ess / c.N, 1e-15);
  ASSERT_EQ(c.top.size(), 6u);
  for (size_t i = 1; i < c.top.size(); ++i)
    EXPECT_GE(std::abs(c.exact[c.top[i - 1]]), std::abs(c.exact[c.top[i]]));
  for (int k = 0; k < c.exact.size(); ++k) {
    if (std::find(c.top.begin(), c.top.end(), k) != c.top.end()) continue;
    EXPECT_LE(std::abs(c.exact[k]), std::abs(c.exact[c.top.back()]));
  }
  EXPECT_TRUE(std::isnan(cosine(Eigen::VectorXd::Zero(3), Eigen::VectorXd::Ones(3))));
}

TEST(ImportanceCompare, UnavailableForOtherAlgorithms) {
  Session s(load_scenario("gridworld-reinforce"));
  ASSERT_TRUE(s.advance(Granularity::kEstimate));
  EXPECT_FALSE(compare_importance(s, 4).available);
}

}  // namespace pg
