#pragma once
// A small fully connected network over batches of column samples, with its parameters in one flat
// vector (the layout of every gradient and of the batch dump, DESIGN.md §4).
//
// Sections: MlpShape · MlpWork · Mlp (parameters, init, forward, backward) · tanh_inplace.
//
// Shapes. L = num_layers() = hidden.size() + 1; d_0 = in, d_1..d_{L-1} = hidden, d_L = out.
//   layer l (0-based) maps d_l → d_{l+1}:  Z_l = W_l A_{l-1} + b_l 1ᵀ,  A_l = act(Z_l),
//   A_{-1} = X (in × n, one column per sample); the last layer is linear: output = Z_{L-1}.
// Flat layout of θ (and of every gradient g):
//   for l = 0..L-1: W_l (d_{l+1} × d_l) ROW-MAJOR, then b_l (d_{l+1}).
//
// Precision (policy.precision). The parameters, the inputs, the outputs and every gradient are
// double whatever the precision. float32 computes the products, the activations and ∂/∂θ in float:
// a float copy of θ is made in set_params() and init() (once per update, not per forward), X and
// dOut are rounded to float on the way in, the logits and ∂/∂θ widened on the way out. Both
// precisions run the same template (mlp.cpp: forward_pass<S>, backward_pass<S>).
//
// Products (nn/small_gemm.h). Layers as wide as a whole number of SIMD packets (the 64-wide ones)
// and layers of at most a packet (logits, value) run pglab's own register-blocked kernels, the
// rest Eigen's. The forward's bits for one sample then do not depend on the batch it is computed
// in (a rollout's one-column forward equals the batch's), nor on the CPU's cache sizes (Eigen's
// blocking reads them), only on the instruction set the build targets.
//
// Scratch. forward() caches X, every Z_l and A_l in member buffers sized to the largest batch seen
// (they grow, never shrink, so a warm Mlp does not allocate); backward() uses the cache of the last
// forward(). An Mlp is therefore not safe to share between threads; copy it instead.

#include <Eigen/Core>
#include <atomic>
#include <vector>

#include "util/enum_table.h"
#include "util/rng.h"

namespace pg {

// policy.activation
enum class Activation { kTanh, kRelu };
template <>
struct EnumTable<Activation> {
  static constexpr EnumRow<Activation> rows[] = {
      {Activation::kTanh, "tanh", "tanh", "tanh(z): smooth, saturates at ±1"},
      {Activation::kRelu, "relu", "ReLU", "max(z, 0)"},
  };
};

// policy.precision
enum class Precision { kFloat64, kFloat32 };
template <>
struct EnumTable<Precision> {
  static constexpr EnumRow<Precision> rows[] = {
      {Precision::kFloat64, "float64", "float64",
       "double: every dump is checked against independent references to 1e-9"},
      {Precision::kFloat32, "float32", "float32",
       "float products and activations (speed); parameters, optimizer and statistics stay double"},
  };
};

struct MlpShape {
  int in = 0;
  std::vector<int> hidden;
  int out = 0;
  Activation activation = Activation::kTanh;  // hidden layers only
  Precision precision = Precision::kFloat64;
};

using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// The scratch of one precision S (Mlp holds one per precision; only the one in use is sized).
template <class S>
struct MlpWork {
  using Matrix = Eigen::Matrix<S, Eigen::Dynamic, Eigen::Dynamic>;
  using Vector = Eigen::Matrix<S, Eigen::Dynamic, 1>;
  Vector theta;           // float32: θ rounded to float (float64 reads Mlp's θ itself)
  Vector wcol;            // every W_l column-major, at W_l's offset in θ (the forward reads it)
  Vector grad;            // float32: ∂/∂θ of one backward before it is added to the double g
  Matrix x;               // in × cap
  Matrix dout;            // float32: out × cap, dOut rounded to float
  Matrix dx;              // float32: in × cap, ∂/∂X before widening
  Vector gw_t;            // ∂/∂W_l column-major, for a layer whose input is not packet-wide
  std::vector<Matrix> z;  // Z_l: d_{l+1} × cap (a tanh layer on small_gemm writes only A_l)
  std::vector<Matrix> a;  // A_l: d_{l+1} × cap (l < L-1)
  std::vector<Matrix> delta;  // ∂/∂Z_l for l < L-1: d_{l+1} × cap
  Vector ones;                // cap
};

class Mlp {
 public:
  Mlp() = default;
  // Parameters start at zero; call init() for a usable network.
  explicit Mlp(const MlpShape& shape);

