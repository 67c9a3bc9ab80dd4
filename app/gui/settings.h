// UiSettings: what the app remembers between runs besides imgui.ini (which keeps panel
// positions): theme, presenter scale, window geometry. Stored as `key = value` lines in
// <config_dir>/settings.ini; unknown keys are ignored and bad values fall back to defaults, so an
// old or hand-edited file never stops the app from starting.
#pragma once

#include <cstddef>
#include <string>

namespace pglab::gui {

enum class Theme { Dark, Light };

const char* theme_name(Theme theme);  // "dark" / "light"

struct UiSettings {
  Theme theme = Theme::Dark;
  bool presenter = false;         // presenter mode on: everything scaled by presenter_scale
  float presenter_scale = 1.75f;  // [kMinPresenterScale, kMaxPresenterScale]
  int window_x = kUnset;          // screen units; kUnset lets the window manager choose
  int window_y = kUnset;
  int window_width = 0;  // 0: use the caller's default size
  int window_height = 0;
  bool maximized = false;
  // Viewport size (screen units) and UI scale the panel layout was last computed for; when the
  // viewport or the scale changes the layout is recomputed (gui_main.cpp).
  int layout_width = 0;
  int layout_height = 0;

  static constexpr int kUnset = -100000;
  static constexpr int kMaxWindowSide =
      16384;  // larger saved sizes are clamped (then to the monitor)
  static constexpr float kMinPresenterScale = 1.0f;
  static constexpr float kMaxPresenterScale = 2.5f;
};

// The presenter scales the F key steps through (1 = presenter mode off).
inline constexpr float kPresenterSteps[] = {1.0f, 1.25f, 1.5f, 1.75f, 2.0f, 2.5f};

// $XDG_CONFIG_HOME/pglab, else $HOME/.config/pglab; created if missing. "" when neither variable
// is set or the directory cannot be created (then nothing is persisted).
std::string config_dir();

// The most a settings file (settings.ini, imgui.ini) may hold: ours are a few kB at most, so a
// larger file is not one the app wrote.
inline constexpr size_t kMaxSettingsFileBytes = size_t{1} << 20;  // 1 MiB

// Reads the settings file `path` into *text, never blocking and never reading more than
// kMaxSettingsFileBytes: opened with O_NONBLOCK and checked to be a regular file before any read
// (a FIFO there hung the window at start; /dev/zero was read until memory ran out). Returns ""
// when it was read or does not exist (the first run: *text empty), else why it was not read
// ("is a FIFO (named pipe), not a regular file"); *text is then empty.
std::string read_settings_file(const std::string& path, std::string* text);
// Reads `path` into *settings (fields not in the file keep their values). Returns "" when it was
// read or does not exist, else why it was ignored (read_settings_file); *settings is unchanged.
std::string load_settings(const std::string& path, UiSettings* settings);
// The `key = value` lines of a settings.ini into *settings.
void parse_settings(const std::string& text, UiSettings* settings);
// Writes all fields. Returns "" on success or a message naming the path.
std::string save_settings(const std::string& path, const UiSettings& settings);

}  // namespace pglab::gui
