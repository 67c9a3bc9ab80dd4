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
#include "env/tabular_model.h"
#include "gui/layout.h"
#include "gui/plot/plot.h"
#include "gui/views/batch_on_show.h"
#include "gui/views/env_draw.h"
#include "gui/views/env_renderer.h"
#include "gui/views/keyed_job.h"
#include "gui/views/view_states.h"
#include "gui/views/views.h"
#include "lab/importance_compare.h"
#include "lab/importance_inspect.h"
#include "policy/tabular_softmax.h"
#include "util/cancel.h"
#include "util/error.h"
#include "util/text.h"

namespace pglab::gui {

struct ImportanceViewCache {
  uint64_t version = ~0ULL;
  BatchOnShow shown;  // the batch compared (kept while the next one is being collected)
  pg::ImportanceComparison c;
  int iteration = 0;
  std::string behaviour;  // "b = π at θ of iteration 3 (lag 2)" / "b = fixed logits [...]"
  std::vector<std::string> param_labels;  // per top-k entry
  std::vector<double> idx, up, down;      // log-weight bars: trajectory index, split by sign
  std::vector<double> gx_off, gx_on, gx_exact, g_off, g_on, g_exact;
  std::string error;  // the comparison failed (its fresh batch outgrew the memory budget): why
};

// One inspection of a painted b (K batches: up to ~1.5 s on four rooms at N = 64, K = 400), on a
// background thread so dragging a slider or painting never stalls the window.
struct ImportancePaintResult {
  bool valid = false;
  std::string error;  // an InputError's message (the tab shows it, the app stays up)
  pg::ImportanceInspection r;
  std::vector<double> idx, up, down;  // batch 0's log-weight bars
};

struct ImportancePaintCache {
  KeyedJob<ImportancePaintResult> job;  // key: the snapshot's version and the paint's edits
};

namespace {

constexpr int kSlotPaint = 10;  // the paint tab's framebuffer in the EnvRenderer
constexpr float kDirX[4] = {0.0f, 1.0f, 0.0f, -1.0f};  // gridworld actions: up, right, down, left
constexpr float kDirY[4] = {-1.0f, 0.0f, 1.0f, 0.0f};

// The bar plots' series: idx[i] = i, log W_i in up (≥ 0) or down (< 0), NaN in the other. A log
// weight within 1e-12 of 0 is a ratio of 1 up to rounding (b = π computed by two softmaxes) and
// is drawn as 0, so an all-ones batch does not show an axis of ±1e-12.
void split_log_weights(const std::vector<double>& log_w, int N, std::vector<double>& idx,
                       std::vector<double>& up, std::vector<double>& down) {
  idx.resize(N);
  up.assign(N, NAN);
  down.assign(N, NAN);
  for (int i = 0; i < N; ++i) {
    idx[i] = i;
    const double v = std::abs(log_w[i]) <= 1e-12 ? 0.0 : log_w[i];
    (v >= 0 ? up[i] : down[i]) = v;
  }
}

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

void refresh(ImportanceViewCache& c, const BatchOnShow& b, int top_k) {
  c.shown = b;
  const pg::Session& s = *b.session;
  c.error.clear();
  try {
    c.c = pg::compare_importance(s, top_k);
  } catch (const std::exception& e) {
    // The fresh on-policy batch can outgrow the memory budget (a world without a step limit, a
    // policy that rarely ends an episode): the view says so, the window stays up.
    c.c = {};
    c.error = pg::printable(e.what(), kMaxShownError);
    return;
  }
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
  split_log_weights(c.c.log_w, c.c.N, c.idx, c.up, c.down);
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
  if (w == "trajectory") return "ψ'ᵢₜ = Wᵢ ψᵢₜ,  Wᵢ = Πₜ ρᵢₜ";
  if (w == "per-step") return "ψ'ᵢₜ = ρᵢₜ ψᵢₜ   (approximation: biased)";
  return "ψ'ᵢₜ = wₜ (Σₜ' cₜₜ' ρ₀:max(t,t') rₜ' − ρ₀:ₜ bₜ),  ρ₀:ₜ = Πₖ≤t ρₖ";
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
    cell(norm, "%#.4g");  // 1.9997 reads 2.000 beside 1.874, not "2"
    cell(cos_exact, "%+.3f");
    cell(cos_on, "%+.3f");
  };
  row("ĝ_IS  off-policy", c.norm_off, c.cos_off_exact, c.cos_off_on);
  row("ĝ  on-policy", c.norm_on, c.cos_on_exact, 1.0);
  row("∇J  exact", c.norm_exact, c.exact.size() ? 1.0 : NAN, c.cos_on_exact);
  ImGui::EndTable();
}

void draw_batch(ViewContext& ctx, ImportanceViewCache& c);
void draw_paint(ViewContext& ctx, ImportancePaintState& p);

}  // namespace

