#include "io/dump_a2c.h"

#include <string>

namespace pg {

using json = nlohmann::json;

nlohmann::json advantage_dump(const Scenario& sc, double gamma) {
  return {{"estimator", sc.advantage.estimator},
          {"n", sc.advantage.n},
          {"lambda", sc.advantage.lambda},
          {"gamma", gamma},
          {"normalize", sc.advantage.normalize}};
}

void add_a2c_dump(const Session& s, json& out) {
  if (std::string(s.algorithm().name()) != "a2c") return;
  const Scenario& sc = s.scenario();
  const Estimate& est = s.last_estimate();
  const Batch& batch = s.batch();
  out["algorithm"] = {
      {"name", "a2c"},
      // Â by estimator (mc | td0 | nstep | gae) with this γ, n and λ; ψ = Â, standardised over the
      // batch ((Â − mean) / (population std + 1e-8)) when normalize.
      {"advantage", advantage_dump(sc, est.gamma)},
      // ĝ = (1/M) Σ_it ∇θ log π(a_it|s_it) ψ_it over the batch's M steps.
      {"gradient_mean_over", "steps"},
      {"num_steps", est.num_steps()},
      // The update ascends clip(ĝ + entropy_coef ∇(1/M)Σ H) and fits V to the targets with step
      // value_coef · critic.lr.
      {"entropy_coef", sc.algorithm.entropy_coef},
      {"value_coef", sc.algorithm.value_coef},
      {"max_grad_norm", sc.algorithm.max_grad_norm},
      {"critic", {{"kind", sc.critic.kind}, {"lr", sc.critic.lr}}},
      {"collection",
       {{"num_envs", sc.algorithm.num_envs},
        {"num_steps", sc.algorithm.num_steps},
        {"online", sc.algorithm.online},
        {"batch_episodes", sc.algorithm.batch_episodes}}}};
  json& trajs = out["trajectories"];
  for (int i = 0; i < batch.size() && i < static_cast<int>(trajs.size()); ++i) {
    const Trajectory& tr = batch.trajectories[i];
    const auto first = est.values.begin() + est.offset[i], last = est.values.begin() + est.offset[i + 1];
    json& j = trajs[i];
    j["values"] = std::vector<double>(first, last);
    j["final_value"] = est.final_values[i];
    j["bootstrap"] = tr.bootstrap();
    j["cut"] = tr.cut;
    j["advantages"] = std::vector<double>(est.advantages.begin() + est.offset[i],
                                          est.advantages.begin() + est.offset[i + 1]);
    j["targets"] = std::vector<double>(est.targets.begin() + est.offset[i], est.targets.begin() + est.offset[i + 1]);
  }
}

}  // namespace pg
