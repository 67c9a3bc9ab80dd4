#include "algo/replay_record.h"

#include <algorithm>
#include <cmath>

#include "critic/q_function.h"
#include "env/env.h"
#include "env/tabular_model.h"
#include "policy/policy.h"
#include "rollout/replay.h"

namespace pg {

namespace {

// q[0..A) = min(Q₁(o,·), Q₂(o,·)) (Q₁ alone when q2 is null); scratch holds Q₂.
void min_q_values(const QFunction& q1, const QFunction* q2, ObsRef o, std::vector<double>& q,
                  std::vector<double>& scratch) {
  const int A = q1.num_actions();
  q.resize(A);
  q1.q_values(o, q.data());
  if (!q2) return;
  scratch.resize(A);
  q2->q_values(o, scratch.data());
  for (int a = 0; a < A; ++a) q[a] = std::min(q[a], scratch[a]);
}

// Σ_a π(a|o) Q(o,a) and Σ_a π(a|o) log π(a|o) (terms with π = 0 left out, as soft_expectation).
void expectations(const Policy& policy, ObsRef o, const std::vector<double>& q,
                  std::vector<double>& p, double* eq, double* elogp) {
  const int A = static_cast<int>(q.size());
  p.resize(A);
  policy.probs(o, p.data());
  *eq = 0.0;
  *elogp = 0.0;
  for (int a = 0; a < A; ++a) {
    if (p[a] <= 0.0) continue;
    *eq += p[a] * q[a];
    *elogp += p[a] * std::log(p[a]);
  }
}

Eigen::VectorXd params_or_empty(const QFunction* q) {
  return q ? q->params() : Eigen::VectorXd();
}

}  // namespace

void record_step_inputs(SacStepRecord& r, int iteration, int gradient_step, const Policy& policy,
                        const QFunction& q1, const QFunction* q2, const QFunction* target1,
                        const QFunction* target2, double alpha, const ReplayBuffer& buf,
                        const int* idx, int B) {
  r.iteration = iteration;
  r.gradient_step = gradient_step;
  r.theta = policy.params();
  r.phi1 = q1.params();
  r.phi2 = params_or_empty(q2);
  r.target1 = params_or_empty(target1);
  r.target2 = params_or_empty(target2);
  r.alpha = alpha;
  r.slot.assign(idx, idx + B);
  std::vector<double> q(q1.num_actions());
  r.q1_sa.resize(B);
  r.q2_sa.resize(q2 ? B : 0);
  for (int b = 0; b < B; ++b) {
    q1.q_values(buf.obs(idx[b]), q.data());
    r.q1_sa[b] = q[buf.action(idx[b])];
    if (!q2) continue;
    q2->q_values(buf.obs(idx[b]), q.data());
    r.q2_sa[b] = q[buf.action(idx[b])];
  }
}

void record_target_terms(SacStepRecord& r, const Policy& policy, const QFunction& b1,
                         const QFunction* b2, const ReplayBuffer& buf, double gamma,
                         const double* y) {
  const int B = static_cast<int>(r.slot.size());
  r.reward.resize(B);
  r.gamma_q_next.resize(B);
  r.entropy_next.resize(B);
  r.y.assign(y, y + B);
  std::vector<double> q, scratch, p;
  for (int b = 0; b < B; ++b) {
    const int k = r.slot[b];
    r.reward[b] = buf.reward(k);
    r.gamma_q_next[b] = 0.0;
    r.entropy_next[b] = 0.0;
    if (buf.terminated(k)) continue;  // y = r: a terminal s′ has no value
    min_q_values(b1, b2, buf.next_obs(k), q, scratch);
    double eq = 0.0, elogp = 0.0;
    expectations(policy, buf.next_obs(k), q, p, &eq, &elogp);
    r.gamma_q_next[b] = gamma * eq;
    r.entropy_next[b] = -gamma * r.alpha * elogp;
  }
}

void record_actor_terms(SacStepRecord& r, const Policy& policy, const QFunction& q1,
                        const QFunction* q2, const ReplayBuffer& buf) {
  const int B = static_cast<int>(r.slot.size());
  r.phi1_after = q1.params();
  r.phi2_after = params_or_empty(q2);
  r.actor_q.resize(B);
  r.actor_entropy.resize(B);
  std::vector<double> q, scratch, p;
  for (int b = 0; b < B; ++b) {
    const ObsRef o = buf.obs(r.slot[b]);
    min_q_values(q1, q2, o, q, scratch);
    double eq = 0.0, elogp = 0.0;
    expectations(policy, o, q, p, &eq, &elogp);
    r.actor_q[b] = eq;
    r.actor_entropy[b] = -r.alpha * elogp;
  }
}

void batch_target_terms(const Batch& batch, const Env& env, const Policy& policy,
                        const QFunction& b1, const QFunction* b2, bool features, double gamma,
                        double alpha, std::vector<double>& gq, std::vector<double>& ent) {
  const TabularModel* model = env.model();
  size_t M = 0;
  for (const Trajectory& tr : batch.trajectories) M += tr.length();
  gq.assign(M, 0.0);
  ent.assign(M, 0.0);
  std::vector<double> q, scratch, p;
  size_t k = 0;
  for (const Trajectory& tr : batch.trajectories) {
    const int T = tr.length();
    for (int t = 0; t < T; ++t, ++k) {
      const bool last = t + 1 == T;
      if (last && tr.terminated) continue;  // y = r: a terminal s′ has no value
      ObsRef next;
      if (!last) {
        next = tr.obs_at(t + 1);
      } else {
        next.index = model && tr.final_state >= 0 ? model->obs_of_state(tr.final_state) : -1;
        next.x = tr.final_obs.empty() ? nullptr : tr.final_obs.data();
      }
      // The policy reads what it reads; the critics the index alone unless they keep features.
      const ObsRef for_q{next.index, features ? next.x : nullptr};
      min_q_values(b1, b2, for_q, q, scratch);
      double eq = 0.0, elogp = 0.0;
      expectations(policy, next, q, p, &eq, &elogp);
      gq[k] = gamma * eq;
      ent[k] = -gamma * alpha * elogp;
    }
  }
}

}  // namespace pg
