#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <cmath>
#include <string>
#include <vector>

#include "env/bandit.h"
#include "env/cartpole.h"
#include "env/gridworld.h"
#include "env/short_corridor.h"
#include "exact/exact.h"
#include "io/scenario.h"
#include "policy/tabular_softmax.h"
#include "session/session.h"
#include "util/error.h"

namespace pg {
namespace {

// A linear softmax over the env's features, written here so the oracle's feature path
// (Env::features_of, ObsRef::x) is exercised without depending on the MLP policy.
//   logits = W x,  W is A × D row-major;  ∂ log π(a|x) / ∂W[b, i] = (1[a = b] − π_b) x_i
class LinearSoftmax final : public Policy {
 public:
  LinearSoftmax(int dim, int actions)
      : dim_(dim), actions_(actions), theta_(Eigen::VectorXd::Zero(dim * actions)) {}
  PolicyKind kind() const override { return PolicyKind::kMlp; }  // reads features
  int num_actions() const override { return actions_; }
  int num_params() const override { return dim_ * actions_; }
  const Eigen::VectorXd& params() const override { return theta_; }
  void set_params(const Eigen::Ref<const Eigen::VectorXd>& t) override { theta_ = t; }
  void probs(ObsRef o, double* p) const override {
    EXPECT_NE(o.x, nullptr);
    double zmax = -1e300;
    std::vector<double> z(actions_);
    for (int a = 0; a < actions_; ++a) {
      z[a] = 0.0;
      for (int i = 0; i < dim_; ++i) z[a] += theta_[a * dim_ + i] * o.x[i];
      zmax = std::max(zmax, z[a]);
    }
    double sum = 0.0;
    for (int a = 0; a < actions_; ++a) sum += (p[a] = std::exp(z[a] - zmax));
    for (int a = 0; a < actions_; ++a) p[a] /= sum;
  }
  void add_grad_log_prob(ObsRef o, ActRef act, double scale,
                         Eigen::Ref<Eigen::VectorXd> g) const override {
    const int a = act.index;
    std::vector<double> p(actions_);
    probs(o, p.data());
    for (int b = 0; b < actions_; ++b)
      for (int i = 0; i < dim_; ++i)
        g[b * dim_ + i] += scale * ((a == b ? 1.0 : 0.0) - p[b]) * o.x[i];
  }
  void add_grad_entropy(ObsRef, double, Eigen::Ref<Eigen::VectorXd>) const override {}
  std::unique_ptr<Policy> clone() const override { return std::make_unique<LinearSoftmax>(*this); }