void DrawImportanceView(ViewContext& ctx) {
  const pg::Session& s = *ctx.snap.session;
  ImportanceViewState& st = ctx.state.views.importance;
  if (!st.cache) st.cache = std::make_shared<ImportanceViewCache>();
  ImportanceViewCache& c = *st.cache;
  const double now = ImGui::GetTime();
  const bool running = ctx.state.runner && ctx.state.runner->running();
  if (ctx.snap.version != c.version && (!running || now - st.refreshed_at > 0.5)) {
    c.version = ctx.snap.version;
    // Mid-batch: the last complete batch; none kept: the one on show stays while it is this
    // run's (a reset, an edit or time travel back drops it).
    const BatchOnShow b = batch_on_show(ctx.snap);
    if (b.session && b.session != c.shown.session) {
      refresh(c, b, st.top_k);
      st.refreshed_at = now;
    } else if (!b.session && c.shown.session && !of_live_run(*c.shown.session, s)) {
      c.shown = {};
    }
  }
  if (!s.algorithm().info(s.scenario()).supports(pg::Analysis::kImportance)) {
    text_wrapped_at_spacesf(
        "This view shows the importance weights of the off-policy algorithm (algorithm.name = "
        "off-policy). Open off-policy-gridworld or off-policy-corridor.");
    return;
  }
  ImportancePaintState& p = st.paint;
  if (!ImGui::BeginTabBar("importance_tabs")) return;
  const bool want_paint = p.open == 1 && p.shown != 1;
  const bool want_batch = p.open == 0 && p.shown != 0;
  if (ImGui::BeginTabItem("This batch", nullptr, want_batch ? ImGuiTabItemFlags_SetSelected : 0)) {
    p.open = 0;
    p.shown = 0;
    draw_batch(ctx, c);
    ImGui::EndTabItem();
  }
  if (ImGui::BeginTabItem("Paint a behaviour b", nullptr,
                          want_paint ? ImGuiTabItemFlags_SetSelected : 0)) {
    p.open = 1;
    p.shown = 1;
    draw_paint(ctx, p);
    ImGui::EndTabItem();
  }
  ImGui::EndTabBar();
}

