// The advantage-estimator comparison (lab/advantage_compare.h): the exact advantage against the
// exact oracle's Q and V, the lab's per-batch gradients against a naive step-by-step reference,
// the identities GAE(1) = Monte Carlo and GAE(0) = TD(0) = 1-step, and Monte Carlo's ĝ unbiased
// for the exact ∇J where TD(0) on a zero critic is not.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <random>
#include <utility>
#include <vector>

#include "env/tabular_model.h"
#include "exact/exact.h"
#include "lab/advantage_compare.h"
#include "lab/advantage_curves.h"
#include "lab/variance.h"
#include "rollout/sampler.h"
#include "session/session.h"

namespace pg {

namespace {

Session trained(const char* name, int iterations) {
  Session s(load_scenario(name));
  EXPECT_TRUE(s.run_iterations(iterations));
  return s;
}

void expect_exact_advantage_consistent(const Session& s) {
  const ExactResult ex = exact_evaluate(s.env(), s.policy());
  const ExactAdvantage A = exact_advantage(s.env(), ex);
  const TabularModel& m = *s.env().model();
  const int H = std::max(1, ex.horizon);
  for (int t : {0, H / 2, H - 1})
    for (int st = 0; st < m.num_states(); ++st) {
      if (m.terminal(st)) continue;
      // Σ_a π(a|s) A_t(s, a) = 0: V_t is the π-average of Q_t.
      double mean = 0.0;
      for (int a = 0; a < m.num_actions(); ++a) mean += ex.probs(st, a) * A.at(t, st, a);
      EXPECT_NEAR(mean, 0.0, 1e-12) << "t=" << t << " s=" << st;
      // At t = 0 the oracle's own Q_0 − V_0.
      if (t == 0) {
        for (int a = 0; a < m.num_actions(); ++a)
          EXPECT_NEAR(A.at(0, st, a), ex.Q(st, a) - ex.V[st], 1e-12);
      }
    }
}

// Â by the definitions, one step at a time (no recursions), for one trajectory.
double naive_advantage(const Trajectory& tr, const double* V, double v_end, double gamma,
                       const AdvantageEstimatorSetting& st, int t) {
  const int T = tr.length();
  const bool boot = tr.bootstrap();
  auto value = [&](int k) { return !st.critic ? 0.0 : k < T ? V[k] : (boot ? v_end : 0.0); };
  auto delta = [&](int k) { return tr.rewards[k] + gamma * value(k + 1) - value(k); };
  const double lambda = st.kind == AdvantageKind::kGAE ? st.lambda : 1.0;
  if (st.kind == AdvantageKind::kGAE) {
    double a = 0.0;
    for (int l = 0; t + l < T; ++l) a += std::pow(gamma * lambda, l) * delta(t + l);
    return a;
  }
  const int n = st.kind == AdvantageKind::kTD0 ? 1 : st.kind == AdvantageKind::kNStep ? st.n : T;
  const int end = std::min(T, t + n);
  double ret = 0.0;
  for (int k = t; k < end; ++k) ret += std::pow(gamma, k - t) * tr.rewards[k];
  ret += std::pow(gamma, end - t) * value(end);
  return ret - value(t);
}

// A row's ‖ĝ_k − ḡ‖² per batch and trace Cov, as run_advantage_compare fills them (row.mean set).
void fill_spread(AdvantageRow& row, const std::vector<Eigen::VectorXd>& g) {
  double tr = 0.0;
  for (const Eigen::VectorXd& x : g) {
    row.spread.push_back((x - row.mean).squaredNorm());
    tr += row.spread.back();
  }
  row.trace_cov = tr / static_cast<double>(g.size() - 1);
}

}  // namespace

TEST(AdvantageCompare, ExactAdvantageMatchesOracle) {
  expect_exact_advantage_consistent(
      trained("a2c-gridworld", 3));  // finite horizon (step limit 100)
  expect_exact_advantage_consistent(trained("short-corridor-reinforce", 0));  // no step limit
}

TEST(AdvantageCompare, GradientsEqualNaiveReference) {
  const Session s =
      trained("a2c-cartpole", 5);  // a trained MLP critic, truncated episodes possible
  std::vector<AdvantageEstimatorSetting> settings = advantage_sweep(s);
  ASSERT_GE(settings.size(), 8u);
  Batch batch;
  sample_batch(*s.env().clone(), s.policy(), 7, kLabIterationBase, 6, true, batch);
  const BatchValues v = batch_critic_values(batch, *s.critic(), s.env());
  Eigen::MatrixXd adv, grads;
  const double gamma = s.env().gamma();
  advantage_gradients(batch, s.policy(), gamma, settings, v.offset, v.values, v.final_values, adv,
                      grads);
  const int P = s.policy().num_params();
  for (size_t f = 0; f < settings.size(); ++f) {
    SCOPED_TRACE(settings[f].label());
    Eigen::VectorXd g = Eigen::VectorXd::Zero(P);
    for (int i = 0; i < batch.size(); ++i) {
      const Trajectory& tr = batch.trajectories[i];
      for (int t = 0; t < tr.length(); ++t) {
        const double a = naive_advantage(tr, v.values.data() + v.offset[i], v.final_values[i],
                                         gamma, settings[f], t);
        EXPECT_NEAR(adv(v.offset[i] + t, static_cast<int>(f)), a, 1e-12);
        s.policy().add_grad_log_prob(tr.obs_at(t), tr.actions[t],
                                     std::pow(gamma, t) * a / batch.size(), g);
      }
    }
    EXPECT_LE((grads.col(static_cast<int>(f)) - g).norm(), 1e-12 * std::max(1.0, g.norm()));
  }
}

TEST(AdvantageCompare, GaeEndpointsAreMonteCarloAndTd0) {
  const Session s = trained("a2c-cartpole", 5);
  AdvantageEstimatorSetting mc, td0, one_step, gae1, gae0;
  mc.kind = AdvantageKind::kMonteCarlo;
  td0.kind = AdvantageKind::kTD0;
  one_step.kind = AdvantageKind::kNStep;
  one_step.n = 1;
  gae1.lambda = 1.0;
  gae0.lambda = 0.0;
  Batch batch;
  sample_batch(*s.env().clone(), s.policy(), 3, kLabIterationBase, 8, true, batch);
  const BatchValues v = batch_critic_values(batch, *s.critic(), s.env());
  Eigen::MatrixXd adv, grads;
  advantage_gradients(batch, s.policy(), s.env().gamma(), {mc, gae1, td0, gae0, one_step}, v.offset,
                      v.values, v.final_values, adv, grads);
  EXPECT_GT(adv.col(0).norm(), 0.0);
  EXPECT_LE((adv.col(0) - adv.col(1)).cwiseAbs().maxCoeff(), 1e-12);  // GAE(1) = MC
  EXPECT_LE((adv.col(2) - adv.col(3)).cwiseAbs().maxCoeff(), 1e-12);  // GAE(0) = TD(0)
  EXPECT_LE((adv.col(2) - adv.col(4)).cwiseAbs().maxCoeff(), 1e-12);  // 1-step = TD(0)
  EXPECT_GT((adv.col(0) - adv.col(2)).cwiseAbs().maxCoeff(), 1e-3);   // and the endpoints differ
  EXPECT_LE((grads.col(0) - grads.col(1)).norm(), 1e-12 * std::max(1.0, grads.col(0).norm()));
}

TEST(AdvantageCompare, MonteCarloUnbiasedTd0OnZeroCriticBiased) {
  // Short corridor: no step limit, γ = 1, episodes always end, so Monte Carlo never bootstraps and
  // (1/N) Σ γᵗ (Gₜ − V(sₜ)) ∇log π is unbiased for ∇J whatever V is; the session's tabular critic
  // is untrained (V ≡ 0), so TD(0)'s Â = rₜ drops every later reward: biased.
  const Session s = trained("short-corridor-reinforce", 0);
  AdvantageEstimatorSetting mc, td0, raw;
  mc.kind = AdvantageKind::kMonteCarlo;
  td0.kind = AdvantageKind::kTD0;
  raw.kind = AdvantageKind::kMonteCarlo;
  raw.critic = false;
  AdvantageCompareOptions o;
  o.batch_episodes = 4;
  const AdvantageReport r = run_advantage_compare(s, {mc, td0, raw}, 400, o);
  ASSERT_EQ(r.rows.size(), 3u);
  ASSERT_TRUE(r.rows[0].has_bias);
  // ‖ḡ − ∇J‖² has expectation trace Cov / K for an unbiased estimator, i.e. bias_norm ≈
  // bias_stderr; 3 standard errors on 2 parameters leaves well under 1% to chance (fixed seed:
  // deterministic).
  EXPECT_LT(r.rows[0].bias_norm, 3.0 * r.rows[0].bias_stderr);
  EXPECT_LT(r.rows[2].bias_norm, 3.0 * r.rows[2].bias_stderr);
  EXPECT_GT(r.rows[1].bias_norm, 5.0 * r.rows[1].bias_stderr);
  // With V ≡ 0, Monte Carlo's Â is Gₜ itself.
  EXPECT_NEAR(r.rows[0].trace_cov, r.rows[2].trace_cov, 1e-12 * r.rows[2].trace_cov);
  // Each row keeps its K per-batch ‖ĝ_k − ḡ‖², whose sum / (K − 1) is its trace_cov; the critic's
  // factor against the raw return is then exactly 1 with a zero s.e.: never "a reduction".
  for (const AdvantageRow& row : r.rows) {
    ASSERT_EQ(row.spread.size(), 400u);
    double sum = 0.0;
    for (double q : row.spread) sum += q;
    EXPECT_NEAR(sum / 399, row.trace_cov, 1e-12 * row.trace_cov);
  }
  EXPECT_NEAR(critic_reduction_stderr(r.rows[0], r.rows[2]), 0.0, 1e-9);
  // Advantage level: V ≡ 0 ≠ V^π, so even Monte Carlo's Â is off A^π by V^π(s) (bias² > 0).
  ASSERT_TRUE(r.rows[0].has_adv_bias);
  EXPECT_GT(r.rows[0].adv_bias2, 0.1);
  EXPECT_GT(r.critic_rmse, 1.0);
}

// The critic's factor trace Cov(Gₜ) / trace Cov(Gₜ − V_φ) in the baseline view gets the standard
// error the REINFORCE baselines' factor has (audit: "without the critic a batch needs that many
// times the episodes" was chosen by a bare factor > 1.05). Calibration as for
// variance_reduction_stderr: over many independent reports of K paired batches with a known
// ratio, the spread of the factor equals the mean standard error critic_reduction_stderr gives.
TEST(AdvantageCompare, CriticReductionStderrMatchesTheFactorsSpread) {
  std::mt19937_64 rng(11);
  std::normal_distribution<double> n01;
  const int K = 200, reps = 600, P = 3;
  std::vector<double> factors, ses;
  int within = 0;
  for (int rep = 0; rep < reps; ++rep) {
    // Rows as run_advantage_compare fills them: ḡ, ‖ĝ_k − ḡ‖² per batch, trace_cov.
    std::vector<Eigen::VectorXd> gw, go;
    AdvantageRow with, without;
    with.mean = without.mean = Eigen::VectorXd::Zero(P);
    for (int k = 0; k < K; ++k) {
      // Paired (the same batch for both rows), with a heavier tail than a normal's.
      Eigen::VectorXd common(P), own(P);
      for (int j = 0; j < P; ++j) {
        common[j] = n01(rng) * (1.0 + 0.5 * std::abs(n01(rng)));
        own[j] = n01(rng);
      }
      go.push_back(1.1 * common + 0.3 * own);  // the raw return: noisier
      gw.push_back(common);                    // Gₜ − V_φ
      with.mean += gw.back() / K;
      without.mean += go.back() / K;
    }
    fill_spread(with, gw);
    fill_spread(without, go);
    factors.push_back(without.trace_cov / with.trace_cov);
    ses.push_back(critic_reduction_stderr(with, without));
    if (std::abs(factors.back() - 1.0) <= kCriticReductionMargin * ses.back()) ++within;
  }
  double m = 0.0, mse = 0.0;
  for (int i = 0; i < reps; ++i) m += factors[i] / reps, mse += ses[i] / reps;
  double sd = 0.0;
  for (double f : factors) sd += (f - m) * (f - m) / (reps - 1);
  sd = std::sqrt(sd);
  std::printf("factor %.4f, spread %.4g, mean s.e. %.4g, %d of %d within 3 s.e. of 1\n", m, sd, mse,
              within, reps);
  // 600 replicates: the spread's own relative s.e. is ~3%; 12% catches a missing covariance term
  // (ignoring the pairing is off by ~2× here) or a wrong √K.
  EXPECT_NEAR(mse, sd, 0.12 * sd);
  // A true factor of ~1.3 at K = 200 is told apart from 1 almost always.
  EXPECT_LT(within, reps / 20);
  // Without K ≥ 3 paired batches there is no standard error.
  EXPECT_TRUE(std::isnan(critic_reduction_stderr(AdvantageRow{}, AdvantageRow{})));
}

// The same reports with a true factor of 1 (the critic's Â and Gₜ as noisy): "within noise"
// nearly always, never a reduction claimed more often than 3 s.e. allow.
TEST(AdvantageCompare, CriticFactorOfOneIsWithinNoise) {
  std::mt19937_64 rng(12);
  std::normal_distribution<double> n01;
  const int K = 200, reps = 400, P = 3;
  int claimed = 0;
  for (int rep = 0; rep < reps; ++rep) {
    AdvantageRow with, without;
    std::vector<Eigen::VectorXd> gw, go;
    with.mean = without.mean = Eigen::VectorXd::Zero(P);
    for (int k = 0; k < K; ++k) {
      Eigen::VectorXd common(P), a(P), b(P);
      for (int j = 0; j < P; ++j) common[j] = n01(rng), a[j] = n01(rng), b[j] = n01(rng);
      gw.push_back(common + 0.7 * a);
      go.push_back(common + 0.7 * b);
      with.mean += gw.back() / K;
      without.mean += go.back() / K;
    }
    fill_spread(with, gw);
    fill_spread(without, go);
    const double f = without.trace_cov / with.trace_cov;
    if (std::abs(f - 1.0) > kCriticReductionMargin * critic_reduction_stderr(with, without))
      ++claimed;
  }
  std::printf("%d of %d called different from 1\n", claimed, reps);
  EXPECT_LE(claimed, reps / 50);  // 3 s.e.: ~0.3% expected
}

}  // namespace pg
