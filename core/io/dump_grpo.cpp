#include "io/dump_grpo.h"

#include "io/batch_dump.h"

namespace pg {

using json = nlohmann::json;

void add_grpo_dump(const Session& s, json& out) {
  const GrpoRecord* rec = s.algorithm().group_record();
  if (!rec || rec->iteration != s.iteration()) return;
  const GrpoSettings& g = s.scenario().grpo;  // the algorithm's copy follows it (settings_changed)
  json alg = {{"name", "grpo"},
              {"objective", "clip-k3"},  // algo/grpo.h: J with 1/(N |o_i|) per token
              {"group_size", g.group_size},
              {"prompts", g.prompts},
              {"std_normalize", g.std_normalize},
              {"leave_one_out", g.leave_one_out},
              {"std", "population"},
              {"kl_coef", g.kl_coef},
              {"clip_eps", g.clip_eps},
              {"epochs", g.epochs},
              {"eps", rec->eps}};
  // Each step's "logp_old" and "logp_ref", as the algorithm keeps them.
  add_dump_extras(s, alg, out);
  out["algorithm"] = alg;
  const Batch& batch = s.batch();
  const Env& env = s.env();
  const auto& comp = rec->completions;
  json& trajs = out["trajectories"];
  for (int i = 0; i < batch.size() && i < static_cast<int>(comp.size()); ++i) {
    const Trajectory& tr = batch.trajectories[i];
    json& j = trajs[i];
    std::string text;
    for (int a : tr.actions) text += env.action_label(a);
    j["prompt"] = comp[i].prompt;
    j["prompt_text"] = env.prompt_text(comp[i].prompt);
    j["completion_text"] = text;
    j["reward"] = comp[i].reward;
    j["group"] = comp[i].group;
    j["advantage"] = comp[i].advantage;
  }
}

}  // namespace pg
