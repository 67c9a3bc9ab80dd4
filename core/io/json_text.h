#pragma once
// Reading JSON a user wrote, safely (the boundary of STYLE.md §7).
//
// nlohmann's json::parse throws several exception types (parse_error, out_of_range for 1e999, …)
// and builds any depth, which a recursive dump() then overflows the stack on. parse_json_text
// never throws: it refuses nesting deeper than kMaxJsonDepth, and reports any failure as a
// JsonProblem with line, column, the dotted key being read and a reason a person can act on
// ("comments are not allowed in JSON", "not a text file", "number 1e999 is out of range").

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace pg {

inline constexpr int kMaxJsonDepth = 64;

struct JsonProblem {
  int line = 0;     // 1-based; 0: unknown
  int column = 0;   // 1-based byte column; 0: unknown
  std::string key;  // dotted path of the object key being read ("env.gamma"), "" at the top
  std::string reason;
  bool repeated_key = false;  // a key given twice (the reason says so; the value is not at fault)
};

// "file:line:column" of a problem, "file:line" without a column, "file" without a line.
std::string json_problem_where(const std::string& shown_file, const JsonProblem& problem);

// Parses `text` (a UTF-8 byte-order mark at the front is skipped). True on success; false with
// *problem filled in otherwise.
bool parse_json_text(std::string_view text, nlohmann::json* out, JsonProblem* problem,
                     int max_depth = kMaxJsonDepth);

// 1-based line of each object key and array element in valid JSON `text`, by path: "env.gamma"
// → 4, "steps[2]" → the line its element starts on, "steps[2].check.claim" → 31. A key given
// twice maps to its last spelling (the value nlohmann keeps). Scenario errors look up dotted keys,
// lesson errors indexed paths; one finder serves both.
std::map<std::string, int> json_key_lines(std::string_view text);
// 1-based line where the top-level value starts (its '{'), for a key missing at the top level
// ("algorithm: missing" names the object that lacks it, as a nested key names its object); 1 for
// text that is empty or all blank.
int json_root_line(std::string_view text);

// A JSON value for a message: at most max_chars characters, nested values elided, strings made
// printable (never throws, never recurses deeper than a few levels).
std::string brief_json(const nlohmann::json& v, size_t max_chars = 200);

// The one form of a check's message (issue 8: what was given and what is allowed):
// expected_got("an integer in " + range_text(1, 100000), true) is "expected an integer in
// [1, 100000], got true". Every range and type check of a file's or a flag's value says it so.
std::string expected_got(const std::string& allowed, const nlohmann::json& given);

// json::dump that never throws on invalid UTF-8 (replaces it with U+FFFD).
std::string safe_dump(const nlohmann::json& v, int indent = -1);

}  // namespace pg
