#pragma once
// Surrogate vs truth along a step: the objectives policy-gradient methods maximise on a batch,
// evaluated along a line θ(α) = θ_old + α d through the batch's θ_old, beside the true J there.
// Where they part is where a method that climbs its surrogate stops climbing J (Ilyas et al.,
// "A Closer Look at Deep Policy Gradients", 2020).
//
// On the session's last complete batch, with ψ_it its estimate's weights (Estimate::psi: REINFORCE
// ψ, PPO/A2C Â, …), D = Estimate::gradient_divisor() and M its steps,
// r_it(α) = π_θ(α)(a_it|s_it) / π_old(a_it|s_it):
//   L^CPI  = (1/D) Σ_it r_it ψ_it
//   L^CLIP = (1/D) Σ_it min(r_it ψ_it, clip(r_it, 1−ε, 1+ε) ψ_it)              ε = ppo.clip_eps
//   L^KL   = (1/D) Σ_it [ r_it ψ_it − β k3(log r_it) ]                          β = ppo.kl_beta
//   GRPO   the GRPO algorithm's own objective (algo/grpo.h), GRPO sessions only
// each computed by the code the updates run (ppo_policy_gradient of algo/ppo.h, times M/D so
// that ∇L(θ_old) = ĝ for every estimator; GrpoAlgorithm::objective). The optimal baseline's ĝ has
// a per-parameter b that ψ does not hold: there ∇L(θ_old) differs from ĝ. At α = 0 every r is 1:
// L^CPI = L^CLIP = L^KL = (1/D) Σ ψ and every gradient is ĝ.
// Truth J(θ(α)): exact in finite worlds; elsewhere the mean discounted return of K episodes at
// θ(α) on the same random streams for every α (common random numbers), with a 95% band
// ±1.96·sd/√K of the paired differences G_k(α) − G_k(0) around J(0) + mean difference.
//
// The curves are compared as changes from α = 0, ΔL(α) = L(α) − L(0) against ΔJ(α): both have
// slope ĝ·d and ∇J·d at 0. When ψ is on J's scale (no standardisation: estimator.normalize,
// advantage.normalize with a critic's Â, grpo.std_normalize in GRPO sessions) they part at the
// first α where |ΔL(α) − ΔJ(α)| > tolerance × |ΔJ(α)| + part_floor (+ the band's half-width at α
// when J is sampled): a test at each α on that α's numbers alone, so the verdict does not move
// with how far the grid reaches (it once took tolerance × max_α |ΔJ|, and extending the range
// moved L^CLIP's part from 0.528 to 1.057). part_floor = 1% of J's scale, max(|J(θ_old)|, sd of
// the batch's returns G_0): near α = 0 both changes are ~0 and a relative test alone would call
// rounding a parting. Standardised ψ puts L on another scale (same_scale false): they part at the
// first α where the surrogate still rises while J has fallen below its best so far (by more than
// the band's half-width) — where maximising the surrogate stops raising J — or where the surrogate
// has fallen from its peak while J rose above its value at that peak (each by more than 1% of
// its range over α, J also by the band's half-width) — where the surrogate stops seeing J's gain.

#include <Eigen/Core>
#include <atomic>
#include <limits>
#include <string>
#include <vector>

#include "lab/landscape.h"

