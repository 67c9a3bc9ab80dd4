// The lesson panel (issue 9): the open lesson's step on show — its text, the objective as the app
// renders it, the prediction asked before the step runs — and after Run the claim's outcome
// against the measured values, whether the prediction was right, and the explanation. The logic
// (set-up, run, locks) is gui/classroom.h; this file only draws. Sizes in font units.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "gui/classroom.h"
#include "gui/layout.h"
#include "gui/panels/panels.h"
#include "gui/window.h"

namespace pglab::gui {

namespace {

// A number field that reads a decimal comma as a point: "0,75" is 0.75 (ImGui's number field
// dropped the comma, and a class's right answer 0.75 was judged as 75). As ImGui's InputScalar:
// the value formatted, edited as text, read back on each change.
bool input_number(const char* label, double* v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6g", *v);
  const auto filter = [](ImGuiInputTextCallbackData* d) -> int {
    if (d->EventChar == ',') d->EventChar = '.';
    const ImWchar c = d->EventChar;
    return (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E' ? 0
                                                                                              : 1;
  };
  if (!ImGui::InputText(label, buf, sizeof buf, ImGuiInputTextFlags_CallbackCharFilter, filter))
    return false;
  char* end = nullptr;
  const double x = std::strtod(buf, &end);
  if (end == buf || !std::isfinite(x)) return false;
  *v = x;
  return true;
}

constexpr ImU32 kGood = IM_COL32(120, 210, 120, 255);
constexpr ImU32 kBad = IM_COL32(235, 110, 100, 255);

void wrapped(const std::string& text, ImU32 color = 0) {
  if (color) ImGui::PushStyleColor(ImGuiCol_Text, color);
  text_wrapped_at_spaces(text.c_str());  // a number stays whole ("eps = 0.02")
  if (color) ImGui::PopStyleColor();
}

void heading(const char* text) {
  ImGui::Spacing();
  wrapped(text, ImGui::GetColorU32(ImGuiCol_TextDisabled));
}

// The prediction: editable before the step runs, frozen (with the verdict) after. *verdict_y (when
// given): the cursor's y where the verdict starts.
void draw_prediction(AppState& state, const pg::Prediction& p, bool ran,
                     float* verdict_y = nullptr) {
  LessonUi& l = state.classroom.lesson;
  LessonGuess& g = l.guess[static_cast<size_t>(l.step)];
  heading("Predict before you run");
  wrapped(p.question);
  ImGui::BeginDisabled(ran);
  if (!p.numeric()) {
    for (size_t i = 0; i < p.choices.size(); ++i) {
      ImGui::PushID(static_cast<int>(i));
      // RadioButton's label does not wrap: long choices get their own wrapped text beside it.
      if (ImGui::RadioButton("##choice", g.choice == static_cast<int>(i)))
        g.choice = static_cast<int>(i);
      ImGui::SameLine();
      text_wrapped_at_spaces(p.choices[i].c_str());
      ImGui::PopID();
    }
  } else {
    // The label beside the field when both fit, above it in a narrow panel.
    const float field = ImGui::GetFontSize() * 8.0f;
    const bool beside = labeled_width(field, "your number") <= ImGui::GetContentRegionAvail().x;
    if (!beside) ImGui::TextUnformatted("your number");
    ImGui::SetNextItemWidth(std::min(field, ImGui::GetContentRegionAvail().x));
    if (input_number(beside ? "your number" : "##your number", &g.number)) g.number_given = true;
  }
  ImGui::EndDisabled();
  if (!ran) return;
  if (verdict_y) *verdict_y = ImGui::GetCursorPosY();
  const int k = l.step;
  if (!prediction_judged(state, k)) {
    wrapped("(no prediction given)", ImGui::GetColorU32(ImGuiCol_TextDisabled));
  } else {
    const bool right = prediction_right(state, k);
    wrapped(right ? "✓ Your prediction was right." : "✗ Your prediction was not right.",
            right ? kGood : kBad);
  }
  char buf[200];
  if (!p.numeric()) {
    wrapped("Answer: " + p.choices[static_cast<size_t>(p.answer)]);
  } else {
    const pg::StepOutcome& o = *l.outcome[static_cast<size_t>(k)];
    std::snprintf(buf, sizeof buf,
                  "Measured: %.6g (a prediction counts as right within %.3g of it).",
                  o.result.measured, p.tolerance);
    wrapped(buf);
  }
}

void draw_outcome(const pg::LessonStep& st, const pg::StepOutcome& o) {
  if (!o.has_check) return;
  heading("Claim");
  wrapped(pg::describe(*st.check));
  wrapped(o.result.holds ? "✓ holds" : "✗ fails", o.result.holds ? kGood : kBad);
  wrapped(o.result.detail);
}

// The buttons' width: 5.5 em, or a third of the panel where three of those do not fit in one row
// (presenter 2.5× at 1280×720: three rows of buttons left the step's text a one-line strip). Then
// they show symbols (compact): ◀, ▶, ✓, ↺, their words in the tooltips.
float button_width() {
  const float spacing = ImGui::GetStyle().ItemSpacing.x;
  const float third = (ImGui::GetContentRegionAvail().x - 2.0f * spacing) / 3.0f;
  return std::min(ImGui::GetFontSize() * 5.5f, std::max(third, ImGui::GetFontSize() * 2.0f));
}
bool compact_buttons(float w) {
  return w < ImGui::CalcTextSize("Restart").x + ImGui::GetStyle().FramePadding.x * 2.0f;
}
// How many buttons of `w` stand in a row at the panel's width: one decision for the rows
// buttons_height() reserves and the rows draw_buttons() lays out (each deciding on its own, the
// reservation took 3 to a row where the buttons wrapped 2 + 1 within half a pixel, and Restart
// fell below the panel's edge at 1600×900 ×2).
int buttons_per_row(float w) {
  const ImGuiStyle& style = ImGui::GetStyle();
  const float avail = ImGui::GetContentRegionAvail().x;
  // (+ 0.5 px: three buttons of a third of the row fit, whatever the float rounding)
  return std::max(
      1, static_cast<int>((avail + style.ItemSpacing.x + 0.5f) / (w + style.ItemSpacing.x)));
}

// The buttons, drawn last: a click that changes the step on show takes effect next frame.
void draw_buttons(AppState& state, bool ran) {
  LessonUi& l = state.classroom.lesson;
  const int n = static_cast<int>(l.lesson->steps.size());
  const float w = button_width();
  const bool compact = compact_buttons(w);
  const int per_row = buttons_per_row(w);
  const auto beside_previous = [&](int i) {  // button i (0, 1, 2) on the row of the one before
    if (i % per_row != 0) ImGui::SameLine();
  };
  // Back sets up the previous step from the end of the one before it (a lesson restored from a
  // session file has only the sessions of the step on show: Restart runs the earlier ones again).
  const int back = l.step - 1;
  const bool can_back = back == 0 || (back > 0 && l.end[static_cast<size_t>(back - 1)]);
  ImGui::BeginDisabled(!can_back);
  if (ImGui::Button(compact ? "◀##back" : "◀ Back", ImVec2(w, 0))) {
    show_lesson_step(state, l.step - 1);
  }
  ImGui::EndDisabled();
  if (compact && can_back && ImGui::IsItemHovered()) ImGui::SetTooltip("Back: the previous step");
  if (!can_back && back >= 0 && ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
    ImGui::SetTooltip(
        "This lesson was reopened from a session file, which keeps only this step's run:\n"
        "Restart goes back to step 1 (the earlier steps run again as you step through them).");
  beside_previous(1);
  if (lesson_step_running(state)) {
    // The step runs in the background: the window stays live; its progress and a way out.
    const float fs = ImGui::GetFontSize();
    char text[48];
    std::snprintf(text, sizeof text, "running %.0f%%", 100.0 * lesson_step_progress(state));
    ImGui::ProgressBar(static_cast<float>(lesson_step_progress(state)), ImVec2(w, 0), text);
    same_line_if_fits(fs * 4.0f);
    if (ImGui::Button("Cancel", ImVec2(fs * 4.0f, 0))) cancel_lesson_step(state);
    return;
  }
  if (!ran) {
    if (ImGui::Button(compact ? "▶##run" : "Run ▶", ImVec2(w, 0))) start_shown_step(state);
    if (compact && ImGui::IsItemHovered()) ImGui::SetTooltip("Run this step");
  } else if (l.step + 1 < n) {
    // Compact, Next is an arrow, not Run's ▶: the same symbol in the same place ran the next step
    // when a second press meant to go to it (the class had not answered).
    if (ImGui::Button(compact ? "→##next" : "Next ▶", ImVec2(w, 0))) {
      show_lesson_step(state, l.step + 1);
    }
    if (compact && ImGui::IsItemHovered()) ImGui::SetTooltip("Next: the next step");
  } else {
    ImGui::BeginDisabled();
    ImGui::Button(compact ? "✓##done" : "Done", ImVec2(w, 0));
    ImGui::EndDisabled();
  }
  beside_previous(2);
  if (ImGui::Button(compact ? "↺##restart" : "Restart", ImVec2(w, 0))) {
    restart_lesson(state);
  }
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("%sBack to step 1 with every prediction cleared, for the next class.",
                      compact ? "Restart: " : "");
}

// The height of the button rows draw_buttons() takes at the panel's width: three buttons of
// `w` (button_width()), as many to a row as fit (same_line_if_fits), below a separator.
float buttons_height(float w) {
  const ImGuiStyle& style = ImGui::GetStyle();
  const int per_row = buttons_per_row(w);
  const int rows = (3 + per_row - 1) / per_row;
  return rows * ImGui::GetFrameHeight() + (rows - 1) * style.ItemSpacing.y +
         style.ItemSpacing.y * 2.0f + 1.0f;
}

}  // namespace

bool lesson_panel_rect(const AppState& state, Layout* layout, PanelRect* out) {
  const LessonUi& l = state.classroom.lesson;
  if (!l.lesson && l.error.empty()) return false;
  const float fs = ImGui::GetFontSize();
  const float gap = fs * 0.3f;
  PanelRect& lab = layout->lab;
  // A column on the right of the lab area: wide enough for a paragraph, never more than 40% of it.
  const float w = std::min(fs * 22.0f, lab.size.x * 0.4f);
  out->pos = ImVec2(lab.pos.x + lab.size.x - w, lab.pos.y);
  out->size = ImVec2(w, lab.size.y);
  lab.size.x = std::max(lab.size.x - w - gap, fs * 4.0f);
  return true;
}

void DrawLessonPanel(AppState& state, const Snapshot* snap, const PanelRect& rect, bool force) {
  LessonUi& l = state.classroom.lesson;
  if (begin_panel("Lesson", rect, force)) {
    if (!l.lesson) {
      wrapped("The lesson could not be opened:", kBad);
      wrapped(l.error, kBad);
      if (ImGui::Button("Close")) close_lesson(state);
      ImGui::End();
      return;
    }
    const pg::Lesson& lesson = *l.lesson;
    const int n = static_cast<int>(lesson.steps.size());
    const pg::LessonStep& st = lesson.steps[static_cast<size_t>(l.step)];
    const std::optional<pg::StepOutcome>& outcome = l.outcome[static_cast<size_t>(l.step)];
    const bool ran = outcome.has_value();
    wrapped(lesson.title);
    ImGui::TextDisabled("step %d of %d", l.step + 1, n);
    // Close at the right end of the row when it fits beside the step count, else under it.
    const float close_w = ImGui::CalcTextSize("Close").x + ImGui::GetStyle().FramePadding.x * 2;
    const float close_x = ImGui::GetWindowContentRegionMax().x - close_w;
    if (ImGui::GetItemRectMax().x - ImGui::GetWindowPos().x + ImGui::GetStyle().ItemSpacing.x <=
        close_x)
      ImGui::SameLine(close_x);
    if (ImGui::SmallButton("Close")) {
      close_lesson(state);
      ImGui::End();
      return;
    }
    ImGui::Separator();
    // The step scrolls; the buttons stay at the bottom of the panel, always in reach.
    ImGui::BeginChild("step", ImVec2(0, -buttons_height(button_width())));
    // A new step starts at its title (a step that ran opens at its outcome: set below).
    if (l.scroll_to_top) {
      ImGui::SetScrollY(0.0f);
      l.scroll_to_top = false;
    }
    // A tenth of an em in from the child's edge (it has no padding): a line may start with "J",
    // whose hook reaches left of the pen.
    const float inset = std::ceil(ImGui::GetFontSize() * 0.1f);
    ImGui::Indent(inset);
    ImGui::PushTextWrapPos(0.0f);
    wrapped(st.title, ImGui::GetColorU32(ImGuiCol_PlotLinesHovered));
    if (l.step == 0 && !lesson.description.empty() && !ran) wrapped(lesson.description);
    if (!st.text.empty()) wrapped(st.text);
    if (ran) {
      // What the step found first (its prediction judged, the claim, why), then its set-up. A step
      // that has just run scrolls so that its verdict and claim show whole, with as much of the
      // question above them as the panel has room for: at 2× the question and its choices
      // filled the panel and the verdict stayed below the fold.
      const float spacing = ImGui::GetStyle().ItemSpacing.y;
      const float top = ImGui::GetCursorPosY() - spacing;
      float verdict = top;
      if (st.prediction) draw_prediction(state, *st.prediction, ran, &verdict);
      draw_outcome(st, *outcome);
      if (l.scroll_to_outcome) {
        const float outcome_end = ImGui::GetCursorPosY();
        const float shown = ImGui::GetWindowHeight();
        ImGui::SetScrollY(std::min(verdict - spacing, std::max(top, outcome_end - shown)));
        l.scroll_to_outcome = false;
      }
      if (!st.explanation.empty()) {
        heading("Why");
        wrapped(st.explanation);
      }
    } else {
      if (st.prediction) draw_prediction(state, *st.prediction, ran);
      if (st.count > 0 || st.check) {
        char buf[160];
        if (st.count > 0)
          std::snprintf(buf, sizeof buf, "Run advances %d × %s%s.", st.count, pg::name_of(st.by),
                        st.check ? ", then checks the claim" : "");
        else
          std::snprintf(buf, sizeof buf, "Run checks the claim on the session as it is.");
        heading(buf);
      }
    }
    if (!l.error.empty()) wrapped(l.error, kBad);
    if (snap && ImGui::CollapsingHeader("Objective", ImGuiTreeNodeFlags_DefaultOpen))
      DrawObjective(*snap->session);
    ImGui::PopTextWrapPos();
    ImGui::Unindent(inset);
    ImGui::EndChild();
    ImGui::Separator();
    draw_buttons(state, ran);
  }
  ImGui::End();
}

}  // namespace pglab::gui
