#include "gui/views/change_marks.h"

#include <string>

#include "gui/plot/plot.h"
#include "imgui.h"

namespace pglab::gui {

void PlotChangeMarks(const pg::Session& s, bool labels) {
  const std::vector<pg::SettingChange>& changes = s.changes();
  if (changes.empty()) return;
  const plot::Limits lim = plot::GetPlotLimits();  // last frame's: where the labels go
  const float fs = ImGui::GetFontSize();
  const ImU32 color = ImGui::GetColorU32(ImGuiCol_TextDisabled);
  int k = 0;
  for (size_t i = 0; i < changes.size(); ++i) {
    const int it = changes[i].iteration;
    if (i > 0 && changes[i - 1].iteration == it) continue;  // one mark per iteration
    const std::string label = pg::change_labels_at(changes, it);
    plot::SetNextItemColor(color);
    plot::SetNextItemWeight(0.06f);
    plot::PlotVLine("##live change", it);
    if (!labels) continue;
    // Right of the line, or left of it in the right third of the plot (so it stays inside).
    const float w = ImGui::CalcTextSize(label.c_str()).x;
    const double span = lim.x_max - lim.x_min;
    const bool left = span > 0 && (it - lim.x_min) / span > 0.67;
    const float dx = (left ? -1.0f : 1.0f) * (0.5f * w + fs * 0.3f);
    const float dy = fs * (0.75f + 1.05f * static_cast<float>(k % 3));
    plot::SetNextItemColor(color);
    plot::PlotText(label.c_str(), it, lim.y_max, ImVec2(dx, dy));
    ++k;
  }
}

}  // namespace pglab::gui