  const MlpShape& shape() const { return shape_; }
  Precision precision() const { return shape_.precision; }
  int num_layers() const { return static_cast<int>(dims_.size()) - 1; }
  int in_dim(int l) const { return dims_[l]; }       // d_l
  int out_dim(int l) const { return dims_[l + 1]; }  // d_{l+1}
  int num_params() const { return static_cast<int>(theta_.size()); }

  const Eigen::VectorXd& params() const { return theta_; }
  void set_params(const Eigen::Ref<const Eigen::VectorXd>& theta);

  // Views into params(): W_l (d_{l+1} × d_l, row-major) and b_l (d_{l+1}).
  Eigen::Map<const RowMatrix> W(int l) const;
  Eigen::Map<const Eigen::VectorXd> b(int l) const;
  // Offsets of W_l and b_l in the flat vector.
  int w_offset(int l) const { return w_off_[l]; }
  int b_offset(int l) const { return w_off_[l] + dims_[l + 1] * dims_[l]; }

  // Orthogonal init: each W_l is the Q factor (Householder QR) of a Gaussian matrix, sign-fixed so
  // the law is Haar, scaled by hidden_gain (last layer: last_gain); biases are 0. The rows (if
  // out ≤ in) or the columns (if out > in) of W_l / gain are orthonormal.
  // cancel (util/cancel.h): polled before each layer's QR (a 1024² one takes a large fraction of a
  // second); throws Cancelled once it is set, leaving θ partly drawn. Null: never cancelled.
  void init(Rng& rng, double hidden_gain = 1.4142135623730951, double last_gain = 0.01,
            const std::atomic<bool>* cancel = nullptr);

  // Logits (out × n) of X (in × n). The returned view points into this Mlp's scratch and stays
  // valid until the next forward().
  Eigen::Ref<const Eigen::MatrixXd> forward(const Eigen::Ref<const Eigen::MatrixXd>& X);

  // After forward(X): g += ∂(Σ ⟨dOut, output⟩)/∂θ in the flat layout, for dOut (out × n, the same
  // n). The second form also writes dX (in × n) = ∂/∂X of the same sum.
  void backward(const Eigen::Ref<const Eigen::MatrixXd>& dOut, Eigen::Ref<Eigen::VectorXd> g);
  void backward(const Eigen::Ref<const Eigen::MatrixXd>& dOut, Eigen::Ref<Eigen::VectorXd> g,
                Eigen::Ref<Eigen::MatrixXd> dX);

  // Cached activations of the last forward (for the GUI): A_l, d_{l+1} × n, l < L-1.
  Eigen::Ref<const Eigen::MatrixXd> hidden_activations(int l) const;
  int last_batch() const { return n_; }
  // Whether forward() gives a column the same bits whatever batch it is in: every layer's width a
  // whole number of packets or at most one (small_gemm, small_gemm_rows), none on Eigen's product.
  bool columns_exact() const;

 private:
  bool is_float() const { return shape_.precision == Precision::kFloat32; }
  void reserve(int n);
  void refresh_derived_params();
  void backward_impl(const Eigen::Ref<const Eigen::MatrixXd>& dOut, Eigen::Ref<Eigen::VectorXd> g,
                     Eigen::Ref<Eigen::MatrixXd>* dX);

  MlpShape shape_;
  std::vector<int> dims_;   // d_0..d_L
  std::vector<int> w_off_;  // offset of W_l
  Eigen::VectorXd theta_;

  // Scratch, column capacity cap_ ≥ n_. float32 also widens the logits into w64_.z[L-1] and, when
  // hidden_activations() asks, a hidden layer into w64_.a[l] (hence mutable).
  int cap_ = 0;
  int n_ = 0;
  mutable MlpWork<double> w64_;
  MlpWork<float> w32_;
};

// y ← tanh(y) elementwise, vectorised (Eigen's tanh for double is scalar). Within a few ulp of
// std::tanh; the bits of each element do not depend on its position or on the array's length.
void tanh_inplace(double* y, Eigen::Index n);

}  // namespace pg
