#include "env/tabular_model.h"

namespace pg {

TabularModel::TabularModel(int num_states, int num_actions, int num_obs)
    : num_states_(num_states),
      num_actions_(num_actions),
      num_obs_(num_obs),
      next_(static_cast<size_t>(num_states) * num_actions),
      reward_(static_cast<size_t>(num_states) * num_actions, 0.0),
      start_(num_states, 0.0),
      terminal_(num_states, 0),
      obs_of_state_(num_states, 0) {}

void TabularModel::add(int s, int a, int next, double prob) {
  auto& list = next_[s * num_actions_ + a];
  for (auto& t : list) {
    if (t.next == next) {
      t.prob += prob;
      return;
    }
  }
  list.push_back({next, prob});
}

std::vector<std::vector<std::vector<double>>> TabularModel::dense_p() const {
  std::vector<std::vector<std::vector<double>>> p(
      num_states_,
      std::vector<std::vector<double>>(num_actions_, std::vector<double>(num_states_, 0.0)));
  for (int s = 0; s < num_states_; ++s)
    for (int a = 0; a < num_actions_; ++a)
      for (const auto& t : successors(s, a)) p[s][a][t.next] += t.prob;
  return p;
}

}  // namespace pg
