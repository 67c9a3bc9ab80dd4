// Per-view UI state, one struct per view, each owned by that view's file. AppState holds one
// ViewStates. Keep every field a plain value (no GL objects here: those live in EnvRenderer).
#pragma once

#include <cstdint>
#include <iterator>
#include <map>
#include <memory>
#include <vector>

#include "lab/landscape.h"
#include "lab/meter.h"

namespace pglab::gui {

// Overview: environment picture + learning curves.
struct OverviewState {
  int color_mode = 0;  // gridworld cells: 0 exact V^π, 1 visit counts
};

// Variance: K estimates for every setting at the current θ.
struct VarianceViewCache;  // variance_view.cpp: the background variance lab and its last result
struct VarianceViewState {
  int samples = 200;          // K
  int batch_episodes = 0;     // 0: the scenario's
  uint64_t computed_for = 0;  // snapshot version of the cached result
  bool auto_update = true;
  uint32_t hidden = 0;  // bit j: setting j's cloud is hidden in the scatter (table checkboxes)
  // The result (its version) whose table was scrolled to the trained row once: the row the
  // caption points at is in sight, and a reader's own scrolling is not fought afterwards.
  uint64_t scrolled_for = 0;
  // Jobs and results: shared (not unique) so ViewStates stays copyable; holds copies of its inputs.
  std::shared_ptr<VarianceViewCache> cache;
};

// Baseline effects: ψ with and without the baseline; two forked runs.
struct BaselineViewCache;  // baseline_view.cpp: ψ comparison, forks and variance jobs, results
struct BaselineViewState {
  int fork_iterations = 100;
  int compare_baseline = 0;  // index into pg::all_baselines() of the alternative
  bool auto_update = true;  // re-fork and re-measure when the session changes (≤ 1/s while running)
  std::shared_ptr<BaselineViewCache> cache;
};

// Per-step inspector: one complete batch (a snapshot with an estimate, refreshed at most every
// 0.5 s while training runs), its credit ledger and the selected step's c_t.
struct InspectorViewCache;  // inspector_view.cpp
struct InspectorState {
  int trajectory = 0;
  int step = 0;
  // Whether trajectory and step are chosen (by the user, a session file, or the view's default on
  // its first batch, inspector_default_step); until then a saved file holds the default the view
  // will open on, and a file's values are kept rather than replaced by that default.
  bool placed = false;
  bool follow = false;  // scroll the ledger table to the selected step next frame
  std::shared_ptr<InspectorViewCache> cache;
};

// Rollout replay.
struct RolloutState {
  int trajectory = 0;
  float t = -1.0f;  // replay position in steps (fractional: animation); < 0: the episode's end
  bool playing = true;
  float steps_per_second = 8.0f;
  bool ghosts = true;  // cart-pole: overlay the other episodes of the batch
  float hold = 0.0f;   // seconds spent at the end of the episode; playback loops after kHold
  bool trail = true;   // draw the path walked so far
};

// Advantages: Â along one trajectory for MC, TD(0), n-step and GAE(λ), and the critic's V.
struct AdvantageViewCache;  // advantage_view.cpp: the batch on show, its values and the curves
struct AdvantageViewState {
  int trajectory = -1;   // index in the batch; -1: the longest
  float lambda = 0.95f;  // λ of the GAE curve
  int n = 5;             // n of the n-step curve
  bool synced = false;   // λ and n taken from the scenario's advantage settings once
  // Issue 10: the curves along the trajectory with the exact V^π as the critic (finite worlds),
  // and the K batches of the bias–variance curve over λ.
  bool exact_critic = false;
  int lambda_samples = 100;
  std::shared_ptr<AdvantageViewCache> cache;
};

// Importance sampling: log-weights, ESS, ĝ_IS vs on-policy vs exact (refreshed ≤ 2/s while
// running).
struct ImportanceViewCache;   // importance_view.cpp
struct ImportancePaintCache;  // importance_view.cpp: the last inspection (lab/importance_inspect.h)
// The "Paint b" tab (issue 10, item 5): a behaviour painted per cell over a temperature on π, and
// K batches from it. rows: observation → probabilities per action (normalised by core).
struct ImportancePaintState {
  int open = 0;    // 1: the tab in front (session files: importance.paint)
  int shown = -1;  // the tab in front last frame (open ≠ shown: select open)
  float temperature = 1.0f;
  int episodes = 16, batches = 100;
  std::map<int, std::vector<double>> rows;
  int edits = 0;  // bumped on every change of the paint (the cache's key)
  std::shared_ptr<ImportancePaintCache> cache;
};
struct ImportanceViewState {
  int top_k = 12;              // parameters in the per-parameter comparison
  double refreshed_at = -1e9;  // ImGui::GetTime() of the last refresh
  std::shared_ptr<ImportanceViewCache> cache;
  ImportancePaintState paint;
};

// PPO clipping: L^CLIP(r) with the band, the last update's samples, clip fraction and KL per epoch.
struct ClipViewState {
  float eps = -1.0f;  // display ε (< 0: not set yet; follows ppo.clip_eps until the slider moves)
  bool eps_touched = false;  // the slider moved: keep the display ε instead of the scenario's
  int epoch = 1;             // samples of the update's 0: first epoch, 1: last epoch
  int minibatch = -1;        // -1: every minibatch of that epoch
};

// GRPO groups: the last estimated batch's groups and the KL curves, refreshed ≤ 2/s while running.
struct GrpoViewCache;  // grpo_view.cpp
struct GrpoViewState {
  double refreshed_at = -1e9;  // ImGui::GetTime() of the last refresh
  bool spread_first = true;    // list the groups that give a gradient before those that do not
  std::shared_ptr<GrpoViewCache> cache;
};

// Natural gradient (NPG, TRPO): the last complete batch's step, refreshed ≤ 2/s while running.
struct NpgViewCache;  // npg_view.cpp
struct NpgViewState {
  bool show_exact = false;  // heatmap of the exact F instead of the batch's (sampled-Fisher runs)
  std::shared_ptr<NpgViewCache> cache;
};

// Objective landscape (issue 10): exact J over a 2-D slice with the PG / NPG / PPO paths, or the
// short corridor's J(p) with the sampled-gradient cloud.
struct LandscapeViewCache;  // landscape_view.cpp
struct LandscapeViewState {
  int axes = 0;     // 0: ∇J × natural, 1: ĝ × ∇J, 2: two logits
  int param_x = 0;  // axes 2: the two parameters
  int param_y = 1;
  int grid = 61;                            // points per axis
  int steps = 40;                           // path steps
  int samples = pg::kCorridorCloudSamples;  // corridor: sampled gradients in the cloud
  std::shared_ptr<LandscapeViewCache> cache;
};

// Surrogate vs truth along the last step (issue 10).
struct SurrogateViewCache;  // surrogate_view.cpp
struct SurrogateViewState {
  int second = 0;      // the second direction: 0 ∇J (ĝ without a model), 1 ĝ, 2 natural
  float reach = 3.0f;  // α up to reach × the step taken
  int episodes = 32;   // sampled J: episodes per α
  bool deltas = true;  // plot changes from α = 0 (else the values)
  std::shared_ptr<SurrogateViewCache> cache;
};

// Loss ≠ progress (issue 10): the runner's meter readings, copied incrementally
// (SessionRunner::meter_sync).
struct MeterFill;  // meter_view.cpp: a background replay of readings
struct MeterViewState {
  std::vector<pg::MeterReading> series;
  uint64_t generation = 0;  // of the runner's series `series` copies
  // Per badge, the readings of series[0, counted) that fired it (counted once, not every frame).
  int counts[std::size(pg::EnumTable<pg::DeadSignal>::rows)] = {};
  size_t counted = 0;
  // The readings of the run's first iterations being replayed (meter_view.cpp: the runner did
  // not complete them itself), and the series already read back to tried_to.
  std::shared_ptr<MeterFill> fill;
  uint64_t tried_generation = 0;
  int tried_to = 0;
};

// Replay buffer (SAC): the state feature whose histogram shows coverage in worlds without a grid.
struct ReplayViewCache;  // replay_view.cpp: the last report (lab/replay_report.h) and its version
struct ReplayViewState {
  int feature = 0;
  std::shared_ptr<ReplayViewCache> cache;
};

struct ViewStates {
  OverviewState overview;
  VarianceViewState variance;
  BaselineViewState baseline;
  InspectorState inspector;
  RolloutState rollout;
  ClipViewState clip;
  AdvantageViewState advantage;
  ImportanceViewState importance;
  GrpoViewState grpo;
  NpgViewState npg;
  LandscapeViewState landscape;
  SurrogateViewState surrogate;
  MeterViewState meter;
  ReplayViewState replay;
};

}  // namespace pglab::gui
