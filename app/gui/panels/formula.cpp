// The estimator written as the code computes it (DESIGN.md §3), following the live toggles.
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

const char* baseline_symbol(pg::Baseline b) {
  switch (b) {
    case pg::Baseline::kNone: return "";
    case pg::Baseline::kMean: return "b̄";
    case pg::Baseline::kTimeMean: return "b̄ₜ";
    case pg::Baseline::kLeaveOneOut: return "b₋ᵢ,ₜ";
    case pg::Baseline::kOptimal: return "b*ₖ";
    case pg::Baseline::kExactValue: return "V^π(sᵢₜ)";
    case pg::Baseline::kCritic: return "V_φ(sᵢₜ)";
  }
  return "";
}

const char* baseline_meaning(pg::Baseline b, bool total) {
  switch (b) {
    case pg::Baseline::kNone: return "no baseline";
    case pg::Baseline::kMean: return total ? "b̄ = mean of the batch's returns Rⱼ" : "b̄ = mean of all Gⱼₜ in the batch";
    case pg::Baseline::kTimeMean: return "b̄ₜ = mean of Q̂ⱼₜ over episodes still running at t";
    case pg::Baseline::kLeaveOneOut: return "b₋ᵢ,ₜ = the same mean without episode i";
    case pg::Baseline::kOptimal: return "b*ₖ = Σᵢ gᵢₖ² Rᵢ / Σᵢ gᵢₖ², one per parameter k";
    case pg::Baseline::kExactValue: return "V^π from the exact oracle";
    case pg::Baseline::kCritic: return "V_φ: the critic fitted to Monte Carlo returns";
  }
  return "";
}

}  // namespace

void DrawEstimatorFormula(const pg::EstimatorConfig& c, double gamma) {
  const bool total = c.returns == pg::Returns::kTotal;
  const bool has_b = c.baseline != pg::Baseline::kNone;
  part("ĝ = 1/N Σᵢ Σₜ ");
  if (c.discount_weighting) part("γᵗ ");
  part("∇log π(aᵢₜ|sᵢₜ)");
  ImGui::NewLine();
  part("      · ");
  if (c.normalize) part("norm", color_psi());
  part("(", color_psi());
  part(total ? "Σₜ′ γᵗ′ rᵢₜ′" : "Σₜ′≥ₜ γ^(t′−t) rᵢₜ′", color_return());
  if (has_b) {
    part(" − ", color_psi());
    part(baseline_symbol(c.baseline), color_baseline());
  }
  part(")", color_psi());
  ImGui::NewLine();
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  ImGui::TextWrapped("%s", total ? "total return Rᵢ: every step is credited with the whole episode's reward"
                                 : "reward-to-go Gᵢₜ: only rewards after step t (causality)");
  if (has_b) ImGui::TextWrapped("%s", baseline_meaning(c.baseline, total));
  if (c.normalize) ImGui::TextWrapped("norm(ψ) = (ψ − mean ψ) / (std ψ + 1e-8) over the batch");
  if (c.discount_weighting) ImGui::TextWrapped("γᵗ with γ = %.3g: the discounted objective's own weighting", gamma);
  const bool unbiased = pg::is_unbiased(c, gamma);
  ImGui::PopStyleColor();
  ImGui::PushStyleColor(ImGuiCol_Text, unbiased ? IM_COL32(120, 210, 120, 255) : IM_COL32(235, 170, 80, 255));
  ImGui::TextWrapped("%s", unbiased ? "unbiased for ∇J" : "biased for ∇J (see the variance view)");
  ImGui::PopStyleColor();
}

bool uses_reinforce_estimator(const std::string& algorithm) {
  return algorithm == "reinforce" || algorithm == "npg" || algorithm == "trpo" || algorithm == "off-policy";
}

void DrawAlgorithmFormula(const pg::Scenario& s) {
  const std::string& a = s.algorithm.name;
  const char* adv = s.advantage.estimator == "gae"     ? "GAE(λ): Σₗ (γλ)^l δₜ₊ₗ"
                    : s.advantage.estimator == "td0"   ? "TD(0): δₜ = rₜ + γV(sₜ₊₁) − V(sₜ)"
                    : s.advantage.estimator == "nstep" ? "n-step: Σₖ<ₙ γᵏ rₜ₊ₖ + γⁿV(sₜ₊ₙ) − V(sₜ)"
                                                       : "Monte Carlo: Gₜ − V(sₜ)";
  if (a == "a2c") {
    part("ĝ = 1/M Σₜ ∇log π(aₜ|sₜ) ");
    part("Âₜ", color_psi());
    ImGui::NewLine();
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    ImGui::TextWrapped("Â by %s; the critic V is fitted to Â + V (weight c₁ = %.3g); entropy bonus c₂ = %.3g",
                       adv, s.algorithm.value_coef, s.algorithm.entropy_coef);
    ImGui::PopStyleColor();
  } else if (a == "ppo") {
    if (s.ppo.objective == "clip") {
      part("L = mean min(r ");
      part("Â", color_psi());
      part(", clip(r, 1−ε, 1+ε) ");
      part("Â", color_psi());
      part(")");
    } else {
      part("L = mean(r ");
      part("Â", color_psi());
      part(") − β KL(π_old‖π)");
    }
    ImGui::NewLine();
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    ImGui::TextWrapped("r = π(a|s)/π_old(a|s); ε = %.3g; %d epochs × %d minibatches; Â by %s", s.ppo.clip_eps,
                       s.ppo.epochs, s.ppo.minibatches, adv);
    ImGui::PopStyleColor();
  } else if (a == "grpo") {
    part("J = 1/G Σᵢ 1/|oᵢ| Σₜ [min(r ");
    part("Âᵢ", color_psi());
    part(",");
    ImGui::NewLine();
    part("      clip(r) ");
    part("Âᵢ", color_psi());
    part(") − β k3]");
    ImGui::NewLine();
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    ImGui::TextWrapped("Âᵢ = (Rᵢ − %s)%s; k3 = π_ref/π − log(π_ref/π) − 1, β = %.3g",
                       s.grpo.leave_one_out ? "mean of the other G−1" : "mean of the group",
                       s.grpo.std_normalize ? " / (std + ε)" : "", s.grpo.kl_coef);
    ImGui::PopStyleColor();
  }
}

}  // namespace pglab::gui
