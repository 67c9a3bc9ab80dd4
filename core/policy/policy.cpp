#include "policy/policy.h"

#include <cmath>
#include <string>
#include <vector>

#include "estimator/kl.h"
#include "util/error.h"

namespace pg {

void Policy::add_grad_log_prob_batch(const Eigen::Ref<const Eigen::MatrixXd>& X, const int* index,
                                     ActionsRef actions, const double* scales, int n,
                                     Eigen::Ref<Eigen::VectorXd> g) const {
  for (int i = 0; i < n; ++i) {
    ObsRef o{index ? index[i] : -1, X.size() > 0 ? X.col(i).data() : nullptr};
    add_grad_log_prob(o, actions.at(i), scales[i], g);
  }
}

namespace {

// π(·|o) scratch for the per-observation helpers below: a thread's buffer, sized once, so a warm
// training loop does not allocate (the session computes H per step every iteration).
double* probs_scratch(int A) {
  thread_local std::vector<double> p;
  if (static_cast<int>(p.size()) < A) p.resize(A);
  return p.data();
}

}  // namespace

double Policy::log_prob(ObsRef o, ActRef a) const {
  const int A = num_actions();
  PG_ASSERT(a.index >= 0 && a.index < A, "log_prob: a discrete policy needs an action index");
  double* p = probs_scratch(A);
  probs(o, p);
  return std::log(p[a.index]);
}

double Policy::sample(ObsRef o, Rng& rng, int* index, double* /*u*/) const {
  const int A = num_actions();
  double* p = probs_scratch(A);
  probs(o, p);
  const int a = rng.categorical(p, A);
  *index = a;
  return std::log(p[a]);
}

void Policy::env_action(const double* u, double* out) const {
  for (int i = 0; i < action_dim(); ++i) out[i] = u[i];
}

void check_same_actions(const Policy& old_policy, const Policy& policy) {
  const int d_old = old_policy.action_dim(), d = policy.action_dim();
  const int a_old = old_policy.num_actions(), a = policy.num_actions();
  if ((d_old > 0) != (d > 0))
    throw InputError("policy", std::string("one policy has continuous actions and the other "
                                           "discrete; the two policies must act on the same "
                                           "actions (the old policy is ") +
                                   (d_old > 0 ? "continuous" : "discrete") + ")");
  if (d_old > 0 && d_old != d)
    throw InputError("policy", "the two policies have action_dim " + std::to_string(d_old) +
                                   " and " + std::to_string(d) +
                                   "; they must act on the same actions");
  if (d_old == 0 && a_old != a)
    throw InputError("policy", "the two policies have " + std::to_string(a_old) + " and " +
                                   std::to_string(a) +
                                   " actions; they must act on the same actions");
}

double Policy::kl(ObsRef o, const Policy& other) const {
  const int A = num_actions();
  PG_ASSERT(other.num_actions() == A, "kl: the two policies must have the same actions");
  thread_local std::vector<double> q;
  if (static_cast<int>(q.size()) < A) q.resize(A);
  double* p = probs_scratch(A);
  probs(o, p);
  other.probs(o, q.data());
  return kl_categorical(p, q.data(), A);
}

double Policy::entropy(ObsRef o) const {
  const int A = num_actions();
  double* p = probs_scratch(A);
  probs(o, p);
  return entropy_categorical(p, A);
}

void Policy::log_prob_batch(const Eigen::Ref<const Eigen::MatrixXd>& X, const int* index,
                            ActionsRef actions, int n, double* logp, double* entropy) const {
  const int A = num_actions();
  double* p = probs_scratch(A);
  for (int i = 0; i < n; ++i) {
    probs(ObsRef{index ? index[i] : -1, X.size() > 0 ? X.col(i).data() : nullptr}, p);
    logp[i] = std::log(p[actions.index[i]]);
    if (entropy) entropy[i] = entropy_categorical(p, A);
  }
}

void Policy::add_grad_surrogate_batch(const Eigen::Ref<const Eigen::MatrixXd>& X, const int* index,
                                      ActionsRef actions, const double* scale_logp,
                                      const double* scale_entropy, int n,
                                      Eigen::Ref<Eigen::VectorXd> g, bool /*reuse_forward*/) const {
  add_grad_log_prob_batch(X, index, actions, scale_logp, n, g);
  if (!scale_entropy) return;
  for (int i = 0; i < n; ++i)
    if (scale_entropy[i] != 0.0)
      add_grad_entropy(ObsRef{index ? index[i] : -1, X.size() > 0 ? X.col(i).data() : nullptr},
                       scale_entropy[i], g);
}

}  // namespace pg
