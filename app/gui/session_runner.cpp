#include "gui/session_runner.h"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <iterator>

namespace pglab::gui {

namespace {
// Generations are unique across runners, so a view's copy never mistakes a new runner's series
// for the one it holds.
std::atomic<uint64_t> next_meter_generation{1};

// How long a frame waits for the worker's lock before it draws what it has.
constexpr std::chrono::milliseconds kFrameWait{20};

// Marks the worker busy (SessionRunner::busy_seconds) while it is in scope.
struct Busy {
  explicit Busy(std::atomic<int64_t>& since) : since_(since) {
    since_.store(std::chrono::steady_clock::now().time_since_epoch().count(),
                 std::memory_order_relaxed);
  }
  ~Busy() { since_.store(0, std::memory_order_relaxed); }
  std::atomic<int64_t>& since_;
};
}  // namespace

SessionRunner::SessionRunner(const pg::Scenario& scenario) : session_(scenario) {
  meter_generation_ = next_meter_generation.fetch_add(1);
  timeline_.observe(session_);
  thread_ = std::thread([this] { worker(); });
}

SessionRunner::SessionRunner(const pg::Session& session) : session_(session) {
  meter_generation_ = next_meter_generation.fetch_add(1);
  timeline_.observe(session_);
  thread_ = std::thread([this] { worker(); });
}

SessionRunner::~SessionRunner() {
  quit_ = true;
  running_ = false;
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void SessionRunner::set_speed(double env_steps_per_second) {
  per_iteration_ = false;
  speed_ = env_steps_per_second;
}

void SessionRunner::set_pace(double iterations_per_second) {
  per_iteration_ = true;
  speed_ = iterations_per_second;
}

void SessionRunner::set_running(bool running) {
  if (running) stopped_at_end_ = false;
  running_ = running;
  wake_.notify_all();
}

bool SessionRunner::step(pg::Granularity g) {
  running_ = false;
  std::lock_guard<std::timed_mutex> lock(mutex_);
  make_pending();
  keep_boundary(false);
  const bool ok = session_.advance(g);
  observe();
  bump();
  return ok;
}

bool SessionRunner::run_iterations(int n, const std::vector<pg::ScheduledChange>& changes) {
  running_ = false;
  std::lock_guard<std::timed_mutex> lock(mutex_);
  make_pending();
  // pg::run_with_changes one iteration at a time, so the meter reads every one and the timeline
  // notes every boundary on the way.
  bool ok = true;
  for (int i = 0; i < n && ok; ++i) {
    pg::make_due_changes(session_, changes);
    ok = session_.advance(pg::Granularity::kIteration);
    observe();
    timeline_.observe(session_);
  }
  if (ok) pg::make_due_changes(session_, changes);
  bump();
  return ok;
}

void SessionRunner::reset() {
  running_ = false;
  std::lock_guard<std::timed_mutex> lock(mutex_);
  {
    const std::lock_guard<std::mutex> q(pending_mutex_);
    pending_.clear();  // undone by this reset anyway
    has_pending_ = false;
  }
  reset_locked();
}

void SessionRunner::reset_in_background() {
  running_ = false;
  {
    const std::lock_guard<std::mutex> q(pending_mutex_);
    pending_.clear();  // undone by the reset anyway
    pending_.push_back(std::nullopt);
    has_pending_ = true;
  }
  wake_.notify_all();
}

void SessionRunner::step_in_background(pg::Granularity g) {
  running_ = false;
  {
    const std::lock_guard<std::mutex> q(pending_mutex_);
    pending_.push_back(g);
    has_pending_ = true;
  }
  wake_.notify_all();
}

void SessionRunner::reset_locked() {
  session_.reset();
  boundary_.reset();
  meter_.clear();
  meter_generation_ = next_meter_generation.fetch_add(1);
  bump();
}

void SessionRunner::make_pending() {
  // One at a time, so a reset asked for while a step is being made drops the steps after it.
  while (!quit_) {
    std::optional<pg::Granularity> next;
    {
      // has_pending_ stays true until the last one is made (pending()).
      const std::lock_guard<std::mutex> q(pending_mutex_);
      if (pending_.empty()) {
        has_pending_ = false;
        return;
      }
      next = pending_.front();
      pending_.pop_front();
    }
    if (!next) {
      reset_locked();
      continue;
    }
    keep_boundary(false);
    const bool ok = session_.advance(*next);
    observe();
    bump();
    if (!ok) {  // a fault pauses: the steps after it are dropped (a reset after it is kept)
      const std::lock_guard<std::mutex> q(pending_mutex_);
      while (!pending_.empty() && pending_.front()) pending_.pop_front();
    }
  }
}

bool SessionRunner::lock_for_frame(std::unique_lock<std::timed_mutex>& lock) {
  return busy_since_.load(std::memory_order_relaxed) != 0 ? lock.try_lock()
                                                          : lock.try_lock_for(kFrameWait);
}

void SessionRunner::set_estimator(const pg::EstimatorConfig& c) {
  std::lock_guard<std::timed_mutex> lock(mutex_);
  make_pending();
  session_.set_estimator(c);
  bump();
}

bool SessionRunner::set_live(const std::string& key, const nlohmann::json& value) {
  std::lock_guard<std::timed_mutex> lock(mutex_);
  make_pending();
  const bool now = session_.set_live(key, value);
  bump();
  return now;
}

bool SessionRunner::set_world(const pg::GridWorldSpec& w) {
  std::lock_guard<std::timed_mutex> lock(mutex_);
  make_pending();
  const bool now = session_.set_world(w);
  if (now) boundary_.reset();  // the last batch was dropped with the old world
  bump();
  return now;
}

Snapshot SessionRunner::snapshot() {
  const uint64_t v = version_.load(std::memory_order_acquire);
  // While training runs at full speed the session changes thousands of times a second; a copy
  // every 40 ms (25 per second) is all the eye can use and leaves the frame time to drawing.
  const auto now = std::chrono::steady_clock::now();
  if (snapshot_ && running_ && now - snapshot_time_ < std::chrono::milliseconds(40))
    return {snapshot_, snapshot_version_, snapshot_last_batch_};
  if (v != snapshot_version_ || !snapshot_) {
    // While the worker is inside a long phase (a big world's exact J, a long update) the frame
    // draws the last copy instead of waiting for it: the window stays live.
    std::unique_lock<std::timed_mutex> lock(mutex_, std::defer_lock);
    if (!snapshot_)
      lock.lock();
    else if (!lock_for_frame(lock))
      return {snapshot_, snapshot_version_, snapshot_last_batch_};
    snapshot_time_ = now;
    snapshot_ = std::make_shared<const pg::Session>(session_);
    snapshot_version_ = version_.load(std::memory_order_acquire);
    const bool shows_own = session_.batch_complete() && session_.has_estimate();
    // Not a batch of another world: an edit that waited for the iteration's end dropped the
    // batch with the old world (the kept copy is of that world until the next boundary).
    const bool other_world =
        boundary_ && boundary_->world_changes().size() != session_.world_changes().size();
    snapshot_last_batch_ =
        shows_own || !boundary_ || other_world || boundary_->iteration() > session_.iteration()
            ? nullptr
            : boundary_;
  }
  return {snapshot_, snapshot_version_, snapshot_last_batch_};
}

pg::Timeline SessionRunner::timeline() {
  std::unique_lock<std::timed_mutex> lock(mutex_, std::defer_lock);
  const uint64_t v = version_.load(std::memory_order_acquire);
  if (v != timeline_seen_version_ && lock_for_frame(lock)) {
    timeline_seen_ = timeline_;
    timeline_seen_version_ = v;
  }
  return timeline_seen_;
}

double SessionRunner::busy_seconds() const {
  const int64_t since = busy_since_.load(std::memory_order_relaxed);
  if (since == 0) return 0.0;
  const int64_t now = std::chrono::steady_clock::now().time_since_epoch().count();
  return std::chrono::duration<double>(std::chrono::steady_clock::duration(now - since)).count();
}

std::string SessionRunner::fault() {
  std::lock_guard<std::timed_mutex> lock(mutex_);
  return session_.fault();
}

void SessionRunner::observe() {
  const bool boundary = session_.at_iteration_boundary();
  const int done = session_.iteration();  // iterations completed
  if (!meter_.empty() && meter_.back().iteration >= done) {
    // The session went back (time travel, a restored file): drop the readings from there on.
    while (!meter_.empty() && meter_.back().iteration >= done) meter_.pop_back();
    meter_generation_ = next_meter_generation.fetch_add(1);
  }
  if (!boundary || done == 0 || (!meter_.empty() && meter_.back().iteration == done - 1)) return;
  pg::MeterReading r = pg::read_meter(session_);
  if (r.iteration == done - 1) meter_.push_back(r);
}

void SessionRunner::keep_boundary(bool throttle) {
  if (!session_.at_iteration_boundary() || !session_.fault().empty()) return;
  if (!session_.has_estimate()) {
    boundary_.reset();
    return;
  }
  if (boundary_ && boundary_->iteration() == session_.iteration() && throttle) return;
  const auto now = std::chrono::steady_clock::now();
  if (throttle && boundary_ && now - boundary_time_ < std::chrono::milliseconds(40)) return;
  boundary_time_ = now;
  boundary_ = std::make_shared<const pg::Session>(session_);
}

void SessionRunner::meter_sync(std::vector<pg::MeterReading>& out, uint64_t& generation) {
  std::unique_lock<std::timed_mutex> lock(mutex_, std::defer_lock);
  if (!lock_for_frame(lock)) return;  // the worker is busy: what `out` holds stays
  if (generation != meter_generation_ || out.size() > meter_.size()) {
    out.clear();
    generation = meter_generation_;
  }
  out.insert(out.end(), meter_.begin() + static_cast<std::ptrdiff_t>(out.size()), meter_.end());
}

uint64_t SessionRunner::meter_prepend(std::vector<pg::MeterReading> readings, uint64_t generation) {
  std::lock_guard<std::timed_mutex> lock(mutex_);
  if (generation != meter_generation_) return 0;  // another series since: the view asks again
  // Those the series took meanwhile (the run moved on while they were replayed) are its own.
  while (!readings.empty() && !meter_.empty() &&
         readings.back().iteration >= meter_.front().iteration)
    readings.pop_back();
  if (readings.empty()) return meter_generation_;
  meter_.insert(meter_.begin(), std::make_move_iterator(readings.begin()),
                std::make_move_iterator(readings.end()));
  meter_generation_ = next_meter_generation.fetch_add(1);
  return meter_generation_;
}

void SessionRunner::worker() {
  // Training yields to drawing: at background priority the worker takes the CPU the UI and the
  // software rasteriser leave, so frames stay smooth while it runs at unlimited speed.
  setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), 19);
  using clock = std::chrono::steady_clock;
  auto last = clock::now();
  double owed = 0.0;  // env steps due in slow motion
  while (!quit_) {
    if (has_pending_) {
      std::lock_guard<std::timed_mutex> lock(mutex_);
      const Busy busy(busy_since_);
      make_pending();
      continue;
    }
    if (!running_) {
      std::unique_lock<std::mutex> lock(wake_mutex_);
      wake_.wait_for(lock, std::chrono::milliseconds(50),
                     [this] { return running_ || quit_ || has_pending_; });
      last = clock::now();
      owed = 0.0;
      continue;
    }
    const double speed = speed_;
    bool ok = true;
    {
      // The scenario's iterations are done: stop at the iteration boundary (the UI offers
      // "continue").
      std::lock_guard<std::timed_mutex> lock(mutex_);
      const int stop = stop_at_;
      if (stop >= 0 && session_.iteration() >= stop && session_.phase() == pg::Phase::kCollect &&
          !session_.episode_in_progress()) {
        stopped_at_end_ = true;
        running_ = false;
        continue;
      }
    }
    if (speed <= 0.0) {
      // Unlimited: an episode (or phase) per lock, so snapshots and commands never wait long.
      std::lock_guard<std::timed_mutex> lock(mutex_);
      // A Pause, Step or Reset asked for while this thread waited for the lock comes first.
      if (!running_ || has_pending_) continue;
      const Busy busy(busy_since_);
      keep_boundary(true);
      ok = session_.advance(pg::Granularity::kEpisode);
      observe();
      bump();
    } else {
      const auto now = clock::now();
      owed += speed * std::chrono::duration<double>(now - last).count();
      last = now;
      if (owed < 1.0) {
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
        continue;
      }
      std::lock_guard<std::timed_mutex> lock(mutex_);
      if (!running_ || has_pending_) continue;
      const Busy busy(busy_since_);
      if (per_iteration_) {
        // One iteration per tick; a slow iteration does not pile up owed ones.
        keep_boundary(true);
        ok = session_.advance(pg::Granularity::kIteration);
        owed = std::min(owed - 1.0, 1.0);
      } else {
        for (; owed >= 1.0 && ok; owed -= 1.0) {
          keep_boundary(true);
          ok = session_.advance(pg::Granularity::kEnvStep);
        }
      }
      observe();
      bump();
    }
    if (!ok) running_ = false;  // a fault pauses; the UI shows the message and a reset button
  }
}

}  // namespace pglab::gui
