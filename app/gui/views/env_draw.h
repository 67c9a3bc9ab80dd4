// Internals of EnvRenderer shared by the per-world drawing files (env_gridworld.cpp,
// env_cartpole.cpp, env_small.cpp): the canvas each picture is drawn into, the theme palette and
// the colour maps. Not part of the renderer's API.
//
// Coordinates: every picture is drawn in screen units relative to the image's top-left corner,
// y down — the same units ImGui uses — so GL geometry (into the framebuffer) and ImGui text (over
// the image, with the window draw list) line up exactly. The framebuffer holds `supersample` ×
// the display's pixels; showing it at exactly 1/supersample with linear filtering averages each
// 2×2 block, which anti-aliases discs, arrows and tilted poles.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "gui/render/framebuffer.h"
#include "gui/render/mesh.h"
#include "gui/render/shader_program.h"
#include "gui/views/env_renderer.h"
#include "lab/gaussian_picture.h"

namespace pglab::gui::envdraw {

using render::Rgba;

Rgba hex(unsigned rgb, float alpha = 1.0f);
Rgba with_alpha(Rgba c, float alpha);
Rgba mix(Rgba a, Rgba b, float t);
float luminance(Rgba c);
ImU32 to_u32(Rgba c);

// Perceptual sequential map (plasma-like: deep blue → magenta → orange → yellow), t ∈ [0, 1].
Rgba sequential(float t);
// Diverging map (cool–warm: blue → light grey → red), t ∈ [0, 1], 0.5 is the neutral middle.
Rgba diverging(float t);
// Values by sign (theme.h's convention: negative red, positive the other side): the cool–warm map
// turned round, t ∈ [0, 1] → red, grey at 0.5, blue. signed_value: v on a scale symmetric about 0,
// ±m at the ends (m ≤ 0: 1). Every value map (V^π, V_φ) is drawn with it.
Rgba signed_diverging(float t);
Rgba signed_value(double v, double m);

struct Palette {
  Rgba bg;     // picture background (the window's)
  Rgba grid;   // lines between cells
  Rgba floor;  // a cell without data (no visits)
  Rgba wall;
  Rgba goal;
  Rgba pit;
  Rgba text;  // ImGui text colour
  Rgba text_dim;
  Rgba ink;     // strong foreground (track, outlines)
  Rgba accent;  // highlight (inspector step)
  Rgba agent;   // the agent disc
  Rgba agent_ring;
  Rgba positive;  // contribution pushes a logit up
  Rgba negative;  // … down
  Rgba danger;    // failure thresholds
  Rgba cart;
  Rgba pole;
};
Palette palette(Theme theme);

// One slot's GL objects. A picture has two layers: the board (cells, arrows, track — what changes
// with θ or the options) and the moving layer (agent, trail, cart; what changes with t). Each is
// rendered only when its geometry changed (compared by a hash of the batches): the board into
// `board`, then board + moving layer into `fb`, which is what ImGui shows. A paused lab costs no
// GL work, a replay re-renders only the copy and the moving layer, and while training changes
// the board every frame it is re-rendered at most every kBoardInterval seconds.
struct Canvas {
  render::Framebuffer board;
  render::Framebuffer fb;
  render::QuadBatch quads;     // board: drawn first
  render::TriangleBatch tris;  // board: over the quads
  render::TriangleBatch dyn;   // moving layer, over the board
  uint64_t board_hash = 0;     // of the geometry last rendered into `board`
  uint64_t frame_hash = 0;     // of board_hash + dyn last rendered into `fb`
  double board_time = -1e9;    // ImGui::GetTime() of that board render
};
inline constexpr double kBoardInterval = 0.25;

struct Programs {
  render::ShaderProgram grid;
  render::ShaderProgram lines;
};

// A picture being drawn this frame: the canvas, where the image goes on screen and helpers that
// put ImGui text over it.
struct Picture {
  Canvas* canvas = nullptr;
  ImVec2 origin;  // screen position of the image's top-left corner (whole screen units)
  ImVec2 size;    // screen units
  const Palette* pal = nullptr;
  ImDrawList* dl = nullptr;
  float fs = 17.0f;  // font size

  void begin(Canvas& c, const ImVec2& sz,
             const Palette& p);  // clears the batches, places the image
  // Renders the batches into the framebuffer and adds the image item (hover/click queries work on
  // it with ImGui::IsItemHovered() afterwards). Text added after this lies over the image.
  void present(const Programs& programs);

  ImVec2 screen(float x, float y) const { return ImVec2(origin.x + x, origin.y + y); }
  // Text with its top-left at (x, y); centred variants put its centre there. Optional halo: a
  // one-pixel shadow in `halo` so labels stay legible over any cell colour.
  void text(float x, float y, Rgba color, const char* s, float scale = 1.0f) const;
  void text_centered(float x, float y, Rgba color, const char* s, float scale = 1.0f) const;
  void text_halo(float x, float y, Rgba color, Rgba halo, const char* s, float scale = 1.0f,
                 bool centered = true) const;
  ImVec2 text_size(const char* s, float scale = 1.0f) const;
  // Text wrapped at width w (screen units) with its top-left at (x, y); the size it takes.
  ImVec2 text_wrapped(float x, float y, float w, Rgba color, const char* s) const;
  ImVec2 wrapped_size(float w, const char* s) const;

