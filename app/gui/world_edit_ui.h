// The world editor's UI state (AppState::world_edit): painting gridworlds by hand (issue 9).
// The world itself and its undo/redo history live in pg::WorldEditor (core); this holds what the
// window needs between frames.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "env/world_edit.h"
#include "session/session.h"

namespace pglab::gui {

struct WorldEditUi {
  bool open = false;                      // the "World editor" window is shown
  int tool = 0;                           // index into pg::kPaintTools; kRewardTool: rewards
  static constexpr int kRewardTool = 5;   // (one past the paint tools)
  std::optional<pg::WorldEditor> editor;  // the world as painted, with its undo/redo
  const void* synced_runner = nullptr;    // the runner the editor started from
  bool painting = false;                  // a left-button drag is painting
  int last_row = -1, last_col = -1;       // the cell the drag painted last
  int reward_row = -1, reward_col = -1;   // the cell whose reward popup is open
  double reward_value = 0.0;
  bool open_reward_popup = false;
  std::string message;  // the last refusal (red) or what was done
  bool message_is_error = false;
  std::shared_ptr<const pg::Session> preview;  // a pending edit, as it will be (preview_world)
  pg::GridWorldSpec preview_world;
  std::string script;  // pglab shot --edit: applied on the first frame that has a session
  float placed_font_size = 0.0f;  // the font size the window was placed for
};

}  // namespace pglab::gui
