#include "env/world_edit.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>

#include "env/gridworld.h"
#include "util/error.h"
#include "util/number_text.h"
#include "util/text.h"

namespace pg {

GridWorldSpec world_of(const GridWorld& gw) {
  GridWorldSpec w;
  w.map = gw.config().map;
  w.slip = gw.config().slip;
  w.gamma = gw.config().gamma;
  return w;
}

std::string world_problem(const GridWorldSpec& w) {
  if (!(w.slip >= 0.0 && w.slip <= 1.0))
    return "slip must be in [0, 1], got " + number_text(w.slip);
  if (!(w.gamma >= 0.0 && w.gamma <= 1.0))
    return "γ must be in [0, 1], got " + number_text(w.gamma);
  try {
    // The checks a map file gets: one S, one G, a G reachable from an S, rewards on non-walls.
    parse_grid_map(serialize_grid_map(w.map), "edited map");
  } catch (const InputError& e) {
    return e.problem();
  }
  return "";
}

WorldEditor::WorldEditor(GridWorldSpec start) : world_(std::move(start)) {}

std::string WorldEditor::commit(GridWorldSpec next) {
  if (next == world_) return "";
  std::string why = world_problem(next);
  if (!why.empty()) return why;
  if (in_stroke_) {
    stroke_changed_ = true;  // begin_stroke saved the world before the stroke
  } else {
    undo_.push_back(world_);
  }
  redo_.clear();
  before_last_ = std::move(world_);
  world_ = std::move(next);
  return "";
}

std::string WorldEditor::paint(int row, int col, char cell) {
  const GridMap& m = world_.map;
  if (row < 0 || row >= m.rows || col < 0 || col >= m.cols)
    return "cell " + std::to_string(row) + "," + std::to_string(col) + " is outside the " +
           std::to_string(m.rows) + "×" + std::to_string(m.cols) + " map";
  if (cell != '#' && cell != '.' && cell != 'S' && cell != 'G' && cell != 'X')
    return "a cell is one of # . S G X";
  GridWorldSpec next = world_;
  next.map.cells[static_cast<size_t>(row) * m.cols + col] = cell;
  auto& rw = next.map.rewards;
  rw.erase(std::remove_if(rw.begin(), rw.end(),
                          [&](const CellReward& r) { return r.row == row && r.col == col; }),
           rw.end());
  return commit(std::move(next));
}

std::string WorldEditor::set_reward(int row, int col, std::optional<double> reward) {
  const GridMap& m = world_.map;
  if (row < 0 || row >= m.rows || col < 0 || col >= m.cols)
    return "cell " + std::to_string(row) + "," + std::to_string(col) + " is outside the map";
  if (m.at(row, col) == '#') return "a wall is never entered, so it has no reward";
  if (reward && !(std::isfinite(*reward) && std::abs(*reward) <= 1e9))
    return "a reward is a finite number in [-1e9, 1e9], got " + number_text(*reward);
  GridWorldSpec next = world_;
  auto& rw = next.map.rewards;
  rw.erase(std::remove_if(rw.begin(), rw.end(),
                          [&](const CellReward& r) { return r.row == row && r.col == col; }),
           rw.end());
  if (reward) {
    rw.push_back({row, col, *reward});
    std::sort(rw.begin(), rw.end(), [](const CellReward& a, const CellReward& b) {
      return a.row != b.row ? a.row < b.row : a.col < b.col;
    });
  }
  return commit(std::move(next));
}

std::string WorldEditor::set_slip(double slip) {
  GridWorldSpec next = world_;
  next.slip = slip;
  return commit(std::move(next));
}

std::string WorldEditor::set_gamma(double gamma) {
  GridWorldSpec next = world_;
  next.gamma = gamma;
  return commit(std::move(next));
}

std::string WorldEditor::set_world(const GridWorldSpec& w) {
  return commit(w);
}

void WorldEditor::begin_stroke() {
  if (in_stroke_) return;
  undo_.push_back(world_);
  in_stroke_ = true;
  stroke_changed_ = false;
}

void WorldEditor::end_stroke() {
  if (!in_stroke_) return;
  in_stroke_ = false;
  if (!stroke_changed_) undo_.pop_back();  // nothing painted: no undo step
}

bool WorldEditor::undo() {
  if (in_stroke_) end_stroke();
  if (undo_.empty()) return false;
  redo_.push_back(std::move(world_));
  world_ = std::move(undo_.back());
  undo_.pop_back();
  return true;
}

bool WorldEditor::redo() {
  if (in_stroke_) end_stroke();
  if (redo_.empty()) return false;
  undo_.push_back(std::move(world_));
  world_ = std::move(redo_.back());
  redo_.pop_back();
  return true;
}

void WorldEditor::take_back() {
  // Right after a commit: back to the world before it, and no trace of it in the history.
  world_ = before_last_;
  if (!in_stroke_ && !undo_.empty()) undo_.pop_back();
}

void WorldEditor::restart(GridWorldSpec w) {
  world_ = std::move(w);
  undo_.clear();
  redo_.clear();
  in_stroke_ = false;
  stroke_changed_ = false;
}

namespace {

std::string trim_ws(const std::string& s) {
  const size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

// A decimal number (util/number_text.h); 1e999 reads as inf, which the caller refuses by name
// ("is not finite") rather than as a syntax error.
bool parse_number(const std::string& s, double* v) {
  return read_decimal(trim_ws(s), v);
}

bool parse_cell(const std::string& s, int* r, int* c) {
  const size_t comma = s.find(',');
  if (comma == std::string::npos) return false;
  const std::string a = trim_ws(s.substr(0, comma)), b = trim_ws(s.substr(comma + 1));
  const auto ra = std::from_chars(a.data(), a.data() + a.size(), *r);
  const auto rb = std::from_chars(b.data(), b.data() + b.size(), *c);
  return !a.empty() && !b.empty() && ra.ec == std::errc() && ra.ptr == a.data() + a.size() &&
         rb.ec == std::errc() && rb.ptr == b.data() + b.size();
}

}  // namespace

std::string WorldEditor::apply_script(const std::string& script) {
  std::vector<std::string> commands;
  std::string cur;
  for (char ch : script) {
    if (ch == ';' || ch == '\n') {
      commands.push_back(cur);
      cur.clear();
    } else {
      cur += ch;
    }
  }
  commands.push_back(cur);
  int number = 0;
  for (const std::string& raw : commands) {
    const std::string cmd = trim_ws(raw);
    if (cmd.empty()) continue;
    ++number;
    const size_t sp = cmd.find_first_of(" \t");
    const std::string verb = cmd.substr(0, sp);
    const std::string arg = sp == std::string::npos ? "" : trim_ws(cmd.substr(sp));
    std::string why;
    int r = 0, c = 0;
    double v = 0;
    const char* usage =
        "expected wall|floor|start|goal|pit R,C; reward R,C=V|default; slip P; gamma G";
    const PaintTool* tool = nullptr;
    for (const PaintTool& t : kPaintTools)
      if (verb == t.name) tool = &t;
    if (tool) {
      why = parse_cell(arg, &r, &c) ? paint(r, c, tool->cell) : usage;
    } else if (verb == "reward") {
      const size_t eq = arg.find('=');
      const std::string value = eq == std::string::npos ? "" : trim_ws(arg.substr(eq + 1));
      if (eq == std::string::npos || !parse_cell(arg.substr(0, eq), &r, &c))
        why = usage;
      else if (value == "default")
        why = set_reward(r, c, std::nullopt);
      else if (!parse_number(value, &v))
        why = usage;
      else if (!std::isfinite(v))
        why = "reward " + quote(value, 40) + " is not finite; a reward is a finite number in " +
              "[-1e9, 1e9]";
      else
        why = set_reward(r, c, v);
    } else if (verb == "slip" || verb == "gamma") {
      if (!parse_number(arg, &v))
        why = usage;
      else if (!std::isfinite(v))
        why = verb + " " + quote(arg, 40) + " is not finite; expected a number in [0, 1]";
      else
        why = verb == "slip" ? set_slip(v) : set_gamma(v);
    } else {
      why = usage;
    }
    if (!why.empty())
      return "command " + std::to_string(number) + " (" + quote(cmd, 60) + "): " + why;
  }
  if (number == 0)
    return "no edit in " + quote(script, 40) +
           "; expected commands separated by ';' such as \"wall 1,2; slip 0.1\"";
  return "";
}

}  // namespace pg
