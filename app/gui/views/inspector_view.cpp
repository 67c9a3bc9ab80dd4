// Inspector: one step of one trajectory of the last complete batch, and the credit ledger of the
// whole trajectory. Left: the environment with the step marked (click a step to select it) and the
// step card (s_t, a_t, π(·|s_t) — continuous actions: the sample u, its density and the Gaussian
// it came from —, the named pieces of the weight w_t, ‖c_t‖ and where c_t pushes).
// Right: the timeline of r_t and w_t (REINFORCE settings: also Q̂_t and b_t), the causality strip
// (REINFORCE settings: which rewards weigh ∇log π(a_t|s_t)) and the ledger table.
// The weight and its pieces come from the algorithm's own decomposition
// (Algorithm::decompose, DESIGN.md §3a), so the card and the ledger show the same numbers for every
// algorithm; c_t and ‖c_t‖ from pg::credit_ledger() and Estimate::contribution(). States and
// actions are named by the environment (Env::describe_state, action_name, action_label).
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "env/tabular_model.h"
#include "estimator/ledger.h"
#include "gui/panels/panels.h"
#include "gui/plot/plot.h"
#include "gui/theme.h"
#include "gui/views/batch_on_show.h"
#include "gui/views/views.h"
#include "gui/window.h"
#include "lab/gaussian_picture.h"

