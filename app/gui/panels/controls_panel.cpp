// Controls: scenario, run/step/reset, granularity and speed, the live estimator toggles with the
// formula, and every scenario setting (from the one key table, tooltips included).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "algo/formula.h"
#include "gui/classroom.h"
#include "gui/keys.h"
#include "gui/layout.h"
#include "gui/panels/panels.h"
#include "gui/theme.h"
#include "gui/time_travel/time_travel.h"
#include "gui/window.h"
#include "io/params.h"
#include "util/error.h"
#include "util/text.h"

namespace pglab::gui {

namespace {

// How long the worker must be in one phase before the controls say it is computing.
constexpr double kBusyShownAfter = 1.0;

void help_marker(const std::string& text) {
  same_line_if_fits(ImGui::CalcTextSize("(?)").x);
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
  for (size_t i = 0; i < arr.size(); ++i) {
    if (i) s += ',';  // appended apart: `(i ? "," : "") + …` trips GCC 12's false -Wrestrict
    s += arr[i].is_string() ? arr[i].get<std::string>() : arr[i].dump();
  }
  return s;
}

}  // namespace

bool edit_param(const pg::ParamSpec& p, const nlohmann::json& current, nlohmann::json* out) {
  ImGui::PushID(p.key.c_str());
  bool changed = false;
  const std::string label = p.key;
  ImGui::SetNextItemWidth(-ImGui::GetFontSize() * 1.6f);
  switch (p.type) {
    case pg::ParamType::kInt: {
      // 64 bits within the key's range: the seed reaches 2⁵³ − 1, which an int showed as −1 (and
      // its "+" then set 0).
      const auto lo = static_cast<long long>(std::ceil(p.min)) + (p.min_exclusive ? 1 : 0);
      const auto hi = static_cast<long long>(std::floor(p.max));
      long long v = current.is_number_unsigned()
                        ? static_cast<long long>(std::min<uint64_t>(current.get<uint64_t>(),
                                                                    static_cast<uint64_t>(hi)))
                        : current.get<long long>();
      const long long step = 1, step_fast = 10;
      if (ImGui::InputScalar(("##" + label).c_str(), ImGuiDataType_S64, &v, &step, &step_fast,
                             "%lld", ImGuiInputTextFlags_EnterReturnsTrue)) {
        *out = std::clamp(v, lo, hi);
        changed = true;
      }
      break;
    }
    case pg::ParamType::kDouble: {
      double v = current.get<double>();
      if (ImGui::InputDouble(("##" + label).c_str(), &v, 0.0, 0.0, "%.6g",
                             ImGuiInputTextFlags_EnterReturnsTrue)) {
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
      std::string text =
          p.type == pg::ParamType::kString ? current.get<std::string>() : list_text(current);
      // Room for the whole value and more to type: a fixed 512 bytes cut a 2000-character
      // description at its 511th byte on Enter (found by audit). 16 KiB holds any string key's
      // longest value (2000 characters of up to 4 bytes); the size stays the same from frame to
      // frame while the field is edited, as ImGui needs.
      std::vector<char> buf(std::max<size_t>(16384, text.size() + 1024), '\0');
      std::copy(text.begin(), text.end(), buf.begin());
      if (ImGui::InputText(("##" + label).c_str(), buf.data(), buf.size(),
                           ImGuiInputTextFlags_EnterReturnsTrue)) {
        *out = pg::parse_value_text(p, buf.data());  // may throw InputError: caught by the caller
        changed = true;
      }
    }
  }
  help_marker(p.help + "\nAllowed: " + pg::describe_allowed(p));
  ImGui::PopID();
  return changed;
}

namespace {

// Hover text for a disabled item (ImGui hides tooltips of disabled items unless asked).
void disabled_tooltip(const char* text) {
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) {
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 28.0f);
    ImGui::TextUnformatted(text);
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
  }
}

// `then`: the session whose objective the formula shows (the views' own, while time travelling).
void draw_toggles(AppState& state, const pg::Session& s, const pg::Session& then) {
  pg::EstimatorConfig c = s.estimator();
  bool changed = false;
  int returns = c.returns == pg::Returns::kTotal ? 0 : 1;
  // A lesson step may lock (grey out) or hide a control (classroom.h).
  if (!control_hidden(state, "estimator.returns")) {
    ImGui::BeginDisabled(control_locked(state, "estimator.returns"));
    ImGui::TextUnformatted("Causality");
    help_marker(pg::find_param("estimator.returns")->help);
    changed |= ImGui::RadioButton("total return", &returns, 0);
    same_line_if_fits(ImGui::GetFrameHeight() + ImGui::CalcTextSize("reward-to-go").x + em(0.5f));
    changed |= ImGui::RadioButton("reward-to-go", &returns, 1);
    ImGui::EndDisabled();
  }
  c.returns = returns == 0 ? pg::Returns::kTotal : pg::Returns::kRewardToGo;
  const bool hide_baseline = control_hidden(state, "estimator.baseline");
  ImGui::BeginDisabled(control_locked(state, "estimator.baseline"));
  // Room for its (?) beside it, or the whole line where the name alone would not fit there (the
  // (?) then starts the next line).
  const std::string baseline = pg::name_of(c.baseline);
  float baseline_w = ImGui::GetContentRegionAvail().x - ImGui::GetFontSize() * 1.6f;
  if (fitting_label(baseline, "", ImGui::GetFrameHeight(), baseline_w).empty())
    baseline_w = ImGui::GetContentRegionAvail().x;
  ImGui::SetNextItemWidth(baseline_w);
  if (!hide_baseline &&
      ImGui::BeginCombo("##baseline", fitting_label("baseline: " + baseline, baseline,
                                                    ImGui::GetFrameHeight(), baseline_w)
                                          .c_str())) {
    for (pg::Baseline b : pg::all_baselines()) {
      if (ImGui::Selectable(pg::name_of(b), b == c.baseline)) {
        c.baseline = b;
        changed = true;
      }
      if (ImGui::IsItemHovered())
        ImGui::SetTooltip("%s", pg::baseline_spec(b).meaning_for(c.returns));
    }
    ImGui::EndCombo();
  }
  if (!hide_baseline) help_marker(pg::find_param("estimator.baseline")->help);
  ImGui::EndDisabled();
  const bool show_normalize = !control_hidden(state, "estimator.normalize");
  const bool show_weighting = !control_hidden(state, "estimator.discount_weighting");
  if (show_normalize) {
    ImGui::BeginDisabled(control_locked(state, "estimator.normalize"));
    changed |= ImGui::Checkbox("normalize", &c.normalize);
    help_marker(pg::find_param("estimator.normalize")->help);
    ImGui::EndDisabled();
    if (show_weighting)
      same_line_if_fits(ImGui::GetFrameHeight() + ImGui::CalcTextSize("γᵗ weighting (?)").x +
                        em(1.0f));
  }
  // γᵗ weighting multiplies reward-to-go only (DESIGN.md §3): greyed out with total returns.
  const bool total = c.returns == pg::Returns::kTotal;
  if (show_weighting) {
    ImGui::BeginDisabled(total || control_locked(state, "estimator.discount_weighting"));
    changed |= ImGui::Checkbox("γᵗ weighting", &c.discount_weighting);
    ImGui::EndDisabled();
    if (total)
      disabled_tooltip(
          "Only for reward-to-go: the total return R = Σₜ′ γᵗ′ rₜ′ already weights every reward "
          "by γᵗ′ from the episode's start, so γᵗ weighting does not change it.");
    else
      help_marker(pg::find_param("estimator.discount_weighting")->help);
  }
  if (changed) {
    try {
      const bool live = s.has_estimate() && s.batch_complete();
      state.runner->set_estimator(c);
      state.status = "estimator: " + pg::describe(c) +
                     (live ? " (the current batch re-estimated: before → after in the inspector)"
                           : " (from this batch's estimate)");
    } catch (const pg::InputError& e) {
      state.status = pg::printable(e.what(), kMaxShownError);
    }
  }
  ImGui::Spacing();
  DrawObjective(then);
}

// While the views look back at an earlier iteration: which settings trained it, where they differ
// from the live run's, and that the controls set the live run.
void draw_travel_note(const pg::Session& live, const pg::Session& then) {
  std::string note = "The views show iteration " + std::to_string(then.iteration());
  if (then.scenario().resolved != live.scenario().resolved) {
    const pg::AlgorithmInfo info = then.algorithm().info(then.scenario());
    note += ", trained with ";
    if (info.reinforce_settings) {
      note += pg::setting_name(then.estimator(), true) + " and ";
    }
    note += "lr " + formatted("%g", then.scenario().algorithm.lr) + " (the formula below)";
  }
  note +=
      ". These controls set the live run, at iteration " + std::to_string(live.iteration()) + ".";
  ImGui::PushStyleColor(ImGuiCol_Text, kColorTravel);
  text_wrapped_at_spaces(note.c_str());
  ImGui::PopStyleColor();
}

void draw_run_controls(AppState& state, const pg::Session& s) {
  // Three in a row while "Continue" fits a third of the column, else they wrap.
  const float w =
      std::max((ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ItemSpacing.x * 2) / 3,
               ImGui::CalcTextSize("Continue").x + ImGui::GetStyle().FramePadding.x * 2);
  const bool running = state.runner->running();
  const int stop_at = state.runner->stop_at();
  const bool at_end = !running && stop_at >= 0 && s.iteration() >= stop_at;
  if (ImGui::Button(running ? "Pause" : at_end ? "Continue" : "Run", ImVec2(w, 0)))
    toggle_running(state);
  if (at_end && ImGui::IsItemHovered())
    ImGui::SetTooltip("The scenario's %d iterations are done: Continue runs %d more (Space too).",
                      s.scenario().algorithm.iterations, s.scenario().algorithm.iterations);
  same_line_if_fits(w);
  if (ImGui::Button("Step", ImVec2(w, 0))) step_once(state);
  same_line_if_fits(w);
  if (ImGui::Button("Reset", ImVec2(w, 0))) reset_session(state);

  ImGui::SetNextItemWidth(-1);
  // "step by: iteration", or the granularity alone where the column is too narrow for both (a
  // presenter scale of 2.5× at 1280×720).
  const std::string granularity = pg::name_of(state.granularity);
  if (ImGui::BeginCombo(
          "##granularity",
          fitting_label("step by: " + granularity, granularity, ImGui::GetFrameHeight()).c_str())) {
    const pg::Granularity all[] = {pg::Granularity::kEnvStep, pg::Granularity::kEpisode,
                                   pg::Granularity::kBatch,   pg::Granularity::kEstimate,
                                   pg::Granularity::kUpdate,  pg::Granularity::kIteration};
    for (pg::Granularity g : all)
      if (ImGui::Selectable(pg::name_of(g), g == state.granularity)) state.granularity = g;
    ImGui::EndCombo();
  }
  const float box = ImGui::GetFrameHeight() + ImGui::GetStyle().ItemInnerSpacing.x;
  if (ImGui::Checkbox(fitting_label("unlimited speed", "unlimited", box).c_str(),
                      &state.unlimited_speed))
    state.runner->set_pace(state.unlimited_speed ? 0.0 : state.iterations_per_second);
  if (!state.unlimited_speed) {
    ImGui::SetNextItemWidth(-1);
    if (ImGui::SliderFloat("##pace", &state.iterations_per_second, 0.5f, 60.0f, "%.1f iterations/s",
                           ImGuiSliderFlags_Logarithmic))
      state.runner->set_pace(state.iterations_per_second);
  }
  // "of N": where Run stops now (algorithm.iterations, then as many more after each Continue);
  // none when it runs on (the run-past-end preference), or when Step went past it.
  const int stop = state.runner->stop_at();
  if (stop >= s.iteration())
    text_wrapped_at_spacesf("iteration %d · %s · %d of %d done", s.iteration(),
                            pg::name_of(s.phase()), s.iteration(), stop);
  else
    text_wrapped_at_spacesf("iteration %d · %s · %d done", s.iteration(), pg::name_of(s.phase()),
                            s.iteration());
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip(
        "Iterations count from 0: iteration %d is the one in progress, %d are complete;\n"
        "Run stops after algorithm.iterations = %d (then Continue runs as many more).",
        s.iteration(), s.iteration(), s.scenario().algorithm.iterations);
  // A phase that takes more than a moment (a big world's exact J, a long update): the numbers on
  // screen are from before it, and a command waits for its end.
  const double busy = state.runner->busy_seconds();
  if (busy >= kBusyShownAfter)
    colored_wrappedf(
        ImGui::GetStyleColorVec4(ImGuiCol_PlotLinesHovered),
        "computing… %.0f s (the numbers shown are from before it; a setting changed now "
        "waits for its end)",
        busy);
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  text_wrapped_at_spacesf("%s", collect_progress(s).c_str());
  text_wrapped_at_spacesf("%s, %s in all", pg::counted(s.total_episodes(), "episode").c_str(),
                          pg::counted(s.total_steps(), "env step").c_str());
  ImGui::PopStyleColor();
  if (!s.fault().empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, IM_COL32(235, 110, 100, 255));
    text_wrapped_at_spacesf("Paused: %s", s.fault().c_str());
    ImGui::PopStyleColor();
    if (ImGui::Button("Reset and continue")) reset_session(state);
  }
}

