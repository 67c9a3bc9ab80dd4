// Panel placement without ImGui's docking branch (Debian's 1.86 has none): a fixed tiling
// computed from the main viewport in font units.
//
//   +----------+------------------------------------------+
//   | Controls | Lab: tabs Overview | Variance | Baseline  |
//   |          |      | Inspector | Rollout                |
//   |          |  (the view in front fills the area)      |
//   +----------+------------------------------------------+
//
// Presenter scale (View → Presenter scale, F) scales the font, every style size and so the whole
// layout, because every size is in font units: the controls column is ~19 em wide but at most a
// third of the window, and folds to a slim bar (C, or its « button) to give the views the width.
// A panel respects presenter scale when it (1) sizes things with em() or ImGui::GetFontSize(),
// never in pixels; (2) lets text wrap (TextWrapped, PushTextWrapPos(0)) or wraps rows with
// same_line_if_fits() rather than assuming a line is long enough; (3) gives a picture what is left
// of GetContentRegionAvail() after its text, at least kMinPictureShare of the view. `pglab shot
// --scale S --check-clipping` (gui/clip_check.h) reports any text it cut.
//
// begin_panel() applies a rectangle with ImGuiCond_FirstUseEver (so positions saved in imgui.ini
// win), or with ImGuiCond_Always when `force` is set: on "reset layout", and when the viewport
// size or the font size (presenter mode) changed.
#pragma once

#include <string>

#include "imgui.h"

namespace pglab::gui {

struct PanelRect {
  ImVec2 pos;
  ImVec2 size;
};

struct Layout {
  PanelRect controls, lab;
};

// The layout's own UI state (AppState::layout_ui).
struct LayoutUi {
  bool controls_folded = false;  // the controls column is a slim bar of icon buttons (key C)
  bool laid_out_folded = false;  // what the panel rectangles were last placed for
  bool tabs_wrapped = false;     // last frame the view titles did not fit one tab bar
  bool lesson_laid_out = false;  // last frame had the lesson column (gui_main folds on opening)
  // This frame's view area (screen units): what the lab panel leaves under the tabs, set before the
  // view draws. picture_box() measures the picture's share against it.
  ImVec2 view_area = ImVec2(0.0f, 0.0f);
  ImVec2 view_origin = ImVec2(0.0f, 0.0f);  // its top left corner (screen units)
  // View → Presenter scale while its slider is dragged (0: not dragged): applied on release, as
  // the menu resized under the pointer while the scale changed with it.
  float presenter_scale_drag = 0.0f;
};

// The share of a view's area an environment picture keeps, at every size and scale.
inline constexpr float kMinPictureShare = 0.4f;

// The 40% rule (issue 9): the box a view gives its environment picture, `wanted` grown to at least
// kMinPictureShare of the view's width and of its height (`view`: LayoutUi::view_area), so the
// world stays readable from the back of a room at every window size and presenter scale. Every
// view that draws the picture sizes it with this; where the rest of the view then lacks room it
// scrolls, the picture does not shrink. `pglab shot` reports the share it measured
// (EnvRenderer::drawn_this_frame()) and tests/app/gui_all_views checks it.
ImVec2 picture_box(const ImVec2& view, const ImVec2& wanted);

// Whether a picture box drawn in a view keeps the 40% rule (a pixel of slack for the rounding of
// sizes to whole pixels): what the tests check against the measured sizes.
bool keeps_picture_share(const ImVec2& view, const ImVec2& box);

// Whether the world drawn in such a box (a grid's cells, without its title and colour key) spans at
// least kMinPictureShare of the view's width or of its height (EnvRenderer::box_for() sizes grids
// so; a grid's shape decides which).
bool keeps_world_share(const ImVec2& view, const ImVec2& world);

// k font units (em) in pixels at the current font size: the unit every size is written in.
inline float em(float k) {
  return ImGui::GetFontSize() * k;
}

// ImGui::SameLine(0, spacing) when an item `width` wide still fits right of the last item, else
// nothing (the next item starts a new line): rows of buttons, toggles and short labels that wrap.
// spacing < 0: the style's ItemSpacing.x.
void same_line_if_fits(float width, float spacing = -1.0f);

// `full` if a frame `width` wide (≤ 0: the rest of the line) holds it beside `extra` (a combo's
// arrow, a checkbox's box) and the frame's padding, else `narrow`: a combo's preview or a label
// that says less rather than run past the edge (presenter scale in a narrow column).
std::string fitting_label(const std::string& full, const std::string& narrow, float extra,
                          float width = 0.0f);
// fitting_label's `extra` for a collapsing header's title: its arrow (a font size) and the padding
// between arrow and title (ImGui draws the title a font size and three paddings in).
float header_arrow_width();

// One line of coloured labels in place of plot legends that would cover a short plot's data
// ("● inside the band", "— Q̂ (return term)"): each label in its colour, continuing the line while
// it fits (same_line_if_fits), else on the next.
struct ColourKey {
  ImU32 colour;
  const char* label;
};
void colour_key(const ColourKey* keys, int n);
// The height colour_key() takes in a region `width` wide, with the spacing under it.
float colour_key_height(const ColourKey* keys, int n, float width);

// A plot's colour key under it in place of its legend. Construct before BeginPlot with the size the
// plot and key share (x ≤ 0: the available width) and whether to key (`on`); then draw the plot at
// plot_size() with PlotFlags_NoLegend where on(). The key is drawn when this goes out of scope,
// however the plot ended, in a child as wide as the plot (its lines break there); plot and key are
// one group. The plot keeps at least min_plot_h of the height.
class KeyUnder {
 public:
  KeyUnder(bool on, const char* id, const ColourKey* keys, int n, const ImVec2& size,
           float min_plot_h);
  ~KeyUnder();
  KeyUnder(const KeyUnder&) = delete;
  KeyUnder& operator=(const KeyUnder&) = delete;
  bool on() const { return on_; }
  const ImVec2& plot_size() const { return plot_size_; }

