// pglab bench: the speed figures the issues set targets for (one core each).
#include <cstdio>

#include "cli/commands.h"
#include "lab/bench_env.h"
#include "lab/bench_nn.h"
#include "lab/bench_reinforce.h"

namespace pg::cli {

void add_bench(CLI::App& app, BenchArgs& a) {
  CLI::App* cmd = app.add_subcommand("bench", "Measure cartpole, MLP and REINFORCE speed");
  cmd->add_flag("--json", a.json, "Print JSON");
  cmd->add_flag("--ppo", a.ppo_only, "Only the PPO figures (ppo_us_per_step, ppo_solve_s)");
  cmd->callback([&a] { a.chosen = true; });
}

int run_bench(const BenchArgs& a) {
  // PPO first: its figures take the longest (~15 s of CPU) and matter most (issue 12).
  const double ppo_step = ppo_us_per_step();
  long steps[5];
  const double ppo_solve = ppo_solve_s(steps);
  char steps_text[128];
  std::snprintf(steps_text, sizeof steps_text, "%ld, %ld, %ld, %ld, %ld", steps[0], steps[1],
                steps[2], steps[3], steps[4]);
  if (a.ppo_only) {
    if (a.json)
      std::printf("{\"ppo_us_per_step\": %.2f, \"ppo_solve_s\": %.3f, \"ppo_solve_steps\": [%s]}\n",
                  ppo_step, ppo_solve, steps_text);
    else
      std::printf(
          "ppo_us_per_step               %14.2f   (cartpole-ppo, 50 iterations, CPU time)\n"
          "ppo_solve_s                   %14.3f   (median of seeds 1-5 to the 475 bar; steps %s)\n",
          ppo_step, ppo_solve, steps_text);
    return kExitOk;
  }
  const double cartpole = cartpole_steps_per_second(0.5);
  const double mlp = mlp_fwd_bwd_ns_per_sample();
  const double reinforce = reinforce_1000_estimates_ms();
  if (a.json) {
    std::printf(
        "{\"cartpole_steps_per_s\": %.0f, \"mlp_fwd_bwd_ns_per_sample\": %.1f, "
        "\"reinforce_1000_estimates_ms\": %.2f, \"ppo_us_per_step\": %.2f, \"ppo_solve_s\": %.3f, "
        "\"ppo_solve_steps\": [%s]}\n",
        cartpole, mlp, reinforce, ppo_step, ppo_solve, steps_text);
  } else {
    std::printf("cartpole_steps_per_s          %14.0f   (target >= 50e6)\n", cartpole);
    std::printf("mlp_fwd_bwd_ns_per_sample     %14.1f   (target <= 1000, 4-64-64-2 tanh)\n", mlp);
    std::printf("reinforce_1000_estimates_ms   %14.2f   (target <= 50, 8x8 map, batch 16)\n",
                reinforce);
    std::printf("ppo_us_per_step               %14.2f   (cartpole-ppo, 50 iterations, CPU time)\n",
                ppo_step);
    std::printf(
        "ppo_solve_s                   %14.3f   (median of seeds 1-5 to the 475 bar; steps %s)\n",
        ppo_solve, steps_text);
  }
  return kExitOk;
}

}  // namespace pg::cli
