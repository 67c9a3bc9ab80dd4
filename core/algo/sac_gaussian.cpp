#include "algo/sac_gaussian.h"

#include <algorithm>

#include "util/error.h"

namespace pg {

namespace {

// s.x (obs_dim × B) = the features of s_b (next = false) or s′_b (next = true).
void gather_features(const ReplayBuffer& buf, const int* idx, int B, bool next,
                     SacGaussianScratch& s) {
  const int dim = buf.obs_dim();
  if (s.x.rows() != dim || s.x.cols() < B) s.x.resize(dim, B);
  if (dim == 0) return;
  for (int b = 0; b < B; ++b)
    s.x.col(b) =
        Eigen::Map<const Eigen::VectorXd>(next ? buf.next_obs(idx[b]).x : buf.obs(idx[b]).x, dim);
}

// s.xa = [X; A] over n columns.
void stack_state_action(const Eigen::Ref<const Eigen::MatrixXd>& X,
                        const Eigen::Ref<const Eigen::MatrixXd>& A, int n, SacGaussianScratch& s) {
  const int dim = static_cast<int>(X.rows()), d = static_cast<int>(A.rows());
  if (s.xa.rows() != dim + d || s.xa.cols() < n) s.xa.resize(dim + d, n);
  if (dim > 0) s.xa.topLeftCorner(dim, n) = X.leftCols(n);
  s.xa.bottomLeftCorner(d, n) = A.leftCols(n);
}

void size_samples(int d, int n, SacGaussianScratch& s) {
  if (s.a.rows() != d || s.a.cols() < n) s.a.resize(d, n);
  if (s.dq1.rows() != d || s.dq1.cols() < n) s.dq1.resize(d, n);
  if (s.dq2.rows() != d || s.dq2.cols() < n) s.dq2.resize(d, n);
  s.logp.resize(n);
  s.q1.resize(n);
  s.q2.resize(n);
  s.dl_dlogp.resize(n);
}

}  // namespace

void draw_normals(Rng& rng, int d, int B, Eigen::MatrixXd& eps) {
  if (eps.rows() != d || eps.cols() < B) eps.resize(d, B);
  for (int b = 0; b < B; ++b)
    for (int i = 0; i < d; ++i) eps(i, b) = rng.normal();
}

void min_q_sa(const MlpActionQ& q1, const MlpActionQ* q2,
              const Eigen::Ref<const Eigen::MatrixXd>& X,
              const Eigen::Ref<const Eigen::MatrixXd>& A, int n, double* q, SacGaussianScratch& s) {
  stack_state_action(X, A, n, s);
  q1.q_sa(s.xa, n, q);
  if (!q2) return;
  s.q2.resize(n);
  q2->q_sa(s.xa, n, s.q2.data());
  for (int j = 0; j < n; ++j) q[j] = std::min(q[j], s.q2[j]);
}

void sampled_soft_targets(const GaussianPolicy& policy, const MlpActionQ& q1, const MlpActionQ* q2,
                          const ReplayBuffer& buf, const int* idx, int B, double gamma,
                          double alpha, const Eigen::Ref<const Eigen::MatrixXd>& eps, double* y,
                          SacGaussianScratch& s) {
  const int d = policy.action_dim();
  size_samples(d, B, s);
  gather_features(buf, idx, B, /*next=*/true, s);
  // a′_b = a_θ(s′_b, ε′_b), log π(a′_b|s′_b)
  policy.reparam_sample_batch(s.x.leftCols(B), eps, B, s.a, s.logp.data());
  min_q_sa(q1, q2, s.x.leftCols(B), s.a, B, s.q1.data(), s);
  for (int b = 0; b < B; ++b) {
    const int k = idx[b];
    // y = r + γ (1 − terminated) [min Q̄(s′, a′) − α log π(a′|s′)]
    const double v_next = buf.terminated(k) ? 0.0 : s.q1[b] - alpha * s.logp[b];
    y[b] = buf.reward(k) + gamma * v_next;
  }
}

double reparam_actor_objective_at(const GaussianPolicy& policy, const MlpActionQ& q1,
                                  const MlpActionQ* q2, const Eigen::Ref<const Eigen::MatrixXd>& X,
                                  int n, double alpha, const Eigen::Ref<const Eigen::MatrixXd>& eps,
                                  Eigen::VectorXd* g, double* mean_neg_logp,
                                  SacGaussianScratch& s) {
  const int d = policy.action_dim();
  size_samples(d, n, s);
  if (n == 0) {
    if (mean_neg_logp) *mean_neg_logp = 0.0;
    return 0.0;
  }
  // a_j = a_θ(s_j, ε_j), log π(a_j|s_j); Q_k(s_j, a_j) and ∂Q_k/∂a at a_j.
  policy.reparam_sample_batch(X, eps, n, s.a, s.logp.data());
  stack_state_action(X, s.a, n, s);
  q1.q_sa_grad_action(s.xa, n, s.q1.data(), s.dq1);
  if (q2) q2->q_sa_grad_action(s.xa, n, s.q2.data(), s.dq2);
  // J_π = (1/n) Σ_j [min_k Q_k(s_j, a_j) − α log π(a_j|s_j)]; min picks one critic per sample,
  // whose ∂Q/∂a the gradient follows. s.q1 keeps the min, s.dq1 its ∂/∂a.
  double objective = 0.0, neg_logp = 0.0;
  for (int j = 0; j < n; ++j) {
    if (q2 && s.q2[j] < s.q1[j]) {
      s.q1[j] = s.q2[j];
      s.dq1.col(j) = s.dq2.col(j);
    }
    objective += s.q1[j] - alpha * s.logp[j];
    neg_logp -= s.logp[j];
    s.dl_dlogp[j] = -alpha;
  }
  if (mean_neg_logp) *mean_neg_logp = neg_logp / n;
  // ∇θ J_π = (1/n) Σ_j ∂/∂θ [Q(s_j, a_θ(s_j, ε_j)) − α log π(a_θ(s_j, ε_j)|s_j)]
  if (g) policy.add_grad_reparam_batch(X, eps, s.dq1, s.dl_dlogp.data(), n, 1.0 / n, *g);
  return objective / n;
}

double reparam_actor_objective(const GaussianPolicy& policy, const MlpActionQ& q1,
                               const MlpActionQ* q2, const ReplayBuffer& buf, const int* idx, int B,
                               double alpha, const Eigen::Ref<const Eigen::MatrixXd>& eps,
                               Eigen::VectorXd* g, double* mean_neg_logp, SacGaussianScratch& s) {
  gather_features(buf, idx, B, /*next=*/false, s);
  return reparam_actor_objective_at(policy, q1, q2, s.x.leftCols(B), B, alpha, eps, g,
                                    mean_neg_logp, s);
}

}  // namespace pg
