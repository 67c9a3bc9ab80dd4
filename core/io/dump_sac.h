#pragma once
// SAC's additions to the batch dump pglab.batch/1 (README "Batch dump" › SAC): its settings, the
// replay buffer's counters and the last update's last gradient step whole — θ, the critics and
// their targets as that step read them, the replay sample, the target y with its terms r, γQ′ and
// −γα log π′, the critic losses, the actor's terms, objective and gradient, α before and after —
// so each recomputes from the file alone. Additive: no field of the contract changes.

#include <nlohmann/json.hpp>

#include "session/session.h"

namespace pg {

// Adds "algorithm": {...} to `out` (a batch_dump of s). Does nothing unless s's algorithm keeps a
// replay buffer (Algorithm::replay_record()).
void add_sac_dump(const Session& s, nlohmann::json& out);

}  // namespace pg
