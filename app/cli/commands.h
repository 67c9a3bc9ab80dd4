#pragma once
// One add_X (declares the subcommand and its flags) and run_X per subcommand.

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "cli/common.h"
#include "lab/landscape.h"

namespace pg::cli {

struct TrainArgs {
  bool chosen = false;
  ScenarioArgs scenario;
  int iterations = 0;
  std::string csv;
  double until_return = std::numeric_limits<double>::quiet_NaN();
  std::string save;                  // write a pglab.session/1 file at the end
  std::string load;                  // continue from a pglab.session/1 file
  std::vector<std::string> changes;  // --change ITER:key=value
};
void add_train(CLI::App& app, TrainArgs& a);
int run_train(const TrainArgs& a);

struct TraceArgs {
  bool chosen = false;
  std::string env = "cartpole";
  std::string init;
  std::string actions;
  bool sutton_barto = false;
};
void add_trace(CLI::App& app, TraceArgs& a);
int run_trace(const TraceArgs& a);

struct GradArgs {
  bool chosen = false;
  ScenarioArgs scenario;
  int iterations = 0;
  std::vector<std::string> changes;  // --change ITER:key=value
  std::string out;
};
void add_grad(CLI::App& app, GradArgs& a);
int run_grad(const GradArgs& a);

struct ExactArgs {
  bool chosen = false;
  ScenarioArgs scenario;
  int iterations = 0;
};
void add_exact(CLI::App& app, ExactArgs& a);
int run_exact(const ExactArgs& a);

struct VarianceArgs {
  bool chosen = false;
  ScenarioArgs scenario;
  int samples = 1000;
  int iterations = 0;
  bool json = false;
};
void add_variance(CLI::App& app, VarianceArgs& a);
int run_variance_cmd(const VarianceArgs& a);

// pglab meter (issue 10, item 4): the loss ≠ progress meter per iteration.
struct MeterArgs {
  bool chosen = false;
  ScenarioArgs scenario;
  int iterations = 20;
  bool json = false;
};
void add_meter(CLI::App& app, MeterArgs& a);
int run_meter_cmd(const MeterArgs& a);

// pglab advantage (issue 10, item 6): bias and variance of Â against the exact A^π over λ.
struct AdvantageArgs {
  bool chosen = false;
  ScenarioArgs scenario;
  int samples = 200;
  int points = 11;
  int iterations = 0;
  bool json = false;
};
void add_advantage(CLI::App& app, AdvantageArgs& a);
int run_advantage_cmd(const AdvantageArgs& a);

// pglab importance (issue 10, item 5): IS estimators under a painted behaviour policy.
struct ImportanceArgs {
  bool chosen = false;
  ScenarioArgs scenario;
  int iterations = 0;
  int episodes = 16;
  int batches = 100;
  double temperature = 1.0;
  std::string base = "target";
  std::vector<std::string> cells;  // --cell OBS:p0,p1,...
  bool json = false;
};
void add_importance(CLI::App& app, ImportanceArgs& a);
int run_importance_cmd(const ImportanceArgs& a);

struct BenchArgs {
  bool chosen = false;
  bool json = false;
  bool ppo_only = false;  // --ppo: only ppo_us_per_step and ppo_solve_s
};
void add_bench(CLI::App& app, BenchArgs& a);
int run_bench(const BenchArgs& a);

struct ShotArgs {
  bool chosen = false;
  ScenarioArgs scenario;
  int iterations = 0;
  int env_steps = 0;  // --steps: single env steps after the iterations
  std::string view;   // "": overview, or the lesson's or session's view
  std::string size = "1600x900";
  std::string out;
  int frames = 3;  // --frames: drawn while training at full speed
  bool frame_times = false;
  std::string lesson;                // issue 9: a lesson run through the window's path
  std::string lesson_step;           // "K" (steps 1..K run, step K shown) or "last"; default 0
  std::string predict;               // the shown step's prediction: a choice's index or a number
  std::string session;               // open a pglab.session/1 file
  std::string save_session;          // save the session and the view state
  std::vector<std::string> changes;  // --change ITER:key=value
  std::string edit;                  // --edit: world edit script, the world editor open
  double scale = 1.0;                // --scale: presenter scale, 1..2.5
  bool check_clipping = false;       // --check-clipping: list clipped text, exit 1 if any
  bool fold_controls = false;        // --fold-controls: the controls as a slim bar (key C)
  int at = -1;                       // --at K: time travel to iteration K (issue 10)
  std::string fork;                  // --fork key=value: fork the iteration shown
  int fork_at = -1;                  // --fork-at K: fork at iteration K instead
};
void add_shot(CLI::App& app, ShotArgs& a);
int run_shot_cmd(const ShotArgs& a);

struct LessonArgs {
  bool chosen = false;
  std::string check;
};
void add_lesson(CLI::App& app, LessonArgs& a);
int run_lesson(const LessonArgs& a);

struct SeedsArgs {
  bool chosen = false;
  ScenarioArgs scenario;
  std::string seeds;  // "1-5", "1,2,7"
  int iterations = 0;
  int threads = 0;
  std::string csv;
};
void add_seeds(CLI::App& app, SeedsArgs& a);
int run_seeds_cmd(const SeedsArgs& a);

// issue 10: objective landscapes and surrogates along a step (cmd_landscape.cpp).
struct LandscapeArgs {
  bool chosen = false;
  ScenarioArgs scenario;
  int iterations = 0;
  std::string axes;  // "": grad,natural, or theta:0,theta:1 where that plane does not form
  int grid = 41;
  double span = 0.0;  // 0: fit the paths
  int steps = 40;
  double lr = 0.0;                      // 0: automatic
  double kl_step = 0.0;                 // 0: trpo.max_kl
  int samples = kCorridorCloudSamples;  // --axes p: K sampled gradients in the cloud
  bool samples_given = false;
  bool json = false;
};
void add_landscape(CLI::App& app, LandscapeArgs& a);
int run_landscape(const LandscapeArgs& a);

struct SurrogateArgs {
  bool chosen = false;
  ScenarioArgs scenario;
  int iterations = 1;
  std::string direction;  // "": not given, the default update
  int points = 0;         // 0: not given, the view's grid (default_surrogate_points)
  double max_step = 0.0;  // 0: 3 × the step taken
  int episodes = 0;       // 0: not given, the view's default (32); refused where J is exact
  bool json = false;
};
void add_surrogate(CLI::App& app, SurrogateArgs& a);
int run_surrogate(const SurrogateArgs& a);
struct ReplayArgs {
  bool chosen = false;
  ScenarioArgs scenario;
  int iterations = -1;  // the run's length; -1: algorithm.iterations
  int at = 0;           // --at K
  int every = 8;        // Timeline::kDefaultEvery
  int max_snapshots = 32;
  std::string fork;                  // --fork key=value
  std::vector<std::string> changes;  // --change ITER:key=value
  std::string load;                  // a pglab.session/1 file
};
void add_replay(CLI::App& app, ReplayArgs& a);
int run_replay(const ReplayArgs& a);

// "%.17g" of a double, "null" for NaN/Inf (JSON has no NaN).
std::string json_number(double v);
// A table's cell, right-aligned to `width` characters: v in `fmt` (a printf format of one double
// without a width, e.g. "%.5g"), or "—" where --json says null (v not finite, or `present` false:
// a bias without an exact gradient), so the table and the JSON agree (the table said "nan" beside a
// bias_stderr that JSON gave as null).
std::string table_cell(double v, int width, const char* fmt = "%.5g", bool present = true);

}  // namespace pg::cli
