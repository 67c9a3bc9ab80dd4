// Natural policy gradient and TRPO: Fisher-vector products against the explicit sum, conjugate
// gradient against a direct solve, ∇L(θ_old) = ĝ by finite differences, steps within their KL
// budget (NPG with the exact Fisher: KL ≈ δ; TRPO: accepted KL ≤ δ), and the settings refused.
#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <cmath>

#include "algo/npg.h"
#include "exact/exact.h"
#include "exact/exact_kl.h"
#include "rollout/sampler.h"
#include "session/session.h"
#include "util/error.h"

namespace pg {
namespace {

Eigen::VectorXd random_vector(int n, uint64_t key, double scale) {
  Rng rng = Rng::stream(key, 0, 0, Purpose::kLab);
  Eigen::VectorXd v(n);
  for (int i = 0; i < n; ++i) v[i] = scale * rng.normal();
  return v;
}

// F = (1/M) Σ_t s_t s_tᵀ + λI, written out.
Eigen::MatrixXd naive_fisher(const Batch& batch, const Policy& policy, double damping) {
  const int P = policy.num_params();
  Eigen::MatrixXd F = Eigen::MatrixXd::Zero(P, P);
  int M = 0;
  for (const Trajectory& tr : batch.trajectories)
    for (int t = 0; t < tr.length(); ++t, ++M) {
      Eigen::VectorXd s = Eigen::VectorXd::Zero(P);
      policy.add_grad_log_prob(tr.obs_at(t), tr.actions[t], 1.0, s);
      F += s * s.transpose();
    }
  F /= M;
  F += damping * Eigen::MatrixXd::Identity(P, P);
  return F;
}

Session advanced_session(const std::string& scenario,
                         const std::vector<std::pair<std::string, nlohmann::json>>& sets,
                         int iterations) {
  Scenario s = load_scenario(scenario);
  set_values(s, sets);
  Session session(s);
  EXPECT_TRUE(session.run_iterations(iterations));
  return session;
}

}  // namespace

TEST(Npg, FisherProductMatchesTheExplicitSum) {
  for (const char* scenario : {"trpo-gridworld", "trpo-cartpole"}) {
    Session s = advanced_session(scenario, {{"algorithm.batch_episodes", 4}}, 2);
    ASSERT_TRUE(s.advance(Granularity::kBatch));
    const Policy& policy = s.behaviour_policy();
    const Eigen::MatrixXd F = naive_fisher(s.batch(), policy, 0.05);
    const Eigen::VectorXd v = random_vector(policy.num_params(), 1, 1.0);
    const Eigen::VectorXd expected = F * v;
    Eigen::VectorXd out;
    FisherProduct cached;
    cached.set_sampled(s.batch(), policy, 0.05);
    ASSERT_TRUE(cached.cached());
    cached.apply(v, out);
    EXPECT_LT((out - expected).norm(), 1e-12 * (1 + expected.norm())) << scenario;
    FisherProduct streamed;
    streamed.set_max_cached_entries(0);
    streamed.set_sampled(s.batch(), policy, 0.05);
    ASSERT_FALSE(streamed.cached());
    streamed.apply(v, out);
    EXPECT_LT((out - expected).norm(), 1e-12 * (1 + expected.norm())) << scenario;
  }
}

TEST(Npg, ConjugateGradientSolvesTheDampedSystem) {
  // The exact Fisher of a tabular gridworld policy (singular: one null direction per row) plus
  // λI is SPD; CG with P iterations reaches the direct solution up to rounding.
  Scenario sc = load_scenario("npg-gridworld");
  auto env = make_env(sc);
  auto policy = make_policy(sc, *env);
  policy->set_params(random_vector(policy->num_params(), 2, 0.5));
  const double damping = 0.01;
  const Eigen::MatrixXd F = exact_fisher(*env, *policy);
  FisherProduct A;
  A.set_exact(F, damping);
  const Eigen::VectorXd g = exact_evaluate(*env, *policy).gradient;
  const Eigen::MatrixXd Fd = F + damping * Eigen::MatrixXd::Identity(F.rows(), F.cols());
  const Eigen::VectorXd direct = Fd.ldlt().solve(g);
  Eigen::VectorXd x;
  const CgResult res = conjugate_gradient(A, g, policy->num_params(), x);
  EXPECT_LT((x - direct).norm(), 1e-6 * direct.norm());
  EXPECT_LT(res.residual, 1e-8 * g.norm());
  // Few iterations: a worse but still descending solution, with the residual reported honestly.
  Eigen::VectorXd x3;
  const CgResult res3 = conjugate_gradient(A, g, 3, x3);
  EXPECT_EQ(res3.iterations, 3);
  EXPECT_NEAR(res3.residual, (g - Fd * x3).norm(), 1e-12 * g.norm());
  EXPECT_GT(res3.residual, res.residual);
}

TEST(Npg, SurrogateGradientAtThetaOldIsTheEstimate) {
  // L(θ) = (1/N) Σ_it r_it ψ_it: L(θ_old) = (1/N) Σ ψ and ∇L(θ_old) = ĝ (central differences).
  for (const char* scenario : {"trpo-gridworld", "trpo-cartpole"}) {
    Session s = advanced_session(scenario, {{"algorithm.batch_episodes", 4}}, 1);
    ASSERT_TRUE(s.advance(Granularity::kEstimate));
    const Estimate& est = s.last_estimate();
    auto policy = s.behaviour_policy().clone();
    const Eigen::VectorXd theta = policy->params();
    double sum_psi = 0.0;
    for (double p : est.psi) sum_psi += p;
    EXPECT_NEAR(surrogate(s.batch(), *policy, est), sum_psi / est.num_trajectories,
                1e-10 * (1 + std::abs(sum_psi)));
    const double h = 1e-5;
    Eigen::VectorXd fd(theta.size());
    for (int k = 0; k < theta.size(); ++k) {
      Eigen::VectorXd t = theta;
      t[k] += h;
      policy->set_params(t);
      const double up = surrogate(s.batch(), *policy, est);
      t[k] -= 2 * h;
      policy->set_params(t);
      fd[k] = (up - surrogate(s.batch(), *policy, est)) / (2 * h);
    }
    EXPECT_LT((fd - est.gradient).norm(), 1e-6 * (1 + est.gradient.norm())) << scenario;
  }
}

TEST(Npg, ExactFisherStepsHaveKlNearTheBudget) {
  // β = sqrt(2δ / xᵀ(F + λI)x) makes the quadratic model ½ βxᵀ F βx ≈ δ; the exact KL̄ differs by
  // the third-order term, small for small δ. Asserted: δ/2 ≤ KL ≤ 1.5δ on every one of 15 steps.
  for (double delta : {1e-3, 1e-2}) {
    Scenario s = load_scenario("npg-gridworld");
    set_values(s, {{"trpo.max_kl", delta}, {"trpo.cg_iters", 64}});
    Session session(s);
    for (int i = 0; i < 15; ++i) {
      ASSERT_TRUE(session.advance(Granularity::kUpdate));
      const UpdateStats& st = session.update_stats();
      ASSERT_TRUE(st.has("kl_exact"));
      if (st.get("beta") == 0.0) continue;  // ĝ = 0: no step
      EXPECT_LE(st.get("kl_exact"), 1.5 * delta) << "iteration " << i;
      EXPECT_GE(st.get("kl_exact"), 0.5 * delta) << "iteration " << i;
      // The stat is the KL between the batch's θ and the new θ, recomputed here.
      EXPECT_NEAR(exact_mean_kl(session.env(), session.behaviour_policy(), session.policy()),
                  st.get("kl_exact"), 1e-12);
      ASSERT_TRUE(session.advance(Granularity::kIteration));
    }
  }
}

TEST(Npg, NpgLearnsOnTheGridworld) {
  Scenario s = load_scenario("npg-gridworld");
  Session session(s);
  const double J0 = session.exact()->J;
  ASSERT_TRUE(session.run_iterations(40));
  EXPECT_GT(session.exact()->J, J0 + 0.2);
}

TEST(Npg, TrpoAcceptedStepsStayWithinTheBudget) {
  // Cart-pole (no exact KL): the line search's KL is the batch states' mean, ≤ δ when accepted,
  // with a positive surrogate improvement.
  Scenario s = load_scenario("trpo-cartpole");
  Session session(s);
  int accepted = 0;
  for (int i = 0; i < 12; ++i) {
    ASSERT_TRUE(session.advance(Granularity::kUpdate));
    const UpdateStats& st = session.update_stats();
    if (st.get("accepted") == 1.0) {
      ++accepted;
      EXPECT_LE(st.get("kl_sampled"), s.trpo.max_kl);
      EXPECT_EQ(st.get("kl"), st.get("kl_sampled"));
      EXPECT_GT(st.get("surrogate_improvement"), 0.0);
    } else {
      // Rejected: θ is θ_old.
      EXPECT_EQ(session.policy().params(), session.behaviour_policy().params());
    }
    ASSERT_TRUE(session.advance(Granularity::kIteration));
  }
  EXPECT_GE(accepted, 6);
}

TEST(Npg, TrpoLineSearchBindsWhereNpgOvershoots) {
  // A large budget on the sampled Fisher: the quadratic model is poor, NPG's full steps overshoot
  // δ in exact KL at least once, and TRPO (same batches: common random numbers on iteration 0,
  // then its own) halves until the exact KL̄ ≤ δ.
  const double delta = 0.5;
  std::vector<std::pair<std::string, nlohmann::json>> sets = {{"trpo.max_kl", delta},
                                                              {"algorithm.batch_episodes", 4}};
  Scenario npg = load_scenario("trpo-gridworld");
  set_values(npg, sets);
  set_value(npg, "algorithm.name", "npg");
  Session a(npg);
  int over = 0;
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(a.run_iterations(1));
    over += a.update_stats().get("kl_exact") > delta;
  }
  EXPECT_GE(over, 1);

