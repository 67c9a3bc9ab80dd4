// The world editor: a window that paints the gridworld by hand (issue 9, item 4). Tools (buttons
// and keys W E A G X V) paint walls, floor, start, goal and pit cells by click or drag on the
// picture, right-click (or the reward tool) sets a cell's own reward; sliders set slip and γ;
// Ctrl+Z / Ctrl+Y undo and redo; "Save map" writes the assets/maps format. Every edit goes to
// the session at once (Session::set_world): between iterations it takes effect immediately and
// the exact V^π, J, ∇J on the picture follow; mid-iteration it waits for the boundary and the
// window shows the edited world as it will be (Session::preview_world) and says so.
#include "gui/panels/world_editor.h"

// GLFW for its key codes only: no GL header from it (env_draw.h brings epoxy's).
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "env/gridworld.h"
#include "gui/theme.h"
#include "gui/views/env_draw.h"
#include "gui/views/env_renderer.h"
#include "gui/window.h"
#include "io/atomic_file.h"
#include "util/error.h"
#include "util/input_file.h"
#include "util/text.h"

namespace pglab::gui {
namespace {

constexpr const char* kToolKeys[] = {"W", "E", "A", "G", "X", "V"};
constexpr int kToolGlfwKeys[] = {GLFW_KEY_W, GLFW_KEY_E, GLFW_KEY_A,
                                 GLFW_KEY_G, GLFW_KEY_X, GLFW_KEY_V};
constexpr int kSlotWorldEditor = 9;  // the editor's own framebuffer in the EnvRenderer

const char* tool_title(int tool) {
  static constexpr const char* kTitles[] = {"Wall", "Floor", "Start", "Goal", "Pit", "Reward"};
  return kTitles[tool];
}

void say(WorldEditUi& ui, const std::string& text, bool error) {
  ui.message = pg::printable(text, kMaxShownError);
  ui.message_is_error = error;
}

// Keeps the scenario the controls hold (and "Apply & reset" rebuilds from) on the edited world.
void keep_in_scenario(pg::Scenario& sc, const pg::GridWorldSpec& w) {
  if (sc.env.kind != pg::EnvKind::kGridworld) return;
  try {
    pg::Scenario next = sc;
    pg::set_values(next, {{"env.slip", w.slip}, {"env.gamma", w.gamma}});
    next.env.map_text = pg::serialize_grid_map(w.map);
    sc = std::move(next);
  } catch (const pg::InputError&) {
    // The session accepted the world; a combination the controls' copy refuses stays as it was.
  }
}

// Sends the editor's world to the session. A world the session refuses is taken back.
// Returns the session's refusal ("" when it took the world): the edit is taken back then.
std::string send(AppState& state, WorldEditUi& ui) {
  if (!state.runner || !ui.editor) return "";
  const pg::GridWorldSpec& w = ui.editor->world();
  try {
    const bool now = state.runner->set_world(w);
    keep_in_scenario(state.scenario, w);
    keep_in_scenario(state.edited, w);
    if (!ui.message_is_error || now) ui.message.clear();
    return "";
  } catch (const pg::InputError& e) {
    ui.editor->take_back();
    say(ui, e.problem(), true);
    return e.problem();
  }
}

// One edit's result: refused edits say why; accepted ones go to the session.
void edited(AppState& state, WorldEditUi& ui, const std::string& why) {
  if (!why.empty()) {
    say(ui, why, true);
    return;
  }
  ui.message_is_error = false;
  send(state, ui);
}

void undo_redo(AppState& state, WorldEditUi& ui, bool redo) {
  if (!ui.editor) return;
  if (redo ? ui.editor->redo() : ui.editor->undo()) {
    ui.message_is_error = false;
    send(state, ui);
  }
}

// The default reward of a cell's kind, from the session's scenario.
double kind_reward(const pg::Scenario& sc, char cell) {
  return cell == 'G' ? sc.env.goal_reward : cell == 'X' ? sc.env.pit_reward : sc.env.step_reward;
}

void open_reward_popup(WorldEditUi& ui, const pg::Scenario& sc, int r, int c) {
  const pg::GridMap& m = ui.editor->world().map;
  if (m.at(r, c) == '#') {
    say(ui, "a wall is never entered, so it has no reward", true);
    return;
  }
  ui.reward_row = r;
  ui.reward_col = c;
  const pg::CellReward* own = m.reward_at(r, c);
  ui.reward_value = own ? own->reward : kind_reward(sc, m.at(r, c));
  ui.open_reward_popup = true;
}

void draw_reward_popup(AppState& state, WorldEditUi& ui, const pg::Scenario& sc) {
  if (ui.open_reward_popup) {
    ImGui::OpenPopup("cell reward");
    ui.open_reward_popup = false;
  }
  if (!ImGui::BeginPopup("cell reward")) return;
  const pg::GridMap& m = ui.editor->world().map;
  const int r = ui.reward_row, c = ui.reward_col;
  if (r < 0 || r >= m.rows || c < 0 || c >= m.cols || m.at(r, c) == '#') {
    ImGui::CloseCurrentPopup();
    ImGui::EndPopup();
    return;
  }
  const char kind = m.at(r, c);
  ImGui::Text("Cell row %d, column %d ('%c')", r, c, kind);
  ImGui::TextDisabled("reward of a step that enters it; default for '%c': %g", kind,
                      kind_reward(sc, kind));
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 8.0f);
  if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
  // The value follows the typing; Enter (which ends the edit) or Set applies it.
  ImGui::InputDouble("reward", &ui.reward_value, 0.1, 1.0, "%.6g");
  const bool enter = ImGui::IsItemDeactivated() && (ImGui::IsKeyPressed(GLFW_KEY_ENTER, false) ||
                                                    ImGui::IsKeyPressed(GLFW_KEY_KP_ENTER, false));
  if (ImGui::Button("Set") || enter) {
    edited(state, ui, ui.editor->set_reward(r, c, ui.reward_value));
    ImGui::CloseCurrentPopup();
  }
  ImGui::SameLine();
  if (ImGui::Button("Default")) {
    edited(state, ui, ui.editor->set_reward(r, c, std::nullopt));
    ImGui::CloseCurrentPopup();
  }
  ImGui::SameLine();
  if (ImGui::Button("Cancel")) ImGui::CloseCurrentPopup();
  ImGui::EndPopup();
}

// W E A G X V pick a tool; Ctrl+Z undoes, Ctrl+Y (or Ctrl+Shift+Z) redoes.
void handle_keys(AppState& state, WorldEditUi& ui) {
  const ImGuiIO& io = ImGui::GetIO();
  if (io.WantTextInput) return;
  if (io.KeyCtrl) {
    if (ImGui::IsKeyPressed(GLFW_KEY_Z, true)) undo_redo(state, ui, io.KeyShift);
    if (ImGui::IsKeyPressed(GLFW_KEY_Y, true)) undo_redo(state, ui, true);
    return;
  }
  for (int k = 0; k <= WorldEditUi::kRewardTool; ++k)
    if (ImGui::IsKeyPressed(kToolGlfwKeys[k], false)) ui.tool = k;
}

void draw_palette(WorldEditUi& ui) {
  const float fs = ImGui::GetFontSize();
  for (int k = 0; k <= WorldEditUi::kRewardTool; ++k) {
    char label[48];
    std::snprintf(label, sizeof label, "%s %s", tool_title(k), kToolKeys[k]);
    const float w = ImGui::CalcTextSize(label).x + ImGui::GetStyle().FramePadding.x * 2;
    if (k > 0) {
      // Wrap the palette when the window is narrow (presenter scale, small screens).
      const float x = ImGui::GetItemRectMax().x + ImGui::GetStyle().ItemSpacing.x;
      if (x + w < ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x) ImGui::SameLine();
    }
    const bool on = ui.tool == k;
    if (on) ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(ImGuiCol_ButtonActive));
    if (ImGui::Button(label)) ui.tool = k;
    if (on) ImGui::PopStyleColor();
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip(k == WorldEditUi::kRewardTool
                            ? "Click a cell to set its own reward (right-click does it with any "
                              "tool)"
                            : "Click or drag on the picture to paint %s cells",
                        tool_title(k));
  }
  (void)fs;
}

