#include "gui/render/screenshot.h"

#include <epoxy/gl.h>

#include <algorithm>
#include <cstring>

#include "gui/render/framebuffer.h"
#include "io/atomic_file.h"
#include "stb_image_write.h"

namespace pglab::gui::render {
namespace {

// Reads the bound read framebuffer and flips rows to top-down.
Image read_bound(int width, int height) {
  Image image;
  if (width <= 0 || height <= 0) return image;
  image.width = width;
  image.height = height;
  const size_t row = static_cast<size_t>(width) * 4;
  std::vector<unsigned char> bottom_up(row * static_cast<size_t>(height));
  GLint previous_alignment = 4;
  glGetIntegerv(GL_PACK_ALIGNMENT, &previous_alignment);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadPixels(0, 0, width, height, GL_RGBA, GL_UNSIGNED_BYTE, bottom_up.data());
  glPixelStorei(GL_PACK_ALIGNMENT, previous_alignment);
  image.rgba.resize(bottom_up.size());
  for (int y = 0; y < height; ++y) {
    std::memcpy(image.rgba.data() + row * static_cast<size_t>(y),
                bottom_up.data() + row * static_cast<size_t>(height - 1 - y), row);
  }
  return image;
}

}  // namespace

Image read_default_framebuffer(int width, int height) {
  GLint previous = 0;
  glGetIntegerv(GL_READ_FRAMEBUFFER_BINDING, &previous);
  glBindFramebuffer(GL_READ_FRAMEBUFFER, 0);
  glReadBuffer(GL_BACK);
  Image image = read_bound(width, height);
  // Screenshots are opaque: the window's alpha channel is whatever the clear left there.
  for (size_t i = 3; i < image.rgba.size(); i += 4) image.rgba[i] = 255;
  glBindFramebuffer(GL_READ_FRAMEBUFFER, static_cast<GLuint>(previous));
  return image;
}

Image read_framebuffer(const Framebuffer& framebuffer) {
  if (!framebuffer.valid()) return {};
  GLint previous = 0;
  glGetIntegerv(GL_READ_FRAMEBUFFER_BINDING, &previous);
  glBindFramebuffer(GL_READ_FRAMEBUFFER, framebuffer.id());
  glReadBuffer(GL_COLOR_ATTACHMENT0);
  Image image = read_bound(framebuffer.width(), framebuffer.height());
  glBindFramebuffer(GL_READ_FRAMEBUFFER, static_cast<GLuint>(previous));
  return image;
}

std::string encode_png(const Image& image) {
  std::string png;
  if (image.width <= 0 || image.height <= 0 ||
      image.rgba.size() != static_cast<size_t>(image.width) * image.height * 4) {
    return png;
  }
  auto append = [](void* context, void* data, int size) {
    static_cast<std::string*>(context)->append(static_cast<const char*>(data),
                                               static_cast<size_t>(size));
  };
  if (stbi_write_png_to_func(append, &png, image.width, image.height, 4, image.rgba.data(),
                             image.width * 4) == 0)
    png.clear();
  return png;
}

std::string write_png(const Image& image, const std::string& path) {
  const std::string png = encode_png(image);
  if (png.empty()) return path + ": nothing to write (empty image)";
  return pg::write_file_atomic(path, png);
}

double luminance_variance(const Image& image) {
  const size_t n = image.rgba.size() / 4;
  if (n == 0) return 0.0;
  double sum = 0.0, sum_sq = 0.0;
  for (size_t i = 0; i < n; ++i) {
    const unsigned char* p = image.rgba.data() + 4 * i;
    const double y = 0.2126 * p[0] + 0.7152 * p[1] + 0.0722 * p[2];
    sum += y;
    sum_sq += y * y;
  }
  const double mean = sum / static_cast<double>(n);
  return std::max(0.0, sum_sq / static_cast<double>(n) - mean * mean);
}

}  // namespace pglab::gui::render
