#include "critic/q_function.h"

#include "util/error.h"

namespace pg {

void QFunction::q_batch(const Eigen::Ref<const Eigen::MatrixXd>& X, const int* index, int n,
                        Eigen::Ref<Eigen::MatrixXd> out) const {
  for (int k = 0; k < n; ++k)
    q_values(ObsRef{index ? index[k] : -1, X.size() ? X.col(k).data() : nullptr},
             out.col(k).data());
}

void polyak(const QFunction& source, double tau, QFunction& target, Eigen::VectorXd& scratch) {
  scratch = tau * source.params() + (1.0 - tau) * target.params();
  target.set_params(scratch);
}

TabularQ::TabularQ(int num_obs, int num_actions, double lr)
    : A_(num_actions),
      lr_(lr),
      q_(Eigen::VectorXd::Zero(static_cast<Eigen::Index>(num_obs) * num_actions)),
      sum_(Eigen::VectorXd::Zero(q_.size())),
      count_(Eigen::VectorXi::Zero(q_.size())) {}

void TabularQ::q_values(ObsRef o, double* q) const {
  PG_ASSERT(o.index >= 0 && (o.index + 1) * A_ <= q_.size(), "TabularQ needs a tabular index");
  for (int a = 0; a < A_; ++a) q[a] = q_[o.index * A_ + a];
}

double TabularQ::fit_step(const ReplayBuffer& buf, const int* idx, const double* y, int B) {
  double loss = 0.0;
  for (int b = 0; b < B; ++b) {
    const int e = buf.obs(idx[b]).index * A_ + buf.action(idx[b]);
    const double r = q_[e] - y[b];
    loss += 0.5 * r * r;
    sum_[e] += y[b];
    ++count_[e];
  }
  // Each visited entry moves once, then its scratch is cleared (only the visited ones are touched).
  for (int b = 0; b < B; ++b) {
    const int e = buf.obs(idx[b]).index * A_ + buf.action(idx[b]);
    if (count_[e] == 0) continue;
    q_[e] += lr_ * (sum_[e] / count_[e] - q_[e]);
    sum_[e] = 0.0;
    count_[e] = 0;
  }
  return B > 0 ? loss / B : 0.0;
}

void TabularQ::set_params(const Eigen::Ref<const Eigen::VectorXd>& phi) {
  PG_ASSERT(phi.size() == q_.size(), "TabularQ::set_params: wrong size");
  q_ = phi;
}

MlpQ::MlpQ(int obs_dim, const std::vector<int>& hidden, int num_actions, double lr, Rng& rng,
           const std::atomic<bool>* cancel)
    : net_(MlpShape{obs_dim, hidden, num_actions, Activation::kTanh}), adam_(lr) {
  net_.init(rng, 1.4142135623730951, 1.0, cancel);
}

void MlpQ::q_values(ObsRef o, double* q) const {
  const Eigen::Map<const Eigen::VectorXd> x(o.x, net_.shape().in);
  const Eigen::Ref<const Eigen::MatrixXd> out = net_.forward(x);
  for (int a = 0; a < out.rows(); ++a) q[a] = out(a, 0);
}

void MlpQ::q_batch(const Eigen::Ref<const Eigen::MatrixXd>& X, const int* index, int n,
                   Eigen::Ref<Eigen::MatrixXd> out) const {
  (void)index;
  out.leftCols(n) = net_.forward(X.leftCols(n));
}

double MlpQ::fit_step(const ReplayBuffer& buf, const int* idx, const double* y, int B) {
  const int dim = net_.shape().in, A = net_.shape().out;
  if (x_.rows() != dim || x_.cols() < B) x_.resize(dim, B);
  if (d_out_.rows() != A || d_out_.cols() < B) d_out_.resize(A, B);
  for (int b = 0; b < B; ++b) x_.col(b) = Eigen::Map<const Eigen::VectorXd>(buf.obs(idx[b]).x, dim);
  const Eigen::Ref<const Eigen::MatrixXd> q = net_.forward(x_.leftCols(B));
  // −∂L/∂Q(s_b, a_b) = −(Q − y)/B on the taken action's output, 0 on the others.
  double loss = 0.0;
  d_out_.leftCols(B).setZero();
  for (int b = 0; b < B; ++b) {
    const double r = q(buf.action(idx[b]), b) - y[b];
    loss += 0.5 * r * r;
    d_out_(buf.action(idx[b]), b) = -r / B;
  }
  grad_.setZero(net_.num_params());
  net_.backward(d_out_.leftCols(B), grad_);
  theta_ = net_.params();
  adam_.step(theta_, grad_);
  net_.set_params(theta_);
  return B > 0 ? loss / B : 0.0;
}

MlpActionQ::MlpActionQ(int obs_dim, int action_dim, const std::vector<int>& hidden, double lr,
                       Rng& rng, const std::atomic<bool>* cancel)
    : obs_dim_(obs_dim),
      action_dim_(action_dim),
      net_(MlpShape{obs_dim + action_dim, hidden, 1, Activation::kTanh}),
      adam_(lr) {
  net_.init(rng, 1.4142135623730951, 1.0, cancel);
}

void MlpActionQ::q_values(ObsRef, double*) const {
  PG_ASSERT(false, "Q over continuous actions has no table Q(s, ·); use q_sa");
}

void MlpActionQ::q_sa(const Eigen::Ref<const Eigen::MatrixXd>& XA, int n, double* q) const {
  const Eigen::Ref<const Eigen::MatrixXd> out = net_.forward(XA.leftCols(n));
  for (int j = 0; j < n; ++j) q[j] = out(0, j);
}

void MlpActionQ::q_sa_grad_action(const Eigen::Ref<const Eigen::MatrixXd>& XA, int n, double* q,
                                  Eigen::Ref<Eigen::MatrixXd> dq_da) const {
  q_sa(XA, n, q);
  const int in = obs_dim_ + action_dim_;
  if (ones_.cols() < n) ones_.setOnes(1, n);
  if (dxa_.rows() != in || dxa_.cols() < n) dxa_.resize(in, n);
  unused_g_.setZero(net_.num_params());
  // ∂(Σ_j Q(s_j, a_j))/∂a_j = ∂Q(s_j, a)/∂a at a_j: the samples do not mix.
  net_.backward(ones_.leftCols(n), unused_g_, dxa_.leftCols(n));
  dq_da.leftCols(n) = dxa_.block(obs_dim_, 0, action_dim_, n);
}

double MlpActionQ::loss_grad(const ReplayBuffer& buf, const int* idx, const double* y, int B,
                             Eigen::VectorXd& g) {
  PG_ASSERT(buf.obs_dim() == obs_dim_ && buf.action_dim() == action_dim_,
            "MlpActionQ: the replay buffer's features and actions do not fit this critic");
  const int in = obs_dim_ + action_dim_;
  if (xa_.rows() != in || xa_.cols() < B) xa_.resize(in, B);
  if (d_out_.cols() < B) d_out_.resize(1, B);
  for (int b = 0; b < B; ++b) {
    if (obs_dim_ > 0)
      xa_.col(b).head(obs_dim_) = Eigen::Map<const Eigen::VectorXd>(buf.obs(idx[b]).x, obs_dim_);
    xa_.col(b).tail(action_dim_) = Eigen::Map<const Eigen::VectorXd>(buf.act(idx[b]), action_dim_);
  }
  const Eigen::Ref<const Eigen::MatrixXd> q = net_.forward(xa_.leftCols(B));
  // ∂L/∂Q(s_b, a_b) = (Q − y)/B
  double loss = 0.0;
  for (int b = 0; b < B; ++b) {
    const double r = q(0, b) - y[b];
    loss += 0.5 * r * r;
    d_out_(0, b) = r / B;
  }
  g.setZero(net_.num_params());
  net_.backward(d_out_.leftCols(B), g);
  return B > 0 ? loss / B : 0.0;
}

double MlpActionQ::fit_step(const ReplayBuffer& buf, const int* idx, const double* y, int B) {
  const double loss = loss_grad(buf, idx, y, B, grad_);
  grad_ = -grad_;  // the optimizer ascends: step along −∇L
  theta_ = net_.params();
  adam_.step(theta_, grad_);
  net_.set_params(theta_);
  return loss;
}

std::unique_ptr<QFunction> make_q_function(CriticKind kind, int obs_dim, int num_obs,
                                           int num_actions, const std::vector<int>& hidden,
                                           double lr, Rng& rng, int action_dim,
                                           const std::atomic<bool>* cancel) {
  if (action_dim > 0) {
    if (kind != CriticKind::kMlp)
      throw InputError("critic.kind",
                       "a Q critic over continuous actions takes the action as an input; "
                       "allowed: mlp");
    return std::make_unique<MlpActionQ>(obs_dim, action_dim, hidden, lr, rng, cancel);
  }
  if (kind == CriticKind::kTabular) {
    if (num_obs <= 0)
      throw InputError("critic.kind",
                       "a tabular Q critic needs tabular observations; allowed here: mlp");
    return std::make_unique<TabularQ>(num_obs, num_actions, lr);
  }
  if (obs_dim <= 0)
    throw InputError("critic.kind", "an mlp Q critic needs observation features; allowed: tabular");
  return std::make_unique<MlpQ>(obs_dim, hidden, num_actions, lr, rng, cancel);
}

}  // namespace pg
