#include "gui/render/mesh.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <utility>

#include "gui/render/shader_program.h"

namespace pglab::gui::render {
namespace {

const void* offset_of(std::size_t bytes) {
  return reinterpret_cast<const void*>(static_cast<std::uintptr_t>(bytes));
}

}  // namespace

VertexBuffer::~VertexBuffer() {
  if (id_ != 0) glDeleteBuffers(1, &id_);
}
VertexBuffer::VertexBuffer(VertexBuffer&& other) noexcept : id_(std::exchange(other.id_, 0)) {}
VertexBuffer& VertexBuffer::operator=(VertexBuffer&& other) noexcept {
  if (this != &other) {
    if (id_ != 0) glDeleteBuffers(1, &id_);
    id_ = std::exchange(other.id_, 0);
  }
  return *this;
}

void VertexBuffer::upload(const void* data, std::size_t bytes, GLenum usage) {
  if (id_ == 0) glGenBuffers(1, &id_);
  glBindBuffer(GL_ARRAY_BUFFER, id_);
  glBufferData(GL_ARRAY_BUFFER, static_cast<GLsizeiptr>(bytes), data, usage);
}

void VertexBuffer::bind() const {
  glBindBuffer(GL_ARRAY_BUFFER, id_);
}

VertexArray::~VertexArray() {
  if (id_ != 0) glDeleteVertexArrays(1, &id_);
}
VertexArray::VertexArray(VertexArray&& other) noexcept : id_(std::exchange(other.id_, 0)) {}
VertexArray& VertexArray::operator=(VertexArray&& other) noexcept {
  if (this != &other) {
    if (id_ != 0) glDeleteVertexArrays(1, &id_);
    id_ = std::exchange(other.id_, 0);
  }
  return *this;
}

void VertexArray::bind() {
  if (id_ == 0) glGenVertexArrays(1, &id_);
  glBindVertexArray(id_);
}

Transform2D Transform2D::ortho(float x0, float x1, float y0, float y1) {
  const float w = (x1 - x0) != 0.0f ? (x1 - x0) : 1.0f;
  const float h = (y1 - y0) != 0.0f ? (y1 - y0) : 1.0f;
  Transform2D t;
  t.m[0] = 2.0f / w;
  t.m[4] = 2.0f / h;
  t.m[6] = -(x0 + x1) / w;
  t.m[7] = -(y0 + y1) / h;
  return t;
}

Transform2D Transform2D::fit(float x0, float x1, float y0, float y1, float target_aspect) {
  if (!(target_aspect > 0.0f)) return ortho(x0, x1, y0, y1);
  const float w = std::abs(x1 - x0), h = std::abs(y1 - y0);
  if (w <= 0.0f || h <= 0.0f) return ortho(x0, x1, y0, y1);
  const float cx = 0.5f * (x0 + x1), cy = 0.5f * (y0 + y1);
  float half_w = 0.5f * w, half_h = 0.5f * h;
  if (w / h < target_aspect) {
    half_w = half_h * target_aspect;
  } else {
    half_h = half_w / target_aspect;
  }
  return ortho(cx - half_w, cx + half_w, cy - half_h, cy + half_h);
}

void QuadBatch::draw(const ShaderProgram& grid_program, const Transform2D& transform) {
  if (!grid_program.valid() || instances_.empty()) return;
  vao_.bind();
  if (!configured_) {
    const float corners[8] = {0, 0, 1, 0, 0, 1, 1, 1};
    corners_.upload(corners, sizeof(corners), GL_STATIC_DRAW);
    glEnableVertexAttribArray(0);  // a_corner
    glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, 2 * sizeof(float), offset_of(0));
    instance_buffer_.upload(nullptr, 0);
    const GLsizei stride = sizeof(QuadInstance);
    glEnableVertexAttribArray(1);  // a_rect
    glVertexAttribPointer(1, 4, GL_FLOAT, GL_FALSE, stride, offset_of(0));
    glVertexAttribDivisor(1, 1);
    glEnableVertexAttribArray(2);  // a_color
    glVertexAttribPointer(2, 4, GL_FLOAT, GL_FALSE, stride,
                          offset_of(offsetof(QuadInstance, color)));
    glVertexAttribDivisor(2, 1);
    configured_ = true;
  }
  instance_buffer_.upload(instances_.data(), instances_.size() * sizeof(QuadInstance));
  grid_program.use();
  grid_program.set_mat3("u_transform", transform.m);
  glDrawArraysInstanced(GL_TRIANGLE_STRIP, 0, 4, static_cast<GLsizei>(instances_.size()));
  glBindVertexArray(0);
}