  Scenario trpo = load_scenario("trpo-gridworld");
  set_values(trpo, sets);
  Session b(trpo);
  int backtracked = 0;
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(b.run_iterations(1));
    const UpdateStats& st = b.update_stats();
    backtracked += st.get("backtracks") > 0;
    if (st.get("accepted") == 1.0) {
      EXPECT_LE(st.get("kl_exact"), delta);
      EXPECT_EQ(st.get("kl"), st.get("kl_exact"));
    }
  }
  EXPECT_GE(backtracked, 1);
}

TEST(Npg, RefusesWhatItCannotDo) {
  Scenario cart = load_scenario("trpo-cartpole");
  set_value(cart, "trpo.exact_fisher", true);
  EXPECT_THROW(Session{cart}, InputError);
  Scenario ent = load_scenario("trpo-gridworld");
  set_value(ent, "algorithm.entropy_coef", 0.01);
  EXPECT_THROW(Session{ent}, InputError);
  Scenario opt = load_scenario("npg-gridworld");
  set_values(opt, {{"estimator.baseline", "optimal"}, {"estimator.returns", "total"}});
  EXPECT_THROW(Session{opt}, InputError);
  Scenario seg = load_scenario("npg-gridworld");
  set_value(seg, "algorithm.num_steps", 16);
  EXPECT_THROW(Session{seg}, InputError);
}

TEST(Npg, ScenariosRunAndReplayBitForBit) {
  for (const char* name : {"npg-gridworld", "trpo-gridworld", "trpo-cartpole"}) {
    Scenario s = load_scenario(name);
    set_value(s, "algorithm.batch_episodes", 2);
    Session a(s), b(s);
    ASSERT_TRUE(a.run_iterations(3)) << name;
    ASSERT_TRUE(b.run_iterations(3)) << name;
    EXPECT_EQ(a.policy().params(), b.policy().params()) << name;
    EXPECT_NE(a.policy().params(), Session(s).policy().params()) << name;
  }
}

}  // namespace pg
