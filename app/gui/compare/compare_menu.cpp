// The Compare menu: pin / unpin runs, run the scenario over N seeds, fork here with one setting.
#include <string>

#include "gui/compare/compare.h"
#include "util/text.h"

namespace pglab::gui {
namespace {

// "Fork here with": every estimator setting that differs from the current one in one key.
void fork_items(AppState& state, const pg::Session& s) {
  if (!s.algorithm().info(s.scenario()).reinforce_settings) {
    ImGui::MenuItem("(this algorithm has no estimator settings to fork on)", nullptr, false, false);
    return;
  }
  const pg::EstimatorConfig now = s.estimator();
  pg::EstimatorConfig c = now;
  c.returns = now.returns == pg::Returns::kTotal ? pg::Returns::kRewardToGo : pg::Returns::kTotal;
  if (ImGui::MenuItem(c.returns == pg::Returns::kTotal ? "returns: total"
                                                       : "returns: reward-to-go"))
    fork_current_run(state, c);
  if (ImGui::BeginMenu("baseline")) {
    for (pg::Baseline b : pg::all_baselines()) {
      if (b == now.baseline) continue;
      c = now;
      c.baseline = b;
      if (ImGui::MenuItem(pg::name_of(b))) fork_current_run(state, c);
    }
    ImGui::EndMenu();
  }
  c = now;
  c.normalize = !now.normalize;
  if (ImGui::MenuItem(c.normalize ? "normalize: on" : "normalize: off")) fork_current_run(state, c);
  c = now;
  c.discount_weighting = !now.discount_weighting;
  if (ImGui::MenuItem(c.discount_weighting ? "γᵗ weighting: on" : "γᵗ weighting: off", nullptr,
                      false, now.returns == pg::Returns::kRewardToGo))
    fork_current_run(state, c);
}

}  // namespace

void DrawCompareMenu(AppState& state) {
  if (!ImGui::BeginMenu("Compare")) return;
  const std::shared_ptr<const pg::Session> s =
      state.runner ? state.runner->snapshot().session : nullptr;
  CompareUi& c = state.compare;
  const int pins = static_cast<int>(c.pins.size());
  char text[160];
  std::snprintf(text, sizeof text, "Pin this run (%d of %d)", pins, CompareUi::kMaxPins);
  if (ImGui::MenuItem(text, nullptr, false, s && pins < CompareUi::kMaxPins))
    pin_current_run(state);
  if (ImGui::BeginMenu("Unpin", pins > 0)) {
    const pg::Scenario now = s ? s->scenario() : state.scenario;
    for (int k = 0; k < pins; ++k) {
      const std::string label =
          pin_label(c.pins[static_cast<size_t>(k)], now) + "##" + std::to_string(k);
      if (ImGui::MenuItem(label.c_str())) {
        unpin(state, k);
        break;
      }
    }
    ImGui::EndMenu();
  }
  if (ImGui::MenuItem("Clear pins", nullptr, false, pins > 0)) clear_pins(state);
  ImGui::Separator();

  const float fs = ImGui::GetFontSize();
  ImGui::SetNextItemWidth(fs * 8.0f);
  ImGui::SliderInt("seeds N", &c.seed_count, 2, 32);
  ImGui::SetNextItemWidth(fs * 8.0f);
  ImGui::InputInt("iterations (0: scenario's)", &c.seed_iterations, 10, 100);
  c.seed_iterations = std::clamp(c.seed_iterations, 0, 100000);
  const double progress = seeds_progress(state);
  if (progress >= 0.0) {
    ImGui::ProgressBar(static_cast<float>(progress), ImVec2(fs * 10.0f, 0));
    ImGui::SameLine();
    if (ImGui::SmallButton("Cancel")) cancel_seeds(state);
  } else {
    std::snprintf(
        text, sizeof text, "Run %d seeds (%llu–%llu): mean ± 1 s.e.", c.seed_count,
        s ? static_cast<unsigned long long>(s->scenario().seed) : 0ull,
        s ? static_cast<unsigned long long>(s->scenario().seed + c.seed_count - 1) : 0ull);
    if (ImGui::MenuItem(text, nullptr, false, s != nullptr)) start_seeds(state);
  }
  if (ImGui::MenuItem("Clear seed band", nullptr, false, has_seed_band(state))) clear_seeds(state);
  ImGui::Separator();

  if (ImGui::BeginMenu("Fork here with", s != nullptr)) {
    fork_items(state, *s);
    ImGui::EndMenu();
  }
  if (ImGui::MenuItem("Clear fork", nullptr, false, has_fork(state))) clear_fork(state);
  ImGui::EndMenu();
}

}  // namespace pglab::gui
