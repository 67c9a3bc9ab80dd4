#include "nn/optimizer.h"

#include <cmath>

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

// (The packet type of an AVX target: GCC notes its alignment attribute is ignored in a template
// argument, as in Eigen's own uses; loads and stores here are unaligned.)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wignored-attributes"
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
  // m ← β1 m + (1−β1) d;  v ← β2 v + (1−β2) d²;  θ ← θ + lr · m̂/(√v̂ + ε),  m̂ = m c1, v̂ = v c2
  // in one pass over the parameters (it took three, one Eigen expression each: 4–5 % of a float64
  // cartpole-ppo solve). Every element gets the operations those expressions compiled to, so the
  // bits are theirs (tests/core/test_optimizer.cpp: Adam.FusedStepEqualsThreeEigenPasses):
  //   m = fma(1−β1, d, β1 m)            (GCC contracts β1 m + (1−β1) d so)
  //   v = fma(d·d, 1−β2, β2 v)
  //   θ = θ + ((c1 m) lr) / (√(c2 v) + ε)
  // where √ is Eigen's packet sqrt on the elements Eigen's assignment loop took by packet (from
  // θ's first 64-byte-aligned element, whole packets; with EIGEN_FAST_MATH that is rsqrt14 and two
  // Newton steps, not the correctly rounded root) and std::sqrt on the others.
  using namespace Eigen::internal;
  using Packet = packet_traits<double>::type;
  constexpr int P = packet_traits<double>::size;
  const double c1 = 1.0 / (1.0 - beta1_pow_);
  const double c2 = 1.0 / (1.0 - beta2_pow_);
  const double b1 = beta1_, b2 = beta2_, a1 = 1.0 - beta1_, a2 = 1.0 - beta2_;
  const double lr = lr_, eps = eps_;
  const Eigen::Index n = theta.size();
  double* th = theta.data();
  double* m = m_.data();
  double* v = v_.data();
  const double* d = direction.data();
  auto scalar = [&](Eigen::Index i) {
    m[i] = std::fma(a1, d[i], b1 * m[i]);
    v[i] = std::fma(d[i] * d[i], a2, b2 * v[i]);
    th[i] += (c1 * m[i]) * lr / (std::sqrt(c2 * v[i]) + eps);
  };
  const Eigen::Index start = first_aligned<unpacket_traits<Packet>::alignment>(th, n);
  const Eigen::Index end = start + (n - start) / P * P;
  for (Eigen::Index i = 0; i < start; ++i) scalar(i);
  const Packet pb1 = pset1<Packet>(b1), pb2 = pset1<Packet>(b2), pa1 = pset1<Packet>(a1),
               pa2 = pset1<Packet>(a2), pc1 = pset1<Packet>(c1), pc2 = pset1<Packet>(c2),
               plr = pset1<Packet>(lr), peps = pset1<Packet>(eps);
  for (Eigen::Index i = start; i < end; i += P) {
    const Packet di = ploadu<Packet>(d + i);
    const Packet mi = pmadd(pa1, di, pmul(pb1, ploadu<Packet>(m + i)));
    const Packet vi = pmadd(pmul(di, di), pa2, pmul(pb2, ploadu<Packet>(v + i)));
    pstoreu(m + i, mi);
    pstoreu(v + i, vi);
    const Packet step = pdiv(pmul(pmul(pc1, mi), plr), padd(psqrt(pmul(pc2, vi)), peps));
    pstoreu(th + i, padd(ploadu<Packet>(th + i), step));
  }
  for (Eigen::Index i = end; i < n; ++i) scalar(i);
}
#pragma GCC diagnostic pop

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
