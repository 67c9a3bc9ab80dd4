#include "gui/views/views.h"

namespace pglab::gui {

void DrawGrpoView(ViewContext& ctx) {
  (void)ctx;
  ImGui::TextDisabled("This view shows the Grpo algorithm's quantities; run a scenario that uses it.");
}

}  // namespace pglab::gui