namespace pglab::gui {

// The batch on show and what is computed from it (view_states.h holds a shared_ptr to it).
struct InspectorViewCache {
  std::shared_ptr<const pg::Session> session;  // a snapshot with an estimate
  double computed_at = -1.0;                   // ImGui::GetTime() of the refresh
  pg::BatchLedger ledger;
  std::vector<pg::ParamBlock> blocks;
  // c_t of the selected step and its per-block norms.
  int c_trajectory = -1, c_step = -1;
  Eigen::VectorXd contribution;
  std::vector<double> block_norms;
  float card_height = 0.0f;  // the step card's height last frame (the picture gets the rest)
  float env_extra = 0.0f;    // what EnvRenderer::draw() adds below the picture's size (captions)
  bool one_step =
      false;  // every episode is one step (the bandit): timeline and ledger list the batch
  // What the algorithm says about itself and its per-step decomposition of ĝ (DESIGN.md §3a).
  pg::AlgorithmInfo info;
  pg::StepDecomposition decomp;
  // Before → after a live estimator flip on this batch (Session::estimate_before_flip()).
  bool has_before = false;
  pg::StepDecomposition decomp_before;
  double norm_before = 0, norm_after = 0;
  double cos_before = NAN,
         cos_after = NAN;  // cos(ĝ, exact ∇J at the batch's θ); NaN without the oracle
  pg::EstimatorConfig config_before, config_after;
};

namespace {

constexpr double kRefreshSeconds =
    0.5;  // while running: the batch on show changes at most this often

// Colours of the terms that have no formula colour: signs (theme.h's convention), the selection.
ImU32 color_reward_pos() {
  return kColorPositive;
}
ImU32 color_reward_neg() {
  return kColorNegative;
}
ImU32 color_signed(double v) {
  return v < 0 ? kColorNegative : kColorPositive;
}
ImU32 color_selection() {
  return IM_COL32(255, 215, 90, 255);
}
ImU32 with_alpha(ImU32 c, float a) {
  ImVec4 v = ImGui::ColorConvertU32ToFloat4(c);
  v.w *= a;
  return ImGui::ColorConvertFloat4ToU32(v);
}
ImU32 text_color(float alpha = 1.0f) {
  ImVec4 v = ImGui::GetStyleColorVec4(ImGuiCol_Text);
  v.w *= alpha;
  return ImGui::ColorConvertFloat4ToU32(v);
}
ImU32 disabled_color(float alpha = 1.0f) {
  ImVec4 v = ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled);
  v.w *= alpha;
  return ImGui::ColorConvertFloat4ToU32(v);
}

std::string fmt(double v, const char* f = "%.4g") {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}

// s_t as a student reads it: the environment describes its own states.
std::string state_text(const pg::Session& s, const pg::Trajectory& tr, int t, bool long_form) {
  const int state = tr.state.empty() ? -1 : tr.state[t];
  const double* x = tr.obs.empty() ? nullptr : tr.obs.data() + static_cast<size_t>(t) * tr.obs_dim;
  return s.env().describe_state(x, state, long_form);
}

double cosine(const Eigen::VectorXd& a, const Eigen::VectorXd& b) {
  const double n = a.norm() * b.norm();
  return n > 0 ? a.dot(b) / n : NAN;
}

// Takes a new batch when the snapshot has one: at once when paused, at most every 0.5 s running.
void refresh(InspectorState& st, const Snapshot& snap, bool running) {
  if (!st.cache) st.cache = std::make_shared<InspectorViewCache>();
  InspectorViewCache& c = *st.cache;
  const pg::Session& s = *snap.session;
  // Running mid-batch the last estimate stays on show while it is this run's.
  if (c.session && !s.has_estimate() && !of_live_run(*c.session, s)) c.session.reset();
  if (!s.has_estimate() || c.session == snap.session) return;
  const double now = ImGui::GetTime();
  if (running && c.session && now - c.computed_at < kRefreshSeconds) return;
  const bool first = !c.session;
  c.session = snap.session;
  c.computed_at = now;
  c.ledger = pg::credit_ledger(s.batch(), s.behaviour_policy(), s.last_estimate());
  c.blocks = pg::param_blocks(s.behaviour_policy());
  c.c_trajectory = c.c_step = -1;
  if (first && !st.placed) {
    st.trajectory = 0;
    st.step = inspector_default_step(s);
  }
  if (first) st.follow = true;
  st.placed = true;
  c.one_step = c.ledger.num_trajectories > 1;
  for (int i = 0; i < c.ledger.num_trajectories; ++i)
    c.one_step = c.one_step && c.ledger.length(i) == 1;
  // The algorithm's decomposition at θ_old (the current θ for PPO's ratio: θ_old before the
  // update).
  const pg::Estimate& e = s.last_estimate();
  c.info = s.algorithm().info(s.scenario());
  s.algorithm().decompose(
      pg::DecomposeInput{s.batch(), e, s.behaviour_policy(), s.policy(), e.gamma}, c.decomp);
  const pg::ExactResult* ex = s.batch_exact();
  c.norm_after = e.gradient.norm();
  c.cos_after =
      ex && ex->gradient.size() == e.gradient.size() ? cosine(e.gradient, ex->gradient) : NAN;
  c.config_after = e.config;
  c.has_before = false;
  if (const pg::Estimate* b = s.estimate_before_flip()) {
    s.algorithm().decompose(
        pg::DecomposeInput{s.batch(), *b, s.behaviour_policy(), s.policy(), b->gamma},
        c.decomp_before);
    c.has_before =
        c.decomp_before.num_steps() == c.decomp.num_steps() && c.decomp_before.num_pieces() > 0;
    c.norm_before = b->gradient.norm();
    c.cos_before =
        ex && ex->gradient.size() == b->gradient.size() ? cosine(b->gradient, ex->gradient) : NAN;
    c.config_before = b->config;
  }
}

// Whether the decomposition covers the ledger's steps (an algorithm's decompose() that disagrees
// with the batch would otherwise index out of range).
bool decomposed(const InspectorViewCache& c) {
  return c.decomp.num_pieces() > 0 &&
         c.decomp.num_steps() == static_cast<int>(c.ledger.steps.size()) &&
         c.decomp.values.size() == c.ledger.steps.size() * c.decomp.pieces.size();
}

// What c is, as the card and the ledger's caption say it: ∇log π · w / D, or with REINFORCE's
// optimal baseline (one b*ₖ per parameter, pg::Estimate::contribution) per parameter k.
std::string contribution_formula(const pg::BatchLedger& L, const pg::Estimate& e, bool one_step) {
  const char* t = one_step ? "" : "ₜ";
  if (L.per_step_baseline) return formatted("c%s = ∇log π(a%s|s%s) · w%s / D", t, t, t, t);
  return formatted(
      "c%s,ₖ = ∂ₖ log π(a%s|s%s) · %s(R − b*ₖ) / D, b*ₖ the optimal baseline of "
      "parameter k",
      t, t, t, pg::applies_discount_weighting(e.config) ? "γᵗ " : "");
}

// w_it: the decomposition's weight, or the ledger's ψ when there is no decomposition.
double weight_of(const InspectorViewCache& c, int i, int t) {
  return decomposed(c) ? c.decomp.weight(i, t) : c.ledger.at(i, t).psi;
}

const char* clip_case_text(int k) {
  switch (static_cast<pg::ClipCase>(k)) {
    case pg::ClipCase::kPosBelow:
      return "Â > 0, r < 1−ε: the unclipped term is the min, gradient flows";
    case pg::ClipCase::kPosInside:
      return "Â > 0, r inside [1−ε, 1+ε]: gradient flows";
    case pg::ClipCase::kPosAbove:
      return "Â > 0, r > 1+ε: clipped, no gradient";
    case pg::ClipCase::kNegBelow:
      return "Â < 0, r < 1−ε: clipped, no gradient";
    case pg::ClipCase::kNegInside:
      return "Â < 0, r inside [1−ε, 1+ε]: gradient flows";
    case pg::ClipCase::kNegAbove:
      return "Â < 0, r > 1+ε: the unclipped term is the min, gradient flows";
    default:
      return "";
  }
}

// Keeps the selection inside the batch and computes c_t of the selected step.
void clamp_selection(InspectorState& st) {
  InspectorViewCache& c = *st.cache;
  const int N = c.ledger.num_trajectories;
  st.trajectory = std::clamp(st.trajectory, 0, std::max(0, N - 1));
  const int T = N > 0 ? c.ledger.length(st.trajectory) : 0;
  st.step = std::clamp(st.step, 0, std::max(0, T - 1));
  if (T == 0) return;
  if (c.c_trajectory != st.trajectory || c.c_step != st.step) {
    const pg::Session& s = *c.session;
    c.contribution =
        s.last_estimate().contribution(s.batch(), s.behaviour_policy(), st.trajectory, st.step);
    c.block_norms = pg::block_norms(c.contribution, c.blocks);
    c.c_trajectory = st.trajectory;
    c.c_step = st.step;
  }
}

void handle_keys(InspectorState& st) {
  if (ImGui::GetIO().WantTextInput) return;
  if (!ImGui::IsWindowFocused(ImGuiFocusedFlags_RootAndChildWindows)) return;
  const int before_t = st.step, before_i = st.trajectory;
  int& along =
      st.cache->one_step ? st.trajectory : st.step;  // one-step episodes: ←/→ go through the batch
  if (ImGui::IsKeyPressed(GLFW_KEY_LEFT)) along--;
  if (ImGui::IsKeyPressed(GLFW_KEY_RIGHT)) along++;
  if (ImGui::IsKeyPressed(GLFW_KEY_HOME)) along = 0;
  if (ImGui::IsKeyPressed(GLFW_KEY_END)) along = 1 << 30;
  if (ImGui::IsKeyPressed(GLFW_KEY_UP)) st.trajectory--;
  if (ImGui::IsKeyPressed(GLFW_KEY_DOWN)) st.trajectory++;
  if (st.step != before_t || st.trajectory != before_i) st.follow = true;
}

// A horizontal bar for a table cell: from 0 (the cell's left edge, or its middle when
// `signed_axis`) to v / vmax of the half or whole width, with the value printed after it.
void hbar_cell(double v, double vmax, bool signed_axis, ImU32 color, bool strong) {
  const float fs = ImGui::GetFontSize();
  const ImVec2 p = ImGui::GetCursorScreenPos();
  const std::string t = fmt(v, "%.3g");
  // Room for the value however long it prints ("-0.000142"), the bar takes the rest.
  const float text_w = std::max(fs * 4.2f, ImGui::CalcTextSize(t.c_str()).x + fs * 0.4f);
  const float w = std::max(fs, ImGui::GetContentRegionAvail().x - text_w);
  const float h = ImGui::GetTextLineHeight();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float zero = signed_axis ? p.x + 0.5f * w : p.x;
  const float span = signed_axis ? 0.5f * w : w;
  const float len = vmax > 0.0 ? static_cast<float>(std::clamp(v / vmax, -1.0, 1.0)) * span : 0.0f;
  dl->AddRectFilled(ImVec2(p.x, p.y + 1), ImVec2(p.x + w, p.y + h - 1), disabled_color(0.10f));
  dl->AddRectFilled(ImVec2(std::min(zero, zero + len), p.y + 2),
                    ImVec2(std::max(zero, zero + len) + (len == 0 ? 1 : 0), p.y + h - 2),
                    strong ? color : with_alpha(color, 0.5f));
  if (signed_axis) dl->AddLine(ImVec2(zero, p.y), ImVec2(zero, p.y + h), disabled_color(0.8f));
  dl->AddText(ImVec2(p.x + w + fs * 0.3f, p.y), strong ? text_color() : text_color(0.75f),
              t.c_str());
  ImGui::Dummy(ImVec2(w + text_w, h));
}

// Text in a colour, on the current line.
void colored(ImU32 c, const std::string& s) {
  ImGui::PushStyleColor(ImGuiCol_Text, c);
  text_wrapped_at_spaces(s.c_str());
  ImGui::PopStyleColor();
}

// A coloured legend entry on the current line, or on the next one when it would not fit.
void legend_item(ImU32 color, const std::string& text) {
  const float fs = ImGui::GetFontSize();
  // (Deciding before SameLine: a SameLine then NewLine leaves the line's end past the edge.)
  same_line_if_fits(ImGui::CalcTextSize(text.c_str()).x, fs);
  colored(color, text);
}

// ---- header -------------------------------------------------------------------------------------

void draw_header(InspectorState& st) {
  const InspectorViewCache& c = *st.cache;
  const pg::Session& s = *c.session;
  const pg::BatchLedger& L = c.ledger;
  const float fs = ImGui::GetFontSize();
  const int N = L.num_trajectories;
  const int T = L.length(st.trajectory);
  const int before_t = st.step, before_i = st.trajectory;

  // The row wraps where it does not fit (narrow window, presenter scale); the sliders show no text
  // (a grab would cover it): the value is the label before them.
  const float arrow = ImGui::GetFrameHeight();
  ImGui::AlignTextToFramePadding();
  ImGui::Text("Batch of iteration %d:", s.batch_iteration());
  const std::string traj_label =
      "trajectory " + std::to_string(st.trajectory) + " of " + std::to_string(N);
  same_line_if_fits(ImGui::CalcTextSize(traj_label.c_str()).x + fs * 6.0f);
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(traj_label.c_str());
  ImGui::SameLine();
  ImGui::SetNextItemWidth(fs * 5.5f);
  ImGui::SliderInt("##traj", &st.trajectory, 0, std::max(0, N - 1), "");
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%d trajectories in the batch (↑/↓ keys)", N);
  const char* hint = "";
  if (c.one_step) {
    same_line_if_fits(arrow * 2 + ImGui::CalcTextSize("one step per episode").x + fs);
    if (ImGui::ArrowButton("##prev", ImGuiDir_Left)) st.trajectory--;
    ImGui::SameLine(0, 2);
    if (ImGui::ArrowButton("##next", ImGuiDir_Right)) st.trajectory++;
    ImGui::SameLine();
    ImGui::TextDisabled("one step per episode");
    hint = "(keys ←/→ trajectory)";
  } else {
    // A piece of a longer episode (segment collection): its t, and the episode's step.
    const int start_t = st.trajectory < s.batch().size()
                            ? s.batch().trajectories[static_cast<size_t>(st.trajectory)].start_t
                            : 0;
    const std::string plain =
        "step t = " + std::to_string(st.step) + " of T = " + std::to_string(T);
    const std::string episode =
        start_t > 0 ? " (episode step " + std::to_string(start_t + st.step) + ")" : "";
    // The episode's step where the row has room for it (a narrow view at presenter scale keeps
    // the piece's t; the picture's line above says the episode step too).
    const float controls = arrow * 2 + fs * 6.0f;
    const std::string step_label =
        ImGui::CalcTextSize((plain + episode).c_str()).x + controls <=
                ImGui::GetWindowContentRegionMax().x - ImGui::GetWindowContentRegionMin().x
            ? plain + episode
            : plain;
    same_line_if_fits(ImGui::CalcTextSize(step_label.c_str()).x + controls);
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted(step_label.c_str());
    ImGui::SameLine();
    if (ImGui::ArrowButton("##prev", ImGuiDir_Left)) st.step--;
    ImGui::SameLine(0, 2);
    ImGui::SetNextItemWidth(fs * 5.5f);
    ImGui::SliderInt("##step", &st.step, 0, std::max(0, T - 1), "");
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip("←/→ keys step through the trajectory; Home/End jump");
    ImGui::SameLine(0, 2);
    if (ImGui::ArrowButton("##next", ImGuiDir_Right)) st.step++;
    hint = "(keys ←/→ step, ↑/↓ trajectory)";
  }
  if (st.step != before_t || st.trajectory != before_i) st.follow = true;

  // The badge: Σ_it c_it = ĝ — or, when the algorithm's decomposition says no per-step scalar
  // reproduces ĝ (SAC's sum over every action, the optimal baseline's per-parameter b), that Σc
  // differs from ĝ by design, in a neutral colour.
  const bool ok = L.residual <= 1e-9 * (1.0 + L.gradient_norm);
  const bool by_design = !ok && decomposed(c) && !c.decomp.sums_to_gradient;
  const std::string badge = (ok          ? "ledger balances: ‖Σc − ĝ‖ = "
                             : by_design ? "Σc ≠ ĝ by design: ‖Σc − ĝ‖ = "
                                         : "ledger OFF: ‖Σc − ĝ‖ = ") +
                            fmt(L.residual, "%.1e");
  const ImVec2 size = ImGui::CalcTextSize(badge.c_str());
  const float pad = fs * 0.35f;
  same_line_if_fits(size.x + 2 * pad);
  if (ImGui::GetContentRegionAvail().x >
      ImGui::CalcTextSize(hint).x + size.x + 2 * pad + fs * 2.0f) {
    ImGui::TextDisabled("%s", hint);
    ImGui::SameLine();
  }
  const float x = ImGui::GetWindowContentRegionMax().x - size.x - 2 * pad;
  if (x > ImGui::GetCursorPosX()) ImGui::SetCursorPosX(x);
  const ImVec2 p = ImGui::GetCursorScreenPos();
  const float y = p.y + 0.5f * (ImGui::GetFrameHeight() - size.y) - pad * 0.5f;
  ImGui::InvisibleButton("##badge", ImVec2(size.x + 2 * pad, ImGui::GetFrameHeight()));
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImU32 col = ok ? kColorPositive : by_design ? disabled_color() : color_reward_neg();
  dl->AddRectFilled(ImVec2(p.x, y), ImVec2(p.x + size.x + 2 * pad, y + size.y + pad),
                    with_alpha(col, 0.18f), fs * 0.3f);
  dl->AddRect(ImVec2(p.x, y), ImVec2(p.x + size.x + 2 * pad, y + size.y + pad), col, fs * 0.3f);
  dl->AddText(ImVec2(p.x + pad, y + pad * 0.5f), col, badge.c_str());
  if (ImGui::IsItemHovered() && by_design)
    ImGui::SetTooltip(
        "This algorithm's ĝ (‖ĝ‖ = %.4g) is not one scalar per step times ∇log π(aᵢₜ|sᵢₜ):\n"
        "the derivation says what it sums instead. Σ cᵢₜ over the %d steps is the sampled-action\n"
        "form, which estimates the same expected direction.",
        L.gradient_norm, static_cast<int>(L.steps.size()));
  else if (ImGui::IsItemHovered())
    ImGui::SetTooltip(
        "Σ over all %d trajectories and all %d steps of cᵢₜ = ∇log π(aᵢₜ|sᵢₜ) wᵢₜ / D,\n"
        "each computed on its own, equals the estimate ĝ (‖ĝ‖ = %.4g) to rounding.",
        N, static_cast<int>(L.steps.size()), L.gradient_norm);
}

// The settings two estimator configurations differ in, in the controls' words ("returns total
// return → reward-to-go"). γᵗ weighting says whether it acts (it does nothing on total returns):
// describe() left an inactive one out, so a flip of the returns read as a flip of γᵗ too.
std::string flip_words(const pg::EstimatorConfig& a, const pg::EstimatorConfig& b) {
  auto on_off = [](bool on) { return std::string(on ? "on" : "off"); };
  auto weighting = [&](const pg::EstimatorConfig& c) {
    return !c.discount_weighting               ? on_off(false)
           : pg::applies_discount_weighting(c) ? on_off(true)
                                               : std::string("on (no effect on total returns)");
  };
  std::string out;
  auto part = [&](const char* what, const std::string& x, const std::string& y) {
    if (x != y) out += (out.empty() ? "" : ", ") + std::string(what) + " " + x + " → " + y;
  };
  part("returns", pg::title_of(a.returns), pg::title_of(b.returns));
  part("baseline", pg::title_of(a.baseline), pg::title_of(b.baseline));
  part("normalize", on_off(a.normalize), on_off(b.normalize));
  part("γᵗ weighting", weighting(a), weighting(b));
  return out;
}

// After a live estimator flip: the same batch's ĝ before → after.
void draw_flip(const InspectorViewCache& c) {
  if (!c.has_before) return;
  std::string line = "flipped on this batch: " + flip_words(c.config_before, c.config_after) +
                     ":   ‖ĝ‖ " + fmt(c.norm_before) + " → " + fmt(c.norm_after);
  if (std::isfinite(c.cos_before) && std::isfinite(c.cos_after))
    line += ",   cos(ĝ, ∇J) " + fmt(c.cos_before, "%.3f") + " → " + fmt(c.cos_after, "%.3f");
  colored(color_selection(), line);
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip(
        "The estimator setting changed after this batch was estimated: the same trajectories were\n"
        "re-estimated at once. Before: the estimate the update stepped from (before the update:\n"
        "the batch's estimate before the first flip); after: under the settings now.\n"
        "∇J is the exact gradient at the batch's θ (finite worlds).\n"
        "The ledger's \"w before\" column shows each step's old weight.");
}

// ---- step card ----------------------------------------------------------------------------------

// The action line of a continuous step: the sample u and what the environment applied, its density
// (not a probability: per unit of the action, it can exceed 1), and the Gaussian u was drawn from.
// u, μ and σ are those of the policy that sampled the batch, as in the picture beside the card;
// the density is the ledger's (its π(a_t|s_t) column), exp of the log π stored with the step.
void draw_continuous_action(const pg::Session& s, const pg::Trajectory& tr, int t,
                            const pg::LedgerStep& row) {
  const pg::GaussianStep g = pg::gaussian_step(s.env(), s.behaviour_policy(), tr, t);
  const std::string name = s.env().action_name(row.action);
  // (No-break spaces keep each "x = v" whole where the line wraps.)
  char buf[256];
  if (!g.valid) {
    // More than one action dimension: the values of u, no single μ and σ to print.
    std::string u;
    for (int k = 0; k < tr.action_dim; ++k)
      u += (k ? ", " : "") + fmt(tr.act_u[static_cast<size_t>(t) * tr.action_dim + k], "%+.3f");
    colored(text_color(), "aₜ\u00a0=\u00a0u\u00a0=\u00a0(" + u + ")  (" + name + ")");
  } else if (g.at.squash) {
    std::snprintf(buf, sizeof buf,
                  "aₜ\u00a0=\u00a0%+.3f  (%s: the sample u\u00a0=\u00a0%+.3f squashed by tanh "
                  "into [%.3g,\u00a0%.3g])",
                  g.applied, name.c_str(), g.u, g.at.low, g.at.high);
    colored(text_color(), buf);
  } else if (g.clipped) {
    std::snprintf(buf, sizeof buf,
                  "aₜ\u00a0=\u00a0u\u00a0=\u00a0%+.3f  (%s; the environment clips it to %+.3g)",
                  g.u, name.c_str(), g.applied);
    colored(text_color(), buf);
  } else {
    std::snprintf(buf, sizeof buf,
                  "aₜ\u00a0=\u00a0u\u00a0=\u00a0%+.3f  (%s; the environment clips to "
                  "[%.3g,\u00a0%.3g])",
                  g.u, name.c_str(), g.at.low, g.at.high);
    colored(text_color(), buf);
  }
  // The ledger's π(a_t|s_t) is exp of this log π, stored with the step when it was sampled.
  std::snprintf(buf, sizeof buf,
                "density π(aₜ|sₜ)\u00a0=\u00a0%.3f,  log\u00a0π(aₜ|sₜ)\u00a0=\u00a0%.3f", row.prob,
                tr.logp[t]);
  colored(text_color(), buf);
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip(
        "A probability density, not a probability: π(aₜ|sₜ) per unit of %s, which exceeds 1\n"
        "when σ is small. %s",
        name.c_str(),
        g.valid && g.at.squash
            ? "Here the density of the squashed action: log N(u; μ, σ) minus the log of the\n"
              "squash's slope at u."
            : "Here the density of the sample u, N(u; μ, σ), before the environment's clip.");
  if (g.valid) {
    std::snprintf(buf, sizeof buf,
                  "u ~ N(μ\u00a0=\u00a0%+.3f, σ\u00a0=\u00a0%.3f) at sₜ:  "
                  "(u\u00a0−\u00a0μ)/σ\u00a0=\u00a0%+.2f",
                  g.at.mu, g.at.sigma, (g.u - g.at.mu) / g.at.sigma);
    colored(disabled_color(), buf);
  }
}

void draw_step_card(ViewContext& ctx, InspectorState& st) {
  const InspectorViewCache& c = *st.cache;
  const pg::Session& s = *c.session;
  const pg::BatchLedger& L = c.ledger;
  const pg::Estimate& e = s.last_estimate();
  const pg::Trajectory& tr = s.batch().trajectories[st.trajectory];
  const pg::LedgerStep& row = L.at(st.trajectory, st.step);
  const int A = L.num_actions;
  const int N = L.num_trajectories;
  const float fs = ImGui::GetFontSize();
  const bool tabular = s.behaviour_policy().kind() == pg::PolicyKind::kTabular;

  const float y_start = ImGui::GetCursorPosY();
  ImGui::Text("Step t = %d of trajectory %d", st.step, st.trajectory);
  char ended[96];
  // A piece cut at the segment's end goes on in the next batch ("ended" said nothing of that).
  std::snprintf(ended, sizeof ended, "(T = %d, %s)", tr.length(),
                tr.terminated  ? "terminated"
                : tr.truncated ? "truncated"
                : tr.cut       ? "cut at the segment's end"
                               : "ended");
  same_line_if_fits(ImGui::CalcTextSize(ended).x);
  ImGui::TextDisabled("%s", ended);
  ImGui::TextDisabled("state");
  ImGui::SameLine(fs * 4.2f);
  ImGui::BeginGroup();
  text_wrapped_at_spacesf("%s", ("sₜ = " + state_text(s, tr, st.step, true)).c_str());
  ImGui::EndGroup();
  const pg::TabularModel* model = s.env().model();
  if (tabular && model && row.obs >= 0 && model->num_obs() < model->num_states()) {
    // State aliasing (the short corridor): several states show the policy the same observation.
    int sharing = 0;
    for (int k = 0; k < model->num_states(); ++k)
      sharing += model->obs_of_state(k) == row.obs && !model->terminal(k);
    ImGui::Indent(fs * 4.2f);
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    if (sharing > 1)
      text_wrapped_at_spacesf(
          "the policy sees observation %d in %d states: it cannot tell them apart, so π(·|sₜ) is "
          "the same in all of them",
          row.obs, sharing);
    ImGui::PopStyleColor();
    ImGui::Unindent(fs * 4.2f);
  }
  ImGui::TextDisabled("action");
  ImGui::SameLine(fs * 4.2f);
  ImGui::BeginGroup();
  if (tr.action_dim > 0) {
    draw_continuous_action(s, tr, st.step, row);
  } else {
    char action[160];
    std::snprintf(action, sizeof action, "aₜ = %s,  π(aₜ|sₜ) = %.3f",
                  s.env().action_name(row.action).c_str(), row.prob);
    colored(text_color(), action);
  }
  ImGui::EndGroup();
  ImGui::TextDisabled("reward");
  ImGui::SameLine(fs * 4.2f);
  colored(row.reward > 0   ? color_reward_pos()
          : row.reward < 0 ? color_reward_neg()
                           : text_color(),
          "rₜ = " + fmt(row.reward));

  // π(·|s_t) and, tabular, where c_t pushes the logits θ[s_t, ·]: one row per action.
  const double* probs = L.probs_at(st.trajectory, st.step);
  const bool push = tabular && row.obs >= 0 && c.contribution.size() >= (row.obs + 1) * A;
  double push_max = 0.0;
  if (push)
    for (int a = 0; a < A; ++a)
      push_max = std::max(push_max, std::abs(c.contribution[row.obs * A + a]));
  const ImGuiTableFlags tf = ImGuiTableFlags_SizingStretchProp | ImGuiTableFlags_BordersInnerV |
                             ImGuiTableFlags_NoSavedSettings;
  // (Continuous actions have no table of π(a|s_t): the card's policy line gives the Gaussian.)
  if (A > 0 && ImGui::BeginTable("##actions", push ? 3 : 2, tf)) {
    ImGui::TableSetupColumn("action", ImGuiTableColumnFlags_WidthFixed, fs * 5.2f);
    ImGui::TableSetupColumn("π(a|sₜ)", ImGuiTableColumnFlags_WidthStretch, 1.0f);
    if (push)
      ImGui::TableSetupColumn("cₜ on logit θ[sₜ, a]", ImGuiTableColumnFlags_WidthStretch, 1.2f);
    table_headers_wrapped();
    if (push && (ImGui::TableGetColumnFlags(2) & ImGuiTableColumnFlags_IsHovered))
      ImGui::SetTooltip(
          "cₜ = (eₐ − π(·|sₜ)) wₜ / D, in row sₜ only: the taken action's logit moves by\n"
          "(1 − π(aₜ|sₜ)) wₜ / D, every other one by −π(b|sₜ) wₜ / D.\n"
          "wₜ > 0 makes aₜ likelier in sₜ; wₜ < 0 makes it rarer. Green +, red −.");
    for (int a = 0; a < A; ++a) {
      const bool taken = a == row.action;
      ImGui::TableNextRow();
      if (taken)
        ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg0, with_alpha(color_selection(), 0.16f));
      ImGui::TableNextColumn();
      const std::string label = s.env().action_label(a);
      if (taken)
        ImGui::TextUnformatted((label + "  ◀").c_str());
      else
        ImGui::TextDisabled("%s", label.c_str());
      ImGui::TableNextColumn();
      hbar_cell(probs[a], 1.0, false, color_return(), taken);
      if (push) {
        ImGui::TableNextColumn();
        const double v = c.contribution[row.obs * A + a];
        hbar_cell(v, push_max, true, color_signed(v), taken);
      }
    }
    ImGui::EndTable();
  }
  if (!tabular) {
    // MLP: how c_t spreads over the network's layers.
    double norm_max = 0.0;
    for (double v : c.block_norms) norm_max = std::max(norm_max, v);
    if (ImGui::BeginTable("##layers", 2, tf)) {
      ImGui::TableSetupColumn("block", ImGuiTableColumnFlags_WidthFixed, fs * 5.2f);
      // "W1" only where a network reads the observation (not the bandit's μ and log σ).
      const bool reads_state = !c.blocks.empty() && c.blocks.front().name == "W1";
      ImGui::TableSetupColumn(
          reads_state ? "‖cₜ‖ per weight block (layer 1 reads sₜ)" : "‖cₜ‖ per parameter block",
          ImGuiTableColumnFlags_WidthStretch);
      table_headers_wrapped();
      for (size_t k = 0; k < c.blocks.size() && k < c.block_norms.size(); ++k) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::Text("%s (%d)", c.blocks[k].name.c_str(), c.blocks[k].size);
        ImGui::TableNextColumn();
        hbar_cell(c.block_norms[k], norm_max, false, color_psi(), true);
      }
      ImGui::EndTable();
    }
  }

  // The weight on ∇log π(a_t|s_t) and its named pieces: the algorithm's own decomposition, the
  // numbers the ledger's columns show.
  ImGui::Spacing();
  colored(disabled_color(), "weight wₜ of ∇log π(aₜ|sₜ) · " + c.info.title);
  const pg::StepDecomposition& d = c.decomp;
  const int i = st.trajectory, t = st.step;
  if (decomposed(c)) {
    const int P = d.num_pieces();
    for (int k = 0; k < P; ++k) {
      const bool last = k == P - 1;
      const std::string text = d.pieces[k].symbol + " = " + fmt(d.value(i, t, k));
      if (k > 0 && !last) {
        same_line_if_fits(ImGui::CalcTextSize(text.c_str()).x, fs);
      }
      colored(last ? color_psi() : text_color(), text);
      if (ImGui::IsItemHovered() && !d.pieces[k].meaning.empty())
        ImGui::SetTooltip("%s", d.pieces[k].meaning.c_str());
    }
    for (const std::string& line : d.derivation) colored(disabled_color(), line);
    const size_t at = static_cast<size_t>(d.offset[i] + t);
    if (at < d.clip_case.size() && d.clip_case[at] >= 0)
      colored(disabled_color(), clip_case_text(d.clip_case[at]));
    if (c.has_before)
      colored(color_selection(), "before the flip: wₜ = " + fmt(c.decomp_before.weight(i, t)) +
                                     "  →  now " + fmt(d.weight(i, t)));
  } else {
    colored(color_psi(), "wₜ = ψₜ = " + fmt(row.psi));
  }
  const double D = d.divisor > 0 ? d.divisor : e.gradient_divisor();
  std::string d_text = "D = " + fmt(D, "%.6g");
  if (D == N)
    d_text += " = N trajectories";
  else if (D == static_cast<double>(L.steps.size()))
    d_text += " = M steps";
  colored(text_color(), contribution_formula(L, e, false) + ",  " + d_text +
                            ":  ‖cₜ‖ = " + fmt(row.contribution_norm));
  if (L.gradient_norm > 0) {
    char buf[128];
    std::snprintf(buf, sizeof buf, "(‖ĝ‖ = %s; this step's term is %.1f%% of it in norm)",
                  fmt(L.gradient_norm).c_str(), 100.0 * row.contribution_norm / L.gradient_norm);
    colored(disabled_color(), buf);
  }
  st.cache->card_height = ImGui::GetCursorPosY() - y_start;
  (void)ctx;
}

