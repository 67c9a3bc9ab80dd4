#include <gtest/gtest.h>

#include <cmath>

#include "estimator/ledger.h"
#include "policy/gaussian.h"
#include "policy/mlp_softmax.h"
#include "session/session.h"

namespace pg {

namespace {

// A session with a complete batch and its estimate (between iterations).
Session after_iterations(const char* name, int n, int batch_episodes = 0) {
  Scenario s = load_scenario(name);
  if (batch_episodes > 0) set_values(s, {{"algorithm.batch_episodes", batch_episodes}});
  Session session(s);
  EXPECT_TRUE(session.run_iterations(n));
  EXPECT_TRUE(session.has_estimate());
  return session;
}

std::vector<EstimatorConfig> configs(bool with_exact) {
  std::vector<EstimatorConfig> out;
  for (Returns r : {Returns::kTotal, Returns::kRewardToGo})
    for (Baseline b : {Baseline::kNone, Baseline::kMean, Baseline::kTimeMean,
                       Baseline::kLeaveOneOut, Baseline::kOptimal, Baseline::kExactValue})
      for (int flags = 0; flags < 4; ++flags) {
        if (b == Baseline::kOptimal && r != Returns::kTotal) continue;
        if (b == Baseline::kExactValue && !with_exact) continue;
        EstimatorConfig c;
        c.returns = r;
        c.baseline = b;
        c.normalize = (flags & 1) != 0;
        c.discount_weighting = (flags & 2) != 0;
        out.push_back(c);
      }
  return out;
}

}  // namespace

TEST(Ledger, RewardWeightsExactValues) {
  const std::vector<double> total = reward_weights(Returns::kTotal, 0.5, 4, 2);
  const std::vector<double> rtg = reward_weights(Returns::kRewardToGo, 0.5, 4, 2);
  EXPECT_EQ(total, (std::vector<double>{1.0, 0.5, 0.25, 0.125}));
  EXPECT_EQ(rtg, (std::vector<double>{0.0, 0.0, 1.0, 0.5}));
  EXPECT_EQ(reward_weights(Returns::kRewardToGo, 0.9, 3, 0),
            reward_weights(Returns::kTotal, 0.9, 3, 0));
  EXPECT_TRUE(reward_weights(Returns::kTotal, 0.9, 0, 0).empty());
}

TEST(Ledger, TabularStepsMatchNaiveReference) {
  const Session s = after_iterations("gridworld-reinforce", 3, 6);
  const Batch& batch = s.batch();
  const Policy& pi = s.behaviour_policy();
  const double gamma = s.env().gamma();
  const int A = pi.num_actions();
  for (const EstimatorConfig& c : configs(true)) {
    SCOPED_TRACE(describe(c) + (c.normalize ? " normalize" : "") +
                 (c.discount_weighting ? " weighting" : ""));
    const Estimate e = s.estimate_with(c);
    const BatchLedger L = credit_ledger(batch, pi, e);
    ASSERT_EQ(L.num_trajectories, batch.size());
    // The ledger balances: Σ c_it = ĝ to rounding.
    EXPECT_LT(L.residual, 1e-12 * (1.0 + L.gradient_norm));
    EXPECT_NEAR(L.gradient_norm, e.gradient.norm(), 1e-15);
    const int N = batch.size();
    for (int i = 0; i < N; ++i) {
      const Trajectory& tr = batch.trajectories[i];
      ASSERT_EQ(L.length(i), tr.length());
      const double R = tr.discounted_return(gamma);
      for (int t = 0; t < tr.length(); ++t) {
        const LedgerStep& st = L.at(i, t);
        EXPECT_EQ(st.t, t);
        EXPECT_EQ(st.action, tr.actions[t]);
        EXPECT_EQ(st.reward, tr.rewards[t]);
        // G_t and Q̂_t from the causality weights, summed naively.
        double G = 0.0, gk = 1.0;
        for (int tp = t; tp < tr.length(); ++tp, gk *= gamma) G += gk * tr.rewards[tp];
        EXPECT_NEAR(st.reward_to_go, G, 1e-12);
        const std::vector<double> w = reward_weights(c.returns, gamma, tr.length(), t);
        double q = 0.0;
        for (int tp = 0; tp < tr.length(); ++tp) q += w[tp] * tr.rewards[tp];
        EXPECT_NEAR(st.q_hat, q, 1e-12);
        EXPECT_NEAR(st.q_hat, c.returns == Returns::kTotal ? R : G, 1e-12);
        // The formula's pieces rebuild the estimate's ψ.
        if (L.per_step_baseline) {
          EXPECT_NEAR(st.advantage, st.q_hat - st.baseline, 1e-15);
          const double normed =
              c.normalize ? (st.advantage - L.psi_mean) / (L.psi_std + 1e-8) : st.advantage;
          EXPECT_NEAR(st.normalized, normed, 1e-12);
          // γ^t for reward-to-go with the flag on only (DESIGN.md §3: total returns ignore it).
          EXPECT_NEAR(
              st.weight,
              c.discount_weighting && c.returns == Returns::kRewardToGo ? std::pow(gamma, t) : 1.0,
              1e-12);
          EXPECT_NEAR(st.psi, st.weight * st.normalized, 1e-12);
        } else {
          EXPECT_TRUE(std::isnan(st.baseline));
        }
        // π(·|s) sums to 1 and prob is the taken action's.
        const double* p = L.probs_at(i, t);
        double sum = 0.0;
        for (int a = 0; a < A; ++a) sum += p[a];
        EXPECT_NEAR(sum, 1.0, 1e-12);
        EXPECT_EQ(st.prob, p[tr.actions[t]]);
        // Tabular: c_t = (e_a − π(·|o)) ψ / N in row o only, so ‖c_t‖ = |ψ|/N · ‖e_a − π‖.
        if (L.per_step_baseline) {
          double sq = 0.0;
          for (int a = 0; a < A; ++a) sq += std::pow((a == tr.actions[t] ? 1.0 : 0.0) - p[a], 2);
          EXPECT_NEAR(st.contribution_norm, std::abs(st.psi) / N * std::sqrt(sq), 1e-12);
        }
      }
    }
  }
}

TEST(Ledger, ResidualSeesAWrongGradient) {
  const Session s = after_iterations("gridworld-reinforce", 2, 4);
  Estimate e = s.last_estimate();
  const BatchLedger ok = credit_ledger(s.batch(), s.behaviour_policy(), e);
  EXPECT_LT(ok.residual, 1e-12);
  e.gradient[3] += 0.25;  // what a bug in the batched path would look like
  const BatchLedger bad = credit_ledger(s.batch(), s.behaviour_policy(), e);
  EXPECT_NEAR(bad.residual, 0.25, 1e-12);
}

TEST(Ledger, MlpLedgerBalancesAndBlocksCoverTheNetwork) {
  const Session s = after_iterations("cartpole-reinforce", 2, 3);
  const Policy& pi = s.behaviour_policy();
  const BatchLedger L = credit_ledger(s.batch(), pi, s.last_estimate());
  EXPECT_GT(L.gradient_norm, 0.0);
  EXPECT_LT(L.residual, 1e-12 * (1.0 + L.gradient_norm));
  EXPECT_EQ(static_cast<int>(L.steps.size()), s.batch().num_steps());

  // 4 → 32 → 32 → 2: W1 32×4, b1 32, W2 32×32, b2 32, W3 2×32, b3 2, back to back.
  const std::vector<ParamBlock> blocks = param_blocks(pi);
  ASSERT_EQ(blocks.size(), 6u);
  const char* names[] = {"W1", "b1", "W2", "b2", "W3", "b3"};
  const int sizes[] = {128, 32, 1024, 32, 64, 2};
  int offset = 0;
  for (size_t k = 0; k < blocks.size(); ++k) {
    EXPECT_EQ(blocks[k].name, names[k]);
    EXPECT_EQ(blocks[k].size, sizes[k]);
    EXPECT_EQ(blocks[k].offset, offset);
    offset += blocks[k].size;
  }
  EXPECT_EQ(offset, pi.num_params());
  // The blocks are mlp.h's W and b of each layer.
  const Mlp& net = dynamic_cast<const MlpSoftmax&>(pi).net();
  EXPECT_EQ(blocks[2].offset, net.w_offset(1));
  EXPECT_EQ(blocks[5].offset, net.b_offset(2));

  // Per-layer norms of one c_t: squares add up to ‖c_t‖².
  const Eigen::VectorXd c = s.last_estimate().contribution(s.batch(), pi, 0, 0);
  const std::vector<double> norms = block_norms(c, blocks);
  double sq = 0.0;
  for (double n : norms) sq += n * n;
  EXPECT_NEAR(std::sqrt(sq), c.norm(), 1e-12 * (1.0 + c.norm()));
  EXPECT_NEAR(std::sqrt(sq), L.at(0, 0).contribution_norm, 1e-12 * (1.0 + c.norm()));
}

// Gaussian policies: the mean network's layers (or μ itself), then the free log σ, back to back and
// covering θ (gaussian.h's layout).
TEST(Ledger, GaussianBlocksFollowTheLayout) {
  struct Case {
    const char* scenario;
    std::vector<std::string> names;
  };
  const Case cases[] = {{"continuous-bandit-reinforce", {"μ", "log σ"}},
                        {"pendulum-ppo", {"W1", "b1", "W2", "b2", "W3", "b3", "log σ"}}};
  for (const Case& k : cases) {
    SCOPED_TRACE(k.scenario);
    const Session s(load_scenario(k.scenario));
    const Policy& pi = s.policy();
    const std::vector<ParamBlock> blocks = param_blocks(pi);
    ASSERT_EQ(blocks.size(), k.names.size());
    int offset = 0;
    for (size_t b = 0; b < blocks.size(); ++b) {
      EXPECT_EQ(blocks[b].name, k.names[b]);
      EXPECT_EQ(blocks[b].offset, offset);
      offset += blocks[b].size;
    }
    EXPECT_EQ(offset, pi.num_params());
    EXPECT_EQ(blocks.back().offset, dynamic_cast<const GaussianPolicy&>(pi).log_std_offset());
  }
}

TEST(Ledger, BlockNormsExactValues) {
  // Tabular 3 observations × 2 actions: blocks are the rows.
  const Session s = after_iterations("gridworld-reinforce", 1, 2);
  const std::vector<ParamBlock> rows = param_blocks(s.behaviour_policy());
  ASSERT_EQ(static_cast<int>(rows.size()), s.env().num_obs());
  EXPECT_EQ(rows[2].name, "o=2");
  EXPECT_EQ(rows[2].offset, 8);
  EXPECT_EQ(rows[2].size, 4);
  std::vector<ParamBlock> b = {{"a", 0, 2}, {"b", 2, 1}, {"c", 3, 0}};
  Eigen::VectorXd v(3);
  v << 3.0, 4.0, -2.0;
  EXPECT_EQ(block_norms(v, b), (std::vector<double>{5.0, 2.0, 0.0}));
}

}  // namespace pg
