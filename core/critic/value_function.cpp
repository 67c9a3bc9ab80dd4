#include "critic/value_function.h"

#include <cmath>

#include "util/cancel.h"
#include "util/error.h"

namespace pg {

namespace {

void check_targets(const Batch& batch, const std::vector<std::vector<double>>& targets) {
  PG_ASSERT(targets.size() == batch.trajectories.size(),
            "critic fit: one target vector per trajectory");
  for (size_t i = 0; i < targets.size(); ++i)
    PG_ASSERT(static_cast<int>(targets[i].size()) == batch.trajectories[i].length(),
              "critic fit: targets[i] needs one value per step of trajectory i");
}

}  // namespace

void ValueFunction::values(const Trajectory& tr, double* out) const {
  for (int t = 0; t < tr.length(); ++t) out[t] = value(tr.obs_at(t));
}

// ---------------------------------------------------------------------------------------------
// TabularValue

TabularValue::TabularValue(int num_obs, double lr)
    : lr_(lr), v_(Eigen::VectorXd::Zero(num_obs)), sum_(num_obs), count_(num_obs) {
  PG_ASSERT(num_obs > 0, "a tabular critic needs at least one observation");
}

double TabularValue::value(ObsRef o) const {
  PG_ASSERT(o.index >= 0 && o.index < v_.size(), "tabular critic needs a valid observation index");
  return v_[o.index];
}

void TabularValue::set_table(const Eigen::Ref<const Eigen::VectorXd>& v) {
  PG_ASSERT(v.size() == v_.size(), "value table has the wrong size");
  v_ = v;
}

double TabularValue::fit(const Batch& batch, const std::vector<std::vector<double>>& targets) {
  check_targets(batch, targets);
  sum_.setZero();
  count_.setZero();
  double sq = 0.0;
  long n = 0;
  for (int i = 0; i < batch.size(); ++i) {
    const Trajectory& tr = batch.trajectories[i];
    for (int t = 0; t < tr.length(); ++t) {
      const int o = tr.obs_index[t];
      PG_ASSERT(o >= 0 && o < v_.size(), "tabular critic needs a valid observation index");
      const double err = v_[o] - targets[i][t];
      sq += err * err;
      ++n;
      sum_[o] += targets[i][t];
      ++count_[o];
    }
  }
  // V(o) ← V(o) + lr · (mean target at o − V(o)), visited o only
  for (Eigen::Index o = 0; o < v_.size(); ++o)
    if (count_[o] > 0) {
      const double mean = sum_[o] / count_[o];
      v_[o] = lr_ == 1.0 ? mean : v_[o] + lr_ * (mean - v_[o]);
    }
  return n > 0 ? sq / static_cast<double>(n) : 0.0;
}

// ---------------------------------------------------------------------------------------------
// MlpValue

MlpValue::MlpValue(int obs_dim, const std::vector<int>& hidden, Activation activation, double lr,
                   int epochs, Rng& rng, Precision precision, const std::atomic<bool>* cancel)
    : net_(MlpShape{obs_dim, hidden, 1, activation, precision}), adam_(lr), epochs_(epochs) {
  PG_ASSERT(epochs >= 1, "an MLP critic needs at least one epoch per fit");
  net_.init(rng, std::sqrt(2.0), 1.0, cancel);
  theta_ = net_.params();
  grad_ = Eigen::VectorXd::Zero(net_.num_params());
}

double MlpValue::value(ObsRef o) const {
  PG_ASSERT(o.x != nullptr, "an MLP critic needs observation features (ObsRef::x)");
  return net_.forward(Eigen::Map<const Eigen::MatrixXd>(o.x, net_.shape().in, 1))(0, 0);
}

void MlpValue::values(const Trajectory& tr, double* out) const {
  const int T = tr.length();
  if (T == 0) return;
  PG_ASSERT(tr.obs_dim == net_.shape().in, "MLP critic: trajectory features have the wrong size");
  // Trajectory::obs is T rows of obs_dim, row-major = obs_dim × T column-major.
  const Eigen::Map<const Eigen::MatrixXd> X(tr.obs.data(), tr.obs_dim, T);
  Eigen::Map<Eigen::MatrixXd>(out, 1, T) = net_.forward(X);
}

double MlpValue::fit(const Batch& batch, const std::vector<std::vector<double>>& targets) {
  check_targets(batch, targets);
  const int dim = net_.shape().in;
  const int n = batch.num_steps();
  if (n == 0) return 0.0;
  if (x_.cols() < n) {
    x_.resize(dim, n);
    y_.resize(1, n);
    d_out_.resize(1, n);
  }
  int col = 0;
  for (int i = 0; i < batch.size(); ++i) {
    const Trajectory& tr = batch.trajectories[i];
    PG_ASSERT(tr.obs_dim == dim, "MLP critic: trajectory features have the wrong size");
    const int T = tr.length();
    x_.middleCols(col, T) = Eigen::Map<const Eigen::MatrixXd>(tr.obs.data(), dim, T);
    y_.middleCols(col, T) = Eigen::Map<const Eigen::MatrixXd>(targets[i].data(), 1, T);
    col += T;
  }
  const Eigen::Ref<const Eigen::MatrixXd> X = x_.leftCols(n);
  const Eigen::Ref<const Eigen::MatrixXd> y = y_.leftCols(n);
  Eigen::Ref<Eigen::MatrixXd> d_out = d_out_.leftCols(n);
  const double inv_n = 1.0 / n;
  double mse_before = 0.0;
  for (int e = 0; e < epochs_; ++e) {
    throw_if_cancelled(cancel_);  // critic.epochs may be 100000
    const Eigen::Ref<const Eigen::MatrixXd> v = net_.forward(X);
    // −∂L/∂V_j = −(1/N)(V_j − y_j): Adam ascends, so it is handed the descent direction −∇L.
    d_out = (y - v) * inv_n;
    if (e == 0) {
      // Summed in step order, the same order a caller summing per-step errors would use.
      for (int j = 0; j < n; ++j) mse_before += (v(0, j) - y(0, j)) * (v(0, j) - y(0, j));
      mse_before *= inv_n;
    }
    grad_.setZero();
    net_.backward(d_out, grad_);
    adam_.step(theta_, grad_);
    net_.set_params(theta_);
  }
  return mse_before;
}

// ---------------------------------------------------------------------------------------------
// make_critic

std::unique_ptr<ValueFunction> make_critic(const CriticConfig& config, int obs_dim, int num_obs,
                                           Rng& rng, const std::atomic<bool>* cancel) {
  if (config.kind == CriticKind::kTabular) {
    if (num_obs <= 0)
      throw InputError("critic.kind", "tabular critic needs a tabular environment; allowed: mlp");
    return std::make_unique<TabularValue>(num_obs, config.lr);
  }
  if (obs_dim <= 0)
    throw InputError("critic.kind", "mlp critic needs observation features; allowed: tabular");
  return std::make_unique<MlpValue>(obs_dim, config.hidden, Activation::kTanh, config.lr,
                                    config.epochs, rng, config.precision, cancel);
}

}  // namespace pg
