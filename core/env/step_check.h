#pragma once
// Whether the world is still finite after a step (issue 8: numeric faults stop cleanly).
//
// A state set by hand near ±1e308 can overflow the dynamics (cart-pole's velocities become NaN,
// the pendulum's cost −inf). Every front end that steps a world from a state it was given — the
// CLI's `trace`, Python's Env.step — refuses to go on from such a step with kStepOverflowed, so a
// NaN never reaches a student's numbers silently. Training never needs it: its worlds start from
// reset().
//
//   const StepResult r = env.step(a, rng);
//   if (!step_is_finite(env, r)) throw ... "step 3 " + kStepOverflowed ...

#include <cmath>
#include <vector>

#include "env/env.h"

namespace pg {

// The step's reward and every number of the world's observation after it are finite.
inline bool step_is_finite(const Env& env, const StepResult& r) {
  if (!std::isfinite(r.reward)) return false;
  std::vector<double> x(static_cast<size_t>(env.obs_dim()));
  env.observe(x.data());
  for (double v : x)
    if (!std::isfinite(v)) return false;
  return true;
}

inline constexpr const char* kStepOverflowed = "overflowed (the state is no longer finite)";

}  // namespace pg
