#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <memory>
#include <vector>

#include "policy/mlp_softmax.h"
#include "policy/tabular_softmax.h"
#include "util/rng.h"

namespace pg {
namespace {

// Relative error of one component. Central differences carry roundoff ≈ ε·|f|/h ≈ 1e-10 absolute,
// so a component far below the gradient's scale is measured relative to 1% of the largest one.
double rel_err(double a, double b, double scale) {
  return std::abs(a - b) / std::max({std::abs(a) + std::abs(b), 1e-2 * scale, 1e-8});
}

// Central differences of f(θ) for every parameter, h = 1e-6.
Eigen::VectorXd numeric_grad(Policy& pi, const std::function<double()>& f) {
  const Eigen::VectorXd th = pi.params();
  Eigen::VectorXd g(th.size());
  const double h = 1e-6;
  for (Eigen::Index k = 0; k < th.size(); ++k) {
    Eigen::VectorXd t = th;
    t[k] = th[k] + h;
    pi.set_params(t);
    const double fp = f();
    t[k] = th[k] - h;
    pi.set_params(t);
    const double fm = f();
    g[k] = (fp - fm) / (2 * h);
  }
  pi.set_params(th);
  return g;
}

double log_prob(const Policy& pi, ObsRef o, int a) {
  std::vector<double> p(pi.num_actions());
  pi.probs(o, p.data());
  return std::log(p[a]);
}

// Checks ∇log π and ∇H at one observation against central differences, and Σπ = 1.
void check_at(Policy& pi, ObsRef o) {
  std::vector<double> p(pi.num_actions());
  pi.probs(o, p.data());
  double s = 0;
  for (double v : p) {
    EXPECT_GT(v, 0.0);
    s += v;
  }
  EXPECT_NEAR(s, 1.0, 1e-14);

  // Central differences with h = 1e-6 are dominated by rounding (δ/h ≈ 1e-10 for log π ≈ 1).
  // Measured worst rel_err: ∇log π 1.45e-7 portable (SSE2), 1.26e-7 -march=native (AVX-512, FMA);
  // ∇H 5.6e-8. The old 1e-6 was within 7×; 1e-5 leaves ≥ 70×, and a wrong gradient gives ≈ 1.
  const double kFdRelTol = 1e-5;
  for (int a = 0; a < pi.num_actions(); ++a) {
    Eigen::VectorXd g = Eigen::VectorXd::Zero(pi.num_params());
    pi.add_grad_log_prob(o, a, 1.0, g);
    const Eigen::VectorXd fd = numeric_grad(pi, [&] { return log_prob(pi, o, a); });
    for (Eigen::Index k = 0; k < g.size(); ++k)
      EXPECT_LE(rel_err(g[k], fd[k], fd.lpNorm<Eigen::Infinity>()), kFdRelTol)
          << "∇log π, a " << a << " param " << k << ": " << g[k] << " vs " << fd[k];
    // scale multiplies, and the call accumulates.
    Eigen::VectorXd g2 = g;
    pi.add_grad_log_prob(o, a, -2.5, g2);
    EXPECT_LE((g2 - (-1.5) * g).lpNorm<Eigen::Infinity>(),
              1e-14 * (1 + g.lpNorm<Eigen::Infinity>()));
  }

  Eigen::VectorXd gh = Eigen::VectorXd::Zero(pi.num_params());
  pi.add_grad_entropy(o, 1.0, gh);
  const Eigen::VectorXd fdh = numeric_grad(pi, [&] { return pi.entropy(o); });
  EXPECT_GT(gh.lpNorm<Eigen::Infinity>(), 1e-4);  // the test point is not a stationary point of H
  for (Eigen::Index k = 0; k < gh.size(); ++k)
    EXPECT_LE(rel_err(gh[k], fdh[k], fdh.lpNorm<Eigen::Infinity>()), kFdRelTol)
        << "∇H, param " << k << ": " << gh[k] << " vs " << fdh[k];
}

TEST(TabularSoftmaxGrad, MatchesFiniteDifferences) {
  TabularSoftmax pi(3, 4);
  Rng rng = Rng::stream(5, 0, 0, Purpose::kLab);
  Eigen::VectorXd th(pi.num_params());
  for (Eigen::Index k = 0; k < th.size(); ++k) th[k] = rng.normal();
  pi.set_params(th);
  for (int o = 0; o < 3; ++o) check_at(pi, ObsRef{o, nullptr});
}

class MlpSoftmaxGrad : public ::testing::TestWithParam<Activation> {};

TEST_P(MlpSoftmaxGrad, MatchesFiniteDifferences) {
  Rng init = Rng::stream(6, 0, 0, Purpose::kInit);
  MlpSoftmax pi(3, {5, 4}, GetParam(), 3, init);
  // The default init makes logits tiny (last gain 0.01); enlarge them so π is far from uniform.
  Rng rng = Rng::stream(6, 0, 0, Purpose::kLab);
  Eigen::VectorXd th = pi.params();
  for (Eigen::Index k = 0; k < th.size(); ++k) th[k] += 0.5 * rng.normal();
  pi.set_params(th);
  for (int i = 0; i < 3; ++i) {
    double x[3] = {rng.normal(), rng.normal(), rng.normal()};
    check_at(pi, ObsRef{-1, x});
  }
}

INSTANTIATE_TEST_SUITE_P(Activations, MlpSoftmaxGrad,
                         ::testing::Values(Activation::kTanh, Activation::kRelu));

// The batched gradient equals the sum of single ones (MLP override and the default loop).
void check_batch(const Policy& pi, const Eigen::MatrixXd& X, const std::vector<int>& index,
                 Rng& rng) {
  const int n = static_cast<int>(index.size());
  std::vector<int> actions(n);
  std::vector<double> scales(n);
  for (int j = 0; j < n; ++j) {
    actions[j] = static_cast<int>(rng.below(pi.num_actions()));
    scales[j] = rng.normal();
  }
  Eigen::VectorXd gb = Eigen::VectorXd::Zero(pi.num_params());
  pi.add_grad_log_prob_batch(X, index.data(), actions.data(), scales.data(), n, gb);
  Eigen::VectorXd gs = Eigen::VectorXd::Zero(pi.num_params());
  for (int j = 0; j < n; ++j)
    pi.add_grad_log_prob(ObsRef{index[j], X.size() ? X.col(j).data() : nullptr}, actions[j],
                         scales[j], gs);
  EXPECT_GT(gb.lpNorm<Eigen::Infinity>(), 1e-3);
  EXPECT_LE((gb - gs).lpNorm<Eigen::Infinity>(), 1e-12);
}

TEST(PolicyBatch, BatchedEqualsSumOfSingles) {
  Rng rng = Rng::stream(8, 0, 0, Purpose::kLab);
  {
    Rng init = Rng::stream(8, 0, 0, Purpose::kInit);
    MlpSoftmax pi(4, {16, 16}, Activation::kTanh, 3, init);
    Eigen::MatrixXd X(4, 37);
    for (Eigen::Index k = 0; k < X.size(); ++k) X.data()[k] = rng.normal();
    check_batch(pi, X, std::vector<int>(37, -1), rng);
    // probs_batch agrees with probs column by column.
    Eigen::MatrixXd P(3, 37);
    pi.probs_batch(X, P);
    for (int j = 0; j < 37; ++j) {
      double p[3];
      pi.probs(ObsRef{-1, X.col(j).data()}, p);
      for (int a = 0; a < 3; ++a) EXPECT_NEAR(P(a, j), p[a], 1e-15);
      EXPECT_NEAR(P.col(j).sum(), 1.0, 1e-14);
    }
  }
  {
    TabularSoftmax pi(5, 3);
    Eigen::VectorXd th(pi.num_params());
    for (Eigen::Index k = 0; k < th.size(); ++k) th[k] = rng.normal();
    pi.set_params(th);
    std::vector<int> index(20);
    for (int& i : index) i = static_cast<int>(rng.below(5));
    check_batch(pi, Eigen::MatrixXd(0, 0), index, rng);
  }
}

TEST(MlpSoftmax, SurrogateReusingTheForwardEqualsAFreshPassBitForBit) {
  // add_grad_surrogate_batch(reuse_forward) takes log π and H from the log_prob_batch before it
  // (when that call computed entropies): the gradient must be the fresh pass's, bit for bit, and a
  // log_prob_batch over other states without entropies must not leave the first call's logs in
  // use (same n, so only the invalidation tells them apart).
  Rng init = Rng::stream(12, 0, 0, Purpose::kInit);
  MlpSoftmax pi(4, {16, 16}, Activation::kTanh, 3, init);
  Rng rng = Rng::stream(12, 0, 0, Purpose::kLab);
  Eigen::VectorXd th = pi.params();
  for (Eigen::Index k = 0; k < th.size(); ++k) th[k] += 0.5 * rng.normal();
  pi.set_params(th);
  const int n = 29;
  Eigen::MatrixXd X1(4, n), X2(4, n);
  for (Eigen::Index k = 0; k < X1.size(); ++k) X1.data()[k] = rng.normal();
  for (Eigen::Index k = 0; k < X2.size(); ++k) X2.data()[k] = 2.0 * rng.normal();
  std::vector<int> actions(n), index(n, -1);
  std::vector<double> s(n), e(n), logp(n), h(n), logp_fresh(n);
  for (int j = 0; j < n; ++j) {
    actions[j] = static_cast<int>(rng.below(3));
    s[j] = rng.normal();
    e[j] = 0.1 * rng.normal();
  }
  const ActionsRef acts{actions.data()};
  auto fresh = [&](const Eigen::MatrixXd& X) {
    Eigen::VectorXd g = Eigen::VectorXd::Zero(pi.num_params());
    pi.add_grad_surrogate_batch(X, index.data(), acts, s.data(), e.data(), n, g);
    return g;
  };
  const Eigen::VectorXd want1 = fresh(X1), want2 = fresh(X2);
  EXPECT_GT((want1 - want2).lpNorm<Eigen::Infinity>(), 1e-3);

  Eigen::VectorXd g = Eigen::VectorXd::Zero(pi.num_params());
  pi.log_prob_batch(X1, index.data(), acts, n, logp.data(), h.data());
  pi.add_grad_surrogate_batch(X1, index.data(), acts, s.data(), e.data(), n, g, true);
  EXPECT_EQ(g, want1);
  // log π(a|x) and H from the cached logs equal the single-column computations: bit for bit where
  // a batch's columns are the one-column forward's bits (the 3 logits fill no whole packet in a
  // portable SSE2 build, so Eigen's product takes that layer there; a few ulp apart). Measured
  // over these 29 columns: |Δ log π| ≤ 4.4e-16 portable (0 native), |Δ H| ≤ 2.2e-16 in both, so
  // the margins (1e-14, 1e-15) are 20× and 4.5× what was measured.
  for (int j = 0; j < n; ++j) {
    double p[3];
    pi.probs(ObsRef{-1, X1.col(j).data()}, p);
    if (pi.batch_columns_exact())
      EXPECT_EQ(logp[j], std::log(p[actions[j]]));
    else
      EXPECT_NEAR(logp[j], std::log(p[actions[j]]), 1e-14);
    EXPECT_NEAR(h[j], -(p[0] * std::log(p[0]) + p[1] * std::log(p[1]) + p[2] * std::log(p[2])),
                1e-15);
  }

  pi.log_prob_batch(X1, index.data(), acts, n, logp.data(), h.data());
  pi.log_prob_batch(X2, index.data(), acts, n, logp_fresh.data(), nullptr);
  g.setZero();
  pi.add_grad_surrogate_batch(X2, index.data(), acts, s.data(), e.data(), n, g, true);
  EXPECT_EQ(g, want2);
}

TEST(MlpSoftmax, StartsNearUniformAndClones) {
  Rng init = Rng::stream(9, 0, 0, Purpose::kInit);
  MlpSoftmax pi(4, {64, 64}, Activation::kTanh, 2, init);
  EXPECT_EQ(pi.kind(), PolicyKind::kMlp);
  EXPECT_EQ(pi.num_params(), 4 * 64 + 64 + 64 * 64 + 64 + 64 * 2 + 2);
  const double x[4] = {0.1, -1.0, 0.5, 2.0};
  double p[2];
  pi.probs(ObsRef{-1, x}, p);
  EXPECT_NEAR(p[0], 0.5, 0.05);  // last-layer gain 0.01 keeps the logits small
  auto copy = pi.clone();
  double q[2];
  copy->probs(ObsRef{-1, x}, q);
  EXPECT_EQ(p[0], q[0]);
  EXPECT_EQ(copy->params(), pi.params());
}

}  // namespace
}  // namespace pg
