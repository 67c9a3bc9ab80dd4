// PPO (algo/ppo.h): the clipped surrogate's gradient against central finite differences and a
// naive per-sample reference, the KL-penalty variant likewise, the value loss (plain and clipped),
// the clip regions and their counts, the KL estimators against exact expectations, β adaptation,
// the ratio-is-1 check, reproducible minibatches, and a short cart-pole run that learns.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>

#include "algo/ppo.h"
#include "estimator/advantages.h"
#include "io/batch_dump.h"
#include "io/scenario.h"
#include "policy/mlp_softmax.h"
#include "policy/tabular_softmax.h"
#include "same_bits.h"
#include "session/session.h"
#include "util/error.h"

namespace pg {
namespace {

// A hand-made minibatch on a tabular policy: observations, actions, log π_old from θ_old, Â.
struct TabularCase {
  TabularSoftmax policy{3, 3};
  std::vector<int> index, actions;
  std::vector<double> logp_old, adv;
  int n() const { return static_cast<int>(index.size()); }
};

double log_prob(const Policy& p, ObsRef o, int a) {
  std::vector<double> pr(p.num_actions());
  p.probs(o, pr.data());
  return std::log(pr[a]);
}

// θ and θ_old differ enough that the ratios fall in every region of the (r, Â) plane.
TabularCase make_case(uint64_t seed) {
  TabularCase c;
  Rng rng(seed);
  Eigen::VectorXd theta(9), theta_old(9);
  for (int k = 0; k < 9; ++k) {
    theta_old[k] = rng.normal() * 0.5;
    theta[k] = theta_old[k] + rng.normal() * 0.4;
  }
  TabularSoftmax old(3, 3);
  old.set_params(theta_old);
  c.policy.set_params(theta);
  for (int j = 0; j < 24; ++j) {
    const int o = j % 3, a = (j / 3) % 3;
    c.index.push_back(o);
    c.actions.push_back(a);
    c.logp_old.push_back(log_prob(old, ObsRef{o, nullptr}, a));
    c.adv.push_back(rng.normal() * 1.5);
  }
  return c;
}

// L(θ) computed naively, sample by sample, from the definitions.
double naive_objective(const Policy& p, const TabularCase& c, const PpoObjective& obj) {
  double L = 0.0;
  for (int j = 0; j < c.n(); ++j) {
    const double r =
        std::exp(log_prob(p, ObsRef{c.index[j], nullptr}, c.actions[j]) - c.logp_old[j]);
    if (obj.kl_penalty)
      L += r * c.adv[j] - obj.beta * ((r - 1.0) - std::log(r));
    else
      L += std::min(r * c.adv[j], std::clamp(r, 1.0 - obj.clip_eps, 1.0 + obj.clip_eps) * c.adv[j]);
    L += obj.entropy_coef * p.entropy(ObsRef{c.index[j], nullptr});
  }
  return L / c.n();
}

Eigen::VectorXd central_differences(Policy& p, const std::function<double()>& f, double h = 1e-6) {
  Eigen::VectorXd theta = p.params(), g(theta.size());
  for (Eigen::Index k = 0; k < theta.size(); ++k) {
    Eigen::VectorXd t = theta;
    t[k] += h;
    p.set_params(t);
    const double up = f();
    t[k] -= 2 * h;
    p.set_params(t);
    const double down = f();
    g[k] = (up - down) / (2 * h);
  }
  p.set_params(theta);
  return g;
}

struct Scratch {
  std::vector<double> logp, ent, ratio, s1, s2;
  explicit Scratch(int n) : logp(n), ent(n), ratio(n), s1(n), s2(n) {}
};

double run_gradient(const Policy& p, const TabularCase& c, const PpoObjective& obj, Scratch& s,
                    Eigen::VectorXd& g) {
  g = Eigen::VectorXd::Zero(p.num_params());
  const Eigen::MatrixXd none;
  return ppo_policy_gradient(p, none, c.index.data(), c.actions.data(), c.logp_old.data(),
                             c.adv.data(), c.n(), obj, s.logp.data(), s.ent.data(), s.ratio.data(),
                             s.s1.data(), s.s2.data(), g);
}

}  // namespace

TEST(PpoClip, SurrogateAndRegionsByHand) {
  const double eps = 0.2;
  // Inside the band: r Â.
  EXPECT_DOUBLE_EQ(clipped_surrogate(1.1, 2.0, eps), 2.2);
  // Above the band, Â > 0: (1+ε) Â, flat.
  EXPECT_DOUBLE_EQ(clipped_surrogate(1.5, 2.0, eps), 1.2 * 2.0);
  EXPECT_EQ(clipped_surrogate_dr(1.5, 2.0, eps), 0.0);
  // Above the band, Â < 0: r Â is the smaller, the gradient flows.
  EXPECT_DOUBLE_EQ(clipped_surrogate(1.5, -2.0, eps), -3.0);
  EXPECT_EQ(clipped_surrogate_dr(1.5, -2.0, eps), -2.0);
  // Below the band, Â < 0: (1−ε) Â, flat.
  EXPECT_DOUBLE_EQ(clipped_surrogate(0.5, -2.0, eps), 0.8 * -2.0);
  EXPECT_EQ(clipped_surrogate_dr(0.5, -2.0, eps), 0.0);
  // Below the band, Â > 0: r Â, the gradient flows.
  EXPECT_DOUBLE_EQ(clipped_surrogate(0.5, 2.0, eps), 1.0);
  EXPECT_EQ(clipped_surrogate_dr(0.5, 2.0, eps), 2.0);

  // Clip-fraction accounting on a hand-made set: 3 inside, 2 above-flat, 1 below-flat,
  // 1 above-active, 1 below-active.
  const double r[] = {1.0, 0.9, 1.19, 1.3, 2.0, 0.7, 1.25, 0.75};
  const double a[] = {1.0, -1.0, 0.5, 1.0, 3.0, -0.1, -2.0, 4.0};
  const ClipRegion want[] = {ClipRegion::kInside,      ClipRegion::kInside,
                             ClipRegion::kInside,      ClipRegion::kAboveFlat,
                             ClipRegion::kAboveFlat,   ClipRegion::kBelowFlat,
                             ClipRegion::kAboveActive, ClipRegion::kBelowActive};
  ClipCounts counts;
  for (int j = 0; j < 8; ++j) {
    EXPECT_EQ(clip_region(r[j], a[j], eps), want[j]) << j;
    counts.add(clip_region(r[j], a[j], eps));
  }
  EXPECT_EQ(counts.inside, 3);
  EXPECT_EQ(counts.above_flat, 2);
  EXPECT_EQ(counts.below_flat, 1);
  EXPECT_EQ(counts.above_active, 1);
  EXPECT_EQ(counts.below_active, 1);
  EXPECT_EQ(counts.total(), 8);
  EXPECT_DOUBLE_EQ(counts.clip_fraction(), 5.0 / 8.0);
}

TEST(PpoClip, GradientMatchesFiniteDifferencesAndNaiveReference) {
  for (uint64_t seed : {1ULL, 2ULL, 3ULL}) {
    TabularCase c = make_case(seed);
    PpoObjective obj;
    obj.clip_eps = 0.2;
    obj.entropy_coef = seed == 3 ? 0.05 : 0.0;
    // Every sample away from the kinks r = 1 ± ε, so the finite difference sees one smooth piece,
    // and every region represented (otherwise the test would not exercise the flat parts).
    Scratch s(c.n());
    Eigen::VectorXd g;
    const double L = run_gradient(c.policy, c, obj, s, g);
    ClipCounts counts;
    for (int j = 0; j < c.n(); ++j) {
      ASSERT_GT(std::abs(s.ratio[j] - 1.2), 1e-3);
      ASSERT_GT(std::abs(s.ratio[j] - 0.8), 1e-3);
      counts.add(clip_region(s.ratio[j], c.adv[j], obj.clip_eps));
    }
    ASSERT_GT(counts.above_flat + counts.below_flat, 0) << "no flat sample: choose another seed";
    ASSERT_GT(counts.inside, 0);

    EXPECT_NEAR(L, naive_objective(c.policy, c, PpoObjective{false, 0.2, 1.0, 0.0}), 1e-12);
    const Eigen::VectorXd fd =
        central_differences(c.policy, [&] { return naive_objective(c.policy, c, obj); });
    // Central differences with h = 1e-6 on a smooth piece: error O(h²) + rounding O(1e-16/h).
    EXPECT_LT((g - fd).cwiseAbs().maxCoeff(), 1e-8) << "seed " << seed;

    // Naive reference: Σ_j (1/n) 1[not flat] Â_j r_j ∇log π(a_j|s_j) + c₂ (1/n) Σ_j ∇H_j, per
    // sample.
    Eigen::VectorXd ref = Eigen::VectorXd::Zero(9);
    for (int j = 0; j < c.n(); ++j) {
      const ObsRef o{c.index[j], nullptr};
      const double r = std::exp(log_prob(c.policy, o, c.actions[j]) - c.logp_old[j]);
      if (!no_gradient(clip_region(r, c.adv[j], 0.2)))
        c.policy.add_grad_log_prob(o, c.actions[j], c.adv[j] * r / c.n(), ref);
      c.policy.add_grad_entropy(o, obj.entropy_coef / c.n(), ref);
    }
    EXPECT_LT((g - ref).cwiseAbs().maxCoeff(), 1e-14);
  }
}

TEST(PpoClip, AtThetaOldTheGradientIsTheA2CGradient) {
  // θ = θ_old: every r is exactly 1 (tabular), nothing is clipped, and ∇L = (1/n) Σ Â ∇log π.
  TabularCase c = make_case(4);
  for (int j = 0; j < c.n(); ++j)
    c.logp_old[j] = log_prob(c.policy, ObsRef{c.index[j], nullptr}, c.actions[j]);
  Scratch s(c.n());
  Eigen::VectorXd g;
  run_gradient(c.policy, c, PpoObjective{}, s, g);
  Eigen::VectorXd ref = Eigen::VectorXd::Zero(9);
  for (int j = 0; j < c.n(); ++j) {
    EXPECT_EQ(s.ratio[j], 1.0);
    c.policy.add_grad_log_prob(ObsRef{c.index[j], nullptr}, c.actions[j], c.adv[j] / c.n(), ref);
  }
  EXPECT_LT((g - ref).cwiseAbs().maxCoeff(), 1e-15);
}

TEST(PpoKlPenalty, GradientMatchesFiniteDifferences) {
  TabularCase c = make_case(5);
  PpoObjective obj;
  obj.kl_penalty = true;
  obj.beta = 0.7;
  obj.entropy_coef = 0.02;
  Scratch s(c.n());
  Eigen::VectorXd g;
  const double L = run_gradient(c.policy, c, obj, s, g);
  PpoObjective no_entropy = obj;
  no_entropy.entropy_coef = 0.0;
  EXPECT_NEAR(L, naive_objective(c.policy, c, no_entropy), 1e-12);
  const Eigen::VectorXd fd =
      central_differences(c.policy, [&] { return naive_objective(c.policy, c, obj); });
  EXPECT_LT((g - fd).cwiseAbs().maxCoeff(), 1e-8);
}

TEST(PpoClip, MlpBatchedGradientMatchesFiniteDifferences) {
  // The MLP's one-forward-one-backward path (log_prob_batch then add_grad_surrogate_batch with
  // reuse_forward), with the entropy bonus, against central differences of the naive objective.
  Rng rng(11);
  MlpSoftmax pi(3, {5}, Activation::kTanh, 3, rng);
  Eigen::VectorXd theta = pi.params();
  for (Eigen::Index k = 0; k < theta.size(); ++k) theta[k] += 0.6 * rng.normal();
  MlpSoftmax old = pi;
  pi.set_params(theta);
  const int n = 16;
  Eigen::MatrixXd X(3, n);
  std::vector<int> actions(n), index(n, -1);
  std::vector<double> logp_old(n), adv(n);
  for (int j = 0; j < n; ++j) {
    for (int d = 0; d < 3; ++d) X(d, j) = rng.normal();
    actions[j] = j % 3;
    adv[j] = rng.normal();
    logp_old[j] = log_prob(old, ObsRef{-1, X.col(j).data()}, actions[j]);
  }
  PpoObjective obj;
  obj.entropy_coef = 0.03;
  auto naive = [&] {
    double L = 0.0;
    for (int j = 0; j < n; ++j) {
      const ObsRef o{-1, X.col(j).data()};
      const double r = std::exp(log_prob(pi, o, actions[j]) - logp_old[j]);
      L +=
          std::min(r * adv[j], std::clamp(r, 0.8, 1.2) * adv[j]) + obj.entropy_coef * pi.entropy(o);
    }
    return L / n;
  };
  Scratch s(n);
  Eigen::VectorXd g = Eigen::VectorXd::Zero(pi.num_params());
  ppo_policy_gradient(pi, X, index.data(), actions.data(), logp_old.data(), adv.data(), n, obj,
                      s.logp.data(), s.ent.data(), s.ratio.data(), s.s1.data(), s.s2.data(), g);
  for (int j = 0; j < n; ++j) {
    ASSERT_GT(std::abs(s.ratio[j] - 1.2), 1e-3);
    ASSERT_GT(std::abs(s.ratio[j] - 0.8), 1e-3);
  }
  const Eigen::VectorXd fd = central_differences(pi, naive);
  EXPECT_LT((g - fd).cwiseAbs().maxCoeff(), 1e-8);
}

TEST(PpoValueLoss, PlainAndClippedAgainstFiniteDifferences) {
  const int n = 6;
  const double v[n] = {0.0, 1.0, 2.5, -1.0, 0.3, 4.0};
  const double v_old[n] = {0.1, 0.5, 2.0, -1.5, 0.35, 1.0};
  const double y[n] = {1.0, 0.2, 3.0, 0.0, 0.3, 2.0};
  const double eps = 0.2, c1 = 0.5;
  for (bool clip : {false, true}) {
    double d[n];
    const double L = ppo_value_loss(v, v_old, y, n, clip, eps, c1, d);
    // By hand: ½ mean of the chosen squared errors.
    double want = 0.0;
    for (int j = 0; j < n; ++j) {
      const double e = v[j] - y[j];
      const double ec = v_old[j] + std::clamp(v[j] - v_old[j], -eps, eps) - y[j];
      want += 0.5 * (clip ? std::max(e * e, ec * ec) : e * e);
    }
    // Measured 1.1e-16 (1 ulp) native and portable; the sum's order depends on vector width.
    EXPECT_NEAR(L, want / n, 1e-14);
    // d_v = ∂(−c₁ L_V)/∂V by central differences on each V_j (no sample sits at a kink).
    for (int j = 0; j < n; ++j) {
      double vp[n], vm[n], scratch[n];
      std::copy(v, v + n, vp);
      std::copy(v, v + n, vm);
      vp[j] += 1e-6;
      vm[j] -= 1e-6;
      const double fd = -c1 *
                        (ppo_value_loss(vp, v_old, y, n, clip, eps, c1, scratch) -
                         ppo_value_loss(vm, v_old, y, n, clip, eps, c1, scratch)) /
                        2e-6;
      EXPECT_NEAR(d[j], fd, 1e-8) << "clip " << clip << " j " << j;
    }
    if (clip) {
      // Sample 5 moved 3 past V_old + ε and the clipped error (1.2 − 2 = −0.8)² < (4 − 2)²: plain
      // wins; sample 3: V − V_old = 0.5 > ε, clipped error (−1.3)² > (−1)²: clipped wins, no
      // gradient.
      EXPECT_NE(d[5], 0.0);
      EXPECT_EQ(d[3], 0.0);
    }
  }
}

TEST(PpoKl, EstimatorsAsDefinedAndUnbiased) {
  for (double lr : {-0.7, -0.01, 0.0, 1e-9, 0.3, 2.0}) {
    const double r = std::exp(lr);
    EXPECT_DOUBLE_EQ(kl::k1(lr), -lr);
    EXPECT_DOUBLE_EQ(kl::k2(lr), 0.5 * lr * lr);
    EXPECT_NEAR(kl::k3(lr), (r - 1.0) - lr, 1e-15 * std::max(1.0, r));
    EXPECT_GE(kl::k3(lr), 0.0);
  }
  // k3 keeps its digits for tiny log r (≈ ½ (log r)²), where (r − 1) − log r would cancel.
  EXPECT_NEAR(kl::k3(1e-6), 0.5e-12, 1e-18);
  // Exact expectations under π_old: E[k1] = E[k3] = KL(π_old ‖ π_θ); k2 differs.
  const double p_old[3] = {0.5, 0.3, 0.2}, p[3] = {0.4, 0.25, 0.35};
  double kl = 0.0, e1 = 0.0, e2 = 0.0, e3 = 0.0;
  for (int a = 0; a < 3; ++a) {
    const double lr = std::log(p[a]) - std::log(p_old[a]);
    kl += p_old[a] * std::log(p_old[a] / p[a]);
    e1 += p_old[a] * kl::k1(lr);
    e2 += p_old[a] * kl::k2(lr);
    e3 += p_old[a] * kl::k3(lr);
  }
  EXPECT_NEAR(e1, kl, 1e-15);
  EXPECT_NEAR(e3, kl, 1e-15);
  EXPECT_GT(std::abs(e2 - kl), 1e-4);
}

TEST(PpoKl, BetaAdaptationRule) {
  const double target = 0.01;
  EXPECT_EQ(adapt_beta(1.0, 0.02, target), 2.0);          // d > 1.5·target
  EXPECT_EQ(adapt_beta(1.0, 0.015, target), 1.0);         // = 1.5·target: unchanged
  EXPECT_EQ(adapt_beta(1.0, 0.005, target), 0.5);         // d < target/1.5
  EXPECT_EQ(adapt_beta(1.0, target / 1.5, target), 1.0);  // = target/1.5: unchanged
  EXPECT_EQ(adapt_beta(3.0, target, target), 3.0);

  // In a session: β_next = adapt_beta(β, d) with d the mean k3 after the update.
  Scenario s = load_scenario("cartpole-ppo");
  set_values(s, {{"ppo.objective", "kl-penalty"}, {"ppo.kl_beta", 0.5}, {"ppo.kl_target", 0.003}});
  Session session(s);
  double beta = 0.5;
  for (int i = 0; i < 6; ++i) {
    ASSERT_TRUE(session.advance(Granularity::kIteration));
    const UpdateStats& st = session.update_stats();
    ASSERT_TRUE(st.has("kl_after"));
    EXPECT_EQ(st.get("beta"), beta);
    const double next = adapt_beta(beta, st.get("kl_after"), 0.003);
    EXPECT_EQ(st.get("beta_next"), next);
    beta = next;
    const auto& ppo = dynamic_cast<const PpoAlgorithm&>(session.algorithm());
    EXPECT_EQ(ppo.beta(), beta);
  }
}

TEST(PpoSession, RatioIsOneOnTheFirstMinibatch) {
  // Tabular (gridworld): the sampler and the minibatch read the same softmax row, so exactly 1.
  Scenario g = load_scenario("gridworld-reinforce");
  set_values(g, {{"algorithm.name", "ppo"},
                 {"algorithm.lr", 0.05},
                 {"ppo.epochs", 3},
                 {"ppo.minibatches", 2}});
  Session grid(g);
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(grid.advance(Granularity::kIteration));
    EXPECT_EQ(grid.update_stats().get("first_ratio_max_abs_dev"), 0.0);
    EXPECT_EQ(grid.update_stats().get("first_ratio_is_one"), 1.0);
    // Later minibatches move θ: some ratio differs from 1.
    EXPECT_NE(grid.update_stats().get("ratio_max") - grid.update_stats().get("ratio_min"), 0.0);
  }
  // MLP (cart-pole): 1 to rounding (kFirstRatioTolerance explains why it is not bit-exact).
  Session cart(load_scenario("cartpole-ppo"));
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(cart.advance(Granularity::kIteration));
    EXPECT_LE(cart.update_stats().get("first_ratio_max_abs_dev"), kFirstRatioTolerance);
    EXPECT_EQ(cart.update_stats().get("first_ratio_is_one"), 1.0);
    const auto& ppo = dynamic_cast<const PpoAlgorithm&>(cart.algorithm());
    EXPECT_TRUE(ppo.last_update().first_ratio_is_one);
  }
}

