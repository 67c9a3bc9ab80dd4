#include "nn/small_gemm.h"

#include <cmath>
#include <cstddef>

#include "nn/tanh_packet.h"
#include "util/error.h"

namespace pg {

namespace {

// Register blocking: kRows packets of rows × kCols columns of accumulators. With 32 vector
// registers (AVX-512) 4 × 6 = 24 accumulators, 4 loads and a broadcast fit: 10 loads per 24
// multiply-adds (4 × 4 took 8 per 16 and ran at 76 GFLOP/s in float64 on a 64-wide layer of 128
// columns, 4 × 6 at 98: BM_Layer64 in tests/bench); with 16 (SSE, AVX2) 2 × 6 = 12, 2 loads
// and a broadcast (AVX2 on the same CPU: 53 GFLOP/s, 2 × 4 gave 50).
#if defined(EIGEN_VECTORIZE_AVX512)
constexpr int kRows = 4;
#else
constexpr int kRows = 2;
#endif
constexpr int kCols = 6;
// Packets whose tanh the fused epilogue computes side by side (nn/tanh_packet.h).
constexpr int kTanhGroup = 8;

// One block: RP packets of rows from i0, NC columns from j0.
template <class S, int RP, int NC>
inline void block(int i0, int j0, int K, const S* L, int ldl, const S* R, int rk, int rj, S* C,
                  int ldc, GemmInit init, const S* bias, const GemmOut<S>& out) {
  using namespace Eigen::internal;
  using Packet = typename packet_traits<S>::type;
  constexpr int P = packet_traits<S>::size;
  Packet acc[RP][NC];
  for (int r = 0; r < RP; ++r)
    for (int c = 0; c < NC; ++c) {
      if (init == GemmInit::kZero)
        acc[r][c] = pset1<Packet>(S(0));
      else if (init == GemmInit::kBias)
        acc[r][c] = ploadu<Packet>(bias + i0 + r * P);
      else
        acc[r][c] = ploadu<Packet>(C + (j0 + c) * ldc + i0 + r * P);
    }
  const S* l = L + i0;
  const S* rc = R + j0 * rj;
  for (int k = 0; k < K; ++k, l += ldl, rc += rk) {
    Packet w[RP];
    for (int r = 0; r < RP; ++r) w[r] = ploadu<Packet>(l + r * P);
    for (int c = 0; c < NC; ++c) {
      const Packet x = pset1<Packet>(rc[c * rj]);
      for (int r = 0; r < RP; ++r) acc[r][c] = pmadd(w[r], x, acc[r][c]);
    }
  }
  if (out.epilogue == GemmEpilogue::kTanh) {
    // kTanhGroup packets side by side (ptanh_lanes_n), the last group whatever remains.
    Packet* flat = &acc[0][0];
    constexpr int kAll = RP * NC, kWhole = kAll / kTanhGroup * kTanhGroup;
    for (int g = 0; g < kWhole; g += kTanhGroup) ptanh_lanes_n<kTanhGroup>(flat + g);
    if constexpr (kAll > kWhole) ptanh_lanes_n<kAll - kWhole>(flat + kWhole);
  } else if (out.epilogue == GemmEpilogue::kTanhPrime) {
    const Packet one = pset1<Packet>(S(1));
    for (int r = 0; r < RP; ++r)
      for (int c = 0; c < NC; ++c) {
        const Packet a = ploadu<Packet>(out.aux + (j0 + c) * ldc + i0 + r * P);
        acc[r][c] = pmul(acc[r][c], psub(one, pmul(a, a)));
      }
  }
  for (int r = 0; r < RP; ++r)
    for (int c = 0; c < NC; ++c) pstoreu(C + (j0 + c) * ldc + i0 + r * P, acc[r][c]);
}

// The block of NC columns if nc == NC, else of fewer (nc < NC): the tail of a row of blocks.
template <class S, int RP, int NC>
void tail_block(int nc, int i0, int j0, int K, const S* L, int ldl, const S* R, int rk, int rj,
                S* C, int ldc, GemmInit init, const S* bias, const GemmOut<S>& out) {
  if constexpr (NC > 0) {
    if (nc == NC)
      block<S, RP, NC>(i0, j0, K, L, ldl, R, rk, rj, C, ldc, init, bias, out);
    else
      tail_block<S, RP, NC - 1>(nc, i0, j0, K, L, ldl, R, rk, rj, C, ldc, init, bias, out);
  }
}

template <class S, int RP>
void rows(int i0, int n, int K, const S* L, int ldl, const S* R, int rk, int rj, S* C, int ldc,
          GemmInit init, const S* bias, const GemmOut<S>& out) {
  int j = 0;
  for (; j + kCols <= n; j += kCols)
    block<S, RP, kCols>(i0, j, K, L, ldl, R, rk, rj, C, ldc, init, bias, out);
  // The last n mod kCols columns in one narrower block (each column's bits are the same in any
  // block width).
  tail_block<S, RP, kCols - 1>(n - j, i0, j, K, L, ldl, R, rk, rj, C, ldc, init, bias, out);
}

}  // namespace

template <class S>
void small_gemm(int m, int n, int K, const S* L, int ldl, const S* R, int rk, int rj, S* C, int ldc,
                GemmInit init, const S* bias, const GemmOut<S>& out) {
  PG_ASSERT(small_gemm_fits<S>(m), "small_gemm: m must be a whole number of packets");
  constexpr int P = small_gemm_packet<S>();
  int i = 0;
  if (n <= 2) {
    // One or two columns (the thin layers' ∂W = A δᵀ, summed over the batch): 2·kRows packets of
    // rows at once, so 8 to 16 independent accumulator chains hide the multiply-add's latency
    // (BM_Layer64 with AVX-512, float64: one column 144 → 108 ns, two 232 → 199 ns).
    constexpr int RP = 2 * kRows;
    for (; i + RP * P <= m; i += RP * P) {
      if (n == 1)
        block<S, RP, 1>(i, 0, K, L, ldl, R, rk, rj, C, ldc, init, bias, out);
      else
        block<S, RP, 2>(i, 0, K, L, ldl, R, rk, rj, C, ldc, init, bias, out);
    }
  }
  for (; i + kRows * P <= m; i += kRows * P)
    rows<S, kRows>(i, n, K, L, ldl, R, rk, rj, C, ldc, init, bias, out);
  for (; i < m; i += P) rows<S, 1>(i, n, K, L, ldl, R, rk, rj, C, ldc, init, bias, out);
}

template <class S>
void small_gemm_rows(int m, int n, int K, const S* Lr, int ldr, const S* R, int rj, S* C, int ldc,
                     const S* bias) {
  using namespace Eigen::internal;
  using Packet = typename packet_traits<S>::type;
  constexpr int P = packet_traits<S>::size;
  const int whole = K / P * P;
  for (int j = 0; j < n; ++j) {
    const S* r = R + static_cast<std::ptrdiff_t>(j) * rj;
    for (int i = 0; i < m; ++i) {
      const S* l = Lr + static_cast<std::ptrdiff_t>(i) * ldr;
      Packet acc = pset1<Packet>(S(0));
      for (int k = 0; k < whole; k += P)
        acc = pmadd(ploadu<Packet>(l + k), ploadu<Packet>(r + k), acc);
      S s = predux(acc);
      for (int k = whole; k < K; ++k) s += l[k] * r[k];
      C[i + static_cast<std::ptrdiff_t>(j) * ldc] = bias[i] + s;
    }
  }
}

template <class S>
void small_gemm_naive(int m, int n, int K, const S* L, int ldl, const S* R, int rk, int rj, S* C,
                      int ldc, GemmInit init, const S* bias, const GemmOut<S>& out) {
  for (int j = 0; j < n; ++j)
    for (int i = 0; i < m; ++i) {
      S s = init == GemmInit::kZero ? S(0) : init == GemmInit::kBias ? bias[i] : C[i + j * ldc];
      for (int k = 0; k < K; ++k) s += L[i + k * ldl] * R[k * rk + j * rj];
      if (out.epilogue == GemmEpilogue::kTanh) s = std::tanh(s);
      if (out.epilogue == GemmEpilogue::kTanhPrime) {
        const S a = out.aux[i + j * ldc];
        s *= S(1) - a * a;
      }
      C[i + j * ldc] = s;
    }
}

template void small_gemm<double>(int, int, int, const double*, int, const double*, int, int,
                                 double*, int, GemmInit, const double*, const GemmOut<double>&);
template void small_gemm<float>(int, int, int, const float*, int, const float*, int, int, float*,
                                int, GemmInit, const float*, const GemmOut<float>&);
template void small_gemm_rows<double>(int, int, int, const double*, int, const double*, int,
                                      double*, int, const double*);
template void small_gemm_rows<float>(int, int, int, const float*, int, const float*, int, float*,
                                     int, const float*);
template void small_gemm_naive<double>(int, int, int, const double*, int, const double*, int, int,
                                       double*, int, GemmInit, const double*,
                                       const GemmOut<double>&);
template void small_gemm_naive<float>(int, int, int, const float*, int, const float*, int, int,
                                      float*, int, GemmInit, const float*, const GemmOut<float>&);

}  // namespace pg
