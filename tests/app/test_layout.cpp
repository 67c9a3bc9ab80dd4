// The layout rules of gui/layout.h that need no window: the 40% rule for environment pictures,
// line breaks at spaces only, and a legend taller than its plot laid out in columns (checked with
// the clip check on a headless frame). (The views' measured picture sizes are checked in
// gui_all_views, through `pglab shot`.)
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "gui/clip_check.h"
#include "gui/layout.h"
#include "gui/panels/panels.h"
#include "gui/plot/plot.h"
#include "gui/views/env_draw.h"
#include "gui/views/views.h"
#include "gui/window.h"
#include "headless_imgui.h"
#include "io/params.h"
#include "io/scenario.h"
#include "session/session.h"

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

// A headless ImGui (headless_imgui.h) inside one frame: CalcTextSize needs a current font.
class Headless : public ::testing::Test {
 protected:
  void SetUp() override {
    imgui_.emplace();
    ImGui::GetIO().DeltaTime = 1.0f / 60.0f;
    ImGui::NewFrame();
  }
  void TearDown() override {
    ImGui::EndFrame();
    imgui_.reset();
  }
  static std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines(1);
    for (char c : text) {
      if (c == '\n')
        lines.emplace_back();
      else
        lines.back() += c;
    }
    return lines;
  }
  std::optional<HeadlessImGui> imgui_;
};

TEST_F(Headless, WrapBreaksAtSpacesOnlySoNumbersStayWhole) {
  using pglab::gui::wrap_at_spaces;
  const char* text = "cos 0.94 and SNR 1.176 per step";
  // ImGui's own wrap at this width breaks after the '.' of "0.94"; ours only at a space.
  const float width = ImGui::CalcTextSize("cos 0.9").x;
  const std::string out = wrap_at_spaces(text, width);
  const std::vector<std::string> lines = lines_of(out);
  ASSERT_GE(lines.size(), 3u);
  std::string joined;
  for (const std::string& l : lines) {
    EXPECT_NE(l.back(), '.') << out;
    // A line is no wider than the width unless it is one word.
    if (l.find(' ') != std::string::npos) {
      EXPECT_LE(ImGui::CalcTextSize(l.c_str()).x, width) << l;
    }
    joined += (joined.empty() ? "" : " ") + l;
  }
  EXPECT_EQ(joined, text);  // nothing lost, breaks replace spaces
  EXPECT_NE(out.find("0.94"), std::string::npos);
  EXPECT_NE(out.find("1.176"), std::string::npos);
}

TEST_F(Headless, WrapKeepsNewlinesLongWordsAndNoBreakSpaces) {
  using pglab::gui::wrap_at_spaces;
  EXPECT_EQ(wrap_at_spaces("a b\nc d", 1000.0f), "a b\nc d");
  EXPECT_EQ(wrap_at_spaces("0.000123456789", 10.0f), "0.000123456789");  // wider, still whole
  // "α = 0.127" joined by no-break spaces (U+00A0) is one word.
  const std::string nb = "parts at \u03b1\u00a0=\u00a00.127";
  const float width = ImGui::CalcTextSize("parts at \u03b1 =").x;
  EXPECT_EQ(wrap_at_spaces(nb.c_str(), width), "parts at\n\u03b1\u00a0=\u00a00.127");
  // A word wider than the line breaks after a '/' whose head fits, else after a '.' between two
  // letters (a setting's key in a fault message, in a fork's half-width branch: it ran 41 px past
  // the edge), and nowhere else: a number stays whole.
  const float w2 = ImGui::CalcTextSize("unbiased reward-to-go/").x;
  EXPECT_EQ(wrap_at_spaces("unbiased reward-to-go/leave-one-out: x", w2),
            "unbiased\nreward-to-go/\nleave-one-out: x");
  EXPECT_EQ(wrap_at_spaces("a/b", 1.0f), "a/b");  // no head fits: whole
  const float w3 = ImGui::CalcTextSize("clip (algorithm.").x;
  EXPECT_EQ(wrap_at_spaces("clip (algorithm.max_grad_norm), 0.000123456789", w3),
            "clip\n(algorithm.\nmax_grad_norm),\n0.000123456789");
}

