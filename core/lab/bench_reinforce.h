#pragma once
// The REINFORCE figure `pglab bench` prints: milliseconds for 1000 gradient estimates (sampling
// included) on the 8×8 frozen-lake map with batch 16, tabular softmax at θ = 0, reward-to-go with
// the time-mean baseline.

namespace pg {

double reinforce_1000_estimates_ms();

}  // namespace pg
