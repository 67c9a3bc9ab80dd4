#include "nn/mlp.h"

#include <Eigen/QR>
#include <algorithm>
#include <cmath>

#include "util/error.h"

namespace pg {

namespace {
constexpr int kBackwardBlock = 128;  // samples per block of ∂/∂W in backward (see there)
}  // namespace

// ---------------------------------------------------------------------------------------------
// tanh

namespace {

using Packet = Eigen::internal::packet_traits<double>::type;
constexpr int kPacket = Eigen::internal::packet_traits<double>::size;

// tanh of one packet.
//   |x| > 0.625:  tanh|x| = 1 − 2/(e^{2|x|} + 1)   (no cancellation: the result is ≥ 0.55)
//   |x| ≤ 0.625:  tanh x  = x + x·x²·P(x²)/Q(x²)   (Cephes' rational minimax fit, ≈ 2.5e-16 rel.)
// 2|x| is clamped at 40, where tanh is 1 to double precision, so exp never overflows.
// Each lane needs only one of the two quotients, so the numerators and denominators are chosen per
// lane first and divided once (a packet division costs as much as the rest of the rational part);
// every lane gets exactly the bits of its own branch's quotient.
inline Packet ptanh_double(const Packet& x) {
  using namespace Eigen::internal;
  const Packet ax = pabs(x);
  const Packet s = pexp(pmin(padd(ax, ax), pset1<Packet>(40.0)));

  const Packet x2 = pmul(x, x);
  Packet p = pset1<Packet>(-9.64399179425052238628e-1);
  p = pmadd(p, x2, pset1<Packet>(-9.92877231001918586564e1));
  p = pmadd(p, x2, pset1<Packet>(-1.61468768441708447952e3));
  Packet q = padd(x2, pset1<Packet>(1.12811678491632931402e2));
  q = pmadd(q, x2, pset1<Packet>(2.23548839060100448583e3));
  q = pmadd(q, x2, pset1<Packet>(4.84406305325125486048e3));

  const Packet is_big = pcmp_lt(pset1<Packet>(0.625), ax);
  // big lanes: 2/(e^{2|x|} + 1); small lanes: P(x²)/Q(x²).
  const Packet quot =
      pdiv(pselect(is_big, pset1<Packet>(2.0), p), pselect(is_big, padd(s, pset1<Packet>(1.0)), q));
  const Packet big_abs = psub(pset1<Packet>(1.0), quot);
  const Packet big = pselect(pcmp_lt(x, pzero(x)), pnegate(big_abs), big_abs);
  const Packet small = pmadd(pmul(x, x2), quot, x);
  return pselect(is_big, big, small);
}

// y[i] ← tanh(x[i]) for i < n (x and y may be the same array): tanh_inplace's bits.
void tanh_into(const double* x, double* y, Eigen::Index n) {
  using namespace Eigen::internal;
  Eigen::Index i = 0;
  for (; i + kPacket <= n; i += kPacket) pstoreu(y + i, ptanh_double(ploadu<Packet>(x + i)));
  if (i < n) {
    // The tail goes through the same packet code, so every element gets the same bits.
    alignas(64) double buf[kPacket] = {};
    std::copy(x + i, x + n, buf);
    pstore(buf, ptanh_double(pload<Packet>(buf)));
    std::copy(buf, buf + (n - i), y + i);
  }
}

}  // namespace

void tanh_inplace(double* y, Eigen::Index n) {
  tanh_into(y, y, n);
}

// ---------------------------------------------------------------------------------------------
// Mlp

Mlp::Mlp(const MlpShape& shape) : shape_(shape) {
  PG_ASSERT(shape.in > 0 && shape.out > 0, "an Mlp needs positive input and output sizes");
  dims_.push_back(shape.in);
  for (int h : shape.hidden) {
    PG_ASSERT(h > 0, "hidden layer sizes must be positive");
    dims_.push_back(h);
  }
  dims_.push_back(shape.out);
  int off = 0;
  for (int l = 0; l < num_layers(); ++l) {
    w_off_.push_back(off);
    off += dims_[l + 1] * dims_[l] + dims_[l + 1];
  }
  theta_ = Eigen::VectorXd::Zero(off);
  z_.resize(num_layers());
  a_.resize(num_layers() - 1);
  delta_.resize(num_layers() - 1);
}

void Mlp::set_params(const Eigen::Ref<const Eigen::VectorXd>& theta) {
  PG_ASSERT(theta.size() == theta_.size(), "parameter vector has the wrong size for this Mlp");
  theta_ = theta;
}

Eigen::Map<const RowMatrix> Mlp::W(int l) const {
  PG_ASSERT(l >= 0 && l < num_layers(), "layer index out of range");
  return Eigen::Map<const RowMatrix>(theta_.data() + w_off_[l], dims_[l + 1], dims_[l]);
}

Eigen::Map<const Eigen::VectorXd> Mlp::b(int l) const {
  PG_ASSERT(l >= 0 && l < num_layers(), "layer index out of range");
  return Eigen::Map<const Eigen::VectorXd>(theta_.data() + b_offset(l), dims_[l + 1]);
}

void Mlp::init(Rng& rng, double hidden_gain, double last_gain) {
  theta_.setZero();
  for (int l = 0; l < num_layers(); ++l) {
    const int out = dims_[l + 1], in = dims_[l];
    const int rows = std::max(out, in), cols = std::min(out, in);
    Eigen::MatrixXd g(rows, cols);
    for (int j = 0; j < cols; ++j)
      for (int i = 0; i < rows; ++i) g(i, j) = rng.normal();
    Eigen::HouseholderQR<Eigen::MatrixXd> qr(g);
    Eigen::MatrixXd q = qr.householderQ() * Eigen::MatrixXd::Identity(rows, cols);
    // Q·diag(sign R_jj) makes the factorisation unique, hence Haar-distributed.
    for (int j = 0; j < cols; ++j)
      if (qr.matrixQR()(j, j) < 0.0) q.col(j) = -q.col(j);
    const double gain = l + 1 == num_layers() ? last_gain : hidden_gain;
    Eigen::Map<RowMatrix> w(theta_.data() + w_off_[l], out, in);
    if (out >= in)
      w = gain * q;
    else
      w = gain * q.transpose();
  }
}

void Mlp::reserve(int n) {
  if (n <= cap_) return;
  cap_ = n;
  const int L = num_layers();
  x_.resize(dims_[0], cap_);
  for (int l = 0; l < L; ++l) z_[l].resize(dims_[l + 1], cap_);
  for (int l = 0; l + 1 < L; ++l) {
    a_[l].resize(dims_[l + 1], cap_);
    delta_[l].resize(dims_[l + 1], cap_);
  }
  ones_ = Eigen::VectorXd::Ones(cap_);
}

Eigen::Ref<const Eigen::MatrixXd> Mlp::forward(const Eigen::Ref<const Eigen::MatrixXd>& X) {
  PG_ASSERT(X.rows() == dims_[0], "forward: X must be in × n (one column per sample)");
  const int n = static_cast<int>(X.cols());
  reserve(std::max(n, 1));
  n_ = n;
  const int L = num_layers();
  x_.leftCols(n) = X;
  for (int l = 0; l < L; ++l) {
    // Z_l = W_l A_{l-1} + b_l 1ᵀ
    // The bias goes in first and the product accumulates onto it: Eigen's `=` product would
    // zero-fill Z and add b in a second pass. The bits are the same: the GEMM (and the GEMV of
    // n = 1) sums each W_l row · column in registers over the whole depth (d_l ≤ its depth block)
    // and adds that sum to Z once, so Z = b + Σ either way.
    Eigen::Ref<Eigen::MatrixXd> z = z_[l].leftCols(n);
    z.colwise() = b(l);
    if (l == 0)
      z.noalias() += W(l) * x_.leftCols(n);
    else
      z.noalias() += W(l) * a_[l - 1].leftCols(n);
    if (l + 1 == L) break;
    // A_l = act(Z_l), read from Z and written to A in one pass.
    Eigen::Ref<Eigen::MatrixXd> a = a_[l].leftCols(n);
    if (shape_.activation == Activation::kTanh)
      tanh_into(z.data(), a.data(), a.size());
    else
      a = z.cwiseMax(0.0);
  }
  return z_[L - 1].leftCols(n);
}

Eigen::Ref<const Eigen::MatrixXd> Mlp::hidden_activations(int l) const {
  PG_ASSERT(l >= 0 && l + 1 < num_layers(), "hidden layer index out of range");
  return a_[l].leftCols(n_);
}

void Mlp::backward(const Eigen::Ref<const Eigen::MatrixXd>& dOut, Eigen::Ref<Eigen::VectorXd> g) {
  backward_impl(dOut, g, nullptr);
}

void Mlp::backward(const Eigen::Ref<const Eigen::MatrixXd>& dOut, Eigen::Ref<Eigen::VectorXd> g,
                   Eigen::Ref<Eigen::MatrixXd> dX) {
  PG_ASSERT(dX.rows() == dims_[0] && dX.cols() == n_, "backward: dX must be in × n");
  backward_impl(dOut, g, &dX);
}

void Mlp::backward_impl(const Eigen::Ref<const Eigen::MatrixXd>& dOut,
                        Eigen::Ref<Eigen::VectorXd> g, Eigen::Ref<Eigen::MatrixXd>* dX) {
  const int L = num_layers();
  const int n = n_;
  PG_ASSERT(dOut.rows() == dims_[L] && dOut.cols() == n,
            "backward: dOut must be out × n of the last forward");
  PG_ASSERT(g.size() == theta_.size(), "backward: gradient vector has the wrong size");
  for (int l = L - 1; l >= 0; --l) {
    const int out = dims_[l + 1], in = dims_[l];
    // δ_l = ∂/∂Z_l: dOut for the last layer, else the buffer the layer above filled.
    const Eigen::Ref<const Eigen::MatrixXd> delta =
        l + 1 == L ? dOut : Eigen::Ref<const Eigen::MatrixXd>(delta_[l].leftCols(n));
    const Eigen::Ref<const Eigen::MatrixXd> a_prev =
        l == 0 ? Eigen::Ref<const Eigen::MatrixXd>(x_.leftCols(n))
               : Eigen::Ref<const Eigen::MatrixXd>(a_[l - 1].leftCols(n));
    // ∂/∂W_l = δ_l A_{l-1}ᵀ,  ∂/∂b_l = δ_l 1
    Eigen::Map<RowMatrix> gw(g.data() + w_off_[l], out, in);
    Eigen::Map<Eigen::VectorXd> gb(g.data() + b_offset(l), out);
    // Summed over blocks of at most kBackwardBlock samples: Eigen's GEMM takes its packing buffers
    // from the heap once they pass EIGEN_STACK_ALLOCATION_LIMIT (128 KB; an inner dimension n of a
    // few hundred samples does it), so unblocked, a warm Mlp would still allocate on every large
    // batch. Batches of at most kBackwardBlock samples are one block (the same bits as before).
    for (int c0 = 0; c0 < n; c0 += kBackwardBlock) {
      const int w = std::min(kBackwardBlock, n - c0);
      gw.noalias() += delta.middleCols(c0, w) * a_prev.middleCols(c0, w).transpose();
    }
    gb.noalias() += delta * ones_.head(n);
    if (l == 0) {
      // ∂/∂X = W_0ᵀ δ_0
      if (dX) dX->noalias() = W(0).transpose() * delta;
      break;
    }
    // δ_{l-1} = (W_lᵀ δ_l) ⊙ act'(Z_{l-1})
    Eigen::Ref<Eigen::MatrixXd> d = delta_[l - 1].leftCols(n);
    d.noalias() = W(l).transpose() * delta;
    if (shape_.activation == Activation::kTanh) {
      d.array() *= 1.0 - a_[l - 1].leftCols(n).array().square();  // tanh' = 1 − tanh²
    } else {
      const double* z = z_[l - 1].data();
      double* dd = d.data();
      for (Eigen::Index i = 0; i < d.size(); ++i) dd[i] = z[i] > 0.0 ? dd[i] : 0.0;
    }
  }
}

}  // namespace pg
