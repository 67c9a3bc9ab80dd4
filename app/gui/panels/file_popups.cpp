// File menu and its popups (issue 9): Open lesson (the shipped lessons, or a path), Open session
// and Save session (pglab.session/1, a path field with a name that collides with no file). There
// is no native file dialog: ImGui modals, opened at the top level (a popup opened inside a menu
// would live in the menu's ID stack). A failure is shown in the popup; what is open stays open.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

#include "gui/classroom.h"
#include "gui/panels/panels.h"
#include "io/session_file.h"
#include "util/input_file.h"
#include "util/text.h"

namespace pglab::gui {

namespace {

// How long a scenario builds before its popup shows (a quick load shows none).
constexpr double kBuildingShownAfter = 0.3;

constexpr ImU32 kBad = IM_COL32(235, 110, 100, 255);

const char* popup_title(FilePopup p) {
  switch (p) {
    case FilePopup::kOpenLesson:
      return "Open lesson";
    case FilePopup::kOpenSession:
      return "Open session";
    case FilePopup::kSaveSession:
      return "Save session";
    default:
      return "";
  }
}

void set_path(FilePopupUi& f, const std::string& path) {
  std::snprintf(f.path, sizeof f.path, "%s", path.c_str());
}

// Session files in the working directory (pglab-session-*.json), sorted, at most 200.
std::vector<std::string> session_files() {
  std::vector<std::string> out;
  std::error_code ec;
  for (std::filesystem::directory_iterator it(".", ec), end; !ec && it != end && out.size() < 200;
       it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.rfind("pglab-session-", 0) == 0 && name.size() > 5 &&
        name.compare(name.size() - 5, 5, ".json") == 0)
      out.push_back(name);
  }
  std::sort(out.begin(), out.end());
  return out;
}

void message(const FilePopupUi& f) {
  if (f.message.empty()) return;
  ImGui::PushStyleColor(ImGuiCol_Text, kBad);
  text_wrapped_at_spacesf("%s", f.message.c_str());
  ImGui::PopStyleColor();
}

// A list of names to pick from (a click fills the path field, a double click opens).
bool pick_list(FilePopupUi& f, const std::vector<std::string>& names, const char* empty) {
  bool open_now = false;
  const float fs = ImGui::GetFontSize();
  if (ImGui::BeginListBox("##names", ImVec2(fs * 26.0f, fs * 10.0f))) {
    // A name wider than the list (inside its scrollbar) is cut in the middle, so the end that tells
    // two saves of a run apart ("…-2.json") shows; the whole name on hover. (A Selectable is as
    // wide as its label at least: its width never told that the list's edge cut the name.)
    const float room = ImGui::GetContentRegionAvail().x;
    for (const std::string& n : names) {
      const std::string shown = elide_middle(n, room);
      if (ImGui::Selectable((shown + "##" + n).c_str(), n == f.path,
                            ImGuiSelectableFlags_AllowDoubleClick)) {
        set_path(f, n);
        open_now = ImGui::IsMouseDoubleClicked(0);
      }
      if (shown != n && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", n.c_str());
    }
    if (names.empty()) ImGui::TextDisabled("%s", empty);
    ImGui::EndListBox();
  }
  return open_now;
}

bool path_field(FilePopupUi& f) {
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 26.0f);
  return ImGui::InputText("##path", f.path, sizeof f.path, ImGuiInputTextFlags_EnterReturnsTrue);
}

// Where a relative path lands: the working directory, said in full (a window started from a
// source checkout would otherwise save into it unseen).
void where_relative(const FilePopupUi& f) {
  if (f.path[0] == '/' || f.path[0] == '~') return;
  std::error_code ec;
  const std::filesystem::path cwd = std::filesystem::current_path(ec);
  if (ec) return;
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + ImGui::GetFontSize() * 26.0f);
  ImGui::TextDisabled("in %s", pg::printable(cwd.string(), 300).c_str());
  ImGui::PopTextWrapPos();
}

