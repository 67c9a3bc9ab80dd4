#pragma once
// The policy contract: a differentiable policy π_θ(a|o) over a flat parameter vector θ — a
// softmax over A discrete actions (action_dim() == 0) or a density over continuous actions u of
// action_dim() values (gaussian.h).
//
// Parameter layout (also the layout of every gradient and of the batch dump, DESIGN.md §4):
//   tabular:  logits row-major, θ[o * A + a];
//   mlp:      per layer, W (out×in) row-major, then b; the last layer is linear logits;
//   gaussian: see policy/gaussian.h (the mean network's layers, then the log-std parameters).
//
// Policies keep scratch buffers, so one Policy object must not be used from two threads at once;
// clone() it instead.

#include <Eigen/Core>
#include <memory>
#include <string>

#include "io/scenario_enums.h"
#include "util/rng.h"

namespace pg {

// One observation: its tabular index (or -1) and its features (obs_dim values, may be null for
// tabular-only use).
struct ObsRef {
  int index = -1;
  const double* x = nullptr;
};

// One action: a discrete index (u null), or a continuous action of action_dim() values u (index
// −1). Converts from an int, so discrete call sites read `f(o, a, …)`.
struct ActRef {
  int index = -1;
  const double* u = nullptr;
  ActRef(int a) : index(a) {}  // NOLINT(google-explicit-constructor): the discrete case
  ActRef(int a, const double* v) : index(a), u(v) {}
};

// n actions: indices (discrete), or n × action_dim values row-major (continuous; sample j's action
// at u + j·dim). Converts from `const int*`, so discrete call sites read as before.
struct ActionsRef {
  const int* index = nullptr;
  const double* u = nullptr;
  int dim = 0;
  ActionsRef(const int* a) : index(a) {}  // NOLINT(google-explicit-constructor)
  ActionsRef(const int* a, const double* v, int d) : index(a), u(v), dim(d) {}
  ActRef at(int j) const {
    return ActRef(index ? index[j] : -1, u ? u + static_cast<size_t>(j) * dim : nullptr);
  }
};

class Policy {
 public:
  virtual ~Policy() = default;

  // Tabular: parameters per observation index; Mlp: a network over the observation's features.
  virtual PolicyKind kind() const = 0;
  // Discrete policies: the number of actions A. Continuous policies: 0.
  virtual int num_actions() const = 0;
  // Continuous policies: the length of an action u. Discrete policies: 0.
  virtual int action_dim() const { return 0; }
  virtual int num_params() const = 0;
  virtual const Eigen::VectorXd& params() const = 0;
  virtual void set_params(const Eigen::Ref<const Eigen::VectorXd>& theta) = 0;

  // π(·|o) into p[0..A) (discrete policies only).
  virtual void probs(ObsRef o, double* p) const = 0;
  // log π(a|o): discrete, the log of probs()'s entry (the sampler's expression); continuous, the
  // log-density of u.
  virtual double log_prob(ObsRef o, ActRef a) const;
  // Draws a ~ π(·|o) from rng and returns log π(a|o). Discrete: *index = a (one uniform,
  // Rng::categorical over probs()); continuous: u[0..action_dim) (index untouched).
  virtual double sample(ObsRef o, Rng& rng, int* index, double* u) const;
  // The action the environment receives for a continuous sample u (both action_dim values): u
  // itself (the environment clips to its bounds, as Gymnasium's do) unless the policy squashes.
  virtual void env_action(const double* u, double* out) const;
  // KL(π(·|o) ‖ other(·|o)) for two policies of the same shape.
  virtual double kl(ObsRef o, const Policy& other) const;
  // g += scale · ∇_θ log π(a|o).
  virtual void add_grad_log_prob(ObsRef o, ActRef a, double scale,
                                 Eigen::Ref<Eigen::VectorXd> g) const = 0;
  // g += scale · ∇_θ H(π(·|o)), H = −Σ_a π log π.
  virtual void add_grad_entropy(ObsRef o, double scale, Eigen::Ref<Eigen::VectorXd> g) const = 0;

  // Batched g += Σ_n scale[n] · ∇_θ log π(a[n]|o[n]). X is obs_dim × n (features, column per
  // sample; may be empty for tabular), index[n] the tabular indices. The default loops over
  // add_grad_log_prob; the MLP overrides it with matrix products.
  virtual void add_grad_log_prob_batch(const Eigen::Ref<const Eigen::MatrixXd>& X, const int* index,
                                       ActionsRef actions, const double* scales, int n,
                                       Eigen::Ref<Eigen::VectorXd> g) const;

  // H(π(·|o)).
  virtual double entropy(ObsRef o) const;
  // Whether log_prob_batch gives a sample the same bits whatever batch it is in, so one pass over
  // a whole batch stands for passes over its pieces (MlpSoftmax: when every layer of its network
  // takes pglab's kernels, nn/small_gemm.h). False by default.
  virtual bool batch_columns_exact() const { return false; }

  // Batched evaluation at θ (the PPO family's minibatch pass): logp[n] = log π(a[n]|o[n]) computed
  // as the log of the softmax probability — the same expression the sampler records in
  // Trajectory::logp — and, when entropy is not null, entropy[n] = H(π(·|o[n])). X, index as in
  // add_grad_log_prob_batch. The default loops over probs(); the MLP overrides it with one forward.
  virtual void log_prob_batch(const Eigen::Ref<const Eigen::MatrixXd>& X, const int* index,
                              ActionsRef actions, int n, double* logp, double* entropy) const;
  // Batched g += Σ_n ( scale_logp[n] ∇θ log π(a[n]|o[n]) + scale_entropy[n] ∇θ H(π(·|o[n])) ): a
  // surrogate's gradient with its entropy bonus in one pass. scale_entropy may be null (no bonus).
  // reuse_forward: the call immediately follows log_prob_batch on the same X, n and θ with no
  // other call on this policy in between, so the MLP backpropagates through that pass instead of
  // running the forward again (the scales usually depend on its log-probabilities). The default
  // loops over add_grad_log_prob / add_grad_entropy; the MLP does (one forward and) one backward.
  virtual void add_grad_surrogate_batch(const Eigen::Ref<const Eigen::MatrixXd>& X,
                                        const int* index, ActionsRef actions,
                                        const double* scale_logp, const double* scale_entropy,
                                        int n, Eigen::Ref<Eigen::VectorXd> g,
                                        bool reuse_forward = false) const;

  virtual std::unique_ptr<Policy> clone() const = 0;
};

// Bad input (InputError at "policy") unless the two policies act on the same actions — both
// discrete with the same num_actions, or both continuous with the same action_dim — as a KL or a
// ratio between them needs. Every function taking two policies checks it.
void check_same_actions(const Policy& old_policy, const Policy& policy);

}  // namespace pg
