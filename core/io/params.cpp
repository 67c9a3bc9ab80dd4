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
                {"overview", "variance", "baseline", "inspector", "rollout", "clip", "advantage", "importance",
                 "grpo", "npg"},
                "Views the app opens for this scenario, front first."},

      choice("env.kind", "gridworld", {"gridworld", "cartpole", "short-corridor", "bandit", "token-task"},
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
      num("env.digits", ParamType::kInt, 5, 2, 10,
          "Token task: prompts are pairs of digits below this; the answer is their sum written out."),
      num("env.max_tokens", ParamType::kInt, 3, 2, 8, "Token task: tokens a completion may have (EOS included)."),

      choice("policy.kind", "tabular", {"tabular", "mlp"},
             "Tabular softmax over observations, or an MLP softmax over features."),
      ParamSpec{"policy.hidden", ParamType::kIntList, json::array({64, 64}), 1, 1024, false, {},
                "MLP hidden layer sizes (0 to 8 layers)."},
      choice("policy.activation", "tanh", {"tanh", "relu"}, "MLP hidden activation."),
      ParamSpec{"policy.init_logits", ParamType::kDoubleList, json::array(), -50, 50, false, {},
                "Tabular: initial logits of every observation, one per action; empty: all zero."},

      choice("algorithm.name", "reinforce", {"reinforce", "a2c", "ppo", "npg", "trpo", "off-policy", "grpo"},
             "Policy-gradient algorithm."),
      num("algorithm.num_envs", ParamType::kInt, 1, 1, 64,
          "Environments stepped side by side when collecting fixed-length segments."),
      num("algorithm.num_steps", ParamType::kInt, 0, 0, 100000,
          "Steps per environment per iteration (fixed-length segments, bootstrapped); 0: whole episodes "
          "(algorithm.batch_episodes of them)."),
      flag("algorithm.online", false, "A2C: update after every num_steps steps of one environment (online mode)."),
      flag("algorithm.anneal_lr", false, "Decay the step size linearly to 0 over algorithm.iterations."),
      num("algorithm.max_grad_norm", ParamType::kDouble, 0.0, 0.0, 1e6,
          "Clip the update direction's norm to this; 0: no clipping."),
      num("algorithm.value_coef", ParamType::kDouble, 0.5, 0.0, 1000.0, "Weight c₁ of the critic's squared error."),
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

      choice("advantage.estimator", "gae", {"mc", "td0", "nstep", "gae"},
             "Actor-critic advantage Â: Monte Carlo, TD(0), n-step or GAE(λ)."),
      num("advantage.n", ParamType::kInt, 5, 1, 100000, "n of the n-step advantage."),
      num("advantage.lambda", ParamType::kDouble, 0.95, 0.0, 1.0, "λ of GAE(λ)."),
      flag("advantage.normalize", true, "Standardise the advantages of a batch (or minibatch, in PPO)."),

      num("ppo.clip_eps", ParamType::kDouble, 0.2, 0.0, 10.0, "PPO clip range ε: the ratio is clipped to [1−ε, 1+ε].",
          true),
      num("ppo.epochs", ParamType::kInt, 4, 1, 1000, "PPO: passes over each batch."),
      num("ppo.minibatches", ParamType::kInt, 4, 1, 4096, "PPO: minibatches per epoch."),
      choice("ppo.objective", "clip", {"clip", "kl-penalty"}, "PPO surrogate: clipped ratio, or KL penalty β·KL."),
      num("ppo.kl_beta", ParamType::kDouble, 1.0, 0.0, 1e6, "PPO KL penalty: (initial) β."),
      num("ppo.kl_target", ParamType::kDouble, 0.01, 0.0, 10.0,
          "PPO KL penalty: target KL for the adaptive β (×2 above 1.5·target, ÷2 below target/1.5)."),
      flag("ppo.adaptive_beta", true, "PPO KL penalty: adapt β toward kl_target after each update."),
      flag("ppo.clip_value", false, "PPO: clip the value loss like the policy ratio."),

      num("trpo.max_kl", ParamType::kDouble, 0.01, 0.0, 10.0, "Natural gradient / TRPO: KL budget δ of a step.", true),
      num("trpo.cg_iters", ParamType::kInt, 10, 1, 1000, "Conjugate-gradient iterations for F⁻¹g."),
      num("trpo.damping", ParamType::kDouble, 0.01, 0.0, 10.0, "Damping added to the Fisher matrix (F + λI)."),
      num("trpo.backtracks", ParamType::kInt, 10, 0, 100,
          "TRPO line search: halvings tried until the surrogate improves within the KL budget."),
      flag("trpo.exact_fisher", false, "Tabular worlds: use the exact Fisher matrix instead of the sampled one."),

      choice("offpolicy.behaviour", "previous", {"previous", "fixed"},
             "Behaviour policy: the policy of offpolicy.lag iterations ago, or fixed logits."),
      num("offpolicy.lag", ParamType::kInt, 1, 1, 1000, "Age of the behaviour policy in iterations."),
      ParamSpec{"offpolicy.behaviour_logits", ParamType::kDoubleList, json::array(), -50, 50, false, {},
                "Fixed behaviour policy: logits of every observation, one per action (tabular)."},
      choice("offpolicy.weighting", "per-decision", {"trajectory", "per-decision", "per-step"},
             "Importance weights: whole-trajectory product, product up to t, or the single step's ratio."),
      num("offpolicy.truncate", ParamType::kDouble, 0.0, 0.0, 1e6, "Truncate importance weights at c̄; 0: none."),

      num("grpo.group_size", ParamType::kInt, 8, 1, 1024, "GRPO: completions G per prompt."),
      num("grpo.prompts", ParamType::kInt, 4, 1, 1024, "GRPO: prompts per batch."),
      flag("grpo.std_normalize", true, "GRPO: divide the group advantage by the group's std (+ε)."),
      flag("grpo.leave_one_out", false, "GRPO: baseline is the mean of the other G−1 rewards."),
      num("grpo.kl_coef", ParamType::kDouble, 0.04, 0.0, 1000.0, "GRPO: weight β of the k3 KL to the reference."),
      num("grpo.clip_eps", ParamType::kDouble, 0.2, 0.0, 10.0, "GRPO: clip range ε of the ratio.", true),
      num("grpo.epochs", ParamType::kInt, 1, 1, 1000, "GRPO: passes over each batch."),

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
