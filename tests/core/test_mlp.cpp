// GCC 12 flags -Wuninitialized inside avx512fintrin.h where Tanh.GroupedEqualsSingle inlines
// ptanh_double_n: the intrinsics' self-initialised "undefined" operand (`__m512d __Y = __Y;`,
// masked off), a false positive of that compiler. The state that counts is the one in effect
// where the header is read, hence before every include.
#pragma GCC diagnostic ignored "-Wuninitialized"
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <type_traits>
#include <vector>

#include "nn/mlp.h"
#include "nn/small_gemm.h"
#include "nn/tanh_packet.h"
#include "util/rng.h"

namespace pg {
namespace {

Eigen::MatrixXd random_matrix(int rows, int cols, Rng& rng, double scale = 1.0) {
  Eigen::MatrixXd m(rows, cols);
  for (int j = 0; j < cols; ++j)
    for (int i = 0; i < rows; ++i) m(i, j) = scale * rng.normal();
  return m;
}

// Naive per-sample reference: the network written out with explicit loops over the flat layout.
Eigen::VectorXd naive_forward(const Mlp& net, const Eigen::VectorXd& x) {
  const Eigen::VectorXd& th = net.params();
  Eigen::VectorXd a = x;
  for (int l = 0; l < net.num_layers(); ++l) {
    const int out = net.out_dim(l), in = net.in_dim(l);
    Eigen::VectorXd z(out);
    for (int i = 0; i < out; ++i) {
      double s = th[net.b_offset(l) + i];
      for (int j = 0; j < in; ++j) s += th[net.w_offset(l) + i * in + j] * a[j];
      z[i] = s;
    }
    if (l + 1 < net.num_layers()) {
      for (int i = 0; i < out; ++i)
        z[i] = net.shape().activation == Activation::kTanh ? std::tanh(z[i]) : std::max(z[i], 0.0);
    }
    a = z;
  }
  return a;
}

// Loss = Σ ⟨C, output(X)⟩ for a fixed random C.
double loss(Mlp& net, const Eigen::MatrixXd& X, const Eigen::MatrixXd& C) {
  Eigen::MatrixXd out = net.forward(X);
  return (out.array() * C.array()).sum();
}

double rel_err(double a, double b) {
  return std::abs(a - b) / std::max(1e-6, std::abs(a) + std::abs(b));
}

struct Case {
  int in;
  std::vector<int> hidden;
  int out;
  Activation act;
  int n;
};

class MlpGrad : public ::testing::TestWithParam<Case> {};

TEST_P(MlpGrad, BackwardMatchesCentralDifferences) {
  const Case c = GetParam();
  Rng rng = Rng::stream(11, c.in, c.out, Purpose::kLab);
  Mlp net({c.in, c.hidden, c.out, c.act});
  net.init(rng, 1.3, 0.7);
  // Non-zero biases so the bias gradients and relu kinks are exercised off the origin.
  Eigen::VectorXd th = net.params();
  for (int l = 0; l < net.num_layers(); ++l)
    for (int i = 0; i < net.out_dim(l); ++i) th[net.b_offset(l) + i] = 0.3 * rng.normal();
  net.set_params(th);
  const Eigen::MatrixXd X = random_matrix(c.in, c.n, rng);
  const Eigen::MatrixXd C = random_matrix(c.out, c.n, rng);

  net.forward(X);
  Eigen::VectorXd g = Eigen::VectorXd::Zero(net.num_params());
  Eigen::MatrixXd dX(c.in, c.n);
  net.backward(C, g, dX);

  // h = 1e-6 makes the rounding of the loss (δ ≈ 1e-15) dominate: δ/h ≈ 1e-9. Measured worst
  // rel_err over the cases: 2.5e-7 with -march=native on AVX-512 (FMA), 1.5e-7 portable (SSE2) —
  // within 4× of the old 1e-6; kFdRelTol = 1e-5 leaves 40×, and a wrong backward pass is off by
  // far more (a missing bias term or transposed weight gives rel_err ≈ 1).
  const double h = 1e-6;
  const double kFdRelTol = 1e-5;
  int checked = 0;
  for (int k = 0; k < net.num_params(); ++k) {
    Eigen::VectorXd tp = th, tm = th;
    tp[k] += h;
    tm[k] -= h;
    net.set_params(tp);
    const double lp = loss(net, X, C);
    net.set_params(tm);
    const double lm = loss(net, X, C);
    const double fd = (lp - lm) / (2 * h);
    if (c.act == Activation::kRelu) {
      // A kink inside [θ−h, θ+h] makes the difference meaningless; such points have measure zero
      // but skip them rather than fail on one.
      if (std::abs(fd - g[k]) > 1e-4 * (1 + std::abs(fd))) continue;
    }
    EXPECT_LE(rel_err(fd, g[k]), kFdRelTol)
        << "param " << k << " fd " << fd << " backward " << g[k];
    ++checked;
  }
  EXPECT_GE(checked, net.num_params() * 9 / 10);
  net.set_params(th);

  for (int j = 0; j < c.n; ++j)
    for (int i = 0; i < c.in; ++i) {
      Eigen::MatrixXd Xp = X, Xm = X;
      Xp(i, j) += h;
      Xm(i, j) -= h;
      const double fd = (loss(net, Xp, C) - loss(net, Xm, C)) / (2 * h);
      EXPECT_LE(rel_err(fd, dX(i, j)), kFdRelTol) << "dX(" << i << "," << j << ")";
    }
}

TEST_P(MlpGrad, BatchedEqualsPerSample) {
  const Case c = GetParam();
  Rng rng = Rng::stream(12, c.in, c.out, Purpose::kLab);
  Mlp net({c.in, c.hidden, c.out, c.act});
  net.init(rng);
  const Eigen::MatrixXd X = random_matrix(c.in, c.n, rng);
  const Eigen::MatrixXd C = random_matrix(c.out, c.n, rng);

  const Eigen::MatrixXd out = net.forward(X);
  Eigen::VectorXd g = Eigen::VectorXd::Zero(net.num_params());
  net.backward(C, g);

  Eigen::VectorXd g1 = Eigen::VectorXd::Zero(net.num_params());
  for (int j = 0; j < c.n; ++j) {
    const Eigen::VectorXd ref = naive_forward(net, X.col(j));
    const Eigen::MatrixXd o1 = net.forward(X.col(j));
    for (int i = 0; i < c.out; ++i) {
      EXPECT_NEAR(out(i, j), ref[i], 1e-12);
      EXPECT_NEAR(o1(i, 0), ref[i], 1e-12);
    }
    net.backward(C.col(j), g1);
  }
  EXPECT_LE((g - g1).lpNorm<Eigen::Infinity>(), 1e-12 * (1 + g.lpNorm<Eigen::Infinity>()));
}

// policy.precision = float32: the same network computed in float tracks float64. Error budget
// (unit roundoff u = 2^-24 ≈ 6.0e-8): X, θ and dOut are rounded once (u each), each dot product
// of depth d ≤ 64 adds at most γ_d ≈ d·u ≈ 3.8e-6 of Σ|w·a| (worst case; sums of O(1) terms with
// random signs give ≈ √d·u), tanh a few ulp, and three layers compound it by their gains (≤ 1.3
// here). The scale is 1 + max|value|, since for values near 0 only absolute error is meaningful.
// kFloatTol = 2e-5 is ≈ 5× the worst-case γ_64; measured worst over the cases below (-march=native
// on this AVX-512 machine): forward 1.3e-7, ∂/∂θ 4.3e-7, ∂/∂X 9.3e-8 (the 4-64-64-2 net at n =
// 512), so 46× room. A float path that kept stale float weights after set_params, or dropped the
// bias, is off by O(1). The errors must also be non-zero: a float32 network that silently ran in
// double would pass the tolerance but not that.
void expect_float32_tracks_float64(const Case& c) {
  const double kFloatTol = 2e-5;
  Rng rng = Rng::stream(13, c.in, c.out, Purpose::kLab);
  Mlp n64({c.in, c.hidden, c.out, c.act});
  n64.init(rng, 1.3, 0.7);
  Mlp n32({c.in, c.hidden, c.out, c.act, Precision::kFloat32});
  ASSERT_EQ(n32.precision(), Precision::kFloat32);
  n32.init(rng, 1.3, 0.7);  // different weights first, so set_params below must refresh them
  Eigen::VectorXd th = n64.params();
  for (int l = 0; l < n64.num_layers(); ++l)
    for (int i = 0; i < n64.out_dim(l); ++i) th[n64.b_offset(l) + i] = 0.3 * rng.normal();
  n64.set_params(th);
  n32.set_params(th);
  EXPECT_EQ(n32.params(), th);  // the double parameters are kept as given
  const Eigen::MatrixXd X = random_matrix(c.in, c.n, rng);
  const Eigen::MatrixXd C = random_matrix(c.out, c.n, rng);

  auto scaled_err = [](const auto& a, const auto& b) {
    return (a - b).template lpNorm<Eigen::Infinity>() / (1 + b.template lpNorm<Eigen::Infinity>());
  };
  const Eigen::MatrixXd o64 = n64.forward(X);
  const Eigen::MatrixXd o32 = n32.forward(X);
  const double e_out = scaled_err(o32, o64);
  EXPECT_LE(e_out, kFloatTol);
  for (int l = 0; l + 1 < n64.num_layers(); ++l)
    EXPECT_LE(scaled_err(Eigen::MatrixXd(n32.hidden_activations(l)),
                         Eigen::MatrixXd(n64.hidden_activations(l))),
              kFloatTol)
        << "hidden layer " << l;

  Eigen::VectorXd g64 = Eigen::VectorXd::Constant(n64.num_params(), 0.25);
  Eigen::VectorXd g32 = g64;  // backward adds to g in both precisions
  Eigen::MatrixXd dx64(c.in, c.n), dx32(c.in, c.n);
  n64.backward(C, g64, dx64);
  n32.backward(C, g32, dx32);
  const double e_g = scaled_err(g32, g64), e_dx = scaled_err(dx32, dx64);
  EXPECT_LE(e_g, kFloatTol);
  EXPECT_LE(e_dx, kFloatTol);
  EXPECT_GT(e_out + e_g, 0.0) << "the float32 network computed in double";
  std::printf(
      "float32 vs float64 (in %d, %zu hidden, out %d, n %d): forward %.2e, dθ %.2e, "
      "dX %.2e\n",
      c.in, c.hidden.size(), c.out, c.n, e_out, e_g, e_dx);
}

TEST_P(MlpGrad, Float32TracksFloat64) {
  expect_float32_tracks_float64(GetParam());
}

// The shapes pglab trains (CleanRL's 4-64-64 actor and critic) at PPO's batch sizes.
TEST(Mlp, Float32TracksFloat64AtTrainingShapes) {
  expect_float32_tracks_float64({4, {64, 64}, 2, Activation::kTanh, 512});
  expect_float32_tracks_float64({4, {64, 64}, 1, Activation::kTanh, 128});
  expect_float32_tracks_float64({3, {64, 64}, 3, Activation::kRelu, 200});
  expect_float32_tracks_float64({16, {64}, 4, Activation::kTanh, 1});
  // W laid out column-major by whole packet-square tiles plus edges (48 × 20: 16-float tiles and
  // 4 edge columns; 32 × 48: tiles only), against float64 (checked below against Eigen).
  expect_float32_tracks_float64({20, {48, 32}, 3, Activation::kTanh, 64});
}

INSTANTIATE_TEST_SUITE_P(Shapes, MlpGrad,
                         ::testing::Values(Case{4, {8, 8}, 2, Activation::kTanh, 5},
                                           Case{3, {}, 4, Activation::kTanh, 3},
                                           Case{2, {5}, 3, Activation::kTanh, 9},
                                           Case{5, {3, 7, 4}, 2, Activation::kTanh, 4},
                                           Case{4, {8, 8}, 2, Activation::kRelu, 5},
                                           Case{3, {6, 2}, 1, Activation::kRelu, 7},
                                           Case{6, {4}, 5, Activation::kRelu, 3}));

TEST(Mlp, OrthogonalInit) {
  Rng rng = Rng::stream(3, 0, 0, Purpose::kInit);
  Mlp net({4, {64, 32}, 2, Activation::kTanh});
  const double gain = 1.4142135623730951, last = 0.01;
  net.init(rng, gain, last);
  for (int l = 0; l < net.num_layers(); ++l) {
    const double s = l + 1 == net.num_layers() ? last : gain;
    const Eigen::MatrixXd w = net.W(l) / s;
    // Orthonormal rows when out ≤ in, orthonormal columns otherwise.
    const Eigen::MatrixXd gram = net.out_dim(l) <= net.in_dim(l)
                                     ? Eigen::MatrixXd(w * w.transpose())
                                     : Eigen::MatrixXd(w.transpose() * w);
    EXPECT_LE(
        (gram - Eigen::MatrixXd::Identity(gram.rows(), gram.cols())).lpNorm<Eigen::Infinity>(),
        1e-12)
        << "layer " << l;
    EXPECT_EQ(net.b(l).lpNorm<Eigen::Infinity>(), 0.0);
  }
  // Same stream, same weights; another stream, other weights.
  Mlp again({4, {64, 32}, 2, Activation::kTanh});
  Rng rng2 = Rng::stream(3, 0, 0, Purpose::kInit);
  again.init(rng2, gain, last);
  EXPECT_EQ(net.params(), again.params());
  Rng rng3 = Rng::stream(4, 0, 0, Purpose::kInit);
  again.init(rng3, gain, last);
  EXPECT_NE(net.params(), again.params());
}

TEST(Mlp, FlatLayoutIsRowMajorWThenB) {
  Mlp net({3, {2}, 1, Activation::kTanh});
  ASSERT_EQ(net.num_params(), 2 * 3 + 2 + 1 * 2 + 1);
  Eigen::VectorXd th(net.num_params());
  for (int k = 0; k < th.size(); ++k) th[k] = k;
  net.set_params(th);
  EXPECT_EQ(net.W(0)(0, 1), 1.0);
  EXPECT_EQ(net.W(0)(1, 0), 3.0);
  EXPECT_EQ(net.b(0)[1], 7.0);
  EXPECT_EQ(net.W(1)(0, 1), 9.0);
  EXPECT_EQ(net.b(1)[0], 10.0);
}

TEST(Tanh, MatchesStdTanh) {
  std::vector<double> xs;
  for (double x = -25.0; x <= 25.0; x += 0.0137) xs.push_back(x);
  for (double x = -1.0; x <= 1.0; x += 1.0 / 4096) xs.push_back(x);
  for (double e = -300; e < 1; e += 0.5) {
    xs.push_back(std::pow(10.0, e));
    xs.push_back(-std::pow(10.0, e));
  }
  xs.push_back(0.625);
  xs.push_back(std::nextafter(0.625, 1.0));
  xs.push_back(-0.625);
  xs.push_back(0.0);
  xs.push_back(1e300);
  xs.push_back(-1e300);
  std::vector<double> ys = xs;
  tanh_inplace(ys.data(), static_cast<Eigen::Index>(ys.size()));
  double worst = 0.0;
  for (size_t i = 0; i < xs.size(); ++i) {
    const double ref = std::tanh(xs[i]);
    const double rel = ref == 0.0 ? std::abs(ys[i]) : std::abs(ys[i] - ref) / std::abs(ref);
    worst = std::max(worst, rel);
    // The 4-ulp error analysis of ptanh_double (DenseSweepWithinFourUlp) in relative terms:
    // 4 · 2⁻⁵² relative is 8.9e-16 ≤ 1e-15. Measured worst 4.0e-16 here (AVX-512 with FMA); the
    // packet width does not change the per-element arithmetic.
    ASSERT_LE(rel, 1e-15) << "x = " << xs[i] << " got " << ys[i] << " want " << ref;
  }
  EXPECT_GT(worst, 0.0);  // the fast path really is a different computation
  std::printf("fast tanh vs std::tanh: worst relative error %.2e\n", worst);
  std::vector<double> nan = {std::nan(""), 1.0, 2.0};
  tanh_inplace(nan.data(), 3);
  EXPECT_TRUE(std::isnan(nan[0]));
  // Position independence: a tail element gets the same bits as a packet element.
  double one[1] = {0.3};
  tanh_inplace(one, 1);
  std::vector<double> many(17, 0.3);
  tanh_inplace(many.data(), 17);
  for (double v : many) EXPECT_EQ(v, one[0]);
}

// small_gemm against its three-loop reference, in both precisions, at every init, both stride
// patterns of R (column-major as in W·A and Wᵀ·δ; transposed as in A·δᵀ), row counts of one packet,
// of a whole register block and of a block plus a packet, for the one- and two-column products'
// blocks (twice as tall) too, and column counts whole in 6-column blocks and with every tail width
// (1 to 5). Both sum in k order from the same init; they differ only where the kernel fuses a
// multiply and an add, at most one rounding per term, so |error| ≤ K u Σ|terms|: for K ≤ 64 that
// is 7.1e-15 (double) and 3.8e-6 (float) of the scale Σ|terms|. Bounds 1e-12 and 1e-5; measured
// worst printed.
template <class S>
void small_gemm_against_naive(double tol) {
  Rng rng = Rng::stream(5, 0, 0, Purpose::kLab);
  constexpr int P = small_gemm_packet<S>();
  double worst = 0.0;
  for (const int m : {P, 2 * P, 4 * P, 5 * P, 8 * P, 9 * P, 64})
    for (const int n : {1, 2, 3, 4, 5, 6, 12, 64, 131})
      for (const int K : {1, 4, 64})
        for (const bool transposed : {false, true})
          for (const GemmInit init : {GemmInit::kZero, GemmInit::kBias, GemmInit::kAccumulate}) {
            if (!small_gemm_fits<S>(m)) continue;
            const int ldl = m + 3, ldc = m + 1;  // leading dimensions wider than the block
            std::vector<S> L(static_cast<size_t>(ldl) * K), R(static_cast<size_t>(K) * n), bias(m),
                C0(static_cast<size_t>(ldc) * n);
            for (auto* v : {&L, &R, &bias, &C0})
              for (S& x : *v) x = static_cast<S>(rng.normal());
            const int rk = transposed ? n : 1, rj = transposed ? 1 : K;
            std::vector<S> C = C0, Cn = C0;
            small_gemm<S>(m, n, K, L.data(), ldl, R.data(), rk, rj, C.data(), ldc, init,
                          bias.data());
            small_gemm_naive<S>(m, n, K, L.data(), ldl, R.data(), rk, rj, Cn.data(), ldc, init,
                                bias.data());
            for (int j = 0; j < n; ++j)
              for (int i = 0; i < m; ++i) {
                double scale = init == GemmInit::kZero   ? 0.0
                               : init == GemmInit::kBias ? std::abs(double(bias[i]))
                                                         : std::abs(double(C0[i + j * ldc]));
                for (int k = 0; k < K; ++k)
                  scale += std::abs(double(L[i + k * ldl]) * double(R[k * rk + j * rj]));
                const double err = std::abs(double(C[i + j * ldc]) - double(Cn[i + j * ldc]));
                worst = std::max(worst, err / scale);
                ASSERT_LE(err, tol * scale) << "m " << m << " n " << n << " K " << K;
              }
            // Columns past n and rows past m (the leading dimension's slack) are untouched.
            for (int j = 0; j < n; ++j)
              for (int i = m; i < ldc; ++i) ASSERT_EQ(C[i + j * ldc], C0[i + j * ldc]);
          }
  std::printf("small_gemm vs naive (%s, packet %d): worst %.2e of scale\n",
              sizeof(S) == 8 ? "double" : "float", P, worst);
}

// small_gemm_rows (the thin layers' dot products) against plain loops: m ≤ one packet rows, K with
// and without a tail of k, wider leading dimensions. It sums each dot product in another order
// (packet lanes, then the tail), so the bound is the same K u Σ|terms| as above.
template <class S>
void small_gemm_rows_against_naive(double tol) {
  Rng rng = Rng::stream(6, 0, 0, Purpose::kLab);
  double worst = 0.0;
  for (const int m : {1, 2})
    for (const int n : {1, 5, 131})
      for (const int K : {3, 64, 67}) {
        const int ldr = K + 2, rj = K + 1, ldc = m + 1;
        std::vector<S> L(static_cast<size_t>(ldr) * m), R(static_cast<size_t>(rj) * n), b(m),
            C(static_cast<size_t>(ldc) * n, S(7));
        for (auto* v : {&L, &R, &b})
          for (S& x : *v) x = static_cast<S>(rng.normal());
        small_gemm_rows<S>(m, n, K, L.data(), ldr, R.data(), rj, C.data(), ldc, b.data());
        for (int j = 0; j < n; ++j)
          for (int i = 0; i < m; ++i) {
            double ref = b[i], scale = std::abs(double(b[i]));
            for (int k = 0; k < K; ++k) {
              ref += double(L[i * ldr + k]) * double(R[k + j * rj]);
              scale += std::abs(double(L[i * ldr + k]) * double(R[k + j * rj]));
            }
            const double err = std::abs(double(C[i + j * ldc]) - ref);
            worst = std::max(worst, err / scale);
            ASSERT_LE(err, tol * scale) << "m " << m << " n " << n << " K " << K;
            for (int r = m; r < ldc; ++r) ASSERT_EQ(C[r + j * ldc], S(7));
          }
      }
  std::printf("small_gemm_rows vs naive (%s): worst %.2e of scale\n",
              sizeof(S) == 8 ? "double" : "float", worst);
}

TEST(SmallGemm, RowsEqualNaiveReferenceDouble) {
  small_gemm_rows_against_naive<double>(1e-12);
}
TEST(SmallGemm, RowsEqualNaiveReferenceFloat) {
  small_gemm_rows_against_naive<float>(1e-5);
}

// The fused epilogues (tanh for a forward, · (1 − A²) for a backward) against the same product
// stored plain and then passed through the separate operation, and against the three-loop reference
// with std::tanh. Against the separate pass the sums are the same, so only the epilogue's own
// rounding can differ (≤ 4 ulp of the result: its tanh is the activation pass's, 1 − a² one
// multiply and one subtraction either way, maybe fused into one rounding); against the reference
// the sums differ by ≤ K u Σ|terms| as above, which tanh (slope ≤ 1) and the factor 1 − a² ∈ [0, 1]
// do not enlarge, plus tanh's own 4 ulp. Bounds: 4 ulp of the result; tol · scale + 8 ulp.
template <class S>
void small_gemm_epilogues(double tol) {
  Rng rng = Rng::stream(7, 0, 0, Purpose::kLab);
  constexpr int P = small_gemm_packet<S>();
  const double u = std::numeric_limits<S>::epsilon();
  double worst_sep = 0.0, worst_ref = 0.0;
  for (const int m : {P, 4 * P, 9 * P, 64})
    for (const int n : {1, 2, 3, 6, 7, 131})
      for (const int K : {2, 64})
        for (const GemmEpilogue epi : {GemmEpilogue::kTanh, GemmEpilogue::kTanhPrime}) {
          if (!small_gemm_fits<S>(m)) continue;
          const int ldl = m + 3, ldc = m + 2 * P;  // columns of C stay packet-aligned in size
          std::vector<S> L(static_cast<size_t>(ldl) * K), R(static_cast<size_t>(K) * n), bias(m),
              A(static_cast<size_t>(ldc) * n);
          for (auto* v : {&L, &R, &bias})
            for (S& x : *v) x = static_cast<S>(0.3 * rng.normal());
          for (S& x : A) x = static_cast<S>(std::tanh(rng.normal()));
          const GemmInit init = epi == GemmEpilogue::kTanh ? GemmInit::kBias : GemmInit::kZero;
          std::vector<S> C(static_cast<size_t>(ldc) * n, S(7)), plain = C, ref = C;
          small_gemm<S>(m, n, K, L.data(), ldl, R.data(), 1, K, C.data(), ldc, init, bias.data(),
                        {epi, A.data()});
          small_gemm<S>(m, n, K, L.data(), ldl, R.data(), 1, K, plain.data(), ldc, init,
                        bias.data());
          small_gemm_naive<S>(m, n, K, L.data(), ldl, R.data(), 1, K, ref.data(), ldc, init,
                              bias.data(), {epi, A.data()});
          for (int j = 0; j < n; ++j) {
            // The separate pass, as Mlp ran it before the fusion.
            Eigen::Map<Eigen::Array<S, Eigen::Dynamic, 1>> col(plain.data() + j * ldc, m);
            const Eigen::Map<const Eigen::Array<S, Eigen::Dynamic, 1>> a(A.data() + j * ldc, m);
            if (epi == GemmEpilogue::kTanh) {
              if constexpr (std::is_same_v<S, double>)
                tanh_inplace(col.data(), m);
              else
                col = col.tanh();
            } else {
              col *= S(1) - a.square();
            }
            for (int i = 0; i < m; ++i) {
              const double c = C[i + j * ldc], sep = plain[i + j * ldc], r = ref[i + j * ldc];
              double scale = init == GemmInit::kBias ? std::abs(double(bias[i])) : 0.0;
              for (int k = 0; k < K; ++k)
                scale += std::abs(double(L[i + k * ldl]) * double(R[k + j * K]));
              worst_sep = std::max(worst_sep, std::abs(c - sep) / (u * std::abs(sep) + 1e-300));
              worst_ref = std::max(worst_ref, std::abs(c - r) / (tol * scale + 8 * u));
              ASSERT_LE(std::abs(c - sep), 4 * u * std::abs(sep)) << "m " << m << " n " << n;
              ASSERT_LE(std::abs(c - r), tol * scale + 8 * u) << "m " << m << " n " << n;
            }
            for (int i = m; i < ldc; ++i) ASSERT_EQ(C[i + j * ldc], S(7));  // slack untouched
          }
        }
  std::printf(
      "epilogues (%s): worst %.2f ulp from the separate pass, %.2f of the bound from the "
      "reference\n",
      sizeof(S) == 8 ? "double" : "float", worst_sep, worst_ref);
}

TEST(SmallGemm, EpiloguesEqualTheSeparatePassesDouble) {
  small_gemm_epilogues<double>(1e-12);
}
TEST(SmallGemm, EpiloguesEqualTheSeparatePassesFloat) {
  small_gemm_epilogues<float>(1e-5);
}

TEST(SmallGemm, EqualsNaiveReferenceDouble) {
  small_gemm_against_naive<double>(1e-12);
}
TEST(SmallGemm, EqualsNaiveReferenceFloat) {
  small_gemm_against_naive<float>(1e-5);
}

// The 64-wide layers go through small_gemm and the thin output layers (2 logits, 1 value) through
// small_gemm_rows, whose element bits depend only on their own row and column: a sample's hidden
// activations and outputs computed in a batch of 131 have the bits of the same sample computed
// alone or in fours (the register block's tail, a whole block and both), in both precisions. This
// is what lets a rollout's one-column forward stand for the batch's.
TEST(Mlp, ForwardDoesNotDependOnTheBatch) {
  Rng rng = Rng::stream(12, 0, 0, Purpose::kLab);
  for (const Precision prec : {Precision::kFloat64, Precision::kFloat32})
    for (const int out : {2, 1}) {
      Mlp net(MlpShape{4, {64, 64}, out, Activation::kTanh, prec});
      Rng init = Rng::stream(3, 0, 0, Purpose::kInit);
      net.init(init);
      Eigen::VectorXd th = net.params();  // non-zero biases, so their place in the sum counts
      for (int l = 0; l < net.num_layers(); ++l)
        for (int i = 0; i < net.out_dim(l); ++i) th[net.b_offset(l) + i] = 0.3 * rng.normal();
      net.set_params(th);
      const Eigen::MatrixXd X = random_matrix(4, 131, rng);
      const Eigen::MatrixXd y = net.forward(X);
      const Eigen::MatrixXd h0 = net.hidden_activations(0), h1 = net.hidden_activations(1);
      for (const int width : {1, 4})
        for (int j = 0; j + width <= 131; j += 7) {
          const Eigen::MatrixXd yj = net.forward(X.middleCols(j, width));
          for (int c = 0; c < width; ++c) {
            for (int i = 0; i < 64; ++i) {
              ASSERT_EQ(net.hidden_activations(0)(i, c), h0(i, j + c)) << "column " << j + c;
              ASSERT_EQ(net.hidden_activations(1)(i, c), h1(i, j + c)) << "column " << j + c;
            }
            for (int i = 0; i < out; ++i) ASSERT_EQ(yj(i, c), y(i, j + c)) << "column " << j + c;
          }
        }
    }
}

// mlp.cpp's passes (bias and activation fused, ∂/∂W blocked) against the network written as
// whole-matrix Eigen products, forward and backward (∂θ and ∂X), at PPO's shapes and batch sizes
// and at thin (≤ 8) and square layers, tanh and ReLU. The blocked ∂/∂W, the bias gradient as a
// product with 1 and the fast tanh (≤ 4 ulp) round differently from the reference: measured worst
// 1.6e-15 relative to the largest element; the bound 1e-12 leaves room for other summation orders
// (SSE2, AVX2) while a wrong index, a lost bias or a skipped block is off by O(1).
TEST(Mlp, PassesMatchWholeMatrixProducts) {
  Rng rng = Rng::stream(11, 0, 0, Purpose::kLab);
  struct Shape {
    int in;
    std::vector<int> hidden;
    int out;
    Activation act;
  };
  const std::vector<Shape> shapes = {{4, {64, 64}, 2, Activation::kTanh},
                                     {4, {64, 64}, 1, Activation::kTanh},
                                     {16, {8, 3}, 12, Activation::kTanh},
                                     {9, {9}, 9, Activation::kRelu},
                                     {1, {8}, 1, Activation::kRelu},
                                     {20, {48, 32}, 3, Activation::kTanh}};  // tiles and edges
  double worst = 0.0;
  for (const Shape& sh : shapes) {
    Mlp net(MlpShape{sh.in, sh.hidden, sh.out, sh.act});
    Rng init = Rng::stream(3, 0, 0, Purpose::kInit);
    net.init(init, 1.4142135623730951, 1.0);
    Eigen::VectorXd th = net.params();  // non-zero biases, so their addition is exercised
    for (int l = 0; l < net.num_layers(); ++l)
      for (int i = 0; i < net.out_dim(l); ++i) th[net.b_offset(l) + i] = 0.3 * rng.normal();
    net.set_params(th);
    const int L = net.num_layers();
    for (const int n : {1, 3, 7, 128, 512}) {
      const Eigen::MatrixXd X = random_matrix(sh.in, n, rng);
      const Eigen::MatrixXd C = random_matrix(sh.out, n, rng);
      // Reference forward: A_0 = X, Z_l = W_l A_l + b_l 1ᵀ, A_{l+1} = act(Z_l).
      std::vector<Eigen::MatrixXd> A{X}, Z;
      for (int l = 0; l < L; ++l) {
        Eigen::MatrixXd z = net.W(l) * A[l];
        z.colwise() += net.b(l);
        Z.push_back(z);
        if (l + 1 < L)
          A.push_back(sh.act == Activation::kTanh ? Eigen::MatrixXd(z.array().tanh())
                                                  : Eigen::MatrixXd(z.array().max(0.0)));
      }
      // Reference backward: D_{L-1} = C; ∂W_l = D_l A_lᵀ, ∂b_l = D_l 1; D_{l-1} = W_lᵀ D_l ⊙ act′.
      Eigen::VectorXd g_ref = Eigen::VectorXd::Zero(net.num_params());
      Eigen::MatrixXd D = C, dx_ref;
      for (int l = L - 1; l >= 0; --l) {
        const RowMatrix gw = D * A[l].transpose();
        g_ref.segment(net.w_offset(l), gw.size()) =
            Eigen::Map<const Eigen::VectorXd>(gw.data(), gw.size());
        g_ref.segment(net.b_offset(l), net.out_dim(l)) = D.rowwise().sum();
        Eigen::MatrixXd up = net.W(l).transpose() * D;
        if (l == 0) {
          dx_ref = up;
        } else if (sh.act == Activation::kTanh) {
          D = up.array() * (1.0 - A[l].array().square());
        } else {
          D = up.array() * (Z[l - 1].array() > 0.0).cast<double>();
        }
      }
      const Eigen::MatrixXd out = net.forward(X);
      Eigen::VectorXd g = Eigen::VectorXd::Zero(net.num_params());
      Eigen::MatrixXd dx(sh.in, n);
      net.backward(C, g, dx);
      auto rel = [](const auto& a, const auto& b) {
        return (a - b).template lpNorm<Eigen::Infinity>() /
               std::max(1e-300, b.template lpNorm<Eigen::Infinity>());
      };
      const double e[3] = {rel(out, Z.back()), rel(g, g_ref), rel(dx, dx_ref)};
      for (int k = 0; k < 3; ++k) {
        EXPECT_LE(e[k], 1e-12) << "in " << sh.in << " out " << sh.out << " n " << n << " part "
                               << k;
        worst = std::max(worst, e[k]);
      }
    }
  }
  std::printf("passes vs whole-matrix products: worst relative error %.2e\n", worst);
}

// The ulp distance of two finite doubles of the same sign.
long ulp_distance(double a, double b) {
  if (a == b) return 0;
  int64_t ia, ib;
  std::memcpy(&ia, &a, sizeof a);
  std::memcpy(&ib, &b, sizeof b);
  if ((ia < 0) != (ib < 0)) return std::numeric_limits<long>::max();
  return static_cast<long>(std::abs(ia - ib));
}

// ptanh_double_n (N packets side by side, what tanh_inplace and small_gemm's fused epilogue run)
// gives every lane the bits ptanh_double gives it alone: the same operations, only interleaved.
template <int N>
void expect_grouped_equals_single(const std::vector<double>& xs) {
  using tanh_detail::kPacket;
  using tanh_detail::Packet;
  const size_t chunk = static_cast<size_t>(N) * kPacket;
  for (size_t i0 = 0; i0 + chunk <= xs.size(); i0 += chunk) {
    Packet v[N];
    for (int g = 0; g < N; ++g)
      v[g] = Eigen::internal::ploadu<Packet>(xs.data() + i0 + g * kPacket);
    tanh_detail::ptanh_double_n<N>(v);
    for (int g = 0; g < N; ++g) {
      alignas(64) double grouped[kPacket], single[kPacket];
      Eigen::internal::pstore(grouped, v[g]);
      Eigen::internal::pstore(
          single,
          tanh_detail::ptanh_double(Eigen::internal::ploadu<Packet>(xs.data() + i0 + g * kPacket)));
      ASSERT_EQ(std::memcmp(grouped, single, sizeof grouped), 0)
          << "N = " << N << " at x = " << xs[i0 + g * kPacket];
    }
  }
}

TEST(Tanh, GroupedEqualsSingle) {
  std::vector<double> xs;
  for (double x = -25.0; x <= 25.0; x += 0.00731) xs.push_back(x);
  for (double e = -300; e < 3; e += 0.25) {
    xs.push_back(std::pow(10.0, e));
    xs.push_back(-std::pow(10.0, e));
  }
  for (double v : {0.0, -0.0, 1e300, -1e300, std::numeric_limits<double>::infinity(),
                   -std::numeric_limits<double>::infinity(), std::nan("")})
    xs.push_back(v);
  expect_grouped_equals_single<1>(xs);
  expect_grouped_equals_single<3>(xs);
  expect_grouped_equals_single<8>(xs);
  // And the in-place pass (groups of 8 packets, then single packets, then the tail).
  std::vector<double> ys = xs;
  tanh_inplace(ys.data(), static_cast<Eigen::Index>(ys.size()));
  for (size_t i = 0; i + tanh_detail::kPacket <= xs.size(); i += tanh_detail::kPacket) {
    alignas(64) double single[tanh_detail::kPacket];
    Eigen::internal::pstore(
        single, tanh_detail::ptanh_double(Eigen::internal::ploadu<tanh_detail::Packet>(&xs[i])));
    ASSERT_EQ(std::memcmp(single, &ys[i], sizeof single), 0) << "at x = " << xs[i];
  }
}

// A dense sweep of [-20, 20] (4·10⁶ points, step 1e-5, plus the region around 0.625 at 1-ulp
// steps): the fast tanh stays within 4 ulp of std::tanh (glibc's, itself < 1 ulp). The bound is the
// error analysis of mlp.cpp's ptanh_double, not a margin: −e and e + 2 rounded once each (½ ulp),
// the division (½ ulp), expm1(r)'s series (≤ 1 ulp), and a result just below a power of two counts
// its error in ulps half as large as the operands'. Measured worst: 3 ulp (x ≈ −0.519, where
// tanh ≈ 0.477 sits under ½), with FMA (AVX-512) and without (portable SSE2).
TEST(Tanh, DenseSweepWithinFourUlp) {
  std::vector<double> xs;
  for (long i = -2000000; i <= 2000000; ++i) xs.push_back(static_cast<double>(i) * 1e-5);
  double x = 0.625;
  for (int i = 0; i < 1000; ++i) x = std::nextafter(x, 0.0);
  for (int i = 0; i < 2000; ++i, x = std::nextafter(x, 1.0)) {
    xs.push_back(x);
    xs.push_back(-x);
  }
  std::vector<double> ys = xs;
  tanh_inplace(ys.data(), static_cast<Eigen::Index>(ys.size()));
  long worst = 0;
  double worst_x = 0.0;
  for (size_t i = 0; i < xs.size(); ++i) {
    const long d = ulp_distance(ys[i], std::tanh(xs[i]));
    if (d > worst) {
      worst = d;
      worst_x = xs[i];
    }
  }
  std::printf("fast tanh: max %ld ulp from std::tanh at x = %.17g\n", worst, worst_x);
  EXPECT_LE(worst, 4) << "at x = " << worst_x;
}

}  // namespace
}  // namespace pg
