#include "cli/cli.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "cli/commands.h"
#include "cli/stop_signal.h"
#include "io/session_file.h"
#include "lab/lesson.h"
#include "util/cancel.h"
#include "util/error.h"
#include "util/text.h"
#ifdef PGLAB_WITH_GUI
#include "gui/gui_main.h"
#endif

namespace pg::cli {

std::string json_number(double v) {
  if (!std::isfinite(v)) return "null";
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

std::string table_cell(double v, int width, const char* fmt, bool present) {
  std::string text = "—";  // one character on screen, three bytes
  int shown = 1;
  if (present && std::isfinite(v)) {
    char buf[64];
    std::snprintf(buf, sizeof buf, fmt, v);
    text = buf;
    shown = static_cast<int>(text.size());
  }
  return std::string(static_cast<size_t>(std::max(0, width - shown)), ' ') + text;
}

int run(int argc, char** argv) {
  CLI::App app{
      "pglab: a lab for policy-gradient reinforcement learning.\n"
      "Without a subcommand it opens the window."};
  app.set_help_all_flag("--help-all", "Help for every subcommand");
  ScenarioArgs gui_scenario;
  app.add_option("--scenario", gui_scenario.scenario, "Scenario to open in the window")
      ->check(file_name());
  std::string gui_lesson, gui_session;
  app.add_option("--lesson", gui_lesson,
                 "Lesson to open in the window (a name in assets/lessons/ or a path)")
      ->check(file_name());
  app.add_option("--session", gui_session, "Session file (pglab.session/1) to open in the window")
      ->check(file_name());
  TrainArgs train;
  TraceArgs trace;
  GradArgs grad;
  ExactArgs exact;
  VarianceArgs variance;
  BenchArgs bench;
  ShotArgs shot;
  add_train(app, train);
  add_trace(app, trace);
  add_grad(app, grad);
  add_exact(app, exact);
  add_variance(app, variance);
  add_bench(app, bench);
  add_shot(app, shot);
  LessonArgs lesson;
  add_lesson(app, lesson);  // issue 9: lessons
  SeedsArgs seeds;
  add_seeds(app, seeds);  // issue 9: runs compared over seeds
  LandscapeArgs landscape;
  add_landscape(app, landscape);  // issue 10: objective landscapes
  SurrogateArgs surrogate;
  add_surrogate(app, surrogate);  // issue 10: surrogate vs truth along a step
  MeterArgs meter;
  add_meter(app, meter);  // issue 10: loss ≠ progress
  AdvantageArgs advantage;
  add_advantage(app, advantage);  // issue 10: GAE against the exact advantage
  ReplayArgs replay;
  add_replay(app, replay);  // issue 10: time travel
  ImportanceArgs importance;
  add_importance(app, importance);  // issue 10: the importance-sampling inspector
  app.require_subcommand(0, 1);

  if (const std::string e = switch_value_error(argc, argv); !e.empty()) {
    std::fprintf(stderr, "pglab: %s\n", e.c_str());
    return kExitUsage;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    // One line, like every other bad-input message, in our words (never CLI11's own).
    std::fprintf(stderr, "pglab: %s\n", parse_error_message(e, app).c_str());
    return kExitUsage;
  }

  try {
    if (train.chosen) return run_train(train);
    if (trace.chosen) return run_trace(trace);
    if (grad.chosen) return run_grad(grad);
    if (exact.chosen) return run_exact(exact);
    if (variance.chosen) return run_variance_cmd(variance);
    if (bench.chosen) return run_bench(bench);
    if (shot.chosen) return run_shot_cmd(shot);
    if (lesson.chosen) return run_lesson(lesson);
    if (seeds.chosen) return run_seeds_cmd(seeds);
    if (landscape.chosen) return run_landscape(landscape);
    if (surrogate.chosen) return run_surrogate(surrogate);
    if (meter.chosen) return run_meter_cmd(meter);
    if (advantage.chosen) return run_advantage_cmd(advantage);
    if (replay.chosen) return run_replay(replay);
    if (importance.chosen) return run_importance_cmd(importance);
    // The window opens one thing, as `shot` does: a lesson or a session brings its own scenario.
    if (!gui_lesson.empty() && !gui_session.empty())
      throw InputError("--lesson", "open either a lesson or a session, not both");
    if ((!gui_lesson.empty() || !gui_session.empty()) && !gui_scenario.scenario.empty())
      throw InputError(!gui_lesson.empty() ? "--lesson" : "--session",
                       "brings its own scenario: no --scenario with it");
#ifdef PGLAB_WITH_GUI
    pglab::gui::GuiOptions o;
    o.scenario = gui_scenario.scenario;
    o.lesson = gui_lesson;
    o.session = gui_session;
    return pglab::gui::run_gui(o);
#else
    // No window in this build: a bad --scenario, --lesson or --session is still bad input (exit 2),
    // as in the window's build without a display.
    if (!gui_scenario.scenario.empty()) load_scenario(gui_scenario.scenario);
    if (!gui_lesson.empty()) load_lesson(gui_lesson);
    if (!gui_session.empty()) load_session_file(gui_session);
    std::fputs(app.help().c_str(), stdout);
    return kExitOk;
#endif
  } catch (const InputError& e) {
    std::fprintf(stderr, "pglab: %s\n", e.what());
    return kExitUsage;
  } catch (const Cancelled&) {
    // Long work polled the stop flag (stop_signal.h) and stopped before writing anything.
    return report_stopped(grad.chosen         ? "grad"
                          : exact.chosen      ? "exact"
                          : variance.chosen   ? "variance"
                          : landscape.chosen  ? "landscape"
                          : surrogate.chosen  ? "surrogate"
                          : meter.chosen      ? "meter"
                          : advantage.chosen  ? "advantage"
                          : replay.chosen     ? "replay"
                          : importance.chosen ? "importance"
                                              : "train");
  } catch (const std::exception& e) {
    // Not bad input (that is an InputError, thrown at the boundary): the work failed. One line,
    // exit 1, never an abort.
    std::fprintf(stderr, "pglab: failed: %s\n", printable(e.what(), kMessageMax).c_str());
    return kExitFailed;
  }
}

}  // namespace pg::cli
