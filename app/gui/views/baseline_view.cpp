// Baseline effects, three ways (pg::baseline_pair / compare_psi / run_forks / variance_reduction):
//   1. this batch's per-step weights ψ without and with the baseline, side by side;
//   2. two runs forked from the current session that differ only in the baseline (same random
//      streams), their learning curves on one plot;
//   3. the variance-reduction factor trace Cov(without) / trace Cov(with) from the variance lab.
// (2) and (3) run on BackgroundJobs over their own copies of the snapshot, cached by (snapshot
// version, the pair compared, fork length); while training runs they refresh at most once a second.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "gui/layout.h"
#include "gui/panels/panels.h"
#include "gui/plot/plot.h"
#include "gui/plot/ticks.h"
#include "gui/views/background_job.h"
#include "gui/views/estimator_panels.h"
#include "gui/views/views.h"
#include "lab/baseline_effects.h"
#include "lab/variance.h"
#include "session/session.h"
#include "util/text.h"

namespace pglab::gui {

namespace {

constexpr double kRefreshSeconds = 1.0;     // background jobs, while training runs
constexpr double kPsiRefreshSeconds = 0.5;  // the ψ comparison, while training runs
constexpr double kFirstWaitSeconds = 2.0;
constexpr double kLaterWaitSeconds = 0.1;
constexpr int kVarianceSamples = 200;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

struct PsiView {
  uint64_t version = 0;
  pg::BaselinePair pair;
  pg::PsiComparison cmp;
  int iteration = 0;
  // Plot arrays over the batch's steps laid side by side, one NaN gap between episodes.
  std::vector<double> x, q_with, b_with, psi_with, q_without, b_without, psi_without;
  std::vector<double> zero;  // 0 at steps, NaN in the gaps: the band ψ is filled down to
  double y_min = 0, y_max = 0;
  bool single_steps = false;  // every episode one step long (bandits): Q̂ and b plot as dots
};

struct ForkResult {
  std::string error;
  uint64_t version = 0;
  pg::BaselinePair pair;
  int iterations = 0;
  pg::ForkComparison forks;
};

struct ReductionResult {
  std::string error;
  uint64_t version = 0;
  pg::BaselinePair pair;
  int iteration = 0;
  pg::VarianceReport rep;
  double factor = kNaN;
  double factor_se = kNaN;  // its standard error (pg::variance_reduction_stderr)
};

using ForkJob = BackgroundJob<ForkResult>;
using ReductionJob = BackgroundJob<ReductionResult>;

}  // namespace

struct BaselineViewCache {
  std::unique_ptr<PsiView> psi;
  double psi_time = -1e9;

  std::unique_ptr<ForkJob> fork_job;
  pg::BaselinePair fork_job_pair;
  int fork_job_iterations = 0;
  std::unique_ptr<ForkResult> forks;
  double fork_launch = -1e9;
  bool fork_forced = false;

  std::unique_ptr<ReductionJob> var_job;
  pg::BaselinePair var_job_pair;
  std::unique_ptr<ReductionResult> reduction;
  double var_launch = -1e9;

  bool waited = false;
  bool fork_cancelled = false, var_cancelled = false;  // the user cancelled: no automatic relaunch

