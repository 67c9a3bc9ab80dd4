// Pendulum-v1 and continuous cart-pole (the step against pendulum.py is checked by
// tests/cli/pendulum_reference.py, an independent Python transcription, through `pglab trace`).
#include <gtest/gtest.h>

#include <cmath>

#include "env/cartpole.h"
#include "env/pendulum.h"

namespace pg {
namespace {

TEST(Pendulum, AngleNormalizeIsNumpysModulo) {
  const double pi = Pendulum::kPi;
  EXPECT_EQ(Pendulum::angle_normalize(0.0), 0.0);
  EXPECT_EQ(Pendulum::angle_normalize(pi), -pi);  // (2π mod 2π) − π
  EXPECT_EQ(Pendulum::angle_normalize(-pi), -pi);
  EXPECT_NEAR(Pendulum::angle_normalize(3 * pi / 2), -pi / 2, 1e-15);
  EXPECT_NEAR(Pendulum::angle_normalize(-3 * pi / 2), pi / 2, 1e-15);
  EXPECT_NEAR(Pendulum::angle_normalize(-7.0), -7.0 + 2 * pi, 1e-15);
  for (double x = -50.0; x < 50.0; x += 0.37) {
    const double y = Pendulum::angle_normalize(x);
    EXPECT_GE(y, -pi);
    EXPECT_LT(y, pi);
  }
}

TEST(Pendulum, StepTruncatesAt200AndClipsTorqueAndSpeed) {
  Pendulum env;
  Rng rng = Rng::stream(1, 0, 0, Purpose::kEnvReset);
  for (int ep = 0; ep < 200; ++ep) {
    env.reset(rng);
    EXPECT_GE(env.state().theta, -Pendulum::kPi);
    EXPECT_LT(env.state().theta, Pendulum::kPi);
    EXPECT_GE(env.state().theta_dot, -1.0);
    EXPECT_LT(env.state().theta_dot, 1.0);
  }
  env.set_state({0.0, 0.0});
  double u = 100.0;
  StepResult r{};
  for (int t = 0; t < 200; ++t) {
    ASSERT_FALSE(r.truncated);
    r = env.step_continuous(&u, rng);
    EXPECT_FALSE(r.terminated);
    EXPECT_EQ(env.last_torque(), 2.0);
    EXPECT_LE(std::abs(env.state().theta_dot), 8.0);
  }
  EXPECT_TRUE(r.truncated);
  // First step from rest upright with u = 2: θ̇' = (0 + 3·2)·0.05 = 0.3; reward −0.001·4.
  env.set_state({0.0, 0.0});
  r = env.step_continuous(&u, rng);
  EXPECT_EQ(env.state().theta_dot, (15.0 * 0.0 + 3.0 * 2.0) * 0.05);
  EXPECT_EQ(env.state().theta, 0.0 + env.state().theta_dot * 0.05);
  EXPECT_EQ(r.reward, -(0.001 * 4.0));
  double obs[3];
  env.observe(obs);
  EXPECT_EQ(obs[0], std::cos(env.state().theta));
  EXPECT_EQ(obs[1], std::sin(env.state().theta));
  EXPECT_EQ(obs[2], env.state().theta_dot);
}

TEST(ContinuousCartPole, ForceIsClippedAndEqualsTheDiscretePushAtTheBounds) {
  CartPoleConfig cc;
  cc.continuous = true;
  CartPole cont(cc), disc;
  EXPECT_EQ(cont.action_dim(), 1);
  EXPECT_EQ(cont.num_actions(), 0);
  Rng rng(0);
  for (double u : {25.0, -10.0, 10.0, -1e9}) {
    cont.set_state({0.01, -0.02, 0.03, 0.04});
    disc.set_state({0.01, -0.02, 0.03, 0.04});
    const StepResult a = cont.step_continuous(&u, rng);
    const StepResult b = disc.step(u > 0 ? 1 : 0);
    EXPECT_EQ(cont.state().x_dot, disc.state().x_dot);
    EXPECT_EQ(cont.state().theta_dot, disc.state().theta_dot);
    EXPECT_EQ(a.reward, b.reward);
  }
  // A smaller force moves less: half the force, about half the cart's acceleration.
  const double half = 5.0;
  cont.set_state({});
  cont.step_continuous(&half, rng);
  disc.set_state({});
  disc.step(1);
  EXPECT_GT(cont.state().x_dot, 0.0);
  EXPECT_LT(cont.state().x_dot, disc.state().x_dot);
  EXPECT_NEAR(cont.state().x_dot, 0.5 * disc.state().x_dot, 1e-12);
}

}  // namespace
}  // namespace pg
