#pragma once
// Live settings (issue 9, item 5): the keys that change between two iterations without a reset,
// and the record of a change. The Session applies them (Session::set_live, set_estimator) and
// keeps the ordered list; session files store and replay it; history plots mark it.
//
//   session.set_live("algorithm.lr", 0.3);   // at an iteration boundary: now; else queued to the
//                                           // start of the next iteration
//   for (const SettingChange& c : session.changes()) change_label(c);   // "lr 0.1→0.3"
//
// Values are validated by the one key table (io/params.cpp): the same messages and ranges as
// `--set`. γ is not live: the environment, the exact oracle and the environments of segment
// collection (mid-episode) are built with it; changing the world is a reset (or item 4's editor).

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace pg {

struct Scenario;
struct AlgorithmInfo;

// One live key: its dotted path (a row of the key table) and the short name a history mark shows.
struct LiveKey {
  const char* key;
  const char* symbol;  // "lr", "N", "ε", "λ", …
  bool estimator;      // an estimator toggle (Session::set_estimator: live even mid-iteration)
};

// algorithm.lr, the batch size (algorithm.batch_episodes with whole episodes; algorithm.num_envs
// and algorithm.num_steps with segments; grpo.prompts for GRPO), algorithm.entropy_coef,
// ppo.clip_eps, grpo.clip_eps, advantage.lambda, algorithm.optimizer; then the four estimator.*
// toggles, in the order Session::set_estimator records them.
const std::vector<LiveKey>& live_keys();
// Null when `key` is not live.
const LiveKey* find_live_key(const std::string& key);
// "algorithm.lr, algorithm.batch_episodes, …" (for messages).
std::string live_key_names();
// "" when `key` may change live in a session of scenario s whose algorithm reports `info`, else
// why not (e.g. "ppo.clip_eps applies to PPO's clip objective only"). Assumes a live key.
std::string live_key_problem(const Scenario& s, const AlgorithmInfo& info, const std::string& key);

// The value of a dotted key in a scenario's resolved JSON (null when absent).
nlohmann::json resolved_value(const Scenario& s, const std::string& key);

// A change of one setting, as the session records it, in the order the changes were made.
struct SettingChange {
  // The iteration it first affects: hyperparameters change at an iteration boundary, so the
  // iteration's whole batch, estimate and update see the new value. Estimator toggles change at
  // once, also mid-iteration (`phase`), re-estimating the current batch.
  int iteration = 0;
  // The phase it was made in: "collect" (a boundary, or a toggle during collection), "estimate",
  // "update" or "evaluate" (estimator toggles only).
  std::string phase = "collect";
  std::string key;
  nlohmann::json old_value, new_value;

  bool operator==(const SettingChange&) const = default;
};

// "lr 0.1→0.3", "baseline none→mean": a history mark's label (the key's short name, then the
// values: strings unquoted, numbers to 6 significant digits).
std::string change_label(const SettingChange& c);
// The labels of the changes that take effect at `iteration`, joined by ", ".
std::string change_labels_at(const std::vector<SettingChange>& changes, int iteration);
// "key=value" of each change that takes effect at `iteration` (strings unquoted), joined by ';'
// (live values hold no ',' or ';'); "" where none does: `train --csv`'s and Python's history
// `changes` cell.
std::string change_assignments_at(const std::vector<SettingChange>& changes, int iteration);
// {"iteration", "phase", "key", "old", "new"}: a session file's and the dump's form.
nlohmann::json change_json(const SettingChange& c);
nlohmann::json changes_json(const std::vector<SettingChange>& changes);

// A change asked for at an iteration: the CLI's `--change ITER:key=value`.
struct ScheduledChange {
  int iteration = 0;
  std::string key;
  nlohmann::json value;
  std::string text;  // as given, for messages
};
// Parses "ITER:key=value" (the value as --set reads it). Throws InputError naming the flag and
// what is expected, or the key (unknown, not live, bad value) with --set's message.
ScheduledChange parse_scheduled_change(const std::string& text);

}  // namespace pg
