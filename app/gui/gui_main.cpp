#include "gui/gui_main.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <thread>
#include <vector>

#include "gui/app_state.h"
#include "gui/classroom.h"
#include "gui/clip_check.h"
#include "gui/compare/compare.h"
#include "gui/keys.h"
#include "gui/layout.h"
#include "gui/panels/panels.h"
#include "gui/panels/world_editor.h"
#include "gui/plot/plot.h"
#include "gui/plot_export.h"
#include "gui/render/screenshot.h"
#include "gui/theme.h"
#include "gui/time_travel/time_travel.h"
#include "gui/views/background_job.h"
#include "gui/views/env_renderer.h"
#include "gui/window.h"
#include "io/scenario.h"
#include "io/session_file.h"
#include "lab/lesson.h"
#include "util/error.h"
#include "util/text.h"

namespace pglab::gui {
namespace {

// Owns the plot context for the lifetime of one window.
struct PlotContextGuard {
  plot::PlotContext* ctx = plot::CreateContext();
  PlotContextGuard() { plot::SetCurrentContext(ctx); }
  ~PlotContextGuard() { plot::DestroyContext(ctx); }
  PlotContextGuard(const PlotContextGuard&) = delete;
  PlotContextGuard& operator=(const PlotContextGuard&) = delete;
};

// One frame of UI: shortcuts, menu, the controls, the lab area and the help overlay.
void draw_frame(Window& window, AppState& state, EnvRenderer& env) {
  handle_shortcuts(window, state);
  DrawMainMenu(window, state);

  const ImGuiViewport* viewport = ImGui::GetMainViewport();
  const float fs = ImGui::GetFontSize();
  // The work area (viewport minus the menu bar) is what the layout tiles; it changes with the
  // window size and, one frame after start-up, when the menu bar first reserves its height.
  const bool viewport_changed = viewport->WorkSize.x != state.layout_viewport.x ||
                                viewport->WorkSize.y != state.layout_viewport.y;
  const bool font_changed = state.layout_font_size > 0.0f && fs != state.layout_font_size;
  const bool folded_changed = state.layout_ui.controls_folded != state.layout_ui.laid_out_folded;
  bool force = state.reset_layout || viewport_changed || font_changed || folded_changed;
  state.layout_ui.laid_out_folded = state.layout_ui.controls_folded;
  state.reset_layout = false;
  state.layout_viewport = viewport->WorkSize;
  state.layout_font_size = fs;

  Snapshot snap;
  if (state.runner) snap = state.runner->snapshot();
  const Snapshot* s = state.runner ? &snap : nullptr;
  // Time travel (issue 10): the views draw the session at the iteration the timeline shows; the
  // controls, the lesson and the editor act on the live one.
  const Snapshot shown = shown_snapshot(state, snap);
  Layout layout =
      compute_layout(viewport->WorkPos, viewport->WorkSize, fs, state.layout_ui.controls_folded);
  PanelRect lesson_rect;
  bool lesson = lesson_panel_rect(state, &layout, &lesson_rect);
  // A lesson opening beside a lab narrower than kMinLabEm (a small screen at presenter scale)
  // folds the controls to their slim bar, as a teacher would: the lesson drives the run. So does
  // a presenter scale or window size changed while a lesson is open. » or C brings them back
  // (until the next such change).
  constexpr float kMinLabEm = 30.0f;
  const bool relaid = !state.layout_ui.lesson_laid_out || font_changed || viewport_changed;
  if (lesson && relaid && !state.layout_ui.controls_folded && layout.lab.size.x < kMinLabEm * fs) {
    state.layout_ui.controls_folded = state.layout_ui.laid_out_folded = true;
    layout = compute_layout(viewport->WorkPos, viewport->WorkSize, fs, true);
    lesson = lesson_panel_rect(state, &layout, &lesson_rect);
    force = true;
  }
  state.layout_ui.lesson_laid_out = lesson;
  const PanelRect timeline_rect = take_timeline_rect(&layout);
  DrawControlsPanel(window, state, s, layout.controls, force, s ? shown.session.get() : nullptr);
  DrawLabPanel(window, state, s ? &shown : nullptr, env, layout.lab, force);
  if (travelling(state)) {
    // Clearly marked: a frame in the travelling colour around the views, drawn with the lab
    // panel's own window (Begin appends to it), so menus, popups, dialogs and the help overlay
    // stay above it; the foreground draw list drew it over all of them.
    if (ImGui::Begin("Lab")) {
      const ImVec2 p0 = ImGui::GetWindowPos(), size = ImGui::GetWindowSize();
      const float t = em(0.15f);
      ImDrawList* dl = ImGui::GetWindowDrawList();
      dl->PushClipRect(p0, ImVec2(p0.x + size.x, p0.y + size.y), false);
      dl->AddRect(ImVec2(p0.x + 0.5f * t, p0.y + 0.5f * t),
                  ImVec2(p0.x + size.x - 0.5f * t, p0.y + size.y - 0.5f * t), kColorTravel, 0.0f, 0,
                  t);
      dl->PopClipRect();
    }
    ImGui::End();
  }
  DrawTimelinePanel(state, s, timeline_rect, force);
  if (lesson) DrawLessonPanel(state, s, lesson_rect, force);
  DrawWorldEditor(window, state, s, env);
  DrawHelpOverlay(state);
  DrawFilePopups(state);
  update_compare(state);              // issue 9: seeds finishing, the fork following
  update_session_open(state);         // a session file opened in the background
  update_scenario_build(state);       // a scenario's session built in the background
  update_lesson(state);               // issue 9: a lesson step finishing in the background
  serve_plot_exports(window, state);  // issue 9: a plot menu's Save PNG (2×) / Save CSV
}

}  // namespace

void draw_lab_frame(Window& window, AppState& state, EnvRenderer& env) {
  draw_frame(window, state, env);
}

namespace {

// Something animates: training, or a lesson step whose progress bar moves.
bool running(const AppState& state) {
  return (state.runner && state.runner->running()) || lesson_step_running(state) ||
         state.building != nullptr;
}

// `shot --lesson`: the lesson's steps through the window's path, with the check lines of
// `pglab lesson --check`. Returns 0, 1 when a claim or a step failed, 2 for a lesson that cannot
// be opened or a step number out of range.
int shot_lesson(AppState& state, const ShotOptions& options) {
  if (!open_lesson(state, options.lesson)) {
    std::fprintf(stderr, "pglab shot: %s\n", state.classroom.lesson.error.c_str());
    return state.classroom.lesson.error_is_input ? 2 : 1;  // as lesson --check
  }
  const pg::Lesson& lesson = *state.classroom.lesson.lesson;
  const int n = static_cast<int>(lesson.steps.size());
  const int last = options.lesson_step < 0 ? n : options.lesson_step;
  if (last > n) {
    std::fprintf(stderr, "pglab shot: --lesson-step %d: the lesson has %d steps\n", last, n);
    return 2;
  }
  std::printf("lesson: %s (%d steps)\n", pg::printable(lesson.title, 200).c_str(), n);
  // The step's prediction from --predict; "" or why it does not fit the step (a step without a
  // prediction, a choice that is not one of its indices: the picture said "no prediction given").
  auto predict = [&](int i) -> std::string {
    const pg::LessonStep& st = lesson.steps[static_cast<size_t>(i)];
    if (options.predict.empty()) return "";
    if (!st.prediction) return "step " + std::to_string(i + 1) + " asks no prediction";
    LessonGuess& g = state.classroom.lesson.guess[static_cast<size_t>(i)];
    char* end = nullptr;
    const double x = std::strtod(options.predict.c_str(), &end);
    if (st.prediction->numeric()) {
      g.number = x;
      g.number_given = true;
      return "";
    }
    const int n_choices = static_cast<int>(st.prediction->choices.size());
    if (!(x >= 0 && x < n_choices && x == std::floor(x)))
      return "step " + std::to_string(i + 1) + " has choices 0 to " +
             std::to_string(n_choices - 1) + "; got '" + pg::printable(options.predict, 60) + "'";
    g.choice = static_cast<int>(x);
    return "";
  };
  auto refuse = [](const std::string& why) {
    std::fprintf(stderr, "pglab shot: --predict: %s\n", why.c_str());
    return 2;
  };
  pg::LessonTally tally;
  for (int i = 0; i < last; ++i) {
    if (i > 0 && !show_lesson_step(state, i)) break;
    if (i == last - 1)
      if (const std::string why = predict(i); !why.empty()) return refuse(why);
    if (!run_shown_step(state)) break;
    const pg::StepOutcome& o = *state.classroom.lesson.outcome[static_cast<size_t>(i)];
    std::printf("%s\n", pg::lesson_step_line(lesson, i, o).c_str());
    tally.add(o);
  }
  if (last == 0)
    if (const std::string why = predict(0); !why.empty()) return refuse(why);
  if (!state.classroom.lesson.error.empty()) {
    // As lesson --check: a claim or set-up that does not fit is bad input (2), a fault 1.
    std::fprintf(stderr, "pglab shot: %s\n", state.classroom.lesson.error.c_str());
    return state.classroom.lesson.error_is_input ? 2 : 1;
  }
  if (last > 0) std::printf("%s\n", tally.summary().c_str());
  return tally.passed() ? 0 : 1;
}

}  // namespace

int run_gui(const GuiOptions& options) {
  std::string error;
  std::unique_ptr<Window> window = Window::create(WindowOptions{}, &error);
  if (!window) {
    // No window to show a bad file in: a bad --scenario, --lesson or --session is still bad input
    // (exit 2, its own message), so a headless typo is not reported as a display problem.
    try {
      if (!options.scenario.empty()) pg::load_scenario(options.scenario);
      if (!options.lesson.empty()) pg::load_lesson(options.lesson);
      if (!options.session.empty()) pg::load_session_file(options.session);
    } catch (const pg::InputError& e) {
      std::fprintf(stderr, "pglab: %s\n", e.what());
      return 2;
    }
    std::fprintf(stderr, "pglab: %s\n", error.c_str());
    return 1;
  }
  PlotContextGuard plot_context;
  EnvRenderer env;
  AppState state;
  // A scenario that fails to load leaves the window up with the message and the picker. Alone, it
  // is built in the background (the window draws at once); before a session or a lesson it is
  // built here, so neither is replaced by it later.
  const bool alone = options.session.empty() && options.lesson.empty();
  if (!(alone ? start_load_file(state, options.scenario) : load_file_into(state, options.scenario)))
    state.status = "could not load the scenario";
  // A session or lesson that fails to open says why in the window (status line, lesson panel).
  // (In the background: a long run's file takes seconds to replay, and the window draws meanwhile.)
  if (!options.session.empty()) start_open_session(state, options.session, false);
  if (!options.lesson.empty()) open_lesson(state, options.lesson);
  // A settings file the window ignored (a FIFO, a huge file) is said on the status line too.
  if (state.status.empty() && !window->notices().empty()) state.status = window->notices().front();
  // Keep the panel placement saved in imgui.ini when the window comes back at the same size.
  state.reset_layout = false;
  state.layout_viewport = ImVec2(static_cast<float>(window->settings().layout_width),
                                 static_cast<float>(window->settings().layout_height));
  const std::string shader_error = env.init();
  if (!shader_error.empty()) {
    std::fprintf(stderr, "pglab: %s\n", shader_error.c_str());
    state.status = "shader error: the environment views show it";
  }

  double elapsed = 0.0;
  // Sleep between events unless something animates (running) — a paused lab costs no CPU.
  while (window->begin_frame(!running(state))) {
    elapsed += ImGui::GetIO().DeltaTime;
    if (options.quit_after_seconds > 0.0 && elapsed >= options.quit_after_seconds)
      window->request_close();
    draw_frame(*window, state, env);
    window->end_frame();
  }
  state.runner.reset();  // joins the worker before the window goes
  window->settings().layout_width = static_cast<int>(state.layout_viewport.x);
  window->settings().layout_height = static_cast<int>(state.layout_viewport.y);
  return 0;
}

namespace {

// An output file being written: holds options.writing meanwhile (a signal waits for the file to be
// whole), and done() lists it as complete (ShotOptions::written).
class OutputWrite {
 public:
  OutputWrite(const ShotOptions& o, const std::string& path) : o_(o), path_(path) {
    if (o_.writing) o_.writing->lock();
  }
  ~OutputWrite() {
    if (o_.writing) o_.writing->unlock();
  }
  OutputWrite(const OutputWrite&) = delete;
  OutputWrite& operator=(const OutputWrite&) = delete;
  void done() {
    if (o_.written) o_.written->push_back(path_);
  }

