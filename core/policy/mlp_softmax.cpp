#include "policy/mlp_softmax.h"

#include <cmath>

#include "estimator/kl.h"
#include "util/error.h"

namespace pg {

MlpSoftmax::MlpSoftmax(int obs_dim, const std::vector<int>& hidden, Activation activation,
                       int num_actions, Rng& rng, Precision precision,
                       const std::atomic<bool>* cancel)
    : net_(MlpShape{obs_dim, hidden, num_actions, activation, precision}) {
  PG_ASSERT(obs_dim > 0 && num_actions > 0, "an MLP policy needs observation features and actions");
  net_.init(rng, std::sqrt(2.0), 0.01, cancel);
  reserve(1);
}

void MlpSoftmax::reserve(int n) const {
  if (p_.cols() >= n) return;
  p_.resize(num_actions(), n);
  dz_.resize(num_actions(), n);
  log_p_.resize(num_actions(), n);
  h_.resize(n);
}

void MlpSoftmax::softmax_columns(const Eigen::Ref<const Eigen::MatrixXd>& Z,
                                 Eigen::Ref<Eigen::MatrixXd> P) {
  const int A = static_cast<int>(Z.rows());
  for (Eigen::Index j = 0; j < Z.cols(); ++j) {
    const double* z = Z.col(j).data();
    double* p = P.col(j).data();
    double zmax = z[0];
    for (int a = 1; a < A; ++a) zmax = std::max(zmax, z[a]);
    double sum = 0.0;
    for (int a = 0; a < A; ++a) sum += (p[a] = std::exp(z[a] - zmax));
    const double inv = 1.0 / sum;
    for (int a = 0; a < A; ++a) p[a] *= inv;
  }
}

void MlpSoftmax::probs(ObsRef o, double* p) const {
  PG_ASSERT(o.x != nullptr, "an MLP policy needs observation features (ObsRef::x)");
  logs_cols_ = -1;  // a new forward: log_prob_batch's logs are no longer this network's pass
  const Eigen::Map<const Eigen::MatrixXd> x(o.x, obs_dim(), 1);
  softmax_columns(net_.forward(x), Eigen::Map<Eigen::MatrixXd>(p, num_actions(), 1));
}

void MlpSoftmax::probs_batch(const Eigen::Ref<const Eigen::MatrixXd>& X,
                             Eigen::Ref<Eigen::MatrixXd> P) const {
  PG_ASSERT(P.rows() == num_actions() && P.cols() == X.cols(), "probs_batch: P must be A × n");
  logs_cols_ = -1;
  softmax_columns(net_.forward(X), P);
}

void MlpSoftmax::add_grad_log_prob(ObsRef o, ActRef act, double scale,
                                   Eigen::Ref<Eigen::VectorXd> g) const {
  add_grad_log_prob_batch(Eigen::Map<const Eigen::MatrixXd>(o.x, obs_dim(), 1), nullptr, &act.index,
                          &scale, 1, g);
}

void MlpSoftmax::add_grad_log_prob_batch(const Eigen::Ref<const Eigen::MatrixXd>& X,
                                         const int* /*index*/, ActionsRef actions,
                                         const double* scales, int n,
                                         Eigen::Ref<Eigen::VectorXd> g) const {
  PG_ASSERT(X.rows() == obs_dim() && X.cols() == n,
            "add_grad_log_prob_batch: X must be obs_dim × n");
  if (n == 0) return;
  reserve(n);
  logs_cols_ = -1;
  Eigen::Ref<Eigen::MatrixXd> P = p_.leftCols(n);
  Eigen::Ref<Eigen::MatrixXd> dZ = dz_.leftCols(n);
  softmax_columns(net_.forward(X), P);
  // ∂/∂z_j = scale_j · (onehot(a_j) − π(·|x_j))
  const int A = num_actions();
  for (int j = 0; j < n; ++j) {
    PG_ASSERT(actions.index[j] >= 0 && actions.index[j] < A, "action index out of range");
    dZ.col(j) = -scales[j] * P.col(j);
    dZ(actions.index[j], j) += scales[j];
  }
  net_.backward(dZ, g);
}

void MlpSoftmax::add_grad_entropy(ObsRef o, double scale, Eigen::Ref<Eigen::VectorXd> g) const {
  PG_ASSERT(o.x != nullptr, "an MLP policy needs observation features (ObsRef::x)");
  logs_cols_ = -1;
  Eigen::Ref<Eigen::MatrixXd> P = p_.leftCols(1);
  Eigen::Ref<Eigen::MatrixXd> dZ = dz_.leftCols(1);
  softmax_columns(net_.forward(Eigen::Map<const Eigen::MatrixXd>(o.x, obs_dim(), 1)), P);
  const int A = num_actions();
  const double h = entropy_categorical(P.col(0).data(), A);
  // ∂H/∂z_c = −π_c (log π_c + H)
  for (int c = 0; c < A; ++c)
    dZ(c, 0) = P(c, 0) > 0.0 ? -scale * P(c, 0) * (std::log(P(c, 0)) + h) : 0.0;
  net_.backward(dZ, g);
}

}  // namespace pg
