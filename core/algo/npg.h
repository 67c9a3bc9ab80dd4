#pragma once
// Natural policy gradient (algorithm.name npg) and TRPO (algorithm.name trpo): one class, TRPO
// adds the line search. Kakade 2001; Schulman et al. 2015.
//
// Phases of update(), each a function below, at θ_old (the θ that sampled the batch):
//   g    = ĝ, REINFORCE with the scenario's estimator settings;  Â_it = ψ_it   (estimate())
//   F    = (1/M) Σ_t s_t s_tᵀ,  s_t = ∇θ log π_old(a_t|s_t)   — the sampled Fisher over the
//          batch's M steps; or, with trpo.exact_fisher (finite worlds), exact_fisher(env, π_old)
//          = Σ_s d(s) Σ_a π ∇log π ∇log πᵀ / Σ_s d(s)
//   x    ≈ (F + λI)⁻¹ g: trpo.cg_iters conjugate-gradient iterations from x = 0 (λ = trpo.damping)
//   β    = sqrt(2δ / xᵀ(F + λI)x): the step whose quadratic KL model ½ (βx)ᵀ(F + λI)(βx) is δ
//          (δ = trpo.max_kl; damped F in the denominator as in Schulman's reference code)
//   npg:  θ ← θ_old + βx
//   trpo: θ ← θ_old + 2^(−j) βx for the first j = 0 … trpo.backtracks with
//           L(θ) − L(θ_old) > 0  and  KL̄(θ_old, θ) ≤ δ,   else θ stays θ_old (step rejected)
//         L(θ) = (1/N) Σ_i Σ_t r_it Â_it,  r_it = π_θ(a_it|s_it) / π_old(a_it|s_it)
//           (the 1/N of ĝ, so ∇L(θ_old) = ĝ; π_old(a|s) is Trajectory::logp)
//         KL̄ = exact Σ_s d_old(s) KL_s / Σ_s d_old(s) in finite worlds (exact/exact_kl.h), else the
//           batch states' mean (1/M) Σ_t KL(π_old(·|s_t) ‖ π(·|s_t)) (estimator/kl.h)
//   then the critic fit, when the baseline is the critic.
// algorithm.lr and algorithm.optimizer do not apply: the step length comes from δ.
//
// Fisher-vector products from per-sample scores: s_t are computed once per update (cached P × M
// when P·M ≤ FisherProduct::kMaxCachedEntries, else recomputed per product), so
// F v = S (Sᵀ v) / M — exact for the sampled Fisher, cheap for the small nets this lab uses.
//
// Stats: kl (the line search's KL̄), kl_sampled, kl_exact (finite worlds), kl_k1, kl_k3 (sample
// estimates on the batch), beta, step_fraction (2^(−j)), backtracks (j), accepted (0/1),
// surrogate_improvement, cg_residual (‖g − (F + λI)x‖), cg_residual_rel (÷ ‖g‖), xFx, grad_norm,
// natural_grad_norm (‖x‖), critic_mse.

#include <Eigen/Core>
#include <memory>
#include <vector>

#include "algo/algorithm.h"

namespace pg {

// (F + λI) v for the sampled or the exact Fisher matrix. Keeps references to the batch and
// policy of set_sampled(): they must outlive the products.
class FisherProduct {
 public:
  static constexpr long kMaxCachedEntries = 1L << 22;  // 32 MB of cached scores

  // F = (1/M) Σ_t s_t s_tᵀ over the batch's steps, s_t = ∇θ log π(a_t|s_t) at `policy`.
  void set_sampled(const Batch& batch, const Policy& policy, double damping);
  // F given as a dense matrix (exact_fisher).
  void set_exact(Eigen::MatrixXd F, double damping);
  // out = (F + λI) v.
  void apply(const Eigen::VectorXd& v, Eigen::VectorXd& out) const;
  bool exact() const { return exact_; }
  // Whether the scores are cached (else each product recomputes them).
  bool cached() const { return cached_; }
  int steps() const { return steps_; }
  // For tests: force the recomputing path below this many cached entries.
  void set_max_cached_entries(long n) { max_cached_ = n; }

 private:
  bool exact_ = false, cached_ = false;
  double damping_ = 0.0;
  int steps_ = 0;
  long max_cached_ = kMaxCachedEntries;
  Eigen::MatrixXd F_;              // exact: P × P
  Eigen::MatrixXd scores_;         // sampled, cached: P × M, column t = s_t
  mutable Eigen::VectorXd dots_;   // M: Sᵀ v
  mutable Eigen::VectorXd score_;  // P: one s_t (recomputing path)
  const Batch* batch_ = nullptr;
  const Policy* policy_ = nullptr;
};

struct CgResult {
  int iterations = 0;
  double residual = 0.0;  // ‖b − A x‖, recomputed with one more product
};

// x ≈ A⁻¹ b for A = (F + λI) symmetric positive definite: `iters` conjugate-gradient iterations
// from x = 0, stopping early when ‖r‖² < 1e-20 ‖b‖² or pᵀAp ≤ 0.
CgResult conjugate_gradient(const FisherProduct& A, const Eigen::VectorXd& b, int iters,
                            Eigen::VectorXd& x);

// L(θ) = (1/N) Σ_i Σ_t exp(log π_θ(a_it|s_it) − logp_it) ψ_it, logp from the trajectories.
double surrogate(const Batch& batch, const Policy& policy, const Estimate& est);

class NpgAlgorithm final : public Algorithm {
 public:
  // line_search: TRPO. Throws InputError for settings it cannot honour (exact Fisher without a
  // finite world, an entropy bonus).
  NpgAlgorithm(const Scenario& s, bool line_search);
  const char* name() const override { return line_search_ ? "trpo" : "npg"; }
  bool needs_whole_episodes() const override { return true; }
  void estimate(AlgoContext& ctx, const Batch& batch, Estimate& est) override;
  std::string update(AlgoContext& ctx, const Batch& batch, const Estimate& est,
                     UpdateStats& stats) override;
  // Estimator settings apply (ĝ is REINFORCE's); analyses: estimator variance, baseline effects,
  // the natural gradient. decompose(): REINFORCE's (the step direction F⁻¹ĝ is not a per-step
  // weight on ∇log π; the decomposition is of ĝ).
  AlgorithmInfo info(const Scenario& s) const override;
  void decompose(const DecomposeInput& in, StepDecomposition& out) const override;
  std::unique_ptr<Algorithm> clone() const override {
    return std::make_unique<NpgAlgorithm>(*this);
  }

 private:
  void build_fisher(AlgoContext& ctx, const Batch& batch);
  // The step along βx (line search for TRPO); returns "" or the fault.
  std::string step(AlgoContext& ctx, const Batch& batch, const Estimate& est, double beta,
                   UpdateStats& stats);

  bool line_search_;
  double env_gamma_ = 1.0;  // γ of the scenario's environment (for info())
  FisherProduct fisher_;
  Eigen::VectorXd x_, Fx_, theta_old_, theta_;
};

}  // namespace pg
