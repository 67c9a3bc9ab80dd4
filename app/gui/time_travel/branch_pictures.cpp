// The two branches' environment pictures side by side (issue 10, item 1: a fork runs beside the
// run on the same random streams; the overview draws both when a fork exists).
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "gui/compare/compare.h"
#include "gui/time_travel/time_travel.h"
#include "gui/views/views.h"

namespace pglab::gui {

namespace {

// One branch: who it is (wrapped), then its iteration and J (or return) on lines of their own, so
// no number is broken across lines, then its picture.
void picture(ViewContext& ctx, const pg::Session& s, const std::string& who, const ImVec2& size,
             int slot) {
  // Padded: a caption starting with "J" would otherwise reach left of the child's clip edge.
  ImGui::BeginChild(slot == 0 ? "branch_run" : "branch_fork", size, false,
                    ImGuiWindowFlags_AlwaysUseWindowPadding);
  text_wrapped_at_spaces(who.c_str());
  ImGui::Text("iteration %d", s.iteration());
  if (s.exact())
    ImGui::Text("J(θ) = %.4g", s.exact()->J);
  else if (!s.history().empty())
    ImGui::Text("return %.4g", s.history().back().return_mean);
  EnvDrawOptions o;
  o.color_mode = ctx.state.views.overview.color_mode;
  o.trajectory = s.batch().size() > 0 ? s.batch().size() - 1 : -1;
  ctx.env.draw(s, o, ImGui::GetContentRegionAvail(), ctx.theme, slot);
  ImGui::EndChild();
}

}  // namespace

void DrawBranchPictures(ViewContext& ctx, const pg::Session& run, const pg::Session& fork) {
  ForkView f;
  const std::string what = fork_view(ctx.state, &f)
                               ? "fork at " + std::to_string(f.start) + ": " + f.what
                               : std::string("fork");
  // Side by side; a picture that fills what it is given (cart-pole, not a grid of fixed shape)
  // is stacked instead (each half the height) when half the width is under 16 em, since its own
  // text needs the width.
  const ImGuiStyle& style = ImGui::GetStyle();
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float half_w = (avail.x - style.ItemSpacing.x) * 0.5f;
  if (half_w >= em(16.0f) || EnvRenderer::height_per_width(run.env()) > 0.0f) {
    picture(ctx, run, "this run", ImVec2(half_w, avail.y), 0);
    ImGui::SameLine(0, style.ItemSpacing.x);
    picture(ctx, fork, what, ImVec2(half_w, avail.y), 7);
  } else {
    const float half_h = std::max(em(4.0f), (avail.y - style.ItemSpacing.y) * 0.5f);
    picture(ctx, run, "this run", ImVec2(avail.x, half_h), 0);
    picture(ctx, fork, what, ImVec2(avail.x, half_h), 7);
  }
}

}  // namespace pglab::gui
