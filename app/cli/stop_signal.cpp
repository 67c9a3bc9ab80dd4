#include "cli/stop_signal.h"

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>

#include "io/atomic_file.h"

namespace pg::cli {
namespace {

volatile sig_atomic_t g_signal = 0;
std::atomic<bool> g_stop{false};      // lock-free (util/cancel.h asserts it): safe in a handler
std::atomic<bool> g_stop_now{false};  // the second signal
std::atomic<const char*> g_notice{nullptr};

extern "C" void record_signal(int sig) {
  if (g_signal == 0) {
    g_signal = sig;
    if (const char* line = g_notice.load(std::memory_order_relaxed))
      (void)!write(STDERR_FILENO, line, std::strlen(line));  // async-signal-safe
  } else
    g_stop_now.store(true, std::memory_order_relaxed);
  g_stop.store(true, std::memory_order_relaxed);
}

}  // namespace

void catch_stop_signals() {
  struct sigaction sa {};
  sa.sa_handler = record_signal;
  // Each blocks the other while it runs: a SIGTERM inside the SIGINT handler would otherwise also
  // take the first signal's branch, and a second signal would be lost.
  sigemptyset(&sa.sa_mask);
  sigaddset(&sa.sa_mask, SIGINT);
  sigaddset(&sa.sa_mask, SIGTERM);
  sa.sa_flags = SA_RESTART;
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  set_open_cancel_flag(&g_stop);  // a FIFO without a reader does not hold a stopped run
}

int stop_signal() {
  return g_signal;
}

const std::atomic<bool>* stop_flag() {
  return &g_stop;
}

const std::atomic<bool>* second_stop_flag() {
  return &g_stop_now;
}

bool second_stop_signal() {
  return g_stop_now.load(std::memory_order_relaxed);
}

void set_first_signal_notice(const char* line) {
  g_notice.store(line, std::memory_order_relaxed);
}

int report_stopped(const char* what) {
  const int sig = stop_signal();
  std::fprintf(stderr, "pglab %s: stopped by %s; nothing written\n", what, signal_name(sig));
  return exit_code_of(sig ? sig : SIGINT);
}

std::string stopped_line(const char* what, int signal, const std::vector<std::string>& written) {
  std::string line = std::string("pglab ") + what + ": stopped by " + signal_name(signal);
  if (written.empty()) return line + "; nothing written\n";
  std::string files;
  for (const std::string& f : written) files += (files.empty() ? "" : ", ") + f;
  return line + "; wrote " + files + " (complete) and nothing else\n";
}

StopWatcher::StopWatcher(const char* what, std::mutex* writing,
                         const std::vector<std::string>* written) {
  catch_stop_signals();
  thread_ = std::thread([this, what, writing, written] {
    while (!done_.load()) {
      if (const int sig = stop_signal()) {
        // A file being written is finished (and renamed into place) first.
        if (writing) writing->lock();
        const std::string line =
            stopped_line(what, sig, written ? *written : std::vector<std::string>{});
        (void)!write(STDERR_FILENO, line.data(), line.size());
        _exit(exit_code_of(sig));  // the work's threads and window end with the process
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  });
}

StopWatcher::~StopWatcher() {
  done_.store(true);
  thread_.join();
}

int exit_code_of(int signal) {
  return 128 + signal;
}

const char* signal_name(int signal) {
  return signal == SIGINT ? "SIGINT" : signal == SIGTERM ? "SIGTERM" : "a signal";
}

}  // namespace pg::cli
