#include "io/view_state.h"

#include <cmath>
#include <cstdio>

#include "io/json_text.h"
#include "util/error.h"
#include "util/input_file.h"
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
LessonProgress read_lesson_progress(const json& j, const Failer& fail, bool open_lesson) {
  if (!j.is_object()) fail("lesson", "expected an object");
  if (!j.contains("name") || !j["name"].is_string()) fail("lesson.name", "expected a string");
  LessonProgress l;
  l.name = j["name"].get<std::string>();
  if (j.contains("title") && !j["title"].is_string()) fail("lesson.title", "expected a string");
  if (open_lesson) {
    try {
      l.lesson = std::make_shared<const Lesson>(load_lesson(l.name));
    } catch (const std::exception& e) {
      fail("lesson.name", std::string("the lesson cannot be opened: ") + e.what());
    }
    if (j.contains("title") && j["title"] != l.lesson->title)
      fail("lesson.title", "the file was saved with another lesson of this name (" +
                               printable(safe_dump(j["title"]), 80) + ")");
  }
  const Lesson* lesson = l.lesson.get();
  const json& steps = j.contains("steps") ? j["steps"] : json();
  // Without the lesson, its number of steps is the file's own (a lesson has at least one).
  const int n = lesson             ? static_cast<int>(lesson->steps.size())
                : steps.is_array() ? static_cast<int>(steps.size())
                                   : 0;
  const json& step = j.contains("step") ? j["step"] : json();
  if (n > 0 && (!step.is_number_integer() || step.get<long>() < 0 || step.get<long>() >= n))
    fail("lesson.step", "expected an integer in [0, " + std::to_string(n - 1) + "]");
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
    if (!st.is_object()) fail(at, "expected an object");
    const LessonStep* ls = lesson ? &lesson->steps[static_cast<size_t>(k)] : nullptr;
    LessonStepProgress& g = l.steps[static_cast<size_t>(k)];
    if (st.contains("choice")) {
      const json& c = st["choice"];
      if (ls) {
        const int choices = ls->prediction ? static_cast<int>(ls->prediction->choices.size()) : 0;
        if (!c.is_number_integer() || c.get<long>() < 0 || c.get<long>() >= choices)
          fail(at + ".choice",
               choices > 0 ? "expected an integer in [0, " + std::to_string(choices - 1) + "]"
                           : "this step asks for no choice");
      } else if (!c.is_number_integer() || c.get<long>() < 0 || c.get<long>() > 1000000) {
        fail(at + ".choice", "expected an integer ≥ 0 (a choice's index)");
      }
      g.choice = c.get<int>();
    }
    if (st.contains("number")) {
      const json& x = st["number"];
      if (ls && (!ls->prediction || !ls->prediction->numeric()))
        fail(at + ".number", "this step asks for no number");
      if (!x.is_number() || !std::isfinite(x.get<double>()))
        fail(at + ".number", "expected a finite number");
      g.number = x.get<double>();
      g.number_given = true;
    }
    const json& o = st.contains("outcome") ? st["outcome"] : json();
    if (!o.is_null()) {
      if (k > l.step) fail(at + ".outcome", "a step after the one on show has not run");
      if (!o.is_object()) fail(at + ".outcome", "expected an object or null");
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
        fail(at + ".outcome.measured", "expected a number or null");
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

}  // namespace

const ViewField* find_view_field(std::string_view view, std::string_view key) {
  for (const ViewField& f : kViewFields)
    if (view == f.view && key == f.key) return &f;
  return nullptr;
}

ViewState read_view_state(const json& j, const ViewStateFail& fail_to, bool open_lesson) {
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
    const json& g = j["granularity"];
    std::string names;
    for (Granularity x : kGranularities) {
      names += (names.empty() ? "" : ", ") + std::string(name_of(x));
      if (g.is_string() && g.get<std::string>() == name_of(x)) r.granularity = x;
    }
    if (!r.granularity)
      fail("granularity", "expected one of: " + names + "; got " + brief_json(g, 60));
  }
  if (j.contains("iterations_per_second")) {
    const json& p = j["iterations_per_second"];
    if (!p.is_number() || !(p.get<double>() >= 0.5 && p.get<double>() <= 60.0))
      fail("iterations_per_second", "expected a number in [0.5, 60]; got " + brief_json(p, 60));
    r.iterations_per_second = p.get<double>();
  }
  if (j.contains("unlimited_speed")) {
    if (!j["unlimited_speed"].is_boolean()) fail("unlimited_speed", "expected true or false");
    r.unlimited_speed = j["unlimited_speed"].get<bool>();
  }
  if (j.contains("lesson")) {
    LessonProgress l = read_lesson_progress(j["lesson"], fail, open_lesson);
    if (open_lesson) r.lesson = std::move(l);  // without the lesson it is the shape alone
  }
  if (j.contains("per_view")) {
    const json& pv = j["per_view"];
    if (!pv.is_object()) fail("per_view", "expected an object");
    for (const ViewField& f : kViewFields) {
      if (!pv.contains(f.view) || !pv[f.view].is_object() || !pv[f.view].contains(f.key)) continue;
      const json& v = pv[f.view][f.key];
      const std::string at = std::string("per_view.") + f.view + "." + f.key;
      if (f.type == ViewFieldType::kBool) {
        if (!v.is_boolean()) fail(at, "expected true or false");
        r.per_view[std::string(f.view) + "." + f.key] = v.get<bool>() ? 1.0 : 0.0;
        continue;
      }
      const bool integral = f.type == ViewFieldType::kInt;
      const bool ok = (integral ? v.is_number_integer() : v.is_number()) &&
                      v.get<double>() >= f.lo && v.get<double>() <= f.hi;
      if (!ok) {
        char range[80];
        std::snprintf(range, sizeof range, " in [%g, %g]", f.lo, f.hi);
        fail(at, std::string("expected ") + (integral ? "an integer" : "a number") + range);
      }
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
