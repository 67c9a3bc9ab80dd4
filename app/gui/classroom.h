// The classroom logic of the window (issue 9), apart from its drawing: lessons step by step on the
// window's session, the controls a lesson step locks or hides, and session files with the view
// state. A step is set up and run by core/lab/lesson.h (lesson_step_scenario, run_lesson_step),
// the same functions `pglab lesson --check` uses, so the window shows the numbers --check prints.
// Every failure is a message in the window (state.classroom); what is open stays open.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "gui/app_state.h"

namespace pglab::gui {

// --- Lessons ---
// Opens a lesson (a name in assets/lessons/ or a path) and sets up its first step. On failure
// (file:line message in lesson.error) a lesson that was open stays open.
bool open_lesson(AppState& state, const std::string& name_or_path);
void close_lesson(AppState& state);
// Shows step i, set up (its scenario or keys applied, the session it starts from installed, its
// first view in front) but not run. i may be at most one past the last step that ran.
bool show_lesson_step(AppState& state, int i);
// Restart: step 1 set up again and every prediction cleared (the next class starts blank).
bool restart_lesson(AppState& state);
// While the step on show asks a prediction and has not run, every view but the Overview is veiled
// (it could show the answer: the variance lab's table, the last update's clip statistics) until
// the class answers and runs it, or reveals them (reveal_views).
bool views_veiled(const AppState& state);
void reveal_views(AppState& state);
// Runs the step on show (advance, claim, prediction) and installs the session it ends with, waiting
// for it (the command line, tests). The window starts it in the background instead:
bool run_shown_step(AppState& state);
// Starts the step on show on a background thread (a copy of its start session); the window keeps
// drawing. update_lesson() installs the result once it is done.
bool start_shown_step(AppState& state);
// Once per frame: a finished step's session and outcome are installed (or its error shown).
void update_lesson(AppState& state);
bool lesson_step_running(const AppState& state);
// 0..1 while a step runs (advances done, then the claim); < 0 when none runs.
double lesson_step_progress(const AppState& state);
// Stops the running step; the step stays on show, not run.
void cancel_lesson_step(AppState& state);
// The student's prediction for step i: whether it can be judged (one was given) and was right. A
// choice is right when it is the lesson's answer; a number when it lies within the lesson's
// tolerance of the measured value.
bool prediction_judged(const AppState& state, int i);
bool prediction_right(const AppState& state, int i);
// Whether the step on show locks or hides the control of a scenario key ("estimator.baseline").
bool control_locked(const AppState& state, const char* key);
bool control_hidden(const AppState& state, const char* key);

// --- Session files (pglab.session/1) ---
// The window's view state as stored in a session file's "views" object: the view in front, the
// step granularity, the pace, the per-view settings that are plain values, and the open lesson's
// progress ("lesson": its name, the step on show, each step's prediction and outcome).
nlohmann::json view_state_json(const AppState& state);
// Replaces the session by the file's (replayed and verified by core/io/session_file.h) and
// restores its view state. On any problem (unreadable, damaged, another format version, view state
// out of range) nothing changes; the message is in classroom.files.message and the status line.
bool open_session(AppState& state, const std::string& path);
// The window's way: the file is read, replayed and verified on a background thread (a long run's
// file takes seconds) while the window keeps drawing, with the old session on show and a Cancel.
// update_session_open() installs it once done, as open_session() would; a failure leaves the old
// session, puts the message in classroom.files.message and reopens the Open session popup
// (`reopen_popup`: the File menu's way; false for the command line's --session, whose message goes
// to the scenario error instead).
void start_open_session(AppState& state, const std::string& path, bool reopen_popup = true);
void update_session_open(AppState& state);
bool session_opening(const AppState& state);
// The path being opened and the seconds it has taken so far (session_opening() only).
std::string session_opening_path(const AppState& state);
double session_opening_seconds(const AppState& state);
void cancel_open_session(AppState& state);
// Saves the current session with the view state. Only between iterations (else a message).
bool save_session(AppState& state, const std::string& path);
// pglab-session-<iteration>-<scenario>[-k].json, a name no file in the working directory has.
std::string default_session_name(const AppState& state);

}  // namespace pglab::gui
