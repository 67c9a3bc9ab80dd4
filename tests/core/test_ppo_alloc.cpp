// A warm PPO training loop does not allocate (STYLE.md §6): global operator new/delete are
// replaced with counting versions, and so is malloc (glibc's documented replacement: Eigen takes
// its large GEMM buffers from malloc, not from operator new). A cart-pole PPO session is warmed up
// for a few iterations, then the next iterations — collect, estimate, 16 minibatch steps, evaluate,
// the session's batch, Estimate, History, completed returns and episode runners included — must
// allocate nothing.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <memory>
#include <new>

#include "algo/ppo.h"
#include "alloc_counter.h"
#include "session/session.h"

namespace pg {

using alloc_counter::Counts;
using alloc_counter::now;

TEST(PpoAlloc, TheCountersSeeAllocations) {
  // Otherwise the zero below would prove nothing.
  const Counts before = now();
  auto v = std::make_unique<std::vector<double>>(100);
  Eigen::VectorXd x(1000);
  x.setZero();
  const Counts after = now();
  EXPECT_GE(after.news - before.news, 2);        // the vector object and its buffer
  EXPECT_GE(after.mallocs - before.mallocs, 3);  // those two (via operator new) and Eigen's buffer
  EXPECT_EQ(x.sum() + (*v)[0], 0.0);
}

void expect_no_allocation(Scenario s, const char* what, bool statistics_wanted = true) {
  Session session(std::move(s));
  session.set_statistics_wanted(statistics_wanted);
  // Warm-up: buffers grow to their working size (the first iterations have the most episodes).
  ASSERT_TRUE(session.run_iterations(6)) << what;
  // History allocates one chunk per 1024 iterations; iterations 6..30 stay inside the first.
  ASSERT_LT(session.history().size() + 24, History::kChunk);
  const Counts before = now();
  const bool ok = session.run_iterations(24);
  const Counts after = now();
  ASSERT_TRUE(ok) << what;
  EXPECT_EQ(after.news - before.news, 0) << what << ": operator new inside the warm training loop";
  EXPECT_EQ(after.mallocs - before.mallocs, 0) << what << ": malloc inside the warm training loop";
}

TEST(PpoAlloc, WarmCartPoleClipDoesNotAllocate) {
  expect_no_allocation(load_scenario("cartpole-ppo"), "cartpole-ppo (clip)");
}

TEST(PpoAlloc, WarmCartPoleKlPenaltyDoesNotAllocate) {
  Scenario s = load_scenario("cartpole-ppo");
  set_values(s, {{"ppo.objective", "kl-penalty"}, {"ppo.clip_value", false}});
  expect_no_allocation(std::move(s), "cartpole-ppo (kl-penalty)");
}

TEST(PpoAlloc, WarmCartPoleFloat32DoesNotAllocate) {
  // policy.precision = float32: the float copy of θ is refreshed in place, X and dOut are rounded
  // into float scratch and the logits widened into double scratch, all sized once.
  Scenario s = load_scenario("cartpole-ppo");
  set_values(s, {{"policy.precision", "float32"}});
  expect_no_allocation(std::move(s), "cartpole-ppo (float32)");
}

TEST(PpoAlloc, WarmCartPoleWithoutTheEstimateGradientDoesNotAllocate) {
  // `pglab train` without --csv or --save, and `pglab bench`: the estimate skips ĝ.
  expect_no_allocation(load_scenario("cartpole-ppo"), "cartpole-ppo (no ĝ)", false);
}

}  // namespace pg
