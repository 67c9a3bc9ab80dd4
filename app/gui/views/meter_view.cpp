// Loss ≠ progress (issue 10, item 4): beside the learning curves, what a training log prints — the
// pseudo-loss the algorithm minimises — against what matters: exact J (finite worlds) or the batch
// return, ‖ĝ‖, the gradient's SNR and its cosine to ∇J, the critic's explained variance and the
// entropy; and a badge for each known dead signal, red when the latest iteration fires it, a click
// away from the view that explains it. Every number is core/lab/meter.h's, read by the runner at
// each iteration boundary (SessionRunner::meter_sync).
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <functional>
#include <iterator>
#include <string>
#include <vector>

#include "algo/replay_record.h"
#include "gui/layout.h"
#include "gui/panels/panels.h"
#include "gui/plot/plot.h"
#include "gui/theme.h"
#include "gui/time_travel/time_travel.h"
#include "gui/views/background_job.h"
#include "gui/views/views.h"
#include "session/session.h"

namespace pglab::gui {

namespace {

// Points per curve: as the overview's, about one per two pixels of a wide plot.
constexpr size_t kCurvePoints = 600;

// x = iteration, y = field, as runs of consecutive defined readings: an undefined reading (NaN:
// ĝ = 0 has no SNR or cosine) breaks the line rather than being bridged, so a gradient that is
// mostly 0 shows as isolated points, not as a healthy curve (audit a10: cliff-reinforce's cos
// joined 40 defined points of 300 into one line). Over kCurvePoints readings one point per window
// of k: its first defined reading (a sparse defined point is kept), and a window holding an
// undefined reading ends the run after its point.
template <class F>
void series_of(const std::vector<pg::MeterReading>& r, F field,
               std::vector<std::vector<double>>& xs, std::vector<std::vector<double>>& ys) {
  xs.clear();
  ys.clear();
  const size_t k = std::max<size_t>(1, (r.size() + kCurvePoints - 1) / kCurvePoints);
  bool open = false;
  for (size_t i = 0; i < r.size(); i += k) {
    const size_t end = std::min(r.size(), i + k);
    bool gap = false, found = false;
    for (size_t j = i; j < end; ++j) {
      const double y = field(r[j]);
      if (!std::isfinite(y)) {
        gap = true;
        if (!found) open = false;  // the gap lies before the point: a new run
        continue;
      }
      if (found) continue;
      found = true;
      if (!open) {
        xs.emplace_back();
        ys.emplace_back();
        open = true;
      }
      xs.back().push_back(r[j].iteration);
      ys.back().push_back(y);
    }
    if (gap) open = false;
  }
}

// A small plot of one or two fields over iterations; `threshold` (finite) draws the badge's line.
struct Curve {
  const char* label;
  double (*field)(const pg::MeterReading&);
  ImU32 color;
};
void small_plot(const char* title, const char* y_label, const std::vector<pg::MeterReading>& r,
                std::initializer_list<Curve> curves, const ImVec2& size,
                double threshold = std::nan("")) {
  // A plot of two curves names them in a key under it: in these small plots a legend stood over
  // the curves (7 points of the pseudo-loss at 1280×720 ×1.5, 2 at 1920×1080).
  const bool one = curves.size() == 1;
  std::vector<std::string> names;
  std::vector<ColourKey> keys;
  // Only curves with data are named (cart-pole has no exact J).
  std::vector<ImU32> colours;
  for (const Curve& c : curves)
    if (std::any_of(r.begin(), r.end(),
                    [&](const pg::MeterReading& m) { return std::isfinite(c.field(m)); })) {
      names.push_back(std::string("— ") + c.label);
      colours.push_back(c.color);
    }
  for (size_t i = 0; i < names.size(); ++i) keys.push_back({colours[i], names[i].c_str()});
  const KeyUnder key(!one, title, keys.data(), static_cast<int>(keys.size()), size, em(8.0f));
  if (!plot::BeginPlot(title, key.plot_size(), key.on() ? plot::PlotFlags_NoLegend : 0)) return;
  plot::SetupAxes("iteration", y_label, plot::AxisFlags_Integer, plot::AxisFlags_IncludeZero);
  std::vector<std::vector<double>> xs, ys;
  bool any = false;
  for (const Curve& c : curves)
    for (const pg::MeterReading& m : r) any = any || std::isfinite(c.field(m));
  if (!any) {
    // Nothing defined (no critic; a gradient of 0; one trajectory per batch): say so in the plot.
    plot::SetupAxesLimits(0.0, 1.0, 0.0, 1.0, ImGuiCond_Always);
    plot::PlotText(label_fitting(size.x - em(5.0f), "not defined in this session", "not defined"),
                   0.5, 0.5);
  }
  // A plot of one curve names it in its title: no legend entry for it (the legend would only
  // repeat the title and, in these small plots, stand over the curve), only its hover name.
  for (const Curve& c : curves) {
    series_of(r, c.field, xs, ys);
    const char* label = one ? "##curve" : c.label;
    // One line whose runs a NaN separates (the plot breaks a line there), and the lone defined
    // readings between gaps as dots (a one-point run draws no line), under the same label.
    std::vector<double> lx, ly, dx, dy;
    for (size_t run = 0; run < xs.size(); ++run) {
      if (xs[run].size() == 1) {
        dx.push_back(xs[run][0]);
        dy.push_back(ys[run][0]);
        continue;
      }
      if (!lx.empty()) {
        lx.push_back(NAN);
        ly.push_back(NAN);
      }
      lx.insert(lx.end(), xs[run].begin(), xs[run].end());
      ly.insert(ly.end(), ys[run].begin(), ys[run].end());
    }
    if (!lx.empty()) {
      plot::SetNextItemColor(c.color);
      if (one) plot::SetNextItemHoverName(c.label);
      plot::PlotLine(label, lx.data(), ly.data(), static_cast<int>(lx.size()));
    }
    if (!dx.empty()) {
      plot::SetNextItemColor(c.color);
      if (one) plot::SetNextItemHoverName(c.label);
      plot::PlotScatter(label, dx.data(), dy.data(), static_cast<int>(dx.size()));
    }
  }
  if (std::isfinite(threshold) && any) {
    // Named on the line itself where it hides no curve (a legend entry would need a corner these
    // plots do not have free).
    plot::SetNextItemColor(kColorNegative);
    plot::SetNextItemHoverName("badge threshold");
    plot::PlotHLine("##threshold", threshold);
    plot::SetNextItemColor(kColorNegative);
    plot::PlotHLineLabel("badge threshold", threshold);
  }
  plot::EndPlot();
}

// The badges that apply to this run (GRPO's zero-spread groups only with groups, critic-blind
// only with a critic), red when the latest reading fires them; a click opens the view that
// explains the signal (its tooltip says why it is dead and why the threshold is where it is).
// In a short view (`fold`) the quiet badges fold to one "○ N quiet (?)" whose tooltip names them
// with their counts, and a red badge's finding stays in its tooltip: the panels come first.
// `counts`: per badge, the readings of `series` that fired it.
void draw_badges(AppState& state, const pg::Session& s, const std::vector<pg::MeterReading>& series,
                 const int* counts, bool fold) {
  const pg::MeterReading& last = series.back();
  const std::vector<pg::Badge> fired = pg::dead_signals(last);
  bool first = true;
  std::string quiet;  // the folded quiet badges, a line each
  int n_quiet = 0;
  for (const pg::DeadSignalSpec& spec : pg::EnumTable<pg::DeadSignal>::rows) {
    if (!pg::dead_signal_applies(spec.value, last)) continue;
    const pg::Badge* on = nullptr;
    for (const pg::Badge& b : fired)
      if (b.kind == spec.value) on = &b;
    const int k = static_cast<int>(spec.value);
    char text[160];
    std::snprintf(text, sizeof text, "%s %s (%d of %d)", on ? "●" : "○", spec.title, counts[k],
                  static_cast<int>(series.size()));
    if (fold && !on) {
      quiet += (quiet.empty() ? "" : "\n") + std::string(text);
      ++n_quiet;
      continue;
    }
    // A badge wider than the view (presenter scale in a narrow lab) takes two lines, broken at
    // spaces, rather than running past the edge.
    const float pad = ImGui::GetStyle().FramePadding.x * 2.0f;
    const float line = ImGui::GetContentRegionAvail().x;
    std::string label = ImGui::CalcTextSize(text).x + pad <= line
                            ? std::string(text)
                            : wrap_at_spaces(text, std::max(line - pad, em(4.0f)));
    const float w = ImGui::CalcTextSize(label.c_str()).x + pad;
    label += "##badge" + std::to_string(k);
    if (!first) same_line_if_fits(w, em(0.5f));
    first = false;
    if (on) {
      ImGui::PushStyleColor(ImGuiCol_Button, IM_COL32(170, 45, 45, 255));
      ImGui::PushStyleColor(ImGuiCol_ButtonHovered, IM_COL32(200, 60, 60, 255));
      ImGui::PushStyleColor(ImGuiCol_Text, IM_COL32(255, 255, 255, 255));
    } else {
      ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    }
    View target = View::Overview;
    const bool known = view_from_name(spec.view, &target);
    if (ImGui::SmallButton(label.c_str()) && known) {
      // A view that does not apply to this session explains nothing here: fall back to the
      // inspector, which every session has.
      state.view = view_applies(target, s) ? target : View::Inspector;
      state.view_requested = true;
    }
    ImGui::PopStyleColor(on ? 3 : 1);
    if (ImGui::IsItemHovered()) {
      ImGui::BeginTooltip();
      ImGui::PushTextWrapPos(em(32.0f));
      if (on) ImGui::TextUnformatted(on->detail.c_str());
      ImGui::TextUnformatted(spec.meaning);
      ImGui::TextDisabled("Click: open %s. Count: iterations that fired it, of those read.",
                          known ? view_title(target) : spec.view);
      ImGui::PopTextWrapPos();
      ImGui::EndTooltip();
    }
  }
  if (n_quiet > 0) {
    const std::string label = formatted("○ %d quiet (?)", n_quiet);
    if (!first) same_line_if_fits(ImGui::CalcTextSize(label.c_str()).x, em(0.5f));
    ImGui::TextDisabled("%s", label.c_str());
    tooltip_when_hovered((quiet + "\nBadges that did not fire on the latest iteration; the count "
                                  "is of the iterations that fired each, of those read.")
                             .c_str());
  }
  if (fold) return;
  for (const pg::Badge& b : fired) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(kColorNegative));
    text_wrapped_at_spacesf("%s: %s", pg::dead_signal_spec(b.kind).title, b.detail.c_str());
    ImGui::PopStyleColor();
  }
}

}  // namespace

