#pragma once
// The matrix products of the small networks (Mlp's 64-wide layers), register-blocked for the CPU
// the build targets, with the bias fused and nothing zero-filled.
//
//   C[i + j·ldc] = init(i, j) + Σ_{k<K} L[i + k·ldl] · R[k·rk + j·rj]      i < m, j < n
//
// L is read down its columns (m contiguous values per k), R at any two strides, so one kernel
// serves Z = W·A (L = W column-major), Wᵀ·δ (L = W row-major) and δ·Aᵀ (L = A, R = δ with its
// strides swapped). init is 0, the bias b[i], or what C holds (accumulate).
//
// Bits. Each C element is init followed by K multiply-adds in k order, the same packet instruction
// for every element, so its value depends only on row i of L and column j of R, never on where the
// column sits in the product or on n (Eigen's GEMM, by contrast, sums a column differently by its
// place in the block). small_gemm_fits(m) says whether m is a whole number of packets, the
// kernel's only requirement; the caller falls back to Eigen otherwise.

#include <Eigen/Core>

namespace pg {

enum class GemmInit { kZero, kBias, kAccumulate };

// What the kernel does with each finished element v = C[i + j·ldc] while it is still in a register
// (an activation fused into the product: no second pass over C).
//   kNone       C = v
//   kTanh       C = tanh(v)            a tanh layer's forward, A = tanh(W·A_prev + b)
//   kTanhPrime  C = v · (1 − aux²)     the backward into a tanh layer, aux = that layer's A (laid
//                                      out as C, ldc), δ = (Wᵀδ_next) ⊙ tanh′
// tanh is nn/tanh_packet.h's and 1 − aux² is rounded as (1 − aux·aux), the same operations the
// separate passes did, so fusing changed no bit (the cartpole-ppo solves kept their steps).
enum class GemmEpilogue { kNone, kTanh, kTanhPrime };

template <class S>
struct GemmOut {
  GemmEpilogue epilogue = GemmEpilogue::kNone;
  const S* aux = nullptr;  // kTanhPrime's A
};

template <class S>
constexpr int small_gemm_packet() {
  return Eigen::internal::packet_traits<S>::size;
}

template <class S>
bool small_gemm_fits(int m) {
  return m > 0 && m % small_gemm_packet<S>() == 0;
}

// Requires small_gemm_fits<S>(m). bias is read only with GemmInit::kBias.
template <class S>
void small_gemm(int m, int n, int K, const S* L, int ldl, const S* R, int rk, int rj, S* C, int ldc,
                GemmInit init, const S* bias, const GemmOut<S>& out = {});

// The thin layers' product (m of a packet or fewer rows: the logits, the value), as dot products:
//   C[i + j·ldc] = b[i] + Σ_{k<K} Lr[i·ldr + k] · R[k + j·rj]      i < m, j < n
// with L row-major (θ's own layout) and R's columns contiguous. Each element is a packet-wise sum
// over k, reduced, then the tail of k in order, then the bias: again the same operations for every
// column, so its bits do not depend on where the column sits.
template <class S>
void small_gemm_rows(int m, int n, int K, const S* Lr, int ldr, const S* R, int rj, S* C, int ldc,
                     const S* bias);

// The same sum written as three plain loops (the reference the kernel must equal, to rounding;
// its epilogue's tanh is std::tanh).
template <class S>
void small_gemm_naive(int m, int n, int K, const S* L, int ldl, const S* R, int rk, int rj, S* C,
                      int ldc, GemmInit init, const S* bias, const GemmOut<S>& out = {});

}  // namespace pg
