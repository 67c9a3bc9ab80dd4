// pglab shot: render the whole window after N iterations with a view in front, write a PNG.
#include <cstdio>

#include "cli/commands.h"
#include "util/error.h"
#ifdef PGLAB_WITH_GUI
#include "gui/gui_main.h"
#endif

namespace pg::cli {

void add_shot(CLI::App& app, ShotArgs& a) {
  CLI::App* cmd = app.add_subcommand("shot", "Render the app headless and write a PNG");
  add_scenario_options(*cmd, a.scenario);
  cmd->add_option("--iterations", a.iterations, "Train this many iterations first")
      ->check(CLI::Range(0, 10000000));
  cmd->add_option("--view", a.view, "View in front")
      ->check(CLI::IsMember({"overview", "variance", "baseline", "inspector", "rollout", "clip",
                             "advantage", "importance", "grpo", "npg"}));
  cmd->add_option("--steps", a.env_steps,
                  "Then this many single environment steps (mid-batch views)")
      ->check(CLI::Range(0, 10000000));
  cmd->add_option("--size", a.size, "Window size WxH");
  cmd->add_option("--out", a.out, "Output PNG");
  cmd->add_option("--frames", a.frames, "Frames to draw while training at full speed")
      ->check(CLI::Range(0, 10000000));
  cmd->add_option("--scale", a.scale, "Presenter scale of the whole layout (1 = off)")
      ->check(CLI::Range(1.0, 2.5));
  cmd->add_flag("--check-clipping", a.check_clipping,
                "List text the frame clipped on stderr (\"clipped text: N\"); exit 1 if any");
  cmd->add_flag("--fold-controls", a.fold_controls, "Fold the controls column to its slim bar");
  cmd->add_flag("--frame-times", a.frame_times, "Print {\"median_ms\", \"p95_ms\"} of the frames");
  cmd->callback([&a] { a.chosen = true; });
}

int run_shot_cmd(const ShotArgs& a) {
  int w = 0, h = 0;
  char x = 0;
  if (std::sscanf(a.size.c_str(), "%d%c%d", &w, &x, &h) != 3 || (x != 'x' && x != 'X') || w < 64 ||
      h < 64 || w > 8192 || h > 8192)
    throw InputError(
        "--size", "expected WxH with each side in [64, 8192], e.g. 1600x900; got '" + a.size + "'");
  if (a.out.empty() && !a.frame_times) throw InputError("--out", "needed: the PNG file to write");
  if (a.frame_times && a.frames < 3)
    throw InputError("--frames",
                     "with --frame-times, give the number of frames to time (at least 3)");
#ifdef PGLAB_WITH_GUI
  Scenario s = resolve(a.scenario);
  pglab::gui::ShotOptions o;
  o.scenario = s;
  o.iterations = a.iterations;
  o.env_steps = a.env_steps;
  o.view = a.view;
  o.width = w;
  o.height = h;
  o.out = a.out;
  o.frames = a.frames > 0 ? a.frames : 3;
  o.frame_times = a.frame_times;
  o.scale = static_cast<float>(a.scale);
  o.check_clipping = a.check_clipping;
  o.fold_controls = a.fold_controls;
  return pglab::gui::run_shot(o);
#else
  std::fprintf(stderr, "pglab shot: this build has no window (PGLAB_BUILD_APP=OFF)\n");
  return kExitFailed;
#endif
}

}  // namespace pg::cli
