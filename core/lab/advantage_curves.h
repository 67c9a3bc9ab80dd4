#pragma once
// The Advantages view's numbers: Â_t along one trajectory for all four estimators at once (Monte
// Carlo, TD(0), n-step, GAE(λ) — estimator/advantages.h), the critic's V(s_t) beside the empirical
// reward-to-go, and the critic's V per observation of a finite world (the grid heatmap).
//
// Bias–variance: TD(0) (= GAE λ=0, n-step n=1) leans entirely on V — low variance, biased by V's
// error; Monte Carlo (= GAE λ=1, n-step n ≥ T) uses the sampled rewards only — unbiased, high
// variance. λ and n interpolate.

#include <array>
#include <vector>

#include "rollout/trajectory.h"

namespace pg {

class Env;
class ValueFunction;
struct ExactResult;

struct AdvantageCurves {
  int length = 0;              // T
  std::vector<double> values;  // V(s_t), T
  double final_value = 0.0;    // V(s_T) where the piece bootstraps, else 0
  bool bootstrap = false;      // Trajectory::bootstrap()
  std::vector<double>
      reward_to_go;  // G_t = Σ_{k≥t} γ^{k−t} r_k, no bootstrap (what V^π would average)
  std::vector<double> mc, td0, nstep, gae;  // Â_t per estimator, T each
  std::vector<double> gae_target;           // Â^GAE_t + V_t: the λ-return the critic is fitted to
};

// From given values: values[0..T) = V(s_t), final_value = V(s_T) (read only when tr.bootstrap()).
AdvantageCurves advantage_curves(const Trajectory& tr, const double* values, double final_value,
                                 double gamma, double lambda, int n);

// V(s_t) and V(s_T) from a critic (tabular critics read s_T's observation index through
// env.model(); MLP critics read the stored features, so the trajectory must have them).
void critic_values(const Trajectory& tr, const ValueFunction& critic, const Env& env,
                   std::vector<double>& values, double& final_value);

// The critic's values over a whole batch, in the flat layout of estimator/advantages.h.
struct BatchValues {
  std::vector<int> offset;           // N + 1
  std::vector<double> values;        // V(s_it) at offset[i] + t
  std::vector<double> final_values;  // N: V(s_T) where the piece bootstraps, else 0
};
BatchValues batch_critic_values(const Batch& batch, const ValueFunction& critic, const Env& env);
// The exact V^π as the critic (issue 10, item 6: the estimators' own error, free of V_φ's): step t
// of trajectory i gets V^π_τ(s_it) at its episode step τ = start_t + t (finite horizon H: the row
// V_t(τ); no limit: V), and a bootstrapped end gets V^π_τ(s_T) at τ = start_t + T (0 at τ = H).
// Every state must be a model state (tr.state, tr.final_state ≥ 0).
BatchValues batch_exact_values(const Batch& batch, const ExactResult& ex);

// Population standard deviation of Â over all steps of the batch for each estimator, in the
// order Monte Carlo, TD(0), n-step, GAE(λ) — the spread the bias–variance trade-off is about.
std::array<double, 4> advantage_std(const Batch& batch, const BatchValues& v, double gamma,
                                    double lambda, int n);

// V_φ(o) for every observation o of a finite world (tabular critics: the table; MLP critics:
// V_φ(env.features_of(o))). Empty when env has no tabular observations.
std::vector<double> critic_value_by_obs(const ValueFunction& critic, const Env& env);

}  // namespace pg
