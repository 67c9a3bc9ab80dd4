#include "env/cartpole.h"

#include <cstdio>
#include <string>

#include "util/error.h"
#include "util/text.h"

namespace pg {

CartPole::CartPole(CartPoleConfig config) : config_(config) {
  if (!(config_.gamma >= 0.0 && config_.gamma <= 1.0))
    throw InputError("env.gamma",
                     "gamma " + number_text(config_.gamma) + " is out of range; allowed: [0, 1]");
  if (config_.step_limit < 0)
    throw InputError("env.step_limit",
                     "step_limit " + std::to_string(config_.step_limit) +
                         " is negative; allowed: 0 (no limit) or a positive number of steps");
}

// Continuous cart-pole has one action dimension, its force (the index names the dimension).
std::string CartPole::action_name(int a) const {
  if (config_.continuous) return "force";
  return a == 0 ? "push left" : "push right";
}

std::string CartPole::action_label(int a) const {
  if (config_.continuous) return "u";
  return a == 0 ? "← left" : "→ right";
}

std::string CartPole::feature_name(int k) const {
  static const char* const kNames[] = {"cart position x (m)", "cart velocity dx/dt (m/s)",
                                       "pole angle θ (rad)", "pole angular velocity dθ/dt (rad/s)"};
  return k >= 0 && k < 4 ? kNames[k] : Env::feature_name(k);
}

std::string CartPole::describe_state(const double* x, int state, bool long_form) const {
  (void)state;
  if (!x) return "–";
  char buf[160];
  if (long_form)
    std::snprintf(buf, sizeof buf,
                  "x = %+.3f m,  dx/dt = %+.3f m/s\nθ = %+.4f rad,  dθ/dt = %+.3f rad/s", x[0],
                  x[1], x[2], x[3]);
  else
    std::snprintf(buf, sizeof buf, "θ %+.3f", x[2]);
  return buf;
}

}  // namespace pg
