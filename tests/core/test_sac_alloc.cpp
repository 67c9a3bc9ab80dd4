// A warm continuous-SAC training loop does not allocate (STYLE.md §6): global operator new/delete
// and malloc are replaced with counting versions (tests/core/alloc_counter.h). A small Pendulum
// session is warmed past sac.warmup, then the next iterations — collect, estimate (Q of the taken
// actions, the reparameterised ĝ), replay push, gradient steps (sampled targets, twin critic fits,
// the actor's reparameterised step, α, Polyak targets), evaluate — must allocate nothing.
#include <gtest/gtest.h>

#include "alloc_counter.h"
#include "session/session.h"
#include "tiny_sac_pendulum.h"

namespace pg {

using alloc_counter::Counts;
using alloc_counter::now;

TEST(SacAlloc, TheCountersSeeAllocations) {
  // Otherwise the zeros below would prove nothing.
  const Counts before = now();
  Eigen::VectorXd x(1000);
  x.setZero();
  const Counts after = now();
  EXPECT_GE(after.mallocs - before.mallocs, 1);
  EXPECT_EQ(x.sum(), 0.0);
}

TEST(SacAlloc, WarmPendulumDoesNotAllocate) {
  Session session(test::tiny_sac_pendulum());
  // Warm-up: past the warmup and the first episode's end (200 steps), every buffer at its working
  // size; the measured iterations see another episode end (step 400).
  ASSERT_TRUE(session.run_iterations(20));
  ASSERT_GT(session.update_stats().get("gradient_steps"), 0.0);
  // History allocates one chunk per History::kChunk iterations; stay inside the current one.
  const int measured = 10;  // steps 320..480
  ASSERT_LT(session.history().size() % History::kChunk + measured, History::kChunk);
  const Counts before = now();
  const bool ok = session.run_iterations(measured);
  const Counts after = now();
  ASSERT_TRUE(ok);
  EXPECT_EQ(after.news - before.news, 0) << "operator new inside the warm SAC loop";
  EXPECT_EQ(after.mallocs - before.mallocs, 0) << "malloc inside the warm SAC loop";
}

}  // namespace pg
