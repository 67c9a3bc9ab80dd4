#pragma once
// The variance lab: K independent gradient estimates at a fixed θ, every estimator setting computed
// on the same K batches (common random numbers), compared with each other and with the exact ∇J.
//
// Per setting, with ĝ_1..ĝ_K and ḡ their mean:
//   trace_cov   = Σ_k ‖ĝ_k − ḡ‖² / (K − 1)          (total variance)
//   bias_norm   = ‖ḡ − ∇J‖                          (exact worlds only)
//   bias_stderr = √(trace_cov / K)                   (what bias_norm would be from noise alone)
//   cosine_mean = mean_k cos(ĝ_k, ∇J)                (reference: exact ∇J, else ḡ of total/none)
//   snr         = ‖ḡ‖ / √trace_cov

#include <Eigen/Core>
#include <atomic>
#include <string>
#include <vector>

#include "estimator/estimator_config.h"

namespace pg {

class Session;
class Policy;
struct Batch;

struct VarianceSetting {
  EstimatorConfig config;
  bool unbiased = false;  // in theory (is_unbiased)
  double trace_cov = 0, bias_norm = 0, bias_stderr = 0, cosine_mean = 0, snr = 0;
  bool has_bias = false;  // bias fields are meaningful (an exact gradient exists)
  Eigen::VectorXd mean;
  std::vector<Eigen::VectorXd> samples;  // the K estimates, when kept
};

struct VarianceReport {
  int samples = 0;
  int batch_episodes = 0;
  Eigen::VectorXd exact_gradient;  // empty without a model
  std::vector<VarianceSetting> settings;
};

// Every returns × baseline combination valid in the session's world (optimal only with total;
// exact-value only with a model; critic only where the run fits one: Session::critic_learns),
// with the session's normalize and discount-weighting flags.
std::vector<EstimatorConfig> all_settings(const Session& s);
// Bad input (InputError at `where`) unless every setting's returns × baseline is in
// all_settings(s): a setting outside it would be measured as something else (an unfitted critic's
// row equals the one without a baseline).
void require_available_settings(const Session& s, const std::vector<EstimatorConfig>& settings,
                                const std::string& where);

// K batches of the session's batch size at the session's current θ. Batch k uses the streams of
// iteration kLabIterationBase + k, so it never coincides with training batches.
VarianceReport run_variance(const Session& s, const std::vector<EstimatorConfig>& settings, int K,
                            bool keep_samples = false);

// Cost. The naive path backpropagates through the policy once per setting. The default path
// derives each step's score s_it = ∇θ log π(a_it|s_it) once per batch (columns of a P × M score
// matrix Z, built in chunks) and gets every setting at once from one product: with ψ_j the
// weights of setting j (estimate_reinforce on a parameterless policy: Q̂, b, ψ without a gradient),
// [ĝ_1 … ĝ_S] = Z [ψ_1 … ψ_S] / N. The optimal baseline (per-parameter b) keeps the naive path.
// The two paths agree to rounding (tests/core/test_variance_fast.cpp: 1e-12).
// The same with options (the GUI's variance view): another batch size, progress and cancellation.
struct VarianceOptions {
  int batch_episodes = 0;                // N per estimate; 0: the scenario's
  bool keep_samples = false;             // keep the K estimates of every setting
  std::atomic<int>* progress = nullptr;  // set to the number of batches done (0..K) as they finish
  const std::atomic<bool>* cancel = nullptr;  // when it becomes true: stop, return an empty report
  // What a refusal names: the K estimates and their settings must fit the memory budget
  // (require_estimates_fit, checked before the first batch).
  const char* samples_name = "--samples";
  // The reference path (tests): every setting's ĝ from its own estimate_reinforce call with the
  // policy, re-deriving ∇log π per setting. The default reuses each step's score across settings.
  bool naive = false;
};
VarianceReport run_variance(const Session& s, const std::vector<EstimatorConfig>& settings, int K,
                            const VarianceOptions& options);

// out (P × S) = Σ_it ∇θ log π(a_it|s_it) · weights(offset_i + t, ·): every step's score once, times
// S weight columns (rows: the batch's steps in order). `scores` is the caller's P × chunk scratch.
void step_scores_times(const Batch& batch, const Policy& policy,
                       const Eigen::Ref<const Eigen::MatrixXd>& weights, Eigen::MatrixXd& scores,
                       Eigen::MatrixXd& out);

inline constexpr uint64_t kLabIterationBase = 1ULL << 40;

}  // namespace pg
