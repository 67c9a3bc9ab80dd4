#include "gui/keys.h"
#include "gui/panels/panels.h"
#include "gui/plot/plot.h"
#include "gui/window.h"

namespace pglab::gui {

void DrawControlsPanel(Window& window, AppState& state, const PanelRect& rect, bool force) {
  if (begin_panel("Controls", rect, force)) {
    const float fs = ImGui::GetFontSize();
    ImGui::TextDisabled("Scenario");
    ImGui::TextWrapped("%s", state.scenario.empty() ? "(default)" : state.scenario.c_str());
    ImGui::Separator();
    const float button_w = (ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ItemSpacing.x * 2) / 3;
    if (ImGui::Button(state.running ? "Pause" : "Run", ImVec2(button_w, 0))) toggle_running(state);
    ImGui::SameLine();
    if (ImGui::Button("Step", ImVec2(button_w, 0))) step_once(state);
    ImGui::SameLine();
    if (ImGui::Button("Reset", ImVec2(button_w, 0))) reset_demo(state);
    ImGui::Spacing();
    ImGui::TextDisabled("Step granularity");
    for (int k = 1; k <= 5; ++k) {
      const auto g = static_cast<Granularity>(k);
      const std::string label = std::to_string(k) + "  " + granularity_name(g);
      if (ImGui::RadioButton(label.c_str(), state.granularity == g)) state.granularity = g;
    }
    ImGui::Separator();
    ImGui::TextDisabled("Gradient norm (live)");
    if (plot::BeginPlot("##grad_norm", ImVec2(-1, fs * 8.0f),
                        plot::PlotFlags_NoTitle | plot::PlotFlags_NoLegend)) {
      plot::SetupAxes(nullptr, nullptr, plot::AxisFlags_None, plot::AxisFlags_IncludeZero);
      plot::PlotLine("‖ĝ‖", state.demo.stream_x, state.demo.stream_y);
      plot::EndPlot();
    }
    ImGui::Separator();
    bool presenter = window.presenter();
    if (ImGui::Checkbox("Presenter mode (F)", &presenter)) window.set_presenter(presenter);
    bool light = window.theme() == Theme::Light;
    if (ImGui::Checkbox("Light theme (T)", &light)) {
      window.set_theme(light ? Theme::Light : Theme::Dark);
    }
    ImGui::Spacing();
    ImGui::TextDisabled("Press ? for keys");
    if (!state.status.empty()) {
      ImGui::Separator();
      ImGui::TextWrapped("%s", state.status.c_str());
    }
  }
  ImGui::End();
}

}  // namespace pglab::gui
