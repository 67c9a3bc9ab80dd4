// The window's settings files (gui/settings.h): settings.ini and imgui.ini are read bounded and
// only when they are regular files. A FIFO at the path hung the window at start (the read waited
// for a writer) and a huge file was read whole.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <string>

#include "gui/settings.h"

namespace pglab::gui {
namespace {

class SettingsFile : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/pglab_settings_XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string path(const char* name) const { return dir_ + "/" + name; }
  std::string dir_;
};

TEST_F(SettingsFile, RegularFileIsRead) {
  std::ofstream(path("settings.ini")) << "theme = light\nwindow_width = 1000\n";
  UiSettings s;
  EXPECT_EQ(load_settings(path("settings.ini"), &s), "");
  EXPECT_EQ(s.theme, Theme::Light);
  EXPECT_EQ(s.window_width, 1000);
}

TEST_F(SettingsFile, MissingFileIsTheFirstRun) {
  UiSettings s;
  std::string text = "x";
  EXPECT_EQ(read_settings_file(path("imgui.ini"), &text), "");
  EXPECT_EQ(text, "");
  EXPECT_EQ(load_settings(path("settings.ini"), &s), "");
  EXPECT_EQ(s.theme, Theme::Dark);
}

// The read must return at once with a reason, not wait for a writer. If it blocks, a writer opened
// after the deadline releases it so the test fails instead of hanging.
TEST_F(SettingsFile, FifoIsRefusedWithoutBlocking) {
  for (const char* name : {"settings.ini", "imgui.ini"}) {
    const std::string fifo = path(name);
    ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
    UiSettings s;
    auto read = std::async(std::launch::async, [&] { return load_settings(fifo, &s); });
    const bool returned = read.wait_for(std::chrono::seconds(5)) == std::future_status::ready;
    if (!returned) {
      const int fd = ::open(fifo.c_str(), O_WRONLY);  // lets the blocked read see end of file
      if (fd >= 0) ::close(fd);
    }
    EXPECT_TRUE(returned) << name << ": reading a FIFO blocked";
    const std::string why = read.get();
    EXPECT_NE(why.find("FIFO"), std::string::npos) << why;
    EXPECT_EQ(s.theme, Theme::Dark);  // the defaults
  }
}

TEST_F(SettingsFile, HugeFileIsRefusedUnread) {
  {
    std::ofstream out(path("settings.ini"));
    out << "theme = light\n" << std::string(kMaxSettingsFileBytes, '#') << "\n";
  }
  UiSettings s;
  const std::string why = load_settings(path("settings.ini"), &s);
  EXPECT_NE(why.find("larger than 1 MiB"), std::string::npos) << why;
  EXPECT_EQ(s.theme, Theme::Dark);  // nothing of it applied
  std::string text;
  EXPECT_NE(read_settings_file(path("settings.ini"), &text), "");
  EXPECT_TRUE(text.empty());
}

TEST_F(SettingsFile, DeviceAndDirectoryAreRefused) {
  std::string text;
  const std::string device = read_settings_file("/dev/zero", &text);
  EXPECT_NE(device.find("a device"), std::string::npos) << device;
  EXPECT_TRUE(text.empty());
  const std::string directory = read_settings_file(dir_, &text);
  EXPECT_NE(directory.find("a directory"), std::string::npos) << directory;
}

}  // namespace
}  // namespace pglab::gui
