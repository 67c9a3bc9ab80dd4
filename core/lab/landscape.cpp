#include "lab/landscape.h"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <memory>
#include <string>

#include "algo/algorithm.h"
#include "algo/ppo.h"
#include "env/tabular_model.h"
#include "exact/exact.h"
#include "exact/state_obs.h"
#include "io/scenario_enums.h"
#include "lab/policy_curve.h"
#include "lab/variance.h"
#include "session/session.h"
#include "util/cancel.h"
#include "util/error.h"
#include "util/number_text.h"

namespace pg {

namespace {

#define PG_DIRECTIONS                                                                                   \
  "theta:K (parameter K), grad (exact ∇J), natural (exact F⁻¹∇J), ghat (the last estimate ĝ), " \
  "update (the last update's step)"
const char* const kDirections = PG_DIRECTIONS;
const char* const kAllowed =
    PG_DIRECTIONS ", p (π(1|o) in a one-observation two-action world, alone)";
#undef PG_DIRECTIONS

const TabularModel& require_model(const Session& s) {
  if (!s.env().model())
    throw InputError("env.kind",
                     "a landscape needs a finite world (exact J); allowed: " + finite_env_names());
  return *s.env().model();
}

// Gram–Schmidt: the part of `e2` the unit vector `e1` does not cover. Below kMinPlaneNorm the two
// axes make no plane.
Eigen::VectorXd orthogonal_part(const Eigen::VectorXd& e2, const Eigen::VectorXd& e1) {
  Eigen::VectorXd out = e2 - e2.dot(e1) * e1;
  return out;
}
constexpr double kMinPlaneNorm = 1e-9;

bool needs_estimate(const std::vector<SliceAxis>& axes) {
  for (const SliceAxis& a : axes)
    if (a.kind == SliceAxisKind::kSampledGradient || a.kind == SliceAxisKind::kUpdate) return true;
  return false;
}

// The two-parameter problem z ↦ θ₀ + z₁e₁ + z₂e₂ on the exact oracle.
class Plane {
 public:
  Plane(const Session& s, const Eigen::VectorXd& origin, const Eigen::VectorXd& e1,
        const Eigen::VectorXd& e2)
      : env_(s.env()),
        pol_(s.policy().clone()),
        origin_(origin),
        e1_(e1),
        e2_(e2),
        theta_(origin),
        grad_(origin.size()) {}

  void set(const Eigen::Vector2d& z) {
    theta_ = origin_ + z[0] * e1_ + z[1] * e2_;
    pol_->set_params(theta_);
  }
  Eigen::Vector2d project(const Eigen::VectorXd& v) const {
    return Eigen::Vector2d(v.dot(e1_), v.dot(e2_));
  }
  double J() const { return exact_J(env_, *pol_); }
  ExactResult evaluate() const { return exact_evaluate(env_, *pol_); }

  // EᵀFE: the exact Fisher (exact/exact.h) restricted to the slice, at the current z.
  Eigen::Matrix2d fisher(const ExactResult& ex) {
    Eigen::Matrix2d F = Eigen::Matrix2d::Zero();
    StateObs view(env_, *pol_);
    const int A = pol_->num_actions();
    // Eᵀ∇log π(a|s) for every (s, a) without forming the P-vector ∇log π (S·A·P per step: 30525
    // parameters × 2777 states × 11 actions in the token task).
    //   Tabular softmax (layout θ[o·A + b], policy/policy.h): ∂ log π(a|o)/∂θ[o·A + b] =
    //   1[a = b] − π(b|o), so Eᵀ∇log π(a|o) = e[o·A + a] − Σ_b π(b|o) e[o·A + b], exactly.
    //   Other policies: central differences of log π along e₁ and e₂ (h = 1e-5: error O(h²) ≈
    //   1e-10 plus rounding ≈ 1e-11 relative), four forward passes per state.
    const bool tabular = pol_->kind() == PolicyKind::kTabular;
    constexpr double h = 1e-5;
    std::unique_ptr<Policy> shifted[4];
    if (!tabular)
      for (int k = 0; k < 4; ++k) {
        shifted[k] = pol_->clone();
        shifted[k]->set_params(theta_ + (k % 2 ? -h : h) * (k < 2 ? e1_ : e2_));
      }
    std::vector<double> lp(4 * static_cast<size_t>(A));
    for (int s = 0; s < ex.d.size(); ++s) {
      if (!(ex.d[s] > 0.0)) continue;
      const ObsRef o = view.state(s);
      Eigen::Vector2d mean = Eigen::Vector2d::Zero();
      if (tabular)
        for (int b = 0; b < A; ++b)
          mean += ex.probs(s, b) * Eigen::Vector2d(e1_[o.index * A + b], e2_[o.index * A + b]);
      else
        for (int k = 0; k < 4; ++k) shifted[k]->probs(o, lp.data() + k * A);
      for (int a = 0; a < A; ++a) {
        Eigen::Vector2d v;
        if (tabular)
          v = Eigen::Vector2d(e1_[o.index * A + a], e2_[o.index * A + a]) - mean;
        else
          v = Eigen::Vector2d(std::log(lp[a] / lp[A + a]),
                              std::log(lp[2 * A + a] / lp[3 * A + a])) /
              (2 * h);
        F += ex.d[s] * ex.probs(s, a) * v * v.transpose();
      }
    }
    const double total = ex.d.sum();
    return total > 0.0 ? Eigen::Matrix2d(F / total) : F;
  }

