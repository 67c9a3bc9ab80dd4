#pragma once
// The algorithm's per-step decomposition in the batch dump pglab.batch/1 (DESIGN.md §3a; README
// "Batch dump"). Additive: no field of the contract changes.
//
//   "decomposition": {"algorithm": title, "pieces": [{"symbol", "meaning"}, …] (the last is w),
//                     "derivation": [lines], "divisor": D, "sums_to_gradient": bool}
//   trajectories[i].decomposition: {symbol: [value per step], …}  (+ "clip_case" for PPO's clip)
// with ĝ = (1/D) Σ_it w_it ∇θ log π(a_it|s_it) and w = trajectories[i].psi.

#include <nlohmann/json.hpp>

#include "session/session.h"

namespace pg {

// Adds the fields above to `out` (a batch_dump of s, with its "trajectories").
void add_decomposition_dump(const Session& s, nlohmann::json& out);

}  // namespace pg
