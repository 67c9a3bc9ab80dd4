#pragma once
// Policies for Python (bind_exact.cpp): a core Policy behind a shared pointer, and the checks that
// keep a Python caller's mistakes (a wrong shape, an observation out of range) from reaching the
// core's asserts — each becomes a ValueError naming what was expected.

#include <string>

#include "convert.h"
#include "env/env.h"
#include "io/scenario_enums.h"
#include "policy/gaussian.h"
#include "policy/mlp_softmax.h"
#include "policy/tabular_softmax.h"

namespace pgpy {

struct PyPolicy {
  PolicyPtr p;

  const pg::Policy& get() const { return *p; }
  const pg::TabularSoftmax* tabular() const {
    return dynamic_cast<const pg::TabularSoftmax*>(p.get());
  }
  const pg::MlpSoftmax* mlp() const { return dynamic_cast<const pg::MlpSoftmax*>(p.get()); }
  const pg::GaussianPolicy* gaussian() const {
    return dynamic_cast<const pg::GaussianPolicy*>(p.get());
  }
  // Observations the policy reads: tabular indices [0, num_obs), or features of obs_dim (an mlp's;
  // a Gaussian's network's, 0 for the bandit's free mean).
  int num_obs() const { return tabular() ? tabular()->num_obs() : 0; }
  int obs_dim() const {
    return mlp() ? mlp()->obs_dim() : gaussian() ? gaussian()->config().obs_dim : 0;
  }
};

// The exact oracle's worlds, checked before the policy is compared with the env (a tabular policy
// against cart-pole's 0 observations said nothing about why): a finite model, where tabular and
// MLP policies are evaluated, or — for exact and exact_J (gaussian_ok) — the continuous bandit
// with a Gaussian policy (by quadrature over its one action). The allowed worlds are the scenario
// table's finite kinds (finite_env_names(), the list the CLI's exact prints), which pglab.make
// also takes as ids. `what` names the call: "exact", "fisher", "the exact-value baseline".
inline void check_finite_world(const PyPolicy& pol, const pg::Env& env, const std::string& what,
                               bool gaussian_ok) {
  if (env.model()) return;
  const std::string allowed = "; allowed: " + pg::finite_env_names() +
                              " (env kinds; pglab.make takes them as ids), with a tabular or "
                              "MLP policy";
  if (env.has_exact() && gaussian_ok) {  // the continuous bandit
    if (dynamic_cast<const pg::GaussianPolicy*>(&pol.get())) return;
    throw py::value_error(what + " on the " + env.name() +
                          " takes a Gaussian policy (pglab.Policy.from_scenario(\"continuous-"
                          "bandit-reinforce\")); a tabular or MLP policy needs a finite world" +
                          allowed);
  }
  throw py::value_error(what + " needs a finite world (a finite model), and " + env.name() +
                        " has none" + allowed);
}

// Throws ValueError unless the policy can act in env (actions, observations).
inline void check_fits(const PyPolicy& pol, const pg::Env& env) {
  const pg::Policy& p = pol.get();
  if (p.num_actions() != env.num_actions())
    throw py::value_error("the policy has " + std::to_string(p.num_actions()) + " actions and " +
                          env.name() + " has " + std::to_string(env.num_actions()));
  if (pol.tabular() && pol.num_obs() != env.num_obs())
    throw py::value_error("the tabular policy has " + std::to_string(pol.num_obs()) +
                          " observation rows and " + env.name() + " has " +
                          std::to_string(env.num_obs()) + " observations");
  if (pol.mlp() && pol.obs_dim() != env.obs_dim())
    throw py::value_error("the mlp policy reads " + std::to_string(pol.obs_dim()) +
                          " features and " + env.name() + " has " + std::to_string(env.obs_dim()));
}

}  // namespace pgpy

namespace pg {
struct ExactResult;
}

namespace pgpy {
// J, grad, V, Q, d, probs, V_t, horizon of an ExactResult as NumPy arrays (bind_exact.cpp).
py::dict exact_dict(const pg::ExactResult& r);
}  // namespace pgpy
