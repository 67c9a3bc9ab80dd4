#include "nn/mlp.h"

#include <Eigen/QR>
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>

#include "nn/small_gemm.h"
#include "nn/tanh_packet.h"
#include "util/cancel.h"
#include "util/error.h"

namespace pg {

namespace {
constexpr int kBackwardBlock = 128;  // samples per block of ∂/∂W in backward (see there)
}  // namespace

// ---------------------------------------------------------------------------------------------
// tanh

namespace {

using tanh_detail::kPacket;
using tanh_detail::Packet;
using tanh_detail::ptanh_double;

// y[i] ← tanh(x[i]) for i < n (x and y may be the same array): tanh_inplace's bits.
void tanh_into(const double* x, double* y, Eigen::Index n) {
  using namespace Eigen::internal;
  Eigen::Index i = 0;
  constexpr int kGroup = 8;  // packets side by side (tanh_detail::ptanh_double_n)
  for (; i + kGroup * kPacket <= n; i += kGroup * kPacket) {
    Packet v[kGroup];
    for (int g = 0; g < kGroup; ++g) v[g] = ploadu<Packet>(x + i + g * kPacket);
    tanh_detail::ptanh_double_n<kGroup>(v);
    for (int g = 0; g < kGroup; ++g) pstoreu(y + i + g * kPacket, v[g]);
  }
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
// The passes, one template for both precisions

namespace {

// float: Eigen's vectorised float tanh.
void tanh_into(const float* x, float* y, Eigen::Index n) {
  Eigen::Map<Eigen::ArrayXf>(y, n) = Eigen::Map<const Eigen::ArrayXf>(x, n).tanh();
}

// The layer geometry the passes read (Mlp's dims_ and w_off_) and the parameters they use.
template <class S>
struct Layers {
  using RowMat = Eigen::Matrix<S, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  using Vector = Eigen::Matrix<S, Eigen::Dynamic, 1>;
  const std::vector<int>& dims;
  const std::vector<int>& w_off;
  const S* theta;
  const S* wcol;  // every W_l again, column-major, at W_l's offset (Mlp::refresh_derived_params)
  Activation activation;

  int num_layers() const { return static_cast<int>(dims.size()) - 1; }
  int b_offset(int l) const { return w_off[l] + dims[l + 1] * dims[l]; }
  Eigen::Map<const RowMat> W(int l) const {
    return Eigen::Map<const RowMat>(theta + w_off[l], dims[l + 1], dims[l]);
  }
  Eigen::Map<const Vector> b(int l) const {
    return Eigen::Map<const Vector>(theta + b_offset(l), dims[l + 1]);
  }
};

// dst (rows × cols, column-major) = src (rows × cols, row-major): whole packet-square tiles by
// Eigen's in-register transpose, the edges element by element. A copy: no bit changes. (The
// element-by-element loop took about 3% of a float32 cartpole-ppo solve; this copy takes 1.7%.)
// (PacketBlock of an AVX packet type: GCC notes that the type's alignment attribute is ignored in
// a template argument, as Eigen's own uses do; harmless here, loads and stores are unaligned.)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wignored-attributes"
template <class S>
void transpose_into(const S* src, int rows, int cols, S* dst) {
  using namespace Eigen::internal;
  using Packet = typename packet_traits<S>::type;
  constexpr int P = packet_traits<S>::size;
  const int rb = rows / P * P, cb = cols / P * P;
  for (int i = 0; i < rb; i += P)
    for (int k = 0; k < cb; k += P) {
      PacketBlock<Packet, P> t;  // t.packet[r] = row i + r, columns k … k + P − 1
      for (int r = 0; r < P; ++r) t.packet[r] = ploadu<Packet>(src + (i + r) * cols + k);
      ptranspose(t);  // now t.packet[c] = column k + c, rows i … i + P − 1
      for (int c = 0; c < P; ++c) pstoreu(dst + (k + c) * rows + i, t.packet[c]);
    }
  for (int i = 0; i < rows; ++i)
    for (int k = i < rb ? cb : 0; k < cols; ++k) dst[k * rows + i] = src[i * cols + k];
}
#pragma GCC diagnostic pop

template <class S>
void reserve_work(MlpWork<S>& w, const std::vector<int>& dims, int cap) {
  const int L = static_cast<int>(dims.size()) - 1;
  w.x.resize(dims[0], cap);
  for (int l = 0; l < L; ++l) w.z[l].resize(dims[l + 1], cap);
  for (int l = 0; l + 1 < L; ++l) {
    w.a[l].resize(dims[l + 1], cap);
    w.delta[l].resize(dims[l + 1], cap);
  }
  w.ones = MlpWork<S>::Vector::Ones(cap);
  int gw_t = 0;
  for (int l = 0; l < L; ++l)
    if (!small_gemm_fits<S>(dims[l]) && small_gemm_fits<S>(dims[l + 1]))
      gw_t = std::max(gw_t, dims[l] * dims[l + 1]);
  w.gw_t.resize(gw_t);
}

// The product forward_pass computes a layer of `out` outputs with. Layers whose width is a whole
// number of packets (the 64-wide ones) take small_gemm over the column-major copy of W_l, layers
// of at most a packet (the logits, the value) small_gemm_rows over W_l itself: either way a
// column's bits do not depend on the batch it is in, so the sampler's one-column forward and a
// batch's forward agree exactly. Other widths take Eigen's product, which sums a column by its
// place in the block. Mlp::columns_exact reads the same choice.
enum class LayerKernel { kSmallGemm, kRows, kEigen };

template <class S>
LayerKernel forward_kernel(int out) {
  if (small_gemm_fits<S>(out)) return LayerKernel::kSmallGemm;
  if (out <= small_gemm_packet<S>()) return LayerKernel::kRows;
  return LayerKernel::kEigen;
}

// Z_l and A_l of the n columns in w.x; the logits end in w.z[L-1].
template <class S>
void forward_pass(const Layers<S>& net, MlpWork<S>& w, int n) {
  using Ref = Eigen::Ref<typename MlpWork<S>::Matrix>;
  const int L = net.num_layers();
  for (int l = 0; l < L; ++l) {
    // Z_l = W_l A_{l-1} + b_l 1ᵀ: the bias goes in first and the product accumulates onto it
    // (nothing is zero-filled), by the layer's forward_kernel.
    const int out = net.dims[l + 1], in = net.dims[l];
    const S* a_prev = l == 0 ? w.x.data() : w.a[l - 1].data();
    Ref z = w.z[l].leftCols(n);
    const LayerKernel kernel = forward_kernel<S>(out);
    if (kernel == LayerKernel::kSmallGemm && l + 1 < L && net.activation == Activation::kTanh) {
      // A_l = tanh(Z_l) as the product finishes each element (Z_l is never stored: the backward
      // reads only A_l, tanh′ = 1 − A²).
      small_gemm<S>(out, n, in, net.wcol + net.w_off[l], out, a_prev, 1, in,
                    w.a[l].leftCols(n).data(), out, GemmInit::kBias, net.theta + net.b_offset(l),
                    {GemmEpilogue::kTanh});
      continue;
    }
    if (kernel == LayerKernel::kSmallGemm) {
      small_gemm<S>(out, n, in, net.wcol + net.w_off[l], out, a_prev, 1, in, z.data(), out,
                    GemmInit::kBias, net.theta + net.b_offset(l));
    } else if (kernel == LayerKernel::kRows) {
      small_gemm_rows<S>(out, n, in, net.theta + net.w_off[l], in, a_prev, in, z.data(), out,
                         net.theta + net.b_offset(l));
    } else {
      z.colwise() = net.b(l);
      if (l == 0)
        z.noalias() += net.W(l) * w.x.leftCols(n);
      else
        z.noalias() += net.W(l) * w.a[l - 1].leftCols(n);
    }
    if (l + 1 == L) break;
    // A_l = act(Z_l), read from Z and written to A in one pass.
    Ref a = w.a[l].leftCols(n);
    if (net.activation == Activation::kTanh)
      tanh_into(z.data(), a.data(), a.size());
    else
      a = z.cwiseMax(S(0));
  }
}

// After forward_pass over the same n columns: g += ∂(Σ ⟨dOut, output⟩)/∂θ (flat layout), and
// *dX = ∂/∂X if dX is given.
template <class S>
void backward_pass(const Layers<S>& net, MlpWork<S>& w, int n,
                   const Eigen::Ref<const typename MlpWork<S>::Matrix>& dOut, S* g,
                   Eigen::Ref<typename MlpWork<S>::Matrix>* dX) {
  using Matrix = typename MlpWork<S>::Matrix;
  using ConstRef = Eigen::Ref<const Matrix>;
  const int L = net.num_layers();
  for (int l = L - 1; l >= 0; --l) {
    const int out = net.dims[l + 1], in = net.dims[l];
    // δ_l = ∂/∂Z_l: dOut for the last layer, else the buffer the layer above filled.
    const ConstRef delta = l + 1 == L ? dOut : ConstRef(w.delta[l].leftCols(n));
    const ConstRef a_prev = l == 0 ? ConstRef(w.x.leftCols(n)) : ConstRef(w.a[l - 1].leftCols(n));
    // ∂/∂W_l = δ_l A_{l-1}ᵀ,  ∂/∂b_l = δ_l 1
    Eigen::Map<typename Layers<S>::RowMat> gw(g + net.w_off[l], out, in);
    Eigen::Map<typename Layers<S>::Vector> gb(g + net.b_offset(l), out);
    if (small_gemm_fits<S>(in)) {
      // (∂/∂W_l)ᵀ (in × out, column-major: the row-major ∂/∂W_l) += A_{l-1} δ_lᵀ
      small_gemm<S>(in, out, n, a_prev.data(), static_cast<int>(a_prev.outerStride()), delta.data(),
                    static_cast<int>(delta.outerStride()), 1, gw.data(), in, GemmInit::kAccumulate,
                    nullptr);
    } else if (small_gemm_fits<S>(out)) {
      // A thin input (the observation layer, in = 4): ∂/∂W_l column-major (out × in) = δ_l A_{l-1}ᵀ
      // into a scratch, then added to g's row-major block.
      S* t = w.gw_t.data();
      small_gemm<S>(out, in, n, delta.data(), static_cast<int>(delta.outerStride()), a_prev.data(),
                    static_cast<int>(a_prev.outerStride()), 1, t, out, GemmInit::kZero, nullptr);
      for (int i = 0; i < out; ++i)
        for (int k = 0; k < in; ++k) gw(i, k) += t[i + k * out];
    } else {
      // Summed over blocks of at most kBackwardBlock samples: Eigen's GEMM takes its packing
      // buffers from the heap once they pass EIGEN_STACK_ALLOCATION_LIMIT (128 KB; an inner
      // dimension n of a few hundred samples does it), so unblocked, a warm Mlp would still
      // allocate on every large batch.
      for (int c0 = 0; c0 < n; c0 += kBackwardBlock) {
        const int width = std::min(kBackwardBlock, n - c0);
        gw.noalias() += delta.middleCols(c0, width) * a_prev.middleCols(c0, width).transpose();
      }
    }
    gb.noalias() += delta * w.ones.head(n);
    if (l == 0) {
      // ∂/∂X = W_0ᵀ δ_0
      if (dX) dX->noalias() = net.W(0).transpose() * delta;
      break;
    }
    // δ_{l-1} = (W_lᵀ δ_l) ⊙ act'(Z_{l-1})
    Eigen::Ref<Matrix> d = w.delta[l - 1].leftCols(n);
    if (small_gemm_fits<S>(in) && net.activation == Activation::kTanh) {
      // W_l row-major is W_lᵀ column-major; tanh′ is applied as each element is finished.
      small_gemm<S>(in, n, out, net.theta + net.w_off[l], in, delta.data(), 1,
                    static_cast<int>(delta.outerStride()), d.data(),
                    static_cast<int>(d.outerStride()), GemmInit::kZero, nullptr,
                    {GemmEpilogue::kTanhPrime, w.a[l - 1].data()});
      continue;
    }
    if (small_gemm_fits<S>(in))
      small_gemm<S>(in, n, out, net.theta + net.w_off[l], in, delta.data(), 1,
                    static_cast<int>(delta.outerStride()), d.data(),
                    static_cast<int>(d.outerStride()), GemmInit::kZero, nullptr);
    else
      d.noalias() = net.W(l).transpose() * delta;
    if (net.activation == Activation::kTanh) {
      d.array() *= S(1) - w.a[l - 1].leftCols(n).array().square();  // tanh' = 1 − tanh²
    } else {
      const S* z = w.z[l - 1].data();
      S* dd = d.data();
      for (Eigen::Index i = 0; i < d.size(); ++i) dd[i] = z[i] > S(0) ? dd[i] : S(0);
    }
  }
}

}  // namespace

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
  w64_.z.resize(num_layers());
  w64_.a.resize(num_layers() - 1);
  w64_.delta.resize(num_layers() - 1);
  w32_.z.resize(num_layers());
  w32_.a.resize(num_layers() - 1);
  w32_.delta.resize(num_layers() - 1);
  if (is_float()) {
    w32_.theta = Eigen::VectorXf::Zero(off);
    w32_.grad = Eigen::VectorXf::Zero(off);
  }
  refresh_derived_params();
}

void Mlp::refresh_derived_params() {
  if (is_float()) w32_.theta = theta_.cast<float>();
  // The column-major copy of each W_l that the forward's small_gemm reads (laid out once per
  // update, not per forward).
  auto pack = [&](auto& work, const auto* theta) {
    work.wcol.resize(theta_.size());
    for (int l = 0; l < num_layers(); ++l)
      transpose_into(theta + w_off_[l], dims_[l + 1], dims_[l], work.wcol.data() + w_off_[l]);
  };
  if (is_float())
    pack(w32_, w32_.theta.data());
  else
    pack(w64_, theta_.data());
}

bool Mlp::columns_exact() const {
  // Every layer on forward_pass's own kernels (small_gemm, or small_gemm_rows for the output
  // layer), none on Eigen's product. A hidden layer must fill whole packets (small_gemm) so that
  // its activation pass has no scalar tail either.
  auto on_kernels = [&](auto zero) {
    using S = decltype(zero);
    const int L = num_layers();
    for (int l = 0; l < L; ++l) {
      const LayerKernel kernel = forward_kernel<S>(dims_[l + 1]);
      if (kernel == LayerKernel::kEigen || (kernel == LayerKernel::kRows && l + 1 < L))
        return false;
    }
    return true;
  };
  return is_float() ? on_kernels(0.0f) : on_kernels(0.0);
}

void Mlp::set_params(const Eigen::Ref<const Eigen::VectorXd>& theta) {
  PG_ASSERT(theta.size() == theta_.size(), "parameter vector has the wrong size for this Mlp");
  theta_ = theta;
  refresh_derived_params();
}

Eigen::Map<const RowMatrix> Mlp::W(int l) const {
  PG_ASSERT(l >= 0 && l < num_layers(), "layer index out of range");
  return Eigen::Map<const RowMatrix>(theta_.data() + w_off_[l], dims_[l + 1], dims_[l]);
}

Eigen::Map<const Eigen::VectorXd> Mlp::b(int l) const {
  PG_ASSERT(l >= 0 && l < num_layers(), "layer index out of range");
  return Eigen::Map<const Eigen::VectorXd>(theta_.data() + b_offset(l), dims_[l + 1]);
}

void Mlp::init(Rng& rng, double hidden_gain, double last_gain, const std::atomic<bool>* cancel) {
  theta_.setZero();
  for (int l = 0; l < num_layers(); ++l) {
    throw_if_cancelled(cancel);
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
  refresh_derived_params();
}

void Mlp::reserve(int n) {
  if (n <= cap_) return;
  cap_ = n;
  if (!is_float()) {
    reserve_work(w64_, dims_, cap_);
    return;
  }
  reserve_work(w32_, dims_, cap_);
  w32_.dout.resize(dims_.back(), cap_);
  w32_.dx.resize(dims_[0], cap_);
  // The widened logits and hidden activations.
  const int L = num_layers();
  w64_.z[L - 1].resize(dims_[L], cap_);
  for (int l = 0; l + 1 < L; ++l) w64_.a[l].resize(dims_[l + 1], cap_);
}

Eigen::Ref<const Eigen::MatrixXd> Mlp::forward(const Eigen::Ref<const Eigen::MatrixXd>& X) {
  PG_ASSERT(X.rows() == dims_[0], "forward: X must be in × n (one column per sample)");
  const int n = static_cast<int>(X.cols());
  reserve(std::max(n, 1));
  n_ = n;
  const int L = num_layers();
  if (!is_float()) {
    // The cache of X: one contiguous copy when X's columns are adjacent (a minibatch, a
    // trajectory's features), else column by column (Eigen's copy of a 4-row block ran per column,
    // with its checks, ~1.5 % of a float64 cartpole-ppo solve).
    if (X.outerStride() == X.rows())
      std::copy_n(X.data(), X.size(), w64_.x.data());
    else
      w64_.x.leftCols(n) = X;
    forward_pass(Layers<double>{dims_, w_off_, theta_.data(), w64_.wcol.data(), shape_.activation},
                 w64_, n);
  } else {
    w32_.x.leftCols(n) = X.cast<float>();
    forward_pass(
        Layers<float>{dims_, w_off_, w32_.theta.data(), w32_.wcol.data(), shape_.activation}, w32_,
        n);
    w64_.z[L - 1].leftCols(n) = w32_.z[L - 1].leftCols(n).cast<double>();
  }
  return w64_.z[L - 1].leftCols(n);
}

Eigen::Ref<const Eigen::MatrixXd> Mlp::hidden_activations(int l) const {
  PG_ASSERT(l >= 0 && l + 1 < num_layers(), "hidden layer index out of range");
  if (is_float()) w64_.a[l].leftCols(n_) = w32_.a[l].leftCols(n_).cast<double>();
  return w64_.a[l].leftCols(n_);
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
  if (!is_float()) {
    backward_pass(Layers<double>{dims_, w_off_, theta_.data(), w64_.wcol.data(), shape_.activation},
                  w64_, n, dOut, g.data(), dX);
    return;
  }
  w32_.dout.leftCols(n) = dOut.cast<float>();
  w32_.grad.setZero();
  Eigen::Ref<Eigen::MatrixXf> dx = w32_.dx.leftCols(n);
  backward_pass(
      Layers<float>{dims_, w_off_, w32_.theta.data(), w32_.wcol.data(), shape_.activation}, w32_, n,
      w32_.dout.leftCols(n), w32_.grad.data(), dX ? &dx : nullptr);
  g += w32_.grad.cast<double>();
  if (dX) *dX = dx.cast<double>();
}

}  // namespace pg
