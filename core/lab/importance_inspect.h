#pragma once
// Importance-sampling inspector (issue 10, item 5): a behaviour policy b painted per state on top
// of the target π = π_θ of a tabular session, and what importance sampling makes of b's samples.
//
//   b(·|s) = softmax(θ_s / T)             the temperature on π (T = 1: b = π, the same logits)
//            or softmax(scenario logits)  with base = scenario (offpolicy.behaviour = fixed)
//            or the painted row p_s / Σ p_s where a state is painted (probabilities, zeros allowed)
//
// For K batches of N episodes from b (batch k on the streams (seed, k, episode)), the three
// estimates of ∇J(θ), each from the one formula in estimator/importance.h:
//   ordinary:      ĝ = (1/N) Σ_i W_i g_i            (trajectory weighting)
//   weighted:      ĝ = Σ_i W_i g_i / Σ_i W_i         = ordinary · N / Σ_i W_i  (self-normalised)
//   per-decision:  each reward weighted by the ratios up to its own step (per-decision weighting)
// with g_i REINFORCE's Σ_t ∇log π(a_it|s_it) ψ_it under a fixed, unbiased estimator setting:
// reward-to-go, no baseline, no normalisation, γ^t discount weighting. Against the exact ∇J
// (core/exact): bias = mean_k ĝ_k − ∇J, variance = Σ_j sample variance over k of ĝ_kj (K − 1
// in the denominator), and the standard error of each mean component.
//
// Coverage: (state, action) pairs with b(a|s) = 0 < π(a|s) — there the importance weights
// cannot see π's actions and every estimator is biased.

#include <Eigen/Core>
#include <atomic>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "session/session.h"

namespace pg {

struct BehaviourPaint {
  double temperature = 1.0;    // > 0
  bool scenario_base = false;  // base rows from offpolicy.behaviour_logits (needs behaviour=fixed)
  std::map<int, std::vector<double>> rows;  // observation → unnormalised probabilities (size A)
};

struct IsEstimatorStats {
  const char* name = "";
  std::vector<Eigen::VectorXd> per_batch;  // K estimates
  Eigen::VectorXd mean, bias, std_error;   // per parameter
  double bias_norm = 0.0;
  // √(variance / K): the size bias_norm has from the K batches' noise alone (an unbiased estimator
  // shows ‖mean − ∇J‖ ≈ this), so a ‖bias‖ within 3 of it is not evidence of bias.
  double bias_stderr = 0.0;
  double variance = 0.0;  // trace of the sample covariance over the K batches
  double mse = 0.0;       // ‖bias‖² + variance
};

struct ImportanceInspection {
  int N = 0, K = 0;
  Eigen::MatrixXd target;                       // num_obs × A: π(a|o)
  Eigen::MatrixXd behaviour;                    // num_obs × A: b(a|o)
  Eigen::VectorXd exact;                        // ∇J(θ)
  std::vector<std::pair<int, int>> violations;  // (observation, action): b = 0 < π
  std::vector<double> log_w;  // batch 0: log W_i per trajectory (−∞ impossible: b samples)
  double ess_first = 0.0;     // batch 0's ESS
  double ess_mean = 0.0;      // mean over the K batches of ESS
  // Episodes that b never ended, cut at kHardStepCap steps (a world without a step limit, painted
  // so that b cannot reach a terminal state): their returns lose their tails.
  int cut_episodes = 0;
  // What cut episodes mean for the estimates, one sentence; "" when none were cut.
  std::string cut_note() const;
  IsEstimatorStats ordinary, weighted, per_decision;
};

// b as probabilities (num_obs × A). Throws InputError for T ≤ 0 or not finite, scenario_base
// without fixed behaviour logits, a painted observation out of range, a row of the wrong size,
// with a negative or non-finite entry, or summing to 0.
Eigen::MatrixXd behaviour_probs(const Session& s, const BehaviourPaint& paint);

// At the session's current θ. Throws InputError (key importance.*) when the policy is not tabular,
// the world has no model, N < 1 or K < 2, and as behaviour_probs. cancel: polled per batch
// (throws Cancelled); progress: the batches done.
ImportanceInspection inspect_importance(const Session& s, const BehaviourPaint& paint, int N, int K,
                                        const std::atomic<bool>* cancel = nullptr,
                                        std::atomic<int>* progress = nullptr);

}  // namespace pg
