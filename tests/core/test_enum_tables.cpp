// Enumerations at the scenario boundary (issue 7): each has one table (util/enum_table.h) that the
// parser, its messages, dumps and session files read. These tests check that every table
// round-trips name → value → name, that a scenario's key accepts exactly the table's names, and
// that a bad value's message lists every one of them (the message text is pinned: it is what
// users and the README see).
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "env/bandit.h"
#include "estimator/advantages.h"
#include "estimator/importance.h"
#include "io/params.h"
#include "io/scenario.h"
#include "nn/mlp.h"
#include "nn/optimizer.h"
#include "util/error.h"

namespace pg {

namespace {

template <class E>
void expect_round_trip(size_t expected_rows) {
  const std::vector<std::string> names = enum_names<E>();
  ASSERT_EQ(names.size(), expected_rows);
  std::set<std::string> seen;
  std::set<int> values;
  for (const std::string& name : names) {
    EXPECT_TRUE(seen.insert(name).second) << "duplicate name " << name;
    E v{};
    ASSERT_TRUE(enum_from_name(name, &v)) << name;
    EXPECT_EQ(std::string(name_of(v)), name);  // name → value → name
    EXPECT_TRUE(values.insert(static_cast<int>(v)).second) << "two names for one value: " << name;
    EXPECT_GT(std::string(title_of(v)).size(), 0u) << name;
    EXPECT_GT(std::string(enum_row(v).meaning).size(), 0u) << name;
  }
  // Every value 0..rows−1 has its row (the enums are dense from 0).
  for (int i = 0; i < static_cast<int>(expected_rows); ++i)
    EXPECT_EQ(values.count(i), 1u) << "value " << i << " has no row";
  E untouched = static_cast<E>(1);
  EXPECT_FALSE(enum_from_name("no-such-name", &untouched));
  EXPECT_EQ(untouched, static_cast<E>(1));
  EXPECT_FALSE(enum_from_name("", &untouched));
}

std::string set_error(const std::string& assignment) {
  Scenario s = default_scenario();
  try {
    apply_set(s, assignment);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

// The key's table lists exactly the enum's names, in table order, and --set accepts each one and
// stores the value whose name it is.
template <class E, class Get>
void expect_key_reads_table(const std::string& key, Get get) {
  const ParamSpec* spec = find_param(key);
  ASSERT_NE(spec, nullptr) << key;
  EXPECT_EQ(spec->allowed, enum_names<E>()) << key;
  for (const std::string& name : enum_names<E>()) {
    Scenario s = default_scenario();
    try {
      apply_set(s, key + "=" + name);
    } catch (const InputError& e) {
      // Some names need other keys set too (grpo needs env.kind=token-task): the key's own check
      // accepted the name when the message is about the combination, not the value.
      EXPECT_EQ(std::string(e.what()).find("is not allowed"), std::string::npos) << e.what();
      continue;
    }
    EXPECT_EQ(std::string(name_of(get(s))), name) << key;
  }
}

}  // namespace

TEST(EnumTables, RoundTripNameValueName) {
  expect_round_trip<EnvKind>(8);
  expect_round_trip<AlgorithmKind>(8);
  expect_round_trip<SacAlphaMode>(2);
  expect_round_trip<PpoObjectiveKind>(2);
  expect_round_trip<CriticKind>(2);
  expect_round_trip<AdvantageKind>(4);
  expect_round_trip<PolicyKind>(3);
  expect_round_trip<Returns>(2);
  expect_round_trip<Baseline>(7);
  expect_round_trip<IsWeighting>(3);
  expect_round_trip<Activation>(2);
  expect_round_trip<OptimizerKind>(2);
  expect_round_trip<BanditReward>(2);
  expect_round_trip<BehaviourKind>(2);
  expect_round_trip<ViewKind>(14);
}

// Keys whose member is a name the consumer converts through the table (make_optimizer, Bandit,
// the MLP's activation, the importance weighting), and the views a scenario opens: their allowed
// lists are the tables' names, and a name outside the table is refused listing all of them.
TEST(EnumTables, StringKeysAllowExactlyTheTablesNames) {
  const std::pair<const char*, std::vector<std::string>> keys[] = {
      {"algorithm.optimizer", enum_names<OptimizerKind>()},
      {"policy.activation", enum_names<Activation>()},
      {"env.reward_kind", enum_names<BanditReward>()},
      {"offpolicy.weighting", enum_names<IsWeighting>()},
      {"views", enum_names<ViewKind>()},
  };
  for (const auto& [key, names] : keys) {
    const ParamSpec* spec = find_param(key);
    ASSERT_NE(spec, nullptr) << key;
    EXPECT_EQ(spec->allowed, names) << key;
  }
  EXPECT_EQ(set_error("algorithm.optimizer=rmsprop"),
            "algorithm.optimizer: value \"rmsprop\" is not allowed; expected one of: sgd, adam");
  EXPECT_EQ(set_error("policy.activation=gelu"),
            "policy.activation: value \"gelu\" is not allowed; expected one of: tanh, relu");
  EXPECT_EQ(set_error("offpolicy.behaviour=random"),
            "offpolicy.behaviour: value \"random\" is not allowed; expected one of: previous, "
            "fixed");
  // The consumers' own messages read the same tables.
  try {
    make_optimizer("rmsprop", 0.1);
    FAIL() << "an unknown optimizer was made";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), "optimizer: unknown optimizer 'rmsprop'; allowed: sgd, adam");
  }
  EXPECT_EQ(enum_name_list<OptimizerKind>(), "sgd, adam");
  EXPECT_EQ(finite_env_names(), "gridworld, short-corridor, bandit, token-task");
}

// Messages that list "every baseline but optimal" derive the list from the baseline table.
TEST(EnumTables, BaselineListsComeFromTheTable) {
  EXPECT_EQ(baseline_names_except(Baseline::kOptimal),
            "none, mean, time-mean, leave-one-out, exact-value, critic");
  EXPECT_EQ(all_baselines().size(), std::size(EnumTable<Baseline>::rows));
  Scenario s = default_scenario();
  try {
    apply_sets(s, {"estimator.returns=reward-to-go", "estimator.baseline=optimal"});
    FAIL() << "optimal with reward-to-go was accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("allowed with reward-to-go: " +
                                         baseline_names_except(Baseline::kOptimal)),
              std::string::npos)
        << e.what();
  }
  for (const BaselineSpec& row : EnumTable<Baseline>::rows) {
    EXPECT_EQ(baseline_spec(row.value).name, row.name);
    EXPECT_GT(std::string(row.meaning_total).size(), 0u) << row.name;
    EXPECT_GT(std::string(row.meaning_rtg).size(), 0u) << row.name;
  }
}

