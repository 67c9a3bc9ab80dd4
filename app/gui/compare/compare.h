// Runs compared (issue 9 item 6): pin the current run, run the scenario over N seeds in the
// background (mean ± 1 s.e. band), fork the run here with one estimator setting changed. The
// history plots draw all of it with one call each: PlotRunComparisons().
#pragma once

#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "estimator/estimator_config.h"
#include "gui/app_state.h"
#include "io/view_state.h"
#include "lab/seeds.h"
#include "session/timeline.h"

namespace pglab::gui {

// Palette slots (plot::GetPaletteColor) of the history plots' curves. The run's own curves set
// theirs explicitly, so each keeps its colour whatever form its label takes (a short name in a
// narrow plot); the comparisons take the slots after them, so a fork, the seed band or a pin never
// has the colour of a curve of the run it is compared with.
enum CurveSlot : int {
  kReturnSlot = 0,  // the batch return (the return plot's headline curve)
  kExactJSlot = 1,  // the exact J(θ)
  kLiveSlots = 3,   // slots 0–2 are the run's own curves'
  kForkSlot = kLiveSlots,
  kSeedsSlot = kLiveSlots + 1,
  kPinsSlot = kLiveSlots + 2,  // pin k: kPinsSlot + k, dimmed
};

// Keeps the current run's curves (status says why not: no iterations yet, kMaxPins reached).
bool pin_current_run(AppState& state);
void unpin(AppState& state, int index);
void clear_pins(AppState& state);
// "pinned: gridworld-reinforce seed 1 lr=0.1" — what differs from `now` (the session on screen).
std::string pin_label(const PinnedRun& pin, const pg::Scenario& now);

// Starts (or restarts) the current scenario over seeds S … S+N−1 (S the scenario's seed) on
// worker threads; cancels a running one first.
void start_seeds(AppState& state);
void cancel_seeds(AppState& state);
void clear_seeds(AppState& state);
// 0..1 while the seeds run; < 0 when none run.
double seeds_progress(const AppState& state);
bool has_seed_band(const AppState& state);

// Forks the current snapshot with estimator `c`, or with one setting changed — a live key
// (session/live_params.h) or "seed" (Session::fork_with): it then follows the main run iteration
// by iteration (on the same random streams unless the seed changed) until the main run is reset.
bool fork_current_run(AppState& state, const pg::EstimatorConfig& c);
// The same with key = value (fork_run from the current snapshot).
bool fork_current_run(AppState& state, const std::string& key, const nlohmann::json& value);
// Forks `from` — the live run, or a past iteration the timeline shows (issue 10) — at its
// iteration boundary with one setting changed: a live key (Session::fork_with: any key of
// pg::live_keys(); estimator settings mid-iteration too), "seed", or an estimator `c`; the branch
// then catches up with the main run and follows it (on the same random streams unless the seed
// changed). Status says why not (mid-iteration, a value the key refuses, no change).
bool fork_run(AppState& state, const pg::Session& from, const std::string& key,
              const nlohmann::json& value);
bool fork_run(AppState& state, const pg::Session& from, const pg::EstimatorConfig& c);
// The fork as a session file keeps it (views.compare.fork): the iteration it branched at and the
// setting it was made with — a live key, "seed", or "estimator" with the four estimator settings as
// an object (io/view_state.h). Empty without a fork.
std::optional<pg::CompareFork> fork_setting(const AppState& state);
// Makes that fork again from `from`, the run at iteration f.at (a session file opened).
bool fork_run(AppState& state, const pg::Session& from, const pg::CompareFork& f);
// The seed band as a session file keeps it (views.compare.seeds): the number of seeds and the
// iterations per seed the menu asked (0: the scenario's). Empty without a band shown or running.
std::optional<pg::CompareSeeds> seeds_setting(const AppState& state);
// What the pictures side by side need of the fork: its latest iteration boundary, its timeline
// (to travel back in it), where it started and what it changed. False without a fork.
struct ForkView {
  std::shared_ptr<const pg::Session> latest;
  pg::Timeline timeline;
  int start = 0;
  std::string what;
  std::string fault;
  bool detached = false;  // the main run was reset or replaced: the fork follows it no more
  // Where a fork whose update faulted stopped: its latest boundary (fork_stopped_at).
  int stopped_at() const;
};
bool fork_view(const AppState& state, ForkView* out);
// The iteration a fork that faulted stopped at: its latest boundary's, its start before it had one.
int fork_stopped_at(const pg::Session* latest, int start);
// A fork's fault in the words the status line, its branch picture and shot's stderr give it:
// "the fork stopped at iteration k: <fault>" (printable, at most kMaxShownError characters).
std::string fork_stopped_message(int at, const std::string& fault);
// The items of a "fork with" menu for `from`: the estimator settings (where they apply), every
// live hyperparameter with a few values or one typed in, the seed. `from` must stay alive while
// the menu is open (the caller's shared copy).
void DrawForkItems(AppState& state, const pg::Session& from);
void clear_fork(AppState& state);
bool has_fork(const AppState& state);

// Once per frame: takes finished seed runs, lets the fork catch up with the main run.
void update_compare(AppState& state);

// One curve a comparison adds to a plot over iterations: a pinned run's, the seed band's or the
// fork's, for one history column. band: ± half-widths (return std for a pin's return, 1 s.e. for
// seeds), empty for a plain line.
struct ComparisonCurve {
  std::string label;  // unique: "pinned: gridworld-reinforce seed 1 · exact J##pin0.4"
  std::vector<double> x, y, band;
  ImU32 color = 0;
  float weight = 0.0f;  // font units; 0: the plot's default
};
// The curves the comparisons add to a plot that draws `columns` of the history, its headline
// column first (each plot passes the columns it draws itself, so a pin keeps every one of them: the
// return plot its return with the ±std band and the exact J). A pin's return gets its std band when
// `columns` also lists kReturnStd, which is not drawn as a line of its own. The seed band and the
// fork draw the headline column.
std::vector<ComparisonCurve> comparison_curves(const AppState& state,
                                               std::initializer_list<pg::SeedColumn> columns);
// Between plot::BeginPlot and plot::EndPlot: draws comparison_curves(state, columns).
void PlotRunComparisons(const AppState& state, std::initializer_list<pg::SeedColumn> columns);

// The Compare menu of the main menu bar (pins, seeds, fork).
void DrawCompareMenu(AppState& state);

}  // namespace pglab::gui
