#include "io/params.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <sstream>
#include <type_traits>

#include "env/bandit.h"
#include "estimator/importance.h"
#include "io/json_text.h"
#include "io/scenario.h"
#include "nn/mlp.h"
#include "nn/optimizer.h"
#include "util/error.h"
#include "util/number_text.h"
#include "util/text.h"

namespace pg {

namespace {

using json = nlohmann::json;

template <class T>
constexpr ParamType type_of() {
  if constexpr (std::is_same_v<T, int> || std::is_same_v<T, uint64_t>)
    return ParamType::kInt;
  else if constexpr (std::is_same_v<T, double>)
    return ParamType::kDouble;
  else if constexpr (std::is_same_v<T, bool>)
    return ParamType::kBool;
  else if constexpr (std::is_same_v<T, std::string>)
    return ParamType::kString;
  else if constexpr (std::is_same_v<T, std::vector<int>>)
    return ParamType::kIntList;
  else if constexpr (std::is_same_v<T, std::vector<double>>)
    return ParamType::kDoubleList;
  else if constexpr (std::is_same_v<T, std::vector<std::string>>)
    return ParamType::kStringList;
  else if constexpr (TabledEnum<T>)
    return ParamType::kEnum;
  else
    static_assert(sizeof(T) == 0, "no ParamType for this member type");
}

// JSON ↔ member. Enumerations travel by name, as in files.
template <class T>
T from_json(const json& v) {
  if constexpr (TabledEnum<T>)
    return enum_from_valid_name<T>(v.get<std::string>());
  else
    return v.get<T>();
}
template <class T>
json to_json(const T& v) {
  if constexpr (TabledEnum<T>)
    return json(name_of(v));
  else
    return json(v);
}

// A member of Scenario, or a member of one of its sections, with the ParamType its C++ type has.
struct Bound {
  ParamType type;
  ParamBinding bind;
};

template <class T>
Bound member(T Scenario::*field) {
  return {type_of<T>(),
          {[field](Scenario& s, const json& v) { s.*field = from_json<T>(v); },
           [field](const Scenario& s) { return to_json(s.*field); }}};
}

template <class Section, class T>
Bound member(Section Scenario::*section, T Section::*field) {
  return {type_of<T>(),
          {[section, field](Scenario& s, const json& v) { (s.*section).*field = from_json<T>(v); },
           [section, field](const Scenario& s) { return to_json((s.*section).*field); }}};
}

ParamSpec num(std::string key, Bound b, json def, double lo, double hi, std::string help,
              bool lo_exclusive = false) {
  PG_ASSERT(b.type == ParamType::kInt || b.type == ParamType::kDouble,
            "num() binds an int or double member");
  return ParamSpec{std::move(key),  b.type,           std::move(def), lo, hi, lo_exclusive, {},
                   std::move(help), std::move(b.bind)};
}

ParamSpec list(std::string key, Bound b, json def, double lo, double hi, std::string help) {
  PG_ASSERT(b.type == ParamType::kIntList || b.type == ParamType::kDoubleList,
            "list() binds a vector of numbers");
  return ParamSpec{std::move(key),  b.type,           std::move(def), lo, hi, false, {},
                   std::move(help), std::move(b.bind)};
}

ParamSpec choice(std::string key, Bound b, std::string def, std::vector<std::string> allowed,
                 std::string help) {
  PG_ASSERT(b.type == ParamType::kString || b.type == ParamType::kEnum,
            "choice() binds a string or enum member");
  return ParamSpec{std::move(key),     ParamType::kEnum, json(def),        0, 0, false,
                   std::move(allowed), std::move(help),  std::move(b.bind)};
}

// An enumeration with its own table (util/enum_table.h): the allowed names are the table's. The
// member is the enum, or a string its consumer converts through the same table (make_optimizer,
// Bandit, the MLP's activation).
template <TabledEnum E>
ParamSpec choice(std::string key, Bound b, E def, std::string help) {
  return choice(std::move(key), std::move(b), name_of(def), enum_names<E>(), std::move(help));
}

ParamSpec names(std::string key, Bound b, std::vector<std::string> allowed, std::string help) {
  PG_ASSERT(b.type == ParamType::kStringList, "names() binds a vector of strings");
  return ParamSpec{std::move(key),     ParamType::kStringList, json::array(),    0, 0, false,
                   std::move(allowed), std::move(help),        std::move(b.bind)};
}

ParamSpec flag(std::string key, Bound b, bool def, std::string help) {
  PG_ASSERT(b.type == ParamType::kBool, "flag() binds a bool member");
  return ParamSpec{std::move(key),  ParamType::kBool, json(def), 0, 0, false, {},
                   std::move(help), std::move(b.bind)};
}

// max_chars: the longest text allowed (a message or the window must be able to show it).
ParamSpec text(std::string key, Bound b, std::string def, int max_chars, std::string help) {
  PG_ASSERT(b.type == ParamType::kString, "text() binds a string member");
  return ParamSpec{
      std::move(key),  ParamType::kString, json(def), 0, static_cast<double>(max_chars), false, {},
      std::move(help), std::move(b.bind)};
}

std::vector<ParamSpec> build_table() {
  const double kBig = 1e9;
  using S = Scenario;
  return {
      text("name", member(&S::name), "untitled", 200, "Title shown in the app and in exports."),
      text("description", member(&S::description), "", 2000,
           "One or two sentences on what the scenario shows."),
      num("seed", member(&S::seed), 1, 0, 9007199254740991.0,
          "Seed of every random stream (same seed, same bits)."),
      names("views", member(&S::views), enum_names<ViewKind>(),
            "Views the app opens for this scenario, front first."),

      choice("env.kind", member(&S::env, &EnvSettings::kind), EnvKind::kGridworld, "Environment."),
      text("env.map", member(&S::env, &EnvSettings::map), "frozen-lake-8x8", 4096,
           "Gridworld map: a name in assets/maps/ (without .txt) or a path to a map file (a "
           "relative "
           "one from the scenario file's folder; from --set, the current directory)."),
      num("env.slip", member(&S::env, &EnvSettings::slip), 0.0, 0.0, 1.0,
          "Gridworld: probability that a move goes to a perpendicular direction instead (half "
          "each)."),
      num("env.step_reward", member(&S::env, &EnvSettings::step_reward), 0.0, -kBig, kBig,
          "Gridworld: reward of an ordinary step."),
      num("env.goal_reward", member(&S::env, &EnvSettings::goal_reward), 1.0, -kBig, kBig,
          "Gridworld: reward for entering G (ends the episode)."),
      num("env.pit_reward", member(&S::env, &EnvSettings::pit_reward), -1.0, -kBig, kBig,
          "Gridworld: reward for entering X (ends the episode)."),
      num("env.gamma", member(&S::env, &EnvSettings::gamma), 0.99, 0.0, 1.0, "Discount factor γ."),
      num("env.step_limit", member(&S::env, &EnvSettings::step_limit), -1, -1, 1000000,
          "Steps before truncation; -1: the environment's default (gridworld 100, cartpole 500, "
          "short corridor 1000, bandit 1); 0: no limit."),
      flag("env.sutton_barto_reward", member(&S::env, &EnvSettings::sutton_barto_reward), false,
           "CartPole: reward 0 per step and -1 on failure instead of +1 per step."),
      list("env.arm_means", member(&S::env, &EnvSettings::arm_means), json::array({0.2, 0.5, 0.8}),
           -kBig, kBig, "Bandit: mean reward of each arm (2 to 64 arms)."),
      choice("env.reward_kind", member(&S::env, &EnvSettings::reward_kind), BanditReward::kGaussian,
             "Bandit: reward distribution of an arm."),
      num("env.reward_std", member(&S::env, &EnvSettings::reward_std), 1.0, 0.0, kBig,
          "Bandit: standard deviation of Gaussian rewards."),
      num("env.digits", member(&S::env, &EnvSettings::digits), 5, 2, 10,
          "Token task: prompts are pairs of digits below this; the answer is their sum written "
          "out."),
      num("env.max_tokens", member(&S::env, &EnvSettings::max_tokens), 3, 2, 5,
          "Token task: tokens a completion may have (EOS included); at most 4 with env.digits ≥ 5 "
          "(the task's digits² · Σ_{l<max_tokens} 10^l observations, at most 200000, each a "
          "state of the exact model)."),
      list("env.bumps", member(&S::env, &EnvSettings::bumps),
           json::array({-1.5, 0.6, 0.5, 1.5, 1.0, 0.4}), -1000, 1000,
           "Continuous bandit: reward curve as center,height,width triples of Gaussian bumps (1 to "
           "16; actions clipped to [-4, 4])."),

      choice("policy.kind", member(&S::policy, &PolicySettings::kind), PolicyKind::kTabular,
             "Tabular softmax over observations, an MLP softmax over features, or a Gaussian over "
             "continuous actions (mean from an MLP on the features; policy.hidden [] is linear)."),
      list("policy.hidden", member(&S::policy, &PolicySettings::hidden), json::array({64, 64}), 1,
           1024, "MLP hidden layer sizes (0 to 8 layers)."),
      choice("policy.activation", member(&S::policy, &PolicySettings::activation),
             Activation::kTanh, "MLP hidden activation."),
      choice("policy.precision", member(&S::policy, &PolicySettings::precision),
             Precision::kFloat64,
             "Arithmetic of the networks (policy and MLP critic): float64 (dumps checked to 1e-9) "
             "or float32 (speed; parameters, optimizer and statistics stay double)."),
      list("policy.init_logits", member(&S::policy, &PolicySettings::init_logits), json::array(),
           -50, 50,
           "Tabular: initial logits of every observation, one per action; empty: all zero."),
      choice("policy.log_std", member(&S::policy, &PolicySettings::log_std), "state-independent",
             {"state-independent", "state-dependent"},
             "Gaussian: log σ as learned parameters, or as more outputs of the mean network."),
      num("policy.init_log_std", member(&S::policy, &PolicySettings::init_log_std), 0.0, -10.0, 5.0,
          "Gaussian: initial log σ."),
      flag("policy.squash", member(&S::policy, &PolicySettings::squash), false,
           "Gaussian: squash the sample with tanh into the action bounds (log π gets the log-det "
           "term); off: the environment clips."),

      choice("algorithm.name", member(&S::algorithm, &AlgorithmSettings::name),
             AlgorithmKind::kReinforce, "Policy-gradient algorithm."),
      num("algorithm.num_envs", member(&S::algorithm, &AlgorithmSettings::num_envs), 1, 1, 64,
          "Environments stepped side by side when collecting fixed-length segments."),
      num("algorithm.num_steps", member(&S::algorithm, &AlgorithmSettings::num_steps), 0, 0, 100000,
          "Steps per environment per iteration (fixed-length segments, bootstrapped); 0: whole "
          "episodes "
          "(algorithm.batch_episodes of them)."),
      flag("algorithm.online", member(&S::algorithm, &AlgorithmSettings::online), false,
           "A2C: update after every num_steps steps of one environment (online mode)."),
      flag("algorithm.anneal_lr", member(&S::algorithm, &AlgorithmSettings::anneal_lr), false,
           "Decay the step size linearly to 0 over algorithm.iterations."),
      num("algorithm.max_grad_norm", member(&S::algorithm, &AlgorithmSettings::max_grad_norm), 0.0,
          0.0, 1e6, "Clip the update direction's norm to this; 0: no clipping."),
      num("algorithm.value_coef", member(&S::algorithm, &AlgorithmSettings::value_coef), 0.5, 0.0,
          1000.0, "Weight c₁ of the critic's squared error."),
      num("algorithm.batch_episodes", member(&S::algorithm, &AlgorithmSettings::batch_episodes), 16,
          1, 100000, "Episodes per batch N (one gradient estimate)."),
      num("algorithm.iterations", member(&S::algorithm, &AlgorithmSettings::iterations), 200, 1,
          10000000, "Iterations a training run makes."),
      choice("algorithm.optimizer", member(&S::algorithm, &AlgorithmSettings::optimizer),
             OptimizerKind::kAdam, "Optimizer applied to the ascent direction."),
      num("algorithm.lr", member(&S::algorithm, &AlgorithmSettings::lr), 0.05, 0.0, 1000.0,
          "Step size.", true),
      num("algorithm.entropy_coef", member(&S::algorithm, &AlgorithmSettings::entropy_coef), 0.0,
          0.0, 1000.0, "Weight of the mean policy entropy added to the objective."),

      choice(
          "estimator.returns", member(&S::estimator, &EstimatorConfig::returns),
          Returns::kRewardToGo,
          "Weight each step by the whole return (total) or only by what follows it (causality)."),
      choice("estimator.baseline", member(&S::estimator, &EstimatorConfig::baseline),
             Baseline::kNone, "What is subtracted from the return; see DESIGN.md §3."),
      flag("estimator.normalize", member(&S::estimator, &EstimatorConfig::normalize), false,
           "Standardise ψ over the batch: (ψ − mean) / (std + 1e-8)."),
      flag("estimator.discount_weighting",
           member(&S::estimator, &EstimatorConfig::discount_weighting), false,
           "Reward-to-go: multiply ψₜ by γ^t (the unbiased discounted form); no effect on total "
           "returns."),

      choice("advantage.estimator", member(&S::advantage, &AdvantageSettings::estimator),
             AdvantageKind::kGAE,
             "Actor-critic advantage Â: Monte Carlo, TD(0), n-step or GAE(λ)."),
      num("advantage.n", member(&S::advantage, &AdvantageSettings::n), 5, 1, 100000,
          "n of the n-step advantage."),
      num("advantage.lambda", member(&S::advantage, &AdvantageSettings::lambda), 0.95, 0.0, 1.0,
          "λ of GAE(λ)."),
      flag("advantage.normalize", member(&S::advantage, &AdvantageSettings::normalize), true,
           "Standardise the advantages of a batch (or minibatch, in PPO)."),

      num("ppo.clip_eps", member(&S::ppo, &PpoSettings::clip_eps), 0.2, 0.0, 10.0,
          "PPO clip range ε: the ratio is clipped to [1−ε, 1+ε].", true),
      num("ppo.epochs", member(&S::ppo, &PpoSettings::epochs), 4, 1, 1000,
          "PPO: passes over each batch."),
      num("ppo.minibatches", member(&S::ppo, &PpoSettings::minibatches), 4, 1, 4096,
          "PPO: minibatches per epoch."),
      choice("ppo.objective", member(&S::ppo, &PpoSettings::objective), PpoObjectiveKind::kClip,
             "PPO surrogate: clipped ratio, or KL penalty β·KL."),
      num("ppo.kl_beta", member(&S::ppo, &PpoSettings::kl_beta), 1.0, 0.0, 1e6,
          "PPO KL penalty: (initial) β."),
      num("ppo.kl_target", member(&S::ppo, &PpoSettings::kl_target), 0.01, 0.0, 10.0,
          "PPO KL penalty: target KL for the adaptive β (×2 above 1.5·target, ÷2 below "
          "target/1.5)."),
      flag("ppo.adaptive_beta", member(&S::ppo, &PpoSettings::adaptive_beta), true,
           "PPO KL penalty: adapt β toward kl_target after each update."),
      flag("ppo.clip_value", member(&S::ppo, &PpoSettings::clip_value), false,
           "PPO: clip the value loss like the policy ratio."),

      num("trpo.max_kl", member(&S::trpo, &TrpoSettings::max_kl), 0.01, 0.0, 10.0,
          "Natural gradient / TRPO: KL budget δ of a step.", true),
      num("trpo.cg_iters", member(&S::trpo, &TrpoSettings::cg_iters), 10, 1, 1000,
          "Conjugate-gradient iterations for F⁻¹g."),
      num("trpo.damping", member(&S::trpo, &TrpoSettings::damping), 0.01, 0.0, 10.0,
          "Damping added to the Fisher matrix (F + λI)."),
      num("trpo.backtracks", member(&S::trpo, &TrpoSettings::backtracks), 10, 0, 100,
          "TRPO line search: halvings tried until the surrogate improves within the KL budget."),
      flag("trpo.exact_fisher", member(&S::trpo, &TrpoSettings::exact_fisher), false,
           "Tabular worlds: use the exact Fisher matrix instead of the sampled one."),

      choice("offpolicy.behaviour", member(&S::offpolicy, &OffPolicySettings::behaviour),
             BehaviourKind::kPrevious,
             "Behaviour policy: the policy of offpolicy.lag iterations ago, or fixed logits."),
      num("offpolicy.lag", member(&S::offpolicy, &OffPolicySettings::lag), 1, 1, 1000,
          "Age of the behaviour policy in iterations."),
      list("offpolicy.behaviour_logits",
           member(&S::offpolicy, &OffPolicySettings::behaviour_logits), json::array(), -50, 50,
           "Fixed behaviour policy: logits of every observation, one per action (tabular)."),
      choice("offpolicy.weighting", member(&S::offpolicy, &OffPolicySettings::weighting),
             IsWeighting::kPerDecision,
             "Importance weights: whole-trajectory product, product up to t, or the single step's "
             "ratio."),
      num("offpolicy.truncate", member(&S::offpolicy, &OffPolicySettings::truncate), 0.0, 0.0, 1e6,
          "Truncate importance weights at c̄; 0: none."),

      num("grpo.group_size", member(&S::grpo, &GrpoSettings::group_size), 8, 2, 1024,
          "GRPO: completions G per prompt."),
      num("grpo.prompts", member(&S::grpo, &GrpoSettings::prompts), 4, 1, 1024,
          "GRPO: prompts per batch."),
      flag("grpo.std_normalize", member(&S::grpo, &GrpoSettings::std_normalize), true,
           "GRPO: divide the group advantage by the group's std (+ε)."),
      flag("grpo.leave_one_out", member(&S::grpo, &GrpoSettings::leave_one_out), false,
           "GRPO: baseline is the mean of the other G−1 rewards."),
      num("grpo.kl_coef", member(&S::grpo, &GrpoSettings::kl_coef), 0.04, 0.0, 1000.0,
          "GRPO: weight β of the k3 KL to the reference."),
      num("grpo.clip_eps", member(&S::grpo, &GrpoSettings::clip_eps), 0.2, 0.0, 10.0,
          "GRPO: clip range ε of the ratio.", true),
      num("grpo.epochs", member(&S::grpo, &GrpoSettings::epochs), 1, 1, 1000,
          "GRPO: passes over each batch."),

      choice("sac.alpha_mode", member(&S::sac, &SacSettings::alpha_mode), SacAlphaMode::kFixed,
             "SAC: entropy temperature α fixed, or tuned toward sac.target_entropy."),
      num("sac.alpha", member(&S::sac, &SacSettings::alpha), 0.05, 0.0, 1000.0,
          "SAC: entropy temperature α (the starting value when tuned)."),
      num("sac.target_entropy", member(&S::sac, &SacSettings::target_entropy), 0.5, -100.0, 100.0,
          "SAC, tuned α: target mean policy entropy in nats (discrete: in [0, log of the number of "
          "actions); continuous: usually −action dimension)."),
      num("sac.alpha_lr", member(&S::sac, &SacSettings::alpha_lr), 0.01, 0.0, 1000.0,
          "SAC, tuned α: step size of log α per gradient step."),
      num("sac.buffer_size", member(&S::sac, &SacSettings::buffer_size), 100000, 1, 10000000,
          "SAC: replay buffer capacity in transitions (a ring: the oldest are overwritten)."),
      num("sac.batch_size", member(&S::sac, &SacSettings::batch_size), 64, 1, 65536,
          "SAC: transitions sampled from the buffer per gradient step."),
      num("sac.gradient_steps", member(&S::sac, &SacSettings::gradient_steps), 16, 1, 100000,
          "SAC: critic and actor gradient steps per iteration."),
      num("sac.warmup", member(&S::sac, &SacSettings::warmup), 256, 0, 10000000,
          "SAC: transitions in the buffer before the first gradient step."),
      flag(
          "sac.target_network", member(&S::sac, &SacSettings::target_network), true,
          "SAC: bootstrap from a Polyak-averaged copy of the critic instead of the critic itself."),
      num("sac.tau", member(&S::sac, &SacSettings::tau), 0.01, 0.0, 1.0,
          "SAC: Polyak step τ of the target network per gradient step (1: hard copy)."),
      flag("sac.twin", member(&S::sac, &SacSettings::twin), true,
           "SAC: two critics; targets and the actor use the smaller of their two Q values."),

      choice("critic.kind", member(&S::critic, &CriticSettings::kind), CriticKind::kTabular,
             "Learned value function for the critic baseline."),
      num("critic.lr", member(&S::critic, &CriticSettings::lr), 0.5, 0.0, 1000.0,
          "Critic step size (tabular: fraction of the way to the batch mean; mlp: Adam).", true),
      num("critic.epochs", member(&S::critic, &CriticSettings::epochs), 20, 1, 100000,
          "MLP critic: full-batch Adam steps per update."),
      list("critic.hidden", member(&S::critic, &CriticSettings::hidden), json::array({64, 64}), 1,
           1024, "MLP critic hidden layer sizes."),
  };
}

std::string fmt_num(double v) {
  return number_text(v);
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

namespace {

// The keys that one kind of environment, policy or algorithm reads (session.cpp's make_env and
// make_policy, algo/*.cpp), or that do something only while another setting holds; a key not
// listed applies everywhere. Every rule a key matches is checked (a section's, then the key's
// own). test_inapplicable checks each "does not apply" against runs: changing such a key never
// changes a shipped scenario's first iterations.
//
// "Applies" counts every reader, not only training: the landscape draws PPO's and the natural
// gradient's paths on any algorithm with ppo.clip_eps, ppo.epochs, trpo.max_kl and trpo.damping,
// the surrogate view uses ppo.kl_beta, `pglab advantage` and the advantages view use advantage.n
// for their n-step row, and `importance --base scenario` paints offpolicy.behaviour_logits; those
// keys apply on every algorithm.
struct KindRule {
  const char* key;                          // a key, or a section ending in '.' (every key in it)
  std::vector<EnvKind> envs;                // empty: any environment
  std::vector<PolicyKind> policies;         // empty: any policy
  std::vector<AlgorithmKind> algorithms{};  // empty: any algorithm
  // A condition on other settings: why the key does nothing in s ("applies to …"), or "".
  std::string (*unless)(const Scenario&) = nullptr;
};

// The REINFORCE family: the algorithms whose AlgorithmInfo::reinforce_settings is true.
const std::vector<AlgorithmKind>& reinforce_family() {
  using A = AlgorithmKind;
  static const std::vector<A> kinds = {A::kReinforce, A::kNpg, A::kTrpo, A::kOffPolicy};
  return kinds;
}

// critic.*: A2C, PPO and SAC always learn their critic; the REINFORCE family fits V_φ for the
// critic baseline, which is a live toggle (a class starts with the mean baseline and flips to the
// critic: critic.kind and critic.hidden decide what it flips to), so critic.* applies there
// whatever the baseline; GRPO has none.
std::string critic_unused(const Scenario& s) {
  if (s.algorithm.name != AlgorithmKind::kGrpo) return "";
  return "applies when a critic can learn (algorithm.name a2c, ppo or sac, or the REINFORCE "
         "family's estimator.baseline critic), and algorithm.name is grpo";
}

std::string mlp_critic_only(const Scenario& s) {
  if (s.critic.kind == CriticKind::kMlp) return "";
  return std::string("applies to critic.kind mlp only, and critic.kind is ") +
         name_of(s.critic.kind);
}

// The network's shape and arithmetic: a Gaussian on the continuous bandit has no state features
// and so no network (its mean is a free parameter), as policy.log_std=state-dependent is refused
// there.
std::string network_policy_only(const Scenario& s) {
  if (!(s.policy.kind == PolicyKind::kGaussian && s.env.kind == EnvKind::kContinuousBandit))
    return "";
  return "applies to a policy with a network, and the continuous bandit's Gaussian has none (no "
         "state features: its mean is a free parameter)";
}

// Keys of one mode of an algorithm, read in that mode only (no view or lab reads them, and the mode
// is not a live key, so none becomes read later in the run).
std::string kl_penalty_only(const Scenario& s) {
  if (s.ppo.objective == PpoObjectiveKind::kKlPenalty) return "";
  return std::string("applies to ppo.objective kl-penalty only, and ppo.objective is ") +
         name_of(s.ppo.objective);
}

std::string adaptive_beta_only(const Scenario& s) {
  if (const std::string why = kl_penalty_only(s); !why.empty()) return why;
  if (s.ppo.adaptive_beta) return "";
  return "applies with ppo.adaptive_beta true only (β adapted toward the KL target), and it is "
         "false";
}

std::string lagged_behaviour_only(const Scenario& s) {
  if (s.offpolicy.behaviour == BehaviourKind::kPrevious) return "";
  return std::string("applies to offpolicy.behaviour previous only, and offpolicy.behaviour is ") +
         name_of(s.offpolicy.behaviour);
}

std::string tuned_alpha_only(const Scenario& s) {
  if (s.sac.alpha_mode == SacAlphaMode::kAuto) return "";
  return std::string("applies to sac.alpha_mode auto only (α tuned), and sac.alpha_mode is ") +
         name_of(s.sac.alpha_mode);
}

// PPO's critic steps with the actor, at algorithm.lr (one optimizer over both networks).
std::string critic_lr_unused(const Scenario& s) {
  if (s.algorithm.name != AlgorithmKind::kPpo) return "";
  return "is not read by ppo, whose critic takes its steps with the actor's at algorithm.lr";
}

// Whole episodes (num_steps 0) take algorithm.batch_episodes of them; the environments side by
// side exist only for fixed-length segments (Session::segments).
std::string segments_only(const Scenario& s) {
  if (s.algorithm.num_steps > 0) return "";
  return "applies to fixed-length segments only (algorithm.num_steps > 0), and "
         "algorithm.num_steps is 0 (whole episodes: set algorithm.batch_episodes)";
}

const std::vector<KindRule>& kind_rules() {
  using E = EnvKind;
  using P = PolicyKind;
  using A = AlgorithmKind;
  const std::vector<E> gridworld = {E::kGridworld};
  // γ and the step limit: the bandits and the token task fix their own (one step; max_tokens).
  const std::vector<E> episodic = {E::kGridworld, E::kCartpole, E::kShortCorridor, E::kPendulum,
                                   E::kContinuousCartpole};
  const std::vector<P> networks = {P::kMlp, P::kGaussian};
  const std::vector<A> actor_critic = {A::kA2C, A::kPpo};
  const std::vector<A> not_natural = {A::kReinforce, A::kA2C,  A::kPpo,
                                      A::kOffPolicy, A::kGrpo, A::kSac};
  static const std::vector<KindRule> rules = {
      {"env.map", gridworld, {}},
      {"env.slip", gridworld, {}},
      {"env.step_reward", gridworld, {}},
      {"env.goal_reward", gridworld, {}},
      {"env.pit_reward", gridworld, {}},
      {"env.gamma", episodic, {}},
      {"env.step_limit", episodic, {}},
      {"env.sutton_barto_reward", {E::kCartpole, E::kContinuousCartpole}, {}},
      {"env.arm_means", {E::kBandit}, {}},
      {"env.reward_kind", {E::kBandit}, {}},
      {"env.reward_std", {E::kBandit, E::kContinuousBandit}, {}},
      {"env.digits", {E::kTokenTask}, {}},
      {"env.max_tokens", {E::kTokenTask}, {}},
      {"env.bumps", {E::kContinuousBandit}, {}},
      {"policy.hidden", {}, networks, {}, network_policy_only},
      {"policy.activation", {}, networks, {}, network_policy_only},
      {"policy.precision", {}, networks, {}, network_policy_only},
      {"policy.init_logits", {}, {P::kTabular}},
      {"policy.log_std", {}, {P::kGaussian}},
      {"policy.init_log_std", {}, {P::kGaussian}},
      {"policy.squash", {}, {P::kGaussian}},
      // Segments: the algorithms that do not learn from whole episodes (needs_whole_episodes). A
      // num_steps > 0 on the others is left to the session, whose message says what to set.
      {"algorithm.num_envs", {}, {}, {A::kA2C, A::kPpo, A::kSac}, segments_only},
      {"algorithm.online", {}, {}, {A::kA2C}},
      // NPG and TRPO take the step β x their KL budget sets (trpo.max_kl): no step size, optimizer,
      // schedule or norm clip, and no entropy bonus (they refuse one); SAC's entropy weight is
      // sac.alpha; c₁ weighs the critic's loss in A2C's and PPO's joint update only.
      {"algorithm.lr", {}, {}, not_natural},
      {"algorithm.optimizer", {}, {}, not_natural},
      {"algorithm.anneal_lr", {}, {}, not_natural},
      {"algorithm.max_grad_norm", {}, {}, not_natural},
      {"algorithm.entropy_coef",
       {},
       {},
       {A::kReinforce, A::kA2C, A::kPpo, A::kOffPolicy, A::kGrpo}},
      {"algorithm.value_coef", {}, {}, actor_critic},
      // Read by their algorithm alone: no view or lab reads them on another one.
      {"grpo.", {}, {}, {A::kGrpo}},
      {"sac.", {}, {}, {A::kSac}},
      {"sac.target_entropy", {}, {}, {A::kSac}, tuned_alpha_only},
      {"sac.alpha_lr", {}, {}, {A::kSac}, tuned_alpha_only},
      {"estimator.", {}, {}, reinforce_family()},
      {"critic.", {}, {}, {}, critic_unused},
      {"critic.lr", {}, {}, {}, critic_lr_unused},
      {"critic.hidden", {}, {}, {}, mlp_critic_only},
      {"critic.epochs",
       {},
       {},
       {A::kA2C, A::kPpo, A::kReinforce, A::kNpg, A::kTrpo, A::kOffPolicy},
       mlp_critic_only},  // SAC's Q takes one step
      // (advantage.estimator, lambda and n: the Advantages view starts from them on the REINFORCE
      // family with the critic baseline too.)
      {"advantage.normalize", {}, {}, actor_critic},
      {"ppo.minibatches", {}, {}, {A::kPpo}},
      {"ppo.objective", {}, {}, {A::kPpo}},
      {"ppo.kl_target", {}, {}, {A::kPpo}, adaptive_beta_only},
      {"ppo.adaptive_beta", {}, {}, {A::kPpo}, kl_penalty_only},
      {"ppo.clip_value", {}, {}, {A::kPpo}},
      {"trpo.cg_iters", {}, {}, {A::kNpg, A::kTrpo}},
      {"trpo.exact_fisher", {}, {}, {A::kNpg, A::kTrpo}},
      {"trpo.backtracks", {}, {}, {A::kTrpo}},  // NPG takes its step without a line search
      {"offpolicy.behaviour", {}, {}, {A::kOffPolicy}},
      {"offpolicy.lag", {}, {}, {A::kOffPolicy}, lagged_behaviour_only},
      {"offpolicy.weighting", {}, {}, {A::kOffPolicy}},
      {"offpolicy.truncate", {}, {}, {A::kOffPolicy}},
  };
  return rules;
}

// "gridworld", "mlp and gaussian", "a, b and c".
template <class K>
std::string names_of(const std::vector<K>& kinds) {
  std::string out;
  for (size_t i = 0; i < kinds.size(); ++i)
    out += std::string(i == 0 ? "" : i + 1 == kinds.size() ? " and " : ", ") + name_of(kinds[i]);
  return out;
}

}  // namespace

std::string inapplicable_reason(const Scenario& s, const std::string& key) {
  for (const KindRule& r : kind_rules()) {
    const std::string rule = r.key;
    if (rule.back() == '.' ? key.rfind(rule, 0) != 0 : key != rule) continue;
    auto has = [](const auto& kinds, auto k) {
      return kinds.empty() || std::find(kinds.begin(), kinds.end(), k) != kinds.end();
    };
    if (!has(r.envs, s.env.kind))
      return "applies to env.kind " + names_of(r.envs) + " only, and env.kind is " +
             name_of(s.env.kind);
    if (!has(r.policies, s.policy.kind))
      return "applies to policy.kind " + names_of(r.policies) + " only, and policy.kind is " +
             name_of(s.policy.kind);
    if (!has(r.algorithms, s.algorithm.name))
      return "applies to algorithm.name " + names_of(r.algorithms) +
             " only, and algorithm.name is " + name_of(s.algorithm.name);
    if (r.unless) {
      std::string why = r.unless(s);
      if (!why.empty()) return why;
    }
  }
  return "";
}

void refuse_inapplicable(const Scenario& s, const std::vector<std::string>& keys) {
  for (const std::string& key : keys) {
    const std::string why = inapplicable_reason(s, key);
    if (!why.empty()) throw InputError(key, "would have no effect: it " + why);
  }
}

const char* type_name(ParamType t) {
  switch (t) {
    case ParamType::kInt:
      return "integer";
    case ParamType::kDouble:
      return "number";
    case ParamType::kBool:
      return "true or false";
    case ParamType::kString:
      return "string";
    case ParamType::kEnum:
      return "one of";
    case ParamType::kIntList:
      return "list of integers";
    case ParamType::kDoubleList:
      return "list of numbers";
    case ParamType::kStringList:
      return "list of strings";
  }
  return "?";
}

std::string describe_allowed(const ParamSpec& s) {
  std::string range = range_text(s.min, s.max, s.min_exclusive);
  std::string names;
  for (size_t i = 0; i < s.allowed.size(); ++i) names += (i ? ", " : "") + s.allowed[i];
  switch (s.type) {
    case ParamType::kInt:
      return "an integer in " + range;
    case ParamType::kDouble:
      return "a finite number in " + range;
    case ParamType::kBool:
      return "true or false";
    case ParamType::kString:
      return "a string of at most " + fmt_num(s.max) + " characters";
    case ParamType::kEnum:
      return "one of: " + names;
    case ParamType::kIntList:
      return "a list of integers in " + range;
    case ParamType::kDoubleList:
      return "a list of finite numbers in " + range;
    case ParamType::kStringList:
      return names.empty() ? "a list of strings" : "a list of: " + names;
  }
  return "";
}

namespace {

std::string check_number(const ParamSpec& s, const json& v, bool integer) {
  if (!v.is_number()) return expected_got(describe_allowed(s), v);
  if (integer && !v.is_number_integer()) {
    const double d = v.get<double>();
    if (!std::isfinite(d) || d != std::floor(d)) return expected_got(describe_allowed(s), v);
  }
  const double d = v.get<double>();
  if (!std::isfinite(d)) return "value is not finite; expected " + describe_allowed(s);
  const bool low = s.min_exclusive ? !(d > s.min) : !(d >= s.min);
  if (low || !(d <= s.max))
    return "value " + brief_json(v) + " is out of range; expected " + describe_allowed(s);
  return "";
}

}  // namespace

std::string check_value(const ParamSpec& s, const json& v) {
  switch (s.type) {
    case ParamType::kInt:
      return check_number(s, v, true);
    case ParamType::kDouble:
      return check_number(s, v, false);
    case ParamType::kBool:
      return v.is_boolean() ? "" : expected_got("true or false", v);
    case ParamType::kString: {
      if (!v.is_string()) return expected_got(describe_allowed(s), v);
      const std::string& text = v.get_ref<const std::string&>();
      size_t bad = 0;
      if (!is_valid_utf8(text, &bad))
        return "value " + quote(text) + " is not UTF-8 text (byte " + std::to_string(bad + 1) +
               "); expected " + describe_allowed(s);
      const size_t n = utf8_length(text);
      if (static_cast<double>(n) > s.max)
        return "value " + quote(text) + " has " + std::to_string(n) + " characters; expected " +
               describe_allowed(s);
      return "";
    }
    case ParamType::kEnum: {
      if (v.is_string())
        for (const auto& a : s.allowed)
          if (a == v.get<std::string>()) return "";
      return "value " + brief_json(v) + " is not allowed; expected " + describe_allowed(s);
    }
    case ParamType::kIntList:
    case ParamType::kDoubleList: {
      if (!v.is_array()) return expected_got(describe_allowed(s), v);
      for (size_t i = 0; i < v.size(); ++i) {
        std::string err = check_number(s, v[i], s.type == ParamType::kIntList);
        if (!err.empty()) return "element " + std::to_string(i) + ": " + err;
      }
      return "";
    }
    case ParamType::kStringList: {
      if (!v.is_array()) return expected_got(describe_allowed(s), v);
      for (size_t i = 0; i < v.size(); ++i) {
        const json& e = v[i];
        if (!e.is_string())
          return "element " + std::to_string(i) + ": " + expected_got(describe_allowed(s), e);
        if (!s.allowed.empty()) {
          bool ok = false;
          for (const auto& a : s.allowed) ok |= (a == e.get<std::string>());
          if (!ok)
            return "element " + std::to_string(i) + " (" + brief_json(e) +
                   ") is not allowed; expected " + describe_allowed(s);
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
    throw InputError(where, "cannot read " + quote(text) + "; expected " + describe_allowed(s));
  };
  // Decimal only, as in a scenario file (JSON), read as every number a person types is
  // (util/number_text.h): no leading space, no hexadecimal.
  if (t == ParamType::kInt) {
    long long v = 0;
    if (!read_decimal_integer(text, &v)) return fail();
    return json(v);
  }
  if (t == ParamType::kDouble) {
    // A subnormal such as 1e-320 is a number like any other; the range check decides. Overflow
    // gives ±inf, refused below.
    double v = 0.0;
    if (!read_decimal(text, &v)) return fail();
    if (!std::isfinite(v))
      throw InputError(where,
                       "value " + quote(text) + " is not finite; expected " + describe_allowed(s));
    return json(v);
  }
  if (t == ParamType::kBool) {
    // true and false only, as a scenario file (JSON) takes them: 1 and on were accepted here and
    // refused in a file.
    if (text == "true") return json(true);
    if (text == "false") return json(false);
    return fail();
  }
  return json(text);
}

}  // namespace

json parse_value_text(const ParamSpec& s, const std::string& text) {
  switch (s.type) {
    case ParamType::kIntList:
    case ParamType::kDoubleList:
    case ParamType::kStringList: {
      // "[1, 2]", "1,2" or "[]" (the empty list, which a file writes as []: it was read as one
      // empty element, "cannot read ''"); the checks of the list's length are the key's own.
      // One pair of brackets around the whole, spaces around the items; a bracket or a space
      // anywhere else is refused (every one was dropped: "1 0" read as [10], "[[64]]" and "[64"
      // as [64], "over view" as overview).
      auto trimmed = [](std::string_view v) {
        const size_t a = v.find_first_not_of(' ');
        return a == std::string_view::npos ? std::string_view()
                                           : v.substr(a, v.find_last_not_of(' ') - a + 1);
      };
      std::string_view whole = trimmed(text);
      const bool opens = !whole.empty() && whole.front() == '[';
      const bool closes = !whole.empty() && whole.back() == ']';
      if (opens != closes || (opens && whole.size() < 2))
        throw InputError(
            s.key, "unbalanced brackets in " + quote(text) + "; expected " + describe_allowed(s));
      if (opens) whole = trimmed(whole.substr(1, whole.size() - 2));
      if (whole.find_first_of("[]") != std::string_view::npos)
        throw InputError(
            s.key, "a bracket inside the list (one pair around the whole, no nested lists): " +
                       quote(text) + "; expected " + describe_allowed(s));
      const std::string bare(whole);
      json arr = json::array();
      if (bare.empty()) return arr;
      const ParamType et = s.type == ParamType::kIntList      ? ParamType::kInt
                           : s.type == ParamType::kDoubleList ? ParamType::kDouble
                                                              : ParamType::kString;
      const std::vector<std::string_view> parts = split_list(bare);
      for (size_t i = 0; i < parts.size(); ++i) {
        std::string p(trimmed(parts[i]));
        if (p.empty())
          throw InputError(s.key,
                           empty_item(i, parts.size()) + "; expected " + describe_allowed(s));
        // ["foo"] as in a file: the quotes are not part of the name (it showed ""foo"").
        if (et == ParamType::kString && p.size() >= 2 && p.front() == '"' && p.back() == '"')
          p = p.substr(1, p.size() - 2);
        arr.push_back(parse_scalar(s, et, p));
      }
      return arr;
    }
    default:
      return parse_scalar(s, s.type, text);
  }
}

std::string params_markdown() {
  std::ostringstream os;
  os << "| key | type | default | allowed | description |\n|---|---|---|---|---|\n";
  for (const auto& p : scenario_params()) {
    std::string allowed = describe_allowed(p);
    os << "| `" << p.key << "` | " << type_name(p.type) << " | `" << safe_dump(p.default_value)
       << "` | " << allowed << " | " << p.help << " |\n";
  }
  return os.str();
}

}  // namespace pg
