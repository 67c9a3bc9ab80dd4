#pragma once
// "Loss ≠ progress" (issue 10, item 4): what a training log prints beside what matters, read from
// one iteration's batch and estimate at θ_old (the θ that sampled the batch), and badges that fire
// on the known dead signals. Everything comes from what the algorithm tells the views
// (algo/describe.h: the per-step decomposition w_it, its divisor D, AlgorithmInfo::loss_form;
// algo/records.h: GRPO's groups) — no algorithm is asked for its type.
//
//   pseudo-loss  L = −(1/D) Σ_it w_it ℓ_it, ℓ = log π(a|s) (LossForm::kLogProb) or the ratio,
//                which is 1 at θ_old (kRatio). Its gradient is −ĝ where the decomposition sums to
//                ĝ (else loss_gradient_is_ghat = false); its value says nothing about J.
//   loss_scale   (1/D) Σ_it |w_it ℓ_it|: the size L would have if none of its terms cancelled.
//   ĝ, pieces    g_i = (1/D) Σ_t w_it ∇θ log π(a_it|s_it) per trajectory (piece) i; ĝ = Σ_i g_i.
//   grad_scale   Σ_i ‖g_i‖ ≥ ‖ĝ‖ (triangle inequality): ‖ĝ‖ far below it means the pieces cancel.
//   trace_cov    tr Cov(ĝ) estimated from the N pieces as if they were i.i.d. draws of N g_i:
//                (N Σ_i ‖g_i‖² − ‖ĝ‖²) / (N − 1). NaN for N < 2. (Whole episodes without batch
//                statistics in w are i.i.d.; with normalisation, leave-one-out or segments it is an
//                approximation.) Over K batches its mean is the variance lab's trace (tests).
//   snr          ‖E ĝ‖ / √tr Cov(ĝ), the variance lab's ratio read off one batch: E‖ĝ‖² = ‖E ĝ‖² +
//                tr Cov(ĝ), so √max(0, ‖ĝ‖² − trace_cov) / √trace_cov. (‖ĝ‖/√trace_cov, what it
//                was, is about 1 for pure noise and read as "one batch points the right way".)
//   explained_variance  1 − Var(y − V)/Var(y) over the batch's steps, V the critic the estimate
//                used and y its target (actor-critic: Â + V, the λ-return; REINFORCE with the
//                critic baseline: the reward-to-go G_t); SAC: Q₁(s_b,a_b) against its target y_b
//                on the last gradient step's minibatch of this iteration's update (ReplayRecord),
//                none before the first update; NaN without a critic or when Var(y) = 0.
//
//   MeterReading r = read_meter(session);        // needs a complete, estimated batch
//   for (const Badge& b : dead_signals(r)) …     // b.kind's row: title, argument, view to open

#include <atomic>
#include <cmath>
#include <limits>
#include <numbers>
#include <string>
#include <vector>

#include "algo/describe.h"
#include "util/enum_table.h"

