#include "gui/keys.h"

#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>

#include <iterator>
#include <string>

#include "gui/plot/plot.h"
#include "gui/render/screenshot.h"
#include "gui/window.h"
#include "io/atomic_file.h"
#include "io/batch_dump.h"

namespace pglab::gui {
namespace {

constexpr Shortcut kShortcuts[] = {
    {"Space", "run / pause (Run stops at the scenario's iterations; again: continue as many more)"},
    {"S", "advance one step at the chosen granularity"},
    {"R", "reset to iteration 0 (same seed, same trajectories)"},
    {"1 – 6", "step by: env step, episode, batch, estimate, update, iteration"},
    {"F / Shift+F",
     "presenter scale: next / previous step (1×, 1.25×, 1.5×, 1.75×, 2×, 2.5×); "
     "text, widgets and layout"},
    {"C", "controls: fold to a slim bar / unfold (also the « and » buttons)"},
    {"T", "dark / light theme"},
    {"Ctrl+E", "export: curves CSV, batch dump JSON, window PNG"},
    {"? or F1", "this help"},
    {"Esc", "close this help"},
    {nullptr, nullptr},
};

// In the "step by" combo's order: every granularity has its key (estimate, the gradient before it
// is applied, had none: keys 1–5 skipped it).
constexpr pg::Granularity kKeyGranularity[] = {
    pg::Granularity::kEnvStep,  pg::Granularity::kEpisode, pg::Granularity::kBatch,
    pg::Granularity::kEstimate, pg::Granularity::kUpdate,  pg::Granularity::kIteration};

// ImGui 1.86 indexes keys by the backend's key codes (GLFW's) — no ImGuiKey for letters yet.
bool pressed(int glfw_key) {
  return ImGui::IsKeyPressed(glfw_key, false);
}

}  // namespace

const Shortcut* shortcut_table() {
  return kShortcuts;
}

pg::Granularity granularity_of_key(int k) {
  return kKeyGranularity[k - 1];
}

void toggle_running(AppState& state) {
  if (!state.runner) return;
  const bool run = !state.runner->running();
  // The fault from the snapshot (the worker may be inside a long phase); none while a Reset is
  // still being made.
  if (run && !state.runner->pending() && !state.runner->snapshot().session->fault().empty()) {
    state.status = "the run is paused by a numeric fault: reset first";
    return;
  }
  if (run) {
    // Run stops at the scenario's algorithm.iterations; at or past it, Run continues for as many
    // more.
    const pg::Session& s = *state.runner->snapshot().session;
    const int n = s.scenario().algorithm.iterations;
    if (state.runner->stop_at() >= 0 && s.iteration() >= state.runner->stop_at()) {
      state.runner->set_stop_at(s.iteration() + n);
      state.status = "continuing to iteration " + std::to_string(s.iteration() + n);
    } else {
      state.status = state.runner->stop_at() < 0
                         ? std::string("running")
                         : "running to iteration " + std::to_string(state.runner->stop_at());
    }
  } else {
    state.status = "paused";
  }
  state.runner->set_running(run);
}

void step_once(AppState& state) {
  if (!state.runner) return;
  // On the worker (one iteration of a big world takes seconds: frames go on); a fault it meets
  // shows under the run controls.
  state.runner->step_in_background(state.granularity);
  state.status = std::string("stepped one ") + pg::name_of(state.granularity);
}

void reset_session(AppState& state) {
  if (!state.runner) return;
  state.runner->reset_in_background();  // a big world's exact J takes seconds: frames go on
  state.runner->set_stop_at(state.run_past_end ? -1 : state.scenario.algorithm.iterations);
  state.status = "reset to iteration 0 (same seed)";
}

std::string file_piece(const std::string& name) {
  std::string out;
  for (char c : name.substr(0, 60)) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
    if (ok)
      out += c;
    else if (!out.empty() && out.back() != '-')
      out += '-';
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out.empty() || out[0] == '.' ? "scenario" + out : out;
}

std::string free_base(const std::string& stem, const std::vector<std::string>& suffixes) {
  std::string base = stem;
  for (int k = 2; k < 100000; ++k) {
    bool taken = false;
    for (const std::string& suffix : suffixes) taken = taken || pg::path_exists(base + suffix);
    if (!taken) break;
    base = stem + "-" + std::to_string(k);
  }
  return base;
}

std::string free_export_base(const pg::Session& s, const std::string& what,
                             const std::vector<std::string>& suffixes) {
  // A name none of whose files exists yet, so two scenarios, plots or exports at the same
  // iteration never replace each other's files.
  // (Built by appends: GCC 12 warns falsely (-Wrestrict) on "literal" + std::string&&.)
  std::string stem = "pglab-export-";
  stem += std::to_string(s.iteration());
  stem += "-";
  stem += file_piece(s.scenario().name);
  if (!what.empty()) {
    stem += "-";
    stem += file_piece(what);
  }
  return free_base(stem, suffixes);
}

void export_all(Window& window, AppState& state) {
  if (!state.runner) return;
  const Snapshot snap = state.runner->snapshot();
  // pglab-export-<iteration>-<scenario>[-k]-*: each file is written whole or not at all and never
  // over an existing one (pg::write_file_new).
  const std::string base =
      free_export_base(*snap.session, "", {"-curves.csv", "-batch.json", "-window.png"});
  std::string done, error;
  auto write = [&](const std::string& path, const std::string& bytes) {
    const std::string e = pg::write_file_new(path, bytes);
    if (e.empty())
      done += path + " ";
    else
      error += (error.empty() ? "" : "; ") + e;
  };
  const std::string curves =
      state.curves_plot != 0 ? plot::PlotCsv(state.curves_plot) : std::string();
  if (!curves.empty()) write(base + "-curves.csv", curves);  // empty: the plot was never drawn
  if (snap.session->has_estimate())
    write(base + "-batch.json", pg::batch_dump(*snap.session).dump() + "\n");
  const FramebufferSize fb = window.framebuffer_size();
  const std::string png = render::encode_png(render::read_default_framebuffer(fb.width, fb.height));
  if (png.empty())
    error += (error.empty() ? "" : "; ") + base + "-window.png: nothing to write (empty image)";
  else
    write(base + "-window.png", png);
  state.status = error.empty() ? "exported " + done : error;
}

void handle_shortcuts(Window& window, AppState& state) {
  const ImGuiIO& io = ImGui::GetIO();
  if (io.WantTextInput) return;
  for (int i = 0; i < io.InputQueueCharacters.Size; ++i) {
    if (io.InputQueueCharacters[i] == '?') state.show_help = !state.show_help;
  }
  if (pressed(GLFW_KEY_F1)) state.show_help = !state.show_help;
  if (pressed(GLFW_KEY_ESCAPE)) state.show_help = false;
  // A popup open (a menu, a combo, Save / Open session, "Opening a session"): it has the keys.
  // Space or R under a modal would run or reset the session the modal is about (a save pauses it
  // at an iteration boundary; an open is about to replace it).
  if (ImGui::IsPopupOpen("", ImGuiPopupFlags_AnyPopupId | ImGuiPopupFlags_AnyPopupLevel)) return;
  if (io.KeyCtrl) {
    if (pressed(GLFW_KEY_E)) export_all(window, state);
    return;
  }
  if (pressed(GLFW_KEY_SPACE)) toggle_running(state);
  if (pressed(GLFW_KEY_S)) step_once(state);
  if (pressed(GLFW_KEY_R)) reset_session(state);
  if (pressed(GLFW_KEY_F)) window.cycle_presenter(io.KeyShift ? -1 : 1);
  if (pressed(GLFW_KEY_C)) state.layout_ui.controls_folded = !state.layout_ui.controls_folded;
  if (pressed(GLFW_KEY_T)) window.toggle_theme();
  for (int k = 1; k <= static_cast<int>(std::size(kKeyGranularity)); ++k) {
    if (pressed(GLFW_KEY_0 + k) || pressed(GLFW_KEY_KP_0 + k))
      state.granularity = granularity_of_key(k);
  }
}

}  // namespace pglab::gui
