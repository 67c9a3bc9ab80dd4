#include "gui/views/views.h"

namespace pglab::gui {

void DrawImportanceView(ViewContext& ctx) {
  (void)ctx;
  ImGui::TextDisabled("This view shows the Importance algorithm's quantities; run a scenario that uses it.");
}

}  // namespace pglab::gui
