// Estimators for Python, the code the app runs (core/estimator, core/algo): REINFORCE's ĝ for any
// setting of DESIGN.md §3 with its credit ledger, advantages (MC, TD(0), n-step, GAE), importance
// weights and the off-policy estimate, the KL estimators, PPO's clipped objective and value loss,
// GRPO's group advantages. Trajectories come in the batch dump's layout (a list of dicts) and are
// checked here against the policy, so that no bad index reaches the core's asserts. Actions are
// discrete indices, or — for a Gaussian policy — each step's sample u (action_dim numbers, before
// any squashing or clipping), as the dump writes them.

#include "algo/grpo.h"
#include "algo/ppo.h"
#include "checks.h"
#include "critic/value_function.h"
#include "estimator/advantages.h"
#include "estimator/importance.h"
#include "estimator/kl.h"
#include "estimator/ledger.h"
#include "estimator/reinforce.h"
#include "exact/exact.h"
#include "py_env.h"
#include "py_policy.h"
#include "util/error.h"

namespace pgpy {

namespace {

// The ranges a trajectory's indices must lie in: the policy's actions and observations when it is
// known (Batch.from_trajectories(…, num_actions, num_obs); −1: not given, any int). action_dim > 0:
// the actions are continuous, action_dim numbers per step (a Gaussian policy's).
struct IndexLimits {
  int num_actions = -1, num_obs = -1, action_dim = 0;
  int64_t max_action() const { return num_actions > 0 ? num_actions - 1 : kMaxInt; }
  int64_t max_obs() const { return num_obs > 0 ? num_obs - 1 : kMaxInt; }
  static constexpr int64_t kMaxInt = std::numeric_limits<int>::max();
};

// A trajectory's per-step numbers (rewards, logp, features) as float64, each finite.
DArray finite_array(const py::handle& v, const std::string& what) {
  return finite_floats(v, what);
}

// Log-probabilities of sampled discrete actions (a trajectory's logp, PPO's logp_old): finite and
// ≤ 0, since a probability is at most 1 (a positive entry is a probability given where its log
// was wanted, or some other number). The slack admits log-probabilities computed in float32
// (PyTorch, a float32 softmax): a normalised probability there can come out one float32 ulp above
// 1, log(1 + 2⁻²³) ≈ 1.2e-7. With continuous actions (`density`) they are log-densities, which
// exceed 0 wherever the density exceeds 1 (a narrow Gaussian): finite is all that is asked.
constexpr double kLogpSlack = 1e-6;
void check_log_probs(const double* v, py::ssize_t n, const std::string& what,
                     bool density = false) {
  check_finite(v, n, what);
  if (density) return;
  for (py::ssize_t i = 0; i < n; ++i)
    if (v[i] > kLogpSlack)
      throw py::value_error(what + " value " + number_text(v[i]) + " at index " +
                            std::to_string(i) +
                            " is a log-probability above 0 (a probability above 1); allowed: "
                            "finite numbers <= 0 (log of a probability)");
}

// One trajectory of the dump's layout: obs ([o] or o per step for tabular policies, a feature row
// otherwise), actions, rewards, terminated, truncated; optional state (model state per step, for
// the exact-value baseline; tabular default: the observation index), logp (behaviour log π per
// step, for importance weights; or "behaviour_logp"), final_obs, cut (a segment's piece cut
// mid-episode: bootstrapped from V(s_T) as a truncation is). Indices are exact integers in
// range (checked_ints), numbers finite, flags bools: each refusal names the trajectory, the key
// and the step. Continuous actions (lim.action_dim > 0): one list of action_dim numbers per step,
// or one number per step when action_dim is 1.
pg::Trajectory trajectory_from(const py::dict& d, bool tabular, int i, const IndexLimits& lim) {
  pg::Trajectory tr;
  const std::string where = "trajectory " + std::to_string(i) + ": ";
  for (const char* key : {"obs", "actions", "rewards"})
    if (!d.contains(key)) throw py::value_error(where + "\"" + key + "\" is missing");
  std::vector<int64_t> actions;
  if (lim.action_dim > 0) {
    const int k = lim.action_dim;
    const DArray u = finite_array(d["actions"], where + "action");
    const bool flat = k == 1 && u.ndim() == 1;  // one number per step
    if (!flat && !(u.ndim() == 2 && u.shape(1) == k) && u.size() > 0)
      throw py::value_error(where + "continuous actions are " + std::to_string(k) +
                            " number(s) per step (a list of " + std::to_string(k) +
                            (k == 1 ? ", or a number" : "") + " per step); got an array of " +
                            std::to_string(u.ndim()) + " dimension(s) with " +
                            std::to_string(u.ndim() > 0 ? u.shape(u.ndim() - 1) : 1) + " per row");
    tr.action_dim = k;
    tr.act_u.assign(u.data(), u.data() + u.size());
    actions.assign(u.size() / k, -1);  // −1: continuous (trajectory.h)
  } else {
    // One action per step (a (T/2, 2) table was read flat as T actions).
    require_vector(py::module_::import("numpy").attr("asarray")(d["actions"]), where + "actions");
    actions = checked_ints(d["actions"], where + "action", 0, lim.max_action());
  }
  const DArray rewards = finite_array(d["rewards"], where + "reward");
  require_vector(rewards, where + "rewards");
  const int T = static_cast<int>(actions.size());
  const py::list obs = py::list(d["obs"]);
  if (static_cast<int>(obs.size()) != T || rewards.size() != T)
    throw py::value_error(where + "obs, actions and rewards must have the same length (" +
                          std::to_string(obs.size()) + ", " + std::to_string(T) + ", " +
                          std::to_string(rewards.size()) + ")");
  tr.obs_dim = 0;
  if (tabular) {
    py::array o = py::module_::import("numpy").attr("asarray")(obs);
    if (o.ndim() == 2 && o.shape(1) == 1) o = o.attr("reshape")(T);
    if (T > 0 && o.ndim() != 1)
      throw py::value_error(where + "tabular observations are one index per step ([o] or o)");
    for (int64_t x : checked_ints(o, where + "observation", 0, lim.max_obs()))
      tr.obs_index.push_back(static_cast<int>(x));
  } else {
    for (int t = 0; t < T; ++t) {
      const DArray row = finite_array(obs[t], where + "obs[" + std::to_string(t) + "]");
      if (t == 0) tr.obs_dim = static_cast<int>(row.size());
      if (row.size() != tr.obs_dim) throw py::value_error(where + "feature rows differ in length");
      tr.obs.insert(tr.obs.end(), row.data(), row.data() + row.size());
    }
    // No features (the continuous bandit's empty rows): the world's one observation, index 0, as
    // the sampler records it (a tabular critic reads it); with features there is no index.
    tr.obs_index.assign(T, T > 0 && tr.obs_dim == 0 ? 0 : -1);
  }
  for (int t = 0; t < T; ++t) {
    tr.actions.push_back(static_cast<int>(actions[t]));
    tr.rewards.push_back(rewards.data()[t]);
  }
  if (d.contains("state") && !d["state"].is_none()) {
    const std::vector<int64_t> s =
        checked_ints(d["state"], where + "state", 0, IndexLimits::kMaxInt);
    if (static_cast<int>(s.size()) != T)
      throw py::value_error(where + "state must have one entry per step");
    tr.state.assign(s.begin(), s.end());
  } else {
    tr.state = tr.obs_index;  // the observation's index where it has one (else −1)
  }
  // "behaviour_logp": the off-policy dump's name for the same. log b(a|s) of an action b took:
  // finite (−inf would be an action b could not take, and make ρ = ∞).
  const char* logp_key = d.contains("logp") ? "logp" : "behaviour_logp";
  if (d.contains(logp_key) && !d[logp_key].is_none()) {
    const DArray lp = finite_array(d[logp_key], where + logp_key);
    if (lp.size() != T) throw py::value_error(where + "logp must have one entry per step");
    check_log_probs(lp.data(), lp.size(), where + logp_key, lim.action_dim > 0);
    tr.logp.assign(lp.data(), lp.data() + T);
  }
  if (d.contains("final_obs") && !d["final_obs"].is_none() && !tabular) {
    const DArray f = finite_array(d["final_obs"], where + "final_obs");
    tr.final_obs.assign(f.data(), f.data() + f.size());
  }
  tr.terminated = d.contains("terminated") && checked_bool(d["terminated"], where + "terminated");
  tr.truncated = d.contains("truncated") && checked_bool(d["truncated"], where + "truncated");
  // A segment's piece cut mid-episode (A2C/PPO dumps): bootstrapped from V(s_T) like a truncation.
  tr.cut = d.contains("cut") && checked_bool(d["cut"], where + "cut");
  // How it ended decides V(s_T): 0 after a termination, the bootstrap value otherwise. An end no
  // flag states was read as terminated (final_values ignored; audit a12 F9): Gymnasium's
  // terminated=False, truncated=False at a rollout segment's end is a cut piece, not a terminal.
  if (!tr.terminated && !tr.truncated && !tr.cut)
    throw py::value_error(where +
                          "ends neither terminated, truncated nor cut; give \"terminated\": True "
                          "for an episode's end (V = 0 after it), \"truncated\": True for a time "
                          "limit or \"cut\": True for a piece cut mid-episode (both bootstrapped "
                          "from final_values)");
  return tr;
}

py::dict trajectory_dict(const pg::Trajectory& tr) {
  py::dict d;
  const int T = tr.length();
  if (tr.obs_dim > 0)
    d["obs"] = from_ptr(tr.obs.data(), {T, tr.obs_dim});
  else
    d["obs"] = from_ints(tr.obs_index).reshape({T, 1});
  if (tr.action_dim > 0)
    d["actions"] = from_ptr(tr.act_u.data(), {T, tr.action_dim});
  else
    d["actions"] = from_ints(tr.actions);
  d["rewards"] = from_std(tr.rewards);
  d["terminated"] = tr.terminated;
  d["truncated"] = tr.truncated;
  d["cut"] = tr.cut;
  d["state"] = from_ints(tr.state);
  d["logp"] = from_std(tr.logp);
  return d;
}

// Every index within what the policy (and the exact oracle's model, when given) can read.
void check_batch(const pg::Batch& b, const PyPolicy& p, const pg::ExactResult* exact = nullptr) {
  if (b.size() < 1) throw py::value_error("the batch has no trajectories");
  for (int i = 0; i < b.size(); ++i) {
    const pg::Trajectory& tr = b.trajectories[i];
    const std::string where = "trajectory " + std::to_string(i) + ": ";
    if (tr.length() < 1) throw py::value_error(where + "has no steps");
    const int k = p.get().action_dim();
    if (tr.action_dim != k)
      throw py::value_error(
          where +
          (tr.action_dim > 0
               ? "has continuous actions (" + std::to_string(tr.action_dim) + " per step)"
               : std::string("has discrete actions")) +
          "; the " + pg::name_of(p.get().kind()) + " policy takes " +
          (k > 0 ? std::to_string(k) + " number(s) per action" : std::string("action indices")));
    for (int t = 0; t < tr.length(); ++t) {
      if (k == 0 && (tr.actions[t] < 0 || tr.actions[t] >= p.get().num_actions()))
        throw py::value_error(where + "action " + std::to_string(tr.actions[t]) + " out of range");
      if (p.tabular() && (tr.obs_index[t] < 0 || tr.obs_index[t] >= p.num_obs()))
        throw py::value_error(where + "observation " + std::to_string(tr.obs_index[t]) +
                              " out of range for the tabular policy");
      if (exact && (tr.state[t] < 0 || tr.state[t] >= exact->V.size()))
        throw py::value_error(where + "state " + std::to_string(tr.state[t]) +
                              " out of range for the model (give \"state\" per step)");
    }
    if ((p.mlp() || p.gaussian()) && tr.obs_dim != p.obs_dim())
      throw py::value_error(where + "has " + std::to_string(tr.obs_dim) +
                            " features per step; the " + pg::name_of(p.get().kind()) +
                            " policy reads " + std::to_string(p.obs_dim()));
  }
}

pg::EstimatorConfig estimator_config(const std::string& returns, const std::string& baseline,
                                     bool normalize, bool discount_weighting) {
  pg::EstimatorConfig c;
  if (returns == pg::name_of(pg::Returns::kTotal))
    c.returns = pg::Returns::kTotal;
  else if (returns == pg::name_of(pg::Returns::kRewardToGo))
    c.returns = pg::Returns::kRewardToGo;
  else
    throw py::value_error("returns '" + returns + "' is unknown; allowed: total, reward-to-go");
  std::string allowed;
  bool found = false;
  for (pg::Baseline b : pg::all_baselines()) {
    if (!allowed.empty()) allowed += ", ";
    allowed += pg::name_of(b);
    if (baseline == pg::name_of(b)) {
      c.baseline = b;
      found = true;
    }
  }
  if (!found) throw py::value_error("baseline '" + baseline + "' is unknown; allowed: " + allowed);
  c.normalize = normalize;
  c.discount_weighting = discount_weighting;
  return c;
}

// What the exact-value and critic baselines read: the exact oracle of env at the policy (a finite
// world, or the continuous bandit with its Gaussian), and a tabular critic holding the given V per
// observation (a tabular policy's observations, or the one observation of a world without
// features: the continuous bandit's critic is tabular).
struct Sources {
  std::optional<pg::ExactResult> exact;
  std::unique_ptr<pg::TabularValue> critic;
  pg::BaselineSources get() const { return {exact ? &*exact : nullptr, critic.get()}; }
};

Sources sources_for(const pg::EstimatorConfig& c, const PyPolicy& p, const PyEnv* env,
                    const py::object& critic_values_arg) {
  Sources s;
  std::optional<DArray> critic_values;
  if (!critic_values_arg.is_none())
    critic_values = finite_floats(critic_values_arg, "critic_values");
  if (critic_values) require_vector(*critic_values, "critic_values");
  if (c.baseline == pg::Baseline::kExactValue) {
    if (!env) throw py::value_error("baseline exact-value needs env= (a finite world)");
    check_finite_world(p, *env->env, "the exact-value baseline", true);
    check_fits(p, *env->env);
    s.exact = pg::exact_evaluate(*env->env, p.get());
  }
  if (c.baseline == pg::Baseline::kCritic) {
    const int num_obs = p.tabular() ? p.num_obs() : (p.gaussian() && p.obs_dim() == 0 ? 1 : 0);
    if (!critic_values || num_obs == 0)
      throw py::value_error(
          "baseline critic needs critic_values= (V per observation, tabular worlds and the "
          "continuous bandit)");
    if (critic_values->size() != num_obs)
      throw py::value_error("critic_values needs one value per observation (" +
                            std::to_string(num_obs) + ")");
    s.critic = std::make_unique<pg::TabularValue>(num_obs, 1.0);
    s.critic->set_table(to_vec(*critic_values));
  }
  return s;
}

py::dict ledger_dict(const pg::BatchLedger& L) {
  const int M = static_cast<int>(L.steps.size());
  std::vector<double> cols[10];
  for (const pg::LedgerStep& s : L.steps) {
    const double v[10] = {s.reward,     s.reward_to_go, s.q_hat, s.baseline, s.advantage,
                          s.normalized, s.weight,       s.psi,   s.prob,     s.contribution_norm};
    for (int k = 0; k < 10; ++k) cols[k].push_back(v[k]);
  }
  const char* names[10] = {"reward",     "reward_to_go", "q_hat", "baseline", "advantage",
                           "normalized", "weight",       "psi",   "prob",     "contribution_norm"};
  py::dict d;
  for (int k = 0; k < 10; ++k) d[names[k]] = from_std(cols[k]);
  d["offset"] = from_ints(L.offset);
  d["probs"] = from_ptr(L.probs.data(), {M, L.num_actions});
  d["sum"] = from_vec(L.sum);
  d["residual"] = L.residual;
  d["gradient_norm"] = L.gradient_norm;
  return d;
}

// The steps of a batch as the batched policy calls read them: X (obs_dim × M; empty for tabular
// policies and a Gaussian without features), indices and actions (and u, M × action_dim, for
// continuous actions).
struct Steps {
  Eigen::MatrixXd X;
  std::vector<int> index, actions;
  std::vector<double> u;
  int action_dim = 0;
  pg::ActionsRef acts() const {
    return pg::ActionsRef(actions.data(), action_dim ? u.data() : nullptr, action_dim);
  }
};
Steps steps_of(const pg::Batch& b, const PyPolicy& p) {
  Steps s;
  const int M = b.num_steps();
  const int F = p.tabular() ? 0 : p.obs_dim();
  s.X.resize(F, F > 0 ? M : 0);
  s.action_dim = p.get().action_dim();
  int k = 0;
  for (const pg::Trajectory& tr : b.trajectories)
    for (int t = 0; t < tr.length(); ++t, ++k) {
      s.index.push_back(tr.obs_index[t]);
      s.actions.push_back(tr.actions[t]);
      const pg::ActRef a = tr.act_at(t);
      if (s.action_dim > 0) s.u.insert(s.u.end(), a.u, a.u + s.action_dim);
      for (int j = 0; j < F; ++j) s.X(j, k) = tr.obs[static_cast<size_t>(t) * tr.obs_dim + j];
    }
  return s;
}

// The batch with each trajectory's logp filled in from the policy where it is missing: the credit
// ledger shows a continuous action's density π(u|s) = exp(logp) (ledger.cpp), which the sampler
// records and a dump does not carry.
const pg::Batch& with_logp(const pg::Batch& b, const PyPolicy& p, pg::Batch& copy) {
  if (!p.gaussian()) return b;
  bool missing = false;
  for (const pg::Trajectory& tr : b.trajectories)
    missing |= static_cast<int>(tr.logp.size()) != tr.length();
  if (!missing) return b;
  copy = b;
  for (pg::Trajectory& tr : copy.trajectories) {
    if (static_cast<int>(tr.logp.size()) == tr.length()) continue;
    tr.logp.resize(tr.length());
    for (int t = 0; t < tr.length(); ++t) tr.logp[t] = p.get().log_prob(tr.obs_at(t), tr.act_at(t));
  }
  return copy;
}

// n finite numbers.
DArray checked(const py::handle& arg, py::ssize_t n, const char* what) {
  const DArray a = float_array(arg, what);
  require_vector(a, what);
  if (a.size() != n)
    throw py::value_error(std::string(what) + " needs " + std::to_string(n) + " values, got " +
                          std::to_string(a.size()));
  check_finite(a.data(), a.size(), what);
  return a;
}

// An elementwise result in the shape of the input: a float for a scalar (as NumPy's ufuncs).
py::object shaped(const py::array_t<double>& out) {
  if (out.ndim() == 0) return py::float_(out.data()[0]);
  return out;
}

// k(log r) elementwise. Every log r must be finite: NaN has no KL, and +inf or −inf (π or π_old
// gives the sampled action probability 0) makes KL(π_old ‖ π) infinite or the sample impossible.
// The three estimators refuse the same inputs (k3 alone returned 0 for NaN and ±inf before,
// through its max(0, ·)).
py::object kl_estimate(const py::handle& log_r_arg, double (*k)(double)) {
  const DArray log_r = finite_floats(log_r_arg, "log_r");
  py::array_t<double> out(std::vector<py::ssize_t>(log_r.shape(), log_r.shape() + log_r.ndim()));
  for (py::ssize_t i = 0; i < log_r.size(); ++i) out.mutable_data()[i] = k(log_r.data()[i]);
  return shaped(out);
}

// PPO's clipped surrogate (or its ∂/∂r) elementwise over ratio and adv broadcast together as
// NumPy does; eps in ppo.clip_eps's range, as ppo_policy_gradient's clip_eps (eps ≤ 0 or NaN
// would clip to an empty or inverted band and return a wrong number silently).
py::object clipped(const py::handle& ratio_arg, const py::handle& adv_arg,
                   const py::handle& eps_arg, double (*f)(double, double, double)) {
  const double eps = checked_param(eps_arg, "eps", "ppo.clip_eps");
  const DArray ratio = finite_floats(ratio_arg, "ratio");
  const DArray adv = finite_floats(adv_arg, "adv");
  py::tuple both;
  try {
    both = py::module_::import("numpy").attr("broadcast_arrays")(ratio, adv);
  } catch (const py::error_already_set&) {
    throw py::value_error("ratio of shape " + shape_text(ratio) + " and adv of shape " +
                          shape_text(adv) +
                          " do not broadcast together; allowed: the same shape, or shapes NumPy "
                          "broadcasts (a scalar, an axis of length 1)");
  }
  const DArray r = py::cast<DArray>(both[0]), a = py::cast<DArray>(both[1]);
  py::array_t<double> out(std::vector<py::ssize_t>(r.shape(), r.shape() + r.ndim()));
  for (py::ssize_t i = 0; i < r.size(); ++i)
    out.mutable_data()[i] = f(r.data()[i], a.data()[i], eps);
  return shaped(out);
}

}  // namespace

void bind_estimators(py::module_& m) {
  // dynamic_attr: a batch read from trajectory dicts carries `_missing_states`, the trajectories
  // given without "state" (their states fall back to the observation's index, which the
  // exact-value baseline must not read where observations alias states: oracle._require_states).
  py::class_<pg::Batch>(m, "Batch", py::dynamic_attr(),
                        "Trajectories in the core's layout (rollout/trajectory.h).")
      .def_static(
          "from_trajectories",
          [](const py::handle& trajs, const py::handle& tabular_arg, const py::handle& actions,
             const py::handle& obs, const py::handle& action_dim) {
            if (!PyList_Check(trajs.ptr()) && !PyTuple_Check(trajs.ptr()))
              throw py::type_error(
                  "trajectories must be a list of trajectory dicts (obs, actions, rewards, …), "
                  "got " +
                  short_repr(trajs));
            if (tabular_arg.is_none())
              throw py::type_error(
                  "tabular must be given: True for tabular observations (one index per step), "
                  "False for feature rows");
            const bool tabular = checked_bool(tabular_arg, "tabular");
            const int64_t kMax = IndexLimits::kMaxInt;
            const IndexLimits lim{
                static_cast<int>(checked_int(actions, "num_actions", -1, kMax)),
                static_cast<int>(checked_int(obs, "num_obs", -1, kMax)),
                static_cast<int>(checked_int(action_dim, "action_dim (0: discrete)", 0, 1024))};
            pg::Batch b;
            py::list missing_states;
            int i = 0;
            for (const py::handle h : trajs) {
              if (!py::isinstance<py::dict>(h))
                throw py::type_error("trajectory " + std::to_string(i) +
                                     " must be a dict (obs, actions, rewards, …), got " +
                                     repr_of(h));
              const py::dict d = py::cast<py::dict>(h);
              if (!d.contains("state") || d["state"].is_none()) missing_states.append(i);
              b.trajectories.push_back(trajectory_from(d, tabular, i++, lim));
            }
            py::object out = py::cast(std::move(b));
            out.attr("_missing_states") = missing_states;
            return out;
          },
          py::arg("trajectories"), py::arg("tabular") = py::none(), py::arg("num_actions") = -1,
          py::arg("num_obs") = -1, py::arg("action_dim") = 0)
      .def_property_readonly("size", &pg::Batch::size)
      .def_property_readonly("num_steps", &pg::Batch::num_steps)
      .def("__len__", &pg::Batch::size)
      .def("trajectory", [](const pg::Batch& b, const py::handle& i) {
        return trajectory_dict(b.trajectories[checked_index(i, "trajectory", b.size())]);
      });

  py::class_<pg::Estimate>(m, "Estimate", "ĝ and its per-step pieces (estimator/reinforce.h).")
      .def_property_readonly("gradient", [](const pg::Estimate& e) { return from_vec(e.gradient); })
      .def_property_readonly("psi", [](const pg::Estimate& e) { return from_std(e.psi); })
      .def_property_readonly("q_hat", [](const pg::Estimate& e) { return from_std(e.q_hat); })
      .def_property_readonly("baseline", [](const pg::Estimate& e) { return from_std(e.baseline); })
      .def_property_readonly("reward_to_go",
                             [](const pg::Estimate& e) { return from_std(e.reward_to_go); })
      .def_property_readonly("optimal_baseline",
                             [](const pg::Estimate& e) { return from_vec(e.optimal_b); })
      .def_property_readonly("offset", [](const pg::Estimate& e) { return from_ints(e.offset); })
      .def_property_readonly("divisor", &pg::Estimate::gradient_divisor)
      .def_property_readonly("num_trajectories",
                             [](const pg::Estimate& e) { return e.num_trajectories; })
      .def(
          "contributions",
          [](const pg::Estimate& e, const pg::Batch& b, const PyPolicy& p) {
            check_batch(b, p);
            if (b.num_steps() != e.num_steps())
              throw py::value_error("the batch is not the estimate's");
            py::array_t<double> out({e.num_steps(), p.get().num_params()});
            double* w = out.mutable_data();
            for (int i = 0; i < b.size(); ++i)
              for (int t = 0; t < b.trajectories[i].length(); ++t) {
                const Eigen::VectorXd c = e.contribution(b, p.get(), i, t);
                std::copy(c.data(), c.data() + c.size(),
                          w + static_cast<size_t>(e.at(i, t)) * c.size());
              }
            return out;
          },
          py::arg("batch"), py::arg("policy"),
          "c_it = ∇log π(a_it|s_it) ψ_it / D per step (rows in the flat step order); Σ = ĝ")
      .def(
          "ledger",
          [](const pg::Estimate& e, const pg::Batch& b, const PyPolicy& p) {
            check_batch(b, p);
            if (b.num_steps() != e.num_steps())
              throw py::value_error("the batch is not the estimate's");
            pg::Batch copy;
            return ledger_dict(pg::credit_ledger(with_logp(b, p, copy), p.get(), e));
          },
          py::arg("batch"), py::arg("policy"));

  m.def(
      "estimate",
      [](const pg::Batch& b, const PyPolicy& p, const py::handle& gamma_arg,
         const std::string& returns, const std::string& baseline, const py::handle& normalize,
         const py::handle& discount_weighting, const PyEnv* env, const py::object& critic_values) {
        const double gamma = checked_param(gamma_arg, "gamma", "env.gamma");
        const pg::EstimatorConfig c =
            estimator_config(returns, baseline, checked_bool(normalize, "normalize"),
                             checked_bool(discount_weighting, "discount_weighting"));
        const Sources s = sources_for(c, p, env, critic_values);
        check_batch(b, p, s.exact ? &*s.exact : nullptr);
        // The scenario's rule, from the same function (normalize=True was silently ignored).
        if (const auto problem = pg::estimator_config_problem(c))
          throw pg::InputError(problem->key, problem->what);
        pg::Estimate e;
        pg::estimate_reinforce(b, p.get(), gamma, c, s.get(), e);
        return e;
      },
      py::arg("batch"), py::arg("policy"), py::arg("gamma"), py::arg("returns") = "reward-to-go",
      py::arg("baseline") = "none", py::arg("normalize") = false,
      py::arg("discount_weighting") = false, py::arg("env") = nullptr,
      py::arg("critic_values") = py::none());

  m.def(
      "estimate_off_policy",
      [](const pg::Batch& b, const PyPolicy& p, const py::handle& gamma_arg,
         const std::string& returns, const std::string& baseline, const py::handle& normalize,
         const py::handle& discount_weighting, const std::string& weighting,
         const py::handle& truncate_arg, const PyEnv* env, const py::object& critic_values) {
        const double gamma = checked_param(gamma_arg, "gamma", "env.gamma");
        const pg::EstimatorConfig c =
            estimator_config(returns, baseline, checked_bool(normalize, "normalize"),
                             checked_bool(discount_weighting, "discount_weighting"));
        pg::ImportanceConfig is;
        if (weighting != "trajectory" && weighting != "per-decision" && weighting != "per-step")
          throw py::value_error("weighting '" + weighting +
                                "' is unknown; allowed: trajectory, per-decision, per-step");
        is.weighting = pg::is_weighting_from_name(weighting);
        const double truncate =
            checked_param(truncate_arg, "truncate (0: none)", "offpolicy.truncate");
        is.truncate = truncate;
        pg::check_importance_setting(c, is);
        if (p.gaussian())
          throw py::value_error(
              "estimate_off_policy takes softmax policies only: its importance weights are "
              "written for them, and the app refuses off-policy learning with continuous actions");
        const Sources s = sources_for(c, p, env, critic_values);
        check_batch(b, p, s.exact ? &*s.exact : nullptr);
        for (const pg::Trajectory& tr : b.trajectories)
          if (static_cast<int>(tr.logp.size()) != tr.length())
            throw py::value_error("importance weights need each trajectory's logp (log b(a|s))");
        pg::Estimate e;
        pg::ImportanceWeights w;
        pg::estimate_off_policy(b, p.get(), gamma, c, is, s.get(), e, w);
        py::dict wd;
        wd["log_rho"] = from_std(w.log_rho);
        wd["rho"] = from_std(w.rho);
        wd["cum_rho"] = from_std(w.cum_rho);
        wd["weight"] = from_std(w.weight);
        wd["log_w"] = from_std(w.log_w);
        wd["w"] = from_std(w.w);
        wd["ess"] = w.ess;
        wd["truncated"] = w.truncated;
        return py::make_tuple(e, wd);
      },
      py::arg("batch"), py::arg("policy"), py::arg("gamma"), py::arg("returns") = "reward-to-go",
      py::arg("baseline") = "none", py::arg("normalize") = false,
      py::arg("discount_weighting") = false, py::arg("weighting") = "per-decision",
      py::arg("truncate") = 0.0, py::arg("env") = nullptr, py::arg("critic_values") = py::none());

  m.def(
      "advantages",
      [](const pg::Batch& b, const py::handle& values_arg, const py::handle& final_values_arg,
         const std::string& estimator, const py::handle& gamma_arg, const py::handle& lam_arg,
         const py::handle& n_arg) {
        pg::AdvantageConfig cfg;
        bool found = false;
        for (const pg::AdvantageSpec& row : pg::EnumTable<pg::AdvantageKind>::rows)
          if (estimator == row.name) {
            cfg.kind = row.value;
            found = true;
          }
        if (!found)
          throw py::value_error("estimator '" + estimator +
                                "' is unknown; allowed: mc, td0, nstep, gae");
        const double gamma = checked_param(gamma_arg, "gamma", "env.gamma");
        const double lam = checked_param(lam_arg, "lam", "advantage.lambda");
        const int n = static_cast<int>(checked_param(n_arg, "n", "advantage.n"));
        cfg.gamma = gamma;
        cfg.lambda = lam;
        cfg.n = n;
        std::vector<int> offset{0};
        for (const pg::Trajectory& tr : b.trajectories)
          offset.push_back(offset.back() + tr.length());
        const DArray values = checked(values_arg, b.num_steps(), "values");
        const DArray final_values = checked(final_values_arg, b.size(), "final_values");
        std::vector<double> adv(b.num_steps()), targets(b.num_steps());
        pg::compute_advantages(b, cfg, offset, values.data(), final_values.data(), adv.data(),
                               targets.data());
        return py::make_tuple(from_std(adv), from_std(targets));
      },
      py::arg("batch"), py::arg("values"), py::arg("final_values"), py::arg("estimator") = "gae",
      py::arg("gamma") = 0.99, py::arg("lam") = 0.95, py::arg("n") = 5);

  m.def("normalize", [](const DArray& x) {
    std::vector<double> v(x.data(), x.data() + x.size());
    pg::normalize_in_place(v.data(), static_cast<int>(v.size()));
    return from_std(v);
  });

  // KL estimators of KL(π_old ‖ π) from log r = log π(a|s) − log π_old(a|s), elementwise.
  m.def(
      "kl_k1", [](const py::handle& log_r) { return kl_estimate(log_r, pg::kl::k1); },
      py::arg("log_r"),
      "k1 = −log r per sample (a float, or an array of log_r's shape), log r = log π(a|s) − "
      "log π_old(a|s) with a ~ π_old: an unbiased estimate of KL(π_old ‖ π) that can be negative "
      "(Schulman's note; algo/ppo.h)");
  m.def(
      "kl_k2", [](const py::handle& log_r) { return kl_estimate(log_r, pg::kl::k2); },
      py::arg("log_r"),
      "k2 = ½ (log r)² per sample (log r = log π(a|s) − log π_old(a|s), a ~ π_old): ≥ 0, "
      "biased (low for a small KL)");
  m.def(
      "kl_k3", [](const py::handle& log_r) { return kl_estimate(log_r, pg::kl::k3); },
      py::arg("log_r"),
      "k3 = (r − 1) − log r per sample (log r = log π(a|s) − log π_old(a|s), a ~ π_old): "
      "unbiased (E_old[r] = 1) and ≥ 0 — the one PPO's KL penalty and GRPO use (GRPO passes "
      "log ρ = log π_ref − log π_θ)");
  m.def("kl_categorical", [](const DArray& p, const DArray& q) {
    if (p.size() != q.size()) throw py::value_error("p and q need the same length");
    return pg::kl_categorical(p.data(), q.data(), static_cast<int>(p.size()));
  });
  m.def(
      "batch_kl",
      [](const pg::Batch& b, const PyPolicy& old_p, const PyPolicy& p) {
        pg::check_same_actions(old_p.get(),
                               p.get());  // before the batch: the mismatch is the cause
        check_batch(b, old_p);
        check_batch(b, p);
        const pg::BatchKl k = pg::batch_kl(b, old_p.get(), p.get());
        py::dict d;
        d["steps"] = k.steps;
        d["mean_kl"] = k.mean_kl;
        d["max_kl"] = k.max_kl;
        d["k1"] = k.k1;
        d["k2"] = k.k2;
        d["k3"] = k.k3;
        return d;
      },
      py::arg("batch"), py::arg("old_policy"), py::arg("policy"));

  // PPO (algo/ppo.h).
  m.def(
      "clipped_surrogate",
      [](const py::handle& ratio, const py::handle& adv, const py::handle& eps) {
        return clipped(ratio, adv, eps, pg::clipped_surrogate);
      },
      py::arg("ratio"), py::arg("adv"), py::arg("eps"),
      "PPO's clipped surrogate per sample: min(r Â, clip(r, 1 − ε, 1 + ε) Â) for ratio r, "
      "advantage Â and eps ε (ppo.clip_eps's range). ratio and adv broadcast as NumPy's "
      "arrays; a float for scalars, else an array of the broadcast shape (README › PPO)");
  m.def(
      "clipped_surrogate_dr",
      [](const py::handle& ratio, const py::handle& adv, const py::handle& eps) {
        return clipped(ratio, adv, eps, pg::clipped_surrogate_dr);
      },
      py::arg("ratio"), py::arg("adv"), py::arg("eps"),
      "∂/∂r of clipped_surrogate(ratio, adv, eps) per sample: Â where the unclipped term r Â is "
      "the minimum, 0 on the flat parts (r > 1 + ε with Â > 0, r < 1 − ε with Â < 0); at the "
      "kinks r = 1 ± ε exactly, the unclipped side (Â). Arguments and shapes as "
      "clipped_surrogate's");
  m.def("adapt_beta", &pg::adapt_beta, py::arg("beta"), py::arg("kl"), py::arg("target"));
  m.def(
      "ppo_policy_gradient",
      [](const PyPolicy& p, const pg::Batch& b, const py::handle& logp_old_arg,
         const py::handle& adv_arg, const py::handle& clip_eps_arg, const py::handle& kl_penalty,
         const py::handle& beta_arg, const py::handle& entropy_coef_arg) {
        check_batch(b, p);
        const double clip_eps = checked_param(clip_eps_arg, "clip_eps", "ppo.clip_eps");
        const double beta = checked_param(beta_arg, "beta", "ppo.kl_beta");
        const double entropy_coef =
            checked_param(entropy_coef_arg, "entropy_coef", "algorithm.entropy_coef");
        const int M = b.num_steps();
        const DArray logp_old = checked(logp_old_arg, M, "logp_old");
        check_log_probs(logp_old.data(), M, "logp_old", p.gaussian() != nullptr);
        const DArray adv = checked(adv_arg, M, "adv");
        const Steps s = steps_of(b, p);
        pg::PpoObjective obj;
        obj.kl_penalty = checked_bool(kl_penalty, "kl_penalty");
        obj.clip_eps = clip_eps;
        obj.beta = beta;
        obj.entropy_coef = entropy_coef;
        std::vector<double> logp(M), entropy(M), ratio(M), s1(M), s2(M);
        Eigen::VectorXd g = Eigen::VectorXd::Zero(p.get().num_params());
        const double L = pg::ppo_policy_gradient(
            p.get(), s.X, s.index.data(), s.acts(), logp_old.data(), adv.data(), M, obj,
            logp.data(), entropy.data(), ratio.data(), s1.data(), s2.data(), g);
        py::dict d;
        d["objective"] = L;
        d["grad"] = from_vec(g);
        d["logp"] = from_std(logp);
        d["entropy"] = from_std(entropy);
        d["ratio"] = from_std(ratio);
        return d;
      },
      py::arg("policy"), py::arg("batch"), py::arg("logp_old"), py::arg("adv"),
      py::arg("clip_eps") = 0.2, py::arg("kl_penalty") = false, py::arg("beta") = 1.0,
      py::arg("entropy_coef") = 0.0,
      "PPO's policy side at the policy's θ (the code the update runs; algo/ppo.h). Returns a dict: "
      "objective = L, the clipped surrogate (1/n) Σ_j min(r_j Â_j, clip(r_j, 1−ε, 1+ε) Â_j) "
      "(kl_penalty: (1/n) Σ_j [r_j Â_j − β k3_j]) WITHOUT the entropy bonus; grad = ∇θ (L + "
      "entropy_coef · (1/n) Σ_j H_j), the ascent direction WITH it; logp = log π_θ(a_j|s_j), "
      "entropy = H(π_θ(·|s_j)), ratio r_j = exp(logp_j − logp_old_j), per step.");
  m.def(
      "ppo_value_loss",
      [](const py::handle& v_arg, const py::handle& v_old_arg, const py::handle& target_arg,
         const py::handle& clip_arg, const py::handle& eps_arg, const py::handle& value_coef_arg) {
        const bool clip = checked_bool(clip_arg, "clip");
        const double eps = checked_param(eps_arg, "eps", "ppo.clip_eps");
        const double value_coef =
            checked_param(value_coef_arg, "value_coef", "algorithm.value_coef");
        const DArray v = float_array(v_arg, "v");
        const py::ssize_t n = v.size();
        checked(v, n, "v");
        const DArray v_old = checked(v_old_arg, n, "v_old");
        const DArray target = checked(target_arg, n, "target");
        std::vector<double> d_v(n);
        const double L = pg::ppo_value_loss(v.data(), v_old.data(), target.data(),
                                            static_cast<int>(n), clip, eps, value_coef, d_v.data());
        return py::make_tuple(L, from_std(d_v));
      },
      py::arg("v"), py::arg("v_old"), py::arg("target"), py::arg("clip") = false,
      py::arg("eps") = 0.2, py::arg("value_coef") = 0.5,
      "PPO's value side (algo/ppo.h). Returns (L_V, d_v): L_V = ½ (1/n) Σ_j (v_j − target_j)², "
      "or with clip ½ (1/n) Σ_j max((v_j − target_j)², (v_old_j + clip(v_j − v_old_j, −eps, "
      "eps) − target_j)²) — not scaled by value_coef; d_v[j] = ∂(−value_coef · L_V)/∂v_j = "
      "−value_coef · ∂L_V/∂v_j, the critic's ascent direction at its outputs (scaled and negated: "
      "descend L_V along d_v, not along −d_v).");

  // GRPO (algo/grpo.h).
  m.def(
      "grpo_objective",
      [](const PyPolicy& p, const pg::Batch& b, const py::handle& logp_old_arg,
         const py::handle& logp_ref_arg, const py::handle& adv_arg, const py::handle& clip_eps_arg,
         const py::handle& beta_arg) {
        if (p.gaussian())
          throw py::value_error(
              "grpo_objective takes softmax policies (GRPO samples tokens: discrete actions)");
        check_batch(b, p);
        const double clip_eps = checked_param(clip_eps_arg, "clip_eps", "grpo.clip_eps");
        const double beta = checked_param(beta_arg, "beta", "grpo.kl_coef");
        const int M = b.num_steps(), N = b.size();
        for (int i = 0; i < N; ++i)
          if (b.trajectories[i].length() < 1)
            throw py::value_error("trajectory " + std::to_string(i) +
                                  ": a completion has at least one token");
        const DArray logp_old = checked(logp_old_arg, M, "logp_old");
        check_log_probs(logp_old.data(), M, "logp_old", false);
        const DArray logp_ref = checked(logp_ref_arg, M, "logp_ref");
        check_log_probs(logp_ref.data(), M, "logp_ref", false);
        const DArray adv = checked(adv_arg, N, "adv");
        // log π_θ per token as the update reads it (the log of the policy's probabilities).
        std::vector<int> offset{0};
        std::vector<double> logp(M), probs(p.get().num_actions());
        for (const pg::Trajectory& tr : b.trajectories) {
          for (int t = 0; t < tr.length(); ++t) {
            p.get().probs(tr.obs_at(t), probs.data());
            logp[offset.back() + t] = std::log(probs[tr.actions[t]]);
          }
          offset.push_back(offset.back() + tr.length());
        }
        std::vector<double> scale(M), ratio(M);
        int clipped = 0;
        const double J =
            pg::grpo_token_objective(offset, adv.data(), logp.data(), logp_old.data(),
                                     logp_ref.data(), clip_eps, beta, scale.data(), &clipped);
        for (int j = 0; j < M; ++j) ratio[j] = std::exp(logp[j] - logp_old.data()[j]);
        const Steps s = steps_of(b, p);
        Eigen::VectorXd g = Eigen::VectorXd::Zero(p.get().num_params());
        p.get().add_grad_log_prob_batch(s.X, s.index.data(), s.acts(), scale.data(), M, g);
        py::dict d;
        d["objective"] = J;
        d["grad"] = from_vec(g);
        d["logp"] = from_std(logp);
        d["ratio"] = from_std(ratio);
        d["weight"] = from_std(scale);
        d["clipped"] = clipped;
        return d;
      },
      py::arg("policy"), py::arg("batch"), py::arg("logp_old"), py::arg("logp_ref"), py::arg("adv"),
      py::arg("clip_eps") = 0.2, py::arg("beta") = 0.04,
      "GRPO's clip-k3 objective at the policy's θ, the function the app's update runs (README › "
      "GRPO; algo/grpo.h). logp_old, logp_ref: log π_old and log π_ref per token (flat); adv: Â_i "
      "per completion (one trajectory each). Returns a dict: objective J = (1/N) Σ_i (1/|o_i|) "
      "Σ_t [min(r Â_i, clip(r, 1±ε) Â_i) − β KL_k3] (no entropy bonus), grad = ∇θ J, and per "
      "token logp (log π_θ), ratio r = π_θ/π_old and weight = ∂J/∂log π_θ (grad = Σ weight · "
      "∇log π_θ), clipped = tokens with |r − 1| > ε.");
  m.def(
      "grpo_group_advantages",
      [](const py::handle& rewards, const py::handle& std_normalize_arg,
         const py::handle& leave_one_out_arg, const py::handle& eps_arg) {
        const bool std_normalize = checked_bool(std_normalize_arg, "std_normalize");
        const bool leave_one_out = checked_bool(leave_one_out_arg, "leave_one_out");
        // ε keeps 1/(σ + ε) finite for a group of equal rewards: a finite number ≥ 0.
        const double eps = checked_param(eps_arg, "eps", "");
        if (!(eps >= 0.0) || !std::isfinite(eps))
          throw py::value_error("eps: " + number_text(eps) +
                                " is out of range; allowed: a finite number >= 0");
        const DArray R = float_array(rewards, "rewards");
        require_vector(R, "rewards", "; one group per call: its G rewards");
        if (R.size() < 2) throw py::value_error("a group needs at least 2 completions");
        if (R.size() > 1 << 20) throw py::value_error("a group holds at most 1048576 completions");
        const int G = static_cast<int>(R.size());
        check_finite(R.data(), R.size(), "rewards");
        std::vector<double> adv(G), b(G);
        pg::grpo_group_advantages(R.data(), G, std_normalize, leave_one_out, eps, adv.data(),
                                  b.data());
        return py::make_tuple(from_std(adv), from_std(b));
      },
      py::arg("rewards"), py::arg("std_normalize") = true, py::arg("leave_one_out") = false,
      py::arg("eps") = pg::kGrpoEps,
      "One group's GRPO advantages (algo/grpo.h). Returns (adv, baseline), arrays of the G "
      "rewards' length: baseline b_i = the group's mean reward (leave_one_out: the mean of the "
      "others), adv Â_i = (R_i − b_i) / (σ + eps) with σ the group's population std "
      "(std_normalize), else R_i − b_i; a group of equal rewards gives Â = 0 exactly.");
}

}  // namespace pgpy
