#include "gui/views/views.h"

namespace pglab::gui {

void DrawAdvantageView(ViewContext& ctx) {
  (void)ctx;
  ImGui::TextDisabled("This view shows the Advantage algorithm's quantities; run a scenario that uses it.");
}

}  // namespace pglab::gui
