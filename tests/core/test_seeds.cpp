// Runs over seeds (issue 9 item 6): run_seeds against a naive loop over Sessions, to the bit; the
// seed list syntax; the setting differences that label pinned runs.
#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <vector>

#include "io/scenario.h"
#include "lab/seeds.h"
#include "session/session.h"
#include "util/error.h"

namespace pg {
namespace {

constexpr int kIterations = 12;

Scenario gridworld() {
  return load_scenario(std::string(PGLAB_SOURCE_DIR) +
                       "/assets/scenarios/gridworld-reinforce.json");
}

// The naive reference: one Session per seed in turn, then mean and s.e. written out per row.
struct Naive {
  std::vector<std::vector<IterationRecord>> rows;  // [seed][iteration]
};

Naive naive_runs(const Scenario& base, const std::vector<uint64_t>& seeds) {
  Naive n;
  for (uint64_t seed : seeds) {
    Scenario s = base;
    s.seed = seed;
    Session session(s);
    EXPECT_TRUE(session.run_iterations(kIterations));
    std::vector<IterationRecord> r;
    for (size_t i = 0; i < session.history().size(); ++i) r.push_back(session.history()[i]);
    n.rows.push_back(r);
  }
  return n;
}

void expect_matches_naive(const SeedRuns& runs, const Naive& naive) {
  ASSERT_EQ(runs.iteration.size(), static_cast<size_t>(kIterations));
  const size_t k = naive.rows.size();
  for (int c = 0; c < static_cast<int>(SeedColumn::kCount); ++c) {
    const auto column = static_cast<SeedColumn>(c);
    const SeedAggregate& a = runs.columns[static_cast<size_t>(c)];
    for (size_t i = 0; i < static_cast<size_t>(kIterations); ++i) {
      double sum = 0, lo = 1e300, hi = -1e300;
      for (size_t s = 0; s < k; ++s) {
        const double x = value_of(naive.rows[s][i], column);
        sum += x;
        lo = std::min(lo, x);
        hi = std::max(hi, x);
      }
      const double mean = sum / static_cast<double>(k);
      double sq = 0;
      for (size_t s = 0; s < k; ++s) {
        const double d = value_of(naive.rows[s][i], column) - mean;
        sq = std::fma(d, d, sq);  // as the code documents: contraction-proof squares
      }
      const double se =
          std::sqrt(sq / static_cast<double>(k - 1)) / std::sqrt(static_cast<double>(k));
      SCOPED_TRACE(std::string(name_of(column)) + " at iteration " + std::to_string(i));
      EXPECT_EQ(runs.iteration[i], static_cast<int>(i));
      EXPECT_EQ(a.mean[i], mean);
      EXPECT_EQ(a.se[i], se);
      EXPECT_EQ(a.min[i], lo);
      EXPECT_EQ(a.max[i], hi);
    }
  }
}

TEST(Seeds, RunSeedsEqualsNaiveLoopOverSessionsToTheBit) {
  const Scenario base = gridworld();
  const std::vector<uint64_t> seeds = {1, 2, 3, 7};
  const Naive naive = naive_runs(base, seeds);
  std::atomic<int> progress{0};
  SeedRunOptions options;
  options.threads = 2;
  options.progress = &progress;
  const SeedRuns runs = run_seeds(base, seeds, kIterations, options);
  EXPECT_FALSE(runs.cancelled);
  EXPECT_TRUE(runs.faults.empty());
  EXPECT_EQ(runs.seeds, seeds);
  EXPECT_EQ(progress.load(), kIterations * static_cast<int>(seeds.size()));
  expect_matches_naive(runs, naive);
  // The seeds really differ (a run that ignored the seed would give s.e. 0 everywhere), and the
  // gridworld has an exact J.
  const SeedAggregate& ret = runs.columns[static_cast<size_t>(SeedColumn::kReturnMean)];
  EXPECT_GT(*std::max_element(ret.se.begin(), ret.se.end()), 0.0);
  EXPECT_TRUE(std::isfinite(runs.columns[static_cast<size_t>(SeedColumn::kExactJ)].mean[0]));

  // One thread gives the same bits as two.
  options.threads = 1;
  options.progress = nullptr;
  const SeedRuns one = run_seeds(base, seeds, kIterations, options);
  expect_matches_naive(one, naive);
}

TEST(Seeds, CancelledBeforeStartAggregatesNothing) {
  std::atomic<bool> cancel{true};
  SeedRunOptions options;
  options.cancel = &cancel;
  const SeedRuns runs = run_seeds(gridworld(), {1, 2, 3}, kIterations, options);
  EXPECT_TRUE(runs.cancelled);
  EXPECT_TRUE(runs.iteration.empty());
}

// An exception on a worker thread (bad_alloc under a memory limit in the field) reaches the
// caller instead of std::terminate (exit 134 before), and the other workers stop.
TEST(Seeds, AWorkersExceptionIsRethrownToTheCaller) {
  std::atomic<int> started{0};
  SeedRunOptions options;
  options.threads = 2;
  options.thread_init = [&] {
    if (started.fetch_add(1) == 0) throw std::runtime_error("worker failed");
  };
  EXPECT_THROW(run_seeds(gridworld(), {1, 2, 3, 4}, kIterations, options), std::runtime_error);
}

// The memory check's advice names the caller's knobs: the CLI's flags by default, the window's
// controls where it passes them (it has no --iterations or --threads).
TEST(Seeds, MemoryAdviceNamesTheCallersKnobs) {
  setenv("PGLAB_MEMORY_BUDGET_MB", "64", 1);
  // 200 seeds × 10⁵ iterations: ~2.8 GB of history rows; 64 MB holds a few seeds' worth.
  std::vector<uint64_t> seeds;
  for (uint64_t k = 1; k <= 200; ++k) seeds.push_back(k);
  auto message = [&](const SeedRunOptions& o) {
    try {
      run_seeds(gridworld(), seeds, 100000, o);
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("no refusal");
  };
  SeedRunOptions cli;
  cli.threads = 1;
  const std::string c = message(cli);
  SeedRunOptions window = cli;
  window.knobs = {"algorithm.iterations", "seeds N", ""};
  const std::string w = message(window);
  unsetenv("PGLAB_MEMORY_BUDGET_MB");
  EXPECT_EQ(c.rfind("--iterations: ", 0), 0u) << c;
  EXPECT_NE(c.find("lower --iterations (at most "), std::string::npos) << c;
  EXPECT_NE(c.find(" or --seeds (at most "), std::string::npos) << c;
  EXPECT_EQ(w.rfind("algorithm.iterations: ", 0), 0u) << w;
  EXPECT_NE(w.find("lower algorithm.iterations (at most "), std::string::npos) << w;
  EXPECT_NE(w.find(" or seeds N (at most "), std::string::npos) << w;
  EXPECT_EQ(w.find("--"), std::string::npos) << w;
}

TEST(Seeds, OneSeedHasZeroStandardError) {
  const SeedRuns runs = run_seeds(gridworld(), {5}, 3);
  ASSERT_EQ(runs.iteration.size(), 3u);
  for (const SeedAggregate& a : runs.columns) {
    EXPECT_EQ(a.se[2], 0.0);
  }
  EXPECT_EQ(runs.columns[0].min[1], runs.columns[0].max[1]);
}

TEST(Seeds, ParseSeedList) {
  EXPECT_EQ(parse_seed_list("1-5"), (std::vector<uint64_t>{1, 2, 3, 4, 5}));
  EXPECT_EQ(parse_seed_list("7"), (std::vector<uint64_t>{7}));
  EXPECT_EQ(parse_seed_list("1-3,10,4"), (std::vector<uint64_t>{1, 2, 3, 10, 4}));
  for (const char* bad : {"", "5-1", "a", "1,,2", "1,1", "1-3,2", "-3", "1-", "0-1000",
                          "99999999999999999", "1.5", " 1"}) {
    SCOPED_TRACE(bad);
    try {
      parse_seed_list(bad);
      ADD_FAILURE() << "accepted";
    } catch (const InputError& e) {
      EXPECT_EQ(e.where(), "--seeds");
      EXPECT_NE(std::string(e.what()).find("allowed:"), std::string::npos) << e.what();
    }
  }
  EXPECT_EQ(parse_seed_list("0-999").size(), 1000u);
}

TEST(Seeds, SettingDifferencesNameWhatChanged) {
  const Scenario a = gridworld();
  Scenario b = a;
  EXPECT_TRUE(setting_differences(a, b).empty());
  b.seed = 99;
  b.name = "other";
  EXPECT_TRUE(setting_differences(a, b).empty());  // seed and name are said elsewhere
  set_value(b, "estimator.baseline", "mean");
  set_value(b, "critic.lr", 0.25);
  const std::vector<std::string> d = setting_differences(a, b);
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0], "baseline=leave-one-out");
  EXPECT_EQ(d[1], "critic.lr=0.5");
}

}  // namespace
}  // namespace pg
