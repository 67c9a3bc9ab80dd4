#pragma once
// What a replay-based learner (SAC, algo/sac.h) tells the views, the batch dump and session files
// (DESIGN.md §3a: ask the object, never its type). Algorithm::replay_record() returns one; its
// `buffer` is null for every algorithm without a replay buffer.
//
//   const ReplayRecord r = session.algorithm().replay_record();
//   if (!r.buffer) …                                   // not replay-based
//   r.buffer->size(), r.q1->q_values(o, q), r.alpha
//   r.last_step->y, r.last_step->sample_ages            // the last update's last gradient step
//
// The pointers point into the algorithm and stay valid until it changes (the next update).

#include <Eigen/Core>
#include <vector>

namespace pg {

class ReplayBuffer;
class QFunction;
class Policy;
class Env;
struct Batch;

// The last gradient step of the last update: everything it read and what it computed, so the
// dump can recompute it from the file alone (README "Batch dump" › SAC). B = sac.batch_size.
struct SacStepRecord {
  int iteration = -1;      // the update's iteration; -1: no gradient step taken yet
  int gradient_step = -1;  // which of its gradient steps (the last one, gradient_steps − 1)
  // Read by the step, as they were before it: θ, the critics φ₁ (φ₂ empty without twin critics),
  // the target critics φ̄₁, φ̄₂ (empty without target networks: the critics bootstrap themselves),
  // and α.
  Eigen::VectorXd theta, phi1, phi2, target1, target2;
  double alpha = 0.0;
  std::vector<int> slot;  // B buffer slots sampled (untouched until the next update's push)
  // The critic target y_b = r_b + γQ′_b + ent′_b, with Q̄ = min(Q̄₁, Q̄₂) (or Q̄₁):
  //   γQ′_b  = γ (1 − terminated_b) Σ_a′ π(a′|s′_b) Q̄(s′_b,a′)
  //   ent′_b = −γ (1 − terminated_b) α Σ_a′ π(a′|s′_b) log π(a′|s′_b)
  // y is the update's own (the fast path); the three terms are summed separately per sample.
  std::vector<double> reward, gamma_q_next, entropy_next, y;
  std::vector<double> q1_sa, q2_sa;     // Q_φ(s_b,a_b) before the fit (q2_sa empty without twin)
  double q1_loss = 0.0, q2_loss = 0.0;  // ½ (1/B) Σ_b (Q_φ(s_b,a_b) − y_b)² as fit_step returned
  Eigen::VectorXd phi1_after, phi2_after;  // the critics after their fit (the actor's Q)
  // The actor's terms per sample, Q = min(Q₁, Q₂) after the fit:
  //   actor_q_b       = Σ_a π(a|s_b) Q(s_b,a)
  //   actor_entropy_b = −α Σ_a π(a|s_b) log π(a|s_b)
  std::vector<double> actor_q, actor_entropy;
  double actor_objective = 0.0;    // (1/B) Σ_b (actor_q_b + actor_entropy_b), as the update's
  double mean_entropy = 0.0;       // H̄ = (1/B) Σ_b H(π(·|s_b))
  Eigen::VectorXd actor_gradient;  // ∇θ actor_objective (before algorithm.max_grad_norm clips it)
  double alpha_next = 0.0;  // α after the step (tuned: exp(log α − alpha_lr (H̄ − target)))
  // Of every gradient step of that update (G·B): iteration − the iteration that collected the
  // sampled transition (how many updates old, i.e. how off-policy, the sample is).
  std::vector<int> sample_ages;
  // Continuous actions (algo/sac_gaussian.h), where the expectations over a′ and a are one
  // reparameterised sample each, so the field meanings above change:
  //   gamma_q_next_b = γ (1 − terminated_b) min_k Q̄_k(s′_b, a′_b),
  //   entropy_next_b = −γ (1 − terminated_b) α log π(a′_b|s′_b),  a′_b = a_θ(s′_b, ε′_b);
  //   q1_sa, q2_sa   = Q_k(s_b, a_b) for the buffer's action a_b;
  //   actor_q_b      = min_k Q_k(s_b, a_θ(s_b, ε_b)) after the fit,
  //   actor_entropy_b = −α log π(a_θ(s_b, ε_b)|s_b); mean_entropy = −(1/B) Σ_b log π(·);
  //   actor_gradient  = ∇θ actor_objective by the reparameterisation (ε held fixed).
  Eigen::MatrixXd eps_next, eps;                // d × B: ε′ (targets) and ε (actor)
  Eigen::MatrixXd next_actions, actor_actions;  // d × B: a′_b and a_θ(s_b, ε_b), env units
};

struct ReplayRecord {
  const ReplayBuffer* buffer = nullptr;  // null: the algorithm keeps no replay buffer
  const QFunction* q1 = nullptr;
  const QFunction* q2 = nullptr;       // null without twin critics
  const QFunction* target1 = nullptr;  // null without target networks
  const QFunction* target2 = nullptr;
  double alpha = 0.0;                        // α now
  const SacStepRecord* last_step = nullptr;  // its iteration is −1 before the first update
  // Continuous actions: the estimate's ε per batch step (d × M, Estimate::offset order), so ĝ =
  // (1/M) Σₜ ∇θ [min Q(sₜ, a_θ(sₜ, εₜ)) − α log π(a_θ(sₜ, εₜ)|sₜ)] recomputes from a dump. Empty
  // before the first estimate and over discrete actions (ĝ is an exact sum there): its first
  // estimate_steps columns (null, 0).
  const Eigen::MatrixXd* estimate_eps = nullptr;
  int estimate_steps = 0;
  // The critics' parameters and α when the last estimate was taken (null before the first): the
  // update refits the critics after it while the estimate is still on show, so ĝ recomputes from
  // these, not from q1/q2 now. estimate_phi2 is empty without twin critics.
  const Eigen::VectorXd* estimate_phi1 = nullptr;
  const Eigen::VectorXd* estimate_phi2 = nullptr;
  double estimate_alpha = 0.0;
};

// Recording helpers for the update (algo/sac.cpp), written from the definitions with one action
// at a time (a naive reference beside the update's batched path, run once per update).
// Before the step: θ, the critics, the targets, α, the slots and Q_φ(s_b,a_b).
void record_step_inputs(SacStepRecord& r, int iteration, int gradient_step, const Policy& policy,
                        const QFunction& q1, const QFunction* q2, const QFunction* target1,
                        const QFunction* target2, double alpha, const ReplayBuffer& buf,
                        const int* idx, int B);
// The target's terms per sample (Q̄ = min(b1, b2), b2 may be null) and the update's y.
void record_target_terms(SacStepRecord& r, const Policy& policy, const QFunction& b1,
                         const QFunction* b2, const ReplayBuffer& buf, double gamma,
                         const double* y);
// The actor's terms per sample with Q = min(q1, q2) (after the fit), and the critics after it.
void record_actor_terms(SacStepRecord& r, const Policy& policy, const QFunction& q1,
                        const QFunction* q2, const ReplayBuffer& buf);

// The critic target's terms for every step of a batch (its own transitions sₜ → sₜ₊₁, s′ of the
// last step the trajectory's final state), laid out as Estimate::offset:
//   gq[k] = γ (1 − terminatedₜ) Σ_a′ π(a′|sₜ₊₁) Q̄(sₜ₊₁,a′),
//   ent[k] = −γ (1 − terminatedₜ) α Σ_a′ π(a′|sₜ₊₁) log π(a′|sₜ₊₁)
// so yₜ = rₜ + gq + ent is the target the update gives the step when it replays it. `features`:
// the critics read ObsRef::x (else the tabular index only).
void batch_target_terms(const Batch& batch, const Env& env, const Policy& policy,
                        const QFunction& b1, const QFunction* b2, bool features, double gamma,
                        double alpha, std::vector<double>& gq, std::vector<double>& ent);

}  // namespace pg
