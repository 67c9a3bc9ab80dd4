#include "lab/rollout_stats.h"

#include <algorithm>
#include <cmath>

#include "estimator/reinforce.h"
#include "util/error.h"

namespace pg {

RolloutSeries rollout_series(const Trajectory& tr, double gamma) {
  RolloutSeries r;
  const int T = tr.length();
  r.t.resize(T);
  r.reward = tr.rewards;
  r.reward_to_go.resize(T);
  r.return_so_far.resize(T);
  if (T > 0) reward_to_go(tr, gamma, r.reward_to_go.data());
  double sum = 0.0;
  for (int t = 0; t < T; ++t) {
    r.t[t] = t;
    sum += tr.rewards[t];
    r.return_so_far[t] = sum;
  }
  return r;
}

double return_after(const Trajectory& tr, int steps) {
  const int n = std::clamp(steps, 0, tr.length());
  double sum = 0.0;
  for (int t = 0; t < n; ++t) sum += tr.rewards[t];
  return sum;
}

std::vector<int> state_visits(const Batch& batch, int num_states) {
  std::vector<int> n(static_cast<size_t>(std::max(num_states, 0)), 0);
  auto count = [&](int s) {
    if (s >= 0 && s < num_states) ++n[s];
  };
  for (const Trajectory& tr : batch.trajectories) {
    for (int s : tr.state) count(s);
    if (tr.length() > 0 || tr.final_state >= 0) count(tr.final_state);
  }
  return n;
}

void features_at(const Trajectory& tr, double t, double* out) {
  const int d = tr.obs_dim;
  PG_ASSERT(d > 0, "features_at needs stored features (the session stores them for MLP policies)");
  const int T = tr.length();
  auto row = [&](int k) -> const double* {
    return k >= T ? tr.final_obs.data() : tr.obs.data() + static_cast<size_t>(k) * d;
  };
  if (!(t > 0.0)) t = 0.0;
  if (t >= T) {
    std::copy(row(T), row(T) + d, out);
    return;
  }
  const int k = static_cast<int>(std::floor(t));
  const double f = t - k;
  const double* a = row(k);
  const double* b = row(k + 1);
  for (int i = 0; i < d; ++i) out[i] = (1.0 - f) * a[i] + f * b[i];
}

std::vector<double> feature_series(const Trajectory& tr, int k) {
  std::vector<double> v;
  if (tr.obs_dim <= 0 || k < 0 || k >= tr.obs_dim) return v;
  const int T = tr.length();
  v.resize(T + 1);
  for (int t = 0; t < T; ++t) v[t] = tr.obs[static_cast<size_t>(t) * tr.obs_dim + k];
  v[T] = tr.final_obs[k];
  return v;
}

int state_at(const Trajectory& tr, int t) {
  const int T = tr.length();
  if (t < 0) t = 0;
  if (t >= T) return tr.final_state;
  return tr.state[t];
}

int nearest_step_in_state(const Trajectory& tr, int state, double near) {
  const int T = tr.length();
  int best = -1;
  double best_d = 0.0;
  for (int t = 0; t <= T; ++t) {
    if (state_at(tr, t) != state) continue;
    const double d = std::abs(t - near);
    if (best < 0 || d < best_d) {
      best = t;
      best_d = d;
    }
  }
  return best;
}

ValueRange nonterminal_range(const Eigen::VectorXd& v, const TabularModel& model) {
  ValueRange r;
  bool any = false;
  const int S = std::min<int>(model.num_states(), static_cast<int>(v.size()));
  for (int s = 0; s < S; ++s) {
    if (model.terminal(s)) continue;
    if (!any) {
      r.lo = r.hi = v[s];
      any = true;
    } else {
      r.lo = std::min(r.lo, v[s]);
      r.hi = std::max(r.hi, v[s]);
    }
  }
  return r;
}

}  // namespace pg
