#include "io/params.h"

#include <cmath>
#include <sstream>

#include "util/error.h"

namespace pg {

namespace {

using json = nlohmann::json;

ParamSpec num(std::string key, ParamType t, json def, double lo, double hi, std::string help,
              bool lo_exclusive = false) {
  ParamSpec p{std::move(key), t, std::move(def), lo, hi, lo_exclusive, {}, std::move(help)};
  return p;
}

ParamSpec choice(std::string key, std::string def, std::vector<std::string> allowed, std::string help) {
  ParamSpec p{std::move(key), ParamType::kEnum, json(def), 0, 0, false, std::move(allowed), std::move(help)};
  return p;
}

ParamSpec flag(std::string key, bool def, std::string help) {
  return ParamSpec{std::move(key), ParamType::kBool, json(def), 0, 0, false, {}, std::move(help)};
}

ParamSpec text(std::string key, std::string def, std::string help) {
  return ParamSpec{std::move(key), ParamType::kString, json(def), 0, 0, false, {}, std::move(help)};
}

std::vector<ParamSpec> build_table() {
  const double kBig = 1e9;
  return {
      text("name", "untitled", "Title shown in the app and in exports."),
      text("description", "", "One or two sentences on what the scenario shows."),
      num("seed", ParamType::kInt, 1, 0, 9007199254740991.0, "Seed of every random stream (same seed, same bits)."),
      ParamSpec{"views", ParamType::kStringList, json::array(), 0, 0, false,
                {"overview", "variance", "baseline", "inspector", "rollout"},
                "Views the app opens for this scenario, front first."},

      choice("env.kind", "gridworld", {"gridworld", "cartpole", "short-corridor", "bandit"},
             "Environment."),
      text("env.map", "frozen-lake-8x8",
           "Gridworld map: a name in assets/maps/ (without .txt) or a path to a map file."),
      num("env.slip", ParamType::kDouble, 0.0, 0.0, 1.0,
          "Gridworld: probability that a move goes to a perpendicular direction instead (half each)."),
      num("env.step_reward", ParamType::kDouble, 0.0, -kBig, kBig, "Gridworld: reward of an ordinary step."),
      num("env.goal_reward", ParamType::kDouble, 1.0, -kBig, kBig, "Gridworld: reward for entering G (ends the episode)."),
      num("env.pit_reward", ParamType::kDouble, -1.0, -kBig, kBig, "Gridworld: reward for entering X (ends the episode)."),
      num("env.gamma", ParamType::kDouble, 0.99, 0.0, 1.0, "Discount factor γ."),
      num("env.step_limit", ParamType::kInt, -1, -1, 1000000,
          "Steps before truncation; -1: the environment's default (gridworld 100, cartpole 500, "
          "short corridor 1000, bandit 1); 0: no limit."),
      flag("env.sutton_barto_reward", false, "CartPole: reward 0 per step and -1 on failure instead of +1 per step."),
      ParamSpec{"env.arm_means", ParamType::kDoubleList, json::array({0.2, 0.5, 0.8}), -kBig, kBig, false, {},
                "Bandit: mean reward of each arm (2 to 64 arms)."},
      choice("env.reward_kind", "gaussian", {"gaussian", "bernoulli"}, "Bandit: reward distribution of an arm."),
      num("env.reward_std", ParamType::kDouble, 1.0, 0.0, kBig, "Bandit: standard deviation of Gaussian rewards."),

      choice("policy.kind", "tabular", {"tabular", "mlp"},
             "Tabular softmax over observations, or an MLP softmax over features."),
      ParamSpec{"policy.hidden", ParamType::kIntList, json::array({64, 64}), 1, 1024, false, {},
                "MLP hidden layer sizes (0 to 8 layers)."},
      choice("policy.activation", "tanh", {"tanh", "relu"}, "MLP hidden activation."),
      ParamSpec{"policy.init_logits", ParamType::kDoubleList, json::array(), -50, 50, false, {},
                "Tabular: initial logits of every observation, one per action; empty: all zero."},

      choice("algorithm.name", "reinforce", {"reinforce"}, "Policy-gradient algorithm."),
      num("algorithm.batch_episodes", ParamType::kInt, 16, 1, 100000, "Episodes per batch N (one gradient estimate)."),
      num("algorithm.iterations", ParamType::kInt, 200, 1, 10000000, "Iterations a training run makes."),
      choice("algorithm.optimizer", "adam", {"sgd", "adam"}, "Optimizer applied to the ascent direction."),
      num("algorithm.lr", ParamType::kDouble, 0.05, 0.0, 1000.0, "Step size.", true),
      num("algorithm.entropy_coef", ParamType::kDouble, 0.0, 0.0, 1000.0,
          "Weight of the mean policy entropy added to the objective."),

      choice("estimator.returns", "reward-to-go", {"total", "reward-to-go"},
             "Weight each step by the whole return (total) or only by what follows it (causality)."),
      choice("estimator.baseline", "none",
             {"none", "mean", "time-mean", "leave-one-out", "optimal", "exact-value", "critic"},
             "What is subtracted from the return; see DESIGN.md §3."),
      flag("estimator.normalize", false, "Standardise ψ over the batch: (ψ − mean) / (std + 1e-8)."),
      flag("estimator.discount_weighting", false, "Multiply ψ_t by γ^t (the unbiased discounted form)."),

      choice("critic.kind", "tabular", {"tabular", "mlp"}, "Learned value function for the critic baseline."),
      num("critic.lr", ParamType::kDouble, 0.5, 0.0, 1000.0,
          "Critic step size (tabular: fraction of the way to the batch mean; mlp: Adam).", true),
      num("critic.epochs", ParamType::kInt, 20, 1, 100000, "MLP critic: full-batch Adam steps per update."),
      ParamSpec{"critic.hidden", ParamType::kIntList, json::array({64, 64}), 1, 1024, false, {},
                "MLP critic hidden layer sizes."},
  };
}

std::string fmt_num(double v) {
  if (v == std::floor(v) && std::abs(v) < 1e16) return std::to_string(static_cast<long long>(v));
  std::ostringstream os;
  os << v;
  return os.str();
}

}  // namespace

const std::vector<ParamSpec>& scenario_params() {
  static const std::vector<ParamSpec> table = build_table();
  return table;
}

const ParamSpec* find_param(const std::string& key) {
  for (const auto& p : scenario_params())
    if (p.key == key) return &p;
  return nullptr;
}

const char* type_name(ParamType t) {
  switch (t) {
    case ParamType::kInt: return "integer";
    case ParamType::kDouble: return "number";
    case ParamType::kBool: return "true or false";
    case ParamType::kString: return "string";
    case ParamType::kEnum: return "one of";
    case ParamType::kIntList: return "list of integers";
    case ParamType::kDoubleList: return "list of numbers";
    case ParamType::kStringList: return "list of strings";
  }
  return "?";
}

std::string describe_allowed(const ParamSpec& s) {
  std::string range = std::string(s.min_exclusive ? "(" : "[") + fmt_num(s.min) + ", " + fmt_num(s.max) + "]";
  std::string names;
  for (size_t i = 0; i < s.allowed.size(); ++i) names += (i ? ", " : "") + s.allowed[i];
  switch (s.type) {
    case ParamType::kInt: return "an integer in " + range;
    case ParamType::kDouble: return "a finite number in " + range;
    case ParamType::kBool: return "true or false";
    case ParamType::kString: return "a string";
    case ParamType::kEnum: return "one of: " + names;
    case ParamType::kIntList: return "a list of integers in " + range;
    case ParamType::kDoubleList: return "a list of finite numbers in " + range;
    case ParamType::kStringList: return names.empty() ? "a list of strings" : "a list of: " + names;
  }
  return "";
}

namespace {

std::string check_number(const ParamSpec& s, const json& v, bool integer) {
  if (!v.is_number()) return "expected " + describe_allowed(s);
  if (integer && !v.is_number_integer()) {
    const double d = v.get<double>();
    if (!std::isfinite(d) || d != std::floor(d)) return "expected " + describe_allowed(s);
  }
  const double d = v.get<double>();
  if (!std::isfinite(d)) return "value is not finite; expected " + describe_allowed(s);
  const bool low = s.min_exclusive ? !(d > s.min) : !(d >= s.min);
  if (low || !(d <= s.max)) return "value " + fmt_num(d) + " is out of range; expected " + describe_allowed(s);
  return "";
}

}  // namespace

std::string check_value(const ParamSpec& s, const json& v) {
  switch (s.type) {
    case ParamType::kInt: return check_number(s, v, true);
    case ParamType::kDouble: return check_number(s, v, false);
    case ParamType::kBool: return v.is_boolean() ? "" : "expected true or false";
    case ParamType::kString: return v.is_string() ? "" : "expected a string";
    case ParamType::kEnum: {
      if (v.is_string())
        for (const auto& a : s.allowed)
          if (a == v.get<std::string>()) return "";
      return "value " + v.dump() + " is not allowed; expected " + describe_allowed(s);
    }
    case ParamType::kIntList:
    case ParamType::kDoubleList: {
      if (!v.is_array()) return "expected " + describe_allowed(s);
      for (const auto& e : v) {
        std::string err = check_number(s, e, s.type == ParamType::kIntList);
        if (!err.empty()) return "element " + e.dump() + ": " + err;
      }
      return "";
    }
    case ParamType::kStringList: {
      if (!v.is_array()) return "expected " + describe_allowed(s);
      for (const auto& e : v) {
        if (!e.is_string()) return "expected " + describe_allowed(s);
        if (!s.allowed.empty()) {
          bool ok = false;
          for (const auto& a : s.allowed) ok |= (a == e.get<std::string>());
          if (!ok) return "element " + e.dump() + " is not allowed; expected " + describe_allowed(s);
        }
      }
      return "";
    }
  }
  return "";
}

namespace {

json parse_scalar(const ParamSpec& s, ParamType t, const std::string& text) {
  const std::string where = s.key;
  auto fail = [&]() -> json {
    throw InputError(where, "cannot read '" + text + "'; expected " + describe_allowed(s));
  };
  if (t == ParamType::kInt) {
    size_t pos = 0;
    long long v = 0;
    try {
      v = std::stoll(text, &pos);
    } catch (...) {
      return fail();
    }
    if (pos != text.size()) return fail();
    return json(v);
  }
  if (t == ParamType::kDouble) {
    size_t pos = 0;
    double v = 0;
    try {
      v = std::stod(text, &pos);
    } catch (...) {
      return fail();
    }
    if (pos != text.size()) return fail();
    if (!std::isfinite(v)) throw InputError(where, "value '" + text + "' is not finite; expected " + describe_allowed(s));
    return json(v);
  }
  if (t == ParamType::kBool) {
    if (text == "true" || text == "1" || text == "on") return json(true);
    if (text == "false" || text == "0" || text == "off") return json(false);
    return fail();
  }
  return json(text);
}

}  // namespace

json parse_value_text(const ParamSpec& s, const std::string& text) {
  auto split = [](const std::string& t) {
    std::vector<std::string> parts;
    if (t.empty()) return parts;
    std::string cur;
    for (char c : t) {
      if (c == ',') {
        parts.push_back(cur);
        cur.clear();
      } else if (c != ' ' && c != '[' && c != ']') {
        cur += c;
      }
    }
    parts.push_back(cur);
    return parts;
  };
  switch (s.type) {
    case ParamType::kIntList:
    case ParamType::kDoubleList:
    case ParamType::kStringList: {
      json arr = json::array();
      const ParamType et = s.type == ParamType::kIntList      ? ParamType::kInt
                           : s.type == ParamType::kDoubleList ? ParamType::kDouble
                                                              : ParamType::kString;
      for (const auto& p : split(text)) arr.push_back(parse_scalar(s, et, p));
      return arr;
    }
    default: return parse_scalar(s, s.type, text);
  }
}

std::string params_markdown() {
  std::ostringstream os;
  os << "| key | type | default | allowed | description |\n|---|---|---|---|---|\n";
  for (const auto& p : scenario_params()) {
    std::string allowed = describe_allowed(p);
    os << "| `" << p.key << "` | " << type_name(p.type) << " | `" << p.default_value.dump() << "` | " << allowed
       << " | " << p.help << " |\n";
  }
  return os.str();
}

}  // namespace pg
