#include "lab/bench_env.h"

#include <chrono>
#include <cstdint>

#include "env/cartpole.h"

#if defined(__linux__)
#include <time.h>
#endif

namespace pg {
namespace {

// Seconds of CPU time of this thread where available (the figure stays honest when other work
// shares the core), else wall time.
double now_seconds() {
#if defined(__linux__)
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
#else
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
#endif
}

}  // namespace

double cartpole_steps_per_second(double seconds) {
  CartPole env;
  uint64_t episode = 0;
  Rng reset_rng = Rng::stream(0, 0, episode, Purpose::kEnvReset);
  env.reset(reset_rng);
  // xorshift64: far cheaper than the environment step, so the figure measures the environment.
  uint64_t bits = 0x9e3779b97f4a7c15ULL, word = 0;
  int left = 0;
  double sink = 0.0;  // keeps the state observable so the loop is not optimised away
  int64_t steps = 0;
  const double start = now_seconds();
  double elapsed = 0.0;
  // Check the clock every 2^16 steps (≈ 1 ms): often enough to stop on time, rarely enough not to
  // show up in the figure.
  while (elapsed < seconds) {
    for (int i = 0; i < (1 << 16); ++i) {
      if (left == 0) {
        bits ^= bits << 13, bits ^= bits >> 7, bits ^= bits << 17;
        word = bits;
        left = 64;
      }
      const int action = static_cast<int>(word & 1);
      word >>= 1, --left;
      const StepResult r = env.step(action);
      if (r.terminated || r.truncated) {
        sink += env.state().x;
        reset_rng = Rng::stream(0, 0, ++episode, Purpose::kEnvReset);
        env.reset(reset_rng);
      }
    }
    steps += 1 << 16;
    elapsed = now_seconds() - start;
  }
  // sink is never NaN in practice; the comparison keeps it alive without changing the result.
  return sink != sink ? 0.0 : static_cast<double>(steps) / elapsed;
}

}  // namespace pg
