#pragma once
// SAC's minibatch computations for continuous actions (algo/sac.h): a tanh-squashed Gaussian
// actor (policy/gaussian.h, actions scaled to the environment's bounds) and Q critics over
// (s, a) (critic/q_function.h: MlpActionQ). The discrete form sums exactly over the actions; here
// the expectation over a ∼ π(·|s) is one sample per transition, a = a_θ(s, ε) with ε ∼ N(0, I)
// drawn by the caller (so a test can hold ε fixed and check the gradient by finite differences):
//
//   critic target:  y_b = r_b + γ (1 − terminated_b) [min_k Q̄_k(s′_b, a′_b) − α log π(a′_b|s′_b)],
//                   a′_b = a_θ(s′_b, ε′_b)  (sampled, no gradient flows through it);
//   actor:          J_π = (1/B) Σ_b [min_k Q_k(s_b, a_b) − α log π(a_b|s_b)],  a_b = a_θ(s_b, ε_b),
//                   ∇θ J_π by the reparameterisation: ∂/∂a of min Q (the smaller critic's, per b)
//                   and ∂/∂log π = −α through a_θ and log π(a_θ) (GaussianPolicy::
//                   add_grad_reparam_batch);
//   α (tuned):      log α ← log α − sac.alpha_lr · (H̄ − target), H̄ = −(1/B) Σ_b log π(a_b|s_b).
//
// With a single critic (sac.twin false) pass q2 = nullptr: min over one critic is that critic.

#include <Eigen/Core>
#include <vector>

#include "critic/q_function.h"
#include "policy/gaussian.h"
#include "rollout/replay.h"
#include "util/rng.h"

namespace pg {

// Scratch of the minibatch computations (sized on first use, then reused: no allocation warm).
struct SacGaussianScratch {
  Eigen::MatrixXd x;         // obs_dim × B: the gathered states
  Eigen::MatrixXd xa;        // (obs_dim + action_dim) × B: [s; a] for the critics
  Eigen::MatrixXd a;         // action_dim × B: a_θ(s, ε)
  Eigen::MatrixXd dq1, dq2;  // action_dim × B: ∂Q_k/∂a
  std::vector<double> logp, q1, q2, dl_dlogp;  // B
};

// ε (d × B) filled with standard normals from rng, column by column (sized once).
void draw_normals(Rng& rng, int d, int B, Eigen::MatrixXd& eps);

// y[0..B) as above, for transitions idx[0..B) of buf, with ε′ = eps (action_dim × B).
void sampled_soft_targets(const GaussianPolicy& policy, const MlpActionQ& q1, const MlpActionQ* q2,
                          const ReplayBuffer& buf, const int* idx, int B, double gamma,
                          double alpha, const Eigen::Ref<const Eigen::MatrixXd>& eps, double* y,
                          SacGaussianScratch& s);

// J_π as above with ε = eps; g (when not null) += ∇θ J_π; mean_neg_logp (when not null) = H̄.
// Afterwards s.q1[b] = min_k Q_k(s_b, a_b) and s.logp[b] = log π(a_b|s_b), per sample.
double reparam_actor_objective(const GaussianPolicy& policy, const MlpActionQ& q1,
                               const MlpActionQ* q2, const ReplayBuffer& buf, const int* idx, int B,
                               double alpha, const Eigen::Ref<const Eigen::MatrixXd>& eps,
                               Eigen::VectorXd* g, double* mean_neg_logp, SacGaussianScratch& s);

// The same objective over arbitrary states: the n columns of X (obs_dim × n) instead of a
// minibatch of the buffer (the estimate phase evaluates it on the batch's own states).
double reparam_actor_objective_at(const GaussianPolicy& policy, const MlpActionQ& q1,
                                  const MlpActionQ* q2, const Eigen::Ref<const Eigen::MatrixXd>& X,
                                  int n, double alpha, const Eigen::Ref<const Eigen::MatrixXd>& eps,
                                  Eigen::VectorXd* g, double* mean_neg_logp, SacGaussianScratch& s);

// min_k Q_k(s_j, a_j) into q[0..n) for the n columns of X and actions A (action_dim × n).
void min_q_sa(const MlpActionQ& q1, const MlpActionQ* q2,
              const Eigen::Ref<const Eigen::MatrixXd>& X,
              const Eigen::Ref<const Eigen::MatrixXd>& A, int n, double* q, SacGaussianScratch& s);

}  // namespace pg