// ---- timeline -----------------------------------------------------------------------------------

// The rows the timeline and the ledger list: the steps of the selected trajectory or, when every
// episode is one step long (the bandit), the trajectories of the batch.
struct Rows {
  const pg::BatchLedger* L = nullptr;
  bool by_trajectory = false;
  int trajectory = 0;
  int count() const { return by_trajectory ? L->num_trajectories : L->length(trajectory); }
  int traj(int k) const { return by_trajectory ? k : trajectory; }
  int step(int k) const { return by_trajectory ? 0 : k; }
  const pg::LedgerStep& at(int k) const { return L->at(traj(k), step(k)); }
  int selected(const InspectorState& st) const { return by_trajectory ? st.trajectory : st.step; }
  void select(InspectorState& st, int k) const {
    if (by_trajectory)
      st.trajectory = k;
    else
      st.step = k;
    st.follow = true;
  }
};

Rows rows_of(const InspectorState& st) {
  Rows r;
  r.L = &st.cache->ledger;
  r.by_trajectory = st.cache->one_step;
  r.trajectory = st.trajectory;
  return r;
}

void draw_timeline(InspectorState& st, float height) {
  const InspectorViewCache& c = *st.cache;
  const pg::BatchLedger& L = c.ledger;
  const pg::EstimatorConfig& cfg = c.session->last_estimate().config;
  const Rows rows = rows_of(st);
  const int T = rows.count();
  const int sel = rows.selected(st);
  // Q̂, G and b are REINFORCE's pieces: drawn only where its settings apply (AlgorithmInfo).
  const bool reinforce = c.info.reinforce_settings;
  const bool total = reinforce && cfg.returns == pg::Returns::kTotal;
  const float fs = ImGui::GetFontSize();
  std::vector<double> ts(T), r(T), G(T), q(T), b(T), psi(T);
  for (int k = 0; k < T; ++k) {
    const pg::LedgerStep& row = rows.at(k);
    ts[k] = k;
    r[k] = row.reward;
    G[k] = row.reward_to_go;
    q[k] = row.q_hat;
    b[k] = row.baseline;
    psi[k] = weight_of(c, rows.traj(k), rows.step(k));
  }
  // Whole steps as ticks: at least 8 steps of x range (fewer would tick at fractions of a step).
  const double x_lo = -0.6, x_hi = std::max(T, 8) - 0.4;
  const float spacing = ImGui::GetStyle().ItemSpacing.y;
  const float h2 = std::max(fs * 7.5f, (height - spacing) * 0.42f),
              h1 = std::max(fs * 6.0f, height - spacing - h2);
  bool clicked = false;
  double click_x = 0;
  // Title and legend on one line above the plot, so no legend box hides the data.
  const char* q_label = total ? "Q̂ₜ = R, total return" : "Q̂ₜ = Gₜ, reward-to-go";
  const bool show_b = reinforce && L.per_step_baseline && cfg.baseline != pg::Baseline::kNone;
  if (rows.by_trajectory)
    ImGui::TextUnformatted("The batch, one step per episode:");
  else
    ImGui::Text("Trajectory %d:", st.trajectory);
  legend_item(color_reward_pos(), "▮ rₜ > 0");
  legend_item(color_reward_neg(), "▮ rₜ < 0");
  if (total && !rows.by_trajectory)
    legend_item(with_alpha(color_return(), 0.55f), "— Gₜ (not used)");
  if (reinforce) legend_item(color_return(), std::string("— ") + q_label);
  if (show_b)
    legend_item(color_baseline(), std::string("— bₜ, ") + pg::baseline_spec(cfg.baseline).title);
  const std::string title = "##tl1";
  const char* x_label = rows.by_trajectory ? "trajectory i" : "step t";
  if (plot::BeginPlot(title.c_str(), ImVec2(-1, h1 - ImGui::GetFrameHeight()),
                      plot::PlotFlags_NoLegend)) {
    // REINFORCE draws the returns it weighs by over the rewards; other algorithms the rewards only.
    plot::SetupAxes(nullptr, reinforce ? "return" : "reward", plot::AxisFlags_Integer,
                    plot::AxisFlags_IncludeZero);
    plot::SetupYTickLabelWidth(3.2f);  // the two plots share the x axis: line their areas up
    plot::SetupAxisLimits(plot::Axis::X, x_lo, x_hi, ImGuiCond_Always);
    // Rewards by sign (theme.h): positive green, negative red.
    std::vector<double> r_pos(T), r_neg(T);
    for (int k = 0; k < T; ++k) {
      r_pos[k] = std::max(r[k], 0.0);
      r_neg[k] = std::min(r[k], 0.0);
    }
    const bool any_pos = std::any_of(r.begin(), r.end(), [](double v) { return v > 0; });
    const bool any_neg = std::any_of(r.begin(), r.end(), [](double v) { return v < 0; });
    if (any_pos) {
      plot::SetNextItemColor(with_alpha(color_reward_pos(), 0.8f));
      plot::PlotBars("rₜ", ts.data(), r_pos.data(), T, T > 200 ? 1.0 : 0.6);
    }
    if (any_neg) {
      plot::SetNextItemColor(with_alpha(color_reward_neg(), 0.8f));
      plot::PlotBars("rₜ < 0", ts.data(), r_neg.data(), T, T > 200 ? 1.0 : 0.6);
    }
    if (total && !rows.by_trajectory) {
      plot::SetNextItemColor(with_alpha(color_return(), 0.45f));
      plot::PlotLine("Gₜ (not used)", ts.data(), G.data(), T);
      plot::SetNextItemColor(color_return());
      plot::PlotLine(q_label, ts.data(), q.data(), T);
    } else if (reinforce) {
      plot::SetNextItemColor(color_return());
      plot::PlotLine(q_label, ts.data(), q.data(), T);
      if (rows.by_trajectory && T <= 80) {
        plot::SetNextItemColor(color_return());
        plot::PlotScatter(q_label, ts.data(), q.data(), T);
      }
    }
    if (show_b) {
      plot::SetNextItemColor(color_baseline());
      plot::PlotLine(("bₜ, " + std::string(pg::baseline_spec(cfg.baseline).title)).c_str(),
                     ts.data(), b.data(), T);
    }
    plot::SetNextItemColor(color_selection());
    plot::PlotVLine("##selected", sel);
    if (plot::IsPlotHovered() && ImGui::IsMouseClicked(ImGuiMouseButton_Left)) {
      clicked = true;
      click_x = plot::GetPlotMousePos().x;
    }
    plot::EndPlot();
  }
  const std::string title2 =
      std::string(rows.by_trajectory ? "w: the weight each trajectory's ∇log π(a|s) gets"
                                     : "wₜ: the weight each step's ∇log π(aₜ|sₜ) gets") +
      (reinforce && cfg.normalize ? " (normalised)###tl2" : "###tl2");
  if (plot::BeginPlot(title2.c_str(), ImVec2(-1, h2), plot::PlotFlags_NoLegend)) {
    plot::SetupAxes(x_label, "w", plot::AxisFlags_Integer, plot::AxisFlags_IncludeZero);
    plot::SetupYTickLabelWidth(3.2f);
    plot::SetupAxisLimits(plot::Axis::X, x_lo, x_hi, ImGuiCond_Always);
    plot::SetNextItemColor(color_psi());
    plot::PlotLine("wₜ", ts.data(), psi.data(), T);
    if (T <= 80) {
      plot::SetNextItemColor(color_psi());
      plot::PlotScatter("wₜ", ts.data(), psi.data(), T);
    }
    plot::SetNextItemColor(color_selection());
    plot::PlotVLine("##selected", sel);
    if (T > 0) {
      plot::SetNextItemColor(color_selection());
      plot::PlotMarker("##sel", sel, psi[sel]);
    }
    if (plot::IsPlotHovered() && ImGui::IsMouseClicked(ImGuiMouseButton_Left)) {
      clicked = true;
      click_x = plot::GetPlotMousePos().x;
    }
    plot::EndPlot();
  }
  if (clicked && T > 0)
    rows.select(st, std::clamp(static_cast<int>(std::lround(click_x)), 0, T - 1));
}

