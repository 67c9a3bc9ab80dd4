#pragma once
// GRPO, Group Relative Policy Optimization (Shao et al. 2024, "DeepSeekMath", §4.1), on the
// TokenTask (env.kind token-task).
//
// Batch. grpo.prompts prompts × G = grpo.group_size completions each: episode k of iteration i
// answers prompt grpo_prompt(seed, i, k / G) (before_episode() pins it with Env::set_prompt),
// so trajectories [gG, (g+1)G) form group g. algorithm.batch_episodes is *derived* from these two
// keys (N = P·G, written into the scenario when it is parsed — io/scenario.cpp — so the dump, the
// GUI and the session agree); giving it explicitly with a different value is an input error.
//
// Group advantage (one per completion, given to each of its tokens), R_i the verifier's reward:
//   b_i = mean_{j∈g} R_j            (grpo.leave_one_out: b_i = (Σ_{j∈g} R_j − R_i) / (G − 1))
//   σ_g = √(mean_{j∈g} (R_j − mean_g)²)   (population std of the whole group, as DESIGN.md §3)
//   Â_i = (R_i − b_i) / (σ_g + ε)   with grpo.std_normalize, else Â_i = R_i − b_i;   ε = kGrpoEps
// A group whose rewards are all equal has no spread: its Â_i are set to exactly 0 (the formula
// gives 0 up to rounding), so it contributes no gradient but the KL term's.
//
// Objective (ascent; the sequence-level form of the DeepSeekMath paper's eq. 3, averaged over the
// P groups; |o_i| = tokens of completion i, EOS included):
//   J(θ) = (1/P) Σ_g (1/G) Σ_{i∈g} (1/|o_i|) Σ_t [ min(r_it Â_i, clip(r_it, 1−ε_c, 1+ε_c) Â_i)
//                                                  − β KL_k3,it ]
//   r_it = π_θ(a_it|s_it) / π_old(a_it|s_it)   (π_old sampled the batch: logp_old =
//   Trajectory::logp) KL_k3,it = ρ_it − log ρ_it − 1,  ρ_it = π_ref(a_it|s_it) / π_θ(a_it|s_it) (β
//   = grpo.kl_coef)
// π_ref is θ at the first iteration, frozen (cloned at the first begin_iteration).
// Gradient, per token weight w_it = 1 / (N |o_i|) with N = P·G:
//   ∇J = Σ_it w_it [ 1{unclipped} r_it Â_i − β (1 − ρ_it) ] ∇θ log π_θ(a_it|s_it)
// where "unclipped" means min() takes the r Â term (not: Â > 0 and r > 1+ε_c, or Â < 0 and
// r < 1−ε_c), since ∇ KL_k3 = (1 − ρ) ∇ log π_θ. update() takes grpo.epochs Adam ascent steps on J
// (full batch), each at the current θ; estimate() is the first of them, at θ = θ_old (r = 1).
//
// Estimate fields (so the credit ledger sums to ĝ): q_hat = R_i, baseline = b_i, reward_to_go,
// psi_it = N w_it (Â_i − β (1 − ρ_it)) = (Â_i − β (1 − ρ_it)) / |o_i| (at θ_old, D = N).
//
// Statistics (update_stats): reward_mean, success_rate (R_i = 1), zero_spread_fraction (groups
// without gradient), kl_k1 / kl_k2 / kl_k3 (token means at θ_old of −log ρ, ½ (log ρ)², ρ − 1 −
// log ρ: sampled estimates of KL(π_old ‖ π_ref)), kl_k1_min / kl_k3_min (the smallest token's k1,
// which can be negative, and k3, which cannot), kl_exact (finite worlds: the same per-step
// average computed exactly, Σ_s d(s) KL(π_old(·|s) ‖ π_ref(·|s)) / Σ_s d(s) with d from the exact
// oracle at θ_old), clip_fraction (tokens with |r − 1| > ε_c, over all epochs), objective (J at
// the last epoch's θ before its step), grad_norm.

#include <cstdint>
#include <memory>
#include <vector>

#include "algo/algorithm.h"
#include "estimator/kl.h"
#include "io/scenario.h"

