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
  cmd->callback([&a] { a.chosen = true; });
}

int run_bench(const BenchArgs& a) {
  const double cartpole = cartpole_steps_per_second(0.5);
  const double mlp = mlp_fwd_bwd_ns_per_sample();
  const double reinforce = reinforce_1000_estimates_ms();
  if (a.json) {
    std::printf(
        "{\"cartpole_steps_per_s\": %.0f, \"mlp_fwd_bwd_ns_per_sample\": %.1f, "
        "\"reinforce_1000_estimates_ms\": %.2f}\n",
        cartpole, mlp, reinforce);
  } else {
    std::printf("cartpole_steps_per_s          %14.0f   (target >= 50e6)\n", cartpole);
    std::printf("mlp_fwd_bwd_ns_per_sample     %14.1f   (target <= 1000, 4-64-64-2 tanh)\n", mlp);
    std::printf("reinforce_1000_estimates_ms   %14.2f   (target <= 50, 8x8 map, batch 16)\n",
                reinforce);
  }
  return kExitOk;
}

}  // namespace pg::cli