TEST(PpoSession, StatsOverEveryMinibatchAndReproducible) {
  Scenario s = load_scenario("cartpole-ppo");
  Session a(s), b(s);
  ASSERT_TRUE(a.run_iterations(4));
  ASSERT_TRUE(b.run_iterations(4));
  EXPECT_EQ(a.policy().params(), b.policy().params());  // same seed: same minibatches, same bits
  const UpdateStats& st = a.update_stats();
  EXPECT_EQ(st.get("minibatch_steps"), 16.0);  // 4 epochs × 4 minibatches
  const auto& ppo = dynamic_cast<const PpoAlgorithm&>(a.algorithm());
  const PpoUpdateRecord& rec = ppo.last_update();
  ASSERT_EQ(rec.ratio_first.size(), 512u);
  ASSERT_EQ(rec.epoch_clip_fraction.size(), 4u);
  // The update's means are over all epochs: the mean of the per-epoch k1 (equal-sized epochs).
  double k1 = 0.0;
  for (double v : rec.epoch_kl_k1) k1 += v / 4.0;
  EXPECT_NEAR(st.get("approx_kl_k1"), k1, 1e-15);
  // Fractions by region add up to the clip fraction.
  EXPECT_NEAR(st.get("clip_frac_high_pos") + st.get("clip_frac_low_neg") +
                  st.get("clip_frac_high_neg") + st.get("clip_frac_low_pos"),
              st.get("clip_fraction"), 1e-15);
  EXPECT_LE(st.get("ratio_min"), st.get("ratio_mean"));
  EXPECT_LE(st.get("ratio_mean"), st.get("ratio_max"));
  EXPECT_GE(st.get("approx_kl_k3"), 0.0);
  // The estimate is A2C's: ĝ = (1/M) Σ ∇log π ψ over M = 512 steps.
  EXPECT_EQ(a.last_estimate().gradient_divisor(), 512.0);
  // A different seed gives different minibatches (and so different parameters).
  s.seed = 2;
  Session c(s);
  ASSERT_TRUE(c.run_iterations(4));
  EXPECT_NE(c.policy().params(), a.policy().params());
}

