// The window tests' frame loop: draws `n` frames of the lab (gui/gui_main.h's draw_lab_frame) and
// returns the last one's pixels, as a user's screen would show it.
#pragma once

#include "gui/app_state.h"
#include "gui/gui_main.h"
#include "gui/render/screenshot.h"
#include "gui/views/env_renderer.h"
#include "gui/window.h"

namespace pglab::gui {

inline render::Image draw_lab_frames(Window& window, AppState& state, EnvRenderer& env, int n) {
  render::Image image;
  for (int i = 0; i < n; ++i) {
    window.begin_frame();
    draw_lab_frame(window, state, env);
    window.render();
    if (i == n - 1) {
      const FramebufferSize fb = window.framebuffer_size();
      image = render::read_default_framebuffer(fb.width, fb.height);
    }
    window.swap();
  }
  return image;
}

}  // namespace pglab::gui
