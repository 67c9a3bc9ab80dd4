#include "gui/compare/compare.h"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <thread>

#include "gui/plot/plot.h"
#include "gui/views/background_job.h"
#include "util/error.h"
#include "util/text.h"

namespace pglab::gui {

namespace {

// Points per compared curve, as the overview's own curves (about one per two pixels).
constexpr size_t kCurvePoints = 600;
// Dimmed: pinned curves sit behind the live one at this opacity and a thinner line.
constexpr float kPinAlpha = 0.5f;
constexpr float kPinWeight = 0.09f;  // font units

// Background priority for every thread a comparison starts, like the training worker: drawing
// keeps its CPU.
void lower_priority() {
  setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), 19);
}

std::shared_ptr<const pg::Session> current_session(const AppState& state) {
  return state.runner ? state.runner->snapshot().session : nullptr;
}

// The run on screen for a pin, a fork or the seed band: none while a Step or Reset asked for is
// not made yet (the snapshot is of the run before it), said in the status.
std::shared_ptr<const pg::Session> settled_session(AppState& state) {
  if (state.runner && state.runner->pending()) {
    state.status = "a Step or Reset is still being made: try again once it is done";
    return nullptr;
  }
  return current_session(state);
}

// A name shown inside an ImGui label as it is: "##" there would end the shown part and make the
// rest the curve's ID (two pins named "a##x" and "b##x" shared one legend entry), so each becomes
// "# #".
std::string shown_as_is(std::string text) {
  for (size_t at = text.find("##"); at != std::string::npos; at = text.find("##", at + 2))
    text.insert(at + 1, " ");
  return text;
}

// At most 24 characters, cut between characters (a cut at a byte count split a "×" in two and
// the session file could not be written).
std::string run_name(const pg::Scenario& s) {
  return pg::utf8_elided(
      shown_as_is(s.source.empty() ? s.name : std::filesystem::path(s.source).stem().string()), 24);
}

std::vector<pg::IterationRecord> curve_rows(const pg::History& h) {
  return h.summary(kCurvePoints);
}

// A column's name in a comparison's legend ("" for the plot's headline column, the return).
const char* column_suffix(pg::SeedColumn c) {
  switch (c) {
    case pg::SeedColumn::kExactJ:
      return " · exact J";
    case pg::SeedColumn::kGradNorm:
      return " · ‖ĝ‖";
    case pg::SeedColumn::kEntropy:
      return " · H(π)";
    default:
      return "";
  }
}

bool listed(std::initializer_list<pg::SeedColumn> columns, pg::SeedColumn c) {
  return std::find(columns.begin(), columns.end(), c) != columns.end();
}

// One column of history rows as a curve, from the first row whose iteration is ≥ from_iteration.
// Rows where the column is not finite (exact J without a model) are left out; a curve with no
// finite point is empty.
ComparisonCurve rows_curve(const std::vector<pg::IterationRecord>& rows, pg::SeedColumn column,
                           int from_iteration, bool band_std) {
  ComparisonCurve c;
  for (const pg::IterationRecord& r : rows) {
    if (r.iteration < from_iteration) continue;
    const double y = pg::value_of(r, column);
    if (!std::isfinite(y)) continue;
    c.x.push_back(r.iteration);
    c.y.push_back(y);
    if (band_std) c.band.push_back(r.return_std);
  }
  return c;
}

ImU32 dimmed(ImU32 color) {
  ImVec4 c = ImGui::ColorConvertU32ToFloat4(color);
  c.w *= kPinAlpha;
  return ImGui::ColorConvertFloat4ToU32(c);
}

}  // namespace

// ---- Seeds
// ---------------------------------------------------------------------------------------

struct SeedsOutcome {
  pg::SeedRuns runs;
  std::string error;  // the scenario could not be built
};

struct SeedsJob {
  std::vector<uint64_t> seeds;
  std::string name;       // run_name of the scenario
  pg::Scenario scenario;  // the scenario run over the seeds (its own seed the first)
  int iterations = 0;
  int requested_iterations = 0;  // the menu's seed_iterations (0: the scenario's) it ran with
  std::unique_ptr<BackgroundJob<SeedsOutcome>> job;  // null once taken
  std::shared_ptr<const pg::SeedRuns> result;        // the band drawn
  std::string label;             // its legend entry's start: "gridworld-reinforce seeds 1–5"
  pg::Scenario result_scenario;  // the scenario that made `result`
  // The band drawn was asked for as this (a session file keeps it): the run that made `result`,
  // which a later run still going (or cancelled) does not replace.
  pg::CompareSeeds result_setting;
};

