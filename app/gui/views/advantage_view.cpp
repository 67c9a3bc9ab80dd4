// Advantages: Â_t along one trajectory of the last complete batch for the four estimators at once
// (Monte Carlo, TD(0), n-step, GAE(λ)), with λ and n on sliders, and the critic they lean on — V
// along the trajectory against the sampled return and the λ-return, and in gridworlds V on the
// grid beside the exact V^π. Works for any session with a critic: A2C's values are the ones its
// estimate used (φ_old); other algorithms use the session's critic as it is now. Every number comes
// from core (lab/advantage_curves.h, estimator/advantages.h).
#include <algorithm>
#include <array>
#include <cfloat>
#include <cmath>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "env/env.h"
#include "env/tabular_model.h"
#include "gui/panels/panels.h"
#include "gui/plot/plot.h"
#include "gui/theme.h"
#include "gui/views/batch_on_show.h"
#include "gui/views/env_draw.h"
#include "gui/views/estimator_panels.h"
#include "gui/views/views.h"
#include "lab/advantage_compare.h"
#include "lab/advantage_curves.h"
#include "session/session.h"

namespace pglab::gui {

// The batch on show and what is computed from it (view_states.h holds a shared_ptr to it).
struct AdvantageViewCache {
  std::shared_ptr<const pg::Session> session;  // the snapshot whose batch is on show
  bool previous = false;       // session is the last complete batch's (the live one collects)
  double computed_at = -1.0;   // ImGui::GetTime() of the refresh
  bool from_estimate = false;  // values are the estimate's (A2C, φ_old)
  pg::BatchValues values;
  std::vector<double> v_by_obs;  // the session's critic now, per observation
  // Finite worlds (issue 10): the exact V^π at the batch's θ as a critic, and A^π_t(s, a).
  bool has_exact = false;
  pg::BatchValues exact_values;
  pg::ExactAdvantage exact_adv;
  // Curves for (trajectory, λ, n, critic).
  int traj = -1;
  float lambda = -1.0f;
  int n = -1;
  bool exact_critic = false;
  std::vector<double> exact_curve;  // A^π_t(s_t, a_t) along the trajectory
  pg::AdvantageCurves curves;
  std::vector<double> steps;       // episode step of each t (start_t + t)
  std::vector<double> mc_target;   // Â^MC_t + V_t: the sampled return (bootstrapped at a cut)
  std::array<double, 4> spread{};  // std of Â over the batch per estimator
  // The bias–variance curve over λ: the learned critic's and the exact V^π's.
  AdvantageCompareJobs curve_learned, curve_exact;
};

namespace {

constexpr double kRefreshSeconds =
    0.5;  // while running: the batch on show changes at most this often

// One colour per estimator: MC is all sampled return, TD(0) leans on V, GAE is A2C's ψ.
ImU32 color_mc() {
  return color_return();
}
ImU32 color_td0() {
  return color_baseline();
}
ImU32 color_nstep() {
  return IM_COL32(235, 120, 175, 255);  // not GAE's violet (color_psi)
}
ImU32 color_gae() {
  return color_psi();
}
ImU32 color_lambda_return() {
  return IM_COL32(235, 215, 90, 255);
}

// The four estimators in pg::AdvantageKind order (the table's): k = 0 MC, 1 TD(0), 2 n-step, 3 GAE.
const pg::AdvantageSpec& estimator_spec(int k) {
  return pg::advantage_spec(static_cast<pg::AdvantageKind>(k));
}
// "Monte Carlo (λ=1)", "TD(0) (λ=0)", "n-step", "GAE(λ)": the title and the GAE(λ) it equals.
std::string legend_name(int k) {
  const pg::AdvantageSpec& spec = estimator_spec(k);
  return *spec.as_gae ? std::string(spec.title) + " (" + spec.as_gae + ")" : spec.title;
}

void refresh(AdvantageViewState& st, const Snapshot& snap, bool running) {
  if (!st.cache) st.cache = std::make_shared<AdvantageViewCache>();
  AdvantageViewCache& c = *st.cache;
  // The live batch when complete, else the last complete one (none kept: the one on show stays
  // while it is this run's; a reset, an edit or time travel back drops it).
  const BatchOnShow b = batch_on_show(snap, false);
  if (!b.session && c.session && !of_live_run(*c.session, *snap.session)) {
    c.session.reset();
    c.traj = -1;
  }
  if (!b.session || !b.session->critic() || c.session == b.session) return;
  const double now = ImGui::GetTime();
  if (running && c.session && now - c.computed_at < kRefreshSeconds) return;
  c.session = b.session;
  c.previous = b.previous;
  c.computed_at = now;
  const pg::Session& s = *b.session;
  const pg::Estimate& est = s.last_estimate();
  c.from_estimate =
      s.has_estimate() && !est.values.empty() && est.num_steps() == s.batch().num_steps();
  if (c.from_estimate) {
    c.values.offset = est.offset;
    c.values.values = est.values;
    c.values.final_values = est.final_values;
  } else {
    c.values = pg::batch_critic_values(s.batch(), *s.critic(), s.env());
  }
  c.v_by_obs = pg::critic_value_by_obs(*s.critic(), s.env());
  c.has_exact = false;
  if (const pg::ExactResult* ex = s.batch_exact(); ex && s.env().model()) {
    c.exact_values = pg::batch_exact_values(s.batch(), *ex);
    c.exact_adv = pg::exact_advantage(s.env(), *ex);
    c.has_exact = true;
  }
  c.traj = -1;  // curves are recomputed below
}

// The longest piece of the batch (the most to see).
int longest(const pg::Batch& b) {
  int best = 0;
  for (int i = 1; i < b.size(); ++i)
    if (b.trajectories[i].length() > b.trajectories[best].length()) best = i;
  return best;
}

void update_curves(AdvantageViewState& st, int traj) {
  AdvantageViewCache& c = *st.cache;
  const bool exact = st.exact_critic && c.has_exact;
  if (c.traj == traj && c.lambda == st.lambda && c.n == st.n && c.exact_critic == exact) return;
  const pg::Session& s = *c.session;
  const double gamma = s.env().gamma();
  const pg::Trajectory& tr = s.batch().trajectories[traj];
  // The critic the four estimators lean on: V_φ, or the exact V^π (the estimators' own error).
  const pg::BatchValues& v = exact ? c.exact_values : c.values;
  const int first = v.offset[traj];
  c.curves = pg::advantage_curves(tr, v.values.data() + first, v.final_values[traj], gamma,
                                  st.lambda, st.n);
  const int T = tr.length();
  c.steps.resize(T);
  c.mc_target.resize(T);
  for (int t = 0; t < T; ++t) {
    c.steps[t] = tr.start_t + t;
    c.mc_target[t] = c.curves.mc[t] + c.curves.values[t];
  }
  c.exact_curve.clear();
  if (c.has_exact)
    for (int t = 0; t < T; ++t)
      c.exact_curve.push_back(c.exact_adv.at(tr.start_t + t, tr.state[t], tr.actions[t]));
  c.spread = pg::advantage_std(s.batch(), v, gamma, st.lambda, st.n);
  c.traj = traj;
  c.lambda = st.lambda;
  c.n = st.n;
  c.exact_critic = exact;
}

std::string piece_label(const pg::Trajectory& tr, const pg::AdvantageCurves& cv) {
  char buf[200];
  const char* end = tr.terminated  ? "terminated, so V(s_T) = 0"
                    : tr.truncated ? "truncated by the step limit, bootstrapped from V(s_T) = "
                    : tr.cut       ? "cut at the segment's end, bootstrapped from V(s_T) = "
                                   : "still running";
  if (cv.bootstrap)
    std::snprintf(buf, sizeof buf, "steps %d–%d of its episode; %s%.4g", tr.start_t,
                  tr.start_t + tr.length() - 1, end, cv.final_value);
  else
    std::snprintf(buf, sizeof buf, "steps %d–%d of its episode; %s", tr.start_t,
                  tr.start_t + tr.length() - 1, end);
  return buf;
}

void draw_controls(AdvantageViewState& st, const pg::Session& s, int traj, bool has_exact) {
  const float fs = ImGui::GetFontSize();
  const int N = s.batch().size();
  char fmt[64];
  if (st.trajectory < 0)
    std::snprintf(fmt, sizeof fmt, "longest (i = %d)", traj);
  else
    std::snprintf(fmt, sizeof fmt, "i = %d of %d", traj, N);
  ImGui::SetNextItemWidth(fs * 11.0f);
  int shown = st.trajectory < 0 ? -1 : st.trajectory;
  if (ImGui::SliderInt("trajectory", &shown, -1, N - 1, fmt, ImGuiSliderFlags_AlwaysClamp))
    st.trajectory = shown;
  same_line_if_fits(labeled_width(fs * 9.0f, "λ (GAE)"), fs * 1.5f);
  ImGui::SetNextItemWidth(fs * 9.0f);
  ImGui::SliderFloat("λ (GAE)", &st.lambda, 0.0f, 1.0f, "%.2f", ImGuiSliderFlags_AlwaysClamp);
  same_line_if_fits(labeled_width(fs * 9.0f, "n (n-step)"), fs * 1.5f);
  ImGui::SetNextItemWidth(fs * 9.0f);
  ImGui::SliderInt("n (n-step)", &st.n, 1, 64, "%d", ImGuiSliderFlags_AlwaysClamp);
  same_line_if_fits(ImGui::CalcTextSize("scenario's λ, n").x + fs, fs * 1.5f);
  if (ImGui::SmallButton("scenario's λ, n")) {
    st.lambda = static_cast<float>(s.scenario().advantage.lambda);
    st.n = s.scenario().advantage.n;
  }
  if (!has_exact) return;
  // The bias–variance curve over λ: K batches per setting.
  same_line_if_fits(labeled_width(fs * 7.0f, "K batches (λ curve)"), fs * 1.5f);
  ImGui::SetNextItemWidth(fs * 7.0f);
  ImGui::SliderInt("K batches (λ curve)", &st.lambda_samples, 20, 1000, "%d",
                   ImGuiSliderFlags_AlwaysClamp);
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("Batches sampled per λ for the bias² and variance of Â over λ.");
  // Issue 10: the same four estimators on the exact V^π — what is left is the estimator's error.
  same_line_if_fits(
      ImGui::CalcTextSize("critic: V_φ exact V^π").x + ImGui::GetFrameHeight() * 2 + fs * 2.0f,
      fs * 1.5f);
  ImGui::TextUnformatted("critic:");
  ImGui::SameLine();
  int exact = st.exact_critic ? 1 : 0;
  ImGui::RadioButton("V_φ", &exact, 0);
  ImGui::SameLine();
  ImGui::RadioButton("exact V^π", &exact, 1);
  st.exact_critic = exact == 1;
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip(
        "The four estimators with the exact V^π (at the θ that sampled the batch) as their critic: "
        "the gap to A^π that remains is the estimator's own error, not the critic's.");
}

ImU32 color_exact_adv() {
  return IM_COL32(240, 240, 240, 255);
}

// "std of Â over the batch:  MC 0.41   n-step 0.30   GAE 0.28   TD(0) 0.12", each in its colour.
// In a short view (`fold`) the heading is "std Â:", the batch's size in its tooltip.
void draw_spread(const AdvantageViewCache& c, bool fold) {
  if (fold) {
    ImGui::TextDisabled("std Â:");
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip("std of Â over the batch (%d steps)", c.values.offset.back());
  } else {
    ImGui::TextDisabled("std of Â over the batch (%d steps):", c.values.offset.back());
  }
  const ImU32 colors[4] = {color_mc(), color_td0(), color_nstep(), color_gae()};
  // Short, "MC" for "Monte Carlo": the colour says which (the plot's legend under it).
  for (int k = 0; k < 4; ++k) {
    const char* name = fold && k == 0 ? "MC" : estimator_spec(k).title;
    same_line_if_fits(ImGui::CalcTextSize(name).x + ImGui::GetFontSize() * 3.0f,
                      ImGui::GetFontSize() * (k == 0 ? 0.6f : 1.2f));
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(colors[k]));
    // Rounding noise (a critic that predicts every return exactly) prints as 0.
    ImGui::Text("%s %.3g", name, std::fabs(c.spread[k]) < 1e-12 ? 0.0 : c.spread[k]);
    ImGui::PopStyleColor();
  }
}

void draw_advantage_plot(const AdvantageViewCache& c, float height, int traj, int N) {
  const int T = c.curves.length;
  char title[96];
  // Trajectories counted from 0, as the inspector and the rollout count them.
  std::snprintf(title, sizeof title, "Advantage Âₜ along trajectory i = %d of %d###adv", traj, N);
  if (!plot::BeginPlot(title, ImVec2(-1, height))) return;
  plot::SetupAxes("step t of the episode", "Âₜ", plot::AxisFlags_Integer);
  const std::vector<double>* ys[4] = {&c.curves.mc, &c.curves.td0, &c.curves.nstep, &c.curves.gae};
  double amax = 0.0;
  for (const auto* y : ys)
    for (double v : *y) amax = std::max(amax, std::fabs(v));
  // All four are 0 up to rounding (V_φ predicts every return of this trajectory exactly): show them
  // on a unit scale rather than magnifying the rounding noise.
  if (amax < 1e-9) plot::SetupAxisLimits(plot::Axis::Y, -1.0, 1.0, ImGuiCond_Always);
  plot::SetNextItemColor(ImGui::GetColorU32(ImGuiCol_TextDisabled));
  plot::PlotHLine("##zero", 0.0);
  const ImU32 colors[4] = {color_mc(), color_td0(), color_nstep(), color_gae()};
  for (int k = 0; k < 4; ++k) {
    plot::SetNextItemColor(colors[k]);
    if (k == 3) plot::SetNextItemWeight(0.2f);  // A2C's ψ: drawn a little heavier
    if (T == 1)
      plot::PlotScatter(legend_name(k).c_str(), c.steps.data(), ys[k]->data(), T);
    else
      plot::PlotLine(legend_name(k).c_str(), c.steps.data(), ys[k]->data(), T);
  }
  if (static_cast<int>(c.exact_curve.size()) == T) {
    // The truth every estimator aims at: A^π_t(s_t, a_t) from the exact oracle, as dots.
    plot::SetNextItemColor(color_exact_adv());
    plot::PlotScatter("exact A^π(sₜ, aₜ)", c.steps.data(), c.exact_curve.data(), T);
  }
  plot::EndPlot();
}

// Bias² and variance of Â against A^π over λ (GAE), with V_φ and with the exact V^π as critic
// (core/lab/advantage_compare.h; `pglab advantage` prints the same numbers).
void draw_lambda_curve(AdvantageViewState& st, AdvantageViewCache& c, const Snapshot& snap,
                       bool running, const ImVec2& size) {
  const pg::Session& s = *snap.session;
  const std::vector<pg::AdvantageEstimatorSetting> settings = pg::lambda_curve_settings(s, 11);
  c.curve_exact.exact_critic = true;
  c.curve_learned.update(snap, settings, st.lambda_samples, 0, true, running, false);
  c.curve_exact.update(snap, settings, st.lambda_samples, 0, true, running, false);
  // The plot takes the column's height: its K slider sits with the other controls and the critic's
  // error under the spread (a legend of four lines needs the room); a running job's progress only
  // shows above it.
  ImGui::BeginChild("lambda_curve", size, false, ImGuiWindowFlags_NoScrollbar);
  if (c.curve_learned.job || c.curve_exact.job)
    (c.curve_exact.job ? c.curve_exact : c.curve_learned).draw_status();
  struct Line {
    const AdvantageCompareJobs* jobs;
    bool bias;
    const char* label;
    ImU32 color;
  };
  const Line lines[4] = {
      {&c.curve_learned, true, "bias², V_φ", kColorNegative},
      {&c.curve_learned, false, "variance, V_φ", IM_COL32(90, 160, 255, 255)},
      {&c.curve_exact, true, "bias², exact V^π", IM_COL32(255, 170, 150, 255)},
      {&c.curve_exact, false, "variance, exact V^π", IM_COL32(170, 215, 255, 255)},
  };
  // The key under the plot, not a legend in it: the curves are fitted to the plot's height, so
  // they reach its top and bottom edges and a four-line legend in a 14 to 20 em column stood
  // over one of them (the bandit's variance at 1280×720: 21 units hidden).
  const ColourKey keys[4] = {{lines[0].color, "— bias², V_φ"},
                             {lines[1].color, "— variance, V_φ"},
                             {lines[2].color, "— bias², exact V^π"},
                             {lines[3].color, "— variance, exact V^π"}};
  // (With the style's item spacing to spare: a key ending on the child's edge lost the feet of
  // its φ to it at 1920×1080.)
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  {
    const KeyUnder key(true, "lamcurve", keys, 4,
                       ImVec2(avail.x, avail.y - ImGui::GetStyle().ItemSpacing.y), 0.0f);
    if (plot::BeginPlot("Error of Â against A^π over λ##lamcurve", ImVec2(-1, key.plot_size().y),
                        plot::PlotFlags_NoLegend)) {
      plot::SetupAxes("λ (GAE)", "per step", plot::AxisFlags_None, plot::AxisFlags_IncludeZero);
      std::vector<double> xs, ys;
      for (const Line& l : lines) {
        if (!l.jobs->shown || !l.jobs->shown->error.empty()) continue;
        xs.clear();
        ys.clear();
        for (const pg::AdvantageRow& r : l.jobs->shown->rep.rows)
          if (r.setting.kind == pg::AdvantageKind::kGAE && r.has_adv_bias) {
            xs.push_back(r.setting.lambda);
            ys.push_back(l.bias ? r.adv_bias2 : r.adv_variance);
          }
        plot::SetNextItemColor(l.color);
        if (!l.bias) plot::SetNextItemWeight(0.15f);
        plot::SetNextItemHoverName(l.label);
        plot::PlotLine((std::string("##") + l.label).c_str(), xs.data(), ys.data(),
                       static_cast<int>(xs.size()));
      }
      plot::EndPlot();
    }
  }
  ImGui::EndChild();
}

void draw_value_plot(const AdvantageViewCache& c, const ImVec2& size) {
  const int T = c.curves.length;
  if (!plot::BeginPlot("Critic along the trajectory##vals", size)) return;
  plot::SetupAxes("step t of the episode", "value", plot::AxisFlags_Integer);
  const bool one = T == 1;
  auto line = [&](const char* label, const std::vector<double>& y, ImU32 col) {
    plot::SetNextItemColor(col);
    if (one)
      plot::PlotScatter(label, c.steps.data(), y.data(), T);
    else
      plot::PlotLine(label, c.steps.data(), y.data(), T);
  };
  line("sampled return Gₜ (+γ^(T−t)V(s_T) if cut)", c.mc_target, color_return());
  line("λ-return Â^GAE_t + Vₜ (critic's target)", c.curves.gae_target, color_lambda_return());
  plot::SetNextItemWeight(
      0.2f);  // drawn last and heavier: where the targets agree with V it stays visible
  line("V_φ(sₜ)", c.curves.values, color_baseline());
  plot::EndPlot();
}

// V's colour: the value map every view uses (red below 0, grey at 0, blue above, symmetric about 0
// over the grids' shared scale [vmin, vmax]).
envdraw::Rgba value_colour(double v, double vmin, double vmax) {
  return envdraw::signed_value(v, std::max(std::abs(vmin), std::abs(vmax)));
}

// A grid of V per state with a shared colour scale [vmin, vmax]; `path` (states) drawn over it.
void draw_grid_values(const char* id, const char* title, const char* what, const pg::GridLayout& g,
                      const std::vector<double>& v_state, double vmin, double vmax,
                      const std::vector<int>* path, float side) {
  const float fs = ImGui::GetFontSize();
  ImGui::BeginGroup();
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + side);
  ImGui::TextUnformatted(title);
  ImGui::PopTextWrapPos();
  const int R = g.rows(), C = g.cols();
  const float cell = std::floor(std::min(side / C, side / R));
  const ImVec2 p0 = ImGui::GetCursorScreenPos();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImU32 wall = ImGui::GetColorU32(ImGuiCol_FrameBg);
  const ImU32 line = ImGui::GetColorU32(ImGuiCol_WindowBg);
  const bool labels = cell >= fs * 2.4f;
  for (int r = 0; r < R; ++r)
    for (int col = 0; col < C; ++col) {
      const ImVec2 a(p0.x + col * cell, p0.y + r * cell), b(a.x + cell, a.y + cell);
      const int s = g.state_of_cell(r, col);
      const char kind = g.cell(r, col);
      if (s < 0) {
        dl->AddRectFilled(a, b, wall);
        continue;
      }
      const double v = v_state[s];
      const envdraw::Rgba fill = value_colour(v, vmin, vmax);
      dl->AddRectFilled(a, b, envdraw::to_u32(fill));
      dl->AddRect(a, b, line);
      const ImU32 ink = envdraw::luminance(fill) > 0.45f ? IM_COL32(20, 20, 30, 255)
                                                         : IM_COL32(245, 245, 245, 255);
      char buf[16];
      if (kind == 'G' || kind == 'X') {
        std::snprintf(buf, sizeof buf, "%c", kind);
      } else if (labels) {
        std::snprintf(buf, sizeof buf, "%.2f", v);
      } else {
        buf[0] = 0;
      }
      if (buf[0]) {
        // A letter in a cell smaller than the font shrinks with it (a big map, presenter scale).
        const float size = std::min(fs, cell * 0.9f);
        const ImVec2 ts = ImGui::GetFont()->CalcTextSizeA(size, FLT_MAX, 0.0f, buf);
        dl->AddText(ImGui::GetFont(), size,
                    ImVec2(a.x + 0.5f * (cell - ts.x), a.y + 0.5f * (cell - ts.y)), ink, buf);
      }
    }
  if (path && !path->empty()) {
    // The trajectory's cells, joined at their centres; a ring at its first state.
    const ImU32 pc = IM_COL32(255, 255, 255, 200);
    auto centre = [&](int s) {
      const auto [r, col] = g.cell_of_state(s);
      return ImVec2(p0.x + (col + 0.5f) * cell, p0.y + (r + 0.5f) * cell);
    };
    // White on a dark outline: it reads over the light grey of V ≈ 0 and over the map's ends.
    const float thick = std::max(1.5f, fs * 0.12f);
    for (const auto& [colour, width] :
         {std::pair<ImU32, float>(IM_COL32(20, 20, 30, 200), thick * 2.6f),
          std::pair<ImU32, float>(pc, thick)}) {
      for (size_t k = 1; k < path->size(); ++k)
        dl->AddLine(centre((*path)[k - 1]), centre((*path)[k]), colour, width);
      dl->AddCircle(centre(path->front()), cell * 0.3f, colour, 0, width);
    }
  }
  ImGui::InvisibleButton(id, ImVec2(cell * C, cell * R));
  if (ImGui::IsItemHovered()) {
    const ImVec2 m = ImGui::GetIO().MousePos;
    const int col = static_cast<int>((m.x - p0.x) / cell),
              r = static_cast<int>((m.y - p0.y) / cell);
    if (r >= 0 && r < R && col >= 0 && col < C && g.state_of_cell(r, col) >= 0) {
      const int s = g.state_of_cell(r, col);
      ImGui::SetTooltip("state %d (row %d, column %d)\n%s = %.5g", s, r, col, what, v_state[s]);
    }
  }
  ImGui::EndGroup();
}