void draw_open_lesson(AppState& state) {
  FilePopupUi& f = state.classroom.files;
  ImGui::TextUnformatted("Shipped lessons, or a path to a pglab.lesson/1 file:");
  bool go = pick_list(f, pg::list_lessons(), "no lessons in the asset directory");
  go |= path_field(f);
  // A lesson that fails to load says why here, and in the lesson panel.
  message(f);
  go |= ImGui::Button("Open");
  ImGui::SameLine();
  if (ImGui::Button("Cancel")) ImGui::CloseCurrentPopup();
  if (go) {
    if (open_lesson(state, f.path)) {
      f.message.clear();
      ImGui::CloseCurrentPopup();
    } else {
      f.message = state.classroom.lesson.error;
    }
  }
}

void draw_open_session(AppState& state) {
  FilePopupUi& f = state.classroom.files;
  ImGui::TextUnformatted("A pglab.session/1 file (replayed and verified as it opens):");
  bool go = pick_list(f, session_files(), "no pglab-session-*.json here");
  go |= path_field(f);
  where_relative(f);
  message(f);
  go |= ImGui::Button("Open");
  ImGui::SameLine();
  if (ImGui::Button("Cancel")) ImGui::CloseCurrentPopup();
  if (go && f.path[0] == '\0') {
    f.message = "give a file name";
  } else if (go) {
    start_open_session(state, f.path);  // replayed in the background: see draw_opening()
    ImGui::CloseCurrentPopup();
  }
}

// The file a typed name saves to: with ".json" where the name has no extension ("monday-class"
// was saved as typed, and File → Open session, which lists *.json, never offered it again).
std::string save_path_of(const std::string& typed) {
  const size_t slash = typed.find_last_of('/');
  const std::string name = typed.substr(slash == std::string::npos ? 0 : slash + 1);
  if (name.empty() || name.find('.') != std::string::npos) return typed;
  return typed + ".json";
}

void draw_save_session(AppState& state) {
  FilePopupUi& f = state.classroom.files;
  ImGui::TextUnformatted("Save the session, its history and the view state to:");
  bool go = path_field(f);
  where_relative(f);
  const std::string target = save_path_of(f.path);
  const bool exists = !target.empty() && pg::path_exists(target);
  if (exists)
    ImGui::TextDisabled("%s exists: saving replaces it.", target.c_str());
  else if (target != f.path)
    ImGui::TextDisabled("Saved as %s.", target.c_str());
  const std::shared_ptr<const pg::Session> s =
      state.runner ? state.runner->snapshot().session : nullptr;
  const bool boundary = s && pg::session_saveable(*s);
  if (s && !boundary && s->fault().empty()) {
    // A session is saved between iterations: finish the one in progress first.
    text_wrapped_at_spacesf("Iteration %d is in progress; sessions are saved between iterations.",
                            s->iteration());
    if (ImGui::Button("Finish the iteration")) {
      state.runner->step_in_background(pg::Granularity::kIteration);
      f.message.clear();
    }
  }
  message(f);
  ImGui::BeginDisabled(!boundary);
  go |= ImGui::Button(exists ? "Replace" : "Save");
  ImGui::EndDisabled();
  ImGui::SameLine();
  if (ImGui::Button("Cancel")) ImGui::CloseCurrentPopup();
  if (go && boundary && save_session(state, target)) ImGui::CloseCurrentPopup();
}

}  // namespace

void DrawFileMenu(AppState& state) {
  if (!ImGui::BeginMenu("File")) return;
  FilePopupUi& f = state.classroom.files;
  if (ImGui::MenuItem("Open lesson…")) {
    f.requested = FilePopup::kOpenLesson;
    set_path(f, "");
  }
  if (ImGui::MenuItem("Close lesson", nullptr, false, state.classroom.lesson.lesson != nullptr))
    close_lesson(state);
  ImGui::Separator();
  if (ImGui::MenuItem("Open session…")) {
    f.requested = FilePopup::kOpenSession;
    set_path(f, "");
  }
  if (ImGui::MenuItem("Save session…", nullptr, false, state.runner != nullptr)) {
    f.requested = FilePopup::kSaveSession;
    if (state.runner) state.runner->set_running(false);  // the file holds an iteration boundary
    set_path(f, default_session_name(state));
  }
  ImGui::EndMenu();
}

