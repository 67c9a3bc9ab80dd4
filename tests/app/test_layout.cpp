// The layout rules of gui/layout.h that need no window: the 40% rule for environment pictures.
// (The views' measured picture sizes are checked in gui_all_views, through `pglab shot`.)
#include <gtest/gtest.h>

#include "gui/layout.h"

namespace {

using pglab::gui::keeps_picture_share;
using pglab::gui::kMinPictureShare;
using pglab::gui::picture_box;

TEST(PictureBox, GrowsASmallBoxToFortyPercentOfTheView) {
  // The inspector's 1280×720 failure of issue 9: a 30 px map in a 840×620 view.
  const ImVec2 box = picture_box(ImVec2(840, 620), ImVec2(30, 30));
  EXPECT_EQ(box.x, 336.0f);  // ceil(0.4 × 840)
  EXPECT_EQ(box.y, 248.0f);  // ceil(0.4 × 620)
  EXPECT_TRUE(keeps_picture_share(ImVec2(840, 620), box));
}

TEST(PictureBox, KeepsALargerBoxAsItIs) {
  const ImVec2 box = picture_box(ImVec2(1000, 500), ImVec2(560, 480));
  EXPECT_EQ(box.x, 560.0f);
  EXPECT_EQ(box.y, 480.0f);
}

TEST(PictureBox, EachAxisOnItsOwn) {
  // Stacked (full width, a short strip) and side by side (full height, a thin column).
  const ImVec2 wide = picture_box(ImVec2(900, 700), ImVec2(900, 100));
  EXPECT_EQ(wide.x, 900.0f);
  EXPECT_EQ(wide.y, 280.0f);
  const ImVec2 tall = picture_box(ImVec2(900, 700), ImVec2(120, 700));
  EXPECT_EQ(tall.x, 360.0f);
  EXPECT_EQ(tall.y, 700.0f);
}

TEST(PictureShare, FailsBelowFortyPercentOnEitherAxis) {
  const ImVec2 view(1000, 800);
  EXPECT_TRUE(keeps_picture_share(view, ImVec2(400, 320)));
  EXPECT_TRUE(keeps_picture_share(view, ImVec2(399.5f, 319.5f)));  // rounding to whole pixels
  EXPECT_FALSE(keeps_picture_share(view, ImVec2(380, 800)));       // 38% of the width
  EXPECT_FALSE(keeps_picture_share(view, ImVec2(1000, 300)));      // 37.5% of the height
  EXPECT_FLOAT_EQ(kMinPictureShare, 0.4f);
}

TEST(WorldShare, EitherAxisWillDo) {
  using pglab::gui::keeps_world_share;
  const ImVec2 view(1000, 600);
  EXPECT_TRUE(keeps_world_share(view, ImVec2(240, 240)));   // 40% of the height
  EXPECT_TRUE(keeps_world_share(view, ImVec2(400, 133)));   // a 4×12 grid: 40% of the width
  EXPECT_FALSE(keeps_world_share(view, ImVec2(184, 184)));  // issue 9's small map: 31% of 600
}

}  // namespace
