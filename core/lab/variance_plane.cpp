#include "lab/variance_plane.h"

#include <cmath>

#include "estimator/estimator_config.h"
#include "util/error.h"

namespace pg {

namespace {

// Removes the components of v along the unit vectors in `basis`. Twice ("twice is enough",
// Kahan–Parlett): one classical pass leaves a part along b of the order ε·‖v‖, which is the whole
// vector when v is almost parallel to b (power iteration's Σ r (r·v) is, when the residuals lie
// along b); the second pass removes it to ε·‖v_⊥‖.
void orthogonalize(Eigen::VectorXd& v, const std::vector<const Eigen::VectorXd*>& basis) {
  for (int pass = 0; pass < 2; ++pass)
    for (const Eigen::VectorXd* b : basis) v -= v.dot(*b) * *b;
}

// Residuals whose part off the basis carries less than this share of Σ‖r‖² count as none: above
// rounding (ε² ≈ 5e-32 per residual) by twelve orders of magnitude, below any scatter a picture
// could show (1e-10 of the spread) by ten.
constexpr double kNoScatter = 1e-20;

// A unit vector orthogonal to `basis` (for residuals that vanish): the coordinate axis least
// aligned with the basis, orthogonalised.
Eigen::VectorXd any_orthogonal(int P, const std::vector<const Eigen::VectorXd*>& basis) {
  Eigen::VectorXd best;
  double best_norm = -1.0;
  for (int i = 0; i < P; ++i) {
    Eigen::VectorXd v = Eigen::VectorXd::Unit(P, i);
    orthogonalize(v, basis);
    if (v.norm() > best_norm + 1e-12) {
      best_norm = v.norm();
      best = v;
    }
  }
  return best / best_norm;
}

// Top eigenvector of Σ_i r_i r_iᵀ restricted to the complement of `basis`, by power iteration
// (v ← Σ_i r_i (r_i·v)); never forms the P×P matrix (MLP policies have thousands of parameters).
Eigen::VectorXd top_direction(const std::vector<Eigen::VectorXd>& residuals, int P,
                              const std::vector<const Eigen::VectorXd*>& basis,
                              int max_iterations) {
  // Start from the largest residual (orthogonalised): deterministic and rarely orthogonal to the
  // top direction.
  Eigen::VectorXd v;
  double best = 0.0, total = 0.0;
  for (const Eigen::VectorXd& r : residuals) {
    total += r.squaredNorm();
    Eigen::VectorXd c = r;
    orthogonalize(c, basis);
    if (c.squaredNorm() > best) {
      best = c.squaredNorm();
      v = c;
    }
  }
  // No residual off the basis beyond rounding (relative to the residuals themselves: a ĝ of norm
  // 300 along ∇J leaves ~1e-14 across it, far above any absolute threshold): there is no sideways
  // scatter to find, and power iteration would normalise the rounding into an axis (the short
  // corridor's one-observation, two-action ĝ all lie along ∇J). Any orthogonal direction shows
  // the (zero) scatter as it is.
  if (!(best > kNoScatter * total)) return any_orthogonal(P, basis);
  v.normalize();
  Eigen::VectorXd next(P);
  for (int it = 0; it < max_iterations; ++it) {
    next.setZero();
    for (const Eigen::VectorXd& r : residuals) next += r.dot(v) * r;
    orthogonalize(next, basis);
    const double n = next.norm();
    if (!(n > 0.0)) break;
    next /= n;
    const double change = (next - v).norm();
    v = next;
    if (change < 1e-12) break;
  }
  // Once more against the basis after the last normalisation: orthonormal to rounding.
  orthogonalize(v, basis);
  return v.normalized();
}

}  // namespace

VariancePlane variance_plane(const VarianceReport& rep, int max_iterations) {
  PG_ASSERT(!rep.settings.empty() && !rep.settings.front().samples.empty(),
            "variance_plane needs the samples: run_variance with keep_samples = true");
  const int P = static_cast<int>(rep.settings.front().mean.size());
  VariancePlane plane;

  // Reference direction: exact ∇J, else the unbiased total/none mean, else the pooled mean.
  Eigen::VectorXd reference;
  if (rep.exact_gradient.size() == P && rep.exact_gradient.norm() > 0.0) {
    reference = rep.exact_gradient;
    plane.x_is_exact = true;
  } else {
    for (const VarianceSetting& v : rep.settings)
      if (v.config.returns == Returns::kTotal && v.config.baseline == Baseline::kNone)
        reference = v.mean;
    if (reference.size() != P || !(reference.norm() > 0.0)) {
      reference = Eigen::VectorXd::Zero(P);
      for (const VarianceSetting& v : rep.settings) reference += v.mean;
    }
  }

  // Residuals about each setting's own mean: the noise, not the bias.
  std::vector<Eigen::VectorXd> residuals;
  double total = 0.0;
  for (const VarianceSetting& v : rep.settings)
    for (const Eigen::VectorXd& g : v.samples) {
      residuals.push_back(g - v.mean);
      total += residuals.back().squaredNorm();
    }

  if (reference.norm() > 0.0) {
    plane.x_axis = reference.normalized();
  } else {
    plane.x_is_pc = true;
    plane.x_axis = top_direction(residuals, P, {}, max_iterations);
  }
  plane.y_axis = top_direction(residuals, P, {&plane.x_axis}, max_iterations);

  double in_plane = 0.0;
  for (const Eigen::VectorXd& r : residuals) {
    const double a = r.dot(plane.x_axis), b = r.dot(plane.y_axis);
    in_plane += a * a + b * b;
  }
  plane.shown_fraction = total > 0.0 ? std::min(1.0, in_plane / total) : 1.0;
  return plane;
}

Eigen::Vector2d project(const VariancePlane& plane, const Eigen::Ref<const Eigen::VectorXd>& g) {
  return Eigen::Vector2d(g.dot(plane.x_axis), g.dot(plane.y_axis));
}

std::vector<PlaneCloud> project_clouds(const VarianceReport& rep, const VariancePlane& plane) {
  std::vector<PlaneCloud> out;
  out.reserve(rep.settings.size());
  for (const VarianceSetting& v : rep.settings) {
    PlaneCloud c;
    c.x.reserve(v.samples.size());
    c.y.reserve(v.samples.size());
    for (const Eigen::VectorXd& g : v.samples) {
      const Eigen::Vector2d p = project(plane, g);
      c.x.push_back(p.x());
      c.y.push_back(p.y());
    }
    const Eigen::Vector2d m = project(plane, v.mean);
    c.mean_x = m.x();
    c.mean_y = m.y();
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace pg
