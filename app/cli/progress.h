#pragma once
// "pglab variance: 37/200 batches" on stderr, redrawn every 0.2 s once the work has taken 1 s,
// only when stderr is a terminal (logs and pipes get nothing); the line is cleared at the end. The
// work counts into `done` (core's labs take a std::atomic<int>* progress).
//
//   StderrProgress progress("pglab importance", K);
//   o.progress = &progress.done;

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>

namespace pg::cli {

class StderrProgress {
 public:
  // `unit`: what `total` counts ("batches"); `what` and `unit` must outlive the object.
  StderrProgress(const char* what, int total, const char* unit = "batches") {
    if (!isatty(fileno(stderr))) return;
    thread_ = std::thread([this, what, total, unit] {
      const auto start = std::chrono::steady_clock::now();
      bool shown = false;
      while (!stop_.load()) {
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        if (std::chrono::steady_clock::now() - start < std::chrono::seconds(1)) continue;
        std::fprintf(stderr, "\r%s: %d/%d %s", what, done.load(), total, unit);
        std::fflush(stderr);
        shown = true;
      }
      if (shown) std::fprintf(stderr, "\r\033[K");
    });
  }
  ~StderrProgress() {
    stop_.store(true);
    if (thread_.joinable()) thread_.join();
  }
  StderrProgress(const StderrProgress&) = delete;
  StderrProgress& operator=(const StderrProgress&) = delete;
  std::atomic<int> done{0};

 private:
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace pg::cli
