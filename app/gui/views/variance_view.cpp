// Gradient variance: K estimates at the current θ for every estimator setting on the same K
// batches (common random numbers, pg::run_variance), drawn as clouds in a plane through the exact
// gradient (pg::variance_plane), with a table of variance, bias, cosine and SNR per setting.
//
// The lab runs on a BackgroundJob over its own copy of the snapshot; results are cached by
// (snapshot version, K, N). While training runs it refreshes at most once a second.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "gui/panels/panels.h"
#include "gui/plot/plot.h"
#include "gui/views/background_job.h"
#include "gui/views/estimator_panels.h"
#include "gui/views/views.h"
#include "lab/variance.h"
#include "lab/variance_plane.h"
#include "session/session.h"

namespace pglab::gui {

namespace {

constexpr double kRefreshSeconds = 1.0;  // while training runs
constexpr double kFirstWaitSeconds = 2.0;
constexpr double kLaterWaitSeconds = 0.1;

struct VarianceResult {
  std::string error;  // "" when ok
  bool cancelled = false;
  uint64_t version = 0;
  int samples = 0, batch = 0, iteration = 0;
  pg::VarianceReport rep;  // the samples themselves are dropped once projected
  pg::VariancePlane plane;
  std::vector<pg::PlaneCloud> clouds;
  double exact_norm = std::numeric_limits<double>::quiet_NaN();
  int current = -1;  // index of the session's own setting in rep.settings
  double seconds = 0;
};

using VarianceJob = BackgroundJob<VarianceResult>;

}  // namespace

struct VarianceViewCache {
  std::unique_ptr<VarianceJob> job;
  int job_samples = 0, job_batch = 0;
  std::unique_ptr<VarianceResult> shown;
  double last_launch = -1e9;
  bool waited = false;    // the first result was waited for once (headless shots)
  bool mask_set = false;  // the default cloud selection was applied to st.hidden
  size_t mask_rows = 0;   // ... for a list of this many settings (st.hidden is by row)
  bool cancelled =
      false;  // the user cancelled: no automatic relaunch until Recompute or K, N change
  AdvantageCompareJobs adv;  // actor-critic algorithms: the advantage estimators compared
  bool adv_force = false;    // Recompute pressed on the advantage comparison
};

namespace {

VarianceResult compute(const pg::Session& s, uint64_t version, int K, int N, bool mark_current,
                       std::atomic<int>& progress, const std::atomic<bool>& cancel) {
  VarianceResult r;
  r.version = version;
  r.samples = K;
  r.batch = N;
  r.iteration = s.iteration();
  const auto t0 = std::chrono::steady_clock::now();
  try {
    const std::vector<pg::EstimatorConfig> settings = pg::all_settings(s);
    pg::VarianceOptions o;
    o.batch_episodes = N;
    o.keep_samples = true;
    o.samples_name = "K batches";  // the view's slider
    o.progress = &progress;
    o.cancel = &cancel;
    r.rep = pg::run_variance(s, settings, K, o);
    if (r.rep.settings.empty()) {
      r.cancelled = true;
      return r;
    }
    r.plane = pg::variance_plane(r.rep, 100);
    r.clouds = pg::project_clouds(r.rep, r.plane);
    for (pg::VarianceSetting& v : r.rep.settings) std::vector<Eigen::VectorXd>().swap(v.samples);
    if (r.rep.exact_gradient.size() > 0) r.exact_norm = r.rep.exact_gradient.norm();
    for (size_t j = 0; j < settings.size() && mark_current; ++j)
      if (settings[j] == s.estimator()) r.current = static_cast<int>(j);
  } catch (const std::exception& e) {
    r.error = e.what();
  }
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return r;
}

void launch(VarianceViewCache& c, const Snapshot& snap, int K, int N) {
  // The job's own deep copy: the snapshot is shared with other views on this thread.
  auto session = std::make_shared<const pg::Session>(*snap.session);
  const uint64_t version = snap.version;
  // Mark the trained setting only where REINFORCE's settings are what the algorithm trains with.
  const bool mark_current = session->algorithm().info(session->scenario()).reinforce_settings;
  c.job = std::make_unique<VarianceJob>(
      [session, version, K, N, mark_current](std::atomic<int>& progress,
                                             const std::atomic<bool>& cancel) {
        return compute(*session, version, K, N, mark_current, progress, cancel);
      });
  c.job_samples = K;
  c.job_batch = N;
  c.last_launch = ImGui::GetTime();
}

// Colour of a setting: one hue per baseline; total-return settings a lighter tint of it.
ImU32 setting_color(const pg::EstimatorConfig& c, float alpha = 1.0f) {
  int b = 0;
  const auto& all = pg::all_baselines();
  for (size_t i = 0; i < all.size(); ++i)
    if (all[i] == c.baseline) b = static_cast<int>(i);
  ImVec4 col = ImGui::ColorConvertU32ToFloat4(plot::GetPaletteColor(b));
  if (c.returns == pg::Returns::kTotal) {
    col.x += (1.0f - col.x) * 0.45f;
    col.y += (1.0f - col.y) * 0.45f;
    col.z += (1.0f - col.z) * 0.45f;
  }
  col.w = alpha;
  return ImGui::ColorConvertFloat4ToU32(col);
}

const char* returns_title(pg::Returns r) {
  return r == pg::Returns::kTotal ? "total R(τ)" : "reward-to-go";
}

// A setting as the table names it: its group (the returns), then its baseline.
std::string setting_name(const pg::EstimatorConfig& c) {
  return std::string(returns_title(c.returns)) + " / " + pg::name_of(c.baseline);
}

std::string fmt(const char* f, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}

// trace Cov as a bar on a log axis shared by the column, faint ticks at every power of ten: a strip
// along the foot of the cell, under the value, so the number never covers a bar's end (a chip over
// the bar hid the difference between 0.0112 and 0.0171 at 1280×720) and the bar keeps the cell's
// whole width (a bar beside the number had ~25 px there).
void log_bar(double value, double lo_decade, double hi_decade, ImU32 color) {
  const float fs = ImGui::GetFontSize();
  const ImVec2 p = ImGui::GetCursorScreenPos();
  const float w = std::max(fs * 5.0f, ImGui::GetContentRegionAvail().x);
  const float h = ImGui::GetTextLineHeight();
  const float strip = std::max(3.0f, std::round(fs * 0.28f));
  const float y0 = p.y + h + 1.0f, y1 = y0 + strip;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const double span = hi_decade - lo_decade;
  dl->AddRectFilled(ImVec2(p.x, y0), ImVec2(p.x + w, y1), ImGui::GetColorU32(ImGuiCol_Text, 0.08f));
  for (double d = lo_decade; d <= hi_decade + 1e-9; d += 1.0) {
    const float x = p.x + static_cast<float>((d - lo_decade) / span) * w;
    dl->AddLine(ImVec2(x, y0 - 2.0f), ImVec2(x, y1), ImGui::GetColorU32(ImGuiCol_Text, 0.3f));
  }
  if (value > 0.0 && std::isfinite(value)) {
    const double f = std::clamp((std::log10(value) - lo_decade) / span, 0.0, 1.0);
    const float bw = std::max(2.0f, static_cast<float>(f) * w);
    dl->AddRectFilled(ImVec2(p.x, y0), ImVec2(p.x + bw, y1), color);
  }
  // The value right-aligned above the strip.
  const std::string text = fmt("%.3g", value);
  const float tw = ImGui::CalcTextSize(text.c_str()).x;
  dl->AddText(ImVec2(p.x + w - tw, p.y), ImGui::GetColorU32(ImGuiCol_Text), text.c_str());
  ImGui::Dummy(ImVec2(w, y1 - p.y));
}

// The folded settings line of a short view: "K 200 · N 16 · auto".
std::string settings_summary(const VarianceViewState& st, int n) {
  return "K " + std::to_string(st.samples) + " · N " + std::to_string(n) +
         (st.auto_update ? " · auto" : "");
}

// K, N and "auto": the batches both comparisons (estimators, advantage estimators) draw.
void draw_sliders(VarianceViewState& st, const pg::Session& s, int n) {
  const float fs = ImGui::GetFontSize();
  const int scenario_n = s.scenario().algorithm.batch_episodes;
  ImGui::SetNextItemWidth(fitted_width(fs * 9.0f, "K batches"));
  ImGui::SliderInt("K batches", &st.samples, 20, 1000, "%d", ImGuiSliderFlags_AlwaysClamp);
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip(
        "How many independent batches (estimates) per setting. More: tighter numbers, slower.");
  same_line_if_fits(labeled_width(fs * 9.0f, "N episodes / batch"), fs);
  ImGui::SetNextItemWidth(fitted_width(fs * 9.0f, "N episodes / batch"));
  if (ImGui::SliderInt("N episodes / batch", &n, 2, 128, "%d", ImGuiSliderFlags_AlwaysClamp))
    st.batch_episodes = n == scenario_n ? 0 : n;
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip(
        "Episodes per estimate (the scenario trains with %d). Variance falls like 1/N.",
        scenario_n);
  same_line_if_fits(labeled_width(ImGui::GetFrameHeight(), "auto"), fs);
  ImGui::Checkbox("auto", &st.auto_update);
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("Recompute when θ changes (at most once a second while training runs).");
}

void draw_recompute(VarianceViewState& st, VarianceViewCache& c, const pg::Session& s) {
  const float fs = ImGui::GetFontSize();
  same_line_if_fits(ImGui::CalcTextSize("Recompute").x + ImGui::GetStyle().FramePadding.x * 2);
  const bool recompute = ImGui::Button("Recompute");
  if (c.job) {
    same_line_if_fits(fs * 10.0f, fs);
    if (DrawJobProgress("computing…", c.job->progress(), c.job_samples)) {
      c.job.reset();  // cancels and joins
      c.cancelled = true;
    }
  } else {
    std::string status;
    bool error = false;
    double seconds = -1.0;
    if (c.cancelled) {
      status = "cancelled: press Recompute";
    } else if (c.shown && !c.shown->error.empty()) {
      status = c.shown->error;
      error = true;
    } else if (c.shown) {
      const bool stale = c.shown->version != 0 && c.shown->iteration != s.iteration();
      status = "θ of iteration " + std::to_string(c.shown->iteration) +
               (stale && !st.auto_update ? " (stale: press Recompute)" : "");
      seconds = c.shown->seconds;
    }
    if (!status.empty()) {
      same_line_if_fits(ImGui::CalcTextSize(status.c_str()).x, fs);
      DrawJobStatus(status, error, seconds);
    }
  }
  if (recompute) {
    c.job.reset();
    c.cancelled = false;
    c.last_launch = -1e9;
    st.computed_for = 0;  // forces a launch below
  }
}

// The sliders and "auto" (behind one folded line in a short view: `fold`), then Recompute and
// the job's state, which stay in sight.
void draw_controls(VarianceViewState& st, VarianceViewCache& c, const pg::Session& s, bool fold) {
  const int scenario_n = s.scenario().algorithm.batch_episodes;
  const int n = st.batch_episodes > 0 ? st.batch_episodes : scenario_n;
  if (settings_rows(fold, "##variance_settings", settings_summary(st, n), "K, N"))
    draw_sliders(st, s, n);
  draw_recompute(st, c, s);
}

void draw_scatter(const VarianceViewState& st, const VarianceResult& r, ImVec2 size, Theme theme) {
  (void)theme;
  const int S = static_cast<int>(r.rep.settings.size());
  const bool exact = std::isfinite(r.exact_norm);
  const char* title = exact ? "Estimates ĝ in a plane through the exact ∇J##variance_cloud"
                            : "Estimates ĝ in a plane through their mean direction##variance_cloud";
  // No legend inside: the plot is fitted to its cloud at equal scale, so every corner has dots (a
  // legend hid up to 48 of them at 1280×720 ×1.5); scatter_key() names the arrow and the mean
  // under it instead.
  if (plot::BeginPlot(title, size, plot::PlotFlags_Equal | plot::PlotFlags_NoLegend)) {
    plot::SetupAxes(exact ? "along the exact ∇J" : "along the mean estimate (total, no baseline)",
                    "across: largest sideways scatter");
    // Other settings first and faint; the current one on top, opaque.
    for (int pass = 0; pass < 2; ++pass) {
      for (int j = 0; j < S; ++j) {
        if ((j == r.current) != (pass == 1)) continue;
        if (st.hidden & (1u << j)) continue;
        const pg::PlaneCloud& cl = r.clouds[static_cast<size_t>(j)];
        const pg::EstimatorConfig& cfg = r.rep.settings[static_cast<size_t>(j)].config;
        char label[32];
        std::snprintf(label, sizeof label, "##cloud%d", j);
        const std::string name = std::string("ĝ of ") + setting_name(cfg);
        plot::SetNextItemColor(setting_color(cfg, j == r.current ? 0.9f : 0.35f));
        plot::SetNextItemHoverName(name.c_str());
        plot::PlotScatter(label, cl.x.data(), cl.y.data(), static_cast<int>(cl.x.size()));
      }
    }
    for (int j = 0; j < S; ++j) {
      if ((st.hidden & (1u << j)) || j == r.current) continue;
      char label[32];
      std::snprintf(label, sizeof label, "##mean%d", j);
      const pg::EstimatorConfig& cfg = r.rep.settings[static_cast<size_t>(j)].config;
      const std::string name = std::string("mean ḡ of ") + setting_name(cfg);
      plot::SetNextItemColor(setting_color(cfg));
      plot::SetNextItemHoverName(name.c_str());
      plot::PlotMarker(label, r.clouds[static_cast<size_t>(j)].mean_x,
                       r.clouds[static_cast<size_t>(j)].mean_y);
    }
    if (exact) {
      plot::SetNextItemColor(ImGui::GetColorU32(ImGuiCol_Text));
      plot::SetNextItemWeight(0.18f);
      plot::SetNextItemHoverName("exact ∇J");
      plot::PlotArrow("##exact", 0.0, 0.0, r.exact_norm, 0.0);
    }
    if (r.current >= 0 && !(st.hidden & (1u << r.current))) {
      plot::SetNextItemColor(setting_color(r.rep.settings[static_cast<size_t>(r.current)].config));
      plot::SetNextItemHoverName("mean ḡ of the current setting");
      plot::PlotMarker("##mean_current", r.clouds[static_cast<size_t>(r.current)].mean_x,
                       r.clouds[static_cast<size_t>(r.current)].mean_y);
    }
    plot::EndPlot();
  }
}

// The scatter's key (the exact gradient's arrow and the current setting's mean, in their plot
// colours): drawn under the plot, or only measured (`draw` false: its height in `width`).
float scatter_key(const VarianceViewState& st, const VarianceResult& r, bool draw, float width) {
  ColourKey keys[2];
  int n = 0;
  if (std::isfinite(r.exact_norm)) keys[n++] = {ImGui::GetColorU32(ImGuiCol_Text), "→ exact ∇J"};
  if (r.current >= 0 && !(st.hidden & (1u << r.current)))
    keys[n++] = {setting_color(r.rep.settings[static_cast<size_t>(r.current)].config),
                 "● mean ḡ of the current setting"};
  if (draw) colour_key(keys, n);
  return colour_key_height(keys, n, width);
}

void draw_table(VarianceViewState& st, const VarianceResult& r) {
  const float fs = ImGui::GetFontSize();
  const int S = static_cast<int>(r.rep.settings.size());
  const bool exact = std::isfinite(r.exact_norm);
  double lo = std::numeric_limits<double>::infinity(), hi = 0.0;
  for (const pg::VarianceSetting& v : r.rep.settings)
    if (v.trace_cov > 0.0 && std::isfinite(v.trace_cov)) {
      lo = std::min(lo, v.trace_cov);
      hi = std::max(hi, v.trace_cov);
    }
  double lo_decade = std::isfinite(lo) ? std::floor(std::log10(lo)) : -1.0;
  double hi_decade = hi > 0.0 ? std::ceil(std::log10(hi)) : 0.0;
  if (hi_decade <= lo_decade) hi_decade = lo_decade + 1.0;

  ImGuiTableFlags flags = ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_RowBg |
                          ImGuiTableFlags_SizingStretchProp | ImGuiTableFlags_PadOuterX;
  const ImVec2 outer = fit_table(&flags, 7, 6.5f, S + 2);
  if (!ImGui::BeginTable("variance_table", 7, flags, outer)) return;
  ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthFixed, fs * 1.3f);
  table_column("baseline", 2.0f);
  table_column("unbiased", 1.15f);
  table_column("trace Cov", 2.5f);
  table_column(exact ? "bias ‖ḡ−∇J‖ ± s.e." : "bias (no ∇J)", 2.5f);
  table_column(exact ? "cos(ĝ,∇J)" : "cos(ĝ,ḡ₀)", 1.3f);
  table_column("SNR", 0.8f);
  table_headers_wrapped();
  pg::Returns group = pg::Returns::kTotal;
  for (int j = 0; j < S; ++j) {
    const pg::VarianceSetting& v = r.rep.settings[static_cast<size_t>(j)];
    if (j == 0 || v.config.returns != group) {
      group = v.config.returns;
      ImGui::TableNextRow();
      ImGui::TableSetColumnIndex(1);
      ImGui::TextDisabled("%s", returns_title(group));
    }
    ImGui::TableNextRow();
    ImGui::PushID(j);
    const bool current = j == r.current;
    if (current)
      ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg1, ImGui::GetColorU32(ImGuiCol_Header, 0.55f));
    ImGui::TableSetColumnIndex(0);
    bool shown = !(st.hidden & (1u << j));
    ImGui::PushStyleColor(ImGuiCol_CheckMark, ImGui::GetColorU32(ImGuiCol_WindowBg));
    ImGui::PushStyleColor(ImGuiCol_FrameBg, setting_color(v.config, shown ? 1.0f : 0.25f));
    ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(fs * 0.1f, 0.0f));
    if (ImGui::Checkbox("##show", &shown)) st.hidden ^= (1u << j);
    ImGui::PopStyleVar();
    ImGui::PopStyleColor(2);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Show this setting's cloud in the plot");
    ImGui::TableSetColumnIndex(1);
    ImGui::Text("%s%s", pg::name_of(v.config.baseline), current ? "  ◀" : "");
    ImGui::TableSetColumnIndex(2);
    if (v.unbiased)
      ImGui::TextUnformatted("yes");
    else
      ImGui::TextDisabled("no");
    ImGui::TableSetColumnIndex(3);
    log_bar(v.trace_cov, lo_decade, hi_decade, setting_color(v.config, 0.85f));
    ImGui::TableSetColumnIndex(4);
    if (v.has_bias) {
      // Bias within 3 standard errors is indistinguishable from noise at this K: grey.
      const bool visible = v.bias_norm > 3.0 * v.bias_stderr;
      if (visible)
        ImGui::Text("%.2g ± %.1g", v.bias_norm, v.bias_stderr);
      else
        ImGui::TextDisabled("%.2g ± %.1g", v.bias_norm, v.bias_stderr);
    } else {
      ImGui::TextDisabled("—");
    }
    ImGui::TableSetColumnIndex(5);
    ImGui::Text("%.2f", v.cosine_mean);
    ImGui::TableSetColumnIndex(6);
    ImGui::Text("%.2f", v.snr);
    if (current && st.scrolled_for != r.version + 1) {
      st.scrolled_for = r.version + 1;  // + 1: version 0 is a result too
      ImGui::SetScrollHereY(0.5f);
    }
    ImGui::PopID();
  }
  ImGui::EndTable();
  note_wrappedf("%strace Cov bars (under each value): log scale from %g to %g, a tick every ×10.",
                r.current >= 0 ? "◀ highlighted: the setting being trained. " : "",
                std::pow(10.0, lo_decade), std::pow(10.0, hi_decade));
}

