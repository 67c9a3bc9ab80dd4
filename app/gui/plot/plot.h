// plot: our own ImPlot-shaped plotting widgets, drawn with ImDrawList (ImPlot is not packaged).
//
// Index
//   1. Context          CreateContext / DestroyContext / SetCurrentContext (one per ImGui context)
//   2. Plot scope       BeginPlot, SetupAxes, SetupAxisLimits, SetupYTickLabelWidth, EndPlot,
//                       FrameHeightForLegend
//   3. Items            PlotLine, PlotBand, PlotLineWithBand, PlotScatter, PlotBars,
//                       PlotHistogram, PlotMarker, PlotVLine, PlotHLine, PlotArrow(s), PlotText,
//                       PlotHLineLabel
//   4. Item style       SetNextItemColor, SetNextItemWeight, palette
//   5. Queries, export  IsPlotHovered, GetPlotLimits, GetLastPlotId, GetPlotMousePos, PlotCsv,
//                       ExportCsv, GetPlotFrameSize, GetPlotTitle, TakeExportRequest,
//                       DrawPlotForExport
//
// Usage (the same shape as ImPlot):
//   if (plot::BeginPlot("Return##curves", ImVec2(-1, ImGui::GetFontSize() * 16))) {
//     plot::SetupAxes("iteration", "return");
//     plot::PlotLineWithBand("REINFORCE", iters, mean, std, n);
//     plot::PlotHLine("optimum", j_star);
//     plot::EndPlot();                 // only when BeginPlot returned true
//   }
//
// Items take caller-owned arrays that only need to live for the call: each item copies its data
// into the plot's state, drawing happens in EndPlot() (so autoscale fits this frame's data, with
// no one-frame lag), and the copies stay until the next frame as "the last submitted series" that
// PlotCsv()/ExportCsv() write out.
//
// Labels: "name##id" shows "name"; items with the same label share one legend entry, one colour
// and one visibility toggle (a line and its ±band). As in ImGui, "name###id" is identified by
// "###id" alone: a curve whose shown name changes (a short form where the plot is narrow) keeps
// its colour and its toggle. A label starting with "##" has no legend entry. Non-finite values
// (NaN, ±Inf) are skipped: lines and bands break there.
//
// Interaction: wheel zooms about the cursor (over an axis: that axis only), left-drag pans,
// double-click returns to autoscale, clicking a legend entry hides/shows the item, hovering shows
// a crosshair and the nearest point of each line, right-click opens a menu (fit, copy CSV, and
// "Save PNG (2×)" / "Save CSV", which the application carries out: TakeExportRequest()).
// Per-plot state (limits, hidden items, colours) lives in the current PlotContext, keyed by the
// plot's ImGui ID — never in static locals.
#pragma once

#include <limits>
#include <string>
#include <vector>

#include "gui/plot/ring_buffer.h"
#include "imgui.h"