// ---- causality strip ----------------------------------------------------------------------------

void draw_causality(InspectorState& st, float height) {
  const InspectorViewCache& c = *st.cache;
  const pg::Session& s = *c.session;
  const pg::BatchLedger& L = c.ledger;
  const pg::EstimatorConfig& cfg = s.last_estimate().config;
  const bool total = cfg.returns == pg::Returns::kTotal;
  const double gamma = s.last_estimate().gamma;
  const int T = L.length(st.trajectory);
  const int t = st.step;
  // The coefficients of r_t' in what weighs step t: per-decision importance sampling (off-policy)
  // multiplies each by the ratios of every action up to it (Σ w r = the decomposition's Q̂′ₜ).
  static const pg::StepDecomposition kNone;
  const pg::CreditWeights cw = pg::credit_reward_weights(L, decomposed(c) ? c.decomp : kNone,
                                                         cfg.returns, gamma, st.trajectory, t);
  const std::vector<double>& w = cw.w;
  double w_max = 1.0;  // ratio products may exceed 1: bars to the largest
  for (double v : w) w_max = std::max(w_max, v);
  const float fs = ImGui::GetFontSize();

  // Title line: what the setting does with the past rewards (on the next line when it does not
  // fit).
  ImGui::TextUnformatted("Which rewards weigh ∇log π(aₜ|sₜ)?");
  std::string verdict;
  ImU32 verdict_color = disabled_color();
  if (t == 0) {
    verdict = "t = 0: no past rewards, so total return and reward-to-go agree here";
  } else if (total) {
    verdict = "returns = total: r₀…r" + subscript(t - 1) +
              " count too, though aₜ came after them (noise)";
    verdict_color = color_reward_neg();
  } else {
    verdict = "returns = reward-to-go: r₀…r" + subscript(t - 1) +
              " dropped (causality: aₜ cannot change them)";
    verdict_color = kColorPositive;
  }
  same_line_if_fits(ImGui::CalcTextSize(verdict.c_str()).x, fs);
  colored(verdict_color, verdict);

  const ImVec2 p0 = ImGui::GetCursorScreenPos();
  const float width = ImGui::GetContentRegionAvail().x;
  const float margin = fs * 0.3f;
  const float cell = (width - 2 * margin) / std::max(T, 1);
  const bool wide = cell >= fs * 2.6f;  // room for the values
  // Row captions under the strip, wrapped to its width (narrow column, presenter scale).
  const std::string caption =
      std::string(wide ? "cells: rₜ′ (greyed: t′ < t)   below: "
                       : "cells: rₜ′ by sign (greyed: t′ < t)   below: ") +
      (cw.importance ? (total ? "γ^t′ ρ₀:max(t,t′), the weight of rₜ′ in Q̂′ₜ (ratios up to it)"
                              : "γ^(t′−t) ρ₀:ₜ′, the weight of rₜ′ in Q̂′ₜ (ratios up to it)")
       : total ? "γ^t′, the discount of rₜ′ in R"
               : "γ^(t′−t), the discount of rₜ′ in Gₜ");
  const float caption_w = std::max(width - 2 * margin, fs);
  const float caption_h = ImGui::CalcTextSize(caption.c_str(), nullptr, false, caption_w).y;
  const float h =
      std::max({height - ImGui::GetFrameHeightWithSpacing(), fs * 6.6f, fs * 5.5f + caption_h});
  ImGui::InvisibleButton("##strip", ImVec2(width, h));
  const bool hovered = ImGui::IsItemHovered();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  if (T == 0) return;
  const float bracket_y = p0.y + fs * 1.35f;
  const float cells_y0 = p0.y + fs * 1.8f, cells_y1 = cells_y0 + fs * 1.7f;
  const float weights_y0 = cells_y1 + fs * 0.25f, weights_y1 = weights_y0 + fs * 1.5f;
  auto x_of = [&](int k) { return p0.x + margin + cell * k; };

  double rmax = 0.0;
  for (int k = 0; k < T; ++k) rmax = std::max(rmax, std::abs(L.at(st.trajectory, k).reward));
  if (!(rmax > 0.0)) rmax = 1.0;
  const float gap = cell > 4.0f ? 1.0f : 0.0f;
  for (int k = 0; k < T; ++k) {
    const double r = L.at(st.trajectory, k).reward;
    const bool past = k < t;
    const ImU32 base = r > 0   ? color_reward_pos()
                       : r < 0 ? color_reward_neg()
                               : disabled_color(0.6f);
    const float strength = r == 0 ? 0.35f : 0.35f + 0.65f * static_cast<float>(std::abs(r) / rmax);
    const ImU32 fill = past ? disabled_color(0.22f) : with_alpha(base, strength);
    const ImVec2 a(x_of(k) + gap, cells_y0), b(x_of(k + 1) - gap, cells_y1);
    dl->AddRectFilled(a, b, fill, 0.0f);
    if (past) {
      // A faint trace of the sign, so the past is readable but clearly out of the sum.
      dl->AddRectFilled(ImVec2(a.x, b.y - fs * 0.2f), b, with_alpha(base, 0.35f));
      if (!total) dl->AddLine(ImVec2(a.x, b.y), ImVec2(b.x, a.y), disabled_color(0.9f), 1.0f);
    }
    if (wide) {
      const std::string v = fmt(r, "%.3g");
      const ImVec2 vs = ImGui::CalcTextSize(v.c_str());
      const ImVec2 tp(0.5f * (a.x + b.x) - 0.5f * vs.x, 0.5f * (a.y + b.y) - 0.5f * vs.y);
      dl->AddText(tp, past ? disabled_color() : text_color(), v.c_str());
      if (past && !total)
        dl->AddLine(ImVec2(tp.x - 2, tp.y + 0.55f * vs.y),
                    ImVec2(tp.x + vs.x + 2, tp.y + 0.55f * vs.y), text_color(0.8f), 1.5f);
    }
    // The discount each counted reward is multiplied by: a bar, and its value when there is room.
    if (w[k] > 0.0) {
      const float wh = static_cast<float>(w[k] / w_max) * (weights_y1 - weights_y0);
      dl->AddRectFilled(ImVec2(a.x, weights_y0), ImVec2(b.x, weights_y0 + std::max(wh, 1.0f)),
                        with_alpha(color_return(), past ? 0.35f : 0.75f));
      if (wide) {
        const std::string g = fmt(w[k], "%.3g");
        const ImVec2 gs = ImGui::CalcTextSize(g.c_str());
        dl->AddText(ImVec2(0.5f * (a.x + b.x) - 0.5f * gs.x,
                           weights_y0 + 0.5f * (weights_y1 - weights_y0) - 0.5f * gs.y),
                    text_color(), g.c_str());
      }
    }
  }
  // The selected step.
  dl->AddRect(ImVec2(x_of(t) - 1, cells_y0 - 2), ImVec2(x_of(t + 1) + 1, cells_y1 + 2),
              color_selection(), 0.0f, 0, 2.5f);
  // Bracket over the rewards that count.
  const int first = total ? 0 : t;
  const float bx0 = x_of(first) + 1, bx1 = x_of(T) - 1;
  const ImU32 bc = color_return();
  dl->AddLine(ImVec2(bx0, bracket_y), ImVec2(bx1, bracket_y), bc, 2.0f);
  dl->AddLine(ImVec2(bx0, bracket_y), ImVec2(bx0, cells_y0 - 3), bc, 2.0f);
  dl->AddLine(ImVec2(bx1, bracket_y), ImVec2(bx1, cells_y0 - 3), bc, 2.0f);
  const pg::LedgerStep& row = L.at(st.trajectory, t);
  const std::string label = cw.importance
                                ? (total ? "Q̂′ₜ = Σₜ′ γ^t′ ρ₀:max(t,t′) rₜ′ = " + fmt(cw.value)
                                         : "Q̂′ₜ = Σₜ′≥t γ^(t′−t) ρ₀:ₜ′ rₜ′ = " + fmt(cw.value))
                            : total ? "Q̂ₜ = R = Σₜ′ γ^t′ rₜ′ = " + fmt(row.q_hat)
                                    : "Q̂ₜ = Gₜ = Σₜ′≥t γ^(t′−t) rₜ′ = " + fmt(row.q_hat);
  const ImVec2 ls = ImGui::CalcTextSize(label.c_str());
  float lx = 0.5f * (bx0 + bx1) - 0.5f * ls.x;
  lx = std::clamp(lx, p0.x, p0.x + width - ls.x);
  dl->AddRectFilled(ImVec2(lx - 3, p0.y), ImVec2(lx + ls.x + 3, p0.y + ls.y),
                    ImGui::GetColorU32(ImGuiCol_WindowBg));
  dl->AddText(ImVec2(lx, p0.y), bc, label.c_str());
  dl->AddText(ImGui::GetFont(), fs, ImVec2(p0.x + margin, weights_y1 + fs * 0.1f), disabled_color(),
              caption.c_str(), nullptr, caption_w);

  if (hovered) {
    const int k =
        std::clamp(static_cast<int>((ImGui::GetIO().MousePos.x - p0.x - margin) / cell), 0, T - 1);
    const bool counted = w[k] > 0.0;
    ImGui::SetTooltip("r%s = %.6g%s\nweight in Q̂%s%s: %.6g%s\nclick: select step %d",
                      subscript(k).c_str(), L.at(st.trajectory, k).reward,
                      k < t ? " (before aₜ)" : "", cw.importance ? "′" : "", subscript(t).c_str(),
                      w[k], counted ? "" : " (dropped by reward-to-go)", k);
    if (ImGui::IsMouseClicked(ImGuiMouseButton_Left)) {
      st.step = k;
      st.follow = true;
    }
  }
}

