#include "lab/seeds.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <exception>
#include <limits>
#include <mutex>
#include <optional>
#include <thread>

#include "io/params.h"
#include "session/budget.h"
#include "session/session.h"
#include "util/error.h"
#include "util/number_text.h"
#include "util/text.h"

namespace pg {

const char* name_of(SeedColumn c) {
  switch (c) {
    case SeedColumn::kReturnMean:
      return "return_mean";
    case SeedColumn::kReturnStd:
      return "return_std";
    case SeedColumn::kGradNorm:
      return "grad_norm";
    case SeedColumn::kEntropy:
      return "entropy";
    case SeedColumn::kExactJ:
      return "exact_J";
    case SeedColumn::kCount:
      break;
  }
  return "?";
}

double value_of(const IterationRecord& r, SeedColumn c) {
  switch (c) {
    case SeedColumn::kReturnMean:
      return r.return_mean;
    case SeedColumn::kReturnStd:
      return r.return_std;
    case SeedColumn::kGradNorm:
      return r.grad_norm;
    case SeedColumn::kEntropy:
      return r.entropy;
    case SeedColumn::kExactJ:
      return r.exact_J;
    case SeedColumn::kCount:
      break;
  }
  return std::numeric_limits<double>::quiet_NaN();
}

SeedRuns aggregate_histories(const std::vector<History>& histories) {
  SeedRuns out;
  constexpr int kColumns = static_cast<int>(SeedColumn::kCount);
  out.columns.resize(kColumns);
  if (histories.empty()) return out;
  size_t rows = histories[0].size();
  for (const History& h : histories) rows = std::min(rows, h.size());
  const double n = static_cast<double>(histories.size());
  for (SeedAggregate& a : out.columns) {
    a.mean.resize(rows);
    a.se.resize(rows);
    a.min.resize(rows);
    a.max.resize(rows);
  }
  out.iteration.resize(rows);
  for (size_t i = 0; i < rows; ++i) {
    out.iteration[i] = histories[0][i].iteration;
    for (int c = 0; c < kColumns; ++c) {
      SeedAggregate& a = out.columns[static_cast<size_t>(c)];
      const auto column = static_cast<SeedColumn>(c);
      double sum = 0.0, lo = std::numeric_limits<double>::infinity(), hi = -lo;
      for (const History& h : histories) {
        const double x = value_of(h[i], column);
        sum += x;
        lo = std::min(lo, x);
        hi = std::max(hi, x);
      }
      // mean = (1/n) Σ x_k;  s.e. = √(Σ (x_k − mean)² / (n − 1)) / √n
      const double mean = sum / n;
      double squares = 0.0;
      for (const History& h : histories) {
        const double d = value_of(h[i], column) - mean;
        // Explicit fma: the same bits whether or not the compiler contracts d·d + squares
        // (-march=native does in some places and not others), so a reference can match exactly.
        squares = std::fma(d, d, squares);
      }
      a.mean[i] = mean;
      a.se[i] = histories.size() > 1 ? std::sqrt(squares / (n - 1.0)) / std::sqrt(n) : 0.0;
      // NaN columns (exact_J without a model) stay NaN rather than ±inf.
      a.min[i] = std::isnan(mean) ? mean : lo;
      a.max[i] = std::isnan(mean) ? mean : hi;
    }
  }
  return out;
}

SeedRuns run_seeds(const Scenario& scenario, const std::vector<uint64_t>& seeds, int iterations,
                   const SeedRunOptions& options) {
  auto scenario_for = [&](size_t k) {
    Scenario s = scenario;
    set_value(s, "seed", nlohmann::json(seeds[k]));
    return s;
  };
  // The first session is built here, on the calling thread: a scenario that cannot be built throws
  // before any work starts. The others are built by the workers as they take a seed, and each is
  // dropped once its history is kept: at most one session per thread lives at a time (all of them
  // at once took memory in proportion to the seeds: 605 MB for 8 seeds of a 16 × 1000-step PPO).
  std::optional<Session> first;
  if (!seeds.empty()) first.emplace(scenario_for(0));
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  const unsigned wanted = options.threads > 0 ? static_cast<unsigned>(options.threads) : cores;
  const unsigned threads = std::max(
      1u, std::min({wanted, cores, static_cast<unsigned>(std::max<size_t>(1, seeds.size()))}));
  if (first) {
    // One session per thread at once, and every seed's history kept to the end (1000 seeds of
    // 10⁷ iterations grew without bound into std::bad_alloc): the aggregate's row is its 4 numbers
    // per column and the iteration.
    constexpr double kAggregateRowBytes =
        static_cast<double>(SeedColumn::kCount) * 4 * sizeof(double) + sizeof(int);
    require_seeds_fit(first->scenario(), first->env(), static_cast<int>(threads),
                      static_cast<int>(seeds.size()), iterations, kHistoryRowBytes,
                      kAggregateRowBytes, options.output_bytes_per_iteration, options.knobs);
  }

  std::atomic<size_t> next{0};
  std::atomic<bool> cancelled{false}, failed{false};
  std::mutex faults_mutex;
  std::vector<std::string> faults(seeds.size());
  std::vector<History> histories(seeds.size());
  std::exception_ptr failure;  // the first exception a worker met (bad_alloc, …), rethrown here
  auto work = [&]() {
    try {
      if (options.thread_init) options.thread_init();
      for (size_t k = next.fetch_add(1); k < seeds.size() && !failed.load();
           k = next.fetch_add(1)) {
        std::optional<Session> own;
        Session& session = k == 0 ? *first : own.emplace(scenario_for(k));
        for (int i = 0; i < iterations; ++i) {
          if ((options.cancel != nullptr && options.cancel->load(std::memory_order_relaxed)) ||
              failed.load()) {
            cancelled.store(true);
            histories[k] = session.history();  // the iterations it did (the rows all seeds have)
            return;
          }
          if (!session.advance(Granularity::kIteration)) {
            const std::lock_guard<std::mutex> lock(faults_mutex);
            faults[k] = "seed " + std::to_string(seeds[k]) + ": " + session.fault();
            break;
          }
          if (options.progress != nullptr)
            options.progress->fetch_add(1, std::memory_order_relaxed);
        }
        histories[k] = session.history();
        if (k == 0) first.reset();
      }
    } catch (...) {
      // An exception must not leave a worker thread (std::terminate): the first one is kept and
      // rethrown on the calling thread, and the other workers stop.
      const std::lock_guard<std::mutex> lock(faults_mutex);
      if (!failure) failure = std::current_exception();
      failed.store(true);
    }
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (std::thread& t : pool) t.join();
  if (failure) std::rethrow_exception(failure);

  SeedRuns out = aggregate_histories(histories);
  out.seeds = seeds;
  out.cancelled = cancelled.load();
  for (std::string& f : faults)
    if (!f.empty()) out.faults.push_back(std::move(f));
  return out;
}

std::string seeds_csv(const SeedRuns& runs) {
  const size_t rows = runs.iteration.size();
  const auto& exact = runs.columns[static_cast<size_t>(SeedColumn::kExactJ)].mean;
  const int columns = static_cast<int>(SeedColumn::kCount) -
                      (rows > 0 && std::isfinite(exact[0]) ? 0 : 1);  // exact_J is last
  std::string out = "iteration,seeds";
  // Once, at the size kSeedsCsvRowBytes promises at most (the memory check counted it).
  out.reserve(128 + rows * static_cast<size_t>(kSeedsCsvRowBytes));
  for (int c = 0; c < columns; ++c) {
    const std::string name = name_of(static_cast<SeedColumn>(c));
    out += "," + name + "_mean," + name + "_se," + name + "_min," + name + "_max";
  }
  out += "\n";
  char buffer[32];
  auto number = [&](double v) {
    std::snprintf(buffer, sizeof buffer, "%.17g", v);
    out += ',';
    out += buffer;
  };
  for (size_t i = 0; i < rows; ++i) {
    out += std::to_string(runs.iteration[i]) + "," + std::to_string(runs.seeds.size());
    for (int c = 0; c < columns; ++c) {
      const SeedAggregate& a = runs.columns[static_cast<size_t>(c)];
      number(a.mean[i]);
      number(a.se[i]);
      number(a.min[i]);
      number(a.max[i]);
    }
    out += "\n";
  }
  return out;
}

std::vector<uint64_t> parse_seed_list(const std::string& text) {
  const std::string allowed =
      "allowed: seeds 0 to 9007199254740991 as a range '1-5', a list '1,2,7' or both '1-3,10' "
      "(at most " +
      std::to_string(kMaxSeeds) + " seeds, none twice)";
  auto bad = [&](const std::string& what) { return InputError("--seeds", what + "; " + allowed); };
  constexpr uint64_t kMaxSeed = 9007199254740991ull;  // the scenario key's range (2^53 - 1)
  auto number = [&](const std::string& piece) {
    if (piece.empty() || piece.size() > 16 ||
        !std::all_of(piece.begin(), piece.end(), [](char c) { return c >= '0' && c <= '9'; }))
      throw bad(quote(piece) + " is not a seed");
    const uint64_t v = std::stoull(piece);
    if (v > kMaxSeed) throw bad(quote(piece) + " is too large");
    return v;
  };
  std::vector<uint64_t> seeds;
  const std::vector<std::string_view> items = split_list(text);
  for (size_t k = 0; k < items.size(); ++k) {
    const std::string item(items[k]);
    if (item.empty() && !text.empty()) throw bad(empty_item(k, items.size()));
    const size_t dash = item.find('-');
    uint64_t lo = 0, hi = 0;
    if (dash == std::string::npos) {
      lo = hi = number(item);
    } else {
      // "-1" reads as a range with no start: say what was meant ('' is not a seed said nothing).
      if (dash == 0)
        throw bad(quote(item) + " is not a seed (seeds are ≥ 0; a range is written FROM-TO)");
      lo = number(item.substr(0, dash));
      hi = number(item.substr(dash + 1));
      if (hi < lo) throw bad("range " + quote(item) + " goes down");
    }
    if (hi - lo >= static_cast<uint64_t>(kMaxSeeds) ||
        seeds.size() + (hi - lo + 1) > static_cast<size_t>(kMaxSeeds))
      throw bad("more than " + std::to_string(kMaxSeeds) + " seeds");
    for (uint64_t s = lo; s <= hi; ++s) {
      if (std::find(seeds.begin(), seeds.end(), s) != seeds.end())
        throw bad("seed " + std::to_string(s) + " given twice");
      seeds.push_back(s);
    }
  }
  return seeds;
}

std::vector<std::string> setting_differences(const Scenario& a, const Scenario& b) {
  std::vector<std::string> out;
  for (const ParamSpec& spec : scenario_params()) {
    if (spec.key == "name" || spec.key == "description" || spec.key == "views" ||
        spec.key == "seed")
      continue;
    const nlohmann::json va = spec.bind.load(a), vb = spec.bind.load(b);
    if (va == vb) continue;
    // The common sections need no prefix (lr, baseline, gamma); the others keep theirs, so
    // critic.lr and ppo.clip_eps stay apart from lr and grpo.clip_eps.
    std::string short_key = spec.key;
    for (const char* prefix : {"algorithm.", "estimator.", "env."})
      if (short_key.rfind(prefix, 0) == 0) short_key = short_key.substr(std::strlen(prefix));
    std::string value = va.is_string() ? va.get<std::string>() : va.dump();
    if (value.size() > 40) value = value.substr(0, 37) + "...";
    out.push_back(short_key + "=" + value);
  }
  return out;
}

}  // namespace pg