  AdvantageCompareJobs critic;  // actor-critic algorithms: critic vs no critic
};

namespace {

bool same_pair(const pg::BaselinePair& a, const pg::BaselinePair& b) {
  return a.with == b.with && a.without == b.without;
}

std::unique_ptr<PsiView> make_psi_view(const pg::Session& s, uint64_t version,
                                       const pg::BaselinePair& pair) {
  auto v = std::make_unique<PsiView>();
  v->version = version;
  v->pair = pair;
  v->iteration = s.batch_iteration();  // the batch's, as the inspector and the meter say
  v->cmp = pg::compare_psi(s, pair);
  const pg::Estimate& w = v->cmp.with;
  const pg::Estimate& o = v->cmp.without;
  const int N = w.num_trajectories;
  const size_t n = static_cast<size_t>(w.num_steps() + N);
  for (auto* a :
       {&v->x, &v->q_with, &v->b_with, &v->psi_with, &v->q_without, &v->b_without, &v->psi_without})
    a->reserve(n);
  double lo = 0.0, hi = 0.0;
  const auto track = [&](double y) {
    if (!std::isfinite(y)) return;
    lo = std::min(lo, y);
    hi = std::max(hi, y);
  };
  v->single_steps = N > 0 && w.num_steps() == N;
  // x: the step's place in the batch with a free slot after each episode (its lines break there);
  // one-step episodes sit at x = i, the break half-way to the next.
  for (int i = 0; i < N; ++i) {
    for (int k = w.offset[i]; k < w.offset[i + 1]; ++k) {
      v->x.push_back(static_cast<double>(v->single_steps ? i : k + i));
      const double bw = w.per_step_baseline() ? w.baseline[k] : kNaN;
      const double bo = o.per_step_baseline() ? o.baseline[k] : kNaN;
      v->q_with.push_back(w.q_hat[k]);
      v->b_with.push_back(bw);
      v->psi_with.push_back(w.psi[k]);
      v->q_without.push_back(o.q_hat[k]);
      v->b_without.push_back(bo);
      v->psi_without.push_back(o.psi[k]);
      for (double y : {w.q_hat[k], bw, w.psi[k], o.q_hat[k], bo, o.psi[k]}) track(y);
    }
    v->zero.resize(v->x.size(), 0.0);
    // The gap between episodes: lines break at NaN.
    v->x.push_back(v->single_steps ? i + 0.5 : static_cast<double>(w.offset[i + 1] + i));
    v->zero.push_back(kNaN);
    for (auto* a :
         {&v->q_with, &v->b_with, &v->psi_with, &v->q_without, &v->b_without, &v->psi_without})
      a->push_back(kNaN);
  }
  // (All zero, or one value up to rounding: a sane range, not ±6e-11 of padding.)
  const plot::Range r = plot::data_range(lo, hi, 0.06);
  v->y_min = r.lo;
  v->y_max = r.hi;
  return v;
}

void launch_forks(BaselineViewCache& c, const Snapshot& snap, const pg::BaselinePair& pair,
                  int iterations) {
  auto session = std::make_shared<const pg::Session>(*snap.session);  // the job's own deep copy
  const uint64_t version = snap.version;
  c.fork_job =
      std::make_unique<ForkJob>([session, version, pair, iterations](
                                    std::atomic<int>& progress, const std::atomic<bool>& cancel) {
        ForkResult r;
        r.version = version;
        r.pair = pair;
        r.iterations = iterations;
        try {
          r.forks = pg::run_forks(*session, pair, iterations, &progress, &cancel);
        } catch (const std::exception& e) {
          r.error = e.what();
        }
        return r;
      });
  c.fork_job_pair = pair;
  c.fork_job_iterations = iterations;
  c.fork_launch = ImGui::GetTime();
}

void launch_reduction(BaselineViewCache& c, const Snapshot& snap, const pg::BaselinePair& pair) {
  auto session = std::make_shared<const pg::Session>(*snap.session);
  const uint64_t version = snap.version;
  c.var_job = std::make_unique<ReductionJob>(
      [session, version, pair](std::atomic<int>& progress, const std::atomic<bool>& cancel) {
        ReductionResult r;
        r.version = version;
        r.pair = pair;
        r.iteration = session->iteration();
        try {
          pg::VarianceOptions o;
          o.samples_name = "the baseline view's batches";
          o.progress = &progress;
          o.cancel = &cancel;
          o.keep_samples = true;  // for the factor's standard error
          r.rep = pg::run_variance(*session, {pair.with, pair.without}, kVarianceSamples, o);
          if (!r.rep.settings.empty()) {
            r.factor = pg::variance_reduction(r.rep);
            r.factor_se = pg::variance_reduction_stderr(r.rep);
            for (pg::VarianceSetting& v : r.rep.settings) v.samples = {};
          }
        } catch (const std::exception& e) {
          r.error = e.what();
        }
        return r;
      });
  c.var_job_pair = pair;
  c.var_launch = ImGui::GetTime();
}

// Poll, cancel and (re)launch the two background jobs.
void update_jobs(BaselineViewState& st, BaselineViewCache& c, const Snapshot& snap,
                 const pg::BaselinePair& pair, bool running) {
  const double now = ImGui::GetTime();
  if (c.fork_job && c.fork_job->done()) {
    auto r = std::make_unique<ForkResult>(std::move(c.fork_job->result()));
    c.fork_job.reset();
    if (!r->forks.cancelled) c.forks = std::move(r);
  }
  if (c.var_job && c.var_job->done()) {
    auto r = std::make_unique<ReductionResult>(std::move(c.var_job->result()));
    c.var_job.reset();
    if (!r->rep.settings.empty() || !r->error.empty()) c.reduction = std::move(r);
  }
  // What the user asked for changed: cancel (joins) and start over at once.
  if (c.fork_job &&
      (!same_pair(c.fork_job_pair, pair) || c.fork_job_iterations != st.fork_iterations))
    c.fork_job.reset();
  if (c.var_job && !same_pair(c.var_job_pair, pair)) c.var_job.reset();

  const bool throttle_ok_f = !running || now - c.fork_launch >= kRefreshSeconds;
  const bool throttle_ok_v = !running || now - c.var_launch >= kRefreshSeconds;
  if (c.fork_forced) c.fork_cancelled = false;
  if (!c.fork_job && !c.fork_cancelled) {
    const bool asked = !c.forks || !same_pair(c.forks->pair, pair) ||
                       c.forks->iterations != st.fork_iterations || c.fork_forced;
    const bool outdated = c.forks && c.forks->version != snap.version;
    if (asked || (outdated && st.auto_update && throttle_ok_f)) {
      launch_forks(c, snap, pair, st.fork_iterations);
      c.fork_forced = false;
    }
  }
  if (!c.var_job && !c.var_cancelled) {
    const bool asked = !c.reduction || !same_pair(c.reduction->pair, pair);
    const bool outdated = c.reduction && c.reduction->version != snap.version;
    if (asked || (outdated && st.auto_update && throttle_ok_v)) launch_reduction(c, snap, pair);
  }
  // Headless shots and the first look: wait for the first numbers rather than show none — up to 2 s
  // once, then up to 0.1 s a frame (the view has nothing else to show; the progress bar moves).
  if (!running && (!c.forks || !c.reduction)) {
    const double wait = c.waited ? kLaterWaitSeconds : kFirstWaitSeconds;
    c.waited = true;
    const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(wait);
    const auto left = [&] {
      return std::chrono::duration<double>(until - std::chrono::steady_clock::now()).count();
    };
    if (c.var_job && c.var_job->wait_for(left())) {
      c.reduction = std::make_unique<ReductionResult>(std::move(c.var_job->result()));
      c.var_job.reset();
    }
    if (c.fork_job && c.fork_job->wait_for(std::max(0.0, left()))) {
      c.forks = std::make_unique<ForkResult>(std::move(c.fork_job->result()));
      c.fork_job.reset();
    }
  }
}

std::string baseline_label(const pg::EstimatorConfig& c) {
  return c.baseline == pg::Baseline::kNone
             ? std::string("without (none)")
             : std::string("with baseline: ") + pg::name_of(c.baseline);
}

// The alternative-baseline picker: every baseline the world allows with the current returns.
void draw_compare_picker(BaselineViewState& st, const pg::Session& s,
                         const pg::BaselinePair& pair) {
  const float fs = ImGui::GetFontSize();
  const std::vector<pg::Baseline> ok = pg::available_baselines(s, s.estimator().returns);
  const pg::Baseline shown = pair.with_is_current ? pair.without.baseline : pair.with.baseline;
  ImGui::AlignTextToFramePadding();
  text_wrapped_at_spacesf("Training with baseline: %s.", pg::name_of(s.estimator().baseline));
  same_line_if_fits(ImGui::CalcTextSize("Compare with:").x + fs * 9.5f);
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted("Compare with:");
  same_line_if_fits(fs * 6.0f);
  ImGui::SetNextItemWidth(std::min(fs * 9.0f, ImGui::GetContentRegionAvail().x));
  if (ImGui::BeginCombo("##compare", pg::name_of(shown))) {
    const auto& all = pg::all_baselines();
    for (size_t i = 0; i < all.size(); ++i) {
      if (std::find(ok.begin(), ok.end(), all[i]) == ok.end() || all[i] == s.estimator().baseline)
        continue;
      if (ImGui::Selectable(pg::name_of(all[i]), all[i] == shown))
        st.compare_baseline = static_cast<int>(i);
    }
    ImGui::EndCombo();
  }
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip(
        "The other estimator: the same returns and flags, only the baseline differs.");
}

// Whether the ψ plot draws b: the optimal baseline differs per parameter, so it has no one curve.
bool has_baseline_curve(const pg::EstimatorConfig& c) {
  return c.baseline != pg::Baseline::kNone && c.baseline != pg::Baseline::kOptimal;
}

void draw_psi_plots(const PsiView& v, float height, bool normalized) {
  const float spacing = ImGui::GetStyle().ItemSpacing.x;
  // Side by side where each plot gets 18 em, else one above the other (the view scrolls).
  const bool side_by_side = ImGui::GetContentRegionAvail().x >= ImGui::GetFontSize() * 36.0f;
  const float w = side_by_side ? (ImGui::GetContentRegionAvail().x - spacing) * 0.5f
                               : ImGui::GetContentRegionAvail().x;
  const int n = static_cast<int>(v.x.size());
  // One line of coloured labels over both plots in place of legends: the two keep the same
  // geometry for the eye to compare (a legend beside one narrowed it), and no legend stands over
  // the bars (at 1280×720 every corner of the right plot had some).
  const bool any_b =
      !normalized && (has_baseline_curve(v.pair.without) || has_baseline_curve(v.pair.with));
  const ColourKey keys[] = {
      {color_psi(), "■ ψ (weight on ∇log π)"},
      {color_return(), v.single_steps ? "● Q̂ (return term)" : "— Q̂ (return term)"},
      {color_baseline(), v.single_steps ? "● b (baseline)" : "— b (baseline)"}};
  colour_key(keys, normalized ? 1 : any_b ? 3 : 2);
  height = std::max(height - ImGui::GetItemRectSize().y - ImGui::GetStyle().ItemSpacing.y,
                    ImGui::GetFontSize() * 6.0f);
  struct Side {
    const pg::EstimatorConfig* config;
    const std::vector<double>*q, *b, *psi;
    double mean, std;
    const char* id;
  };
  // Without on the left, with on the right: the eye reads the change left to right.
  const Side sides[2] = {{&v.pair.without, &v.q_without, &v.b_without, &v.psi_without,
                          v.cmp.psi_mean_without, v.cmp.psi_std_without, "###psi_without"},
                         {&v.pair.with, &v.q_with, &v.b_with, &v.psi_with, v.cmp.psi_mean_with,
                          v.cmp.psi_std_with, "###psi_with"}};
  for (int k = 0; k < 2; ++k) {
    const Side& sd = sides[k];
    if (k == 1 && side_by_side) ImGui::SameLine(0, spacing);
    char title[160];
    // Means that are 0 up to rounding (normalize) print as 0, not 1e-15.
    const double mean = std::abs(sd.mean) < 1e-9 * std::max(1.0, sd.std) ? 0.0 : sd.mean;
    std::snprintf(title, sizeof title, "%s — ψ: mean %.3g, std %.3g%s",
                  baseline_label(*sd.config).c_str(), mean, sd.std, sd.id);
    if (plot::BeginPlot(title, ImVec2(w, height), plot::PlotFlags_NoLegend)) {
      plot::SetupAxes(v.single_steps ? "episode i (each one step long)"
                                     : "step of the batch (episodes side by side)",
                      normalized ? "standardised weight" : "weight", plot::AxisFlags_Integer);
      // Shared limits: the two sides compare by eye. Standardised ψ lives on another scale than
      // Q̂ and b, so then the plots show ψ alone.
      if (!normalized) plot::SetupAxisLimits(plot::Axis::Y, v.y_min, v.y_max, ImGuiCond_Always);
      plot::SetNextItemColor(color_psi());
      // Bars while each is a few pixels wide; past that one filled band per episode draws the
      // same picture with a fraction of the triangles (cart-pole batches have thousands of steps).
      if (n <= 400)
        plot::PlotBars("ψ (weight on ∇log π)", v.x.data(), sd.psi->data(), n,
                       v.single_steps ? 0.6 : 1.0);
      else
        plot::PlotBand("ψ (weight on ∇log π)", v.x.data(), v.zero.data(), sd.psi->data(), n);
      if (normalized) {
        plot::EndPlot();
        continue;
      }
      plot::SetNextItemColor(color_return());
      plot::PlotLine("Q̂ (return term)", v.x.data(), sd.q->data(), n);
      if (has_baseline_curve(*sd.config)) {
        plot::SetNextItemColor(color_baseline());
        plot::PlotLine("b (baseline)", v.x.data(), sd.b->data(), n);
      }
      plot::EndPlot();
    }
  }
}

void draw_fork_plot(BaselineViewState& st, BaselineViewCache& c, const pg::Session& s,
                    ImVec2 size) {
  const float fs = ImGui::GetFontSize();
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted("Two forked runs:");
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip(
        "Two runs forked from now with the same random streams, differing only in the baseline.");
  same_line_if_fits(labeled_width(fs * 6.0f, "iterations"));
  ImGui::SetNextItemWidth(fitted_width(fs * 6.0f, "iterations"));
  ImGui::SliderInt("iterations##fork", &st.fork_iterations, 10, 500, "%d",
                   ImGuiSliderFlags_AlwaysClamp);
  same_line_if_fits(ImGui::CalcTextSize("Fork again").x + ImGui::GetStyle().FramePadding.x * 2);
  if (ImGui::Button("Fork again")) c.fork_forced = true;
  same_line_if_fits(labeled_width(ImGui::GetFrameHeight(), "auto"));
  ImGui::Checkbox("auto", &st.auto_update);
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip(
        "Re-fork and re-measure when the session changes (at most once a second while training).");
  if (c.fork_job) {
    same_line_if_fits(fs * 9.0f);
    const int total = 2 * std::max(1, c.fork_job_iterations);
    if (DrawJobProgress("running…", c.fork_job->progress() / 2, total / 2, 9.0f)) {
      c.fork_job.reset();  // cancels and joins
      c.fork_cancelled = true;
    }
  } else if (c.fork_cancelled) {
    same_line_if_fits(ImGui::CalcTextSize("cancelled: press Fork again").x);
    ImGui::TextDisabled("cancelled: press Fork again");
  }
  const float h = std::max(fs * 8.0f, size.y - ImGui::GetFrameHeightWithSpacing() -
                                          ImGui::GetTextLineHeightWithSpacing() * 2.0f);
  if (!c.forks) {
    const ImVec2 p = ImGui::GetCursorScreenPos();
    ImGui::GetWindowDrawList()->AddRect(p, ImVec2(p.x + size.x, p.y + h),
                                        ImGui::GetColorU32(ImGuiCol_Border));
    ImGui::SetCursorScreenPos(ImVec2(p.x + fs, p.y + fs));
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + std::max(size.x - fs * 2.0f, fs));
    ImGui::TextDisabled("Running both forks in the background (%d iterations each)…",
                        st.fork_iterations);
    ImGui::PopTextWrapPos();
    ImGui::SetCursorScreenPos(p);
    ImGui::Dummy(ImVec2(size.x, h));
    return;
  }
  const ForkResult& f = *c.forks;
  if (!f.error.empty()) {
    ImGui::TextColored(ImVec4(1.0f, 0.45f, 0.4f, 1.0f), "%s", f.error.c_str());
    return;
  }
  const bool exact = s.env().model() != nullptr;
  char title[96];
  std::snprintf(title, sizeof title, "Learning curves after the fork at iteration %d##forks",
                f.forks.fork_iteration);
  if (plot::BeginPlot(title, ImVec2(size.x, h))) {
    plot::SetupAxes("iteration", exact ? "return (thick: exact J)" : "return (thick: 10-it. mean)",
                    plot::AxisFlags_Integer);
    // The shared past, for context: the session's own curve up to the fork.
    const pg::History& hist = s.history();
    std::vector<double> px, py;
    const size_t from =
        hist.size() > static_cast<size_t>(f.iterations) ? hist.size() - f.iterations : 0;
    for (size_t i = from; i < hist.size(); ++i) {
      if (hist[i].iteration >= f.forks.fork_iteration) break;
      px.push_back(hist[i].iteration);
      py.push_back(exact ? hist[i].exact_J : hist[i].return_mean);
    }
    if (!px.empty()) {
      plot::SetNextItemColor(ImGui::GetColorU32(ImGuiCol_TextDisabled));
      plot::PlotLine("before the fork", px.data(), py.data(), static_cast<int>(px.size()));
    }
    const struct {
      const pg::ForkRun* run;
      ImU32 color;
    } runs[2] = {{&f.forks.without, color_return()}, {&f.forks.with, color_baseline()}};
    for (const auto& r : runs) {
      const int n = static_cast<int>(r.run->iteration.size());
      const std::string label = baseline_label(r.run->config);
      ImVec4 faint = ImGui::ColorConvertU32ToFloat4(r.color);
      faint.w = 0.35f;
      plot::SetNextItemColor(ImGui::ColorConvertFloat4ToU32(faint));
      plot::SetNextItemWeight(0.07f);
      plot::PlotLine(("##raw" + label).c_str(), r.run->iteration.data(), r.run->return_mean.data(),
                     n);
      plot::SetNextItemColor(r.color);
      plot::SetNextItemWeight(0.16f);
      plot::PlotLine(label.c_str(), r.run->iteration.data(),
                     exact ? r.run->exact_J.data() : r.run->smoothed.data(), n);
    }
    plot::PlotVLine("##fork", f.forks.fork_iteration);
    plot::EndPlot();
  }
  note_wrappedf(
      "Thin: batch means. Both runs see the same random numbers, so the gap between the curves is "
      "the "
      "baseline's doing.");
}

// unfitted_by: where the session has a critic it does not fit, the baseline it trains with instead
// (else null).
void draw_reduction(BaselineViewCache& c, float width, const char* unfitted_by) {
  const float fs = ImGui::GetFontSize();
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + width);
  ImGui::TextUnformatted("Variance reduction at the current θ");
  if (c.var_job) {
    if (DrawJobProgress("measuring…", c.var_job->progress(), kVarianceSamples, 8.0f)) {
      c.var_job.reset();
      c.var_cancelled = true;
    }
  } else if (c.var_cancelled) {
    if (ImGui::SmallButton("Measure")) c.var_cancelled = false;
    ImGui::SameLine();
    ImGui::TextDisabled("cancelled");
  }
  if (!c.reduction) {
    ImGui::TextDisabled("measuring…");
    ImGui::PopTextWrapPos();
    return;
  }
  const ReductionResult& r = *c.reduction;
  if (!r.error.empty()) {
    ImGui::TextColored(ImVec4(1.0f, 0.45f, 0.4f, 1.0f), "%s", r.error.c_str());
    ImGui::PopTextWrapPos();
    return;
  }
  // A verdict only when the K batches tell the two apart: a ratio within kReductionMargin s.e. of
  // 1 reverses with more batches (audit a7: ×0.967 at K = 200 on the continuous bandit was ×1.04
  // at K = 3000).
  const bool resolved = std::isfinite(r.factor) && std::isfinite(r.factor_se) &&
                        std::abs(r.factor - 1.0) > pg::kReductionMargin * r.factor_se;
  // The big number, drawn at 3.2× the font size.
  char big[32];
  if (std::isfinite(r.factor))
    std::snprintf(big, sizeof big, "×%.3g", r.factor);
  else
    std::snprintf(big, sizeof big, "—");
  const float big_size = fs * 3.2f;
  const ImVec2 p = ImGui::GetCursorScreenPos();
  ImGui::GetWindowDrawList()->AddText(
      ImGui::GetFont(), big_size, p,
      resolved && r.factor > 1.0 ? color_baseline() : ImGui::GetColorU32(ImGuiCol_Text), big);
  ImGui::Dummy(ImVec2(width, big_size * 1.05f));
  const pg::VarianceSetting& w = r.rep.settings[0];
  const pg::VarianceSetting& o = r.rep.settings[1];
  // Below 1 the headline is an increase: say so right under it, not only at the foot (which a
  // 1280×720 screen scrolls out of sight).
  const bool noisier = resolved && r.factor < 1.0;
  if (std::isfinite(r.factor_se))
    ImGui::TextDisabled("± %.2g (one standard error over the K batches)", r.factor_se);
  if (noisier)
    ImGui::TextColored(ImVec4(1.0f, 0.55f, 0.45f, 1.0f),
                       "below 1 by more than %.0f s.e.: here %s makes ĝ noisier, not quieter",
                       pg::kReductionMargin, pg::name_of(w.config.baseline));
  else if (std::isfinite(r.factor) && !resolved)
    ImGui::TextDisabled(
        "within %.0f s.e. of 1: at K = %d batches %s and %s are indistinguishable in variance",
        pg::kReductionMargin, r.rep.samples, pg::name_of(w.config.baseline),
        pg::name_of(o.config.baseline));
  ImGui::Text("trace Cov %s = %.3g", pg::name_of(o.config.baseline), o.trace_cov);
  ImGui::Text("trace Cov %s = %.3g", pg::name_of(w.config.baseline), w.trace_cov);
  ImGui::TextDisabled(
      "trace Cov(%s) ÷ trace Cov(%s) over K = %d batches of %s at θ of iteration %d, the "
      "same batches for both. Without the baseline a batch needs ×%.3g the episodes for the same "
      "noise.",
      pg::name_of(o.config.baseline), pg::name_of(w.config.baseline), r.rep.samples,
      pg::counted(r.rep.batch_episodes, "episode").c_str(), r.iteration,
      std::isfinite(r.factor) ? r.factor : 0.0);
  ImGui::TextDisabled("Unbiased (theory): %s %s, %s %s.", pg::name_of(w.config.baseline),
                      w.unbiased ? "yes" : "no", pg::name_of(o.config.baseline),
                      o.unbiased ? "yes" : "no");
  // At a fixed θ the critic is V_φ as it stands, which this run has not been fitting: the fork
  // with the critic baseline fits it, so its curve is where the critic shows.
  if (unfitted_by &&
      (w.config.baseline == pg::Baseline::kCritic || o.config.baseline == pg::Baseline::kCritic))
    ImGui::TextDisabled(
        "This run does not fit its critic (its baseline is %s), so here V_φ is still at its "
        "start; the forked run with the critic baseline fits it as it goes.",
        unfitted_by);
  // Below 1 the baseline made ĝ noisier at this θ, which the ψ² of one batch beside it need not
  // show (the continuous bandit: ψ² ×1.9 smaller, trace Cov ×0.534).
  if (noisier)
    ImGui::TextDisabled(
        "Why %s can add noise: a smaller ψ² does not decide it; each ψ multiplies ∇log π(a|s), "
        "and a baseline that moves ψ where ∇log π is large adds variance.",
        pg::name_of(w.config.baseline));
  ImGui::PopTextWrapPos();
}