namespace {

void draw_batch(ViewContext& ctx, ImportanceViewCache& c) {
  ImportanceViewState& st = ctx.state.views.importance;
  if (!c.error.empty()) {
    ImGui::TextColored(ImVec4(1.0f, 0.45f, 0.4f, 1.0f), "Cannot compare this batch:");
    text_wrapped_at_spaces(c.error.c_str());
    return;
  }
  if (!c.shown.session || !c.c.available) {
    draw_no_batch_note(*ctx.snap.session);
    return;
  }
  const pg::ImportanceComparison& r = c.c;
  const float fs = ImGui::GetFontSize();
  const float spacing = ImGui::GetStyle().ItemSpacing.x;

  // Header: what sampled the batch and how the weights enter.
  text_wrapped_at_spacesf("Iteration %d's batch of N = %s.  %s.", c.iteration,
                          pg::counted(r.N, "episode").c_str(), c.behaviour.c_str());
  draw_previous_batch_note(c.shown, *ctx.snap.session);
  // (A short view folds the formulas to one line: layout.h short_view().)
  const std::string formulas = formatted(
      "ρᵢₜ = π_θ(aᵢₜ|sᵢₜ) / b(aᵢₜ|sᵢₜ).  %s weighting:  %s%s", r.weighting.c_str(),
      weighting_formula(r.weighting),
      r.truncate > 0 ? ("   (each weight capped at c̄ = " + fmt("%.3g", r.truncate) + ")").c_str()
                     : "");
  explanation(short_view(ctx.state.layout_ui), ("ρ and the " + r.weighting + " weighting").c_str(),
              formulas.c_str());

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
    ImGui::TextColored(ImColor(up_color), "■ Wᵢ > 1: up-weighted");
    same_line_if_fits(ImGui::CalcTextSize("■ Wᵢ < 1: down-weighted").x, fs);
    ImGui::TextColored(ImColor(down_color), "■ Wᵢ < 1: down-weighted");
  }
  if (plot::BeginPlot("Per-trajectory log-weight  log Wᵢ = Σₜ log ρᵢₜ", ImVec2(left_w, top_h),
                      legends ? 0 : plot::PlotFlags_NoLegend)) {
    plot::SetupAxes("trajectory i", "log Wᵢ", plot::AxisFlags_Integer, plot::AxisFlags_IncludeZero);
    plot::SetNextItemColor(up_color);
    plot::PlotBars("Wᵢ > 1: up-weighted", c.idx.data(), c.up.data(), r.N, 0.8);
    plot::SetNextItemColor(down_color);
    plot::PlotBars("Wᵢ < 1: down-weighted", c.idx.data(), c.down.data(), r.N, 0.8);
    plot::PlotHLine("##zero", 0.0);
    plot::EndPlot();
  }
  ImGui::EndGroup();
  if (!one_column) ImGui::SameLine(0, spacing);
  // Beside the plot a child of its height (it scrolls if the text needs more); in the column,
  // inline.
  if (!one_column) ImGui::BeginChild("importance_side", ImVec2(0, top_h), false);
  {
    text_wrapped_at_spaces("Effective sample size  ESS = (Σᵢ Wᵢ)² / Σᵢ Wᵢ²");
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
    text_wrapped_at_spacesf("log Wᵢ from %.3g to %.3g  (W from %.3g to %.3g)", lo, hi, std::exp(lo),
                            std::exp(hi));
    ImGui::Spacing();
    text_wrapped_at_spacesf("Gradient estimates at θ (the target):");
    draw_table(r);
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyle().Colors[ImGuiCol_TextDisabled]);
    text_wrapped_at_spacesf(
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
                            ": off-policy vs on-policy vs exact###importance_top";
  ImGui::SetNextItemWidth(fs * 8);
  if (ImGui::SliderInt("parameters shown", &st.top_k, 4, 24)) c.version = ~0ULL, c.shown = {};
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

// On the job's thread: only what it was given (a copy of the session, the paint's settings).
ImportancePaintResult inspect_paint(const pg::Session& s, const pg::BehaviourPaint& paint, int N,
                                    int K, std::atomic<int>& progress,
                                    const std::atomic<bool>& cancel) {
  ImportancePaintResult c;
  try {
    c.r = pg::inspect_importance(s, paint, N, K, &cancel, &progress);
    c.valid = true;
  } catch (const pg::Cancelled&) {
    c.error = "cancelled";  // never shown: a cancelled job's result is dropped
    return c;
  } catch (const std::exception& e) {  // InputError: a painted row b cannot be
    c.error = e.what();
    return c;
  }
  split_log_weights(c.r.log_w, static_cast<int>(c.r.log_w.size()), c.idx, c.up, c.down);
  return c;
}

// Left click on a cell's arrow raises b(a|s) by 0.1, right click lowers it (to 0: a coverage
// violation where π > 0); core renormalises the row.
void paint_click(ImportancePaintState& p, const pg::ImportanceInspection& r, int obs, int a,
                 bool raise) {
  const int A = static_cast<int>(r.behaviour.cols());
  std::vector<double> row(A);
  const auto painted = p.rows.find(obs);
  if (painted != p.rows.end() && static_cast<int>(painted->second.size()) == A) {
    // The paint as it stands (the inspection shown may still be of the paint before the last
    // click while the next one computes), normalised as core does.
    double sum = 0.0;
    for (double x : painted->second) sum += x;
    for (int k = 0; k < A; ++k) row[k] = painted->second[k] / sum;
  } else {
    for (int k = 0; k < A; ++k) row[k] = r.behaviour(obs, k);
  }
  row[a] = raise ? row[a] + 0.1 : std::max(0.0, row[a] - 0.1);
  if (row[a] < 1e-9) row[a] = 0.0;
  double sum = 0.0;
  for (double x : row) sum += x;
  if (!(sum > 0.0)) return;  // b must act somewhere: keep the last action
  p.rows[obs] = row;
  ++p.edits;
}

void draw_b_on_grid(ViewContext& ctx, ImportancePaintState& p, const ImportancePaintResult& c,
                    const EnvPick& pick) {
  const pg::Session& s = *ctx.snap.session;
  const pg::GridLayout& grid = *s.env().grid();
  const pg::TabularModel& model = *s.env().model();
  const pg::ImportanceInspection& r = c.r;
  if (pick.cell <= 0.0f || !c.valid) return;
  const int R = grid.rows(), C = grid.cols(), A = static_cast<int>(r.behaviour.cols());
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float cell = pick.cell, fs = ImGui::GetFontSize();
  const float thick = std::clamp(cell * 0.06f, 1.5f, fs * 0.4f);
  std::vector<char> violated(r.behaviour.rows(), 0);
  for (const auto& [o, a] : r.violations) violated[o] = 1;
  for (int row = 0; row < R; ++row)
    for (int col = 0; col < C; ++col) {
      const int st = grid.state_of_cell(row, col);
      if (st < 0 || model.terminal(st)) continue;
      const int o = model.obs_of_state(st);
      const ImVec2 ctr(pick.grid_min.x + (col + 0.5f) * cell,
                       pick.grid_min.y + (row + 0.5f) * cell);
      const bool painted = p.rows.count(o) > 0;
      if (violated[o]) {
        const ImVec2 p0(pick.grid_min.x + col * cell, pick.grid_min.y + row * cell);
        dl->AddRect(ImVec2(p0.x + thick, p0.y + thick),
                    ImVec2(p0.x + cell - thick, p0.y + cell - thick), IM_COL32(235, 60, 60, 255),
                    0.0f, 0, thick * 1.5f);
      }
      for (int a = 0; a < std::min(A, 4); ++a) {
        const double b = r.behaviour(o, a);
        if (b == 0.0 && r.target(o, a) > 0.0) {
          // π acts here, b never does: a red cross where the arrow would be.
          const ImVec2 q(ctr.x + kDirX[a] * cell * 0.3f, ctr.y + kDirY[a] * cell * 0.3f);
          const float h = cell * 0.07f;
          dl->AddLine(ImVec2(q.x - h, q.y - h), ImVec2(q.x + h, q.y + h),
                      IM_COL32(235, 60, 60, 255), thick);
          dl->AddLine(ImVec2(q.x - h, q.y + h), ImVec2(q.x + h, q.y - h),
                      IM_COL32(235, 60, 60, 255), thick);
          continue;
        }
        // From the centre dot's edge: b(a|s) = 1 reaches 0.44 of the cell from the centre.
        const float r0 = thick * 1.6f;
        const float len = r0 + static_cast<float>(b) * (cell * 0.44f - r0);
        if (b < 0.07) continue;
        const ImU32 ink = painted ? IM_COL32(255, 170, 60, 255) : IM_COL32(120, 200, 255, 255);
        const ImVec2 tip(ctr.x + kDirX[a] * len, ctr.y + kDirY[a] * len);
        const float head = std::min(len * 0.5f, cell * 0.14f);
        const ImVec2 base(tip.x - kDirX[a] * head, tip.y - kDirY[a] * head);
        // On a dark outline first (`grow` px wider): light blue on the value map's blue cells
        // was hard to see.
        auto arrow = [&](ImU32 colour, float grow) {
          const float w = head * 0.6f + grow;
          const ImVec2 t(tip.x + kDirX[a] * grow, tip.y + kDirY[a] * grow);
          dl->AddLine(ctr, base, colour, thick + 2.0f * grow);
          dl->AddTriangleFilled(t, ImVec2(base.x - kDirY[a] * w, base.y + kDirX[a] * w),
                                ImVec2(base.x + kDirY[a] * w, base.y - kDirX[a] * w), colour);
        };
        arrow(IM_COL32(20, 20, 30, 210), std::max(1.0f, thick * 0.6f));
        arrow(ink, 0.0f);
      }
      dl->AddCircleFilled(ctr, thick * 1.6f, IM_COL32(20, 20, 30, 210));
      dl->AddCircleFilled(ctr, thick,
                          painted ? IM_COL32(255, 170, 60, 255) : IM_COL32(120, 200, 255, 255));
    }

  // Clicks: the cell under the mouse, the arrow by the side of the cell's centre it is on.
  const ImVec2 after = ImGui::GetCursorScreenPos();
  ImGui::SetCursorScreenPos(pick.grid_min);
  ImGui::InvisibleButton("##paint_b", ImVec2(cell * C, cell * R),
                         ImGuiButtonFlags_MouseButtonLeft | ImGuiButtonFlags_MouseButtonRight);
  const bool hovered = ImGui::IsItemHovered();
  ImGui::SetCursorScreenPos(after);
  if (!hovered) return;
  const ImVec2 m = ImGui::GetIO().MousePos;
  const int col = static_cast<int>(std::floor((m.x - pick.grid_min.x) / cell));
  const int row = static_cast<int>(std::floor((m.y - pick.grid_min.y) / cell));
  if (row < 0 || row >= R || col < 0 || col >= C) return;
  const int st = grid.state_of_cell(row, col);
  if (st < 0 || model.terminal(st)) return;
  const int o = model.obs_of_state(st);
  const float dx = m.x - (pick.grid_min.x + (col + 0.5f) * cell);
  const float dy = m.y - (pick.grid_min.y + (row + 0.5f) * cell);
  const int a = std::abs(dx) > std::abs(dy) ? (dx > 0 ? 1 : 3) : (dy > 0 ? 2 : 0);
  if (a >= A) return;
  ImGui::SetTooltip("state %d, %s\nb = %.3f   π = %.3f\nleft click: raise, right click: lower", o,
                    s.env().action_label(a).c_str(), r.behaviour(o, a), r.target(o, a));
  if (ImGui::IsMouseClicked(ImGuiMouseButton_Left)) paint_click(p, r, o, a, true);
  if (ImGui::IsMouseClicked(ImGuiMouseButton_Right)) paint_click(p, r, o, a, false);
}

void draw_paint_table(const pg::ImportanceInspection& r) {
  ImGuiTableFlags flags =
      ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp;
  // Narrow: fixed-fit columns that scroll sideways rather than cut numbers.
  const ImVec2 outer = fit_table(&flags, 4, 5.5f, 4);
  if (!ImGui::BeginTable("paint_table", 4, flags, outer)) return;
  table_column("estimator", 1.4f);
  table_column("‖bias‖ ± s.e.", 1.3f);
  table_column("variance", 1.0f);
  table_column("MSE", 1.0f);
  table_headers_wrapped();
  for (const pg::IsEstimatorStats* e : {&r.ordinary, &r.weighted, &r.per_decision}) {
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(e->name);
    ImGui::TableNextColumn();
    // Grey within 3 s.e. of 0, as the variance view: noise alone gives a ‖bias‖ of about 1 s.e.
    if (e->bias_norm > 3.0 * e->bias_stderr)
      ImGui::Text("%.3g ± %.2g", e->bias_norm, e->bias_stderr);
    else
      ImGui::TextDisabled("%.3g ± %.2g", e->bias_norm, e->bias_stderr);
    ImGui::TableNextColumn();
    ImGui::Text("%.4g", e->variance);
    ImGui::TableNextColumn();
    ImGui::Text("%.4g", e->mse);
  }
  ImGui::EndTable();
}

void draw_paint(ViewContext& ctx, ImportancePaintState& p) {
  const pg::Session& s = *ctx.snap.session;
  if (!s.env().grid() || !s.env().model() ||
      s.behaviour_policy().kind() != pg::PolicyKind::kTabular) {
    text_wrapped_at_spacesf(
        "Painting b(a|s) needs a gridworld and a tabular policy. Open off-policy-gridworld.");
    return;
  }
  if (!p.cache) p.cache = std::make_shared<ImportancePaintCache>();
  const bool running = ctx.state.runner && ctx.state.runner->running();
  p.cache->job.update(mix_key(ctx.snap.version, static_cast<uint64_t>(p.edits)), running, 0.5,
                      [&](uint64_t) {
                        auto session = std::make_shared<const pg::Session>(s);
                        pg::BehaviourPaint paint;
                        paint.temperature = p.temperature;
                        paint.rows = p.rows;
                        return [session, paint, N = p.episodes, K = p.batches](
                                   std::atomic<int>& progress, const std::atomic<bool>& cancel) {
                          return inspect_paint(*session, paint, N, K, progress, cancel);
                        };
                      });
  const ImportancePaintResult* shown = p.cache->job.shown();
  if (!shown) {
    ImGui::TextDisabled("computing K batches from b…");
    return;
  }
  const ImportancePaintResult& c = *shown;
  const float fs = ImGui::GetFontSize();
  const float spacing = ImGui::GetStyle().ItemSpacing.x;
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float hpw = EnvRenderer::height_per_width(s.env());
  // Wide: the map beside its controls and numbers. Narrow (a lesson beside the lab, presenter
  // scale): the map across the view with the rest below it, all in one scrolling body.
  const bool stacked = avail.x < fs * 36.0f;
  ImVec2 wanted;
  if (stacked) {
    begin_view_body("paint_body", avail.x * hpw + fs * 40.0f);
    // The grid most of the view's height (the controls below peek in), its title and colour key
    // under it; the 40% rule may grow it.
    const float x = ImGui::GetContentRegionAvail().x;
    const float grid_h = std::min(x * hpw, std::max(avail.y * 0.6f, fs * 8.0f));
    wanted = ImVec2(x, grid_h + envdraw::grid_chrome_height(x, fs, /*agent_line=*/false));
  } else {
    float w = std::min(avail.x * 0.48f, hpw > 0.0f ? avail.y / hpw : avail.x * 0.48f);
    w = std::max(w, fs * 8.0f);
    wanted = ImVec2(w, hpw > 0.0f ? w * hpw : avail.y);
  }
  ImGui::BeginGroup();
  EnvDrawOptions o;
  o.arrows = false;
  o.editing = true;
  const EnvPick pick =
      ctx.env.draw(s, o, EnvRenderer::box_for(s.env(), ctx.state.layout_ui.view_area, wanted),
                   ctx.theme, kSlotPaint);
  draw_b_on_grid(ctx, p, c, pick);
  ImGui::EndGroup();
  if (!stacked) {
    ImGui::SameLine(0, spacing);
    ImGui::BeginChild("paint_side", ImVec2(0, 0), false);
  }
  text_wrapped_at_spacesf(
      "b(a|s): blue arrows softmax(θ/T) — π tempered; orange: painted cells. Click an arrow to "
      "raise b(a|s), right-click to lower it; red: b = 0 < π (coverage violation).");
  // Sliders 10 em wide, narrower where their label would not fit beside them.
  const auto slider_width = [&](const char* label) {
    ImGui::SetNextItemWidth(std::clamp(ImGui::GetContentRegionAvail().x -
                                           ImGui::CalcTextSize(label).x -
                                           ImGui::GetStyle().ItemInnerSpacing.x,
                                       fs * 5.0f, fs * 10.0f));
  };
  slider_width("temperature T");
  if (ImGui::SliderFloat("temperature T", &p.temperature, 0.1f, 10.0f, "%.2f",
                         ImGuiSliderFlags_Logarithmic))
    ++p.edits;
  slider_width("episodes N");
  if (ImGui::SliderInt("episodes N", &p.episodes, 2, 64)) ++p.edits;
  slider_width("batches K");
  if (ImGui::SliderInt("batches K", &p.batches, 10, 400)) ++p.edits;
  if (ImGui::Button(("Clear painted cells (" + std::to_string(p.rows.size()) + ")").c_str())) {
    p.rows.clear();
    ++p.edits;
  }
  if (!c.valid) {
    text_wrapped_at_spacesf("%s", c.error.c_str());
    ImGui::EndChild();
    return;
  }
  const pg::ImportanceInspection& r = c.r;
  text_wrapped_at_spacesf(
      "K = %d batches of N = %d from b;  ‖∇J‖ = %.4g (exact);  ESS: batch 0 %.2f "
      "of %d, mean %.2f%s",
      r.K, r.N, r.exact.norm(), r.ess_first, r.N, r.ess_mean,
      p.cache->job.busy() ? "  (computing the new paint…)" : "");
  draw_paint_table(r);
  if (r.violations.empty()) {
    note_wrapped("No coverage violations: b > 0 wherever π > 0.");
  } else {
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.95f, 0.35f, 0.35f, 1.0f));
    text_wrapped_at_spacesf("%zu coverage violations (b = 0 < π): every estimator is biased.",
                            r.violations.size());
    ImGui::PopStyleColor();
  }
  if (r.cut_episodes > 0) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.95f, 0.35f, 0.35f, 1.0f));
    text_wrapped_at_spacesf("%s", r.cut_note().c_str());
    ImGui::PopStyleColor();
  }
  const int N = static_cast<int>(r.log_w.size());
  const float plot_h = std::max(ImGui::GetContentRegionAvail().y, fs * 9.0f);
  if (plot::BeginPlot("Batch 0: log Wᵢ", ImVec2(-1, plot_h))) {
    plot::SetupAxes("trajectory i", "log Wᵢ", plot::AxisFlags_Integer, plot::AxisFlags_IncludeZero);
    plot::SetNextItemColor(IM_COL32(110, 170, 235, 255));
    plot::PlotBars("Wᵢ > 1", c.idx.data(), c.up.data(), N, 0.8);
    plot::SetNextItemColor(IM_COL32(235, 140, 90, 255));
    plot::PlotBars("Wᵢ < 1", c.idx.data(), c.down.data(), N, 0.8);
    plot::PlotHLine("##zero", 0.0);
    plot::EndPlot();
  }
  ImGui::EndChild();
}

}  // namespace

}  // namespace pglab::gui
