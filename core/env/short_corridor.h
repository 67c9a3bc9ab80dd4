#pragma once
// The short corridor with switched actions (Sutton & Barto, Example 13.1).
//
//   [0] ⇄ [1] ⇄ [2] → [3 goal]      start 0, reward −1 per step
//
// Actions 0 = left, 1 = right; in state 1 they are reversed (left moves right). Left in state 0
// stays in 0. Every state shows the same observation 0 (num_obs 1, features [1.0], obs_dim 1), so
// a tabular policy is one probability p = P(right) for all states — the example's point: the best
// stochastic policy beats every deterministic one. No randomness in the dynamics.

#include "env/env.h"
#include "env/tabular_model.h"

namespace pg {

struct ShortCorridorConfig {
  double gamma = 1.0;  // [0, 1]
  int step_limit =
      1000;  // ≥ 0; 0 = no limit (episodes still end with probability 1 when 0 < p < 1)
};

class ShortCorridor final : public Env {
 public:
  static constexpr int kGoal = 3;

  // Throws InputError for gamma outside [0, 1] or a negative step_limit.
  explicit ShortCorridor(ShortCorridorConfig config = {});

  std::string name() const override { return "short-corridor"; }
  int num_actions() const override { return 2; }
  int obs_dim() const override { return 1; }
  int num_obs() const override { return 1; }
  double gamma() const override { return config_.gamma; }
  int step_limit() const override { return config_.step_limit; }

  void reset(Rng& rng) override;
  StepResult step(int action, Rng& rng) override;
  void observe(double* features) const override { features[0] = 1.0; }
  int obs_index() const override { return 0; }
  int state_index() const override { return state_; }
  int elapsed() const override { return elapsed_; }
  const TabularModel* model() const override { return &model_; }
  std::unique_ptr<Env> clone() const override { return std::make_unique<ShortCorridor>(*this); }
  // "left"/"right"; "← left"/"→ right"; a state by its number ("state 1 (actions reversed here)").
  // For views (DESIGN.md §3a).
  EnvPicture picture() const override { return EnvPicture::kCorridor; }
  std::string action_name(int a) const override;
  std::string action_label(int a) const override;
  std::string describe_state(const double* obs, int state, bool long_form) const override;

  int state() const { return state_; }
  void set_state(int s) { state_ = s; }
  // Successor of s under action a (s non-terminal).
  static int next_state(int s, int a);

 private:
  ShortCorridorConfig config_;
  TabularModel model_;
  int state_ = 0;
  int elapsed_ = 0;
};

// J(p) = V(0) with γ = 1 and no step limit, for the policy P(right) = p ∈ (0, 1):
//   J(p) = (2p − 4) / (p (1 − p)); maximal at p* = 2 − √2, where J = −(6 + 4√2) ≈ −11.657.
double short_corridor_closed_form_J(double p);

}  // namespace pg