// Actor-critic algorithms (Analysis::kCriticEffect): ψ with the critic (the scenario's Â) against
// the raw return Gₜ (no critic), on this batch and in variance over K batches.
void draw_critic_batch(const pg::Session& s, ImVec2 size, bool fold) {
  const pg::Estimate& e = s.last_estimate();
  if (!s.has_estimate() || e.advantages.empty() || e.reward_to_go.size() != e.advantages.size()) {
    note_wrappedf("1 · Waiting for an estimate (step one iteration).");
    ImGui::Dummy(size);
    return;
  }
  const int N = e.num_trajectories;
  std::vector<double> x, g, a;
  double ss_g = 0.0, ss_a = 0.0;
  for (int i = 0; i < N; ++i) {
    for (int k = e.offset[i]; k < e.offset[i + 1]; ++k) {
      x.push_back(static_cast<double>(k + i));
      g.push_back(e.reward_to_go[k]);
      a.push_back(e.advantages[k]);
      ss_g += e.reward_to_go[k] * e.reward_to_go[k];
      ss_a += e.advantages[k] * e.advantages[k];
    }
    x.push_back(static_cast<double>(e.offset[i + 1] + i));
    g.push_back(kNaN);
    a.push_back(kNaN);
  }
  const int M = std::max(1, e.num_steps());
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  finding(
      fold,
      formatted("1 · This batch (iteration %d): rms weight %.3g (Gₜ) → %.3g (Âₜ).",
                s.batch_iteration(), std::sqrt(ss_g / M), std::sqrt(ss_a / M)),
      formatted(
          "1 · This batch (iteration %d): the weight on ∇log π without a critic is the sampled "
          "return "
          "Gₜ (to the piece's end); with it, Âₜ = the scenario's advantage from V_φ. rms: %.3g → "
          "%.3g.%s",
          s.batch_iteration(), std::sqrt(ss_g / M), std::sqrt(ss_a / M),
          // Frozen lake before its first success: every reward 0, so both plots are flat at 0.
          ss_g == 0.0 && ss_a == 0.0
              ? " Every weight is 0: no step of this batch earned a reward and the critic still "
                "predicts 0, so the batch carries no gradient (nothing to learn from until an "
                "episode "
                "reaches a reward)."
              : ""));
  ImGui::PopStyleColor();
  const float spacing = ImGui::GetStyle().ItemSpacing.x;
  // Side by side where each plot gets 18 em, else one above the other (the view scrolls).
  const bool side_by_side = ImGui::GetContentRegionAvail().x >= ImGui::GetFontSize() * 36.0f;
  const float w = side_by_side ? (ImGui::GetContentRegionAvail().x - spacing) * 0.5f
                               : ImGui::GetContentRegionAvail().x;
  const float h = side_by_side ? size.y - ImGui::GetTextLineHeightWithSpacing() * 2.2f
                               : std::max(ImGui::GetFontSize() * 10.0f, size.y * 0.5f);
  const int n = static_cast<int>(x.size());
  double lo = 0.0, hi = 0.0;
  for (const auto* v : {&g, &a})
    for (double y : *v)
      if (std::isfinite(y)) lo = std::min(lo, y), hi = std::max(hi, y);
  const plot::Range range = plot::data_range(lo, hi, 0.06);  // all 0 (no reward yet): −1 to 1
  const struct {
    const char* title;
    const std::vector<double>* y;
    ImU32 color;
  } sides[2] = {{"no critic: ψ = Gₜ##crit_g", &g, color_return()},
                {"with critic: ψ = Âₜ##crit_a", &a, color_psi()}};
  for (int k = 0; k < 2; ++k) {
    if (k == 1 && side_by_side) ImGui::SameLine(0, spacing);
    if (plot::BeginPlot(sides[k].title, ImVec2(w, h))) {
      plot::SetupAxes("step of the batch (pieces side by side)", "weight", plot::AxisFlags_Integer);
      plot::SetupAxisLimits(plot::Axis::Y, range.lo, range.hi, ImGuiCond_Always);
      plot::SetNextItemColor(sides[k].color);
      if (n <= 400)
        plot::PlotBars("ψ", x.data(), sides[k].y->data(), n, 1.0);
      else
        plot::PlotLine("ψ", x.data(), sides[k].y->data(), n);
      plot::EndPlot();
    }
  }
}