void start_seeds(AppState& state) {
  const auto session = settled_session(state);
  if (!session) return;
  CompareUi& c = state.compare;
  c.seed_count = std::clamp(c.seed_count, pg::kMinCompareSeeds, pg::kMaxCompareSeeds);
  pg::Scenario scenario = session->scenario();
  const int iterations = c.seed_iterations > 0 ? c.seed_iterations : scenario.algorithm.iterations;
  auto job = std::make_shared<SeedsJob>();
  for (int k = 0; k < c.seed_count; ++k)
    job->seeds.push_back(scenario.seed + static_cast<uint64_t>(k));
  job->name = run_name(scenario);
  job->scenario = scenario;
  job->iterations = iterations;
  job->requested_iterations = c.seed_iterations;
  // One core stays with the window and the training worker; never more threads than cores.
  const int threads = std::max(1, static_cast<int>(std::thread::hardware_concurrency()) - 1);
  job->job = std::make_unique<BackgroundJob<SeedsOutcome>>(
      [scenario, seeds = job->seeds, iterations, threads](std::atomic<int>& progress,
                                                          const std::atomic<bool>& cancel) {
        SeedsOutcome out;
        pg::SeedRunOptions o;
        o.threads = threads;
        o.progress = &progress;
        o.cancel = &cancel;
        o.thread_init = lower_priority;
        // The window's knobs: the scenario's iterations, the menu's seed count; it picks the
        // threads itself (one core left to the window), so the batch is what to lower there.
        o.knobs = {"algorithm.iterations", "Compare › Seeds › seeds N", ""};
        try {
          out.runs = pg::run_seeds(scenario, seeds, iterations, o);
        } catch (const std::exception& e) {
          out.error = pg::printable(e.what(), kMaxShownError);
        }
        return out;
      });
  // A previous band stays until the new one is complete.
  if (c.seeds) {
    job->result = c.seeds->result;
    job->label = c.seeds->label;
    job->result_scenario = c.seeds->result_scenario;
    job->result_setting = c.seeds->result_setting;
  }
  c.seeds = job;
  state.status = "seeds: running " + std::to_string(job->seeds.size()) + " seeds × " +
                 std::to_string(iterations) + " iterations on " + std::to_string(threads) +
                 " thread" + (threads == 1 ? "" : "s");
}

void cancel_seeds(AppState& state) {
  if (state.compare.seeds && state.compare.seeds->job) {
    state.compare.seeds->job.reset();  // cancels and joins
    state.status = "seeds: cancelled";
  }
}

void clear_seeds(AppState& state) {
  state.compare.seeds.reset();
}

double seeds_progress(const AppState& state) {
  const SeedsJob* j = state.compare.seeds.get();
  if (j == nullptr || !j->job) return -1.0;
  const double total = static_cast<double>(j->iterations) * static_cast<double>(j->seeds.size());
  return total > 0 ? std::min(1.0, j->job->progress() / total) : 0.0;
}

bool has_seed_band(const AppState& state) {
  return state.compare.seeds && state.compare.seeds->result;
}

std::optional<pg::CompareSeeds> seeds_setting(const AppState& state) {
  const SeedsJob* j = state.compare.seeds.get();
  if (j == nullptr || (!j->job && !j->result)) return std::nullopt;
  // The band on screen's; while the first one is still running, that run's.
  if (j->result) return j->result_setting;
  return pg::CompareSeeds{static_cast<int>(j->seeds.size()), j->requested_iterations};
}

// ---- Fork
// ----------------------------------------------------------------------------------------

