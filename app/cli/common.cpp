#include "cli/common.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <string>
#include <system_error>

#include "cli/progress.h"
#include "cli/stop_signal.h"
#include "io/atomic_file.h"
#include "io/params.h"
#include "io/session_file.h"
#include "lab/lesson.h"
#include "session/budget.h"
#include "session/session.h"
#include "util/error.h"
#include "util/number_text.h"
#include "util/text.h"

namespace pg::cli {

void add_scenario_options(CLI::App& cmd, ScenarioArgs& args, bool required, bool with_seed) {
  auto* opt = cmd.add_option(
      "--scenario", args.scenario,
      "Scenario file, or a name in assets/scenarios/ (e.g. short-corridor-reinforce)");
  opt->check(file_name());
  if (required) opt->required();
  cmd.add_option("--set", args.sets,
                 "Override a scenario key: --set estimator.baseline=mean (repeatable)");
  if (with_seed)
    cmd.add_option("--seed", args.seed, "Seed (overrides the scenario's)")
        ->check(integer_in(0, 9007199254740991));
}

namespace {

// The seed comes from one place: `train --set seed=3 --seed 4` ran seed 4 and `seeds --set seed=5`
// ran --seeds' seeds, each dropping a value the user gave without a word.
void require_one_seed_source(const ScenarioArgs& args) {
  for (const std::string& text : args.sets) {
    if (text.substr(0, text.find('=')) != "seed") continue;
    if (args.seed_option != "--seed")
      throw InputError("--set seed",
                       "the seed is set by this command's own " + args.seed_option +
                           " option (one run per seed); allowed: leave seed out of --set and "
                           "give the seeds to " +
                           args.seed_option);
    if (args.seed >= 0)
      throw InputError("--set seed", "the seed is also given by --seed " +
                                         std::to_string(args.seed) +
                                         "; allowed: give it once, by --set seed=N or --seed N");
  }
}

}  // namespace

Scenario resolve(const ScenarioArgs& args, const std::vector<std::string>& changes) {
  require_one_seed_source(args);
  Scenario s = args.scenario.empty() ? default_scenario() : load_scenario(args.scenario);
  std::vector<ScheduledChange> plan = parse_changes(changes);
  std::stable_sort(
      plan.begin(), plan.end(),
      [](const ScheduledChange& x, const ScheduledChange& y) { return x.iteration < y.iteration; });
  std::vector<std::pair<std::string, nlohmann::json>> later;
  for (const ScheduledChange& c : plan) later.emplace_back(c.key, c.value);
  apply_sets(s, args.sets, later);
  if (args.seed >= 0) set_value(s, "seed", args.seed);
  return s;
}

void add_change_option(CLI::App& cmd, std::vector<std::string>& changes) {
  cmd.add_option("--change", changes,
                 "Change a live setting at an iteration: --change 10:algorithm.lr=0.3 "
                 "(repeatable; keys: " +
                     live_key_names() + ")");
}

namespace {

// "subcommand --name" of every switch add_switch() made.
std::set<std::string>& switches() {
  static std::set<std::string> s;
  return s;
}

}  // namespace

std::string switch_value_error(int argc, const char* const* argv) {
  if (argc < 2 || argv[1][0] == '-') return "";
  const std::string sub = argv[1];
  for (int i = 2; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--") break;
    const size_t eq = arg.find('=');
    if (arg.rfind("--", 0) != 0 || eq == std::string::npos) continue;
    const std::string name = arg.substr(0, eq);
    if (switches().count(sub + " " + name))
      return name + ": a flag takes no value (give it alone, or leave it out) (see 'pglab " + sub +
             " --help')";
  }
  return "";
}

CLI::Option* add_switch(CLI::App& cmd, const std::string& name, bool& value,
                        const std::string& description) {
  switches().insert(cmd.get_name() + " " + name);
  return cmd.add_flag(name, value, description)
      ->multi_option_policy(CLI::MultiOptionPolicy::Throw)
      ->disable_flag_override();
}

std::vector<ScheduledChange> parse_changes(const std::vector<std::string>& texts) {
  std::vector<ScheduledChange> out;
  for (const auto& t : texts) out.push_back(parse_scheduled_change(t));
  return out;
}

namespace {

// Whether two paths name one file: the same file where both exist, else the same normalised path
// (an output not written yet). Never throws.
bool same_file(const std::string& a, const std::string& b) {
  namespace fs = std::filesystem;
  std::error_code ea, eb;
  if (fs::exists(a, ea) && fs::exists(b, eb)) {
    std::error_code ec;
    const bool same = fs::equivalent(a, b, ec);
    return !ec && same;
  }
  const fs::path ca = fs::weakly_canonical(a, ea), cb = fs::weakly_canonical(b, eb);
  return !ea && !eb && ca == cb;
}

}  // namespace

void require_distinct_files(const std::vector<NamedPath>& outputs,
                            const std::vector<NamedPath>& inputs) {
  auto used = [](const NamedPath& p) { return !p.path.empty() && p.path != "-"; };
  for (size_t o = 0; o < outputs.size(); ++o) {
    for (size_t p = 0; p < o && outputs[o].path == "-"; ++p)
      if (outputs[p].path == "-")
        throw InputError(outputs[o].key, "'-' (standard output) is also the " + outputs[p].key +
                                             " output; at most one output can go to standard "
                                             "output: name a file for one of them");
    if (!used(outputs[o])) continue;
    for (const NamedPath& in : inputs)
      if (used(in) && same_file(outputs[o].path, in.path))
        throw InputError(outputs[o].key,
                         "'" + printable(outputs[o].path) + "' is the " + in.key +
                             " file; writing it would destroy it: " + "name another file");
    for (size_t p = 0; p < o; ++p)
      if (used(outputs[p]) && same_file(outputs[o].path, outputs[p].path))
        throw InputError(outputs[o].key, "'" + printable(outputs[o].path) + "' is also the " +
                                             outputs[p].key +
                                             " file; each output needs its own file");
  }
}

std::vector<NamedPath> scenario_inputs(const Scenario& s, const std::string& key) {
  std::vector<NamedPath> out;
  if (!s.source.empty()) out.push_back({key, s.source});
  if (s.env.map_text.empty() && !s.env.map.empty() && inapplicable_reason(s, "env.map").empty())
    out.push_back({key == "--scenario" ? "env.map" : key + "'s env.map", scenario_map_path(s)});
  return out;
}

std::vector<NamedPath> lesson_inputs(const std::string& path_or_name) {
  std::vector<NamedPath> out = {{"--lesson", lesson_file_path(path_or_name)}};
  try {
    const Lesson lesson = load_lesson(path_or_name);
    for (size_t i = 0; i < lesson.steps.size(); ++i) {
      const LessonStep& step = lesson.steps[i];
      if (step.scenario.empty()) continue;
      const std::string key = "--lesson step " + std::to_string(i + 1) + " scenario";
      out.push_back({key, scenario_file_path(step.scenario)});
      Scenario sc = load_scenario(step.scenario);
      if (!step.set.empty()) set_values(sc, step.set);
      for (const NamedPath& p : scenario_inputs(sc, key))
        if (p.key != key) out.push_back(p);
    }
  } catch (const InputError&) {
    // The lesson (or a step's scenario) is refused when the window opens it, with its line.
  }
  return out;
}

void require_not_stdout(const std::string& key, const std::string& path, const std::string& what) {
  if (path == "-") throw InputError(key, what + " cannot go to standard output ('-'); name a file");
}

void require_writable(const std::vector<NamedPath>& outputs,
                      const std::vector<std::string>& in_place) {
  for (const NamedPath& o : outputs) {
    const bool lines = std::find(in_place.begin(), in_place.end(), o.key) != in_place.end();
    const std::string problem =
        output_file_problem(o.path, lines ? OutputMode::kInPlace : OutputMode::kWhole);
    if (!problem.empty())
      throw InputError(o.key, "cannot write " + quote(shorten_path(o.path)) + ": " + problem);
  }
}

InputError as_flag_error(const InputError& e, std::initializer_list<const char*> names) {
  for (const char* name : names)
    if (e.where() == name) return InputError(std::string("--") + name, e.problem());
  return e;
}

bool stderr_is_terminal() {
  return isatty(STDERR_FILENO) != 0;
}

Session load_replaying(const std::string& path, const char* cmd) {
  const std::string what = std::string("pglab ") + cmd + ": replaying the session file";
  StderrProgress progress(what.c_str(), 0, "iterations");
  return load_session_file(path, nullptr, stop_flag(), nullptr, &progress.done, &progress.total);
}

bool train_before(Session& s, int n, const char* cmd, const std::vector<ScheduledChange>& plan) {
  require_history_fits(s, n, "--iterations");  // the history keeps a row per iteration
  using Clock = std::chrono::steady_clock;
  const bool terminal = stderr_is_terminal();
  const Clock::time_point start = Clock::now();
  Clock::time_point shown{};
  struct Line {  // cleared however the training ends (a signal throws Cancelled through here)
    bool showing = false;
    ~Line() {
      if (showing) std::fprintf(stderr, "\r\033[K");
    }
  } line;
  bool ok = true;
  for (int i = 0; i < n && ok; ++i) {
    make_due_changes(s, plan);
    ok = s.advance(Granularity::kIteration);
    const Clock::time_point now = Clock::now();
    if (terminal && now - start > std::chrono::seconds(1) &&
        now - shown > std::chrono::milliseconds(200)) {
      std::fprintf(stderr, "\rpglab %s: training iteration %d of %d   ", cmd, i + 1, n);
      shown = now;
      line.showing = true;
    }
  }
  if (!ok) {
    if (line.showing) std::fprintf(stderr, "\r\033[K");
    line.showing = false;
    std::fprintf(stderr, "pglab %s: %s\n", cmd, s.fault().c_str());
    return false;
  }
  make_due_changes(s, plan);
  return true;
}

namespace {

// "%g" of a range's end: 1e+06 reads as 1000000.
std::string range_end(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, std::abs(v) >= 1e5 && v == std::floor(v) ? "%.0f" : "%g", v);
  return buf;
}

}  // namespace

