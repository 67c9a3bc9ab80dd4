// SessionRunner: the core Session on a worker thread (DESIGN.md §2, Threads).
//
// The worker advances the session while running; the UI thread reads immutable snapshots (a deep
// copy taken under a short lock, only when something changed) and sends commands. Stepping by
// hand pauses the worker and runs synchronously. Every number on screen comes from the snapshot's
// Session, i.e. from core/.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "lab/meter.h"
#include "session/session.h"
#include "session/timeline.h"

namespace pglab::gui {

struct Snapshot {
  std::shared_ptr<const pg::Session> session;  // never null once a runner exists
  uint64_t version = 0;                        // changes whenever the session changed
  // While `session` has no complete, estimated batch (collecting the next one, or not yet
  // estimated): the run as it stood at an earlier iteration boundary, whose batch(),
  // last_estimate(), behaviour_policy() and batch_exact() are the last complete batch's (its
  // batch_iteration() says which), so a view can keep showing that batch. Usually the boundary
  // just before `session`'s iteration; an older one while training runs at full speed (the
  // runner copies at most one boundary per 40 ms). Null otherwise, or when none is kept (the
  // run's first batch, after a reset or a world edit, a run restored mid-batch).
  std::shared_ptr<const pg::Session> last_batch;
};

class SessionRunner {
 public:
  // Throws pg::InputError when the scenario cannot be built (bad map, bad combination).
  explicit SessionRunner(const pg::Scenario& scenario);
  // Runs a copy of an existing session (a restored session file, a lesson step's result).
  explicit SessionRunner(const pg::Session& session);
  ~SessionRunner();
  SessionRunner(const SessionRunner&) = delete;
  SessionRunner& operator=(const SessionRunner&) = delete;

  // Speed: env steps per second in slow motion; 0 = unlimited (whole episodes back to back).
  void set_speed(double env_steps_per_second);
  // Pace in whole iterations per second (what a class watches learning at); 0 = unlimited.
  void set_pace(double iterations_per_second);
  double speed() const { return speed_; }
  // Running stops when the session reaches this iteration (the scenario's algorithm.iterations);
  // < 0: never. stopped_at_end() tells the UI to offer "continue".
  void set_stop_at(int iteration) { stop_at_ = iteration; }
  int stop_at() const { return stop_at_; }
  bool stopped_at_end() const { return stopped_at_end_; }
  void set_running(bool running);
  bool running() const { return running_; }
  // One unit, synchronously; pauses first. Returns false if the session is faulted.
  bool step(pg::Granularity g);
  // The same on the worker thread (the window's Step: one iteration of a big world takes seconds);
  // made in order, after a reset asked for before it, and before any later command.
  void step_in_background(pg::Granularity g);
  // A reset or step asked for in the background is not made yet: the snapshot is of the run before
  // it (what saves, pins and forks must not take for the run after it).
  bool pending() const { return has_pending_.load(); }
  // Whole iterations, synchronously (headless shots, tests), making `changes` on the way.
  bool run_iterations(int n, const std::vector<pg::ScheduledChange>& changes = {});
  // Back to iteration 0, same seed; pauses.
  void reset();
  // The same on the worker thread (the window's Reset: a big world's exact J takes seconds); the
  // next command, or the worker, makes it first, so nothing is applied to the run before it.
  void reset_in_background();
  // Takes effect from the next estimate; trajectories already sampled are kept.
  // Throws pg::InputError for a setting the world cannot have (exact-value in cart-pole).
  void set_estimator(const pg::EstimatorConfig& c);

  // A live setting (pg::Session::set_live): made now at an iteration boundary, else queued to the
  // next iteration (returns false). Throws pg::InputError with --set's message.
  bool set_live(const std::string& key, const nlohmann::json& value);

  // Session::set_world under the lock: true when the edit took effect, false when it waits for
  // the iteration boundary. Throws pg::InputError (nothing changed) for a world it refuses.
  bool set_world(const pg::GridWorldSpec& w);

