#include "gui/views/change_marks.h"

#include <string>

#include "gui/plot/plot.h"
#include "imgui.h"

namespace pglab::gui {

void PlotChangeMarks(const pg::Session& s, bool labels) {
  const std::vector<pg::SettingChange>& changes = s.changes();
  if (changes.empty()) return;
  const ImU32 color = ImGui::GetColorU32(ImGuiCol_TextDisabled);
  for (size_t i = 0; i < changes.size(); ++i) {
    const int it = changes[i].iteration;
    if (i > 0 && changes[i - 1].iteration == it) continue;  // one mark per iteration
    plot::SetNextItemColor(color);
    plot::SetNextItemWeight(0.06f);
    plot::PlotVLine("##live change", it);
    if (!labels) continue;
    // In the band above the plot area, beside the line: never over the data, the legend or
    // another label (they stood over the legend at 1.25×).
    plot::SetNextItemColor(color);
    plot::PlotVLineLabel(pg::change_labels_at(changes, it).c_str(), it);
  }
}

}  // namespace pglab::gui
