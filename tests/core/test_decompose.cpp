// Algorithm::decompose and Algorithm::info for every algorithm (DESIGN.md §3a):
//  - (1/D) Σ_it w_it ∇θ log π(a_it|s_it), summed one step at a time from the policy's single-step
//    gradient, equals the estimate's ĝ (computed batched by the algorithm);
//  - w is the estimate's ψ bit for bit;
//  - the named pieces recombine into w by the algorithm's formula, each piece checked against a
//    naive recomputation from the batch (rewards, probabilities) where it is not an input;
//  - the credit ledger's numbers for a step are the decomposition's.
//
// Tolerances. Sums: ĝ is accumulated batched (and, for MLPs, with matrix-matrix products) while
// the reference adds single-step gradients in another order; both round each of the M terms
// c_it = w ∇log π / D once, so their difference is bounded by a few ulps of Σ‖c_it‖ — the scale
// the check is relative to (1e-12 leaves three to four orders of headroom over the measured
// ~1e-16..1e-15). Recombinations are a handful of flops per step: 1e-12 relative to the
// magnitudes involved.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <string>

#include "algo/a2c.h"
#include "algo/formula.h"
#include "algo/grpo.h"
#include "algo/off_policy.h"
#include "algo/ppo.h"
#include "estimator/ledger.h"
#include "io/batch_dump.h"
#include "session/session.h"

