#include "policy/gaussian.h"

#include <algorithm>
#include <cmath>

#include "util/error.h"

namespace pg {

namespace {

constexpr double kHalfLog2Pi = 0.91893853320467274178;   // ½ log 2π
constexpr double kHalfLog2PiE = 1.41893853320467274178;  // ½ log 2πe
constexpr double kLog2 = 0.69314718055994530942;

// log(1 − tanh² u) = 2 (log 2 − u − softplus(−2u)), softplus(x) = log(1 + eˣ) computed stably.
double log1m_tanh2(double u) {
  const double x = -2.0 * u;
  const double softplus = x > 0.0 ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x));
  return 2.0 * (kLog2 - u - softplus);
}

}  // namespace

GaussianPolicy::GaussianPolicy(const GaussianConfig& config, Rng& rng,
                               const std::atomic<bool>* cancel)
    : config_(config), d_(config.action_dim) {
  PG_ASSERT(d_ > 0, "a Gaussian policy needs action_dim > 0");
  PG_ASSERT(
      static_cast<int>(config_.low.size()) == d_ && static_cast<int>(config_.high.size()) == d_,
      "GaussianConfig: one bound per action dimension in low and high");
  PG_ASSERT(config_.obs_dim > 0 || !config_.state_dependent_std,
            "a state-dependent σ needs observation features");
  int n_mean = d_;
  if (has_network()) {
    const int out = config_.state_dependent_std ? 2 * d_ : d_;
    net_ =
        Mlp(MlpShape{config_.obs_dim, config_.hidden, out, config_.activation, config_.precision});
    net_.init(rng, std::sqrt(2.0), config_.init_last_gain, cancel);
    n_mean = net_.num_params();
  }
  log_std_off_ = n_mean;
  theta_ = Eigen::VectorXd::Zero(n_mean + (config_.state_dependent_std ? 0 : d_));
  if (has_network()) {
    theta_.head(n_mean) = net_.params();
    if (config_.state_dependent_std) {
      // log σ starts at init_log_std: the bias of the log σ outputs.
      const int L = net_.num_layers();
      for (int i = 0; i < d_; ++i) theta_[net_.b_offset(L - 1) + d_ + i] = config_.init_log_std;
      net_.set_params(theta_);
    }
  }
  if (!config_.state_dependent_std) theta_.tail(d_).setConstant(config_.init_log_std);
  reserve(1);
}

void GaussianPolicy::set_params(const Eigen::Ref<const Eigen::VectorXd>& theta) {
  PG_ASSERT(theta.size() == theta_.size(), "parameter vector has the wrong size for this policy");
  theta_ = theta;
  if (has_network()) net_.set_params(theta_.head(net_.num_params()));
}

void GaussianPolicy::reserve(int n) const {
  if (mu_.cols() >= n) return;
  mu_.resize(d_, n);
  ls_.resize(d_, n);
  dmu_.resize(d_, n);
  dls_.resize(d_, n);
  if (has_network()) dout_.resize(net_.shape().out, n);
}

void GaussianPolicy::forward(const Eigen::Ref<const Eigen::MatrixXd>& X, int n) const {
  reserve(std::max(n, 1));
  if (!has_network()) {
    for (int j = 0; j < n; ++j) mu_.col(j) = theta_.head(d_);
  } else {
    PG_ASSERT(X.rows() == config_.obs_dim && X.cols() == n,
              "a Gaussian policy with a network needs X = obs_dim × n features");
    const Eigen::Ref<const Eigen::MatrixXd> out = net_.forward(X);
    mu_.leftCols(n) = out.topRows(d_);
    if (config_.state_dependent_std) ls_.leftCols(n) = out.bottomRows(d_);
  }
  if (!config_.state_dependent_std)
    for (int j = 0; j < n; ++j) ls_.col(j) = theta_.segment(log_std_off_, d_);
}

