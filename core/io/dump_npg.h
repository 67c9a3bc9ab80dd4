#pragma once
// NPG/TRPO's and the off-policy gradient's additions to the batch dump pglab.batch/1 (README
// "Batch dump" › NPG / TRPO and › Off-policy): the settings, the behaviour log-probs and
// (off-policy) the importance weights, so the estimate can be recomputed from the file alone.
// Additive: no field of the contract changes.

#include <nlohmann/json.hpp>

#include "session/session.h"

namespace pg {

// npg / trpo: "algorithm": {"name", "max_kl", "damping", "cg_iters", "backtracks", "fisher",
//   "surrogate"} and per trajectory "behaviour_logp" (log π_old(a_t|s_t)).
// off-policy: "algorithm": {"name", "behaviour", "lag", "behaviour_iteration", "behaviour_logits",
//   "behaviour_policy", "weighting", "truncate", "ess", "log_w", "w"} and per trajectory
//   "behaviour_logp", "log_rho", "rho", "cum_rho", "weight". "w" (W_i = ρ_i,0:T−1) and "ess"
//   ((ΣW)²/ΣW²) are uncapped even when truncate > 0; "weight" holds the capped, applied weights.
// Does nothing for other algorithms.
void add_npg_off_policy_dump(const Session& s, nlohmann::json& out);

}  // namespace pg
