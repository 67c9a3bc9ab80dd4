#include "gui/panels/panels.h"
#include "gui/views/demo_views.h"

namespace pglab::gui {

void DrawViewPanel(AppState& state, DemoViews& views, Theme theme, double time,
                   const PanelRect& rect, bool force) {
  (void)state;
  if (begin_panel("Environment", rect, force,
                  ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse)) {
    views.draw(ImGui::GetContentRegionAvail(), theme, time);
  }
  ImGui::End();
}

}  // namespace pglab::gui
