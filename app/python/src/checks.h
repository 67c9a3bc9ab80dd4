#pragma once
// The bindings' checks of Python values (app/python), one helper per kind of value, so that every
// argument is refused the same way: a TypeError when the value is of the wrong kind (a float or a
// bool where an int is wanted), a ValueError when it is out of range (naming the argument, the
// index for arrays, and what is allowed), an IndexError for an index out of range. Nothing reaches
// pybind11's own casts, whose messages ("Unable to cast Python instance…", the signature dump)
// name neither the argument nor the range.

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "convert.h"
#include "io/params.h"
#include "util/text.h"

namespace pgpy {

// "integers in [lo, hi]"
inline std::string int_range(int64_t lo, int64_t hi) {
  return "integers in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]";
}

// True for Python's bool and NumPy's bool_ (by type name: no numpy import on the hot path of
// step(); "numpy.bool_" in NumPy 1, "numpy.bool" in NumPy 2).
inline bool is_bool(const py::handle& o) {
  if (PyBool_Check(o.ptr())) return true;
  const char* name = Py_TYPE(o.ptr())->tp_name;
  return std::strcmp(name, "numpy.bool_") == 0 || std::strcmp(name, "numpy.bool") == 0;
}

inline std::string repr_of(const py::handle& o) {
  return py::repr(o).cast<std::string>();
}

// A number as the messages print it (the core's: util/text.h).
inline std::string number_text(double v) {
  return pg::number_text(v);
}

// One Python integer (int or NumPy integer; not bool, not float) in [lo, hi], compared on its
// full value (2**70 is out of range, not cut to 64 bits). `what` names it: "seed", "action".
inline int64_t checked_int(const py::handle& o, const std::string& what, int64_t lo, int64_t hi) {
  const std::string allowed = "; allowed: " + int_range(lo, hi);
  if (is_bool(o)) throw py::type_error(what + " " + repr_of(o) + " is a bool" + allowed);
  if (PyLong_CheckExact(o.ptr())) {  // the common case, without a new reference
    int overflow = 0;
    const long long v = PyLong_AsLongLongAndOverflow(o.ptr(), &overflow);
    if (overflow == 0 && v >= lo && v <= hi) return v;
  }
  PyObject* index = PyNumber_Index(o.ptr());
  if (!index) {
    PyErr_Clear();
    throw py::type_error(what + " must be an integer, got " + repr_of(o) + " (" +
                         py::type::of(o).attr("__name__").cast<std::string>() + ")" + allowed);
  }
  const py::object i = py::reinterpret_steal<py::object>(index);
  int overflow = 0;
  const long long v = PyLong_AsLongLongAndOverflow(i.ptr(), &overflow);
  if (overflow != 0 || v < lo || v > hi)
    throw py::value_error(what + " " + py::str(i).cast<std::string>() + " is out of range" +
                          allowed);
  return v;
}

// An unsigned 64-bit integer (seeds: [0, 2**64 − 1]).
inline uint64_t checked_uint64(const py::handle& o, const std::string& what) {
  const std::string allowed = "; allowed: integers in [0, 18446744073709551615]";
  if (is_bool(o)) throw py::type_error(what + " " + repr_of(o) + " is a bool" + allowed);
  PyObject* index = PyNumber_Index(o.ptr());
  if (!index) {
    PyErr_Clear();
    throw py::type_error(what + " must be an integer, got " + repr_of(o) + allowed);
  }
  const py::object i = py::reinterpret_steal<py::object>(index);
  const unsigned long long v = PyLong_AsUnsignedLongLong(i.ptr());
  if (PyErr_Occurred()) {
    PyErr_Clear();
    throw py::value_error(what + " " + py::str(i).cast<std::string>() + " is out of range" +
                          allowed);
  }
  return v;
}

// An index into n things, as Python's sequences take it (IndexError when out of range).
inline size_t checked_index(const py::handle& o, const std::string& what, size_t n) {
  if (PyBool_Check(o.ptr()) || !PyIndex_Check(o.ptr()))
    throw py::type_error(what + " must be an integer, got " + repr_of(o));
  const int64_t hi = static_cast<int64_t>(n) - 1;
  try {
    return static_cast<size_t>(checked_int(o, what, 0, hi));
  } catch (const py::value_error&) {
    throw py::index_error(
        what + " " + py::str(o).cast<std::string>() + " is out of range; " +
        (n == 0 ? std::string("there are none") : "allowed: 0 to " + std::to_string(hi)));
  }
}

// The dtype kind of a 0-d NumPy array or NumPy scalar ('b', 'i', 'u', 'f', …); 0 for anything else
// (a Python number, a list, an array with dimensions).
inline char numpy_scalar_kind(const py::handle& o) {
  if (!py::hasattr(o, "ndim") || !py::hasattr(o, "dtype")) return 0;
  if (py::cast<long>(o.attr("ndim")) != 0) return 0;
  const std::string kind = py::str(o.attr("dtype").attr("kind"));
  return kind.size() == 1 ? kind[0] : 0;
}

inline bool checked_bool(const py::handle& o, const std::string& what) {
  if (is_bool(o) || numpy_scalar_kind(o) == 'b') return PyObject_IsTrue(o.ptr()) == 1;
  throw py::type_error(what + " must be True or False, got " + repr_of(o));
}

// Exact integers from an array-like, each in [lo, hi]: integer arrays on their full value, float
// arrays whose entries are whole numbers; 1.7, nan and bools are refused. `noun` names one entry
// ("action", "trajectory 0: observation"): "action nan at index 2 is not an integer; allowed: …".
// Without `whole_floats` every float is refused, whole or not, with a TypeError (a vector env's
// actions, as one env's step refuses 0.0): "action 0.0 at index 0 is a float; …".
inline std::vector<int64_t> checked_ints(const py::handle& obj, const std::string& noun, int64_t lo,
                                         int64_t hi, bool whole_floats = true) {
  const py::array a = py::isinstance<py::array>(obj)
                          ? py::reinterpret_borrow<py::array>(obj)
                          : py::array(py::module_::import("numpy").attr("asarray")(obj));
  const std::string allowed = "; allowed: " + int_range(lo, hi);
  const py::ssize_t n = a.size();
  std::vector<int64_t> out(static_cast<size_t>(n));
  auto at = [&](py::ssize_t i) { return " at index " + std::to_string(i); };
  auto out_of_range = [&](const std::string& v, py::ssize_t i) {
    return py::value_error(noun + " " + v + at(i) + " is out of range" + allowed);
  };
  // A float entry: a whole number in range, read as that integer.
  auto whole = [&](double x, py::ssize_t i) -> int64_t {
    if (!whole_floats) {
      std::string text = number_text(x);  // 0.0 as Python shows it, not "0"
      if (std::isfinite(x) && x == std::floor(x) && text.find_first_of(".e") == std::string::npos)
        text += ".0";
      throw py::type_error(noun + " " + text + at(i) +
                           " is a float; integers only (an int array, e.g. dtype=int)" + allowed);
    }
    if (!std::isfinite(x) || x != std::floor(x))
      throw py::value_error(noun + " " + number_text(x) + at(i) + " is not an integer" + allowed);
    if (x < static_cast<double>(lo) || x > static_cast<double>(hi))
      throw out_of_range(number_text(x), i);
    return static_cast<int64_t>(x);
  };
  const char kind = a.dtype().kind();
  if (kind == 'i') {
    const IArray v = py::cast<IArray>(a);
    for (py::ssize_t i = 0; i < n; ++i) {
      const int64_t x = v.data()[i];
      if (x < lo || x > hi) throw out_of_range(std::to_string(x), i);
      out[i] = x;
    }
  } else if (kind == 'u') {
    const auto v = py::cast<py::array_t<uint64_t, py::array::c_style | py::array::forcecast>>(a);
    for (py::ssize_t i = 0; i < n; ++i) {
      const uint64_t x = v.data()[i];
      if (x > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) ||
          static_cast<int64_t>(x) < lo || static_cast<int64_t>(x) > hi)
        throw out_of_range(std::to_string(x), i);
      out[i] = static_cast<int64_t>(x);
    }
  } else if (kind == 'f') {
    const DArray v = py::cast<DArray>(a);
    for (py::ssize_t i = 0; i < n; ++i) out[i] = whole(v.data()[i], i);
  } else if (kind == 'O') {  // Python ints beyond 64 bits, mixed lists
    const py::list items = a.attr("ravel")().attr("tolist")();
    for (py::ssize_t i = 0; i < n; ++i) {
      const py::handle x = items[static_cast<size_t>(i)];
      if (PyFloat_Check(x.ptr())) {
        out[i] = whole(PyFloat_AsDouble(x.ptr()), i);
        continue;
      }
      if (PyBool_Check(x.ptr()) || !PyIndex_Check(x.ptr()))
        throw py::type_error(noun + " " + repr_of(x) + at(i) + " is not an integer" + allowed);
      try {
        out[i] = checked_int(x, noun, lo, hi);
      } catch (const py::value_error&) {
        throw out_of_range(py::str(x).cast<std::string>(), i);
      }
    }
  } else {
    const std::string what =
        kind == 'b' ? "of booleans" : "of dtype " + py::str(a.dtype()).cast<std::string>();
    throw py::type_error(noun + " values must be integers, got an array " + what + allowed);
  }
  return out;
}