namespace pglab::plot {

struct PlotContext;

// Histogram range meaning "the data's own range".
inline constexpr double kAutoRange = std::numeric_limits<double>::quiet_NaN();

// ---- 1. Context ---------------------------------------------------------------------------------

PlotContext* CreateContext();           // also becomes current if none is
void DestroyContext(PlotContext* ctx);  // nullptr: the current one
void SetCurrentContext(PlotContext* ctx);
PlotContext* GetCurrentContext();

// ---- 2. Plot scope ------------------------------------------------------------------------------

enum PlotFlags_ {
  PlotFlags_None = 0,
  PlotFlags_NoTitle = 1 << 0,  // do not draw the title (it is still the ID)
  PlotFlags_NoLegend = 1 << 1,
  PlotFlags_NoMouse = 1 << 2,  // no zoom, pan, hover read-out or menu
  PlotFlags_Equal = 1 << 3,    // same units per pixel on x and y (2-D parameter spaces)
  PlotFlags_NoFrame = 1 << 4,  // no background and border around the plot area
};
using PlotFlags = int;

enum AxisFlags_ {
  AxisFlags_None = 0,
  AxisFlags_NoTickLabels = 1 << 0,
  AxisFlags_NoGridLines = 1 << 1,
  AxisFlags_IncludeZero = 1 << 2,  // autoscale always includes 0 on this axis
  AxisFlags_Integer = 1 << 3,  // a count (iteration, step t, epoch): ticks at whole numbers only
};
using AxisFlags = int;

enum class Axis { X, Y };

// Starts a plot of `size` screen units (x <= 0: available width + x; y == 0: 16 font units;
// y < 0: available height + y). Returns false when the plot is clipped away; then do not call
// EndPlot(). The title is also the ImGui ID ("Title##id").
bool BeginPlot(const char* title, const ImVec2& size = ImVec2(-1, 0), PlotFlags flags = 0);
// Axis labels (nullptr or "" for none). The y label is drawn rotated along the axis.
void SetupAxes(const char* x_label, const char* y_label, AxisFlags x_flags = 0,
               AxisFlags y_flags = 0);
// ImGuiCond_Once (default): initial limits the first time the plot appears, leaving the axis to
// user zoom/pan (double-click returns to autoscale). ImGuiCond_Always: fixed limits for this frame
// (no zoom, no pan); a frame that does not call it autoscales again (or keeps the user's zoom).
void SetupAxisLimits(Axis axis, double min, double max, ImGuiCond cond = ImGuiCond_Once);
void SetupAxesLimits(double x_min, double x_max, double y_min, double y_max,
                     ImGuiCond cond = ImGuiCond_Once);
// Reserves at least `font_units` for the y tick labels, so plots stacked over one x axis line up
// (their tick labels differ in width). After BeginPlot, before EndPlot.
void SetupYTickLabelWidth(float font_units);
// Fits, handles input, and draws the grid, the items, the legend and the hover read-out.
void EndPlot();
// The frame height (screen units, current font) a plot with a one-line title, x tick labels and a
// one-line x label needs to show `entries` legend lines in one column inside its area: the least
// height to give a plot too narrow for its legend to spread into columns (presenter scale).
float FrameHeightForLegend(int entries);

// ---- 3. Items (between BeginPlot and EndPlot) ---------------------------------------------------
// T is float or double. `offset` rotates the arrays (element i is at (i + offset) % n), which
// plots a RingBuffer without copying; see the RingBuffer overload below.

template <typename T>
void PlotLine(const char* label, const T* xs, const T* ys, int n, int offset = 0);
// y against its index: x_i = x0 + i * dx.
template <typename T>
void PlotLineY(const char* label, const T* ys, int n, double x0 = 0.0, double dx = 1.0,
               int offset = 0);
void PlotLine(const char* label, const RingBuffer<double>& xs, const RingBuffer<double>& ys);
// Filled band between lo and hi.
template <typename T>
void PlotBand(const char* label, const T* xs, const T* lo, const T* hi, int n);
// A band mean ± k·std under a line of the mean: one legend entry, one colour.
template <typename T>
void PlotLineWithBand(const char* label, const T* xs, const T* mean, const T* std, int n,
                      double k = 1.0);
template <typename T>
void PlotScatter(const char* label, const T* xs, const T* ys, int n);
// Bars centred at xs, from 0 to heights. width <= 0: 0.8 × the smallest gap between xs.
template <typename T>
void PlotBars(const char* label, const T* xs, const T* heights, int n, double width = 0.0);
// Counts of the finite values in `bins` equal bins over [range_min, range_max] (kAutoRange: the
// data's range; bins <= 0: Sturges' rule). The last bin is closed on the right.
template <typename T>
void PlotHistogram(const char* label, const T* values, int n, int bins = 0,
                   double range_min = kAutoRange, double range_max = kAutoRange);
void PlotMarker(const char* label, double x, double y);
void PlotVLine(const char* label, double x);  // dashed, full height
void PlotHLine(const char* label, double y);  // dashed, full width
// Arrow from (x, y) to (x + dx, y + dy), plot units; head size in font units.
void PlotArrow(const char* label, double x, double y, double dx, double dy);
// Many arrows (a gradient field): arrow i from (xs[i], ys[i]) by scale × (us[i], vs[i]).
template <typename T>
void PlotArrows(const char* label, const T* xs, const T* ys, const T* us, const T* vs, int n,
                double scale = 1.0);
// Text centred at (x, y) plot units, shifted by pixel_offset screen units, and moved inside the
// plot area where it would reach past an edge (never cut by it); broken at spaces where it is wider
// than the area ('\n' starts a line; each line centred). Not in the legend.
void PlotText(const char* text, double x, double y, const ImVec2& pixel_offset = ImVec2(0, 0));
// A label for a vertical mark at x (a live change at its iteration): in a band of rows above the
// plot area, which gives up the rows the labels need (at most three, a third of its height), so
// a label never covers data, the legend or another label. Each goes beside its mark (right of it,
// or left near the right edge) on the lowest row where it overlaps nothing; one that finds no room
// is left out. Not in the legend; the colour is SetNextItemColor's.
void PlotVLineLabel(const char* text, double x);
// A label for a horizontal reference line at y (a threshold): just above or below the line, at its
// left or right end, wherever it hides the fewest data (on ties above before below, then right).
// Not in the legend; the colour is SetNextItemColor's.
void PlotHLineLabel(const char* text, double y);

// ---- 4. Item style ------------------------------------------------------------------------------

// Colour of the next item (and of every later item with the same label in this plot and frame).
void SetNextItemColor(ImU32 color);
// Line width of the next item, in font units (default 0.12 ≈ 2 px at 17 px).
void SetNextItemWeight(float font_units);
// The name the hover read-out gives the next item when its label has no shown part ("##id": no
// legend entry). An item with neither is left out of the read-out.
void SetNextItemHoverName(const char* name);
// The palette colour the context assigns to the i-th distinct label of a plot.
ImU32 GetPaletteColor(int index);
int GetPaletteSize();

// ---- 5. Queries and export ----------------------------------------------------------------------

struct Limits {
  double x_min = 0, x_max = 1, y_min = 0, y_max = 1;
};
// Between BeginPlot and EndPlot: whether the mouse is over the plot area (from the last frame).
bool IsPlotHovered();
// Between BeginPlot and EndPlot: the limits drawn last frame. After EndPlot: this frame's.
Limits GetPlotLimits();
// ID of the plot most recently ended; 0 if none.
ImGuiID GetLastPlotId();
// The mouse position in plot units: between BeginPlot and EndPlot by last frame's mapping, after
// EndPlot by this frame's (click-to-select in a plot: IsPlotHovered() and a mouse click).
struct PlotPoint {
  double x = 0, y = 0;
};
PlotPoint GetPlotMousePos();
// The rows of the hover read-out drawn in the current frame, by any plot ("x = …,  y = …" first,
// then one row per item under the pointer); empty when none was drawn. For tests.
const std::vector<std::string>& GetHoverReadOut();
// Where plot `id` drew its texts (PlotText, PlotHLineLabel, then PlotVLineLabel) last, in screen
// units: (min x, min y, max x, max y) each, in the order submitted. For tests.
std::vector<ImVec4> GetPlotTextRects(ImGuiID id);
// The legend entries of plot `id` as last submitted, each with its colour, in the order submitted
// (a line and its band, one identity, once). For tests.
struct ItemColor {
  std::string label;  // the shown part
  ImU32 color = 0;
};
std::vector<ItemColor> GetItemColors(ImGuiID id);
// The plots drawn in the current frame whose legend stands over data (no corner, strip or band
// was free), with how much it hides (points, and a unit per two font heights of a line or area
// under it). For `pglab shot --check-clipping` and tests.
struct LegendOverData {
  std::string title;
  int hidden = 0;
};
std::vector<LegendOverData> GetLegendsOverData();

// The plots drawn in the current frame, the topmost first: each one's title and its plot area
// (inside the axes) in screen units. For `pglab shot --check-clipping`, which reports how far down
// its view the first plot starts.
struct PlotDrawn {
  std::string title;
  ImVec2 area_min, area_max;
};
std::vector<PlotDrawn> GetPlotsDrawn();

// How many plots the context keeps, drawn or idle (each holds its view and its series' data).
size_t GetPlotCount();
// The last submitted series of a plot as CSV text (header `series,kind,i,x,y,x2,y2`; band: y = lo,
// y2 = hi; bars/histogram: x = centre, y = height, x2 = width; arrow: (x, y) → (x2, y2); text:
// series is the text). "" if the plot is unknown.
std::string PlotCsv(ImGuiID plot_id);
// Writes PlotCsv() to path. Returns "" on success or a message naming the path.
std::string ExportCsv(ImGuiID plot_id, const std::string& path);

// Size of a plot's frame as last drawn (screen units); (0, 0) if the plot is unknown.
ImVec2 GetPlotFrameSize(ImGuiID plot_id);
// Size of its plot area (inside the axes; narrower where the legend stands beside it) as last
// drawn; (0, 0) if the plot is unknown.
ImVec2 GetPlotAreaSize(ImGuiID plot_id);
// The shown part of a plot's title ("Return per iteration"); "" if unknown.
std::string GetPlotTitle(ImGuiID plot_id);

// The plot menu's "Save PNG (2×)" and "Save CSV" do not write files themselves: they leave a
// request that the application takes once per frame (it names the file and reports where it went).
enum class ExportKind { None, Png, Csv };
struct ExportRequest {
  ImGuiID plot_id = 0;
  ExportKind kind = ExportKind::None;
};
// The pending request (kind None if there is none), cleared by taking it.
ExportRequest TakeExportRequest();
// Puts a request back (the application could not serve it this frame).
void RequestExport(ImGuiID plot_id, ExportKind kind);

// Draws a plot again into `dl` at `scale` × its size on screen, its frame's top-left at (0, 0), on
// an opaque window-background fill: the same data, limits, legend and hidden items, every size in
// font units scaled (text comes from the current font: push one of scale × the UI font's size
// first). Between ImGui::NewFrame and ImGui::Render, after the plot was drawn at least once.
// Returns the frame size in pixels ((0, 0) if the plot is unknown); `dl` must have been reset and
// given the font texture and a clip rect covering that size.
ImVec2 DrawPlotForExport(ImGuiID plot_id, float scale, ImDrawList* dl);

}  // namespace pglab::plot
