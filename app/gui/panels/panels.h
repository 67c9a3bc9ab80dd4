// The window's panels: the controls column, the lab area (tabs of views), the menu and the help
// overlay. Each is a function of explicit state (STYLE.md §8); `force` re-applies the layout
// rectangle (layout.h).
#pragma once

#include "gui/app_state.h"
#include "gui/layout.h"
#include "gui/settings.h"

namespace pg {
struct ParamSpec;  // io/params.h
}  // namespace pg

namespace pglab::gui {

class Window;
class EnvRenderer;

void DrawMainMenu(Window& window, AppState& state);
// `shown`: the session the views show (while time travelling, an earlier iteration of the run:
// the formula panel describes it, and a note says the controls set the live run).
void DrawControlsPanel(Window& window, AppState& state, const Snapshot* snap, const PanelRect& rect,
                       bool force, const pg::Session* shown = nullptr);
void DrawLabPanel(Window& window, AppState& state, const Snapshot* snap, EnvRenderer& env,
                  const PanelRect& rect, bool force);
void DrawHelpOverlay(AppState& state);
// The live hyperparameters (lr, batch size, entropy weight, clip ε, λ, optimizer): sliders applied
// on release between iterations, queued mid-iteration (panels/live_params.cpp).
void DrawLiveParams(AppState& state, const pg::Session& s);

// Issue 9, the classroom: the File menu's items (inside the main menu bar) and its popups (drawn
// at the top level each frame); the lesson panel, in a column that lesson_panel_rect() takes
// from the right of the lab area while a lesson (or a lesson's load error) is open.
void DrawFileMenu(AppState& state);
void DrawFilePopups(AppState& state);
bool lesson_panel_rect(const AppState& state, Layout* layout, PanelRect* out);
void DrawLessonPanel(AppState& state, const Snapshot* snap, const PanelRect& rect, bool force);

// One editor row of the Scenario settings for key `p` at `current`; true with the new value in
// *out when the user changed it (an integer within the key's range, 64 bits: the seed's is
// [0, 2⁵³ − 1]). A typed list or string may throw pg::InputError (parse_value_text).
bool edit_param(const pg::ParamSpec& p, const nlohmann::json& current, nlohmann::json* out);

// A formula as runs of text, each coloured by its role (return, baseline, weight); kNewLine
// breaks the line, kNote lines are greyed.
void DrawFormula(const pg::Formula& f);
// The session's algorithm: its title and objective (AlgorithmInfo::objective) and, where the
// REINFORCE settings apply, whether the setting is unbiased for ∇J.
void DrawObjective(const pg::Session& s);

// Colours shared by the formula and the views: the return term, the baseline term, ψ.
ImU32 color_return();
ImU32 color_baseline();
ImU32 color_psi();

}  // namespace pglab::gui