void GaussianPolicy::backward(int n, Eigen::Ref<Eigen::VectorXd> g) const {
  PG_ASSERT(g.size() == theta_.size(), "gradient vector has the wrong size for this policy");
  if (!has_network()) {
    g.head(d_) += dmu_.leftCols(n).rowwise().sum();
  } else {
    dout_.leftCols(n).topRows(d_) = dmu_.leftCols(n);
    if (config_.state_dependent_std) dout_.leftCols(n).bottomRows(d_) = dls_.leftCols(n);
    net_.backward(dout_.leftCols(n), g.head(net_.num_params()));
  }
  if (!config_.state_dependent_std) g.segment(log_std_off_, d_) += dls_.leftCols(n).rowwise().sum();
}

namespace {

// The single-observation features as a 1-column matrix (none without a network).
Eigen::Map<const Eigen::MatrixXd> column(ObsRef o, int obs_dim) {
  PG_ASSERT(obs_dim == 0 || o.x != nullptr, "a Gaussian policy needs observation features");
  return Eigen::Map<const Eigen::MatrixXd>(o.x, obs_dim, obs_dim > 0 ? 1 : 0);
}

}  // namespace

void GaussianPolicy::mean_log_std(ObsRef o, double* mu, double* log_std) const {
  forward(column(o, config_.obs_dim), 1);
  for (int i = 0; i < d_; ++i) {
    mu[i] = mu_(i, 0);
    log_std[i] = ls_(i, 0);
  }
}

void GaussianPolicy::add_grad_mean_log_std(ObsRef o, const double* dmu, const double* dlog_std,
                                           double scale, Eigen::Ref<Eigen::VectorXd> g) const {
  forward(column(o, config_.obs_dim), 1);
  for (int i = 0; i < d_; ++i) {
    dmu_(i, 0) = scale * dmu[i];
    dls_(i, 0) = scale * dlog_std[i];
  }
  backward(1, g);
}

void GaussianPolicy::probs(ObsRef, double*) const {
  PG_ASSERT(false, "a Gaussian policy has a density, not a probability table; use log_prob");
}

double GaussianPolicy::log_normal(const double* u, const double* mu, const double* log_std, int d) {
  double lp = 0.0;
  for (int i = 0; i < d; ++i) {
    const double z = (u[i] - mu[i]) * std::exp(-log_std[i]);
    lp += -0.5 * z * z - log_std[i] - kHalfLog2Pi;
  }
  return lp;
}

double GaussianPolicy::log_det_squash(const double* u) const {
  if (!config_.squash) return 0.0;
  double s = 0.0;
  for (int i = 0; i < d_; ++i)
    s += std::log(0.5 * (config_.high[i] - config_.low[i])) + log1m_tanh2(u[i]);
  return s;
}

double GaussianPolicy::log_prob(ObsRef o, ActRef a) const {
  PG_ASSERT(a.u != nullptr, "a Gaussian policy's action is a vector u (ActRef::u)");
  forward(column(o, config_.obs_dim), 1);
  return log_normal(a.u, mu_.col(0).data(), ls_.col(0).data(), d_) - log_det_squash(a.u);
}

double GaussianPolicy::sample(ObsRef o, Rng& rng, int* index, double* u) const {
  forward(column(o, config_.obs_dim), 1);
  // u = μ + σ ε, one standard normal per dimension (Rng::normal: two uniforms each)
  for (int i = 0; i < d_; ++i) u[i] = mu_(i, 0) + std::exp(ls_(i, 0)) * rng.normal();
  if (index) *index = -1;
  return log_normal(u, mu_.col(0).data(), ls_.col(0).data(), d_) - log_det_squash(u);
}

void GaussianPolicy::env_action(const double* u, double* out) const {
  for (int i = 0; i < d_; ++i)
    out[i] = config_.squash ? config_.low[i] +
                                  (std::tanh(u[i]) + 1.0) * 0.5 * (config_.high[i] - config_.low[i])
                            : u[i];
}

double GaussianPolicy::entropy(ObsRef o) const {
  forward(column(o, config_.obs_dim), 1);
  double h = 0.0;
  for (int i = 0; i < d_; ++i) h += ls_(i, 0) + kHalfLog2PiE;
  return h;
}

