// Runs compared and figures for slides (issue 9 items 6, 7) in the window under Xvfb, driven frame
// by frame like a user: pin a run, Apply & reset with another seed, and check the frame shows the
// pinned curve beside the new run's (the pixels differ from the same frame without the pin); export
// the learning-curve plot as PNG at 2× (its size is exactly twice the plot's) and as CSV (the
// plot's series), twice without a collision; a seed band over 3 seeds and a fork reach the plot,
// and at presenter 2× the run's curves keep their colours, apart from the fork's.
// Usage: gui_compare OUTPUT_DIR [WIDTHxHEIGHT [SEED_ITERATIONS]]; the frames are left there as PNGs
// to look at.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <thread>

#include "gui/app_state.h"
#include "gui/compare/compare.h"
#include "gui/gui_main.h"
#include "gui/plot/plot.h"
#include "gui/render/screenshot.h"
#include "gui/views/env_renderer.h"
#include "gui/window.h"
#include "io/scenario.h"
#include "lab_frames.h"
#include "stb_image.h"

namespace {

using namespace pglab::gui;

int failures = 0;

void check(bool ok, const std::string& what) {
  std::printf("%s: %s\n", ok ? "ok" : "FAIL", what.c_str());
  if (!ok) ++failures;
}

struct Lab {
  std::unique_ptr<Window> window;
  pglab::plot::PlotContext* plots = nullptr;
  EnvRenderer env;
  AppState state;

  // Draws `n` frames; returns the last one.
  render::Image frames(int n) { return draw_lab_frames(*window, state, env, n); }
};

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

int count_lines_starting(const std::string& text, const std::string& prefix) {
  int n = 0;
  size_t at = 0;
  while (at < text.size()) {
    const size_t end = text.find('\n', at);
    if (text.compare(at, prefix.size(), prefix) == 0) ++n;
    if (end == std::string::npos) break;
    at = end + 1;
  }
  return n;
}

// The file a status line "saved plot '…' to PATH (…)" names.
std::string saved_path(const std::string& status) {
  const size_t to = status.find(" to ");
  if (status.rfind("saved plot", 0) != 0 || to == std::string::npos) return {};
  const size_t end = status.find(" (", to + 4);
  return status.substr(to + 4, end == std::string::npos ? std::string::npos : end - to - 4);
}

// Asks for an export the way the plot menu does and draws frames until the status says it is done.
std::string export_through_menu(Lab& lab, ImGuiID plot, pglab::plot::ExportKind kind) {
  lab.state.status.clear();
  pglab::plot::RequestExport(plot, kind);
  for (int i = 0; i < 5 && lab.state.status.rfind("saved", 0) != 0; ++i) lab.frames(1);
  return lab.state.status;
}

template <class Done>
bool wait_frames(Lab& lab, Done done, double seconds) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (!done() && std::chrono::steady_clock::now() < until) {
    lab.frames(1);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return done();
}

}  // namespace