// ---- ledger table -------------------------------------------------------------------------------

void draw_ledger(ViewContext& ctx, InspectorState& st) {
  const InspectorViewCache& c = *st.cache;
  const pg::Session& s = *c.session;
  const Rows rows = rows_of(st);
  const int T = rows.count();
  const int sel = rows.selected(st);
  const float fs = ImGui::GetFontSize();
  // The columns of w are the algorithm's named pieces (StepDecomposition), the last one w itself:
  // the same numbers as the step card.
  const bool dec = decomposed(c);
  const pg::StepDecomposition& d = c.decomp;
  const int P = dec ? d.num_pieces() : 1;
  const bool before = dec && c.has_before;
  double psi_max = 0.0;
  for (int k = 0; k < T; ++k)
    psi_max = std::max(psi_max, std::abs(weight_of(c, rows.traj(k), rows.step(k))));
  if (!(psi_max > 0.0)) psi_max = 1.0;

  // Where no per-step scalar reproduces ĝ (SAC: the badge says "by design"), the caption does
  // not claim the sum is ĝ. The optimal baseline's c is per parameter (its caption says so) and
  // sums to ĝ, though its w does not.
  const pg::BatchLedger& L = c.ledger;
  const bool sums = !dec || d.sums_to_gradient || !L.per_step_baseline;
  const std::string formula = contribution_formula(L, s.last_estimate(), rows.by_trajectory);
  if (rows.by_trajectory) {
    ImGui::TextUnformatted("Ledger of the batch");
    caption_after(("one row per trajectory (each one step);  " + formula +
                   (sums ? ";  Σ over the rows = ĝ"
                         : ";  Σ over the rows ≠ ĝ by design (see the "
                           "derivation)"))
                      .c_str());
  } else {
    ImGui::Text("Ledger of trajectory %d", st.trajectory);
    caption_after(("one row per step;  " + formula +
                   (sums ? ";  Σ over all trajectories = ĝ"
                         : ";  Σ over all trajectories ≠ ĝ by design (see the derivation)"))
                      .c_str());
  }
  const ImGuiTableFlags flags = ImGuiTableFlags_ScrollY | ImGuiTableFlags_RowBg |
                                ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_BordersOuter |
                                ImGuiTableFlags_SizingStretchProp | ImGuiTableFlags_NoSavedSettings;
  const int columns = 5 + P + (before ? 1 : 0) + 2;
  // A number column needs the widest number "%.4g" prints ("-0.0009571") in the cells' font.
  ImFont* mono = ctx.window.mono_font();
  if (mono) ImGui::PushFont(mono);
  const float number_w = ImGui::CalcTextSize("-0.0009571").x;
  if (mono) ImGui::PopFont();
  const float column_w = std::max(fs * 4.3f, number_w) + ImGui::GetStyle().CellPadding.x * 2.0f;
  // Narrow (small window, presenter mode): fixed columns and a horizontal scrollbar instead of
  // clipped numbers.
  const float need = column_w * static_cast<float>(columns);
  const bool narrow = ImGui::GetContentRegionAvail().x < need;
  const ImGuiTableFlags table_flags = narrow ? (flags & ~ImGuiTableFlags_SizingStretchProp) |
                                                   ImGuiTableFlags_ScrollX |
                                                   ImGuiTableFlags_SizingFixedFit
                                             : flags;
  // The rest of the column, and at least the header and six rows (all rows where they are fewer,
  // with a row to spare for a header on two lines): where the column has less left (1280×720: the
  // derivation above takes it) the column scrolls, not the ledger down to a sliver whose one row
  // hides under the header. (Whole rows: a ledger whose rows overran its height by less than the
  // horizontal scrollbar got no vertical one, and its last row was cut.)
  const float row_h = ImGui::GetTextLineHeight() + 2.0f * ImGui::GetStyle().CellPadding.y;
  const float bar = narrow ? ImGui::GetStyle().ScrollbarSize : 0.0f;
  const float min_h = std::min(row_h * static_cast<float>(T + 2), row_h * 7.0f) + bar;
  // Whether the column shows the titles and two rows: below its fold, the ledger keeps its scroll
  // (following the selected step there moved rows under titles that were out of sight).
  const bool in_view = ImGui::GetCursorScreenPos().y + 3.0f * row_h <
                       ImGui::GetWindowPos().y + ImGui::GetWindowHeight();
  if (!ImGui::BeginTable("##ledger", columns, table_flags,
                         ImVec2(0, std::max(ImGui::GetContentRegionAvail().y, min_h))))
    return;
  ImGui::TableSetupScrollFreeze(0, 1);
  const bool long_state = s.env().picture() == pg::EnvPicture::kCart;  // θ with sign and decimals
  ImGui::TableSetupColumn(rows.by_trajectory ? "i" : "t", ImGuiTableColumnFlags_WidthFixed,
                          fs * 2.6f);
  auto column = [&](const char* name, float weight) {
    if (narrow)
      ImGui::TableSetupColumn(name, ImGuiTableColumnFlags_WidthFixed,
                              std::max(fs * 4.3f * weight, number_w));
    else
      ImGui::TableSetupColumn(name, ImGuiTableColumnFlags_WidthStretch, weight);
  };
  column("sₜ", long_state ? 1.2f : 1.0f);
  column("aₜ", 1.1f);
  // Continuous actions: a density (the step card says of what), not a probability.
  column(s.env().action_dim() > 0 ? "density π(aₜ|sₜ)" : "π(aₜ|sₜ)", 1.0f);
  column("rₜ", 1.0f);
  for (int k = 0; k < P; ++k) column(dec ? d.pieces[k].symbol.c_str() : "ψₜ", 1.0f);
  if (before) column("w before", 1.0f);
  column("‖cₜ‖", 1.1f);
  column("wₜ (bar)", 1.6f);
  // Titles wrap in their columns rather than end in "…" (as table_headers_wrapped()); a piece's
  // title explains it on hover.
  ImGui::TableNextRow(ImGuiTableRowFlags_Headers);
  ImGui::PushTextWrapPos(0.0f);
  for (int col = 0; col < columns; ++col) {
    if (!ImGui::TableSetColumnIndex(col)) continue;
    ImGui::TextUnformatted(ImGui::TableGetColumnName(col));
    const int k = col - 5;
    if (dec && k >= 0 && k < P && ImGui::IsItemHovered() && !d.pieces[k].meaning.empty())
      ImGui::SetTooltip("%s", d.pieces[k].meaning.c_str());
  }
  ImGui::PopTextWrapPos();

  if (st.follow && in_view) {
    // Keep the selected row in view (the clipper only lays out what is visible).
    const float visible = ImGui::GetWindowHeight() - row_h * 2.0f;
    const float y = row_h * sel;
    // Whole rows: the scroll a multiple of the row height within its range, so the first row
    // under the frozen titles shows whole (a row cut at the bottom scrolls into view). The range
    // is known once the table has been laid out: until then, keep following.
    const float scroll_max = ImGui::GetScrollMaxY();
    if (y < ImGui::GetScrollY() || y > ImGui::GetScrollY() + visible) {
      float target = std::max(0.0f, y - visible * 0.5f);
      if (scroll_max > 0.0f) target = std::min(target, scroll_max);
      ImGui::SetScrollY(std::floor(target / row_h) * row_h);
    }
    st.follow = !(scroll_max > 0.0f);
  }
  ImGuiListClipper clipper;
  clipper.Begin(T, row_h);
  while (clipper.Step()) {
    for (int k = clipper.DisplayStart; k < clipper.DisplayEnd; ++k) {
      const pg::LedgerStep& row = rows.at(k);
      const int i = rows.traj(k), t = rows.step(k);
      const pg::Trajectory& tr = s.batch().trajectories[i];
      ImGui::TableNextRow(ImGuiTableRowFlags_None, row_h);
      ImGui::TableNextColumn();
      char id[32];
      std::snprintf(id, sizeof id, "%d##row%d", k, k);
      if (ImGui::Selectable(id, k == sel, ImGuiSelectableFlags_SpanAllColumns)) rows.select(st, k);
      if (mono) ImGui::PushFont(mono);
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(state_text(s, tr, t, false).c_str());
      ImGui::TableNextColumn();
      if (tr.action_dim == 1)  // the sample u, as the step card's a_t line prints it
        ImGui::Text("%s %+.2f", s.env().action_label(row.action).c_str(),
                    tr.act_u[static_cast<size_t>(t)]);
      else
        ImGui::TextUnformatted(s.env().action_label(row.action).c_str());
      ImGui::TableNextColumn();
      ImGui::Text("%.3f", row.prob);
      ImGui::TableNextColumn();
      ImGui::PushStyleColor(ImGuiCol_Text, row.reward > 0   ? color_reward_pos()
                                           : row.reward < 0 ? color_reward_neg()
                                                            : disabled_color());
      ImGui::Text("%.4g", row.reward);
      ImGui::PopStyleColor();
      for (int p = 0; p < P; ++p) {
        ImGui::TableNextColumn();
        const double v = dec ? d.value(i, t, p) : row.psi;
        if (p == P - 1)
          colored(color_psi(), fmt(v, "%.4g"));
        else
          ImGui::TextUnformatted(fmt(v, "%.4g").c_str());
      }
      if (before) {
        ImGui::TableNextColumn();
        colored(color_selection(), fmt(c.decomp_before.weight(i, t), "%.4g"));
      }
      ImGui::TableNextColumn();
      ImGui::Text("%.3g", row.contribution_norm);
      if (mono) ImGui::PopFont();
      ImGui::TableNextColumn();
      // w_t as a bar from the column's middle, coloured by sign.
      const double w = weight_of(c, i, t);
      const ImVec2 p = ImGui::GetCursorScreenPos();
      const float cw = ImGui::GetContentRegionAvail().x;
      const float mid = p.x + 0.5f * cw;
      const float len = static_cast<float>(w / psi_max) * 0.5f * cw;
      ImDrawList* dl = ImGui::GetWindowDrawList();
      dl->AddLine(ImVec2(mid, p.y), ImVec2(mid, p.y + ImGui::GetTextLineHeight()),
                  disabled_color(0.6f));
      dl->AddRectFilled(ImVec2(std::min(mid, mid + len), p.y + 2),
                        ImVec2(std::max(mid, mid + len), p.y + ImGui::GetTextLineHeight() - 2),
                        color_signed(w));
    }
  }
  // Scrolling sideways, the horizontal scrollbar covers the last scrollbar-height of the rows
  // without ImGui counting it when it decides on a vertical one: a spacer row that high makes the
  // last row reachable.
  if (narrow) ImGui::TableNextRow(ImGuiTableRowFlags_None, ImGui::GetStyle().ScrollbarSize);
  ImGui::EndTable();
}

