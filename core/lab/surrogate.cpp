#include "lab/surrogate.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <stdexcept>

#include "algo/algorithm.h"
#include "algo/grpo.h"
#include "algo/ppo.h"
#include "env/env.h"
#include "exact/exact.h"
#include "lab/variance.h"
#include "rollout/sampler.h"
#include "session/budget.h"
#include "session/session.h"
#include "util/cancel.h"
#include "util/error.h"

namespace pg {

namespace {

// The batch's steps flat (as Estimate): features, tabular indices, actions, log π_old, ψ, and the
// scratch ppo_policy_gradient writes.
struct FlatBatch {
  int M = 0;
  double D = 1.0;
  Eigen::MatrixXd X;
  std::vector<int> index, actions;
  std::vector<double> logp_old, psi, logp, entropy, ratio, scale_logp, scale_entropy;

  FlatBatch(const Session& s) {
    const Batch& batch = s.batch();
    const Estimate& est = s.last_estimate();
    M = est.num_steps();
    D = est.gradient_divisor();
    const int dim = batch.size() > 0 && s.policy().kind() != PolicyKind::kTabular
                        ? batch.trajectories[0].obs_dim
                        : 0;
    X.resize(dim, M);
    index.resize(M);
    actions.resize(M);
    for (int i = 0; i < batch.size(); ++i) {
      const Trajectory& tr = batch.trajectories[i];
      const int T = tr.length(), off = est.offset[i];
      if (dim > 0) X.middleCols(off, T) = Eigen::Map<const Eigen::MatrixXd>(tr.obs.data(), dim, T);
      std::copy(tr.obs_index.begin(), tr.obs_index.end(), index.begin() + off);
      std::copy(tr.actions.begin(), tr.actions.end(), actions.begin() + off);
    }
    psi = est.psi;
    logp_old.resize(M);
    logp.resize(M);
    entropy.resize(M);
    ratio.resize(M);
    scale_logp.resize(M);
    scale_entropy.resize(M);
    // log π_old from θ_old by the same batched pass the surrogates use, so r(θ_old) is exactly 1.
    s.behaviour_policy().log_prob_batch(X, index.data(), actions.data(), M, logp_old.data(),
                                        nullptr);
  }

