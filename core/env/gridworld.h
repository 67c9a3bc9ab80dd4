#pragma once
// GridWorld: a GridMap as a finite MDP.
//
// States are the non-wall cells in row-major order; the observation index is the state index and
// the features are one-hot (obs_dim = num_obs = number of non-wall cells).
// Actions: 0 up, 1 right, 2 down, 3 left. With probability 1 − slip the intended move happens,
// with slip/2 each of the two perpendicular ones (clockwise a+1 first, then counter-clockwise
// a+3). A move into a wall or off the grid stays put.
// Reward of a step: the entered cell's own reward when the map gives one (GridMap::rewards), else
// goal_reward when it enters G, pit_reward when it enters X, else step_reward;
// entering G or X terminates. Truncated when elapsed() == step_limit (0 = never) and not
// terminated.
// step() makes no random draw when slip == 0 and exactly one uniform draw otherwise.

#include <utility>
#include <vector>

#include "env/env.h"
#include "env/grid_map.h"
#include "env/tabular_model.h"

namespace pg {

struct GridWorldConfig {
  GridMap map;
  double slip = 0.0;         // [0, 1]: probability of a perpendicular move
  double step_reward = 0.0;  // reward of a step that enters '.' or 'S'
  double goal_reward = 1.0;  // reward of the step that enters 'G'
  double pit_reward = -1.0;  // reward of the step that enters 'X'
  double gamma = 0.99;       // [0, 1]
  int step_limit = 100;      // ≥ 0; 0 = no limit
};

class GridWorld final : public Env, public GridLayout {
 public:
  // Throws InputError for slip outside [0, 1], gamma outside [0, 1], negative step_limit.
  explicit GridWorld(GridWorldConfig config);

  std::string name() const override { return "gridworld"; }
  int num_actions() const override { return 4; }
  int obs_dim() const override { return num_states_; }
  int num_obs() const override { return num_states_; }
  double gamma() const override { return config_.gamma; }
  int step_limit() const override { return config_.step_limit; }

  void reset(Rng& rng) override;
  StepResult step(int action, Rng& rng) override;

  void observe(double* features) const override;
  int obs_index() const override { return state_; }
  int state_index() const override { return state_; }
  int elapsed() const override { return elapsed_; }
  const TabularModel* model() const override { return &model_; }
  std::unique_ptr<Env> clone() const override { return std::make_unique<GridWorld>(*this); }
  // "up" …; "↑ up" …; a state as its cell: "cell (row r, col c)" or "(r,c)".
  // For views (DESIGN.md §3a).
  EnvPicture picture() const override { return EnvPicture::kGrid; }
  const GridLayout* grid() const override { return this; }
  std::string action_name(int a) const override;
  std::string action_label(int a) const override;
  std::string describe_state(const double* obs, int state, bool long_form) const override;

  // For views and tests.
  const GridWorldConfig& config() const { return config_; }
  int rows() const override { return config_.map.rows; }
  int cols() const override { return config_.map.cols; }
  char cell(int r, int c) const override { return config_.map.at(r, c); }
  int state_of_cell(int r, int c) const override {
    return state_of_cell_[static_cast<size_t>(r) * cols() + c];
  }  // −1 for walls
  std::pair<int, int> cell_of_state(int s) const override {
    return {cell_of_state_[s] / cols(), cell_of_state_[s] % cols()};
  }
  int state() const { return state_; }
  // Places the agent in state s (not terminal-checked), e.g. to start a hand-driven demo.
  void set_state(int s) { state_ = s; }
  // Where action `dir` (0..3) leads from state s, ignoring slip.
  int move(int s, int dir) const { return next_[s * 4 + dir]; }

 private:
  void build_model();

  GridWorldConfig config_;
  int num_states_ = 0;
  std::vector<int> state_of_cell_;    // rows·cols, −1 for walls
  std::vector<int> cell_of_state_;    // S: r·cols + c
  std::vector<int> next_;             // S·4: deterministic successor per direction
  std::vector<double> enter_reward_;  // S: reward of a step that enters s
  std::vector<char> terminal_;        // S
  std::vector<int> starts_;           // states of the 'S' cells
  TabularModel model_;
  int state_ = 0;
  int elapsed_ = 0;
};

}  // namespace pg
