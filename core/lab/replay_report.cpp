#include "lab/replay_report.h"

#include <algorithm>
#include <cmath>

#include "critic/q_function.h"
#include "env/env.h"
#include "env/tabular_model.h"
#include "exact/exact.h"
#include "exact/state_obs.h"
#include "rollout/replay.h"
#include "session/session.h"
#include "util/error.h"

namespace pg {

namespace {

// counts[k] = how many of the ages are k; returns their mean.
double count_ages(const std::vector<int>& ages, std::vector<int>& counts) {
  counts.clear();
  double sum = 0.0;
  for (int a : ages) {
    if (a < 0) continue;
    if (static_cast<size_t>(a) >= counts.size()) counts.resize(a + 1, 0);
    ++counts[a];
    sum += a;
  }
  return ages.empty() ? 0.0 : sum / static_cast<double>(ages.size());
}

void compare_with_exact(const Session& s, const ReplayRecord& rec, ReplayReport& r) {
  const TabularModel* m = s.env().model();
  if (!m) {
    r.exact_why_not = "Q^π is exact only in finite worlds; this one has continuous states.";
    return;
  }
  ExactResult ex;
  try {
    ex = exact_evaluate(s.env(), s.policy(), 0);
  } catch (const InputError& e) {
    r.exact_why_not = e.problem();
    return;
  }
  const int A = rec.q1->num_actions(), dim = r.obs_dim;
  StateObs view(s.env(), dim > 0);
  std::vector<double> q1(A), q2(A);
  double sq = 0.0;
  for (int st = 0; st < m->num_states(); ++st) {
    if (m->terminal(st)) continue;
    const ObsRef ref = view.state(st);
    rec.q1->q_values(ref, q1.data());
    if (rec.q2) rec.q2->q_values(ref, q2.data());
    for (int a = 0; a < A; ++a) {
      const double q = rec.q2 ? std::min(q1[a], q2[a]) : q1[a];
      r.q_exact.push_back(ex.Q(st, a));
      r.q_phi.push_back(q);
      r.q_state.push_back(st);
      r.q_action.push_back(a);
      sq += (q - ex.Q(st, a)) * (q - ex.Q(st, a));
    }
  }
  r.has_exact = !r.q_exact.empty();
  r.q_rms = r.has_exact ? std::sqrt(sq / static_cast<double>(r.q_exact.size())) : 0.0;
}

}  // namespace

ReplayReport analyse_replay(const Session& s, int feature) {
  ReplayReport r;
  const ReplayRecord rec = s.algorithm().replay_record();
  if (!rec.buffer) {
    r.why_not =
        "The replay view is for replay-based algorithms (SAC: open sac-gridworld or "
        "sac-cartpole); this one keeps no buffer: each update learns from the batch collected "
        "in its own iteration (sampled by π_θ, or for the off-policy algorithm by its behaviour "
        "policy b).";
    return r;
  }
  r.applies = true;
  const ReplayBuffer& buf = *rec.buffer;
  r.capacity = buf.capacity();
  r.size = buf.size();
  r.pushed = buf.pushed();
  r.alpha = rec.alpha;
  r.obs_dim = buf.obs_dim();
  if (rec.last_step && rec.last_step->iteration >= 0) {
    r.last_update = rec.last_step->iteration;
    r.sample_age_mean = count_ages(rec.last_step->sample_ages, r.sample_age_count);
  }
  int newest = 0;
  for (int k = 0; k < buf.size(); ++k) newest = std::max(newest, buf.iteration(k));
  std::vector<int> ages(buf.size());
  for (int k = 0; k < buf.size(); ++k) ages[k] = newest - buf.iteration(k);
  r.buffer_age_mean = count_ages(ages, r.buffer_age_count);

  const TabularModel* m = s.env().model();
  if (s.env().num_obs() > 0) {
    r.obs_count.assign(s.env().num_obs(), 0.0);
    for (int k = 0; k < buf.size(); ++k) {
      const int o = buf.obs(k).index;
      if (o >= 0 && o < static_cast<int>(r.obs_count.size())) r.obs_count[o] += 1.0;
    }
    if (m) {
      // A state is covered by the transitions from its observation (aliased states share them).
      r.state_count.assign(m->num_states(), 0.0);
      for (int st = 0; st < m->num_states(); ++st) {
        const int o = m->obs_of_state(st);
        if (o >= 0 && o < static_cast<int>(r.obs_count.size())) r.state_count[st] = r.obs_count[o];
      }
    }
  }
  if (r.obs_dim > 0) {
    r.feature = std::clamp(feature, 0, r.obs_dim - 1);
    r.feature_values.resize(buf.size());
    for (int k = 0; k < buf.size(); ++k) r.feature_values[k] = buf.obs(k).x[r.feature];
  }
  compare_with_exact(s, rec, r);
  return r;
}

}  // namespace pg
