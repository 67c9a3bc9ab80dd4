// The gridworld picture: cells coloured by the exact V^π at the current θ (or by the batch's visit
// counts), walls, start, goal and pits, policy arrows sized by π(a|s), the agent walking a rollout
// of the batch with its trail, the inspector's highlighted step and its contribution c_t, and a
// tooltip with π, V, Q and visits of the hovered cell.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

#include "env/env.h"
#include "gui/layout.h"
#include "gui/views/env_draw.h"
#include "lab/rollout_stats.h"

namespace pglab::gui::envdraw {
namespace {

// Actions 0 up, 1 right, 2 down, 3 left, as screen directions (y down).
constexpr float kDirX[4] = {0.0f, 1.0f, 0.0f, -1.0f};
constexpr float kDirY[4] = {-1.0f, 0.0f, 1.0f, 0.0f};
constexpr const char* kActionName[4] = {"↑ up", "→ right", "↓ down", "← left"};
// The trail: cyan is in neither colour map, so it reads over every cell (with a dark halo).
const Rgba kTrail = {0.13f, 0.83f, 0.93f, 1.0f};

struct Grid {
  float x0 = 0, y0 = 0, cell = 1;
  float cx(int c) const { return x0 + (static_cast<float>(c) + 0.5f) * cell; }
  float cy(int r) const { return y0 + (static_cast<float>(r) + 0.5f) * cell; }
};

// How the cells are coloured this frame.
struct CellColors {
  bool has_values = false;
  bool diverging = false;
  double lo = 0, hi = 1;      // colour bar range
  std::vector<double> value;  // per state (V or visits)
  const char* title = "";
  Rgba color_of(double v) const {
    if (diverging) {
      const double m = std::max(std::abs(lo), std::abs(hi));
      return envdraw::signed_value(v, m);
    }
    return sequential(static_cast<float>(hi > lo ? (v - lo) / (hi - lo) : 0.5));
  }
};

std::string fmt(const char* f, double v) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), f, v);
  return buf;
}

// Position of the agent at step k (cell centre of s_k); falls back to the last known state.
bool position_at(const pg::GridLayout& gw, const Grid& g, const pg::Trajectory& tr, int k, float* x,
                 float* y) {
  for (int j = std::min(k, tr.length()); j >= 0; --j) {
    const int s = pg::state_at(tr, j);
    if (s < 0) continue;
    const auto [r, c] = gw.cell_of_state(s);
    *x = g.cx(c);
    *y = g.cy(r);
    return true;
  }
  return false;
}

// Narrower than this, the colour bar's title goes on its own line and the key wraps (presenter
// scale, small windows). Wider, the short key (≤ 28 em with the contributions) fits on its line.
bool grid_narrow(float width, float fs) {
  return width < fs * 30.0f;
}
}  // namespace

// The line above the cells that names the agent's trajectory and step: one line at any width (its
// text shortens until it fits).
float grid_header_height(float fs, bool agent_line) {
  return fs * (agent_line ? 1.6f : 0.3f);
}

float grid_side_legend_width(float width, float fs) {
  return fs * 0.8f + std::min(fs * 12.0f, width * 0.45f);
}

bool grid_legend_fits_beside(float width, float cell, int rows, int cols, float fs) {
  return width >= cell * static_cast<float>(cols) + grid_side_legend_width(width, fs) &&
         cell * static_cast<float>(rows) >= fs * 7.0f;
}

float grid_chrome_height(float width, float fs, bool agent_line) {
  // Narrow pictures (presenter mode, small windows) put the colour bar's title on its own line and
  // wrap the key.
  return grid_header_height(fs, agent_line) + (grid_narrow(width, fs) ? fs * 6.4f : fs * 3.6f);
}

float grid_cell_side(float W, float H, int R, int C, float fs, bool agent_line, bool* side_out) {
  const float header = grid_header_height(fs, agent_line);
  float cell =
      std::max(4.0f, std::floor(std::min(W / C, (H - grid_chrome_height(W, fs, agent_line)) / R)));
  // Short and wide (a presenter scale on a 1280×720 beamer): the colour bar and the key beside
  // the cells instead of under them, where they took a third of the height (a 4×4 map of 176 px
  // in a picture of 731×449 at scale 2).
  const float side_w = grid_side_legend_width(W, fs);
  const float cell_side = std::floor(std::min((W - side_w) / C, (H - header - fs * 0.3f) / R));
  const bool side = cell_side > cell && grid_legend_fits_beside(W, cell_side, R, C, fs);
  if (side_out) *side_out = side;
  return side ? cell_side : cell;
}