// The critic comparison's rows: trace Cov, cosine to the reference and (exact worlds) bias.
void draw_critic_rows(const AdvantageCompareResult& r) {
  const bool exact = r.rep.exact_gradient.size() > 0;
  const int columns = exact ? 4 : 3;
  ImGuiTableFlags flags =
      ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_SizingStretchProp | ImGuiTableFlags_PadOuterX;
  const ImVec2 outer = fit_table(&flags, columns, 5.5f, static_cast<int>(r.rep.rows.size()) + 2);
  if (!ImGui::BeginTable("critic_rows", columns, flags, outer)) return;
  table_column("ψ", 2.0f);
  table_column("trace Cov", 1.2f);
  table_column(exact ? "cos(ĝ, ∇J)" : "cos(ĝ, Monte Carlo's mean)", 1.4f);
  if (exact) table_column("bias ‖mean ĝ − ∇J‖ ± s.e.", 2.0f);
  table_headers_wrapped();
  for (const pg::AdvantageRow& row : r.rep.rows) {
    ImGui::TableNextRow();
    ImGui::TableSetColumnIndex(0);
    ImGui::TextUnformatted(row.setting.label().c_str());
    ImGui::TableSetColumnIndex(1);
    ImGui::Text("%.3g", row.trace_cov);
    ImGui::TableSetColumnIndex(2);
    ImGui::Text("%.2f", row.cosine_mean);
    if (exact) {
      ImGui::TableSetColumnIndex(3);
      ImGui::Text("%.2g ± %.1g", row.bias_norm, row.bias_stderr);
    }
  }
  ImGui::EndTable();
}

