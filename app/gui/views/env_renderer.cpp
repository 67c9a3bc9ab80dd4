// EnvRenderer: owns the shaders and one canvas (framebuffer + batches) per slot, picks the
// picture for the session's world, and holds the helpers the pictures share (palette, colour
// maps, text over the image). The pictures themselves: env_gridworld.cpp, env_cartpole.cpp,
// env_small.cpp (short corridor, bandit).
#include "gui/views/env_renderer.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "env/gridworld.h"
#include "gui/layout.h"
#include "gui/render/heatmap.h"
#include "gui/theme.h"
#include "gui/views/env_draw.h"
#include "lab/policy_curve.h"
#include "lab/rollout_stats.h"

namespace pglab::gui {

using namespace envdraw;

struct EnvRenderer::Impl {
  std::string error;
  Programs programs;
  std::map<int, Canvas> canvases;  // by slot
  CorridorCurve corridor;
  render::Heatmap heatmap;
  int drawn_frame = -1;  // the frame `drawn` belongs to
  EnvRenderer::Drawn drawn;
};

EnvRenderer::EnvRenderer() : impl_(new Impl) {}
EnvRenderer::~EnvRenderer() {
  delete impl_;
}

std::string EnvRenderer::init() {
  using render::shader_path;
  std::string e = impl_->programs.grid.load(shader_path("grid.vert"), shader_path("grid.frag"));
  if (e.empty())
    e = impl_->programs.lines.load(shader_path("lines.vert"), shader_path("lines.frag"));
  impl_->error = e;
  impl_->heatmap.init();  // its error stays its own: the landscape view shows it
  return e;
}

render::Heatmap& EnvRenderer::heatmap() {
  return impl_->heatmap;
}

const std::string& EnvRenderer::error() const {
  return impl_->error;
}

namespace {

// The J(p) curve depends only on the world (γ, step limit), not on θ: computed once.
void refresh_corridor(CorridorCurve& c, const pg::Env& env) {
  if (c.valid && c.gamma == env.gamma() && c.step_limit == env.step_limit()) return;
  c = CorridorCurve{};
  c.gamma = env.gamma();
  c.step_limit = env.step_limit();
  c.valid = true;
  try {
    const pg::PolicyCurve curve = pg::short_corridor_curve(env, 197, 0.01, 0.99);
    c.p = curve.p;
    c.J = curve.J;
    c.p_best = curve.p_best;
    c.J_best = curve.J_best;
  } catch (const std::exception& e) {
    c.error = e.what();
  }
}

}  // namespace

EnvPick EnvRenderer::draw(const pg::Session& s, const EnvDrawOptions& o, const ImVec2& size_in,
                          Theme theme, int slot) {
  const float fs = ImGui::GetFontSize();
  const ImVec2 size(std::max(std::floor(size_in.x), fs * 4.0f),
                    std::max(std::floor(size_in.y), fs * 4.0f));
  ImGui::PushID(slot);
  EnvPick pick;
  if (!impl_->error.empty()) {
    // A broken shader shows its message (file name and driver log) in place of the picture.
    ImGui::BeginChild("env_error", size, true);
    ImGui::PushStyleColor(ImGuiCol_Text, IM_COL32(235, 110, 100, 255));
    text_wrapped_at_spacesf("The environment picture could not be drawn:\n%s",
                            impl_->error.c_str());
    ImGui::PopStyleColor();
    ImGui::EndChild();
    ImGui::PopID();
    return pick;
  }
  const Palette pal = palette(theme);
  DrawArgs args{s, o, size, theme, impl_->canvases[slot], impl_->programs, pal};
  // Drawn by what the environment reports (DESIGN.md §3a), never by its name.
  switch (s.env().picture()) {
    case pg::EnvPicture::kGrid:
      pick = draw_gridworld(args);
      break;
    case pg::EnvPicture::kCart:
      pick = draw_cartpole(args);
      break;
    case pg::EnvPicture::kCorridor:
      refresh_corridor(impl_->corridor, s.env());
      pick = draw_short_corridor(args, impl_->corridor);
      break;
    case pg::EnvPicture::kArms:
      pick = draw_bandit(args);
      break;
    case pg::EnvPicture::kPendulum:
      pick = draw_pendulum(args);
      break;
    case pg::EnvPicture::kCurve:
      pick = draw_curve(args);
      break;
    case pg::EnvPicture::kTokens: {
      // No picture: a short note in a box of its height, not a box the size of a picture.
      const char* note =
          "Prompts and answers are tokens: the GRPO groups view shows them with their rewards.";
      const ImVec2 pad = ImGui::GetStyle().WindowPadding;
      const float text_h =
          ImGui::CalcTextSize(wrap_at_spaces(note, size.x - pad.x * 2.0f).c_str()).y;
      ImGui::BeginChild("env_tokens", ImVec2(size.x, std::min(size.y, text_h + pad.y * 2.0f)), true,
                        ImGuiWindowFlags_NoScrollbar);
      text_wrapped_at_spaces(note);
      ImGui::EndChild();
      break;
    }
    default:
      ImGui::BeginChild("env_unknown", size, true);
      ImGui::TextDisabled("No picture for the world '%s'.", s.env().name().c_str());
      ImGui::EndChild();
  }
  ImGui::PopID();
  const pg::EnvPicture kind = s.env().picture();
  if (kind == pg::EnvPicture::kGrid || kind == pg::EnvPicture::kCart ||
      kind == pg::EnvPicture::kCorridor || kind == pg::EnvPicture::kArms) {
    if (impl_->drawn_frame != ImGui::GetFrameCount()) impl_->drawn = Drawn();
    impl_->drawn_frame = ImGui::GetFrameCount();
    Drawn d;
    d.box = size;
    const pg::GridLayout* gw = s.env().grid();
    d.world = kind == pg::EnvPicture::kGrid && gw && pick.cell > 0.0f
                  ? ImVec2(pick.cell * static_cast<float>(gw->cols()),
                           pick.cell * static_cast<float>(gw->rows()))
                  : size;
    if (d.box.x * d.box.y > impl_->drawn.box.x * impl_->drawn.box.y) impl_->drawn = d;
  }
  return pick;
}

EnvRenderer::Drawn EnvRenderer::drawn_this_frame() const {
  return impl_->drawn_frame == ImGui::GetFrameCount() ? impl_->drawn : Drawn();
}

ImVec2 EnvRenderer::box_for(const pg::Env& env, const ImVec2& view, const ImVec2& wanted) {
  ImVec2 box = picture_box(view, wanted);
  const pg::GridLayout* gw = env.grid();
  if (env.picture() == pg::EnvPicture::kGrid && gw && gw->rows() > 0 && gw->cols() > 0) {
    // The cell side at which the map spans 40% of the view's width or of its height, whichever
    // comes first; the box's height gives it that (its width is the view's to decide).
    const float rows = static_cast<float>(gw->rows()), cols = static_cast<float>(gw->cols());
    // (Whole pixels, as draw_gridworld() floors the cell side; a pixel more for the rounding of
    // the chrome.)
    const float cell =
        std::ceil(std::min(kMinPictureShare * view.x / cols, kMinPictureShare * view.y / rows));
    // The chrome is under the cells, or beside them where the box is wide enough for that
    // (draw_gridworld's side legend): then only the agent line is above them.
    const float fs = ImGui::GetFontSize();
    const bool side = grid_legend_fits_beside(box.x, cell, gw->rows(), gw->cols(), fs);
    // A box whose map (as draw_gridworld() lays it out, legend beside or under the cells) already
    // has cells that large keeps its size: grown further it ran past the view (1280×720 ×2: a box
    // 449 px high in a view of 440, its last row cut and two scrollbars).
    if (box.x >= cell * cols &&
        grid_cell_side(box.x, box.y, gw->rows(), gw->cols(), fs, true) < cell)
      box.y =
          std::max(box.y, std::ceil(cell * rows + (side ? grid_header_height(fs, true) + fs * 0.3f
                                                        : grid_chrome_height(box.x, fs))) +
                              1.0f);
  }
  return box;
}

float EnvRenderer::width_for_height(const pg::Env& env, float height) {
  const pg::GridLayout* gw = env.grid();
  if (env.picture() != pg::EnvPicture::kGrid || !gw || gw->rows() <= 0 || gw->cols() <= 0)
    return 0.0f;
  const float fs = ImGui::GetFontSize();
  const float cell = std::floor((height - grid_header_height(fs, true) - fs * 0.3f) /
                                static_cast<float>(gw->rows()));
  const float cells_w = std::max(0.0f, cell) * static_cast<float>(gw->cols());
  // grid_side_legend_width(W) = 0.8 em + min(12 em, 0.45 W), solved for W = cells + legend.
  const float wide = cells_w + fs * 12.8f;
  return std::ceil(0.45f * wide >= fs * 12.0f ? wide : (cells_w + fs * 0.8f) / 0.55f) + 1.0f;
}

float EnvRenderer::height_for_width(const pg::Env& env, float width) {
  const float hpw = height_per_width(env);
  if (env.picture() != pg::EnvPicture::kGrid || hpw <= 0.0f) return 0.0f;
  return std::ceil(width * hpw + grid_chrome_height(width, ImGui::GetFontSize(), true)) + 1.0f;
}

float EnvRenderer::height_per_width(const pg::Env& env) {
  // The grid's own shape: a wide map (the cliff) needs less height than width.
  const pg::GridLayout* gw = env.grid();
  return gw && gw->cols() > 0 ? static_cast<float>(gw->rows()) / static_cast<float>(gw->cols())
                              : 0.0f;
}

// ---- shared helpers (env_draw.h) ----------------------------------------------------------------

namespace envdraw {

Rgba hex(unsigned rgb, float alpha) {
  return Rgba{static_cast<float>((rgb >> 16) & 0xFF) / 255.0f,
              static_cast<float>((rgb >> 8) & 0xFF) / 255.0f,
              static_cast<float>(rgb & 0xFF) / 255.0f, alpha};
}

Rgba with_alpha(Rgba c, float alpha) {
  c.a = alpha;
  return c;
}

Rgba mix(Rgba a, Rgba b, float t) {
  return Rgba{a.r + (b.r - a.r) * t, a.g + (b.g - a.g) * t, a.b + (b.b - a.b) * t,
              a.a + (b.a - a.a) * t};
}

float luminance(Rgba c) {
  return 0.2126f * c.r + 0.7152f * c.g + 0.0722f * c.b;
}

ImU32 to_u32(Rgba c) {
  return ImGui::ColorConvertFloat4ToU32(ImVec4(c.r, c.g, c.b, c.a));
}

namespace {

Rgba sample(const unsigned* stops, int n, float t) {
  if (!(t > 0.0f)) t = 0.0f;  // NaN → 0
  if (t > 1.0f) t = 1.0f;
  const float x = t * static_cast<float>(n - 1);
  const int i = std::min(static_cast<int>(x), n - 2);
  return mix(hex(stops[i]), hex(stops[i + 1]), x - static_cast<float>(i));
}

}  // namespace

Rgba sequential(float t) {
  // Plasma at 9 evenly spaced points: perceptually ordered, no green (the goal is green).
  static constexpr unsigned kStops[] = {0x0D0887, 0x4C02A1, 0x7E03A8, 0xA92395, 0xCC4778,
                                        0xE66C5C, 0xF89540, 0xFDC527, 0xF0F921};
  return sample(kStops, 9, t);
}

Rgba diverging(float t) {
  // Moreland's cool–warm: low values blue, high values red, neutral light grey at 0.
  static constexpr unsigned kStops[] = {0x3B4CC0, 0x6282EA, 0x8DB0FE, 0xB8D0F9, 0xDDDDDD,
                                        0xF5C4AD, 0xF49A7B, 0xDE604D, 0xB40426};
  return sample(kStops, 9, t);
}

Rgba signed_diverging(float t) {
  return diverging(1.0f - t);
}

Rgba signed_value(double v, double m) {
  return signed_diverging(static_cast<float>(0.5 + 0.5 * v / (m > 0.0 ? m : 1.0)));
}

Palette palette(Theme theme) {
  Palette p;
  const ImVec4 bg = ImGui::GetStyleColorVec4(ImGuiCol_WindowBg);
  const ImVec4 text = ImGui::GetStyleColorVec4(ImGuiCol_Text);
  const ImVec4 dim = ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled);
  p.bg = Rgba{bg.x, bg.y, bg.z, 1.0f};
  p.text = Rgba{text.x, text.y, text.z, 1.0f};
  p.text_dim = Rgba{dim.x, dim.y, dim.z, 1.0f};
  if (theme == Theme::Dark) {
    p.grid = hex(0x0F1114);
    p.floor = hex(0x2E343F);
    p.wall = hex(0x59616F);
    p.goal = hex(0x2FB35A);
    p.pit = hex(0x050608);
    p.ink = hex(0xC9D1DC);
    p.cart = hex(0x8FA3BF);
    p.pole = hex(0xE0B070);
  } else {
    p.grid = hex(0x7D8694);
    p.floor = hex(0xE3E7EE);
    p.wall = hex(0x4A5261);
    p.goal = hex(0x22A04B);
    p.pit = hex(0x1A1D22);
    p.ink = hex(0x2B3340);
    p.cart = hex(0x3F5878);
    p.pole = hex(0xB9772A);
  }
  p.accent = hex(0xFFB000);
  p.agent = hex(0xFFFFFF);
  p.agent_ring = hex(0x111111);
  // The sign convention of theme.h (kColorPositive, kColorNegative).
  p.positive = hex(0x39D353);
  p.negative = hex(0xFF4D4D);
  static_assert(kColorPositive == IM_COL32(0x39, 0xD3, 0x53, 255) &&
                    kColorNegative == IM_COL32(0xFF, 0x4D, 0x4D, 255),
                "one sign-colour convention: change theme.h and these together");
  p.danger = theme == Theme::Dark ? hex(0xFF6B5E) : hex(0xD03A2E);
  return p;
}

void Picture::begin(Canvas& c, const ImVec2& sz, const Palette& p) {
  canvas = &c;
  pal = &p;
  size = ImVec2(std::floor(sz.x), std::floor(sz.y));
  dl = ImGui::GetWindowDrawList();
  fs = ImGui::GetFontSize();
  const ImVec2 cursor = ImGui::GetCursorScreenPos();
  // Whole screen units: the 2:1 supersampled texture then maps exactly onto 2×2 texel blocks.
  origin = ImVec2(std::floor(cursor.x + 0.5f), std::floor(cursor.y + 0.5f));
  c.quads.clear();
  c.tris.clear();
  c.dyn.clear();
}

namespace {

// FNV-1a over raw bytes, chained.
uint64_t hash_bytes(const void* data, size_t n, uint64_t h) {
  const unsigned char* p = static_cast<const unsigned char*>(data);
  for (size_t i = 0; i < n; ++i) {
    h ^= p[i];
    h *= 1099511628211ull;
  }
  return h;
}

void render_layer(Canvas& c, const Programs& programs, const render::Transform2D& t, bool board) {
  if (board) c.quads.draw(programs.grid, t);
  (board ? c.tris : c.dyn).draw(programs.lines, t);
}

}  // namespace

void Picture::present(const Programs& programs) {
  const ImVec2 scale = ImGui::GetIO().DisplayFramebufferScale;
  const int pw = std::max(1, static_cast<int>(std::lround(size.x * scale.x)));
  const int ph = std::max(1, static_cast<int>(std::lround(size.y * scale.y)));
  // 2×2 supersampling while the target stays small enough for a software rasteriser.
  const int ss = static_cast<long>(pw) * ph <= 1600000 ? 2 : 1;
  Canvas& c = *canvas;
  const bool resized = c.fb.width() != pw * ss || c.fb.height() != ph * ss;
  c.board.resize(pw * ss, ph * ss);
  c.fb.resize(pw * ss, ph * ss);

  uint64_t hb = 14695981039346656037ull;
  const float header[6] = {size.x, size.y, pal->bg.r, pal->bg.g, pal->bg.b, static_cast<float>(ss)};
  hb = hash_bytes(header, sizeof(header), hb);
  hb = hash_bytes(c.quads.instances().data(),
                  c.quads.instances().size() * sizeof(render::QuadInstance), hb);
  hb = hash_bytes(c.tris.vertices().data(), c.tris.vertices().size() * sizeof(render::ColorVertex),
                  hb);
  const double now = ImGui::GetTime();
  const bool board_due = hb != c.board_hash && (resized || now - c.board_time >= kBoardInterval);
  const uint64_t hf =
      hash_bytes(c.dyn.vertices().data(), c.dyn.vertices().size() * sizeof(render::ColorVertex),
                 board_due ? hb : c.board_hash);
  if (board_due || hf != c.frame_hash) {
    GLint prev_fbo = 0;
    GLint prev_viewport[4] = {0, 0, 0, 0};
    glGetIntegerv(GL_DRAW_FRAMEBUFFER_BINDING, &prev_fbo);
    glGetIntegerv(GL_VIEWPORT, prev_viewport);
    const GLboolean blend = glIsEnabled(GL_BLEND);
    const GLboolean scissor = glIsEnabled(GL_SCISSOR_TEST);
    const GLboolean depth = glIsEnabled(GL_DEPTH_TEST);
    const GLboolean cull = glIsEnabled(GL_CULL_FACE);
    glDisable(GL_SCISSOR_TEST);
    glDisable(GL_DEPTH_TEST);
    glDisable(GL_CULL_FACE);
    glEnable(GL_BLEND);
    glBlendEquation(GL_FUNC_ADD);
    glBlendFuncSeparate(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA, GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
    const render::Transform2D t = render::Transform2D::ortho(0.0f, size.x, size.y, 0.0f);
    if (board_due) {
      c.board.bind();
      glClearColor(pal->bg.r, pal->bg.g, pal->bg.b, 1.0f);
      glClear(GL_COLOR_BUFFER_BIT);
      render_layer(c, programs, t, true);
      c.board_hash = hb;
      c.board_time = now;
    }
    // fb = board, then the moving layer on top.
    glBindFramebuffer(GL_READ_FRAMEBUFFER, c.board.id());
    glBindFramebuffer(GL_DRAW_FRAMEBUFFER, c.fb.id());
    glBlitFramebuffer(0, 0, c.board.width(), c.board.height(), 0, 0, c.fb.width(), c.fb.height(),
                      GL_COLOR_BUFFER_BIT, GL_NEAREST);
    c.fb.bind();
    render_layer(c, programs, t, false);
    c.frame_hash = hf;

    glBindFramebuffer(GL_FRAMEBUFFER, static_cast<GLuint>(prev_fbo));
    glViewport(prev_viewport[0], prev_viewport[1], prev_viewport[2], prev_viewport[3]);
    if (!blend) glDisable(GL_BLEND);
    if (scissor) glEnable(GL_SCISSOR_TEST);
    if (depth) glEnable(GL_DEPTH_TEST);
    if (cull) glEnable(GL_CULL_FACE);
  }
  ImGui::SetCursorScreenPos(origin);
  c.fb.image(size);
}

ImVec2 Picture::text_size(const char* s, float scale) const {
  return ImGui::GetFont()->CalcTextSizeA(fs * scale, 1e9f, 0.0f, s);
}

// Lines break at spaces only (gui/layout.h wrap_at_spaces): a number stays whole.
ImVec2 Picture::wrapped_size(float w, const char* s) const {
  const std::string lines = wrap_at_spaces(s, std::max(w, 1.0f), fs);
  return ImGui::GetFont()->CalcTextSizeA(fs, 1e9f, 0.0f, lines.c_str());
}

ImVec2 Picture::text_wrapped(float x, float y, float w, Rgba color, const char* s) const {
  const std::string lines = wrap_at_spaces(s, std::max(w, 1.0f), fs);
  dl->AddText(ImGui::GetFont(), fs, screen(std::floor(x), std::floor(y)), to_u32(color),
              lines.c_str());
  return ImGui::GetFont()->CalcTextSizeA(fs, 1e9f, 0.0f, lines.c_str());
}

void Picture::text(float x, float y, Rgba color, const char* s, float scale) const {
  dl->AddText(ImGui::GetFont(), fs * scale, screen(std::floor(x), std::floor(y)), to_u32(color), s);
}

void Picture::text_centered(float x, float y, Rgba color, const char* s, float scale) const {
  const ImVec2 ts = text_size(s, scale);
  text(x - ts.x * 0.5f, y - ts.y * 0.5f, color, s, scale);
}

void Picture::text_halo(float x, float y, Rgba color, Rgba halo, const char* s, float scale,
                        bool centered) const {
  const ImVec2 ts = centered ? text_size(s, scale) : ImVec2(0, 0);
  const float x0 = std::floor(x - ts.x * 0.5f), y0 = std::floor(y - ts.y * 0.5f);
  const float d = std::max(1.0f, std::floor(fs / 14.0f));
  for (int k = 0; k < 8; ++k) {
    static constexpr float kDx[] = {-1, 1, 0, 0, -1, -1, 1, 1};
    static constexpr float kDy[] = {0, 0, -1, 1, -1, 1, -1, 1};
    text(x0 + kDx[k] * d, y0 + kDy[k] * d, halo, s, scale);
  }
  text(x0, y0, color, s, scale);
}

void Picture::rect_outline(float x0, float y0, float x1, float y1, float w, Rgba color) {
  render::TriangleBatch& t = canvas->tris;
  t.add_rect(x0, y0, x1, y0 + w, color);
  t.add_rect(x0, y1 - w, x1, y1, color);
  t.add_rect(x0, y0 + w, x0 + w, y1 - w, color);
  t.add_rect(x1 - w, y0 + w, x1, y1 - w, color);
}

void Picture::colorbar(float x, float y, float w, float h, Rgba (*map)(float), int steps) {
  const float dw = w / static_cast<float>(steps);
  for (int i = 0; i < steps; ++i)
    canvas->quads.add(x + dw * static_cast<float>(i), y, dw + 0.5f, h,
                      map((static_cast<float>(i) + 0.5f) / static_cast<float>(steps)));
}

const pg::Trajectory* chosen_trajectory(const pg::Session& s, const EnvDrawOptions& o, double* t) {
  const pg::Batch& b = s.batch();
  if (o.trajectory < 0 || o.trajectory >= b.size()) return nullptr;
  const pg::Trajectory& tr = b.trajectories[static_cast<size_t>(o.trajectory)];
  const double T = tr.length();
  *t = o.t < 0.0f ? T : std::clamp(static_cast<double>(o.t), 0.0, T);
  return &tr;
}

const pg::Policy& sampling_policy(const DrawArgs& a) {
  return a.o.policy ? *a.o.policy : a.s.behaviour_policy();
}

std::string agent_line(const Picture& pic, const pg::Session& s, int i, const pg::Trajectory& tr,
                       int t, float width, const char* title, bool short_return) {
  // While the batch is collected it has no size yet, and an episode still being sampled no T.
  const bool collecting = s.phase() == pg::Phase::kCollect && !s.batch_complete();
  const bool running = collecting && !tr.ended();
  const int T = tr.length();
  char R[32];
  std::snprintf(R, sizeof R, short_return ? "%.3g" : "%.0f", pg::return_after(tr, t));
  char i_long[48], t_long[48], t_short[32];
  if (collecting)
    std::snprintf(i_long, sizeof i_long, "i = %d", i);
  else
    std::snprintf(i_long, sizeof i_long, "i = %d of %d", i, s.batch().size());
  // A segment piece that starts mid-episode (A2C/PPO collection): t counts within the piece, as
  // the inspector's ledger does; the episode's own step is said beside it (the Advantages view
  // names pieces by their episode steps).
  char episode[40] = "";
  if (tr.start_t > 0) std::snprintf(episode, sizeof episode, " (episode step %d)", tr.start_t + t);
  const char* so_far = tr.start_t > 0 ? "piece's return so far" : "return so far";
  if (running) {
    std::snprintf(t_long, sizeof t_long, "step t = %d%s (still running)", t, episode);
    std::snprintf(t_short, sizeof t_short, "t = %d…", t);
  } else {
    std::snprintf(t_long, sizeof t_long, "step t = %d of T = %d%s", t, T, episode);
    std::snprintf(t_short, sizeof t_short, "t = %d of %d", t, T);
  }
  char forms[4][240];
  std::snprintf(forms[0], sizeof forms[0], "%s %s · %s · %s %s", title, i_long, t_long, so_far, R);
  std::snprintf(forms[1], sizeof forms[1], "%s · %s · %s %s", i_long, t_short, so_far, R);
  // Σr: the rewards so far, undiscounted ("R" is the discounted return the inspector derives).
  std::snprintf(forms[2], sizeof forms[2], "i = %d · %s · Σr %s", i, t_short, R);
  std::snprintf(forms[3], sizeof forms[3], "%s · Σr %s", t_short, R);
  for (const char* f : forms)
    if (pic.text_size(f).x <= width) return f;
  return t_short;
}

}  // namespace envdraw
}  // namespace pglab::gui
