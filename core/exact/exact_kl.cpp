#include "exact/exact_kl.h"

#include <vector>

#include "env/tabular_model.h"
#include "estimator/kl.h"
#include "exact/exact.h"
#include "exact/state_obs.h"
#include "io/scenario_enums.h"
#include "util/error.h"

namespace pg {

Eigen::VectorXd exact_kl_per_state(const Env& env, const Policy& old_policy, const Policy& policy) {
  const TabularModel* m = env.model();
  if (!m)
    throw InputError("env", "exact KL needs a finite world, and '" + env.name() +
                                "' has no tabular model; allowed: " + finite_env_names());
  check_same_actions(old_policy, policy);
  PG_ASSERT(
      old_policy.num_actions() == m->num_actions() && policy.num_actions() == m->num_actions(),
      "exact_kl_per_state: both policies need the world's action count");
  const int S = m->num_states(), A = m->num_actions();
  const bool features =
      old_policy.kind() != PolicyKind::kTabular || policy.kind() != PolicyKind::kTabular;
  StateObs view(env, features);
  std::vector<double> p_old(A), p(A);
  Eigen::VectorXd kl = Eigen::VectorXd::Zero(S);
  for (int s = 0; s < S; ++s) {
    if (m->terminal(s)) continue;
    const ObsRef o = view.state(s);
    old_policy.probs(o, p_old.data());
    policy.probs(o, p.data());
    // KL_s = Σ_a π_old(a|s) log(π_old(a|s) / π(a|s)).
    kl[s] = kl_categorical(p_old.data(), p.data(), A);
  }
  return kl;
}

double exact_mean_kl(const Env& env, const Policy& old_policy, const Policy& policy,
                     const Eigen::VectorXd& d_old) {
  const Eigen::VectorXd kl = exact_kl_per_state(env, old_policy, policy);
  PG_ASSERT(d_old.size() == kl.size(), "exact_mean_kl: d_old must have one entry per model state");
  // Σ_s d_old(s) KL_s / Σ_s d_old(s).
  const double total = d_old.sum();
  return total > 0.0 ? d_old.dot(kl) / total : 0.0;
}

double exact_mean_kl(const Env& env, const Policy& old_policy, const Policy& policy) {
  return exact_mean_kl(env, old_policy, policy, exact_evaluate(env, old_policy).d);
}

}  // namespace pg