// The forked session on its own thread. It advances whole iterations up to `target` (the main
// run's iteration, set each frame); the UI reads a copy of its history, its latest boundary and
// its timeline (pg::Timeline: the pictures side by side travel back in the fork too) under the
// lock.
struct ForkRun {
  // `main_timeline`: the main run's snapshots; those up to the fork point lead to the fork too.
  ForkRun(pg::Session s, std::string what_changed, pg::Timeline main_timeline,
          std::string changed_key, nlohmann::json changed_value)
      : what(std::move(what_changed)),
        key(std::move(changed_key)),
        value(std::move(changed_value)),
        start(s.iteration()),
        timeline(std::move(main_timeline)),
        session(std::move(s)) {
    published = session.history();
    timeline.observe(session);
    latest = std::make_shared<const pg::Session>(session);
    target.store(start);
    thread = std::thread([this] { loop(); });
  }
  ~ForkRun() {
    quit.store(true);
    if (thread.joinable()) thread.join();
  }
  ForkRun(const ForkRun&) = delete;
  ForkRun& operator=(const ForkRun&) = delete;

  void loop() {
    lower_priority();
    while (!quit.load()) {
      if (session.iteration() >= target.load() || !session.fault().empty()) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        continue;
      }
      // Step by step, so clearing the fork never waits for a long iteration to end.
      const int next = session.iteration() + 1;
      while (session.iteration() < next && !quit.load())
        if (!session.advance(pg::Granularity::kEnvStep)) break;
      auto copy = session.at_iteration_boundary() ? std::make_shared<const pg::Session>(session)
                                                  : nullptr;  // copied outside the lock
      const std::lock_guard<std::mutex> lock(mutex);
      published = session.history();  // chunks are shared: a cheap copy
      fault = session.fault();
      timeline.observe(session);
      if (copy) latest = std::move(copy);
    }
  }

  const std::string what;  // "baseline=mean"
  // The setting it was made with, as a session file keeps it (views.compare.fork): a live key,
  // "seed", or "estimator" with {"returns", "baseline", "normalize", "discount_weighting"}.
  const std::string key;
  const nlohmann::json value;
  const int start;  // the iteration it was forked at
  // The iteration boundary a session file makes it again at: `start`, or start + 1 for a fork
  // made after that iteration's update (an estimator setting mid-iteration, phase evaluate: the
  // update already took the old setting, so the fork differs from the next iteration on).
  int saved_at = 0;
  int last_main = 0;        // the main run's iteration last frame (UI thread only)
  bool fault_told = false;  // the status line has said that it stopped (UI thread only)
  uint64_t main_run = 0;    // the main run's run_id it branched from
  // The main run was reset or replaced (a scenario, session or lesson step opened): the fork stops
  // following, and its picture is no longer drawn beside the main run's (UI thread only).
  bool detached = false;
  std::atomic<int> target{0};
  std::atomic<bool> quit{false};
  std::mutex mutex;  // guards published, fault, timeline, latest
  pg::History published;
  std::string fault;
  pg::Timeline timeline;
  std::shared_ptr<const pg::Session> latest;  // its last iteration boundary
  pg::Session session;                        // worker thread only
  std::thread thread;                         // last: starts once the members above exist
};

namespace {

// The four estimator settings of `c` as views.compare.fork.value keeps them.
nlohmann::json estimator_json(const pg::EstimatorConfig& c) {
  return {{"returns", pg::name_of(c.returns)},
          {"baseline", pg::name_of(c.baseline)},
          {"normalize", c.normalize},
          {"discount_weighting", c.discount_weighting}};
}

// `main`: the live run the fork follows. `from` is it or its past (a replay of it, which has a run
// id of its own when replayed from the start, as a session file's run is: it has no snapshots).
bool install_fork(AppState& state, const pg::Session& from, pg::Session fork,
                  const pg::Session& main, const std::string& key, const nlohmann::json& value) {
  // setting_differences leaves the seed out (runs over seeds share their settings): name it.
  std::string what;
  const bool reseeded = fork.scenario().seed != from.scenario().seed;
  if (reseeded) what = "seed=" + std::to_string(fork.scenario().seed);
  for (const std::string& piece : pg::setting_differences(fork.scenario(), from.scenario()))
    what += (what.empty() ? "" : " ") + piece;
  if (what.empty()) {
    state.status = "cannot fork: the setting is already that value";
    return false;
  }
  state.compare.fork.reset();  // stops the previous one first
  state.compare.fork =
      std::make_shared<ForkRun>(std::move(fork), what, state.runner->timeline(), key, value);
  state.compare.fork->saved_at =
      from.phase() == pg::Phase::kEvaluate ? from.iteration() + 1 : from.iteration();
  state.compare.fork->last_main = main.iteration();
  state.compare.fork->main_run = main.run_id();
  state.status = "forked at iteration " + std::to_string(from.iteration()) + " with " + what +
                 (reseeded ? ": it runs beside the run on its own random streams"
                           : ": it runs beside the run on the same random streams");
  return true;
}

}  // namespace

