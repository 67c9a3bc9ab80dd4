// Reading pixels back from GL and writing them as PNG (stb_image_write). Rows come back from GL
// bottom-up; Image stores them top-down, the way PNG and every viewer expect.
#pragma once

#include <string>
#include <vector>

namespace pglab::gui::render {

class Framebuffer;

// 8-bit RGBA pixels, row-major, top row first.
struct Image {
  int width = 0;
  int height = 0;
  std::vector<unsigned char> rgba;  // width * height * 4
};

// Reads the window's default framebuffer (the back buffer, i.e. the frame just rendered and not
// yet swapped). Width and height are the framebuffer size in pixels; <= 0 gives an empty Image.
Image read_default_framebuffer(int width, int height);
// Reads the colour attachment of an offscreen framebuffer.
Image read_framebuffer(const Framebuffer& framebuffer);

// Writes the image as PNG, whole or not at all (temporary file + rename, pg::write_file_atomic).
// Returns "" on success, otherwise a message naming the path and the reason.
std::string write_png(const Image& image, const std::string& path);
// The image's PNG bytes; empty for an empty image.
std::string encode_png(const Image& image);

// Variance of the pixel luminance (0..255 scale): ~0 for a blank image. Used by tests and by
// `shot` to refuse writing an all-background screenshot without saying so.
double luminance_variance(const Image& image);

}  // namespace pglab::gui::render