// The short corridor's cell names (S, 1, 2, G) and its P(move right) labels never touch, whatever
// the cells' size: a fork's half-width branch at 1280×720 drew both rows on one line, "S0.08" and
// "20.08G" read as numbers (a11 F5). A name is at a cell's centre, a label at a gap's, half a pitch
// away; apart sideways or a line apart in height.
TEST_F(Headless, CorridorNamesStandClearOfTheArrowLabels) {
  using pglab::gui::envdraw::corridor_rows;
  const float fs = ImGui::GetFontSize(), line = ImGui::GetTextLineHeight();
  const float label_w = ImGui::CalcTextSize("0.00").x;
  float name_w = 0.0f;
  for (const char* name : {"S", "1", "2", "G"})
    name_w = std::max(name_w, ImGui::CalcTextSize(name).x);
  int lifted = 0;
  for (float cw = fs * 0.5f; cw <= fs * 7.0f; cw += 0.5f) {
    const float gap = cw * 0.95f, ch = std::min(cw, fs * 4.2f);
    const pglab::gui::envdraw::CorridorRows r = corridor_rows(cw, gap, ch);
    const float name_y = r.name_rise + r.lift;
    const bool apart_x = 0.5f * (name_w + label_w) < 0.5f * (cw + gap);
    for (float y = r.label_rise_min; y <= r.label_rise_max + 1e-3f; y += 0.25f)
      EXPECT_TRUE(apart_x || std::abs(name_y - y) >= line)
          << "cells " << cw << " px: a name at " << name_y << ", a label at " << y;
    lifted += r.lift > 0.0f;
  }
  EXPECT_GT(lifted, 0);  // small cells do lift the names
  EXPECT_EQ(corridor_rows(fs * 7.0f, fs * 6.65f, fs * 4.2f).lift, 0.0f);  // large ones keep them
}

// File → Open session lists names like "pglab-session-30-Gridworld-…-leave-one-2.json" in a list
// narrower than they are: the cut is in the middle, so the "-2" that tells two saves of the same
// run apart stays in sight (the list cut the end off, and with it that suffix).
TEST_F(Headless, ElideMiddleKeepsTheStartAndTheEnd) {
  using pglab::gui::elide_middle;
  const std::string name =
      "pglab-session-30-Gridworld-4-4-REINFORCE-with-reward-to-go-and-a-leave-one-2.json";
  const float width = ImGui::CalcTextSize(name.c_str()).x * 0.5f;
  const std::string out = elide_middle(name, width);
  EXPECT_LE(ImGui::CalcTextSize(out.c_str()).x, width) << out;
  EXPECT_EQ(out.rfind("pglab-session-30-", 0), 0u) << out;
  EXPECT_EQ(out.substr(out.size() - 7), "-2.json") << out;
  EXPECT_NE(out.find("…"), std::string::npos) << out;
  EXPECT_GT(ImGui::CalcTextSize(out.c_str()).x, width * 0.9f) << "uses the room it has: " << out;
  EXPECT_EQ(elide_middle("short.json", width), "short.json");
  // Multi-byte characters are kept whole.
  const std::string greek = "θθθθθθθθθθθθθθθθθθθθθθθθθθθθθθ";
  const std::string g = elide_middle(greek, ImGui::CalcTextSize(greek.c_str()).x * 0.5f);
  const size_t cut = g.find("…");
  ASSERT_NE(cut, std::string::npos) << g;
  const std::string head = g.substr(0, cut), tail = g.substr(cut + std::string("…").size());
  EXPECT_EQ(head.size() % 2, 0u) << g;  // θ is two bytes
  EXPECT_EQ(tail.size() % 2, 0u) << g;
  EXPECT_EQ(greek.rfind(head, 0), 0u) << g;
  EXPECT_EQ(greek.compare(greek.size() - tail.size(), tail.size(), tail), 0) << g;
}

