#include "nn/optimizer.h"

#include "util/error.h"

namespace pg {

void Sgd::step(Eigen::Ref<Eigen::VectorXd> theta,
               const Eigen::Ref<const Eigen::VectorXd>& direction) {
  PG_ASSERT(theta.size() == direction.size(), "optimizer: theta and direction differ in size");
  // θ ← θ + lr·d
  theta += lr_ * direction;
}

void Adam::reset() {
  t_ = 0;
  beta1_pow_ = beta2_pow_ = 1.0;
  m_.setZero();
  v_.setZero();
}

void Adam::step(Eigen::Ref<Eigen::VectorXd> theta,
                const Eigen::Ref<const Eigen::VectorXd>& direction) {
  PG_ASSERT(theta.size() == direction.size(), "optimizer: theta and direction differ in size");
  if (m_.size() != theta.size()) {
    PG_ASSERT(t_ == 0 || m_.size() == 0,
              "Adam: parameter size changed between steps; call reset()");
    m_ = Eigen::VectorXd::Zero(theta.size());
    v_ = Eigen::VectorXd::Zero(theta.size());
  }
  ++t_;
  beta1_pow_ *= beta1_;
  beta2_pow_ *= beta2_;
  // m ← β1 m + (1−β1) d;  v ← β2 v + (1−β2) d²
  m_ = beta1_ * m_ + (1.0 - beta1_) * direction;
  v_ = beta2_ * v_ + (1.0 - beta2_) * direction.cwiseAbs2();
  // θ ← θ + lr · m̂/(√v̂ + ε),  m̂ = m/(1−β1^t),  v̂ = v/(1−β2^t)
  const double c1 = 1.0 / (1.0 - beta1_pow_);
  const double c2 = 1.0 / (1.0 - beta2_pow_);
  theta.array() += lr_ * (c1 * m_.array()) / ((c2 * v_.array()).sqrt() + eps_);
}

std::unique_ptr<Optimizer> make_optimizer(const std::string& name, double lr) {
  OptimizerKind kind{};
  if (!enum_from_name(name, &kind))
    throw InputError("optimizer", "unknown optimizer '" + name +
                                      "'; allowed: " + enum_name_list<OptimizerKind>());
  switch (kind) {
    case OptimizerKind::kSgd:
      return std::make_unique<Sgd>(lr);
    case OptimizerKind::kAdam:
      return std::make_unique<Adam>(lr);
  }
  PG_ASSERT(false, "every OptimizerKind has a case");
}

}  // namespace pg
