// Environments for Python: one Env with Gymnasium's reset/step, and a vector of them stepped in
// one call; continuous-action worlds (pendulum, …) step with float arrays. The dynamics are the
// core's (env/*.h); this file only seeds the core's counter-based streams the way the sampler does
// (rollout/sampler.cpp) and converts observations.
//
// Seeding: reset(seed=s) starts episode 0 of seed s; a reset without a seed starts the next
// episode of the same seed. Episode k uses Rng::stream(s, 0, k, kEnvReset / kEnvStep), the streams
// of episode k in iteration 0 of a session with seed s. A VecEnv reset with seed s seeds its env i
// with s + i (Gymnasium's convention), and an env that ends is reset at once (same-step autoreset)
// with its next episode.

#include <cstring>
#include <optional>

#include "env/cartpole.h"
#include "env/pendulum.h"
#include "env/tabular_model.h"
#include "io/params.h"
#include "io/scenario.h"
#include "py_env.h"
#include "session/budget.h"
#include "session/session.h"
#include "util/error.h"

namespace pgpy {

namespace {

// The environment of a scenario with `sets` applied ("key=value", as --set reads them).
PyEnv env_of_scenario(const std::string& scenario, const std::vector<std::string>& sets) {
  pg::Scenario s = pg::load_scenario(scenario);
  pg::apply_sets(s, sets);
  return PyEnv(pg::make_env(s), s);
}

// The environment env.kind = kind with env.<key> = value for each item (the scenario key table
// checks every value, with the CLI's messages).
PyEnv env_of_settings(const std::string& kind, const py::dict& settings) {
  pg::Scenario s = pg::default_scenario();
  std::vector<std::pair<std::string, nlohmann::json>> values;
  values.emplace_back("env.kind", kind);
  // A continuous world needs a policy that reads features; the policy is not used here, but the
  // key table checks the pair.
  if (kind == "cartpole") values.emplace_back("policy.kind", "mlp");
  if (kind == "pendulum" || kind == "continuous-cartpole" || kind == "continuous-bandit")
    values.emplace_back("policy.kind", "gaussian");
  for (auto item : settings) {
    const std::string name = py::str(item.first).cast<std::string>();  // a keyword's name
    values.emplace_back("env." + name, from_py(item.second, name));
  }
  pg::set_values(s, values);
  // A keyword the world does not read (slip= on cartpole) is refused, as --set refuses it.
  std::vector<std::string> keys;
  for (const auto& kv : values) keys.push_back(kv.first);
  pg::refuse_inapplicable(s, keys);
  return PyEnv(pg::make_env(s), s);
}

}  // namespace

// N environments stepped in one call; observations (N, obs_dim) float64 or (N,) int64.
struct PyVecEnv {
  std::vector<PyEnv> envs;
  bool tabular = false;
  int obs_dim = 0;

  PyVecEnv(const PyEnv& proto, int n) : tabular(proto.tabular()), obs_dim(proto.env->obs_dim()) {
    if (n < 1) throw py::value_error("num_envs must be at least 1");
    // Before any copy is made: 2**24 copies of a grid world ran out of memory (OOM-killed).
    pg::require_env_copies_fit(*proto.env, n, "num_envs");
    envs.reserve(n);
    for (int i = 0; i < n; ++i) envs.emplace_back(proto);
  }

  int size() const { return static_cast<int>(envs.size()); }

  py::array new_obs() const {
    if (tabular) return py::array_t<int64_t>(size());
    return py::array_t<double>({size(), obs_dim});
  }
  // Row i of an array from new_obs(), given its data pointer.
  void write_obs(void* data, int i) const {
    if (tabular)
      static_cast<int64_t*>(data)[i] = envs[i].env->obs_index();
    else
      envs[i].env->observe(static_cast<double*>(data) + static_cast<size_t>(i) * obs_dim);
  }