// Item of the λ plot: y against λ over the GAE rows.
void lambda_line(const char* label, const std::vector<double>& lambdas,
                 const std::vector<double>& y, ImU32 color, float weight = 0.14f) {
  plot::SetNextItemColor(color);
  plot::SetNextItemWeight(weight);
  plot::PlotLine(label, lambdas.data(), y.data(), static_cast<int>(y.size()));
  plot::SetNextItemColor(color);
  plot::PlotScatter(label, lambdas.data(), y.data(), static_cast<int>(y.size()));
}

void draw_lambda_plots(const pg::AdvantageReport& rep,
                       const std::vector<pg::AdvantageEstimatorSetting>& settings, ImVec2 size) {
  std::vector<double> lam, var_g, bias_g, mse_g, var_a, bias_a;
  for (size_t f = 0; f < settings.size(); ++f) {
    if (settings[f].kind != pg::AdvantageKind::kGAE || !settings[f].critic) continue;
    const pg::AdvantageRow& r = rep.rows[f];
    lam.push_back(settings[f].lambda);
    var_g.push_back(r.trace_cov);
    bias_g.push_back(r.has_bias ? r.bias2 : std::numeric_limits<double>::quiet_NaN());
    mse_g.push_back(r.has_bias ? r.mse : std::numeric_limits<double>::quiet_NaN());
    var_a.push_back(r.has_adv_bias ? r.adv_variance : r.adv_std * r.adv_std);
    bias_a.push_back(r.has_adv_bias ? r.adv_bias2 : std::numeric_limits<double>::quiet_NaN());
  }
  const bool exact = rep.exact_gradient.size() > 0;
  const float spacing = ImGui::GetStyle().ItemSpacing.y;
  const float h = (size.y - spacing) * 0.5f;
  if (plot::BeginPlot("Gradient ĝ over λ (GAE)##adv_lambda_g", ImVec2(size.x, h))) {
    plot::SetupAxes("λ", exact ? "trace Cov, bias², MSE to ∇J" : "trace Cov", 0,
                    plot::AxisFlags_IncludeZero);
    lambda_line("variance: trace Cov ĝ", lam, var_g, color_return());
    if (exact) {
      lambda_line("bias² ‖E ĝ − ∇J‖²", lam, bias_g, color_baseline());
      lambda_line("MSE to ∇J", lam, mse_g, color_psi(), 0.2f);
    }
    plot::EndPlot();
  }
  if (plot::BeginPlot("Advantage Â over λ (GAE)##adv_lambda_a", ImVec2(size.x, h))) {
    plot::SetupAxes("λ", exact ? "vs the exact A^π" : "variance of Â", 0,
                    plot::AxisFlags_IncludeZero);
    lambda_line(exact ? "variance of Â − A^π" : "variance of Â", lam, var_a, color_return());
    if (exact) lambda_line("bias² of Â at (s, a)", lam, bias_a, color_baseline());
    plot::EndPlot();
  }
}

