// A warm A2C training loop does not allocate (STYLE.md §6): global operator new/delete and malloc
// are replaced with counting versions (glibc's documented replacement; Eigen takes its large
// buffers from malloc). A session is warmed up for a few iterations, then the next iterations —
// collect, estimate (values, bootstrap values, advantages, ĝ), actor step, critic fit, evaluate —
// must allocate nothing, in segment mode (cart-pole, MLP actor and critic) and online mode
// (one environment, an update every 5 steps, with the entropy bonus).
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <memory>
#include <new>

#include "alloc_counter.h"
#include "session/session.h"

namespace pg {

namespace {

using alloc_counter::Counts;
using alloc_counter::now;

void expect_no_allocation(Scenario s, int warm, int measured, const char* what) {
  Session session(std::move(s));
  // Warm-up: buffers grow to their working size.
  ASSERT_TRUE(session.run_iterations(warm)) << what;
  // History allocates one chunk per History::kChunk iterations; stay inside the current one.
  ASSERT_LT(session.history().size() % History::kChunk + measured, History::kChunk);
  const Counts before = now();
  const bool ok = session.run_iterations(measured);
  const Counts after = now();
  ASSERT_TRUE(ok) << what;
  EXPECT_EQ(after.news - before.news, 0) << what << ": operator new inside the warm training loop";
  EXPECT_EQ(after.mallocs - before.mallocs, 0) << what << ": malloc inside the warm training loop";
}

}  // namespace

TEST(A2CAlloc, TheCountersSeeAllocations) {
  // Otherwise the zeros below would prove nothing.
  const Counts before = now();
  auto v = std::make_unique<std::vector<double>>(100);
  Eigen::VectorXd x(1000);
  x.setZero();
  const Counts after = now();
  EXPECT_GE(after.news - before.news, 2);
  EXPECT_GE(after.mallocs - before.mallocs, 3);
  EXPECT_EQ(x.sum() + (*v)[0], 0.0);
}

TEST(A2CAlloc, WarmCartPoleSegmentsDoNotAllocate) {
  expect_no_allocation(load_scenario("a2c-cartpole"), 40, 40, "a2c-cartpole");
}

TEST(A2CAlloc, WarmOnlineCartPoleDoesNotAllocate) {
  // Online mode on cart-pole (finite worlds are left out: the session's exact evaluation
  // allocates).
  Scenario s = load_scenario("a2c-cartpole");
  set_values(s, {{"algorithm.online", true},
                 {"algorithm.num_envs", 1},
                 {"algorithm.num_steps", 5},
                 {"algorithm.entropy_coef", 0.01}});
  expect_no_allocation(std::move(s), 50, 300, "a2c-cartpole online, n = 5, entropy bonus");
}

}  // namespace pg