// The world editor's slip and γ sliders: a value dragged to is stored as the decimal the slider
// shows, so a painted world equals the map file that says the same ("slip 0.2"). A float slider
// stored 0.20000000298023224 for 0.2, and exact J differed from the file's by 3.7e-9.
TEST_F(Headless, ADecimalSliderStoresTheDecimalItShows) {
  using pglab::gui::slider_decimal;
  ImGui::EndFrame();  // the fixture's frame; this test runs its own
  ImGuiIO& io = ImGui::GetIO();
  double v = 0.5;
  ImVec2 lo, hi;  // the slider's frame, from the first frame
  std::vector<double> stored;
  // Press on the slider at fractions of its width, one position a frame, then release.
  const float at[] = {-1.0f, 0.2f, 0.2f, 0.37f, 0.613f, 0.9f, -1.0f};
  for (float t : at) {
    io.DeltaTime = 1.0f / 60.0f;
    io.MouseDown[0] = t >= 0.0f;
    if (t >= 0.0f) io.MousePos = ImVec2(lo.x + t * (hi.x - lo.x), 0.5f * (lo.y + hi.y));
    ImGui::NewFrame();
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ImVec2(400, 100));
    ImGui::Begin("slider");
    ImGui::SetNextItemWidth(300.0f);
    if (slider_decimal("slip", &v, 0.0, 1.0, 3)) stored.push_back(v);
    lo = ImGui::GetItemRectMin();
    hi = ImGui::GetItemRectMax();
    ImGui::End();
    ImGui::EndFrame();
  }
  ImGui::NewFrame();  // for the fixture's TearDown
  ASSERT_GE(stored.size(), 3u) << "the drag moved the slider";
  for (double x : stored) {
    char shown[32];
    std::snprintf(shown, sizeof shown, "%.3f", x);
    char stored_text[32];
    std::snprintf(stored_text, sizeof stored_text, "%.17g", x);
    EXPECT_EQ(x, std::strtod(shown, nullptr)) << stored_text << " for " << shown;  // bit for bit
  }
}

// Scenario settings: an integer key is edited in 64 bits within its range. The seed's range is
// [0, 2⁵³ − 1]; an int showed 9007199254740991 as −1 and its "−"/"+" then stepped from there
// (audit a8 F10). A click on "−" gives the seed one less.
TEST_F(Headless, AnIntegerSettingAbove2To31StepsFromItsValue) {
  ImGui::EndFrame();  // the fixture's frame; this test runs its own
  ImGuiIO& io = ImGui::GetIO();
  const pg::ParamSpec* seed = pg::find_param("seed");
  ASSERT_NE(seed, nullptr);
  const nlohmann::json current = static_cast<uint64_t>(9007199254740991ULL);
  ImVec2 minus(-1, -1);  // the "−" button's centre, from the first frame
  std::vector<nlohmann::json> stored;
  for (int frame = 0; frame < 6; ++frame) {
    io.DeltaTime = 1.0f / 60.0f;
    if (frame >= 1) io.MousePos = minus;
    io.MouseDown[0] = frame == 2 || frame == 3;
    ImGui::NewFrame();
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ImVec2(500, 100));
    ImGui::Begin("settings");
    const ImVec2 at = ImGui::GetCursorScreenPos();
    // The row's field is as wide as the window less 1.6 em (edit_param), its − and + buttons
    // (frame-height squares, ItemInnerSpacing apart) at its right end.
    const float right = at.x + ImGui::GetContentRegionAvail().x - ImGui::GetFontSize() * 1.6f;
    const float h = ImGui::GetFrameHeight(), inner = ImGui::GetStyle().ItemInnerSpacing.x;
    minus = ImVec2(right - 1.5f * h - inner, at.y + 0.5f * h);
    nlohmann::json out;
    if (pglab::gui::edit_param(*seed, current, &out)) stored.push_back(out);
    ImGui::End();
    ImGui::EndFrame();
  }
  ImGui::NewFrame();  // for the fixture's TearDown
  ASSERT_EQ(stored.size(), 1u) << "one click on − changed the seed once";
  EXPECT_EQ(stored[0].get<long long>(), 9007199254740990LL) << stored[0].dump();
}

TEST_F(Headless, FormattedNotesAreWrappedInFullAtSpaces) {
  // note_wrappedf and colored_wrappedf format past their 1 KiB buffer and break where
  // wrap_at_spaces does: the item is exactly as many lines high as wrap_at_spaces gives for the
  // whole text at the window's width (ImGui's own wrap would break after '.', a cut text at 1 KiB).
  std::string words;
  for (int i = 0; words.size() < 3000; ++i) words += "cos 0." + std::to_string(9000 + i) + " ";
  const std::string full = words + "SNR 1.176";
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(ImVec2(500, 4000));
  ImGui::Begin("notes");
  const float width = ImGui::GetContentRegionAvail().x;
  const auto lines =
      static_cast<float>(lines_of(pglab::gui::wrap_at_spaces(full.c_str(), width)).size());
  ASSERT_GT(lines, 20.0f);
  const float line_h = ImGui::GetTextLineHeight();  // one text item: lines stacked without spacing
  pglab::gui::note_wrappedf("%sSNR %.3f", words.c_str(), 1.176);
  EXPECT_NEAR(ImGui::GetItemRectSize().y, lines * line_h, 0.5f);
  pglab::gui::colored_wrappedf(ImVec4(1, 0, 0, 1), "%sSNR %.3f", words.c_str(), 1.176);
  EXPECT_NEAR(ImGui::GetItemRectSize().y, lines * line_h, 0.5f);
  ImGui::End();
}

