#include "io/json_text.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>
#include <vector>

#include "util/error.h"
#include "util/input_file.h"
#include "util/text.h"

namespace pg {

namespace {

using json = nlohmann::json;

// nlohmann's DOM builder behind a depth limit, remembering the key being read and the error.
class BoundedSax : public nlohmann::json_sax<json> {
 public:
  BoundedSax(json& root, int max_depth) : dom_(root, false), max_depth_(max_depth) {}

  bool null() override { return element() && dom_.null(); }
  bool boolean(bool v) override { return element() && dom_.boolean(v); }
  bool number_integer(number_integer_t v) override { return element() && dom_.number_integer(v); }
  bool number_unsigned(number_unsigned_t v) override {
    return element() && dom_.number_unsigned(v);
  }
  bool number_float(number_float_t v, const string_t& s) override {
    return element() && dom_.number_float(v, s);
  }
  bool string(string_t& v) override { return element() && dom_.string(v); }
  bool binary(binary_t& v) override { return element() && dom_.binary(v); }
  bool start_object(std::size_t n) override {
    return element() && push(true) && dom_.start_object(n);
  }
  // A key given twice would silently keep its last value (nlohmann's DOM): refused instead.
  bool key(string_t& k) override {
    Frame& f = frames_.back();
    if (!f.keys.insert(k).second) {
      duplicate_path = full_path(k);
      duplicate_key = k;
      return false;
    }
    f.key = k;
    return dom_.key(k);
  }
  bool end_object() override {
    frames_.pop_back();
    return dom_.end_object();
  }
  bool start_array(std::size_t n) override {
    return element() && push(false) && dom_.start_array(n);
  }
  bool end_array() override {
    frames_.pop_back();
    return dom_.end_array();
  }
  bool parse_error(std::size_t position, const std::string& last_token,
                   const nlohmann::detail::exception& ex) override {
    errored = true;
    error_position = position;
    error_token = last_token;
    error_id = ex.id;
    error_what = ex.what();
    error_key = key_path();
    error_value_path = value_path();
    return false;
  }

  bool errored = false;
  bool too_deep = false;
  std::size_t error_position = 0;
  std::string error_token, error_what, error_key;
  // The failing value's whole path, through lists ("steps[0].check.within").
  std::string error_value_path;
  int error_id = 0;
  // A key given twice in one object, as json_key_lines spells its path ("steps[2].check.claim").
  std::string duplicate_path, duplicate_key;

 private:
  struct Frame {
    bool object;
    std::string key;
    int index = -1;              // an array's element being read
    std::set<std::string> keys;  // an object's keys so far
  };

  bool push(bool object) {
    if (static_cast<int>(frames_.size()) >= max_depth_) {
      too_deep = true;
      error_key = key_path();
      return false;
    }
    frames_.push_back({object, {}, -1, {}});
    return true;
  }

  // Every value starts here: in an array it is the next element.
  bool element() {
    if (!frames_.empty() && !frames_.back().object) ++frames_.back().index;
    return true;
  }

  // The path of `last` in the innermost object, with array elements as [i].
  std::string full_path(const std::string& last) const {
    std::string path;
    for (size_t i = 0; i + 1 < frames_.size(); ++i) {
      const Frame& f = frames_[i];
      path += f.object ? (path.empty() ? "" : ".") + f.key : "[" + std::to_string(f.index) + "]";
    }
    return path + (path.empty() ? "" : ".") + last;
  }

  // The path of the value being read: every frame's key or index (in the innermost list, the
  // element after the last one read).
  std::string value_path() const {
    std::string path;
    for (size_t i = 0; i < frames_.size(); ++i) {
      const Frame& f = frames_[i];
      if (f.object) {
        if (!path.empty()) path += '.';
        path += f.key;
      } else {
        path += '[';
        path += std::to_string(i + 1 == frames_.size() ? f.index + 1 : f.index);
        path += ']';
      }
    }
    return path;
  }

  // Object keys from the top down to the first array.
  std::string key_path() const {
    std::string path;
    for (const Frame& f : frames_) {
      if (!f.object) break;
      if (f.key.empty()) break;
      path += (path.empty() ? "" : ".") + f.key;
    }
    return path;
  }

  nlohmann::detail::json_sax_dom_parser<json> dom_;
  int max_depth_;
  std::vector<Frame> frames_;
};

void line_col(std::string_view text, size_t at, int* line, int* col) {
  at = std::min(at, text.size());
  int l = 1;
  size_t line_start = 0;
  for (size_t i = 0; i < at; ++i)
    if (text[i] == '\n') {
      ++l;
      line_start = i + 1;
    }
  *line = l;
  *col = static_cast<int>(at - line_start) + 1;
}

// Byte offset of the bracket that first nests deeper than max_depth (strings skipped).
size_t too_deep_offset(std::string_view text, int max_depth) {
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) return i;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return text.size();
}

std::string hex_byte(unsigned char c) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%02x", c);
  return buf;
}

