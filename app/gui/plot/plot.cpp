// Plot scope: context, BeginPlot/Setup/EndPlot, autoscale, layout, mouse input and drawing.
#include "gui/plot/plot.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <optional>
#include <utility>

#include "gui/layout.h"  // wrap_at_spaces: legend labels break at spaces, numbers stay whole
#include "gui/plot/plot_internal.h"
#include "imgui_internal.h"  // ImGui::SetItemUsingMouseWheel (no public equivalent in 1.86)

namespace pglab::plot {
namespace {

// Whether the mouse wheel over the current window would scroll it or a window it is a child of
// (a view taller than its panel).
bool wheel_scrolls_window() {
  for (ImGuiWindow* w = ImGui::GetCurrentWindow(); w != nullptr;
       w = (w->Flags & ImGuiWindowFlags_ChildWindow) ? w->ParentWindow : nullptr)
    if (w->ScrollMax.y > 0.0f && !(w->Flags & ImGuiWindowFlags_NoScrollWithMouse)) return true;
  return false;
}

// The current context, like ImGui's GImGui: which context calls go to, not application state.
PlotContext* g_current_context = nullptr;

constexpr double kInf = std::numeric_limits<double>::infinity();

ImU32 rgb(unsigned hex) {
  return IM_COL32((hex >> 16) & 0xFF, (hex >> 8) & 0xFF, hex & 0xFF, 255);
}

ImU32 with_alpha(ImU32 color, float alpha) {
  ImVec4 c = ImGui::ColorConvertU32ToFloat4(color);
  c.w *= alpha;
  return ImGui::ColorConvertFloat4ToU32(c);
}

ImU32 style_color(ImGuiCol idx, float alpha = 1.0f) {
  return ImGui::GetColorU32(idx, alpha);
}

struct Rect {
  ImVec2 min, max;
  float width() const { return max.x - min.x; }
  float height() const { return max.y - min.y; }
  bool contains(const ImVec2& p) const {
    return p.x >= min.x && p.x < max.x && p.y >= min.y && p.y < max.y;
  }
};

bool finite(double v) {
  return std::isfinite(v);
}

// The area two rectangles share (0 if none).
float overlap_area(const Rect& a, const Rect& b) {
  const float w = std::min(a.max.x, b.max.x) - std::max(a.min.x, b.min.x);
  const float h = std::min(a.max.y, b.max.y) - std::max(a.min.y, b.min.y);
  return w > 0.0f && h > 0.0f ? w * h : 0.0f;
}

// Makes [lo, hi] a finite, increasing range.
void sanitize(double& lo, double& hi) {
  if (!finite(lo) || !finite(hi)) {
    lo = 0.0;
    hi = 1.0;
  }
  if (hi < lo) std::swap(lo, hi);
  const double center = 0.5 * (lo + hi);
  const double min_half = std::max(std::abs(center) * 1e-9, 1e-12);
  if (hi - lo < 2.0 * min_half) {
    lo = center - min_half;
    hi = center + min_half;
  }
  if (hi - lo > 1e300) {
    lo = -0.5e300;
    hi = 0.5e300;
  }
}

struct Extent {
  double lo = kInf, hi = -kInf;
  void add(double v) {
    if (!finite(v)) return;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  bool empty() const { return !(hi >= lo); }
};

// Range of the data plus padding; data of one value (up to rounding) gets a range around it.
void padded(const Extent& e, double pad_fraction, double* lo, double* hi) {
  const Range r = e.empty() ? Range{} : data_range(e.lo, e.hi, pad_fraction);
  *lo = r.lo;
  *hi = r.hi;
}

void fit(const PlotSetup& su, PlotState& st, bool fit_x, bool fit_y) {
  Extent ex, ey;
  bool bars = false;  // a Bars or Histogram item drew something
  for (int k = 0; k < st.series_count; ++k) {
    const Series& s = st.series[static_cast<size_t>(k)];
    if (is_hidden(st, s.id)) continue;
    switch (s.kind) {
      case ItemKind::Line:
      case ItemKind::Scatter:
      case ItemKind::Marker:
        for (size_t i = 0; i < s.x.size(); ++i) {
          if (finite(s.x[i]) && finite(s.y[i])) {
            ex.add(s.x[i]);
            ey.add(s.y[i]);
          }
        }
        break;
      case ItemKind::Band:
        for (size_t i = 0; i < s.x.size(); ++i) {
          if (!finite(s.x[i])) continue;
          ex.add(s.x[i]);
          ey.add(s.y[i]);
          ey.add(s.y2[i]);
        }
        break;
      case ItemKind::Bars:
      case ItemKind::Histogram:
        for (size_t i = 0; i < s.x.size(); ++i) {
          if (!finite(s.x[i]) || !finite(s.y[i])) continue;
          ex.add(s.x[i] - 0.5 * s.bar_width);
          ex.add(s.x[i] + 0.5 * s.bar_width);
          ey.add(s.y[i]);
          ey.add(0.0);
          bars = true;
        }
        break;
      case ItemKind::VLine:
        for (double x : s.x) ex.add(x);
        break;
      case ItemKind::HLine:
        for (double y : s.y) ey.add(y);
        break;
      case ItemKind::Arrows:
        for (size_t i = 0; i < s.x.size(); ++i) {
          if (!finite(s.x[i]) || !finite(s.y[i]) || !finite(s.x2[i]) || !finite(s.y2[i])) continue;
          ex.add(s.x[i]);
          ex.add(s.x2[i]);
          ey.add(s.y[i]);
          ey.add(s.y2[i]);
        }
        break;
      case ItemKind::Text:
        break;
    }
  }
  if (su.x_flags & AxisFlags_IncludeZero) ex.add(0.0);
  if (su.y_flags & AxisFlags_IncludeZero) {
    ey.add(0.0);
    // Data all at 0 (‖ĝ‖ before any reward was seen): 0 sits at the bottom of a unit range, not in
    // the middle of [−1, 1], which showed a norm's axis going negative.
    if (!ey.empty() && ey.lo == 0.0 && ey.hi == 0.0) ey.add(1.0);
  }
  if (fit_x) padded(ex, 0.02, &st.x_min, &st.x_max);
  if (fit_y) {
    padded(ey, 0.07, &st.y_min, &st.y_max);
    // Bars stand on the axis: where every value is on one side of 0 the range stops at 0 on the
    // other (a histogram of counts read −10 at its foot).
    if (bars && ey.lo == 0.0 && ey.hi > 0.0) st.y_min = 0.0;
    if (bars && ey.hi == 0.0 && ey.lo < 0.0) st.y_max = 0.0;
  }
}

// Maps plot units to screen pixels for one frame.
struct Mapping {
  Rect area;
  double x_min, x_max, y_min, y_max;
  ImVec2 to_px(double x, double y) const {
    // Clamp far-away points: float pixel coordinates lose precision (and ImGui's clipping
    // misbehaves) millions of pixels off screen.
    constexpr double kFar = 1e5;
    double px = area.min.x + (x - x_min) / (x_max - x_min) * area.width();
    double py = area.max.y - (y - y_min) / (y_max - y_min) * area.height();
    px = std::clamp(px, static_cast<double>(area.min.x) - kFar,
                    static_cast<double>(area.max.x) + kFar);
    py = std::clamp(py, static_cast<double>(area.min.y) - kFar,
                    static_cast<double>(area.max.y) + kFar);
    return ImVec2(static_cast<float>(px), static_cast<float>(py));
  }
  double x_of(float px) const {
    return x_min + (px - area.min.x) / static_cast<double>(area.width()) * (x_max - x_min);
  }
  double y_of(float py) const {
    return y_min + (area.max.y - py) / static_cast<double>(area.height()) * (y_max - y_min);
  }
};

void add_dashed_line(ImDrawList* dl, ImVec2 a, ImVec2 b, ImU32 color, float thickness, float dash) {
  const float dx = b.x - a.x, dy = b.y - a.y;
  const float length = std::sqrt(dx * dx + dy * dy);
  if (!(length > 0.0f) || !(dash > 0.0f)) return;
  const float ux = dx / length, uy = dy / length;
  for (float t = 0.0f; t < length; t += 2.0f * dash) {
    const float t1 = std::min(t + dash, length);
    dl->AddLine(ImVec2(a.x + ux * t, a.y + uy * t), ImVec2(a.x + ux * t1, a.y + uy * t1), color,
                thickness);
  }
}

// Text rotated a quarter turn counter-clockwise (reads bottom to top), centred on `center`,
// wrapped onto more lines (side by side once turned) where longer than `wrap` and clipped to
// `clip` like any other text (so a label too long for its plot shows as cut).
void add_vertical_text(ImDrawList* dl, ImVec2 center, ImU32 color, const char* text, float wrap,
                       const ImVec4& clip) {
  const float fs = ImGui::GetFontSize();
  const ImVec2 size = ImGui::CalcTextSize(text, nullptr, false, wrap);
  dl->PushClipRect(ImVec2(clip.x, clip.y), ImVec2(clip.z, clip.w), true);
  const int first = dl->VtxBuffer.Size;
  // Glyphs are culled against the unturned text's clip rectangle: give it one that culls nothing.
  const ImVec4 no_cull(-1e9f, -1e9f, 1e9f, 1e9f);
  ImGui::GetFont()->RenderText(dl, fs, ImVec2(center.x - 0.5f * size.x, center.y - 0.5f * size.y),
                               color, no_cull, text, nullptr, wrap);
  for (int i = first; i < dl->VtxBuffer.Size; ++i) {
    ImVec2& p = dl->VtxBuffer[i].pos;
    const float rx = p.x - center.x, ry = p.y - center.y;
    p = ImVec2(center.x + ry, center.y - rx);
  }
  dl->PopClipRect();
}

void add_arrow(ImDrawList* dl, ImVec2 a, ImVec2 b, ImU32 color, float thickness, float head) {
  const float dx = b.x - a.x, dy = b.y - a.y;
  const float length = std::sqrt(dx * dx + dy * dy);
  if (!(length > 0.5f)) {
    dl->AddCircleFilled(a, thickness, color);
    return;
  }
  const float ux = dx / length, uy = dy / length;
  head = std::min(head, length);
  const ImVec2 base(b.x - ux * head, b.y - uy * head);
  dl->AddLine(a, base, color, thickness);
  const float hw = 0.45f * head;
  dl->AddTriangleFilled(b, ImVec2(base.x - uy * hw, base.y + ux * hw),
                        ImVec2(base.x + uy * hw, base.y - ux * hw), color);
}

// Filled quads between lo and hi for each pair of consecutive finite samples; no
// anti-aliasing fringe, so adjacent quads of a translucent band do not show seams.
void add_band(ImDrawList* dl, const Mapping& m, const Series& s, ImU32 color) {
  const ImVec2 uv = ImGui::GetFontTexUvWhitePixel();
  for (size_t i = 0; i + 1 < s.x.size(); ++i) {
    if (!finite(s.x[i]) || !finite(s.y[i]) || !finite(s.y2[i]) || !finite(s.x[i + 1]) ||
        !finite(s.y[i + 1]) || !finite(s.y2[i + 1])) {
      continue;
    }
    const ImVec2 a = m.to_px(s.x[i], s.y[i]), b = m.to_px(s.x[i], s.y2[i]);
    const ImVec2 c = m.to_px(s.x[i + 1], s.y2[i + 1]), d = m.to_px(s.x[i + 1], s.y[i + 1]);
    dl->PrimReserve(6, 4);
    const ImDrawIdx base = static_cast<ImDrawIdx>(dl->_VtxCurrentIdx);
    dl->PrimWriteIdx(base);
    dl->PrimWriteIdx(static_cast<ImDrawIdx>(base + 1));
    dl->PrimWriteIdx(static_cast<ImDrawIdx>(base + 2));
    dl->PrimWriteIdx(base);
    dl->PrimWriteIdx(static_cast<ImDrawIdx>(base + 2));
    dl->PrimWriteIdx(static_cast<ImDrawIdx>(base + 3));
    dl->PrimWriteVtx(a, uv, color);
    dl->PrimWriteVtx(b, uv, color);
    dl->PrimWriteVtx(c, uv, color);
    dl->PrimWriteVtx(d, uv, color);
  }
}

void add_line(PlotContext& ctx, ImDrawList* dl, const Mapping& m, const Series& s,
              float thickness) {
  // Long lines go out in chunks that share their end points (bounded scratch).
  constexpr size_t kChunk = 4000;
  auto flush = [&]() {
    if (ctx.scratch.size() == 1) {
      dl->AddCircleFilled(ctx.scratch[0], thickness * 1.5f, s.color);
    } else if (ctx.scratch.size() > 1) {
      // Segment by segment: ImGui's joined polyline thins out sharp zigzags (noisy curves such as
      // a gradient norm) to nothing at the joints; separate segments stay solid.
      for (size_t i = 0; i + 1 < ctx.scratch.size(); ++i)
        dl->AddLine(ctx.scratch[i], ctx.scratch[i + 1], s.color, thickness);
    }
    ctx.scratch.clear();
  };
  // Points closer than half a pixel in x add nothing but vertices: within such a run keep the
  // lowest and highest (the line's visible extent), in order.
  ctx.scratch.clear();
  ImVec2 run_lo, run_hi;
  bool have_run = false;
  auto push = [&](ImVec2 p) {
    if (ctx.scratch.size() >= kChunk) {
      const ImVec2 last = ctx.scratch.back();
      flush();
      ctx.scratch.push_back(last);
    }
    ctx.scratch.push_back(p);
  };
  for (size_t i = 0; i < s.x.size(); ++i) {
    if (!(finite(s.x[i]) && finite(s.y[i]))) {
      flush();
      have_run = false;
      continue;
    }
    const ImVec2 p = m.to_px(s.x[i], s.y[i]);
    if (!ctx.scratch.empty() && std::abs(p.x - ctx.scratch.back().x) < 0.5f && s.x.size() > 2048) {
      if (!have_run) {
        run_lo = run_hi = p;
        have_run = true;
      }
      if (p.y < run_lo.y) run_lo = p;
      if (p.y > run_hi.y) run_hi = p;
      continue;
    }
    if (have_run) {
      push(run_lo);
      push(run_hi);
      have_run = false;
    }
    push(p);
  }
  if (have_run) {
    push(run_lo);
    push(run_hi);
  }
  flush();
}

// Bar i of a Bars or Histogram series, from 0 to its height, in screen units.
Rect bar_rect(const Series& s, size_t i, const Mapping& m) {
  const ImVec2 a = m.to_px(s.x[i] - 0.5 * s.bar_width, 0.0);
  const ImVec2 b = m.to_px(s.x[i] + 0.5 * s.bar_width, s.y[i]);
  return {ImVec2(std::min(a.x, b.x), std::min(a.y, b.y)),
          ImVec2(std::max(a.x, b.x), std::max(a.y, b.y))};
}

// A text of `size` with its top-left corner at `at`, moved inside the plot area where it fits (a
// label at an edge is moved in, not cut).
Rect inside_area(ImVec2 at, const ImVec2& size, const Mapping& m) {
  at.x = std::max(m.area.min.x, std::min(at.x, m.area.max.x - size.x));
  at.y = std::max(m.area.min.y, std::min(at.y, m.area.max.y - size.y));
  return {at, ImVec2(at.x + size.x, at.y + size.y)};
}

int points_inside(const PlotState& st, const Mapping& m, const Rect& box, float unit,
                  bool with_text = true);

// A Text series' text as drawn: broken at spaces where it is wider than the plot area less a
// margin each side, so that it stays inside the area, off the tick labels (a note in a plot made
// narrow by presenter scale ran past the plot and the view).
std::string text_lines(const Series& s, const Mapping& m) {
  const float margin = 0.3f * ImGui::GetFontSize();
  return gui::wrap_at_spaces(s.text.c_str(), std::max(1.0f, m.area.width() - 2.0f * margin));
}

// Where text i of a Text series is drawn: centred at its point plus its pixel offset; a line's
// label (PlotHLineLabel: x is NaN) just above or below its line at either end, wherever it hides
// the fewest data (on ties above before below, then right before left); inside the area.
Rect text_rect(const PlotState& st, const Series& s, size_t i, const Mapping& m) {
  const ImVec2 size = ImGui::CalcTextSize(text_lines(s, m).c_str());
  if (finite(s.x[i])) {
    const ImVec2 p = m.to_px(s.x[i], s.y[i]);
    return inside_area(ImVec2(p.x + static_cast<float>(s.x2[i]) - 0.5f * size.x,
                              p.y + static_cast<float>(s.y2[i]) - 0.5f * size.y),
                       size, m);
  }
  const float y = m.to_px(m.x_min, s.y[i]).y, gap = 0.2f * size.y;
  const float pad = 0.5f * size.y;
  const float xs[2] = {m.area.max.x - pad - size.x, m.area.min.x + pad};
  const float ys[2] = {y - gap - size.y, y + gap};
  Rect best{};
  int best_count = -1;
  for (const float ty : ys)
    for (const float tx : xs) {
      const Rect r = inside_area(ImVec2(tx, ty), size, m);
      // Text items are left out of the count: a line label does not give way to another.
      const int c = points_inside(st, m, r, size.y, false);
      if (best_count < 0 || c < best_count) {
        best = r;
        best_count = c;
      }
    }
  return best;
}

void draw_series(PlotContext& ctx, const PlotState& st, ImDrawList* dl, const Mapping& m,
                 const Series& s, float fs) {
  const float thickness = std::max(1.0f, s.weight * fs);
  switch (s.kind) {
    case ItemKind::Line:
      add_line(ctx, dl, m, s, thickness);
      break;
    case ItemKind::Band:
      add_band(dl, m, s, with_alpha(s.color, 0.28f));
      break;
    case ItemKind::Scatter:
      for (size_t i = 0; i < s.x.size(); ++i) {
        if (finite(s.x[i]) && finite(s.y[i])) {
          dl->AddCircleFilled(m.to_px(s.x[i], s.y[i]), fs * 0.2f, with_alpha(s.color, 0.85f), 12);
        }
      }
      break;
    case ItemKind::Bars:
    case ItemKind::Histogram:
      for (size_t i = 0; i < s.x.size(); ++i) {
        if (!finite(s.x[i]) || !finite(s.y[i])) continue;
        const Rect r = bar_rect(s, i, m);
        dl->AddRectFilled(r.min, r.max, with_alpha(s.color, 0.65f));
        dl->AddRect(r.min, r.max, s.color, 0.0f, ImDrawFlags_None, 1.0f);
      }
      break;
    case ItemKind::Marker:
      for (size_t i = 0; i < s.x.size(); ++i) {
        if (!finite(s.x[i]) || !finite(s.y[i])) continue;
        const ImVec2 p = m.to_px(s.x[i], s.y[i]);
        dl->AddCircleFilled(p, fs * 0.34f, s.color, 16);
        dl->AddCircle(p, fs * 0.34f, style_color(ImGuiCol_WindowBg), 16,
                      std::max(1.0f, fs * 0.09f));
      }
      break;
    case ItemKind::VLine:
      for (double x : s.x) {
        if (!finite(x)) continue;
        const float px = m.to_px(x, 0.0).x;
        add_dashed_line(dl, ImVec2(px, m.area.min.y), ImVec2(px, m.area.max.y), s.color, thickness,
                        fs * 0.45f);
      }
      break;
    case ItemKind::HLine:
      for (double y : s.y) {
        if (!finite(y)) continue;
        const float py = m.to_px(0.0, y).y;
        add_dashed_line(dl, ImVec2(m.area.min.x, py), ImVec2(m.area.max.x, py), s.color, thickness,
                        fs * 0.45f);
      }
      break;
    case ItemKind::Arrows:
      for (size_t i = 0; i < s.x.size(); ++i) {
        if (!finite(s.x[i]) || !finite(s.y[i]) || !finite(s.x2[i]) || !finite(s.y2[i])) continue;
        add_arrow(dl, m.to_px(s.x[i], s.y[i]), m.to_px(s.x2[i], s.y2[i]), s.color, thickness,
                  fs * 0.6f);
      }
      break;
    case ItemKind::Text: {
      const std::string text = text_lines(s, m);
      const ImU32 color = s.color != 0 ? s.color : style_color(ImGuiCol_Text);
      for (size_t i = 0; i < s.x.size(); ++i) {
        if (!finite(s.y[i])) continue;
        const Rect r = text_rect(st, s, i, m);
        // Each line centred in the text's box.
        float y = r.min.y;
        for (size_t at = 0; at <= text.size();) {
          const size_t end = std::min(text.find('\n', at), text.size());
          const char* b = text.c_str() + at;
          const char* e = text.c_str() + end;
          const float w = ImGui::CalcTextSize(b, e).x;
          dl->AddText(ImVec2(r.min.x + 0.5f * (r.width() - w), y), color, b, e);
          y += ImGui::GetTextLineHeight();
          at = end + 1;
        }
      }
      break;
    }
  }
}

struct LegendEntry {
  ImGuiID id = 0;
  const Series* first = nullptr;
  bool line = false, band = false, dots = false, bars = false, dashed = false, arrow = false;
  Rect rect;
  std::string text;  // the label with its line breaks (layout_legend: at spaces only)
};

void build_legend(const PlotState& st, std::vector<LegendEntry>* entries) {
  entries->clear();
  for (int k = 0; k < st.series_count; ++k) {
    const Series& s = st.series[static_cast<size_t>(k)];
    if (!s.in_legend) continue;
    LegendEntry* e = nullptr;
    for (LegendEntry& existing : *entries) {
      if (existing.id == s.id) e = &existing;
    }
    if (e == nullptr) {
      entries->push_back({});
      e = &entries->back();
      e->id = s.id;
      e->first = &s;
    }
    switch (s.kind) {
      case ItemKind::Line:
        e->line = true;
        break;
      case ItemKind::Band:
        e->band = true;
        break;
      case ItemKind::Scatter:
      case ItemKind::Marker:
        e->dots = true;
        break;
      case ItemKind::Bars:
      case ItemKind::Histogram:
        e->bars = true;
        break;
      case ItemKind::VLine:
      case ItemKind::HLine:
        e->dashed = true;
        break;
      case ItemKind::Arrows:
        e->arrow = true;
        break;
      case ItemKind::Text:
        break;
    }
  }
}

// The length of the part of segment a–b inside `box` (Liang–Barsky clipping; 0 if none).
float length_inside(const ImVec2& a, const ImVec2& b, const Rect& box) {
  float t0 = 0.0f, t1 = 1.0f;
  const float d[2] = {b.x - a.x, b.y - a.y};
  const float lo[2] = {box.min.x - a.x, box.min.y - a.y};
  const float hi[2] = {box.max.x - a.x, box.max.y - a.y};
  for (int k = 0; k < 2; ++k) {
    if (d[k] == 0.0f) {
      if (lo[k] > 0.0f || hi[k] < 0.0f) return 0.0f;
      continue;
    }
    float ta = lo[k] / d[k], tb = hi[k] / d[k];
    if (ta > tb) std::swap(ta, tb);
    t0 = std::max(t0, ta);
    t1 = std::min(t1, tb);
    if (t0 >= t1) return 0.0f;
  }
  return (t1 - t0) * std::sqrt(d[0] * d[0] + d[1] * d[1]);
}

// How much of the visible series `box` (screen units) would hide: each data point inside it, and
// for a line (or a horizontal or vertical reference line) one more per `unit` pixels of it that
// run inside. A line of three points whose long middle stretch runs under a legend is hidden as
// surely as a cloud of points; a dense line's short segments add nothing to its points.
int points_inside(const PlotState& st, const Mapping& m, const Rect& box, float unit,
                  bool with_text) {
  int count = 0;
  auto add = [&](double x, double y) {
    if (finite(x) && finite(y) && box.contains(m.to_px(x, y))) ++count;
  };
  for (int k = 0; k < st.series_count; ++k) {
    const Series& s = st.series[static_cast<size_t>(k)];
    if (is_hidden(st, s.id)) continue;
    // Text and bars cover an area: one per unit × unit of it under the box (a legend over a bar's
    // body or over a label hides it as surely as over points).
    if (s.kind == ItemKind::Text && !with_text) continue;
    if (s.kind == ItemKind::Text || s.kind == ItemKind::Bars || s.kind == ItemKind::Histogram) {
      for (size_t i = 0; i < s.x.size() && i < s.y.size(); ++i) {
        const bool text = s.kind == ItemKind::Text;
        if (!finite(s.y[i]) || (!text && !finite(s.x[i]))) continue;  // a text's NaN x: a label
        const float a = overlap_area(text ? text_rect(st, s, i, m) : bar_rect(s, i, m), box);
        if (a > 0.0f) count += static_cast<int>(std::ceil(a / (unit * unit)));
      }
      if (s.kind == ItemKind::Text) continue;
    }
    for (size_t i = 0; i < s.x.size(); ++i) {
      if (i < s.y.size()) add(s.x[i], s.y[i]);
      if (i < s.y2.size()) add(i < s.x2.size() ? s.x2[i] : s.x[i], s.y2[i]);
    }
    // Reference lines across the whole area (a threshold, the current step) count by their run.
    if (s.kind == ItemKind::HLine)
      for (double y : s.y)
        if (finite(y))
          count +=
              static_cast<int>(length_inside(m.to_px(m.x_min, y), m.to_px(m.x_max, y), box) / unit);
    if (s.kind == ItemKind::VLine)
      for (double x : s.x)
        if (finite(x))
          count +=
              static_cast<int>(length_inside(m.to_px(x, m.y_min), m.to_px(x, m.y_max), box) / unit);
    if (s.kind != ItemKind::Line) continue;
    for (size_t i = 1; i < s.x.size() && i < s.y.size(); ++i) {
      if (!finite(s.x[i - 1]) || !finite(s.y[i - 1]) || !finite(s.x[i]) || !finite(s.y[i]))
        continue;
      const float run =
          length_inside(m.to_px(s.x[i - 1], s.y[i - 1]), m.to_px(s.x[i], s.y[i]), box);
      count += static_cast<int>(run / unit);
    }
  }
  return count;
}

// Lays legend entries out in the corner of the plot area, or the middle of its top or bottom edge,
// that hides the fewest data points (corners first on ties, top-left first), switching only for a
// clear gain once placed (a new plot takes the best place at once); returns the box. A legend
// taller than the area (a short plot, presenter scale) goes into as few side-by-side columns as
// make it fit, so no label is cut by the area's edge; where none fits, the columns that make it
// shortest. Where every such place hides data, the legend leaves the area: into a strip beside it
// where that takes at most 40% of the width (kLegendBeside), else under the x axis where that takes
// at most 35% of the height (kLegendBelow); m.area shrinks to make room. Where neither fits (a wide
// legend on a small plot) and the y range was fitted to the data this frame (Headroom::kMayGrow),
// the range grows at the top by the legend's height so the data keep the area below it
// (kLegendHeadroom: a band at most half the area, the legend in the columns that make it
// fit; st.y_max and m.y_max change, the next fit starts afresh). Headroom::kGrown lays a headroom
// legend out again over a range that already has its band (the PNG export's copy of the state).
// Where the range is fixed (the caller's limits, or the user's zoom), that band is a strip taken
// from the top of the area instead (kLegendAbove: at most 40%; the range keeps its limits
// over a shorter area). Places inside the area: the four corners, then the middle of the top and of
// the bottom edge (an arch or a valley, as J(p) of the short corridor, leaves the middle of one
// edge free where every corner has data).
constexpr int kLegendInside = 6;
constexpr int kLegendBeside = kLegendInside;
constexpr int kLegendBelow = 7;
constexpr int kLegendHeadroom = 8;
constexpr int kLegendAbove = 9;
// The most of the area's height a headroom band takes: the data keep at least half. (At 40%,
// legends of two lines missed it by 1 to 3 pixels on short plots and stood over the data they
// should have cleared: the overview's J line at 1920×1080 ×1.5, hidden for most of its length.)
// A strip above takes at most 40%: it shortens the area, and the y label and ticks laid out for the
// full height then crowd a short one (the short corridor's J(p) at 1280×720: ticks over the label).
constexpr float kLegendHeadroomShare = 0.5f;
constexpr float kLegendStripShare = 0.4f;
enum class Headroom { kNo, kMayGrow, kGrown };
Rect layout_legend(std::vector<LegendEntry>& entries, PlotState& st, Mapping& m, const Rect& frame,
                   float fs, Headroom headroom_mode) {
  const Rect area = m.area;
  const float pad = fs * 0.35f;
  const float swatch = fs * 1.4f;
  const float row = fs * 1.25f;
  const float area_w = area.max.x - area.min.x, area_h = area.max.y - area.min.y;
  const int n = static_cast<int>(entries.size());
  // One layout per column count: each column as wide as its widest label, entries filled column
  // by column. Labels keep their one line where the columns then fit the plot's width (a short
  // label beside a long one: the long one's column takes the room the short one leaves); else
  // labels wider than their column's share of the plot wrap onto more lines.
  struct Columns {
    int count = 1;
    std::vector<float> rows, widths;
    std::vector<std::string> texts;
    float box_w = 0.0f, box_h = 0.0f;
  };
  auto lay_out_at = [&](int count, float wrap) {
    Columns c;
    c.count = count;
    const int per = (n + count - 1) / count;
    c.rows.resize(entries.size());
    c.texts.resize(entries.size());
    c.widths.assign(static_cast<size_t>(count), 0.0f);
    std::vector<float> heights(static_cast<size_t>(count), pad);
    for (int i = 0; i < n; ++i) {
      std::string& lines = c.texts[static_cast<size_t>(i)];
      lines = gui::wrap_at_spaces(entries[static_cast<size_t>(i)].first->label.c_str(), wrap);
      const ImVec2 text = ImGui::CalcTextSize(lines.c_str());
      const size_t col = static_cast<size_t>(i / per);
      c.rows[static_cast<size_t>(i)] = text.y + row - fs;
      c.widths[col] = std::max(c.widths[col], text.x);
      heights[col] += c.rows[static_cast<size_t>(i)];
    }
    for (float w : c.widths)
      if (w > 0.0f) c.box_w += pad * 2.0f + swatch + pad + w;
    c.box_h = *std::max_element(heights.begin(), heights.end());
    return c;
  };
  auto lay_out = [&](int count) {
    Columns one_line = lay_out_at(count, std::numeric_limits<float>::max());
    if (one_line.box_w + pad * 2.0f <= area_w) return one_line;
    return lay_out_at(
        count, std::max((area_w - pad * 2.0f) / static_cast<float>(count) - pad * 3.0f - swatch,
                        fs * 3.0f));
  };
  Columns best_fit = lay_out(1);
  for (int count = 2; count <= n && best_fit.box_h + pad * 2.0f > area_h; ++count) {
    Columns c = lay_out(count);
    if (c.box_w + pad * 2.0f > area_w) break;  // no wider than the plot
    if (c.box_h < best_fit.box_h) best_fit = std::move(c);
  }
  const std::vector<float>& rows = best_fit.rows;  // (best_fit.texts are moved out below)
  float box_w = best_fit.box_w, box_h = best_fit.box_h;
  const float mid_x = std::floor(0.5f * (area.min.x + area.max.x - box_w));
  const ImVec2 corners[kLegendInside] = {
      ImVec2(area.min.x + pad, area.min.y + pad),                  // top-left
      ImVec2(area.max.x - pad - box_w, area.min.y + pad),          // top-right
      ImVec2(area.min.x + pad, area.max.y - pad - box_h),          // bottom-left
      ImVec2(area.max.x - pad - box_w, area.max.y - pad - box_h),  // bottom-right
      ImVec2(mid_x, area.min.y + pad),                             // top-centre
      ImVec2(mid_x, area.max.y - pad - box_h),                     // bottom-centre
  };
  // Hysteresis: streaming data must not make the legend hop every frame. A legend out of the
  // area comes back in only where a corner stays clear with a margin of one em around the box (a
  // point that just entered a corner must move well off before the legend returns over it).
  const bool was_outside = st.legend_corner >= kLegendBeside;
  const float margin = was_outside ? fs : 0.0f;
  int hidden[kLegendInside];
  int best = 0;
  for (int c = 0; c < kLegendInside; ++c) {
    hidden[c] =
        points_inside(st, m,
                      {ImVec2(corners[c].x - margin, corners[c].y - margin),
                       ImVec2(corners[c].x + box_w + margin, corners[c].y + box_h + margin)},
                      fs * 2.0f);
    if (hidden[c] < hidden[best]) best = c;
  }
  // Out of the area when every place inside hides data (one point is one too many: a legend over
  // the curve's last point hides where the run stands now). Not for an equal-scale plot: its area
  // and y ticks were fitted together (layout_area), and a narrower area would widen its y range
  // and its tick labels over the axis label. Beside: the legend's widest label sets the strip's
  // width; where that is more than 40% of the area, the labels wrap (at spaces) to fit a strip
  // of 40% when the wrapped legend then fits the area's height (checked last, after the strips
  // above: a column of wrapped labels reads worse than one row).
  const bool equal = (st.setup.flags & PlotFlags_Equal) != 0;
  const float beside_w = box_w + pad * 2.0f, below_h = box_h + pad * 2.0f;
  const int outside = equal                                            ? -1
                      : beside_w <= 0.4f * area_w && below_h <= area_h ? kLegendBeside
                      : below_h <= 0.35f * area_h && box_w <= area_w   ? kLegendBelow
                                                                       : -1;
  // Headroom (or the strip above) takes the columns that make the shortest band whose box fits the
  // plot's width and its share of the height (entries side by side where stacked they would take
  // more of a short plot). Only laid out where no other placement outside the area fits.
  const bool may_grow =
      (headroom_mode == Headroom::kMayGrow ||
       (headroom_mode == Headroom::kGrown && st.legend_corner == kLegendHeadroom)) &&
      st.y_max > st.y_min;
  const float share = may_grow ? kLegendHeadroomShare : kLegendStripShare;
  std::optional<Columns> flat;
  if (outside < 0 && (st.setup.flags & PlotFlags_Equal) == 0) {
    for (int count = best_fit.count; count <= n; ++count) {
      Columns c = count == best_fit.count ? best_fit : lay_out(count);
      if (c.box_w + pad * 2.0f > area_w) break;
      if (c.box_h + pad * 2.0f <= share * area_h && (!flat || c.box_h < flat->box_h))
        flat = std::move(c);
    }
  }
  const bool headroom =
      headroom_mode == Headroom::kMayGrow && flat.has_value() && st.y_max > st.y_min;
  std::optional<Columns> wrapped;  // beside, its labels wrapped to a strip of 40%
  if (outside < 0 && !flat && !equal) {
    Columns c = lay_out_at(1, 0.4f * area_w - pad * 5.0f - swatch);
    if (c.box_w + pad * 2.0f <= 0.4f * area_w && c.box_h + pad * 2.0f <= area_h)
      wrapped = std::move(c);
  }
  // A range that already has its band keeps its legend there (no corner would hide anything).
  const bool keep =
      headroom_mode == Headroom::kGrown && st.legend_corner == kLegendHeadroom && flat;
  if (keep) {
    st.legend_corner = kLegendHeadroom;
  } else if (outside >= 0 && hidden[best] > 0) {
    st.legend_corner = outside;
  } else if (headroom && hidden[best] > 0) {
    st.legend_corner = kLegendHeadroom;
  } else if (flat && hidden[best] > 0) {
    st.legend_corner = kLegendAbove;
  } else if (wrapped && hidden[best] > 0) {
    st.legend_corner = kLegendBeside;
    best_fit = std::move(*wrapped);  // `rows` reads it
    box_w = best_fit.box_w;
    box_h = best_fit.box_h;
  } else if (was_outside || st.legend_corner < 0) {
    st.legend_corner = best;
  } else {
    // Nowhere outside fits: the place inside that hides least, switching only for a clear gain
    // (or to a place that hides nothing).
    const int current = std::clamp(st.legend_corner, 0, kLegendInside - 1);
    if (hidden[best] * 2 + 2 <= hidden[current] || (hidden[best] == 0 && hidden[current] > 0))
      st.legend_corner = best;
  }
  const float beside_strip = box_w + pad * 2.0f;
  ImVec2 origin;
  if (st.legend_corner == kLegendBeside) {
    m.area.max.x = area.max.x - beside_strip;
    origin = ImVec2(m.area.max.x + pad, area.min.y + pad);
  } else if (st.legend_corner == kLegendBelow) {
    // The x ticks and label move up with the area's bottom; the legend takes the frame's foot.
    m.area.max.y = area.max.y - below_h;
    origin = ImVec2(area.min.x + pad, frame.max.y - pad - box_h);
  } else if (st.legend_corner == kLegendAbove) {
    // The area's top moves down under the strip; the y ticks follow the shorter area.
    best_fit = std::move(*flat);  // `rows` reads it
    box_w = best_fit.box_w;
    box_h = best_fit.box_h;
    m.area.min.y = area.min.y + box_h + pad * 2.0f;
    origin = ImVec2(area.min.x + pad, area.min.y + pad);
  } else if (st.legend_corner == kLegendHeadroom) {
    // The data's top maps to the band's foot; the top corner that then hides less (top-left on
    // ties: markers and line ends at the very top reach into the band).
    best_fit = std::move(*flat);  // `rows` reads it
    box_w = best_fit.box_w;
    box_h = best_fit.box_h;
    if (headroom_mode == Headroom::kMayGrow) {
      const float top_h = box_h + pad * 2.0f;
      st.y_max += (st.y_max - st.y_min) * top_h / (area_h - top_h);
      m.y_max = st.y_max;
    }
    const auto hides = [&](const ImVec2& c) {
      return points_inside(st, m, {c, ImVec2(c.x + box_w, c.y + box_h)}, fs * 2.0f);
    };
    const ImVec2 left(area.min.x + pad, area.min.y + pad);
    const ImVec2 right(area.max.x - pad - box_w, area.min.y + pad);
    origin = hides(right) < hides(left) ? right : left;
  } else {
    origin = corners[std::clamp(st.legend_corner, 0, kLegendInside - 1)];
  }
  const int per = (n + best_fit.count - 1) / best_fit.count;
  float x = origin.x, y = origin.y + pad * 0.5f;
  for (int i = 0; i < n; ++i) {
    const size_t k = static_cast<size_t>(i);
    if (i > 0 && i % per == 0) {
      x += pad * 3.0f + swatch + best_fit.widths[static_cast<size_t>(i / per - 1)];
      y = origin.y + pad * 0.5f;
    }
    const float w = pad * 3.0f + swatch + best_fit.widths[static_cast<size_t>(i / per)];
    entries[k].rect = {ImVec2(x, y), ImVec2(x + w, y + rows[k])};
    entries[k].text = std::move(best_fit.texts[k]);
    y += rows[k];
  }
  return {origin, ImVec2(origin.x + box_w, origin.y + box_h)};
}

void draw_legend(ImDrawList* dl, const PlotState& st, const std::vector<LegendEntry>& entries,
                 const Rect& box, int hovered_entry, float fs) {
  if (entries.empty()) return;
  dl->AddRectFilled(box.min, box.max, style_color(ImGuiCol_WindowBg, 0.88f), fs * 0.2f);
  dl->AddRect(box.min, box.max, style_color(ImGuiCol_Border), fs * 0.2f);
  const float pad = fs * 0.35f;
  const float swatch = fs * 1.4f;
  for (size_t i = 0; i < entries.size(); ++i) {
    const LegendEntry& e = entries[i];
    const bool hidden = is_hidden(st, e.id);
    if (static_cast<int>(i) == hovered_entry) {
      dl->AddRectFilled(e.rect.min, e.rect.max, style_color(ImGuiCol_HeaderHovered, 0.5f));
    }
    const ImU32 color = hidden ? style_color(ImGuiCol_TextDisabled, 0.6f) : e.first->color;
    const float x0 = e.rect.min.x + pad, x1 = x0 + swatch;
    const float cy = e.rect.min.y + fs * 0.625f;  // the first line's middle (rows are 1.25 em)
    const float thickness = std::max(1.0f, e.first->weight * fs);
    if (e.band) {
      dl->AddRectFilled(ImVec2(x0, cy - fs * 0.32f), ImVec2(x1, cy + fs * 0.32f),
                        with_alpha(color, 0.3f));
    }
    if (e.bars) {
      dl->AddRectFilled(ImVec2(x0 + fs * 0.2f, cy - fs * 0.35f),
                        ImVec2(x1 - fs * 0.2f, cy + fs * 0.35f), with_alpha(color, 0.65f));
    }
    if (e.line) dl->AddLine(ImVec2(x0, cy), ImVec2(x1, cy), color, thickness);
    if (e.dashed) add_dashed_line(dl, ImVec2(x0, cy), ImVec2(x1, cy), color, thickness, fs * 0.25f);
    if (e.arrow) add_arrow(dl, ImVec2(x0, cy), ImVec2(x1, cy), color, thickness, fs * 0.5f);
    if (e.dots) dl->AddCircleFilled(ImVec2(0.5f * (x0 + x1), cy), fs * 0.25f, color, 12);
    const ImVec2 text_pos(x1 + pad, cy - 0.5f * fs);
    dl->AddText(ImGui::GetFont(), fs, text_pos,
                style_color(hidden ? ImGuiCol_TextDisabled : ImGuiCol_Text), e.text.c_str());
  }
}

// One tooltip row: colour swatch, then text.
void tooltip_row(ImU32 color, const char* text) {
  const float fs = ImGui::GetFontSize();
  const ImVec2 p = ImGui::GetCursorScreenPos();
  ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(p.x, p.y + fs * 0.2f),
                                            ImVec2(p.x + fs * 0.6f, p.y + fs * 0.8f), color);
  ImGui::Dummy(ImVec2(fs * 0.6f, fs));
  ImGui::SameLine();
  ImGui::TextUnformatted(text);
}

void hover_readout(ImDrawList* dl, const Mapping& m, const PlotState& st, ImVec2 mouse,
                   double x_step, double y_step, float fs) {
  dl->AddLine(ImVec2(mouse.x, m.area.min.y), ImVec2(mouse.x, m.area.max.y),
              style_color(ImGuiCol_Text, 0.35f), 1.0f);
  ImGui::BeginTooltip();
  const std::string header = "x = " + format_value(m.x_of(mouse.x), x_step / 10.0) +
                             ",  y = " + format_value(m.y_of(mouse.y), y_step / 10.0);
  ImGui::TextDisabled("%s", header.c_str());
  PlotContext& ctx = context();
  ctx.hover_rows.assign(1, header);
  ctx.hover_frame = ImGui::GetFrameCount();
  const float near_px = fs * 0.7f;
  for (int k = 0; k < st.series_count; ++k) {
    const Series& s = st.series[static_cast<size_t>(k)];
    if (is_hidden(st, s.id) || s.x.empty()) continue;
    const std::string& shown = s.label.empty() ? s.hover_name : s.label;
    if (shown.empty()) continue;  // no name to read it by (a "##id" item without a hover name)
    const char* name = shown.c_str();
    std::string row;
    if (s.kind == ItemKind::Line) {
      int best = -1;
      float best_d = 0.0f;
      for (size_t i = 0; i < s.x.size(); ++i) {
        if (!finite(s.x[i]) || !finite(s.y[i])) continue;
        const float d = std::abs(m.to_px(s.x[i], s.y[i]).x - mouse.x);
        if (best < 0 || d < best_d) {
          best = static_cast<int>(i);
          best_d = d;
        }
      }
      if (best < 0) continue;
      const size_t b = static_cast<size_t>(best);
      const ImVec2 p = m.to_px(s.x[b], s.y[b]);
      dl->AddCircleFilled(p, fs * 0.28f, s.color, 12);
      dl->AddCircle(p, fs * 0.28f, style_color(ImGuiCol_WindowBg), 12, 1.5f);
      row = std::string(name) + ": " + format_value(s.y[b], y_step / 100.0) +
            "  at x = " + format_value(s.x[b], x_step / 100.0);
      // The band with the same label, at the same sample: its range.
      for (int j = 0; j < st.series_count; ++j) {
        const Series& band = st.series[static_cast<size_t>(j)];
        if (band.kind != ItemKind::Band || band.id != s.id || b >= band.x.size() ||
            band.x[b] != s.x[b]) {
          continue;
        }
        row += "  [" + format_value(band.y[b], y_step / 100.0) + ", " +
               format_value(band.y2[b], y_step / 100.0) + "]";
      }
    } else if (s.kind == ItemKind::Scatter || s.kind == ItemKind::Marker) {
      int best = -1;
      float best_d = near_px * near_px;
      for (size_t i = 0; i < s.x.size(); ++i) {
        if (!finite(s.x[i]) || !finite(s.y[i])) continue;
        const ImVec2 p = m.to_px(s.x[i], s.y[i]);
        const float d = (p.x - mouse.x) * (p.x - mouse.x) + (p.y - mouse.y) * (p.y - mouse.y);
        if (d <= best_d) {
          best = static_cast<int>(i);
          best_d = d;
        }
      }
      if (best < 0) continue;
      const size_t b = static_cast<size_t>(best);
      row = std::string(name) + ": (" + format_value(s.x[b], x_step / 100.0) + ", " +
            format_value(s.y[b], y_step / 100.0) + ")";
    } else if (s.kind == ItemKind::Bars || s.kind == ItemKind::Histogram) {
      const double mx = m.x_of(mouse.x);
      for (size_t i = 0; i < s.x.size(); ++i) {
        const double a = s.x[i] - 0.5 * s.bar_width, b = s.x[i] + 0.5 * s.bar_width;
        if (!(mx >= a && mx < b) || !finite(s.y[i])) continue;
        if (s.kind == ItemKind::Histogram) {
          row = std::string(name) + ": " + format_value(s.y[i], 1.0) + " in [" +
                format_value(a, s.bar_width / 100.0) + ", " + format_value(b, s.bar_width / 100.0) +
                ")";
        } else {
          row = std::string(name) + ": " + format_value(s.y[i], y_step / 100.0);
        }
        break;
      }
    }
    if (!row.empty()) {
      tooltip_row(s.color, row.c_str());
      ctx.hover_rows.push_back(row);
    }
  }
  ImGui::EndTooltip();
}

// Ticks along x whose labels fit (ticks.h's fitted_ticks with ImGui's text widths).
std::vector<Tick> fitted_x_ticks(double lo, double hi, float width, float fs, double min_step) {
  return fitted_ticks(lo, hi, width, fs * 5.0f, fs * 1.2f, min_step, [](const std::string& label) {
    return ImGui::CalcTextSize(label.c_str()).x;
  });
}

// The least tick step an axis allows: 1 on an axis of counts.
double min_tick_step(AxisFlags flags) {
  return (flags & AxisFlags_Integer) ? 1.0 : 0.0;
}

// Ticks along a y axis `height` high: about `target`, and never one lone "0" where two labels fit
// (a short plot of a KL from −1e-6 to 4e-6 asked for one interval of 5e-6).
std::vector<Tick> y_axis_ticks(double lo, double hi, int target, AxisFlags flags, float height,
                               float fs) {
  const int room = static_cast<int>(height / (fs * 1.2f));
  return nice_ticks_at_least_two(lo, hi, target, min_tick_step(flags), room);
}

double tick_step(const std::vector<Tick>& ticks, double lo, double hi) {
  return ticks.size() >= 2 ? ticks[1].value - ticks[0].value : (hi - lo) / 5.0;
}

bool shows_title(const PlotSetup& su) {
  return !su.title.empty() && (su.flags & PlotFlags_NoTitle) == 0;
}

// How wide the title and the x label may be before they wrap.
float title_wrap_width(const Rect& frame, float fs) {
  return std::max(frame.max.x - frame.min.x - fs * 0.4f, fs);
}

// Where a turned y label wraps beside a plot area `area_h` high: at the area's height, but never
// inside a word (a word longer than the area shows as cut rather than as a column of letters).
float y_label_wrap(const std::string& label, float area_h) {
  float widest_word = 0.0f;
  for (size_t b = 0; b < label.size();) {
    const size_t e = std::min(label.find(' ', b), label.size());
    widest_word =
        std::max(widest_word, ImGui::CalcTextSize(label.c_str() + b, label.c_str() + e).x);
    b = e + 1;
  }
  return std::max(area_h, widest_word + 1.0f);
}

// The width a turned y label takes beside a plot area `area_h` high: one font size per line.
float y_label_width_of(const PlotSetup& su, float area_h) {
  if (su.y_label.empty()) return 0.0f;
  return ImGui::CalcTextSize(su.y_label.c_str(), nullptr, false, y_label_wrap(su.y_label, area_h))
      .y;
}

// Same plot units per pixel on both axes of `area` (PlotFlags_Equal): widens the axis that has
// fewer, about its centre.
void equalize(const Rect& area, double* x_min, double* x_max, double* y_min, double* y_max) {
  const double upp = std::max((*x_max - *x_min) / area.width(), (*y_max - *y_min) / area.height());
  const double cx = 0.5 * (*x_min + *x_max), cy = 0.5 * (*y_min + *y_max);
  *x_min = cx - 0.5 * upp * area.width();
  *x_max = cx + 0.5 * upp * area.width();
  *y_min = cy - 0.5 * upp * area.height();
  *y_max = cy + 0.5 * upp * area.height();
}

// The plot area inside `frame`: title on top, x ticks and label below, rotated y label and y ticks
// on the left. *y_target: how many y ticks fit.
// ---- Mark labels (PlotVLineLabel): a band of rows between the title and the area.

constexpr int kMaxMarkRows = 3;

float mark_row_height(float fs) {
  return fs * 1.15f;
}

// The rows above the area the mark labels take; `bottom` is the band's lower edge: the area's top
// before a legend strip above the area took its share, so the strip and the labels never meet.
struct MarkBand {
  int rows = 0;
  float bottom = 0.0f;
};

struct MarkPlace {
  Rect rect;
  const Series* series = nullptr;
  std::string text;  // the label, or its start and "…" where the row had less room (cut)
  bool cut = false;
};

// The longest start of `text` (whole UTF-8 characters) that with "…" is at most `width` wide;
// "" when not even one character fits.
std::string cut_to_width(const std::string& text, float width) {
  std::string best;
  for (size_t i = 1; i <= text.size(); ++i) {
    if (i < text.size() && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
    std::string candidate = text.substr(0, i) + "…";
    if (ImGui::CalcTextSize(candidate.c_str()).x > width) break;
    best = std::move(candidate);
  }
  return best;
}

// Places each mark label on x ∈ [x_min, x_max] drawn across [left, right] on screen: beside its
// mark (right of it, or left of it where it would pass `right`), on the lowest of `max_rows` rows
// where it keeps a gap to the others. Where no row has room for it whole, labels are cut ("…", the
// full text on hover), none to under 4 em: the label itself, from the end of a row that ends before
// its mark; else the last label of a row, up to the mark, the new one right of it. A label that
// still finds no room is left out. Returns the rows used.
int place_mark_labels(const PlotState& st, float left, float right, double x_min, double x_max,
                      float bottom, float fs, int max_rows, std::vector<MarkPlace>* out) {
  struct Mark {
    float px;
    const Series* s;
  };
  std::vector<Mark> marks;
  for (int k = 0; k < st.series_count; ++k) {
    const Series& s = st.series[static_cast<size_t>(k)];
    if (!s.mark || is_hidden(st, s.id) || s.x.empty() || !finite(s.x[0])) continue;
    if (s.x[0] < x_min || s.x[0] > x_max || !(x_max > x_min)) continue;
    const float px = left + static_cast<float>((s.x[0] - x_min) / (x_max - x_min)) * (right - left);
    marks.push_back({px, &s});
  }
  std::stable_sort(marks.begin(), marks.end(),
                   [](const Mark& a, const Mark& b) { return a.px < b.px; });
  const float row_h = mark_row_height(fs), gap = fs * 0.6f, beside = fs * 0.25f;
  const float least = fs * 4.0f;  // a cut label keeps at least this much
  const size_t n_rows = static_cast<size_t>(std::max(max_rows, 0));
  std::vector<MarkPlace> places;
  std::vector<int> last(n_rows, -1);  // per row: its rightmost label (an index into places)
  auto row_end = [&](size_t r) { return last[r] < 0 ? -1e30f : places[last[r]].rect.max.x; };
  auto put = [&](size_t r, float x, const Series* s, std::string text, bool cut) {
    const ImVec2 size = ImGui::CalcTextSize(text.c_str());
    const float y = bottom - static_cast<float>(r + 1) * row_h + 0.5f * (row_h - size.y);
    places.push_back({Rect{ImVec2(x, y), ImVec2(x + size.x, y + size.y)}, s, std::move(text), cut});
    last[r] = static_cast<int>(places.size()) - 1;
  };
  for (const Mark& mk : marks) {
    const float w = ImGui::CalcTextSize(mk.s->text.c_str()).x;
    float x0 = mk.px + beside;
    if (x0 + w > right) x0 = mk.px - beside - w;
    x0 = std::max(x0, left);
    bool placed = false;
    for (size_t r = 0; r < n_rows && x0 + w <= right && !placed; ++r) {
      if (x0 < row_end(r) + gap) continue;
      put(r, x0, mk.s, mk.s->text, false);
      placed = true;
    }
    if (placed) continue;
    // Cut it, from the end of the row with the most room that ends before its mark.
    size_t best = n_rows;
    float best_x = 0.0f;
    for (size_t r = 0; r < n_rows; ++r) {
      const float x = std::max(row_end(r) + gap, left);
      if (x <= mk.px + beside && (best == n_rows || x < best_x)) {
        best = r;
        best_x = x;
      }
    }
    if (best < n_rows && right - best_x >= least) {
      std::string cut = cut_to_width(mk.s->text, right - best_x);
      if (!cut.empty()) {
        put(best, best_x, mk.s, std::move(cut), true);
        continue;
      }
    }
    // Cut the last label of the row that keeps most of it to end before this mark, and put this
    // one right of its mark (cut to the plot's edge).
    const float xr = mk.px + beside;
    if (right - xr < least) continue;
    best = n_rows;
    float best_room = 0.0f;
    for (size_t r = 0; r < n_rows; ++r) {
      if (last[r] < 0) continue;
      const float room = xr - gap - places[last[r]].rect.min.x;
      if (room >= least && room > best_room) {
        best = r;
        best_room = room;
      }
    }
    if (best == n_rows) continue;
    MarkPlace& p = places[static_cast<size_t>(last[best])];
    std::string shorter = cut_to_width(p.series->text, best_room);
    if (shorter.empty()) continue;
    p.rect.max.x = p.rect.min.x + ImGui::CalcTextSize(shorter.c_str()).x;
    p.text = std::move(shorter);
    p.cut = true;
    const bool fits = xr + w <= right;
    std::string text = fits ? mk.s->text : cut_to_width(mk.s->text, right - xr);
    if (!text.empty()) put(best, xr, mk.s, std::move(text), !fits);
  }
  int rows = 0;
  for (size_t r = 0; r < n_rows; ++r)
    if (last[r] >= 0) rows = static_cast<int>(r) + 1;
  if (out != nullptr) *out = std::move(places);
  return rows;
}

Rect layout_area(const PlotSetup& su, const PlotState& st, const Rect& frame, float fs,
                 int* y_target, MarkBand* band = nullptr) {
  const float pad = fs * 0.4f;
  const bool x_tick_labels = (su.x_flags & AxisFlags_NoTickLabels) == 0;
  const bool y_tick_labels = (su.y_flags & AxisFlags_NoTickLabels) == 0;
  Rect area;
  // The title and the x label wrap onto more lines when wider than the plot (a narrow plot,
  // presenter scale) rather than being cut.
  const float wrap_w = title_wrap_width(frame, fs);
  const float title_h =
      shows_title(su) ? ImGui::CalcTextSize(su.title.c_str(), nullptr, false, wrap_w).y : 0.0f;
  const float x_label_h =
      su.x_label.empty() ? 0.0f : ImGui::CalcTextSize(su.x_label.c_str(), nullptr, false, wrap_w).y;
  area.min.y = frame.min.y + (shows_title(su) ? title_h + pad : pad);
  area.max.y = frame.max.y - pad * 0.5f - (x_tick_labels ? fs + pad * 0.5f : 0.0f) -
               (su.x_label.empty() ? 0.0f : x_label_h + pad * 0.5f);
  *y_target = std::max(1, static_cast<int>((area.max.y - area.min.y) / (fs * 2.4f)));
  float y_label_width = su.y_tick_min_width * fs;
  auto place_left = [&](double y_min, double y_max) {
    for (const Tick& t :
         y_axis_ticks(y_min, y_max, *y_target, su.y_flags, area.max.y - area.min.y, fs))
      y_label_width = std::max(y_label_width, ImGui::CalcTextSize(t.label.c_str()).x);
    const float y_label_w = y_label_width_of(su, area.max.y - area.min.y);
    area.min.x = frame.min.x + pad * 0.5f + (su.y_label.empty() ? 0.0f : y_label_w + pad * 0.5f) +
                 (y_tick_labels ? y_label_width + pad * 0.75f : 0.0f);
    area.max.x = frame.max.x - fs * 0.9f;
    area.max.x = std::max(area.max.x, area.min.x + 1.0f);
    area.max.y = std::max(area.max.y, area.min.y + 1.0f);
  };
  place_left(st.y_min, st.y_max);
  // Mark labels take rows above the area (at most a third of its height), laid out on the x
  // range of this area: the area's top moves down by them.
  const float row_h = mark_row_height(fs);
  const int max_rows = std::min(
      kMaxMarkRows, static_cast<int>(0.34f * (area.max.y - area.min.y) / std::max(row_h, 1.0f)));
  const int rows = max_rows > 0 ? place_mark_labels(st, area.min.x, area.max.x, st.x_min, st.x_max,
                                                    area.min.y, fs, max_rows, nullptr)
                                : 0;
  if (band != nullptr) *band = MarkBand{rows, area.min.y + static_cast<float>(rows) * row_h};
  if (rows > 0) {
    area.min.y += static_cast<float>(rows) * row_h;
    *y_target = std::max(1, static_cast<int>((area.max.y - area.min.y) / (fs * 2.4f)));
  }
  if (su.flags & PlotFlags_Equal) {
    // An equal-scale plot shows a wider y range than its data's where x sets the scale, and its
    // ticks ("-2000" where the data gave "-1") need a wider margin: measure the ticks of the range
    // it will show in this area. The margin only grows, so two rounds settle it.
    for (int round = 0; round < 2; ++round) {
      double x_min = st.x_min, x_max = st.x_max, y_min = st.y_min, y_max = st.y_max;
      equalize(area, &x_min, &x_max, &y_min, &y_max);
      place_left(y_min, y_max);
    }
  }
  return area;
}

// Everything but the hover read-out: background, grid, items, border, ticks, labels, title,
// legend. Shared by EndPlot and DrawPlotForExport.
void draw_contents(PlotContext& ctx, const PlotSetup& su, const PlotState& st, ImDrawList* dl,
                   const Rect& frame, const Mapping& m, const std::vector<Tick>& x_ticks,
                   const std::vector<Tick>& y_ticks, const std::vector<LegendEntry>& legend,
                   const Rect* legend_box, int legend_hover, float fs, const MarkBand& band) {
  const Rect& area = m.area;
  const float pad = fs * 0.4f;
  const ImU32 text_color = style_color(ImGuiCol_Text);
  if ((su.flags & PlotFlags_NoFrame) == 0) {
    dl->AddRectFilled(area.min, area.max, style_color(ImGuiCol_FrameBg, 0.55f));
  }
  dl->PushClipRect(area.min, area.max, true);
  for (const Tick& t : x_ticks) {
    if (su.x_flags & AxisFlags_NoGridLines) break;
    const float px = m.to_px(t.value, 0.0).x;
    dl->AddLine(ImVec2(px, area.min.y), ImVec2(px, area.max.y),
                style_color(ImGuiCol_Text, t.value == 0.0 ? 0.28f : 0.10f), 1.0f);
  }
  for (const Tick& t : y_ticks) {
    if (su.y_flags & AxisFlags_NoGridLines) break;
    const float py = m.to_px(0.0, t.value).y;
    dl->AddLine(ImVec2(area.min.x, py), ImVec2(area.max.x, py),
                style_color(ImGuiCol_Text, t.value == 0.0 ? 0.28f : 0.10f), 1.0f);
  }
  for (int k = 0; k < st.series_count; ++k) {
    const Series& s = st.series[static_cast<size_t>(k)];
    if (!is_hidden(st, s.id)) draw_series(ctx, st, dl, m, s, fs);
  }
  dl->PopClipRect();
  if ((su.flags & PlotFlags_NoFrame) == 0) {
    dl->AddRect(area.min, area.max, style_color(ImGuiCol_Border), 0.0f, ImDrawFlags_None, 1.0f);
  }
  dl->PushClipRect(frame.min, frame.max, true);
  if ((su.x_flags & AxisFlags_NoTickLabels) == 0) {
    for (const Tick& t : x_ticks) {
      const float px = m.to_px(t.value, 0.0).x;
      const float w = ImGui::CalcTextSize(t.label.c_str()).x;
      dl->AddLine(ImVec2(px, area.max.y), ImVec2(px, area.max.y + pad * 0.4f),
                  style_color(ImGuiCol_Border));
      dl->AddText(ImVec2(px - 0.5f * w, area.max.y + pad * 0.4f), text_color, t.label.c_str());
    }
  }
  if ((su.y_flags & AxisFlags_NoTickLabels) == 0) {
    for (const Tick& t : y_ticks) {
      const float py = m.to_px(0.0, t.value).y;
      const float w = ImGui::CalcTextSize(t.label.c_str()).x;
      dl->AddText(ImVec2(area.min.x - pad * 0.5f - w, py - 0.5f * fs), text_color, t.label.c_str());
    }
  }
  // Centred under (over) the plot area when on one line; wrapped lines start at the frame's left.
  const float wrap_w = title_wrap_width(frame, fs);
  auto centred_x = [&](const char* text) {
    const float w = ImGui::CalcTextSize(text).x;
    const float x = 0.5f * (area.min.x + area.max.x) - 0.5f * w;
    return w > wrap_w ? frame.min.x + pad * 0.5f
                      : std::clamp(x, frame.min.x, std::max(frame.min.x, frame.max.x - w));
  };
  if (!su.x_label.empty()) {
    const float x_label_h = ImGui::CalcTextSize(su.x_label.c_str(), nullptr, false, wrap_w).y;
    // At the frame's foot, or right under the tick labels where a legend stands below the plot
    // (layout_legend moved the area's bottom up): the same place when it does not.
    const bool x_ticks_shown = (su.x_flags & AxisFlags_NoTickLabels) == 0;
    const float y = std::min(frame.max.y - x_label_h - pad * 0.4f,
                             area.max.y + (x_ticks_shown ? fs + pad * 0.5f : 0.0f) + pad * 0.6f);
    dl->AddText(ImGui::GetFont(), fs, ImVec2(centred_x(su.x_label.c_str()), y), text_color,
                su.x_label.c_str(), nullptr, wrap_w);
  }
  if (band.rows > 0) {
    // Laid out again on the final area (a legend beside it narrows it): the rows reserved stay.
    std::vector<MarkPlace> places;
    place_mark_labels(st, area.min.x, area.max.x, m.x_min, m.x_max, band.bottom, fs, band.rows,
                      &places);
    for (const MarkPlace& p : places)
      dl->AddText(p.rect.min, p.series->color != 0 ? p.series->color : text_color, p.text.c_str());
  }
  if (shows_title(su)) {
    dl->AddText(ImGui::GetFont(), fs,
                ImVec2(centred_x(su.title.c_str()), frame.min.y + pad * 0.25f), text_color,
                su.title.c_str(), nullptr, wrap_w);
  }
  dl->PopClipRect();
  if (!su.y_label.empty()) {
    const float area_h = area.max.y - area.min.y;
    add_vertical_text(dl,
                      ImVec2(frame.min.x + pad * 0.5f + 0.5f * y_label_width_of(su, area_h),
                             0.5f * (area.min.y + area.max.y)),
                      text_color, su.y_label.c_str(), y_label_wrap(su.y_label, area_h),
                      ImVec4(frame.min.x, frame.min.y, frame.max.x, frame.max.y));
  }
  if (legend_box != nullptr) {
    dl->PushClipRect(frame.min, frame.max, true);  // inside the area, or beside or under it
    draw_legend(dl, st, legend, *legend_box, legend_hover, fs);
    dl->PopClipRect();
  }
}

}  // namespace

// ---- Context ------------------------------------------------------------------------------------

// Plots kept although not drawn lately hold their zoom, pan, legend toggles and the data of their
// series. A title whose ID changes (a number in the shown part without "###") makes a new plot
// each time, so past kMaxIdlePlots the plots not drawn in the last frames that hold nothing the
// user chose (the axes fit the data, no series hidden) are dropped: memory stays bounded.
namespace {

constexpr size_t kMaxIdlePlots = 64;

void forget_idle_plots(PlotContext& ctx) {
  if (ctx.plots.size() < kMaxIdlePlots) return;
  const int now = ImGui::GetFrameCount();
  for (auto it = ctx.plots.begin(); it != ctx.plots.end();) {
    const PlotState& st = it->second;
    const bool idle = st.drawn_frame < now - 1 && !st.dragging && !st.panning;
    const bool chosen = !st.auto_x || !st.auto_y || !st.hidden.empty();
    it = idle && !chosen ? ctx.plots.erase(it) : std::next(it);
  }
}

}  // namespace

PlotContext& context() {
  IM_ASSERT(g_current_context != nullptr &&
            "No current plot context: call plot::CreateContext() after ImGui::CreateContext()");
  return *g_current_context;
}

PlotContext* CreateContext() {
  auto* ctx = new PlotContext();
  // Twelve: the history plots' comparisons take slots 3 to 10 (compare.h's CurveSlot), so the
  // sixth pin is not drawn in slot 0's colour, the live return's.
  for (unsigned hex : {0x3D8FE0u, 0xF28E2Bu, 0x3DAA5Cu, 0xE15759u, 0xA970D6u, 0x2AB3B3u, 0xB5835Au,
                       0xE377C2u, 0xBCBD22u, 0x8C8C8Cu, 0xFF9DA7u, 0xF1CE63u}) {
    ctx->palette.push_back(rgb(hex));
  }
  if (g_current_context == nullptr) g_current_context = ctx;
  return ctx;
}

void DestroyContext(PlotContext* ctx) {
  if (ctx == nullptr) ctx = g_current_context;
  if (ctx == g_current_context) g_current_context = nullptr;
  delete ctx;
}

void SetCurrentContext(PlotContext* ctx) {
  g_current_context = ctx;
}

PlotContext* GetCurrentContext() {
  return g_current_context;
}

ImU32 GetPaletteColor(int index) {
  const PlotContext& ctx = context();
  if (ctx.palette.empty()) return IM_COL32_WHITE;
  const int n = static_cast<int>(ctx.palette.size());
  return ctx.palette[static_cast<size_t>(((index % n) + n) % n)];
}

int GetPaletteSize() {
  return static_cast<int>(context().palette.size());
}

// ---- Scope --------------------------------------------------------------------------------------

bool BeginPlot(const char* title, const ImVec2& size_arg, PlotFlags flags) {
  PlotContext& ctx = context();
  IM_ASSERT(ctx.current == nullptr && "BeginPlot() called again before EndPlot()");
  const float fs = ImGui::GetFontSize();
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  ImVec2 size;
  size.x = size_arg.x > 0.0f ? size_arg.x : avail.x + size_arg.x;
  size.y = size_arg.y > 0.0f ? size_arg.y : (size_arg.y < 0.0f ? avail.y + size_arg.y : fs * 16.0f);
  // Never zero (InvisibleButton asserts) and never so small the axes overlap into nonsense.
  size.x = std::max(size.x, fs * 4.0f);
  size.y = std::max(size.y, fs * 4.0f);
  if (!ImGui::IsRectVisible(size)) {
    ImGui::Dummy(size);
    return false;
  }
  const ImGuiID id = ImGui::GetID(title);
  if (ctx.plots.find(id) == ctx.plots.end()) forget_idle_plots(ctx);
  PlotState& st = ctx.plots[id];
  ctx.current = &st;
  ctx.current_id = id;
  const char* hidden_part = std::strstr(title, "##");
  ctx.title = hidden_part ? std::string(title, hidden_part) : std::string(title);
  ctx.flags = flags;
  ctx.frame_min = ImGui::GetCursorScreenPos();
  ctx.frame_size = size;
  ctx.x_label.clear();
  ctx.y_label.clear();
  ctx.x_flags = ctx.y_flags = 0;
  ctx.setup_x = ctx.setup_y = AxisSetup{};
  ctx.next_color = 0;
  ctx.next_weight = -1.0f;
  ctx.next_hover_name.clear();
  ctx.y_tick_min_width = 0.0f;
  st.series_count = 0;
  return true;
}

void SetupAxes(const char* x_label, const char* y_label, AxisFlags x_flags, AxisFlags y_flags) {
  PlotContext& ctx = context();
  IM_ASSERT(ctx.current != nullptr && "SetupAxes() must follow BeginPlot()");
  ctx.x_label = x_label != nullptr ? x_label : "";
  ctx.y_label = y_label != nullptr ? y_label : "";
  ctx.x_flags = x_flags;
  ctx.y_flags = y_flags;
}

void SetupAxisLimits(Axis axis, double min, double max, ImGuiCond cond) {
  PlotContext& ctx = context();
  IM_ASSERT(ctx.current != nullptr && "SetupAxisLimits() must follow BeginPlot()");
  PlotState& st = *ctx.current;
  AxisSetup& setup = axis == Axis::X ? ctx.setup_x : ctx.setup_y;
  setup = {true, min, max, cond};
  if (cond == ImGuiCond_Always || !st.initialised) {
    sanitize(setup.min, setup.max);
    // Always locks this frame only (EndPlot skips the fit): the axis keeps its autoscale, so a plot
    // that fixes its limits while it has nothing to show (the return plot before any episode has
    // ended) fits its data once data arrives. Once is a starting zoom, kept like the user's.
    const bool keep_auto = cond == ImGuiCond_Always;
    if (axis == Axis::X) {
      st.x_min = setup.min;
      st.x_max = setup.max;
      st.auto_x = st.auto_x && keep_auto;
    } else {
      st.y_min = setup.min;
      st.y_max = setup.max;
      st.auto_y = st.auto_y && keep_auto;
    }
  }
}

void SetupYTickLabelWidth(float font_units) {
  PlotContext& ctx = context();
  IM_ASSERT(ctx.current != nullptr && "SetupYTickLabelWidth() must follow BeginPlot()");
  ctx.y_tick_min_width = font_units;
}

void SetupAxesLimits(double x_min, double x_max, double y_min, double y_max, ImGuiCond cond) {
  SetupAxisLimits(Axis::X, x_min, x_max, cond);
  SetupAxisLimits(Axis::Y, y_min, y_max, cond);
}

float FrameHeightForLegend(int entries) {
  // layout_area(): title and pad above (1.4 em), ticks and x label below (2.6 em); layout_legend():
  // rows of 1.25 em, a pad inside the box and one each side of it (1.05 em); and a little slack.
  const float fs = ImGui::GetFontSize();
  return fs * (5.5f + 1.25f * static_cast<float>(std::max(entries, 0)));
}

void EndPlot() {
  PlotContext& ctx = context();
  IM_ASSERT(ctx.current != nullptr && "EndPlot() without a BeginPlot() that returned true");
  PlotState& st = *ctx.current;
  const ImGuiIO& io = ImGui::GetIO();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float fs = ImGui::GetFontSize();
  const bool lock_x = ctx.setup_x.pending && ctx.setup_x.cond == ImGuiCond_Always;
  const bool lock_y = ctx.setup_y.pending && ctx.setup_y.cond == ImGuiCond_Always;
  const bool mouse_enabled = (ctx.flags & PlotFlags_NoMouse) == 0;
  PlotSetup& su = st.setup;
  su.valid = true;
  su.title = ctx.title;
  su.flags = ctx.flags;
  su.x_label = ctx.x_label;
  su.y_label = ctx.y_label;
  su.x_flags = ctx.x_flags;
  su.y_flags = ctx.y_flags;
  su.y_tick_min_width = ctx.y_tick_min_width;
  su.frame_size = ctx.frame_size;
  su.font_size = fs;

  // 1. Autoscale to this frame's data.
  fit(su, st, st.auto_x && !lock_x, st.auto_y && !lock_y);
  sanitize(st.x_min, st.x_max);
  sanitize(st.y_min, st.y_max);

  // 2. Layout: title on top, x ticks and label below, rotated y label and y ticks on the left.
  const Rect frame{ctx.frame_min,
                   ImVec2(ctx.frame_min.x + ctx.frame_size.x, ctx.frame_min.y + ctx.frame_size.y)};
  int y_target = 1;
  MarkBand band;
  Rect area = layout_area(su, st, frame, fs, &y_target, &band);
  std::vector<Tick> y_ticks;

  Mapping m{area, st.x_min, st.x_max, st.y_min, st.y_max};
  std::vector<LegendEntry> legend;
  build_legend(st, &legend);
  const bool show_legend = (ctx.flags & PlotFlags_NoLegend) == 0 && !legend.empty();
  Rect legend_box = show_legend
                        ? layout_legend(legend, st, m, frame, fs,
                                        st.auto_y && !lock_y ? Headroom::kMayGrow : Headroom::kNo)
                        : Rect{};
  if (show_legend && st.legend_corner == kLegendHeadroom) {
    // The y range grew: its tick labels may be wider. The area's left edge follows them, and a
    // legend in the top-left corner with it.
    const Rect again = layout_area(su, st, frame, fs, &y_target);
    const float dx = again.min.x - m.area.min.x;
    if (legend_box.min.x < 0.5f * (m.area.min.x + m.area.max.x)) {
      legend_box.min.x += dx;
      legend_box.max.x += dx;
      for (LegendEntry& e : legend) {
        e.rect.min.x += dx;
        e.rect.max.x += dx;
      }
    }
    m.area.min.x = again.min.x;
  }
  area = m.area;  // narrower where the legend stands beside it

  // 3. Input. One invisible button covers the frame, so dragging pans instead of moving the window.
  ImGui::SetCursorScreenPos(frame.min);
  ImGui::PushID(static_cast<int>(ctx.current_id));
  ImGui::InvisibleButton("##plot_frame", ctx.frame_size,
                         ImGuiButtonFlags_MouseButtonLeft | ImGuiButtonFlags_MouseButtonRight);
  const bool hovered = ImGui::IsItemHovered() && mouse_enabled;
  const bool active = ImGui::IsItemActive();
  const ImVec2 mouse = io.MousePos;
  const bool in_area = hovered && area.contains(mouse);
  int legend_hover = -1;
  if (hovered && show_legend) {
    for (size_t i = 0; i < legend.size(); ++i) {
      if (legend[i].rect.contains(mouse)) legend_hover = static_cast<int>(i);
    }
  }
  // In a view that scrolls, the wheel scrolls it (a teacher scrolling down a column of plots
  // zoomed each one the pointer crossed); Ctrl+wheel zooms there. Elsewhere the wheel zooms.
  const bool wheel_zooms = io.KeyCtrl || !wheel_scrolls_window();
  if (hovered) {
    if (wheel_zooms) ImGui::SetItemUsingMouseWheel();
    if (legend_hover >= 0 && ImGui::IsMouseClicked(ImGuiMouseButton_Left)) {
      bool& hidden = st.hidden[legend[static_cast<size_t>(legend_hover)].id];
      hidden = !hidden;
    } else if (in_area && ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left)) {
      st.auto_x = true;  // a locked axis stays locked while its caller locks it
      st.auto_y = true;
    } else if (in_area && ImGui::IsMouseClicked(ImGuiMouseButton_Left)) {
      st.dragging = true;
    }
    if (io.MouseWheel != 0.0f && wheel_zooms) {
      const double f = std::pow(0.85, static_cast<double>(io.MouseWheel));
      const bool equal = (ctx.flags & PlotFlags_Equal) != 0;
      const bool over_x_axis = mouse.y >= area.max.y && mouse.x >= area.min.x;
      const bool over_y_axis = mouse.x < area.min.x && mouse.y <= area.max.y;
      const bool zoom_x = !lock_x && (in_area || over_x_axis || equal);
      const bool zoom_y = !lock_y && (in_area || over_y_axis || equal);
      if (zoom_x) {
        const double mx = m.x_of(mouse.x);
        st.x_min = mx - (mx - st.x_min) * f;
        st.x_max = mx + (st.x_max - mx) * f;
        st.auto_x = false;
      }
      if (zoom_y) {
        const double my = m.y_of(mouse.y);
        st.y_min = my - (my - st.y_min) * f;
        st.y_max = my + (st.y_max - my) * f;
        st.auto_y = false;
      }
    }
    if (in_area && ImGui::IsMouseReleased(ImGuiMouseButton_Right) &&
        !ImGui::IsMouseDragging(ImGuiMouseButton_Right)) {
      ImGui::OpenPopup("##plot_menu");
    }
  }
  if (!active) st.dragging = false;
  // A pan starts past ImGui's drag threshold: a click that moves a pixel or two (or a pointer
  // that arrives and clicks in one frame) leaves the plot on autoscale, which fits new data. Its
  // first frame moves by the whole drag so far, so the plot keeps up with the pointer.
  ImVec2 move(0.0f, 0.0f);
  if (!st.dragging) {
    st.panning = false;
  } else if (ImGui::IsMouseDragging(ImGuiMouseButton_Left)) {
    move = st.panning ? io.MouseDelta : ImGui::GetMouseDragDelta(ImGuiMouseButton_Left);
    st.panning = true;
  }
  if (move.x != 0.0f || move.y != 0.0f) {
    if (!lock_x) {
      const double dx = -move.x * (st.x_max - st.x_min) / area.width();
      st.x_min += dx;
      st.x_max += dx;
      st.auto_x = false;
    }
    if (!lock_y) {
      const double dy = move.y * (st.y_max - st.y_min) / area.height();
      st.y_min += dy;
      st.y_max += dy;
      st.auto_y = false;
    }
  }
  if (ImGui::BeginPopup("##plot_menu")) {
    if (ImGui::MenuItem("Fit data", "double-click")) {
      st.auto_x = true;  // a locked axis stays locked while its caller locks it
      st.auto_y = true;
    }
    if (ImGui::MenuItem("Show all items", nullptr, false, !st.hidden.empty())) st.hidden.clear();
    if (ImGui::MenuItem("Copy data as CSV")) {
      ImGui::SetClipboardText(PlotCsv(ctx.current_id).c_str());
    }
    ImGui::Separator();
    if (ImGui::MenuItem("Save PNG (2×)")) ctx.export_request = {ctx.current_id, ExportKind::Png};
    if (ImGui::MenuItem("Save CSV")) ctx.export_request = {ctx.current_id, ExportKind::Csv};
    ImGui::EndPopup();
  }
  ImGui::PopID();
  sanitize(st.x_min, st.x_max);
  sanitize(st.y_min, st.y_max);
  if (ctx.flags & PlotFlags_Equal) equalize(area, &st.x_min, &st.x_max, &st.y_min, &st.y_max);
  st.initialised = true;
  st.hovered = in_area;
  m = Mapping{area, st.x_min, st.x_max, st.y_min, st.y_max};
  st.area_min = area.min;
  st.area_max = area.max;

