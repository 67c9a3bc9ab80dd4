#include "io/dump_sac.h"

#include "critic/q_function.h"
#include "io/batch_dump.h"
#include "rollout/replay.h"

namespace pg {

using json = nlohmann::json;

namespace {

// A Q critic with parameters phi (the shape of `like`): a tabular one as "table" (one row of A
// values per observation index), an MLP as "layers" (tanh hidden layers, one linear output per
// action; over continuous actions one output Q(s, a) of the input [features of s; a], with
// "action_dim"). null when phi is empty (no such critic).
json q_json(const QFunction& like, const Eigen::VectorXd& phi) {
  if (phi.size() == 0) return nullptr;
  if (like.action_dim() > 0) {
    const std::unique_ptr<QFunction> q = like.clone();
    q->set_params(phi);
    const auto& mlp = dynamic_cast<const MlpActionQ&>(*q);
    return {{"kind", "mlp"},
            {"num_actions", 0},
            {"action_dim", like.action_dim()},
            {"layers", mlp_layers_json(mlp.net())},
            {"activation", name_of(mlp.net().shape().activation)}};
  }
  const int A = like.num_actions();
  if (like.kind() == CriticKind::kTabular) {
    json rows = json::array();
    for (Eigen::Index o = 0; o < phi.size() / A; ++o)
      rows.push_back(std::vector<double>(phi.data() + o * A, phi.data() + (o + 1) * A));
    return {{"kind", "tabular"}, {"num_actions", A}, {"table", rows}};
  }
  const std::unique_ptr<QFunction> q = like.clone();
  q->set_params(phi);
  const auto& mlp = dynamic_cast<const MlpQ&>(*q);
  return {{"kind", "mlp"},
          {"num_actions", A},
          {"layers", mlp_layers_json(mlp.net())},
          {"activation", name_of(mlp.net().shape().activation)}};
}

json obs_json(const ReplayBuffer& buf, ObsRef o) {
  if (buf.obs_dim() == 0) return json::array({o.index});
  return std::vector<double>(o.x, o.x + buf.obs_dim());
}

// The sampled transitions, as the buffer holds them (each slot unchanged until the next push).
json sample_json(const ReplayBuffer& buf, const SacStepRecord& r, int iteration) {
  json obs = json::array(), next = json::array(), actions = json::array(), rewards = json::array(),
       terminated = json::array(), truncated = json::array(), age = json::array();
  for (int k : r.slot) {
    obs.push_back(obs_json(buf, buf.obs(k)));
    next.push_back(obs_json(buf, buf.next_obs(k)));
    if (buf.action_dim() > 0)
      actions.push_back(std::vector<double>(buf.act(k), buf.act(k) + buf.action_dim()));
    else
      actions.push_back(buf.action(k));
    rewards.push_back(buf.reward(k));
    terminated.push_back(buf.terminated(k));
    truncated.push_back(buf.truncated(k));
    age.push_back(iteration - buf.iteration(k));
  }
  return {{"slot", r.slot},         {"obs", obs},       {"actions", actions},
          {"rewards", rewards},     {"next_obs", next}, {"terminated", terminated},
          {"truncated", truncated}, {"age", age}};
}

json vec(const Eigen::VectorXd& v) {
  return std::vector<double>(v.data(), v.data() + v.size());
}

// The columns of M (d × B), one list of d values each.
json columns(const Eigen::Ref<const Eigen::MatrixXd>& M) {
  json out = json::array();
  for (Eigen::Index b = 0; b < M.cols(); ++b)
    out.push_back(std::vector<double>(M.col(b).data(), M.col(b).data() + M.rows()));
  return out;
}

json update_json(const Session& s, const ReplayRecord& rec) {
  const SacStepRecord& r = *rec.last_step;
  const QFunction& like = *rec.q1;
  const std::unique_ptr<Policy> theta = s.policy().clone();
  theta->set_params(r.theta);
  json out = {
      {"iteration", r.iteration},
      {"gradient_step", r.gradient_step},
      {"alpha", r.alpha},
      {"alpha_next", r.alpha_next},
      {"policy", policy_json(*theta)},
      {"q1", q_json(like, r.phi1)},
      {"q2", q_json(like, r.phi2)},
      {"target1", q_json(like, r.target1)},
      {"target2", q_json(like, r.target2)},
      {"q1_after", q_json(like, r.phi1_after)},
      {"q2_after", q_json(like, r.phi2_after)},
      {"sample", sample_json(*rec.buffer, r, r.iteration)},
      // y_b = r_b + γQ′_b + ent′_b (README "Batch dump" › SAC)
      {"targets",
       {{"r", r.reward},
        {"gamma_q_next", r.gamma_q_next},
        {"entropy_next", r.entropy_next},
        {"y", r.y}}},
      {"critic",
       {{"q1_sa", r.q1_sa}, {"q2_sa", r.q2_sa}, {"q1_loss", r.q1_loss}, {"q2_loss", r.q2_loss}}},
      {"actor",
       {{"q", r.actor_q},
        {"entropy_term", r.actor_entropy},
        {"objective", r.actor_objective},
        {"mean_entropy", r.mean_entropy},
        {"gradient", vec(r.actor_gradient)}}},
      {"sample_ages", r.sample_ages}};
  if (rec.buffer->action_dim() > 0) {
    // One reparameterised sample per transition (README "Batch dump" › SAC, continuous actions).
    out["eps_next"] = columns(r.eps_next);
    out["next_actions"] = columns(r.next_actions);
    out["eps"] = columns(r.eps);
    out["actor"]["actions"] = columns(r.actor_actions);
  }
  return out;
}

}  // namespace

void add_sac_dump(const Session& s, json& out) {
  const ReplayRecord rec = s.algorithm().replay_record();
  if (!rec.buffer) return;
  const Scenario& sc = s.scenario();
  const SacSettings& c = sc.sac;
  json alg = {{"name", s.algorithm().name()},
              {"alpha_mode", name_of(c.alpha_mode)},
              {"alpha", rec.alpha},
              {"target_entropy", c.target_entropy},
              {"alpha_lr", c.alpha_lr},
              {"buffer_size", c.buffer_size},
              {"batch_size", c.batch_size},
              {"gradient_steps", c.gradient_steps},
              {"warmup", c.warmup},
              {"target_network", c.target_network},
              {"tau", c.tau},
              {"twin", c.twin},
              {"optimizer", sc.algorithm.optimizer},
              {"lr", sc.algorithm.lr},
              {"max_grad_norm", sc.algorithm.max_grad_norm},
              {"critic", {{"kind", name_of(sc.critic.kind)}, {"lr", sc.critic.lr}}},
              {"buffer",
               {{"capacity", rec.buffer->capacity()},
                {"size", rec.buffer->size()},
                {"pushed", rec.buffer->pushed()}}}};
  // Continuous actions: the estimate's own ε per batch step, so the dump's ĝ recomputes from it.
  if (rec.estimate_eps && rec.estimate_steps > 0)
    alg["estimate_eps"] = columns(rec.estimate_eps->leftCols(rec.estimate_steps));
  // The critics and α the estimate read (the initial critics before the first update): the update
  // refits the critics after the estimate, while its batch and ĝ are still on show.
  if (rec.estimate_phi1)
    alg["estimate_critics"] = {{"q1", q_json(*rec.q1, *rec.estimate_phi1)},
                               {"q2", rec.q2 ? q_json(*rec.q2, *rec.estimate_phi2) : json(nullptr)},
                               {"alpha", rec.estimate_alpha}};
  const bool stepped = rec.last_step && rec.last_step->iteration >= 0;
  alg["update"] = stepped ? update_json(s, rec) : json(nullptr);
  out["algorithm"] = alg;
}

}  // namespace pg
