#include "exact/exact.h"

#include <Eigen/SparseCore>
#include <Eigen/SparseLU>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>
#include <vector>

#include "env/tabular_model.h"
#include "exact/continuous_bandit_exact.h"
#include "exact/state_obs.h"
#include "io/scenario_enums.h"
#include "util/cancel.h"
#include "util/error.h"

namespace pg {
namespace {

// The model flattened for the inner loops: successors of (s, a) are
// next[begin[s*A+a] .. begin[s*A+a+1]) with probabilities prob[...].
struct World {
  int S = 0, A = 0;
  double gamma = 1.0;
  std::vector<int> begin;
  std::vector<int> next;
  std::vector<double> prob;
  std::vector<double> reward;  // S·A
  std::vector<char> live;      // S: 1 for non-terminal states
  std::vector<double> start;   // S
  std::vector<int> obs;        // S: observation index shown in s
};

World flatten(const Env& env) {
  const TabularModel* m = env.model();
  if (!m)
    throw InputError("env", "the exact oracle needs a finite world, and '" + env.name() +
                                "' has no tabular model; allowed: " + finite_env_names());
  World w;
  w.S = m->num_states();
  w.A = m->num_actions();
  w.gamma = env.gamma();
  w.begin.reserve(static_cast<size_t>(w.S) * w.A + 1);
  w.begin.push_back(0);
  w.reward.resize(static_cast<size_t>(w.S) * w.A);
  w.live.resize(w.S);
  w.start.resize(w.S);
  w.obs.resize(w.S);
  for (int s = 0; s < w.S; ++s) {
    w.live[s] = m->terminal(s) ? 0 : 1;
    w.start[s] = m->start(s);
    w.obs[s] = m->obs_of_state(s);
    for (int a = 0; a < w.A; ++a) {
      if (w.live[s]) {
        for (const Transition& t : m->successors(s, a)) {
          w.next.push_back(t.next);
          w.prob.push_back(t.prob);
        }
        w.reward[static_cast<size_t>(s) * w.A + a] = m->reward(s, a);
      }
      w.begin.push_back(static_cast<int>(w.next.size()));
    }
  }
  return w;
}

void check_policy(const World& w, const Policy& policy) {
  if (policy.num_actions() != w.A)
    throw InputError("policy", "the policy has " + std::to_string(policy.num_actions()) +
                                   " actions but the world has " + std::to_string(w.A) +
                                   "; allowed: a policy built for this environment");
}

// π(a|s) for every state: S×A. `cancel` polled per state (a forward pass of a large network each).
Eigen::MatrixXd policy_probs(const World& w, const Env& env, const Policy& policy,
                             const std::atomic<bool>* cancel = nullptr) {
  check_policy(w, policy);
  StateObs view(env, policy);
  Eigen::MatrixXd pi(w.S, w.A);
  std::vector<double> p(w.A);
  for (int s = 0; s < w.S; ++s) {
    throw_if_cancelled(cancel);
    policy.probs(view.obs(w.obs[s]), p.data());
    for (int a = 0; a < w.A; ++a) pi(s, a) = p[a];
  }
  return pi;
}

// Q(s,a) = R(s,a) + γ Σ_s' P(s'|s,a) V(s') for live s; 0 rows for terminal s.
void q_from_v(const World& w, const double* v_next, double* q_row_major) {
  for (int s = 0; s < w.S; ++s)
    for (int a = 0; a < w.A; ++a) {
      const int sa = s * w.A + a;
      double q = 0.0;
      if (w.live[s]) {
        double ev = 0.0;
        for (int k = w.begin[sa]; k < w.begin[sa + 1]; ++k) ev += w.prob[k] * v_next[w.next[k]];
        q = w.reward[sa] + w.gamma * ev;
      }
      q_row_major[sa] = q;
    }
}

// Infinite horizon: factorises M = I − γ P_π (rows of terminal states are the identity).
Eigen::SparseMatrix<double> discounted_system(const World& w, const Eigen::MatrixXd& pi) {
  std::vector<Eigen::Triplet<double>> trip;
  trip.reserve(w.S + w.next.size());
  for (int s = 0; s < w.S; ++s) {
    trip.emplace_back(s, s, 1.0);
    if (!w.live[s]) continue;
    for (int a = 0; a < w.A; ++a) {
      const int sa = s * w.A + a;
      const double c = w.gamma * pi(s, a);
      for (int k = w.begin[sa]; k < w.begin[sa + 1]; ++k)
        trip.emplace_back(s, w.next[k], -c * w.prob[k]);
    }
  }
  Eigen::SparseMatrix<double> M(w.S, w.S);
  M.setFromTriplets(trip.begin(), trip.end());  // sums duplicates
  M.makeCompressed();
  return M;
}

// "gamma = 1", "gamma = 0.999" for messages.
std::string gamma_text(double gamma) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "gamma = %.15g", gamma);
  return buf;
}

