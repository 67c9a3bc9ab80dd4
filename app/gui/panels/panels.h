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
void DrawControlsPanel(Window& window, AppState& state, const Snapshot* snap, const PanelRect& rect, bool force);
void DrawLabPanel(Window& window, AppState& state, const Snapshot* snap, EnvRenderer& env, const PanelRect& rect,
                  bool force);
void DrawHelpOverlay(AppState& state);

// The estimator as a formula that follows the toggles, its terms coloured like the plots that
// show them (ψ, the return term, the baseline term).
void DrawEstimatorFormula(const pg::EstimatorConfig& c, double gamma);
// The objective of an algorithm other than REINFORCE (A2C, PPO, GRPO), as its code computes it.
void DrawAlgorithmFormula(const pg::Scenario& s);
// Whether the algorithm's gradient is REINFORCE's estimator (so the estimator toggles apply).
bool uses_reinforce_estimator(const std::string& algorithm);

// Colours shared by the formula and the views: the return term, the baseline term, ψ.
ImU32 color_return();
ImU32 color_baseline();
ImU32 color_psi();

}  // namespace pglab::gui
