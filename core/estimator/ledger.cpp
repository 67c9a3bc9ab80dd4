#include "estimator/ledger.h"

#include <cmath>
#include <limits>

#include "policy/gaussian.h"
#include "policy/mlp_softmax.h"
#include "policy/tabular_softmax.h"
#include "util/error.h"

namespace pg {

BatchLedger credit_ledger(const Batch& batch, const Policy& policy, const Estimate& e) {
  PG_ASSERT(e.num_trajectories == batch.size(),
            "credit_ledger: the estimate was not made from this batch");
  BatchLedger L;
  const int N = e.num_trajectories, M = e.num_steps(), A = policy.num_actions();
  L.num_trajectories = N;
  L.num_actions = A;
  L.offset = e.offset;
  L.steps.resize(M);
  L.probs.resize(static_cast<size_t>(M) * A);
  L.per_step_baseline = e.per_step_baseline();
  L.normalized = e.config.normalize && L.per_step_baseline && M > 0;

  // Q̂ − b, and the normalisation's mean and population std over all (i, t) (DESIGN.md §3).
  for (int k = 0; k < M; ++k)
    L.steps[k].advantage = e.q_hat[k] - (L.per_step_baseline ? e.baseline[k] : 0.0);
  double inv = 1.0;
  if (L.normalized) {
    double mean = 0.0;
    for (int k = 0; k < M; ++k) mean += L.steps[k].advantage;
    mean /= M;
    double var = 0.0;
    for (int k = 0; k < M; ++k)
      var += (L.steps[k].advantage - mean) * (L.steps[k].advantage - mean);
    L.psi_mean = mean;
    L.psi_std = std::sqrt(var / M);
    inv = 1.0 / (L.psi_std + 1e-8);
  }

  L.sum = Eigen::VectorXd::Zero(policy.num_params());
  for (int i = 0; i < N; ++i) {
    const Trajectory& tr = batch.trajectories[i];
    PG_ASSERT(tr.length() == e.offset[i + 1] - e.offset[i],
              "credit_ledger: trajectory length differs from the estimate's");
    double w = 1.0;  // γ^t, accumulated as the estimator does
    for (int t = 0; t < tr.length(); ++t, w *= e.gamma) {
      const int k = e.at(i, t);
      LedgerStep& s = L.steps[k];
      s.t = t;
      s.obs = tr.obs_index[t];
      s.state = tr.state.empty() ? -1 : tr.state[t];
      s.action = tr.actions[t];
      s.reward = tr.rewards[t];
      s.reward_to_go = e.reward_to_go[k];
      s.q_hat = e.q_hat[k];
      s.baseline = L.per_step_baseline ? e.baseline[k] : std::numeric_limits<double>::quiet_NaN();
      s.normalized = L.normalized ? (s.advantage - L.psi_mean) * inv : s.advantage;
      s.weight = applies_discount_weighting(e.config) ? w : 1.0;
      s.psi = e.psi[k];
      double* p = L.probs.data() + static_cast<size_t>(k) * A;
      if (A > 0) policy.probs(tr.obs_at(t), p);
      s.prob = A > 0 ? p[s.action] : std::exp(tr.logp[t]);
      // c_it, one step at a time: the naive path beside the estimator's batched one.
      const Eigen::VectorXd c = e.contribution(batch, policy, i, t);
      s.contribution_norm = c.norm();
      L.sum += c;
    }
  }
  L.gradient_norm = e.gradient.norm();
  L.residual = e.gradient.size() == L.sum.size() ? (L.sum - e.gradient).norm()
                                                 : std::numeric_limits<double>::infinity();
  return L;
}

BatchLedger credit_ledger(const Batch& batch, const Policy& policy, const Estimate& estimate,
                          const StepDecomposition& decomposition) {
  BatchLedger L = credit_ledger(batch, policy, estimate);
  PG_ASSERT(decomposition.offset == estimate.offset && decomposition.num_pieces() > 0,
            "credit_ledger: the decomposition is not of this estimate (decompose the same batch "
            "and estimate)");
  for (int k = 0; k < estimate.num_steps(); ++k)
    PG_ASSERT(decomposition.values[static_cast<size_t>(k + 1) * decomposition.pieces.size() - 1] ==
                  estimate.psi[k],
              "credit_ledger: the decomposition's weight w differs from the estimate's ψ");
  L.decomposition = decomposition;
  return L;
}

std::vector<double> reward_weights(Returns returns, double gamma, int T, int t) {
  std::vector<double> w(T > 0 ? T : 0, 0.0);
  double g = 1.0;
  if (returns == Returns::kTotal) {
    // R = G_0 = Σ_t' γ^t' r_t'.
    for (int tp = 0; tp < T; ++tp, g *= gamma) w[tp] = g;
  } else {
    // G_t = Σ_{t'≥t} γ^(t'−t) r_t'.
    for (int tp = t; tp < T; ++tp, g *= gamma) w[tp] = g;
  }
  return w;
}

CreditWeights credit_reward_weights(const BatchLedger& L, const StepDecomposition& d,
                                    Returns returns, double gamma, int i, int t) {
  CreditWeights out;
  const int T = L.length(i);
  out.w = reward_weights(returns, gamma, T, t);
  out.value = L.at(i, t).q_hat;
  const int q = d.find("Q̂′ₜ");
  int rho = d.find("ρ̄₀:ₜ");  // capped, when offpolicy.truncate > 0
  if (rho < 0) rho = d.find("ρ₀:ₜ");
  if (q < 0 || rho < 0 || d.offset != L.offset ||
      d.values.size() != L.steps.size() * d.pieces.size())
    return out;
  out.importance = true;
  for (int tp = 0; tp < T; ++tp) out.w[tp] *= d.value(i, std::max(t, tp), rho);
  out.value = d.value(i, t, q);
  return out;
}

std::vector<ParamBlock> param_blocks(const Policy& policy) {
  std::vector<ParamBlock> blocks;
  const auto layers = [&](const Mlp& net) {
    for (int l = 0; l < net.num_layers(); ++l) {
      const std::string n = std::to_string(l + 1);
      blocks.push_back({"W" + n, net.w_offset(l), net.out_dim(l) * net.in_dim(l)});
      blocks.push_back({"b" + n, net.b_offset(l), net.out_dim(l)});
    }
  };
  if (const auto* mlp = dynamic_cast<const MlpSoftmax*>(&policy)) {
    layers(mlp->net());
  } else if (const auto* g = dynamic_cast<const GaussianPolicy*>(&policy)) {
    // gaussian.h's layout: the mean network (or μ itself without features), then log σ.
    if (g->has_network())
      layers(g->net());
    else
      blocks.push_back({"μ", 0, g->action_dim()});
    if (g->log_std_offset() >= 0) blocks.push_back({"log σ", g->log_std_offset(), g->action_dim()});
  } else if (const auto* tab = dynamic_cast<const TabularSoftmax*>(&policy)) {
    const int A = tab->num_actions();
    for (int o = 0; o < tab->num_obs(); ++o) blocks.push_back({"o=" + std::to_string(o), o * A, A});
  } else {
    blocks.push_back({"θ", 0, policy.num_params()});
  }
  return blocks;
}

std::vector<double> block_norms(const Eigen::Ref<const Eigen::VectorXd>& v,
                                const std::vector<ParamBlock>& blocks) {
  std::vector<double> out;
  out.reserve(blocks.size());
  for (const ParamBlock& b : blocks) {
    PG_ASSERT(b.offset >= 0 && b.offset + b.size <= v.size(),
              "block_norms: block outside the vector");
    out.push_back(v.segment(b.offset, b.size).norm());
  }
  return out;
}

}  // namespace pg
