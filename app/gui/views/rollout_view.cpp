// Rollout: one episode of the batch replayed large — the agent walking (gridworld, corridor) or
// the cart-pole swaying, with play/pause, speed, a timeline, ghosts of the other episodes — and
// beside it what the episode earned along t: rewards and reward-to-go (cart-pole: x and θ against
// the failure thresholds), and the steps around the current one.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "env/cartpole.h"
#include "gui/panels/panels.h"
#include "gui/plot/plot.h"
#include "gui/views/views.h"
#include "lab/rollout_stats.h"

namespace pglab::gui {
namespace {

constexpr float kHoldSeconds = 1.5f;  // pause at the end of an episode before the replay loops
constexpr double kRadToDeg = 180.0 / 3.141592653589793;
constexpr ImU32 kReward = IM_COL32(160, 165, 180, 255);
constexpr ImU32 kDanger = IM_COL32(230, 90, 80, 255);

// `brief`: the short form for a narrow view ("i = 0 · R -2.5 · T = 50, cut").
std::string episode_label(const pg::Batch& b, int i, bool brief = false) {
  const pg::Trajectory& tr = b.trajectories[static_cast<size_t>(i)];
  char buf[160];
  // Indices count from 0 in every view, as in the formulas (i, t) and the batch dump.
  if (brief)
    std::snprintf(buf, sizeof(buf), "i = %d · R %.4g · T = %d%s", i, tr.total_reward(), tr.length(),
                  tr.terminated  ? ""
                  : tr.truncated ? ", truncated"
                                 : ", running");
  else
    std::snprintf(buf, sizeof(buf), "Trajectory i = %d (of %d) · return %.4g · %d steps%s", i,
                  b.size(), tr.total_reward(), tr.length(),
                  tr.terminated  ? ""
                  : tr.truncated ? " (truncated)"
                                 : " (running)");
  return buf;
}

// Moves the replay on by this frame's time; holds at the end, then loops.
void advance(RolloutState& st, int T) {
  const float Tf = static_cast<float>(T);
  if (st.t < 0.0f || st.t > Tf) st.t = Tf;
  if (!st.playing) return;
  const float dt = ImGui::GetIO().DeltaTime;
  if (st.t >= Tf) {
    st.hold += dt;
    if (st.hold >= kHoldSeconds) {
      st.t = 0.0f;
      st.hold = 0.0f;
    }
  } else {
    st.t = std::min(Tf, st.t + dt * st.steps_per_second);
    st.hold = 0.0f;
  }
}

void controls(ViewContext& ctx, RolloutState& st, const pg::Batch& b, int T, bool cartpole) {
  const float fs = ImGui::GetFontSize();
  // As wide as its label (the window allowing): a cut preview would hide the episode's length.
  // The short form where the full one does not fit the view (the list keeps the full one).
  const float frame_w = ImGui::GetStyle().FramePadding.x * 2 + ImGui::GetFrameHeight();
  const float avail = ImGui::GetContentRegionAvail().x;
  std::string label = episode_label(b, st.trajectory);
  if (ImGui::CalcTextSize(label.c_str()).x + frame_w > avail)
    label = episode_label(b, st.trajectory, true);
  ImGui::SetNextItemWidth(
      std::min(avail, std::max(fs * 22.0f, ImGui::CalcTextSize(label.c_str()).x + frame_w)));
  if (ImGui::BeginCombo("##episode", label.c_str())) {
    for (int i = 0; i < b.size(); ++i) {
      const bool selected = i == st.trajectory;
      if (ImGui::Selectable(episode_label(b, i).c_str(), selected)) {
        st.trajectory = i;
        st.t = 0.0f;
        st.hold = 0.0f;
        st.playing = true;
      }
      if (selected) ImGui::SetItemDefaultFocus();
    }
    ImGui::EndCombo();
  }
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("The batch's episode to replay (undiscounted return, length)");
  same_line_if_fits(fs * 5.0f);
  if (ImGui::Button(st.playing ? "Pause##replay" : "▶ Play##replay", ImVec2(fs * 5.0f, 0))) {
    st.playing = !st.playing;
    if (st.playing && st.t >= static_cast<float>(T)) st.t = 0.0f;
  }
  same_line_if_fits(ImGui::CalcTextSize("Restart").x + ImGui::GetStyle().FramePadding.x * 2);
  if (ImGui::Button("Restart##replay")) {
    st.t = 0.0f;
    st.hold = 0.0f;
    st.playing = true;
  }
  same_line_if_fits(fs * 9.0f);
  ImGui::SetNextItemWidth(fs * 9.0f);
  ImGui::SliderFloat("##speed", &st.steps_per_second, 1.0f, 100.0f, "%.0f steps/s",
                     ImGuiSliderFlags_Logarithmic);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Replay speed in environment steps per second");
  same_line_if_fits(labeled_width(ImGui::GetFrameHeight(), "trail"));
  ImGui::Checkbox("trail", &st.trail);
  if (cartpole) {
    same_line_if_fits(labeled_width(ImGui::GetFrameHeight(), "ghosts"));
    ImGui::Checkbox("ghosts", &st.ghosts);
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip("Overlay the batch's other episodes at the same step, faint");
  }
  (void)ctx;

  // Timeline: dragging it scrubs (and pauses the hold at the end).
  ImGui::SetNextItemWidth(-fs * 0.2f);
  char fmt[64];
  std::snprintf(fmt, sizeof(fmt), "step %%.1f of %d", T);
  if (ImGui::SliderFloat("##timeline", &st.t, 0.0f, static_cast<float>(std::max(T, 1)), fmt))
    st.hold = 0.0f;
  if (ImGui::IsItemActive()) st.playing = false;
}

// Steps around the current one: t, state, action, r_t, G_t and π(a_t|s_t) under the θ that
// sampled the batch.
void step_table(const pg::Session& s, const pg::Trajectory& tr, const pg::RolloutSeries& rs, int k,
                float height) {
  const pg::Env& env = s.env();
  const int T = tr.length();
  if (T == 0) return;
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  text_wrapped_at_spacesf("Steps around t · π_old: the policy that sampled this batch");
  ImGui::PopStyleColor();
  const int rows =
      std::max(1, static_cast<int>(height / ImGui::GetTextLineHeightWithSpacing()) - 3);
  const int first = std::clamp(k - rows / 2, 0, std::max(0, T - rows));
  const int last = std::min(T, first + rows);
  // The cells' text first, so the columns are as wide as their widest cell from the first frame
  // (ImGui fits columns to content over a few frames, and a scrolling table decides its scrollbar
  // from the frame before: measured widths keep both right while the replay moves the rows).
  constexpr int kColumns = 6;
  const char* const headers[kColumns] = {"t", "state", "action", "rₜ", "Gₜ", "π_old(aₜ)"};
  std::vector<std::array<std::string, kColumns>> cells;
  const pg::Policy& pi = s.behaviour_policy();
  std::vector<double> probs(static_cast<size_t>(pi.num_actions()));
  char buf[64];
  for (int t = first; t < last; ++t) {
    std::array<std::string, kColumns>& row = cells.emplace_back();
    row[0] = std::to_string(t);
    // The world describes its own states and actions (DESIGN.md §3a).
    const int st = tr.state.empty() ? -1 : tr.state[static_cast<size_t>(t)];
    const double* x =
        tr.obs.empty() ? nullptr : tr.obs.data() + static_cast<size_t>(t) * tr.obs_dim;
    row[1] = env.describe_state(x, st, false);
    const int a = tr.actions[static_cast<size_t>(t)];
    if (tr.action_dim > 0) {  // a continuous action: the policy's sample u (the env clips it)
      std::snprintf(buf, sizeof buf, "u = %+.3g", tr.act_u[static_cast<size_t>(t) * tr.action_dim]);
      row[2] = buf;
    } else {
      row[2] = env.action_label(a);
    }
    std::snprintf(buf, sizeof buf, "%.3g", rs.reward[static_cast<size_t>(t)]);
    row[3] = buf;
    std::snprintf(buf, sizeof buf, "%.4g", rs.reward_to_go[static_cast<size_t>(t)]);
    row[4] = buf;
    if (tr.action_dim > 0) {  // a density, not a probability
      std::snprintf(buf, sizeof buf, "%.3g", std::exp(pi.log_prob(tr.obs_at(t), tr.act_at(t))));
    } else {
      pi.probs(tr.obs_at(t), probs.data());
      std::snprintf(buf, sizeof buf, "%.3f", probs[static_cast<size_t>(a)]);
    }
    row[5] = buf;
  }
  float widths[kColumns];
  float total = 0.0f;
  const float cell_pad = ImGui::GetStyle().CellPadding.x * 2.0f + 1.0f;  // and the inner border
  for (int c = 0; c < kColumns; ++c) {
    widths[c] = widest_word(headers[c]);
    for (const auto& row : cells)
      widths[c] = std::max(widths[c], ImGui::CalcTextSize(row[c].c_str()).x);
    widths[c] = std::ceil(widths[c]);
    total += widths[c] + cell_pad;
  }
  // Stretched over the width where the cells fit; else at their widths, scrolling sideways.
  const bool scroll = total > ImGui::GetContentRegionAvail().x;
  ImGuiTableFlags flags =
      ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg |
      (scroll ? ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_ScrollX | ImGuiTableFlags_ScrollY
              : ImGuiTableFlags_SizingStretchProp);
  const ImGuiStyle& style = ImGui::GetStyle();
  const float row_h = ImGui::GetTextLineHeight() + style.CellPadding.y * 2.0f;
  const ImVec2 outer = scroll ? ImVec2(0.0f, row_h * static_cast<float>(last - first + 1) +
                                                 style.ScrollbarSize + style.CellPadding.y)
                              : ImVec2(0.0f, 0.0f);
  if (!ImGui::BeginTable("rollout_steps", kColumns, flags, outer, scroll ? total : 0.0f)) return;
  for (int c = 0; c < kColumns; ++c)
    ImGui::TableSetupColumn(
        headers[c], scroll ? ImGuiTableColumnFlags_WidthFixed : ImGuiTableColumnFlags_WidthStretch,
        widths[c]);
  table_headers_wrapped();
  for (int t = first; t < last; ++t) {
    const auto& row = cells[static_cast<size_t>(t - first)];
    ImGui::TableNextRow();
    if (t == k) ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg0, IM_COL32(255, 176, 0, 70));
    for (int c = 0; c < kColumns; ++c) {
      ImGui::TableNextColumn();
      if (c == 4)
        ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(color_return()), "%s", row[c].c_str());
      else
        ImGui::TextUnformatted(row[c].c_str());
    }
  }
  ImGui::EndTable();
}

}  // namespace

