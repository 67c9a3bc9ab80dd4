// Panel placement without ImGui's docking branch (Debian's 1.86 has none): a fixed tiling
// computed from the main viewport in font units.
//
//   +----------+------------------------------------------+
//   | Controls | Lab: tabs Overview | Variance | Baseline  |
//   |          |      | Inspector | Rollout                |
//   |          |  (the view in front fills the area)      |
//   +----------+------------------------------------------+
//
// begin_panel() applies a rectangle with ImGuiCond_FirstUseEver (so positions saved in imgui.ini
// win), or with ImGuiCond_Always when `force` is set: on "reset layout", and when the viewport
// size or the font size (presenter mode) changed.
#pragma once

#include "imgui.h"

namespace pglab::gui {

struct PanelRect {
  ImVec2 pos;
  ImVec2 size;
};

struct Layout {
  PanelRect controls, lab;
};

// work_pos/work_size: the viewport minus the main menu bar (screen units). Every rectangle has a
// positive size even for a tiny window (panels then overlap rather than vanish).
Layout compute_layout(const ImVec2& work_pos, const ImVec2& work_size, float font_size);

// ImGui::Begin with the rectangle applied; like ImGui::Begin, always pair with ImGui::End().
bool begin_panel(const char* name, const PanelRect& rect, bool force, ImGuiWindowFlags flags = 0);

}  // namespace pglab::gui
