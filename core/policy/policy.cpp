#include "policy/policy.h"

#include <cmath>
#include <vector>

namespace pg {

void Policy::add_grad_log_prob_batch(const Eigen::Ref<const Eigen::MatrixXd>& X, const int* index,
                                     const int* actions, const double* scales, int n,
                                     Eigen::Ref<Eigen::VectorXd> g) const {
  for (int i = 0; i < n; ++i) {
    ObsRef o{index ? index[i] : -1, X.size() > 0 ? X.col(i).data() : nullptr};
    add_grad_log_prob(o, actions[i], scales[i], g);
  }
}

double Policy::entropy(ObsRef o) const {
  std::vector<double> p(num_actions());
  probs(o, p.data());
  double h = 0.0;
  for (double pi : p)
    if (pi > 0.0) h -= pi * std::log(pi);
  return h;
}

}  // namespace pg
