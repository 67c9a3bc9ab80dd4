#pragma once
// The advantage estimators compared (A2C/PPO's analogue of the variance lab, Analysis::
// kAdvantageEstimators): at the session's θ and critic V_φ, K batches of N whole episodes on the
// lab's own random streams (common random numbers: every estimator sees the same K batches), and
// for each estimator — Monte Carlo, TD(0), n-step, GAE(λ) over a λ sweep, and the raw return with
// no critic —
//
//   gradient level, ĝ = (1/N) Σ_it γ^t Â_it ∇θ log π(a_it|s_it)   (the policy-gradient theorem's
//   form, so an unbiased Â-in-expectation gives an unbiased ĝ; A2C/PPO's own step averages over
//   the M steps without γ^t, a rescaled, differently tilted direction):
//     trace_cov = Σ_k ‖ĝ_k − ḡ‖² / (K − 1);  bias_norm = ‖ḡ − ∇J‖ ± √(trace_cov / K);
//     bias2 = max(0, ‖ḡ − ∇J‖² − trace_cov / K)   (‖ḡ − ∇J‖² less its expected noise part);
//     mse = (1/K) Σ_k ‖ĝ_k − ∇J‖²;  cosine_mean = mean_k cos(ĝ_k, ∇J or the MC mean)
//   advantage level, e_it = Â_it − A^π_t(s_it, a_it) over all K·M steps (tabular worlds):
//     adv_mse = mean e²;
//     adv_bias2 = max(0, K/(K − 1) · Σ_(s,a) [(Σ_k S_sa,k)² − Σ_k S_sa,k²] / n_sa / Σ n_sa)
//     (S_sa,k: the errors' sum at (s, a) in batch k, n_sa: the steps there; n ē² with the
//     products of a batch with itself taken out, its noise part, as bias2 above);
//     adv_variance = adv_mse − adv_bias2.
// Every Â inherits V_φ's error at the advantage level (Monte Carlo: Â − A^π = V^π(s) − V_φ(s), the
// same for every action, so it cancels in ĝ); at the gradient level only bootstrapped terms
// (λ < 1, TD(0), n-step) carry V_φ's error into ĝ. That is the bias–variance trade-off of λ.
//
//   AdvantageReport r = run_advantage_compare(session, advantage_sweep(session), 200, {});

#include <Eigen/Core>
#include <atomic>
#include <string>
#include <vector>

#include "estimator/advantages.h"
#include "rollout/trajectory.h"

