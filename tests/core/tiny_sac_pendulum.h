// A small SAC run on Pendulum-v1 for the tests that need many quick iterations (test_sac_gaussian,
// test_sac_alloc): sac-pendulum with 8-unit networks, 16 steps per iteration, 4 gradient steps of
// 32 transitions after 64, and a 256-transition buffer.
#pragma once

#include <nlohmann/json.hpp>

#include "io/scenario.h"

namespace pg::test {

inline Scenario tiny_sac_pendulum() {
  Scenario s = load_scenario("sac-pendulum");
  set_values(s, {{"policy.hidden", nlohmann::json::array({8})},
                 {"critic.hidden", nlohmann::json::array({8})},
                 {"algorithm.num_steps", 16},
                 {"sac.batch_size", 32},
                 {"sac.gradient_steps", 4},
                 {"sac.warmup", 64},
                 {"sac.buffer_size", 256}});
  return s;
}

}  // namespace pg::test
