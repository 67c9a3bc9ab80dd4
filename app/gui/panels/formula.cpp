// The formulas the controls show: an algorithm's objective as its code computes it
// (AlgorithmInfo::objective, DESIGN.md §3a) and REINFORCE's estimator following the live toggles
// (DESIGN.md §3). Colours by role, shared with the views: the return term, the baseline term, ψ.
#include <string>

#include "gui/panels/panels.h"

namespace pglab::gui {

ImU32 color_return() {
  return IM_COL32(90, 170, 250, 255);
}
ImU32 color_baseline() {
  return IM_COL32(250, 160, 60, 255);
}
// Violet: green and red mean a sign everywhere (theme.h), and ψ takes either sign, so its role
// colour is neither (a negative weight drawn green read as positive).
ImU32 color_psi() {
  return IM_COL32(175, 135, 255, 255);
}

namespace {

// One run of the formula, continuing the line when it fits and starting a new one when not; a run
// wider than a whole line wraps (a narrow column, presenter scale), so no symbol is cut.
// Punctuation that opens a run which moves to the next line (", clip(…)") stays behind on the
// current line when it fits there, so no line starts with a lone comma.
void part(const char* text, ImU32 color, bool line_open) {
  if (color) ImGui::PushStyleColor(ImGuiCol_Text, color);
  if (line_open) {
    ImGui::SameLine(0.0f, 0.0f);
    const float avail = ImGui::GetContentRegionAvail().x;
    if (ImGui::CalcTextSize(text).x > avail) {
      const char* rest = text;
      while (*rest == ',' || *rest == ';' || *rest == ':' || *rest == '.' || *rest == ')') ++rest;
      if (rest != text && ImGui::CalcTextSize(text, rest).x <= avail) {
        ImGui::TextUnformatted(text, rest);  // ends the line
        while (*rest == ' ') ++rest;
        text = rest;
      } else {
        ImGui::NewLine();
      }
    }
  }
  if (*text == '\0') {
    if (color) ImGui::PopStyleColor();
    return;
  }
  text_wrapped_at_spaces(text);  // a number in the run never splits at its '.'
  if (color) ImGui::PopStyleColor();
}

ImU32 color_of(pg::FormulaPart::Role role) {
  switch (role) {
    case pg::FormulaPart::Role::kReturn:
      return color_return();
    case pg::FormulaPart::Role::kBaseline:
      return color_baseline();
    case pg::FormulaPart::Role::kWeight:
      return color_psi();
    default:
      return 0;
  }
}

}  // namespace

void DrawFormula(const pg::Formula& f) {
  bool line_open = false;  // a run is waiting on the current line (part() ends with SameLine)
  for (const pg::FormulaPart& p : f) {
    switch (p.role) {
      case pg::FormulaPart::Role::kNewLine:
        if (!line_open) ImGui::NewLine();  // an empty line
        line_open = false;
        break;
      case pg::FormulaPart::Role::kNote:
        line_open = false;
        ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
        text_wrapped_at_spacesf("%s", p.text.c_str());
        ImGui::PopStyleColor();
        break;
      default:
        part(p.text.c_str(), color_of(p.role), line_open);
        line_open = true;
    }
  }
}

void DrawObjective(const pg::Session& s) {
  const pg::AlgorithmInfo info = s.algorithm().info(s.scenario());
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  text_wrapped_at_spacesf("%s", info.title.c_str());
  ImGui::PopStyleColor();
  // The objective carries its own verdict (unbiased or not) as its last note: the algorithm knows
  // what its weights do to the estimator (off-policy truncation, per-step weights, …).
  DrawFormula(info.objective);
}

}  // namespace pglab::gui
