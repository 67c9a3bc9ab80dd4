#include "gui/layout.h"

#include <algorithm>

namespace pglab::gui {

Layout compute_layout(const ImVec2& work_pos, const ImVec2& work_size, float fs) {
  const float gap = fs * 0.3f;
  const float min_side = fs * 4.0f;
  const float W = std::max(work_size.x, min_side * 3.0f);
  const float H = std::max(work_size.y, min_side * 2.0f);
  // The controls column: wide enough for the settings table, never more than a third.
  const float left_w = std::clamp(fs * 19.0f, std::min(fs * 12.0f, W * 0.33f), W * 0.33f);
  const float x0 = work_pos.x + gap, y0 = work_pos.y + gap;
  const float x1 = x0 + left_w + gap;
  const float h = std::max(H - 2 * gap, min_side);
  Layout layout;
  layout.controls = {ImVec2(x0, y0), ImVec2(left_w, h)};
  layout.lab = {ImVec2(x1, y0), ImVec2(std::max(work_pos.x + W - gap - x1, min_side), h)};
  return layout;
}

bool begin_panel(const char* name, const PanelRect& rect, bool force, ImGuiWindowFlags flags) {
  const ImGuiCond cond = force ? ImGuiCond_Always : ImGuiCond_FirstUseEver;
  ImGui::SetNextWindowPos(rect.pos, cond);
  ImGui::SetNextWindowSize(rect.size, cond);
  return ImGui::Begin(name, nullptr, flags | ImGuiWindowFlags_NoCollapse);
}

}  // namespace pglab::gui
