#pragma once

#include "io/scenario_enums.h"
// Learned action-value functions Q_φ(o, a) (the Q critic of algo/sac.h): over discrete actions
// (a table or one network output per action), or over continuous actions (MlpActionQ: the action
// is an input).
//
// Sections: QFunction · TabularQ · MlpQ · MlpActionQ · make_q_function.
//
// fit_step() takes one regression step on a minibatch of the replay buffer (rollout/replay.h):
// transitions idx[0..B) with targets y[0..B), descending
//   L(φ) = ½ · (1/B) Σ_b (Q_φ(s_b, a_b) − y_b)²
// and returns L before the step. params()/set_params() expose φ flat, so a target network is a
// second QFunction moved by Polyak averaging (polyak()).

#include <Eigen/Core>
#include <memory>
#include <string>
#include <vector>

#include "nn/mlp.h"
#include "nn/optimizer.h"
#include "policy/policy.h"
#include "rollout/replay.h"
#include "util/rng.h"

namespace pg {

class QFunction {
 public:
  virtual ~QFunction() = default;
  virtual CriticKind kind() const = 0;
  virtual int num_actions() const = 0;  // 0: continuous actions (MlpActionQ)
  virtual int action_dim() const { return 0; }
  // q[0..A) = Q(o, ·). Discrete actions only.
  virtual void q_values(ObsRef o, double* q) const = 0;
  // Q(o_n, ·) for n columns: X is obs_dim × n (may be empty for tabular), index[n] the tabular
  // indices; out is A × n. The default loops over q_values; the MLP runs one forward.
  virtual void q_batch(const Eigen::Ref<const Eigen::MatrixXd>& X, const int* index, int n,
                       Eigen::Ref<Eigen::MatrixXd> out) const;
  virtual double fit_step(const ReplayBuffer& buf, const int* idx, const double* y, int B) = 0;
  virtual const Eigen::VectorXd& params() const = 0;
  virtual void set_params(const Eigen::Ref<const Eigen::VectorXd>& phi) = 0;
  virtual std::unique_ptr<QFunction> clone() const = 0;
};

// φ_target ← τ φ + (1 − τ) φ_target (τ = 1: a hard copy); scratch holds the blend (sized once).
void polyak(const QFunction& source, double tau, QFunction& target, Eigen::VectorXd& scratch);

// Q is a table num_obs × A (row-major in params(): φ[o·A + a]), starting at 0. One fit step moves
// each entry the minibatch visits lr of the way toward the mean of its targets there:
//   Q(o, a) ← Q(o, a) + lr · (mean_{b: (o_b, a_b) = (o, a)} y_b − Q(o, a))
// so with lr = 1 an entry becomes its minibatch mean target; unvisited entries keep their value.
class TabularQ final : public QFunction {
 public:
  TabularQ(int num_obs, int num_actions, double lr);
  CriticKind kind() const override { return CriticKind::kTabular; }
  int num_actions() const override { return A_; }
  void q_values(ObsRef o, double* q) const override;
  double fit_step(const ReplayBuffer& buf, const int* idx, const double* y, int B) override;
  const Eigen::VectorXd& params() const override { return q_; }
  void set_params(const Eigen::Ref<const Eigen::VectorXd>& phi) override;
  std::unique_ptr<QFunction> clone() const override { return std::make_unique<TabularQ>(*this); }

 private:
  int A_;
  double lr_;
  Eigen::VectorXd q_;      // num_obs · A
  Eigen::VectorXd sum_;    // scratch: Σ y per entry
  Eigen::VectorXi count_;  // scratch: visits per entry
};

// Q is an Mlp obs_dim → hidden (tanh) → A on ObsRef::x (hidden gain √2, output gain 1, biases 0),
// one output per action. A fit step is one Adam step (step size lr) on L. Scratch grows to the
// largest minibatch and is reused.
class MlpQ final : public QFunction {
 public:
  // cancel: polled between the init's layers (Mlp::init: throws Cancelled); null: never.
  MlpQ(int obs_dim, const std::vector<int>& hidden, int num_actions, double lr, Rng& rng,
       const std::atomic<bool>* cancel = nullptr);
  CriticKind kind() const override { return CriticKind::kMlp; }
  int num_actions() const override { return net_.shape().out; }
  void q_values(ObsRef o, double* q) const override;
  void q_batch(const Eigen::Ref<const Eigen::MatrixXd>& X, const int* index, int n,
               Eigen::Ref<Eigen::MatrixXd> out) const override;
  double fit_step(const ReplayBuffer& buf, const int* idx, const double* y, int B) override;
  const Eigen::VectorXd& params() const override { return net_.params(); }
  void set_params(const Eigen::Ref<const Eigen::VectorXd>& phi) override { net_.set_params(phi); }
  std::unique_ptr<QFunction> clone() const override { return std::make_unique<MlpQ>(*this); }
  const Mlp& net() const { return net_; }  // its layers (the batch dump writes them)

