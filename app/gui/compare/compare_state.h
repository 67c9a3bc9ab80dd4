// Runs compared (issue 9 item 6): the UI state of pins, the seed band and the fork. AppState holds
// one CompareUi; gui/compare/compare.h has what acts on it and draws it.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "io/scenario.h"
#include "io/view_state.h"
#include "session/history.h"

namespace pglab::gui {

// A run kept on the history plots after the session moved on (reset, another seed or setting,
// another scenario).
struct PinnedRun {
  std::string name;                       // the scenario's file stem, else its (shortened) name
  pg::Scenario scenario;                  // its settings: the label says what differs from now
  std::vector<pg::IterationRecord> rows;  // the learning curve, at most kCurvePoints rows
};

struct SeedsJob;  // compare.cpp: the background run over seeds and its result
struct ForkRun;   // compare.cpp: the forked session on its worker thread

struct CompareUi {
  static constexpr int kMaxPins = pg::kMaxComparePins;  // a session file holds as many
  std::vector<PinnedRun> pins;
  int seed_count = 5;       // N of "Run N seeds"
  int seed_iterations = 0;  // iterations per seed; 0: the scenario's algorithm.iterations
  // "Fork here with": the value typed for a numeric setting (its submenu's field) and the seed.
  double fork_value = 0.0;
  std::string fork_value_key;  // the setting fork_value was last set for ("" none)
  long long fork_seed = -1;    // -1: the scenario's seed + 1
  // Jobs: shared (not unique) so the state stays copyable; each owns copies of its inputs.
  std::shared_ptr<SeedsJob> seeds;
  std::shared_ptr<ForkRun> fork;
};

}  // namespace pglab::gui