// While a session file opens in the background: what is happening, for how long, and a Cancel
// (a long run's file takes seconds to replay; the window keeps drawing meanwhile).
// A scenario whose session takes more than a moment to build (start_load): what is open stays on
// screen under a popup that counts the seconds and can cancel. A quick one shows nothing.
void draw_building(AppState& state) {
  const char* title = "Loading a scenario###building_scenario";
  const BuildingStatus b = scenario_building(state);
  const bool slow = b.seconds >= kBuildingShownAfter;
  if (slow && !ImGui::IsPopupOpen(title)) ImGui::OpenPopup(title);
  ImGui::SetNextWindowPos(ImGui::GetMainViewport()->GetCenter(), ImGuiCond_Appearing,
                          ImVec2(0.5f, 0.5f));
  if (!ImGui::BeginPopupModal(title, nullptr, ImGuiWindowFlags_AlwaysAutoResize)) return;
  if (b.seconds < 0.0) {
    ImGui::CloseCurrentPopup();
  } else {
    ImGui::TextUnformatted(pg::printable(b.name, 120).c_str());
    ImGui::Text("building its session (the exact J of its first policy): %.0f s", b.seconds);
    if (ImGui::Button("Cancel")) {
      cancel_scenario_build(state);
      state.status = "loading " + pg::printable(b.name, 120) + " cancelled (what was open stays)";
    }
  }
  ImGui::EndPopup();
}

void draw_opening(AppState& state) {
  const char* title = "Opening a session###opening_session";
  const bool opening = session_opening(state);
  if (opening && !ImGui::IsPopupOpen(title)) ImGui::OpenPopup(title);
  ImGui::SetNextWindowPos(ImGui::GetMainViewport()->GetCenter(), ImGuiCond_Appearing,
                          ImVec2(0.5f, 0.5f));
  if (!ImGui::BeginPopupModal(title, nullptr, ImGuiWindowFlags_AlwaysAutoResize)) return;
  if (!opening) {
    ImGui::CloseCurrentPopup();
  } else {
    ImGui::TextUnformatted(pg::printable(session_opening_path(state), 120).c_str());
    ImGui::Text("replaying the run to verify it: %.0f s", session_opening_seconds(state));
    if (ImGui::Button("Cancel")) cancel_open_session(state);
  }
  ImGui::EndPopup();
}

void DrawFilePopups(AppState& state) {
  FilePopupUi& f = state.classroom.files;
  if (f.requested != FilePopup::kNone) {
    if (!f.keep_message) f.message.clear();
    ImGui::OpenPopup(popup_title(f.requested));
  }
  f.requested = FilePopup::kNone;
  f.keep_message = false;
  const ImVec2 center = ImGui::GetMainViewport()->GetCenter();
  for (FilePopup p : {FilePopup::kOpenLesson, FilePopup::kOpenSession, FilePopup::kSaveSession}) {
    ImGui::SetNextWindowPos(center, ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
    if (!ImGui::BeginPopupModal(popup_title(p), nullptr, ImGuiWindowFlags_AlwaysAutoResize))
      continue;
    if (p == FilePopup::kOpenLesson) draw_open_lesson(state);
    if (p == FilePopup::kOpenSession) draw_open_session(state);
    if (p == FilePopup::kSaveSession) draw_save_session(state);
    if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape))) ImGui::CloseCurrentPopup();
    ImGui::EndPopup();
  }
  draw_opening(state);
  draw_building(state);
}

}  // namespace pglab::gui
