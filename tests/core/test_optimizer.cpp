#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "nn/optimizer.h"
#include "util/error.h"
#include "util/finite.h"

namespace pg {
namespace {

TEST(Sgd, ExactAscentStep) {
  Sgd sgd(0.25);
  Eigen::VectorXd theta(3), d(3);
  theta << 1.0, -2.0, 0.5;
  d << 4.0, 0.5, -8.0;
  sgd.step(theta, d);
  // Powers of two: the result is exact.
  EXPECT_EQ(theta[0], 2.0);
  EXPECT_EQ(theta[1], -1.875);
  EXPECT_EQ(theta[2], -1.5);
  sgd.set_lr(0.5);
  EXPECT_EQ(sgd.lr(), 0.5);
}

TEST(Adam, FirstStepsMatchHandComputation) {
  const double lr = 0.1, b1 = 0.9, b2 = 0.999, eps = 1e-8;
  Adam adam(lr, b1, b2, eps);
  Eigen::VectorXd theta(2), d(2);
  theta << 0.0, 1.0;

  // Step 1, d = (2, −0.5): m = 0.1 d, v = 0.001 d²; m̂ = d, v̂ = d² → update = d/(|d| + ε) ≈ sign(d).
  d << 2.0, -0.5;
  adam.step(theta, d);
  EXPECT_NEAR(theta[0], 0.0 + lr * 2.0 / (2.0 + eps), 1e-15);
  EXPECT_NEAR(theta[1], 1.0 - lr * 0.5 / (0.5 + eps), 1e-15);

  // Step 2, d = (1, 1), written out by hand.
  const double m0 = 0.9 * 0.2 + 0.1 * 1.0;          // 0.28
  const double v0 = 0.999 * 0.004 + 0.001 * 1.0;    // 0.004996
  const double m1 = 0.9 * (-0.05) + 0.1 * 1.0;      // 0.055
  const double v1 = 0.999 * 0.00025 + 0.001 * 1.0;  // 0.00124975
  const double c1 = 1.0 - 0.81, c2 = 1.0 - 0.998001;
  const double t0 = theta[0] + lr * (m0 / c1) / (std::sqrt(v0 / c2) + eps);
  const double t1 = theta[1] + lr * (m1 / c1) / (std::sqrt(v1 / c2) + eps);
  d << 1.0, 1.0;
  adam.step(theta, d);
  // Measured 1.1e-16 (2 ulp of 0.28, with and without FMA); 1e-14 leaves 90×.
  EXPECT_NEAR(adam.m()[0], 0.28, 1e-14);
  EXPECT_NEAR(adam.v()[1], 0.00124975, 1e-15);
  EXPECT_NEAR(theta[0], t0, 1e-14);
  EXPECT_NEAR(theta[1], t1, 1e-14);
  // Concretely: m̂0 = 0.28/0.19 ≈ 1.473684, √v̂0 = √(0.004996/0.001999) ≈ 1.580901 → Δθ0 ≈ 0.0932180.
  EXPECT_NEAR(t0 - (0.1 * 2.0 / (2.0 + eps)), 0.0932180, 1e-6);
  EXPECT_EQ(adam.steps(), 2);

  // reset(): the next step is a first step again.
  adam.reset();
  Eigen::VectorXd th2 = Eigen::VectorXd::Zero(2);
  d << 3.0, -3.0;
  adam.step(th2, d);
  EXPECT_NEAR(th2[0], lr * 3.0 / (3.0 + eps), 1e-15);
  EXPECT_NEAR(th2[1], -lr * 3.0 / (3.0 + eps), 1e-15);
}

TEST(Adam, AscendsAConcaveObjective) {
  // J(θ) = −½‖θ − c‖²: ascent with d = ∇J = c − θ reaches c.
  Adam adam(0.05);
  Eigen::VectorXd theta = Eigen::VectorXd::Zero(3), c(3);
  c << 1.0, -2.0, 0.5;
  for (int i = 0; i < 2000; ++i) {
    const Eigen::VectorXd d = c - theta;
    adam.step(theta, d);
  }
  EXPECT_LE((theta - c).lpNorm<Eigen::Infinity>(), 1e-3);
}

TEST(Optimizer, Factory) {
  EXPECT_EQ(make_optimizer("sgd", 0.1)->name(), "sgd");
  auto adam = make_optimizer("adam", 0.3);
  EXPECT_EQ(adam->name(), "adam");
  EXPECT_EQ(adam->lr(), 0.3);
  EXPECT_THROW(make_optimizer("rmsprop", 0.1), InputError);
}

// all_finite (the vectorised check after every optimizer step) equals Eigen's allFinite for every
// size through two AVX-512 packets and a tail, with ±Inf or NaN at every position, in double and
// float; a finite vector of huge entries stays finite (x − x = 0, no overflow in the sum).
TEST(AllFinite, EqualsEigenAllFiniteAtEveryPosition) {
  const double bad[] = {std::numeric_limits<double>::infinity(),
                        -std::numeric_limits<double>::infinity(),
                        std::numeric_limits<double>::quiet_NaN()};
  for (int n = 0; n <= 37; ++n) {
    Eigen::VectorXd x(n);
    for (int i = 0; i < n; ++i) x[i] = 1e308 / (i + 1);  // a plain sum would overflow
    EXPECT_TRUE(all_finite(x)) << n;
    for (int i = 0; i < n; ++i)
      for (double b : bad) {
        Eigen::VectorXd y = x;
        y[i] = b;
        ASSERT_FALSE(all_finite(y)) << n << " " << i << " " << b;
        ASSERT_EQ(all_finite(y), y.allFinite());
        Eigen::VectorXf f = Eigen::VectorXf::Constant(n, 3e38f);
        EXPECT_TRUE(all_finite(f));
        f[i] = static_cast<float>(b);
        ASSERT_FALSE(all_finite(f)) << n << " " << i << " " << b;
      }
  }
  Eigen::MatrixXd m = Eigen::MatrixXd::Ones(3, 5);
  EXPECT_TRUE(all_finite(m));
  m(2, 4) = std::numeric_limits<double>::quiet_NaN();
  EXPECT_FALSE(all_finite(m));
}

}  // namespace
}  // namespace pg
