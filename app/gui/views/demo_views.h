// DemoViews: placeholder environment views drawn with our GL helpers — a gridworld (instanced
// cells, shaders/grid.*) with policy arrows, and a cart-pole (triangles, shaders/lines.*) — each
// into its own Framebuffer and shown with ImGui::Image. The real views replace these once the
// session exists; this proves the render path (shaders, FBO, resize, HiDPI) end to end.
#pragma once

#include <string>

#include "gui/render/framebuffer.h"
#include "gui/render/mesh.h"
#include "gui/render/shader_program.h"
#include "gui/settings.h"
#include "imgui.h"

namespace pglab::gui {

class DemoViews {
 public:
  // Loads the shaders; returns "" or the error (also kept in error()). Needs a GL context.
  std::string init();
  // Draws both views side by side into the current ImGui window, filling `size` screen units.
  // `t` animates the cart-pole (seconds).
  void draw(const ImVec2& size, Theme theme, double t);
  const std::string& error() const { return error_; }

 private:
  void render_grid(int width, int height, Theme theme);
  void render_cartpole(int width, int height, Theme theme, double t);

  render::ShaderProgram grid_program_;
  render::ShaderProgram lines_program_;
  render::Framebuffer grid_target_;
  render::Framebuffer cartpole_target_;
  render::QuadBatch cells_;
  render::TriangleBatch overlay_;
  std::string error_;
};

}  // namespace pglab::gui
