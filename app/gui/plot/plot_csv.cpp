// CSV export of the last submitted series of a plot (see PlotCsv in plot.h).
#include <cstdio>

#include "gui/plot/plot_internal.h"
#include "io/atomic_file.h"

namespace pglab::plot {
namespace {

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

// Round-trip precision; empty for a value the item does not have.
std::string number(const std::vector<double>& values, size_t i) {
  if (i >= values.size()) return {};
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%.17g", values[i]);
  return buffer;
}

}  // namespace

std::string PlotCsv(ImGuiID plot_id) {
  const PlotContext& ctx = context();
  const auto it = ctx.plots.find(plot_id);
  if (it == ctx.plots.end()) return {};
  const PlotState& st = it->second;
  std::string out = "series,kind,i,x,y,x2,y2\n";
  for (int k = 0; k < st.series_count; ++k) {
    const Series& s = st.series[static_cast<size_t>(k)];
    const std::string name = csv_field(s.kind == ItemKind::Text ? s.text : s.label);
    const size_t n = std::max(s.x.size(), s.y.size());
    for (size_t i = 0; i < n; ++i) {
      std::string x2 = number(s.x2, i), y2 = number(s.y2, i);
      if (s.kind == ItemKind::Bars || s.kind == ItemKind::Histogram) {
        x2 = number(std::vector<double>{s.bar_width}, 0);
      } else if (s.kind == ItemKind::Text) {
        x2.clear();  // pixel offsets are a display detail
        y2.clear();
      }
      out += name + "," + item_kind_name(s.kind) + "," + std::to_string(i) + "," + number(s.x, i) +
             "," + number(s.y, i) + "," + x2 + "," + y2 + "\n";
    }
  }
  return out;
}

std::string ExportCsv(ImGuiID plot_id, const std::string& path) {
  if (context().plots.count(plot_id) == 0) return path + ": no plot with that id has been drawn";
  return pg::write_file_atomic(path, PlotCsv(plot_id));  // whole or not at all
}

}  // namespace pglab::plot
