#include "gui/layout.h"

#include <algorithm>

namespace pglab::gui {

Layout compute_layout(const ImVec2& work_pos, const ImVec2& work_size, float fs) {
  const float gap = fs * 0.3f;
  const float min_side = fs * 4.0f;
  const float W = std::max(work_size.x, min_side * 3.0f);
  const float H = std::max(work_size.y, min_side * 2.0f);
  const float left_w = std::clamp(fs * 17.0f, std::min(fs * 12.0f, W * 0.28f), W * 0.28f);
  const float right_w = std::clamp(fs * 26.0f, std::min(fs * 14.0f, W * 0.32f), W * 0.32f);
  const float bottom_h = std::clamp(H * 0.42f, std::min(fs * 10.0f, H * 0.5f), H * 0.5f);
  const float x0 = work_pos.x + gap, y0 = work_pos.y + gap;
  const float x1 = x0 + left_w + gap;                  // centre column
  const float x2 = work_pos.x + W - gap - right_w;     // right column
  const float y_mid = work_pos.y + H - gap - bottom_h; // bottom row
  const float center_w = std::max(x2 - gap - x1, min_side);
  const float top_h = std::max(y_mid - gap - y0, min_side);

  Layout layout;
  layout.controls = {ImVec2(x0, y0), ImVec2(left_w, std::max(H - 2 * gap, min_side))};
  layout.view = {ImVec2(x1, y0), ImVec2(center_w, top_h)};
  layout.gradient = {ImVec2(x2, y0), ImVec2(right_w, top_h)};
  layout.curves = {ImVec2(x1, y_mid), ImVec2(center_w, bottom_h)};
  layout.returns = {ImVec2(x2, y_mid), ImVec2(right_w, bottom_h)};
  return layout;
}

bool begin_panel(const char* name, const PanelRect& rect, bool force, ImGuiWindowFlags flags) {
  const ImGuiCond cond = force ? ImGuiCond_Always : ImGuiCond_FirstUseEver;
  ImGui::SetNextWindowPos(rect.pos, cond);
  ImGui::SetNextWindowSize(rect.size, cond);
  return ImGui::Begin(name, nullptr, flags | ImGuiWindowFlags_NoCollapse);
}

}  // namespace pglab::gui
