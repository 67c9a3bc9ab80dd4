#include "env/grid_map.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <string_view>
#include <vector>

#include "util/asset_dir.h"
#include "util/error.h"
#include "util/input_file.h"
#include "util/text.h"

namespace pg {
namespace {

constexpr const char* kAllowed = "allowed: # . S G X";

struct Line {
  int number = 0;  // 1-based line in the file
  std::string text;
};

std::string describe_char(char c) {
  const unsigned char u = static_cast<unsigned char>(c);
  if (u < 0x20 || u >= 0x7f) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "0x%02x", u);
    return buf;
  }
  return std::string("'") + c + "'";
}

// A character that is not ASCII, read from its UTF-8 bytes at text[at]: "'é' (U+00E9)"; bytes
// that are not UTF-8 as "byte 0xc3 (not UTF-8 text)".
std::string describe_utf8_char(const std::string& text, size_t at) {
  const unsigned char u = static_cast<unsigned char>(text[at]);
  const size_t n = u >= 0xf0 && u < 0xf8 ? 4 : u >= 0xe0 ? 3 : u >= 0xc2 && u < 0xe0 ? 2 : 0;
  if (n == 0 || at + n > text.size() || !is_valid_utf8(std::string_view(text).substr(at, n))) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "byte 0x%02x (not UTF-8 text)", u);
    return buf;
  }
  unsigned cp = u & (0xff >> (n + 1));
  for (size_t k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(text[at + k]) & 0x3f);
  char buf[24];
  std::snprintf(buf, sizeof buf, " (U+%04X)", cp);
  return "'" + text.substr(at, n) + "'" + buf;
}

std::string trim(const std::string& s) {
  const size_t b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  const size_t e = s.find_last_not_of(" \t");
  return s.substr(b, e - b + 1);
}

// "reward ROW COL VALUE" → the cell's reward; the map's rows are already read.
CellReward parse_reward_line(const GridMap& map, const std::string& file, const Line& line) {
  const std::string where = file_line(file, line.number);
  const std::string usage =
      "expected 'reward ROW COL VALUE' (0-based row and column of a non-wall cell, a finite number "
      "in [-1e9, 1e9])";
  std::vector<std::string> words;
  {
    size_t i = 0;
    const std::string& t = line.text;
    while (i < t.size()) {
      while (i < t.size() && (t[i] == ' ' || t[i] == '\t')) ++i;
      size_t j = i;
      while (j < t.size() && t[j] != ' ' && t[j] != '\t') ++j;
      if (j > i) words.push_back(t.substr(i, j - i));
      i = j;
    }
  }
  if (words.size() != 4 || words[0] != "reward")
    throw InputError(where, quote(line.text, 60) + ": " + usage);
  auto integer = [&](const std::string& w, int limit, const char* what) {
    int v = -1;
    const auto [end, ec] = std::from_chars(w.data(), w.data() + w.size(), v);
    if (ec != std::errc() || end != w.data() + w.size() || v < 0 || v >= limit)
      throw InputError(where, std::string(what) + " " + quote(w, 20) + " is not in 0.." +
                                  std::to_string(limit - 1) + "; " + usage);
    return v;
  };
  CellReward cr;
  cr.row = integer(words[1], map.rows, "row");
  cr.col = integer(words[2], map.cols, "column");
  const std::string& w = words[3];
  const auto [end, ec] = std::from_chars(w.data(), w.data() + w.size(), cr.reward);
  if (ec != std::errc() || end != w.data() + w.size() || !std::isfinite(cr.reward) ||
      std::abs(cr.reward) > 1e9)
    throw InputError(where, "value " + quote(w, 40) + ": " + usage);
  if (map.at(cr.row, cr.col) == '#')
    throw InputError(where, "cell " + words[1] + " " + words[2] +
                                " is a wall '#', which is never entered; " + usage);
  return cr;
}

}  // namespace

const CellReward* GridMap::reward_at(int r, int c) const {
  for (const CellReward& cr : rewards)
    if (cr.row == r && cr.col == c) return &cr;
  return nullptr;
}

