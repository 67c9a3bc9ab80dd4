#include <gtest/gtest.h>

#include <cmath>
#include <functional>

#include "env/bandit.h"
#include "env/short_corridor.h"
#include "lab/policy_curve.h"
#include "policy/tabular_softmax.h"
#include "util/error.h"

namespace pg {
namespace {

// Naive finite-horizon J of the short corridor: every action sequence of length ≤ H, weighted
// by its probability, −1 per step taken, cut at the goal or after H steps.
double naive_corridor_J(double p, int H) {
  std::function<double(int, int, double)> walk = [&](int s, int t, double prob) -> double {
    if (s == ShortCorridor::kGoal || t == H) return 0.0;
    double sum = 0.0;
    for (int a = 0; a < 2; ++a) {
      const double pa = a == 1 ? p : 1.0 - p;
      sum += prob * pa * -1.0 + walk(ShortCorridor::next_state(s, a), t + 1, prob * pa);
    }
    return sum;
  };
  return walk(0, 0, 1.0);
}

TEST(PolicyCurve, NoStepLimitMatchesClosedForm) {
  ShortCorridor env(ShortCorridorConfig{1.0, 0});
  const PolicyCurve c = short_corridor_curve(env, 99);
  ASSERT_EQ(c.p.size(), 99u);
  EXPECT_DOUBLE_EQ(c.p.front(), 0.01);
  EXPECT_DOUBLE_EQ(c.p.back(), 0.99);
  for (size_t i = 0; i < c.p.size(); ++i)
    EXPECT_NEAR(c.J[i], short_corridor_closed_form_J(c.p[i]), 1e-9 * std::abs(c.J[i]))
        << "p = " << c.p[i];
  // Grid spacing 0.01: the best grid point is the one nearest p* = 0.5858 (J is smooth there).
  EXPECT_NEAR(c.p_best, 0.59, 1e-12);
  EXPECT_NEAR(c.J_best, short_corridor_closed_form_J(0.59), 1e-9);
  EXPECT_NEAR(short_corridor_p_star(), 0.585786437626905, 1e-12);
}

TEST(PolicyCurve, StepLimitMatchesNaiveEnumeration) {
  const int H = 7;
  ShortCorridor env(ShortCorridorConfig{1.0, H});
  const PolicyCurve c = short_corridor_curve(env, 5, 0.1, 0.9);
  for (size_t i = 0; i < c.p.size(); ++i)
    EXPECT_NEAR(c.J[i], naive_corridor_J(c.p[i], H), 1e-12) << c.p[i];
  // A cut episode costs at most H: the curve lies above −H and above the untruncated J.
  for (size_t i = 0; i < c.p.size(); ++i) {
    EXPECT_GE(c.J[i], -H);
    EXPECT_GT(c.J[i], short_corridor_closed_form_J(c.p[i]));
  }
}

TEST(PolicyCurve, RejectsOtherWorldsAndBadRanges) {
  Bandit bandit;  // three actions
  EXPECT_THROW(short_corridor_curve(bandit, 10), InputError);
  ShortCorridor env;
  EXPECT_THROW(short_corridor_curve(env, 1), InputError);
  EXPECT_THROW(short_corridor_curve(env, 10, 0.0, 0.5), InputError);
  EXPECT_THROW(short_corridor_curve(env, 10, 0.6, 0.5), InputError);
}

TEST(PolicyCurve, ProbOfAction) {
  TabularSoftmax pi(1, 2);
  pi.fill_rows({0.0, std::log(3.0)});
  EXPECT_NEAR(prob_of_action(pi, 1), 0.75, 1e-15);
  EXPECT_NEAR(prob_of_action(pi, 0), 0.25, 1e-15);
}

TEST(BanditSummary, ExpectedRewardBestArmAndBatchShare) {
  Bandit env(BanditConfig{{0.2, 0.5, 0.8}, "gaussian", 1.0});
  TabularSoftmax pi(1, 3);
  pi.fill_rows({0.0, std::log(2.0), std::log(5.0)});  // π = (1, 2, 5) / 8
  Batch batch;
  for (int a : {2, 2, 0, 2}) {
    Trajectory tr;
    tr.clear(0);
    tr.actions.push_back(a);
    tr.rewards.push_back(0.0);
    tr.state.push_back(0);
    tr.obs_index.push_back(0);
    batch.trajectories.push_back(tr);
  }
  batch.trajectories.emplace_back();  // an episode that has not stepped yet: ignored
  const BanditSummary b = bandit_summary(env, pi, &batch);
  EXPECT_NEAR(b.probs[0], 1.0 / 8, 1e-15);
  EXPECT_NEAR(b.probs[2], 5.0 / 8, 1e-15);
  EXPECT_NEAR(b.J, (0.2 * 1 + 0.5 * 2 + 0.8 * 5) / 8, 1e-15);  // 0.65
  EXPECT_EQ(b.best_arm, 2);
  EXPECT_DOUBLE_EQ(b.best_mean, 0.8);
  EXPECT_DOUBLE_EQ(b.batch_share[0], 0.25);
  EXPECT_DOUBLE_EQ(b.batch_share[1], 0.0);
  EXPECT_DOUBLE_EQ(b.batch_share[2], 0.75);

  Bandit tie(BanditConfig{{0.5, 0.5}, "bernoulli", 0.0});
  TabularSoftmax uniform(1, 2);
  const BanditSummary t = bandit_summary(tie, uniform, nullptr);
  EXPECT_EQ(t.best_arm, 0);
  EXPECT_DOUBLE_EQ(t.J, 0.5);
  EXPECT_DOUBLE_EQ(t.batch_share[0], 0.0);
}

}  // namespace
}  // namespace pg