TEST_F(Headless, OnlyAViewUnderEighteenFontSizesIsShort) {
  // 1280×720 at presenter scale 2 leaves a view ~14 font sizes; ×1.5 and 1920×1080 ×2, 21 and more.
  using pglab::gui::short_view;
  const float fs = ImGui::GetFontSize();
  pglab::gui::LayoutUi ui;
  EXPECT_FALSE(short_view(ui));  // no view measured yet
  ui.view_area = ImVec2(60 * fs, 14 * fs);
  EXPECT_TRUE(short_view(ui));
  ui.view_area.y = 17.9f * fs;
  EXPECT_TRUE(short_view(ui));
  ui.view_area.y = 18 * fs;
  EXPECT_FALSE(short_view(ui));
  ui.view_area.y = 21 * fs;
  EXPECT_FALSE(short_view(ui));
}

TEST_F(Headless, AShortViewFoldsAParagraphAndSettingsRowsToOneLineEach) {
  // What a short view saves: the explanation, the settings rows and a finding's explanation each
  // take one line instead of theirs; a view with room draws them as before.
  using namespace pglab::gui;
  std::string text;
  for (int i = 0; i < 40; ++i) text += "the baseline leaves E[ĝ] unchanged ";
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(ImVec2(400, 4000));
  ImGui::Begin("short");
  const float line = ImGui::GetTextLineHeight();
  const float gap = ImGui::GetStyle().ItemSpacing.y;
  const float lines = static_cast<float>(
      lines_of(wrap_at_spaces(text.c_str(), ImGui::GetContentRegionAvail().x)).size());
  ASSERT_GT(lines, 5.0f);
  auto height_of = [&](auto draw) {
    const float y0 = ImGui::GetCursorPosY();
    draw();
    return ImGui::GetCursorPosY() - y0;
  };
  // Room: the paragraph whole; short: its title behind an arrow, one line (closed at first).
  EXPECT_NEAR(height_of([&] { explanation(false, "What it shows", text.c_str()); }),
              lines * line + gap, 0.5f);
  EXPECT_NEAR(height_of([&] { explanation(true, "What it shows", text.c_str()); }), line + gap,
              0.5f);
  // Opened (a click), the paragraph under its title.
  EXPECT_NEAR(height_of([&] {
                ImGui::SetNextItemOpen(true);
                explanation(true, "What it shows", text.c_str());
              }),
              line + gap + lines * line + gap, 0.5f);
  // A finding: the whole where there is room, the finding and "(?)" on one line where short.
  EXPECT_NEAR(height_of([&] { finding(false, "mean ψ² ×1.37 smaller", text); }), lines * line + gap,
              0.5f);
  EXPECT_NEAR(height_of([&] { finding(true, "mean ψ² ×1.37 smaller", text); }), line + gap, 0.5f);
  // Settings rows: drawn where there is room, behind one closed line where short; the summary gives
  // way to the narrow name where it does not fit.
  EXPECT_TRUE(settings_rows(false, "##rows", "K 200 · N 16", "K, N"));
  bool shown = true;
  EXPECT_NEAR(height_of([&] { shown = settings_rows(true, "##rows", "K 200 · N 16", "K, N"); }),
              line + gap, 0.5f);
  EXPECT_FALSE(shown);
  ImGui::SetNextItemOpen(true);
  EXPECT_TRUE(settings_rows(true, "##rows", "K 200 · N 16", "K, N"));
  ImGui::End();
}

TEST_F(Headless, ALegendTallerThanItsPlotGoesIntoColumnsUncut) {
  // Issue 9's surrogate view: six legend lines in a wide plot whose area is ~4 lines high. In one
  // column the last lines were cut at the plot area's bottom edge.
  namespace plot = pglab::plot;
  ImGui::EndFrame();
  ImGui::NewFrame();
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(ImVec2(800, 600));
  ImGui::Begin("legend");
  const double xs[2] = {0.0, 1.0}, ys[2] = {0.0, 1.0};
  ASSERT_TRUE(plot::BeginPlot("short##legend", ImVec2(700, ImGui::GetFontSize() * 9.0f)));
  for (const char* label : {"J (exact)", "L^CPI", "L^CLIP", "L^KL", "GRPO", "step taken"})
    plot::PlotLine(label, xs, ys, 2);
  plot::EndPlot();
  ImGui::End();
  ImGui::Render();
  std::string found;
  for (const pglab::gui::ClippedText& c : pglab::gui::find_clipped_text())
    found += pglab::gui::describe(c) + "\n";
  EXPECT_EQ(found, "");
  ImGui::NewFrame();  // for TearDown's EndFrame
}

