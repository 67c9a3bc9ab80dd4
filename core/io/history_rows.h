#pragma once
// A session file's history rows, written and read in one place (README "Session files"): the
// file's own "history" and a pinned run's curve in views.compare.pins[i].rows (io/view_state.h)
// share the layout and the checks, so a row one of them refuses the other refuses too.
//
//   {"iteration", "episodes", "steps", "return_mean", "return_std", "grad_norm", "entropy",
//    "exact_J"}   — the CSV's columns; numbers as number_json writes them.

#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "session/history.h"

namespace pg {

// fail(key, what) must throw: key is the full path in the file ("history[3].entropy").
using JsonFail = std::function<void(const std::string& key, const std::string& what)>;

// A double as JSON: finite values as numbers (nlohmann writes the shortest text that reads back
// to the same bits, -0.0 included), the others as the strings "nan", "inf", "-inf" (JSON has no
// such numbers; nlohmann would write null).
nlohmann::json number_json(double v);
nlohmann::json history_row_json(const IterationRecord& r);

// Checked reads, each failing with the key's path and what was expected.
// obj[key]; `path` is obj's own path ("" at the top level): "position.iteration: missing".
const nlohmann::json& json_member(const nlohmann::json& obj, const std::string& key,
                                  const std::string& path, const JsonFail& fail);
// A number, or one of the strings number_json writes for NaN and ±∞.
double json_number(const nlohmann::json& v, const std::string& key, const JsonFail& fail);
// An integer in [lo, hi].
long json_integer(const nlohmann::json& v, const std::string& key, long lo, long hi,
                  const JsonFail& fail);
// One row at `key` ("history[3]"): every column present and of its type.
IterationRecord read_history_row(const nlohmann::json& h, const std::string& key,
                                 const JsonFail& fail);

}  // namespace pg
