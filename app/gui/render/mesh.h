// Minimal GL geometry helpers for the environment views (gridworld cells, cart-pole lines).
//
//   VertexBuffer   one GL buffer object; upload() re-specifies its contents.
//   VertexArray    one vertex array object.
//   Transform2D    2-D world → clip-space transform as a column-major mat3.
//   QuadBatch      instanced axis-aligned coloured rectangles; draws with shaders/grid.{vert,frag}.
//   TriangleBatch  coloured triangles built from thick segments, rects, discs, polygons; draws
//                  with shaders/lines.{vert,frag}. (Core profile has no wide GL lines, so lines
//                  are triangles with a width in world units.)
//
// All classes own their GL objects: non-copyable, movable, and need a current GL context for
// construction-time allocation (created lazily on first upload/draw).
#pragma once

#include <epoxy/gl.h>

#include <cstddef>
#include <vector>

namespace pglab::gui::render {

class ShaderProgram;

struct Rgba {
  float r = 1, g = 1, b = 1, a = 1;
};

class VertexBuffer {
 public:
  VertexBuffer() = default;
  ~VertexBuffer();
  VertexBuffer(const VertexBuffer&) = delete;
  VertexBuffer& operator=(const VertexBuffer&) = delete;
  VertexBuffer(VertexBuffer&& other) noexcept;
  VertexBuffer& operator=(VertexBuffer&& other) noexcept;

  // Binds to GL_ARRAY_BUFFER and replaces the contents (creates the buffer on first call).
  void upload(const void* data, std::size_t bytes, GLenum usage = GL_DYNAMIC_DRAW);
  void bind() const;
  GLuint id() const { return id_; }

 private:
  GLuint id_ = 0;
};

class VertexArray {
 public:
  VertexArray() = default;
  ~VertexArray();
  VertexArray(const VertexArray&) = delete;
  VertexArray& operator=(const VertexArray&) = delete;
  VertexArray(VertexArray&& other) noexcept;
  VertexArray& operator=(VertexArray&& other) noexcept;

  void bind();  // creates on first call
  GLuint id() const { return id_; }

 private:
  GLuint id_ = 0;
};

// p_clip = M * (x, y, 1). Column-major, ready for glUniformMatrix3fv(transpose = GL_FALSE).
struct Transform2D {
  float m[9] = {1, 0, 0, 0, 1, 0, 0, 0, 1};

  // Maps the world rectangle [x0, x1] × [y0, y1] onto clip space [-1, 1]² (y up).
  static Transform2D ortho(float x0, float x1, float y0, float y1);
  // Like ortho, but widens one axis so world units are square on a target of the given aspect
  // (width / height), keeping the rectangle centred and fully visible.
  static Transform2D fit(float x0, float x1, float y0, float y1, float target_aspect);
};

// One instance = one rectangle (x, y is the lower-left corner, in world units) and its colour.
struct QuadInstance {
  float x = 0, y = 0, w = 1, h = 1;
  Rgba color;
};

class QuadBatch {
 public:
  void clear() { instances_.clear(); }
  void add(float x, float y, float w, float h, Rgba color) {
    instances_.push_back({x, y, w, h, color});
  }
  const std::vector<QuadInstance>& instances() const { return instances_; }
  // Uploads the instances and draws them with a grid program (uniform mat3 u_transform).
  void draw(const ShaderProgram& grid_program, const Transform2D& transform);

 private:
  std::vector<QuadInstance> instances_;
  VertexArray vao_;
  VertexBuffer corners_;  // the unit quad, 4 corners as a triangle strip
  VertexBuffer instance_buffer_;
  bool configured_ = false;
};

struct ColorVertex {
  float x = 0, y = 0;
  Rgba color;
};

class TriangleBatch {
 public:
  void clear() { vertices_.clear(); }
  void add_triangle(float x0, float y0, float x1, float y1, float x2, float y2, Rgba color);
  // A segment of the given width (world units) as a quad; zero-length segments are skipped.
  void add_segment(float x0, float y0, float x1, float y1, float width, Rgba color);
  void add_rect(float x0, float y0, float x1, float y1, Rgba color);
  void add_disc(float cx, float cy, float radius, Rgba color, int segments = 32);
  // A segment ending in a triangular head of the given length and width at (x1, y1).
  void add_arrow(float x0, float y0, float x1, float y1, float width, float head, Rgba color);
  const std::vector<ColorVertex>& vertices() const { return vertices_; }
  // Uploads and draws as GL_TRIANGLES with a lines program (uniform mat3 u_transform).
  void draw(const ShaderProgram& lines_program, const Transform2D& transform);

 private:
  std::vector<ColorVertex> vertices_;
  VertexArray vao_;
  VertexBuffer buffer_;
  bool configured_ = false;
};

}  // namespace pglab::gui::render
