// Clipped-text check for headless renders (`pglab shot --check-clipping`, tests/app/gui_all_views):
// after a frame is rendered, find the text the reader cannot read whole.
//
// How it sees clipping (Dear ImGui 1.86): every glyph is a textured quad in the frame's draw data
// whose UV rectangle is the glyph's rectangle in the font atlas. A glyph cut by a window, table
// cell or plot clip rectangle is either drawn past its draw command's ClipRect (the GPU scissor
// cuts it) or, where ImGui clips on the CPU (RenderTextClipped: buttons, combos, sliders, headers),
// drawn with a shrunk UV rectangle that matches no glyph. Text that ImGui truncates with an
// ellipsis (tabs, table headers, RenderTextEllipsis) draws the font's EllipsisChar; in check mode
// mark_truncations() makes that a glyph the UI text never contains (U+2025 ‥), so a typed "…" in a
// label is not mistaken for a truncation.
//
// Counted:
// - ellipsis truncations;
// - glyphs cut by an edge the reader cannot scroll past: a window edge where the window cannot
//   scroll that way, or any edge inside the window — a table column, a cell, a plot frame or
//   plot area — which scrolling never moves (text beyond the fold of a scrolling window is
//   reachable, not clipped). Glyph quads turned a quarter turn (plot y labels) count as well;
// - text drawn over other text: two glyphs of one draw list, not neighbours in draw order, whose
//   visible boxes overlap by more than kOverlapShare of the smaller (labels colliding, a legend
//   over a caption);
// - layout overflow ImGui culls without a cut glyph: a window's or a table column's items
//   reaching past an edge that does not scroll.
// Not seen: an item ImGui culls whole (entirely outside its clip rect), a CPU-clipped text whose
// cut falls exactly between two glyphs, and text hidden under a filled shape.
#pragma once

#include <string>
#include <vector>

#include "imgui.h"

namespace pglab::gui {

struct ClippedText {
  std::string window;  // the draw list's owner window ("Lab", "Controls", a child's name)
  std::string text;    // the run of glyphs around the cut one, as drawn (approximate)
  ImVec2 pos;          // the cut glyph's top-left corner, screen units
  const char* how;     // "cut on the right", "truncated with an ellipsis", …
};

// The codepoint drawn in place of an ellipsis truncation while checking.
inline constexpr ImWchar kTruncationMark = 0x2025;

// Check mode, once per frame after the fonts are built (Window::begin_frame) and before the UI is
// drawn: truncation ellipses draw kTruncationMark. Harmless outside checks, but only they call it.
void mark_truncations();

// After ImGui::Render(): the clipped text of the frame just rendered, in draw order.
std::vector<ClippedText> find_clipped_text();

// "window 'Lab' at (412, 88): “Σ ove‥” (truncated with an ellipsis)"
std::string describe(const ClippedText& c);

}  // namespace pglab::gui
