#pragma once
// The enumerated scenario keys (issue 7: enums at the scenario boundary). Each is parsed once, from
// its name, when a scenario is read (io/params.cpp); the code compares values, never names. One
// table per enumeration (util/enum_table.h) gives the names the parser allows and its messages
// list, the dump and the session file write, and the README's key table shows.

#include "util/enum_table.h"

namespace pg {

// env.kind
enum class EnvKind {
  kGridworld,
  kCartpole,
  kShortCorridor,
  kBandit,
  kTokenTask,
  kPendulum,
  kContinuousBandit,
  kContinuousCartpole
};
struct EnvKindSpec {
  EnvKind value;
  const char* name;
  const char* title;
  const char* meaning;
  bool finite;  // a finite model (Env::model()): the exact oracle, exact-value, the exact Fisher
};
template <>
struct EnumTable<EnvKind> {
  static constexpr EnvKindSpec rows[] = {
      {EnvKind::kGridworld, "gridworld", "Gridworld", "a map of cells with goals and pits", true},
      {EnvKind::kCartpole, "cartpole", "CartPole", "balance a pole on a cart (continuous state)",
       false},
      {EnvKind::kShortCorridor, "short-corridor", "Short corridor",
       "Sutton & Barto's corridor whose states look alike (example 13.1)", true},
      {EnvKind::kBandit, "bandit", "Bandit", "one step: pull one of several arms", true},
      {EnvKind::kTokenTask, "token-task", "Token task",
       "write the sum of two digits token by token (GRPO)", true},
      {EnvKind::kPendulum, "pendulum", "Pendulum-v1",
       "swing a pendulum up with a torque in [-2, 2] (continuous actions)", false},
      {EnvKind::kContinuousBandit, "continuous-bandit", "Continuous bandit",
       "one step: pick a number, earn a curve of Gaussian bumps (continuous actions)", false},
      {EnvKind::kContinuousCartpole, "continuous-cartpole", "Continuous CartPole",
       "CartPole-v1 pushed with a force in [-10, 10] (continuous actions)", false},
  };
};
// "gridworld, short-corridor, …": the kinds with a finite model, for messages.
inline std::string finite_env_names() {
  std::string out;
  for (const EnvKindSpec& r : EnumTable<EnvKind>::rows)
    if (r.finite) out += (out.empty() ? "" : ", ") + std::string(r.name);
  return out;
}

// algorithm.name
enum class AlgorithmKind { kReinforce, kA2C, kPpo, kNpg, kTrpo, kOffPolicy, kGrpo, kSac };
template <>
struct EnumTable<AlgorithmKind> {
  static constexpr EnumRow<AlgorithmKind> rows[] = {
      {AlgorithmKind::kReinforce, "reinforce", "REINFORCE",
       "Monte Carlo policy gradient with the estimator.* settings"},
      {AlgorithmKind::kA2C, "a2c", "A2C", "advantage actor-critic"},
      {AlgorithmKind::kPpo, "ppo", "PPO", "proximal policy optimisation (clip or KL penalty)"},
      {AlgorithmKind::kNpg, "npg", "Natural policy gradient",
       "the step F⁻¹ĝ scaled to a KL budget"},
      {AlgorithmKind::kTrpo, "trpo", "TRPO",
       "the natural step with a line search on the KL budget"},
      {AlgorithmKind::kOffPolicy, "off-policy", "Off-policy PG",
       "REINFORCE on another policy's episodes, with importance weights"},
      {AlgorithmKind::kGrpo, "grpo", "GRPO", "group-relative policy optimisation"},
      {AlgorithmKind::kSac, "sac", "SAC (discrete)",
       "off-policy actor-critic: a Q critic fitted from a replay buffer, entropy-regularised"},
  };
};

// sac.alpha_mode
enum class SacAlphaMode { kFixed, kAuto };
template <>
struct EnumTable<SacAlphaMode> {
  static constexpr EnumRow<SacAlphaMode> rows[] = {
      {SacAlphaMode::kFixed, "fixed", "fixed", "α stays at sac.alpha"},
      {SacAlphaMode::kAuto, "auto", "tuned",
       "log α descends log α · (H̄ − sac.target_entropy): α grows when the policy is less random "
       "than the target"},
  };
};

// ppo.objective (PpoObjective, algo/ppo.h, is the per-minibatch objective's settings)
enum class PpoObjectiveKind { kClip, kKlPenalty };
template <>
struct EnumTable<PpoObjectiveKind> {
  static constexpr EnumRow<PpoObjectiveKind> rows[] = {
      {PpoObjectiveKind::kClip, "clip", "clip", "min(r Â, clip(r, 1−ε, 1+ε) Â)"},
      {PpoObjectiveKind::kKlPenalty, "kl-penalty", "KL penalty", "r Â − β k3"},
  };
};

// policy.kind
enum class PolicyKind { kTabular, kMlp, kGaussian };
template <>
struct EnumTable<PolicyKind> {
  static constexpr EnumRow<PolicyKind> rows[] = {
      {PolicyKind::kTabular, "tabular", "tabular softmax", "one row of logits per observation"},
      {PolicyKind::kMlp, "mlp", "MLP softmax", "a network over the observation's features"},
      {PolicyKind::kGaussian, "gaussian", "Gaussian",
       "a Gaussian over continuous actions, its mean from the features"},
  };
};

// offpolicy.behaviour
enum class BehaviourKind { kPrevious, kFixed };
template <>
struct EnumTable<BehaviourKind> {
  static constexpr EnumRow<BehaviourKind> rows[] = {
      {BehaviourKind::kPrevious, "previous", "previous policy",
       "π of offpolicy.lag iterations ago"},
      {BehaviourKind::kFixed, "fixed", "fixed logits", "softmax of offpolicy.behaviour_logits"},
  };
};

// views: what a scenario or lesson may open (the app's view table, gui/app_state.cpp, adds each
// view's draw function in this order and checks at start-up that the two agree).
enum class ViewKind {
  kOverview,
  kVariance,
  kBaseline,
  kInspector,
  kRollout,
  kClip,
  kAdvantage,
  kImportance,
  kGrpo,
  kNpg,
  kLandscape,
  kSurrogate,
  kMeter,
  kReplay
};
template <>
struct EnumTable<ViewKind> {
  static constexpr EnumRow<ViewKind> rows[] = {
      {ViewKind::kOverview, "overview", "Overview",
       "the world, the policy and the learning curves"},
      {ViewKind::kVariance, "variance", "Gradient variance",
       "estimator settings on common trajectories: bias and variance of ĝ"},
      {ViewKind::kBaseline, "baseline", "Baseline effects",
       "baselines (or a critic against none) on one batch"},
      {ViewKind::kInspector, "inspector", "Step inspector",
       "one step's pieces of the gradient and the credit ledger"},
      {ViewKind::kRollout, "rollout", "Rollout", "episodes of the batch, step by step"},
      {ViewKind::kClip, "clip", "PPO clipping",
       "ratios, the six min/clip cases, the clip fraction"},
      {ViewKind::kAdvantage, "advantage", "Advantages",
       "advantage estimators against the exact advantage, over λ"},
      {ViewKind::kImportance, "importance", "Importance sampling",
       "importance weights, ESS and the off-policy gradient"},
      {ViewKind::kGrpo, "grpo", "GRPO groups", "groups of completions, their advantages and KL"},
      {ViewKind::kNpg, "npg", "Natural gradient",
       "the Fisher matrix, F⁻¹ĝ against ĝ, the KL step and TRPO's line search"},
      {ViewKind::kLandscape, "landscape", "Landscape",
       "exact J over a slice of parameter space and the PG / NPG / PPO paths across it"},
      {ViewKind::kSurrogate, "surrogate", "Surrogate vs truth",
       "the surrogates an update maximises against the true J along the step"},
      {ViewKind::kMeter, "meter", "Loss ≠ progress",
       "the pseudo-loss against J, ‖ĝ‖, SNR, explained variance, entropy; dead-signal badges"},
      {ViewKind::kReplay, "replay", "Replay buffer",
       "how old the replayed samples are, which states the buffer covers, Q_φ against Q^π"},
  };
};

// critic.kind
enum class CriticKind { kTabular, kMlp };
template <>
struct EnumTable<CriticKind> {
  static constexpr EnumRow<CriticKind> rows[] = {
      {CriticKind::kTabular, "tabular", "tabular", "one value per observation"},
      {CriticKind::kMlp, "mlp", "MLP", "a network over the observation's features"},
  };
};

}  // namespace pg
