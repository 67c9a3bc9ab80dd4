// KeyedJob: the newest result of a background computation whose inputs are summed up by a key
// (snapshot version and the view's settings). Each frame update() moves a finished job's result
// into shown() and starts a job when the key changed. While training runs, a job in flight always
// finishes (its result is shown, then the newest key is computed, at most every `throttle` seconds
// after the last start): cancelling it for each new snapshot starved a job slower than the
// throttle, and the view showed its first result for ever. While the lab is paused a changed key
// (the student's settings) replaces the job at once, and update() waits for the first result (up
// to 4 s once, then 0.1 s a frame) so headless shots show numbers rather than "computing…".
// Results are shared_ptr so a view's state stays copyable.
#pragma once

#include <cstdint>
#include <memory>
#include <utility>

#include "gui/views/background_job.h"
#include "imgui.h"

namespace pglab::gui {

template <class Result>
class KeyedJob {
 public:
  // make_work(key) returns the job's work: Result(std::atomic<int>&, const std::atomic<bool>&),
  // owning copies of its inputs.
  template <class MakeWork>
  void update(uint64_t key, bool running, double throttle, MakeWork make_work) {
    take();
    const double now = ImGui::GetTime();
    const bool have = shown_ && shown_key_ == key;
    const bool outdated = job_ && job_key_ != key;
    if (!have && (!job_ || (outdated && !running)) &&
        (!running || !shown_ || now - launched_at_ >= throttle)) {
      job_.reset();  // cancels and joins an outdated one
      job_ = std::make_unique<BackgroundJob<Result>>(make_work(key));
      job_key_ = key;
      launched_at_ = now;
    }
    if (job_ && !running && (!shown_ || shown_key_ != key)) {
      job_->wait_for(waited_ ? 0.1 : 4.0);
      waited_ = true;
      take();
    }
  }
  const Result* shown() const { return shown_.get(); }
  bool busy() const { return job_ != nullptr; }

 private:
  void take() {
    if (!job_ || !job_->done()) return;
    shown_ = std::make_shared<Result>(std::move(job_->result()));
    shown_key_ = job_key_;
    job_.reset();
  }
  std::unique_ptr<BackgroundJob<Result>> job_;
  uint64_t job_key_ = 0;
  std::shared_ptr<Result> shown_;
  uint64_t shown_key_ = ~0ULL;
  double launched_at_ = -1e9;
  bool waited_ = false;
};

// FNV-1a over a few numbers: a key for KeyedJob.
inline uint64_t mix_key(uint64_t h, uint64_t v) {
  for (int i = 0; i < 8; ++i) {
    h ^= (v >> (8 * i)) & 0xFF;
    h *= 1099511628211ULL;
  }
  return h;
}

}  // namespace pglab::gui