 private:
  bool on_;
  const char* id_;
  const ColourKey* keys_;
  int n_;
  float width_;
  ImVec2 plot_size_;
};

// The width of a widget `item_width` wide with its label on the right (the part before "##").
float labeled_width(float item_width, const char* label);

// Greyed text that continues the current line when it fits, else starts the next one; either way
// it wraps at the window or cell edge. For captions after a title or a widget. In a short view
// (`fold`: short_view()) only a greyed "(?)" continues the line, the caption in its tooltip.
void caption_after(const char* text, bool fold = false);

// `text` in a tooltip while the last item is hovered, wrapped at spaces ('\n' starts a line).
void tooltip_when_hovered(const char* text);

// A view shorter than this many font sizes folds its explanations and its rows of settings
// (explanation(), settings_rows()), so that its picture starts above the fold: 1280×720 at
// presenter scale 2 leaves a view ~14 font sizes; 1280×720 ×1.5 and 1920×1080 ×2 leave 21 and
// more, where nothing folds.
inline constexpr float kShortViewEm = 18.0f;
// Whether the view now drawing (LayoutUi::view_area) is short.
bool short_view(const LayoutUi& ui);

// A view's paragraph of explanation, in the current text colour and wrapped at spaces. Where
// `fold` (short_view()), one line, `title` behind a tree arrow, that opens it on a click (the
// open state is ImGui's, per view): a teacher opens it when the class asks.
void explanation(bool fold, const char* title, const char* text);

// A paragraph that states a finding and explains it, in the current text colour: `whole` where
// not `fold`; in a short view `finding` and "(?)", the whole in its tooltip.
void finding(bool fold, const std::string& finding, const std::string& whole);

// Whether to draw a view's rows of settings: always where not `fold`; in a short view they sit
// behind one line that names them with their values (`summary`, or `narrow` where it does not
// fit), closed until clicked. Widgets after the rows continue as they would after the last row.
bool settings_rows(bool fold, const char* id, const std::string& summary, const char* narrow);

// In place of ImGui::TableHeadersRow(): a header row whose titles wrap inside their columns
// instead of being cut with an ellipsis (narrow tables, presenter scale).
void table_headers_wrapped();

// In place of ImGui::TableSetupColumn(name, WidthStretch, weight) in a table that fit_table() may
// turn into a scrolling one: stretched by `stretch_weight` while the table fits, fitted to its
// content (header words included) once it scrolls sideways.
void table_column(const char* name, float stretch_weight);

// ImGui::TextWrapped for text with numbers in it: lines break at spaces, so "cos 0.94" never
// splits into "cos 0." and "94" (ImGui's word wrap also breaks after '.', ',', ';', '!', '?').
// Wraps at the window or cell edge; a word wider than the line breaks after a '/' where its head
// fits ("reward-to-go/" "leave-one-out"), else after a '.' between letters ("algorithm."
// "max_grad_norm"), else stays whole (the clip check then reports it); '\n'
// starts a new line. A no-break space (U+00A0) keeps "L = 0.12" together. In the current text
// colour (push ImGuiCol_Text for a greyed or coloured text).
void text_wrapped_at_spaces(const char* text);
// The same at `width` screen units from the cursor (a picture's text, narrower than its window).
void text_wrapped_at_spaces(const char* text, float width);
void text_wrapped_at_spacesf(const char* fmt, ...) IM_FMTARGS(1);
// Greyed text on its own lines, wrapped at spaces: a view's "nothing to show yet" or "open another
// scenario" note, which must wrap in a narrow lab (a lesson open at presenter scale).
void note_wrapped(const char* text);
void note_wrappedf(const char* fmt, ...) IM_FMTARGS(1);
// printf into a string, however long (note_wrappedf's formatting, for text built in parts).
std::string formatted(const char* fmt, ...) IM_FMTARGS(1);
// Colored text on its own lines, wrapped at spaces (a warning).
void colored_wrappedf(const ImVec4& color, const char* fmt, ...) IM_FMTARGS(2);
// The same line breaks as text: `text` with '\n' where a line `width` screen units wide (the
// current font at `font_size`; 0: the current size) must break, at spaces (and after a '/' or a
// '.' between letters in a word wider than the line; widest_word still measures whole words, so a
// size it gives is safe). For text drawn with ImDrawList (plot legends, pictures): draw the result
// without a wrap width.
std::string wrap_at_spaces(const char* text, float width, float font_size = 0.0f);

// `n` in Unicode subscript digits (12 → "₁₂"): the index of a symbol written with a number only
// known when drawing (r₀…r₁₁), as the views' fixed formulas write theirs.
std::string subscript(int n);
// The same in superscript digits (−3 → "⁻³"): an exponent, as the line search's step 2⁻³ β x.
std::string superscript(int n);

// The width of the widest space-separated word of `text` at the current font.
float widest_word(const char* text);

// A table of `columns` columns that needs about `em_per_column` font units each to show its
// numbers whole: where the width left is less (narrow view, presenter scale), its stretch sizing
// becomes fixed-fit columns with a horizontal scrollbar, `rows` lines high (header included), so
// numbers scroll instead of being cut (vertically too, if a wrapped header needs the room). Returns
// the outer size to pass to ImGui::BeginTable.
ImVec2 fit_table(ImGuiTableFlags* flags, int columns, float em_per_column, int rows);

// `full` when it fits in `room` screen units, else `brief` (an axis label or title that shortens
// instead of being cut: a short plot's rotated y label, presenter scale). Say the rest in a tooltip
// or the plot's title.
const char* label_fitting(float room, const char* full, const char* brief);

// A slider over a double that keeps the decimal it shows: the value dragged or typed (Ctrl+click)
// is stored as `decimals` places print it, so a world painted with slip 0.2 has the slip 0.2 of a
// map file's "slip 0.2" (a float slider stored 0.20000000298…, and exact J differed by 3.7e-9).
// Returns true when *v changed.
bool slider_decimal(const char* label, double* v, double min, double max, int decimals);

// `text` when it fits in `width` screen units at the current font, else its start and its end
// joined by "…", as much of each as fits (the end gets up to 40% of the width): a file name whose
// end tells it apart from its neighbours ("…-leave-one-2.json") stays told apart. Whole UTF-8
// characters only. Show the whole name in a tooltip where it was cut.
std::string elide_middle(const std::string& text, float width);

// A view whose parts need more height than the view has (a small window, presenter scale) shows
// them in one scrolling body instead of squeezing them: begin_view_body() opens a child filling the
// rest of the view, with a vertical scrollbar from the first frame when `needed` (screen units)
// exceeds the height left, so its width does not jump. Always pair with ImGui::EndChild().
void begin_view_body(const char* id, float needed);

// Width of the folded controls bar, in font units.
inline constexpr float kFoldedControlsEm = 2.6f;

// work_pos/work_size: the viewport minus the main menu bar (screen units). Every rectangle has a
// positive size even for a tiny window (panels then overlap rather than vanish).
Layout compute_layout(const ImVec2& work_pos, const ImVec2& work_size, float font_size,
                      bool controls_folded = false);

// ImGui::Begin with the rectangle applied; like ImGui::Begin, always pair with ImGui::End().
bool begin_panel(const char* name, const PanelRect& rect, bool force, ImGuiWindowFlags flags = 0);

}  // namespace pglab::gui