  // The envs' single infos (PyEnv::info: "state" where the world has state indices,
  // "episode_index") in Gymnasium's vector layout (VectorEnv._add_info): one array per key over the
  // envs and "_key" marking the envs whose info has it. Rows of envs not marked are 0.
  struct InfoRows {
    int n = 0;
    std::optional<py::array_t<int64_t>> state;  // made at the first env with a state index
    std::optional<py::array_t<bool>> has_state;
    py::array_t<int64_t> episode;
    py::array_t<bool> has_episode;
    explicit InfoRows(int size) : n(size), episode(size), has_episode(size) {
      std::memset(episode.mutable_data(), 0, static_cast<size_t>(episode.nbytes()));
      std::memset(has_episode.mutable_data(), 0, static_cast<size_t>(has_episode.nbytes()));
    }
    void take(int i, const PyEnv& e) {
      if (e.env->state_index() >= 0) {
        if (!state) {
          state.emplace(n);
          has_state.emplace(n);
          std::memset(state->mutable_data(), 0, static_cast<size_t>(state->nbytes()));
          std::memset(has_state->mutable_data(), 0, static_cast<size_t>(has_state->nbytes()));
        }
        state->mutable_data()[i] = e.env->state_index();
        has_state->mutable_data()[i] = true;
      }
      episode.mutable_data()[i] = static_cast<int64_t>(e.episode);
      has_episode.mutable_data()[i] = true;
    }
    void into(py::dict& d) const {
      if (state) {
        d["state"] = *state;
        d["_state"] = *has_state;
      }
      d["episode_index"] = episode;
      d["_episode_index"] = has_episode;
    }
  };

  py::dict current_info() const {
    InfoRows rows(size());
    for (int i = 0; i < size(); ++i) rows.take(i, envs[i]);
    py::dict d;
    rows.into(d);
    return d;
  }

  // (obs, info): info as current_info() after the reset. Two statements: the order in which C++
  // evaluates a call's arguments is unspecified (GCC went right to left and returned the infos of
  // before the reset; audit a12 F1).
  py::tuple reset(const py::object& seed_arg) {
    py::array obs = reset_obs(seed_arg);
    py::dict info = current_info();
    return py::make_tuple(obs, info);
  }

  py::array reset_obs(const py::object& seed_arg) {
    // A list of N seeds (Gymnasium's vector form; None items: the next episode of that env).
    if (py::isinstance<py::list>(seed_arg) || py::isinstance<py::tuple>(seed_arg) ||
        py::isinstance<py::array>(seed_arg)) {
      const py::list seeds = py::list(seed_arg);
      if (static_cast<int>(seeds.size()) != size())
        throw py::value_error("seed: a list of seeds needs one per env (" + std::to_string(size()) +
                              "), got " + std::to_string(seeds.size()));
      std::vector<std::optional<uint64_t>> each(seeds.size());
      for (size_t i = 0; i < seeds.size(); ++i)
        if (!seeds[i].is_none())
          each[i] = checked_uint64(seeds[i], "seed[" + std::to_string(i) + "]");
      py::array obs = new_obs();
      void* o = obs.mutable_data();
      for (int i = 0; i < size(); ++i) {
        envs[i].start(each[static_cast<size_t>(i)]);
        write_obs(o, i);
      }
      return obs;
    }
    const std::optional<uint64_t> seed =
        seed_arg.is_none() ? std::nullopt
                           : std::optional<uint64_t>(checked_uint64(seed_arg, "seed"));
    // Env i takes seed + i: the last one must still be a seed (no wrap-around to 0).
    const uint64_t last = std::numeric_limits<uint64_t>::max() - static_cast<uint64_t>(size() - 1);
    if (seed && *seed > last)
      throw py::value_error("seed " + std::to_string(*seed) + " is out of range for " +
                            std::to_string(size()) + " envs (env i takes seed + i); allowed: " +
                            "integers in [0, " + std::to_string(last) + "]");
    py::array obs = new_obs();
    void* o = obs.mutable_data();
    for (int i = 0; i < size(); ++i) {
      envs[i].start(seed ? std::optional<uint64_t>(*seed + i) : std::nullopt);
      write_obs(o, i);
    }
    return obs;
  }

  // (obs, reward, terminated, truncated, info), Gymnasium's same-step autoreset: the obs row of an
  // env that ended is its next episode's first; info["final_obs"] rows are the last observation of
  // the envs that ended (info["_final_obs"]), info["final_info"] their last single info in the
  // vector layout (one array per key, "_final_info" marking them; both only in a step where an env
  // ended, as Gymnasium's), and the other keys the envs' infos now (current_info()).
  // Discrete actions: N exact integers (checked_ints: floats refused, as by one env's step).
  py::tuple step(const py::handle& actions) {
    envs[0].check_discrete();
    const py::array arr = py::isinstance<py::array>(actions)
                              ? py::reinterpret_borrow<py::array>(actions)
                              : py::array(py::module_::import("numpy").attr("asarray")(actions));
    if (arr.ndim() != 1 || arr.shape(0) != size())
      throw py::value_error("actions must have shape (" + std::to_string(size()) + ",)");
    const int64_t hi = envs[0].env->num_actions() - 1;
    // Integers, as one env's step takes them: it refuses 0.0, and a float array stepped as its
    // ints (the trajectories' whole floats are another matter: a dump's JSON has no int type).
    const std::vector<int64_t> a = checked_ints(arr, "action", 0, hi, /*whole_floats=*/false);
    return step_all([&](int i) { return envs[i].step(static_cast<int>(a[i])); });
  }

