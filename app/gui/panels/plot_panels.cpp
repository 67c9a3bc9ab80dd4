// Placeholder plot panels over synthetic data: they demo every plot item the lab will use.
#include <algorithm>
#include <cmath>
#include <numeric>

#include "gui/panels/panels.h"
#include "gui/plot/plot.h"

namespace pglab::gui {

void DrawCurvesPanel(AppState& state, const PanelRect& rect, bool force) {
  if (begin_panel("Learning curves", rect, force, ImGuiWindowFlags_NoScrollbar)) {
    const DemoData& d = state.demo;
    const int n = std::clamp(d.shown, 0, DemoData::kIterations);
    if (plot::BeginPlot("Average return per iteration (mean ± 1 std over 16 episodes)##curves",
                        ImVec2(-1, -1))) {
      plot::SetupAxes("iteration", "return");
      plot::PlotLineWithBand("REINFORCE", d.iteration.data(), d.mean_a.data(), d.std_a.data(), n);
      plot::PlotLineWithBand("REINFORCE + baseline", d.iteration.data(), d.mean_b.data(),
                             d.std_b.data(), n);
      plot::PlotHLine("optimal J* = 200", 200.0);
      if (n > 0) plot::PlotText("◀ baseline: lower variance", 60.0, 150.0, ImVec2(ImGui::GetFontSize() * 6, 0));
      plot::EndPlot();
      state.curves_plot = plot::GetLastPlotId();
    }
  }
  ImGui::End();
}

void DrawReturnsPanel(AppState& state, const PanelRect& rect, bool force) {
  if (begin_panel("Returns", rect, force, ImGuiWindowFlags_NoScrollbar)) {
    const DemoData& d = state.demo;
    if (plot::BeginPlot("Episode returns, last batch##returns", ImVec2(-1, -1))) {
      plot::SetupAxes("return", "episodes");
      plot::PlotHistogram("returns", d.returns.data(), static_cast<int>(d.returns.size()), 24);
      const double mean = d.returns.empty() ? 0.0
                                            : std::accumulate(d.returns.begin(), d.returns.end(), 0.0) /
                                                  static_cast<double>(d.returns.size());
      plot::PlotVLine("mean", mean);
      plot::EndPlot();
    }
  }
  ImGui::End();
}

void DrawGradientPanel(AppState& state, const PanelRect& rect, bool force) {
  if (begin_panel("Gradient", rect, force, ImGuiWindowFlags_NoScrollbar)) {
    const DemoData& d = state.demo;
    if (plot::BeginPlot("J(θ) ascent: estimates vs exact ∇J##gradient", ImVec2(-1, -1),
                        plot::PlotFlags_Equal)) {
      plot::SetupAxes("θ₁", "θ₂");
      plot::SetNextItemColor(ImGui::GetColorU32(ImGuiCol_TextDisabled));
      plot::SetNextItemWeight(0.08f);
      plot::PlotArrows("∇J field", d.grid_x.data(), d.grid_y.data(), d.grad_u.data(),
                       d.grad_v.data(), static_cast<int>(d.grid_x.size()));
      plot::PlotLine("θ path", d.path_x.data(), d.path_y.data(), static_cast<int>(d.path_x.size()));
      plot::PlotScatter("ĝ (one batch each)", d.sample_u.data(), d.sample_v.data(),
                        static_cast<int>(d.sample_u.size()));
      const double x = d.path_x.back(), y = d.path_y.back();
      plot::SetNextItemWeight(0.2f);
      plot::PlotArrow("∇J exact", x, y, 0.25 * d.true_u, 0.25 * d.true_v);
      plot::PlotMarker("θ", x, y);
      plot::PlotMarker("θ*", d.opt_x, d.opt_y);
      plot::PlotText("θ*", d.opt_x, d.opt_y, ImVec2(0, -ImGui::GetFontSize()));
      plot::EndPlot();
    }
  }
  ImGui::End();
}

}  // namespace pglab::gui
