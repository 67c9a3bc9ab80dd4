#pragma once
// Scenario files (DESIGN.md §6): one self-contained experiment, parsed and validated against the
// one key table (io/params.h). Every key has a default; a file lists only what it changes.
//
//   Scenario s = load_scenario("assets/scenarios/short-corridor-reinforce.json");
//   apply_set(s, "estimator.baseline=mean");   // --set, same validation
//
// Errors are InputErrors naming "file:line: key" and what is allowed; nothing else escapes (no
// nlohmann or std::filesystem exception, however bad the file, path or value).

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "estimator/advantages.h"
#include "estimator/estimator_config.h"
#include "io/scenario_enums.h"
#include "util/asset_dir.h"

namespace pg {

// Every member holds its default (the same as the key table's, io/params.cpp; a test checks
// that key by key), so `Scenario s;` is a valid default scenario and nothing is uninitialised.

struct EnvSettings {
  EnvKind kind = EnvKind::kGridworld;
  std::string map = "frozen-lake-8x8";
  double slip = 0.0;
  double step_reward = 0.0;
  double goal_reward = 1.0;
  double pit_reward = -1.0;
  double gamma = 0.99;
  int step_limit = -1;  // -1: environment default; 0: none
  bool sutton_barto_reward = false;
  std::vector<double> arm_means = {0.2, 0.5, 0.8};
  std::string reward_kind = "gaussian";
  double reward_std = 1.0;
  int digits = 5;                                               // token task
  int max_tokens = 3;                                           // token task
  std::vector<double> bumps = {-1.5, 0.6, 0.5, 1.5, 1.0, 0.4};  // continuous bandit: c, h, w
  // The gridworld map's text when it is held inline (a session file, an edited map); "" reads the
  // file env.map names. Not a scenario key: session files carry it beside the scenario.
  std::string map_text;

  bool operator==(const EnvSettings&) const = default;
};

struct PolicySettings {
  PolicyKind kind = PolicyKind::kTabular;
  std::vector<int> hidden = {64, 64};
  std::string activation = "tanh";
  std::string precision = "float64";  // mlp, gaussian: the networks' arithmetic (float64 | float32)
  std::vector<double> init_logits;
  std::string log_std = "state-independent";  // gaussian: state-independent | state-dependent
  double init_log_std = 0.0;                  // gaussian
  bool squash = false;                        // gaussian: tanh into the action bounds

  bool operator==(const PolicySettings&) const = default;
};

struct AlgorithmSettings {
  AlgorithmKind name = AlgorithmKind::kReinforce;
  int batch_episodes = 16;
  int iterations = 200;
  std::string optimizer = "adam";
  double lr = 0.05;
  double entropy_coef = 0.0;
  int num_envs = 1;
  int num_steps = 0;  // 0: whole episodes
  bool online = false;
  bool anneal_lr = false;
  double max_grad_norm = 0.0;  // 0: off
  double value_coef = 0.5;

  bool operator==(const AlgorithmSettings&) const = default;
};

struct AdvantageSettings {
  AdvantageKind estimator = AdvantageKind::kGAE;
  int n = 5;
  double lambda = 0.95;
  bool normalize = true;

  bool operator==(const AdvantageSettings&) const = default;
};

struct PpoSettings {
  double clip_eps = 0.2;
  int epochs = 4;
  int minibatches = 4;
  PpoObjectiveKind objective = PpoObjectiveKind::kClip;
  double kl_beta = 1.0;
  double kl_target = 0.01;
  bool adaptive_beta = true;
  bool clip_value = false;

  bool operator==(const PpoSettings&) const = default;
};

struct TrpoSettings {
  double max_kl = 0.01;
  int cg_iters = 10;
  double damping = 0.01;
  int backtracks = 10;
  bool exact_fisher = false;

  bool operator==(const TrpoSettings&) const = default;
};

struct OffPolicySettings {
  BehaviourKind behaviour = BehaviourKind::kPrevious;
  int lag = 1;
  std::vector<double> behaviour_logits;
  std::string weighting = "per-decision";  // trajectory | per-decision | per-step
  double truncate = 0.0;                   // 0: none

  bool operator==(const OffPolicySettings&) const = default;
};

struct GrpoSettings {
  int group_size = 8;
  int prompts = 4;
  bool std_normalize = true;
  bool leave_one_out = false;
  double kl_coef = 0.04;
  double clip_eps = 0.2;
  int epochs = 1;

  bool operator==(const GrpoSettings&) const = default;
};

// The SAC-style learner's settings (algo/sac.h). Its Q critic takes critic.kind, critic.lr and
// critic.hidden.
struct SacSettings {
  SacAlphaMode alpha_mode = SacAlphaMode::kFixed;
  double alpha = 0.05;
  double target_entropy = 0.5;  // nats
  double alpha_lr = 0.01;
  int buffer_size = 100000;
  int batch_size = 64;
  int gradient_steps = 16;
  int warmup = 256;
  bool target_network = true;
  double tau = 0.01;
  bool twin = true;

