// Sessions for Python (core/session): load a scenario, advance it by any granularity, read the
// history, the batch, the estimate and the exact values, write the batch dump, save and load
// pglab.session/1 files (core/io/session_file).

#include "checks.h"
#include "io/batch_dump.h"
#include "io/scenario.h"
#include "io/session_file.h"
#include "py_env.h"
#include "py_policy.h"
#include "session/session.h"
#include "util/error.h"

namespace pgpy {

namespace {

constexpr const char* kGranularities = "env-step, episode, batch, estimate, update, iteration";

pg::Granularity granularity_of(std::string name) {
  for (char& c : name)
    if (c == '-' || c == '_') c = ' ';
  for (pg::Granularity g :
       {pg::Granularity::kEnvStep, pg::Granularity::kEpisode, pg::Granularity::kBatch,
        pg::Granularity::kEstimate, pg::Granularity::kUpdate, pg::Granularity::kIteration})
    if (name == pg::name_of(g)) return g;
  throw py::value_error("granularity '" + name + "' is unknown; allowed: " + kGranularities);
}

py::dict history_dict(const pg::Session& s) {
  const pg::History& h = s.history();
  const size_t n = h.size();
  std::vector<int> iteration(n), epoch(n);
  std::vector<double> episodes(n), steps(n), rmean(n), rstd(n), gnorm(n), ent(n), J(n);
  for (size_t i = 0; i < n; ++i) {
    const pg::IterationRecord& r = h[i];
    iteration[i] = r.iteration;
    epoch[i] = r.settings_epoch;
    episodes[i] = static_cast<double>(r.episodes);
    steps[i] = static_cast<double>(r.steps);
    rmean[i] = r.return_mean;
    rstd[i] = r.return_std;
    gnorm[i] = r.grad_norm;
    ent[i] = r.entropy;
    J[i] = r.exact_J;
  }
  py::dict d;
  d["iteration"] = from_ints(iteration);
  d["episodes"] = from_std(episodes);
  d["steps"] = from_std(steps);
  d["return_mean"] = from_std(rmean);
  d["return_std"] = from_std(rstd);
  d["grad_norm"] = from_std(gnorm);
  d["entropy"] = from_std(ent);
  d["exact_J"] = from_std(J);
  d["settings_epoch"] = from_ints(epoch);
  // What changed when (a12 F10b: the CSV's column was missing): one str per row.
  py::list changes;
  for (size_t i = 0; i < n; ++i)
    changes.append(pg::change_assignments_at(s.changes(), h[i].iteration));
  d["changes"] = py::module_::import("numpy").attr("array")(changes, "object");
  return d;
}

// Ctrl-C between two units of work (issue 8: "signals … no hang"). The GIL is held while the
// session computes, so Python's SIGINT handler has only noted the signal; running the handlers
// here raises KeyboardInterrupt (or whatever a handler the user installed raises) with the session
// at the boundary of the last unit it completed: a long run(1000000) stops within one iteration.
void check_signals() {
  if (PyErr_CheckSignals() != 0) throw py::error_already_set();
}

// A session that never aborts from Python: advancing past a fault returns False, as in the CLI.
struct PySession {
  std::unique_ptr<pg::Session> s;
};

PySession open_session(const py::handle& scenario_arg, const py::handle& sets_arg,
                       const py::object& seed) {
  const std::string scenario =
      checked_path(scenario_arg, "scenario", "a scenario file or a shipped scenario's name");
  std::vector<std::string> sets = checked_assignments(sets_arg, "sets");
  pg::Scenario sc = pg::load_scenario(scenario);
  // The seed key's own range (an integer in [0, 2^53 − 1]), checked before it becomes text.
  const pg::ParamSpec* spec = pg::find_param("seed");
  if (!seed.is_none())
    sets.push_back("seed=" +
                   std::to_string(checked_int(seed, "seed", static_cast<int64_t>(spec->min),
                                              static_cast<int64_t>(spec->max))));
  pg::apply_sets(sc, sets);
  return {std::make_unique<pg::Session>(std::move(sc))};
}

}  // namespace

void bind_session(py::module_& m) {
  py::class_<PySession>(m, "Session", "A pglab session (core/session/session.h).")
      .def(py::init(&open_session), py::arg("scenario"), py::arg("sets") = py::list(),
           py::arg("seed") = py::none())
      .def_static(
          "load",
          [](const py::handle& path) {
            return PySession{std::make_unique<pg::Session>(
                pg::load_session_file(checked_path(path, "path", "a pglab.session/1 file")))};
          },
          py::arg("path"))
      .def(
          "save",
          [](const PySession& p, const py::handle& path_arg) {
            const std::string path = checked_path(path_arg, "path", "the file to write");
            // A faulted session cannot advance (advance() returns False): say so, not "advance
            // first" (audit a12 F10d).
            if (!p.s->fault().empty())
              throw py::value_error("a session paused by a fault cannot be saved (" + p.s->fault() +
                                    "); reset() it first");
            if (!pg::session_saveable(*p.s))
              throw py::value_error(
                  "a session is saved at an iteration boundary; advance('iteration') first");
            pg::save_session_file(*p.s, path);
          },
          py::arg("path"))
      .def(
          "advance",
          // `count` steps of the granularity; False (and no more steps) once the session pauses
          // at a fault, as the CLI stops.
          [](PySession& p, const py::handle& g, const py::handle& count) {
            const pg::Granularity step =
                granularity_of(checked_str(g, "granularity", kGranularities));
            const int64_t n = checked_int(count, "count", 1, std::numeric_limits<int>::max());
            for (int64_t k = 0; k < n; ++k) {
              if (!p.s->advance(step)) return false;
              check_signals();
            }
            return true;
          },
          py::arg("granularity") = "iteration", py::arg("count") = 1)
      .def(
          "run",
          // Session::run_iterations one iteration at a time, so that Ctrl-C is seen between two.
          [](PySession& p, const py::handle& n) {
            const int64_t iterations =
                checked_int(n, "iterations", 0, std::numeric_limits<int>::max());
            for (int64_t k = 0; k < iterations; ++k) {
              if (!p.s->run_iterations(1)) return false;
              check_signals();
            }
            return true;
          },
          py::arg("iterations"))
      .def("reset",
           [](PySession& p, const py::args& args, const py::kwargs& kwargs) {
             no_arguments("Session.reset", args, kwargs);
             p.s->reset();
           })
      .def("copy",
           [](const PySession& p, const py::args& args, const py::kwargs& kwargs) {
             no_arguments("Session.copy", args, kwargs);
             return PySession{std::make_unique<pg::Session>(*p.s)};
           })
      .def_property_readonly("iteration", [](const PySession& p) { return p.s->iteration(); })
      .def_property_readonly("phase", [](const PySession& p) { return pg::name_of(p.s->phase()); })
      .def_property_readonly("fault", [](const PySession& p) { return p.s->fault(); })
      .def_property_readonly("saveable",
                             [](const PySession& p) { return pg::session_saveable(*p.s); })
      .def_property_readonly("total_steps", [](const PySession& p) { return p.s->total_steps(); })
      .def_property_readonly("total_episodes",
                             [](const PySession& p) { return p.s->total_episodes(); })
      .def_property_readonly("gamma", [](const PySession& p) { return p.s->env().gamma(); })
      .def_property_readonly("scenario",
                             [](const PySession& p) { return to_py(p.s->scenario().resolved); })
      .def_property_readonly("theta",
                             [](const PySession& p) { return from_vec(p.s->policy().params()); })
      .def("policy", [](const PySession& p) { return PyPolicy{PolicyPtr(p.s->policy().clone())}; })
      .def("behaviour_policy",
           [](const PySession& p) { return PyPolicy{PolicyPtr(p.s->behaviour_policy().clone())}; })
      .def("env", [](const PySession& p) { return PyEnv(p.s->env().clone(), p.s->scenario()); })
      .def("history", [](const PySession& p) { return history_dict(*p.s); })
      .def("batch", [](const PySession& p) { return p.s->batch(); })
      .def("estimate",
           [](const PySession& p) -> py::object {
             if (!p.s->has_estimate()) return py::none();
             return py::cast(p.s->last_estimate());
           })
      .def("exact",
           [](const PySession& p) -> py::object {
             if (!p.s->exact()) return py::none();
             return exact_dict(*p.s->exact());
           })
      .def("batch_dump",
           [](const PySession& p) {
             if (!p.s->has_estimate())
               throw py::value_error("no estimate yet; advance('estimate') first");
             return to_py(pg::batch_dump(*p.s));
           })
      .def(
          "set_live",
          [](PySession& p, const std::string& key, const py::handle& value) {
            return p.s->set_live(key, from_py(value, key));
          },
          py::arg("key"), py::arg("value"));
}

}  // namespace pgpy
