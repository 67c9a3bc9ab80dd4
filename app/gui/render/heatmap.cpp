#include "gui/render/heatmap.h"

#include <algorithm>
#include <cmath>

namespace pglab::gui::render {

Heatmap::~Heatmap() {
  if (texture_) glDeleteTextures(1, &texture_);
  if (vao_) glDeleteVertexArrays(1, &vao_);
}

std::string Heatmap::init() {
  error_ = program_.load(shader_path("heatmap.vert"), shader_path("heatmap.frag"));
  return error_;
}

void Heatmap::draw(const float* values, int rows, int cols, uint64_t version, float vmin,
                   float vmax, int contours, const ImVec2& size) {
  const ImVec2 scale = ImGui::GetIO().DisplayFramebufferScale;
  const int pw = std::max(1, static_cast<int>(std::lround(size.x * scale.x)));
  const int ph = std::max(1, static_cast<int>(std::lround(size.y * scale.y)));
  if (!program_.valid() || rows < 1 || cols < 1) {
    ImGui::Dummy(size);
    return;
  }
  bool dirty = false;
  if (!texture_) {
    glGenTextures(1, &texture_);
    glGenVertexArrays(1, &vao_);
  }
  if (version != uploaded_ || rows != rows_ || cols != cols_) {
    glBindTexture(GL_TEXTURE_2D, texture_);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_R32F, cols, rows, 0, GL_RED, GL_FLOAT, values);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    uploaded_ = version;
    rows_ = rows;
    cols_ = cols;
    dirty = true;
  }
  const float params[5] = {vmin, vmax, static_cast<float>(contours), static_cast<float>(pw),
                           static_cast<float>(ph)};
  if (!std::equal(params, params + 5, rendered_)) dirty = true;
  if (fb_.width() != pw || fb_.height() != ph) dirty = true;
  if (dirty && fb_.resize(pw, ph)) {
    GLint prev_fbo = 0, prev_program = 0, prev_vao = 0, prev_texture = 0;
    GLint prev_viewport[4] = {0, 0, 0, 0};
    glGetIntegerv(GL_DRAW_FRAMEBUFFER_BINDING, &prev_fbo);
    glGetIntegerv(GL_VIEWPORT, prev_viewport);
    glGetIntegerv(GL_CURRENT_PROGRAM, &prev_program);
    glGetIntegerv(GL_VERTEX_ARRAY_BINDING, &prev_vao);
    glGetIntegerv(GL_TEXTURE_BINDING_2D, &prev_texture);
    const GLboolean blend = glIsEnabled(GL_BLEND);
    const GLboolean scissor = glIsEnabled(GL_SCISSOR_TEST);
    glDisable(GL_BLEND);
    glDisable(GL_SCISSOR_TEST);
    fb_.bind();
    program_.use();
    glActiveTexture(GL_TEXTURE0);
    glBindTexture(GL_TEXTURE_2D, texture_);
    glUniform1i(program_.uniform("u_values"), 0);
    program_.set_vec2("u_grid", static_cast<float>(cols), static_cast<float>(rows));
    program_.set_float("u_vmin", vmin);
    program_.set_float("u_vmax", vmax);
    program_.set_float("u_contours", static_cast<float>(contours));
    program_.set_float("u_line_px", 1.2f * std::max(1.0f, scale.x));
    glBindVertexArray(vao_);
    glDrawArrays(GL_TRIANGLE_STRIP, 0, 4);
    glBindVertexArray(static_cast<GLuint>(prev_vao));
    glBindTexture(GL_TEXTURE_2D, static_cast<GLuint>(prev_texture));
    glUseProgram(static_cast<GLuint>(prev_program));
    glBindFramebuffer(GL_FRAMEBUFFER, static_cast<GLuint>(prev_fbo));
    glViewport(prev_viewport[0], prev_viewport[1], prev_viewport[2], prev_viewport[3]);
    if (blend) glEnable(GL_BLEND);
    if (scissor) glEnable(GL_SCISSOR_TEST);
    std::copy(params, params + 5, rendered_);
  }
  fb_.image(size);
}

}  // namespace pglab::gui::render
