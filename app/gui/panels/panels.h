// Placeholder panels of the first window layout. Each is a function of explicit state
// (STYLE.md §8); they become the real panels (DrawXxxPanel(AppState&, const Snapshot&)) once
// core/session exists. `force` re-applies the layout rectangle (layout.h).
#pragma once

#include "gui/app_state.h"
#include "gui/layout.h"
#include "gui/settings.h"

namespace pglab::gui {

class Window;
class DemoViews;

void DrawMainMenu(Window& window, AppState& state);
void DrawControlsPanel(Window& window, AppState& state, const PanelRect& rect, bool force);
void DrawViewPanel(AppState& state, DemoViews& views, Theme theme, double time,
                   const PanelRect& rect, bool force);
void DrawGradientPanel(AppState& state, const PanelRect& rect, bool force);
void DrawCurvesPanel(AppState& state, const PanelRect& rect, bool force);
void DrawReturnsPanel(AppState& state, const PanelRect& rect, bool force);
void DrawHelpOverlay(AppState& state);

}  // namespace pglab::gui
