// The window's panels: the controls column, the lab area (tabs of views), the menu and the help
// overlay. Each is a function of explicit state (STYLE.md §8); `force` re-applies the layout
// rectangle (layout.h).
#pragma once

#include "gui/app_state.h"
#include "gui/layout.h"
#include "gui/settings.h"

namespace pglab::gui {

class Window;
class EnvRenderer;

void DrawMainMenu(Window& window, AppState& state);
void DrawControlsPanel(Window& window, AppState& state, const Snapshot* snap, const PanelRect& rect,
                       bool force);
void DrawLabPanel(Window& window, AppState& state, const Snapshot* snap, EnvRenderer& env,
                  const PanelRect& rect, bool force);
void DrawHelpOverlay(AppState& state);
// The live hyperparameters (lr, batch size, entropy weight, clip ε, λ, optimizer): sliders applied
// on release between iterations, queued mid-iteration (panels/live_params.cpp).
void DrawLiveParams(AppState& state, const pg::Session& s);

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
