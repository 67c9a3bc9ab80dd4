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
// pictures start at the same height. No scrollbar: everything is sized to fit.
void picture(ViewContext& ctx, const pg::Session& s, const std::string& caption, const ImVec2& size,
             float caption_h, const ImVec2& picture_size, int slot) {
  // Padded: a caption starting with "J" would otherwise reach left of the child's clip edge.
  ImGui::BeginChild(slot == 0 ? "branch_run" : "branch_fork", size, false,
                    ImGuiWindowFlags_AlwaysUseWindowPadding | ImGuiWindowFlags_NoScrollbar |
                        ImGuiWindowFlags_NoScrollWithMouse);
  const float y0 = ImGui::GetCursorPosY();
  text_wrapped_at_spaces(caption.c_str());
  ImGui::SetCursorPosY(y0 + caption_h);
  EnvDrawOptions o;
  o.color_mode = ctx.state.views.overview.color_mode;
  o.trajectory = s.batch().size() > 0 ? s.batch().size() - 1 : -1;
  o.brief = true;  // the same world twice: its description once would repeat what the captions say
  ctx.env.draw(s, o, picture_size, ctx.theme, slot);
  ImGui::EndChild();
}

}  // namespace

float branch_pictures_min_width() {
  return em(2.0f * kBranchMinEm) + ImGui::GetStyle().ItemSpacing.x;
}

void DrawBranchPictures(ViewContext& ctx, const pg::Session& run, const pg::Session& fork) {
  ForkView f;
  const std::string what = fork_view(ctx.state, &f)
                               ? "fork at " + std::to_string(f.start) + ": " + f.what
                               : std::string("fork");
  const std::string captions[2] = {caption_of(run, "this run"), caption_of(fork, what)};
  // Side by side, each half the width; a branch narrower than kBranchMinEm is stacked instead
  // (each half the height). Both pictures get one size: the class compares two worlds drawn to
  // the same scale.
  const ImGuiStyle& style = ImGui::GetStyle();
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const bool side = (avail.x - style.ItemSpacing.x) * 0.5f >= em(kBranchMinEm);
  const ImVec2 size =
      side ? ImVec2((avail.x - style.ItemSpacing.x) * 0.5f, avail.y)
           : ImVec2(avail.x, std::max(em(12.0f), (avail.y - style.ItemSpacing.y) * 0.5f));
  const float inner_w = size.x - style.WindowPadding.x * 2.0f;
  float caption_h = 0.0f;
  for (const std::string& c : captions)
    caption_h =
        std::max(caption_h, ImGui::CalcTextSize(wrap_at_spaces(c.c_str(), inner_w).c_str()).y);
  caption_h += style.ItemSpacing.y;
  const ImVec2 picture_size(inner_w, size.y - style.WindowPadding.y * 2.0f - caption_h);
  picture(ctx, run, captions[0], size, caption_h, picture_size, 0);
  if (side) ImGui::SameLine(0, style.ItemSpacing.x);
  picture(ctx, fork, captions[1], size, caption_h, picture_size, 7);
}

}  // namespace pglab::gui
