// Entry points of the windowed app, called from app/cli.
//
//   run_gui   open the lab window and run until it is closed. Returns 0, or 1 if the window or
//             OpenGL could not be initialised (the message is printed on stderr). A scenario that
//             fails to load is shown in the window, which stays usable.
//   run_shot  render the same UI into a hidden window of the given size and write the last frame
//             as PNG; with frame_times, train at full speed while drawing `frames` frames and print
//             {"median_ms": …, "p95_ms": …}. Returns 0; 2 with a message for bad arguments; 1 if
//             GL init or writing the file fails, or (check_clipping) the frame clipped text.
#pragma once

#include <optional>
#include <string>

#include "io/scenario.h"

namespace pglab::gui {

struct GuiOptions {
  std::string scenario;             // --scenario F; "" = the default scenario
  double quit_after_seconds = 0.0;  // > 0: close by itself after this long (tests, demos)
};

struct ShotOptions {
  int width = 1600;  // pixels, 320..8192
  int height = 900;  // pixels, 200..8192
  std::string out;   // PNG path (required unless frame_times)
  int frames = 3;    // frames rendered before the capture (>= 2 lets auto-sized windows settle)
  std::string theme = "dark";            // "dark" or "light"
  float scale = 1.0f;                    // UI scale (presenter mode when > 1), 1..2.5
  bool help = false;                     // show the keys overlay
  std::optional<pg::Scenario> scenario;  // none: the default scenario
  int iterations = 0;                    // trained before the capture
  int env_steps = 0;                     // then this many single env steps (a view mid-batch)
  std::string view = "overview";
  bool frame_times = false;  // time `frames` frames while training at unlimited speed
  // After the last frame, list the text it clipped (gui/clip_check.h) on stderr, one line each,
  // then "clipped text: N"; return 1 when N > 0 (the PNG is still written).
  bool check_clipping = false;
  bool fold_controls = false;  // the controls column folded to its slim bar (key C)
};

int run_gui(const GuiOptions& options);
int run_shot(const ShotOptions& options);

}  // namespace pglab::gui
