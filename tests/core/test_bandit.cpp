#include <gtest/gtest.h>

#include <cmath>

#include "env/bandit.h"
#include "exact/exact.h"
#include "policy/tabular_softmax.h"
#include "util/error.h"

namespace pg {
namespace {

TEST(Bandit, ShapeAndModel) {
  Bandit env;
  EXPECT_EQ(env.num_actions(), 3);
  EXPECT_EQ(env.num_obs(), 1);
  EXPECT_EQ(env.obs_dim(), 1);
  EXPECT_EQ(env.gamma(), 1.0);
  EXPECT_EQ(env.step_limit(), 1);
  const TabularModel& m = *env.model();
  EXPECT_EQ(m.num_states(), 2);
  EXPECT_TRUE(m.terminal(1));
  EXPECT_FALSE(m.terminal(0));
  EXPECT_EQ(m.start(0), 1.0);
  EXPECT_EQ(m.reward(0, 0), 0.2);
  EXPECT_EQ(m.reward(0, 2), 0.8);
  EXPECT_EQ(m.successors(0, 1)[0].next, 1);
}

TEST(Bandit, EveryStepTerminates) {
  Bandit env;
  Rng rng(4);
  env.reset(rng);
  double f = 0;
  env.observe(&f);
  EXPECT_EQ(f, 1.0);
  const StepResult r = env.step(2, rng);
  EXPECT_TRUE(r.terminated);
  EXPECT_FALSE(r.truncated);
  EXPECT_EQ(env.elapsed(), 1);
  EXPECT_EQ(env.state_index(), 1);
}

TEST(Bandit, GaussianRewardIsMeanPlusScaledNormal) {
  BanditConfig c;
  c.means = {0.0, 3.0};
  c.stddev = 2.0;
  Bandit env(c);
  for (int i = 0; i < 100; ++i) {
    Rng rng = Rng::stream(1, 0, i, Purpose::kEnvStep);
    Rng same = rng;
    env.reset(rng);
    const StepResult r = env.step(1, rng);
    EXPECT_EQ(r.reward, 3.0 + 2.0 * same.normal());
  }
}

TEST(Bandit, BernoulliFrequencies) {
  // 40k pulls per arm: standard error ≤ sqrt(0.25/4e4) = 2.5e-3; 0.0125 is 5 of them.
  BanditConfig c;
  c.means = {0.1, 0.5, 0.9};
  c.reward_kind = "bernoulli";
  Bandit env(c);
  for (int a = 0; a < 3; ++a) {
    double sum = 0.0;
    for (int i = 0; i < 40000; ++i) {
      Rng rng = Rng::stream(2, a, i, Purpose::kEnvStep);
      env.reset(rng);
      const double r = env.step(a, rng).reward;
      ASSERT_TRUE(r == 0.0 || r == 1.0);
      sum += r;
    }
    EXPECT_NEAR(sum / 40000, c.means[a], 0.0125) << "arm " << a;
  }
}

TEST(Bandit, BadConfig) {
  BanditConfig c;
  c.reward_kind = "bernoulli";
  c.means = {0.5, 1.2};
  try {
    Bandit b(c);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("[0, 1]"), std::string::npos) << e.what();
  }
  c.means = {};
  EXPECT_THROW(Bandit{c}, InputError);
  c.means = {0.5};
  c.reward_kind = "poisson";
  try {
    Bandit b(c);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("gaussian, bernoulli"), std::string::npos) << e.what();
  }
  c.reward_kind = "gaussian";
  c.stddev = -1;
  EXPECT_THROW(Bandit{c}, InputError);
}

TEST(Bandit, ExactJIsPolicyWeightedMean) {
  Bandit env;
  TabularSoftmax pi(1, 3);
  pi.fill_rows({0.3, -1.0, 0.7});
  double p[3];
  pi.probs_of(0, p);
  const double want = 0.2 * p[0] + 0.5 * p[1] + 0.8 * p[2];
  EXPECT_NEAR(exact_J(env, pi), want, 1e-15);
  const ExactResult ex = exact_evaluate(env, pi);
  EXPECT_NEAR(ex.J, want, 1e-15);
  // ∂J/∂θ_b = π_b (μ_b − J) for a softmax bandit.
  const double mu[3] = {0.2, 0.5, 0.8};
  for (int b = 0; b < 3; ++b) EXPECT_NEAR(ex.gradient[b], p[b] * (mu[b] - want), 1e-15) << b;
}

}  // namespace
}  // namespace pg
