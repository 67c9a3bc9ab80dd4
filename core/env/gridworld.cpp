#include "env/gridworld.h"

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "util/error.h"
#include "util/text.h"

namespace pg {

GridWorld::GridWorld(GridWorldConfig config) : config_(std::move(config)) {
  if (!(config_.slip >= 0.0 && config_.slip <= 1.0))
    throw InputError("env.slip",
                     "slip " + number_text(config_.slip) + " is out of range; allowed: [0, 1]");
  if (!(config_.gamma >= 0.0 && config_.gamma <= 1.0))
    throw InputError("env.gamma",
                     "gamma " + number_text(config_.gamma) + " is out of range; allowed: [0, 1]");
  if (config_.step_limit < 0)
    throw InputError("env.step_limit",
                     "step_limit " + std::to_string(config_.step_limit) +
                         " is negative; allowed: 0 (no limit) or a positive number of steps");
  const GridMap& m = config_.map;
  PG_ASSERT(m.rows > 0 && m.cols > 0 && static_cast<int>(m.cells.size()) == m.rows * m.cols,
            "GridWorld needs a map from parse_grid_map()/load_grid_map()");

  state_of_cell_.assign(m.cells.size(), -1);
  for (int i = 0; i < static_cast<int>(m.cells.size()); ++i) {
    if (m.cells[i] == '#') continue;
    state_of_cell_[i] = num_states_++;
    cell_of_state_.push_back(i);
  }
  next_.resize(static_cast<size_t>(num_states_) * 4);
  enter_reward_.resize(num_states_);
  terminal_.resize(num_states_);
  const int dr[4] = {-1, 0, 1, 0}, dc[4] = {0, 1, 0, -1};
  for (int s = 0; s < num_states_; ++s) {
    const int r = cell_of_state_[s] / m.cols, c = cell_of_state_[s] % m.cols;
    const char ch = m.cells[cell_of_state_[s]];
    for (int d = 0; d < 4; ++d) {
      const int rr = r + dr[d], cc = c + dc[d];
      const bool inside = rr >= 0 && rr < m.rows && cc >= 0 && cc < m.cols;
      const int t = inside ? state_of_cell_[static_cast<size_t>(rr) * m.cols + cc] : -1;
      next_[s * 4 + d] = t >= 0 ? t : s;
    }
    terminal_[s] = (ch == 'G' || ch == 'X') ? 1 : 0;
    enter_reward_[s] = ch == 'G'   ? config_.goal_reward
                       : ch == 'X' ? config_.pit_reward
                                   : config_.step_reward;
    if (ch == 'S') starts_.push_back(s);
  }
  for (const CellReward& cr : config_.map.rewards) {  // a cell's own reward replaces its kind's
    const int s = state_of_cell_[static_cast<size_t>(cr.row) * cols() + cr.col];
    if (s >= 0) enter_reward_[s] = cr.reward;
  }
  PG_ASSERT(!starts_.empty(),
            "GridWorld needs a map with at least one 'S' (parse_grid_map checks this)");
  build_model();
  state_ = starts_.front();
}

void GridWorld::build_model() {
  model_ = TabularModel(num_states_, 4, num_states_);
  const double slip = config_.slip;
  for (int s = 0; s < num_states_; ++s) {
    model_.set_obs_of_state(s, s);
    model_.set_terminal(s, terminal_[s] != 0);
    for (int a = 0; a < 4; ++a) {
      if (terminal_[s]) {
        // Terminal rows are ignored by the oracle; a zero-reward self-loop keeps every row of the
        // dumped P a probability distribution.
        model_.add(s, a, s, 1.0);
        continue;
      }
      // Same outcomes, same probabilities as step(): intended, clockwise, counter-clockwise.
      const int dirs[3] = {a, (a + 1) % 4, (a + 3) % 4};
      const double probs[3] = {1.0 - slip, 0.5 * slip, 0.5 * slip};
      double r = 0.0;
      for (int k = 0; k < 3; ++k) {
        if (probs[k] <= 0.0) continue;
        const int t = next_[s * 4 + dirs[k]];
        model_.add(s, a, t, probs[k]);
        r += probs[k] * enter_reward_[t];
      }
      model_.set_reward(s, a, r);
    }
  }
  const double p = 1.0 / static_cast<double>(starts_.size());
  for (int s : starts_) model_.set_start(s, p);
}

void GridWorld::reset(Rng& rng) {
  // One draw only when there is a choice, so single-start maps consume no randomness.
  state_ = starts_.size() == 1 ? starts_.front()
                               : starts_[rng.below(static_cast<uint32_t>(starts_.size()))];
  elapsed_ = 0;
}

StepResult GridWorld::step(int action, Rng& rng) {
  PG_ASSERT(action >= 0 && action < 4, "GridWorld actions are 0 up, 1 right, 2 down, 3 left");
  PG_ASSERT(!terminal_[state_], "GridWorld::step after termination: call reset() first");
  int dir = action;
  const double slip = config_.slip;
  if (slip > 0.0) {
    // u < 1 − slip: intended; then slip/2 clockwise; then slip/2 counter-clockwise (as the model).
    const double u = rng.uniform();
    if (u >= 1.0 - slip) dir = u < 1.0 - 0.5 * slip ? (action + 1) & 3 : (action + 3) & 3;
  }
  state_ = next_[state_ * 4 + dir];
  ++elapsed_;
  StepResult r;
  r.reward = enter_reward_[state_];
  r.terminated = terminal_[state_] != 0;
  r.truncated = !r.terminated && config_.step_limit > 0 && elapsed_ == config_.step_limit;
  return r;
}

void GridWorld::observe(double* features) const {
  std::memset(features, 0, sizeof(double) * static_cast<size_t>(num_states_));
  features[state_] = 1.0;
}

std::string GridWorld::action_name(int a) const {
  static constexpr const char* kNames[] = {"up", "right", "down", "left"};
  return a >= 0 && a < 4 ? kNames[a] : "?";
}

std::string GridWorld::action_label(int a) const {
  static constexpr const char* kNames[] = {"↑ up", "→ right", "↓ down", "← left"};
  return a >= 0 && a < 4 ? kNames[a] : "?";
}

std::string GridWorld::describe_state(const double* obs, int state, bool long_form) const {
  (void)obs;
  if (state < 0 || state >= num_states_) return "–";
  const auto [r, c] = cell_of_state(state);
  char buf[64];
  std::snprintf(buf, sizeof buf, long_form ? "cell (row %d, col %d)" : "(%d,%d)", r, c);
  return buf;
}

}  // namespace pg
