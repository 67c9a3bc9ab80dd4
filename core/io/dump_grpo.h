#pragma once
// GRPO's additions to the batch dump pglab.batch/1 (README "Batch dump" › GRPO): the settings and,
// per trajectory, the prompt, reward, group, advantage and the behaviour and reference
// log-probabilities of every token, so Â, k3 and ĝ can be recomputed from the file alone.
// Additive: no field of the contract changes.

#include <nlohmann/json.hpp>

#include "session/session.h"

namespace pg {

// Adds "algorithm": {...} and per-trajectory "prompt", "prompt_text", "completion_text", "reward",
// "group", "advantage", "logp_old", "logp_ref" to `out` (a batch_dump of s). Does
// nothing unless s runs grpo.
void add_grpo_dump(const Session& s, nlohmann::json& out);

}  // namespace pg
