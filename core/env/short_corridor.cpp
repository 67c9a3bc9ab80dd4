#include "env/short_corridor.h"

#include <string>

#include "util/error.h"
#include "util/text.h"

namespace pg {

ShortCorridor::ShortCorridor(ShortCorridorConfig config) : config_(config), model_(4, 2, 1) {
  if (!(config_.gamma >= 0.0 && config_.gamma <= 1.0))
    throw InputError("env.gamma",
                     "gamma " + number_text(config_.gamma) + " is out of range; allowed: [0, 1]");
  if (config_.step_limit < 0)
    throw InputError("env.step_limit",
                     "step_limit " + std::to_string(config_.step_limit) +
                         " is negative; allowed: 0 (no limit) or a positive number of steps");
  for (int s = 0; s < 4; ++s) {
    model_.set_obs_of_state(s, 0);
    for (int a = 0; a < 2; ++a) {
      if (s == kGoal) {
        model_.add(s, a, s, 1.0);  // ignored by the oracle; keeps the dumped P stochastic
        continue;
      }
      model_.add(s, a, next_state(s, a), 1.0);
      model_.set_reward(s, a, -1.0);
    }
  }
  model_.set_terminal(kGoal, true);
  model_.set_start(0, 1.0);
}

int ShortCorridor::next_state(int s, int a) {
  const int right = s == 1 ? 1 - a : a;  // state 1 swaps the actions
  if (right) return s + 1;
  return s == 0 ? 0 : s - 1;
}

void ShortCorridor::reset(Rng&) {
  state_ = 0;
  elapsed_ = 0;
}

StepResult ShortCorridor::step(int action, Rng&) {
  PG_ASSERT(action == 0 || action == 1, "ShortCorridor actions are 0 left, 1 right");
  PG_ASSERT(state_ != kGoal, "ShortCorridor::step after termination: call reset() first");
  state_ = next_state(state_, action);
  ++elapsed_;
  StepResult r;
  r.reward = -1.0;
  r.terminated = state_ == kGoal;
  r.truncated = !r.terminated && config_.step_limit > 0 && elapsed_ == config_.step_limit;
  return r;
}

double short_corridor_closed_form_J(double p) {
  return (2.0 * p - 4.0) / (p * (1.0 - p));
}

std::string ShortCorridor::action_name(int a) const {
  return a == 0 ? "left" : "right";
}

std::string ShortCorridor::action_label(int a) const {
  return a == 0 ? "← left" : "→ right";
}

std::string ShortCorridor::describe_state(const double* obs, int state, bool long_form) const {
  (void)obs;
  if (state < 0) return "–";
  std::string out = std::to_string(state);
  if (!long_form) return out;
  out.insert(0, "state ");
  if (state == 1) out.append(" (actions reversed here)");
  if (state == kGoal) out.append(" (the goal)");
  return out;
}

}  // namespace pg
