// Time travel (issue 10, item 1): Timeline::at(live, k) — a replay from the nearest snapshot —
// gives the same bits as a fresh run stopped at iteration k, with live changes (at boundaries,
// queued mid-iteration, estimator toggles after the estimate) and world edits in the history;
// snapshots stay bounded; a fork's first iteration equals the parent's but for its one setting.
#include <gtest/gtest.h>

#include <algorithm>

#include "critic/value_function.h"
#include "env/world_edit.h"
#include "io/session_file.h"
#include "lab/meter.h"
#include "lab/seeds.h"
#include "same_bits.h"
#include "session/budget.h"
#include "session/timeline.h"
#include "util/error.h"

namespace pg {
namespace {

using nlohmann::json;

using test::critic_params;
using test::same_bits;
using test::same_vector;

// Everything a view shows of a session at a boundary: θ, critic, optimizer, counters, history,
// the last batch and its estimate, the exact values, the settings and the edits.
void expect_same(const Session& a, const Session& b, int k) {
  SCOPED_TRACE("iteration " + std::to_string(k));
  ASSERT_EQ(a.iteration(), b.iteration());
  EXPECT_TRUE(a.at_iteration_boundary() && b.at_iteration_boundary());
  EXPECT_TRUE(same_vector(a.policy().params(), b.policy().params())) << "theta";
  EXPECT_TRUE(same_vector(a.behaviour_policy().params(), b.behaviour_policy().params()))
      << "theta_old";
  EXPECT_TRUE(same_vector(critic_params(a), critic_params(b))) << "critic";
  const auto* oa = dynamic_cast<const Adam*>(&a.optimizer_state());
  const auto* ob = dynamic_cast<const Adam*>(&b.optimizer_state());
  ASSERT_EQ(oa == nullptr, ob == nullptr);
  EXPECT_TRUE(same_bits(a.optimizer_state().lr(), b.optimizer_state().lr()));
  if (oa) {
    EXPECT_EQ(oa->steps(), ob->steps());
    EXPECT_TRUE(same_vector(oa->m(), ob->m())) << "adam m";
    EXPECT_TRUE(same_vector(oa->v(), ob->v())) << "adam v";
  }
  EXPECT_EQ(a.total_episodes(), b.total_episodes());
  EXPECT_EQ(a.total_steps(), b.total_steps());
  ASSERT_EQ(a.history().size(), b.history().size());
  for (size_t i = 0; i < a.history().size(); ++i) {
    EXPECT_TRUE(same_bits(a.history()[i].return_mean, b.history()[i].return_mean)) << i;
    EXPECT_TRUE(same_bits(a.history()[i].grad_norm, b.history()[i].grad_norm)) << i;
    EXPECT_TRUE(same_bits(a.history()[i].exact_J, b.history()[i].exact_J)) << i;
    EXPECT_EQ(a.history()[i].settings_epoch, b.history()[i].settings_epoch) << i;
  }
  ASSERT_EQ(a.batch().size(), b.batch().size());
  for (int i = 0; i < a.batch().size(); ++i) {
    const Trajectory &x = a.batch().trajectories[i], &y = b.batch().trajectories[i];
    EXPECT_EQ(x.actions, y.actions) << "trajectory " << i;
    EXPECT_EQ(x.rewards, y.rewards) << "trajectory " << i;
  }
  ASSERT_EQ(a.has_estimate(), b.has_estimate());
  if (a.has_estimate()) {
    EXPECT_TRUE(same_vector(a.last_estimate().gradient, b.last_estimate().gradient)) << "g_hat";
  }
  ASSERT_EQ(a.exact() == nullptr, b.exact() == nullptr);
  if (a.exact()) {
    EXPECT_TRUE(same_bits(a.exact()->J, b.exact()->J)) << "J";
    EXPECT_TRUE(same_vector(a.exact()->gradient, b.exact()->gradient)) << "grad J";
  }
  EXPECT_EQ(a.changes(), b.changes());
  EXPECT_EQ(a.world_changes(), b.world_changes());
  EXPECT_EQ(a.scenario().resolved, b.scenario().resolved);
}

// What happens to a run, by iteration: a live change at the boundary, one made after the
// iteration's estimate (estimator toggles re-estimate the batch; others are queued to the next
// boundary), a world edit at the boundary or mid-iteration (it waits for the boundary).
struct Event {
  int iteration;
  enum Kind { kBoundary, kAfterEstimate, kEditNow, kEditMid } kind;
  std::string key;  // the live key, or the edit script
  json value;
};

// n iterations of s with the events, observing after every advance (as the window's runner
// does). `boundaries` (optional) receives a copy at every boundary: the fresh run stopped at k.
// `readings` (optional) receives the meter's reading of each iteration at the first observation
// after it ended, before the boundary's changes, as the window's runner reads it.
void drive(Session& s, int n, const std::vector<Event>& events, Timeline* t,
           std::vector<Session>* boundaries = nullptr,
           std::vector<MeterReading>* readings = nullptr) {
  auto observe = [&] {
    if (t) t->observe(s);
    const int done = s.iteration();
    if (readings && s.at_iteration_boundary() && done > 0 &&
        (readings->empty() || readings->back().iteration != done - 1)) {
      MeterReading r = read_meter(s);
      if (r.iteration == done - 1) readings->push_back(r);
    }
  };
  observe();
  for (int k = 0; k < n; ++k) {
    const int i = s.iteration();
    for (const Event& e : events) {
      if (e.iteration != i) continue;
      if (e.kind == Event::kBoundary) s.set_live(e.key, e.value);
      if (e.kind == Event::kEditNow) {
        WorldEditor ed(s.world());
        ASSERT_EQ(ed.apply_script(e.key), "");
        ASSERT_TRUE(s.set_world(ed.world()));
      }
    }
    observe();
    if (boundaries) boundaries->push_back(s);
    bool mid = false;
    for (const Event& e : events) {
      if (e.iteration != i || (e.kind != Event::kAfterEstimate && e.kind != Event::kEditMid))
        continue;
      if (!mid) {
        ASSERT_TRUE(s.advance(Granularity::kEstimate));
      }
      mid = true;
      observe();
      if (e.kind == Event::kAfterEstimate) {
        s.set_live(e.key, e.value);
      } else {
        WorldEditor ed(s.world());
        ASSERT_EQ(ed.apply_script(e.key), "");
        ASSERT_FALSE(s.set_world(ed.world()));  // waits for the boundary
      }
    }
    // Step by step through collection, as the window's worker does.
    while (s.iteration() == i) {
      ASSERT_TRUE(s.advance(Granularity::kEpisode));
      observe();
    }
  }
  if (boundaries) boundaries->push_back(s);
}

// Every iteration 0..n of a run driven with `events`, looked at through the timeline, equals the
// fresh run stopped there; scrubbing forward from an earlier replay gives the same bits too.
void expect_time_travel_exact(const Scenario& sc, int n, const std::vector<Event>& events,
                              size_t expect_changes, size_t expect_edits) {
  Timeline t(4, 64);
  Session live(sc);
  drive(live, n, events, &t);
  ASSERT_EQ(live.iteration(), n);
  ASSERT_EQ(live.changes().size(), expect_changes);
  ASSERT_EQ(live.world_changes().size(), expect_edits);
  // Snapshots every 4 iterations: 0, 4, …, n.
  EXPECT_EQ(t.size(), static_cast<size_t>(n / 4 + 1));

  std::vector<Session> fresh;
  Session reference(sc);
  drive(reference, n, events, nullptr, &fresh);
  ASSERT_EQ(fresh.size(), static_cast<size_t>(n + 1));  // boundaries 0..n

  for (int k = 0; k <= n; ++k) {
    EXPECT_EQ(t.base_for(live, k), k / 4 * 4);
    const Session then = t.at(live, k);
    expect_same(then, fresh[static_cast<size_t>(k)], k);
  }
  // Scrubbing forward: from the replay at 5 to 7 (no snapshot between).
  const Session at5 = t.at(live, 5);
  const Session at7 = t.at(live, 7, nullptr, &at5);
  expect_same(at7, fresh[7], 7);
  // The run really moved (a frozen θ would make the comparisons empty).
  EXPECT_FALSE(
      same_vector(fresh[0].policy().params(), fresh[static_cast<size_t>(n)].policy().params()));
  // A session restored from its file (iteration n, no snapshot before it) replays from the run's
  // start: the same bits.
  Session loaded = session_from_json(json::parse(session_json(live).dump()), "t.json");
  Timeline empty(4, 64);
  empty.observe(loaded);
  for (int k : {0, 3, n / 2, n - 1})
    expect_same(empty.at(loaded, k), fresh[static_cast<size_t>(k)], k);
}

Scenario gridworld(const std::string& name, std::vector<std::pair<std::string, json>> sets) {
  Scenario s = load_scenario(name);
  set_values(s, sets);
  return s;
}

TEST(Timeline, ReinforceWithChangesAndEditsReplaysBitForBit) {
  const Scenario sc = gridworld("gridworld-reinforce", {{"algorithm.batch_episodes", 4}});
  expect_time_travel_exact(sc, 14,
                           {{2, Event::kBoundary, "algorithm.lr", 0.3},
                            {3, Event::kAfterEstimate, "estimator.baseline", "mean"},
                            {5, Event::kEditNow, "wall 1,1; pit 2,2", {}},
                            {6, Event::kAfterEstimate, "algorithm.batch_episodes", 6},
                            {9, Event::kEditMid, "reward 0,3=-0.5; slip 0.2", {}},
                            {9, Event::kAfterEstimate, "algorithm.entropy_coef", 0.01}},
                           4, 2);
}

// The loss ≠ progress meter of a session that reached its iteration elsewhere (a session file, a
// lesson's step) is read back by replay (lab/meter.h replay_meter): every reading equals the one
// the live run's observer took, with changes and edits in the run — from the run's start (a
// timeline that saw only the end, as an opened file's) and from the run's snapshots.
void expect_meter_replayed(const Scenario& sc, int n, const std::vector<Event>& events) {
  Session live(sc);
  Timeline t(2, 32);
  std::vector<MeterReading> seen;
  drive(live, n, events, &t, nullptr, &seen);
  // An edit made mid-iteration drops that iteration's batch when it takes effect at the boundary,
  // before the window's runner reads it: the live series has no reading of it. The replay makes
  // the edit (recorded at the boundary) after reading it: one more reading there, and only there.
  ASSERT_GE(seen.size(), static_cast<size_t>(n - 1));
  std::vector<int> edit_readings;
  for (const WorldChange& w : live.world_changes()) edit_readings.push_back(w.iteration - 1);
  Timeline end_only;
  end_only.observe(live);
  auto expect_replayed = [&](const std::vector<MeterReading>& replayed, int from) {
    size_t j = 0;
    for (const MeterReading& a : replayed) {
      SCOPED_TRACE("iteration " + std::to_string(a.iteration));
      while (j < seen.size() && seen[j].iteration < a.iteration) {
        ADD_FAILURE() << "no replayed reading of iteration " << seen[j].iteration;
        ++j;
      }
      if (j == seen.size() || seen[j].iteration != a.iteration) {
        EXPECT_NE(std::find(edit_readings.begin(), edit_readings.end(), a.iteration),
                  edit_readings.end())
            << "a replayed reading the live run did not take, where no edit took effect";
        continue;
      }
      const MeterReading& b = seen[j++];
      for (auto f :
           {&MeterReading::loss, &MeterReading::loss_scale, &MeterReading::grad_norm,
            &MeterReading::grad_scale, &MeterReading::snr, &MeterReading::trace_cov,
            &MeterReading::entropy, &MeterReading::explained_variance, &MeterReading::return_mean,
            &MeterReading::exact_J, &MeterReading::cosine_exact})
        EXPECT_TRUE(same_bits(a.*f, b.*f)) << a.*f << " vs " << b.*f;
    }
    EXPECT_EQ(j, seen.size()) << "live readings left without a replayed one";
    EXPECT_TRUE(replayed.empty() || replayed.front().iteration >= from);
  };
  {
    SCOPED_TRACE("from the run's start");
    expect_replayed(replay_meter(end_only, live, 0, n), 0);
  }
  {
    SCOPED_TRACE("from iteration 3");
    std::vector<MeterReading> tail;
    for (const MeterReading& m : seen)
      if (m.iteration >= 3) tail.push_back(m);
    seen.swap(tail);
    expect_replayed(replay_meter(t, live, 3, n), 3);
  }
}

TEST(Timeline, MeterReadingsReplayedEqualTheLiveRunsReinforce) {
  const Scenario sc = gridworld("gridworld-reinforce", {{"algorithm.batch_episodes", 4}});
  expect_meter_replayed(sc, 10,
                        {{2, Event::kBoundary, "algorithm.lr", 0.3},
                         {3, Event::kAfterEstimate, "estimator.baseline", "mean"},
                         {5, Event::kEditNow, "wall 1,1; pit 2,2", {}},
                         {7, Event::kEditMid, "reward 0,3=-0.5; slip 0.2", {}}});
}

TEST(Timeline, MeterReadingsReplayedEqualTheLiveRunsA2c) {
  const Scenario sc = gridworld(
      "a2c-gridworld",
      {{"env.map", "classic-4x4"}, {"algorithm.num_steps", 8}, {"algorithm.num_envs", 2}});
  expect_meter_replayed(
      sc, 9,
      {{3, Event::kBoundary, "advantage.lambda", 0.8}, {6, Event::kEditMid, "wall 1,1", {}}});
}

TEST(Timeline, A2cSegmentsWithChangesAndEditsReplaysBitForBit) {
  // Segments cut mid-episode at every boundary; the edit moves cells (tabular critic follows).
  const Scenario sc = gridworld("a2c-gridworld", {{"env.map", "classic-4x4"},
                                                  {"env.slip", 0.1},
                                                  {"algorithm.num_steps", 8},
                                                  {"algorithm.num_envs", 2}});
  expect_time_travel_exact(sc, 13,
                           {{3, Event::kBoundary, "advantage.lambda", 0.8},
                            {6, Event::kEditMid, "wall 1,1", {}},
                            {8, Event::kBoundary, "algorithm.num_envs", 3}},
                           2, 1);
}

TEST(Timeline, PpoWithChangesAndEditsReplaysBitForBit) {
  const Scenario sc = gridworld("a2c-gridworld", {{"algorithm.name", "ppo"},
                                                  {"env.map", "classic-4x4"},
                                                  {"env.slip", 0.1},
                                                  {"algorithm.num_steps", 8},
                                                  {"algorithm.num_envs", 2}});
  expect_time_travel_exact(sc, 12,
                           {{2, Event::kBoundary, "ppo.clip_eps", 0.1},
                            {5, Event::kEditNow, "pit 2,1", {}},
                            {7, Event::kAfterEstimate, "algorithm.lr", 0.05}},
                           2, 1);
}

TEST(Timeline, GrpoWithChangesReplaysBitForBit) {
  // The token task has no world to edit: live changes only.
  expect_time_travel_exact(
      load_scenario("grpo-token-task"), 12,
      {{3, Event::kBoundary, "grpo.prompts", 4}, {6, Event::kAfterEstimate, "grpo.clip_eps", 0.1}},
      2, 0);
}

TEST(Timeline, SnapshotsStayBoundedAndEvenlySpread) {
  const Scenario sc = gridworld("gridworld-reinforce", {{"algorithm.batch_episodes", 2}});
  Timeline t(2, 8);
  Session live(sc);
  size_t most = 0;
  t.observe(live);
  for (int i = 0; i < 150; ++i) {
    ASSERT_TRUE(live.advance(Granularity::kIteration));
    t.observe(live);
    most = std::max(most, t.size());
  }
  EXPECT_LE(most, 8u);
  // 150 iterations, at most 8 snapshots: the spacing doubled from 2 to 32 (0, 32, …, 128: 5).
  EXPECT_EQ(t.every(), 32);
  EXPECT_EQ(t.iterations(), (std::vector<int>{0, 32, 64, 96, 128}));
  // Still exact, from a thinned timeline.
  Session reference(sc);
  ASSERT_TRUE(reference.run_iterations(77));
  expect_same(t.at(live, 77), reference, 77);
  EXPECT_EQ(t.base_for(live, 77), 64);
}

TEST(Timeline, SnapshotsFitTheMemoryBudget) {
  // The window keeps a timeline of every run: 32 copies of a batch near the budget would not fit.
  // Under a 1 MB budget a gridworld session of 16 episodes (≈ 1e5 bytes a snapshot by the
  // model) leaves room for a few snapshots only; the spacing widens to keep within them.
  const Scenario sc = gridworld("gridworld-reinforce", {});
  setenv("PGLAB_MEMORY_BUDGET_MB", "1", 1);
  Timeline t(2, 32);
  Session live(sc);
  t.observe(live);
  int most_fit = 0;
  for (int i = 0; i < 100; ++i) {
    ASSERT_TRUE(live.advance(Granularity::kIteration));
    t.observe(live);
    // Whenever a snapshot is taken, what is kept fits the budget at that batch's size.
    if (t.iterations().back() != live.iteration()) continue;
    const int fit = timeline_snapshots_that_fit(live);
    EXPECT_GE(fit, 2);
    EXPECT_LE(t.size(), static_cast<size_t>(fit)) << "iteration " << live.iteration();
    most_fit = std::max(most_fit, fit);
  }
  unsetenv("PGLAB_MEMORY_BUDGET_MB");
  EXPECT_LT(most_fit, 16);
  EXPECT_GT(t.every(), 8);  // 100 iterations at spacing 2 would have kept 32 without the budget
  // Still exact.
  Session reference(sc);
  ASSERT_TRUE(reference.run_iterations(77));
  expect_same(t.at(live, 77), reference, 77);
}

TEST(Timeline, ResetStartsANewTimelineAndBadIterationsAreRefused) {
  const Scenario sc = gridworld("gridworld-reinforce", {{"algorithm.batch_episodes", 2}});
  Timeline t(2, 8);
  Session live(sc);
  ASSERT_TRUE(live.run_iterations(6));
  t.observe(live);
  EXPECT_EQ(t.size(), 1u);  // observed first at 6: kept, and 0 replays from the start
  Session reference(sc);
  ASSERT_TRUE(reference.run_iterations(3));
  expect_same(t.at(live, 3), reference, 3);
  live.reset();
  t.observe(live);
  EXPECT_EQ(t.iterations(), std::vector<int>{0});
  EXPECT_THROW(t.at(live, 1), InputError);
  EXPECT_THROW(t.at(live, -1), InputError);
  ASSERT_TRUE(live.advance(Granularity::kEnvStep));
  expect_same(t.at(live, 0), Session(sc), 0);  // mid-iteration 0: replayed to its boundary
}

// A fork at a past iteration: its first iteration samples the parent's batch (same random
// streams), and differs from the parent's only by the changed setting.
TEST(Timeline, ForkFirstIterationEqualsTheParentsButForItsSetting) {
  Scenario sc = gridworld("gridworld-reinforce", {{"algorithm.batch_episodes", 4},
                                                  {"algorithm.optimizer", "sgd"},
                                                  {"estimator.baseline", "none"}});
  Timeline t(4, 16);
  Session live(sc);
  drive(live, 12, {}, &t);
  const int k = 6;
  const Session then = t.at(live, k);
  // The parent's iteration k, as the run took it.
  Session parent(then);
  ASSERT_TRUE(parent.advance(Granularity::kEstimate));
  // An estimator setting: the same trajectories, ĝ = the parent's batch estimated with it.
  {
    Session fork = then.fork_with("estimator.baseline", "mean");
    EXPECT_EQ(setting_differences(fork.scenario(), then.scenario()),
              std::vector<std::string>{"baseline=mean"});
    ASSERT_TRUE(fork.advance(Granularity::kEstimate));
    ASSERT_EQ(fork.batch().size(), parent.batch().size());
    for (int i = 0; i < fork.batch().size(); ++i) {
      EXPECT_EQ(fork.batch().trajectories[i].actions, parent.batch().trajectories[i].actions);
      EXPECT_EQ(fork.batch().trajectories[i].rewards, parent.batch().trajectories[i].rewards);
    }
    EstimatorConfig mean = parent.estimator();
    mean.baseline = Baseline::kMean;
    EXPECT_TRUE(same_vector(fork.last_estimate().gradient, parent.estimate_with(mean).gradient));
    EXPECT_FALSE(same_vector(fork.last_estimate().gradient, parent.last_estimate().gradient));
  }
  // The step size: the same batch and ĝ bit for bit; SGD's step θ' − θ scales by lr'/lr.
  {
    Session fork = then.fork_with("algorithm.lr", 0.3);
    ASSERT_EQ(fork.changes().size(), 1u);
    EXPECT_EQ(fork.changes()[0].iteration, k);
    ASSERT_TRUE(fork.advance(Granularity::kEstimate));
    EXPECT_TRUE(same_vector(fork.last_estimate().gradient, parent.last_estimate().gradient));
    Session parent_next(parent), fork_next(fork);
    ASSERT_TRUE(parent_next.advance(Granularity::kIteration));
    ASSERT_TRUE(fork_next.advance(Granularity::kIteration));
    const Eigen::VectorXd step_parent = parent_next.policy().params() - then.policy().params();
    const Eigen::VectorXd step_fork = fork_next.policy().params() - then.policy().params();
    ASSERT_GT(step_parent.norm(), 0.0);
    // 3 = 0.3 / 0.1; rounding of θ + α ĝ only (measured ~1e-15 relative).
    EXPECT_LT((step_fork - 3.0 * step_parent).norm(), 1e-12 * step_fork.norm());
    // The parent's own next iteration is the live run's.
    expect_same(parent_next, t.at(live, k + 1), k + 1);
  }
  // Forks start at a boundary only.
  EXPECT_THROW(parent.fork_with("algorithm.lr", 0.3), InputError);
}

}  // namespace
}  // namespace pg
