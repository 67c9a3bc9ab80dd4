#include "io/dump_npg.h"

#include "io/batch_dump.h"

namespace pg {

using json = nlohmann::json;

namespace {

json slice(const std::vector<double>& v, int first, int n) {
  return json(std::vector<double>(v.begin() + first, v.begin() + first + n));
}

}  // namespace

void add_npg_off_policy_dump(const Session& s, json& out) {
  const Scenario& sc = s.scenario();
  const AlgorithmKind kind = sc.algorithm.name;
  json& trajs = out["trajectories"];
  const Batch& batch = s.batch();
  if (kind == AlgorithmKind::kNpg || kind == AlgorithmKind::kTrpo) {
    const TrpoSettings& c = sc.trpo;
    out["algorithm"] = {{"name", name_of(kind)},
                        {"max_kl", c.max_kl},
                        {"damping", c.damping},
                        {"cg_iters", c.cg_iters},
                        {"backtracks", kind == AlgorithmKind::kTrpo ? c.backtracks : 0},
                        {"fisher", c.exact_fisher ? "exact" : "sampled"},
                        {"surrogate", "(1/N) sum_i sum_t exp(logpi(a|s) - behaviour_logp) psi"}};
    for (int i = 0; i < batch.size(); ++i) trajs[i]["behaviour_logp"] = batch.trajectories[i].logp;
    return;
  }
  const ImportanceRecord* rec = s.algorithm().importance_record();
  if (!rec) return;
  const ImportanceWeights& w = rec->weights;
  const OffPolicySettings& c = sc.offpolicy;
  json a = {{"name", name_of(kind)},
            {"behaviour", name_of(c.behaviour)},
            {"lag", c.lag},
            {"behaviour_iteration", rec->behaviour_iteration},
            {"behaviour_logits", c.behaviour_logits},
            {"weighting", name_of(w.config.weighting)},
            {"truncate", w.config.truncate},
            {"ess", w.ess},
            {"log_w", w.log_w},
            {"w", w.w}};
  if (const Policy* b = s.algorithm().sampling_policy()) a["behaviour_policy"] = policy_json(*b);
  out["algorithm"] = a;
  for (int i = 0; i < batch.size(); ++i) {
    const int first = w.offset[i], n = w.offset[i + 1] - first;
    json& tr = trajs[i];
    tr["behaviour_logp"] = batch.trajectories[i].logp;
    tr["log_rho"] = slice(w.log_rho, first, n);
    tr["rho"] = slice(w.rho, first, n);
    tr["cum_rho"] = slice(w.cum_rho, first, n);
    tr["weight"] = slice(w.weight, first, n);
  }
}

}  // namespace pg
