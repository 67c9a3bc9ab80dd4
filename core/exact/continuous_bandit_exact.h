#pragma once
// The continuous bandit's exact objective under a Gaussian policy, by quadrature.
//
//   J(μ, σ) = E_{u ~ N(μ, σ²)} [ r(clip(a(u))) ],   a(u) = the policy's env_action(u)
//           = ∫ f(μ + σz) φ(z) dz,                 f(u) = r(clip(a(u))),  φ the standard normal
//   ∂J/∂μ     = ∫ f(μ + σz) (z/σ) φ(z) dz          (differentiating φ, not f: f has kinks at the
//   ∂J/∂log σ = ∫ f(μ + σz) (z² − 1) φ(z) dz        bounds, where the env clips)
//   ∇θ J = ∂J/∂μ ∇θ μ + ∂J/∂log σ ∇θ log σ         (GaussianPolicy::add_grad_mean_log_std)
//
// z runs over [−12, 12] (the mass outside is 4e-33), split at the points where u reaches the
// bounds (unsquashed: f is flat beyond them), each piece by composite 8-point Gauss–Legendre with
// panels narrower than a fifth of the narrowest bump's width in z (w/σ), at least 400 in all.
// Measured against the closed form Σ_k h_k w_k/√(w_k² + σ²) exp(−(μ − c_k)²/(2(w_k² + σ²)))
// (valid when the bounds hold no mass): 1e-15 (tests/core/test_continuous_bandit.cpp).

#include "env/continuous_bandit.h"
#include "exact/exact.h"
#include "policy/gaussian.h"

namespace pg {

struct GaussianBanditValue {
  double J = 0.0;
  double dJ_dmu = 0.0;
  double dJ_dlog_sigma = 0.0;
};

// Bad input (InputError naming "policy") unless pi has action_dim 1 and no features: the oracle
// integrates over one free mean. Every entry below checks it; callers need not.
void check_continuous_bandit_policy(const GaussianPolicy& pi);

// J, ∂J/∂μ, ∂J/∂log σ for a Gaussian N(μ, σ²) over u (squash: whether a(u) is the policy's tanh
// into the bounds, else u itself).
GaussianBanditValue continuous_bandit_value(const ContinuousBandit& env, const GaussianPolicy& pi,
                                            double mu, double log_sigma);

// The ExactResult of the one-state world: J, gradient ∇θ J, V = V_t row 0 = (J, 0), d = (1, 0),
// horizon 1; probs and Q have no columns (the action is continuous).
ExactResult continuous_bandit_exact(const ContinuousBandit& env, const GaussianPolicy& pi);

}  // namespace pg