  // Eᵀ∇L at the current z, L the exact clipped surrogate around `old` (see the header).
  Eigen::Vector2d clip_gradient(const ExactResult& old, double eps) {
    StateObs view(env_, *pol_);
    const int A = pol_->num_actions();
    std::vector<double> p(A);
    grad_.setZero();
    for (int s = 0; s < old.d.size(); ++s) {
      if (!(old.d[s] > 0.0)) continue;
      const ObsRef o = view.state(s);
      pol_->probs(o, p.data());
      for (int a = 0; a < A; ++a) {
        const double p_old = old.probs(s, a);
        if (!(p_old > 0.0)) continue;
        const double r = p[a] / p_old;
        const double adv = old.Q(s, a) - old.V[s];
        // ∇ min(r A, clip(r) A) = ∂/∂r · r ∇log π(a|s)
        const double w = old.d[s] * p_old * clipped_surrogate_dr(r, adv, eps) * r;
        if (w != 0.0) pol_->add_grad_log_prob(o, a, w, grad_);
      }
    }
    return project(grad_);
  }

 private:
  const Env& env_;
  std::unique_ptr<Policy> pol_;
  Eigen::VectorXd origin_, e1_, e2_, theta_, grad_;
};

// A refusal of the exact oracle (exact/exact.cpp: J undefined where the episodes may never end)
// without its own "allowed: gamma < 1 or a step limit", which names the world's settings: far
// along a slice the policy is near-deterministic, and it is the slice's reach that is to lower.
std::string exact_refusal_cause(const InputError& e) {
  const std::string& p = e.problem();
  return p.substr(0, p.find("; allowed"));
}

// "the slice's point (−1e+06, 3)": a point's coordinates along the axes, for messages.
std::string slice_point_text(const Eigen::Vector2d& z) {
  char buf[80];
  std::snprintf(buf, sizeof buf, "(%.6g, %.6g)", z[0], z[1]);
  return std::string("the slice's point ") + buf;
}

// The refusal when a grid point lies where J is undefined (`e`, from the exact oracle): the span
// is what to lower — the world is fine where the session is — with how far J stays defined toward
// that point, found by bisection on the segment from θ₀ (about 30 exact solves). `chosen`: the
// span was given (else it is the automatic one). `e` itself when J is undefined at θ₀ too.
InputError span_too_far(const Session& s, const Landscape& L, const Eigen::Vector2d& z,
                        const InputError& e, bool chosen) {
  std::unique_ptr<Policy> pol = s.policy().clone();
  Eigen::VectorXd toward = z[0] * L.e1;
  if (L.is_2d()) toward += z[1] * L.e2;
  auto defined = [&](double f) {
    pol->set_params(L.origin + f * toward);
    try {
      return std::isfinite(exact_J(s.env(), *pol));
    } catch (const InputError&) {
      return false;
    }
  };
  if (!defined(0.0)) return e;
  double lo = 0.0, hi = 1.0;  // J defined at lo · z, not at hi · z
  for (int k = 0; k < 30; ++k) {
    const double mid = 0.5 * (lo + hi);
    (defined(mid) ? lo : hi) = mid;
  }
  // Rounded down to 3 significant digits, so the span suggested is inside the defined part.
  double reach = lo * L.span;
  if (reach > 0.0) {
    const double unit = std::pow(10.0, std::floor(std::log10(reach)) - 2.0);
    reach = std::floor(reach / unit) * unit;
  }
  char span[32], most[32];
  std::snprintf(span, sizeof span, "%.6g", L.span);
  std::snprintf(most, sizeof most, "%.3g", reach);
  char range[32];
  std::snprintf(range, sizeof range, "%.0f", kMaxLandscapeSpan);
  return InputError("span", std::string(chosen ? "" : "the automatic span ") + span +
                                " puts a grid point at " + slice_point_text(z) + ", where " +
                                exact_refusal_cause(e) + "; allowed: a span in [0, " + range +
                                "] whose grid stays where J is defined (this point's does up to "
                                "a span of about " +
                                most + "; 0: automatic)");
}

// z ← z + step(z) for `steps` steps from 0, J recorded at every point.
// progress: + 1 a point evaluated, steps + 1 in all (a path that stops early counts the rest).
template <class Step>
LandscapePath run_path(const char* name, Plane& plane, int steps, const std::atomic<bool>* cancel,
                       std::atomic<int>* progress, const char* knob, Step step) {
  LandscapePath path;
  path.name = name;
  Eigen::Vector2d z = Eigen::Vector2d::Zero();
  int counted = 0;
  const auto count = [&](int n) {
    if (progress) progress->fetch_add(n, std::memory_order_relaxed);
    counted += n;
  };
  for (int k = 0; k <= steps; ++k) {
    throw_if_cancelled(cancel);
    plane.set(z);
    ExactResult ex;
    try {
      ex = plane.evaluate();
    } catch (const InputError& e) {
      if (k == 0) throw;  // θ₀ itself: the session's own policy, the world's settings to blame
      throw InputError(knob, std::string(name) + "'s step " + std::to_string(k) + " reaches " +
                                 slice_point_text(z) + ", where " + exact_refusal_cause(e) +
                                 "; allowed: a smaller " + knob + " (0: automatic)");
    }
    path.x.push_back(z[0]);
    path.y.push_back(z[1]);
    path.J.push_back(ex.J);
    count(1);
    if (k == steps) break;
    const Eigen::Vector2d dz = step(z, ex);
    if (!dz.allFinite()) break;
    z += dz;
  }
  count(steps + 1 - counted);
  return path;
}

// NPG's step in the slice: β x, x = (F_z + λI)⁻¹ g_z, β = √(2δ / xᵀ(F_z + λI)x).
Eigen::Vector2d natural_step(Plane& plane, const ExactResult& ex, double damping, double delta) {
  const Eigen::Vector2d g = plane.project(ex.gradient);
  const Eigen::Matrix2d F = plane.fisher(ex) + damping * Eigen::Matrix2d::Identity();
  const Eigen::Vector2d x = F.ldlt().solve(g);
  const double xFx = x.dot(F * x);
  if (!(xFx > 0.0)) return Eigen::Vector2d::Zero();
  return std::sqrt(2.0 * delta / xFx) * x;
}

// The extent the automatic span holds: each path up to the point where it has made 90% of its
// gain in J. After that a path may drift far along directions where J hardly changes (natural
// PG's constant-KL steps grow without bound on a plateau) and leave the picture.
double max_abs_coord(const std::vector<LandscapePath>& paths) {
  double m = 0.0;
  for (const LandscapePath& p : paths) {
    const double gain = p.J.back() - p.J.front();
    for (size_t k = 0; k < p.x.size(); ++k) {
      m = std::max({m, std::abs(p.x[k]), std::abs(p.y[k])});
      if (gain > 0.0 && p.J[k] - p.J.front() >= 0.9 * gain) break;
    }
  }
  return m;
}

}  // namespace

namespace {

// `allowed`: what an unknown token's message lists.
SliceAxis parse_axis(const std::string& token, const std::string& key, const char* allowed) {
  SliceAxis a;
  if (token == "grad") {
    a.kind = SliceAxisKind::kExactGradient;
  } else if (token == "natural") {
    a.kind = SliceAxisKind::kNatural;
  } else if (token == "ghat") {
    a.kind = SliceAxisKind::kSampledGradient;
  } else if (token == "update") {
    a.kind = SliceAxisKind::kUpdate;
  } else if (token == "p") {
    a.kind = SliceAxisKind::kProb;
  } else {
    std::string digits = token.rfind("theta:", 0) == 0 ? token.substr(6) : token;
    if (digits.empty() || digits.size() > 9 ||
        !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
      throw InputError(key, "unknown axis '" + token + "'; allowed: " + allowed);
    a.kind = SliceAxisKind::kParam;
    a.index = std::stoi(digits);
  }
  return a;
}

}  // namespace

SliceAxis parse_slice_axis(const std::string& token, const std::string& key) {
  return parse_axis(token, key, kAllowed);
}

SliceAxis parse_direction(const std::string& token, const std::string& key) {
  if (token == "p")
    throw InputError(key, std::string("p is not a direction (it is a landscape's own axis); "
                                      "allowed: ") +
                              kDirections);
  return parse_axis(token, key, kDirections);
}

std::vector<SliceAxis> parse_slice_axes(const std::string& spec, const std::string& key) {
  std::vector<SliceAxis> axes;
  const std::vector<std::string_view> items = split_list(spec);
  for (size_t k = 0; k < items.size(); ++k) {
    if (items[k].empty())
      throw InputError(key,
                       (items.size() == 1 ? std::string("empty") : empty_item(k, items.size())) +
                           "; allowed: " + kAllowed);
    axes.push_back(parse_slice_axis(std::string(items[k]), key));
  }
  if (axes.size() > 2)
    throw InputError(key, "at most two axes, got " + std::to_string(axes.size()) + " in '" + spec +
                              "'; allowed: one axis, or two separated by a comma");
  if (axes.size() == 2) {
    if (axes[0].kind == SliceAxisKind::kProb || axes[1].kind == SliceAxisKind::kProb)
      throw InputError(key, "the p axis stands alone (--axes p)");
    if (axes[0].kind == axes[1].kind && axes[0].index == axes[1].index)
      throw InputError(key, "the two axes are the same ('" + spec + "'); allowed: two different");
  }
  return axes;
}

std::string slice_axis_name(const SliceAxis& a) {
  switch (a.kind) {
    case SliceAxisKind::kParam:
      return "theta:" + std::to_string(a.index);
    case SliceAxisKind::kProb:
      return "p";
    case SliceAxisKind::kExactGradient:
      return "grad";
    case SliceAxisKind::kNatural:
      return "natural";
    case SliceAxisKind::kSampledGradient:
      return "ghat";
    case SliceAxisKind::kUpdate:
      return "update";
  }
  return "?";
}

std::string slice_axis_label(const SliceAxis& a) {
  switch (a.kind) {
    case SliceAxisKind::kParam:
      return "Δθ[" + std::to_string(a.index) + "]";
    case SliceAxisKind::kProb:
      return "p = π(1|o)";
    case SliceAxisKind::kExactGradient:
      return "along ∇J";
    case SliceAxisKind::kNatural:
      return "along F⁻¹∇J";
    case SliceAxisKind::kSampledGradient:
      return "along ĝ";
    case SliceAxisKind::kUpdate:
      return "along the update";
  }
  return "?";
}

const char* slice_axis_allowed() {
  return kAllowed;
}

Eigen::VectorXd slice_origin(const Session& s, const std::vector<SliceAxis>& axes) {
  if (!needs_estimate(axes)) return s.policy().params();
  if (!s.has_estimate() || !s.batch_complete())
    throw InputError("axes",
                     "ghat and update need a complete batch with its estimate; run an iteration "
                     "first (or use grad, natural, theta:K)");
  return s.behaviour_policy().params();
}

std::vector<SliceAxis> default_slice_axes(const Session& s, std::string* why) {
  require_model(s);
  std::string reason;
  try {
    const Eigen::VectorXd origin = s.policy().params();
    const Eigen::VectorXd e1 = slice_direction(s, {SliceAxisKind::kExactGradient, 0}, origin);
    const Eigen::VectorXd e2 = slice_direction(s, {SliceAxisKind::kNatural, 0}, origin);
    if (orthogonal_part(e2, e1).norm() > kMinPlaneNorm) {
      if (why) why->clear();
      return {{SliceAxisKind::kExactGradient, 0}, {SliceAxisKind::kNatural, 0}};
    }
    reason = "∇J and F⁻¹∇J point the same way";
  } catch (const InputError& e) {
    reason = e.problem().substr(0, e.problem().find("; allowed"));
  }
  if (why) *why = reason;
  if (s.policy().num_params() < 2) return {{SliceAxisKind::kParam, 0}};
  return {{SliceAxisKind::kParam, 0}, {SliceAxisKind::kParam, 1}};
}

Eigen::VectorXd slice_direction(const Session& s, const SliceAxis& axis,
                                const Eigen::VectorXd& origin, const std::string& key) {
  const int P = static_cast<int>(origin.size());
  Eigen::VectorXd d = Eigen::VectorXd::Zero(P);
  switch (axis.kind) {
    case SliceAxisKind::kParam:
      if (axis.index < 0 || axis.index >= P)
        throw InputError(key,
                         "parameter " + std::to_string(axis.index) +
                             " does not exist; allowed: theta:0 … theta:" + std::to_string(P - 1));
      d[axis.index] = 1.0;
      return d;
    case SliceAxisKind::kProb:
      throw InputError(key, "p is not a direction; it stands alone (--axes p)");
    case SliceAxisKind::kExactGradient:
    case SliceAxisKind::kNatural: {
      if (!s.env().model())
        throw InputError("env.kind", slice_axis_name(axis) +
                                         " needs the exact oracle, a finite world; allowed: " +
                                         finite_env_names());
      if (axis.kind == SliceAxisKind::kNatural && P > kMaxNaturalParams)
        throw InputError(key, "natural needs the dense Fisher; at most " +
                                  std::to_string(kMaxNaturalParams) +
                                  " parameters, this policy has " + std::to_string(P) +
                                  "; allowed here: grad, ghat, update, theta:K");
      std::unique_ptr<Policy> pol = s.policy().clone();
      pol->set_params(origin);
      d = exact_evaluate(s.env(), *pol).gradient;
      if (axis.kind == SliceAxisKind::kNatural) {
        Eigen::MatrixXd F = exact_fisher(s.env(), *pol);
        F.diagonal().array() += s.scenario().trpo.damping;
        d = F.ldlt().solve(d);
      }
      break;
    }
    case SliceAxisKind::kSampledGradient:
      if (!s.has_estimate() || !s.batch_complete())
        throw InputError(key, "ghat needs a complete batch with its estimate");
      d = s.last_estimate().gradient;
      break;
    case SliceAxisKind::kUpdate:
      if (!s.has_estimate() || !s.batch_complete())
        throw InputError(key, "update needs a complete batch with its estimate");
      d = s.policy().params() - s.behaviour_policy().params();
      break;
  }
  const double n = d.norm();
  if (axis.kind == SliceAxisKind::kUpdate && !(n > 0.0)) {
    // A learner that waits for a warm-up (SAC: sac.warmup transitions in its replay buffer)
    // estimated ĝ but applied no step: say so, and how far the run has to go ("train an iteration
    // first" said nothing to a user who had).
    const AlgorithmInfo info = s.algorithm().info(s.scenario());
    const long steps = s.total_steps();
    if (!info.update_applies(steps)) {
      // The batches collected: every iteration's up to the one sliced (its batch, its update).
      const long done = s.batch_iteration() + 1;
      const std::string have = "the run has collected " + std::to_string(steps) + " env steps in " +
                               std::to_string(done) + (done == 1 ? " iteration" : " iterations");
      if (info.warmup_steps == std::numeric_limits<long>::max())
        throw InputError(key, "the update direction is zero: the update waits for sac.warmup = " +
                                  std::to_string(s.scenario().sac.warmup) +
                                  " transitions, more than the replay buffer holds "
                                  "(sac.buffer_size = " +
                                  std::to_string(s.scenario().sac.buffer_size) +
                                  "), so it never steps; lower sac.warmup, or take another axis");
      const double per_iteration =
          done > 0 ? static_cast<double>(steps) / static_cast<double>(done) : 0.0;
      std::string need;
      if (per_iteration > 0.0)
        need = " (at this pace " +
               std::to_string(static_cast<long>(
                   std::ceil(static_cast<double>(info.warmup_steps) / per_iteration))) +
               " iterations in all)";
      throw InputError(key,
                       "the update direction is zero: no update has changed θ yet, as the "
                       "update waits for sac.warmup = " +
                           std::to_string(info.warmup_steps) +
                           " transitions in the replay buffer and " + have +
                           "; train until it holds them" + need +
                           ", lower sac.warmup, or take another axis (ghat)");
    }
  }
  // The batch shown was updated on (its iteration is over, or evaluating): an update applied but
  // did not move θ ("or train an iteration first" was said after two). Before its update (an
  // estimate taken at iteration 0) the generic message below holds.
  const bool updated = s.phase() == Phase::kCollect || s.phase() == Phase::kEvaluate;
  if (axis.kind == SliceAxisKind::kUpdate && !(n > 0.0) && updated) {
    if (s.last_estimate().gradient.norm() > 0.0)
      throw InputError(key,
                       "the update direction is zero: the last update did not move θ though its "
                       "gradient estimate ĝ is not zero (a zero step size, or a line search that "
                       "rejected every step it tried?); allowed: another axis (ghat, grad)");
    // ĝ = 0: every advantage in the batch was 0, as when all its rewards are equal (no reward
    // reached yet in a sparse world).
    double first = NAN;
    bool equal = true;
    for (const Trajectory& t : s.batch().trajectories)
      for (double r : t.rewards) {
        if (std::isnan(first)) first = r;
        equal = equal && r == first;
      }
    char why[160] = "";
    if (equal && !std::isnan(first))
      std::snprintf(why, sizeof why,
                    ": every reward in its %d steps was %g, so no advantage differs from 0",
                    s.batch().num_steps(), first);
    throw InputError(key, std::string("the update direction is zero: the last batch's gradient "
                                      "estimate ĝ is zero") +
                              why +
                              ", and its update did not move θ; allowed: train until a "
                              "batch's rewards differ, or another axis (grad, theta:K)");
  }
  if (!(n > 0.0) || !std::isfinite(n))
    throw InputError(key, "the " + slice_axis_name(axis) +
                              " direction is zero here (nothing to slice along); allowed: "
                              "another axis, or train an iteration first");
  return d / n;
}

LandscapeWork landscape_work(const LandscapeSpec& spec) {
  LandscapeWork w;
  const bool two = spec.axes.size() == 2;
  w.grid_points = spec.grid * (two ? spec.grid : 1);
  if (two && spec.path_steps > 0) {
    w.paths = 3;
    w.path_points = spec.path_steps + 1;
  }
  return w;
}

Landscape compute_landscape(const Session& s, const LandscapeSpec& spec,
                            const std::atomic<bool>* cancel, std::atomic<int>* progress) {
  require_model(s);
  if (spec.axes.empty() || spec.axes.size() > 2)
    throw InputError("axes", std::string("one or two axes; allowed: ") + kAllowed);
  if (spec.grid < 2 || spec.grid > kMaxLandscapeGrid)
    throw InputError("grid", "grid " + std::to_string(spec.grid) +
                                 " is out of range; allowed: 2 … " +
                                 std::to_string(kMaxLandscapeGrid));
  if (!(spec.span >= 0.0 && spec.span <= kMaxLandscapeSpan))
    throw InputError("span", "the span must be a number in [0, 1000000] (0: automatic)");
  if (spec.path_steps < 0 || spec.path_steps > 10000)
    throw InputError("steps", "path steps must be in 0 … 10000");
  Landscape L;
  L.axes = spec.axes;
  L.origin = slice_origin(s, spec.axes);
  L.x_label = slice_axis_label(spec.axes[0]);
  std::unique_ptr<Policy> pol = s.policy().clone();
  const int n = spec.grid;

  if (spec.axes[0].kind == SliceAxisKind::kProb) {
    const Env& env = s.env();
    if (env.num_obs() != 1 || env.num_actions() != 2 || pol->num_params() != 2)
      throw InputError("axes",
                       "p needs a world with one observation and two actions and a tabular "
                       "policy (the short corridor); '" +
                           env.name() + "' is not one");
    L.y = {0.0};
    L.J.resize(1, n);
    Eigen::VectorXd theta = L.origin;
    for (int k = 0; k < n; ++k) {
      throw_if_cancelled(cancel);
      const double p = (k + 1.0) / (n + 1.0);
      theta[1] = theta[0] + std::log(p / (1.0 - p));  // σ(θ[1] − θ[0]) = p
      pol->set_params(theta);
      L.x.push_back(p);
      L.J(0, k) = exact_J(env, *pol);
      if (progress) progress->fetch_add(1, std::memory_order_relaxed);
    }
    pol->set_params(L.origin);
    L.origin_x = prob_of_action(*pol, 1);
    L.J_origin = exact_J(env, *pol);
    L.J_min = L.J.minCoeff();
    L.J_max = L.J.maxCoeff();
    return L;
  }

  L.e1 = slice_direction(s, spec.axes[0], L.origin);
  if (spec.axes.size() == 2) {
    const Eigen::VectorXd e2 = orthogonal_part(slice_direction(s, spec.axes[1], L.origin), L.e1);
    const double norm = e2.norm();
    if (!(norm > kMinPlaneNorm)) {
      // Say what would draw (grad and natural coincide where the Fisher maps ∇J onto a multiple
      // of itself: a uniform softmax policy, as every tabular scenario starts).
      const std::string last = std::to_string(L.origin.size() - 1);
      std::string allowed = "; allowed: two axes that differ here, e.g. grad,theta:0";
      if (L.origin.size() >= 2) allowed += " or theta:0,theta:1 (theta:0 … theta:" + last + ")";
      if (s.scenario().env.kind == EnvKind::kShortCorridor) allowed += ", or p alone";
      throw InputError("axes", "the two axes point the same way here (" +
                                   slice_axis_name(spec.axes[0]) + ", " +
                                   slice_axis_name(spec.axes[1]) + "): no plane to draw" + allowed);
    }
    L.e2 = e2 / norm;
    L.y_label = slice_axis_label(spec.axes[1]);
    if (spec.axes[1].kind != SliceAxisKind::kParam && spec.axes[0].kind != SliceAxisKind::kParam)
      L.y_label += " (⊥)";
  }

  // Paths first: with an automatic span the grid is sized to hold them.
  L.kl_step = spec.kl_step > 0.0 ? spec.kl_step : s.scenario().trpo.max_kl;
  L.clip_eps = s.scenario().ppo.clip_eps;
  L.epochs = std::max(1, s.scenario().ppo.epochs);
  if (L.is_2d() && spec.path_steps > 0) {
    Plane plane(s, L.origin, L.e1, L.e2);
    const double damping = s.scenario().trpo.damping;
    L.paths.push_back(run_path("natural PG", plane, spec.path_steps, cancel, progress, "kl-step",
                               [&](const Eigen::Vector2d&, const ExactResult& ex) {
                                 return natural_step(plane, ex, damping, L.kl_step);
                               }));
    L.lr = spec.lr;
    if (!(L.lr > 0.0)) {
      // Vanilla's first step as long as natural's.
      plane.set(Eigen::Vector2d::Zero());
      const ExactResult ex = plane.evaluate();
      const double g = plane.project(ex.gradient).norm();
      const double first = natural_step(plane, ex, damping, L.kl_step).norm();
      L.lr = g > 0.0 ? first / g : 0.0;
    }
    L.paths.insert(L.paths.begin(),
                   run_path("vanilla PG", plane, spec.path_steps, cancel, progress, "lr",
                            [&](const Eigen::Vector2d&, const ExactResult& ex) {
                              return Eigen::Vector2d(L.lr * plane.project(ex.gradient));
                            }));
    L.paths.push_back(run_path("PPO", plane, spec.path_steps, cancel, progress, "lr",
                               [&](const Eigen::Vector2d& z_old, const ExactResult& old) {
                                 Eigen::Vector2d z = z_old;
                                 for (int e = 0; e < L.epochs; ++e) {
                                   plane.set(z);
                                   z += L.lr * plane.clip_gradient(old, L.clip_eps);
                                 }
                                 return Eigen::Vector2d(z - z_old);
                               }));
  }
  L.span = spec.span > 0.0 ? spec.span : std::clamp(1.15 * max_abs_coord(L.paths), 1.0, 20.0);
  if (L.paths.empty() && !(spec.span > 0.0)) L.span = 4.0;

  for (int k = 0; k < n; ++k) L.x.push_back(-L.span + 2.0 * L.span * k / (n - 1));
  if (L.is_2d())
    L.y = L.x;
  else
    L.y = {0.0};
  L.J.resize(static_cast<Eigen::Index>(L.y.size()), n);
  Eigen::VectorXd theta(L.origin.size());
  for (size_t i = 0; i < L.y.size(); ++i) {
    throw_if_cancelled(cancel);
    for (int j = 0; j < n; ++j) {
      theta = L.origin + L.x[j] * L.e1;
      if (L.is_2d()) theta += L.y[i] * L.e2;
      pol->set_params(theta);
      try {
        L.J(static_cast<Eigen::Index>(i), j) = exact_J(s.env(), *pol);
      } catch (const InputError& e) {
        throw span_too_far(s, L, Eigen::Vector2d(L.x[j], L.y[i]), e, spec.span > 0.0);
      }
    }
    if (progress) progress->fetch_add(n, std::memory_order_relaxed);
  }
  pol->set_params(L.origin);
  L.J_origin = exact_J(s.env(), *pol);
  L.J_min = L.J.minCoeff();
  L.J_max = L.J.maxCoeff();
  return L;
}

CorridorCloud corridor_cloud(const Session& s, int samples, int points,
                             const std::atomic<bool>* cancel, std::atomic<int>* progress) {
  const Env& env = s.env();
  if (!env.model() || env.num_obs() != 1 || env.num_actions() != 2 || s.policy().num_params() != 2)
    throw InputError("env",
                     "the J(p) picture needs a one-observation two-action world with a "
                     "tabular policy (the short corridor)");
  if (!s.algorithm().info(s.scenario()).reinforce_settings)
    throw InputError("algorithm.name",
                     "the gradient cloud samples REINFORCE estimates; this algorithm has none");
  if (samples < 2 || samples > 100000) throw InputError("samples", "samples must be in 2 … 100000");
  CorridorCloud c;
  const PolicyCurve curve = short_corridor_curve(env, points, 0.01, 0.99);
  c.p = curve.p;
  c.J = curve.J;
  const ExactResult ex = exact_evaluate(env, s.policy());
  c.p0 = prob_of_action(s.policy(), 1);
  c.J0 = ex.J;
  const double dpdu = c.p0 * (1.0 - c.p0);
  // dJ/du = ∂J/∂θ[1] = −∂J/∂θ[0]; the mean of the two is the same number and uses both.
  auto slope = [&](const Eigen::VectorXd& g) { return (g[1] - g[0]) / (2.0 * dpdu); };
  c.slope_exact = slope(ex.gradient);
  VarianceOptions opt;
  opt.keep_samples = true;
  opt.samples_name = "samples";  // the view's slider and the CLI's corridor samples
  opt.cancel = cancel;
  opt.progress = progress;
  const VarianceReport rep = run_variance(s, {s.estimator()}, samples, opt);
  throw_if_cancelled(cancel);
  if (rep.settings.empty()) throw Cancelled();
  for (const Eigen::VectorXd& g : rep.settings[0].samples) c.slopes.push_back(slope(g));
  double sum = 0.0, sq = 0.0;
  for (double v : c.slopes) sum += v;
  c.slope_mean = sum / c.slopes.size();
  for (double v : c.slopes) sq += (v - c.slope_mean) * (v - c.slope_mean);
  c.slope_std = std::sqrt(sq / std::max<size_t>(1, c.slopes.size() - 1));
  c.slope_stderr = c.slope_std / std::sqrt(static_cast<double>(c.slopes.size()));
  return c;
}

}  // namespace pg
