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

namespace pg {

enum class AdvantageKind { kMonteCarlo, kTD0, kNStep, kGAE };

struct AdvantageConfig {
  AdvantageKind kind = AdvantageKind::kGAE;
  double gamma = 0.99;
  double lambda = 0.95;
  int n = 5;
};

AdvantageKind advantage_kind_from_name(const std::string& s);  // "mc" | "td0" | "nstep" | "gae"
const char* name_of(AdvantageKind k);

// Flat layout as in Estimate: step t of trajectory i at offset[i] + t (offset has N + 1 entries).
// values: V(s_t) per step; final_values[i]: V(s_T) of trajectory i (read only when
// tr.bootstrap()). Writes adv and targets (= adv + values) per step.
void compute_advantages(const Batch& batch, const AdvantageConfig& cfg,
                        const std::vector<int>& offset, const double* values,
                        const double* final_values, double* adv, double* targets);

// (x − mean) / (std + 1e-8) over x[0..n), population std — PPO's advantage normalisation.
void normalize_in_place(double* x, int n);

}  // namespace pg
