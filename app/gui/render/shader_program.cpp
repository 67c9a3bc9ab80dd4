#include "gui/render/shader_program.h"

#include <fstream>
#include <sstream>
#include <utility>

#ifndef PGLAB_SHADER_DIR
#define PGLAB_SHADER_DIR "shaders"
#endif

namespace pglab::gui::render {
namespace {

bool read_text(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  *out = ss.str();
  return true;
}

// Compiles one stage; on failure returns 0 and fills *error with the name and the driver log.
GLuint compile(GLenum stage, const std::string& source, const std::string& name,
               std::string* error) {
  GLuint shader = glCreateShader(stage);
  const char* text = source.c_str();
  glShaderSource(shader, 1, &text, nullptr);
  glCompileShader(shader);
  GLint ok = GL_FALSE;
  glGetShaderiv(shader, GL_COMPILE_STATUS, &ok);
  if (ok == GL_TRUE) return shader;
  GLint length = 0;
  glGetShaderiv(shader, GL_INFO_LOG_LENGTH, &length);
  std::string log(static_cast<size_t>(length > 1 ? length : 1), '\0');
  glGetShaderInfoLog(shader, length, nullptr, log.data());
  glDeleteShader(shader);
  *error = name + ": compile failed:\n" + log.c_str();
  return 0;
}

}  // namespace

std::string shader_path(const std::string& file_name) {
  return std::string(PGLAB_SHADER_DIR) + "/" + file_name;
}

ShaderProgram::~ShaderProgram() {
  reset();
}

ShaderProgram::ShaderProgram(ShaderProgram&& other) noexcept
    : program_(std::exchange(other.program_, 0)) {}

ShaderProgram& ShaderProgram::operator=(ShaderProgram&& other) noexcept {
  if (this != &other) {
    reset();
    program_ = std::exchange(other.program_, 0);
  }
  return *this;
}

void ShaderProgram::reset() {
  if (program_ != 0) glDeleteProgram(program_);
  program_ = 0;
}

std::string ShaderProgram::load(const std::string& vertex_path, const std::string& fragment_path) {
  std::string vs, fs;
  if (!read_text(vertex_path, &vs)) return vertex_path + ": cannot read shader file";
  if (!read_text(fragment_path, &fs)) return fragment_path + ": cannot read shader file";
  return load_source(vs, vertex_path, fs, fragment_path);
}

std::string ShaderProgram::load_source(const std::string& vertex_source,
                                       const std::string& vertex_name,
                                       const std::string& fragment_source,
                                       const std::string& fragment_name) {
  std::string error;
  GLuint vs = compile(GL_VERTEX_SHADER, vertex_source, vertex_name, &error);
  if (vs == 0) return error;
  GLuint fs = compile(GL_FRAGMENT_SHADER, fragment_source, fragment_name, &error);
  if (fs == 0) {
    glDeleteShader(vs);
    return error;
  }
  GLuint program = glCreateProgram();
  glAttachShader(program, vs);
  glAttachShader(program, fs);
  glLinkProgram(program);
  glDetachShader(program, vs);
  glDetachShader(program, fs);
  glDeleteShader(vs);
  glDeleteShader(fs);
  GLint ok = GL_FALSE;
  glGetProgramiv(program, GL_LINK_STATUS, &ok);
  if (ok != GL_TRUE) {
    GLint length = 0;
    glGetProgramiv(program, GL_INFO_LOG_LENGTH, &length);
    std::string log(static_cast<size_t>(length > 1 ? length : 1), '\0');
    glGetProgramInfoLog(program, length, nullptr, log.data());
    glDeleteProgram(program);
    return vertex_name + " + " + fragment_name + ": link failed:\n" + log.c_str();
  }
  reset();
  program_ = program;
  return {};
}

void ShaderProgram::use() const {
  glUseProgram(program_);
}

GLint ShaderProgram::uniform(const char* name) const {
  return program_ != 0 ? glGetUniformLocation(program_, name) : -1;
}

void ShaderProgram::set_float(const char* name, float v) const {
  glUniform1f(uniform(name), v);
}

void ShaderProgram::set_vec2(const char* name, float x, float y) const {
  glUniform2f(uniform(name), x, y);
}

void ShaderProgram::set_vec4(const char* name, float x, float y, float z, float w) const {
  glUniform4f(uniform(name), x, y, z, w);
}

void ShaderProgram::set_mat3(const char* name, const float* m) const {
  glUniformMatrix3fv(uniform(name), 1, GL_FALSE, m);
}

}  // namespace pglab::gui::render
