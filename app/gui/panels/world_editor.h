// The world editor window (gridworlds painted by hand; issue 9). Its state is AppState::world_edit.
#pragma once

#include <string>

#include "gui/app_state.h"

namespace pglab::gui {

class Window;
class EnvRenderer;

// Draws the "World editor" window when state.world_edit.open (View → World editor); applies a
// pending state.world_edit.script first (pglab shot --edit).
void DrawWorldEditor(Window& window, AppState& state, const Snapshot* snap, EnvRenderer& env);
// Applies an edit script ("wall 2,3; pit 1,1; reward 0,2=-1; slip 0.1", pg::WorldEditor::
// apply_script) to the session's world as the window would; "" or the message of the first
// refused command (the commands before it stay applied).
std::string apply_world_script(AppState& state, const std::string& script);

}  // namespace pglab::gui