// Issue 12, "no work nobody reads": with set_statistics_wanted(false) PPO's estimate skips A2C's ĝ
// at θ_old and the policy's forward over the batch (whose per-step entropies only the history
// read), and nothing else may change: θ, the critic, every update statistic and every history
// column but grad_norm and entropy (NaN: not computed) keep their bits, in both precisions. A2C's
// update reads ĝ, so it keeps it, and the entropies its forward gives on the way.
TEST(PpoSession, SkippingTheEstimateGradientChangesNothingElse) {
  for (const char* precision : {"float64", "float32"}) {
    SCOPED_TRACE(precision);
    Scenario s = load_scenario("cartpole-ppo");
    set_values(s, {{"policy.precision", precision}});
    Session full(s), lean(s);
    lean.set_statistics_wanted(false);
    ASSERT_TRUE(full.run_iterations(5));
    ASSERT_TRUE(lean.run_iterations(5));
    EXPECT_TRUE(test::same_vector(full.policy().params(), lean.policy().params()));
    EXPECT_TRUE(test::same_vector(test::critic_params(full), test::critic_params(lean)));
    EXPECT_EQ(full.last_estimate().gradient.size(), full.policy().num_params());
    EXPECT_GT(full.last_estimate().gradient.norm(), 0.0);
    EXPECT_EQ(lean.last_estimate().gradient.size(), 0);
    const std::vector<double>&fa = full.last_estimate().advantages,
          &la = lean.last_estimate().advantages;
    ASSERT_EQ(fa.size(), la.size());
    for (size_t k = 0; k < fa.size(); ++k) EXPECT_TRUE(test::same_bits(fa[k], la[k])) << k;
    const auto& fs = full.update_stats().values;
    ASSERT_EQ(fs.size(), lean.update_stats().values.size());
    ASSERT_GT(fs.size(), 10u);
    for (const auto& [key, v] : fs)
      EXPECT_TRUE(test::same_bits(v, lean.update_stats().get(key))) << key;
    ASSERT_EQ(full.history().size(), lean.history().size());
    for (size_t i = 0; i < full.history().size(); ++i) {
      const IterationRecord &f = full.history()[i], &l = lean.history()[i];
      EXPECT_TRUE(test::same_bits(f.return_mean, l.return_mean)) << i;
      EXPECT_EQ(f.steps, l.steps) << i;
      EXPECT_GT(f.grad_norm, 0.0) << i;
      EXPECT_TRUE(std::isnan(l.grad_norm)) << i;  // not computed, not a false 0
      EXPECT_GT(f.entropy, 0.0) << i;
      EXPECT_TRUE(std::isnan(l.entropy)) << i;
    }
    EXPECT_TRUE(lean.last_estimate().entropy.empty());
  }
  Scenario s = load_scenario("a2c-cartpole");
  Session a2c_full(s), a2c(s);
  a2c.set_statistics_wanted(false);
  ASSERT_TRUE(a2c_full.run_iterations(2));
  ASSERT_TRUE(a2c.run_iterations(2));
  EXPECT_EQ(a2c.last_estimate().gradient.size(), a2c.policy().num_params());
  EXPECT_GT(a2c.history().back().grad_norm, 0.0);
  for (size_t i = 0; i < a2c.history().size(); ++i) {
    EXPECT_TRUE(test::same_bits(a2c_full.history()[i].entropy, a2c.history()[i].entropy)) << i;
    EXPECT_TRUE(test::same_bits(a2c_full.history()[i].grad_norm, a2c.history()[i].grad_norm)) << i;
  }
}

