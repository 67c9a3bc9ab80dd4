#pragma once
// Diagonal Gaussian policy over continuous actions u ∈ ℝ^d (d = action_dim()):
//   u ~ N(μ_θ(o), diag σ_θ(o)²),   log σ state-independent (free parameters) or state-dependent
//   (more outputs of the mean network).
//
//   log N(u) = Σ_i [ −(u_i − μ_i)² / (2σ_i²) − log σ_i − ½ log 2π ]
//   ∂ log N / ∂μ_i     = (u_i − μ_i) / σ_i²
//   ∂ log N / ∂log σ_i = (u_i − μ_i)² / σ_i² − 1
//   H = Σ_i (log σ_i + ½ log 2πe),   ∂H/∂log σ_i = 1
//   KL(N_p ‖ N_q) = Σ_i [ log(σq_i/σp_i) + (σp_i² + (μp_i − μq_i)²) / (2σq_i²) − ½ ]
//
// The mean head: an Mlp on the observation's features (hidden layers as given, none = linear), or,
// for a world with no observation features (obs_dim 0, the continuous bandit), the mean itself as
// d free parameters.
//
// Parameter layout θ (the batch dump's and every gradient's):
//   [mean network: per layer W (out×in) row-major, then b  |  or μ (d values) without features]
//   [log σ (d values), state-independent only]
//   The network's output is μ (d rows), then, state-dependent, log σ (d more rows).
//
// Action bounds as Gymnasium does them: the sample u is the action; log π is u's density and the
// environment clips u to its bounds (env_action() returns u). With `squash` (tanh, for SAC-style
// learners), the environment receives a = lo + (tanh(u) + 1)(hi − lo)/2 inside the bounds, and
//   log π(a) = log N(u) − Σ_i log( (hi_i − lo_i)/2 · (1 − tanh² u_i) ),
// where log(1 − tanh² u) = 2 (log 2 − u − softplus(−2u)) (no cancellation for large |u|).
// Trajectories keep u, so for a stored action the correction does not depend on θ and
// ∇θ log π(a) = ∇θ log N(u). entropy() is the Gaussian's (the squashed density has no closed-form
// entropy; E[−log π(a)] = H + E[Σ log-det]).
//
// Reparameterised samples (for an off-policy learner): u = μ + σ ⊙ ε with ε ~ N(0, I) held fixed;
// reparam_sample gives a(θ, ε) and log π(a(θ, ε)); add_grad_reparam backpropagates ∂L/∂a and
// ∂L/∂log π through both into θ.

#include <vector>

#include "nn/mlp.h"
#include "policy/policy.h"

namespace pg {

struct GaussianConfig {
  int obs_dim = 0;  // 0: no features, the mean is d free parameters
  int action_dim = 1;
  std::vector<int> hidden = {64, 64};
  Activation activation = Activation::kTanh;
  bool state_dependent_std = false;
  double init_log_std = 0.0;  // initial log σ (state-independent: the parameters; dependent: bias)
  bool squash = false;
  std::vector<double> low = {-1.0};  // the environment's action bounds (squashing reads them)
  std::vector<double> high = {1.0};
  double init_last_gain = 0.01;  // gain of the mean layer's orthogonal init (μ starts near 0)
  Precision precision = Precision::kFloat64;  // the mean network's (policy.precision)
};

class GaussianPolicy final : public Policy {
 public:
  // cancel: polled between the mean network's init layers (Mlp::init: throws Cancelled).
  GaussianPolicy(const GaussianConfig& config, Rng& rng, const std::atomic<bool>* cancel = nullptr);

  PolicyKind kind() const override { return PolicyKind::kGaussian; }
  int num_actions() const override { return 0; }
  int action_dim() const override { return d_; }
  int num_params() const override { return static_cast<int>(theta_.size()); }
  const Eigen::VectorXd& params() const override { return theta_; }
  void set_params(const Eigen::Ref<const Eigen::VectorXd>& theta) override;
  const GaussianConfig& config() const { return config_; }
  bool has_network() const { return config_.obs_dim > 0; }
  // The mean network (has_network() only): outputs μ, then log σ when state-dependent.
  const Mlp& net() const { return net_; }
  // Offset of the state-independent log σ in θ (−1 when state-dependent).
  int log_std_offset() const { return config_.state_dependent_std ? -1 : log_std_off_; }

  // μ(o) and log σ(o), d values each.
  void mean_log_std(ObsRef o, double* mu, double* log_std) const;
  // g += scale · (∂/∂θ of Σ_i dmu_i μ_i(o) + dlog_std_i log σ_i(o)): the chain rule every
  // gradient here goes through.
  void add_grad_mean_log_std(ObsRef o, const double* dmu, const double* dlog_std, double scale,
                             Eigen::Ref<Eigen::VectorXd> g) const;

