#pragma once
// What a setting will cost, known before it starts (issue 8): memory from the sizes the scenario
// declares — the steps one batch may hold × the bytes each step costs (trajectory, estimate, the
// networks' batch buffers), the exact oracle's per-time-step tables, the variance lab's K stored
// estimates — checked against a budget derived from the machine. Settings that cannot fit are
// refused with one line saying how much they would need and what to lower; the Session runs the
// check when it is built, so the CLI and the window refuse the same settings with the same words.
//
//   require_session_fits(scenario, env);      // throws InputError (CLI: exit 2)
//   ResourceEstimate e = estimate_session(scenario, env);
//   e.exact_seconds                           // the oracle's time per iteration (for a note)

#include <string>
#include <vector>

#include "rollout/sampler.h"

namespace pg {

class Env;
class Session;
struct Scenario;

// How much memory a run may plan to use: the smallest of half the physical memory (the machine
// runs other things, the window among them), 80 % of an address-space or data limit (ulimit -v /
// -d) and of a cgroup limit (room for the program and the allocator), and $PGLAB_MEMORY_BUDGET_MB
// (for shared machines and tests).
struct MemoryBudget {
  double bytes = 0;
  std::string source;  // "half of the physical memory", "80 % of the address-space limit", …
};
// Throws InputError when $PGLAB_MEMORY_BUDGET_MB is set to something other than a positive number.
MemoryBudget memory_budget();

struct ResourceEstimate {
  double batch_steps = 0;     // most env steps one batch may hold; 0 when unbounded (no step limit)
  double bytes_per_step = 0;  // everything the session keeps per collected step
  double batch_bytes = 0;     // batch_steps × bytes_per_step
  double exact_bytes = 0;     // the exact oracle's time tables (finite horizon only)
  double exact_seconds = 0;   // the exact oracle's time per iteration (rough, this class of CPU)
  // SAC's replay buffer, allocated whole (sac.buffer_size transitions) when the session is built
  // and copied with it (a fork, a timeline snapshot).
  double replay_transitions = 0;
  double bytes_per_transition = 0;
  double replay_bytes = 0;
  double bytes() const { return batch_bytes + exact_bytes + replay_bytes; }
  std::string batch_what;   // "64 environments × 100000 steps"
  std::string batch_lower;  // "algorithm.num_envs or algorithm.num_steps"
  std::string batch_key;    // the key errors name
  // The keys whose product is the batch (batch_lower's): an error names the one of them given on
  // the command line or in the GUI, when one is, rather than the file's line for another.
  std::vector<std::string> batch_keys;
  std::vector<double> batch_factors;  // batch_keys' values (batch_steps is their product, × the
                                      // step limit for GRPO's prompts × group_size)
};

ResourceEstimate estimate_session(const Scenario& s, const Env& env);
// Throws InputError when estimate_session(s, env).bytes() exceeds memory_budget().
void require_session_fits(const Scenario& s, const Env& env);
// The bound on a batch of whole episodes in a world without a step limit, where the settings do
// not bound it (estimate_session's batch_steps is 0): a quarter of what the memory budget leaves
// beside the exact tables (the window may hold four batches at once), over bytes_per_step. No
// bound (steps 0) otherwise.
BatchCap batch_cap(const Scenario& s, const Env& env);
// The variance lab's K estimates of every estimator setting at the session's θ (pglab variance
// --samples K): throws InputError naming "--samples" when they cannot fit.
void require_variance_fits(const Session& s, int samples);
// K estimates of `settings` estimator settings kept at once (the variance lab, the advantage
// lab's λ sweep), beside the lab's own batch of `batch_episodes` whole episodes (0: the
// scenario's batch size) and every setting's per-step arrays over it: throws InputError naming
// `flag` when they cannot fit — or, where the batch is most of it, `batch_name` (the lab's own N)
// or algorithm.batch_episodes.
void require_estimates_fit(const Session& s, int samples, int settings, const char* flag,
                           int batch_episodes = 0, const char* batch_name = "N episodes / batch");
// A timeline (session/timeline.h) keeping up to `max_snapshots` copies of the session (pglab
// replay --max-snapshots): throws InputError naming that flag when they cannot fit.
void require_timeline_fits(const Session& s, int max_snapshots);
// How many snapshots a timeline of `s`'s run may keep beside the live run and a replay (at least
// 2: iteration 0's, which holds no batch, and one more).
int timeline_snapshots_that_fit(const Session& s);
// The importance lab's N episodes per batch and K batches of estimates (pglab importance
// --episodes N --batches K, the importance view): throws InputError naming the flag to lower.
void require_importance_fits(const Session& s, int episodes, int batches);

// Runs over seeds (pglab seeds, lab/seeds.h): `threads` sessions of `s` at once, each growing its
// history to `iterations` rows, every seed's history kept (`seeds` × `iterations` rows of
// `row_bytes`), the aggregate (`aggregate_bytes` per iteration) and what the caller builds from it
// (`output_bytes` per iteration: the CLI's CSV). Throws InputError naming --threads when the
// sessions alone cannot fit, else --iterations or --seeds, with how many fit.
// What the caller calls the three knobs (the CLI's flags by default; the window's controls; an
// empty threads: the caller picks them, so the session's batch is what to lower).
struct SeedsKnobs {
  std::string iterations = "--iterations", seeds = "--seeds", threads = "--threads";
};
void require_seeds_fit(const Scenario& s, const Env& env, int threads, int seeds, int iterations,
                       double row_bytes, double aggregate_bytes, double output_bytes,
                       const SeedsKnobs& knobs = {});

// One row of a run's history as the session keeps it (session/history.h: every row, however long
// the run; copies share them). Measured: pglab train --scenario bandit-reinforce's peak RSS grew
// from 15.9 MB at 10⁵ iterations to 80.8 MB at 10⁶ (/usr/bin/time -v), 72.2 bytes a row — the
// IterationRecord's 72 and its chunk's share.
inline constexpr double kHistoryRowBytes = 73.0;
// `more` iterations of `s` on top of the rows its history holds already (a loaded session's, a
// lesson's earlier steps'), beside the session itself (estimate_session) and `snapshots` copies
// of it (the window's timeline keeps at least 2; the copies share the history's rows): throws
// InputError naming `key` (what sets `more`: --iterations, algorithm.iterations, a lesson step's
// count) with what they would need and how many iterations fit.
void require_history_fits(const Session& s, double more, const std::string& key, int snapshots = 0);

// One copy of an environment (Env::clone): the object, its observation, and a finite world's
// model and per-state tables (the token task's is about 2 MB, four-rooms' 33 kB, measured).
double env_copy_bytes(const Env& env);
// `copies` copies of env held at once (the Python vector env's num_envs): throws InputError naming
// `knob` with what they would need, the budget and how many fit.
void require_env_copies_fit(const Env& env, double copies, const std::string& knob);

// One exact-oracle evaluation of env's model at finite horizon H (the Python module's exact,
// exact_J and fisher): V_t and the forward visitation, H × states doubles each. Throws InputError
// naming `knob` with what they would need, the budget and the largest horizon that fits; nothing
// for H = 0 (infinite horizon: no time tables) or a world without a model. horizon=10**6 on the
// token task asked for ~45 GB and met the OOM killer (audit a12 F6).
void require_exact_horizon_fits(const Env& env, int horizon, const std::string& knob);

// "12.3 GB", "640 MB", "8.2 kB" (powers of 1000).
std::string format_bytes(double bytes);
// `bytes` beside `other` in one message (a need and the budget it exceeds): with as many digits
// as it takes for the two to read differently ("1.6402 GB … the budget is 1.6401 GB", where 3
// digits printed 1.64 GB twice for a refusal).
std::string format_bytes(double bytes, double other);

}  // namespace pg
