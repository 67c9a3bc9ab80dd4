// Time travel through the window's logic (issue 10, item 1; gui/time_travel/time_travel.h), no
// window: the runner keeps its snapshots while it trains; travelling to a past iteration shows
// the session a fresh run stopped there holds, bit for bit, while the live run goes on untouched;
// "fork here" starts a branch at that iteration that catches up with the run on the same streams.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <thread>

#include "gui/app_state.h"
#include "gui/compare/compare.h"
#include "gui/time_travel/time_travel.h"

namespace pglab::gui {
namespace {

bool same_bits(const Eigen::VectorXd& a, const Eigen::VectorXd& b) {
  return a.size() == b.size() &&
         std::memcmp(a.data(), b.data(), sizeof(double) * static_cast<size_t>(a.size())) == 0;
}

pg::Scenario small() {
  pg::Scenario s = pg::load_scenario("gridworld-reinforce");
  pg::set_values(s, {{"algorithm.batch_episodes", 4}});
  return s;
}

TEST(TimeTravel, ViewsShowThePastWhileTheLiveRunGoesOn) {
  AppState state;
  ASSERT_TRUE(load_into(state, small(), ""));
  ASSERT_TRUE(state.runner->run_iterations(30));
  // The worker's timeline: a snapshot every 8 iterations.
  EXPECT_EQ(state.runner->timeline().iterations(), (std::vector<int>{0, 8, 16, 24}));

  travel_to(state, 13);
  ASSERT_TRUE(travelling(state));
  wait_for_replays(state, 120.0);
  const Snapshot live = state.runner->snapshot();
  const Snapshot shown = shown_snapshot(state, live);
  ASSERT_NE(shown.session, live.session);
  EXPECT_NE(shown.version, live.version);
  pg::Session fresh(small());
  ASSERT_TRUE(fresh.run_iterations(13));
  EXPECT_EQ(shown.session->iteration(), 13);
  EXPECT_TRUE(same_bits(shown.session->policy().params(), fresh.policy().params()));
  EXPECT_TRUE(same_bits(shown.session->last_estimate().gradient, fresh.last_estimate().gradient));
  EXPECT_EQ(live.session->iteration(), 30);  // not disturbed

  // The live run goes on; the views keep showing iteration 13.
  ASSERT_TRUE(state.runner->run_iterations(2));
  const Snapshot live2 = state.runner->snapshot();
  EXPECT_EQ(live2.session->iteration(), 32);
  EXPECT_EQ(shown_snapshot(state, live2).session->iteration(), 13);

  // Fork at 13 with the step size doubled: it catches up with the run (32) on the same streams.
  ASSERT_TRUE(fork_run(state, *shown.session, "algorithm.lr", 0.2)) << state.status;
  wait_for_replays(state, 120.0);
  ForkView f;
  ASSERT_TRUE(fork_view(state, &f));
  EXPECT_EQ(f.start, 13);
  EXPECT_EQ(f.what, "lr=0.2");
  ASSERT_TRUE(f.latest);
  EXPECT_EQ(f.latest->iteration(), 32);
  // Its row 13 used the parent's batch (same returns); its θ parted after that update.
  EXPECT_EQ(f.latest->history()[13].return_mean, live2.session->history()[13].return_mean);
  EXPECT_FALSE(same_bits(f.latest->policy().params(), live2.session->policy().params()));
  // The pictures side by side: the fork at the iteration on screen (13: the branch point).
  const auto fork_then = shown_fork(state, *shown_snapshot(state, live2).session);
  ASSERT_TRUE(fork_then);
  EXPECT_EQ(fork_then->iteration(), 13);
  EXPECT_TRUE(same_bits(fork_then->policy().params(), fresh.policy().params()));

  // A reset ends the journey: the views show the live run again.
  state.runner->reset();
  const Snapshot after = state.runner->snapshot();
  EXPECT_EQ(shown_snapshot(state, after).session, after.session);
  EXPECT_FALSE(travelling(state));
}

// Run goes to algorithm.iterations and the history keeps every row (10⁷ of them are 730 MB):
// loading a scenario whose rows and the timeline's copies cannot fit is refused, saying how many
// iterations fit, and the previous session stays.
TEST(TimeTravel, LoadRefusesAHistoryThatCannotFit) {
  AppState state;
  ASSERT_TRUE(load_into(state, small(), ""));
  ::setenv("PGLAB_MEMORY_BUDGET_MB", "100", 1);
  pg::Scenario big = small();
  pg::set_values(big, {{"algorithm.iterations", 10000000}});
  const bool loaded = load_into(state, big, "");
  const std::string error = state.scenario_error;
  const int kept = state.scenario.algorithm.iterations;
  pg::Scenario fits = small();
  pg::set_values(fits, {{"algorithm.iterations", 100000}});
  const bool fits_loaded = load_into(state, fits, "");
  // The controls' path (built in the background) refuses it the same way.
  state.scenario_error.clear();
  ASSERT_TRUE(start_load(state, big, ""));
  const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (state.building && !update_scenario_build(state) && std::chrono::steady_clock::now() < end)
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  const std::string background_error = state.scenario_error;
  ::unsetenv("PGLAB_MEMORY_BUDGET_MB");
  EXPECT_NE(background_error.find("lower algorithm.iterations (at most "), std::string::npos)
      << background_error;
  EXPECT_EQ(state.scenario.algorithm.iterations, 100000) << "the refused one replaced the loaded";
  EXPECT_FALSE(loaded);
  EXPECT_EQ(kept, small().algorithm.iterations);
  EXPECT_NE(error.find("algorithm.iterations: 10000000 iterations keep 10000000 "
                       "history rows"),
            std::string::npos)
      << error;
  EXPECT_NE(error.find("lower algorithm.iterations (at most "), std::string::npos) << error;
  EXPECT_TRUE(fits_loaded) << state.scenario_error;
}

// The scrub bar's curve reaches the live cursor n. A finite world ends on J(θ_n); a world without
// exact J (cart-pole) drew batch return i at the boundary i and so stopped at n − 1, one iteration
// short of the cursor: iteration i's batch belongs to the stretch [i, i + 1], the last one ends at
// n.
TEST(TimeTravel, TheTimelineCurveReachesTheLiveCursor) {
  pg::Scenario cart = pg::load_scenario("cartpole-reinforce");
  pg::set_values(cart, {{"algorithm.batch_episodes", 2}});
  pg::Session s(cart);
  ASSERT_TRUE(s.run_iterations(3));
  TimelineCurve c = timeline_curve(s, 400);
  EXPECT_FALSE(c.exact);
  ASSERT_FALSE(c.x.empty());
  ASSERT_EQ(c.x.size(), c.v.size());
  EXPECT_EQ(c.x.front(), 0.0);
  EXPECT_EQ(c.x.back(), 3.0);
  EXPECT_EQ(c.v.front(), s.history()[0].return_mean);
  EXPECT_EQ(c.v.back(), s.history()[2].return_mean);
  // Each batch's return at the middle of its iteration.
  EXPECT_EQ(c.x, (std::vector<double>{0.0, 0.5, 1.5, 2.5, 3.0}));
  EXPECT_EQ(c.v[2], s.history()[1].return_mean);
  // Mid-iteration (the bar still runs to n = 3): the same curve.
  ASSERT_TRUE(s.advance(pg::Granularity::kEnvStep));
  EXPECT_EQ(timeline_curve(s, 400).x.back(), 3.0);

  pg::Session g(small());
  ASSERT_TRUE(g.run_iterations(3));
  c = timeline_curve(g, 400);
  EXPECT_TRUE(c.exact);
  EXPECT_EQ(c.x, (std::vector<double>{0, 1, 2, 3}));
  EXPECT_EQ(c.v[1], g.history()[1].exact_J);
  ASSERT_NE(g.exact(), nullptr);
  EXPECT_EQ(c.v.back(), g.exact()->J);
}

}  // namespace
}  // namespace pglab::gui