// A fault's message quotes ‖ĝ‖ at the batch's θ, whoever runs the session: the lean session
// (`pglab train`) skipped ĝ and had said "gradient norm not computed" where the window and the
// shot, full sessions, said "gradient norm was 0.0947" for the same run.
TEST(PpoSession, AFaultQuotesTheSameGradientNormLeanOrFull) {
  Scenario s = load_scenario("cartpole-ppo");
  set_values(s, {{"algorithm.lr", 0.5}});
  Session full(s), lean(s);
  lean.set_statistics_wanted(false);
  EXPECT_FALSE(full.run_iterations(3));
  EXPECT_FALSE(lean.run_iterations(3));
  ASSERT_FALSE(full.fault().empty());
  EXPECT_EQ(lean.fault(), full.fault());
  EXPECT_NE(full.fault().find("gradient norm was "), std::string::npos) << full.fault();
  EXPECT_EQ(full.fault().find("not computed"), std::string::npos) << full.fault();
  EXPECT_TRUE(test::same_vector(full.last_estimate().gradient, lean.last_estimate().gradient));
}

TEST(PpoSession, ShortCartPoleRunImproves) {
  // Seed 1, 40 iterations (20 480 steps): the mean return of the episodes completed in the last 5
  // iterations is well above that of the first 5 (≈ 20, a random policy). Deterministic (fixed
  // seed), so the margin only has to survive code changes that keep PPO correct. The mean is over
  // episodes: an iteration in which no episode ends (a policy that balances for 512 steps) has no
  // return_mean (NaN) and counts for nothing.
  Session s(load_scenario("cartpole-ppo"));
  auto mean_of = [&](int from, int to) {
    double sum = 0.0;
    long episodes = 0;
    for (int i = from; i < to; ++i) {
      const IterationRecord& r = s.history()[i];
      const long n = r.episodes - (i > 0 ? s.history()[i - 1].episodes : 0);
      if (n == 0) continue;
      sum += r.return_mean * static_cast<double>(n);
      episodes += n;
    }
    EXPECT_GT(episodes, 0) << "iterations " << from << " to " << to;
    return sum / static_cast<double>(std::max(episodes, 1L));
  };
  ASSERT_TRUE(s.run_iterations(40));
  const double first = mean_of(0, 5), last = mean_of(35, 40);
  EXPECT_LT(first, 40.0);
  EXPECT_GT(last, 3.0 * first) << "first " << first << " last " << last;
}