std::string serialize_grid_map(const GridMap& map) {
  std::string out;
  if (!map.name.empty()) out += "; " + map.name + "\n";
  for (int r = 0; r < map.rows; ++r) {
    out.append(map.cells, static_cast<size_t>(r) * map.cols, static_cast<size_t>(map.cols));
    out += '\n';
  }
  for (const CellReward& cr : map.rewards) {
    char num[40];
    const auto res = std::to_chars(num, num + sizeof num, cr.reward);  // shortest round trip
    out += "reward " + std::to_string(cr.row) + " " + std::to_string(cr.col) + " " +
           std::string(num, res.ptr) + "\n";
  }
  return out;
}

GridMap parse_grid_map(const std::string& text_in, const std::string& file_in) {
  GridMap map;
  map.file = file_in;
  const std::string file = shorten_path(file_in);  // for messages
  // A byte-order mark some editors write is not a cell: without it the first line is what it
  // looks like (a ';' comment stays a comment).
  const std::string_view text = without_bom(text_in);

  // Split into lines, stripping '\r'; keep comments aside and remember line numbers.
  std::vector<Line> rows;
  std::vector<Line> reward_lines;
  std::string name;
  {
    int number = 0;
    size_t pos = 0;
    while (pos <= text.size()) {
      size_t end = text.find('\n', pos);
      if (end == std::string_view::npos) end = text.size();
      std::string line(text.substr(pos, end - pos));
      ++number;
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (!line.empty() && line[0] == ';') {
        if (name.empty())
          name = printable(trim(line.substr(1)));  // shown and dumped: valid UTF-8 only
      } else if (line.rfind("reward", 0) == 0) {   // 'r' is no cell: a reward line
        reward_lines.push_back({number, line});
      } else if (!(line.empty() && rows.empty())) {  // blank lines before the first row: skip
        rows.push_back({number, line});
      }
      if (end == text.size()) break;
      pos = end + 1;
    }
    while (!rows.empty() && rows.back().text.empty()) rows.pop_back();  // trailing blank lines
  }
  map.name = name.empty() ? file : name;

  if (rows.empty())
    throw InputError(file_line(file, 1), "map is empty: it needs at least one row of cells (" +
                                             std::string(kAllowed) + ")");

  const int first_line = rows.front().number;
  if (!reward_lines.empty() && reward_lines.front().number < rows.back().number) {
    // The row out of place is at fault, not the (valid) reward line before it.
    const int reward_line = reward_lines.front().number;
    const auto row = std::find_if(rows.begin(), rows.end(),
                                  [&](const Line& r) { return r.number > reward_line; });
    throw InputError(file_line(file, row->number),
                     "a row of cells after the reward line on line " + std::to_string(reward_line) +
                         "; reward lines come after the last row of cells");
  }
  const int cols = static_cast<int>(rows.front().text.size());
  for (const Line& row : rows) {
    // A character beyond ASCII first, at its column in characters (its bytes would also make the
    // row look wider than it is).
    // Every byte before the first non-ASCII one is a character: its column is b + 1.
    for (size_t b = 0; b < row.text.size(); ++b)
      if (static_cast<unsigned char>(row.text[b]) >= 0x80)
        throw InputError(file_line(file, row.number) + ":" + std::to_string(b + 1),
                         "unknown character " + describe_utf8_char(row.text, b) + "; " + kAllowed);
    const int n = static_cast<int>(row.text.size());
    if (n != cols)
      throw InputError(file_line(file, row.number), "row has " + std::to_string(n) +
                                                        " cells, expected " + std::to_string(cols) +
                                                        " like line " + std::to_string(first_line) +
                                                        "; every row must have the same width");
    for (int c = 0; c < n; ++c) {
      const char ch = row.text[c];
      if (ch != '#' && ch != '.' && ch != 'S' && ch != 'G' && ch != 'X')
        throw InputError(file_line(file, row.number) + ":" + std::to_string(c + 1),
                         "unknown character " + describe_char(ch) + "; " + kAllowed);
    }
  }
  const int nrows = static_cast<int>(rows.size());
  if (nrows > kMaxGridSide || cols > kMaxGridSide)
    throw InputError(file_line(file, nrows > kMaxGridSide ? rows[kMaxGridSide].number : first_line),
                     "map is " + std::to_string(nrows) + "×" + std::to_string(cols) +
                         " cells; at most " + std::to_string(kMaxGridSide) + "×" +
                         std::to_string(kMaxGridSide) + " allowed");

  map.rows = nrows;
  map.cols = cols;
  map.cells.reserve(static_cast<size_t>(nrows) * cols);
  for (const Line& row : rows) map.cells += row.text;

  const bool has_start = map.cells.find('S') != std::string::npos;
  const bool has_goal = map.cells.find('G') != std::string::npos;
  if (!has_start)
    throw InputError(
        file_line(file, first_line),
        "map has no start cell; at least one 'S' is required (" + std::string(kAllowed) + ")");
  if (!has_goal)
    throw InputError(
        file_line(file, first_line),
        "map has no goal cell; at least one 'G' is required (" + std::string(kAllowed) + ")");

  std::vector<int> reward_line_of;  // per entry of map.rewards: its line, for a repeated cell
  for (const Line& line : reward_lines) {
    const CellReward cr = parse_reward_line(map, file, line);
    for (size_t i = 0; i < map.rewards.size(); ++i)
      if (map.rewards[i].row == cr.row && map.rewards[i].col == cr.col)
        throw InputError(file_line(file, line.number),
                         "a second reward line for cell " + std::to_string(cr.row) + " " +
                             std::to_string(cr.col) + " (the first is line " +
                             std::to_string(reward_line_of[i]) + "); one reward line per cell");
    map.rewards.push_back(cr);
    reward_line_of.push_back(line.number);
  }
  std::sort(map.rewards.begin(), map.rewards.end(), [](const CellReward& a, const CellReward& b) {
    return a.row != b.row ? a.row < b.row : a.col < b.col;
  });

  // Breadth-first search from every start through non-wall cells; pits and goals end an episode,
  // so the search enters them but does not leave them.
  std::vector<char> seen(map.cells.size(), 0);
  std::vector<int> queue;
  for (int i = 0; i < static_cast<int>(map.cells.size()); ++i)
    if (map.cells[i] == 'S') {
      seen[i] = 1;
      queue.push_back(i);
    }
  bool reached = false;
  for (size_t head = 0; head < queue.size() && !reached; ++head) {
    const int i = queue[head];
    const char here = map.cells[i];
    if (here == 'G') {
      reached = true;
      break;
    }
    if (here == 'X') continue;
    const int r = i / cols, c = i % cols;
    const int dr[4] = {-1, 0, 1, 0}, dc[4] = {0, 1, 0, -1};
    for (int k = 0; k < 4; ++k) {
      const int rr = r + dr[k], cc = c + dc[k];
      if (rr < 0 || rr >= nrows || cc < 0 || cc >= cols) continue;
      const int j = rr * cols + cc;
      if (seen[j] || map.cells[j] == '#') continue;
      seen[j] = 1;
      queue.push_back(j);
    }
  }
  if (!reached)
    throw InputError(
        file_line(file, first_line),
        "no goal 'G' is reachable from any start 'S'; a path of up/right/down/left moves "
        "through '.' or 'S' cells (not '#' walls or 'X' pits) must lead from an S to a G");
  return map;
}

namespace {

// ": classic-4x4, cliff-4x12, …" — the shipped maps' names (sorted), or "" when the folder cannot
// be read: a refusal of an unknown map lists them, as unknown scenarios and envs do (audit a12).
std::string shipped_map_names() {
  std::vector<std::string> names;
  std::error_code ec;
  for (std::filesystem::directory_iterator it(asset_dir() + "/maps", ec), end; !ec && it != end;
       it.increment(ec))
    if (it->path().extension() == ".txt") names.push_back(it->path().stem().string());
  std::sort(names.begin(), names.end());
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? ": " : ", ") + n;
  return out;
}

}  // namespace

GridMap load_grid_map(const std::string& path) {
  // A 64×64 map with comments is a few KiB; 1 MiB leaves room and refuses /dev/zero-like input.
  constexpr size_t kMaxMapBytes = size_t{1} << 20;
  const std::string text = read_input_file(path, "map file",
                                           "a text map (# . S G X; shipped maps are in " +
                                               asset_dir() + "/maps" + shipped_map_names() + ")",
                                           kMaxMapBytes);
  return parse_grid_map(text, path);
}

std::string shipped_map_path(const std::string& name) {
  return asset_dir() + "/maps/" + name + ".txt";
}

}  // namespace pg
