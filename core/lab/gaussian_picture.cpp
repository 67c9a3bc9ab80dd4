#include "lab/gaussian_picture.h"

#include <algorithm>
#include <cmath>

#include "env/continuous_bandit.h"
#include "exact/continuous_bandit_exact.h"
#include "policy/gaussian.h"

namespace pg {

GaussianAt gaussian_at(const Env& env, const Policy& policy, ObsRef o) {
  GaussianAt g;
  const auto* pi = dynamic_cast<const GaussianPolicy*>(&policy);
  if (!pi || pi->action_dim() != 1 || env.action_dim() != 1) return g;
  double ls = 0.0;
  pi->mean_log_std(o, &g.mu, &ls);
  g.sigma = std::exp(ls);
  g.low = env.action_low(0);
  g.high = env.action_high(0);
  g.squash = pi->config().squash;
  pi->env_action(&g.mu, &g.env_mu);
  g.env_mu = std::clamp(g.env_mu, g.low, g.high);
  g.valid = true;
  return g;
}

double applied_action(const Env& env, const Policy& policy, double u) {
  double a = u;
  policy.env_action(&u, &a);
  return std::clamp(a, env.action_low(0), env.action_high(0));
}

GaussianStep gaussian_step(const Env& env, const Policy& policy, const Trajectory& tr, int t) {
  GaussianStep s;
  if (tr.action_dim != 1 || t < 0 || t >= tr.length()) return s;
  s.at = gaussian_at(env, policy, tr.obs_at(t));
  if (!s.at.valid) return s;
  s.u = tr.act_u[static_cast<size_t>(t)];
  s.applied = applied_action(env, policy, s.u);
  s.clipped = !s.at.squash && (s.u < s.at.low || s.u > s.at.high);
  s.valid = true;
  return s;
}

CurvePicture curve_picture(const Env& env, const Policy& policy, const Batch* batch, int points) {
  CurvePicture c;
  const auto* cb = dynamic_cast<const ContinuousBandit*>(&env);
  const auto* pi = dynamic_cast<const GaussianPolicy*>(&policy);
  if (!cb || !pi || pi->has_network() || pi->action_dim() != 1) return c;
  const GaussianAt g = gaussian_at(env, policy, ObsRef{0, nullptr});
  c.low = g.low;
  c.high = g.high;
  c.mu = g.mu;
  c.sigma = g.sigma;
  c.J = continuous_bandit_exact(*cb, *pi).J;
  c.a.resize(points);
  c.reward.resize(points);
  c.density.resize(points);
  c.best_r = -1e300;
  int best_k = 0;
  for (int k = 0; k < points; ++k) {
    const double a = c.low + (c.high - c.low) * k / (points - 1);
    c.a[k] = a;
    c.reward[k] = cb->curve(a);
    if (c.reward[k] > c.best_r) {
      c.best_r = c.reward[k];
      c.best_a = a;
      best_k = k;
    }
    // Density of the action the environment receives: N(a; μ, σ) inside the bounds (the clipped
    // mass sits on the bounds themselves), or the squashed density through u = atanh(·).
    double u = a;
    if (g.squash) {
      const double y = 2.0 * (a - c.low) / (c.high - c.low) - 1.0;
      if (std::abs(y) >= 1.0) {
        c.density[k] = 0.0;
        continue;
      }
      u = std::atanh(y);
    }
    c.density[k] = std::exp(pi->log_prob(ObsRef{0, nullptr}, ActRef(-1, &u)));
  }
  // The grid's best sample is only near the maximum (1.49 on 400 points for a bump at 1.50): a
  // golden-section search between its two neighbours finds it to the printed digits and beyond.
  if (points >= 2) {
    double lo = c.a[static_cast<size_t>(std::max(best_k - 1, 0))];
    double hi = c.a[static_cast<size_t>(std::min(best_k + 1, points - 1))];
    const double golden = 0.5 * (std::sqrt(5.0) - 1.0);
    double x1 = hi - golden * (hi - lo), x2 = lo + golden * (hi - lo);
    double f1 = cb->curve(x1), f2 = cb->curve(x2);
    for (int it = 0; it < 100 && hi - lo > 1e-12 * (1.0 + std::abs(lo)); ++it) {
      if (f1 >= f2) {
        hi = x2;
        x2 = x1;
        f2 = f1;
        x1 = hi - golden * (hi - lo);
        f1 = cb->curve(x1);
      } else {
        lo = x1;
        x1 = x2;
        f1 = f2;
        x2 = lo + golden * (hi - lo);
        f2 = cb->curve(x2);
      }
    }
    const double a = 0.5 * (lo + hi), r = cb->curve(a);
    if (r >= c.best_r) {  // never worse than the grid's sample (a maximum at a bound stays there)
      c.best_r = r;
      c.best_a = a;
    }
  }
  if (!g.squash) {
    c.mass_low = 0.5 * std::erfc((c.mu - c.low) / (c.sigma * std::sqrt(2.0)));
    c.mass_high = 0.5 * std::erfc((c.high - c.mu) / (c.sigma * std::sqrt(2.0)));
  }
  if (batch)
    for (const Trajectory& tr : batch->trajectories)
      for (int t = 0; t < tr.length(); ++t) {
        double a = 0.0;
        pi->env_action(tr.act_u.data() + t, &a);
        c.sample_a.push_back(cb->clip(a));
        c.sample_r.push_back(tr.rewards[t]);
      }
  c.valid = true;
  return c;
}

}  // namespace pg