// Slip and γ: one undo step per drag of a slider; the session follows while it moves.
void draw_sliders(AppState& state, WorldEditUi& ui) {
  const float fs = ImGui::GetFontSize();
  const pg::GridWorldSpec& w = ui.editor->world();
  double slip = w.slip, gamma = w.gamma;
  ImGui::SetNextItemWidth(fs * 10.0f);
  const bool slip_changed = slider_decimal("slip", &slip, 0.0, 1.0, 3);
  if (ImGui::IsItemActivated()) ui.editor->begin_stroke();
  if (slip_changed) edited(state, ui, ui.editor->set_slip(slip));
  if (ImGui::IsItemDeactivated()) ui.editor->end_stroke();
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("Probability that a move goes to a perpendicular direction (half each)");
  ImGui::SetNextItemWidth(fs * 10.0f);
  const bool gamma_changed = slider_decimal("γ", &gamma, 0.0, 1.0, 3);
  if (ImGui::IsItemActivated()) ui.editor->begin_stroke();
  if (gamma_changed) edited(state, ui, ui.editor->set_gamma(gamma));
  if (ImGui::IsItemDeactivated()) ui.editor->end_stroke();
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Discount factor γ of J and V^π");
}

// Mouse on the picture: left click or drag paints with the tool, right click sets a reward.
void handle_mouse(AppState& state, WorldEditUi& ui, const pg::Scenario& sc, const EnvPick& pick) {
  const pg::GridMap& m = ui.editor->world().map;
  if (pick.cell <= 0.0f) return;
  const ImVec2 after = ImGui::GetCursorScreenPos();
  ImGui::SetCursorScreenPos(pick.grid_min);
  ImGui::InvisibleButton("##paint", ImVec2(pick.cell * m.cols, pick.cell * m.rows),
                         ImGuiButtonFlags_MouseButtonLeft | ImGuiButtonFlags_MouseButtonRight);
  const bool hovered = ImGui::IsItemHovered(), active = ImGui::IsItemActive();
  ImGui::SetCursorScreenPos(after);
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  const int c = static_cast<int>(std::floor((mouse.x - pick.grid_min.x) / pick.cell));
  const int r = static_cast<int>(std::floor((mouse.y - pick.grid_min.y) / pick.cell));
  const bool inside = r >= 0 && r < m.rows && c >= 0 && c < m.cols;
  if (inside && hovered) {
    // The cell under the mouse, outlined in the tool's sense.
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 p0(pick.grid_min.x + c * pick.cell, pick.grid_min.y + r * pick.cell);
    dl->AddRect(p0, ImVec2(p0.x + pick.cell, p0.y + pick.cell), IM_COL32(255, 210, 60, 255), 0.0f,
                0, std::max(2.0f, pick.cell * 0.05f));
  }
  if (hovered && ImGui::IsMouseClicked(ImGuiMouseButton_Right) && inside) {
    open_reward_popup(ui, sc, r, c);
    return;
  }
  if (ui.tool == WorldEditUi::kRewardTool) {
    if (hovered && ImGui::IsMouseClicked(ImGuiMouseButton_Left) && inside)
      open_reward_popup(ui, sc, r, c);
    return;
  }
  if (active && ImGui::IsMouseClicked(ImGuiMouseButton_Left)) {
    ui.editor->begin_stroke();
    ui.painting = true;
    ui.last_row = ui.last_col = -1;
  }
  if (ui.painting && active && inside && (r != ui.last_row || c != ui.last_col)) {
    ui.last_row = r;
    ui.last_col = c;
    if (m.at(r, c) != pg::kPaintTools[ui.tool].cell)
      edited(state, ui, ui.editor->paint(r, c, pg::kPaintTools[ui.tool].cell));
  }
  if (ui.painting && !ImGui::IsMouseDown(ImGuiMouseButton_Left)) {
    ui.painting = false;
    ui.editor->end_stroke();
  }
}