// fold: a short view (short_view()), whose captions fold.
void draw_critic_effect(BaselineViewState& st, BaselineViewCache& c, const Snapshot& snap,
                        bool running, bool fold) {
  const pg::Session& s = *snap.session;
  const float fs = ImGui::GetFontSize();
  pg::AdvantageEstimatorSetting raw;
  raw.kind = pg::AdvantageKind::kMonteCarlo;
  raw.critic = false;
  pg::AdvantageEstimatorSetting mc;
  mc.kind = pg::AdvantageKind::kMonteCarlo;
  const pg::AdvantageEstimatorSetting mine = pg::scenario_advantage(s);
  // The critic as a baseline, alone: Monte Carlo's Gₜ − V_φ against the raw Gₜ (both unbiased,
  // the same horizon), so the headline is V_φ's doing and not λ's. The scenario's own estimator,
  // when it bootstraps, is a third row: from Monte Carlo to it is the λ < 1 part (with V_φ ≡ 0,
  // GAE(0.95) alone cut the variance ×4.6 on a2c-gridworld, which the headline credited to the
  // critic).
  std::vector<pg::AdvantageEstimatorSetting> settings = {mc, raw};
  const bool bootstraps = !(mine == mc);
  if (bootstraps) settings.push_back(mine);
  text_wrapped_at_spacesf("%s", "Critic vs no critic");
  char caption[160];
  std::snprintf(caption, sizeof caption,
                "The same trajectories weighted by Âₜ from V_φ (%s) or by the raw return Gₜ.",
                mine.label().c_str());
  caption_after(caption, fold);
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  draw_critic_batch(s, ImVec2(avail.x, std::max(fs * 10.0f, avail.y * 0.62f)), fold);

  const int N = s.scenario().algorithm.batch_episodes;
  c.critic.update(snap, settings, kVarianceSamples, N, st.auto_update, running, false);
  text_wrapped_at_spacesf("%s", "2 · Variance over K batches at the current θ");
  same_line_if_fits(c.critic.status_width(), fs);
  c.critic.draw_status();
  if (!c.critic.shown || !c.critic.shown->error.empty()) return;
  const AdvantageCompareResult& r = *c.critic.shown;
  const pg::AdvantageRow& with = r.rep.rows[0];
  const pg::AdvantageRow& without = r.rep.rows[1];
  const double factor = with.trace_cov > 0 ? without.trace_cov / with.trace_cov : kNaN;
  // A verdict only beyond kCriticReductionMargin s.e. of 1, as the REINFORCE baselines' factor
  // above: the ratio of two trace covariances over K batches is noisy (squared norms, heavy-
  // tailed), and a bare "factor > 1.05" called noise a reduction.
  const double factor_se = pg::critic_reduction_stderr(with, without);
  const bool resolved = std::isfinite(factor) && std::isfinite(factor_se) &&
                        std::abs(factor - 1.0) > pg::kCriticReductionMargin * factor_se;
  // The same ĝ in every batch with and without the critic: V_φ is 0 wherever the batches went (a
  // critic that has not learned yet), and no K tells the rows apart ("×1 ± 0, within noise").
  const bool identical = with.spread == without.spread && !with.spread.empty();
  const pg::AdvantageRow* own = r.rep.rows.size() > 2 ? &r.rep.rows[2] : nullptr;
  const double own_factor = own && own->trace_cov > 0 ? without.trace_cov / own->trace_cov : kNaN;
  char big[32];
  if (std::isfinite(factor))
    std::snprintf(big, sizeof big, "×%.3g", factor);
  else
    std::snprintf(big, sizeof big, "—");
  const float big_size = fs * 3.2f;
  const ImVec2 p = ImGui::GetCursorScreenPos();
  ImGui::GetWindowDrawList()->AddText(
      ImGui::GetFont(), big_size, p,
      resolved && factor > 1.0 ? color_baseline() : ImGui::GetColorU32(ImGuiCol_Text), big);
  ImGui::Dummy(ImVec2(ImGui::CalcTextSize(big).x * 3.2f, big_size * 1.05f));
  if (std::isfinite(factor_se) && !identical)
    ImGui::TextDisabled("± %.2g (one standard error over the K batches)", factor_se);
  // The rows beside the big number where they get 22 em, else below it: a table, so every number
  // stays whole on its own line of its column.
  same_line_if_fits(fs * 22.0f, fs);
  draw_critic_rows(r);
  note_wrappedf(
      "trace Cov(Gₜ) ÷ trace Cov(Gₜ − V_φ(sₜ)) of ĝ = (1/N) Σ γᵗ ψₜ ∇log π over K = %d batches of "
      "%d episodes, the same batches for every row: %s. The critic is the actor-critic's baseline "
      "— Gₜ − V_φ(sₜ) stays unbiased whatever V_φ is.",
      r.samples, r.batch,
      identical ? "the rows are equal: V_φ is 0 on every state these batches visit, so Gₜ − V_φ "
                  "is Gₜ (the critic has not learned yet)"
      : !resolved    ? "within noise at this K (within 3 s.e. of 1: more batches, or a later θ, "
                       "may tell them apart)"
      : factor > 1.0 ? "without the critic a batch needs that many times the episodes for the "
                       "same noise"
                     : "here the critic makes ĝ noisier, beyond 3 s.e. (V_φ still far from V^π?)");
  if (bootstraps && std::isfinite(own_factor))
    note_wrappedf(
        "The scenario's own %s also bootstraps from V_φ: ×%.3g against Gₜ in all — ×%.3g from "
        "the critic as a baseline (above), ×%.3g more from the shorter horizon, which trades bias "
        "for variance (the Advantages view sweeps λ).",
        mine.label().c_str(), own_factor, factor,
        std::isfinite(factor) && factor > 0 ? own_factor / factor : kNaN);
}

}  // namespace

