#pragma once
// Speed figures of the neural-network path, printed by `pglab bench`.

#include "nn/mlp.h"

namespace pg {

// Nanoseconds per sample of one forward and one backward of Σ_j ∇log π(a_j|x_j) for a 4-64-64-2
// tanh MlpSoftmax at batch 256 (fixed random inputs and actions), averaged over ~0.3 s of
// repetitions after a warm-up. Single-threaded; measured in this thread's CPU time. Target: ≤ 1000.
double mlp_fwd_bwd_ns_per_sample();

// CPU microseconds per environment step of PPO with CleanRL's settings (the cartpole-ppo scenario,
// seed 1): 50 iterations of collection, estimate, update and evaluation from a fresh session
// (50 × 512 steps), in this thread's CPU time; its networks in the given policy.precision.
double ppo_us_per_step(Precision precision = Precision::kFloat64);

// Time to solve cartpole-ppo: per seed 1–5, this thread's CPU seconds until the mean return of the
// last 20 finished episodes reaches 475 (`pglab train --until-return 475`'s rule), capped at the
// scenario's iterations; returns the median over the five seeds. steps (optional, 5 entries) gets
// each seed's environment steps at that point (−1 where a seed did not solve).
double ppo_solve_s(Precision precision = Precision::kFloat64, long* steps = nullptr);

}  // namespace pg