// nlohmann's "[json.exception.parse_error.101] parse error at line 1, column 2: syntax error …"
// without the bracket and the position (we give our own).
std::string plain_reason(const std::string& what) {
  std::string msg = what;
  if (msg.rfind("[json.exception.", 0) == 0) {
    const size_t close = msg.find("] ");
    if (close != std::string::npos) msg = msg.substr(close + 2);
  }
  if (msg.rfind("parse error", 0) == 0) {
    const size_t colon = msg.find(": ");
    if (colon != std::string::npos) msg = msg.substr(colon + 2);
  }
  return printable(msg);
}

}  // namespace

bool parse_json_text(std::string_view text, json* out, JsonProblem* problem, int max_depth) {
  text = without_bom(text);
  *problem = JsonProblem{};
  const auto fail = [&](size_t at, std::string key, std::string reason) {
    line_col(text, at, &problem->line, &problem->column);
    problem->key = std::move(key);
    problem->reason = std::move(reason);
    return false;
  };
  if (text.find('\0') != std::string_view::npos)
    return fail(text.find('\0'), "", "not a text file (it contains NUL bytes); expected JSON text");
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos)
    return fail(0, "", "the file is empty; expected JSON text");

  json root;
  BoundedSax sax(root, max_depth);
  try {
    json::sax_parse(text, &sax, json::input_format_t::json, /*strict=*/true,
                    /*ignore_comments=*/false);
  } catch (const json::exception& e) {
    return fail(0, sax.error_key, plain_reason(e.what()));
  }
  if (sax.too_deep)
    return fail(too_deep_offset(text, max_depth), sax.error_key,
                "values are nested more than " + std::to_string(max_depth) + " levels deep");
  if (!sax.duplicate_path.empty()) {
    const std::map<std::string, int> lines = json_key_lines(text);
    const auto it = lines.find(sax.duplicate_path);
    problem->line = it == lines.end() ? 0 : it->second;
    problem->column = 0;
    problem->repeated_key = true;
    // Named as a dotted key only outside lists (what scenario messages look up).
    problem->key = sax.duplicate_path.find('[') == std::string::npos ? sax.duplicate_path : "";
    problem->reason =
        "the key " + quote(sax.duplicate_key, 60) + " is given twice in one object; keep one";
    return false;
  }
  if (sax.errored) {
    const size_t at = sax.error_position > 0 ? sax.error_position - 1 : 0;
    const unsigned char c = at < text.size() ? static_cast<unsigned char>(text[at]) : 0;
    size_t bad = 0;
    if (!is_valid_utf8(text, &bad) && bad <= at + 1)
      return fail(bad, "",
                  "not UTF-8 text (byte " + hex_byte(static_cast<unsigned char>(text[bad])) +
                      "); is this a text file? JSON must be UTF-8");
    if (at < text.size() && ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f))
      return fail(at, "", "not a text file (control byte " + hex_byte(c) + "); expected JSON text");
    if (sax.error_id == 406) {  // number overflow
      // A value inside a list of objects is named by its whole path (a lesson's
      // "steps[0].check.within"); an element of a list of numbers by its list's key, which the
      // key table knows ("env.arm_means").
      const std::string& p = sax.error_value_path;
      const bool in_objects_list = p.find('[') != std::string::npos && p.back() != ']';
      return fail(at, in_objects_list ? p : sax.error_key,
                  "number " + quote(sax.error_token, 40) + " is out of range (beyond ±1.8e308)");
    }
    if (at < text.size() && c == '/')
      return fail(at, "", "comments are not allowed in JSON; remove the // or /* */");
    return fail(at, sax.error_id == 101 ? "" : sax.error_key,
                "malformed JSON: " + plain_reason(sax.error_what));
  }
  *out = std::move(root);
  return true;
}

std::string json_problem_where(const std::string& shown_file, const JsonProblem& problem) {
  std::string where = file_line(shown_file, problem.line);
  if (problem.line > 0 && problem.column > 0) where += ":" + std::to_string(problem.column);
  return where;
}

int json_root_line(std::string_view text) {
  int line = 1;
  for (const char c : text) {
    if (c == '\n')
      ++line;
    else if (c != ' ' && c != '\t' && c != '\r')
      break;
  }
  return line;
}

