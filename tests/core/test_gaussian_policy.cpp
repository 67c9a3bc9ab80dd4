// Gaussian policies (policy/gaussian.h): ∇log π, ∇H and the reparameterised gradient against
// Richardson-extrapolated central differences (relative ≤ 1e-6, the bar), the squashed
// density, entropy and KL against numerical integrals, the batched forms against the single ones.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <vector>

#include "policy/gaussian.h"
#include "util/rng.h"

namespace pg {
namespace {

// Richardson-extrapolated central differences: D(h) = (f(θ+h) − f(θ−h))/2h has error c₂h² + c₄h⁴;
// (4 D(h/2) − D(h))/3 cancels c₂. With h = 1e-3 the truncation is O(1e-12) and rounding
// ≈ ε|f|/h ≈ 1e-13, far below the 1e-6 bar (measured worst relative error: see kFdRelTol).
Eigen::VectorXd numeric_grad(Policy& pi, const std::function<double()>& f) {
  const Eigen::VectorXd th = pi.params();
  Eigen::VectorXd g(th.size());
  auto central = [&](Eigen::Index k, double h) {
    Eigen::VectorXd t = th;
    t[k] = th[k] + h;
    pi.set_params(t);
    const double fp = f();
    t[k] = th[k] - h;
    pi.set_params(t);
    const double fm = f();
    return (fp - fm) / (2 * h);
  };
  const double h = 1e-3;
  for (Eigen::Index k = 0; k < th.size(); ++k)
    g[k] = (4.0 * central(k, h / 2) - central(k, h)) / 3.0;
  pi.set_params(th);
  return g;
}

// Relative error; a component far below the gradient's scale is measured against 1e-3 of the
// largest one (its absolute error is what rounding leaves there).
double rel_err(double a, double b, double scale) {
  return std::abs(a - b) / std::max({std::abs(b), 1e-3 * scale, 1e-12});
}

// The bar. Measured worst over these tests: 1.2e-9 (-march=native).
constexpr double kFdRelTol = 1e-6;

double max_rel_err(const Eigen::VectorXd& g, const Eigen::VectorXd& fd) {
  double worst = 0.0;
  for (Eigen::Index k = 0; k < g.size(); ++k)
    worst = std::max(worst, rel_err(g[k], fd[k], fd.lpNorm<Eigen::Infinity>()));
  return worst;
}

GaussianConfig config(int obs_dim, int d, bool state_dependent, bool squash) {
  GaussianConfig c;
  c.obs_dim = obs_dim;
  c.action_dim = d;
  c.hidden = {5, 4};
  c.state_dependent_std = state_dependent;
  c.init_log_std = -0.3;
  c.squash = squash;
  c.low.assign(d, -2.0);
  c.high.assign(d, 3.0);
  c.init_last_gain = 1.0;  // a mean far from 0, so every parameter matters
  return c;
}

// θ moved off its initial values (log σ parameters away from their shared constant).
void perturb(GaussianPolicy& pi, uint64_t seed) {
  Rng rng = Rng::stream(seed, 0, 0, Purpose::kLab);
  Eigen::VectorXd t = pi.params();
  for (Eigen::Index k = 0; k < t.size(); ++k) t[k] += 0.3 * rng.normal();
  pi.set_params(t);
}

struct Case {
  int obs_dim, d;
  bool state_dependent, squash;
};

class GaussianGrad : public ::testing::TestWithParam<Case> {};

TEST_P(GaussianGrad, LogProbAndEntropyMatchFiniteDifferences) {
  const Case c = GetParam();
  Rng init = Rng::stream(7, 0, 0, Purpose::kInit);
  GaussianPolicy pi(config(c.obs_dim, c.d, c.state_dependent, c.squash), init);
  perturb(pi, 11);
  Rng rng = Rng::stream(3, 0, 0, Purpose::kLab);
  double worst = 0.0;
  for (int trial = 0; trial < 4; ++trial) {
    std::vector<double> x(c.obs_dim), u(c.d);
    for (double& v : x) v = rng.uniform(-1.5, 1.5);
    const ObsRef o{-1, c.obs_dim ? x.data() : nullptr};
    std::vector<double> mu(c.d), ls(c.d);
    pi.mean_log_std(o, mu.data(), ls.data());
    for (int i = 0; i < c.d; ++i) u[i] = mu[i] + std::exp(ls[i]) * rng.normal() * 1.5;
    const ActRef a(-1, u.data());

    Eigen::VectorXd g = Eigen::VectorXd::Zero(pi.num_params());
    pi.add_grad_log_prob(o, a, 1.0, g);
    const Eigen::VectorXd fd = numeric_grad(pi, [&] { return pi.log_prob(o, a); });
    EXPECT_LE(max_rel_err(g, fd), kFdRelTol) << "∇log π, trial " << trial;
    worst = std::max(worst, max_rel_err(g, fd));

    Eigen::VectorXd gh = Eigen::VectorXd::Zero(pi.num_params());
    pi.add_grad_entropy(o, 1.0, gh);
    const Eigen::VectorXd fdh = numeric_grad(pi, [&] { return pi.entropy(o); });
    EXPECT_GT(fdh.lpNorm<Eigen::Infinity>(), 0.5);  // H depends on θ through log σ
    EXPECT_LE(max_rel_err(gh, fdh), kFdRelTol) << "∇H, trial " << trial;
    worst = std::max(worst, max_rel_err(gh, fdh));

    // The reparameterised form: f(θ) = Σ_i c_i a_i(θ, ε) + k log π(a(θ, ε)).
    std::vector<double> eps(c.d), dL_da(c.d), act(c.d);
    for (int i = 0; i < c.d; ++i) {
      eps[i] = rng.normal();
      dL_da[i] = rng.uniform(-2.0, 2.0);
    }
    const double k = -0.7;
    auto f = [&] {
      const double lp = pi.reparam_sample(o, eps.data(), act.data());
      double s = k * lp;
      for (int i = 0; i < c.d; ++i) s += dL_da[i] * act[i];
      return s;
    };
    Eigen::VectorXd gr = Eigen::VectorXd::Zero(pi.num_params());
    pi.add_grad_reparam(o, eps.data(), dL_da.data(), k, 1.0, gr);
    const Eigen::VectorXd fdr = numeric_grad(pi, f);
    EXPECT_LE(max_rel_err(gr, fdr), kFdRelTol) << "reparameterised gradient, trial " << trial;
    worst = std::max(worst, max_rel_err(gr, fdr));
  }
  RecordProperty("worst_rel_err", std::to_string(worst));
  std::printf("worst relative error vs Richardson FD: %.3g\n", worst);
}

INSTANTIATE_TEST_SUITE_P(Heads, GaussianGrad,
                         ::testing::Values(Case{3, 1, false, false}, Case{3, 2, false, false},
                                           Case{3, 2, true, false}, Case{0, 1, false, false},
                                           Case{0, 2, false, true}, Case{4, 2, true, true},
                                           Case{2, 1, false, true}));

// ∫ f(a) da over [lo, hi] by composite Simpson (n even).
double simpson(const std::function<double(double)>& f, double lo, double hi, int n) {
  const double h = (hi - lo) / n;
  double s = f(lo) + f(hi);
  for (int i = 1; i < n; ++i) s += (i % 2 ? 4.0 : 2.0) * f(lo + i * h);
  return s * h / 3.0;
}

TEST(GaussianPolicy, DensityEntropyAndKlMatchIntegrals) {
  Rng init = Rng::stream(5, 0, 0, Purpose::kInit);
  GaussianPolicy p(config(0, 1, false, false), init), q(config(0, 1, false, false), init);
  Eigen::VectorXd tp(2), tq(2);
  tp << 0.4, -0.2;  // μ, log σ
  tq << -0.3, 0.25;
  p.set_params(tp);
  q.set_params(tq);
  const ObsRef o{};
  auto dens = [](const Policy& pi, double u) { return std::exp(pi.log_prob(ObsRef{}, {-1, &u})); };
  const double lo = -15.0, hi = 15.0;
  EXPECT_NEAR(simpson([&](double u) { return dens(p, u); }, lo, hi, 20000), 1.0, 1e-12);
  const double h_num = simpson(
      [&](double u) {
        const double v = dens(p, u);
        return v > 0 ? -v * std::log(v) : 0.0;
      },
      lo, hi, 20000);
  EXPECT_NEAR(p.entropy(o), h_num, 1e-10);
  const double kl_num = simpson(
      [&](double u) {
        const double v = dens(p, u);
        return v > 0 ? v * (p.log_prob(o, {-1, &u}) - q.log_prob(o, {-1, &u})) : 0.0;
      },
      lo, hi, 20000);
  EXPECT_NEAR(p.kl(o, q), kl_num, 1e-10);
  EXPECT_EQ(p.kl(o, p), 0.0);
}

TEST(GaussianPolicy, SquashedDensityIntegratesToOneOverTheBounds) {
  // log π(a) = log N(u) − log((hi − lo)/2 (1 − tanh² u)), a = lo + (tanh u + 1)(hi − lo)/2:
  // integrate π over a ∈ (lo, hi) through u (da = (hi − lo)/2 (1 − tanh² u) du).
  Rng init = Rng::stream(5, 0, 0, Purpose::kInit);
  GaussianConfig c = config(0, 1, false, true);
  GaussianPolicy p(c, init);
  Eigen::VectorXd t(2);
  t << 0.8, 0.3;
  p.set_params(t);
  // On a grid in a: u = atanh(2(a − lo)/(hi − lo) − 1).
  const double lo = c.low[0], hi = c.high[0];
  auto pa = [&](double a) {
    const double u = std::atanh(2.0 * (a - lo) / (hi - lo) - 1.0);
    return std::exp(p.log_prob(ObsRef{}, {-1, &u}));
  };
  // Simpson in a is inexact near the bounds, where the density is steep (measured 3.6e-6 short);
  // a wrong log-det term (a missing scale (hi − lo)/2 = 2.5) would be off by a factor.
  const double e = 1e-9;
  EXPECT_NEAR(simpson(pa, lo + e, hi - e, 200000), 1.0, 2e-5);
  // The log-det term against the derivative of env_action: log|da/du| by Richardson-extrapolated
  // central differences (measured relative error ≤ 1e-10).
  for (double u : {-4.0, -1.3, 0.0, 0.2, 2.5}) {
    auto d = [&](double h) {
      double up = u + h, um = u - h, ap = 0, am = 0;
      p.env_action(&up, &ap);
      p.env_action(&um, &am);
      return (ap - am) / (2 * h);
    };
    const double da_du = (4 * d(5e-4) - d(1e-3)) / 3;
    EXPECT_NEAR(p.log_det_squash(&u), std::log(da_du), 1e-8) << u;
  }
  // env_action maps u into the bounds, and log-det is finite for large |u| (no 1 − tanh² = 0).
  for (double u : {-40.0, -3.0, 0.0, 2.0, 40.0}) {
    double a = 0;
    p.env_action(&u, &a);
    EXPECT_GE(a, lo);
    EXPECT_LE(a, hi);
    EXPECT_TRUE(std::isfinite(p.log_det_squash(&u)));
  }
  // Without squashing env_action is u itself (the environment clips).
  GaussianPolicy plain(config(0, 1, false, false), init);
  double u = 7.5, a = 0;
  plain.env_action(&u, &a);
  EXPECT_EQ(a, 7.5);
}

TEST(GaussianPolicy, BatchedFormsEqualSingleOnes) {
  Rng init = Rng::stream(9, 0, 0, Purpose::kInit);
  for (bool dep : {false, true}) {
    GaussianPolicy pi(config(3, 2, dep, false), init);
    perturb(pi, 4);
    const int n = 7;
    Eigen::MatrixXd X(3, n);
    std::vector<double> U(2 * n), scales(n), ent(n);
    Rng rng = Rng::stream(2, 0, 0, Purpose::kLab);
    for (int j = 0; j < n; ++j) {
      for (int i = 0; i < 3; ++i) X(i, j) = rng.uniform(-1, 1);
      U[2 * j] = rng.normal();
      U[2 * j + 1] = rng.normal();
      scales[j] = rng.uniform(-1, 1);
      ent[j] = rng.uniform(0, 1);
    }
    const ActionsRef acts(nullptr, U.data(), 2);
    std::vector<double> logp(n), h(n);
    pi.log_prob_batch(X, nullptr, acts, n, logp.data(), h.data());
    Eigen::VectorXd g_batch = Eigen::VectorXd::Zero(pi.num_params());
    pi.add_grad_surrogate_batch(X, nullptr, acts, scales.data(), ent.data(), n, g_batch, true);
    Eigen::VectorXd g_one = Eigen::VectorXd::Zero(pi.num_params());
    for (int j = 0; j < n; ++j) {
      const ObsRef o{-1, X.col(j).data()};
      EXPECT_NEAR(logp[j], pi.log_prob(o, acts.at(j)), 1e-13);
      EXPECT_NEAR(h[j], pi.entropy(o), 1e-13);
      pi.add_grad_log_prob(o, acts.at(j), scales[j], g_one);
      pi.add_grad_entropy(o, ent[j], g_one);
    }
    EXPECT_LE((g_batch - g_one).lpNorm<Eigen::Infinity>(),
              1e-12 * (1 + g_one.lpNorm<Eigen::Infinity>()));
  }
}

TEST(GaussianPolicy, SamplesHaveTheMeanAndSpread) {
  Rng init = Rng::stream(1, 0, 0, Purpose::kInit);
  GaussianPolicy pi(config(0, 1, false, false), init);
  Eigen::VectorXd t(2);
  t << 1.25, std::log(0.5);
  pi.set_params(t);
  Rng rng = Rng::stream(1, 0, 0, Purpose::kAction);
  const int n = 40000;
  double s = 0, s2 = 0;
  for (int k = 0; k < n; ++k) {
    double u = 0;
    const double lp = pi.sample(ObsRef{}, rng, nullptr, &u);
    ASSERT_EQ(lp, pi.log_prob(ObsRef{}, {-1, &u}));
    s += u;
    s2 += u * u;
  }
  const double mean = s / n, var = s2 / n - mean * mean;
  // 4 standard errors: the mean's is σ/√n = 0.0025; the variance's ≈ σ²√(2/n) = 0.0018.
  EXPECT_NEAR(mean, 1.25, 4 * 0.5 / std::sqrt(n));
  EXPECT_NEAR(var, 0.25, 4 * 0.25 * std::sqrt(2.0 / n));
}

}  // namespace
}  // namespace pg
