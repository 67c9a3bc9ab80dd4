#pragma once
// What to change after a numeric fault (a non-finite step, an exploding step, a collapsed
// entropy), for the scenario's algorithm: only keys it reads, never one `--set` would refuse as
// having no effect (audit a14 F6: SAC was told to lower algorithm.lr or "turn on normalisation",
// REINFORCE to set advantage.normalize).

#include <string>

#include "io/scenario.h"

namespace pg {

// "lower algorithm.lr, turn on estimator.normalize or clip the gradient (algorithm.max_grad_norm),
// then reset". `clip`: offer the gradient clip (an exploding step; a NaN is not clipped away).
std::string fault_advice(const Scenario& s, bool clip);

}  // namespace pg
