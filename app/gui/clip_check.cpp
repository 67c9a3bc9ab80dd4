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

struct GlyphQuad {
  ImVec2 min, max;  // screen units
  unsigned codepoint = 0;
  const char* how = nullptr;  // non-null: cut (and counted)
};

using UvKey = std::pair<float, float>;

struct GlyphIndex {
  std::map<UvKey, const ImFontGlyph*> by_top_left, by_bottom_right;
};

GlyphIndex index_glyphs() {
  GlyphIndex index;
  const ImFontAtlas* atlas = ImGui::GetIO().Fonts;
  for (const ImFont* font : atlas->Fonts)
    for (const ImFontGlyph& g : font->Glyphs) {
      if (!g.Visible) continue;
      index.by_top_left[{g.U0, g.V0}] = &g;
      index.by_bottom_right[{g.U1, g.V1}] = &g;
    }
  return index;
}

std::string utf8(unsigned c) {
  char buf[5] = {};
  ImTextCharToUtf8(buf, c);
  return buf;
}

// The glyph quad at vertices [b, b + 4) (ImFont::RenderText / RenderChar write a, b, c, d =
// top-left, top-right, bottom-right, bottom-left), classified against the command's clip rect.
// The visible area of the nearest ancestor of `w` (a child window) that scrolls vertically (axis 1)
// or sideways (axis 0): what lies beyond it in that direction is reachable by scrolling, however
// the child clips it. nullptr: none scrolls.
const ImRect* scrolling_ancestor_view(const ImGuiWindow* w, int axis) {
  for (; w != nullptr && (w->Flags & ImGuiWindowFlags_ChildWindow) != 0; w = w->ParentWindow) {
    const ImGuiWindow* p = w->ParentWindow;
    if (p != nullptr && (axis == 1 ? p->ScrollMax.y : p->ScrollMax.x) > 0.0f)
      return &p->InnerClipRect;
  }
  return nullptr;
}

// Where ImGui may cut a window's text and the reader can still scroll to it.
struct Reach {
  bool horizontal_counts = true, vertical_counts = true;  // the window itself does not scroll
  const ImRect* fold_x = nullptr;  // a scrolling ancestor's visible area (scrolling_ancestor_view)
  const ImRect* fold_y = nullptr;
};

bool classify(const ImDrawVert* v, const ImVec4& clip, const GlyphIndex& index, const Reach& reach,
              GlyphQuad* out) {
  const ImVec2 p0 = v[0].pos, p1 = v[2].pos, t0 = v[0].uv, t1 = v[2].uv;
  if (t0.x == t1.x && t0.y == t1.y) return false;  // a solid shape (white-pixel UV)
  if (v[1].pos.y != p0.y || v[3].pos.x != p0.x || v[1].pos.x != p1.x || v[3].pos.y != p1.y)
    return false;  // not an axis-aligned quad
  const auto tl = index.by_top_left.find({t0.x, t0.y});
  const auto br = index.by_bottom_right.find({t1.x, t1.y});
  const ImFontGlyph* g = tl != index.by_top_left.end()       ? tl->second
                         : br != index.by_bottom_right.end() ? br->second
                                                             : nullptr;
  if (g == nullptr) return false;
  out->min = p0;
  out->max = p1;
  out->codepoint = g->Codepoint;
  const float du = g->U1 - g->U0, dv = g->V1 - g->V0;
  const float w = p1.x - p0.x, h = p1.y - p0.y;
  // Cut on the CPU (RenderTextClipped): the UV rectangle was shrunk on the cut side.
  const float cut_left = du > 0 ? (t0.x - g->U0) / du : 0,
              cut_right = du > 0 ? (g->U1 - t1.x) / du : 0;
  const float cut_top = dv > 0 ? (t0.y - g->V0) / dv : 0,
              cut_bottom = dv > 0 ? (g->V1 - t1.y) / dv : 0;
  // Cut on the GPU: the quad reaches past the draw command's clip rectangle.
  const float out_left = w > 0 ? (clip.x - p0.x) / w : 0,
              out_right = w > 0 ? (p1.x - clip.z) / w : 0;
  const float out_top = h > 0 ? (clip.y - p0.y) / h : 0,
              out_bottom = h > 0 ? (p1.y - clip.w) / h : 0;
  // A glyph past a scrolling ancestor's fold is below (or beside) it, not cut.
  const bool horizontal_counts =
      reach.horizontal_counts &&
      !(reach.fold_x && (p1.x > reach.fold_x->Max.x + 0.5f || p0.x < reach.fold_x->Min.x - 0.5f));
  const bool vertical_counts =
      reach.vertical_counts &&
      !(reach.fold_y && (p1.y > reach.fold_y->Max.y + 0.5f || p0.y < reach.fold_y->Min.y - 0.5f));
  if (g->Codepoint == kTruncationMark)
    out->how = "truncated with an ellipsis";
  else if (horizontal_counts && std::max(cut_right, out_right) > kCutShare)
    out->how = "cut on the right";
  else if (horizontal_counts && std::max(cut_left, out_left) > kCutShare)
    out->how = "cut on the left";
  else if (vertical_counts && std::max(cut_bottom, out_bottom) > kCutShare)
    out->how = "cut at the bottom";
  else if (vertical_counts && std::max(cut_top, out_top) > kCutShare)
    out->how = "cut at the top";
  return true;
}

