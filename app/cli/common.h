#pragma once
// What the subcommands share: loading a scenario with --set and --seed, progress on a terminal.

#include <CLI/CLI.hpp>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

#include "io/scenario.h"
#include "session/live_params.h"
#include "util/error.h"

namespace pg {
class Session;
}  // namespace pg

namespace pg::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;
inline constexpr int kExitUsage = 2;

// The options every scenario-driven subcommand takes.
// An option and the file it names ("--csv", "out.csv").
struct NamedPath {
  std::string key, path;
};
// Throws InputError naming the output's option when an output names the same file as an input
// (train --load s.json --csv s.json wrote CSV over the session) or as another output. "" and "-"
// (standard output) are skipped. Inputs are the files read (scenario_inputs, lesson_inputs), not
// the text given: a shipped scenario's name is its file in the asset directory.
// Two outputs that both say "-" are refused too: standard output holds one stream.
void require_distinct_files(const std::vector<NamedPath>& outputs,
                            const std::vector<NamedPath>& inputs);
// The files a run of `s` reads, for require_distinct_files: the scenario's own file, named by
// `key` ("--scenario"; a shipped scenario's name is its file in the asset directory, so an output
// given as that file is refused too), and the map file env.map names (a gridworld whose map is not
// held inline).
std::vector<NamedPath> scenario_inputs(const Scenario& s, const std::string& key);
// The files opening the lesson `path_or_name` reads: the lesson file ("--lesson") and each step's
// scenario file and map. A lesson that does not load gives the lesson file alone (its problem is
// reported when it opens).
std::vector<NamedPath> lesson_inputs(const std::string& path_or_name);
// Throws InputError naming `key` when `path` is "-": `what` (a session file, a PNG) cannot go to
// standard output (it wrote a file literally named '-').
void require_not_stdout(const std::string& key, const std::string& path, const std::string& what);
// Throws InputError naming the option when an output cannot be written (output_file_problem in
// io/atomic_file.h: a missing directory, a directory given as the file, ...): called before any
// work, so `seeds --csv /nonexistent/x.csv` is exit 2 at once, not exit 1 after the runs.
// `in_place`: the outputs written line by line (train --csv).
void require_writable(const std::vector<NamedPath>& outputs,
                      const std::vector<std::string>& in_place = {});

struct ScenarioArgs {
  std::string scenario;
  std::vector<std::string> sets;
  int64_t seed = -1;  // -1: the scenario's
  // The command's own option that sets the seed ("--seed"; seeds: "--seeds", one run per seed). A
  // --set seed=… beside it is refused by resolve(): one value, one source.
  std::string seed_option = "--seed";
};

// `with_seed`: also --seed (seeds takes its seeds from --seeds instead).
void add_scenario_options(CLI::App& cmd, ScenarioArgs& args, bool required = true,
                          bool with_seed = true);
// Loads, applies --set in order, then --seed. Throws InputError. `changes` (--change texts): a
// --set key that does nothing now but applies once a live change is made is kept. A --set seed=…
// is refused beside --seed (two sources for one value) and in seeds (whose --seeds sets it).
Scenario resolve(const ScenarioArgs& args, const std::vector<std::string>& changes = {});

// --change ITER:key=value (repeatable): a live change made at that iteration's boundary (train,
// grad, shot), so a live session can be reproduced headless.
void add_change_option(CLI::App& cmd, std::vector<std::string>& changes);
// A flag without a value (--json): given twice, or with a value (--json=false, --json=true), it
// is refused like an option given twice (parse_error.cpp, switch_value_error), not silently taken.
CLI::Option* add_switch(CLI::App& cmd, const std::string& name, bool& value,
                        const std::string& description);
// "" or the one-line refusal of a switch given a value ("--json=true") among the arguments, for
// the subcommand they name. Checked before parsing: CLI11 takes a value equal to the default.
std::string switch_value_error(int argc, const char* const* argv);
// Parses every --change (InputError: exit 2, one line).
std::vector<ScheduledChange> parse_changes(const std::vector<std::string>& texts);

// A lab in core names its inputs as the window does ("axes", "grid"); on the command line they are
// flags. Returns `e` with where() "X" made "--X" when X is one of `names`, else `e` unchanged, so
// every message of a subcommand names its flags one way ("axes:" and "--axes:" both appeared).
InputError as_flag_error(const InputError& e, std::initializer_list<const char*> names);

// The one line for a CLI11 parse error, in pglab's words (parse_error.cpp): "--actions given twice;
// give all its values in one comma-separated list", "--out: required: output JSON file …",
// "'--iter' is not an option of pglab train; did you mean --iterations?", each with "(see 'pglab
// SUB --help')". A flag whose type name starts with LIST takes a comma-separated list.
std::string parse_error_message(const CLI::ParseError& e, const CLI::App& app);

bool stderr_is_terminal();

// load_session_file with the stop flag (stop_signal.h): the replay takes as long as the saved run
// did, so on a terminal, once it has taken over a second, "pglab CMD: replaying the session file:
// k/n iterations" shows where it is.
Session load_replaying(const std::string& path, const char* cmd);

// Trains `n` iterations before an analysis (making the planned live changes where they are due).
// On a terminal, once it has taken over a second, "pglab CMD: training iteration k of n" shows
// where it is. Prints "pglab CMD: <fault>" and returns false when the session pauses at a fault.
bool train_before(Session& s, int n, const char* cmd,
                  const std::vector<ScheduledChange>& plan = {});

// CLI11 check for a flag that takes a finite number: refuses nan and inf (which CLI11 reads as
// numbers), so e.g. `--until-return nan` is bad usage, not a silently ignored flag.
CLI::Validator finite_number();

// A finite number in [lo, hi]: "'abc' is not a number; expected a number in [0, 1000000]" (CLI11's
// Range said "Value abc not in range 0.000000 to 1000000.000000", and beside finite_number both
// messages joined by AND).
CLI::Validator number_in(double lo, double hi);
// One of `allowed`: "'x' is not allowed; expected one of: a, b" (CLI11's IsMember said "x not in
// {a,b}").
CLI::Validator one_of(std::vector<std::string> allowed);

// CLI11 check for a flag that names a file: refuses an empty name, which every subcommand would
// otherwise read as the flag left out (`--save ""` saved nothing and exited 0).
CLI::Validator file_name();
// CLI11 check for a text flag whose empty value would read as the flag left out (`--fork ''` ran
// no fork and exited 0): "empty; expected <what>", the words the flag's own check uses.
CLI::Validator not_empty(std::string what);
// An integer in [lo, hi]: "'abc' is not an integer; expected an integer in [1, 10000000]" (CLI11's
// Range said "Value abc not in range 1 to 10000000" of text that is no number at all).
CLI::Validator integer_in(int64_t lo, int64_t hi);

}  // namespace pg::cli