  // Continuous actions: shape (N, action_dim), action_space.shape — not (N,) even when action_dim
  // is 1, as Gymnasium's Box.contains refuses it (and as one env's step refuses a bare float).
  py::tuple step_continuous(const DArray& actions) {
    const int d = envs[0].action_dim();
    if (actions.ndim() != 2 || actions.shape(0) != size() || actions.shape(1) != d) {
      std::string shape = "(";
      for (py::ssize_t k = 0; k < actions.ndim(); ++k)
        shape += (k ? ", " : "") + std::to_string(actions.shape(k));
      shape += actions.ndim() == 1 ? ",)" : ")";
      throw py::value_error("actions must have shape (" + std::to_string(size()) + ", " +
                            std::to_string(d) + ") (float; action_space.shape), got shape " +
                            shape);
    }
    const double* u = actions.data();
    for (int i = 0; i < size(); ++i) envs[i].check_action(u + static_cast<size_t>(i) * d, d);
    return step_all([&](int i) { return envs[i].step(u + static_cast<size_t>(i) * d); });
  }

  // Steps env i by step_one(i) for every i; autoresets the envs that end.
  template <class StepOne>
  py::tuple step_all(StepOne step_one) {
    py::array obs = new_obs(), final_obs = new_obs();
    py::array_t<double> reward(size());
    py::array_t<bool> terminated(size()), truncated(size()), ended(size());
    void* o = obs.mutable_data();
    void* fo = final_obs.mutable_data();
    std::memset(fo, 0, static_cast<size_t>(final_obs.nbytes()));  // rows of envs that go on: 0
    double* rw = reward.mutable_data();
    bool* te = terminated.mutable_data();
    bool* tr = truncated.mutable_data();
    bool* en = ended.mutable_data();
    std::optional<InfoRows> last;  // the ended envs' last infos: made when one ends
    for (int i = 0; i < size(); ++i) {
      const pg::StepResult r = step_one(i);
      rw[i] = r.reward;
      te[i] = r.terminated;
      tr[i] = r.truncated;
      en[i] = r.terminated || r.truncated;
      if (en[i]) {
        write_obs(fo, i);
        if (!last) last.emplace(size());
        last->take(i, envs[i]);
        envs[i].start(std::nullopt);
      }
      write_obs(o, i);
    }
    py::dict info = current_info();
    info["final_obs"] = final_obs;
    info["_final_obs"] = ended;
    if (last) {  // as Gymnasium: final_info only in a step where an env ended
      py::dict final_info;
      last->into(final_info);
      info["final_info"] = final_info;
      py::array_t<bool> marks(size());
      std::memcpy(marks.mutable_data(), en, static_cast<size_t>(size()) * sizeof(bool));
      info["_final_info"] = marks;
    }
    return py::make_tuple(obs, reward, terminated, truncated, info);
  }
};

// The bounds of a continuous-action world's actions (action_dim values; empty when discrete).
py::array_t<double> action_bounds(const pg::Env& env, bool high) {
  std::vector<double> b(env.action_dim());
  for (int i = 0; i < env.action_dim(); ++i) b[i] = high ? env.action_high(i) : env.action_low(i);
  return from_std(b);
}

py::dict model_dict(const pg::Env& env) {
  const pg::TabularModel* m = env.model();
  if (!m) throw py::value_error(env.name() + " has no finite model (continuous observations)");
  const int S = m->num_states(), A = m->num_actions();
  py::array_t<double> R({S, A}), start(S);
  py::array_t<bool> terminal(S);
  py::array_t<int64_t> obs_of_state(S);
  std::vector<int64_t> cs, ca, cn;
  std::vector<double> cp;
  auto r = R.mutable_unchecked<2>();
  for (int s = 0; s < S; ++s) {
    start.mutable_data()[s] = m->start(s);
    terminal.mutable_data()[s] = m->terminal(s);
    obs_of_state.mutable_data()[s] = m->obs_of_state(s);
    for (int a = 0; a < A; ++a) {
      r(s, a) = m->reward(s, a);
      for (const pg::Transition& t : m->successors(s, a)) {
        cs.push_back(s);
        ca.push_back(a);
        cn.push_back(t.next);
        cp.push_back(t.prob);
      }
    }
  }
  py::dict d;
  // Dense P[s, a, s'] when it is small enough (as the batch dump decides); the sparse triplets
  // always.
  constexpr double kMaxDense = 4e6;
  if (static_cast<double>(S) * S * A <= kMaxDense) {
    py::array_t<double> P({S, A, S});
    std::fill(P.mutable_data(), P.mutable_data() + P.size(), 0.0);
    auto p = P.mutable_unchecked<3>();
    for (size_t k = 0; k < cp.size(); ++k) p(cs[k], ca[k], cn[k]) += cp[k];
    d["P"] = P;
  }
  d["P_sparse"] = py::dict(
      py::arg("state") = py::array(py::cast(cs)), py::arg("action") = py::array(py::cast(ca)),
      py::arg("next") = py::array(py::cast(cn)), py::arg("prob") = from_std(cp));
  d["R"] = R;
  d["start"] = start;
  d["terminal"] = terminal;
  d["obs_of_state"] = obs_of_state;
  d["step_limit"] = env.step_limit();
  d["gamma"] = env.gamma();
  return d;
}

void bind_env(py::module_& m) {
  py::class_<PyEnv>(m, "Env", "A pglab environment with Gymnasium's reset/step (core/env).")
      .def(py::init([](const std::string& kind, const py::dict& settings) {
             return env_of_settings(kind, settings);
           }),
           py::arg("kind"), py::arg("settings") = py::dict())
      .def_static(
          "from_scenario",
          [](const py::handle& scenario, const py::handle& sets) {
            return env_of_scenario(
                checked_path(scenario, "scenario", "a scenario file or a shipped scenario's name"),
                checked_assignments(sets, "sets"));
          },
          py::arg("scenario"), py::arg("sets") = py::list())
      .def(
          "reset",
          [](PyEnv& e, const py::object& seed) {
            e.start(seed.is_none() ? std::nullopt
                                   : std::optional<uint64_t>(checked_uint64(seed, "seed")));
            return py::make_tuple(e.obs(), e.info());
          },
          py::arg("seed") = py::none())
      .def("step",
           [](PyEnv& e, const py::handle& action) {
             const int a = e.checked_action(action);
             const pg::StepResult r = e.step(a);
             return py::make_tuple(e.obs(), r.reward, r.terminated, r.truncated, e.info());
           })
      .def("step_continuous",
           [](PyEnv& e, const py::handle& action) {
             const DArray u = float_array(action, "action");
             e.check_action(u);
             const pg::StepResult r = e.step(u.data());
             return py::make_tuple(e.obs(), r.reward, r.terminated, r.truncated, e.info());
           })
      .def("copy", [](const PyEnv& e) { return PyEnv(e); })
      .def_property_readonly("kind", [](const PyEnv& e) { return e.env->name(); })
      .def_property_readonly("num_actions", [](const PyEnv& e) { return e.env->num_actions(); })
      .def_property_readonly("action_dim", &PyEnv::action_dim)
      .def_property_readonly("action_low",
                             [](const PyEnv& e) { return action_bounds(*e.env, false); })
      .def_property_readonly("action_high",
                             [](const PyEnv& e) { return action_bounds(*e.env, true); })
      .def_property_readonly("obs_dim", [](const PyEnv& e) { return e.env->obs_dim(); })
      .def_property_readonly("num_obs", [](const PyEnv& e) { return e.env->num_obs(); })
      .def_property_readonly("gamma", [](const PyEnv& e) { return e.env->gamma(); })
      .def_property_readonly("step_limit", [](const PyEnv& e) { return e.env->step_limit(); })
      // Whether step_limit is a time limit (Gymnasium's TimeLimit: the episode is truncated there)
      // rather than the world's own length (the bandits, the token task): the key table's answer.
      .def_property_readonly("time_limit", [](const PyEnv& e) { return e.time_limit; })
      .def_property_readonly("elapsed", [](const PyEnv& e) { return e.env->elapsed(); })
      .def_property_readonly("seed", [](const PyEnv& e) { return e.seed; })
      .def_property_readonly("episode", [](const PyEnv& e) { return e.episode; })
      .def("features_of",
           [](const PyEnv& e, const py::handle& o) {
             if (e.env->num_obs() < 1)
               throw py::value_error(e.env->name() + " has no observation indices");
             const int obs =
                 static_cast<int>(checked_int(o, "observation", 0, e.env->num_obs() - 1));
             std::vector<double> x(e.env->obs_dim());
             e.env->features_of(obs, x.data());
             return from_std(x);
           })
      .def("action_name",
           [](const PyEnv& e, const py::handle& a) {
             return e.env->action_name(
                 static_cast<int>(checked_int(a, "action", 0, e.env->num_actions() - 1)));
           })
      .def("model", [](const PyEnv& e) { return model_dict(*e.env); })
      // Cart-pole's state as (x, x_dot, theta, theta_dot); setting it starts an episode there
      // (elapsed 0), as `pglab trace --init` does.
      .def_property(
          "cartpole_state",
          [](const PyEnv& e) {
            const auto* c = dynamic_cast<const pg::CartPole*>(e.env.get());
            if (!c) throw py::value_error(e.env->name() + " is not cart-pole");
            const pg::CartPoleState& s = c->state();
            const double v[4] = {s.x, s.x_dot, s.theta, s.theta_dot};
            return from_ptr(v, {4});
          },
          [](PyEnv& e, const DArray& v) {
            auto* c = dynamic_cast<pg::CartPole*>(e.env.get());
            if (!c) throw py::value_error(e.env->name() + " is not cart-pole");
            if (v.size() != 4) throw py::value_error("cart-pole's state has 4 values");
            check_finite(v.data(), v.size(), "cart-pole's state");
            if (!e.seeded) e.start(0);
            c->set_state({v.data()[0], v.data()[1], v.data()[2], v.data()[3]});
            e.running = true;
          })
      // Pendulum's state as (theta, theta_dot); setting it starts an episode there (elapsed 0), as
      // `pglab trace --env pendulum --init` does.
      .def_property(
          "pendulum_state",
          [](const PyEnv& e) {
            const auto* p = dynamic_cast<const pg::Pendulum*>(e.env.get());
            if (!p) throw py::value_error(e.env->name() + " is not pendulum");
            const double v[2] = {p->state().theta, p->state().theta_dot};
            return from_ptr(v, {2});
          },
          [](PyEnv& e, const DArray& v) {
            auto* p = dynamic_cast<pg::Pendulum*>(e.env.get());
            if (!p) throw py::value_error(e.env->name() + " is not pendulum");
            if (v.size() != 2) throw py::value_error("pendulum's state has 2 values");
            check_finite(v.data(), v.size(), "pendulum's state");
            if (!e.seeded) e.start(0);
            p->set_state({v.data()[0], v.data()[1]});
            e.running = true;
          });

  py::class_<PyVecEnv>(m, "VecEnv", "N copies of an Env stepped in one call (same-step autoreset).")
      .def(py::init([](const PyEnv& e, const py::handle& n) {
             return PyVecEnv(e, static_cast<int>(checked_int(n, "num_envs", 1, 1 << 24)));
           }),
           py::arg("env"), py::arg("num_envs"))
      .def("reset", &PyVecEnv::reset, py::arg("seed") = py::none())
      .def("step", &PyVecEnv::step)
      .def("step_continuous", &PyVecEnv::step_continuous)
      .def_property_readonly("num_envs", &PyVecEnv::size)
      .def("env", [](const PyVecEnv& v, const py::handle& i) {
        return PyEnv(v.envs[checked_index(i, "env index", v.envs.size())]);
      });

  m.attr("CARTPOLE_X_THRESHOLD") = pg::CartPole::kXThreshold;
  m.attr("CARTPOLE_THETA_THRESHOLD") = pg::CartPole::kThetaThreshold;
  m.attr("PENDULUM_MAX_SPEED") = pg::Pendulum::kMaxSpeed;
  // The range of env.step_limit (and of max_episode_steps, its Gymnasium name): [.., max].
  const pg::ParamSpec* step_limit = pg::find_param("env.step_limit");
  PG_ASSERT(step_limit, "the key table has env.step_limit");
  m.attr("MAX_STEP_LIMIT") = static_cast<int64_t>(step_limit->max);
}

}  // namespace pgpy
