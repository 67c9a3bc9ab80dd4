// MlpSoftmax's batched evaluation and surrogate gradient (policy.h: log_prob_batch,
// add_grad_surrogate_batch): one forward (and one backward) per minibatch instead of one per step.
#include <cmath>

#include "estimator/kl.h"
#include "policy/mlp_softmax.h"
#include "util/error.h"

namespace pg {

// entropy_categorical(p, A, L): L[c] ← log π_c for every c (log 0 = −inf is never read: H skips
// π_c = 0, and log π(a|x) = −inf is right) and H = −Σ π_c log π_c, the same bits as
// Policy::entropy's.

void MlpSoftmax::log_prob_batch(const Eigen::Ref<const Eigen::MatrixXd>& X, const int* /*index*/,
                                ActionsRef actions, int n, double* logp, double* entropy) const {
  PG_ASSERT(X.rows() == obs_dim() && X.cols() == n, "log_prob_batch: X must be obs_dim × n");
  if (n == 0) return;
  reserve(n);
  logs_cols_ = -1;
  Eigen::Ref<Eigen::MatrixXd> P = p_.leftCols(n);
  softmax_columns(net_.forward(X), P);
  const int A = num_actions();
  for (int j = 0; j < n; ++j) {
    PG_ASSERT(actions.index[j] >= 0 && actions.index[j] < A, "action index out of range");
    if (!entropy) {
      // log π(a|x) as log of the probability: the sampler's expression (EpisodeRunner::step).
      logp[j] = std::log(P(actions.index[j], j));
      continue;
    }
    // Every log π(c|x) once, kept for add_grad_surrogate_batch(reuse_forward).
    double* L = log_p_.col(j).data();
    entropy[j] = h_[j] = entropy_categorical(P.col(j).data(), A, L);
    logp[j] = L[actions.index[j]];
  }
  if (entropy) logs_cols_ = n;
}

void MlpSoftmax::add_grad_surrogate_batch(const Eigen::Ref<const Eigen::MatrixXd>& X,
                                          const int* /*index*/, ActionsRef actions,
                                          const double* scale_logp, const double* scale_entropy,
                                          int n, Eigen::Ref<Eigen::VectorXd> g,
                                          bool reuse_forward) const {
  PG_ASSERT(X.rows() == obs_dim() && X.cols() == n,
            "add_grad_surrogate_batch: X must be obs_dim × n");
  if (n == 0) return;
  reserve(n);
  Eigen::Ref<Eigen::MatrixXd> P = p_.leftCols(n);
  Eigen::Ref<Eigen::MatrixXd> dZ = dz_.leftCols(n);
  if (reuse_forward)
    // P and the network's activation cache still hold log_prob_batch's pass over this X.
    PG_ASSERT(net_.last_batch() == n,
              "reuse_forward: call log_prob_batch on the same X right before");
  else {
    logs_cols_ = -1;
    softmax_columns(net_.forward(X), P);
  }
  // log π and H of this X from log_prob_batch (the same bits as computing them again here).
  const bool have_logs = reuse_forward && logs_cols_ == n;
  const int A = num_actions();
  for (int j = 0; j < n; ++j) {
    PG_ASSERT(actions.index[j] >= 0 && actions.index[j] < A, "action index out of range");
    // ∂ log π(a|x)/∂z = onehot(a) − π
    const double s = scale_logp[j];
    for (int c = 0; c < A; ++c) dZ(c, j) = -s * P(c, j);
    dZ(actions.index[j], j) += s;
    const double e = scale_entropy ? scale_entropy[j] : 0.0;
    if (e != 0.0) {
      // ∂H/∂z_c = −π_c (log π_c + H)
      double* L = log_p_.col(j).data();
      if (!have_logs) h_[j] = entropy_categorical(P.col(j).data(), A, L);
      const double h = h_[j];
      for (int c = 0; c < A; ++c)
        if (P(c, j) > 0.0) dZ(c, j) -= e * P(c, j) * (L[c] + h);
    }
  }
  net_.backward(dZ, g);
}

}  // namespace pg