// Colour bar for [vmin, vmax] (the shared scale of the grids).
void draw_colorbar(double vmin, double vmax, float width) {
  const float fs = ImGui::GetFontSize();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  char lo[32], hi[32];
  std::snprintf(lo, sizeof lo, "%.3g", vmin);
  std::snprintf(hi, sizeof hi, "%.3g", vmax);
  ImGui::TextUnformatted(lo);
  ImGui::SameLine();
  const ImVec2 p = ImGui::GetCursorScreenPos();
  const float w = std::max(
      fs * 4.0f, width - ImGui::CalcTextSize(lo).x - ImGui::CalcTextSize(hi).x - fs * 1.5f);
  const float h = ImGui::GetTextLineHeight();
  const int steps = 32;
  for (int k = 0; k < steps; ++k) {
    const float x0 = p.x + w * k / steps, x1 = p.x + w * (k + 1) / steps;
    const double v = vmin + (vmax - vmin) * (k + 0.5) / steps;
    dl->AddRectFilled(ImVec2(x0, p.y + h * 0.2f), ImVec2(x1 + 1.0f, p.y + h * 0.8f),
                      envdraw::to_u32(value_colour(v, vmin, vmax)));
  }
  ImGui::Dummy(ImVec2(w, h));
  ImGui::SameLine();
  ImGui::TextUnformatted(hi);
}