double GaussianPolicy::kl(ObsRef o, const Policy& other) const {
  const auto* q = dynamic_cast<const GaussianPolicy*>(&other);
  PG_ASSERT(q && q->d_ == d_, "kl: both policies must be Gaussian with the same action_dim");
  std::vector<double> buf(static_cast<size_t>(4 * d_));
  double *mp = buf.data(), *lp = mp + d_, *mq = lp + d_, *lq = mq + d_;
  mean_log_std(o, mp, lp);
  q->mean_log_std(o, mq, lq);
  double kl = 0.0;
  for (int i = 0; i < d_; ++i) {
    const double vp = std::exp(2.0 * lp[i]), vq = std::exp(2.0 * lq[i]);
    const double dm = mp[i] - mq[i];
    kl += lq[i] - lp[i] + (vp + dm * dm) / (2.0 * vq) - 0.5;
  }
  return kl;
}

void GaussianPolicy::add_grad_log_prob(ObsRef o, ActRef a, double scale,
                                       Eigen::Ref<Eigen::VectorXd> g) const {
  add_grad_log_prob_batch(column(o, config_.obs_dim), nullptr, ActionsRef(nullptr, a.u, d_), &scale,
                          1, g);
}

void GaussianPolicy::add_grad_entropy(ObsRef o, double scale, Eigen::Ref<Eigen::VectorXd> g) const {
  const double* x = nullptr;
  add_grad_surrogate_batch(column(o, config_.obs_dim), nullptr, ActionsRef(nullptr, x, d_), nullptr,
                           &scale, 1, g);
}

void GaussianPolicy::add_grad_log_prob_batch(const Eigen::Ref<const Eigen::MatrixXd>& X,
                                             const int* index, ActionsRef actions,
                                             const double* scales, int n,
                                             Eigen::Ref<Eigen::VectorXd> g) const {
  add_grad_surrogate_batch(X, index, actions, scales, nullptr, n, g);
}

void GaussianPolicy::log_prob_batch(const Eigen::Ref<const Eigen::MatrixXd>& X,
                                    const int* /*index*/, ActionsRef actions, int n, double* logp,
                                    double* entropy) const {
  if (n == 0) return;
  PG_ASSERT(actions.u != nullptr && actions.dim == d_,
            "a Gaussian policy's actions are n × action_dim values (ActionsRef::u)");
  forward(X, n);
  for (int j = 0; j < n; ++j) {
    const double* u = actions.u + static_cast<size_t>(j) * d_;
    logp[j] = log_normal(u, mu_.col(j).data(), ls_.col(j).data(), d_) - log_det_squash(u);
    if (entropy) {
      double h = 0.0;
      for (int i = 0; i < d_; ++i) h += ls_(i, j) + kHalfLog2PiE;
      entropy[j] = h;
    }
  }
}

void GaussianPolicy::add_grad_surrogate_batch(const Eigen::Ref<const Eigen::MatrixXd>& X,
                                              const int* /*index*/, ActionsRef actions,
                                              const double* scale_logp, const double* scale_entropy,
                                              int n, Eigen::Ref<Eigen::VectorXd> g,
                                              bool reuse_forward) const {
  if (n == 0) return;
  if (reuse_forward)
    // mu_, ls_ and the network's cache still hold log_prob_batch's pass over this X.
    PG_ASSERT(!has_network() || net_.last_batch() == n,
              "reuse_forward: call log_prob_batch on the same X right before");
  else
    forward(X, n);
  for (int j = 0; j < n; ++j) {
    const double s = scale_logp ? scale_logp[j] : 0.0;
    const double e = scale_entropy ? scale_entropy[j] : 0.0;
    PG_ASSERT(s == 0.0 || actions.u != nullptr, "a Gaussian policy's actions are ActionsRef::u");
    for (int i = 0; i < d_; ++i) {
      if (s == 0.0) {
        dmu_(i, j) = 0.0;
        dls_(i, j) = e;  // ∂H/∂log σ_i = 1
        continue;
      }
      // z = (u − μ)/σ:  ∂ log N/∂μ = z/σ,  ∂ log N/∂log σ = z² − 1
      const double inv_sigma = std::exp(-ls_(i, j));
      const double z = (actions.u[static_cast<size_t>(j) * d_ + i] - mu_(i, j)) * inv_sigma;
      dmu_(i, j) = s * z * inv_sigma;
      dls_(i, j) = s * (z * z - 1.0) + e;
    }
  }
  backward(n, g);
}

