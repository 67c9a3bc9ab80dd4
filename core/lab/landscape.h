#pragma once
// Objective landscapes: the exact J over a 1-D or 2-D slice of parameter space around the
// session's θ, in finite worlds (exact/exact.h), with the paths vanilla PG, natural PG and PPO take
// across a 2-D slice from the same start.
//
// A slice is an origin θ₀ and one or two axes; grid point (x, y) is θ = θ₀ + x e₁ + y e₂:
//   theta:K   e = the unit vector of parameter K (tabular: logit θ[o·A + a]); x is Δθ_K
//   grad      e = ∇J(θ₀) / ‖∇J(θ₀)‖                           (exact gradient)
//   natural   e = (F + λI)⁻¹∇J / ‖·‖ at θ₀ (exact Fisher, λ = trpo.damping)
//   ghat      e = ĝ / ‖ĝ‖, the session's last estimate        (origin: the estimate's θ_old)
//   update    e = (θ − θ_old) / ‖θ − θ_old‖, the last update's step (origin: θ_old)
//   p         one-observation two-action worlds (the short corridor), alone: x = p = π(1|o) on
//             p_k = (k + 1) / (N + 1), k < N, with θ = (θ₀[0], θ₀[0] + log(p / (1 − p))).
// A second axis is Gram–Schmidt orthogonalised against the first (a "natural" axis beside "grad"
// is the part of the natural gradient the plain one misses). The origin is θ_old when an axis is
// ghat or update, else the current θ.
//
// Paths (2-D slices). Deterministic: each algorithm runs on the exact quantities, restricted to
// the slice — the two-parameter problem z ↦ J(θ₀ + z₁e₁ + z₂e₂) with E = [e₁ e₂] — so every point
// of a path lies on the surface drawn under it:
//   vanilla  z ← z + α Eᵀ∇J
//   natural  z ← z + β x,  x = (EᵀFE + λI)⁻¹ Eᵀ∇J,  β = √(2δ / xᵀ(EᵀFE + λI)x)   (NPG's step,
//            algo/npg.h, with the exact Fisher F of exact/exact.h restricted to the slice)
//   ppo      per outer step, K epochs of z ← z + α Eᵀ∇L(z) on the exact clipped surrogate at
//            z_old:  L(θ) = Σ_s d_old(s) Σ_a π_old(a|s) min(r A_old, clip(r, 1−ε, 1+ε) A_old),
//            r = π_θ(a|s)/π_old(a|s), A_old = Q_old − V_old from the oracle at z_old. Weighted by
//            d (not d/Σd) so ∇L = ∇J at z_old: with K = 1, ppo's first step is vanilla's. With a
//            step limit the oracle's Q and V are those of time 0 (exact for the first step of the
//            horizon, an approximation for later ones).
// Step sizes: δ = trpo.max_kl (or the spec's); α (0 = auto) makes vanilla's first step as long as
// natural's; ε = ppo.clip_eps and K = ppo.epochs. The automatic span (spec.span = 0) holds every
// path up to where it has made 90% of its gain in J, × 1.15, within [1, 20].
//
// Cost: one exact J per grid point (grid² of them) and one exact evaluation per path step.

#include <Eigen/Core>
#include <atomic>
#include <string>
#include <vector>

