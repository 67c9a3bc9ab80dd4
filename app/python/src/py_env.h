#pragma once
// One environment for Python (bind_env.cpp): the core's Env with the random streams of its current
// episode. Shared by the bindings that take an environment (the exact oracle, estimators).

#include <cmath>
#include <optional>
#include <random>

#include "checks.h"
#include "convert.h"
#include "env/env.h"
#include "env/step_check.h"
#include "io/params.h"
#include "io/scenario.h"

namespace pgpy {

// One environment with its episode's random streams.
struct PyEnv {
  std::unique_ptr<pg::Env> env;
  pg::Rng step_rng{0};
  uint64_t seed = 0;
  uint64_t episode = 0;
  bool seeded = false;
  bool running = false;  // reset and not ended since
  // Whether step_limit is a time limit (grid world, cart-pole, …: Gymnasium's TimeLimit) rather
  // than the world's own length (the bandits' one step, the token task's max_tokens, where every
  // episode terminates by then): the scenario key table says which worlds read env.step_limit.
  bool time_limit = true;
  std::vector<double> x;  // observation buffer

  PyEnv(std::unique_ptr<pg::Env> e, const pg::Scenario& s)
      : env(std::move(e)),
        time_limit(pg::inapplicable_reason(s, "env.step_limit").empty()),
        x(env->obs_dim()) {}
  PyEnv(PyEnv&&) = default;
  PyEnv(const PyEnv& o)
      : env(o.env->clone()),
        step_rng(o.step_rng),
        seed(o.seed),
        episode(o.episode),
        seeded(o.seeded),
        running(o.running),
        time_limit(o.time_limit),
        x(o.x) {}

  bool tabular() const { return env->num_obs() > 0; }

  // reset(seed): episode 0 of `seed`; reset(): the next episode (a fresh seed the first time).
  void start(std::optional<uint64_t> new_seed) {
    if (new_seed) {
      seed = *new_seed;
      episode = 0;
      seeded = true;
    } else if (!seeded) {
      seed = (static_cast<uint64_t>(std::random_device{}()) << 32) ^ std::random_device{}();
      episode = 0;
      seeded = true;
    } else {
      ++episode;
    }
    pg::Rng reset_rng = pg::Rng::stream(seed, 0, episode, pg::Purpose::kEnvReset);
    env->reset(reset_rng);
    step_rng = pg::Rng::stream(seed, 0, episode, pg::Purpose::kEnvStep);
    running = true;
  }

  // Continuous-action worlds (pendulum, continuous-cartpole, continuous-bandit): action_dim > 0.
  int action_dim() const { return env->action_dim(); }
  bool continuous() const { return action_dim() > 0; }

  void check_discrete() const {
    if (continuous())
      throw py::value_error(env->name() + " takes a float array of " +
                            std::to_string(action_dim()) + " number(s) as its action, not an int");
  }
  // A discrete action from Python: an int (not a bool, not a float) in [0, num_actions).
  int checked_action(const py::handle& a) const {
    check_discrete();
    return static_cast<int>(checked_int(a, "action", 0, env->num_actions() - 1));
  }

  // A continuous action: n numbers, n = action_dim(), each finite (the env clips them).
  void check_action(const double* u, py::ssize_t n) const {
    if (!continuous())
      throw py::value_error(env->name() + " has discrete actions: an int in 0 to " +
                            std::to_string(env->num_actions() - 1));
    if (n != action_dim())
      throw py::value_error(env->name() + " takes " + std::to_string(action_dim()) +
                            " number(s) as its action, got " + std::to_string(n));
    for (py::ssize_t i = 0; i < n; ++i)
      if (!std::isfinite(u[i]))
        throw py::value_error("action " + number_text(u[i]) + " of " + env->name() +
                              " is not finite; allowed: finite numbers (clipped to [" +
                              number_text(env->action_low(static_cast<int>(i))) + ", " +
                              number_text(env->action_high(static_cast<int>(i))) + "])");
  }

  // A continuous action as an array: shape (action_dim,), action_space.shape — not a scalar, not
  // (1, 1) (a batch of one, which the vector form takes), as Gymnasium's Box.contains — then
  // check_action's numbers.
  void check_action(const DArray& u) const {
    if (continuous() && (u.ndim() != 1 || u.shape(0) != action_dim())) {
      std::string shape = "(";
      for (py::ssize_t d = 0; d < u.ndim(); ++d)
        shape += (d ? ", " : "") + std::to_string(u.shape(d));
      shape += u.ndim() == 1 ? ",)" : ")";
      throw py::value_error(env->name() + " takes " + std::to_string(action_dim()) +
                            " number(s) as its action: an array of shape (" +
                            std::to_string(action_dim()) + ",) (action_space.shape), got shape " +
                            shape);
    }
    check_action(u.data(), u.size());
  }

  pg::StepResult step(int a) {
    check_running();
    return finish(env->step(a, step_rng));
  }
  pg::StepResult step(const double* u) {
    check_running();
    return finish(env->step_continuous(u, step_rng));
  }

  py::object obs() const {
    if (tabular()) return py::int_(env->obs_index());
    env->observe(const_cast<double*>(x.data()));
    return from_ptr(x.data(), {static_cast<py::ssize_t>(x.size())});
  }

  void check_running() const {
    if (!running)
      throw std::runtime_error(
          "step() before reset() or after the episode ended (terminated or truncated); call "
          "reset() first");
  }
  // The core's truncated means "the limit cut the episode: bootstrap from V(s')" and is false when
  // the episode terminated (env/env.h). Gymnasium's TimeLimit reports truncated whenever the limit
  // is reached, terminated or not; Python callers get Gymnasium's flag (README › Python).
  // A step that left the world non-finite (from a state set near ±1e308) raises, as the CLI's
  // trace stops (env/step_check.h); the episode is over, reset() starts another.
  pg::StepResult finish(pg::StepResult r) {
    if (!pg::step_is_finite(*env, r)) {
      running = false;
      throw py::value_error("step " + std::to_string(env->elapsed()) + " " + pg::kStepOverflowed +
                            "; reset() or set a smaller state (" + env->name() +
                            "_state) before stepping");
    }
    if (r.terminated && time_limit && env->step_limit() > 0 && env->elapsed() >= env->step_limit())
      r.truncated = true;
    if (r.terminated || r.truncated) running = false;
    return r;
  }

  py::dict info() const {
    py::dict d;
    if (env->state_index() >= 0) d["state"] = env->state_index();
    d["episode_index"] = episode;  // not "episode": RecordEpisodeStatistics' key (a12 F5)
    return d;
  }
};

}  // namespace pgpy
