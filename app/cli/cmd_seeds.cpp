// pglab seeds: one scenario over several seeds (issue 9 item 6), aggregated per iteration.
//
// The seeds run on worker threads (never more than the machine's cores); this thread shows
// progress on a terminal and turns SIGINT/SIGTERM into a cancel. The CSV goes to standard output,
// or with --csv to a file written whole or not at all.
#include <chrono>
#include <cstdio>
#include <thread>

#include "cli/commands.h"
#include "cli/stop_signal.h"
#include "io/atomic_file.h"
#include "lab/seeds.h"
#include "util/error.h"

namespace pg::cli {

void add_seeds(CLI::App& app, SeedsArgs& a) {
  CLI::App* cmd = app.add_subcommand(
      "seeds", "Train a scenario once per seed and print mean, s.e., min and max per iteration");
  add_scenario_options(*cmd, a.scenario, true, false);  // each run takes one of --seeds
  a.scenario.seed_option = "--seeds";
  cmd->add_option("--seeds", a.seeds, "Seeds: a range 1-5, a list 1,2,7, or both 1-3,10")
      ->required()
      ->type_name("LIST");
  cmd->add_option("--iterations", a.iterations,
                  "Iterations per seed (default: algorithm.iterations)")
      ->check(integer_in(1, 10000000));
  cmd->add_option("--threads", a.threads, "Worker threads (default and at most: the cores)")
      ->check(integer_in(1, 1024));
  cmd->add_option("--csv", a.csv,
                  "Write the CSV to this file instead of standard output (- for standard output)")
      ->check(file_name());
  cmd->callback([&a] { a.chosen = true; });
}

int run_seeds_cmd(const SeedsArgs& a) {
  const std::vector<uint64_t> seeds = parse_seed_list(a.seeds);
  const Scenario scenario = resolve(a.scenario);
  require_distinct_files({{"--csv", a.csv}}, scenario_inputs(scenario, "--scenario"));
  require_writable({{"--csv", a.csv}});  // before the runs, not after them
  const int iterations = a.iterations > 0 ? a.iterations : scenario.algorithm.iterations;
  catch_stop_signals();
  std::atomic<int> progress{0};
  std::atomic<bool> cancel{false};
  SeedRunOptions options;
  options.threads = a.threads;
  options.progress = &progress;
  options.cancel = &cancel;
  options.output_bytes_per_iteration = kSeedsCsvRowBytes;  // the CSV is built whole (atomic file)
  SeedRuns runs;
  std::exception_ptr failure;
  std::atomic<bool> finished{false};
  std::thread worker([&] {
    try {
      runs = run_seeds(scenario, seeds, iterations, options);
    } catch (...) {
      failure = std::current_exception();
    }
    finished.store(true);
  });
  const long total = static_cast<long>(iterations) * static_cast<long>(seeds.size());
  const bool terminal = stderr_is_terminal();
  while (!finished.load()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    if (stop_signal() != 0) cancel.store(true);
    if (terminal)
      std::fprintf(stderr, "\rseeds: %d of %ld iterations (%zu seeds)   ", progress.load(), total,
                   seeds.size());
  }
  worker.join();
  if (terminal) std::fprintf(stderr, "\n");
  if (failure) std::rethrow_exception(failure);  // InputError: exit 2, others: exit 1
  if (const int sig = stop_signal()) {
    std::fprintf(stderr, "pglab seeds: stopped by %s; nothing written\n", signal_name(sig));
    return exit_code_of(sig);
  }
  const std::string csv = seeds_csv(runs);
  if (a.csv.empty() || a.csv == "-") {
    std::fputs(csv.c_str(), stdout);
  } else {
    const std::string error = write_file_atomic(a.csv, csv);
    if (!error.empty() && stop_signal()) return report_stopped("seeds");  // a FIFO, no reader
    if (!error.empty()) {
      std::fprintf(stderr, "pglab seeds: %s\n", error.c_str());
      return kExitFailed;
    }
  }
  for (const std::string& f : runs.faults) std::fprintf(stderr, "pglab seeds: %s\n", f.c_str());
  return runs.faults.empty() ? kExitOk : kExitFailed;
}

}  // namespace pg::cli