[[noreturn]] void refuse_singular(const World& w) {
  throw InputError("env.gamma", "with " + gamma_text(w.gamma) +
                                    " and no step limit the episodes of this policy may never "
                                    "end, so J is undefined; allowed: gamma < 1 or a step limit "
                                    "> 0");
}

[[noreturn]] void refuse_no_solution() {
  throw InputError("env.gamma",
                   "the value equations have no finite solution (episodes may never end); "
                   "allowed: gamma < 1 or a step limit > 0");
}

// The longest expected discounted episode the solve is trusted for. A policy that leaves a state
// with probability p stays about 1/p steps, and p reaches the matrix only through rounded
// probabilities (1 − p is stored to within ε = 2.2e-16), so V, J and d carry a relative error of
// about ε · L, L the expected discounted length: 1e-4 (4 significant digits) at L = 4.5e11.
// Beyond it p may be lost entirely: at P(right) = 4e-18 in the short corridor π(left) rounds to 1,
// and the solve returned V = +2.4e17 where every reward is −1.
constexpr double kMaxExpectedLength = 1e-4 / std::numeric_limits<double>::epsilon();
static_assert(kMaxExpectedLength > 4.4e11 && kMaxExpectedLength < 4.6e11,
              "refuse_unending's message says 4.5e11");

[[noreturn]] void refuse_unending(const World& w) {
  throw InputError("env.gamma",
                   "with " + gamma_text(w.gamma) +
                       " and no step limit the episodes of this policy almost never end (from "
                       "some state the expected episode length is beyond 4.5e11 steps), so the "
                       "value equations are too near singular to solve and J cannot be computed; "
                       "allowed: gamma < 1 or a step limit > 0 (e.g. env.step_limit=1000)");
}

// M = I − γ P_π factorised, refused (InputError) where its solutions cannot be trusted: a
// singular factorisation, or episodes so long that M is numerically singular. The check solves
// M L = 1 (live states): L(s) = Σ_t γ^t P(the episode still runs at t | s_0 = s), the expected
// discounted episode length from s. L = M⁻¹ 1 ≥ 0 entrywise, so max_s L(s) = ‖M⁻¹‖∞, and with
// ‖M‖∞ ≤ 2 it is M's condition number up to a factor 2. L ≥ 1 at live states: a value below
// (negative where rounding made π(left) + π(right) exceed 1) or beyond kMaxExpectedLength means
// the escape probabilities were lost in rounding.
class ValueSystem {
 public:
  ValueSystem(const World& w, const Eigen::SparseMatrix<double>& M) {
    lu_.compute(M);
    if (lu_.info() != Eigen::Success) refuse_singular(w);
    Eigen::VectorXd ones(w.S);
    for (int s = 0; s < w.S; ++s) ones[s] = w.live[s] ? 1.0 : 0.0;
    const Eigen::VectorXd L = lu_.solve(ones);
    for (int s = 0; s < w.S; ++s)
      // (1 − 1e-9: the rounding of a one-step episode's L = 1; NaN fails too.)
      if (w.live[s] && !(L[s] >= 1.0 - 1e-9 && L[s] <= kMaxExpectedLength)) refuse_unending(w);
  }
  // M⁻¹ b (InputError when it is not finite).
  Eigen::VectorXd solve(const Eigen::VectorXd& b) const {
    Eigen::VectorXd x = lu_.solve(b);
    if (!x.allFinite()) refuse_no_solution();
    return x;
  }

