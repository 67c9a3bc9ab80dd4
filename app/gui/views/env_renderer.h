// EnvRenderer: the environment pictures, drawn by our shaders (shaders/) into framebuffers and
// shown with ImGui::Image — gridworld, cart-pole, short corridor and bandit. Owns its GL objects;
// one per window. Every number it shows comes from the Session (core/).
#pragma once

#include <Eigen/Core>
#include <string>
#include <vector>

#include "gui/settings.h"
#include "imgui.h"
#include "session/session.h"

namespace pglab::gui {

namespace render {
class Heatmap;
}

struct EnvDrawOptions {
  int color_mode = 0;  // gridworld cells: 0 exact V^π, 1 visit counts of the batch, 2 counts
                       // given in cell_values
  // color_mode 2: a count per model state (0: drawn as an empty floor) and the key's title — the
  // replay view's buffer coverage.
  const std::vector<double>* cell_values = nullptr;
  const char* cell_values_title = "";
  int trajectory = -1;      // the batch's trajectory to show the agent on (-1: none)
  float t = -1.0f;          // position along it in steps (fractional animates); < 0: its end
  bool trail = true;        // draw the path walked so far
  bool ghosts = false;      // cart-pole: overlay the batch's other episodes at the same t
  int highlight_step = -1;  // inspector: mark this step of `trajectory`
  const Eigen::VectorXd* contribution = nullptr;  // inspector, tabular: c_t drawn on the grid
  bool arrows = true;                             // policy arrows sized by π(a|s)
  bool editing = false;  // gridworld: the world editor paints on it (no cell tooltip)
  // Continuous actions: the policy whose μ and σ the picture shows (null: the session's current
  // policy). The inspector passes the policy that sampled the batch, whose density its card shows.
  const pg::Policy* policy = nullptr;
  // Another session drawn beside this one (a fork's two branches): gridworld cells take one colour
  // scale over both, so one colour is one value in the two pictures (each scaled to its own
  // max |V| put −0.94 and −0.97 in the same blue).
  const pg::Session* shared_scale_with = nullptr;
  // The picture without its paragraph of description (bandit, pendulum, continuous bandit): two
  // branches of a fork side by side, where it repeated itself and left the drawings no room.
  bool brief = false;
};

// What the user clicked in the picture this frame.
struct EnvPick {
  bool clicked = false;
  int state = -1;  // model state under the click (finite worlds)
  int step = -1;   // step of options.trajectory nearest to the click, if any
  // Gridworld: where the grid is on screen (top-left corner, cell side; 0 when not drawn), so a
  // caller can map the mouse to a cell (the world editor).
  ImVec2 grid_min = ImVec2(0, 0);
  float cell = 0.0f;
};

class EnvRenderer {
 public:
  EnvRenderer();
  ~EnvRenderer();
  EnvRenderer(const EnvRenderer&) = delete;
  EnvRenderer& operator=(const EnvRenderer&) = delete;

  // Loads the shaders; returns "" or the error (kept in error()). Needs a GL context.
  std::string init();
  const std::string& error() const;

  // Draws the session's environment into the current ImGui window, `size` screen units; hovering
  // shows details (gridworld: π, V, Q and visits of the cell). `slot` separates pictures drawn in
  // the same frame (each has its own framebuffer).
  EnvPick draw(const pg::Session& s, const EnvDrawOptions& o, const ImVec2& size, Theme theme,
               int slot = 0);

  // The picture's height per unit of width when it has a fixed shape (a grid of rows × cols), else
  // 0 (the picture fills what it is given). Views lay out by this instead of asking which world it
  // is.
  static float height_per_width(const pg::Env& env);

  // The landscape view's heatmap (shaders/heatmap.*), loaded by init() with its own error.
  render::Heatmap& heatmap();

  // The 40% rule for this world: layout.h's picture_box(), and for a grid a box tall enough that
  // the map itself (its cells, without the title and colour key around them) spans at least
  // kMinPictureShare of the view's width or of its height. Views size their picture with this.
  static ImVec2 box_for(const pg::Env& env, const ImVec2& view, const ImVec2& wanted);

  // The width at which a box `height` high lets this world use all of that height (a grid's cells
  // that tall, with its legend beside them); 0 for a picture without a fixed shape (it fills any
  // box). A view that can spare the width gives its picture this much, so a short, wide view (a
  // presenter scale, the controls folded) draws a large world instead of a wide empty box.
  static float width_for_height(const pg::Env& env, float height);
  // The other way round: the height at which a box `width` wide lets a grid's cells take all of
  // the width (its colour key under them); 0 for a picture without a fixed shape.
  static float height_for_width(const pg::Env& env, float width);

  // The largest picture draw() drew in the current ImGui frame: its box, after the rounding to
  // whole pixels, and the world inside it (a grid's cells; other worlds fill the box). Zero: none
  // (a world without a picture, the token task, draws none). What `pglab shot` measures against
  // the view's area.
  struct Drawn {
    ImVec2 box = ImVec2(0, 0), world = ImVec2(0, 0);
  };
  Drawn drawn_this_frame() const;

 private:
  struct Impl;
  Impl* impl_;
};

}  // namespace pglab::gui
