#pragma once

#include "io/scenario_enums.h"
// Learned action-value functions Q_φ(o, a) over discrete actions (the Q critic of algo/sac.h).
//
// Sections: QFunction · TabularQ · MlpQ · make_q_function.
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
  virtual int num_actions() const = 0;
  // q[0..A) = Q(o, ·).
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
  MlpQ(int obs_dim, const std::vector<int>& hidden, int num_actions, double lr, Rng& rng);
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

// kind tabular needs num_obs > 0; mlp needs obs_dim > 0. Throws InputError keyed
// "critic.kind" otherwise.
std::unique_ptr<QFunction> make_q_function(CriticKind kind, int obs_dim, int num_obs,
                                           int num_actions, const std::vector<int>& hidden,
                                           double lr, Rng& rng);

}  // namespace pg
