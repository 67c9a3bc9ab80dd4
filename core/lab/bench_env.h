#pragma once
// Environment throughput, as `pglab bench` prints it (cartpole_steps_per_s).

namespace pg {

// Steps per second of CartPole on this thread for about `seconds` of this thread's CPU time (wall
// time where the OS offers no per-thread clock): random actions
// from a cheap inline generator (one 64-bit number gives 64 actions), reset on termination or
// truncation, the non-virtual inlined step. Counts steps, not episodes.
double cartpole_steps_per_second(double seconds);

}  // namespace pg
