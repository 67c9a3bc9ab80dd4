#pragma once
// Sampling episodes: a ~ π(·|s) from the episode's kAction stream, the environment's randomness
// from its kEnvReset / kEnvStep streams, all keyed by (seed, iteration, episode). Episode k of
// iteration i is therefore the same whatever ran before it (common random numbers), and a
// change of estimator between iterations never changes what is sampled.

#include <cstdint>
#include <string>

#include "env/env.h"
#include "policy/policy.h"
#include "rollout/trajectory.h"

namespace pg {

// Episodes longer than this are truncated even when the environment sets no limit.
inline constexpr int kHardStepCap = 1000000;

// One episode, a step at a time (the session's env-step granularity).
class EpisodeRunner {
 public:
  // Resets env for episode `episode` of `iteration`; out is cleared. store_features: keep the
  // feature rows (needed by MLP policies and critics; tabular policies read indices only).
  void begin(Env& env, uint64_t seed, uint64_t iteration, uint64_t episode, bool store_features,
             Trajectory& out);
  // Samples an action, steps env, appends the step (with log π(a|s) of the sampling policy).
  // Returns true once the episode has ended.
  bool step(Env& env, const Policy& policy, Trajectory& out);
  // Same, with π(·|s) of the current state given (num_actions values: the session's one forward
  // over all its environments, the same bits as policy.probs here).
  bool step_with_probs(Env& env, const double* probs, Trajectory& out);
  // Same, with π(·|o) and log π(·|o) read from tables [o * A + a] (tabular fast path).
  bool step_with_table(Env& env, const double* prob_table, const double* log_table,
                       Trajectory& out);
  bool done() const { return done_; }
  // Steps taken in this episode so far.
  int episode_step() const { return episode_step_; }
  // Continues the episode into a fresh piece `out` (segment collection): out is cleared and its
  // start_t set; the environment and the random streams carry on.
  void continue_into(Env& env, Trajectory& out) const;

 private:
  bool finish_step(Env& env, int action, double logp, Trajectory& out);
  Rng env_rng_{0}, action_rng_{0};
  bool store_features_ = false;
  bool done_ = true;
  int episode_step_ = 0;
  std::vector<double> x_, p_;
  std::vector<double> u_, u_env_;  // continuous: the sample u and the action the env receives
};

void sample_episode(Env& env, const Policy& policy, uint64_t seed, uint64_t iteration,
                    uint64_t episode, bool store_features, Trajectory& out);

// A bound on the steps one batch of whole episodes may hold, for worlds without a step limit
// (an episode there ends when the policy ends it, or at kHardStepCap): the memory a session may
// plan to use (session/budget.h: batch_cap) over what a step costs. steps = 0: no bound (the
// settings already bound the batch).
struct BatchCap {
  double steps = 0;
  std::string budget;  // "3 GB (a quarter of 12 GB, half of the physical memory)": its source
  std::string lower;   // the key to lower, e.g. "algorithm.batch_episodes"
  // Throws std::runtime_error when `steps_so_far` exceeds the bound, saying so and what to change
  // (the session pauses with it; the command line exits 1).
  void check(double steps_so_far, int episodes_done, int episodes_asked) const {
    if (steps > 0 && steps_so_far > steps) fail(steps_so_far, episodes_done, episodes_asked);
  }
  [[noreturn]] void fail(double steps_so_far, int episodes_done, int episodes_asked) const;
};

// Episodes 0 … n − 1 of `iteration` into out (resized to n); throws (cap.check) when they
// outgrow cap.
void sample_batch(Env& env, const Policy& policy, uint64_t seed, uint64_t iteration, int n,
                  bool store_features, Batch& out, const BatchCap& cap = {});

}  // namespace pg
