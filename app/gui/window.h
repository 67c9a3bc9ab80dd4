// Window: the GLFW window, its OpenGL 3.3 core context (via libepoxy), and the Dear ImGui context
// with the GLFW and OpenGL3 backends. Owns fonts, theme, presenter scale and the persisted UI
// settings. One per process.
//
//   auto window = Window::create(options, &error);   // nullptr + message on failure
//   while (window->begin_frame()) {                   // false once the user closed the window
//     ... ImGui:: calls ...
//     window->end_frame();                            // render + swap
//   }
//
// begin_frame() sleeps in glfwWaitEvents() while the window is minimised or has a zero-size
// framebuffer, so nothing is rendered then. Font size and style changes (theme, presenter mode)
// are applied between frames: the font atlas is rebuilt at the new pixel size, so text stays
// crisp at every scale.
#pragma once

#include <array>
#include <memory>
#include <string>
#include <vector>

#include "gui/settings.h"
#include "imgui.h"

struct GLFWwindow;

namespace pglab::gui {

// The fonts the window draws with, and the code points it loads from them: what any text the app
// draws may contain (a code point outside them is drawn as '?'; tests/app/test_layout.cpp checks
// every string of the app, the core and the shipped assets against them).
const char* ui_font_path();
const char* mono_font_path();
const ImWchar* ui_glyph_ranges();

struct WindowOptions {
  std::string title = "pglab";
  int width = 1600;  // initial size in screen units, used when no saved geometry exists
  int height = 900;
  bool visible = true;         // false: hidden window, for headless screenshots
  bool persist = true;         // read/write imgui.ini and settings.ini under config_dir()
  float base_font_px = 17.0f;  // UI font size at scale 1
};

struct FramebufferSize {
  int width = 0;  // pixels; 0 while minimised
  int height = 0;
};

class Window {
 public:
  // Initialises GLFW, creates the window and context, loads GL with epoxy, creates the ImGui
  // context, backends ("#version 330") and fonts. On failure returns nullptr and sets *error.
  static std::unique_ptr<Window> create(const WindowOptions& options, std::string* error);
  ~Window();
  Window(const Window&) = delete;
  Window& operator=(const Window&) = delete;

  bool should_close() const;
  void request_close();

  // Polls events (waits while minimised), applies pending font/theme changes and starts a new
  // ImGui frame. Returns false when the window should close; then do not call end_frame().
  // idle = true sleeps until an event arrives or `idle_timeout` seconds pass: for when nothing
  // animates, so an open but untouched window costs (almost) no CPU.
  bool begin_frame(bool idle = false, double idle_timeout = 0.25);
  // render() + swap().
  void end_frame();
  // Ends the ImGui frame and draws it into the default framebuffer's back buffer (cleared to the
  // theme background). Between render() and swap() the frame can be read back for a screenshot.
  void render();
  void swap();

  FramebufferSize framebuffer_size() const;
  GLFWwindow* handle() const { return window_; }

  // Theme and presenter mode; changes take effect at the next begin_frame() and are saved.
  Theme theme() const { return settings_.theme; }
  void set_theme(Theme theme);
  void toggle_theme();
  bool presenter() const { return settings_.presenter; }
  void set_presenter(bool on);
  void toggle_presenter();
  float presenter_scale() const { return settings_.presenter_scale; }
  void set_presenter_scale(float scale);  // clamped to [1, 2.5]
  // The F key: the next (direction > 0) or previous step of kPresenterSteps after the current UI
  // scale, wrapping around; step 1 turns presenter mode off.
  void cycle_presenter(int direction);
  // Current UI scale: presenter_scale() in presenter mode, else 1.
  float ui_scale() const;
  // Sets the UI scale the way F does (View → Presenter scale): above 1 presenter mode at that
  // scale, 1 presenter mode off; saved.
  void set_ui_scale(float scale);

  // Fonts of the current atlas (valid until the next begin_frame() that rebuilds it). The UI font
  // is the default; the mono font is for numbers in tables and logs.
  ImFont* ui_font() const { return ui_font_; }
  ImFont* mono_font() const { return mono_font_; }
  // The UI font at twice its size, for figures exported at 2× (plot "Save PNG (2×)"). Built on
  // first request: the first call returns nullptr and the atlas gains it before the next frame.
  ImFont* export_font();

  // Persisted settings (the layout fields are for the caller to read and update).
  UiSettings& settings() { return settings_; }
  // Writes settings.ini now (also done on change and on destruction); no-op without persist.
  void save();
  // What the window ignored when it opened, one line each (a settings.ini or imgui.ini that is a
  // FIFO, a device or over kMaxSettingsFileBytes: also printed on stderr).
  const std::vector<std::string>& notices() const { return notices_; }

 private:
  Window() = default;
  void build_fonts();
  void capture_geometry();
  void save_imgui_ini();  // imgui.ini from ImGui's memory, whole or not at all; no-op unpersisted
  // GLFW's key events queue here and reach Dear ImGui's handler a frame at a time (feed_keys).
  // ImGui 1.86 reads keys as a down/up state once per frame, so a key pressed and released
  // between two frames (a quick tap while a slow frame computes; xdotool) was never seen, and
  // neither was the second of two taps: each key changes at most once per frame, and a release
  // after a press waits for the next frame, so every tap is down for a frame and up for the next.
  static void key_callback(GLFWwindow* w, int key, int scancode, int action, int mods);
  void feed_keys();

  GLFWwindow* window_ = nullptr;
  WindowOptions options_;
  UiSettings settings_;
  std::string ini_path_;       // imgui.ini; "" when not persisted or ignored at start
  std::string settings_path_;  // settings.ini; "" likewise
  std::vector<std::string> notices_;
  bool imgui_ready_ = false;
  bool style_dirty_ = true;  // font atlas and style need rebuilding before the next frame
  bool fonts_uploaded_ = false;
  float built_scale_ = 0.0f;
  ImFont* ui_font_ = nullptr;
  ImFont* mono_font_ = nullptr;
  ImFont* export_font_ = nullptr;
  bool want_export_font_ = false;
  void (*imgui_key_callback_)(GLFWwindow*, int, int, int, int) = nullptr;
  std::vector<std::array<int, 4>> pending_keys_;  // {key, scancode, action, mods}, in order
};

}  // namespace pglab::gui
