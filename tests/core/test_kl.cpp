// KL(π_old ‖ π): the exact per-state and visitation-weighted values, and the k1/k2/k3 sample
// estimators measured against them (k1 and k3 unbiased, k2 biased, k3 ≥ 0), and the second-order
// link KL̄(θ, θ + Δ) ≈ ½ Δᵀ F Δ with the exact Fisher matrix.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "estimator/kl.h"
#include "exact/exact.h"
#include "exact/exact_kl.h"
#include "policy/tabular_softmax.h"
#include "rollout/sampler.h"
#include "session/session.h"
#include "util/error.h"
#include "util/rng.h"

namespace pg {
namespace {

struct Mean {
  double sum = 0, sum2 = 0;
  long n = 0;
  void add(double x) {
    sum += x;
    sum2 += x * x;
    ++n;
  }
  double mean() const { return sum / n; }
  double stderr_() const { return std::sqrt(std::max(0.0, sum2 / n - mean() * mean()) / n); }
};

Eigen::VectorXd random_logits(int n, uint64_t key, double scale) {
  Rng rng = Rng::stream(key, 0, 0, Purpose::kLab);
  Eigen::VectorXd v(n);
  for (int i = 0; i < n; ++i) v[i] = scale * rng.normal();
  return v;
}

}  // namespace

TEST(Kl, CategoricalMatchesTheDefinition) {
  const double p[3] = {0.5, 0.3, 0.2}, q[3] = {0.2, 0.2, 0.6};
  const double expected =
      0.5 * std::log(0.5 / 0.2) + 0.3 * std::log(0.3 / 0.2) + 0.2 * std::log(0.2 / 0.6);
  // Three terms of ≈ 0.4: measured 1.1e-16 (1 ulp) with and without FMA; 1e-14 allows the
  // summation order to change, and a wrong term moves the result by ≥ 1e-2.
  EXPECT_NEAR(kl_categorical(p, q, 3), expected, 1e-14);
  EXPECT_EQ(kl_categorical(p, p, 3), 0.0);
  const double z[2] = {0.0, 1.0}, u[2] = {0.5, 0.5};
  EXPECT_NEAR(kl_categorical(z, u, 2), std::log(2.0), 1e-15);  // 0 · log 0 = 0
}

TEST(Kl, K3IsNeverNegative) {
  // log x ≤ x − 1 for every x > 0; checked over 30 decades either side of r = 1 and at tiny |log r|
  // where expm1(log r) − log r is below the rounding of either term.
  for (double e = -30; e <= 30; e += 0.01) {
    for (double sign : {-1.0, 1.0}) {
      const double log_r = sign * std::pow(10.0, e / 10.0);
      if (std::abs(log_r) > 700) continue;
      EXPECT_GE(kl::k3(log_r), 0.0) << log_r;
    }
  }
  EXPECT_EQ(kl::k3(0.0), 0.0);
  EXPECT_NEAR(kl::k3(1e-6), 0.5e-12, 1e-18);  // ½ (log r)² to leading order
  EXPECT_NEAR(kl::k3(std::log(3.0)), 2.0 - std::log(3.0), 1e-15);
  EXPECT_EQ(kl::k1(-0.25), 0.25);
  EXPECT_EQ(kl::k2(-0.5), 0.125);
}

TEST(Kl, SampleEstimatorsOnOneStateAgainstTheExactKl) {
  // π_old and π far apart (KL ≈ 0.5) so k2's bias is large. K = 400 000 draws a ~ π_old.
  // Unbiased estimators: |mean − KL| < 4 standard errors (fixed seed; 4 leaves room for the normal
  // approximation of a skewed mean). k2: its bias here is ≈ 0.16 ≈ 100 standard errors, asserted
  // above 10.
  const double p_old[4] = {0.55, 0.25, 0.15, 0.05}, p[4] = {0.1, 0.2, 0.3, 0.4};
  const double kl_exact = kl_categorical(p_old, p, 4);
  Rng rng = Rng::stream(7, 0, 0, Purpose::kLab);
  Mean k1, k2, k3;
  for (int k = 0; k < 400000; ++k) {
    const int a = rng.categorical(p_old, 4);
    const double log_r = std::log(p[a]) - std::log(p_old[a]);
    k1.add(kl::k1(log_r));
    k2.add(kl::k2(log_r));
    k3.add(kl::k3(log_r));
  }
  EXPECT_LT(std::abs(k1.mean() - kl_exact), 4 * k1.stderr_());
  EXPECT_LT(std::abs(k3.mean() - kl_exact), 4 * k3.stderr_());
  EXPECT_GT(std::abs(k2.mean() - kl_exact), 10 * k2.stderr_());
  // k3 has less variance than k1 when π is not far from π_old (here k1's is larger still).
  EXPECT_LT(k3.stderr_(), k1.stderr_());
}

TEST(Kl, VisitationWeightedMeanFromSampledEpisodes) {
  // γ = 1 and a step limit of 20: d(s) is the expected number of visits, so the per-episode sum
  // Σ_t k(s_t, a_t) with a_t ~ π_old has expectation Σ_s d(s) KL_s for k1 and k3 (unbiased per
  // step), and the episode length has expectation Σ_s d(s). 20 000 episodes; 4 standard errors.
  Scenario s = load_scenario("gridworld-reinforce");
  set_values(s, {{"env.gamma", 1.0}, {"env.step_limit", 20}});
  auto env = make_env(s);
  auto old_policy = make_policy(s, *env);
  old_policy->set_params(random_logits(old_policy->num_params(), 3, 0.5));
  auto policy = old_policy->clone();
  policy->set_params(old_policy->params() + random_logits(old_policy->num_params(), 4, 0.3));

  const ExactResult ex = exact_evaluate(*env, *old_policy);
  const Eigen::VectorXd kl_s = exact_kl_per_state(*env, *old_policy, *policy);
  const double weighted_sum = ex.d.dot(kl_s);
  EXPECT_NEAR(exact_mean_kl(*env, *old_policy, *policy), weighted_sum / ex.d.sum(), 1e-14);
  EXPECT_NEAR(exact_mean_kl(*env, *old_policy, *policy, ex.d), weighted_sum / ex.d.sum(), 1e-14);
  EXPECT_GT(weighted_sum, 0.0);

  Batch batch;
  sample_batch(*env, *old_policy, 11, 0, 20000, false, batch);
  Mean k1, k3, len, per_state;
  for (const Trajectory& tr : batch.trajectories) {
    Batch one;
    one.trajectories.push_back(tr);
    const BatchKl b = batch_kl(one, *old_policy, *policy);
    k1.add(b.k1 * b.steps);
    k3.add(b.k3 * b.steps);
    per_state.add(b.mean_kl * b.steps);
    len.add(tr.length());
  }
  EXPECT_LT(std::abs(k1.mean() - weighted_sum), 4 * k1.stderr_());
  EXPECT_LT(std::abs(k3.mean() - weighted_sum), 4 * k3.stderr_());
  EXPECT_LT(std::abs(per_state.mean() - weighted_sum), 4 * per_state.stderr_());
  EXPECT_LT(std::abs(len.mean() - ex.d.sum()), 4 * len.stderr_());
  // The whole batch's per-step means estimate the normalised KL̄ (a ratio estimator: consistent).
  const BatchKl all = batch_kl(batch, *old_policy, *policy);
  EXPECT_NEAR(all.mean_kl, weighted_sum / ex.d.sum(), 0.03 * weighted_sum / ex.d.sum());
}

TEST(Kl, ExactMeanKlIsHalfTheFisherQuadraticToSecondOrder) {
  // KL̄(θ, θ + εΔ) = ½ ε² Δᵀ F Δ + O(ε³): the ratio tends to 1 linearly in ε.
  Scenario s = load_scenario("gridworld-reinforce");
  auto env = make_env(s);
  auto old_policy = make_policy(s, *env);
  old_policy->set_params(random_logits(old_policy->num_params(), 5, 0.7));
  const Eigen::MatrixXd F = exact_fisher(*env, *old_policy);
  const Eigen::VectorXd delta = random_logits(old_policy->num_params(), 6, 1.0);
  auto policy = old_policy->clone();
  double previous_error = 1.0;
  for (double eps : {1e-1, 1e-2, 1e-3}) {
    policy->set_params(old_policy->params() + eps * delta);
    const double quad = 0.5 * eps * eps * delta.dot(F * delta);
    const double error = std::abs(exact_mean_kl(*env, *old_policy, *policy) / quad - 1.0);
    EXPECT_LT(error, 10 * eps) << eps;
    EXPECT_LT(error, previous_error) << eps;
    previous_error = error;
  }
}

TEST(Kl, TwoPoliciesOverDifferentActionsAreRefused) {
  // batch_kl sized π_old's probabilities by π's action count: 4 against 3 wrote past the buffer
  // (a double free in Python), 5 against 4 returned a negative KL. Both are bad input now.
  Trajectory tr;
  tr.obs_index = {0, 1};
  tr.actions = {0, 1};
  tr.rewards = {0.0, 1.0};
  tr.terminated = true;
  Batch batch;
  batch.trajectories = {tr, tr};
  for (auto [a_old, a] : {std::pair{4, 3}, std::pair{5, 4}, std::pair{3, 4}}) {
    TabularSoftmax old_policy(16, a_old), policy(16, a);
    try {
      batch_kl(batch, old_policy, policy);
      ADD_FAILURE() << a_old << " against " << a << " actions was accepted";
    } catch (const InputError& e) {
      EXPECT_EQ(e.problem(), "the two policies have " + std::to_string(a_old) + " and " +
                                 std::to_string(a) + " actions; they must act on the same actions");
    }
  }
  TabularSoftmax same_old(16, 4), same(16, 4);
  EXPECT_EQ(batch_kl(batch, same_old, same).mean_kl, 0.0);
}

}  // namespace pg
