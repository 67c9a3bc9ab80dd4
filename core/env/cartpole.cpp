#include "env/cartpole.h"

#include <string>

namespace pg {

CartPole::CartPole(CartPoleConfig config) : config_(config) {
  if (!(config_.gamma >= 0.0 && config_.gamma <= 1.0))
    throw InputError("env.gamma", "gamma " + std::to_string(config_.gamma) + " is out of range; allowed: [0, 1]");
  if (config_.step_limit < 0)
    throw InputError("env.step_limit", "step_limit " + std::to_string(config_.step_limit) +
                                           " is negative; allowed: 0 (no limit) or a positive number of steps");
}

}  // namespace pg