  // The latest state (a copy when the session changed since the last call).
  Snapshot snapshot();
  // How long the worker has been inside one advance (an episode, a phase, an iteration): 0 when
  // it is not. While it is, snapshot(), timeline() and meter_sync() give what they had after
  // waiting a moment instead of the whole phase (a big world's exact J takes seconds): the window
  // stays live and says the run is busy. A command taken at once (step, reset, a live setting)
  // still waits; the window's Step and Reset go through step_ and reset_in_background.
  double busy_seconds() const;
  // The NaN/Inf message of a faulted session ("" when healthy).
  std::string fault();
  // The run's snapshots for time travel (issue 10): the worker keeps one every few iterations
  // (pg::Timeline, bounded); a copy is cheap (shared, immutable sessions).
  pg::Timeline timeline();

  // Loss ≠ progress (issue 10): the meter's reading (core/lab/meter.h) of every iteration this
  // runner completed — read at each iteration boundary on the worker, by step() and by
  // run_iterations() — oldest first. Reset clears it; when the session's iteration goes back,
  // the readings from there on are dropped. meter_sync appends to `out` what it lacks, or
  // replaces it when the series was cleared or cut since `generation` (which it updates).
  void meter_sync(std::vector<pg::MeterReading>& out, uint64_t& generation);
  // Readings of iterations this runner did not complete itself (pg::replay_meter: a session
  // opened from a file or a lesson's step reached them elsewhere), put before the series when it
  // is still `generation` (those not before its first reading dropped). Returns the series'
  // generation after (a new one when some went in, so views copy the series again), or 0 when
  // the series changed since `generation` (nothing went in).
  uint64_t meter_prepend(std::vector<pg::MeterReading> readings, uint64_t generation);

 private:
  void worker();
  void reset_locked();  // reset()'s work, under mutex_
  // Under mutex_: the resets and steps asked for in the background and not made yet, in order
  // (stops early on quit_ and after a fault).
  void make_pending();
  // Takes the lock for a frame: waits up to kFrameWait, not at all while the worker is busy.
  bool lock_for_frame(std::unique_lock<std::timed_mutex>& lock);
  // After every change of session_ (under mutex_): the timeline notes it, then the version moves.
  void bump() {
    timeline_.observe(session_);
    version_.fetch_add(1, std::memory_order_release);
  }
  void
  observe();  // under mutex_: a meter reading when the session reached a new iteration boundary
  // Under mutex_, before an advance: at an iteration boundary with an estimated batch, keeps a
  // copy of the session (Snapshot::last_batch); `throttle`: at most one copy per 40 ms (the worker
  // at full speed). At a boundary without an estimate (a world edit dropped the batch) it drops
  // the copy kept.
  void keep_boundary(bool throttle);

  std::timed_mutex mutex_;  // guards session_
  pg::Session session_;
  pg::Timeline timeline_;       // guarded by mutex_
  pg::Timeline timeline_seen_;  // the UI thread's last copy (timeline())
  uint64_t timeline_seen_version_ = 0;
  // steady_clock ticks when the worker's advance began; 0: idle.
  std::atomic<int64_t> busy_since_{0};
  std::atomic<uint64_t> version_{1};
  uint64_t snapshot_version_ = 0;
  std::shared_ptr<const pg::Session> snapshot_;
  std::shared_ptr<const pg::Session> snapshot_last_batch_;
  std::shared_ptr<const pg::Session> boundary_;  // guarded by mutex_; see keep_boundary
  std::chrono::steady_clock::time_point boundary_time_{};
  std::chrono::steady_clock::time_point snapshot_time_{};

  std::atomic<bool> running_{false};
  std::atomic<double> speed_{0.0};
  std::atomic<bool> per_iteration_{false};  // speed_ counts iterations (else env steps)
  std::atomic<int> stop_at_{-1};
  std::atomic<bool> stopped_at_end_{false};
  std::atomic<bool> quit_{false};
  // reset_in_background / step_in_background not made yet, oldest first: a reset (nullopt) or a
  // step of a granularity. A reset drops what was asked for before it (it would undo it).
  std::mutex pending_mutex_;
  std::deque<std::optional<pg::Granularity>> pending_;  // guarded by pending_mutex_
  // From a request until the last one asked for is made (pending()).
  std::atomic<bool> has_pending_{false};
  std::mutex wake_mutex_;
  std::condition_variable wake_;
  std::thread thread_;
  std::vector<pg::MeterReading> meter_;  // guarded by mutex_
  uint64_t meter_generation_ = 0;        // guarded by mutex_; new on every clear or cut
};

}  // namespace pglab::gui
