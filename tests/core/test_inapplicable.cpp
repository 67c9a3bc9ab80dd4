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

// `critic`: compare the critic's parameters too (critic.kind where no critic learns makes an
// idle critic of another shape: its parameters differ, the run does not).
void expect_same(const Outcome& a, const Outcome& b, const std::string& what, bool critic = true) {
  EXPECT_TRUE(test::same_vector(a.theta, b.theta)) << what << ": θ";
  if (critic) {
    EXPECT_TRUE(test::same_vector(a.critic, b.critic)) << what << ": critic";
  }
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
                    name + " with " + spec.key + "=" + value.dump(), spec.key != "critic.kind");
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
    // Every section (load_scenario refuses such a key now; this names each one at once).
    for (auto sec = file.begin(); sec != file.end(); ++sec) {
      if (!sec.value().is_object()) continue;
      for (auto it = sec.value().begin(); it != sec.value().end(); ++it, ++keys) {
        const std::string key = sec.key() + "." + it.key();
        EXPECT_EQ(inapplicable_reason(s, key), "") << name << ": " << key;
      }
    }
  }
  EXPECT_GE(keys, 150);  // 27 files, each with env, policy and algorithm sections of a few keys
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
  // Read on any algorithm by a view: the landscape's PPO and natural paths, the surrogate view.
  for (const char* key : {"env.gamma", "env.step_limit", "env.sutton_barto_reward", "policy.hidden",
                          "ppo.clip_eps", "ppo.epochs", "ppo.kl_beta", "trpo.max_kl",
                          "trpo.damping", "advantage.n", "offpolicy.behaviour_logits"})
    EXPECT_EQ(inapplicable_reason(s, key), "") << key;
  EXPECT_EQ(inapplicable_reason(s, "estimator.baseline"),
            "applies to algorithm.name reinforce, npg, trpo and off-policy only, and "
            "algorithm.name is ppo");
  const Scenario r = load_scenario("gridworld-reinforce");
  for (const char* key : {"ppo.minibatches", "trpo.cg_iters", "trpo.backtracks",
                          "advantage.normalize", "offpolicy.lag", "algorithm.num_envs"})
    EXPECT_NE(inapplicable_reason(r, key), "") << key;
  // The baseline is a live toggle: what the critic would be applies whatever the baseline, and
  // the Advantages view starts from advantage.* with the critic baseline.
  for (const char* key : {"critic.lr", "critic.kind", "advantage.lambda", "advantage.estimator"})
    EXPECT_EQ(inapplicable_reason(r, key), "") << key;
  EXPECT_EQ(inapplicable_reason(load_scenario("grpo-token-task"), "critic.lr"),
            "applies when a critic can learn (algorithm.name a2c, ppo or sac, or the REINFORCE "
            "family's estimator.baseline critic), and algorithm.name is grpo");
  Scenario rc = r;
  set_value(rc, "estimator.baseline", "critic");
  EXPECT_EQ(inapplicable_reason(rc, "critic.lr"), "");
  EXPECT_NE(inapplicable_reason(rc, "critic.hidden"), "") << "a tabular critic has no layers";
  // Environments side by side only for segments.
  Scenario a2c = load_scenario("a2c-gridworld");
  EXPECT_EQ(inapplicable_reason(a2c, "algorithm.num_envs"), "");
  set_value(a2c, "algorithm.num_steps", 0);
  EXPECT_NE(inapplicable_reason(a2c, "algorithm.num_envs"), "");
  EXPECT_EQ(inapplicable_reason(load_scenario("cartpole-ppo"), "algorithm.num_envs"), "");
  EXPECT_EQ(inapplicable_reason(load_scenario("bandit-reinforce"), "env.gamma"),
            "applies to env.kind gridworld, cartpole, short-corridor, pendulum and "
            "continuous-cartpole only, and env.kind is bandit");
}

TEST(Inapplicable, TheNetworkKeysNeedAPolicyWithANetwork) {
  // The continuous bandit's Gaussian has no features, so no network: policy.hidden, activation and
  // precision were accepted there and changed nothing (identical CSVs).
  const Scenario cb = load_scenario("continuous-bandit-reinforce");
  for (const char* key : {"policy.hidden", "policy.activation", "policy.precision"}) {
    EXPECT_EQ(inapplicable_reason(cb, key),
              "applies to a policy with a network, and the continuous bandit's Gaussian has none "
              "(no state features: its mean is a free parameter)")
        << key;
    EXPECT_EQ(inapplicable_reason(load_scenario("pendulum-ppo"), key), "") << key;
  }
  Scenario s = cb;
  try {
    apply_sets(s, {"policy.hidden=8"});
    ADD_FAILURE() << "policy.hidden on the continuous bandit was accepted";
  } catch (const InputError& e) {
    EXPECT_EQ(e.where(), "policy.hidden");
  }
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
  // The GUI is not refused: a kind switched back and forth keeps its settings.
  Scenario c = load_scenario("cartpole-ppo");
  EXPECT_NO_THROW(set_value(c, "env.slip", 0.3));
  // A later live change that makes a key apply keeps it (--set critic.hidden on a tabular critic
  // with --change of critic.kind to mlp).
  Scenario l = load_scenario("cartpole-ppo");
  set_value(l, "critic.kind", "tabular");
  EXPECT_THROW(apply_sets(l, {"critic.hidden=8"}), InputError);
}

TEST(Inapplicable, AFileThatWritesAKeyThatDoesNothingIsRefusedAtItsLine) {
  const std::string text =
      "{\n  \"env\": {\"kind\": \"cartpole\"},\n  \"policy\": {\"kind\": \"mlp\"},\n"
      "  \"algorithm\": {\"name\": \"ppo\", \"num_steps\": 128},\n"
      "  \"estimator\": {\"baseline\": \"mean\"}\n}\n";
  try {
    parse_scenario(text, "f.json");
    ADD_FAILURE() << "an estimator section on PPO was accepted";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()),
              "f.json:5: estimator.baseline: would have no effect: it applies to algorithm.name "
              "reinforce, npg, trpo and off-policy only, and algorithm.name is ppo; remove it "
              "from the file");
  }
  // The same scenario embedded in a session file (every key, resolved) is kept.
  const nlohmann::json in = nlohmann::json::parse(text);
  EXPECT_NO_THROW(parse_embedded_scenario(in, text, "s.json", ""));
}

}  // namespace pg
