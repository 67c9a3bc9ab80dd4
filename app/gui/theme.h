// Dark and light ImGui styles tuned for a projector: high text contrast, visible frame borders,
// one saturated accent. Also the colours our own widgets (plots, views) take from the theme.
#pragma once

#include "gui/settings.h"
#include "imgui.h"

namespace pglab::gui {

// Replaces ImGui::GetStyle() with the theme's style, sizes multiplied by `scale` (presenter mode).
void apply_theme(Theme theme, float scale);

// Background colour of the window behind all panels (the GL clear colour).
ImVec4 theme_clear_color(Theme theme);

// One sign-colour convention for every view: positive green, negative red — rewards, c_t bars and
// arrows, ψ bars, value maps (readable on both themes).
constexpr ImU32 kColorPositive = IM_COL32(0x39, 0xD3, 0x53, 255);
constexpr ImU32 kColorNegative = IM_COL32(0xFF, 0x4D, 0x4D, 255);
// Time travel: the frame around the views, the timeline's cursor, what describes the past.
constexpr ImU32 kColorTravel = IM_COL32(240, 170, 60, 255);

}  // namespace pglab::gui