CLI::Validator finite_number() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        // Decimal, as --set and every list read numbers (util/number_text.h): 0x10 is refused.
        double v = 0.0;
        if (!read_decimal(text, &v)) return quote(text) + " is not a number";
        if (!std::isfinite(v)) return quote(text) + " is not a finite number";
        return "";
      },
      "FINITE");
}

CLI::Validator number_in(double lo, double hi) {
  return CLI::Validator(
      [lo, hi](std::string& text) -> std::string {
        const std::string range = "a number in [" + range_end(lo) + ", " + range_end(hi) + "]";
        double v = 0.0;
        if (!read_decimal(text, &v)) return quote(text) + " is not a number; expected " + range;
        if (!std::isfinite(v)) return quote(text) + " is not a finite number; expected " + range;
        if (!(v >= lo && v <= hi)) return quote(text) + " is out of range; expected " + range;
        return "";
      },
      "NUMBER");
}

CLI::Validator one_of(std::vector<std::string> allowed) {
  std::string list;
  for (const std::string& a : allowed) list += (list.empty() ? "" : ", ") + a;
  return CLI::Validator(
      [allowed, list](std::string& text) -> std::string {
        for (const std::string& a : allowed)
          if (text == a) return "";
        return quote(text) + " is not allowed; expected one of: " + list;
      },
      "NAME");
}

CLI::Validator file_name() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        return text.empty() ? "an empty file name; give a path" : "";
      },
      "FILE");
}

CLI::Validator not_empty(std::string what) {
  return CLI::Validator(
      [what](std::string& text) -> std::string {
        return text.empty() ? "empty; expected " + what : "";
      },
      "");
}

CLI::Validator integer_in(int64_t lo, int64_t hi) {
  return CLI::Validator(
      [lo, hi](std::string& text) -> std::string {
        const std::string range =
            "an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]";
        // Decimal digits with an optional sign, as --set reads integers.
        const size_t digits = !text.empty() && (text[0] == '-' || text[0] == '+') ? 1 : 0;
        const bool integer = text.size() > digits && text.size() <= digits + 19 &&
                             std::all_of(text.begin() + static_cast<std::ptrdiff_t>(digits),
                                         text.end(), [](char c) { return c >= '0' && c <= '9'; });
        if (!integer) return "'" + printable(text) + "' is not an integer; expected " + range;
        const long long v = std::strtoll(text.c_str(), nullptr, 10);  // saturates beyond 19 digits
        if (v < lo || v > hi) return "'" + printable(text) + "' is out of range; expected " + range;
        return "";
      },
      "INT");
}

}  // namespace pg::cli
