// Pieces the variance and baseline views share: the sentence a view shows when the algorithm on
// screen has nothing for it (read from its AlgorithmInfo, never from its name), a job's progress
// bar with a Cancel button, and the actor-critic advantage comparison (pg::run_advantage_compare)
// run on a BackgroundJob.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "algo/describe.h"
#include "gui/app_state.h"
#include "gui/views/background_job.h"
#include "lab/advantage_compare.h"

namespace pglab::gui {

// One sentence: what this view compares, why `info`'s algorithm has none of it, where to look
// instead (a view of an analysis it supports) and a scenario that shows this view's analysis.
void DrawNotApplicable(const pg::AlgorithmInfo& info, const char* view_compares,
                       const char* scenario);

// The width to give a widget that wants `width` with `label` on its right: narrower where the
// line has less room (a narrow view, presenter scale), never under 4 font units.
float fitted_width(float width, const char* label);

// A job's status line ("θ of iteration i", "cancelled…"), greyed, or red for an error; wrapped
// at the window's edge. `seconds` ≥ 0: how long the job took, in a tooltip — not on the line,
// where a slower run's longer figure would move the view's layout below it.
void DrawJobStatus(const std::string& text, bool error, double seconds = -1.0);

// A progress bar "label k/total" and a Cancel button; returns true when Cancel was pressed.
bool DrawJobProgress(const char* label, int done, int total, float width_font_units = 10.0f);

struct AdvantageCompareResult {
  std::string error;  // "" when ok
  bool cancelled = false;
  uint64_t version = 0;
  int samples = 0, batch = 0, iteration = 0;
  std::vector<pg::AdvantageEstimatorSetting> settings;
  pg::AdvantageReport rep;
  double seconds = 0;
};

// The job, the result on show and the relaunch policy of one advantage comparison.
struct AdvantageCompareJobs {
  std::unique_ptr<BackgroundJob<AdvantageCompareResult>> job;
  int job_samples = 0, job_batch = 0;
  std::unique_ptr<AdvantageCompareResult> shown;
  double last_launch = -1e9;
  bool waited = false;
  bool cancelled = false;  // the user cancelled: no automatic relaunch until forced or K, N change
  bool exact_critic = false;  // the exact V^π as every setting's critic (finite worlds)
  // Polls the job, cancels it when K or N changed, launches when asked (`force`), when K or N
  // changed, or when the snapshot changed and `auto_update` (at most once a second while running);
  // headless shots wait for the first result (2 s once, then 0.1 s a frame).
  void update(const Snapshot& snap, const std::vector<pg::AdvantageEstimatorSetting>& settings,
              int K, int N, bool auto_update, bool running, bool force);
  // Progress bar with Cancel while a job runs; otherwise "θ and V_φ of iteration i" (the time in
  // its tooltip) or the error (wrapped at the window's edge).
  void draw_status();
  // The width draw_status() takes on one line (for same_line_if_fits before it).
  float status_width() const;
};

}  // namespace pglab::gui
