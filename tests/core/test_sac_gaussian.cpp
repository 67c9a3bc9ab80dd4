// SAC with continuous actions (core/algo/sac_gaussian.h) against references written from the
// definitions:
//  - every new gradient against Richardson-extrapolated central differences (relative ≤ 1e-6, the
//    issue's bar): the batched reparameterised policy gradient, ∂Q/∂a of the Q(s, a) critic, the
//    critic's regression loss in φ, and the actor's objective E[min Q(s, a_θ) − α log π(a_θ|s)];
//  - the batched reparameterised sample against the single-sample one (bit for bit);
//  - the critic's target y = r + γ(1 − terminated)(min Q̄(s′,a′) − α log π(a′|s′)) against a naive
//    per-transition loop;
//  - a short Pendulum run bit-identical on rerun, with α tuned and every piece moving;
//  - the refusals (one message naming the key).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <vector>

#include "algo/sac.h"
#include "algo/sac_gaussian.h"
#include "critic/q_function.h"
#include "io/scenario.h"
#include "policy/gaussian.h"
#include "rollout/replay.h"
#include "session/session.h"
#include "tiny_sac_pendulum.h"
#include "util/error.h"
#include "util/rng.h"

namespace pg {
namespace {

// Richardson-extrapolated central differences of f along each coordinate of x (set by `set`):
// D(h) = (f(x+h) − f(x−h))/2h has error c₂h² + c₄h⁴; (4 D(h/2) − D(h))/3 cancels c₂. h = 1e-3:
// truncation O(1e-12), rounding ≈ ε|f|/h ≈ 1e-13 (measured worst relative error: see kFdRelTol).
Eigen::VectorXd numeric_grad(const Eigen::VectorXd x0,  // a copy: set() may change its source
                             const std::function<void(const Eigen::VectorXd&)>& set,
                             const std::function<double()>& f) {
  Eigen::VectorXd g(x0.size());
  auto central = [&](Eigen::Index k, double h) {
    Eigen::VectorXd t = x0;
    t[k] = x0[k] + h;
    set(t);
    const double fp = f();
    t[k] = x0[k] - h;
    set(t);
    const double fm = f();
    return (fp - fm) / (2 * h);
  };
  const double h = 1e-3;
  for (Eigen::Index k = 0; k < x0.size(); ++k)
    g[k] = (4.0 * central(k, h / 2) - central(k, h)) / 3.0;
  set(x0);
  return g;
}

// Relative error; a component far below the gradient's scale is measured against 1e-3 of the
// largest one (its absolute error is what rounding leaves there).
double max_rel_err(const Eigen::VectorXd& g, const Eigen::VectorXd& fd) {
  const double scale = fd.lpNorm<Eigen::Infinity>();
  double worst = 0.0;
  for (Eigen::Index k = 0; k < g.size(); ++k)
    worst =
        std::max(worst, std::abs(g[k] - fd[k]) / std::max({std::abs(fd[k]), 1e-3 * scale, 1e-12}));
  return worst;
}

// The bar. Measured worst over these tests: printed by each (≈1e-9 on this machine).
constexpr double kFdRelTol = 1e-6;

GaussianConfig squashed_config(int obs_dim, int d) {
  GaussianConfig c;
  c.obs_dim = obs_dim;
  c.action_dim = d;
  c.hidden = {6, 5};
  c.state_dependent_std = obs_dim > 0;
  c.init_log_std = -0.3;
  c.squash = true;
  c.low.assign(d, -2.0);
  c.high.assign(d, 2.0);
  if (d > 1) c.low[1] = -0.5, c.high[1] = 1.5;  // asymmetric bounds in the second dimension
  c.init_last_gain = 0.8;                       // μ and log σ away from 0 (tanh not linear)
  return c;
}

Eigen::MatrixXd uniform_matrix(int rows, int cols, uint64_t key, double scale) {
  Rng rng(key);
  Eigen::MatrixXd m(rows, cols);
  for (int j = 0; j < cols; ++j)
    for (int i = 0; i < rows; ++i) m(i, j) = rng.uniform(-scale, scale);
  return m;
}

Eigen::MatrixXd normal_matrix(int rows, int cols, uint64_t key) {
  Rng rng(key);
  Eigen::MatrixXd m;
  draw_normals(rng, rows, cols, m);
  return m;
}

// A buffer of n transitions with random features, actions inside [−2, 2] and every third one
// terminated.
ReplayBuffer random_buffer(int obs_dim, int d, int n, uint64_t key) {
  ReplayBuffer buf(n, obs_dim, d);
  Rng rng(key);
  std::vector<double> x(obs_dim), nx(obs_dim), a(d);
  for (int k = 0; k < n; ++k) {
    for (int i = 0; i < obs_dim; ++i) x[i] = rng.uniform(-1, 1), nx[i] = rng.uniform(-1, 1);
    for (int i = 0; i < d; ++i) a[i] = rng.uniform(-2, 2);
    buf.push(-1, x.data(), -1, rng.uniform(-3, 0), -1, nx.data(), k % 3 == 2, false, 0, a.data());
  }
  return buf;
}

}  // namespace

TEST(SacGaussian, BatchedReparamMatchesSingleAndFiniteDifferences) {
  double worst = 0.0;
  for (const auto& [obs_dim, d] : {std::pair{3, 1}, std::pair{4, 2}, std::pair{0, 2}}) {
    Rng init(101 + obs_dim);
    GaussianPolicy pi(squashed_config(obs_dim, d), init);
    const int n = 4;
    const Eigen::MatrixXd X = uniform_matrix(obs_dim, n, 7, 1.0);
    const Eigen::MatrixXd eps = normal_matrix(d, n, 8);
    const Eigen::MatrixXd dL_da = uniform_matrix(d, n, 9, 2.0);
    const std::vector<double> dL_dlogp = {-0.7, 0.3, -0.1, 1.2};
    // Batched sample against the single-sample form, bit for bit.
    Eigen::MatrixXd a(d, n);
    std::vector<double> logp(n);
    pi.reparam_sample_batch(X, eps, n, a, logp.data());
    for (int j = 0; j < n; ++j) {
      std::vector<double> aj(d);
      const ObsRef o{-1, obs_dim > 0 ? X.col(j).data() : nullptr};
      EXPECT_EQ(pi.reparam_sample(o, eps.col(j).data(), aj.data()), logp[j]);
      for (int i = 0; i < d; ++i) {
        EXPECT_EQ(aj[i], a(i, j));
        EXPECT_GT(a(i, j), pi.config().low[i]);  // squashed inside the bounds
        EXPECT_LT(a(i, j), pi.config().high[i]);
      }
    }
    // f(θ) = Σ_j [Σ_i dL_da(i,j) a_ij(θ, ε_j) + dL_dlogp[j] log π(a_j(θ, ε_j))]
    auto f = [&] {
      pi.reparam_sample_batch(X, eps, n, a, logp.data());
      double s = 0.0;
      for (int j = 0; j < n; ++j) s += dL_da.col(j).dot(a.col(j)) + dL_dlogp[j] * logp[j];
      return s;
    };
    Eigen::VectorXd g = Eigen::VectorXd::Zero(pi.num_params());
    pi.add_grad_reparam_batch(X, eps, dL_da, dL_dlogp.data(), n, 1.0, g);
    const Eigen::VectorXd fd = numeric_grad(
        pi.params(), [&](const Eigen::VectorXd& t) { pi.set_params(t); }, f);
    ASSERT_GT(fd.norm(), 1e-2);
    EXPECT_LE(max_rel_err(g, fd), kFdRelTol) << "obs_dim " << obs_dim << " d " << d;
    worst = std::max(worst, max_rel_err(g, fd));
  }
  std::printf("reparameterised batch gradient: worst relative error %.3g\n", worst);
}

TEST(SacGaussian, ActionQGradientsMatchFiniteDifferences) {
  const int obs_dim = 3, d = 2, n = 5;
  Rng init(17);
  MlpActionQ q(obs_dim, d, {7, 6}, 1e-3, init);
  Eigen::MatrixXd XA(obs_dim + d, n);
  XA.topRows(obs_dim) = uniform_matrix(obs_dim, n, 18, 1.0);
  XA.bottomRows(d) = uniform_matrix(d, n, 19, 2.0);
  // ∂Q(s_j, a)/∂a at a_j, per sample.
  std::vector<double> qv(n);
  Eigen::MatrixXd dq(d, n);
  q.q_sa_grad_action(XA, n, qv.data(), dq);
  double worst = 0.0;
  for (int j = 0; j < n; ++j) {
    Eigen::MatrixXd col = XA.col(j);
    const Eigen::VectorXd a0 = XA.col(j).tail(d);
    double out = 0.0;
    const Eigen::VectorXd fd = numeric_grad(
        a0, [&](const Eigen::VectorXd& a) { col.col(0).tail(d) = a; },
        [&] {
          q.q_sa(col, 1, &out);
          return out;
        });
    q.q_sa(XA.col(j), 1, &out);
    EXPECT_EQ(out, qv[j]);  // the batched value is the single one
    EXPECT_LE(max_rel_err(dq.col(j), fd), kFdRelTol) << "sample " << j;
    worst = std::max(worst, max_rel_err(dq.col(j), fd));
  }
  // ∇φ L, L = ½ (1/B) Σ_b (Q_φ(s_b, a_b) − y_b)².
  const ReplayBuffer buf = random_buffer(obs_dim, d, 9, 20);
  const std::vector<int> idx = {0, 2, 2, 5, 8, 7};
  const std::vector<double> y = {-1.0, 0.5, 0.5, -2.0, 0.1, 0.7};
  const int B = static_cast<int>(idx.size());
  Eigen::VectorXd g, scratch;
  q.loss_grad(buf, idx.data(), y.data(), B, g);
  const Eigen::VectorXd fd = numeric_grad(
      q.params(), [&](const Eigen::VectorXd& p) { q.set_params(p); },
      [&] { return q.loss_grad(buf, idx.data(), y.data(), B, scratch); });
  EXPECT_LE(max_rel_err(g, fd), kFdRelTol);
  worst = std::max(worst, max_rel_err(g, fd));
  // A fit step descends L.
  const double before = q.fit_step(buf, idx.data(), y.data(), B);
  EXPECT_LT(q.loss_grad(buf, idx.data(), y.data(), B, scratch), before);
  std::printf("critic gradients (∂Q/∂a, ∇φ L): worst relative error %.3g\n", worst);
}

TEST(SacGaussian, ActorGradientMatchesFiniteDifferences) {
  const int obs_dim = 3, d = 2, B = 6;
  Rng init(23), r1(24), r2(25);
  GaussianPolicy pi(squashed_config(obs_dim, d), init);
  MlpActionQ q1(obs_dim, d, {8}, 1e-3, r1), q2(obs_dim, d, {8}, 1e-3, r2);
  const ReplayBuffer buf = random_buffer(obs_dim, d, 10, 26);
  const std::vector<int> idx = {1, 4, 4, 0, 9, 6};
  const Eigen::MatrixXd eps = normal_matrix(d, B, 27);
  SacGaussianScratch s;
  double worst = 0.0;
  for (const MlpActionQ* second :
       {static_cast<const MlpActionQ*>(nullptr), static_cast<const MlpActionQ*>(&q2)}) {
    const double alpha = 0.3;
    Eigen::VectorXd g = Eigen::VectorXd::Zero(pi.num_params());
    double h = 0.0;
    reparam_actor_objective(pi, q1, second, buf, idx.data(), B, alpha, eps, &g, &h, s);
    // H̄ = −mean log π of the same samples (what α is tuned on).
    double neg_logp = 0.0;
    for (int b = 0; b < B; ++b) neg_logp -= s.logp[b];
    EXPECT_DOUBLE_EQ(h, neg_logp / B);
    if (second) {  // the twin's min picks each critic somewhere, so both branches are checked
      int from_q2 = 0;
      for (int b = 0; b < B; ++b) {
        double qa = 0.0, qb = 0.0;
        Eigen::VectorXd xa(obs_dim + d);
        xa.head(obs_dim) = Eigen::Map<const Eigen::VectorXd>(buf.obs(idx[b]).x, obs_dim);
        pi.reparam_sample(buf.obs(idx[b]), eps.col(b).data(), xa.data() + obs_dim);  // the action
        q1.q_sa(xa, 1, &qa);
        q2.q_sa(xa, 1, &qb);
        from_q2 += qb < qa;
      }
      EXPECT_GT(from_q2, 0);
      EXPECT_LT(from_q2, B);
    }
    const Eigen::VectorXd fd = numeric_grad(
        pi.params(), [&](const Eigen::VectorXd& t) { pi.set_params(t); },
        [&] {
          return reparam_actor_objective(pi, q1, second, buf, idx.data(), B, alpha, eps, nullptr,
                                         nullptr, s);
        });
    ASSERT_GT(fd.norm(), 1e-2);
    EXPECT_LE(max_rel_err(g, fd), kFdRelTol) << (second ? "twin" : "single");
    worst = std::max(worst, max_rel_err(g, fd));
  }
  std::printf("actor gradient: worst relative error %.3g\n", worst);
}

TEST(SacGaussian, SampledTargetsMatchNaiveLoop) {
  const int obs_dim = 3, d = 1, n = 12;
  Rng init(31), r1(32), r2(33);
  GaussianPolicy pi(squashed_config(obs_dim, d), init);
  MlpActionQ q1(obs_dim, d, {8}, 1e-3, r1), q2(obs_dim, d, {8}, 1e-3, r2);
  const ReplayBuffer buf = random_buffer(obs_dim, d, n, 34);
  std::vector<int> idx(n);
  for (int k = 0; k < n; ++k) idx[k] = k;
  const Eigen::MatrixXd eps = normal_matrix(d, n, 35);
  const double gamma = 0.97, alpha = 0.4;
  SacGaussianScratch s;
  for (const MlpActionQ* second :
       {static_cast<const MlpActionQ*>(nullptr), static_cast<const MlpActionQ*>(&q2)}) {
    std::vector<double> y(n);
    sampled_soft_targets(pi, q1, second, buf, idx.data(), n, gamma, alpha, eps, y.data(), s);
    for (int k = 0; k < n; ++k) {
      double v = 0.0;
      if (!buf.terminated(k)) {
        double a = 0.0, qa = 0.0, qb = 0.0;
        const double logp = pi.reparam_sample(buf.next_obs(k), eps.col(k).data(), &a);
        Eigen::VectorXd xa(obs_dim + d);
        xa << Eigen::Map<const Eigen::VectorXd>(buf.next_obs(k).x, obs_dim), a;
        q1.q_sa(xa, 1, &qa);
        q2.q_sa(xa, 1, &qb);
        v = (second ? std::min(qa, qb) : qa) - alpha * logp;
      }
      EXPECT_NEAR(y[k], buf.reward(k) + gamma * v, 1e-12) << k;
    }
  }
}

using test::tiny_sac_pendulum;

TEST(SacGaussian, ShortRunIsBitIdenticalOnRerun) {
  const Scenario s = tiny_sac_pendulum();
  auto run = [&] {
    Session sess(s);
    EXPECT_TRUE(sess.run_iterations(13)) << sess.fault();
    return sess;
  };
  const Session a = run(), b = run();
  const auto& sa = dynamic_cast<const SacAlgorithm&>(a.algorithm());
  const auto& sb = dynamic_cast<const SacAlgorithm&>(b.algorithm());
  EXPECT_EQ(sa.action_dim(), 1);
  EXPECT_EQ(sa.replay().size(), 13 * 16);  // below the 256 capacity: nothing overwritten
  EXPECT_EQ(sa.replay().action_dim(), 1);
  for (int k = 0; k < sa.replay().size(); ++k) {  // stored as the env received them: in bounds
    EXPECT_GE(sa.replay().act(k)[0], -2.0);
    EXPECT_LE(sa.replay().act(k)[0], 2.0);
  }
  EXPECT_TRUE(a.policy().params() == b.policy().params());
  EXPECT_TRUE(sa.q1().params() == sb.q1().params());
  ASSERT_NE(sa.q2(), nullptr);
  EXPECT_TRUE(sa.q2()->params() == sb.q2()->params());
  EXPECT_EQ(sa.alpha(), sb.alpha());
  ASSERT_TRUE(
      std::isfinite(a.history().back().return_mean));  // the first episode ended (200 steps)
  EXPECT_EQ(a.history().back().return_mean, b.history().back().return_mean);
  // Everything learned: θ moved from its initial value, α was tuned away from sac.alpha.
  Session fresh(s);
  EXPECT_FALSE(a.policy().params() == fresh.policy().params());
  EXPECT_NE(sa.alpha(), s.sac.alpha);
  EXPECT_TRUE(std::isfinite(a.update_stats().get("q_loss")));
}

TEST(SacGaussian, RefusalsNameTheirKey) {
  auto expect_refused = [](const std::vector<std::pair<std::string, nlohmann::json>>& values,
                           const std::string& key) {
    Scenario s = load_scenario("sac-pendulum");
    try {
      set_values(s, values);
      Session sess(s);
      ADD_FAILURE() << "expected an InputError naming " << key;
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find(key), std::string::npos) << e.what();
    }
  };
  expect_refused({{"policy.squash", false}}, "policy.squash");
  expect_refused({{"critic.kind", "tabular"}}, "critic.kind");
  expect_refused({{"algorithm.name", "off-policy"}}, "algorithm.name");
  // Discrete SAC keeps its own target-entropy range.
  Scenario c = load_scenario("sac-cartpole");
  set_values(c, {{"sac.target_entropy", -1.0}});
  EXPECT_THROW(Session{c}, InputError);
}

}  // namespace pg
