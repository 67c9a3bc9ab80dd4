#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <utility>
#include <vector>

#include "io/json_text.h"
#include "io/params.h"
#include "io/scenario.h"
#include "session/session.h"
#include "util/error.h"
#include "util/text.h"

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

// The message of the InputError that `--set assignment` throws on `s` ("" if accepted).
std::string set_error(Scenario& s, const std::string& assignment) {
  try {
    apply_set(s, assignment);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

bool contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

}  // namespace

TEST(Scenario, DefaultsFillEveryKey) {
  Scenario s = parse_scenario("{}", "empty.json");
  for (const auto& p : scenario_params()) {
    const nlohmann::json* node = &s.resolved;
    size_t start = 0;
    for (;;) {
      size_t dot = p.key.find('.', start);
      node = &node->at(
          p.key.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
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
  EXPECT_EQ(s.env.kind, EnvKind::kShortCorridor);
  EXPECT_EQ(s.algorithm.batch_episodes, 1);
}

TEST(Scenario, MalformedJsonNamesLineAndColumn) {
  const std::string msg = error_of("{\n  \"seed\": 1,\n  \"env\": {\"kind\": }\n}");
  EXPECT_TRUE(contains(msg, "bad.json:3:")) << msg;
  EXPECT_TRUE(contains(msg, "malformed JSON")) << msg;
}

TEST(Scenario, UnknownKeyNamesLineAndAllowedKeys) {
  const std::string msg =
      error_of("{\n  \"env\": {\n    \"kind\": \"gridworld\",\n    \"slipp\": 0.1\n  }\n}");
  EXPECT_TRUE(contains(msg, "bad.json:4: env.slipp")) << msg;
  EXPECT_TRUE(contains(msg, "unknown key")) << msg;
  EXPECT_TRUE(contains(msg, "slip")) << msg;
  const std::string top = error_of("{\"algo\": {}}");
  EXPECT_TRUE(contains(top, "algorithm")) << top;
}

// A key in the wrong section, or one typed a letter off, names the keys it may have meant.
TEST(Scenario, UnknownKeySuggestsWhereItLives) {
  std::string msg = error_of("{\"algorithm\": {\"name\": \"ppo\", \"clip_eps\": 0.1}}");
  EXPECT_TRUE(contains(msg, "did you mean ppo.clip_eps or grpo.clip_eps? allowed here:")) << msg;
  msg = error_of("{\"env\": {\"slipp\": 0.1}}");
  EXPECT_TRUE(contains(msg, "did you mean env.slip? allowed here:")) << msg;
  Scenario s = default_scenario();
  for (const auto& [set, meant] : std::vector<std::pair<std::string, std::string>>{
           {"clip_eps=0.1", "did you mean ppo.clip_eps or grpo.clip_eps?"},
           {"ppo.epoch=3", "did you mean ppo.epochs?"},
           {"estimator.baselin=mean", "did you mean estimator.baseline?"}}) {
    msg = set_error(s, set);
    EXPECT_TRUE(contains(msg, meant)) << set << ": " << msg;
    EXPECT_TRUE(contains(msg, "allowed: ")) << msg;
  }
  // Nothing near: no guess, only what is allowed.
  msg = set_error(s, "algorithm.learning_rate=0.1");
  EXPECT_FALSE(contains(msg, "did you mean")) << msg;
  EXPECT_TRUE(contains(msg, "unknown key; allowed: name")) << msg;
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
  const std::string msg = set_error(s, "algorithm.lr=nan");
  EXPECT_TRUE(contains(msg, "algorithm.lr")) << "nan accepted? " << msg;
  EXPECT_TRUE(contains(msg, "finite")) << msg;
  EXPECT_THROW(apply_set(s, "algorithm.lr=0"), InputError);  // the range is (0, 1000]
}

TEST(Scenario, SetOverridesAndValidates) {
  Scenario s = default_scenario();
  apply_set(s, "estimator.baseline=mean");
  EXPECT_EQ(s.estimator.baseline, Baseline::kMean);
  apply_sets(s, {"policy.kind=mlp", "policy.hidden=8,4"});
  EXPECT_EQ(s.policy.hidden, (std::vector<int>{8, 4}));
  apply_sets(s, {"env.kind=bandit", "policy.kind=tabular", "env.arm_means=0.1,0.9"});
  EXPECT_EQ(s.env.arm_means.size(), 2u);
  EXPECT_THROW(apply_set(s, "estimator.basline=mean"), InputError);
  EXPECT_THROW(apply_set(s, "no-equals-sign"), InputError);
  EXPECT_THROW(apply_set(s, "algorithm.batch_episodes=ten"), InputError);
  EXPECT_EQ(s.estimator.baseline, Baseline::kMean)
      << "a failed --set must leave the scenario unchanged";
  // [] is the empty list, as in a file (it was read as one empty element: "cannot read ''"); the
  // key's own rule then says what is allowed. An empty element is named.
  apply_set(s, "views=[]");
  EXPECT_TRUE(s.views.empty());
  EXPECT_EQ(set_error(s, "env.arm_means=[]"),
            "env.arm_means: the list is empty; a bandit needs 2 to 64 arms: a list of 2 to 64 "
            "means, e.g. [0.2, 0.5, 0.8]");
  EXPECT_TRUE(
      contains(set_error(s, "env.arm_means=0.1,,0.9"),
               "env.arm_means: item 2 of 3 is empty (two commas in a row, or one at an end)"))
      << set_error(s, "env.arm_means=0.1,,0.9");
}

TEST(Scenario, SetOrderDoesNotMatter) {
  // cliff-reinforce normalises; optimal needs normalize=false. Either order of the flags works.
  Scenario a = load_scenario("cliff-reinforce"), b = a;
  apply_sets(
      a, {"estimator.returns=total", "estimator.baseline=optimal", "estimator.normalize=false"});
  apply_sets(
      b, {"estimator.normalize=false", "estimator.baseline=optimal", "estimator.returns=total"});
  EXPECT_EQ(a.estimator, b.estimator);
  try {
    apply_sets(a, {"estimator.normalize=true"});
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("estimator.normalize: ", 0), 0u)
        << "names the key, not the file: " << e.what();
  }
}

TEST(Scenario, CombinationRules) {
  EXPECT_TRUE(contains(
      error_of("{\"estimator\": {\"returns\": \"reward-to-go\", \"baseline\": \"optimal\"}}"),
      "returns=total"));
  EXPECT_TRUE(
      contains(error_of("{\"env\": {\"kind\": \"cartpole\"}, \"policy\": {\"kind\": \"tabular\"}}"),
               "allowed: mlp"));
  EXPECT_TRUE(contains(error_of("{\"env\": {\"kind\": \"bandit\", \"arm_means\": [0.5]}}"),
                       "2 to 64 arms"));
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

// --- defaults live in the structs and the table, bound key by key (issue 8, item 10) ----------

TEST(Scenario, StructDefaultsEqualTheTableKeyByKey) {
  const Scenario plain{};
  const Scenario defaults = default_scenario();
  for (const auto& p : scenario_params()) {
    EXPECT_EQ(p.bind.load(plain), p.default_value)
        << p.key << ": the struct's default differs from the table's";
    EXPECT_EQ(p.bind.load(defaults), p.default_value)
        << p.key << ": default_scenario() differs from the table";
  }
}

TEST(Scenario, BracesEqualDefaultScenarioFieldByField) {
  const Scenario a{};
  const Scenario b = default_scenario();
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.description, b.description);
  EXPECT_EQ(a.seed, b.seed);
  EXPECT_EQ(a.views, b.views);
  EXPECT_TRUE(a.env == b.env);
  EXPECT_TRUE(a.policy == b.policy);
  EXPECT_TRUE(a.algorithm == b.algorithm);
  EXPECT_TRUE(a.estimator == b.estimator);
  EXPECT_TRUE(a.critic == b.critic);
  EXPECT_TRUE(a.advantage == b.advantage);
  EXPECT_TRUE(a.ppo == b.ppo);
  EXPECT_TRUE(a.trpo == b.trpo);
  EXPECT_TRUE(a.offpolicy == b.offpolicy);
  EXPECT_TRUE(a.grpo == b.grpo);
}

namespace {

// A valid value of `p` that differs from its default.
nlohmann::json other_value(const ParamSpec& p) {
  const nlohmann::json& d = p.default_value;
  switch (p.type) {
    case ParamType::kInt:
      return d.get<double>() + 1 <= p.max ? d.get<long long>() + 1 : d.get<long long>() - 1;
    case ParamType::kDouble: {
      const double v = d.get<double>();
      return v < p.max ? (v + std::min(p.max, v + 2.0)) / 2 : (v + p.min) / 2;
    }
    case ParamType::kBool:
      return !d.get<bool>();
    case ParamType::kString:
      return d.get<std::string>() + "x";
    case ParamType::kEnum:
      for (const auto& a : p.allowed)
        if (a != d.get<std::string>()) return a;
      break;
    case ParamType::kIntList:
      return nlohmann::json::array({7, 3});
    case ParamType::kDoubleList:
      return nlohmann::json::array({0.25, -0.5, 0.125});
    case ParamType::kStringList:
      return nlohmann::json::array({p.allowed.back()});
  }
  return nullptr;
}

}  // namespace

// Each key reaches exactly its own member: storing a new value into one key changes what that key
// reads back and nothing any other key reads (two keys bound to one member, or a swapped pair,
// fail here).
TEST(Scenario, EveryKeyBindsItsOwnMember) {
  for (const auto& p : scenario_params()) {
    const nlohmann::json v = other_value(p);
    ASSERT_NE(v, p.default_value) << p.key;
    ASSERT_EQ(check_value(p, v), "") << p.key;
    Scenario s{};
    p.bind.store(s, v);
    EXPECT_EQ(p.bind.load(s), v) << p.key;
    for (const auto& q : scenario_params()) {
      if (q.key != p.key) {
        EXPECT_EQ(q.bind.load(s), q.default_value) << "storing " << p.key << " changed " << q.key;
      }
    }
  }
}

// --- bad input: one clear InputError, never another exception (issue 8, items 2-6, 12) --------

TEST(ScenarioBadInput, HugeNumberNamesKeyAndRange) {
  const std::string msg = error_of("{\"env\":{\"gamma\":1e999}}");
  EXPECT_TRUE(contains(msg, "bad.json:1:")) << msg;
  EXPECT_TRUE(contains(msg, "env.gamma")) << msg;
  EXPECT_TRUE(contains(msg, "out of range")) << msg;
  EXPECT_TRUE(contains(msg, "[0, 1]")) << msg;
  EXPECT_TRUE(contains(error_of("{\"seed\": 99999999999999999999999}"), "seed"))
      << error_of("{\"seed\": 99999999999999999999999}");
}

TEST(ScenarioBadInput, DeepNestingIsRefusedWithAShortMessage) {
  const std::string deep =
      "{\"env\": {\"kind\": " + std::string(100000, '[') + std::string(100000, ']') + "}}";
  const std::string msg = error_of(deep);
  EXPECT_TRUE(contains(msg, "nested more than 64")) << msg.substr(0, 300);
  EXPECT_TRUE(contains(msg, "env.kind")) << msg.substr(0, 300);
  EXPECT_LT(msg.size(), 400u);
  // 64 levels are still read (and then refused for being a list, with a bounded message).
  const std::string ok =
      "{\"env\": {\"kind\": " + std::string(62, '[') + std::string(62, ']') + "}}";
  const std::string msg2 = error_of(ok);
  EXPECT_TRUE(contains(msg2, "one of: gridworld")) << msg2;
  EXPECT_LT(msg2.size(), 600u);
}

TEST(ScenarioBadInput, LongValuesAreQuotedShort) {
  const std::string msg =
      error_of("{\"estimator\": {\"baseline\": \"" + std::string(20000, 'a') + "\"}}");
  EXPECT_TRUE(contains(msg, "estimator.baseline")) << msg.substr(0, 300);
  EXPECT_TRUE(contains(msg, "20002 bytes") || contains(msg, "20000 bytes")) << msg.substr(0, 400);
  EXPECT_LT(msg.size(), 600u);
  const std::string name = error_of("{\"name\": \"" + std::string(20000, 'n') + "\"}");
  EXPECT_TRUE(contains(name, "at most 200 characters")) << name.substr(0, 400);
  EXPECT_LT(name.size(), 600u);
  Scenario s = default_scenario();
  try {
    apply_set(s, "estimator.baseline=" + std::string(10000000, 'b'));
    FAIL();
  } catch (const InputError& e) {
    EXPECT_LT(std::string(e.what()).size(), 600u);
  }
}

TEST(ScenarioBadInput, InvalidUtf8InSetIsRefused) {
  Scenario s = default_scenario();
  for (const char* a : {"name=\xff", "\xff=1", "estimator.baseline=\xc3"}) {
    try {
      apply_set(s, a);
      FAIL() << a;
    } catch (const InputError& e) {
      EXPECT_TRUE(contains(e.what(), "UTF-8")) << e.what();
      EXPECT_TRUE(is_valid_utf8(e.what())) << "the message itself must be printable";
    }
  }
  // A value that reaches the table another way (the GUI) is checked there too.
  EXPECT_THROW(set_value(s, "name", std::string("\xff")), InputError);
  EXPECT_EQ(s.name, "untitled");
}

// Characters that are valid UTF-8 but hide or reorder what follows them on a terminal (U+202E
// shows "txt.exe" as "exe.txt") are escaped in messages, as control bytes are (audit a14 M4).
TEST(ScenarioBadInput, MessagesEscapeCharactersThatHideOrReorderText) {
  EXPECT_EQ(printable("a\u202Eb"), "a\\u202eb");
  EXPECT_EQ(printable("\u2066x\u2069\u200By\uFEFF"), "\\u2066x\\u2069\\u200by\\ufeff");
  EXPECT_EQ(printable("\xC2\x85z"), "\\u0085z");   // NEL, a C1 control
  EXPECT_EQ(printable("é ∇J θ₀ ◄"), "é ∇J θ₀ ◄");  // ordinary text is kept as it is
  EXPECT_EQ(printable("\u202E\u202E\u202E", 2),
            "\\u202e\\u202e… (9 bytes)");  // counted as one each
  const std::string e = error_of("{\"env\": {\"kind\": \"grid\u202Eworld\"}}");
  EXPECT_TRUE(contains(e, "grid\\u202eworld")) << e;
  EXPECT_FALSE(contains(e, "\u202E")) << e;
}

TEST(ScenarioBadInput, SyntaxErrorsKeepTheirReason) {
  EXPECT_TRUE(contains(error_of("{\n  // a comment\n  \"seed\": 2\n}"),
                       "comments are not allowed in JSON"));
  EXPECT_TRUE(contains(error_of("{\n  // a comment\n  \"seed\": 2\n}"), "bad.json:2:3"));
  EXPECT_TRUE(contains(error_of(std::string("\x7f"
                                            "ELF\x02\x01\x01\0\0",
                                            9)),
                       "not a text file"));
  EXPECT_TRUE(contains(error_of("\x89PNG\r\n\x1a\n"), "not a text file") ||
              contains(error_of("\x89PNG\r\n\x1a\n"), "not UTF-8 text"))
      << error_of("\x89PNG\r\n\x1a\n");
  EXPECT_TRUE(contains(error_of("Dhello"), "malformed JSON")) << error_of("Dhello");
  EXPECT_TRUE(contains(error_of(""), "empty")) << error_of("");
  EXPECT_TRUE(contains(error_of("[1, 2]"), "a scenario is a JSON object")) << error_of("[1, 2]");
}

TEST(ScenarioBadInput, KeyErrorNamesTheKeysOwnLine) {
  // "gamma" appears first as a value on line 1; the key is on line 4.
  const std::string msg =
      error_of("{\"env\": {\"map\": \"gamma\",\n\"kind\": \"gridworld\",\n\n\"gamma\": 7}}");
  EXPECT_TRUE(contains(msg, "bad.json:4: env.gamma")) << msg;
  // A rule between keys where one side is defaulted names the section's line.
  const std::string rule =
      error_of("{\n\"policy\": {\"hidden\": [8]},\n\"env\": {\n\"kind\": \"cartpole\"}}");
  EXPECT_TRUE(contains(rule, "bad.json:2: policy.kind")) << rule;
}

TEST(ScenarioBadInput, AKeyGivenTwiceIsRefusedAtItsSecondLine) {
  // nlohmann keeps the last value of a repeated key: the first "env" would be silently ignored.
  const std::string top = error_of(
      "{\"env\": {\"kind\": \"bandit\"},\n\"seed\": 3,\n\"env\": {\"kind\": \"gridworld\"}}");
  EXPECT_TRUE(
      contains(top, "bad.json:3: env: the key 'env' is given twice in one object; keep one"))
      << top;
  const std::string nested = error_of("{\"env\": {\"gamma\": 0.5,\n\n \"gamma\": 0.9}}");
  EXPECT_TRUE(contains(nested, "bad.json:3: env.gamma: the key 'gamma'")) << nested;
  EXPECT_FALSE(contains(nested, "expected")) << nested;  // the value is not at fault
  // The same key in two objects is not a repeat; in a list's objects the line is still found.
  nlohmann::json out;
  JsonProblem p;
  EXPECT_TRUE(parse_json_text(
      "{\"a\": {\"x\": 1}, \"b\": {\"x\": 2}, \"c\": [{\"x\": 1}, {\"x\": 2}]}", &out, &p));
  EXPECT_FALSE(parse_json_text("{\"steps\": [{\"x\": 1},\n {\"y\": 1,\n  \"y\": 2}]}", &out, &p));
  EXPECT_EQ(p.line, 3);
  EXPECT_EQ(p.key, "");
  EXPECT_TRUE(contains(p.reason, "'y' is given twice")) << p.reason;
}

TEST(ScenarioBadInput, RulesTheSessionChecksNameTheFilesLine) {
  namespace fs = std::filesystem;
  const fs::path file =
      fs::temp_directory_path() / ("pglab_test_rule_" + std::to_string(getpid()) + ".json");
  std::ofstream(file) << "{\"env\": {\"kind\": \"bandit\"},\n"
                         " \"algorithm\": {\"name\": \"reinforce\",\n"
                         "   \"num_steps\": 128},\n"
                         " \"policy\": {\"init_logits\": [1, 2]}}\n";
  auto build_error = [](const Scenario& s) -> std::string {
    try {
      Session session(s);
    } catch (const InputError& e) {
      return e.what();
    }
    return "";
  };
  Scenario s = load_scenario(file.string());
  const std::string shown = shorten_path(file.string());
  std::string msg = build_error(s);
  EXPECT_TRUE(contains(msg, shown + ":4: policy.init_logits: expected one logit per action (3"))
      << msg;
  apply_set(s, "policy.init_logits=[1, 2, 3]");
  msg = build_error(s);
  EXPECT_TRUE(
      contains(msg, shown + ":3: algorithm.num_steps: reinforce learns from whole episodes"))
      << msg;
  // A value --set gave has no line in the file: the key alone.
  apply_set(s, "algorithm.num_steps=64");
  msg = build_error(s);
  EXPECT_EQ(msg.rfind("algorithm.num_steps: reinforce", 0), 0u) << msg;
  apply_set(s, "algorithm.num_steps=0");
  EXPECT_EQ(build_error(s), "");
  fs::remove(file);
}

TEST(ScenarioBadInput, ByteOrderMarkIsSkipped) {
  const Scenario s = parse_scenario("\xEF\xBB\xBF{\"seed\": 7}", "bom.json");
  EXPECT_EQ(s.seed, 7u);
}

TEST(ScenarioBadInput, SubnormalNumbersAreNumbers) {
  Scenario s = default_scenario();
  apply_set(s, "env.gamma=1e-320");
  EXPECT_GT(s.env.gamma, 0.0);
  EXPECT_LT(s.env.gamma, 1e-300);
  EXPECT_EQ(parse_scenario("{\"env\": {\"gamma\": 1e-320}}", "x.json").env.gamma, s.env.gamma);
  EXPECT_THROW(apply_set(s, "env.gamma=1e999"), InputError);
  EXPECT_THROW(apply_set(s, "env.gamma=inf"), InputError);
}

namespace {

std::string load_error(const std::string& path) {
  try {
    load_scenario(path);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(ScenarioBadInput, PathsThatAreNotFiles) {
  namespace fs = std::filesystem;
  const fs::path dir =
      fs::temp_directory_path() / ("pglab_test_scenario_" + std::to_string(getpid()));
  fs::create_directories(dir);
  EXPECT_TRUE(contains(load_error(dir.string()), "is a directory")) << load_error(dir.string());
  const fs::path loop = dir / "loop.json";
  fs::create_symlink(loop, loop);
  EXPECT_TRUE(contains(load_error(loop.string()), "symbolic links")) << load_error(loop.string());
  const fs::path fifo = dir / "fifo.json";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  EXPECT_TRUE(contains(load_error(fifo.string()), "FIFO")) << load_error(fifo.string());
  EXPECT_TRUE(contains(load_error("/dev/zero"), "device")) << load_error("/dev/zero");
  const std::string long_path = "/tmp/" + std::string(5000, 'p') + ".json";
  const std::string msg = load_error(long_path);
  EXPECT_FALSE(msg.empty());
  EXPECT_LT(msg.size(), 700u) << msg;
  const std::string long_name = load_error(std::string(5000, 'q'));
  EXPECT_TRUE(contains(long_name, "no such scenario")) << long_name.substr(0, 300);
  EXPECT_LT(long_name.size(), 2000u);
  fs::remove_all(dir);
}

TEST(ScenarioBadInput, MissingAssetDirectoryIsNamed) {
  const char* old = std::getenv("PGLAB_ASSETS");
  const std::string saved = old ? old : "";
  setenv("PGLAB_ASSETS", "/missing-pglab-assets", 1);
  const std::string msg = load_error("gridworld-reinforce");
  if (old) {
    setenv("PGLAB_ASSETS", saved.c_str(), 1);
  } else {
    unsetenv("PGLAB_ASSETS");
  }
  EXPECT_TRUE(contains(msg, "PGLAB_ASSETS=/missing-pglab-assets does not exist")) << msg;
}

}  // namespace pg

namespace pg {

TEST(Text, CountedIsSingularForOne) {
  EXPECT_EQ(counted(1, "episode"), "1 episode");
  EXPECT_EQ(counted(0, "episode"), "0 episodes");
  EXPECT_EQ(counted(16, "env step"), "16 env steps");
}

}  // namespace pg

namespace pg {

// A scenario file's relative env.map is read from the scenario file's folder, not the current
// directory: a folder of lesson + scenario + map works from anywhere (audit a14 F4: `pglab train
// --scenario cm/sc.json` looked for my.txt in the shell's directory). A map that is not there is
// named by the scenario's file:line, the key env.map, the name as written and where it led.
TEST(Scenario, RelativeMapPathIsReadFromTheScenarioFilesFolder) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::absolute(fs::path(::testing::TempDir()) / "pglab_map_beside");
  fs::remove_all(dir);
  fs::create_directories(dir / "cm");
  std::ofstream(dir / "cm" / "my.txt") << "S..#\n.#..\n...G\n";
  std::ofstream(dir / "cm" / "sc.json")
      << "{\"name\": \"custom\",\n \"env\": {\"kind\": \"gridworld\", \"map\": \"my.txt\", "
         "\"gamma\": 0.9},\n \"policy\": {\"kind\": \"tabular\"}}\n";
  std::ofstream(dir / "cm" / "missing.json") << "{\"name\": \"custom\",\n \"env\": {\"kind\": "
                                                "\"gridworld\",\n  \"map\": \"nosuch.txt\"},\n"
                                                " \"policy\": {\"kind\": \"tabular\"}}\n";
  const fs::path cwd = fs::current_path();
  fs::current_path(dir);  // the shell's directory is the folder above the scenario's
  std::string built, missing;
  try {
    Session s(load_scenario("cm/sc.json"));
    built = s.scenario().name;
  } catch (const std::exception& e) {
    built = std::string("refused: ") + e.what();
  }
  try {
    Session s(load_scenario("cm/missing.json"));
  } catch (const InputError& e) {
    missing = e.what();
  }
  // A value from --set is as typed: relative to the current directory.
  Scenario set = load_scenario("cm/sc.json");
  apply_set(set, "env.map=cm/my.txt");
  EXPECT_EQ(scenario_map_path(set), "cm/my.txt");
  fs::current_path(cwd);
  EXPECT_EQ(built.find("refused"), std::string::npos) << built;
  EXPECT_TRUE(contains(missing, "cm/missing.json:3: env.map: 'nosuch.txt' → " +
                                    (dir / "cm" / "nosuch.txt").string() +
                                    ": cannot open the map file"))
      << missing;
  EXPECT_TRUE(contains(missing, "a relative path is read from the scenario file's folder"))
      << missing;
  fs::remove_all(dir);
}

}  // namespace pg
