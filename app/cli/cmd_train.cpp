// pglab train: run a scenario's training loop headless, optionally writing the learning curve.
//
// The loop advances one environment step (or one phase) at a time, so a SIGINT/SIGTERM or a long
// iteration is noticed between steps: a stop finishes the row being written, closes the CSV and
// exits 130/143; an iteration that runs for more than a second shows its steps on a terminal.
// With --save a stop first completes the iteration in progress (sessions are saved between
// iterations) and saves the session there; a second signal stops at once and saves nothing.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <deque>
#include <optional>

#include "cli/commands.h"
#include "cli/progress.h"
#include "cli/stop_signal.h"
#include "io/atomic_file.h"
#include "io/session_file.h"
#include "session/budget.h"
#include "session/session.h"
#include "util/cancel.h"
#include "util/error.h"
#include "util/input_file.h"

namespace pg::cli {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

// `changes`: the last column's cell when the run has live changes (else no such column).
std::string csv_row(const IterationRecord& r, bool exact, const std::string* changes = nullptr) {
  char line[512];
  int n = std::snprintf(line, sizeof line, "%d,%ld,%ld,%.17g,%.17g,%.17g,%.17g", r.iteration,
                        r.episodes, r.steps, r.return_mean, r.return_std, r.grad_norm, r.entropy);
  if (exact)
    n += std::snprintf(line + n, sizeof line - static_cast<size_t>(n), ",%.17g", r.exact_J);
  std::string row(line, static_cast<size_t>(n));
  if (changes) row += "," + *changes;
  return row + "\n";
}

}  // namespace

void add_train(CLI::App& app, TrainArgs& a) {
  CLI::App* cmd = app.add_subcommand("train", "Train a scenario headless");
  add_scenario_options(*cmd, a.scenario, false);  // required unless --load (checked in run_train)
  cmd->add_option("--iterations", a.iterations,
                  "Iterations (default: algorithm.iterations; with --load, iterations more)")
      ->check(integer_in(1, 10000000));
  cmd->add_option("--csv", a.csv,
                  "Write one row per iteration to this CSV file (- for standard output; the "
                  "summary line then goes to standard error)")
      ->check(file_name());
  cmd->add_option(
         "--until-return", a.until_return,
         "Stop once the mean return of the last 20 episodes reaches this; exit 0 only if it did")
      ->check(finite_number());
  cmd->add_option("--save", a.save,
                  "Write the session (pglab.session/1) to this file at the end (on SIGINT/SIGTERM: "
                  "after the iteration in progress)")
      ->check(file_name());
  add_change_option(*cmd, a.changes);
  cmd->add_option("--load", a.load,
                  "Continue the session saved in this file (it holds the scenario: no --scenario, "
                  "--set, --seed)")
      ->check(file_name());
  cmd->callback([&a] { a.chosen = true; });
}