void draw_advantage_table(const pg::AdvantageReport& rep,
                          const std::vector<pg::AdvantageEstimatorSetting>& settings) {
  const float fs = ImGui::GetFontSize();
  const bool exact = rep.exact_gradient.size() > 0;
  const bool exact_adv = !rep.rows.empty() && rep.rows[0].has_adv_bias;
  ImGuiTableFlags flags = ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_RowBg |
                          ImGuiTableFlags_SizingStretchProp | ImGuiTableFlags_PadOuterX;
  const ImVec2 outer =
      fit_table(&flags, exact_adv ? 6 : 4, 5.5f, static_cast<int>(rep.rows.size()) + 2);
  if (!ImGui::BeginTable("adv_table", exact_adv ? 6 : 4, flags, outer)) return;
  table_column("Â", 2.2f);
  table_column("trace Cov", 1.3f);
  table_column(exact ? "bias ± s.e." : "cos to MC", 1.9f);
  table_column(exact ? "cos ∇J" : "std Â", 1.0f);
  if (exact_adv) {
    table_column("Â bias²", 1.2f);
    table_column("Â var", 1.2f);
  }
  table_headers_wrapped();
  for (size_t f = 0; f < rep.rows.size(); ++f) {
    const pg::AdvantageRow& r = rep.rows[f];
    ImGui::TableNextRow();
    if (static_cast<int>(f) == rep.current)
      ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg1, ImGui::GetColorU32(ImGuiCol_Header, 0.55f));
    ImGui::TableSetColumnIndex(0);
    ImGui::Text("%s%s", settings[f].label().c_str(),
                static_cast<int>(f) == rep.current ? "  ◀" : "");
    ImGui::TableSetColumnIndex(1);
    ImGui::Text("%.3g", r.trace_cov);
    ImGui::TableSetColumnIndex(2);
    if (exact) {
      if (r.bias_norm > 3.0 * r.bias_stderr)
        ImGui::Text("%.2g ±%.1g", r.bias_norm, r.bias_stderr);
      else
        ImGui::TextDisabled("%.2g ±%.1g", r.bias_norm, r.bias_stderr);
    } else {
      ImGui::Text("%.2f", r.cosine_mean);
    }
    ImGui::TableSetColumnIndex(3);
    if (exact)
      ImGui::Text("%.2f", r.cosine_mean);
    else
      ImGui::Text("%.3g", r.adv_std);
    if (exact_adv) {
      ImGui::TableSetColumnIndex(4);
      ImGui::Text("%.2g", r.adv_bias2);
      ImGui::TableSetColumnIndex(5);
      ImGui::Text("%.2g", r.adv_variance);
    }
  }
  ImGui::EndTable();
  (void)fs;
}

