#pragma once
// Exact objective curves and summaries for the one-observation worlds, as the environment views
// show them.
//
// Short corridor (S&B Example 13.1): every state shows observation 0, so any policy is one number
// p = π(right|o). J(p) on a grid of p comes from the exact oracle on the env as configured
// (γ and step limit included), so the curve matches what the sampler produces; with no step limit
// and γ = 1 it equals short_corridor_closed_form_J.
//
// Bandit: J = Σ_a π(a) μ(a), the best arm argmax_a μ(a) and, for a batch, the share of episodes
// that pulled each arm.

#include <vector>

#include "env/bandit.h"
#include "env/env.h"
#include "policy/policy.h"
#include "rollout/trajectory.h"

namespace pg {

struct PolicyCurve {
  std::vector<double> p;  // P(right), increasing, in (0, 1)
  std::vector<double> J;  // exact J at each p
  double p_best = 0.0;    // the grid point with the largest J
  double J_best = 0.0;
};

// J(p) at `points` (≥ 2) evenly spaced p in [lo, hi] ⊂ (0, 1). Env: one observation, two actions
// (action 1 = right), a finite model. Throws InputError otherwise.
PolicyCurve short_corridor_curve(const Env& env, int points, double lo = 0.01, double hi = 0.99);

// p* = 2 − √2, the optimum of the closed form (γ = 1, no step limit).
double short_corridor_p_star();

// π(action 1 | observation 0) of a policy on a one-observation world (features [1.0]).
double prob_of_action(const Policy& policy, int action);

struct BanditSummary {
  std::vector<double> means;  // μ(a)
  std::vector<double> probs;  // π(a)
  std::vector<double>
      batch_share;         // fraction of the batch's episodes that pulled a (0 without one)
  double J = 0.0;          // Σ_a π(a) μ(a)
  int best_arm = 0;        // argmax μ (lowest index on ties)
  double best_mean = 0.0;  // μ(best_arm) = max_π J
};

// A one-step world with a model (the bandit, EnvPicture::kArms): μ(a) is the model's expected
// reward of arm a in the start state 0. batch may be null or empty; episodes that took no step are
// ignored.
BanditSummary bandit_summary(const Env& env, const Policy& policy, const Batch* batch);

}  // namespace pg
