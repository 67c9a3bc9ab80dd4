#include "io/dump_ppo.h"

#include <string>

#include "algo/ppo.h"
#include "io/dump_a2c.h"

namespace pg {

using json = nlohmann::json;

void add_ppo_dump(const Session& s, json& out) {
  const auto* ppo = dynamic_cast<const PpoAlgorithm*>(&s.algorithm());
  if (!ppo) return;
  const Scenario& sc = s.scenario();
  const Estimate& est = s.last_estimate();
  const Batch& batch = s.batch();
  json alg = {
      {"name", "ppo"},
      {"objective", name_of(sc.ppo.objective)},
      // clip: L = mean_j min(r_j Â_j, clip(r_j, 1 − clip_eps, 1 + clip_eps) Â_j)
      {"clip_eps", sc.ppo.clip_eps},
      // kl-penalty: L = mean_j [r_j Â_j − beta k3_j], k3 = (r − 1) − log r; beta is the β the
      // next update uses (adapted after each update when adaptive_beta).
      {"beta", ppo->beta()},
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
  out["algorithm"] = alg;
  const std::vector<double>& logp_old = ppo->logp_old();
  json& trajs = out["trajectories"];
  auto slice = [&](const std::vector<double>& v, int i) {
    return std::vector<double>(v.begin() + est.offset[i], v.begin() + est.offset[i + 1]);
  };
  for (int i = 0; i < batch.size() && i < static_cast<int>(trajs.size()); ++i) {
    trajs[i]["logp_old"] = slice(logp_old, i);
  }
}

}  // namespace pg
