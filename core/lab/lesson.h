#pragma once
// Lessons, format pglab.lesson/1 (DESIGN.md §3b; the README documents it field by field): a title
// and a sequence of steps that set up a session, advance it, show text, ask for a prediction and
// check a claim against exact or sampled quantities.
//
//   Lesson l = load_lesson("assets/lessons/01-bandit-reinforce.json");   // InputError: file:line:
//   key LessonRunner r(l); for (int i = 0; i < l.steps.size(); ++i) { StepOutcome o =
//   r.run_step(i); ... }
//
// Claims are evaluated here, in core, from the session (exact oracle, update statistics) and the
// variance lab (run_variance); nothing re-implements an estimator.

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "estimator/estimator_config.h"
#include "session/session.h"
#include "util/error.h"

namespace pg {

inline constexpr const char* kLessonFormat = "pglab.lesson/1";

enum class ClaimKind {
  kExactJ,             // exact J at the current θ  op  value
  kEstimatorUnbiased,  // ‖ḡ − ∇J‖ ≤ within · s.e. for one estimator setting, K batches
  kTraceCovOrder,      // trace Cov strictly decreasing along the listed settings
  kUpdateStat,         // an update statistic (clip_fraction, ess_fraction, …) in [min, max]
  kGrpoZeroSpread,     // GRPO: a group with equal rewards exists, and its Â are all exactly 0
};

struct Claim {
  ClaimKind kind = ClaimKind::kExactJ;
  std::string text;  // the claim as the lesson states it (for the check line)
  // kExactJ
  std::string op = ">=";  // >=, <=, >, <
  double value = 0;
  // kEstimatorUnbiased, kTraceCovOrder
  std::vector<EstimatorConfig> settings;
  int samples = 200;
  double within = 3;  // standard errors
  // kUpdateStat
  std::string stat;
  double min = -1e300, max = 1e300;
};

struct Prediction {
  std::string question;
  std::vector<std::string> choices;  // multiple choice; empty: a number
  int answer = -1;                   // multiple choice: index of the right choice
  double number = 0, tolerance = 0;  // a number: the right answer and how close counts
  bool numeric() const { return choices.empty(); }
};

struct LessonStep {
  int line = 0;        // of the step in its file
  int check_line = 0;  // of its "check" (0: none, or not known)
  std::string title;
  std::string scenario;                                     // "" keeps the current one
  std::vector<std::pair<std::string, nlohmann::json>> set;  // applied (then reset) when given
  Granularity by = Granularity::kIteration;
  int count = 0;
  std::vector<std::string> views, lock, hide;
  std::string text, explanation;
  std::optional<Prediction> prediction;
  std::optional<Claim> check;
};

struct Lesson {
  std::string source;
  std::string title;
  std::string description;
  std::vector<LessonStep> steps;
};

// Parses a lesson; every problem is an InputError "file:line: key: what; allowed: …".
Lesson parse_lesson(const std::string& text, const std::string& file);
// The file load_lesson reads for `path_or_name`: a path as given, or a shipped lesson's name
// resolved in the asset directory; "" when it names no file.
std::string lesson_file_path(const std::string& path_or_name);
// A path, or a name in assets/lessons/ (with or without .json).
Lesson load_lesson(const std::string& path_or_name);
// Shipped lessons in assets/lessons/, sorted (file names without .json).
std::vector<std::string> list_lessons();

struct ClaimResult {
  bool holds = false;
  double measured = 0;  // the headline number (NaN when there is none)
  std::string detail;   // what was measured, e.g. "trace 12.1 > 5.3 > 1.2"
};

// Evaluates a claim against a session as it stands (the variance lab runs at its current θ).
// Throws InputError when the claim does not fit the session (no exact model, no such statistic),
// Cancelled (util/cancel.h) when `cancel` is set while the variance lab runs.
ClaimResult evaluate_claim(const Claim& c, const Session& s,
                           const std::atomic<bool>* cancel = nullptr);

struct StepOutcome {
  bool has_check = false;
  ClaimResult result;
  bool prediction_checked = false;  // a numeric prediction compared with the measured value
  bool prediction_right = false;
};

// A step runs in two parts, shared by `pglab lesson --check` (LessonRunner) and the window (which
// shows the step's set-up before it asks for the prediction, then runs it):
//
//   if (auto sc = lesson_step_scenario(lesson, i, current)) session = Session(*sc);   // set-up
//   StepOutcome o = run_lesson_step(lesson, i, session);                              // run
//
// The scenario step i starts a fresh session from when it names a `scenario` or `set` keys (the
// set keys applied to `current`'s scenario); nullopt when it continues `current`. `current` may be
// null only for a step that names a scenario (parse_lesson requires one in the first step).
// Throws InputError for a scenario that cannot be loaded, named by the step's place in the file
// ("lesson.json:12: steps[1]: algorithm.num_steps: …").
std::optional<Scenario> lesson_step_scenario(const Lesson& lesson, int i, const Session* current);
// e (a Session that refused the step's scenario) named by step i's place in the lesson file.
InputError lesson_step_error(const Lesson& lesson, int i, const InputError& e);
// Runs step i on s after its set-up: advances s by the step's count of its granularity, evaluates
// the claim and compares a number prediction with the claim's measured value. Throws InputError
// "file:line: steps[i].check: …" when the claim does not fit s, std::runtime_error when a fault
// stops the session.
// `cancel`: as LessonRunner's (polled by the claim's variance lab; Cancelled once set; set it on
// s too, Session::set_cancel, to stop the advances). `progress`, when given, counts the units
// done: one per advance, then one for the claim (lesson_step_units in all).
StepOutcome run_lesson_step(const Lesson& lesson, int i, Session& s,
                            const std::atomic<bool>* cancel = nullptr,
                            std::atomic<int>* progress = nullptr);
// The units run_lesson_step counts for step i: its count of advances, plus one for a claim.
int lesson_step_units(const Lesson& lesson, int i);
// The check line of a step that has run: "step N | title | claim | measured | verdict" (the
// verdict "holds" or "FAILS", and for a number prediction "; prediction x +- t right|WRONG").
std::string lesson_step_line(const Lesson& lesson, int i, const StepOutcome& o);

// The outcome of the steps a check ran, for `pglab lesson --check` and `pglab shot --lesson` alike:
// claims are counted apart from number predictions (a claim that holds still holds when the
// class's number was wrong).
struct LessonTally {
  int claims = 0;             // steps with a claim
  int claims_hold = 0;        // of those, the claims that held
  int predictions_wrong = 0;  // number predictions further from the measured value than allowed

  void add(const StepOutcome& o);
  // Every claim held and every number prediction was right: the check passes (exit 0).
  bool passed() const { return claims_hold == claims && predictions_wrong == 0; }
  // The check's last line: "K of M claims hold", then "; N number predictions wrong" if any.
  std::string summary() const;
};

// Runs a lesson's steps in order on one session.
class LessonRunner {
 public:
  // `cancel` (util/cancel.h): polled by the sessions and claims the steps run; once it is set,
  // run_step throws Cancelled.
  explicit LessonRunner(const Lesson& lesson, const std::atomic<bool>* cancel = nullptr)
      : lesson_(lesson), cancel_(cancel) {}
  // Sets up, advances, evaluates step i's claim. Steps must run in order (0, 1, …). `progress`,
  // when given, counts the step's units as run_lesson_step does.
  StepOutcome run_step(int i, std::atomic<int>* progress = nullptr);
  const Session* session() const { return session_.get(); }

 private:
  const Lesson& lesson_;
  const std::atomic<bool>* cancel_ = nullptr;
  std::unique_ptr<Session> session_;
};

// "exact_J >= -11.8" and friends, for the check line.
std::string describe(const Claim& c);

}  // namespace pg