bool fork_run(AppState& state, const pg::Session& from, const pg::EstimatorConfig& c) {
  const auto session = current_session(state);
  if (!session) return false;
  try {
    return install_fork(state, from, from.fork_with(c), *session, "estimator", estimator_json(c));
  } catch (const std::exception& e) {
    state.status = "cannot fork: " + pg::printable(e.what(), kMaxShownError);
    return false;
  }
}

bool fork_current_run(AppState& state, const pg::EstimatorConfig& c) {
  const auto session = settled_session(state);
  return session && fork_run(state, *session, c);
}

bool fork_current_run(AppState& state, const std::string& key, const nlohmann::json& value) {
  const auto session = settled_session(state);
  return session && fork_run(state, *session, key, value);
}

bool fork_run(AppState& state, const pg::Session& from, const std::string& key,
              const nlohmann::json& value) {
  const auto session = current_session(state);
  if (!session) return false;
  try {
    if (const pg::LiveKey* live = pg::find_live_key(key);
        live && live->estimator && !from.at_iteration_boundary()) {
      // An estimator setting forks mid-iteration too (it is live at once).
      pg::Scenario next = from.scenario();
      pg::set_value(next, key, value);
      return install_fork(state, from, from.fork_with(next.estimator), *session, key, value);
    }
    return install_fork(state, from, from.fork_with(key, value), *session, key, value);
  } catch (const std::exception& e) {
    state.status = "cannot fork: " + pg::printable(e.what(), kMaxShownError);
    return false;
  }
}

bool fork_run(AppState& state, const pg::Session& from, const pg::CompareFork& f) {
  if (f.key != "estimator") return fork_run(state, from, f.key, f.value);
  try {
    return fork_run(state, from, pg::forked_scenario(from.scenario(), f.key, f.value).estimator);
  } catch (const std::exception& e) {
    state.status = "cannot fork: " + pg::printable(e.what(), kMaxShownError);
    return false;
  }
}

std::optional<pg::CompareFork> fork_setting(const AppState& state) {
  const ForkRun* f = state.compare.fork.get();
  // A detached fork branched from a run the window no longer shows: no file's run makes it again.
  if (!f || f->detached) return std::nullopt;
  // (A fork made after its iteration's update is made again at the next boundary, which the run
  // must have reached: it has, once it is at a boundary to be saved.)
  const auto session = current_session(state);
  if (session && f->saved_at > session->iteration()) return std::nullopt;
  return pg::CompareFork{f->saved_at, f->key, f->value};
}

bool fork_view(const AppState& state, ForkView* out) {
  ForkRun* f = state.compare.fork.get();
  if (!f) return false;
  const std::lock_guard<std::mutex> lock(f->mutex);
  out->latest = f->latest;
  out->timeline = f->timeline;
  out->start = f->start;
  out->what = f->what;
  out->fault = f->fault;
  out->detached = f->detached;
  return true;
}

int fork_stopped_at(const pg::Session* latest, int start) {
  return latest ? latest->iteration() : start;
}

int ForkView::stopped_at() const {
  return fork_stopped_at(latest.get(), start);
}

std::string fork_stopped_message(int at, const std::string& fault) {
  return "the fork stopped at iteration " + std::to_string(at) + ": " +
         pg::printable(fault, kMaxShownError);
}

void clear_fork(AppState& state) {
  state.compare.fork.reset();
}

bool has_fork(const AppState& state) {
  return state.compare.fork != nullptr;
}

// ---- Pins
// ----------------------------------------------------------------------------------------

bool pin_current_run(AppState& state) {
  const auto session = settled_session(state);
  if (!session) return false;
  CompareUi& c = state.compare;
  if (static_cast<int>(c.pins.size()) >= CompareUi::kMaxPins) {
    state.status =
        "at most " + std::to_string(CompareUi::kMaxPins) + " pinned runs: unpin one (Compare menu)";
    return false;
  }
  if (session->history().empty()) {
    state.status = "nothing to pin yet: the run has no complete iteration";
    return false;
  }
  c.pins.push_back(
      {run_name(session->scenario()), session->scenario(), curve_rows(session->history())});
  state.status = "pinned " + pin_label(c.pins.back(), session->scenario()).substr(8) +
                 " (its curves stay on the plots; Compare menu to unpin)";
  return true;
}

