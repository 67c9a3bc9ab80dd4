#pragma once
// Conversions between pglab's core types and Python/NumPy for the bindings (app/python). Nothing
// here computes anything: arrays are copied in and out (the core keeps its own buffers), JSON
// crosses value by value (to_py, from_py; no text round trip), and pg::InputError becomes
// ValueError.

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <Eigen/Core>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "policy/policy.h"
#include "rollout/trajectory.h"

namespace pgpy {

namespace py = pybind11;

// A contiguous float64 array (a copy when the input is not already one).
using DArray = py::array_t<double, py::array::c_style | py::array::forcecast>;
using IArray = py::array_t<int64_t, py::array::c_style | py::array::forcecast>;

inline Eigen::VectorXd to_vec(const DArray& a) {
  Eigen::VectorXd v(a.size());
  const double* p = a.data();
  for (py::ssize_t i = 0; i < a.size(); ++i) v[i] = p[i];
  return v;
}

inline py::array_t<double> from_ptr(const double* p, std::vector<py::ssize_t> shape) {
  py::array_t<double> out(shape);
  std::copy(p, p + out.size(), out.mutable_data());
  return out;
}

inline py::array_t<double> from_vec(const Eigen::VectorXd& v) {
  return from_ptr(v.data(), {v.size()});
}

inline py::array_t<double> from_std(const std::vector<double>& v) {
  return from_ptr(v.data(), {static_cast<py::ssize_t>(v.size())});
}

inline py::array_t<int64_t> from_ints(const std::vector<int>& v) {
  py::array_t<int64_t> out(static_cast<py::ssize_t>(v.size()));
  std::copy(v.begin(), v.end(), out.mutable_data());
  return out;
}

// Row-major copy of an Eigen matrix (Eigen stores column-major).
inline py::array_t<double> from_mat(const Eigen::MatrixXd& m) {
  py::array_t<double> out({m.rows(), m.cols()});
  auto w = out.mutable_unchecked<2>();
  for (Eigen::Index r = 0; r < m.rows(); ++r)
    for (Eigen::Index c = 0; c < m.cols(); ++c) w(r, c) = m(r, c);
  return out;
}

// A Python str as UTF-8 text. A str holding a lone surrogate (os.listdir's and sys.argv's
// surrogate escape of a name that is not UTF-8, or "\udcff" typed) has no UTF-8 form: a
// ValueError naming the argument, "map: not UTF-8 text (a lone surrogate \udcff at character 0);
// paths and values must be UTF-8", where pybind11's cast said "Unable to cast Python instance to
// C++ type" (audit a8 F1). `o` must be a str.
inline std::string utf8_of(const py::handle& o, const std::string& what) {
  Py_ssize_t size = 0;
  if (const char* p = PyUnicode_AsUTF8AndSize(o.ptr(), &size)) return std::string(p, size);
  PyErr_Clear();
  const Py_ssize_t n = PyUnicode_GetLength(o.ptr());
  for (Py_ssize_t i = 0; i < n; ++i) {
    const Py_UCS4 c = PyUnicode_ReadChar(o.ptr(), i);
    if (c >= 0xD800 && c <= 0xDFFF) {
      char hex[16];
      std::snprintf(hex, sizeof hex, "\\u%04x", static_cast<unsigned>(c));
      throw py::value_error(what + ": not UTF-8 text (a lone surrogate " + hex + " at character " +
                            std::to_string(i) + "); paths and values must be UTF-8");
    }
  }
  throw py::value_error(what + ": not UTF-8 text; paths and values must be UTF-8");
}

// JSON as Python values, converted directly: a non-finite float stays a float (dump() would write
// null, so a policy with a −inf logit would not come back through Policy.from_dump).
inline py::object to_py(const nlohmann::json& j) {
  switch (j.type()) {
    case nlohmann::json::value_t::null:
      return py::none();
    case nlohmann::json::value_t::boolean:
      return py::bool_(j.get<bool>());
    case nlohmann::json::value_t::number_integer:
      return py::int_(j.get<int64_t>());
    case nlohmann::json::value_t::number_unsigned:
      return py::int_(j.get<uint64_t>());
    case nlohmann::json::value_t::number_float:
      return py::float_(j.get<double>());
    case nlohmann::json::value_t::string:
      return py::str(j.get_ref<const std::string&>());
    case nlohmann::json::value_t::array: {
      py::list out;
      for (const auto& e : j) out.append(to_py(e));
      return out;
    }
    case nlohmann::json::value_t::object: {
      py::dict out;
      for (auto it = j.begin(); it != j.end(); ++it) out[py::str(it.key())] = to_py(it.value());
      return out;
    }
    default:  // binary, discarded: not produced by the core
      return py::none();
  }
}

// A Python value as JSON, converted directly (no text round trip: json.dumps would write NaN and
// Infinity, which are not JSON, and nlohmann's parse error would reach the user). A non-finite
// float stays a float, so the key table refuses it with its own message ("value is not finite;
// expected a finite number in [0, 1]"). NumPy scalars and arrays convert as their values.
inline nlohmann::json from_py(const py::handle& o, const std::string& what = "value") {
  if (o.is_none()) return nullptr;
  if (PyBool_Check(o.ptr())) return o.ptr() == Py_True;
  if (PyLong_Check(o.ptr())) {
    int overflow = 0;
    const long long v = PyLong_AsLongLongAndOverflow(o.ptr(), &overflow);
    if (overflow == 0) return static_cast<int64_t>(v);
    return PyLong_AsDouble(o.ptr());  // beyond 64 bits: a (huge) number the range check refuses
  }
  if (PyFloat_Check(o.ptr())) return PyFloat_AsDouble(o.ptr());
  if (PyUnicode_Check(o.ptr())) return utf8_of(o, what);
  if (py::isinstance<py::dict>(o)) {
    nlohmann::json j = nlohmann::json::object();
    for (auto item : py::reinterpret_borrow<py::dict>(o)) {
      if (!PyUnicode_Check(item.first.ptr()))
        throw py::type_error("keys must be strings, got " +
                             py::repr(item.first).cast<std::string>());
      const std::string key = utf8_of(item.first, what + "'s key");
      j[key] = from_py(item.second, what + "[" + key + "]");
    }
    return j;
  }
  if (py::isinstance<py::list>(o) || py::isinstance<py::tuple>(o)) {
    nlohmann::json j = nlohmann::json::array();
    for (const py::handle x : o)
      j.push_back(from_py(x, what + "[" + std::to_string(j.size()) + "]"));
    return j;
  }
  // NumPy scalars (np.float64 is a float already) and arrays: their Python values.
  if (py::hasattr(o, "tolist") && py::hasattr(o, "dtype")) return from_py(o.attr("tolist")(), what);
  throw py::type_error("cannot use " + py::repr(o).cast<std::string>() +
                       " here: expected a number, a string, a bool, a list or a dict");
}

// A policy shared between Python objects (a Session hands out clones).
using PolicyPtr = std::shared_ptr<pg::Policy>;

void bind_env(py::module_& m);
void bind_exact(py::module_& m);
void bind_estimators(py::module_& m);
void bind_session(py::module_& m);

}  // namespace pgpy
