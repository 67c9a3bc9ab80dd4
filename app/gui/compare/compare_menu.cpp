// The Compare menu: pin / unpin runs, run the scenario over N seeds, fork here with one setting.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "gui/compare/compare.h"
#include "session/live_params.h"
#include "util/text.h"

namespace pglab::gui {
namespace {

// A menu item forking `from` with key = value.
void fork_item(AppState& state, const pg::Session& from, const char* label, const char* key,
               const nlohmann::json& value, bool enabled = true) {
  if (ImGui::MenuItem(label, nullptr, false, enabled)) fork_run(state, from, key, value);
}

// "lr 0.1 → 0.05": a number as the history marks write it (6 significant digits).
std::string number_text(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

}  // namespace

void DrawForkItems(AppState& state, const pg::Session& s) {
  const pg::AlgorithmInfo info = s.algorithm().info(s.scenario());
  if (info.reinforce_settings) {
    const pg::EstimatorConfig now = s.estimator();
    const bool total = now.returns == pg::Returns::kTotal;
    fork_item(state, s, total ? "returns: reward-to-go" : "returns: total", "estimator.returns",
              total ? "reward-to-go" : "total");
    if (ImGui::BeginMenu("baseline")) {
      for (pg::Baseline b : pg::all_baselines())
        if (b != now.baseline)
          fork_item(state, s, pg::name_of(b), "estimator.baseline", pg::name_of(b));
      ImGui::EndMenu();
    }
    fork_item(state, s, now.normalize ? "normalize: off" : "normalize: on", "estimator.normalize",
              !now.normalize);
    fork_item(state, s, now.discount_weighting ? "γᵗ weighting: off" : "γᵗ weighting: on",
              "estimator.discount_weighting", !now.discount_weighting,
              now.returns == pg::Returns::kRewardToGo);
    ImGui::Separator();
  }
  // The live hyperparameters that apply to this algorithm: halved and doubled (a value the key
  // refuses says so in the status line), the other optimizer. Only between iterations.
  const bool boundary = s.at_iteration_boundary();
  if (!boundary)
    ImGui::MenuItem("(hyperparameters: between iterations only)", nullptr, false, false);
  for (const pg::LiveKey& k : pg::live_keys()) {
    if (k.estimator || !pg::live_key_problem(s.scenario(), info, k.key).empty()) continue;
    const nlohmann::json v = pg::resolved_value(s.scenario(), k.key);
    if (v.is_string()) {
      const std::string other = v.get<std::string>() == "adam" ? "sgd" : "adam";
      const std::string label = std::string(k.symbol) + ": " + v.get<std::string>() + " → " + other;
      fork_item(state, s, label.c_str(), k.key, other, boundary);
    } else if (v.is_number()) {
      for (double f : {0.5, 2.0}) {
        nlohmann::json next =
            v.is_number_integer()
                ? nlohmann::json(std::max<long>(1, std::lround(v.get<double>() * f)))
                : nlohmann::json(v.get<double>() * f);
        if (next == v) continue;
        const std::string label = std::string(k.symbol) + " " + number_text(v.get<double>()) +
                                  " → " + number_text(next.get<double>()) + "##" + k.key +
                                  (f < 1 ? "-half" : "-double");
        fork_item(state, s, label.c_str(), k.key, next, boundary);
      }
    }
  }
}

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
    DrawForkItems(state, *s);
    ImGui::EndMenu();
  }
  if (ImGui::MenuItem("Clear fork", nullptr, false, has_fork(state))) clear_fork(state);
  ImGui::EndMenu();
}

}  // namespace pglab::gui
