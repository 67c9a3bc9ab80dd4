#include "gui/theme.h"

namespace pglab::gui {
namespace {

ImVec4 rgb(int hex, float alpha = 1.0f) {
  return ImVec4(static_cast<float>((hex >> 16) & 0xFF) / 255.0f,
                static_cast<float>((hex >> 8) & 0xFF) / 255.0f,
                static_cast<float>(hex & 0xFF) / 255.0f, alpha);
}

// Sizes in pixels at scale 1 with the 17 px base font.
void set_sizes(ImGuiStyle& style) {
  style.WindowPadding = ImVec2(10, 8);
  style.FramePadding = ImVec2(7, 4);
  style.ItemSpacing = ImVec2(8, 6);
  style.ItemInnerSpacing = ImVec2(6, 4);
  style.IndentSpacing = 18;
  style.ScrollbarSize = 14;
  style.GrabMinSize = 12;
  style.WindowBorderSize = 1;
  style.ChildBorderSize = 1;
  style.PopupBorderSize = 1;
  style.FrameBorderSize = 1;  // frames stay visible on a washed-out projector
  style.WindowRounding = 4;
  style.ChildRounding = 3;
  style.FrameRounding = 3;
  style.PopupRounding = 3;
  style.ScrollbarRounding = 6;
  style.GrabRounding = 3;
  style.TabRounding = 3;
  style.WindowTitleAlign = ImVec2(0.0f, 0.5f);
}

void set_dark(ImVec4* c) {
  c[ImGuiCol_Text] = rgb(0xECEFF4);
  c[ImGuiCol_TextDisabled] = rgb(0x9AA3B2);
  c[ImGuiCol_WindowBg] = rgb(0x1C1F25);
  c[ImGuiCol_ChildBg] = rgb(0x1C1F25, 0.0f);
  c[ImGuiCol_PopupBg] = rgb(0x242831, 0.98f);
  c[ImGuiCol_Border] = rgb(0x434B5A);
  c[ImGuiCol_BorderShadow] = rgb(0x000000, 0.0f);
  c[ImGuiCol_FrameBg] = rgb(0x2A2F39);
  c[ImGuiCol_FrameBgHovered] = rgb(0x353C49);
  c[ImGuiCol_FrameBgActive] = rgb(0x3F4858);
  c[ImGuiCol_TitleBg] = rgb(0x15171C);
  c[ImGuiCol_TitleBgActive] = rgb(0x22324A);
  c[ImGuiCol_TitleBgCollapsed] = rgb(0x15171C, 0.8f);
  c[ImGuiCol_MenuBarBg] = rgb(0x15171C);
  c[ImGuiCol_ScrollbarBg] = rgb(0x15171C, 0.6f);
  c[ImGuiCol_ScrollbarGrab] = rgb(0x4A5263);
  c[ImGuiCol_ScrollbarGrabHovered] = rgb(0x5A6478);
  c[ImGuiCol_ScrollbarGrabActive] = rgb(0x6B778E);
  c[ImGuiCol_CheckMark] = rgb(0x8CC4FF);
  c[ImGuiCol_SliderGrab] = rgb(0x5AA2F5);
  c[ImGuiCol_SliderGrabActive] = rgb(0x8CC4FF);
  c[ImGuiCol_Button] = rgb(0x2C4A72);
  c[ImGuiCol_ButtonHovered] = rgb(0x3A63A0);
  c[ImGuiCol_ButtonActive] = rgb(0x4A7CC4);
  c[ImGuiCol_Header] = rgb(0x2C4A72, 0.85f);
  c[ImGuiCol_HeaderHovered] = rgb(0x3A63A0, 0.9f);
  c[ImGuiCol_HeaderActive] = rgb(0x4A7CC4);
  c[ImGuiCol_Separator] = rgb(0x434B5A);
  c[ImGuiCol_SeparatorHovered] = rgb(0x5AA2F5, 0.8f);
  c[ImGuiCol_SeparatorActive] = rgb(0x8CC4FF);
  c[ImGuiCol_ResizeGrip] = rgb(0x5AA2F5, 0.25f);
  c[ImGuiCol_ResizeGripHovered] = rgb(0x5AA2F5, 0.7f);
  c[ImGuiCol_ResizeGripActive] = rgb(0x8CC4FF, 0.95f);
  c[ImGuiCol_Tab] = rgb(0x242A35);
  c[ImGuiCol_TabHovered] = rgb(0x3A63A0);
  c[ImGuiCol_TabActive] = rgb(0x2C4A72);
  c[ImGuiCol_TabUnfocused] = rgb(0x1F232B);
  c[ImGuiCol_TabUnfocusedActive] = rgb(0x2A3446);
  c[ImGuiCol_PlotLines] = rgb(0x8CC4FF);
  c[ImGuiCol_PlotLinesHovered] = rgb(0xFFB454);
  c[ImGuiCol_PlotHistogram] = rgb(0x5AA2F5);
  c[ImGuiCol_PlotHistogramHovered] = rgb(0xFFB454);
  c[ImGuiCol_TableHeaderBg] = rgb(0x262B34);
  c[ImGuiCol_TableBorderStrong] = rgb(0x434B5A);
  c[ImGuiCol_TableBorderLight] = rgb(0x333945);
  c[ImGuiCol_TableRowBg] = rgb(0x000000, 0.0f);
  c[ImGuiCol_TableRowBgAlt] = rgb(0xFFFFFF, 0.04f);
  c[ImGuiCol_TextSelectedBg] = rgb(0x5AA2F5, 0.40f);
  c[ImGuiCol_DragDropTarget] = rgb(0xFFB454, 0.9f);
  c[ImGuiCol_NavHighlight] = rgb(0x8CC4FF);
  c[ImGuiCol_NavWindowingHighlight] = rgb(0xFFFFFF, 0.7f);
  c[ImGuiCol_NavWindowingDimBg] = rgb(0x000000, 0.4f);
  c[ImGuiCol_ModalWindowDimBg] = rgb(0x000000, 0.55f);
}

void set_light(ImVec4* c) {
  c[ImGuiCol_Text] = rgb(0x101318);
  c[ImGuiCol_TextDisabled] = rgb(0x596270);
  c[ImGuiCol_WindowBg] = rgb(0xF8F9FB);
  c[ImGuiCol_ChildBg] = rgb(0xF8F9FB, 0.0f);
  c[ImGuiCol_PopupBg] = rgb(0xFFFFFF, 0.99f);
  c[ImGuiCol_Border] = rgb(0xA9B2C0);
  c[ImGuiCol_BorderShadow] = rgb(0x000000, 0.0f);
  c[ImGuiCol_FrameBg] = rgb(0xE7EAF0);
  c[ImGuiCol_FrameBgHovered] = rgb(0xD9E0EB);
  c[ImGuiCol_FrameBgActive] = rgb(0xC8D4E6);
  c[ImGuiCol_TitleBg] = rgb(0xDDE2E9);
  c[ImGuiCol_TitleBgActive] = rgb(0xBFD0E8);
  c[ImGuiCol_TitleBgCollapsed] = rgb(0xDDE2E9, 0.8f);
  c[ImGuiCol_MenuBarBg] = rgb(0xE4E8EE);
  c[ImGuiCol_ScrollbarBg] = rgb(0xE4E8EE, 0.6f);
  c[ImGuiCol_ScrollbarGrab] = rgb(0xA9B2C0);
  c[ImGuiCol_ScrollbarGrabHovered] = rgb(0x8E99AA);
  c[ImGuiCol_ScrollbarGrabActive] = rgb(0x737F92);
  c[ImGuiCol_CheckMark] = rgb(0x1554B8);
  c[ImGuiCol_SliderGrab] = rgb(0x2A6AD0);
  c[ImGuiCol_SliderGrabActive] = rgb(0x1554B8);
  c[ImGuiCol_Button] = rgb(0xC9D9F1);
  c[ImGuiCol_ButtonHovered] = rgb(0xA8C4EC);
  c[ImGuiCol_ButtonActive] = rgb(0x86ADE4);
  c[ImGuiCol_Header] = rgb(0xC9D9F1);
  c[ImGuiCol_HeaderHovered] = rgb(0xA8C4EC);
  c[ImGuiCol_HeaderActive] = rgb(0x86ADE4);
  c[ImGuiCol_Separator] = rgb(0xA9B2C0);
  c[ImGuiCol_SeparatorHovered] = rgb(0x2A6AD0, 0.8f);
  c[ImGuiCol_SeparatorActive] = rgb(0x1554B8);
  c[ImGuiCol_ResizeGrip] = rgb(0x2A6AD0, 0.2f);
  c[ImGuiCol_ResizeGripHovered] = rgb(0x2A6AD0, 0.6f);
  c[ImGuiCol_ResizeGripActive] = rgb(0x1554B8, 0.9f);
  c[ImGuiCol_Tab] = rgb(0xDDE2E9);
  c[ImGuiCol_TabHovered] = rgb(0xA8C4EC);
  c[ImGuiCol_TabActive] = rgb(0xC9D9F1);
  c[ImGuiCol_TabUnfocused] = rgb(0xE4E8EE);
  c[ImGuiCol_TabUnfocusedActive] = rgb(0xD3DDEB);
  c[ImGuiCol_PlotLines] = rgb(0x1554B8);
  c[ImGuiCol_PlotLinesHovered] = rgb(0xC25E00);
  c[ImGuiCol_PlotHistogram] = rgb(0x2A6AD0);
  c[ImGuiCol_PlotHistogramHovered] = rgb(0xC25E00);
  c[ImGuiCol_TableHeaderBg] = rgb(0xDDE2E9);
  c[ImGuiCol_TableBorderStrong] = rgb(0xA9B2C0);
  c[ImGuiCol_TableBorderLight] = rgb(0xCED4DD);
  c[ImGuiCol_TableRowBg] = rgb(0x000000, 0.0f);
  c[ImGuiCol_TableRowBgAlt] = rgb(0x000000, 0.035f);
  c[ImGuiCol_TextSelectedBg] = rgb(0x2A6AD0, 0.30f);
  c[ImGuiCol_DragDropTarget] = rgb(0xC25E00, 0.9f);
  c[ImGuiCol_NavHighlight] = rgb(0x1554B8);
  c[ImGuiCol_NavWindowingHighlight] = rgb(0x000000, 0.7f);
  c[ImGuiCol_NavWindowingDimBg] = rgb(0x000000, 0.2f);
  c[ImGuiCol_ModalWindowDimBg] = rgb(0x000000, 0.35f);
}

}  // namespace

void apply_theme(Theme theme, float scale) {
  ImGuiStyle style;
  set_sizes(style);
  if (theme == Theme::Light) {
    set_light(style.Colors);
  } else {
    set_dark(style.Colors);
  }
  style.ScaleAllSizes(scale);
  ImGui::GetStyle() = style;
}

ImVec4 theme_clear_color(Theme theme) {
  return theme == Theme::Light ? rgb(0xD5DAE2) : rgb(0x111317);
}

}  // namespace pglab::gui