// The text of every string literal in C++ source `src` (comments skipped; escapes kept as written,
// which are ASCII), with the line each starts on.
std::vector<std::pair<int, std::string>> string_literals(const std::string& src) {
  std::vector<std::pair<int, std::string>> out;
  int line = 1;
  for (size_t i = 0; i < src.size(); ++i) {
    const char c = src[i];
    if (c == '\n') {
      ++line;
    } else if (c == '/' && i + 1 < src.size() && src[i + 1] == '/') {
      while (i < src.size() && src[i] != '\n') ++i;
      --i;
    } else if (c == '/' && i + 1 < src.size() && src[i + 1] == '*') {
      for (i += 2; i + 1 < src.size() && !(src[i] == '*' && src[i + 1] == '/'); ++i)
        if (src[i] == '\n') ++line;
      ++i;
    } else if (c == '\'') {  // a character literal ('"' must not open a string)
      for (++i; i < src.size() && src[i] != '\''; ++i)
        if (src[i] == '\\') ++i;
    } else if (c == '"') {
      std::string text;
      for (++i; i < src.size() && src[i] != '"'; ++i) {
        if (src[i] == '\\') text += src[i++];
        text += src[i];
      }
      out.emplace_back(line, text);
    }
  }
  return out;
}

// The code points of UTF-8 text (invalid bytes as U+FFFD).
std::vector<unsigned> code_points(const std::string& s) {
  std::vector<unsigned> out;
  for (size_t i = 0; i < s.size();) {
    const unsigned char b = static_cast<unsigned char>(s[i]);
    const int n = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : (b >> 3) == 30 ? 4 : 0;
    if (n == 0 || i + static_cast<size_t>(n) > s.size()) {
      out.push_back(0xFFFD);
      ++i;
      continue;
    }
    unsigned cp = n == 1 ? b : b & (0x7Fu >> n);
    for (int k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3Fu);
    out.push_back(cp);
    i += static_cast<size_t>(n);
  }
  return out;
}

// Indices and exponents known only when drawing, in the digits the fixed formulas use.
// a9 F4: a 4×4 map in a short, wide view (1280×720 ×2 with the controls folded) was drawn 156 px
// high in a picture 390 px high: the overview gave the picture 42% of the width, where the cells
// could only have the height left under their colour key. Given width_for_height(H), the legend
// goes beside the cells and the map takes the height.
TEST_F(Headless, AGridGivenTheWidthForItsHeightUsesTheHeight) {
  const pg::Session s(pg::load_scenario("gridworld-reinforce"));
  const float fs = ImGui::GetFontSize();
  for (float h : {fs * 12.0f, fs * 15.0f, fs * 24.0f, fs * 50.0f}) {
    const float w = pglab::gui::EnvRenderer::width_for_height(s.env(), h);
    bool side = false;
    const float cell = pglab::gui::envdraw::grid_cell_side(w, h, 4, 4, fs, true, &side);
    EXPECT_TRUE(side) << h;
    EXPECT_GE(cell * 4.0f, h - pglab::gui::envdraw::grid_header_height(fs, true) - fs * 0.3f - 4.0f)
        << "a picture " << w << "x" << h << " draws a map of " << cell * 4.0f;
    // Narrower, the map is smaller: what the overview had (42% of a wide view).
    EXPECT_LT(pglab::gui::envdraw::grid_cell_side(w * 0.8f, h, 4, 4, fs, true), cell) << h;
  }
  // A picture without a fixed shape fills any box: no width to ask for.
  const pg::Session cart(pg::load_scenario("cartpole-reinforce"));
  EXPECT_EQ(pglab::gui::EnvRenderer::width_for_height(cart.env(), 300.0f), 0.0f);
}