TEST(PpoSession, NeedsACritic) {
  Scenario s = load_scenario("cartpole-ppo");
  set_values(s, {{"critic.kind", "tabular"}});
  EXPECT_THROW(Session{s}, InputError);
}

}  // namespace pg

namespace pg {

// The dump's PPO block recomputes from the file alone: GAE advantages from rewards, values and the
// bootstrap value, ψ by standardising them, log π_old from the dumped θ_old (tabular logits), and
// the gradient (1/M) Σ ∇log π ψ with ∇_θ[o,·] log π(a|o) = onehot(a) − π(·|o).
TEST(PpoDump, RecomputesFromTheFileAlone) {
  Scenario s = load_scenario("gridworld-reinforce");
  set_values(s, {{"algorithm.name", "ppo"},
                 {"algorithm.num_envs", 2},
                 {"algorithm.num_steps", 12},
                 {"advantage.lambda", 0.9}});
  Session session(s);
  ASSERT_TRUE(session.run_iterations(3));  // a learned critic and a non-uniform policy
  ASSERT_TRUE(session.advance(Granularity::kEstimate));
  const nlohmann::json d = batch_dump(session);
  const auto& alg = d.at("algorithm");
  EXPECT_EQ(alg.at("name"), "ppo");
  EXPECT_EQ(alg.at("objective"), "clip");
  EXPECT_EQ(alg.at("clip_eps").get<double>(), 0.2);
  const double gamma = alg.at("advantage").at("gamma"), lambda = alg.at("advantage").at("lambda");
  const auto& logits = d.at("policy").at("logits");
  const int A = d.at("policy").at("num_actions");
  auto pi = [&](int o, int a) {
    double z = 0.0;
    for (int b = 0; b < A; ++b) z += std::exp(logits[o][b].get<double>());
    return std::exp(logits[o][a].get<double>()) / z;
  };
  std::vector<double> adv_all;
  int pieces_cut = 0;
  for (const auto& tr : d.at("trajectories")) {
    const auto& r = tr.at("rewards");
    const auto& v = tr.at("values");
    const int T = static_cast<int>(r.size());
    const double v_end = tr.at("bootstrap").get<bool>() ? tr.at("final_value").get<double>() : 0.0;
    pieces_cut += tr.at("cut").get<bool>();
    // Â_t = Σ_l (γλ)^l δ_{t+l} by the explicit sum
    for (int t = 0; t < T; ++t) {
      double a = 0.0, w = 1.0;
      for (int k = t; k < T; ++k, w *= gamma * lambda) {
        const double next = k + 1 < T ? v[k + 1].get<double>() : v_end;
        a += w * (r[k].get<double>() + gamma * next - v[k].get<double>());
      }
      EXPECT_NEAR(tr.at("advantages")[t].get<double>(), a, 1e-12);
      EXPECT_NEAR(tr.at("targets")[t].get<double>(), a + v[t].get<double>(), 1e-12);
      adv_all.push_back(a);
      // log π_old(a|s) from the dumped θ_old: the ratio at θ_old is 1.
      const int o = tr.at("obs")[t][0], act = tr.at("actions")[t];
      EXPECT_NEAR(tr.at("logp_old")[t].get<double>(), std::log(pi(o, act)), 1e-12);
    }
  }
  EXPECT_GT(pieces_cut, 0);
  const int M = static_cast<int>(adv_all.size());
  EXPECT_EQ(alg.at("num_steps").get<int>(), M);
  // ψ = standardised Â over the batch; ĝ = (1/M) Σ ψ (onehot(a) − π(·|o)) in row o.
  std::vector<double> psi = adv_all;
  normalize_in_place(psi.data(), M);
  std::vector<double> g(d.at("gradient").size(), 0.0);
  int k = 0;
  for (const auto& tr : d.at("trajectories"))
    for (size_t t = 0; t < tr.at("actions").size(); ++t, ++k) {
      const int o = tr.at("obs")[t][0], act = tr.at("actions")[t];
      EXPECT_NEAR(tr.at("psi")[t].get<double>(), psi[k], 1e-12);
      for (int b = 0; b < A; ++b) g[o * A + b] += psi[k] * ((b == act) - pi(o, b)) / M;
    }
  for (size_t i = 0; i < g.size(); ++i)
    EXPECT_NEAR(d.at("gradient")[i].get<double>(), g[i], 1e-12) << i;
}

}  // namespace pg

#include "algo/formula.h"

namespace pg {

// Audit a7 F9: PPO's objective panel left out the entropy bonus the update climbs (A2C's said it).
TEST(PpoInfo, ObjectiveNamesTheEntropyBonusAndItsCoefficient) {
  for (const char* objective : {"clip", "kl-penalty"}) {
    SCOPED_TRACE(objective);
    Scenario sc = load_scenario("ppo-clipping-demo");
    set_value(sc, "ppo.objective", objective);
    set_value(sc, "algorithm.entropy_coef", 0.01);
    Session s(sc);
    const std::string text = formula_text(s.algorithm().info(s.scenario()).objective);
    EXPECT_NE(text.find("L + c₂ H (entropy bonus"), std::string::npos) << text;
    EXPECT_NE(text.find("c₂ = 0.01"), std::string::npos) << text;
  }
}

}  // namespace pg
