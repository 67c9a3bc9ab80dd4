#pragma once
// Building blocks of Algorithm::decompose() (DESIGN.md §3a): the pieces several algorithms share,
// computed from an Estimate and its batch, column by column.
//
//   DecompositionBuilder b(est);
//   std::vector<double>& q = b.column("Q̂ₜ", "the return credited to step t");
//   …                                   // fill q[k] for every flat step k = offset[i] + t
//   b.derive("ψₜ = Q̂ₜ − bₜ");
//   b.finish(est, out);                 // appends w = est.psi as the last column, divisor = D
//
// Every column is recomputed from the batch and the estimate's own inputs (returns, baselines,
// values), never copied from ψ: the test (tests/core/test_decompose.cpp) recombines them into w.

#include <deque>
#include <string>
#include <vector>

#include "algo/describe.h"
#include "estimator/advantages.h"
#include "estimator/reinforce.h"

namespace pg {

class DecompositionBuilder {
 public:
  explicit DecompositionBuilder(const Estimate& est);
  // A new column of num_steps() zeros, in display order; the reference stays valid.
  std::vector<double>& column(const std::string& symbol, const std::string& meaning);
  void derive(const std::string& line);
  // Moves the columns into out, then w = est.psi as the last column (symbol w_symbol), offset
  // and divisor = est.gradient_divisor().
  void finish(const Estimate& est, const std::string& w_symbol, StepDecomposition& out);
  int num_steps() const { return steps_; }

 private:
  int steps_ = 0;
  std::deque<std::pair<PieceInfo, std::vector<double>>> columns_;
  std::vector<std::string> derivation_;
};

// Marks out as a decomposition whose w does not sum to ĝ (sums_to_gradient = false), with the
// reason, which the last piece's meaning also gives (it otherwise says ĝ = (1/D) Σ w ∇log π).
void mark_not_summing(StepDecomposition& out, const std::string& why);

// Whether the estimate is of this batch (same trajectories and lengths, one ψ per step). When it
// is not (a view holding a stale estimate), decompose() gives w alone and says why, never aborts.
bool estimate_matches_batch(const DecomposeInput& in);
// Whether the estimate carries actor-critic values (A2C/PPO's estimate_a2c), else it is
// REINFORCE's.
bool is_actor_critic_estimate(const Estimate& est);
// The decomposition with the weight alone (w = est.psi when it has one per step) and one
// derivation line saying why there are no pieces.
void decompose_weight_only(const DecomposeInput& in, const std::string& why,
                           StepDecomposition& out);

// REINFORCE's pieces of ψ (DESIGN.md §3) from est.q_hat and est.baseline: Q̂ₜ, bₜ, Q̂ₜ − bₜ,
// norm (when normalize), γᵗ (when discount weighting applies). Writes ψ_it recombined from them
// into psi (M). The optimal baseline is per parameter: then only Q̂ₜ and γᵗ.
void reinforce_columns(const Estimate& est, DecompositionBuilder& b, std::vector<double>& psi);

// REINFORCE, NPG and TRPO: the columns above and w = ψₜ. The optimal baseline sets
// out.sums_to_gradient = false (ψ as a per-step scalar omits the per-parameter b*).
void decompose_reinforce(const DecomposeInput& in, StepDecomposition& out);

// A2C's (and PPO's) pieces from est.values, est.final_values and the batch's rewards: V(sₜ),
// V(sₜ₊₁) (the bootstrap value at the end of a piece, 0 when terminated), δₜ, the estimator's own
// form (GAE: Σₗ (γλ)ˡ δₜ₊ₗ; n-step: the n-step return; Monte Carlo: Gₜ; TD(0): none, Â = δ), Âₜ
// and norm(Â) when est.config.normalize. Writes the recombined w (Â or norm Â) into w.
void actor_critic_columns(const DecomposeInput& in, const AdvantageConfig& cfg,
                          DecompositionBuilder& b, std::vector<double>& w);

}  // namespace pg
