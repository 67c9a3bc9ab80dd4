#pragma once
// The batch dump `pglab.batch/1` (DESIGN.md §4, contract): everything needed to recompute the
// gradient estimate — and, in finite worlds, the exact J and ∇J — from the file alone.
//
// Additive fields beyond the contract: "psi" per trajectory (ψ_it as used), "optimal_baseline"
// (per parameter, for the optimal baseline), "exact.V" (V^π at t = 0 per state).

#include <nlohmann/json.hpp>

#include "nn/mlp.h"
#include "session/session.h"

namespace pg {

// The dump of the session's current batch and estimate (needs phase past estimate).
nlohmann::json batch_dump(const Session& s);

// What the algorithm adds beyond the Estimate (Algorithm::dump_extras): its scalars into `alg`,
// each per-step series cut into out["trajectories"][i][name] by the estimate's offsets.
void add_dump_extras(const Session& s, nlohmann::json& alg, nlohmann::json& out);

// An Mlp's layers as the dump writes them: [{"W": out×in rows, "b": [...]}, ...].
nlohmann::json mlp_layers_json(const Mlp& net);

// The policy block alone ({"kind", "num_actions", "logits" | "layers", "activation"}).
nlohmann::json policy_json(const Policy& p);

}  // namespace pg
