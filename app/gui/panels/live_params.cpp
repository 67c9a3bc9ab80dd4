// Live hyperparameters (issue 9, item 5): step size (NPG/TRPO: the KL budget δ), batch size,
// entropy weight, clip ε, GAE λ and the optimizer, edited while the session runs. A slider applies
// its value on release (pg::Session::set_live): at once between iterations, else queued to the
// start of the next iteration — the panel says which. The values come from the snapshot; the only
// UI state is the value being dragged (LiveParamsUi).
#include "session/live_params.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "gui/classroom.h"
#include "gui/layout.h"
#include "gui/panels/panels.h"
#include "gui/session_runner.h"
#include "io/params.h"
#include "util/error.h"
#include "util/text.h"

namespace pglab::gui {

namespace {

// The slider's range (display only: Ctrl+click types any value the key table allows).
struct SliderRange {
  const char* key;
  double lo, hi;
  bool log;
  const char* format;
};

constexpr SliderRange kRanges[] = {
    {"algorithm.lr", 1e-5, 1.0, true, "%.3g"},
    {"algorithm.batch_episodes", 1, 256, true, "%.0f"},
    {"algorithm.num_envs", 1, 64, false, "%.0f"},
    {"algorithm.num_steps", 1, 2048, true, "%.0f"},
    {"grpo.prompts", 1, 64, false, "%.0f"},
    {"algorithm.entropy_coef", 0.0, 0.1, false, "%.4g"},
    {"ppo.clip_eps", 0.01, 1.0, false, "%.3g"},
    {"grpo.clip_eps", 0.01, 1.0, false, "%.3g"},
    {"advantage.lambda", 0.0, 1.0, false, "%.3g"},
    {"trpo.max_kl", 1e-4, 1.0, true, "%.3g"},
};

const SliderRange* range_of(const std::string& key) {
  for (const SliderRange& r : kRanges)
    if (key == r.key) return &r;
  return nullptr;
}

// The value the session will run with next: a queued one, else the current one.
nlohmann::json pending_value(const pg::Session& s, const std::string& key) {
  for (const auto& [k, v] : s.queued_changes())
    if (k == key) return v;
  return pg::resolved_value(s.scenario(), key);
}

void apply(AppState& state, const pg::Session& s, const std::string& key,
           const nlohmann::json& value) {
  try {
    const bool now = state.runner->set_live(key, value);
    // The settings table follows, so "Apply & reset" keeps what was set live.
    try {
      pg::set_value(state.edited, key, value);
    } catch (const pg::InputError&) {
    }
    const std::string v = value.is_string() ? value.get<std::string>() : value.dump();
    state.status = now ? key + " = " + v + " from iteration " + std::to_string(s.iteration())
                       : key + " = " + v + " queued: mid-iteration, it applies at the start of " +
                             "iteration " + std::to_string(s.iteration() + 1);
    state.live_params.error.clear();
  } catch (const pg::InputError& e) {
    state.live_params.error = pg::printable(e.what(), kMaxShownError);
  }
}

void help_tooltip(const pg::ParamSpec& p) {
  if (!ImGui::IsItemHovered()) return;
  ImGui::BeginTooltip();
  ImGui::PushTextWrapPos(ImGui::GetFontSize() * 28.0f);
  ImGui::TextUnformatted((p.key + ": " + p.help + "\nAllowed: " + pg::describe_allowed(p) +
                          "\nApplied on release; Ctrl+click to type a value.")
                             .c_str());
  ImGui::PopTextWrapPos();
  ImGui::EndTooltip();
}

// A widget with its label on the right where both fit beside each other (the widget keeps at
// least 6 em), else the label on its own line above (a narrow column, presenter scale). Returns
// whether the label still has to be drawn after the widget (label_after).
bool label_before(const char* label) {
  const float label_w = ImGui::CalcTextSize(label).x + ImGui::GetStyle().ItemSpacing.x;
  const bool above = ImGui::GetContentRegionAvail().x - label_w < ImGui::GetFontSize() * 6.0f;
  if (above) ImGui::TextUnformatted(label);
  ImGui::SetNextItemWidth(above ? -1.0f : -label_w);
  return !above;
}

void label_after(bool beside, const char* label) {
  if (!beside) return;
  ImGui::SameLine();
  ImGui::TextUnformatted(label);
}

// One numeric key: a slider whose value is applied when the mouse lets go (or Enter after
// Ctrl+click typing).
void slider_row(AppState& state, const pg::Session& s, const pg::ParamSpec& p, const SliderRange& r,
                const char* label) {
  LiveParamsUi& ui = state.live_params;
  const nlohmann::json current = pending_value(s, p.key);
  double v = ui.active_key == p.key ? ui.value : current.get<double>();
  double lo = std::min(r.lo, v), hi = std::max(r.hi, v);
  if (r.log && lo <= 0.0) lo = r.lo;
  const bool beside = label_before(label);
  ImGuiSliderFlags flags = r.log ? ImGuiSliderFlags_Logarithmic : ImGuiSliderFlags_None;
  ImGui::SliderScalar(("##live_" + p.key).c_str(), ImGuiDataType_Double, &v, &lo, &hi, r.format,
                      flags);
  if (ImGui::IsItemActive()) {
    ui.active_key = p.key;
    ui.value = v;
  }
  help_tooltip(p);
  if (ImGui::IsItemDeactivatedAfterEdit()) {
    ui.active_key.clear();
    const nlohmann::json value = p.type == pg::ParamType::kInt
                                     ? nlohmann::json(static_cast<long>(std::lround(v)))
                                     : nlohmann::json(v);
    if (value != current) apply(state, s, p.key, value);
  } else if (!ImGui::IsItemActive() && ui.active_key == p.key) {
    ui.active_key.clear();
  }
  label_after(beside, label);
}

void optimizer_row(AppState& state, const pg::Session& s, const pg::ParamSpec& p) {
  const std::string current = pending_value(s, p.key).get<std::string>();
  const bool beside = label_before("optimizer");
  if (ImGui::BeginCombo("##live_optimizer", current.c_str())) {
    for (const auto& a : p.allowed)
      if (ImGui::Selectable(a.c_str(), a == current) && a != current)
        apply(state, s, p.key, nlohmann::json(a));
    ImGui::EndCombo();
  }
  if (ImGui::IsItemHovered()) {
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 28.0f);
    ImGui::TextUnformatted(
        "algorithm.optimizer: the new optimizer starts fresh at the current step size; switching "
        "to Adam starts its moments at 0 (and its bias correction at step 1).");
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
  }
  label_after(beside, "optimizer");
}

}  // namespace

