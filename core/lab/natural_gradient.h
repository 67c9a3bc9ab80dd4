#pragma once
// The pieces of a natural-gradient step (NPG and TRPO, algo/npg.h) for the natural-gradient view,
// recomputed from what the session keeps — the batch, its estimate and θ_old — with the same
// functions the update runs (FisherProduct, conjugate_gradient, surrogate, batch_kl,
// exact_mean_kl), so every number equals the update's own (tested against UpdateStats):
//
//   F      the Fisher matrix the update used: exact_fisher(env, π_old) with trpo.exact_fisher, else
//          the batch's (1/M) Σ_t s_t s_tᵀ, s_t = ∇θ log π_old(a_t|s_t) — dense, for the heatmap;
//          in finite worlds also the exact F, to compare a sampled one with
//   x      ≈ (F + λI)⁻¹ ĝ by trpo.cg_iters CG iterations; its angle to ĝ and both norms
//   β      = sqrt(2δ / xᵀ(F + λI)x): ½ (βx)ᵀ(F + λI)(βx) = δ, the quadratic model's KL
//   tries  θ_old + 2^(−j) β x for j = 0, 1, …: surrogate improvement, KL̄ (exact in finite
//          worlds, else the batch states' mean), whether the step is accepted (TRPO: improves and
//          KL̄ ≤ δ; NPG: the first, always)
//   exact  finite worlds: ∇J at θ_old and the exact natural gradient F_exact⁻¹ ∇J, with the angles
//          of ĝ and x to them.

#include <Eigen/Core>
#include <string>
#include <vector>

#include "estimator/estimator_config.h"

namespace pg {

class Session;

// Dense Fisher matrices above this many parameters are not formed (the heatmap would be
// unreadable and P² memory); the step's numbers are still computed.
inline constexpr int kMaxDenseFisherParams = 1024;

struct LineSearchTry {
  double fraction = 1.0;     // 2^(−j)
  double improvement = 0.0;  // L(θ) − L(θ_old)
  double kl = 0.0;           // KL̄ the line search tests (exact in finite worlds)
  double kl_sampled = 0.0;   // batch states' mean of the exact per-state KL
  bool accepted = false;
};

struct NaturalGradientReport {
  bool applies = false;  // the session runs npg or trpo and has a complete estimate
  std::string why_not;   // one sentence when !applies
  int iteration = 0;     // whose batch this is (Session::batch_iteration())
  // A live estimator flip after the update re-estimated the batch (Session::estimate_of_update):
  // every number below is still the step taken, from the estimate the update used
  // (step_config); the re-estimate (reestimate_config, its ‖ĝ‖) steers the next batch's step.
  bool reestimated = false;
  double reestimate_grad_norm = 0.0;
  EstimatorConfig step_config, reestimate_config;
  bool line_search = false;      // TRPO
  bool fisher_is_exact = false;  // the update used exact_fisher
  Eigen::MatrixXd
      fisher;  // P × P, the F the update used (no damping); empty above kMaxDenseFisherParams
  Eigen::MatrixXd
      fisher_exact;      // finite worlds: the exact F at θ_old (== fisher when fisher_is_exact)
  double damping = 0.0;  // λ
  Eigen::VectorXd g;     // ĝ
  Eigen::VectorXd x;     // ≈ (F + λI)⁻¹ ĝ
  int cg_iterations = 0;
  double cg_residual = 0.0;    // ‖ĝ − (F + λI)x‖
  double angle_g_x_deg = 0.0;  // angle between ĝ and x, degrees
  double xFx = 0.0;            // xᵀ(F + λI)x
  double beta = 0.0;           // sqrt(2δ / xFx); 0 when ĝ = 0
  double max_kl = 0.0;         // δ
  std::vector<LineSearchTry> tries;
  int accepted = -1;       // index into tries, -1 when every try was rejected (θ stays θ_old)
  double step_norm = 0.0;  // ‖θ_new − θ_old‖ (0 when rejected)
  // Finite worlds only (has_exact):
  bool has_exact = false;
  Eigen::VectorXd exact_gradient;          // ∇J at θ_old
  Eigen::VectorXd exact_natural;           // (F_exact + λI)⁻¹ ∇J, dense solve
  double angle_g_exact_deg = 0.0;          // ĝ vs ∇J (NaN: either is zero)
  double angle_x_exact_natural_deg = 0.0;  // x vs the exact natural gradient
};

// Angle between two vectors in degrees; NaN when either is zero (no direction: the views say "—",
// not 0°, which reads as perfect agreement).
double angle_deg(const Eigen::VectorXd& a, const Eigen::VectorXd& b);

// The dense sampled Fisher (1/M) Σ_t s_t s_tᵀ over the batch's steps at `policy` (P × P).
class Policy;
struct Batch;
Eigen::MatrixXd sampled_fisher(const Batch& batch, const Policy& policy);

// The report for the session's current batch and estimate (at the batch's θ_old). applies is
// false, with the reason, for other algorithms and while no complete estimate exists.
NaturalGradientReport analyse_natural_gradient(const Session& session);

}  // namespace pg