namespace pg {

namespace {

using Values = std::vector<std::pair<std::string, nlohmann::json>>;

Session after_iterations(const char* name, int n, const Values& values = {}) {
  Scenario s = load_scenario(name);
  if (!values.empty()) set_values(s, values);
  Session session(s);
  EXPECT_TRUE(session.run_iterations(n));
  EXPECT_TRUE(session.has_estimate());
  return session;
}

StepDecomposition decompose(const Session& s, const Estimate& est,
                            const Policy* current = nullptr) {
  StepDecomposition d;
  s.algorithm().decompose(
      {s.batch(), est, s.behaviour_policy(), current ? *current : s.policy(), s.env().gamma()}, d);
  return d;
}

// Column of a piece by symbol (−1 when absent).
int col(const StepDecomposition& d, const std::string& symbol) {
  return d.find(symbol);
}

bool near(double a, double b, double scale = 1.0) {
  return std::abs(a - b) <= 1e-12 * std::max({1.0, std::abs(a), std::abs(b), scale});
}

// The shape, w = ψ, divisor, and the naive sum against ĝ.
void check_sum(const Session& s, const Estimate& est, const StepDecomposition& d) {
  const Batch& batch = s.batch();
  const Policy& pi = s.behaviour_policy();
  ASSERT_EQ(d.num_steps(), est.num_steps());
  ASSERT_EQ(d.offset, est.offset);
  ASSERT_GE(d.num_pieces(), 2) << "a decomposition names at least one piece besides w";
  ASSERT_EQ(d.values.size(), static_cast<size_t>(d.num_steps()) * d.num_pieces());
  EXPECT_EQ(d.divisor, est.gradient_divisor());
  EXPECT_FALSE(d.derivation.empty());
  // Numbers after an operator carry their sign into it: "Âₜ + 1.857", never "Âₜ − −1.857".
  for (const std::string& line : d.derivation) {
    EXPECT_EQ(line.find("− −"), std::string::npos) << line;
    EXPECT_EQ(line.find("+ −"), std::string::npos) << line;
    EXPECT_EQ(line.find("− -"), std::string::npos) << line;
  }
  for (const PieceInfo& p : d.pieces) {
    EXPECT_FALSE(p.symbol.empty());
    EXPECT_FALSE(p.meaning.empty());
  }
  Eigen::VectorXd g = Eigen::VectorXd::Zero(pi.num_params()), c(pi.num_params());
  double scale = 0.0;
  for (int i = 0; i < batch.size(); ++i) {
    const Trajectory& tr = batch.trajectories[i];
    for (int t = 0; t < tr.length(); ++t) {
      ASSERT_EQ(d.weight(i, t), est.psi_at(i, t)) << "w must be the estimate's ψ, bit for bit";
      ASSERT_TRUE(std::isfinite(d.weight(i, t)));
      for (int k = 0; k < d.num_pieces(); ++k)
        ASSERT_FALSE(std::isnan(d.value(i, t, k))) << d.pieces[k].symbol;
      c.setZero();
      pi.add_grad_log_prob(tr.obs_at(t), tr.actions[t], d.weight(i, t) / d.divisor, c);
      g += c;
      scale += c.norm();
    }
  }
  ASSERT_TRUE(d.sums_to_gradient);
  const double err = (g - est.gradient).norm();
  EXPECT_LE(err, 1e-12 * std::max(scale, 1e-300))
      << "‖Σ w ∇log π / D − ĝ‖ = " << err << ", Σ‖c‖ = " << scale;
  EXPECT_GT(scale, 0.0) << "a batch whose every weight is 0 tests nothing";
}

// REINFORCE's pieces (reinforce / npg / trpo, and off-policy's unweighted ψ) recombined from the
// batch: Q̂ (naive return), b, Q̂ − b, norm, γᵗ; returns ψ per flat step.
std::vector<double> check_reinforce_pieces(const Session& s, const Estimate& est,
                                           const StepDecomposition& d) {
  const EstimatorConfig& c = est.config;
  const bool total = c.returns == Returns::kTotal;
  const double gamma = s.env().gamma();
  const int kq = col(d, total ? "Q̂ₜ = R" : "Q̂ₜ = Gₜ"), kb = col(d, "bₜ"), ka = col(d, "Q̂ₜ − bₜ");
  const int kn = col(d, "norm"), kg = col(d, "γᵗ");
  EXPECT_GE(kq, 0);
  EXPECT_GE(kb, 0);
  EXPECT_GE(ka, 0);
  EXPECT_EQ(kn >= 0, c.normalize);
  EXPECT_EQ(kg >= 0, applies_discount_weighting(c));
  const Batch& batch = s.batch();
  std::vector<double> adv(est.num_steps());
  double mean = 0.0;
  for (int i = 0; i < batch.size(); ++i) {
    const Trajectory& tr = batch.trajectories[i];
    for (int t = 0; t < tr.length(); ++t) {
      // Q̂ naively: Σ_{t' ≥ t0} γ^(t'−t0) r_t', t0 = 0 (total) or t.
      double q = 0.0, gk = 1.0;
      for (int tp = total ? 0 : t; tp < tr.length(); ++tp, gk *= gamma) q += gk * tr.rewards[tp];
      EXPECT_TRUE(near(d.value(i, t, kq), q)) << "Q̂ " << d.value(i, t, kq) << " vs " << q;
      EXPECT_EQ(d.value(i, t, kb), est.baseline[est.at(i, t)]);
      EXPECT_TRUE(near(d.value(i, t, ka), d.value(i, t, kq) - d.value(i, t, kb)));
      adv[est.at(i, t)] = d.value(i, t, ka);
      mean += d.value(i, t, ka);
    }
  }
  const int M = est.num_steps();
  mean /= M;
  double var = 0.0;
  for (double a : adv) var += (a - mean) * (a - mean);
  const double sd = std::sqrt(var / M);
  std::vector<double> psi(M);
  for (int i = 0; i < batch.size(); ++i)
    for (int t = 0; t < batch.trajectories[i].length(); ++t) {
      const int k = est.at(i, t);
      double v = adv[k];
      if (kn >= 0) {
        v = (adv[k] - mean) / (sd + 1e-8);
        EXPECT_TRUE(near(d.value(i, t, kn), v));
      }
      if (kg >= 0) {
        EXPECT_TRUE(near(d.value(i, t, kg), std::pow(gamma, t)));
        v *= std::pow(gamma, t);
      }
      psi[k] = v;
    }
  return psi;
}

void check_reinforce(const Session& s, const Estimate& est) {
  const StepDecomposition d = decompose(s, est);
  check_sum(s, est, d);
  const std::vector<double> psi = check_reinforce_pieces(s, est, d);
  for (int k = 0; k < est.num_steps(); ++k) EXPECT_TRUE(near(est.psi[k], psi[k])) << k;
}

// The ledger's numbers for every step are the decomposition's (the inspector shows both).
void check_ledger(const Session& s, const Estimate& est, const StepDecomposition& d) {
  const BatchLedger L = credit_ledger(s.batch(), s.behaviour_policy(), est, d);
  ASSERT_EQ(L.decomposition.values, d.values);
  const Batch& batch = s.batch();
  const int kq = std::max(col(d, "Q̂ₜ = R"), col(d, "Q̂ₜ = Gₜ")), kb = col(d, "bₜ"),
            ka = col(d, "Q̂ₜ − bₜ");
  const int kn = col(d, "norm"), kg = col(d, "γᵗ"), kv = col(d, "V(sₜ)"), kA = col(d, "Âₜ");
  const int kR = col(d, "Rᵢ"), kmu = col(d, "μ"), kbi = col(d, "bᵢ");
  Eigen::VectorXd c(s.behaviour_policy().num_params());
  for (int i = 0; i < batch.size(); ++i)
    for (int t = 0; t < batch.trajectories[i].length(); ++t) {
      const LedgerStep& st = L.at(i, t);
      EXPECT_EQ(st.psi, d.weight(i, t));
      c.setZero();
      s.behaviour_policy().add_grad_log_prob(batch.trajectories[i].obs_at(t),
                                             batch.trajectories[i].actions[t],
                                             d.weight(i, t) / d.divisor, c);
      EXPECT_TRUE(near(st.contribution_norm, c.norm()));
      // REINFORCE family (and off-policy's unweighted pieces).
      if (kq >= 0) {
        EXPECT_EQ(st.q_hat, d.value(i, t, kq));
      }
      if (kb >= 0) {
        EXPECT_EQ(st.baseline, d.value(i, t, kb));
      }
      if (ka >= 0) {
        EXPECT_EQ(st.advantage, d.value(i, t, ka));
      }
      if (kn >= 0) {
        EXPECT_TRUE(near(st.normalized, d.value(i, t, kn)));
      }
      if (kg >= 0) {
        EXPECT_EQ(st.weight, d.value(i, t, kg));
      }
      // Actor-critic: the ledger's b is V(s_t) and its Q̂ − b is Â (as (Â + V) − V: to rounding).
      if (kv >= 0) {
        EXPECT_EQ(st.baseline, d.value(i, t, kv));
      }
      if (kA >= 0) {
        EXPECT_TRUE(near(st.advantage, d.value(i, t, kA), std::abs(d.value(i, t, kv))));
      }
      // GRPO: Q̂ = R, b = the group's mean (or the others' mean).
      if (kR >= 0) {
        EXPECT_EQ(st.q_hat, d.value(i, t, kR));
      }
      if (kR >= 0) {
        EXPECT_EQ(st.baseline, d.value(i, t, kbi >= 0 ? kbi : kmu));
      }
    }
}

// A2C's and PPO's pieces; returns w recombined.
std::vector<double> check_actor_critic_pieces(const Session& s, const Estimate& est,
                                              const StepDecomposition& d) {
  const Batch& batch = s.batch();
  const double gamma = s.env().gamma();
  const AdvantageConfig a = advantage_config(s.scenario(), gamma);
  const int kv = col(d, "V(sₜ)"), kvn = col(d, "V(sₜ₊₁)"), kd = col(d, "δₜ"), kA = col(d, "Âₜ");
  const int kn = col(d, "norm Âₜ");
  EXPECT_GE(kv, 0);
  EXPECT_GE(kvn, 0);
  EXPECT_GE(kd, 0);
  EXPECT_GE(kA, 0);
  EXPECT_EQ(kn >= 0, est.config.normalize);
  const int M = est.num_steps();
  std::vector<double> A(M);
  for (int i = 0; i < batch.size(); ++i) {
    const Trajectory& tr = batch.trajectories[i];
    const int T = tr.length();
    for (int t = 0; t < T; ++t) {
      EXPECT_EQ(d.value(i, t, kv), est.values[est.at(i, t)]);
      const double v_next =
          t + 1 < T ? d.value(i, t + 1, kv) : (tr.bootstrap() ? est.final_values[i] : 0.0);
      EXPECT_EQ(d.value(i, t, kvn), v_next);
      EXPECT_TRUE(near(d.value(i, t, kd), tr.rewards[t] + gamma * v_next - d.value(i, t, kv)));
      // Â from δ (or the returns) by the estimator's own formula, summed forward, naively.
      double adv = 0.0;
      switch (a.kind) {
        case AdvantageKind::kGAE: {
          double w = 1.0;
          for (int l = t; l < T; ++l, w *= gamma * a.lambda) adv += w * d.value(i, l, kd);
          const int ks = col(d, "Σₗ(γλ)ˡδₜ₊ₗ");
          EXPECT_GE(ks, 0);
          if (ks >= 0) {
            EXPECT_TRUE(near(d.value(i, t, ks), adv, 1e3));
          }
          break;
        }
        case AdvantageKind::kTD0:
          adv = d.value(i, t, kd);
          break;
        case AdvantageKind::kNStep:
        case AdvantageKind::kMonteCarlo: {
          const int end = a.kind == AdvantageKind::kNStep ? std::min(T, t + a.n) : T;
          double w = 1.0;
          for (int l = t; l < end; ++l, w *= gamma) adv += w * tr.rewards[l];
          adv += w * (end < T ? d.value(i, end, kv) : d.value(i, T - 1, kvn)) - d.value(i, t, kv);
          break;
        }
      }
      // The sum of many δ: relative to the scale of the values involved.
      EXPECT_TRUE(near(d.value(i, t, kA), adv, 1e3)) << "Â " << d.value(i, t, kA) << " vs " << adv;
      A[est.at(i, t)] = d.value(i, t, kA);
    }
  }
  if (kn < 0) return A;
  double mean = 0.0, var = 0.0;
  for (double x : A) mean += x / M;
  for (double x : A) var += (x - mean) * (x - mean);
  const double sd = std::sqrt(var / M);
  std::vector<double> w(M);
  for (int k = 0; k < M; ++k) {
    w[k] = (A[k] - mean) / (sd + 1e-8);
    EXPECT_TRUE(near(d.values[static_cast<size_t>(k) * d.num_pieces() + kn], w[k]));
  }
  return w;
}

void check_a2c(const Session& s) {
  const Estimate& est = s.last_estimate();
  const StepDecomposition d = decompose(s, est);
  check_sum(s, est, d);
  const std::vector<double> w = check_actor_critic_pieces(s, est, d);
  for (int k = 0; k < est.num_steps(); ++k) EXPECT_TRUE(near(est.psi[k], w[k])) << k;
  check_ledger(s, est, d);
}

}  // namespace

// ---- REINFORCE, NPG, TRPO
// ------------------------------------------------------------------------

TEST(Decompose, ReinforceShippedScenarios) {
  for (const char* name :
       {"gridworld-reinforce", "bandit-reinforce", "cliff-reinforce", "frozen-lake-critic",
        "four-rooms-reinforce", "short-corridor-reinforce", "cartpole-reinforce"}) {
    SCOPED_TRACE(name);
    // The frozen lake pays only at the goal, which the first batches rarely reach: every weight
    // would be 0 and the sum would test nothing, so give its steps a small cost.
    const Values values =
        std::string(name) == "frozen-lake-critic" ? Values{{"env.step_reward", -0.01}} : Values{};
    const Session s = after_iterations(name, 2, values);
    check_reinforce(s, s.last_estimate());
    check_ledger(s, s.last_estimate(), decompose(s, s.last_estimate()));
  }
}

TEST(Decompose, ReinforceEverySettingOnCommonTrajectories) {
  const Session s = after_iterations("gridworld-reinforce", 2, {{"algorithm.batch_episodes", 6}});
  for (Returns r : {Returns::kTotal, Returns::kRewardToGo})
    for (Baseline b : {Baseline::kNone, Baseline::kMean, Baseline::kTimeMean,
                       Baseline::kLeaveOneOut, Baseline::kExactValue})
      for (int flags = 0; flags < 4; ++flags) {
        EstimatorConfig c{r, b, (flags & 1) != 0, (flags & 2) != 0};
        SCOPED_TRACE(describe(c) + (c.normalize ? " normalize" : "") +
                     (c.discount_weighting ? " weighting" : ""));
        const Estimate e = s.estimate_with(c);
        check_reinforce(s, e);
        check_ledger(s, e, decompose(s, e));
      }
}

TEST(Decompose, OptimalBaselineSaysItIsPerParameter) {
  const Session s = after_iterations("gridworld-reinforce", 1, {{"algorithm.batch_episodes", 6}});
  const Estimate e = s.estimate_with({Returns::kTotal, Baseline::kOptimal, false, false});
  const StepDecomposition d = decompose(s, e);
  EXPECT_FALSE(d.sums_to_gradient);
  EXPECT_NE(d.pieces.back().meaning.find("is not ĝ"), std::string::npos) << d.pieces.back().meaning;
  EXPECT_EQ(col(d, "bₜ"), -1);
  for (int k = 0; k < e.num_steps(); ++k)
    EXPECT_EQ(d.values[static_cast<size_t>(k + 1) * d.num_pieces() - 1], e.psi[k]);
  // One story (audit a13 F1): the derivation gives ĝₖ with b*ₖ and never ĝ as Σ ψ ∇log π / N,
  // which it had as its last line, right after saying that sum is not ĝ.
  bool per_parameter = false;
  for (const std::string& line : d.derivation) {
    EXPECT_EQ(line.find("ĝ = 1/N Σᵢₜ ψₜ"), std::string::npos) << line;
    per_parameter = per_parameter || line.find("ĝₖ = 1/N") != std::string::npos;
  }
  EXPECT_TRUE(per_parameter);
}

TEST(Decompose, NpgAndTrpo) {
  for (const char* name : {"npg-gridworld", "trpo-gridworld", "trpo-cartpole"}) {
    SCOPED_TRACE(name);
    const Session s = after_iterations(name, 2);
    check_reinforce(s, s.last_estimate());
    check_ledger(s, s.last_estimate(), decompose(s, s.last_estimate()));
  }
}

// ---- A2C, PPO
// ------------------------------------------------------------------------------------

TEST(Decompose, A2cEveryAdvantageEstimator) {
  // a2c-gridworld is the frozen lake, which pays only at the goal (see above): a small step cost.
  const Values cost = {{"env.step_reward", -0.01}};
  for (const char* name : {"a2c-gridworld", "a2c-online-gridworld", "a2c-cartpole"}) {
    SCOPED_TRACE(name);
    check_a2c(after_iterations(name, 2, std::string(name) == "a2c-gridworld" ? cost : Values{}));
  }
  for (const char* kind : {"mc", "td0", "nstep", "gae"}) {
    SCOPED_TRACE(kind);
    check_a2c(
        after_iterations("a2c-gridworld", 2,
                         {{"advantage.estimator", kind}, {"advantage.normalize", false}, cost[0]}));
  }
}

// A live λ change takes effect at the next estimate: the batch on screen keeps its Â, so its
// derivation and ledger stay those of the λ it was estimated with (the inspector showed "λ = 0.5"
// and a Σ(γλ)ˡδ column of 0.5 beside Â of 0.95; audit a11 F1).
TEST(Decompose, ActorCriticKeepsTheBatchsLambdaAfterALiveChange) {
  for (const char* name : {"a2c-gridworld", "ppo-clipping-demo"}) {
    SCOPED_TRACE(name);
    Session s = after_iterations(name, 2);
    const StepDecomposition before = decompose(s, s.last_estimate());
    ASSERT_FALSE(before.derivation.empty());
    const std::string pending =
        "GAE(λ = 0.5) from the next batch: the batch on screen was "
        "estimated with GAE(λ = 0.95)";
    auto objective = [&] { return formula_text(s.algorithm().info(s.scenario()).objective); };
    EXPECT_EQ(objective().find("from the next batch"), std::string::npos) << objective();
    ASSERT_TRUE(s.set_live("advantage.lambda", 0.5));
    const StepDecomposition after = decompose(s, s.last_estimate());
    EXPECT_EQ(after.derivation, before.derivation);
    EXPECT_EQ(after.values, before.values);
    check_ledger(s, s.last_estimate(), after);
    // The formula panel says so beside it (audit a13 F3: it said λ = 0.5 over Â of 0.95's), until
    // the next estimate.
    EXPECT_NE(objective().find(pending), std::string::npos) << objective();
    ASSERT_TRUE(s.advance(Granularity::kEstimate));
    EXPECT_EQ(objective().find("from the next batch"), std::string::npos) << objective();
  }
}

TEST(Decompose, PpoClipAndKlPenalty) {
  for (const char* objective : {"clip", "kl-penalty"}) {
    SCOPED_TRACE(objective);
    const Session s = after_iterations("cartpole-ppo-fast", 1, {{"ppo.objective", objective}});
    check_a2c(s);
    const Estimate& est = s.last_estimate();
    const double eps = s.scenario().ppo.clip_eps;
    // After the update: r = π_θ/π_old ≠ 1, the term and the case follow it.
    const StepDecomposition d = decompose(s, est, &s.policy());
    const int kr = col(d, "r");
    ASSERT_GE(kr, 0);
    const bool clip = std::string(objective) == "clip";
    ASSERT_EQ(d.clip_case.size(), clip ? static_cast<size_t>(est.num_steps()) : 0u);
    std::vector<double> pn(2), po(2);
    int moved = 0, cases[6] = {0, 0, 0, 0, 0, 0};
    for (int i = 0; i < s.batch().size(); ++i) {
      const Trajectory& tr = s.batch().trajectories[i];
      for (int t = 0; t < tr.length(); ++t) {
        s.policy().probs(tr.obs_at(t), pn.data());
        s.behaviour_policy().probs(tr.obs_at(t), po.data());
        const double r = pn[tr.actions[t]] / po[tr.actions[t]];
        ASSERT_TRUE(near(d.value(i, t, kr), r));
        moved += std::abs(r - 1.0) > 1e-6 ? 1 : 0;
        const double w = d.weight(i, t);
        if (clip) {
          const int kt = col(d, "min(r w, clip(r) w)");
          EXPECT_TRUE(
              near(d.value(i, t, kt), std::min(r * w, std::clamp(r, 1 - eps, 1 + eps) * w)));
          // The case: sign of Â (w) and where r lies.
          const int c = d.clip_case[est.at(i, t)];
          ASSERT_GE(c, 0);
          ASSERT_LT(c, 6);
          ++cases[c];
          EXPECT_EQ(c >= 3, w < 0);
          const int side = c % 3;
          EXPECT_EQ(side == 0, d.value(i, t, kr) < 1 - eps);
          EXPECT_EQ(side == 2, d.value(i, t, kr) > 1 + eps);
          // Flat (no-gradient) cases are exactly where the min picks the clipped constant.
          const ClipRegion region = clip_region(d.value(i, t, kr), w, eps);
          EXPECT_EQ(no_gradient(region), c == static_cast<int>(ClipCase::kPosAbove) ||
                                             c == static_cast<int>(ClipCase::kNegBelow));
        } else {
          const int kk = col(d, "k3");
          EXPECT_TRUE(near(d.value(i, t, kk), (r - 1.0) - std::log(r)));
        }
      }
    }
    EXPECT_GT(moved, est.num_steps() / 2) << "the update moved π on most samples";
    // At θ_old every r is 1: inside the band, the term is w.
    const StepDecomposition d0 = decompose(s, est, &s.behaviour_policy());
    for (int k = 0; k < est.num_steps(); ++k) {
      EXPECT_EQ(d0.values[static_cast<size_t>(k) * d0.num_pieces() + kr], 1.0);
      if (clip) {
        EXPECT_TRUE(d0.clip_case[k] == 1 || d0.clip_case[k] == 4);
      }
    }
  }
}

// ---- off-policy
// ----------------------------------------------------------------------------------

// The inspector's causality strip: the coefficient of every r_t' in the quantity that weighs step
// (i, t) — per-decision importance sampling carries the ratio products — sums to that quantity as
// the algorithm's decomposition holds it (Q̂′ₜ), and on-policy to the ledger's Q̂ₜ.
TEST(Decompose, CreditRewardWeightsSumToTheDecompositionsQ) {
  struct Case {
    const char* name;
    Values values;
    bool importance;
  };
  const std::vector<Case> cases = {
      {"off-policy-gridworld", {}, true},
      {"off-policy-gridworld", {{"offpolicy.truncate", 1.05}}, true},
      {"off-policy-corridor",
       {{"estimator.returns", "total"}, {"estimator.baseline", "mean"}},
       true},
      {"off-policy-gridworld", {{"offpolicy.weighting", "trajectory"}}, false},
      {"gridworld-reinforce", {}, false},
      {"gridworld-reinforce", {{"estimator.returns", "total"}}, false},
  };
  for (const Case& k : cases) {
    SCOPED_TRACE(std::string(k.name) + " " + nlohmann::json(k.values).dump());
    const Session s = after_iterations(k.name, 3, k.values);
    const Estimate& est = s.last_estimate();
    const StepDecomposition d = decompose(s, est);
    const BatchLedger L = credit_ledger(s.batch(), s.behaviour_policy(), est, d);
    const int q = col(d, "Q̂′ₜ");
    int not_one = 0;
    for (int i = 0; i < s.batch().size(); ++i) {
      const Trajectory& tr = s.batch().trajectories[i];
      for (int t = 0; t < tr.length(); ++t) {
        const CreditWeights cw =
            credit_reward_weights(L, d, est.config.returns, s.env().gamma(), i, t);
        ASSERT_EQ(cw.importance, k.importance);
        double sum = 0.0, scale = 0.0;
        for (int tp = 0; tp < tr.length(); ++tp) {
          sum += cw.w[tp] * tr.rewards[tp];
          scale += std::abs(cw.w[tp] * tr.rewards[tp]);
        }
        const double want = k.importance ? d.value(i, t, q) : L.at(i, t).q_hat;
        ASSERT_TRUE(near(sum, want, scale)) << i << " " << t << ": " << sum << " vs " << want;
        ASSERT_EQ(cw.value, want);
        const std::vector<double> plain =
            reward_weights(est.config.returns, s.env().gamma(), tr.length(), t);
        for (int tp = 0; tp < tr.length(); ++tp)
          not_one += std::abs(cw.w[tp] - plain[tp]) > 1e-9 ? 1 : 0;
      }
    }
    // The ratios do change the weights (b differs from π_θ) where importance sampling applies.
    EXPECT_EQ(not_one > 0, k.importance);
  }
}

TEST(Decompose, OffPolicyEveryWeighting) {
  struct Case {
    const char* name;
    Values values;
  };
  const std::vector<Case> cases = {
      {"off-policy-corridor", {}},
      {"off-policy-gridworld", {}},
      {"off-policy-gridworld", {{"offpolicy.weighting", "trajectory"}}},
      {"off-policy-gridworld",
       {{"offpolicy.weighting", "per-step"}, {"estimator.normalize", true}}},
      {"off-policy-gridworld",
       {{"offpolicy.weighting", "per-decision"}, {"offpolicy.truncate", 1.05}}},
      {"off-policy-gridworld",
       {{"offpolicy.weighting", "trajectory"}, {"offpolicy.truncate", 1.05}}},
      {"off-policy-corridor", {{"estimator.returns", "total"}, {"estimator.baseline", "mean"}}},
  };
  for (const Case& k : cases) {
    SCOPED_TRACE(std::string(k.name) + " " + nlohmann::json(k.values).dump());
    const Session s = after_iterations(k.name, 3, k.values);
    const Estimate& est = s.last_estimate();
    const auto& algo = dynamic_cast<const OffPolicyAlgorithm&>(s.algorithm());
    const ImportanceWeights& iw = algo.weights();
    const StepDecomposition d = decompose(s, est);
    check_sum(s, est, d);
    const std::vector<double> psi = check_reinforce_pieces(s, est, d);
    const int kr = col(d, "ρₜ");
    ASSERT_GE(kr, 0);
    const double c_bar = iw.config.truncate, gamma = s.env().gamma();
    auto cap = [&](double w) { return c_bar > 0.0 ? std::min(w, c_bar) : w; };
    int not_one = 0;
    for (int i = 0; i < s.batch().size(); ++i) {
      const Trajectory& tr = s.batch().trajectories[i];
      double cum = 1.0;
      for (int t = 0; t < tr.length(); ++t) {
        const int k = est.at(i, t);
        ASSERT_TRUE(near(d.value(i, t, kr), iw.rho[k]));
        not_one += std::abs(iw.rho[k] - 1.0) > 1e-9 ? 1 : 0;
        cum *= d.value(i, t, kr);
        const double w = d.weight(i, t);
        switch (iw.config.weighting) {
          case IsWeighting::kTrajectory: {
            const double W = std::exp(iw.log_w[i]);
            ASSERT_TRUE(near(d.value(i, t, col(d, "W")), W));
            EXPECT_TRUE(near(w, cap(W) * psi[k], std::abs(psi[k]) * cap(W)));
            break;
          }
          case IsWeighting::kPerStep:
            EXPECT_TRUE(near(w, cap(d.value(i, t, kr)) * psi[k]));
            break;
          case IsWeighting::kPerDecision: {
            ASSERT_TRUE(near(d.value(i, t, col(d, "ρ₀:ₜ")), cum));
            // Q̂′ naively: each reward weighted by the ratios up to max(t, t′).
            const bool total = est.config.returns == Returns::kTotal;
            double q = 0.0;
            for (int tp = total ? 0 : t; tp < tr.length(); ++tp) {
              double prod = 1.0;  // ρ_0:max(t,t′)
              for (int j = 0; j <= std::max(t, tp); ++j) prod *= d.value(i, j, kr);
              q += (total ? std::pow(gamma, tp) : std::pow(gamma, tp - t)) * cap(prod) *
                   tr.rewards[tp];
            }
            const int kq = col(d, "Q̂′ₜ");
            ASSERT_TRUE(near(d.value(i, t, kq), q, 10.0)) << d.value(i, t, kq) << " vs " << q;
            const double g_t = applies_discount_weighting(est.config) ? std::pow(gamma, t) : 1.0;
            EXPECT_TRUE(near(w, g_t * (q - cap(cum) * est.baseline[k]), 10.0));
            break;
          }
        }
      }
    }
    EXPECT_GT(not_one, 0) << "every ρ = 1 would not test the weighting";
    check_ledger(s, est, d);
  }
}

// ---- GRPO
// ----------------------------------------------------------------------------------------

TEST(Decompose, Grpo) {
  // Early batches of the 0/1 verifier are mostly all-wrong groups (Â = 0) and, until some group
  // has spread, θ_old is π_ref (k3 term 0): the iterations are where both have become nonzero
  // (tabular: ~20; the MLP generalises across prompts and gets there sooner).
  struct Case {
    const char* name;
    int iterations;
    Values values;
  };
  const std::vector<Case> cases = {
      {"grpo-token-task", 30, {}},
      {"grpo-token-task-mlp", 10, {}},
      {"grpo-token-task", 30, {{"grpo.leave_one_out", true}, {"grpo.std_normalize", false}}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const Session s = after_iterations(c.name, c.iterations, c.values);
    const Estimate& est = s.last_estimate();
    const StepDecomposition d = decompose(s, est);
    check_sum(s, est, d);
    const GrpoSettings& g = s.scenario().grpo;
    const auto& algo = dynamic_cast<const GrpoAlgorithm&>(s.algorithm());
    const int kR = col(d, "Rᵢ"), kmu = col(d, "μ"), ks = col(d, "σ"), kA = col(d, "Âᵢ"),
              kl = col(d, "1/|oᵢ|");
    const int krho = col(d, "π_ref/π_old"), kk = col(d, "β(1−π_ref/π)"), kb = col(d, "bᵢ");
    for (int k : {kR, kmu, ks, kA, kl, krho, kk}) ASSERT_GE(k, 0);
    EXPECT_EQ(kb >= 0, g.leave_one_out);
    int k3_nonzero = 0, adv_nonzero = 0;
    for (int i = 0; i < s.batch().size(); ++i) {
      const Trajectory& tr = s.batch().trajectories[i];
      // The group's μ, σ naively.
      const int first = i / g.group_size * g.group_size;
      double mu = 0.0, ss = 0.0, others = 0.0;
      for (int j = first; j < first + g.group_size; ++j)
        mu += s.batch().trajectories[j].total_reward() / g.group_size;
      for (int j = first; j < first + g.group_size; ++j) {
        const double R = s.batch().trajectories[j].total_reward();
        ss += (R - mu) * (R - mu);
        if (j != i) others += R / (g.group_size - 1);
      }
      const double sigma = std::sqrt(ss / g.group_size);
      const double R = tr.total_reward();
      const double b = g.leave_one_out ? others : mu;
      const double A = ss == 0.0 ? 0.0 : (R - b) / (g.std_normalize ? sigma + kGrpoEps : 1.0);
      EXPECT_EQ(algo.completions()[i].advantage, d.value(i, 0, kA));
      for (int t = 0; t < tr.length(); ++t) {
        EXPECT_EQ(d.value(i, t, kR), R);
        EXPECT_TRUE(near(d.value(i, t, kmu), mu));
        EXPECT_TRUE(near(d.value(i, t, ks), sigma));
        EXPECT_TRUE(near(d.value(i, t, kA), A));
        EXPECT_EQ(d.value(i, t, kl), 1.0 / tr.length());
        const double rho = std::exp(algo.logp_ref()[est.at(i, t)] - algo.logp_old()[est.at(i, t)]);
        EXPECT_TRUE(near(d.value(i, t, krho), rho));
        EXPECT_TRUE(near(d.value(i, t, kk), g.kl_coef * (1.0 - rho)));
        // w = (Â − β(1 − ρ)) / |o|
        EXPECT_TRUE(near(d.weight(i, t), (A - g.kl_coef * (1.0 - rho)) / tr.length()));
        k3_nonzero += std::abs(d.value(i, t, kk)) > 1e-9 ? 1 : 0;
        adv_nonzero += A != 0.0 ? 1 : 0;
      }
    }
    EXPECT_GT(k3_nonzero, 0) << "π_old = π_ref everywhere would not test the k3 term";
    EXPECT_GT(adv_nonzero, 0);
    check_ledger(s, est, d);
  }
}

// ---- estimates from elsewhere

// A view may hand an algorithm a REINFORCE estimate of its batch (the variance lab's settings) or
// an estimate of another batch: decompose() answers without aborting — REINFORCE's pieces for the
// first (which still sum to that ĝ), w alone and a reason for the second.
TEST(Decompose, ForeignEstimatesNeverAbort) {
  for (const char* name : {"a2c-online-gridworld", "cartpole-ppo-fast", "grpo-token-task"}) {
    SCOPED_TRACE(name);
    // GRPO: after some successes (see Decompose.Grpo), so the batch has rewards.
    const int n = std::string(name) == "grpo-token-task" ? 30 : 1;
    const Session s = after_iterations(name, n);
    Estimate reinforce;
    BaselineSources none;
    estimate_reinforce(s.batch(), s.behaviour_policy(), s.env().gamma(), EstimatorConfig{}, none,
                       reinforce);
    const StepDecomposition d = decompose(s, reinforce);
    check_sum(s, reinforce, d);
    EXPECT_GE(col(d, "Q̂ₜ = Gₜ"), 0);
    // Another iteration's estimate against this batch.
    const Session other = after_iterations(name, n + 1);
    StepDecomposition stale;
    s.algorithm().decompose(
        {s.batch(), other.last_estimate(), s.behaviour_policy(), s.policy(), s.env().gamma()},
        stale);
    if (other.last_estimate().offset != s.last_estimate().offset) {
      EXPECT_EQ(stale.num_pieces(), 1);
      EXPECT_FALSE(stale.sums_to_gradient);
      EXPECT_FALSE(stale.derivation.empty());
    }
  }
}

// ---- the batch dump

TEST(Decompose, BatchDumpCarriesTheDecomposition) {
  for (const char* name : {"gridworld-reinforce", "cartpole-ppo-fast", "off-policy-corridor"}) {
    SCOPED_TRACE(name);
    const Session s = after_iterations(name, 1);
    const nlohmann::json dump = batch_dump(s);
    const StepDecomposition d = decompose(s, s.last_estimate());
    ASSERT_TRUE(dump.contains("decomposition"));
    EXPECT_EQ(dump["decomposition"]["divisor"].get<double>(), d.divisor);
    ASSERT_EQ(dump["decomposition"]["pieces"].size(), static_cast<size_t>(d.num_pieces()));
    const std::string w = d.pieces.back().symbol;
    for (int i = 0; i < s.batch().size(); ++i) {
      const nlohmann::json& tr = dump["trajectories"][i];
      // w is the dump's psi, every piece is there by symbol, step for step.
      EXPECT_EQ(tr["decomposition"][w], tr["psi"]);
      for (int k = 0; k < d.num_pieces(); ++k) {
        const nlohmann::json& v = tr["decomposition"][d.pieces[k].symbol];
        ASSERT_EQ(v.size(), static_cast<size_t>(s.batch().trajectories[i].length()));
        for (int t = 0; t < s.batch().trajectories[i].length(); ++t)
          EXPECT_EQ(v[t].get<double>(), d.value(i, t, k));
      }
      EXPECT_EQ(tr["decomposition"].contains("clip_case"),
                std::string(name) == "cartpole-ppo-fast");
    }
  }
}

// ---- info
// ----------------------------------------------------------------------------------------

TEST(AlgorithmInfo, EveryShippedScenario) {
  struct Expect {
    const char* name;
    bool reinforce_settings;
    unsigned analyses;
  };
  constexpr unsigned kVar = static_cast<unsigned>(Analysis::kEstimatorVariance),
                     kBase = static_cast<unsigned>(Analysis::kBaselineEffect),
                     kAdv = static_cast<unsigned>(Analysis::kAdvantageEstimators),
                     kCrit = static_cast<unsigned>(Analysis::kCriticEffect),
                     kClip = static_cast<unsigned>(Analysis::kClipping),
                     kImp = static_cast<unsigned>(Analysis::kImportance),
                     kGroups = static_cast<unsigned>(Analysis::kGroups),
                     kNat = static_cast<unsigned>(Analysis::kNaturalGradient);
  const std::vector<Expect> expect = {
      {"gridworld-reinforce", true, kVar | kBase},  {"cartpole-reinforce", true, kVar | kBase},
      {"a2c-gridworld", false, kAdv | kCrit},       {"cartpole-ppo", false, kAdv | kCrit | kClip},
      {"npg-gridworld", true, kVar | kBase | kNat}, {"trpo-cartpole", true, kVar | kBase | kNat},
      {"off-policy-corridor", true, kImp},          {"grpo-token-task", false, kGroups},
  };
  for (const Expect& e : expect) {
    SCOPED_TRACE(e.name);
    const Scenario s = load_scenario(e.name);
    const std::unique_ptr<Algorithm> algo = make_algorithm(s);
    const AlgorithmInfo info = algo->info(s);
    EXPECT_FALSE(info.title.empty());
    EXPECT_EQ(info.reinforce_settings, e.reinforce_settings);
    EXPECT_EQ(info.analyses, e.analyses);
    ASSERT_FALSE(info.objective.empty());
    int weight_runs = 0, notes = 0;
    for (const FormulaPart& p : info.objective) {
      weight_runs += p.role == FormulaPart::Role::kWeight ? 1 : 0;
      notes += p.role == FormulaPart::Role::kNote ? 1 : 0;
      if (p.role != FormulaPart::Role::kNewLine) {
        EXPECT_FALSE(p.text.empty());
      }
    }
    EXPECT_GT(weight_runs, 0) << "the screen colours the weight on ∇log π";
    EXPECT_GT(notes, 0);
    EXPECT_FALSE(formula_text(info.objective).empty());
  }
  // Every shipped scenario has an info with a formula.
  for (const auto& entry :
       std::filesystem::directory_iterator(std::string(PGLAB_SOURCE_DIR) + "/assets/scenarios")) {
    const Scenario s = load_scenario(entry.path().string());
    const AlgorithmInfo info = make_algorithm(s)->info(s);
    EXPECT_FALSE(info.objective.empty()) << entry.path();
    EXPECT_NE(info.analyses, 0u) << entry.path();
  }
  // The KL-penalty PPO has no clipping to analyse.
  Scenario kl = load_scenario("cartpole-ppo");
  set_values(kl, {{"ppo.objective", "kl-penalty"}});
  const AlgorithmInfo info = make_algorithm(kl)->info(kl);
  EXPECT_FALSE(info.supports(Analysis::kClipping));
  EXPECT_TRUE(info.supports(Analysis::kAdvantageEstimators));
  EXPECT_NE(formula_text(info.objective).find("k3"), std::string::npos);
}

// The objective shows the entropy bonus the update adds (audit a15 F6: REINFORCE's said only ĝ,
// while its step was ĝ + c·∇H̄), exactly when algorithm.entropy_coef > 0, for every algorithm
// that adds it through add_entropy_bonus.
TEST(AlgorithmInfo, EntropyBonusIsInTheObjectiveWhereTheUpdateAddsIt) {
  for (const char* name : {"gridworld-reinforce", "off-policy-gridworld", "grpo-token-task"}) {
    SCOPED_TRACE(name);
    Scenario s = load_scenario(name);
    set_values(s, {{"algorithm.entropy_coef", 0.0}});
    EXPECT_EQ(formula_text(make_algorithm(s)->info(s).objective).find("entropy_coef"),
              std::string::npos);
    set_values(s, {{"algorithm.entropy_coef", 0.25}});
    const std::string text = formula_text(make_algorithm(s)->info(s).objective);
    EXPECT_NE(text.find("step = ĝ + c·∇H̄, c = 0.25 (algorithm.entropy_coef)"), std::string::npos)
        << text;
  }
}

TEST(ReinforceFormula, FollowsTheToggles) {
  for (Returns r : {Returns::kTotal, Returns::kRewardToGo})
    for (Baseline b : {Baseline::kNone, Baseline::kLeaveOneOut, Baseline::kCritic})
      for (int flags = 0; flags < 4; ++flags) {
        const EstimatorConfig c{r, b, (flags & 1) != 0, (flags & 2) != 0};
        const Formula f = reinforce_formula(c, 0.9);
        std::string formula;  // the formula's own lines, without the notes
        for (const FormulaPart& p : f)
          if (p.role != FormulaPart::Role::kNote) formula += p.text;
        SCOPED_TRACE(formula);
        // γᵗ multiplies ψ for reward-to-go only (DESIGN.md §3).
        EXPECT_EQ(formula.find("γᵗ ") != std::string::npos,
                  c.discount_weighting && r == Returns::kRewardToGo);
        EXPECT_EQ(formula.find("norm") != std::string::npos, c.normalize);
        EXPECT_EQ(formula.find(" − ") != std::string::npos, b != Baseline::kNone);
        EXPECT_EQ(formula.find("γ^(t′−t)") != std::string::npos, r == Returns::kRewardToGo);
        bool has_return = false, has_baseline = false;
        for (const FormulaPart& p : f) {
          has_return |= p.role == FormulaPart::Role::kReturn;
          has_baseline |= p.role == FormulaPart::Role::kBaseline;
        }
        EXPECT_TRUE(has_return);
        EXPECT_EQ(has_baseline, b != Baseline::kNone);
      }
}

}  // namespace pg
