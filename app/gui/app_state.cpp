#include "gui/app_state.h"

#include "util/error.h"

namespace pglab::gui {

namespace {
constexpr const char* kViewNames[] = {"overview", "variance",  "baseline",   "inspector", "rollout",
                                      "clip",     "advantage", "importance", "grpo",
                                      "npg"};
constexpr const char* kViewTitles[] = {"Overview", "Gradient variance", "Baseline effects", "Step inspector",
                                       "Rollout",  "PPO clipping",      "Advantages",       "Importance sampling",
                                       "GRPO groups",       "Natural gradient"};
}  // namespace

const char* view_name(View v) { return kViewNames[static_cast<int>(v)]; }
const char* view_title(View v) { return kViewTitles[static_cast<int>(v)]; }

bool view_from_name(const std::string& name, View* out) {
  for (int i = 0; i < static_cast<int>(View::Count); ++i)
    if (name == kViewNames[i]) {
      *out = static_cast<View>(i);
      return true;
    }
  return false;
}

bool load_into(AppState& state, const pg::Scenario& scenario, const std::string& path) {
  try {
    auto runner = std::make_unique<SessionRunner>(scenario);
    runner->set_speed(state.unlimited_speed ? 0.0 : state.slow_steps_per_second);
    state.runner = std::move(runner);
    state.scenario = scenario;
    state.edited = scenario;
    state.edited_dirty = false;
    state.scenario_path = path;
    state.scenario_error.clear();
    state.views = ViewStates{};
    if (!scenario.views.empty()) {
      View v;
      if (view_from_name(scenario.views.front(), &v)) {
        state.view = v;
        state.view_requested = true;
      }
    }
    state.status = "loaded " + (scenario.name.empty() ? path : scenario.name);
    return true;
  } catch (const pg::InputError& e) {
    state.scenario_error = e.what();
    return false;
  }
}

bool load_file_into(AppState& state, const std::string& path_or_name) {
  try {
    const pg::Scenario s = path_or_name.empty() ? pg::load_scenario("gridworld-reinforce")
                                                : pg::load_scenario(path_or_name);
    return load_into(state, s, path_or_name);
  } catch (const pg::InputError& e) {
    state.scenario_error = e.what();
    return false;
  }
}

}  // namespace pglab::gui