// Cells with their own reward carry it as a small label (the picture shows kinds, not rewards).
void draw_reward_labels(const pg::GridMap& m, const EnvPick& pick) {
  if (pick.cell <= 0.0f) return;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float fs = ImGui::GetFontSize();
  const float scale = std::clamp(pick.cell / (fs * 2.6f), 0.55f, 0.9f);
  for (const pg::CellReward& cr : m.rewards) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "r=%.3g", cr.reward);
    const ImVec2 ts = ImGui::CalcTextSize(buf);
    const ImVec2 p(pick.grid_min.x + (cr.col + 1) * pick.cell - ts.x * scale - pick.cell * 0.05f,
                   pick.grid_min.y + cr.row * pick.cell + pick.cell * 0.04f);
    dl->AddRectFilled(ImVec2(p.x - 2, p.y), ImVec2(p.x + ts.x * scale + 2, p.y + ts.y * scale),
                      IM_COL32(0, 0, 0, 170), 3.0f);
    dl->AddText(ImGui::GetFont(), fs * scale, p, cr.reward >= 0 ? kColorPositive : kColorNegative,
                buf);
  }
}

void save_map(WorldEditUi& ui, const pg::Scenario& sc) {
  // A new file each time (never replacing one): edited-<map>[-k].txt in the working folder, <map>
  // the file name env.map gives (a shipped name or a path).
  std::string map = sc.env.map.substr(sc.env.map.find_last_of('/') + 1);
  if (map.size() > 4 && map.compare(map.size() - 4, 4, ".txt") == 0) map.resize(map.size() - 4);
  std::string stem = "edited-";
  for (char ch : map.substr(0, 40)) {
    const bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                    (ch >= '0' && ch <= '9') || ch == '-' || ch == '_';
    stem += ok ? ch : '-';
  }
  std::string path = stem + ".txt";
  for (int k = 2; pg::path_exists(path) && k < 1000; ++k)
    path = stem + "-" + std::to_string(k) + ".txt";
  const std::string error =
      pg::write_file_new(path, pg::serialize_grid_map(ui.editor->world().map));
  if (error.empty())
    say(ui, "saved " + path + " (a map file: --set env.map=" + path + "; slip and γ are settings)",
        false);
  else
    say(ui, error, true);
}

