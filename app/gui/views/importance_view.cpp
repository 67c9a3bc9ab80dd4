// Importance sampling: how far the behaviour policy b that sampled the batch is from the target
// π_θ the gradient is taken at. Per-trajectory log-weights log W_i = Σ_t log ρ_it as bars, the
// effective sample size (Σ W)² / Σ W², and the importance-sampled estimate ĝ_IS against REINFORCE
// at θ on fresh on-policy episodes (same random numbers) and the exact ∇J (finite worlds): norms,
// cosines and the top-k parameters by |∇J|. Every number comes from core
// (pg::compare_importance); this file only draws.
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "algo/algorithm.h"
#include "gui/layout.h"
#include "gui/plot/plot.h"
#include "gui/views/view_states.h"
#include "gui/views/views.h"
#include "lab/importance_compare.h"
#include "policy/tabular_softmax.h"

namespace pglab::gui {

struct ImportanceViewCache {
  uint64_t version = ~0ULL;
  pg::ImportanceComparison c;
  int iteration = 0;
  std::string behaviour;  // "b = π at θ of iteration 3 (lag 2)" / "b = fixed logits [...]"
  std::vector<std::string> param_labels;  // per top-k entry
  std::vector<double> idx, up, down;      // log-weight bars: trajectory index, split by sign
  std::vector<double> gx_off, gx_on, gx_exact, g_off, g_on, g_exact;
};

namespace {

std::string fmt(const char* f, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}

std::string param_label(const pg::Session& s, int k) {
  const pg::Policy& p = s.behaviour_policy();
  char buf[48];
  if (p.kind() != pg::PolicyKind::kTabular) {
    std::snprintf(buf, sizeof buf, "θ%d", k);
    return buf;
  }
  const int A = p.num_actions();
  const int o = k / A, a = k % A;
  std::snprintf(buf, sizeof buf, "o%d %s", o, s.env().action_label(a).c_str());
  return buf;
}

void refresh(ImportanceViewCache& c, const pg::Session& s, uint64_t version, int top_k) {
  c.version = version;
  c.c = pg::compare_importance(s, top_k);
  c.iteration = c.c.batch_iteration;
  if (!c.c.available) return;
  const pg::OffPolicySettings& op = s.scenario().offpolicy;
  if (op.behaviour == pg::BehaviourKind::kFixed) {
    std::string logits;
    for (double l : op.behaviour_logits) logits += (logits.empty() ? "" : ", ") + fmt("%.3g", l);
    c.behaviour = "b = softmax of the fixed logits [" + logits + "] in every state";
  } else {
    c.behaviour = "b = π at θ of iteration " + std::to_string(c.c.behaviour_iteration) +
                  " (offpolicy.lag = " + std::to_string(op.lag) + ")";
  }
  const int N = c.c.N;
  c.idx.resize(N);
  c.up.assign(N, NAN);
  c.down.assign(N, NAN);
  for (int i = 0; i < N; ++i) {
    c.idx[i] = i;
    (c.c.log_w[i] >= 0 ? c.up[i] : c.down[i]) = c.c.log_w[i];
  }
  const int K = static_cast<int>(c.c.top.size());
  c.param_labels.clear();
  c.gx_off.resize(K);
  c.gx_on.resize(K);
  c.gx_exact.resize(K);
  c.g_off.resize(K);
  c.g_on.resize(K);
  c.g_exact.resize(K);
  const bool exact = c.c.exact.size() > 0;
  for (int j = 0; j < K; ++j) {
    const int k = c.c.top[j];
    c.param_labels.push_back(param_label(s, k));
    c.gx_off[j] = j - 0.27;
    c.gx_on[j] = j;
    c.gx_exact[j] = j + 0.27;
    c.g_off[j] = c.c.off_policy[k];
    c.g_on[j] = c.c.on_policy[k];
    c.g_exact[j] = exact ? c.c.exact[k] : NAN;
  }
}

const char* weighting_formula(const std::string& w) {
  if (w == "trajectory") return "ψ'_it = W_i ψ_it,  W_i = Π_t ρ_it";
  if (w == "per-step") return "ψ'_it = ρ_it ψ_it   (approximation: biased)";
  return "ψ'_it = w_t (Σ_t' c_tt' ρ_0:max(t,t') r_t' − ρ_0:t b_t),  ρ_0:t = Π_k≤t ρ_k";
}

void draw_table(const pg::ImportanceComparison& c) {
  ImGuiTableFlags flags =
      ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp;
  // Narrow: fixed-fit columns that scroll sideways rather than cut numbers.
  const ImVec2 outer = fit_table(&flags, 4, 5.5f, 5);
  if (!ImGui::BeginTable("importance_table", 4, flags, outer)) return;
  ImGui::TableSetupColumn("at θ", ImGuiTableColumnFlags_WidthStretch, 1.6f);
  ImGui::TableSetupColumn("norm", ImGuiTableColumnFlags_WidthStretch, 1.0f);
  ImGui::TableSetupColumn("cos to ∇J", ImGuiTableColumnFlags_WidthStretch, 1.0f);
  ImGui::TableSetupColumn("cos to ĝ", ImGuiTableColumnFlags_WidthStretch, 1.0f);
  table_headers_wrapped();
  auto cell = [](double v, const char* f) {
    ImGui::TableNextColumn();
    if (std::isnan(v))
      ImGui::TextDisabled("—");
    else
      ImGui::Text(f, v);
  };
  auto row = [&](const char* name, double norm, double cos_exact, double cos_on) {
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(name);
    cell(norm, "%.4g");
    cell(cos_exact, "%+.3f");
    cell(cos_on, "%+.3f");
  };
  row("ĝ_IS  off-policy", c.norm_off, c.cos_off_exact, c.cos_off_on);
  row("ĝ  on-policy", c.norm_on, c.cos_on_exact, 1.0);
  row("∇J  exact", c.norm_exact, c.exact.size() ? 1.0 : NAN, c.cos_on_exact);
  ImGui::EndTable();
}

}  // namespace

void DrawImportanceView(ViewContext& ctx) {
  const pg::Session& s = *ctx.snap.session;
  ImportanceViewState& st = ctx.state.views.importance;
  if (!st.cache) st.cache = std::make_shared<ImportanceViewCache>();
  ImportanceViewCache& c = *st.cache;
  const double now = ImGui::GetTime();
  const bool running = ctx.state.runner && ctx.state.runner->running();
  if (ctx.snap.version != c.version && s.has_estimate() &&
      (!running || now - st.refreshed_at > 0.5)) {
    refresh(c, s, ctx.snap.version, st.top_k);
    st.refreshed_at = now;
  }
  if (!s.algorithm().info(s.scenario()).supports(pg::Analysis::kImportance)) {
    ImGui::TextWrapped(
        "This view shows the importance weights of the off-policy algorithm (algorithm.name = "
        "off-policy). Open off-policy-gridworld or off-policy-corridor.");
    return;
  }
  if (!c.c.available) {
    ImGui::TextDisabled(
        "Waiting for the first complete batch and its estimate (step to the estimate phase).");
    return;
  }
  const pg::ImportanceComparison& r = c.c;
  const float fs = ImGui::GetFontSize();
  const float spacing = ImGui::GetStyle().ItemSpacing.x;

  // Header: what sampled the batch and how the weights enter.
  ImGui::TextWrapped("Iteration %d batch of N = %d episodes.  %s.", c.iteration, r.N,
                     c.behaviour.c_str());
  ImGui::TextWrapped(
      "ρ_it = π_θ(a_it|s_it) / b(a_it|s_it).  %s weighting:  %s%s", r.weighting.c_str(),
      weighting_formula(r.weighting),
      r.truncate > 0 ? ("   (each weight capped at c̄ = " + fmt("%.3g", r.truncate) + ")").c_str()
                     : "");

  // Wide: the log-weights and the ESS side by side above the parameters' bars. Narrow (presenter
  // scale, a small window): one column. Plots keep a readable height; the body scrolls where the
  // view is shorter.
  const bool one_column = ImGui::GetContentRegionAvail().x < fs * 48.0f;
  const float min_plot = fs * 12.0f;
  begin_view_body("importance_body",
                  one_column ? min_plot * 2.0f + fs * 18.0f : min_plot * 2.0f + fs * 2.0f);
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float top_h =
      one_column ? std::max(min_plot, avail.x * 0.45f) : std::max(min_plot, avail.y * 0.5f);
  const float left_w = one_column ? avail.x : (avail.x - spacing) * 0.56f;
  // Legends cover small plots: a colour key above them instead.
  const bool legends = top_h > fs * 20.0f;

  // Per-trajectory log-weights.
  const ImU32 up_color = IM_COL32(110, 170, 235, 255), down_color = IM_COL32(235, 140, 90, 255);
  ImGui::BeginGroup();
  if (!legends) {
    ImGui::TextColored(ImColor(up_color), "■ W_i > 1: up-weighted");
    same_line_if_fits(ImGui::CalcTextSize("■ W_i < 1: down-weighted").x, fs);
    ImGui::TextColored(ImColor(down_color), "■ W_i < 1: down-weighted");
  }
  if (plot::BeginPlot("Per-trajectory log-weight  log W_i = Σ_t log ρ_it", ImVec2(left_w, top_h),
                      legends ? 0 : plot::PlotFlags_NoLegend)) {
    plot::SetupAxes("trajectory i", "log W_i", plot::AxisFlags_None, plot::AxisFlags_IncludeZero);
    plot::SetNextItemColor(up_color);
    plot::PlotBars("W_i > 1: up-weighted", c.idx.data(), c.up.data(), r.N, 0.8);
    plot::SetNextItemColor(down_color);
    plot::PlotBars("W_i < 1: down-weighted", c.idx.data(), c.down.data(), r.N, 0.8);
    plot::PlotHLine("##zero", 0.0);
    plot::EndPlot();
  }
  ImGui::EndGroup();
  if (!one_column) ImGui::SameLine(0, spacing);
  // Beside the plot a child of its height (it scrolls if the text needs more); in the column,
  // inline.
  if (!one_column) ImGui::BeginChild("importance_side", ImVec2(0, top_h), false);
  {
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextUnformatted("Effective sample size  ESS = (Σ_i W_i)² / Σ_i W_i²");
    ImGui::PopTextWrapPos();
    ImGui::SetWindowFontScale(1.6f);
    ImGui::Text("%.2f of %d", r.ess, r.N);
    ImGui::SetWindowFontScale(1.0f);
    ImGui::ProgressBar(static_cast<float>(std::clamp(r.ess_fraction, 0.0, 1.0)),
                       ImVec2(-1, fs * 1.2f), (fmt("%.1f%% of N", 100.0 * r.ess_fraction)).c_str());
    double lo = 0, hi = 0;
    if (!r.log_w.empty()) {
      lo = *std::min_element(r.log_w.begin(), r.log_w.end());
      hi = *std::max_element(r.log_w.begin(), r.log_w.end());
    }
    ImGui::TextWrapped("log W_i from %.3g to %.3g  (W from %.3g to %.3g)", lo, hi, std::exp(lo),
                       std::exp(hi));
    ImGui::Spacing();
    ImGui::TextWrapped("Gradient estimates at θ (the target):");
    draw_table(r);
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyle().Colors[ImGuiCol_TextDisabled]);
    ImGui::TextWrapped(
        "ĝ_IS: this batch (sampled by b) re-weighted to π_θ.  ĝ: REINFORCE on N fresh episodes "
        "from π_θ on the same random streams.  ESS near N: b is close to π_θ and the batch is "
        "worth N on-policy episodes; ESS far below N: a few episodes carry the whole estimate.");
    ImGui::PopStyleColor();
  }
  if (!one_column) ImGui::EndChild();

