// Time travel (issue 10, item 1): the UI state of the timeline under the views. AppState holds one
// TimeTravelUi; gui/time_travel/time_travel.h has what acts on it and draws it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "session/session.h"

namespace pglab::gui {

struct ReplayJob;  // time_travel.cpp: one replay on a worker thread

// A session replayed to an iteration of a run, and the replay under way towards another.
struct Replay {
  std::shared_ptr<const pg::Session> shown;  // the last finished replay (null: none yet)
  uint64_t version = 0;                      // a Snapshot version of its own for the views
  std::shared_ptr<ReplayJob> job;            // the replay under way (null: none)
  std::string error;                         // why the last replay failed
};

struct TimeTravelUi {
  int viewing = -1;               // the iteration looked at; -1: the live session
  uint64_t run_id = 0;            // the run travelled in (pg::Session::run_id): another one ends it
  uint64_t next_version = 0;      // numbers the replayed sessions' Snapshot versions
  Replay main;                    // the run at `viewing`
  Replay fork;                    // the fork (Compare) at `viewing`, for the pictures side by side
  const void* fork_of = nullptr;  // the fork `fork` belongs to (another fork: replayed anew)
};

}  // namespace pglab::gui
