#pragma once
// A replay buffer of transitions (s, a, r, s′, terminated, truncated) for off-policy learners
// (algo/sac.h). Fixed capacity, a ring: once full, each push overwrites the oldest transition.
// Every array is sized in the constructor, so push() and sample() never allocate.
//
//   ReplayBuffer buf(capacity, obs_dim);
//   buf.push_batch(batch, env, iteration);     // every step of every trajectory
//   buf.sample(rng, B, idx);                   // B uniform indices in [0, size())
//   buf.obs(k), buf.action(k), buf.next_obs(k) …
//
// s′ of step t is the trajectory's observation t+1, or its final observation after the last step.
// terminated: s′ is terminal (its value is 0); truncated: the step limit ended the episode there
// (bootstrap from s′). A piece cut at a segment's end is neither.
//
// Continuous actions (action_dim > 0): each transition also keeps the action as the environment
// received it, a = policy.env_action(u) (for a tanh-squashed Gaussian: inside the bounds), the
// input a Q(s, a) critic reads; action(k) is then −1.

#include <Eigen/Core>
#include <cstdint>
#include <vector>

#include "policy/policy.h"
#include "rollout/trajectory.h"
#include "util/rng.h"

namespace pg {

class Env;

class ReplayBuffer {
 public:
  ReplayBuffer() = default;
  // obs_dim 0: tabular observations only (no features kept). action_dim 0: discrete actions.
  ReplayBuffer(int capacity, int obs_dim, int action_dim = 0);

  int capacity() const { return capacity_; }
  int size() const { return size_; }
  int obs_dim() const { return obs_dim_; }
  int action_dim() const { return action_dim_; }
  // Transitions ever pushed (the ring's write counter).
  int64_t pushed() const { return pushed_; }

  // One transition; x and next_x point to obs_dim features (ignored when obs_dim = 0); act to
  // action_dim values (continuous actions only).
  void push(int obs_index, const double* x, int action, double reward, int next_index,
            const double* next_x, bool terminated, bool truncated, int iteration,
            const double* act = nullptr);
  // Every step of the batch's trajectories, in order. Tabular indices of s′ after the last step
  // come from env.model() (obs_of_state(final_state)), as the critics read them. Continuous
  // actions are stored as policy->env_action(u) (policy must not be null then).
  void push_batch(const Batch& batch, const Env& env, int iteration,
                  const Policy* policy = nullptr);
  // B indices uniform over the stored transitions (with replacement) into idx[0..B).
  void sample(Rng& rng, int B, int* idx) const;

  ObsRef obs(int k) const {
    return {index_[k], obs_dim_ ? x_.data() + size_t(k) * obs_dim_ : nullptr};
  }
  ObsRef next_obs(int k) const {
    return {next_index_[k], obs_dim_ ? next_x_.data() + size_t(k) * obs_dim_ : nullptr};
  }
  int action(int k) const { return action_[k]; }
  // Continuous actions: the action_dim values the environment received.
  const double* act(int k) const { return act_.data() + size_t(k) * action_dim_; }
  double reward(int k) const { return reward_[k]; }
  bool terminated(int k) const { return terminated_[k] != 0; }
  bool truncated(int k) const { return truncated_[k] != 0; }
  // The iteration whose batch brought transition k (its age: current iteration − this).
  int iteration(int k) const { return iteration_[k]; }

 private:
  int capacity_ = 0, obs_dim_ = 0, action_dim_ = 0, size_ = 0, next_ = 0;
  int64_t pushed_ = 0;
  std::vector<double> x_, next_x_;  // capacity × obs_dim
  std::vector<double> act_;         // capacity × action_dim
  std::vector<double> act_env_;     // action_dim: push_batch's scratch
  std::vector<int> index_, next_index_, action_, iteration_;
  std::vector<double> reward_;
  std::vector<unsigned char> terminated_, truncated_;
};

}  // namespace pg
