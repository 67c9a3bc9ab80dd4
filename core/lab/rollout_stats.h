#pragma once
// Per-step series of one trajectory and per-state counts of a batch, as the environment pictures
// and the rollout view show them.
//
//   RolloutSeries r = rollout_series(tr, gamma);   // r_t, G_t, Σ_{t'≤t} r_t' for t < T
//   std::vector<int> n = state_visits(batch, S);    // how often each model state was occupied
//
// Fractional steps: the views animate between s_t and s_{t+1}; features_at() interpolates the
// stored features linearly (t = T is final_obs, s_T), so a replay at any speed is a pure function
// of the trajectory and t.

#include <vector>

#include "env/tabular_model.h"
#include "exact/exact.h"
#include "rollout/trajectory.h"

namespace pg {

struct RolloutSeries {
  std::vector<double> t;              // 0..T−1
  std::vector<double> reward;         // r_t
  std::vector<double> reward_to_go;   // G_t = Σ_{t'≥t} γ^(t'−t) r_t'
  std::vector<double> return_so_far;  // Σ_{t'≤t} r_t' (undiscounted: what the step counter shows)
};

RolloutSeries rollout_series(const Trajectory& tr, double gamma);

// Undiscounted reward collected in the first `steps` steps (clamped to [0, T]).
double return_after(const Trajectory& tr, int steps);

// n[s] = number of times state s was occupied in the batch: s_0 … s_{T−1} and the final state s_T
// of every trajectory (so goal and pit cells count arrivals). Steps with state −1 are skipped.
std::vector<int> state_visits(const Batch& batch, int num_states);

// The obs_dim features of s_t at fractional t, clamped to [0, T]: linear between rows ⌊t⌋ and
// ⌊t⌋ + 1, where row T is final_obs. Needs stored features (obs_dim > 0) and out of obs_dim values.
void features_at(const Trajectory& tr, double t, double* out);

// Feature k of s_0 … s_T (T + 1 values; the last is final_obs). Empty without stored features.
std::vector<double> feature_series(const Trajectory& tr, int k);

// The model state at integer step t ∈ [0, T] (t = T: final_state).
int state_at(const Trajectory& tr, int t);

// Among the steps t ∈ [0, T] at which the trajectory was in `state`, the one closest to `near`
// (ties: the earlier step); −1 if it never was. t = T counts only when final_state == state.
int nearest_step_in_state(const Trajectory& tr, int state, double near);

// Smallest and largest value of v over the model's non-terminal states ({0, 0} if none).
struct ValueRange {
  double lo = 0.0, hi = 0.0;
};
ValueRange nonterminal_range(const Eigen::VectorXd& v, const TabularModel& model);

}  // namespace pg
