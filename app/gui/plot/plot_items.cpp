// Item submission: each Plot* call copies its data into a series slot of the current plot.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <utility>

#include "gui/plot/plot_internal.h"

namespace pglab::plot {
namespace {

constexpr float kDefaultWeight = 0.12f;  // font units: ≈2 px at 17 px

ImGuiID hash_label(const char* label) {
  // "name###id": the identity is "###id" alone, as ImGui's IDs (plot.h, Labels).
  if (const char* id = std::strstr(label, "###")) label = id;
  // FNV-1a; identity only needs to be stable within one plot.
  ImGuiID h = 2166136261u;
  for (const char* p = label; *p != '\0'; ++p) {
    h ^= static_cast<unsigned char>(*p);
    h *= 16777619u;
  }
  return h == 0 ? 1 : h;
}

template <typename T>
double at(const T* values, int i, int n, int offset) {
  return static_cast<double>(values[(i + offset) % n]);
}

// Normalised rotation so a negative or oversize offset is safe.
int wrap_offset(int offset, int n) {
  if (n <= 0) return 0;
  offset %= n;
  return offset < 0 ? offset + n : offset;
}

}  // namespace

const char* item_kind_name(ItemKind kind) {
  switch (kind) {
    case ItemKind::Line:
      return "line";
    case ItemKind::Band:
      return "band";
    case ItemKind::Scatter:
      return "scatter";
    case ItemKind::Bars:
      return "bars";
    case ItemKind::Histogram:
      return "histogram";
    case ItemKind::Marker:
      return "marker";
    case ItemKind::VLine:
      return "vline";
    case ItemKind::HLine:
      return "hline";
    case ItemKind::Arrows:
      return "arrow";
    case ItemKind::Text:
      return "text";
  }
  return "?";
}

bool is_hidden(const PlotState& state, ImGuiID id) {
  const auto it = state.hidden.find(id);
  return it != state.hidden.end() && it->second;
}

Series& begin_series(const char* label, ItemKind kind) {
  PlotContext& ctx = context();
  IM_ASSERT(ctx.current != nullptr &&
            "Plot items must be submitted between BeginPlot() (returning true) and EndPlot()");
  PlotState& state = *ctx.current;
  if (label == nullptr) label = "";
  const ImGuiID id = hash_label(label);
  const char* hidden_part = std::strstr(label, "##");
  const std::string shown = hidden_part ? std::string(label, hidden_part) : std::string(label);

  // Colour: explicit, else the colour an earlier item with this label got this frame, else the
  // label's stable palette slot.
  ImU32 color = ctx.next_color;
  // Text without an explicit colour takes the theme's text colour at draw time (color 0).
  if (color == 0 && kind != ItemKind::Text) {
    for (int i = 0; i < state.series_count; ++i) {
      if (state.series[static_cast<size_t>(i)].id == id) {
        color = state.series[static_cast<size_t>(i)].color;
        break;
      }
    }
  }
  if (color == 0 && kind != ItemKind::Text) {
    auto [it, inserted] = state.color_index.try_emplace(id, state.next_color);
    if (inserted) ++state.next_color;
    color = GetPaletteColor(it->second);
  }

  if (state.series_count == static_cast<int>(state.series.size())) state.series.emplace_back();
  Series& s = state.series[static_cast<size_t>(state.series_count++)];
  s.id = id;
  s.label = shown;
  s.hover_name = std::move(ctx.next_hover_name);
  ctx.next_hover_name.clear();
  s.in_legend = !shown.empty() && kind != ItemKind::Text;
  s.kind = kind;
  s.color = color;
  s.weight = ctx.next_weight > 0.0f ? ctx.next_weight : kDefaultWeight;
  s.bar_width = 0.0;
  s.text.clear();
  s.mark = false;
  s.x.clear();
  s.y.clear();
  s.x2.clear();
  s.y2.clear();
  ctx.next_color = 0;
  ctx.next_weight = -1.0f;
  return s;
}

void SetNextItemColor(ImU32 color) {
  context().next_color = color;
}

void SetNextItemWeight(float font_units) {
  context().next_weight = font_units;
}

void SetNextItemHoverName(const char* name) {
  context().next_hover_name = name != nullptr ? name : "";
}

template <typename T>
void PlotLine(const char* label, const T* xs, const T* ys, int n, int offset) {
  Series& s = begin_series(label, ItemKind::Line);
  if (xs == nullptr || ys == nullptr || n <= 0) return;
  offset = wrap_offset(offset, n);
  s.x.resize(static_cast<size_t>(n));
  s.y.resize(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    s.x[static_cast<size_t>(i)] = at(xs, i, n, offset);
    s.y[static_cast<size_t>(i)] = at(ys, i, n, offset);
  }
}

template <typename T>
void PlotLineY(const char* label, const T* ys, int n, double x0, double dx, int offset) {
  Series& s = begin_series(label, ItemKind::Line);
  if (ys == nullptr || n <= 0) return;
  offset = wrap_offset(offset, n);
  s.x.resize(static_cast<size_t>(n));
  s.y.resize(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    s.x[static_cast<size_t>(i)] = x0 + dx * i;
    s.y[static_cast<size_t>(i)] = at(ys, i, n, offset);
  }
}

void PlotLine(const char* label, const RingBuffer<double>& xs, const RingBuffer<double>& ys) {
  IM_ASSERT(xs.size() == ys.size() && xs.offset() == ys.offset() &&
            "PlotLine(RingBuffer): x and y buffers must be pushed together");
  PlotLine(label, xs.data(), ys.data(), std::min(xs.size(), ys.size()), xs.offset());
}

template <typename T>
void PlotBand(const char* label, const T* xs, const T* lo, const T* hi, int n) {
  Series& s = begin_series(label, ItemKind::Band);
  if (xs == nullptr || lo == nullptr || hi == nullptr || n <= 0) return;
  s.x.assign(xs, xs + n);
  s.y.assign(lo, lo + n);
  s.y2.assign(hi, hi + n);
}

template <typename T>
void PlotLineWithBand(const char* label, const T* xs, const T* mean, const T* std, int n,
                      double k) {
  Series& band = begin_series(label, ItemKind::Band);
  if (xs != nullptr && mean != nullptr && std != nullptr && n > 0) {
    band.x.assign(xs, xs + n);
    band.y.resize(static_cast<size_t>(n));
    band.y2.resize(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) {
      const double m = static_cast<double>(mean[i]);
      const double half = k * static_cast<double>(std[i]);
      band.y[static_cast<size_t>(i)] = m - half;
      band.y2[static_cast<size_t>(i)] = m + half;
    }
  }
  PlotLine(label, xs, mean, n);
}

template <typename T>
void PlotScatter(const char* label, const T* xs, const T* ys, int n) {
  Series& s = begin_series(label, ItemKind::Scatter);
  if (xs == nullptr || ys == nullptr || n <= 0) return;
  s.x.assign(xs, xs + n);
  s.y.assign(ys, ys + n);
}

template <typename T>
void PlotBars(const char* label, const T* xs, const T* heights, int n, double width) {
  Series& s = begin_series(label, ItemKind::Bars);
  if (xs == nullptr || heights == nullptr || n <= 0) return;
  s.x.assign(xs, xs + n);
  s.y.assign(heights, heights + n);
  if (!(width > 0.0) || !std::isfinite(width)) {
    std::vector<double> sorted;
    for (double x : s.x) {
      if (std::isfinite(x)) sorted.push_back(x);
    }
    std::sort(sorted.begin(), sorted.end());
    double gap = std::numeric_limits<double>::infinity();
    for (size_t i = 1; i < sorted.size(); ++i) {
      if (sorted[i] > sorted[i - 1]) gap = std::min(gap, sorted[i] - sorted[i - 1]);
    }
    width = std::isfinite(gap) ? 0.8 * gap : 0.8;
  }
  s.bar_width = width;
}

template <typename T>
void PlotHistogram(const char* label, const T* values, int n, int bins, double range_min,
                   double range_max) {
  Series& s = begin_series(label, ItemKind::Histogram);
  if (values == nullptr || n <= 0) return;
  double lo = range_min, hi = range_max;
  int finite = 0;
  if (!std::isfinite(lo) || !std::isfinite(hi)) {
    lo = std::numeric_limits<double>::infinity();
    hi = -lo;
    for (int i = 0; i < n; ++i) {
      const double v = static_cast<double>(values[i]);
      if (!std::isfinite(v)) continue;
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
  }
  for (int i = 0; i < n; ++i) finite += std::isfinite(static_cast<double>(values[i])) ? 1 : 0;
  if (finite == 0 || !(hi >= lo)) return;
  if (bins <= 0) bins = static_cast<int>(std::ceil(std::log2(static_cast<double>(finite)))) + 1;
  bins = std::clamp(bins, 1, 10000);
  if (hi == lo) {  // all values equal: one unit-wide bin around them
    lo -= 0.5;
    hi += 0.5;
    bins = 1;
  }
  const double width = (hi - lo) / bins;
  s.x.resize(static_cast<size_t>(bins));
  s.y.assign(static_cast<size_t>(bins), 0.0);
  for (int b = 0; b < bins; ++b) s.x[static_cast<size_t>(b)] = lo + (b + 0.5) * width;
  for (int i = 0; i < n; ++i) {
    const double v = static_cast<double>(values[i]);
    if (!std::isfinite(v) || v < lo || v > hi) continue;
    const int b = std::min(static_cast<int>((v - lo) / width), bins - 1);
    s.y[static_cast<size_t>(b)] += 1.0;
  }
  s.bar_width = width;
}

void PlotMarker(const char* label, double x, double y) {
  Series& s = begin_series(label, ItemKind::Marker);
  s.x.push_back(x);
  s.y.push_back(y);
}

void PlotVLine(const char* label, double x) {
  Series& s = begin_series(label, ItemKind::VLine);
  s.x.push_back(x);
}

void PlotHLine(const char* label, double y) {
  Series& s = begin_series(label, ItemKind::HLine);
  s.y.push_back(y);
}

void PlotArrow(const char* label, double x, double y, double dx, double dy) {
  Series& s = begin_series(label, ItemKind::Arrows);
  s.x.push_back(x);
  s.y.push_back(y);
  s.x2.push_back(x + dx);
  s.y2.push_back(y + dy);
}

template <typename T>
void PlotArrows(const char* label, const T* xs, const T* ys, const T* us, const T* vs, int n,
                double scale) {
  Series& s = begin_series(label, ItemKind::Arrows);
  if (xs == nullptr || ys == nullptr || us == nullptr || vs == nullptr || n <= 0) return;
  for (int i = 0; i < n; ++i) {
    const double x = static_cast<double>(xs[i]), y = static_cast<double>(ys[i]);
    s.x.push_back(x);
    s.y.push_back(y);
    s.x2.push_back(x + scale * static_cast<double>(us[i]));
    s.y2.push_back(y + scale * static_cast<double>(vs[i]));
  }
}

void PlotText(const char* text, double x, double y, const ImVec2& pixel_offset) {
  Series& s = begin_series("##text", ItemKind::Text);
  s.text = text != nullptr ? text : "";
  s.x.push_back(x);
  s.y.push_back(y);
  s.x2.push_back(pixel_offset.x);  // screen units, not plot units
  s.y2.push_back(pixel_offset.y);
}

void PlotVLineLabel(const char* text, double x) {
  Series& s = begin_series("##text", ItemKind::Text);
  s.text = text != nullptr ? text : "";
  s.mark = true;
  s.x.push_back(x);
  s.y.push_back(std::numeric_limits<double>::quiet_NaN());  // placed in the band above the area
  s.x2.push_back(0.0);
  s.y2.push_back(0.0);
}

void PlotHLineLabel(const char* text, double y) {
  Series& s = begin_series("##text", ItemKind::Text);
  s.text = text != nullptr ? text : "";
  s.x.push_back(std::numeric_limits<double>::quiet_NaN());  // placed along the line when drawn
  s.y.push_back(y);
  s.x2.push_back(0.0);
  s.y2.push_back(0.0);
}

#define PGLAB_PLOT_INSTANTIATE(T)                                                            \
  template void PlotLine<T>(const char*, const T*, const T*, int, int);                      \
  template void PlotLineY<T>(const char*, const T*, int, double, double, int);               \
  template void PlotBand<T>(const char*, const T*, const T*, const T*, int);                 \
  template void PlotLineWithBand<T>(const char*, const T*, const T*, const T*, int, double); \
  template void PlotScatter<T>(const char*, const T*, const T*, int);                        \
  template void PlotBars<T>(const char*, const T*, const T*, int, double);                   \
  template void PlotHistogram<T>(const char*, const T*, int, int, double, double);           \
  template void PlotArrows<T>(const char*, const T*, const T*, const T*, const T*, int, double);

PGLAB_PLOT_INSTANTIATE(float)
PGLAB_PLOT_INSTANTIATE(double)
#undef PGLAB_PLOT_INSTANTIATE

}  // namespace pglab::plot
