// Replay buffer (replay-based algorithms: SAC). From core/lab/replay_report.h:
//   left:   which states the buffer covers — gridworlds: the world's picture with each cell
//           coloured by the stored transitions that start there; other worlds: a histogram of a
//           chosen state feature (or the count per observation);
//   right:  how many updates old the last update's samples were, beside the ages of the whole
//           buffer (as fractions: how off-policy the update is), and in finite worlds Q_φ against
//           the exact Q^π with the line y = x and the RMS error.
// Other algorithms: one sentence saying what the view is for.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "gui/layout.h"
#include "gui/plot/plot.h"
#include "gui/views/views.h"
#include "lab/replay_report.h"
#include "session/session.h"

namespace pglab::gui {

struct ReplayViewCache {
  uint64_t version = ~0ULL;
  int feature = -1;
  pg::ReplayReport report;
};

namespace {

const ReplayViewCache& refresh(ReplayViewState& st, const Snapshot& snap) {
  if (!st.cache) st.cache = std::make_shared<ReplayViewCache>();
  ReplayViewCache& c = *st.cache;
  if (c.version != snap.version || c.feature != st.feature) {
    c.version = snap.version;
    c.feature = st.feature;
    c.report = pg::analyse_replay(*snap.session, st.feature);
  }
  return c;
}

void muted_wrapped(const char* text) {
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  text_wrapped_at_spacesf("%s", text);
  ImGui::PopStyleColor();
}

// The ages of the last update's samples and of the buffer, each as fractions of its total.
void draw_ages(const pg::ReplayReport& r, const ImVec2& size) {
  auto fractions = [](const std::vector<int>& counts, std::vector<double>& xs,
                      std::vector<double>& ys) {
    double total = 0;
    for (int n : counts) total += n;
    for (size_t k = 0; k < counts.size(); ++k) {
      xs.push_back(static_cast<double>(k));
      ys.push_back(total > 0 ? counts[k] / total : 0.0);
    }
  };
  std::vector<double> sx, sy, bx, by;
  fractions(r.sample_age_count, sx, sy);
  fractions(r.buffer_age_count, bx, by);
  if (plot::BeginPlot("Sample ages##replay_ages", size)) {
    plot::SetupAxes("updates old (iteration − the one that collected it)", "fraction",
                    plot::AxisFlags_Integer, plot::AxisFlags_IncludeZero);
    plot::PlotBars("in the buffer##buffer", bx.data(), by.data(), static_cast<int>(bx.size()), 0.9);
    if (!sx.empty())
      plot::PlotBars("sampled by the last update##sampled", sx.data(), sy.data(),
                     static_cast<int>(sx.size()), 0.5);
    plot::EndPlot();
  }
}

// Q_φ (min of the twins) against the exact Q^π, one point per (non-terminal state, action).
void draw_q_scatter(const pg::ReplayReport& r, const ImVec2& size) {
  if (!r.has_exact) {
    muted_wrapped(("Q_φ against Q^π: " + r.exact_why_not).c_str());
    return;
  }
  char title[96];
  std::snprintf(title, sizeof title, "Q_φ against exact Q^π (RMS %.3g)###replay_q", r.q_rms);
  double lo = r.q_exact[0], hi = r.q_exact[0];
  for (size_t k = 0; k < r.q_exact.size(); ++k) {
    lo = std::min({lo, r.q_exact[k], r.q_phi[k]});
    hi = std::max({hi, r.q_exact[k], r.q_phi[k]});
  }
  const double xs[2] = {lo, hi};
  if (plot::BeginPlot(title, size)) {
    plot::SetupAxes("exact Q^π(s,a), current θ", "Q_φ(s,a)");
    plot::PlotLine("y = x##diag", xs, xs, 2);
    plot::PlotScatter("(s, a)##points", r.q_exact.data(), r.q_phi.data(),
                      static_cast<int>(r.q_exact.size()));
    plot::EndPlot();
  }
}

// Coverage of a world without a grid: a feature's histogram, or the count per observation.
void draw_coverage_plot(ReplayViewState& st, const pg::ReplayReport& r, const pg::Env& env,
                        const ImVec2& size) {
  if (r.obs_dim > 0) {
    // The slider reads the feature's name (the environment's, as the inspector's state line).
    const std::string chosen = env.feature_name(std::clamp(st.feature, 0, r.obs_dim - 1));
    ImGui::SetNextItemWidth(
        std::min(ImGui::GetContentRegionAvail().x * 0.7f,
                 ImGui::CalcTextSize(chosen.c_str()).x + ImGui::GetFontSize() * 3.0f));
    ImGui::SliderInt("state feature", &st.feature, 0, std::max(0, r.obs_dim - 1), chosen.c_str());
    const std::string name = env.feature_name(r.feature);
    char title[128];
    std::snprintf(title, sizeof title, "Stored states: %s###replay_cov", name.c_str());
    if (plot::BeginPlot(title,
                        ImVec2(size.x, std::max(size.y - ImGui::GetFrameHeightWithSpacing(),
                                                ImGui::GetFontSize() * 8.0f)),
                        plot::PlotFlags_NoLegend)) {
      plot::SetupAxes(name.c_str(), "transitions", plot::AxisFlags_None,
                      plot::AxisFlags_IncludeZero);
      plot::SetNextItemHoverName("transitions");
      plot::PlotHistogram("##feature", r.feature_values.data(),
                          static_cast<int>(r.feature_values.size()));
      plot::EndPlot();
    }
    return;
  }
  std::vector<double> xs(r.obs_count.size());
  for (size_t k = 0; k < xs.size(); ++k) xs[k] = static_cast<double>(k);
  if (plot::BeginPlot("Stored states per observation##replay_cov", size,
                      plot::PlotFlags_NoLegend)) {
    plot::SetupAxes("observation", "transitions", plot::AxisFlags_None,
                    plot::AxisFlags_IncludeZero);
    plot::SetNextItemHoverName("transitions");
    plot::PlotBars("##obs", xs.data(), r.obs_count.data(), static_cast<int>(xs.size()));
    plot::EndPlot();
  }
}

}  // namespace

void DrawReplayView(ViewContext& ctx) {
  const pg::Session& s = *ctx.snap.session;
  ReplayViewState& st = ctx.state.views.replay;
  const pg::ReplayReport& r = refresh(st, ctx.snap).report;
  if (!r.applies) {
    text_wrapped_at_spacesf("%s", r.why_not.c_str());
    return;
  }
  const float fs = ImGui::GetFontSize();
  char head[256];
  std::snprintf(head, sizeof head, "Buffer: %d of %d transitions (%lld pushed), α = %.3g. ", r.size,
                r.capacity, static_cast<long long>(r.pushed), r.alpha);
  std::string line = head;
  if (r.last_update >= 0) {
    char more[160];
    std::snprintf(more, sizeof more,
                  "The update of iteration %d replayed samples %.2f updates old on average "
                  "(the buffer's mean age: %.2f).",
                  r.last_update, r.sample_age_mean, r.buffer_age_mean);
    line += more;
  } else {
    // The update waits for the warm-up (AlgorithmInfo::warmup_steps); each batch's ĝ, which the
    // overview and the meter plot, is estimated all the same, for display.
    const pg::AlgorithmInfo info = s.algorithm().info(s.scenario());
    char more[320];
    if (info.warmup_steps <= r.capacity)
      std::snprintf(more, sizeof more,
                    "No gradient step yet: the update waits until the buffer holds sac.warmup = "
                    "%ld transitions. Until then the ĝ other views plot is estimated on each "
                    "batch but not applied: θ does not move.",
                    info.warmup_steps);
    else
      std::snprintf(more, sizeof more,
                    "No gradient step will run: sac.warmup is more than the buffer holds "
                    "(sac.buffer_size = %d). The ĝ other views plot is estimated, never applied.",
                    r.capacity);
    line += more;
  }
  text_wrapped_at_spacesf("%s", line.c_str());

  const ImVec2 full = ImGui::GetContentRegionAvail();
  const ImVec2 view = ctx.state.layout_ui.view_area;
  const float spacing = ImGui::GetStyle().ItemSpacing.x;
  // Narrow (presenter scale on a small screen): coverage above the plots in one scrolling column,
  // each as wide as the column inside its scrollbar.
  const bool stacked = full.x < fs * 36.0f;
  const bool grid =
      s.env().model() && s.env().picture() == pg::EnvPicture::kGrid && !r.state_count.empty();
  if (stacked) ImGui::BeginChild("replay_stack", full, false);
  const ImVec2 avail = stacked ? ImVec2(ImGui::GetContentRegionAvail().x, full.y) : full;
  const ImVec2 left_size =
      stacked ? ImVec2(avail.x, std::max(avail.y, fs * 16.0f))
              : ImVec2(picture_box(view, ImVec2(std::max(fs * 16.0f, avail.x * 0.42f), 0.0f)).x,
                       avail.y);

  ImGui::BeginChild("replay_coverage", left_size, false);
  if (grid) {
    EnvDrawOptions o;
    o.color_mode = 2;
    o.cell_values = &r.state_count;
    o.cell_values_title = "transitions stored from each cell";
    o.arrows = true;
    ctx.env.draw(s, o, EnvRenderer::box_for(s.env(), view, ImGui::GetContentRegionAvail()),
                 ctx.theme, 0);
  } else {
    draw_coverage_plot(st, r, s.env(), ImGui::GetContentRegionAvail());
  }
  ImGui::EndChild();
  if (!stacked) ImGui::SameLine(0, spacing);
  ImGui::BeginChild("replay_plots", ImVec2(0, stacked ? std::max(avail.y, fs * 30.0f) : avail.y),
                    false);
  {
    const float h = ImGui::GetContentRegionAvail().y;
    const bool finite = s.env().model() != nullptr;
    const float ages_h = finite ? std::max(fs * 12.0f, h * 0.45f) : std::max(fs * 12.0f, h);
    draw_ages(r, ImVec2(-1, ages_h));
    if (finite) {
      draw_q_scatter(
          r, ImVec2(-1, std::max(fs * 12.0f, ImGui::GetContentRegionAvail().y -
                                                 ImGui::GetTextLineHeightWithSpacing() * 2.2f)));
      muted_wrapped(
          "Q_φ learns the soft Q (each later state adds γα H(π)); with a small α the points lie "
          "near y = x once the critic has converged.");
    }
  }
  ImGui::EndChild();
  if (stacked) ImGui::EndChild();
}

}  // namespace pglab::gui