std::vector<int> meter_panel_order(const std::vector<pg::Badge>& fired, const int signal[6]) {
  std::vector<int> order;
  for (int pass = 0; pass < 2; ++pass)
    for (int i = 0; i < 6; ++i) {
      const bool on = std::any_of(fired.begin(), fired.end(), [&](const pg::Badge& b) {
        return static_cast<int>(b.kind) == signal[i];
      });
      if (on == (pass == 0)) order.push_back(i);
    }
  return order;
}

namespace {

std::string g4(double v) {
  if (!std::isfinite(v)) return "—";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g", v);
  return buf;
}

void count_badges(const pg::MeterReading& m, int* counts) {
  for (const pg::Badge& b : pg::dead_signals(m)) ++counts[static_cast<int>(b.kind)];
}

}  // namespace

struct MeterFillResult {
  std::vector<pg::MeterReading> readings;
  bool failed = false;  // the replay faulted or threw: not tried again for this series
};
struct MeterFill {
  int to = 0;               // the readings of iterations [0, to)
  uint64_t generation = 0;  // of the series they go before
  std::unique_ptr<BackgroundJob<MeterFillResult>> job;
};

namespace {

// The readings the runner lacks before its first one — iterations it did not complete itself: a
// session opened from a file, a lesson's step, a run started on a copy — replayed from the run's
// snapshots in the background (pg::replay_meter) and put before the series. Returns the
// iterations [0, to) being read back, or 0 when none are.
// `sync` copies the runner's series again (in the frame the readings went in: a shot's picture
// shows them).
int fill_missing(AppState& state, MeterViewState& st, const pg::Session& shown,
                 const std::function<void()>& sync) {
  if (!state.runner) return 0;
  if (st.fill) {
    if (!st.fill->job->done()) return st.fill->to;
    MeterFillResult& r = st.fill->job->result();
    const bool none = r.failed || r.readings.empty();
    const uint64_t g =
        none ? 0 : state.runner->meter_prepend(std::move(r.readings), st.fill->generation);
    // Tried for this series (a replay that faulted, or found no reading, is not run again every
    // frame); refused (the series changed meanwhile): tried again.
    if (g != 0 || none) {
      st.tried_generation = g != 0 ? g : st.fill->generation;
      st.tried_to = st.fill->to;
    }
    st.fill.reset();
    if (g != 0) sync();
    return 0;
  }
  // The live run (the views may be looking back at an earlier iteration of it).
  std::shared_ptr<const pg::Session> live =
      travelling(state) ? state.runner->snapshot().session : nullptr;
  const pg::Session& run = live ? *live : shown;
  const int to =
      std::min(st.series.empty() ? run.iteration() : st.series.front().iteration, run.iteration());
  if (to <= 0 || (st.tried_generation == st.generation && to <= st.tried_to)) return 0;
  if (!live) live = std::make_shared<const pg::Session>(shown);
  auto fill = std::make_shared<MeterFill>();
  fill->to = to;
  fill->generation = st.generation;
  fill->job = std::make_unique<BackgroundJob<MeterFillResult>>(
      [timeline = state.runner->timeline(), live, to](std::atomic<int>&,
                                                      const std::atomic<bool>& cancel) {
        MeterFillResult r;
        try {
          r.readings = pg::replay_meter(timeline, *live, 0, to, &cancel);
        } catch (const std::exception&) {  // Cancelled (the view went) or a replay's fault
          r.failed = true;
        }
        return r;
      });
  st.fill = std::move(fill);
  return to;
}

}  // namespace

