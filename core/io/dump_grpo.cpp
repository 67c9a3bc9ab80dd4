#include "io/dump_grpo.h"

#include "algo/grpo.h"
#include "env/token_task.h"

namespace pg {

using json = nlohmann::json;

void add_grpo_dump(const Session& s, json& out) {
  const auto* grpo = dynamic_cast<const GrpoAlgorithm*>(&s.algorithm());
  if (!grpo || grpo->estimated_iteration() != s.iteration()) return;
  const auto& task = dynamic_cast<const TokenTask&>(s.env());
  const GrpoSettings& g = grpo->settings();
  out["algorithm"] = {{"name", "grpo"},
                      {"objective", "clip-k3"},  // algo/grpo.h: J with 1/(N |o_i|) per token
                      {"group_size", g.group_size},
                      {"prompts", g.prompts},
                      {"std_normalize", g.std_normalize},
                      {"leave_one_out", g.leave_one_out},
                      {"std", "population"},
                      {"kl_coef", g.kl_coef},
                      {"clip_eps", g.clip_eps},
                      {"epochs", g.epochs},
                      {"eps", grpo->eps()}};
  const Batch& batch = s.batch();
  const auto& comp = grpo->completions();
  const std::vector<int>& offset = s.last_estimate().offset;
  json& trajs = out["trajectories"];
  for (int i = 0; i < batch.size() && i < static_cast<int>(comp.size()); ++i) {
    const Trajectory& tr = batch.trajectories[i];
    json& j = trajs[i];
    std::string text;
    for (int a : tr.actions) text += TokenTask::token_text(a);
    json logp_old = json::array(), logp_ref = json::array();
    for (int t = 0; t < tr.length(); ++t) {
      logp_old.push_back(grpo->logp_old()[offset[i] + t]);
      logp_ref.push_back(grpo->logp_ref()[offset[i] + t]);
    }
    j["prompt"] = comp[i].prompt;
    j["prompt_text"] = task.prompt_text(comp[i].prompt);
    j["completion_text"] = text;
    j["reward"] = comp[i].reward;
    j["group"] = comp[i].group;
    j["advantage"] = comp[i].advantage;
    j["logp_old"] = logp_old;
    j["logp_ref"] = logp_ref;
  }
}

}  // namespace pg
