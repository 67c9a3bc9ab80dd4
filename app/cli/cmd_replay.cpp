// pglab replay: time travel headless (issue 10, item 1). Runs a scenario (or continues nothing:
// restores a session file), keeping the timeline's snapshots, then replays the run to iteration K
// from the nearest snapshot and prints, as JSON, what the run was there: θ_K, J(θ_K) and ∇J(θ_K),
// and iteration K's batch estimate ĝ_K; optionally a fork at K with one setting changed.
#include <cstdio>
#include <string>

#include "cli/commands.h"
#include "cli/progress.h"
#include "cli/stop_signal.h"
#include "io/session_file.h"
#include "lab/seeds.h"
#include "session/budget.h"
#include "session/timeline.h"
#include "util/error.h"
#include "util/text.h"

namespace pg::cli {
namespace {

std::string list(const Eigen::VectorXd& v) {
  std::string out = "[";
  for (Eigen::Index i = 0; i < v.size(); ++i) out += (i ? ", " : "") + json_number(v[i]);
  return out + "]";
}

// Iteration `s.iteration()` of a session at its boundary: θ, the exact values at θ, the estimate
// ĝ of the batch θ samples, its history row and θ after its update (on a copy taken through it).
std::string iteration_json(const Session& s) {
  Session next(s);
  if (!next.advance(Granularity::kEstimate))
    throw std::runtime_error("the replayed run paused at a fault: " + next.fault());
  const Eigen::VectorXd g = next.last_estimate().gradient;
  if (!next.advance(Granularity::kIteration))
    throw std::runtime_error("the replayed run paused at a fault: " + next.fault());
  const IterationRecord& row = next.history().back();
  std::string out = "{\"iteration\": " + std::to_string(s.iteration()) +
                    ", \"theta\": " + list(s.policy().params());
  if (s.exact())
    out += ", \"J\": " + json_number(s.exact()->J) +
           ", \"exact_gradient\": " + list(s.exact()->gradient);
  else
    out += ", \"J\": null, \"exact_gradient\": null";
  // θ after iteration K's update: where a setting a fork changed shows first.
  return out + ", \"gradient\": " + list(g) + ", \"grad_norm\": " + json_number(row.grad_norm) +
         ", \"return_mean\": " + json_number(row.return_mean) +
         ", \"theta_next\": " + list(next.policy().params()) + "}";
}

}  // namespace

void add_replay(CLI::App& app, ReplayArgs& a) {
  CLI::App* cmd = app.add_subcommand(
      "replay",
      "Time travel: the run at a past iteration, replayed from the nearest snapshot, as JSON");
  add_scenario_options(*cmd, a.scenario, false);  // required unless --load
  cmd->add_option("--iterations", a.iterations, "Length of the run (default: algorithm.iterations)")
      ->check(integer_in(0, 10000000));
  cmd->add_option("--at", a.at, "The iteration K to travel back to (0 ≤ K ≤ the run's length)")
      ->required()
      ->check(integer_in(0, 10000000));
  cmd->add_option("--every", a.every, "Snapshot spacing at the start (it doubles to stay bounded)")
      ->check(integer_in(1, 1000000));
  cmd->add_option("--max-snapshots", a.max_snapshots, "Snapshots kept at most")
      ->check(integer_in(2, 100000));
  cmd->add_option("--fork", a.fork,
                  "key=value: also fork the run at K with this live setting changed, and print "
                  "the fork's iteration K (the same batch; the setting's effect)")
      ->check(not_empty("key=value, e.g. --fork algorithm.lr=0.3"));
  add_change_option(*cmd, a.changes);
  cmd->add_option("--load", a.load,
                  "Travel in the run a session file (pglab.session/1) holds, up to its iteration "
                  "(no --scenario, --set, --seed, --iterations, --change)")
      ->check(file_name());
  cmd->callback([&a] { a.chosen = true; });
}

int run_replay(const ReplayArgs& a) {
  if (!a.load.empty() && (!a.scenario.scenario.empty() || !a.scenario.sets.empty() ||
                          a.scenario.seed >= 0 || a.iterations >= 0 || !a.changes.empty()))
    throw InputError("--load",
                     "the session file holds the run; --scenario, --set, --seed, --iterations and "
                     "--change cannot be given with it");
  if (a.load.empty() && a.scenario.scenario.empty())
    throw InputError("--scenario",
                     "required (a scenario file or a shipped scenario's name), or --load F");
  std::pair<std::string, nlohmann::json> fork;
  if (!a.fork.empty()) {
    // parse_assignment's own message names --set.
    const size_t eq = a.fork.find('=');
    if (eq == std::string::npos || eq == 0)
      throw InputError("--fork",
                       "expected key=value, e.g. --fork algorithm.lr=0.3; got " + quote(a.fork));
    fork = parse_assignment(a.fork);
    if (!find_live_key(fork.first))
      throw InputError("--fork",
                       quote(fork.first) + " is not a live key; live keys: " + live_key_names());
  }
  catch_stop_signals();
  Timeline timeline(a.every, a.max_snapshots);
  Session live = a.load.empty() ? Session(resolve(a.scenario, a.changes), stop_flag())
                                : load_replaying(a.load, "replay");
  require_timeline_fits(live, a.max_snapshots);
  if (a.load.empty()) {
    const int n = a.iterations >= 0 ? a.iterations : live.scenario().algorithm.iterations;
    require_history_fits(live, n, a.iterations >= 0 ? "--iterations" : "algorithm.iterations");
    if (a.at > n)
      throw InputError("--at", std::to_string(a.at) + " is after the run's last iteration " +
                                   std::to_string(n) + " (--iterations)");
    const std::vector<ScheduledChange> plan =
        check_scheduled_changes(live, parse_changes(a.changes), n);
    timeline.observe(live);
    bool ok = true;
    {
      // The run to --iterations prints nothing until the end: counted on a terminal.
      StderrProgress progress("pglab replay: training", n, "iterations");
      for (int i = 0; i < n && ok; ++i) {
        make_due_changes(live, plan);
        timeline.observe(live);
        ok = live.advance(Granularity::kIteration);
        if (ok) timeline.observe(live);
        progress.done.store(i + 1);
      }
    }
    if (!ok) {
      std::fprintf(stderr, "pglab replay: %s\n", live.fault().c_str());
      return kExitFailed;
    }
    make_due_changes(live, plan);
  } else if (a.at > live.iteration()) {
    throw InputError("--at", std::to_string(a.at) + " is after the session's iteration " +
                                 std::to_string(live.iteration()));
  }
  timeline.observe(live);
  const Session then = timeline.at(live, a.at, stop_flag());
  std::string fork_json = "null";
  if (!a.fork.empty()) {
    const Session f = then.fork_with(fork.first, fork.second);
    std::string what;
    for (const std::string& d : setting_differences(f.scenario(), then.scenario()))
      what += (what.empty() ? "" : " ") + d;
    fork_json = "{\"setting\": \"" + what + "\", \"at\": " + iteration_json(f) + "}";
  }
  std::string snapshots = "[";
  for (int i : timeline.iterations())
    snapshots += (snapshots.size() > 1 ? ", " : "") + std::to_string(i);
  snapshots += "]";
  std::printf(
      "{\"format\": \"pglab.replay/1\", \"iterations\": %d, \"every\": %d, \"snapshots\": %s, "
      "\"replayed_from\": %d, \"changes\": %zu, \"world_edits\": %zu, \"at\": %s, \"fork\": %s}\n",
      live.iteration(), timeline.every(), snapshots.c_str(), timeline.base_for(live, a.at),
      live.changes().size(), live.world_changes().size(), iteration_json(then).c_str(),
      fork_json.c_str());
  return kExitOk;
}

}  // namespace pg::cli
