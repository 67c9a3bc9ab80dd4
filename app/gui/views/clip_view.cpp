#include "gui/views/views.h"

namespace pglab::gui {

void DrawClipView(ViewContext& ctx) {
  (void)ctx;
  ImGui::TextDisabled("This view shows the Clip algorithm's quantities; run a scenario that uses it.");
}

}  // namespace pglab::gui
