// pglab bench: the speed figures the issues set targets for (one core each).
#include <cstdio>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/stop_signal.h"
#include "lab/bench_env.h"
#include "lab/bench_nn.h"
#include "lab/bench_reinforce.h"

namespace pg::cli {

void add_bench(CLI::App& app, BenchArgs& a) {
  CLI::App* cmd = app.add_subcommand("bench", "Measure cartpole, MLP and REINFORCE speed");
  add_switch(*cmd, "--json", a.json, "Print JSON");
  add_switch(*cmd, "--ppo", a.ppo_only,
             "Only the PPO figures (ppo_us_per_step, ppo_solve_s, in float64 and float32)");
  cmd->callback([&a] { a.chosen = true; });
}

namespace {

// One printed figure: its JSON key, its value as printed, and (text output) what it measures.
struct Figure {
  std::string key;
  std::string value;
  std::string note;
};

std::string fixed(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

// The PPO figures of one policy.precision; keys end in suffix ("" for float64, "_f32").
void add_ppo_figures(std::vector<Figure>& out, Precision precision, const std::string& suffix) {
  const std::string label = std::string(", ") + name_of(precision);
  out.push_back({"ppo_us_per_step" + suffix, fixed(ppo_us_per_step(precision), 2),
                 "cartpole-ppo, 50 iterations, CPU time" + label});
  long steps[5];
  const double solve = ppo_solve_s(precision, steps);
  std::string list;
  for (long s : steps) list += (list.empty() ? "" : ", ") + std::to_string(s);
  out.push_back({"ppo_solve_s" + suffix, fixed(solve, 3),
                 "median of seeds 1-5 to the 475 bar" + label + "; steps " + list});
  out.push_back({"ppo_solve_steps" + suffix, "[" + list + "]", ""});
}

}  // namespace

int run_bench(const BenchArgs& a) {
  // The timings poll no flag (a figure takes up to ~15 s) and write no file: a signal ends the
  // run at once with its line.
  const StopWatcher watch("bench");
  // PPO first: its figures take the longest (~30 s of CPU for both precisions) and matter most
  // (issue 12).
  std::vector<Figure> figures;
  add_ppo_figures(figures, Precision::kFloat64, "");
  add_ppo_figures(figures, Precision::kFloat32, "_f32");
  if (!a.ppo_only) {
    figures.insert(
        figures.begin(),
        {{"cartpole_steps_per_s", fixed(cartpole_steps_per_second(0.5), 0), "target >= 50e6"},
         {"mlp_fwd_bwd_ns_per_sample", fixed(mlp_fwd_bwd_ns_per_sample(), 1),
          "target <= 1000, 4-64-64-2 tanh"},
         {"reinforce_1000_estimates_ms", fixed(reinforce_1000_estimates_ms(), 2),
          "target <= 50, 8x8 map, batch 16"}});
  }
  if (const int sig = stop_signal()) {  // came after the watcher's last look
    std::fputs(stopped_line("bench", sig, {}).c_str(), stderr);
    return exit_code_of(sig);
  }
  if (a.json) {
    std::string line = "{";
    for (const Figure& f : figures)
      line += (line.size() > 1 ? ", \"" : "\"") + f.key + "\": " + f.value;
    std::printf("%s}\n", line.c_str());
    return kExitOk;
  }
  for (const Figure& f : figures)
    if (!f.note.empty())  // the steps lists are in their solve figure's note
      std::printf("%-29s %14s   (%s)\n", f.key.c_str(), f.value.c_str(), f.note.c_str());
  return kExitOk;
}

}  // namespace pg::cli
