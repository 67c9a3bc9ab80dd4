#include "gui/keys.h"
#include "gui/panels/panels.h"
#include "gui/window.h"

namespace pglab::gui {

void DrawMainMenu(Window& window, AppState& state) {
  if (!ImGui::BeginMainMenuBar()) return;
  if (ImGui::BeginMenu("Run")) {
    if (ImGui::MenuItem(state.running ? "Pause" : "Run", "Space")) toggle_running(state);
    if (ImGui::MenuItem("Step", "S")) step_once(state);
    if (ImGui::MenuItem("Reset", "R")) reset_demo(state);
    ImGui::Separator();
    if (ImGui::MenuItem("Export learning curves (CSV)", "Ctrl+E")) export_curves(state);
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("View")) {
    if (ImGui::MenuItem("Dark theme", "T", window.theme() == Theme::Dark)) {
      window.set_theme(Theme::Dark);
    }
    if (ImGui::MenuItem("Light theme", "T", window.theme() == Theme::Light)) {
      window.set_theme(Theme::Light);
    }
    ImGui::Separator();
    if (ImGui::MenuItem("Presenter mode", "F", window.presenter())) window.toggle_presenter();
    float scale = window.presenter_scale();
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 8.0f);
    if (ImGui::SliderFloat("Presenter scale", &scale, UiSettings::kMinPresenterScale,
                           UiSettings::kMaxPresenterScale, "%.2f×")) {
      window.set_presenter_scale(scale);
    }
    ImGui::Separator();
    if (ImGui::MenuItem("Reset layout")) state.reset_layout = true;
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("Help")) {
    if (ImGui::MenuItem("Keys", "?", state.show_help)) state.show_help = !state.show_help;
    ImGui::EndMenu();
  }
  ImGui::EndMainMenuBar();
}

}  // namespace pglab::gui