// Where the edit stands: applied, or waiting for the end of the iteration in progress.
void draw_status(const WorldEditUi& ui, const pg::Session& s, const pg::Session& shown) {
  const float fs = ImGui::GetFontSize();
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + ImGui::GetContentRegionAvail().x);
  if (s.pending_world()) {
    ImGui::TextColored(ImVec4(1.0f, 0.82f, 0.24f, 1.0f),
                       "Waits for the end of iteration %d: the batch in progress (%s) finishes on "
                       "the old world. Shown: the edited world at θ now.",
                       s.iteration(), collect_progress(s).c_str());
  } else {
    const auto& changes = s.world_changes();
    if (changes.empty())
      ImGui::TextDisabled(
          "Edits take effect at once between iterations, else when the "
          "iteration in progress ends.");
    else
      ImGui::TextDisabled(
          "World edited %zu× this run, last at iteration %d (the session keeps "
          "training on it; θ follows its cells).",
          changes.size(), changes.back().iteration);
  }
  ImGui::PopTextWrapPos();
  if (const pg::ExactResult* ex = shown.exact()) {
    // Numbers never wrap inside: J, then ‖∇J‖ beside it when the line has room.
    char j[64], g[64];
    std::snprintf(j, sizeof j, "exact J = %.6g", ex->J);
    std::snprintf(g, sizeof g, "‖∇J‖ = %.4g  (θ now)", ex->gradient.norm());
    ImGui::TextUnformatted(j);
    if (ImGui::GetContentRegionAvail().x >
        ImGui::CalcTextSize(j).x + ImGui::CalcTextSize(g).x + fs * 1.5f)
      ImGui::SameLine(0.0f, fs * 1.5f);
    ImGui::TextUnformatted(g);
  }
  if (!ui.message.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, ui.message_is_error
                                             ? ImVec4(1.0f, 0.42f, 0.40f, 1.0f)
                                             : ImGui::GetStyleColorVec4(ImGuiCol_Text));
    text_wrapped_at_spacesf("%s", ui.message.c_str());
    ImGui::PopStyleColor();
  }
}

}  // namespace

std::string apply_world_script(AppState& state, const std::string& script) {
  WorldEditUi& ui = state.world_edit;
  if (!state.runner) return "no session";
  const std::shared_ptr<const pg::Session> s = state.runner->snapshot().session;
  if (!s->env().grid())  // the environment reports a grid: a gridworld
    return "only gridworlds are edited by hand; this is " + s->env().name();
  if (!ui.editor || ui.synced_runner != state.runner.get()) {
    ui.editor.emplace(s->pending_world() ? *s->pending_world() : s->world());
    ui.synced_runner = state.runner.get();
  }
  const std::string why = ui.editor->apply_script(script);
  // What applied before a refused command stays applied, unless the session refuses the world
  // (an MLP policy keeps its states: walls and pits may not change them).
  const std::string refused = send(state, ui);
  if (!why.empty()) say(ui, why, true);
  return !why.empty() ? why : refused;
}

