#include "gui/views/estimator_panels.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>

#include "gui/layout.h"
#include "session/session.h"

namespace pglab::gui {

namespace {

constexpr double kRefreshSeconds = 1.0;  // while training runs
constexpr double kFirstWaitSeconds = 2.0;
constexpr double kLaterWaitSeconds = 0.1;

// The view that shows what an algorithm does support, in the order a student would look.
const char* view_for(const pg::AlgorithmInfo& info) {
  using pg::Analysis;
  if (info.supports(Analysis::kGroups)) return "the GRPO groups view";
  if (info.supports(Analysis::kClipping)) return "the clipping view";
  if (info.supports(Analysis::kImportance)) return "the importance-weights view";
  if (info.supports(Analysis::kNaturalGradient)) return "the natural-gradient view";
  if (info.supports(Analysis::kAdvantageEstimators)) return "the advantages view";
  return "the inspector";
}

AdvantageCompareResult compute(const pg::Session& s, uint64_t version,
                               std::vector<pg::AdvantageEstimatorSetting> settings, int K, int N,
                               bool exact_critic, std::atomic<int>& progress,
                               const std::atomic<bool>& cancel) {
  AdvantageCompareResult r;
  r.version = version;
  r.samples = K;
  r.batch = N;
  r.iteration = s.iteration();
  r.settings = std::move(settings);
  const auto t0 = std::chrono::steady_clock::now();
  try {
    pg::AdvantageCompareOptions o;
    o.batch_episodes = N;
    o.exact_critic = exact_critic;
    o.progress = &progress;
    o.cancel = &cancel;
    o.samples_name = "K batches";  // the views' slider
    r.rep = pg::run_advantage_compare(s, r.settings, K, o);
    r.cancelled = r.rep.rows.empty();
  } catch (const std::exception& e) {
    r.error = e.what();
  }
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return r;
}

}  // namespace

void DrawNotApplicable(const pg::AlgorithmInfo& info, const char* view_compares,
                       const char* scenario) {
  note_wrappedf(
      "This view compares %s; %s has none to compare, so nothing here would describe it — see %s, "
      "or open the scenario %s for this view.",
      view_compares, info.title.c_str(), view_for(info), scenario);
}

float fitted_width(float width, const char* label) {
  const float room = ImGui::GetContentRegionAvail().x - (labeled_width(0.0f, label));
  return std::max(ImGui::GetFontSize() * 4.0f, std::min(width, room));
}

void DrawJobStatus(const std::string& text, bool error, double seconds) {
  ImGui::PushStyleColor(ImGuiCol_Text, error ? ImVec4(1.0f, 0.45f, 0.4f, 1.0f)
                                             : ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  text_wrapped_at_spaces(text.c_str());
  ImGui::PopStyleColor();
  if (seconds >= 0.0 && ImGui::IsItemHovered())
    ImGui::SetTooltip("computed in %.0f ms", seconds * 1000.0);
}

bool DrawJobProgress(const char* label, int done, int total, float width_font_units) {
  const float fs = ImGui::GetFontSize();
  char overlay[96];
  std::snprintf(overlay, sizeof overlay, "%s %d/%d", label, done, total);
  // The bar at least as wide as its text, at most as wide as the line; where the label does not
  // fit (a narrow column), the count alone.
  const float pad = ImGui::GetStyle().FramePadding.x * 2.0f;
  const float avail = ImGui::GetContentRegionAvail().x;
  float width = std::max(fs * width_font_units, ImGui::CalcTextSize(overlay).x + pad);
  if (width > avail) {
    std::snprintf(overlay, sizeof overlay, "%d/%d", done, total);
    width = std::max(avail, ImGui::CalcTextSize(overlay).x + pad);
  }
  ImGui::ProgressBar(static_cast<float>(done) / static_cast<float>(total > 0 ? total : 1),
                     ImVec2(width, 0), overlay);
  same_line_if_fits(ImGui::CalcTextSize("Cancel").x + ImGui::GetStyle().FramePadding.x * 2.0f);
  return ImGui::SmallButton("Cancel");
}

void AdvantageCompareJobs::update(const Snapshot& snap,
                                  const std::vector<pg::AdvantageEstimatorSetting>& settings, int K,
                                  int N, bool auto_update, bool running, bool force) {
  if (job && job->done()) {
    auto r = std::make_unique<AdvantageCompareResult>(std::move(job->result()));
    job.reset();
    if (!r->cancelled) shown = std::move(r);
  }
  if (job && (job_samples != K || job_batch != N)) job.reset();  // cancels and joins
  if (force) cancelled = false;
  if (cancelled && (job_samples != K || job_batch != N)) cancelled = false;
  if (!job && !cancelled) {
    const bool params_changed =
        !shown || shown->samples != K || shown->batch != N || shown->settings != settings;
    const bool outdated = shown && shown->version != snap.version;
    const double now = ImGui::GetTime();
    if (force || params_changed ||
        (outdated && auto_update && (!running || now - last_launch >= kRefreshSeconds))) {
      auto session = std::make_shared<const pg::Session>(*snap.session);  // the job's own deep copy
      const uint64_t version = snap.version;
      const bool exact = exact_critic;
      job = std::make_unique<BackgroundJob<AdvantageCompareResult>>(
          [session, version, settings, K, N, exact](std::atomic<int>& progress,
                                                    const std::atomic<bool>& cancel) {
            return compute(*session, version, settings, K, N, exact, progress, cancel);
          });
      job_samples = K;
      job_batch = N;
      last_launch = now;
    }
  }
  if (!shown && job && !running) {
    const double wait = waited ? kLaterWaitSeconds : kFirstWaitSeconds;
    waited = true;
    if (job->wait_for(wait)) {
      shown = std::make_unique<AdvantageCompareResult>(std::move(job->result()));
      job.reset();
    }
  }
}

namespace {

// What AdvantageCompareJobs::draw_status() shows when no job runs ("" for nothing).
std::string status_text(const AdvantageCompareJobs& j) {
  if (j.shown && !j.shown->error.empty()) return j.shown->error;
  if (j.cancelled) return "cancelled: press Recompute";
  if (!j.shown) return "";
  return "θ and V_φ of iteration " + std::to_string(j.shown->iteration);
}

}  // namespace

void AdvantageCompareJobs::draw_status() {
  if (job) {
    if (DrawJobProgress("computing…", job->progress(), job_samples)) {
      job.reset();
      cancelled = true;
    }
    return;
  }
  const std::string text = status_text(*this);
  if (!text.empty())
    DrawJobStatus(text, shown && !shown->error.empty(),
                  shown && shown->error.empty() ? shown->seconds : -1.0);
}

float AdvantageCompareJobs::status_width() const {
  if (job) return ImGui::GetFontSize() * 10.0f;  // DrawJobProgress's bar at its usual width
  return ImGui::CalcTextSize(status_text(*this).c_str()).x;
}

}  // namespace pglab::gui