namespace pg {

inline constexpr double kGrpoEps = 1e-4;  // ε of Â = (R − b) / (σ + ε), as in TRL's GRPOTrainer

// The prompt of group `group` in iteration `iteration`: uniform over [0, num_prompts), drawn with
// replacement from its own stream Rng::stream(seed, iteration, 2^40 + group, kEnvReset).
int grpo_prompt(uint64_t seed, int iteration, int group, int num_prompts);

// Â of one group: rewards R[0..G) → adv[0..G) (formulas above); returns the baselines in b[0..G)
// when b is not null. Zero spread → every Â exactly 0.
void grpo_group_advantages(const double* R, int G, bool std_normalize, bool leave_one_out,
                           double eps, double* adv, double* b = nullptr);

// J(θ) of the header's objective from per-token log-probabilities, and per token
// scale[j] = ∂J/∂log π_θ(a_j|s_j) = w_it [1{unclipped} r_it Â_i − β (1 − ρ_it)], so that
// ∇J = Σ_j scale[j] ∇θ log π_θ(a_j|s_j). offset: N + 1 token offsets (completion i's tokens are
// [offset[i], offset[i+1])); adv: Â_i per completion; logp, logp_old, logp_ref: log π_θ, log π_old
// and log π_ref of each token's action. clipped (optional): tokens with |r − 1| > clip_eps. The
// update (GrpoAlgorithm::objective) and the Python module's grpo_objective run this one function.
double grpo_token_objective(const std::vector<int>& offset, const double* adv, const double* logp,
                            const double* logp_old, const double* logp_ref, double clip_eps,
                            double beta, double* scale, int* clipped = nullptr);

// The k1, k2, k3 estimators of KL(π ‖ π_ref) from one sample a ~ π are kl::k1/k2/k3
// (estimator/kl.h) of log_rho = log π_ref(a) − log π(a).

class GrpoAlgorithm final : public Algorithm {
 public:
  // Throws InputError unless the environment has prompts (Env::num_prompts: the token task), G ≥ 2
  // and num_steps = 0.
  explicit GrpoAlgorithm(const Scenario& s);
  GrpoAlgorithm(const GrpoAlgorithm& o);

  const char* name() const override { return "grpo"; }
  bool needs_whole_episodes() const override { return true; }
  void before_episode(Env& env, int iteration, int episode) const override;
  void begin_iteration(AlgoContext& ctx) override;
  void estimate(AlgoContext& ctx, const Batch& batch, Estimate& est) override;
  std::string update(AlgoContext& ctx, const Batch& batch, const Estimate& est,
                     UpdateStats& stats) override;
  // Analyses: groups. decompose(): R of the completion, group μ and σ (b when leave-one-out), Â,
  // 1/|o|, ρ = π_ref/π_old and the k3 term β(1 − ρ), w = (Â − β(1 − ρ)) / |o|.
  AlgorithmInfo info(const Scenario& s) const override;
  void decompose(const DecomposeInput& in, StepDecomposition& out) const override;
  // grpo.* anew (prompts, ε, …); the reference policy stays.
  void settings_changed(const Scenario& s) override {
    cfg_ = s.grpo;
    seed_ = s.seed;  // a fork with another seed (Session::fork_with) draws prompts from it
  }
  std::unique_ptr<Algorithm> clone() const override {
    return std::make_unique<GrpoAlgorithm>(*this);
  }

  const GrpoSettings& settings() const { return cfg_; }
  double eps() const { return kGrpoEps; }
  // π_ref (null before the first iteration starts).
  const Policy* reference() const { return ref_.get(); }

  // The last estimated batch: iteration, completions (one per trajectory), groups, and per step
  // (flat, at Estimate::offset) log π_old and log π_ref of the action taken.
  int estimated_iteration() const { return record_.iteration; }
  const std::vector<GrpoCompletion>& completions() const { return record_.completions; }
  const std::vector<GrpoGroup>& groups() const { return record_.groups; }
  const std::vector<double>& logp_old() const { return logp_old_; }
  const std::vector<double>& logp_ref() const { return logp_ref_; }
  // KL to π_ref per iteration (at most kKlHistory points, oldest dropped).
  static constexpr size_t kKlHistory = 4096;
  const std::vector<GrpoKlPoint>& kl_history() const { return record_.kl_history; }
  const GrpoRecord* group_record() const override { return &record_; }
  // Each step's "logp_old" and "logp_ref" for the dump.
  void dump_extras(DumpExtras& out) const override {
    out.per_step.emplace_back("logp_old", &logp_old_);
    out.per_step.emplace_back("logp_ref", &logp_ref_);
  }

  // J(θ) of the header at `policy` on the last estimated batch, and its gradient into grad
  // (resized); clipped counts tokens with |r − 1| > ε_c. For tests and update().
  double objective(const Policy& policy, const Batch& batch, Eigen::VectorXd& grad,
                   int* clipped = nullptr);

 private:
  // log π(a_it|s_it) of every step of the batch into out (flat).
  void log_probs(const Policy& policy, const Batch& batch, std::vector<double>& out);

  GrpoSettings cfg_;
  uint64_t seed_ = 0;
  int num_prompts_ = 0;
  std::unique_ptr<Policy> ref_;
  Eigen::MatrixXd ref_log_probs_;  // S × A: log π_ref(a|s) per model state (finite worlds)

  GrpoRecord record_;        // the last estimated batch's groups and the KL history
  std::vector<int> offset_;  // N + 1
  std::vector<double> logp_old_, logp_ref_, logp_;
  std::vector<double> scale_;
  std::vector<int> index_, actions_;
  Eigen::MatrixXd X_, P_;  // obs_dim × M features (MLP policies), A × M probabilities
  Eigen::VectorXd grad_;
  GrpoKlPoint last_kl_;
  double reward_mean_ = 0, success_rate_ = 0, zero_spread_fraction_ = 0;
};

}  // namespace pg
