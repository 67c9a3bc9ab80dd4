// PPO clipping: L^CLIP(r) = min(r Â, clip(r, 1−ε, 1+ε) Â) for Â > 0 and Â < 0 with the band
// [1−ε, 1+ε] and the flat, zero-gradient parts; the last update's samples (r, Â) of its first or
// last epoch, coloured by whether they still pass a gradient; per epoch the fraction outside the
// band (CleanRL's clipfrac) and the fraction clipped with no gradient, and KL; the six cases and
// the update's figures over all epochs, each labelled with what it aggregates; the "ratio = 1 on
// the first minibatch" check. Every number comes from core (algo/ppo.h).
//
// ε here is display-only: the slider redraws the band and re-classifies the samples the update
// produced (with the scenario's ppo.clip_eps) as a different ε would have clipped them — the
// points, the six-case table, the clip fractions per epoch and over the update all follow it; the
// update's own figures at ppo.clip_eps are shown beside them when the two differ. The scenario's
// ε changes in the Controls panel (ppo.clip_eps).
#include <algorithm>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "algo/ppo.h"
#include "gui/panels/panels.h"
#include "gui/plot/plot.h"
#include "gui/views/marks.h"
#include "gui/views/views.h"
#include "lab/clip_cases.h"

namespace pglab::gui {

namespace {

ImU32 color_flows() {
  return IM_COL32(90, 170, 250, 255);
}  // inside the band: gradient flows
ImU32 color_no_grad() {
  return IM_COL32(235, 105, 95, 255);
}  // clipped, flat: no gradient
ImU32 color_outside() {
  return IM_COL32(240, 180, 70, 255);
}  // outside the band, min keeps r Â
ImU32 color_outside_band() {
  return IM_COL32(225, 225, 235, 255);
}  // |r − 1| > ε whatever Â: CleanRL's clipfrac
ImU32 color_good() {
  return IM_COL32(110, 200, 120, 255);
}
ImU32 color_band() {
  return IM_COL32(150, 160, 200, 70);
}
ImU32 color_unclipped() {
  return IM_COL32(160, 160, 170, 200);
}

// The samples on show, split by region for the plot items.
struct SampleSets {
  std::vector<double> r_in, a_in, r_flat, a_flat, r_out, a_out;  // (r, Â) by region
  // Per panel (0: Â > 0, 1: Â < 0), (r, L/|Â|): inside the band / outside where the min keeps
  // r Â (the gradient flows) / flat (clipped: no gradient); coloured as the view's key says.
  std::vector<double> lr[2], ly[2], or_[2], oy[2], fr[2], fy[2];
  double r_min = 1.0, r_max = 1.0, a_min = -1.0, a_max = 1.0;
  int n = 0;
  // The curve panels show every stride-th sample inside the band (they lie on the curve anyway)
  // and every sample outside it: the rare cases (2% of an update) are what a lesson sends the
  // class to find there, and a subset lost them.
  int stride = 1;
  int curve_inside = 0, inside = 0;  // inside the band: on the curve panels, in all
};

// At most this many samples inside the band on each curve panel: the (r, Â) plot below shows them
// all, and every dot costs frame time under software GL.
constexpr int kCurvePanelSamples = 128;

SampleSets samples_of(const pg::PpoUpdateRecord& rec, bool last_epoch, int minibatch, double eps) {
  SampleSets s;
  const auto& ratio = last_epoch ? rec.ratio_last : rec.ratio_first;
  const auto& adv = last_epoch ? rec.adv_last : rec.adv_first;
  const auto& mb = last_epoch ? rec.minibatch_last : rec.minibatch_first;
  int total = 0;
  for (size_t j = 0; j < ratio.size(); ++j) total += minibatch < 0 || mb[j] == minibatch;
  s.stride = std::max(1, (total + kCurvePanelSamples - 1) / kCurvePanelSamples);
  for (size_t j = 0; j < ratio.size(); ++j) {
    if (minibatch >= 0 && mb[j] != minibatch) continue;
    const double r = ratio[j], a = adv[j];
    const bool on_curve_panel = s.n % s.stride == 0;
    ++s.n;
    s.r_min = std::min(s.r_min, r);
    s.r_max = std::max(s.r_max, r);
    s.a_min = std::min(s.a_min, a);
    s.a_max = std::max(s.a_max, a);
    const pg::ClipRegion region = pg::clip_region(r, a, eps);
    const bool flat = pg::no_gradient(region);
    if (region == pg::ClipRegion::kInside) {
      s.r_in.push_back(r);
      s.a_in.push_back(a);
    } else if (flat) {
      s.r_flat.push_back(r);
      s.a_flat.push_back(a);
    } else {
      s.r_out.push_back(r);
      s.a_out.push_back(a);
    }
    const bool inside = region == pg::ClipRegion::kInside;
    if (a == 0.0) continue;
    if (inside) {
      ++s.inside;
      if (!on_curve_panel) continue;
      ++s.curve_inside;
    }
    const int panel = a > 0.0 ? 0 : 1;
    // On the unit curve: L^CLIP(r; Â) / |Â| = L^CLIP(r; ±1).
    const double y = pg::clipped_surrogate(r, a, eps) / std::abs(a);
    (flat ? s.fr[panel] : inside ? s.lr[panel] : s.or_[panel]).push_back(r);
    (flat ? s.fy[panel] : inside ? s.ly[panel] : s.oy[panel]).push_back(y);
  }
  return s;
}

// One panel: L^CLIP(r) per unit |Â| for Â = +1 (sign > 0) or −1, its band and flat part, samples.
void draw_objective_panel(const char* title, double sign, double eps, double x_lo, double x_hi,
                          const SampleSets& s, int panel, const ImVec2& size) {
  constexpr int kPoints = 241;
  std::vector<double> xs(kPoints), clipped(kPoints), unclipped(kPoints);
  for (int i = 0; i < kPoints; ++i) {
    xs[i] = x_lo + (x_hi - x_lo) * i / (kPoints - 1);
    clipped[i] = pg::clipped_surrogate(xs[i], sign, eps);
    unclipped[i] = xs[i] * sign;
  }
  // y range: the curves over [x_lo, x_hi] with a margin.
  const double y_lo = std::min(x_lo * sign, x_hi * sign) - 0.1,
               y_hi = std::max(x_lo * sign, x_hi * sign) + 0.1;
  if (!plot::BeginPlot(title, size, plot::PlotFlags_NoLegend)) return;
  plot::SetupAxes(label_fitting(size.x - ImGui::GetFontSize() * 4.0f,
                                "ratio r = π_θ(a|s) / π_old(a|s)", "ratio r"),
                  "L / |Â|");
  plot::SetupAxesLimits(x_lo, x_hi, y_lo, y_hi, ImGuiCond_Always);
  const double bx[2] = {1.0 - eps, 1.0 + eps}, blo[2] = {y_lo, y_lo}, bhi[2] = {y_hi, y_hi};
  plot::SetNextItemColor(color_band());
  plot::PlotBand("band [1−ε, 1+ε]", bx, blo, bhi, 2);
  plot::SetNextItemColor(color_unclipped());
  plot::SetNextItemWeight(0.08f);
  plot::PlotLine("r Â (unclipped)", xs.data(), unclipped.data(), kPoints);
  plot::SetNextItemColor(color_flows());
  plot::SetNextItemWeight(0.16f);
  plot::PlotLine("L^CLIP = min(r Â, clip(r) Â)", xs.data(), clipped.data(), kPoints);
  // The flat part: r > 1+ε for Â > 0, r < 1−ε for Â < 0; the other side of the band, where the
  // min keeps r Â and the gradient flows, in the key's colour for it.
  std::vector<double> fx, fy, ox, oy;
  for (int i = 0; i < kPoints; ++i) {
    const pg::ClipRegion region = pg::clip_region(xs[i], sign, eps);
    if (pg::no_gradient(region)) {
      fx.push_back(xs[i]);
      fy.push_back(clipped[i]);
    } else if (region != pg::ClipRegion::kInside) {
      ox.push_back(xs[i]);
      oy.push_back(clipped[i]);
    }
  }
  if (!ox.empty()) {
    plot::SetNextItemColor(color_outside());
    plot::SetNextItemWeight(0.16f);
    plot::PlotLine("outside the band, min keeps r Â", ox.data(), oy.data(),
                   static_cast<int>(ox.size()));
  }
  if (!fx.empty()) {
    plot::SetNextItemColor(color_no_grad());
    plot::SetNextItemWeight(0.34f);
    plot::PlotLine("flat: no gradient", fx.data(), fy.data(), static_cast<int>(fx.size()));
    const double mid_x = 0.5 * (fx.front() + fx.back());
    // Under the flat line for both signs: the room there is empty (the top edge is close above
    // the Â > 0 panel's flat part).
    plot::PlotText("no gradient", mid_x, fy.front(), ImVec2(0, ImGui::GetFontSize()));
  }
  if (!s.lr[panel].empty()) {
    plot::SetNextItemColor(color_flows());
    plot::PlotScatter(s.stride > 1 ? "samples (a subset): inside, gradient flows"
                                   : "samples: inside, gradient flows",
                      s.lr[panel].data(), s.ly[panel].data(), static_cast<int>(s.lr[panel].size()));
  }
  // Outside the band the samples lie on a line of their own colour: markers ringed in the
  // background colour, so each stands out from the line (plain dots vanished into it).
  for (size_t k = 0; k < s.or_[panel].size(); ++k) {
    plot::SetNextItemColor(color_outside());
    plot::PlotMarker("samples: outside, gradient flows", s.or_[panel][k], s.oy[panel][k]);
  }
  for (size_t k = 0; k < s.fr[panel].size(); ++k) {
    plot::SetNextItemColor(color_no_grad());
    plot::PlotMarker("samples: clipped (no gradient)", s.fr[panel][k], s.fy[panel][k]);
  }
  plot::EndPlot();
}

void draw_check(ImDrawList* dl, ImVec2 p, float size, bool ok) {
  DrawVerdictMark(dl, p, size, ok, ok ? color_good() : color_no_grad());
}

void draw_badge(const pg::PpoUpdateRecord& rec) {
  const float fs = ImGui::GetFontSize();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 p = ImGui::GetCursorScreenPos();
  const bool ok = rec.first_ratio_is_one;
  char text[160];
  std::snprintf(text, sizeof text,
                ok ? "ratio = 1 on the first minibatch  (max |r − 1| = %.1e)"
                   : "ratio ≠ 1 on the first minibatch: max |r − 1| = %.2e",
                rec.first_ratio_max_abs_dev);
  const float pad = fs * 0.3f, box = fs * 1.1f;
  // Narrow: the short form (the deviation is in the tooltip).
  const char* shown =
      label_fitting(ImGui::GetContentRegionAvail().x - box - pad * 4, text,
                    ok ? "ratio = 1 on the first minibatch" : "ratio ≠ 1 on the first minibatch");
  const ImVec2 ts = ImGui::CalcTextSize(shown);
  const ImVec2 q(p.x + box + ts.x + pad * 4, p.y + std::max(box, ts.y) + pad);
  dl->AddRectFilled(p, q, ok ? IM_COL32(110, 200, 120, 40) : IM_COL32(235, 105, 95, 40), fs * 0.3f);
  dl->AddRect(p, q, ok ? color_good() : color_no_grad(), fs * 0.3f);
  draw_check(dl, ImVec2(p.x + pad, p.y + pad * 0.5f), box, ok);
  dl->AddText(ImVec2(p.x + box + pad * 2, p.y + pad * 0.5f + (box - ts.y) * 0.5f),
              ImGui::GetColorU32(ImGuiCol_Text), shown);
  ImGui::Dummy(ImVec2(q.x - p.x, q.y - p.y));
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip(
        "max |r − 1| = %.2e.\n"
        "The first minibatch of the first epoch is evaluated at θ = θ_old, the policy that "
        "sampled\n"
        "the batch, so every ratio π_θ/π_old is 1. An MLP gives 1 to the last bit or two (the "
        "sampler's\n"
        "one-sample forward and the minibatch's batched forward add in another order); the check\n"
        "allows |r − 1| ≤ %.0e.",
        rec.first_ratio_max_abs_dev, pg::kFirstRatioTolerance);
}

// What each colour of the curve panels means (lines and samples alike), one key for both panels in
// place of a legend that covered the Â > 0 panel's curve (6 entries over a 4-inch plot).
const ColourKey kObjectiveKey[] = {{IM_COL32(150, 160, 200, 255), "▮ band [1−ε, 1+ε]"},
                                   {color_flows(), "● — inside the band: gradient flows"},
                                   {color_outside(), "● — outside, min keeps r Â: flows"},
                                   {color_no_grad(), "● — clipped, flat: no gradient"},
                                   {color_unclipped(), "— r Â unclipped"}};
constexpr int kObjectiveKeys = 5;

// The six min/clip cases of the update's samples at ε: sign of Â × where r lies, each cell with its
// count, its share and whether the clipped objective passes a gradient there.
void draw_case_table(const pg::ClipCaseTable& t, double eps) {
  const long total = std::max(1L, t.total());
  const ImGuiTableFlags flags =
      ImGuiTableFlags_Borders | ImGuiTableFlags_SizingStretchSame | ImGuiTableFlags_RowBg;
  if (!ImGui::BeginTable("clip_cases", 4, flags)) return;
  char head[3][48];
  std::snprintf(head[0], sizeof head[0], "r < %.2f", 1.0 - eps);
  std::snprintf(head[1], sizeof head[1], "%.2f ≤ r ≤ %.2f", 1.0 - eps, 1.0 + eps);
  std::snprintf(head[2], sizeof head[2], "r > %.2f", 1.0 + eps);
  ImGui::TableSetupColumn("cases", ImGuiTableColumnFlags_WidthFixed, ImGui::GetFontSize() * 3.2f);
  for (const char* h : head) ImGui::TableSetupColumn(h);
  // Header and cells wrap inside narrow columns (presenter scale) instead of being cut.
  table_headers_wrapped();
  for (int row = 0; row < 2; ++row) {
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    text_wrapped_at_spaces(row == 0 ? "Â > 0" : "Â < 0");
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip(row == 0 ? "The action did better than expected: the update raises π(a|s)."
                                 : "The action did worse than expected: the update lowers π(a|s).");
    for (int col = 0; col < 3; ++col) {
      ImGui::TableNextColumn();
      const auto c = static_cast<pg::ClipCase>(row * 3 + col);
      const bool flows = pg::clip_case_passes_gradient(c);
      const long n = t.at(c);
      ImGui::PushStyleColor(ImGuiCol_Text,
                            flows ? (col == 1 ? color_flows() : color_outside()) : color_no_grad());
      text_wrapped_at_spacesf("%ld (%.1f%%) %s", n, 100.0 * n / total, flows ? "flows" : "clipped");
      ImGui::PopStyleColor();
      if (ImGui::IsItemHovered()) {
        const char* why =
            col == 1 ? "Inside the band the min is r Â: the gradient flows."
            : flows
                ? "Outside the band, but the min keeps the unclipped r Â (the step went the wrong\n"
                  "way for this sample): the gradient flows and pulls r back."
                : "The min is the clipped term, constant in θ: this sample passes no gradient\n"
                  "(the step already moved π(a|s) by more than ε in the direction Â asks).";
        ImGui::SetTooltip("%ld samples (%.2f%% of %ld)\n%s", n, 100.0 * n / total, t.total(), why);
      }
    }
  }
  ImGui::EndTable();
  if (t.zero_adv > 0)
    ImGui::TextDisabled("%ld samples with Â = 0 (no gradient whatever r)", t.zero_adv);
}

constexpr pg::PpoObjectiveKind kKlPenalty = pg::PpoObjectiveKind::kKlPenalty;

// The display ε, the epoch and the minibatch whose samples are drawn.
void draw_controls(ClipViewState& st, const pg::Scenario& sc, int B) {
  const float fs = ImGui::GetFontSize();
  ImGui::SetNextItemWidth(fs * 9.0f);
  if (ImGui::SliderFloat("ε (display)", &st.eps, 0.01f, 0.6f, "%.2f")) st.eps_touched = true;
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip(
        "Display only: redraws the band and re-classifies the update's samples as this ε would.\n"
        "The update used ppo.clip_eps = %.2f (change it in Controls).",
        sc.ppo.clip_eps);
  const float radio = ImGui::GetFrameHeight() + ImGui::GetStyle().ItemInnerSpacing.x;
  same_line_if_fits(ImGui::CalcTextSize("scenario ε").x + fs);
  if (ImGui::SmallButton("scenario ε")) st.eps_touched = false;
  same_line_if_fits(ImGui::CalcTextSize("samples of").x + fs * 1.5f);
  ImGui::TextUnformatted("samples of");
  same_line_if_fits(radio + ImGui::CalcTextSize("first epoch").x);
  ImGui::RadioButton("first epoch", &st.epoch, 0);
  same_line_if_fits(radio + ImGui::CalcTextSize("last epoch").x);
  ImGui::RadioButton("last epoch", &st.epoch, 1);
  same_line_if_fits(fs * 8.0f + ImGui::CalcTextSize("minibatch").x + fs);
  ImGui::SetNextItemWidth(fs * 8.0f);
  ImGui::SliderInt("minibatch", &st.minibatch, -1, B - 1, st.minibatch < 0 ? "all" : "%d");
}

}  // namespace

void DrawClipView(ViewContext& ctx) {
  const pg::Session& s = *ctx.snap.session;
  const pg::PpoUpdateRecord* clip = s.algorithm().clip_record();
  if (!clip) {
    note_wrapped(
        "The clipping view shows PPO's updates: open a PPO scenario (e.g. ppo-clipping-demo).");
    return;
  }
  const pg::PpoUpdateRecord& rec = *clip;
  if (rec.iteration < 0) {
    note_wrapped("No PPO update yet: run or step past the first update phase.");
    return;
  }
  ClipViewState& st = ctx.state.views.clip;
  const pg::Scenario& sc = s.scenario();
  const float fs = ImGui::GetFontSize();
  const float spacing = ImGui::GetStyle().ItemSpacing.x;
  if (st.eps < 0.0f || !st.eps_touched) st.eps = static_cast<float>(sc.ppo.clip_eps);
  const int K = static_cast<int>(rec.epoch_clip_fraction.size());
  const int B = sc.ppo.minibatches;
  const pg::UpdateStats& us = s.update_stats();

  // Header: what is on show, and the ratio-is-1 badge.
  text_wrapped_at_spacesf(
      "Update of iteration %d: %d epochs × %d minibatches over %zu samples   %s", rec.iteration, K,
      B, rec.ratio_first.size(),
      sc.ppo.objective == kKlPenalty
          ? "(objective: KL penalty; the clip curves show what ε would do)"
          : "");
  draw_badge(rec);

  // Controls: display ε, epoch, minibatch (one folded line in a short view).
  st.minibatch = std::clamp(st.minibatch, -1, B - 1);
  char summary[96];
  std::snprintf(summary, sizeof summary, "ε %.2f · %s epoch · minibatch %s", st.eps,
                st.epoch == 1 ? "last" : "first",
                st.minibatch < 0 ? "all" : std::to_string(st.minibatch).c_str());
  if (settings_rows(short_view(ctx.state.layout_ui), "##clip_settings", summary, "ε, samples"))
    draw_controls(st, sc, B);
  const double eps = st.eps;

  const SampleSets samples = samples_of(rec, st.epoch == 1, st.minibatch, eps);
  const double x_lo = std::min(1.0 - 2.5 * eps, samples.r_min - 0.05);
  const double x_hi = std::max(1.0 + 2.5 * eps, samples.r_max + 0.05);

  // Small windows: the samples' plot without its legend (the key under the curve panels says it).
  const bool legends = ImGui::GetContentRegionAvail().y > fs * 40.0f;

  // Wide: the two objective panels above, the samples and the per-epoch figures below. Narrow
  // (presenter scale, a small window): one column, the objective panels one above the other. Each
  // plot keeps a readable height and the body scrolls where the view is shorter than that.
  const float line = ImGui::GetTextLineHeightWithSpacing();
  const bool one_column = ImGui::GetContentRegionAvail().x < fs * 46.0f;
  const float min_plot = fs * 12.0f;
  // Below the per-epoch plots: the table (header + 2 rows, each a line plus cell padding, the
  // header maybe wrapped on two lines) and the update's numbers.
  const int text_lines = 5 + 3 + (sc.ppo.objective == kKlPenalty) + 2;
  const float figures_text_h = line * text_lines + ImGui::GetStyle().CellPadding.y * 6;
  // The per-epoch plots with their keys under them (a line or two each).
  const float epoch_plot_min = fs * 9.0f + line * 2.0f;
  // Under the key, when the curve panels leave samples out, a note saying which (a line or two).
  const bool subset = samples.curve_inside < samples.inside;
  const float key_h =
      colour_key_height(kObjectiveKey, kObjectiveKeys, ImGui::GetContentRegionAvail().x) +
      (subset ? line * 2.0f : 0.0f);
  const float needed =
      key_h +
      (one_column
           ? 2 * (min_plot + spacing) + fs * 15.0f + epoch_plot_min + figures_text_h + spacing * 3
           : min_plot + std::max(fs * 15.0f, epoch_plot_min + figures_text_h + spacing * 3.0f) +
                 spacing);
  begin_view_body("clip_body", needed);
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float top_h = one_column ? std::max(min_plot, avail.x * 0.42f)
                                 : std::max(min_plot, avail.y * 0.42f - key_h);
  const float half_w = one_column ? avail.x : (avail.x - spacing) * 0.5f;
  draw_objective_panel("L^CLIP(r) for Â > 0: the action did better than expected", 1.0, eps, x_lo,
                       x_hi, samples, 0, ImVec2(half_w, top_h));
  if (!one_column) ImGui::SameLine(0, spacing);
  draw_objective_panel("L^CLIP(r) for Â < 0: worse than expected", -1.0, eps, x_lo, x_hi, samples,
                       1, ImVec2(half_w, top_h));
  colour_key(kObjectiveKey, kObjectiveKeys);
  if (subset)
    note_wrappedf(
        "The curve panels show a subset: %d of the %d samples inside the band, and every sample "
        "outside it; the (r, Â) plot shows them all.",
        samples.curve_inside, samples.inside);

  // The samples in the (r, Â) plane, the flat regions shaded: bottom left, or next in the column.
  // Wide: at least what the per-epoch figures beside the samples need, so the body scrolls rather
  // than a second scrollbar inside it.
  const float bottom_h = one_column ? std::max(fs * 15.0f, avail.x * 0.5f)
                                    : std::max({fs * 15.0f, ImGui::GetContentRegionAvail().y,
                                                epoch_plot_min + figures_text_h + spacing * 3.0f});
  const float left_w = one_column ? avail.x : (avail.x - spacing) * 0.45f;
  char title[160];
  std::snprintf(title, sizeof title, "Samples (r, Â) of the %s epoch%s: %d shown###clip_samples",
                st.epoch == 1 ? "last" : "first", st.minibatch < 0 ? "" : ", one minibatch",
                samples.n);
  if (plot::BeginPlot(title, ImVec2(left_w, bottom_h),
                      legends ? plot::PlotFlags_None : plot::PlotFlags_NoLegend)) {
    // The rotated y label runs along the plot's height: the long form only where it fits.
    plot::SetupAxes("ratio r", label_fitting(bottom_h - fs * 5.0f, "Â (normalised per minibatch)",
                                             "Â (normalised)"));
    const double a_lo = samples.a_min - 0.2, a_hi = samples.a_max + 0.2;
    plot::SetupAxesLimits(x_lo, x_hi, a_lo, a_hi, ImGuiCond_Always);
    const double bx[2] = {1.0 - eps, 1.0 + eps}, blo[2] = {a_lo, a_lo}, bhi[2] = {a_hi, a_hi};
    plot::SetNextItemColor(color_band());
    plot::PlotBand("band [1−ε, 1+ε]", bx, blo, bhi, 2);
    // Zero-gradient regions: r > 1+ε with Â > 0, r < 1−ε with Â < 0.
    const double hx[2] = {1.0 + eps, x_hi}, h0[2] = {0.0, 0.0}, hhi[2] = {a_hi, a_hi};
    const double lx[2] = {x_lo, 1.0 - eps}, llo[2] = {a_lo, a_lo};
    plot::SetNextItemColor(IM_COL32(235, 105, 95, 45));
    plot::PlotBand("no-gradient regions", hx, h0, hhi, 2);
    plot::SetNextItemColor(IM_COL32(235, 105, 95, 45));
    plot::PlotBand("no-gradient regions", lx, llo, h0, 2);
    plot::PlotText("no gradient", 0.5 * (1.0 + eps + x_hi), a_hi, ImVec2(0, fs * 0.8f));
    plot::PlotText("no gradient", 0.5 * (x_lo + 1.0 - eps), a_lo, ImVec2(0, -fs * 0.8f));
    plot::PlotHLine("##zero", 0.0);
    if (!samples.r_in.empty()) {
      plot::SetNextItemColor(color_flows());
      plot::PlotScatter("inside the band", samples.r_in.data(), samples.a_in.data(),
                        static_cast<int>(samples.r_in.size()));
    }
    if (!samples.r_flat.empty()) {
      plot::SetNextItemColor(color_no_grad());
      plot::PlotScatter("clipped: no gradient", samples.r_flat.data(), samples.a_flat.data(),
                        static_cast<int>(samples.r_flat.size()));
    }
    if (!samples.r_out.empty()) {
      plot::SetNextItemColor(color_outside());
      plot::PlotScatter("outside, gradient flows (min keeps r Â)", samples.r_out.data(),
                        samples.a_out.data(), static_cast<int>(samples.r_out.size()));
    }
    plot::EndPlot();
  }
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("Â is the advantage normalised over each minibatch (mean 0, std 1).");
  if (!one_column) ImGui::SameLine(0, spacing);

  // Clip fraction and KL per epoch, the six cases, and the update's numbers: bottom right in a
  // child of the bottom row's height (it scrolls if they need more), or next in the column. Every
  // count is for the display ε: the update's samples of every epoch re-classified
  // (lab/clip_cases.h).
  std::vector<pg::ClipCaseTable> epoch_cases;
  const pg::ClipCaseTable cases = pg::count_update_clip_cases(rec, eps, &epoch_cases);
  // The slider holds a float: equal to the scenario's ε to float precision.
  const bool eps_is_scenario = !st.eps_touched || std::abs(eps - sc.ppo.clip_eps) < 1e-6;
  if (!one_column) ImGui::BeginChild("clip_epochs", ImVec2(0, bottom_h), false);
  // Per epoch, the two meanings of "clipped": outside the band (CleanRL's clipfrac, |r − 1| > ε,
  // whatever the sign of Â) and on a flat part (no gradient: the table's red cells).
  std::vector<double> epochs(K), epoch_frac(K), epoch_no_grad(K);
  for (int e = 0; e < K; ++e) {
    epochs[e] = e;  // from 0, as every index pglab shows (README: Numbering)
    const bool have = e < static_cast<int>(epoch_cases.size());
    epoch_frac[e] = have ? epoch_cases[e].clip_fraction() : 0.0;
    epoch_no_grad[e] = have ? epoch_cases[e].no_gradient_fraction() : 0.0;
  }
  // The two per-epoch plots side by side above the table and the update's numbers.
  const float plot_h = one_column ? std::max(epoch_plot_min, avail.x * 0.3f)
                                  : std::max(epoch_plot_min, ImGui::GetContentRegionAvail().y -
                                                                 figures_text_h - spacing * 2);
  const float plot_w = (ImGui::GetContentRegionAvail().x - spacing) * 0.5f;
  // KL values are often 1e-4..1e-2 nats: plot them scaled by a power of ten so the ticks read.
  double kl_max = 0.0;
  for (int e = 0; e < K; ++e)
    kl_max = std::max({kl_max, std::abs(rec.epoch_kl_k1[e]), std::abs(rec.epoch_kl_k3[e])});
  int kl_exp = 0;
  while (kl_max > 0.0 && kl_max * std::pow(10.0, kl_exp) < 1.0 && kl_exp < 12) kl_exp += 3;
  const double kl_scale = std::pow(10.0, kl_exp);
  std::vector<double> k1(K), k3(K);
  for (int e = 0; e < K; ++e) {
    k1[e] = rec.epoch_kl_k1[e] * kl_scale;
    k3[e] = rec.epoch_kl_k3[e] * kl_scale;
  }
  // "×10⁻⁶ nats": superscript digits (the UI font has U+2070..209F and ¹²³).
  static constexpr const char* kSuperDigit[10] = {"⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"};
  std::string kl_unit = "nats";
  if (kl_exp > 0) {
    kl_unit = "×10⁻";
    if (kl_exp >= 10) kl_unit += kSuperDigit[kl_exp / 10];
    kl_unit += kSuperDigit[kl_exp % 10];
    kl_unit += " nats";
  }
  // The y labels run along the plots' height (less the title and the x axis).
  const float y_room = plot_h - fs * 5.0f;
  char frac_title[96];
  std::snprintf(frac_title, sizeof frac_title, "Per epoch at ε = %.2f###clip_frac", eps);
  {
    // The two lines are keyed under the plot: a legend inside would cover the points.
    const ColourKey frac_keys[] = {{color_outside_band(), "outside the band (clipfrac)"},
                                   {color_no_grad(), "clipped: no gradient"},
                                   {color_unclipped(), "outside, at the update's ε"}};
    const KeyUnder key(true, "clip_frac_key", frac_keys, eps_is_scenario ? 2 : 3,
                       ImVec2(plot_w, plot_h), fs * 6.0f);
    if (plot::BeginPlot(frac_title, key.plot_size(), plot::PlotFlags_NoLegend)) {
      plot::SetupAxes("epoch", label_fitting(y_room, "fraction of the epoch", "fraction"),
                      plot::AxisFlags_Integer, plot::AxisFlags_IncludeZero);
      double top = 0.05;
      for (double f : epoch_frac) top = std::max(top, 1.2 * f);
      if (!eps_is_scenario)
        for (double f : rec.epoch_clip_fraction) top = std::max(top, 1.2 * f);
      plot::SetupAxesLimits(-0.5, K - 0.5, 0.0, std::min(1.0, top), ImGuiCond_Always);
      plot::SetNextItemColor(color_outside_band());
      plot::PlotLine("outside the band (clipfrac)", epochs.data(), epoch_frac.data(), K);
      plot::PlotScatter("outside the band (clipfrac)", epochs.data(), epoch_frac.data(), K);
      plot::SetNextItemColor(color_no_grad());
      plot::PlotLine("clipped: no gradient", epochs.data(), epoch_no_grad.data(), K);
      plot::PlotScatter("clipped: no gradient", epochs.data(), epoch_no_grad.data(), K);
      if (!eps_is_scenario) {
        // What the update itself counted, at ppo.clip_eps.
        plot::SetNextItemColor(color_unclipped());
        plot::PlotLine("outside at the update's ε", epochs.data(), rec.epoch_clip_fraction.data(),
                       K);
      }
      plot::EndPlot();
    }
  }
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip(
        "Per epoch, of its samples:\n"
        "outside the band: |r − 1| > ε whatever the sign of Â (CleanRL's clipfrac); some of\n"
        "  these still pass a gradient (the min keeps r Â: the table's orange cells);\n"
        "clipped, no gradient: on a flat part of L^CLIP (the table's red cells).");
  ImGui::SameLine(0, spacing);
  // A unit too long for the y axis moves into the title.
  const bool unit_on_axis = ImGui::CalcTextSize(kl_unit.c_str()).x <= y_room;
  const std::string kl_title = std::string("KL(π_old ‖ π_θ) per epoch") +
                               (unit_on_axis ? "" : ", " + kl_unit) + "###clip_kl";
  {
    // Keyed under the plot like the one beside it (a legend inside covered the last epochs).
    const ColourKey kl_keys[] = {{plot::GetPaletteColor(0), "k1 = mean(−log r)"},
                                 {plot::GetPaletteColor(1), "k3 = mean(r − 1 − log r)"}};
    const KeyUnder key(true, "clip_kl_key", kl_keys, 2, ImVec2(plot_w, plot_h), fs * 6.0f);
    if (plot::BeginPlot(kl_title.c_str(), key.plot_size(), plot::PlotFlags_NoLegend)) {
      plot::SetupAxes("epoch", unit_on_axis ? kl_unit.c_str() : "", plot::AxisFlags_Integer,
                      plot::AxisFlags_IncludeZero);
      plot::SetNextItemColor(plot::GetPaletteColor(0));
      plot::PlotLine("k1 = mean(−log r)", epochs.data(), k1.data(), K);
      plot::SetNextItemColor(plot::GetPaletteColor(1));
      plot::PlotLine("k3 = mean(r − 1 − log r)", epochs.data(), k3.data(), K);
      plot::EndPlot();
    }
  }
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("KL(π_old ‖ π_θ) in %s: k1 = mean(−log r), k3 = mean(r − 1 − log r).",
                      kl_unit.c_str());
  // Everything below is over all K epochs (K·M samples), the table included.
  text_wrapped_at_spacesf("All %d epochs, %ld samples, ε = %.2f%s:", K, cases.total(), eps,
                          eps_is_scenario ? "" : " (display)");
  draw_case_table(cases, eps);
  text_wrapped_at_spacesf("outside the band (CleanRL's clipfrac) %.3f", cases.clip_fraction());
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip(
        "|r − 1| > ε, whatever the sign of Â: the table's four outer cells, %ld = %d epochs × %zu "
        "samples in all.\nThe orange ones still pass a gradient (the min keeps r Â).",
        cases.total(), K, rec.ratio_first.size());
  char no_grad[64];
  std::snprintf(no_grad, sizeof no_grad, "  clipped: no gradient %.3f",
                cases.no_gradient_fraction());
  same_line_if_fits(ImGui::CalcTextSize(no_grad).x, 0.0f);
  colored_wrappedf(ImColor(color_no_grad()), "%s", no_grad);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("On a flat part of L^CLIP: the table's red cells.");
  if (!eps_is_scenario)
    note_wrappedf("the update's ε = %.2f: outside the band %.3f, clipped: no gradient %.3f",
                  sc.ppo.clip_eps, us.get("clip_fraction"), us.get("clip_frac_no_grad"));
  text_wrapped_at_spacesf("ratio min / mean / max (all epochs)  %.3f / %.3f / %.3f",
                          us.get("ratio_min"), us.get("ratio_mean"), us.get("ratio_max"));
  text_wrapped_at_spacesf("mean over epochs: KL k1 %.2e  k3 %.2e   entropy %.3f",
                          us.get("approx_kl_k1"), us.get("approx_kl_k3"), us.get("entropy"));
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip(
        "Means over every minibatch step: k1 = −log r, k2 = ½ (log r)² (%.2e), k3 = r − 1 − log "
        "r.\n"
        "Critic: explained variance %.3f.",
        us.get("approx_kl_k2"), us.get("explained_variance"));
  if (sc.ppo.objective == kKlPenalty && sc.ppo.adaptive_beta)
    text_wrapped_at_spacesf("β %.4g → %.4g  (KL after the update %.2e, target %.2e)", rec.beta_used,
                            rec.beta_next, us.get("kl_after"), sc.ppo.kl_target);
  else if (sc.ppo.objective == kKlPenalty)  // β fixed: no target to adapt it to
    text_wrapped_at_spacesf("β %.4g, fixed  (KL after the update %.2e)", rec.beta_used,
                            us.get("kl_after"));
  if (!one_column) ImGui::EndChild();
  ImGui::EndChild();  // clip_body
}

}  // namespace pglab::gui