void draw_grids(const AdvantageViewCache& c, const pg::GridLayout& g, int traj,
                const ImVec2& size) {
  const pg::Session& s = *c.session;
  const pg::TabularModel& m = *s.env().model();
  const int S = m.num_states();
  std::vector<double> critic(S, 0.0), exact;
  for (int st = 0; st < S; ++st) critic[st] = m.terminal(st) ? 0.0 : c.v_by_obs[m.obs_of_state(st)];
  const pg::ExactResult* ex = s.batch_exact();
  if (ex) exact.assign(ex->V.data(), ex->V.data() + ex->V.size());
  double vmin = 0.0, vmax = 0.0;
  for (double v : critic) vmin = std::min(vmin, v), vmax = std::max(vmax, v);
  for (double v : exact) vmin = std::min(vmin, v), vmax = std::max(vmax, v);
  const pg::Trajectory& tr = s.batch().trajectories[traj];
  std::vector<int> path(tr.state.begin(), tr.state.end());
  if (tr.final_state >= 0) path.push_back(tr.final_state);
  const float fs = ImGui::GetFontSize();
  const float gap = fs * 1.0f;
  const float title_h = ImGui::GetTextLineHeightWithSpacing();
  const float bar_h = ImGui::GetTextLineHeightWithSpacing() * 2.2f;  // colour bar and the note
  const int maps = ex ? 2 : 1;
  const float side =
      std::max(fs * 4.0f, std::min((size.x - gap * (maps - 1)) / maps, size.y - title_h - bar_h));
  draw_grid_values("##critic_grid", "critic V_φ(s)", "V_φ(s), the critic now", g, critic, vmin,
                   vmax, &path, side);
  if (ex) {
    ImGui::SameLine(0, gap);
    draw_grid_values("##exact_grid", "exact V^π(s)", "V^π(s) at the θ that sampled the batch", g,
                     exact, vmin, vmax, nullptr, side);
  }
  draw_colorbar(vmin, vmax, std::min(size.x, side * maps + gap * (maps - 1)));
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + size.x);
  ImGui::TextDisabled("White: the trajectory (ring: start).");
  ImGui::PopTextWrapPos();
}

}  // namespace

