// pglab grad: one batch and its gradient estimate, dumped as pglab.batch/1 (DESIGN.md §4).
#include <cstdio>

#include "cli/commands.h"
#include "cli/stop_signal.h"
#include "io/atomic_file.h"
#include "io/batch_dump.h"
#include "session/session.h"
#include "util/error.h"

namespace pg::cli {

void add_grad(CLI::App& app, GradArgs& a) {
  CLI::App* cmd =
      app.add_subcommand("grad", "Sample one batch, estimate the gradient, write the batch dump");
  add_scenario_options(*cmd, a.scenario);
  cmd->add_option("--iterations", a.iterations, "Train this many iterations first")
      ->check(integer_in(0, 10000000));
  cmd->add_option("--out", a.out, "Output JSON file (- for standard output)")
      ->required()
      ->check(file_name());
  add_change_option(*cmd, a.changes);
  cmd->callback([&a] { a.chosen = true; });
}

int run_grad(const GradArgs& a) {
  Scenario scenario = resolve(a.scenario, a.changes);
  require_distinct_files({{"--out", a.out}}, scenario_inputs(scenario, "--scenario"));
  require_writable({{"--out", a.out}});
  // SIGINT/SIGTERM stop the work (cli.cpp reports Cancelled) before anything is written.
  catch_stop_signals();
  Session s(std::move(scenario), stop_flag());
  const std::vector<ScheduledChange> plan =
      check_scheduled_changes(s, parse_changes(a.changes), a.iterations);
  if (!train_before(s, a.iterations, "grad", plan)) return kExitFailed;
  if (!s.advance(Granularity::kEstimate)) {
    std::fprintf(stderr, "pglab grad: %s\n", s.fault().c_str());
    return kExitFailed;
  }
  const std::string text = batch_dump(s).dump() + "\n";
  if (stop_signal()) return report_stopped("grad");
  if (a.out == "-") {
    std::fputs(text.c_str(), stdout);
    return kExitOk;
  }
  // Whole or not at all; a failed write is exit 1 with the path and the reason.
  const std::string error = write_file_atomic(a.out, text);
  if (!error.empty() && stop_signal()) return report_stopped("grad");  // (a FIFO without reader)
  if (!error.empty()) {
    std::fprintf(stderr, "pglab grad: %s\n", error.c_str());
    return kExitFailed;
  }
  return kExitOk;
}

}  // namespace pg::cli
