#pragma once
// tanh of one SIMD packet, the one the networks' hidden layers use: in double pglab's own
// (ptanh_double: within 4 ulp, one division, no branch), in float Eigen's vectorised tanh. Shared
// by Mlp's activation pass and small_gemm's fused epilogue, so both give every element the same
// bits.

#include <Eigen/Core>
#include <cstdint>
#include <cstring>
#include <type_traits>

namespace pg {
namespace tanh_detail {

using Packet = Eigen::internal::packet_traits<double>::type;
constexpr int kPacket = Eigen::internal::packet_traits<double>::size;

// 2^k for the integer k held in t = k + 2⁵² + 2⁵¹ + 1023 (−1023 < k ≤ 1024): the low bits of t
// are k + 1023, the biased exponent of 2^k.
inline Packet pow2_from_magic(const Packet& t) {
#if defined(EIGEN_VECTORIZE_AVX512)
  return _mm512_castsi512_pd(_mm512_slli_epi64(_mm512_castpd_si512(t), 52));
#elif defined(EIGEN_VECTORIZE_AVX2)
  return _mm256_castsi256_pd(_mm256_slli_epi64(_mm256_castpd_si256(t), 52));
#elif defined(EIGEN_VECTORIZE_AVX)
  const __m256i u = _mm256_castpd_si256(t);
  const __m128i lo = _mm_slli_epi64(_mm256_castsi256_si128(u), 52);
  const __m128i hi = _mm_slli_epi64(_mm256_extractf128_si256(u, 1), 52);
  return _mm256_castsi256_pd(_mm256_insertf128_si256(_mm256_castsi128_si256(lo), hi, 1));
#elif defined(EIGEN_VECTORIZE_SSE2)
  return _mm_castsi128_pd(_mm_slli_epi64(_mm_castpd_si128(t), 52));
#else
  alignas(64) double v[kPacket];
  pstore(v, t);
  for (double& d : v) {
    uint64_t bits;
    std::memcpy(&bits, &d, sizeof bits);
    bits <<= 52;
    std::memcpy(&d, &bits, sizeof bits);
  }
  return pload<Packet>(v);
#endif
}

// tanh of one packet, with one division and no branch:
//   tanh|x| = −e / (e + 2),  e = expm1(−2|x|) ∈ (−1, 0]
// (relative condition number 2/(e + 2) ≤ 2, so an accurate e gives an accurate tanh, near 0 too).
// expm1(y): y = k ln2 + r with k = round(y/ln2) (the magic-number add rounds it and leaves 2^k's
// exponent in its low bits) and |r| ≤ ln2/2 (ln2 in two parts, Cody–Waite: k·C1 is exact);
// expm1(y) = 2^k · expm1(r) + (2^k − 1), expm1(r) by its Taylor series to r¹³ (truncation
// < 1e-17 relative). y is clamped at −40, where tanh is 1 to double precision. Within 4 ulp of
// std::tanh (tests/core/test_mlp.cpp: Tanh.DenseSweepWithinFourUlp, measured 3), 1.7× as fast as
// the exp-and-rational form it replaced (two divisions: one in Eigen's pexp, one for the quotient;
// bench_mlp BM_Tanh 30.1 → 17.3 µs per 16 384 values).
//
// ptanh_double_n does the same for N packets at once, each operation for all N before the next: a
// packet's tanh is one long dependent chain (the Horner sum, then the division), and side by side
// the N chains overlap instead of waiting on each other. Every lane still sees exactly the
// operations below, in the same order: the same bits (tests/core/test_mlp.cpp:
// Tanh.GroupedEqualsSingle). bench_mlp, Zen 5 (its zmm FMA at ~3.65 per ns, about 19 of them per
// packet here): BM_TanhOnePacketAtATime 17.3 µs, BM_Tanh (8 side by side) 15.1 µs; the fused
// epilogue's share of a float64 cartpole-ppo run fell from about 19% to 13%.
template <int N>
inline void ptanh_double_n(Packet* x) {
  using namespace Eigen::internal;
  const Packet magic = pset1<Packet>(6755399441055744.0 + 1023.0);  // 2⁵² + 2⁵¹ + bias
  Packet t[N], r[N], p[N];
  for (int i = 0; i < N; ++i) {
    const Packet y = pmax(pmul(pabs(x[i]), pset1<Packet>(-2.0)), pset1<Packet>(-40.0));
    t[i] = pmadd(y, pset1<Packet>(1.4426950408889634074), magic);
    const Packet k = psub(t[i], magic);
    r[i] = pmadd(k, pset1<Packet>(-6.93145751953125e-1), y);           // C1: 24 significant bits
    r[i] = pmadd(k, pset1<Packet>(-1.42860682030941723212e-6), r[i]);  // C2 = ln2 − C1
  }
  // expm1(r) = r + r²(1/2! + r/3! + … + r¹¹/13!)
  for (int i = 0; i < N; ++i)
    p[i] = pmadd(pset1<Packet>(1.0 / 6227020800.0), r[i], pset1<Packet>(1.0 / 479001600.0));
  for (int i = 0; i < N; ++i) p[i] = pmadd(p[i], r[i], pset1<Packet>(1.0 / 39916800.0));
  for (int i = 0; i < N; ++i) p[i] = pmadd(p[i], r[i], pset1<Packet>(1.0 / 3628800.0));
  for (int i = 0; i < N; ++i) p[i] = pmadd(p[i], r[i], pset1<Packet>(1.0 / 362880.0));
  for (int i = 0; i < N; ++i) p[i] = pmadd(p[i], r[i], pset1<Packet>(1.0 / 40320.0));
  for (int i = 0; i < N; ++i) p[i] = pmadd(p[i], r[i], pset1<Packet>(1.0 / 5040.0));
  for (int i = 0; i < N; ++i) p[i] = pmadd(p[i], r[i], pset1<Packet>(1.0 / 720.0));
  for (int i = 0; i < N; ++i) p[i] = pmadd(p[i], r[i], pset1<Packet>(1.0 / 120.0));
  for (int i = 0; i < N; ++i) p[i] = pmadd(p[i], r[i], pset1<Packet>(1.0 / 24.0));
  for (int i = 0; i < N; ++i) p[i] = pmadd(p[i], r[i], pset1<Packet>(1.0 / 6.0));
  for (int i = 0; i < N; ++i) p[i] = pmadd(p[i], r[i], pset1<Packet>(0.5));
  for (int i = 0; i < N; ++i) p[i] = pmadd(p[i], pmul(r[i], r[i]), r[i]);
  for (int i = 0; i < N; ++i) {
    const Packet two_k = pow2_from_magic(t[i]);
    // −e = (1 − 2^k) − 2^k·expm1(r) and e + 2 = (1 + 2^k) + 2^k·expm1(r), each rounded once (2^k·p
    // is exact and 1 ± 2^k is exact for k ≥ −52; below, tanh is 1 either way).
    const Packet one = pset1<Packet>(1.0);
    const Packet abs_tanh =
        pdiv(pmadd(pnegate(two_k), p[i], psub(one, two_k)), pmadd(two_k, p[i], padd(one, two_k)));
    x[i] = por(abs_tanh, pand(x[i], pset1<Packet>(-0.0)));
  }
}

inline Packet ptanh_double(const Packet& x) {
  Packet v = x;
  ptanh_double_n<1>(&v);
  return v;
}

}  // namespace tanh_detail

// tanh of every lane of a packet of S (double or float).
template <class Packet>
inline Packet ptanh_lanes(const Packet& x) {
  if constexpr (std::is_same_v<typename Eigen::internal::unpacket_traits<Packet>::type, double>)
    return tanh_detail::ptanh_double(x);
  else
    return Eigen::internal::ptanh(x);
}

// The same for N packets side by side: ptanh_double_n's interleaving in double; in float,
// Eigen's tanh packet by packet (its chain is short: written side by side, operation by
// operation, it ran no faster in a float32 cartpole-ppo run).
template <int N, class Packet>
inline void ptanh_lanes_n(Packet* x) {
  if constexpr (std::is_same_v<typename Eigen::internal::unpacket_traits<Packet>::type, double>) {
    tanh_detail::ptanh_double_n<N>(x);
  } else {
    for (int i = 0; i < N; ++i) x[i] = Eigen::internal::ptanh(x[i]);
  }
}

}  // namespace pg
