#pragma once
// Speed figures of the neural-network path, printed by `pglab bench`.

namespace pg {

// Nanoseconds per sample of one forward and one backward of Σ_j ∇log π(a_j|x_j) for a 4-64-64-2
// tanh MlpSoftmax at batch 256 (fixed random inputs and actions), averaged over ~0.3 s of
// repetitions after a warm-up. Single-threaded; measured in this thread's CPU time. Target: ≤ 1000.
double mlp_fwd_bwd_ns_per_sample();

}  // namespace pg
