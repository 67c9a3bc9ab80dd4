#include "gui/views/marks.h"

namespace pglab::gui {

void DrawVerdictMark(ImDrawList* dl, ImVec2 p, float size, bool ok, ImU32 color) {
  const float t = size * 0.12f;
  if (ok) {
    dl->AddLine(ImVec2(p.x + size * 0.15f, p.y + size * 0.55f),
                ImVec2(p.x + size * 0.42f, p.y + size * 0.8f), color, t);
    dl->AddLine(ImVec2(p.x + size * 0.42f, p.y + size * 0.8f),
                ImVec2(p.x + size * 0.88f, p.y + size * 0.2f), color, t);
  } else {
    dl->AddLine(ImVec2(p.x + size * 0.2f, p.y + size * 0.2f),
                ImVec2(p.x + size * 0.8f, p.y + size * 0.8f), color, t);
    dl->AddLine(ImVec2(p.x + size * 0.8f, p.y + size * 0.2f),
                ImVec2(p.x + size * 0.2f, p.y + size * 0.8f), color, t);
  }
}

}  // namespace pglab::gui