 private:
  mutable Mlp net_;  // mutable: evaluation reuses its activation cache
  Adam adam_;
  Eigen::MatrixXd x_, d_out_;
  Eigen::VectorXd theta_, grad_;
};

// Q over continuous actions: an Mlp [features of s; a] → hidden (tanh) → 1 (hidden gain √2,
// output gain 1, biases 0), a the action as the environment received it (ReplayBuffer::act). The
// input column is obs_dim features over action_dim action values. num_actions() is 0 and
// q_values() is not defined (asserts, as GaussianPolicy::probs does): Q(s, ·) is a function of a
// continuous a, read through q_sa() and q_sa_grad_action(). A fit step is one Adam step (step
// size lr) on L; loss_grad() is its gradient (checked against finite differences in a test).
class MlpActionQ final : public QFunction {
 public:
  MlpActionQ(int obs_dim, int action_dim, const std::vector<int>& hidden, double lr, Rng& rng,
             const std::atomic<bool>* cancel = nullptr);  // cancel: as MlpQ's
  CriticKind kind() const override { return CriticKind::kMlp; }
  int num_actions() const override { return 0; }
  int action_dim() const override { return action_dim_; }
  int obs_dim() const { return obs_dim_; }
  void q_values(ObsRef o, double* q) const override;  // asserts: use q_sa
  // q[j] = Q(s_j, a_j) for the n columns of XA ((obs_dim + action_dim) × n).
  void q_sa(const Eigen::Ref<const Eigen::MatrixXd>& XA, int n, double* q) const;
  // The same, and dq_da (action_dim × n) = ∂Q(s_j, a)/∂a at a = a_j.
  void q_sa_grad_action(const Eigen::Ref<const Eigen::MatrixXd>& XA, int n, double* q,
                        Eigen::Ref<Eigen::MatrixXd> dq_da) const;
  // L(φ) = ½ (1/B) Σ_b (Q_φ(s_b, a_b) − y_b)² over transitions idx[0..B) of buf; g = ∇φ L
  // (resized to the parameter count). Returns L.
  double loss_grad(const ReplayBuffer& buf, const int* idx, const double* y, int B,
                   Eigen::VectorXd& g);
  double fit_step(const ReplayBuffer& buf, const int* idx, const double* y, int B) override;
  const Eigen::VectorXd& params() const override { return net_.params(); }
  void set_params(const Eigen::Ref<const Eigen::VectorXd>& phi) override { net_.set_params(phi); }
  std::unique_ptr<QFunction> clone() const override { return std::make_unique<MlpActionQ>(*this); }
  const Mlp& net() const { return net_; }  // its layers (the batch dump writes them)

 private:
  int obs_dim_, action_dim_;
  mutable Mlp net_;  // mutable: evaluation reuses its activation cache
  Adam adam_;
  Eigen::MatrixXd xa_;
  mutable Eigen::MatrixXd ones_, dxa_;  // 1 × n of ones; ∂Q/∂[s; a], (obs_dim + action_dim) × n
  mutable Eigen::VectorXd unused_g_;    // q_sa_grad_action's parameter gradient (discarded)
  Eigen::MatrixXd d_out_;
  Eigen::VectorXd theta_, grad_;
};

// kind tabular needs num_obs > 0; mlp needs obs_dim > 0. Throws InputError keyed
// "critic.kind" otherwise.
// action_dim > 0 (continuous actions): an MlpActionQ, kind must be mlp (obs_dim may be 0: Q of
// the action alone, for a world without features). cancel: polled while an MLP is initialised
// (throws Cancelled).
std::unique_ptr<QFunction> make_q_function(CriticKind kind, int obs_dim, int num_obs,
                                           int num_actions, const std::vector<int>& hidden,
                                           double lr, Rng& rng, int action_dim = 0,
                                           const std::atomic<bool>* cancel = nullptr);

}  // namespace pg
