#include "exact/continuous_bandit_exact.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "util/error.h"

namespace pg {

namespace {

// 8-point Gauss–Legendre nodes and weights on [−1, 1].
constexpr double kNodes[8] = {-0.9602898564975363, -0.7966664774136267, -0.5255324099163290,
                              -0.1834346424956498, 0.1834346424956498,  0.5255324099163290,
                              0.7966664774136267,  0.9602898564975363};
constexpr double kWeights[8] = {0.1012285362903763, 0.2223810344533745, 0.3137066458778873,
                                0.3626837833783620, 0.3626837833783620, 0.3137066458778873,
                                0.2223810344533745, 0.1012285362903763};
constexpr double kZMax = 12.0;
constexpr double kInvSqrt2Pi = 0.39894228040143267794;

// J and its derivatives by quadrature; the policy is checked by the callers below.
GaussianBanditValue continuous_bandit_quadrature(const ContinuousBandit& env,
                                                 const GaussianPolicy& pi, double mu,
                                                 double log_sigma) {
  const double sigma = std::exp(log_sigma);
  const ContinuousBanditConfig& c = env.config();
  double w_min = c.bumps[2];
  for (size_t k = 2; k < c.bumps.size(); k += 3) w_min = std::min(w_min, c.bumps[k]);
  // Breakpoints: ±kZMax and, unsquashed, the z where u = low or high.
  std::vector<double> cuts = {-kZMax, kZMax};
  if (!pi.config().squash)
    for (double b : {c.low, c.high}) {
      const double z = (b - mu) / sigma;
      if (z > -kZMax && z < kZMax) cuts.push_back(z);
    }
  std::sort(cuts.begin(), cuts.end());
  // Panel width in z: at most a fifth of the narrowest bump's width w/σ (and of 24/400).
  const double h_max = std::min(2 * kZMax / 400.0, 0.2 * w_min / sigma);
  GaussianBanditValue v;
  for (size_t p = 0; p + 1 < cuts.size(); ++p) {
    const double a = cuts[p], b = cuts[p + 1];
    if (b <= a) continue;
    const int panels = std::min(200000, std::max(1, static_cast<int>(std::ceil((b - a) / h_max))));
    const double h = (b - a) / panels;
    for (int k = 0; k < panels; ++k) {
      const double mid = a + (k + 0.5) * h;
      for (int q = 0; q < 8; ++q) {
        const double z = mid + 0.5 * h * kNodes[q];
        const double wq = 0.5 * h * kWeights[q] * kInvSqrt2Pi * std::exp(-0.5 * z * z);
        const double u = mu + sigma * z;
        double act = u;
        pi.env_action(&u, &act);
        const double f = env.curve(env.clip(act));
        v.J += wq * f;
        v.dJ_dmu += wq * f * z / sigma;
        v.dJ_dlog_sigma += wq * f * (z * z - 1.0);
      }
    }
  }
  return v;
}

}  // namespace

void check_continuous_bandit_policy(const GaussianPolicy& pi) {
  if (pi.action_dim() == 1 && !pi.has_network()) return;
  std::string has = "action_dim " + std::to_string(pi.action_dim());
  if (pi.has_network())
    has += " and a mean network on " + std::to_string(pi.config().obs_dim) + " features";
  throw InputError("policy",
                   "the continuous bandit's exact oracle needs a Gaussian with action_dim 1 and no "
                   "features (its mean a free parameter, as continuous-bandit-reinforce's); this "
                   "policy has " +
                       has);
}

GaussianBanditValue continuous_bandit_value(const ContinuousBandit& env, const GaussianPolicy& pi,
                                            double mu, double log_sigma) {
  check_continuous_bandit_policy(pi);
  return continuous_bandit_quadrature(env, pi, mu, log_sigma);
}

ExactResult continuous_bandit_exact(const ContinuousBandit& env, const GaussianPolicy& pi) {
  check_continuous_bandit_policy(pi);
  double mu = 0.0, log_sigma = 0.0;
  pi.mean_log_std(ObsRef{0, nullptr}, &mu, &log_sigma);
  const GaussianBanditValue v = continuous_bandit_quadrature(env, pi, mu, log_sigma);
  ExactResult out;
  out.J = v.J;
  out.horizon = 1;
  out.V = Eigen::VectorXd::Zero(2);
  out.V[0] = v.J;
  out.V_t = Eigen::MatrixXd::Zero(1, 2);
  out.V_t(0, 0) = v.J;
  out.d = Eigen::VectorXd::Zero(2);
  out.d[0] = 1.0;
  out.Q = Eigen::MatrixXd::Zero(2, 0);
  out.probs = Eigen::MatrixXd::Zero(2, 0);
  out.gradient = Eigen::VectorXd::Zero(pi.num_params());
  pi.add_grad_mean_log_std(ObsRef{0, nullptr}, &v.dJ_dmu, &v.dJ_dlog_sigma, 1.0, out.gradient);
  return out;
}

}  // namespace pg