  // 4. Draw.
  y_ticks = y_axis_ticks(st.y_min, st.y_max, y_target, su.y_flags, area.height(), fs);
  const std::vector<Tick> x_ticks =
      fitted_x_ticks(st.x_min, st.x_max, area.width(), fs, min_tick_step(su.x_flags));
  draw_contents(ctx, su, st, dl, frame, m, x_ticks, y_ticks, legend,
                show_legend ? &legend_box : nullptr, legend_hover, fs, band);
  // What the legend stands over where it was placed (GetLegendsOverData): only a place inside the
  // area (a corner or an edge's middle) can hide anything, and it does only where none was free.
  st.legend_hides = show_legend && st.legend_corner < kLegendBeside
                        ? points_inside(st, m, legend_box, fs * 2.0f)
                        : 0;
  st.drawn_frame = ImGui::GetFrameCount();
  st.text_rects.clear();  // GetPlotTextRects
  for (int k = 0; k < st.series_count; ++k) {
    const Series& s = st.series[static_cast<size_t>(k)];
    if (s.kind != ItemKind::Text || is_hidden(st, s.id)) continue;
    for (size_t i = 0; i < s.y.size(); ++i) {
      if (!finite(s.y[i])) continue;
      const Rect r = text_rect(st, s, i, m);
      st.text_rects.emplace_back(r.min.x, r.min.y, r.max.x, r.max.y);
    }
  }
  if (band.rows > 0) {  // the mark labels, in the band above the area
    std::vector<MarkPlace> places;
    place_mark_labels(st, area.min.x, area.max.x, st.x_min, st.x_max, band.bottom, fs, band.rows,
                      &places);
    for (const MarkPlace& p : places) {
      st.text_rects.emplace_back(p.rect.min.x, p.rect.min.y, p.rect.max.x, p.rect.max.y);
      // A cut label says all of itself under the pointer.
      if (p.cut && hovered && !st.dragging && p.rect.contains(mouse))
        ImGui::SetTooltip("%s", p.series->text.c_str());
    }
  }

