// A lesson step run by a click (issue 9): in a visible window under Xvfb the test moves the mouse
// pointer onto the lesson panel's "Run ▶" and clicks it as a user does (through GLFW and the ImGui
// backend). The step then runs in the background: the window keeps drawing frames while it runs,
// the panel shows its progress, a click on Cancel stops it (nothing of the step kept), and a second
// Run runs it to the end with the numbers the waiting path gives. Frames are left as PNGs.
// Usage: gui_lesson_click OUTPUT_DIR [WIDTHxHEIGHT]
#define GLFW_INCLUDE_NONE  // GL comes from epoxy (gui/render)
#include <GLFW/glfw3.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>

#include "backends/imgui_impl_glfw.h"
#include "gui/app_state.h"
#include "gui/classroom.h"
#include "gui/gui_main.h"
#include "gui/plot/plot.h"
#include "gui/render/screenshot.h"
#include "gui/views/env_renderer.h"
#include "gui/window.h"
#include "imgui_internal.h"
#include "lab_frames.h"

namespace {

using namespace pglab::gui;

int failures = 0;

void check(bool ok, const std::string& what) {
  std::printf("%s: %s\n", ok ? "ok" : "FAIL", what.c_str());
  if (!ok) ++failures;
}

struct Lab {
  std::unique_ptr<Window> window;
  EnvRenderer env;
  AppState state;

  // Draws `n` frames; returns the last one.
  render::Image frames(int n) { return draw_lab_frames(*window, state, env, n); }

  float row_y = -1.0f;  // the height where the last button was found

  // Moves the pointer over the lesson panel until the button `label` is hovered (the row of the
  // last button found first: Run ▶ and Cancel share it); false when no point of the panel does.
  bool point_at(const char* label) {
    ImGuiWindow* w = ImGui::FindWindowByName("Lesson");
    if (w == nullptr) return false;
    const ImGuiID id = w->GetID(label);
    const float fs = ImGui::GetFontSize();
    ImGui_ImplGlfw_CursorEnterCallback(window->handle(), GLFW_TRUE);
    auto hovers = [&](float x, float y) {
      glfwSetCursorPos(window->handle(), x, y);
      frames(1);
      if (ImGui::GetCurrentContext()->HoveredId != id) return false;
      row_y = y;
      return true;
    };
    if (row_y >= 0.0f)
      for (float x = w->Pos.x + fs; x < w->Pos.x + w->Size.x; x += fs)
        if (hovers(x, row_y)) return true;
    for (float y = w->Pos.y + fs; y < w->Pos.y + w->Size.y; y += fs * 0.7f)
      for (float x = w->Pos.x + fs; x < w->Pos.x + w->Size.x; x += fs * 2.5f)
        if (hovers(x, y)) return true;
    return false;
  }

  // Clicks along the row of the last button found, left to right, until `done()` holds (the
  // Cancel beside the progress bar: what a click there does is the test).
  template <class Done>
  bool click_along_row(Done done) {
    ImGuiWindow* w = ImGui::FindWindowByName("Lesson");
    if (w == nullptr || row_y < 0.0f) return false;
    const float fs = ImGui::GetFontSize();
    for (float x = w->Pos.x + fs; x < w->Pos.x + w->Size.x; x += fs * 0.5f) {
      glfwSetCursorPos(window->handle(), x, row_y);
      frames(1);
      click();
      if (done()) return true;
    }
    return false;
  }

  // A press and a release of the left button where the pointer is (a Button fires on release).
  void click() {
    ImGui_ImplGlfw_MouseButtonCallback(window->handle(), GLFW_MOUSE_BUTTON_LEFT, GLFW_PRESS, 0);
    frames(1);
    ImGui_ImplGlfw_MouseButtonCallback(window->handle(), GLFW_MOUSE_BUTTON_LEFT, GLFW_RELEASE, 0);
    frames(1);
  }
};

}  // namespace

