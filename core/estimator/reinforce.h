#pragma once
// REINFORCE gradient estimates with every option of DESIGN.md §3 (contract), and the credit
// ledger: the per-step terms c_it = ∇θ log π(a_it|s_it) ψ_it / N, with Σ_it c_it = ĝ.
//
//   Estimate est;
//   estimate_reinforce(batch, policy, gamma, config, sources, est);
//   est.gradient                 // ĝ, the ascent direction on J
//   est.psi_at(i, t)             // ψ_it
//   est.contribution(batch, policy, i, t)   // c_it (policy at the θ that produced the estimate)
//
// Steps are stored flat: step (i, t) lives at offset[i] + t.

#include <Eigen/Core>
#include <vector>

#include "estimator/estimator_config.h"
#include "rollout/trajectory.h"

namespace pg {

struct ExactResult;
class ValueFunction;

// Baselines that come from outside the batch.
struct BaselineSources {
  const ExactResult* exact = nullptr;     // exact-value: V_t(s) with a step limit, else V(s)
  const ValueFunction* critic = nullptr;  // critic: V_φ(o)
};

struct Estimate {
  EstimatorConfig config;
  double gamma = 1.0;
  int num_trajectories = 0;
  std::vector<int> offset;       // N + 1 entries
  std::vector<double> q_hat;     // Q̂_it: R_i (total) or G_it (reward-to-go)
  std::vector<double> baseline;  // b_it (0 for the optimal baseline, which is per parameter)
  std::vector<double> psi;  // ψ_it after normalisation and discount weighting (reward-to-go only)
  std::vector<double> reward_to_go;  // G_it, whatever the setting (for views)
  Eigen::VectorXd optimal_b;         // optimal baseline b_k per parameter; empty otherwise
  Eigen::VectorXd gradient;          // ĝ
  // How ĝ can still be computed when the estimator skipped it because nothing read it
  // (AlgoContext::statistics_wanted false; gradient is then empty): kNone when ĝ was computed, or
  // was not deferred. kActorCritic: actor_critic_gradient (algo/a2c.h) from psi at the estimate's
  // θ gives the bits the skipped pass would have (PPO's lean estimate). Set by the estimator that
  // skips ĝ (estimate_a2c with GradientPass::kSkip) and cleared by whatever computes it; the
  // session clears it before every estimate, so an estimator that never defers leaves kNone.
  enum class DeferredGradient { kNone, kActorCritic };
  DeferredGradient deferred_gradient = DeferredGradient::kNone;
  // The D of ĝ = (1/D) Σ_it ∇θ log π(a_it|s_it) ψ_it: 0 means N (REINFORCE); actor-critic
  // methods average over the M steps of the batch instead (A2C: D = M).
  int divisor = 0;
  // Actor-critic estimates (A2C; empty for REINFORCE): V(s_it) per step, V(s_T) per trajectory
  // (0 where the piece is not bootstrapped), Â_it before normalisation, and the critic's
  // regression targets Â_it + V(s_it).
  std::vector<double> values;
  std::vector<double> final_values;
  std::vector<double> advantages;
  std::vector<double> targets;
  // H(π(·|s_it)) per step at the estimate's θ where the estimator's forward computed it on the way
  // (actor-critic estimates with features); empty otherwise. The session clears it before every
  // estimate and its evaluate reads it, when it covers the batch, instead of its own pass.
  std::vector<double> entropy;

  int num_steps() const { return offset.empty() ? 0 : offset.back(); }
  // D of ĝ = (1/D) Σ ∇ log π ψ (see divisor).
  double gradient_divisor() const { return divisor > 0 ? divisor : num_trajectories; }
  int at(int i, int t) const { return offset[i] + t; }
  double psi_at(int i, int t) const { return psi[offset[i] + t]; }
  // Whether b is a per-step scalar (every baseline but optimal).
  bool per_step_baseline() const { return config.baseline != Baseline::kOptimal; }

  // c_it = ∇θ log π(a_it|s_it) ψ_it / D with D = gradient_divisor() (N for REINFORCE; optimal
  // baseline: per parameter, ∂_k log π(a_it|s_it) (R_i − b_k) / N). `policy` must be at
  // the θ of the estimate.
  Eigen::VectorXd contribution(const Batch& batch, const Policy& policy, int i, int t) const;

  // Scratch reused between estimates (no allocation once warm).
  Eigen::MatrixXd work_x;
  std::vector<int> work_index, work_actions;
  std::vector<double> work_u;  // continuous actions: M × work_udim, row-major
  int work_udim = 0;
  std::vector<double> work_scale;
  std::vector<double> work_logp;
  // The gathered actions from step `first` on, for the policy's batched calls.
  ActionsRef work_acts(int first = 0) const {
    return ActionsRef(work_actions.data() + first,
                      work_udim ? work_u.data() + static_cast<size_t>(first) * work_udim : nullptr,
                      work_udim);
  }
  // Copies step t's action of tr into slot k of work_actions / work_u (sized already).
  void gather_action(const Trajectory& tr, int t, int k) {
    work_actions[k] = tr.actions[t];
    for (int j = 0; j < work_udim; ++j)
      work_u[static_cast<size_t>(k) * work_udim + j] =
          tr.act_u[static_cast<size_t>(t) * work_udim + j];
  }
  // Sizes work_actions and work_u for n steps of batch's action dimension.
  void size_actions(const Batch& batch, int n) {
    work_udim = batch.trajectories.empty() ? 0 : batch.trajectories[0].action_dim;
    work_actions.resize(n);
    work_u.resize(static_cast<size_t>(n) * work_udim);
  }
};

// G_it = Σ_{t'≥t} γ^(t'−t) r_it' into out[0..T).
void reward_to_go(const Trajectory& tr, double gamma, double* out);

// Fills `out` (reusing its buffers). Throws InputError when a baseline's source is missing
// (exact-value without an exact oracle, critic without a critic).
void estimate_reinforce(const Batch& batch, const Policy& policy, double gamma,
                        const EstimatorConfig& config, const BaselineSources& sources,
                        Estimate& out);

}  // namespace pg
