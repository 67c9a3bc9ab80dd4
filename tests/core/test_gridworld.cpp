#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "env/gridworld.h"
#include "util/error.h"

namespace pg {
namespace {

GridWorld make(const std::string& text, double slip, int step_limit = 100) {
  GridWorldConfig c;
  c.map = parse_grid_map(text, "t.txt");
  c.slip = slip;
  c.step_reward = -0.1;
  c.goal_reward = 5.0;
  c.pit_reward = -3.0;
  c.step_limit = step_limit;
  return GridWorld(c);
}

TEST(GridWorld, StatesAreNonWallCellsRowMajor) {
  GridWorld g = make("S.#\n#.G\n", 0.0);
  EXPECT_EQ(g.num_obs(), 4);
  EXPECT_EQ(g.obs_dim(), 4);
  EXPECT_EQ(g.state_of_cell(0, 0), 0);
  EXPECT_EQ(g.state_of_cell(0, 1), 1);
  EXPECT_EQ(g.state_of_cell(0, 2), -1);
  EXPECT_EQ(g.state_of_cell(1, 0), -1);
  EXPECT_EQ(g.state_of_cell(1, 1), 2);
  EXPECT_EQ(g.state_of_cell(1, 2), 3);
  EXPECT_EQ(g.cell_of_state(3), std::make_pair(1, 2));
  EXPECT_EQ(g.cell(1, 2), 'G');
  Rng rng(1);
  g.reset(rng);
  EXPECT_EQ(g.state(), 0);
  std::vector<double> x(4, 7.0);
  g.observe(x.data());
  EXPECT_EQ(x, (std::vector<double>{1, 0, 0, 0}));
  std::vector<double> f(4);
  g.features_of(2, f.data());
  EXPECT_EQ(f, (std::vector<double>{0, 0, 1, 0}));
}

TEST(GridWorld, DeterministicMovesWallsAndEdges) {
  // S . #
  // # . G
  GridWorld g = make("S.#\n#.G\n", 0.0);
  Rng rng(3);
  g.reset(rng);
  StepResult r = g.step(0, rng);  // up: off the grid, stays
  EXPECT_EQ(g.state(), 0);
  EXPECT_DOUBLE_EQ(r.reward, -0.1);
  EXPECT_FALSE(r.terminated);
  g.step(3, rng);  // left: off the grid
  EXPECT_EQ(g.state(), 0);
  g.step(2, rng);  // down: wall
  EXPECT_EQ(g.state(), 0);
  g.step(1, rng);  // right
  EXPECT_EQ(g.state(), 1);
  g.step(1, rng);  // right: wall
  EXPECT_EQ(g.state(), 1);
  g.step(2, rng);  // down
  EXPECT_EQ(g.state(), 2);
  r = g.step(1, rng);  // right into G
  EXPECT_EQ(g.state(), 3);
  EXPECT_DOUBLE_EQ(r.reward, 5.0);
  EXPECT_TRUE(r.terminated);
  EXPECT_FALSE(r.truncated);
  EXPECT_EQ(g.elapsed(), 7);
  EXPECT_EQ(rng.counter(), 0u) << "slip 0 must not draw random numbers";
}

TEST(GridWorld, PitTerminatesWithPitReward) {
  GridWorld g = make("SX\n.G\n", 0.0);
  Rng rng(0);
  g.reset(rng);
  const StepResult r = g.step(1, rng);
  EXPECT_TRUE(r.terminated);
  EXPECT_DOUBLE_EQ(r.reward, -3.0);
  EXPECT_TRUE(g.model()->terminal(g.state()));
}

TEST(GridWorld, TruncatesAtStepLimitOnly) {
  GridWorld g = make("S..\n..G\n", 0.0, 3);
  Rng rng(0);
  g.reset(rng);
  EXPECT_FALSE(g.step(0, rng).truncated);
  EXPECT_FALSE(g.step(0, rng).truncated);
  const StepResult r = g.step(0, rng);
  EXPECT_TRUE(r.truncated);
  EXPECT_FALSE(r.terminated);
  // Termination on the last allowed step is terminated, not truncated.
  GridWorld h = make("SG\n", 0.0, 1);
  h.reset(rng);
  const StepResult t = h.step(1, rng);
  EXPECT_TRUE(t.terminated);
  EXPECT_FALSE(t.truncated);
  // step_limit 0: never truncated.
  GridWorld u = make("S.\n.G\n", 0.0, 0);
  u.reset(rng);
  for (int i = 0; i < 1000; ++i) ASSERT_FALSE(u.step(0, rng).truncated);
}

TEST(GridWorld, ModelRowsSumToOneAndRewardsAreExpectations) {
  GridWorld g = make(";\nS.#.\n..X.\n#..G\n", 0.3);
  const TabularModel& m = *g.model();
  EXPECT_EQ(m.num_states(), 10);
  for (int s = 0; s < m.num_states(); ++s)
    for (int a = 0; a < 4; ++a) {
      double sum = 0.0, r = 0.0;
      for (const Transition& t : m.successors(s, a)) {
        EXPECT_GT(t.prob, 0.0);
        sum += t.prob;
        const auto [rr, cc] = g.cell_of_state(t.next);
        const char ch = g.cell(rr, cc);
        r += t.prob * (ch == 'G' ? 5.0 : ch == 'X' ? -3.0 : -0.1);
      }
      EXPECT_NEAR(sum, 1.0, 1e-15) << s << "," << a;
      if (!m.terminal(s)) {
        EXPECT_NEAR(m.reward(s, a), r, 1e-15) << s << "," << a;
      }
    }
  EXPECT_DOUBLE_EQ(m.start(0), 1.0);
  EXPECT_TRUE(m.terminal(g.state_of_cell(1, 2)));
  EXPECT_TRUE(m.terminal(g.state_of_cell(2, 3)));
  EXPECT_FALSE(m.terminal(0));
}

TEST(GridWorld, UniformStartOverStartCells) {
  GridWorld g = make("S.S\n.SG\n", 0.0);
  const TabularModel& m = *g.model();
  EXPECT_DOUBLE_EQ(m.start(0), 1.0 / 3);
  EXPECT_DOUBLE_EQ(m.start(2), 1.0 / 3);
  EXPECT_DOUBLE_EQ(m.start(4), 1.0 / 3);
  EXPECT_DOUBLE_EQ(m.start(1), 0.0);
  // 30k resets: each start's frequency has standard error sqrt(2/9/3e4) ≈ 2.7e-3; 0.015 is > 5 of
  // them.
  int count[6] = {};
  for (int i = 0; i < 30000; ++i) {
    Rng rng = Rng::stream(5, 0, i, Purpose::kEnvReset);
    g.reset(rng);
    ++count[g.state()];
  }
  for (int s : {0, 2, 4}) EXPECT_NEAR(count[s] / 30000.0, 1.0 / 3, 0.015) << s;
}

TEST(GridWorld, SlipFrequenciesMatchModel) {
  // From every non-terminal state and action, 20k steps: each empirical frequency has standard
  // error ≤ sqrt(0.25/2e4) ≈ 3.5e-3; a margin of 0.02 is over 5.5 of them, so a correct
  // implementation fails with probability far below 1e-6 per comparison, while a swapped or
  // missing slip direction (errors ≥ 0.1 here) fails surely.
  GridWorld g = make(";\nS.#.\n..X.\n#..G\n", 0.4);
  const TabularModel& m = *g.model();
  const int n = 20000;
  for (int s = 0; s < m.num_states(); ++s) {
    if (m.terminal(s)) continue;
    for (int a = 0; a < 4; ++a) {
      std::vector<int> count(m.num_states(), 0);
      for (int i = 0; i < n; ++i) {
        Rng rng = Rng::stream(11, s * 4 + a, i, Purpose::kEnvStep);
        g.set_state(s);
        const int before = g.elapsed();
        g.step(a, rng);
        ASSERT_EQ(g.elapsed(), before + 1);
        ASSERT_EQ(rng.counter(), 1u) << "slip > 0 must draw exactly one number";
        ++count[g.state()];
      }
      std::vector<double> p(m.num_states(), 0.0);
      for (const Transition& t : m.successors(s, a)) p[t.next] += t.prob;
      for (int t = 0; t < m.num_states(); ++t)
        EXPECT_NEAR(count[t] / static_cast<double>(n), p[t], 0.02)
            << "s=" << s << " a=" << a << " s'=" << t;
    }
  }
}

TEST(GridWorld, SlipDirectionsArePerpendicular) {
  // Open 3×3 centre: with slip 1 the intended direction never happens.
  GridWorld g = make("S..\n...\n..G\n", 1.0);
  const TabularModel& m = *g.model();
  const int centre = g.state_of_cell(1, 1);
  for (const Transition& t : m.successors(centre, 0)) {  // up → left or right
    EXPECT_DOUBLE_EQ(t.prob, 0.5);
    EXPECT_TRUE(t.next == g.state_of_cell(1, 0) || t.next == g.state_of_cell(1, 2));
  }
  EXPECT_EQ(m.successors(centre, 0).size(), 2u);
}

TEST(GridWorld, BadConfig) {
  GridWorldConfig c;
  c.map = parse_grid_map("SG\n", "t.txt");
  c.slip = 1.5;
  EXPECT_THROW(GridWorld{c}, InputError);
  c.slip = 0.0;
  c.step_limit = -1;
  EXPECT_THROW(GridWorld{c}, InputError);
}

TEST(GridWorld, CloneIsIndependent) {
  GridWorld g = make("S..\n..G\n", 0.0);
  Rng rng(0);
  g.reset(rng);
  auto c = g.clone();
  g.step(1, rng);
  EXPECT_EQ(c->state_index(), 0);
  EXPECT_EQ(g.state_index(), 1);
}

}  // namespace
}  // namespace pg