int main(int argc, char** argv) {
  const std::string dir = std::filesystem::absolute(argc > 1 ? argv[1] : ".").string();
  int width = 1280, height = 720;
  if (argc > 2) std::sscanf(argv[2], "%dx%d", &width, &height);
  const std::string work =
      dir + "/gui_lesson_click_" + std::to_string(width) + "x" + std::to_string(height);
  std::filesystem::remove_all(work);
  std::filesystem::create_directories(work);
  // A step long enough to still run while the test clicks Cancel whatever the machine's load, and
  // a short one that runs to the end.
  auto write_lesson = [&](const std::string& name, int iterations) {
    const std::string path = work + "/" + name + ".json";
    std::ofstream(path) << "{\"format\": \"pglab.lesson/1\", \"title\": \"" << name
                        << "\", \"steps\": [\n {\"title\": \"Train " << iterations
                        << " iterations\", \"scenario\": \"gridworld-reinforce\",\n"
                        << "  \"advance\": {\"by\": \"iteration\", \"count\": " << iterations
                        << "},\n  \"check\": {\"claim\": \"exact_J\", \"op\": \">=\", "
                           "\"value\": -100}}]}\n";
    return path;
  };
  const std::string long_lesson = write_lesson("long-step", 100000);  // the most a step advances
  const std::string lesson = write_lesson("short-step", 300);

  Lab lab;
  WindowOptions wo;
  wo.width = width;
  wo.height = height;
  wo.visible = true;  // the pointer moves over it
  wo.persist = false;
  std::string error;
  lab.window = Window::create(wo, &error);
  if (!lab.window) {
    std::fprintf(stderr, "gui_lesson_click: %s\n", error.c_str());
    return 1;
  }
  pglab::plot::PlotContext* plots = pglab::plot::CreateContext();
  pglab::plot::SetCurrentContext(plots);
  check(lab.env.init().empty(), "shaders");
  AppState& state = lab.state;
  if (!open_lesson(state, long_lesson)) {
    std::fprintf(stderr, "gui_lesson_click: %s\n", state.classroom.lesson.error.c_str());
    return 1;
  }
  lab.frames(3);

  // 1. Click Run: the step starts in the background and the window goes on drawing.
  check(lab.point_at("Run ▶"), "the pointer is on Run ▶");
  lab.click();
  check(lesson_step_running(state), "the click started the step in the background");
  int frames_while_running = 0;
  double first = -1.0, last = -1.0;
  const auto started = std::chrono::steady_clock::now();
  while (lesson_step_running(state) && frames_while_running < 8) {
    lab.frames(1);
    ++frames_while_running;
    if (first < 0) first = lesson_step_progress(state);
    last = lesson_step_progress(state);
  }
  const render::Image running = lab.frames(1);
  render::write_png(running, work + "/running.png");
  const double ms =
      1000.0 * std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::printf("%d frames while the step ran (%.0f ms; progress %.3f → %.3f)\n",
              frames_while_running, ms, first, last);
  check(frames_while_running == 8 && lesson_step_running(state),
        "8 frames drawn while the step runs (the window stays live)");
  check(last >= first && last < 1.0, "the progress moves forward and is not done");

  // 2. Click Cancel: the step stops, nothing of it is kept.
  check(lab.click_along_row([&] { return !lesson_step_running(state); }),
        "a click on Cancel (right of the progress bar) stopped the step");
  check(!state.classroom.lesson.outcome[0].has_value(), "no outcome kept");
  check(state.runner->snapshot().session->iteration() == 0, "the window's session is the start");
  check(state.status.find("cancelled") != std::string::npos, "the status says: " + state.status);

  // 3. Run again (a shorter step), to the end, while the window draws.
  if (!open_lesson(state, lesson)) {
    std::fprintf(stderr, "gui_lesson_click: %s\n", state.classroom.lesson.error.c_str());
    return 1;
  }
  lab.frames(2);
  check(lab.point_at("Run ▶"), "the pointer is on Run ▶ again");
  lab.click();
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(300);
  while (lesson_step_running(state) && std::chrono::steady_clock::now() < until) {
    lab.frames(1);
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  lab.frames(2);
  render::write_png(lab.frames(1), work + "/done.png");
  const auto& outcome = state.classroom.lesson.outcome[0];
  check(outcome.has_value() && outcome->result.holds, "the step ran: " + state.status);
  check(state.runner->snapshot().session->iteration() == 300, "the window shows its end");
  AppState waited;
  open_lesson(waited, lesson);
  check(run_shown_step(waited) && outcome &&
            waited.classroom.lesson.outcome[0]->result.measured == outcome->result.measured,
        "the same measured value as the waiting path");

  // 4. Next ▶ shows the next step from its title (audit a9 F3): step 1 ran and the panel scrolled
  //    down to its outcome; the step child is one window for every step, and kept that scroll, so
  //    a long step 2 opened with its title scrolled away.
  {
    std::string filler;
    for (int k = 0; k < 40; ++k)
      filler += "A line of the step's text to make it longer than the panel. ";
    const std::string path = work + "/two-steps.json";
    std::ofstream(path)
        << "{\"format\": \"pglab.lesson/1\", \"title\": \"two steps\", \"steps\": [\n"
        << " {\"title\": \"Step one\", \"scenario\": \"bandit-reinforce\",\n"
        << "  \"advance\": {\"by\": \"iteration\", \"count\": 2}, \"text\": \"" << filler
        << "\",\n  \"explanation\": \"" << filler << "\"},\n"
        << " {\"title\": \"Step two\", \"advance\": {\"by\": \"iteration\", "
           "\"count\": 2}, \"text\": \""
        << filler << "\"}]}\n";
    check(open_lesson(state, path), "the two-step lesson opens: " + state.classroom.lesson.error);
    lab.frames(2);
    auto step_child = []() -> ImGuiWindow* {
      ImGuiWindow* panel = ImGui::FindWindowByName("Lesson");
      for (ImGuiWindow* w : ImGui::GetCurrentContext()->Windows)
        if (w->ParentWindow == panel && std::strstr(w->Name, "/step_") != nullptr) return w;
      return nullptr;
    };
    check(run_shown_step(state), "step 1 ran: " + state.status);
    lab.frames(3);
    ImGuiWindow* child = step_child();
    check(child != nullptr && child->Scroll.y > 0.0f,
          "after Run the step scrolled to its outcome (scroll " +
              std::to_string(child ? child->Scroll.y : -1.0f) + ")");
    lab.row_y = -1.0f;
    check(lab.point_at("Next ▶"), "the pointer is on Next ▶");
    lab.click();
    lab.frames(2);
    render::write_png(lab.frames(1), work + "/next.png");
    child = step_child();
    check(state.classroom.lesson.step == 1, "Next ▶ showed step 2");
    check(child != nullptr && child->ScrollMax.y > 0.0f && child->Scroll.y == 0.0f,
          "step 2 is shown from its title (scroll " +
              std::to_string(child ? child->Scroll.y : -1.0f) + " of " +
              std::to_string(child ? child->ScrollMax.y : -1.0f) + ")");
  }

  // 5. A key tapped between two frames (pressed and released before the next frame, as a quick
  //    tap while a slow frame computes, or xdotool) is seen: F steps the presenter scale up,
  //    Shift+F (Shift released in the same gap) back down, two taps twice. The window's key
  //    callback is the one GLFW calls (swapped out and back to get it: GLFW has no getter).
  GLFWwindow* h = lab.window->handle();
  const GLFWkeyfun keys = glfwSetKeyCallback(h, nullptr);
  glfwSetKeyCallback(h, keys);
  auto look = [&] {
    return lab.window->presenter() ? lab.window->presenter_scale() : 1.0f;  // the scale drawn
  };
  const auto before = look();
  keys(h, GLFW_KEY_F, 0, GLFW_PRESS, 0);
  keys(h, GLFW_KEY_F, 0, GLFW_RELEASE, 0);
  lab.frames(2);
  const auto up = look();
  check(up != before, "a tap of F between two frames changed the presenter scale (" +
                          std::to_string(before) + " → " + std::to_string(up) + ")");
  // xdotool's order (Shift up before F), split over two gaps as a slow frame splits it: Shift
  // goes down and a frame passes; then F down, Shift up, F up before the next frame.
  keys(h, GLFW_KEY_LEFT_SHIFT, 0, GLFW_PRESS, GLFW_MOD_SHIFT);
  lab.frames(1);
  keys(h, GLFW_KEY_F, 0, GLFW_PRESS, GLFW_MOD_SHIFT);
  keys(h, GLFW_KEY_LEFT_SHIFT, 0, GLFW_RELEASE, GLFW_MOD_SHIFT);
  keys(h, GLFW_KEY_F, 0, GLFW_RELEASE, 0);
  lab.frames(2);
  check(look() == before, "a tap of Shift+F between two frames stepped it back down");
  check(!ImGui::GetIO().KeyShift && !ImGui::IsKeyDown(GLFW_KEY_F), "and both keys are up again");
  // Two taps of F in one gap: both are seen (each key changes once per frame), two steps up.
  for (int tap = 0; tap < 2; ++tap) {
    keys(h, GLFW_KEY_F, 0, GLFW_PRESS, 0);
    keys(h, GLFW_KEY_F, 0, GLFW_RELEASE, 0);
  }
  lab.frames(5);
  const float twice = look();
  check(twice > up, "two taps of F between two frames stepped it up twice (" +
                        std::to_string(before) + " → " + std::to_string(twice) + ")");
  check(!ImGui::IsKeyDown(GLFW_KEY_F), "and F is up again");

  state.runner.reset();
  waited.runner.reset();
  pglab::plot::DestroyContext(plots);
  std::printf("%s\n", failures == 0 ? "all passed" : "FAILED");
  return failures == 0 ? 0 : 1;
}
