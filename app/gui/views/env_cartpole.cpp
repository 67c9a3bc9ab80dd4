// The cart-pole picture: track, cart, pole, the failure thresholds (x = ±2.4 m and the ±12° cone
// at the pivot), one episode of the batch replayed at step t, its pole-tip trail, the push of the
// current action, and the batch's other episodes at the same t as faint ghosts. Continuous
// cart-pole also shows the policy's Gaussian over the force at the state shown, as Pendulum does
// (gaussian_marks, gaussian_words): a force axis over the scene with μ, μ ± σ and the sample.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "env/cartpole.h"
#include "gui/views/env_draw.h"
#include "lab/gaussian_picture.h"
#include "lab/rollout_stats.h"

namespace pglab::gui::envdraw {
namespace {

constexpr double kRadToDeg = 180.0 / 3.141592653589793;
constexpr float kPole = 2.0f * static_cast<float>(pg::CartPole::kLength);  // full length, m
constexpr float kCartW = 0.5f, kCartH = 0.28f, kWheel = 0.06f;
constexpr float kPivotY = kWheel + kCartH;  // m above the track
constexpr float kXMin = -2.9f, kXMax = 2.9f, kYMin = -0.42f, kYMax = 1.5f;

// World (metres, y up) to picture (screen units, y down).
struct Scene {
  float ox = 0, ground = 0, k = 1;
  float X(double xm) const { return ox + static_cast<float>(xm) * k; }
  float Y(double ym) const { return ground - static_cast<float>(ym) * k; }
};

void draw_cart(render::TriangleBatch& t, const Scene& sc, const Palette& pal, double x,
               double theta, float alpha, bool failed) {
  const float cx = sc.X(x);
  const Rgba cart = with_alpha(pal.cart, alpha);
  t.add_rect(sc.X(x - kCartW / 2), sc.Y(kWheel + kCartH), sc.X(x + kCartW / 2), sc.Y(kWheel), cart);
  t.add_disc(sc.X(x - kCartW * 0.3), sc.Y(kWheel), kWheel * sc.k, with_alpha(pal.ink, alpha), 16);
  t.add_disc(sc.X(x + kCartW * 0.3), sc.Y(kWheel), kWheel * sc.k, with_alpha(pal.ink, alpha), 16);
  const float px = cx, py = sc.Y(kPivotY);
  const float tx = sc.X(x + kPole * std::sin(theta)), ty = sc.Y(kPivotY + kPole * std::cos(theta));
  const Rgba pole = with_alpha(failed ? pal.danger : pal.pole, alpha);
  t.add_segment(px, py, tx, ty, std::max(2.0f, 0.07f * sc.k), pole);
  t.add_disc(tx, ty, std::max(1.0f, 0.035f * sc.k), pole, 12);
  t.add_disc(px, py, std::max(2.0f, 0.05f * sc.k), with_alpha(pal.ink, alpha), 16);
}

bool outside(double x, double theta) {
  return std::abs(x) > pg::CartPole::kXThreshold || std::abs(theta) > pg::CartPole::kThetaThreshold;
}

// The force on the cart at step t, in newtons: ±10 for the discrete pushes (CartPole-v1's
// force_mag), the applied force (the policy's map, then the clip to [−10, 10]) for continuous
// cart-pole.
double step_force(const DrawArgs& a, const pg::Trajectory& tr, int t) {
  if (tr.action_dim == 1)
    return pg::applied_action(a.s.env(), sampling_policy(a), tr.act_u[static_cast<size_t>(t)]);
  return tr.actions[static_cast<size_t>(t)] == 1 ? 10.0 : -10.0;
}

}  // namespace

EnvPick draw_cartpole(const DrawArgs& a) {
  EnvPick pick;
  const Palette& pal = a.pal;
  Picture pic;
  pic.begin(a.canvas, a.size, pal);
  const float fs = pic.fs, W = pic.size.x, H = pic.size.y;
  double tt = 0.0;
  const pg::Trajectory* tr = chosen_trajectory(a.s, a.o, &tt);
  const bool has_features = tr && tr->obs_dim >= 4;
  double f[4] = {0, 0, 0, 0};
  if (has_features) pg::features_at(*tr, tt, f);
  const double x = f[0], theta = f[2];
  // Continuous cart-pole: the policy's Gaussian at this state, the step's sample u on it.
  const int step = static_cast<int>(std::floor(tt));
  const bool has_u = has_features && tr->action_dim == 1 && step < tr->length();
  const GaussianMarks gm =
      has_features ? gaussian_marks(a.s.env(), sampling_policy(a), f,
                                    has_u ? &tr->act_u[static_cast<size_t>(step)] : nullptr)
                   : GaussianMarks{};
  const bool gauss = gm.g.valid;
  // Room over the pole for the force axis.
  const float y_max = gauss ? kYMax + 0.32f : kYMax;

  // Footer: the state read-out (two lines when it does not fit on one) and the key (wrapped),
  // measured as drawn. The key is left out where it would leave the scene less than 40% of the
  // height (a short box at presenter scale): the scene is what the picture is for. The read-out's
  // width: a typical state's, so the layout holds still while an episode replays, or this state's
  // where it is wider (a pole falling at ≥ 100°/s adds a digit: the layout kept one line for the
  // typical read-out while the drawing took two and pushed the key below the room kept for it).
  char readout[160];
  std::snprintf(readout, sizeof(readout),
                "x = %+.2f m    dx/dt = %+.2f m/s    θ = %+.1f°    dθ/dt = %+.0f°/s", f[0], f[1],
                f[2] * kRadToDeg, f[3] * kRadToDeg);
  const float readout_w =
      std::max(pic.text_size(readout).x,
               pic.text_size("x = +0.00 m    dx/dt = +0.00 m/s    θ = +0.0°    dθ/dt = +00°/s").x);
  char key[320];
  std::snprintf(key, sizeof key, "Red: failure thresholds |x| = 2.4 m, |θ| = 12°.%s%s%s",
                gauss ? "  Top axis, the force: blue arrow μ, band μ ± σ, orange tick u." : "",
                a.o.trail ? "  Orange: pole-tip trail (last 2 s)." : "",
                a.o.ghosts ? "  Faint: the batch's other episodes at the same step." : "");
  const bool key_one_line = pic.text_size(key).x <= W - fs * 2.0f;
  const float key_h =
      key_one_line ? fs * 1.35f : pic.wrapped_size(W - fs * 0.6f, key).y + fs * 0.3f;
  const float header = fs * (gauss ? 4.1f : 2.8f);  // agent line, status (, the policy)
  const float readout_h = readout_w > W - fs * 2.0f ? fs * 2.7f : fs * 1.4f;
  const bool show_key = H - header - fs * 1.0f - readout_h - key_h >= 0.4f * H;
  const float footer = fs * 1.0f + readout_h + (show_key ? key_h : 0.0f);
  const float k =
      std::max(10.0f, std::min(W / (kXMax - kXMin), (H - header - footer) / (y_max - kYMin)));
  const float scene_h = k * (y_max - kYMin);
  const float top = 0.0f;  // top-aligned under the view's own controls
  (void)scene_h;
  Scene sc{W * 0.5f, top + header + y_max * k, k};
  render::TriangleBatch& t = a.canvas.tris;

  // Out-of-bounds zones beyond ±2.4 m and the thresholds themselves.
  const double xt = pg::CartPole::kXThreshold;
  t.add_rect(sc.X(kXMin), sc.Y(y_max), sc.X(-xt), sc.Y(kYMin + 0.12),
             with_alpha(pal.danger, 0.07f));
  t.add_rect(sc.X(xt), sc.Y(y_max), sc.X(kXMax), sc.Y(kYMin + 0.12), with_alpha(pal.danger, 0.07f));
  // Track and metre ticks.
  t.add_rect(sc.X(kXMin + 0.05), sc.Y(0.0), sc.X(kXMax - 0.05),
             sc.Y(0.0) + std::max(2.0f, 0.025f * k), with_alpha(pal.ink, 0.8f));
  for (int m = -2; m <= 2; ++m)
    t.add_segment(sc.X(m), sc.Y(0.0), sc.X(m), sc.Y(-0.1), std::max(1.5f, 0.012f * k),
                  with_alpha(pal.ink, 0.7f));
  for (int sgn = -1; sgn <= 1; sgn += 2)
    t.add_segment(sc.X(sgn * xt), sc.Y(-0.14), sc.X(sgn * xt), sc.Y(y_max - 0.05),
                  std::max(2.0f, 0.02f * k), with_alpha(pal.danger, 0.85f));

  render::TriangleBatch& d = a.canvas.dyn;  // everything that moves with t
  // The ±12° cone at the pivot: where the pole may lean before the episode ends.
  if (has_features) {
    const double th = pg::CartPole::kThetaThreshold;
    const float px = sc.X(x), py = sc.Y(kPivotY), rad = 1.12f * kPole * k;
    const int n = 16;
    for (int i = 0; i < n; ++i) {
      const double a0 = -th + 2 * th * i / n, a1 = -th + 2 * th * (i + 1) / n;
      d.add_triangle(px, py, px + rad * static_cast<float>(std::sin(a0)),
                     py - rad * static_cast<float>(std::cos(a0)),
                     px + rad * static_cast<float>(std::sin(a1)),
                     py - rad * static_cast<float>(std::cos(a1)), with_alpha(pal.danger, 0.09f));
    }
    for (int sgn = -1; sgn <= 1; sgn += 2)
      d.add_segment(px, py, px + rad * static_cast<float>(std::sin(sgn * th)),
                    py - rad * static_cast<float>(std::cos(sgn * th)), std::max(1.5f, 0.012f * k),
                    with_alpha(pal.danger, 0.55f));
  }

  // Ghosts: the batch's other episodes at the same step (or their last state once they ended).
  int ghosts = 0;
  if (a.o.ghosts && tr) {
    const pg::Batch& b = a.s.batch();
    double g[4];
    for (int j = 0; j < b.size(); ++j) {
      const pg::Trajectory& other = b.trajectories[static_cast<size_t>(j)];
      if (j == a.o.trajectory || other.obs_dim < 4 || other.length() == 0) continue;
      pg::features_at(other, std::min(tt, static_cast<double>(other.length())), g);
      draw_cart(d, sc, pal, g[0], g[2], 0.16f, outside(g[0], g[2]));
      ++ghosts;
    }
  }

  // Trail: the pole tip over the last ~100 steps (2 s), fading.
  if (has_features && a.o.trail) {
    const int kk = static_cast<int>(std::floor(tt));
    const int first = std::max(0, kk - 100);
    double p[4];
    float lx = 0, ly = 0;
    for (int j = first; j <= kk + 1; ++j) {
      const double tj = std::min(static_cast<double>(j), tt);
      pg::features_at(*tr, tj, p);
      const float qx = sc.X(p[0] + kPole * std::sin(p[2])),
                  qy = sc.Y(kPivotY + kPole * std::cos(p[2]));
      if (j > first) {
        const float alpha =
            0.1f + 0.6f * static_cast<float>(j - first) / static_cast<float>(kk + 2 - first);
        d.add_segment(lx, ly, qx, qy, std::max(1.5f, 0.018f * k), with_alpha(pal.accent, alpha));
      }
      lx = qx;
      ly = qy;
      if (tj >= tt) break;
    }
  }

  if (has_features) {
    draw_cart(d, sc, pal, x, theta, 1.0f, outside(x, theta));
    // The push of the current action, drawn against the side it pushes.
    const int kk = static_cast<int>(std::floor(tt));
    if (kk < tr->length()) {
      // Discrete: a push of 10 N either way; continuous: the force applied, its length by |F|.
      const double force = step_force(a, *tr, kk);
      const float dir = force > 0 ? 1.0f : -1.0f;
      const float length = 0.38f * static_cast<float>(std::min(1.0, std::abs(force) / 10.0));
      const double side = x - dir * (kCartW / 2 + 0.04);
      const float y = sc.Y(kWheel + kCartH * 0.5f);
      const float x1 = sc.X(side), x0 = x1 - dir * std::max(0.06f, length) * k;
      d.add_arrow(x0, y, x1, y, std::max(3.0f, 0.05f * k), std::max(8.0f, 0.13f * k), pal.accent);
    }
  }

  // The force axis over the scene (continuous cart-pole): −10 … +10 N across ±1.6 m, narrower
  // where its end labels would not fit beside it, the band μ ± σ, the arrow from 0 to μ and the
  // sample's tick, each as the environment applies it.
  char low_label[32], high_label[32];
  std::snprintf(low_label, sizeof low_label, "%+.0f N", gm.g.low);
  std::snprintf(high_label, sizeof high_label, "%+.0f N", gm.g.high);
  const float label_w = std::max(pic.text_size(low_label).x, pic.text_size(high_label).x);
  const float half = std::max(fs, std::min(1.6f * k, W * 0.5f - label_w - fs * 0.8f));
  const double f_max = gauss ? std::max({std::abs(gm.g.low), std::abs(gm.g.high), 1e-9}) : 1.0;
  auto gx = [&](double force) {
    return sc.ox + half * static_cast<float>(std::clamp(force, gm.g.low, gm.g.high) / f_max);
  };
  const float gy = sc.Y(y_max - 0.16);
  if (gauss) {
    const float lw = std::max(1.5f, 0.012f * k);
    d.add_segment(gx(gm.g.low), gy, gx(gm.g.high), gy, lw, with_alpha(pal.ink, 0.6f));
    for (double v : {gm.g.low, 0.0, gm.g.high})
      d.add_segment(gx(v), gy - 0.06f * k, gx(v), gy + 0.06f * k, lw, with_alpha(pal.ink, 0.6f));
    d.add_rect(gx(gm.band_lo), gy - 0.05f * k, gx(gm.band_hi), gy + 0.05f * k,
               gaussian_band_colour());
    const float head = std::max(7.0f, 0.1f * k), from = gx(0.0), to = gx(gm.g.env_mu);
    if (std::abs(to - from) > head)
      d.add_arrow(from, gy, to, gy, std::max(2.5f, 0.035f * k), head, gaussian_mean_colour());
    else  // too short for an arrow: a mark at μ
      d.add_segment(to, gy - 0.07f * k, to, gy + 0.07f * k, std::max(2.5f, 0.03f * k),
                    gaussian_mean_colour());
    if (gm.has_u)
      d.add_segment(gx(gm.applied_u), gy - 0.09f * k, gx(gm.applied_u), gy + 0.09f * k,
                    std::max(2.5f, 0.03f * k), gaussian_sample_colour());
  }

  pic.present(a.programs);

  // ---- text ----
  char buf[256];
  const float tx0 = std::max(fs * 0.5f, sc.X(kXMin));
  if (!tr) {
    pic.text(tx0, top, pal.text_dim, "No episode sampled yet.");
    return pick;
  }
  if (!has_features) {
    pic.text(tx0, top, pal.text_dim, "This batch kept no state features to replay.");
    return pick;
  }
  const int T = tr->length();
  const int kk = static_cast<int>(std::floor(tt));
  const std::string line =
      agent_line(pic, a.s, a.o.trajectory, *tr, kk, W - tx0, "Trajectory", false);
  pic.text(tx0, top, pal.text, line.c_str());
  // The status in full, or its short form where the picture is narrow (presenter scale).
  const char* status[2] = {"", ""};
  char force_text[2][64];
  if (kk >= T) {
    if (tr->terminated && std::abs(tr->final_obs[0]) > pg::CartPole::kXThreshold)
      status[0] = "Ended: the cart left the track (|x| > 2.4 m).", status[1] = "Ended: off track.";
    else if (tr->terminated)
      status[0] = "Ended: the pole fell past 12°.", status[1] = "Ended: pole fell.";
    else if (tr->truncated)
      status[0] = "Ended: step limit reached — the pole stayed up.", status[1] = "Ended: time up.";
    else
      status[0] = "Episode still being sampled.", status[1] = "Sampling…";
  } else {
    if (tr->action_dim == 1) {
      const double force = step_force(a, *tr, kk);
      std::snprintf(force_text[0], sizeof force_text[0], "Action: force %+.2f N %s", force,
                    force > 0 ? "→" : "←");
      std::snprintf(force_text[1], sizeof force_text[1], "F %+.2f %s", force,
                    force > 0 ? "→" : "←");
      status[0] = force_text[0];
      status[1] = force_text[1];
    } else {
      const bool right = tr->actions[static_cast<size_t>(kk)] == 1;
      status[0] = right ? "Action: push right →" : "Action: push left ←";
      status[1] = right ? "push →" : "push ←";
    }
  }
  pic.text(tx0, top + fs * 1.3f, kk >= T && tr->terminated ? pal.danger : pal.text_dim,
           pic.text_size(status[0]).x <= W - tx0 ? status[0] : status[1]);
  if (gauss) {
    // The policy in words (the short form where the picture is narrow), and the axis' ends.
    std::string words = gaussian_words(gm, "force", false);
    if (pic.text_size(words.c_str()).x > W - tx0)
      words = "Policy here: " + gaussian_words(gm, "force", true);
    if (pic.text_size(words.c_str()).x > W - tx0) words = gaussian_words(gm, "force", true);
    pic.text(tx0, top + fs * 2.6f, pal.text, words.c_str());
    pic.text(gx(gm.g.low) - pic.text_size(low_label).x - fs * 0.4f, gy - fs * 0.5f, pal.text_dim,
             low_label);
    pic.text(gx(gm.g.high) + fs * 0.4f, gy - fs * 0.5f, pal.text_dim, high_label);
  }

  // A metre tick's label is left out where it would touch a threshold's (±2 beside ±2.4 in a
  // narrow picture).
  const float threshold_half_w = ImGui::CalcTextSize("−2.4").x * 0.5f;
  // Metre ticks, but not where a tick's label would run into the ±2.4 threshold labels.
  const float threshold_gap = 0.5f * (pic.text_size("2").x + pic.text_size("+2.4").x) + fs * 0.3f;
  for (int m = -2; m <= 2; ++m) {
    if (std::abs(std::abs(m) - xt) * k < threshold_gap) continue;
    std::snprintf(buf, sizeof(buf), "%d", m);
    const float half_w = ImGui::CalcTextSize(buf).x * 0.5f;
    if (std::abs(sc.X(m) - sc.X(m < 0 ? -xt : xt)) < half_w + threshold_half_w + fs * 0.3f)
      continue;
    pic.text_centered(sc.X(m), sc.Y(-0.1) + fs * 0.6f, pal.text_dim, buf);
  }
  pic.text_centered(sc.X(-xt), sc.Y(-0.1) + fs * 0.6f, pal.danger, "−2.4");
  pic.text_centered(sc.X(xt), sc.Y(-0.1) + fs * 0.6f, pal.danger, "+2.4");
  {
    const double th = pg::CartPole::kThetaThreshold;
    const float rad = 1.12f * kPole * k;
    pic.text_centered(sc.X(x) + rad * static_cast<float>(std::sin(th)) + fs * 1.3f,
                      sc.Y(kPivotY) - rad * static_cast<float>(std::cos(th)), pal.danger, "12°");
  }
  // The read-out below the scene, and below the metre labels where the scene is small.
  const float fy = std::max(sc.Y(kYMin) + fs * 0.3f, sc.Y(-0.1) + fs * 1.2f);
  float fy2 = fy + fs * 1.4f;
  if (readout_w > W - fs * 2.0f) {  // narrow: two lines (narrower still: without units)
    std::snprintf(buf, sizeof(buf), "x = %+.2f m   dx/dt = %+.2f m/s", f[0], f[1]);
    if (pic.text_size(buf).x > W - fs * 0.6f)
      std::snprintf(buf, sizeof(buf), "x %+.2f  ẋ %+.2f", f[0], f[1]);
    pic.text(fs * 0.3f, fy, pal.text, buf);
    std::snprintf(buf, sizeof(buf), "θ = %+.1f°   dθ/dt = %+.0f°/s", f[2] * kRadToDeg,
                  f[3] * kRadToDeg);
    if (pic.text_size(buf).x > W - fs * 0.6f)
      std::snprintf(buf, sizeof(buf), "θ %+.1f°  θ̇ %+.0f°/s", f[2] * kRadToDeg, f[3] * kRadToDeg);
    pic.text(fs * 0.3f, fy + fs * 1.3f, pal.text, buf);
    fy2 += fs * 1.3f;
  } else {
    pic.text(std::floor((W - pic.text_size(readout).x) * 0.5f), fy, pal.text, readout);
  }
  if (!show_key) {
  } else if (key_one_line) {
    pic.text(std::floor((W - pic.text_size(key).x) * 0.5f), fy2, pal.text_dim, key);
  } else {
    pic.text_wrapped(fs * 0.3f, fy2, W - fs * 0.6f, pal.text_dim, key);
  }
  return pick;
}

}  // namespace pglab::gui::envdraw
