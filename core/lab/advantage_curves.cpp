#include "lab/advantage_curves.h"

#include <algorithm>
#include <cmath>

#include "critic/value_function.h"
#include "env/env.h"
#include "env/tabular_model.h"
#include "estimator/advantages.h"
#include "estimator/reinforce.h"
#include "exact/exact.h"
#include "exact/state_obs.h"
#include "util/error.h"

namespace pg {

AdvantageCurves advantage_curves(const Trajectory& tr, const double* values, double final_value,
                                 double gamma, double lambda, int n) {
  AdvantageCurves c;
  const int T = tr.length();
  c.length = T;
  c.values.assign(values, values + T);
  c.bootstrap = tr.bootstrap();
  c.final_value = c.bootstrap ? final_value : 0.0;
  c.reward_to_go.resize(T);
  reward_to_go(tr, gamma, c.reward_to_go.data());
  // compute_advantages works on a batch; a one-piece batch of this trajectory.
  Batch one;
  one.trajectories.push_back(tr);
  const std::vector<int> offset = {0, T};
  std::vector<double> targets(T);
  const AdvantageKind kinds[4] = {AdvantageKind::kMonteCarlo, AdvantageKind::kTD0,
                                  AdvantageKind::kNStep, AdvantageKind::kGAE};
  std::vector<double>* outs[4] = {&c.mc, &c.td0, &c.nstep, &c.gae};
  for (int k = 0; k < 4; ++k) {
    outs[k]->resize(T);
    compute_advantages(one, AdvantageConfig{kinds[k], gamma, lambda, n}, offset, c.values.data(),
                       &c.final_value, outs[k]->data(), targets.data());
    if (kinds[k] == AdvantageKind::kGAE) c.gae_target = targets;
  }
  return c;
}

void critic_values(const Trajectory& tr, const ValueFunction& critic, const Env& env,
                   std::vector<double>& values, double& final_value) {
  values.resize(tr.length());
  critic.values(tr, values.data());
  final_value = 0.0;
  if (!tr.bootstrap()) return;
  const TabularModel* model = env.model();
  const int o = model && tr.final_state >= 0 ? model->obs_of_state(tr.final_state) : -1;
  final_value = critic.value(ObsRef{o, tr.final_obs.empty() ? nullptr : tr.final_obs.data()});
}

BatchValues batch_critic_values(const Batch& batch, const ValueFunction& critic, const Env& env) {
  BatchValues v;
  v.offset.assign(1, 0);
  for (const auto& tr : batch.trajectories) v.offset.push_back(v.offset.back() + tr.length());
  v.values.resize(v.offset.back());
  v.final_values.assign(batch.size(), 0.0);
  std::vector<double> piece;
  for (int i = 0; i < batch.size(); ++i) {
    critic_values(batch.trajectories[i], critic, env, piece, v.final_values[i]);
    std::copy(piece.begin(), piece.end(), v.values.begin() + v.offset[i]);
  }
  return v;
}

BatchValues batch_exact_values(const Batch& batch, const ExactResult& ex) {
  BatchValues v;
  v.offset.assign(1, 0);
  for (const auto& tr : batch.trajectories) v.offset.push_back(v.offset.back() + tr.length());
  v.values.resize(v.offset.back());
  v.final_values.assign(batch.size(), 0.0);
  // V^π_τ(s): V_H = 0 past the horizon; V is 0 at terminal states in both forms.
  auto value = [&](int tau, int s) {
    PG_ASSERT(s >= 0, "batch_exact_values: trajectories of a finite world carry model states");
    if (ex.horizon <= 0) return ex.V[s];
    return tau < ex.horizon ? ex.V_t(tau, s) : 0.0;
  };
  for (int i = 0; i < batch.size(); ++i) {
    const Trajectory& tr = batch.trajectories[i];
    for (int t = 0; t < tr.length(); ++t)
      v.values[v.offset[i] + t] = value(tr.start_t + t, tr.state[t]);
    if (tr.bootstrap() && tr.final_state >= 0)
      v.final_values[i] = value(tr.start_t + tr.length(), tr.final_state);
  }
  return v;
}

std::array<double, 4> advantage_std(const Batch& batch, const BatchValues& v, double gamma,
                                    double lambda, int n) {
  const int M = v.offset.empty() ? 0 : v.offset.back();
  std::vector<double> adv(M), targets(M);
  const AdvantageKind kinds[4] = {AdvantageKind::kMonteCarlo, AdvantageKind::kTD0,
                                  AdvantageKind::kNStep, AdvantageKind::kGAE};
  std::array<double, 4> out{};
  for (int k = 0; k < 4; ++k) {
    compute_advantages(batch, AdvantageConfig{kinds[k], gamma, lambda, n}, v.offset,
                       v.values.data(), v.final_values.data(), adv.data(), targets.data());
    double mean = 0.0, var = 0.0;
    for (double a : adv) mean += a;
    mean = M > 0 ? mean / M : 0.0;
    for (double a : adv) var += (a - mean) * (a - mean);
    out[k] = M > 0 ? std::sqrt(var / M) : 0.0;
  }
  return out;
}

std::vector<double> critic_value_by_obs(const ValueFunction& critic, const Env& env) {
  const int O = env.num_obs();
  std::vector<double> v(O > 0 ? O : 0);
  StateObs view(env, true);
  for (int o = 0; o < O; ++o) v[o] = critic.value(view.obs(o));
  return v;
}

}  // namespace pg
