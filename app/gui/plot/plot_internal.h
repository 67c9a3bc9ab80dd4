// Internal state of the plot module: shared by plot.cpp (scope, layout, input, drawing),
// plot_items.cpp (item submission) and plot_csv.cpp. Not for use outside app/gui/plot/.
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "gui/plot/plot.h"
#include "gui/plot/ticks.h"

namespace pglab::plot {

enum class ItemKind { Line, Band, Scatter, Bars, Histogram, Marker, VLine, HLine, Arrows, Text };

const char* item_kind_name(ItemKind kind);

// One submitted item: a copy of the caller's data (finite or not, as given).
struct Series {
  ImGuiID id = 0;          // identity of the legend entry: hash of the label (of "###id")
  std::string label;       // shown part of the label ("" for "##..." and text items)
  std::string hover_name;  // SetNextItemHoverName: the hover read-out's name when label is ""
  bool in_legend = false;
  ItemKind kind = ItemKind::Line;
  ImU32 color = 0;
  float weight = 0.12f;              // line width, font units
  double bar_width = 0;              // Bars/Histogram
  std::string text;                  // Text
  bool mark = false;                 // Text: a mark's label (PlotVLineLabel), drawn above the area
  std::vector<double> x, y, x2, y2;  // meaning per kind: see PlotCsv() in plot.h
};

struct AxisSetup {
  bool pending = false;
  double min = 0, max = 1;
  ImGuiCond cond = ImGuiCond_Once;
};

// What BeginPlot/Setup* said for a plot, kept with its state at EndPlot so the plot can be drawn
// again outside its window (DrawPlotForExport).
struct PlotSetup {
  bool valid = false;  // the plot has been ended at least once
  std::string title;   // shown part
  PlotFlags flags = 0;
  std::string x_label, y_label;
  AxisFlags x_flags = 0, y_flags = 0;
  float y_tick_min_width = 0.0f;     // font units
  ImVec2 frame_size = ImVec2(0, 0);  // screen units
  float font_size = 0.0f;            // ImGui::GetFontSize() when drawn
};

struct PlotState {
  double x_min = 0, x_max = 1, y_min = 0, y_max = 1;  // limits drawn last
  bool auto_x = true, auto_y = true;
  bool initialised = false;  // SetupAxisLimits(Once) applies only before this
  bool dragging = false;
  bool panning = false;  // the drag went past ImGui's threshold: the limits follow the pointer
  bool hovered = false;  // mouse over the plot area, last frame
  ImVec2 area_min = ImVec2(0, 0), area_max = ImVec2(1, 1);  // plot area drawn last, screen units
  // The legend's place: 0 top-left, 1 top-right, 2 bottom-left, 3 bottom-right, 4 top-centre,
  // 5 bottom-centre, 6 beside the area, 7 under the x axis, 8 in headroom, 9 in a strip above the
  // area (layout_legend); −1 before the first layout, which takes the best place at once.
  int legend_corner = -1;
  std::unordered_map<ImGuiID, bool> hidden;      // legend toggles
  std::unordered_map<ImGuiID, int> color_index;  // stable palette slot per label
  int next_color = 0;
  std::vector<Series> series;  // slots reused across frames; [0, series_count) are live
  int series_count = 0;
  std::vector<ImVec4> text_rects;  // where the texts were drawn last (min x, min y, max x, max y)
  int legend_hides = 0;            // the data the legend stood over when drawn last (points_inside)
  int drawn_frame = -1;            // the ImGui frame the plot was drawn last
  PlotSetup setup;                 // as of the last EndPlot
};

struct PlotContext {
  std::unordered_map<ImGuiID, PlotState> plots;
  std::vector<ImU32> palette;

  // The plot between BeginPlot and EndPlot.
  PlotState* current = nullptr;
  ImGuiID current_id = 0;
  std::string title;  // shown part of the title
  PlotFlags flags = 0;
  ImVec2 frame_min, frame_size;
  std::string x_label, y_label;
  AxisFlags x_flags = 0, y_flags = 0;
  AxisSetup setup_x, setup_y;
  ImU32 next_color = 0;
  float next_weight = -1.0f;
  std::string next_hover_name;
  float y_tick_min_width = 0.0f;  // font units (SetupYTickLabelWidth)
  ImGuiID last_plot = 0;
  ExportRequest export_request;  // set by the plot menu, taken by TakeExportRequest()

  std::vector<ImVec2> scratch;          // pixel positions of a polyline
  std::vector<std::string> hover_rows;  // GetHoverReadOut()
  int hover_frame = -1;                 // the ImGui frame hover_rows belong to
};

PlotContext& context();  // asserts a current context
// Appends a series slot to the current plot, with id, label, colour and weight resolved.
Series& begin_series(const char* label, ItemKind kind);
bool is_hidden(const PlotState& state, ImGuiID id);

}  // namespace pglab::plot
