#pragma once
// The finite MDP behind GridWorld, ShortCorridor and Bandit, read by the exact oracle (exact/) and
// written into the batch dump (DESIGN.md §4).
//
// States 0..S-1, actions 0..A-1. Transitions are sparse: each (s, a) lists its successors with
// probabilities summing to 1. Terminal states take no actions (their rows are ignored). Rewards are
// expected rewards R[s][a]. Several states may show the same observation (state aliasing).

#include <cstddef>
#include <vector>

namespace pg {

struct Transition {
  int next = 0;
  double prob = 0.0;
};

class TabularModel {
 public:
  TabularModel() = default;
  TabularModel(int num_states, int num_actions, int num_obs);

  int num_states() const { return num_states_; }
  int num_actions() const { return num_actions_; }
  int num_obs() const { return num_obs_; }

  // Successors of (s, a); merges duplicates when added through add().
  const std::vector<Transition>& successors(int s, int a) const {
    return next_[s * num_actions_ + a];
  }
  double reward(int s, int a) const { return reward_[s * num_actions_ + a]; }
  double start(int s) const { return start_[s]; }
  bool terminal(int s) const { return terminal_[s] != 0; }
  int obs_of_state(int s) const { return obs_of_state_[s]; }

  // Building. add() accumulates probability for a repeated successor.
  void add(int s, int a, int next, double prob);
  void set_reward(int s, int a, double r) { reward_[s * num_actions_ + a] = r; }
  void set_start(int s, double p) { start_[s] = p; }
  void set_terminal(int s, bool t) { terminal_[s] = t ? 1 : 0; }
  void set_obs_of_state(int s, int o) { obs_of_state_[s] = o; }

  // Dense P[s][a][s'] (for the dump and small tests).
  std::vector<std::vector<std::vector<double>>> dense_p() const;

 private:
  int num_states_ = 0;
  int num_actions_ = 0;
  int num_obs_ = 0;
  std::vector<std::vector<Transition>> next_;  // [s * A + a]
  std::vector<double> reward_;                 // [s * A + a]
  std::vector<double> start_;
  std::vector<char> terminal_;
  std::vector<int> obs_of_state_;
};

}  // namespace pg
