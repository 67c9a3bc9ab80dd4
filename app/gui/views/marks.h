// Small marks the views draw where the UI font has no glyph.
#pragma once

#include "imgui.h"

namespace pglab::gui {

// A check mark (ok) or a cross in a box of side `size` at p, stroke size·0.12, in the given colour.
void DrawVerdictMark(ImDrawList* dl, ImVec2 p, float size, bool ok, ImU32 color);

}  // namespace pglab::gui
