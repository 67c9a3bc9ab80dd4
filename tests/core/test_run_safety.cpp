// Issue 8: output files written whole or not at all, settings refused before they exhaust memory,
// and exploding updates stopped with a message.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "env/tabular_model.h"
#include "io/atomic_file.h"
#include "io/params.h"
#include "lab/variance.h"
#include "rollout/sampler.h"
#include "session/budget.h"
#include "session/session.h"
#include "util/error.h"

namespace pg {
namespace {

namespace fs = std::filesystem;

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// This process's directory under the temporary directory, removed when the process ends (ctest
// runs every test in a process of its own: without this each run left its directories behind).
const fs::path& scratch_root() {
  struct Root {
    fs::path path = fs::temp_directory_path() / ("pglab-run-safety-" + std::to_string(getpid()));
    ~Root() {
      std::error_code ec;
      fs::remove_all(path, ec);
    }
  };
  static const Root root;
  return root.path;
}

// A fresh directory under scratch_root().
fs::path scratch(const std::string& name) {
  const fs::path dir = scratch_root() / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

// Files in dir other than the expected ones (temporary files left behind).
int file_count(const fs::path& dir) {
  int n = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++n;
  return n;
}

TEST(AtomicFile, WritesWholeReplacesAndLeavesNoTemporary) {
  const fs::path dir = scratch("whole");
  const std::string path = (dir / "out.json").string();
  EXPECT_EQ(write_file_atomic(path, "first\n"), "");
  EXPECT_EQ(read(path), "first\n");
  EXPECT_EQ(write_file_atomic(path, "second, longer\n"), "");
  EXPECT_EQ(read(path), "second, longer\n");
  EXPECT_EQ(file_count(dir), 1);
}

TEST(AtomicFile, ReplacedFileKeepsItsPermissions) {
  // The temporary file renamed into place used to give every replaced file 0666 less the umask.
  const fs::path dir = scratch("mode");
  const std::string path = (dir / "private.json").string();
  ASSERT_EQ(write_file_atomic(path, "first\n"), "");
  for (const fs::perms mode :
       {fs::perms::owner_read | fs::perms::owner_write,
        fs::perms::owner_all | fs::perms::group_read | fs::perms::others_read}) {
    fs::permissions(path, mode);
    EXPECT_EQ(write_file_atomic(path, "again\n"), "");
    EXPECT_EQ(fs::status(path).permissions(), mode);
    EXPECT_EQ(read(path), "again\n");
  }
}

TEST(AtomicFile, NewFileNeverOverwrites) {
  const fs::path dir = scratch("new");
  const std::string path = (dir / "export.csv").string();
  EXPECT_EQ(write_file_new(path, "a\n"), "");
  EXPECT_EQ(write_file_new(path, "b\n"), path + ": exists; not overwritten");
  EXPECT_EQ(read(path), "a\n");
  EXPECT_EQ(file_count(dir), 1);
}

TEST(AtomicFile, SymlinkKeepsPointingAtTheReplacedFile) {
  const fs::path dir = scratch("link");
  ASSERT_EQ(write_file_atomic((dir / "target.txt").string(), "old"), "");
  fs::create_symlink(dir / "target.txt", dir / "link.txt");
  ASSERT_EQ(write_file_atomic((dir / "link.txt").string(), "new"), "");
  EXPECT_TRUE(fs::is_symlink(dir / "link.txt"));
  EXPECT_EQ(read(dir / "target.txt"), "new");
}

TEST(AtomicFile, FailuresNameThePathAndTheReason) {
  const fs::path dir = scratch("fail");
  const std::string missing = (dir / "no-such-dir" / "x.json").string();
  EXPECT_EQ(write_file_atomic(missing, "x"),
            missing + ": cannot create a file beside it: No such file or directory");
  if (fs::exists("/dev/full")) {
    // A device is written in place (renaming over it would replace the device node).
    EXPECT_EQ(write_file_atomic("/dev/full", "x"),
              "/dev/full: cannot write: No space left on device");
    LineFile csv;
    EXPECT_EQ(csv.open("/dev/full"), "");
    EXPECT_EQ(csv.write("a,b\n"), "/dev/full: cannot write: No space left on device");
    EXPECT_EQ(csv.close(), "");
  }
  EXPECT_EQ(file_count(dir), 0);
}

// What would keep an output from being written is found before anything is written (the CLI
// refuses such an output before its work), and a path that can be written has no problem.
TEST(AtomicFile, OutputProblemsAreFoundWithoutWriting) {
  const fs::path dir = scratch("problems");
  const std::string fresh = (dir / "x.csv").string();
  EXPECT_EQ(output_file_problem(fresh), "");
  EXPECT_EQ(output_file_problem(fresh, OutputMode::kInPlace), "");
  EXPECT_EQ(output_file_problem(""), "");
  EXPECT_EQ(output_file_problem("-"), "");
  EXPECT_EQ(output_file_problem((dir / "no-such-dir" / "x.json").string()),
            "the directory '" + (dir / "no-such-dir").string() + "' does not exist");
  EXPECT_EQ(output_file_problem(dir.string()), "is a directory; name a file");
  EXPECT_EQ(output_file_problem(dir.string() + "/sub/"),
            "names a directory (it ends in '/'); name a file");
  ASSERT_EQ(write_file_atomic(fresh, "a\n"), "");
  EXPECT_EQ(output_file_problem(fresh), "");  // replaced whole
  EXPECT_EQ(output_file_problem(fresh + "/y.csv"), "'" + fresh + "' is not a directory");
  if (fs::exists("/dev/full")) {
    EXPECT_EQ(output_file_problem("/dev/full"), "");
  }
  EXPECT_EQ(file_count(dir), 1);  // nothing was created
}

TEST(AtomicFile, LineFileHoldsEveryLineAtOnce) {
  const fs::path dir = scratch("lines");
  const std::string path = (dir / "curve.csv").string();
  LineFile csv;
  ASSERT_EQ(csv.open(path), "");
  ASSERT_EQ(csv.write("i,x\n"), "");
  ASSERT_EQ(csv.write("0,1.5\n"), "");
  // Visible to a reader before close: nothing waits in a user-space buffer.
  EXPECT_EQ(read(path), "i,x\n0,1.5\n");
  EXPECT_EQ(csv.close(), "");
}

// Sets $PGLAB_MEMORY_BUDGET_MB for one test.
struct BudgetOverride {
  explicit BudgetOverride(const char* mb) { setenv("PGLAB_MEMORY_BUDGET_MB", mb, 1); }
  ~BudgetOverride() { unsetenv("PGLAB_MEMORY_BUDGET_MB"); }
};

TEST(Budget, EnvironmentLowersTheBudget) {
  BudgetOverride o("123");
  const MemoryBudget b = memory_budget();
  EXPECT_EQ(b.bytes, 123e6);
  EXPECT_EQ(b.source, "PGLAB_MEMORY_BUDGET_MB");
}

TEST(Budget, AMistypedEnvironmentBudgetIsRefusedNotIgnored) {
  for (const char* bad : {"abc", "4000MB", "-5", "0", "nan", "inf"}) {
    BudgetOverride o(bad);
    try {
      memory_budget();
      FAIL() << "PGLAB_MEMORY_BUDGET_MB=" << bad << " accepted";
    } catch (const InputError& e) {
      EXPECT_EQ(e.where(), "PGLAB_MEMORY_BUDGET_MB") << bad;
      EXPECT_NE(e.problem().find("positive number of megabytes"), std::string::npos) << bad;
    }
  }
  BudgetOverride empty("");  // set and empty: unset
  EXPECT_NE(memory_budget().source, "PGLAB_MEMORY_BUDGET_MB");
  // Through a session too: exit 2 from every command, the window shows it.
  BudgetOverride bad("abc");
  EXPECT_THROW(Session(load_scenario("bandit-reinforce")), InputError);
}

TEST(Budget, SessionRefusesWhatCannotFitWithOneLine) {
  BudgetOverride o("4000");
  Scenario s = load_scenario("cartpole-ppo");
  set_values(s, {{"algorithm.num_envs", 64}, {"algorithm.num_steps", 100000}});
  try {
    Session session(s);
    FAIL() << "64 × 100000 steps of an MLP policy and critic fit in 4 GB?";
  } catch (const InputError& e) {
    EXPECT_EQ(e.where(), "algorithm.num_steps");
    const std::string m = e.problem();
    EXPECT_NE(m.find("64 environments × 100000 steps"), std::string::npos) << m;
    EXPECT_EQ(m.find('\n'), std::string::npos) << m;
    // How many fit, of each factor lowered alone (README "Memory"; it said only "lower
    // algorithm.num_envs or algorithm.num_steps"), and the values it names do fit.
    int envs = 0, steps = 0;
    const size_t at = m.find("; lower algorithm.num_envs (at most ");
    ASSERT_NE(at, std::string::npos) << m;
    ASSERT_EQ(std::sscanf(m.c_str() + at,
                          "; lower algorithm.num_envs (at most %d fit) or algorithm.num_steps (at "
                          "most %d fit)",
                          &envs, &steps),
              2)
        << m;
    EXPECT_TRUE(envs >= 1 && envs < 64 && steps >= 1 && steps < 100000) << m;
    Scenario fewer_envs = s, fewer_steps = s;
    set_values(fewer_envs, {{"algorithm.num_envs", envs}});
    set_values(fewer_steps, {{"algorithm.num_steps", steps}});
    EXPECT_NO_THROW(Session{fewer_envs}) << m;
    EXPECT_NO_THROW(Session{fewer_steps}) << m;
    set_values(fewer_steps, {{"algorithm.num_steps", steps + 1}});
    EXPECT_THROW(Session{fewer_steps}, InputError) << "one more step than it said fits, fits";
  }
  // Every shipped scenario fits in the same budget.
  for (const std::string& file : list_scenarios())
    EXPECT_NO_THROW(Session{load_scenario(file)}) << file;
}

TEST(Budget, SacsReplayBufferIsCounted) {
  // sac.buffer_size=10⁷ ran at 1.77 GB under a 100 MB budget: the buffer, allocated whole when
  // the session is built, had no term in the estimate.
  BudgetOverride o("100");
  Scenario s = load_scenario("sac-cartpole");
  set_value(s, "sac.buffer_size", 10000000);
  try {
    Session session(s);
    FAIL() << "a replay buffer of 10⁷ cart-pole transitions fit in 100 MB?";
  } catch (const InputError& e) {
    EXPECT_EQ(e.where(), "sac.buffer_size");
    // 4 features × 2 × 8 + 26 = 90 bytes a transition, counted twice.
    EXPECT_EQ(e.problem().rfind("a replay buffer of 10000000 transitions at about 90 bytes each "
                                "(and room for a copy) would need about 1.8 GB of memory",
                                0),
              0u)
        << e.problem();
    EXPECT_NE(e.problem().find("; lower sac.buffer_size (at most "), std::string::npos)
        << e.problem();
  }
  // A timeline keeps no more snapshots than hold the buffer each: sac-gridworld's tabular buffer
  // is 26 bytes a transition (no features), 200000 of them 5.2 MB a snapshot.
  Scenario g = load_scenario("sac-gridworld");
  set_value(g, "sac.buffer_size", 200000);
  const Session sg(g);
  EXPECT_LE(timeline_snapshots_that_fit(sg), 100e6 / (26.0 * 200000));
  EXPECT_THROW(require_timeline_fits(sg, 50), InputError);
  // Where not even two fit, the buffer is what to lower (not the batch, which is small).
  Scenario big = load_scenario("sac-gridworld");
  set_value(big, "sac.buffer_size", 1000000);
  try {
    require_timeline_fits(Session(big), 20);
    ADD_FAILURE() << "20 snapshots of a 26 MB buffer fit in 100 MB?";
  } catch (const InputError& e) {
    EXPECT_NE(e.problem().find("; not even 2 snapshots fit; lower sac.buffer_size"),
              std::string::npos)
        << e.problem();
  }
  // Where the exact tables tip it over, the horizon named leaves room for the buffer: it fits, and
  // one step more does not (it once named a horizon above the one refused).
  BudgetOverride o600("600");
  Scenario h = load_scenario("sac-gridworld");
  set_value(h, "env.step_limit", 1000000);
  set_value(h, "sac.buffer_size", 3000000);
  try {
    Session session(h);
    FAIL() << "the tables over 10⁶ steps and a buffer of 3·10⁶ fit in 600 MB?";
  } catch (const InputError& e) {
    ASSERT_EQ(e.where(), "env.step_limit") << e.problem();
    const size_t at = e.problem().find("(at most ");
    ASSERT_NE(at, std::string::npos) << e.problem();
    const long fit = std::stol(e.problem().substr(at + 9));
    EXPECT_LT(fit, 1000000) << e.problem();
    set_value(h, "env.step_limit", fit);
    EXPECT_NO_THROW(require_session_fits(h, *make_env(h)));
    set_value(h, "env.step_limit", fit + 1);
    EXPECT_THROW(require_session_fits(h, *make_env(h)), InputError);
  }
}

// The variance lab keeps every setting's per-step arrays over its own batch (Q̂, b, ψ, G, the
// shared product's ψ column): 100 settings over 10⁵ episodes of 50 steps is 10⁷ steps × 100 × 40 B
// = 40 GB, which ran into std::bad_alloc (and Eigen's resize then freed twice) before this check.
TEST(Budget, TheVarianceLabCountsItsBatchPerSettingBeforeSampling) {
  BudgetOverride o("4000");
  Scenario sc = load_scenario("gridworld-reinforce");
  const Session s(sc);
  const std::vector<EstimatorConfig> many(100, s.estimator());
  VarianceOptions opt;
  opt.batch_episodes = 100000;
  opt.samples_name = "K batches";
  try {
    run_variance(s, many, 2, opt);
    FAIL() << "100 settings over 10^7 steps fit in 4 GB?";
  } catch (const InputError& e) {
    EXPECT_EQ(e.where(), "N episodes / batch");  // the view's own N slider is what to lower
    EXPECT_NE(e.problem().find("100 settings over batches of 100000 episodes × up to 50 steps"),
              std::string::npos)
        << e.problem();
    EXPECT_NE(e.problem().find("lower N episodes / batch"), std::string::npos) << e.problem();
  }
  // The scenario's batch: its key is the one to lower.
  set_value(sc, "algorithm.batch_episodes", 100000);
  const Session big(sc);
  try {
    run_variance(big, many, 2, VarianceOptions{});
    FAIL() << "100 settings over 10^7 steps fit in 4 GB?";
  } catch (const InputError& e) {
    EXPECT_EQ(e.where(), "algorithm.batch_episodes");
  }
  // Many estimates of few parameters: the samples are what to lower, with how many fit.
  try {
    run_variance(s, {s.estimator()}, 10000000, VarianceOptions{});
    FAIL() << "10^7 estimates of 64 parameters fit in 4 GB?";
  } catch (const InputError& e) {
    EXPECT_EQ(e.where(), "--samples");
    EXPECT_NE(e.problem().find("fit)"), std::string::npos) << e.problem();
  }
  // What the views and lessons ask fits.
  EXPECT_NO_THROW(run_variance(s, all_settings(s), 20, VarianceOptions{}));
}

TEST(Budget, ExactOracleTablesCountFourTimesHorizonByStates) {
  Scenario s = load_scenario("four-rooms-reinforce");
  set_values(s, {{"env.step_limit", 1000000}});
  const std::unique_ptr<Env> env = make_env(s);
  const ResourceEstimate e = estimate_session(s, *env);
  ASSERT_NE(env->model(), nullptr);
  EXPECT_EQ(e.exact_bytes, 4.0 * 8.0 * 1e6 * env->model()->num_states());
  EXPECT_EQ(e.batch_steps, 16.0 * 1e6);  // 16 episodes, each up to the step limit
  BudgetOverride o("4000");
  try {
    Session session(s);
    FAIL() << "a 1e6-step horizon's tables fit in 4 GB?";
  } catch (const InputError& e) {
    EXPECT_EQ(e.where(), "env.step_limit");
  }
}

// The short corridor has no step limit. At θ = (10, −10) the policy goes right with p ≈ 1 − 2e-9,
// so the reversed middle state sends it back almost every time: episodes run to kHardStepCap (1e6
// steps), which the settings do not bound. The exact oracle still solves this θ (expected length
// ≈ 2/2e-9 ≈ 1e9 steps, below its refusal point of 4.5e11), so only the batch bound can stop the
// collection.
Scenario unending_corridor() {
  Scenario s = load_scenario("short-corridor-reinforce");
  set_values(s, {{"policy.init_logits", nlohmann::json::array({10.0, -10.0})},
                 {"algorithm.batch_episodes", 4}});
  return s;
}

TEST(Budget, EpisodesWithoutAStepLimitStopAtTheBudgetWithOneLine) {
  // 20 MB, a quarter of it for one batch, at the model's 200 bytes a tabular step: 25000 steps.
  BudgetOverride o("20");
  const Scenario s = unending_corridor();
  Session session(s);
  const BatchCap cap = batch_cap(s, session.env());
  EXPECT_EQ(cap.steps, 25000.0);
  EXPECT_FALSE(session.advance(Granularity::kIteration));
  const std::string& m = session.fault();
  EXPECT_NE(m.find("iteration 0, phase collect: the batch reached 25001 steps (episodes ended: 0 "
                   "of " +
                   std::to_string(s.algorithm.batch_episodes) + ")"),
            std::string::npos)
      << m;
  EXPECT_NE(m.find("a batch's share of the memory, 5 MB (a quarter of 20 MB, "
                   "PGLAB_MEMORY_BUDGET_MB); set env.step_limit or lower algorithm.batch_episodes"),
            std::string::npos)
      << m;
  EXPECT_EQ(m.find('\n'), std::string::npos) << m;
  EXPECT_EQ(session.batch().trajectories.size(), 1u);
  EXPECT_EQ(session.batch().trajectories[0].length(), 25001);  // stopped at the bound, not 1e6
  EXPECT_FALSE(session.advance(Granularity::kIteration));      // paused until reset

  // The labs that sample batches of their own stop at the same bound, with the same words.
  try {
    run_variance(session, all_settings(session), 2);
    FAIL() << "the variance lab collected unbounded episodes";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("the batch reached 25001 steps"), std::string::npos)
        << e.what();
  }

  // One episode a batch (the shipped corridor's): lowering the episodes cannot help.
  Scenario single = s;
  set_values(single, {{"algorithm.batch_episodes", 1}});
  Session one(single);
  EXPECT_FALSE(one.advance(Granularity::kIteration));
  EXPECT_NE(one.fault().find("(episodes ended: 0 of 1)"), std::string::npos) << one.fault();
  EXPECT_NE(one.fault().find("PGLAB_MEMORY_BUDGET_MB); set env.step_limit; reset to start again"),
            std::string::npos)
      << one.fault();

  // A step limit bounds the batch: no cap, and the estimate counts it instead.
  Scenario limited = s;
  set_values(limited, {{"env.step_limit", 1000}});
  Session bounded(limited);
  EXPECT_EQ(batch_cap(limited, bounded.env()).steps, 0.0);
  EXPECT_TRUE(bounded.advance(Granularity::kIteration)) << bounded.fault();
}

TEST(Budget, TheBatchBoundLeavesOrdinaryEpisodesAlone) {
  // The shipped corridor (θ = 0) ends its episodes in tens of steps: under the same 20 MB bound
  // it trains as before.
  BudgetOverride o("20");
  Session session(load_scenario("short-corridor-reinforce"));
  EXPECT_TRUE(session.run_iterations(20)) << session.fault();
  EXPECT_TRUE(session.fault().empty());
}

TEST(UpdateFault, ExplodingStepPausesAndKeepsTheParameters) {
  Scenario s = load_scenario("gridworld-reinforce");
  set_values(s, {{"algorithm.optimizer", "sgd"},
                 {"algorithm.lr", 1000.0},
                 {"env.goal_reward", 1e9},
                 {"env.pit_reward", -1e9}});
  Session session(s);
  const Eigen::VectorXd theta = session.policy().params();
  EXPECT_FALSE(session.advance(Granularity::kIteration));
  EXPECT_NE(session.fault().find("the update at iteration 0 moved the parameters by"),
            std::string::npos)
      << session.fault();
  EXPECT_NE(session.fault().find("lower algorithm.lr"), std::string::npos);
  EXPECT_EQ(session.policy().params(), theta);  // paused at θ before the step
  EXPECT_FALSE(session.advance(Granularity::kIteration));
}

// The advice fits the algorithm (audit a14 F6): REINFORCE is not told to set advantage.normalize
// (refused there as having no effect); an exploding PPO step is not told estimator.normalize.
TEST(UpdateFault, TheAdviceNamesOnlyKeysTheAlgorithmReads) {
  Scenario s = load_scenario("gridworld-reinforce");
  set_values(s, {{"algorithm.optimizer", "sgd"},
                 {"algorithm.lr", 1000.0},
                 {"env.goal_reward", 1e9},
                 {"env.pit_reward", -1e9}});
  Session reinforce(s);
  EXPECT_FALSE(reinforce.advance(Granularity::kIteration));
  const std::string& f = reinforce.fault();
  EXPECT_NE(f.find("lower algorithm.lr, turn on estimator.normalize or clip the gradient "
                   "(algorithm.max_grad_norm), then reset"),
            std::string::npos)
      << f;
  EXPECT_EQ(f.find("advantage.normalize"), std::string::npos) << f;
  // Every key the advice names is one the scenario reads.
  for (const char* key : {"algorithm.lr", "estimator.normalize", "advantage.normalize",
                          "algorithm.max_grad_norm", "sac.alpha_lr", "critic.lr"})
    if (f.find(key) != std::string::npos) {
      EXPECT_EQ(inapplicable_reason(s, key), "") << key;
    }
}

// SAC with a huge sac.alpha_lr: log α falls by ~230 per gradient step, α reaches exactly 0, the
// entropy collapses, α swings up to ~1e185 and the actor's direction turns NaN at iteration 4. The
// message named algorithm.lr and "normalisation" (SAC has none); it names sac.alpha_lr and what α
// did.
TEST(UpdateFault, SacBlamesTheAlphaStepWhenAlphaRanAway) {
  Scenario s = load_scenario("sac-pendulum");
  set_values(s, {{"sac.alpha_lr", 100.0}, {"sac.warmup", 0}});
  Session session(s);
  EXPECT_FALSE(session.run_iterations(60));
  const std::string& f = session.fault();
  EXPECT_NE(f.find("is not finite (NaN or Inf) after α, tuned toward sac.target_entropy"),
            std::string::npos)
      << f;
  EXPECT_NE(f.find("with sac.alpha_lr = 100 per gradient step"), std::string::npos) << f;
  EXPECT_NE(f.find("; lower sac.alpha_lr, then reset"), std::string::npos) << f;
  EXPECT_EQ(f.find("algorithm.lr"), std::string::npos) << f;
  EXPECT_EQ(f.find("normalis"), std::string::npos) << f;
  std::printf("%s\n", f.c_str());
}

TEST(UpdateFault, SaturatingStepWithinTheStepBoundIsCaughtByEntropy) {
  // θ = (5, 0, 0): H ≈ 0.08 nats. Deterministic rewards (1, 0, 0) and SGD with lr 1000 push arm 0's
  // logit up by about 13 and the others down by about 7: a gap of ≈ 25, H ≈ 1e-9 — a step of
  // ‖Δθ‖ ≈ 16, well inside 100 (‖θ‖ + 1) = 600, so only the entropy test can catch it.
  Scenario s = load_scenario("bandit-reinforce");
  set_values(s, {{"policy.init_logits", nlohmann::json::array({5.0, 0.0, 0.0})},
                 {"env.arm_means", nlohmann::json::array({1.0, 0.0, 0.0})},
                 {"env.reward_std", 0.0},
                 {"algorithm.lr", 1000.0}});
  Session session(s);
  EXPECT_FALSE(session.advance(Granularity::kIteration));
  EXPECT_NE(session.fault().find("collapsed the policy's entropy"), std::string::npos)
      << session.fault();
}

TEST(UpdateFault, OrdinaryLearningIsNotAFault) {
  // The same bandit at its shipped step size learns without tripping either test.
  Scenario s = load_scenario("bandit-reinforce");
  set_values(s, {{"policy.init_logits", nlohmann::json::array({5.0, 0.0, 0.0})},
                 {"env.arm_means", nlohmann::json::array({1.0, 0.0, 0.0})},
                 {"env.reward_std", 0.0}});
  Session session(s);
  EXPECT_TRUE(session.run_iterations(50)) << session.fault();
}

}  // namespace
}  // namespace pg
