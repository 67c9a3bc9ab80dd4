#include <gtest/gtest.h>

#include <cmath>

#include "env/short_corridor.h"
#include "exact/exact.h"
#include "policy/tabular_softmax.h"

namespace pg {
namespace {

// A one-row tabular policy with P(right) = p.
TabularSoftmax corridor_policy(double p) {
  TabularSoftmax pi(1, 2);
  pi.fill_rows({0.0, std::log(p / (1.0 - p))});
  return pi;
}

TEST(ShortCorridor, Dynamics) {
  // (state, action) → next: left/right everywhere except state 1, where they are swapped.
  EXPECT_EQ(ShortCorridor::next_state(0, 0), 0);
  EXPECT_EQ(ShortCorridor::next_state(0, 1), 1);
  EXPECT_EQ(ShortCorridor::next_state(1, 0), 2);
  EXPECT_EQ(ShortCorridor::next_state(1, 1), 0);
  EXPECT_EQ(ShortCorridor::next_state(2, 0), 1);
  EXPECT_EQ(ShortCorridor::next_state(2, 1), 3);

  ShortCorridor env;
  Rng rng(0);
  env.reset(rng);
  EXPECT_EQ(env.state(), 0);
  double f = 0;
  env.observe(&f);
  EXPECT_EQ(f, 1.0);
  EXPECT_EQ(env.obs_index(), 0);
  // right, left (swapped: moves right), right → goal in three steps, −1 each.
  StepResult r = env.step(1, rng);
  EXPECT_EQ(env.state(), 1);
  EXPECT_EQ(r.reward, -1.0);
  r = env.step(0, rng);
  EXPECT_EQ(env.state(), 2);
  EXPECT_FALSE(r.terminated);
  r = env.step(1, rng);
  EXPECT_TRUE(r.terminated);
  EXPECT_EQ(r.reward, -1.0);
  EXPECT_EQ(env.elapsed(), 3);
  EXPECT_EQ(env.obs_index(), 0);
  EXPECT_EQ(rng.counter(), 0u);
}

TEST(ShortCorridor, TruncatesAtStepLimit) {
  ShortCorridor env({1.0, 5});
  Rng rng(0);
  env.reset(rng);
  for (int t = 0; t < 4; ++t) EXPECT_FALSE(env.step(0, rng).truncated);  // left in 0 stays
  const StepResult r = env.step(0, rng);
  EXPECT_TRUE(r.truncated);
  EXPECT_FALSE(r.terminated);
}

TEST(ShortCorridor, ModelMatchesDynamics) {
  ShortCorridor env;
  const TabularModel& m = *env.model();
  EXPECT_EQ(m.num_states(), 4);
  EXPECT_EQ(m.num_obs(), 1);
  EXPECT_TRUE(m.terminal(3));
  EXPECT_EQ(m.start(0), 1.0);
  for (int s = 0; s < 3; ++s)
    for (int a = 0; a < 2; ++a) {
      ASSERT_EQ(m.successors(s, a).size(), 1u);
      EXPECT_EQ(m.successors(s, a)[0].next, ShortCorridor::next_state(s, a));
      EXPECT_EQ(m.successors(s, a)[0].prob, 1.0);
      EXPECT_EQ(m.reward(s, a), -1.0);
      EXPECT_EQ(m.obs_of_state(s), 0);
    }
}

TEST(ShortCorridor, ClosedFormAtOptimum) {
  const double p_star = 2.0 - std::sqrt(2.0);
  EXPECT_NEAR(short_corridor_closed_form_J(p_star), -(6.0 + 4.0 * std::sqrt(2.0)), 1e-12);
  // p* maximises J: neighbours are lower.
  EXPECT_LT(short_corridor_closed_form_J(p_star - 1e-3), short_corridor_closed_form_J(p_star));
  EXPECT_LT(short_corridor_closed_form_J(p_star + 1e-3), short_corridor_closed_form_J(p_star));
}

TEST(ShortCorridor, ClosedFormMatchesExactInfiniteHorizon) {
  ShortCorridor env({1.0, 0});
  for (double p : {0.05, 0.2, 2.0 - std::sqrt(2.0), 0.5, 0.8, 0.95}) {
    const TabularSoftmax pi = corridor_policy(p);
    EXPECT_NEAR(exact_J(env, pi), short_corridor_closed_form_J(p), 1e-10) << "p=" << p;
    // Long finite horizon converges to it as well (tail mass after 1000 steps is negligible for
    // these p: the expected length is at most ~90 steps and the tail decays geometrically).
    EXPECT_NEAR(exact_J(env, pi, 4000), short_corridor_closed_form_J(p), 1e-8) << "p=" << p;
  }
}

TEST(ShortCorridor, MonteCarloMeanReturnWithinFourStandardErrors) {
  // 20k episodes at p = 0.3 with the default step limit 1000 (truncation essentially never
  // happens). The mean return's standard error is estimated from the sample itself; a correct
  // environment lands outside 4 of them with probability ≈ 6e-5.
  ShortCorridor env;
  const double p = 0.3;
  const int n = 20000;
  double sum = 0.0, sum2 = 0.0;
  for (int i = 0; i < n; ++i) {
    Rng env_rng = Rng::stream(9, 0, i, Purpose::kEnvStep);
    Rng act = Rng::stream(9, 0, i, Purpose::kAction);
    env.reset(env_rng);
    double g = 0.0;
    for (;;) {
      const int a = act.uniform() < p ? 1 : 0;
      const StepResult r = env.step(a, env_rng);
      g += r.reward;
      if (r.terminated || r.truncated) break;
    }
    sum += g;
    sum2 += g * g;
  }
  const double mean = sum / n;
  const double se = std::sqrt((sum2 / n - mean * mean) / (n - 1));
  EXPECT_NEAR(mean, short_corridor_closed_form_J(p), 4.0 * se) << "se=" << se;
  EXPECT_NEAR(mean, exact_J(env, corridor_policy(p)), 4.0 * se);
}

}  // namespace
}  // namespace pg
