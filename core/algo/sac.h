#pragma once
// SAC for discrete actions: an off-policy actor-critic with a Q critic learned from a replay
// buffer and an entropy-regularised actor (Haarnoja et al. 2018; the discrete form of
// Christodoulou 2019, with exact sums over actions).
//
//   collect: the session's batch (episodes or segments, sampled by the current π) is pushed into
//            the replay buffer (rollout/replay.h) at the start of update();
//   estimate (at θ_old, on the batch's own states, for the views):
//            V_soft(s) = Σ_a π(a|s) [Q(s,a) − α log π(a|s)]
//            ĝ = 1/M Σₜ Σ_a π(a|sₜ) [Q(sₜ,a) − α log π(a|sₜ) − V_soft(sₜ)] ∇θ log π(a|sₜ)
//   update:  once the buffer holds sac.warmup transitions, sac.gradient_steps times:
//            B = sac.batch_size transitions drawn uniformly from the buffer;
//            critic:  y = r + γ (1 − terminated) V̄_soft(s′),  V̄_soft with the target critic(s)
//                     (the critic itself without sac.target_network); each Q_φ descends
//                     ½ (1/B) Σ_b (Q_φ(s_b,a_b) − y_b)²;
//            actor:   θ ascends (1/B) Σ_b Σ_a π(a|s_b) [Q(s_b,a) − α log π(a|s_b)] (the
//                     algorithm.optimizer, step algorithm.lr);
//            α:       tuned: log α ← log α − sac.alpha_lr · (H̄ − sac.target_entropy);
//            targets: φ̄ ← τ φ + (1 − τ) φ̄.
//   Q(s,a) is min(Q₁, Q₂) with twin critics (sac.twin), else Q₁. Truncation bootstraps; only
//   terminated stops the bootstrap.
//
// The expectation over actions lives in one function, soft_expectation(): an exact sum over the
// discrete actions. With continuous actions (a tanh-squashed Gaussian policy, policy.squash) the
// expectation is one reparameterised sample a = a_θ(s, ε) per transition and the critics are
// Q(s, a) networks (algo/sac_gaussian.h); the loop over gradient steps, α and the targets are
// shared. The ε of gradient step g continue its minibatch stream (seed, iteration, g, minibatch):
// first ε′ for the targets, then ε for the actor.

#include <memory>
#include <vector>

#include "algo/algorithm.h"
#include "algo/sac_gaussian.h"
#include "critic/q_function.h"
#include "io/scenario.h"
#include "rollout/replay.h"

namespace pg {

// E_{a∼π(·|s)}[Q(s,a) − α log π(a|s)] by the exact sum over A actions, from π(·|s) (p), its logs
// (logp) and Q(s,·) (q). When weight is not null, weight[a] = π(a|s) (Q(s,a) − α log π(a|s) − V)
// with V the returned value: ∇θ V = Σ_a weight[a] ∇θ log π(a|s) (the −α Σ_a π ∇log π term of the
// product rule vanishes, as Σ_a π ∇log π = 0, and so does the subtracted V).
double soft_expectation(const double* p, const double* logp, const double* q, int A, double alpha,
                        double* weight);

// Scratch of the minibatch computations (sized on first use, then reused: no allocation warm).
struct SacScratch {
  Eigen::MatrixXd x, x_rep;  // obs_dim × B; obs_dim × (B·A): each state repeated A times
  std::vector<int> index, index_rep, actions_rep;
  std::vector<double> logp, weight;  // B·A
  Eigen::MatrixXd q1, q2;            // A × B
  std::vector<double> p;             // A
};

// The states s_b (next = false) or s′_b (next = true) of transitions idx[0..B) gathered into
// scratch (x, index, and the repeated x_rep, index_rep, actions_rep = 0..A−1 per state).
void gather_states(const ReplayBuffer& buf, const int* idx, int B, int A, bool next, SacScratch& s);

// Q(s,·) for the gathered states into s.q1 (A × B): min(q1, q2) when q2 is not null.
void min_q(const QFunction& q1, const QFunction* q2, SacScratch& s, int B);

// y_b = r_b + γ (1 − terminated_b) Σ_a′ π(a′|s′_b) [Q̄(s′_b,a′) − α log π(a′|s′_b)] into y[0..B),
// Q̄ = min(q1, q2) (q2 may be null).
void soft_targets(const Policy& policy, const QFunction& q1, const QFunction* q2,
                  const ReplayBuffer& buf, const int* idx, int B, double gamma, double alpha,
                  double* y, SacScratch& s);

// The actor's objective (1/B) Σ_b Σ_a π(a|s_b) [Q(s_b,a) − α log π(a|s_b)] with Q = min(q1, q2);
// g (when not null) += its gradient in θ. mean_entropy (when not null) = (1/B) Σ_b H(π(·|s_b)).
double actor_objective(const Policy& policy, const QFunction& q1, const QFunction* q2,
                       const ReplayBuffer& buf, const int* idx, int B, double alpha,
                       Eigen::VectorXd* g, double* mean_entropy, SacScratch& s);

class SacAlgorithm final : public Algorithm {
 public:
  // Validates (throws InputError naming the key): critic.kind tabular needs tabular observations
  // and discrete actions; discrete actions: sac.target_entropy in [0, log A) when α is tuned.
  // (policy.squash for continuous actions is checked with the scenario, io/scenario.cpp.)
  // cancel: polled while the Q networks are initialised (throws Cancelled); null: never.
  explicit SacAlgorithm(const Scenario& s, const std::atomic<bool>* cancel = nullptr);
  SacAlgorithm(const SacAlgorithm& o);

