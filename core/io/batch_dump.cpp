#include "io/batch_dump.h"

#include "env/tabular_model.h"
#include "io/dump_a2c.h"
#include "io/dump_decomposition.h"
#include "io/dump_grpo.h"
#include "io/dump_npg.h"
#include "io/dump_ppo.h"
#include "io/dump_sac.h"
#include "policy/gaussian.h"
#include "policy/mlp_softmax.h"
#include "policy/tabular_softmax.h"
#include "session/live_params.h"
#include "util/error.h"

namespace pg {

using json = nlohmann::json;

void add_dump_extras(const Session& s, json& alg, json& out) {
  DumpExtras extras;
  s.algorithm().dump_extras(extras);
  for (const auto& [name, v] : extras.scalars) alg[name] = v;
  const std::vector<int>& offset = s.last_estimate().offset;
  json& trajs = out["trajectories"];
  const int n = std::min(s.batch().size(), static_cast<int>(trajs.size()));
  for (const auto& [name, series] : extras.per_step) {
    if (offset.empty() || static_cast<int>(series->size()) < offset.back()) continue;
    for (int i = 0; i < n && i + 1 < static_cast<int>(offset.size()); ++i)
      trajs[i][name] =
          std::vector<double>(series->begin() + offset[i], series->begin() + offset[i + 1]);
  }
}

namespace {

json layers_json(const Mlp& net) {
  json layers = json::array();
  for (int l = 0; l < net.num_layers(); ++l) {
    json W = json::array();
    const auto w = net.W(l);
    for (Eigen::Index r = 0; r < w.rows(); ++r) {
      json row = json::array();
      for (Eigen::Index c = 0; c < w.cols(); ++c) row.push_back(w(r, c));
      W.push_back(row);
    }
    json b = json::array();
    const auto bias = net.b(l);
    for (Eigen::Index r = 0; r < bias.size(); ++r) b.push_back(bias[r]);
    layers.push_back({{"W", W}, {"b", b}});
  }
  return layers;
}

// Gaussian (policy/gaussian.h): the mean network's layers (its outputs μ, then log σ when
// state-dependent) or, without features, μ itself; log σ; the squashing and the bounds.
json gaussian_json(const GaussianPolicy& g, json out) {
  const GaussianConfig& c = g.config();
  const int d = g.action_dim();
  out["action_dim"] = d;
  if (g.has_network()) {
    out["layers"] = layers_json(g.net());
    out["activation"] = name_of(c.activation);
    out["precision"] = name_of(g.net().precision());
  } else {
    out["mean"] = std::vector<double>(g.params().data(), g.params().data() + d);
  }
  out["log_std_kind"] = c.state_dependent_std ? "state-dependent" : "state-independent";
  if (!c.state_dependent_std) {
    const double* ls = g.params().data() + g.log_std_offset();
    out["log_std"] = std::vector<double>(ls, ls + d);
  }
  out["squash"] = c.squash;
  out["low"] = c.low;
  out["high"] = c.high;
  return out;
}

}  // namespace

json mlp_layers_json(const Mlp& net) {
  return layers_json(net);
}

json policy_json(const Policy& p) {
  json out;
  out["kind"] = name_of(p.kind());
  out["num_actions"] = p.num_actions();
  if (const auto* g = dynamic_cast<const GaussianPolicy*>(&p)) return gaussian_json(*g, out);
  if (const auto* tab = dynamic_cast<const TabularSoftmax*>(&p)) {
    json rows = json::array();
    const int A = tab->num_actions();
    for (int o = 0; o < tab->num_obs(); ++o) {
      json row = json::array();
      for (int a = 0; a < A; ++a) row.push_back(tab->params()[o * A + a]);
      rows.push_back(row);
    }
    out["logits"] = rows;
    return out;
  }
  const auto& mlp = dynamic_cast<const MlpSoftmax&>(p);
  const Mlp& net = mlp.net();
  out["layers"] = layers_json(net);
  out["activation"] = name_of(net.shape().activation);
  out["precision"] = name_of(net.precision());
  return out;
}

namespace {

json vec(const Eigen::VectorXd& v) {
  json a = json::array();
  for (Eigen::Index i = 0; i < v.size(); ++i) a.push_back(v[i]);
  return a;
}

}  // namespace

json batch_dump(const Session& s) {
  constexpr double kMaxDenseModel = 4e6;  // numbers in a dense P before it is written sparsely
  PG_ASSERT(s.has_estimate(),
            "batch_dump needs an estimate: advance the session to the estimate phase first");
  const Estimate& est = s.last_estimate();
  const Batch& batch = s.batch();
  const Policy& policy = s.behaviour_policy();
  json out;
  out["format"] = "pglab.batch/1";
  out["scenario"] = s.scenario().resolved;  // the settings now (live changes made)
  // The live changes that led here, in order (session/live_params.h); [] when none.
  out["changes"] = changes_json(s.changes());
  out["gamma"] = s.env().gamma();
  out["policy"] = policy_json(policy);
  out["estimator"] = {{"returns", name_of(est.config.returns)},
                      {"baseline", name_of(est.config.baseline)},
                      {"normalize", est.config.normalize},
                      {"discount_weighting", est.config.discount_weighting}};
  const bool tabular = policy.kind() == PolicyKind::kTabular;
  json trajs = json::array();
  for (int i = 0; i < batch.size(); ++i) {
    const Trajectory& tr = batch.trajectories[i];
    json obs = json::array(), psi = json::array(), base = json::array();
    for (int t = 0; t < tr.length(); ++t) {
      if (tabular) {
        obs.push_back(json::array({tr.obs_index[t]}));
      } else {
        json x = json::array();
        for (int d = 0; d < tr.obs_dim; ++d)
          x.push_back(tr.obs[static_cast<size_t>(t) * tr.obs_dim + d]);
        obs.push_back(x);
      }
      psi.push_back(est.psi_at(i, t));
      base.push_back(est.baseline[est.at(i, t)]);
    }
    json actions = tr.actions;
    if (tr.action_dim > 0) {
      // Continuous: each action is the policy's sample u (action_dim values, before the
      // environment clips it; with squashing, before tanh), as log π reads it.
      actions = json::array();
      for (int t = 0; t < tr.length(); ++t) {
        const double* u = tr.act_u.data() + static_cast<size_t>(t) * tr.action_dim;
        actions.push_back(std::vector<double>(u, u + tr.action_dim));
      }
    }
    json j = {{"obs", obs},
              {"actions", actions},
              {"rewards", tr.rewards},
              {"terminated", tr.terminated},
              {"truncated", tr.truncated},
              {"psi", psi}};
    if (est.per_step_baseline() && est.config.baseline != Baseline::kNone) j["baseline"] = base;
    // The model state per step (finite worlds): what V(s) of the exact-value baseline and every
    // exact per-state quantity read, where the observation does not say it (the short corridor's
    // aliased states, an MLP's features).
    if (s.env().model()) j["state"] = tr.state;
    trajs.push_back(j);
  }
  out["trajectories"] = trajs;
  out["gradient"] = vec(est.gradient);
  if (est.config.baseline == Baseline::kOptimal) out["optimal_baseline"] = vec(est.optimal_b);
  if (const TabularModel* m = s.env().model()) {
    json start = json::array(), terminal = json::array(), obs_of_state = json::array(),
         R = json::array();
    for (int st = 0; st < m->num_states(); ++st) {
      start.push_back(m->start(st));
      terminal.push_back(m->terminal(st) ? 1 : 0);
      obs_of_state.push_back(m->obs_of_state(st));
      json row = json::array();
      for (int a = 0; a < m->num_actions(); ++a) row.push_back(m->reward(st, a));
      R.push_back(row);
    }
    // Dense P[s][a][s'] as the contract has it; a model too large for that (the token task's
    // thousands of prefix states) is written sparsely instead, as "P_sparse"[s][a] = [[s', p], …].
    const double dense_size =
        static_cast<double>(m->num_states()) * m->num_states() * m->num_actions();
    json P;
    if (dense_size <= kMaxDenseModel) {
      P = m->dense_p();
    } else {
      P = json::array();
      for (int st = 0; st < m->num_states(); ++st) {
        json row = json::array();
        for (int a = 0; a < m->num_actions(); ++a) {
          json succ = json::array();
          for (const auto& t : m->successors(st, a)) succ.push_back(json::array({t.next, t.prob}));
          row.push_back(succ);
        }
        P.push_back(row);
      }
    }
    out["model"] = {{dense_size <= kMaxDenseModel ? "P" : "P_sparse", P},
                    {"R", R},
                    {"start", start},
                    {"terminal", terminal},
                    {"obs_of_state", obs_of_state},
                    {"step_limit", s.env().step_limit()}};
    if (const ExactResult* ex = s.batch_exact())
      out["exact"] = {{"J", ex->J}, {"gradient", vec(ex->gradient)}, {"V", vec(ex->V)}};
  }
  if (!s.env().model() && s.batch_exact())
    // The continuous bandit: J and ∇J by quadrature (exact/continuous_bandit_exact.h).
    out["exact"] = {{"J", s.batch_exact()->J},
                    {"gradient", vec(s.batch_exact()->gradient)},
                    {"method", "quadrature"}};
  add_a2c_dump(s, out);
  add_ppo_dump(s, out);
  add_grpo_dump(s, out);
  add_decomposition_dump(s, out);
  add_npg_off_policy_dump(s, out);
  add_sac_dump(s, out);
  return out;
}

}  // namespace pg
