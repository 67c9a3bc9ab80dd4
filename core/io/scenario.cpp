#include "io/scenario.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "io/params.h"
#include "util/error.h"

namespace pg {

namespace {

using json = nlohmann::json;

// 1-based line of the first `"key"` in the text at or after `from`; 0 when not found. JSON
// parsers don't keep positions, and a key's first spelling is where a person looks for it.
int line_of_key(const std::string& text, const std::string& leaf, size_t from = 0) {
  if (text.empty()) return 0;
  const size_t pos = text.find("\"" + leaf + "\"", from);
  if (pos == std::string::npos) return 0;
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(pos), '\n'));
}

int line_of_path(const std::string& text, const std::string& dotted) {
  // Walk the dotted path, finding each segment after the previous one.
  size_t from = 0;
  int line = 0;
  size_t start = 0;
  while (start <= dotted.size()) {
    size_t dot = dotted.find('.', start);
    std::string seg = dotted.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    size_t pos = text.find("\"" + seg + "\"", from);
    if (pos == std::string::npos) return line;
    line = line_of_key(text, seg, from);
    from = pos + 1;
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return line;
}

// Errors from a file name file:line; errors from --set or the GUI (no text) name the key only.
std::string where_of(const Scenario& s, const std::string& text, const std::string& key) {
  if (s.source.empty() || text.empty()) return key;
  return file_line(s.source, line_of_path(text, key)) + ": " + key;
}

std::string keys_under(const std::string& prefix) {
  std::string out;
  for (const auto& p : scenario_params()) {
    const bool top = prefix.empty() && p.key.find('.') == std::string::npos;
    std::string head = p.key.substr(0, p.key.find('.'));
    if (top || (!prefix.empty() && p.key.rfind(prefix + ".", 0) == 0)) {
      if (!out.empty()) out += ", ";
      out += prefix.empty() ? p.key : p.key.substr(prefix.size() + 1);
    } else if (prefix.empty() && p.key.find('.') != std::string::npos && out.find(head) == std::string::npos) {
      if (!out.empty()) out += ", ";
      out += head;
    }
  }
  return out;
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

// Checks every leaf of `in` against the table and copies it over the defaults in `out`.
void merge_checked(const Scenario& s, const std::string& text, const json& in, const std::string& prefix,
                   json& out) {
  for (auto it = in.begin(); it != in.end(); ++it) {
    const std::string key = prefix.empty() ? it.key() : prefix + "." + it.key();
    const ParamSpec* spec = find_param(key);
    if (!spec) {
      // A section ("env") holds further keys; anything else is unknown.
      const bool is_section = !keys_under(key).empty() && key.find('.') == std::string::npos &&
                              std::any_of(scenario_params().begin(), scenario_params().end(),
                                          [&](const ParamSpec& p) { return p.key.rfind(key + ".", 0) == 0; });
      if (is_section) {
        if (!it.value().is_object())
          throw InputError(where_of(s, text, key), "expected an object with keys: " + keys_under(key));
        merge_checked(s, text, it.value(), key, out);
        continue;
      }
      throw InputError(where_of(s, text, key),
                       "unknown key; allowed here: " + keys_under(prefix));
    }
    const std::string err = check_value(*spec, it.value());
    if (!err.empty()) throw InputError(where_of(s, text, key), err);
    set_path(out, key, it.value());
  }
}

template <typename T>
std::vector<T> as_vector(const json& j) {
  std::vector<T> v;
  for (const auto& e : j) v.push_back(e.get<T>());
  return v;
}

// Cross-key rules the table cannot express.
void check_combinations(const Scenario& s, const std::string& text) {
  auto bad = [&](const std::string& key, const std::string& what) { throw InputError(where_of(s, text, key), what); };
  if (s.env.kind == "bandit") {
    const size_t k = s.env.arm_means.size();
    if (k < 2 || k > 64) bad("env.arm_means", "a bandit needs 2 to 64 arms, got " + std::to_string(k));
    if (s.env.reward_kind == "bernoulli")
      for (double m : s.env.arm_means)
        if (m < 0.0 || m > 1.0) bad("env.arm_means", "Bernoulli arms need means in [0, 1]");
  }
  if (s.policy.hidden.size() > 8) bad("policy.hidden", "at most 8 hidden layers");
  if (s.critic.hidden.size() > 8) bad("critic.hidden", "at most 8 hidden layers");
  if (s.env.kind == "cartpole" && s.policy.kind == "tabular")
    bad("policy.kind", "cartpole has continuous observations; allowed: mlp");
  if (s.env.kind == "cartpole" && s.estimator.baseline == Baseline::kExactValue)
    bad("estimator.baseline", "exact-value needs a finite world (gridworld, short-corridor, bandit)");
  if (s.env.kind == "cartpole" && s.estimator.baseline == Baseline::kCritic && s.critic.kind == "tabular")
    bad("critic.kind", "cartpole has continuous observations; allowed: mlp");
  if (s.estimator.baseline == Baseline::kOptimal) {
    if (s.estimator.returns != Returns::kTotal)
      bad("estimator.baseline", "optimal is defined for returns=total only; allowed with reward-to-go: none, "
                                "mean, time-mean, leave-one-out, exact-value, critic");
    if (s.estimator.normalize)
      bad("estimator.normalize", "optimal is a per-parameter baseline and cannot be normalised; set normalize=false");
  }
  if (!s.policy.init_logits.empty() && s.policy.kind == "tabular") {
    // The action count is known only with the environment; checked when the session is built.
  }
}

void fill_typed(Scenario& s) {
  const json& r = s.resolved;
  s.name = r["name"].get<std::string>();
  s.description = r["description"].get<std::string>();
  s.seed = r["seed"].get<uint64_t>();
  s.views = as_vector<std::string>(r["views"]);
  const json& e = r["env"];
  s.env = EnvSettings{e["kind"].get<std::string>(),     e["map"].get<std::string>(),
                      e["slip"].get<double>(),          e["step_reward"].get<double>(),
                      e["goal_reward"].get<double>(),   e["pit_reward"].get<double>(),
                      e["gamma"].get<double>(),         e["step_limit"].get<int>(),
                      e["sutton_barto_reward"].get<bool>(), as_vector<double>(e["arm_means"]),
                      e["reward_kind"].get<std::string>(), e["reward_std"].get<double>(),
                      e["digits"].get<int>(),           e["max_tokens"].get<int>()};
  const json& p = r["policy"];
  s.policy = PolicySettings{p["kind"].get<std::string>(), as_vector<int>(p["hidden"]),
                            p["activation"].get<std::string>(), as_vector<double>(p["init_logits"])};
  const json& a = r["algorithm"];
  s.algorithm = AlgorithmSettings{a["name"].get<std::string>(),   a["batch_episodes"].get<int>(),
                                  a["iterations"].get<int>(),     a["optimizer"].get<std::string>(),
                                  a["lr"].get<double>(),          a["entropy_coef"].get<double>(),
                                  a["num_envs"].get<int>(),       a["num_steps"].get<int>(),
                                  a["online"].get<bool>(),        a["anneal_lr"].get<bool>(),
                                  a["max_grad_norm"].get<double>(), a["value_coef"].get<double>()};
  const json& adv = r["advantage"];
  s.advantage = AdvantageSettings{adv["estimator"].get<std::string>(), adv["n"].get<int>(),
                                  adv["lambda"].get<double>(), adv["normalize"].get<bool>()};
  const json& ppo = r["ppo"];
  s.ppo = PpoSettings{ppo["clip_eps"].get<double>(),      ppo["epochs"].get<int>(),
                      ppo["minibatches"].get<int>(),      ppo["objective"].get<std::string>(),
                      ppo["kl_beta"].get<double>(),       ppo["kl_target"].get<double>(),
                      ppo["adaptive_beta"].get<bool>(),   ppo["clip_value"].get<bool>()};
  const json& tr = r["trpo"];
  s.trpo = TrpoSettings{tr["max_kl"].get<double>(), tr["cg_iters"].get<int>(), tr["damping"].get<double>(),
                        tr["backtracks"].get<int>(), tr["exact_fisher"].get<bool>()};
  const json& off = r["offpolicy"];
  s.offpolicy = OffPolicySettings{off["behaviour"].get<std::string>(), off["lag"].get<int>(),
                                  as_vector<double>(off["behaviour_logits"]), off["weighting"].get<std::string>(),
                                  off["truncate"].get<double>()};
  const json& g = r["grpo"];
  s.grpo = GrpoSettings{g["group_size"].get<int>(),      g["prompts"].get<int>(),    g["std_normalize"].get<bool>(),
                        g["leave_one_out"].get<bool>(),  g["kl_coef"].get<double>(), g["clip_eps"].get<double>(),
                        g["epochs"].get<int>()};
  const json& est = r["estimator"];
  s.estimator.returns = returns_from_name(est["returns"].get<std::string>());
  s.estimator.baseline = baseline_from_name(est["baseline"].get<std::string>());
  s.estimator.normalize = est["normalize"].get<bool>();
  s.estimator.discount_weighting = est["discount_weighting"].get<bool>();
  const json& c = r["critic"];
  s.critic = CriticSettings{c["kind"].get<std::string>(), c["lr"].get<double>(), c["epochs"].get<int>(),
                            as_vector<int>(c["hidden"])};
}

json defaults_json() {
  json out = json::object();
  for (const auto& p : scenario_params()) set_path(out, p.key, p.default_value);
  return out;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, "cannot open the scenario file");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// GRPO's batch is grpo.prompts × grpo.group_size episodes (algo/grpo.h): algorithm.batch_episodes
// is derived from them, in the typed settings and in `resolved`, so the session, the dump and the
// GUI all show the batch that is sampled. `given` is an explicit batch_episodes of this change (a
// file's key or a --set), which must then agree.
void derive_grpo_batch(Scenario& s, const std::string& text, const json* given) {
  if (s.algorithm.name != "grpo") return;
  const long n = static_cast<long>(s.grpo.prompts) * s.grpo.group_size;
  const std::string why = "grpo samples grpo.prompts × grpo.group_size = " + std::to_string(s.grpo.prompts) + " × " +
                          std::to_string(s.grpo.group_size) + " = " + std::to_string(n) + " episodes per batch";
  if (n > 100000) throw InputError(where_of(s, text, "grpo.group_size"), why + "; allowed: at most 100000");
  if (given && given->is_number_integer() && given->get<long>() != n)
    throw InputError(where_of(s, text, "algorithm.batch_episodes"), why + "; leave algorithm.batch_episodes out");
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

Scenario parse_scenario(const std::string& text, const std::string& file) {
  Scenario s;
  s.source = file;
  json in;
  try {
    in = json::parse(text);
  } catch (const json::parse_error& e) {
    // Byte offset → line and column.
    const size_t at = std::min(e.byte > 0 ? e.byte - 1 : 0, text.size());
    const int line = 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(at), '\n'));
    const size_t nl = text.rfind('\n', at == 0 ? 0 : at - 1);
    const int col = static_cast<int>(at - (nl == std::string::npos ? 0 : nl + 1)) + 1;
    std::string msg = e.what();
    const size_t colon = msg.rfind(": ");
    if (colon != std::string::npos) msg = msg.substr(colon + 2);
    throw InputError(file_line(file, line) + ":" + std::to_string(col), "malformed JSON: " + msg);
  }
  if (!in.is_object()) throw InputError(file_line(file, 1), "a scenario is a JSON object {\"env\": {...}, ...}");
  s.resolved = defaults_json();
  merge_checked(s, text, in, "", s.resolved);
  const json* given_batch = nullptr;
  if (in.contains("algorithm") && in["algorithm"].is_object() && in["algorithm"].contains("batch_episodes"))
    given_batch = &in["algorithm"]["batch_episodes"];
  return finish(std::move(s), text, given_batch);
}

std::string asset_dir() {
  if (const char* env = std::getenv("PGLAB_ASSETS"); env && *env) return env;
  return PGLAB_ASSET_DIR;
}

std::string resolve_map_path(const std::string& name) {
  if (name.find('/') != std::string::npos || (name.size() > 4 && name.substr(name.size() - 4) == ".txt")) return name;
  return asset_dir() + "/maps/" + name + ".txt";
}

Scenario load_scenario(const std::string& path_or_name) {
  std::string path = path_or_name;
  namespace fs = std::filesystem;
  if (!fs::exists(path)) {
    std::string candidate = asset_dir() + "/scenarios/" + path_or_name;
    if (candidate.size() < 5 || candidate.substr(candidate.size() - 5) != ".json") candidate += ".json";
    if (path_or_name.find('/') == std::string::npos && fs::exists(candidate)) {
      path = candidate;
    } else {
      std::string names;
      for (const auto& n : list_scenarios()) names += (names.empty() ? "" : ", ") + n;
      throw InputError(path_or_name, "no such scenario file; shipped scenarios: " + names);
    }
  }
  return parse_scenario(read_file(path), path);
}

void set_value(Scenario& s, const std::string& key, const json& value) { set_values(s, {{key, value}}); }

void set_values(Scenario& s, const std::vector<std::pair<std::string, json>>& values) {
  Scenario next = s;
  for (const auto& [key, value] : values) {
  const ParamSpec* spec = find_param(key);
  if (!spec) {
    const std::string prefix = key.find('.') == std::string::npos ? "" : key.substr(0, key.find('.'));
    std::string allowed = keys_under(prefix);
    if (allowed.empty()) allowed = keys_under("");
    throw InputError(key, "unknown key; allowed: " + allowed);
  }
  const std::string err = check_value(*spec, value);
  if (!err.empty()) throw InputError(key, err);
  set_path(next.resolved, key, value);
  }
  const json* given_batch = nullptr;
  for (const auto& [key, value] : values)
    if (key == "algorithm.batch_episodes") given_batch = &value;
  next = finish(std::move(next), "", given_batch);
  s = std::move(next);
}

std::pair<std::string, json> parse_assignment(const std::string& assignment) {
  const size_t eq = assignment.find('=');
  if (eq == std::string::npos || eq == 0)
    throw InputError("--set " + assignment, "expected key=value, e.g. --set estimator.baseline=mean");
  const std::string key = assignment.substr(0, eq);
  const ParamSpec* spec = find_param(key);
  if (!spec) {
    Scenario probe = default_scenario();
    set_value(probe, key, json());  // throws the unknown-key message
  }
  return {key, parse_value_text(*spec, assignment.substr(eq + 1))};
}

void apply_set(Scenario& s, const std::string& assignment) { apply_sets(s, {assignment}); }

void apply_sets(Scenario& s, const std::vector<std::string>& assignments) {
  std::vector<std::pair<std::string, json>> values;
  for (const auto& a : assignments) values.push_back(parse_assignment(a));
  set_values(s, values);
}

std::vector<std::string> list_scenarios() {
  std::vector<std::string> out;
  namespace fs = std::filesystem;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(asset_dir() + "/scenarios", ec))
    if (e.path().extension() == ".json") out.push_back(e.path().stem().string());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace pg
