#include "lab/importance_compare.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "rollout/sampler.h"
#include "session/budget.h"

namespace pg {

double cosine(const Eigen::VectorXd& a, const Eigen::VectorXd& b) {
  if (a.size() == 0 || a.size() != b.size()) return std::numeric_limits<double>::quiet_NaN();
  const double na = a.norm(), nb = b.norm();
  if (!(na > 0.0) || !(nb > 0.0)) return std::numeric_limits<double>::quiet_NaN();
  return a.dot(b) / (na * nb);
}

ImportanceComparison compare_importance(const Session& s, int top_k) {
  ImportanceComparison c;
  const ImportanceRecord* rec = s.algorithm().importance_record();
  if (!rec || !s.has_estimate() || s.batch().size() == 0) return c;
  const ImportanceWeights& w = rec->weights;
  c.available = true;
  c.weighting = name_of(w.config.weighting);
  c.truncate = w.config.truncate;
  c.behaviour_iteration = rec->behaviour_iteration;
  // Between iterations (phase collect, nothing collected yet) the batch is the last iteration's.
  c.batch_iteration = s.batch_iteration();
  c.N = s.batch().size();
  c.log_w = w.log_w;
  c.ess = w.ess;
  c.ess_fraction = c.N > 0 ? w.ess / c.N : 0.0;
  c.off_policy = s.last_estimate().gradient;

  // N fresh episodes from π_θ on the behaviour batch's streams (seed, iteration, k).
  const Policy& target = s.behaviour_policy();
  auto env = s.env().clone();
  Batch fresh;
  sample_batch(*env, target, s.scenario().seed, static_cast<uint64_t>(c.batch_iteration), c.N, true,
               fresh, batch_cap(s.scenario(), s.env()));
  BaselineSources src;
  src.exact = s.batch_exact();
  src.critic = s.critic();
  Estimate on;
  estimate_reinforce(fresh, target, s.env().gamma(), s.last_estimate().config, src, on);
  c.on_policy = on.gradient;
  if (const ExactResult* ex = s.batch_exact()) c.exact = ex->gradient;

  c.norm_off = c.off_policy.norm();
  c.norm_on = c.on_policy.norm();
  c.norm_exact = c.exact.size() ? c.exact.norm() : std::numeric_limits<double>::quiet_NaN();
  c.cos_off_exact = cosine(c.off_policy, c.exact);
  c.cos_on_exact = cosine(c.on_policy, c.exact);
  c.cos_off_on = cosine(c.off_policy, c.on_policy);

  const Eigen::VectorXd& rank = c.exact.size() ? c.exact : c.on_policy;
  std::vector<int> idx(rank.size());
  std::iota(idx.begin(), idx.end(), 0);
  const int k = std::min<int>(top_k, static_cast<int>(idx.size()));
  std::partial_sort(idx.begin(), idx.begin() + k, idx.end(), [&](int a, int b) {
    return std::abs(rank[a]) > std::abs(rank[b]) ||
           (std::abs(rank[a]) == std::abs(rank[b]) && a < b);
  });
  c.top.assign(idx.begin(), idx.begin() + k);
  return c;
}

}  // namespace pg
