#include "gui/time_travel/time_travel.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string_view>
#include <thread>
#include <vector>

#include "gui/compare/compare.h"
#include "gui/theme.h"
#include "gui/views/background_job.h"
#include "util/cancel.h"
#include "util/text.h"

namespace pglab::gui {

struct ReplayOutcome {
  std::shared_ptr<const pg::Session> session;
  std::string error;
};

struct ReplayJob {
  template <class Work>
  ReplayJob(int k_, uint64_t run, Work work) : k(k_), run_id(run), job(std::move(work)) {}
  const int k;
  const uint64_t run_id;
  BackgroundJob<ReplayOutcome> job;
};

namespace {

// Versions of replayed sessions never meet the runner's (which count up from 1).
constexpr uint64_t kReplayVersionBase = 1ULL << 62;
// The travelling colour: the banner, the frame around the lab and the timeline's cursor.

bool ready_for(const Replay& r, const pg::Session& live, int k) {
  return r.shown && r.shown->run_id() == live.run_id() && r.shown->iteration() == k;
}

// Takes a finished replay.
void poll(Replay& r, uint64_t* next_version) {
  if (!r.job || !r.job->job.done()) return;
  ReplayOutcome out = std::move(r.job->job.result());
  r.job.reset();
  if (out.session) {
    r.shown = std::move(out.session);
    r.version = kReplayVersionBase + ++*next_version;
    r.error.clear();
  } else if (!out.error.empty()) {
    r.error = out.error;
  }
}

// Starts the replay of `live`'s run to k unless it is shown or under way; continues from the
// session shown when it lies on the way.
void request(Replay& r, const pg::Timeline& timeline, std::shared_ptr<const pg::Session> live,
             int k) {
  if (ready_for(r, *live, k)) return;
  if (r.job && r.job->k == k && r.job->run_id == live->run_id()) return;
  std::shared_ptr<const pg::Session> from =
      r.shown && r.shown->run_id() == live->run_id() && r.shown->iteration() <= k ? r.shown
                                                                                  : nullptr;
  r.job.reset();  // cancels and joins the one under way
  r.job = std::make_shared<ReplayJob>(
      k, live->run_id(),
      [timeline, live, k, from](std::atomic<int>&, const std::atomic<bool>& cancel) {
        ReplayOutcome out;
        try {
          pg::Session s = timeline.at(*live, k, &cancel, from.get());
          s.set_cancel(nullptr);  // the flag dies with the job
          out.session = std::make_shared<const pg::Session>(std::move(s));
        } catch (const pg::Cancelled&) {
        } catch (const std::exception& e) {
          out.error = pg::printable(e.what(), kMaxShownError);
        }
        return out;
      });
}

std::shared_ptr<const pg::Session> live_session(const AppState& state) {
  return state.runner ? state.runner->snapshot().session : nullptr;
}

}  // namespace

bool travelling(const AppState& state) {
  return state.time_travel.viewing >= 0;
}

void travel_to(AppState& state, int k) {
  TimeTravelUi& t = state.time_travel;
  const auto live = live_session(state);
  if (!live || k < 0 || (k >= live->iteration() && live->at_iteration_boundary())) {
    if (t.viewing >= 0) state.status = "back to the live run";
    t.viewing = -1;
    t.main = Replay{};  // cancels a replay under way
    t.fork = Replay{};
    return;
  }
  t.viewing = std::min(k, live->iteration());
  t.run_id = live->run_id();
}

Snapshot shown_snapshot(AppState& state, const Snapshot& live) {
  TimeTravelUi& t = state.time_travel;
  if (t.viewing < 0 || !live.session) return live;
  const pg::Session& l = *live.session;
  if (l.run_id() != t.run_id) {  // reset, another scenario or session: back to live
    travel_to(state, -1);
    return live;
  }
  poll(t.main, &t.next_version);
  if (!ready_for(t.main, l, t.viewing) && state.runner)
    request(t.main, state.runner->timeline(), live.session, t.viewing);
  if (t.main.shown && t.main.shown->run_id() == l.run_id())
    return Snapshot{t.main.shown, t.main.version, nullptr};
  return live;
}

std::shared_ptr<const pg::Session> shown_fork(AppState& state, const pg::Session& shown) {
  ForkView f;
  // A detached fork belongs to a run no longer on screen: its picture at its own iteration beside
  // the main run's would compare two different runs (README, Time travel).
  if (!fork_view(state, &f) || !f.latest || f.detached) return nullptr;
  TimeTravelUi& t = state.time_travel;
  if (t.fork_of != state.compare.fork.get()) {  // another fork: its own sessions
    t.fork = Replay{};
    t.fork_of = state.compare.fork.get();
  }
  if (t.viewing < 0) return f.latest;
  const int k = shown.iteration();
  // A fork that faulted stays at its last boundary: past it, its branch says why it stopped
  // (DrawBranchPictures) rather than vanish as though there had never been a fork.
  if (k > f.latest->iteration() && !f.fault.empty()) return f.latest;
  if (k < f.start || k > f.latest->iteration()) return nullptr;
  poll(t.fork, &t.next_version);
  if (ready_for(t.fork, *f.latest, k)) return t.fork.shown;
  request(t.fork, f.timeline, f.latest, k);
  return nullptr;
}

void wait_for_replays(AppState& state, double seconds) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (std::chrono::steady_clock::now() < until) {
    update_compare(state);  // the fork catches up with the main run
    const Snapshot live = state.runner ? state.runner->snapshot() : Snapshot{};
    if (!live.session) return;
    const Snapshot shown = shown_snapshot(state, live);
    const TimeTravelUi& t = state.time_travel;
    bool ready = !travelling(state) || (ready_for(t.main, *live.session, t.viewing) && !t.main.job);
    ForkView f;
    if (fork_view(state, &f) && !f.detached) {
      const bool caught_up = f.latest && f.latest->iteration() >= live.session->iteration();
      const int k = shown.session->iteration();
      const bool has_fork_then = k < f.start || shown_fork(state, *shown.session) != nullptr;
      ready = ready && caught_up && has_fork_then && f.fault.empty();
      if (!f.fault.empty()) return;
    }
    // A seed band being computed (a session file's compare.seeds): drawn once it is done.
    if (ready && seeds_progress(state) < 0.0) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

namespace {
// The strip's two rows (the scrub bar; the words and the Fork button) without the window padding.
float two_rows() {
  return em(1.6f) + ImGui::GetStyle().ItemSpacing.y + ImGui::GetFrameHeight();
}
}  // namespace

PanelRect take_timeline_rect(Layout* layout) {
  const ImGuiStyle& style = ImGui::GetStyle();
  // Where the views are short (a presenter scale on a 1280×720 beamer: under 28 lines), the strip
  // is one row — its words and Fork button, then the scrub bar in the width left — so the views
  // keep a row more.
  const bool compact = layout->lab.size.y < em(28.0f);
  const float rows = compact ? std::max(em(1.6f), ImGui::GetFrameHeight()) : two_rows();
  const float h = style.WindowPadding.y * 2.0f + rows + em(0.2f);
  const float gap = em(0.3f);
  PanelRect& lab = layout->lab;
  const float taken = std::min(h + gap, lab.size.y * 0.4f);
  lab.size.y -= taken;
  return {ImVec2(lab.pos.x, lab.pos.y + lab.size.y + gap), ImVec2(lab.size.x, taken - gap)};
}

void ForkHereButton(AppState& state, const std::shared_ptr<const pg::Session>& from,
                    const char* label) {
  if (ImGui::Button(label)) ImGui::OpenPopup("fork_here");
  if (std::strcmp(label, kForkHereLabel) != 0 && ImGui::IsItemHovered())
    ImGui::SetTooltip("%s", kForkHereLabel);
  if (ImGui::BeginPopup("fork_here")) {
    if (from) {
      ImGui::TextDisabled("branch from iteration %d, one setting changed:", from->iteration());
      DrawForkItems(state, *from);
    }
    ImGui::EndPopup();
  }
}

TimelineCurve timeline_curve(const pg::Session& live, size_t max_points) {
  TimelineCurve c;
  const std::vector<pg::IterationRecord> rows =
      live.history().summary(std::max<size_t>(max_points, 2));
  const int n = live.iteration();
  c.exact = !rows.empty();
  for (const auto& r : rows) c.exact = c.exact && std::isfinite(r.exact_J);
  if (c.exact) {
    // J(θ_i) at the boundary i; J(θ_n) is known (the exact values at the current θ), so the curve
    // reaches the live cursor.
    for (const auto& r : rows) {
      c.x.push_back(r.iteration);
      c.v.push_back(r.exact_J);
    }
    const pg::ExactResult* now = live.exact();
    if (now && std::isfinite(now->J) && n > 0 && rows.back().iteration < n) {
      c.x.push_back(n);
      c.v.push_back(now->J);
    }
    return c;
  }
  // Batch returns: iteration i's batch over [i, i + 1]. A row of the summary may stand for a
  // bucket of iterations (its mean iteration): the middle of its stretch is half an iteration on.
  for (const auto& r : rows) {
    if (!std::isfinite(r.return_mean)) continue;
    if (c.x.empty()) {  // from the start of the first stretch with a return
      c.x.push_back(r.iteration);
      c.v.push_back(r.return_mean);
    }
    c.x.push_back(r.iteration + 0.5);
    c.v.push_back(r.return_mean);
  }
  if (!c.x.empty() && c.x.back() < n) {
    c.x.push_back(n);
    c.v.push_back(c.v.back());
  }
  return c;
}

namespace {

// The scrub bar: the run's curve (exact J where known, else the batch return), live changes and
// world edits as marks, the cursor at the iteration shown. Click or drag
// to travel; the live end returns to live.
void scrub_bar(AppState& state, const pg::Session& live, int shown_k) {
  // The width left on the row (the compact row leaves at least 4 em where it can): wider, it was
  // cut off by the panel's edge at 2.5×.
  const float w = std::max(ImGui::GetContentRegionAvail().x, em(1.0f));
  const float h = em(1.6f);
  const ImVec2 p0 = ImGui::GetCursorScreenPos();
  ImGui::InvisibleButton("scrub", ImVec2(w, h));
  const int n = live.iteration();
  const float pad = em(0.4f);
  const float x0 = p0.x + pad, x1 = p0.x + w - pad;
  auto x_of = [&](double i) { return n > 0 ? x0 + static_cast<float>(i / n) * (x1 - x0) : x1; };
  const bool active = ImGui::IsItemActive();
  if (active && n > 0) {
    const float mx = ImGui::GetIO().MousePos.x;
    const int k = static_cast<int>(std::lround((mx - x0) / (x1 - x0) * n));
    const int target = std::clamp(k, 0, n);
    if (target != (travelling(state) ? state.time_travel.viewing : n)) travel_to(state, target);
  }
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 p1(p0.x + w, p0.y + h);
  dl->AddRectFilled(p0, p1, ImGui::GetColorU32(ImGuiCol_FrameBg), em(0.2f));
  // The curve.
  const TimelineCurve curve =
      timeline_curve(live, static_cast<size_t>(std::max(2.0f, (x1 - x0) / 3.0f)));
  if (!curve.v.empty()) {
    const auto [lo_it, hi_it] = std::minmax_element(curve.v.begin(), curve.v.end());
    const double lo = *lo_it, hi = *hi_it;
    const float ty = p0.y + em(0.2f), by = p1.y - em(0.35f);
    std::vector<ImVec2> pts;
    pts.reserve(curve.v.size());
    for (size_t i = 0; i < curve.v.size(); ++i) {
      const double u = hi > lo ? (curve.v[i] - lo) / (hi - lo) : 0.5;
      pts.emplace_back(x_of(curve.x[i]), by - static_cast<float>(u) * (by - ty));
    }
    dl->AddPolyline(pts.data(), static_cast<int>(pts.size()),
                    ImGui::GetColorU32(ImGuiCol_PlotLines), 0, em(0.08f));
  }
  // Live changes and world edits: thin marks at the top. (The snapshots are not drawn: a session
  // opened from a file has none before its iteration yet looks the same as the run that saved it.)
  const ImU32 mark = ImGui::GetColorU32(ImGuiCol_CheckMark);
  for (const pg::SettingChange& c : live.changes())
    dl->AddLine(ImVec2(x_of(c.iteration), p0.y), ImVec2(x_of(c.iteration), p0.y + em(0.5f)), mark,
                em(0.1f));
  for (const pg::WorldChange& c : live.world_changes())
    dl->AddRectFilled(ImVec2(x_of(c.iteration) - em(0.12f), p0.y),
                      ImVec2(x_of(c.iteration) + em(0.12f), p0.y + em(0.35f)), mark);
  // The cursor.
  const float cx = x_of(shown_k);
  const ImU32 cursor =
      travelling(state) ? kColorTravel : ImGui::GetColorU32(ImGuiCol_SliderGrabActive);
  dl->AddLine(ImVec2(cx, p0.y), ImVec2(cx, p1.y), cursor, em(0.15f));
  dl->AddCircleFilled(ImVec2(cx, p0.y + h * 0.5f), em(0.28f), cursor);
  if (ImGui::IsItemHovered() && !active && n > 0) {
    const float mx = ImGui::GetIO().MousePos.x;
    const int k = std::clamp(static_cast<int>(std::lround((mx - x0) / (x1 - x0) * n)), 0, n);
    ImGui::BeginTooltip();
    ImGui::Text("iteration %d of %d — click or drag to look at it", k, n);
    if (k < static_cast<int>(live.history().size())) {
      const pg::IterationRecord& r = live.history()[static_cast<size_t>(k)];
      if (std::isfinite(r.exact_J))
        ImGui::Text("batch return %.4g, exact J(θ_%d) %.4g", r.return_mean, k, r.exact_J);
      else
        ImGui::Text("batch return %.4g", r.return_mean);
    }
    const std::string marks = pg::change_labels_at(live.changes(), k);
    if (!marks.empty()) ImGui::Text("changes: %s", marks.c_str());
    ImGui::EndTooltip();
  }
}

// A greyed note on the row when it fits there, else shown on hovering the row's last item: the
// strip stays one row high at any width and scale.
void note_or_tooltip(const char* text) {
  const float w = ImGui::CalcTextSize(text).x;
  const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
  if (ImGui::GetItemRectMax().x + ImGui::GetStyle().ItemSpacing.x + w <= right) {
    ImGui::SameLine();
    ImGui::TextDisabled("%s", text);
  } else if (ImGui::IsItemHovered()) {
    ImGui::SetTooltip("%s", text);
  }
}

}  // namespace

void DrawTimelinePanel(AppState& state, const Snapshot* live, const PanelRect& rect, bool force) {
  if (begin_panel("Timeline", rect, force, ImGuiWindowFlags_NoTitleBar) && live) {
    const pg::Session& l = *live->session;
    const pg::Timeline timeline = state.runner ? state.runner->timeline() : pg::Timeline();
    TimeTravelUi& t = state.time_travel;
    const bool away = travelling(state);
    const int shown_k = away && t.main.shown ? t.main.shown->iteration()
                        : away               ? t.viewing
                                             : l.iteration();
    char line[160];
    // One row (take_timeline_rect): the words first, the bar in the width left, notes on hover.
    const bool compact =
        rect.size.y < ImGui::GetStyle().WindowPadding.y * 2.0f + two_rows() - em(0.1f);
    if (compact) {
      ImGui::AlignTextToFramePadding();
      // The iteration on show is always on the row: the words, else a shorter form of them, then
      // shorter buttons, so the bar keeps 4 em (a lesson's panel beside the views, scale 2.5).
      const ImGuiStyle& style = ImGui::GetStyle();
      auto button_w = [&](const char* s) {
        return ImGui::CalcTextSize(s).x + style.FramePadding.x * 2.0f + style.ItemSpacing.x;
      };
      char shorter[64];
      if (away) {
        std::snprintf(line, sizeof line, "iteration %d of %d", shown_k, l.iteration());
        std::snprintf(shorter, sizeof shorter, "it. %d/%d", shown_k, l.iteration());
      } else {
        std::snprintf(line, sizeof line, "live: iteration %d", l.iteration());
        std::snprintf(shorter, sizeof shorter, "live: %d", l.iteration());
      }
      const char* back = "return to live";
      const char* fork = kForkHereLabel;
      const char* words = line;
      const float avail = ImGui::GetContentRegionAvail().x;
      auto need = [&] {
        return ImGui::CalcTextSize(words).x + style.ItemSpacing.x + button_w(fork) +
               (away ? button_w(back) : 0.0f) + em(4.0f);
      };
      if (need() > avail) words = shorter;
      if (need() > avail) {
        back = "to live";
        fork = "Fork…";
      }
      const ImVec4 color = away ? ImGui::ColorConvertU32ToFloat4(kColorTravel)
                                : ImGui::GetStyleColorVec4(ImGuiCol_Text);
      ImGui::TextColored(color, "%s", words);
      if (words != line && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", line);
      ImGui::SameLine();
      if (away) {
        if (ImGui::Button(back)) travel_to(state, -1);
        if (back != std::string_view("return to live") && ImGui::IsItemHovered())
          ImGui::SetTooltip("return to live");
        ImGui::SameLine();
        ForkHereButton(state, t.main.shown, fork);
        if (!t.main.error.empty()) {  // an error is never hidden in a tooltip
          ImGui::SameLine();
          ImGui::TextColored(ImVec4(1.0f, 0.45f, 0.4f, 1.0f), "%s", t.main.error.c_str());
        }
      } else {
        ForkHereButton(state, live->session, fork);
      }
      ImGui::SameLine();
      scrub_bar(state, l, away ? t.viewing : l.iteration());
      ImGui::End();
      return;
    }
    scrub_bar(state, l, away ? t.viewing : l.iteration());
    if (away) {
      std::snprintf(line, sizeof line, "viewing iteration %d of %d", shown_k, l.iteration());
      ImGui::PushStyleColor(ImGuiCol_Text, kColorTravel);
      ImGui::TextUnformatted(line);
      ImGui::PopStyleColor();
      same_line_if_fits(ImGui::CalcTextSize("return to live").x + em(1.0f));
      if (ImGui::Button("return to live")) travel_to(state, -1);
      same_line_if_fits(ImGui::CalcTextSize("Fork here with…").x + em(1.0f));
      ForkHereButton(state, t.main.shown);
      if (t.main.job) {
        std::snprintf(line, sizeof line, "replaying to iteration %d from the snapshot at %d…",
                      t.viewing, timeline.base_for(l, t.viewing));
        note_or_tooltip(line);
      } else if (!t.main.error.empty()) {
        caption_after(t.main.error.c_str());  // an error is never hidden in a tooltip
      } else {
        std::snprintf(line, sizeof line,
                      "replayed from the snapshot at %d (%zu kept, one every %d); the live run "
                      "goes on",
                      timeline.base_for(l, shown_k), timeline.size(), timeline.every());
        note_or_tooltip(line);
      }
    } else {
      std::snprintf(line, sizeof line, "live: iteration %d", l.iteration());
      ImGui::TextUnformatted(line);
      same_line_if_fits(ImGui::CalcTextSize("Fork here with…").x + em(1.0f));
      ForkHereButton(state, live->session);
      note_or_tooltip("drag the timeline to look back at any iteration");
    }
  }
  ImGui::End();
}

}  // namespace pglab::gui
