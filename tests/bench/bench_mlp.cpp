#include <benchmark/benchmark.h>

#include <cmath>
#include <vector>

#include "lab/bench_nn.h"
#include "nn/mlp.h"
#include "nn/small_gemm.h"
#include "nn/tanh_packet.h"
#include "policy/mlp_softmax.h"
#include "util/rng.h"

namespace pg {
namespace {

Eigen::MatrixXd inputs(int rows, int n) {
  Rng rng = Rng::stream(1, 0, 0, Purpose::kLab);
  Eigen::MatrixXd X(rows, n);
  for (Eigen::Index k = 0; k < X.size(); ++k) X.data()[k] = rng.normal();
  return X;
}

// Second argument (where given): policy.precision, 0 float64, 1 float32 (the same template; the
// float32 results track float64 within test_mlp.cpp's Float32TracksFloat64 budget).
Precision precision_arg(const benchmark::State& state, int k) {
  return state.range(k) ? Precision::kFloat32 : Precision::kFloat64;
}

void BM_MlpForward(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  Rng rng = Rng::stream(1, 0, 0, Purpose::kInit);
  Mlp net({4, {64, 64}, 2, Activation::kTanh, precision_arg(state, 1)});
  net.init(rng);
  const Eigen::MatrixXd X = inputs(4, n);
  for (auto _ : state) benchmark::DoNotOptimize(net.forward(X).data());
  state.SetItemsProcessed(state.iterations() * n);
}
BENCHMARK(BM_MlpForward)
    ->Args({1, 0})
    ->Args({32, 0})
    ->Args({256, 0})
    ->Args({1024, 0})
    ->Args({1, 1})
    ->Args({256, 1})
    ->Args({1024, 1});

void BM_MlpForwardBackward(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  const Activation act = state.range(1) ? Activation::kRelu : Activation::kTanh;
  Rng rng = Rng::stream(1, 0, 0, Purpose::kInit);
  Mlp net({4, {64, 64}, 2, act, precision_arg(state, 2)});
  net.init(rng);
  const Eigen::MatrixXd X = inputs(4, n);
  const Eigen::MatrixXd C = inputs(2, n);
  Eigen::VectorXd g = Eigen::VectorXd::Zero(net.num_params());
  for (auto _ : state) {
    net.forward(X);
    net.backward(C, g);
    benchmark::DoNotOptimize(g.data());
  }
  state.SetItemsProcessed(state.iterations() * n);
}
BENCHMARK(BM_MlpForwardBackward)
    ->Args({256, 0, 0})
    ->Args({256, 1, 0})
    ->Args({64, 0, 0})
    ->Args({1024, 0, 0})
    ->Args({256, 0, 1})
    ->Args({256, 1, 1})
    ->Args({1024, 0, 1});

void BM_PolicyGradLogProbBatch(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  Rng rng = Rng::stream(1, 0, 0, Purpose::kInit);
  const MlpSoftmax policy(4, {64, 64}, Activation::kTanh, 2, rng);
  const Eigen::MatrixXd X = inputs(4, n);
  std::vector<int> actions(n);
  std::vector<double> scales(n, 1.0);
  for (int j = 0; j < n; ++j) actions[j] = j % 2;
  Eigen::VectorXd g = Eigen::VectorXd::Zero(policy.num_params());
  for (auto _ : state) {
    policy.add_grad_log_prob_batch(X, nullptr, actions.data(), scales.data(), n, g);
    benchmark::DoNotOptimize(g.data());
  }
  state.SetItemsProcessed(state.iterations() * n);
}
BENCHMARK(BM_PolicyGradLogProbBatch)->Arg(256);

void BM_Tanh(benchmark::State& state) {
  Eigen::MatrixXd a = inputs(64, 256);
  const Eigen::MatrixXd a0 = a;
  for (auto _ : state) {
    a = a0;
    tanh_inplace(a.data(), a.size());
    benchmark::DoNotOptimize(a.data());
  }
  state.SetItemsProcessed(state.iterations() * a.size());
}
BENCHMARK(BM_Tanh);

// The same tanh one packet at a time (ptanh_double), as tanh_inplace ran it before it took eight
// packets side by side (ptanh_double_n: the same bits, Tanh.GroupedEqualsSingle).
void BM_TanhOnePacketAtATime(benchmark::State& state) {
  using tanh_detail::kPacket;
  using tanh_detail::Packet;
  Eigen::MatrixXd a = inputs(64, 256);
  const Eigen::MatrixXd a0 = a;
  for (auto _ : state) {
    a = a0;
    double* y = a.data();
    for (Eigen::Index i = 0; i + kPacket <= a.size(); i += kPacket)
      Eigen::internal::pstoreu(y + i,
                               tanh_detail::ptanh_double(Eigen::internal::ploadu<Packet>(y + i)));
    benchmark::DoNotOptimize(a.data());
  }
  state.SetItemsProcessed(state.iterations() * a.size());
}
BENCHMARK(BM_TanhOnePacketAtATime);

// The references the fast kernels must equal (tests/core/test_mlp.cpp:
// Tanh.DenseSweepWithinFourUlp, SmallGemm.EqualsNaiveReference*), timed beside them.
void BM_TanhStd(benchmark::State& state) {
  const Eigen::MatrixXd a0 = inputs(64, 256);
  Eigen::MatrixXd a = a0;
  for (auto _ : state) {
    for (Eigen::Index k = 0; k < a.size(); ++k) a.data()[k] = std::tanh(a0.data()[k]);
    benchmark::DoNotOptimize(a.data());
  }
  state.SetItemsProcessed(state.iterations() * a.size());
}
BENCHMARK(BM_TanhStd);

// The forward as it was before issue 12: a zero-filled product, the bias in a second pass, a copy
// of Z into A, then tanh in place (Mlp::forward now equals it to rounding).
void BM_MlpForwardUnfused(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  Rng rng = Rng::stream(1, 0, 0, Purpose::kInit);
  Mlp net({4, {64, 64}, 2, Activation::kTanh});
  net.init(rng);
  const Eigen::MatrixXd X = inputs(4, n);
  std::vector<Eigen::MatrixXd> z(3), a(2);
  for (int l = 0; l < 3; ++l) z[l].resize(net.out_dim(l), n);
  for (int l = 0; l < 2; ++l) a[l].resize(net.out_dim(l), n);
  for (auto _ : state) {
    for (int l = 0; l < 3; ++l) {
      z[l].noalias() = net.W(l) * (l == 0 ? X : a[l - 1]);
      z[l].colwise() += net.b(l);
      if (l == 2) break;
      a[l] = z[l];
      tanh_inplace(a[l].data(), a[l].size());
    }
    benchmark::DoNotOptimize(z[2].data());
  }
  state.SetItemsProcessed(state.iterations() * n);
}
BENCHMARK(BM_MlpForwardUnfused)->Arg(1)->Arg(32)->Arg(256)->Arg(1024);

// A 64-row layer's product, Z (64 × n) = b + W·A with W 64 × K, in precision S: small_gemm (what
// Mlp runs), Eigen's GEMM (what it ran before) or the three-loop reference small_gemm must equal.
enum class Layer64Kernel { kSmallGemm, kEigen, kNaive };

template <class S>
void layer64(benchmark::State& state, int n, int K, Layer64Kernel kernel) {
  using Matrix = Eigen::Matrix<S, Eigen::Dynamic, Eigen::Dynamic>;
  const Matrix W = inputs(64, K).cast<S>(), A = inputs(K, n).cast<S>();
  const Eigen::Matrix<S, Eigen::Dynamic, 1> b = inputs(64, 1).cast<S>();
  Matrix Z(64, n);
  for (auto _ : state) {
    if (kernel == Layer64Kernel::kSmallGemm) {
      small_gemm<S>(64, n, K, W.data(), 64, A.data(), 1, K, Z.data(), 64, GemmInit::kBias,
                    b.data());
    } else if (kernel == Layer64Kernel::kEigen) {
      Z.colwise() = b;
      Z.noalias() += W * A;
    } else {
      small_gemm_naive<S>(64, n, K, W.data(), 64, A.data(), 1, K, Z.data(), 64, GemmInit::kBias,
                          b.data());
    }
    benchmark::DoNotOptimize(Z.data());
  }
  state.SetItemsProcessed(state.iterations() * n);
  state.counters["GFLOPs"] = benchmark::Counter(2.0 * 64 * K * n * double(state.iterations()),
                                                benchmark::Counter::kIsRate);
}

// float64, K = 64. Second argument: 0 small_gemm, 1 Eigen, 2 naive.
void BM_Layer64(benchmark::State& state) {
  layer64<double>(state, static_cast<int>(state.range(0)), 64,
                  static_cast<Layer64Kernel>(state.range(1)));
}
BENCHMARK(BM_Layer64)
    ->Args({1, 0})
    ->Args({2, 0})
    ->Args({4, 0})
    ->Args({4, 1})
    ->Args({128, 0})
    ->Args({128, 1})
    ->Args({128, 2})
    ->Args({512, 0})
    ->Args({512, 1});

// float32's small_gemm (16-float packets) at n columns and inner size K: Z = b + W·A at 128 and
// 512 columns, and the ∂W sum A·δᵀ over a minibatch of 128 (K = 128, n = 64), the two shapes a
// float32 PPO update spends most in.
void BM_Layer64Float(benchmark::State& state) {
  layer64<float>(state, static_cast<int>(state.range(0)), static_cast<int>(state.range(1)),
                 Layer64Kernel::kSmallGemm);
}
BENCHMARK(BM_Layer64Float)->Args({128, 64})->Args({512, 64})->Args({64, 128});

// The figure `pglab bench` prints, reported as a counter.
void BM_LabFigure(benchmark::State& state) {
  double ns = 0;
  for (auto _ : state) ns = mlp_fwd_bwd_ns_per_sample();
  state.counters["ns_per_sample"] = ns;
}
BENCHMARK(BM_LabFigure)->Iterations(1)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace pg
