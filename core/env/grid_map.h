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
// Every problem is a pg::InputError whose where() is "file:line" or "file:line:col" and whose
// message says what is allowed.

#include <string>

namespace pg {

struct GridMap {
  int rows = 0;
  int cols = 0;
  std::string cells;  // rows·cols characters, row-major; only '#', '.', 'S', 'G', 'X'
  std::string name;   // text of the first ';' comment (trimmed), else the file name
  std::string file;   // where it came from, for messages

  char at(int r, int c) const { return cells[static_cast<size_t>(r) * cols + c]; }
};

inline constexpr int kMaxGridSide = 64;

// Parses a map; `file` is only used in error messages.
GridMap parse_grid_map(const std::string& text, const std::string& file);
// Reads and parses a map file; a missing or unreadable file is an InputError.
GridMap load_grid_map(const std::string& path);
// Path of a shipped map: <assets>/maps/<name>.txt (name without extension, e.g. "cliff-4x12").
std::string shipped_map_path(const std::string& name);

}  // namespace pg
