#include "gui/render/framebuffer.h"

#include <algorithm>
#include <cstdint>
#include <utility>

namespace pglab::gui::render {

Framebuffer::~Framebuffer() {
  reset();
}

Framebuffer::Framebuffer(Framebuffer&& other) noexcept
    : fbo_(std::exchange(other.fbo_, 0)),
      texture_(std::exchange(other.texture_, 0)),
      width_(std::exchange(other.width_, 0)),
      height_(std::exchange(other.height_, 0)) {}

Framebuffer& Framebuffer::operator=(Framebuffer&& other) noexcept {
  if (this != &other) {
    reset();
    fbo_ = std::exchange(other.fbo_, 0);
    texture_ = std::exchange(other.texture_, 0);
    width_ = std::exchange(other.width_, 0);
    height_ = std::exchange(other.height_, 0);
  }
  return *this;
}

void Framebuffer::reset() {
  if (texture_ != 0) glDeleteTextures(1, &texture_);
  if (fbo_ != 0) glDeleteFramebuffers(1, &fbo_);
  texture_ = fbo_ = 0;
  width_ = height_ = 0;
}

bool Framebuffer::resize(int width, int height) {
  width = std::max(width, 1);
  height = std::max(height, 1);
  if (fbo_ != 0 && width == width_ && height == height_) return true;
  if (fbo_ == 0) {
    glGenFramebuffers(1, &fbo_);
    glGenTextures(1, &texture_);
  }
  GLint previous_texture = 0;
  GLint previous_fbo = 0;
  glGetIntegerv(GL_TEXTURE_BINDING_2D, &previous_texture);
  glGetIntegerv(GL_DRAW_FRAMEBUFFER_BINDING, &previous_fbo);
  glBindTexture(GL_TEXTURE_2D, texture_);
  glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, width, height, 0, GL_RGBA, GL_UNSIGNED_BYTE, nullptr);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
  glBindFramebuffer(GL_FRAMEBUFFER, fbo_);
  glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, texture_, 0);
  const bool complete = glCheckFramebufferStatus(GL_FRAMEBUFFER) == GL_FRAMEBUFFER_COMPLETE;
  glBindFramebuffer(GL_FRAMEBUFFER, static_cast<GLuint>(previous_fbo));
  glBindTexture(GL_TEXTURE_2D, static_cast<GLuint>(previous_texture));
  width_ = width;
  height_ = height;
  return complete;
}

void Framebuffer::bind() const {
  glBindFramebuffer(GL_FRAMEBUFFER, fbo_);
  glViewport(0, 0, width_, height_);
}

void Framebuffer::bind_default(int width, int height) {
  glBindFramebuffer(GL_FRAMEBUFFER, 0);
  glViewport(0, 0, std::max(width, 0), std::max(height, 0));
}

void Framebuffer::image(const ImVec2& size) const {
  const ImTextureID id = reinterpret_cast<ImTextureID>(static_cast<std::uintptr_t>(texture_));
  ImGui::Image(id, size, ImVec2(0, 1), ImVec2(1, 0));
}

}  // namespace pglab::gui::render
