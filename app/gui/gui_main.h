// Entry points of the windowed app, called from app/cli.
//
//   run_gui   open the lab window and run until it is closed. Returns 0, or 1 if the window or
//             OpenGL could not be initialised (the message is printed on stderr). A scenario that
//             fails to load is shown in the window, which stays usable.
//   run_shot  render the same UI into a hidden window of the given size and write the last frame
//             as PNG; with frame_times, train at full speed while drawing kFrameTimeWarmup
//             untimed frames and then `frames` timed ones, and print {"median_ms": …, "p95_ms": …}
//             of the timed ones. Returns 0; 2 with a message for bad arguments (a
//             lesson or session file that cannot be opened, a refused --edit); 1 if GL init or
//             writing a file fails, a lesson step fails to run, or (check_clipping) the frame
//             clipped text.
#pragma once

#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "io/scenario.h"
#include "session/live_params.h"

namespace pglab::gui {

struct GuiOptions {
  std::string scenario;             // --scenario F; "" = the default scenario
  std::string lesson;               // --lesson NAME: open a lesson (its first step set up)
  std::string session;              // --session F: open a pglab.session/1 file
  double quit_after_seconds = 0.0;  // > 0: close by itself after this long (tests, demos)
};

// Frames a frame-time run draws before it times any (the font atlas and shaders are built then).
inline constexpr int kFrameTimeWarmup = 2;

struct ShotOptions {
  int width = 1600;  // pixels, 320..8192
  int height = 900;  // pixels, 200..8192
  std::string out;   // PNG path (required unless frame_times)
  int frames = 3;    // frames rendered before the capture (>= 2 lets auto-sized windows settle);
                     // with frame_times, the frames timed after the warm-up
  std::string theme = "dark";                // "dark" or "light"
  float scale = 1.0f;                        // UI scale (presenter mode when > 1), 1..2.5
  bool help = false;                         // show the keys overlay
  std::optional<pg::Scenario> scenario;      // none: the default scenario
  int iterations = 0;                        // trained before the capture
  std::vector<pg::ScheduledChange> changes;  // live changes made on the way (--change)
  int env_steps = 0;                         // then this many single env steps (a view mid-batch)
  std::string view = "overview";  // "": the view the lesson, session or scenario puts in front
  // Issue 9. --lesson NAME: open the lesson, run its steps 1..lesson_step (-1: all) through the
  // window's path (gui/classroom.h), print one check line per step as `pglab lesson --check` does
  // and show step lesson_step with its outcome (0: step 1 set up, not run). predict: the student's
  // answer to the shown step's prediction (a choice's index, or a number) before it runs.
  std::string lesson;
  int lesson_step = 0;
  std::string predict;
  std::string session;       // --session F: open a session file instead of a scenario
  std::string save_session;  // --save-session F: save the session and view state before drawing
  bool frame_times = false;  // time `frames` frames (after the warm-up) while training flat out
  std::string edit;          // world edit script (pg::WorldEditor::apply_script); opens the editor
  // After the last frame, list the text it clipped (gui/clip_check.h) on stderr, one line each,
  // then "clipped text: N"; return 1 when N > 0 (the PNG is still written).
  bool check_clipping = false;
  bool fold_controls = false;  // the controls column folded to its slim bar (key C)
  // Issue 10, time travel: `fork` ("key=value", a live key) forks the run at iteration `fork_at`
  // (-1: the iteration shown), then the views show iteration `at` of the run (-1: live); the shot
  // waits for the replays and for the fork to catch up with the run.
  int at = -1;
  std::string fork;
  int fork_at = -1;
  // pglab shot's stop on SIGINT/SIGTERM (cli/stop_signal.h StopWatcher): each output file is
  // written holding `writing` and then added to `written`, so a signal never leaves half a file
  // and its line names the files that are complete. Null: not watched.
  std::mutex* writing = nullptr;
  std::vector<std::string>* written = nullptr;
};

int run_gui(const GuiOptions& options);
int run_shot(const ShotOptions& options);

class Window;
class EnvRenderer;
struct AppState;
// One frame of the lab's UI between Window::begin_frame and render (window tests drive the app
// frame by frame with it; needs a current plot context).
void draw_lab_frame(Window& window, AppState& state, EnvRenderer& env);

}  // namespace pglab::gui
