#pragma once
// The "views" object of a session file (README "Session files"): the window's view state. It is
// read and checked here, in one place, so every loader refuses the same files with the same
// message — `pglab train --load` and `replay --load` (session_from_json), `shot --session` and the
// window's File → Open session. The window writes the object (app/gui/classroom.cpp,
// view_state_json) and applies what read_view_state returns.
//
// Unknown keys are left alone (the object is additive: a newer pglab may save more); a known key
// of the wrong type or out of its range refuses the file.

#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "io/scenario_enums.h"
#include "lab/lesson.h"
#include "session/session.h"

namespace pg {

// A per-view setting a session file keeps: a plain value with the range its widget allows (a
// value out of range is refused, never clamped). One table for the window's saving and restoring
// and for this check.
enum class ViewFieldType { kBool, kInt, kReal };
struct ViewField {
  const char* view;  // "variance"
  const char* key;   // "samples": per_view.variance.samples
  ViewFieldType type;
  double lo, hi;  // inclusive; kBool: 0, 1
};
inline constexpr ViewField kViewFields[] = {
    {"overview", "color_mode", ViewFieldType::kInt, 0, 1},
    {"variance", "samples", ViewFieldType::kInt, 20, 1000},
    {"variance", "auto_update", ViewFieldType::kBool, 0, 1},
    {"baseline", "fork_iterations", ViewFieldType::kInt, 10, 500},
    {"baseline", "compare_baseline", ViewFieldType::kInt, 0, 64},
    {"baseline", "auto_update", ViewFieldType::kBool, 0, 1},
    {"inspector", "trajectory", ViewFieldType::kInt, 0, 1000000},
    {"inspector", "step", ViewFieldType::kInt, 0, 10000000},
    {"rollout", "trajectory", ViewFieldType::kInt, 0, 1000000},
    {"rollout", "playing", ViewFieldType::kBool, 0, 1},
    {"rollout", "steps_per_second", ViewFieldType::kReal, 1, 100},
    {"rollout", "ghosts", ViewFieldType::kBool, 0, 1},
    {"rollout", "trail", ViewFieldType::kBool, 0, 1},
    {"clip", "eps", ViewFieldType::kReal, -1, 10},
    {"clip", "eps_touched", ViewFieldType::kBool, 0, 1},
    {"clip", "epoch", ViewFieldType::kInt, 0, 1},
    {"clip", "minibatch", ViewFieldType::kInt, -1, 4096},
    {"advantage", "trajectory", ViewFieldType::kInt, -1, 1000000},
    {"advantage", "lambda", ViewFieldType::kReal, 0, 1},
    {"advantage", "n", ViewFieldType::kInt, 1, 64},
    {"advantage", "synced", ViewFieldType::kBool, 0, 1},
    {"importance", "top_k", ViewFieldType::kInt, 4, 24},
    {"importance", "paint", ViewFieldType::kInt, 0, 1},
    {"importance", "temperature", ViewFieldType::kReal, 0.1, 10},
    {"grpo", "spread_first", ViewFieldType::kBool, 0, 1},
    {"npg", "show_exact", ViewFieldType::kBool, 0, 1},
};
// The row of per_view.<view>.<key>; null when the table has none.
const ViewField* find_view_field(std::string_view view, std::string_view key);

// A lesson's progress as the file keeps it ("lesson": {"name", "title", "step", "steps"}).
struct LessonStepProgress {
  int choice = -1;  // the choice predicted; -1: none
  double number = 0.0;
  bool number_given = false;
  std::optional<StepOutcome> outcome;  // the step ran
};
struct LessonProgress {
  std::string name;                       // as opened: a name in assets/lessons/ or a path
  std::shared_ptr<const Lesson> lesson;   // opened again from `name`
  int step = 0;                           // the step on show, from 0
  std::vector<LessonStepProgress> steps;  // one per step of the lesson
};

// The Compare menu's runs ("compare": {"pins", "seeds", "fork"}), so a file reopened shows the
// runs it was compared with: pinned curves as they were, the N-seed band (recomputed on open) and
// the fork (made again from the opened run at its iteration with the same setting).
inline constexpr int kMaxComparePins = 6;  // more dimmed curves than this stop being readable
// A pin keeps at most this many rows of its curve (the plots draw 600 points).
inline constexpr int kMaxComparePinRows = 600;
// The seed band: 2 … 32 seeds (the Compare menu's slider), 0 … 100 000 iterations each (0: the
// scenario's algorithm.iterations).
inline constexpr int kMinCompareSeeds = 2, kMaxCompareSeeds = 32;
inline constexpr int kMaxCompareSeedIterations = 100000;
struct ComparePin {
  std::string name;                   // the legend's run name
  Scenario scenario;                  // its settings ("scenario": as a session file's own)
  std::vector<IterationRecord> rows;  // its curve, rows as in the file's "history"
};
struct CompareSeeds {
  int count = 5;       // [2, 32] seeds S … S+N−1 (S the scenario's seed)
  int iterations = 0;  // [0, 100000] per seed; 0: the scenario's algorithm.iterations
};
struct CompareFork {
  int at = 0;            // the iteration it branched at, in [0, the file's position.iteration]
  std::string key;       // a live key (session/live_params.h), "seed" or "estimator"
  nlohmann::json value;  // "estimator": {"returns", "baseline", "normalize", "discount_weighting"}
};
struct CompareState {
  std::vector<ComparePin> pins;  // at most kMaxComparePins
  std::optional<CompareSeeds> seeds;
  std::optional<CompareFork> fork;
};
// `scenario` with the fork's setting (key, value) applied, as the fork will run it; throws
// InputError naming the key when the value is refused. "seed" sets the seed.
Scenario forked_scenario(const Scenario& scenario, const std::string& key,
                         const nlohmann::json& value);

// A step granularity's name in files and APIs: "env-step", "episode", … (lessons' advance.by,
// views.granularity, Python's Session.advance); name_of(g) is the display label ("env step").
const char* key_of(Granularity g);
// g for its key, or for its display label (session files written before the key held "env step");
// false for anything else.
bool granularity_from_key(const std::string& key, Granularity* g);
// "env-step, episode, batch, estimate, update, iteration": the keys, for a message.
std::string granularity_keys();

// What a "views" object restores; absent keys stay empty.
struct ViewState {
  std::optional<ViewKind> view;
  std::optional<Granularity> granularity;
  std::optional<double> iterations_per_second;
  std::optional<bool> unlimited_speed;
  // "variance.samples" → 200, each checked against kViewFields (true and false as 1 and 0).
  std::map<std::string, double> per_view;
  std::optional<LessonProgress> lesson;
  // Why the lesson the file names was not opened (moved, deleted, or edited since: another
  // title); the run opens without it, its progress read as its shape alone. "" otherwise.
  std::string lesson_unopened;
  std::optional<CompareState> compare;
};

// `fail(key, what)` must throw; key is the full path in the file ("views.per_view.clip.eps"), so
// a caller holding the file's text can name its line.
using ViewStateFail = std::function<void(const std::string& key, const std::string& what)>;
// open_lesson: read "lesson" back against the lesson it names (opened again from its file: the
// window, shot --session; a lesson that cannot be opened is ViewState::lesson_unopened, and a
// malformed progress still a refusal); false: only its shape (train/replay --load and Python, which
// never use the lesson, load a session whose lesson was moved or edited since). iteration: the
// file's position.iteration, fork.at's upper bound (-1: unknown, any iteration).
ViewState read_view_state(const nlohmann::json& views, const ViewStateFail& fail,
                          bool open_lesson = true, long iteration = -1);
// The same, failing with InputError "file: views.key: what is allowed".
ViewState read_view_state(const nlohmann::json& views, const std::string& file);

}  // namespace pg
