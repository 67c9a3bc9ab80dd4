#include "io/session_file.h"

#include <climits>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <optional>
#include <system_error>

#include "critic/q_function.h"
#include "critic/value_function.h"
#include "io/atomic_file.h"
#include "io/history_rows.h"
#include "io/json_text.h"
#include "io/params.h"
#include "io/view_state.h"
#include "rollout/replay.h"
#include "session/budget.h"
#include "session/live_params.h"
#include "util/error.h"
#include "util/input_file.h"
#include "util/text.h"

namespace pg {

using nlohmann::json;

namespace {

json vector_json(const Eigen::VectorXd& v) {
  json a = json::array();
  for (Eigen::Index i = 0; i < v.size(); ++i) a.push_back(number_json(v[i]));
  return a;
}

bool same_bits(double a, double b) {
  return std::memcmp(&a, &b, sizeof a) == 0;
}

// The critic's parameters (empty without a critic).
Eigen::VectorXd critic_params(const ValueFunction* c) {
  if (const auto* t = dynamic_cast<const TabularValue*>(c)) return t->table();
  if (const auto* m = dynamic_cast<const MlpValue*>(c)) return m->net().params();
  return Eigen::VectorXd();
}

json optimizer_json(const Optimizer& o) {
  json j = {{"name", o.name()}, {"lr", number_json(o.lr())}};
  if (const auto* adam = dynamic_cast<const Adam*>(&o)) {
    j["steps"] = adam->steps();
    j["m"] = vector_json(adam->m());
    j["v"] = vector_json(adam->v());
  }
  return j;
}

// Reading: every access checked, every problem an InputError naming the file, the line of the
// key when the file's text is at hand, and the key: "s.json:812: changes[0].phase: missing".
class Reader {
 public:
  // `text`: the file's text (it must outlive the reader), "" when the JSON came from elsewhere.
  explicit Reader(std::string file, std::string_view text = {})
      : file_(std::move(file)), text_(without_bom(text)) {}

  [[noreturn]] void fail(const std::string& key, const std::string& what) const {
    throw InputError(file_line(file_, line_of(key)), key.empty() ? what : key + ": " + what);
  }

  // The checks of io/history_rows.h, failing here (with the key's line).
  JsonFail failer() const {
    return [this](const std::string& key, const std::string& what) { fail(key, what); };
  }

  const json& member(const json& obj, const std::string& key, const std::string& path) const {
    return json_member(obj, key, path, failer());
  }

  double number(const json& v, const std::string& key) const {
    return json_number(v, key, failer());
  }

  long integer(const json& v, const std::string& key, long lo, long hi) const {
    return json_integer(v, key, lo, hi, failer());
  }

  std::string string(const json& v, const std::string& key) const {
    if (!v.is_string()) fail(key, "expected a string, got " + brief_json(v, 60));
    return v.get<std::string>();
  }

  // A list of exactly n numbers.
  Eigen::VectorXd vector(const json& v, const std::string& key, Eigen::Index n) const {
    if (!v.is_array()) fail(key, "expected a list of numbers, got " + brief_json(v, 60));
    if (static_cast<Eigen::Index>(v.size()) != n)
      fail(key, "expected " + std::to_string(n) +
                    " numbers (this scenario's parameter count), got " + std::to_string(v.size()));
    Eigen::VectorXd out(n);
    for (Eigen::Index i = 0; i < n; ++i)
      out[i] = number(v[static_cast<size_t>(i)], key + "[" + std::to_string(i) + "]");
    return out;
  }

  const std::string& file() const { return file_; }

 private:
  // The line of `key` as the scenario and lesson loaders find theirs (json_key_lines: the same
  // dotted and indexed paths this reader names), or of its nearest enclosing key that has one
  // (a missing key: the object that lacks it; an element past json_key_lines' listing: its
  // list). 0 without text. Found only when a message needs it: a session file can hold 64 MiB.
  int line_of(const std::string& key) const {
    if (text_.empty() || key.empty()) return 0;
    if (!lines_) lines_ = json_key_lines(text_);
    for (std::string k = key; !k.empty();) {
      const auto it = lines_->find(k);
      if (it != lines_->end()) return it->second;
      const size_t cut = k.find_last_of(".[");
      if (cut == std::string::npos) break;
      k.resize(cut);
    }
    return json_root_line(text_);  // a top-level key missing: the object that lacks it
  }

