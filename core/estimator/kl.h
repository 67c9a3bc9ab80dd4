#pragma once
// KL divergences between two softmax policies, exact per state and estimated from samples.
//
// The divergence natural-gradient methods bound is KL(π_old ‖ π) — the old policy first, because
// the samples come from it:
//   KL_s = KL(π_old(·|s) ‖ π(·|s)) = Σ_a π_old(a|s) log(π_old(a|s) / π(a|s))
// From one action a ~ π_old(·|s) with r = π(a|s) / π_old(a|s) (Schulman, "Approximating KL
// divergence", 2020):
//   k1 = −log r                unbiased, can be negative, high variance
//   k2 = ½ (log r)²            biased (E k2 = KL only to second order), ≥ 0, low variance
//   k3 = (r − 1) − log r       unbiased (E_{π_old}[r − 1] = 0), ≥ 0 always (log x ≤ x − 1)
// Every function here takes log r (not r): it is what the batch stores and it avoids exp overflow
// in k1 and k2.
//
// The exact visitation-weighted mean Σ_s d(s) KL_s / Σ_s d(s) over a finite world is in
// exact/exact_kl.h.

#include <Eigen/Core>

#include "policy/policy.h"
#include "rollout/trajectory.h"

namespace pg {

// KL(p ‖ q) = Σ_a p_a log(p_a / q_a) over A actions; terms with p_a = 0 contribute 0.
double kl_categorical(const double* p, const double* q, int A);
// H(p) = −Σ_a p_a log p_a over A actions; terms with p_a = 0 contribute 0. With logs, also
// logs[a] = log p_a for every a (−inf where p_a = 0). Every entropy pglab reports comes from here,
// so two paths (one sample's, a batch's) give the same bits on any CPU and compiler.
double entropy_categorical(const double* p, int A, double* logs = nullptr);

// The three one-sample estimators of KL(π_old ‖ π) from log r = log π(a|s) − log π_old(a|s)
// (namespace kl: kl::k1, kl::k2, kl::k3).
namespace kl {
inline double k1(double log_r) {
  return -log_r;
}
inline double k2(double log_r) {
  return 0.5 * log_r * log_r;
}
// (r − 1) − log r with r − 1 = expm1(log r) (exact near r = 1). Mathematically ≥ 0; the max only
// absorbs the last-bit rounding of expm1 when |log r| is below ~1e-8.
double k3(double log_r);
}  // namespace kl

// KL over the steps of a batch, between π_old (the policy the steps were sampled from, or any
// reference) and π. M = batch.num_steps().
struct BatchKl {
  int steps = 0;  // M
  double mean_kl =
      0.0;  // (1/M) Σ_t KL_{s_t}: the exact per-state KL averaged over the batch's states
  double max_kl = 0.0;  // max_t KL_{s_t}
  double k1 = 0.0;      // (1/M) Σ_t k1(log r_t), a_t the batch's actions
  double k2 = 0.0;      // (1/M) Σ_t k2(log r_t)
  double k3 = 0.0;      // (1/M) Σ_t k3(log r_t)
};
// log r_t = log π(a_t|s_t) − log π_old(a_t|s_t), both computed from the policies (not from
// Trajectory::logp), so the batch may have been sampled by a third policy.
// The two policies must act on the same actions (check_same_actions: InputError otherwise).
BatchKl batch_kl(const Batch& batch, const Policy& old_policy, const Policy& policy);

}  // namespace pg
