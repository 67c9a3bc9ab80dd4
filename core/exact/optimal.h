#pragma once
// The optimal value of a finite world: the best J any policy can reach, for comparing a learner's
// exact J against (e.g. A2C on the 8×8 frozen lake).
//
// With step limit H > 0 (the problem the sampler and exact_evaluate solve: episodes cut after H
// steps, no bootstrap), backward induction over t = H−1 … 0:
//   V*_H = 0,  Q*_t(s,a) = R(s,a) + γ Σ_s' P(s'|s,a) V*_{t+1}(s'),  V*_t(s) = max_a Q*_t(s,a)
// (V* = 0 at terminal states); without a limit, value iteration on the same backup until the
// largest change is below tol (needs γ < 1 or episodes that end under every policy).
//   J* = Σ_s start(s) V*_0(s).

#include <Eigen/Core>

#include "env/env.h"

namespace pg {

struct OptimalResult {
  double J = 0.0;
  Eigen::VectorXd V;       // S: V*_0(s) (finite horizon) or V*(s)
  Eigen::VectorXi greedy;  // S: argmax_a Q*_0(s,a) (lowest index on ties; 0 at terminal states)
  int horizon = 0;         // H used; 0 = infinite
  int sweeps = 0;          // backups made (H, or value-iteration sweeps)
};

// For env.step_limit() as the horizon. Throws InputError when env has no model, or when value
// iteration (no limit) has not converged after max_sweeps.
OptimalResult optimal_values(const Env& env, double tol = 1e-12, int max_sweeps = 1000000);

}  // namespace pg