void DrawLiveParams(AppState& state, const pg::Session& s) {
  if (!state.runner) return;
  // The full title where it fits beside the header's arrow, else a shorter one (same ID): the
  // header's text is laid out at its whole width, so a title wider than the column pushed the
  // panel's content 53 px past its edge at presenter scale 2.5 on 1280×720.
  const float arrow = header_arrow_width();
  const std::string title =
      fitting_label("Hyperparameters (live)",
                    fitting_label("Hyperparameters", "Hyperparams", arrow), arrow) +
      "###live_params";
  if (!ImGui::CollapsingHeader(title.c_str(), ImGuiTreeNodeFlags_DefaultOpen)) return;
  const pg::AlgorithmInfo info = s.algorithm().info(s.scenario());
  for (const pg::LiveKey& k : pg::live_keys()) {
    if (k.estimator || !pg::live_key_problem(s.scenario(), info, k.key).empty()) continue;
    const pg::ParamSpec* p = pg::find_param(k.key);
    if (!p) continue;
    // A lesson step's hide leaves the row out and its lock greys it, as in Scenario settings.
    if (control_hidden(state, k.key)) continue;
    ImGui::PushID(k.key);
    ImGui::BeginDisabled(control_locked(state, k.key));
    if (p->type == pg::ParamType::kEnum) {
      optimizer_row(state, s, *p);
    } else if (const SliderRange* r = range_of(k.key)) {
      const std::string label = std::string(k.symbol) == "N" ? "N episodes" : k.symbol;
      slider_row(state, s, *p, *r, label.c_str());
    }
    ImGui::EndDisabled();
    ImGui::PopID();
  }
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  if (s.at_iteration_boundary()) {
    text_wrapped_at_spacesf("Applied between iterations, on release; marked on the curves.");
  } else {
    text_wrapped_at_spacesf("Mid-iteration: a change waits for the start of iteration %d.",
                            s.iteration() + 1);
  }
  for (const auto& [key, value] : s.queued_changes())
    text_wrapped_at_spacesf(
        "queued for iteration %d: %s = %s", s.iteration() + 1, key.c_str(),
        value.is_string() ? value.get<std::string>().c_str() : value.dump().c_str());
  ImGui::PopStyleColor();
  if (!state.live_params.error.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, IM_COL32(235, 110, 100, 255));
    text_wrapped_at_spacesf("%s", state.live_params.error.c_str());
    ImGui::PopStyleColor();
  }
}

}  // namespace pglab::gui
