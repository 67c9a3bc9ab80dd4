#pragma once
// What an algorithm tells the views (DESIGN.md §3a, contract). Views never ask "which algorithm
// is this?": they read an AlgorithmInfo and a StepDecomposition.
//
//   AlgorithmInfo info = session.algorithm().info(session.scenario());
//   info.reinforce_settings          // returns / baseline / normalize / discount weighting apply
//   info.supports(Analysis::kClipping)
//   info.objective                   // the formula the screen shows, as the code computes it
//
//   StepDecomposition d;
//   session.algorithm().decompose({batch, estimate, behaviour, current, gamma}, d);
//   d.weight(i, t)                   // w_it = est.psi_at(i, t)
//   d.value(i, t, k)                 // named piece k of step (i, t) (d.pieces[k].symbol)
//   (1/d.divisor) Σ_it w_it ∇θ log π(a_it|s_it) = ĝ   (to rounding; tested per algorithm)

#include <string>
#include <string_view>
#include <vector>

namespace pg {

struct Batch;
struct Estimate;
class Policy;

// Analyses a view can run for an algorithm (bits of AlgorithmInfo::analyses).
enum class Analysis : unsigned {
  kEstimatorVariance = 1u << 0,    // REINFORCE estimator settings on common trajectories
  kBaselineEffect = 1u << 1,       // REINFORCE baselines compared
  kAdvantageEstimators = 1u << 2,  // MC / TD(0) / n-step / GAE(λ) compared (actor-critic)
  kCriticEffect = 1u << 3,         // critic vs no critic (actor-critic)
  kClipping = 1u << 4,             // PPO's ratio clipping
  kImportance = 1u << 5,           // importance weights, ESS
  kGroups = 1u << 6,               // GRPO's groups
  kNaturalGradient = 1u << 7,      // Fisher, F⁻¹ĝ, KL step, line search
  kReplay = 1u << 8,               // off-policy actor-critic: replay buffer and Q critic (SAC)
};

// One run of a formula, tagged with what it stands for so the screen can colour it.
struct FormulaPart {
  enum class Role { kPlain, kReturn, kBaseline, kWeight, kNewLine, kNote };
  Role role = Role::kPlain;
  std::string text;
};
using Formula = std::vector<FormulaPart>;

// How an autodiff implementation of the algorithm writes the policy loss whose gradient at θ_old
// is −ĝ (the number its training log prints; issue 10's "loss ≠ progress" meter), with w_it and D
// the decomposition's weights and divisor:
//   kLogProb  L(θ) = −(1/D) Σ_it w_it log π_θ(a_it|s_it)        (REINFORCE, A2C, off-policy, NPG)
//   kRatio    L(θ) = −(1/D) Σ_it w_it π_θ(a_it|s_it)/π_old(…)  (PPO, GRPO, TRPO's surrogate);
//             at θ_old every ratio is 1, so L = −(1/D) Σ_it w_it.
enum class LossForm { kLogProb, kRatio };

struct AlgorithmInfo {
  std::string title;                        // "REINFORCE", "PPO (clip)", …
  bool reinforce_settings = false;          // the estimator.* settings of DESIGN.md §3 apply
  unsigned analyses = 0;                    // Analysis bits
  Formula objective;                        // ascent direction / objective as the code computes it
  LossForm loss_form = LossForm::kLogProb;  // the pseudo-loss a training log prints
  // Env steps collected (in all, History's IterationRecord::steps) before an update first changes
  // θ: SAC waits for sac.warmup transitions in its buffer (never, when the buffer holds fewer).
  // Until then each batch's ĝ is still estimated, and the views show it, but nothing is applied.
  // 0: every update applies its step.
  long warmup_steps = 0;
  bool supports(Analysis a) const { return (analyses & static_cast<unsigned>(a)) != 0; }
  // Whether the update after a batch that brought the run to `steps` env steps changed θ.
  bool update_applies(long steps) const { return steps >= warmup_steps; }
};

// A named piece of a step's weight.
struct PieceInfo {
  std::string symbol;   // "Q̂ₜ", "b", "γᵗ", "V(sₜ)", "δₜ", "Âₜ", "r", "ρₜ", …
  std::string meaning;  // one line for a tooltip
};

// PPO's six min/clip cases: sign of Â × where r lies (below 1−ε, inside, above 1+ε).
enum class ClipCase : int {
  kNone = -1,
  kPosBelow = 0,   // Â > 0, r < 1−ε: unclipped term is the min, gradient flows
  kPosInside = 1,  // Â > 0, inside: gradient flows
  kPosAbove = 2,   // Â > 0, r > 1+ε: clipped, no gradient
  kNegBelow = 3,   // Â < 0, r < 1−ε: clipped, no gradient
  kNegInside = 4,  // Â < 0, inside: gradient flows
  kNegAbove = 5,   // Â < 0, r > 1+ε: unclipped term is the min, gradient flows
};

// The per-step decomposition of the ascent direction at θ_old.
struct StepDecomposition {
  std::vector<PieceInfo> pieces;        // columns in display order; the last one is the weight w
  std::vector<std::string> derivation;  // how the pieces make w, one line each ("w = γᵗ (Q̂ − b)")
  std::vector<int> offset;              // N + 1 (as Estimate::offset)
  std::vector<double> values;           // steps × pieces.size(), row-major
  std::vector<int> clip_case;           // PPO: a ClipCase per step; empty otherwise
  double divisor = 1;                   // D of ĝ = (1/D) Σ w ∇log π
  // False when no per-step scalar w reproduces ĝ (REINFORCE's optimal baseline is per parameter:
  // w then omits b*ₖ and the derivation says so).
  bool sums_to_gradient = true;
  // When !sums_to_gradient: one line saying how ĝ is made instead (the meter quotes it).
  std::string why_not_gradient;

  int num_pieces() const { return static_cast<int>(pieces.size()); }
  // The column of the piece with this symbol; −1 when there is none.
  int find(std::string_view symbol) const {
    for (int k = 0; k < num_pieces(); ++k)
      if (pieces[static_cast<size_t>(k)].symbol == symbol) return k;
    return -1;
  }
  int num_steps() const { return offset.empty() ? 0 : offset.back(); }
  double value(int i, int t, int k) const {
    return values[static_cast<size_t>(offset[i] + t) * pieces.size() + k];
  }
  double weight(int i, int t) const { return value(i, t, num_pieces() - 1); }
};

// What decompose() reads.
struct DecomposeInput {
  const Batch& batch;
  const Estimate& estimate;
  const Policy& behaviour;  // θ_old: sampled the batch, produced the estimate
  const Policy& current;    // θ after the update (PPO's ratio), == behaviour before it
  double gamma = 1;
};

}  // namespace pg
