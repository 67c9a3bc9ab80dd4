#pragma once
// The policy contract: a differentiable softmax policy π_θ(a|o) over a flat parameter vector θ.
//
// Parameter layout (also the layout of every gradient and of the batch dump, DESIGN.md §4):
//   tabular: logits row-major, θ[o * A + a];
//   mlp:     per layer, W (out×in) row-major, then b; the last layer is linear logits.
//
// Policies keep scratch buffers, so one Policy object must not be used from two threads at once;
// clone() it instead.

#include <Eigen/Core>
#include <memory>
#include <string>

#include "io/scenario_enums.h"

namespace pg {

// One observation: its tabular index (or -1) and its features (obs_dim values, may be null for
// tabular-only use).
struct ObsRef {
  int index = -1;
  const double* x = nullptr;
};

class Policy {
 public:
  virtual ~Policy() = default;

  // Tabular: parameters per observation index; Mlp: a network over the observation's features.
  virtual PolicyKind kind() const = 0;
  virtual int num_actions() const = 0;
  virtual int num_params() const = 0;
  virtual const Eigen::VectorXd& params() const = 0;
  virtual void set_params(const Eigen::Ref<const Eigen::VectorXd>& theta) = 0;

  // π(·|o) into p[0..A).
  virtual void probs(ObsRef o, double* p) const = 0;
  // g += scale · ∇_θ log π(a|o).
  virtual void add_grad_log_prob(ObsRef o, int a, double scale,
                                 Eigen::Ref<Eigen::VectorXd> g) const = 0;
  // g += scale · ∇_θ H(π(·|o)), H = −Σ_a π log π.
  virtual void add_grad_entropy(ObsRef o, double scale, Eigen::Ref<Eigen::VectorXd> g) const = 0;

  // Batched g += Σ_n scale[n] · ∇_θ log π(a[n]|o[n]). X is obs_dim × n (features, column per
  // sample; may be empty for tabular), index[n] the tabular indices. The default loops over
  // add_grad_log_prob; the MLP overrides it with matrix products.
  virtual void add_grad_log_prob_batch(const Eigen::Ref<const Eigen::MatrixXd>& X, const int* index,
                                       const int* actions, const double* scales, int n,
                                       Eigen::Ref<Eigen::VectorXd> g) const;

  // H(π(·|o)).
  double entropy(ObsRef o) const;

  // Batched evaluation at θ (the PPO family's minibatch pass): logp[n] = log π(a[n]|o[n]) computed
  // as the log of the softmax probability — the same expression the sampler records in
  // Trajectory::logp — and, when entropy is not null, entropy[n] = H(π(·|o[n])). X, index as in
  // add_grad_log_prob_batch. The default loops over probs(); the MLP overrides it with one forward.
  virtual void log_prob_batch(const Eigen::Ref<const Eigen::MatrixXd>& X, const int* index,
                              const int* actions, int n, double* logp, double* entropy) const;
  // Batched g += Σ_n ( scale_logp[n] ∇θ log π(a[n]|o[n]) + scale_entropy[n] ∇θ H(π(·|o[n])) ): a
  // surrogate's gradient with its entropy bonus in one pass. scale_entropy may be null (no bonus).
  // reuse_forward: the call immediately follows log_prob_batch on the same X, n and θ with no
  // other call on this policy in between, so the MLP backpropagates through that pass instead of
  // running the forward again (the scales usually depend on its log-probabilities). The default
  // loops over add_grad_log_prob / add_grad_entropy; the MLP does (one forward and) one backward.
  virtual void add_grad_surrogate_batch(const Eigen::Ref<const Eigen::MatrixXd>& X,
                                        const int* index, const int* actions,
                                        const double* scale_logp, const double* scale_entropy,
                                        int n, Eigen::Ref<Eigen::VectorXd> g,
                                        bool reuse_forward = false) const;

  virtual std::unique_ptr<Policy> clone() const = 0;
};

}  // namespace pg
