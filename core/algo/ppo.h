#pragma once
// PPO (Schulman et al. 2017), clipped surrogate or KL penalty, in CleanRL's ppo.py form: an actor
// π_θ and a critic V_φ (separate networks), K epochs over M shuffled minibatches per batch.
//
//   estimate (at θ_old, φ_old) — A2C's estimate (algo/a2c.h: estimate_a2c):
//     V_t = V_φ(s_t), V_T bootstrapped where the piece is truncated or cut; Â_t by
//     advantage.estimator (GAE(λ) by default); targets y_t = Â_t + V_t; ψ_t = Â_t (standardised
//     over the batch when advantage.normalize); ĝ = (1/M) Σ_t ∇θ log π(a_t|s_t) ψ_t — the gradient
//     of the surrogate at θ_old, where every ratio is 1 (∇θ r = ∇θ log π there) and nothing is
//     clipped.
//   update: for epoch e < K (ppo.epochs), shuffle the batch's steps with the Rng stream
//     (seed, iteration, e, kMinibatch); for each of the M_b = ppo.minibatches minibatches B:
//     Â_j ← (Â_j − mean_B Â) / (std_B Â + 1e-8)       (advantage.normalize; population std over B)
//     r_j = exp(log π_θ(a_j|s_j) − log π_old(a_j|s_j))  (π_old: Trajectory::logp, recorded when
//     sampled) clip:       L = (1/|B|) Σ_j min(r_j Â_j, clip(r_j, 1−ε, 1+ε) Â_j) kl-penalty: L =
//     (1/|B|) Σ_j [ r_j Â_j − β k3_j ],  k3_j = (r_j − 1) − log r_j L_V = ½ (1/|B|) Σ_j (V_φ(s_j) −
//     y_j)²  (ppo.clip_value: ½ mean max((V−y)², (V_old + clip(V−V_old, ±ε) − y)²)) H̄  = (1/|B|)
//     Σ_j H(π_θ(·|s_j)) g_θ = ∇θ (L + c₂ H̄),  g_φ = −c₁ ∇φ L_V   (c₁ = algorithm.value_coef, c₂ =
//     algorithm.entropy_coef) (g_θ, g_φ) ← (g_θ, g_φ) · min(1, max_grad_norm / ‖(g_θ, g_φ)‖)   (the
//     joint norm, as CleanRL's one
//                                                                      clip over the whole agent)
//     θ, φ ← Adam steps along g_θ, g_φ, each network with its own Adam at the same (annealed) lr —
//     exactly one Adam over the concatenated parameters, since Adam acts per coordinate.
//   kl-penalty, ppo.adaptive_beta: after the update d = (1/M) Σ_t k3_t at the final θ over the
//   whole
//     batch; d > 1.5·target → β ← 2β; d < target/1.5 → β ← β/2 (PPO paper, §4).
//
// Needs a critic (critic.kind = mlp where observations are continuous). The critic's step size is
// algorithm.lr (annealed with the actor's; critic.lr is not read), as in CleanRL.

#include <vector>

#include "algo/algorithm.h"
#include "estimator/advantages.h"
#include "estimator/kl.h"
#include "nn/optimizer.h"
#include "policy/policy.h"

