#include "gui/layout.h"

#include <algorithm>
#include <cmath>

namespace pglab::gui {

Layout compute_layout(const ImVec2& work_pos, const ImVec2& work_size, float fs,
                      bool controls_folded) {
  const float gap = fs * 0.3f;
  const float min_side = fs * 4.0f;
  const float W = std::max(work_size.x, min_side * 3.0f);
  const float H = std::max(work_size.y, min_side * 2.0f);
  // The controls column: wide enough for the settings table, never more than a third.
  const float left_w = controls_folded
                           ? fs * kFoldedControlsEm
                           : std::clamp(fs * 19.0f, std::min(fs * 12.0f, W * 0.33f), W * 0.33f);
  const float x0 = work_pos.x + gap, y0 = work_pos.y + gap;
  const float x1 = x0 + left_w + gap;
  const float h = std::max(H - 2 * gap, min_side);
  Layout layout;
  layout.controls = {ImVec2(x0, y0), ImVec2(left_w, h)};
  layout.lab = {ImVec2(x1, y0), ImVec2(std::max(work_pos.x + W - gap - x1, min_side), h)};
  return layout;
}

ImVec2 picture_box(const ImVec2& view, const ImVec2& wanted) {
  return ImVec2(std::max(wanted.x, std::ceil(kMinPictureShare * view.x)),
                std::max(wanted.y, std::ceil(kMinPictureShare * view.y)));
}

bool keeps_picture_share(const ImVec2& view, const ImVec2& box) {
  return box.x + 1.0f >= kMinPictureShare * view.x && box.y + 1.0f >= kMinPictureShare * view.y;
}

const char* label_fitting(float room, const char* full, const char* brief) {
  return ImGui::CalcTextSize(full, nullptr, true).x <= room ? full : brief;
}

void begin_view_body(const char* id, float needed) {
  const bool scrolls = needed > ImGui::GetContentRegionAvail().y;
  ImGui::BeginChild(id, ImVec2(0.0f, 0.0f), false,
                    scrolls ? ImGuiWindowFlags_AlwaysVerticalScrollbar : 0);
}

bool keeps_world_share(const ImVec2& view, const ImVec2& world) {
  return world.x + 1.0f >= kMinPictureShare * view.x || world.y + 1.0f >= kMinPictureShare * view.y;
}

void same_line_if_fits(float width, float spacing) {
  // The cursor is at the start of the next line: its available width ends at the right edge of
  // the window or table cell.
  const float right = ImGui::GetCursorScreenPos().x + ImGui::GetContentRegionAvail().x;
  const float gap = spacing < 0.0f ? ImGui::GetStyle().ItemSpacing.x : spacing;
  if (ImGui::GetItemRectMax().x + gap + width <= right) ImGui::SameLine(0.0f, gap);
}

float labeled_width(float item_width, const char* label) {
  const float text = ImGui::CalcTextSize(label, nullptr, true).x;
  return item_width + (text > 0.0f ? ImGui::GetStyle().ItemInnerSpacing.x + text : 0.0f);
}

ImVec2 fit_table(ImGuiTableFlags* flags, int columns, float em_per_column, int rows) {
  if (ImGui::GetContentRegionAvail().x >= em(em_per_column) * static_cast<float>(columns))
    return ImVec2(0.0f, 0.0f);
  *flags = (*flags & ~ImGuiTableFlags_SizingMask_) | ImGuiTableFlags_SizingFixedFit |
           ImGuiTableFlags_ScrollX;
  const ImGuiStyle& style = ImGui::GetStyle();
  const float row_h = ImGui::GetTextLineHeight() + style.CellPadding.y * 2.0f;
  return ImVec2(0.0f, row_h * static_cast<float>(rows) + style.ScrollbarSize + style.CellPadding.y);
}

void caption_after(const char* text) {
  same_line_if_fits(ImGui::CalcTextSize(text).x);
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextUnformatted(text);
  ImGui::PopTextWrapPos();
  ImGui::PopStyleColor();
}

void table_headers_wrapped() {
  ImGui::TableNextRow(ImGuiTableRowFlags_Headers);
  ImGui::PushTextWrapPos(0.0f);
  for (int c = 0; c < ImGui::TableGetColumnCount(); ++c) {
    if (!ImGui::TableSetColumnIndex(c)) continue;
    ImGui::TextUnformatted(ImGui::TableGetColumnName(c));
  }
  ImGui::PopTextWrapPos();
}

bool begin_panel(const char* name, const PanelRect& rect, bool force, ImGuiWindowFlags flags) {
  const ImGuiCond cond = force ? ImGuiCond_Always : ImGuiCond_FirstUseEver;
  ImGui::SetNextWindowPos(rect.pos, cond);
  ImGui::SetNextWindowSize(rect.size, cond);
  return ImGui::Begin(name, nullptr, flags | ImGuiWindowFlags_NoCollapse);
}

}  // namespace pglab::gui
