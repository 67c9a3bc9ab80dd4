#pragma once
// A2C, the synchronous advantage actor-critic (Mnih et al. 2016, one learner): an actor π_θ and a
// critic V_φ, one gradient step on each per batch.
//
//   estimate (at θ_old, φ_old):
//     V_t = V_φ(s_t) per step; V_T = V_φ(s_T) for pieces that are truncated or cut (0 when
//     terminated; Trajectory::bootstrap());
//     Â_t by advantage.estimator — mc | td0 | nstep | gae (estimator/advantages.h) — with
//     γ = env.gamma(), n = advantage.n, λ = advantage.lambda; critic targets y_t = Â_t + V_t;
//     ψ_t = Â_t, standardised over the batch when advantage.normalize;
//     ĝ = (1/M) Σ_t ∇θ log π(a_t|s_t) ψ_t,  M = steps in the batch.
//   update:
//     actor:  θ ← θ + α · clip(ĝ + c₂ ∇θ (1/M) Σ_t H(π(·|s_t)))      (clip:
//     algorithm.max_grad_norm) critic: descend c₁ · ½ · (1/M) Σ_t (V_φ(s_t) − y_t)²
//     (ValueFunction::fit with step c₁·critic.lr)
//
// Collection modes (the session's, chosen by the scenario):
//   batch, whole episodes:   algorithm.num_steps = 0, algorithm.batch_episodes episodes;
//   batch, segments:         algorithm.num_envs environments × algorithm.num_steps steps, pieces
//                            cut at the segment end and bootstrapped from V(s_T);
//   online (algorithm.online): the same segment mechanism with num_envs = 1 and num_steps = n ≥ 1 —
//                            an update every n steps of one environment (n = 1: the classic
//                            one-step actor-critic of Sutton & Barto §13.5).
// Needs a critic: critic.kind = mlp where observations are continuous (cart-pole).

#include "algo/algorithm.h"
#include "estimator/advantages.h"

namespace pg {

// A2C's and PPO's ascent direction at θ_old, ĝ = 1/M Σₜ ∇log π(aₜ|sₜ) [norm] Âₜ, with notes on
// the advantage estimator and the critic (the first lines of info().objective). `used`, when
// given: the settings the batch on screen was estimated with; where a live change made them differ
// from `a`, a note says `a` applies from the next batch (audit a13 F3: the panel said λ = 0.5
// beside an inspector whose Â were λ = 0.95's).
Formula actor_critic_gradient_formula(const AdvantageConfig& a, bool normalize,
                                      const AdvantageConfig* used = nullptr);
// decompose() of A2C: the actor-critic columns (algo/decompose.h) and w.
void decompose_actor_critic(const DecomposeInput& in, const AdvantageConfig& a,
                            StepDecomposition& out);

// The advantage settings of a scenario (advantage.*) with γ from the environment.
AdvantageConfig advantage_config(const Scenario& s, double gamma);

// Fills est's actor-critic fields from a batch, a critic and the settings: values, final_values,
// advantages (raw Â), targets (Â + V), baseline (= V), q_hat (= targets), psi (Â, normalised
// when `normalize`), reward_to_go, offset, divisor = M and gradient ĝ = (1/M) Σ ∇log π ψ.
// final_values[i] = V(s_T) of trajectory i where it bootstraps, 0 elsewhere; `env` maps the
// final state to its observation index for tabular critics. With GradientPass::kSkip the policy's
// forward and backward pass are not run: est.gradient and est.entropy are left empty and
// est.deferred_gradient says kActorCritic (every other field has the same bits).
enum class GradientPass { kCompute, kSkip };
void estimate_a2c(const Batch& batch, const Policy& policy, const ValueFunction& critic,
                  const Env& env, const AdvantageConfig& cfg, bool normalize, Estimate& est,
                  GradientPass pass = GradientPass::kCompute);
// estimate_a2c's gradient pass alone: ĝ = (1/M) Σ ∇log π ψ from est.psi at `policy`'s θ (and
// est.entropy where its forward gives H on the way), the same bits as GradientPass::kCompute.
// The session runs it where an estimate skipped it and ĝ is wanted after all (a fault's message
// quotes ‖ĝ‖) and est.deferred_gradient says kActorCritic; it leaves kNone there.
void actor_critic_gradient(const Batch& batch, const Policy& policy, Estimate& est);

class A2CAlgorithm final : public Algorithm {
 public:
  // Validates the combination (throws InputError naming the key): online mode needs
  // num_envs = 1 and num_steps ≥ 1; continuous observations (num_obs() = 0, cart-pole) need
  // critic.kind = mlp; a tabular critic needs
  // value_coef · critic.lr ≤ 1 (its step moves that fraction of the way to the targets' mean).
  explicit A2CAlgorithm(const Scenario& s);

  const char* name() const override { return "a2c"; }
  void estimate(AlgoContext& ctx, const Batch& batch, Estimate& est) override;
  std::string update(AlgoContext& ctx, const Batch& batch, const Estimate& est,
                     UpdateStats& stats) override;
  // Analyses: advantage estimators and the critic's effect. decompose(): V(sₜ), V(sₜ₊₁), δₜ, the
  // estimator's form, Âₜ, norm Âₜ (when normalised), w (algo/decompose.h).
  AlgorithmInfo info(const Scenario& s) const override;
  void decompose(const DecomposeInput& in, StepDecomposition& out) const override;
  // advantage.* (λ) anew, with the same γ.
  void settings_changed(const Scenario& s) override;
  std::unique_ptr<Algorithm> clone() const override {
    return std::make_unique<A2CAlgorithm>(*this);
  }

 private:
  AdvantageConfig advantage_;  // advantage.* of the last estimate, with the environment's γ

  // Scratch reused between updates (no allocation once warm).
  Eigen::VectorXd ascent_;                    // ĝ + c₂ ∇H̄
  Eigen::VectorXd theta_;                     // θ while the optimizer steps it
  std::vector<double> logp_, entropy_;        // log π(a_t|s_t), H(π(·|s_t)) at θ_old
  std::vector<double> zero_, entropy_scale_;  // scales of the entropy-bonus pass
  std::vector<std::vector<double>>
      critic_targets_;  // y_t per trajectory, as ValueFunction::fit takes them
  std::vector<std::vector<double>>
      spare_targets_;  // buffers of pieces beyond the current batch size
};

}  // namespace pg