EnvPick draw_gridworld(const DrawArgs& a) {
  EnvPick pick;
  const pg::GridLayout* gw = a.s.env().grid();
  if (!gw || !a.s.env().model()) return pick;
  const pg::TabularModel& model = *a.s.env().model();
  const pg::ExactResult* ex = a.s.exact();
  const Palette& pal = a.pal;
  const int S = model.num_states(), A = 4, R = gw->rows(), C = gw->cols();

  Picture pic;
  pic.begin(a.canvas, a.size, pal);
  const float fs = pic.fs, W = pic.size.x, H = pic.size.y;
  // Narrow pictures (presenter mode, small windows) put the colour bar's title on its own line and
  // wrap the key: the legend grows instead of clipping.
  const bool narrow = grid_narrow(W, fs);
  double t = 0.0;
  const pg::Trajectory* tr = chosen_trajectory(a.s, a.o, &t);
  // The agent line above the cells; editing without a trajectory (the world editor, the painted
  // behaviour) has none, and the cells move up into its room.
  const bool has_agent_line = tr || (!a.o.editing && a.o.color_mode != 2);
  const float header = grid_header_height(fs, has_agent_line);
  bool side = false;
  const float cell = grid_cell_side(W, H, R, C, fs, has_agent_line, &side);
  const float side_gap = fs * 0.8f;
  const float side_w = grid_side_legend_width(W, fs) - side_gap;
  const float grid_w = cell * C, grid_h = cell * R;
  const float top = 0.0f;  // top-aligned: the header sits right under the view's own controls
  Grid g{std::floor((W - (side ? grid_w + side_gap + side_w : grid_w)) * 0.5f), top + header, cell};

  // ---- cell colours ----
  CellColors cc;
  std::vector<int> visits = pg::state_visits(a.s.batch(), S);
  // The other branch of a fork, where it is the same world (an edit may have changed its states).
  const pg::Session* other = a.o.shared_scale_with;
  if (other && (!other->env().model() || other->env().model()->num_states() != S)) other = nullptr;
  const bool given =
      a.o.color_mode == 2 && a.o.cell_values && static_cast<int>(a.o.cell_values->size()) == S;
  const bool counts = a.o.color_mode == 1 || given;
  if (given) {
    cc.has_values = true;
    cc.value = *a.o.cell_values;
    double most = 0;
    for (int s = 0; s < S; ++s)
      if (!model.terminal(s)) most = std::max(most, cc.value[s]);
    cc.lo = 0;
    cc.hi = std::max(1.0, most);
    cc.title = a.o.cell_values_title;
  } else if (a.o.color_mode == 1) {
    cc.has_values = true;
    cc.value.assign(visits.begin(), visits.end());
    int most = 0;
    for (int s = 0; s < S; ++s)
      if (!model.terminal(s)) most = std::max(most, visits[s]);
    if (other)
      for (int v : pg::state_visits(other->batch(), S)) most = std::max(most, v);
    cc.lo = 0;
    cc.hi = std::max(1, most);
    cc.title = "visits in this batch";
  } else if (ex) {
    cc.has_values = true;
    cc.value.assign(ex->V.data(), ex->V.data() + ex->V.size());
    const pg::ValueRange r = pg::nonterminal_range(ex->V, model);
    cc.lo = r.lo;
    cc.hi = r.hi;
    if (const pg::ExactResult* ox = other ? other->exact() : nullptr;
        ox && ox->V.size() == ex->V.size()) {
      const pg::ValueRange o = pg::nonterminal_range(ox->V, model);
      cc.lo = std::min(cc.lo, o.lo);
      cc.hi = std::max(cc.hi, o.hi);
    }
    // Always the signed map around 0: the palette does not switch when V first crosses 0 after an
    // update (a sequential map for one-signed V, then a diverging one, read as a different world).
    cc.diverging = true;
    cc.title = "exact V^π(s), current θ";
  }
  auto cell_color = [&](int s) -> Rgba {
    if (!cc.has_values) return pal.floor;
    if (counts && cc.value[s] == 0) return pal.floor;
    return cc.color_of(cc.value[s]);
  };

  // π(a|s) at the current θ: the oracle's table (every finite world has one).
  auto prob = [&](int s, int act) -> double { return ex ? ex->probs(s, act) : 0.25; };

  render::QuadBatch& quads = a.canvas.quads;
  render::TriangleBatch& tris = a.canvas.tris;
  render::TriangleBatch& dyn = a.canvas.dyn;  // moves with t: re-rendered without the board
  quads.add(g.x0 - 1, g.y0 - 1, grid_w + 2, grid_h + 2, pal.grid);
  const float inset = std::max(1.0f, std::floor(cell * 0.025f));
  for (int r = 0; r < R; ++r) {
    for (int c = 0; c < C; ++c) {
      const float x = g.x0 + c * cell, y = g.y0 + r * cell;
      const char ch = gw->cell(r, c);
      if (ch == '#') {
        quads.add(x, y, cell, cell, pal.wall);  // no inset: walls merge into solid blocks
        continue;
      }
      const int s = gw->state_of_cell(r, c);
      const Rgba col = ch == 'G' ? pal.goal : ch == 'X' ? pal.pit : cell_color(s);
      quads.add(x + inset, y + inset, cell - 2 * inset, cell - 2 * inset, col);
    }
  }

  // ---- trail and agent ----
  float ax = 0, ay = 0;
  bool agent = false;
  if (tr) {
    const int T = tr->length();
    const int k = static_cast<int>(std::floor(t));
    const float f = static_cast<float>(t - k);
    float x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    agent = position_at(*gw, g, *tr, k, &x0, &y0);
    if (agent) {
      ax = x0;
      ay = y0;
      if (k < T && position_at(*gw, g, *tr, k + 1, &x1, &y1)) {
        ax = x0 + (x1 - x0) * f;
        ay = y0 + (y1 - y0) * f;
      }
    }
    if (a.o.trail && agent) {
      const float w = std::clamp(cell * 0.06f, 2.0f, fs * 0.45f);
      float px = 0, py = 0;
      position_at(*gw, g, *tr, 0, &px, &py);
      const int n = std::max(1, k + 1);
      for (int j = 1; j <= std::min(k + 1, T); ++j) {
        float qx = 0, qy = 0;
        if (!position_at(*gw, g, *tr, j, &qx, &qy)) continue;
        if (j == k + 1) {  // partial segment to the animated position
          qx = ax;
          qy = ay;
        }
        // Older steps fainter: the direction of travel reads from the fade.
        const float alpha = 0.3f + 0.4f * static_cast<float>(j) / static_cast<float>(n);
        dyn.add_segment(px, py, qx, qy, w * 2.0f, hex(0x000000, 0.4f * alpha));
        dyn.add_segment(px, py, qx, qy, w, with_alpha(kTrail, alpha));
        dyn.add_disc(qx, qy, w * 0.5f, with_alpha(kTrail, alpha), 10);
        px = qx;
        py = qy;
      }
    }
  }

  // ---- policy arrows ----
  const float arrow_w = std::clamp(cell * 0.055f, 1.5f, fs * 0.4f);
  if (a.o.arrows && ex) {
    for (int s = 0; s < S; ++s) {
      if (model.terminal(s)) continue;
      const auto [r, c] = gw->cell_of_state(s);
      const Rgba bgc = cell_color(s);
      const Rgba ink = luminance(bgc) > 0.45f ? hex(0x101318, 0.85f) : hex(0xFFFFFF, 0.9f);
      const float x = g.cx(c), y = g.cy(r);
      for (int act = 0; act < A; ++act) {
        const float len = static_cast<float>(prob(s, act)) * cell * 0.44f;
        if (len < cell * 0.03f) continue;
        // The head never takes the whole arrow, so short (unlikely) moves still show a shaft.
        const float head = std::min(len * 0.55f, std::clamp(cell * 0.16f, 3.0f, fs));
        tris.add_arrow(x, y, x + kDirX[act] * len, y + kDirY[act] * len, arrow_w, head, ink);
      }
      tris.add_disc(x, y, arrow_w * 0.9f, ink, 12);
    }
  }

  // ---- start markers ----
  for (int r = 0; r < R; ++r)
    for (int c = 0; c < C; ++c)
      if (gw->cell(r, c) == 'S')
        pic.rect_outline(g.x0 + c * cell + inset, g.y0 + r * cell + inset,
                         g.x0 + (c + 1) * cell - inset, g.y0 + (r + 1) * cell - inset,
                         std::max(2.0f, cell * 0.04f), pal.ink);

  // ---- contribution c_t (inspector): which way the step pushes each logit ----
  const pg::Policy& policy = a.s.policy();
  const bool tabular = policy.kind() == pg::PolicyKind::kTabular;
  const Eigen::VectorXd* contrib = a.o.contribution;
  const int num_obs = model.num_obs();
  const bool has_contrib =
      contrib && tabular && contrib->size() == static_cast<Eigen::Index>(num_obs) * A;
  if (has_contrib) {
    const double max_abs = contrib->cwiseAbs().maxCoeff();
    if (max_abs > 0) {
      for (int s = 0; s < S; ++s) {
        if (model.terminal(s)) continue;
        const int ob = model.obs_of_state(s);
        const auto [r, c] = gw->cell_of_state(s);
        const float x = g.cx(c), y = g.cy(r);
        for (int act = 0; act < A; ++act) {
          const double v = (*contrib)[ob * A + act];
          const float len = static_cast<float>(std::abs(v) / max_abs) * cell * 0.46f;
          if (len < cell * 0.03f) continue;
          const float w = std::clamp(cell * 0.09f, 3.0f, fs * 0.6f);
          const float head = std::min(len, std::clamp(cell * 0.2f, 5.0f, fs * 1.2f));
          // + : an outward arrow (the logit of a goes up); − : an inward arrow (it goes down).
          const float ox = x + kDirX[act] * (cell * 0.08f), oy = y + kDirY[act] * (cell * 0.08f);
          const float ex_ = ox + kDirX[act] * len, ey = oy + kDirY[act] * len;
          const Rgba col = v > 0 ? pal.positive : pal.negative;
          const float hx0 = v > 0 ? ox : ex_, hy0 = v > 0 ? oy : ey, hx1 = v > 0 ? ex_ : ox,
                      hy1 = v > 0 ? ey : oy;
          tris.add_arrow(hx0, hy0, hx1, hy1, w + 3.0f, head + 3.0f, hex(0x000000, 0.55f));
          tris.add_arrow(hx0, hy0, hx1, hy1, w, head, col);
        }
      }
    }
  }

  // ---- inspector highlight: the step's cell and the action it took ----
  if (tr && a.o.highlight_step >= 0 && a.o.highlight_step <= tr->length()) {
    const int h = a.o.highlight_step;
    const int s = pg::state_at(*tr, h);
    if (s >= 0) {
      const auto [r, c] = gw->cell_of_state(s);
      const float lw = std::max(3.0f, cell * 0.07f);
      pic.rect_outline(g.x0 + c * cell, g.y0 + r * cell, g.x0 + (c + 1) * cell,
                       g.y0 + (r + 1) * cell, lw, pal.accent);
      if (h < tr->length()) {
        const int act = tr->actions[static_cast<size_t>(h)];
        const float x = g.cx(c), y = g.cy(r), len = cell * 0.47f;
        const float w = std::clamp(cell * 0.1f, 3.0f, fs * 0.7f);
        tris.add_arrow(x, y, x + kDirX[act] * len, y + kDirY[act] * len, w + 4, cell * 0.24f + 4,
                       hex(0x000000, 0.6f));
        tris.add_arrow(x, y, x + kDirX[act] * len, y + kDirY[act] * len, w, cell * 0.24f,
                       pal.accent);
      }
    }
  }
  if (agent) {
    const float rad = std::clamp(cell * 0.2f, 4.0f, fs * 1.3f);
    dyn.add_disc(ax, ay, rad + std::max(2.0f, rad * 0.22f), pal.agent_ring, 32);
    dyn.add_disc(ax, ay, rad, pal.agent, 32);
  }

  // ---- legend: colour bar ----
  // Beside the cells (side), the title on its own line above the bar, as when narrow.
  const bool stacked = narrow || side;
  // Beside the cells the title may take two lines (its width is the side column's).
  const std::string side_title =
      side && cc.has_values ? wrap_at_spaces(cc.title, std::max(side_w, 1.0f), fs) : std::string();
  const float title_h = side ? pic.text_size(side_title.c_str()).y : fs;
  const float leg_y =
      side ? g.y0 + title_h + fs * 0.4f : g.y0 + grid_h + fs * (narrow ? 1.9f : 0.6f);
  const float leg_w = side ? side_w : std::min(W, std::max(grid_w, fs * 26.0f));
  const float leg_x = side ? g.x0 + grid_w + side_gap : std::floor((W - leg_w) * 0.5f);
  float bar_x = leg_x, bar_w = 0;
  // The bar's end labels, and its middle "0" where it has room between them: in a narrow picture
  // (a fork's two branches) the three were drawn over each other ("-0.9480 .948").
  const double bar_m = std::max(std::abs(cc.lo), std::abs(cc.hi));
  const std::string lo = fmt("%.3g", cc.diverging ? -bar_m : cc.lo);
  const std::string hi = fmt("%.3g", cc.diverging ? bar_m : cc.hi);
  const float ends_w = pic.text_size(lo.c_str()).x + pic.text_size(hi.c_str()).x + fs * 0.5f;
  if (cc.has_values) {
    const float title_w = stacked ? 0.0f : pic.text_size(cc.title).x + fs * 0.6f;
    bar_x = leg_x + title_w;
    bar_w = std::min(std::max({fs * 4.0f, leg_w - title_w, ends_w}), W - bar_x);
    pic.colorbar(bar_x, leg_y, bar_w, fs * 0.8f,
                 cc.diverging ? envdraw::signed_diverging : sequential);
  }
  pic.present(a.programs);
  pick.grid_min = pic.screen(g.x0, g.y0);
  pick.cell = cell;
  const bool hovered = ImGui::IsItemHovered() && !a.o.editing;
  const bool clicked = ImGui::IsItemClicked(ImGuiMouseButton_Left);

  // ---- text over the image ----
  if (tr) {
    const int k = static_cast<int>(std::floor(t));
    // The long forms start over the grid, the short ones where they fit.
    std::string line =
        agent_line(pic, a.s, a.o.trajectory, *tr, k, W - g.x0, "Agent: trajectory", true);
    if (pic.text_size(line.c_str()).x > W - g.x0)
      line = agent_line(pic, a.s, a.o.trajectory, *tr, k, W, "Agent: trajectory", true);
    const char* buf = line.c_str();
    pic.text(std::max(0.0f, std::min(g.x0, W - pic.text_size(buf).x)), top + fs * 0.2f, pal.text,
             buf);
  } else if (!a.o.editing && a.o.color_mode != 2) {  // not a map of counts (the replay view)
    pic.text(g.x0, top + fs * 0.2f, pal.text_dim, "No episode sampled yet.");
  }
  // Cell letters scale with the cell, down to small cells (presenter scale on a big map), where a
  // larger letter would run into its neighbours'.
  const float label_scale = std::clamp(cell / (fs * 2.2f), 0.25f, 1.6f);
  for (int r = 0; r < R; ++r) {
    for (int c = 0; c < C; ++c) {
      const char ch = gw->cell(r, c);
      if (ch == 'G')
        pic.text_halo(g.cx(c), g.cy(r), hex(0xFFFFFF), hex(0x0B3D1A, 0.8f), "G", label_scale);
      if (ch == 'X')
        pic.text_halo(g.cx(c), g.cy(r), pal.danger, hex(0x000000, 0.6f), "X", label_scale);
      if (ch == 'S' && cell > fs * 1.4f)
        pic.text_halo(g.x0 + c * cell + cell * 0.08f, g.y0 + r * cell + cell * 0.05f, hex(0xFFFFFF),
                      hex(0x000000, 0.7f), "S", std::min(label_scale, 1.0f), false);
    }
  }
  // Numbers in the cells when they are large enough to hold them beside the arrows.
  if (cc.has_values && cell >= fs * 5.5f) {
    for (int s = 0; s < S; ++s) {
      if (model.terminal(s)) continue;
      const auto [r, c] = gw->cell_of_state(s);
      const std::string v = counts ? fmt("%.0f", cc.value[s]) : fmt("%.2f", cc.value[s]);
      const ImVec2 ts = pic.text_size(v.c_str(), 0.85f);
      pic.text_halo(g.x0 + c * cell + cell * 0.07f, g.y0 + (r + 1) * cell - cell * 0.06f - ts.y,
                    hex(0xFFFFFF), hex(0x000000, 0.75f), v.c_str(), 0.85f, false);
    }
  }
  if (cc.has_values) {
    if (side)
      pic.text(leg_x, g.y0, pal.text, side_title.c_str());
    else
      pic.text(leg_x, leg_y - fs * (stacked ? 1.35f : 0.1f), pal.text, cc.title);
    const float ty = leg_y + fs * 0.9f;
    pic.text(bar_x, ty, pal.text_dim, lo.c_str());
    pic.text(bar_x + bar_w - pic.text_size(hi.c_str()).x, ty, pal.text_dim, hi.c_str());
    if (cc.diverging && bar_w >= ends_w + pic.text_size("0").x + fs)
      pic.text_centered(bar_x + bar_w * 0.5f, ty + fs * 0.5f, pal.text_dim, "0");
  }
  {
    char key[200];
    std::snprintf(key, sizeof(key), "%s%sS start · G goal · X pit%s",
                  a.o.arrows ? "arrows ∝ π(a|s)  ·  " : "",
                  tr ? "○ agent, cyan: its trail  ·  " : "",
                  has_contrib ? "  ·  cₜ: green +, red −" : "");
    // Narrow, or the full key would wrap onto a second line under the picture (over what the view
    // draws below it): the short key (S, G and X label themselves).
    if (stacked || pic.text_size(key).x > W)
      std::snprintf(key, sizeof(key), "%s%s%s", a.o.arrows ? "arrows ∝ π(a|s)" : "",
                    tr ? " · cyan: trail" : "", has_contrib ? " · cₜ: green +, red −" : "");
    const float kw = pic.text_size(key).x;
    if (!side && kw <= W)
      pic.text(std::floor((W - kw) * 0.5f), leg_y + fs * 2.1f, pal.text_dim, key);
    else
      pic.text_wrapped(leg_x, leg_y + fs * 2.1f, leg_w, pal.text_dim, key);
  }

  // ---- hover and click ----
  if (hovered || clicked) {
    const ImVec2 m = ImGui::GetIO().MousePos;
    const float lx = m.x - pic.origin.x - g.x0, ly = m.y - pic.origin.y - g.y0;
    const int c = static_cast<int>(std::floor(lx / cell)),
              r = static_cast<int>(std::floor(ly / cell));
    if (r >= 0 && r < R && c >= 0 && c < C && gw->cell(r, c) != '#') {
      const int s = gw->state_of_cell(r, c);
      if (clicked) {
        pick.clicked = true;
        pick.state = s;
        if (tr)
          pick.step =
              pg::nearest_step_in_state(*tr, s, a.o.highlight_step >= 0 ? a.o.highlight_step : t);
      }
      if (hovered) {
        const ImVec2 p0 = pic.screen(g.x0 + c * cell, g.y0 + r * cell);
        pic.dl->AddRect(p0, ImVec2(p0.x + cell, p0.y + cell), to_u32(pal.accent), 0.0f, 0, 2.0f);
        ImGui::BeginTooltip();
        ImGui::Text("Cell row %d, column %d · state %d", r, c, s);
        const char ch = gw->cell(r, c);
        if (ch == 'G') ImGui::TextUnformatted("Goal: the episode ends here.");
        if (ch == 'X') ImGui::TextUnformatted("Pit: the episode ends here.");
        if (ch == 'S') ImGui::TextUnformatted("Start state.");
        if (ex) ImGui::Text("V^π(s) = %.4f   (exact, current θ)", ex->V[s]);
        ImGui::Text("Visits in this batch: %d", visits[s]);
        if (!model.terminal(s) && ex) {
          const int cols = has_contrib ? 4 : 3;
          if (ImGui::BeginTable("cell_pi", cols,
                                ImGuiTableFlags_Borders | ImGuiTableFlags_SizingFixedFit)) {
            ImGui::TableSetupColumn("action");
            ImGui::TableSetupColumn("π(a|s)");
            ImGui::TableSetupColumn("Q^π(s,a)");
            if (has_contrib) ImGui::TableSetupColumn("cₜ (logit)");
            table_headers_wrapped();
            for (int act = 0; act < A; ++act) {
              ImGui::TableNextRow();
              ImGui::TableNextColumn();
              ImGui::TextUnformatted(kActionName[act]);
              ImGui::TableNextColumn();
              ImGui::Text("%.3f", ex->probs(s, act));
              ImGui::TableNextColumn();
              ImGui::Text("%.4f", ex->Q(s, act));
              if (has_contrib) {
                ImGui::TableNextColumn();
                ImGui::Text("%+.3g", (*contrib)[model.obs_of_state(s) * A + act]);
              }
            }
            ImGui::EndTable();
          }
        }
        ImGui::EndTooltip();
      }
    }
  }
  return pick;
}

}  // namespace pglab::gui::envdraw
