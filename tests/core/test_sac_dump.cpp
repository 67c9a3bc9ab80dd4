// SAC's batch dump (core/io/dump_sac.h, README "Batch dump" › SAC) recomputed from the JSON
// alone: the last update's last gradient step — the target y and its terms r, γQ′, −γα log π′ from
// the dumped θ, target critics and α; Q_φ(s,a) and the critic losses; a tabular critic's fit; the
// actor's terms, objective and (tabular) gradient; α after the step — each to 1e-9. Tabular
// (sac-gridworld: twin critics with targets, and a single critic without targets, α tuned) and
// MLP (sac-cartpole, features in the buffer). And the inspector's decomposition: its critic
// columns against a naive target, its derivation's sums against its own columns. And the Replay
// view's report (lab/replay_report.h) against counts and an RMS taken by hand.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <functional>
#include <vector>

#include "critic/q_function.h"
#include "env/env.h"
#include "env/tabular_model.h"
#include "exact/exact.h"
#include "io/batch_dump.h"
#include "lab/replay_report.h"
#include "policy/policy.h"
#include "session/session.h"
#include "util/rng.h"

namespace pg {

namespace {

using json = nlohmann::json;
using Vec = std::vector<double>;

constexpr double kTol = 1e-9;

// A layered network from the dump: tanh hidden layers, a linear last layer.
Vec forward(const json& layers, Vec x) {
  for (size_t l = 0; l < layers.size(); ++l) {
    const json& W = layers[l].at("W");
    const json& b = layers[l].at("b");
    Vec y(b.size());
    for (size_t r = 0; r < b.size(); ++r) {
      double z = b[r].get<double>();
      for (size_t c = 0; c < x.size(); ++c) z += W[r][c].get<double>() * x[c];
      y[r] = l + 1 < layers.size() ? std::tanh(z) : z;
    }
    x = y;
  }
  return x;
}

Vec obs_of(const json& o) {
  return o.get<Vec>();
}

// Q(o,·) of a dumped critic: a table row (tabular [o]) or the network's outputs.
Vec q_of(const json& q, const json& o) {
  if (q.at("kind") == "tabular") return q.at("table")[o[0].get<int>()].get<Vec>();
  return forward(q.at("layers"), obs_of(o));
}

// min(Q₁, Q₂)(o,·), Q₁ alone when q2 is null.
Vec min_q(const json& q1, const json& q2, const json& o) {
  Vec q = q_of(q1, o);
  if (!q2.is_null()) {
    const Vec q_2 = q_of(q2, o);
    for (size_t a = 0; a < q.size(); ++a) q[a] = std::min(q[a], q_2[a]);
  }
  return q;
}

// π(·|o) of the dumped policy: softmax of its logits row or network outputs.
Vec pi_of(const json& policy, const json& o) {
  Vec z = policy.contains("logits") ? policy.at("logits")[o[0].get<int>()].get<Vec>()
                                    : forward(policy.at("layers"), obs_of(o));
  double m = z[0];
  for (double v : z) m = std::max(m, v);
  double sum = 0.0;
  for (double& v : z) sum += (v = std::exp(v - m));
  for (double& v : z) v /= sum;
  return z;
}

// The parts of a dump's SAC step (algorithm.update) both checks read.
struct DumpedStep {
  const json& alg;
  const json& u;
  double gamma, alpha;
  const json &pol, &q1, &q2;
  const json &b1, &b2;  // the bootstrap: the target copies, or the critics without targets
  const json &smp, &tg;
  int B;
};

DumpedStep read_step(const json& d) {
  const json& alg = d.at("algorithm");
  const json& u = alg.at("update");
  const bool targets = alg.at("target_network").get<bool>();
  return {alg,
          u,
          d.at("gamma").get<double>(),
          u.at("alpha").get<double>(),
          u.at("policy"),
          u.at("q1"),
          u.at("q2"),
          targets ? u.at("target1") : u.at("q1"),
          targets ? u.at("target2") : u.at("q2"),
          u.at("sample"),
          u.at("targets"),
          static_cast<int>(u.at("sample").at("slot").size())};
}

// α after the step (fixed, or log α ← log α − alpha_lr (H̄ − target entropy), H̄ recomputed) and
// the update's sample ages (the last B are this step's sample's, each within [0, iteration]).
void check_alpha_and_ages(const DumpedStep& st, double H) {
  const json &alg = st.alg, &u = st.u;
  const double next =
      alg.at("alpha_mode") == "auto"
          ? std::exp(std::log(st.alpha) - alg.at("alpha_lr").get<double>() *
                                              (H - alg.at("target_entropy").get<double>()))
          : st.alpha;
  EXPECT_NEAR(u.at("alpha_next").get<double>(), next, kTol * std::max(1.0, next));
  EXPECT_EQ(alg.at("alpha").get<double>(), u.at("alpha_next").get<double>());
  const json& ages = u.at("sample_ages");
  ASSERT_EQ(ages.size(), static_cast<size_t>(st.B * alg.at("gradient_steps").get<int>()));
  for (int b = 0; b < st.B; ++b) {
    const int age = st.smp.at("age")[b];
    EXPECT_EQ(ages[ages.size() - st.B + b].get<int>(), age);
    EXPECT_GE(age, 0);
    EXPECT_LE(age, u.at("iteration").get<int>());
  }
}

// Checks the dumped step of `d` against the recomputation; tabular adds the fit and the gradient.
void check_dump(const json& d) {
  ASSERT_EQ(d.at("algorithm").at("name"), "sac");
  ASSERT_FALSE(d.at("algorithm").at("update").is_null()) << "no gradient step taken";
  const auto& [alg, u, gamma, alpha, pol, q1, q2, b1, b2, smp, tg, B] = read_step(d);
  ASSERT_EQ(B, alg.at("batch_size").get<int>());
  const bool tabular = pol.contains("logits");
  double loss1 = 0.0, loss2 = 0.0;
  int terminal = 0;
  Vec y(B);
  for (int b = 0; b < B; ++b) {
    const json& next = smp.at("next_obs")[b];
    double gq = 0.0, ent = 0.0;
    if (!smp.at("terminated")[b].get<bool>()) {
      const Vec p = pi_of(pol, next), q = min_q(b1, b2, next);
      for (size_t a = 0; a < p.size(); ++a) {
        gq += gamma * p[a] * q[a];
        ent -= gamma * alpha * p[a] * std::log(p[a]);
      }
    } else {
      ++terminal;
    }
    // y = r + γ (1 − terminated) Σ_a′ π(a′|s′) [Q̄(s′,a′) − α log π(a′|s′)]
    y[b] = smp.at("rewards")[b].get<double>() + gq + ent;
    EXPECT_EQ(tg.at("r")[b].get<double>(), smp.at("rewards")[b].get<double>());
    EXPECT_NEAR(tg.at("gamma_q_next")[b].get<double>(), gq, kTol) << b;
    EXPECT_NEAR(tg.at("entropy_next")[b].get<double>(), ent, kTol) << b;
    EXPECT_NEAR(tg.at("y")[b].get<double>(), y[b], kTol) << b;
    const json& o = smp.at("obs")[b];
    const int a = smp.at("actions")[b];
    const double qa1 = q_of(q1, o)[a];
    EXPECT_NEAR(u.at("critic").at("q1_sa")[b].get<double>(), qa1, kTol) << b;
    loss1 += 0.5 * (qa1 - y[b]) * (qa1 - y[b]) / B;
    if (!q2.is_null()) {
      const double qa2 = q_of(q2, o)[a];
      loss2 += 0.5 * (qa2 - y[b]) * (qa2 - y[b]) / B;
    }
  }
  EXPECT_NEAR(u.at("critic").at("q1_loss").get<double>(), loss1, kTol);
  EXPECT_NEAR(u.at("critic").at("q2_loss").get<double>(), loss2, kTol);
  EXPECT_GT(loss1, 1e-8);  // the critic has something to learn: the check is not 0 = 0

  if (tabular) {
    // Each visited entry moves critic.lr of the way to its minibatch's mean target.
    const double lr = alg.at("critic").at("lr");
    const int A = pol.at("num_actions");
    std::vector<double> sum(q1.at("table").size() * A, 0.0);
    std::vector<int> count(sum.size(), 0);
    for (int b = 0; b < B; ++b) {
      const int e = smp.at("obs")[b][0].get<int>() * A + smp.at("actions")[b].get<int>();
      sum[e] += y[b];
      ++count[e];
    }
    for (size_t e = 0; e < sum.size(); ++e) {
      const double before = q1.at("table")[e / A][e % A];
      const double after = u.at("q1_after").at("table")[e / A][e % A];
      EXPECT_NEAR(after, count[e] ? before + lr * (sum[e] / count[e] - before) : before, kTol) << e;
    }
  }

  // Actor: J = (1/B) Σ_b Σ_a π(a|s_b) [Q(s_b,a) − α log π(a|s_b)], Q = min(Q₁, Q₂) after the fit;
  // tabular ∂J/∂θ[o,k] = (1/B) Σ_{b: o_b = o} π_k (Q_k − α log π_k − V_soft).
  const json& act = u.at("actor");
  const json &a1 = u.at("q1_after"), &a2 = u.at("q2_after");
  double J = 0.0, H = 0.0;
  Vec g(tabular ? pol.at("logits").size() * pol.at("num_actions").get<size_t>() : 0, 0.0);
  for (int b = 0; b < B; ++b) {
    const json& o = smp.at("obs")[b];
    const Vec p = pi_of(pol, o), q = min_q(a1, a2, o);
    double eq = 0.0, elogp = 0.0;
    for (size_t a = 0; a < p.size(); ++a) {
      eq += p[a] * q[a];
      elogp += p[a] * std::log(p[a]);
    }
    EXPECT_NEAR(act.at("q")[b].get<double>(), eq, kTol) << b;
    EXPECT_NEAR(act.at("entropy_term")[b].get<double>(), -alpha * elogp, kTol) << b;
    J += (eq - alpha * elogp) / B;
    H -= elogp / B;
    if (tabular) {
      const double v = eq - alpha * elogp;
      for (size_t k = 0; k < p.size(); ++k)
        g[o[0].get<int>() * p.size() + k] += p[k] * (q[k] - alpha * std::log(p[k]) - v) / B;
    }
  }
  EXPECT_NEAR(act.at("objective").get<double>(), J, kTol);
  EXPECT_NEAR(act.at("mean_entropy").get<double>(), H, kTol);
  if (tabular) {
    const json& dg = act.at("gradient");
    ASSERT_EQ(dg.size(), g.size());
    double norm = 0.0;
    for (size_t k = 0; k < g.size(); ++k) {
      EXPECT_NEAR(dg[k].get<double>(), g[k], kTol) << k;
      norm += g[k] * g[k];
    }
    EXPECT_GT(norm, 1e-12);
  }
  check_alpha_and_ages(read_step(d), H);
  (void)terminal;
}

json dump_after(Scenario s, int iterations) {
  Session session(s);
  EXPECT_TRUE(session.run_iterations(iterations)) << session.fault();
  EXPECT_TRUE(session.advance(Granularity::kEstimate));
  return batch_dump(session);
}

}  // namespace

TEST(SacDump, TabularTwinWithTargetsRecomputesFromTheFileAlone) {
  const json d = dump_after(load_scenario("sac-gridworld"), 6);
  check_dump(d);
  const json& u = d.at("algorithm").at("update");
  EXPECT_EQ(u.at("iteration"), 5);
  EXPECT_FALSE(u.at("target1").is_null());
  EXPECT_FALSE(u.at("q2").is_null());
  // Samples from earlier iterations: the update is off-policy.
  int old = 0;
  for (const auto& a : u.at("sample_ages")) old += a.get<int>() > 0;
  EXPECT_GT(old, 0);
}

TEST(SacDump, TabularSingleCriticTunedAlphaRecomputesFromTheFileAlone) {
  Scenario s = load_scenario("sac-gridworld");
  set_values(s, {{"sac.twin", false},
                 {"sac.target_network", false},
                 {"sac.alpha_mode", "auto"},
                 {"sac.alpha", 0.2},
                 {"sac.target_entropy", 0.5},
                 {"sac.alpha_lr", 0.05}});
  const json d = dump_after(s, 4);
  check_dump(d);
  const json& u = d.at("algorithm").at("update");
  EXPECT_TRUE(u.at("q2").is_null());
  EXPECT_TRUE(u.at("target1").is_null());
  EXPECT_NE(u.at("alpha_next").get<double>(), u.at("alpha").get<double>());
}

TEST(SacDump, MlpRecomputesFromTheFileAlone) {
  Scenario s = load_scenario("sac-cartpole");
  set_values(s, {{"policy.hidden", json::array({16})},
                 {"critic.hidden", json::array({16})},
                 {"sac.warmup", 64},
                 {"sac.gradient_steps", 3},
                 {"sac.batch_size", 32}});
  const json d = dump_after(s, 4);
  check_dump(d);
  EXPECT_EQ(d.at("algorithm").at("update").at("sample").at("obs")[0].size(), 4u);
}

// ---------------------------------------------------------------------------------------------
// Continuous actions (README "Batch dump" › SAC, continuous actions): the reparameterised samples
// a′ = a_θ(s′, ε′) and a = a_θ(s, ε) from the dumped θ and ε, the targets, Q_φ(s, a) and the
// losses, the actor's terms and objective, H̄ and α after the step, each to 1e-9 (relative to
// max(1, |value|)); the actor's gradient by central differences of the objective recomputed from
// the JSON (ε held fixed) along random directions.

double near_tol(double v) {
  return kTol * std::max(1.0, std::abs(v));
}

// log(1 − tanh² u) without cancellation: 2 (log 2 − |u| − log(1 + e^{−2|u|})).
double log1m_tanh2_ref(double u) {
  const double a = std::abs(u);
  return 2.0 * (std::log(2.0) - a - std::log1p(std::exp(-2.0 * a)));
}

// a_θ(s, ε) and log π(a|s) of a dumped Gaussian policy block (README: Batch dump with a Gaussian).
void reparam_ref(const json& pol, const Vec& obs, const Vec& eps, Vec& a, double& logp) {
  const size_t d = eps.size();
  Vec mu(d), ls(d);
  if (pol.contains("layers")) {
    const Vec out = forward(pol.at("layers"), obs);
    for (size_t i = 0; i < d; ++i) mu[i] = out[i];
    for (size_t i = 0; i < d; ++i)
      ls[i] = pol.at("log_std_kind") == "state-dependent" ? out[d + i]
                                                          : pol.at("log_std")[i].get<double>();
  } else {
    mu = pol.at("mean").get<Vec>();
    ls = pol.at("log_std").get<Vec>();
  }
  a.resize(d);
  logp = 0.0;
  for (size_t i = 0; i < d; ++i) {
    const double u = mu[i] + std::exp(ls[i]) * eps[i];
    logp += -0.5 * eps[i] * eps[i] - ls[i] - 0.5 * std::log(2.0 * M_PI);
    a[i] = u;
    if (pol.at("squash").get<bool>()) {
      const double lo = pol.at("low")[i], hi = pol.at("high")[i];
      a[i] = lo + (std::tanh(u) + 1.0) * 0.5 * (hi - lo);
      logp -= std::log(0.5 * (hi - lo)) + log1m_tanh2_ref(u);
    }
  }
}

// Q(s, a) of a dumped critic over continuous actions: its network on [features of s; a].
double q_sa_ref(const json& q, Vec obs, const Vec& a) {
  obs.insert(obs.end(), a.begin(), a.end());
  return forward(q.at("layers"), obs).at(0);
}

double min_q_sa_ref(const json& q1, const json& q2, const Vec& obs, const Vec& a) {
  const double v = q_sa_ref(q1, obs, a);
  return q2.is_null() ? v : std::min(v, q_sa_ref(q2, obs, a));
}

// The policy block with its network's layers (W row-major, then b, per layer) and, when
// state-independent, log σ, read from the flat θ (the dump's flattening).
json with_params(json pol, const Vec& theta) {
  size_t k = 0;
  if (pol.contains("layers"))
    for (json& layer : pol.at("layers")) {
      for (json& row : layer.at("W"))
        for (json& w : row) w = theta.at(k++);
      for (json& b : layer.at("b")) b = theta.at(k++);
    }
  else
    for (json& m : pol.at("mean")) m = theta.at(k++);
  if (pol.at("log_std_kind") == "state-independent")
    for (json& l : pol.at("log_std")) l = theta.at(k++);
  EXPECT_EQ(k, theta.size()) << "θ's length is the policy block's parameter count";
  return pol;
}

// The actor's objective (1/B) Σ_b [min Q(s_b, a_θ(s_b, ε_b)) − α log π(a_θ(s_b, ε_b)|s_b)].
double actor_objective_ref(const json& pol, const json& q1, const json& q2, const json& smp,
                           const json& eps, double alpha) {
  const size_t B = smp.at("obs").size();
  double J = 0.0;
  for (size_t b = 0; b < B; ++b) {
    Vec a;
    double lp = 0.0;
    const Vec o = smp.at("obs")[b].get<Vec>();
    reparam_ref(pol, o, eps[b].get<Vec>(), a, lp);
    J += (min_q_sa_ref(q1, q2, o, a) - alpha * lp) / static_cast<double>(B);
  }
  return J;
}

// θ flattened from a Gaussian policy block itself (layers or μ, then state-independent log σ).
Vec flat_theta(const json& pol) {
  Vec theta;
  if (pol.contains("layers"))
    for (const json& layer : pol.at("layers")) {
      for (const json& row : layer.at("W"))
        for (const json& w : row) theta.push_back(w);
      for (const json& b : layer.at("b")) theta.push_back(b);
    }
  else
    for (const json& m : pol.at("mean")) theta.push_back(m);
  if (pol.at("log_std_kind") == "state-independent")
    for (const json& l : pol.at("log_std")) theta.push_back(l);
  return theta;
}

// g against central differences of J along three random unit directions v: (J(θ + hv) −
// J(θ − hv)) / 2h against g·v. h = 1e-5: truncation ≈ h²·|J‴| ≈ 1e-10, rounding ≈ 1e-16·|J|/h ≈
// 1e-10 for |J| ≈ 10; kFdTol = 1e-6 relative to max(|g·v|, 1e-3), measured ≤ 5.0e-10.
void expect_gradient_of(const std::function<double(const Vec&)>& J, const Vec& theta, const Vec& g,
                        const char* what) {
  ASSERT_EQ(g.size(), theta.size()) << what;
  const double kFdTol = 1e-6, h = 1e-5;
  Rng rng = Rng::stream(5, 0, 0, Purpose::kLab);
  for (int k = 0; k < 3; ++k) {
    Vec v(theta.size());
    double norm = 0.0;
    for (double& x : v) {
      x = rng.normal();
      norm += x * x;
    }
    Vec tp = theta, tm = theta;
    double gv = 0.0;
    for (size_t i = 0; i < v.size(); ++i) {
      v[i] /= std::sqrt(norm);
      tp[i] += h * v[i];
      tm[i] -= h * v[i];
      gv += g[i] * v[i];
    }
    const double fd = (J(tp) - J(tm)) / (2 * h);
    EXPECT_LE(std::abs(fd - gv), kFdTol * std::max(std::abs(gv), 1e-3))
        << what << ", direction " << k << ": fd " << fd << ", g·v " << gv;
    std::printf("%s along direction %d: g·v %.10g, central difference relative %.2e\n", what, k, gv,
                std::abs(fd - gv) / std::max(std::abs(gv), 1e-3));
  }
}

void check_continuous_estimate(const json& d);

void check_continuous_dump(const json& d) {
  ASSERT_EQ(d.at("algorithm").at("name"), "sac");
  ASSERT_FALSE(d.at("algorithm").at("update").is_null()) << "no gradient step taken";
  const auto& [alg, u, gamma, alpha, pol, q1, q2, b1, b2, smp, tg, B] = read_step(d);
  ASSERT_EQ(B, alg.at("batch_size").get<int>());
  ASSERT_EQ(pol.at("kind"), "gaussian");
  ASSERT_GT(q1.at("action_dim").get<int>(), 0);
  double loss1 = 0.0, loss2 = 0.0;
  for (int b = 0; b < B; ++b) {
    // a′ = a_θ(s′, ε′); y = r + γ (1 − terminated) [min Q̄(s′, a′) − α log π(a′|s′)]
    const Vec next = smp.at("next_obs")[b].get<Vec>();
    Vec a_next;
    double lp_next = 0.0;
    reparam_ref(pol, next, u.at("eps_next")[b].get<Vec>(), a_next, lp_next);
    const Vec dumped_next = u.at("next_actions")[b].get<Vec>();
    ASSERT_EQ(dumped_next.size(), a_next.size());
    for (size_t i = 0; i < a_next.size(); ++i)
      EXPECT_NEAR(dumped_next[i], a_next[i], near_tol(a_next[i])) << b;
    const bool live = !smp.at("terminated")[b].get<bool>();
    const double gq = live ? gamma * min_q_sa_ref(b1, b2, next, a_next) : 0.0;
    const double ent = live ? -gamma * alpha * lp_next : 0.0;
    const double r = smp.at("rewards")[b].get<double>();
    EXPECT_EQ(tg.at("r")[b].get<double>(), r);
    EXPECT_NEAR(tg.at("gamma_q_next")[b].get<double>(), gq, near_tol(gq)) << b;
    EXPECT_NEAR(tg.at("entropy_next")[b].get<double>(), ent, near_tol(ent)) << b;
    const double y = r + gq + ent;
    EXPECT_NEAR(tg.at("y")[b].get<double>(), y, near_tol(y)) << b;
    // Q_φ(s, a) for the action the buffer keeps; the losses ½ (1/B) Σ (Q − y)².
    const Vec o = smp.at("obs")[b].get<Vec>(), a = smp.at("actions")[b].get<Vec>();
    const double qa1 = q_sa_ref(q1, o, a);
    EXPECT_NEAR(u.at("critic").at("q1_sa")[b].get<double>(), qa1, near_tol(qa1)) << b;
    loss1 += 0.5 * (qa1 - y) * (qa1 - y) / B;
    if (!q2.is_null()) {
      const double qa2 = q_sa_ref(q2, o, a);
      EXPECT_NEAR(u.at("critic").at("q2_sa")[b].get<double>(), qa2, near_tol(qa2)) << b;
      loss2 += 0.5 * (qa2 - y) * (qa2 - y) / B;
    }
  }
  EXPECT_NEAR(u.at("critic").at("q1_loss").get<double>(), loss1, near_tol(loss1));
  EXPECT_NEAR(u.at("critic").at("q2_loss").get<double>(), loss2, near_tol(loss2));
  EXPECT_GT(loss1, 1e-8);  // the critic has something to learn: the check is not 0 = 0

  // Actor, with the critics after their fit.
  const json& act = u.at("actor");
  const json &a1 = u.at("q1_after"), &a2 = u.at("q2_after");
  double J = 0.0, H = 0.0;
  for (int b = 0; b < B; ++b) {
    const Vec o = smp.at("obs")[b].get<Vec>();
    Vec a;
    double lp = 0.0;
    reparam_ref(pol, o, u.at("eps")[b].get<Vec>(), a, lp);
    const Vec dumped = act.at("actions")[b].get<Vec>();
    for (size_t i = 0; i < a.size(); ++i) EXPECT_NEAR(dumped[i], a[i], near_tol(a[i])) << b;
    const double q = min_q_sa_ref(a1, a2, o, a);
    EXPECT_NEAR(act.at("q")[b].get<double>(), q, near_tol(q)) << b;
    EXPECT_NEAR(act.at("entropy_term")[b].get<double>(), -alpha * lp, near_tol(alpha * lp)) << b;
    J += (q - alpha * lp) / B;
    H -= lp / B;
  }
  EXPECT_NEAR(act.at("objective").get<double>(), J, near_tol(J));
  EXPECT_NEAR(act.at("mean_entropy").get<double>(), H, near_tol(H));
  EXPECT_NEAR(J, actor_objective_ref(pol, a1, a2, smp, u.at("eps"), alpha), near_tol(J));

  // ∇θ J by central differences (expect_gradient_of).
  const Vec g = act.at("gradient").get<Vec>();
  const Vec theta = flat_theta(pol);
  ASSERT_EQ(g.size(), theta.size());
  expect_gradient_of(
      [&](const Vec& t) {
        return actor_objective_ref(with_params(pol, t), a1, a2, smp, u.at("eps"), alpha);
      },
      theta, g, "actor gradient");
  check_alpha_and_ages(read_step(d), H);

  // The critics the estimate used are the ones after the last fit.
  EXPECT_EQ(alg.at("estimate_critics").at("q1"), a1);
  EXPECT_EQ(alg.at("estimate_critics").at("q2"), a2);
  check_continuous_estimate(d);
}

// The estimate's ĝ from the file alone (README "SAC (continuous actions)"): at θ_old (the dump's
// policy), with the critics and α the estimate read (algorithm.estimate_critics), at one εₜ per
// batch step.
void check_continuous_estimate(const json& d) {
  const json& alg = d.at("algorithm");
  const json& critics = alg.at("estimate_critics");
  const json &a1 = critics.at("q1"), &a2 = critics.at("q2");
  const json& eps_t = alg.at("estimate_eps");
  json states = json::array();
  std::vector<const json*> v_hat;  // the decomposition's V̂(sₜ), step by step
  for (const json& tr : d.at("trajectories")) {
    for (const json& o : tr.at("obs")) states.push_back(o);
    for (const json& v : tr.at("decomposition").at("V̂(sₜ)")) v_hat.push_back(&v);
  }
  ASSERT_EQ(eps_t.size(), states.size());
  ASSERT_EQ(v_hat.size(), states.size());
  const json batch_states = {{"obs", states}};
  const json& pol_old = d.at("policy");
  const double alpha_now = critics.at("alpha").get<double>();
  for (size_t k = 0; k < states.size(); ++k) {
    Vec a;
    double lp = 0.0;
    const Vec o = states[k].get<Vec>();
    reparam_ref(pol_old, o, eps_t[k].get<Vec>(), a, lp);
    const double v = min_q_sa_ref(a1, a2, o, a) - alpha_now * lp;
    EXPECT_NEAR(v_hat[k]->get<double>(), v, near_tol(v)) << "step " << k;
  }
  expect_gradient_of(
      [&](const Vec& t) {
        return actor_objective_ref(with_params(pol_old, t), a1, a2, batch_states, eps_t, alpha_now);
      },
      flat_theta(pol_old), d.at("gradient").get<Vec>(), "estimate ĝ");
}

TEST(SacDump, ContinuousRecomputesFromTheFileAlone) {
  // sac-pendulum (twin critics with targets, state-dependent log σ, tanh squash, α tuned) with
  // small networks and batches, after three updates.
  Scenario s = load_scenario("sac-pendulum");
  set_values(s, {{"policy.hidden", json::array({8})},
                 {"critic.hidden", json::array({8})},
                 {"sac.warmup", 64},
                 {"sac.gradient_steps", 2},
                 {"sac.batch_size", 16}});
  const json d = dump_after(s, 5);
  check_continuous_dump(d);
  // At an iteration boundary the batch and ĝ are still on show but the update has refitted the
  // critics (and tuned α): ĝ recomputes from the estimate's critics, not the current ones.
  {
    Session b(s);
    ASSERT_TRUE(b.run_iterations(5));
    const json db = batch_dump(b);
    ASSERT_FALSE(db.at("algorithm").at("update").is_null());
    EXPECT_NE(db.at("algorithm").at("estimate_critics").at("q1"),
              db.at("algorithm").at("update").at("q1_after"));
    check_continuous_estimate(db);
  }
  // A copy dumps the same (the window exports a snapshot's copy of the session).
  {
    Session original(s);
    ASSERT_TRUE(original.run_iterations(5));
    ASSERT_TRUE(original.advance(Granularity::kEstimate));
    const Session copy(original);
    EXPECT_EQ(batch_dump(copy).at("algorithm").at("estimate_eps"),
              batch_dump(original).at("algorithm").at("estimate_eps"));
  }
  // And with a state-independent log σ, a single critic, no targets and α fixed.
  set_values(s, {{"policy.log_std", "state-independent"},
                 {"sac.twin", false},
                 {"sac.target_network", false},
                 {"sac.alpha_mode", "fixed"}});
  check_continuous_dump(dump_after(s, 5));
}

TEST(SacDump, BeforeTheFirstUpdateTheStepIsNull) {
  const json d = dump_after(load_scenario("sac-gridworld"), 1);  // warmup 128 > 64 steps
  EXPECT_TRUE(d.at("algorithm").at("update").is_null());
  EXPECT_EQ(d.at("algorithm").at("buffer").at("size"), 64);
}

// Before the first update the estimate reads the initial critics, which only algorithm.critics
// holds (update is null): ĝ still recomputes from the file alone (it did not: no critic was
// written).
TEST(SacDump, ContinuousBeforeTheFirstUpdateRecomputesFromTheInitialCritics) {
  Scenario s = load_scenario("sac-pendulum");
  set_values(s, {{"policy.hidden", json::array({8})}, {"critic.hidden", json::array({8})}});
  const json d = dump_after(s, 2);  // 64 of the 1000 warm-up transitions
  ASSERT_TRUE(d.at("algorithm").at("update").is_null());
  ASSERT_FALSE(d.at("algorithm").at("estimate_critics").at("q1").is_null());
  double g2 = 0.0;
  for (double g : d.at("gradient").get<Vec>()) g2 += g * g;
  ASSERT_GT(g2, 0.0);  // the initial critics give a gradient: the check is not 0 = 0
  check_continuous_estimate(d);
}

TEST(SacDecomposition, CriticColumnsAreTheTargetAndTheDerivationHolds) {
  Session session(load_scenario("sac-gridworld"));
  ASSERT_TRUE(session.run_iterations(5));
  ASSERT_TRUE(session.advance(Granularity::kEstimate));
  StepDecomposition d;
  session.algorithm().decompose(
      {session.batch(), session.last_estimate(), session.behaviour_policy(), session.policy(),
       session.env().gamma()},
      d);
  auto col = [&](const std::string& symbol) {
    for (int k = 0; k < d.num_pieces(); ++k)
      if (d.pieces[k].symbol == symbol) return k;
    ADD_FAILURE() << "no column " << symbol;
    return 0;
  };
  // rₜ is the inspector ledger's own column: a piece of that name showed it twice.
  for (const PieceInfo& p : d.pieces) EXPECT_NE(p.symbol, "rₜ");
  const int gq = col("γQ̄′"), ge = col("−γα log π′"), y = col("yₜ"), td = col("Q − yₜ"),
            q = col("Q(sₜ,aₜ)"), ent = col("α log π(aₜ|sₜ)"), v = col("V_soft(sₜ)");
  ASSERT_EQ(d.pieces.back().symbol, "wₜ");
  // w does not sum to ĝ here, and the piece's own meaning says so (the dump prints it).
  EXPECT_FALSE(d.sums_to_gradient);
  EXPECT_NE(d.pieces.back().meaning.find("is not ĝ: " + d.why_not_gradient), std::string::npos)
      << d.pieces.back().meaning;
  ASSERT_GE(d.derivation.size(), 2u);
  EXPECT_NE(d.derivation[0].find("critic: yₜ = rₜ + γQ̄′ + (−γα log π′)"), std::string::npos);
  const ReplayRecord rec = session.algorithm().replay_record();
  const Policy& pi = session.behaviour_policy();
  const TabularModel& m = *session.env().model();
  const double gamma = session.env().gamma();
  const int A = pi.num_actions();
  int checked = 0;
  for (int i = 0; i < session.batch().size(); ++i) {
    const Trajectory& tr = session.batch().trajectories[i];
    for (int t = 0; t < tr.length(); ++t) {
      // The derivation's two lines, on the decomposition's own numbers.
      EXPECT_NEAR(d.value(i, t, y), tr.rewards[t] + d.value(i, t, gq) + d.value(i, t, ge), 1e-12);
      EXPECT_NEAR(d.value(i, t, td), d.value(i, t, q) - d.value(i, t, y), 1e-12);
      EXPECT_NEAR(d.weight(i, t), d.value(i, t, q) - d.value(i, t, ent) - d.value(i, t, v), 1e-12);
      // γQ̄′ and −γα log π′ from the definitions: s′ = s_{t+1}, or the final state.
      const bool last = t + 1 == tr.length();
      double naive_q = 0.0, naive_e = 0.0;
      if (!(last && tr.terminated)) {
        const int o = last ? m.obs_of_state(tr.final_state) : tr.obs_index[t + 1];
        std::vector<double> p(A), q1(A), q2(A);
        pi.probs(ObsRef{o, nullptr}, p.data());
        rec.target1->q_values(ObsRef{o, nullptr}, q1.data());
        rec.target2->q_values(ObsRef{o, nullptr}, q2.data());
        for (int a = 0; a < A; ++a) {
          naive_q += gamma * p[a] * std::min(q1[a], q2[a]);
          naive_e -= gamma * rec.alpha * p[a] * std::log(p[a]);
        }
      }
      EXPECT_NEAR(d.value(i, t, gq), naive_q, 1e-12) << i << " " << t;
      EXPECT_NEAR(d.value(i, t, ge), naive_e, 1e-12) << i << " " << t;
      checked += naive_q != 0.0;
    }
  }
  EXPECT_GT(checked, 10);
  // The dump carries the same columns.
  const json dump = batch_dump(session);
  EXPECT_TRUE(dump.at("trajectories")[0].at("decomposition").contains("yₜ"));
}

TEST(ReplayReport, CountsAgesAndQAgainstExact) {
  Session session(load_scenario("sac-gridworld"));
  ASSERT_TRUE(session.run_iterations(8));
  const ReplayReport r = analyse_replay(session, 0);
  ASSERT_TRUE(r.applies);
  const ReplayRecord rec = session.algorithm().replay_record();
  EXPECT_EQ(r.size, 8 * 64);
  // Ages: the buffer holds 64 transitions of each of iterations 0..7, so 8 equal bars.
  ASSERT_EQ(r.buffer_age_count.size(), 8u);
  for (int n : r.buffer_age_count) EXPECT_EQ(n, 64);
  EXPECT_DOUBLE_EQ(r.buffer_age_mean, 3.5);
  int sampled = 0;
  for (int n : r.sample_age_count) sampled += n;
  EXPECT_EQ(sampled, 8 * 64);  // sac.gradient_steps × sac.batch_size
  EXPECT_EQ(r.last_update, 7);
  // Coverage: every stored transition counted once, at its observation.
  double total = 0;
  for (double n : r.obs_count) total += n;
  EXPECT_EQ(total, r.size);
  // Q_φ = min(Q₁, Q₂) against the exact Q^π (infinite horizon), RMS by hand.
  ASSERT_TRUE(r.has_exact) << r.exact_why_not;
  const ExactResult ex = exact_evaluate(session.env(), session.policy(), 0);
  const TabularModel& m = *session.env().model();
  const int A = session.env().num_actions();
  double sq = 0;
  int n = 0;
  std::vector<double> q1(A), q2(A);
  for (int st = 0; st < m.num_states(); ++st) {
    if (m.terminal(st)) continue;
    rec.q1->q_values(ObsRef{m.obs_of_state(st), nullptr}, q1.data());
    rec.q2->q_values(ObsRef{m.obs_of_state(st), nullptr}, q2.data());
    for (int a = 0; a < A; ++a, ++n) {
      const double d = std::min(q1[a], q2[a]) - ex.Q(st, a);
      EXPECT_EQ(r.q_phi[n], std::min(q1[a], q2[a]));
      sq += d * d;
    }
  }
  EXPECT_EQ(static_cast<int>(r.q_phi.size()), n);
  EXPECT_NEAR(r.q_rms, std::sqrt(sq / n), 1e-15);
  EXPECT_GT(r.q_rms, 0.0);
  // Another algorithm: the report says what the view is for.
  Session reinforce(load_scenario("gridworld-reinforce"));
  const ReplayReport none = analyse_replay(reinforce, 0);
  EXPECT_FALSE(none.applies);
  EXPECT_NE(none.why_not.find("replay-based"), std::string::npos);
}

}  // namespace pg
