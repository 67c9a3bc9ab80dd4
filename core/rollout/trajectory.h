#pragma once
// One episode (or segment) and a batch of them: what the collect phase produces.
//
// Step t holds s_t (features and indices), a_t and r_t; T = length(). obs holds T rows of obs_dim
// features, row-major. final_obs is s_T, the state after the last step (for bootstrapping when the
// episode was truncated; while the episode is still being sampled, the state it has reached).
// Vectors are cleared, not freed, between uses so a reused Trajectory does not allocate once warm.

#include <vector>

#include "policy/policy.h"

namespace pg {

struct Trajectory {
  int obs_dim = 0;
  std::vector<double> obs;        // T × obs_dim
  std::vector<int> obs_index;     // T; tabular observation index or -1
  std::vector<int> state;         // T; model state index or -1
  std::vector<int> actions;       // T: discrete action index; −1 for continuous actions
  int action_dim = 0;             // continuous actions: values per action (0: discrete)
  std::vector<double> act_u;      // T × action_dim: the policy's sample u (before the env clips)
  std::vector<double> rewards;    // T
  std::vector<double> logp;       // T: log π_b(a_t|s_t) under the policy that sampled the step
  std::vector<double> final_obs;  // obs_dim: s_T
  int final_state = -1;           // model state of s_T or -1
  // The episode (or piece) is over: nothing more will be appended to it.
  bool ended() const { return terminated || truncated || cut; }
  bool terminated = false;  // s_T is terminal: V(s_T) = 0
  bool truncated = false;   // the step limit ended the episode: bootstrap from V(s_T)
  // Segment collection: this piece was cut at the segment's end and the episode goes on in the
  // next batch (bootstrap from V(s_T)); start_t is the episode step of the piece's first step.
  bool cut = false;
  int start_t = 0;

  int length() const { return static_cast<int>(actions.size()); }
  // Whether the return after s_T must be estimated (bootstrapped) rather than taken as 0.
  bool bootstrap() const { return !terminated && (truncated || cut); }
  ActRef act_at(int t) const {
    return ActRef(actions[t],
                  action_dim ? act_u.data() + static_cast<size_t>(t) * action_dim : nullptr);
  }
  // All T actions, for the policy's batched calls.
  ActionsRef all_actions() const {
    return ActionsRef(actions.data(), action_dim ? act_u.data() : nullptr, action_dim);
  }
  ObsRef obs_at(int t) const {
    return {obs_index[t], obs.data() + static_cast<size_t>(t) * obs_dim};
  }
  // Undiscounted sum of rewards (what learning curves show).
  double total_reward() const;
  // Σ_t γ^t r_t = G_0.
  double discounted_return(double gamma) const;
  void clear(int dim, int act_dim = 0);
};

struct Batch {
  std::vector<Trajectory> trajectories;
  int num_steps() const;
  int size() const { return static_cast<int>(trajectories.size()); }
};

}  // namespace pg
