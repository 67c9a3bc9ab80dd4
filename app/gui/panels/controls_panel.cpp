// Controls: scenario, run/step/reset, granularity and speed, the live estimator toggles with the
// formula, and every scenario setting (from the one key table, tooltips included).
#include <cmath>
#include <cstdio>
#include <string>

#include "gui/keys.h"
#include "gui/panels/panels.h"
#include "gui/window.h"
#include "io/params.h"
#include "util/error.h"
#include "util/text.h"

namespace pglab::gui {

namespace {

void help_marker(const std::string& text) {
  ImGui::SameLine();
  ImGui::TextDisabled("(?)");
  if (ImGui::IsItemHovered()) {
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 28.0f);
    ImGui::TextUnformatted(text.c_str());
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
  }
}

const nlohmann::json& value_at(const nlohmann::json& root, const std::string& key) {
  const nlohmann::json* node = &root;
  size_t start = 0;
  for (;;) {
    const size_t dot = key.find('.', start);
    node = &(*node)[key.substr(start, dot == std::string::npos ? std::string::npos : dot - start)];
    if (dot == std::string::npos) return *node;
    start = dot + 1;
  }
}

std::string list_text(const nlohmann::json& arr) {
  std::string s;
  for (size_t i = 0; i < arr.size(); ++i) s += (i ? "," : "") + (arr[i].is_string() ? arr[i].get<std::string>() : arr[i].dump());
  return s;
}

// One editor row for a key of the table; returns the new value when the user changed it.
bool edit_param(const pg::ParamSpec& p, const nlohmann::json& current, nlohmann::json* out) {
  ImGui::PushID(p.key.c_str());
  bool changed = false;
  const std::string label = p.key;
  ImGui::SetNextItemWidth(-ImGui::GetFontSize() * 1.6f);
  switch (p.type) {
    case pg::ParamType::kInt: {
      int v = current.get<int>();
      if (ImGui::InputInt(("##" + label).c_str(), &v, 1, 10, ImGuiInputTextFlags_EnterReturnsTrue)) {
        *out = v;
        changed = true;
      }
      break;
    }
    case pg::ParamType::kDouble: {
      double v = current.get<double>();
      if (ImGui::InputDouble(("##" + label).c_str(), &v, 0.0, 0.0, "%.6g", ImGuiInputTextFlags_EnterReturnsTrue)) {
        *out = v;
        changed = true;
      }
      break;
    }
    case pg::ParamType::kBool: {
      bool v = current.get<bool>();
      if (ImGui::Checkbox(("##" + label).c_str(), &v)) {
        *out = v;
        changed = true;
      }
      break;
    }
    case pg::ParamType::kEnum: {
      const std::string v = current.get<std::string>();
      if (ImGui::BeginCombo(("##" + label).c_str(), v.c_str())) {
        for (const auto& a : p.allowed)
          if (ImGui::Selectable(a.c_str(), a == v)) {
            *out = a;
            changed = true;
          }
        ImGui::EndCombo();
      }
      break;
    }
    default: {
      // Strings and lists as text; lists comma-separated like --set.
      std::string text = p.type == pg::ParamType::kString ? current.get<std::string>() : list_text(current);
      char buf[512];
      std::snprintf(buf, sizeof buf, "%s", text.c_str());
      if (ImGui::InputText(("##" + label).c_str(), buf, sizeof buf, ImGuiInputTextFlags_EnterReturnsTrue)) {
        *out = pg::parse_value_text(p, buf);  // may throw InputError: caught by the caller
        changed = true;
      }
    }
  }
  help_marker(p.help + "\nAllowed: " + pg::describe_allowed(p));
  ImGui::PopID();
  return changed;
}

void draw_toggles(AppState& state, const pg::Session& s) {
  pg::EstimatorConfig c = s.estimator();
  bool changed = false;
  int returns = c.returns == pg::Returns::kTotal ? 0 : 1;
  ImGui::TextUnformatted("Causality");
  help_marker(pg::find_param("estimator.returns")->help);
  changed |= ImGui::RadioButton("total return", &returns, 0);
  ImGui::SameLine();
  changed |= ImGui::RadioButton("reward-to-go", &returns, 1);
  c.returns = returns == 0 ? pg::Returns::kTotal : pg::Returns::kRewardToGo;
  ImGui::SetNextItemWidth(-ImGui::GetFontSize() * 1.6f);
  if (ImGui::BeginCombo("##baseline", (std::string("baseline: ") + pg::name_of(c.baseline)).c_str())) {
    for (pg::Baseline b : pg::all_baselines()) {
      if (ImGui::Selectable(pg::name_of(b), b == c.baseline)) {
        c.baseline = b;
        changed = true;
      }
    }
    ImGui::EndCombo();
  }
  help_marker(pg::find_param("estimator.baseline")->help);
  changed |= ImGui::Checkbox("normalize", &c.normalize);
  help_marker(pg::find_param("estimator.normalize")->help);
  ImGui::SameLine();
  changed |= ImGui::Checkbox("γᵗ weighting", &c.discount_weighting);
  help_marker(pg::find_param("estimator.discount_weighting")->help);
  if (changed) {
    try {
      state.runner->set_estimator(c);
      state.status = "estimator: " + pg::describe(c) + " (from the next estimate)";
    } catch (const pg::InputError& e) {
      state.status = pg::printable(e.what(), kMaxShownError);
    }
  }
  ImGui::Spacing();
  DrawEstimatorFormula(s.estimator(), s.env().gamma());
}

void draw_run_controls(AppState& state, const pg::Session& s) {
  const float w = (ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ItemSpacing.x * 2) / 3;
  const bool running = state.runner->running();
  if (ImGui::Button(running ? "Pause" : "Run", ImVec2(w, 0))) toggle_running(state);
  ImGui::SameLine();
  if (ImGui::Button("Step", ImVec2(w, 0))) step_once(state);
  ImGui::SameLine();
  if (ImGui::Button("Reset", ImVec2(w, 0))) reset_session(state);

  ImGui::SetNextItemWidth(-1);
  if (ImGui::BeginCombo("##granularity", (std::string("step by: ") + pg::name_of(state.granularity)).c_str())) {
    const pg::Granularity all[] = {pg::Granularity::kEnvStep, pg::Granularity::kEpisode, pg::Granularity::kBatch,
                                   pg::Granularity::kEstimate, pg::Granularity::kUpdate, pg::Granularity::kIteration};
    for (pg::Granularity g : all)
      if (ImGui::Selectable(pg::name_of(g), g == state.granularity)) state.granularity = g;
    ImGui::EndCombo();
  }
  if (ImGui::Checkbox("unlimited speed", &state.unlimited_speed))
    state.runner->set_speed(state.unlimited_speed ? 0.0 : state.slow_steps_per_second);
  if (!state.unlimited_speed) {
    ImGui::SetNextItemWidth(-1);
    if (ImGui::SliderFloat("##speed", &state.slow_steps_per_second, 1.0f, 2000.0f, "%.0f env steps/s",
                           ImGuiSliderFlags_Logarithmic))
      state.runner->set_speed(state.slow_steps_per_second);
  }
  ImGui::Text("iteration %d · %s · episode %d/%d", s.iteration(), pg::name_of(s.phase()), s.episodes_in_batch(),
              s.scenario().algorithm.batch_episodes);
  ImGui::TextDisabled("%ld episodes, %ld env steps", s.total_episodes(), s.total_steps());
  if (!s.fault().empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, IM_COL32(235, 110, 100, 255));
    ImGui::TextWrapped("Paused: %s", s.fault().c_str());
    ImGui::PopStyleColor();
    if (ImGui::Button("Reset and continue")) reset_session(state);
  }
}

