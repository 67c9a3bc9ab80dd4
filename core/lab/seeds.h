#pragma once
// Runs compared (issue 9 item 6): one scenario over several seeds, aggregated per iteration, and
// what tells two runs' settings apart (the labels of pinned curves).
//
//   SeedRuns r = run_seeds(scenario, parse_seed_list("1-5"), 200, {});
//   r.columns[0].mean[i] ± r.columns[0].se[i]   // mean batch return at iteration i over 5 seeds
//
// Each seed runs its own Session (the scenario with `seed` replaced), so a seed's curve does not
// depend on which thread ran it or on how many ran at once: the aggregate is a function of the
// scenario, the seed list and the iteration count alone.

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "io/scenario.h"
#include "session/budget.h"
#include "session/history.h"

namespace pg {

// The history columns aggregated, in this order (IterationRecord's fields; exact_J is NaN in
// every row without a model).
enum class SeedColumn { kReturnMean, kReturnStd, kGradNorm, kEntropy, kExactJ, kCount };
const char* name_of(SeedColumn c);  // "return_mean", … (the train --csv header's names)
double value_of(const IterationRecord& r, SeedColumn c);

// One column over seeds, per iteration i (index into SeedRuns::iteration).
struct SeedAggregate {
  std::vector<double> mean;  // (1/n) Σ_k x_k
  std::vector<double> se;    // s / √n with s² = Σ_k (x_k − mean)² / (n − 1); 0 when n = 1
  std::vector<double> min, max;  // over the seeds
};

struct SeedRuns {
  std::vector<uint64_t> seeds;
  std::vector<int> iteration;          // 0, 1, …: rows every seed completed
  std::vector<SeedAggregate> columns;  // indexed by SeedColumn
  bool cancelled = false;
  // Seeds whose session paused on a numeric fault: "seed 3: <message>". The aggregate then covers
  // the iterations every seed completed.
  std::vector<std::string> faults;
};

// Per-iteration mean, s.e., min and max over the histories (in the order given), for the
// iterations all of them have. Sums run over the histories in order, so the result is exact to
// the bit for a given order.
SeedRuns aggregate_histories(const std::vector<History>& histories);

struct SeedRunOptions {
  int threads = 0;                            // worker threads; <= 0: the machine's cores
  std::atomic<int>* progress = nullptr;       // + 1 per iteration completed by any seed
  const std::atomic<bool>* cancel = nullptr;  // checked between iterations
  std::function<void()> thread_init;          // run first on every worker thread (priority)
  // Bytes per iteration the caller builds from the result (the CLI's CSV: kSeedsCsvRowBytes),
  // counted in the memory check with the histories.
  double output_bytes_per_iteration = 0;
  // The knobs' names in the memory check's advice (the CLI's flags unless the caller's differ).
  SeedsKnobs knobs;
};

// Runs `iterations` iterations of `scenario` once per seed (the scenario's `seed` replaced), on at
// most min(threads, cores, seeds) threads, and aggregates the histories. Throws InputError for a
// scenario the sessions cannot be built from, or whose sessions (one per thread at a time), kept
// histories (seeds × iterations rows), aggregate and output do not fit the memory budget
// together (require_seeds_fit in session/budget.h), before any thread starts; an exception in a
// worker (bad_alloc) stops the others and is rethrown here.
SeedRuns run_seeds(const Scenario& scenario, const std::vector<uint64_t>& seeds, int iterations,
                   const SeedRunOptions& options = {});

// The aggregate as CSV: header `iteration,seeds` then `<column>_mean,<column>_se,<column>_min,
// <column>_max` for return_mean, return_std, grad_norm, entropy and (in finite worlds) exact_J;
// one row per iteration, numbers in %.17g.
std::string seeds_csv(const SeedRuns& runs);
// The most bytes a row of seeds_csv takes: "iteration,seeds" and 20 numbers of at most 24
// characters ("-2.2250738585072014e-308") with their commas, and the newline.
inline constexpr double kSeedsCsvRowBytes = 8 + 1 + 4 + 20 * 25 + 1;

// "1-5", "1,2,7", "3" (ranges and lists combined: "1-3,10"): the seeds in the order written.
// Throws InputError("--seeds", …) for anything else, an empty or reversed range, a duplicate, or
// more than kMaxSeeds seeds.
inline constexpr int kMaxSeeds = 1000;
std::vector<uint64_t> parse_seed_list(const std::string& text);

// "key=value" for each scenario key whose value in `a` differs from `b` (name, description, views
// and seed left out), in the key table's order, without the prefixes algorithm., estimator. and
// env.: "baseline=none", "lr=0.1", "critic.lr=0.5". Empty when the settings are the same.
std::vector<std::string> setting_differences(const Scenario& a, const Scenario& b);

}  // namespace pg