int run_train(const TrainArgs& a) {
  if (!a.load.empty() &&
      (!a.scenario.scenario.empty() || !a.scenario.sets.empty() || a.scenario.seed >= 0))
    throw InputError("--load",
                     "the session file holds the scenario; --scenario, --set and --seed cannot be "
                     "given with it");
  if (a.load.empty() && a.scenario.scenario.empty())
    throw InputError("--scenario",
                     "required (a scenario file or a shipped scenario's name), or --load F to "
                     "continue a saved session");
  require_not_stdout("--save", a.save, "a session file");
  std::optional<Scenario> scenario;
  if (a.load.empty()) scenario = resolve(a.scenario, a.changes);
  // Outputs never overwrite an input or each other (--save may write back to --load's file: the
  // session continued).
  require_distinct_files(
      {{"--csv", a.csv}, {"--save", a.save}},
      scenario ? scenario_inputs(*scenario, "--scenario") : std::vector<NamedPath>{});
  require_distinct_files({{"--csv", a.csv}}, {{"--load", a.load}});
  // Checked before training, so a long run does not end in a file that cannot be written.
  require_writable({{"--csv", a.csv}, {"--save", a.save}}, {"--csv"});
  // From here a SIGINT/SIGTERM stops the work: building the session (the exact oracle), the
  // replay of --load, and every phase of training poll the stop flag.
  catch_stop_signals();
  // Refuses settings that cannot fit in memory (exit 2).
  Session session =
      scenario ? Session(std::move(*scenario), stop_flag()) : load_replaying(a.load, "train");
  // Only --csv (its grad_norm and entropy columns) and --save (the history) read the estimate's ĝ
  // and the batch's entropy: without them an algorithm whose update does not use them skips them
  // (PPO).
  if (a.csv.empty() && a.save.empty()) session.set_statistics_wanted(false);
  // With --save the first signal lets the iteration in progress complete (it is then saved); only
  // a second one cancels the work inside a phase.
  const bool finish_to_save = !a.save.empty();
  const bool progress = stderr_is_terminal();
  if (finish_to_save) {
    session.set_cancel(second_stop_flag());
    // On a terminal the notice starts a line of its own after the progress line ("\riteration
    // …"); a log or a pipe has no progress line and gets no blank line.
    set_first_signal_notice(
        progress ? "\npglab train: stopping: completing the iteration in progress to save the "
                   "session (a second signal stops now and saves nothing)\n"
                 : "pglab train: stopping: completing the iteration in progress to save the "
                   "session (a second signal stops now and saves nothing)\n");
  }
  const Scenario& s = session.scenario();
  // With --load and no --iterations: on to the scenario's algorithm.iterations.
  const int iterations = a.iterations > 0 ? a.iterations
                         : a.load.empty()
                             ? s.algorithm.iterations
                             : std::max(0, s.algorithm.iterations - session.iteration());
  // The history keeps a row per iteration (10⁷ of them, or a long --load continued, grew past the
  // memory unasked): refused before the first one.
  try {
    require_history_fits(session, iterations,
                         a.iterations > 0 ? "--iterations" : "algorithm.iterations");
  } catch (const InputError& e) {
    throw e.where() == "--iterations" ? e : InputError(where_in_source(s, e.where()), e.problem());
  }
  // A --save that would end in a file too large to load is refused before the run, not after it.
  if (!a.save.empty()) require_session_file_fits(session, iterations, "--save");
  // Checked before training: a bad --change is exit 2 before the first iteration.
  const std::vector<ScheduledChange> plan =
      check_scheduled_changes(session, parse_changes(a.changes), session.iteration() + iterations,
                              !a.save.empty());  // a change at the end matters to --save only
  const bool with_changes = !plan.empty() || !session.changes().empty();
  const bool exact = session.exact() != nullptr;
  const ResourceEstimate cost = estimate_session(session.scenario(), session.env());
  if (progress && cost.exact_seconds > 1.0)
    std::fprintf(stderr,
                 "pglab train: the exact oracle over a horizon of %d steps takes about %.0f s per "
                 "iteration\n",
                 session.env().step_limit(), cost.exact_seconds);

  LineFile csv;
  // A failed write ends the run: exit 1 with the path and the reason.
  auto write_failed = [&csv](const std::string& error) {
    csv.close();
    std::fprintf(stderr, "pglab train: %s\n", error.c_str());
    return kExitFailed;
  };
  if (!a.csv.empty()) {
    std::string error = csv.open(a.csv);
    if (error.empty())
      error = csv.write(
          std::string("iteration,episodes,steps,return_mean,return_std,grad_norm,entropy") +
          (exact ? ",exact_J" : "") + (with_changes ? ",changes" : "") + "\n");
    if (!error.empty() && stop_signal()) return report_stopped("train");  // a FIFO, no reader
    if (!error.empty()) return write_failed(error);
  }

  const bool until = !std::isnan(a.until_return);
  std::deque<double> last;                        // the last 20 episode returns
  double best_mean = -INFINITY, last_mean = NAN;  // of the last 20, once 20 episodes ended
  long episodes_ended = 0;
  bool solved = false;
  int done = 0;  // iterations completed (rows written)
  const auto t0 = Clock::now();
  std::string update_what;  // the update's progress line's text (outlives the line)
  for (int i = 0; i < iterations && !solved && !stop_signal(); ++i) {
    make_due_changes(session, plan);
    const int next = session.iteration() + 1;
    const auto started = Clock::now();
    auto shown = started;
    long units = 0;
    while (session.iteration() < next) {
      bool advanced = false;
      try {
        // A PPO or SAC update is one advance (36 s for 1000 epochs × 64 minibatches of a
        // 256×256 network; minutes for 100000 SAC gradient steps) and the line above stood still
        // through it: its minibatches or gradient steps are counted.
        std::optional<StderrProgress> update;
        const bool ppo = s.algorithm.name == AlgorithmKind::kPpo;
        if (progress && session.phase() == Phase::kUpdate &&
            (ppo || s.algorithm.name == AlgorithmKind::kSac)) {
          update_what =
              "iteration " + std::to_string(i + 1) + "/" + std::to_string(iterations) + "  update";
          update.emplace(update_what.c_str(),
                         ppo ? s.ppo.epochs * s.ppo.minibatches : s.sac.gradient_steps,
                         ppo ? "minibatches" : "gradient steps");
          session.set_progress(&update->done);
        }
        struct Clear {  // however the advance ends
          Session& s;
          ~Clear() { s.set_progress(nullptr); }
        } clear{session};
        advanced = session.advance(Granularity::kEnvStep);
      } catch (const Cancelled&) {
        break;  // a signal inside a long phase (a PPO update, the exact oracle): no row for it
      }
      if (!advanced) {
        if (progress) std::fprintf(stderr, "\n");
        // A paused run is mid-iteration, and sessions are saved between iterations only.
        const std::string unsaved =
            a.save.empty() ? ""
                           : "; no session saved (the run paused mid-iteration): nothing written "
                             "to " +
                                 a.save;
        std::fprintf(stderr, "pglab train: %s%s\n", session.fault().c_str(), unsaved.c_str());
        const std::string error = csv.close();
        if (!error.empty()) std::fprintf(stderr, "pglab train: %s\n", error.c_str());
        return kExitFailed;
      }
      if ((++units & 1023) != 0) continue;
      if (stop_signal() && (!finish_to_save || second_stop_signal())) break;
      if (progress && seconds_since(started) > 1.0 && seconds_since(shown) > 0.25) {
        shown = Clock::now();
        std::fprintf(stderr, "\riteration %d/%d  %s: %d episodes, %ld steps so far   ", i + 1,
                     iterations, name_of(session.phase()), session.episodes_in_batch(),
                     session.total_steps());
      }
    }
    if (session.iteration() < next) break;  // stopped mid-iteration: no row for it
    ++done;
    const IterationRecord& r = session.history().back();
    if (csv.is_open()) {
      const std::string cell =
          with_changes ? change_assignments_at(session.changes(), r.iteration) : "";
      const std::string error = csv.write(csv_row(r, exact, with_changes ? &cell : nullptr));
      if (!error.empty()) return write_failed(error);
    }
    if (until) {
      for (double ret : session.completed_returns()) {
        last.push_back(ret);
        ++episodes_ended;
        if (last.size() > 20) last.pop_front();
      }
      double m = 0.0;
      for (double v : last) m += v;
      if (last.size() == 20) {
        last_mean = m / 20.0;
        best_mean = std::max(best_mean, last_mean);
      }
      solved = last.size() == 20 && m / 20.0 >= a.until_return;
    }
    if (progress && (i % 10 == 0 || i + 1 == iterations || seconds_since(started) > 1.0))
      std::fprintf(stderr, "\riteration %d/%d  return %.3f%s", i + 1, iterations, r.return_mean,
                   exact ? (" exact J " + std::to_string(r.exact_J)).c_str() : "");
  }
  if (progress) std::fprintf(stderr, "\n");
  const std::string close_error = csv.close();
  if (!close_error.empty()) return write_failed(close_error);
  if (const int sig = stop_signal()) {
    std::string saved;  // what became of --save
    if (finish_to_save && session_saveable(session)) {
      if (!solved) make_due_changes(session, plan);  // as at the end of a run
      save_session_file(session, a.save);
      // The file holds the run, not this command's plan: the rest of it is given again.
      bool changes_left = false;
      for (const ScheduledChange& c : plan) changes_left |= c.iteration > session.iteration();
      saved = "; session saved to " + a.save + " at iteration " +
              std::to_string(session.iteration()) + " (to go on: pglab train --load " + a.save +
              " --iterations " + std::to_string(iterations - done) +
              (changes_left ? ", with the --change flags still due" : "") + ")";
    } else if (finish_to_save) {
      saved = "; no session saved (a second signal stopped iteration " +
              std::to_string(session.iteration() + 1) + "): nothing written to " + a.save;
    }
    std::fprintf(stderr, "pglab train: stopped by %s after %d iteration%s%s%s\n", signal_name(sig),
                 done, done == 1 ? "" : "s",
                 a.csv.empty() ? ""
                               : ("; " + csv.path() + " holds " + std::to_string(done) +
                                  " complete row" + (done == 1 ? "" : "s"))
                                     .c_str(),
                 saved.c_str());
    return exit_code_of(sig);
  }
  if (!solved) make_due_changes(session, plan);  // those at the last boundary (kept by --save)
  if (!a.save.empty()) save_session_file(session, a.save);
  const double wall = seconds_since(t0);
  // With the CSV on standard output the summary goes to standard error, so a pipe reads only CSV.
  std::FILE* summary = a.csv == "-" ? stderr : stdout;
  if (until) {
    std::fprintf(summary, "{\"solved\": %s, \"steps\": %ld, \"wall_s\": %.6f}\n",
                 solved ? "true" : "false", session.total_steps(), wall);
    if (!solved) {
      // Exit 1 says the work failed: say how far it got (standard output holds only the JSON).
      if (last.size() < 20)
        std::fprintf(stderr,
                     "pglab train: not solved: --until-return %g needs the mean of the last 20 "
                     "episodes, and %d iteration%s ended only %ld episode%s\n",
                     a.until_return, done, done == 1 ? "" : "s", episodes_ended,
                     episodes_ended == 1 ? "" : "s");
      else
        std::fprintf(stderr,
                     "pglab train: not solved: the mean return of the last 20 episodes reached at "
                     "best %g (last %g) in %d iteration%s; --until-return asked for %g\n",
                     best_mean, last_mean, done, done == 1 ? "" : "s", a.until_return);
    }
    return solved ? kExitOk : kExitFailed;
  }
  if (session.history().empty()) {
    std::fprintf(summary, "{\"iterations\": 0, \"wall_s\": %.6f}\n", wall);
    return kExitOk;
  }
  const IterationRecord& r = session.history().back();
  // JSON: null where the last iteration ended no episode (its return_mean is NaN).
  // exact_J: the policy that sampled the last batch (the CSV's last row); exact_J_final: the policy
  // the run ends with, after its last update (pglab exact --iterations N, the window's map).
  std::string exact_text;
  if (exact) {
    exact_text = ", \"exact_J\": " + json_number(r.exact_J);
    if (const ExactResult* now = session.exact())
      exact_text += ", \"exact_J_final\": " + json_number(now->J);
  }
  std::fprintf(summary,
               "{\"iterations\": %d, \"episodes\": %ld, \"steps\": %ld, \"return_mean\": %s%s, "
               "\"wall_s\": %.6f}\n",
               r.iteration + 1, r.episodes, r.steps, json_number(r.return_mean).c_str(),
               exact_text.c_str(), wall);
  return kExitOk;
}

}  // namespace pg::cli
