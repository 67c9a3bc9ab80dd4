#include "lab/bench_reinforce.h"

#include <chrono>

#include "rollout/sampler.h"
#include "session/session.h"

namespace pg {

double reinforce_1000_estimates_ms() {
  Scenario s = default_scenario();
  set_values(s, {{"env.kind", "gridworld"},
                 {"env.map", "frozen-lake-8x8"},
                 {"algorithm.batch_episodes", 16},
                 {"estimator.returns", "reward-to-go"},
                 {"estimator.baseline", "time-mean"}});
  std::unique_ptr<Env> env = make_env(s);
  std::unique_ptr<Policy> policy = make_policy(s, *env);
  Batch batch;
  Estimate est;
  double checksum = 0.0;
  const auto t0 = std::chrono::steady_clock::now();
  for (int k = 0; k < 1000; ++k) {
    sample_batch(*env, *policy, s.seed, static_cast<uint64_t>(k), 16, false, batch);
    estimate_reinforce(batch, *policy, env->gamma(), s.estimator, {}, est);
    checksum += est.gradient[0];
  }
  const auto t1 = std::chrono::steady_clock::now();
  volatile double sink = checksum;  // keep the work observable
  (void)sink;
  return std::chrono::duration<double, std::milli>(t1 - t0).count();
}

}  // namespace pg
