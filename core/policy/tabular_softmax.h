#pragma once
// Tabular softmax: θ[o, a] are logits, π(a|o) = exp θ[o,a] / Σ_b exp θ[o,b].
//   ∂ log π(a|o) / ∂θ[o,b] = 1[a = b] − π(b|o)   (zero for every other row o' ≠ o)

#include <vector>

#include "policy/policy.h"

namespace pg {

class TabularSoftmax final : public Policy {
 public:
  TabularSoftmax(int num_obs, int num_actions);

  PolicyKind kind() const override { return PolicyKind::kTabular; }
  int num_obs() const { return num_obs_; }
  int num_actions() const override { return num_actions_; }
  int num_params() const override { return num_obs_ * num_actions_; }
  const Eigen::VectorXd& params() const override { return theta_; }
  void set_params(const Eigen::Ref<const Eigen::VectorXd>& theta) override;

  void probs(ObsRef o, double* p) const override { probs_of(o.index, p); }
  void probs_of(int obs, double* p) const;
  void add_grad_log_prob(ObsRef o, ActRef act, double scale,
                         Eigen::Ref<Eigen::VectorXd> g) const override;
  void add_grad_entropy(ObsRef o, double scale, Eigen::Ref<Eigen::VectorXd> g) const override;
  // Aggregates per observation: g[o,·] += Σ_k scale_k e_{a_k} − π(·|o) Σ_k scale_k, one softmax per
  // observation touched instead of one per step.
  void add_grad_log_prob_batch(const Eigen::Ref<const Eigen::MatrixXd>& X, const int* index,
                               ActionsRef actions, const double* scales, int n,
                               Eigen::Ref<Eigen::VectorXd> g) const override;

  // Sets every row's logits to the same values (size A), e.g. to start the short corridor near
  // P(right) = 0.05.
  void fill_rows(const std::vector<double>& logits);

  std::unique_ptr<Policy> clone() const override { return std::make_unique<TabularSoftmax>(*this); }

 private:
  int num_obs_;
  int num_actions_;
  Eigen::VectorXd theta_;
  mutable std::vector<double> work_sum_;  // per observation, zero between calls
  mutable std::vector<int> work_touched_;
};

}  // namespace pg
