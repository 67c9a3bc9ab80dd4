// An ImGui context with a built font atlas (ImGui's default font, 13 px) and a plot context,
// display 800×600: enough to lay text out and render frames without a window. Construct one per
// test (the fixtures of test_layout.cpp and test_plot.cpp hold it in a std::optional).
#pragma once

#include "gui/plot/plot.h"
#include "imgui.h"

struct HeadlessImGui {
  HeadlessImGui() {
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.DisplaySize = ImVec2(800, 600);
    unsigned char* pixels = nullptr;
    int w = 0, h = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
    plot = pglab::plot::CreateContext();
    pglab::plot::SetCurrentContext(plot);
  }
  ~HeadlessImGui() {
    pglab::plot::DestroyContext(plot);
    ImGui::DestroyContext();
  }
  HeadlessImGui(const HeadlessImGui&) = delete;
  HeadlessImGui& operator=(const HeadlessImGui&) = delete;

  pglab::plot::PlotContext* plot = nullptr;
};