  const char* name() const override { return "sac"; }
  void estimate(AlgoContext& ctx, const Batch& batch, Estimate& est) override;
  std::string update(AlgoContext& ctx, const Batch& batch, const Estimate& est,
                     UpdateStats& stats) override;
  AlgorithmInfo info(const Scenario& s) const override;
  // Pieces per step: the critic target of the step's own transition, rₜ + γQ̄′ + (−γα log π′) = yₜ
  // and Q(sₜ,aₜ) − yₜ (what the update regresses when it replays the step); then the actor's
  // Q(sₜ,aₜ), α log π(aₜ|sₜ), V_soft(sₜ) and w = Q − α log π − V_soft, the sampled-action form of
  // the exact sum ĝ uses (sums_to_gradient = false: ĝ sums over every a).
  void decompose(const DecomposeInput& in, StepDecomposition& out) const override;
  void settings_changed(const Scenario& s) override;
  std::unique_ptr<Algorithm> clone() const override {
    return std::make_unique<SacAlgorithm>(*this);
  }

  // For views and tests.
  const ReplayBuffer& replay() const { return buffer_; }
  const QFunction& q1() const { return *q1_; }
  const QFunction* q2() const { return q2_.get(); }
  double alpha() const { return alpha_; }
  // 0: discrete actions; else the continuous action's dimension (q1()/q2() are MlpActionQ).
  int action_dim() const { return action_dim_; }
  ReplayRecord replay_record() const override;

 private:
  // One gradient step's critic and actor updates on the minibatch idx_; h = H̄ of the actor's
  // minibatch. Return "" or the fault apply_ascent reports.
  std::string discrete_step(AlgoContext& ctx, int B, bool recorded, double& q_loss,
                            double& objective, double& h);
  std::string gaussian_step(AlgoContext& ctx, Rng& rng, int B, bool recorded, double& q_loss,
                            double& objective, double& h);
  // The recorded step's inputs with continuous actions: θ, the critics, ε′, ε, Q_k(s_b, a_b).
  void record_gaussian_inputs(const AlgoContext& ctx, int B);
  void estimate_gaussian(AlgoContext& ctx, const Batch& batch, Estimate& est);

  SacSettings settings_;
  double gamma_ = 1.0;
  double alpha_ = 0.0;
  double estimate_alpha_ = 0.0;  // α when the last estimate was taken (its decomposition's)
  // The critics' parameters when the last estimate was taken (φ₂ empty without twin critics): the
  // update refits them after it, while its batch and ĝ are still on show (ReplayRecord).
  Eigen::VectorXd est_phi1_, est_phi2_;
  int num_actions_ = 0;
  ReplayBuffer buffer_;
  std::unique_ptr<QFunction> q1_, q2_, target1_, target2_;
  SacScratch scratch_;
  SacStepRecord record_;  // the last update's last gradient step (replay_record())
  // The critic target's terms for the estimated batch's own steps (batch_target_terms), at the
  // estimate: the inspector's critic columns.
  std::vector<double> est_gamma_q_, est_entropy_next_;
  std::vector<int> idx_;
  std::vector<double> y_;
  Eigen::VectorXd ascent_, theta_, blend_;
  std::vector<double> est_p_, est_logp_, est_w_, est_q_,
      est_q2_;  // estimate()'s per-state A values
  int action_dim_ = 0;
  SacGaussianScratch gscratch_;
  Eigen::MatrixXd eps_, eps_next_;  // d × B: the actor's ε and the targets' ε′
  Eigen::MatrixXd est_x_, est_a_;   // estimate_gaussian: the batch's states and env actions
  Eigen::MatrixXd est_eps_;  // estimate_gaussian: ε per step (d × M, the dump's estimate_eps)
  int est_steps_ = 0;        // M of the last estimate (est_eps_'s columns in use)
  Eigen::MatrixXd rec_xa_;   // record_gaussian_inputs: [s_b; a_b], (obs_dim + d) × B
};

}  // namespace pg
