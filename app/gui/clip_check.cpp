#include "gui/clip_check.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <utility>

#include "imgui_internal.h"

namespace pglab::gui {
namespace {

// A glyph is cut when more than this share of its box is outside the clip rectangle: glyph boxes
// carry a pixel or so of transparent padding, so a text that ends within a pixel of its cell's
// edge loses no ink.
constexpr float kCutShare = 0.2f;
// Two glyphs overlap when their visible boxes share more than this part of the smaller one. Glyph
// boxes include their padding, so neighbours on a line (which the check skips anyway) and a
// wrapped text's descenders over the next line's ascenders share a few per cent; two labels drawn
// on top of each other share most of a box.
constexpr float kOverlapShare = 0.3f;

struct GlyphQuad {
  ImVec2 min, max;          // the glyph's box, screen units (also for a quarter-turned glyph)
  ImVec2 vis_min, vis_max;  // the part inside its clip rectangle
  unsigned codepoint = 0;
  float em = 0.0f;            // the font size it was drawn at, screen units
  bool turned = false;        // drawn a quarter turn (a plot's y label)
  const char* how = nullptr;  // non-null: cut (and counted)
  int run = -1;               // the text line it belongs to (report_runs)
};

using UvKey = std::pair<float, float>;

struct AtlasGlyph {
  const ImFontGlyph* glyph = nullptr;
  float font_size = 0.0f;  // the size its font was baked at
};

struct GlyphIndex {
  std::map<UvKey, AtlasGlyph> by_top_left, by_bottom_right;
};

GlyphIndex index_glyphs() {
  GlyphIndex index;
  const ImFontAtlas* atlas = ImGui::GetIO().Fonts;
  for (const ImFont* font : atlas->Fonts)
    for (const ImFontGlyph& g : font->Glyphs) {
      if (!g.Visible) continue;
      index.by_top_left[{g.U0, g.V0}] = {&g, font->FontSize};
      index.by_bottom_right[{g.U1, g.V1}] = {&g, font->FontSize};
    }
  return index;
}

std::string utf8(unsigned c) {
  char buf[5] = {};
  ImTextCharToUtf8(buf, c);
  return buf;
}

// Which edges of a draw list's window the reader can scroll past: a cut at such an edge hides
// text that scrolling shows — the window's own edge where it scrolls that way, or the edge of an
// enclosing window that scrolls (a child window taller than the view, below the fold). Every other
// edge (a column, a cell, a plot, a window that cannot scroll that way) hides it for good.
struct ScrollEdges {
  struct Level {
    ImRect inner;  // the window's inner clip rectangle
    bool x = false, y = false;
    float frozen = 0.0f;  // a table's frozen header rows at the top (rows scroll under them)
  };
  std::vector<Level> levels;  // the window, then its parents up to the first non-child window

