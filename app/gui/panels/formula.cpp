// The formulas the controls show: an algorithm's objective as its code computes it
// (AlgorithmInfo::objective, DESIGN.md §3a) and REINFORCE's estimator following the live toggles
// (DESIGN.md §3). Colours by role, shared with the views: the return term, the baseline term, ψ.
#include <string>

#include "gui/panels/panels.h"

namespace pglab::gui {

ImU32 color_return() { return IM_COL32(90, 170, 250, 255); }
ImU32 color_baseline() { return IM_COL32(250, 160, 60, 255); }
ImU32 color_psi() { return IM_COL32(120, 210, 120, 255); }

namespace {

void part(const char* text, ImU32 color = 0) {
  if (color) ImGui::PushStyleColor(ImGuiCol_Text, color);
  ImGui::TextUnformatted(text);
  if (color) ImGui::PopStyleColor();
  ImGui::SameLine(0.0f, 0.0f);
}

ImU32 color_of(pg::FormulaPart::Role role) {
  switch (role) {
    case pg::FormulaPart::Role::kReturn: return color_return();
    case pg::FormulaPart::Role::kBaseline: return color_baseline();
    case pg::FormulaPart::Role::kWeight: return color_psi();
    default: return 0;
  }
}

void unbiased_verdict(const pg::EstimatorConfig& c, double gamma) {
  const bool unbiased = pg::is_unbiased(c, gamma);
  ImGui::PushStyleColor(ImGuiCol_Text, unbiased ? color_psi() : IM_COL32(235, 170, 80, 255));
  ImGui::TextWrapped("%s", unbiased ? "unbiased for ∇J" : "biased for ∇J (see the variance view)");
  ImGui::PopStyleColor();
}

}  // namespace

void DrawFormula(const pg::Formula& f) {
  bool line_open = false;  // a run is waiting on the current line (part() ends with SameLine)
  for (const pg::FormulaPart& p : f) {
    switch (p.role) {
      case pg::FormulaPart::Role::kNewLine:
        ImGui::NewLine();
        line_open = false;
        break;
      case pg::FormulaPart::Role::kNote:
        if (line_open) ImGui::NewLine();
        line_open = false;
        ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
        ImGui::TextWrapped("%s", p.text.c_str());
        ImGui::PopStyleColor();
        break;
      default:
        part(p.text.c_str(), color_of(p.role));
        line_open = true;
    }
  }
  if (line_open) ImGui::NewLine();
}

void DrawEstimatorFormula(const pg::EstimatorConfig& c, double gamma) {
  const bool total = c.returns == pg::Returns::kTotal;
  const bool has_b = c.baseline != pg::Baseline::kNone;
  // γᵗ weighting changes reward-to-go only (DESIGN.md §3): total returns already discount from t = 0.
  const bool weighted = c.discount_weighting && !total;
  part("ĝ = 1/N Σᵢ Σₜ ");
  if (weighted) part("γᵗ ");
  part("∇log π(aᵢₜ|sᵢₜ)");
  ImGui::NewLine();
  part("      · ");
  if (c.normalize) part("norm", color_psi());
  part("(", color_psi());
  part(total ? "Σₜ′ γᵗ′ rᵢₜ′" : "Σₜ′≥ₜ γ^(t′−t) rᵢₜ′", color_return());
  if (has_b) {
    part(" − ", color_psi());
    part(pg::baseline_spec(c.baseline).symbol, color_baseline());
  }
  part(")", color_psi());
  ImGui::NewLine();
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  ImGui::TextWrapped("%s", total ? "total return Rᵢ: every step is credited with the whole episode's reward"
                                 : "reward-to-go Gᵢₜ: only rewards after step t (causality)");
  if (has_b) ImGui::TextWrapped("%s", pg::baseline_spec(c.baseline).meaning(c.returns));
  if (c.normalize) ImGui::TextWrapped("norm(ψ) = (ψ − mean ψ) / (std ψ + 1e-8) over the batch");
  if (weighted) ImGui::TextWrapped("γᵗ with γ = %.3g: the discounted objective's own weighting", gamma);
  ImGui::PopStyleColor();
  unbiased_verdict(c, gamma);
}

void DrawObjective(const pg::Session& s) {
  const pg::AlgorithmInfo info = s.algorithm().info(s.scenario());
  ImGui::TextDisabled("%s", info.title.c_str());
  if (info.objective.empty()) {
    // An algorithm that does not write its objective yet: REINFORCE's estimator when its settings apply.
    if (info.reinforce_settings) DrawEstimatorFormula(s.estimator(), s.env().gamma());
    return;
  }
  DrawFormula(info.objective);
  if (info.reinforce_settings) unbiased_verdict(s.estimator(), s.env().gamma());
}

}  // namespace pglab::gui
