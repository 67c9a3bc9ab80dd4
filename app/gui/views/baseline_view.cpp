#include "gui/views/views.h"

namespace pglab::gui {

void DrawBaselineView(ViewContext& ctx) {
  (void)ctx;
  ImGui::TextDisabled("Baseline view: coming.");
}

}  // namespace pglab::gui
