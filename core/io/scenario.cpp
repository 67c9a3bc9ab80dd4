#include "io/scenario.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "env/bandit.h"
#include "io/json_text.h"
#include "io/params.h"
#include "util/error.h"
#include "util/input_file.h"
#include "util/text.h"

namespace pg {

namespace {

using json = nlohmann::json;

// Errors from a file name file:line; errors from --set or the GUI (no text) name the key only.
// The line is the key's own; for a key the file leaves out (a rule between keys, with one side
// defaulted) it is the line of its nearest section the file has, else none.
// The path of the scenario object inside the text being parsed ("scenario." in a session file,
// whose scenario is one member of a larger file), so a message names the real line and key. Set
// only for the length of one parse (ScenarioKeyPrefix); thread_local rather than one more
// parameter through every rule that reports a line.
thread_local std::string t_key_prefix;

struct ScenarioKeyPrefix {
  explicit ScenarioKeyPrefix(std::string prefix) { t_key_prefix = std::move(prefix); }
  ~ScenarioKeyPrefix() { t_key_prefix.clear(); }
  ScenarioKeyPrefix(const ScenarioKeyPrefix&) = delete;
  ScenarioKeyPrefix& operator=(const ScenarioKeyPrefix&) = delete;
};

std::string where_of(const Scenario& s, const std::string& text, const std::string& key) {
  const std::string shown_key = printable(t_key_prefix + key);
  if (s.source.empty() || (text.empty() && t_key_prefix.empty())) return shown_key;
  if (text.empty()) return shorten_path(s.source) + ": " + shown_key;  // embedded, no text
  const std::map<std::string, int> lines = json_key_lines(without_bom(text));
  std::string path = t_key_prefix + key;
  for (;;) {
    if (auto it = lines.find(path); it != lines.end())
      return file_line(shorten_path(s.source), it->second) + ": " + shown_key;
    const size_t dot = path.rfind('.');
    if (dot == std::string::npos) break;
    path.resize(dot);
  }
  return shorten_path(s.source) + ": " + shown_key;
}

std::string keys_under(const std::string& prefix) {
  std::string out;
  for (const auto& p : scenario_params()) {
    const bool top = prefix.empty() && p.key.find('.') == std::string::npos;
    std::string head = p.key.substr(0, p.key.find('.'));
    if (top || (!prefix.empty() && p.key.rfind(prefix + ".", 0) == 0)) {
      if (!out.empty()) out += ", ";
      out += prefix.empty() ? p.key : p.key.substr(prefix.size() + 1);
    } else if (prefix.empty() && p.key.find('.') != std::string::npos &&
               out.find(head) == std::string::npos) {
      if (!out.empty()) out += ", ";
      out += head;
    }
  }
  return out;
}

// "unknown key; " and where the key may have been meant: the same last part in another section
// (algorithm.clip_eps → ppo.clip_eps, grpo.clip_eps), else keys within two edits
// (estimator.baselin → estimator.baseline); then what is allowed (`allowed_label`: `allowed`).
std::string unknown_key_message(const std::string& key, const std::string& allowed_label,
                                const std::string& allowed) {
  const auto leaf_of = [](const std::string& k) {
    const size_t dot = k.rfind('.');
    return k.substr(dot == std::string::npos ? 0 : dot + 1);
  };
  const std::string leaf = leaf_of(key);
  std::vector<std::string> near;
  for (const auto& p : scenario_params())
    if (leaf_of(p.key) == leaf) near.push_back(p.key);
  if (near.empty())
    for (const auto& p : scenario_params())
      if (edit_distance(key, p.key, 2) <= 2) near.push_back(p.key);
  return "unknown key; " + did_you_mean(near, 4) + allowed_label + ": " + allowed;
}

// The message for a --set key that names no parameter: what its section allows, or the sections.
std::string unknown_set_key_message(const std::string& key) {
  // A section's name ("env"): it holds keys and has no value of its own.
  if (key.find('.') == std::string::npos)
    for (const auto& p : scenario_params())
      if (p.key.rfind(key + ".", 0) == 0)
        return "a section, not a key: set one of its keys, e.g. " + p.key +
               "; its keys: " + keys_under(key);
  const std::string prefix = key.find('.') == std::string::npos ? "" : key.substr(0, key.find('.'));
  std::string allowed = keys_under(prefix);
  if (allowed.empty()) allowed = keys_under("");
  return unknown_key_message(key, "allowed", allowed);
}

void set_path(json& root, const std::string& dotted, const json& v) {
  json* node = &root;
  size_t start = 0;
  for (;;) {
    size_t dot = dotted.find('.', start);
    if (dot == std::string::npos) {
      (*node)[dotted.substr(start)] = v;
      return;
    }
    node = &(*node)[dotted.substr(start, dot - start)];
    start = dot + 1;
  }
}

// Checks every leaf of `in` against the table and copies it over the defaults in `out`. `given`
// collects the dotted paths set so far: a key written both nested and dotted
// ({"algorithm": {"lr": …}, "algorithm.lr": …}) is given twice, as a repeated key is.
void merge_checked(const Scenario& s, const std::string& text, const json& in,
                   const std::string& prefix, json& out, std::set<std::string>& given) {
  for (auto it = in.begin(); it != in.end(); ++it) {
    const std::string key = prefix.empty() ? it.key() : prefix + "." + it.key();
    const ParamSpec* spec = find_param(key);
    if (!spec) {
      // A section ("env") holds further keys; anything else is unknown.
      const bool is_section =
          !keys_under(key).empty() && key.find('.') == std::string::npos &&
          std::any_of(scenario_params().begin(), scenario_params().end(),
                      [&](const ParamSpec& p) { return p.key.rfind(key + ".", 0) == 0; });
      if (is_section) {
        if (!it.value().is_object())
          throw InputError(where_of(s, text, key),
                           "expected an object with keys: " + keys_under(key));
        merge_checked(s, text, it.value(), key, out, given);
        continue;
      }
      throw InputError(where_of(s, text, key),
                       unknown_key_message(key, "allowed here", keys_under(prefix)));
    }
    const std::string err = check_value(*spec, it.value());
    if (!err.empty()) throw InputError(where_of(s, text, key), err);
    if (!given.insert(key).second)
      throw InputError(where_of(s, text, key),
                       "the key is given twice (nested and as a dotted name); keep one");
    set_path(out, key, it.value());
  }
}

// The JSON at a dotted path of `root`; null when a section or key is missing.
const json& value_at(const json& root, const std::string& dotted) {
  static const json kNull;
  const json* node = &root;
  size_t start = 0;
  for (;;) {
    const size_t dot = dotted.find('.', start);
    const std::string seg =
        dotted.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (!node->is_object() || !node->contains(seg)) return kNull;
    node = &(*node)[seg];
    if (dot == std::string::npos) return *node;
    start = dot + 1;
  }
}

// Cross-key rules the table cannot express.
void check_combinations(const Scenario& s, const std::string& text) {
  auto bad = [&](const std::string& key, const std::string& what) {
    throw InputError(where_of(s, text, key), what);
  };
  if (s.env.kind == EnvKind::kBandit) {
    const size_t k = s.env.arm_means.size();
    if (k < 2 || k > 64)
      bad("env.arm_means", (k == 0 ? std::string("the list is empty")
                                   : "got " + counted(static_cast<long>(k), "arm")) +
                               "; a bandit needs 2 to 64 arms: a list of 2 to 64 means, e.g. "
                               "[0.2, 0.5, 0.8]");
    if (s.env.reward_kind == name_of(BanditReward::kBernoulli))
      for (double m : s.env.arm_means)
        if (m < 0.0 || m > 1.0) bad("env.arm_means", "Bernoulli arms need means in [0, 1]");
  }
  if (s.policy.hidden.size() > 8) bad("policy.hidden", "at most 8 hidden layers");
  if (s.critic.hidden.size() > 8) bad("critic.hidden", "at most 8 hidden layers");
  const bool continuous_actions = s.env.kind == EnvKind::kPendulum ||
                                  s.env.kind == EnvKind::kContinuousBandit ||
                                  s.env.kind == EnvKind::kContinuousCartpole;
  if (continuous_actions && s.policy.kind != PolicyKind::kGaussian)
    bad("policy.kind",
        std::string(name_of(s.env.kind)) + " has continuous actions; allowed: gaussian");
  if (!continuous_actions && s.policy.kind == PolicyKind::kGaussian)
    bad("policy.kind", std::string(name_of(s.env.kind)) +
                           " has discrete actions; allowed: tabular, mlp (gaussian needs pendulum, "
                           "continuous-bandit or continuous-cartpole)");
  if (continuous_actions &&
      (s.algorithm.name == AlgorithmKind::kOffPolicy || s.algorithm.name == AlgorithmKind::kGrpo))
    bad("algorithm.name", std::string(name_of(s.algorithm.name)) +
                              " has no Gaussian-policy form here; allowed with continuous actions: "
                              "reinforce, a2c, ppo, npg, trpo, sac");
  if (continuous_actions && s.algorithm.name == AlgorithmKind::kSac &&
      s.policy.kind == PolicyKind::kGaussian && !s.policy.squash)
    bad("policy.squash",
        "sac with continuous actions needs the tanh-squashed Gaussian (actions inside the "
        "environment's bounds, log π with its log-det correction); set policy.squash=true");
  if (continuous_actions && s.algorithm.name == AlgorithmKind::kSac &&
      s.critic.kind != CriticKind::kMlp)
    bad("critic.kind",
        "sac with continuous actions needs Q(s, a) with the action as an input; allowed: mlp");
  if (s.policy.kind == PolicyKind::kGaussian && s.env.kind == EnvKind::kContinuousBandit &&
      s.policy.log_std == "state-dependent")
    bad("policy.log_std",
        "the continuous bandit has no state features; allowed: state-independent");
  if ((s.env.kind == EnvKind::kPendulum || s.env.kind == EnvKind::kContinuousCartpole) &&
      s.estimator.baseline == Baseline::kExactValue)
    bad("estimator.baseline",
        "exact-value needs a finite world (gridworld, short-corridor, bandit, continuous-bandit)");
  if ((s.env.kind == EnvKind::kPendulum || s.env.kind == EnvKind::kContinuousCartpole) &&
      (s.estimator.baseline == Baseline::kCritic || s.algorithm.name == AlgorithmKind::kA2C ||
       s.algorithm.name == AlgorithmKind::kPpo) &&
      s.critic.kind == CriticKind::kTabular)
    bad("critic.kind",
        std::string(name_of(s.env.kind)) + " has continuous observations; allowed: mlp");
  if (s.env.kind == EnvKind::kContinuousBandit && s.critic.kind == CriticKind::kMlp &&
      (s.estimator.baseline == Baseline::kCritic || s.algorithm.name == AlgorithmKind::kA2C ||
       s.algorithm.name == AlgorithmKind::kPpo))
    bad("critic.kind", "the continuous bandit has no state features; allowed: tabular");
  if (s.env.kind == EnvKind::kCartpole && s.policy.kind == PolicyKind::kTabular)
    bad("policy.kind", "cartpole has continuous observations; allowed: mlp");
  if (s.env.kind == EnvKind::kCartpole && s.estimator.baseline == Baseline::kExactValue)
    bad("estimator.baseline", "exact-value needs a finite world (" + finite_env_names() + ")");
  if (s.env.kind == EnvKind::kCartpole && s.estimator.baseline == Baseline::kCritic &&
      s.critic.kind == CriticKind::kTabular)
    bad("critic.kind", "cartpole has continuous observations; allowed: mlp");
  if (const auto problem = estimator_config_problem(s.estimator)) bad(problem->key, problem->what);
  if (!s.policy.init_logits.empty() && s.policy.kind == PolicyKind::kTabular) {
    // The action count is known only with the environment; checked when the session is built.
  }
}

// The typed members from `resolved`, through the table's bindings (every key, by name).
void fill_typed(Scenario& s) {
  for (const ParamSpec& p : scenario_params()) p.bind.store(s, value_at(s.resolved, p.key));
}

json defaults_json() {
  json out = json::object();
  for (const auto& p : scenario_params()) set_path(out, p.key, p.default_value);
  return out;
}

// GRPO's batch is grpo.prompts × grpo.group_size episodes (algo/grpo.h): algorithm.batch_episodes
// is derived from them, in the typed settings and in `resolved`, so the session, the dump and the
// GUI all show the batch that is sampled. `given` is an explicit batch_episodes of this change (a
// file's key or a --set), which must then agree.
void derive_grpo_batch(Scenario& s, const std::string& text, const json* given) {
  if (s.algorithm.name != AlgorithmKind::kGrpo) return;
  const long n = static_cast<long>(s.grpo.prompts) * s.grpo.group_size;
  const std::string why =
      "grpo samples grpo.prompts × grpo.group_size = " + std::to_string(s.grpo.prompts) + " × " +
      std::to_string(s.grpo.group_size) + " = " + std::to_string(n) + " episodes per batch";
  if (n > 100000)
    throw InputError(where_of(s, text, "grpo.group_size"), why + "; allowed: at most 100000");
  if (given && given->is_number_integer() && given->get<long>() != n)
    throw InputError(where_of(s, text, "algorithm.batch_episodes"),
                     why + "; leave algorithm.batch_episodes out");
  s.algorithm.batch_episodes = static_cast<int>(n);
  s.resolved["algorithm"]["batch_episodes"] = n;
}

Scenario finish(Scenario s, const std::string& text, const json* given_batch = nullptr) {
  fill_typed(s);
  derive_grpo_batch(s, text, given_batch);
  check_combinations(s, text);
  return s;
}

}  // namespace

Scenario default_scenario() {
  Scenario s;
  s.resolved = defaults_json();
  return finish(std::move(s), "");
}

namespace {

// `in` is the scenario object; `text` the file it came from (for lines). `refuse_unused`: a key
// the file writes that would do nothing (io/params.h's inapplicable_reason) is refused with its
// line, as `--set` refuses it; a session file's resolved scenario holds every key and is not.
Scenario scenario_from_object(const json& in, const std::string& text, const std::string& file,
                              bool refuse_unused) {
  Scenario s;
  s.source = file;
  const std::string shown = shorten_path(file);
  if (!in.is_object())
    throw InputError(file_line(shown, 1),
                     "a scenario is a JSON object {\"env\": {...}, ...}, not " +
                         std::string(in.type_name()) + " " + brief_json(in, 40));
  // Values were checked against the table before anything reads them; a json::exception here is
  // a bug, and is still reported as bad input rather than an abort.
  try {
    s.resolved = defaults_json();
    std::set<std::string> given;
    merge_checked(s, text, in, "", s.resolved, given);
    const json* given_batch = nullptr;  // nested or dotted (merge_checked allows one of them)
    if (in.contains("algorithm") && in["algorithm"].is_object() &&
        in["algorithm"].contains("batch_episodes"))
      given_batch = &in["algorithm"]["batch_episodes"];
    else if (in.contains("algorithm.batch_episodes"))
      given_batch = &in["algorithm.batch_episodes"];
    s = finish(std::move(s), text, given_batch);
    if (refuse_unused)
      for (const ParamSpec& p : scenario_params()) {
        if (!given.count(p.key)) continue;
        const std::string why = inapplicable_reason(s, p.key);
        if (!why.empty())
          throw InputError(where_of(s, text, p.key),
                           "would have no effect: it " + why + "; remove it from the file");
      }
    return s;
  } catch (const json::exception& e) {
    throw InputError(shown, "cannot read the scenario: " + printable(e.what()));
  }
}

}  // namespace

Scenario parse_scenario(const std::string& text, const std::string& file) {
  const std::string shown = shorten_path(file);
  json in;
  JsonProblem problem;
  if (!parse_json_text(text, &in, &problem)) {
    std::string where = json_problem_where(shown, problem);
    std::string what = problem.reason;
    if (!problem.key.empty()) {
      where += ": " + printable(problem.key);
      const ParamSpec* spec = problem.repeated_key ? nullptr : find_param(problem.key);
      if (spec) what += "; expected " + describe_allowed(*spec);
    }
    throw InputError(where, what);
  }
  return scenario_from_object(in, text, file, true);
}

Scenario parse_embedded_scenario(const json& in, const std::string& text, const std::string& file,
                                 const std::string& key_prefix) {
  ScenarioKeyPrefix scope(key_prefix);
  return scenario_from_object(in, text, file, false);
}

std::string asset_dir() {
  if (const char* env = std::getenv("PGLAB_ASSETS"); env && *env) return env;
  return PGLAB_ASSET_DIR;
}

std::string asset_dir_problem() {
  const std::string dir = asset_dir();
  if (is_directory(dir + "/scenarios")) return "";
  const char* env = std::getenv("PGLAB_ASSETS");
  const std::string from =
      env && *env ? "PGLAB_ASSETS=" + shorten_path(dir) : "the built-in " + shorten_path(dir);
  // Unsetting PGLAB_ASSETS helps only where the built-in directory holds the assets.
  const std::string builtin = PGLAB_ASSET_DIR;
  const std::string instead =
      !(env && *env) || builtin == dir ? ""
      : is_directory(builtin + "/scenarios")
          ? "; unset PGLAB_ASSETS to use " + shorten_path(builtin)
          : "; set PGLAB_ASSETS to pglab's assets/ directory (the built-in " +
                shorten_path(builtin) + " has none)";
  // A file given as the directory (PGLAB_ASSETS=/etc/hostname) is not a directory that is missing.
  if (!path_exists(dir)) return "the asset directory " + from + " does not exist" + instead;
  if (!is_directory(dir)) return from + " is not a directory" + instead;
  if (path_exists(dir + "/scenarios"))
    return "the asset directory " + from +
           " has no scenarios/ folder (its scenarios is not a folder)" + instead;
  return "the asset directory " + from + " has no scenarios/ folder" + instead;
}

std::string resolve_map_path(const std::string& name) {
  if (name.find('/') != std::string::npos ||
      (name.size() > 4 && name.substr(name.size() - 4) == ".txt"))
    return name;
  return asset_dir() + "/maps/" + name + ".txt";
}

std::string scenario_map_path(const Scenario& s) {
  const std::string& name = s.env.map;
  const std::string path = resolve_map_path(name);
  if (path != name || name.empty() || name[0] == '/' || s.source.empty()) return path;
  if (!given_in_source(s, "env.map")) return path;  // --set or the window: as typed
  const std::filesystem::path dir = std::filesystem::path(s.source).parent_path();
  std::error_code ec;
  const std::filesystem::path abs = std::filesystem::absolute(dir / name, ec);
  return ec ? (dir / name).lexically_normal().string() : abs.lexically_normal().string();
}

bool given_in_source(const Scenario& s, const std::string& key) {
  if (s.source.empty() || !find_param(key)) return false;
  try {
    const std::string text = read_input_file(s.source, "scenario file", "");
    json in;
    JsonProblem problem;
    if (!parse_json_text(text, &in, &problem) || !in.is_object()) return false;
    const json& given = value_at(in, key);
    // A value the file does not hold now came from --set or the GUI: no line of the file is its.
    const json& now = value_at(s.resolved, key);
    return given.is_null() ? now == find_param(key)->default_value : given == now;
  } catch (...) {
    return false;  // the file changed or vanished since
  }
}

std::string where_in_source(const Scenario& s, const std::string& key) {
  if (!given_in_source(s, key)) return printable(key);
  try {
    return where_of(s, read_input_file(s.source, "scenario file", ""), key);
  } catch (...) {
    return printable(key);  // the file changed or vanished since: the key alone
  }
}

std::string scenario_file_path(const std::string& path_or_name) {
  // A path (it has a '/') is read as given, so its own problem is named (no such file, a
  // directory, a symlink loop, a name too long); a bare name may be a shipped scenario.
  if (path_exists(path_or_name) || path_or_name.find('/') != std::string::npos) return path_or_name;
  // A bare name: a shipped scenario. NAME_MAX keeps an absurd name from reaching the file system.
  if (path_or_name.size() > 250) return "";
  std::string candidate = asset_dir() + "/scenarios/" + path_or_name;
  if (candidate.size() < 5 || candidate.substr(candidate.size() - 5) != ".json")
    candidate += ".json";
  return path_exists(candidate) ? candidate : "";
}

Scenario load_scenario(const std::string& path_or_name) {
  constexpr const char* kExpected = "a JSON scenario file (.json) or a shipped scenario's name";
  const std::string path = scenario_file_path(path_or_name);
  if (path.empty()) {
    const std::string problem = asset_dir_problem();
    if (!problem.empty())
      throw InputError(shorten_path(path_or_name), "no such scenario file, and " + problem);
    std::string names;
    for (const auto& n : list_scenarios()) names += (names.empty() ? "" : ", ") + n;
    throw InputError(shorten_path(path_or_name),
                     "no such scenario file; shipped scenarios: " + names);
  }
  return parse_scenario(read_input_file(path, "scenario file", kExpected), path);
}

void set_value(Scenario& s, const std::string& key, const json& value) {
  set_values(s, {{key, value}});
}

void set_values(Scenario& s, const std::vector<std::pair<std::string, json>>& values) {
  Scenario next = s;
  try {
    for (const auto& [key, value] : values) {
      const ParamSpec* spec = find_param(key);
      if (!spec) throw InputError(printable(key), unknown_set_key_message(key));
      const std::string err = check_value(*spec, value);
      if (!err.empty()) throw InputError(key, err);
      set_path(next.resolved, key, value);
    }
    const json* given_batch = nullptr;
    for (const auto& [key, value] : values)
      if (key == "algorithm.batch_episodes") given_batch = &value;
    next = finish(std::move(next), "", given_batch);
  } catch (const json::exception& e) {
    throw InputError(values.size() == 1 ? printable(values.front().first) : "",
                     "cannot apply the value: " + printable(e.what()));
  }
  s = std::move(next);
}

std::pair<std::string, json> parse_assignment(const std::string& assignment) {
  size_t bad = 0;
  if (!is_valid_utf8(assignment, &bad))
    throw InputError("--set " + quote(assignment),
                     "not UTF-8 text (byte " + std::to_string(bad + 1) +
                         " is not valid UTF-8); keys and values are UTF-8");
  const size_t eq = assignment.find('=');
  if (eq == std::string::npos || eq == 0)
    throw InputError("--set " + quote(assignment),
                     "expected key=value, e.g. --set estimator.baseline=mean");
  const std::string key = assignment.substr(0, eq);
  const ParamSpec* spec = find_param(key);
  // Quoted when it holds a space, so that one around the key (--set ' env.gamma=0.5') shows.
  if (!spec)
    throw InputError(key.find_first_of(" \t") == std::string::npos ? printable(key) : quote(key),
                     unknown_set_key_message(key));
  try {
    return {key, parse_value_text(*spec, assignment.substr(eq + 1))};
  } catch (const json::exception& e) {
    throw InputError(key, "cannot read the value: " + printable(e.what()));
  }
}

void apply_set(Scenario& s, const std::string& assignment) {
  apply_sets(s, {assignment});
}

void apply_sets(Scenario& s, const std::vector<std::string>& assignments,
                const std::vector<std::pair<std::string, json>>& later) {
  std::vector<std::pair<std::string, json>> values;
  for (size_t i = 0; i < assignments.size(); ++i) {
    values.push_back(parse_assignment(assignments[i]));
    // Two values for one key: the last would win silently (two command lines pasted together),
    // as every other repeated option, --change key and file key is refused.
    for (size_t j = 0; j < i; ++j)
      if (values[j].first == values[i].first)
        throw InputError("--set " + quote(assignments[i]),
                         "sets " + values[i].first + " again, after --set " +
                             quote(assignments[j]) + "; give each key once");
  }
  Scenario next = s;
  set_values(next, values);
  // Judged on the result, so `--set env.kind=cartpole --set env.sutton_barto_reward=true` works
  // in either order; and on the settings the later live changes make, so `--set critic.lr=0.1
  // --change 5:estimator.baseline=critic` keeps the critic's step size for when it learns.
  std::vector<std::string> keys;
  for (const auto& kv : values) {
    bool applies = inapplicable_reason(next, kv.first).empty();
    Scenario then = next;
    for (size_t i = 0; i < later.size() && !applies; ++i) {
      try {
        set_values(then, {later[i]});
      } catch (const InputError&) {
        continue;  // refused later, with its own message
      }
      applies = inapplicable_reason(then, kv.first).empty();
    }
    if (!applies) keys.push_back(kv.first);
  }
  refuse_inapplicable(next, keys);
  s = std::move(next);
}

std::vector<std::string> list_scenarios() {
  std::vector<std::string> out;
  namespace fs = std::filesystem;
  std::error_code ec;
  // error_code overloads throughout: a vanished or unreadable directory lists what it could.
  for (fs::directory_iterator it(asset_dir() + "/scenarios", ec), end; !ec && it != end;
       it.increment(ec))
    if (it->path().extension() == ".json") out.push_back(it->path().stem().string());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace pg
