// GRPO groups: each prompt's G completions (tokens as chips), their verifier rewards, the group's
// mean and std, each completion's group-relative advantage Â as a signed bar, groups without
// reward spread flagged; beside them the sampled k1/k2/k3 estimates of KL(π ‖ π_ref) against the
// exact visitation-weighted KL, and the success probability over iterations. Every number comes
// from core (Algorithm::group_record(), the session's history and exact oracle); this file only
// draws.
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "algo/algorithm.h"
#include "env/env.h"
#include "gui/compare/compare.h"
#include "gui/panels/panels.h"
#include "gui/plot/plot.h"
#include "gui/views/batch_on_show.h"
#include "gui/views/change_marks.h"
#include "gui/views/marks.h"
#include "gui/views/view_states.h"
#include "gui/views/views.h"
#include "io/scenario.h"

namespace pglab::gui {

// The last estimated batch, as text and numbers: kept while the next batch is being collected.
struct GrpoViewCache {
  uint64_t version = ~0ULL;
  bool valid = false;
  BatchOnShow shown;  // the batch whose groups are on show
  int iteration = -1;
  int prompts = 0, group_size = 0, max_tokens = 0;
  double kl_coef = 0, eps = 0, clip_eps = 0;
  bool std_normalize = true, leave_one_out = false;
  int successes = 0, completions = 0;  // of the batch (the success rate's counts)
  double batch_success = 0, exact_J = NAN, zero_spread = 0, clip_fraction = NAN;
  struct Row {
    std::vector<std::string> tokens;
    double reward = 0, advantage = 0;
  };
  struct Group {
    std::string prompt;
    double mean = 0, std = 0;
    bool zero_spread = false;
    std::vector<Row> rows;
  };
  std::vector<Group> groups;
  double max_abs_adv = 1.0;
  std::vector<double> it, k1, k2, k3, exact, hist_it, hist_J, hist_success;
};

namespace {

ImU32 color_good() {
  return IM_COL32(110, 200, 120, 255);
}
ImU32 color_bad() {
  return IM_COL32(235, 105, 95, 255);
}
ImU32 color_warn() {
  return IM_COL32(240, 180, 70, 255);
}

// The curves: KL to π_ref per iteration and the success probability, from the live session.
void refresh_curves(GrpoViewCache& c, const pg::Session& s) {
  c.it.clear(), c.k1.clear(), c.k2.clear(), c.k3.clear(), c.exact.clear();
  if (const pg::GrpoRecord* grpo = s.algorithm().group_record())
    for (const pg::GrpoKlPoint& p : grpo->kl_history) {
      c.it.push_back(p.iteration);
      c.k1.push_back(p.k1);
      c.k2.push_back(p.k2);
      c.k3.push_back(p.k3);
      c.exact.push_back(p.exact);
    }
  c.hist_it.clear(), c.hist_J.clear(), c.hist_success.clear();
  for (const auto& r : s.history().summary(1500)) {
    c.hist_it.push_back(r.iteration);
    c.hist_J.push_back(r.exact_J);
    c.hist_success.push_back(r.return_mean);  // reward 0/1 per episode: the batch's success rate
  }
}

// The groups of `b`'s batch (the live one's, or the last complete one's while the next is being
// collected): its group_record() holds the completions of the batch the algorithm estimated.
void refresh_groups(GrpoViewCache& c, const BatchOnShow& b) {
  c.shown = b;
  c.valid = false;
  if (!b.session) return;
  const pg::Session& s = *b.session;
  const pg::GrpoRecord* grpo = s.algorithm().group_record();
  const pg::Batch& batch = s.batch();
  if (!grpo || batch.size() != static_cast<int>(grpo->completions.size())) return;
  const pg::GrpoSettings& settings = s.scenario().grpo;
  c.prompts = settings.prompts;
  c.group_size = settings.group_size;
  c.kl_coef = settings.kl_coef;
  c.clip_eps = settings.clip_eps;
  c.eps = grpo->eps;
  c.std_normalize = settings.std_normalize;
  c.leave_one_out = settings.leave_one_out;
  c.max_tokens = s.env().step_limit();  // a completion's tokens, EOS included
  const auto& comp = grpo->completions;
  c.valid = true;
  c.iteration = grpo->iteration;
  c.exact_J = s.batch_exact() ? s.batch_exact()->J : NAN;
  c.clip_fraction = s.update_stats().get("clip_fraction");  // NaN until this batch's update ran
  c.groups.clear();
  c.max_abs_adv = 1.0;
  int successes = 0, zero = 0;
  for (const pg::GrpoGroup& g : grpo->groups) {
    GrpoViewCache::Group out;
    // The first state of a completion, in short form, is its prompt ("3+4=").
    out.prompt = s.env().describe_state(nullptr, batch.trajectories[g.first].state[0], false);
    out.mean = g.mean;
    out.std = g.std;
    out.zero_spread = g.zero_spread;
    zero += g.zero_spread ? 1 : 0;
    for (int k = 0; k < c.group_size; ++k) {
      const int i = g.first + k;
      GrpoViewCache::Row row;
      for (int a : batch.trajectories[i].actions) row.tokens.push_back(s.env().action_label(a));
      row.reward = comp[i].reward;
      row.advantage = comp[i].advantage;
      successes += comp[i].reward == 1.0 ? 1 : 0;
      c.max_abs_adv = std::max(c.max_abs_adv, std::abs(row.advantage));
      out.rows.push_back(std::move(row));
    }
    c.groups.push_back(std::move(out));
  }
  c.successes = successes;
  c.completions = static_cast<int>(comp.size());
  c.batch_success = comp.empty() ? 0.0 : static_cast<double>(successes) / comp.size();
  c.zero_spread = c.groups.empty() ? 0.0 : static_cast<double>(zero) / c.groups.size();
}

void refresh(GrpoViewCache& c, const Snapshot& snap) {
  c.version = snap.version;
  const BatchOnShow b = batch_on_show(snap);
  // The live session's batch changes with every snapshot; a kept one only when another is kept.
  if (!b.session || b.session != c.shown.session) refresh_groups(c, b);
  refresh_curves(c, *snap.session);
}

void draw_verdict(ImDrawList* dl, ImVec2 p, float size, bool ok) {
  DrawVerdictMark(dl, p, size, ok, ok ? color_good() : color_bad());
}

void draw_group(const GrpoViewCache& c, const GrpoViewCache::Group& g, int index) {
  const float fs = ImGui::GetFontSize();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImU32 text = ImGui::GetColorU32(ImGuiCol_Text);
  const ImU32 muted = ImGui::GetColorU32(ImGuiCol_TextDisabled);
  const ImU32 chip_bg = ImGui::GetColorU32(ImGuiCol_FrameBg);
  const ImU32 chip_border = ImGui::GetColorU32(ImGuiCol_Border);
  const float width = ImGui::GetContentRegionAvail().x;

  // Off-screen groups only reserve their space (per-frame work ∝ what is visible).
  const float row_h = fs * 1.45f;
  const float group_h = row_h * static_cast<float>(g.rows.size());
  const float line_h = ImGui::GetTextLineHeightWithSpacing();
  if (!ImGui::IsRectVisible(ImVec2(width, group_h + line_h * 2.0f))) {
    ImGui::Dummy(ImVec2(width, group_h + line_h * (g.zero_spread ? 2.0f : 1.0f)));
    ImGui::Spacing();
    return;
  }

  // Header: the prompt, the group's mean and std, and the no-gradient flag.
  // The header's pieces continue the line where they fit, else start the next one.
  // Numbered from 0 as the batch dump's "group" and the inspector's trajectories are.
  ImGui::Text("group %d", index);
  same_line_if_fits(ImGui::CalcTextSize(g.prompt.c_str()).x);
  ImGui::TextColored(ImColor(color_psi()), "%s", g.prompt.c_str());
  char stats[64];
  std::snprintf(stats, sizeof stats, "mean R = %.3f   std R = %.3f", g.mean, g.std);
  same_line_if_fits(ImGui::CalcTextSize(stats).x, fs * 1.2f);
  ImGui::TextDisabled("%s", stats);
  if (g.zero_spread) {
    // Equal rewards: Â = 0 for all G, so only the KL term (β > 0) moves these tokens.
    const char* flag = c.kl_coef > 0 ? "no gradient from this group (Â = 0, KL term only)"
                                     : "no gradient from this group (Â = 0)";
    same_line_if_fits(ImGui::CalcTextSize(flag).x, fs * 1.2f);
    ImGui::PushStyleColor(ImGuiCol_Text, color_warn());
    text_wrapped_at_spacesf("%s", flag);
    ImGui::PopStyleColor();
  }

  // Rows: prompt, chips, verdict, reward, Â bar.
  const float chip_w = fs * 1.5f;
  const float prompt_w = ImGui::CalcTextSize("0+0= ").x;
  const float chips_w = chip_w * c.max_tokens + fs * 0.3f * (c.max_tokens - 1);
  const float verdict_x = prompt_w + chips_w + fs * 1.0f;
  const float reward_x = verdict_x + fs * 1.4f;
  const float value_w = ImGui::CalcTextSize("+0.000").x;
  // Narrow: the verdict mark alone says the reward; its "R = 1" text gives the bar its room.
  const float reward_w = ImGui::CalcTextSize("R = 0").x + fs * 1.2f;
  const bool reward_text = reward_x + reward_w + fs * 5.0f + value_w <= width;
  const float bar_x = reward_text ? reward_x + reward_w : reward_x;
  const float bar_w = std::max(fs * 4.0f, width - bar_x - value_w - fs * 1.0f);
  const ImVec2 top = ImGui::GetCursorScreenPos();
  if (g.zero_spread)
    dl->AddRectFilled(top, ImVec2(top.x + width, top.y + group_h),
                      (color_warn() & 0x00FFFFFF) | (28u << 24), fs * 0.25f);
  // The bar axis: Â = 0 in the middle, ±max|Â| of the batch at the ends.
  const float zero_x = top.x + bar_x + bar_w * 0.5f;
  dl->AddLine(ImVec2(zero_x, top.y), ImVec2(zero_x, top.y + group_h), muted, 1.0f);
  for (size_t k = 0; k < g.rows.size(); ++k) {
    const GrpoViewCache::Row& row = g.rows[k];
    const float y = top.y + row_h * static_cast<float>(k);
    const float cy = y + row_h * 0.5f;
    dl->AddText(ImVec2(top.x, cy - fs * 0.5f), muted, g.prompt.c_str());
    float x = top.x + prompt_w;
    for (const std::string& tok : row.tokens) {
      const ImVec2 a(x, y + row_h * 0.1f), b(x + chip_w, y + row_h * 0.9f);
      dl->AddRectFilled(a, b, chip_bg, fs * 0.25f);
      dl->AddRect(a, b, chip_border, fs * 0.25f);
      const ImVec2 ts = ImGui::CalcTextSize(tok.c_str());
      dl->AddText(ImVec2(x + (chip_w - ts.x) * 0.5f, cy - ts.y * 0.5f), text, tok.c_str());
      x += chip_w + fs * 0.3f;
    }
    draw_verdict(dl, ImVec2(top.x + verdict_x, cy - fs * 0.5f), fs, row.reward == 1.0);
    char buf[32];
    std::snprintf(buf, sizeof buf, "R = %g", row.reward);
    if (reward_text) dl->AddText(ImVec2(top.x + reward_x, cy - fs * 0.5f), text, buf);
    const float len = static_cast<float>(row.advantage / c.max_abs_adv) * bar_w * 0.5f;
    if (row.advantage != 0.0)
      dl->AddRectFilled(ImVec2(std::min(zero_x, zero_x + len), y + row_h * 0.22f),
                        ImVec2(std::max(zero_x, zero_x + len), y + row_h * 0.78f),
                        row.advantage > 0 ? color_good() : color_bad(), fs * 0.1f);
    std::snprintf(buf, sizeof buf, "%+.3f", row.advantage);
    dl->AddText(ImVec2(top.x + bar_x + bar_w + fs * 0.5f, cy - fs * 0.5f),
                row.advantage == 0.0 ? muted : text, buf);
  }
  ImGui::Dummy(ImVec2(width, group_h));
  ImGui::Spacing();
}

}  // namespace

void DrawGrpoView(ViewContext& ctx) {
  const pg::Session& s = *ctx.snap.session;
  GrpoViewState& st = ctx.state.views.grpo;
  if (!st.cache) st.cache = std::make_shared<GrpoViewCache>();
  GrpoViewCache& c = *st.cache;
  if (!s.algorithm().group_record()) {
    note_wrapped(
        "This view shows GRPO's groups of completions; run a scenario with algorithm.name = grpo "
        "(grpo-token-task, grpo-token-task-mlp).");
    return;
  }
  // Refresh on a new snapshot, at most twice a second while training runs.
  const double now = ImGui::GetTime();
  if (ctx.snap.version != c.version &&
      (!ctx.state.runner->running() || now - st.refreshed_at > 0.5)) {
    refresh(c, ctx.snap);
    st.refreshed_at = now;
  }
  const float fs = ImGui::GetFontSize();
  const float spacing = ImGui::GetStyle().ItemSpacing.x;
  // Wide: the groups left of the curves. Narrow (presenter scale, a small window): the groups
  // above the curves in one column that scrolls; each part keeps a readable height.
  const bool one_column = ImGui::GetContentRegionAvail().x < fs * 50.0f;
  const float min_plot = fs * 12.0f;
  begin_view_body("grpo_body",
                  one_column ? fs * 22.0f + 2.0f * (min_plot + spacing) + fs * 3.0f : fs * 20.0f);
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float left_w = one_column ? avail.x : std::max(fs * 26.0f, avail.x * 0.56f);
  const float groups_h = one_column ? std::max(fs * 22.0f, avail.y * 0.75f) : avail.y;

  ImGui::BeginChild("grpo_groups", ImVec2(left_w, groups_h), false);
  if (!c.valid) {
    draw_no_batch_note(s);
  } else {
    // Narrow windows: the header lines wrap instead of clipping, at spaces only (numbers whole).
    text_wrapped_at_spacesf("Iteration %d: %d prompts × G = %d completions each, N = %d",
                            c.iteration, c.prompts, c.group_size, c.prompts * c.group_size);
    draw_previous_batch_note(c.shown, s);
    const ImVec4 dim = ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled);
    ImGui::PushStyleColor(ImGuiCol_Text, dim);
    text_wrapped_at_spacesf(
        "batch success %d of %d   exact P(success) at θ_old %.3f   groups without spread %.0f%%",
        c.successes, c.completions, c.exact_J, 100.0 * c.zero_spread);
    ImGui::PopStyleColor();
    const char* base = c.leave_one_out ? "mean of the other G−1" : "mean_g";
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(color_psi()));
    if (c.std_normalize)
      text_wrapped_at_spacesf("Âᵢ = (Rᵢ − %s) / (std_g + %g),  given to every token of oᵢ", base,
                              c.eps);
    else
      text_wrapped_at_spacesf("Âᵢ = Rᵢ − %s,  given to every token of oᵢ", base);
    ImGui::PopStyleColor();
    ImGui::PushStyleColor(ImGuiCol_Text, dim);
    // (Not "J = …" at the line's start: the J glyph reaches left of its origin, past the edge.)
    // (A short view folds it to one line: layout.h short_view().)
    explanation(short_view(ctx.state.layout_ui), "the objective",
                formatted("objective  J = (1/N) Σᵢ (1/|oᵢ|) Σₜ [min(r Âᵢ, clip(r, 1±%g) Âᵢ) − %g "
                          "· KL_k3],  r = π_θ/π_θold",
                          c.clip_eps, c.kl_coef)
                    .c_str());
    if (std::isfinite(c.clip_fraction))
      text_wrapped_at_spacesf("bars: Âᵢ (half-width = %.2f)   clipped tokens in the update %.1f%%",
                              c.max_abs_adv, 100.0 * c.clip_fraction);
    else
      text_wrapped_at_spacesf("bars: Âᵢ (half-width = %.2f)", c.max_abs_adv);
    ImGui::PopStyleColor();
    ImGui::Checkbox("groups with reward spread first", &st.spread_first);
    ImGui::Separator();
    ImGui::BeginChild("grpo_group_list", ImVec2(0, 0), false);
    for (int pass = 0; pass < 2; ++pass)
      for (size_t g = 0; g < c.groups.size(); ++g) {
        // Pass 0: groups with spread (or all, in batch order); pass 1: the rest.
        const bool show = st.spread_first ? (pass == 0) != c.groups[g].zero_spread : pass == 0;
        if (show) draw_group(c, c.groups[g], static_cast<int>(g));
      }
    ImGui::EndChild();
  }
  ImGui::EndChild();
  if (!one_column) ImGui::SameLine(0, spacing);

  // Right of the groups in a child of the view's height; in the column, inline below them.
  if (!one_column) ImGui::BeginChild("grpo_curves", ImVec2(0, avail.y), false);
  const float h = one_column ? 2.0f * std::max(min_plot, avail.x * 0.4f) + spacing
                             : ImGui::GetContentRegionAvail().y;
  const float kl_h = std::max(min_plot, h * 0.55f);
  const int n = static_cast<int>(c.it.size());
  // A small plot: its four lines named in a key above it, not in a legend over the curves.
  const char* kl_names[4] = {"k1 = −log ρ (sampled)", "k2 = ½(log ρ)² (sampled)",
                             "k3 = ρ − 1 − log ρ (sampled)", "exact (visitation-weighted)"};
  const bool kl_legend = kl_h > fs * 18.0f;
  if (!kl_legend)
    for (int k = 0; k < 4; ++k) {
      const std::string key = std::string("— ") + kl_names[k];
      if (k > 0) same_line_if_fits(ImGui::CalcTextSize(key.c_str()).x, fs);
      ImGui::TextColored(
          ImColor(k < 3 ? plot::GetPaletteColor(k) : ImGui::GetColorU32(ImGuiCol_Text)), "%s",
          key.c_str());
    }
  if (plot::BeginPlot("KL(π_θold ‖ π_ref) per token", ImVec2(-1, kl_h),
                      kl_legend ? plot::PlotFlags_None : plot::PlotFlags_NoLegend)) {
    plot::SetupAxes("iteration", "nats", plot::AxisFlags_Integer, plot::AxisFlags_IncludeZero);
    plot::PlotLine(kl_names[0], c.it.data(), c.k1.data(), n);
    plot::PlotLine(kl_names[1], c.it.data(), c.k2.data(), n);
    plot::PlotLine(kl_names[2], c.it.data(), c.k3.data(), n);
    plot::SetNextItemColor(ImGui::GetColorU32(ImGuiCol_Text));
    plot::PlotLine(kl_names[3], c.it.data(), c.exact.data(), n);
    PlotChangeMarks(s, false);  // labelled on the success plot below
    plot::EndPlot();
  }
  const int m = static_cast<int>(c.hist_it.size());
  const float success_h = one_column ? std::max(min_plot, avail.x * 0.4f)
                                     : std::max(min_plot, ImGui::GetContentRegionAvail().y);
  if (plot::BeginPlot("Success probability", ImVec2(-1, success_h))) {
    plot::SetupAxes("iteration", "P(success)", plot::AxisFlags_Integer,
                    plot::AxisFlags_IncludeZero);
    plot::SetNextItemColor(plot::GetPaletteColor(kReturnSlot));
    plot::PlotLine("batch success rate", c.hist_it.data(), c.hist_success.data(), m);
    plot::SetNextItemColor(plot::GetPaletteColor(kExactJSlot));
    plot::PlotLine("exact J(θ)", c.hist_it.data(), c.hist_J.data(), m);
    PlotRunComparisons(ctx.state,
                       {pg::SeedColumn::kReturnMean, pg::SeedColumn::kExactJ});  // issue 9
    PlotChangeMarks(s);
    plot::EndPlot();
  }
  if (!one_column) ImGui::EndChild();
  ImGui::EndChild();  // grpo_body
}

}  // namespace pglab::gui
