// The one-observation worlds: the short corridor (a 4-cell diagram with P(left)/P(right) of every
// state, the reversed state marked, and the exact J(p) curve) and the bandit (arm means, π(a) and
// the expected reward J = Σ π(a) μ(a)).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <vector>

#include "env/bandit.h"
#include "env/short_corridor.h"
#include "gui/layout.h"
#include "gui/panels/panels.h"
#include "gui/plot/plot.h"
#include "gui/views/env_draw.h"
#include "lab/policy_curve.h"
#include "lab/rollout_stats.h"

namespace pglab::gui::envdraw {
namespace {

constexpr const char* kName[4] = {"S", "1", "2", "G"};
constexpr const char* kSub[4] = {"start", "reversed!", "", "goal"};

// "arm 0", "arm 1", … (from 0, as the batch dump's actions) just above the baseline (the x axis has
// no fractional ticks for arms). Under each bar "arm k", or just "k" where the plot (`width` screen
// units) is too narrow for that.
void arm_labels(const std::vector<double>& arm, float width) {
  char buf[32];
  const float slot = (width - ImGui::GetFontSize() * 5.0f) / static_cast<float>(arm.size() + 1);
  const bool short_form = ImGui::CalcTextSize("arm 00").x > slot;
  for (size_t i = 0; i < arm.size(); ++i) {
    std::snprintf(buf, sizeof(buf), short_form ? "%zu" : "arm %zu", i);
    plot::PlotText(buf, arm[i], 0.0, ImVec2(0, -ImGui::GetFontSize() * 0.75f));
  }
}

// The policy the picture shows: the one a view passes (the inspector: the θ that sampled the batch,
// whose π(aₜ|sₜ) its card and ledger show), else the session's current one; and the exact results
// at that θ.
const pg::Policy& shown_policy(const DrawArgs& a) {
  return a.o.policy ? *a.o.policy : a.s.policy();
}
bool shows_batch_theta(const DrawArgs& a) {
  return a.o.policy && a.o.policy != &a.s.policy();
}
const pg::ExactResult* shown_exact(const DrawArgs& a) {
  return shows_batch_theta(a) ? a.s.batch_exact() : a.s.exact();
}

}  // namespace

CorridorRows corridor_rows(float cw, float gap, float ch) {
  // The names (S, 1, 2, G) stand 0.8 em above the cells; the P(move right) labels 0.75 em over the
  // upper arrows' shafts (0.22 ch above the centre, up to 0.2 ch thick), centred on the gaps. Where
  // the cells are small (a fork's half-width branch at 1280×720: ch ≈ 1.5 em) the two rows
  // coincide and a name touches the label beside it ("S0.08" read as a number): the names then
  // stand a line above the labels' row, and the cells move down to make that room.
  const float fs = ImGui::GetFontSize();
  const float max_w = ch * 0.2f;
  const float label_w = ImGui::CalcTextSize("0.00").x;
  float name_w = 0.0f;
  for (const char* name : kName) name_w = std::max(name_w, ImGui::CalcTextSize(name).x);
  CorridorRows r;
  r.label_rise_min = ch * 0.22f + 1.5f * 0.5f + fs * 0.75f;
  r.label_rise_max = ch * 0.22f + (1.5f + max_w) * 0.5f + fs * 0.75f;
  r.name_rise = ch * 0.5f + fs * 0.8f;
  // A line's height apart from every label's centre, or a label's half-width and the name's clear
  // of each other across the half-pitch from a cell's centre to a gap's.
  const bool meet = r.name_rise - fs * 1.1f < r.label_rise_max &&
                    r.name_rise + fs * 1.1f > r.label_rise_min &&
                    0.5f * (name_w + label_w) + fs * 0.3f > 0.5f * (cw + gap);
  r.lift = meet ? std::max(0.0f, r.label_rise_max + fs * 1.1f - r.name_rise) : 0.0f;
  return r;
}

EnvPick draw_short_corridor(const DrawArgs& a, const CorridorCurve& curve) {
  EnvPick pick;
  const Palette& pal = a.pal;
  const float fs = ImGui::GetFontSize();
  const double p = pg::prob_of_action(shown_policy(a), 1);  // P(right), the same in every state
  const pg::ExactResult* ex = shown_exact(a);
  const bool batch_theta = shows_batch_theta(a);
  // Off-policy: b sampled the batch; θ_old is the target policy the weights ρ = π/b correct to.
  const bool sampled_by_b =
      a.s.algorithm().info(a.s.scenario()).supports(pg::Analysis::kImportance);

  // ---- diagram ----
  // Text first: its wrapped height decides where the cells go.
  // Brief (a fork's two branches side by side): p alone and no caption, the agent line in its
  // short form; the paragraphs, drawn twice in half the width, ran 105 px past the branch's
  // bottom at 1280×720 ×1.5.
  char head[320], caption[200] = "";
  std::snprintf(
      head, sizeof(head), "%s = %.3f%s",
      a.o.brief ? "p = P(right)"
                : "Every state shows the same observation, so the policy is one number: p = "
                  "P(right)",
      p,
      !batch_theta   ? ""
      : a.o.brief    ? " (batch's θ)"
      : sampled_by_b ? " (π at this batch's θ_old; the behaviour policy b sampled the batch)"
                     : " (at the θ that sampled this batch)");
  if (!a.o.brief)
    std::snprintf(caption, sizeof(caption),
                  "Arrows: probability of moving right (above) and left (below), −1 reward per "
                  "step. In state 1 the actions are swapped: right moves left.");
  const float pad = fs * 0.5f;
  const float text_w = a.size.x - 2 * pad;
  Picture pic;
  pic.fs = fs;
  // The agent line under the head, wrapped too (a narrow picture, presenter scale).
  double t = 0.0;
  const pg::Trajectory* tr = chosen_trajectory(a.s, a.o, &t);
  char agent[200] = "";
  if (tr) {
    const int k = static_cast<int>(std::floor(t));
    // The long form: the line wraps.
    std::snprintf(agent, sizeof(agent), "%s",
                  agent_line(pic, a.s, a.o.trajectory, *tr, k, a.o.brief ? text_w : 1e9f,
                             "Agent: trajectory", false)
                      .c_str());
  }
  const float head_text_h = pic.wrapped_size(text_w, head).y;
  const float agent_h = tr ? pic.wrapped_size(text_w, agent).y : fs;
  const float head_h = head_text_h + std::max(fs * 1.4f, agent_h + fs * 0.4f);
  const float caption_h = caption[0] ? pic.wrapped_size(text_w, caption).y : 0.0f;
  const float W = std::floor(a.size.x);
  // Four cells and three gaps of 0.95 cell; on the left room for state 0's bump into the wall.
  const float cw = std::floor(std::min(W / (4.0f + 3 * 0.95f + 1.3f), fs * 7.0f));
  const float gap = cw * 0.95f, ch = std::min(cw, fs * 4.2f);
  const float total = 4 * cw + 3 * gap + 0.9f * cw;
  const float x0 = std::floor((W - total) * 0.5f + 0.9f * cw);
  const float max_w = ch * 0.2f;  // the widest arrow's shaft
  const CorridorRows rows = corridor_rows(cw, gap, ch);
  const float name_rise = rows.name_rise, name_lift = rows.lift;
  const float cells_top = fs * 0.3f + head_h + fs * 1.7f + name_lift;
  const float cy = std::floor(cells_top + ch * 0.5f);
  // The cells' names under them ("start", "reversed!"), below the left arrows' probabilities
  // where small cells (a short view, presenter scale) would put the two on one line.
  // (The lower row mirrors the upper: its widest label as far below the centre line.)
  const float left_label_y = cy + rows.label_rise_max;
  const float sub_y = std::max(cy + ch / 2 + fs * 0.75f, left_label_y + fs * 1.05f);
  // Two neighbours' names centred under cells a pitch apart touch where the pitch is less than
  // half of each plus a space ("startreversed!" at 1280×720): then only "reversed!" is written,
  // the one that says something the cell's letter does not (S is the start, G the goal). A second
  // row for them took the J(p) plot's last lines.
  bool cramped = false;
  for (int s = 0; s + 1 < 4; ++s)
    if (kSub[s][0] && kSub[s + 1][0] &&
        0.5f * (ImGui::CalcTextSize(kSub[s]).x + ImGui::CalcTextSize(kSub[s + 1]).x) + fs * 0.6f >
            cw + gap)
      cramped = true;
  auto shows_sub = [&](int s) { return kSub[s][0] != '\0' && (!cramped || s == 1); };
  const float caption_y = sub_y + fs * 0.95f;
  // The diagram keeps its text whole; the J(p) plot below gets what is left, or is left out.
  const float diag_h = std::floor(caption_y + caption_h + fs * 0.6f);
  pic.begin(a.canvas, ImVec2(a.size.x, diag_h), pal);
  auto cell_x = [&](int s) { return x0 + s * (cw + gap); };
  render::QuadBatch& quads = a.canvas.quads;
  render::TriangleBatch& tris = a.canvas.tris;
  for (int s = 0; s < 4; ++s) {
    const Rgba col = s == pg::ShortCorridor::kGoal ? pal.goal : pal.floor;
    quads.add(cell_x(s), cy - ch / 2, cw, ch, col);
  }
  pic.rect_outline(cell_x(1), cy - ch / 2, cell_x(1) + cw, cy + ch / 2, std::max(2.0f, fs * 0.16f),
                   pal.accent);
  // Wall left of state 0.
  const float wall_x = cell_x(0) - 0.75f * cw;
  tris.add_rect(wall_x - fs * 0.35f, cy - ch * 0.6f, wall_x, cy + ch * 0.6f, pal.wall);

  // Movement probabilities: P(move right | s) above the centre line, P(move left | s) below.
  // In state 1 the actions are swapped: moving right takes action left (1 − p).
  auto p_right_move = [&](int s) { return s == 1 ? 1.0 - p : p; };
  char buf[160];
  struct Label {
    float x, y;
    double prob;
  };
  std::vector<Label> labels;
  for (int s = 0; s < 3; ++s) {
    const double pr = p_right_move(s), pl = 1.0 - pr;
    const float yr = cy - ch * 0.22f, yl = cy + ch * 0.22f;
    const float w_r = 1.5f + static_cast<float>(pr) * max_w,
                w_l = 1.5f + static_cast<float>(pl) * max_w;
    // right: from this cell's right edge into the next cell
    const float rx0 = cell_x(s) + cw - cw * 0.12f, rx1 = cell_x(s + 1) + cw * 0.12f;
    tris.add_arrow(rx0, yr, rx1, yr, w_r, std::max(fs * 0.7f, w_r * 1.8f),
                   with_alpha(pal.ink, 0.92f));
    labels.push_back({(rx0 + rx1) * 0.5f, yr - w_r * 0.5f - fs * 0.75f, pr});
    // left: into the previous cell, or against the wall from state 0 (it stays)
    const float lx0 = cell_x(s) + cw * 0.12f;
    const float lx1 = s == 0 ? wall_x + fs * 0.2f : cell_x(s - 1) + cw - cw * 0.12f;
    tris.add_arrow(lx0, yl, lx1, yl, w_l, std::max(fs * 0.7f, w_l * 1.8f),
                   with_alpha(pal.ink, 0.92f));
    labels.push_back({(lx0 + lx1) * 0.5f, yl + w_l * 0.5f + fs * 0.75f, pl});
  }
  // The lower row: state 0's label sits between its cell and the wall, less than a pitch from
  // state 1's; in small cells the two touched ("0.920.08"). A label then moves right, under its
  // gap's right half and the next cell's foot, which are free.
  const float label_gap = ImGui::CalcTextSize("0.00").x + fs * 0.5f;
  for (size_t i = 3; i < labels.size(); i += 2)
    labels[i].x = std::max(labels[i].x, labels[i - 2].x + label_gap);

  // Agent of the chosen episode.
  if (tr) {
    const int k = static_cast<int>(std::floor(t));
    const int s0 = pg::state_at(*tr, k), s1 = pg::state_at(*tr, std::min(k + 1, tr->length()));
    if (s0 >= 0) {
      const float f = static_cast<float>(t - k);
      const float ax =
          cell_x(s0) + cw * 0.5f + ((s1 >= 0 ? cell_x(s1) : cell_x(s0)) - cell_x(s0)) * f;
      const float rad = std::min(cw, ch) * 0.16f;
      a.canvas.dyn.add_disc(ax, cy, rad + 2.5f, pal.agent_ring, 28);
      a.canvas.dyn.add_disc(ax, cy, rad, pal.agent, 28);
    }
    if (a.o.highlight_step >= 0) {
      const int hs = pg::state_at(*tr, a.o.highlight_step);
      if (hs >= 0)
        pic.rect_outline(cell_x(hs) - 3, cy - ch / 2 - 3, cell_x(hs) + cw + 3, cy + ch / 2 + 3,
                         3.0f, pal.accent);
    }
  }
  pic.present(a.programs);
  const bool clicked = ImGui::IsItemClicked(ImGuiMouseButton_Left);

  pic.text_wrapped(pad, fs * 0.3f, text_w, pal.text, head);
  if (tr) pic.text_wrapped(pad, fs * 0.3f + head_text_h, text_w, pal.text_dim, agent);
  for (int s = 0; s < 4; ++s) {
    pic.text_centered(cell_x(s) + cw * 0.5f, cy - name_rise - name_lift,
                      s == 1 ? pal.accent : pal.text, kName[s]);
    if (shows_sub(s))
      pic.text_centered(cell_x(s) + cw * 0.5f, sub_y, s == 1 ? pal.accent : pal.text_dim, kSub[s]);
  }
  for (const Label& l : labels) {
    std::snprintf(buf, sizeof(buf), "%.2f", l.prob);
    pic.text_centered(l.x, l.y, pal.text, buf);
  }
  if (caption[0]) pic.text_wrapped(pad, caption_y, text_w, pal.text_dim, caption);
  if (clicked) {
    const float mx = ImGui::GetIO().MousePos.x - pic.origin.x;
    for (int s = 0; s < 4; ++s)
      if (mx >= cell_x(s) && mx < cell_x(s) + cw) {
        pick.clicked = true;
        pick.state = s;
        if (tr)
          pick.step =
              pg::nearest_step_in_state(*tr, s, a.o.highlight_step >= 0 ? a.o.highlight_step : t);
      }
  }

  // ---- J(p) ----
  const float plot_h = a.size.y - diag_h - ImGui::GetStyle().ItemSpacing.y;
  if (!curve.error.empty()) {
    text_wrapped_at_spacesf("No J(p) curve: %s", curve.error.c_str());
    return pick;
  }
  // The curve, the optimum and the policy are named in a key under the plot: a legend inside it
  // stood over the optimum's line and the curve's flank (fixed limits leave it no free corner).
  const double j_now = ex ? ex->J : std::nan("");
  const double p_star = pg::short_corridor_p_star();
  // The best J is named in the optimum's key: a label in the plot (right of the optimum's line,
  // under its top) stood over the current policy's marker once p neared p*, and the plot is a
  // strip at 1280×720.
  char optimum[96], policy[96];
  std::snprintf(optimum, sizeof(optimum), "┆ optimum p* = 2 − √2 ≈ %.3f, best J ≈ %.2f", p_star,
                curve.J_best);
  std::snprintf(policy, sizeof(policy), "● %s: p = %.3f, J = %.2f",
                !batch_theta   ? "current policy"
                : sampled_by_b ? "π at the batch's θ_old"
                               : "the batch's policy",
                p, j_now);
  const ImU32 curve_colour = color_return(), optimum_colour = IM_COL32(120, 210, 120, 255),
              policy_colour = to_u32(pal.accent);
  char optimum_short[64], policy_short[64];
  std::snprintf(optimum_short, sizeof(optimum_short), "┆ p* ≈ %.3f, J* ≈ %.2f", p_star,
                curve.J_best);
  std::snprintf(policy_short, sizeof(policy_short), "● p = %.3f, J = %.2f", p, j_now);
  const ColourKey full_keys[3] = {
      {curve_colour, "— exact J(p)"}, {optimum_colour, optimum}, {policy_colour, policy}};
  const ColourKey short_keys[3] = {
      {curve_colour, "— J(p)"}, {optimum_colour, optimum_short}, {policy_colour, policy_short}};
  const int n_keys = std::isfinite(j_now) ? 3 : 2;
  // A title, an axis and a curve need about seven lines to be read; the key goes under them where
  // it leaves those, in short words where the full ones take too many lines (a narrow view beside
  // a lesson). A legend inside stood over the optimum's line, the title and the best-J label, so
  // where not even the short key fits the plot has neither legend nor label: it is too small.
  auto fits = [&](const ColourKey* k) {
    return plot_h - colour_key_height(k, n_keys, a.size.x) > fs * 7.0f;
  };
  // The full words also need to stand on one line each (a fork's half-width branch wrapped them).
  auto one_line = [&](const ColourKey* k) {
    for (int i = 0; i < n_keys; ++i)
      if (ImGui::CalcTextSize(k[i].label).x > a.size.x) return false;
    return true;
  };
  const ColourKey* keys = fits(full_keys) && one_line(full_keys) ? full_keys : short_keys;
  const bool keyed = fits(keys);
  const KeyUnder key(keyed, "corridor_J", keys, n_keys, ImVec2(a.size.x, plot_h), 0.0f);
  const float h = key.plot_size().y;
  if (plot_h > fs * 10.0f && plot::BeginPlot("Exact J(p) of the policy P(right) = p##corridor_J",
                                             ImVec2(a.size.x, h), plot::PlotFlags_NoLegend)) {
    double y_lo = std::min(curve.J_best * 4.0, std::isfinite(j_now) ? j_now * 1.15 : 0.0);
    plot::SetupAxes("p = P(right)", label_fitting(h - fs * 5.0f, "J(p): expected return", "J(p)"));
    plot::SetupAxesLimits(0.0, 1.0, y_lo, 0.0, ImGuiCond_Always);
    plot::SetNextItemColor(curve_colour);
    plot::PlotLine("exact J(p)", curve.p.data(), curve.J.data(), static_cast<int>(curve.p.size()));
    plot::SetNextItemColor(optimum_colour);
    plot::PlotVLine(optimum + std::strlen("┆ "), p_star);
    if (std::isfinite(j_now)) {
      plot::SetNextItemColor(policy_colour);
      plot::PlotMarker(policy + std::strlen("● "), p, j_now);
    }
    plot::EndPlot();
  }
  return pick;
}

EnvPick draw_bandit(const DrawArgs& a) {
  EnvPick pick;
  if (a.s.env().picture() != pg::EnvPicture::kArms || !a.s.env().model()) return pick;
  const float fs = ImGui::GetFontSize();
  const pg::BanditSummary b = pg::bandit_summary(a.s.env(), shown_policy(a), &a.s.batch());
  const int n = static_cast<int>(b.means.size());
  std::vector<double> arm(n);
  for (int i = 0; i < n; ++i) arm[i] = i;
  char buf[320];

  ImGui::BeginGroup();
  // The plots' legends are off where they would cover the bars: the text names what they show.
  std::snprintf(
      buf, sizeof(buf),
      "%d arms, %s rewards. Expected reward of the policy J = Σₐ π(a) μ(a) = %.3f "
      "(dashed); best arm %d (μ = %.3g).%s",
      n, a.s.scenario().env.reward_kind.c_str(), b.J, b.best_arm, b.best_mean,
      a.s.batch().size() > 0 ? " Orange dots: each arm's share of the last batch's pulls." : "");
  // A tenth of an em in from the picture's edge: a wrapped line can start with "J", whose hook
  // reaches left of the pen (the child window has no padding, so 1280×720 ×1.5 cut it).
  const float inset = std::ceil(fs * 0.1f);
  // Brief (a fork's two pictures side by side): J alone, the bars keep the room.
  if (a.o.brief) std::snprintf(buf, sizeof(buf), "J = Σₐ π(a) μ(a) = %.3f (dashed)", b.J);
  ImGui::Indent(inset);
  text_wrapped_at_spaces(buf, a.size.x - inset);  // "= 0.730" stays whole
  ImGui::Unindent(inset);
  const float used = ImGui::GetItemRectSize().y + ImGui::GetStyle().ItemSpacing.y;
  // Side by side where each plot keeps a readable width; legends only on plots large enough that
  // they do not cover the bars (the colours are named in the text above).
  const bool side = a.size.x > (a.size.y - used) * 1.3f &&
                    a.size.x > fs * 28.0f + ImGui::GetStyle().ItemSpacing.x;
  const float sp = ImGui::GetStyle().ItemSpacing.x;
  ImVec2 ps = side ? ImVec2((a.size.x - sp) * 0.5f, a.size.y - used)
                   : ImVec2(a.size.x, (a.size.y - used - ImGui::GetStyle().ItemSpacing.y) * 0.5f);
  // Too low for both one above the other (a large presenter scale): the policy alone, at the full
  // height (the text above names the best arm and J).
  const bool policy_only = !side && ps.y <= fs * 5.0f;
  if (policy_only) ps.y = a.size.y - used;
  const plot::PlotFlags legend =
      ps.y > fs * 16.0f ? plot::PlotFlags_None : plot::PlotFlags_NoLegend;
  if (!policy_only && ps.y > fs * 5.0f &&
      plot::BeginPlot(label_fitting(ps.x - fs * 2.0f, "Mean reward μ(a) per arm###bandit_mu",
                                    "Mean reward μ(a)###bandit_mu"),
                      ps, legend)) {
    // No vertical grid: its line at x = 0 ran through arm 0's bar.
    plot::SetupAxes("arm a", "reward", plot::AxisFlags_NoTickLabels | plot::AxisFlags_NoGridLines,
                    plot::AxisFlags_IncludeZero);
    plot::SetupAxisLimits(plot::Axis::X, -0.6, n - 0.4, ImGuiCond_Always);
    plot::SetNextItemColor(IM_COL32(120, 150, 190, 255));
    plot::PlotBars("μ(a)", arm.data(), b.means.data(), n, 0.6);
    const double best_x = b.best_arm, best_y = b.best_mean;
    plot::SetNextItemColor(IM_COL32(120, 210, 120, 255));
    plot::PlotBars("best arm", &best_x, &best_y, 1, 0.6);
    plot::SetNextItemColor(color_return());
    std::snprintf(buf, sizeof(buf), "J = Σ π(a) μ(a) = %.3f", b.J);
    plot::PlotHLine(buf, b.J);
    plot::PlotText("best", best_x, best_y, ImVec2(0, -fs * 0.8f));
    arm_labels(arm, ps.x);
    plot::EndPlot();
  }
  if (side) ImGui::SameLine(0, sp);
  // No legend here: the values written above the bars reach the top corners, where a legend
  // covered one ("0." of 0.83); the text above names the orange dots, the title the bars.
  if (ps.y > fs * 5.0f &&
      plot::BeginPlot(label_fitting(ps.x - fs * 2.0f, "Policy π(a) at the current θ###bandit_pi",
                                    "Policy π(a)###bandit_pi"),
                      ps, plot::PlotFlags_NoLegend)) {
    plot::SetupAxes("arm a", "probability",
                    plot::AxisFlags_NoTickLabels | plot::AxisFlags_NoGridLines);
    plot::SetupAxesLimits(-0.6, n - 0.4, 0.0, 1.05, ImGuiCond_Always);
    plot::SetNextItemColor(IM_COL32(90, 170, 250, 255));
    plot::PlotBars("π(a)", arm.data(), b.probs.data(), n, 0.6);
    if (a.s.batch().size() > 0) {
      plot::SetNextItemColor(IM_COL32(250, 160, 60, 255));
      plot::PlotScatter("share of this batch's pulls", arm.data(), b.batch_share.data(), n);
    }
    // Each value above its bar, and above the "arm k" label where the bar is too short to hold
    // it: that label's centre is 0.75 em above the axis, the value's 0.7 em above its y, so a y
    // 1.1 em up keeps a line between them (the plot area is about the frame less 3.5 lines of
    // title and axis labels; 1.05 units high).
    const double per_unit = std::max(1.0f, ps.y - fs * 3.5f) / 1.05;
    const double lowest = fs * 1.1 / per_unit;
    for (int i = 0; i < n; ++i) {
      std::snprintf(buf, sizeof(buf), "%.2f", b.probs[i]);
      plot::PlotText(buf, arm[i], std::max(b.probs[i], lowest), ImVec2(0, -fs * 0.7f));
    }
    arm_labels(arm, ps.x);
    plot::EndPlot();
  }
  ImGui::EndGroup();
  return pick;
}

}  // namespace pglab::gui::envdraw
