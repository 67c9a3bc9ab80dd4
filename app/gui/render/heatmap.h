// Heatmap: a grid of values drawn by shaders/heatmap.{vert,frag} into a framebuffer — colour map
// and contour lines computed per pixel on the GPU — and shown with ImGui::Image. Owns its program,
// a float texture with the values and the framebuffer (non-copyable). Needs a GL 3.3 context.
#pragma once

#include <epoxy/gl.h>

#include <cstdint>
#include <string>

#include "gui/render/framebuffer.h"
#include "gui/render/shader_program.h"
#include "imgui.h"

namespace pglab::gui::render {

class Heatmap {
 public:
  Heatmap() = default;
  ~Heatmap();
  Heatmap(const Heatmap&) = delete;
  Heatmap& operator=(const Heatmap&) = delete;

  // Loads the shaders; returns "" or the error (kept in error()).
  std::string init();
  const std::string& error() const { return error_; }

  // values: rows × cols, row-major, row 0 the lowest y. Uploaded when `version` differs from the
  // last upload's; rendered when the upload, the size or the range changed. Adds an image item of
  // `size` screen units at the cursor (hover and click queries work on it afterwards).
  void draw(const float* values, int rows, int cols, uint64_t version, float vmin, float vmax,
            int contours, const ImVec2& size);

 private:
  std::string error_;
  ShaderProgram program_;
  Framebuffer fb_;
  GLuint texture_ = 0;
  GLuint vao_ = 0;
  uint64_t uploaded_ = ~0ULL;
  int rows_ = 0, cols_ = 0;
  float rendered_[5] = {0, 0, 0, 0, 0};  // vmin, vmax, contours, width, height of the last render
};

}  // namespace pglab::gui::render
