// AppState: the UI's explicit state (STYLE.md §8). Panels read and change it; nothing in the UI
// keeps state in static locals. The session itself lives in the SessionRunner; panels read
// Snapshots of it and change it only through the runner's commands.
#pragma once

#include <memory>
#include <string>

#include "gui/classroom_state.h"
#include "gui/compare/compare_state.h"
#include "gui/layout.h"
#include "gui/session_runner.h"
#include "gui/time_travel/time_travel_state.h"
#include "gui/views/view_states.h"
#include "gui/world_edit_ui.h"
#include "imgui.h"
#include "io/scenario.h"
#include "util/text.h"

namespace pglab::gui {

struct ViewContext;  // gui/views/views.h

// The views of the lab. ONE table (view_specs(), app_state.cpp) says for each its name (`--view`,
// a scenario's "views"), tab title, draw function and whether it applies to a session; the tab
// bar, the View menu, `pglab shot --view`, the help overlay and the README read it. Adding a view:
// an enumerator here, a row in the table, its draw function.
enum class View {
  Overview,
  Variance,
  Baseline,
  Inspector,
  Rollout,
  Clip,
  Advantage,
  Importance,
  Grpo,
  Npg,
  Landscape,
  Surrogate,
  Meter,
  Replay,
  Count
};

struct ViewSpec {
  View view;  // its name and title: pg::EnumTable<pg::ViewKind> (core/io/scenario_enums.h)
  void (*draw)(ViewContext&);
  // Whether the view has something to say for the session's algorithm (AlgorithmInfo::supports);
  // null: every session.
  bool (*applies)(const pg::Session& s, const pg::AlgorithmInfo& info);
  // One sentence for when it does not apply: what it shows and which scenario shows it.
  const char* elsewhere;
};

const ViewSpec& view_spec(View v);
int view_count();
pg::ViewKind view_kind(View v);  // the core's row: name and title
const char* view_name(View v);   // "overview", …
const char* view_title(View v);  // "Overview", …
bool view_from_name(const std::string& name, View* out);
// "overview, variance, …" (for messages: the allowed values of --view).
std::string view_name_list();
// A view that does not apply is left out of the tab bar; asked for by name (--view, the menu, a
// scenario's "views") it shows its `elsewhere` sentence instead.
bool view_applies(View v, const pg::Session& s);

// "collecting: 3 of 16 episodes" / "collecting: 40 of 128 env steps (8 envs × 16 steps)" /
// "batch complete": the current iteration's collection progress, right for both collection modes.
std::string collect_progress(const pg::Session& s);

// Longest error text the window shows; longer messages are cut (util/text.h).
inline constexpr size_t kMaxShownError = pg::kMessageMax;

// The live hyperparameters panel (panels/live_params.cpp): the value being dragged, applied on
// release, and the last refusal.
struct LiveParamsUi {
  std::string active_key;  // the slider being dragged ("" when none)
  double value = 0.0;      // its value while dragged
  std::string error;       // why the last change was refused
};

struct ScenarioBuild;  // app_state.cpp: a scenario's session built on its own thread

struct AppState {
  // The scenario being run (as edited in the controls) and the file it came from.
  pg::Scenario scenario;
  std::string scenario_path;
  std::unique_ptr<SessionRunner> runner;  // null when the scenario could not be built
  std::string scenario_error;             // why the last load or edit failed (shown in the window)
  pg::Scenario edited;                    // the settings table's copy; applied with "Apply & reset"
  bool edited_dirty = false;

  pg::Granularity granularity = pg::Granularity::kIteration;
  // Run's pace: iterations per second a class can watch (default), or unlimited. Run stops at the
  // scenario's algorithm.iterations unless `run_past_end` ("continue").
  bool unlimited_speed = false;
  float iterations_per_second = 4.0f;
  bool run_past_end = false;

  View view = View::Overview;
  bool view_requested = false;  // select `view` in the tab bar next frame

  bool show_help = false;                 // ?
  bool reset_layout = true;               // recompute panel placement next frame
  ImVec2 layout_viewport = ImVec2(0, 0);  // work-area size the layout was computed for
  float layout_font_size = 0.0f;          // font size the layout was computed for
  std::string status;                     // one line for the status bar (last action, errors)
  ImGuiID curves_plot = 0;                // the learning-curve plot, for Ctrl+E export

  ViewStates views;  // per-view UI state (selected trajectory, K, colour mode, …)

  ClassroomUi classroom;  // the open lesson, File → Open/Save session popups (classroom_state.h)
  CompareUi compare;      // pinned runs, the seed band, the fork (survive resets and scenarios)
  LiveParamsUi live_params;  // the live hyperparameter widgets (panels/live_params.cpp)
  WorldEditUi world_edit;    // the world editor (gridworlds painted by hand)
  LayoutUi layout_ui;        // the controls column folded or not (layout.h)
  TimeTravelUi time_travel;  // the timeline under the views: the iteration looked at (issue 10)
  // The scenario whose session is being built in the background (start_load), null otherwise;
  // resetting it cancels and joins the build.
  std::shared_ptr<ScenarioBuild> building;
};

// Builds a runner for `scenario`; on failure keeps the old one and sets scenario_error.
bool load_into(AppState& state, const pg::Scenario& scenario, const std::string& path);
// Runs a copy of an existing session (a restored session file, a lesson step's result) in place of
// the current one, as load_into does for a scenario.
void install_session(AppState& state, const pg::Session& session, const std::string& path);
// Loads a scenario file by path or name (assets/scenarios/).
bool load_file_into(AppState& state, const std::string& path_or_name);

// load_into and load_file_into as the window's controls do them: the file is read and checked at
// once (a bad one sets scenario_error and returns false), the session is built on a background
// thread (a big world's exact J under a big network takes seconds: the window drew nothing
// meanwhile) and update_scenario_build() installs it, or shows why it failed, keeping what is
// open until then. `done` is the status once installed ("" for "loaded <name>"). A newer request,
// or any session installed meanwhile (a session file, a lesson step), cancels the build.
bool start_load(AppState& state, const pg::Scenario& scenario, const std::string& path,
                const std::string& done = "");
bool start_load_file(AppState& state, const std::string& path_or_name);
// Each frame: installs a finished build. Returns true when it installed one.
bool update_scenario_build(AppState& state);
// What is being built and for how long (seconds < 0: nothing is).
struct BuildingStatus {
  std::string name;
  double seconds = -1.0;
};
BuildingStatus scenario_building(const AppState& state);
void cancel_scenario_build(AppState& state);

}  // namespace pglab::gui
