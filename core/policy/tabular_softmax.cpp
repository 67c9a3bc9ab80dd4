#include "policy/tabular_softmax.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "estimator/kl.h"
#include "util/error.h"

namespace pg {

TabularSoftmax::TabularSoftmax(int num_obs, int num_actions)
    : num_obs_(num_obs),
      num_actions_(num_actions),
      theta_(Eigen::VectorXd::Zero(num_obs * num_actions)) {
  PG_ASSERT(num_obs > 0 && num_actions > 0, "a tabular policy needs observations and actions");
}

void TabularSoftmax::set_params(const Eigen::Ref<const Eigen::VectorXd>& theta) {
  PG_ASSERT(theta.size() == theta_.size(), "parameter vector has the wrong size");
  theta_ = theta;
}

void TabularSoftmax::probs_of(int obs, double* p) const {
  PG_ASSERT(obs >= 0 && obs < num_obs_, "tabular policy needs a valid observation index");
  const double* z = theta_.data() + static_cast<size_t>(obs) * num_actions_;
  const double zmax = *std::max_element(z, z + num_actions_);
  double sum = 0.0;
  for (int a = 0; a < num_actions_; ++a) sum += (p[a] = std::exp(z[a] - zmax));
  const double inv = 1.0 / sum;
  for (int a = 0; a < num_actions_; ++a) p[a] *= inv;
}

void TabularSoftmax::add_grad_log_prob(ObsRef o, ActRef act, double scale,
                                       Eigen::Ref<Eigen::VectorXd> g) const {
  const int a = act.index;
  double p[64];
  PG_ASSERT(num_actions_ <= 64, "tabular policy supports at most 64 actions");
  probs_of(o.index, p);
  double* row = g.data() + static_cast<size_t>(o.index) * num_actions_;
  for (int b = 0; b < num_actions_; ++b) row[b] -= scale * p[b];
  row[a] += scale;
}

void TabularSoftmax::add_grad_entropy(ObsRef o, double scale, Eigen::Ref<Eigen::VectorXd> g) const {
  // H = −Σ_b π_b log π_b;  ∂H/∂z_c = −π_c (log π_c + H).
  double p[64];
  PG_ASSERT(num_actions_ <= 64, "tabular policy supports at most 64 actions");
  probs_of(o.index, p);
  const double h = entropy_categorical(p, num_actions_);
  double* row = g.data() + static_cast<size_t>(o.index) * num_actions_;
  for (int c = 0; c < num_actions_; ++c) {
    const double logp = p[c] > 0.0 ? std::log(p[c]) : 0.0;
    row[c] += scale * (-p[c] * (logp + h));
  }
}

void TabularSoftmax::add_grad_log_prob_batch(const Eigen::Ref<const Eigen::MatrixXd>&,
                                             const int* index, ActionsRef actions,
                                             const double* scales, int n,
                                             Eigen::Ref<Eigen::VectorXd> g) const {
  PG_ASSERT(num_actions_ <= 64, "tabular policy supports at most 64 actions");
  if (static_cast<int>(work_sum_.size()) != num_obs_) work_sum_.assign(num_obs_, 0.0);
  work_touched_.clear();
  double* gd = g.data();
  for (int k = 0; k < n; ++k) {
    const int o = index[k];
    PG_ASSERT(o >= 0 && o < num_obs_, "tabular policy needs a valid observation index");
    if (work_sum_[o] == 0.0)
      work_touched_.push_back(o);  // may repeat if a sum returns to 0: harmless
    work_sum_[o] += scales[k];
    gd[static_cast<size_t>(o) * num_actions_ + actions.index[k]] += scales[k];
  }
  double p[64];
  for (int o : work_touched_) {
    const double s = work_sum_[o];
    if (s == 0.0) continue;
    probs_of(o, p);
    double* row = gd + static_cast<size_t>(o) * num_actions_;
    for (int a = 0; a < num_actions_; ++a) row[a] -= p[a] * s;
    work_sum_[o] = 0.0;
  }
}

void TabularSoftmax::fill_rows(const std::vector<double>& logits) {
  PG_ASSERT(static_cast<int>(logits.size()) == num_actions_, "one logit per action");
  for (int o = 0; o < num_obs_; ++o)
    for (int a = 0; a < num_actions_; ++a) theta_[o * num_actions_ + a] = logits[a];
}

}  // namespace pg
