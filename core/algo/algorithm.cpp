#include "algo/algorithm.h"

#include <cmath>

#include "algo/a2c.h"
#include "algo/fault_advice.h"
#include "algo/grpo.h"
#include "algo/npg.h"
#include "algo/off_policy.h"
#include "algo/ppo.h"
#include "algo/reinforce_algo.h"
#include "algo/sac.h"
#include "io/params.h"
#include "io/scenario.h"
#include "nn/optimizer.h"
#include "policy/policy.h"
#include "util/error.h"
#include "util/finite.h"

namespace pg {

void UpdateStats::clear() {
  for (auto& kv : values) spare_.push_back(std::move(kv));
  values.clear();
}

void UpdateStats::set(std::string_view key, double v) {
  for (auto& kv : values)
    if (kv.first == key) {
      kv.second = v;
      return;
    }
  for (size_t k = 0; k < spare_.size(); ++k)
    if (spare_[k].first == key) {
      values.push_back(std::move(spare_[k]));
      values.back().second = v;
      spare_[k] = std::move(spare_.back());
      spare_.pop_back();
      return;
    }
  values.emplace_back(std::string(key), v);
}

double UpdateStats::get(const std::string& key) const {
  for (const auto& kv : values)
    if (kv.first == key) return kv.second;
  return std::numeric_limits<double>::quiet_NaN();
}

bool UpdateStats::has(const std::string& key) const {
  for (const auto& kv : values)
    if (kv.first == key) return true;
  return false;
}

AlgorithmInfo Algorithm::info(const Scenario& s) const {
  (void)s;
  AlgorithmInfo info;
  info.title = name();
  return info;
}

void Algorithm::decompose(const DecomposeInput& in, StepDecomposition& out) const {
  const Estimate& est = in.estimate;
  out.pieces = {{"ψₜ", "the weight on ∇log π(aₜ|sₜ)"}};
  out.derivation.clear();
  out.offset = est.offset;
  out.values = est.psi;
  out.clip_case.clear();
  out.divisor = est.gradient_divisor();
}

std::unique_ptr<Algorithm> make_algorithm(const Scenario& s, const std::atomic<bool>* cancel) {
  switch (s.algorithm.name) {
    case AlgorithmKind::kReinforce:
      return std::make_unique<ReinforceAlgorithm>(s);
    case AlgorithmKind::kGrpo:
      return std::make_unique<GrpoAlgorithm>(s);
    case AlgorithmKind::kA2C:
      return std::make_unique<A2CAlgorithm>(s);
    case AlgorithmKind::kPpo:
      return std::make_unique<PpoAlgorithm>(s);
    case AlgorithmKind::kNpg:
    case AlgorithmKind::kTrpo:
      return std::make_unique<NpgAlgorithm>(s, s.algorithm.name == AlgorithmKind::kTrpo);
    case AlgorithmKind::kOffPolicy:
      return std::make_unique<OffPolicyAlgorithm>(s);
    case AlgorithmKind::kSac:
      return std::make_unique<SacAlgorithm>(s, cancel);
  }
  PG_ASSERT(false, "every AlgorithmKind has a case in make_algorithm");
}

double clip_norm(Eigen::Ref<Eigen::VectorXd> v, double max_norm) {
  const double n = v.norm();
  if (max_norm > 0.0 && n > max_norm) v *= max_norm / n;
  return n;
}

std::string fault_advice(const Scenario& s, bool clip) {
  const auto reads = [&](const char* key) { return inapplicable_reason(s, key).empty(); };
  std::vector<std::string> fixes;
  if (s.algorithm.name == AlgorithmKind::kSac) {
    // SAC takes three kinds of steps: the actor's, the Q functions' and (tuned) α's.
    if (reads("sac.alpha_lr")) fixes.push_back("lower sac.alpha_lr (the step of log α)");
    fixes.push_back("lower algorithm.lr (the actor's step)");
    if (reads("critic.lr")) fixes.push_back("lower critic.lr (the Q functions' step)");
  } else if (reads("algorithm.lr")) {
    fixes.push_back("lower algorithm.lr");
  }
  if (reads("estimator.normalize") && !s.estimator.normalize &&
      s.estimator.baseline != Baseline::kOptimal)
    fixes.push_back("turn on estimator.normalize");
  if (reads("advantage.normalize") && !s.advantage.normalize)
    fixes.push_back("turn on advantage.normalize");
  if (clip && reads("algorithm.max_grad_norm"))
    fixes.push_back(s.algorithm.max_grad_norm > 0
                        ? "lower algorithm.max_grad_norm (the gradient's clip)"
                        : "clip the gradient (algorithm.max_grad_norm)");
  std::string out;
  for (size_t i = 0; i < fixes.size(); ++i)
    out += (i == 0 ? "" : i + 1 == fixes.size() ? " or " : ", ") + fixes[i];
  return (out.empty() ? std::string("reset") : out + ", then reset");
}

std::string apply_ascent(AlgoContext& ctx, const Eigen::VectorXd& direction) {
  Eigen::VectorXd theta;
  return apply_ascent(ctx, direction, theta);
}

std::string apply_ascent(AlgoContext& ctx, const Eigen::VectorXd& direction,
                         Eigen::VectorXd& theta) {
  if (!all_finite(direction))
    return "the update direction at iteration " + std::to_string(ctx.iteration) +
           " is not finite (NaN or Inf); " + fault_advice(ctx.scenario, false);
  theta = ctx.policy.params();
  ctx.optimizer.step(theta, direction);
  if (!all_finite(theta))
    return "the parameters became non-finite at iteration " + std::to_string(ctx.iteration) + "; " +
           fault_advice(ctx.scenario, false);
  ctx.policy.set_params(theta);
  return "";
}

}  // namespace pg
