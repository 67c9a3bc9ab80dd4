// Figures for slides (issue 9 item 7): a plot's menu "Save PNG (2×)" renders that plot alone at
// twice its size in an offscreen framebuffer; "Save CSV" writes its series. Files go to the
// working directory as pglab-export-<iteration>-<scenario>-<plot title>[-k].{png,csv} (the
// Ctrl+E naming: never over an existing file, whole or not at all); the status line says where.
#pragma once

#include <string>

#include "gui/app_state.h"
#include "gui/plot/plot.h"
#include "gui/render/screenshot.h"

namespace pglab::gui {

class Window;

// Once per frame, after the views and before rendering: serves the plot menu's request, if any.
// A PNG may wait one frame for the window to build its 2× font.
void serve_plot_exports(Window& window, AppState& state);

// The plot drawn alone at `scale` × its size on screen (an empty Image if the plot is unknown or
// the 2× font is not built yet — Window::export_font()). Between NewFrame and Render.
render::Image render_plot_image(Window& window, ImGuiID plot_id, float scale);

// Writes one plot's export; returns the status line ("saved …" or what failed).
std::string export_plot(Window& window, AppState& state, ImGuiID plot_id, plot::ExportKind kind);

}  // namespace pglab::gui
