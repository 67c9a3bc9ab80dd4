#include <cfloat>
#include <vector>

#include "gui/classroom.h"
#include "gui/panels/panels.h"
#include "gui/views/views.h"
#include "gui/window.h"

namespace pglab::gui {
namespace {

// A view title's button or tab width.
float tab_width(View v) {
  return ImGui::CalcTextSize(view_title(v)).x + ImGui::GetStyle().FramePadding.x * 2;
}

// The tab row when the titles do not fit on one line (a narrow window, presenter scale): tab-
// coloured buttons that wrap onto as many rows as they need, so no title is cut. Returns the view
// clicked, or `current`.
View wrapped_tabs(const std::vector<View>& shown, View current) {
  View picked = current;
  const ImGuiStyle& style = ImGui::GetStyle();
  ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing,
                      ImVec2(style.ItemInnerSpacing.x, style.ItemSpacing.y * 0.5f));
  for (size_t k = 0; k < shown.size(); ++k) {
    const View v = shown[k];
    const char* title = view_title(v);
    if (k > 0) same_line_if_fits(tab_width(v));
    const bool active = v == current;
    ImGui::PushStyleColor(ImGuiCol_Button,
                          ImGui::GetStyleColorVec4(active ? ImGuiCol_TabActive : ImGuiCol_Tab));
    ImGui::PushStyleColor(ImGuiCol_ButtonHovered, ImGui::GetStyleColorVec4(ImGuiCol_TabHovered));
    if (ImGui::Button(title)) picked = v;
    ImGui::PopStyleColor(2);
  }
  ImGui::PopStyleVar();
  ImGui::Separator();
  return picked;
}

// How many rows wrapped_tabs() takes at the current width.
int wrapped_rows(const std::vector<View>& shown) {
  const ImGuiStyle& style = ImGui::GetStyle();
  const float avail = ImGui::GetContentRegionAvail().x;
  int rows = 1;
  float x = 0.0f;
  for (View v : shown) {
    const float w = tab_width(v);
    if (x > 0.0f && x + style.ItemInnerSpacing.x + w > avail) ++rows, x = 0.0f;
    x += (x > 0.0f ? style.ItemInnerSpacing.x : 0.0f) + w;
  }
  return rows;
}

// The tab row as a menu, when even wrapped buttons would take more than two rows (a narrow lab at
// presenter scale, a lesson open beside it): one full-width combo naming the view on show.
View tab_menu(const std::vector<View>& shown, View current) {
  View picked = current;
  ImGui::SetNextItemWidth(-FLT_MIN);
  if (ImGui::BeginCombo("##view_menu", view_title(current))) {
    for (View v : shown)
      if (ImGui::Selectable(view_title(v), v == current)) picked = v;
    ImGui::EndCombo();
  }
  ImGui::Separator();
  return picked;
}

// Whether the titles fit in one ImGui tab bar without shrinking (which would cut them with "…").
bool tabs_fit(const std::vector<View>& shown) {
  const ImGuiStyle& style = ImGui::GetStyle();
  float w = 0.0f;
  for (View v : shown) w += tab_width(v) + style.ItemInnerSpacing.x;
  return w <= ImGui::GetContentRegionAvail().x;
}

// In place of a view while the lesson's prediction waits for Run: the view could give the answer
// away. The Overview (the world, J) stays open; a teacher can lift the veil.
void draw_veil(AppState& state) {
  const float fs = ImGui::GetFontSize();
  ImGui::Dummy(ImVec2(0, fs));
  ImGui::Indent(fs);
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetColorU32(ImGuiCol_PlotLinesHovered));
  text_wrapped_at_spaces("Prediction first");
  ImGui::PopStyleColor();
  text_wrapped_at_spaces(
      "The lesson asks for a prediction, and this view could give the answer away. Answer in the "
      "lesson panel and press Run ▶: the view opens with the step's result. The Overview stays "
      "open meanwhile.");
  ImGui::Spacing();
  if (ImGui::Button("Show the view now")) reveal_views(state);
  ImGui::Unindent(fs);
}

}  // namespace

void DrawLabPanel(Window& window, AppState& state, const Snapshot* snap, EnvRenderer& env,
                  const PanelRect& rect, bool force) {
  if (begin_panel("Lab", rect, force, ImGuiWindowFlags_NoTitleBar)) {
    if (!snap) {
      text_wrapped_at_spacesf("No scenario is running. Pick one in the controls.");
      if (!state.scenario_error.empty()) {
        ImGui::PushStyleColor(ImGuiCol_Text, IM_COL32(235, 110, 100, 255));
        text_wrapped_at_spacesf("%s", state.scenario_error.c_str());
        ImGui::PopStyleColor();
      }
    } else {
      // The views from the one table (app_state.h). A view that does not apply to this session's
      // algorithm is left out of the tabs; asked for by name (--view, the menu, the scenario) it
      // gets a tab that says in one sentence why, and which scenario shows it.
      const pg::Session& s = *snap->session;
      std::vector<View> shown;
      for (int i = 0; i < view_count(); ++i) {
        const View v = static_cast<View>(i);
        if (view_applies(v, s) || state.view == v) shown.push_back(v);
      }
      const bool wrap = !tabs_fit(shown);
      // Back from wrapped buttons, the tab bar still remembers its own last tab: select ours.
      if (!wrap && state.layout_ui.tabs_wrapped) state.view_requested = true;
      state.layout_ui.tabs_wrapped = wrap;
      if (!wrap) {
        if (ImGui::BeginTabBar("views")) {
          for (View v : shown) {
            ImGuiTabItemFlags flags = 0;
            if (state.view_requested && state.view == v) flags |= ImGuiTabItemFlags_SetSelected;
            if (ImGui::BeginTabItem(view_title(v), nullptr, flags)) {
              if (!state.view_requested) state.view = v;
              ImGui::EndTabItem();
            }
          }
          ImGui::EndTabBar();
        }
      } else {
        state.view =
            wrapped_rows(shown) > 2 ? tab_menu(shown, state.view) : wrapped_tabs(shown, state.view);
      }
      state.view_requested = false;
      const ViewSpec& spec = view_spec(state.view);
      ImGui::PushID(view_name(state.view));  // each view's widget IDs as they were inside its tab
      state.layout_ui.view_area = ImGui::GetContentRegionAvail();
      state.layout_ui.view_origin = ImGui::GetCursorScreenPos();
      if (state.view != View::Overview && views_veiled(state)) {
        draw_veil(state);
      } else if (view_applies(state.view, s)) {
        ViewContext ctx{window, state, *snap, env, window.theme()};
        // Plain text in a view wraps at the view's edge (or its table cell's) rather than running
        // past it in a narrow lab; a view that wants a line whole measures it first.
        ImGui::PushTextWrapPos(0.0f);
        spec.draw(ctx);
        ImGui::PopTextWrapPos();
      } else {
        text_wrapped_at_spaces(spec.elsewhere);
      }
      ImGui::PopID();
    }
  }
  ImGui::End();
}

}  // namespace pglab::gui
