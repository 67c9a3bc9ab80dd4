#pragma once
// The credit ledger laid out for reading, step by step (the inspector's data): for every step
// (i, t) of a batch, the pieces of DESIGN.md §3 that make ψ_it and the size of its term
// c_it = ∇θ log π(a_it|s_it) ψ_it / N, plus the check that the terms add up to ĝ.
//
//   BatchLedger L = credit_ledger(batch, behaviour_policy, estimate);
//   const LedgerStep& row = L.at(i, t);   // r, G, Q̂, b, Q̂ − b, normalised, γ^t, ψ, π(a|s), ‖c‖
//   L.residual                           // ‖Σ_it c_it − ĝ‖ (≈ 1e-16: the ledger balances)
//
// With the algorithm's decomposition (DESIGN.md §3a), the ledger carries it: the inspector reads
// every algorithm's pieces (V, δ, Â, r, ρ, …) from L.decomposition, beside the same ψ and c:
//   StepDecomposition d;  algorithm.decompose({batch, estimate, behaviour, current, gamma}, d);
//   BatchLedger L = credit_ledger(batch, behaviour, estimate, d);
//   L.decomposition.value(i, t, k)       // piece k of step (i, t); L.at(i, t).psi == d.weight(i,
//   t)
//
// Also: which rewards a step's weight is made of (causality), and per-block norms of a parameter
// vector (MLP: W1, b1, W2, …; tabular: one logit row per observation).

#include <Eigen/Core>
#include <string>
#include <vector>

#include "algo/describe.h"
#include "estimator/reinforce.h"

namespace pg {

// One step's line in the ledger.
struct LedgerStep {
  int t = 0;
  int obs = -1;    // tabular observation index (−1 for feature-only worlds)
  int state = -1;  // model state index (−1 for continuous worlds)
  int action = 0;
  double reward = 0;        // r_t
  double reward_to_go = 0;  // G_t = Σ_{t'≥t} γ^(t'−t) r_t'
  double q_hat = 0;         // Q̂_t: R (total) or G_t (reward-to-go)
  double baseline = 0;      // b_t; NaN for the optimal baseline (per parameter, not per step)
  double advantage = 0;     // Q̂_t − b_t (optimal baseline: Q̂_t)
  double normalized = 0;  // (Q̂_t − b_t − mean) / (std + 1e-8) with normalize, else Q̂_t − b_t
  double weight = 1;      // γ^t where discount weighting applies (reward-to-go), else 1
  double psi = 0;         // ψ_t = weight · normalized, as the estimate used it
  double prob = 0;        // π(a_t|s_t) at the batch's θ
  double contribution_norm = 0;  // ‖c_t‖₂
};

struct BatchLedger {
  int num_trajectories = 0;
  int num_actions = 0;
  std::vector<int> offset;        // N + 1, as Estimate::offset: step (i, t) is at offset[i] + t
  std::vector<LedgerStep> steps;  // flat
  std::vector<double> probs;      // flat steps × A: π(·|s_t)
  bool per_step_baseline = true;  // false for the optimal baseline
  bool normalized = false;
  double psi_mean = 0, psi_std = 0;  // the normalisation's statistics of Q̂ − b (normalize only)
  Eigen::VectorXd sum;               // Σ_it c_it, one contribution() per step (the naive path)
  double residual = 0;               // ‖Σ_it c_it − ĝ‖₂
  double gradient_norm = 0;          // ‖ĝ‖₂
  // The algorithm's per-step decomposition of the same estimate (empty unless given); its weight
  // column is each step's psi.
  StepDecomposition decomposition;

  int length(int i) const { return offset[i + 1] - offset[i]; }
  const LedgerStep& at(int i, int t) const { return steps[offset[i] + t]; }
  const double* probs_at(int i, int t) const {
    return probs.data() + static_cast<size_t>(offset[i] + t) * num_actions;
  }
};

// `policy` must be at the θ that produced `estimate` from `batch` (Session::behaviour_policy()).
// Cost: one contribution() per step (a single-sample gradient).
BatchLedger credit_ledger(const Batch& batch, const Policy& policy, const Estimate& estimate);
// The same, carrying the algorithm's decomposition of `estimate` (asserted to be of the same
// steps, with w = ψ per step).
BatchLedger credit_ledger(const Batch& batch, const Policy& policy, const Estimate& estimate,
                          const StepDecomposition& decomposition);

// Causality: the coefficient of r_t' in Q̂_t, the weight multiplying ∇log π(a_t|s_t), for
// t' = 0..T−1. total: R = Σ_t' γ^t' r_t', so γ^t' for every t' — past rewards included;
// reward-to-go: γ^(t'−t) for t' ≥ t and 0 for t' < t. Σ_t' w_t' r_t' = Q̂_t.
std::vector<double> reward_weights(Returns returns, double gamma, int T, int t);

// The same for the quantity the algorithm's own decomposition weighs step (i, t) by: on-policy
// Q̂_t (reward_weights); per-decision importance sampling (its pieces Q̂′ₜ and ρ₀:ₜ, or ρ̄₀:ₜ when
// capped) Q̂′_t, whose r_t' carries the ratios of every action up to max(t, t'): the weights above
// times ρ̄_0:max(t,t') (reward-to-go: t' ≥ t only). Σ_t' w_t' r_t' = the decomposition's Q̂′ₜ.
struct CreditWeights {
  std::vector<double> w;
  bool importance = false;  // per-decision: w carries the ratio products
  double value = 0;  // Σ_t' w_t' r_t' as the ledger holds it (Q̂ₜ, or the Q̂′ₜ piece)
};
// `decomposition`: the algorithm's (empty: on-policy weights).
CreditWeights credit_reward_weights(const BatchLedger& ledger,
                                    const StepDecomposition& decomposition, Returns returns,
                                    double gamma, int i, int t);

// Named contiguous blocks of a flat parameter vector.
struct ParamBlock {
  std::string name;
  int offset = 0;
  int size = 0;
};
// mlp: W1, b1, W2, b2, … (layer l+1 of mlp.h's flat layout: W_l row-major, then b_l);
// tabular: one block per observation row θ[o, ·] named "o=<o>"; Gaussian: the mean network's W and
// b (or "μ" without observation features), then "log σ" when it is state-independent.
std::vector<ParamBlock> param_blocks(const Policy& policy);
// ‖v[block]‖₂ per block.
std::vector<double> block_norms(const Eigen::Ref<const Eigen::VectorXd>& v,
                                const std::vector<ParamBlock>& blocks);

}  // namespace pg
