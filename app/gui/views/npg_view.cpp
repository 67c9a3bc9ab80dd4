// Natural gradient (NPG, TRPO): the pieces of the last step, from lab/natural_gradient.h.
//   left:   the Fisher matrix F the update used (heatmap; exact in tabular worlds with
//           trpo.exact_fisher, else the batch's (1/M) Σ s sᵀ, with the exact one a click away)
//   right:  ĝ against x = (F + λI)⁻¹ ĝ (norms, angle, components), the step size β from the KL
//           budget δ, and the line search: each try's fraction, surrogate improvement and KL̄
//           (exact in finite worlds), accepted or not.
// Refreshed when the session changes, at most twice a second while it runs; mid-batch it shows
// the last complete batch's step (batch_on_show).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "gui/layout.h"
#include "gui/plot/plot.h"
#include "gui/views/batch_on_show.h"
#include "gui/views/marks.h"
#include "gui/views/views.h"
#include "lab/natural_gradient.h"
#include "session/session.h"

namespace pglab::gui {

struct NpgViewCache {
  uint64_t version = ~0ULL;
  double refreshed_at = -1e9;
  std::shared_ptr<const pg::NaturalGradientReport> report;  // last applicable one
  std::shared_ptr<const pg::Session> source;                // the session it was computed from
  bool previous = false;  // source is the last complete batch's (the live one collects)
  std::string message;    // why there is none
  std::string error;
};

namespace {

ImU32 color_pos() {
  return IM_COL32(90, 170, 250, 255);
}
ImU32 color_neg() {
  return IM_COL32(235, 105, 95, 255);
}
ImU32 color_good() {
  return IM_COL32(110, 200, 120, 255);
}
ImU32 color_grad() {
  return IM_COL32(200, 200, 210, 255);
}

void refresh(NpgViewCache& c, const Snapshot& snap) {
  c.version = snap.version;
  c.refreshed_at = ImGui::GetTime();
  const BatchOnShow b = batch_on_show(snap);
  c.previous = b.previous;
  if (b.session && b.session == c.source) return;  // the same batch: nothing new to compute
  // The live session answers for itself when there is no batch (the view's own message).
  const pg::Session& s = b.session ? *b.session : *snap.session;
  try {
    auto rep = std::make_shared<pg::NaturalGradientReport>(pg::analyse_natural_gradient(s));
    c.error.clear();
    if (rep->applies) {
      c.report = std::move(rep);
      c.source = b.session;
      c.message.clear();
    } else {
      c.report.reset();
      c.source.reset();
      c.message = rep->why_not;
    }
  } catch (const std::exception& e) {
    c.error = e.what();
  }
}

// At most this many cells a side: larger F are shown in blocks, each the entry of largest |F_ij|
// in its block (with its sign), so a frame never draws more than kMaxCells² rectangles.
constexpr int kMaxCells = 128;

// F as a heatmap, one cell per parameter pair (or block), colour ∝ sign and |F_ij|^(1/2) (so the
// small off-diagonal couplings show beside the diagonal).
void draw_heatmap(const char* id, const Eigen::MatrixXd& F, const ImVec2& size) {
  const int P = static_cast<int>(F.rows());
  const int n = std::min(P, kMaxCells);
  auto first = [&](int b) { return static_cast<int>(static_cast<long>(b) * P / std::max(1, n)); };
  ImGui::BeginChild(id, size, true, ImGuiWindowFlags_NoScrollbar);
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float fs = ImGui::GetFontSize();
  char caption[96];
  if (n < P)
    std::snprintf(caption, sizeof caption, "%d × %d in %d² blocks (largest |Fᵢⱼ|)", P, P, n);
  else
    std::snprintf(caption, sizeof caption, "%d × %d; blue > 0, red < 0, shade ∝ √|Fᵢⱼ| / max", P,
                  P);
  // The caption wraps under the square; the square leaves it its lines.
  const float caption_h = ImGui::CalcTextSize(caption, nullptr, false, avail.x).y +
                          ImGui::GetStyle().ItemSpacing.y * 2.0f;
  const float side = std::max(fs * 4.0f, std::min(avail.x, avail.y - caption_h));
  const ImVec2 p0 = ImGui::GetCursorScreenPos();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const double top = P > 0 ? std::max(1e-300, F.cwiseAbs().maxCoeff()) : 1.0;
  const float cell = side / static_cast<float>(std::max(1, n));
  const ImU32 bg = ImGui::GetColorU32(ImGuiCol_FrameBg);
  dl->AddRectFilled(p0, ImVec2(p0.x + side, p0.y + side), bg);
  const ImVec4 bgc = ImGui::ColorConvertU32ToFloat4(bg);
  for (int bi = 0; bi < n; ++bi)
    for (int bj = 0; bj < n; ++bj) {
      // The block's entry of largest magnitude (the entry itself when n = P).
      double v = 0.0;
      for (int i = first(bi); i < first(bi + 1); ++i)
        for (int j = first(bj); j < first(bj + 1); ++j)
          if (std::abs(F(i, j)) > std::abs(v)) v = F(i, j);
      if (v == 0.0) continue;
      const float a = static_cast<float>(std::sqrt(std::abs(v) / top));
      const ImVec4 c = ImGui::ColorConvertU32ToFloat4(v > 0 ? color_pos() : color_neg());
      const ImVec4 mix(bgc.x + (c.x - bgc.x) * a, bgc.y + (c.y - bgc.y) * a,
                       bgc.z + (c.z - bgc.z) * a, 1.0f);
      const ImVec2 q(p0.x + cell * bj, p0.y + cell * bi);
      dl->AddRectFilled(q, ImVec2(q.x + cell, q.y + cell), ImGui::ColorConvertFloat4ToU32(mix));
    }
  ImGui::InvisibleButton("##heat", ImVec2(side, side));
  if (ImGui::IsItemHovered() && n > 0) {
    const ImVec2 m = ImGui::GetIO().MousePos;
    const int j = first(std::clamp(static_cast<int>((m.x - p0.x) / cell), 0, n - 1));
    const int i = first(std::clamp(static_cast<int>((m.y - p0.y) / cell), 0, n - 1));
    ImGui::SetTooltip("F[%d, %d] = %.4g\n(parameters θ%d and θ%d; max |F| = %.3g)", i, j, F(i, j),
                      i, j, top);
  }
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  text_wrapped_at_spacesf("%s", caption);
  ImGui::PopStyleColor();
  ImGui::EndChild();
}

void draw_components(const pg::NaturalGradientReport& r, const ImVec2& size) {
  const int P = static_cast<int>(r.g.size());
  if (P == 0) return;
  const double ng = r.g.norm(), nx = r.x.norm();
  std::vector<double> idx(P), g(P), x(P);
  for (int k = 0; k < P; ++k) {
    idx[k] = k;
    g[k] = ng > 0 ? r.g[k] / ng : 0.0;
    x[k] = nx > 0 ? r.x[k] / nx : 0.0;
  }
  // Small plots: a colour key above instead of a legend over the curves.
  const bool legend = size.y > ImGui::GetFontSize() * 16.0f;
  if (!legend) {
    ImGui::TextColored(ImColor(color_grad()), "— ĝ / ‖ĝ‖");
    same_line_if_fits(ImGui::CalcTextSize("— x / ‖x‖,  x = (F + λI)⁻¹ ĝ").x, ImGui::GetFontSize());
    ImGui::TextColored(ImColor(color_pos()), "— x / ‖x‖,  x = (F + λI)⁻¹ ĝ");
  }
  if (!plot::BeginPlot("Components, each divided by its norm", size,
                       legend ? plot::PlotFlags_None : plot::PlotFlags_NoLegend))
    return;
  plot::SetupAxes("parameter k", label_fitting(size.y - ImGui::GetFontSize() * 5.0f,
                                               "component / norm", "/ norm"));
  plot::SetNextItemColor(color_grad());
  plot::PlotLine("ĝ / ‖ĝ‖", idx.data(), g.data(), P);
  plot::SetNextItemColor(color_pos());
  plot::PlotLine("x / ‖x‖,  x = (F + λI)⁻¹ ĝ", idx.data(), x.data(), P);
  plot::EndPlot();
}

void draw_line_search(const pg::NaturalGradientReport& r) {
  ImGuiTableFlags flags =
      ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp;
  // Narrow: fixed-fit columns that scroll sideways rather than cut numbers or wrap headers letter
  // by letter.
  const ImVec2 outer = fit_table(&flags, 5, 7.0f, static_cast<int>(r.tries.size()) + 3);
  if (!ImGui::BeginTable("line_search", 5, flags, outer)) return;
  ImGui::TableSetupColumn("try j");
  ImGui::TableSetupColumn("step 2⁻ʲ β");
  ImGui::TableSetupColumn("L(θ) − L(θ_old)");
  ImGui::TableSetupColumn(r.has_exact ? "mean KL (exact)" : "mean KL (batch)");
  ImGui::TableSetupColumn("verdict");
  table_headers_wrapped();
  const float fs = ImGui::GetFontSize();
  for (size_t j = 0; j < r.tries.size(); ++j) {
    const pg::LineSearchTry& t = r.tries[j];
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::Text("%zu", j);
    ImGui::TableNextColumn();
    ImGui::Text("%.4g × %.3g", t.fraction, r.beta);
    ImGui::TableNextColumn();
    ImGui::TextColored(ImColor(t.improvement > 0 ? color_good() : color_neg()), "%+.3e",
                       t.improvement);
    ImGui::TableNextColumn();
    ImGui::TextColored(ImColor(t.kl <= r.max_kl ? color_good() : color_neg()), "%.3e", t.kl);
    ImGui::TableNextColumn();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 p = ImGui::GetCursorScreenPos();
    DrawVerdictMark(dl, p, fs, t.accepted, t.accepted ? color_good() : color_neg());
    ImGui::Dummy(ImVec2(fs * 1.2f, fs));
    ImGui::SameLine();
    ImGui::TextUnformatted(t.accepted ? "accepted"
                                      : (t.improvement > 0 ? "KL over δ" : "no improvement"));
  }
  ImGui::EndTable();
}

// An angle in degrees, "—" where it is undefined (a zero vector: pg::angle_deg is NaN).
std::string degrees(double deg) {
  if (!std::isfinite(deg)) return "—";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f°", deg);
  return buf;
}

void draw_numbers(const pg::NaturalGradientReport& r) {
  text_wrapped_at_spacesf("‖ĝ‖ = %.4g   ‖x‖ = %.4g   angle(ĝ, x) = %s", r.g.norm(), r.x.norm(),
                          degrees(r.angle_g_x_deg).c_str());
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip(
        "x = (F + λI)⁻¹ ĝ by %d conjugate-gradient iterations (residual ‖ĝ − (F + λI)x‖ = %.2e).\n"
        "F rescales ĝ: directions the policy is sensitive to (large F) shrink, flat ones grow.",
        r.cg_iterations, r.cg_residual);
  text_wrapped_at_spacesf("CG %d iterations, residual %.2e;  λ = %.3g", r.cg_iterations,
                          r.cg_residual, r.damping);
  text_wrapped_at_spacesf("β = √(2δ / xᵀ(F + λI)x) = √(2 × %.3g / %.4g) = %.4g", r.max_kl, r.xFx,
                          r.beta);
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip(
        "The step βx whose quadratic KL model ½ (βx)ᵀ(F + λI)(βx) equals the budget δ.");
  if (r.accepted >= 0) {
    const pg::LineSearchTry& t = r.tries[static_cast<size_t>(r.accepted)];
    text_wrapped_at_spacesf("KL reached %.3g of δ = %.3g (%.0f%%)%s", t.kl, r.max_kl,
                            100.0 * t.kl / r.max_kl, r.has_exact ? ", exact" : "");
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip("%s\n‖Δθ‖ = %.4g (step 2%s β x).",
                        r.has_exact ? "Exact: Σₛ d_old(s) KL(π_old(·|s) ‖ π(·|s)) / Σₛ d_old(s)."
                                    : "Over the batch states: (1/M) Σₜ KL(π_old(·|sₜ) ‖ π(·|sₜ)).",
                        r.step_norm, superscript(-r.accepted).c_str());
  } else if (!r.tries.empty()) {
    colored_wrappedf(ImColor(color_neg()), "every try rejected: θ stays θ_old");
  } else {
    note_wrappedf("ĝ = 0: no direction to step along");
  }
  if (r.line_search && !r.tries.empty()) {
    const int backtracks = r.accepted >= 0 ? r.accepted : static_cast<int>(r.tries.size()) - 1;
    text_wrapped_at_spacesf(
        "line search: %d backtrack%s, accepted fraction %.4g", backtracks,
        backtracks == 1 ? "" : "s",
        r.accepted >= 0 ? r.tries[static_cast<size_t>(r.accepted)].fraction : 0.0);
  }
  if (r.has_exact)
    // The exact natural gradient uses the exact Fisher, whatever F the update used (audit a13 F4:
    // with a sampled F, "(F + λI)⁻¹∇J" read as that F's, which gives another angle).
    text_wrapped_at_spacesf("exact: angle(ĝ, ∇J) = %s, angle(x, (F_exact + λI)⁻¹∇J) = %s",
                            degrees(r.angle_g_exact_deg).c_str(),
                            degrees(r.angle_x_exact_natural_deg).c_str());
}

}  // namespace

void DrawNpgView(ViewContext& ctx) {
  const Snapshot& snap = ctx.snap;
  NpgViewState& st = ctx.state.views.npg;
  if (!st.cache) st.cache = std::make_shared<NpgViewCache>();
  NpgViewCache& c = *st.cache;
  const bool running = ctx.state.runner && ctx.state.runner->running();
  if (c.version != snap.version && (!running || ImGui::GetTime() - c.refreshed_at > 0.5))
    refresh(c, snap);
  if (!c.error.empty()) {
    ImGui::TextColored(ImVec4(1.0f, 0.45f, 0.4f, 1.0f), "%s", c.error.c_str());
    return;
  }
  if (!c.report) {
    note_wrapped(c.message.c_str());
    return;
  }
  const pg::NaturalGradientReport& r = *c.report;
  const float fs = ImGui::GetFontSize();
  const float spacing = ImGui::GetStyle().ItemSpacing.x;
  text_wrapped_at_spacesf("%s step on iteration %d's batch", r.line_search ? "TRPO" : "NPG",
                          r.iteration);
  if (r.reestimated) {
    // A flip after the step: the numbers stay the step taken; the re-estimate is named apart.
    std::string changed;
    auto part = [&](const char* what, const char* a, const char* b) {
      if (std::string(a) != b)
        changed += (changed.empty() ? "" : ", ") + std::string(what) + " " + a + " → " + b;
    };
    const pg::EstimatorConfig &a = r.step_config, &b = r.reestimate_config;
    part("returns", pg::title_of(a.returns), pg::title_of(b.returns));
    part("baseline", pg::title_of(a.baseline), pg::title_of(b.baseline));
    part("normalize", a.normalize ? "on" : "off", b.normalize ? "on" : "off");
    part("γᵗ weighting", a.discount_weighting ? "on" : "off", b.discount_weighting ? "on" : "off");
    colored_wrappedf(ImColor(color_pos()),
                     "Flipped after this step (%s): shown is the step taken, from the ĝ the "
                     "update used (‖ĝ‖ = %.4g); the re-estimate (‖ĝ‖ = %.4g) steers the next "
                     "batch's step.",
                     changed.c_str(), r.g.norm(), r.reestimate_grad_norm);
  }
  if (c.previous) draw_previous_batch_note({c.source, true}, *snap.session);

  // The Fisher matrix on the left: the one the update used, or the exact one to compare. Narrow
  // (presenter scale, a small window): the matrix above the numbers in one column that scrolls.
  const bool can_compare = !r.fisher_is_exact && r.fisher_exact.size() > 0;
  if (!can_compare) st.show_exact = false;
  const Eigen::MatrixXd& F = st.show_exact ? r.fisher_exact : r.fisher;
  const bool one_column = ImGui::GetContentRegionAvail().x < fs * 50.0f;
  const float min_plot = fs * 12.0f;
  const float table_h =
      ImGui::GetTextLineHeightWithSpacing() * (static_cast<float>(r.tries.size()) + 2.5f) +
      ImGui::GetStyle().CellPadding.y * 2 * (r.tries.size() + 2);
  const float numbers_h = ImGui::GetTextLineHeightWithSpacing() * 8.0f;
  begin_view_body("npg_body", one_column ? fs * 18.0f + numbers_h + min_plot + table_h
                                         : numbers_h + min_plot + table_h);
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  // In the column the square is at most about a view high, so the numbers stay in reach.
  const float heat_h = one_column ? std::max(fs * 18.0f, std::min(avail.x, avail.y * 0.8f)) : 0.0f;
  const float left_w = one_column ? std::min(avail.x, heat_h)
                                  : std::max(fs * 16.0f, std::min(avail.x * 0.45f, avail.y));
  ImGui::BeginGroup();
  const char* which = r.fisher_is_exact ? "Fisher F: exact (the update's)"
                      : st.show_exact   ? "Fisher F: exact (to compare)"
                                        : "Fisher F: sampled (the update's)";
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + left_w);
  ImGui::TextUnformatted(which);
  ImGui::PopTextWrapPos();
  if (can_compare) {
    const float box = ImGui::GetFrameHeight() + ImGui::GetStyle().ItemInnerSpacing.x;
    same_line_if_fits(box + ImGui::CalcTextSize("exact F").x);
    ImGui::Checkbox("exact F", &st.show_exact);
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip(
          "Show the exact F = Σₛ d(s) Σₐ π ∇log π ∇log πᵀ / Σₛ d(s) at θ_old instead of the\n"
          "batch's (1/M) Σₜ sₜ sₜᵀ the update used (trpo.exact_fisher switches the update).");
  }
  if (F.size() > 0)
    draw_heatmap("fisher", F,
                 ImVec2(left_w, one_column ? heat_h : ImGui::GetContentRegionAvail().y));
  else
    text_wrapped_at_spacesf("%d parameters: too many for a heatmap (at most %d).",
                            static_cast<int>(r.g.size()), pg::kMaxDenseFisherParams);
  ImGui::EndGroup();
  if (!one_column) ImGui::SameLine(0, spacing);

  // Right of the matrix in a child of the view's height; in the column, inline below it.
  if (!one_column) ImGui::BeginChild("npg_right", ImVec2(0, 0), false);
  draw_numbers(r);
  const float plot_h =
      one_column ? std::max(min_plot, avail.x * 0.4f)
                 : std::max(min_plot, ImGui::GetContentRegionAvail().y - table_h - spacing * 2);
  draw_components(r, ImVec2(-1, plot_h));
  draw_line_search(r);
  if (!one_column) ImGui::EndChild();
  ImGui::EndChild();  // npg_body
}

}  // namespace pglab::gui
