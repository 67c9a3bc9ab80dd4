#include "lab/policy_curve.h"

#include <cmath>
#include <string>

#include "env/tabular_model.h"
#include "exact/exact.h"
#include "policy/tabular_softmax.h"
#include "util/error.h"

namespace pg {

PolicyCurve short_corridor_curve(const Env& env, int points, double lo, double hi) {
  if (!env.model() || env.num_obs() != 1 || env.num_actions() != 2)
    throw InputError("env",
                     "the J(p) curve needs a finite world with one observation and two actions; '" +
                         env.name() + "' is not one");
  if (points < 2)
    throw InputError("points", "need at least 2 points, got " + std::to_string(points));
  if (!(lo > 0.0 && hi < 1.0 && lo < hi))
    throw InputError("p", "the range of p must satisfy 0 < lo < hi < 1");
  PolicyCurve c;
  c.p.resize(points);
  c.J.resize(points);
  TabularSoftmax pi(1, 2);
  for (int i = 0; i < points; ++i) {
    const double p = lo + (hi - lo) * i / (points - 1);
    // logits (0, log(p / (1 − p))) give π(right) = p.
    pi.fill_rows({0.0, std::log(p / (1.0 - p))});
    c.p[i] = p;
    c.J[i] = exact_J(env, pi);
    if (i == 0 || c.J[i] > c.J_best) {
      c.J_best = c.J[i];
      c.p_best = p;
    }
  }
  return c;
}

double short_corridor_p_star() {
  return 2.0 - std::sqrt(2.0);
}

double prob_of_action(const Policy& policy, int action) {
  const int A = policy.num_actions();
  PG_ASSERT(action >= 0 && action < A, "action out of range");
  std::vector<double> probs(A);
  const double one = 1.0;
  policy.probs(ObsRef{0, &one}, probs.data());
  return probs[action];
}

BanditSummary bandit_summary(const Env& env, const Policy& policy, const Batch* batch) {
  BanditSummary b;
  const int A = env.num_actions();
  const TabularModel* model = env.model();
  PG_ASSERT(model, "bandit_summary reads the arms' means from the world's model (a bandit)");
  b.means.resize(A);
  for (int a = 0; a < A; ++a) b.means[a] = model->reward(0, a);
  b.probs.assign(A, 0.0);
  const double one = 1.0;
  policy.probs(ObsRef{0, &one}, b.probs.data());
  b.batch_share.assign(A, 0.0);
  for (int a = 0; a < A; ++a) {
    b.J += b.probs[a] * b.means[a];  // J = Σ_a π(a) μ(a)
    if (b.means[a] > b.means[b.best_arm]) b.best_arm = a;
  }
  b.best_mean = b.means[b.best_arm];
  if (batch) {
    int pulls = 0;
    for (const Trajectory& tr : batch->trajectories) {
      if (tr.length() == 0) continue;
      b.batch_share[tr.actions[0]] += 1.0;
      ++pulls;
    }
    if (pulls > 0)
      for (double& share : b.batch_share) share /= pulls;
  }
  return b;
}

}  // namespace pg