 private:
  const ShotOptions& o_;
  std::string path_;
};

}  // namespace

int run_shot(const ShotOptions& options) {
  if (options.out.empty() && !options.frame_times) {
    std::fprintf(stderr, "pglab shot: --out F.png is required\n");
    return 2;
  }
  if (options.width < 320 || options.width > 8192 || options.height < 200 ||
      options.height > 8192) {
    std::fprintf(stderr, "pglab shot: size %dx%d out of range (320x200 .. 8192x8192)\n",
                 options.width, options.height);
    return 2;
  }
  if (options.frames < 1 || options.frames > 100000) {
    std::fprintf(stderr, "pglab shot: frames %d out of range (1 .. 100000)\n", options.frames);
    return 2;
  }
  if (options.theme != "dark" && options.theme != "light") {
    std::fprintf(stderr, "pglab shot: theme '%s' is not one of: dark, light\n",
                 options.theme.c_str());
    return 2;
  }
  if (!(options.scale >= UiSettings::kMinPresenterScale &&
        options.scale <= UiSettings::kMaxPresenterScale)) {
    std::fprintf(stderr, "pglab shot: scale %g out of range (1 .. 2.5)\n", options.scale);
    return 2;
  }
  View view = View::Overview;
  if (!options.view.empty() && !view_from_name(options.view, &view)) {
    std::fprintf(stderr, "pglab shot: view '%s' is not one of: %s\n", options.view.c_str(),
                 view_name_list().c_str());
    return 2;
  }

  AppState state;
  if (!options.session.empty()) {
    if (!open_session(state, options.session)) {
      std::fprintf(stderr, "pglab shot: %s\n", state.classroom.files.message.c_str());
      return 2;
    }
    if (!state.classroom.files.opened_without.empty())
      std::fprintf(stderr, "pglab shot: note: %s: %s\n", options.session.c_str(),
                   state.classroom.files.opened_without.c_str());
  } else if (options.lesson.empty()) {
    const bool loaded = options.scenario
                            ? load_into(state, *options.scenario, options.scenario->source)
                            : load_file_into(state, "");
    if (!loaded) {
      std::fprintf(stderr, "pglab shot: %s\n", state.scenario_error.c_str());
      return 2;
    }
  }
  int lesson_rc = 0;
  if (!options.lesson.empty()) {
    lesson_rc = shot_lesson(state, options);
    if (lesson_rc == 2) return 2;
  }
  // A numeric fault pauses the training (the window shows it): the picture is still drawn and
  // written, and the exit code is 1 with the fault's message, as train's is (DESIGN.md §5).
  std::string fault;
  if (options.iterations > 0 && !state.runner->run_iterations(options.iterations, options.changes))
    fault = state.runner->fault();
  for (int k = 0; fault.empty() && k < options.env_steps; ++k)
    if (!state.runner->step(pg::Granularity::kEnvStep)) fault = state.runner->fault();
  if (!options.view.empty()) {
    state.view = view;
    state.view_requested = true;
  }
  state.show_help = options.help;
  // The editor opens with the script applied, as clicks would. A refused command is bad input:
  // exit 2 with one line, before a window opens (the command line checks a scenario's script
  // before training; a lesson's or session's world, and a world the session refuses, are known
  // only here).
  if (!options.edit.empty()) {
    const std::string why = apply_world_script(state, options.edit);
    if (!why.empty()) {
      std::fprintf(stderr, "pglab shot: --edit: %s\n", why.c_str());
      return 2;
    }
    state.world_edit.open = true;
  }
  state.layout_ui.controls_folded = options.fold_controls;
  // Time travel: fork at fork_at (default: the iteration shown), then show `at` (-1: live).
  const int n = state.runner ? state.runner->snapshot().session->iteration() : 0;
  for (int k : {options.at, options.fork_at})
    if (k > n) {
      std::fprintf(stderr, "pglab shot: --at/--fork-at %d: the run has reached iteration %d\n", k,
                   n);
      return 2;
    }
  if (!options.fork.empty()) {
    std::pair<std::string, nlohmann::json> kv;
    try {
      kv = pg::parse_assignment(options.fork);
    } catch (const pg::InputError& e) {
      std::fprintf(stderr, "pglab shot: --fork: %s\n", e.what());
      return 2;
    }
    travel_to(state, options.fork_at >= 0 ? options.fork_at : options.at);
    wait_for_replays(state, 600.0);
    const Snapshot live = state.runner->snapshot();
    if (!fork_run(state, *shown_snapshot(state, live).session, kv.first, kv.second)) {
      std::fprintf(stderr, "pglab shot: --fork: %s\n", state.status.c_str());
      return 2;
    }
  }
  // Saved after the fork, so the file keeps it (views.compare.fork).
  if (!options.save_session.empty()) {
    OutputWrite write(options, options.save_session);
    if (!save_session(state, options.save_session)) {
      std::fprintf(stderr, "pglab shot: %s\n", state.classroom.files.message.c_str());
      return 1;
    }
    write.done();
    std::printf("saved %s\n", options.save_session.c_str());
  }
  // A session file's fork (views.compare.fork) catches up before the picture, as --fork's does,
  // and its seed band (views.compare.seeds) is computed.
  if (options.at >= 0 || !options.fork.empty() || has_fork(state) || seeds_progress(state) >= 0.0) {
    travel_to(state, options.at);
    wait_for_replays(state, 600.0);
  }

  WindowOptions window_options;
  window_options.width = options.width;
  window_options.height = options.height;
  window_options.visible = false;
  window_options.persist = false;
  std::string error;
  std::unique_ptr<Window> window = Window::create(window_options, &error);
  if (!window) {
    std::fprintf(stderr, "pglab shot: %s\n", error.c_str());
    return 1;
  }
  window->set_theme(options.theme == "light" ? Theme::Light : Theme::Dark);
  window->set_presenter_scale(options.scale);
  window->set_presenter(options.scale > 1.0f);

  PlotContextGuard plot_context;
  EnvRenderer env;
  const std::string shader_error = env.init();
  if (!shader_error.empty()) {
    std::fprintf(stderr, "pglab shot: %s\n", shader_error.c_str());
    return 1;
  }
  if (options.frame_times) {
    state.unlimited_speed = true;
    state.runner->set_pace(0.0);
    state.runner->set_stop_at(-1);  // the frame-time bench trains for as long as it draws
    state.runner->set_running(true);
  }
  std::vector<double> frame_ms;
  render::Image image;
  std::vector<ClippedText> clipped;
  std::vector<plot::LegendOverData> legends_over_data;
  std::vector<plot::PlotDrawn> plots_drawn;
  // The picture is the last frame once the layout has settled: no view's background job still
  // computing (a result that lands adds lines, and ImGui sizes scrolling from the frame before)
  // and three quiet frames drawn after the last one finished. So a shot shows the same layout on a
  // loaded machine as on an idle one. Frame-time runs train while they draw: they never settle.
  const auto settle_until = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  int quiet_frames = 0;
  // Frame-time runs draw these first, untimed: they build the font atlas and shaders, not what a
  // user waits for; --frames N counts the timed frames after them.
  const int warmup_frames = options.frame_times ? kFrameTimeWarmup : 0;
  for (int frame = 0;; ++frame) {
    const auto t0 = std::chrono::steady_clock::now();
    const bool busy = g_background_jobs_running.load(std::memory_order_acquire) > 0;
    quiet_frames = busy ? 0 : quiet_frames + 1;
    const bool last = frame >= warmup_frames + options.frames - 1 &&
                      (options.frame_times || quiet_frames >= 3 || t0 > settle_until);
    if (busy) std::this_thread::sleep_for(std::chrono::milliseconds(20));  // the job's CPU
    if (!window->begin_frame()) break;
    if (options.check_clipping) mark_truncations();
    draw_frame(*window, state, env);
    window->render();
    if (last && !options.out.empty()) {
      const FramebufferSize fb = window->framebuffer_size();
      image = render::read_default_framebuffer(fb.width, fb.height);
    }
    if (last && options.check_clipping) {
      clipped = find_clipped_text();
      legends_over_data = plot::GetLegendsOverData();
      plots_drawn = plot::GetPlotsDrawn();
    }
    window->swap();
    frame_ms.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    if (last) break;
  }
  if (state.runner) state.runner->set_running(false);
  if (options.frame_times) {
    std::vector<double> steady(
        frame_ms.begin() + std::min<size_t>(warmup_frames, frame_ms.size() - 1), frame_ms.end());
    std::sort(steady.begin(), steady.end());
    const double median = steady[steady.size() / 2];
    const double p95 =
        steady[std::min(steady.size() - 1, static_cast<size_t>(0.95 * steady.size()))];
    const pg::Session& s = *state.runner->snapshot().session;
    std::printf(
        "{\"median_ms\": %.3f, \"p95_ms\": %.3f, \"frames\": %zu, \"iterations_trained\": %d}\n",
        median, p95, steady.size(), s.iteration());
  }
  if (!options.out.empty()) {
    OutputWrite write(options, options.out);
    error = render::write_png(image, options.out);
    if (error.empty()) write.done();
    if (!error.empty()) {
      std::fprintf(stderr, "pglab shot: %s\n", error.c_str());
      return 1;
    }
    if (!options.frame_times)
      std::printf("wrote %s (%dx%d)\n", options.out.c_str(), image.width, image.height);
  }
  // The 40% rule (layout.h picture_box()): the environment picture's box against the view's area
  // (with the clipping check: the measures a layout test reads).
  if (const EnvRenderer::Drawn pic = env.drawn_this_frame();
      options.check_clipping && pic.box.x > 0.0f) {
    const ImVec2 view = state.layout_ui.view_area;
    // The world's own share (a grid's cells, without its captions and colour key) beside the
    // box's: a box of 40% could hold a map of 14% (a9 F4).
    std::printf(
        "environment picture: %.0fx%.0f (world %.0fx%.0f) in a view of %.0fx%.0f (%.0f%% x "
        "%.0f%%; world %.0f%% x %.0f%%)\n",
        pic.box.x, pic.box.y, pic.world.x, pic.world.y, view.x, view.y,
        100.0f * pic.box.x / std::max(1.0f, view.x), 100.0f * pic.box.y / std::max(1.0f, view.y),
        100.0f * pic.world.x / std::max(1.0f, view.x),
        100.0f * pic.world.y / std::max(1.0f, view.y));
  }
  // How far down the view its first plot's area starts (a short view folds what stands above it:
  // layout.h short_view()). Plots outside the view (the timeline's) do not count.
  if (options.check_clipping) {
    const ImVec2 o = state.layout_ui.view_origin, v = state.layout_ui.view_area;
    for (const plot::PlotDrawn& p : plots_drawn) {
      if (p.area_min.x < o.x || p.area_min.x > o.x + v.x || p.area_min.y < o.y) continue;
      std::printf("first plot: \"%s\" starts at %.0f%% of the view's height (%.0f of %.0f)\n",
                  p.title.c_str(), 100.0f * (p.area_min.y - o.y) / std::max(1.0f, v.y),
                  p.area_min.y - o.y, v.y);
      break;
    }
  }
  if (!fault.empty()) {
    std::fprintf(stderr, "pglab shot: training paused: %s\n", fault.c_str());
    return 1;
  }
  if (options.check_clipping) {
    for (const ClippedText& c : clipped) std::fprintf(stderr, "clipped: %s\n", describe(c).c_str());
    std::fprintf(stderr, "clipped text: %zu\n", clipped.size());
    // Reported, not failed: in a small plot a legend may have nowhere else to go.
    for (const plot::LegendOverData& l : legends_over_data)
      std::fprintf(stderr, "legend over data: \"%s\" hides %d\n", l.title.c_str(), l.hidden);
    if (!clipped.empty()) return 1;
  }
  // A fork whose update faulted stopped short of the run (its branch picture says why): as the
  // main run's fault, the message and exit 1 — after the clipping report, which covers that
  // picture too.
  if (ForkView f; fork_view(state, &f) && !f.detached && !f.fault.empty()) {
    std::fprintf(stderr, "pglab shot: %s\n", fork_stopped_message(f.stopped_at(), f.fault).c_str());
    return 1;
  }
  return lesson_rc;
}

}  // namespace pglab::gui
