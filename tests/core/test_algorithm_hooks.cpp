// What algorithms and environments tell the rest of the core (issue 7, DESIGN.md §3a): the
// importance record, the dump's extras and an environment's prompts replace the downcasts to
// OffPolicyAlgorithm, PpoAlgorithm, GrpoAlgorithm and TokenTask. Each hook is checked against a
// direct computation (log π at θ_old, the initial β, the prompt of a state) and for being absent
// where the algorithm or world has no such thing.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "env/token_task.h"
#include "io/batch_dump.h"
#include "io/scenario.h"
#include "lab/importance_compare.h"
#include "session/session.h"
#include "util/error.h"

namespace pg {
namespace {

const char* const kScenarios[] = {"gridworld-reinforce", "a2c-gridworld",  "cartpole-ppo-fast",
                                  "npg-gridworld",       "trpo-gridworld", "off-policy-gridworld",
                                  "grpo-token-task"};

TEST(AlgorithmHooks, OnlyOffPolicyKeepsImportanceWeights) {
  for (const char* name : kScenarios) {
    Session s(load_scenario(name));
    ASSERT_TRUE(s.advance(Granularity::kEstimate)) << name;
    const bool off = s.scenario().algorithm.name == AlgorithmKind::kOffPolicy;
    const ImportanceRecord* rec = s.algorithm().importance_record();
    EXPECT_EQ(rec != nullptr, off) << name;
    EXPECT_EQ(compare_importance(s, 4).available, off) << name;
    const nlohmann::json dump = batch_dump(s);
    EXPECT_EQ(dump.contains("algorithm") && dump["algorithm"].contains("ess"), off) << name;
    if (!off) continue;
    // The record is the estimate's: one log W per trajectory, ESS = (ΣW)²/ΣW², and the dump writes
    // the same numbers.
    ASSERT_EQ(static_cast<int>(rec->weights.log_w.size()), s.batch().size());
    double sw = 0, sw2 = 0;
    for (double lw : rec->weights.log_w) {
      sw += std::exp(lw);
      sw2 += std::exp(2 * lw);
    }
    EXPECT_NEAR(rec->weights.ess, sw * sw / sw2, 1e-9);
    EXPECT_EQ(dump["algorithm"]["ess"].get<double>(), rec->weights.ess);
    EXPECT_EQ(dump["algorithm"]["behaviour_iteration"].get<int>(), rec->behaviour_iteration);
  }
}

// PPO's dump: "beta" is the β the next update uses (the scenario's kl_beta before any update) and
// each step's "logp_old" is log π_θold(a|s), recomputed here from the session's policy at θ_old.
TEST(AlgorithmHooks, PpoDumpExtrasAreBetaAndLogPiOld) {
  Scenario sc = load_scenario("cartpole-ppo-fast");
  apply_sets(sc, {"ppo.objective=kl-penalty", "ppo.kl_beta=0.7"});
  Session s(sc);
  ASSERT_TRUE(s.advance(Granularity::kEstimate));
  DumpExtras extras;
  s.algorithm().dump_extras(extras);
  ASSERT_EQ(extras.scalars.size(), 1u);
  EXPECT_EQ(extras.scalars[0].first, "beta");
  EXPECT_EQ(extras.scalars[0].second, 0.7);
  const nlohmann::json dump = batch_dump(s);
  EXPECT_EQ(dump["algorithm"]["name"], "ppo");
  EXPECT_EQ(dump["algorithm"]["beta"].get<double>(), 0.7);
  const Policy& pi = s.behaviour_policy();
  std::vector<double> p(pi.num_actions());
  int checked = 0;
  for (int i = 0; i < s.batch().size(); ++i) {
    const Trajectory& tr = s.batch().trajectories[i];
    const nlohmann::json& lp = dump["trajectories"][i]["logp_old"];
    ASSERT_EQ(static_cast<int>(lp.size()), tr.length());
    for (int t = 0; t < tr.length(); ++t, ++checked) {
      pi.probs(tr.obs_at(t), p.data());
      EXPECT_NEAR(lp[t].get<double>(), std::log(p[tr.actions[t]]), 1e-12);
    }
  }
  EXPECT_GT(checked, 0);
  // Algorithms without extras write none.
  Session r(load_scenario("gridworld-reinforce"));
  DumpExtras none;
  r.algorithm().dump_extras(none);
  EXPECT_TRUE(none.scalars.empty());
  EXPECT_TRUE(none.per_step.empty());
}

// GRPO reads the prompt of each completion from the environment (Env::prompt_of_state), and the
// dump writes the prompt's text from Env::prompt_text: both equal the token task's own view.
TEST(AlgorithmHooks, GrpoReadsPromptsFromTheEnvironment) {
  Session s(load_scenario("grpo-token-task"));
  ASSERT_TRUE(s.advance(Granularity::kEstimate));
  const GrpoRecord* rec = s.algorithm().group_record();
  ASSERT_NE(rec, nullptr);
  const auto* task = dynamic_cast<const TokenTask*>(&s.env());  // the test may know the world
  ASSERT_NE(task, nullptr);
  const nlohmann::json dump = batch_dump(s);
  ASSERT_EQ(static_cast<int>(rec->completions.size()), s.batch().size());
  for (int i = 0; i < s.batch().size(); ++i) {
    const int state0 = s.batch().trajectories[i].state[0];
    EXPECT_EQ(rec->completions[i].prompt, state0 / task->prefixes_per_prompt());
    EXPECT_EQ(dump["trajectories"][i]["prompt_text"],
              task->prompt_text(rec->completions[i].prompt));
    std::string text;
    for (int a : s.batch().trajectories[i].actions) text += TokenTask::token_text(a);
    EXPECT_EQ(dump["trajectories"][i]["completion_text"], text);
  }
  // A world without prompts says so, and GRPO refuses it with the scenario's message.
  Session g(load_scenario("gridworld-reinforce"));
  EXPECT_EQ(g.env().num_prompts(), 0);
  EXPECT_EQ(g.env().prompt_of_state(0), -1);
  Scenario bad = load_scenario("gridworld-reinforce");
  try {
    apply_sets(bad, {"algorithm.name=grpo", "algorithm.batch_episodes=32"});
    Session x(bad);
    FAIL() << "grpo ran on a world without prompts";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("token-task"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace pg
