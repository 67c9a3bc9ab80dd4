#include "gui/views/views.h"

namespace pglab::gui {

void DrawRolloutView(ViewContext& ctx) {
  (void)ctx;
  ImGui::TextDisabled("Rollout view: coming.");
}

}  // namespace pglab::gui
