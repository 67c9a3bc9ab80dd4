// Worlds edited by hand (issue 9, item 4): the map serializer (parse(serialize(m)) == m), cells'
// own rewards, the WorldEditor's edits, refusals and undo/redo, Session::set_world (θ follows its
// cells, edits wait for the iteration boundary) and session files that replay the edits.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>
#include <fstream>

#include "critic/value_function.h"
#include "env/grid_map.h"
#include "env/gridworld.h"
#include "env/world_edit.h"
#include "exact/exact.h"
#include "io/session_file.h"
#include "same_bits.h"
#include "util/error.h"

namespace pg {
namespace {

using nlohmann::json;

using test::same_bits;
using test::same_vector;

GridMap shipped_map(const std::string& name) {
  return load_grid_map(shipped_map_path(name));
}

GridWorldSpec classic() {
  GridWorldSpec w;
  w.map = shipped_map("classic-4x4");
  w.slip = 0.1;
  w.gamma = 0.99;
  return w;
}

Scenario gridworld_scenario(std::vector<std::pair<std::string, json>> sets = {}) {
  Scenario s = load_scenario("gridworld-reinforce");  // classic-4x4, slip 0.1, γ 0.99
  sets.push_back({"algorithm.batch_episodes", 4});
  set_values(s, sets);
  return s;
}

TEST(GridMapText, SerializeRoundTripsEveryShippedMap) {
  for (const char* name : {"classic-4x4", "cliff-4x12", "frozen-lake-8x8", "four-rooms"}) {
    const GridMap m = shipped_map(name);
    const std::string text = serialize_grid_map(m);
    EXPECT_EQ(parse_grid_map(text, "x.txt"), m) << name;
    EXPECT_EQ(serialize_grid_map(parse_grid_map(text, "x.txt")), text) << name;  // a fixed point
  }
}

TEST(GridMapText, RewardLinesParseSerializeAndRefuse) {
  const GridMap m = parse_grid_map("; r\nS.#\n..G\nreward 1 1 -0.25\nreward 0 1 1e-3\n", "m.txt");
  ASSERT_EQ(m.rewards.size(), 2u);  // sorted by cell
  EXPECT_EQ(m.rewards[0], (CellReward{0, 1, 1e-3}));
  EXPECT_EQ(m.rewards[1], (CellReward{1, 1, -0.25}));
  EXPECT_EQ(serialize_grid_map(m), "; r\nS.#\n..G\nreward 0 1 0.001\nreward 1 1 -0.25\n");
  EXPECT_EQ(parse_grid_map(serialize_grid_map(m), "n.txt"), m);
  // A value that needs all 17 digits reads back to the same double.
  GridMap odd = m;
  odd.rewards[0].reward = 0.1 + 0.2;
  EXPECT_TRUE(same_bits(parse_grid_map(serialize_grid_map(odd), "o").rewards[0].reward, 0.1 + 0.2));

  auto problem = [](const std::string& text) {
    try {
      parse_grid_map(text, "m.txt");
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  EXPECT_NE(problem("S.#\n..G\nreward 0 2 1\n").find("m.txt:3: cell 0 2 is a wall"),
            std::string::npos);
  EXPECT_NE(problem("S.#\n..G\nreward 5 0 1\n").find("row '5' is not in 0..1"), std::string::npos);
  EXPECT_NE(problem("S.#\n..G\nreward 0 0 nan\n").find("value 'nan'"), std::string::npos);
  // The row out of place is named, not the valid reward line before it (line 3 was blamed).
  EXPECT_EQ(problem("S.#\n..G\nreward 0 1 1\n...\n"),
            "m.txt:4: a row of cells after the reward line on line 3; reward lines come after the "
            "last row of cells");
  EXPECT_EQ(problem("S.#\n..G\nreward 0 0 1\nreward 0 0 2\n"),
            "m.txt:4: a second reward line for cell 0 0 (the first is line 3); one reward line "
            "per cell");
  // Repeated out of order: the later line is named.
  EXPECT_NE(problem("S.#\n..G\nreward 1 1 1\nreward 0 0 1\nreward 1 1 2\n").find("m.txt:5: "),
            std::string::npos);
  EXPECT_NE(problem("S.#\n..G\nreward 0 0\n").find("expected 'reward ROW COL VALUE'"),
            std::string::npos);
}

TEST(GridWorldRewards, CellRewardReplacesItsKindsDefault) {
  GridWorldConfig c;
  c.map = parse_grid_map("S.G\nreward 0 1 -2\n", "m");
  c.step_reward = -0.5;
  c.goal_reward = 3.0;
  c.gamma = 1.0;
  GridWorld gw(c);
  // Moving right from S enters (0,1): its own −2, not the step reward; then G: 3.
  EXPECT_EQ(gw.model()->reward(gw.state_of_cell(0, 0), 1), -2.0);
  EXPECT_EQ(gw.model()->reward(gw.state_of_cell(0, 1), 1), 3.0);
  // Up from S stays in S: the step reward.
  EXPECT_EQ(gw.model()->reward(gw.state_of_cell(0, 0), 0), -0.5);
}

TEST(WorldEditor, EditSequenceGivesTheExpectedMapText) {
  WorldEditor ed(classic());
  EXPECT_EQ(ed.apply_script("wall 1,1; pit 2,2; start 0,3; reward 1,2=-0.5; floor 0,0; slip 0.2;"
                            " gamma 0.9"),
            "");
  EXPECT_EQ(serialize_grid_map(ed.world().map),
            "; classic 4x4: open grid, start top-left, goal bottom-right\n"
            "...S\n"
            ".#..\n"
            "..X.\n"
            "...G\n"
            "reward 1 2 -0.5\n");
  EXPECT_EQ(ed.world().slip, 0.2);
  EXPECT_EQ(ed.world().gamma, 0.9);
  // Painting a cell clears its own reward.
  EXPECT_EQ(ed.apply_script("goal 1,2"), "");
  EXPECT_TRUE(ed.world().map.rewards.empty());
  EXPECT_EQ(ed.apply_script("reward 1,3=2; reward 1,3=default"), "");
  EXPECT_TRUE(ed.world().map.rewards.empty());
}

TEST(WorldEditor, InvalidEditsAreRefusedWithOneMessageAndChangeNothing) {
  WorldEditor ed(classic());
  ASSERT_EQ(ed.apply_script("wall 2,3"), "");
  const GridWorldSpec before = ed.world();
  // Walling in the only goal.
  EXPECT_NE(ed.paint(3, 2, '#').find("no goal 'G' is reachable"), std::string::npos);
  EXPECT_EQ(ed.world(), before);
  // Removing the only start / the only goal.
  EXPECT_NE(ed.paint(0, 0, '.').find("no start cell"), std::string::npos);
  EXPECT_NE(ed.paint(3, 3, 'X').find("no goal cell"), std::string::npos);
  EXPECT_NE(ed.set_reward(2, 3, 1.0).find("wall"), std::string::npos);
  EXPECT_NE(ed.set_slip(1.5).find("slip"), std::string::npos);
  EXPECT_NE(ed.set_gamma(-0.1).find("γ"), std::string::npos);
  EXPECT_NE(ed.paint(4, 0, '#').find("outside"), std::string::npos);
  EXPECT_EQ(ed.world(), before);
  ASSERT_TRUE(ed.undo());  // the refusals left no undo step: one undo goes back before "wall 2,3"
  EXPECT_EQ(ed.world(), classic());
  ASSERT_TRUE(ed.redo());
  // A script stops at the refused command and names it; the commands before it stay applied.
  const std::string why = ed.apply_script("pit 0,1; wall 3,2; pit 1,0");
  EXPECT_NE(why.find("command 2 ('wall 3,2')"), std::string::npos) << why;
  EXPECT_EQ(ed.world().map.at(0, 1), 'X');
  EXPECT_EQ(ed.world().map.at(1, 0), '.');
  EXPECT_NE(ed.apply_script("paint 1,1").find("expected wall|floor"), std::string::npos);
  // Only separators: no command at all is refused, not taken as an empty edit (audit a14 M6).
  EXPECT_NE(ed.apply_script(" ;;; \n").find("no edit in"), std::string::npos);
}

TEST(WorldEditor, UndoRedoRestoresExactly) {
  WorldEditor ed(classic());
  std::vector<GridWorldSpec> states = {ed.world()};
  for (const char* cmd : {"wall 1,1", "pit 2,2", "reward 0,1=-3.25", "slip 0.3", "gamma 0.5",
                          "start 3,0", "goal 0,3"}) {
    ASSERT_EQ(ed.apply_script(cmd), "") << cmd;
    states.push_back(ed.world());
  }
  for (size_t k = states.size() - 1; k > 0; --k) {
    ASSERT_TRUE(ed.undo());
    EXPECT_EQ(ed.world(), states[k - 1]) << k;
  }
  EXPECT_FALSE(ed.undo());
  for (size_t k = 1; k < states.size(); ++k) {
    ASSERT_TRUE(ed.redo());
    EXPECT_EQ(ed.world(), states[k]) << k;
  }
  EXPECT_FALSE(ed.redo());
  // A new edit after an undo drops the redo branch.
  ed.undo();
  ASSERT_EQ(ed.paint(1, 2, '#'), "");
  EXPECT_FALSE(ed.can_redo());

  // take_back (the session refused the edit just made): gone, with no redo.
  WorldEditor t(classic());
  ASSERT_EQ(t.paint(1, 1, '#'), "");
  ASSERT_EQ(t.paint(2, 2, 'X'), "");
  t.take_back();
  EXPECT_EQ(t.world().map.at(2, 2), '.');
  EXPECT_EQ(t.world().map.at(1, 1), '#');
  EXPECT_FALSE(t.can_redo());
  ASSERT_TRUE(t.undo());
  EXPECT_EQ(t.world(), classic());
  EXPECT_FALSE(t.can_undo());

  // A drag is one undo step; a drag that painted nothing is none.
  WorldEditor d(classic());
  d.begin_stroke();
  for (int c = 0; c < 3; ++c) EXPECT_EQ(d.paint(1, c, '#'), "");
  EXPECT_NE(d.paint(1, 3, '#'), "");  // refused: row 1 all wall cuts S off from G
  d.end_stroke();
  EXPECT_EQ(d.world().map.at(1, 2), '#');
  ASSERT_TRUE(d.undo());
  EXPECT_EQ(d.world(), classic());
  EXPECT_FALSE(d.can_undo());
  d.begin_stroke();
  d.end_stroke();
  EXPECT_FALSE(d.can_undo());
}

// The "done when": a map painted in the app, saved and reopened, gives the same exact J as
// the same map loaded from file.
TEST(SessionWorld, PaintedMapSavedAndReopenedGivesTheSameExactJAsTheFile) {
  WorldEditor ed(classic());
  ASSERT_EQ(ed.apply_script("wall 1,1; wall 1,2; pit 2,1; reward 2,3=-0.25; start 3,0"), "");
  // Saved in the assets/maps format, then loaded from that file as a scenario names it.
  const std::string path = ::testing::TempDir() + "painted-map.txt";
  {
    std::ofstream f(path);
    f << serialize_grid_map(ed.world().map);
  }
  Scenario from_file = gridworld_scenario({{"env.map", path}});
  Session file_session(from_file);

  // The app: a run on the shipped map, painted at iteration 0 (θ = 0 there).
  Session painted(gridworld_scenario());
  ASSERT_TRUE(painted.set_world(ed.world()));
  ASSERT_NE(painted.exact(), nullptr);
  // Reopened: the session saved to JSON and loaded back.
  const Session reopened = session_from_json(session_json(painted), "painted.json");
  for (const Session* s : {static_cast<const Session*>(&painted), &reopened}) {
    EXPECT_NEAR(s->exact()->J, file_session.exact()->J, 1e-12);
    ASSERT_EQ(s->exact()->gradient.size(), file_session.exact()->gradient.size());
    EXPECT_LE((s->exact()->gradient - file_session.exact()->gradient).cwiseAbs().maxCoeff(), 1e-12);
  }
  // And J really depends on the painting: the unpainted world's J differs.
  EXPECT_GT(std::abs(Session(gridworld_scenario()).exact()->J - file_session.exact()->J), 1e-3);

  // After training, the painted session's θ on a GridWorld built from the file: the same J.
  Session trained(gridworld_scenario());
  ASSERT_TRUE(trained.run_iterations(3));
  ASSERT_TRUE(trained.set_world(ed.world()));
  const std::unique_ptr<Env> env = make_env(from_file);
  const ExactResult direct = exact_evaluate(*env, trained.policy());
  EXPECT_NEAR(trained.exact()->J, direct.J, 1e-12);
  std::remove(path.c_str());
}

TEST(SessionWorld, ThetaFollowsItsCellsAndTheRunGoesOn) {
  Session s(gridworld_scenario());
  ASSERT_TRUE(s.run_iterations(3));
  const auto& gw0 = dynamic_cast<const GridWorld&>(s.env());
  const Eigen::VectorXd theta0 = s.policy().params();
  const int s23_old = gw0.state_of_cell(2, 3);
  const int states_before = gw0.num_obs();  // (gw0 goes with the old world)
  WorldEditor ed(s.world());
  ASSERT_EQ(ed.paint(1, 1, '#'), "");  // one state fewer: the states after (1,1) shift down
  // The preview (what the window shows for a pending edit) is what the edit then gives.
  const Session preview = s.preview_world(ed.world());
  ASSERT_TRUE(s.set_world(ed.world()));
  EXPECT_TRUE(same_bits(preview.exact()->J, s.exact()->J));
  EXPECT_TRUE(same_vector(preview.exact()->gradient, s.exact()->gradient));
  const auto& gw1 = dynamic_cast<const GridWorld&>(s.env());
  EXPECT_EQ(gw1.num_obs(), states_before - 1);
  const int s23_new = gw1.state_of_cell(2, 3);
  EXPECT_EQ(s23_new, s23_old - 1);
  EXPECT_TRUE(
      same_vector(s.policy().params().segment(s23_new * 4, 4), theta0.segment(s23_old * 4, 4)));
  EXPECT_TRUE(s.policy().params().segment(0, 4) == theta0.segment(0, 4));
  EXPECT_EQ(s.batch().size(), 0);  // the old world's batch is gone
  EXPECT_EQ(s.world_changes().size(), 1u);
  EXPECT_EQ(s.world_changes()[0].iteration, 3);
  ASSERT_TRUE(s.run_iterations(2));
  EXPECT_EQ(s.iteration(), 5);
  // A world that keeps the states (a pit where the floor was) keeps the optimizer's state too.
  const long adam_steps = dynamic_cast<const Adam&>(s.optimizer_state()).steps();
  ASSERT_EQ(ed.paint(0, 2, 'X'), "");
  ASSERT_TRUE(s.set_world(ed.world()));
  EXPECT_EQ(dynamic_cast<const Adam&>(s.optimizer_state()).steps(), adam_steps);
}

TEST(SessionWorld, AnEditMidIterationWaitsForTheBoundary) {
  Session s(gridworld_scenario());
  ASSERT_TRUE(s.run_iterations(1));
  ASSERT_TRUE(s.advance(Granularity::kEpisode));  // one episode of iteration 1's batch
  const GridWorldSpec old_world = s.world();
  WorldEditor ed(s.world());
  ASSERT_EQ(ed.apply_script("wall 2,2; slip 0"), "");
  EXPECT_FALSE(s.set_world(ed.world()));
  ASSERT_NE(s.pending_world(), nullptr);
  EXPECT_EQ(s.world(), old_world);  // the batch in progress finishes on the old world
  ASSERT_TRUE(s.advance(Granularity::kBatch));
  EXPECT_EQ(s.world(), old_world);
  ASSERT_TRUE(s.advance(Granularity::kIteration));
  EXPECT_EQ(s.iteration(), 2);
  EXPECT_EQ(s.pending_world(), nullptr);
  EXPECT_EQ(s.world(), ed.world());
  ASSERT_EQ(s.world_changes().size(), 1u);
  EXPECT_EQ(s.world_changes()[0].iteration, 2);

  // The world as it is: no change recorded, the batch kept; and it cancels a waiting edit.
  const int batch = s.batch().size();
  EXPECT_TRUE(s.set_world(s.world()));
  EXPECT_EQ(s.world_changes().size(), 1u);
  EXPECT_EQ(s.batch().size(), batch);
  ASSERT_TRUE(s.advance(Granularity::kEnvStep));
  ASSERT_EQ(ed.paint(0, 1, 'X'), "");
  EXPECT_FALSE(s.set_world(ed.world()));
  ASSERT_TRUE(ed.undo());
  EXPECT_TRUE(s.set_world(ed.world()));
  EXPECT_EQ(s.pending_world(), nullptr);
  ASSERT_TRUE(s.advance(Granularity::kIteration));
  EXPECT_EQ(s.world_changes().size(), 1u);
}

TEST(SessionWorld, RefusedEditsLeaveTheSessionAsItWas) {
  // An MLP policy reads the one-hot cell: a wall changes its input.
  Session mlp(gridworld_scenario({{"policy.kind", "mlp"}, {"policy.hidden", json::array({8})}}));
  WorldEditor ed(mlp.world());
  ASSERT_EQ(ed.paint(1, 1, '#'), "");
  EXPECT_THROW(mlp.set_world(ed.world()), InputError);
  EXPECT_EQ(mlp.world(), classic());
  // … but a pit where the floor was keeps its input.
  WorldEditor ok(mlp.world());
  ASSERT_EQ(ok.paint(1, 1, 'X'), "");
  EXPECT_TRUE(mlp.set_world(ok.world()));
  // Not a gridworld.
  Session corridor(load_scenario("short-corridor-reinforce"));
  EXPECT_THROW(corridor.set_world(classic()), InputError);
  // An invalid world given directly (not through the editor).
  Session s(gridworld_scenario());
  GridWorldSpec bad = classic();
  bad.map.cells[0] = '.';  // no start
  EXPECT_THROW(s.set_world(bad), InputError);
  EXPECT_EQ(s.world(), classic());
}

void expect_same_run(const Session& a, const Session& b) {
  EXPECT_TRUE(same_vector(a.policy().params(), b.policy().params())) << "theta";
  const auto* ca = dynamic_cast<const TabularValue*>(a.critic());
  const auto* cb = dynamic_cast<const TabularValue*>(b.critic());
  ASSERT_EQ(ca == nullptr, cb == nullptr);
  if (ca) {
    EXPECT_TRUE(same_vector(ca->table(), cb->table())) << "critic";
  }
  EXPECT_EQ(a.iteration(), b.iteration());
  EXPECT_EQ(a.total_steps(), b.total_steps());
  EXPECT_EQ(a.world(), b.world());
  EXPECT_EQ(a.world_changes(), b.world_changes());
  ASSERT_EQ(a.history().size(), b.history().size());
  for (size_t i = 0; i < a.history().size(); ++i)
    EXPECT_TRUE(same_bits(a.history()[i].exact_J, b.history()[i].exact_J)) << i;
  EXPECT_TRUE(same_bits(a.exact()->J, b.exact()->J));
}

// A session whose world was edited twice (once at a boundary, once mid-iteration) saves, loads
// (the replay applies the edits where they took effect) and continues bit for bit.
void edited_session_round_trips(const Scenario& sc) {
  Session s(sc);
  ASSERT_TRUE(s.run_iterations(3));
  WorldEditor ed(s.world());
  ASSERT_EQ(ed.apply_script("wall 1,1; wall 2,1; reward 0,3=-0.5; gamma 0.95"), "");
  ASSERT_TRUE(s.set_world(ed.world()));
  ASSERT_TRUE(s.run_iterations(2));
  ASSERT_TRUE(s.advance(Granularity::kEnvStep));
  ASSERT_EQ(ed.apply_script("floor 1,1; pit 2,2; slip 0.2"), "");
  EXPECT_FALSE(s.set_world(ed.world()));
  ASSERT_TRUE(s.advance(Granularity::kIteration));
  ASSERT_TRUE(s.run_iterations(1));
  ASSERT_EQ(s.world_changes().size(), 2u);

  const json j = session_json(s);
  ASSERT_EQ(j["world_edits"].size(), 2u);
  EXPECT_EQ(j["world_edits"][1]["iteration"], 6);
  EXPECT_EQ(j["map_text"], serialize_grid_map(classic().map));  // the world the run started on
  EXPECT_EQ(j["scenario"]["env"]["slip"], 0.1);
  Session loaded = session_from_json(json::parse(j.dump()), "edited.json");
  expect_same_run(s, loaded);
  ASSERT_TRUE(s.run_iterations(3));
  ASSERT_TRUE(loaded.run_iterations(3));
  expect_same_run(s, loaded);

  // A file whose edits were changed by hand does not replay to its θ: refused, naming the key.
  json tampered = j;
  tampered["world_edits"][0]["slip"] = 0.3;
  try {
    session_from_json(tampered, "t.json");
    ADD_FAILURE() << "a tampered edit was accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("t.json"), std::string::npos) << e.what();
  }
  json broken = j;
  broken["world_edits"][0]["map_text"] = "S..\n";
  try {
    session_from_json(broken, "b.json");
    ADD_FAILURE() << "a map without a goal was accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("world_edits[0].map_text"), std::string::npos) << e.what();
  }
}

TEST(SessionWorld, EditedSessionRoundTripsReinforce) {
  edited_session_round_trips(gridworld_scenario());
}

TEST(SessionWorld, EditedSessionRoundTripsA2cSegmentsWithTabularCritic) {
  Scenario sc = load_scenario("a2c-gridworld");
  set_values(sc, {{"env.map", "classic-4x4"},
                  {"env.slip", 0.1},
                  {"algorithm.num_steps", 8},
                  {"algorithm.num_envs", 2}});
  edited_session_round_trips(sc);
}

// Live changes (issue 9 item 5) and world edits in one run: a change and an edit at the same
// boundary (both queued mid-iteration), another change alone, an edit alone. Saved, loaded (one
// replay makes both kinds where they were made) and continued, it equals the straight run.
TEST(SessionWorld, EditsAndLiveChangesTogetherRoundTrip) {
  Session s(gridworld_scenario());
  ASSERT_TRUE(s.run_iterations(2));
  ASSERT_TRUE(s.set_live("algorithm.lr", 0.3));  // at a boundary: now
  ASSERT_TRUE(s.run_iterations(1));
  ASSERT_TRUE(s.advance(Granularity::kEnvStep));
  WorldEditor ed(s.world());
  ASSERT_EQ(ed.apply_script("wall 1,1; pit 2,2"), "");
  EXPECT_FALSE(s.set_world(ed.world()));                    // waits for the boundary
  EXPECT_FALSE(s.set_live("algorithm.batch_episodes", 8));  // queued to the same boundary
  ASSERT_TRUE(s.advance(Granularity::kIteration));
  ASSERT_TRUE(s.run_iterations(2));
  ASSERT_EQ(ed.apply_script("reward 0,3=-0.5; slip 0.2"), "");
  ASSERT_TRUE(s.set_world(ed.world()));
  ASSERT_TRUE(s.run_iterations(2));
  ASSERT_EQ(s.world_changes().size(), 2u);
  ASSERT_EQ(s.changes().size(), 2u);

  const json j = session_json(s);
  Session loaded = session_from_json(json::parse(j.dump()), "both.json");
  expect_same_run(s, loaded);
  EXPECT_EQ(loaded.changes().size(), 2u);
  ASSERT_TRUE(s.run_iterations(3));
  ASSERT_TRUE(loaded.run_iterations(3));
  expect_same_run(s, loaded);
}

}  // namespace
}  // namespace pg