  std::string file_;
  std::string_view text_;
  mutable std::optional<std::map<std::string, int>> lines_;
};

// FNV-1a (64 bits) over every stored transition of a replay buffer, oldest slot order irrelevant:
// slots 0..size−1 as the ring holds them, each field's bytes (indices, action, reward, flags, the
// collecting iteration, the features of s and s′). Equal buffers give equal digests; a replay that
// filled the ring differently gives another one (with probability 1 − 2⁻⁶⁴).
std::string replay_digest(const ReplayBuffer& buf) {
  uint64_t h = 1469598103934665603ull;
  auto mix = [&h](const void* p, size_t n) {
    const auto* c = static_cast<const unsigned char*>(p);
    for (size_t i = 0; i < n; ++i) h = (h ^ c[i]) * 1099511628211ull;
  };
  const int dim = buf.obs_dim();
  for (int k = 0; k < buf.size(); ++k) {
    const ObsRef o = buf.obs(k), n = buf.next_obs(k);
    const int ints[4] = {o.index, n.index, buf.action(k), buf.iteration(k)};
    const double r = buf.reward(k);
    const unsigned char flags[2] = {buf.terminated(k), buf.truncated(k)};
    mix(ints, sizeof ints);
    mix(&r, sizeof r);
    mix(flags, sizeof flags);
    if (dim > 0) {
      mix(o.x, sizeof(double) * dim);
      mix(n.x, sizeof(double) * dim);
    }
  }
  char text[24];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(h));
  return text;
}

json q_params_json(const QFunction* q) {
  return q ? vector_json(q->params()) : json(nullptr);
}

// A replay-based learner's state (Algorithm::replay_record()): α, the Q critics and their targets
// bit for bit, and the buffer as its counters and digest (the replay rebuilds it; README
// "Session files"). null for the other algorithms.
json replay_state_json(const Algorithm& alg) {
  const ReplayRecord r = alg.replay_record();
  if (!r.buffer) return nullptr;
  return {{"alpha", number_json(r.alpha)},
          {"q1", q_params_json(r.q1)},
          {"q2", q_params_json(r.q2)},
          {"target1", q_params_json(r.target1)},
          {"target2", q_params_json(r.target2)},
          {"buffer",
           {{"capacity", r.buffer->capacity()},
            {"size", r.buffer->size()},
            {"pushed", r.buffer->pushed()},
            {"digest", replay_digest(*r.buffer)}}}};
}

std::string describe_bits(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

// Requires the replayed values to equal the file's, bit for bit.
void require_same(const Reader& rd, const std::string& key, const Eigen::VectorXd& file_v,
                  const Eigen::VectorXd& replayed) {
  for (Eigen::Index i = 0; i < file_v.size(); ++i)
    if (!same_bits(file_v[i], replayed[i]))
      rd.fail(
          key + "[" + std::to_string(i) + "]",
          "is " + describe_bits(file_v[i]) + " but the replayed run gives " +
              describe_bits(replayed[i]) +
              "; the file was edited, or written by a build whose arithmetic differs — refused");
}

void require_same(const Reader& rd, const std::string& key, double file_v, double replayed) {
  if (!same_bits(file_v, replayed))
    rd.fail(key,
            "is " + describe_bits(file_v) + " but the replayed run gives " +
                describe_bits(replayed) +
                "; the file was edited, or written by a build whose arithmetic differs — refused");
}

// The file's algorithm.replay (when it has one) against the replayed run's: the same keys, every
// number bit for bit, the same buffer digest. A file written without it (before SAC kept it) is
// checked by the replay's θ and history alone.
void require_same_replay(const Reader& rd, const json& j, const Algorithm& alg) {
  const json& a = rd.member(j, "algorithm", "");
  if (!a.is_object() || !a.contains("replay") || a["replay"].is_null()) return;
  const json& file = a["replay"];
  const json now = replay_state_json(alg);
  if (now.is_null())
    rd.fail("algorithm.replay", "this scenario's algorithm keeps no replay buffer; expected none");
  require_same(rd, "algorithm.replay.alpha",
               rd.number(rd.member(file, "alpha", "algorithm.replay"), "algorithm.replay.alpha"),
               rd.number(now["alpha"], "algorithm.replay.alpha"));
  for (const char* key : {"q1", "q2", "target1", "target2"}) {
    const std::string k = std::string("algorithm.replay.") + key;
    const json& f = rd.member(file, key, "algorithm.replay");
    if (f.is_null() != now[key].is_null())
      rd.fail(k, now[key].is_null() ? "this scenario has no such critic; expected null"
                                    : "is null, but this scenario has that critic");
    if (f.is_null()) continue;
    const Eigen::VectorXd replayed = rd.vector(now[key], k, now[key].size());
    require_same(rd, k, rd.vector(f, k, replayed.size()), replayed);
  }
  const json& fb = rd.member(file, "buffer", "algorithm.replay");
  for (const char* key : {"capacity", "size", "pushed", "digest"}) {
    const std::string k = std::string("algorithm.replay.buffer.") + key;
    if (rd.member(fb, key, "algorithm.replay.buffer") != now["buffer"][key])
      rd.fail(k, brief_json(fb[key], 60) + " but the replayed run's buffer has " +
                     brief_json(now["buffer"][key], 60) + " — refused");
  }
}

}  // namespace

bool session_saveable(const Session& s) {
  return s.fault().empty() && s.phase() == Phase::kCollect && s.batch_complete();
}

json session_json(const Session& s, const json& views) {
  if (!s.fault().empty())
    throw InputError("session", "a session paused by a fault cannot be saved (" + s.fault() +
                                    "); reset it first");
  if (!session_saveable(s))
    throw InputError("session",
                     std::string("can be saved only between iterations; it is in phase ") +
                         name_of(s.phase()) + " of iteration " + std::to_string(s.iteration()) +
                         " — finish the iteration first");
  // The scenario the run started from; `changes` takes it to the settings of now (replayed).
  const Scenario& sc = s.start_scenario();
  json j;
  j["format"] = kSessionFormat;
  j["scenario"] = sc.resolved;
  j["source"] = sc.source;
  json edits = json::array();
  if (sc.env.kind == EnvKind::kGridworld) {
    std::string text = sc.env.map_text;
    if (!s.world_changes().empty()) {
      // Edited by hand during the run: the file starts from the world the run started on and
      // lists the edits with the iteration each took effect at; loading replays them.
      const GridWorldSpec& w0 = s.start_world();
      j["scenario"]["env"]["slip"] = w0.slip;
      j["scenario"]["env"]["gamma"] = w0.gamma;
      text = serialize_grid_map(w0.map);
      for (const WorldChange& c : s.world_changes())
        edits.push_back({{"iteration", c.iteration},
                         {"map_text", serialize_grid_map(c.world.map)},
                         {"slip", c.world.slip},
                         {"gamma", c.world.gamma}});
    }
    if (text.empty())
      text = read_input_file(scenario_map_path(sc), "map file", "a text map (# . S G X)");
    j["map_text"] = text;
  } else {
    j["map_text"] = nullptr;
  }
  j["world_edits"] = std::move(edits);
  j["position"] = {{"iteration", s.iteration()},
                   {"phase", name_of(s.phase())},
                   {"episodes", s.total_episodes()},
                   {"steps", s.total_steps()}};
  j["rng"] = {{"seed", sc.seed},
              {"streams",
               "counter-based: each keyed by (seed, iteration, episode, purpose); "
               "position.iteration and the per-iteration episode numbers are the counters"}};
  j["policy"] = {{"kind", name_of(s.policy().kind())},
                 {"num_params", s.policy().num_params()},
                 {"theta", vector_json(s.policy().params())}};
  if (s.critic()) {
    j["critic"] = {{"kind", name_of(s.critic()->kind())},
                   {"num_params", s.critic()->num_params()},
                   {"params", vector_json(critic_params(s.critic()))}};
  } else {
    j["critic"] = nullptr;
  }
  j["optimizer"] = optimizer_json(s.optimizer_state());
  j["algorithm"] = {
      {"name", s.algorithm().name()},
      {"state", "replayed: determined by the scenario and position (see the README)"}};
  if (json replay = replay_state_json(s.algorithm()); !replay.is_null())
    j["algorithm"]["replay"] = std::move(replay);
  json hist = json::array();
  for (size_t i = 0; i < s.history().size(); ++i) hist.push_back(history_row_json(s.history()[i]));
  j["history"] = std::move(hist);
  j["changes"] = changes_json(s.changes());
  j["views"] = views.is_object() ? views : json::object();
  return j;
}

double session_file_bytes_estimate(const Session& s, long more_iterations) {
  const double params =
      static_cast<double>(s.policy().num_params()) + (s.critic() ? s.critic()->num_params() : 0);
  return 65536.0 + 80.0 * params +
         300.0 * (static_cast<double>(s.history().size()) + static_cast<double>(more_iterations));
}

void require_session_file_fits(const Session& s, long more_iterations, const std::string& key) {
  const double bytes = session_file_bytes_estimate(s, more_iterations);
  const double cap = static_cast<double>(kMaxSessionFileBytes);
  if (bytes <= cap) return;
  const double rows_room =
      (cap - session_file_bytes_estimate(s, 0)) / 300.0 + static_cast<double>(s.history().size());
  throw InputError(key, "a session of " + std::to_string(s.history().size() + more_iterations) +
                            " iterations makes a file of about " + format_bytes(bytes) +
                            "; session files hold at most " + format_bytes(cap) + " (about " +
                            std::to_string(std::max(0L, static_cast<long>(rows_room))) +
                            " iterations of this one): save fewer iterations");
}

void save_session_file(const Session& s, const std::string& path, const json& views) {
  require_session_file_fits(s, 0, shorten_path(path));  // before the JSON takes its memory
  // Keys in the README's order, "format" first (json sorts them; ordered_json keeps insertion
  // order).
  const json j = session_json(s, views);
  nlohmann::ordered_json o;
  for (const char* key :
       {"format", "scenario", "source", "map_text", "world_edits", "position", "rng", "policy",
        "critic", "optimizer", "algorithm", "history", "changes", "views"})
    o[key] = nlohmann::ordered_json::parse(safe_dump(j.at(key)));
  const std::string text = o.dump(1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  if (text.size() > kMaxSessionFileBytes)
    throw InputError(shorten_path(path),
                     "the session file would be " + format_bytes(static_cast<double>(text.size())) +
                         "; session files hold at most " + format_bytes(kMaxSessionFileBytes) +
                         ": save fewer iterations");
  // Written beside `path` and renamed over it (io/atomic_file.h): a failed or interrupted save
  // leaves the previous file whole.
  const std::string err = write_file_atomic(path, text);
  if (!err.empty()) {
    // err is "<path>: cannot <step>: <reason>"; the message names the file once.
    const std::string why =
        err.compare(0, path.size() + 2, path + ": ") == 0 ? err.substr(path.size() + 2) : err;
    throw std::runtime_error(shorten_path(path) + ": cannot write the session file (" + why + ")");
  }
}

Session session_from_json(const json& j, const std::string& file, json* views,
                          const std::atomic<bool>* cancel, const std::string& text,
                          ViewState* view_state, std::atomic<int>* progress,
                          std::atomic<int>* progress_total) {
  const Reader rd(shorten_path(file), text);
  if (!j.is_object())
    rd.fail("", "a session file is a JSON object {\"format\": \"pglab.session/1\", ...}, not " +
                    std::string(j.type_name()));
  if (!j.contains("format"))
    rd.fail("format", "missing; a session file starts {\"format\": \"pglab.session/1\", ...}");
  const std::string format = rd.string(j["format"], "format");
  if (format != kSessionFormat) {
    if (format.rfind("pglab.session/", 0) == 0)
      rd.fail("format", "this file is " + quote(format) + "; this pglab reads " + kSessionFormat +
                            " only (a file from another version of pglab)");
    if (format == kLessonFormat)
      rd.fail("format", "this is a lesson (" + std::string(kLessonFormat) +
                            "), not a session file (" + kSessionFormat +
                            "); open it with pglab lesson or pglab shot --lesson");
    rd.fail("format", quote(format) + " is not a session file; expected " + kSessionFormat);
  }
  // The scenario, validated as a scenario file would be.
  const json& scen = rd.member(j, "scenario", "");
  if (!scen.is_object()) rd.fail("scenario", "expected an object, got " + brief_json(scen, 60));
  // Its messages name the file once, the line in it (when the text is at hand) and the key as
  // the file spells it: "s.json:14: scenario.algorithm.lr: …".
  Scenario sc = parse_embedded_scenario(scen, text, file, "scenario.");
  sc.source = rd.file() + " (scenario)";  // not a scenario file: where_in_source names keys only
  if (j.contains("source") && j["source"].is_string()) sc.source = j["source"].get<std::string>();
  // map_text is the map used on load (the file stands alone): null for worlds without one, never
  // absent — a gridworld file without it would load whatever map scenario.env.map names now.
  if (rd.member(j, "map_text", "").is_null() && sc.env.kind == EnvKind::kGridworld)
    rd.fail("map_text", "is null, but a gridworld's file holds its map's text");
  if (!j["map_text"].is_null()) {
    sc.env.map_text = rd.string(j["map_text"], "map_text");
    if (sc.env.map_text.empty()) rd.fail("map_text", "is empty; expected the map's text or null");
  }

  const json& pos = rd.member(j, "position", "");
  const long iteration =
      rd.integer(rd.member(pos, "iteration", "position"), "position.iteration", 0, 10000000);
  const long episodes =
      rd.integer(rd.member(pos, "episodes", "position"), "position.episodes", 0, LONG_MAX);
  const long steps = rd.integer(rd.member(pos, "steps", "position"), "position.steps", 0, LONG_MAX);
  const std::string phase = rd.string(rd.member(pos, "phase", "position"), "position.phase");
  if (phase != name_of(Phase::kCollect))
    rd.fail("position.phase",
            quote(phase) + "; sessions are saved between iterations, phase \"collect\"");

  // Worlds edited by hand: each {"iteration", "map_text", "slip", "gamma"}, in order (additive key;
  // absent in files without edits).
  std::vector<WorldChange> edits;
  if (j.contains("world_edits")) {
    const json& we = j["world_edits"];
    if (!we.is_array())
      rd.fail("world_edits", "expected a list of edits, got " + brief_json(we, 60));
    if (!we.empty() && sc.env.kind != EnvKind::kGridworld)
      rd.fail("world_edits", "only gridworlds are edited by hand; this scenario's env.kind is " +
                                 quote(name_of(sc.env.kind)));
    for (size_t k = 0; k < we.size(); ++k) {
      const std::string key = "world_edits[" + std::to_string(k) + "]";
      WorldChange c;
      c.iteration =
          static_cast<int>(rd.integer(rd.member(we[k], "iteration", key), key + ".iteration",
                                      edits.empty() ? 0 : edits.back().iteration, iteration));
      const std::string text = rd.string(rd.member(we[k], "map_text", key), key + ".map_text");
      try {
        c.world.map = parse_grid_map(text, scenario_map_path(sc));
      } catch (const InputError& e) {
        rd.fail(key + ".map_text", e.problem());
      }
      c.world.slip = rd.number(rd.member(we[k], "slip", key), key + ".slip");
      c.world.gamma = rd.number(rd.member(we[k], "gamma", key), key + ".gamma");
      edits.push_back(std::move(c));
    }
  }

  // Everything the file claims, read (and type-checked) before the replay.
  const json& hist = rd.member(j, "history", "");
  if (!hist.is_array()) rd.fail("history", "expected a list of rows, got " + brief_json(hist, 60));
  if (static_cast<long>(hist.size()) != iteration)
    rd.fail("history", "has " + std::to_string(hist.size()) + " rows but position.iteration is " +
                           std::to_string(iteration) + "; one row per iteration");
  std::vector<IterationRecord> rows(hist.size());
  for (size_t i = 0; i < hist.size(); ++i)
    rows[i] = read_history_row(hist[i], "history[" + std::to_string(i) + "]", rd.failer());
  json views_j = j.contains("views") ? j["views"] : json::object();
  // A lesson named by a relative path ("tl/mylesson.json", as it was opened) is looked for beside
  // the session file first, then as given (the current directory, a shipped name): a shared
  // folder of session + lesson opens from any directory (audit a14 F2: it was refused from
  // anywhere but the directory it was saved in). The name is kept absolute from then on.
  if (!file.empty() && views_j.is_object() && views_j.contains("lesson") &&
      views_j["lesson"].is_object() && views_j["lesson"].contains("name") &&
      views_j["lesson"]["name"].is_string()) {
    const std::string name = views_j["lesson"]["name"].get<std::string>();
    namespace fs = std::filesystem;
    std::error_code ec;
    if (!name.empty() && name.size() < 4096 && !fs::path(name).is_absolute()) {
      const fs::path beside = fs::absolute(fs::path(file).parent_path() / name, ec);
      if (!ec && fs::is_regular_file(beside, ec))
        views_j["lesson"]["name"] = beside.lexically_normal().string();
    }
  }
  if (!views_j.is_object()) rd.fail("views", "expected an object, got " + brief_json(views_j, 60));
  // The window's view state, checked as the window checks it (io/view_state.h) before the replay:
  // a file the window refuses is refused by every loader.
  // (The lesson it names is the window's to open: opened only when the caller restores it.)
  ViewState restored = read_view_state(
      views_j, [&](const std::string& key, const std::string& what) { rd.fail(key, what); },
      view_state != nullptr, iteration);

  Session s = [&] {
    try {
      return Session(sc, cancel);
    } catch (const InputError& e) {
      // A rule only the built session checks (a bump's width, a tabular policy's precision, the
      // memory budget) names its key: here, the line of that key in the file's scenario block.
      const std::string& w = e.where();
      const size_t colon = w.rfind(": ");
      const std::string key = colon == std::string::npos ? w : w.substr(colon + 2);
      if (find_param(key)) rd.fail("scenario." + key, e.problem());
      rd.fail("", std::string("scenario: ") + e.what());
    }
  }();
  // An edit is applied to `to` (the replay, or the probe), naming the edit in a message.
  auto apply_edit = [&](Session& to, size_t k) {
    try {
      to.set_world(edits[k].world);
    } catch (const InputError& e) {
      rd.fail("world_edits[" + std::to_string(k) + "]", e.problem());
    }
  };
  // Parameter counts are checked against the scenario before anything runs — with edits, against
  // the last edited world (the probe: the session with every edit applied at once).
  std::optional<Session> probe;
  if (!edits.empty()) {
    probe.emplace(s);
    for (size_t k = 0; k < edits.size(); ++k) apply_edit(*probe, k);
  }
  const Session& shape = probe ? *probe : s;
  // The file's copies of what the scenario decides (the seed, the parameter counts) must agree
  // with it: an edited copy would otherwise be ignored without a word.
  auto agrees = [&](const json& obj, const char* key, const std::string& path, long want,
                    const std::string& what) {
    if (!obj.is_object() || !obj.contains(key)) return;  // files written before the key existed
    const long got = rd.integer(obj[key], path, LONG_MIN, LONG_MAX);
    if (got != want)
      rd.fail(path, std::to_string(got) + ", but " + what + " is " + std::to_string(want) +
                        ": the file disagrees with its scenario — refused");
  };
  // The names the file gives its policy, critic and algorithm: informative (the scenario decides),
  // but a file whose names disagree with its scenario was edited by hand — refused, as numbers are.
  auto agrees_name = [&](const json& obj, const char* key, const std::string& path,
                         const std::string& want) {
    if (!obj.is_object() || !obj.contains(key)) return;  // files written before the key existed
    const std::string got = rd.string(obj[key], path);
    if (got != want)
      rd.fail(path, quote(got) + ", but the scenario's is " + quote(want) +
                        ": the file disagrees with its scenario — refused");
  };
  {
    // Required, as every key the format writes but source, world_edits, changes and views (README
    // "Session files"): the seed's second copy, checked against the scenario's.
    const json& rng = rd.member(j, "rng", "");
    if (!rng.is_object()) rd.fail("rng", "expected an object, got " + brief_json(rng, 60));
    rd.member(rng, "seed", "rng");
    {
      if (!rng["seed"].is_number_unsigned())
        rd.fail("rng.seed", "expected an integer ≥ 0, got " + brief_json(rng["seed"], 60));
      if (rng["seed"] != json(s.scenario().seed))
        rd.fail("rng.seed", brief_json(rng["seed"], 60) + ", but the scenario's seed is " +
                                std::to_string(s.scenario().seed) +
                                ": the file disagrees with its scenario — refused");
    }
  }
  const json& pol = rd.member(j, "policy", "");
  agrees_name(pol, "kind", "policy.kind", name_of(shape.policy().kind()));
  agrees_name(rd.member(j, "algorithm", ""), "name", "algorithm.name", shape.algorithm().name());
  agrees(pol, "num_params", "policy.num_params", shape.policy().num_params(),
         "the scenario's policy's parameter count");
  const Eigen::VectorXd theta =
      rd.vector(rd.member(pol, "theta", "policy"), "policy.theta", shape.policy().num_params());
  const json& crit = rd.member(j, "critic", "");
  Eigen::VectorXd phi;
  if (shape.critic()) {
    if (crit.is_null()) rd.fail("critic", "is null, but this scenario has a critic");
    agrees_name(crit, "kind", "critic.kind", name_of(shape.critic()->kind()));
    agrees(crit, "num_params", "critic.num_params", shape.critic()->num_params(),
           "the scenario's critic's parameter count");
    phi = rd.vector(rd.member(crit, "params", "critic"), "critic.params",
                    critic_params(shape.critic()).size());
  } else if (!crit.is_null()) {
    rd.fail("critic", "this scenario has no critic; expected null");
  }
  const json& opt = rd.member(j, "optimizer", "");
  const std::string opt_name = rd.string(rd.member(opt, "name", "optimizer"), "optimizer.name");
  const double opt_lr = rd.number(rd.member(opt, "lr", "optimizer"), "optimizer.lr");
  long adam_steps = 0;
  Eigen::VectorXd adam_m, adam_v;
  const bool file_adam = opt_name == "adam";
  if (file_adam) {
    adam_steps = rd.integer(rd.member(opt, "steps", "optimizer"), "optimizer.steps", 0, LONG_MAX);
    // Adam sizes its moments on its first step.
    const Eigen::Index n = adam_steps > 0 ? shape.policy().num_params() : 0;
    adam_m = rd.vector(rd.member(opt, "m", "optimizer"), "optimizer.m", n);
    adam_v = rd.vector(rd.member(opt, "v", "optimizer"), "optimizer.v", n);
  }
  // Live changes (absent from files written before they existed: none).
  std::vector<SettingChange> changes;
  if (j.contains("changes")) {
    const json& cj = j["changes"];
    if (!cj.is_array()) rd.fail("changes", "expected a list of changes, got " + brief_json(cj, 60));
    for (size_t i = 0; i < cj.size(); ++i) {
      const std::string k = "changes[" + std::to_string(i) + "]";
      SettingChange c;
      c.iteration = static_cast<int>(
          rd.integer(rd.member(cj[i], "iteration", k), k + ".iteration", 0, iteration));
      c.phase = rd.string(rd.member(cj[i], "phase", k), k + ".phase");
      c.key = rd.string(rd.member(cj[i], "key", k), k + ".key");
      c.old_value = rd.member(cj[i], "old", k);
      c.new_value = rd.member(cj[i], "new", k);
      changes.push_back(std::move(c));
    }
  }

  // The replay: the same scenario from iteration 0 to the saved position, with the changes made
  // where they were made and each world edit taking effect at the start of its iteration (before
  // that iteration's changes, as a queued edit and queued changes are made at a boundary).
  if (progress && progress_total)
    progress_total->store(static_cast<int>(iteration), std::memory_order_relaxed);
  try {
    if (!replay_run(s, changes, edits, static_cast<int>(iteration), progress))
      rd.fail("position.iteration", "the replay paused at a fault in iteration " +
                                        std::to_string(s.iteration()) + " (" + s.fault() +
                                        "); the file cannot be restored");
  } catch (const InputError& e) {
    if (e.where().rfind("changes[", 0) == 0 || e.where().rfind("world_edits[", 0) == 0)
      rd.fail(e.where(), e.problem());
    throw;
  }
  if (opt_name != s.optimizer_state().name())
    rd.fail("optimizer.name", quote(opt_name) + " but the replayed run's algorithm.optimizer is " +
                                  quote(s.optimizer_state().name()));
  const auto* adam_now = dynamic_cast<const Adam*>(&s.optimizer_state());
  require_same(rd, "policy.theta", theta, s.policy().params());
  if (s.critic()) require_same(rd, "critic.params", phi, critic_params(s.critic()));
  require_same(rd, "optimizer.lr", opt_lr, s.optimizer_state().lr());
  if (adam_now) {
    const auto& adam = dynamic_cast<const Adam&>(s.optimizer_state());
    if (adam.steps() != adam_steps)
      rd.fail("optimizer.steps", std::to_string(adam_steps) + " but the replayed run took " +
                                     std::to_string(adam.steps()) + " steps — refused");
    if (adam.m().size() != adam_m.size())
      rd.fail("optimizer.m", "has " + std::to_string(adam_m.size()) +
                                 " numbers; the replayed run has " +
                                 std::to_string(adam.m().size()));
    require_same(rd, "optimizer.m", adam_m, adam.m());
    require_same(rd, "optimizer.v", adam_v, adam.v());
  }
  require_same_replay(rd, j, s.algorithm());
  if (s.total_episodes() != episodes || s.total_steps() != steps)
    rd.fail("position", "episodes " + std::to_string(episodes) + " and steps " +
                            std::to_string(steps) + " but the replayed run has " +
                            std::to_string(s.total_episodes()) + " and " +
                            std::to_string(s.total_steps()) + " — refused");
  for (size_t i = 0; i < rows.size(); ++i) {
    const IterationRecord& a = rows[i];
    const IterationRecord& b = s.history()[i];
    const std::string k = "history[" + std::to_string(i) + "]";
    if (a.iteration != b.iteration || a.episodes != b.episodes || a.steps != b.steps)
      rd.fail(k, "its counters differ from the replayed run's — refused");
    require_same(rd, k + ".return_mean", a.return_mean, b.return_mean);
    require_same(rd, k + ".return_std", a.return_std, b.return_std);
    require_same(rd, k + ".grad_norm", a.grad_norm, b.grad_norm);
    require_same(rd, k + ".entropy", a.entropy, b.entropy);
    require_same(rd, k + ".exact_J", a.exact_J, b.exact_J);
  }
  if (views) *views = views_j;
  if (view_state) *view_state = std::move(restored);
  return s;
}

Session load_session_file(const std::string& path, json* views, const std::atomic<bool>* cancel,
                          ViewState* view_state, std::atomic<int>* progress,
                          std::atomic<int>* progress_total) {
  const std::string text =
      read_input_file(path, "session file", "a pglab.session/1 JSON file", kMaxSessionFileBytes);
  json j;
  JsonProblem problem;
  if (!parse_json_text(text, &j, &problem)) {
    std::string where = json_problem_where(shorten_path(path), problem);
    throw InputError(where,
                     problem.reason +
                         (problem.key.empty() ? "" : " (key " + printable(problem.key) + ")") +
                         "; a session file is pglab.session/1 JSON");
  }
  return session_from_json(j, path, views, cancel, text, view_state, progress, progress_total);
}

}  // namespace pg
