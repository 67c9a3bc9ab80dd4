#pragma once
// Session files, format pglab.session/1 (DESIGN.md §3b; the README documents it field by field).
//
//   save_session_file(session, "demo.pglab.json");       // atomically: temp file, then rename
//   Session s = load_session_file("demo.pglab.json");    // continues exactly where it stopped
//
// A file holds the resolved scenario the run started from (a gridworld's map text inline, so the
// file stands alone), the live changes made since (Session::changes(), replayed where they were
// made; files without the list have none),
// the position (iteration, episode and step counters, which key every random stream), θ, the
// critic's parameters, the optimizer's state, the history and a "views" object for view state.
//
// Restoring replays: the random numbers are counter-based (util/rng.h), so the scenario and the
// position determine every hidden piece of state too — Adam's moments, PPO's adaptive β, the
// off-policy behaviour ring, GRPO's reference policy, the critic's own Adam, the environments of
// segment collection in the middle of their episodes. load rebuilds the session from the scenario,
// runs it to the saved position, and then requires θ, critic, optimizer state and every history
// row to equal the file's bit for bit; a file that does not (edited numbers, another build with
// different arithmetic) is refused with the first difference. Continuing a loaded session is
// therefore bit-identical to never having stopped. Loading costs the time the run took.
//
// Saving happens only at an iteration boundary (phase collect, no step of the new iteration
// taken); elsewhere it is refused (InputError naming the phase). Every problem with a file being
// read — unreadable, not JSON, another format or version, wrong types, wrong parameter counts — is
// an InputError "file: what is wrong"; nothing else escapes, and nothing aborts.

#include <atomic>
#include <nlohmann/json.hpp>
#include <string>

#include "session/session.h"

namespace pg {

struct ViewState;  // io/view_state.h

inline constexpr const char* kSessionFormat = "pglab.session/1";

// The largest session file load reads, and save writes (a file save wrote and load refused was
// the bug: 100 000 bandit iterations are 25.8 MB, over the 16 MiB of other input files). Reading
// one takes about eight times its size in memory (the parsed JSON).
inline constexpr size_t kMaxSessionFileBytes = size_t{64} << 20;  // 64 MiB
// The size of s's session file after `more` iterations, roughly and from above: ~300 bytes per
// history row (200 to 250 measured), ~80 per parameter (θ, critic, the optimizer's moments) and
// 64 kB for the scenario, a map and the rest.
double session_file_bytes_estimate(const Session& s, long more_iterations);
// Throws InputError naming `key` when s's file after `more` iterations would exceed
// kMaxSessionFileBytes: what it would take and how many iterations fit.
void require_session_file_fits(const Session& s, long more_iterations, const std::string& key);

// Whether s may be saved now (an iteration boundary).
bool session_saveable(const Session& s);
// The file's JSON. Throws InputError when s is not at an iteration boundary. `views` is stored as
// given (the window's view state; {} from the CLI).
nlohmann::json session_json(const Session& s,
                            const nlohmann::json& views = nlohmann::json::object());
// Writes session_json(s) to `path` through a temporary file in the same directory and a rename,
// so an existing file is either replaced whole or left as it was. A write failure throws
// std::runtime_error "path: reason" (the CLI's exit 1); not being at a boundary, or a file over
// kMaxSessionFileBytes (which load would refuse), is an InputError and writes nothing.
void save_session_file(const Session& s, const std::string& path,
                       const nlohmann::json& views = nlohmann::json::object());

// Restores a session from parsed JSON; `file` names it in messages. *views receives the file's
// "views" object when views is not null. `cancel` (util/cancel.h) is given to the session: the
// replay throws Cancelled once it is set, and the restored session keeps polling it. `text`, when
// given, is the file's text: messages about the embedded scenario then name their line in it.
// "views" is checked before the replay (io/view_state.h), its lesson's shape always; with
// `view_state` not null the lesson it names is opened and checked too (the window, shot
// --session), and *view_state receives what it restores. Every refusal names the key's line.
// The replay takes as long as the run did: `progress`, when given, receives the iteration it has
// reached and `progress_total` (with it) the file's iteration, once the file is read.
Session session_from_json(const nlohmann::json& j, const std::string& file,
                          nlohmann::json* views = nullptr,
                          const std::atomic<bool>* cancel = nullptr, const std::string& text = "",
                          ViewState* view_state = nullptr, std::atomic<int>* progress = nullptr,
                          std::atomic<int>* progress_total = nullptr);
// Reads and restores a file.
Session load_session_file(const std::string& path, nlohmann::json* views = nullptr,
                          const std::atomic<bool>* cancel = nullptr,
                          ViewState* view_state = nullptr, std::atomic<int>* progress = nullptr,
                          std::atomic<int>* progress_total = nullptr);

}  // namespace pg
