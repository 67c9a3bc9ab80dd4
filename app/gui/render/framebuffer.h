// Framebuffer: an offscreen RGBA8 color texture to draw environment views into, then show with
// ImGui::Image (see image()). Owns one FBO and one texture (non-copyable, movable).
// Sizes are in framebuffer pixels; a requested size below 1×1 is clamped to 1×1 so a collapsed
// panel or a minimised window never creates a zero-size attachment.
#pragma once

#include <epoxy/gl.h>

#include "imgui.h"

namespace pglab::gui::render {

class Framebuffer {
 public:
  Framebuffer() = default;
  ~Framebuffer();
  Framebuffer(const Framebuffer&) = delete;
  Framebuffer& operator=(const Framebuffer&) = delete;
  Framebuffer(Framebuffer&& other) noexcept;
  Framebuffer& operator=(Framebuffer&& other) noexcept;

  // Creates the attachments on first use and reallocates them when the size changed. Returns
  // false if the driver reports the framebuffer incomplete.
  bool resize(int width, int height);
  // Binds for drawing and sets the viewport to the whole texture.
  void bind() const;
  // Binds the window's default framebuffer with a viewport of the given size.
  static void bind_default(int width, int height);

  bool valid() const { return fbo_ != 0; }
  GLuint id() const { return fbo_; }
  GLuint texture() const { return texture_; }
  int width() const { return width_; }
  int height() const { return height_; }

  // Draws the texture as an ImGui image item of `size` (screen units), flipped so that GL's
  // bottom-left origin shows the right way up.
  void image(const ImVec2& size) const;

 private:
  void reset();
  GLuint fbo_ = 0;
  GLuint texture_ = 0;
  int width_ = 0;
  int height_ = 0;
};

}  // namespace pglab::gui::render