 private:
  Eigen::SparseLU<Eigen::SparseMatrix<double>> lu_;
};

// Mᵀ d = start for the visitation, factorised on its own (ValueSystem checks M itself).
Eigen::VectorXd solve_transposed(const World& w, const Eigen::SparseMatrix<double>& Mt,
                                 const Eigen::VectorXd& b) {
  Eigen::SparseLU<Eigen::SparseMatrix<double>> lu;
  lu.compute(Mt);
  if (lu.info() != Eigen::Success) refuse_singular(w);
  Eigen::VectorXd x = lu.solve(b);
  if (!x.allFinite()) refuse_no_solution();
  return x;
}

Eigen::VectorXd policy_reward(const World& w, const Eigen::MatrixXd& pi) {
  Eigen::VectorXd r = Eigen::VectorXd::Zero(w.S);
  for (int s = 0; s < w.S; ++s)
    if (w.live[s])
      for (int a = 0; a < w.A; ++a) r[s] += pi(s, a) * w.reward[static_cast<size_t>(s) * w.A + a];
  return r;
}

Eigen::VectorXd live_start(const World& w) {
  Eigen::VectorXd b(w.S);
  for (int s = 0; s < w.S; ++s) b[s] = w.live[s] ? w.start[s] : 0.0;
  return b;
}

// Forward pass of the finite horizon: D[t·S + s] = d_t(s) for t < H (live states only).
std::vector<double> visitation_by_time(const World& w, const Eigen::MatrixXd& pi, int H,
                                       const std::atomic<bool>* cancel = nullptr) {
  std::vector<double> D(static_cast<size_t>(H) * w.S, 0.0);
  for (int s = 0; s < w.S; ++s) D[s] = w.live[s] ? w.start[s] : 0.0;
  for (int t = 0; t + 1 < H; ++t) {
    throw_if_cancelled(cancel);
    const double* dt = D.data() + static_cast<size_t>(t) * w.S;
    double* dn = D.data() + static_cast<size_t>(t + 1) * w.S;
    for (int s = 0; s < w.S; ++s) {
      if (dt[s] == 0.0) continue;  // only live states ever carry mass
      for (int a = 0; a < w.A; ++a) {
        const double m = dt[s] * pi(s, a);
        const int sa = s * w.A + a;
        for (int k = w.begin[sa]; k < w.begin[sa + 1]; ++k) {
          const int n = w.next[k];
          if (w.live[n]) dn[n] += m * w.prob[k];
        }
      }
    }
  }
  return D;
}

// Discounted visitation d = Σ_t γ^t d_t (live states only), for either horizon.
Eigen::VectorXd discounted_visitation(const World& w, const Eigen::MatrixXd& pi, int H) {
  Eigen::VectorXd d = Eigen::VectorXd::Zero(w.S);
  if (H > 0) {
    const std::vector<double> D = visitation_by_time(w, pi, H);
    double gt = 1.0;
    for (int t = 0; t < H; ++t, gt *= w.gamma)
      for (int s = 0; s < w.S; ++s) d[s] += gt * D[static_cast<size_t>(t) * w.S + s];
    return d;
  }
  const Eigen::SparseMatrix<double> M = discounted_system(w, pi);
  const ValueSystem checked(w, M);  // refuses a (numerically) singular M
  const Eigen::SparseMatrix<double> Mt = M.transpose();
  d = solve_transposed(w, Mt, live_start(w));
  for (int s = 0; s < w.S; ++s)
    if (!w.live[s]) d[s] = 0.0;
  return d;
}

int resolve_horizon(int horizon) {
  if (horizon < 0)
    throw InputError("env.step_limit",
                     "horizon " + std::to_string(horizon) +
                         " is negative; allowed: 0 (no limit) or a positive number of steps");
  return horizon;
}

}  // namespace

ExactResult exact_evaluate(const Env& env, const Policy& policy) {
  return exact_evaluate(env, policy, env.step_limit());
}

