#include "estimator/advantages.h"

#include <cmath>

#include "util/error.h"

namespace pg {

void compute_advantages(const Batch& batch, const AdvantageConfig& cfg,
                        const std::vector<int>& offset, const double* values,
                        const double* final_values, double* adv, double* targets) {
  const double g = cfg.gamma;
  for (int i = 0; i < batch.size(); ++i) {
    const Trajectory& tr = batch.trajectories[i];
    const int T = tr.length();
    const double* V = values + offset[i];
    double* A = adv + offset[i];
    // V_T: bootstrap from V(s_T) on truncation or a segment cut, 0 on termination.
    const double v_end = tr.bootstrap() ? final_values[i] : 0.0;
    auto value_at = [&](int t) { return t < T ? V[t] : v_end; };
    switch (cfg.kind) {
      case AdvantageKind::kMonteCarlo: {
        double G = v_end;
        for (int t = T - 1; t >= 0; --t) {
          G = tr.rewards[t] + g * G;  // G_t = r_t + γ G_{t+1}
          A[t] = G - V[t];
        }
        break;
      }
      case AdvantageKind::kTD0:
        // δ_t = r_t + γ V_{t+1} − V_t
        for (int t = 0; t < T; ++t) A[t] = tr.rewards[t] + g * value_at(t + 1) - V[t];
        break;
      case AdvantageKind::kNStep:
        // Σ_{k<n} γ^k r_{t+k} + γ^n V_{t+n} − V_t, the sum stopping at T.
        for (int t = 0; t < T; ++t) {
          const int end = std::min(T, t + cfg.n);
          double ret = 0.0, w = 1.0;
          for (int k = t; k < end; ++k, w *= g) ret += w * tr.rewards[k];
          ret += w * value_at(end);
          A[t] = ret - V[t];
        }
        break;
      case AdvantageKind::kGAE: {
        // Â_t = δ_t + γλ Â_{t+1}, Â_T = 0.
        double last = 0.0;
        for (int t = T - 1; t >= 0; --t) {
          const double delta = tr.rewards[t] + g * value_at(t + 1) - V[t];
          last = delta + g * cfg.lambda * last;
          A[t] = last;
        }
        break;
      }
    }
    for (int t = 0; t < T; ++t) targets[offset[i] + t] = A[t] + V[t];
  }
}

void normalize_in_place(double* x, int n) {
  if (n <= 0) return;
  double mean = 0.0;
  for (int k = 0; k < n; ++k) mean += x[k];
  mean /= n;
  double var = 0.0;
  for (int k = 0; k < n; ++k) var += (x[k] - mean) * (x[k] - mean);
  const double inv = 1.0 / (std::sqrt(var / n) + 1e-8);
  for (int k = 0; k < n; ++k) x[k] = (x[k] - mean) * inv;
}

}  // namespace pg
