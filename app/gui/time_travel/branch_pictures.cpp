// The two branches' environment pictures side by side (issue 10, item 1: a fork runs beside the
// run on the same random streams; the overview draws both when a fork exists).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "gui/compare/compare.h"
#include "gui/layout.h"
#include "gui/time_travel/time_travel.h"
#include "gui/views/views.h"
#include "util/text.h"

namespace pglab::gui {

namespace {

// A branch's caption: who it is, then its iteration and J (or return), broken only at spaces
// (no-break spaces keep "J(θ) = 0.4276" whole).
std::string caption_of(const pg::Session& s, const std::string& who) {
  char buf[96];
  if (s.exact())
    std::snprintf(buf, sizeof buf, "iteration\u00a0%d · J(θ)\u00a0=\u00a0%.4g", s.iteration(),
                  s.exact()->J);
  else if (!s.history().empty())
    std::snprintf(buf, sizeof buf, "iteration\u00a0%d · return\u00a0%.4g", s.iteration(),
                  s.history().back().return_mean);
  else
    std::snprintf(buf, sizeof buf, "iteration\u00a0%d", s.iteration());
  return who + "\n" + buf;
}

// One branch: its caption, then its picture at `picture` (the same for both branches, so the two
// worlds are drawn to one scale), the caption given `caption_h` (the taller one's) so the two
// pictures start at the same height. No scrollbar: everything is sized to fit. `stopped`: the
// fork's fault, which takes the picture's place (the fork stays at its last boundary, where its
// picture would show a batch it never finished).
void picture(ViewContext& ctx, const pg::Session& s, const pg::Session& beside,
             const std::string& caption, const ImVec2& size, float caption_h,
             const ImVec2& picture_size, int slot, const std::string& stopped = std::string()) {
  // Padded: a caption starting with "J" would otherwise reach left of the child's clip edge.
  ImGui::BeginChild(slot == 0 ? "branch_run" : "branch_fork", size, false,
                    ImGuiWindowFlags_AlwaysUseWindowPadding | ImGuiWindowFlags_NoScrollbar |
                        ImGuiWindowFlags_NoScrollWithMouse);
  const float y0 = ImGui::GetCursorPosY();
  text_wrapped_at_spaces(caption.c_str());
  ImGui::SetCursorPosY(y0 + caption_h);
  if (!stopped.empty()) {
    // In the views' error colour, as the main run's fault is in the controls ("Paused: …"); the
    // whole message, which scrolls where the branch is too short for it.
    ImGui::BeginChild("fork_stopped", picture_size, false);
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1.0f, 0.45f, 0.4f, 1.0f));
    text_wrapped_at_spaces(stopped.c_str());
    ImGui::PopStyleColor();
    ImGui::EndChild();
    ImGui::EndChild();
    return;
  }
  EnvDrawOptions o;
  o.color_mode = ctx.state.views.overview.color_mode;
  o.shared_scale_with = &beside;  // one colour, one value in the two pictures
  o.trajectory = s.batch().size() > 0 ? s.batch().size() - 1 : -1;
  o.brief = true;  // the same world twice: its description once would repeat what the captions say
  ctx.env.draw(s, o, picture_size, ctx.theme, slot);
  ImGui::EndChild();
}

// The two captions: the run's, and the fork's with where it branched and what it changed.
void captions_of(const AppState& state, const pg::Session& run, const pg::Session& fork,
                 std::string out[2]) {
  ForkView f;
  const std::string what = fork_view(state, &f)
                               ? "fork at " + std::to_string(f.start) + ": " + f.what
                               : std::string("fork");
  out[0] = caption_of(run, "this run");
  out[1] = caption_of(fork, what);
}

float caption_height(const std::string captions[2], float inner_w) {
  float h = 0.0f;
  for (int k = 0; k < 2; ++k)
    h = std::max(h, ImGui::CalcTextSize(wrap_at_spaces(captions[k].c_str(), inner_w).c_str()).y);
  return h + ImGui::GetStyle().ItemSpacing.y;
}

}  // namespace

float branch_width(float avail, bool* side) {
  const float spacing = ImGui::GetStyle().ItemSpacing.x;
  *side = (avail - spacing) * 0.5f >= em(kBranchMinEm);
  return *side ? (avail - spacing) * 0.5f : avail;
}

float branch_pictures_min_width() {
  return em(2.0f * kBranchMinEm) + ImGui::GetStyle().ItemSpacing.x;
}

float branch_caption_height(const AppState& state, const pg::Session& run, const pg::Session& fork,
                            float avail) {
  std::string captions[2];
  captions_of(state, run, fork, captions);
  bool side = false;
  const float w = branch_width(avail, &side);
  return caption_height(captions, w - ImGui::GetStyle().WindowPadding.x * 2.0f);
}

void DrawBranchPictures(ViewContext& ctx, const pg::Session& run, const pg::Session& fork) {
  std::string captions[2];
  captions_of(ctx.state, run, fork, captions);
  // A fork whose update faulted is shown at its last boundary (shown_fork): its branch says that
  // it stopped and why, in the words `pglab train` prints for the same fault.
  ForkView f;
  std::string stopped;
  if (fork_view(ctx.state, &f) && !f.fault.empty() && f.latest.get() == &fork) {
    stopped = fork_stopped_message(f.stopped_at(), f.fault);
    stopped[0] = 'T';  // a sentence of its own
  }
  // Side by side, each half the width; a branch narrower than kBranchMinEm is stacked instead
  // (each half the height). Both pictures get one size: the class compares two worlds drawn to
  // the same scale.
  const ImGuiStyle& style = ImGui::GetStyle();
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  bool side = false;
  const float w = branch_width(avail.x, &side);
  const ImVec2 size =
      side ? ImVec2(w, avail.y)
           : ImVec2(avail.x, std::max(em(12.0f), (avail.y - style.ItemSpacing.y) * 0.5f));
  const float inner_w = size.x - style.WindowPadding.x * 2.0f;
  const float caption_h = caption_height(captions, inner_w);
  const ImVec2 picture_size(inner_w, size.y - style.WindowPadding.y * 2.0f - caption_h);
  picture(ctx, run, fork, captions[0], size, caption_h, picture_size, 0);
  if (side) ImGui::SameLine(0, style.ItemSpacing.x);
  picture(ctx, fork, run, captions[1], size, caption_h, picture_size, 7, stopped);
}

}  // namespace pglab::gui
