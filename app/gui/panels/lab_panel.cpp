#include "gui/panels/panels.h"
#include "gui/views/views.h"
#include "gui/window.h"

namespace pglab::gui {

void DrawLabPanel(Window& window, AppState& state, const Snapshot* snap, EnvRenderer& env,
                  const PanelRect& rect, bool force) {
  if (begin_panel("Lab", rect, force, ImGuiWindowFlags_NoTitleBar)) {
    if (!snap) {
      ImGui::TextWrapped("No scenario is running. Pick one in the controls.");
      if (!state.scenario_error.empty()) {
        ImGui::PushStyleColor(ImGuiCol_Text, IM_COL32(235, 110, 100, 255));
        ImGui::TextWrapped("%s", state.scenario_error.c_str());
        ImGui::PopStyleColor();
      }
    } else if (ImGui::BeginTabBar("views")) {
      // The views from the one table (app_state.h). A view that does not apply to this session's
      // algorithm is left out of the tab bar; asked for by name (--view, the menu, the scenario) it
      // gets a tab that says in one sentence why, and which scenario shows it.
      const pg::Session& s = *snap->session;
      for (int i = 0; i < view_count(); ++i) {
        const View v = static_cast<View>(i);
        const ViewSpec& spec = view_spec(v);
        const bool applies = view_applies(v, s);
        if (!applies && state.view != v) continue;
        ImGuiTabItemFlags flags = 0;
        if (state.view_requested && state.view == v) flags |= ImGuiTabItemFlags_SetSelected;
        if (ImGui::BeginTabItem(spec.title, nullptr, flags)) {
          if (!state.view_requested) state.view = v;
          if (applies) {
            ViewContext ctx{window, state, *snap, env, window.theme()};
            spec.draw(ctx);
          } else {
            ImGui::PushTextWrapPos(ImGui::GetFontSize() * 40.0f);
            ImGui::TextWrapped("%s", spec.elsewhere);
            ImGui::PopTextWrapPos();
          }
          ImGui::EndTabItem();
        }
      }
      state.view_requested = false;
      ImGui::EndTabBar();
    }
  }
  ImGui::End();
}

}  // namespace pglab::gui
