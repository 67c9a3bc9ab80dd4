// pglab trace: step an environment through given actions from a given state, print CSV.
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "cli/commands.h"
#include "env/cartpole.h"
#include "env/pendulum.h"
#include "env/step_check.h"
#include "util/error.h"
#include "util/number_text.h"
#include "util/text.h"

namespace pg::cli {

void add_trace(CLI::App& app, TraceArgs& a) {
  CLI::App* cmd =
      app.add_subcommand("trace", "Step an environment through given actions and print CSV");
  cmd->add_option("--env", a.env, "Environment (cartpole, pendulum)")
      ->check(one_of({"cartpole", "pendulum"}));
  cmd->add_option("--init", a.init,
                  "Initial state: cartpole x,x_dot,theta,theta_dot; pendulum theta,theta_dot")
      ->required()
      ->type_name("LIST");
  cmd->add_option("--actions", a.actions,
                  "Actions, comma-separated: cartpole 0 = push left, 1 = push right; pendulum "
                  "torques (clipped to [-2, 2] by the environment)")
      ->required()
      ->type_name("LIST");
  add_switch(*cmd, "--sutton-barto", a.sutton_barto,
             "Sutton–Barto reward (0 per step, -1 on failure)");
  cmd->callback([&a] { a.chosen = true; });
}

namespace {

// A numeric fault, not bad input: every number given was finite, the dynamics overflowed
// (env/step_check.h, the check Python's Env.step makes too).
int overflowed(size_t step) {
  std::fflush(stdout);
  std::fprintf(stderr,
               "pglab trace: step %zu %s; start from a smaller --init (the rows printed so far are "
               "exact)\n",
               step, kStepOverflowed);
  return kExitFailed;
}

// Pendulum-v1 from (θ, θ̇) through the given torques: `t,action,reward,terminated,truncated,
// theta,theta_dot`, the action as given (before the environment clips it).
int run_pendulum_trace(const TraceArgs& a) {
  const std::vector<double> init =
      parse_number_list(a.init, "--init", "2 comma-separated numbers theta,theta_dot");
  if (init.size() != 2)
    throw InputError("--init", "expected 2 numbers theta,theta_dot for pendulum, got " +
                                   std::to_string(init.size()));
  if (a.sutton_barto) throw InputError("--sutton-barto", "applies to --env cartpole only");
  const std::vector<double> torques =
      parse_number_list(a.actions, "--actions", "comma-separated torques (numbers)");
  Pendulum env;
  env.set_state({init[0], init[1]});
  std::printf("t,action,reward,terminated,truncated,theta,theta_dot\n");
  std::printf("0,,0,0,0,%.17g,%.17g\n", init[0], init[1]);
  Rng rng(0);
  for (size_t t = 0; t < torques.size(); ++t) {
    const StepResult r = env.step_continuous(&torques[t], rng);
    const PendulumState& st = env.state();
    if (!step_is_finite(env, r)) return overflowed(t + 1);
    std::printf("%zu,%.17g,%.17g,%d,%d,%.17g,%.17g\n", t + 1, torques[t], r.reward,
                r.terminated ? 1 : 0, r.truncated ? 1 : 0, st.theta, st.theta_dot);
    if (r.terminated || r.truncated) break;
  }
  return kExitOk;
}

}  // namespace

int run_trace(const TraceArgs& a) {
  if (a.env == "pendulum") return run_pendulum_trace(a);
  const std::vector<double> init =
      parse_number_list(a.init, "--init", "4 comma-separated numbers x,x_dot,theta,theta_dot");
  if (init.size() != 4)
    throw InputError(
        "--init", "expected 4 numbers x,x_dot,theta,theta_dot, got " + std::to_string(init.size()));
  std::vector<int> actions;
  const std::vector<double> given = parse_number_list(
      a.actions, "--actions", "comma-separated actions 0 (push left) or 1 (push right)");
  const std::vector<std::string_view> items = split_list(a.actions);
  // An action is an index, written as one: "0" or "1" exactly. Checking the parsed number took
  // "1.0" (and "1e0", "+1", "01") as action 1 while "0.5" was refused.
  for (size_t i = 0; i < given.size(); ++i) {
    if (items[i] != "0" && items[i] != "1")
      throw InputError("--actions", "item " + std::to_string(i + 1) + " of " +
                                        std::to_string(given.size()) + ", " + quote(items[i], 40) +
                                        ", is not an action; actions are 0 (push left) or 1 "
                                        "(push right), written as integers");
    actions.push_back(items[i] == "1" ? 1 : 0);
  }
  CartPoleConfig cfg;
  cfg.sutton_barto_reward = a.sutton_barto;
  CartPole env(cfg);
  Rng rng(0);
  env.reset(rng);
  env.set_state({init[0], init[1], init[2], init[3]});
  std::printf("t,action,reward,terminated,truncated,x,x_dot,theta,theta_dot\n");
  auto row = [](int t, const char* action, double reward, bool term, bool trunc,
                const CartPoleState& s) {
    std::printf("%d,%s,%.17g,%d,%d,%.17g,%.17g,%.17g,%.17g\n", t, action, reward, term ? 1 : 0,
                trunc ? 1 : 0, s.x, s.x_dot, s.theta, s.theta_dot);
  };
  row(0, "", 0.0, false, false, env.state());
  for (size_t t = 0; t < actions.size(); ++t) {
    const StepResult r = env.step(actions[t], rng);
    const CartPoleState& st = env.state();
    if (!step_is_finite(env, r)) return overflowed(t + 1);
    row(static_cast<int>(t + 1), actions[t] ? "1" : "0", r.reward, r.terminated, r.truncated, st);
    if (r.terminated || r.truncated) break;
  }
  return kExitOk;
}

}  // namespace pg::cli
