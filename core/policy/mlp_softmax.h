#pragma once
// MLP softmax policy: z = Mlp(x) (A logits), π(a|x) = exp z_a / Σ_b exp z_b.
//   ∂ log π(a|x) / ∂z_c = 1[a = c] − π_c          → backpropagated through the Mlp
//   ∂ H / ∂z_c          = −π_c (log π_c + H)       (H = −Σ_b π_b log π_b)
//
// θ is the Mlp's flat vector: per layer W (out×in) row-major, then b (DESIGN.md §4). Observations
// are feature vectors ObsRef::x of obs_dim values; the tabular index is ignored.
// Scratch (the Mlp's activation cache and the logit/probability buffers) is mutable: const calls
// reuse it, so one object must not be used from two threads at once (policy.h).

#include <vector>

#include "nn/mlp.h"
#include "policy/policy.h"
#include "util/rng.h"

namespace pg {

class MlpSoftmax final : public Policy {
 public:
  // Hidden layers orthogonally initialised with gain √2, the logit layer with gain 0.01 (so π
  // starts near uniform), biases 0 — drawn from rng.
  // precision: the network's (policy.precision); log π, π and every gradient are double either way.
  // cancel: polled between the init's layers (Mlp::init: throws Cancelled); null: never.
  MlpSoftmax(int obs_dim, const std::vector<int>& hidden, Activation activation, int num_actions,
             Rng& rng, Precision precision = Precision::kFloat64,
             const std::atomic<bool>* cancel = nullptr);

  PolicyKind kind() const override { return PolicyKind::kMlp; }
  int obs_dim() const { return net_.shape().in; }
  int num_actions() const override { return net_.shape().out; }
  int num_params() const override { return net_.num_params(); }
  const Eigen::VectorXd& params() const override { return net_.params(); }
  void set_params(const Eigen::Ref<const Eigen::VectorXd>& theta) override {
    net_.set_params(theta);
  }

  void probs(ObsRef o, double* p) const override;
  bool batch_columns_exact() const override { return net_.columns_exact(); }
  void add_grad_log_prob(ObsRef o, ActRef act, double scale,
                         Eigen::Ref<Eigen::VectorXd> g) const override;
  void add_grad_entropy(ObsRef o, double scale, Eigen::Ref<Eigen::VectorXd> g) const override;
  // One forward and one backward over all n columns of X (obs_dim × n); index is ignored.
  void add_grad_log_prob_batch(const Eigen::Ref<const Eigen::MatrixXd>& X, const int* index,
                               ActionsRef actions, const double* scales, int n,
                               Eigen::Ref<Eigen::VectorXd> g) const override;

  // One forward over the n columns of X (definitions in mlp_softmax_batch.cpp).
  void log_prob_batch(const Eigen::Ref<const Eigen::MatrixXd>& X, const int* index,
                      ActionsRef actions, int n, double* logp, double* entropy) const override;
  // One forward (none with reuse_forward) and one backward:
  //   ∂/∂z_j = s_j (onehot(a_j) − π_j) − e_j π_j ⊙ (log π_j + H_j).
  void add_grad_surrogate_batch(const Eigen::Ref<const Eigen::MatrixXd>& X, const int* index,
                                ActionsRef actions, const double* scale_logp,
                                const double* scale_entropy, int n, Eigen::Ref<Eigen::VectorXd> g,
                                bool reuse_forward = false) const override;

  // P (A × n) = π(·|x_j) for each column x_j of X (obs_dim × n). P must already be A × n.
  void probs_batch(const Eigen::Ref<const Eigen::MatrixXd>& X, Eigen::Ref<Eigen::MatrixXd> P) const;

  // The network (for the batch dump and the GUI's per-layer views). Its activation cache holds
  // whatever this policy computed last.
  const Mlp& net() const { return net_; }

  std::unique_ptr<Policy> clone() const override { return std::make_unique<MlpSoftmax>(*this); }

 private:
  // Column-wise softmax of Z (A × n) into P; numerically stable (max subtracted per column).
  static void softmax_columns(const Eigen::Ref<const Eigen::MatrixXd>& Z,
                              Eigen::Ref<Eigen::MatrixXd> P);
  void reserve(int n) const;

  mutable Mlp net_;
  mutable Eigen::MatrixXd p_;   // A × capacity: probabilities of the last batch
  mutable Eigen::MatrixXd dz_;  // A × capacity: ∂/∂logits fed to backward
  // log π(·|x_j) and H_j of the last log_prob_batch that computed entropies, for its first
  // logs_cols_ columns (−1: none), so that add_grad_surrogate_batch(reuse_forward) takes the same
  // values instead of calling log again. Every other pass over p_ sets logs_cols_ to −1.
  mutable Eigen::MatrixXd log_p_;  // A × capacity
  mutable Eigen::VectorXd h_;      // capacity
  mutable int logs_cols_ = -1;
};

}  // namespace pg
