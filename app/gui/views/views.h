// The lab's views, one file each, drawn inside the main area's tab of the same name.
#pragma once

#include "gui/app_state.h"
#include "gui/views/env_renderer.h"
#include "lab/meter.h"

namespace pglab::gui {

class Window;

struct ViewContext {
  Window& window;
  AppState& state;
  const Snapshot& snap;  // snap.session is non-null
  EnvRenderer& env;
  Theme theme;
};

void DrawOverviewView(ViewContext& ctx);
void DrawVarianceView(ViewContext& ctx);
void DrawBaselineView(ViewContext& ctx);
void DrawInspectorView(ViewContext& ctx);
// The step the inspector opens on before anyone chose one: the middle of the first trajectory of
// the batch on show (the causality strip then has a past), 0 without a batch.
int inspector_default_step(const pg::Session& s);
void DrawRolloutView(ViewContext& ctx);
void DrawClipView(ViewContext& ctx);
void DrawAdvantageView(ViewContext& ctx);
void DrawImportanceView(ViewContext& ctx);
void DrawGrpoView(ViewContext& ctx);
void DrawNpgView(ViewContext& ctx);
void DrawLandscapeView(ViewContext& ctx);
void DrawSurrogateView(ViewContext& ctx);
void DrawMeterView(ViewContext& ctx);
// The meter's six panels in the order drawn: those whose badge fires (signal[i]: panel i's
// pg::DeadSignal, -1 for none) first, so the evidence for a red badge is on screen, then the
// rest, each group in the panels' own order.
std::vector<int> meter_panel_order(const std::vector<pg::Badge>& fired, const int signal[6]);
void DrawReplayView(ViewContext& ctx);

}  // namespace pglab::gui
