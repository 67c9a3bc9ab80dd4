// CartPole throughput: the inlined non-virtual step (the hot loop of rollouts and `pglab bench`),
// the same through Env&, and the library figure cartpole_steps_per_second().
#include <benchmark/benchmark.h>

#include <cstdint>

#include "env/cartpole.h"
#include "lab/bench_env.h"

namespace {

template <class E>
void run(benchmark::State& state, E& env) {
  pg::Rng reset_rng(1), step_rng(2);
  env.reset(reset_rng);
  uint64_t bits = 0x2545f4914f6cdd1dULL;
  int64_t episodes = 0;
  for (auto _ : state) {
    bits ^= bits << 13, bits ^= bits >> 7, bits ^= bits << 17;
    const pg::StepResult r = env.step(static_cast<int>(bits & 1), step_rng);
    if (r.terminated || r.truncated) {
      env.reset(reset_rng);
      ++episodes;
    }
  }
  // Once, after the loop: DoNotOptimize inside it would clobber memory every step and put a
  // store/load on the state's dependency chain, measuring the harness instead of the step.
  benchmark::DoNotOptimize(episodes);
  benchmark::DoNotOptimize(env);
  state.SetItemsProcessed(state.iterations());
  state.counters["mean_episode_length"] =
      static_cast<double>(state.iterations()) / static_cast<double>(episodes + 1);
}

void BM_CartPoleStepInline(benchmark::State& state) {
  pg::CartPole env;
  run(state, env);
}
BENCHMARK(BM_CartPoleStepInline);

void BM_CartPoleStepVirtual(benchmark::State& state) {
  pg::CartPole concrete;
  pg::Env& env = concrete;
  run(state, env);
}
BENCHMARK(BM_CartPoleStepVirtual);

void BM_CartPoleStepsPerSecond(benchmark::State& state) {
  double rate = 0.0;
  for (auto _ : state) rate = pg::cartpole_steps_per_second(0.5);
  state.counters["steps_per_s"] = rate;
}
BENCHMARK(BM_CartPoleStepsPerSecond)->Iterations(1)->Unit(benchmark::kMillisecond);

}  // namespace
