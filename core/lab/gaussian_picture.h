#pragma once
// What the views draw for a one-dimensional Gaussian policy (DESIGN.md §3a: views read what the
// core describes). GaussianAt: μ, σ at one state with the action bounds; GaussianStep: one
// step's sample, the action the environment applied and the Gaussian it came from; CurvePicture:
// the continuous bandit's reward curve with the policy's density over it and the batch's samples.

#include <vector>

#include "env/env.h"
#include "policy/policy.h"
#include "rollout/trajectory.h"

namespace pg {

struct GaussianAt {
  bool valid = false;  // a Gaussian policy over one action dimension
  double mu = 0.0, sigma = 0.0;
  double low = 0.0, high = 0.0;  // the environment's bounds
  bool squash = false;
  double env_mu = 0.0;  // the action the environment gets for u = μ (clipped or squashed)
};
GaussianAt gaussian_at(const Env& env, const Policy& policy, ObsRef o);

// The action the environment applies for the sample u (one action dimension): the policy's map
// (tanh-squashed and scaled with policy.squash, else u itself), then the environment's clip.
double applied_action(const Env& env, const Policy& policy, double u);

// One step of a trajectory with a one-dimensional continuous action, as the inspector shows it.
struct GaussianStep {
  bool valid = false;  // a Gaussian policy over one action dimension and t inside the trajectory
  GaussianAt at;       // μ, σ at s_t under the policy given
  double u = 0.0;      // the sample as the trajectory stores it (Trajectory::act_u, before the map)
  double applied = 0.0;  // what the environment applied: applied_action(u)
  bool clipped = false;  // unsquashed u outside the bounds: the environment clipped it
};
// `policy` should be the one that sampled `tr` (Session::behaviour_policy()), so μ and σ are the
// distribution u was drawn from.
GaussianStep gaussian_step(const Env& env, const Policy& policy, const Trajectory& tr, int t);

struct CurvePicture {
  bool valid = false;           // the continuous bandit with a Gaussian policy
  std::vector<double> a;        // grid over [low, high]
  std::vector<double> reward;   // r(a)
  std::vector<double> density;  // the policy's density of the action the environment receives
  double low = 0.0, high = 0.0;
  double mu = 0.0, sigma = 0.0, J = 0.0;   // J exact (quadrature)
  double best_a = 0.0, best_r = 0.0;       // the curve's maximum (refined off the grid)
  double mass_low = 0.0, mass_high = 0.0;  // unsquashed: probability clipped to each bound
  std::vector<double> sample_a,
      sample_r;  // the batch's actions (as the env received them), rewards
};
CurvePicture curve_picture(const Env& env, const Policy& policy, const Batch* batch,
                           int points = 400);

}  // namespace pg