  bool operator==(const SacSettings&) const = default;
};

struct CriticSettings {
  CriticKind kind = CriticKind::kTabular;
  double lr = 0.5;
  int epochs = 20;
  std::vector<int> hidden = {64, 64};

  bool operator==(const CriticSettings&) const = default;
};

struct Scenario {
  std::string source;       // file it came from ("" when built in code)
  nlohmann::json resolved;  // every key, defaults filled in, nested objects (null in Scenario{})
  std::string name = "untitled";
  std::string description;
  uint64_t seed = 1;
  std::vector<std::string> views;
  EnvSettings env;
  PolicySettings policy;
  AlgorithmSettings algorithm;
  EstimatorConfig estimator;
  CriticSettings critic;
  AdvantageSettings advantage;
  PpoSettings ppo;
  TrpoSettings trpo;
  OffPolicySettings offpolicy;
  GrpoSettings grpo;
  SacSettings sac;
};

// The defaults alone.
Scenario default_scenario();
// Parses JSON text; `file` names it in messages. A key the file writes that would have no effect
// (inapplicable_reason: an estimator section with PPO) is refused with its line.
Scenario parse_scenario(const std::string& text, const std::string& file);
// A scenario that is one member of a larger JSON file (a session file's resolved "scenario", which
// holds every key): `text` is the whole file, `key_prefix` the member's path ("scenario."), so
// messages give the file's real line and the key as the file spells it. Keys that would have no
// effect are kept (a resolved scenario holds them all).
Scenario parse_embedded_scenario(const nlohmann::json& in, const std::string& text,
                                 const std::string& file, const std::string& key_prefix);
// The file load_scenario reads for `path_or_name`: a path as given (it has a '/' or exists), or a
// shipped scenario's name resolved in the asset directory; "" when it names no file.
std::string scenario_file_path(const std::string& path_or_name);
// Reads a file: a path, or a name in assets/scenarios/ (with or without .json).
Scenario load_scenario(const std::string& path_or_name);
// Applies "key=value" (the CLI's --set) and re-validates.
void apply_set(Scenario& s, const std::string& assignment);
// Applies several at once; rules between keys are checked after all of them, so the order of
// --set flags never matters. A key that cannot change the result (io/params.h's
// inapplicable_reason: env.slip on cartpole) is refused: the user asked for a change — unless one
// of `later` (live changes made during the run, in order) makes it apply.
void apply_sets(Scenario& s, const std::vector<std::string>& assignments,
                const std::vector<std::pair<std::string, nlohmann::json>>& later = {});
// "key=value" → (key, typed value); throws InputError naming the key.
std::pair<std::string, nlohmann::json> parse_assignment(const std::string& assignment);
// Sets one key to a JSON value and re-validates (the GUI's controls).
void set_value(Scenario& s, const std::string& key, const nlohmann::json& value);
// Sets several keys at once, validating the combination only at the end.
void set_values(Scenario& s, const std::vector<std::pair<std::string, nlohmann::json>>& values);

// Where a message about `key` points: "file:line: key" when the scenario came from a file that
// sets the key to the value it has now (or leaves it to its default: then the line of its section),
// else just "key" (a value from --set or the GUI). For rules checked only once the session is built
// (one logit per action, whole episodes for REINFORCE), so they name a line as the parser's do.
// Never throws.
std::string where_in_source(const Scenario& s, const std::string& key);
// Whether `key` has the value s's source file gives it (or its default, which the file leaves):
// false for a value from --set or the GUI, and for a scenario without a file. Never throws.
bool given_in_source(const Scenario& s, const std::string& key);

// Why asset_dir() has no scenarios ("the asset directory PGLAB_ASSETS=/x does not exist; …",
// "PGLAB_ASSETS=/x is not a directory; …"), or "" when it has a scenarios/ folder. Lists that come
// out empty say this instead.
std::string asset_dir_problem();
// Resolves a map name to a path in assets/maps/ (paths with '/' or ".txt" are taken as given).
std::string resolve_map_path(const std::string& name_or_path);
// The file s.env.map names: a shipped map's name → assets/maps/NAME.txt; a relative path the
// scenario's file gives is resolved against that file's folder (a folder of lesson + scenario +
// map works from any directory: audit a14 F4); a value from --set or the window, as typed
// (relative to the current directory), as resolve_map_path.
std::string scenario_map_path(const Scenario& s);
// Scenario files shipped in assets/scenarios/, sorted.
std::vector<std::string> list_scenarios();

}  // namespace pg
