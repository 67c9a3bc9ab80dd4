#pragma once
// SIGINT and SIGTERM during long work (DESIGN.md §5): the handler only records the signal; the
// work checks stop_signal() between steps, finishes what it is writing, closes its files and
// returns exit_code_of(signal) — 130 or 143.

#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace pg::cli {

// Installs the recording handler for SIGINT and SIGTERM (idempotent).
void catch_stop_signals();
// 0, or the first SIGINT/SIGTERM received since catch_stop_signals().
int stop_signal();
// Set by the same handler: the cancel flag (core/util/cancel.h) long work in core polls, so a
// signal stops a PPO update, the exact oracle or the variance lab within a fraction of a second.
const std::atomic<bool>* stop_flag();
// Set by the second SIGINT/SIGTERM: the cancel flag of work that finishes its step after the first
// (train --save completes the iteration in progress, so that it has a session to save; a second
// signal stops it at once).
const std::atomic<bool>* second_stop_flag();
bool second_stop_signal();
// A line the handler writes to stderr when the first signal arrives (null: none), so a run that
// completes its step before stopping says so at once, not when it is noticed between steps.
// `line` must outlive the handling (a string literal).
void set_first_signal_notice(const char* line);
// The one line and exit code for work stopped by a signal before it wrote anything:
// "pglab WHAT: stopped by SIGINT; nothing written" on stderr, returns 130/143.
int report_stopped(const char* what);
// For work that polls no flag (bench's timings; shot's training, replays and window): a thread
// that, at the first SIGINT/SIGTERM, prints the one line — "pglab WHAT: stopped by SIGINT; nothing
// written", or "...; wrote F" naming the files in `written` — and ends the process with 130/143
// at once. It takes `writing` first (when given), which the work holds while it writes a file and
// adds it to `written`, so no file is left half-written or half-renamed. Installs the handler
// (catch_stop_signals). The destructor stops the watch; a signal that came after its last look is
// the caller's to report (stopped_line, exit_code_of).
class StopWatcher {
 public:
  explicit StopWatcher(const char* what, std::mutex* writing = nullptr,
                       const std::vector<std::string>* written = nullptr);
  ~StopWatcher();
  StopWatcher(const StopWatcher&) = delete;
  StopWatcher& operator=(const StopWatcher&) = delete;

 private:
  std::atomic<bool> done_{false};
  std::thread thread_;
};
// "pglab WHAT: stopped by SIGINT; nothing written" (`written` empty) or "...; wrote a.json, b.png
// (complete) and nothing else", with a newline.
std::string stopped_line(const char* what, int signal, const std::vector<std::string>& written);
// 128 + signal: 130 for SIGINT, 143 for SIGTERM.
int exit_code_of(int signal);
const char* signal_name(int signal);

}  // namespace pg::cli
