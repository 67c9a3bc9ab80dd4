#include "io/dump_a2c.h"

#include <string>

namespace pg {

using json = nlohmann::json;

nlohmann::json advantage_dump(const Scenario& sc, double gamma) {
  return {{"estimator", name_of(sc.advantage.estimator)},
          {"n", sc.advantage.n},
          {"lambda", sc.advantage.lambda},
          {"gamma", gamma},
          {"normalize", sc.advantage.normalize}};
}

void add_actor_critic_dump(const Session& s, json& alg, json& out) {
  const Scenario& sc = s.scenario();
  const Estimate& est = s.last_estimate();
  const Batch& batch = s.batch();
  // Â by estimator (mc | td0 | nstep | gae) with this γ, n and λ; ψ = Â, standardised over the
  // batch ((Â − mean) / (population std + 1e-8)) when normalize.
  alg["advantage"] = advantage_dump(sc, est.gamma);
  // ĝ = (1/M) Σ_it ∇θ log π(a_it|s_it) ψ_it over the batch's M steps (entropy bonus not in it).
  alg["gradient_mean_over"] = "steps";
  alg["num_steps"] = est.num_steps();
  alg["entropy_coef"] = sc.algorithm.entropy_coef;
  alg["value_coef"] = sc.algorithm.value_coef;
  alg["max_grad_norm"] = sc.algorithm.max_grad_norm;
  alg["collection"] = {{"num_envs", sc.algorithm.num_envs},
                       {"num_steps", sc.algorithm.num_steps},
                       {"online", sc.algorithm.online},
                       {"batch_episodes", sc.algorithm.batch_episodes}};
  auto slice = [&](const std::vector<double>& v, int i) {
    return std::vector<double>(v.begin() + est.offset[i], v.begin() + est.offset[i + 1]);
  };
  json& trajs = out["trajectories"];
  for (int i = 0; i < batch.size() && i < static_cast<int>(trajs.size()); ++i) {
    const Trajectory& tr = batch.trajectories[i];
    json& j = trajs[i];
    j["values"] = slice(est.values, i);
    j["final_value"] = est.final_values[i];  // V(s_T) where the piece bootstraps, else 0 (not read)
    j["bootstrap"] = tr.bootstrap();
    j["cut"] = tr.cut;
    j["advantages"] = slice(est.advantages, i);
    j["targets"] = slice(est.targets, i);
  }
}

void add_a2c_dump(const Session& s, json& out) {
  if (s.scenario().algorithm.name != AlgorithmKind::kA2C) return;
  const Scenario& sc = s.scenario();
  json alg = {{"name", "a2c"},
              // The update ascends clip(ĝ + entropy_coef ∇(1/M)Σ H) and fits V to the targets with
              // step value_coef · critic.lr.
              {"critic", {{"kind", name_of(sc.critic.kind)}, {"lr", sc.critic.lr}}}};
  add_actor_critic_dump(s, alg, out);
  out["algorithm"] = alg;
}

}  // namespace pg
