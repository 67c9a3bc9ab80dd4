#pragma once
// Gridworlds edited by hand (issue 9, item 4): the world a teacher paints — the map (walls, start,
// goal, pit cells and cells' own rewards), slip and γ — with undo and redo.
//
//   WorldEditor ed(world_of(gridworld));
//   ed.paint(2, 3, '#');                 // "" when applied, else why not (the world unchanged)
//   ed.apply_script("pit 1,1; reward 0,2=-0.5; slip 0.1");
//   ed.undo();
//   std::string text = serialize_grid_map(ed.world().map);   // the assets/maps format
//
// Every edit is checked the way a map file is (parse_grid_map on the serialized text: at least one
// S and one G, a G reachable from an S) and slip, γ the way the scenario checks them; an invalid
// edit is refused with one message and leaves the world as it was. A Session takes the result
// with Session::set_world.

#include <optional>
#include <string>
#include <vector>

#include "env/grid_map.h"

namespace pg {

class GridWorld;

// What an edit changes: the map, slip and γ (the other settings stay the scenario's).
struct GridWorldSpec {
  GridMap map;
  double slip = 0.0;
  double gamma = 0.99;
  bool operator==(const GridWorldSpec&) const = default;
};

GridWorldSpec world_of(const GridWorld& gw);

// "" when `w` is a world a GridWorld can be built from, else the one message why not.
std::string world_problem(const GridWorldSpec& w);

// The cell kinds one paints, in the palette's order: the map character and its name.
struct PaintTool {
  char cell;         // '#', '.', 'S', 'G', 'X'
  const char* name;  // "wall", "floor", "start", "goal", "pit" (apply_script's words)
};
inline constexpr PaintTool kPaintTools[] = {
    {'#', "wall"}, {'.', "floor"}, {'S', "start"}, {'G', "goal"}, {'X', "pit"}};

class WorldEditor {
 public:
  explicit WorldEditor(GridWorldSpec start = {});

  const GridWorldSpec& world() const { return world_; }

  // Each edit returns "" when applied (one undo step), else why it was refused (world unchanged).
  // Painting a cell clears its own reward (the new kind brings its default).
  std::string paint(int row, int col, char cell);
  // The cell's own reward; nullopt returns it to its kind's default.
  std::string set_reward(int row, int col, std::optional<double> reward);
  std::string set_slip(double slip);
  std::string set_gamma(double gamma);
  // Replaces the whole world (e.g. a map loaded from a file), as one undo step.
  std::string set_world(const GridWorldSpec& w);

  // A drag: every paint between begin_stroke and end_stroke is one undo step (none if nothing
  // changed). A refused cell in a stroke is skipped; the others stay painted.
  void begin_stroke();
  void end_stroke();
  bool in_stroke() const { return in_stroke_; }

  bool can_undo() const { return !undo_.empty(); }
  bool can_redo() const { return !redo_.empty(); }
  bool undo();  // false when there is nothing to undo
  bool redo();
  // Right after an edit that returned "": undoes it and forgets it (no redo), for an edit the
  // session then refused.
  void take_back();
  // Starts over from `w` with no history (another scenario was opened).
  void restart(GridWorldSpec w);

  // Commands separated by ';' or newlines, each one edit (one undo step):
  //   wall R,C | floor R,C | start R,C | goal R,C | pit R,C     paint cell (row R, column C, from
  //   0) reward R,C=V | reward R,C=default                        the cell's own reward slip P |
  //   gamma G
  // Stops at the first refused or malformed command: "" or "command 2 ('pit 9,9'): why".
  std::string apply_script(const std::string& script);

 private:
  std::string commit(GridWorldSpec next);

  GridWorldSpec world_;
  std::vector<GridWorldSpec> undo_, redo_;
  GridWorldSpec before_last_;  // the world before the last applied edit (take_back)
  bool in_stroke_ = false;
  bool stroke_changed_ = false;
};

}  // namespace pg
