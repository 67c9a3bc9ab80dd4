// pglab shot: render the whole window after N iterations with a view in front, write a PNG.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <optional>

#include "cli/commands.h"
#include "cli/stop_signal.h"
#include "env/world_edit.h"
#include "io/scenario_enums.h"
#include "session/session.h"
#include "util/error.h"
#include "util/text.h"
#ifdef PGLAB_WITH_GUI
#include "gui/gui_main.h"
#endif

namespace pg::cli {

void add_shot(CLI::App& app, ShotArgs& a) {
  CLI::App* cmd = app.add_subcommand("shot", "Render the app headless and write a PNG");
  add_scenario_options(*cmd, a.scenario, false);  // required unless --lesson or --session
  cmd->add_option("--iterations", a.iterations, "Train this many iterations first")
      ->check(integer_in(0, 10000000));
  cmd->add_option("--view", a.view,
                  "View in front (default: overview, or the lesson's or session's)")
      ->check(one_of(pg::enum_names<pg::ViewKind>()));
  cmd->add_option("--steps", a.env_steps,
                  "Then this many single environment steps (mid-batch views)")
      ->check(integer_in(0, 10000000));
  cmd->add_option("--edit", a.edit,
                  "Open the world editor with these edits applied (gridworlds): "
                  "\"wall R,C; pit R,C; start R,C; goal R,C; floor R,C; reward R,C=V; slip P; "
                  "gamma G\"")
      ->check(not_empty("edits such as \"wall 1,2; slip 0.1\" (wall|floor|start|goal|pit R,C; "
                        "reward R,C=V|default; slip P; gamma G)"));
  cmd->add_option("--at", a.at,
                  "Time travel: the views show iteration K of the run (replayed from snapshots)")
      ->check(integer_in(0, 10000000));
  cmd->add_option("--fork", a.fork,
                  "key=value: fork the iteration shown with this live setting changed; the fork "
                  "catches up with the run (pictures side by side, curves overlaid)")
      ->check(not_empty("key=value, e.g. --fork algorithm.lr=0.3"));
  cmd->add_option("--fork-at", a.fork_at, "Fork at iteration K (default: the iteration shown)")
      ->check(integer_in(0, 10000000));
  cmd->add_option("--size", a.size, "Window size WxH");
  cmd->add_option("--out", a.out, "Output PNG")->check(file_name());
  cmd->add_option("--frames", a.frames,
                  "Frames to draw before the picture (default 3); with --frame-times, the frames "
                  "timed (after 2 untimed warm-up frames)")
      ->check(integer_in(1, 100000));  // the window's own limit (gui_main.cpp)
  cmd->add_option("--scale", a.scale, "Presenter scale of the whole layout (1 = off)")
      ->check(number_in(1.0, 2.5));
  add_switch(*cmd, "--check-clipping", a.check_clipping,
             "List text the frame clipped on stderr (\"clipped text: N\"); exit 1 if any");
  add_switch(*cmd, "--fold-controls", a.fold_controls, "Fold the controls column to its slim bar");
  add_switch(
      *cmd, "--frame-times", a.frame_times,
      "Train at full speed while drawing and print {\"median_ms\", \"p95_ms\", \"frames\"} of "
      "the --frames N timed frames");
  cmd->add_option("--lesson", a.lesson,
                  "Open a lesson (a name in assets/lessons/ or a path) as the window does")
      ->check(file_name());
  cmd->add_option("--lesson-step", a.lesson_step,
                  "Run the lesson's steps 1..K (or 'last') and show step K with its outcome; 0: "
                  "step 1 before it runs")
      ->check(not_empty("a step number K in [0, 100000] or 'last'"));
  cmd->add_option("--predict", a.predict,
                  "The student's prediction for the step shown: a choice's index (from 0) or a "
                  "number")
      ->check(not_empty("a choice's index or a number"));
  cmd->add_option("--session", a.session, "Open a session file (pglab.session/1)")
      ->check(file_name());
  cmd->add_option("--save-session", a.save_session,
                  "Save the session and the view state (pglab.session/1) before drawing")
      ->check(file_name());
  add_change_option(*cmd, a.changes);
  cmd->callback([&a] { a.chosen = true; });
}

int run_shot_cmd(const ShotArgs& a) {
  int w = 0, h = 0;
  char x = 0;
  int used = 0;  // the whole text, not a prefix ("800x600junk" was read as 800x600)
  if (std::sscanf(a.size.c_str(), "%d%c%d%n", &w, &x, &h, &used) != 3 ||
      used != static_cast<int>(a.size.size()) || (x != 'x' && x != 'X') || w < 320 || h < 200 ||
      w > 8192 || h > 8192)
    // The window's own limits (gui_main.cpp): a size the CLI passed and the window refused said
    // two different things.
    throw InputError("--size",
                     "expected WxH, width in [320, 8192] and height in [200, 8192], e.g. "
                     "1600x900; got '" +
                         printable(a.size) + "'");
  if (a.out.empty() && !a.frame_times) throw InputError("--out", "needed: the PNG file to write");
  require_not_stdout("--out", a.out, "a PNG");
  require_not_stdout("--save-session", a.save_session, "a session file");
  const bool classroom = !a.lesson.empty() || !a.session.empty();
  if (classroom &&
      (!a.scenario.scenario.empty() || !a.scenario.sets.empty() || a.scenario.seed >= 0))
    throw InputError(!a.lesson.empty() ? "--lesson" : "--session",
                     "brings its own scenario: no --scenario, --set or --seed with it");
  if (!a.lesson.empty() && !a.session.empty())
    throw InputError("--lesson", "open either a lesson or a session, not both");
  if (a.scenario.scenario.empty() && !classroom)
    throw InputError("--scenario",
                     "required (a scenario file or a shipped scenario's name), or --lesson / "
                     "--session");
  if (a.lesson.empty() && (!a.lesson_step.empty() || !a.predict.empty()))
    throw InputError(a.predict.empty() ? "--lesson-step" : "--predict", "goes with --lesson");
  if (a.fork_at >= 0 && a.fork.empty())
    throw InputError("--fork-at", "goes with --fork key=value (the setting the fork changes)");
  // Outputs never overwrite a file the window reads (--save-session may write back to --session's
  // file, as the window's Save does).
  std::optional<Scenario> scenario;
  if (!classroom) scenario = resolve(a.scenario, a.changes);
  std::vector<NamedPath> inputs =
      scenario ? scenario_inputs(*scenario, "--scenario") : std::vector<NamedPath>{};
  if (!a.lesson.empty()) inputs = lesson_inputs(a.lesson);
  require_distinct_files({{"--out", a.out}, {"--save-session", a.save_session}}, inputs);
  require_distinct_files({{"--out", a.out}}, {{"--session", a.session}});
  require_writable({{"--out", a.out}, {"--save-session", a.save_session}});
  int lesson_step = 0;
  if (a.lesson_step == "last") {
    lesson_step = -1;
  } else if (!a.lesson_step.empty()) {
    char* end = nullptr;
    const long k = std::strtol(a.lesson_step.c_str(), &end, 10);
    if (*end != '\0' || k < 0 || k > 100000)
      throw InputError("--lesson-step", "expected a step number K in [0, 100000] or 'last'; got '" +
                                            printable(a.lesson_step, 60) + "'");
    lesson_step = static_cast<int>(k);
  }
  if (!a.predict.empty()) {
    char* end = nullptr;
    const double x = std::strtod(a.predict.c_str(), &end);
    if (*end != '\0' || !std::isfinite(x))
      throw InputError("--predict", "expected a choice's index or a number; got '" +
                                        printable(a.predict, 60) + "'");
  }
#ifdef PGLAB_WITH_GUI
  pglab::gui::ShotOptions o;
  if (!classroom) {
    Scenario s = std::move(*scenario);
    const Session probe(s);
    o.changes = check_scheduled_changes(probe, parse_changes(a.changes), a.iterations);
    // The script is checked on the scenario's world before a display is opened: a refused
    // command is bad input (exit 2), with no X11 error after it. Training never changes the
    // world, so the world the window edits is this one.
    if (!a.edit.empty()) {
      if (!probe.env().grid())
        throw InputError("--edit",
                         "only gridworlds are edited by hand; this is " + probe.env().name());
      WorldEditor editor(probe.world());
      const std::string why = editor.apply_script(a.edit);
      if (!why.empty()) throw InputError("--edit", why);
    }
    o.scenario = s;
  } else if (!a.changes.empty()) {
    throw InputError("--change", "goes with --scenario (a lesson or session brings its own)");
  }
  o.lesson = a.lesson;
  o.lesson_step = lesson_step;
  o.predict = a.predict;
  o.session = a.session;
  o.save_session = a.save_session;
  o.iterations = a.iterations;
  o.env_steps = a.env_steps;
  o.view = !a.view.empty() ? a.view : classroom ? "" : "overview";
  o.width = w;
  o.height = h;
  o.out = a.out;
  o.frames = a.frames;
  o.frame_times = a.frame_times;
  o.edit = a.edit;
  o.scale = static_cast<float>(a.scale);
  o.check_clipping = a.check_clipping;
  o.fold_controls = a.fold_controls;
  o.at = a.at;
  o.fork = a.fork;
  o.fork_at = a.fork_at;
  // Training, replays and the window poll no flag: a signal ends the shot at once with its line,
  // never in the middle of writing the PNG or the session file.
  std::mutex writing;
  std::vector<std::string> written;
  o.writing = &writing;
  o.written = &written;
  int rc = 0;
  {
    const StopWatcher watch("shot", &writing, &written);
    rc = pglab::gui::run_shot(o);
  }
  if (const int sig = stop_signal()) {  // came after the watcher's last look
    std::fputs(stopped_line("shot", sig, written).c_str(), stderr);
    return exit_code_of(sig);
  }
  return rc;
#else
  std::fprintf(stderr, "pglab shot: this build has no window (PGLAB_BUILD_APP=OFF)\n");
  return kExitFailed;
#endif
}

}  // namespace pg::cli
