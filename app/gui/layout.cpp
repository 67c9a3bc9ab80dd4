#include "gui/layout.h"

#include <algorithm>
#include <cmath>

#include "imgui_internal.h"  // ImGuiTable: a header's widest word widens an auto-fitted column

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
  // ScrollY too: a header that wraps onto a second line pushes the last row below the table's
  // height, where it stays reachable.
  *flags = (*flags & ~ImGuiTableFlags_SizingMask_) | ImGuiTableFlags_SizingFixedFit |
           ImGuiTableFlags_ScrollX | ImGuiTableFlags_ScrollY;
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

float widest_word(const char* text) {
  float widest = 0.0f;
  for (const char* b = text; *b != '\0';) {
    const char* e = b;
    while (*e != '\0' && *e != ' ') ++e;
    widest = std::max(widest, ImGui::CalcTextSize(b, e).x);
    b = *e == ' ' ? e + 1 : e;
  }
  return widest;
}

void table_headers_wrapped() {
  ImGui::TableNextRow(ImGuiTableRowFlags_Headers);
  ImGuiTable* table = ImGui::GetCurrentTable();
  for (int c = 0; c < ImGui::TableGetColumnCount(); ++c) {
    if (!ImGui::TableSetColumnIndex(c)) continue;
    const char* name = ImGui::TableGetColumnName(c);
    // Wrap between words only: a column narrower than a word shows it cut (the clip check says
    // so) rather than broken into letters; an auto-fitted column grows to the widest word.
    const float word = widest_word(name);
    const float x = ImGui::GetCursorPosX(), screen_x = ImGui::GetCursorScreenPos().x;
    ImGui::PushTextWrapPos(x + std::max(ImGui::GetContentRegionAvail().x, word + 1.0f));
    ImGui::TextUnformatted(name);
    ImGui::PopTextWrapPos();
    float& ideal = table->Columns[c].ContentMaxXHeadersIdeal;
    ideal = std::max(ideal, screen_x + word);
  }
}

void table_column(const char* name, float stretch_weight) {
  const ImGuiTable* table = ImGui::GetCurrentTable();
  if (table != nullptr && (table->Flags & ImGuiTableFlags_ScrollX) != 0)
    ImGui::TableSetupColumn(name, ImGuiTableColumnFlags_WidthFixed);
  else
    ImGui::TableSetupColumn(name, ImGuiTableColumnFlags_WidthStretch, stretch_weight);
}

bool begin_panel(const char* name, const PanelRect& rect, bool force, ImGuiWindowFlags flags) {
  const ImGuiCond cond = force ? ImGuiCond_Always : ImGuiCond_FirstUseEver;
  ImGui::SetNextWindowPos(rect.pos, cond);
  ImGui::SetNextWindowSize(rect.size, cond);
  return ImGui::Begin(name, nullptr, flags | ImGuiWindowFlags_NoCollapse);
}

}  // namespace pglab::gui