TEST(EnumTables, ScenarioKeysReadTheTables) {
  expect_key_reads_table<EnvKind>("env.kind", [](const Scenario& s) { return s.env.kind; });
  expect_key_reads_table<AlgorithmKind>("algorithm.name",
                                        [](const Scenario& s) { return s.algorithm.name; });
  expect_key_reads_table<PpoObjectiveKind>("ppo.objective",
                                           [](const Scenario& s) { return s.ppo.objective; });
  expect_key_reads_table<SacAlphaMode>("sac.alpha_mode",
                                       [](const Scenario& s) { return s.sac.alpha_mode; });
  expect_key_reads_table<CriticKind>("critic.kind",
                                     [](const Scenario& s) { return s.critic.kind; });
  expect_key_reads_table<AdvantageKind>("advantage.estimator",
                                        [](const Scenario& s) { return s.advantage.estimator; });
  expect_key_reads_table<PolicyKind>("policy.kind",
                                     [](const Scenario& s) { return s.policy.kind; });
  expect_key_reads_table<Returns>("estimator.returns",
                                  [](const Scenario& s) { return s.estimator.returns; });
  expect_key_reads_table<Baseline>("estimator.baseline",
                                   [](const Scenario& s) { return s.estimator.baseline; });
  expect_key_reads_table<BehaviourKind>("offpolicy.behaviour",
                                        [](const Scenario& s) { return s.offpolicy.behaviour; });
}