void DrawAdvantageView(ViewContext& ctx) {
  AdvantageViewState& st = ctx.state.views.advantage;
  const pg::Session& now = *ctx.snap.session;
  if (!st.synced) {
    st.lambda = static_cast<float>(now.scenario().advantage.lambda);
    st.n = now.scenario().advantage.n;
    st.synced = true;
  }
  if (!now.critic()) {
    text_wrapped_at_spacesf(
        "The advantages need a critic V_φ, and this session has none: in cart-pole set critic.kind "
        "= "
        "mlp (tabular worlds always have one).");
    return;
  }
  const bool running = ctx.state.runner && ctx.state.runner->running();
  refresh(st, ctx.snap, running);
  if (!st.cache || !st.cache->session) {
    draw_no_batch_note(now, false);
    return;
  }
  AdvantageViewCache& c = *st.cache;
  const pg::Session& s = *c.session;
  const int N = s.batch().size();
  if (st.trajectory >= N) st.trajectory = N - 1;
  const int traj = st.trajectory < 0 ? longest(s.batch()) : st.trajectory;
  update_curves(st, traj);

  const float fs = ImGui::GetFontSize();
  const bool fold = short_view(ctx.state.layout_ui);
  char summary[128];
  std::snprintf(summary, sizeof summary, "trajectory %d · λ %.2f · n %d%s", traj, st.lambda, st.n,
                c.has_exact ? (st.exact_critic ? " · exact V^π" : " · V_φ") : "");
  if (settings_rows(fold, "##advantage_settings", summary, "trajectory, λ, n"))
    draw_controls(st, s, traj, c.has_exact);
  update_curves(st, traj);  // the sliders may have moved
  draw_previous_batch_note({c.session, c.previous}, now);
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  if (s.batch().trajectories[longest(s.batch())].length() == 1)
    // One step, nothing after it to sum or bootstrap differently: every estimator is δ₀.
    text_wrapped_at_spacesf(
        "Every trajectory of this batch is one step long, so the four estimators coincide "
        "(Â₀ = δ₀ = r₀ + γV(s₁) − V(s₀), V(s₁) = 0 when terminated) and each plot has one point "
        "at t = 0.  The λ trade-off needs longer episodes: open a2c-gridworld or a2c-cartpole.");
  else
    explanation(
        fold, "Bias–variance: λ → 0 or 1",
        "Bias–variance: λ → 0 (TD(0)) has low variance, and its ĝ is biased where V_φ errs (δₜ "
        "bootstraps on V_φ(sₜ₊₁)).  λ → 1 (Monte Carlo, Gₜ − V_φ(sₜ)) has high variance and an "
        "unbiased ĝ: V_φ(sₜ) is the same for every action at sₜ, so its error cancels in ĝ.  Â "
        "itself keeps that error, V^π(sₜ) − V_φ(sₜ): in the plot of Â against A^π, Monte Carlo's "
        "bias² is V_φ's squared error, not 0 (0 only with the exact V^π).");
  ImGui::PopStyleColor();
  const pg::Trajectory& tr = s.batch().trajectories[traj];
  const char* source =
      c.exact_critic      ? "Critic: the exact V^π at the θ that sampled the batch — what "
                            "remains between Â and the dots A^π is the estimator's own error."
      : c.from_estimate   ? "V_φ: the critic this estimate used (before its fit)."
      : s.critic_learns() ? "V_φ: the session's critic now (after this batch's fit)."
                          : "V_φ: the session's critic, untrained here (REINFORCE fits it only "
                            "with baseline = critic).";
  // (In a short view the critic's source in a tooltip: layout.h short_view().)
  // A short view names the piece by its steps, how it ends in the tooltip with the source.
  const std::string piece =
      formatted("Trajectory i = %d: %s.", traj, piece_label(tr, c.curves).c_str());
  finding(
      fold,
      formatted("Trajectory i = %d: steps %d–%d.", traj, tr.start_t, tr.start_t + tr.length() - 1),
      piece + "  " + source);
  draw_spread(c, fold);
  if (c.has_exact && c.curve_learned.shown && c.curve_learned.shown->rep.critic_rmse >= 0) {
    char rmse[96];
    std::snprintf(rmse, sizeof rmse, "critic error √mean(V_φ − V^π)² = %.3g",
                  c.curve_learned.shown->rep.critic_rmse);
    if (fold) {
      caption_after(rmse, true);
    } else {
      same_line_if_fits(ImGui::CalcTextSize(rmse).x, fs * 1.5f);
      ImGui::TextDisabled("%s", rmse);
    }
  }

  // Plots keep room for their legends and ticks (12 em); the view scrolls when it is shorter.
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const bool narrow = c.has_exact && avail.x < fs * 48.0f;
  // Finite worlds side by side: Â's plot, then the error of Â over λ in a column of 38%.
  const float spacing = ImGui::GetStyle().ItemSpacing.x;
  const float curve_w = std::max(fs * 14.0f, avail.x * 0.38f);
  const float plot_w = narrow || !c.has_exact ? avail.x : avail.x - curve_w - spacing;
  // 16 em where the view is narrow or Â's plot is under 36 em wide (presenter scale): its
  // five-entry legend (~11 em wide) then may not fit the 40% strip beside the data, and at 12 em
  // it stood over them (32 to 210 units hidden at 1.5×; 143 at 1920×1080 ×1.5, where the plot was
  // 32.7 em wide and the legend missed the strip by half a pixel); at 16 em it fits a band above
  // the data in columns. Wider, 12 em keeps the critic's maps in sight.
  const float top_h =
      std::max(fs * (narrow || plot_w < fs * 36.0f ? 16.0f : 12.0f), avail.y * 0.55f);
  if (narrow) {
    // Narrow (presenter scale): the curve over λ under Â; the view scrolls to the critic below.
    draw_advantage_plot(c, top_h, traj, N);
    draw_lambda_curve(st, c, ctx.snap, running, ImVec2(avail.x, top_h));
  } else if (c.has_exact) {
    // Finite worlds: Â along the trajectory beside the error of Â over λ (issue 10).
    ImGui::BeginChild("adv_top_left", ImVec2(plot_w, top_h), false, ImGuiWindowFlags_NoScrollbar);
    draw_advantage_plot(c, top_h, traj, N);
    ImGui::EndChild();
    ImGui::SameLine(0, spacing);
    draw_lambda_curve(st, c, ctx.snap, running, ImVec2(curve_w, top_h));
  } else {
    draw_advantage_plot(c, top_h, traj, N);
  }
  // At least 14 em (the view scrolls below that): the critic plot's three long legend labels then
  // find room off its curves (at 12 em they stood over them: frozen lake and a2c at 1280×720).
  const float bottom_h = std::max(fs * 14.0f, ImGui::GetContentRegionAvail().y);
  const pg::GridLayout* grid = s.env().grid();
  if (grid) {
    // The value maps beside the critic's plot where both get room, else below it.
    const float spacing = ImGui::GetStyle().ItemSpacing.x;
    const bool beside = avail.x >= fs * 40.0f;
    const float grids_w =
        beside ? std::min(avail.x * 0.5f, (bottom_h - fs * 4.5f) * 2.0f + fs) : avail.x;
    draw_value_plot(c, ImVec2(beside ? avail.x - grids_w - spacing : avail.x, bottom_h));
    if (beside) ImGui::SameLine(0, spacing);
    const float grids_h = beside ? bottom_h : std::max(fs * 14.0f, avail.x * 0.5f + fs * 4.5f);
    ImGui::BeginChild("adv_grids", ImVec2(0, grids_h), false, ImGuiWindowFlags_NoScrollbar);
    draw_grids(c, *grid, traj, ImVec2(ImGui::GetContentRegionAvail().x, grids_h));
    ImGui::EndChild();
  } else {
    draw_value_plot(c, ImVec2(-1, bottom_h));
  }
}

}  // namespace pglab::gui
