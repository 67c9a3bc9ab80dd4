#include "gui/layout.h"

#include <algorithm>
#include <cctype>
#include <cfloat>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "imgui_internal.h"  // ImGuiTable: a header's widest word widens an auto-fitted column

namespace pglab::gui {

Layout compute_layout(const ImVec2& work_pos, const ImVec2& work_size, float fs,
                      bool controls_folded) {
  const float gap = fs * 0.3f;
  const float min_side = fs * 4.0f;
  const float W = std::max(work_size.x, min_side * 3.0f);
  const float H = std::max(work_size.y, min_side * 2.0f);
  // The controls column: wide enough for the settings table, never more than a third.
  const float left_w = controls_folded
                           ? fs * kFoldedControlsEm
                           : std::clamp(fs * 19.0f, std::min(fs * 12.0f, W * 0.33f), W * 0.33f);
  const float x0 = work_pos.x + gap, y0 = work_pos.y + gap;
  const float x1 = x0 + left_w + gap;
  const float h = std::max(H - 2 * gap, min_side);
  Layout layout;
  layout.controls = {ImVec2(x0, y0), ImVec2(left_w, h)};
  layout.lab = {ImVec2(x1, y0), ImVec2(std::max(work_pos.x + W - gap - x1, min_side), h)};
  return layout;
}

ImVec2 picture_box(const ImVec2& view, const ImVec2& wanted) {
  return ImVec2(std::max(wanted.x, std::ceil(kMinPictureShare * view.x)),
                std::max(wanted.y, std::ceil(kMinPictureShare * view.y)));
}

bool keeps_picture_share(const ImVec2& view, const ImVec2& box) {
  return box.x + 1.0f >= kMinPictureShare * view.x && box.y + 1.0f >= kMinPictureShare * view.y;
}

const char* label_fitting(float room, const char* full, const char* brief) {
  return ImGui::CalcTextSize(full, nullptr, true).x <= room ? full : brief;
}

bool slider_decimal(const char* label, double* v, double min, double max, int decimals) {
  char format[16];
  std::snprintf(format, sizeof format, "%%.%df", decimals);
  double x = *v;
  if (!ImGui::SliderScalar(label, ImGuiDataType_Double, &x, &min, &max, format)) return false;
  // The decimal shown, parsed: what "slip 0.2" in a map file parses to.
  char shown[64];
  std::snprintf(shown, sizeof shown, format, std::clamp(x, min, max));
  x = std::strtod(shown, nullptr);
  if (x == *v) return false;
  *v = x;
  return true;
}

std::string elide_middle(const std::string& text, float width) {
  if (ImGui::CalcTextSize(text.c_str()).x <= width) return text;
  const char* ellipsis = "…";
  const float room = width - ImGui::CalcTextSize(ellipsis).x;
  // The UTF-8 characters' byte offsets and widths (ImGui adds advances without kerning, so a run's
  // width is the sum of its characters').
  std::vector<size_t> at;
  std::vector<float> w;
  for (size_t i = 0; i < text.size();) {
    size_t j = i + 1;
    while (j < text.size() && (static_cast<unsigned char>(text[j]) & 0xC0) == 0x80) ++j;
    at.push_back(i);
    w.push_back(ImGui::CalcTextSize(text.c_str() + i, text.c_str() + j).x);
    i = j;
  }
  size_t tail = at.size();  // the end kept starts at character `tail`
  float tail_w = 0.0f;
  while (tail > 0 && tail_w + w[tail - 1] <= 0.4f * room) tail_w += w[--tail];
  size_t head = 0;  // the start kept is characters [0, head)
  float head_w = 0.0f;
  while (head < tail && head_w + w[head] + tail_w <= room) head_w += w[head++];
  const size_t tail_at = tail < at.size() ? at[tail] : text.size();
  return text.substr(0, head < at.size() ? at[head] : text.size()) + ellipsis +
         text.substr(tail_at);
}

void begin_view_body(const char* id, float needed) {
  const bool scrolls = needed > ImGui::GetContentRegionAvail().y;
  ImGui::BeginChild(id, ImVec2(0.0f, 0.0f), false,
                    scrolls ? ImGuiWindowFlags_AlwaysVerticalScrollbar : 0);
}

bool keeps_world_share(const ImVec2& view, const ImVec2& world) {
  return world.x + 1.0f >= kMinPictureShare * view.x || world.y + 1.0f >= kMinPictureShare * view.y;
}

void same_line_if_fits(float width, float spacing) {
  // The cursor is at the start of the next line: its available width ends at the right edge of
  // the window or table cell.
  const float right = ImGui::GetCursorScreenPos().x + ImGui::GetContentRegionAvail().x;
  const float gap = spacing < 0.0f ? ImGui::GetStyle().ItemSpacing.x : spacing;
  if (ImGui::GetItemRectMax().x + gap + width <= right) ImGui::SameLine(0.0f, gap);
}

float header_arrow_width() {
  return ImGui::GetFontSize() + ImGui::GetStyle().FramePadding.x;
}

std::string fitting_label(const std::string& full, const std::string& narrow, float extra,
                          float width) {
  const float room = width > 0.0f ? width : ImGui::GetContentRegionAvail().x;
  const float need =
      ImGui::CalcTextSize(full.c_str()).x + ImGui::GetStyle().FramePadding.x * 2.0f + extra;
  return need <= room ? full : narrow;
}

// An entry wider than the key's width is wrapped on lines of its own (a fork's half-width branch
// cut "● current policy: p = 0.078, J = -53.68" 181 px past its edge); colour_key_height counts
// those lines.
namespace {
int wrapped_lines(const char* label, float width) {
  const float h = ImGui::CalcTextSize(wrap_at_spaces(label, width).c_str()).y;
  return std::max(1, static_cast<int>(std::lround(h / ImGui::GetTextLineHeight())));
}
}  // namespace

void colour_key(const ColourKey* keys, int n) {
  const float gap = ImGui::GetFontSize();
  const float width = ImGui::GetContentRegionAvail().x;
  for (int k = 0; k < n; ++k) {
    const float w = ImGui::CalcTextSize(keys[k].label).x;
    if (k > 0) same_line_if_fits(w, gap);
    if (w <= width) {
      ImGui::TextColored(ImColor(keys[k].colour), "%s", keys[k].label);
      continue;
    }
    // At spaces: ImGui's own wrap breaks after a point ("J* ≈ -11." / "66").
    ImGui::TextColored(ImColor(keys[k].colour), "%s", wrap_at_spaces(keys[k].label, width).c_str());
  }
}

float colour_key_height(const ColourKey* keys, int n, float width) {
  const float gap = ImGui::GetFontSize();
  int lines = n > 0 ? 1 : 0;
  float x = 0.0f;
  for (int k = 0; k < n; ++k) {
    const float w = ImGui::CalcTextSize(keys[k].label).x;
    if (k > 0 && x + gap + w <= width) {
      x += gap + w;
    } else {
      if (k > 0) ++lines;
      x = w;
    }
    if (w > width) {  // wrapped: its own lines, and the next entry starts a line
      lines += wrapped_lines(keys[k].label, width) - 1;
      x = width;
    }
  }
  return ImGui::GetTextLineHeightWithSpacing() * static_cast<float>(lines);
}

KeyUnder::KeyUnder(bool on, const char* id, const ColourKey* keys, int n, const ImVec2& size,
                   float min_plot_h)
    : on_(on && n > 0),  // (a child of height 0 would fill the view)
      id_(id),
      keys_(keys),
      n_(n),
      width_(size.x > 0.0f ? size.x : ImGui::GetContentRegionAvail().x),
      plot_size_(size) {
  if (!on_) return;
  // The key's child takes its lines' full height (the last line's spacing keeps descenders off the
  // child's edge: "φ" lost its foot there), so the spacing ImGui puts after the child is the
  // plot's.
  plot_size_.y = std::max(
      min_plot_h, size.y - colour_key_height(keys, n, width_) - ImGui::GetStyle().ItemSpacing.y);
  ImGui::BeginGroup();
}

KeyUnder::~KeyUnder() {
  if (!on_) return;
  ImGui::PushID(id_);
  ImGui::BeginChild("##key", ImVec2(width_, colour_key_height(keys_, n_, width_)), false,
                    ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
  colour_key(keys_, n_);
  ImGui::EndChild();
  ImGui::PopID();
  ImGui::EndGroup();
}

float labeled_width(float item_width, const char* label) {
  const float text = ImGui::CalcTextSize(label, nullptr, true).x;
  return item_width + (text > 0.0f ? ImGui::GetStyle().ItemInnerSpacing.x + text : 0.0f);
}

ImVec2 fit_table(ImGuiTableFlags* flags, int columns, float em_per_column, int rows) {
  if (ImGui::GetContentRegionAvail().x >= em(em_per_column) * static_cast<float>(columns))
    return ImVec2(0.0f, 0.0f);
  // ScrollY too: a header that wraps onto a second line pushes the last row below the table's
  // height, where it stays reachable.
  *flags = (*flags & ~ImGuiTableFlags_SizingMask_) | ImGuiTableFlags_SizingFixedFit |
           ImGuiTableFlags_ScrollX | ImGuiTableFlags_ScrollY;
  const ImGuiStyle& style = ImGui::GetStyle();
  const float row_h = ImGui::GetTextLineHeight() + style.CellPadding.y * 2.0f;
  return ImVec2(0.0f, row_h * static_cast<float>(rows) + style.ScrollbarSize + style.CellPadding.y);
}

// Wrapped at 24 font sizes or under half the screen: an auto-sized tooltip has no width of its own
// to wrap at (it shrank to a word a line).
void tooltip_when_hovered(const char* text) {
  if (!ImGui::IsItemHovered()) return;
  ImGui::BeginTooltip();
  text_wrapped_at_spaces(text, std::min(em(24.0f), ImGui::GetIO().DisplaySize.x * 0.45f));
  ImGui::EndTooltip();
}

void caption_after(const char* text, bool fold) {
  if (fold) {
    same_line_if_fits(ImGui::CalcTextSize("(?)").x);
    ImGui::TextDisabled("(?)");
    tooltip_when_hovered(text);
    return;
  }
  same_line_if_fits(ImGui::CalcTextSize(text).x);
  note_wrapped(text);
}

bool short_view(const LayoutUi& ui) {
  return ui.view_area.y > 0.0f && ui.view_area.y < em(kShortViewEm);
}

void explanation(bool fold, const char* title, const char* text) {
  if (fold && !ImGui::TreeNodeEx(title, ImGuiTreeNodeFlags_NoTreePushOnOpen)) return;
  text_wrapped_at_spaces(text);
}

void finding(bool fold, const std::string& finding, const std::string& whole) {
  if (!fold) return text_wrapped_at_spaces(whole.c_str());
  text_wrapped_at_spaces((finding + " (?)").c_str());  // one item: its lines are one text
  tooltip_when_hovered(whole.c_str());
}

bool settings_rows(bool fold, const char* id, const std::string& summary, const char* narrow) {
  if (!fold) return true;
  // An unframed tree node draws its label a font size and two paddings in.
  const float arrow = ImGui::GetFontSize() + 2.0f * ImGui::GetStyle().FramePadding.x;
  const bool fits =
      ImGui::CalcTextSize(summary.c_str()).x + arrow <= ImGui::GetContentRegionAvail().x;
  return ImGui::TreeNodeEx(id, ImGuiTreeNodeFlags_NoTreePushOnOpen, "%s",
                           fits ? summary.c_str() : narrow);
}

float widest_word(const char* text) {
  float widest = 0.0f;
  for (const char* b = text; *b != '\0';) {
    const char* e = b;
    while (*e != '\0' && *e != ' ') ++e;
    widest = std::max(widest, ImGui::CalcTextSize(b, e).x);
    b = *e == ' ' ? e + 1 : e;
  }
  return widest;
}

namespace {
std::string script_digits(int n, const char* const (&digits)[10], const char* minus) {
  std::string out = n < 0 ? minus : "";
  for (const char c : std::to_string(n))
    if (c >= '0' && c <= '9') out += digits[c - '0'];
  return out;
}
}  // namespace

std::string subscript(int n) {
  static const char* const kDigits[] = {"₀", "₁", "₂", "₃", "₄", "₅", "₆", "₇", "₈", "₉"};
  return script_digits(n, kDigits, "₋");
}

std::string superscript(int n) {
  static const char* const kDigits[] = {"⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"};
  return script_digits(n, kDigits, "⁻");
}

std::string wrap_at_spaces(const char* text, float width, float font_size) {
  ImFont* font = ImGui::GetFont();
  const float size = font_size > 0.0f ? font_size : ImGui::GetFontSize();
  auto line_width = [&](const char* b, const char* e) {
    return font->CalcTextSizeA(size, FLT_MAX, 0.0f, b, e).x;
  };
  std::string out;
  const char* line = text;  // start of the current line
  const char* p = text;     // start of the next word
  while (*p != '\0') {
    const char* e = p;
    while (*e != '\0' && *e != ' ' && *e != '\n') ++e;
    if (p > line && line_width(line, e) > width) {
      // The word does not fit after what the line holds: break at the space before it.
      out.append(line, p - 1);
      out += '\n';
      line = p;
    }
    // A word wider than a line on its own ("reward-to-go/leave-one-out" in a narrow panel):
    // break it after the last '/' whose head fits, as often as needed; without one, after the
    // last '.' between two letters whose head fits (a setting's key in a message,
    // "(algorithm." "max_grad_norm)", in a fork's half-width branch). A number's point never.
    auto letter = [](char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; };
    while (line == p || (line > p && line < e)) {
      if (line_width(line, e) <= width) break;
      const char* cut = nullptr;
      for (const char* c = line; c + 1 < e; ++c)
        if (*c == '/' && line_width(line, c + 1) <= width) cut = c + 1;
      if (!cut)
        for (const char* c = line + 1; c + 1 < e; ++c)
          if (*c == '.' && letter(c[-1]) && letter(c[1]) && line_width(line, c + 1) <= width)
            cut = c + 1;
      if (!cut) break;
      out.append(line, cut);
      out += '\n';
      line = cut;
    }
    if (*e == '\n') {
      out.append(line, e + 1);
      line = e + 1;
    }
    p = *e == '\0' ? e : e + 1;
  }
  out.append(line, p);
  return out;
}

void text_wrapped_at_spaces(const char* text) {
  text_wrapped_at_spaces(text, ImGui::GetContentRegionAvail().x);
}

void text_wrapped_at_spaces(const char* text, float width) {
  const std::string lines = wrap_at_spaces(text, std::max(width, 1.0f));
  ImGui::PushTextWrapPos(-1.0f);  // the breaks are ours: ImGui must not wrap again
  ImGui::TextUnformatted(lines.c_str(), lines.c_str() + lines.size());
  ImGui::PopTextWrapPos();
}

namespace {
// `fmt` formatted in full, however long (an error message with its file and key).
std::string vformat(const char* fmt, va_list args) {
  char buf[1024];
  va_list again;
  va_copy(again, args);
  const int n = std::vsnprintf(buf, sizeof buf, fmt, args);
  std::string out;
  if (n >= 0 && static_cast<size_t>(n) >= sizeof buf) {
    out.assign(static_cast<size_t>(n) + 1, '\0');
    std::vsnprintf(out.data(), out.size(), fmt, again);
    out.resize(static_cast<size_t>(n));
  } else if (n >= 0) {
    out.assign(buf, static_cast<size_t>(n));
  }
  va_end(again);
  return out;
}

void colored_wrapped(const ImVec4& color, const char* text) {
  ImGui::PushStyleColor(ImGuiCol_Text, color);
  text_wrapped_at_spaces(text);
  ImGui::PopStyleColor();
}
}  // namespace

void text_wrapped_at_spacesf(const char* fmt, ...) {
  va_list args;
  va_start(args, fmt);
  const std::string text = vformat(fmt, args);
  va_end(args);
  text_wrapped_at_spaces(text.c_str());
}

void note_wrapped(const char* text) {
  colored_wrapped(ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled), text);
}

std::string formatted(const char* fmt, ...) {
  va_list args;
  va_start(args, fmt);
  std::string text = vformat(fmt, args);
  va_end(args);
  return text;
}

void note_wrappedf(const char* fmt, ...) {
  va_list args;
  va_start(args, fmt);
  const std::string text = vformat(fmt, args);
  va_end(args);
  note_wrapped(text.c_str());
}

void colored_wrappedf(const ImVec4& color, const char* fmt, ...) {
  va_list args;
  va_start(args, fmt);
  const std::string text = vformat(fmt, args);
  va_end(args);
  colored_wrapped(color, text.c_str());
}

void table_headers_wrapped() {
  ImGuiTable* table = ImGui::GetCurrentTable();
  // A table that scrolls (fit_table's fallback) keeps its header row in sight: a row scrolled to
  // (the variance table's trained setting) still shows what its numbers are.
  if ((table->Flags & ImGuiTableFlags_ScrollY) != 0) ImGui::TableSetupScrollFreeze(0, 1);
  ImGui::TableNextRow(ImGuiTableRowFlags_Headers);
  for (int c = 0; c < ImGui::TableGetColumnCount(); ++c) {
    if (!ImGui::TableSetColumnIndex(c)) continue;
    const char* name = ImGui::TableGetColumnName(c);
    // Wrap between words only: a column narrower than a word shows it cut (the clip check says
    // so) rather than broken into letters; an auto-fitted column grows to the widest word.
    const float word = widest_word(name);
    // (wrap_at_spaces, not ImGui's wrap: that breaks after '.', "s.e." into "s." and "e.")
    const float screen_x = ImGui::GetCursorScreenPos().x;
    const std::string lines =
        wrap_at_spaces(name, std::max(ImGui::GetContentRegionAvail().x, word + 1.0f));
    ImGui::PushTextWrapPos(-1.0f);
    ImGui::TextUnformatted(lines.c_str());
    ImGui::PopTextWrapPos();
    float& ideal = table->Columns[c].ContentMaxXHeadersIdeal;
    ideal = std::max(ideal, screen_x + word);
  }
}

void table_column(const char* name, float stretch_weight) {
  const ImGuiTable* table = ImGui::GetCurrentTable();
  if (table != nullptr && (table->Flags & ImGuiTableFlags_ScrollX) != 0)
    ImGui::TableSetupColumn(name, ImGuiTableColumnFlags_WidthFixed);
  else
    ImGui::TableSetupColumn(name, ImGuiTableColumnFlags_WidthStretch, stretch_weight);
}

bool begin_panel(const char* name, const PanelRect& rect, bool force, ImGuiWindowFlags flags) {
  const ImGuiCond cond = force ? ImGuiCond_Always : ImGuiCond_FirstUseEver;
  ImGui::SetNextWindowPos(rect.pos, cond);
  ImGui::SetNextWindowSize(rect.size, cond);
  return ImGui::Begin(name, nullptr, flags | ImGuiWindowFlags_NoCollapse);
}

}  // namespace pglab::gui
