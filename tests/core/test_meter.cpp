// The "loss ≠ progress" meter (lab/meter.h): each badge's condition on constructed readings, and
// readings of real sessions against naive references — the pseudo-loss and ‖ĝ‖ recomputed step by
// step, GRPO's zero-spread groups counted from the rewards, the critic's explained variance from
// the estimate, and the one-batch SNR's tr Cov against the variance lab's K-batch trace.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

#include "algo/algorithm.h"
#include "algo/replay_record.h"
#include "env/env.h"
#include "lab/meter.h"
#include "lab/variance.h"
#include "policy/policy.h"
#include "session/session.h"

namespace pg {

namespace {

bool fires(const MeterReading& r, DeadSignal d) {
  for (const Badge& b : dead_signals(r))
    if (b.kind == d) return true;
  return false;
}

MeterReading healthy() {
  MeterReading r;
  r.iteration = 3;
  r.loss = 0.4;
  r.loss_scale = 1.0;
  r.grad_norm = 0.5;
  r.grad_scale = 2.0;
  r.entropy = 1.0;
  r.entropy_max = std::log(4.0);
  r.explained_variance = 0.6;
  r.pieces = 16;
  return r;
}

Session session_of(const char* name,
                   std::initializer_list<std::pair<const char*, nlohmann::json>> sets) {
  Scenario sc = load_scenario(name);
  for (const auto& [k, v] : sets) set_value(sc, k, v);
  return Session(sc);
}

}  // namespace

TEST(MeterBadges, HealthyReadingFiresNothing) {
  EXPECT_TRUE(dead_signals(healthy()).empty());
  MeterReading none;  // no batch read yet
  none.explained_variance = -1.0;
  EXPECT_TRUE(dead_signals(none).empty());
}

TEST(MeterBadges, LossZeroNeedsBothAZeroLossAndALiveGradient) {
  MeterReading r = healthy();
  r.loss = 5e-7;  // below 1e-6 of the terms' size 1
  EXPECT_TRUE(fires(r, DeadSignal::kLossZero));
  r.loss = -5e-7;
  EXPECT_TRUE(fires(r, DeadSignal::kLossZero));
  r.loss = 2e-6;  // above the threshold: a loss that merely happens to be small
  EXPECT_FALSE(fires(r, DeadSignal::kLossZero));
  r.loss = 0.0;
  r.grad_norm = 1e-7;  // ‖ĝ‖ ≤ 1e-6 Σ‖g_i‖ = 2e-6: the gradient cancels too — no mismatch
  EXPECT_FALSE(fires(r, DeadSignal::kLossZero));
  r.grad_norm = 3e-6;
  EXPECT_TRUE(fires(r, DeadSignal::kLossZero));
}

TEST(MeterBadges, ZeroSpreadFiresOnAnyDeadGroup) {
  MeterReading r = healthy();
  r.groups = 8;
  EXPECT_FALSE(fires(r, DeadSignal::kZeroSpread));
  r.zero_spread_groups = 1;
  EXPECT_TRUE(fires(r, DeadSignal::kZeroSpread));
}

TEST(MeterBadges, NormalizedNoiseNeedsNormalisationEqualReturnsAndAMagnifiedSpread) {
  MeterReading r = healthy();
  r.normalizes = true;
  r.returns_equal = true;
  r.weight_std = 1.0;
  EXPECT_TRUE(fires(r, DeadSignal::kNormalizedNoise));
  r.weight_std = 0.0;  // (ψ − mean) was exactly 0: normalisation left zeros, nothing amplified
  EXPECT_FALSE(fires(r, DeadSignal::kNormalizedNoise));
  r.weight_std = 1.0;
  r.returns_equal = false;
  EXPECT_FALSE(fires(r, DeadSignal::kNormalizedNoise));
  r.returns_equal = true;
  r.normalizes = false;
  EXPECT_FALSE(fires(r, DeadSignal::kNormalizedNoise));
}

TEST(MeterBadges, EntropyCollapseIsPrematureOnlyShortOfTheOptimum) {
  MeterReading r = healthy();
  r.entropy = 0.09 * r.entropy_max;
  EXPECT_TRUE(fires(r, DeadSignal::kEntropyCollapse));  // J* unknown (cart-pole): fires
  r.optimal_J = 1.0;
  r.exact_J = 0.97;  // within 5% of J*: a converged, deterministic policy
  EXPECT_FALSE(fires(r, DeadSignal::kEntropyCollapse));
  r.exact_J = 0.9;
  EXPECT_TRUE(fires(r, DeadSignal::kEntropyCollapse));
  r.entropy = 0.11 * r.entropy_max;
  EXPECT_FALSE(fires(r, DeadSignal::kEntropyCollapse));
}

// Audit a10 #3: a Gaussian's entropy has no log|A|, so the badge could never fire on one (shown as
// "0 of N" all the same). σ under 1% of the action's scale fires; σ from H by the Gaussian formula.
TEST(MeterBadges, GaussianEntropyCollapseIsSigmaUnderOnePercentOfTheScale) {
  MeterReading r = healthy();
  r.entropy_max = MeterReading::kNaN;
  r.sigma_scale = 2.0;
  r.sigma = 0.019;
  EXPECT_TRUE(fires(r, DeadSignal::kEntropyCollapse));
  r.sigma = 0.021;
  EXPECT_FALSE(fires(r, DeadSignal::kEntropyCollapse));
}

TEST(MeterReadings, GaussianSigmaFromTheEntropyAndTheBadgeOnANarrowInitialPolicy) {
  // The continuous bandit with σ = e⁻⁶ (the audit's repro): H = −4.58 nats, stuck between bumps.
  Session s = session_of("continuous-bandit-reinforce", {{"policy.init_log_std", -6.0}});
  ASSERT_TRUE(s.run_iterations(2));
  const MeterReading r = read_meter(s);
  EXPECT_TRUE(std::isnan(r.entropy_max));
  EXPECT_NEAR(std::log(r.sigma), -6.0, 0.05);  // one dimension, σ barely moved
  const Env& env = s.env();
  EXPECT_DOUBLE_EQ(r.sigma_scale, 0.5 * (env.action_high(0) - env.action_low(0)));
  EXPECT_TRUE(fires(r, DeadSignal::kEntropyCollapse));
  // The shipped scenario (σ = 1) does not fire.
  Session healthy_run = session_of("continuous-bandit-reinforce", {});
  ASSERT_TRUE(healthy_run.run_iterations(2));
  const MeterReading h = read_meter(healthy_run);
  EXPECT_GT(h.sigma, 0.5);
  EXPECT_FALSE(fires(h, DeadSignal::kEntropyCollapse));
  // Squashed (SAC): the scale is tanh's unit.
  Session sac = session_of("sac-pendulum", {});
  ASSERT_TRUE(sac.run_iterations(1));
  EXPECT_EQ(read_meter(sac).sigma_scale, 1.0);
}

TEST(MeterBadges, CriticExplainsNothingAtZeroOrBelow) {
  MeterReading r = healthy();
  r.explained_variance = 0.0;
  EXPECT_TRUE(fires(r, DeadSignal::kCriticExplainsNothing));
  r.explained_variance = -0.3;
  EXPECT_TRUE(fires(r, DeadSignal::kCriticExplainsNothing));
  r.explained_variance = 0.01;
  EXPECT_FALSE(fires(r, DeadSignal::kCriticExplainsNothing));
  r.explained_variance = MeterReading::kNaN;  // no critic
  EXPECT_FALSE(fires(r, DeadSignal::kCriticExplainsNothing));
}

// REINFORCE (log-prob form): L = −(1/N) Σ ψ log π(a|s) and ĝ, recomputed step by step.
TEST(MeterReadings, ReinforceLossAndGradientEqualNaiveReference) {
  Session s = session_of("gridworld-reinforce", {});
  ASSERT_TRUE(s.run_iterations(5));
  const MeterReading r = read_meter(s);
  ASSERT_EQ(r.iteration, 4);
  EXPECT_EQ(r.loss_form, LossForm::kLogProb);
  const Estimate& est = s.last_estimate();
  const Policy& pi = s.behaviour_policy();
  const int N = s.batch().size(), A = pi.num_actions();
  double loss = 0.0;
  std::vector<double> p(A);
  for (int i = 0; i < N; ++i) {
    const Trajectory& tr = s.batch().trajectories[i];
    for (int t = 0; t < tr.length(); ++t) {
      pi.probs(tr.obs_at(t), p.data());
      loss -= est.psi_at(i, t) * std::log(p[tr.actions[t]]) / N;
    }
  }
  EXPECT_NEAR(r.loss, loss, 1e-12 * std::max(1.0, std::fabs(loss)));
  EXPECT_NEAR(r.grad_norm, est.gradient.norm(), 1e-12 * est.gradient.norm());
  EXPECT_GE(r.grad_scale, r.grad_norm);
  EXPECT_NEAR(r.exact_J, s.batch_exact()->J, 0.0);
  EXPECT_TRUE(std::isfinite(r.snr));
  EXPECT_TRUE(std::isfinite(r.optimal_J));
  EXPECT_GE(r.optimal_J, r.exact_J);
  // A log-prob loss of un-normalised weights does not cancel: no loss-zero badge.
  EXPECT_FALSE(fires(r, DeadSignal::kLossZero));
}

// Where the pieces do not sum to ĝ (SAC: the reparameterised gradient or a sum over every action;
// REINFORCE's per-parameter optimal baseline) ‖ĝ‖ is the estimate's — the history's grad_norm,
// what the overview plots — and no SNR is read off the pieces. (Before: ‖Σ w ∇log π‖, 0.24
// where the overview showed 0.48 on sac-pendulum.)
TEST(MeterReadings, GradientNormIsTheEstimatesWherePiecesDoNotSumToIt) {
  for (const char* name : {"sac-pendulum", "sac-gridworld"}) {
    Session s = session_of(name, {});
    ASSERT_TRUE(s.run_iterations(3));
    const MeterReading r = read_meter(s);
    ASSERT_EQ(r.iteration, 2);
    EXPECT_GT(r.grad_norm, 0.0) << name;
    EXPECT_EQ(r.grad_norm, s.history().back().grad_norm) << name;
    EXPECT_TRUE(std::isnan(r.snr)) << name;
  }
  Session opt = session_of("bandit-reinforce",
                           {{"estimator.baseline", "optimal"}, {"estimator.returns", "total"}});
  ASSERT_TRUE(opt.run_iterations(3));
  const MeterReading r = read_meter(opt);
  EXPECT_EQ(r.grad_norm, opt.history().back().grad_norm);
}

// PPO writes the ratio form: at θ_old L = −mean(norm Â) = 0 to rounding while ĝ is not.
TEST(MeterReadings, PpoNormalisedLossIsZeroWhileTheGradientIsNot) {
  Session s = session_of("cartpole-ppo", {});
  ASSERT_TRUE(s.run_iterations(1));
  const MeterReading r = read_meter(s);
  EXPECT_EQ(r.loss_form, LossForm::kRatio);
  EXPECT_LT(std::fabs(r.loss), 1e-12 * r.loss_scale);
  EXPECT_GT(r.grad_norm, 1e-3 * r.grad_scale);
  EXPECT_TRUE(fires(r, DeadSignal::kLossZero));
  // Without normalisation the mean advantage is not 0 by construction: no badge.
  Session raw = session_of("cartpole-ppo", {{"advantage.normalize", false}});
  ASSERT_TRUE(raw.run_iterations(1));
  EXPECT_FALSE(fires(read_meter(raw), DeadSignal::kLossZero));
}

// GRPO: the zero-spread groups are those whose rewards are all equal (counted here from the
// batch), and Σ Â = 0 within each group makes the ratio-form loss vanish at iteration 0 (ρ = 1).
TEST(MeterReadings, GrpoZeroSpreadGroupsCountedFromRewards) {
  Session s = session_of("grpo-token-task", {});
  ASSERT_TRUE(s.run_iterations(1));
  const MeterReading r = read_meter(s);
  const int G = s.scenario().grpo.group_size, N = s.batch().size();
  int zero = 0;
  for (int g = 0; g < N / G; ++g) {
    bool same = true;
    for (int k = 1; k < G; ++k)
      same = same && s.batch().trajectories[g * G + k].total_reward() ==
                         s.batch().trajectories[g * G].total_reward();
    zero += same ? 1 : 0;
  }
  EXPECT_EQ(r.groups, N / G);
  EXPECT_EQ(r.zero_spread_groups, zero);
  EXPECT_GT(zero, 0);  // success 1/121 at the start: most groups are all failures
  EXPECT_TRUE(fires(r, DeadSignal::kZeroSpread));
  EXPECT_LT(std::fabs(r.loss), 1e-12 * std::max(r.loss_scale, 1e-300));
}

// All episodes truncated before any can reach G: every return is 2 × (−0.05), yet normalised
// reward-to-go weights have unit spread (the step position, not the outcome).
TEST(MeterReadings, NormalisationOfEqualReturnsFires) {
  Session s = session_of(
      "gridworld-reinforce",
      {{"env.step_limit", 2}, {"estimator.normalize", true}, {"estimator.baseline", "none"}});
  ASSERT_TRUE(s.run_iterations(1));
  const MeterReading r = read_meter(s);
  EXPECT_TRUE(r.returns_equal);
  EXPECT_TRUE(r.normalizes);
  EXPECT_GT(r.weight_std, 0.9);
  EXPECT_TRUE(fires(r, DeadSignal::kNormalizedNoise));
  // The same world without normalisation keeps the tiny weights tiny: no badge.
  Session raw =
      session_of("gridworld-reinforce", {{"env.step_limit", 2}, {"estimator.baseline", "none"}});
  ASSERT_TRUE(raw.run_iterations(1));
  EXPECT_FALSE(fires(read_meter(raw), DeadSignal::kNormalizedNoise));
}

// A2C (on the 4×4 grid with a step cost, so every batch has returns that differ): EV = 1 −
// Var(target − V)/Var(target) over the estimate's values; at iteration 0 V ≡ 0, so EV = 0 exactly
// and the critic badge fires; after training the critic explains part of the variance.
TEST(MeterReadings, ExplainedVarianceOfTheEstimatesCritic) {
  Session s = session_of("gridworld-reinforce", {{"algorithm.name", "a2c"}});
  ASSERT_TRUE(s.run_iterations(1));
  MeterReading r = read_meter(s);
  EXPECT_NEAR(r.explained_variance, 0.0, 1e-12);
  EXPECT_TRUE(fires(r, DeadSignal::kCriticExplainsNothing));
  ASSERT_TRUE(s.run_iterations(60));
  r = read_meter(s);
  const Estimate& est = s.last_estimate();
  const size_t M = est.targets.size();
  double my = 0.0, mr = 0.0;
  for (size_t k = 0; k < M; ++k) {
    my += est.targets[k] / M;
    mr += (est.targets[k] - est.values[k]) / M;
  }
  double vy = 0.0, vr = 0.0;
  for (size_t k = 0; k < M; ++k) {
    vy += (est.targets[k] - my) * (est.targets[k] - my) / M;
    const double res = est.targets[k] - est.values[k];
    vr += (res - mr) * (res - mr) / M;
  }
  EXPECT_NEAR(r.explained_variance, 1.0 - vr / vy, 1e-12);
  EXPECT_GT(r.explained_variance, 0.0);
}

// SAC's critic is Q fitted to y from its replay buffer: the meter reads Q₁(s_b,a_b) against y_b of
// the update's last gradient step (recomputed here naively from the record), not the batch's
// reward-to-go against V_soft (the estimate's baseline, which is not what the critic predicts:
// that read EV = −43.9 on a critic at 0.994 on sac-pendulum). None before the first update.
TEST(MeterReadings, SacExplainedVarianceIsTheQCriticsOnItsTarget) {
  for (const char* name : {"sac-gridworld", "sac-pendulum"}) {
    SCOPED_TRACE(name);
    Session s = session_of(name, {});
    const long warmup = s.algorithm().info(s.scenario()).warmup_steps;
    ASSERT_TRUE(s.run_iterations(1));
    ASSERT_LT(s.history().back().steps, warmup);  // the first batch fills the buffer only
    MeterReading r = read_meter(s);
    EXPECT_FALSE(r.has_critic);
    EXPECT_TRUE(std::isnan(r.explained_variance));
    EXPECT_FALSE(fires(r, DeadSignal::kCriticExplainsNothing));
    while (s.history().back().steps < warmup + 2000) ASSERT_TRUE(s.run_iterations(1));
    r = read_meter(s);
    const SacStepRecord* st = s.algorithm().replay_record().last_step;
    ASSERT_NE(st, nullptr);
    ASSERT_EQ(st->iteration, r.iteration);
    const size_t B = st->y.size();
    ASSERT_GT(B, 1u);
    ASSERT_EQ(st->q1_sa.size(), B);
    double my = 0.0, mr = 0.0;
    for (size_t b = 0; b < B; ++b) {
      my += st->y[b] / B;
      mr += (st->y[b] - st->q1_sa[b]) / B;
    }
    double vy = 0.0, vr = 0.0;
    for (size_t b = 0; b < B; ++b) {
      vy += (st->y[b] - my) * (st->y[b] - my) / B;
      const double res = st->y[b] - st->q1_sa[b];
      vr += (res - mr) * (res - mr) / B;
    }
    EXPECT_TRUE(r.has_critic);
    EXPECT_NEAR(r.explained_variance, 1.0 - vr / vy, 1e-12);
    // 2000 steps after warm-up the critic has learned something of its target: EV > 0 (measured
    // 0.6–1.0 on both; the old reading was −43.9 on sac-pendulum, 0.18 on sac-gridworld).
    EXPECT_GT(r.explained_variance, 0.0);
  }
}

// The one-batch SNR: tr Cov(ĝ) estimated from the N episodes of one batch, averaged over K
// batches at a fixed θ, against the variance lab's spread of ĝ over K other batches (reward-to-go,
// no baseline: the episodes are i.i.d., so both estimate the same trace).
TEST(MeterReadings, OneBatchTraceCovMatchesTheVarianceLab) {
  // SGD with a step of 1e-12: θ stays put (to 1e-10) while the session draws new batches.
  Session s = session_of(
      "gridworld-reinforce",
      {{"estimator.baseline", "none"}, {"algorithm.optimizer", "sgd"}, {"algorithm.lr", 1e-12}});
  ASSERT_TRUE(s.run_iterations(1));
  const int K = 400;
  double within = 0.0, signal = 0.0, signal_sq = 0.0;
  for (int k = 0; k < K; ++k) {
    ASSERT_TRUE(s.run_iterations(1));
    const MeterReading r = read_meter(s);
    within += r.trace_cov / K;
    const double term = r.grad_norm * r.grad_norm - r.trace_cov;  // each estimates ‖∇J‖²
    signal += term / K;
    signal_sq += term * term / K;
    // The SNR is the signal's share of ‖ĝ‖² over that trace.
    EXPECT_NEAR(r.snr * r.snr, std::max(0.0, r.grad_norm * r.grad_norm - r.trace_cov) / r.trace_cov,
                1e-9);
  }
  const VarianceReport rep = run_variance(s, {s.estimator()}, K);
  const double between = rep.settings[0].trace_cov;
  std::printf("one-batch tr Cov %.6g, K-batch tr Cov %.6g, ratio %.4f\n", within, between,
              within / between);
  // Both are means of K heavy-tailed squared norms: measured ratio within/between 1.016 here
  // (seed 1); 25% allows ~4 s.e. of the between-batch trace at K = 400.
  EXPECT_NEAR(within / between, 1.0, 0.25) << "within " << within << " between " << between;
  // The SNR's numerator: one batch's ‖ĝ‖² − tr Cov averages to ‖E ĝ‖², which the lab's K batches
  // give as ‖ḡ‖² − tr Cov / K (E‖ḡ‖² = ‖E ĝ‖² + tr Cov / K) and the exact ∇J gives outright.
  const double lab_signal = rep.settings[0].mean.squaredNorm() - between / K,
               exact = rep.exact_gradient.squaredNorm();
  const double se = std::sqrt((signal_sq - signal * signal) / (K - 1));
  std::printf("‖E ĝ‖²: one-batch mean %.6g ± %.3g, K-batch %.6g, exact %.6g\n", signal, se,
              lab_signal, exact);
  // Measured (seed 1): one-batch 0.2385 ± 0.0207 (s.e. over the K batches), exact 0.2410: 0.12
  // s.e. apart; 4 s.e. allows for the heavy tail. The lab's: 0.9% from exact.
  EXPECT_NEAR(signal, exact, 4.0 * se);
  EXPECT_NEAR(lab_signal / exact, 1.0, 0.1) << lab_signal << " vs " << exact;
}

TEST(MeterReadings, OptimalJOnlyWhereThePolicySeesEveryState) {
  // The short corridor's three states show one observation: its MDP optimum (−3) needs the state,
  // which no policy of the observation reaches (its best is −11.66); the meter printed "J* -3"
  // beside J = −11.97 and measured the entropy badge's gap against it.
  Session corridor = session_of("short-corridor-reinforce", {});
  ASSERT_TRUE(corridor.advance(Granularity::kIteration));
  const MeterReading c = read_meter(corridor);
  ASSERT_EQ(c.iteration, 0);
  EXPECT_TRUE(std::isfinite(c.exact_J));
  EXPECT_TRUE(std::isnan(c.optimal_J)) << c.optimal_J;
  Session grid = session_of("gridworld-reinforce", {});
  ASSERT_TRUE(grid.advance(Granularity::kIteration));
  const MeterReading g = read_meter(grid);
  EXPECT_TRUE(std::isfinite(g.optimal_J));
  EXPECT_GE(g.optimal_J, g.exact_J);
}

}  // namespace pg