namespace pg {

class Session;

enum class SliceAxisKind { kParam, kProb, kExactGradient, kNatural, kSampledGradient, kUpdate };

struct SliceAxis {
  SliceAxisKind kind = SliceAxisKind::kExactGradient;
  int index = 0;  // kParam: the parameter
};

// "theta:K" (or "K"), "grad", "natural", "ghat", "update", "p". Throws InputError naming `key`.
SliceAxis parse_slice_axis(const std::string& token, const std::string& key);
// The same for a direction to step along (the surrogate's): every axis but p.
SliceAxis parse_direction(const std::string& token, const std::string& key);
// One or two comma-separated axes; "p" only alone; two axes must differ.
std::vector<SliceAxis> parse_slice_axes(const std::string& spec, const std::string& key);
std::string slice_axis_name(const SliceAxis& a);   // the token parse_slice_axis reads
std::string slice_axis_label(const SliceAxis& a);  // for plots: "Δθ[5]", "along ∇J", …
// The allowed tokens, for messages.
const char* slice_axis_allowed();

// The axes a landscape takes when none are asked for: grad,natural where that plane forms; else
// (∇J and F⁻¹∇J point the same way, as in every one-observation world at a uniform policy — the
// short corridor, the bandit —, ∇J is zero, or the policy is too large for the dense Fisher) the
// first two logits, theta:0,theta:1 (theta:0 alone for a one-parameter policy). `why` (if given)
// says why grad,natural was passed over, "" when it was not. Throws InputError (env.kind) without
// a finite world.
std::vector<SliceAxis> default_slice_axes(const Session& s, std::string* why = nullptr);

// θ₀ of a slice along these axes (see above). Throws InputError when an axis needs an estimate or
// an update the session does not have.
Eigen::VectorXd slice_origin(const Session& s, const std::vector<SliceAxis>& axes);
// The unit direction of a non-p axis at θ₀. Throws InputError naming `key` (the option that chose
// the axis: landscape's axes, surrogate's direction) when it cannot be formed (no estimate for
// ghat, a zero vector, K out of range), or env.kind when grad/natural have no finite world.
Eigen::VectorXd slice_direction(const Session& s, const SliceAxis& axis,
                                const Eigen::VectorXd& origin, const std::string& key = "axes");

struct LandscapeSpec {
  std::vector<SliceAxis> axes;  // 1 or 2
  int grid = 41;                // points per axis, 2 … kMaxLandscapeGrid
  double span = 0.0;            // half-width of a direction axis in parameter units; 0: auto
  int path_steps = 40;          // 2-D: outer steps of each path (0: no paths)
  double lr = 0.0;              // α of vanilla and of PPO's epochs; 0: auto
  double kl_step = 0.0;         // δ of natural's steps; 0: trpo.max_kl
};
inline constexpr int kMaxLandscapeGrid = 401;
// The largest span (--span); beyond where J is defined a grid is refused naming the span.
inline constexpr double kMaxLandscapeSpan = 1e6;
// The natural-gradient axis solves with the dense Fisher (P × P): at most this many parameters.
inline constexpr int kMaxNaturalParams = 4096;

struct LandscapePath {
  std::string name;          // "vanilla PG", "natural PG", "PPO"
  std::vector<double> x, y;  // slice coordinates of z_0 = (0, 0), z_1, …
  std::vector<double> J;     // exact J at each point
};

struct Landscape {
  std::vector<SliceAxis> axes;
  std::string x_label, y_label;    // y_label empty for 1-D
  Eigen::VectorXd origin, e1, e2;  // e1 empty for p; e2 empty for 1-D
  std::vector<double> x, y;        // grid coordinates (y: {0} for 1-D); p values for p
  Eigen::MatrixXd J;               // y.size() × x.size(): J(θ(x_j, y_i)) at (i, j)
  double J_origin = 0.0;
  double origin_x = 0.0, origin_y = 0.0;  // θ₀'s coordinates (p: p₀)
  double J_min = 0.0, J_max = 0.0;        // over the grid
  double span = 0.0;                      // half-width used (direction axes)
  std::vector<LandscapePath> paths;       // vanilla, natural, ppo (2-D only)
  double lr = 0.0, kl_step = 0.0, clip_eps = 0.0;
  int epochs = 0;
  bool is_2d() const { return e2.size() > 0; }
};

// The landscape of the session's world. Throws InputError for a world without a model, bad
// axes or sizes. cancel: polled per grid row and path step (throws Cancelled). progress: the work
// done, of landscape_work(spec): first the paths' points (2-D with path_steps > 0: natural PG,
// vanilla PG, PPO, path_steps + 1 each, where the time goes on a large world), then the grid
// points (grid, or grid² on two axes), row by row.
Landscape compute_landscape(const Session& s, const LandscapeSpec& spec,
                            const std::atomic<bool>* cancel = nullptr,
                            std::atomic<int>* progress = nullptr);
// The path points and the grid points compute_landscape counts into its progress.
struct LandscapeWork {
  int path_points = 0;  // per path (path_steps + 1), 0 without paths
  int paths = 0;        // 3 on two axes with path_steps > 0
  int grid_points = 0;
  int total() const { return paths * path_points + grid_points; }
};
LandscapeWork landscape_work(const LandscapeSpec& spec);
// The order compute_landscape runs the paths in (its progress counts them so).
inline constexpr const char* kLandscapePathOrder[3] = {"natural PG", "vanilla PG", "PPO"};

// The short corridor's 1-D picture: J(p) and the cloud of sampled gradients at the current p.
// J depends on θ only through u = θ[1] − θ[0] and p = σ(u), so a sampled ĝ gives the slope
// estimate dĴ/dp = (ĝ[1] − ĝ[0]) / (2 p (1 − p)); each of the K estimates (lab/variance.h, the
// session's estimator settings, batches of its size) is drawn as a tangent through (p, J(p)).
struct CorridorCloud {
  std::vector<double> p, J;    // the exact curve (policy_curve.h)
  double p0 = 0.0, J0 = 0.0;   // the current policy
  double slope_exact = 0.0;    // dJ/dp at p0 (from the exact ∇J)
  std::vector<double> slopes;  // the K sampled dĴ/dp
  double slope_mean = 0.0;
  double slope_std = 0.0;     // sample standard deviation (divisor K − 1)
  double slope_stderr = 0.0;  // standard error of slope_mean: slope_std / √K
};
// K and the curve's points the landscape view and `pglab landscape --axes p` use by default, so
// that both show the same cloud (the view's samples slider and the CLI's --samples start here).
inline constexpr int kCorridorCloudSamples = 200;
inline constexpr int kCorridorCurvePoints = 197;
// Needs a one-observation, two-action finite world and the REINFORCE estimator settings.
// Deterministic: batch k uses the lab streams of lab/variance.h at the session's θ, so a session
// and its copy give the same cloud bit for bit.
CorridorCloud corridor_cloud(const Session& s, int samples, int points = kCorridorCurvePoints,
                             const std::atomic<bool>* cancel = nullptr,
                             std::atomic<int>* progress = nullptr);

}  // namespace pg
