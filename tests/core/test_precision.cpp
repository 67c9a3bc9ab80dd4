// policy.precision: float32 reaches every network of a session (the MLP or Gaussian policy and the
// MLP critic), is refused where it has no meaning (tabular policies), and computes the same run as
// float64 to float's accuracy. The per-network error budget is argued in test_mlp.cpp
// (Float32TracksFloat64); here the whole first PPO iteration is compared.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "critic/value_function.h"
#include "io/scenario.h"
#include "policy/gaussian.h"
#include "policy/mlp_softmax.h"
#include "same_bits.h"
#include "session/session.h"
#include "util/error.h"

namespace pg {
namespace {

Scenario with_precision(const char* scenario, const char* precision) {
  Scenario s = load_scenario(scenario);
  set_values(s, {{"policy.precision", precision}});
  return s;
}

TEST(Precision, Float32ReachesThePolicyAndTheCritic) {
  for (const char* p : {"float64", "float32"}) {
    const Precision want = std::string(p) == "float32" ? Precision::kFloat32 : Precision::kFloat64;
    Session ppo(with_precision("cartpole-ppo", p));
    EXPECT_EQ(dynamic_cast<const MlpSoftmax&>(ppo.policy()).net().precision(), want) << p;
    ASSERT_NE(ppo.critic(), nullptr);
    EXPECT_EQ(dynamic_cast<const MlpValue&>(*ppo.critic()).net().precision(), want) << p;
    Session gauss(with_precision("pendulum-ppo", p));
    EXPECT_EQ(dynamic_cast<const GaussianPolicy&>(gauss.policy()).net().precision(), want) << p;
  }
  EXPECT_EQ(load_scenario("cartpole-ppo").policy.precision, "float64");  // the default
}

TEST(Precision, BatchEntropyHasTheOneSampleBits) {
  // H(π(·|x)) of a column in log_prob_batch (the estimate's, read by the history) and of the same
  // x alone (Policy::entropy, the views') must be the same bits. They once differed in 130 of 512
  // columns on a Sapphire Rapids -march=native build: the batch's copy of −Σ p log p was
  // vectorised as mul-then-sub, the one-sample copy fused; now both are entropy_categorical.
  // Wide logits (weights × 3) spread π away from uniform, so every term of H matters.
  for (const Precision precision : {Precision::kFloat64, Precision::kFloat32})
    for (const int A : {2, 3, 5}) {
      SCOPED_TRACE("actions " + std::to_string(A) +
                   (precision == Precision::kFloat32 ? " float32" : " float64"));
      Rng rng(11);
      MlpSoftmax pi(4, {64, 64}, Activation::kTanh, A, rng, precision);
      pi.set_params(3.0 * pi.params());
      if (!pi.batch_columns_exact()) {
        // The logits layer is wider than a packet (A = 3, 5 without AVX): Eigen's product sums a
        // column by its place in the batch, so no bit-for-bit claim. Two actions always fit.
        EXPECT_NE(A, 2);
        continue;
      }
      const int n = 512;
      Eigen::MatrixXd X(4, n);
      for (int j = 0; j < n; ++j)
        for (int d = 0; d < 4; ++d) X(d, j) = rng.uniform(-2.0, 2.0);
      std::vector<int> acts(n);
      for (int j = 0; j < n; ++j) acts[j] = j % A;
      std::vector<double> logp(n), h(n);
      pi.log_prob_batch(X, nullptr, ActionsRef(acts.data()), n, logp.data(), h.data());
      int differ = 0;
      for (int j = 0; j < n; ++j)
        differ += !test::same_bits(pi.entropy(ObsRef{-1, X.col(j).data()}), h[j]);
      EXPECT_EQ(differ, 0);
    }
}

TEST(Precision, TabularPolicyRefusesFloat32) {
  try {
    Session s(with_precision("gridworld-reinforce", "float32"));
    FAIL() << "a tabular policy accepted policy.precision=float32";
  } catch (const InputError& e) {
    EXPECT_EQ(e.where(), "policy.precision");  // set in code, not by the file: no line
    EXPECT_NE(e.problem().find("float64"), std::string::npos) << e.problem();
  }
  Scenario s = load_scenario("cartpole-ppo");
  EXPECT_THROW(set_values(s, {{"policy.precision", "float16"}}), InputError);
}

// The first PPO iteration of cartpole-ppo in both precisions, from the same (double) θ₀. The
// actions are sampled from π computed in float: a sampled action changes only if the uniform draw
// falls within ~1e-7 of a cumulative-probability boundary, so the 512 steps are the same (checked:
// the returns and step counts are equal exactly). ‖ĝ‖ sums 512 per-step gradients, each within
// the Mlp's float budget (≤ 2e-5 of its scale) and with independent rounding, so its relative
// error stays at that order: kNormTol = 1e-4 (measured: 1.7e-7). It must differ at all, or the
// float path did not run.
TEST(Precision, Float32FirstPpoIterationTracksFloat64) {
  const double kNormTol = 1e-4;
  Session s64(with_precision("cartpole-ppo", "float64"));
  Session s32(with_precision("cartpole-ppo", "float32"));
  EXPECT_EQ(s64.policy().params(), s32.policy().params());
  ASSERT_TRUE(s64.run_iterations(1));
  ASSERT_TRUE(s32.run_iterations(1));
  EXPECT_EQ(s64.total_steps(), s32.total_steps());
  EXPECT_EQ(s64.completed_returns(), s32.completed_returns());
  const double g64 = s64.history()[0].grad_norm, g32 = s32.history()[0].grad_norm;
  const double rel = std::abs(g32 - g64) / g64;
  std::printf("first-iteration ‖ĝ‖: float64 %.17g, float32 %.17g (relative %.2e)\n", g64, g32, rel);
  EXPECT_LE(rel, kNormTol);
  EXPECT_GT(rel, 0.0) << "the float32 session computed in double";
}

}  // namespace
}  // namespace pg
