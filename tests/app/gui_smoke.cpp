// The window under Xvfb: run_shot renders the lab's UI into a hidden window and writes a PNG;
// this checks the file has the requested size and is not blank (a black or single-colour frame
// means the GL context, the fonts or the FBO views failed), at the smallest and largest supported
// layouts, in both themes and in presenter mode; that bad arguments give exit code 2; and that
// run_gui opens, closes and keeps its settings.
#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "gui/gui_main.h"
#include "io/scenario.h"
#include "stb_image.h"

namespace {

int failures = 0;

void check(bool ok, const std::string& what) {
  if (!ok) {
    std::fprintf(stderr, "FAIL: %s\n", what.c_str());
    ++failures;
  }
}

double luminance_variance(const unsigned char* rgba, int w, int h) {
  double sum = 0, sum_sq = 0;
  const long n = static_cast<long>(w) * h;
  for (long i = 0; i < n; ++i) {
    const unsigned char* p = rgba + 4 * i;
    const double y = 0.2126 * p[0] + 0.7152 * p[1] + 0.0722 * p[2];
    sum += y;
    sum_sq += y * y;
  }
  const double mean = sum / static_cast<double>(n);
  return sum_sq / static_cast<double>(n) - mean * mean;
}

void shot(const pglab::gui::ShotOptions& options) {
  const std::string name = options.out + " (" + std::to_string(options.width) + "x" +
                           std::to_string(options.height) + ", " + options.theme + ")";
  const int rc = pglab::gui::run_shot(options);
  check(rc == 0, name + ": run_shot returned " + std::to_string(rc));
  if (rc != 0) return;
  int w = 0, h = 0, channels = 0;
  unsigned char* pixels = stbi_load(options.out.c_str(), &w, &h, &channels, 4);
  check(pixels != nullptr, name + ": PNG not readable");
  if (pixels == nullptr) return;
  check(w == options.width && h == options.height,
        name + ": size " + std::to_string(w) + "x" + std::to_string(h));
  // A UI with text, plots and views varies a lot; a blank frame has variance ~0. Measured values
  // are in the hundreds; 20 leaves room for theme changes while catching an empty frame.
  const double variance = luminance_variance(pixels, w, h);
  std::printf("%s: luminance variance %.1f\n", name.c_str(), variance);
  check(variance > 20.0, name + ": looks blank (variance " + std::to_string(variance) + ")");
  stbi_image_free(pixels);
}

}  // namespace

