// The Compare menu: pin / unpin runs, run the scenario over N seeds, fork here with one setting
// (an estimator setting, a live hyperparameter or the seed).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "gui/classroom.h"
#include "gui/compare/compare.h"
#include "io/params.h"
#include "session/live_params.h"
#include "util/text.h"

namespace pglab::gui {
namespace {

// Whether a fork may change `key`: a key the lesson's step hides has no item, one it locks a
// greyed item saying so (a lock holds for the fork as for the controls).
bool fork_hidden(const AppState& state, const char* key) {
  return control_hidden(state, key);
}
bool fork_enabled(const AppState& state, const char* key) {
  return !control_locked(state, key);
}
void locked_tooltip(const AppState& state, const char* key) {
  if (control_locked(state, key) && ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
    ImGui::SetTooltip("%s is locked by this lesson step", key);
}

// "Fork here with" › estimator: every estimator setting that differs from the current one in one
// key (and that the lesson's step neither hides nor locks).
void estimator_items(AppState& state, const pg::Session& s) {
  const pg::EstimatorConfig now = s.estimator();
  pg::EstimatorConfig c = now;
  c.returns = now.returns == pg::Returns::kTotal ? pg::Returns::kRewardToGo : pg::Returns::kTotal;
  if (!fork_hidden(state, "estimator.returns")) {
    if (ImGui::MenuItem((std::string("returns: ") + pg::name_of(c.returns)).c_str(), nullptr, false,
                        fork_enabled(state, "estimator.returns")))
      fork_run(state, s, c);
    locked_tooltip(state, "estimator.returns");
  }
  if (!fork_hidden(state, "estimator.baseline")) {
    const bool open = ImGui::BeginMenu("baseline", fork_enabled(state, "estimator.baseline"));
    locked_tooltip(state, "estimator.baseline");
    if (open) {
      for (pg::Baseline b : pg::all_baselines()) {
        if (b == now.baseline) continue;
        c = now;
        c.baseline = b;
        if (ImGui::MenuItem(pg::name_of(b))) fork_run(state, s, c);
      }
      ImGui::EndMenu();
    }
  }
  c = now;
  c.normalize = !now.normalize;
  if (!fork_hidden(state, "estimator.normalize")) {
    if (ImGui::MenuItem(c.normalize ? "normalize: on" : "normalize: off", nullptr, false,
                        fork_enabled(state, "estimator.normalize")))
      fork_run(state, s, c);
    locked_tooltip(state, "estimator.normalize");
  }
  c = now;
  c.discount_weighting = !now.discount_weighting;
  if (!fork_hidden(state, "estimator.discount_weighting")) {
    if (ImGui::MenuItem(c.discount_weighting ? "γᵗ weighting: on" : "γᵗ weighting: off", nullptr,
                        false,
                        now.returns == pg::Returns::kRewardToGo &&
                            fork_enabled(state, "estimator.discount_weighting")))
      fork_run(state, s, c);
    locked_tooltip(state, "estimator.discount_weighting");
  }
}

std::string number_text(double v) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

// Values a menu offers for a numeric setting: a few multiples of the current one, kept inside the
// key table's range (an integer key rounds them; duplicates and the current value are left out).
std::vector<double> suggestions(const pg::ParamSpec& p, double now) {
  std::vector<double> out;
  const bool unit = p.max <= 1.0;  // λ, ε-like settings in [0, 1]
  const std::vector<double> raw =
      unit ? std::vector<double>{0.0, 0.1, 0.2, 0.5, 0.9, 0.95, 0.99, 1.0}
           : std::vector<double>{now / 10.0, now / 2.0, now * 2.0, now * 10.0};
  for (double v : raw) {
    if (p.type == pg::ParamType::kInt) v = std::round(v);
    const bool low = p.min_exclusive ? !(v > p.min) : !(v >= p.min);
    if (low || v > p.max || v == now) continue;
    if (std::find(out.begin(), out.end(), v) == out.end()) out.push_back(v);
  }
  if (now == 0.0 && !unit)  // multiples of 0 are 0: offer small weights instead (entropy)
    for (double v : {0.001, 0.01, 0.1})
      if (v <= p.max) out.push_back(v);
  return out;
}

nlohmann::json typed(const pg::ParamSpec& p, double v) {
  return p.type == pg::ParamType::kInt ? nlohmann::json(static_cast<long>(std::lround(v)))
                                       : nlohmann::json(v);
}

// One live hyperparameter's submenu: a few values, or any value typed in.
void live_key_menu(AppState& state, const pg::Session& s, const pg::LiveKey& k) {
  const pg::ParamSpec* p = pg::find_param(k.key);
  if (!p) return;
  const nlohmann::json now = pg::resolved_value(s.scenario(), k.key);
  const std::string shown = now.is_string() ? now.get<std::string>()
                                            : number_text(now.is_number() ? now.get<double>() : 0);
  const std::string title = std::string(k.symbol) + " (" + k.key + " = " + shown + ")";
  const bool open = ImGui::BeginMenu(title.c_str(), fork_enabled(state, k.key));
  locked_tooltip(state, k.key);
  if (!open) return;
  if (p->type == pg::ParamType::kEnum) {  // the optimizer: every other name of its table
    for (const std::string& name : p->allowed)
      if (name != shown && ImGui::MenuItem(name.c_str()))
        fork_run(state, s, k.key, nlohmann::json(name));
    ImGui::EndMenu();
    return;
  }
  const double v = now.get<double>();
  for (double x : suggestions(*p, v))
    if (ImGui::MenuItem((std::string(k.symbol) + " = " + number_text(x)).c_str()))
      fork_run(state, s, k.key, typed(*p, x));
  CompareUi& c = state.compare;
  if (c.fork_value_key != k.key) {
    c.fork_value_key = k.key;
    c.fork_value = v;
  }
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 7.0f);
  ImGui::InputDouble("##value", &c.fork_value, 0.0, 0.0, "%.6g");
  ImGui::SameLine();
  if (ImGui::Button("Fork")) {
    fork_run(state, s, k.key, typed(*p, c.fork_value));
    ImGui::CloseCurrentPopup();
  }
  ImGui::EndMenu();
}

void seed_menu(AppState& state, const pg::Session& s) {
  const uint64_t now = s.scenario().seed;
  if (fork_hidden(state, "seed")) return;
  const bool open = ImGui::BeginMenu(("seed (now " + std::to_string(now) + ")").c_str(),
                                     fork_enabled(state, "seed"));
  locked_tooltip(state, "seed");
  if (!open) return;
  for (uint64_t d = 1; d <= 3; ++d)
    if (ImGui::MenuItem(("seed " + std::to_string(now + d)).c_str()))
      fork_run(state, s, "seed", nlohmann::json(now + d));
  CompareUi& c = state.compare;
  if (c.fork_seed < 0) c.fork_seed = static_cast<long long>(now + 1);
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 7.0f);
  ImGui::InputScalar("##seed", ImGuiDataType_S64, &c.fork_seed);
  c.fork_seed = std::max(0LL, c.fork_seed);
  ImGui::SameLine();
  if (ImGui::Button("Fork")) {
    fork_run(state, s, "seed", nlohmann::json(static_cast<uint64_t>(c.fork_seed)));
    ImGui::CloseCurrentPopup();
  }
  ImGui::EndMenu();
}

}  // namespace

// "Fork here with": one setting changed — an estimator setting (where they apply), any live
// hyperparameter this algorithm and collection mode take (session/live_params.h), or the seed.
void DrawForkItems(AppState& state, const pg::Session& s) {
  const pg::AlgorithmInfo info = s.algorithm().info(s.scenario());
  if (info.reinforce_settings && ImGui::BeginMenu("estimator")) {
    estimator_items(state, s);
    ImGui::EndMenu();
  }
  for (const pg::LiveKey& k : pg::live_keys()) {
    if (k.estimator || !pg::live_key_problem(s.scenario(), info, k.key).empty() ||
        fork_hidden(state, k.key))
      continue;
    ImGui::PushID(k.key);
    live_key_menu(state, s, k);
    ImGui::PopID();
  }
  seed_menu(state, s);
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
  ImGui::SliderInt("seeds N", &c.seed_count, pg::kMinCompareSeeds, pg::kMaxCompareSeeds);
  ImGui::SetNextItemWidth(fs * 8.0f);
  ImGui::InputInt("iterations (0: scenario's)", &c.seed_iterations, 10, 100);
  c.seed_iterations = std::clamp(c.seed_iterations, 0, pg::kMaxCompareSeedIterations);
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
