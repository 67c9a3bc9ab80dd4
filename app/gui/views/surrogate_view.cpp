// Surrogate vs truth along the step (lab/surrogate.h): on the last complete batch, L^CPI, L^CLIP,
// L^KL (and GRPO's objective) against the true J along the update's direction (top) and a second
// direction (bottom: ∇J, ĝ or the natural gradient), as changes from θ_old. The step the update
// took and where each surrogate parts from J are marked. J is exact in finite worlds, else sampled
// with a 95% band. Computed on a BackgroundJob; refreshed at most every 2 s while training runs.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "gui/layout.h"
#include "gui/plot/plot.h"
#include "gui/plot/ticks.h"
#include "gui/views/batch_on_show.h"
#include "gui/views/keyed_job.h"
#include "gui/views/views.h"
#include "lab/surrogate.h"
#include "session/session.h"
#include "util/cancel.h"
#include "util/error.h"

namespace pglab::gui {

namespace {

struct SurrogateResult {
  std::string error;          // neither direction could be drawn
  std::string error_second;   // the second direction could not be drawn
  std::string note;           // the first direction fell back to ∇J: why, in plain words
  pg::SurrogateReport along;  // the update (or ĝ before any update)
  pg::SurrogateReport second;
  bool has_second = false;
  int iteration = 0;  // whose batch: θ_old is the θ it was sampled with (Session::batch_iteration)
};

}  // namespace

struct SurrogateViewCache {
  KeyedJob<SurrogateResult> job;
  uint64_t key = 0;  // of the last complete batch (kept while the next one is collected)
};

namespace {

constexpr double kThrottle = 2.0;

ImU32 curve_color(const std::string& name) {
  if (name == "L^CPI") return IM_COL32(120, 170, 255, 255);
  if (name == "L^CLIP") return IM_COL32(255, 140, 60, 255);
  if (name == "L^KL") return IM_COL32(190, 120, 255, 255);
  return IM_COL32(110, 200, 120, 255);  // GRPO
}
constexpr ImU32 kTruth = IM_COL32(235, 235, 235, 255);
constexpr ImU32 kStep = IM_COL32(255, 220, 90, 255);

const char* second_token(int second, bool exact) {
  if (!exact) return "ghat";
  return second == 1 ? "ghat" : second == 2 ? "natural" : "grad";
}

SurrogateResult compute(const pg::Session& s, const SurrogateViewState& st,
                        const std::atomic<bool>& cancel) {
  SurrogateResult r;
  r.iteration = s.batch_iteration();
  const bool exact = s.env().model() != nullptr;
  pg::SurrogateSpec spec;
  spec.points = pg::default_surrogate_points(exact);
  spec.mc_episodes = st.episodes;
  try {
    const bool stepped = s.has_estimate() && s.batch_complete() &&
                         s.policy().params() != s.behaviour_policy().params();
    // No step and ĝ exactly zero (every step's weight 0: no reward seen yet, say, or a zero
    // advantage everywhere): there is nothing of the batch's to slice along. In a finite world the
    // true gradient still is a direction, and the flat surrogates along it show the point: the
    // batch carries no signal.
    const bool zero_ghat = !stepped && s.has_estimate() && s.batch_complete() &&
                           !(s.last_estimate().gradient.norm() > 0.0);
    const bool along_grad = zero_ghat && exact;
    if (zero_ghat)
      r.note = exact ? "This batch's ĝ is zero, so the update did not move θ: no step carried a "
                       "nonzero weight (no reward seen yet, or a zero advantage everywhere). "
                       "The surrogates without a KL penalty are flat; here they are along the "
                       "true gradient ∇J, to show what the batch misses."
                     : "This batch's ĝ is zero, so the update did not move θ: no step carried a "
                       "nonzero weight (no reward seen yet, or a zero advantage everywhere). "
                       "There is no direction to draw the surrogates along until a batch has "
                       "one.";
    if (zero_ghat && !exact) return r;
    spec.direction = pg::parse_slice_axis(along_grad ? "grad"
                                          : stepped  ? "update"
                                                     : "ghat",
                                          "direction");
    if (stepped) {
      const double step = (s.policy().params() - s.behaviour_policy().params()).norm();
      spec.max_step = st.reach * step;
    }
    r.along = pg::surrogate_vs_truth(s, spec, &cancel);
  } catch (const pg::Cancelled&) {
    r.error = "cancelled";
    return r;
  } catch (const pg::InputError& e) {
    // The sentence without the CLI's key ("session: …", "policy.kind: …") and its "allowed:"
    // list: the audit read "session: surrogates need …" on screen.
    r.error = e.problem().substr(0, e.problem().find("; allowed"));
    return r;
  } catch (const std::exception& e) {
    r.error = e.what();
    return r;
  }
  bool forced_natural = false;
  try {
    pg::SurrogateSpec sec = spec;
    // Along ∇J already above, and ĝ is zero: the natural gradient is the second direction left.
    const char* second = second_token(st.second, exact);
    forced_natural = r.along.direction.kind == pg::SliceAxisKind::kExactGradient;
    if (forced_natural) second = "natural";
    sec.direction = pg::parse_slice_axis(second, "direction");
    // The same reach as the first plot, so the two read on one scale.
    sec.max_step = std::abs(r.along.alpha.back());
    r.second = pg::surrogate_vs_truth(s, sec, &cancel);
    r.has_second = true;
  } catch (const pg::Cancelled&) {
    r.error_second = "cancelled";
  } catch (const pg::InputError& e) {
    // The problem without the CLI's key and its "allowed here: <tokens>" (the combo box is the
    // choice here).
    std::string why = e.problem();
    why = why.substr(0, why.find("; allowed"));
    r.error_second = forced_natural ? "none (ĝ is zero, so the plot above is along ∇J and the "
                                      "second would be the natural gradient: " +
                                          why + ")"
                                    : why;
  } catch (const std::exception& e) {
    r.error_second = e.what();
  }
  return r;
}

// J (and its band) into the current plot.
void plot_truth(const pg::SurrogateReport& R, bool deltas) {
  const int n = static_cast<int>(R.alpha.size());
  std::vector<double> y(n), lo(n), hi(n);
  const double J0 = deltas ? R.J[0] : 0.0;
  for (int k = 0; k < n; ++k) {
    y[k] = R.J[k] - J0;
    lo[k] = R.J_lo[k] - J0;
    hi[k] = R.J_hi[k] - J0;
  }
  const char* truth = R.exact ? "J (exact)" : "J (sampled, 95% band)";
  plot::SetNextItemColor(kTruth);
  plot::SetNextItemWeight(0.2f);
  if (!R.exact) plot::PlotBand(truth, R.alpha.data(), lo.data(), hi.data(), n);
  plot::PlotLine(truth, R.alpha.data(), y.data(), n);
}

void plot_step(const pg::SurrogateReport& R) {
  if (!std::isfinite(R.step_alpha)) return;
  plot::SetNextItemColor(kStep);
  plot::PlotVLine("step taken", R.step_alpha);
}

// The key over all the view's plots, in place of a legend in each: every plot draws the same
// curves in the same colours (a legend in each of the four stood over the curves at 1280×720).
void draw_key(const pg::SurrogateReport& R, bool step) {
  std::vector<std::string> labels = {R.exact ? "— J (exact)" : "— J (sampled, 95% band)"};
  std::vector<ImU32> colours = {kTruth};
  for (const pg::SurrogateCurve& c : R.curves) {
    labels.push_back("— " + c.name);
    colours.push_back(curve_color(c.name));
  }
  if (step) {  // none before the first update (the curves along ĝ)
    labels.push_back("| step taken");
    colours.push_back(kStep);
  }
  std::vector<ColourKey> keys;
  for (size_t k = 0; k < labels.size(); ++k) keys.push_back({colours[k], labels[k].c_str()});
  colour_key(keys.data(), static_cast<int>(keys.size()));
}

// One direction: surrogates and J on one plot when they share units, else side by side (the
// surrogates of standardised advantages are not in J's units), or one above the other where half
// the width is too narrow for a plot.
void draw_curves(const std::string& title, const pg::SurrogateReport& R, bool deltas, ImVec2 size) {
  const char* y_label = deltas ? "change from θ_old" : "value";
  const float avail = ImGui::GetContentRegionAvail().x;
  const bool beside = !R.same_scale && avail >= em(36.0f);
  const float width = beside ? (avail - ImGui::GetStyle().ItemSpacing.x) / 2 : avail;
  // On one line: shorter where the plot is narrow.
  const char* x_label = label_fitting(width - em(1.0f), "α (parameter units along the direction)",
                                      "α along the direction");
  // The title's ID (after "###") stays the plot's whatever the shown part says (its zoom and pan
  // are kept under it); the pair's plots take it with a suffix each.
  const size_t hashes = title.find("###");
  PG_ASSERT(hashes != std::string::npos, "draw_curves: the title ends in ###id");
  const std::string id = title.substr(hashes + 3);
  if (!R.same_scale) {
    // The direction as a heading over the pair, so each plot's title stays one short line.
    const std::string heading = title.substr(0, title.find("##"));
    ImGui::TextUnformatted(heading.c_str());
    const float half = width;
    const std::string jt = "true J###" + id + "_truth";
    if (plot::BeginPlot(jt.c_str(), ImVec2(half, size.y), plot::PlotFlags_NoLegend)) {
      plot::SetupAxes(x_label, y_label);
      plot_truth(R, deltas);
      plot_step(R);
      plot::EndPlot();
    }
    if (beside) ImGui::SameLine();
    size.x = half;
  }
  const std::string st =
      R.same_scale ? title : "surrogates (standardised Â)###" + id + "_standardised";
  if (!plot::BeginPlot(st.c_str(), size, plot::PlotFlags_NoLegend)) return;
  plot::SetupAxes(x_label, y_label);
  const int n = static_cast<int>(R.alpha.size());
  // y limits from J and the unpenalised surrogates: far from θ_old the KL penalty dwarfs them all,
  // so L^KL and GRPO's objective (its −β k3) may leave the frame (half a range beyond at most)
  // rather than flatten the others (GRPO's reached −1.5e12 along ∇J on the token task, and every
  // other curve was a flat line at 0).
  double lo = 0.0, hi = 0.0;
  bool any = false;
  auto take = [&](const std::vector<double>& v, double base) {
    for (double x : v)
      if (std::isfinite(x)) {
        lo = any ? std::min(lo, x - base) : x - base;
        hi = any ? std::max(hi, x - base) : x - base;
        any = true;
      }
  };
  if (R.same_scale) {
    take(R.J_lo, deltas ? R.J[0] : 0.0);
    take(R.J_hi, deltas ? R.J[0] : 0.0);
  }
  for (const pg::SurrogateCurve& c : R.curves)
    if (!c.penalised) take(c.L, deltas ? c.L[0] : 0.0);
  // Unpenalised curves all flat up to rounding (ĝ = 0, J on its own plot): nothing to flatten, so
  // the penalised ones set the frame (a ±1e-12 frame showed them as a vertical line at α = 0).
  const bool flat = !any || plot::rounding_level(lo, hi);
  const double pad = 0.5 * (hi - lo);
  const double lo0 = flat ? -HUGE_VAL : lo - pad, hi0 = flat ? HUGE_VAL : hi + pad;
  for (const pg::SurrogateCurve& c : R.curves)
    if (c.penalised)
      for (double x : c.L) {
        const double v = std::clamp(x - (deltas ? c.L[0] : 0.0), lo0, hi0);
        if (!std::isfinite(v)) continue;
        lo = any ? std::min(lo, v) : v;
        hi = any ? std::max(hi, v) : v;
        any = true;
      }
  if (any && !plot::rounding_level(lo, hi)) {
    const plot::Range r = plot::data_range(lo, hi, 0.06);
    plot::SetupAxisLimits(plot::Axis::Y, r.lo, r.hi, ImGuiCond_Always);
  }
  std::vector<double> y(n);
  if (R.same_scale) plot_truth(R, deltas);
  for (const pg::SurrogateCurve& c : R.curves) {
    const double L0 = deltas ? c.L[0] : 0.0;
    for (int k = 0; k < n; ++k) y[k] = c.L[k] - L0;
    plot::SetNextItemColor(curve_color(c.name));
    plot::PlotLine(c.name.c_str(), R.alpha.data(), y.data(), n);
    if (std::isfinite(c.part_alpha)) {
      const int k = static_cast<int>(std::find(R.alpha.begin(), R.alpha.end(), c.part_alpha) -
                                     R.alpha.begin());
      if (k < n) {
        plot::SetNextItemColor(curve_color(c.name));
        const std::string part = c.name + (R.same_scale ? " parts from J" : " stops moving with J");
        plot::SetNextItemHoverName(part.c_str());
        plot::PlotMarker("##part", c.part_alpha, y[k]);
      }
    }
  }
  plot_step(R);
  plot::EndPlot();
}

void draw_numbers(const pg::SurrogateReport& R) {
  if (pg::surrogate_slope_is_not_ghat(R))
    text_wrapped_at_spacesf(
        "slope at 0: the surrogates' %.4g, ĝ·d = %.4g (this ĝ is not their gradient: SAC's actor "
        "gradient, an entropy bonus, or the optimal baseline's per-step b)",
        R.slope_surrogate, R.slope_ghat);
  else
    ImGui::Text("slope at 0: ĝ·d = %.4g", R.slope_ghat);
  if (std::isfinite(R.slope_true)) {
    char slope[64];
    std::snprintf(slope, sizeof slope, "∇J·d = %.4g", R.slope_true);
    same_line_if_fits(ImGui::CalcTextSize(slope).x, em(1.5f));
    ImGui::TextUnformatted(slope);
  }
  // "L^CPI parts from J at α = 0.127;  L^CLIP follows J throughout" (the CLI's words, from
  // pg::surrogate_verdict): a line breaks between the curves or their words, never inside
  // "α = 0.127" (no-break spaces).
  std::string parts;
  for (const pg::SurrogateCurve& c : R.curves)
    parts += (parts.empty() ? "" : ";  ") + c.name + " " + pg::surrogate_verdict(R, c, 3, true);
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  text_wrapped_at_spaces(parts.c_str());
  ImGui::PopStyleColor();
  if (ImGui::IsItemHovered()) {
    // Wrapped: one line ran past the window's edge at 1280×720.
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(em(32.0f));
    ImGui::Text(
        R.same_scale
            ? "A surrogate parts from J at the first α of the grid where |ΔL − ΔJ| exceeds 10%% "
              "of |ΔJ| at that α plus 1%% of J's scale (|J(θ_old)|, or the spread of the batch's "
              "returns)%s. The test at each α reads that α alone, so a longer reach keeps a "
              "verdict in its place up to the grid's step; parting at the first grid point means "
              "the slopes at 0 already differ (ĝ·d against ∇J·d above), and that α is the grid's "
              "step, not a point where they part. Markers on the curves."
            : "L is not in J's units, so no verdict compares their values. A surrogate stops "
              "moving with J at the first α where it still rises while J has fallen below its "
              "best, or has fallen from its peak while J rose above its value there, or stays "
              "flat while J moves%s. A change counts beyond 1%% of its curve's range from 0 to "
              "that α (below, it is rounding); the test at each α reads the curves up to it, so a "
              "longer reach keeps a verdict in its place up to the grid's step.",
        R.exact ? "" : " (by more than the band's half-width)");
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
  }
}

// The second direction (exact worlds), the reach, the episodes of a sampled J, "changes".
void draw_controls(SurrogateViewState& st, bool exact, const char* const seconds[3]) {
  const float fs = ImGui::GetFontSize();
  if (exact) {
    ImGui::SetNextItemWidth(fs * 9);
    ImGui::Combo("second direction", &st.second, seconds, 3);
    same_line_if_fits(fs * 14);
  }
  ImGui::SetNextItemWidth(fs * 7);
  // A short value ("3.0×"): "3.0 × step" filled the slider, and its grab covered the 3 at 3.
  ImGui::SliderFloat("reach", &st.reach, 1.0f, 20.0f, "%.1f×");
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("α up to %.1f × the step the update took.", st.reach);
  if (!exact) {
    same_line_if_fits(fs * 14);
    ImGui::SetNextItemWidth(fs * 7);
    ImGui::SliderInt("episodes", &st.episodes, 4, 256);
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip("Episodes per α for the sampled J (the same random streams at every α).");
  }
  same_line_if_fits(fs * 8);
  ImGui::Checkbox("changes", &st.deltas);
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("Plot L(α) − L(0) and J(α) − J(0), so the curves start together.");
}

}  // namespace

void DrawSurrogateView(ViewContext& ctx) {
  SurrogateViewState& st = ctx.state.views.surrogate;
  if (!st.cache) st.cache = std::make_shared<SurrogateViewCache>();
  const pg::Session& s = *ctx.snap.session;
  const bool exact = s.env().model() != nullptr;
  const float fs = ImGui::GetFontSize();

  const bool fold = short_view(ctx.state.layout_ui);
  explanation(
      fold, "What the curves show",
      "Surrogates on the last batch against the true J along a line θ_old + α d. They agree at "
      "α = 0 (their slope there is ĝ·d, save where ĝ is not their gradient); where they part (the "
      "markers), the surrogate stops telling how J "
      "changes: it promises more or less than J gives, or keeps rising after J falls.");
  // SAC's actor climbs E[Q(s, a) − α log π(a|s)] under its critic, none of these: the curves are
  // what the on-policy surrogates would say along its step, which the screen says.
  if (s.algorithm().info(s.scenario()).supports(pg::Analysis::kReplay))
    note_wrapped(
        "SAC does not maximise these: its actor climbs E[Q(s,a) − α log π(a|s)] under its critic. "
        "The curves show what the on-policy surrogates would make of its step.");
  const char* seconds[] = {"∇J (exact)", "ĝ", "natural F⁻¹∇J"};
  char summary[96];
  std::snprintf(summary, sizeof summary, "%s%s · reach %.1f×%s", exact ? "second: " : "",
                exact ? seconds[std::clamp(st.second, 0, 2)] : "", st.reach,
                st.deltas ? " · changes" : "");
  if (!exact)
    std::snprintf(summary, sizeof summary, "reach %.1f× · %d episodes%s", st.reach, st.episodes,
                  st.deltas ? " · changes" : "");
  if (settings_rows(fold, "##surrogate_settings", summary, "settings"))
    draw_controls(st, exact, seconds);

  const bool running = ctx.state.runner && ctx.state.runner->running();
  // Mid-batch there is no complete batch to take surrogates on: keep the last one's curves.
  SurrogateViewCache& c = *st.cache;
  const bool complete = s.has_estimate() && s.batch_complete();
  if (complete || !c.job.shown()) {
    c.key = ctx.snap.version;
    c.key = mix_key(c.key, static_cast<uint64_t>(st.second));
    c.key = mix_key(c.key, static_cast<uint64_t>(st.episodes));
    c.key = mix_key(c.key, static_cast<uint64_t>(std::lround(st.reach * 100)));
  }
  const SurrogateViewState settings = st;
  c.job.update(c.key, running, kThrottle, [&](uint64_t) {
    // Mid-batch the last complete batch the runner kept, when there is one (a teacher stepping by
    // env step keeps the picture, as the landscape view does).
    const BatchOnShow b = batch_on_show(ctx.snap);
    auto session = b.session ? b.session : std::make_shared<const pg::Session>(*ctx.snap.session);
    return [session, settings](std::atomic<int>&, const std::atomic<bool>& cancel) {
      return compute(*session, settings, cancel);
    };
  });
  const SurrogateResult* r = c.job.shown();
  if (r && !complete && r->error.empty())
    ImGui::TextDisabled("collecting the next batch: the curves are the last one's");
  if (!r) {
    ImGui::TextDisabled("computing the curves…");
    return;
  }
  if (!r->note.empty()) note_wrappedf("%s", r->note.c_str());
  if (!r->error.empty()) {
    note_wrappedf("%s", r->error.c_str());
    return;
  }
  if (r->along.alpha.empty()) return;  // ĝ zero and no J to take a direction from
  draw_key(r->along, std::isfinite(r->along.step_alpha) ||
                         (r->has_second && std::isfinite(r->second.step_alpha)));
  // The CLI's first lines: whose θ_old, and (standardised ψ) that L is not in J's units.
  const std::string units = pg::surrogate_units_note(r->along);
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  // (In a short view the units note in a tooltip: layout.h short_view().)
  const std::string head = "θ_old of iteration " + std::to_string(r->iteration) + ".";
  finding(fold && !units.empty(), head + " L is not in J's units.",
          units.empty() ? head : head + "  " + units);
  ImGui::PopStyleColor();
  // Under each plot the numbers (two lines, wrapped); off J's scale a heading over each pair too.
  const float lines = ImGui::GetTextLineHeightWithSpacing() * (r->along.same_scale ? 2.2f : 3.2f);
  const float h = std::max(
      fs * 8, (ImGui::GetContentRegionAvail().y - 2 * lines) / (r->has_second ? 2.0f : 1.0f));
  const pg::SliceAxisKind first = r->along.direction.kind;
  const std::string first_title =
      std::string(first == pg::SliceAxisKind::kUpdate          ? "Along the update θ − θ_old"
                  : first == pg::SliceAxisKind::kExactGradient ? "Along ∇J (ĝ is zero: no update)"
                                                               : "Along ĝ (no update yet)") +
      "###surrogate_along" + std::to_string(static_cast<int>(first));  // a zoom per direction
  draw_curves(first_title, r->along, st.deltas, ImVec2(-1, h));
  draw_numbers(r->along);
  if (r->has_second) {
    const std::string title = "Along " + pg::slice_axis_label(r->second.direction).substr(6) +
                              "###surrogate_second " + pg::slice_axis_label(r->second.direction);
    draw_curves(title, r->second, st.deltas, ImVec2(-1, h));
    draw_numbers(r->second);
  } else {
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    text_wrapped_at_spacesf("second direction: %s", r->error_second.c_str());
    ImGui::PopStyleColor();
  }
}

}  // namespace pglab::gui
