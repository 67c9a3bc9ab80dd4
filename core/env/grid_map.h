#pragma once
// Text grid maps for GridWorld (assets/maps/*.txt).
//
// One character per cell, one line per row:
//   #  wall          .  floor
//   S  start (one or more; the start distribution is uniform over them)
//   G  goal (terminal)   X  pit (terminal)
// Lines starting with ';' are comments (the first one names the map). A trailing '\r' is stripped,
// blank lines before the first and after the last row are ignored. At most 64×64 cells; at least
// one S and one G; some G must be reachable from some S by up/right/down/left moves through
// non-wall cells (not through pits, which end the episode).
//
// Optional reward lines, after the rows:  reward ROW COL VALUE  (0-based row and column, a finite
// number in [-1e9, 1e9]): the reward of a step that enters that cell, in place of the default for
// its kind (env.step_reward, env.goal_reward, env.pit_reward). Not on a wall; one line per cell.
// serialize_grid_map writes this format back: parse(serialize(m)) == m.
//
// Every problem is a pg::InputError whose where() is "file:line" or "file:line:col" and whose
// message says what is allowed.

#include <string>
#include <vector>

namespace pg {

// The reward of a step that enters cell (row, col), overriding the kind's default.
struct CellReward {
  int row = 0;
  int col = 0;
  double reward = 0.0;
  bool operator==(const CellReward&) const = default;
};

struct GridMap {
  int rows = 0;
  int cols = 0;
  std::string cells;  // rows·cols characters, row-major; only '#', '.', 'S', 'G', 'X'
  std::string name;   // text of the first ';' comment (trimmed), else the file name
  std::string file;   // where it came from, for messages
  std::vector<CellReward> rewards;  // sorted by (row, col), one per cell, never on a wall

  char at(int r, int c) const { return cells[static_cast<size_t>(r) * cols + c]; }
  // The cell's own reward, or nullptr when it has the default of its kind.
  const CellReward* reward_at(int r, int c) const;
  // Equal worlds: the same cells, name and rewards (`file` is only where it came from).
  bool operator==(const GridMap& o) const {
    return rows == o.rows && cols == o.cols && cells == o.cells && name == o.name &&
           rewards == o.rewards;
  }
};

inline constexpr int kMaxGridSide = 64;

// Parses a map; `file` is only used in error messages.
GridMap parse_grid_map(const std::string& text, const std::string& file);
// The map as text in the format above: "; name", the rows, then the reward lines (numbers in the
// shortest form that reads back to the same double). parse_grid_map(serialize_grid_map(m)) == m.
std::string serialize_grid_map(const GridMap& map);
// Reads and parses a map file; a missing or unreadable file is an InputError.
GridMap load_grid_map(const std::string& path);
// Path of a shipped map: <assets>/maps/<name>.txt (name without extension, e.g. "cliff-4x12").
std::string shipped_map_path(const std::string& name);

}  // namespace pg