namespace pg {

// ---------------------------------------------------------------------------------------------
// The clipped objective per sample, the regions of its (r, Â) plane, and the KL estimators.

// min(r Â, clip(r, 1−ε, 1+ε) Â).
double clipped_surrogate(double ratio, double adv, double eps);
// ∂/∂r of clipped_surrogate: Â where the unclipped term is the minimum, 0 on the flat parts
// (r > 1+ε with Â > 0; r < 1−ε with Â < 0). At the kinks (r = 1±ε exactly) the unclipped side.
double clipped_surrogate_dr(double ratio, double adv, double eps);

// Where a sample sits relative to the band [1−ε, 1+ε]:
enum class ClipRegion {
  kInside,       // 1−ε ≤ r ≤ 1+ε: the gradient flows
  kAboveFlat,    // r > 1+ε, Â > 0: clipped, no gradient (the step already raised π enough)
  kBelowFlat,    // r < 1−ε, Â < 0: clipped, no gradient (the step already lowered π enough)
  kAboveActive,  // r > 1+ε, Â ≤ 0: outside the band but the min keeps r Â — the gradient flows
  kBelowActive,  // r < 1−ε, Â ≥ 0: outside the band but the min keeps r Â — the gradient flows
};
ClipRegion clip_region(double ratio, double adv, double eps);
// Which of the six min/clip cases (algo/describe.h) a sample is in: the sign of Â (Â ≥ 0 counts
// as positive) × where r lies relative to [1−ε, 1+ε].
ClipCase clip_case_of(double ratio, double adv, double eps);
inline bool no_gradient(ClipRegion c) {
  return c == ClipRegion::kAboveFlat || c == ClipRegion::kBelowFlat;
}

// Per-sample estimators of KL(π_old ‖ π_θ) from a ∼ π_old, log r = log π_θ(a|s) − log π_old(a|s)
// (Schulman's "Approximating KL divergence" note):
//   k1 = −log r              unbiased, can be negative;
//   k2 = ½ (log r)²          biased (low for small KL), ≥ 0;
//   k3 = (r − 1) − log r     unbiased (E_old[r] = 1) and ≥ 0 — the one the penalty uses.
// They are kl::k1, kl::k2, kl::k3 of estimator/kl.h.

// The PPO paper's adaptive β: d > 1.5·target → 2β; d < target/1.5 → β/2; else β.
double adapt_beta(double beta, double kl, double target);

// The policy side of one minibatch at the policy's current θ, the same code the update runs:
//   logp[j] = log π_θ(a_j|s_j), entropy[j] = H(π_θ(·|s_j)), ratio[j] = exp(logp[j] − logp_old[j]);
//   g += ∇θ (L + c₂ (1/n) Σ_j H_j) with L the clipped surrogate (kl_penalty false) or the KL
//   penalty (1/n) Σ_j [r_j Â_j − β k3_j]; returns L. ∇θ L_j = ∂L_j/∂r_j · r_j ∇θ log π_θ(a_j|s_j).
// scale_logp, scale_entropy: caller-owned scratch of n (no allocation). X, index: as
// Policy::add_grad_log_prob_batch.
struct PpoObjective {
  bool kl_penalty = false;
  double clip_eps = 0.2;
  double beta = 1.0;
  double entropy_coef = 0.0;
};
double ppo_policy_gradient(const Policy& policy, const Eigen::Ref<const Eigen::MatrixXd>& X,
                           const int* index, ActionsRef actions, const double* logp_old,
                           const double* adv, int n, const PpoObjective& obj, double* logp,
                           double* entropy, double* ratio, double* scale_logp,
                           double* scale_entropy, Eigen::Ref<Eigen::VectorXd> g);

// The value side: L_V = ½ (1/n) Σ_j (V_j − y_j)², or with clip (CleanRL's clip_vloss)
// ½ (1/n) Σ_j max((V_j − y_j)², (V_old,j + clip(V_j − V_old,j, −ε, ε) − y_j)²). Writes
// d_v[j] = ∂(−c₁ L_V)/∂V_j (the critic's ascent direction at its outputs); returns L_V.
double ppo_value_loss(const double* v, const double* v_old, const double* target, int n, bool clip,
                      double eps, double value_coef, double* d_v);

// Counts of the update's samples (every minibatch of every epoch) per ClipRegion.
struct ClipCounts {
  long inside = 0, above_flat = 0, below_flat = 0, above_active = 0, below_active = 0;
  void add(ClipRegion c);
  long total() const { return inside + above_flat + below_flat + above_active + below_active; }
  // Fraction outside the band (CleanRL's clipfrac: |r − 1| > ε).
  double clip_fraction() const;
};

// The first minibatch of the first epoch runs at θ = θ_old, so r = π_θ/π_old is 1 there. Tabular
// policies give exactly 1 (sampler and minibatch read the same softmax row). An MLP gives 1 to the
// last bit or two: the sampler's log π_old comes from a one-sample forward (a matrix-vector
// product) and the minibatch's from a batched one (matrix-matrix), which add the same products in
// another order — |r − 1| ≈ 2e-16 on cart-pole. A stale θ_old, a wrong action or a log-prob from
// another formula is off by many orders of magnitude more, so the check allows this much:
inline constexpr double kFirstRatioTolerance = 1e-12;

class PpoAlgorithm final : public Algorithm {
 public:
  // Validates the combination (throws InputError naming the key): continuous observations
  // (num_obs() = 0, cart-pole) need critic.kind = mlp.
  explicit PpoAlgorithm(const Scenario& s);
  PpoAlgorithm(const PpoAlgorithm& o);
  PpoAlgorithm& operator=(const PpoAlgorithm&) = delete;

