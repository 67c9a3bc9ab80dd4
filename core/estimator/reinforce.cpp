#include "estimator/reinforce.h"

#include <cmath>

#include "critic/value_function.h"
#include "exact/exact.h"
#include "util/error.h"

namespace pg {

void reward_to_go(const Trajectory& tr, double gamma, double* out) {
  // G_t = r_t + γ G_{t+1}, G_T = 0.
  double g = 0.0;
  for (int t = tr.length() - 1; t >= 0; --t) out[t] = g = tr.rewards[t] + gamma * g;
}

namespace {

// The flat step arrays the policy's batched gradient takes: features (when the policy reads them),
// observation indices and actions, over steps [first, first + n).
void gather_steps(const Batch& batch, bool features, Estimate& e) {
  const int n = e.num_steps();
  e.work_index.resize(n);
  e.size_actions(batch, n);
  e.work_scale.resize(n);
  const int dim = batch.trajectories.empty() ? 0 : batch.trajectories[0].obs_dim;
  if (features && dim > 0) {
    if (e.work_x.rows() != dim || e.work_x.cols() < n)
      e.work_x.resize(dim, std::max<Eigen::Index>(n, e.work_x.cols()));
  }
  for (int i = 0; i < e.num_trajectories; ++i) {
    const Trajectory& tr = batch.trajectories[i];
    for (int t = 0; t < tr.length(); ++t) {
      const int k = e.at(i, t);
      e.work_index[k] = tr.obs_index[t];
      e.gather_action(tr, t, k);
      if (features && dim > 0)
        e.work_x.col(k) =
            Eigen::Map<const Eigen::VectorXd>(tr.obs.data() + static_cast<size_t>(t) * dim, dim);
    }
  }
}

// Features of steps [first, first + n), or an empty matrix for policies that read indices only.
Eigen::Ref<const Eigen::MatrixXd> steps_x(const Estimate& e, int first, int n, bool features) {
  static const Eigen::MatrixXd kNoFeatures;  // immutable, shared: not state
  if (!features || e.work_x.size() == 0) return kNoFeatures;
  return e.work_x.middleCols(first, n);
}

double exact_value(const ExactResult& ex, int state, int t) {
  if (ex.V_t.size() > 0) return t < ex.V_t.rows() ? ex.V_t(t, state) : 0.0;
  return ex.V[state];
}

}  // namespace

void estimate_reinforce(const Batch& batch, const Policy& policy, double gamma,
                        const EstimatorConfig& config, const BaselineSources& sources,
                        Estimate& e) {
  const int N = batch.size();
  PG_ASSERT(N > 0, "estimate_reinforce needs at least one trajectory");
  e.config = config;
  e.gamma = gamma;
  e.num_trajectories = N;
  e.divisor = 0;  // ĝ averages over the N trajectories
  e.offset.resize(N + 1);
  e.offset[0] = 0;
  for (int i = 0; i < N; ++i) e.offset[i + 1] = e.offset[i] + batch.trajectories[i].length();
  const int M = e.num_steps();
  e.q_hat.resize(M);
  e.baseline.assign(M, 0.0);
  e.psi.resize(M);
  e.reward_to_go.resize(M);
  const bool features = policy.kind() != PolicyKind::kTabular;
  const bool weighting = applies_discount_weighting(config);  // reward-to-go only

  // Reward-to-go G_it and the weight Q̂_it: total → R_i = G_i0; reward-to-go → G_it.
  int max_len = 0;
  for (int i = 0; i < N; ++i) {
    const Trajectory& tr = batch.trajectories[i];
    max_len = std::max(max_len, tr.length());
    double* G = e.reward_to_go.data() + e.offset[i];
    reward_to_go(tr, gamma, G);
    const double R = tr.length() > 0 ? G[0] : 0.0;
    for (int t = 0; t < tr.length(); ++t)
      e.q_hat[e.at(i, t)] = config.returns == Returns::kTotal ? R : G[t];
  }
  auto len = [&](int i) { return batch.trajectories[i].length(); };

  // Baselines b_it.
  switch (config.baseline) {
    case Baseline::kNone:
    case Baseline::kOptimal:
      break;
    case Baseline::kMean: {
      // total: (1/N) Σ_j R_j; reward-to-go: the mean of G_jt over all (j, t).
      double b = 0.0;
      if (config.returns == Returns::kTotal) {
        for (int j = 0; j < N; ++j) b += len(j) > 0 ? e.reward_to_go[e.offset[j]] : 0.0;
        b /= N;
      } else {
        for (int k = 0; k < M; ++k) b += e.q_hat[k];
        b = M > 0 ? b / M : 0.0;
      }
      std::fill(e.baseline.begin(), e.baseline.end(), b);
      break;
    }
    case Baseline::kTimeMean: {
      // b_t = mean of Q̂_jt over the trajectories j with T_j > t.
      std::vector<double> sum(max_len, 0.0);
      std::vector<int> count(max_len, 0);
      for (int j = 0; j < N; ++j)
        for (int t = 0; t < len(j); ++t) {
          sum[t] += e.q_hat[e.at(j, t)];
          count[t]++;
        }
      for (int i = 0; i < N; ++i)
        for (int t = 0; t < len(i); ++t) e.baseline[e.at(i, t)] = sum[t] / count[t];
      break;
    }
    case Baseline::kLeaveOneOut: {
      if (config.returns == Returns::kTotal) {
        // (1/(N−1)) Σ_{j≠i} R_j; 0 when N = 1.
        double total = 0.0;
        for (int j = 0; j < N; ++j) total += len(j) > 0 ? e.reward_to_go[e.offset[j]] : 0.0;
        for (int i = 0; i < N; ++i) {
          const double Ri = len(i) > 0 ? e.reward_to_go[e.offset[i]] : 0.0;
          const double b = N > 1 ? (total - Ri) / (N - 1) : 0.0;
          for (int t = 0; t < len(i); ++t) e.baseline[e.at(i, t)] = b;
        }
      } else {
        // Mean over j ≠ i with T_j > t of G_jt; 0 where no other trajectory is that long.
        std::vector<double> sum(max_len, 0.0);
        std::vector<int> count(max_len, 0);
        for (int j = 0; j < N; ++j)
          for (int t = 0; t < len(j); ++t) {
            sum[t] += e.reward_to_go[e.at(j, t)];
            count[t]++;
          }
        for (int i = 0; i < N; ++i)
          for (int t = 0; t < len(i); ++t) {
            const int others = count[t] - 1;
            e.baseline[e.at(i, t)] =
                others > 0 ? (sum[t] - e.reward_to_go[e.at(i, t)]) / others : 0.0;
          }
      }
      break;
    }
    case Baseline::kExactValue: {
      if (!sources.exact)
        throw InputError("estimator.baseline",
                         "exact-value needs a finite world with an exact oracle");
      for (int i = 0; i < N; ++i) {
        const Trajectory& tr = batch.trajectories[i];
        for (int t = 0; t < tr.length(); ++t) {
          PG_ASSERT(tr.state[t] >= 0,
                    "exact-value baseline needs model state indices in the trajectory");
          e.baseline[e.at(i, t)] = exact_value(*sources.exact, tr.state[t], t);
        }
      }
      break;
    }
    case Baseline::kCritic: {
      if (!sources.critic) throw InputError("estimator.baseline", "critic baseline needs a critic");
      for (int i = 0; i < N; ++i)
        sources.critic->values(batch.trajectories[i], e.baseline.data() + e.offset[i]);
      break;
    }
  }

  gather_steps(batch, features, e);
  e.gradient.setZero(policy.num_params());

  if (config.baseline == Baseline::kOptimal) {
    // g_i = Σ_t ∇ log π(a_it|s_it);  b_k = Σ_i g_ik² R_i / Σ_i g_ik²;
    // ĝ_k = (1/N) Σ_i Σ_t ∂_k log π(a_it|s_it) w_t (R_i − b_k), w_t = γ^t where discount weighting
    // applies (never with total returns, the only returns this baseline takes: then w_t = 1).
    const int P = policy.num_params();
    Eigen::VectorXd num = Eigen::VectorXd::Zero(P), den = Eigen::VectorXd::Zero(P);
    Eigen::VectorXd g_i(P), gw_i(P);
    Eigen::VectorXd sum_gw = Eigen::VectorXd::Zero(P), sum_gwR = Eigen::VectorXd::Zero(P);
    for (int i = 0; i < N; ++i) {
      const int first = e.offset[i], n = len(i);
      const double R = n > 0 ? e.reward_to_go[first] : 0.0;
      double w = 1.0;
      for (int t = 0; t < n; ++t) {
        e.work_scale[first + t] = weighting ? w : 1.0;
        w *= gamma;
      }
      g_i.setZero();
      std::vector<double> ones(n, 1.0);
      policy.add_grad_log_prob_batch(steps_x(e, first, n, features), e.work_index.data() + first,
                                     e.work_acts(first), ones.data(), n, g_i);
      gw_i.setZero();
      policy.add_grad_log_prob_batch(steps_x(e, first, n, features), e.work_index.data() + first,
                                     e.work_acts(first), e.work_scale.data() + first, n, gw_i);
      num.array() += g_i.array().square() * R;
      den.array() += g_i.array().square();
      sum_gw += gw_i;
      sum_gwR += gw_i * R;
    }
    e.optimal_b = Eigen::VectorXd::Zero(P);
    for (int k = 0; k < P; ++k) e.optimal_b[k] = den[k] > 0.0 ? num[k] / den[k] : 0.0;
    e.gradient = (sum_gwR - sum_gw.cwiseProduct(e.optimal_b)) / static_cast<double>(N);
    // ψ as a per-step scalar is not defined here; keep Q̂ (times the weight) for the views.
    for (int k = 0; k < M; ++k) e.psi[k] = e.q_hat[k] * e.work_scale[k];
    return;
  }
  e.optimal_b.resize(0);

  // ψ_it = Q̂_it − b_it.
  for (int k = 0; k < M; ++k) e.psi[k] = e.q_hat[k] - e.baseline[k];
  // normalize: ψ ← (ψ − mean ψ) / (std ψ + 1e-8), population std over all (i, t).
  if (config.normalize && M > 0) {
    double mean = 0.0;
    for (int k = 0; k < M; ++k) mean += e.psi[k];
    mean /= M;
    double var = 0.0;
    for (int k = 0; k < M; ++k) var += (e.psi[k] - mean) * (e.psi[k] - mean);
    const double inv = 1.0 / (std::sqrt(var / M) + 1e-8);
    for (int k = 0; k < M; ++k) e.psi[k] = (e.psi[k] - mean) * inv;
  }
  // discount weighting (reward-to-go only): ψ_it ← γ^t ψ_it, after normalisation.
  if (weighting) {
    for (int i = 0; i < N; ++i) {
      double w = 1.0;
      for (int t = 0; t < len(i); ++t, w *= gamma) e.psi[e.at(i, t)] *= w;
    }
  }
  // ĝ = (1/N) Σ_i Σ_t ∇θ log π(a_it|s_it) ψ_it.
  const double inv_n = 1.0 / N;
  for (int k = 0; k < M; ++k) e.work_scale[k] = e.psi[k] * inv_n;
  policy.add_grad_log_prob_batch(steps_x(e, 0, M, features), e.work_index.data(), e.work_acts(),
                                 e.work_scale.data(), M, e.gradient);
}

Eigen::VectorXd Estimate::contribution(const Batch& batch, const Policy& policy, int i,
                                       int t) const {
  const Trajectory& tr = batch.trajectories[i];
  Eigen::VectorXd c = Eigen::VectorXd::Zero(policy.num_params());
  if (config.baseline == Baseline::kOptimal) {
    Eigen::VectorXd g = Eigen::VectorXd::Zero(policy.num_params());
    policy.add_grad_log_prob(tr.obs_at(t), tr.act_at(t), 1.0, g);
    const double w = applies_discount_weighting(config) ? std::pow(gamma, t) : 1.0;
    const double R = reward_to_go[offset[i]];
    c = g.cwiseProduct((R - optimal_b.array()).matrix()) * (w / num_trajectories);
    return c;
  }
  policy.add_grad_log_prob(tr.obs_at(t), tr.act_at(t), psi_at(i, t) / gradient_divisor(), c);
  return c;
}

}  // namespace pg
