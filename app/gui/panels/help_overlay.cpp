#include "gui/keys.h"
#include "gui/panels/panels.h"

namespace pglab::gui {

void DrawHelpOverlay(AppState& state) {
  if (!state.show_help) return;
  const ImGuiViewport* viewport = ImGui::GetMainViewport();
  const ImVec2 center(viewport->WorkPos.x + viewport->WorkSize.x * 0.5f,
                      viewport->WorkPos.y + viewport->WorkSize.y * 0.5f);
  ImGui::SetNextWindowPos(center, ImGuiCond_Always, ImVec2(0.5f, 0.5f));
  ImGui::SetNextWindowBgAlpha(0.96f);
  ImGui::SetNextWindowFocus();
  const ImGuiWindowFlags flags = ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoMove |
                                 ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings;
  if (ImGui::Begin("Keys", &state.show_help, flags)) {
    const float fs = ImGui::GetFontSize();
    if (ImGui::BeginTable("##keys", 2, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV)) {
      ImGui::TableSetupColumn("key", ImGuiTableColumnFlags_WidthFixed, fs * 6.0f);
      ImGui::TableSetupColumn("action", ImGuiTableColumnFlags_WidthFixed, fs * 24.0f);
      for (const Shortcut* s = shortcut_table(); s->keys != nullptr; ++s) {
        ImGui::TableNextRow();
        ImGui::TableSetColumnIndex(0);
        ImGui::TextUnformatted(s->keys);
        ImGui::TableSetColumnIndex(1);
        text_wrapped_at_spacesf("%s", s->action);  // long actions wrap in the fixed column
      }
      ImGui::EndTable();
    }
    ImGui::Spacing();
    // The views, from the one table (app_state.h): title and the name `pglab shot --view` takes.
    ImGui::TextDisabled(
        "Views (pglab shot --view NAME); views that do not apply to the algorithm are hidden:");
    if (ImGui::BeginTable("##views", 2, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV)) {
      ImGui::TableSetupColumn("name", ImGuiTableColumnFlags_WidthFixed, fs * 6.0f);
      ImGui::TableSetupColumn("title", ImGuiTableColumnFlags_WidthFixed, fs * 24.0f);
      for (int i = 0; i < view_count(); ++i) {
        const View v = static_cast<View>(i);
        ImGui::TableNextRow();
        ImGui::TableSetColumnIndex(0);
        ImGui::TextUnformatted(view_name(v));
        ImGui::TableSetColumnIndex(1);
        ImGui::TextUnformatted(view_title(v));
      }
      ImGui::EndTable();
    }
    ImGui::Spacing();
    ImGui::TextDisabled(
        "Plots: wheel zooms (Ctrl+wheel in a view that scrolls), drag pans, double-click fits,");
    ImGui::TextDisabled(
        "click a legend entry to hide it, right-click for the menu (copy data as CSV).");
  }
  ImGui::End();
}

}  // namespace pglab::gui
