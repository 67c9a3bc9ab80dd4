#include "lab/lesson.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <stdexcept>

#include "algo/algorithm.h"
#include "algo/formula.h"
#include "algo/grpo.h"
#include "io/json_text.h"
#include "io/params.h"
#include "io/session_file.h"
#include "lab/variance.h"
#include "session/budget.h"
#include "util/cancel.h"
#include "util/error.h"
#include "util/input_file.h"
#include "util/number_text.h"
#include "util/text.h"

namespace pg {

namespace {

using json = nlohmann::json;

constexpr const char* kFormat = kLessonFormat;
constexpr int kMaxSteps = 1000;
constexpr int kMaxCount = 100000;
constexpr int kMaxSamples = 100000;
// estimator_unbiased requires its tolerance k·s.e. to be under this part of ‖∇J‖: a check that
// would let through a mean a quarter of ∇J off says nothing about bias (audit a14 F1).
constexpr double kUnbiasedPowerFraction = 0.25;

struct Ctx {
  std::string file;
  std::map<std::string, int> lines;
  int root_line = 1;  // where the lesson's object starts

  // "file:line: key" with the line of the key, else of its nearest enclosing element.
  std::string where(const std::string& key) const {
    std::string path = key;
    for (;;) {
      if (auto it = lines.find(path); it != lines.end())
        return file_line(file, it->second) + ": " + printable(key);
      const size_t cut = path.find_last_of(".[");
      if (cut == std::string::npos || cut == 0) break;
      path.resize(cut);
    }
    // A top-level key missing: the line of the object that lacks it, as for a nested one.
    return file_line(file, root_line) + ": " + printable(key);
  }
  [[noreturn]] void fail(const std::string& key, const std::string& what) const {
    throw InputError(where(key), what);
  }