// A2C / PPO (Analysis::kAdvantageEstimators): the advantage estimators on common trajectories.
void draw_advantage_compare(VarianceViewState& st, VarianceViewCache& c, const ViewContext& ctx,
                            bool running) {
  const pg::Session& s = *ctx.snap.session;
  const float fs = ImGui::GetFontSize();
  const std::vector<pg::AdvantageEstimatorSetting> settings = pg::advantage_sweep(s);
  const int scenario_n = s.scenario().algorithm.batch_episodes;
  const int K = st.samples;
  const int N = st.batch_episodes > 0 ? st.batch_episodes : scenario_n;

  text_wrapped_at_spacesf("%s", "Advantage estimators at the current θ and critic V_φ");
  const bool fold = short_view(ctx.state.layout_ui);
  caption_after(
      "K batches of N whole episodes, every estimator on the same batches: differences are the "
      "estimator's alone.",
      fold);
  if (settings_rows(fold, "##advantage_settings", settings_summary(st, N), "K, N"))
    draw_sliders(st, s, N);
  same_line_if_fits(ImGui::CalcTextSize("Recompute").x + ImGui::GetStyle().FramePadding.x * 2);
  const bool force = ImGui::Button("Recompute") || c.adv_force;
  c.adv_force = false;
  c.adv.update(ctx.snap, settings, K, N, st.auto_update, running, force);
  same_line_if_fits(c.adv.status_width(), fs);
  c.adv.draw_status();
  if (!c.adv.shown || !c.adv.shown->error.empty()) {
    if (!c.adv.shown) {
      note_wrappedf("computing the first estimates…");
    }
    return;
  }
  const AdvantageCompareResult& r = *c.adv.shown;
  // The λ plots left of the table where the view has room for both at a readable size; else (a
  // small window, presenter scale) the plots above the table in one scrolling body.
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const bool side_by_side = avail.x >= fs * 44.0f && avail.y >= fs * 18.0f;
  if (side_by_side) {
    // The table gets the width its columns need to show whole (it scrolls sideways below that),
    // the plots the rest down to 16 em.
    const float left_w = std::max(fs * 16.0f, std::min(avail.x * 0.45f, avail.x - fs * 36.0f));
    ImGui::BeginChild("adv_lambda", ImVec2(left_w, avail.y), false);
    draw_lambda_plots(r.rep, r.settings, ImGui::GetContentRegionAvail());
    ImGui::EndChild();
    ImGui::SameLine();
    ImGui::BeginChild("adv_table_col", ImVec2(0, avail.y), false);
  } else {
    const float plots_h = fs * 26.0f;
    begin_view_body("adv_body", plots_h + fs * 30.0f);
    draw_lambda_plots(r.rep, r.settings, ImVec2(ImGui::GetContentRegionAvail().x, plots_h));
  }
  draw_advantage_table(r.rep, r.settings);
  ImGui::Spacing();
  note_wrappedf(
      "ĝ = (1/N) Σ γᵗ Âₜ ∇log π(aₜ|sₜ), the policy-gradient theorem's form (%s trains on (1/M) Σ "
      "Âₜ "
      "∇log π, the same terms without γᵗ). ◀: the advantage the scenario trains with.",
      ctx.snap.session->algorithm().info(s.scenario()).title.c_str());
  if (r.rep.exact_gradient.size() > 0) {
    note_wrappedf(
        "bias = ‖mean ĝ − ∇J‖ ± its s.e. √(trace Cov/K); grey: within 3 s.e. of 0. λ → 1 leans "
        "on sampled rewards: little bias, more variance; λ → 0 leans on V_φ: less variance, biased "
        "where V_φ errs (here √mean (V_φ − V^π)² = %.3g over the sampled states).",
        r.rep.critic_rmse);
    note_wrappedf(
        "Â vs the exact A^π: every Â inherits V_φ's error (Monte Carlo's Gₜ − V_φ is off by "
        "V^π − V_φ, the same for every action, so it cancels in ĝ); bias² is that error's "
        "square at each (s, a), averaged over visits.");
  } else {
    note_wrappedf(
        "No exact ∇J here (no finite model): cosines are to the mean of Monte Carlo's ĝ "
        "(unbiased); "
        "the trade-off shows as variance rising with λ (λ → 1 leans on sampled rewards). Open "
        "a2c-gridworld for bias against A^π.");
  }
  ImGui::EndChild();
}

