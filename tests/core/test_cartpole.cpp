#include <gtest/gtest.h>

#include <cmath>

#include "env/cartpole.h"
#include "util/error.h"

namespace pg {
namespace {

// An independent transcription of Gymnasium's CartPoleEnv.step (classic_control/cartpole.py),
// kept deliberately naive: member variables instead of constants, the formulas written as there.
struct ReferenceCartPole {
  double gravity = 9.8, masscart = 1.0, masspole = 0.1;
  double total_mass = masspole + masscart;
  double length = 0.5;
  double polemass_length = masspole * length;
  double force_mag = 10.0, tau = 0.02;
  double theta_threshold_radians = 12 * 2 * M_PI / 360;
  double x_threshold = 2.4;
  double x = 0, x_dot = 0, theta = 0, theta_dot = 0;

  bool step(int action) {  // returns terminated
    const double force = action == 1 ? force_mag : -force_mag;
    const double costheta = std::cos(theta), sintheta = std::sin(theta);
    const double temp = (force + polemass_length * std::pow(theta_dot, 2) * sintheta) / total_mass;
    const double thetaacc = (gravity * sintheta - costheta * temp) /
                            (length * (4.0 / 3.0 - masspole * std::pow(costheta, 2) / total_mass));
    const double xacc = temp - polemass_length * thetaacc * costheta / total_mass;
    x = x + tau * x_dot;
    x_dot = x_dot + tau * xacc;
    theta = theta + tau * theta_dot;
    theta_dot = theta_dot + tau * thetaacc;
    return x < -x_threshold || x > x_threshold || theta < -theta_threshold_radians ||
           theta > theta_threshold_radians;
  }
};

void expect_close(double a, double b, const char* what) {
  EXPECT_LE(std::fabs(a - b), 1e-12 * std::max(1.0, std::fabs(b)))
      << what << ": " << a << " vs " << b;
}

TEST(CartPole, MatchesNaiveReferenceOverManyEpisodes) {
  // 1200 episodes with random actions; every third has step_limit 12 so truncation is exercised,
  // every third is steered by a simple balancing rule so some episodes run to the 500 limit.
  int terminated = 0, truncated = 0, steps = 0;
  for (int ep = 0; ep < 1200; ++ep) {
    CartPoleConfig cfg;
    cfg.step_limit = ep % 3 == 0 ? 12 : 500;
    CartPole env(cfg);
    Rng reset_rng = Rng::stream(42, 0, ep, Purpose::kEnvReset);
    Rng act_rng = Rng::stream(42, 0, ep, Purpose::kAction);
    env.reset(reset_rng);
    ReferenceCartPole ref;
    for (int t = 0;; ++t) {
      // Compare one step at a time from the same state: the dynamics are unstable, so comparing
      // whole trajectories would test growth of rounding differences, not the formulas.
      const CartPoleState s = env.state();
      ref.x = s.x, ref.x_dot = s.x_dot, ref.theta = s.theta, ref.theta_dot = s.theta_dot;
      const int action = ep % 3 == 2 ? (s.theta + 0.3 * s.theta_dot > 0 ? 1 : 0)
                                     : static_cast<int>(act_rng.below(2));
      const bool ref_terminated = ref.step(action);
      const StepResult r = env.step(action);
      ++steps;
      const CartPoleState n = env.state();
      expect_close(n.x, ref.x, "x");
      expect_close(n.x_dot, ref.x_dot, "x_dot");
      expect_close(n.theta, ref.theta, "theta");
      expect_close(n.theta_dot, ref.theta_dot, "theta_dot");
      ASSERT_EQ(r.terminated, ref_terminated) << "episode " << ep << " step " << t;
      ASSERT_EQ(r.reward, 1.0);
      ASSERT_EQ(env.elapsed(), t + 1);
      const bool ref_truncated = !ref_terminated && t + 1 == cfg.step_limit;
      ASSERT_EQ(r.truncated, ref_truncated) << "episode " << ep << " step " << t;
      if (r.terminated || r.truncated) {
        terminated += r.terminated;
        truncated += r.truncated;
        break;
      }
    }
  }
  EXPECT_GT(terminated, 300);
  EXPECT_GT(truncated, 300);
  EXPECT_GT(steps, 20000);
}

TEST(CartPole, HandComputedStepsBitExact) {
  // Reference values computed with Python floats using Gymnasium's expressions (the same
  // arithmetic NumPy float64 does); the hex literals are exact.
  CartPole env;
  env.set_state({0.01, -0.02, 0.03, 0.04});
  StepResult r = env.step(1);
  EXPECT_EQ(env.state().x, 0x1.3a92a30553262p-7);
  EXPECT_EQ(env.state().x_dot, 0x1.65be34c837f9ep-3);
  EXPECT_EQ(env.state().theta, 0x1.f8a0902de00d1p-6);
  EXPECT_EQ(env.state().theta_dot, -0x1.f1ce03128d125p-3);
  EXPECT_FALSE(r.terminated);
  EXPECT_EQ(r.reward, 1.0);
  env.step(0);
  r = env.step(0);
  EXPECT_EQ(env.state().x, 0x1.9f5fbb1d1b3c7p-7);
  EXPECT_EQ(env.state().x_dot, -0x1.bb173d824c297p-3);
  EXPECT_EQ(env.state().theta, 0x1.bc5dda54c674ep-6);
  EXPECT_EQ(env.state().theta_dot, 0x1.708f04ace9642p-2);
  // Hand check of the first step: θ̈ < 0 because pushing right tips the pole left.
  EXPECT_EQ(env.elapsed(), 3);
}

TEST(CartPole, TerminatesPastThresholdsWithRewardOne) {
  CartPole env;
  env.set_state({2.39, 1.0, 0.2, 1.0});
  const StepResult r = env.step(1);
  EXPECT_DOUBLE_EQ(env.state().x, 2.41);  // x + τ·ẋ
  EXPECT_DOUBLE_EQ(env.state().theta, 0.22);
  EXPECT_TRUE(r.terminated);
  EXPECT_FALSE(r.truncated);
  EXPECT_EQ(r.reward, 1.0);
  EXPECT_DOUBLE_EQ(CartPole::kThetaThreshold, 0.20943951023931953);
  // Just inside: x = 2.4 exactly is not terminal (strict inequality).
  env.set_state({2.4, 0.0, 0.0, 0.0});
  // One step moves x by τ·0 = 0.
  EXPECT_FALSE(env.step(1).terminated);
  EXPECT_EQ(env.state().x, 2.4);
}

TEST(CartPole, SuttonBartoReward) {
  CartPoleConfig cfg;
  cfg.sutton_barto_reward = true;
  CartPole env(cfg);
  env.set_state({0.0, 0.0, 0.0, 0.0});
  StepResult r = env.step(1);
  EXPECT_EQ(r.reward, 0.0);
  EXPECT_FALSE(r.terminated);
  env.set_state({0.0, 0.0, 0.2, 1.0});
  r = env.step(1);
  EXPECT_TRUE(r.terminated);
  EXPECT_EQ(r.reward, -1.0);
}

TEST(CartPole, TruncatesAtStepLimit) {
  CartPoleConfig cfg;
  cfg.step_limit = 500;
  CartPole env(cfg);
  env.set_state({0.0, 0.0, 0.0, 0.0});
  // A bang-bang balancing rule keeps the pole up for 500 steps from rest.
  auto policy = [&] {
    const CartPoleState& s = env.state();
    return s.theta + 0.5 * s.theta_dot + 0.01 * s.x + 0.1 * s.x_dot > 0 ? 1 : 0;
  };
  for (int t = 0; t < 499; ++t) {
    const StepResult r = env.step(policy());
    ASSERT_FALSE(r.terminated) << t;
    ASSERT_FALSE(r.truncated) << t;
  }
  const StepResult r = env.step(policy());
  EXPECT_FALSE(r.terminated);
  EXPECT_TRUE(r.truncated);
  EXPECT_EQ(env.elapsed(), 500);
}

TEST(CartPole, ResetRangeAndDeterminism) {
  CartPole env;
  double lo = 1, hi = -1;
  for (int ep = 0; ep < 5000; ++ep) {
    Rng rng = Rng::stream(7, 1, ep, Purpose::kEnvReset);
    env.reset(rng);
    EXPECT_EQ(rng.counter(), 4u);
    EXPECT_EQ(env.elapsed(), 0);
    double f[4];
    env.observe(f);
    for (double v : f) {
      ASSERT_GE(v, -0.05);
      ASSERT_LT(v, 0.05);
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
    // Same stream, same state, draws in the order x, x_dot, theta, theta_dot.
    Rng again = Rng::stream(7, 1, ep, Purpose::kEnvReset);
    ASSERT_EQ(env.state().x, again.uniform(-0.05, 0.05));
    ASSERT_EQ(env.state().x_dot, again.uniform(-0.05, 0.05));
    ASSERT_EQ(env.state().theta, again.uniform(-0.05, 0.05));
    ASSERT_EQ(env.state().theta_dot, again.uniform(-0.05, 0.05));
  }
  // 20000 uniform draws: the extremes land within 1e-3 of the ends unless the range is wrong
  // (probability of missing by chance is (1 − 0.01)^20000 ≈ e^−200).
  EXPECT_LT(lo, -0.049);
  EXPECT_GT(hi, 0.049);
}

TEST(CartPole, InterfaceShape) {
  CartPole env;
  EXPECT_EQ(env.num_actions(), 2);
  EXPECT_EQ(env.obs_dim(), 4);
  EXPECT_EQ(env.num_obs(), 0);
  EXPECT_EQ(env.model(), nullptr);
  EXPECT_EQ(env.step_limit(), 500);
  CartPoleConfig bad;
  bad.gamma = 1.5;
  EXPECT_THROW(CartPole{bad}, InputError);
}

}  // namespace
}  // namespace pg