  explicit ScrollEdges(const ImGuiWindow* w) {
    for (; w != nullptr; w = (w->Flags & ImGuiWindowFlags_ChildWindow) ? w->ParentWindow : nullptr)
      levels.push_back(
          {w->InnerClipRect, w->ScrollMax.x > 0.0f, w->ScrollMax.y > 0.0f, frozen_rows_height(w)});
  }
  // A scrolling table keeps its frozen rows (TableSetupScrollFreeze) at the top of its window: a
  // row scrolled up is cut at their foot, not at the window's edge, and is reachable all the same.
  static float frozen_rows_height(const ImGuiWindow* w) {
    ImGuiContext& g = *GImGui;
    for (int n = 0; n < g.Tables.GetMapSize(); ++n)
      if (const ImGuiTable* t = g.Tables.TryGetMapData(n))
        if (t->InnerWindow == w && t->FreezeRowsCount > 0)
          return t->LastFirstRowHeight * static_cast<float>(t->FreezeRowsCount);
    return 0.0f;
  }
  template <typename Pred>
  bool any(Pred pred) const {
    return std::any_of(levels.begin(), levels.end(), pred);
  }
  bool reachable_left(float e) const {
    return any([e](const Level& l) { return l.x && e <= l.inner.Min.x + 1.0f; });
  }
  bool reachable_right(float e) const {
    return any([e](const Level& l) { return l.x && e >= l.inner.Max.x - 1.0f; });
  }
  bool reachable_top(float e) const {
    return any([e](const Level& l) { return l.y && e <= l.inner.Min.y + l.frozen + 1.0f; });
  }
  bool reachable_bottom(float e) const {
    return any([e](const Level& l) { return l.y && e >= l.inner.Max.y - 1.0f; });
  }
};

// The glyph quad at vertices [b, b + 4) (ImFont::RenderText / RenderChar write a, b, c, d =
// top-left, top-right, bottom-right, bottom-left; a plot's y label turns them a quarter turn, so
// the corners are the same four in another order), classified against the command's clip rect.
bool classify(const ImDrawVert* v, const ImVec4& clip, const GlyphIndex& index,
              const ScrollEdges& scroll, GlyphQuad* out) {
  const ImVec2 t0 = v[0].uv, t1 = v[2].uv;
  if (t0.x == t1.x && t0.y == t1.y) return false;  // a solid shape (white-pixel UV)
  ImVec2 p0 = v[0].pos, p1 = v[0].pos;
  for (int k = 1; k < 4; ++k) {
    p0 = ImVec2(std::min(p0.x, v[k].pos.x), std::min(p0.y, v[k].pos.y));
    p1 = ImVec2(std::max(p1.x, v[k].pos.x), std::max(p1.y, v[k].pos.y));
  }
  for (int k = 0; k < 4; ++k)  // every corner on the box: an axis-aligned quad
    if ((v[k].pos.x != p0.x && v[k].pos.x != p1.x) || (v[k].pos.y != p0.y && v[k].pos.y != p1.y))
      return false;
  const bool turned = v[1].pos.y != v[0].pos.y;
  const auto tl = index.by_top_left.find({t0.x, t0.y});
  const auto br = index.by_bottom_right.find({t1.x, t1.y});
  const AtlasGlyph found = tl != index.by_top_left.end()       ? tl->second
                           : br != index.by_bottom_right.end() ? br->second
                                                               : AtlasGlyph{};
  const ImFontGlyph* g = found.glyph;
  if (g == nullptr) return false;
  out->min = p0;
  out->max = p1;
  out->vis_min = ImVec2(std::max(p0.x, clip.x), std::max(p0.y, clip.y));
  out->vis_max = ImVec2(std::min(p1.x, clip.z), std::min(p1.y, clip.w));
  out->codepoint = g->Codepoint;
  out->turned = turned;
  // Screen size over baked size (a scaled draw, e.g. the environment's labels), either way round.
  const float baked = std::max(g->X1 - g->X0, 1e-3f);  // a turned glyph's width runs down
  out->em = found.font_size * (turned ? p1.y - p0.y : p1.x - p0.x) / baked;
  const float du = g->U1 - g->U0, dv = g->V1 - g->V0;
  const float w = p1.x - p0.x, h = p1.y - p0.y;
  // Cut on the CPU (RenderTextClipped, upright text only): the UV rectangle was shrunk on the cut
  // side, and the quad ends at the clip edge.
  const float cut_left = !turned && du > 0 ? (t0.x - g->U0) / du : 0,
              cut_right = !turned && du > 0 ? (g->U1 - t1.x) / du : 0;
  const float cut_top = !turned && dv > 0 ? (t0.y - g->V0) / dv : 0,
              cut_bottom = !turned && dv > 0 ? (g->V1 - t1.y) / dv : 0;
  // Cut on the GPU: the quad reaches past the draw command's clip rectangle.
  const float out_left = w > 0 ? (clip.x - p0.x) / w : 0,
              out_right = w > 0 ? (p1.x - clip.z) / w : 0;
  const float out_top = h > 0 ? (clip.y - p0.y) / h : 0,
              out_bottom = h > 0 ? (p1.y - clip.w) / h : 0;
  // Where the cut is: the clip edge (GPU) or the quad's own edge (CPU).
  const float right_edge = out_right > cut_right ? clip.z : p1.x;
  const float left_edge = out_left > cut_left ? clip.x : p0.x;
  const float bottom_edge = out_bottom > cut_bottom ? clip.w : p1.y;
  const float top_edge = out_top > cut_top ? clip.y : p0.y;
  if (g->Codepoint == kTruncationMark)
    out->how = "truncated with an ellipsis";
  else if (std::max(cut_right, out_right) > kCutShare && !scroll.reachable_right(right_edge))
    out->how = "cut on the right";
  else if (std::max(cut_left, out_left) > kCutShare && !scroll.reachable_left(left_edge))
    out->how = "cut on the left";
  else if (std::max(cut_bottom, out_bottom) > kCutShare && !scroll.reachable_bottom(bottom_edge))
    out->how = "cut at the bottom";
  else if (std::max(cut_top, out_top) > kCutShare && !scroll.reachable_top(top_edge))
    out->how = "cut at the top";
  return true;
}

// Same text line: the next glyph follows this one in reading direction (left to right; bottom to
// top for a quarter-turned label) and overlaps it across.
bool same_run(const GlyphQuad& a, const GlyphQuad& b) {
  if (a.turned != b.turned) return false;
  if (a.turned) {
    const float w = std::max(a.max.x - a.min.x, 1.0f);
    return b.max.y <= a.max.y && a.min.y - b.max.y < 3.0f * w && b.min.x < a.max.x &&
           b.max.x > a.min.x;
  }
  const float h = std::max(a.max.y - a.min.y, 1.0f);
  return b.min.x >= a.min.x && b.min.x - a.max.x < 3.0f * h && b.min.y < a.max.y &&
         b.max.y > a.min.y;
}

struct Run {
  size_t begin = 0, end = 0;  // quads [begin, end)
};

std::string run_text(const std::vector<GlyphQuad>& quads, const Run& r) {
  std::string text;
  for (size_t k = r.begin; k < r.end && text.size() < 160; ++k) {
    const GlyphQuad& q = quads[k];
    if (k > r.begin) {
      const GlyphQuad& p = quads[k - 1];
      const float gap = q.turned ? p.min.y - q.max.y : q.min.x - p.max.x;
      const float size = q.turned ? q.max.x - q.min.x : q.max.y - q.min.y;
      if (gap > 0.25f * size) text += ' ';
    }
    text += utf8(q.codepoint);
  }
  return text;
}

// Groups the quads into runs (text lines, in draw order) and reports each run with a cut glyph.
std::vector<Run> report_runs(std::vector<GlyphQuad>& quads, const char* owner,
                             std::vector<ClippedText>* out) {
  std::vector<Run> runs;
  size_t start = 0;
  while (start < quads.size()) {
    size_t end = start + 1;
    while (end < quads.size() && same_run(quads[end - 1], quads[end])) ++end;
    for (size_t k = start; k < end; ++k) quads[k].run = static_cast<int>(runs.size());
    runs.push_back({start, end});
    const GlyphQuad* cut = nullptr;
    for (size_t k = start; k < end && !cut; ++k)
      if (quads[k].how) cut = &quads[k];
    if (cut) out->push_back({owner, run_text(quads, runs.back()), cut->min, cut->how});
    start = end;
  }
  return runs;
}

float visible_area(const GlyphQuad& q) {
  return std::max(q.vis_max.x - q.vis_min.x, 0.0f) * std::max(q.vis_max.y - q.vis_min.y, 0.0f);
}

// The same text drawn again within a fifth of an em: an outline or a shadow around a label (the
// environment's halo is 8 copies 1/14 em away), not two labels colliding.
// Glyph by glyph (single letters, which the runs may pair up oddly) and run by run (a number's
// copies: one copy's "0" over the next copy's "-").
bool halo(const GlyphQuad& p, const GlyphQuad& q) {
  // The outline's offset follows the picture's font size even where its letters are scaled down.
  const float near = 0.2f * std::max(p.em, ImGui::GetFontSize());
  return p.codepoint == q.codepoint && std::abs(p.min.x - q.min.x) < near &&
         std::abs(p.min.y - q.min.y) < near;
}

bool halo(const std::vector<GlyphQuad>& quads, const Run& a, const Run& b) {
  if (a.end - a.begin != b.end - b.begin) return false;
  for (size_t k = 0; k < a.end - a.begin; ++k)
    if (!halo(quads[a.begin + k], quads[b.begin + k])) return false;
  return true;
}

// Text over text: pairs of visible glyphs from different places in the draw order whose visible
// boxes overlap by more than kOverlapShare of the smaller. One report per pair of runs.
void report_overlaps(const std::vector<GlyphQuad>& quads, const std::vector<Run>& runs,
                     const char* owner, std::vector<ClippedText>* out) {
  std::vector<size_t> order;
  for (size_t k = 0; k < quads.size(); ++k)
    if (visible_area(quads[k]) > 0.0f) order.push_back(k);
  std::sort(order.begin(), order.end(),
            [&](size_t a, size_t b) { return quads[a].vis_min.y < quads[b].vis_min.y; });
  std::vector<std::pair<int, int>> reported;
  for (size_t i = 0; i < order.size(); ++i) {
    const GlyphQuad& a = quads[order[i]];
    for (size_t j = i + 1; j < order.size() && quads[order[j]].vis_min.y < a.vis_max.y; ++j) {
      const GlyphQuad& b = quads[order[j]];
      if (order[i] + 1 == order[j] || order[j] + 1 == order[i]) continue;  // neighbours
      const float ox = std::min(a.vis_max.x, b.vis_max.x) - std::max(a.vis_min.x, b.vis_min.x);
      const float oy = std::min(a.vis_max.y, b.vis_max.y) - std::max(a.vis_min.y, b.vis_min.y);
      if (ox <= 0.0f || oy <= 0.0f) continue;
      if (ox * oy <= kOverlapShare * std::min(visible_area(a), visible_area(b))) continue;
      if (halo(a, b)) continue;
      const std::pair<int, int> key(std::min(a.run, b.run), std::max(a.run, b.run));
      if (std::find(reported.begin(), reported.end(), key) != reported.end()) continue;
      const Run& first = runs[static_cast<size_t>(key.first)];
      const Run& second = runs[static_cast<size_t>(key.second)];
      if (halo(quads, first, second)) continue;
      reported.push_back(key);
      const std::string text =
          key.first == key.second ? run_text(quads, first)
                                  : run_text(quads, first) + "\" over \"" + run_text(quads, second);
      out->push_back({owner, text, quads[order[i]].min, "drawn over other text"});
    }
  }
}

// Layout overflow ImGui culls without drawing a cut glyph (a word that starts past the edge is not
// drawn at all): a window whose items reach past its visible area where it cannot scroll that way,
// and a table cell whose items reach past the column's clip rectangle.
void report_overflow(std::vector<ClippedText>* out) {
  const ImGuiContext& g = *GImGui;
  // Half an em: a frame border or a plot reaching a few pixels into the window padding loses no
  // text, while a text item reaching further than that had a glyph culled.
  const float slack = 0.5f * g.FontSize;
  auto add = [&](const char* window, ImVec2 pos, const char* how, float reach, float edge) {
    char text[96];
    std::snprintf(text, sizeof text, "items reach %.0f, %.0f px past the edge at %.0f", reach,
                  reach - edge, edge);
    out->push_back({window, text, pos, how});
  };
  for (const ImGuiWindow* w : g.Windows) {
    if (!w->Active || w->Hidden || w->SkipItems) continue;
    // The window's own inner rectangle: what lies beyond the part its parent shows is reachable
    // by scrolling the parent (and the parent's own check sees a child it cuts).
    const float pad_x = std::max(std::floor(w->WindowPadding.x * 0.5f), w->WindowBorderSize);
    const float pad_y = std::max(std::floor(w->WindowPadding.y * 0.5f), w->WindowBorderSize);
    const ImRect clip(w->InnerRect.Min.x + pad_x, w->InnerRect.Min.y + pad_y,
                      w->InnerRect.Max.x - pad_x, w->InnerRect.Max.y - pad_y);
    if (!w->ScrollbarX && w->DC.CursorMaxPos.x > clip.Max.x + slack)
      add(w->Name, ImVec2(clip.Max.x, clip.Min.y), "window content cut on the right",
          w->DC.CursorMaxPos.x, clip.Max.x);
    const bool menu_bar = (w->Flags & ImGuiWindowFlags_MenuBar) != 0;  // its height is its own
    if (!w->ScrollbarY && !menu_bar && w->DC.CursorMaxPos.y > clip.Max.y + slack)
      add(w->Name, ImVec2(clip.Min.x, clip.Max.y), "window content cut at the bottom",
          w->DC.CursorMaxPos.y, clip.Max.y);
  }
  for (int n = 0; n < g.Tables.GetMapSize(); ++n) {
    const ImGuiTable* t = const_cast<ImGuiContext&>(g).Tables.TryGetMapData(n);
    if (t == nullptr || t->LastFrameActive != g.FrameCount || t->OuterWindow == nullptr) continue;
    for (int c = 0; c < t->ColumnsCount; ++c) {
      const ImGuiTableColumn& col = t->Columns[c];
      if (!col.IsVisibleX) continue;
      // A column cut by the edge of a table (or window) that scrolls sideways shows the rest when
      // scrolled to; a column cut by its own right edge never does.
      const ImGuiWindow* host = t->InnerWindow ? t->InnerWindow : t->OuterWindow;
      if (host->ScrollMax.x > 0.0f && col.ClipRect.Max.x >= host->InnerClipRect.Max.x - 1.0f)
        continue;
      const float reach = std::max(col.ContentMaxXFrozen, col.ContentMaxXUnfrozen);
      if (reach > col.ClipRect.Max.x + slack)
        add(t->OuterWindow->Name, ImVec2(col.ClipRect.Max.x, col.ClipRect.Min.y),
            "table cell content cut on the right", reach, col.ClipRect.Max.x);
    }
  }
}

}  // namespace

void mark_truncations() {
  for (ImFont* font : ImGui::GetIO().Fonts->Fonts)
    if (font->FindGlyphNoFallback(kTruncationMark) != nullptr) font->EllipsisChar = kTruncationMark;
}

std::vector<ClippedText> find_clipped_text() {
  std::vector<ClippedText> out;
  const ImDrawData* data = ImGui::GetDrawData();
  if (data == nullptr || !data->Valid) return out;
  const GlyphIndex index = index_glyphs();
  const ImTextureID font_texture = ImGui::GetIO().Fonts->TexID;
  std::vector<GlyphQuad> quads;
  for (int l = 0; l < data->CmdListsCount; ++l) {
    const ImDrawList* list = data->CmdLists[l];
    const char* owner = list->_OwnerName ? list->_OwnerName : "(no window)";
    // Text below the fold of a window that scrolls is reachable; in one that cannot, it is lost.
    const ImGuiWindow* window =
        list->_OwnerName ? ImGui::FindWindowByName(list->_OwnerName) : nullptr;
    const ScrollEdges scroll(window);
    quads.clear();
    for (const ImDrawCmd& cmd : list->CmdBuffer) {
      if (cmd.UserCallback != nullptr || cmd.TextureId != font_texture) continue;
      const ImDrawIdx* idx = list->IdxBuffer.Data + cmd.IdxOffset;
      const ImDrawVert* vtx = list->VtxBuffer.Data + cmd.VtxOffset;
      for (unsigned i = 0; i + 6 <= cmd.ElemCount;) {
        const unsigned b = idx[i];
        // A quad: triangles (b, b+1, b+2) and (b, b+2, b+3).
        if (idx[i + 1] == b + 1 && idx[i + 2] == b + 2 && idx[i + 3] == b && idx[i + 4] == b + 2 &&
            idx[i + 5] == b + 3) {
          GlyphQuad q;
          if (classify(vtx + b, cmd.ClipRect, index, scroll, &q)) quads.push_back(q);
          i += 6;
        } else {
          i += 3;
        }
      }
    }
    const std::vector<Run> runs = report_runs(quads, owner, &out);
    report_overlaps(quads, runs, owner, &out);
  }
  report_overflow(&out);
  return out;
}

std::string describe(const ClippedText& c) {
  char pos[64];
  std::snprintf(pos, sizeof pos, "(%.0f, %.0f)", c.pos.x, c.pos.y);
  return "window '" + c.window + "' at " + pos + ": \"" + c.text + "\" (" + c.how + ")";
}

}  // namespace pglab::gui
