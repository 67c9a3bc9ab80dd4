#pragma once
// A one-step bandit with a continuous action (the classic picture of a Gaussian sliding up a
// reward curve). The action u ∈ ℝ is clipped to [low, high] by the environment (as Gymnasium's
// Box environments do); the reward is the curve at the clipped action plus noise:
//   r(a) = Σ_k h_k exp(−(a − c_k)² / (2 w_k²)),   reward = r(clip(u, low, high)) + std · N(0, 1)
// (bumps k given as (c_k, h_k, w_k) triples, w_k > 0; the noise from the episode's kEnvStep
// stream, two uniforms). One state with no features (obs_dim 0, observation index 0), every step
// terminates; γ = 1, step limit 1. With a Gaussian policy N(μ, σ²) the objective is
//   J(μ, σ) = E_u[r(clip(u))],  exact by quadrature (exact/continuous_bandit_exact.h).

#include <vector>

#include "env/env.h"

namespace pg {

struct ContinuousBanditConfig {
  std::vector<double> bumps = {-1.5, 0.6, 0.5, 1.5, 1.0, 0.4};  // c, h, w per bump
  double low = -4.0;
  double high = 4.0;
  double stddev = 0.0;  // reward noise
};

class ContinuousBandit final : public Env {
 public:
  // Throws InputError (key env.bumps / env.reward_std) for bumps that are not (c, h, w) triples
  // with w > 0 (1 to 16 bumps), or a negative stddev.
  explicit ContinuousBandit(ContinuousBanditConfig config = {});

  std::string name() const override { return "continuous bandit"; }
  int num_actions() const override { return 0; }
  int action_dim() const override { return 1; }
  double action_low(int) const override { return config_.low; }
  double action_high(int) const override { return config_.high; }
  int obs_dim() const override { return 0; }
  int num_obs() const override { return 1; }
  int obs_index() const override { return 0; }
  // State 0 before the step, 1 (terminal) after it, as the discrete bandit's.
  int state_index() const override { return elapsed_ > 0 ? 1 : 0; }
  bool has_exact() const override { return true; }
  double gamma() const override { return 1.0; }
  int step_limit() const override { return 1; }

  void reset(Rng&) override { elapsed_ = 0; }
  StepResult step(int action, Rng& rng) override;  // asserts: the action is a number
  StepResult step_continuous(const double* u, Rng& rng) override;
  void observe(double*) const override {}
  int elapsed() const override { return elapsed_; }
  std::unique_ptr<Env> clone() const override { return std::make_unique<ContinuousBandit>(*this); }

  EnvPicture picture() const override { return EnvPicture::kCurve; }
  std::string action_name(int) const override { return "action"; }
  std::string action_label(int) const override { return "a"; }
  std::string describe_state(const double*, int, bool long_form) const override {
    return long_form ? "the one state (no features)" : "s";
  }

  // r(a), the noiseless reward of an action already inside the bounds.
  double curve(double a) const;
  double clip(double u) const {
    return u < config_.low ? config_.low : (u > config_.high ? config_.high : u);
  }
  const ContinuousBanditConfig& config() const { return config_; }

 private:
  ContinuousBanditConfig config_;
  int elapsed_ = 0;
};

}  // namespace pg
