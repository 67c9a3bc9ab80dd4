#pragma once
// The enumerated scenario keys (issue 7: enums at the scenario boundary). Each is parsed once, from
// its name, when a scenario is read (io/params.cpp); the code compares values, never names. One
// table per enumeration (util/enum_table.h) gives the names the parser allows and its messages
// list, the dump and the session file write, and the README's key table shows.

#include "util/enum_table.h"

namespace pg {

// env.kind
enum class EnvKind { kGridworld, kCartpole, kShortCorridor, kBandit, kTokenTask };
template <>
struct EnumTable<EnvKind> {
  static constexpr EnumRow<EnvKind> rows[] = {
      {EnvKind::kGridworld, "gridworld", "Gridworld", "a map of cells with goals and pits"},
      {EnvKind::kCartpole, "cartpole", "CartPole", "balance a pole on a cart (continuous state)"},
      {EnvKind::kShortCorridor, "short-corridor", "Short corridor",
       "Sutton & Barto's corridor whose states look alike (example 13.1)"},
      {EnvKind::kBandit, "bandit", "Bandit", "one step: pull one of several arms"},
      {EnvKind::kTokenTask, "token-task", "Token task",
       "write the sum of two digits token by token (GRPO)"},
  };
};

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
