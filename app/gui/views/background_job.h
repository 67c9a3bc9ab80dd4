// BackgroundJob: one computation on its own thread, for views whose numbers take longer than a
// frame (the variance lab, forked runs). The work gets a progress counter and a cancel flag; the
// UI polls done() each frame and reads result() once it is. Destroying the job cancels it and
// joins, so a job never outlives the view state that owns it (and it owns copies of its inputs).
#pragma once

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <utility>

namespace pglab::gui {

// How many BackgroundJobs are computing right now, across the app: a headless shot draws until it
// is 0 (and the layout has settled), so its picture never depends on how fast the jobs ran.
inline std::atomic<int> g_background_jobs_running{0};

template <class Result>
class BackgroundJob {
 public:
  // work: Result(std::atomic<int>& progress, const std::atomic<bool>& cancel). It runs on the new
  // thread and must only touch what it captured by value.
  template <class Work>
  explicit BackgroundJob(Work work)
      : thread_((g_background_jobs_running.fetch_add(1, std::memory_order_relaxed),
                 [this, work = std::move(work)]() mutable {
                   // Like the training worker: background priority, so drawing keeps its CPU.
                   setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), 19);
                   result_ = work(progress_, cancel_);
                   done_.store(true, std::memory_order_release);
                   g_background_jobs_running.fetch_sub(1, std::memory_order_release);
                 })) {}
  ~BackgroundJob() {
    cancel_.store(true, std::memory_order_relaxed);
    if (thread_.joinable()) thread_.join();
  }
  BackgroundJob(const BackgroundJob&) = delete;
  BackgroundJob& operator=(const BackgroundJob&) = delete;

  bool done() const { return done_.load(std::memory_order_acquire); }
  int progress() const { return progress_.load(std::memory_order_relaxed); }
  void cancel() { cancel_.store(true, std::memory_order_relaxed); }
  // Blocks up to `seconds` for the result (headless shots: the first frame waits for its numbers).
  bool wait_for(double seconds) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
    while (!done() && std::chrono::steady_clock::now() < until)
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    return done();
  }
  // Only after done().
  Result& result() { return result_; }

 private:
  std::atomic<int> progress_{0};
  std::atomic<bool> cancel_{false};
  std::atomic<bool> done_{false};
  Result result_{};
  std::thread thread_;  // last: starts once the members above exist
};

}  // namespace pglab::gui