int main(int argc, char** argv) {
  const std::string dir = argc > 1 ? argv[1] : ".";
  pglab::gui::ShotOptions base;
  base.out = dir + "/gui_smoke_1600x900.png";
  shot(base);

  pglab::gui::ShotOptions small = base;
  small.width = 1280;
  small.height = 720;
  small.theme = "light";
  small.out = dir + "/gui_smoke_1280x720_light.png";
  shot(small);

  pglab::gui::ShotOptions big = base;
  big.width = 3840;
  big.height = 2160;
  big.scale = 2.0f;
  big.help = true;
  big.out = dir + "/gui_smoke_3840x2160_presenter.png";
  shot(big);

  pglab::gui::ShotOptions tiny = base;
  tiny.width = 320;
  tiny.height = 200;
  tiny.out = dir + "/gui_smoke_320x200.png";
  shot(tiny);

  pglab::gui::ShotOptions bad = base;
  bad.width = 10;
  check(pglab::gui::run_shot(bad) == 2, "bad size must return 2");
  bad = base;
  bad.out.clear();
  check(pglab::gui::run_shot(bad) == 2, "missing --out must return 2");
  bad = base;
  bad.theme = "neon";
  check(pglab::gui::run_shot(bad) == 2, "unknown theme must return 2");

  // Every view after 100 iterations of a gridworld and a cart-pole scenario (cart-pole's other
  // views after 10, to keep the test short).
  for (const char* scenario : {"gridworld-reinforce", "cartpole-reinforce"}) {
    for (const char* view : {"overview", "variance", "baseline", "inspector", "rollout"}) {
      pglab::gui::ShotOptions o = base;
      o.scenario = pg::load_scenario(scenario);
      const bool cartpole = std::string(scenario) == "cartpole-reinforce";
      o.iterations = (cartpole && std::string(view) != "overview") ? 10 : 100;
      o.view = view;
      o.frames = 4;
      o.out = dir + "/shot_" + scenario + "_" + view + ".png";
      shot(o);
    }
  }
  pglab::gui::ShotOptions bad_view = base;
  bad_view.view = "nosuchview";
  check(pglab::gui::run_shot(bad_view) == 2, "unknown view must return 2");

  // A scenario that cannot be built opens the window anyway (the message is shown there).
  {
    pglab::gui::GuiOptions broken;
    broken.scenario = "no-such-scenario";
    broken.quit_after_seconds = 0.5;
    check(pglab::gui::run_gui(broken) == 0,
          "run_gui with a missing scenario must still open and return 0");
  }
  // A lesson or session file that cannot be opened: the window opens anyway and says why.
  {
    const std::string bad = dir + "/gui_smoke_bad.json";
    std::ofstream(bad) << "{\"format\": \"pglab.session/2\"}";
    pglab::gui::GuiOptions broken;
    broken.lesson = bad;
    broken.session = bad;
    broken.quit_after_seconds = 0.5;
    check(pglab::gui::run_gui(broken) == 0,
          "run_gui with a bad lesson and session must still open and return 0");
  }

  // The interactive loop: opens, runs a second, closes by itself, and persists its settings
  // under $XDG_CONFIG_HOME/pglab. A second run must start from those settings.
  const std::string config = dir + "/gui_smoke_config";
  std::filesystem::remove_all(config);
  setenv("XDG_CONFIG_HOME", config.c_str(), 1);
  pglab::gui::GuiOptions gui;
  gui.quit_after_seconds = 1.0;
  check(pglab::gui::run_gui(gui) == 0, "run_gui must return 0");
  const std::string settings = config + "/pglab/settings.ini";
  check(std::filesystem::exists(settings), settings + " not written");
  check(std::filesystem::exists(config + "/pglab/imgui.ini"), "imgui.ini not written");
  {
    std::ofstream out(settings, std::ios::app);
    out << "theme = light\n";  // as if the user had pressed T
  }
  check(pglab::gui::run_gui(gui) == 0, "run_gui (second run) must return 0");
  std::ifstream in(settings);
  std::stringstream text;
  text << in.rdbuf();
  check(text.str().find("theme = light") != std::string::npos,
        "theme not kept across runs:\n" + text.str());
  // settings.ini is written whole (io/atomic_file: a temporary file renamed into place), and the
  // temporary file is gone.
  for (const auto& e : std::filesystem::directory_iterator(config + "/pglab"))
    check(e.path().filename().string().find("pglab-tmp") == std::string::npos,
          "temporary file left: " + e.path().string());

  // A FIFO at settings.ini and imgui.ini hung the window at start (each read waited for a writer;
  // ImGui read imgui.ini itself): both are ignored and left as they are, and the window runs.
  const std::string fifo_config = dir + "/gui_smoke_fifo";
  std::filesystem::remove_all(fifo_config);
  std::filesystem::create_directories(fifo_config + "/pglab");
  for (const char* name : {"/pglab/settings.ini", "/pglab/imgui.ini"})
    check(mkfifo((fifo_config + name).c_str(), 0600) == 0, std::string("mkfifo ") + name);
  setenv("XDG_CONFIG_HOME", fifo_config.c_str(), 1);
  check(pglab::gui::run_gui(gui) == 0, "run_gui with FIFO settings files must return 0");
  for (const char* name : {"/pglab/settings.ini", "/pglab/imgui.ini"})
    check(std::filesystem::is_fifo(fifo_config + name),
          std::string(name) + " was replaced; an ignored file is left as it is");

  if (failures == 0) std::printf("gui_smoke: ok\n");
  return failures == 0 ? 0 : 1;
}
