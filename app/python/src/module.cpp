// The `pglab._core` extension (pybind11): environments, policies, the exact oracle, estimators
// and sessions of core/, for the Python package in app/python/pglab. Bad input from Python is a
// ValueError with the core's one-line message (pg::InputError) or the bindings' own.

#include "convert.h"
#include "util/error.h"

PYBIND11_MODULE(_core, m) {
  m.doc() = "pglab's C++ core: environments, exact oracle, estimators, sessions";
  pybind11::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const pg::InputError& e) {
      PyErr_SetString(PyExc_ValueError, e.what());
    }
  });
  pgpy::bind_env(m);
  pgpy::bind_exact(m);
  pgpy::bind_estimators(m);
  pgpy::bind_session(m);
}
