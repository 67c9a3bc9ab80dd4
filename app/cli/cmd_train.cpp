// pglab train: run a scenario's training loop headless, optionally writing the learning curve.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <deque>
#include <fstream>

#include "cli/commands.h"
#include "io/session_file.h"
#include "session/session.h"
#include "util/error.h"
#include "util/input_file.h"

namespace pg::cli {

void add_train(CLI::App& app, TrainArgs& a) {
  CLI::App* cmd = app.add_subcommand("train", "Train a scenario headless");
  add_scenario_options(*cmd, a.scenario, false);  // required unless --load (checked in run_train)
  cmd->add_option("--iterations", a.iterations,
                  "Iterations (default: algorithm.iterations; with --load, iterations more)")
      ->check(CLI::Range(1, 10000000));
  cmd->add_option("--csv", a.csv, "Write one row per iteration to this CSV file");
  cmd->add_option("--until-return", a.until_return,
                  "Stop once the mean return of the last 20 episodes reaches this; exit 0 only if it did")
      ->check(finite_number());
  cmd->add_option("--save", a.save, "Write the session (pglab.session/1) to this file at the end");
  cmd->add_option("--load", a.load,
                  "Continue the session saved in this file (it holds the scenario: no --scenario, --set, --seed)");
  cmd->callback([&a] { a.chosen = true; });
}

int run_train(const TrainArgs& a) {
  if (!a.load.empty() && (!a.scenario.scenario.empty() || !a.scenario.sets.empty() || a.scenario.seed >= 0))
    throw InputError("--load", "the session file holds the scenario; --scenario, --set and --seed cannot be given with it");
  if (a.load.empty() && a.scenario.scenario.empty())
    throw InputError("--scenario", "required (a scenario file or a shipped scenario's name), or --load F to continue a saved session");
  // Checked before training, so a long run does not end in a file that cannot be written.
  if (!a.save.empty() && is_directory(a.save))
    throw std::runtime_error(a.save + ": cannot write the session file (is a directory)");
  Session session = a.load.empty() ? Session(resolve(a.scenario)) : load_session_file(a.load);
  const Scenario& s = session.scenario();
  // With --load and no --iterations: on to the scenario's algorithm.iterations.
  const int iterations = a.iterations > 0    ? a.iterations
                         : a.load.empty()    ? s.algorithm.iterations
                                             : std::max(0, s.algorithm.iterations - session.iteration());
  std::ofstream csv;
  const bool exact = session.exact() != nullptr;
  if (!a.csv.empty()) {
    csv.open(a.csv);
    if (!csv) throw InputError(a.csv, "cannot write the CSV file");
    csv << "iteration,episodes,steps,return_mean,return_std,grad_norm,entropy" << (exact ? ",exact_J" : "") << "\n";
  }
  const bool progress = stderr_is_terminal();
  const bool until = !std::isnan(a.until_return);
  std::deque<double> last;  // the last 20 episode returns
  bool solved = false;
  const auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < iterations && !solved; ++i) {
    if (!session.advance(Granularity::kIteration)) {
      std::fprintf(stderr, "pglab train: %s\n", session.fault().c_str());
      return kExitFailed;
    }
    const IterationRecord& r = session.history().back();
    if (csv.is_open()) {
      char line[512];
      std::snprintf(line, sizeof line, "%d,%ld,%ld,%.17g,%.17g,%.17g,%.17g", r.iteration, r.episodes, r.steps,
                    r.return_mean, r.return_std, r.grad_norm, r.entropy);
      csv << line;
      if (exact) {
        std::snprintf(line, sizeof line, ",%.17g", r.exact_J);
        csv << line;
      }
      csv << "\n";
    }
    if (until) {
      for (double ret : session.completed_returns()) {
        last.push_back(ret);
        if (last.size() > 20) last.pop_front();
      }
      double m = 0.0;
      for (double v : last) m += v;
      solved = last.size() == 20 && m / 20.0 >= a.until_return;
    }
    if (progress && (i % 10 == 0 || i + 1 == iterations))
      std::fprintf(stderr, "\riteration %d/%d  return %.3f%s", i + 1, iterations, r.return_mean,
                   exact ? (" exact J " + std::to_string(r.exact_J)).c_str() : "");
  }
  if (progress) std::fprintf(stderr, "\n");
  if (!a.save.empty()) save_session_file(session, a.save);
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (until) {
    std::printf("{\"solved\": %s, \"steps\": %ld, \"wall_s\": %.6f}\n", solved ? "true" : "false",
                session.total_steps(), wall);
    return solved ? kExitOk : kExitFailed;
  }
  if (session.history().empty()) {
    std::printf("{\"iterations\": 0, \"wall_s\": %.6f}\n", wall);
    return kExitOk;
  }
  const IterationRecord& r = session.history().back();
  std::printf("{\"iterations\": %d, \"episodes\": %ld, \"steps\": %ld, \"return_mean\": %.17g%s, \"wall_s\": %.6f}\n",
              r.iteration + 1, r.episodes, r.steps, r.return_mean,
              exact ? (", \"exact_J\": " + std::to_string(r.exact_J)).c_str() : "", wall);
  return kExitOk;
}

}  // namespace pg::cli