// Finite numbers (NaN and ±inf refused): "cart-pole's state value nan at index 2 is not finite".
inline void check_finite(const double* v, py::ssize_t n, const std::string& what) {
  for (py::ssize_t i = 0; i < n; ++i)
    if (!std::isfinite(v[i]))
      throw py::value_error(what + " value " + number_text(v[i]) + " at index " +
                            std::to_string(i) + " is not finite; allowed: finite numbers");
}

// A short repr for messages (an array's repr can run to pages).
inline std::string short_repr(const py::handle& o) {
  std::string r = repr_of(o);
  if (r.size() > 60) r = r.substr(0, 57) + "...";
  return r + " (" + py::type::of(o).attr("__name__").cast<std::string>() + ")";
}

// Numbers from a number, a list or a NumPy array, as a contiguous float64 array of the same shape.
// What is not numbers — a string, None, a lone bool, objects, a ragged list — is a TypeError naming
// the argument ("log_r must be numbers (a float or an array of floats), got 'a' (str)"), never
// NumPy's "could not convert string to float" or pybind11's signature dump. Integer arrays are read
// as their float values, boolean arrays as 0 and 1.
inline DArray float_array(const py::handle& o, const std::string& what) {
  auto not_numbers = [&]() {
    return py::type_error(what + " must be numbers (a float or an array of floats), got " +
                          short_repr(o));
  };
  if (o.is_none() || PyUnicode_Check(o.ptr()) || PyBytes_Check(o.ptr()) || is_bool(o))
    throw not_numbers();
  py::array a;
  if (py::isinstance<py::array>(o)) {
    a = py::reinterpret_borrow<py::array>(o);
  } else {
    try {
      a = py::array(py::module_::import("numpy").attr("asarray")(o));
    } catch (const py::error_already_set&) {  // a ragged list, an object NumPy cannot read
      throw not_numbers();
    }
  }
  const char kind = a.dtype().kind();
  // Booleans in an array count as 0 and 1 (a verifier's pass/fail as rewards); a lone bool is
  // refused above, as everywhere a number is asked for.
  if (kind != 'i' && kind != 'u' && kind != 'f' && kind != 'b') throw not_numbers();
  return py::cast<DArray>(a);
}

