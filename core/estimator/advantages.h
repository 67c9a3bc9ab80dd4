#pragma once
// Advantage estimators for actor-critic methods (issue: critic targets and advantages).
//
// For a trajectory piece of T steps with values V_t = V(s_t) and V_T the bootstrap value of s_T
// (V(s_T) when the piece was truncated or cut, 0 when terminated):
//   Monte Carlo  Â_t = G_t − V_t, G_t = Σ_{k≥t} γ^{k−t} r_k + γ^{T−t} V_T
//   TD(0)        Â_t = δ_t = r_t + γ V_{t+1} − V_t
//   n-step       Â_t = Σ_{k<n} γ^k r_{t+k} + γ^n V_{t+n} − V_t   (cut at T: then it is MC from t)
//   GAE(λ)       Â_t = Σ_l (γλ)^l δ_{t+l}
// with V_{T} as above. The critic's regression target is Â_t + V_t (the λ-, n-step or TD
// return). Bootstrapping follows STYLE.md §5: from V on truncation (and segment cuts), from 0 on
// termination.

#include <string>
#include <vector>

#include "rollout/trajectory.h"
#include "util/enum_table.h"

namespace pg {

enum class AdvantageKind { kMonteCarlo, kTD0, kNStep, kGAE };

struct AdvantageConfig {
  AdvantageKind kind = AdvantageKind::kGAE;
  double gamma = 0.99;
  double lambda = 0.95;
  int n = 5;
};

// ---- one table for the advantage estimators (issue 7): advantage.estimator's names, the formula
// panel, the decomposition's columns, the advantage and variance views read it
// ----------------------
struct AdvantageSpec {
  AdvantageKind value;
  const char* name;     // advantage.estimator: "mc", "td0", "nstep", "gae"
  const char* title;    // "Monte Carlo", "TD(0)", "n-step", "GAE(λ)"
  const char* meaning;  // one line for a tooltip
  const char* symbol;  // what Âₜ adds to −V(sₜ) or sums: "Gₜ", "δₜ", "Ĝₜ⁽ⁿ⁾", "Σₗ(γλ)ˡδₜ₊ₗ"
  const char* formula;  // Âₜ as the screen writes it: "Âₜ = Gₜ − V(sₜ)", …
  const char* as_gae;   // the GAE(λ) it equals: "λ=1", "λ=0"; "" for none
};
template <>
struct EnumTable<AdvantageKind> {
  static constexpr AdvantageSpec rows[] = {
      {AdvantageKind::kMonteCarlo, "mc", "Monte Carlo",
       "the return to the end of the piece minus V: unbiased, high variance", "Gₜ",
       "Âₜ = Gₜ − V(sₜ)", "λ=1"},
      {AdvantageKind::kTD0, "td0", "TD(0)",
       "one reward and the critic's next value: low variance, biased where V errs", "δₜ",
       "Âₜ = δₜ = rₜ + γV(sₜ₊₁) − V(sₜ)", "λ=0"},
      {AdvantageKind::kNStep, "nstep", "n-step", "n rewards, then the critic's value n steps ahead",
       "Ĝₜ⁽ⁿ⁾", "Âₜ = Σₖ<ₙ γᵏ rₜ₊ₖ + γⁿV(sₜ₊ₙ) − V(sₜ)", ""},
      {AdvantageKind::kGAE, "gae", "GAE(λ)",
       "the (γλ)-discounted sum of the TD errors ahead: λ trades bias for variance", "Σₗ(γλ)ˡδₜ₊ₗ",
       "Âₜ = Σₗ (γλ)ˡ δₜ₊ₗ", ""},
  };
};
inline const AdvantageSpec& advantage_spec(AdvantageKind k) {
  return enum_row(k);
}

// Flat layout as in Estimate: step t of trajectory i at offset[i] + t (offset has N + 1 entries).
// values: V(s_t) per step; final_values[i]: V(s_T) of trajectory i (read only when
// tr.bootstrap()). Writes adv and targets (= adv + values) per step.
void compute_advantages(const Batch& batch, const AdvantageConfig& cfg,
                        const std::vector<int>& offset, const double* values,
                        const double* final_values, double* adv, double* targets);

// (x − mean) / (std + 1e-8) over x[0..n), population std — PPO's advantage normalisation.
void normalize_in_place(double* x, int n);

}  // namespace pg
