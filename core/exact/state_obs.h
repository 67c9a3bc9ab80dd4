#pragma once
// How the exact oracle and the analyses over it show a policy a state of a finite world:
// ObsRef{obs, features_of(obs)} with obs = obs_of_state(s). The (possibly long one-hot) feature
// vector is filled only when a policy reading it needs it; tabular policies read the index only.

#include <vector>

#include "env/env.h"
#include "env/tabular_model.h"
#include "policy/policy.h"

namespace pg {

class StateObs {
 public:
  // features: fill features_of(obs); false when every policy shown these states is tabular.
  StateObs(const Env& env, bool features) : env_(env), x_(features ? env.obs_dim() : 0) {}
  StateObs(const Env& env, const Policy& policy)
      : StateObs(env, policy.kind() != PolicyKind::kTabular) {}

  // By observation index.
  ObsRef obs(int o) {
    if (x_.empty()) return {o, nullptr};
    env_.features_of(o, x_.data());
    return {o, x_.data()};
  }
  // By model state s (env.model() must exist).
  ObsRef state(int s) { return obs(env_.model()->obs_of_state(s)); }

 private:
  const Env& env_;
  std::vector<double> x_;
};

}  // namespace pg
