// Runs compared (issue 9 item 6): pin the current run, run the scenario over N seeds in the
// background (mean ± 1 s.e. band), fork the run here with one estimator setting changed. The
// history plots draw all of it with one call each: PlotRunComparisons().
#pragma once

#include <string>

#include "estimator/estimator_config.h"
#include "gui/app_state.h"
#include "lab/seeds.h"

namespace pglab::gui {

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

// Forks the current snapshot with estimator `c` (Session::fork_with): it then follows the main
// run iteration by iteration on the same random streams until the main run is reset.
bool fork_current_run(AppState& state, const pg::EstimatorConfig& c);
void clear_fork(AppState& state);
bool has_fork(const AppState& state);

// Once per frame: takes finished seed runs, lets the fork catch up with the main run.
void update_compare(AppState& state);

// Between plot::BeginPlot and plot::EndPlot of a plot over iterations: the pinned runs (dimmed,
// labelled), the seed band and the fork, for one history column.
void PlotRunComparisons(const AppState& state, pg::SeedColumn column);

// The Compare menu of the main menu bar (pins, seeds, fork).
void DrawCompareMenu(AppState& state);

}  // namespace pglab::gui