  void probs(ObsRef o, double* p) const override;  // not defined for a density: asserts
  double log_prob(ObsRef o, ActRef a) const override;
  double sample(ObsRef o, Rng& rng, int* index, double* u) const override;
  void env_action(const double* u, double* out) const override;
  double kl(ObsRef o, const Policy& other) const override;
  double entropy(ObsRef o) const override;
  void add_grad_log_prob(ObsRef o, ActRef a, double scale,
                         Eigen::Ref<Eigen::VectorXd> g) const override;
  void add_grad_entropy(ObsRef o, double scale, Eigen::Ref<Eigen::VectorXd> g) const override;

  // Batched forms: one forward (and one backward) of the network over the n columns of X.
  void add_grad_log_prob_batch(const Eigen::Ref<const Eigen::MatrixXd>& X, const int* index,
                               ActionsRef actions, const double* scales, int n,
                               Eigen::Ref<Eigen::VectorXd> g) const override;
  void log_prob_batch(const Eigen::Ref<const Eigen::MatrixXd>& X, const int* index,
                      ActionsRef actions, int n, double* logp, double* entropy) const override;
  void add_grad_surrogate_batch(const Eigen::Ref<const Eigen::MatrixXd>& X, const int* index,
                                ActionsRef actions, const double* scale_logp,
                                const double* scale_entropy, int n, Eigen::Ref<Eigen::VectorXd> g,
                                bool reuse_forward = false) const override;

  // Σ_i log((hi_i − lo_i)/2 · (1 − tanh² u_i)): what squashing subtracts from log N(u) (0 without
  // squashing).
  double log_det_squash(const double* u) const;
  // log N(u; μ, σ) for given μ, log σ (d values each).
  static double log_normal(const double* u, const double* mu, const double* log_std, int d);

  // a = env_action(μ + σ ⊙ eps) and returns log π(a) (u written to u_out when not null).
  double reparam_sample(ObsRef o, const double* eps, double* a, double* u_out = nullptr) const;
  // g += scale · ∂/∂θ [ Σ_i dL_da_i a_i(θ, ε) + dL_dlogp · log π(a(θ, ε)) ].
  void add_grad_reparam(ObsRef o, const double* eps, const double* dL_da, double dL_dlogp,
                        double scale, Eigen::Ref<Eigen::VectorXd> g) const;
  // Batched forms over the n columns of X (obs_dim × n; no rows without a network) with eps
  // (d × n), one forward each (SAC's minibatches; no allocation once warm):
  //   a (d × n) = env_action(μ(x_j) + σ(x_j) ⊙ ε_j), logp[j] = log π(a_j|x_j), u_out (d × n,
  //   when not null) = the unsquashed μ + σ ⊙ ε;
  //   g += scale · Σ_j ∂/∂θ [ Σ_i dL_da(i,j) a_ij(θ, ε_j) + dL_dlogp[j] · log π(a_j(θ, ε_j)) ].
  void reparam_sample_batch(const Eigen::Ref<const Eigen::MatrixXd>& X,
                            const Eigen::Ref<const Eigen::MatrixXd>& eps, int n,
                            Eigen::Ref<Eigen::MatrixXd> a, double* logp,
                            double* u_out = nullptr) const;
  void add_grad_reparam_batch(const Eigen::Ref<const Eigen::MatrixXd>& X,
                              const Eigen::Ref<const Eigen::MatrixXd>& eps,
                              const Eigen::Ref<const Eigen::MatrixXd>& dL_da,
                              const double* dL_dlogp, int n, double scale,
                              Eigen::Ref<Eigen::VectorXd> g) const;

  std::unique_ptr<Policy> clone() const override { return std::make_unique<GaussianPolicy>(*this); }

 private:
  // Forward over n samples into mu_, ls_ (d × n).
  void forward(const Eigen::Ref<const Eigen::MatrixXd>& X, int n) const;
  // Backward of dmu_, dls_ (d × n, of the last forward) into g.
  void backward(int n, Eigen::Ref<Eigen::VectorXd> g) const;
  void reserve(int n) const;

  GaussianConfig config_;
  int d_ = 1;
  int log_std_off_ = 0;
  Eigen::VectorXd theta_;
  mutable Mlp net_;
  mutable Eigen::MatrixXd mu_, ls_, dmu_, dls_, dout_;  // d × capacity (dout_: out × capacity)
};

}  // namespace pg