 private:
  int dim_, actions_;
  Eigen::VectorXd theta_;
};

Eigen::VectorXd random_params(int n, uint64_t seed, double scale = 1.0) {
  Rng rng = Rng::stream(seed, 0, 0, Purpose::kInit);
  Eigen::VectorXd t(n);
  for (int i = 0; i < n; ++i) t[i] = scale * rng.normal();
  return t;
}

GridWorld shipped_world(const std::string& name, double slip, int step_limit, double gamma = 0.99) {
  GridWorldConfig c;
  c.map = load_grid_map(shipped_map_path(name));
  c.slip = slip;
  c.step_reward = -0.01;
  c.gamma = gamma;
  c.step_limit = step_limit;
  return GridWorld(c);
}

// ∂J/∂θ_i by Richardson extrapolation of central differences, D(h) = (J(θ+h e_i) − J(θ−h e_i))/2h:
//   D(h) = J' + h²J‴/6 + O(h⁴),   R = (4·D(h/2) − D(h))/3 = J' − h⁴J⁽⁵⁾/480 + O(h⁶).
// Rounding: exact_J is only reproducible to δ ≈ 1e-15 (a few ulps of |J| ≈ 1, from the linear
// solve / backward recursion; it moves with FMA contraction and vector width), which enters R
// as ≈ 1.5·δ/h. Both errors, measured relative to |∇J|∞ (as the checks below), worst case over
// the cases of the GradientMatchesFiniteDifferences* and GradientThroughFeatures tests (GCC 12
// Release; AVX-512 -march=native for the 13 tabular cases, portable SSE2 for all 15):
//   plain central, h = 1e-5 (the old check): 9.1e-8  (rounding: |∇J|∞ is only 1.3e-3 on
//                                            four-rooms/frozen-lake with no limit; 1.03e-7 on
//                                            another AVX-512 machine, over the 1e-7 tolerance)
//   plain central, best h = 3e-4:            1.2e-8  (truncation and rounding balanced)
//   Richardson, h = 1e-2:                    3.0e-10 native, 3.6e-10 portable (truncation
//                                            ≤ 5e-11, the rest rounding)
// so Richardson with h = 1e-2 leaves the 1e-7 tolerance a margin of > 250×; a wrong gradient
// (a dropped discount, a missing baseline term) is off by 1e-3 or more.
constexpr double kFdStep = 1e-2;
constexpr double kFdTolerance = 1e-7;  // relative to |∇J|∞; measured worst 3.6e-10 (above)

template <class JOf>
double richardson_derivative(const JOf& j_at, double theta_i) {
  const auto central = [&](double h) { return (j_at(theta_i + h) - j_at(theta_i - h)) / (2 * h); };
  return (4 * central(kFdStep / 2) - central(kFdStep)) / 3;
}

void expect_gradient_matches_fd(const Env& env, Policy& policy, int horizon,
                                const std::string& what) {
  const ExactResult ex = exact_evaluate(env, policy, horizon);
  const Eigen::VectorXd theta = policy.params();
  const double scale = std::max(ex.gradient.lpNorm<Eigen::Infinity>(), 1e-3);
  ASSERT_EQ(ex.gradient.size(), theta.size());
  double worst = 0.0;
  Eigen::VectorXd t = theta;
  for (int i = 0; i < theta.size(); ++i) {
    const auto j_at = [&](double v) {
      t[i] = v;
      policy.set_params(t);
      return exact_J(env, policy, horizon);
    };
    const double fd = richardson_derivative(j_at, theta[i]);
    t[i] = theta[i];
    worst = std::max(worst, std::fabs(fd - ex.gradient[i]) / scale);
  }
  policy.set_params(theta);
  EXPECT_LE(worst, kFdTolerance) << what << " horizon " << horizon;
  EXPECT_GT(ex.gradient.norm(), 0.0) << what;
}

// Naive dense reference for the finite horizon, straight from the definitions.
Eigen::MatrixXd naive_v_t(const Env& env, const Eigen::MatrixXd& pi, int H) {
  const TabularModel& m = *env.model();
  const int S = m.num_states(), A = m.num_actions();
  const auto P = m.dense_p();
  Eigen::MatrixXd V = Eigen::MatrixXd::Zero(H + 1, S);
  for (int t = H - 1; t >= 0; --t)
    for (int s = 0; s < S; ++s) {
      if (m.terminal(s)) continue;
      for (int a = 0; a < A; ++a) {
        double q = m.reward(s, a);
        for (int n = 0; n < S; ++n)
          q += env.gamma() * P[s][a][n] * (m.terminal(n) ? 0.0 : V(t + 1, n));
        V(t, s) += pi(s, a) * q;
      }
    }
  return V.topRows(H);
}

TEST(Exact, GradientMatchesFiniteDifferencesOnShippedGridWorlds) {
  int seed = 1;
  for (const char* name : {"classic-4x4", "cliff-4x12", "frozen-lake-8x8", "four-rooms"}) {
    for (int horizon : {100, 0}) {
      GridWorld env = shipped_world(name, 0.1, 100);
      TabularSoftmax pi(env.num_obs(), 4);
      pi.set_params(random_params(pi.num_params(), seed++));
      expect_gradient_matches_fd(env, pi, horizon, name);
    }
  }
}

TEST(Exact, GradientMatchesFiniteDifferencesOnCorridorAndBandit) {
  ShortCorridor corridor({1.0, 1000});
  TabularSoftmax pc(1, 2);
  pc.fill_rows({0.4, -0.9});
  expect_gradient_matches_fd(corridor, pc, 0, "corridor");
  expect_gradient_matches_fd(corridor, pc, 1000, "corridor");
  expect_gradient_matches_fd(corridor, pc, 7, "corridor");  // a short horizon truncates often
  Bandit bandit;
  TabularSoftmax pb(1, 3);
  pb.set_params(random_params(3, 77));
  expect_gradient_matches_fd(bandit, pb, 1, "bandit");
  expect_gradient_matches_fd(bandit, pb, 0, "bandit");
}

TEST(Exact, GradientThroughFeaturesMatchesFiniteDifferences) {
  GridWorld env = shipped_world("classic-4x4", 0.2, 30);
  LinearSoftmax lin(env.obs_dim(), 4);
  lin.set_params(random_params(lin.num_params(), 5));
  expect_gradient_matches_fd(env, lin, 30, "linear on classic");
  expect_gradient_matches_fd(env, lin, 0, "linear on classic");
  // The corridor's single feature [1.0] reaches the policy too.
  ShortCorridor corridor({1.0, 0});
  LinearSoftmax lc(1, 2);
  lc.set_params(Eigen::Vector2d(0.0, std::log(0.3 / 0.7)));
  EXPECT_NEAR(exact_J(corridor, lc), short_corridor_closed_form_J(0.3), 1e-10);
}

TEST(Exact, FiniteHorizonMatchesNaiveRecursion) {
  GridWorld env = shipped_world("cliff-4x12", 0.1, 25);
  TabularSoftmax pi(env.num_obs(), 4);
  pi.set_params(random_params(pi.num_params(), 3));
  const ExactResult ex = exact_evaluate(env, pi);
  ASSERT_EQ(ex.V_t.rows(), 25);
  const Eigen::MatrixXd ref = naive_v_t(env, ex.probs, 25);
  EXPECT_LE((ex.V_t - ref).cwiseAbs().maxCoeff(), 1e-12);
  EXPECT_LE((ex.V - ref.row(0).transpose()).cwiseAbs().maxCoeff(), 1e-12);
  // Q_0 and V_0 agree: V_0 = Σ_a π Q_0.
  const Eigen::VectorXd v_from_q = ex.probs.cwiseProduct(ex.Q).rowwise().sum();
  for (int s = 0; s < env.num_obs(); ++s)
    if (!env.model()->terminal(s)) {
      EXPECT_NEAR(v_from_q[s], ex.V[s], 1e-12);
    }
  EXPECT_NEAR(ex.J, ex.V[env.state_of_cell(3, 0)], 1e-15);
}

TEST(Exact, InfiniteHorizonSolvesBellmanEquation) {
  GridWorld env = shipped_world("frozen-lake-8x8", 0.1, 0, 0.95);
  TabularSoftmax pi(env.num_obs(), 4);
  pi.set_params(random_params(pi.num_params(), 4));
  const ExactResult ex = exact_evaluate(env, pi);
  EXPECT_EQ(ex.V_t.size(), 0);
  // Dense reference: V = (I − γ P_π)^{-1} r_π over live states.
  const TabularModel& m = *env.model();
  const int S = m.num_states();
  const auto P = m.dense_p();
  Eigen::MatrixXd M = Eigen::MatrixXd::Identity(S, S);
  Eigen::VectorXd r = Eigen::VectorXd::Zero(S);
  for (int s = 0; s < S; ++s) {
    if (m.terminal(s)) continue;
    for (int a = 0; a < 4; ++a) {
      r[s] += ex.probs(s, a) * m.reward(s, a);
      for (int n = 0; n < S; ++n)
        if (!m.terminal(n)) M(s, n) -= 0.95 * ex.probs(s, a) * P[s][a][n];
    }
  }
  const Eigen::VectorXd V = M.partialPivLu().solve(r);
  EXPECT_LE((ex.V - V).cwiseAbs().maxCoeff(), 1e-12);
}

TEST(Exact, VisitationSumsToDiscountedEpisodeLength) {
  // With reward 1 on every step, J is the expected discounted length Σ_t γ^t P(T > t); the
  // forward pass (d) and the backward pass (J) compute it independently.
  for (int horizon : {60, 0}) {
    GridWorldConfig c;
    c.map = load_grid_map(shipped_map_path("four-rooms"));
    c.slip = 0.1;
    c.step_reward = c.goal_reward = c.pit_reward = 1.0;
    c.gamma = 0.97;
    c.step_limit = horizon;
    GridWorld env(c);
    TabularSoftmax pi(env.num_obs(), 4);
    pi.set_params(random_params(pi.num_params(), 9));
    const ExactResult ex = exact_evaluate(env, pi);
    EXPECT_NEAR(ex.d.sum(), ex.J, 1e-10 * ex.J) << "horizon " << horizon;
    for (int s = 0; s < env.num_obs(); ++s)
      if (env.model()->terminal(s)) {
        EXPECT_EQ(ex.d[s], 0.0);
      }
  }
  // Corridor, γ = 1, no limit: Σ d = expected length = −J.
  ShortCorridor corridor({1.0, 0});
  TabularSoftmax pc(1, 2);
  pc.fill_rows({0.0, 0.5});
  const ExactResult ex = exact_evaluate(corridor, pc);
  EXPECT_NEAR(ex.d.sum(), -ex.J, 1e-10);
}

// Discounted return and discounted length of sampled episodes, with their standard errors.
struct McEstimate {
  double mean_return, se_return, mean_length, se_length;
};
McEstimate monte_carlo(Env& env, const Policy& policy, int episodes, uint64_t seed) {
  std::vector<double> x(env.obs_dim());
  double p[8];
  double sr = 0, sr2 = 0, sl = 0, sl2 = 0;
  for (int i = 0; i < episodes; ++i) {
    Rng reset = Rng::stream(seed, 0, i, Purpose::kEnvReset);
    Rng step = Rng::stream(seed, 0, i, Purpose::kEnvStep);
    Rng act = Rng::stream(seed, 0, i, Purpose::kAction);
    env.reset(reset);
    double g = 0, len = 0, gt = 1;
    for (;;) {
      env.observe(x.data());
      policy.probs({env.obs_index(), x.data()}, p);
      const StepResult r = env.step(act.categorical(p, env.num_actions()), step);
      g += gt * r.reward;
      len += gt;
      gt *= env.gamma();
      if (r.terminated || r.truncated) break;
    }
    sr += g, sr2 += g * g, sl += len, sl2 += len * len;
  }
  const double n = episodes;
  McEstimate e;
  e.mean_return = sr / n;
  e.se_return = std::sqrt((sr2 / n - e.mean_return * e.mean_return) / (n - 1));
  e.mean_length = sl / n;
  e.se_length = std::sqrt((sl2 / n - e.mean_length * e.mean_length) / (n - 1));
  return e;
}

TEST(Exact, MonteCarloAgreesWithinFourStandardErrors) {
  // Fixed seeds; each comparison fails by chance with probability ≈ 6e-5 (normal tail beyond 4σ;
  // 20k episodes make the sample mean close to normal), while a wrong model, slip or truncation
  // rule moves J by many standard errors.
  struct Case {
    const char* map;
    double slip;
    int limit;
  };
  int seed = 20;
  for (const Case& k : {Case{"frozen-lake-8x8", 0.1, 100}, Case{"cliff-4x12", 0.2, 30},
                        Case{"four-rooms", 0.1, 0}}) {
    GridWorld env = shipped_world(k.map, k.slip, k.limit, 0.98);
    TabularSoftmax pi(env.num_obs(), 4);
    pi.set_params(random_params(pi.num_params(), seed, 0.5));
    const ExactResult ex = exact_evaluate(env, pi);
    const McEstimate mc = monte_carlo(env, pi, 20000, seed++);
    EXPECT_NEAR(mc.mean_return, ex.J, 4 * mc.se_return) << k.map;
    EXPECT_NEAR(mc.mean_length, ex.d.sum(), 4 * mc.se_length) << k.map;
  }
}

TEST(Exact, FisherOfTabularSoftmaxHasClosedFormBlocks) {
  // For a tabular softmax, Σ_a π g gᵀ on observation o's block is diag(π) − π πᵀ, so
  // F = Σ_s d(s)/Σd · (diag π_s − π_s π_sᵀ) placed on the block of obs_of_state(s).
  GridWorld env = shipped_world("classic-4x4", 0.1, 50);
  TabularSoftmax pi(env.num_obs(), 4);
  pi.set_params(random_params(pi.num_params(), 12));
  const Eigen::MatrixXd F = exact_fisher(env, pi);
  const ExactResult ex = exact_evaluate(env, pi);
  Eigen::MatrixXd ref = Eigen::MatrixXd::Zero(pi.num_params(), pi.num_params());
  const double total = ex.d.sum();
  for (int s = 0; s < env.num_obs(); ++s) {
    const Eigen::Vector4d p = ex.probs.row(s).transpose();
    const Eigen::Matrix4d block = Eigen::Matrix4d(p.asDiagonal()) - p * p.transpose();
    ref.block<4, 4>(4 * s, 4 * s) += ex.d[s] / total * block;
  }
  EXPECT_LE((F - ref).cwiseAbs().maxCoeff(), 1e-14);
  EXPECT_LE((F - F.transpose()).cwiseAbs().maxCoeff(), 0.0);
}

TEST(Exact, LargestMapWorks) {
  // 64×64 with scattered walls; start in the middle with a goal and a pit nearby so the policy
  // there matters (a far-away goal would leave ∇J ≈ 0 and the check empty).
  std::string text;
  for (int r = 0; r < 64; ++r) {
    std::string row(64, '.');
    if (r % 8 == 4) row[20] = '#', row[50] = '#';
    if (r == 32) row[32] = 'S', row[35] = 'X';
    if (r == 29) row[32] = 'G';
    text += row + "\n";
  }
  GridWorldConfig c;
  c.map = parse_grid_map(text, "big.txt");
  c.slip = 0.1;
  c.step_reward = 0.0;
  c.gamma = 0.95;
  for (int limit : {100, 0}) {
    c.step_limit = limit;
    GridWorld env(c);
    TabularSoftmax pi(env.num_obs(), 4);
    pi.set_params(random_params(pi.num_params(), 31, 0.3));
    const ExactResult ex = exact_evaluate(env, pi);
    EXPECT_TRUE(std::isfinite(ex.J));
    const double gmax = ex.gradient.lpNorm<Eigen::Infinity>();
    EXPECT_GT(gmax, 1e-3);
    // Derivatives at the start and two cells next to it, by Richardson as on the shipped maps.
    const Eigen::VectorXd theta = pi.params();
    Eigen::VectorXd t = theta;
    for (const auto& [r, col] : {std::pair{32, 32}, std::pair{31, 32}, std::pair{32, 34}}) {
      for (int a = 0; a < 4; ++a) {
        const int i = 4 * env.state_of_cell(r, col) + a;
        const auto j_at = [&](double v) {
          t[i] = v;
          pi.set_params(t);
          return exact_J(env, pi);
        };
        const double fd = richardson_derivative(j_at, theta[i]);
        t[i] = theta[i];
        pi.set_params(theta);
        EXPECT_NEAR(fd, ex.gradient[i], kFdTolerance * gmax) << "limit " << limit << " i " << i;
      }
    }
  }
}

TEST(Exact, Errors) {
  CartPole cartpole;
  TabularSoftmax pi(1, 2);
  EXPECT_THROW(exact_J(cartpole, pi), InputError);
  Bandit bandit;
  EXPECT_THROW(exact_J(bandit, pi), InputError);  // 2 actions vs 3 arms
  // γ = 1, no limit, and a policy that never moves right: episodes never end.
  ShortCorridor corridor({1.0, 0});
  TabularSoftmax stuck(1, 2);
  stuck.fill_rows({0.0, -1e4});  // P(right) = exp(−1e4) = 0 in double
  EXPECT_THROW(exact_J(corridor, stuck), InputError);
}

// The message a refusal gives (a throw that is not an InputError fails the test).
template <typename F>
std::string refusal(F&& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(Exact, EpisodesThatAlmostNeverEndAreRefusedNotSolvedWrong) {
  // γ = 1, no step limit. With logits [20, −20] P(right) = 4e-18, π(left) rounds to 1, and the
  // solve returned J = 0, V = +2.4e17 (every reward is −1) and a negative d; [50, −50] the same
  // with 2.7e43. Both must take the path [−50, 50] (episodes that never end) takes: InputError.
  ShortCorridor corridor({1.0, 0});
  TabularSoftmax pi(1, 2);
  for (const std::vector<double>& logits : {std::vector<double>{20, -20}, {50, -50}, {13, -13}}) {
    pi.fill_rows(logits);
    const std::string at = "logits [" + std::to_string(logits[0]) + ", −]";
    for (const std::string& m :
         {refusal([&] { exact_J(corridor, pi); }), refusal([&] { exact_evaluate(corridor, pi); }),
          refusal([&] { exact_fisher(corridor, pi); })}) {
      EXPECT_NE(m.find("env.gamma: with gamma = 1 and no step limit the episodes of this policy "
                       "almost never end"),
                std::string::npos)
          << at << ": " << m;
      EXPECT_NE(m.find("env.step_limit=1000"), std::string::npos) << at << ": " << m;
    }
  }
  pi.fill_rows({-50, 50});  // P(right) = 1: the corridor's switched state sends it back for ever
  EXPECT_NE(refusal([&] { exact_evaluate(corridor, pi); }).find("may never end"),
            std::string::npos);

  // [10, −10] and [12, −12] (expected lengths 1.9e9 and 1.1e11, below the 4.5e11 the solve is
  // trusted for) are solved, and right: the closed form within the error the bound allows
  // (ε · L ≈ 2.4e-5 at 1.1e11; measured 1.3e-7 and 1.1e-6 of J).
  for (const double z : {10.0, 12.0}) {
    pi.fill_rows({z, -z});
    double p[2];
    pi.probs_of(0, p);
    const ExactResult ex = exact_evaluate(corridor, pi);
    const double closed = short_corridor_closed_form_J(p[1]);
    EXPECT_NEAR(ex.J, closed, 1e-4 * std::abs(closed)) << z;
    EXPECT_NEAR(exact_J(corridor, pi), ex.J, 1e-4 * std::abs(closed)) << z;
    EXPECT_LE(ex.V.maxCoeff(), 0.0) << z;  // rewards are all −1
    EXPECT_GE(ex.d.minCoeff(), 0.0) << z;  // a visitation
    EXPECT_NEAR(ex.d.sum(), -ex.J, 1e-6 * std::abs(ex.J)) << z;
    EXPECT_NO_THROW(exact_fisher(corridor, pi)) << z;
  }
}

TEST(Exact, ShippedScenariosWithoutAStepLimitAreStillSolved) {
  // The refusal must not reach an honest world: the shipped scenarios with no step limit (and
  // every other) build, and the corridor's J at their start is the closed form.
  for (const char* name : {"short-corridor-reinforce", "off-policy-corridor"}) {
    const Session s(load_scenario(name));
    ASSERT_EQ(s.env().step_limit(), 0) << name;
    ASSERT_NE(s.exact(), nullptr) << name;
    double p[2];
    dynamic_cast<const TabularSoftmax&>(s.policy()).probs_of(0, p);
    EXPECT_NEAR(s.exact()->J, short_corridor_closed_form_J(p[1]), 1e-9) << name;
  }
  for (const std::string& file : list_scenarios()) EXPECT_NO_THROW(Session{load_scenario(file)});
}

}  // namespace
}  // namespace pg
