#include "rollout/trajectory.h"

namespace pg {

double Trajectory::total_reward() const {
  double s = 0.0;
  for (double r : rewards) s += r;
  return s;
}

double Trajectory::discounted_return(double gamma) const {
  double g = 0.0;
  for (int t = length() - 1; t >= 0; --t) g = rewards[t] + gamma * g;
  return g;
}

void Trajectory::clear(int dim, int act_dim) {
  obs_dim = dim;
  action_dim = act_dim;
  act_u.clear();
  obs.clear();
  obs_index.clear();
  state.clear();
  actions.clear();
  rewards.clear();
  logp.clear();
  final_obs.assign(dim, 0.0);
  final_state = -1;
  terminated = truncated = cut = false;
  start_t = 0;
}

int Batch::num_steps() const {
  int n = 0;
  for (const auto& tr : trajectories) n += tr.length();
  return n;
}

}  // namespace pg
