#include "gui/window.h"

#include <epoxy/gl.h>

#include <chrono>
#include <thread>
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>

#include <algorithm>
#include <bitset>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "backends/imgui_impl_glfw.h"
#include "backends/imgui_impl_opengl3.h"
#include "gui/theme.h"
#include "io/atomic_file.h"
#include "util/text.h"

namespace pglab::gui {
namespace {

constexpr const char* kSansPath = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
constexpr const char* kMonoPath = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf";

// Latin, Greek and the math symbols lessons show (θ, π, γ, ∇, ∑, ≈, ±, →, subscripts).
constexpr ImWchar kGlyphRanges[] = {
    0x0020, 0x00FF,  // Basic Latin + Latin-1
    0x0100, 0x017F,  // Latin Extended-A (ĝ as a precomposed letter)
    0x02B0, 0x02FF,  // Spacing modifier letters (ˡ in (γλ)ˡ)
    0x0300, 0x036F,  // Combining diacritics (x̂, θ̄)
    0x0370, 0x03FF,  // Greek
    0x1D00, 0x1DBF,  // Phonetic extensions (ᵢ ᵗ: sub- and superscript letters)
    0x1E00, 0x1EFF,  // Latin Extended Additional (ḡ as a precomposed letter)
    0x2000, 0x206F,  // General punctuation (… – —)
    0x2070, 0x209F,  // Super- and subscripts
    0x2190, 0x21FF,  // Arrows
    0x2200, 0x22FF,  // Mathematical operators
    0x2506, 0x2506,  // Box drawing: ┆, a dashed vertical line in a colour key
    0x25A0, 0x25FF,  // Geometric shapes (▶ ■ ●)
    0x2713, 0x2717,  // Check and ballot marks (✓ ✗: a lesson's claim holds or fails)
    0x2C7C, 0x2C7C,  // Latin Extended-C: ⱼ, the subscript j (Gⱼₜ)
    0,
};

}  // namespace

const char* ui_font_path() {
  return kSansPath;
}
const char* mono_font_path() {
  return kMonoPath;
}
const ImWchar* ui_glyph_ranges() {
  return kGlyphRanges;
}

namespace {

// GLFW reports errors through a C callback with no user pointer, so its last message is kept
// here. While Window::create() sets up (retrying a busy X server) errors are only remembered and
// create() reports the last one once; afterwards each is printed as it happens.
std::string g_glfw_error;
bool g_glfw_quiet = false;

void glfw_error_callback(int code, const char* description) {
  g_glfw_error = description != nullptr ? description : "unknown error";
  while (!g_glfw_error.empty() && (g_glfw_error.back() == ' ' || g_glfw_error.back() == '\n'))
    g_glfw_error.pop_back();
  if (!g_glfw_quiet) std::fprintf(stderr, "pglab: GLFW error %d: %s\n", code, g_glfw_error.c_str());
}

bool display_named() {
  const char* x11 = std::getenv("DISPLAY");
  const char* wayland = std::getenv("WAYLAND_DISPLAY");
  return (x11 != nullptr && *x11 != '\0') || (wayland != nullptr && *wayland != '\0');
}

bool file_exists(const char* path) {
  std::error_code ec;
  return std::filesystem::is_regular_file(path, ec);
}

}  // namespace

std::unique_ptr<Window> Window::create(const WindowOptions& options, std::string* error) {
  glfwSetErrorCallback(glfw_error_callback);
  // A busy X server (Xvfb on a loaded machine, right after another client closed) can refuse a
  // connection for a moment: try a few times before giving up. With no display named at all
  // there is nothing to wait for.
  g_glfw_quiet = true;
  g_glfw_error.clear();
  bool initialised = false;
  const int attempts = display_named() ? 10 : 1;
  for (int attempt = 0; attempt < attempts && !initialised; ++attempt) {
    if (attempt > 0) std::this_thread::sleep_for(std::chrono::milliseconds(200));
    initialised = glfwInit() == GLFW_TRUE;
  }
  g_glfw_quiet = false;
  if (!initialised) {
    const std::string why = g_glfw_error.empty() ? "GLFW failed to initialise" : g_glfw_error;
    *error = "cannot open a window: " + why +
             " (is a display available? headless, use xvfb-run or the subcommands)";
    return nullptr;
  }
  std::unique_ptr<Window> self(new Window());
  self->options_ = options;
  std::string ini_text;  // imgui.ini, read (bounded) before ImGui exists
  if (options.persist) {
    const std::string dir = config_dir();
    if (!dir.empty()) {
      self->ini_path_ = dir + "/imgui.ini";
      self->settings_path_ = dir + "/settings.ini";
      // A file that is not ours to read (a FIFO, a device, a huge file) is neither read nor
      // written over: the window starts with the defaults and says what it ignored.
      const auto ignore = [&self](std::string& path, const std::string& why) {
        self->notices_.push_back(pg::shorten_path(path) + ": " + why +
                                 "; ignored: the window starts with default settings and leaves "
                                 "the file as it is");
        path.clear();
      };
      if (const std::string why = load_settings(self->settings_path_, &self->settings_);
          !why.empty())
        ignore(self->settings_path_, why);
      if (const std::string why = read_settings_file(self->ini_path_, &ini_text); !why.empty())
        ignore(self->ini_path_, why);
    }
  }
  for (const std::string& notice : self->notices_)
    std::fprintf(stderr, "pglab: %s\n", notice.c_str());
  UiSettings& s = self->settings_;
  int width = std::max(options.width, 64);
  int height = std::max(options.height, 64);
  if (options.persist && s.window_width >= 320 && s.window_height >= 200) {
    width = s.window_width;
    height = s.window_height;
  }
  // A saved (or hand-edited) size larger than the screen is clamped to it, and a saved position
  // that would put the window off the screen is dropped.
  bool position_on_screen = true;
  if (GLFWmonitor* monitor = glfwGetPrimaryMonitor(); monitor != nullptr && options.visible) {
    int wx = 0, wy = 0, ww = 0, wh = 0;
    glfwGetMonitorWorkarea(monitor, &wx, &wy, &ww, &wh);
    if (ww <= 0 || wh <= 0) {
      if (const GLFWvidmode* mode = glfwGetVideoMode(monitor)) {
        ww = mode->width;
        wh = mode->height;
      }
    }
    if (ww > 0 && wh > 0) {
      width = std::min(width, ww);
      height = std::min(height, wh);
      position_on_screen = s.window_x >= wx - 64 && s.window_x <= wx + ww - 64 &&
                           s.window_y >= wy - 64 && s.window_y <= wy + wh - 64;
    }
  }

  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
  glfwWindowHint(GLFW_VISIBLE, GLFW_FALSE);  // shown after the saved position is applied
  glfwWindowHint(GLFW_SCALE_TO_MONITOR, GLFW_TRUE);
  self->window_ = glfwCreateWindow(width, height, options.title.c_str(), nullptr, nullptr);
  if (self->window_ == nullptr) {
    *error = "cannot create a window with an OpenGL 3.3 core context";
    glfwTerminate();
    return nullptr;
  }
  if (options.persist && position_on_screen && s.window_x != UiSettings::kUnset &&
      s.window_y != UiSettings::kUnset) {
    glfwSetWindowPos(self->window_, s.window_x, s.window_y);
  }
  glfwMakeContextCurrent(self->window_);
  glfwSwapInterval(options.visible ? 1 : 0);
  if (epoxy_gl_version() < 33) {
    *error = "OpenGL 3.3 is required, the driver offers " +
             std::to_string(epoxy_gl_version() / 10) + "." +
             std::to_string(epoxy_gl_version() % 10);
    return nullptr;  // the destructor tears the window and GLFW down
  }
  if (options.visible) {
    if (options.persist && s.maximized) glfwMaximizeWindow(self->window_);
    glfwShowWindow(self->window_);
  }

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  // ImGui would read imgui.ini itself, unbounded and blocking on a FIFO: we read and write it.
  io.IniFilename = nullptr;
  if (!ini_text.empty()) ImGui::LoadIniSettingsFromMemory(ini_text.data(), ini_text.size());
  // No keyboard navigation: Space, letters and digits are the lab's own shortcuts (keys.h).
  if (!ImGui_ImplGlfw_InitForOpenGL(self->window_, true) ||
      !ImGui_ImplOpenGL3_Init("#version 330")) {
    *error = "cannot initialise the Dear ImGui GLFW/OpenGL3 backends";
    ImGui::DestroyContext();
    return nullptr;
  }
  self->imgui_ready_ = true;
  // Ours in front of ImGui's key callback (ImGui_ImplGlfw_Shutdown puts back what it replaced).
  glfwSetWindowUserPointer(self->window_, self.get());
  self->imgui_key_callback_ = glfwSetKeyCallback(self->window_, &Window::key_callback);
  return self;
}

void Window::key_callback(GLFWwindow* w, int key, int scancode, int action, int mods) {
  auto* self = static_cast<Window*>(glfwGetWindowUserPointer(w));
  if (self == nullptr || self->imgui_key_callback_ == nullptr) return;
  self->pending_keys_.push_back({key, scancode, action, mods});
}

void Window::feed_keys() {
  // In order, until a key would change a second time in this frame, or a release follows a press
  // (the frame then sees the keys as they were at the press: Shift of Shift+F included, whichever
  // order xdotool or a hand lets go). The rest waits for the next frame.
  std::bitset<GLFW_KEY_LAST + 1> changed;  // on the stack: this runs every frame
  bool pressed = false;
  size_t k = 0;
  for (; k < pending_keys_.size(); ++k) {
    const auto& [key, scancode, action, mods] = pending_keys_[k];
    const bool known = key >= 0 && key <= GLFW_KEY_LAST;
    if (action != GLFW_REPEAT) {
      if ((known && changed.test(static_cast<size_t>(key))) || (action == GLFW_RELEASE && pressed))
        break;
      if (known) changed.set(static_cast<size_t>(key));
      pressed = pressed || action == GLFW_PRESS;
    }
    imgui_key_callback_(window_, key, scancode, action, mods);
  }
  pending_keys_.erase(pending_keys_.begin(), pending_keys_.begin() + static_cast<long>(k));
}

Window::~Window() {
  if (window_ != nullptr) {
    capture_geometry();
    save();
  }
  if (imgui_ready_) {
    save_imgui_ini();
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext();
  }
  if (window_ != nullptr) glfwDestroyWindow(window_);
  glfwTerminate();
}

bool Window::should_close() const {
  return glfwWindowShouldClose(window_) == GLFW_TRUE;
}

void Window::request_close() {
  glfwSetWindowShouldClose(window_, GLFW_TRUE);
}

bool Window::begin_frame(bool idle, double idle_timeout) {
  // Key events still waiting: the next frame comes at once, not at the next event.
  if (idle && pending_keys_.empty()) {
    glfwWaitEventsTimeout(std::max(idle_timeout, 0.0));
  } else {
    glfwPollEvents();
  }
  // Minimised or zero-sized: nothing to draw, so sleep until something happens.
  for (;;) {
    if (should_close()) return false;
    const FramebufferSize fb = framebuffer_size();
    const bool iconified = glfwGetWindowAttrib(window_, GLFW_ICONIFIED) == GLFW_TRUE;
    if (!iconified && fb.width > 0 && fb.height > 0) break;
    glfwWaitEvents();
  }
  if (style_dirty_ || built_scale_ != ui_scale()) build_fonts();
  feed_keys();
  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplGlfw_NewFrame();
  ImGui::NewFrame();
  return true;
}

void Window::end_frame() {
  render();
  swap();
  // ImGui asks (a panel moved a while ago) instead of writing imgui.ini itself (IniFilename null).
  if (ImGui::GetIO().WantSaveIniSettings) {
    save_imgui_ini();
    ImGui::GetIO().WantSaveIniSettings = false;
  }
}

void Window::save_imgui_ini() {
  if (ini_path_.empty()) return;
  size_t size = 0;
  const char* text = ImGui::SaveIniSettingsToMemory(&size);
  const std::string error = pg::write_file_atomic(ini_path_, std::string_view(text, size));
  if (!error.empty()) std::fprintf(stderr, "pglab: warning: %s\n", error.c_str());
}

void Window::render() {
  ImGui::Render();
  const FramebufferSize fb = framebuffer_size();
  glBindFramebuffer(GL_FRAMEBUFFER, 0);
  glViewport(0, 0, fb.width, fb.height);
  const ImVec4 clear = theme_clear_color(settings_.theme);
  glClearColor(clear.x, clear.y, clear.z, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
}

void Window::swap() {
  glfwSwapBuffers(window_);
}

FramebufferSize Window::framebuffer_size() const {
  FramebufferSize size;
  glfwGetFramebufferSize(window_, &size.width, &size.height);
  size.width = std::max(size.width, 0);
  size.height = std::max(size.height, 0);
  return size;
}

void Window::set_theme(Theme theme) {
  if (settings_.theme == theme) return;
  settings_.theme = theme;
  style_dirty_ = true;
  save();
}

void Window::toggle_theme() {
  set_theme(settings_.theme == Theme::Dark ? Theme::Light : Theme::Dark);
}

void Window::set_presenter(bool on) {
  if (settings_.presenter == on) return;
  settings_.presenter = on;
  style_dirty_ = true;
  save();
}

void Window::toggle_presenter() {
  set_presenter(!settings_.presenter);
}

void Window::set_presenter_scale(float scale) {
  if (!(scale == scale)) return;  // NaN
  scale = std::clamp(scale, UiSettings::kMinPresenterScale, UiSettings::kMaxPresenterScale);
  if (settings_.presenter_scale == scale) return;
  settings_.presenter_scale = scale;
  if (settings_.presenter) style_dirty_ = true;
}

ImFont* Window::export_font() {
  if (export_font_ == nullptr && !want_export_font_) {
    want_export_font_ = true;
    style_dirty_ = true;
  }
  return export_font_;
}

void Window::cycle_presenter(int direction) {
  const float now = ui_scale();
  constexpr int n = static_cast<int>(sizeof(kPresenterSteps) / sizeof(kPresenterSteps[0]));
  float next = direction > 0 ? kPresenterSteps[0] : kPresenterSteps[n - 1];  // wrapped around
  for (int k = 0; k < n; ++k) {
    const float step = kPresenterSteps[direction > 0 ? k : n - 1 - k];
    if (direction > 0 ? step > now + 1e-3f : step < now - 1e-3f) {
      next = step;
      break;
    }
  }
  set_ui_scale(next);
}

void Window::set_ui_scale(float scale) {
  if (!(scale == scale)) return;  // NaN
  // Above 1 the scale is remembered for F and the next start; 1 is presenter mode off, which keeps
  // the scale it had.
  if (scale > 1.0f) set_presenter_scale(scale);
  set_presenter(scale > 1.0f);
  save();
}

float Window::ui_scale() const {
  return settings_.presenter ? settings_.presenter_scale : 1.0f;
}

void Window::build_fonts() {
  float content_scale = 1.0f;
  float unused = 1.0f;
  glfwGetWindowContentScale(window_, &content_scale, &unused);
  if (!(content_scale > 0.0f)) content_scale = 1.0f;
  const float scale = ui_scale();
  // Whole pixel sizes rasterise more evenly than fractional ones.
  const float px = std::round(options_.base_font_px * scale * content_scale);

  ImGuiIO& io = ImGui::GetIO();
  io.Fonts->Clear();
  ImFontConfig config;
  config.OversampleH = 2;
  config.OversampleV = 1;
  if (file_exists(kSansPath)) {
    ui_font_ = io.Fonts->AddFontFromFileTTF(kSansPath, px, &config, kGlyphRanges);
  } else {
    std::fprintf(stderr, "pglab: warning: %s not found, using ImGui's default font\n", kSansPath);
    ui_font_ = nullptr;
  }
  if (ui_font_ == nullptr) {
    ImFontConfig fallback;
    fallback.SizePixels = px;
    ui_font_ = io.Fonts->AddFontDefault(&fallback);
  }
  mono_font_ = file_exists(kMonoPath)
                   ? io.Fonts->AddFontFromFileTTF(kMonoPath, px, &config, kGlyphRanges)
                   : nullptr;
  if (mono_font_ == nullptr) mono_font_ = ui_font_;
  export_font_ = nullptr;
  if (want_export_font_) {
    ImFontConfig big;  // no oversampling: at twice the size the glyphs are sharp without it
    big.SizePixels = 2.0f * px;
    export_font_ = file_exists(kSansPath)
                       ? io.Fonts->AddFontFromFileTTF(kSansPath, 2.0f * px, &big, kGlyphRanges)
                       : io.Fonts->AddFontDefault(&big);
    if (export_font_ == nullptr) export_font_ = ui_font_;  // 1× text rather than no export
  }
  io.FontDefault = ui_font_;
  io.Fonts->Build();
  if (fonts_uploaded_) {
    ImGui_ImplOpenGL3_DestroyFontsTexture();
    ImGui_ImplOpenGL3_CreateFontsTexture();
  }
  // On the first frame the backend uploads the atlas itself in NewFrame().
  fonts_uploaded_ = true;

  apply_theme(settings_.theme, scale * content_scale);
  built_scale_ = scale;
  style_dirty_ = false;
}

void Window::capture_geometry() {
  if (!options_.persist || !options_.visible) return;
  settings_.maximized = glfwGetWindowAttrib(window_, GLFW_MAXIMIZED) == GLFW_TRUE;
  if (settings_.maximized || glfwGetWindowAttrib(window_, GLFW_ICONIFIED) == GLFW_TRUE) return;
  glfwGetWindowPos(window_, &settings_.window_x, &settings_.window_y);
  glfwGetWindowSize(window_, &settings_.window_width, &settings_.window_height);
}

void Window::save() {
  if (!options_.persist || settings_path_.empty()) return;
  const std::string error = save_settings(settings_path_, settings_);
  if (!error.empty()) std::fprintf(stderr, "pglab: warning: %s\n", error.c_str());
}

}  // namespace pglab::gui
