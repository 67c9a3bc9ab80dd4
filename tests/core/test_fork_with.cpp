// Forks with one setting changed (issue 9, item 6: the Compare menu's "Fork here with"):
// Session::fork_with(key, value) for a live hyperparameter is the run that made that live change
// at the fork's iteration, bit for bit; with "seed" the fork draws its random numbers from the
// new seed from here on — at iteration 0 of a tabular run (θ starts at 0 whatever the seed) it is
// the run started with that seed. The original session never changes.
#include <gtest/gtest.h>

#include "io/scenario.h"
#include "session/session.h"
#include "util/error.h"

namespace pg {
namespace {

Scenario small(const char* name) {
  Scenario s = load_scenario(name);
  if (s.algorithm.num_steps == 0 && s.algorithm.name != AlgorithmKind::kGrpo)
    set_values(s, {{"algorithm.batch_episodes", 4}});
  return s;
}

TEST(ForkWith, ALiveKeyIsTheLiveChangeMadeAtTheFork) {
  struct Case {
    const char* scenario;
    const char* key;
    nlohmann::json value;
  };
  const Case cases[] = {
      {"gridworld-reinforce", "algorithm.lr", 0.3},
      {"gridworld-reinforce", "algorithm.batch_episodes", 7},
      {"gridworld-reinforce", "algorithm.optimizer", "sgd"},
      {"gridworld-reinforce", "algorithm.entropy_coef", 0.01},
      {"cartpole-ppo-fast", "advantage.lambda", 0.5},  // (frozen lake pays nothing early on)
      {"cartpole-ppo-fast", "ppo.clip_eps", 0.05},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(c.scenario) + " " + c.key);
    Session main(small(c.scenario));
    ASSERT_TRUE(main.run_iterations(2));
    const Eigen::VectorXd theta_main = main.policy().params();
    Session fork = main.fork_with(c.key, c.value);
    EXPECT_EQ(resolved_value(fork.scenario(), c.key), c.value);
    EXPECT_NE(resolved_value(main.scenario(), c.key), c.value);  // the original is untouched
    ASSERT_EQ(fork.changes().size(), 1u);
    EXPECT_EQ(fork.changes()[0].iteration, 2);
    // The same change made live on a copy that never forked.
    Session live(small(c.scenario));
    ASSERT_TRUE(live.run_iterations(2));
    ASSERT_TRUE(live.set_live(c.key, c.value));
    ASSERT_TRUE(fork.run_iterations(2));
    ASSERT_TRUE(live.run_iterations(2));
    EXPECT_TRUE(fork.policy().params() == live.policy().params());
    EXPECT_FALSE(fork.policy().params() == theta_main);
    EXPECT_TRUE(main.policy().params() == theta_main);
  }
}

TEST(ForkWith, ASeedForkDrawsFromTheNewSeed) {
  // Tabular θ starts at 0 whatever the seed: a fork at iteration 0 with seed 9 is the run that
  // started with seed 9.
  Session main(small("gridworld-reinforce"));
  Session fork = main.fork_with("seed", 9);
  EXPECT_EQ(fork.scenario().seed, 9u);
  EXPECT_EQ(main.scenario().seed, 1u);
  Scenario nine = small("gridworld-reinforce");
  set_values(nine, {{"seed", 9}});
  Session fresh(nine);
  ASSERT_TRUE(fork.run_iterations(3));
  ASSERT_TRUE(fresh.run_iterations(3));
  EXPECT_TRUE(fork.policy().params() == fresh.policy().params());
  for (size_t i = 0; i < 3; ++i)
    EXPECT_EQ(fork.history()[i].return_mean, fresh.history()[i].return_mean);
  // Later: the fork's batches differ from the main run's from the fork on, not before.
  ASSERT_TRUE(main.run_iterations(2));
  Session later = main.fork_with("seed", 2);
  ASSERT_TRUE(later.run_iterations(1));
  ASSERT_TRUE(main.run_iterations(1));
  EXPECT_EQ(later.history()[1].return_mean, main.history()[1].return_mean);
  EXPECT_NE(later.history()[2].return_mean, main.history()[2].return_mean);
  // GRPO keeps its own copy of the seed (the prompts it draws): it follows the fork's.
  Session grpo(load_scenario("grpo-token-task"));
  Session grpo9 = grpo.fork_with("seed", 9);
  Scenario g9 = load_scenario("grpo-token-task");
  set_values(g9, {{"seed", 9}});
  Session grpo_fresh(g9);
  ASSERT_TRUE(grpo9.advance(Granularity::kBatch));
  ASSERT_TRUE(grpo_fresh.advance(Granularity::kBatch));
  ASSERT_EQ(grpo9.batch().size(), grpo_fresh.batch().size());
  for (int i = 0; i < grpo9.batch().size(); ++i)
    EXPECT_EQ(grpo9.batch().trajectories[i].state, grpo_fresh.batch().trajectories[i].state);
}

TEST(ForkWith, BadSettingsAreRefusedWithTheKeyTablesMessage) {
  Session s(small("gridworld-reinforce"));
  auto error = [&](const char* key, const nlohmann::json& v) -> std::string {
    try {
      s.fork_with(key, v);
    } catch (const InputError& e) {
      return e.what();
    }
    return "";
  };
  EXPECT_NE(error("seed", -1).find("seed"), std::string::npos);
  EXPECT_NE(error("algorithm.lr", -0.5).find("algorithm.lr"), std::string::npos);
  EXPECT_NE(error("env.gamma", 0.5).find("env.gamma"), std::string::npos);  // not live
  EXPECT_EQ(s.scenario().seed, 1u);
}

}  // namespace
}  // namespace pg