ExactResult exact_evaluate(const Env& env, const Policy& policy, int horizon,
                           const std::atomic<bool>* cancel) {
  if (const auto* cb = dynamic_cast<const ContinuousBandit*>(&env)) {
    const auto* g = dynamic_cast<const GaussianPolicy*>(&policy);
    if (!g) throw InputError("policy.kind", "the continuous bandit needs policy.kind=gaussian");
    return continuous_bandit_exact(*cb, *g);
  }
  const int H = resolve_horizon(horizon);
  const World w = flatten(env);
  const int S = w.S, A = w.A;
  ExactResult out;
  out.horizon = H;
  out.probs = policy_probs(w, env, policy, cancel);
  const Eigen::MatrixXd& pi = out.probs;

  // weight(s,a) = Σ_t γ^t d_t(s) Q_t(s,a); then ∇J = Σ_{s,a} π(a|s) weight(s,a) ∇log π(a|s).
  std::vector<double> weight(static_cast<size_t>(S) * A, 0.0);
  std::vector<double> q(static_cast<size_t>(S) * A);
  out.d = Eigen::VectorXd::Zero(S);

  if (H > 0) {
    const std::vector<double> D = visitation_by_time(w, pi, H, cancel);
    std::vector<double> gpow(H);
    gpow[0] = 1.0;
    for (int t = 1; t < H; ++t) gpow[t] = gpow[t - 1] * w.gamma;
    for (int t = 0; t < H; ++t)
      for (int s = 0; s < S; ++s) out.d[s] += gpow[t] * D[static_cast<size_t>(t) * S + s];

    // Backward: V_H = 0; Q_t from V_{t+1}; V_t = Σ_a π Q_t.
    out.V_t.resize(H, S);
    std::vector<double> v_next(S, 0.0), v(S);
    for (int t = H - 1; t >= 0; --t) {
      throw_if_cancelled(cancel);
      q_from_v(w, v_next.data(), q.data());
      const double* dt = D.data() + static_cast<size_t>(t) * S;
      for (int s = 0; s < S; ++s) {
        double vs = 0.0;
        const double c = gpow[t] * dt[s];
        for (int a = 0; a < A; ++a) {
          const double qsa = q[static_cast<size_t>(s) * A + a];
          vs += pi(s, a) * qsa;
          weight[static_cast<size_t>(s) * A + a] += c * qsa;
        }
        v[s] = w.live[s] ? vs : 0.0;
        out.V_t(t, s) = v[s];
      }
      v.swap(v_next);
    }
    // q holds Q_0 and v_next holds V_0.
    out.V = Eigen::Map<const Eigen::VectorXd>(v_next.data(), S);
  } else {
    const Eigen::SparseMatrix<double> M = discounted_system(w, pi);
    out.V = ValueSystem(w, M).solve(policy_reward(w, pi));
    for (int s = 0; s < S; ++s)
      if (!w.live[s]) out.V[s] = 0.0;
    q_from_v(w, out.V.data(), q.data());
    const Eigen::SparseMatrix<double> Mt = M.transpose();
    out.d = solve_transposed(w, Mt, live_start(w));
    for (int s = 0; s < S; ++s)
      if (!w.live[s]) out.d[s] = 0.0;
    for (int s = 0; s < S; ++s)
      for (int a = 0; a < A; ++a)
        weight[static_cast<size_t>(s) * A + a] = out.d[s] * q[static_cast<size_t>(s) * A + a];
  }

  out.Q.resize(S, A);
  for (int s = 0; s < S; ++s)
    for (int a = 0; a < A; ++a) out.Q(s, a) = q[static_cast<size_t>(s) * A + a];
  out.J = 0.0;
  for (int s = 0; s < S; ++s) out.J += w.start[s] * out.V[s];

  // One add_grad_log_prob call per (s, a) that carries weight: a backward pass each, the most of
  // this function's time for a large network (8 hidden layers of 1024 on four-rooms: 13 s, where
  // a Ctrl+C waited for all of it), so the flag is polled per state.
  out.gradient = Eigen::VectorXd::Zero(policy.num_params());
  StateObs view(env, policy);
  for (int s = 0; s < S; ++s) {
    throw_if_cancelled(cancel);
    if (!w.live[s]) continue;
    bool any = false;
    for (int a = 0; a < A; ++a) any |= weight[static_cast<size_t>(s) * A + a] != 0.0;
    if (!any) continue;
    const ObsRef o = view.obs(w.obs[s]);
    for (int a = 0; a < A; ++a) {
      const double scale = pi(s, a) * weight[static_cast<size_t>(s) * A + a];
      if (scale != 0.0) policy.add_grad_log_prob(o, a, scale, out.gradient);
    }
  }
  return out;
}

