// GAE against the exact advantage (issue 10, item 6): the estimators of estimator/advantages.h with
// the exact V^π as their critic (lab/advantage_curves.h batch_exact_values), against naive
// references — GAE(λ=1) equals the sampled return minus V^π, TD(0) and GAE(λ) are unbiased for
// A^π, and the ends of the bias–variance curve over λ are TD(0) and Monte Carlo.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "estimator/advantages.h"
#include "exact/exact.h"
#include "lab/advantage_compare.h"
#include "lab/advantage_curves.h"
#include "lab/variance.h"
#include "rollout/sampler.h"
#include "session/session.h"

namespace pg {

namespace {

// A2C on the slippery 4×4 grid with a step cost: rewards at every step, a finite horizon of 50.
Session a2c_grid(int iterations) {
  Scenario sc = load_scenario("gridworld-reinforce");
  set_value(sc, "algorithm.name", "a2c");
  set_value(sc, "algorithm.batch_episodes", 8);
  Session s(sc);
  EXPECT_TRUE(s.run_iterations(iterations));
  return s;
}

std::vector<double> advantages(const Batch& b, const BatchValues& v, AdvantageKind kind,
                               double gamma, double lambda) {
  std::vector<double> adv(v.offset.back()), targets(v.offset.back());
  compute_advantages(b, AdvantageConfig{kind, gamma, lambda, 5}, v.offset, v.values.data(),
                     v.final_values.data(), adv.data(), targets.data());
  return adv;
}

}  // namespace

// V^π per step from the oracle's time-indexed table, and GAE(1) = G_t − V^π_t(s_t) with G_t summed
// by hand (no bootstrap: the finite-horizon V_H is 0).
TEST(GaeExact, GaeLambdaOneWithExactValueIsMonteCarloMinusV) {
  Session s = a2c_grid(3);
  const ExactResult ex = exact_evaluate(s.env(), s.policy());
  ASSERT_GT(ex.horizon, 0);
  Batch b;
  std::unique_ptr<Env> env = s.env().clone();
  sample_batch(*env, s.policy(), 7, kLabIterationBase, 16, false, b);
  const BatchValues v = batch_exact_values(b, ex);
  const double g = s.env().gamma();
  const std::vector<double> gae1 = advantages(b, v, AdvantageKind::kGAE, g, 1.0);
  const std::vector<double> mc = advantages(b, v, AdvantageKind::kMonteCarlo, g, 0.0);
  int checked = 0;
  for (int i = 0; i < b.size(); ++i) {
    const Trajectory& tr = b.trajectories[i];
    for (int t = 0; t < tr.length(); ++t) {
      double G = 0.0, w = 1.0;
      for (int k = t; k < tr.length(); ++k, w *= g) G += w * tr.rewards[k];
      const double vpi = ex.V_t(t, tr.state[t]);
      const int m = v.offset[i] + t;
      EXPECT_EQ(v.values[m], vpi);
      EXPECT_NEAR(gae1[m], G - vpi, 1e-12);
      EXPECT_NEAR(mc[m], G - vpi, 1e-12);
      ++checked;
    }
  }
  EXPECT_GT(checked, 100);
}

// E[δ_t | s_t, a_t] = R(s,a) + γ E[V_{t+1}(s')] − V_t(s) = A^π_t(s, a): TD(0) on the exact V^π is
// unbiased, and so is GAE(λ) (each later δ has conditional mean 0). GAE's errors e = Â − A^π at
// neighbouring steps share δs and are correlated, so the standard error comes from the
// trajectories, which are independent: with E_i = Σ_t e_it (mean 0 under unbiasedness), the mean
// error Σ E_i / n has s.e. √(Σ_i E_i²)/n. Mean within 3 s.e.; measured |mean|/s.e. (seed 11,
// 400 × 16 episodes): TD(0) 0.77, GAE(0.9) 0.94.
TEST(GaeExact, TdZeroAndGaeWithExactValueAreUnbiasedForTheExactAdvantage) {
  Session s = a2c_grid(10);
  const ExactResult ex = exact_evaluate(s.env(), s.policy());
  const ExactAdvantage A = exact_advantage(s.env(), ex);
  std::unique_ptr<Env> env = s.env().clone();
  const double g = s.env().gamma();
  struct Acc {
    double sum = 0, sq = 0, traj = 0;  // Σ e, Σ_i E_i², E_i of the trajectory in progress
    long n = 0;
  } td, gae, td_learned;
  Batch b;
  for (int k = 0; k < 400; ++k) {
    sample_batch(*env, s.policy(), 11, kLabIterationBase + k, 16, false, b);
    const BatchValues v = batch_exact_values(b, ex);
    const BatchValues vl = batch_critic_values(b, *s.critic(), *env);
    const std::vector<double> a0 = advantages(b, v, AdvantageKind::kTD0, g, 0.0);
    const std::vector<double> a9 = advantages(b, v, AdvantageKind::kGAE, g, 0.9);
    const std::vector<double> l0 = advantages(b, vl, AdvantageKind::kTD0, g, 0.0);
    for (int i = 0; i < b.size(); ++i) {
      const Trajectory& tr = b.trajectories[i];
      for (int t = 0; t < tr.length(); ++t) {
        const int m = v.offset[i] + t;
        const double truth = A.at(t, tr.state[t], tr.actions[t]);
        for (auto [acc, a] : {std::pair{&td, a0[m]}, {&gae, a9[m]}, {&td_learned, l0[m]}}) {
          acc->sum += a - truth;
          acc->traj += a - truth;
          ++acc->n;
        }
      }
      for (Acc* acc : {&td, &gae, &td_learned}) {
        acc->sq += acc->traj * acc->traj;
        acc->traj = 0.0;
      }
    }
  }
  auto z = [](const Acc& a) { return std::fabs(a.sum / a.n) / (std::sqrt(a.sq) / a.n); };
  std::printf("|mean error| / s.e.: TD(0) exact V %.2f, GAE(0.9) exact V %.2f, TD(0) V_φ %.1f\n",
              z(td), z(gae), z(td_learned));
  EXPECT_LT(z(td), 3.0) << "TD(0), exact V: mean error " << td.sum / td.n;
  EXPECT_LT(z(gae), 3.0) << "GAE(0.9), exact V: mean error " << gae.sum / gae.n;
  // The learned critic after 10 iterations is off, and TD(0) inherits its error: the same test
  // fails for it by a wide margin (measured z = 69.5), so the test above can fail.
  EXPECT_GT(z(td_learned), 10.0);
}

// The curve over λ: its ends are TD(0) and Monte Carlo exactly (same batches, same numbers); with
// the exact V^π every estimator's bias² is noise only, far below its variance; with the learned
// critic the bias² at λ = 0 (TD(0) leans on V_φ entirely) exceeds the exact critic's.
TEST(GaeExact, BiasVarianceCurveEndsAreTdZeroAndMonteCarlo) {
  Session s = a2c_grid(10);
  const std::vector<AdvantageEstimatorSetting> settings = lambda_curve_settings(s, 6);
  ASSERT_EQ(settings.size(), 9u);
  EXPECT_EQ(settings[3].lambda, 0.0);
  EXPECT_EQ(settings.back().lambda, 1.0);
  AdvantageCompareOptions o;
  const AdvantageReport learned = run_advantage_compare(s, settings, 100, o);
  o.exact_critic = true;
  const AdvantageReport exact = run_advantage_compare(s, settings, 100, o);
  for (const AdvantageReport* rep : {&learned, &exact}) {
    const AdvantageRow &mc = rep->rows[0], &td = rep->rows[1], &l0 = rep->rows[3],
                       &l1 = rep->rows.back();
    ASSERT_TRUE(l0.has_adv_bias);
    EXPECT_NEAR(l0.adv_bias2, td.adv_bias2, 1e-12 * (1 + td.adv_bias2));
    EXPECT_NEAR(l0.adv_variance, td.adv_variance, 1e-12 * (1 + td.adv_variance));
    EXPECT_NEAR(l1.adv_bias2, mc.adv_bias2, 1e-9 * (1 + mc.adv_bias2));
    EXPECT_NEAR(l1.adv_variance, mc.adv_variance, 1e-9 * (1 + mc.adv_variance));
  }
  // Exact critic: the bias is 0, and bias² is what is left of the noise once each batch's products
  // with itself are taken out (advantage_compare.h). Measured bias²/variance here: at most 0.0033
  // over the curve (K = 100); the plug-in Σ n ē² / Σ n it replaced read 0.0101, rising with λ as
  // the variance does. 0.007 holds the first with a margin of 2× and fails the second.
  double worst = 0.0;
  for (const AdvantageRow& r : exact.rows) {
    EXPECT_LT(r.adv_bias2, 0.007 * r.adv_variance) << r.setting.label();
    worst = std::max(worst, r.adv_bias2 / r.adv_variance);
  }
  std::printf("exact V^π: largest bias²/variance over the curve %.4f\n", worst);
  // Variance grows with λ on the exact critic (more sampled rewards per Â): the curve's ends.
  EXPECT_GT(exact.rows.back().adv_variance, exact.rows[3].adv_variance);
  EXPECT_GT(learned.rows[3].adv_bias2, exact.rows[3].adv_bias2);
  // The critic's error is what the learned curve adds at λ = 0.
  EXPECT_GT(learned.critic_rmse, 0.0);
}

}  // namespace pg
