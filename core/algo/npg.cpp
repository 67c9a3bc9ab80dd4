#include "algo/npg.h"

#include <cmath>

#include "algo/critic_fit.h"
#include "algo/decompose.h"
#include "algo/formula.h"
#include "env/env.h"
#include "estimator/kl.h"
#include "exact/exact.h"
#include "exact/exact_kl.h"
#include "io/scenario.h"
#include "policy/policy.h"
#include "session/session.h"
#include "util/cancel.h"
#include "util/error.h"

namespace pg {

// ---- FisherProduct
// -------------------------------------------------------------------------------

void FisherProduct::set_sampled(const Batch& batch, const Policy& policy, double damping) {
  exact_ = false;
  damping_ = damping;
  batch_ = &batch;
  policy_ = &policy;
  steps_ = batch.num_steps();
  const int P = policy.num_params();
  cached_ = static_cast<long>(P) * steps_ <= max_cached_;
  dots_.resize(steps_);
  score_.resize(P);
  F_.resize(0, 0);
  if (!cached_) {
    scores_.resize(0, 0);
    return;
  }
  // Column t of S: s_t = ∇θ log π(a_t|s_t).
  scores_.setZero(P, steps_);
  int k = 0;
  for (const Trajectory& tr : batch.trajectories)
    for (int t = 0; t < tr.length(); ++t, ++k)
      policy.add_grad_log_prob(tr.obs_at(t), tr.act_at(t), 1.0, scores_.col(k));
}

void FisherProduct::set_exact(Eigen::MatrixXd F, double damping) {
  exact_ = true;
  cached_ = false;
  damping_ = damping;
  F_ = std::move(F);
  scores_.resize(0, 0);
  batch_ = nullptr;
  policy_ = nullptr;
  steps_ = 0;
}

void FisherProduct::apply(const Eigen::VectorXd& v, Eigen::VectorXd& out) const {
  if (exact_) {
    // (F + λI) v.
    out.noalias() = F_ * v;
    out += damping_ * v;
    return;
  }
  PG_ASSERT(batch_ && policy_, "FisherProduct::apply before set_sampled or set_exact");
  out.setZero(v.size());
  if (steps_ == 0) {
    out = damping_ * v;
    return;
  }
  const double inv_m = 1.0 / steps_;
  if (cached_) {
    // (1/M) S (Sᵀ v) + λ v.
    dots_.noalias() = scores_.transpose() * v;
    out.noalias() = scores_ * dots_;
    out *= inv_m;
  } else {
    // (1/M) Σ_t s_t (s_t · v), each s_t recomputed.
    for (const Trajectory& tr : batch_->trajectories)
      for (int t = 0; t < tr.length(); ++t) {
        score_.setZero();
        policy_->add_grad_log_prob(tr.obs_at(t), tr.act_at(t), 1.0, score_);
        out += (inv_m * score_.dot(v)) * score_;
      }
  }
  out += damping_ * v;
}

// ---- conjugate gradient
// --------------------------------------------------------------------------

CgResult conjugate_gradient(const FisherProduct& A, const Eigen::VectorXd& b, int iters,
                            Eigen::VectorXd& x) {
  const Eigen::Index P = b.size();
  x.setZero(P);
  Eigen::VectorXd r = b, p = b, Ap(P);
  double rr = r.squaredNorm();
  const double stop = 1e-20 * b.squaredNorm();
  CgResult res;
  for (int i = 0; i < iters && rr > stop; ++i) {
    A.apply(p, Ap);
    const double pAp = p.dot(Ap);
    if (!(pAp > 0.0)) break;
    // α = rᵀr / pᵀAp;  x ← x + α p;  r ← r − α Ap;  p ← r + (r'ᵀr' / rᵀr) p.
    const double alpha = rr / pAp;
    x += alpha * p;
    r -= alpha * Ap;
    const double rr_next = r.squaredNorm();
    p = r + (rr_next / rr) * p;
    rr = rr_next;
    res.iterations = i + 1;
  }
  A.apply(x, Ap);
  res.residual = (b - Ap).norm();
  return res;
}

// ---- surrogate
// -----------------------------------------------------------------------------------

double surrogate(const Batch& batch, const Policy& policy, const Estimate& est) {
  double L = 0.0;
  for (int i = 0; i < batch.size(); ++i) {
    const Trajectory& tr = batch.trajectories[i];
    for (int t = 0; t < tr.length(); ++t) {
      // r_it Â_it with r_it = π_θ(a|s) / π_old(a|s).
      const double ratio = std::exp(policy.log_prob(tr.obs_at(t), tr.act_at(t)) - tr.logp[t]);
      L += ratio * est.psi_at(i, t);
    }
  }
  // The 1/N of ĝ.
  return L / est.num_trajectories;
}

// ---- the algorithm
// -------------------------------------------------------------------------------

NpgAlgorithm::NpgAlgorithm(const Scenario& s, bool line_search) : line_search_(line_search) {
  const std::string who = line_search ? "trpo" : "npg";
  if (s.algorithm.entropy_coef > 0.0)
    throw InputError("algorithm.entropy_coef",
                     who +
                         " steps on the surrogate within a KL budget and has no entropy "
                         "bonus; allowed: 0");
  if (s.estimator.baseline == Baseline::kOptimal)
    throw InputError("estimator.baseline",
                     who +
                         " needs a per-step advantage ψᵢₜ and the optimal baseline is per "
                         "parameter; allowed: " +
                         baseline_names_except(Baseline::kOptimal));
  const std::unique_ptr<Env> env = make_env(s);
  env_gamma_ = env->gamma();
  if (s.trpo.exact_fisher && !env->model())
    throw InputError("trpo.exact_fisher", "the exact Fisher matrix needs a finite world (" +
                                              finite_env_names() +
                                              "); set trpo.exact_fisher=false");
}

void NpgAlgorithm::estimate(AlgoContext& ctx, const Batch& batch, Estimate& est) {
  // g = ĝ and Â = ψ at θ_old, the scenario's REINFORCE settings.
  if (ctx.scenario.estimator.baseline == Baseline::kOptimal)
    throw InputError("estimator.baseline", std::string(name()) +
                                               " needs a per-step ψ; the optimal baseline is per "
                                               "parameter");
  BaselineSources src;
  src.exact = ctx.exact;
  src.critic = ctx.critic;
  estimate_reinforce(batch, ctx.behaviour, ctx.env.gamma(), ctx.scenario.estimator, src, est);
}

void NpgAlgorithm::build_fisher(AlgoContext& ctx, const Batch& batch) {
  const double damping = ctx.scenario.trpo.damping;
  if (ctx.scenario.trpo.exact_fisher)
    fisher_.set_exact(exact_fisher(ctx.env, ctx.behaviour), damping);
  else
    fisher_.set_sampled(batch, ctx.behaviour, damping);
}

std::string NpgAlgorithm::update(AlgoContext& ctx, const Batch& batch, const Estimate& est,
                                 UpdateStats& stats) {
  const TrpoSettings& c = ctx.scenario.trpo;
  const Eigen::VectorXd& g = est.gradient;
  stats.set("grad_norm", g.norm());
  if (!g.allFinite())
    return "the gradient at iteration " + std::to_string(ctx.iteration) +
           " is not finite (NaN or Inf); turn on normalisation or lower trpo.max_kl, then reset";

  // F at θ_old (sampled over the batch, or exact).
  build_fisher(ctx, batch);

  // x ≈ (F + λI)⁻¹ g.
  const CgResult cg = conjugate_gradient(fisher_, g, c.cg_iters, x_);
  stats.set("cg_iterations", cg.iterations);
  stats.set("cg_residual", cg.residual);
  stats.set("cg_residual_rel", g.norm() > 0.0 ? cg.residual / g.norm() : 0.0);
  stats.set("natural_grad_norm", x_.norm());

  // β = sqrt(2δ / xᵀ(F + λI)x).
  fisher_.apply(x_, Fx_);
  const double xFx = x_.dot(Fx_);
  stats.set("xFx", xFx);
  const double beta = xFx > 0.0 ? std::sqrt(2.0 * c.max_kl / xFx) : 0.0;
  stats.set("beta", beta);

  std::string fault;
  if (beta > 0.0 && std::isfinite(beta)) {
    fault = step(ctx, batch, est, beta, stats);
  } else {
    // g = 0 (e.g. every return equal): no direction to step along.
    for (const char* k : {"kl", "kl_sampled", "kl_k1", "kl_k3", "surrogate_improvement",
                          "step_fraction", "accepted"})
      stats.set(k, 0.0);
    stats.set("backtracks", 0);
  }
  if (!fault.empty()) return fault;
  fit_critic_to_reward_to_go(ctx, batch, stats);
  return "";
}

std::string NpgAlgorithm::step(AlgoContext& ctx, const Batch& batch, const Estimate& est,
                               double beta, UpdateStats& stats) {
  const TrpoSettings& c = ctx.scenario.trpo;
  const Policy& old = ctx.behaviour;
  const bool finite_world = ctx.env.model() != nullptr && ctx.exact != nullptr;
  theta_old_ = old.params();
  const double L_old = surrogate(batch, old, est);
  const int tries = line_search_ ? c.backtracks + 1 : 1;

  bool accepted = false;
  double fraction = 1.0;
  int j = 0;
  double improvement = 0.0, kl = 0.0, kl_exact = 0.0;
  BatchKl sampled;
  for (j = 0; j < tries; ++j, fraction *= 0.5) {
    throw_if_cancelled(ctx.cancel);
    // θ = θ_old + 2^(−j) β x.
    theta_ = theta_old_ + (fraction * beta) * x_;
    if (!theta_.allFinite())
      return "the natural-gradient step at iteration " + std::to_string(ctx.iteration) +
             " is not finite (NaN or Inf); raise trpo.damping or lower trpo.max_kl, then reset";
    ctx.policy.set_params(theta_);
    improvement = surrogate(batch, ctx.policy, est) - L_old;
    sampled = batch_kl(batch, old, ctx.policy);
    if (finite_world) kl_exact = exact_mean_kl(ctx.env, old, ctx.policy, ctx.exact->d);
    kl = finite_world ? kl_exact : sampled.mean_kl;
    // npg takes the full step; trpo the first that improves L within the budget.
    if (!line_search_ || (improvement > 0.0 && kl <= c.max_kl)) {
      accepted = true;
      break;
    }
  }
  if (!accepted) {
    // Every halving failed: keep θ_old (what TRPO does), and report the last one tried.
    ctx.policy.set_params(theta_old_);
    j = tries - 1;
    fraction = std::ldexp(1.0, -j);
  }
  stats.set("accepted", accepted ? 1.0 : 0.0);
  stats.set("backtracks", j);
  stats.set("step_fraction", fraction);
  stats.set("surrogate_improvement", improvement);
  stats.set("kl", kl);
  stats.set("kl_sampled", sampled.mean_kl);
  if (finite_world) stats.set("kl_exact", kl_exact);
  stats.set("kl_k1", sampled.k1);
  stats.set("kl_k3", sampled.k3);
  stats.set("max_kl", c.max_kl);
  return "";
}

// ---- what the algorithm tells the views
// -----------------------------------------------------------

AlgorithmInfo NpgAlgorithm::info(const Scenario& s) const {
  const TrpoSettings& c = s.trpo;
  AlgorithmInfo info;
  info.title = line_search_ ? "TRPO" : "NPG";
  info.loss_form = line_search_ ? LossForm::kRatio : LossForm::kLogProb;
  info.reinforce_settings = true;
  info.analyses = static_cast<unsigned>(Analysis::kEstimatorVariance) |
                  static_cast<unsigned>(Analysis::kBaselineEffect) |
                  static_cast<unsigned>(Analysis::kNaturalGradient);
  Formula& f = info.objective;
  f = reinforce_formula(s.estimator, env_gamma_);
  // The step: x ≈ (F + λI)⁻¹ ĝ, β = √(2δ / xᵀ(F + λI)x), θ ← θ_old + βx (TRPO: halved until
  // accepted).
  Formula step;
  add_part(step, "x = (F + λI)⁻¹ ĝ,  θ ← θ_old + β x,  β = √(2δ / xᵀ(F + λI)x)");
  add_line_break(step);
  char buf[240];
  std::snprintf(buf, sizeof buf, "F: %s; λ = %.3g; %d conjugate-gradient iterations; δ = %.3g",
                c.exact_fisher ? "the exact Fisher matrix Σₛ d(s) Σₐ π ∇log π ∇log πᵀ / Σₛ d(s)"
                               : "the sampled Fisher matrix 1/M Σₜ ∇log π ∇log πᵀ over the batch",
                c.damping, c.cg_iters, c.max_kl);
  add_note(step, buf);
  if (line_search_) {
    std::snprintf(
        buf, sizeof buf,
        "line search: the step 2⁻ʲ β x for the first j ≤ %d with L(θ) > L(θ_old) and KL̄ ≤ δ, "
        "L = 1/N Σᵢₜ r ψ, r = π/π_old; else θ stays",
        c.backtracks);
    add_note(step, buf);
  }
  // ĝ first (its lines and notes), then the step.
  Formula out;
  size_t k = 0;
  for (; k < f.size() && f[k].role != FormulaPart::Role::kNote; ++k) out.push_back(f[k]);
  add_line_break(out);
  out.insert(out.end(), step.begin(), step.end());
  out.insert(out.end(), f.begin() + static_cast<long>(k), f.end());
  f = std::move(out);
  return info;
}

void NpgAlgorithm::decompose(const DecomposeInput& in, StepDecomposition& out) const {
  decompose_reinforce(in, out);
  out.derivation.push_back("the step is along x = (F + λI)⁻¹ ĝ, a linear map of this ĝ");
}

}  // namespace pg
