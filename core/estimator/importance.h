#pragma once
// Off-policy policy-gradient estimates by importance sampling: ∇J(θ) at the target π = π_θ from
// trajectories sampled by a behaviour policy b (log b(a|s) is Trajectory::logp).
//
//   ρ_it = π(a_it|s_it) / b(a_it|s_it)        per-step ratio
//   ρ_i,0:t = Π_{k≤t} ρ_ik                     cumulative (per-decision) weight
//   W_i = ρ_i,0:T_i−1                          trajectory weight
//   ρ̄ = min(w, c̄) for every weight w that multiplies a term, when c̄ = offpolicy.truncate > 0
//       (the product is truncated, not its factors: Ionides' truncated IS)
//
// With Q̂_it, b_it and ψ_it REINFORCE's (DESIGN.md §3, computed on the batch at θ), and
// w_t = γ^t where discount weighting applies (reward-to-go with the flag on), else 1:
//   trajectory:    ψ'_it = W̄_i ψ_it
//   per-step:      ψ'_it = ρ̄_it ψ_it                       (an approximation: biased)
//   per-decision:  ψ'_it = w_t ( Σ_{t'} c_tt' r_it' ρ̄_i,0:max(t,t') − ρ̄_i,0:t b_it )
//                  c_tt' = γ^(t'−t) [t' ≥ t] (reward-to-go)  or  γ^t' (total returns):
//                  each reward is weighted by the ratios of every action before it and of a_t —
//                  the terms ∇log π(a_t|s_t) r_t' depend on exactly those actions — and the
//                  baseline term by the ratios up to t. With reward-to-go it reads
//                  ψ'_it = w_t (Σ_{t'≥t} γ^(t'−t) ρ̄_i,0:t' r_it' − ρ̄_i,0:t b_it).
//   ĝ = (1/N) Σ_i Σ_t ∇θ log π(a_it|s_it) ψ'_it
// Unbiased for ∇J whenever the on-policy setting is (is_unbiased) and c̄ = 0: trajectory and
// per-decision weights; per-step weights are not. With b = π every ρ is 1 and ψ' = ψ.
//
// est.psi holds ψ' (so Estimate::contribution and the credit ledger stay Σ c_it = ĝ);
// est.q_hat, est.baseline and est.reward_to_go stay REINFORCE's unweighted values.
// Per-decision weights re-weight rewards inside ψ, so they need estimator.normalize = false
// and a per-step baseline (not optimal); trajectory and per-step weights take any setting but
// optimal.

#include <string>
#include <vector>

#include "estimator/reinforce.h"
#include "util/enum_table.h"

namespace pg {

// offpolicy.weighting
enum class IsWeighting { kTrajectory, kPerDecision, kPerStep };
template <>
struct EnumTable<IsWeighting> {
  static constexpr EnumRow<IsWeighting> rows[] = {
      {IsWeighting::kTrajectory, "trajectory", "trajectory", "Wᵢ, the whole episode's product"},
      {IsWeighting::kPerDecision, "per-decision", "per-decision",
       "each reward weighted by the ratios of the actions before it"},
      {IsWeighting::kPerStep, "per-step", "per-step", "the single step's ratio ρₜ (biased)"},
  };
};
IsWeighting is_weighting_from_name(const std::string& s);  // PG_ASSERTs a valid name

struct ImportanceConfig {
  IsWeighting weighting = IsWeighting::kPerDecision;
  double truncate = 0.0;  // c̄; 0: none
};

// Every weight of one estimate, flat per step like Estimate (step (i, t) at offset[i] + t).
struct ImportanceWeights {
  ImportanceConfig config;
  std::vector<int> offset;      // N + 1
  std::vector<double> log_rho;  // log ρ_it = log π(a_it|s_it) − log b(a_it|s_it)
  std::vector<double> rho;      // ρ_it
  std::vector<double> cum_rho;  // ρ_i,0:t (untruncated)
  std::vector<double>
      weight;  // what multiplies step (i, t)'s ψ or, per-decision, b_it: W̄_i, ρ̄_it or ρ̄_i,0:t
  std::vector<double> log_w;  // per trajectory: log W_i = Σ_t log ρ_it
  std::vector<double> w;      // per trajectory: W_i = ρ_i,0:T−1, never truncated (README)
  double ess = 0.0;           // (Σ_i W_i)² / Σ_i W_i² of the uncapped W_i (N when every W is
                              // equal; 0 for an empty batch): truncation would hide the degeneracy
  int truncated = 0;          // weights that truncation changed (of the ones applied)

  int num_steps() const { return offset.empty() ? 0 : offset.back(); }
  int at(int i, int t) const { return offset[i] + t; }
};

// Throws InputError for a setting the weighting cannot honour (see above).
void check_importance_setting(const EstimatorConfig& config, const ImportanceConfig& is);

// Fills est (ψ' and ĝ at `target`) and weights. sources as for estimate_reinforce.
void estimate_off_policy(const Batch& batch, const Policy& target, double gamma,
                         const EstimatorConfig& config, const ImportanceConfig& is,
                         const BaselineSources& sources, Estimate& est, ImportanceWeights& weights);

// (Σ W)² / Σ W² from log W (W = exp(log W), each possibly −∞): computed with the largest log W
// factored out, so weights that all underflow (log W = −51293 for each of 4 trajectories) still
// give 4, not 0/0. 0 when every W is 0 (or there are none).
double effective_sample_size(const std::vector<double>& log_w);

}  // namespace pg