  void only_keys(const json& obj, const std::string& path,
                 const std::vector<std::string>& allowed) const {
    for (auto it = obj.begin(); it != obj.end(); ++it) {
      if (std::find(allowed.begin(), allowed.end(), it.key()) == allowed.end()) {
        std::string list;
        for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
        fail(path.empty() ? it.key() : path + "." + it.key(), "unknown key; allowed here: " + list);
      }
    }
  }
  std::string str(const json& obj, const std::string& path, const std::string& key, size_t max_len,
                  bool required) const {
    if (!obj.contains(key)) {
      if (required) fail(path.empty() ? key : path, "missing key \"" + key + "\" (a text)");
      return "";
    }
    const json& v = obj[key];
    const std::string at = path.empty() ? key : path + "." + key;
    if (!v.is_string()) fail(at, "expected a text, not " + brief_json(v, 40));
    const std::string s = v.get<std::string>();
    if (s.size() > max_len) fail(at, "text longer than " + std::to_string(max_len) + " characters");
    return s;
  }
  double num(const json& obj, const std::string& path, const std::string& key, double dflt,
             bool required) const {
    const std::string at = path + "." + key;
    if (!obj.contains(key)) {
      if (required) fail(path, "missing key \"" + key + "\" (a number)");
      return dflt;
    }
    const json& v = obj[key];
    if (!v.is_number()) fail(at, expected_got("a number", v));
    const double d = v.get<double>();
    if (!std::isfinite(d)) fail(at, expected_got("a finite number", v));
    return d;
  }
  int integer(const json& obj, const std::string& path, const std::string& key, int dflt, int lo,
              int hi) const {
    const std::string at = path + "." + key;
    if (!obj.contains(key)) return dflt;
    const json& v = obj[key];
    if (!v.is_number_integer() && !v.is_number_unsigned())
      fail(at, expected_got("an integer in " + range_text(lo, hi), v));
    // Above LLONG_MAX, get<long long> would wrap (18446744073709551615 read as -1).
    const bool above =
        v.is_number_unsigned() && v.get<unsigned long long>() > static_cast<unsigned long long>(hi);
    const long long x = above ? hi : v.get<long long>();
    if (above || x < lo || x > hi) fail(at, expected_got("an integer in " + range_text(lo, hi), v));
    return static_cast<int>(x);
  }
  std::vector<std::string> strings(const json& obj, const std::string& path, const std::string& key,
                                   const std::vector<std::string>& allowed,
                                   const std::string& allowed_text, size_t max_len = 200) const {
    std::vector<std::string> out;
    if (!obj.contains(key)) return out;
    const json& v = obj[key];
    const std::string at = path + "." + key;
    if (!v.is_array()) fail(at, "expected a list of texts, not " + brief_json(v, 40));
    for (size_t i = 0; i < v.size(); ++i) {
      const std::string el = at + "[" + std::to_string(i) + "]";
      if (!v[i].is_string()) fail(el, "expected a text, not " + brief_json(v[i], 40));
      const std::string s = v[i].get<std::string>();
      // A choice is a button's label: a page of text in one would not fit the prediction card.
      if (utf8_length(s) > max_len)
        fail(el, "text longer than " + std::to_string(max_len) + " characters");
      if (s.find_first_not_of(" \t\n") == std::string::npos) fail(el, "an empty text");
      if (!allowed.empty() && std::find(allowed.begin(), allowed.end(), s) == allowed.end())
        fail(el, "'" + printable(s, 60) + "' is not allowed; allowed: " + allowed_text);
      out.push_back(s);
    }
    return out;
  }
};

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

const std::vector<std::pair<std::string, Granularity>>& granularities() {
  static const std::vector<std::pair<std::string, Granularity>> g = {
      {"env-step", Granularity::kEnvStep}, {"episode", Granularity::kEpisode},
      {"batch", Granularity::kBatch},      {"estimate", Granularity::kEstimate},
      {"update", Granularity::kUpdate},    {"iteration", Granularity::kIteration}};
  return g;
}

EstimatorConfig parse_setting(const Ctx& ctx, const json& obj, const std::string& path) {
  if (!obj.is_object())
    ctx.fail(path, "expected {\"returns\": ..., \"baseline\": ...}, not " + brief_json(obj, 40));
  ctx.only_keys(obj, path, {"returns", "baseline"});
  const ParamSpec* r = find_param("estimator.returns");
  const ParamSpec* b = find_param("estimator.baseline");
  EstimatorConfig c;
  const std::string rs = ctx.str(obj, path, "returns", 40, true);
  if (std::find(r->allowed.begin(), r->allowed.end(), rs) == r->allowed.end())
    ctx.fail(path + ".returns",
             "'" + printable(rs) + "' is not allowed; allowed: " + join(r->allowed));
  const std::string bs = ctx.str(obj, path, "baseline", 40, true);
  if (std::find(b->allowed.begin(), b->allowed.end(), bs) == b->allowed.end())
    ctx.fail(path + ".baseline",
             "'" + printable(bs) + "' is not allowed; allowed: " + join(b->allowed));
  c.returns = returns_from_name(rs);
  c.baseline = baseline_from_name(bs);
  return c;
}

const std::vector<std::string> kClaims = {"exact_J",
                                          "estimator_unbiased",
                                          "trace_cov_order",
                                          "clip_fraction",
                                          "ess_fraction",
                                          "update_stat",
                                          "grpo_zero_spread_zero_gradient"};

Claim parse_claim(const Ctx& ctx, const json& obj, const std::string& path) {
  if (!obj.is_object())
    ctx.fail(path, "expected an object {\"claim\": ...}, not " + brief_json(obj, 40));
  Claim c;
  const std::string name = ctx.str(obj, path, "claim", 60, true);
  c.text = name;
  if (name == "exact_J") {
    ctx.only_keys(obj, path, {"claim", "op", "value"});
    c.kind = ClaimKind::kExactJ;
    c.op = ctx.str(obj, path, "op", 4, true);
    if (c.op != ">=" && c.op != "<=" && c.op != ">" && c.op != "<")
      ctx.fail(path + ".op", "'" + printable(c.op) + "' is not allowed; allowed: >=, <=, >, <");
    c.value = ctx.num(obj, path, "value", 0, true);
  } else if (name == "estimator_unbiased") {
    ctx.only_keys(obj, path, {"claim", "returns", "baseline", "samples", "within"});
    c.kind = ClaimKind::kEstimatorUnbiased;
    json setting = json::object();
    for (const char* k : {"returns", "baseline"})
      if (obj.contains(k)) setting[k] = obj[k];
    c.settings.push_back(parse_setting(ctx, setting, path));
    c.samples = ctx.integer(obj, path, "samples", 200, 2, kMaxSamples);
    c.within = ctx.num(obj, path, "within", 3, false);
    if (!(c.within > 0))
      ctx.fail(path + ".within", expected_got("a number of standard errors > 0", c.within));
  } else if (name == "trace_cov_order") {
    ctx.only_keys(obj, path, {"claim", "settings", "samples"});
    c.kind = ClaimKind::kTraceCovOrder;
    if (!obj.contains("settings") || !obj["settings"].is_array() || obj["settings"].size() < 2)
      ctx.fail(path + ".settings",
               "expected a list of at least two {\"returns\": ..., \"baseline\": ...}");
    for (size_t i = 0; i < obj["settings"].size(); ++i)
      c.settings.push_back(
          parse_setting(ctx, obj["settings"][i], path + ".settings[" + std::to_string(i) + "]"));
    c.samples = ctx.integer(obj, path, "samples", 200, 2, kMaxSamples);
  } else if (name == "clip_fraction" || name == "ess_fraction" || name == "update_stat") {
    c.kind = ClaimKind::kUpdateStat;
    if (name == "update_stat") {
      ctx.only_keys(obj, path, {"claim", "stat", "min", "max"});
      c.stat = ctx.str(obj, path, "stat", 60, true);
    } else {
      ctx.only_keys(obj, path, {"claim", "min", "max"});
      c.stat = name;
    }
    if (!obj.contains("min") && !obj.contains("max"))
      ctx.fail(path, "give \"min\", \"max\" or both");
    c.min = ctx.num(obj, path, "min", -1e300, false);
    c.max = ctx.num(obj, path, "max", 1e300, false);
    if (c.min > c.max) ctx.fail(path + ".min", "min is above max");
  } else if (name == "grpo_zero_spread_zero_gradient") {
    ctx.only_keys(obj, path, {"claim"});
    c.kind = ClaimKind::kGrpoZeroSpread;
  } else {
    ctx.fail(path + ".claim",
             "unknown claim '" + printable(name, 60) + "'; allowed: " + join(kClaims));
  }
  return c;
}

Prediction parse_prediction(const Ctx& ctx, const json& obj, const std::string& path) {
  if (!obj.is_object())
    ctx.fail(path, "expected an object {\"question\": ...}, not " + brief_json(obj, 40));
  ctx.only_keys(obj, path, {"question", "choices", "answer", "number", "tolerance"});
  Prediction p;
  p.question = ctx.str(obj, path, "question", 1000, true);
  if (obj.contains("choices")) {
    p.choices = ctx.strings(obj, path, "choices", {}, "", 120);
    if (p.choices.size() < 2 || p.choices.size() > 10)
      ctx.fail(path + ".choices", "expected 2 to 10 choices");
    if (!obj.contains("answer"))
      ctx.fail(path, "missing key \"answer\" (index of the right choice, from 0)");
    if (obj.contains("number") || obj.contains("tolerance"))
      ctx.fail(
          path,
          "a prediction has either \"choices\" and \"answer\" or \"number\" and \"tolerance\"");
    p.answer = ctx.integer(obj, path, "answer", 0, 0, static_cast<int>(p.choices.size()) - 1);
  } else {
    if (obj.contains("answer"))
      ctx.fail(path + ".answer", "\"answer\" goes with \"choices\"; a number uses \"number\"");
    p.number = ctx.num(obj, path, "number", 0, true);
    p.tolerance = ctx.num(obj, path, "tolerance", 0, true);
    if (p.tolerance < 0) ctx.fail(path + ".tolerance", expected_got("a number >= 0", p.tolerance));
  }
  return p;
}

// A step's "scenario", as load_scenario reads it: a relative path from the lesson's folder (a
// lesson and its scenarios travel together, whatever the current directory); a bare name is a
// file beside the lesson when there is one, else a shipped scenario's name.
std::string step_scenario_path(const std::string& lesson_file, const std::string& given) {
  namespace fs = std::filesystem;
  const fs::path p(given);
  if (p.is_absolute()) return given;
  const std::string beside = (fs::path(lesson_file).parent_path() / p).lexically_normal().string();
  if (given.find('/') == std::string::npos) return path_exists(beside) ? beside : given;
  if (!path_exists(beside))
    throw InputError(shorten_path(given),
                     "no such scenario file: a relative path is read from the lesson's folder, "
                     "and " +
                         quote(shorten_path(beside)) + " does not exist");
  return beside;
}

// A map file named in a step's set is read from the lesson's folder, as a scenario's env.map is
// read from the scenario's: a lesson and its maps move together to the class's machine and open
// from any working directory (they were read from the working directory). A bare name is a
// shipped map.
std::string step_map_path(const std::string& lesson_file, const std::string& given) {
  namespace fs = std::filesystem;
  if (given.empty() || resolve_map_path(given) != given || fs::path(given).is_absolute())
    return given;
  const fs::path beside = fs::path(lesson_file).parent_path() / given;
  std::error_code ec;
  const fs::path abs = fs::absolute(beside, ec);
  const std::string out = (ec ? beside : abs).lexically_normal().string();
  if (!path_exists(out))
    throw InputError(shorten_path(given),
                     "no such map file: a relative path is read from the lesson's folder, and " +
                         quote(shorten_path(out)) + " does not exist");
  return out;
}

}  // namespace

Lesson parse_lesson(const std::string& text, const std::string& file) {
  Ctx ctx;
  ctx.file = shorten_path(file);
  json in;
  JsonProblem problem;
  if (!parse_json_text(text, &in, &problem)) {
    std::string where = json_problem_where(ctx.file, problem);
    if (!problem.key.empty()) where += ": " + printable(problem.key);
    throw InputError(where, problem.reason);
  }
  ctx.lines = json_key_lines(without_bom(text));
  ctx.root_line = json_root_line(without_bom(text));
  if (!in.is_object())
    throw InputError(file_line(ctx.file, 1),
                     "a lesson is a JSON object {\"format\": \"pglab.lesson/1\", ...}, not " +
                         std::string(in.type_name()));
  Lesson l;
  l.source = file;
  try {
    // The format first: another pglab file (a session, whose keys are not a lesson's) is named
    // as what it is rather than by its first key a lesson does not know.
    const std::string format = ctx.str(in, "", "format", 100, true);
    if (format == kSessionFormat)
      ctx.fail("format", "this is a session file (" + std::string(kSessionFormat) +
                             "), not a lesson (" + kFormat +
                             "); open it with pglab train --load or pglab shot --session");
    if (format != kFormat)
      ctx.fail("format", "'" + printable(format, 60) +
                             "' is not a format this pglab reads; allowed: " + kFormat);
    ctx.only_keys(in, "", {"format", "title", "description", "steps"});
    l.title = ctx.str(in, "", "title", 200, true);
    l.description = ctx.str(in, "", "description", 4000, false);
    if (!in.contains("steps") || !in["steps"].is_array() || in["steps"].empty())
      ctx.fail("steps", "expected a non-empty list of steps");
    if (in["steps"].size() > kMaxSteps)
      ctx.fail("steps", "more than " + std::to_string(kMaxSteps) + " steps");
    const ParamSpec* views = find_param("views");
    std::optional<Scenario> current;  // to validate each step's set-up as it will run
    for (size_t i = 0; i < in["steps"].size(); ++i) {
      const std::string path = "steps[" + std::to_string(i) + "]";
      const json& st = in["steps"][i];
      if (!st.is_object())
        ctx.fail(path, "expected an object {\"title\": ...}, not " + brief_json(st, 40));
      ctx.only_keys(st, path,
                    {"title", "scenario", "set", "advance", "views", "lock", "hide", "text",
                     "prediction", "check", "explanation"});
      LessonStep step;
      if (auto it = ctx.lines.find(path); it != ctx.lines.end()) step.line = it->second;
      step.title = ctx.str(st, path, "title", 200, true);
      step.scenario = ctx.str(st, path, "scenario", 4096, false);
      if (!step.scenario.empty()) {
        try {
          step.scenario = step_scenario_path(file, step.scenario);
        } catch (const InputError& e) {
          ctx.fail(path + ".scenario", e.what());
        }
      }
      if (st.contains("set")) {
        const json& set = st["set"];
        if (!set.is_object())
          ctx.fail(path + ".set", "expected an object {\"estimator.baseline\": \"mean\", ...}");
        for (auto it = set.begin(); it != set.end(); ++it) {
          const ParamSpec* spec = find_param(it.key());
          const std::string at = path + ".set." + it.key();
          if (!spec)
            ctx.fail(at,
                     "unknown scenario key (see `pglab --help-all` and the README's key table)");
          const std::string err = check_value(*spec, it.value());
          if (!err.empty()) ctx.fail(at, err);
          json value = it.value();
          if (it.key() == "env.map" && value.is_string()) {
            try {
              value = step_map_path(file, value.get<std::string>());
            } catch (const InputError& e) {
              ctx.fail(at, e.what());
            }
          }
          step.set.emplace_back(it.key(), std::move(value));
        }
      }
      if (!step.scenario.empty()) {
        try {
          current = load_scenario(step.scenario);
        } catch (const InputError& e) {
          ctx.fail(path + ".scenario", e.what());
        }
      } else if (!current) {
        ctx.fail(path, "the first step must name a \"scenario\"");
      }
      if (!step.set.empty()) {
        try {
          set_values(*current, step.set);
          // As --set: a key that would change nothing here is an author's mistake, not a lesson.
          std::vector<std::string> keys;
          for (const auto& kv : step.set) keys.push_back(kv.first);
          refuse_inapplicable(*current, keys);
        } catch (const InputError& e) {
          ctx.fail(path + ".set", e.what());
        }
      }
      if (st.contains("advance")) {
        const json& a = st["advance"];
        const std::string ap = path + ".advance";
        if (!a.is_object()) ctx.fail(ap, "expected {\"by\": \"iteration\", \"count\": 10}");
        ctx.only_keys(a, ap, {"by", "count"});
        const std::string by = ctx.str(a, ap, "by", 40, true);
        bool found = false;
        std::string names;
        for (const auto& [n, g] : granularities()) {
          names += (names.empty() ? "" : ", ") + n;
          if (n == by) step.by = g, found = true;
        }
        if (!found)
          ctx.fail(ap + ".by", "'" + printable(by, 40) + "' is not allowed; allowed: " + names);
        step.count = ctx.integer(a, ap, "count", 1, 0, kMaxCount);
      }
      step.views = ctx.strings(st, path, "views", views->allowed, join(views->allowed));
      std::vector<std::string> keys;
      for (const auto& p : scenario_params()) keys.push_back(p.key);
      step.lock = ctx.strings(st, path, "lock", keys,
                              "scenario keys (e.g. estimator.baseline, algorithm.lr)");
      step.hide = ctx.strings(st, path, "hide", keys,
                              "scenario keys (e.g. estimator.baseline, algorithm.lr)");
      step.text = ctx.str(st, path, "text", 4000, false);
      step.explanation = ctx.str(st, path, "explanation", 4000, false);
      if (st.contains("prediction"))
        step.prediction = parse_prediction(ctx, st["prediction"], path + ".prediction");
      if (st.contains("check")) {
        step.check = parse_claim(ctx, st["check"], path + ".check");
        if (auto it = ctx.lines.find(path + ".check"); it != ctx.lines.end())
          step.check_line = it->second;
      }
      if (step.prediction && step.prediction->numeric() && !step.check)
        ctx.fail(path + ".prediction",
                 "a number prediction needs a \"check\" whose measured value it is compared with");
      l.steps.push_back(std::move(step));
    }
  } catch (const json::exception& e) {
    throw InputError(ctx.file, "cannot read the lesson: " + printable(e.what()));
  }
  return l;
}

std::vector<std::string> list_lessons() {
  std::vector<std::string> out;
  std::error_code ec;
  const std::string dir = asset_dir() + "/lessons";
  if (!is_directory(dir)) return out;
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.size() > 5 && name.substr(name.size() - 5) == ".json")
      out.push_back(name.substr(0, name.size() - 5));
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string lesson_file_path(const std::string& path_or_name) {
  if (path_exists(path_or_name) || path_or_name.find('/') != std::string::npos ||
      path_or_name.size() > 250)
    return path_or_name;  // read as given, so its own problem is named
  std::string candidate = asset_dir() + "/lessons/" + path_or_name;
  if (candidate.size() < 5 || candidate.substr(candidate.size() - 5) != ".json")
    candidate += ".json";
  return path_exists(candidate) ? candidate : "";
}

Lesson load_lesson(const std::string& path_or_name) {
  const std::string path = lesson_file_path(path_or_name);
  if (path.empty()) {
    // An asset directory without lessons lists none: name why (as a scenario's name does), not
    // an empty list (audit a14 M5).
    const std::vector<std::string> names = list_lessons();
    const std::string problem = asset_dir_problem();
    if (!problem.empty())
      throw InputError(shorten_path(path_or_name), "no such lesson file, and " + problem);
    if (names.empty())
      throw InputError(shorten_path(path_or_name), "no such lesson file, and the asset directory " +
                                                       shorten_path(asset_dir()) +
                                                       " has no lessons/ folder with lessons");
    throw InputError(shorten_path(path_or_name),
                     "no such lesson file; shipped lessons: " + join(names));
  }
  return parse_lesson(
      read_input_file(path, "lesson file", "a JSON lesson (.json, format pglab.lesson/1)"), path);
}

std::string describe(const Claim& c) {
  char buf[200];
  switch (c.kind) {
    case ClaimKind::kExactJ:
      std::snprintf(buf, sizeof buf, "exact_J %s %.6g", c.op.c_str(), c.value);
      return buf;
    case ClaimKind::kEstimatorUnbiased:
      std::snprintf(buf, sizeof buf,
                    "unbiased %s: by its formula, and |mean g - grad J| <= %.3g s.e. < "
                    "|grad J|/%g (K=%d)",
                    setting_name(c.settings[0]).c_str(), c.within, 1.0 / kUnbiasedPowerFraction,
                    c.samples);
      return buf;
    case ClaimKind::kTraceCovOrder: {
      std::string s = "trace Cov ";
      for (size_t i = 0; i < c.settings.size(); ++i)
        s.append(i ? " > " : "").append(setting_name(c.settings[i]));
      return s + " (K=" + std::to_string(c.samples) + ")";
    }
    case ClaimKind::kUpdateStat: {
      std::string s = c.stat;
      if (c.min > -1e299) {
        std::snprintf(buf, sizeof buf, " >= %.6g", c.min);
        s += buf;
      }
      if (c.max < 1e299) {
        std::snprintf(buf, sizeof buf, "%s <= %.6g", c.min > -1e299 ? " and" : "", c.max);
        s += buf;
      }
      return s;
    }
    case ClaimKind::kGrpoZeroSpread:
      return "a GRPO group with equal rewards has zero advantage (no gradient from its rewards)";
  }
  return "?";
}

namespace {

// The variance lab's claims compare REINFORCE's estimator settings; on an algorithm whose gradient
// is something else (A2C, PPO, GRPO, SAC) they would describe an estimator the session does not
// run (the helper's audit: estimator_unbiased "held" on SAC), so the claim is refused, as the
// variance view refuses the analysis.
void require_reinforce_estimators(const Session& s, const char* claim) {
  const AlgorithmInfo info = s.algorithm().info(s.scenario());
  if (!info.supports(Analysis::kEstimatorVariance))
    throw InputError(std::string("check ") + claim,
                     info.title +
                         " does not use REINFORCE's estimator settings, which this claim "
                         "compares; use a REINFORCE scenario");
}

// Why a REINFORCE setting is biased for ∇J by its formula, "" when it is not: the cases of
// is_unbiased (estimator/estimator_config.h) in words, for the claim's outcome. evaluate_claim
// asserts that the two agree, so the claim fails exactly where `pglab variance` prints
// "unbiased no" (the helper's audit a14 F1: a batch-mean baseline was certified "unbiased").
std::string bias_by_formula(const EstimatorConfig& e, double gamma) {
  if (e.normalize) return "estimator.normalize rescales every psi by a statistic of the same batch";
  switch (e.baseline) {
    case Baseline::kMean:
      return "the batch mean includes the episode itself, so its baseline depends on its own "
             "actions: an O(1/N) bias, E[g] = (1 - 1/N) grad J with total returns";
    case Baseline::kTimeMean:
      return "the mean at step t includes the episode itself, so its baseline depends on its "
             "own actions: an O(1/N) bias";
    case Baseline::kOptimal:
      return "b*_k is computed from the same batch, the episode itself included: an O(1/N) bias";
    default:
      break;
  }
  if (e.returns == Returns::kRewardToGo && gamma < 1.0 && !e.discount_weighting) {
    char buf[200];
    std::snprintf(buf, sizeof buf,
                  "reward-to-go without estimator.discount_weighting drops the gamma^t the "
                  "discounted objective puts on step t (gamma = %g)",
                  gamma);
    return buf;
  }
  return "";
}

}  // namespace

ClaimResult evaluate_claim(const Claim& c, const Session& s, const std::atomic<bool>* cancel) {
  ClaimResult r;
  char buf[400];
  switch (c.kind) {
    case ClaimKind::kExactJ: {
      if (!s.exact())
        throw InputError("check exact_J",
                         "this world has no exact model (cart-pole); use a finite world");
      const double J = s.exact()->J;
      r.measured = J;
      r.holds = c.op == ">="   ? J >= c.value
                : c.op == "<=" ? J <= c.value
                : c.op == ">"  ? J > c.value
                               : J < c.value;
      std::snprintf(buf, sizeof buf, "exact J = %.6g", J);
      r.detail = buf;
      return r;
    }
    case ClaimKind::kEstimatorUnbiased: {
      require_reinforce_estimators(s, "estimator_unbiased");
      if (!s.exact())
        throw InputError("check estimator_unbiased",
                         "this world has no exact gradient; use a finite world");
      require_available_settings(s, c.settings, "check estimator_unbiased");
      // The setting as the session runs it (its normalize and discount weighting), as
      // trace_cov_order and the variance view's table measure it.
      std::vector<EstimatorConfig> settings = c.settings;
      for (auto& e : settings) {
        e.normalize = e.normalize || s.estimator().normalize;
        e.discount_weighting = e.discount_weighting || s.estimator().discount_weighting;
      }
      VarianceOptions o;
      o.cancel = cancel;
      o.samples_name = "samples";
      const VarianceReport rep = run_variance(s, settings, c.samples, o);
      throw_if_cancelled(cancel);  // the report is empty then
      const VarianceSetting& v = rep.settings.at(0);
      // ‖ḡ − ∇J‖ in standard errors √(trace Cov / K): E‖ḡ − ∇J‖² = trace Cov / K for an unbiased
      // estimator, so an unbiased one sits near 1 and rarely beyond 3.
      r.measured =
          v.bias_stderr > 0 ? v.bias_norm / v.bias_stderr : (v.bias_norm == 0 ? 0 : INFINITY);
      std::snprintf(buf, sizeof buf, "|mean g - grad J| = %.4g, s.e. = %.4g: %.3g s.e.",
                    v.bias_norm, v.bias_stderr, r.measured);
      const std::string sampled = buf;
      // 1. Unbiased by its formula (the flag `pglab variance` prints): a sampled mean within a
      //    few standard errors cannot certify a setting that is biased by construction.
      const std::string why = bias_by_formula(v.config, s.env().gamma());
      PG_ASSERT(why.empty() == v.unbiased, "bias_by_formula disagrees with is_unbiased");
      if (!why.empty()) {
        r.holds = false;
        r.detail = setting_name(v.config) + " is biased by its formula (" + why + "); " + sampled;
        return r;
      }
      // 2. The check has the power to tell: its tolerance k s.e. is a small part of ‖∇J‖, else
      //    an estimator far off (a zero mean, the lesson's own "systematically shorter") would
      //    pass too (audit a14 F1: lesson 2's 3 s.e. = 3.86 against ‖∇J‖ = 2.75).
      const double grad_norm = rep.exact_gradient.norm();
      const double tolerance = c.within * v.bias_stderr;
      const double allowed = kUnbiasedPowerFraction * grad_norm;
      if (!(tolerance < allowed)) {
        r.holds = false;
        if (grad_norm == 0) {
          r.detail = sampled + "; but grad J = 0 here, so no bias can be measured against it";
          return r;
        }
        // k·√(trace Cov / K') < f‖∇J‖ ⇔ K' > K (k s.e. / f‖∇J‖)².
        const double need = std::floor(c.samples * std::pow(tolerance / allowed, 2)) + 1;
        char more[160];
        if (need <= kMaxSamples)
          std::snprintf(more, sizeof more, "samples >= %.0f would do", need);
        else
          std::snprintf(more, sizeof more, "about %.3g samples would, more than the %d allowed",
                        need, kMaxSamples);
        std::snprintf(buf, sizeof buf,
                      "; but %.3g s.e. = %.4g is %.0f%% of |grad J| = %.4g (at most %.0f%%): too "
                      "few samples to tell a biased estimator from an unbiased one; ",
                      c.within, tolerance, 100 * tolerance / grad_norm, grad_norm,
                      100 * kUnbiasedPowerFraction);
        r.detail = sampled + buf + more;
        return r;
      }
      // 3. The sampled mean is within the tolerance.
      r.holds = r.measured <= c.within;
      std::snprintf(buf, sizeof buf, "; %.3g s.e. = %.2g%% of |grad J| = %.4g", c.within,
                    100 * tolerance / grad_norm, grad_norm);
      r.detail = sampled + buf;
      return r;
    }
    case ClaimKind::kTraceCovOrder: {
      require_reinforce_estimators(s, "trace_cov_order");
      require_available_settings(s, c.settings, "check trace_cov_order");
      std::vector<EstimatorConfig> settings = c.settings;
      for (auto& e : settings) {
        e.normalize = s.estimator().normalize;
        e.discount_weighting = s.estimator().discount_weighting;
      }
      VarianceOptions o;
      o.cancel = cancel;
      o.samples_name = "samples";
      const VarianceReport rep = run_variance(s, settings, c.samples, o);
      throw_if_cancelled(cancel);  // the report is empty then
      r.holds = true;
      r.measured = INFINITY;  // the smallest ratio of neighbours (> 1 when the order holds)
      r.detail = "trace";
      for (size_t i = 0; i < rep.settings.size(); ++i) {
        const double b = rep.settings[i].trace_cov;
        // The relation measured between neighbours, which is the claimed ">" only where it holds.
        const char* rel = "";
        if (i > 0) {
          const double a = rep.settings[i - 1].trace_cov;
          if (!(a > b)) r.holds = false;
          r.measured = std::min(r.measured, b > 0 ? a / b : (a > 0 ? INFINITY : 1.0));
          rel = a > b ? " >" : a < b ? " <" : a == b ? " =" : " vs";
        }
        std::snprintf(buf, sizeof buf, "%s %.4g", rel, b);
        r.detail += buf;
      }
      std::snprintf(buf, sizeof buf, " (smallest ratio %.3g)", r.measured);
      r.detail += buf;
      return r;
    }
    case ClaimKind::kUpdateStat: {
      const UpdateStats& u = s.update_stats();
      if (!u.has(c.stat)) {
        std::string have;
        for (const auto& [k, v] : u.values) have += (have.empty() ? "" : ", ") + k;
        throw InputError("check " + printable(c.stat),
                         "the last update reported no such statistic; it reported: " +
                             (have.empty() ? "(none; advance past an update first)" : have));
      }
      r.measured = u.get(c.stat);
      r.holds = r.measured >= c.min && r.measured <= c.max;
      std::snprintf(buf, sizeof buf, "%s = %.4g", c.stat.c_str(),
                    r.measured + 0.0);  // + 0.0: a −0 minimum reads 0, not "-0"
      r.detail = buf;
      return r;
    }
    case ClaimKind::kGrpoZeroSpread: {
      const GrpoRecord* g = s.algorithm().group_record();
      if (!g)
        throw InputError("check grpo_zero_spread_zero_gradient",
                         "the session's algorithm is not grpo");
      int zero = 0;
      double max_abs = 0;
      const int G = s.scenario().grpo.group_size;
      for (const GrpoGroup& grp : g->groups) {
        if (!grp.zero_spread) continue;
        ++zero;
        for (int k = 0; k < G; ++k)
          max_abs = std::max(max_abs, std::abs(g->completions.at(grp.first + k).advantage));
      }
      r.measured = max_abs;
      r.holds = zero > 0 && max_abs == 0.0;
      std::snprintf(buf, sizeof buf, "%d of %zu groups with equal rewards; max |A| in them = %.3g",
                    zero, g->groups.size(), max_abs);
      r.detail = buf;
      return r;
    }
  }
  return r;
}

InputError lesson_step_error(const Lesson& lesson, int i, const InputError& e) {
  const LessonStep& st = lesson.steps.at(static_cast<size_t>(i));
  return InputError(
      file_line(shorten_path(lesson.source), st.line) + ": steps[" + std::to_string(i) + "]",
      e.what());
}

std::optional<Scenario> lesson_step_scenario(const Lesson& lesson, int i, const Session* current) {
  const LessonStep& st = lesson.steps.at(static_cast<size_t>(i));
  if (st.scenario.empty() && st.set.empty()) return std::nullopt;
  PG_ASSERT(!st.scenario.empty() || current,
            "a step that only sets keys needs a session (parse_lesson requires a first scenario)");
  try {
    Scenario sc = !st.scenario.empty() ? load_scenario(st.scenario) : current->scenario();
    if (!st.set.empty()) set_values(sc, st.set);
    return sc;
  } catch (const InputError& e) {
    throw lesson_step_error(lesson, i, e);
  }
}

int lesson_step_units(const Lesson& lesson, int i) {
  const LessonStep& st = lesson.steps.at(static_cast<size_t>(i));
  return st.count + (st.check ? 1 : 0);
}

StepOutcome run_lesson_step(const Lesson& lesson, int i, Session& s,
                            const std::atomic<bool>* cancel, std::atomic<int>* progress) {
  const LessonStep& st = lesson.steps.at(static_cast<size_t>(i));
  // Each advance adds at most one history row (a whole iteration at most), kept by the session
  // over the steps that continue it: refused before the first when they cannot fit.
  try {
    require_history_fits(s, st.count, "steps[" + std::to_string(i) + "].advance.count");
  } catch (const InputError& e) {
    throw InputError(file_line(shorten_path(lesson.source), st.line) + ": " + e.where(),
                     e.problem());
  }
  for (int k = 0; k < st.count; ++k) {
    throw_if_cancelled(cancel);
    if (!s.advance(st.by)) throw std::runtime_error("the session stopped: " + s.fault());
    if (progress) progress->fetch_add(1, std::memory_order_relaxed);
  }
  StepOutcome o;
  if (st.check) {
    o.has_check = true;
    try {
      o.result = evaluate_claim(*st.check, s, cancel);
    } catch (const InputError& e) {
      // A claim that does not fit its session: name its check's place in the file.
      const std::string file = shorten_path(lesson.source);
      throw InputError(file_line(file, st.check_line > 0 ? st.check_line : st.line) + ": steps[" +
                           std::to_string(i) + "].check",
                       e.what());
    }
    if (progress) progress->fetch_add(1, std::memory_order_relaxed);
    if (st.prediction && st.prediction->numeric()) {
      o.prediction_checked = true;
      o.prediction_right =
          std::abs(o.result.measured - st.prediction->number) <= st.prediction->tolerance;
    }
  }
  return o;
}

std::string lesson_step_line(const Lesson& lesson, int i, const StepOutcome& o) {
  const LessonStep& st = lesson.steps.at(static_cast<size_t>(i));
  const std::string head = "step " + std::to_string(i + 1) + " | " + printable(st.title, 120);
  if (!o.has_check) return head + " | (no claim) | - | ok";
  std::string verdict = o.result.holds ? "holds" : "FAILS";
  if (o.prediction_checked) {
    char buf[160];
    std::snprintf(buf, sizeof buf, "; prediction %.6g +- %.3g %s", st.prediction->number,
                  st.prediction->tolerance, o.prediction_right ? "right" : "WRONG");
    verdict += buf;
  }
  return head + " | " + describe(*st.check) + " | " + o.result.detail + " | " + verdict;
}

void LessonTally::add(const StepOutcome& o) {
  if (!o.has_check) return;
  ++claims;
  claims_hold += o.result.holds;
  predictions_wrong += o.prediction_checked && !o.prediction_right;
}

std::string LessonTally::summary() const {
  // A wrong number prediction fails the check too: said on the last line, which otherwise read
  // "1 of 1 claims hold" beside an exit status of 1.
  std::string s = std::to_string(claims_hold) + " of " + std::to_string(claims) + " claims hold";
  if (predictions_wrong > 0)
    s += "; " + std::to_string(predictions_wrong) + " number prediction" +
         (predictions_wrong == 1 ? "" : "s") + " wrong";
  return s;
}

StepOutcome LessonRunner::run_step(int i, std::atomic<int>* progress) {
  if (std::optional<Scenario> sc = lesson_step_scenario(lesson_, i, session_.get())) {
    try {
      session_ = std::make_unique<Session>(std::move(*sc), cancel_);
    } catch (const InputError& e) {
      throw lesson_step_error(lesson_, i, e);  // a setting the session refuses: name the step
    }
  }
  PG_ASSERT(session_, "the first step names a scenario (parse_lesson checks it)");
  return run_lesson_step(lesson_, i, *session_, cancel_, progress);
}

}  // namespace pg