// Same text line: the next glyph starts right of this one and overlaps it vertically.
bool same_run(const GlyphQuad& a, const GlyphQuad& b) {
  const float h = std::max(a.max.y - a.min.y, 1.0f);
  return b.min.x >= a.min.x && b.min.x - a.max.x < 3.0f * h && b.min.y < a.max.y &&
         b.max.y > a.min.y;
}

void report_runs(const std::vector<GlyphQuad>& quads, const char* owner,
                 std::vector<ClippedText>* out) {
  size_t start = 0;
  while (start < quads.size()) {
    size_t end = start + 1;
    while (end < quads.size() && same_run(quads[end - 1], quads[end])) ++end;
    const GlyphQuad* cut = nullptr;
    for (size_t k = start; k < end && !cut; ++k)
      if (quads[k].how) cut = &quads[k];
    if (cut) {
      ClippedText c;
      c.window = owner;
      c.pos = cut->min;
      c.how = cut->how;
      for (size_t k = start; k < end && c.text.size() < 160; ++k) {
        const float h = quads[k].max.y - quads[k].min.y;
        if (k > start && quads[k].min.x - quads[k - 1].max.x > 0.25f * h) c.text += ' ';
        c.text += utf8(quads[k].codepoint);
      }
      out->push_back(std::move(c));
    }
    start = end;
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
    const ImRect& clip = w->InnerClipRect;
    // A child below (or beside) the fold of a scrolling ancestor is clipped by that ancestor: its
    // own edge is its unclipped inner rectangle.
    const float right =
        scrolling_ancestor_view(w, 0) ? std::max(clip.Max.x, w->InnerRect.Max.x) : clip.Max.x;
    const float bottom =
        scrolling_ancestor_view(w, 1) ? std::max(clip.Max.y, w->InnerRect.Max.y) : clip.Max.y;
    if (!w->ScrollbarX && w->DC.CursorMaxPos.x > right + slack)
      add(w->Name, ImVec2(right, clip.Min.y), "window content cut on the right",
          w->DC.CursorMaxPos.x, right);
    const bool menu_bar = (w->Flags & ImGuiWindowFlags_MenuBar) != 0;  // its height is its own
    if (!w->ScrollbarY && !menu_bar && w->DC.CursorMaxPos.y > bottom + slack)
      add(w->Name, ImVec2(clip.Min.x, bottom), "window content cut at the bottom",
          w->DC.CursorMaxPos.y, bottom);
  }
  for (int n = 0; n < g.Tables.GetMapSize(); ++n) {
    const ImGuiTable* t = const_cast<ImGuiContext&>(g).Tables.TryGetMapData(n);
    if (t == nullptr || t->LastFrameActive != g.FrameCount || t->OuterWindow == nullptr) continue;
    for (int c = 0; c < t->ColumnsCount; ++c) {
      const ImGuiTableColumn& col = t->Columns[c];
      // A table that scrolls sideways shows the rest of a column when scrolled to.
      if (!col.IsVisibleX || (t->InnerWindow && t->InnerWindow->ScrollbarX)) continue;
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
    Reach reach;
    reach.vertical_counts = window == nullptr || window->ScrollMax.y <= 0.0f;
    reach.horizontal_counts = window == nullptr || window->ScrollMax.x <= 0.0f;
    reach.fold_x = scrolling_ancestor_view(window, 0);
    reach.fold_y = scrolling_ancestor_view(window, 1);
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
          if (classify(vtx + b, cmd.ClipRect, index, reach, &q)) quads.push_back(q);
          i += 6;
        } else {
          i += 3;
        }
      }
    }
    report_runs(quads, owner, &out);
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
