// ShaderProgram: a linked GL program built from a vertex and a fragment shader file.
//
// Owns one GL program object (non-copyable, movable). Compile and link failures never abort:
// load() returns an error string that names the shader file and carries the driver's log, so the
// app can show it and keep running (STYLE.md §7, §9). Needs a current GL 3.3 context.
#pragma once

#include <epoxy/gl.h>

#include <string>

namespace pglab::gui::render {

// Absolute path of a file in the shader directory (PGLAB_SHADER_DIR, e.g. "grid.vert").
std::string shader_path(const std::string& file_name);

class ShaderProgram {
 public:
  ShaderProgram() = default;
  ~ShaderProgram();
  ShaderProgram(const ShaderProgram&) = delete;
  ShaderProgram& operator=(const ShaderProgram&) = delete;
  ShaderProgram(ShaderProgram&& other) noexcept;
  ShaderProgram& operator=(ShaderProgram&& other) noexcept;

  // Reads, compiles and links the two files. Returns "" on success, otherwise a message such as
  // "shaders/grid.frag: compile failed:\n0:12(3): error: ...". On failure the previous program
  // (if any) is kept, so a broken edit does not blank the view.
  std::string load(const std::string& vertex_path, const std::string& fragment_path);
  // Same from source text; the names are only used in error messages.
  std::string load_source(const std::string& vertex_source, const std::string& vertex_name,
                          const std::string& fragment_source, const std::string& fragment_name);

  bool valid() const { return program_ != 0; }
  GLuint id() const { return program_; }
  void use() const;

  // Uniform location, -1 if the program has no active uniform of that name (GL ignores -1).
  GLint uniform(const char* name) const;
  void set_float(const char* name, float v) const;
  void set_vec2(const char* name, float x, float y) const;
  void set_vec4(const char* name, float x, float y, float z, float w) const;
  // m is column-major, 9 floats (see Transform2D).
  void set_mat3(const char* name, const float* m) const;

 private:
  void reset();
  GLuint program_ = 0;
};

}  // namespace pglab::gui::render
