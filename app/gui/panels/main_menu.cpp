#include "gui/keys.h"
#include "gui/panels/panels.h"
#include "gui/window.h"
#include "io/session_file.h"
#include "util/input_file.h"

namespace pglab::gui {

void DrawMainMenu(Window& window, AppState& state) {
  if (!ImGui::BeginMainMenuBar()) return;
  if (ImGui::BeginMenu("Run")) {
    const bool running = state.runner && state.runner->running();
    if (ImGui::MenuItem(running ? "Pause" : "Run", "Space", false, state.runner != nullptr))
      toggle_running(state);
    if (ImGui::MenuItem("Step", "S", false, state.runner != nullptr)) step_once(state);
    if (ImGui::MenuItem("Reset", "R", false, state.runner != nullptr)) reset_session(state);
    ImGui::Separator();
    if (ImGui::MenuItem("Export curves, batch dump and window", "Ctrl+E", false,
                        state.runner != nullptr))
      export_all(window, state);
    // Session file (pglab.session/1) of the current snapshot; only between iterations.
    if (ImGui::MenuItem("Save session", nullptr, false, state.runner != nullptr)) {
      const std::shared_ptr<const pg::Session> s = state.runner->snapshot().session;
      std::string path = "pglab-session-" + std::to_string(s->iteration()) + ".json";
      for (int k = 2; pg::path_exists(path) && k < 1000; ++k)
        path =
            "pglab-session-" + std::to_string(s->iteration()) + "-" + std::to_string(k) + ".json";
      try {
        pg::save_session_file(*s, path, nlohmann::json{{"view", view_title(state.view)}});
        state.status = "saved " + path + " (pglab train --load " + path + " continues it)";
      } catch (const std::exception& e) {
        state.status = std::string("not saved: ") + e.what() +
                       (s->phase() != pg::Phase::kCollect || !s->batch_complete()
                            ? " (pause, then step by iteration)"
                            : "");
      }
    }
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("View")) {
    if (ImGui::MenuItem("Dark theme", "T", window.theme() == Theme::Dark)) {
      window.set_theme(Theme::Dark);
    }
    if (ImGui::MenuItem("Light theme", "T", window.theme() == Theme::Light)) {
      window.set_theme(Theme::Light);
    }
    ImGui::Separator();
    if (ImGui::MenuItem("Presenter mode", "F", window.presenter())) window.toggle_presenter();
    float scale = window.presenter_scale();
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 8.0f);
    if (ImGui::SliderFloat("Presenter scale", &scale, UiSettings::kMinPresenterScale,
                           UiSettings::kMaxPresenterScale, "%.2f×")) {
      window.set_presenter_scale(scale);
    }
    ImGui::Separator();
    if (ImGui::MenuItem("Reset layout")) state.reset_layout = true;
    if (ImGui::MenuItem("World editor", nullptr, state.world_edit.open))
      state.world_edit.open = !state.world_edit.open;
    ImGui::Separator();
    const Snapshot snap = state.runner ? state.runner->snapshot() : Snapshot{};
    for (int i = 0; i < view_count(); ++i) {
      const View v = static_cast<View>(i);
      // Views that do not apply to the session stay in the menu, greyed: opening one says why.
      const bool applies = !snap.session || view_applies(v, *snap.session);
      if (!applies)
        ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
      const bool picked = ImGui::MenuItem(view_title(v), nullptr, state.view == v);
      if (!applies) ImGui::PopStyleColor();
      if (picked) {
        state.view = v;
        state.view_requested = true;
      }
    }
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("Help")) {
    if (ImGui::MenuItem("Keys", "?", state.show_help)) state.show_help = !state.show_help;
    ImGui::EndMenu();
  }
  ImGui::EndMainMenuBar();
}

}  // namespace pglab::gui
