#include "gui/plot_export.h"

#include <epoxy/gl.h>

#include <cmath>
#include <filesystem>

#include "backends/imgui_impl_opengl3.h"
#include "gui/keys.h"
#include "gui/plot/plot.h"
#include "gui/render/framebuffer.h"
#include "gui/window.h"
#include "imgui_internal.h"  // ImDrawListSharedData (its full-screen clip rect)
#include "io/atomic_file.h"

namespace pglab::gui {

namespace {

constexpr float kPngScale = 2.0f;

std::string absolute(const std::string& path) {
  std::error_code ec;
  const std::filesystem::path p = std::filesystem::absolute(path, ec);
  return ec ? path : p.string();
}

}  // namespace

render::Image render_plot_image(Window& window, ImGuiID plot_id, float scale) {
  const ImVec2 on_screen = plot::GetPlotFrameSize(plot_id);
  if (!(on_screen.x > 0.0f && on_screen.y > 0.0f)) return {};
  ImFont* font = scale == kPngScale ? window.export_font() : ImGui::GetFont();
  if (font == nullptr) return {};  // built before the next frame
  const int width = static_cast<int>(std::round(on_screen.x * scale));
  const int height = static_cast<int>(std::round(on_screen.y * scale));

  // The plot's draw commands, in a draw list of our own (not the window's): text from the font
  // of scale × the UI size, every other size in font units.
  ImGui::PushFont(font);
  // Shared data of our own: the "full screen" clip (the y label is drawn unclipped, then rotated)
  // must not be the window's, which a figure twice the plot's size can outgrow.
  ImDrawListSharedData shared = *ImGui::GetDrawListSharedData();
  shared.ClipRectFullscreen = ImVec4(-8192.0f, -8192.0f, 16384.0f, 16384.0f);
  ImDrawList dl(&shared);
  dl._ResetForNewFrame();
  dl.Flags = ImDrawListFlags_AntiAliasedLines | ImDrawListFlags_AntiAliasedLinesUseTex |
             ImDrawListFlags_AntiAliasedFill;
  if (ImGui::GetIO().BackendFlags & ImGuiBackendFlags_RendererHasVtxOffset)
    dl.Flags |= ImDrawListFlags_AllowVtxOffset;
  dl.PushTextureID(ImGui::GetIO().Fonts->TexID);
  dl.PushClipRect(ImVec2(0, 0), ImVec2(static_cast<float>(width), static_cast<float>(height)));
  const ImVec2 size = plot::DrawPlotForExport(plot_id, scale, &dl);
  ImGui::PopFont();
  dl._PopUnusedDrawCmd();
  if (static_cast<int>(size.x) != width || static_cast<int>(size.y) != height) return {};

  GLint previous_fbo = 0, viewport[4] = {0, 0, 0, 0};
  glGetIntegerv(GL_DRAW_FRAMEBUFFER_BINDING, &previous_fbo);
  glGetIntegerv(GL_VIEWPORT, viewport);
  render::Framebuffer fb;
  render::Image image;
  if (fb.resize(width, height)) {
    fb.bind();
    glClearColor(0.0f, 0.0f, 0.0f, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImDrawList* lists[] = {&dl};
    ImDrawData data;
    data.Valid = true;
    data.CmdLists = lists;
    data.CmdListsCount = 1;
    data.TotalVtxCount = dl.VtxBuffer.Size;
    data.TotalIdxCount = dl.IdxBuffer.Size;
    data.DisplayPos = ImVec2(0, 0);
    data.DisplaySize = size;
    data.FramebufferScale = ImVec2(1, 1);
    ImGui_ImplOpenGL3_RenderDrawData(&data);
    image = render::read_framebuffer(fb);
    for (size_t i = 3; i < image.rgba.size(); i += 4) image.rgba[i] = 255;  // opaque, as shots
  }
  glBindFramebuffer(GL_FRAMEBUFFER, static_cast<GLuint>(previous_fbo));
  glViewport(viewport[0], viewport[1], viewport[2], viewport[3]);
  return image;
}

std::string export_plot(Window& window, AppState& state, ImGuiID plot_id, plot::ExportKind kind) {
  if (!state.runner) return "nothing to export: no session";
  const Snapshot snap = state.runner->snapshot();
  const std::string title = plot::GetPlotTitle(plot_id);
  const char* suffix = kind == plot::ExportKind::Png ? ".png" : ".csv";
  const std::string path =
      free_export_base(*snap.session, title.empty() ? "plot" : title, {suffix}) + suffix;
  std::string error, what;
  if (kind == plot::ExportKind::Png) {
    const render::Image image = render_plot_image(window, plot_id, kPngScale);
    const std::string png = render::encode_png(image);
    error = png.empty() ? path + ": nothing to write (the plot could not be drawn)"
                        : pg::write_file_new(path, png);
    what = " (" + std::to_string(image.width) + "×" + std::to_string(image.height) + " px, 2×)";
  } else {
    const std::string csv = plot::PlotCsv(plot_id);
    error =
        csv.empty() ? path + ": nothing to write (no such plot)" : pg::write_file_new(path, csv);
  }
  if (!error.empty()) return "not exported: " + error;
  return "saved plot '" + title + "' to " + absolute(path) + what;
}

void serve_plot_exports(Window& window, AppState& state) {
  const plot::ExportRequest request = plot::TakeExportRequest();
  if (request.kind == plot::ExportKind::None) return;
  if (request.kind == plot::ExportKind::Png && window.export_font() == nullptr) {
    plot::RequestExport(request.plot_id, request.kind);  // the 2× font is built next frame
    return;
  }
  state.status = export_plot(window, state, request.plot_id, request.kind);
}

}  // namespace pglab::gui
