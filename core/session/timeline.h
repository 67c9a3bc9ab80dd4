#pragma once
// Time travel (issue 10, item 1): periodic snapshots of a run and deterministic replay from the
// nearest one, so any past iteration can be looked at again exactly as it was.
//
//   Timeline t;                        // a snapshot every 8 iterations, at most 32 kept
//   t.observe(live);                   // after each advance of the live session
//   Session then = t.at(live, 17);     // the run at the boundary of iteration 17: θ₁₇, the last
//                                      // batch (iteration 16's) with its estimate, exact values
//
// "The session at iteration k" is the session at the boundary of iteration k — k iterations done,
// phase collect, no step of iteration k taken: what `run_iterations(k)` from the start gives and
// what the window showed when the run was paused there (θ_k, iteration k − 1's batch, estimate and
// update, J(θ_k), k history rows). Random numbers are counter-based (util/rng.h), and a Session
// copy continues exactly as the original would, so replaying from a copy taken at iteration j ≤ k,
// making the run's live changes (Session::changes()) and world edits (Session::world_changes())
// where they were made, reproduces the boundary of k bit for bit.
//
// Memory stays bounded: at most max_snapshots() copies are kept, and no more than fit the memory
// budget (session/budget.h: timeline_snapshots_that_fit). When one more is due, the spacing
// every() doubles and the snapshots off the new spacing are dropped, so they stay evenly spread
// over the run and a replay is at most every() − 1 iterations long. Iteration 0 is always kept
// (a session restored from a file, observed first at iteration N, replays from the run's start).
//
// Snapshots are immutable and shared (shared_ptr<const Session>): copying a Timeline is cheap, and
// another thread may replay from a copy while the live session goes on.

#include <atomic>
#include <functional>
#include <memory>
#include <vector>

#include "session/session.h"

namespace pg {

class Timeline {
 public:
  static constexpr int kDefaultEvery = 8;
  static constexpr int kDefaultMaxSnapshots = 32;

  // every ≥ 1: the initial spacing; max_snapshots ≥ 2.
  explicit Timeline(int every = kDefaultEvery, int max_snapshots = kDefaultMaxSnapshots);

  // Keeps a copy of `live` when it stands at an iteration boundary (no fault) whose iteration is
  // a multiple of every() and none is kept for it yet. Cheap otherwise (no copy). Snapshots that
  // do not lead to `live` (continues() is false) are dropped first: all of them after a reset or
  // for another run; for a branch of the run (Session::fork_with at an earlier iteration, given
  // a copy of the run's timeline) those after the branch point.
  void observe(const Session& live);
  void clear() { snapshots_.clear(); }

  int every() const { return every_; }
  int max_snapshots() const { return max_; }
  size_t size() const { return snapshots_.size(); }
  // The iterations of the kept snapshots, ascending.
  std::vector<int> iterations() const;
  // The iteration a replay to k starts from in `live`'s run: the nearest kept snapshot at or
  // before k (0, the run's start, when there is none).
  int base_for(const Session& live, int k) const;

  // The session as it was at the boundary of iteration k of `live`'s run, 0 ≤ k ≤
  // live.iteration() (InputError "iteration: …" otherwise). Replayed from base_for(live, k), or
  // from `from` when given (a session an earlier at() returned for this run, at or before k,
  // nearer than the snapshot: scrubbing forward continues from where it was). The replay makes
  // the live changes made up to that boundary (those of iteration k's boundary included) and the
  // world edits that took effect by then. `cancel` (util/cancel.h) is polled as the session polls
  // it (Cancelled is thrown). Throws std::runtime_error if the replay pauses at a fault, which
  // the live run did not.
  Session at(const Session& live, int k, const std::atomic<bool>* cancel = nullptr,
             const Session* from = nullptr) const;

  // Replays `live`'s run from the boundary of iteration `from` to that of `to` (0 ≤ from ≤ to ≤
  // live.iteration()), as at() does, and shows `observe` the session at every boundary on the way,
  // from's included: what an observer of the live run saw then (a view's per-iteration readings,
  // for iterations the live session reached by another path: a file, a lesson). Throws as at().
  void replay(const Session& live, int from, int to,
              const std::function<void(const Session&)>& observe,
              const std::atomic<bool>* cancel = nullptr) const;

 private:
  // Replays s (a session of live's run at a boundary at or before k) to the boundary of k, making
  // live's changes and world edits after s's up to there.
  static void replay_to(Session& s, const Session& live, int k,
                        const std::function<void(const Session&)>& observe);
  // The snapshot (or null) a replay to k in live's run starts from.
  std::shared_ptr<const Session> nearest(const Session& live, int k) const;

  int every_, max_;
  std::vector<std::shared_ptr<const Session>> snapshots_;  // ascending iterations
};

// Whether `earlier` is `later`'s run at an earlier point: the same start, and its live changes
// and world edits a prefix of `later`'s (what the timeline and a replay to it need).
bool continues(const Session& later, const Session& earlier);

// The run's start: a fresh session (iteration 0) on the settings and the world `live` started
// from (Session::start_scenario(), Session::start_world()), as a session file restores it.
Session run_start(const Session& live, const std::atomic<bool>* cancel = nullptr);

}  // namespace pg