namespace pg {

class Env;
class Session;
struct ExactResult;

struct AdvantageEstimatorSetting {
  AdvantageKind kind = AdvantageKind::kGAE;
  double lambda = 0.95;       // GAE
  int n = 5;                  // n-step
  bool critic = true;         // false: V ≡ 0 and Monte Carlo, i.e. Â_t = G_t, the raw return
  std::string label() const;  // "GAE(λ=0.95)", "TD(0)", "5-step", "Monte Carlo", "Gₜ, no critic"
  bool operator==(const AdvantageEstimatorSetting& o) const {
    return kind == o.kind && lambda == o.lambda && n == o.n && critic == o.critic;
  }
};

// Monte Carlo, TD(0), n-step with the scenario's n, GAE(λ) for λ in {0, 0.5, 0.8, 0.9, 0.95, 0.97,
// 0.99, 1} and the scenario's λ, and the raw return without a critic — GAE rows in increasing λ.
std::vector<AdvantageEstimatorSetting> advantage_sweep(const Session& s);
// The rows of the bias–variance curve over λ (issue 10, item 6): Monte Carlo, TD(0), the
// scenario's n-step (n ≥ 2), then GAE(λ) at `points` (≥ 2) evenly spaced λ in [0, 1], both ends
// included (GAE(0) is TD(0) and GAE(1) is Monte Carlo, step for step).
std::vector<AdvantageEstimatorSetting> lambda_curve_settings(const Session& s, int points);
// The session's own advantage setting (advantage.*) as a row of the sweep.
AdvantageEstimatorSetting scenario_advantage(const Session& s);

// A^π_t(s, a) of a finite world at the policy of `ex` (exact_evaluate's result for env):
// finite horizon H: Q_t(s,a) − V_t(s) with Q_t(s,a) = R(s,a) + γ Σ_s' P(s'|s,a) V_{t+1}(s'), V_H =
// 0; no step limit: Q(s,a) − V(s) for every t. 0 at terminal states.
struct ExactAdvantage {
  int horizon = 0, num_states = 0, num_actions = 0;  // horizon 0: one table for every t
  std::vector<double> table;                         // max(1, H) × S × A
  double at(int t, int s, int a) const {
    const int row = horizon > 0 ? t : 0;
    return table[(static_cast<size_t>(row) * num_states + s) * num_actions + a];
  }
};
ExactAdvantage exact_advantage(const Env& env, const ExactResult& ex);

struct AdvantageRow {
  AdvantageEstimatorSetting setting;
  double trace_cov = 0, bias_norm = 0, bias_stderr = 0, bias2 = 0, mse = 0, cosine_mean = 0,
         snr = 0;
  bool has_bias = false;  // an exact ∇J exists
  double adv_std = 0;     // population std of Â over all K·M steps (the spread of the weights)
  double adv_mse = 0, adv_bias2 = 0, adv_variance = 0;
  bool has_adv_bias = false;  // an exact A^π exists
  Eigen::VectorXd mean;       // ḡ
  // ‖ĝ_k − ḡ‖² per batch k (K numbers; trace_cov is their sum / (K − 1)): what a standard error
  // of a ratio of two rows' trace_cov needs (critic_reduction_stderr).
  std::vector<double> spread;
};

struct AdvantageReport {
  int samples = 0, batch_episodes = 0;
  Eigen::VectorXd exact_gradient;  // empty without a model
  double critic_rmse =
      -1;  // √ mean (V_φ(s_it) − V^π_t(s_it))² over the sampled steps; −1 without a model
  int current = -1;  // row of the session's own setting
  std::vector<AdvantageRow> rows;
};

struct AdvantageCompareOptions {
  int batch_episodes = 0;                     // N per estimate; 0: the scenario's
  std::atomic<int>* progress = nullptr;       // batches done (0..K)
  const std::atomic<bool>* cancel = nullptr;  // when it becomes true: stop, return an empty report
  // The exact V^π_t as every setting's critic in place of V_φ (finite worlds only; InputError
  // otherwise): what is left of Â − A^π is the estimator's own error (issue 10, item 6). Every
  // estimator is then unbiased for A^π at every (t, s, a) — E[δ_t | s_t, a_t] = A^π_t(s_t, a_t) —
  // so adv_bias2 is 0 up to noise and adv_variance is the estimator's variance alone.
  bool exact_critic = false;
  // What the caller calls K, named by the refusal when K estimates cannot fit in memory (the CLI's
  // flag; the window's slider).
  const char* samples_name = "--samples";
};

// Needs a critic, or a finite world with exact_critic (throws InputError otherwise). Batch k uses
// the lab's streams (kLabIterationBase
// + k).
AdvantageReport run_advantage_compare(const Session& s,
                                      const std::vector<AdvantageEstimatorSetting>& settings, int K,
                                      const AdvantageCompareOptions& options);

// The standard error of R = mean a / mean b over K paired samples (a_k and b_k from the same batch
// k), by the delta method for a ratio of paired means: Var R ≈ Var_k(a_k − R b_k) / (K (mean b)²),
// the pairing's covariance included. NaN with K < 3, unequal sizes or mean b ≤ 0.
double paired_ratio_stderr(const std::vector<double>& a, const std::vector<double>& b);
// The s.e. of a critic's factor trace_cov(without) / trace_cov(with), two rows of one report (the
// same K batches): paired_ratio_stderr of their spreads. The baseline view calls the factor
// different from 1 only beyond kCriticReductionMargin s.e., as the REINFORCE baselines'
// (kReductionMargin, lab/baseline_effects.h: squared norms are heavy-tailed, so 3, not 2).
double critic_reduction_stderr(const AdvantageRow& with, const AdvantageRow& without);
inline constexpr double kCriticReductionMargin = 3.0;

// One batch: column f of `out` (P × F) is ĝ of settings[f] = (1/N) Σ_it γ^t Â_it ∇log π(a_it|s_it),
// and `adv` (M × F) holds the Â. values / final_values: the critic's, in the layout of
// estimator/advantages.h (ignored by settings without a critic).
void advantage_gradients(const Batch& batch, const Policy& policy, double gamma,
                         const std::vector<AdvantageEstimatorSetting>& settings,
                         const std::vector<int>& offset, const std::vector<double>& values,
                         const std::vector<double>& final_values, Eigen::MatrixXd& adv,
                         Eigen::MatrixXd& out);

}  // namespace pg
