#include "session/live_params.h"

#include <cctype>
#include <cstdio>

#include "algo/describe.h"
#include "io/json_text.h"
#include "io/params.h"
#include "io/scenario.h"
#include "util/error.h"
#include "util/text.h"

namespace pg {

using nlohmann::json;

const std::vector<LiveKey>& live_keys() {
  static const std::vector<LiveKey> keys = {
      {"algorithm.lr", "lr", false},
      {"algorithm.batch_episodes", "N", false},
      {"algorithm.num_envs", "envs", false},
      {"algorithm.num_steps", "steps", false},
      {"grpo.prompts", "prompts", false},
      {"algorithm.entropy_coef", "entropy", false},
      {"ppo.clip_eps", "ε", false},
      {"grpo.clip_eps", "ε", false},
      {"advantage.lambda", "λ", false},
      {"trpo.max_kl", "δ", false},
      {"algorithm.optimizer", "optimizer", false},
      {"estimator.returns", "returns", true},
      {"estimator.baseline", "baseline", true},
      {"estimator.normalize", "normalize", true},
      {"estimator.discount_weighting", "γᵗ", true},
  };
  return keys;
}

const LiveKey* find_live_key(const std::string& key) {
  for (const LiveKey& k : live_keys())
    if (key == k.key) return &k;
  return nullptr;
}

std::string live_key_names() {
  std::string out;
  for (const LiveKey& k : live_keys()) out += (out.empty() ? "" : ", ") + std::string(k.key);
  return out;
}

std::string live_key_problem(const Scenario& s, const AlgorithmInfo& info, const std::string& key) {
  const bool segments = s.algorithm.num_steps > 0;
  const bool groups = info.supports(Analysis::kGroups);
  if (key == "algorithm.batch_episodes") {
    if (groups) return "GRPO's batch is grpo.prompts × grpo.group_size; change grpo.prompts";
    if (segments)
      return "this run collects fixed-length segments; change algorithm.num_envs or "
             "algorithm.num_steps";
  }
  if ((key == "algorithm.num_envs" || key == "algorithm.num_steps") && !segments)
    return "this run collects whole episodes; change algorithm.batch_episodes";
  if ((key == "grpo.prompts" || key == "grpo.clip_eps") && !groups) return "applies to GRPO only";
  if (key == "ppo.clip_eps" && !info.supports(Analysis::kClipping))
    return "applies to PPO's clip objective only";
  if (key == "advantage.lambda" && !info.supports(Analysis::kAdvantageEstimators))
    return "applies to actor-critic advantages (A2C, PPO) only";
  if (key == "trpo.max_kl" && !info.supports(Analysis::kNaturalGradient))
    return "applies to NPG and TRPO only (their KL budget per step)";
  if (key.rfind("estimator.", 0) == 0 && !info.reinforce_settings)
    return "this algorithm does not use REINFORCE's estimator settings";
  // The rest as --set judges it (NPG/TRPO: no lr, optimizer or entropy bonus; SAC: α, not c₂).
  const std::string why = inapplicable_reason(s, key);
  return why.empty() ? "" : "would have no effect: it " + why;
}

json resolved_value(const Scenario& s, const std::string& key) {
  const json* node = &s.resolved;
  size_t start = 0;
  for (;;) {
    if (!node->is_object()) return nullptr;
    const size_t dot = key.find('.', start);
    const std::string part =
        key.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    auto it = node->find(part);
    if (it == node->end()) return nullptr;
    node = &*it;
    if (dot == std::string::npos) return *node;
    start = dot + 1;
  }
}

namespace {

// Short: strings unquoted, numbers to 6 significant digits (0 rather than 0.0).
std::string value_text(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_float()) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6g", v.get<double>());
    return buf;
  }
  return safe_dump(v);
}

}  // namespace

std::string change_label(const SettingChange& c) {
  const LiveKey* k = find_live_key(c.key);
  const std::string name = k ? k->symbol : c.key;
  return name + " " + value_text(c.old_value) + "→" + value_text(c.new_value);
}

std::string change_labels_at(const std::vector<SettingChange>& changes, int iteration) {
  std::string out;
  for (const SettingChange& c : changes)
    if (c.iteration == iteration) out += (out.empty() ? "" : ", ") + change_label(c);
  return out;
}

std::string change_assignments_at(const std::vector<SettingChange>& changes, int iteration) {
  std::string cell;
  for (const SettingChange& c : changes)
    if (c.iteration == iteration)
      cell += (cell.empty() ? "" : ";") + c.key + "=" +
              (c.new_value.is_string() ? c.new_value.get<std::string>() : c.new_value.dump());
  return cell;
}

json change_json(const SettingChange& c) {
  return {{"iteration", c.iteration},
          {"phase", c.phase},
          {"key", c.key},
          {"old", c.old_value},
          {"new", c.new_value}};
}

json changes_json(const std::vector<SettingChange>& changes) {
  json a = json::array();
  for (const SettingChange& c : changes) a.push_back(change_json(c));
  return a;
}

namespace {

// "did you mean algorithm.lr? " for a key the user wrote that is a live key but for case or the
// spaces around it, or within two edits of one; "" when none is close.
std::string live_key_suggestion(const std::string& written) {
  std::string plain;
  for (char ch : written)
    if (ch != ' ' && ch != '\t')
      plain += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  std::vector<std::string> near;
  for (const LiveKey& k : live_keys())
    if (plain == k.key) {
      const bool spaces = plain.size() != written.size();
      return "did you mean " + std::string(k.key) +
             (spaces ? " (ITER:key=value takes no spaces)" : " (keys are lower case)") + "? ";
    }
  for (const LiveKey& k : live_keys())
    if (edit_distance(plain, k.key, 2) <= 2) near.push_back(k.key);
  return did_you_mean(near, 3);
}

}  // namespace

ScheduledChange parse_scheduled_change(const std::string& text) {
  const std::string flag = "--change " + quote(text);
  const size_t colon = text.find(':');
  size_t digits = 0;
  while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) ++digits;
  if (colon == std::string::npos || colon == 0 || digits != colon || colon > 8)
    throw InputError(flag,
                     "expected ITER:key=value with ITER an iteration (0 to 10000000), e.g. "
                     "--change 10:algorithm.lr=0.3");
  const long it = std::stol(text.substr(0, colon));
  if (it > 10000000)
    throw InputError(flag, "iteration " + std::to_string(it) + " is out of range [0, 10000000]");
  const std::string assignment = text.substr(colon + 1);
  if (assignment.find('=') == std::string::npos || assignment[0] == '=')
    throw InputError(flag,
                     "expected ITER:key=value after the iteration, e.g. --change "
                     "10:algorithm.lr=0.3");
  // A key that is not a live one is refused before its value is read, with the live keys (--set's
  // message would list the scenario's sections for "ALGORITHM.LR" or " algorithm.lr").
  const std::string written = assignment.substr(0, assignment.find('='));
  if (!find_live_key(written) && !find_param(written))
    throw InputError(flag, "unknown key " + quote(written) + "; " + live_key_suggestion(written) +
                               "live keys: " + live_key_names());
  ScheduledChange c;
  c.iteration = static_cast<int>(it);
  c.text = text;
  std::pair<std::string, json> kv;
  try {
    kv = parse_assignment(assignment);  // --set's reading and messages
  } catch (const InputError& e) {
    throw InputError(flag, e.what());
  }
  auto& [key, value] = kv;
  if (!find_live_key(key))
    throw InputError(key,
                     "cannot change during a run (a reset, or --set, changes it); live keys: " +
                         live_key_names());
  c.key = key;
  c.value = value;
  return c;
}

}  // namespace pg
