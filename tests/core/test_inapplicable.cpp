// Keys that cannot change a scenario (io/params.h's inapplicable_reason): `--set` refuses them and
// the window hides their rows, so each "does not apply" must be true. Checked against runs: for
// every shipped scenario and every key called inapplicable there, a different valid value either
// is refused by the scenario's own rules or leaves two iterations bit-identical (θ, critic, every
// history field).

#include <gtest/gtest.h>

#include <fstream>

#include "io/params.h"
#include "io/scenario.h"
#include "same_bits.h"
#include "session/session.h"
#include "util/error.h"

namespace pg {

namespace {

// A valid value of `spec` other than `now`.
nlohmann::json another_value(const ParamSpec& spec, const nlohmann::json& now) {
  switch (spec.type) {
    case ParamType::kInt:
      return now.get<double>() != spec.min ? nlohmann::json(static_cast<int64_t>(spec.min))
                                           : nlohmann::json(static_cast<int64_t>(spec.min) + 1);
    case ParamType::kDouble:
      return now.get<double>() != spec.max ? spec.max : spec.min;
    case ParamType::kBool:
      return !now.get<bool>();
    case ParamType::kEnum:
      for (const auto& a : spec.allowed)
        if (a != now.get<std::string>()) return a;
      break;
    case ParamType::kString:  // env.map
      return now.get<std::string>() == "cliff-4x12" ? "four-rooms" : "cliff-4x12";
    case ParamType::kIntList:
      return nlohmann::json::array({8});
    case ParamType::kDoubleList:  // arm_means, bumps (triples), init_logits
      return nlohmann::json::array({0.5, 1.0, 0.7});
    case ParamType::kStringList:
      break;
  }
  ADD_FAILURE() << spec.key << ": no other value";
  return now;
}

struct Outcome {
  Eigen::VectorXd theta, critic;
  std::vector<IterationRecord> rows;
};

Outcome two_iterations(const Scenario& s) {
  Session session(s);
  EXPECT_TRUE(session.run_iterations(2)) << session.fault();
  Outcome r{session.policy().params(), test::critic_params(session), {}};
  for (size_t i = 0; i < session.history().size(); ++i) r.rows.push_back(session.history()[i]);
  return r;
}

void expect_same(const Outcome& a, const Outcome& b, const std::string& what) {
  EXPECT_TRUE(test::same_vector(a.theta, b.theta)) << what << ": θ";
  EXPECT_TRUE(test::same_vector(a.critic, b.critic)) << what << ": critic";
  ASSERT_EQ(a.rows.size(), b.rows.size()) << what;
  for (size_t i = 0; i < a.rows.size(); ++i) {
    const IterationRecord &x = a.rows[i], &y = b.rows[i];
    EXPECT_EQ(x.steps, y.steps) << what << " row " << i;
    EXPECT_EQ(x.episodes, y.episodes) << what << " row " << i;
    for (auto [p, q] : {std::pair{x.return_mean, y.return_mean},
                        {x.return_std, y.return_std},
                        {x.grad_norm, y.grad_norm},
                        {x.entropy, y.entropy},
                        {x.exact_J, y.exact_J}})
      EXPECT_TRUE(test::same_bits(p, q)) << what << " row " << i << ": " << p << " vs " << q;
  }
}

}  // namespace

TEST(Inapplicable, AKeyCalledInapplicableNeverChangesAShippedScenario) {
  int checked = 0;
  for (const auto& name : list_scenarios()) {
    const Scenario base = load_scenario(name);
    const Outcome reference = two_iterations(base);
    for (const ParamSpec& spec : scenario_params()) {
      if (inapplicable_reason(base, spec.key).empty()) continue;
      Scenario changed = base;
      const nlohmann::json value = another_value(spec, spec.bind.load(base));
      try {
        set_value(changed, spec.key, value);
        expect_same(reference, two_iterations(changed),
                    name + " with " + spec.key + "=" + value.dump());
      } catch (const InputError&) {
        continue;  // refused by a rule of its own (policy.init_logits on an MLP)
      }
      ++checked;
    }
  }
  // 27 scenarios, most with 10+ keys that do not apply: a table that judged nothing would pass.
  EXPECT_GE(checked, 200);
}

TEST(Inapplicable, NoShippedScenarioWritesAKeyThatDoesNothing) {
  // A file that sets env.slip on cart-pole tells its reader something false about the run.
  int keys = 0;
  for (const auto& name : list_scenarios()) {
    const Scenario s = load_scenario(name);
    std::ifstream in(asset_dir() + "/scenarios/" + name + ".json");
    ASSERT_TRUE(in) << name;
    const nlohmann::json file = nlohmann::json::parse(in);
    for (const char* section : {"env", "policy", "grpo", "sac"}) {
      if (!file.contains(section)) continue;
      for (auto it = file[section].begin(); it != file[section].end(); ++it, ++keys) {
        const std::string key = std::string(section) + "." + it.key();
        EXPECT_EQ(inapplicable_reason(s, key), "") << name << ": " << key;
      }
    }
  }
  EXPECT_GE(keys, 60);  // 27 files, each with an env and a policy section of a few keys
}

TEST(Inapplicable, ReasonNamesTheKindAndApplicableKeysHaveNone) {
  Scenario s = load_scenario("cartpole-ppo");
  EXPECT_EQ(inapplicable_reason(s, "env.slip"),
            "applies to env.kind gridworld only, and env.kind is cartpole");
  EXPECT_EQ(inapplicable_reason(s, "policy.squash"),
            "applies to policy.kind gaussian only, and policy.kind is mlp");
  // Sections only their algorithm reads (no view reads sac.* or grpo.* elsewhere).
  EXPECT_EQ(inapplicable_reason(s, "sac.alpha"),
            "applies to algorithm.name sac only, and algorithm.name is ppo");
  EXPECT_EQ(inapplicable_reason(s, "grpo.group_size"),
            "applies to algorithm.name grpo only, and algorithm.name is ppo");
  EXPECT_EQ(inapplicable_reason(load_scenario("sac-cartpole"), "sac.alpha"), "");
  EXPECT_EQ(inapplicable_reason(load_scenario("grpo-token-task"), "grpo.kl_coef"), "");
  for (const char* key : {"env.gamma", "env.step_limit", "env.sutton_barto_reward", "policy.hidden",
                          "ppo.clip_eps", "estimator.baseline", "trpo.max_kl"})
    EXPECT_EQ(inapplicable_reason(s, key), "") << key;
  EXPECT_EQ(inapplicable_reason(load_scenario("bandit-reinforce"), "env.gamma"),
            "applies to env.kind gridworld, cartpole, short-corridor, pendulum and "
            "continuous-cartpole only, and env.kind is bandit");
}

TEST(Inapplicable, SetRefusesAKeyThatWouldDoNothingJudgedAfterEverySet) {
  Scenario s = load_scenario("cartpole-ppo");
  try {
    apply_sets(s, {"algorithm.lr=0.01", "env.slip=0.3"});
    ADD_FAILURE() << "env.slip on cartpole was accepted";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()),
              "env.slip: would have no effect: it applies to env.kind gridworld only, and "
              "env.kind is cartpole");
  }
  EXPECT_EQ(s.algorithm.lr, load_scenario("cartpole-ppo").algorithm.lr) << "half-applied";
  // The kind given in the same call counts, in either order.
  Scenario g = load_scenario("gridworld-reinforce");
  apply_sets(g, {"policy.hidden=8", "policy.kind=mlp"});
  EXPECT_EQ(g.policy.hidden, std::vector<int>{8});
  Scenario a = load_scenario("gridworld-reinforce");
  EXPECT_THROW(apply_sets(a, {"sac.alpha=0.2"}), InputError);
  apply_sets(a, {"sac.alpha=0.2", "algorithm.name=sac"});
  EXPECT_EQ(a.sac.alpha, 0.2);
  // The GUI and files are not refused: a kind switched back and forth keeps its settings.
  Scenario c = load_scenario("cartpole-ppo");
  EXPECT_NO_THROW(set_value(c, "env.slip", 0.3));
}

}  // namespace pg
