#pragma once
// PPO's additions to the batch dump pglab.batch/1 (README "Batch dump" › PPO): the objective and
// its settings, and per trajectory the behaviour log-probs, critic values, bootstrap values,
// advantages and targets, so Â, ψ and the clipped objective's gradient at θ_old recompute from
// the file alone. Additive: no field of the contract changes.

#include <nlohmann/json.hpp>

#include "session/session.h"

namespace pg {

// Adds "algorithm": {...} and per-trajectory "logp_old", "values", "final_value", "bootstrap",
// "cut", "advantages", "targets" to `out` (a batch_dump of s). Does nothing unless s runs ppo.
void add_ppo_dump(const Session& s, nlohmann::json& out);

}  // namespace pg