void DrawRolloutView(ViewContext& ctx) {
  const pg::Session& s = *ctx.snap.session;
  RolloutState& st = ctx.state.views.rollout;
  const pg::Batch& b = s.batch();
  const float fs = ImGui::GetFontSize();
  if (b.size() == 0) {
    note_wrappedf(
        "No episodes yet: step or run the session to sample a batch, then replay it here.");
    return;
  }
  st.trajectory = std::clamp(st.trajectory, 0, b.size() - 1);
  const pg::Trajectory& tr = b.trajectories[static_cast<size_t>(st.trajectory)];
  const int T = tr.length();
  const bool cartpole = s.env().picture() == pg::EnvPicture::kCart;  // state series, ghosts
  advance(st, T);
  controls(ctx, st, b, T, cartpole);

  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float sp = ImGui::GetStyle().ItemSpacing.x;
  // Wide worlds (cart-pole, the cliff) get the full width with the series in a row below; square
  // ones sit left of a column of series.
  const float aspect = EnvRenderer::height_per_width(s.env());
  // A view narrower than 30 em (presenter scale on a small screen) also puts the picture on top,
  // taller, and scrolls to the series below it.
  const bool narrow = avail.x < fs * 30.0f;
  const bool stacked = narrow || cartpole || (aspect > 0.0f && aspect <= 1.0f / 1.6f);
  const ImVec2 env_size = EnvRenderer::box_for(
      s.env(), ctx.state.layout_ui.view_area,
      stacked
          ? ImVec2(avail.x, std::floor(std::max(avail.y * (narrow ? 0.75f : 0.56f), fs * 10.0f)))
          : ImVec2(std::floor(std::max(fs * 16.0f, avail.x * 0.56f)), avail.y));

  // A picture taller than its box (the corridor's diagram or the pendulum's captions in a short
  // view, presenter scale) scrolls rather than losing its last lines.
  ImGui::BeginChild("rollout_env", env_size, false);
  EnvDrawOptions o;
  o.trajectory = st.trajectory;
  o.t = st.t;
  o.trail = st.trail;
  o.ghosts = st.ghosts;
  o.color_mode = ctx.state.views.overview.color_mode;
  ctx.env.draw(s, o, ImGui::GetContentRegionAvail(), ctx.theme, 1);
  ImGui::EndChild();
  if (!stacked) ImGui::SameLine(0, sp);

  const int plots = cartpole && tr.obs_dim >= 4 ? 3 : 1;
  // Below the picture: the series at least 10 em high (the view scrolls to them when narrow).
  ImGui::BeginChild("rollout_series",
                    ImVec2(0, stacked ? std::max(ImGui::GetContentRegionAvail().y, fs * 10.0f) : 0),
                    false);
  const pg::RolloutSeries rs = pg::rollout_series(tr, s.env().gamma());
  const int k = std::clamp(static_cast<int>(std::floor(st.t)), 0, T);
  const double now = std::clamp(static_cast<double>(st.t), 0.0, static_cast<double>(T));
  const ImVec2 area = ImGui::GetContentRegionAvail();
  // Row: plots side by side, the table at the right, where each plot gets 14 em. Column: plots
  // above the table, each at least 10 em high (the series scroll).
  const float row_table_w = std::floor(std::max(fs * 20.0f, area.x * 0.32f));
  const bool row = stacked && (area.x - row_table_w - sp * plots) / plots >= fs * 14.0f;
  const float table_w = row ? row_table_w : area.x;
  const float table_h =
      row ? area.y
          : std::max(std::min(area.y * 0.32f, ImGui::GetTextLineHeightWithSpacing() * 9.0f),
                     ImGui::GetTextLineHeightWithSpacing() * 6.0f);
  const ImVec2 plot_size =
      row ? ImVec2(std::floor((area.x - table_w - sp * plots) / plots), area.y)
          : ImVec2(-1, std::max(fs * 10.0f, std::floor((area.y - table_h -
                                                        ImGui::GetStyle().ItemSpacing.y * plots) /
                                                       plots)));
  auto next = [&]() {
    if (row) ImGui::SameLine(0, sp);
  };

  char title[96];
  std::snprintf(
      title, sizeof(title), "%s###rollout_rewards",
      plot_size.x > 0 && plot_size.x < fs * 18.0f ? "rₜ and Gₜ" : "Rewards rₜ and reward-to-go Gₜ");
  char g_label[64];
  std::snprintf(g_label, sizeof(g_label), "Gₜ (γ = %.3g)", s.env().gamma());
  // A plot under 20 em wide (presenter scale) names rₜ and Gₜ in a key under it: its legend took
  // most of the area and stood over the bars and the line (up to 37 units at 1280×720 ×1.5).
  const float rewards_w = plot_size.x > 0 ? plot_size.x : ImGui::GetContentRegionAvail().x;
  const bool rewards_key = rewards_w < fs * 20.0f;
  char g_key[72];
  std::snprintf(g_key, sizeof(g_key), "— %s", g_label);
  const ColourKey keys[2] = {{kReward, cartpole ? "— rₜ" : "■ rₜ"}, {color_return(), g_key}};
  {
    const KeyUnder key(rewards_key, "rollout_rewards", keys, 2, ImVec2(rewards_w, plot_size.y),
                       fs * 8.0f);
    if (plot::BeginPlot(title, ImVec2(plot_size.x, key.plot_size().y),
                        key.on() ? plot::PlotFlags_NoLegend : 0)) {
      plot::SetupAxes("step t", "reward", plot::AxisFlags_Integer, plot::AxisFlags_IncludeZero);
      plot::SetupAxisLimits(plot::Axis::X, -0.5, T + 0.5, ImGuiCond_Always);
      const int n = static_cast<int>(rs.t.size());
      plot::SetNextItemColor(kReward);
      if (cartpole) {
        plot::PlotLine("rₜ", rs.t.data(), rs.reward.data(), n);
      } else {
        plot::PlotBars("rₜ", rs.t.data(), rs.reward.data(), n, n > 1 ? 0.7 : 0.5);
      }
      plot::SetNextItemColor(color_return());
      plot::PlotLine(g_label, rs.t.data(), rs.reward_to_go.data(), n);
      plot::SetNextItemColor(IM_COL32(255, 176, 0, 255));
      plot::PlotVLine("##now", now);
      plot::EndPlot();
    }
  }
  next();
  if (plots == 3) {
    const std::vector<double> x = pg::feature_series(tr, 0);
    std::vector<double> th = pg::feature_series(tr, 2);
    for (double& v : th) v *= kRadToDeg;
    std::vector<double> ts(x.size());
    for (size_t i = 0; i < ts.size(); ++i) ts[i] = static_cast<double>(i);
    const double xt = pg::CartPole::kXThreshold, tht = pg::CartPole::kThetaThreshold * kRadToDeg;
    if (plot::BeginPlot("Cart position x(t)##rollout_x", plot_size)) {
      plot::SetupAxes("step t", "x [m]", plot::AxisFlags_Integer);
      plot::SetupAxesLimits(0, std::max(T, 1), -2.9, 2.9, ImGuiCond_Always);
      plot::PlotLine("x", ts.data(), x.data(), static_cast<int>(x.size()));
      plot::SetNextItemColor(kDanger);
      plot::PlotHLine("limit ±2.4 m", xt);
      plot::SetNextItemColor(kDanger);
      plot::PlotHLine("limit ±2.4 m", -xt);
      plot::SetNextItemColor(IM_COL32(255, 176, 0, 255));
      plot::PlotVLine("##now", now);
      plot::EndPlot();
    }
    next();
    if (plot::BeginPlot("Pole angle θ(t)##rollout_theta", plot_size)) {
      plot::SetupAxes("step t", "θ [degrees]", plot::AxisFlags_Integer);
      plot::SetupAxesLimits(0, std::max(T, 1), -15.0, 15.0, ImGuiCond_Always);
      plot::PlotLine("θ", ts.data(), th.data(), static_cast<int>(th.size()));
      plot::SetNextItemColor(kDanger);
      plot::PlotHLine("limit ±12°", tht);
      plot::SetNextItemColor(kDanger);
      plot::PlotHLine("limit ±12°", -tht);
      plot::SetNextItemColor(IM_COL32(255, 176, 0, 255));
      plot::PlotVLine("##now", now);
      plot::EndPlot();
    }
    next();
  }
  ImGui::BeginChild("rollout_table", ImVec2(table_w, table_h), false);
  step_table(s, tr, rs, k, ImGui::GetContentRegionAvail().y);
  ImGui::EndChild();
  ImGui::EndChild();
}

}  // namespace pglab::gui