void TriangleBatch::add_triangle(float x0, float y0, float x1, float y1, float x2, float y2,
                                 Rgba color) {
  vertices_.push_back({x0, y0, color});
  vertices_.push_back({x1, y1, color});
  vertices_.push_back({x2, y2, color});
}

void TriangleBatch::add_segment(float x0, float y0, float x1, float y1, float width, Rgba color) {
  const float dx = x1 - x0, dy = y1 - y0;
  const float length = std::sqrt(dx * dx + dy * dy);
  if (!(length > 0.0f)) return;
  const float nx = -dy / length * 0.5f * width, ny = dx / length * 0.5f * width;
  add_triangle(x0 + nx, y0 + ny, x0 - nx, y0 - ny, x1 - nx, y1 - ny, color);
  add_triangle(x0 + nx, y0 + ny, x1 - nx, y1 - ny, x1 + nx, y1 + ny, color);
}

void TriangleBatch::add_rect(float x0, float y0, float x1, float y1, Rgba color) {
  add_triangle(x0, y0, x1, y0, x1, y1, color);
  add_triangle(x0, y0, x1, y1, x0, y1, color);
}

void TriangleBatch::add_disc(float cx, float cy, float radius, Rgba color, int segments) {
  segments = std::max(segments, 3);
  const float step = 6.28318530718f / static_cast<float>(segments);
  for (int i = 0; i < segments; ++i) {
    const float a0 = step * static_cast<float>(i), a1 = step * static_cast<float>(i + 1);
    add_triangle(cx, cy, cx + radius * std::cos(a0), cy + radius * std::sin(a0),
                 cx + radius * std::cos(a1), cy + radius * std::sin(a1), color);
  }
}

void TriangleBatch::add_arrow(float x0, float y0, float x1, float y1, float width, float head,
                              Rgba color) {
  const float dx = x1 - x0, dy = y1 - y0;
  const float length = std::sqrt(dx * dx + dy * dy);
  if (!(length > 0.0f)) return;
  const float ux = dx / length, uy = dy / length;
  head = std::min(head, length);
  const float bx = x1 - ux * head, by = y1 - uy * head;
  add_segment(x0, y0, bx, by, width, color);
  const float hw = 0.5f * head;
  add_triangle(x1, y1, bx - uy * hw, by + ux * hw, bx + uy * hw, by - ux * hw, color);
}

void TriangleBatch::draw(const ShaderProgram& lines_program, const Transform2D& transform) {
  if (!lines_program.valid() || vertices_.empty()) return;
  vao_.bind();
  buffer_.upload(vertices_.data(), vertices_.size() * sizeof(ColorVertex));
  if (!configured_) {
    glEnableVertexAttribArray(0);  // a_position
    glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, sizeof(ColorVertex), offset_of(0));
    glEnableVertexAttribArray(1);  // a_color
    glVertexAttribPointer(1, 4, GL_FLOAT, GL_FALSE, sizeof(ColorVertex),
                          offset_of(offsetof(ColorVertex, color)));
    configured_ = true;
  }
  lines_program.use();
  lines_program.set_mat3("u_transform", transform.m);
  glDrawArrays(GL_TRIANGLES, 0, static_cast<GLsizei>(vertices_.size()));
  glBindVertexArray(0);
}

}  // namespace pglab::gui::render
