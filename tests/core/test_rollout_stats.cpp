#include <gtest/gtest.h>

#include "lab/rollout_stats.h"

namespace pg {
namespace {

// A 2-feature trajectory s_0 s_1 s_2 → s_3 with states 4, 5, 4 and final state 7.
Trajectory make_trajectory() {
  Trajectory tr;
  tr.clear(2);
  tr.obs = {0.0, 10.0, 1.0, 20.0, 3.0, 40.0};
  tr.obs_index = {4, 5, 4};
  tr.state = {4, 5, 4};
  tr.actions = {1, 0, 1};
  tr.rewards = {1.0, 0.0, 2.0};
  tr.final_obs = {7.0, 80.0};
  tr.final_state = 7;
  tr.terminated = true;
  return tr;
}

TEST(RolloutStats, Series) {
  const Trajectory tr = make_trajectory();
  const RolloutSeries r = rollout_series(tr, 0.5);
  ASSERT_EQ(r.t.size(), 3u);
  EXPECT_EQ(r.t[2], 2.0);
  EXPECT_EQ(r.reward[2], 2.0);
  // G_2 = 2, G_1 = 0 + 0.5·2 = 1, G_0 = 1 + 0.5·1 = 1.5.
  EXPECT_DOUBLE_EQ(r.reward_to_go[0], 1.5);
  EXPECT_DOUBLE_EQ(r.reward_to_go[1], 1.0);
  EXPECT_DOUBLE_EQ(r.reward_to_go[2], 2.0);
  EXPECT_DOUBLE_EQ(r.return_so_far[0], 1.0);
  EXPECT_DOUBLE_EQ(r.return_so_far[1], 1.0);
  EXPECT_DOUBLE_EQ(r.return_so_far[2], 3.0);
  EXPECT_DOUBLE_EQ(return_after(tr, 0), 0.0);
  EXPECT_DOUBLE_EQ(return_after(tr, 1), 1.0);
  EXPECT_DOUBLE_EQ(return_after(tr, 3), 3.0);
  EXPECT_DOUBLE_EQ(return_after(tr, 99), 3.0);
  EXPECT_TRUE(rollout_series(Trajectory{}, 0.9).t.empty());
}

TEST(RolloutStats, Visits) {
  Batch batch;
  batch.trajectories.push_back(make_trajectory());
  Trajectory b = make_trajectory();
  b.state = {5, -1, 5};
  b.final_state = 5;
  batch.trajectories.push_back(b);
  const std::vector<int> n = state_visits(batch, 8);
  ASSERT_EQ(n.size(), 8u);
  EXPECT_EQ(n[4], 2);
  EXPECT_EQ(n[5], 1 + 3);  // s_1 of the first; s_0, s_2 and s_T of the second
  EXPECT_EQ(n[7], 1);      // arrival counts
  EXPECT_EQ(n[0] + n[1] + n[2] + n[3] + n[6], 0);
}

TEST(RolloutStats, FeaturesAtInterpolatesAndClamps) {
  const Trajectory tr = make_trajectory();
  double f[2];
  features_at(tr, 1.25, f);
  EXPECT_DOUBLE_EQ(f[0], 1.0 + 0.25 * 2.0);
  EXPECT_DOUBLE_EQ(f[1], 20.0 + 0.25 * 20.0);
  features_at(tr, 2.5, f);  // between s_2 and the final state
  EXPECT_DOUBLE_EQ(f[0], 5.0);
  EXPECT_DOUBLE_EQ(f[1], 60.0);
  features_at(tr, 3.0, f);
  EXPECT_DOUBLE_EQ(f[0], 7.0);
  features_at(tr, 42.0, f);
  EXPECT_DOUBLE_EQ(f[1], 80.0);
  features_at(tr, -1.0, f);
  EXPECT_DOUBLE_EQ(f[1], 10.0);
  const std::vector<double> x = feature_series(tr, 0);
  ASSERT_EQ(x.size(), 4u);
  EXPECT_DOUBLE_EQ(x[2], 3.0);
  EXPECT_DOUBLE_EQ(x[3], 7.0);
  EXPECT_TRUE(feature_series(tr, 2).empty());
}

TEST(RolloutStats, NearestStepInState) {
  const Trajectory tr = make_trajectory();
  EXPECT_EQ(state_at(tr, 0), 4);
  EXPECT_EQ(state_at(tr, 3), 7);
  EXPECT_EQ(nearest_step_in_state(tr, 4, 0.2), 0);
  EXPECT_EQ(nearest_step_in_state(tr, 4, 1.0), 0);  // tie between 0 and 2: the earlier
  EXPECT_EQ(nearest_step_in_state(tr, 4, 1.6), 2);
  EXPECT_EQ(nearest_step_in_state(tr, 5, 3.0), 1);
  EXPECT_EQ(nearest_step_in_state(tr, 7, 0.0), 3);
  EXPECT_EQ(nearest_step_in_state(tr, 6, 0.0), -1);
}

TEST(RolloutStats, NonterminalRange) {
  TabularModel m(4, 1, 4);
  m.set_terminal(1, true);
  Eigen::VectorXd v(4);
  v << -3.0, -100.0, 2.0, 0.5;
  const ValueRange r = nonterminal_range(v, m);
  EXPECT_DOUBLE_EQ(r.lo, -3.0);
  EXPECT_DOUBLE_EQ(r.hi, 2.0);
  TabularModel all_terminal(1, 1, 1);
  all_terminal.set_terminal(0, true);
  const ValueRange z = nonterminal_range(Eigen::VectorXd::Ones(1), all_terminal);
  EXPECT_EQ(z.lo, 0.0);
  EXPECT_EQ(z.hi, 0.0);
}

}  // namespace
}  // namespace pg
