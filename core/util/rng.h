#pragma once
// Counter-based random numbers (DESIGN.md §2, common random numbers).
//
// A stream is named by a key (seed, iteration, episode, purpose) and has no hidden state but a
// counter, so episode k of iteration i draws the same numbers whatever ran before it: two
// estimator settings see identical trajectories, and a run replays bit for bit.
//
//   Rng rng = Rng::stream(seed, iteration, episode, Purpose::kAction);
//   double u = rng.uniform();   // [0, 1), 53 random bits

#include <cmath>
#include <cstdint>

namespace pg {

// What a stream is used for; streams of different purposes never share numbers.
enum class Purpose : uint64_t {
  kEnvReset = 1,
  kEnvStep = 2,
  kAction = 3,
  kInit = 4,       // parameter initialisation
  kMinibatch = 5,  // shuffling (later algorithms)
  kCritic = 6,
  kLab = 7,  // analyses that need their own draws
};

// SplitMix64's finaliser: a bijective 64-bit mix with full avalanche.
inline constexpr uint64_t mix64(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

class Rng {
 public:
  constexpr explicit Rng(uint64_t key = 0) : key_(key) {}

  // The stream of one (seed, iteration, episode, purpose).
  static constexpr Rng stream(uint64_t seed, uint64_t iteration, uint64_t episode,
                              Purpose purpose) {
    uint64_t k = mix64(seed ^ 0x9e3779b97f4a7c15ULL);
    k = mix64(k ^ (iteration * 0xd1b54a32d192ed03ULL));
    k = mix64(k ^ (episode * 0x8cb92ba72f3d8dd7ULL));
    k = mix64(k ^ (static_cast<uint64_t>(purpose) * 0xabc98388fb8fac03ULL));
    return Rng(k);
  }

  // The n-th number of this stream, without advancing it.
  constexpr uint64_t at(uint64_t n) const { return mix64(key_ + (n + 1) * 0x9e3779b97f4a7c15ULL); }

  constexpr uint64_t next_u64() { return at(counter_++); }

  // Uniform in [0, 1) with 53 random bits.
  constexpr double uniform() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }

  constexpr double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }

  // Uniform integer in [0, n); n > 0. Lemire's multiply-shift (bias below 2^-32 for small n).
  uint32_t below(uint32_t n) {
    return static_cast<uint32_t>(((next_u64() >> 32) * static_cast<uint64_t>(n)) >> 32);
  }

  // Standard normal by Box-Muller (two uniforms per draw; the second value is not cached so the
  // stream position stays a pure function of the number of draws).
  double normal() {
    const double u1 = 1.0 - uniform();  // (0, 1]
    const double u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }

  // Index drawn from a probability vector p[0..n) (sums to 1; the last index absorbs rounding).
  int categorical(const double* p, int n) {
    const double u = uniform();
    double acc = 0.0;
    for (int i = 0; i < n - 1; ++i) {
      acc += p[i];
      if (u < acc) return i;
    }
    return n - 1;
  }

  constexpr uint64_t key() const { return key_; }
  constexpr uint64_t counter() const { return counter_; }

 private:
  uint64_t key_;
  uint64_t counter_ = 0;
};

}  // namespace pg