void unpin(AppState& state, int index) {
  if (index >= 0 && index < static_cast<int>(state.compare.pins.size()))
    state.compare.pins.erase(state.compare.pins.begin() + index);
}

void clear_pins(AppState& state) {
  state.compare.pins.clear();
}

namespace {

// " lr=0.1 gamma=0.9 +1 more": the settings of `then` that differ from `now` (the live run's), at
// most two named, so a compared curve says what it ran with (the seed left out).
// (A setting's value may hold "##": shown as is, not cut as an ImGui id.)
std::string settings_suffix(const pg::Scenario& then, const pg::Scenario& now) {
  std::string s;
  const std::vector<std::string> d = pg::setting_differences(then, now);
  for (size_t i = 0; i < d.size() && i < 2; ++i) s += " " + d[i];
  if (d.size() > 2) s += " +" + std::to_string(d.size() - 2) + " more";
  return shown_as_is(s);
}

}  // namespace

std::string pin_label(const PinnedRun& pin, const pg::Scenario& now) {
  return shown_as_is("pinned: " + pin.name + " seed " + std::to_string(pin.scenario.seed) +
                     settings_suffix(pin.scenario, now));
}

// ---- Per frame
// -----------------------------------------------------------------------------------

void update_compare(AppState& state) {
  CompareUi& c = state.compare;
  if (c.seeds && c.seeds->job) {
    SeedsJob& j = *c.seeds;
    if (j.job->done()) {
      SeedsOutcome out = std::move(j.job->result());
      j.job.reset();
      if (!out.error.empty()) {
        state.status = "seeds: " + out.error;
      } else if (!out.runs.cancelled) {
        char label[160];
        std::snprintf(label, sizeof label, "%s seeds %llu–%llu", j.name.c_str(),
                      static_cast<unsigned long long>(j.seeds.front()),
                      static_cast<unsigned long long>(j.seeds.back()));
        j.label = label;
        j.result_scenario = j.scenario;
        j.result = std::make_shared<const pg::SeedRuns>(std::move(out.runs));
        j.result_setting = {static_cast<int>(j.seeds.size()), j.requested_iterations};
        state.status = "seeds: " + std::to_string(j.seeds.size()) + " runs done" +
                       (j.result->faults.empty() ? std::string()
                                                 : "; paused by a fault: " + j.result->faults[0]);
      }
    } else {
      char line[96];
      std::snprintf(line, sizeof line, "seeds: %.0f%% of %zu runs × %d iterations",
                    100.0 * seeds_progress(state), j.seeds.size(), j.iterations);
      state.status = line;
    }
  }
  if (c.fork && !c.fork->detached) {
    const auto session = current_session(state);
    ForkRun& f = *c.fork;
    // A fork whose update faulted stops where it is (its branch picture and its curve's label say
    // so); the status line says it once, as it would for the main run's fault.
    if (!f.fault_told) {
      std::string fault;
      int at = 0;
      {
        const std::lock_guard<std::mutex> lock(f.mutex);
        fault = f.fault;
        at = fork_stopped_at(f.latest.get(), f.start);
      }
      if (!fault.empty()) {
        f.fault_told = true;
        state.status = fork_stopped_message(at, fault);
      }
    }
    const int now = session ? session->iteration() : 0;
    // A reset, or another run opened (a new run_id: File → Open session, a scenario, a lesson
    // step), starts the main run over: the fork no longer has a partner.
    if (!session || session->run_id() != f.main_run || now < f.last_main) {
      f.detached = true;
    } else {
      f.last_main = now;
      f.target.store(std::max(f.start, now));
    }
  }
}

