#include "gui/classroom.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <optional>
#include <stdexcept>
#include <type_traits>

#include "algo/records.h"
#include "gui/compare/compare.h"
#include "gui/keys.h"
#include "gui/views/background_job.h"
#include "gui/views/views.h"
#include "io/history_rows.h"
#include "io/session_file.h"
#include "io/view_state.h"
#include "lab/clip_cases.h"
#include "util/cancel.h"
#include "util/error.h"
#include "util/input_file.h"
#include "util/text.h"

namespace pglab::gui {

namespace {

// "; the world edits … were set aside …" when the session on screen has a world edited by hand
// since the lesson installed `l.installed` (World editor during a step), else "". Said as the
// lesson replaces it: a lesson step runs on its own world.
std::string edits_set_aside(const AppState& state) {
  const std::shared_ptr<const pg::Session>& was = state.classroom.lesson.installed;
  if (!state.runner || !was || !was->env().grid()) return "";
  const std::shared_ptr<const pg::Session> now = state.runner->snapshot().session;
  if (!now->env().grid()) return "";
  if (!now->pending_world() && now->world() == was->world()) return "";
  return "; the world edits made meanwhile were set aside (a lesson step runs on its own world)";
}

using nlohmann::json;

const pg::LessonStep* shown_step(const AppState& state) {
  const LessonUi& l = state.classroom.lesson;
  if (!l.lesson || l.step < 0 || l.step >= static_cast<int>(l.lesson->steps.size())) return nullptr;
  return &l.lesson->steps[static_cast<size_t>(l.step)];
}

bool listed(const std::vector<std::string>& keys, const char* key) {
  return std::find(keys.begin(), keys.end(), key) != keys.end();
}

// `input`: the lesson or the step's set-up is bad input (pg::InputError: exit 2 from the command
// line, as lesson --check), not a failed computation (exit 1).
void fail_step(AppState& state, const std::string& what, bool input) {
  state.classroom.lesson.error = pg::printable(what, kMaxShownError);
  state.classroom.lesson.error_is_input = input;
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

// The PPO clip cases an update statistic counts (clip_frac_*, clip_fraction); empty for others.
std::vector<pg::ClipCase> clip_cases_of_stat(const std::string& stat) {
  using C = pg::ClipCase;
  if (stat == "clip_frac_low_pos") return {C::kPosBelow};
  if (stat == "clip_frac_high_neg") return {C::kNegAbove};
  if (stat == "clip_frac_high_pos") return {C::kPosAbove};
  if (stat == "clip_frac_low_neg") return {C::kNegBelow};
  if (stat == "clip_frac_no_grad") return {C::kPosAbove, C::kNegBelow};
  if (stat == "clip_fraction") return {C::kPosBelow, C::kPosAbove, C::kNegBelow, C::kNegAbove};
  return {};
}

// The epoch of the update's samples (0 first, 1 last: the two the clip view can show) holding
// more of `cases` at the update's ε; ties keep the last, the view's default.
int clip_epoch_showing(const pg::PpoUpdateRecord& rec, double eps,
                       const std::vector<pg::ClipCase>& cases) {
  auto count = [&](const std::vector<double>& r, const std::vector<double>& a) {
    const pg::ClipCaseTable t = pg::count_clip_cases(
        r.data(), a.data(), static_cast<long>(std::min(r.size(), a.size())), eps);
    long n = 0;
    for (pg::ClipCase c : cases) n += t.at(c);
    return n;
  };
  return count(rec.ratio_first, rec.adv_first) > count(rec.ratio_last, rec.adv_last) ? 0 : 1;
}

// A claim measured by the variance lab: the Gradient variance view draws the same K batches (the
// same seed and N), so its table shows the numbers the claim reports. A claim on PPO's clip cases
// (counted over every epoch): the clip view shows the epoch that holds them (a lesson's rare case,
// Â > 0 with r < 1−ε, may be all in the first epoch while the view opens on the last). After
// every install_session of `s`, which starts the per-view settings over.
void fit_views_to_claim(AppState& state, const pg::LessonStep& st, const pg::Session& s) {
  if (st.check && (st.check->kind == pg::ClaimKind::kEstimatorUnbiased ||
                   st.check->kind == pg::ClaimKind::kTraceCovOrder)) {
    // The claim's own K, past the slider's 1000 if need be (lessons 1 and 2 check 5000 and 20000:
    // fewer could not tell their biased distractors from unbiased); the lab refuses a K whose
    // estimates would not fit in memory (session/budget.h), with the reason in the view.
    state.views.variance.samples = std::max(st.check->samples, 20);
    state.views.variance.batch_episodes = 0;
  }
  if (st.check && st.check->kind == pg::ClaimKind::kUpdateStat) {
    const std::vector<pg::ClipCase> cases = clip_cases_of_stat(st.check->stat);
    const pg::PpoUpdateRecord* rec = s.algorithm().clip_record();
    if (!cases.empty() && rec && rec->iteration >= 0)
      state.views.clip.epoch = clip_epoch_showing(*rec, s.scenario().ppo.clip_eps, cases);
  }
}

// The per-view settings a session file keeps, bound to the window's fields; their types and
// ranges are the core's table (io/view_state.h, kViewFields), which every loader checks.
template <class F>
void visit_view_fields(ViewStates& v, F&& f) {
  f("overview", "color_mode", v.overview.color_mode);
  f("variance", "samples", v.variance.samples);
  f("variance", "auto_update", v.variance.auto_update);
  f("baseline", "fork_iterations", v.baseline.fork_iterations);
  f("baseline", "compare_baseline", v.baseline.compare_baseline);
  f("baseline", "auto_update", v.baseline.auto_update);
  f("inspector", "trajectory", v.inspector.trajectory);
  f("inspector", "step", v.inspector.step);
  f("rollout", "trajectory", v.rollout.trajectory);
  f("rollout", "playing", v.rollout.playing);
  f("rollout", "steps_per_second", v.rollout.steps_per_second);
  f("rollout", "ghosts", v.rollout.ghosts);
  f("rollout", "trail", v.rollout.trail);
  f("clip", "eps", v.clip.eps);
  f("clip", "eps_touched", v.clip.eps_touched);
  f("clip", "epoch", v.clip.epoch);
  f("clip", "minibatch", v.clip.minibatch);
  f("advantage", "trajectory", v.advantage.trajectory);
  f("advantage", "lambda", v.advantage.lambda);
  f("advantage", "n", v.advantage.n);
  f("advantage", "synced", v.advantage.synced);
  f("importance", "top_k", v.importance.top_k);
  f("importance", "paint", v.importance.paint.open);
  f("importance", "temperature", v.importance.paint.temperature);
  f("grpo", "spread_first", v.grpo.spread_first);
  f("npg", "show_exact", v.npg.show_exact);
}

// The core's type for a field of the window's type T.
template <class T>
constexpr pg::ViewFieldType field_type() {
  if constexpr (std::is_same_v<T, bool>) return pg::ViewFieldType::kBool;
  if constexpr (std::is_integral_v<T>) return pg::ViewFieldType::kInt;
  return pg::ViewFieldType::kReal;
}

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

// The window's lesson state from a file's lesson progress (checked by pg::read_view_state).
LessonUi lesson_ui(const pg::LessonProgress& p) {
  LessonUi l;
  l.lesson = p.lesson;
  l.name = p.name;
  l.step = p.step;
  size_steps(l, p.steps.size());
  for (size_t k = 0; k < p.steps.size(); ++k) {
    const pg::LessonStepProgress& g = p.steps[k];
    l.guess[k] = {g.choice, g.number, g.number_given};
    l.outcome[k] = g.outcome;
    if (l.outcome[k])
      l.outcome[k]->result.detail = pg::printable(g.outcome->result.detail, kMaxShownError);
  }
  // A step on show that ran opens at its outcome, as when it has just finished (the panel opened
  // at the step's text, the verdict below the fold at presenter scale).
  const size_t on_show = static_cast<size_t>(l.step);
  l.scroll_to_outcome = on_show < l.outcome.size() && l.outcome[on_show].has_value();
  return l;
}

}  // namespace

// The body of a background job (a lesson step, a session opening): Cancelled is a cancel, an
// InputError bad input (exit 2 from the command line), any other exception a failure — or a cancel
// when the flag was set (a fault raised by the cancel itself).
template <class Result, class Body>
void run_guarded(Result& r, const std::atomic<bool>& cancel, Body body) {
  try {
    body();
  } catch (const pg::Cancelled&) {
    r.cancelled = true;
  } catch (const pg::InputError& e) {
    r.error = e.what();
    r.bad_input = true;
  } catch (const std::exception& e) {
    r.cancelled = cancel.load();
    r.error = e.what();
  }
}

// A lesson step running on its own thread: a copy of the step's start session, advanced and
// checked by run_lesson_step (the same call `lesson --check` makes), cancellable between steps.
struct LessonStepResult {
  std::shared_ptr<pg::Session> session;  // the session the step ended with
  std::optional<pg::StepOutcome> outcome;
  std::string error;
  bool bad_input = false;  // error is a pg::InputError
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
  } catch (const pg::InputError& e) {
    fail_step(state, e.what(), true);
    return false;
  } catch (const std::exception& e) {
    fail_step(state, e.what(), false);
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
  l.scroll_to_top = true;
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
  } catch (const pg::InputError& e) {
    fail_step(state, e.what(), true);
    return false;
  } catch (const std::exception& e) {
    fail_step(state, e.what(), false);
    return false;
  }
  const View keep = state.view;
  const std::string set_aside = edits_set_aside(state);
  install_session(state, *l.start[k], l.lesson->source);
  l.installed = l.start[k];
  state.view = keep;
  state.view_requested = true;
  front_view(state, l.lesson->steps[k]);
  fit_views_to_claim(state, l.lesson->steps[k], *l.start[k]);
  state.status = "lesson step " + std::to_string(i + 1) + " of " +
                 std::to_string(l.lesson->steps.size()) + ": " + l.lesson->steps[k].title +
                 set_aside;
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
        run_guarded(r, cancel, [&] {
          // A copy of the step's start: what the student did since it was shown does not count.
          r.session = std::make_shared<pg::Session>(*start);
          r.session->set_cancel(&cancel);
          r.outcome = pg::run_lesson_step(*lesson, i, *r.session, &cancel, &progress);
          r.session->set_cancel(nullptr);  // the flag goes with the job; the session stays
        });
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
    fail_step(state, r.error.empty() ? "the step did not finish" : r.error, r.bad_input);
    return;
  }
  l.outcome[k] = *r.outcome;
  l.end[k] = r.session;
  l.error.clear();
  l.scroll_to_outcome = true;
  const View keep = state.view;
  const std::string set_aside = edits_set_aside(state);
  install_session(state, *r.session, l.lesson->source);
  l.installed = r.session;
  state.view = keep;
  state.view_requested = true;
  fit_views_to_claim(state, l.lesson->steps[k], *r.session);
  const pg::StepOutcome& o = *l.outcome[k];
  state.status = "ran lesson step " + std::to_string(k + 1) +
                 (o.has_check ? (o.result.holds ? ": the claim holds" : ": the claim FAILS") : "") +
                 set_aside;
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

namespace {

// views.compare: the pins with their settings and curves, the seed band asked for, the fork's
// setting (io/view_state.h reads it back).
json compare_json(const AppState& state) {
  json pins = json::array();
  for (const PinnedRun& p : state.compare.pins) {
    json rows = json::array();
    for (const pg::IterationRecord& r : p.rows) rows.push_back(pg::history_row_json(r));
    pins.push_back({{"name", p.name}, {"scenario", p.scenario.resolved}, {"rows", rows}});
  }
  json c = {{"pins", std::move(pins)}};
  if (const std::optional<pg::CompareSeeds> s = seeds_setting(state))
    c["seeds"] = {{"count", s->count}, {"iterations", s->iterations}};
  if (const std::optional<pg::CompareFork> f = fork_setting(state))
    c["fork"] = {{"at", f->at}, {"key", f->key}, {"value", f->value}};
  return c;
}

}  // namespace

json view_state_json(const AppState& state) {
  json j;
  j["view"] = view_name(state.view);
  j["granularity"] = pg::key_of(state.granularity);
  j["iterations_per_second"] = state.iterations_per_second;
  j["unlimited_speed"] = state.unlimited_speed;
  json per = json::object();
  ViewStates v = state.views;
  if (!v.inspector.placed && state.runner) {
    // Not opened yet: the step it will open on (shot saves before it draws the view).
    v.inspector.trajectory = 0;
    v.inspector.step = inspector_default_step(*state.runner->snapshot().session);
  }
  visit_view_fields(v, [&](const char* view, const char* key, auto& x) {
    PG_ASSERT(pg::find_view_field(view, key), "every per-view field has a row in kViewFields");
    per[view][key] = x;
  });
  j["per_view"] = std::move(per);
  if (state.classroom.lesson.lesson) j["lesson"] = lesson_progress_json(state.classroom.lesson);
  j["compare"] = compare_json(state);
  return j;
}

namespace {

// The file's Compare state on the session just installed: its pins replace the window's, the seed
// band starts again in the background (as the menu starts it), the fork is made again from
// `fork_from`. What could not be restored is said in the returned status piece.
std::string install_compare(AppState& state, const pg::CompareState& c,
                            const pg::Session* fork_from, const std::string& fork_error) {
  CompareUi& ui = state.compare;
  ui.pins.clear();
  for (const pg::ComparePin& p : c.pins) ui.pins.push_back({p.name, p.scenario, p.rows});
  clear_seeds(state);
  clear_fork(state);
  std::string note;
  if (c.seeds) {
    ui.seed_count = c.seeds->count;
    ui.seed_iterations = c.seeds->iterations;
    start_seeds(state);
  }
  if (c.fork && !fork_from)
    note = "; its fork was not made again (" + pg::printable(fork_error, kMaxShownError) + ")";
  else if (c.fork && !fork_run(state, *fork_from, *c.fork))
    note = "; its fork was not made again (" + state.status + ")";
  return note;
}

// What open_session() does once the file is loaded: the session and its view state installed.
// fork_from: the opened run at the fork's iteration (views.compare.fork), replayed by the caller
// (null with fork_error when that replay failed).
void install_opened(AppState& state, const std::string& path, const pg::Session& s,
                    const pg::ViewState& r, const pg::Session* fork_from,
                    const std::string& fork_error) {
  // A lesson step still running would install its session over the one opened.
  state.classroom.lesson.running.reset();
  ViewStates restored;
  visit_view_fields(restored, [&](const char* view, const char* key, auto& x) {
    using T = std::decay_t<decltype(x)>;
    const pg::ViewField* spec = pg::find_view_field(view, key);
    PG_ASSERT(spec && spec->type == field_type<T>(),
              "every per-view field has a row of its type in kViewFields");
    const auto it = r.per_view.find(std::string(view) + "." + key);
    if (it == r.per_view.end()) return;
    if constexpr (std::is_same_v<T, bool>)
      x = it->second != 0.0;
    else
      x = static_cast<T>(it->second);
  });
  install_session(state, s, path);
  state.classroom.files.opened_without.clear();
  if (!r.lesson_unopened.empty()) {
    // The run opens without its lesson: the panel of another lesson open before would pose as
    // this run's, so it closes too.
    if (state.classroom.lesson.lesson) state.reset_layout = true;
    state.classroom.lesson = LessonUi{};
    state.classroom.files.opened_without = "its lesson was not opened (" +
                                           pg::printable(r.lesson_unopened, kMaxShownError) +
                                           "), so the run is shown without it";
  }
  if (r.lesson) {
    // The file's session is the step on show's: its end when the step ran, else its start.
    LessonUi& l = state.classroom.lesson;
    const bool had_lesson = l.lesson != nullptr;
    l = lesson_ui(*r.lesson);
    const size_t k = static_cast<size_t>(l.step);
    auto shown = std::make_shared<const pg::Session>(s);
    (l.outcome[k] ? l.end[k] : l.start[k]) = shown;
    if (!had_lesson) state.reset_layout = true;  // the lesson panel takes its column
  }
  state.views = restored;
  // The file's step is the one to show, not the view's default.
  state.views.inspector.placed =
      r.per_view.count("inspector.trajectory") > 0 || r.per_view.count("inspector.step") > 0;
  if (r.view) {
    state.view = static_cast<View>(*r.view);
    state.view_requested = true;
  }
  if (r.granularity) state.granularity = *r.granularity;
  if (r.iterations_per_second)
    state.iterations_per_second = static_cast<float>(*r.iterations_per_second);
  if (r.unlimited_speed) state.unlimited_speed = *r.unlimited_speed;
  state.runner->set_pace(state.unlimited_speed ? 0.0 : state.iterations_per_second);
  state.classroom.files.message.clear();
  std::string compared;
  if (r.compare) compared = install_compare(state, *r.compare, fork_from, fork_error);
  state.status = "opened " + path + " at iteration " + std::to_string(s.iteration()) + compared;
  if (!state.classroom.files.opened_without.empty())
    state.status += "; " + state.classroom.files.opened_without;
}

void fail_open(AppState& state, const std::string& what) {
  FilePopupUi& f = state.classroom.files;
  f.message = pg::printable(what, kMaxShownError);
  state.status = "not opened (what was open stays open): " + f.message;
}

// The opened run at its fork's iteration (views.compare.fork.at), replayed from the run's start
// (a file's session has no snapshots); null without a fork, or when the replay fails — then
// `error` says why, and the file opens without its fork (as when the run refuses the fork's
// value). A cancel (Cancelled) goes through.
std::unique_ptr<pg::Session> fork_start(const pg::Session& s, const pg::ViewState& r,
                                        std::string* error,
                                        const std::atomic<bool>* cancel = nullptr) {
  if (!r.compare || !r.compare->fork) return nullptr;
  try {
    auto from = std::make_unique<pg::Session>(pg::Timeline().at(s, r.compare->fork->at, cancel));
    from->set_cancel(nullptr);
    return from;
  } catch (const pg::Cancelled&) {
    throw;
  } catch (const std::exception& e) {
    *error = e.what();
    return nullptr;
  }
}

}  // namespace

bool open_session(AppState& state, const std::string& path) {
  try {
    // The view state is checked and read by the loader (the command line's check, and the lesson
    // opened again), before the replay, each refusal at its key's line.
    pg::ViewState r;
    const pg::Session s = pg::load_session_file(path, nullptr, nullptr, &r);
    std::string fork_error;
    const std::unique_ptr<pg::Session> fork_from = fork_start(s, r, &fork_error);
    install_opened(state, path, s, r, fork_from.get(), fork_error);
    return true;
  } catch (const std::exception& e) {
    fail_open(state, e.what());
    return false;
  }
}

struct SessionOpenResult {
  std::shared_ptr<pg::Session> session;  // null unless it opened
  pg::ViewState view_state;
  std::unique_ptr<pg::Session> fork_from;  // the run at views.compare.fork.at, when it has a fork
  std::string fork_error;                  // why the fork's replay failed (fork_from null)
  std::string error;
  bool bad_input = false;
  bool cancelled = false;
};

struct SessionOpenJob {
  std::string path;
  bool reopen_popup = true;
  std::chrono::steady_clock::time_point started;
  std::unique_ptr<BackgroundJob<SessionOpenResult>> job;
};

void start_open_session(AppState& state, const std::string& path, bool reopen_popup) {
  FilePopupUi& f = state.classroom.files;
  f.opening.reset();  // one at a time: an earlier open stops first
  auto job = std::make_shared<SessionOpenJob>();
  job->path = path;
  job->reopen_popup = reopen_popup;
  job->started = std::chrono::steady_clock::now();
  job->job = std::make_unique<BackgroundJob<SessionOpenResult>>(
      [path](std::atomic<int>&, const std::atomic<bool>& cancel) {
        SessionOpenResult r;
        run_guarded(r, cancel, [&] {
          auto s = std::make_shared<pg::Session>(
              pg::load_session_file(path, nullptr, &cancel, &r.view_state));
          s->set_cancel(nullptr);  // the flag goes with the job; the session stays
          r.fork_from = fork_start(*s, r.view_state, &r.fork_error, &cancel);
          r.session = std::move(s);  // only once nothing more can throw
        });
        return r;
      });
  f.opening = job;
  f.message.clear();
  state.status = "opening " + path + "…";
}

void update_session_open(AppState& state) {
  FilePopupUi& f = state.classroom.files;
  if (!f.opening || !f.opening->job->done()) return;
  const std::shared_ptr<SessionOpenJob> j = std::move(f.opening);
  SessionOpenResult& r = j->job->result();
  if (r.cancelled) {
    state.status = "opening " + j->path + " cancelled (what was open stays open)";
    return;
  }
  try {
    if (!r.session) throw std::runtime_error(r.error);
    install_opened(state, j->path, *r.session, r.view_state, r.fork_from.get(), r.fork_error);
  } catch (const std::exception& e) {
    fail_open(state, e.what());
    if (j->reopen_popup) {
      f.requested = FilePopup::kOpenSession;  // the popup again, with the message
      f.keep_message = true;
    } else
      state.scenario_error = f.message;
  }
}

bool session_opening(const AppState& state) {
  return state.classroom.files.opening != nullptr;
}

std::string session_opening_path(const AppState& state) {
  return state.classroom.files.opening ? state.classroom.files.opening->path : "";
}

double session_opening_seconds(const AppState& state) {
  if (!state.classroom.files.opening) return 0.0;
  return std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                       state.classroom.files.opening->started)
      .count();
}

void cancel_open_session(AppState& state) {
  FilePopupUi& f = state.classroom.files;
  if (!f.opening) return;
  const std::string path = f.opening->path;
  f.opening.reset();  // cancels and joins
  state.status = "opening " + path + " cancelled (what was open stays open)";
}

bool save_session(AppState& state, const std::string& path) {
  FilePopupUi& f = state.classroom.files;
  if (!state.runner) {
    f.message = "no session to save";
    return false;
  }
  if (state.runner->pending()) {
    f.message = "a Step or Reset is still being made: save once it is done";
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