  // Geometry helpers on the triangle batch (world = screen units).
  void rect_outline(float x0, float y0, float x1, float y1, float width, Rgba color);
  // A horizontal colour bar of `steps` quads from map(0) to map(1).
  void colorbar(float x, float y, float w, float h, Rgba (*map)(float), int steps = 48);
};

// The exact J(p) curve of the short corridor, computed once per (γ, step limit).
struct CorridorCurve {
  bool valid = false;
  double gamma = -1.0;
  int step_limit = -1;
  std::string error;
  std::vector<double> p, J;
  double p_best = 0.0, J_best = 0.0;
};

// The per-world pictures. Each fills the picture of `size` and returns what was clicked.
struct DrawArgs {
  const pg::Session& s;
  const EnvDrawOptions& o;
  ImVec2 size;
  Theme theme;
  Canvas& canvas;
  const Programs& programs;
  const Palette& pal;
};

EnvPick draw_gridworld(const DrawArgs& a);
// The gridworld picture's text around the cells (the agent line above, colour key below) at
// `width`: the height its cells do not get. Without an agent line (editing, no trajectory shown)
// the room above is a small margin.
float grid_chrome_height(float width, float fs, bool agent_line = true);
// The agent line above the cells alone (the chrome when the legend stands beside them).
float grid_header_height(float fs, bool agent_line);
// The width a legend beside the cells takes, gap included, in a picture `width` wide (a short,
// wide picture puts it there: presenter scale on a 1280×720 beamer).
float grid_side_legend_width(float width, float fs);
// Whether cells of side `cell` leave room for that legend beside them and are tall enough for its
// lines (draw_gridworld puts it there when that gives larger cells; the renderer sizes for it).
bool grid_legend_fits_beside(float width, float cell, int rows, int cols, float fs);
// The cell side draw_gridworld() gives a rows × cols map in a picture W × H (the legend under the
// cells or beside them, whichever gives larger cells), and whether the legend is beside.
float grid_cell_side(float W, float H, int rows, int cols, float fs, bool agent_line,
                     bool* side = nullptr);
EnvPick draw_cartpole(const DrawArgs& a);
EnvPick draw_short_corridor(const DrawArgs& a, const CorridorCurve& curve);
// The short corridor's text rows above its cells (cells `cw` wide with `gap` between them, `ch`
// high; the current font), as heights above the cells' centre line: the names' (S, 1, 2, G) and
// the P(move right) labels' (thinnest and widest arrow). `lift`: how far the names go up (and the
// cells down) so they stand clear of the labels where the cells are small.
struct CorridorRows {
  float name_rise = 0, label_rise_min = 0, label_rise_max = 0, lift = 0;
};
CorridorRows corridor_rows(float cw, float gap, float ch);
EnvPick draw_bandit(const DrawArgs& a);
// Worlds with continuous actions (env_continuous.cpp).
EnvPick draw_pendulum(const DrawArgs& a);
EnvPick draw_curve(const DrawArgs& a);
// The height of the words the continuous bandit's brief picture (a fork's branch) puts above its
// plot in a box `width` wide: its short line and the colour key standing for the plot's legend,
// with their spacing; 0 for other worlds. A view giving the picture room for its plot adds this.
float curve_brief_words_height(const pg::Session& s, float width);

// The policy's Gaussian at one state in a world with one continuous action (Pendulum's torque,
// continuous cart-pole's force), as its picture draws it: μ ± σ (the band), μ and the step's sample
// u mapped to what the environment applies (the policy's map, then the environment's clip).
struct GaussianMarks {
  pg::GaussianAt g;                 // g.valid false: not a one-dimensional Gaussian policy
  double band_lo = 0, band_hi = 0;  // applied at μ − σ and μ + σ
  bool has_u = false;
  double u = 0, applied_u = 0;  // the sample and what the environment applied for it
};
// obs: the state's features; u: the step's sample, or null.
GaussianMarks gaussian_marks(const pg::Env& env, const pg::Policy& policy, const double* obs,
                             const double* u);
// "Policy here: mean torque μ = +0.12, σ = 0.50 (the environment clips to [−2, 2])" (squashed: the
// Gaussian over u and the map into the bounds); `brief`: "μ = +0.12, σ = 0.50". quantity: "torque".
std::string gaussian_words(const GaussianMarks& m, const char* quantity, bool brief);
// Its colours: the band, μ, the sample u.
Rgba gaussian_band_colour();
Rgba gaussian_mean_colour();
Rgba gaussian_sample_colour();

// The agent's trajectory and position for options.trajectory / options.t: nullptr when there is
// no such trajectory. t is clamped to [0, T]; t < 0 means T (the end).
const pg::Trajectory* chosen_trajectory(const pg::Session& s, const EnvDrawOptions& o, double* t);
// The policy that sampled the batch's steps (options.policy when given, else the session's θ_old):
// a step's sampled action is drawn against the density it was drawn from, not the θ an update
// has moved since (audit a14 F3: a 1.5σ draw stood 3.8σ outside the band at a boundary).
const pg::Policy& sampling_policy(const DrawArgs& a);

// The line over a world's picture naming trajectory i, step t of it and the return so far, in the
// longest of its forms that fits `width` (shorter ones at presenter scale and for side-by-side
// branches). title: "Agent: trajectory" or "Trajectory". Indices from 0 (i, t), as in the
// formulas; the counts after "of" are counts. While the batch is collected it names no batch size
// (the controls say how many are done), and an episode still being sampled has no T yet.
// short_return: the return with %.3g (rewards that are not whole numbers), else %.0f.
std::string agent_line(const Picture& pic, const pg::Session& s, int i, const pg::Trajectory& tr,
                       int t, float width, const char* title, bool short_return);

}  // namespace pglab::gui::envdraw
