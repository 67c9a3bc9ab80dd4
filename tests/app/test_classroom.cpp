// The window's classroom logic without a window (gui/classroom.h, issue 9): every shipped lesson
// run through the window's path gives the numbers `pglab lesson --check` gives, bit for bit; a
// step's locks and hides reach the controls' query; predictions are judged; Back re-runs the same
// numbers; a lesson or session file that cannot be opened leaves what is open untouched; and the
// view state survives a session file.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <thread>

#include "algo/records.h"
#include "gui/classroom.h"
#include "gui/compare/compare.h"
#include "gui/panels/world_editor.h"
#include "gui/plot/plot.h"
#include "gui/time_travel/time_travel.h"
#include "io/session_file.h"
#include "lab/clip_cases.h"
#include "util/input_file.h"
#include "util/text.h"

namespace {

using namespace pglab::gui;

bool same_bits(double a, double b) {
  return std::memcmp(&a, &b, sizeof a) == 0;
}

std::string work_dir() {
  const std::string d = (std::filesystem::temp_directory_path() / "pglab_test_classroom").string();
  std::filesystem::create_directories(d);
  return d;
}

std::string read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void write(const std::string& path, const std::string& text) {
  std::ofstream(path) << text;
}

TEST(Classroom, EveryShippedLessonInTheWindowMatchesTheHeadlessRunner) {
  const std::vector<std::string> names = pg::list_lessons();
  ASSERT_GE(names.size(), 7u);
  for (const std::string& name : names) {
    SCOPED_TRACE(name);
    AppState state;
    ASSERT_TRUE(open_lesson(state, name)) << state.classroom.lesson.error;
    const pg::Lesson headless_lesson = pg::load_lesson(name);
    pg::LessonRunner headless(headless_lesson);
    const int n = static_cast<int>(headless_lesson.steps.size());
    for (int i = 0; i < n; ++i) {
      if (i > 0) {
        ASSERT_TRUE(show_lesson_step(state, i)) << state.classroom.lesson.error;
      }
      ASSERT_TRUE(run_shown_step(state)) << state.classroom.lesson.error;
      const pg::StepOutcome& w = *state.classroom.lesson.outcome[static_cast<size_t>(i)];
      const pg::StepOutcome h = headless.run_step(i);
      EXPECT_EQ(w.has_check, h.has_check);
      EXPECT_TRUE(!w.has_check || w.result.holds) << "step " << i + 1 << ": " << w.result.detail;
      EXPECT_EQ(w.result.holds, h.result.holds);
      EXPECT_TRUE(same_bits(w.result.measured, h.result.measured) ||
                  (std::isnan(w.result.measured) && std::isnan(h.result.measured)))
          << w.result.measured << " vs " << h.result.measured;
      EXPECT_EQ(w.result.detail, h.result.detail);
      // The window runs the step's end session: θ as the headless runner has it.
      const pg::Session& now = *state.runner->snapshot().session;
      EXPECT_EQ(now.iteration(), headless.session()->iteration());
      EXPECT_TRUE(now.policy().params() == headless.session()->policy().params());
    }
  }
}

// A step whose claim counts one of PPO's clip cases shows the clip view on the epoch that holds
// them: lesson 6 step 5's 21 samples with Â > 0, r < 1−ε are all in the update's first epoch, and
// the view opened on the last, where there are none (audit a9 F2).
TEST(Classroom, AClipCaseStepShowsTheEpochThatHoldsTheCase) {
  AppState state;
  ASSERT_TRUE(open_lesson(state, "06-ppo-clip")) << state.classroom.lesson.error;
  const int last = static_cast<int>(state.classroom.lesson.lesson->steps.size()) - 1;
  for (int i = 0; i < last; ++i) {
    ASSERT_TRUE(run_shown_step(state)) << state.classroom.lesson.error;
    ASSERT_TRUE(show_lesson_step(state, i + 1)) << state.classroom.lesson.error;
  }
  ASSERT_EQ(state.classroom.lesson.lesson->steps[last].check->stat, "clip_frac_low_pos");
  const pg::Session& s = *state.runner->snapshot().session;
  const pg::PpoUpdateRecord* rec = s.algorithm().clip_record();
  ASSERT_NE(rec, nullptr);
  const int epoch = state.views.clip.epoch;
  const std::vector<double>& r = epoch == 0 ? rec->ratio_first : rec->ratio_last;
  const std::vector<double>& a = epoch == 0 ? rec->adv_first : rec->adv_last;
  const pg::ClipCaseTable shown = pg::count_clip_cases(
      r.data(), a.data(), static_cast<long>(r.size()), s.scenario().ppo.clip_eps);
  EXPECT_GT(shown.at(pg::ClipCase::kPosBelow), 0)
      << "the clip view's epoch " << epoch << " has no sample of the step's case";
}

TEST(Classroom, StepLocksHidesPredictionsAndBack) {
  AppState state;
  ASSERT_TRUE(open_lesson(state, "01-bandit-reinforce"));
  // Step 1 locks the estimator's returns and baseline (assets/lessons/01-bandit-reinforce.json).
  EXPECT_TRUE(control_locked(state, "estimator.returns"));
  EXPECT_TRUE(control_locked(state, "estimator.baseline"));
  EXPECT_FALSE(control_locked(state, "algorithm.lr"));
  EXPECT_FALSE(control_hidden(state, "estimator.baseline"));
  EXPECT_EQ(state.view, View::Variance);  // the step's first view
  // A wrong choice, judged after the run (the right one, "Within noise", is the second).
  state.classroom.lesson.guess[0].choice = 0;
  EXPECT_FALSE(prediction_judged(state, 0));  // not before the step has run
  ASSERT_TRUE(run_shown_step(state));
  EXPECT_TRUE(prediction_judged(state, 0));
  EXPECT_FALSE(prediction_right(state, 0));
  state.classroom.lesson.guess[0].choice = 2;
  EXPECT_FALSE(prediction_right(state, 0));
  state.classroom.lesson.guess[0].choice = 1;
  EXPECT_TRUE(prediction_right(state, 0));
  // Step 2: no locks; a number prediction within the tolerance (0.07) of the measured J.
  ASSERT_TRUE(show_lesson_step(state, 1));
  EXPECT_FALSE(control_locked(state, "estimator.baseline"));
  state.classroom.lesson.guess[1] = {-1, 0.70, true};
  ASSERT_TRUE(run_shown_step(state));
  const double J = state.classroom.lesson.outcome[1]->result.measured;
  EXPECT_EQ(std::abs(0.70 - J) <= 0.07, prediction_right(state, 1)) << J;
  state.classroom.lesson.guess[1].number = J + 0.071;
  EXPECT_FALSE(prediction_right(state, 1));
  // Back and run again: the same numbers (the step restarts from its own start, not from what
  // happened since).
  state.runner->run_iterations(5);  // the student trains on; it does not count
  ASSERT_TRUE(show_lesson_step(state, 1));
  EXPECT_FALSE(state.classroom.lesson.outcome[1].has_value());
  ASSERT_TRUE(run_shown_step(state));
  EXPECT_TRUE(same_bits(state.classroom.lesson.outcome[1]->result.measured, J));
  // A step can only be shown once the one before it has run.
  ASSERT_TRUE(show_lesson_step(state, 0));
  EXPECT_FALSE(show_lesson_step(state, 1));
}

TEST(Classroom, ViewsWaitForThePredictionAndRestartClearsTheAnswers) {
  AppState state;
  ASSERT_TRUE(open_lesson(state, "01-bandit-reinforce"));
  // Step 1 asks a prediction and checks unbiasedness over 5000 batches: until it runs, the views
  // are veiled (the variance table would answer it); the variance view draws the claim's K (past
  // its slider's 1000).
  EXPECT_TRUE(views_veiled(state));
  EXPECT_EQ(state.views.variance.samples, 5000);
  reveal_views(state);
  EXPECT_FALSE(views_veiled(state));
  ASSERT_TRUE(show_lesson_step(state, 0));  // shown again: veiled again
  EXPECT_TRUE(views_veiled(state));
  state.classroom.lesson.guess[0].choice = 0;
  ASSERT_TRUE(run_shown_step(state));
  EXPECT_FALSE(views_veiled(state));              // the answer is out
  EXPECT_EQ(state.views.variance.samples, 5000);  // after the run installed its session too
  ASSERT_TRUE(show_lesson_step(state, 1));
  EXPECT_TRUE(views_veiled(state));
  state.classroom.lesson.guess[1] = {-1, 0.70, true};
  // Back keeps the class's answers; Restart (the next class) clears them all.
  ASSERT_TRUE(show_lesson_step(state, 0));
  EXPECT_EQ(state.classroom.lesson.guess[0].choice, 0);
  EXPECT_TRUE(state.classroom.lesson.guess[1].number_given);
  ASSERT_TRUE(restart_lesson(state));
  EXPECT_EQ(state.classroom.lesson.step, 0);
  EXPECT_EQ(state.classroom.lesson.guess[0].choice, -1);
  EXPECT_FALSE(state.classroom.lesson.guess[1].number_given);
}

TEST(Classroom, HiddenAndLockedKeysFollowTheStepOnShow) {
  const std::string path = work_dir() + "/hide.json";
  write(path,
        "{\"format\": \"pglab.lesson/1\", \"title\": \"t\", \"steps\": [\n"
        " {\"title\": \"a\", \"scenario\": \"bandit-reinforce\", \"hide\": "
        "[\"estimator.baseline\", \"algorithm.lr\"], \"lock\": [\"estimator.returns\"]},\n"
        " {\"title\": \"b\", \"set\": {\"algorithm.lr\": 0.2}}]}\n");
  AppState state;
  ASSERT_TRUE(open_lesson(state, path)) << state.classroom.lesson.error;
  EXPECT_TRUE(control_hidden(state, "estimator.baseline"));
  EXPECT_TRUE(control_hidden(state, "algorithm.lr"));
  EXPECT_FALSE(control_hidden(state, "estimator.returns"));
  EXPECT_TRUE(control_locked(state, "estimator.returns"));
  ASSERT_TRUE(run_shown_step(state));
  ASSERT_TRUE(show_lesson_step(state, 1));  // the next step hides and locks nothing
  EXPECT_FALSE(control_hidden(state, "algorithm.lr"));
  EXPECT_FALSE(control_locked(state, "estimator.returns"));
  EXPECT_EQ(state.runner->snapshot().session->scenario().algorithm.lr, 0.2);
  close_lesson(state);
  EXPECT_FALSE(control_locked(state, "estimator.returns"));
}

// A world edited by hand during a step is replaced by the step's own world when the lesson moves
// on, and the status line says so (audit a16: the walls vanished without a word).
TEST(Classroom, WorldEditsALessonSetsAsideAreSaid) {
  AppState state;
  ASSERT_TRUE(open_lesson(state, "02-causality"));
  ASSERT_EQ(apply_world_script(state, "wall 1,1"), "");
  ASSERT_TRUE(show_lesson_step(state, 0));
  EXPECT_NE(state.status.find("the world edits made meanwhile were set aside"), std::string::npos)
      << state.status;
  ASSERT_TRUE(show_lesson_step(state, 0));  // nothing edited since: nothing to say
  EXPECT_EQ(state.status.find("set aside"), std::string::npos) << state.status;
}

TEST(Classroom, ALessonThatFailsToLoadKeepsTheOpenOne) {
  const std::string bad = work_dir() + "/bad-lesson.json";
  write(bad,
        "{\"format\": \"pglab.lesson/1\", \"title\": \"t\",\n"
        " \"steps\": [{\"title\": \"x\", \"scenario\": \"bandit-reinforce\",\n"
        "            \"check\": {\"claim\": \"exact_j\"}}]}\n");
  AppState state;
  EXPECT_FALSE(open_lesson(state, bad));
  EXPECT_EQ(state.classroom.lesson.lesson, nullptr);
  EXPECT_NE(state.classroom.lesson.error.find("bad-lesson.json:3: steps[0].check.claim"),
            std::string::npos)
      << state.classroom.lesson.error;
  ASSERT_TRUE(open_lesson(state, "02-causality"));
  const pg::Lesson* open = state.classroom.lesson.lesson.get();
  EXPECT_FALSE(open_lesson(state, bad));
  EXPECT_EQ(state.classroom.lesson.lesson.get(), open);
  EXPECT_FALSE(state.classroom.lesson.error.empty());
}

// A session at iteration 3 with view state; the file it saves.
struct Saved {
  AppState state;
  std::string path;
  Eigen::VectorXd theta;
};

void make_saved(Saved& s, const std::string& name) {
  ASSERT_TRUE(load_file_into(s.state, "gridworld-reinforce"));
  ASSERT_TRUE(s.state.runner->run_iterations(3));
  s.state.view = View::Inspector;
  s.state.granularity = pg::Granularity::kEpisode;
  s.state.views.overview.color_mode = 1;
  s.state.views.inspector.trajectory = 2;  // chosen, as a click in the view chooses it
  s.state.views.inspector.placed = true;
  s.state.views.variance.samples = 300;
  s.path = work_dir() + "/" + name;
  std::filesystem::remove(s.path);
  ASSERT_TRUE(save_session(s.state, s.path)) << s.state.classroom.files.message;
  s.theta = s.state.runner->snapshot().session->policy().params();
}

// The window writes views.granularity as the key ("env-step", as lessons and Python spell it), not
// its button's label "env step", and reads it back (audit a8 F9).
TEST(Classroom, SessionFileWritesTheGranularityKey) {
  AppState state;
  ASSERT_TRUE(load_file_into(state, "bandit-reinforce"));
  ASSERT_TRUE(state.runner->run_iterations(1));
  state.granularity = pg::Granularity::kEnvStep;
  const std::string path = work_dir() + "/granularity.json";
  std::filesystem::remove(path);
  ASSERT_TRUE(save_session(state, path)) << state.classroom.files.message;
  EXPECT_EQ(nlohmann::json::parse(read(path))["views"]["granularity"], "env-step");
  AppState other;
  ASSERT_TRUE(load_file_into(other, "gridworld-reinforce"));
  ASSERT_TRUE(open_session(other, path)) << other.classroom.files.message;
  EXPECT_EQ(other.granularity, pg::Granularity::kEnvStep);
}

TEST(Classroom, SessionFileRestoresTheSessionAndTheViewState) {
  Saved saved;
  make_saved(saved, "round-trip.json");
  AppState other;
  ASSERT_TRUE(load_file_into(other, "bandit-reinforce"));
  ASSERT_TRUE(open_session(other, saved.path)) << other.classroom.files.message;
  const pg::Session& s = *other.runner->snapshot().session;
  EXPECT_EQ(s.iteration(), 3);
  EXPECT_TRUE(s.policy().params() == saved.theta);
  EXPECT_EQ(other.view, View::Inspector);
  EXPECT_EQ(other.granularity, pg::Granularity::kEpisode);
  EXPECT_EQ(other.views.overview.color_mode, 1);
  EXPECT_EQ(other.views.inspector.trajectory, 2);
  EXPECT_EQ(other.views.variance.samples, 300);
  // Continuing is the run that never stopped (the core's guarantee, through the window's runner).
  ASSERT_TRUE(other.runner->run_iterations(2));
  ASSERT_TRUE(saved.state.runner->run_iterations(2));
  EXPECT_TRUE(other.runner->snapshot().session->policy().params() ==
              saved.state.runner->snapshot().session->policy().params());
  // Default names never collide with an existing file.
  const std::string name = default_session_name(saved.state);
  EXPECT_FALSE(pg::path_exists(name));
}

// The window opens a session file in the background (a long run's file takes seconds to replay):
// once done it is installed exactly as open_session() installs it; a damaged file leaves the open
// session and asks for the Open session popup again with the message; Cancel discards the open.
void finish_open(AppState& state) {
  for (int i = 0; i < 20000 && session_opening(state); ++i) {
    update_session_open(state);
    if (session_opening(state)) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ASSERT_FALSE(session_opening(state)) << "the open did not finish in 20 s";
}

TEST(Classroom, TheWindowOpensASessionInTheBackgroundAsOpenSessionDoes) {
  Saved saved;
  make_saved(saved, "background.json");
  AppState other;
  ASSERT_TRUE(load_file_into(other, "bandit-reinforce"));
  start_open_session(other, saved.path);
  EXPECT_TRUE(session_opening(other));
  EXPECT_EQ(session_opening_path(other), saved.path);
  finish_open(other);
  ASSERT_TRUE(other.classroom.files.message.empty()) << other.classroom.files.message;
  const pg::Session& s = *other.runner->snapshot().session;
  EXPECT_EQ(s.iteration(), 3);
  EXPECT_TRUE(s.policy().params() == saved.theta);
  EXPECT_EQ(other.view, View::Inspector);
  EXPECT_EQ(other.views.inspector.trajectory, 2);
  EXPECT_EQ(other.status.rfind("opened ", 0), 0u) << other.status;
  // Continuing is the run that never stopped.
  ASSERT_TRUE(other.runner->run_iterations(2));
  ASSERT_TRUE(saved.state.runner->run_iterations(2));
  EXPECT_TRUE(other.runner->snapshot().session->policy().params() ==
              saved.state.runner->snapshot().session->policy().params());

  // A damaged file: the open session stays; the popup comes back with the message.
  const std::string bad = work_dir() + "/background-bad.json";
  write(bad, read(saved.path).substr(0, 200));
  const SessionRunner* runner = other.runner.get();
  start_open_session(other, bad);
  finish_open(other);
  EXPECT_EQ(other.runner.get(), runner);
  EXPECT_NE(other.classroom.files.message.find("background-bad.json"), std::string::npos)
      << other.classroom.files.message;
  EXPECT_EQ(other.classroom.files.requested, FilePopup::kOpenSession);
  EXPECT_TRUE(other.classroom.files.keep_message);
  // From the command line (--session) the message goes to the scenario error instead.
  other.classroom.files.requested = FilePopup::kNone;
  start_open_session(other, bad, false);
  finish_open(other);
  EXPECT_EQ(other.classroom.files.requested, FilePopup::kNone);
  EXPECT_EQ(other.scenario_error, other.classroom.files.message);

  // Cancel: nothing changes, whenever the job had got to.
  start_open_session(other, saved.path);
  cancel_open_session(other);
  EXPECT_FALSE(session_opening(other));
  EXPECT_EQ(other.runner.get(), runner);
  EXPECT_NE(other.status.find("cancelled"), std::string::npos) << other.status;
}

// The Compare menu's runs survive a session file (views.compare): the pins as they were (names,
// settings, curves to the bit), the seed band asked for (started again), and the fork made again
// from the opened run at its iteration with the same setting — its curve the original fork's, bit
// for bit, over the iterations both have. A damaged compare part refuses the file at its key; a
// file without one (older) still opens.
struct ForkCurve {
  std::vector<pg::IterationRecord> rows;
  int start = -1;
};

ForkCurve fork_curve(AppState& state) {
  wait_for_replays(state, 60.0);  // the fork catches up with the main run
  ForkView f;
  ForkCurve c;
  if (!fork_view(state, &f) || !f.latest || f.detached) return c;
  c.start = f.start;
  for (size_t i = 0; i < f.latest->history().size(); ++i) c.rows.push_back(f.latest->history()[i]);
  return c;
}

void expect_same_rows(const std::vector<pg::IterationRecord>& a,
                      const std::vector<pg::IterationRecord>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    SCOPED_TRACE("row " + std::to_string(i));
    EXPECT_EQ(a[i].iteration, b[i].iteration);
    EXPECT_EQ(a[i].episodes, b[i].episodes);
    EXPECT_EQ(a[i].steps, b[i].steps);
    EXPECT_TRUE(same_bits(a[i].return_mean, b[i].return_mean));
    EXPECT_TRUE(same_bits(a[i].return_std, b[i].return_std));
    EXPECT_TRUE(same_bits(a[i].grad_norm, b[i].grad_norm));
    EXPECT_TRUE(same_bits(a[i].entropy, b[i].entropy));
    EXPECT_TRUE(same_bits(a[i].exact_J, b[i].exact_J));
  }
}

void expect_same_compare(const AppState& a, const AppState& b) {
  ASSERT_EQ(a.compare.pins.size(), b.compare.pins.size());
  for (size_t k = 0; k < a.compare.pins.size(); ++k) {
    SCOPED_TRACE("pin " + std::to_string(k));
    EXPECT_EQ(a.compare.pins[k].name, b.compare.pins[k].name);
    EXPECT_EQ(a.compare.pins[k].scenario.resolved, b.compare.pins[k].scenario.resolved);
    EXPECT_EQ(a.compare.pins[k].scenario.seed, b.compare.pins[k].scenario.seed);
    expect_same_rows(a.compare.pins[k].rows, b.compare.pins[k].rows);
  }
  const std::optional<pg::CompareSeeds> sa = seeds_setting(a), sb = seeds_setting(b);
  ASSERT_TRUE(sa && sb);
  EXPECT_EQ(sa->count, sb->count);
  EXPECT_EQ(sa->iterations, sb->iterations);
  const std::optional<pg::CompareFork> fa = fork_setting(a), fb = fork_setting(b);
  ASSERT_TRUE(fa && fb);
  EXPECT_EQ(fa->at, fb->at);
  EXPECT_EQ(fa->key, fb->key);
  EXPECT_EQ(fa->value, fb->value);
}

// The common iterations of two fork curves are equal to the bit, and there are some past the fork.
void expect_same_fork_curve(const ForkCurve& a, const ForkCurve& b, int from, int to) {
  ASSERT_EQ(a.start, from);
  ASSERT_EQ(b.start, from);
  const size_t n = std::min(a.rows.size(), b.rows.size());
  ASSERT_GE(n, static_cast<size_t>(to)) << "the forks did not catch up with the main run";
  expect_same_rows({a.rows.begin(), a.rows.begin() + static_cast<long>(n)},
                   {b.rows.begin(), b.rows.begin() + static_cast<long>(n)});
}

// Every pin has a colour of its own, none the run's (the sixth was drawn in the live return's
// colour: the palette had ten slots and the pins start at the sixth). A scenario's name goes into
// a pin's label as it is: cut between characters (a cut at a byte count split a two-byte letter and
// the label was not UTF-8) and with its "##" shown, not taken as the start of the curve's ID (two
// pins named "a##x" shared one legend entry).
TEST(Classroom, PinsHaveColoursOfTheirOwnAndNamesShowAsTheyAre) {
  pglab::plot::PlotContext* plots = pglab::plot::CreateContext();
  AppState state;
  pg::Scenario s = pg::load_scenario("bandit-reinforce");
  s.source.clear();
  s.name = "αβγδεζηθικλμνξοπρστυφχψω##x";
  ASSERT_TRUE(load_into(state, s, ""));
  for (int k = 0; k < CompareUi::kMaxPins; ++k) {
    ASSERT_TRUE(state.runner->run_iterations(1));
    ASSERT_TRUE(pin_current_run(state)) << state.status;
  }
  const std::string name = state.compare.pins[0].name;
  EXPECT_TRUE(pg::is_valid_utf8(name)) << name;
  EXPECT_EQ(pg::utf8_length(name), 24u) << name;
  const std::string label =
      pin_label(state.compare.pins[0], state.runner->snapshot().session->scenario());
  EXPECT_EQ(label.find("##"), std::string::npos) << label;
  std::vector<ImU32> opaque;
  for (const ComparisonCurve& c : comparison_curves(state, {pg::SeedColumn::kReturnMean}))
    opaque.push_back(c.color | IM_COL32_A_MASK);
  ASSERT_EQ(opaque.size(), static_cast<size_t>(CompareUi::kMaxPins));
  std::vector<ImU32> taken;
  for (int slot = 0; slot < kPinsSlot; ++slot) taken.push_back(pglab::plot::GetPaletteColor(slot));
  for (size_t k = 0; k < opaque.size(); ++k) {
    SCOPED_TRACE("pin " + std::to_string(k));
    EXPECT_EQ(std::count(taken.begin(), taken.end(), opaque[k]), 0)
        << "a pin has the colour of the run's curves, the fork's or the seed band's";
    EXPECT_EQ(std::count(opaque.begin(), opaque.end(), opaque[k]), 1) << "two pins share a colour";
  }
  pglab::plot::DestroyContext(plots);
}

// The seed band names the settings it ran with where the run on screen has others, as a pin does:
// run at lr = 0.5, then the step size set to 0.1, the band said only "seeds 1–2" (audit a9 F6).
TEST(Classroom, TheSeedBandNamesTheSettingsItRanWith) {
  pglab::plot::PlotContext* plots = pglab::plot::CreateContext();
  AppState state;
  pg::Scenario s = pg::load_scenario("bandit-reinforce");
  pg::set_value(s, "algorithm.lr", 0.5);
  ASSERT_TRUE(load_into(state, s, state.scenario_path));
  state.compare.seed_count = 2;
  state.compare.seed_iterations = 3;
  start_seeds(state);
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (!(has_seed_band(state) && seeds_progress(state) < 0) &&
         std::chrono::steady_clock::now() < until) {
    update_compare(state);
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_TRUE(has_seed_band(state)) << state.status;
  auto band_label = [&] {
    for (const ComparisonCurve& c : comparison_curves(state, {pg::SeedColumn::kReturnMean}))
      if (c.label.find(" seeds ") != std::string::npos) return c.label;
    return std::string();
  };
  // The run on screen has the band's settings: nothing to add.
  EXPECT_EQ(band_label(), "bandit-reinforce seeds 1–2: mean ± 1 s.e.##seeds");
  pg::Scenario t = s;
  pg::set_value(t, "algorithm.lr", 0.1);
  ASSERT_TRUE(load_into(state, t, state.scenario_path));
  EXPECT_EQ(band_label(), "bandit-reinforce seeds 1–2 lr=0.5: mean ± 1 s.e.##seeds");
  pglab::plot::DestroyContext(plots);
}

TEST(Classroom, SessionFileKeepsThePinsTheSeedBandAndTheFork) {
  AppState state;
  // Two pins: a bandit run, then the gridworld run itself at iteration 2.
  ASSERT_TRUE(load_file_into(state, "bandit-reinforce"));
  ASSERT_TRUE(state.runner->run_iterations(3));
  ASSERT_TRUE(pin_current_run(state)) << state.status;
  ASSERT_TRUE(load_file_into(state, "gridworld-reinforce"));
  ASSERT_TRUE(state.runner->run_iterations(2));
  ASSERT_TRUE(pin_current_run(state)) << state.status;
  ASSERT_TRUE(state.runner->run_iterations(2));
  // The fork at iteration 4 with another step size; the run goes on to 8.
  ASSERT_TRUE(fork_current_run(state, "algorithm.lr", 0.4)) << state.status;
  ASSERT_TRUE(state.runner->run_iterations(4));
  state.compare.seed_count = 3;
  state.compare.seed_iterations = 5;
  start_seeds(state);
  const ForkCurve original = fork_curve(state);
  const std::string path = work_dir() + "/compare.json";
  std::filesystem::remove(path);
  ASSERT_TRUE(save_session(state, path)) << state.classroom.files.message;
  const nlohmann::json saved = nlohmann::json::parse(read(path))["views"]["compare"];
  EXPECT_EQ(saved["fork"], nlohmann::json({{"at", 4}, {"key", "algorithm.lr"}, {"value", 0.4}}));
  EXPECT_EQ(saved["seeds"], nlohmann::json({{"count", 3}, {"iterations", 5}}));
  ASSERT_EQ(saved["pins"].size(), 2u);
  EXPECT_EQ(saved["pins"][0]["scenario"]["env"]["kind"], "bandit");

  // The window's synchronous open (the command line's) and its background open restore the same.
  AppState other;
  ASSERT_TRUE(load_file_into(other, "short-corridor-reinforce"));
  ASSERT_TRUE(open_session(other, path)) << other.classroom.files.message;
  expect_same_compare(state, other);
  expect_same_fork_curve(original, fork_curve(other), 4, 8);
  AppState background;
  ASSERT_TRUE(load_file_into(background, "short-corridor-reinforce"));
  start_open_session(background, path);
  finish_open(background);
  ASSERT_TRUE(background.classroom.files.message.empty()) << background.classroom.files.message;
  expect_same_compare(state, background);
  expect_same_fork_curve(original, fork_curve(background), 4, 8);
  // Going on, the reopened fork follows its run as the original follows its own.
  ASSERT_TRUE(state.runner->run_iterations(3));
  ASSERT_TRUE(other.runner->run_iterations(3));
  expect_same_fork_curve(fork_curve(state), fork_curve(other), 4, 11);

  // A fork with an estimator setting keeps the four settings under "estimator".
  pg::EstimatorConfig c = state.runner->snapshot().session->scenario().estimator;
  c.baseline = pg::Baseline::kMean;
  c.normalize = !c.normalize;
  ASSERT_TRUE(fork_current_run(state, c)) << state.status;
  ASSERT_TRUE(state.runner->run_iterations(2));
  const ForkCurve estimator_fork = fork_curve(state);
  const std::string path2 = work_dir() + "/compare-estimator.json";
  std::filesystem::remove(path2);
  ASSERT_TRUE(save_session(state, path2)) << state.classroom.files.message;
  const nlohmann::json fork2 = nlohmann::json::parse(read(path2))["views"]["compare"]["fork"];
  EXPECT_EQ(fork2["key"], "estimator");
  EXPECT_EQ(fork2["value"]["baseline"], "mean");
  EXPECT_EQ(fork2["value"]["normalize"], c.normalize);
  ASSERT_TRUE(open_session(other, path2)) << other.classroom.files.message;
  expect_same_compare(state, other);
  expect_same_fork_curve(estimator_fork, fork_curve(other), 11, 13);

  // A damaged compare part refuses the whole file at its key; the open session stays.
  const nlohmann::json good = nlohmann::json::parse(read(path));
  struct Case {
    const char* name;
    std::function<void(nlohmann::json&)> damage;
    const char* says;
  };
  const Case cases[] = {
      {"fork-at", [](nlohmann::json& c) { c["fork"]["at"] = 9; },
       "views.compare.fork.at: expected an integer in [0, 8]"},
      {"fork-key", [](nlohmann::json& c) { c["fork"]["key"] = "algorithm.nosuch"; },
       "views.compare.fork.key"},
      {"fork-estimator",
       [](nlohmann::json& c) {
         c["fork"] = {{"at", 2}, {"key", "estimator"}, {"value", {{"returns", "total"}}}};
       },
       "views.compare.fork.value.baseline: missing"},
      {"seeds-count", [](nlohmann::json& c) { c["seeds"]["count"] = 1; },
       "views.compare.seeds.count: expected an integer in [2, 32]"},
      {"seeds-iterations", [](nlohmann::json& c) { c["seeds"]["iterations"] = "many"; },
       "views.compare.seeds.iterations"},
      {"too-many-pins",
       [](nlohmann::json& c) {
         for (int k = 0; k < 5; ++k) c["pins"].push_back(c["pins"][0]);
       },
       "views.compare.pins: expected a list of at most 6 pinned runs"},
      {"pin-rows",
       [](nlohmann::json& c) {
         while (c["pins"][0]["rows"].size() <= 600)
           c["pins"][0]["rows"].push_back(c["pins"][0]["rows"][0]);
       },
       "views.compare.pins[0].rows: expected a list of 1 to 600 history rows"},
      {"pin-name", [](nlohmann::json& c) { c["pins"][1]["name"] = 3; },
       "views.compare.pins[1].name: expected a string"},
      {"pin-row", [](nlohmann::json& c) { c["pins"][1]["rows"][1]["entropy"] = "lots"; },
       "views.compare.pins[1].rows[1].entropy: expected a number"},
      {"pin-row-missing", [](nlohmann::json& c) { c["pins"][0]["rows"][0].erase("steps"); },
       "views.compare.pins[0].rows[0].steps: missing"},
      {"pin-scenario", [](nlohmann::json& c) { c["pins"][1]["scenario"]["algorithm"]["lr"] = -1; },
       "views.compare.pins[1].scenario.algorithm.lr"},
      {"compare", [](nlohmann::json& c) { c = 7; }, "views.compare: expected an object"},
  };
  AppState open;
  ASSERT_TRUE(load_file_into(open, "short-corridor-reinforce"));
  ASSERT_TRUE(open.runner->run_iterations(2));
  const SessionRunner* runner = open.runner.get();
  for (const Case& k : cases) {
    SCOPED_TRACE(k.name);
    nlohmann::json j = good;
    k.damage(j["views"]["compare"]);
    const std::string bad = work_dir() + "/compare-" + k.name + ".json";
    write(bad, j.dump(1));
    EXPECT_FALSE(open_session(open, bad));
    EXPECT_NE(open.classroom.files.message.find(k.says), std::string::npos)
        << open.classroom.files.message;
    EXPECT_EQ(open.runner.get(), runner);
    EXPECT_TRUE(open.compare.pins.empty());
    EXPECT_FALSE(has_fork(open));
  }
  // A fork value the run refuses when the fork is made again opens the file without its fork,
  // said in the status (the value is checked against the run at fork.at, live changes included,
  // not refused up front against the file's starting scenario).
  {
    nlohmann::json j = good;
    j["views"]["compare"]["fork"]["value"] = "fast";
    const std::string bad = work_dir() + "/compare-fork-value.json";
    write(bad, j.dump(1));
    EXPECT_TRUE(open_session(open, bad)) << open.classroom.files.message;
    EXPECT_FALSE(has_fork(open));
    EXPECT_NE(open.status.find("its fork was not made again"), std::string::npos) << open.status;
    EXPECT_EQ(open.compare.pins.size(), 2u);
    clear_pins(open);
    clear_seeds(open);
  }
  // A file without "compare" (saved before it existed) opens; the window's own pins stay.
  nlohmann::json old = good;
  old["views"].erase("compare");
  const std::string old_path = work_dir() + "/compare-old.json";
  write(old_path, old.dump(1));
  ASSERT_TRUE(pin_current_run(open));
  ASSERT_TRUE(open_session(open, old_path)) << open.classroom.files.message;
  EXPECT_EQ(open.runner->snapshot().session->iteration(), 8);
  EXPECT_EQ(open.compare.pins.size(), 1u);
  EXPECT_FALSE(fork_setting(open));
}

TEST(Classroom, ADamagedOrForeignSessionFileLeavesTheOpenSessionUntouched) {
  Saved saved;
  make_saved(saved, "good.json");
  const std::string good = read(saved.path);
  auto replaced = [&](const std::string& from, const std::string& to) {
    std::string t = good;
    const size_t at = t.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    return at == std::string::npos ? t : t.replace(at, from.size(), to);
  };
  nlohmann::json j = nlohmann::json::parse(good);
  j["policy"]["theta"][0] = j["policy"]["theta"][0].get<double>() + 0.5;
  const std::string edited_theta = j.dump(1);
  struct Case {
    const char* name;
    std::string text;
    const char* says;
  };
  const Case cases[] = {
      {"truncated", good.substr(0, good.size() / 2), "truncated.json:"},
      {"newer", replaced("pglab.session/1", "pglab.session/2"), "pglab.session/2"},
      {"not-json", "hello", "not-json.json:1"},
      {"views", replaced("\"color_mode\": 1", "\"color_mode\": 7"),
       "views.per_view.overview.color_mode: expected an integer in [0, 1]"},
      {"view-name", replaced("\"view\": \"inspector\"", "\"view\": \"nosuch\""), "views.view"},
  };
  // The running session: another scenario, advanced, with its own view.
  AppState state;
  ASSERT_TRUE(load_file_into(state, "short-corridor-reinforce"));
  ASSERT_TRUE(state.runner->run_iterations(5));
  state.view = View::Rollout;
  const SessionRunner* runner = state.runner.get();
  const Eigen::VectorXd theta = state.runner->snapshot().session->policy().params();
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const std::string path = work_dir() + "/" + c.name + ".json";
    write(path, c.text);
    EXPECT_FALSE(open_session(state, path));
    EXPECT_NE(state.classroom.files.message.find(c.says), std::string::npos)
        << state.classroom.files.message;
    EXPECT_EQ(state.runner.get(), runner);
    EXPECT_EQ(state.runner->snapshot().session->iteration(), 5);
    EXPECT_TRUE(state.runner->snapshot().session->policy().params() == theta);
    EXPECT_EQ(state.view, View::Rollout);
    EXPECT_EQ(state.scenario.name, state.runner->snapshot().session->scenario().name);
  }
  // An edited number is caught by the replay (core/io/session_file.h), with the same guarantee.
  const std::string path = work_dir() + "/edited.json";
  write(path, edited_theta);
  EXPECT_FALSE(open_session(state, path));
  EXPECT_NE(state.classroom.files.message.find("policy.theta[0]"), std::string::npos)
      << state.classroom.files.message;
  EXPECT_EQ(state.runner.get(), runner);
  // Saving mid-iteration is refused with a message and writes nothing.
  ASSERT_TRUE(state.runner->step(pg::Granularity::kEpisode));
  const std::string mid = work_dir() + "/mid.json";
  std::filesystem::remove(mid);
  EXPECT_FALSE(save_session(state, mid));
  EXPECT_NE(state.classroom.files.message.find("between iterations"), std::string::npos);
  EXPECT_FALSE(pg::path_exists(mid));
}

// Run ▶ in the window starts the step on a background thread: it returns at once, the progress
// counts the step's advances and claim, Cancel leaves the step set up and not run (the window's
// session untouched), and a run to the end installs the same session and outcome the waiting
// run_shown_step (and so `lesson --check`) gives.
TEST(Classroom, AStepRunsInTheBackgroundWithProgressAndCancel) {
  const std::string path = work_dir() + "/long-step.json";
  write(path,
        "{\"format\": \"pglab.lesson/1\", \"title\": \"long\", \"steps\": [\n"
        " {\"title\": \"train\", \"scenario\": \"gridworld-reinforce\",\n"
        "  \"advance\": {\"by\": \"iteration\", \"count\": 150},\n"
        "  \"check\": {\"claim\": \"exact_J\", \"op\": \">=\", \"value\": -100}}]}\n");
  AppState state;
  ASSERT_TRUE(open_lesson(state, path)) << state.classroom.lesson.error;
  LessonUi& l = state.classroom.lesson;
  EXPECT_FALSE(lesson_step_running(state));
  EXPECT_LT(lesson_step_progress(state), 0.0);
  // Start, then cancel at once: nothing of the step is kept.
  ASSERT_TRUE(start_shown_step(state));
  EXPECT_TRUE(lesson_step_running(state));
  EXPECT_FALSE(start_shown_step(state));  // one run at a time
  cancel_lesson_step(state);
  EXPECT_FALSE(lesson_step_running(state));
  EXPECT_FALSE(l.outcome[0].has_value());
  EXPECT_EQ(l.end[0], nullptr);
  EXPECT_NE(state.status.find("cancelled"), std::string::npos) << state.status;
  EXPECT_EQ(state.runner->snapshot().session->iteration(), 0);
  // Start again and let it finish, polling as the frames do: the progress only grows, within [0, 1]
  // (150 advances + 1 claim = 151 units).
  ASSERT_TRUE(start_shown_step(state));
  double last = 0.0;
  int polls = 0;
  while (lesson_step_running(state)) {
    const double p = lesson_step_progress(state);
    EXPECT_GE(p, last);
    EXPECT_LE(p, 1.0);
    last = p;
    ++polls;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    update_lesson(state);
  }
  EXPECT_GT(polls, 0);
  ASSERT_TRUE(l.outcome[0].has_value()) << l.error;
  EXPECT_TRUE(l.outcome[0]->result.holds);
  EXPECT_EQ(state.runner->snapshot().session->iteration(), 150);
  // The waiting path, from a fresh window: the same bits.
  AppState waited;
  ASSERT_TRUE(open_lesson(waited, path));
  ASSERT_TRUE(run_shown_step(waited));
  EXPECT_TRUE(same_bits(waited.classroom.lesson.outcome[0]->result.measured,
                        l.outcome[0]->result.measured));
  EXPECT_TRUE(waited.runner->snapshot().session->policy().params() ==
              state.runner->snapshot().session->policy().params());
}

// The lesson's progress (the step on show, the predictions made, the outcomes) is part of the
// session file's view state: a student opens the file at the same step, with the same predictions
// and outcomes, and the next step gives the numbers the uninterrupted lesson gives.
TEST(Classroom, LessonProgressSurvivesASessionFile) {
  AppState state;
  ASSERT_TRUE(open_lesson(state, "02-causality"));
  state.classroom.lesson.guess[0].choice = 1;
  ASSERT_TRUE(run_shown_step(state));
  ASSERT_TRUE(show_lesson_step(state, 1));
  state.classroom.lesson.guess[1].choice = 1;
  ASSERT_TRUE(run_shown_step(state));
  ASSERT_TRUE(show_lesson_step(state, 2));
  const std::string path = work_dir() + "/lesson-progress.json";
  std::filesystem::remove(path);
  ASSERT_TRUE(save_session(state, path)) << state.classroom.files.message;
  const nlohmann::json saved = nlohmann::json::parse(read(path))["views"]["lesson"];
  EXPECT_EQ(saved["name"], "02-causality");
  EXPECT_EQ(saved["step"], 2);
  EXPECT_EQ(saved["steps"][0]["choice"], 1);
  EXPECT_TRUE(saved["steps"][2]["outcome"].is_null());
  // The file says what the panel showed of each prediction (choices, not only numbers).
  for (int k = 0; k < 2; ++k) {
    SCOPED_TRACE(k);
    EXPECT_EQ(saved["steps"][k]["outcome"]["prediction_checked"], prediction_judged(state, k));
    EXPECT_EQ(saved["steps"][k]["outcome"]["prediction_right"], prediction_right(state, k));
  }
  EXPECT_TRUE(prediction_judged(state, 0));
  EXPECT_FALSE(prediction_right(state, 0));  // step 1's right order is the third choice
  EXPECT_TRUE(prediction_right(state, 1));   // step 2's "No: within noise" the second

  AppState other;
  ASSERT_TRUE(load_file_into(other, "bandit-reinforce"));
  ASSERT_TRUE(open_session(other, path)) << other.classroom.files.message;
  const LessonUi& a = state.classroom.lesson;
  const LessonUi& b = other.classroom.lesson;
  ASSERT_NE(b.lesson, nullptr);
  EXPECT_EQ(b.lesson->title, a.lesson->title);
  EXPECT_EQ(b.step, 2);
  EXPECT_FALSE(b.scroll_to_outcome) << "step 2 has not run: the panel opens at its text";
  for (size_t k = 0; k < a.guess.size(); ++k) {
    SCOPED_TRACE(k);
    EXPECT_EQ(b.guess[k].choice, a.guess[k].choice);
    EXPECT_EQ(b.guess[k].number_given, a.guess[k].number_given);
    ASSERT_EQ(b.outcome[k].has_value(), a.outcome[k].has_value());
    if (!a.outcome[k]) continue;
    EXPECT_EQ(b.outcome[k]->has_check, a.outcome[k]->has_check);
    EXPECT_EQ(b.outcome[k]->result.holds, a.outcome[k]->result.holds);
    EXPECT_TRUE(same_bits(b.outcome[k]->result.measured, a.outcome[k]->result.measured));
    EXPECT_EQ(b.outcome[k]->result.detail, a.outcome[k]->result.detail);
    EXPECT_EQ(prediction_right(other, static_cast<int>(k)),
              prediction_right(state, static_cast<int>(k)));
  }
  // Run on from the file: the same numbers as the lesson that never stopped.
  ASSERT_TRUE(run_shown_step(other)) << b.error;
  ASSERT_TRUE(run_shown_step(state));
  EXPECT_TRUE(same_bits(b.outcome[2]->result.measured, a.outcome[2]->result.measured));
  EXPECT_EQ(b.outcome[2]->result.detail, a.outcome[2]->result.detail);
  // Saved after the step on show ran, the file opens with the panel at its outcome.
  const std::string ran = work_dir() + "/lesson-progress-ran.json";
  std::filesystem::remove(ran);
  ASSERT_TRUE(save_session(state, ran)) << state.classroom.files.message;
  AppState third;
  ASSERT_TRUE(open_session(third, ran)) << third.classroom.files.message;
  EXPECT_TRUE(third.classroom.lesson.scroll_to_outcome);
  ASSERT_TRUE(show_lesson_step(other, 3));  // Next goes on from the restored step's end

  // A file whose lesson part is wrong is refused with the key, and nothing changes.
  const std::string good = read(path);
  struct Case {
    const char* name;
    std::string from, to;
    const char* says;
  };
  const Case cases[] = {
      {"lesson-step", "\"step\": 2", "\"step\": 9",
       "views.lesson.step: expected an integer in [0, 4]"},
      {"lesson-choice", "\"choice\": 1", "\"choice\": 7", "views.lesson.steps[0].choice"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    std::string text = good;
    const size_t at = text.find(c.from);
    ASSERT_NE(at, std::string::npos) << c.from;
    text.replace(at, c.from.size(), c.to);
    const std::string bad = work_dir() + "/" + c.name + ".json";
    write(bad, text);
    const int step = other.classroom.lesson.step;
    EXPECT_FALSE(open_session(other, bad));
    EXPECT_NE(other.classroom.files.message.find(c.says), std::string::npos)
        << other.classroom.files.message;
    EXPECT_EQ(other.classroom.lesson.step, step);
  }
  // A file whose lesson is gone (moved, deleted) or was edited since (another title) opens its run
  // without the lesson, and says so: the run is not lost with its lesson.
  const std::pair<std::string, std::string> gone[] = {
      {"\"name\": \"02-causality\"", "\"name\": \"no-such-lesson\""},
      {"\"title\": \"" + other.classroom.lesson.lesson->title + "\"",
       "\"title\": \"Edited since\""}};
  for (const auto& [from, to] : gone) {
    SCOPED_TRACE(to);
    std::string text = good;
    const size_t at = text.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    text.replace(at, from.size(), to);
    const std::string moved = work_dir() + "/lesson-gone.json";
    write(moved, text);
    AppState fresh;
    ASSERT_TRUE(open_lesson(fresh, "02-causality"));
    ASSERT_TRUE(open_session(fresh, moved)) << fresh.classroom.files.message;
    EXPECT_EQ(fresh.classroom.lesson.lesson,
              nullptr);  // the panel of the lesson open before closed
    EXPECT_NE(fresh.status.find("its lesson was not opened ("), std::string::npos) << fresh.status;
    EXPECT_NE(
        fresh.status.find(to.find("no-such") != std::string::npos ? "the lesson cannot be opened"
                                                                  : "another lesson of this name"),
        std::string::npos)
        << fresh.status;
    EXPECT_NE(fresh.runner, nullptr);
  }
  // A file without a lesson (saved before the key existed, or with none open) leaves it alone.
  Saved plain;
  make_saved(plain, "no-lesson.json");
  ASSERT_TRUE(open_session(other, plain.path)) << other.classroom.files.message;
  EXPECT_NE(other.classroom.lesson.lesson, nullptr);
}

}  // namespace
