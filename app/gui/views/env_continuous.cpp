// Pictures of worlds with continuous actions and a Gaussian policy: Pendulum-v1 with the mean
// torque and its spread, and the continuous bandit's reward curve with the policy's density over
// it. The numbers come from core/lab/gaussian_picture.h.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

#include "gui/panels/panels.h"
#include "gui/plot/plot.h"
#include "gui/views/env_draw.h"
#include "lab/gaussian_picture.h"
#include "lab/rollout_stats.h"

namespace pglab::gui::envdraw {

namespace {

// v for a "%+.Nf": 0 where it rounds to zero at `digits` decimals (a mean of −0.001 printed
// "μ = -0.00").
double signed_shown(double v, int digits) {
  return std::abs(v) < 0.5 * std::pow(10.0, -digits) ? 0.0 : v;
}

// The curve picture's colours, in its plot and in the key that stands for its legend.
constexpr ImU32 kRewardColour = IM_COL32(120, 200, 120, 255);
constexpr ImU32 kDensityColour = IM_COL32(90, 150, 230, 255);
constexpr ImU32 kMeanColour = IM_COL32(60, 120, 220, 255);
constexpr ImU32 kSampleColour = IM_COL32(250, 160, 60, 255);

// An arc around c of radius r from angle a0 to a1 (radians, screen: 0 = right, y down).
void arc(ImDrawList* dl, ImVec2 c, float r, float a0, float a1, ImU32 col, float w) {
  if (std::abs(a1 - a0) < 1e-4f) return;
  dl->PathArcTo(c, r, std::min(a0, a1), std::max(a0, a1), 48);
  dl->PathStroke(col, 0, w);
}

// An arrow head at the end of an arc at angle a (screen), pointing along the arc's direction.
void arc_head(ImDrawList* dl, ImVec2 c, float r, float a, float dir, ImU32 col, float size) {
  const ImVec2 tip(c.x + r * std::cos(a), c.y + r * std::sin(a));
  // Tangent of the arc at a, in the direction of travel.
  const ImVec2 t(-std::sin(a) * dir, std::cos(a) * dir);
  const ImVec2 n(std::cos(a), std::sin(a));
  const ImVec2 p1(tip.x - t.x * size + n.x * size * 0.5f, tip.y - t.y * size + n.y * size * 0.5f);
  const ImVec2 p2(tip.x - t.x * size - n.x * size * 0.5f, tip.y - t.y * size - n.y * size * 0.5f);
  dl->AddTriangleFilled(tip, p1, p2, col);
}

// The short line of the curve picture (presenter scale, a fork's branch): the rest on hover.
std::string curve_brief_line(const pg::CurvePicture& c) {
  char buf[160];
  std::snprintf(buf, sizeof buf, "N(μ = %+.3f, σ = %.3f): exact J = %.4f", signed_shown(c.mu, 3),
                c.sigma, c.J);
  return buf;
}

// The colour key standing for the plot's legend; `j_key` ("— J = 0.290") outlives it.
std::vector<ColourKey> curve_keys(const pg::CurvePicture& c, const char* j_key) {
  std::vector<ColourKey> keys = {
      {kRewardColour, "— r(a)"}, {kDensityColour, "— π(a) (scaled)"}, {kMeanColour, "| μ"}};
  if (!c.sample_a.empty()) keys.push_back({kSampleColour, "● this batch: (a, reward)"});
  keys.push_back({color_return(), j_key});
  return keys;
}

}  // namespace

GaussianMarks gaussian_marks(const pg::Env& env, const pg::Policy& policy, const double* obs,
                             const double* u) {
  GaussianMarks m;
  m.g = pg::gaussian_at(env, policy, pg::ObsRef{-1, obs});
  if (!m.g.valid) return m;
  m.band_lo = pg::applied_action(env, policy, m.g.mu - m.g.sigma);
  m.band_hi = pg::applied_action(env, policy, m.g.mu + m.g.sigma);
  if (u) {
    m.has_u = true;
    m.u = *u;
    m.applied_u = pg::applied_action(env, policy, *u);
  }
  return m;
}

std::string gaussian_words(const GaussianMarks& m, const char* quantity, bool brief) {
  const pg::GaussianAt& g = m.g;
  if (!g.valid) return "";
  char buf[240];
  if (brief)
    std::snprintf(buf, sizeof buf, "μ\u00a0=\u00a0%+.2f, σ\u00a0=\u00a0%.2f", signed_shown(g.mu, 2),
                  g.sigma);
  // Squashed, μ and σ are the Gaussian's over u, before tanh: not a torque or force until squashed.
  else if (g.squash)
    std::snprintf(buf, sizeof buf,
                  "Policy here: u ~ N(μ = %+.2f, σ = %.2f), %s = tanh(u) scaled into [%.0f, %.0f] "
                  "(%+.2f at μ)",
                  signed_shown(g.mu, 2), g.sigma, quantity, g.low, g.high,
                  signed_shown(g.env_mu, 2));
  else
    std::snprintf(
        buf, sizeof buf,
        "Policy here: mean %s μ = %+.2f, σ = %.2f (the environment clips to [%.0f, %.0f])",
        quantity, signed_shown(g.mu, 2), g.sigma, g.low, g.high);
  return buf;
}

namespace {
Rgba rgba_of(ImU32 u) {
  const ImVec4 c = ImGui::ColorConvertU32ToFloat4(u);
  return Rgba{c.x, c.y, c.z, c.w};
}
}  // namespace

Rgba gaussian_band_colour() {
  return with_alpha(rgba_of(kDensityColour), 70.0f / 255.0f);
}
Rgba gaussian_mean_colour() {
  return rgba_of(kMeanColour);
}
Rgba gaussian_sample_colour() {
  return rgba_of(kSampleColour);
}

EnvPick draw_pendulum(const DrawArgs& a) {
  EnvPick pick;
  const float fs = ImGui::GetFontSize();
  double tt = 0.0;
  const pg::Trajectory* tr = chosen_trajectory(a.s, a.o, &tt);
  double f[3] = {1.0, 0.0, 0.0};  // cos θ, sin θ, θ̇ (upright at rest without a trajectory)
  const bool has_state = tr && tr->obs_dim >= 3;
  if (has_state) pg::features_at(*tr, tt, f);
  const double theta = std::atan2(f[1], f[0]), theta_dot = f[2];
  const pg::Policy& pi = sampling_policy(a);
  // The step's sampled torque u (before the clip), when there is one at this t: at t = T (the state
  // after the last step) none yet — the last step's u was drawn at the state before (audit a14 F3).
  const int step = tr ? static_cast<int>(std::floor(tt)) : -1;
  const bool has_u = tr && tr->action_dim == 1 && step >= 0 && step < tr->length();
  const GaussianMarks m =
      gaussian_marks(a.s.env(), pi, f, has_u ? &tr->act_u[static_cast<size_t>(step)] : nullptr);
  const pg::GaussianAt& g = m.g;

  const float y0 = ImGui::GetCursorScreenPos().y;
  ImGui::BeginGroup();
  char buf[320];
  if (g.valid)
    std::snprintf(buf, sizeof buf, "θ = %+.2f rad (0 = upright), dθ/dt = %+.2f rad/s. %s%s", theta,
                  theta_dot, gaussian_words(m, "torque", false).c_str(),
                  has_u               ? ""
                  : tr && tr->ended() ? ". The episode has ended."
                  : tr && step > 0    ? ". Its next step is still to be sampled."
                                      : ". No step to show yet.");
  else
    std::snprintf(buf, sizeof buf, "θ = %+.2f rad, dθ/dt = %+.2f rad/s.", theta, theta_dot);
  // Brief (a fork's two pictures side by side): the policy's mean and spread only.
  if (a.o.brief && g.valid)
    std::snprintf(buf, sizeof buf, "θ\u00a0=\u00a0%+.2f\u00a0rad · %s", theta,
                  gaussian_words(m, "torque", true).c_str());
  text_wrapped_at_spaces(buf, a.size.x);  // "μ = +0.22" stays whole
  if (has_u && !a.o.brief) {
    std::snprintf(buf, sizeof buf,
                  "Step %d: sampled u = %+.2f → torque %+.2f. Blue arc: μ; band: μ ± σ; orange "
                  "tick: u. Counter-clockwise is positive.",
                  step, m.u, m.applied_u);
    text_wrapped_at_spaces(buf, a.size.x);
  }
  const ImVec2 p0 = ImGui::GetCursorScreenPos();
  const float h = std::max(fs * 6.0f, a.size.y - (p0.y - y0));
  ImGui::InvisibleButton("pendulum_canvas", ImVec2(a.size.x, h));
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 c(p0.x + a.size.x * 0.5f, p0.y + h * 0.5f);
  // The circle fits the narrower side (a fork's two pendulums side by side are tall and narrow:
  // sized by the height, they ran out of their boxes).
  const float L = std::min(h, a.size.x) * 0.32f;
  const ImU32 ink = to_u32(a.pal.ink), dim = to_u32(with_alpha(a.pal.text_dim, 0.5f));
  // The circle the tip moves on, and "up".
  dl->AddCircle(c, L, dim, 64, 1.0f);
  dl->AddLine(ImVec2(c.x, c.y - L * 1.15f), ImVec2(c.x, c.y - L * 0.85f), dim, 1.5f);
  // Torque: angle in screen coordinates of the tip is −π/2 − θ (θ counter-clockwise from up).
  if (g.valid) {
    const float r = L * 0.55f;
    const float k = static_cast<float>(M_PI * 0.75 / g.high);  // full torque = 135°
    const float base = static_cast<float>(-M_PI / 2);
    auto ang = [&](double torque) {
      return base - k * static_cast<float>(std::clamp(torque, g.low, g.high));
    };
    const ImU32 band = to_u32(gaussian_band_colour()), mean = to_u32(gaussian_mean_colour());
    arc(dl, c, r, ang(m.band_lo), ang(m.band_hi), band, fs * 0.9f);
    arc(dl, c, r, base, ang(g.env_mu), mean, fs * 0.2f);
    if (std::abs(g.env_mu) > 1e-3)
      arc_head(dl, c, r, ang(g.env_mu), g.env_mu > 0 ? -1.0f : 1.0f, mean, fs * 0.6f);
    if (m.has_u) {
      const float au = ang(m.applied_u);
      dl->AddLine(
          ImVec2(c.x + (r - fs * 0.6f) * std::cos(au), c.y + (r - fs * 0.6f) * std::sin(au)),
          ImVec2(c.x + (r + fs * 0.6f) * std::cos(au), c.y + (r + fs * 0.6f) * std::sin(au)),
          to_u32(gaussian_sample_colour()), fs * 0.2f);
    }
  }
  // The rod and its bob.
  const ImVec2 tip(c.x - L * static_cast<float>(std::sin(theta)),
                   c.y - L * static_cast<float>(std::cos(theta)));
  dl->AddLine(c, tip, IM_COL32(204, 77, 77, 255), fs * 0.7f);
  dl->AddCircleFilled(tip, fs * 0.45f, IM_COL32(204, 77, 77, 255));
  dl->AddCircleFilled(c, fs * 0.25f, ink);
  ImGui::EndGroup();
  return pick;
}

EnvPick draw_curve(const DrawArgs& a) {
  EnvPick pick;
  const float fs = ImGui::GetFontSize();
  const pg::CurvePicture c =
      pg::curve_picture(a.s.env(), a.o.policy ? *a.o.policy : a.s.policy(), &a.s.batch());
  if (!c.valid) {
    text_wrapped_at_spacesf(
        "The reward curve is drawn for a Gaussian policy on the continuous bandit.");
    return pick;
  }
  char buf[320];
  ImGui::BeginGroup();
  std::snprintf(buf, sizeof buf,
                "Reward curve r(a) and the policy N(μ = %+.3f, σ = %.3f) over it: exact J = E r = "
                "%.4f (best r = %.3f at a = %+.2f). Actions outside [%.0f, %.0f] are clipped: "
                "%.3f of the mass sits on the bounds.",
                signed_shown(c.mu, 3), c.sigma, c.J, c.best_r, signed_shown(c.best_a, 2), c.low,
                c.high, c.mass_low + c.mass_high);
  // Broken at spaces only (a number never splits at its decimal point). Where the paragraph would
  // leave the plot under ~12 em (presenter scale on a small screen) the short form stands, the rest
  // on hover.
  std::string text = wrap_at_spaces(buf, a.size.x);
  const float spacing = ImGui::GetStyle().ItemSpacing.y;
  const bool brief =
      a.o.brief || a.size.y - ImGui::CalcTextSize(text.c_str()).y - spacing < fs * 12.0f;
  if (brief) text = wrap_at_spaces(curve_brief_line(c).c_str(), a.size.x);
  ImGui::PushTextWrapPos(-1.0f);  // the breaks are ours
  ImGui::TextUnformatted(text.c_str(), text.c_str() + text.size());
  ImGui::PopTextWrapPos();
  if (brief && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", buf);
  float h = a.size.y - ImGui::GetItemRectSize().y - spacing;
  // A short plot (the inspector at 1280×720): its five colours in a line above it, where a legend
  // found no free corner and stood over the curve. So too in a fork's half-width branch (brief):
  // a legend of five entries cannot leave a plot that narrow (a strip beside takes at most 40%),
  // and inside it stood over the curves and the batch's points of both branches at 1280×720.
  const bool legend = h >= fs * 18.0f && !a.o.brief;
  char j_key[48];
  std::snprintf(j_key, sizeof j_key, "— J = %.3f", c.J);
  if (!legend && h > fs * 5.0f) {
    const std::vector<ColourKey> keys = curve_keys(c, j_key);
    // The key's lines, all of them: the last item's rect is its last line only (a key of three
    // lines pushed the plot 64 px past the branch's bottom at 1280×720 ×1.5).
    const float y = ImGui::GetCursorPosY();
    colour_key(keys.data(), static_cast<int>(keys.size()));
    h -= ImGui::GetCursorPosY() - y;
  }
  if (h > fs * 5.0f &&
      plot::BeginPlot("Reward curve and policy density##curve", ImVec2(a.size.x, h),
                      legend ? plot::PlotFlags_None : plot::PlotFlags_NoLegend)) {
    plot::SetupAxes("action a", "reward  /  density (scaled)", 0, plot::AxisFlags_IncludeZero);
    plot::SetupAxisLimits(plot::Axis::X, c.low, c.high, ImGuiCond_Always);
    // The density drawn on the reward's scale: its peak at the curve's maximum.
    const double dmax = *std::max_element(c.density.begin(), c.density.end());
    std::vector<double> scaled(c.density.size());
    const double k = dmax > 0 ? std::max(c.best_r, 1e-9) / dmax : 0.0;
    for (size_t i = 0; i < scaled.size(); ++i) scaled[i] = c.density[i] * k;
    plot::SetNextItemColor(kRewardColour);
    plot::PlotLine("r(a)", c.a.data(), c.reward.data(), static_cast<int>(c.a.size()));
    plot::SetNextItemColor(kDensityColour);
    plot::PlotLine("π(a) (scaled)", c.a.data(), scaled.data(), static_cast<int>(c.a.size()));
    plot::SetNextItemColor(kMeanColour);
    plot::PlotVLine("μ", std::clamp(c.mu, c.low, c.high));
    if (!c.sample_a.empty()) {
      plot::SetNextItemColor(kSampleColour);
      plot::PlotScatter("this batch: (a, reward)", c.sample_a.data(), c.sample_r.data(),
                        static_cast<int>(c.sample_a.size()));
    }
    plot::SetNextItemColor(color_return());
    std::snprintf(buf, sizeof buf, "J = %.3f", c.J);
    plot::PlotHLine(buf, c.J);
    plot::EndPlot();
  }
  ImGui::EndGroup();
  return pick;
}

float curve_brief_words_height(const pg::Session& s, float width) {
  if (s.env().picture() != pg::EnvPicture::kCurve) return 0.0f;
  const pg::CurvePicture c = pg::curve_picture(s.env(), s.policy(), &s.batch());
  if (!c.valid) return 0.0f;
  char j_key[48];
  std::snprintf(j_key, sizeof j_key, "— J = %.3f", c.J);
  const std::vector<ColourKey> keys = curve_keys(c, j_key);
  return ImGui::CalcTextSize(wrap_at_spaces(curve_brief_line(c).c_str(), width).c_str()).y +
         ImGui::GetStyle().ItemSpacing.y +
         colour_key_height(keys.data(), static_cast<int>(keys.size()), width);
}

}  // namespace pglab::gui::envdraw
