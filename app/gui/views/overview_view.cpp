// Overview: the environment with the current policy, and the learning curves — mean return ± std
// per iteration against the exact J in finite worlds, gradient norm and policy entropy.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

#include "gui/compare/compare.h"
#include "gui/layout.h"
#include "gui/plot/plot.h"
#include "gui/time_travel/time_travel.h"
#include "gui/views/change_marks.h"
#include "gui/views/env_draw.h"
#include "gui/views/views.h"
#include "policy/gaussian.h"

namespace pglab::gui {

namespace {

// Points per learning curve: about one per two pixels of a wide plot. Every segment is a few
// anti-aliased triangles for the software rasteriser, so more buys nothing visible and costs
// frames.
constexpr size_t kCurvePoints = 600;

struct Curves {
  std::vector<double> it, mean, std, exact, grad, entropy;
  // J per iteration at the θ that sampled its batch, and J at the current θ after the last one:
  // the curve ends where the map's exact V(start) is (the map shows the current θ).
  std::vector<double> exact_it;
  std::vector<long> steps;  // env steps in all after the iteration (the bucket's last)
  bool any_return = false;  // some iteration had an episode end (return_mean finite)
};

Curves curves_of(const pg::Session& s) {
  Curves c;
  // Thousands of iterations per second at full speed: plot bucket means, ~2 per pixel at most.
  for (const auto& r : s.history().summary(kCurvePoints)) {
    c.it.push_back(r.iteration);
    c.mean.push_back(r.return_mean);
    c.std.push_back(r.return_std);
    c.exact.push_back(r.exact_J);
    c.grad.push_back(r.grad_norm);
    c.entropy.push_back(r.entropy);
    c.steps.push_back(r.steps);
    c.any_return = c.any_return || std::isfinite(r.return_mean);
  }
  c.exact_it = c.it;
  if (const pg::ExactResult* now = s.exact();
      now && (c.it.empty() || c.it.back() < s.iteration())) {
    c.exact_it.push_back(s.iteration());
    c.exact.push_back(now->J);
  }
  return c;
}

}  // namespace

void DrawOverviewView(ViewContext& ctx) {
  const pg::Session& s = *ctx.snap.session;
  const float fs = ImGui::GetFontSize();
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const ImVec2 view = ctx.state.layout_ui.view_area;
  const float spacing = ImGui::GetStyle().ItemSpacing.x;
  // The picture beside the curves; in a view narrower than 30 em (presenter scale on a small
  // screen) the picture above them, as wide as the view, and the view scrolls to the curves. A
  // world without a picture (tokens: the renderer's short note points to the GRPO groups view)
  // has its note above the curves, which take the view's width and the rest of its height.
  const bool no_picture = s.env().picture() == pg::EnvPicture::kTokens;
  // A fork (Compare, or the timeline's "Fork here"): the two branches' pictures side by side,
  // above the curves where the view cannot give both pictures and the curves their width.
  const auto fork = no_picture ? nullptr : shown_fork(ctx.state, s);
  const bool stacked = avail.x < fs * 30.0f ||
                       (fork && avail.x < branch_pictures_min_width() + fs * 16.0f + spacing);
  if (no_picture) {
    ctx.env.draw(s, EnvDrawOptions{}, avail, ctx.theme, 0);  // a box the height of its note
  } else {
    // Beside the curves the picture takes 42% of the width, more where the world needs it to use
    // the view's height (a grid in a short, wide view: presenter scale, controls folded; it drew
    // a 4×4 map of 156 px in a 1121×390 view at 1280×720 ×2) or where a fork's two pictures need
    // it, up to 55% (a fork: 60%) while the curves keep 16 em.
    const float radio_h = s.env().model() && s.env().picture() == pg::EnvPicture::kGrid
                              ? ImGui::GetFrameHeightWithSpacing()
                              : 0.0f;
    const ImGuiStyle& style = ImGui::GetStyle();
    float want = EnvRenderer::width_for_height(s.env(), avail.y - radio_h);
    if (fork) {
      // Each branch: its two-line caption and padding above a picture of the rest.
      const float branch_h = avail.y - radio_h - style.WindowPadding.y * 2.0f -
                             ImGui::GetTextLineHeightWithSpacing() * 2.0f - style.ItemSpacing.y;
      want = std::max(
          branch_pictures_min_width(),
          2.0f * (EnvRenderer::width_for_height(s.env(), branch_h) + style.WindowPadding.x * 2.0f) +
              spacing);
    }
    const float cap = std::min(avail.x * (fork ? 0.6f : 0.55f), avail.x - fs * 16.0f);
    const float column = std::max({fs * 10.0f, avail.x * 0.42f, std::min(want, cap)});
    ImVec2 env_size = stacked ? ImVec2(avail.x, std::max(avail.y, fs * 12.0f))
                              : ImVec2(picture_box(view, ImVec2(column, 0.0f)).x, avail.y);
    if (stacked && fork) {
      // Above the curves (the view scrolls to them): tall enough that each branch's picture keeps
      // its width's worth (a grid's map as wide as its branch), its caption of about three lines
      // above it (1280×720 ×2: the view's height left a map of 16 px).
      bool side = false;
      const float inner = branch_width(avail.x, &side) - style.WindowPadding.x * 2.0f;
      // The captions as DrawBranchPictures lays them out, measured (three lines were assumed).
      const float caption =
          style.WindowPadding.y * 2.0f + branch_caption_height(ctx.state, s, *fork, avail.x);
      // No taller than the view where the map keeps about half its width there (whole on screen;
      // 1920×1080 ×2 cut its last row), else the map at its width and the view scrolls
      // (1280×720 ×2: the view's height would leave it 48 px under its colour key); a picture
      // without a fixed shape the view's height, at least 12 em (a bandit's two plots) under the
      // words it puts above them (the continuous bandit's line and colour key: five lines at
      // 1280×720 ×1.5, which the 12 em did not count and the plots ran 64 px past the branch).
      const float map = EnvRenderer::height_for_width(s.env(), inner);
      const float room = avail.y - radio_h - caption;
      const pg::GridLayout* grid = s.env().grid();
      const bool fits =
          grid && envdraw::grid_cell_side(inner, room, grid->rows(), grid->cols(), fs, true) *
                          static_cast<float>(grid->cols()) >=
                      inner * 0.45f;
      const float words = std::max(envdraw::curve_brief_words_height(s, inner),
                                   envdraw::curve_brief_words_height(*fork, inner));
      const float pictures =
          map > 0.0f ? (fits ? std::min(map, room) : map) : std::max(fs * 12.0f + words, room);
      const float branch = caption + pictures;
      env_size.y =
          std::max(env_size.y, radio_h + (side ? branch : branch * 2.0f + style.ItemSpacing.y));
    }
    ImGui::BeginChild("overview_env", env_size, false);
    OverviewState& st = ctx.state.views.overview;
    if (s.env().model() && s.env().picture() == pg::EnvPicture::kGrid) {
      ImGui::RadioButton("exact V^π", &st.color_mode, 0);
      same_line_if_fits(ImGui::GetFrameHeight() + ImGui::CalcTextSize("visits").x + fs * 0.5f);
      ImGui::RadioButton("visits", &st.color_mode, 1);
    }
    if (fork) {
      DrawBranchPictures(ctx, s, *fork);
    } else {
      EnvDrawOptions o;
      o.color_mode = st.color_mode;
      o.trajectory = s.batch().size() > 0 ? s.batch().size() - 1 : -1;
      ctx.env.draw(s, o, EnvRenderer::box_for(s.env(), view, ImGui::GetContentRegionAvail()),
                   ctx.theme, 0);
    }
    ImGui::EndChild();
    if (!stacked) ImGui::SameLine(0, spacing);
  }

  const float curves_h = no_picture ? std::max(ImGui::GetContentRegionAvail().y, fs * 26.0f)
                         : stacked  ? std::max(avail.y, fs * 26.0f)
                                    : avail.y;
  ImGui::BeginChild("overview_curves", ImVec2(0, curves_h), false);
  const Curves c = curves_of(s);
  const int n = static_cast<int>(c.it.size());
  const float h = ImGui::GetContentRegionAvail().y;
  const bool exact = s.exact() != nullptr;
  // The batch's returns are undiscounted sums Σₜ rₜ (what an episode scores); the exact J is the
  // discounted objective E[Σₜ γᵗ rₜ] the gradient climbs. With γ < 1 they differ by design: both
  // are named, and the note says so.
  const double gamma = s.env().gamma();
  const bool discounted = gamma < 1.0;
  char j_label[96];
  std::snprintf(j_label, sizeof j_label,
                discounted ? "exact J(θ) = E[Σ γᵗ rₜ], γ = %.3g (discounted)###J"
                           : "exact J(θ) = E[Σ rₜ]###J",
                gamma);
  char note[128];
  std::snprintf(note, sizeof note,
                "The batch return is undiscounted, J is discounted (γ = %.3g): they differ by "
                "design.",
                gamma);
  const float note_h =
      exact && discounted
          ? ImGui::CalcTextSize(wrap_at_spaces(note, ImGui::GetContentRegionAvail().x).c_str()).y +
                ImGui::GetStyle().ItemSpacing.y
          : 0.0f;
  // Plots keep room for their legend and ticks (the column scrolls when the view is short); a
  // narrow or short plot names its curves briefly (the note below says which is discounted): the
  // long names' legend, two lines across most of a 12 em plot, stood over the band (GRPO's
  // curves at the view's width, 1280×720 × 1.5). Either form is one curve ("###"), in its own
  // colour (CurveSlot), apart from the comparisons' colours.
  const float return_h = std::max(h * 0.5f - note_h, fs * 12.0f);
  const bool narrow = ImGui::GetContentRegionAvail().x < fs * 24.0f || return_h < fs * 16.0f;
  if (plot::BeginPlot("Return per iteration",
                      ImVec2(-1, std::max(return_h, narrow ? fs * 14.0f : 0.0f)))) {
    plot::SetupAxes("iteration", "return", plot::AxisFlags_Integer);
    if (c.any_return || n == 0) {
      plot::SetNextItemColor(plot::GetPaletteColor(kReturnSlot));
      plot::PlotLineWithBand(narrow ? "batch return (mean ± std)###return"
                                    : "batch return Σ rₜ, undiscounted (mean ± std)###return",
                             c.it.data(), c.mean.data(), c.std.data(), n);
    } else {
      // A return is a finished episode's: none yet (long episodes, few steps per iteration).
      // One block, which the plot breaks at spaces where it is narrow (presenter scale).
      const int limit = s.env().step_limit();
      char why[160];
      if (limit > 0)
        std::snprintf(why, sizeof why,
                      "no episode has ended yet\nepisodes last up to %d steps; %ld steps so far",
                      limit, s.total_steps());
      else
        std::snprintf(why, sizeof why, "no episode has ended yet\n%ld steps so far",
                      s.total_steps());
      if (!exact)
        plot::SetupAxesLimits(c.it.front(), std::max(c.it.back(), c.it.front() + 1.0), 0.0, 1.0,
                              ImGuiCond_Always);
      const plot::Limits lim = plot::GetPlotLimits();
      const double mx = 0.5 * (lim.x_min + lim.x_max), my = 0.5 * (lim.y_min + lim.y_max);
      plot::PlotText(why, mx, my);
    }
    if (exact) {
      plot::SetNextItemColor(plot::GetPaletteColor(kExactJSlot));
      plot::PlotLine(narrow ? "exact J(θ)###J" : j_label, c.exact_it.data(), c.exact.data(),
                     static_cast<int>(c.exact.size()));
    }
    PlotRunComparisons(ctx.state, {pg::SeedColumn::kReturnMean, pg::SeedColumn::kReturnStd,
                                   pg::SeedColumn::kExactJ});
    PlotChangeMarks(s);
    plot::EndPlot();
    ctx.state.curves_plot = plot::GetLastPlotId();
  }
  if (note_h > 0.0f) {
    // A tenth of an em in: a wrapped line starting with "J" reaches left of the pen (the curves'
    // child has no padding; 1280×720 ×1.5 cut it).
    const float inset = std::ceil(fs * 0.1f);
    ImGui::Indent(inset);
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    text_wrapped_at_spaces(note);  // "γ = 0.99" stays whole
    ImGui::PopStyleColor();
    ImGui::Unindent(inset);
  }
  const float w2 = (ImGui::GetContentRegionAvail().x - spacing) * 0.5f;
  const float h2 = std::max(ImGui::GetContentRegionAvail().y, fs * 9.0f);
  // Iterations whose update applied nothing (SAC's warm-up): ĝ was estimated, θ did not move.
  const pg::AlgorithmInfo info = s.algorithm().info(s.scenario());
  int warm = 0;
  while (warm < n && !info.update_applies(c.steps[warm])) ++warm;
  if (plot::BeginPlot("Gradient norm ‖ĝ‖", ImVec2(w2, h2), plot::PlotFlags_NoLegend)) {
    plot::SetupAxes("iteration", nullptr, plot::AxisFlags_Integer, plot::AxisFlags_IncludeZero);
    if (warm > 0) {
      // The band spans the y range: fixed here (from the curve) so it does not feed the autoscale.
      double top = 0.0;
      for (double g : c.grad)
        if (std::isfinite(g)) top = std::max(top, g);
      top = top > 0.0 ? 1.3 * top : 1.0;
      plot::SetupAxisLimits(plot::Axis::Y, 0.0, top, ImGuiCond_Always);
      const double x_hi = warm < n ? 0.5 * (c.it[warm - 1] + c.it[warm]) : c.it[warm - 1];
      const plot::Limits lim{0.0, 1.0, 0.0, top};
      const double bx[2] = {c.it.front(), x_hi}, lo[2] = {lim.y_min, lim.y_min},
                   hi[2] = {lim.y_max, lim.y_max};
      plot::SetNextItemColor(IM_COL32(150, 150, 160, 70));
      plot::PlotBand("warm-up", bx, lo, hi, 2);
      plot::PlotText(
          label_fitting(w2 - fs * 4.0f, "warm-up: estimated, not applied", "not applied"),
          0.5 * (c.it.front() + x_hi), lim.y_max, ImVec2(0, fs));
    }
    plot::PlotLine("‖ĝ‖", c.it.data(), c.grad.data(), n);
    PlotRunComparisons(ctx.state, {pg::SeedColumn::kGradNorm});
    PlotChangeMarks(s, false);  // labelled on the return plot above
    plot::EndPlot();
  }
  if (warm > 0 && ImGui::IsItemHovered())
    ImGui::SetTooltip(
        "ĝ is estimated on every batch (the views show it), but the update changes θ only once\n"
        "the run has %ld env steps (the replay buffer's warm-up): %s.",
        info.warmup_steps,
        warm < n ? "the shaded iterations applied nothing" : "no iteration has applied it yet");
  ImGui::SameLine(0, spacing);
  // A tanh-squashed Gaussian's density has no closed-form entropy; the history keeps the
  // Gaussian's (of u before the squash, GaussianPolicy::entropy), and the title says so.
  const auto* gauss = dynamic_cast<const pg::GaussianPolicy*>(&s.policy());
  const bool squashed = gauss && gauss->config().squash;
  if (plot::BeginPlot(squashed ? "Entropy of u (before tanh)" : "Policy entropy", ImVec2(w2, h2),
                      plot::PlotFlags_NoLegend)) {
    plot::SetupAxes("iteration", "nats", plot::AxisFlags_Integer, plot::AxisFlags_IncludeZero);
    plot::PlotLine(squashed ? "H(N(μ, σ²))" : "H(π)", c.it.data(), c.entropy.data(), n);
    PlotRunComparisons(ctx.state, {pg::SeedColumn::kEntropy});
    PlotChangeMarks(s, false);
    plot::EndPlot();
  }
  ImGui::EndChild();
}

}  // namespace pglab::gui
