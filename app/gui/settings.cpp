#include "gui/settings.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <sstream>
#include <system_error>

#include "io/atomic_file.h"

namespace pglab::gui {
namespace {

std::string trim(const std::string& s) {
  const auto begin = s.find_first_not_of(" \t\r");
  if (begin == std::string::npos) return {};
  const auto end = s.find_last_not_of(" \t\r");
  return s.substr(begin, end - begin + 1);
}

bool parse_int(const std::string& text, int* out) {
  char* end = nullptr;
  const long v = std::strtol(text.c_str(), &end, 10);
  if (end == text.c_str() || *end != '\0') return false;
  *out = static_cast<int>(std::clamp<long>(v, -1000000, 1000000));
  return true;
}

}  // namespace

const char* theme_name(Theme theme) {
  return theme == Theme::Light ? "light" : "dark";
}

std::string config_dir() {
  std::filesystem::path dir;
  if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg != nullptr && *xdg != '\0') {
    dir = std::filesystem::path(xdg) / "pglab";
  } else if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') {
    dir = std::filesystem::path(home) / ".config" / "pglab";
  } else {
    return {};
  }
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return {};
  return dir.string();
}

std::string read_settings_file(const std::string& path, std::string* text) {
  text->clear();
  // O_NONBLOCK: opening a FIFO for reading waits for a writer otherwise.
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) return errno == ENOENT ? "" : std::string("cannot open it: ") + std::strerror(errno);
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  struct stat st {};
  if (::fstat(fd, &st) != 0) return std::string("cannot read it: ") + std::strerror(errno);
  if (!S_ISREG(st.st_mode)) {
    const char* kind = S_ISFIFO(st.st_mode)                         ? "a FIFO (named pipe)"
                       : S_ISDIR(st.st_mode)                        ? "a directory"
                       : S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) ? "a device"
                       : S_ISSOCK(st.st_mode)                       ? "a socket"
                                                                    : "not a file";
    return std::string("is ") + kind + ", not a regular file";
  }
  const std::string too_big = "is larger than 1 MiB (at most " +
                              std::to_string(kMaxSettingsFileBytes) +
                              " bytes are read; the app's own file is a few kB)";
  if (static_cast<unsigned long long>(st.st_size) > kMaxSettingsFileBytes) return too_big;
  // Read in chunks and stop past the bound: a file that grows meanwhile is still bounded.
  char chunk[1 << 14];
  for (;;) {
    const ssize_t n = ::read(fd, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const std::string why = std::string("cannot read it: ") + std::strerror(errno);
      text->clear();
      return why;
    }
    if (n == 0) break;
    text->append(chunk, static_cast<size_t>(n));
    if (text->size() > kMaxSettingsFileBytes) {
      text->clear();
      return too_big;
    }
  }
  return "";
}

std::string load_settings(const std::string& path, UiSettings* settings) {
  std::string text;
  const std::string problem = read_settings_file(path, &text);
  if (problem.empty()) parse_settings(text, settings);
  return problem;
}

void parse_settings(const std::string& text, UiSettings* settings) {
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    const auto eq = line.find('=');
    if (line.empty() || line[0] == '#' || eq == std::string::npos) continue;
    const std::string key = trim(line.substr(0, eq));
    const std::string value = trim(line.substr(eq + 1));
    int i = 0;
    if (key == "theme") {
      if (value == "light") settings->theme = Theme::Light;
      if (value == "dark") settings->theme = Theme::Dark;
    } else if (key == "presenter") {
      settings->presenter = value == "1" || value == "true";
    } else if (key == "presenter_scale") {
      char* end = nullptr;
      const float s = std::strtof(value.c_str(), &end);
      if (end != value.c_str() && s == s) {
        settings->presenter_scale =
            std::clamp(s, UiSettings::kMinPresenterScale, UiSettings::kMaxPresenterScale);
      }
    } else if (key == "maximized") {
      settings->maximized = value == "1" || value == "true";
    } else if (parse_int(value, &i)) {
      if (key == "window_x") settings->window_x = i;
      if (key == "window_y") settings->window_y = i;
      // Sizes beyond any screen are clamped here, and to the actual monitor when the window opens.
      if (key == "window_width")
        settings->window_width = std::clamp(i, 0, UiSettings::kMaxWindowSide);
      if (key == "window_height")
        settings->window_height = std::clamp(i, 0, UiSettings::kMaxWindowSide);
      if (key == "layout_width") settings->layout_width = std::max(i, 0);
      if (key == "layout_height") settings->layout_height = std::max(i, 0);
    }
  }
}

std::string save_settings(const std::string& path, const UiSettings& s) {
  std::ostringstream out;
  out << "# pglab UI settings (panel positions are in imgui.ini)\n"
      << "theme = " << theme_name(s.theme) << "\n"
      << "presenter = " << (s.presenter ? 1 : 0) << "\n"
      << "presenter_scale = " << s.presenter_scale << "\n"
      << "window_x = " << s.window_x << "\n"
      << "window_y = " << s.window_y << "\n"
      << "window_width = " << s.window_width << "\n"
      << "window_height = " << s.window_height << "\n"
      << "maximized = " << (s.maximized ? 1 : 0) << "\n"
      << "layout_width = " << s.layout_width << "\n"
      << "layout_height = " << s.layout_height << "\n";
  // Whole or not at all: a crash or a full disk mid-write leaves the previous settings.
  return pg::write_file_atomic(path, out.str());
}

}  // namespace pglab::gui