void DrawBaselineView(ViewContext& ctx) {
  BaselineViewState& st = ctx.state.views.baseline;
  if (!st.cache) st.cache = std::make_shared<BaselineViewCache>();
  BaselineViewCache& c = *st.cache;
  const pg::Session& s = *ctx.snap.session;
  const bool running = ctx.state.runner && ctx.state.runner->running();
  const float fs = ImGui::GetFontSize();

  // What the algorithm on screen has to compare (DESIGN.md §3a): REINFORCE's baselines, an
  // actor-critic's critic, or nothing.
  const pg::AlgorithmInfo info = s.algorithm().info(s.scenario());
  if (!info.supports(pg::Analysis::kBaselineEffect)) {
    c.fork_job.reset();
    c.var_job.reset();
    if (info.supports(pg::Analysis::kCriticEffect) && s.critic())
      draw_critic_effect(st, c, ctx.snap, running, short_view(ctx.state.layout_ui));
    else if (info.supports(pg::Analysis::kGroups))
      // GRPO has a baseline, but not one to switch: its group's mean return.
      note_wrappedf(
          "%s's baseline is built in: each completion's advantage is its return minus its "
          "group's mean (the others' mean with leave-one-out), divided by the group's std where "
          "grpo.std_normalize is on; there is no other baseline to compare it with here. The GRPO "
          "groups view shows it group by group; gridworld-reinforce compares REINFORCE's "
          "baselines in this view.",
          info.title.c_str());
    else
      DrawNotApplicable(info, "baselines (REINFORCE's b, or an actor-critic's critic V_φ)",
                        "gridworld-reinforce (REINFORCE) or a2c-cartpole (A2C)");
    return;
  }
  c.critic.job.reset();
  const auto& all = pg::all_baselines();
  const pg::Baseline alternative = all[static_cast<size_t>(
      std::clamp<int>(st.compare_baseline, 0, static_cast<int>(all.size()) - 1))];
  const pg::BaselinePair pair = pg::baseline_pair(s, alternative);

  // The ψ comparison is cheap (two estimates of one batch): synchronous, throttled while running.
  const double now = ImGui::GetTime();
  const bool psi_outdated =
      !c.psi || c.psi->version != ctx.snap.version || !same_pair(c.psi->pair, pair);
  if (psi_outdated && s.batch_complete() && s.batch().size() > 0 &&
      (!running || !c.psi || !same_pair(c.psi->pair, pair) ||
       now - c.psi_time >= kPsiRefreshSeconds)) {
    try {
      c.psi = make_psi_view(s, ctx.snap.version, pair);
    } catch (const std::exception&) {
      c.psi.reset();  // a setting this batch cannot have (kept out by available_baselines)
    }
    c.psi_time = now;
  }
  update_jobs(st, c, ctx.snap, pair, running);

  // Header.
  draw_compare_picker(st, s, pair);
  const bool fold = short_view(ctx.state.layout_ui);
  const std::string same = std::string("Same returns and flags (") +
                           pg::name_of(s.estimator().returns) + "), only the baseline differs.";
  caption_after(same.c_str(), fold);
  if (s.scenario().algorithm.batch_episodes < 2 &&
      (pg::needs_other_episodes(pair.with.baseline) ||
       pg::needs_other_episodes(pair.without.baseline))) {
    colored_wrappedf(
        ImGui::GetStyleColorVec4(ImGuiCol_PlotHistogram),
        "One episode per batch: %s has no other episode to average (leave-one-out is b ≡ 0; mean "
        "and "
        "time-mean make ψ ≡ 0). Compare with exact-value or critic instead.",
        pg::name_of(pg::needs_other_episodes(pair.with.baseline) ? pair.with.baseline
                                                                 : pair.without.baseline));
  }

  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float spacing = ImGui::GetStyle().ItemSpacing.y;
  // 1. This batch's weights.
  const float psi_h = std::max(fs * 10.0f, avail.y * 0.44f);
  if (c.psi) {
    const std::string head = "1 · One batch (iteration " + std::to_string(c.psi->iteration) + ")";
    const double ratio = c.psi->cmp.psi_square_ratio;
    char found[96];
    std::snprintf(found, sizeof found, ": mean ψ² ×%.3g %s with the baseline.",
                  ratio >= 1.0 ? ratio : 1.0 / ratio, ratio >= 1.0 ? "smaller" : "larger");
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    if (s.estimator().normalize)
      finding(fold, head + ": ψ standardised on both sides.",
              formatted("%s: each ∇log π(a|s) is weighted by ψ = Q̂ − b, standardised (normalize "
                        "is on): both sides have mean 0 and std 1, so only the shapes differ — the "
                        "baseline changes which steps get positive weight.",
                        head.c_str()));
    else if (!(ratio > 0.0) || !std::isfinite(ratio))
      finding(fold, head + ": no ψ to compare.",
              formatted("%s: each ∇log π(a|s) is weighted by ψ = Q̂ − b%s. ∇log π averages to 0, so "
                        "the part of ψ shared by all actions only adds noise; the baseline removes "
                        "it. This batch has no ψ to compare: every ψ is 0 on one side (no reward "
                        "reached yet, or a baseline equal to every return).",
                        head.c_str(), s.estimator().discount_weighting ? " (× γᵗ)" : ""));
    else
      finding(fold, head + found,
              formatted("%s: each ∇log π(a|s) is weighted by ψ = Q̂ − b%s. ∇log π averages to 0, so "
                        "the part of ψ shared by all actions only adds noise, which a baseline is "
                        "meant to remove. In this batch mean ψ² is ×%.3g %s with it.",
                        head.c_str(), s.estimator().discount_weighting ? " (× γᵗ)" : "",
                        ratio >= 1.0 ? ratio : 1.0 / ratio, ratio >= 1.0 ? "smaller" : "larger"));
    ImGui::PopStyleColor();
    draw_psi_plots(*c.psi, psi_h, s.estimator().normalize);
  } else {
    note_wrappedf("1 · Waiting for a complete batch (step one iteration).");
    ImGui::Dummy(ImVec2(avail.x, psi_h));
  }
  ImGui::Dummy(ImVec2(0, spacing));

  // 2 and 3 side by side.
  // Where the forks' plot would get less than 26 em beside the reduction, the reduction goes
  // below it; each keeps its height and the view scrolls.
  const ImVec2 rest = ImGui::GetContentRegionAvail();
  const float right_w = std::clamp(rest.x * 0.32f, fs * 14.0f, fs * 22.0f);
  const bool beside = rest.x - right_w >= fs * 26.0f;
  const float left_w = beside ? rest.x - right_w - ImGui::GetStyle().ItemSpacing.x : rest.x;
  // At least 18 em: the plot's area then holds its legend's two rows in a band above the curves
  // (at 16 em it stood over the noisy batch means: the bandit at 1280×720).
  const float forks_h = std::max(rest.y, fs * 18.0f);
  ImGui::BeginChild("baseline_forks", ImVec2(left_w, forks_h), false);
  draw_fork_plot(st, c, s, ImVec2(left_w, ImGui::GetContentRegionAvail().y));
  ImGui::EndChild();
  if (beside) ImGui::SameLine();
  ImGui::BeginChild("baseline_reduction", ImVec2(0, beside ? forks_h : fs * 14.0f), false);
  draw_reduction(c, ImGui::GetContentRegionAvail().x,
                 s.critic() && !s.critic_learns() ? pg::name_of(s.estimator().baseline) : nullptr);
  ImGui::EndChild();
}

}  // namespace pglab::gui
