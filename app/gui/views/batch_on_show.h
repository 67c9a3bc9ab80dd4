// The batch a view of "the last batch" shows (grpo, importance, advantages, natural gradient):
// the live session's while it is complete (and estimated, when the view needs the estimate), else
// the last complete one the runner kept (Snapshot::last_batch) while the next is being collected.
// One place says which batch is on show and, when there is none, why.
#pragma once

#include <memory>

#include "gui/session_runner.h"

namespace pglab::gui {

struct BatchOnShow {
  // The session whose batch(), last_estimate(), behaviour_policy() and batch_exact() the view
  // reads; null when there is no batch to show yet.
  std::shared_ptr<const pg::Session> session;
  bool previous = false;  // session is the last complete batch's, not the live one
};

// needs_estimate: the view reads last_estimate() (else a complete batch is enough).
BatchOnShow batch_on_show(const Snapshot& snap, bool needs_estimate = true);

// Whether a batch a view keeps on show while batch_on_show has none (`shown`, from an earlier
// snapshot) still belongs to the live run: the same run (no reset, other scenario or session
// since: run_id), the same world (no edit since) and not ahead of it (time travel back). A view
// drops its cached batch when this fails (after a reset it showed the discarded run's batch).
bool of_live_run(const pg::Session& shown, const pg::Session& live);

// A dim line for the top of the view when `b.previous`: "Iteration k's batch, the last complete
// one: iteration n's is being collected." Nothing otherwise.
void draw_previous_batch_note(const BatchOnShow& b, const pg::Session& live);

// The note when b.session is null: what the live session is doing and when the view fills.
void draw_no_batch_note(const pg::Session& live, bool needs_estimate = true);

}  // namespace pglab::gui