// For algorithms whose weight is not REINFORCE's return: how w is made, in place of the causality
// strip.
void draw_derivation(const InspectorViewCache& c) {
  text_wrapped_at_spacesf("How %s weighs ∇log π(aₜ|sₜ)", c.info.title.c_str());
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  if (c.decomp.derivation.empty())
    text_wrapped_at_spacesf("wₜ is the algorithm's ψ for the step (the last ledger column).");
  for (const std::string& line : c.decomp.derivation) text_wrapped_at_spacesf("%s", line.c_str());
  ImGui::PopStyleColor();
  ImGui::Spacing();
}

}  // namespace

int inspector_default_step(const pg::Session& s) {
  if (!s.has_estimate() || s.batch().size() == 0) return 0;
  return s.batch().trajectories[0].length() / 2;
}

void DrawInspectorView(ViewContext& ctx) {
  InspectorState& st = ctx.state.views.inspector;
  const bool running = ctx.state.runner && ctx.state.runner->running();
  refresh(st, ctx.snap, running);
  InspectorViewCache& c = *st.cache;
  const pg::Session& now = *ctx.snap.session;

  // Mid-collect and paused: the batch on screen is not complete, so there is no ledger to show.
  if (!running && !now.has_estimate()) {
    text_wrapped_at_spacesf(
        "Iteration %d is %s. The ledger needs the estimate: every trajectory of the batch, the "
        "weight w for each step, and ĝ.",
        now.iteration(), collect_progress(now).c_str());
    if (ctx.state.runner && ImGui::Button("Step to the estimate"))
      ctx.state.runner->step_in_background(pg::Granularity::kEstimate);
    return;
  }
  if (!c.session) {
    note_wrappedf("Waiting for the first complete batch…");
    return;
  }
  handle_keys(st);
  clamp_selection(st);
  if (c.ledger.num_trajectories == 0) return;

  const float fs = ImGui::GetFontSize();
  const ImGuiStyle& style = ImGui::GetStyle();
  draw_header(st);
  draw_flip(c);
  clamp_selection(st);

  // Narrow (presenter scale, small window): the picture and card above, the timeline and ledger
  // below, each a full view high, in one scrolling column — rather than a right column too narrow
  // for its plots and numbers.
  const ImVec2 full = ImGui::GetContentRegionAvail();
  const bool stacked = full.x < fs * 40.0f;
  if (stacked) ImGui::BeginChild("inspector_stack", full, false);
  const ImVec2 avail = stacked ? ImVec2(ImGui::GetContentRegionAvail().x, full.y) : full;
  const ImVec2 view = ctx.state.layout_ui.view_area;
  // Side by side, the picture's column is at least the 40% rule's width (and a scrollbar, should
  // the column scroll).
  const float left_w =
      stacked ? avail.x
              : std::max(fs * 21.0f,
                         picture_box(view, ImVec2(avail.x * 0.36f, 0.0f)).x + style.ScrollbarSize);
  ImGui::BeginChild("inspector_left", ImVec2(left_w, avail.y), false);
  {
    // The picture gets what the step card (and the captions draw() puts under the picture) leave.
    // (First frame: a generous guess, so the card never starts with a scrollbar.)
    const float card_h = c.card_height > 0.0f ? c.card_height + 2.0f : fs * 30.0f;
    // Room for the picture's own header and legend (about 9 lines in a narrow column) plus a
    // readable world, and at least the 40% rule's height: on small screens the card scrolls.
    float pic = std::max(
        fs * 16.0f, std::min(ImGui::GetContentRegionAvail().x, avail.y - card_h - c.env_extra));
    pic = std::min(pic, ImGui::GetContentRegionAvail().x + fs * 5.0f);
    if (const float aspect = EnvRenderer::height_per_width(c.session->env()); aspect > 0.0f) {
      // A wide grid (the cliff) needs less height than width: the card moves up instead of a gap.
      const float grid_h = ImGui::GetContentRegionAvail().x * aspect;
      pic = std::max(fs * 16.0f, std::min(pic, grid_h + fs * 5.0f));
    }
    pic =
        EnvRenderer::box_for(c.session->env(), view, ImVec2(ImGui::GetContentRegionAvail().x, pic))
            .y;
    const float y0 = ImGui::GetCursorPosY();
    EnvDrawOptions o;
    o.trajectory = st.trajectory;
    o.t = static_cast<float>(st.step);
    o.highlight_step = st.step;
    o.trail = true;
    if (c.session->behaviour_policy().kind() == pg::PolicyKind::kTabular)
      o.contribution = &c.contribution;
    o.policy = &c.session->behaviour_policy();  // the card's μ, σ and density are of this policy
    const EnvPick pick =
        ctx.env.draw(*c.session, o, ImVec2(ImGui::GetContentRegionAvail().x, pic), ctx.theme, 0);
    c.env_extra = std::max(0.0f, ImGui::GetCursorPosY() - y0 - pic);
    if (pick.clicked && pick.step >= 0) {
      st.step = pick.step;
      st.follow = true;
      clamp_selection(st);
    }
    ImGui::BeginChild("inspector_card", ImVec2(0, 0), false);
    draw_step_card(ctx, st);
    ImGui::EndChild();
  }
  ImGui::EndChild();
  if (!stacked) ImGui::SameLine(0, style.ItemSpacing.x);
  ImGui::BeginChild("inspector_right", ImVec2(0, avail.y), false);
  {
    const float h = ImGui::GetContentRegionAvail().y;
    draw_timeline(st, std::max(fs * 12.0f, h * 0.40f));
    clamp_selection(st);
    if (!c.info.reinforce_settings) {
      draw_derivation(c);
    } else if (c.one_step) {
      ImGui::TextUnformatted("Which rewards weigh ∇log π(a|s)?");
      ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
      text_wrapped_at_spacesf(
          "every episode is one step, so Q̂ = r under total return and reward-to-go alike: "
          "causality "
          "changes nothing here. A baseline is what takes the noise out of ψ = r − b.");
      ImGui::PopStyleColor();
      ImGui::Spacing();
    } else {
      draw_causality(st, fs * 7.9f);
    }
    clamp_selection(st);
    draw_ledger(ctx, st);
  }
  ImGui::EndChild();
  if (stacked) ImGui::EndChild();
}

}  // namespace pglab::gui
