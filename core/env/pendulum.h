#pragma once
// Pendulum: Gymnasium's Pendulum-v1 (classic_control/pendulum.py), in double precision.
//
// State (θ [rad, 0 = upright], θ̇ [rad/s]); observation (cos θ, sin θ, θ̇) — Gymnasium rounds
// the returned observation to float32, we keep doubles (the state matches its float64 state).
// Action: a torque u ∈ ℝ, clipped to [−2, 2] inside step (np.clip), so a Gaussian policy's
// log π is of the unclipped u. One step, with pendulum.py's operations in its order:
//   u      = clip(u, −max_torque, max_torque)
//   cost   = angle_normalize(θ)² + 0.1 θ̇² + 0.001 u²           reward = −cost
//   θ̇'    = clip(θ̇ + (3g/(2l) sin θ + 3/(m l²) u) dt, −max_speed, max_speed)
//   θ'     = θ + θ̇' dt
// with g = 10, m = l = 1, dt = 0.05, max_speed = 8, max_torque = 2 and
// angle_normalize(x) = ((x + π) mod 2π) − π, mod as NumPy's (the sign of the divisor). Never
// terminates; truncated at step_limit (default 200, Pendulum-v1's TimeLimit).
// reset() draws θ then θ̇, uniform in [−π, π) and [−1, 1).

#include "env/env.h"

namespace pg {

struct PendulumConfig {
  double gamma = 0.99;   // [0, 1]
  int step_limit = 200;  // ≥ 0; 0 = no limit
};

struct PendulumState {
  double theta = 0.0;
  double theta_dot = 0.0;
};

class Pendulum final : public Env {
 public:
  static constexpr double kMaxSpeed = 8.0;
  static constexpr double kMaxTorque = 2.0;
  static constexpr double kDt = 0.05;
  static constexpr double kG = 10.0;
  static constexpr double kM = 1.0;
  static constexpr double kL = 1.0;
  static constexpr double kPi = 3.141592653589793;  // np.pi

  // Throws InputError for gamma outside [0, 1] or a negative step_limit.
  explicit Pendulum(PendulumConfig config = {});

  std::string name() const override { return "pendulum"; }
  int num_actions() const override { return 0; }
  int action_dim() const override { return 1; }
  double action_low(int) const override { return -kMaxTorque; }
  double action_high(int) const override { return kMaxTorque; }
  int obs_dim() const override { return 3; }
  int num_obs() const override { return 0; }
  double gamma() const override { return config_.gamma; }
  int step_limit() const override { return config_.step_limit; }

  void reset(Rng& rng) override;
  StepResult step(int action, Rng& rng) override;  // asserts: the action is a torque
  StepResult step_continuous(const double* u, Rng&) override { return step_torque(u[0]); }
  // The dynamics; no randomness.
  StepResult step_torque(double u);
  void observe(double* features) const override;
  int elapsed() const override { return elapsed_; }
  std::unique_ptr<Env> clone() const override { return std::make_unique<Pendulum>(*this); }

  EnvPicture picture() const override { return EnvPicture::kPendulum; }
  std::string action_name(int a) const override;
  std::string action_label(int a) const override;
  std::string describe_state(const double* obs, int state, bool long_form) const override;
  std::string feature_name(int k) const override;

  // ((x + π) mod 2π) − π with NumPy's floating mod (result has the divisor's sign).
  static double angle_normalize(double x);
  // The torque step() last applied (after clipping), for the picture; 0 after reset.
  double last_torque() const { return last_u_; }
  const PendulumState& state() const { return s_; }
  void set_state(const PendulumState& s, bool reset_clock = true) {
    s_ = s;
    if (reset_clock) elapsed_ = 0;
  }

 private:
  PendulumConfig config_;
  PendulumState s_;
  double last_u_ = 0.0;
  int elapsed_ = 0;
};

}  // namespace pg