  // kind 0: L^CPI (the penalty form with β = 0), 1: L^CLIP, 2: L^KL.
  double surrogate(const Policy& at, int kind, double eps, double beta, Eigen::VectorXd& grad) {
    PpoObjective obj;
    obj.kl_penalty = kind != 1;
    obj.clip_eps = eps;
    obj.beta = kind == 2 ? beta : 0.0;
    grad.setZero(at.num_params());
    const double L = ppo_policy_gradient(
        at, X, index.data(), actions.data(), logp_old.data(), psi.data(), M, obj, logp.data(),
        entropy.data(), ratio.data(), scale_logp.data(), scale_entropy.data(), grad);
    // PPO averages over the M steps; the estimate divides by D: (M/D) makes ∇L(θ_old) = ĝ.
    const double scale = M / D;
    grad *= scale;
    return L * scale;
  }
};

void require_batch(const Session& s) {
  if (s.policy().action_dim() > 0)
    throw InputError(
        "policy.kind",
        "surrogates along a step are built for discrete actions; allowed: tabular, mlp");
  if (!s.has_estimate() || !s.batch_complete() || s.last_estimate().num_steps() == 0)
    throw InputError("session",
                     "surrogates need a complete batch with its estimate: none yet, or the next "
                     "batch is being collected; run or step to the end of an iteration");
}

// The discounted returns G_0 of K episodes at `policy` on the lab's fixed streams.
void sample_returns(Env& env, const Policy& policy, uint64_t seed, int K, Batch& scratch,
                    std::vector<double>& out, const BatchCap& cap) {
  // Streams of their own: the variance lab uses kLabIterationBase + k for k < K, far below 2^30.
  sample_batch(env, policy, seed, kLabIterationBase + (1ULL << 30), K,
               policy.kind() != PolicyKind::kTabular, scratch, cap);
  out.resize(K);
  for (int k = 0; k < K; ++k) out[k] = scratch.trajectories[k].discounted_return(env.gamma());
}

}  // namespace

double batch_surrogate(const Session& s, const Policy& at, int kind, Eigen::VectorXd& grad) {
  require_batch(s);
  FlatBatch fb(s);
  return fb.surrogate(at, kind, s.scenario().ppo.clip_eps, s.scenario().ppo.kl_beta, grad);
}

double part_off_scale(const std::vector<double>& alpha, const std::vector<double>& J,
                      const std::vector<double>& J_lo, const std::vector<double>& J_hi,
                      const std::vector<double>& L) {
  if (alpha.size() < 2 || J.size() != alpha.size() || L.size() != alpha.size() ||
      J_lo.size() != alpha.size() || J_hi.size() != alpha.size())
    return std::numeric_limits<double>::quiet_NaN();
  const auto range = [](const std::vector<double>& v) {
    return *std::max_element(v.begin(), v.end()) - *std::min_element(v.begin(), v.end());
  };
  const double J_range = range(J), L_range = range(L);
  // A flat surrogate (L^CLIP with every ratio outside the band, a GRPO objective of zero-spread
  // groups) sees nothing of J: it parts where J has moved past its band and beyond rounding (a
  // tenth of J's range over the plotted α once decided it, so the reach moved the verdict).
  const auto magnitude = [](const std::vector<double>& v) {
    double m = 1.0;
    for (double x : v) m = std::max(m, std::abs(x));
    return m;
  };
  if (!(L_range > 1e-12 * magnitude(L))) {
    if (!(J_range > 1e-12 * magnitude(J))) return std::numeric_limits<double>::quiet_NaN();
    for (size_t k = 1; k < alpha.size(); ++k)
      if (std::abs(J[k] - J[0]) > 0.5 * (J_hi[k] - J_lo[k]) + 1e-9 * magnitude(J)) return alpha[k];
    return std::numeric_limits<double>::quiet_NaN();
  }
  double best = J[0];
  size_t peak = 0;  // where the surrogate was highest so far
  // The ranges of L and J over α from 0 to the point judged: each α is judged on the curves up to
  // it, so a longer reach (more α beyond it) cannot move a verdict by more than the grid's step
  // (the ranges over the whole plotted α did: ppo-clipping-demo's L^KL stopped at α = 0.525,
  // 0.624 or 0.9 for reaches 1.5, 3.1 and 6).
  double L_lo = L[0], L_hi = L[0], J_min = J[0], J_max = J[0];
  for (size_t k = 1; k < alpha.size(); ++k) {
    const double band = 0.5 * (J_hi[k] - J_lo[k]);
    L_lo = std::min(L_lo, L[k]);
    L_hi = std::max(L_hi, L[k]);
    J_min = std::min(J_min, J[k]);
    J_max = std::max(J_max, J[k]);
    // The surrogate still rises while J has fallen below its best (over-optimisation), or it has
    // fallen from its peak while J rose above its value there (the surrogate no longer sees J's
    // gain: a pessimistic L^CLIP past the band), each by more than 1% of its range so far (not
    // rounding).
    const bool rises_while_J_falls = L[k] > L[k - 1] && J[k] + band < best;
    const bool falls_while_J_rises =
        L[k] < L[peak] - 0.01 * (L_hi - L_lo) && J[k] - band > J[peak] + 0.01 * (J_max - J_min);
    if (rises_while_J_falls || falls_while_J_rises) return alpha[k];
    best = std::max(best, J[k]);
    if (L[k] > L[peak]) peak = k;
  }
  return std::numeric_limits<double>::quiet_NaN();
}

namespace {

bool constant(const std::vector<double>& v) {
  return std::all_of(v.begin(), v.end(), [&](double x) { return x == v.front(); });
}

// A surrogate that is identically flat while J moves (no sample carried weight: ĝ = 0, e.g. GRPO
// groups whose rewards are all equal) has no point where it parts from J: it never saw J.
bool flat_beside_moving_j(const SurrogateReport& R, const SurrogateCurve& c) {
  return !c.L.empty() && constant(c.L) && !constant(R.J);
}

}  // namespace

std::string surrogate_verdict(const SurrogateReport& R, const SurrogateCurve& c, int digits,
                              bool no_break) {
  if (flat_beside_moving_j(R, c))
    return "is flat: no sample carries weight, so it says nothing about J";
  if (!std::isfinite(c.part_alpha)) {
    if (!R.same_scale)
      return R.exact ? "moves with J throughout" : "moves with J (within its band)";
    // Sampled J: a surrogate that does not part may still differ inside J's wide band.
    return R.exact ? "follows J throughout" : "stays within J's band throughout";
  }
  char alpha[64];
  std::snprintf(alpha, sizeof alpha, no_break ? "α\u00a0=\u00a0%.*g" : "α = %.*g", digits,
                c.part_alpha);
  return std::string(R.same_scale ? "parts from J at " : "stops moving with J at ") + alpha;
}

std::string surrogate_units_note(const SurrogateReport& R) {
  if (R.same_scale) return "";
  // REINFORCE standardises its ψ; PPO, A2C and GRPO their advantages Â.
  const char* w = R.standardised_by == "estimator.normalize" ? "ψ" : "Â";
  return std::string(w) + " is standardised (" + R.standardised_by + "): L is in units of std " +
         w + ", not of J — compare shapes, not values";
}

bool surrogate_slope_is_not_ghat(const SurrogateReport& R) {
  const double scale = std::max(std::abs(R.slope_ghat), std::abs(R.slope_surrogate));
  return std::abs(R.slope_surrogate - R.slope_ghat) > 1e-9 * scale;
}

SurrogateReport surrogate_vs_truth(const Session& s, const SurrogateSpec& spec,
                                   const std::atomic<bool>* cancel, std::atomic<int>* progress) {
  require_batch(s);
  if (spec.direction.kind == SliceAxisKind::kProb)
    throw InputError("direction",
                     "p is not a direction (it is a landscape's own axis); allowed: theta:K, grad, "
                     "natural, ghat, update");
  if (spec.points < 2 || spec.points > 1001)
    throw InputError("points", "points must be in 2 … 1001, got " + std::to_string(spec.points));
  if (!(spec.max_step >= 0.0) || !std::isfinite(spec.max_step))
    throw InputError("max-step", "the largest step must be a finite number ≥ 0 (0: automatic)");
  const bool exact = s.env().model() != nullptr;
  if (!exact && (spec.mc_episodes < 2 || spec.mc_episodes > 100000))
    throw InputError("episodes", "episodes must be in 2 … 100000");

  SurrogateReport R;
  R.direction = spec.direction;
  R.origin = s.behaviour_policy().params();
  R.d = slice_direction(s, spec.direction, R.origin, "direction");
  R.exact = exact;
  R.clip_eps = s.scenario().ppo.clip_eps;
  R.kl_beta = s.scenario().ppo.kl_beta;
  const Eigen::VectorXd step = s.policy().params() - R.origin;
  if (step.norm() > 0.0) R.step_alpha = step.dot(R.d);
  R.slope_ghat = s.last_estimate().gradient.dot(R.d);

  // Unless told, 3 × the update's length along every direction: the view's default reach, on both
  // of its plots. (3 × the step's component along d, as it was, made `--direction grad` span a
  // range of its own that the view's second plot did not.)
  double max_step = spec.max_step;
  if (!(max_step > 0.0)) max_step = step.norm() > 1e-12 ? 3.0 * step.norm() : 1.0;
  // A step taken against d (a second direction) is shown on the negative side.
  const double sign = std::isfinite(R.step_alpha) && R.step_alpha < 0.0 ? -1.0 : 1.0;
  // (+ 0.0: the first point is α = 0, never −0 printed as "-0".)
  for (int k = 0; k < spec.points; ++k)
    R.alpha.push_back(sign * max_step * k / (spec.points - 1) + 0.0);

  FlatBatch fb(s);
  std::unique_ptr<Policy> pol = s.policy().clone();
  // GRPO's objective is the algorithm's own function (GrpoAlgorithm::objective, on the groups of
  // its last estimate): a clone, since it evaluates with the algorithm's scratch. The Algorithm
  // interface has no general "objective at θ" to ask instead; the GRPO record says it is GRPO.
  std::unique_ptr<Algorithm> algo = s.algorithm().clone();
  auto* grpo = s.algorithm().group_record() ? dynamic_cast<GrpoAlgorithm*>(algo.get()) : nullptr;
  Eigen::VectorXd grad(R.origin.size());
  // {name, L}: part_alpha keeps its NaN default (a third {} would make it 0).
  R.curves = {{"L^CPI", {}}, {"L^CLIP", {}}, {"L^KL", {}}};
  R.curves[2].penalised = true;
  if (grpo) {
    R.curves.push_back({"GRPO", {}});
    R.curves[3].penalised = s.scenario().grpo.kl_coef > 0.0;
  }

  std::unique_ptr<Env> env = s.env().clone();
  BatchCap cap = batch_cap(s.scenario(), s.env());
  cap.lower = "the Monte Carlo episodes";
  Batch scratch;
  std::vector<double> G0, G;
  R.mc_episodes = exact ? 0 : spec.mc_episodes;
  for (size_t k = 0; k < R.alpha.size(); ++k) {
    throw_if_cancelled(cancel);
    pol->set_params(R.origin + R.alpha[k] * R.d);
    for (int c = 0; c < 3; ++c) {
      R.curves[c].L.push_back(fb.surrogate(*pol, c, R.clip_eps, R.kl_beta, grad));
      if (k == 0 && c == 1) {
        R.gradient0 = grad;
        R.slope_surrogate = grad.dot(R.d);
      }
    }
    if (grpo) R.curves[3].L.push_back(grpo->objective(*pol, s.batch(), grad));
    // Far along d the ratio π/π_old leaves the double range (log-ratios beyond ~709): said with
    // where and what to lower, never NaN or ±inf curves printed as data.
    for (const SurrogateCurve& c : R.curves)
      if (!std::isfinite(c.L.back())) {
        char where[64];
        std::snprintf(where, sizeof where, "%.6g", R.alpha[k]);
        const std::string what = c.name + " is not finite at α = " + where +
                                 " (the ratio π/π_old leaves the double range this far along "
                                 "the direction): lower the largest step (max-step; 0 picks 3 × "
                                 "the step taken)";
        // A largest step the user chose is bad input (exit 2); the automatic one a fault.
        if (spec.max_step > 0.0) throw InputError("max-step", what);
        throw std::runtime_error(what);
      }
    if (exact) {
      if (k == 0) {
        const ExactResult ex = exact_evaluate(s.env(), *pol);
        R.slope_true = ex.gradient.dot(R.d);
        R.J.push_back(ex.J);
      } else {
        try {
          R.J.push_back(exact_J(s.env(), *pol));
        } catch (const InputError& e) {
          // Far along d the policy is near-deterministic and J may be undefined there (episodes
          // that never end): the step is what to lower, not the world's γ the oracle names.
          char where[64];
          std::snprintf(where, sizeof where, "%.6g", R.alpha[k]);
          const std::string& cause = e.problem();
          const std::string what = "J is undefined at α = " + std::string(where) + ", where " +
                                   cause.substr(0, cause.find("; allowed")) +
                                   "; allowed: a smaller largest step (max-step; 0 picks 3 × "
                                   "the step taken)";
          if (spec.max_step > 0.0) throw InputError("max-step", what);
          throw std::runtime_error(what);
        }
      }
      R.J_lo.push_back(R.J.back());
      R.J_hi.push_back(R.J.back());
    } else {
      sample_returns(*env, *pol, s.scenario().seed, spec.mc_episodes, scratch, k == 0 ? G0 : G,
                     cap);
      if (k == 0) G = G0;
      double mean0 = 0.0, diff = 0.0, sq = 0.0;
      const int K = spec.mc_episodes;
      for (int e = 0; e < K; ++e) {
        mean0 += G0[e];
        diff += G[e] - G0[e];
      }
      mean0 /= K;
      diff /= K;
      for (int e = 0; e < K; ++e) sq += (G[e] - G0[e] - diff) * (G[e] - G0[e] - diff);
      const double half = 1.96 * std::sqrt(sq / (K - 1) / K);
      R.J.push_back(mean0 + diff);
      R.J_lo.push_back(mean0 + diff - half);
      R.J_hi.push_back(mean0 + diff + half);
    }
    if (progress) progress->fetch_add(1, std::memory_order_relaxed);
  }

  // Where each surrogate and the truth part.
  const Estimate& est = s.last_estimate();
  // A2C and PPO set est.config.normalize from advantage.normalize, GRPO from grpo.std_normalize:
  // the key named is the one the session's user set.
  R.standardised_by = grpo && s.scenario().grpo.std_normalize ? "grpo.std_normalize"
                      : !est.advantages.empty() && s.scenario().advantage.normalize
                          ? "advantage.normalize"
                      : est.config.normalize ? "estimator.normalize"
                                             : "";
  R.same_scale = R.standardised_by.empty();
  if (!R.same_scale) {
    for (SurrogateCurve& c : R.curves)
      if (!flat_beside_moving_j(R, c))
        c.part_alpha = part_off_scale(R.alpha, R.J, R.J_lo, R.J_hi, c.L);
    return R;
  }
  // The test at each α uses that α's numbers only (never a maximum over the grid), so extending
  // the range keeps every verdict inside it. Relative to |ΔJ(α)|: a surrogate 10% off J's change
  // has parted whether J moved by 0.01 or by 10. Plus an absolute floor: near α = 0 (and where J
  // crosses back through J(θ_old)) |ΔJ| is ~0 and a relative test alone would call a difference of
  // rounding, or of the second order in α, a parting. The floor is 1% of J's own scale, which the
  // grid does not set: |J(θ_old)|, or the spread of the batch's returns where J(θ_old) is near 0
  // (rewards are only defined up to a shift, their spread is not). A sampled J adds its band's
  // half-width at α (±1.96 s.e. of the paired differences): a gap inside J's Monte Carlo noise is
  // no evidence of parting.
  {
    std::vector<double> G;
    for (const Trajectory& tr : s.batch().trajectories)
      G.push_back(tr.discounted_return(s.env().gamma()));
    double mean = 0.0, var = 0.0;
    for (double g : G) mean += g / static_cast<double>(G.size());
    for (double g : G) var += (g - mean) * (g - mean) / static_cast<double>(G.size());
    R.part_floor = 0.01 * std::max(std::abs(R.J[0]), std::sqrt(var));
  }
  for (SurrogateCurve& c : R.curves) {
    if (flat_beside_moving_j(R, c)) continue;
    for (size_t k = 1; k < R.alpha.size(); ++k) {
      const double dJ = R.J[k] - R.J[0];
      const double gap = std::abs((c.L[k] - c.L[0]) - dJ);
      const double band = 0.5 * (R.J_hi[k] - R.J_lo[k]);
      // (1e-12 × the sizes: two equal curves stay together through rounding when the floor is 0.)
      const double rounding = 1e-12 * (std::abs(c.L[k]) + std::abs(R.J[k]) + 1.0);
      if (gap > spec.tolerance * std::abs(dJ) + R.part_floor + band + rounding) {
        c.part_alpha = R.alpha[k];
        break;
      }
    }
  }
  return R;
}

}  // namespace pg