// Item 4 of issue 7: reward-to-go without a baseline is unbiased like total returns, and usually
// has less variance — but not always; when it does not, say so and why.
void draw_causality_note(const VarianceResult& r) {
  const pg::VarianceSetting *total = nullptr, *rtg = nullptr;
  for (const pg::VarianceSetting& v : r.rep.settings) {
    if (v.config.baseline != pg::Baseline::kNone) continue;
    (v.config.returns == pg::Returns::kTotal ? total : rtg) = &v;
  }
  if (!total || !rtg || !total->unbiased || !rtg->unbiased || rtg->trace_cov <= total->trace_cov)
    return;
  colored_wrappedf(
      ImGui::GetStyleColorVec4(ImGuiCol_PlotHistogram),
      "reward-to-go / none varies more than total / none here (%.3g vs %.3g), both unbiased: it "
      "can. "
      "The past rewards it drops have mean 0 but may correlate with a parameter's score and cancel "
      "later noise (and K batches measure with noise). With a baseline causality pays.",
      rtg->trace_cov, total->trace_cov);
}

}  // namespace

void DrawVarianceView(ViewContext& ctx) {
  VarianceViewState& st = ctx.state.views.variance;
  if (!st.cache) st.cache = std::make_shared<VarianceViewCache>();
  VarianceViewCache& c = *st.cache;
  const pg::Session& s = *ctx.snap.session;
  const bool running = ctx.state.runner && ctx.state.runner->running();
  const float fs = ImGui::GetFontSize();

  // 0. What the algorithm on screen has to compare (DESIGN.md §3a).
  const pg::AlgorithmInfo info = s.algorithm().info(s.scenario());
  if (!info.supports(pg::Analysis::kEstimatorVariance)) {
    c.job.reset();
    if (info.supports(pg::Analysis::kAdvantageEstimators) && s.critic())
      draw_advantage_compare(st, c, ctx, running);
    else
      DrawNotApplicable(
          info,
          "gradient estimators on common trajectories (REINFORCE's returns × baselines, or an "
          "actor-critic's advantage estimators)",
          "gridworld-reinforce (REINFORCE) or a2c-gridworld (A2C)");
    return;
  }
  c.adv.job.reset();

  // 1. Collect a finished job; decide whether to start one.
  if (c.job && c.job->done()) {
    auto r = std::make_unique<VarianceResult>(std::move(c.job->result()));
    c.job.reset();
    if (!r->cancelled) {
      c.shown = std::move(r);
      st.computed_for = c.shown->version;
    }
  }
  const int K = st.samples;
  const int N = st.batch_episodes > 0 ? st.batch_episodes : s.scenario().algorithm.batch_episodes;
  if (c.job && (c.job_samples != K || c.job_batch != N)) c.job.reset();  // cancels and joins
  if (c.cancelled && (c.job_samples != K || c.job_batch != N)) c.cancelled = false;
  if (!c.job && !c.cancelled) {
    const bool params_changed = !c.shown || c.shown->samples != K || c.shown->batch != N;
    const bool forced = st.computed_for == 0;
    const bool outdated = c.shown && c.shown->version != ctx.snap.version;
    const double now = ImGui::GetTime();
    if (params_changed || forced ||
        (outdated && st.auto_update && (!running || now - c.last_launch >= kRefreshSeconds)))
      launch(c, ctx.snap, K, N);
  }
  // Headless shots and the first look: wait for the first numbers rather than show none — up to 2 s
  // once, then up to 0.1 s a frame (the view has nothing else to show; the progress bar moves).
  if (!c.shown && c.job && !running) {
    const double wait = c.waited ? kLaterWaitSeconds : kFirstWaitSeconds;
    c.waited = true;
    if (c.job->wait_for(wait)) {
      c.shown = std::make_unique<VarianceResult>(std::move(c.job->result()));
      c.job.reset();
      st.computed_for = c.shown->version;
    }
  }

  // 2. Header: what this is, the controls.
  const bool fold = short_view(ctx.state.layout_ui);
  text_wrapped_at_spacesf("%s", "Gradient variance at the current θ");
  caption_after(
      "K batches of N episodes, every setting on the same K batches (common random numbers):"
      " differences are the estimator's alone.",
      fold);
  draw_controls(st, c, s, fold);
  if (!c.shown || !c.shown->error.empty()) {
    if (!c.shown) {
      note_wrappedf("computing the first estimates…");
    }
    return;
  }
  const VarianceResult& r = *c.shown;
  // The rows change with normalize and with the critic baseline (listed only while it is fitted):
  // the selection, kept by row, starts again then.
  if ((!c.mask_set || c.mask_rows != r.rep.settings.size()) && r.current >= 0) {
    // Default selection: the current setting's returns group, plus the plain total/none for scale.
    c.mask_set = true;
    c.mask_rows = r.rep.settings.size();
    st.hidden = 0;
    for (size_t j = 0; j < r.rep.settings.size(); ++j) {
      const pg::EstimatorConfig& cfg = r.rep.settings[j].config;
      const bool plain = cfg.returns == pg::Returns::kTotal && cfg.baseline == pg::Baseline::kNone;
      if (cfg.returns != r.rep.settings[static_cast<size_t>(r.current)].config.returns && !plain)
        st.hidden |= 1u << j;
    }
  }

  // 3. Body: the clouds on the left, the table on the right; where the view is narrower than
  // both need (presenter scale, a small window), the clouds above the table, and the view scrolls.
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float spacing = ImGui::GetStyle().ItemSpacing.x;
  const bool side_by_side = avail.x >= fs * 46.0f;
  // The table gets the width its columns need to show whole (it scrolls sideways below that),
  // the clouds the rest down to 18 em.
  const float left_w = side_by_side
                           ? std::max(fs * 18.0f, std::min(avail.x * 0.42f, avail.x - fs * 38.0f))
                           : avail.x;
  const char* caption =
      "Each dot is one estimate ĝ from its own batch; large dots are the means ḡ. x: along %s; "
      "y: the direction ⊥ to it in which estimates scatter most. This plane holds %.0f%% of "
      "the scatter.";
  const char* along = std::isfinite(r.exact_norm) ? "the exact gradient" : "the mean gradient";
  if (side_by_side) {
    ImGui::BeginChild("variance_cloud", ImVec2(left_w, avail.y), false);
    const float caption_h = ImGui::GetTextLineHeightWithSpacing() * 3.2f +
                            scatter_key(st, r, false, ImGui::GetContentRegionAvail().x);
    draw_scatter(st, r,
                 ImVec2(-1, std::max(fs * 8.0f, ImGui::GetContentRegionAvail().y - caption_h)),
                 ctx.theme);
  } else {
    // A square plot as wide as the view, but no taller than the view (it scrolls for the rest).
    draw_scatter(st, r,
                 ImVec2(-1, std::clamp(left_w * 0.8f, fs * 14.0f, std::max(avail.y, fs * 14.0f))),
                 ctx.theme);
  }
  scatter_key(st, r, true, 0.0f);
  note_wrappedf(caption, along, 100.0 * r.plane.shown_fraction);
  if (side_by_side) {
    ImGui::EndChild();
    ImGui::SameLine(0, spacing);
    ImGui::BeginChild("variance_table_col", ImVec2(0, avail.y), false);
  }
  draw_table(st, r);
  draw_causality_note(r);
  ImGui::Spacing();
  note_wrappedf(
      "trace Cov = Σₖ‖ĝₖ − ḡ‖²/(K−1): the total variance of one estimate (smaller: fewer episodes "
      "needed).");
  if (std::isfinite(r.exact_norm))
    note_wrappedf(
        "bias = ‖ḡ − ∇J‖ with its standard error √(trace Cov/K); grey: within 3 s.e. of 0, "
        "indistinguishable from noise at this K.");
  else
    note_wrappedf(
        "No exact ∇J here (no finite model): cosines are to ḡ₀, the mean of total / none.");
  note_wrappedf(
      "cos: mean cosine of one estimate with the true direction. SNR = ‖ḡ‖/√trace Cov: above 1 a "
      "single batch points mostly the right way.");
  // REINFORCE fits its V_φ only while the baseline is critic: elsewhere the lab leaves the critic
  // out (pg::all_settings; an unfitted V_φ's rows equalled none's).
  if (s.critic() && !s.critic_learns())
    note_wrappedf(
        "No critic rows: REINFORCE fits V_φ only while the baseline is critic; choose that "
        "baseline to train it, then compare.");
  if (side_by_side) ImGui::EndChild();
}

}  // namespace pglab::gui
