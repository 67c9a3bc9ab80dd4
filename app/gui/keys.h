// Keyboard shortcuts of the lab, one table for the handler and the help overlay.
//   Space run/pause · S step · R reset · 1–6 granularity · F/Shift+F presenter scale · C controls ·
//   T theme · Ctrl+E export · ? (or F1) help · Esc close help
// Ignored while a text field has the keyboard.
#pragma once

#include <string>
#include <vector>

#include "gui/app_state.h"

namespace pglab::gui {

class Window;

struct Shortcut {
  const char* keys;
  const char* action;
};
// The rows the help overlay lists, in order; {nullptr, nullptr} terminated.
const Shortcut* shortcut_table();

// The granularity key k (1–6) chooses: the "step by" combo's order (DESIGN.md §2).
pg::Granularity granularity_of_key(int k);

void handle_shortcuts(Window& window, AppState& state);

// Actions shared by keys, menus and buttons.
void toggle_running(AppState& state);
void step_once(AppState& state);
void reset_session(AppState& state);
// A scenario's name as a file-name piece: letters, digits, '.', '_' and '-' (others become '-').
std::string file_piece(const std::string& name);
// Ctrl+E: the learning curves as CSV, the batch dump as JSON and the window as PNG, side by side
// in the working directory (pglab-export-<iteration>-<scenario>[-k]-*; never over an existing
// file).
void export_all(Window& window, AppState& state);
// The exports' naming: "pglab-export-<iteration>-<scenario>" then, when `what` is not empty,
// "-<what>" (both as file-name pieces), then "-k" with the smallest k ≥ 2 that makes none of
// base + suffix exist for every suffix ("" when the stem itself is free).
// `stem`, or stem + "-k" with the smallest k >= 2, such that no stem[-k] + suffix exists yet.
std::string free_base(const std::string& stem, const std::vector<std::string>& suffixes);
std::string free_export_base(const pg::Session& s, const std::string& what,
                             const std::vector<std::string>& suffixes);

}  // namespace pglab::gui