namespace pg {

class Session;
class Policy;

struct SurrogateSpec {
  SliceAxis direction{SliceAxisKind::kUpdate, 0};  // not p
  int points = 41;  // α grid on [0, max_step], 2 … 1001 (default_surrogate_points)
  // parameter units; 0: 3 × the update's length ‖θ − θ_old‖ along every direction (else 1), the
  // app view's default reach, so `pglab surrogate --direction grad` spans what the view's second
  // plot does
  double max_step = 0.0;
  int mc_episodes = 64;  // K where J is sampled, 2 … 100000
  double tolerance = 0.1;
};

// The α grid the view and `pglab surrogate` take unless told: 41 points where J is exact, 21 where
// each point samples J (mc_episodes episodes per α). One number for both, so the α where a
// surrogate parts from J is the same on screen and on the terminal.
inline int default_surrogate_points(bool exact_J) {
  return exact_J ? 41 : 21;
}

struct SurrogateCurve {
  std::string name;       // "L^CPI", "L^CLIP", "L^KL", "GRPO"
  std::vector<double> L;  // at each α
  double part_alpha = std::numeric_limits<double>::quiet_NaN();  // NaN: they never part
  // Carries a KL penalty (L^KL; GRPO's −β k3 with β > 0): far from θ_old the penalty may dwarf
  // every other curve, so a plot may let it leave the frame rather than flatten the rest.
  bool penalised = false;
};

struct SurrogateReport {
  SliceAxis direction;
  Eigen::VectorXd origin, d;  // θ_old and the unit direction
  std::vector<double> alpha;
  std::vector<SurrogateCurve> curves;  // L^CPI, L^CLIP, L^KL, then GRPO when it applies
  Eigen::VectorXd gradient0;           // ∇L^CLIP at α = 0 (= ĝ; tests compare every form)
  std::vector<double> J, J_lo, J_hi;   // truth and its band (exact: lo = hi = J)
  bool exact = false;
  bool same_scale = true;  // L and J in the same units (see above)
  // The key that standardises ψ when same_scale is false ("estimator.normalize",
  // "advantage.normalize" or "grpo.std_normalize"); empty when same_scale.
  std::string standardised_by;
  int mc_episodes = 0;
  double step_alpha = std::numeric_limits<double>::quiet_NaN();  // (θ − θ_old)·d; NaN: no step
  double slope_ghat = 0.0;                                       // ĝ·d
  // dL/dα at 0 = gradient0·d: ĝ·d where ĝ is the surrogates' gradient at θ_old (REINFORCE, A2C,
  // PPO, GRPO without an entropy bonus); SAC's ĝ, an entropy bonus and the optimal baseline (its b
  // depends on θ's score) are not, so the two differ.
  double slope_surrogate = 0.0;
  double slope_true = std::numeric_limits<double>::quiet_NaN();  // ∇J(θ_old)·d (finite worlds)
  double clip_eps = 0.0, kl_beta = 0.0;
  // The absolute part of the parting test on J's scale (above): 1% of max(|J(θ_old)|, sd of the
  // batch's returns); 0 when same_scale is false.
  double part_floor = 0.0;
};

// Whether the surrogates' slope at α = 0 is not ĝ·d (beyond rounding): SAC, whose ĝ is its own
// actor's gradient, an entropy bonus in ĝ, the optimal baseline. The view and the CLI then give
// both slopes.
bool surrogate_slope_is_not_ghat(const SurrogateReport& R);

// Where a surrogate L not on J's scale parts from J along α (same_scale false, above); NaN: never.
// J_lo/J_hi: J's band (equal to J when exact). Each α is judged on the curves from 0 to it (1% of
// their ranges so far is rounding), so extending the reach moves no verdict by more than the grid's
// step. A flat L parts where J has moved beyond the band and rounding (it follows J only when J is
// flat too).
double part_off_scale(const std::vector<double>& alpha, const std::vector<double>& J,
                      const std::vector<double>& J_lo, const std::vector<double>& J_hi,
                      const std::vector<double>& L);

// What a curve's part_alpha says, in the words the view and the CLI both print. On J's scale a
// verdict on values: "parts from J at α = x", else "follows J throughout" (exact J) or "stays
// within J's band throughout" (sampled J). Off J's scale a value of L says nothing of J's, so the
// verdict is on directions only (part_off_scale): "stops moving with J at α = x", else "moves with
// J throughout" ("moves with J (within its band)" for a sampled J). digits: significant digits of
// x; no_break: no-break spaces around '=', so a wrapped line keeps "α = x" whole. A curve that is
// identically flat while J moves (ĝ = 0) has no part_alpha: "is flat: no sample carries weight, so
// it says nothing about J".
std::string surrogate_verdict(const SurrogateReport& R, const SurrogateCurve& c, int digits,
                              bool no_break = false);

// One line when L is not in J's units (same_scale false), else empty: which key standardised ψ
// and that the curves compare by shape, not by value.
std::string surrogate_units_note(const SurrogateReport& R);

// Throws InputError without a complete batch and estimate, for the p axis, bad sizes.
// cancel: polled per α (throws Cancelled). progress: the step sizes α done (of spec.points).
SurrogateReport surrogate_vs_truth(const Session& s, const SurrogateSpec& spec,
                                   const std::atomic<bool>* cancel = nullptr,
                                   std::atomic<int>* progress = nullptr);

// One surrogate at θ on the session's batch (the formulas above), with its gradient into grad
// (resized). kind: 0 L^CPI, 1 L^CLIP, 2 L^KL. For tests and the report.
double batch_surrogate(const Session& s, const Policy& at, int kind, Eigen::VectorXd& grad);

}  // namespace pg
