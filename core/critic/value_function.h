#pragma once
// Learned state-value functions V_φ(o) (the `critic` baseline, DESIGN.md §3) and their fits.
//
// Sections: ValueFunction · TabularValue · MlpValue · CriticConfig / make_critic.
//
// fit() regresses V on targets given per step of a batch: targets[i][t] is the target for step t
// of trajectory i (targets[i].size() == T_i), e.g. Monte-Carlo returns G_it or TD targets. It
// returns the mean squared error (1/Σ_i T_i) Σ_it (V(o_it) − targets[i][t])² BEFORE fitting, so a
// caller sees how far the critic was from this batch.

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "io/scenario_enums.h"
#include "nn/mlp.h"
#include "nn/optimizer.h"
#include "rollout/trajectory.h"
#include "util/rng.h"

namespace pg {

class ValueFunction {
 public:
  virtual ~ValueFunction() = default;
  virtual CriticKind kind() const = 0;
  virtual double value(ObsRef o) const = 0;
  // out[t] = V(o_t) for t < T. The default loops over value().
  virtual void values(const Trajectory& tr, double* out) const;
  // MSE fit on the batch; returns the pre-fit MSE (see above).
  virtual double fit(const Batch& batch, const std::vector<std::vector<double>>& targets) = 0;
  virtual int num_params() const = 0;
  // The fit's step size (tabular: the fraction of the way to the batch mean; mlp: Adam's step).
  // Algorithms that weight the value loss by c₁ set it to c₁ · critic.lr before fitting.
  virtual double lr() const = 0;
  virtual void set_lr(double lr) = 0;
  virtual std::unique_ptr<ValueFunction> clone() const = 0;
  // Polled once per epoch of fit() (util/cancel.h: Cancelled once it is set); null by default.
  void set_cancel(const std::atomic<bool>* cancel) { cancel_ = cancel; }

 protected:
  const std::atomic<bool>* cancel_ = nullptr;
};

// V is a table over observation indices (ObsRef::index), starting at 0. One fit moves each
// visited entry toward the batch's mean target there:
//   V(o) ← V(o) + lr · (mean_{(i,t): o_it = o} target_it − V(o))
// so lr = 1 sets V(o) to the batch mean exactly; unvisited entries keep their value.
class TabularValue final : public ValueFunction {
 public:
  TabularValue(int num_obs, double lr);

  CriticKind kind() const override { return CriticKind::kTabular; }
  double value(ObsRef o) const override;
  double fit(const Batch& batch, const std::vector<std::vector<double>>& targets) override;
  int num_params() const override { return static_cast<int>(v_.size()); }
  std::unique_ptr<ValueFunction> clone() const override {
    return std::make_unique<TabularValue>(*this);
  }

  const Eigen::VectorXd& table() const { return v_; }
  void set_table(const Eigen::Ref<const Eigen::VectorXd>& v);
  double lr() const override { return lr_; }
  void set_lr(double lr) override { lr_ = lr; }

 private:
  double lr_;
  Eigen::VectorXd v_;
  Eigen::VectorXd sum_;    // scratch: Σ targets per observation
  Eigen::VectorXi count_;  // scratch: visits per observation
};

// V is an Mlp obs_dim → hidden → 1 on ObsRef::x (hidden layers gain √2, output layer gain 1,
// biases 0). One fit runs `epochs` full-batch Adam steps (step size lr) of descent on
//   L(φ) = ½ · (1/N) Σ_it (V_φ(o_it) − target_it)²,  N = Σ_i T_i.
// The Adam moments persist across fits (one optimizer for the whole run), as in PPO's critic.
// Scratch (features, targets, gradient) grows to the largest batch seen and is then reused.
class MlpValue final : public ValueFunction {
 public:
  // cancel: polled between the init's layers (Mlp::init: throws Cancelled); null: never.
  MlpValue(int obs_dim, const std::vector<int>& hidden, Activation activation, double lr,
           int epochs, Rng& rng, Precision precision = Precision::kFloat64,
           const std::atomic<bool>* cancel = nullptr);

  CriticKind kind() const override { return CriticKind::kMlp; }
  double value(ObsRef o) const override;
  void values(const Trajectory& tr, double* out) const override;  // one batched forward
  double fit(const Batch& batch, const std::vector<std::vector<double>>& targets) override;
  int num_params() const override { return net_.num_params(); }
  double lr() const override { return adam_.lr(); }
  void set_lr(double lr) override { adam_.set_lr(lr); }
  std::unique_ptr<ValueFunction> clone() const override {
    return std::make_unique<MlpValue>(*this);
  }

  const Mlp& net() const { return net_; }
  int epochs() const { return epochs_; }
  // Gradient-level access for algorithms that step the critic with their own optimizer (PPO:
  // one joint gradient-norm clip over actor and critic): forward()/backward() on mutable_net(),
  // then set_params(), which also keeps fit()'s copy of φ in step. fit() is unchanged.
  Mlp& mutable_net() { return net_; }
  void set_params(const Eigen::Ref<const Eigen::VectorXd>& phi) {
    net_.set_params(phi);
    theta_ = phi;
  }

 private:
  mutable Mlp net_;  // mutable: value() reuses its activation cache
  Adam adam_;
  int epochs_;
  Eigen::MatrixXd x_;      // obs_dim × capacity: the batch's features
  Eigen::MatrixXd y_;      // 1 × capacity: targets
  Eigen::MatrixXd d_out_;  // 1 × capacity: −∂L/∂V per sample
  Eigen::VectorXd theta_, grad_;
};

// One critic setting per scenario (the table the scenario parser reads).
struct CriticConfig {
  CriticKind kind = CriticKind::kTabular;  // tabular: tabular worlds only
  double lr = 0.5;  // tabular: step toward the batch mean, (0, 1]; mlp: Adam step size (e.g. 1e-2)
  int epochs = 20;  // mlp: full-batch Adam steps per fit, ≥ 1
  std::vector<int> hidden = {64, 64};         // mlp: hidden layer sizes (tanh)
  Precision precision = Precision::kFloat64;  // mlp: the network's (policy.precision)
};

// Builds the critic. num_obs is the environment's number of tabular observations (0 if it has
// none), obs_dim its number of features. Throws pg::InputError keyed "critic.kind" when the kind is
// unknown or does not fit the environment. cancel: polled while an MLP critic is initialised
// (throws Cancelled).
std::unique_ptr<ValueFunction> make_critic(const CriticConfig& config, int obs_dim, int num_obs,
                                           Rng& rng, const std::atomic<bool>* cancel = nullptr);

}  // namespace pg
