#include "gui/views/views.h"

namespace pglab::gui {

void DrawVarianceView(ViewContext& ctx) {
  (void)ctx;
  ImGui::TextDisabled("Variance view: coming.");
}

}  // namespace pglab::gui