namespace pg {

class Session;
class Timeline;

struct MeterReading {
  static constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  int iteration = -1;  // whose batch (θ_old sampled it); -1: no complete, estimated batch
  LossForm loss_form = LossForm::kLogProb;
  double loss = kNaN, loss_scale = kNaN;
  // Whether ∇L = −ĝ: false where no per-step w reproduces ĝ (StepDecomposition::sums_to_gradient;
  // SAC, REINFORCE's optimal baseline; L then uses the decomposition's w all the same).
  // gradient_note: then why (StepDecomposition::why_not_gradient).
  bool loss_gradient_is_ghat = true;
  std::string gradient_note;
  double exact_J = kNaN;  // J(θ_old), finite worlds
  // J* of the world (exact/optimal.h), finite worlds where a policy sees each state; NaN where
  // states share an observation (the short corridor): J* there needs the state, which no policy of
  // the observation reaches (the corridor's is −3; the best such policy's −11.66).
  double optimal_J = kNaN;
  double return_mean = kNaN;  // mean undiscounted return of the episodes that ended (the estimate)
  double grad_norm = 0, grad_scale = 0, trace_cov = kNaN, snr = kNaN;
  double cosine_exact = kNaN;  // cos(ĝ, ∇J(θ_old)), finite worlds
  bool has_critic =
      false;  // a learned V weighed the estimate (A2C, PPO, critic baseline), or SAC's Q
  double explained_variance = kNaN;  // NaN also with a critic when Var(y) = 0 (no reward yet)
  double entropy = kNaN;             // mean H(π(·|s_t)) over the batch's steps at θ_old (nats)
  double entropy_max = kNaN;         // log |A| (discrete actions; NaN for a density)
  // Gaussian policies (a density's entropy has no maximum, so no H/log|A|): σ = exp(H/d − ½ log
  // 2πe), the σ of a Gaussian with the batch's mean entropy H over d action dimensions (the
  // geometric mean of the σᵢ), and the scale u acts on: the action's half-range (hi − lo)/2
  // (geometric mean over dimensions), or 1 when u is tanh-squashed (tanh's own unit).
  double sigma = kNaN, sigma_scale = kNaN;
  int action_dim = 0;          // d (0: discrete actions)
  int pieces = 0;              // N trajectories (or segment pieces)
  bool normalizes = false;     // the estimate standardises its weights (estimator/advantage
                               // normalize)
  bool returns_equal = false;  // every piece's reward sum is the same (to 1e-9 relative)
  double weight_std = 0;       // population std of w_it over the batch's steps
  int groups = 0, zero_spread_groups = 0;  // GRPO's groups of this batch (records.h)
};

// The reading of the session's current batch (at an iteration boundary: the last complete one).
// iteration = -1 when there is none yet or it has no estimate.
MeterReading read_meter(const Session& s);

// The readings of iterations [from, to) of `live`'s run (0 ≤ from ≤ to ≤ live.iteration()), as an
// observer of the live run read them at each boundary: replayed with `timeline` (session/
// timeline.h) from the boundary of `from`. For a session that reached its iteration by another
// path than the reader's run (a session file, a lesson's step, the window's runner started on a
// copy): the meter's first iterations. Polls `cancel` as the session does (throws Cancelled).
std::vector<MeterReading> replay_meter(const Timeline& timeline, const Session& live, int from,
                                       int to, const std::atomic<bool>* cancel = nullptr);

// ---- dead signals: one table (name, title, the argument for the threshold, the view that
// explains it, by its --view name) ------------------------------------------------------------
enum class DeadSignal {
  kLossZero,    // |L| ≤ kLossZeroRel · loss_scale while ‖ĝ‖ > kGradAliveRel · grad_scale
  kZeroSpread,  // a GRPO group whose rewards are all equal: Â ≡ 0 there, no gradient
  kNormalizedNoise,  // normalisation on, all returns equal, yet the weights have std ≥ 0.5
  kEntropyCollapse,  // H / log|A| < kEntropyCollapseFrac (a Gaussian: σ < kGaussianCollapseFrac
                     // of its scale), short of J* where J* is known
  kCriticExplainsNothing,  // explained variance ≤ 0
};
struct DeadSignalSpec {
  DeadSignal value;
  const char* name;     // "loss-zero", … (--json)
  const char* title;    // the badge's text
  const char* meaning;  // why it is dead and why the threshold is where it is (tooltip, README)
  const char* view;     // the view that explains it ("inspector", "grpo", …)
};
template <>
struct EnumTable<DeadSignal> {
  static constexpr DeadSignalSpec rows[] = {
      {DeadSignal::kLossZero, "loss-zero", "loss ≈ 0, gradient is not",
       "The pseudo-loss is a sum of terms whose weights cancel (zero-mean normalised advantages in "
       "the ratio form, GRPO's group-centred Â): its value is 0 at θ_old whatever ĝ is. Fires when "
       "|L| ≤ 1e-6 of the sum of its terms' sizes: n terms of random sign cancel to ~1/√n, to 1e-6 "
       "only with probability ~1e-6·√n, so below it the cancellation is built in",
       "inspector"},
      {DeadSignal::kZeroSpread, "zero-spread", "GRPO group with no reward spread",
       "Every answer of the group got the same reward, so Â = (R − mean)/(σ + ε) is exactly 0 for "
       "each: the group adds nothing to ĝ. Exact, so any such group fires (the fraction is shown)",
       "grpo"},
      {DeadSignal::kNormalizedNoise, "normalized-noise", "normalisation amplifies equal returns",
       "Every trajectory of the batch has the same return, so the weights carry no information "
       "about which actions did better; normalisation (ψ − mean)/(std + 1e-8) still rescales what "
       "is left — step position, critic error, rounding — to unit size. Fires when the normalised "
       "weights have std ≥ 0.5, i.e. a spread of at least 1e-8 was magnified",
       "inspector"},
      {DeadSignal::kEntropyCollapse, "entropy-collapse", "entropy collapsed",
       "H/log|A| < 0.1: the likeliest action has p ≥ 0.987 (2 actions), 0.976 (4), 0.964 (11), so "
       "the others are sampled a few times per hundred steps and ∇log π of the greedy action is "
       "scaled by 1 − p ≤ 0.024: exploration and learning both stall. Where J* is known it fires "
       "only while J is more than 5% of |J*| short of it (a converged policy may be "
       "deterministic). "
       "A Gaussian has no log|A| (a density's entropy has no maximum): it fires when σ, the σ of a "
       "Gaussian with the batch's entropy exp(H/d − ½ log 2πe), is under 1% of the action's "
       "half-range (of tanh's unit for squashed u): 95% of the samples then lie within ±2% of the "
       "range around μ, so the batch compares actions the rewards barely tell apart, while ∇μ log "
       "π "
       "= (u − μ)/σ² grows as 1/σ. SAC's target entropy −dim A is σ ≈ 0.09, far above it",
       "overview"},
      {DeadSignal::kCriticExplainsNothing, "critic-blind", "critic explains nothing",
       "Explained variance EV = 1 − Var(y − V)/Var(y) ≤ 0: the residual y − V that the estimator "
       "weights by varies as much as y itself, so the critic as a baseline removes no variance "
       "(Var(y − V) = (1 − EV) Var(y)). The threshold is this identity's, not a tuned number",
       "advantage"},
  };
};
inline const DeadSignalSpec& dead_signal_spec(DeadSignal d) {
  return enum_row(d);
}

inline constexpr double kLossZeroRel = 1e-6;
inline constexpr double kGradAliveRel = 1e-6;  // ‖ĝ‖ > 1e-6 Σ‖g_i‖: the pieces do not all cancel
inline constexpr double kNormalizedNoiseStd = 0.5;
inline constexpr double kEntropyCollapseFrac = 0.1;
inline constexpr double kEntropyCollapseGap = 0.05;    // of |J*|
inline constexpr double kGaussianCollapseFrac = 0.01;  // σ / its scale (meaning above)
// The entropy (nats) at which a Gaussian's badge fires: d (½ log 2πe + log(0.01 · scale)).
inline double gaussian_collapse_entropy(const MeterReading& r) {
  return r.action_dim * (0.5 * std::log(2.0 * std::numbers::pi * std::numbers::e) +
                         std::log(kGaussianCollapseFrac * r.sigma_scale));
}

struct Badge {
  DeadSignal kind;
  std::string detail;  // the measured numbers against the threshold, one line
};
// Whether a signal can fire for the run a reading comes from: zero-spread needs GRPO's groups,
// critic-blind a critic; the others apply to every run.
inline bool dead_signal_applies(DeadSignal d, const MeterReading& r) {
  if (d == DeadSignal::kZeroSpread) return r.groups > 0;
  if (d == DeadSignal::kCriticExplainsNothing) return r.has_critic;
  return true;
}
// The badges a reading fires, in table order.
std::vector<Badge> dead_signals(const MeterReading& r);

}  // namespace pg
