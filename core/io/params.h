#pragma once
// The one table of scenario keys (STYLE.md §3, DESIGN.md §6).
//
// Every key a scenario may hold has one row here: dotted path, type, default, range or allowed
// values, and a one-line help. The scenario parser, `--set`, the GUI tooltips and the README's
// table are all generated from this table; nothing else lists keys.

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace pg {

struct Scenario;

enum class ParamType { kInt, kDouble, kBool, kString, kEnum, kIntList, kDoubleList, kStringList };

// Where a key lives in the typed Scenario. The table binds each row to its member (by pointer to
// member), so no code copies values by position: `store` writes a value that check_value
// accepted, `load` reads the member back as JSON of the key's type.
struct ParamBinding {
  std::function<void(Scenario&, const nlohmann::json&)> store;
  std::function<nlohmann::json(const Scenario&)> load;
};

struct ParamSpec {
  std::string key;  // dotted path, e.g. "estimator.baseline"
  ParamType type;
  nlohmann::json default_value;
  double min = 0.0;  // numeric range, inclusive (lists: each element); kString: 0 and the
  double max = 0.0;  //   longest allowed text in characters
  bool min_exclusive = false;
  std::vector<std::string> allowed;  // kEnum (and kStringList elements when non-empty)
  std::string help;
  ParamBinding bind;
};

const std::vector<ParamSpec>& scenario_params();
const ParamSpec* find_param(const std::string& key);

// Why `key` cannot change scenario s, or "" when it may: "applies to env.kind gridworld only, and
// env.kind is cartpole". env.* and policy.* keys are judged by env.kind and policy.kind; a
// section or key that one algorithm family reads (grpo.*, sac.*, estimator.*, PPO's minibatches,
// the off-policy behaviour, …) by algorithm.name; critic.* by whether a critic learns,
// algorithm.num_envs by whether segments are collected. Keys that a view or a lab reads on any
// algorithm (ppo.clip_eps and ppo.epochs for the landscape's PPO path, trpo.max_kl, …) always
// apply. `--set` and scenario files refuse a key this names (a change that would do nothing);
// the window hides its row.
std::string inapplicable_reason(const Scenario& s, const std::string& key);
// Throws InputError "key: would have no effect: it applies to …" for the first of `keys` that
// inapplicable_reason names (--set, Python's make() keywords).
void refuse_inapplicable(const Scenario& s, const std::vector<std::string>& keys);

// "integer in [1, 100000]", "one of: none, mean, …", for messages and tooltips.
std::string describe_allowed(const ParamSpec& spec);
const char* type_name(ParamType t);

// Checks one value against its spec; returns "" when valid, else what is wrong and what is allowed.
std::string check_value(const ParamSpec& spec, const nlohmann::json& value);

// Parses the text of a `--set key=value` into JSON of the spec's type (lists: comma-separated).
// Throws InputError naming the key when the text is not of that type.
nlohmann::json parse_value_text(const ParamSpec& spec, const std::string& text);

// The table as Markdown (README) — one row per key.
std::string params_markdown();

}  // namespace pg