// "(2, 3)", Python's tuple form of an array's shape ("(3,)" for one dimension, "()" for none).
inline std::string shape_text(const py::array& a) {
  std::string s = "(";
  for (py::ssize_t d = 0; d < a.ndim(); ++d) s += (d ? ", " : "") + std::to_string(a.shape(d));
  return s + (a.ndim() == 1 ? ",)" : ")");
}

// One value per entry: a number, a 1-D array, or a column (n, 1) (a critic head's output). A
// table (2, 4) is refused rather than read flat ("two groups of 4" read as one group of 8 gave
// wrong advantages without a word). `hint`: what else the message says.
inline void require_vector(const py::array& a, const std::string& what,
                           const std::string& hint = "") {
  if (a.ndim() <= 1 || (a.ndim() == 2 && a.shape(1) == 1)) return;
  throw py::value_error(what + " of shape " + shape_text(a) +
                        " is not one value per entry; allowed: a 1-D array (or a column (n, 1))" +
                        hint);
}

// float_array, every entry finite: "adv value nan at index 2 is not finite".
inline DArray finite_floats(const py::handle& o, const std::string& what) {
  DArray a = float_array(o, what);
  check_finite(a.data(), a.size(), what);
  return a;
}

// A numeric argument checked against the scenario key table's row for the same setting (gamma
// as env.gamma, lam as advantage.lambda, …): the range and the message are the table's. A value
// that is not a number (a string, a bool, an array) is a TypeError.
inline double checked_param(const py::handle& v, const std::string& arg, const char* key) {
  const pg::ParamSpec* spec = pg::find_param(key);
  const std::string expected = spec ? "; expected " + pg::describe_allowed(*spec) : "";
  nlohmann::json j;
  const char kind = numpy_scalar_kind(v);  // NumPy scalars and 0-d arrays by their dtype
  auto not_a_number = [&]() -> py::type_error {
    return py::type_error(arg + " must be a number, got " + repr_of(v) + expected);
  };
  if (is_bool(v) || kind == 'b') throw not_a_number();
  if (PyFloat_Check(v.ptr()) || kind == 'f') {
    j = py::cast<double>(py::float_(py::reinterpret_borrow<py::object>(v)));
  } else if (PyLong_Check(v.ptr()) || kind == 'i' || kind == 'u') {
    // PyNumber_Index: an exact integer (NumPy's too); NULL (with an error set) for anything else.
    PyObject* index = PyNumber_Index(v.ptr());
    if (index == nullptr) {
      PyErr_Clear();
      throw not_a_number();
    }
    j = from_py(py::reinterpret_steal<py::object>(index));
  } else {
    throw not_a_number();  // strings, lists, arrays with dimensions, None
  }
  const std::string err = spec ? pg::check_value(*spec, j) : "";
  if (!err.empty()) throw py::value_error(arg + ": " + err + " (as the scenario key " + key + ")");
  return j.get<double>();
}

