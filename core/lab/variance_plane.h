#pragma once
// A 2-D picture of the variance lab: the K estimates of every setting projected onto one plane of
// parameter space, chosen so the picture means something.
//
//   x axis e₁ = ∇J / ‖∇J‖            (exact worlds; else the mean direction, see below)
//   y axis e₂ = the top principal direction of the residuals r = ĝ_jk − ḡ_j (pooled over every
//               setting j and batch k) after removing their e₁ component: the direction, orthogonal
//               to the gradient, in which the estimates scatter most.
//
// So x reads "how far along the true gradient" (ḡ's x is the part of the mean that ascends J; with
// an unbiased estimator it is ‖∇J‖), and y is the worst sideways noise. Without an exact gradient
// e₁ is the mean of the returns=total, baseline=none estimates (unbiased by theory), else the
// pooled mean. If that direction is zero, e₁ and e₂ are the top two principal directions.
//
//   VarianceOptions o; o.keep_samples = true;
//   VarianceReport rep = run_variance(session, all_settings(session), 200, o);
//   VariancePlane plane = variance_plane(rep);
//   std::vector<PlaneCloud> clouds = project_clouds(rep, plane);   // one per rep.settings[j]

#include <Eigen/Core>
#include <vector>

#include "lab/variance.h"

namespace pg {

struct VariancePlane {
  Eigen::VectorXd x_axis, y_axis;  // orthonormal unit vectors, num_params each
  bool x_is_exact = false;         // x_axis is ∇J/‖∇J‖ (else the mean direction or a PC)
  bool x_is_pc = false;            // no reference direction: x_axis is the top principal direction
  // Share of the pooled residual variance Σ‖r‖² that lies in the plane, in [0, 1]: how much of the
  // scatter the picture shows (the rest is in the other num_params − 2 directions).
  double shown_fraction = 0.0;
};

// Needs rep.settings[j].samples (run_variance with keep_samples). Deterministic: power iteration
// from the largest residual, at most max_iterations sweeps over the residuals.
VariancePlane variance_plane(const VarianceReport& rep, int max_iterations = 300);

// (g·e₁, g·e₂).
Eigen::Vector2d project(const VariancePlane& plane, const Eigen::Ref<const Eigen::VectorXd>& g);

struct PlaneCloud {
  std::vector<double> x, y;       // the K estimates
  double mean_x = 0, mean_y = 0;  // ḡ projected (= the mean of x, y)
};
std::vector<PlaneCloud> project_clouds(const VarianceReport& rep, const VariancePlane& plane);

}  // namespace pg
