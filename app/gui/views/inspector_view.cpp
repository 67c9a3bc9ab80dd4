#include "gui/views/views.h"

namespace pglab::gui {

void DrawInspectorView(ViewContext& ctx) {
  (void)ctx;
  ImGui::TextDisabled("Inspector view: coming.");
}

}  // namespace pglab::gui