  const char* name() const override { return "ppo"; }
  void estimate(AlgoContext& ctx, const Batch& batch, Estimate& est) override;
  std::string update(AlgoContext& ctx, const Batch& batch, const Estimate& est,
                     UpdateStats& stats) override;
  // Analyses: advantage estimators, the critic's effect and (clip objective) clipping.
  // decompose(): A2C's columns, then r = π_current/π_old, the objective's per-sample term (clip:
  // min(r w, clip(r) w); kl-penalty: k3 and r w − β k3), the clip case per step, w.
  AlgorithmInfo info(const Scenario& s) const override;
  void decompose(const DecomposeInput& in, StepDecomposition& out) const override;
  // advantage.* (λ) anew; a new algorithm.optimizer gives the critic a fresh optimizer of that
  // kind too (as the session does for the actor: Adam's moments start at 0).
  void settings_changed(const Scenario& s) override;
  std::unique_ptr<Algorithm> clone() const override {
    return std::make_unique<PpoAlgorithm>(*this);
  }

  // β the next update uses (kl-penalty; adapted after each update when ppo.adaptive_beta).
  double beta() const { return beta_; }
  const PpoUpdateRecord& last_update() const { return record_; }
  const PpoUpdateRecord* clip_record() const override { return &record_; }
  // The dump's "beta" (the β the next update uses) and each step's "logp_old".
  void dump_extras(DumpExtras& out) const override {
    out.scalars.emplace_back("beta", beta_);
    out.per_step.emplace_back("logp_old", &logp_old_);
  }
  // log π_old(a_t|s_t) per step of the last estimate (flat, as Estimate), from Trajectory::logp.
  const std::vector<double>& logp_old() const { return logp_old_; }

 private:
  // One minibatch: the objective's gradient, the critic's, the joint clip, the two optimizer steps.
  // Returns "" or a fault message.
  // The minibatch is the first n columns/entries of the *_mb_ buffers; first: epoch 0, minibatch 0.
  std::string minibatch_step(AlgoContext& ctx, int n, bool first);
  // V_φ(s_j) for the gathered minibatch into v_ (and the MLP critic's forward cache).
  void critic_values(AlgoContext& ctx, int n);
  // d KL after the update (kl-penalty): (1/M) Σ_t k3_t at the current θ.
  double final_kl(AlgoContext& ctx, const Estimate& est);

  std::unique_ptr<Optimizer> critic_opt_;  // the critic's Adam (same kind and lr as the actor's)
  AdvantageConfig advantage_;              // advantage.* of the last estimate, with the env's γ
  bool kl_penalty_ = false;                // ppo.objective = kl-penalty
  double beta_ = 1.0;
  PpoUpdateRecord record_;
  std::vector<double> logp_old_;  // M
  // The batch's steps flat (as Estimate): features (obs_dim × M; obs_dim = 0 without features),
  // tabular indices and actions.
  Eigen::MatrixXd x_all_;
  std::vector<int> idx_all_, act_all_;
  int udim_ = 0;               // continuous actions: values per action (0: discrete)
  std::vector<double> u_all_;  // M × udim_: the continuous actions

  // Scratch, sized to the batch once warm.
  std::vector<int> perm_;
  Eigen::MatrixXd x_mb_;  // obs_dim × n: the minibatch's features
  std::vector<int> idx_mb_, act_mb_;
  std::vector<double> u_mb_;  // n × udim_
  std::vector<double> logp_old_mb_, adv_mb_, target_mb_, v_old_mb_;
  std::vector<double> logp_, ent_, ratio_, scale_logp_, scale_ent_, v_;
  Eigen::MatrixXd d_v_;  // 1 × n: ∂(ascent objective)/∂V per sample
  Eigen::VectorXd g_theta_, g_phi_, theta_, phi_, theta_start_, phi_start_;

  // Accumulators over the update (every minibatch of every epoch).
  ClipCounts counts_, epoch_counts_;
  double sum_k1_ = 0, sum_k2_ = 0, sum_k3_ = 0, sum_ratio_ = 0, sum_entropy_ = 0,
         sum_surrogate_ = 0;
  double sum_value_loss_ = 0, sum_grad_norm_ = 0, ratio_min_ = 0, ratio_max_ = 0;
  double epoch_k1_ = 0, epoch_k3_ = 0;
  long samples_ = 0, epoch_samples_ = 0;
  int steps_ = 0;
};

}  // namespace pg