  if (in_area && legend_hover < 0 && !st.dragging &&
      !ImGui::IsPopupOpen("", ImGuiPopupFlags_AnyPopupId)) {
    dl->PushClipRect(area.min, area.max, true);
    // A count reads whole ("at x = 12"): the read-out's precision is a hundredth of the step.
    hover_readout(dl, m, st, mouse,
                  (su.x_flags & AxisFlags_Integer) ? 100.0 : tick_step(x_ticks, st.x_min, st.x_max),
                  tick_step(y_ticks, st.y_min, st.y_max), fs);
    dl->PopClipRect();
  }

  ctx.last_plot = ctx.current_id;
  ctx.current = nullptr;
  ctx.current_id = 0;
}

// ---- Queries ------------------------------------------------------------------------------------

bool IsPlotHovered() {
  const PlotContext& ctx = context();
  return ctx.current != nullptr && ctx.current->hovered;
}

Limits GetPlotLimits() {
  PlotContext& ctx = context();
  const PlotState* st = ctx.current;
  if (st == nullptr) {
    const auto it = ctx.plots.find(ctx.last_plot);
    if (it == ctx.plots.end()) return {};
    st = &it->second;
  }
  return {st->x_min, st->x_max, st->y_min, st->y_max};
}

ImGuiID GetLastPlotId() {
  return context().last_plot;
}

const std::vector<std::string>& GetHoverReadOut() {
  PlotContext& ctx = context();
  if (ctx.hover_frame != ImGui::GetFrameCount()) ctx.hover_rows.clear();
  return ctx.hover_rows;
}

std::vector<ImVec4> GetPlotTextRects(ImGuiID id) {
  const PlotContext& ctx = context();
  const auto it = ctx.plots.find(id);
  return it == ctx.plots.end() ? std::vector<ImVec4>{} : it->second.text_rects;
}

std::vector<ItemColor> GetItemColors(ImGuiID id) {
  std::vector<ItemColor> out;
  const PlotContext& ctx = context();
  const auto it = ctx.plots.find(id);
  if (it == ctx.plots.end()) return out;
  const PlotState& st = it->second;
  std::vector<ImGuiID> ids;
  for (int i = 0; i < st.series_count; ++i) {
    const Series& s = st.series[static_cast<size_t>(i)];
    if (!s.in_legend || std::find(ids.begin(), ids.end(), s.id) != ids.end()) continue;
    ids.push_back(s.id);
    out.push_back({s.label, s.color});
  }
  return out;
}

size_t GetPlotCount() {
  return context().plots.size();
}

std::vector<LegendOverData> GetLegendsOverData() {
  std::vector<LegendOverData> out;
  for (const auto& [id, st] : context().plots)
    if (st.drawn_frame == ImGui::GetFrameCount() && st.legend_hides > 0)
      out.push_back({st.setup.title, st.legend_hides});
  std::sort(out.begin(), out.end(),
            [](const LegendOverData& a, const LegendOverData& b) { return a.title < b.title; });
  return out;
}

std::vector<PlotDrawn> GetPlotsDrawn() {
  std::vector<PlotDrawn> out;
  for (const auto& [id, st] : context().plots)
    if (st.drawn_frame == ImGui::GetFrameCount())
      out.push_back({st.setup.title, st.area_min, st.area_max});
  std::sort(out.begin(), out.end(),
            [](const PlotDrawn& a, const PlotDrawn& b) { return a.area_min.y < b.area_min.y; });
  return out;
}

PlotPoint GetPlotMousePos() {
  PlotContext& ctx = context();
  const PlotState* st = ctx.current;
  if (st == nullptr) {
    const auto it = ctx.plots.find(ctx.last_plot);
    if (it == ctx.plots.end()) return {};
    st = &it->second;
  }
  const Rect area{st->area_min, st->area_max};
  const Mapping m{area, st->x_min, st->x_max, st->y_min, st->y_max};
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  return {m.x_of(mouse.x), m.y_of(mouse.y)};
}

// ---- Export -------------------------------------------------------------------------------------

ImVec2 GetPlotAreaSize(ImGuiID plot_id) {
  const PlotContext& ctx = context();
  const auto it = ctx.plots.find(plot_id);
  if (it == ctx.plots.end() || !it->second.setup.valid) return ImVec2(0, 0);
  return ImVec2(it->second.area_max.x - it->second.area_min.x,
                it->second.area_max.y - it->second.area_min.y);
}

ImVec2 GetPlotFrameSize(ImGuiID plot_id) {
  const PlotContext& ctx = context();
  const auto it = ctx.plots.find(plot_id);
  return it == ctx.plots.end() || !it->second.setup.valid ? ImVec2(0, 0)
                                                          : it->second.setup.frame_size;
}

std::string GetPlotTitle(ImGuiID plot_id) {
  const PlotContext& ctx = context();
  const auto it = ctx.plots.find(plot_id);
  return it == ctx.plots.end() ? std::string() : it->second.setup.title;
}

ExportRequest TakeExportRequest() {
  return std::exchange(context().export_request, ExportRequest{});
}

void RequestExport(ImGuiID plot_id, ExportKind kind) {
  context().export_request = {plot_id, kind};
}

ImVec2 DrawPlotForExport(ImGuiID plot_id, float scale, ImDrawList* dl) {
  PlotContext& ctx = context();
  const auto it = ctx.plots.find(plot_id);
  if (it == ctx.plots.end() || !it->second.setup.valid || !(scale > 0.0f)) return ImVec2(0, 0);
  // A copy: the legend's corner choice and the like must not disturb the plot on screen.
  PlotState st = it->second;
  const PlotSetup& su = st.setup;
  const float fs = su.font_size * scale;
  const Rect frame{ImVec2(0, 0), ImVec2(std::round(su.frame_size.x * scale),
                                        std::round(su.frame_size.y * scale))};
  ImVec4 bg = ImGui::GetStyleColorVec4(ImGuiCol_WindowBg);
  bg.w = 1.0f;
  dl->AddRectFilled(frame.min, frame.max, ImGui::ColorConvertFloat4ToU32(bg));
  int y_target = 1;
  MarkBand band;
  Mapping m{layout_area(su, st, frame, fs, &y_target, &band), st.x_min, st.x_max, st.y_min,
            st.y_max};
  std::vector<LegendEntry> legend;
  build_legend(st, &legend);
  const bool show_legend = (su.flags & PlotFlags_NoLegend) == 0 && !legend.empty();
  // The copy's y range already has any headroom the screen's frame gave it.
  const Rect legend_box =
      show_legend ? layout_legend(legend, st, m, frame, fs, Headroom::kGrown) : Rect{};
  const Rect area = m.area;  // narrower where the legend stands beside it
  draw_contents(ctx, su, st, dl, frame, m,
                fitted_x_ticks(st.x_min, st.x_max, area.width(), fs, min_tick_step(su.x_flags)),
                y_axis_ticks(st.y_min, st.y_max, y_target, su.y_flags, area.height(), fs), legend,
                show_legend ? &legend_box : nullptr, -1, fs, band);
  return frame.max;
}

}  // namespace pglab::plot
