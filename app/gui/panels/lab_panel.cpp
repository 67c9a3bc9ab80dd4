#include "gui/panels/panels.h"
#include "gui/views/views.h"
#include "gui/window.h"

namespace pglab::gui {

void DrawLabPanel(Window& window, AppState& state, const Snapshot* snap, EnvRenderer& env, const PanelRect& rect,
                  bool force) {
  if (begin_panel("Lab", rect, force, ImGuiWindowFlags_NoTitleBar)) {
    if (!snap) {
      ImGui::TextWrapped("No scenario is running. Pick one in the controls.");
      if (!state.scenario_error.empty()) {
        ImGui::PushStyleColor(ImGuiCol_Text, IM_COL32(235, 110, 100, 255));
        ImGui::TextWrapped("%s", state.scenario_error.c_str());
        ImGui::PopStyleColor();
      }
    } else if (ImGui::BeginTabBar("views")) {
      using DrawFn = void (*)(ViewContext&);
      constexpr DrawFn kDraw[] = {DrawOverviewView, DrawVarianceView,   DrawBaselineView,
                                  DrawInspectorView, DrawRolloutView,   DrawClipView,
                                  DrawAdvantageView, DrawImportanceView, DrawGrpoView,
                                  DrawNpgView};
      static_assert(sizeof(kDraw) / sizeof(kDraw[0]) == static_cast<size_t>(View::Count));
      for (int i = 0; i < static_cast<int>(View::Count); ++i) {
        const View v = static_cast<View>(i);
        ImGuiTabItemFlags flags = 0;
        if (state.view_requested && state.view == v) flags |= ImGuiTabItemFlags_SetSelected;
        if (ImGui::BeginTabItem(view_title(v), nullptr, flags)) {
          if (!state.view_requested) state.view = v;
          ViewContext ctx{window, state, *snap, env, window.theme()};
          kDraw[i](ctx);
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
