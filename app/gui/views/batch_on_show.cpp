#include "gui/views/batch_on_show.h"

#include "gui/layout.h"
#include "session/session.h"

namespace pglab::gui {

namespace {
bool shows_own(const pg::Session& s, bool needs_estimate) {
  return s.batch_complete() && s.batch().size() > 0 && (!needs_estimate || s.has_estimate());
}
}  // namespace

BatchOnShow batch_on_show(const Snapshot& snap, bool needs_estimate) {
  if (shows_own(*snap.session, needs_estimate)) return {snap.session, false};
  if (snap.last_batch && shows_own(*snap.last_batch, needs_estimate))
    return {snap.last_batch, true};
  return {};
}

bool of_live_run(const pg::Session& shown, const pg::Session& live) {
  return shown.run_id() == live.run_id() &&
         shown.world_changes().size() == live.world_changes().size() &&
         shown.batch_iteration() < live.iteration();
}

void draw_previous_batch_note(const BatchOnShow& b, const pg::Session& live) {
  if (!b.previous || !b.session) return;
  const int k = b.session->batch_iteration(), n = live.iteration();
  if (live.batch_complete())
    note_wrappedf(
        "Iteration %d's batch, the last estimated one: iteration %d's is complete and "
        "gets its estimate in the next phase.",
        k, n);
  else
    note_wrappedf("Iteration %d's batch, the last complete one: iteration %d's is being collected.",
                  k, n);
}

void draw_no_batch_note(const pg::Session& live, bool needs_estimate) {
  const int n = live.iteration();
  if (live.at_iteration_boundary() && live.batch().size() == 0)
    note_wrapped("No batch to show yet: step to collect one.");
  else if (live.batch_complete())
    note_wrappedf(
        "Iteration %d's batch is complete but has no estimate yet: step to the estimate "
        "phase (or by iteration).",
        n);
  else if (n == 0)
    note_wrappedf(
        "Collecting the first batch: this view shows it once it is complete%s (step by "
        "iteration%s).",
        needs_estimate ? " and estimated" : "", needs_estimate ? ", or to the estimate phase" : "");
  else
    note_wrappedf(
        "Collecting iteration %d's batch: this view shows it once it is complete%s (the "
        "last complete one was not kept: a reset, a world edit or a run restored "
        "mid-batch).",
        n, needs_estimate ? " and estimated" : "");
}

}  // namespace pglab::gui
