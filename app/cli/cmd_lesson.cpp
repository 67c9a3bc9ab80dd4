// pglab lesson --check F: runs a pglab.lesson/1 file headless and verifies every claim, one line
// per step (number, title, claim, measured value, verdict). Exit 0 when all hold (claims and number
// predictions), 1 when one fails, 2 for a bad file.
#include <cmath>
#include <cstdio>

#include "cli/commands.h"
#include "cli/progress.h"
#include "cli/stop_signal.h"
#include "lab/lesson.h"
#include "util/cancel.h"
#include "util/text.h"

namespace pg::cli {

void add_lesson(CLI::App& app, LessonArgs& a) {
  CLI::App* cmd =
      app.add_subcommand("lesson", "Run a lesson (pglab.lesson/1) headless and check its claims");
  cmd->add_option("--check", a.check, "Lesson file, or a name in assets/lessons/")
      ->required()
      ->check(file_name());
  cmd->callback([&a] { a.chosen = true; });
}

int run_lesson(const LessonArgs& a) {
  const Lesson lesson = load_lesson(a.check);
  std::printf("lesson: %s (%zu steps)\n", printable(lesson.title, 200).c_str(),
              lesson.steps.size());
  catch_stop_signals();
  LessonRunner runner(lesson, stop_flag());
  LessonTally tally;
  for (size_t i = 0; i < lesson.steps.size(); ++i) {
    StepOutcome o;
    try {
      if (stop_signal()) throw Cancelled();
      // A step's advances and its claim (the variance lab's K batches: minutes for a large K) run
      // without output until the step's line: on a terminal they are counted, and the count's
      // line is cleared before the step's.
      const std::string what = "pglab lesson: step " + std::to_string(i + 1) + " of " +
                               std::to_string(lesson.steps.size());
      StderrProgress progress(what.c_str(), lesson_step_units(lesson, static_cast<int>(i)),
                              "advances and claims");
      o = runner.run_step(static_cast<int>(i), &progress.done);
    } catch (const Cancelled&) {
      const int sig = stop_signal();
      std::fprintf(stderr, "pglab lesson: stopped by %s at step %zu of %zu\n", signal_name(sig),
                   i + 1, lesson.steps.size());
      return exit_code_of(sig);
    }
    std::printf("%s\n", lesson_step_line(lesson, static_cast<int>(i), o).c_str());
    std::fflush(stdout);
    tally.add(o);
  }
  std::printf("%s\n", tally.summary().c_str());
  return tally.passed() ? kExitOk : kExitFailed;
}

}  // namespace pg::cli
