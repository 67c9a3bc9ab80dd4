#pragma once
// Scenario files (DESIGN.md §6): one self-contained experiment, parsed and validated against the
// one key table (io/params.h). Every key has a default; a file lists only what it changes.
//
//   Scenario s = load_scenario("assets/scenarios/short-corridor-reinforce.json");
//   apply_set(s, "estimator.baseline=mean");   // --set, same validation
//
// Errors are InputErrors naming "file:line: key" and what is allowed.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "estimator/estimator_config.h"

namespace pg {

struct EnvSettings {
  std::string kind;  // gridworld | cartpole | short-corridor | bandit
  std::string map;
  double slip, step_reward, goal_reward, pit_reward, gamma;
  int step_limit;  // -1: environment default; 0: none
  bool sutton_barto_reward;
  std::vector<double> arm_means;
  std::string reward_kind;
  double reward_std;
  int digits, max_tokens;  // token task
};

struct PolicySettings {
  std::string kind;  // tabular | mlp
  std::vector<int> hidden;
  std::string activation;
  std::vector<double> init_logits;
};

struct AlgorithmSettings {
  std::string name;  // reinforce | a2c | ppo | npg | trpo | off-policy | grpo
  int batch_episodes;
  int iterations;
  std::string optimizer;
  double lr;
  double entropy_coef;
  int num_envs;
  int num_steps;  // 0: whole episodes
  bool online;
  bool anneal_lr;
  double max_grad_norm;  // 0: off
  double value_coef;
};

struct AdvantageSettings {
  std::string estimator;  // mc | td0 | nstep | gae
  int n;
  double lambda;
  bool normalize;
};

struct PpoSettings {
  double clip_eps;
  int epochs, minibatches;
  std::string objective;  // clip | kl-penalty
  double kl_beta, kl_target;
  bool adaptive_beta, clip_value;
};

struct TrpoSettings {
  double max_kl;
  int cg_iters;
  double damping;
  int backtracks;
  bool exact_fisher;
};

struct OffPolicySettings {
  std::string behaviour;  // previous | fixed
  int lag;
  std::vector<double> behaviour_logits;
  std::string weighting;  // trajectory | per-decision | per-step
  double truncate;        // 0: none
};

struct GrpoSettings {
  int group_size, prompts;
  bool std_normalize, leave_one_out;
  double kl_coef, clip_eps;
  int epochs;
};

struct CriticSettings {
  std::string kind;
  double lr;
  int epochs;
  std::vector<int> hidden;
};

struct Scenario {
  std::string source;  // file it came from ("" when built in code)
  nlohmann::json resolved;  // every key, defaults filled in, nested objects
  std::string name, description;
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
};

// The defaults alone.
Scenario default_scenario();
// Parses JSON text; `file` names it in messages.
Scenario parse_scenario(const std::string& text, const std::string& file);
// Reads a file: a path, or a name in assets/scenarios/ (with or without .json).
Scenario load_scenario(const std::string& path_or_name);
// Applies "key=value" (the CLI's --set) and re-validates.
void apply_set(Scenario& s, const std::string& assignment);
// Applies several at once; rules between keys are checked after all of them, so the order of
// --set flags never matters.
void apply_sets(Scenario& s, const std::vector<std::string>& assignments);
// "key=value" → (key, typed value); throws InputError naming the key.
std::pair<std::string, nlohmann::json> parse_assignment(const std::string& assignment);
// Sets one key to a JSON value and re-validates (the GUI's controls).
void set_value(Scenario& s, const std::string& key, const nlohmann::json& value);
// Sets several keys at once, validating the combination only at the end.
void set_values(Scenario& s, const std::vector<std::pair<std::string, nlohmann::json>>& values);

// Where assets live: $PGLAB_ASSETS, else the source tree's assets/ (compiled in).
std::string asset_dir();
// Resolves a map name to a path in assets/maps/ (paths with '/' or ".txt" are taken as given).
std::string resolve_map_path(const std::string& name_or_path);
// Scenario files shipped in assets/scenarios/, sorted.
std::vector<std::string> list_scenarios();

}  // namespace pg
