#include "io/history_rows.h"

#include <climits>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "io/json_text.h"

namespace pg {

using nlohmann::json;

namespace {

// `fail` with the promise that it does not return.
[[noreturn]] void fail_now(const JsonFail& fail, const std::string& key, const std::string& what) {
  fail(key, what);
  throw std::logic_error("a JsonFail must throw (" + key + ": " + what + ")");
}

}  // namespace

json number_json(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  return v;
}

json history_row_json(const IterationRecord& r) {
  return {{"iteration", r.iteration},
          {"episodes", r.episodes},
          {"steps", r.steps},
          {"return_mean", number_json(r.return_mean)},
          {"return_std", number_json(r.return_std)},
          {"grad_norm", number_json(r.grad_norm)},
          {"entropy", number_json(r.entropy)},
          {"exact_J", number_json(r.exact_J)}};
}

const json& json_member(const json& obj, const std::string& key, const std::string& path,
                        const JsonFail& fail) {
  if (!obj.is_object())
    fail_now(fail, path, "expected an object, got " + std::string(obj.type_name()));
  auto it = obj.find(key);
  if (it == obj.end()) fail_now(fail, path.empty() ? key : path + "." + key, "missing");
  return *it;
}

double json_number(const json& v, const std::string& key, const JsonFail& fail) {
  if (v.is_number()) return v.get<double>();
  if (v.is_string()) {
    const std::string& s = v.get_ref<const std::string&>();
    if (s == "nan") return std::numeric_limits<double>::quiet_NaN();
    if (s == "inf") return std::numeric_limits<double>::infinity();
    if (s == "-inf") return -std::numeric_limits<double>::infinity();
  }
  fail_now(fail, key,
           "expected a number (or \"nan\", \"inf\", \"-inf\"), got " + brief_json(v, 60));
}

long json_integer(const json& v, const std::string& key, long lo, long hi, const JsonFail& fail) {
  if (!v.is_number_integer()) fail_now(fail, key, "expected an integer, got " + brief_json(v, 60));
  // Above LONG_MAX, get<long> would wrap (18446744073709551615 read as -1).
  const bool above = v.is_number_unsigned() &&
                     v.get<unsigned long long>() > static_cast<unsigned long long>(LONG_MAX);
  const long x = above ? LONG_MAX : v.get<long>();
  if (above || x < lo || x > hi)
    fail_now(fail, key,
             "expected an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) +
                 "], got " + brief_json(v, 60));
  return x;
}

IterationRecord read_history_row(const json& h, const std::string& k, const JsonFail& fail) {
  auto member = [&](const char* key) -> const json& { return json_member(h, key, k, fail); };
  auto number = [&](const char* key) { return json_number(member(key), k + "." + key, fail); };
  IterationRecord r;
  r.iteration =
      static_cast<int>(json_integer(member("iteration"), k + ".iteration", 0, 10000000, fail));
  r.episodes = json_integer(member("episodes"), k + ".episodes", 0, LONG_MAX, fail);
  r.steps = json_integer(member("steps"), k + ".steps", 0, LONG_MAX, fail);
  r.return_mean = number("return_mean");
  r.return_std = number("return_std");
  r.grad_norm = number("grad_norm");
  r.entropy = number("entropy");
  r.exact_J = number("exact_J");
  return r;
}

}  // namespace pg