double exact_J(const Env& env, const Policy& policy) {
  return exact_J(env, policy, env.step_limit());
}

double exact_J(const Env& env, const Policy& policy, int horizon) {
  if (dynamic_cast<const ContinuousBandit*>(&env)) return exact_evaluate(env, policy, horizon).J;
  const int H = resolve_horizon(horizon);
  const World w = flatten(env);
  const Eigen::MatrixXd pi = policy_probs(w, env, policy);
  std::vector<double> v(w.S, 0.0);
  if (H > 0) {
    std::vector<double> v_next(w.S, 0.0), q(static_cast<size_t>(w.S) * w.A);
    for (int t = H - 1; t >= 0; --t) {
      q_from_v(w, v_next.data(), q.data());
      for (int s = 0; s < w.S; ++s) {
        double vs = 0.0;
        for (int a = 0; a < w.A; ++a) vs += pi(s, a) * q[static_cast<size_t>(s) * w.A + a];
        v[s] = w.live[s] ? vs : 0.0;
      }
      v.swap(v_next);
    }
    v.swap(v_next);
  } else {
    const Eigen::VectorXd V = ValueSystem(w, discounted_system(w, pi)).solve(policy_reward(w, pi));
    for (int s = 0; s < w.S; ++s) v[s] = w.live[s] ? V[s] : 0.0;
  }
  double J = 0.0;
  for (int s = 0; s < w.S; ++s) J += w.start[s] * v[s];
  return J;
}

Eigen::MatrixXd exact_fisher(const Env& env, const Policy& policy) {
  return exact_fisher(env, policy, env.step_limit());
}

Eigen::MatrixXd exact_fisher(const Env& env, const Policy& policy, int horizon) {
  const int P = policy.num_params();
  if (P > kMaxExactFisherParams)
    throw InputError("policy", "the dense Fisher matrix of " + std::to_string(P) +
                                   " parameters is too large; allowed: at most " +
                                   std::to_string(kMaxExactFisherParams) + " parameters");
  const int H = resolve_horizon(horizon);
  const World w = flatten(env);
  const Eigen::MatrixXd pi = policy_probs(w, env, policy);
  const Eigen::VectorXd d = discounted_visitation(w, pi, H);
  const double total = d.sum();
  Eigen::MatrixXd F = Eigen::MatrixXd::Zero(P, P);
  if (!(total > 0.0)) return F;

  // F += c · g gᵀ over the nonzero entries of g only: a tabular ∇log π touches one row of logits.
  StateObs view(env, policy);
  Eigen::VectorXd g(P);
  std::vector<int> nz;
  nz.reserve(P);
  for (int s = 0; s < w.S; ++s) {
    if (!w.live[s] || d[s] == 0.0) continue;
    const ObsRef o = view.obs(w.obs[s]);
    for (int a = 0; a < w.A; ++a) {
      const double c = d[s] * pi(s, a) / total;
      if (c == 0.0) continue;
      g.setZero();
      policy.add_grad_log_prob(o, a, 1.0, g);
      nz.clear();
      for (int i = 0; i < P; ++i)
        if (g[i] != 0.0) nz.push_back(i);
      for (int j : nz) {
        const double cj = c * g[j];
        for (int i : nz) F(i, j) += cj * g[i];
      }
    }
  }
  // (c g_j) g_i and (c g_i) g_j round differently; averaging with the transpose makes F exactly
  // symmetric, which eigen-solvers and Cholesky downstream rely on.
  const Eigen::MatrixXd Ft = F.transpose();
  F = 0.5 * (F + Ft);
  return F;
}

}  // namespace pg
