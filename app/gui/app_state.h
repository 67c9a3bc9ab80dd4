// AppState: the UI's explicit state (STYLE.md §8). Panels read and change it; nothing in the UI
// keeps state in static locals. The session-driven fields arrive with core/session; for now the
// panels are placeholders driven by synthetic demo data (demo_data.h).
#pragma once

#include <string>

#include "gui/demo_data.h"
#include "imgui.h"

namespace pglab::gui {

// How far one "step" advances, keys 1–5.
enum class Granularity { Step = 1, Episode, Batch, Update, Iteration };
const char* granularity_name(Granularity g);

struct AppState {
  std::string scenario;          // path given with --scenario ("" = default)
  bool running = false;          // Space
  Granularity granularity = Granularity::Iteration;
  bool show_help = false;        // ?
  bool reset_layout = true;      // recompute panel placement next frame
  ImVec2 layout_viewport = ImVec2(0, 0);  // work-area size the layout was computed for
  float layout_font_size = 0.0f;          // font size the layout was computed for
  std::string status;            // one line for the status bar (last action, errors)
  ImGuiID curves_plot = 0;       // for Ctrl+E export
  DemoData demo;                 // synthetic learning curves, gradients, returns
};

}  // namespace pglab::gui
