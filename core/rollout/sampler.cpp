#include "rollout/sampler.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "policy/tabular_softmax.h"
#include "util/error.h"

namespace pg {

void EpisodeRunner::begin(Env& env, uint64_t seed, uint64_t iteration, uint64_t episode,
                          bool store_features, Trajectory& out) {
  env_rng_ = Rng::stream(seed, iteration, episode, Purpose::kEnvStep);
  action_rng_ = Rng::stream(seed, iteration, episode, Purpose::kAction);
  Rng reset_rng = Rng::stream(seed, iteration, episode, Purpose::kEnvReset);
  env.reset(reset_rng);
  store_features_ = store_features;
  out.clear(store_features ? env.obs_dim() : 0, env.action_dim());
  x_.resize(env.obs_dim());
  p_.resize(env.num_actions());
  u_.resize(env.action_dim());
  u_env_.resize(env.action_dim());
  done_ = false;
  episode_step_ = 0;
}

void EpisodeRunner::continue_into(Env& env, Trajectory& out) const {
  out.clear(store_features_ ? env.obs_dim() : 0, env.action_dim());
  out.start_t = episode_step_;
}

bool EpisodeRunner::finish_step(Env& env, int action, double logp, Trajectory& out) {
  if (store_features_) {
    env.observe(x_.data());
    out.obs.insert(out.obs.end(), x_.begin(), x_.end());
  }
  out.obs_index.push_back(env.obs_index());
  out.state.push_back(env.state_index());
  out.actions.push_back(action);
  out.logp.push_back(logp);
  ++episode_step_;
  StepResult r;
  if (out.action_dim > 0) {
    out.act_u.insert(out.act_u.end(), u_.begin(), u_.end());
    r = env.step_continuous(u_env_.data(), env_rng_);
  } else {
    r = env.step(action, env_rng_);
  }
  out.rewards.push_back(r.reward);
  out.terminated = r.terminated;
  out.truncated = r.truncated || (!r.terminated && episode_step_ >= kHardStepCap);
  done_ = out.terminated || out.truncated;
  // s_T: the state after the last step, kept up to date while the episode runs (the views draw an
  // episode still being sampled at its latest state; they read zeros there before).
  if (store_features_) env.observe(out.final_obs.data());
  out.final_state = env.state_index();
  return done_;
}

bool EpisodeRunner::step(Env& env, const Policy& policy, Trajectory& out) {
  PG_ASSERT(!done_, "EpisodeRunner::step after the episode ended; call begin() first");
  env.observe(x_.data());
  const ObsRef o{env.obs_index(), x_.data()};
  if (!u_.empty()) {
    // Continuous: u ~ π(·|s) is kept (log π is its density); the env gets env_action(u), which
    // it clips to its bounds.
    PG_ASSERT(policy.action_dim() == static_cast<int>(u_.size()),
              "the policy's action_dim must equal the environment's");
    const double logp = policy.sample(o, action_rng_, nullptr, u_.data());
    policy.env_action(u_.data(), u_env_.data());
    return finish_step(env, -1, logp, out);
  }
  policy.probs(o, p_.data());
  return step_with_probs(env, p_.data(), out);
}

bool EpisodeRunner::step_with_probs(Env& env, const double* probs, Trajectory& out) {
  PG_ASSERT(!done_, "EpisodeRunner::step after the episode ended; call begin() first");
  PG_ASSERT(u_.empty(), "step_with_probs: a discrete environment only");
  const int a = action_rng_.categorical(probs, static_cast<int>(p_.size()));
  return finish_step(env, a, std::log(probs[a]), out);
}

bool EpisodeRunner::step_with_table(Env& env, const double* prob_table, const double* log_table,
                                    Trajectory& out) {
  PG_ASSERT(!done_, "EpisodeRunner::step after the episode ended; call begin() first");
  const int A = static_cast<int>(p_.size());
  const size_t row = static_cast<size_t>(env.obs_index()) * A;
  const int a = action_rng_.categorical(prob_table + row, A);
  return finish_step(env, a, log_table[row + a], out);
}

void sample_episode(Env& env, const Policy& policy, uint64_t seed, uint64_t iteration,
                    uint64_t episode, bool store_features, Trajectory& out) {
  EpisodeRunner runner;
  runner.begin(env, seed, iteration, episode, store_features, out);
  while (!runner.step(env, policy, out)) {
  }
}

void BatchCap::fail(double steps_so_far, int episodes_done, int episodes_asked) const {
  char head[160];
  std::snprintf(head, sizeof head, "the batch reached %.0f steps (episodes ended: %d of %d)",
                steps_so_far, episodes_done, episodes_asked);
  // With one episode a batch, only a step limit helps.
  const std::string change = episodes_asked > 1 && !lower.empty()
                                 ? "set env.step_limit or lower " + lower
                                 : std::string("set env.step_limit");
  throw std::runtime_error(std::string(head) +
                           ": this world has no step limit and the policy rarely ends an "
                           "episode; more steps would not fit in a batch's share of the memory, " +
                           budget + "; " + change);
}

void sample_batch(Env& env, const Policy& policy, uint64_t seed, uint64_t iteration, int n,
                  bool store_features, Batch& out, const BatchCap& cap) {
  out.trajectories.resize(n);
  EpisodeRunner runner;
  // Tabular policies: one softmax per observation per batch instead of one per step.
  const auto* tabular = dynamic_cast<const TabularSoftmax*>(&policy);
  thread_local std::vector<double> table, log_table;
  if (tabular) {
    const int A = tabular->num_actions();
    table.resize(static_cast<size_t>(tabular->num_obs()) * A);
    log_table.resize(table.size());
    for (int o = 0; o < tabular->num_obs(); ++o) {
      // log π(a|o) = z_a − log Σ_b exp z_b: one log per observation.
      const size_t row = static_cast<size_t>(o) * A;
      tabular->probs_of(o, table.data() + row);
      const double* z = tabular->params().data() + row;
      double zmax = z[0];
      for (int a = 1; a < A; ++a) zmax = std::max(zmax, z[a]);
      double sum = 0.0;
      for (int a = 0; a < A; ++a) sum += std::exp(z[a] - zmax);
      const double lse = zmax + std::log(sum);
      for (int a = 0; a < A; ++a) log_table[row + a] = z[a] - lse;
    }
  }
  double steps = 0;  // in the episodes before this one
  for (int k = 0; k < n; ++k) {
    Trajectory& tr = out.trajectories[k];
    runner.begin(env, seed, iteration, static_cast<uint64_t>(k), store_features, tr);
    for (;;) {
      const bool ended = tabular ? runner.step_with_table(env, table.data(), log_table.data(), tr)
                                 : runner.step(env, policy, tr);
      if (ended) break;
      cap.check(steps + runner.episode_step(), k, n);
    }
    steps += runner.episode_step();
  }
}

}  // namespace pg