// a10 item 5: the meter's entropy panel, last of six, was below the fold at 1280×720 while its
// badge was red. The panels whose badge fires come first.
TEST(MeterPanels, ThoseWhoseBadgeFiresComeFirst) {
  const int signal[6] = {static_cast<int>(pg::DeadSignal::kLossZero),
                         -1,
                         -1,
                         -1,
                         static_cast<int>(pg::DeadSignal::kCriticExplainsNothing),
                         static_cast<int>(pg::DeadSignal::kEntropyCollapse)};
  using pglab::gui::meter_panel_order;
  EXPECT_EQ(meter_panel_order({}, signal), (std::vector<int>{0, 1, 2, 3, 4, 5}));
  EXPECT_EQ(meter_panel_order({{pg::DeadSignal::kEntropyCollapse, ""}}, signal),
            (std::vector<int>{5, 0, 1, 2, 3, 4}));
  EXPECT_EQ(meter_panel_order({{pg::DeadSignal::kEntropyCollapse, ""},
                               {pg::DeadSignal::kCriticExplainsNothing, ""}},
                              signal),
            (std::vector<int>{4, 5, 0, 1, 2, 3}));
  // A badge without a panel of its own moves nothing.
  EXPECT_EQ(meter_panel_order({{pg::DeadSignal::kZeroSpread, ""}}, signal),
            (std::vector<int>{0, 1, 2, 3, 4, 5}));
}

TEST(Layout, SubscriptAndSuperscriptDigits) {
  EXPECT_EQ(pglab::gui::subscript(0), "₀");
  EXPECT_EQ(pglab::gui::subscript(38), "₃₈");
  EXPECT_EQ(pglab::gui::subscript(-7), "₋₇");
  EXPECT_EQ(pglab::gui::superscript(0), "⁰");
  EXPECT_EQ(pglab::gui::superscript(-3), "⁻³");
  EXPECT_EQ(pglab::gui::superscript(1290), "¹²⁹⁰");
}

// Every character the app may draw is in its fonts and in the ranges it loads from them: the UI
// font for everything, the monospace font for the inspector's ledger as well. Checked over every
// string literal of app/ and core/ (the views' texts, the algorithms' derivations, error messages)
// and the scenarios, lessons and maps (names, descriptions, lesson texts). A subscript j (ⱼ,
// Latin Extended-C) outside the ranges was drawn as '?' in the controls' baseline formula.
TEST(Glyphs, EveryStringTheAppMayDrawHasItsGlyphs) {
  namespace fs = std::filesystem;
  ImFontAtlas atlas;
  ImFont* fonts[2] = {nullptr, nullptr};
  const char* paths[2] = {pglab::gui::ui_font_path(), pglab::gui::mono_font_path()};
  for (int f = 0; f < 2; ++f) {
    ASSERT_TRUE(fs::exists(paths[f])) << paths[f] << " (Debian's fonts-dejavu-core)";
    fonts[f] = atlas.AddFontFromFileTTF(paths[f], 16.0f, nullptr, pglab::gui::ui_glyph_ranges());
  }
  ASSERT_TRUE(atlas.Build());
  std::map<unsigned, std::string> missing[2];  // code point → first place it occurs
  int strings = 0;
  auto check = [&](const std::string& text, const std::string& where) {
    ++strings;
    for (const unsigned cp : code_points(text)) {
      if (cp < 0x80) continue;
      for (int f = 0; f < 2; ++f)
        if (fonts[f]->FindGlyphNoFallback(static_cast<ImWchar>(cp)) == nullptr)
          missing[f].emplace(cp, where);
    }
  };
  const fs::path root(PGLAB_SOURCE_DIR);
  for (const char* dir : {"app", "core", "assets"}) {
    for (const auto& e : fs::recursive_directory_iterator(root / dir)) {
      if (!e.is_regular_file()) continue;
      const fs::path& p = e.path();
      const std::string ext = p.extension().string();
      const bool code = ext == ".cpp" || ext == ".h";
      const bool text = ext == ".json" || ext == ".txt" || ext == ".map" || ext.empty();
      if (!code && !text) continue;
      std::ifstream in(p, std::ios::binary);
      std::stringstream buf;
      buf << in.rdbuf();
      const std::string rel = fs::relative(p, root).string();
      if (code) {
        for (const auto& [line, s] : string_literals(buf.str()))
          check(s, rel + ":" + std::to_string(line));
      } else {
        check(buf.str(), rel);
      }
    }
  }
  EXPECT_GT(strings, 5000);  // the walk found the sources
  for (int f = 0; f < 2; ++f) {
    std::string list;
    for (const auto& [cp, where] : missing[f]) {
      char hex[16];
      std::snprintf(hex, sizeof hex, "U+%04X", cp);
      list += std::string(hex) + " first in " + where + "\n";
    }
    EXPECT_EQ(list, "") << paths[f];
  }
}

}  // namespace
