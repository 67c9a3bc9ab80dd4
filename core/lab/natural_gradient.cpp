#include "lab/natural_gradient.h"

#include <Eigen/Cholesky>
#include <cmath>
#include <limits>
#include <numbers>

#include "algo/npg.h"
#include "estimator/kl.h"
#include "exact/exact.h"
#include "exact/exact_kl.h"
#include "session/session.h"

namespace pg {

double angle_deg(const Eigen::VectorXd& a, const Eigen::VectorXd& b) {
  const double na = a.norm(), nb = b.norm();
  if (!(na > 0.0) || !(nb > 0.0)) return std::numeric_limits<double>::quiet_NaN();
  const double c = std::clamp(a.dot(b) / (na * nb), -1.0, 1.0);
  return std::acos(c) * 180.0 / std::numbers::pi;
}

Eigen::MatrixXd sampled_fisher(const Batch& batch, const Policy& policy) {
  const int P = policy.num_params();
  const int M = batch.num_steps();
  Eigen::MatrixXd S = Eigen::MatrixXd::Zero(P, M);
  int k = 0;
  for (const Trajectory& tr : batch.trajectories)
    for (int t = 0; t < tr.length(); ++t, ++k)
      policy.add_grad_log_prob(tr.obs_at(t), tr.act_at(t), 1.0, S.col(k));
  // F = (1/M) S Sᵀ
  Eigen::MatrixXd F = Eigen::MatrixXd::Zero(P, P);
  if (M > 0) F.selfadjointView<Eigen::Lower>().rankUpdate(S, 1.0 / M);
  return F.selfadjointView<Eigen::Lower>();
}

NaturalGradientReport analyse_natural_gradient(const Session& session) {
  NaturalGradientReport rep;
  const Scenario& sc = session.scenario();
  const bool npg = sc.algorithm.name == AlgorithmKind::kNpg,
             trpo = sc.algorithm.name == AlgorithmKind::kTrpo;
  if (!npg && !trpo && !session.algorithm().info(sc).supports(Analysis::kNaturalGradient)) {
    rep.why_not =
        "The natural-gradient view shows NPG and TRPO steps: open npg-gridworld, trpo-gridworld or "
        "trpo-cartpole.";
    return rep;
  }
  if (!session.batch_complete() || !session.has_estimate()) {
    rep.why_not =
        "The batch being collected has no estimate yet: the step shows once it has one (step by "
        "estimate "
        "or iteration).";
    return rep;
  }
  const Batch& batch = session.batch();
  // The step taken: after the update a live estimator flip re-estimates the batch
  // (Session::estimate_of_update), and that re-estimate steers only the next batch's step, so the
  // view keeps the estimate the update stepped from (the audit found β, KL and "accepted" of a
  // step never taken, under "the step on iteration K's batch").
  const Estimate* taken = session.estimate_of_update();
  const Estimate& est = taken ? *taken : session.last_estimate();
  if (taken) {
    rep.reestimated = true;
    rep.reestimate_grad_norm = session.last_estimate().gradient.norm();
    rep.step_config = taken->config;
    rep.reestimate_config = session.last_estimate().config;
  }
  const Policy& old = session.behaviour_policy();
  const Env& env = session.env();
  const TrpoSettings& c = sc.trpo;
  rep.applies = true;
  rep.iteration = session.batch_iteration();
  rep.line_search = trpo;
  rep.fisher_is_exact = c.exact_fisher;
  rep.damping = c.damping;
  rep.max_kl = c.max_kl;
  rep.g = est.gradient;
  const int P = old.num_params();
  const ExactResult* ex = session.batch_exact();
  const bool finite_world = env.model() != nullptr && ex != nullptr;

  // F as the update builds it, and its dense form for the heatmap.
  FisherProduct F;
  if (c.exact_fisher) {
    rep.fisher_exact = exact_fisher(env, old);
    rep.fisher = rep.fisher_exact;
    F.set_exact(rep.fisher_exact, c.damping);
  } else {
    F.set_sampled(batch, old, c.damping);
    if (P <= kMaxDenseFisherParams) rep.fisher = sampled_fisher(batch, old);
    if (finite_world && P <= kMaxDenseFisherParams) rep.fisher_exact = exact_fisher(env, old);
  }

  // x ≈ (F + λI)⁻¹ ĝ, β = sqrt(2δ / xᵀ(F + λI)x) — as NpgAlgorithm::update.
  const CgResult cg = conjugate_gradient(F, rep.g, c.cg_iters, rep.x);
  rep.cg_iterations = cg.iterations;
  rep.cg_residual = cg.residual;
  rep.angle_g_x_deg = angle_deg(rep.g, rep.x);
  Eigen::VectorXd Fx;
  F.apply(rep.x, Fx);
  rep.xFx = rep.x.dot(Fx);
  rep.beta = rep.xFx > 0.0 ? std::sqrt(2.0 * c.max_kl / rep.xFx) : 0.0;

  // The tries of NpgAlgorithm::step on a copy of θ_old.
  if (rep.beta > 0.0 && std::isfinite(rep.beta)) {
    std::unique_ptr<Policy> trial = old.clone();
    const Eigen::VectorXd theta_old = old.params();
    const double L_old = surrogate(batch, old, est);
    const int tries = trpo ? c.backtracks + 1 : 1;
    double fraction = 1.0;
    for (int j = 0; j < tries; ++j, fraction *= 0.5) {
      const Eigen::VectorXd theta = theta_old + (fraction * rep.beta) * rep.x;
      if (!theta.allFinite()) break;
      trial->set_params(theta);
      LineSearchTry t;
      t.fraction = fraction;
      t.improvement = surrogate(batch, *trial, est) - L_old;
      t.kl_sampled = batch_kl(batch, old, *trial).mean_kl;
      t.kl = finite_world ? exact_mean_kl(env, old, *trial, ex->d) : t.kl_sampled;
      t.accepted = !trpo || (t.improvement > 0.0 && t.kl <= c.max_kl);
      rep.tries.push_back(t);
      if (t.accepted) {
        rep.accepted = j;
        rep.step_norm = (theta - theta_old).norm();
        break;
      }
    }
  }

  // The exact natural gradient (F_exact + λI)⁻¹ ∇J in finite worlds.
  if (finite_world && rep.fisher_exact.size() > 0 && ex->gradient.size() == P) {
    rep.has_exact = true;
    rep.exact_gradient = ex->gradient;
    Eigen::MatrixXd A = rep.fisher_exact;
    A.diagonal().array() += c.damping;
    rep.exact_natural = A.ldlt().solve(rep.exact_gradient);
    rep.angle_g_exact_deg = angle_deg(rep.g, rep.exact_gradient);
    rep.angle_x_exact_natural_deg = angle_deg(rep.x, rep.exact_natural);
  }
  return rep;
}

}  // namespace pg