std::vector<ComparisonCurve> comparison_curves(const AppState& state,
                                               std::initializer_list<pg::SeedColumn> columns) {
  std::vector<ComparisonCurve> out;
  const CompareUi& c = state.compare;
  const auto session = current_session(state);
  const pg::Scenario now = session ? session->scenario() : state.scenario;
  const bool band_std = listed(columns, pg::SeedColumn::kReturnStd);
  auto add = [&](ComparisonCurve curve, std::string label, ImU32 color, float weight) {
    if (curve.x.empty()) return;
    curve.label = std::move(label);
    curve.color = color;
    curve.weight = weight;
    out.push_back(std::move(curve));
  };
  // Pins: every column the plot draws, each dimmed in the pin's colour and labelled.
  for (size_t k = 0; k < c.pins.size(); ++k) {
    const std::string base = pin_label(c.pins[k], now);
    const ImU32 color = dimmed(plot::GetPaletteColor(kPinsSlot + static_cast<int>(k)));
    for (pg::SeedColumn col : columns) {
      if (col == pg::SeedColumn::kReturnStd) continue;
      const bool band = band_std && col == pg::SeedColumn::kReturnMean;
      add(rows_curve(c.pins[k].rows, col, 0, band),
          base + column_suffix(col) + "##pin" + std::to_string(k) + "." +
              std::to_string(static_cast<int>(col)),
          color, kPinWeight);
    }
  }
  // The seed band and the fork draw the plot's headline column (its first) only: with every column
  // of every comparison the legend would cover the plot at 1280×720.
  const pg::SeedColumn head = columns.size() > 0 ? *columns.begin() : pg::SeedColumn::kReturnMean;
  if (c.seeds && c.seeds->result) {
    const pg::SeedRuns& r = *c.seeds->result;
    for (pg::SeedColumn col : {head}) {
      const pg::SeedAggregate& a = r.columns[static_cast<size_t>(col)];
      ComparisonCurve curve;
      for (size_t i = 0; i < a.mean.size() && i < r.iteration.size(); ++i) {
        if (!std::isfinite(a.mean[i])) continue;
        curve.x.push_back(r.iteration[i]);
        curve.y.push_back(a.mean[i]);
        curve.band.push_back(a.se[i]);
      }
      // The band and its line share the label, so one legend entry and one colour. Named with
      // the settings it ran with where they differ from the live run's, as a pin is (the live
      // run's settings may have changed since).
      const std::string label = c.seeds->label + settings_suffix(c.seeds->result_scenario, now) +
                                ": mean ± 1 s.e." + column_suffix(col) + "##seeds";
      add(std::move(curve), label, plot::GetPaletteColor(kSeedsSlot), 0.0f);
    }
  }
  if (session && state.time_travel.viewing >= 0) {
    // Time travel: the plots show the past; the live run's whole curve stays behind it, dimmed.
    add(rows_curve(curve_rows(session->history()), head, 0, false),
        "live run (to iteration " + std::to_string(session->iteration()) + ")##live",
        dimmed(plot::GetPaletteColor(kReturnSlot)), kPinWeight);
  }
  if (c.fork) {
    ForkRun& f = *c.fork;
    pg::History h;
    bool stopped = false;
    int stopped_at = 0;
    {
      const std::lock_guard<std::mutex> lock(f.mutex);
      h = f.published;
      stopped = !f.fault.empty();
      stopped_at = fork_stopped_at(f.latest.get(), f.start);
    }
    const std::vector<pg::IterationRecord> rows = curve_rows(h);
    // A fork that faulted ends where its curve ends: the label says it stopped there (its
    // picture in the overview says why), not that it is still on its way.
    const std::string base =
        "fork at iteration " + std::to_string(f.start) + ": " + f.what +
        (stopped ? ", stopped by a fault at " + std::to_string(stopped_at) : std::string());
    for (pg::SeedColumn col : {head}) {
      // From the last iteration the two runs share, so the fork branches off the main curve.
      add(rows_curve(rows, col, f.start - 1, false),
          base + column_suffix(col) + "##fork." + std::to_string(static_cast<int>(col)),
          plot::GetPaletteColor(kForkSlot), 0.0f);
    }
  }
  return out;
}

void PlotRunComparisons(const AppState& state, std::initializer_list<pg::SeedColumn> columns) {
  for (const ComparisonCurve& c : comparison_curves(state, columns)) {
    plot::SetNextItemColor(c.color);
    if (c.weight > 0.0f) plot::SetNextItemWeight(c.weight);
    const int n = static_cast<int>(c.x.size());
    if (c.band.empty())
      plot::PlotLine(c.label.c_str(), c.x.data(), c.y.data(), n);
    else
      plot::PlotLineWithBand(c.label.c_str(), c.x.data(), c.y.data(), c.band.data(), n);
  }
}

}  // namespace pglab::gui
