#include "io/view_state.h"

#include <cmath>
#include <cstdio>

#include "io/history_rows.h"
#include "io/json_text.h"
#include "session/live_params.h"
#include "util/error.h"
#include "util/input_file.h"
#include "util/number_text.h"
#include "util/text.h"

namespace pg {

using nlohmann::json;

namespace {

constexpr Granularity kGranularities[] = {Granularity::kEnvStep, Granularity::kEpisode,
                                          Granularity::kBatch,   Granularity::kEstimate,
                                          Granularity::kUpdate,  Granularity::kIteration};

// `fail` with the promise that it does not return.
class Failer {
 public:
  explicit Failer(const ViewStateFail& f) : f_(f) {}
  [[noreturn]] void operator()(const std::string& key, const std::string& what) const {
    f_("views." + key, what);
    PG_ASSERT(false, "a ViewStateFail throws");
  }

 private:
  const ViewStateFail& f_;
};

// Reads "lesson" back: its shape always (types, a step in range of the file's own steps, every
// step before the one on show run and none after it), and with `open_lesson` against the lesson
// it names, opened again from its file (its title, its number of steps, each prediction's kind
// and range). One function for every loader, so train/replay --load, Python, shot --session and
// the window refuse the same malformed files with the same words.
// With open_lesson, a lesson that cannot be opened, or was edited since (another title), is no
// refusal: *unopened says why, and the rest is read as its shape alone.
LessonProgress read_lesson_progress(const json& j, const Failer& fail, bool open_lesson,
                                    std::string* unopened) {
  if (!j.is_object()) fail("lesson", expected_got("an object", j));
  if (!j.contains("name") || !j["name"].is_string()) fail("lesson.name", "expected a string");
  LessonProgress l;
  l.name = j["name"].get<std::string>();
  if (j.contains("title") && !j["title"].is_string()) fail("lesson.title", "expected a string");
  if (open_lesson) {
    std::string why;
    try {
      l.lesson = std::make_shared<const Lesson>(load_lesson(l.name));
      if (j.contains("title") && j["title"] != l.lesson->title)
        why = "the file was saved with another lesson of this name (" +
              printable(safe_dump(j["title"]), 80) + ")";
    } catch (const std::exception& e) {
      why = std::string("the lesson cannot be opened: ") + e.what();
    }
    if (!why.empty()) {
      *unopened = why;
      l.lesson.reset();
    }
  }
  const Lesson* lesson = l.lesson.get();
  const json& steps = j.contains("steps") ? j["steps"] : json();
  // Without the lesson, its number of steps is the file's own (a lesson has at least one).
  const int n = lesson             ? static_cast<int>(lesson->steps.size())
                : steps.is_array() ? static_cast<int>(steps.size())
                                   : 0;
  const json& step = j.contains("step") ? j["step"] : json();
  if (n > 0 && (!step.is_number_integer() || step.get<long>() < 0 || step.get<long>() >= n))
    fail("lesson.step", expected_got("an integer in " + range_text(0, n - 1), step));
  if (!steps.is_array() || static_cast<int>(steps.size()) != n || n == 0)
    fail("lesson.steps",
         lesson ? "expected " + std::to_string(n) + " entries, one per step of the lesson"
                : std::string("expected a list of one entry per step of the "
                              "lesson (at least one)"));
  l.step = step.get<int>();
  l.steps.resize(static_cast<size_t>(n));
  for (int k = 0; k < n; ++k) {
    const json& st = steps[static_cast<size_t>(k)];
    const std::string at = "lesson.steps[" + std::to_string(k) + "]";
    if (!st.is_object()) fail(at, expected_got("an object", st));
    const LessonStep* ls = lesson ? &lesson->steps[static_cast<size_t>(k)] : nullptr;
    LessonStepProgress& g = l.steps[static_cast<size_t>(k)];
    if (st.contains("choice")) {
      const json& c = st["choice"];
      if (ls) {
        const int choices = ls->prediction ? static_cast<int>(ls->prediction->choices.size()) : 0;
        if (!c.is_number_integer() || c.get<long>() < 0 || c.get<long>() >= choices)
          fail(at + ".choice", choices > 0
                                   ? expected_got("an integer in " + range_text(0, choices - 1), c)
                                   : "this step asks for no choice");
      } else if (!c.is_number_integer() || c.get<long>() < 0 || c.get<long>() > 1000000) {
        fail(at + ".choice", expected_got("an integer ≥ 0 (a choice's index)", c));
      }
      g.choice = c.get<int>();
    }
    if (st.contains("number")) {
      const json& x = st["number"];
      if (ls && (!ls->prediction || !ls->prediction->numeric()))
        fail(at + ".number", "this step asks for no number");
      if (!x.is_number() || !std::isfinite(x.get<double>()))
        fail(at + ".number", expected_got("a finite number", x));
      g.number = x.get<double>();
      g.number_given = true;
    }
    const json& o = st.contains("outcome") ? st["outcome"] : json();
    if (!o.is_null()) {
      if (k > l.step) fail(at + ".outcome", "a step after the one on show has not run");
      if (!o.is_object()) fail(at + ".outcome", expected_got("an object or null", o));
      auto flag = [&](const char* key) {
        if (!o.contains(key) || !o[key].is_boolean())
          fail(at + ".outcome." + key, "expected true or false");
        return o[key].get<bool>();
      };
      StepOutcome out;
      out.has_check = flag("has_check");
      out.result.holds = flag("holds");
      out.prediction_checked = flag("prediction_checked");
      out.prediction_right = flag("prediction_right");
      const json& m = o.contains("measured") ? o["measured"] : json();
      if (!m.is_null() && !m.is_number())
        fail(at + ".outcome.measured", expected_got("a number or null", m));
      out.result.measured = m.is_number() ? m.get<double>() : std::nan("");
      if (!o.contains("detail") || !o["detail"].is_string())
        fail(at + ".outcome.detail", "expected a string");
      out.result.detail = o["detail"].get<std::string>();
      g.outcome = out;
    } else if (k < l.step) {
      fail(at + ".outcome", "a step before the one on show has run: expected its outcome");
    }
  }
  return l;
}

// Reads "compare": the Compare menu's pins, seed band and fork, every part checked and named by
// its key path. `iteration` bounds fork.at (< 0: unbounded).
CompareState read_compare(const json& j, const Failer& fail, long iteration) {
  if (!j.is_object()) fail("compare", "expected an object, got " + brief_json(j, 60));
  // The row checks of the file's history (io/history_rows.h), under views.compare.
  const JsonFail row_fail = [&](const std::string& key, const std::string& what) {
    fail(key, what);
  };
  CompareState c;
  if (j.contains("pins")) {
    const json& pins = j["pins"];
    if (!pins.is_array() || pins.size() > static_cast<size_t>(kMaxComparePins))
      fail("compare.pins",
           "expected a list of at most " + std::to_string(kMaxComparePins) + " pinned runs");
    for (size_t i = 0; i < pins.size(); ++i) {
      const std::string at = "compare.pins[" + std::to_string(i) + "]";
      const json& p = pins[i];
      if (!p.is_object()) fail(at, "expected an object {\"name\", \"scenario\", \"rows\"}");
      ComparePin pin;
      if (!p.contains("name") || !p["name"].is_string()) fail(at + ".name", "expected a string");
      pin.name = p["name"].get<std::string>();
      if (!p.contains("scenario") || !p["scenario"].is_object())
        fail(at + ".scenario", "expected an object (the pinned run's resolved scenario)");
      try {
        // The scenario parser's own checks; its key (where) is under the pin's scenario.
        pin.scenario = parse_embedded_scenario(p["scenario"], "", "", "");
      } catch (const InputError& e) {
        const std::string& w = e.where();
        const size_t colon = w.rfind(": ");
        const std::string sub = colon == std::string::npos ? w : w.substr(colon + 2);
        fail(at + ".scenario" + (sub.empty() ? "" : "." + sub), e.problem());
      }
      pin.scenario.source.clear();
      const json& rows = p.contains("rows") ? p["rows"] : json();
      if (!rows.is_array() || rows.empty() || rows.size() > static_cast<size_t>(kMaxComparePinRows))
        fail(at + ".rows",
             "expected a list of 1 to " + std::to_string(kMaxComparePinRows) + " history rows");
      for (size_t r = 0; r < rows.size(); ++r)
        pin.rows.push_back(
            read_history_row(rows[r], at + ".rows[" + std::to_string(r) + "]", row_fail));
      c.pins.push_back(std::move(pin));
    }
  }
  if (j.contains("seeds")) {
    const json& sd = j["seeds"];
    if (!sd.is_object()) fail("compare.seeds", "expected an object {\"count\", \"iterations\"}");
    CompareSeeds seeds;
    seeds.count = static_cast<int>(json_integer(json_member(sd, "count", "compare.seeds", row_fail),
                                                "compare.seeds.count", kMinCompareSeeds,
                                                kMaxCompareSeeds, row_fail));
    // (0: the scenario's algorithm.iterations)
    seeds.iterations = static_cast<int>(
        json_integer(json_member(sd, "iterations", "compare.seeds", row_fail),
                     "compare.seeds.iterations", 0, kMaxCompareSeedIterations, row_fail));
    c.seeds = seeds;
  }
  if (j.contains("fork")) {
    const json& f = j["fork"];
    if (!f.is_object()) fail("compare.fork", "expected an object {\"at\", \"key\", \"value\"}");
    CompareFork fork;
    const long hi = iteration >= 0 ? iteration : 10000000;
    fork.at = static_cast<int>(json_integer(json_member(f, "at", "compare.fork", row_fail),
                                            "compare.fork.at", 0, hi, row_fail));
    const json& key = f.contains("key") ? f["key"] : json();
    const bool known = key.is_string() && (key == "seed" || key == "estimator" ||
                                           find_live_key(key.get<std::string>()) != nullptr);
    if (!known)
      fail("compare.fork.key",
           "expected \"seed\", \"estimator\" or a live key (" + live_key_names() + ")");
    fork.key = key.get<std::string>();
    if (!f.contains("value")) fail("compare.fork.value", "missing");
    fork.value = f["value"];
    if (fork.key == "estimator") {
      if (!fork.value.is_object())
        fail("compare.fork.value",
             "expected an object {\"returns\", \"baseline\", "
             "\"normalize\", \"discount_weighting\"}");
      for (const char* k : kEstimatorSettings)
        if (!fork.value.contains(k)) fail(std::string("compare.fork.value.") + k, "missing");
    }
    // The value itself is checked when the fork is made again on open, against the run as it
    // was at fork.at (live changes included: a baseline that needs the total return a live change
    // set); one the run refuses then leaves the file opened without its fork, said in the status.
    c.fork = std::move(fork);
  }
  return c;
}

}  // namespace

const char* key_of(Granularity g) {
  return g == Granularity::kEnvStep ? "env-step" : name_of(g);
}

bool granularity_from_key(const std::string& key, Granularity* g) {
  for (Granularity x : kGranularities)
    if (key == key_of(x) || key == name_of(x)) {
      *g = x;
      return true;
    }
  return false;
}

std::string granularity_keys() {
  std::string out;
  for (Granularity x : kGranularities) out += (out.empty() ? "" : ", ") + std::string(key_of(x));
  return out;
}

Scenario forked_scenario(const Scenario& scenario, const std::string& key, const json& value) {
  Scenario next = scenario;
  if (key == "estimator") {
    if (!value.is_object()) throw InputError("estimator", "expected an object");
    std::vector<std::pair<std::string, json>> values;
    for (const char* k : kEstimatorSettings) {
      if (!value.contains(k)) throw InputError(std::string("estimator.") + k, "missing");
      values.emplace_back(std::string("estimator.") + k, value[k]);
    }
    set_values(next, values);
    return next;
  }
  if (key != "seed" && !find_live_key(key))
    throw InputError(key, "not a live key; expected one of " + live_key_names() + ", or seed");
  set_value(next, key, value);
  return next;
}

const ViewField* find_view_field(std::string_view view, std::string_view key) {
  for (const ViewField& f : kViewFields)
    if (view == f.view && key == f.key) return &f;
  return nullptr;
}

ViewState read_view_state(const json& j, const ViewStateFail& fail_to, bool open_lesson,
                          long iteration) {
  const Failer fail(fail_to);
  if (!j.is_object()) fail_to("views", "expected an object, got " + brief_json(j, 60));
  ViewState r;
  if (j.contains("view")) {
    const json& v = j["view"];
    ViewKind kind{};
    bool found = v.is_string() && enum_from_name(v.get<std::string>(), &kind);
    // Files saved before the view names were stored hold its title ("Overview").
    for (const auto& row : EnumTable<ViewKind>::rows)
      if (!found && v.is_string() && v.get<std::string>() == row.title) {
        kind = row.value;
        found = true;
      }
    if (!found)
      fail("view", "expected one of: " + enum_name_list<ViewKind>() + "; got " + brief_json(v, 60));
    r.view = kind;
  }
  if (j.contains("granularity")) {
    // The key ("env-step", as lessons and Python spell it); files written before it held the
    // display label ("env step"), which still reads.
    const json& g = j["granularity"];
    Granularity x{};
    if (!g.is_string() || !granularity_from_key(g.get<std::string>(), &x))
      fail("granularity", "expected one of: " + granularity_keys() + "; got " + brief_json(g, 60));
    r.granularity = x;
  }
  if (j.contains("iterations_per_second")) {
    const json& p = j["iterations_per_second"];
    if (!p.is_number() || !(p.get<double>() >= 0.5 && p.get<double>() <= 60.0))
      fail("iterations_per_second", expected_got("a number in [0.5, 60]", p));
    r.iterations_per_second = p.get<double>();
  }
  if (j.contains("unlimited_speed")) {
    if (!j["unlimited_speed"].is_boolean())
      fail("unlimited_speed", expected_got("true or false", j["unlimited_speed"]));
    r.unlimited_speed = j["unlimited_speed"].get<bool>();
  }
  if (j.contains("lesson")) {
    std::string unopened;
    LessonProgress l = read_lesson_progress(j["lesson"], fail, open_lesson, &unopened);
    if (!unopened.empty())
      r.lesson_unopened = unopened;  // the run opens without its lesson
    else if (open_lesson)
      r.lesson = std::move(l);  // without the lesson it is the shape alone
  }
  if (j.contains("compare")) r.compare = read_compare(j["compare"], fail, iteration);
  if (j.contains("per_view")) {
    const json& pv = j["per_view"];
    if (!pv.is_object()) fail("per_view", expected_got("an object", pv));
    for (const ViewField& f : kViewFields) {
      if (!pv.contains(f.view) || !pv[f.view].is_object() || !pv[f.view].contains(f.key)) continue;
      const json& v = pv[f.view][f.key];
      const std::string at = std::string("per_view.") + f.view + "." + f.key;
      if (f.type == ViewFieldType::kBool) {
        if (!v.is_boolean()) fail(at, expected_got("true or false", v));
        r.per_view[std::string(f.view) + "." + f.key] = v.get<bool>() ? 1.0 : 0.0;
        continue;
      }
      const bool integral = f.type == ViewFieldType::kInt;
      const bool ok = (integral ? v.is_number_integer() : v.is_number()) &&
                      v.get<double>() >= f.lo && v.get<double>() <= f.hi;
      if (!ok)
        fail(at, expected_got(std::string(integral ? "an integer" : "a number") + " in " +
                                  range_text(f.lo, f.hi),
                              v));
      r.per_view[std::string(f.view) + "." + f.key] = v.get<double>();
    }
  }
  return r;
}

ViewState read_view_state(const json& views, const std::string& file) {
  return read_view_state(views, [&](const std::string& key, const std::string& what) {
    throw InputError(shorten_path(file), key + ": " + what);
  });
}

}  // namespace pg