void DrawMeterView(ViewContext& ctx) {
  MeterViewState& st = ctx.state.views.meter;
  const pg::Session& s = *ctx.snap.session;
  auto sync = [&] {
    if (!ctx.state.runner) return;
    const uint64_t before = st.generation;
    ctx.state.runner->meter_sync(st.series, st.generation);
    if (st.generation != before || st.counted > st.series.size()) {
      // Another series (reset, a new run, the session went back): count its badges afresh.
      std::fill(std::begin(st.counts), std::end(st.counts), 0);
      st.counted = 0;
    }
  };
  sync();
  const int reading_back = fill_missing(ctx.state, st, s, sync);
  for (; st.counted < st.series.size(); ++st.counted)
    count_badges(st.series[st.counted], st.counts);
  // The readings of the session on screen: while the views look back at iteration k (time
  // travel), those of iterations before k, their badges counted among them alone.
  const std::vector<pg::MeterReading>* shown = &st.series;
  const int* counts = st.counts;
  std::vector<pg::MeterReading> before_k;
  int counts_k[std::size(pg::EnumTable<pg::DeadSignal>::rows)] = {};
  if (!st.series.empty() && st.series.back().iteration >= s.iteration()) {
    for (const pg::MeterReading& m : st.series)
      if (m.iteration < s.iteration()) {
        before_k.push_back(m);
        count_badges(m, counts_k);
      }
    shown = &before_k;
    counts = counts_k;
  }
  const pg::AlgorithmInfo info = s.algorithm().info(s.scenario());
  const bool fold = short_view(ctx.state.layout_ui);
  if (reading_back > 0) {
    ImGui::TextDisabled(
        "Reading iterations 0–%d back (replaying the run: it reached them before "
        "this window ran it)…",
        reading_back - 1);
  }
  if (!shown->empty()) {
    // The pseudo-loss as the meter computes it (core/lab/meter.h), from the latest reading.
    const pg::MeterReading& last = shown->back();
    const bool ratio = last.loss_form == pg::LossForm::kRatio;
    const std::string loss =
        ratio ? "L = −(1/D) Σ wₜ·rₜ with r = π/π_old = 1 at θ_old (the ratio form)"
              : "L = −(1/D) Σ wₜ·log π(aₜ|sₜ)";
    const std::string gradient =
        last.loss_gradient_is_ghat
            ? ". Its gradient is −ĝ"
            : ", with wₜ the step inspector's weight of the taken action; its gradient is not "
              "−ĝ: " +
                  last.gradient_note;
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    const std::string text = "What the log prints for " + info.title + ": " + loss + gradient +
                             "; its value says nothing about J. What matters: J, and whether ĝ "
                             "carries signal.";
    explanation(fold, "What the log prints", text.c_str());
    ImGui::PopStyleColor();
  }
  if (shown->empty()) {
    if (reading_back == 0)
      ImGui::TextDisabled(
          "The meter reads each iteration as it completes: run or step through an iteration.");
    return;
  }
  draw_badges(ctx.state, s, *shown, counts, fold);
  // The latest reading, one "name = value" at a time: a line breaks between them, never inside a
  // number.
  const pg::MeterReading& r = shown->back();
  // Without a finite model there is no J, only the batch's undiscounted return: named as such.
  const bool has_J = std::isfinite(r.exact_J);
  const std::string J = g4(has_J ? r.exact_J : r.return_mean) +
                        (std::isfinite(r.optimal_J) ? " (J* " + g4(r.optimal_J) + ")" : "");
  // SAC's warm-up: ĝ is estimated on each batch, but the update applies nothing yet.
  auto applied = [&](int iteration) {
    const pg::History& h = s.history();
    for (size_t i = h.size(); i-- > 0;)
      if (h[i].iteration == iteration) return info.update_applies(h[i].steps);
    return true;
  };
  const bool warm_now = !applied(r.iteration);
  const std::array<std::string, 2> values[] = {
      {"L", g4(r.loss)},
      {has_J ? "J" : "return", J},
      {"‖ĝ‖", g4(r.grad_norm) + (warm_now ? " (warm-up: not applied)" : "")},
      {"SNR", g4(r.snr)},
      {"cos(ĝ, ∇J)", g4(r.cosine_exact)},
      {"EV", g4(r.explained_variance)},
      r.action_dim > 0
          ? std::array<std::string, 2>{"H", g4(r.entropy) + " nats (σ " + g4(r.sigma) + ")"}
          : std::array<std::string, 2>{"H/log|A|",
                                       g4(r.entropy_max > 0 ? r.entropy / r.entropy_max : NAN)},
  };
  // A short view keeps the values that fit its first line, the rest behind a "(?)" with them all
  // (each has its panel below).
  ImGui::Text("iteration %d:", r.iteration);
  std::string all = formatted("iteration %d:", r.iteration);
  bool cut = false;
  const float more = fold ? em(1.2f) + ImGui::CalcTextSize("(?)").x : 0.0f;
  for (const auto& [name, value] : values) {
    if (name == "EV" && !r.has_critic) continue;  // no critic: nothing to explain
    const std::string item = name + " = " + value;
    all += "\n" + item;
    if (cut) continue;
    const float w = ImGui::CalcTextSize(item.c_str()).x;
    if (fold) {
      const float right = ImGui::GetItemRectMax().x + em(1.2f) + w + more;
      if (right > ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x) {
        cut = true;
        continue;
      }
    }
    same_line_if_fits(w, em(1.2f));
    ImGui::TextUnformatted(item.c_str());
  }
  if (cut) caption_after(all.c_str(), true);

  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float spacing = ImGui::GetStyle().ItemSpacing.x;
  // Columns of at least ~18 em (presenter scale: fewer, wider plots; 1280×720: two, whose plots
  // hold their legend in one row above the curves, where three columns of ~16 em left them over
  // the curves); each plot at least as high as a two-line legend needs with room left for the
  // curves under it. The view scrolls below.
  const int cols = avail.x >= em(56.0f) ? 3 : avail.x >= em(30.0f) ? 2 : 1;
  const int rows = (6 + cols - 1) / cols;
  const ImVec2 cell((avail.x - spacing * (cols - 1)) / cols,
                    std::max(plot::FrameHeightForLegend(2) + em(3.0f),
                             (avail.y - ImGui::GetStyle().ItemSpacing.y * (rows - 1)) / rows));
  const auto& v = *shown;
  // The six panels, each with the badge it is the evidence for (none: -1). Those whose badge
  // fires on the latest reading come first, so the plot that explains a red badge is on screen
  // (the entropy panel, last, was below the fold at 1280×720 with "entropy collapsed" red above).
  std::function<void()> panels[6];
  int signal[6] = {static_cast<int>(pg::DeadSignal::kLossZero),
                   -1,
                   -1,
                   -1,
                   static_cast<int>(pg::DeadSignal::kCriticExplainsNothing),
                   static_cast<int>(pg::DeadSignal::kEntropyCollapse)};
  panels[0] = [&] {
    small_plot("Pseudo-loss L (what the log prints)", "L", v,
               {{"L", [](const pg::MeterReading& m) { return m.loss; }, color_psi()},
                {"size of its terms (1/D) Σ|terms|",
                 [](const pg::MeterReading& m) { return m.loss_scale; },
                 ImGui::GetColorU32(ImGuiCol_TextDisabled)}},
               cell);
  };
  panels[1] = [&] {
    small_plot(has_J ? "Progress: J" : "Progress: batch return", has_J ? "J" : "return", v,
               {{"exact J(θ)", [](const pg::MeterReading& m) { return m.exact_J; }, color_return()},
                {"batch return (undiscounted)",
                 [](const pg::MeterReading& m) { return m.return_mean; }, color_baseline()}},
               cell);
  };
  panels[2] = [&] {
    // Which of the plotted iterations' ĝ moved θ (all but SAC's warm-up).
    int first_applied = -1;
    for (const pg::MeterReading& m : v)
      if (applied(m.iteration)) {
        first_applied = m.iteration;
        break;
      }
    std::string grad_title = "Gradient norm ‖ĝ‖";
    if (first_applied < 0)
      grad_title += ": warm-up, not applied yet";
    else if (s.algorithm().replay_record().buffer)
      // SAC's ĝ is taken on the batch with the critic as it was before the update, which then
      // takes its own replay steps: ĝ is never the step (0 at the first update, whose critic had
      // not been fitted, while that update moved J from −1.06 to −0.76: audit a15).
      grad_title += " on the batch, before the update's replay steps";
    else if (first_applied > v.front().iteration)
      grad_title += " (applied from iteration " + std::to_string(first_applied) + ")";
    // The shown title changes with the width and the warm-up; the plot's ID (its zoom) does not.
    grad_title =
        std::string(label_fitting(cell.x - em(1.0f), grad_title.c_str(), "Gradient norm ‖ĝ‖")) +
        "###meter_grad";
    small_plot(grad_title.c_str(), nullptr, v,
               {{"‖ĝ‖", [](const pg::MeterReading& m) { return m.grad_norm; }, color_psi()}}, cell);
  };
  panels[3] = [&] {
    small_plot(
        "Gradient signal-to-noise", nullptr, v,
        {{"SNR √(‖ĝ‖² − tr Cov)/√tr Cov", [](const pg::MeterReading& m) { return m.snr; },
          color_psi()},
         {"cos(ĝ, ∇J)", [](const pg::MeterReading& m) { return m.cosine_exact; }, color_return()}},
        cell);
  };
  panels[4] = [&] {
    if (pg::dead_signal_applies(pg::DeadSignal::kCriticExplainsNothing, v.back())) {
      small_plot("Critic explained variance", "EV", v,
                 {{"EV", [](const pg::MeterReading& m) { return m.explained_variance; },
                   color_baseline()}},
                 cell, 0.0);
    } else {
      ImGui::BeginChild("##no-critic", cell);
      ImGui::TextUnformatted("Critic explained variance");
      ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
      // Which case this is, said as such (the audit read "none learns here, or …" on REINFORCE).
      if (s.algorithm().replay_record().buffer)
        text_wrapped_at_spaces(
            "The Q critic waits for its first update (warm-up): no explained variance to watch "
            "yet");
      else if (!s.critic_learns())
        text_wrapped_at_spacesf("%s learns no critic here: no explained variance to watch",
                                info.title.c_str());
      else
        text_wrapped_at_spaces(
            "No critic fitted to its target yet: no explained variance to watch");
      ImGui::PopStyleColor();
      ImGui::EndChild();
    }
  };
  panels[5] = [&] {
    if (v.back().action_dim > 0) {
      // A density's entropy has no log|A| to divide by: H in nats, and the badge's line where σ
      // is 1% of the action's scale (core/lab/meter.h, kGaussianCollapseFrac).
      small_plot("Entropy H of the Gaussian (nats)", "H", v,
                 {{"H", [](const pg::MeterReading& m) { return m.entropy; }, color_psi()}}, cell,
                 pg::gaussian_collapse_entropy(v.back()));
    } else {
      small_plot("Entropy H / log|A|", nullptr, v,
                 {{"H/log|A|",
                   [](const pg::MeterReading& m) {
                     return m.entropy_max > 0 ? m.entropy / m.entropy_max : NAN;
                   },
                   color_psi()}},
                 cell, pg::kEntropyCollapseFrac);
    }
  };
  const std::vector<int> order = meter_panel_order(pg::dead_signals(v.back()), signal);
  for (size_t k = 0; k < order.size(); ++k) {
    if (k % cols != 0) ImGui::SameLine(0, spacing);
    panels[order[k]]();
  }
}

}  // namespace pglab::gui