int main(int argc, char** argv) {
  const std::string dir = std::filesystem::absolute(argc > 1 ? argv[1] : ".").string();
  int width = 1280, height = 720;
  if (argc > 2) std::sscanf(argv[2], "%dx%d", &width, &height);
  const std::string tag = std::to_string(width) + "x" + std::to_string(height);
  const std::string work = dir + "/gui_compare_" + tag;
  std::filesystem::remove_all(work);
  std::filesystem::create_directories(work);
  if (chdir(work.c_str()) != 0) return 1;  // exports go to the working directory

  Lab lab;
  WindowOptions wo;
  wo.width = width;
  wo.height = height;
  wo.visible = false;
  wo.persist = false;
  std::string error;
  lab.window = Window::create(wo, &error);
  if (!lab.window) {
    std::fprintf(stderr, "gui_compare: %s\n", error.c_str());
    return 1;
  }
  lab.plots = pglab::plot::CreateContext();
  pglab::plot::SetCurrentContext(lab.plots);
  check(lab.env.init().empty(), "shaders");
  AppState& state = lab.state;
  check(load_file_into(state, "gridworld-reinforce"), "load gridworld-reinforce");
  state.runner->run_iterations(30);
  lab.frames(3);

  // 1. Pin seed 1, then Apply & reset with seed 2 (what the settings panel does) and train again.
  const bool pinned = pin_current_run(state);
  check(pinned, "pin: " + state.status);
  pg::Scenario other = state.scenario;
  pg::set_value(other, "seed", 2);
  check(load_into(state, other, state.scenario_path), "apply & reset with seed 2");
  state.runner->run_iterations(30);
  const render::Image with_pin = lab.frames(3);
  render::write_png(with_pin, work + "/pinned_" + tag + ".png");
  const ImGuiID curves = state.curves_plot;
  const std::string csv = pglab::plot::PlotCsv(curves);
  const int pinned_rows = count_lines_starting(csv, "pinned: gridworld-reinforce seed 1,line,");
  // (A short plot names the curve briefly: overview_view.cpp.)
  const int live_rows =
      count_lines_starting(csv, "\"batch return Σ rₜ, undiscounted (mean ± std)\",line,") +
      count_lines_starting(csv, "batch return (mean ± std),line,") +
      count_lines_starting(csv, "\"batch return (mean ± std)\",line,");
  check(pinned_rows == 30,
        "the return plot has the pinned run's 30 points (" + std::to_string(pinned_rows) + ")");
  check(live_rows == 30, "and the new run's 30 (" + std::to_string(live_rows) + ")");
  // Every history curve the return plot draws is pinned: the return's ±std band and the exact J.
  const int pinned_band = count_lines_starting(csv, "pinned: gridworld-reinforce seed 1,band,");
  const int pinned_j =
      count_lines_starting(csv, "pinned: gridworld-reinforce seed 1 · exact J,line,");
  check(pinned_band == 30,
        "the pinned return keeps its ±std band (" + std::to_string(pinned_band) + " points)");
  check(pinned_j == 30, "and its exact J (" + std::to_string(pinned_j) + " points)");
  // The other plots' columns: the pin's ‖ĝ‖ and H(π) are its own history's.
  for (pg::SeedColumn col : {pg::SeedColumn::kGradNorm, pg::SeedColumn::kEntropy}) {
    const std::vector<ComparisonCurve> curves = comparison_curves(state, {col});
    const PinnedRun& pin = state.compare.pins.at(0);
    bool same = curves.size() == 1 && curves[0].y.size() == pin.rows.size();
    for (size_t i = 0; same && i < pin.rows.size(); ++i)
      same = curves[0].y[i] == pg::value_of(pin.rows[i], col) &&
             curves[0].x[i] == pin.rows[i].iteration;
    check(same, std::string("the pin's ") + pg::name_of(col) + " curve is its history's");
  }
  // The same frame without the pin: only the pinned curve and its legend entry differ.
  clear_pins(state);
  const render::Image without_pin = lab.frames(3);
  long differing = 0;
  for (size_t i = 0;
       i + 3 < with_pin.rgba.size() && with_pin.rgba.size() == without_pin.rgba.size(); i += 4) {
    const int d = std::abs(with_pin.rgba[i] - without_pin.rgba[i]) +
                  std::abs(with_pin.rgba[i + 1] - without_pin.rgba[i + 1]) +
                  std::abs(with_pin.rgba[i + 2] - without_pin.rgba[i + 2]);
    differing += d > 30 ? 1 : 0;
  }
  // A 30-point curve across a plot several hundred pixels wide, two pixels thick, plus a legend
  // row of text: well over 500 pixels; nothing else changes between the two frames.
  check(differing > 500, "the pinned curve shows (" + std::to_string(differing) +
                             " pixels differ from the frame without it)");
  check(pin_current_run(state), "pin again (survives the next step)");

  // 2. Save PNG (2×) of the learning-curve plot, twice: two files, each twice the plot's size.
  const ImVec2 frame = pglab::plot::GetPlotFrameSize(curves);
  std::string first, second;
  for (std::string* path : {&first, &second}) {
    const std::string status = export_through_menu(lab, curves, pglab::plot::ExportKind::Png);
    *path = saved_path(status);
    check(!path->empty(), "PNG export: " + status);
    int w = 0, h = 0, channels = 0;
    unsigned char* pixels = stbi_load(path->c_str(), &w, &h, &channels, 4);
    check(pixels != nullptr, "PNG readable: " + *path);
    if (pixels == nullptr) continue;
    check(w == static_cast<int>(std::lround(2.0 * frame.x)) &&
              h == static_cast<int>(std::lround(2.0 * frame.y)),
          "PNG is " + std::to_string(w) + "x" + std::to_string(h) + " for a plot of " +
              std::to_string(frame.x) + "x" + std::to_string(frame.y));
    render::Image image{w, h, std::vector<unsigned char>(pixels, pixels + 4L * w * h)};
    check(render::luminance_variance(image) > 20.0, "PNG is not blank");
    stbi_image_free(pixels);
  }
  check(first != second && !second.empty() && std::filesystem::exists(first),
        "the second export did not replace the first: " + second);
  const std::string csv_status = export_through_menu(lab, curves, pglab::plot::ExportKind::Csv);
  const std::string csv_path = saved_path(csv_status);
  check(!csv_path.empty() && read_file(csv_path) == pglab::plot::PlotCsv(curves),
        "CSV export holds the plot's series: " + csv_status);

  // 3. Seeds 2–4 in the background; the window keeps drawing meanwhile.
  state.compare.seed_count = 3;
  // A third argument runs the seeds longer (to measure the frame time meanwhile); the checks below
  // need at least 30.
  state.compare.seed_iterations = argc > 3 ? std::max(30, std::atoi(argv[3])) : 30;
  start_seeds(state);
  const auto idle_started = std::chrono::steady_clock::now();
  lab.frames(10);
  const double idle_ms =
      100.0 *
      std::chrono::duration<double>(std::chrono::steady_clock::now() - idle_started).count();
  int frames_while_running = 0;
  const auto seeds_started = std::chrono::steady_clock::now();
  const bool seeds_done = wait_frames(
      lab,
      [&] {
        ++frames_while_running;
        return has_seed_band(state) && seeds_progress(state) < 0;
      },
      120.0);
  check(seeds_done, "seeds finished: " + state.status);
  lab.frames(2);
  const std::string with_seeds = pglab::plot::PlotCsv(curves);
  check(count_lines_starting(with_seeds, "gridworld-reinforce seeds 2–4: mean ± 1 s.e.,band,") ==
            state.compare.seed_iterations,
        "the seed band is on the return plot");
  const double seeds_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - seeds_started).count();
  // Responsiveness, measured: frames keep coming while the seeds run (each wait step is one frame
  // plus a 20 ms sleep).
  std::printf(
      "seeds: %.2f s, %d frames drawn meanwhile (%.1f ms per frame + 20 ms sleep; %.1f ms "
      "without seeds running)\n",
      seeds_s, frames_while_running,
      frames_while_running > 0 ? 1000.0 * seeds_s / frames_while_running - 20.0 : 0.0, idle_ms);

  // 4. Fork here with the mean baseline; the main run goes 10 on, the fork follows.
  pg::EstimatorConfig mean = state.runner->snapshot().session->estimator();
  mean.baseline = pg::Baseline::kMean;
  const bool forked = fork_current_run(state, mean);
  check(forked, "fork: " + state.status);
  state.runner->run_iterations(10);
  const bool caught_up = wait_frames(
      lab,
      [&] {
        return count_lines_starting(pglab::plot::PlotCsv(curves),
                                    "fork at iteration 30: baseline=mean,line,") == 11;  // 29–39
      },
      60.0);
  check(caught_up, "the fork follows the main run (iterations 30–40)");
  // The run's curves keep their colours at presenter 1.5×, where the plot names them briefly, and
  // the fork's differs from both. Each form of a name took the next palette colour: at 2× the
  // return turned green and the exact J red, the fork's colour. (At 2× the fork's two pictures now
  // stand above the curves, whose plot is then below the fold and not drawn: 1.5× keeps the
  // curves beside the pictures, in a column narrow enough for the brief names.)
  struct Colours {
    std::string return_label;
    ImU32 ret = 0, j = 0, fork = 0;
  };
  auto colours = [&] {
    Colours c;
    for (const pglab::plot::ItemColor& e : pglab::plot::GetItemColors(state.curves_plot)) {
      if (e.label.rfind("batch return", 0) == 0) {
        c.return_label = e.label;
        c.ret = e.color;
      }
      if (e.label.rfind("exact J", 0) == 0) c.j = e.color;
      if (e.label.rfind("fork at iteration 30", 0) == 0) c.fork = e.color;
    }
    return c;
  };
  const Colours at_1 = colours();
  lab.window->set_presenter_scale(1.5f);
  lab.window->set_presenter(true);
  lab.frames(3);
  const Colours at_2 = colours();
  lab.window->set_presenter(false);
  lab.frames(3);
  const Colours back = colours();
  const ImU32 blue = pglab::plot::GetPaletteColor(kReturnSlot),
              orange = pglab::plot::GetPaletteColor(kExactJSlot);
  for (const Colours* c : {&at_1, &at_2, &back})
    check(c->ret == blue && c->j == orange && c->fork != 0 && c->fork != c->ret && c->fork != c->j,
          "'" + c->return_label + "' and the exact J keep their colours, the fork has its own");
  // (At 1280×720 the plot is short enough for the brief names at 1× too.)
  check(width < 1600 || at_1.return_label != at_2.return_label,
        "the return curve's name changes form at 1.5× (" + at_2.return_label + ")");

  // 5. Fork with a live hyperparameter (the step size) and with another seed, as the menu does.
  const bool lr_forked = fork_current_run(state, "algorithm.lr", 0.3);
  check(lr_forked, "fork with lr: " + state.status);
  state.runner->run_iterations(5);
  const bool lr_followed = wait_frames(
      lab,
      [&] {
        return count_lines_starting(pglab::plot::PlotCsv(curves),
                                    "fork at iteration 40: lr=0.3,line,") == 6;  // 39–44
      },
      60.0);
  check(lr_followed, "the lr fork follows the main run (iterations 40–45)");
  const bool seed_forked = fork_current_run(state, "seed", 7);
  check(seed_forked, "fork with seed 7: " + state.status);
  check(state.status.find("seed=7") != std::string::npos &&
            state.status.find("its own random streams") != std::string::npos,
        "the seed fork says so: " + state.status);
  state.runner->run_iterations(3);
  const bool seed_followed = wait_frames(
      lab,
      [&] {
        return count_lines_starting(pglab::plot::PlotCsv(curves),
                                    "fork at iteration 45: seed=7,line,") == 4;  // 44–47
      },
      60.0);
  check(seed_followed, "the seed fork follows the main run (iterations 45–48)");
  check(!fork_current_run(state, "env.gamma", 0.5) && state.status.rfind("cannot fork: ", 0) == 0,
        "a setting that is not live is refused: " + state.status);
  render::write_png(lab.frames(2), work + "/compare_all_" + tag + ".png");

  clear_fork(state);
  clear_seeds(state);
  state.runner.reset();
  pglab::plot::DestroyContext(lab.plots);
  std::printf("%s\n", failures == 0 ? "all passed" : "FAILED");
  return failures == 0 ? 0 : 1;
}