void draw_settings(AppState& state) {
  const std::string section_of_first = "";
  std::string section;
  for (const pg::ParamSpec& p : pg::scenario_params()) {
    if (p.key.rfind("estimator.", 0) == 0) continue;  // live toggles above
    if (control_hidden(state, p.key.c_str())) continue;
    // A key the edited scenario's env or policy kind does not read (env.slip on cartpole) has no
    // row: changing it would do nothing. Its value is kept for when the kind is switched back.
    if (!pg::inapplicable_reason(state.edited, p.key).empty()) continue;
    const std::string head =
        p.key.find('.') == std::string::npos ? "scenario" : p.key.substr(0, p.key.find('.'));
    if (head != section) {
      section = head;
      ImGui::Spacing();
      ImGui::TextDisabled("%s", section.c_str());
    }
    ImGui::TextUnformatted(p.key.find('.') == std::string::npos ? p.key.c_str()
                                                                : p.key.c_str() + head.size() + 1);
    nlohmann::json value;
    const bool locked = control_locked(state, p.key.c_str());
    ImGui::BeginDisabled(locked);
    try {
      if (edit_param(p, value_at(state.edited.resolved, p.key), &value) && !locked) {
        pg::set_value(state.edited, p.key, value);
        state.edited_dirty = true;
        state.scenario_error.clear();
      }
    } catch (const pg::InputError& e) {
      state.scenario_error = pg::printable(e.what(), kMaxShownError);
    }
    ImGui::EndDisabled();
  }
}

