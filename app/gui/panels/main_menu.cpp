#include "gui/compare/compare.h"
#include "gui/keys.h"
#include "gui/panels/panels.h"
#include "gui/window.h"

namespace pglab::gui {

void DrawMainMenu(Window& window, AppState& state) {
  if (!ImGui::BeginMainMenuBar()) return;
  DrawFileMenu(state);  // lessons and session files (file_popups.cpp)
  if (ImGui::BeginMenu("Run")) {
    const bool running = state.runner && state.runner->running();
    if (ImGui::MenuItem(running ? "Pause" : "Run", "Space", false, state.runner != nullptr))
      toggle_running(state);
    if (ImGui::MenuItem("Step", "S", false, state.runner != nullptr)) step_once(state);
    if (ImGui::MenuItem("Reset", "R", false, state.runner != nullptr)) reset_session(state);
    ImGui::Separator();
    if (ImGui::MenuItem("Export curves, batch dump and window", "Ctrl+E", false,
                        state.runner != nullptr))
      export_all(window, state);
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
    // The scale on screen (1× while presenter mode is off, not the remembered one); moving the
    // slider turns presenter mode on at that scale, as F does, and 1× turns it off. A drag takes
    // effect on release: the menu grows with the font, and the value would run after the pointer.
    float& dragged = state.layout_ui.presenter_scale_drag;
    float scale = dragged > 0.0f ? dragged : window.ui_scale();
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 8.0f);
    const bool changed =
        ImGui::SliderFloat("Presenter scale", &scale, UiSettings::kMinPresenterScale,
                           UiSettings::kMaxPresenterScale, "%.2f×");
    if (ImGui::IsItemActive()) {
      if (changed) dragged = scale;
    } else if (dragged > 0.0f || changed) {  // released, or typed in (Ctrl+click) / keyboard
      window.set_ui_scale(dragged > 0.0f ? dragged : scale);
      dragged = 0.0f;
    }
    ImGui::Separator();
    if (ImGui::MenuItem("Reset layout")) state.reset_layout = true;
    if (ImGui::MenuItem("World editor", nullptr, state.world_edit.open))
      state.world_edit.open = !state.world_edit.open;
    ImGui::Separator();
    const Snapshot snap = state.runner ? state.runner->snapshot() : Snapshot{};
    for (int i = 0; i < view_count(); ++i) {
      const View v = static_cast<View>(i);
      // Views that do not apply to the session stay in the menu, greyed: opening one says why.
      const bool applies = !snap.session || view_applies(v, *snap.session);
      if (!applies)
        ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
      const bool picked = ImGui::MenuItem(view_title(v), nullptr, state.view == v);
      if (!applies) ImGui::PopStyleColor();
      if (picked) {
        state.view = v;
        state.view_requested = true;
      }
    }
    ImGui::EndMenu();
  }
  DrawCompareMenu(state);  // issue 9: runs compared
  if (ImGui::BeginMenu("Help")) {
    if (ImGui::MenuItem("Keys", "?", state.show_help)) state.show_help = !state.show_help;
    ImGui::EndMenu();
  }
  ImGui::EndMainMenuBar();
}

}  // namespace pglab::gui
