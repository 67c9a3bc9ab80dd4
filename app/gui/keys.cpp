#include "gui/keys.h"

#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>

#include "gui/plot/plot.h"
#include "gui/window.h"

namespace pglab::gui {
namespace {

constexpr Shortcut kShortcuts[] = {
    {"Space", "run / pause"},
    {"S", "advance one step at the chosen granularity"},
    {"R", "reset"},
    {"1 – 5", "granularity: env step, episode, batch, update, iteration"},
    {"F", "presenter mode (larger text and widgets)"},
    {"T", "dark / light theme"},
    {"Ctrl+E", "export the learning curves as CSV"},
    {"? or F1", "this help"},
    {"Esc", "close this help"},
    {nullptr, nullptr},
};

// ImGui 1.86 indexes keys by the backend's key codes (GLFW's) — no ImGuiKey for letters yet.
bool pressed(int glfw_key) { return ImGui::IsKeyPressed(glfw_key, false); }

}  // namespace

const Shortcut* shortcut_table() { return kShortcuts; }

void toggle_running(AppState& state) {
  state.running = !state.running;
  state.status = state.running ? "running" : "paused";
}

void step_once(AppState& state) {
  state.running = false;
  state.demo.step();
  state.status = std::string("stepped one ") + granularity_name(state.granularity);
}

void reset_demo(AppState& state) {
  state.running = false;
  state.demo.shown = 1;
  state.demo.stream_x.clear();
  state.demo.stream_y.clear();
  state.status = "reset";
}

void export_curves(AppState& state) {
  const std::string path = "pglab-curves.csv";
  const std::string error = plot::ExportCsv(state.curves_plot, path);
  state.status = error.empty() ? "exported " + path : error;
}

void handle_shortcuts(Window& window, AppState& state) {
  const ImGuiIO& io = ImGui::GetIO();
  if (io.WantTextInput) return;
  for (int i = 0; i < io.InputQueueCharacters.Size; ++i) {
    if (io.InputQueueCharacters[i] == '?') state.show_help = !state.show_help;
  }
  if (pressed(GLFW_KEY_F1)) state.show_help = !state.show_help;
  if (pressed(GLFW_KEY_ESCAPE)) state.show_help = false;
  if (io.KeyCtrl) {
    if (pressed(GLFW_KEY_E)) export_curves(state);
    return;
  }
  if (pressed(GLFW_KEY_SPACE)) toggle_running(state);
  if (pressed(GLFW_KEY_S)) step_once(state);
  if (pressed(GLFW_KEY_R)) reset_demo(state);
  if (pressed(GLFW_KEY_F)) window.toggle_presenter();
  if (pressed(GLFW_KEY_T)) window.toggle_theme();
  for (int k = 1; k <= 5; ++k) {
    if (pressed(GLFW_KEY_0 + k) || pressed(GLFW_KEY_KP_0 + k)) {
      state.granularity = static_cast<Granularity>(k);
    }
  }
}

}  // namespace pglab::gui
