#pragma once
// The environment contract, Gymnasium-style and typed (STYLE.md §5).
//
//   env.reset(rng);                 // rng: the episode's kEnvReset stream
//   StepResult r = env.step(a, rng);  // rng: the episode's kEnvStep stream
//
// Terminated means V(s') = 0; truncated means the step limit cut the episode and V(s') should be
// bootstrapped. Environment randomness comes only from the Rng passed in, so an episode is a pure
// function of its streams and the actions taken.

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "util/error.h"
#include "util/rng.h"

namespace pg {

class TabularModel;

struct StepResult {
  double reward = 0.0;
  bool terminated = false;
  bool truncated = false;
};

// What an environment's picture is (views draw by this, never by comparing names).
enum class EnvPicture { kNone, kGrid, kCart, kCorridor, kArms, kTokens, kPendulum, kCurve };

// A world laid out on cells (EnvPicture::kGrid), as the views draw it: Env::grid() gives it.
class GridLayout {
 public:
  virtual int rows() const = 0;
  virtual int cols() const = 0;
  // The map's character at (r, c): '.', '#' (wall), 'S', 'G', 'X', … (env/grid_map.h).
  virtual char cell(int r, int c) const = 0;
  virtual int state_of_cell(int r, int c) const = 0;  // −1 for walls
  virtual std::pair<int, int> cell_of_state(int s) const = 0;

 protected:
  ~GridLayout() = default;
};

class Env {
 public:
  virtual ~Env() = default;

  virtual std::string name() const = 0;
  // Discrete worlds: the number of actions. Continuous-action worlds: 0.
  virtual int num_actions() const = 0;
  // Continuous-action worlds: the length of an action vector (and bounds below); discrete: 0.
  virtual int action_dim() const { return 0; }
  // Bounds of each action component (action_dim values each). step_continuous clips to them, as
  // Gymnasium's environments do (np.clip inside step), so a policy's log π is of the unclipped u.
  virtual double action_low(int /*i*/) const { return 0.0; }
  virtual double action_high(int /*i*/) const { return 0.0; }
  // Length of the feature vector observe() writes (what an MLP policy sees).
  virtual int obs_dim() const = 0;
  // Number of distinct observations for tabular policies; 0 when observations are continuous.
  virtual int num_obs() const = 0;
  // Discount factor of the task.
  virtual double gamma() const = 0;
  // Steps after which an episode is truncated; 0 means no limit.
  virtual int step_limit() const = 0;

  virtual void reset(Rng& rng) = 0;
  virtual StepResult step(int action, Rng& rng) = 0;
  // Continuous-action worlds: one step with the action u (action_dim values, clipped here).
  virtual StepResult step_continuous(const double* u, Rng& rng) {
    (void)u;
    (void)rng;
    PG_ASSERT(false, "step_continuous on a discrete-action world; call step(int) instead");
    return StepResult{};
  }

  // Current observation: features (obs_dim values) and, for tabular worlds, its index.
  virtual void observe(double* features) const = 0;
  virtual int obs_index() const { return -1; }
  // The feature vector (obs_dim values) of tabular observation `obs` in [0, num_obs): what
  // observe() writes when obs_index() == obs. The exact oracle uses it to evaluate a policy that
  // reads features (an MLP) on every state of a finite world. Default: one-hot when
  // obs_dim() == num_obs(), else all 1.0 (a single constant feature, as in the short corridor).
  virtual void features_of(int obs, double* x) const {
    const int n = obs_dim();
    const bool one_hot = n == num_obs();
    for (int i = 0; i < n; ++i) x[i] = one_hot ? (i == obs ? 1.0 : 0.0) : 1.0;
  }
  // Current underlying state index in model() (tabular worlds), else -1.
  virtual int state_index() const { return -1; }
  // Steps taken since reset.
  virtual int elapsed() const = 0;

  // The finite model, for the exact oracle; nullptr for continuous worlds.
  virtual const TabularModel* model() const { return nullptr; }
  // Whether exact_evaluate knows J and ∇J here: worlds with a model, and the continuous bandit
  // (by quadrature over its one action).
  virtual bool has_exact() const { return model() != nullptr; }

  // For the views (DESIGN.md §3a). Defaults are generic; each environment names its own.
  virtual EnvPicture picture() const { return EnvPicture::kNone; }
  // The cells of a grid world (picture() == kGrid); null for every other world.
  virtual const GridLayout* grid() const { return nullptr; }
  // "up", "push left", "arm 0", …
  virtual std::string action_name(int a) const { return "a=" + std::to_string(a); }
  // Short label for axes and table cells: "↑ up", "← left", "arm 0", …
  virtual std::string action_label(int a) const { return std::to_string(a); }
  // Feature k of observe() (k < obs_dim) as an axis reads it: "cart position x (m)", "cos θ".
  virtual std::string feature_name(int k) const { return "feature " + std::to_string(k); }
  // A state as a student reads it: `obs` the observe() features (obs_dim values, may be null),
  // `state` the model state index (−1 when none). long_form: a sentence; else a few characters.
  virtual std::string describe_state(const double* obs, int state, bool long_form) const {
    (void)obs;
    (void)long_form;
    return state >= 0 ? std::to_string(state) : "–";
  }

  // Prompts (DESIGN.md §3a): episodes that can share one, as GRPO's groups do. An environment
  // without prompts has num_prompts() == 0 and ignores the rest.
  virtual int num_prompts() const { return 0; }
  // Pins the prompt of the following resets (p in [0, num_prompts())), or -1 to draw again.
  virtual void set_prompt(int p) { (void)p; }
  // The prompt a model state belongs to; -1 without prompts.
  virtual int prompt_of_state(int state) const {
    (void)state;
    return -1;
  }
  // "3+4=" for views and the dump.
  virtual std::string prompt_text(int p) const { return std::to_string(p); }

  virtual std::unique_ptr<Env> clone() const = 0;
};

}  // namespace pg
