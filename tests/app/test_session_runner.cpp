// The window's SessionRunner without a window: Run stops at the scenario's iterations (issue 7,
// "Run defaults"), the pace in iterations per second is a pace (not unlimited), and view names
// come from the one view table.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "gui/app_state.h"
#include "gui/session_runner.h"
#include "gui/views/batch_on_show.h"
#include "io/params.h"

namespace pglab::gui {
namespace {

pg::Scenario small(int iterations) {
  pg::Scenario s = pg::load_scenario("gridworld-reinforce");
  pg::set_values(s, {{"algorithm.batch_episodes", 2}, {"algorithm.iterations", iterations}});
  return s;
}

// Waits until the runner pauses by itself (at most `seconds`).
bool wait_paused(SessionRunner& r, double seconds) {
  const auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (r.running() && std::chrono::steady_clock::now() < end)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  return !r.running();
}

// The meter (issue 10) reads every iteration, whether the worker runs them at full speed,
// run_iterations() makes them in one call or step() takes them one env step at a time; each
// reading is the one pg::read_meter gives a session stopped there; reset starts a new series.
TEST(SessionRunner, MeterReadsEveryIterationOnce) {
  SessionRunner r(small(6));
  ASSERT_TRUE(r.run_iterations(3));
  r.set_pace(0.0);
  r.set_stop_at(6);
  r.set_running(true);
  ASSERT_TRUE(wait_paused(r, 60.0));
  while (r.snapshot().session->iteration() < 7) ASSERT_TRUE(r.step(pg::Granularity::kEnvStep));
  std::vector<pg::MeterReading> got;
  uint64_t generation = 0;
  r.meter_sync(got, generation);
  ASSERT_EQ(got.size(), 7u);
  for (int i = 0; i < 7; ++i) EXPECT_EQ(got[static_cast<size_t>(i)].iteration, i);
  pg::Session straight(small(6));
  ASSERT_TRUE(straight.run_iterations(7));
  const pg::MeterReading ref = pg::read_meter(straight);
  EXPECT_EQ(got.back().loss, ref.loss);
  EXPECT_EQ(got.back().grad_norm, ref.grad_norm);
  EXPECT_EQ(got.back().snr, ref.snr);
  r.meter_sync(got, generation);  // nothing new: unchanged
  EXPECT_EQ(got.size(), 7u);
  r.reset();
  r.meter_sync(got, generation);
  EXPECT_TRUE(got.empty());
}

// Mid-batch the snapshot carries the last complete batch (Snapshot::last_batch): the session at
// the boundary the step left, its batch and estimate those of a session stopped there; none at a
// boundary (the live session shows its own), before the first batch, or after a reset.
TEST(SessionRunner, MidBatchSnapshotsKeepTheLastCompleteBatch) {
  SessionRunner r(small(6));
  ASSERT_TRUE(r.step(pg::Granularity::kEnvStep));
  EXPECT_EQ(r.snapshot().last_batch, nullptr);  // iteration 0: nothing complete yet
  r.reset();
  ASSERT_TRUE(r.run_iterations(3));
  EXPECT_EQ(r.snapshot().last_batch, nullptr);  // at the boundary of 3 (the live batch: 2's)
  ASSERT_TRUE(r.step(pg::Granularity::kEnvStep));
  const Snapshot mid = r.snapshot();
  ASSERT_FALSE(mid.session->batch_complete());
  ASSERT_NE(mid.last_batch, nullptr);
  EXPECT_EQ(mid.last_batch->batch_iteration(), 2);
  ASSERT_TRUE(mid.last_batch->has_estimate());
  pg::Session stopped(small(6));
  ASSERT_TRUE(stopped.run_iterations(3));
  ASSERT_EQ(mid.last_batch->batch().num_steps(), stopped.batch().num_steps());
  EXPECT_EQ(mid.last_batch->last_estimate().gradient, stopped.last_estimate().gradient);
  EXPECT_EQ(mid.last_batch->behaviour_policy().params(), stopped.behaviour_policy().params());
  r.reset();
  ASSERT_TRUE(r.step(pg::Granularity::kEnvStep));
  EXPECT_EQ(r.snapshot().last_batch, nullptr);
}

// A batch a view keeps on show (the Importance, Advantages and Inspector views hold the last one
// while none is complete) belongs to the live run only until a reset, a world edit or another run:
// after a reset those views showed the discarded run's batch.
TEST(SessionRunner, AKeptBatchIsOfTheLiveRunUntilAResetOrAnEdit) {
  SessionRunner r(small(6));
  ASSERT_TRUE(r.run_iterations(1));
  const std::shared_ptr<const pg::Session> at1 = r.snapshot().session;
  ASSERT_TRUE(r.run_iterations(2));
  ASSERT_TRUE(r.step(pg::Granularity::kEnvStep));
  const Snapshot mid = r.snapshot();
  ASSERT_NE(mid.last_batch, nullptr);
  const std::shared_ptr<const pg::Session> kept = mid.last_batch;
  ASSERT_EQ(kept->batch_iteration(), 2);
  EXPECT_TRUE(of_live_run(*kept, *mid.session));
  ASSERT_TRUE(r.run_iterations(1));  // later iterations of the same run
  EXPECT_TRUE(of_live_run(*kept, *r.snapshot().session));
  // Time travel back to before the kept batch's iteration: the run as it was at iteration 1.
  EXPECT_FALSE(of_live_run(*kept, *at1));
  r.reset();
  ASSERT_TRUE(r.step(pg::Granularity::kEnvStep));
  EXPECT_FALSE(of_live_run(*kept, *r.snapshot().session));
  // A world edit: the same run, another world.
  SessionRunner e(small(6));
  ASSERT_TRUE(e.run_iterations(2));
  ASSERT_TRUE(e.step(pg::Granularity::kEnvStep));
  const std::shared_ptr<const pg::Session> before = e.snapshot().last_batch;
  ASSERT_NE(before, nullptr);
  pg::GridWorldSpec w = e.snapshot().session->world();
  w.slip = w.slip > 0.05 ? 0.0 : 0.1;
  e.set_world(w);
  while (e.snapshot().session->world_changes().empty())
    ASSERT_TRUE(e.step(pg::Granularity::kEnvStep));
  EXPECT_FALSE(of_live_run(*before, *e.snapshot().session));
  // Another runner's batch is never this run's.
  SessionRunner other(small(6));
  ASSERT_TRUE(other.run_iterations(5));
  EXPECT_FALSE(of_live_run(*kept, *other.snapshot().session));
}

TEST(SessionRunner, RunStopsAtTheScenarioIterationsThenContinues) {
  SessionRunner r(small(7));
  r.set_pace(0.0);  // unlimited: the stop, not the pace, ends the run
  r.set_stop_at(7);
  r.set_running(true);
  ASSERT_TRUE(wait_paused(r, 60.0));
  EXPECT_TRUE(r.stopped_at_end());
  const pg::Session& s = *r.snapshot().session;
  EXPECT_EQ(s.iteration(), 7);
  EXPECT_EQ(s.history().size(), 7u);
  EXPECT_EQ(s.phase(), pg::Phase::kCollect);
  // Continue: as many more. "Continue" clears the flag at once; checked at a slow pace, since at
  // unlimited speed this tiny world's 7 iterations can be done (and the flag set again) before
  // the next line reads it (seen once in a clean-clone run).
  r.set_stop_at(14);
  r.set_pace(0.5);
  r.set_running(true);
  EXPECT_FALSE(r.stopped_at_end());
  r.set_pace(0.0);
  ASSERT_TRUE(wait_paused(r, 60.0));
  EXPECT_TRUE(r.stopped_at_end());
  EXPECT_EQ(r.snapshot().session->iteration(), 14);
}

TEST(SessionRunner, PaceInIterationsPerSecondIsAPace) {
  SessionRunner r(small(1000));
  r.set_pace(20.0);
  r.set_stop_at(-1);
  r.set_running(true);
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  r.set_running(false);
  const int done = r.snapshot().session->iteration();
  // 20 per second for 0.5 s: about 10. Unlimited would be hundreds here (a 2-episode gridworld
  // iteration takes well under a millisecond); the band allows a loaded machine to lag.
  EXPECT_GE(done, 3);
  EXPECT_LE(done, 13);
}

// A phase that takes seconds (here a 20×20 world's exact J under a 512-512 network, ~1 s) holds
// the worker's lock throughout: the window's frame waited for it (the window froze for the whole
// phase, a black window for a big world). Now a frame waits a moment and draws the copy it has;
// the runner says it is busy. The check is not a time limit: the phase the worker was in when the
// frame asked is still going on when the frame has its snapshot (a frame that waited for the lock
// would see the worker idle, or in a new phase only just begun).
TEST(SessionRunner, AFrameDoesNotWaitForALongPhase) {
  const std::string map = (std::filesystem::temp_directory_path() / "pglab_runner_20x20.txt");
  {
    std::ofstream out(map);
    for (int r = 0; r < 20; ++r)
      out << (r == 0 ? "S" : ".") << std::string(18, '.') << (r == 19 ? "G" : ".") << "\n";
  }
  pg::Scenario s = pg::load_scenario("gridworld-reinforce");
  pg::set_values(s, {{"env.map", map}, {"policy.kind", "mlp"}, {"policy.hidden", {512, 512}}});
  SessionRunner r(s);
  uint64_t version = r.snapshot().version;
  r.set_speed(0.0);
  r.set_running(true);
  bool checked = false;
  const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (!checked && std::chrono::steady_clock::now() < end) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    const double before = r.busy_seconds();
    if (before < 0.2) continue;
    const Snapshot snap = r.snapshot();
    const pg::Timeline timeline = r.timeline();
    const double after = r.busy_seconds();
    EXPECT_GE(after, before) << "the frame waited for the phase to end";
    EXPECT_GE(snap.version, version);
    version = snap.version;
    checked = true;
  }
  EXPECT_TRUE(checked) << "no phase took 0.2 s";
  r.set_running(false);
}

// The window's controls build a scenario's session in the background (start_load): what is open
// stays until the new one is built; a bad file is refused at once, a scenario that fails to build
// says why and leaves what was open; a session installed meanwhile (a lesson step, a session file)
// is not replaced by the build; a cancelled build changes nothing.
TEST(ScenarioBuild, TheControlsLoadInTheBackground) {
  AppState state;
  ASSERT_TRUE(load_into(state, small(3), ""));
  const SessionRunner* first = state.runner.get();
  auto finish = [&] {
    const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (state.building && std::chrono::steady_clock::now() < end) {
      if (update_scenario_build(state)) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    return false;
  };
  // A good one: installed once built, with its name in the status.
  ASSERT_TRUE(start_load_file(state, "bandit-reinforce"));
  EXPECT_EQ(state.runner.get(), first) << "replaced before it was built";
  EXPECT_GE(scenario_building(state).seconds, 0.0);
  ASSERT_TRUE(finish()) << state.scenario_error;
  EXPECT_EQ(state.runner->snapshot().session->scenario().env.kind, pg::EnvKind::kBandit);
  EXPECT_LT(scenario_building(state).seconds, 0.0);
  const SessionRunner* bandit = state.runner.get();
  // A file that cannot be read: refused at once.
  EXPECT_FALSE(start_load_file(state, "no-such-scenario"));
  EXPECT_NE(state.scenario_error.find("no-such-scenario"), std::string::npos)
      << state.scenario_error;
  EXPECT_EQ(state.building, nullptr);
  // A scenario that fails only when built (its map is read then): says why.
  pg::Scenario lost = small(2);
  lost.env.map = "/no/such/map.txt";
  ASSERT_TRUE(start_load(state, lost, ""));
  EXPECT_FALSE(finish());
  EXPECT_NE(state.scenario_error.find("/no/such/map.txt"), std::string::npos)
      << state.scenario_error;
  EXPECT_EQ(state.runner.get(), bandit);
  // Another session installed while a build runs: the build stops and never replaces it.
  ASSERT_TRUE(start_load_file(state, "four-rooms-reinforce"));
  ASSERT_TRUE(load_into(state, small(2), ""));
  const SessionRunner* installed = state.runner.get();
  EXPECT_EQ(state.building, nullptr);
  EXPECT_FALSE(update_scenario_build(state));
  EXPECT_EQ(state.runner.get(), installed);
  // Cancelled: nothing changes.
  ASSERT_TRUE(start_load_file(state, "four-rooms-reinforce"));
  cancel_scenario_build(state);
  EXPECT_FALSE(update_scenario_build(state));
  EXPECT_EQ(state.runner.get(), installed);
}

// The window's Reset and Step run on the worker (a big world's exact J takes seconds); a command
// given before they are made makes them first, in order, so nothing is applied to the wrong run.
TEST(SessionRunner, ResetsAndStepsInTheBackgroundComeInOrderBeforeTheNextCommand) {
  SessionRunner r(small(5));
  ASSERT_TRUE(r.run_iterations(2));
  r.reset_in_background();
  ASSERT_TRUE(r.step(pg::Granularity::kIteration));
  EXPECT_EQ(r.snapshot().session->iteration(), 1) << "the step went to the run before the reset";
  // Left to the worker, it is made without a command.
  r.reset_in_background();
  const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (r.snapshot().session->iteration() != 0 && std::chrono::steady_clock::now() < end)
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  EXPECT_EQ(r.snapshot().session->iteration(), 0);
  // Steps on the worker, in order after a reset asked for before them; a reset after steps undoes
  // them (a command with nothing to do, run_iterations(0), makes what is pending).
  r.step_in_background(pg::Granularity::kIteration);
  r.step_in_background(pg::Granularity::kIteration);
  ASSERT_TRUE(r.run_iterations(0));
  EXPECT_EQ(r.snapshot().session->iteration(), 2);
  r.reset_in_background();
  r.step_in_background(pg::Granularity::kIteration);
  ASSERT_TRUE(r.run_iterations(0));
  EXPECT_EQ(r.snapshot().session->iteration(), 1);
  r.step_in_background(pg::Granularity::kIteration);
  r.reset_in_background();
  ASSERT_TRUE(r.run_iterations(0));
  EXPECT_EQ(r.snapshot().session->iteration(), 0);
  // The same run as a reset made at once: the same bits after the same iterations.
  ASSERT_TRUE(r.run_iterations(2));
  SessionRunner fresh(small(5));
  ASSERT_TRUE(fresh.run_iterations(2));
  EXPECT_TRUE(r.snapshot().session->policy().params() ==
              fresh.snapshot().session->policy().params());
}

TEST(ViewTable, NamesRoundTripAndTheListNamesEveryView) {
  const std::string list = view_name_list();
  for (int i = 0; i < view_count(); ++i) {
    const View v = static_cast<View>(i);
    View back = View::Count;
    ASSERT_TRUE(view_from_name(view_name(v), &back)) << view_name(v);
    EXPECT_EQ(back, v);
    EXPECT_NE(list.find(view_name(v)), std::string::npos) << view_name(v);
    EXPECT_NE(view_spec(v).draw, nullptr) << view_name(v);
    if (view_spec(v).applies) {
      EXPECT_NE(std::string(view_spec(v).elsewhere), "") << view_name(v);
    }
  }
  View none;
  EXPECT_FALSE(view_from_name("nosuchview", &none));
}

// The scenario key "views" (core, which cannot see the app) lists the same names as the view table.
TEST(ViewTable, ScenarioViewsKeyAllowsExactlyTheTablesViews) {
  const pg::ParamSpec* spec = pg::find_param("views");
  ASSERT_NE(spec, nullptr);
  std::vector<std::string> table;
  for (int i = 0; i < view_count(); ++i) table.push_back(view_name(static_cast<View>(i)));
  EXPECT_EQ(spec->allowed, table);
}

TEST(ViewTable, OverviewInspectorAndRolloutApplyToEverySession) {
  for (const char* name :
       {"gridworld-reinforce", "a2c-gridworld", "cartpole-ppo", "grpo-token-task"}) {
    const pg::Session s(pg::load_scenario(name));
    EXPECT_TRUE(view_applies(View::Overview, s)) << name;
    EXPECT_TRUE(view_applies(View::Inspector, s)) << name;
    EXPECT_TRUE(view_applies(View::Rollout, s)) << name;
  }
}

TEST(CollectProgress, CountsBothCollectionModes) {
  pg::Session episodes(small(5));
  EXPECT_EQ(collect_progress(episodes), "collecting: 0 of 2 episodes");
  ASSERT_TRUE(episodes.advance(pg::Granularity::kEpisode));
  EXPECT_EQ(collect_progress(episodes), "collecting: 1 of 2 episodes");
  ASSERT_TRUE(episodes.advance(pg::Granularity::kBatch));
  EXPECT_EQ(collect_progress(episodes), "batch complete");

  pg::Scenario seg = pg::load_scenario("cartpole-ppo");
  pg::set_values(seg, {{"algorithm.num_envs", 2}, {"algorithm.num_steps", 4}});
  pg::Session segments(seg);
  EXPECT_EQ(collect_progress(segments), "collecting: 0 of 8 env steps (2 envs × 4 steps)");
  for (int k = 0; k < 5; ++k) ASSERT_TRUE(segments.advance(pg::Granularity::kEnvStep));
  EXPECT_EQ(collect_progress(segments), "collecting: 5 of 8 env steps (2 envs × 4 steps)");
  ASSERT_TRUE(segments.advance(pg::Granularity::kIteration));
  EXPECT_EQ(collect_progress(segments), "collecting: 0 of 8 env steps (2 envs × 4 steps)");
}

}  // namespace
}  // namespace pglab::gui
