// The window's classroom state (issue 9): the open lesson with its steps' sessions and outcomes,
// and the File popups (Open lesson, Open session, Save session). One member of AppState; the logic
// is in gui/classroom.h, the drawing in panels/lesson_panel.cpp and panels/file_popups.cpp.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "lab/lesson.h"

namespace pglab::gui {

// What the student answered before the step ran.
struct LessonGuess {
  int choice = -1;      // multiple choice: the index picked; -1: none yet
  double number = 0.0;  // a number prediction
  bool number_given = false;
};

struct LessonStepJob;  // classroom.cpp: a step running on its own thread

struct LessonUi {
  std::shared_ptr<const pg::Lesson> lesson;  // null: no lesson open
  std::string name;                          // as opened (a name in assets/lessons/ or a path)
  int step = 0;                              // the step on show (0-based)
  // Per step: the session it starts from (after its set-up), the session after it ran, its
  // outcome and the student's prediction. A later step continues from `end` of the one before,
  // never from what the student did in between, so the numbers are those of `lesson --check`.
  std::vector<std::shared_ptr<const pg::Session>> start, end;
  std::vector<std::optional<pg::StepOutcome>> outcome;
  std::vector<LessonGuess> guess;
  // Per step: the class chose to see the views before answering ("Show the view now" on the veil
  // the views wear while a prediction waits for Run).
  std::vector<char> revealed;
  bool scroll_to_outcome = false;  // a step just finished: the lesson panel scrolls to its outcome
  // The session the lesson last put on screen: a world edited by hand since is told as set aside
  // when the lesson installs the next one (it vanished without a word).
  std::shared_ptr<const pg::Session> installed;
  // A step newly on show (Next, Back, Restart, a lesson or session opened): the lesson panel shows
  // it from its title, not at the previous step's scroll (the step child is one window for all).
  bool scroll_to_top = true;
  std::string error;  // the lesson failed to load, or a step failed to set up or run (file:line)
  bool error_is_input = false;  // error is bad input (exit 2 from the command line), not a fault
  // The step on show while it runs in the background (null otherwise): shared so the state stays
  // copyable; destroying the last reference cancels and joins it.
  std::shared_ptr<LessonStepJob> running;
};

enum class FilePopup { kNone, kOpenLesson, kOpenSession, kSaveSession };

struct SessionOpenJob;  // classroom.cpp: a session file replayed and verified on its own thread

struct FilePopupUi {
  FilePopup requested = FilePopup::kNone;  // opened at the top level next frame
  char path[1024] = "";                    // the popup's path field
  std::string message;                     // why the last open or save failed
  bool keep_message = false;               // the requested popup shows `message` (a failed open)
  // What the last opened file could not bring back (its lesson, moved or edited since); "".
  std::string opened_without;
  // The session file opening in the background (null otherwise): shared so the state stays
  // copyable; destroying the last reference cancels and joins it.
  std::shared_ptr<SessionOpenJob> opening;
};

struct ClassroomUi {
  LessonUi lesson;
  FilePopupUi files;
};

}  // namespace pglab::gui
