#pragma once
// Cooperative cancellation of long work (issue 8: "signals everywhere, promptly").
//
// The caller owns a std::atomic<bool> and hands its address to the work (Session, the exact
// oracle, the variance lab, a lesson); the work polls it between units — env steps, minibatches,
// epochs, time steps of the oracle, sampled batches — and throws Cancelled once it is set. Core
// does not know who sets it: the CLI's SIGINT/SIGTERM handler (app/cli/stop_signal.h), a test, a
// window's Stop button. A poll is one relaxed atomic load, cheap enough for inner loops.
//
// Work that throws Cancelled leaves its object mid-phase: a Session pauses with a fault (advance
// returns false until reset()); nothing is written by the work itself.
//
//   std::atomic<bool> stop{false};
//   Session s(scenario, &stop);            // set stop from elsewhere: s.advance(...) throws

#include <atomic>
#include <stdexcept>

namespace pg {

class Cancelled : public std::runtime_error {
 public:
  Cancelled() : std::runtime_error("cancelled") {}
};

static_assert(std::atomic<bool>::is_always_lock_free,
              "a cancel flag is set from signal handlers: it must be lock-free");

// Throws Cancelled when `flag` is set (a null flag never cancels).
inline void throw_if_cancelled(const std::atomic<bool>* flag) {
  if (flag && flag->load(std::memory_order_relaxed)) throw Cancelled();
}

}  // namespace pg