double GaussianPolicy::reparam_sample(ObsRef o, const double* eps, double* a, double* u_out) const {
  double lp = 0.0;
  reparam_sample_batch(column(o, config_.obs_dim), Eigen::Map<const Eigen::MatrixXd>(eps, d_, 1), 1,
                       Eigen::Map<Eigen::MatrixXd>(a, d_, 1), &lp, u_out);
  return lp;
}

void GaussianPolicy::add_grad_reparam(ObsRef o, const double* eps, const double* dL_da,
                                      double dL_dlogp, double scale,
                                      Eigen::Ref<Eigen::VectorXd> g) const {
  add_grad_reparam_batch(column(o, config_.obs_dim), Eigen::Map<const Eigen::MatrixXd>(eps, d_, 1),
                         Eigen::Map<const Eigen::MatrixXd>(dL_da, d_, 1), &dL_dlogp, 1, scale, g);
}

void GaussianPolicy::reparam_sample_batch(const Eigen::Ref<const Eigen::MatrixXd>& X,
                                          const Eigen::Ref<const Eigen::MatrixXd>& eps, int n,
                                          Eigen::Ref<Eigen::MatrixXd> a, double* logp,
                                          double* u_out) const {
  PG_ASSERT(eps.rows() == d_ && eps.cols() >= n && a.rows() == d_ && a.cols() >= n,
            "reparam_sample_batch: eps and a are action_dim × n");
  if (n == 0) return;
  forward(X, n);
  for (int j = 0; j < n; ++j) {
    double* aj = a.col(j).data();
    double lp = 0.0;
    for (int i = 0; i < d_; ++i) {
      aj[i] = mu_(i, j) + std::exp(ls_(i, j)) * eps(i, j);  // u, squashed in place below
      // log N(u) with z = ε exactly
      lp += -0.5 * eps(i, j) * eps(i, j) - ls_(i, j) - kHalfLog2Pi;
    }
    if (u_out) std::copy(aj, aj + d_, u_out + static_cast<size_t>(j) * d_);
    logp[j] = lp - log_det_squash(aj);
    env_action(aj, aj);  // elementwise: in place is safe
  }
}

void GaussianPolicy::add_grad_reparam_batch(const Eigen::Ref<const Eigen::MatrixXd>& X,
                                            const Eigen::Ref<const Eigen::MatrixXd>& eps,
                                            const Eigen::Ref<const Eigen::MatrixXd>& dL_da,
                                            const double* dL_dlogp, int n, double scale,
                                            Eigen::Ref<Eigen::VectorXd> g) const {
  PG_ASSERT(eps.rows() == d_ && eps.cols() >= n && dL_da.rows() == d_ && dL_da.cols() >= n,
            "add_grad_reparam_batch: eps and dL_da are action_dim × n");
  if (n == 0) return;
  forward(X, n);
  for (int j = 0; j < n; ++j) {
    for (int i = 0; i < d_; ++i) {
      const double sigma = std::exp(ls_(i, j));
      const double u = mu_(i, j) + sigma * eps(i, j);
      // ∂u/∂μ = 1, ∂u/∂log σ = σε. Squashed: a = lo + (tanh u + 1)(hi − lo)/2,
      //   ∂a/∂u = (hi − lo)/2 · (1 − tanh² u),  ∂(−log-det)/∂u = 2 tanh u.
      // log N(u(θ, ε)) = Σ −ε²/2 − log σ − ½ log 2π: ∂/∂log σ = −1, ∂/∂μ = 0.
      double da_du = 1.0, dlogp_du = 0.0;
      if (config_.squash) {
        const double t = std::tanh(u);
        da_du = 0.5 * (config_.high[i] - config_.low[i]) * (1.0 - t * t);
        dlogp_du = 2.0 * t;
      }
      const double du = dL_da(i, j) * da_du + dL_dlogp[j] * dlogp_du;
      dmu_(i, j) = scale * du;
      dls_(i, j) = scale * (du * sigma * eps(i, j) - dL_dlogp[j]);
    }
  }
  backward(n, g);
}

}  // namespace pg
