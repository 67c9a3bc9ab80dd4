// Objective landscape (lab/landscape.h), finite worlds only.
//   2-D: the exact J over a slice of parameter space — ∇J × the natural gradient, ĝ × ∇J or two
//        logits — as a heatmap drawn by shaders/heatmap.* with contours, and the paths vanilla PG,
//        natural PG and PPO take across it from the same start; beside it J along each path.
//   short corridor (one observation, two actions): J(p) with the cloud of sampled gradients at the
//        current p drawn as tangents, and their slopes as a histogram.
// Computed on a BackgroundJob over a copy of the snapshot; while training runs, each map is
// finished and shown (naming the iteration whose θ it is), then the newest snapshot's is computed.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "exact/exact.h"
#include "gui/layout.h"
#include "gui/plot/plot.h"
#include "gui/render/heatmap.h"
#include "gui/views/keyed_job.h"
#include "gui/views/views.h"
#include "lab/landscape.h"
#include "session/session.h"
#include "util/cancel.h"
#include "util/error.h"

namespace pglab::gui {

namespace {

struct LandscapeResult {
  std::string error;
  std::string note;   // the slice asked for could not be drawn: why, and what is shown
  int asked = 0;      // the preset the controls chose (LandscapeViewState::axes)
  int preset = 0;     // the plane on show: asked, or the next when that one did not form
  int iteration = 0;  // the session's when the job copied it: θ₀ is that iteration's θ
  bool corridor = false;
  pg::Landscape land;
  std::vector<float> values;  // land.J as floats, row 0 = the lowest y
  pg::CorridorCloud cloud;
};

}  // namespace

struct LandscapeViewCache {
  KeyedJob<LandscapeResult> job;
};

namespace {

constexpr double kThrottle = 2.0;
constexpr double kGridSeconds = 0.6;

ImU32 path_color(size_t k) {
  static constexpr ImU32 kColors[] = {IM_COL32(250, 250, 250, 255), IM_COL32(255, 120, 80, 255),
                                      IM_COL32(90, 200, 255, 255)};
  return kColors[k % 3];
}

// The slice presets, as LandscapeViewState::axes numbers them.
constexpr int kPresets = 3;
constexpr const char* kPresetNames[kPresets] = {"∇J × natural gradient", "ĝ × ∇J", "two logits"};

// Why a preset cannot be drawn for this session, for a student; "" when it can (as far as can be
// told without computing ∇J: the plane may still not form, compute() then falls back).
std::string preset_unavailable(const pg::Session& s, int preset) {
  const int P = s.policy().num_params();
  if (preset == 0 && P > pg::kMaxNaturalParams)
    return "The natural gradient needs the Fisher matrix, one number per pair of parameters: "
           "this policy has " +
           std::to_string(P) + " parameters, too many (at most " +
           std::to_string(pg::kMaxNaturalParams) + ").";
  if (preset == 1) {
    if (!s.has_estimate() || !s.batch_complete())
      return "ĝ × ∇J waits for a complete batch with its estimate (this one is still being "
             "collected).";
    if (!(s.last_estimate().gradient.norm() > 0.0))
      return "The last batch's ĝ is zero (no step's weight was nonzero: e.g. no reward seen yet, "
             "or every completion in a group scored alike), so there is no ĝ direction.";
  }
  return "";
}

bool is_corridor(const pg::Session& s) {
  return s.env().num_obs() == 1 && s.env().num_actions() == 2 && s.policy().num_params() == 2;
}

LandscapeResult compute(const pg::Session& s, const LandscapeViewState& st,
                        std::atomic<int>& progress, const std::atomic<bool>& cancel) {
  LandscapeResult r;
  r.iteration = s.iteration();
  try {
    if (is_corridor(s) && s.algorithm().info(s.scenario()).reinforce_settings) {
      r.corridor = true;
      r.cloud = pg::corridor_cloud(s, st.samples, pg::kCorridorCurvePoints, &cancel, &progress);
      return r;
    }
    pg::LandscapeSpec spec;
    spec.grid = st.grid;
    {
      // A grid the window can afford: about kGridSeconds of exact J evaluations (the quickest of
      // three timed after a first one, as the grid's run warm: timing the first alone read 185 µs
      // on the 4×4 grid, whose J takes 13 µs, and cut its grid to 56); large worlds (four rooms,
      // the token task) get a coarser grid, said under the map.
      pg::exact_J(s.env(), s.policy());
      double t1 = std::numeric_limits<double>::infinity();
      for (int k = 0; k < 3; ++k) {
        const auto t0 = std::chrono::steady_clock::now();
        pg::exact_J(s.env(), s.policy());
        t1 = std::min(t1,
                      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
      }
      const int affordable = static_cast<int>(std::sqrt(kGridSeconds / std::max(t1, 1e-9)));
      if (affordable < spec.grid) {
        spec.grid = std::max(15, affordable);
        char grid_note[200];
        std::snprintf(grid_note, sizeof grid_note,
                      "A coarser grid (%d × %d, not %d × %d) keeps the map to about a second: "
                      "this world is large, one exact J takes %.2g ms. ",
                      spec.grid, spec.grid, st.grid, st.grid, t1 * 1e3);
        r.note += grid_note;
      }
    }
    spec.path_steps = st.steps;
    // The preset the controls chose (a valid one: draw_controls), then, should that plane not form
    // after all (∇J = 0, or ∇J and F⁻¹∇J pointing the same way, as in a two-action world), the
    // next one; r.preset says which is on show and r.note why, in plain words.
    const std::string logits =
        "theta:" + std::to_string(st.param_x) + ",theta:" + std::to_string(st.param_y);
    const char* planes[kPresets] = {"grad,natural", "ghat,grad", nullptr};
    r.asked = st.axes;
    std::vector<int> tries = {st.axes};
    for (int k = 0; k < kPresets; ++k)
      if (k > st.axes && preset_unavailable(s, k).empty()) tries.push_back(k);
    for (size_t k = 0; k < tries.size(); ++k) {
      try {
        const int p = tries[k];
        spec.axes = pg::parse_slice_axes(planes[p] ? planes[p] : logits.c_str(), "axes");
        r.land = pg::compute_landscape(s, spec, &cancel);
        r.preset = p;
        // ĝ × ∇J stands at the estimate's θ_old: the batch's iteration (slice_origin).
        if (p == 1) r.iteration = s.batch_iteration();
        break;
      } catch (const pg::InputError& e) {
        if (k + 1 == tries.size()) throw;
        if (k == 0)
          r.note += std::string("The ") + kPresetNames[tries[k]] +
                    " plane does not form here (its two directions are zero or point the same "
                    "way), so the map shows the next one. ";
      }
    }
    const pg::Landscape& L = r.land;
    r.values.resize(static_cast<size_t>(L.J.size()));
    for (Eigen::Index i = 0; i < L.J.rows(); ++i)
      for (Eigen::Index j = 0; j < L.J.cols(); ++j)
        r.values[static_cast<size_t>(i * L.J.cols() + j)] = static_cast<float>(L.J(i, j));
  } catch (const pg::Cancelled&) {
    r.error = "cancelled";
  } catch (const std::exception& e) {
    r.error = e.what();
  }
  return r;
}

// The slice menu: presets this session cannot draw are greyed with their reason. A chosen preset
// that cannot be drawn (the default ∇J × natural on a large policy, ĝ × ∇J on a zero ĝ) gives way
// to the next that can, and the returned sentence says why. The menu names the plane the map on
// show drew (it differs from the choice when the plane did not form, or while the chosen one is
// still being computed), and the sentence then says so: menu and axis note agree.
std::string draw_controls(LandscapeViewState& st, const pg::Session& s, const LandscapeResult* last,
                          int& effective) {
  const float fs = ImGui::GetFontSize();
  st.axes = std::clamp(st.axes, 0, kPresets - 1);
  // The choice stays the student's (a later batch may make it drawable); the reason for the preset
  // given up, with the one drawn instead, every frame.
  std::string why;
  effective = st.axes;
  while (effective < kPresets - 1) {
    const std::string no = preset_unavailable(s, effective);
    if (no.empty()) break;
    why += (why.empty() ? "" : " ") + no;
    ++effective;
  }
  if (!why.empty()) why += std::string(" Showing ") + kPresetNames[effective] + " instead.";
  const int shown = last && last->error.empty() && !last->corridor ? last->preset : -1;
  if (shown >= 0 && last->asked != effective) {
    why += (why.empty() ? "" : " ") + std::string("The map below is still ") + kPresetNames[shown] +
           "; " + kPresetNames[effective] + " is being computed.";
  }
  ImGui::SetNextItemWidth(fs * 11);
  if (ImGui::BeginCombo("slice", kPresetNames[shown >= 0 ? shown : effective])) {
    for (int k = 0; k < kPresets; ++k) {
      const std::string no = preset_unavailable(s, k);
      if (ImGui::Selectable(kPresetNames[k], k == effective,
                            no.empty() ? 0 : ImGuiSelectableFlags_Disabled))
        st.axes = k;
      if (!no.empty() && ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
        ImGui::SetTooltip("%s", no.c_str());
    }
    ImGui::EndCombo();
  }
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip(
        "The plane drawn: θ = θ₀ + x e₁ + y e₂.\n"
        "∇J × natural: e₁ = ∇J/‖∇J‖, e₂ the part of F⁻¹∇J orthogonal to it.\n"
        "ĝ × ∇J: the last estimate against the true gradient (origin: its θ_old).\n"
        "two logits: θ[K] and θ[L] changed, every other parameter fixed.");
  if (st.axes == 2) {
    const int P = s.policy().num_params();
    same_line_if_fits(fs * 14);
    ImGui::SetNextItemWidth(fs * 5);
    ImGui::InputInt("θ[K]", &st.param_x);
    same_line_if_fits(fs * 8);
    ImGui::SetNextItemWidth(fs * 5);
    ImGui::InputInt("θ[L]", &st.param_y);
    st.param_x = std::clamp(st.param_x, 0, P - 1);
    st.param_y = std::clamp(st.param_y, 0, P - 1);
    if (st.param_y == st.param_x) st.param_y = (st.param_x + 1) % P;
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip("Tabular: θ[o·A + a] is the logit of action a in observation o (A = %d).",
                        s.policy().num_actions());
  }
  same_line_if_fits(fs * 12);
  ImGui::SetNextItemWidth(fs * 7);
  ImGui::SliderInt("grid", &st.grid, 21, 121);
  same_line_if_fits(fs * 12);
  ImGui::SetNextItemWidth(fs * 7);
  ImGui::SliderInt("steps", &st.steps, 0, 200);
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("Steps of each path (vanilla PG, natural PG, PPO), exact gradients.");
  return why;
}

// The heatmap with the paths and the origin over it; hovering reads J.
void draw_plane(ViewContext& ctx, const LandscapeResult& r, uint64_t version, float side) {
  const pg::Landscape& L = r.land;
  const float fs = ImGui::GetFontSize();
  render::Heatmap& heat = ctx.env.heatmap();
  if (!heat.error().empty()) {
    ImGui::TextColored(ImVec4(1.0f, 0.45f, 0.4f, 1.0f), "heatmap shader: %s", heat.error().c_str());
    return;
  }
  const ImVec2 p0 = ImGui::GetCursorScreenPos();
  const int contours = 14;
  heat.draw(r.values.data(), static_cast<int>(L.J.rows()), static_cast<int>(L.J.cols()), version,
            static_cast<float>(L.J_min), static_cast<float>(L.J_max), contours, ImVec2(side, side));
  const bool hovered = ImGui::IsItemHovered();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const double span = L.span;
  auto screen = [&](double x, double y) {
    return ImVec2(p0.x + static_cast<float>((x + span) / (2 * span)) * side,
                  p0.y + side - static_cast<float>((y + span) / (2 * span)) * side);
  };
  dl->PushClipRect(p0, ImVec2(p0.x + side, p0.y + side), true);
  for (size_t k = 0; k < L.paths.size(); ++k) {
    const pg::LandscapePath& p = L.paths[k];
    std::vector<ImVec2> pts;
    for (size_t i = 0; i < p.x.size(); ++i) pts.push_back(screen(p.x[i], p.y[i]));
    dl->AddPolyline(pts.data(), static_cast<int>(pts.size()), path_color(k), 0,
                    std::max(1.5f, fs * 0.14f));
    for (const ImVec2& q : pts) dl->AddCircleFilled(q, fs * 0.16f, path_color(k));
    // The end as a square in the path's colour, dark-edged: a ring there read as θ₀'s marker.
    if (!pts.empty()) {
      const ImVec2 e = pts.back(), h(fs * 0.32f, fs * 0.32f);
      dl->AddRectFilled(ImVec2(e.x - h.x, e.y - h.y), ImVec2(e.x + h.x, e.y + h.y), path_color(k));
      dl->AddRect(ImVec2(e.x - h.x, e.y - h.y), ImVec2(e.x + h.x, e.y + h.y),
                  IM_COL32(20, 20, 20, 255), 0.0f, 0, fs * 0.08f);
    }
  }
  const ImVec2 o = screen(0, 0);
  dl->AddCircleFilled(o, fs * 0.3f, IM_COL32(20, 20, 20, 255));
  dl->AddCircle(o, fs * 0.3f, IM_COL32(255, 255, 255, 255), 0, fs * 0.08f);
  dl->PopClipRect();
  if (hovered) {
    const ImVec2 m = ImGui::GetIO().MousePos;
    const double x = -span + 2 * span * (m.x - p0.x) / side;
    const double y = -span + 2 * span * (p0.y + side - m.y) / side;
    const int n = static_cast<int>(L.x.size());
    const int j =
        std::clamp(static_cast<int>(std::lround((x + span) / (2 * span) * (n - 1))), 0, n - 1);
    const int i =
        std::clamp(static_cast<int>(std::lround((y + span) / (2 * span) * (n - 1))), 0, n - 1);
    ImGui::SetTooltip("x = %.3f, y = %.3f\nJ = %.5g (grid point %d, %d)", L.x[j], L.y[i], L.J(i, j),
                      j, i);
  }
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + side);
  text_wrapped_at_spacesf("x: %s,  y: %s;  each ±%.3g", L.x_label.c_str(), L.y_label.c_str(), span);
  ImGui::PopTextWrapPos();
  ImGui::PopStyleColor();
}

void draw_side(const LandscapeResult& r) {
  const pg::Landscape& L = r.land;
  const float fs = ImGui::GetFontSize();
  text_wrapped_at_spacesf("Colour: J from %.4g (dark) to %.4g (yellow), a contour every %.3g.",
                          L.J_min, L.J_max, (L.J_max - L.J_min) / 14.0);
  text_wrapped_at_spacesf("θ₀ of iteration %d (the ringed dot): J = %.5g%s", r.iteration,
                          L.J_origin,
                          L.paths.empty() ? "" : "; a square marks where each path ends");
  for (size_t k = 0; k < L.paths.size(); ++k) {
    const pg::LandscapePath& p = L.paths[k];
    const ImVec2 q = ImGui::GetCursorScreenPos();
    ImGui::GetWindowDrawList()->AddCircleFilled(ImVec2(q.x + fs * 0.35f, q.y + fs * 0.55f),
                                                fs * 0.3f, path_color(k));
    ImGui::Dummy(ImVec2(fs * 0.8f, fs));
    ImGui::SameLine();
    text_wrapped_at_spacesf("%s: J %.4g → %.4g in %zu steps", p.name.c_str(), p.J.front(),
                            p.J.back(), p.J.size() - 1);
  }
  if (!L.paths.empty()) {
    text_wrapped_at_spacesf(
        "Exact gradients on this slice (deterministic). Natural: KL step δ = %.3g. Vanilla: α = "
        "%.3g (first step as long as natural's). PPO: %d epochs of α on the exact clipped "
        "surrogate, ε = %.2g.",
        L.kl_step, L.lr, L.epochs, L.clip_eps);
    // The paths are named, each by its colour, in the list above: no legend over the curves
    // (it hid 18 points of them at 1920×1080 ×2).
    const float h = std::max(em(10.0f), ImGui::GetContentRegionAvail().y);
    if (plot::BeginPlot("J along each path (colours as above)##landscape_paths", ImVec2(-1, h),
                        plot::PlotFlags_NoLegend)) {
      plot::SetupAxes("step", "exact J", plot::AxisFlags_Integer);
      for (size_t k = 0; k < L.paths.size(); ++k) {
        const std::vector<double>& J = L.paths[k].J;
        plot::SetNextItemColor(k == 0 ? IM_COL32(200, 200, 200, 255) : path_color(k));
        plot::PlotLineY(L.paths[k].name.c_str(), J.data(), static_cast<int>(J.size()));
      }
      plot::EndPlot();
    }
  } else {
    ImGui::TextDisabled("Steps = 0: no paths.");
  }
}

// fold: a short view (short_view()), where the paragraph folds to its numbers.
void draw_corridor(const pg::CorridorCloud& c, bool fold) {
  const float fs = ImGui::GetFontSize();
  finding(fold,
          formatted("p = %.4f: exact slope %.4g, the %zu samples' mean %.4g ± %.3g (sd).", c.p0,
                    c.slope_exact, c.slopes.size(), c.slope_mean, c.slope_std),
          formatted("J(p) exact (γ and step limit as configured). At the current p = %.4f each of "
                    "the %zu sampled gradients ĝ is a tangent with slope dĴ/dp = (ĝ[1] − ĝ[0]) / "
                    "(2p(1 − p)); the exact slope is %.4g, the samples' mean %.4g ± %.3g (sd).",
                    c.p0, c.slopes.size(), c.slope_exact, c.slope_mean, c.slope_std));
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  // Side by side where the histogram keeps ~14 em, else one under the other (presenter scale,
  // a narrow view), where the lab scrolls; never shorter than a readable plot.
  const bool beside = avail.x >= fs * 36;
  const float h = std::max(avail.y, fs * 14);
  const float left = beside ? std::max(fs * 16, avail.x * 0.6f) : -1.0f;
  double J_best = c.J.empty() ? 0.0 : *std::max_element(c.J.begin(), c.J.end());
  const double lo = std::min(c.J0, J_best) - 0.35 * std::abs(J_best - c.J0) - 4.0;
  const double hi = J_best + 0.15 * std::abs(J_best - c.J0) + 2.0;
  if (plot::BeginPlot("J(p) and the sampled gradients##corridor_cloud", ImVec2(left, h))) {
    plot::SetupAxes("p = π(right)", "J");
    plot::SetupAxesLimits(0.0, 1.0, lo, hi, ImGuiCond_Always);
    // Every tangent equally long on screen (x spans 1, y spans hi − lo): a fan of directions.
    auto tangent = [&](const char* label, double slope, double half) {
      const double t = slope / (hi - lo);
      const double dx = half / std::sqrt(1.0 + t * t);
      const double xs[2] = {c.p0 - dx, c.p0 + dx};
      const double ys[2] = {c.J0 - dx * slope, c.J0 + dx * slope};
      plot::PlotLine(label, xs, ys, 2);
    };
    plot::SetNextItemColor(IM_COL32(120, 170, 255, 60));
    for (double s : c.slopes) tangent("sampled ĝ", s, 0.12);
    plot::SetNextItemColor(IM_COL32(230, 230, 230, 255));
    plot::PlotLine("J(p)", c.p.data(), c.J.data(), static_cast<int>(c.p.size()));
    plot::SetNextItemColor(IM_COL32(255, 140, 60, 255));
    plot::SetNextItemWeight(0.2f);
    tangent("exact ∇J", c.slope_exact, 0.2);
    plot::PlotMarker("current p", c.p0, c.J0);
    plot::EndPlot();
  }
  if (beside) ImGui::SameLine();
  if (plot::BeginPlot("dĴ/dp of each sample##corridor_slopes",
                      ImVec2(-1, beside ? h : std::max(fs * 12, avail.y * 0.5f)))) {
    plot::SetupAxes("dĴ/dp", "count");
    plot::SetNextItemColor(IM_COL32(120, 170, 255, 200));
    plot::PlotHistogram("samples", c.slopes.data(), static_cast<int>(c.slopes.size()));
    plot::SetNextItemColor(IM_COL32(255, 140, 60, 255));
    plot::PlotVLine("exact", c.slope_exact);
    plot::PlotVLine("mean", c.slope_mean);
    plot::EndPlot();
  }
}

}  // namespace

void DrawLandscapeView(ViewContext& ctx) {
  LandscapeViewState& st = ctx.state.views.landscape;
  if (!st.cache) st.cache = std::make_shared<LandscapeViewCache>();
  const pg::Session& s = *ctx.snap.session;
  const bool corridor = is_corridor(s);
  std::string why;
  int effective = st.axes;
  if (!corridor) {
    // The menu names the plane on show: the last map's, when it fell back from this choice.
    why = draw_controls(st, s, st.cache->job.shown(), effective);
  } else {
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 8);
    ImGui::SliderInt("samples", &st.samples, 20, 2000);
  }
  const bool running = ctx.state.runner && ctx.state.runner->running();
  uint64_t key = ctx.snap.version;
  for (int v : {effective, st.param_x, st.param_y, st.grid, st.steps, st.samples})
    key = mix_key(key, static_cast<uint64_t>(v));
  LandscapeViewState settings = st;
  settings.axes = effective;
  st.cache->job.update(key, running, kThrottle, [&](uint64_t) {
    auto session = std::make_shared<const pg::Session>(*ctx.snap.session);
    return [session, settings](std::atomic<int>& progress, const std::atomic<bool>& cancel) {
      return compute(*session, settings, progress, cancel);
    };
  });
  const LandscapeResult* r = st.cache->job.shown();
  if (!r) {
    ImGui::TextDisabled("computing the landscape…");
    return;
  }
  if (!r->error.empty()) {
    ImGui::TextColored(ImVec4(1.0f, 0.45f, 0.4f, 1.0f), "%s", r->error.c_str());
    return;
  }
  if (r->corridor) {
    draw_corridor(r->cloud, short_view(ctx.state.layout_ui));
    return;
  }
  if (!why.empty() || !r->note.empty())
    note_wrappedf("%s%s%s", why.c_str(), why.empty() ? "" : " ", r->note.c_str());
  const float fs = ImGui::GetFontSize();
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float line = ImGui::GetTextLineHeightWithSpacing();
  float side = std::max(fs * 8, std::min(avail.x * 0.55f, avail.y - line * 2.0f));
  // The numbers and the J-along-paths plot beside the plane where they keep ~18 em, else under it
  // (narrow view, presenter scale), where the view scrolls.
  const bool beside = avail.x - side - ImGui::GetStyle().ItemSpacing.x >= fs * 18;
  if (!beside) side = std::min(avail.x, std::max(fs * 12, avail.y - line * 2.0f));
  ImGui::BeginGroup();
  draw_plane(ctx, *r, key, side);
  ImGui::EndGroup();
  if (beside) {
    ImGui::SameLine();
    ImGui::BeginChild("landscape_side", ImVec2(0, 0), false);
    draw_side(*r);
    ImGui::EndChild();
  } else {
    draw_side(*r);
  }
}

}  // namespace pglab::gui
