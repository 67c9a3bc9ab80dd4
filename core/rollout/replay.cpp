#include "rollout/replay.h"

#include <algorithm>

#include "env/env.h"
#include "env/tabular_model.h"
#include "util/error.h"

namespace pg {

ReplayBuffer::ReplayBuffer(int capacity, int obs_dim, int action_dim)
    : capacity_(capacity),
      obs_dim_(obs_dim),
      action_dim_(action_dim),
      x_(static_cast<size_t>(capacity) * obs_dim),
      next_x_(static_cast<size_t>(capacity) * obs_dim),
      act_(static_cast<size_t>(capacity) * action_dim),
      act_env_(action_dim),
      index_(capacity),
      next_index_(capacity),
      action_(capacity),
      iteration_(capacity),
      reward_(capacity),
      terminated_(capacity),
      truncated_(capacity) {
  PG_ASSERT(capacity > 0, "a replay buffer needs a positive capacity");
}

void ReplayBuffer::push(int obs_index, const double* x, int action, double reward, int next_index,
                        const double* next_x, bool terminated, bool truncated, int iteration,
                        const double* act) {
  const int k = next_;
  index_[k] = obs_index;
  next_index_[k] = next_index;
  if (obs_dim_ > 0) {
    std::copy(x, x + obs_dim_, x_.begin() + static_cast<size_t>(k) * obs_dim_);
    std::copy(next_x, next_x + obs_dim_, next_x_.begin() + static_cast<size_t>(k) * obs_dim_);
  }
  action_[k] = action;
  if (action_dim_ > 0) {
    PG_ASSERT(act != nullptr, "a continuous-action replay buffer needs the action's values");
    std::copy(act, act + action_dim_, act_.begin() + static_cast<size_t>(k) * action_dim_);
  }
  reward_[k] = reward;
  terminated_[k] = terminated;
  truncated_[k] = truncated;
  iteration_[k] = iteration;
  next_ = (next_ + 1) % capacity_;
  size_ = std::min(size_ + 1, capacity_);
  ++pushed_;
}

void ReplayBuffer::push_batch(const Batch& batch, const Env& env, int iteration,
                              const Policy* policy) {
  const TabularModel* model = env.model();
  PG_ASSERT(action_dim_ == 0 || policy != nullptr,
            "push_batch: continuous actions need the policy that maps u to the env's action");

  for (const Trajectory& tr : batch.trajectories) {
    const int T = tr.length();
    const bool features = obs_dim_ > 0;
    PG_ASSERT(!features || tr.obs.size() >= static_cast<size_t>(T) * obs_dim_,
              "the replay buffer keeps features: collect with features stored");
    const int final_index = model && tr.final_state >= 0 ? model->obs_of_state(tr.final_state) : -1;
    for (int t = 0; t < T; ++t) {
      const bool last = t + 1 == T;
      const double* x = features ? tr.obs.data() + static_cast<size_t>(t) * obs_dim_ : nullptr;
      const double* next_x = !features
                                 ? nullptr
                                 : (last ? tr.final_obs.data()
                                         : tr.obs.data() + static_cast<size_t>(t + 1) * obs_dim_);
      const int next_index = last ? final_index : tr.obs_index[t + 1];
      if (action_dim_ > 0)
        policy->env_action(tr.act_u.data() + static_cast<size_t>(t) * action_dim_, act_env_.data());
      push(tr.obs_index[t], x, tr.actions[t], tr.rewards[t], next_index, next_x,
           last && tr.terminated, last && tr.truncated && !tr.terminated, iteration,
           action_dim_ > 0 ? act_env_.data() : nullptr);
    }
  }
}

void ReplayBuffer::sample(Rng& rng, int B, int* idx) const {
  PG_ASSERT(size_ > 0, "sample() needs a non-empty replay buffer");
  for (int b = 0; b < B; ++b) idx[b] = static_cast<int>(rng.below(static_cast<uint32_t>(size_)));
}

}  // namespace pg
