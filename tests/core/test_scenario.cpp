#include <gtest/gtest.h>

#include <filesystem>

#include "io/params.h"
#include "io/scenario.h"
#include "util/error.h"

namespace pg {

namespace {

// The message of the InputError that parsing `text` throws ("" if none).
std::string error_of(const std::string& text) {
  try {
    parse_scenario(text, "bad.json");
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

}  // namespace

TEST(Scenario, DefaultsFillEveryKey) {
  Scenario s = parse_scenario("{}", "empty.json");
  for (const auto& p : scenario_params()) {
    const nlohmann::json* node = &s.resolved;
    size_t start = 0;
    for (;;) {
      size_t dot = p.key.find('.', start);
      node = &node->at(p.key.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
      if (dot == std::string::npos) break;
      start = dot + 1;
    }
    EXPECT_EQ(*node, p.default_value) << p.key;
    EXPECT_EQ(check_value(p, p.default_value), "") << p.key << " default violates its own range";
  }
  EXPECT_EQ(s.algorithm.batch_episodes, 16);
  EXPECT_EQ(s.estimator.baseline, Baseline::kNone);
}

TEST(Scenario, ShippedScenariosLoad) {
  const auto names = list_scenarios();
  EXPECT_GE(names.size(), 5u);
  for (const auto& n : names) EXPECT_NO_THROW(load_scenario(n)) << n;
  Scenario s = load_scenario("short-corridor-reinforce");
  EXPECT_EQ(s.env.kind, "short-corridor");
  EXPECT_EQ(s.algorithm.batch_episodes, 1);
}

TEST(Scenario, MalformedJsonNamesLineAndColumn) {
  const std::string msg = error_of("{\n  \"seed\": 1,\n  \"env\": {\"kind\": }\n}");
  EXPECT_TRUE(contains(msg, "bad.json:3:")) << msg;
  EXPECT_TRUE(contains(msg, "malformed JSON")) << msg;
}

TEST(Scenario, UnknownKeyNamesLineAndAllowedKeys) {
  const std::string msg = error_of("{\n  \"env\": {\n    \"kind\": \"gridworld\",\n    \"slipp\": 0.1\n  }\n}");
  EXPECT_TRUE(contains(msg, "bad.json:4: env.slipp")) << msg;
  EXPECT_TRUE(contains(msg, "unknown key")) << msg;
  EXPECT_TRUE(contains(msg, "slip")) << msg;
  const std::string top = error_of("{\"algo\": {}}");
  EXPECT_TRUE(contains(top, "algorithm")) << top;
}

TEST(Scenario, OutOfRangeValues) {
  std::string msg = error_of("{\"env\": {\"gamma\": -0.5}}");
  EXPECT_TRUE(contains(msg, "env.gamma")) << msg;
  EXPECT_TRUE(contains(msg, "[0, 1]")) << msg;
  msg = error_of("{\"algorithm\": {\"batch_episodes\": 0}}");
  EXPECT_TRUE(contains(msg, "algorithm.batch_episodes")) << msg;
  EXPECT_TRUE(contains(msg, "[1, 100000]")) << msg;
  msg = error_of("{\"algorithm\": {\"batch_episodes\": 2.5}}");
  EXPECT_TRUE(contains(msg, "integer")) << msg;
  msg = error_of("{\"estimator\": {\"baseline\": \"avg\"}}");
  EXPECT_TRUE(contains(msg, "one of: none, mean")) << msg;
  msg = error_of("{\"estimator\": {\"normalize\": \"yes\"}}");
  EXPECT_TRUE(contains(msg, "true or false")) << msg;
}

TEST(Scenario, NanStepSizeIsRejected) {
  // JSON has no NaN literal; the malformed-JSON path reports it. --set must reject it too.
  EXPECT_FALSE(error_of("{\"algorithm\": {\"lr\": NaN}}").empty());
  Scenario s = default_scenario();
  try {
    apply_set(s, "algorithm.lr=nan");
    FAIL() << "nan accepted";
  } catch (const InputError& e) {
    EXPECT_TRUE(contains(e.what(), "algorithm.lr")) << e.what();
    EXPECT_TRUE(contains(e.what(), "finite")) << e.what();
  }
  EXPECT_THROW(apply_set(s, "algorithm.lr=0"), InputError);  // the range is (0, 1000]
}

TEST(Scenario, SetOverridesAndValidates) {
  Scenario s = default_scenario();
  apply_set(s, "estimator.baseline=mean");
  EXPECT_EQ(s.estimator.baseline, Baseline::kMean);
  apply_set(s, "policy.hidden=8,4");
  EXPECT_EQ(s.policy.hidden, (std::vector<int>{8, 4}));
  apply_set(s, "env.arm_means=0.1,0.9");
  EXPECT_EQ(s.env.arm_means.size(), 2u);
  EXPECT_THROW(apply_set(s, "estimator.basline=mean"), InputError);
  EXPECT_THROW(apply_set(s, "no-equals-sign"), InputError);
  EXPECT_THROW(apply_set(s, "algorithm.batch_episodes=ten"), InputError);
  EXPECT_EQ(s.estimator.baseline, Baseline::kMean) << "a failed --set must leave the scenario unchanged";
}

TEST(Scenario, SetOrderDoesNotMatter) {
  // cliff-reinforce normalises; optimal needs normalize=false. Either order of the flags works.
  Scenario a = load_scenario("cliff-reinforce"), b = a;
  apply_sets(a, {"estimator.returns=total", "estimator.baseline=optimal", "estimator.normalize=false"});
  apply_sets(b, {"estimator.normalize=false", "estimator.baseline=optimal", "estimator.returns=total"});
  EXPECT_EQ(a.estimator, b.estimator);
  try {
    apply_sets(a, {"estimator.normalize=true"});
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("estimator.normalize: ", 0), 0u) << "names the key, not the file: " << e.what();
  }
}

TEST(Scenario, CombinationRules) {
  EXPECT_TRUE(contains(error_of("{\"estimator\": {\"returns\": \"reward-to-go\", \"baseline\": \"optimal\"}}"),
                       "returns=total"));
  EXPECT_TRUE(contains(error_of("{\"env\": {\"kind\": \"cartpole\"}, \"policy\": {\"kind\": \"tabular\"}}"),
                       "allowed: mlp"));
  EXPECT_TRUE(contains(error_of("{\"env\": {\"kind\": \"bandit\", \"arm_means\": [0.5]}}"), "2 to 64 arms"));
}

TEST(Scenario, MissingFileListsShippedScenarios) {
  try {
    load_scenario("no-such-scenario");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_TRUE(contains(e.what(), "short-corridor-reinforce")) << e.what();
  }
}

TEST(Params, MarkdownHasEveryKey) {
  const std::string md = params_markdown();
  for (const auto& p : scenario_params()) EXPECT_TRUE(contains(md, "`" + p.key + "`")) << p.key;
}

}  // namespace pg