// The exact messages a bad value gives (unchanged from when the names were strings), each listing
// every allowed name.
TEST(EnumTables, ParseErrorsListEveryName) {
  EXPECT_EQ(set_error("env.kind=maze"),
            "env.kind: value \"maze\" is not allowed; expected one of: gridworld, cartpole, "
            "short-corridor, bandit, token-task, pendulum, continuous-bandit, continuous-cartpole");
  EXPECT_EQ(set_error("algorithm.name=dqn"),
            "algorithm.name: value \"dqn\" is not allowed; expected one of: reinforce, a2c, ppo, "
            "npg, trpo, off-policy, grpo, sac");
  EXPECT_EQ(set_error("ppo.objective=kl"),
            "ppo.objective: value \"kl\" is not allowed; expected one of: clip, kl-penalty");
  EXPECT_EQ(set_error("critic.kind=linear"),
            "critic.kind: value \"linear\" is not allowed; expected one of: tabular, mlp");
  EXPECT_EQ(
      set_error("policy.kind=linear"),
      "policy.kind: value \"linear\" is not allowed; expected one of: tabular, mlp, gaussian");
  EXPECT_EQ(set_error("advantage.estimator=td1"),
            "advantage.estimator: value \"td1\" is not allowed; expected one of: mc, td0, nstep, "
            "gae");
  // In a file: the same list, after file:line.
  try {
    parse_scenario("{\n  \"algorithm\": {\"name\": \"sarsa\"}\n}", "bad.json");
    FAIL() << "a bad algorithm name parsed";
  } catch (const InputError& e) {
    const std::string msg = e.what();
    for (const std::string& name : enum_names<AlgorithmKind>())
      EXPECT_NE(msg.find(name), std::string::npos) << name << " missing from: " << msg;
    EXPECT_NE(msg.find("bad.json:2"), std::string::npos) << msg;
  }
}

// A scenario written back (the resolved JSON a dump and a session file carry) names each value as
// the table does, so a file reads back to the same values.
TEST(EnumTables, ResolvedScenarioUsesTableNames) {
  Scenario s = default_scenario();
  apply_sets(s, {"env.kind=cartpole", "policy.kind=mlp", "critic.kind=mlp", "algorithm.name=ppo",
                 "ppo.objective=kl-penalty", "advantage.estimator=nstep"});
  EXPECT_EQ(s.env.kind, EnvKind::kCartpole);
  EXPECT_EQ(s.algorithm.name, AlgorithmKind::kPpo);
  EXPECT_EQ(s.ppo.objective, PpoObjectiveKind::kKlPenalty);
  EXPECT_EQ(s.critic.kind, CriticKind::kMlp);
  EXPECT_EQ(s.advantage.estimator, AdvantageKind::kNStep);
  EXPECT_EQ(s.policy.kind, PolicyKind::kMlp);
  EXPECT_EQ(s.resolved["policy"]["kind"], "mlp");
  EXPECT_EQ(s.resolved["env"]["kind"], "cartpole");
  EXPECT_EQ(s.resolved["algorithm"]["name"], "ppo");
  EXPECT_EQ(s.resolved["ppo"]["objective"], "kl-penalty");
  EXPECT_EQ(s.resolved["critic"]["kind"], "mlp");
  EXPECT_EQ(s.resolved["advantage"]["estimator"], "nstep");
  // A resolved scenario holds every key (as a session file's does): read as an embedded one, since
  // a scenario file refuses keys that do nothing (env.map on cart-pole).
  const std::string text = s.resolved.dump();
  const Scenario back = parse_embedded_scenario(s.resolved, text, "resolved.json", "");
  EXPECT_EQ(back.env.kind, s.env.kind);
  EXPECT_EQ(back.algorithm.name, s.algorithm.name);
  EXPECT_EQ(back.ppo.objective, s.ppo.objective);
  EXPECT_EQ(back.critic.kind, s.critic.kind);
  EXPECT_EQ(back.advantage.estimator, s.advantage.estimator);
}

// The advantage table's screen text (the formula panel, the advantage view, the variance view's
// labels read it).
TEST(EnumTables, AdvantageSpecs) {
  EXPECT_STREQ(advantage_spec(AdvantageKind::kMonteCarlo).title, "Monte Carlo");
  EXPECT_STREQ(advantage_spec(AdvantageKind::kTD0).title, "TD(0)");
  EXPECT_STREQ(advantage_spec(AdvantageKind::kNStep).title, "n-step");
  EXPECT_STREQ(advantage_spec(AdvantageKind::kGAE).title, "GAE(λ)");
  EXPECT_STREQ(advantage_spec(AdvantageKind::kGAE).symbol, "Σₗ(γλ)ˡδₜ₊ₗ");
  EXPECT_STREQ(advantage_spec(AdvantageKind::kMonteCarlo).as_gae, "λ=1");
  EXPECT_STREQ(advantage_spec(AdvantageKind::kTD0).as_gae, "λ=0");
}

}  // namespace pg
