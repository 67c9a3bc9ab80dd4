#pragma once
// First-order optimizers over a flat parameter vector. Every step is ASCENT on an objective:
//   Sgd:  θ ← θ + lr · d
//   Adam: m ← β1 m + (1−β1) d;  v ← β2 v + (1−β2) d²;  m̂ = m/(1−β1^t);  v̂ = v/(1−β2^t);
//         θ ← θ + lr · m̂ / (√v̂ + ε)
// where d is the direction the caller passes (e.g. ĝ on J; pass −∇L to minimise a loss L).
// State (Adam's m, v, t) is sized on the first step and reused; step() does not allocate after.

#include <Eigen/Core>
#include <memory>
#include <string>

#include "util/enum_table.h"

namespace pg {

class Optimizer {
 public:
  virtual ~Optimizer() = default;
  virtual std::string name() const = 0;  // "sgd" | "adam"
  // θ ← θ + lr · (update of direction); theta and direction have the same size.
  virtual void step(Eigen::Ref<Eigen::VectorXd> theta,
                    const Eigen::Ref<const Eigen::VectorXd>& direction) = 0;
  // Forgets the state (moments, step count); the next step behaves like the first.
  virtual void reset() = 0;
  virtual void set_lr(double lr) { lr_ = lr; }
  virtual double lr() const { return lr_; }
  virtual std::unique_ptr<Optimizer> clone() const = 0;

 protected:
  explicit Optimizer(double lr) : lr_(lr) {}
  double lr_;
};

class Sgd final : public Optimizer {
 public:
  explicit Sgd(double lr) : Optimizer(lr) {}
  std::string name() const override { return "sgd"; }
  void step(Eigen::Ref<Eigen::VectorXd> theta,
            const Eigen::Ref<const Eigen::VectorXd>& direction) override;
  void reset() override {}
  std::unique_ptr<Optimizer> clone() const override { return std::make_unique<Sgd>(*this); }
};

class Adam final : public Optimizer {
 public:
  explicit Adam(double lr, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8)
      : Optimizer(lr), beta1_(beta1), beta2_(beta2), eps_(eps) {}
  std::string name() const override { return "adam"; }
  void step(Eigen::Ref<Eigen::VectorXd> theta,
            const Eigen::Ref<const Eigen::VectorXd>& direction) override;
  void reset() override;
  std::unique_ptr<Optimizer> clone() const override { return std::make_unique<Adam>(*this); }

  long steps() const { return t_; }
  const Eigen::VectorXd& m() const { return m_; }  // first moment (biased)
  const Eigen::VectorXd& v() const { return v_; }  // second moment (biased)

 private:
  double beta1_, beta2_, eps_;
  long t_ = 0;
  double beta1_pow_ = 1.0;  // β1^t
  double beta2_pow_ = 1.0;  // β2^t
  Eigen::VectorXd m_, v_;
};

// algorithm.optimizer (the scenario keeps the name; make_optimizer reads it through this table)
enum class OptimizerKind { kSgd, kAdam };
template <>
struct EnumTable<OptimizerKind> {
  static constexpr EnumRow<OptimizerKind> rows[] = {
      {OptimizerKind::kSgd, "sgd", "SGD", "θ ← θ + α d"},
      {OptimizerKind::kAdam, "adam", "Adam",
       "steps scaled by running moments of d (β₁ 0.9, β₂ 0.999)"},
  };
};

// A name of the table (Adam with its default betas and ε). Throws pg::InputError("optimizer", ...)
// for any other name, listing the table's names.
std::unique_ptr<Optimizer> make_optimizer(const std::string& name, double lr);

}  // namespace pg
