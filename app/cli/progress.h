#pragma once
// "pglab variance: 37/200 batches, about 12 s left" on stderr, redrawn every 0.2 s once the work
// has taken 1 s, only when stderr is a terminal (logs and pipes get nothing); the line is cleared
// at the end. The work counts into `done` (core's labs take a std::atomic<int>* progress), and
// may set `total` when only it knows it (a session file's replay).
//
//   StderrProgress progress("pglab importance", K);
//   o.progress = &progress.done;

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace pg::cli {

// "40 s", "12 min", "3.1 h", "4.7 days".
inline std::string duration_text(double seconds) {
  char buf[32];
  if (seconds < 90.0)
    std::snprintf(buf, sizeof buf, "%.0f s", seconds);
  else if (seconds < 5400.0)
    std::snprintf(buf, sizeof buf, "%.0f min", seconds / 60.0);
  else if (seconds < 172800.0)
    std::snprintf(buf, sizeof buf, "%.1f h", seconds / 3600.0);
  else
    std::snprintf(buf, sizeof buf, "%.1f days", seconds / 86400.0);
  return buf;
}

class StderrProgress {
 public:
  // What the line says of the count: "37/200 batches" by default.
  using Label = std::function<std::string(int done, int total)>;

  // `unit`: what `total` counts ("batches"); `what` and `unit` must outlive the object.
  StderrProgress(const char* what, int total_units, const char* unit = "batches")
      : StderrProgress(what, total_units, [unit](int d, int n) {
          return n > 0 ? std::to_string(d) + "/" + std::to_string(n) + " " + unit
                       : std::to_string(d) + " " + unit;
        }) {}
  // Work in phases says which one runs (landscape: "paths: PPO 120/10001 steps", then the grid);
  // the time left is at the pace of the whole count so far.
  StderrProgress(const char* what, int total_units, Label label) : total(total_units) {
    if (!isatty(fileno(stderr))) return;
    thread_ = std::thread([this, what, label = std::move(label)] {
      const auto start = std::chrono::steady_clock::now();
      bool shown = false;
      while (true) {
        {
          // Woken at once by the destructor: short work (an update of a few milliseconds each
          // iteration) is not held up to the next tick.
          std::unique_lock<std::mutex> lock(mutex_);
          if (wake_.wait_for(lock, std::chrono::milliseconds(200), [this] { return stop_; })) break;
        }
        const double elapsed =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        if (elapsed < 1.0) continue;
        // With the time left at the pace so far, so that a setting that needs days says so.
        const int d = done.load(), n = total.load();
        const std::string left = d > 0 && n > 0
                                     ? ", about " + duration_text(elapsed * (n - d) / d) + " left"
                                     : ", " + duration_text(elapsed) + " so far";
        std::fprintf(stderr, "\r%s: %s%s\033[K", what, label(d, n).c_str(), left.c_str());
        std::fflush(stderr);
        shown = true;
      }
      if (shown) std::fprintf(stderr, "\r\033[K");
    });
  }
  ~StderrProgress() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stop_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
  }
  StderrProgress(const StderrProgress&) = delete;
  StderrProgress& operator=(const StderrProgress&) = delete;
  std::atomic<int> done{0};
  // What `done` counts to; work that learns it only once it runs (a session file's replay: the
  // file's iteration) sets it. 0: not known yet (the line says how long so far).
  std::atomic<int> total{0};

 private:
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;  // under mutex_
  std::thread thread_;
};

}  // namespace pg::cli
