#include "gui/gui_main.h"

#include <cstdio>
#include <memory>

#include "gui/app_state.h"
#include "gui/keys.h"
#include "gui/layout.h"
#include "gui/panels/panels.h"
#include "gui/plot/plot.h"
#include "gui/render/screenshot.h"
#include "gui/views/demo_views.h"
#include "gui/window.h"

namespace pglab::gui {
namespace {

// Owns the plot context for the lifetime of one window.
struct PlotContextGuard {
  plot::PlotContext* ctx = plot::CreateContext();
  PlotContextGuard() { plot::SetCurrentContext(ctx); }
  ~PlotContextGuard() { plot::DestroyContext(ctx); }
  PlotContextGuard(const PlotContextGuard&) = delete;
  PlotContextGuard& operator=(const PlotContextGuard&) = delete;
};

// One frame of UI: shortcuts, menu, the tiled panels and the help overlay.
void draw_frame(Window& window, AppState& state, DemoViews& views, double view_time) {
  handle_shortcuts(window, state);
  DrawMainMenu(window, state);

  const ImGuiViewport* viewport = ImGui::GetMainViewport();
  const float fs = ImGui::GetFontSize();
  // The work area (viewport minus the menu bar) is what the layout tiles; it changes with the
  // window size and, one frame after start-up, when the menu bar first reserves its height.
  const bool viewport_changed = viewport->WorkSize.x != state.layout_viewport.x ||
                                viewport->WorkSize.y != state.layout_viewport.y;
  const bool font_changed = state.layout_font_size > 0.0f && fs != state.layout_font_size;
  const bool force = state.reset_layout || viewport_changed || font_changed;
  state.reset_layout = false;
  state.layout_viewport = viewport->WorkSize;
  state.layout_font_size = fs;

  const Layout layout = compute_layout(viewport->WorkPos, viewport->WorkSize, fs);
  DrawControlsPanel(window, state, layout.controls, force);
  DrawViewPanel(state, views, window.theme(), view_time, layout.view, force);
  DrawGradientPanel(state, layout.gradient, force);
  DrawCurvesPanel(state, layout.curves, force);
  DrawReturnsPanel(state, layout.returns, force);
  DrawHelpOverlay(state);
}

}  // namespace

int run_gui(const GuiOptions& options) {
  std::string error;
  std::unique_ptr<Window> window = Window::create(WindowOptions{}, &error);
  if (!window) {
    std::fprintf(stderr, "pglab: %s\n", error.c_str());
    return 1;
  }
  PlotContextGuard plot_context;
  DemoViews views;
  AppState state;
  state.scenario = options.scenario;
  state.demo.generate();
  // Keep the panel placement saved in imgui.ini when the window comes back at the same size.
  state.reset_layout = false;
  state.layout_viewport = ImVec2(static_cast<float>(window->settings().layout_width),
                                 static_cast<float>(window->settings().layout_height));
  const std::string shader_error = views.init();
  if (!shader_error.empty()) {
    std::fprintf(stderr, "pglab: %s", shader_error.c_str());
    state.status = "shader error: see the Environment panel";
  }

  double view_time = 0.0;
  double step_clock = 0.0;
  double elapsed = 0.0;
  // Sleep between events unless something animates (running) — a paused lab costs no CPU.
  while (window->begin_frame(!state.running)) {
    const double dt = ImGui::GetIO().DeltaTime;
    elapsed += dt;
    if (options.quit_after_seconds > 0.0 && elapsed >= options.quit_after_seconds) {
      window->request_close();
    }
    if (state.running) {
      view_time += dt;
      step_clock += dt;
      for (; step_clock >= 1.0 / 30.0; step_clock -= 1.0 / 30.0) state.demo.step();
    }
    draw_frame(*window, state, views, view_time);
    window->end_frame();
  }
  window->settings().layout_width = static_cast<int>(state.layout_viewport.x);
  window->settings().layout_height = static_cast<int>(state.layout_viewport.y);
  return 0;
}

int run_shot(const ShotOptions& options) {
  if (options.out.empty()) {
    std::fprintf(stderr, "pglab shot: --out F.png is required\n");
    return 2;
  }
  if (options.width < 320 || options.width > 8192 || options.height < 200 ||
      options.height > 8192) {
    std::fprintf(stderr, "pglab shot: size %dx%d out of range (320x200 .. 8192x8192)\n",
                 options.width, options.height);
    return 2;
  }
  if (options.frames < 1 || options.frames > 1000) {
    std::fprintf(stderr, "pglab shot: frames %d out of range (1 .. 1000)\n", options.frames);
    return 2;
  }
  if (options.theme != "dark" && options.theme != "light") {
    std::fprintf(stderr, "pglab shot: theme '%s' is not one of: dark, light\n",
                 options.theme.c_str());
    return 2;
  }
  if (!(options.scale >= UiSettings::kMinPresenterScale &&
        options.scale <= UiSettings::kMaxPresenterScale)) {
    std::fprintf(stderr, "pglab shot: scale %g out of range (1 .. 2.5)\n", options.scale);
    return 2;
  }

  WindowOptions window_options;
  window_options.width = options.width;
  window_options.height = options.height;
  window_options.visible = false;
  window_options.persist = false;
  std::string error;
  std::unique_ptr<Window> window = Window::create(window_options, &error);
  if (!window) {
    std::fprintf(stderr, "pglab shot: %s\n", error.c_str());
    return 1;
  }
  window->set_theme(options.theme == "light" ? Theme::Light : Theme::Dark);
  window->set_presenter_scale(options.scale);
  window->set_presenter(options.scale > 1.0f);

  PlotContextGuard plot_context;
  DemoViews views;
  AppState state;
  state.scenario = options.scenario;
  state.show_help = options.help;
  state.demo.generate();
  const std::string shader_error = views.init();
  if (!shader_error.empty()) {
    std::fprintf(stderr, "pglab shot: %s", shader_error.c_str());
    return 1;
  }
  const double view_time = 1.0;  // a fixed, slightly tilted cart-pole
  render::Image image;
  for (int frame = 0; frame < options.frames; ++frame) {
    if (!window->begin_frame()) break;
    draw_frame(*window, state, views, view_time);
    window->render();
    if (frame == options.frames - 1) {
      const FramebufferSize fb = window->framebuffer_size();
      image = render::read_default_framebuffer(fb.width, fb.height);
    }
    window->swap();
  }
  error = render::write_png(image, options.out);
  if (!error.empty()) {
    std::fprintf(stderr, "pglab shot: %s\n", error.c_str());
    return 1;
  }
  std::printf("wrote %s (%dx%d)\n", options.out.c_str(), image.width, image.height);
  return 0;
}

}  // namespace pglab::gui