// A file path: a str, or an os.PathLike (pathlib.Path) read with os.fspath. Anything else is a
// TypeError naming the argument: "path must be a str or os.PathLike (a file path), got None
// (NoneType)" (pybind11 said "incompatible function arguments … Invoked with: None").
inline std::string checked_path(const py::handle& o, const std::string& what,
                                const std::string& meaning = "a file path") {
  if (PyUnicode_Check(o.ptr())) return utf8_of(o, what);
  if (!o.is_none() && py::hasattr(o, "__fspath__")) {
    const py::object p = py::module_::import("os").attr("fspath")(o);
    if (PyUnicode_Check(p.ptr())) return utf8_of(p, what);
  }
  throw py::type_error(what + " must be a str or os.PathLike (" + meaning + "), got " +
                       short_repr(o));
}

// A str: "granularity must be a str, got None (NoneType); allowed: env-step, …".
inline std::string checked_str(const py::handle& o, const std::string& what,
                               const std::string& allowed) {
  if (PyUnicode_Check(o.ptr())) return utf8_of(o, what);
  throw py::type_error(what + " must be a str, got " + short_repr(o) + "; allowed: " + allowed);
}

// --set assignments "key=value": a list or tuple of str, or one str (one assignment: iterated, a
// str was its characters, "--set 'a': expected key=value"). Elements that are not str are a
// TypeError naming their index.
inline std::vector<std::string> checked_assignments(const py::handle& o, const std::string& what) {
  const std::string form = " ('key=value', e.g. 'algorithm.lr=0.1')";
  if (PyUnicode_Check(o.ptr())) return {utf8_of(o, what)};
  if (!PyList_Check(o.ptr()) && !PyTuple_Check(o.ptr()))
    throw py::type_error(what + " must be a str or a list of str" + form + ", got " +
                         short_repr(o));
  std::vector<std::string> out;
  size_t i = 0;
  for (const py::handle item : o) {
    if (!PyUnicode_Check(item.ptr()))
      throw py::type_error(what + "[" + std::to_string(i) + "] must be a str" + form + ", got " +
                           short_repr(item));
    out.push_back(utf8_of(item, what + "[" + std::to_string(i) + "]"));
    ++i;
  }
  return out;
}

// For a method that takes no arguments, bound with (py::args, py::kwargs) so that a call with some
// is one line: "Session.reset() takes no arguments, got (5)" (pybind11 printed its signature
// table and "Invoked with: <pglab._core.Session object at 0x…>, 5").
inline void no_arguments(const char* method, const py::args& args, const py::kwargs& kwargs) {
  if (args.empty() && kwargs.empty()) return;
  std::string got;
  for (const py::handle a : args) got += (got.empty() ? "" : ", ") + repr_of(a);
  for (const auto& kv : kwargs)
    got += (got.empty() ? "" : ", ") + py::str(kv.first).cast<std::string>() + "=" +
           repr_of(kv.second);
  throw py::type_error(std::string(method) + "() takes no arguments, got (" + got + ")");
}

}  // namespace pgpy
