#pragma once
// Exact KL(π_old ‖ π) on a finite world (an Env with a TabularModel), per state and as the mean
// over the old policy's discounted visitation — the quantity a natural-gradient step bounds:
//   KL_s      = Σ_a π_old(a|s) log(π_old(a|s) / π(a|s))                 (0 at terminal states)
//   KL̄(θ_old, θ) = Σ_s d_old(s) KL_s / Σ_s d_old(s)
// with d_old = ExactResult::d of π_old (same normalisation as exact_fisher, so that
// KL̄(θ_old, θ_old + Δ) = ½ Δᵀ F Δ + O(‖Δ‖³) with F = exact_fisher(env, π_old)).
// States are shown to the policies as exact.h does: ObsRef{obs_of_state(s), features_of(·)}.

#include <Eigen/Core>

#include "env/env.h"
#include "policy/policy.h"

namespace pg {

// S values: KL_s for every model state. Throws InputError when env has no model.
Eigen::VectorXd exact_kl_per_state(const Env& env, const Policy& old_policy, const Policy& policy);

// Σ_s d_old(s) KL_s / Σ_s d_old(s) with the given visitation d_old (S values, e.g. the
// ExactResult::d the session already computed at θ_old); 0 when Σ d_old = 0.
double exact_mean_kl(const Env& env, const Policy& old_policy, const Policy& policy,
                     const Eigen::VectorXd& d_old);
// Same, computing d_old with exact_evaluate(env, old_policy).
double exact_mean_kl(const Env& env, const Policy& old_policy, const Policy& policy);

}  // namespace pg