std::map<std::string, int> json_key_lines(std::string_view text) {
  // Elements past this index of a list (and what they hold) are not listed: no file we read has
  // longer lists with something to point at (a lesson has at most 1000 steps), and a long list of
  // numbers would otherwise make a map entry per number.
  constexpr int kMaxListed = 1000;
  // Paths longer than this are not listed either: a path holds its parents' keys, so text whose
  // quotes do not pair (a damaged file: keys thousands of bytes long, nested thousands deep) made
  // paths whose total length grew with the square of the depth (a 22 kB session file, 890 MB).
  constexpr size_t kMaxPath = 1024;
  struct Frame {
    bool object;
    std::string path;
    bool listed;  // whether what this container holds gets lines
    bool expect_key;
    std::string last_key;
    int index;
    bool element_seen;
  };
  std::map<std::string, int> lines;
  std::vector<Frame> stack;
  int line = 1;
  auto child_path_size = [&]() -> size_t {
    if (stack.empty()) return 0;
    const Frame& f = stack.back();
    return f.path.size() + 1 + (f.object ? f.last_key.size() : 12);
  };
  auto child_listed = [&]() {
    return stack.empty() ||
           (stack.back().listed && (stack.back().object || stack.back().index < kMaxListed) &&
            child_path_size() <= kMaxPath);
  };
  auto child_path = [&]() -> std::string {
    if (stack.empty()) return "";
    const Frame& f = stack.back();
    if (f.object) return f.path.empty() ? f.last_key : f.path + "." + f.last_key;
    return f.path + "[" + std::to_string(f.index) + "]";
  };
  auto mark_element = [&]() {
    if (!stack.empty() && !stack.back().object && !stack.back().element_seen) {
      stack.back().element_seen = true;
      if (child_listed()) lines.emplace(child_path(), line);
    }
  };
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\n') {
      ++line;
    } else if (c == ' ' || c == '\t' || c == '\r' || c == ':') {
    } else if (c == '"') {
      const size_t start = i + 1;
      const int start_line = line;
      mark_element();
      for (++i; i < text.size() && text[i] != '"'; ++i) {
        if (text[i] == '\\')
          ++i;
        else if (text[i] == '\n')
          ++line;
      }
      if (!stack.empty() && stack.back().object && stack.back().expect_key) {
        Frame& f = stack.back();
        f.last_key = std::string(text.substr(start, std::min(i, text.size()) - start));
        f.expect_key = false;
        if (f.listed && child_path_size() <= kMaxPath)
          lines[f.path.empty() ? f.last_key : f.path + "." + f.last_key] = start_line;
      }
    } else if (c == '{' || c == '[') {
      mark_element();
      const bool listed = child_listed();
      stack.push_back(
          {c == '{', listed ? child_path() : std::string(), listed, c == '{', {}, 0, false});
    } else if (c == '}' || c == ']') {
      if (!stack.empty()) stack.pop_back();
    } else if (c == ',') {
      if (!stack.empty()) {
        if (stack.back().object) {
          stack.back().expect_key = true;
        } else {
          ++stack.back().index;
          stack.back().element_seen = false;
        }
      }
    } else {
      mark_element();
    }
  }
  return lines;
}

namespace {

void brief_into(const json& v, std::string& out, size_t budget, int depth) {
  if (out.size() >= budget) return;
  switch (v.type()) {
    case json::value_t::object: {
      if (depth >= 3) {
        out += v.empty() ? "{}" : "{…}";
        return;
      }
      out += "{";
      bool first = true;
      for (auto it = v.begin(); it != v.end(); ++it) {
        if (out.size() >= budget) return;
        if (!first) out += ", ";
        first = false;
        out += "\"" + printable(it.key(), budget) + "\": ";
        brief_into(it.value(), out, budget, depth + 1);
      }
      out += "}";
      return;
    }
    case json::value_t::array: {
      if (depth >= 3) {
        out += v.empty() ? "[]" : "[…]";
        return;
      }
      out += "[";
      bool first = true;
      for (const auto& e : v) {
        if (out.size() >= budget) return;
        if (!first) out += ", ";
        first = false;
        brief_into(e, out, budget, depth + 1);
      }
      out += "]";
      return;
    }
    case json::value_t::string: {
      const size_t room = budget > out.size() + 16 ? budget - out.size() : 16;
      out += "\"" + printable(v.get_ref<const std::string&>(), room) + "\"";
      return;
    }
    case json::value_t::number_float: {
      // NaN and ±inf are not JSON (dump() writes null); only the Python module builds such values
      // (a file or --set never does), and its messages should say what was given.
      const double d = v.get<double>();
      if (!std::isfinite(d)) {
        out += std::isnan(d) ? "nan" : (d > 0 ? "inf" : "-inf");
        return;
      }
      out += safe_dump(v);
      return;
    }
    default:
      out += safe_dump(v);
      return;
  }
}

}  // namespace

std::string brief_json(const json& v, size_t max_chars) {
  std::string out;
  brief_into(v, out, max_chars, 0);
  // Slack for the "… (N bytes)" a long string ends with; beyond it, cut.
  if (out.size() > max_chars + 40) {
    size_t cut = max_chars;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80)
      --cut;  // not inside a character
    out.resize(cut);
    out += "…";
  }
  return out;
}

std::string safe_dump(const json& v, int indent) {
  return v.dump(indent, ' ', false, json::error_handler_t::replace);
}

std::string expected_got(const std::string& allowed, const json& given) {
  return "expected " + allowed + ", got " + brief_json(given, 60);
}

}  // namespace pg
