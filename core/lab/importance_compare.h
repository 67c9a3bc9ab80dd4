#pragma once
// What the Importance view shows about an off-policy session's current batch: the per-trajectory
// log-weights, the effective sample size, and the importance-sampled estimate against the
// on-policy REINFORCE estimate at the same θ and the exact gradient (finite worlds).
//
// The on-policy estimate samples N fresh episodes from π_θ (the target) with the streams the
// behaviour batch used — (seed, iteration, episode k) — so the two batches share their random
// numbers (common random numbers: with b = π they are the same batch and the same estimate), and
// applies the scenario's estimator settings (estimate_reinforce).

#include <Eigen/Core>
#include <string>
#include <vector>

#include "session/session.h"

namespace pg {

struct ImportanceComparison {
  bool available = false;  // the session runs off-policy and has an estimate
  std::string weighting;   // trajectory | per-decision | per-step
  double truncate = 0.0;
  int batch_iteration =
      0;  // the iteration that collected the batch (between iterations: the last one)
  int behaviour_iteration =
      -1;  // lagged behaviour: the iteration whose θ sampled; -1: fixed logits
  int N = 0;
  std::vector<double> log_w;  // log W_i = Σ_t log ρ_it per trajectory
  double ess = 0.0, ess_fraction = 0.0;
  Eigen::VectorXd off_policy;  // ĝ_IS (the session's estimate)
  Eigen::VectorXd on_policy;   // ĝ on N fresh on-policy episodes
  Eigen::VectorXd exact;       // ∇J at θ; empty without a finite model
  double norm_off = 0, norm_on = 0, norm_exact = 0;
  double cos_off_exact = 0, cos_on_exact = 0, cos_off_on = 0;  // NaN where a vector is missing or 0
  // Parameter indices, the top_k largest |∇J| (|on-policy ĝ| without an exact gradient),
  // descending.
  std::vector<int> top;
};

// cos(a, b) = a·b / (‖a‖ ‖b‖); NaN when either is empty or 0.
double cosine(const Eigen::VectorXd& a, const Eigen::VectorXd& b);

// Needs a complete batch with its estimate (s.has_estimate()); available = false otherwise or when
// s does not run off-policy.
ImportanceComparison compare_importance(const Session& s, int top_k);

}  // namespace pg
