#pragma once
// The exact oracle: J, V, Q, discounted visitation d, ∇J and the Fisher matrix of a policy on a
// finite world (an Env with a TabularModel), computed from the model instead of sampled.
//
// Horizon. With step limit H > 0 (env.step_limit(), or the `horizon` overloads) the problem is the
// finite-horizon one the sampler produces — episodes cut after H steps, no bootstrap:
//   V_H = 0,  Q_t(s,a) = R(s,a) + γ Σ_s' P(s'|s,a) V_{t+1}(s')   (V = 0 at terminal states)
//   V_t(s) = Σ_a π(a|s) Q_t(s,a),   J = Σ_s start(s) V_0(s)
//   d_0 = start,  d_{t+1}(s') = Σ_{s non-terminal} d_t(s) Σ_a π(a|s) P(s'|s,a)
//   ∇J = Σ_{t<H} γ^t Σ_s d_t(s) Σ_a π(a|s) Q_t(s,a) ∇_θ log π(a|s)
// With H = 0 it is the infinite-horizon problem: (I − γ P_π) V = r_π by sparse LU, and
// d = (I − γ P_π)^{−T} start; this needs γ < 1 or episodes that end with probability 1, and it is
// refused (InputError) where episodes almost never end: when from some state the expected
// discounted episode length L = (I − γ P_π)⁻¹ 1 exceeds 4.5e11 steps, the rounding of π alone
// costs J its 4th significant digit (relative error ≈ 2.2e-16 · L), and further on the solve
// returned J = 0 and V > 0 for a world whose rewards are all −1.
//
// d counts only non-terminal states (where an action is taken): Σ_s d(s) is the expected
// discounted episode length Σ_t γ^t P(T > t). The policy sees state s through
// ObsRef{obs_of_state(s), env.features_of(obs_of_state(s))}, so tabular and MLP policies both work.
//
// Cost: O(H · nnz(P)) for a finite horizon, one sparse LU (two for the gradient) otherwise, plus
// one add_grad_log_prob call per (state, action) for the gradient. Not thread-safe on one Policy.

#include <Eigen/Core>
#include <atomic>

#include "env/env.h"
#include "policy/policy.h"

namespace pg {

struct ExactResult {
  double J = 0.0;
  Eigen::VectorXd V;         // S: V_0(s) (finite horizon) or V(s); 0 at terminal states
  Eigen::MatrixXd Q;         // S×A: Q_0(s,a) or Q(s,a); 0 rows at terminal states
  Eigen::VectorXd d;         // S: Σ_t γ^t P(s_t = s, episode still running); 0 at terminal states
  Eigen::VectorXd gradient;  // num_params: ∇_θ J in the policy's parameter layout
  Eigen::MatrixXd V_t;       // H×S: row t is V_t (finite horizon); 0×0 when there is no limit
  Eigen::MatrixXd probs;     // S×A: π(a|s) (rows of terminal states too)
  int horizon = 0;           // H used; 0 = infinite
};

// Everything above for env.step_limit() as the horizon. Throws InputError when env has no model,
// when the policy's action count differs from the env's, or (infinite horizon) when I − γ P_π is
// singular or numerically so (γ = 1 and episodes that may never or almost never end; see above).
ExactResult exact_evaluate(const Env& env, const Policy& policy);
// `cancel` (util/cancel.h): polled once per time step of a finite horizon; Cancelled is thrown
// when it is set (a step limit of 10⁶ takes seconds).
ExactResult exact_evaluate(const Env& env, const Policy& policy, int horizon,
                           const std::atomic<bool>* cancel = nullptr);

// J alone (no gradient, no d): cheaper, for finite differences and landscapes.
double exact_J(const Env& env, const Policy& policy);
double exact_J(const Env& env, const Policy& policy, int horizon);

// Fisher information of the state-action distribution the policy induces, normalised:
//   F = Σ_s d(s) Σ_a π(a|s) ∇log π(a|s) ∇log π(a|s)ᵀ / Σ_s d(s)     (num_params × num_params)
// Dense: throws InputError above kMaxExactFisherParams parameters (use a smaller world or network);
// a session with trpo.exact_fisher refuses such a policy when it is built (Session::build).
inline constexpr int kMaxExactFisherParams = 4096;
Eigen::MatrixXd exact_fisher(const Env& env, const Policy& policy);
Eigen::MatrixXd exact_fisher(const Env& env, const Policy& policy, int horizon);

}  // namespace pg
