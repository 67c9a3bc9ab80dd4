#include "io/dump_decomposition.h"

namespace pg {

void add_decomposition_dump(const Session& s, nlohmann::json& out) {
  using nlohmann::json;
  const Estimate& est = s.last_estimate();
  StepDecomposition d;
  // current: the session's θ now (after the update, PPO's r shows how far it moved).
  s.algorithm().decompose({s.batch(), est, s.behaviour_policy(), s.policy(), s.env().gamma()}, d);
  json pieces = json::array();
  for (const PieceInfo& p : d.pieces)
    pieces.push_back({{"symbol", p.symbol}, {"meaning", p.meaning}});
  out["decomposition"] = {{"algorithm", s.algorithm().info(s.scenario()).title},
                          {"pieces", pieces},
                          {"derivation", d.derivation},
                          {"divisor", d.divisor},
                          {"sums_to_gradient", d.sums_to_gradient}};
  json& trajs = out["trajectories"];
  for (int i = 0; i < s.batch().size() && i < static_cast<int>(trajs.size()); ++i) {
    const int T = d.offset[i + 1] - d.offset[i];
    json by_symbol = json::object();
    for (int k = 0; k < d.num_pieces(); ++k) {
      json values = json::array();
      for (int t = 0; t < T; ++t) values.push_back(d.value(i, t, k));
      by_symbol[d.pieces[k].symbol] = values;
    }
    if (!d.clip_case.empty())
      by_symbol["clip_case"] = std::vector<int>(d.clip_case.begin() + d.offset[i],
                                                d.clip_case.begin() + d.offset[i + 1]);
    trajs[i]["decomposition"] = by_symbol;
  }
}

}  // namespace pg