// The folded controls (key C): a slim bar of icon buttons — unfold, run/pause, step, reset.
void draw_folded_controls(AppState& state, const Snapshot* snap, const PanelRect& rect,
                          bool force) {
  const ImGuiWindowFlags flags =
      ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoResize;
  if (begin_panel("##controls_folded", rect, force, flags)) {
    const ImVec2 size(-1.0f, em(1.8f));
    auto icon = [&](const char* label, const char* tip, bool enabled) {
      ImGui::BeginDisabled(!enabled);
      const bool clicked = ImGui::Button(label, size);
      ImGui::EndDisabled();
      if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) ImGui::SetTooltip("%s", tip);
      return clicked;
    };
    if (icon("»", "Show the controls (C)", true)) state.layout_ui.controls_folded = false;
    ImGui::Separator();
    const bool running = snap && state.runner->running();
    if (icon(running ? "‖##run" : "▶##run", running ? "Pause (Space)" : "Run (Space)", snap))
      toggle_running(state);
    if (icon("→##step", "Step one at the chosen granularity (S)", snap)) step_once(state);
    if (icon("↺##reset", "Reset to iteration 0 (R)", snap)) reset_session(state);
  }
  ImGui::End();
}

}  // namespace

void DrawControlsPanel(Window& window, AppState& state, const Snapshot* snap, const PanelRect& rect,
                       bool force, const pg::Session* shown) {
  (void)window;
  if (state.layout_ui.controls_folded) {
    draw_folded_controls(state, snap, rect, force);
    return;
  }
  if (begin_panel("Controls", rect, force)) {
    // Scenario picker, and the button that folds the column (C).
    const float fold_w = ImGui::GetFrameHeight();
    const float combo_w =
        ImGui::GetContentRegionAvail().x - fold_w - ImGui::GetStyle().ItemSpacing.x;
    ImGui::SetNextItemWidth(combo_w);
    // A default Scenario is named "untitled": without a runner nothing is loaded, whatever it says.
    const std::string current =
        !state.runner || state.scenario.name.empty() ? "(no scenario)" : state.scenario.name;
    // A name longer than the box goes on its own wrapped line below it.
    const bool name_fits = ImGui::CalcTextSize(current.c_str()).x +
                               ImGui::GetStyle().FramePadding.x * 2 + ImGui::GetFrameHeight() <=
                           combo_w;
    if (ImGui::BeginCombo("##scenario", name_fits ? current.c_str() : "scenario")) {
      const std::vector<std::string> names = pg::list_scenarios();
      for (const auto& name : names)
        if (ImGui::Selectable(name.c_str(), name == state.scenario_path))
          start_load_file(state, name);
      if (names.empty()) {  // say why the list is empty (e.g. PGLAB_ASSETS names no directory)
        const std::string why = pg::asset_dir_problem();
        ImGui::TextDisabled("%s",
                            why.empty() ? "no scenarios in the asset directory" : why.c_str());
      }
      ImGui::EndCombo();
    }
    if (!state.scenario.description.empty() && ImGui::IsItemHovered())
      ImGui::SetTooltip("%s", state.scenario.description.c_str());
    ImGui::SameLine();
    if (ImGui::Button("«", ImVec2(fold_w, fold_w))) state.layout_ui.controls_folded = true;
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Fold the controls to a slim bar (C)");
    if (!name_fits) text_wrapped_at_spacesf("%s", current.c_str());
    if (!state.scenario_error.empty()) {
      ImGui::PushStyleColor(ImGuiCol_Text, IM_COL32(235, 110, 100, 255));
      text_wrapped_at_spacesf("%s", state.scenario_error.c_str());
      ImGui::PopStyleColor();
    }
    if (snap) {
      ImGui::Separator();
      draw_run_controls(state, *snap->session);
      ImGui::Separator();
      // The estimator toggles where the algorithm says REINFORCE's settings apply (AlgorithmInfo).
      const pg::Session& session = *snap->session;
      const pg::Session& then = shown ? *shown : session;
      if (&then != &session && travelling(state)) draw_travel_note(session, then);
      if (session.algorithm().info(session.scenario()).reinforce_settings) {
        if (ImGui::CollapsingHeader(
                fitting_label("Estimator (live)", "Estimator", header_arrow_width())
                    .append("###estimator")
                    .c_str(),
                ImGuiTreeNodeFlags_DefaultOpen))
          draw_toggles(state, session, then);
      } else if (ImGui::CollapsingHeader("Objective", ImGuiTreeNodeFlags_DefaultOpen)) {
        DrawObjective(then);
      }
      DrawLiveParams(state, session);
    }
    // A header's title is laid out at its whole width: "Scenario settings" reached 47 px past the
    // column at presenter scale 2.5 on 1280×720.
    if (ImGui::CollapsingHeader(fitting_label("Scenario settings", "Settings", header_arrow_width())
                                    .append("###scenario_settings")
                                    .c_str())) {
      if (ImGui::Button(state.edited_dirty ? "Apply & reset *" : "Apply & reset")) {
        start_load(state, state.edited, state.scenario_path, "applied the settings (reset)");
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
      text_wrapped_at_spacesf("%s", state.status.c_str());
    }
    ImGui::TextDisabled("Press ? for keys");
  }
  ImGui::End();
}

}  // namespace pglab::gui
