#include <gtest/gtest.h>

#include <cmath>

#include "util/rng.h"

namespace pg {

TEST(Rng, SameKeySameBits) {
  Rng a = Rng::stream(7, 3, 2, Purpose::kAction);
  Rng b = Rng::stream(7, 3, 2, Purpose::kAction);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(a.next_u64(), b.next_u64());
}

TEST(Rng, DifferentKeysDiffer) {
  Rng a = Rng::stream(7, 3, 2, Purpose::kAction);
  Rng b = Rng::stream(7, 3, 3, Purpose::kAction);
  Rng c = Rng::stream(7, 3, 2, Purpose::kEnvStep);
  EXPECT_NE(a.at(0), b.at(0));
  EXPECT_NE(a.at(0), c.at(0));
}

TEST(Rng, UniformMoments) {
  // 200k draws: the mean's standard error is sqrt(1/12/2e5) ≈ 6.5e-4; 5e-3 is over 7 of them.
  Rng r = Rng::stream(1, 0, 0, Purpose::kLab);
  double s = 0, s2 = 0;
  const int n = 200000;
  for (int i = 0; i < n; ++i) {
    double u = r.uniform();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    s += u;
    s2 += u * u;
  }
  EXPECT_NEAR(s / n, 0.5, 5e-3);
  EXPECT_NEAR(s2 / n - (s / n) * (s / n), 1.0 / 12.0, 5e-3);
}

TEST(Rng, CategoricalFrequencies) {
  // 100k draws of p = (0.2, 0.5, 0.3): standard error ≤ 1.6e-3; 1e-2 is over 6 of them.
  const double p[3] = {0.2, 0.5, 0.3};
  int count[3] = {0, 0, 0};
  Rng r = Rng::stream(2, 0, 0, Purpose::kLab);
  for (int i = 0; i < 100000; ++i) count[r.categorical(p, 3)]++;
  for (int k = 0; k < 3; ++k) EXPECT_NEAR(count[k] / 1e5, p[k], 1e-2);
}

}  // namespace pg