  // Top-k parameters.
  const int K = static_cast<int>(r.top.size());
  const std::string title = "Top " + std::to_string(K) + " parameters by " +
                            (r.exact.size() ? std::string("|∇J|") : std::string("|on-policy ĝ|")) +
                            ": off-policy vs on-policy vs exact";
  ImGui::SetNextItemWidth(fs * 8);
  if (ImGui::SliderInt("parameters shown", &st.top_k, 4, 24)) c.version = ~0ULL;
  const char* names[3] = {"off-policy ĝ_IS", "on-policy ĝ", "exact ∇J"};
  const float bars_h = std::max(min_plot, ImGui::GetContentRegionAvail().y);
  if (bars_h < fs * 20.0f)
    for (int k = 0; k < (r.exact.size() ? 3 : 2); ++k) {
      char key[64];
      std::snprintf(key, sizeof key, "■ %s", names[k]);
      if (k > 0) same_line_if_fits(ImGui::CalcTextSize(key).x, fs);
      ImGui::TextColored(ImColor(plot::GetPaletteColor(k)), "%s", key);
    }
  const float bars_w = ImGui::GetContentRegionAvail().x;
  if (plot::BeginPlot(title.c_str(),
                      ImVec2(bars_w, std::max(min_plot, ImGui::GetContentRegionAvail().y)),
                      bars_h < fs * 20.0f ? plot::PlotFlags_NoLegend : 0)) {
    plot::SetupAxes("parameter (tabular: observation, action)", "∂J/∂θ",
                    plot::AxisFlags_NoTickLabels, plot::AxisFlags_IncludeZero);
    plot::SetupAxisLimits(plot::Axis::X, -0.7, K - 0.3, ImGuiCond_Always);
    plot::PlotBars(names[0], c.gx_off.data(), c.g_off.data(), K, 0.25);
    plot::PlotBars(names[1], c.gx_on.data(), c.g_on.data(), K, 0.25);
    if (r.exact.size()) plot::PlotBars(names[2], c.gx_exact.data(), c.g_exact.data(), K, 0.25);
    const plot::Limits lim = plot::GetPlotLimits();
    // Every label where they fit side by side, else every stride-th (the first always); hovering a
    // bar names its parameter.
    float widest = 0.0f;
    for (const std::string& l : c.param_labels)
      widest = std::max(widest, ImGui::CalcTextSize(l.c_str()).x);
    const float slot = (bars_w - fs * 5.0f) / static_cast<float>(std::max(1, K));
    const int stride =
        std::max(1, static_cast<int>(std::ceil((widest + fs) / std::max(1.0f, slot))));
    for (int j = 0; j < K; j += stride)
      plot::PlotText(c.param_labels[j].c_str(), j, lim.y_min, ImVec2(0, -fs * 0.7f));
    plot::PlotHLine("##zero", 0.0);
    if (plot::IsPlotHovered()) {
      const int j = static_cast<int>(std::lround(plot::GetPlotMousePos().x));
      if (j >= 0 && j < K)
        ImGui::SetTooltip("%s\noff-policy ĝ_IS %+.4g\non-policy ĝ %+.4g\nexact ∇J %+.4g",
                          c.param_labels[j].c_str(), c.g_off[j], c.g_on[j], c.g_exact[j]);
    }
    plot::EndPlot();
  }
  ImGui::EndChild();  // importance_body
}

}  // namespace pglab::gui
