#include "io/dump_ppo.h"

#include <string>

#include "io/batch_dump.h"
#include "io/dump_a2c.h"

namespace pg {

using json = nlohmann::json;

void add_ppo_dump(const Session& s, json& out) {
  const Scenario& sc = s.scenario();
  if (sc.algorithm.name != AlgorithmKind::kPpo) return;
  json alg = {
      {"name", "ppo"},
      {"objective", name_of(sc.ppo.objective)},
      // clip: L = mean_j min(r_j Â_j, clip(r_j, 1 − clip_eps, 1 + clip_eps) Â_j)
      {"clip_eps", sc.ppo.clip_eps},
      // kl-penalty: L = mean_j [r_j Â_j − beta k3_j], k3 = (r − 1) − log r; "beta" (from
      // dump_extras) is the β the next update uses (adapted after each update when adaptive_beta).
      {"kl_target", sc.ppo.kl_target},
      {"adaptive_beta", sc.ppo.adaptive_beta},
      {"kl_estimator", "k3"},
      {"epochs", sc.ppo.epochs},
      {"minibatches", sc.ppo.minibatches},
      {"clip_value", sc.ppo.clip_value},
      // r_j = exp(log π_θ(a_j|s_j) − logp_old_j); at θ_old (the dumped policy) every r is 1.
      {"ratio", "exp(log pi_theta(a|s) - logp_old)"},
      {"lr", sc.algorithm.lr},
      {"anneal_lr", sc.algorithm.anneal_lr}};
  // The update standardises Â over each minibatch (the dump's ψ is over the whole batch).
  add_actor_critic_dump(s, alg, out);
  // "beta" and each step's "logp_old" (logp_old_j = log π_θold(a_j|s_j)), as the algorithm keeps
  // them.
  add_dump_extras(s, alg, out);
  out["algorithm"] = alg;
}

}  // namespace pg
