#pragma once
// A2C's additions to the batch dump pglab.batch/1 (README "Batch dump" › A2C): the settings and the
// per-trajectory critic values, bootstrap values, advantages and targets, so Â, ψ and ĝ can be
// recomputed from the file alone. Additive: no field of the contract changes.

#include <nlohmann/json.hpp>

#include "session/session.h"

namespace pg {

// Adds "algorithm": {...} and per-trajectory "values", "final_value", "bootstrap", "cut",
// "advantages", "targets" to `out` (a batch_dump of s). Does nothing unless s runs a2c.
void add_a2c_dump(const Session& s, nlohmann::json& out);

// The advantage settings block both actor-critic dumps carry (A2C, PPO): estimator, n, λ, γ and
// whether ψ = Â was standardised.
nlohmann::json advantage_dump(const Scenario& sc, double gamma);

// What A2C and PPO dumps share: the settings that define Â and ĝ = (1/M) Σ ∇log π ψ (advantage,
// gradient_mean_over, num_steps, entropy/value coefficients, max_grad_norm, collection) added to
// `alg`, and per trajectory values, final_value, bootstrap, cut, advantages and targets.
void add_actor_critic_dump(const Session& s, nlohmann::json& alg, nlohmann::json& out);

}  // namespace pg
