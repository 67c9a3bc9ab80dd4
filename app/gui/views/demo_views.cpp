#include "gui/views/demo_views.h"

#include <epoxy/gl.h>

#include <algorithm>
#include <cmath>

namespace pglab::gui {
namespace {

using render::Rgba;

constexpr int kGridW = 6, kGridH = 5;
// '#' wall, 'G' goal, 'X' pit, '.' free. Row 0 is the top row.
constexpr const char* kMap[kGridH] = {"....#G", ".##.#.", "....X.", ".#....", "......"};

Rgba background(Theme theme) {
  return theme == Theme::Light ? Rgba{0.97f, 0.97f, 0.98f, 1} : Rgba{0.09f, 0.10f, 0.12f, 1};
}

void clear(Theme theme) {
  const Rgba bg = background(theme);
  glClearColor(bg.r, bg.g, bg.b, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  glDisable(GL_DEPTH_TEST);
  glDisable(GL_SCISSOR_TEST);
  glDisable(GL_CULL_FACE);
  glEnable(GL_BLEND);
  glBlendFunc(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA);
}

}  // namespace

std::string DemoViews::init() {
  error_.clear();
  std::string e = grid_program_.load(render::shader_path("grid.vert"),
                                     render::shader_path("grid.frag"));
  if (!e.empty()) error_ += e + "\n";
  e = lines_program_.load(render::shader_path("lines.vert"), render::shader_path("lines.frag"));
  if (!e.empty()) error_ += e + "\n";
  return error_;
}

void DemoViews::draw(const ImVec2& size, Theme theme, double t) {
  if (!error_.empty()) {
    ImGui::TextWrapped("Shader error (views disabled):\n%s", error_.c_str());
    return;
  }
  const float fs = ImGui::GetFontSize();
  const float gap = ImGui::GetStyle().ItemSpacing.x;
  const float w = std::max((size.x - gap) * 0.5f, 1.0f);
  const float h = std::max(size.y - fs * 1.5f, 1.0f);
  if (size.x < fs * 4.0f || size.y < fs * 4.0f) return;  // too small to be useful
  const ImVec2 scale = ImGui::GetIO().DisplayFramebufferScale;
  const int pw = std::max(1, static_cast<int>(w * scale.x));
  const int ph = std::max(1, static_cast<int>(h * scale.y));

  GLint previous_fbo = 0;
  GLint previous_viewport[4] = {0, 0, 0, 0};
  glGetIntegerv(GL_DRAW_FRAMEBUFFER_BINDING, &previous_fbo);
  glGetIntegerv(GL_VIEWPORT, previous_viewport);
  render_grid(pw, ph, theme);
  render_cartpole(pw, ph, theme, t);
  glBindFramebuffer(GL_FRAMEBUFFER, static_cast<GLuint>(previous_fbo));
  glViewport(previous_viewport[0], previous_viewport[1], previous_viewport[2],
             previous_viewport[3]);

  ImGui::BeginGroup();
  ImGui::TextUnformatted("GridWorld 6×5 — greedy policy");
  grid_target_.image(ImVec2(w, h));
  ImGui::EndGroup();
  ImGui::SameLine();
  ImGui::BeginGroup();
  ImGui::TextUnformatted("CartPole");
  cartpole_target_.image(ImVec2(w, h));
  ImGui::EndGroup();
}

void DemoViews::render_grid(int width, int height, Theme theme) {
  grid_target_.resize(width, height);
  grid_target_.bind();
  clear(theme);
  const bool light = theme == Theme::Light;
  cells_.clear();
  overlay_.clear();
  const float gap = 0.06f;
  for (int row = 0; row < kGridH; ++row) {
    for (int col = 0; col < kGridW; ++col) {
      const char c = kMap[row][col];
      const float x = static_cast<float>(col), y = static_cast<float>(kGridH - 1 - row);
      // A made-up value gradient towards the goal, shown as cell brightness.
      const float v = 1.0f - 0.13f * static_cast<float>(std::abs(col - 5) + row);
      Rgba color = light ? Rgba{0.55f + 0.4f * (1 - v), 0.70f + 0.25f * (1 - v), 0.95f, 1}
                         : Rgba{0.12f, 0.20f + 0.30f * v, 0.32f + 0.45f * v, 1};
      if (c == '#') color = light ? Rgba{0.35f, 0.37f, 0.42f, 1} : Rgba{0.30f, 0.32f, 0.36f, 1};
      if (c == 'G') color = Rgba{0.24f, 0.67f, 0.36f, 1};
      if (c == 'X') color = Rgba{0.88f, 0.34f, 0.35f, 1};
      cells_.add(x + gap, y + gap, 1 - 2 * gap, 1 - 2 * gap, color);
      if (c == '.') {
        // Greedy action arrow: right on the bottom rows, up on the last column.
        const float cx = x + 0.5f, cy = y + 0.5f;
        const bool up = col == 5 || (col == 3 && row <= 1);
        const Rgba arrow = light ? Rgba{0.05f, 0.07f, 0.10f, 0.85f} : Rgba{0.95f, 0.96f, 0.98f, 0.9f};
        if (up) {
          overlay_.add_arrow(cx, cy - 0.28f, cx, cy + 0.28f, 0.07f, 0.22f, arrow);
        } else {
          overlay_.add_arrow(cx - 0.28f, cy, cx + 0.28f, cy, 0.07f, 0.22f, arrow);
        }
      }
    }
  }
  overlay_.add_disc(0.5f, 0.5f, 0.3f, Rgba{0.95f, 0.62f, 0.17f, 1});  // the agent
  const float aspect = static_cast<float>(width) / static_cast<float>(height);
  const auto transform = render::Transform2D::fit(-0.2f, kGridW + 0.2f, -0.2f, kGridH + 0.2f, aspect);
  cells_.draw(grid_program_, transform);
  overlay_.draw(lines_program_, transform);
}

void DemoViews::render_cartpole(int width, int height, Theme theme, double t) {
  cartpole_target_.resize(width, height);
  cartpole_target_.bind();
  clear(theme);
  const bool light = theme == Theme::Light;
  overlay_.clear();
  const Rgba ink = light ? Rgba{0.10f, 0.12f, 0.15f, 1} : Rgba{0.85f, 0.88f, 0.92f, 1};
  const Rgba cart = {0.24f, 0.56f, 0.88f, 1};
  const Rgba pole = {0.95f, 0.62f, 0.17f, 1};
  const float x = 0.8f * static_cast<float>(std::sin(0.7 * t));
  const float theta = 0.18f * static_cast<float>(std::sin(1.9 * t + 0.5));
  overlay_.add_segment(-2.4f, 0.0f, 2.4f, 0.0f, 0.03f, ink);  // track, x ∈ [−2.4, 2.4]
  overlay_.add_segment(-2.4f, -0.12f, -2.4f, 0.12f, 0.03f, Rgba{0.88f, 0.34f, 0.35f, 1});
  overlay_.add_segment(2.4f, -0.12f, 2.4f, 0.12f, 0.03f, Rgba{0.88f, 0.34f, 0.35f, 1});
  overlay_.add_rect(x - 0.25f, 0.08f, x + 0.25f, 0.33f, cart);
  overlay_.add_disc(x - 0.15f, 0.06f, 0.06f, ink);
  overlay_.add_disc(x + 0.15f, 0.06f, 0.06f, ink);
  const float length = 1.0f;  // drawn at twice the half-length 0.5 of Gymnasium's pole
  overlay_.add_segment(x, 0.3f, x + length * std::sin(theta), 0.3f + length * std::cos(theta),
                       0.06f, pole);
  overlay_.add_disc(x, 0.3f, 0.05f, ink);
  const float aspect = static_cast<float>(width) / static_cast<float>(height);
  overlay_.draw(lines_program_, render::Transform2D::fit(-2.6f, 2.6f, -0.4f, 1.5f, aspect));
}

}  // namespace pglab::gui
