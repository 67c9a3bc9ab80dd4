// AppState: the UI's explicit state (STYLE.md §8). Panels read and change it; nothing in the UI
// keeps state in static locals. The session itself lives in the SessionRunner; panels read
// Snapshots of it and change it only through the runner's commands.
#pragma once

#include <memory>
#include <string>

#include "gui/session_runner.h"
#include "gui/views/view_states.h"
#include "imgui.h"
#include "io/scenario.h"

namespace pglab::gui {

// The views of the lab; `pglab shot --view NAME` brings one to the front.
enum class View { Overview, Variance, Baseline, Inspector, Rollout, Clip, Advantage, Importance, Grpo, Npg, Count };
const char* view_name(View v);              // "overview", …
const char* view_title(View v);             // "Overview", …
bool view_from_name(const std::string& name, View* out);

struct AppState {
  // The scenario being run (as edited in the controls) and the file it came from.
  pg::Scenario scenario;
  std::string scenario_path;
  std::unique_ptr<SessionRunner> runner;  // null when the scenario could not be built
  std::string scenario_error;             // why the last load or edit failed (shown in the window)
  pg::Scenario edited;                    // the settings table's copy; applied with "Apply & reset"
  bool edited_dirty = false;

  pg::Granularity granularity = pg::Granularity::kIteration;
  bool unlimited_speed = true;
  float slow_steps_per_second = 20.0f;  // slow motion: env steps per second

  View view = View::Overview;
  bool view_requested = false;  // select `view` in the tab bar next frame

  bool show_help = false;        // ?
  bool reset_layout = true;      // recompute panel placement next frame
  ImVec2 layout_viewport = ImVec2(0, 0);  // work-area size the layout was computed for
  float layout_font_size = 0.0f;          // font size the layout was computed for
  std::string status;            // one line for the status bar (last action, errors)
  ImGuiID curves_plot = 0;       // the learning-curve plot, for Ctrl+E export

  ViewStates views;  // per-view UI state (selected trajectory, K, colour mode, …)
};

// Builds a runner for `scenario`; on failure keeps the old one and sets scenario_error.
bool load_into(AppState& state, const pg::Scenario& scenario, const std::string& path);
// Loads a scenario file by path or name (assets/scenarios/).
bool load_file_into(AppState& state, const std::string& path_or_name);

}  // namespace pglab::gui
