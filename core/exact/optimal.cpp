#include "exact/optimal.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "env/tabular_model.h"
#include "util/error.h"

namespace pg {

namespace {

// One Bellman optimality backup: V_out(s) = max_a R(s,a) + γ Σ_s' P(s'|s,a) V_in(s'); greedy(s) its
// argmax.
void backup(const TabularModel& m, double gamma, const Eigen::VectorXd& v_in,
            Eigen::VectorXd& v_out, Eigen::VectorXi& greedy) {
  for (int s = 0; s < m.num_states(); ++s) {
    if (m.terminal(s)) {
      v_out[s] = 0.0;
      greedy[s] = 0;
      continue;
    }
    double best = -std::numeric_limits<double>::infinity();
    int best_a = 0;
    for (int a = 0; a < m.num_actions(); ++a) {
      double q = m.reward(s, a);
      for (const Transition& tr : m.successors(s, a)) q += gamma * tr.prob * v_in[tr.next];
      if (q > best) {
        best = q;
        best_a = a;
      }
    }
    v_out[s] = best;
    greedy[s] = best_a;
  }
}

}  // namespace

OptimalResult optimal_values(const Env& env, double tol, int max_sweeps) {
  const TabularModel* m = env.model();
  if (!m)
    throw InputError("env.kind",
                     env.name() + " has no finite model; the optimal value needs a finite world");
  const int S = m->num_states();
  const double gamma = env.gamma();
  OptimalResult r;
  r.horizon = env.step_limit();
  Eigen::VectorXd v = Eigen::VectorXd::Zero(S), next(S);
  r.greedy = Eigen::VectorXi::Zero(S);
  if (r.horizon > 0) {
    // V*_H = 0; back up H times to V*_0.
    for (int t = r.horizon - 1; t >= 0; --t) {
      backup(*m, gamma, v, next, r.greedy);
      v.swap(next);
    }
    r.sweeps = r.horizon;
  } else {
    for (;;) {
      backup(*m, gamma, v, next, r.greedy);
      ++r.sweeps;
      const double change = (next - v).cwiseAbs().maxCoeff();
      v.swap(next);
      if (change <= tol) break;
      if (r.sweeps >= max_sweeps)
        throw InputError("env.gamma", "value iteration did not converge in " +
                                          std::to_string(max_sweeps) +
                                          " sweeps; use gamma < 1 or a step limit");
    }
  }
  r.V = v;
  r.J = 0.0;
  for (int s = 0; s < S; ++s) r.J += m->start(s) * v[s];
  return r;
}

}  // namespace pg
