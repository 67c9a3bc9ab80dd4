#include "gui/classroom.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>
#include <type_traits>

#include "gui/keys.h"
#include "gui/views/background_job.h"
#include "io/session_file.h"
#include "util/cancel.h"
#include "util/error.h"
#include "util/input_file.h"
#include "util/text.h"

namespace pglab::gui {

namespace {

using nlohmann::json;

const pg::LessonStep* shown_step(const AppState& state) {
  const LessonUi& l = state.classroom.lesson;
  if (!l.lesson || l.step < 0 || l.step >= static_cast<int>(l.lesson->steps.size())) return nullptr;
  return &l.lesson->steps[static_cast<size_t>(l.step)];
}

bool listed(const std::vector<std::string>& keys, const char* key) {
  return std::find(keys.begin(), keys.end(), key) != keys.end();
}

void fail_step(AppState& state, const std::string& what) {
  state.classroom.lesson.error = pg::printable(what, kMaxShownError);
  state.status = "lesson: " + state.classroom.lesson.error;
}

// The step's first view in front (the lesson's "views", front first).
void front_view(AppState& state, const pg::LessonStep& st) {
  View v;
  if (!st.views.empty() && view_from_name(st.views.front(), &v)) {
    state.view = v;
    state.view_requested = true;
  }
}

// A claim measured by the variance lab: the Gradient variance view draws the same K batches (the
// same seed and N), so its table shows the numbers the claim reports. After every
// install_session, which starts the per-view settings over.
void fit_views_to_claim(AppState& state, const pg::LessonStep& st) {
  if (st.check && (st.check->kind == pg::ClaimKind::kEstimatorUnbiased ||
                   st.check->kind == pg::ClaimKind::kTraceCovOrder)) {
    state.views.variance.samples = std::clamp(st.check->samples, 20, 1000);
    state.views.variance.batch_episodes = 0;
  }
}

// The per-view settings a session file keeps: plain values with the range their widgets allow
// (a value out of range in a file is refused, never clamped silently). One list for saving and
// restoring.
template <class F>
void visit_view_fields(ViewStates& v, F&& f) {
  f("overview", "color_mode", v.overview.color_mode, 0, 1);
  f("variance", "samples", v.variance.samples, 20, 1000);
  f("variance", "auto_update", v.variance.auto_update, 0, 1);
  f("baseline", "fork_iterations", v.baseline.fork_iterations, 10, 500);
  f("baseline", "compare_baseline", v.baseline.compare_baseline, 0, 64);
  f("baseline", "auto_update", v.baseline.auto_update, 0, 1);
  f("inspector", "trajectory", v.inspector.trajectory, 0, 1000000);
  f("inspector", "step", v.inspector.step, 0, 10000000);
  f("rollout", "trajectory", v.rollout.trajectory, 0, 1000000);
  f("rollout", "playing", v.rollout.playing, 0, 1);
  f("rollout", "steps_per_second", v.rollout.steps_per_second, 1, 100);
  f("rollout", "ghosts", v.rollout.ghosts, 0, 1);
  f("rollout", "trail", v.rollout.trail, 0, 1);
  f("clip", "eps", v.clip.eps, -1, 10);
  f("clip", "eps_touched", v.clip.eps_touched, 0, 1);
  f("clip", "epoch", v.clip.epoch, 0, 1);
  f("clip", "minibatch", v.clip.minibatch, -1, 4096);
  f("advantage", "trajectory", v.advantage.trajectory, -1, 1000000);
  f("advantage", "lambda", v.advantage.lambda, 0, 1);
  f("advantage", "n", v.advantage.n, 1, 64);
  f("advantage", "synced", v.advantage.synced, 0, 1);
  f("importance", "top_k", v.importance.top_k, 4, 24);
  f("importance", "paint", v.importance.paint.open, 0, 1);
  f("importance", "temperature", v.importance.paint.temperature, 0.1, 10);
  f("grpo", "spread_first", v.grpo.spread_first, 0, 1);
  f("npg", "show_exact", v.npg.show_exact, 0, 1);
}

const pg::Granularity kGranularities[] = {pg::Granularity::kEnvStep, pg::Granularity::kEpisode,
                                          pg::Granularity::kBatch,   pg::Granularity::kEstimate,
                                          pg::Granularity::kUpdate,  pg::Granularity::kIteration};

// What a file's "views" object restores, read in full before anything changes.
struct Restored {
  View view = View::Overview;
  bool has_view = false;
  pg::Granularity granularity = pg::Granularity::kIteration;
  bool has_granularity = false;
  float pace = 4.0f;
  bool has_pace = false;
  bool unlimited = false;
  bool has_unlimited = false;
  ViewStates views;
  // The open lesson's progress: the lesson, the step on show, per step the prediction and outcome
  // (start/end sessions are left empty; open_session installs the file's session as the step's).
  std::optional<LessonUi> lesson;
};

// Whether step k's prediction can be judged (one was given and the step ran) and was right: a
// choice when it is the lesson's answer, a number within the lesson's tolerance of the measure.
// Every per-step list of the lesson state, one entry per step.
void size_steps(LessonUi& l, size_t n) {
  l.start.resize(n);
  l.end.resize(n);
  l.outcome.resize(n);
  l.guess.resize(n);
  l.revealed.resize(n);
}

bool guess_judged(const LessonUi& l, size_t k) {
  if (!l.lesson) return false;
  const pg::LessonStep& st = l.lesson->steps.at(k);
  if (!st.prediction || !l.outcome[k]) return false;
  const LessonGuess& g = l.guess[k];
  return st.prediction->numeric() ? g.number_given && l.outcome[k]->has_check : g.choice >= 0;
}

bool guess_right(const LessonUi& l, size_t k) {
  if (!guess_judged(l, k)) return false;
  const pg::Prediction& p = *l.lesson->steps[k].prediction;
  const LessonGuess& g = l.guess[k];
  if (!p.numeric()) return g.choice == p.answer;
  return std::abs(g.number - l.outcome[k]->result.measured) <= p.tolerance;
}

// "lesson" of a file's view state (view_state_json writes it):
//   {"name", "title", "step", "steps": [{"choice" | "number", "outcome": null | {"has_check",
//    "holds", "measured", "detail", "prediction_checked", "prediction_right"}}, …]}
json lesson_progress_json(const LessonUi& l) {
  json steps = json::array();
  for (size_t k = 0; k < l.guess.size(); ++k) {
    json st = json::object();
    const LessonGuess& g = l.guess[k];
    if (g.choice >= 0) st["choice"] = g.choice;
    if (g.number_given) st["number"] = g.number;
    if (const std::optional<pg::StepOutcome>& o = l.outcome[k]) {
      const double m = o->result.measured;
      st["outcome"] = {{"has_check", o->has_check},
                       {"holds", o->result.holds},
                       {"measured", std::isfinite(m) ? json(m) : json(nullptr)},
                       {"detail", o->result.detail},
                       // The student's prediction as the panel judged it (a choice or a
                       // number), so a teacher reading the file sees what the panel showed.
                       {"prediction_checked", guess_judged(l, k)},
                       {"prediction_right", guess_right(l, k)}};
    } else {
      st["outcome"] = nullptr;
    }
    steps.push_back(std::move(st));
  }
  return {{"name", l.name}, {"title", l.lesson->title}, {"step", l.step}, {"steps", steps}};
}

// Reads "lesson" back, checked against the lesson it names (loaded again from its file): every
// step before the one on show has run, none after it has. `fail(key, what)` throws.
template <class Fail>
LessonUi read_lesson_progress(const json& j, Fail fail) {
  if (!j.is_object()) fail("lesson", "expected an object");
  if (!j.contains("name") || !j["name"].is_string()) fail("lesson.name", "expected a string");
  LessonUi l;
  l.name = j["name"].get<std::string>();
  try {
    l.lesson = std::make_shared<const pg::Lesson>(pg::load_lesson(l.name));
  } catch (const std::exception& e) {
    fail("lesson.name", std::string("the lesson cannot be opened: ") + e.what());
  }
  const pg::Lesson& lesson = *l.lesson;
  const int n = static_cast<int>(lesson.steps.size());
  if (j.contains("title") && j["title"] != lesson.title)
    fail("lesson.title", "the file was saved with another lesson of this name (" +
                             pg::printable(j["title"].dump(), 80) + ")");
  const json& step = j.contains("step") ? j["step"] : json();
  if (!step.is_number_integer() || step.get<long>() < 0 || step.get<long>() >= n)
    fail("lesson.step", "expected an integer in [0, " + std::to_string(n - 1) + "]");
  l.step = step.get<int>();
  const json& steps = j.contains("steps") ? j["steps"] : json();
  if (!steps.is_array() || static_cast<int>(steps.size()) != n)
    fail("lesson.steps", "expected " + std::to_string(n) + " entries, one per step of the lesson");
  size_steps(l, static_cast<size_t>(n));
  for (int k = 0; k < n; ++k) {
    const json& st = steps[static_cast<size_t>(k)];
    const std::string at = "lesson.steps[" + std::to_string(k) + "]";
    if (!st.is_object()) fail(at, "expected an object");
    const pg::LessonStep& ls = lesson.steps[static_cast<size_t>(k)];
    LessonGuess& g = l.guess[static_cast<size_t>(k)];
    if (st.contains("choice")) {
      const int choices = ls.prediction ? static_cast<int>(ls.prediction->choices.size()) : 0;
      const json& c = st["choice"];
      if (!c.is_number_integer() || c.get<long>() < 0 || c.get<long>() >= choices)
        fail(at + ".choice", choices > 0
                                 ? "expected an integer in [0, " + std::to_string(choices - 1) + "]"
                                 : "this step asks for no choice");
      g.choice = c.get<int>();
    }
    if (st.contains("number")) {
      const json& x = st["number"];
      if (!ls.prediction || !ls.prediction->numeric())
        fail(at + ".number", "this step asks for no number");
      if (!x.is_number() || !std::isfinite(x.get<double>()))
        fail(at + ".number", "expected a finite number");
      g.number = x.get<double>();
      g.number_given = true;
    }
    const json& o = st.contains("outcome") ? st["outcome"] : json();
    if (!o.is_null()) {
      if (k > l.step) fail(at + ".outcome", "a step after the one on show has not run");
      auto flag = [&](const char* key) {
        if (!o.is_object() || !o.contains(key) || !o[key].is_boolean())
          fail(at + ".outcome." + key, "expected true or false");
        return o[key].get<bool>();
      };
      pg::StepOutcome out;
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
      out.result.detail = pg::printable(o["detail"].get<std::string>(), kMaxShownError);
      l.outcome[static_cast<size_t>(k)] = out;
    } else if (k < l.step) {
      fail(at + ".outcome", "a step before the one on show has run: expected its outcome");
    }
  }
  return l;
}

// Throws InputError "file: views.key: what is allowed". Unknown keys are left alone (fields are
// additive: a newer pglab may save more).
Restored read_view_state(const json& j, const std::string& file) {
  auto fail = [&](const std::string& key, const std::string& what) {
    throw pg::InputError(pg::shorten_path(file), "views." + key + ": " + what);
  };
  Restored r;
  if (j.contains("view")) {
    const json& v = j["view"];
    bool found = v.is_string() && view_from_name(v.get<std::string>(), &r.view);
    // Files saved before the view names were stored hold its title ("Overview").
    for (int i = 0; !found && v.is_string() && i < view_count(); ++i)
      if (v.get<std::string>() == view_title(static_cast<View>(i))) {
        r.view = static_cast<View>(i);
        found = true;
      }
    if (!found) fail("view", "expected one of: " + view_name_list() + "; got " + v.dump());
    r.has_view = true;
  }
  if (j.contains("granularity")) {
    const json& g = j["granularity"];
    std::string names;
    for (pg::Granularity x : kGranularities) {
      names += (names.empty() ? "" : ", ") + std::string(pg::name_of(x));
      if (g.is_string() && g.get<std::string>() == pg::name_of(x)) {
        r.granularity = x;
        r.has_granularity = true;
      }
    }
    if (!r.has_granularity) fail("granularity", "expected one of: " + names);
  }
  if (j.contains("iterations_per_second")) {
    const json& p = j["iterations_per_second"];
    if (!p.is_number() || !(p.get<double>() >= 0.5 && p.get<double>() <= 60.0))
      fail("iterations_per_second", "expected a number in [0.5, 60]");
    r.pace = p.get<float>();
    r.has_pace = true;
  }
  if (j.contains("unlimited_speed")) {
    if (!j["unlimited_speed"].is_boolean()) fail("unlimited_speed", "expected true or false");
    r.unlimited = j["unlimited_speed"].get<bool>();
    r.has_unlimited = true;
  }
  if (j.contains("lesson")) r.lesson = read_lesson_progress(j["lesson"], fail);
  if (j.contains("per_view")) {
    const json& pv = j["per_view"];
    if (!pv.is_object()) fail("per_view", "expected an object");
    visit_view_fields(
        r.views, [&](const char* view, const char* key, auto& x, double lo, double hi) {
          using T = std::decay_t<decltype(x)>;
          if (!pv.contains(view) || !pv[view].is_object() || !pv[view].contains(key)) return;
          const json& v = pv[view][key];
          const std::string at = std::string("per_view.") + view + "." + key;
          if constexpr (std::is_same_v<T, bool>) {
            if (!v.is_boolean()) fail(at, "expected true or false");
            x = v.get<bool>();
          } else {
            const bool integral = std::is_integral_v<T>;
            const bool ok = (integral ? v.is_number_integer() : v.is_number()) &&
                            v.get<double>() >= lo && v.get<double>() <= hi;
            if (!ok) {
              char range[80];
              std::snprintf(range, sizeof range, " in [%g, %g]", lo, hi);
              fail(at, std::string("expected ") + (integral ? "an integer" : "a number") + range);
            }
            x = v.get<T>();
          }
        });
  }
  return r;
}

}  // namespace

// A lesson step running on its own thread: a copy of the step's start session, advanced and
// checked by run_lesson_step (the same call `lesson --check` makes), cancellable between steps.
struct LessonStepResult {
  std::shared_ptr<pg::Session> session;  // the session the step ended with
  std::optional<pg::StepOutcome> outcome;
  std::string error;
  bool cancelled = false;
};

struct LessonStepJob {
  int step = 0;
  int units = 1;  // pg::lesson_step_units: the progress counter's end
  std::unique_ptr<BackgroundJob<LessonStepResult>> job;
};

// --- Lessons ---

bool open_lesson(AppState& state, const std::string& name_or_path) {
  LessonUi& l = state.classroom.lesson;
  l.running.reset();  // a step still running stops first
  std::shared_ptr<const pg::Lesson> lesson;
  try {
    lesson = std::make_shared<const pg::Lesson>(pg::load_lesson(name_or_path));
  } catch (const std::exception& e) {
    fail_step(state, e.what());
    return false;
  }
  const bool had_lesson = l.lesson != nullptr;
  LessonUi fresh;
  fresh.lesson = lesson;
  fresh.name = name_or_path;
  size_steps(fresh, lesson->steps.size());
  l = std::move(fresh);
  if (!had_lesson) state.reset_layout = true;  // the lesson panel takes its column
  state.status = "lesson: " + lesson->title;
  return show_lesson_step(state, 0);
}

void close_lesson(AppState& state) {
  state.classroom.lesson.running.reset();  // cancels and joins a running step
  state.classroom.lesson = LessonUi{};
  state.reset_layout = true;
  state.status = "closed the lesson";
}

bool show_lesson_step(AppState& state, int i) {
  LessonUi& l = state.classroom.lesson;
  if (!l.lesson || i < 0 || i >= static_cast<int>(l.lesson->steps.size())) return false;
  if (i > 0 && !l.end[static_cast<size_t>(i - 1)]) return false;  // steps run in order
  l.running.reset();  // a step still running stops first
  const size_t k = static_cast<size_t>(i);
  l.step = i;
  l.error.clear();
  // This step and the later ones run again from here.
  for (size_t j = k; j < l.start.size(); ++j) {
    l.start[j].reset();
    l.end[j].reset();
    l.outcome[j].reset();
    l.revealed[j] = 0;
  }
  l.scroll_to_outcome = false;
  const pg::Session* before = i > 0 ? l.end[k - 1].get() : nullptr;
  try {
    if (std::optional<pg::Scenario> sc = pg::lesson_step_scenario(*l.lesson, i, before)) {
      try {
        l.start[k] = std::make_shared<const pg::Session>(std::move(*sc));
      } catch (const pg::InputError& e) {
        throw pg::lesson_step_error(*l.lesson, i, e);
      }
    } else {
      l.start[k] = l.end[k - 1];
    }
  } catch (const std::exception& e) {
    fail_step(state, e.what());
    return false;
  }
  const View keep = state.view;
  install_session(state, *l.start[k], l.lesson->source);
  state.view = keep;
  state.view_requested = true;
  front_view(state, l.lesson->steps[k]);
  fit_views_to_claim(state, l.lesson->steps[k]);
  state.status = "lesson step " + std::to_string(i + 1) + " of " +
                 std::to_string(l.lesson->steps.size()) + ": " + l.lesson->steps[k].title;
  return true;
}

bool restart_lesson(AppState& state) {
  LessonUi& l = state.classroom.lesson;
  if (!l.lesson) return false;
  std::fill(l.guess.begin(), l.guess.end(), LessonGuess{});
  return show_lesson_step(state, 0);
}

bool views_veiled(const AppState& state) {
  const LessonUi& l = state.classroom.lesson;
  const pg::LessonStep* st = shown_step(state);
  const size_t k = static_cast<size_t>(l.step);
  return st && st->prediction && !l.outcome[k] && !l.revealed[k];
}

void reveal_views(AppState& state) {
  LessonUi& l = state.classroom.lesson;
  if (shown_step(state)) l.revealed[static_cast<size_t>(l.step)] = 1;
}

bool start_shown_step(AppState& state) {
  LessonUi& l = state.classroom.lesson;
  if (!l.lesson || l.running || !l.start[static_cast<size_t>(l.step)]) return false;
  auto job = std::make_shared<LessonStepJob>();
  job->step = l.step;
  job->units = std::max(1, pg::lesson_step_units(*l.lesson, l.step));
  // Copies of the inputs: the job never touches the window's state.
  job->job = std::make_unique<BackgroundJob<LessonStepResult>>(
      [lesson = l.lesson, start = l.start[static_cast<size_t>(l.step)], i = l.step](
          std::atomic<int>& progress, const std::atomic<bool>& cancel) {
        LessonStepResult r;
        try {
          // A copy of the step's start: what the student did since it was shown does not count.
          r.session = std::make_shared<pg::Session>(*start);
          r.session->set_cancel(&cancel);
          r.outcome = pg::run_lesson_step(*lesson, i, *r.session, &cancel, &progress);
          r.session->set_cancel(nullptr);  // the flag goes with the job; the session stays
        } catch (const pg::Cancelled&) {
          r.cancelled = true;
        } catch (const std::exception& e) {
          r.cancelled = cancel.load();  // a fault raised by the cancel itself is a cancel
          r.error = e.what();
        }
        return r;
      });
  l.running = job;
  l.error.clear();
  state.status = "running lesson step " + std::to_string(l.step + 1) + "…";
  return true;
}

void update_lesson(AppState& state) {
  LessonUi& l = state.classroom.lesson;
  if (!l.running || !l.running->job->done()) return;
  LessonStepResult r = std::move(l.running->job->result());
  const size_t k = static_cast<size_t>(l.running->step);
  l.running.reset();
  if (r.cancelled) {
    state.status = "lesson step " + std::to_string(k + 1) + " cancelled: Run starts it again";
    return;
  }
  if (!r.error.empty() || !r.outcome) {
    fail_step(state, r.error.empty() ? "the step did not finish" : r.error);
    return;
  }
  l.outcome[k] = *r.outcome;
  l.end[k] = r.session;
  l.error.clear();
  l.scroll_to_outcome = true;
  const View keep = state.view;
  install_session(state, *r.session, l.lesson->source);
  state.view = keep;
  state.view_requested = true;
  fit_views_to_claim(state, l.lesson->steps[k]);
  const pg::StepOutcome& o = *l.outcome[k];
  state.status = "ran lesson step " + std::to_string(k + 1) +
                 (o.has_check ? (o.result.holds ? ": the claim holds" : ": the claim FAILS") : "");
}

bool run_shown_step(AppState& state) {
  if (!start_shown_step(state)) return false;
  LessonUi& l = state.classroom.lesson;
  const size_t k = static_cast<size_t>(l.step);
  while (!l.running->job->wait_for(3600.0)) {
  }
  update_lesson(state);
  return l.outcome[k].has_value() && l.error.empty();
}

bool lesson_step_running(const AppState& state) {
  return state.classroom.lesson.running != nullptr;
}

double lesson_step_progress(const AppState& state) {
  const LessonStepJob* j = state.classroom.lesson.running.get();
  if (!j) return -1.0;
  return std::min(1.0, static_cast<double>(j->job->progress()) / j->units);
}

void cancel_lesson_step(AppState& state) {
  LessonUi& l = state.classroom.lesson;
  if (!l.running) return;
  const int step = l.running->step;
  l.running.reset();  // cancels and joins
  state.status = "lesson step " + std::to_string(step + 1) + " cancelled: Run starts it again";
}

bool prediction_judged(const AppState& state, int i) {
  return guess_judged(state.classroom.lesson, static_cast<size_t>(i));
}

bool prediction_right(const AppState& state, int i) {
  return guess_right(state.classroom.lesson, static_cast<size_t>(i));
}

bool control_locked(const AppState& state, const char* key) {
  const pg::LessonStep* st = shown_step(state);
  return st && listed(st->lock, key);
}

bool control_hidden(const AppState& state, const char* key) {
  const pg::LessonStep* st = shown_step(state);
  return st && listed(st->hide, key);
}

// --- Session files ---

json view_state_json(const AppState& state) {
  json j;
  j["view"] = view_name(state.view);
  j["granularity"] = pg::name_of(state.granularity);
  j["iterations_per_second"] = state.iterations_per_second;
  j["unlimited_speed"] = state.unlimited_speed;
  json per = json::object();
  ViewStates v = state.views;
  visit_view_fields(
      v, [&](const char* view, const char* key, auto& x, double, double) { per[view][key] = x; });
  j["per_view"] = std::move(per);
  if (state.classroom.lesson.lesson) j["lesson"] = lesson_progress_json(state.classroom.lesson);
  return j;
}

bool open_session(AppState& state, const std::string& path) {
  FilePopupUi& f = state.classroom.files;
  try {
    json views;
    const pg::Session s = pg::load_session_file(path, &views);
    const Restored r = read_view_state(views, path);
    install_session(state, s, path);
    if (r.lesson) {
      // The file's session is the step on show's: its end when the step ran, else its start.
      LessonUi& l = state.classroom.lesson;
      const bool had_lesson = l.lesson != nullptr;
      l.running.reset();
      l = std::move(*r.lesson);
      const size_t k = static_cast<size_t>(l.step);
      auto shown = std::make_shared<const pg::Session>(s);
      (l.outcome[k] ? l.end[k] : l.start[k]) = shown;
      if (!had_lesson) state.reset_layout = true;  // the lesson panel takes its column
    }
    state.views = r.views;
    if (r.has_view) {
      state.view = r.view;
      state.view_requested = true;
    }
    if (r.has_granularity) state.granularity = r.granularity;
    if (r.has_pace) state.iterations_per_second = r.pace;
    if (r.has_unlimited) state.unlimited_speed = r.unlimited;
    state.runner->set_pace(state.unlimited_speed ? 0.0 : state.iterations_per_second);
    f.message.clear();
    state.status = "opened " + path + " at iteration " + std::to_string(s.iteration());
    return true;
  } catch (const std::exception& e) {
    f.message = pg::printable(e.what(), kMaxShownError);
    state.status = "not opened (what was open stays open): " + f.message;
    return false;
  }
}

bool save_session(AppState& state, const std::string& path) {
  FilePopupUi& f = state.classroom.files;
  if (!state.runner) {
    f.message = "no session to save";
    return false;
  }
  const std::shared_ptr<const pg::Session> s = state.runner->snapshot().session;
  try {
    if (path.empty()) throw pg::InputError("path", "give a file name");
    if (pg::is_directory(path)) throw pg::InputError(path, "is a directory; give a file name");
    pg::save_session_file(*s, path, view_state_json(state));
    f.message.clear();
    state.status = "saved " + path + " (File → Open session, or pglab train --load " + path + ")";
    return true;
  } catch (const std::exception& e) {
    f.message = pg::printable(e.what(), kMaxShownError);
    state.status = "not saved: " + f.message;
    return false;
  }
}

std::string default_session_name(const AppState& state) {
  const int it = state.runner ? state.runner->snapshot().session->iteration() : 0;
  const std::string stem =
      "pglab-session-" + std::to_string(it) + "-" + file_piece(state.scenario.name);
  return free_base(stem, {".json"}) + ".json";
}

}  // namespace pglab::gui