void draw_settings(AppState& state) {
  const std::string section_of_first = "";
  std::string section;
  for (const pg::ParamSpec& p : pg::scenario_params()) {
    if (p.key.rfind("estimator.", 0) == 0) continue;  // live toggles above
    const std::string head = p.key.find('.') == std::string::npos ? "scenario" : p.key.substr(0, p.key.find('.'));
    if (head != section) {
      section = head;
      ImGui::Spacing();
      ImGui::TextDisabled("%s", section.c_str());
    }
    ImGui::TextUnformatted(p.key.find('.') == std::string::npos ? p.key.c_str() : p.key.c_str() + head.size() + 1);
    nlohmann::json value;
    try {
      if (edit_param(p, value_at(state.edited.resolved, p.key), &value)) {
        pg::set_value(state.edited, p.key, value);
        state.edited_dirty = true;
        state.scenario_error.clear();
      }
    } catch (const pg::InputError& e) {
      state.scenario_error = pg::printable(e.what(), kMaxShownError);
    }
  }
}

}  // namespace

void DrawControlsPanel(Window& window, AppState& state, const Snapshot* snap, const PanelRect& rect, bool force) {
  (void)window;
  if (begin_panel("Controls", rect, force)) {
    // Scenario picker.
    ImGui::SetNextItemWidth(-1);
    // A default Scenario is named "untitled": without a runner nothing is loaded, whatever it says.
    const std::string current =
        !state.runner || state.scenario.name.empty() ? "(no scenario)" : state.scenario.name;
    if (ImGui::BeginCombo("##scenario", current.c_str())) {
      const std::vector<std::string> names = pg::list_scenarios();
      for (const auto& name : names)
        if (ImGui::Selectable(name.c_str(), name == state.scenario_path)) load_file_into(state, name);
      if (names.empty()) {  // say why the list is empty (e.g. PGLAB_ASSETS names no directory)
        const std::string why = pg::asset_dir_problem();
        ImGui::TextDisabled("%s", why.empty() ? "no scenarios in the asset directory" : why.c_str());
      }
      ImGui::EndCombo();
    }
    if (!state.scenario.description.empty() && ImGui::IsItemHovered())
      ImGui::SetTooltip("%s", state.scenario.description.c_str());
    if (!state.scenario_error.empty()) {
      ImGui::PushStyleColor(ImGuiCol_Text, IM_COL32(235, 110, 100, 255));
      ImGui::TextWrapped("%s", state.scenario_error.c_str());
      ImGui::PopStyleColor();
    }
    if (snap) {
      ImGui::Separator();
      draw_run_controls(state, *snap->session);
      ImGui::Separator();
      const pg::Scenario& running = snap->session->scenario();
      if (uses_reinforce_estimator(running.algorithm.name)) {
        if (ImGui::CollapsingHeader("Estimator (live)", ImGuiTreeNodeFlags_DefaultOpen))
          draw_toggles(state, *snap->session);
      } else if (ImGui::CollapsingHeader("Objective", ImGuiTreeNodeFlags_DefaultOpen)) {
        ImGui::TextDisabled("%s", running.algorithm.name.c_str());
        DrawAlgorithmFormula(running);
      }
    }
    if (ImGui::CollapsingHeader("Scenario settings")) {
      if (ImGui::Button(state.edited_dirty ? "Apply & reset *" : "Apply & reset")) {
        if (load_into(state, state.edited, state.scenario_path)) state.status = "applied the settings (reset)";
      }
      ImGui::SameLine();
      if (ImGui::Button("Revert")) {
        state.edited = state.scenario;
        state.edited_dirty = false;
      }
      draw_settings(state);
    }
    if (!state.status.empty()) {
      ImGui::Separator();
      ImGui::TextWrapped("%s", state.status.c_str());
    }
    ImGui::TextDisabled("Press ? for keys");
  }
  ImGui::End();
}

}  // namespace pglab::gui