void DrawWorldEditor(Window& window, AppState& state, const Snapshot* snap, EnvRenderer& env) {
  WorldEditUi& ui = state.world_edit;
  if (!ui.script.empty() && snap) {
    const std::string script = std::move(ui.script);
    ui.script.clear();
    ui.open = true;
    apply_world_script(state, script);
  }
  if (!ui.open) return;
  const float fs = ImGui::GetFontSize();
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  // First shown over the right part of the lab area, sized in font units (presenter scale).
  const ImVec2 size(std::min(fs * 26.0f, vp->WorkSize.x * 0.5f),
                    std::min(fs * 48.0f, vp->WorkSize.y - fs * 1.0f));
  // Placed again when the font size changes (presenter scale), like the layout's panels.
  const ImGuiCond place = ui.placed_font_size != fs ? ImGuiCond_Always : ImGuiCond_Appearing;
  ui.placed_font_size = fs;
  ImGui::SetNextWindowPos(
      ImVec2(vp->WorkPos.x + vp->WorkSize.x - size.x - fs * 0.5f, vp->WorkPos.y + fs * 0.5f),
      place);
  ImGui::SetNextWindowSize(size, place);
  if (!ImGui::Begin("World editor", &ui.open, ImGuiWindowFlags_NoCollapse)) {
    ImGui::End();
    return;
  }
  const pg::Session* session = snap ? snap->session.get() : nullptr;
  if (!session || !session->env().grid()) {
    text_wrapped_at_spacesf(
        "The world editor paints gridworlds. This scenario's world is %s: open a "
        "gridworld scenario (gridworld-reinforce, cliff-reinforce, a2c-gridworld, "
        "…) to paint walls, start, goal and pit cells.",
        session ? session->env().name().c_str() : "not loaded");
    ImGui::End();
    return;
  }
  if (!ui.editor || ui.synced_runner != state.runner.get()) {
    // Another scenario was opened: start over from its world.
    const pg::GridWorldSpec w =
        session->pending_world() ? *session->pending_world() : session->world();
    if (ui.editor)
      ui.editor->restart(w);
    else
      ui.editor.emplace(w);
    ui.synced_runner = state.runner.get();
    ui.message.clear();
  }
  handle_keys(state, ui);

  const pg::GridWorldSpec& w = ui.editor->world();
  text_wrapped_at_spacesf("%s  (%d×%d)", w.map.name.c_str(), w.map.rows, w.map.cols);
  draw_palette(ui);
  // The picture: the session's world, or for a pending edit the world as it will be.
  std::shared_ptr<const pg::Session> shown_holder;
  const pg::Session* shown = session;
  if (const pg::GridWorldSpec* pending = session->pending_world()) {
    if (!ui.preview || !(ui.preview_world == *pending)) {
      try {
        ui.preview = std::make_shared<const pg::Session>(session->preview_world(*pending));
        ui.preview_world = *pending;
      } catch (const pg::InputError& e) {
        ui.preview.reset();
        say(ui, e.problem(), true);
      }
    }
    if (ui.preview) shown = ui.preview.get();
  }

  // The map right under the tools (what a click changes, and at presenter scale the part that must
  // not scroll away); undo, the sliders and the status follow it.
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float width = std::max(fs * 8.0f, avail.x);
  // The cells as tall as the grid's shape asks, within the room left above a row of buttons and
  // a slider, but never under 10 em (at presenter scale the window then scrolls to the sliders);
  // plus the legend below them (narrow pictures wrap it).
  const float chrome = envdraw::grid_chrome_height(width, fs, /*agent_line=*/false);
  const float grid_h = width * EnvRenderer::height_per_width(shown->env());
  const float cells_h =
      std::min(grid_h, std::max(avail.y - fs * 4.0f - chrome, std::min(grid_h, fs * 10.0f)));
  const float height = cells_h + chrome;
  EnvDrawOptions o;
  o.editing = true;
  o.arrows = true;
  const EnvPick pick = env.draw(*shown, o, ImVec2(width, height), window.theme(), kSlotWorldEditor);
  draw_reward_labels(shown->world().map, pick);
  handle_mouse(state, ui, shown->scenario(), pick);
  ImGui::BeginDisabled(!ui.editor->can_undo());
  if (ImGui::Button("Undo")) undo_redo(state, ui, false);
  ImGui::EndDisabled();
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) ImGui::SetTooltip("Ctrl+Z");
  ImGui::SameLine();
  ImGui::BeginDisabled(!ui.editor->can_redo());
  if (ImGui::Button("Redo")) undo_redo(state, ui, true);
  ImGui::EndDisabled();
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) ImGui::SetTooltip("Ctrl+Y");
  ImGui::SameLine();
  if (ImGui::Button("Save map")) save_map(ui, session->scenario());
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip(
        "Writes the map (assets/maps format, cells' own rewards included) to a new "
        "file edited-<name>.txt in the working folder");
  draw_sliders(state, ui);

  draw_status(ui, *session, *shown);
  draw_reward_popup(state, ui, shown->scenario());
  ImGui::End();
}

}  // namespace pglab::gui
