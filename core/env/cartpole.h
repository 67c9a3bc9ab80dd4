#pragma once
// CartPole: Gymnasium's CartPole-v1, in double precision.
//
// State (x [m], x_dot [m/s], theta [rad, 0 = upright], theta_dot [rad/s]). Action 0 pushes left
// with 10 N, 1 pushes right. One Euler step of tau = 0.02 s per action, with the equations of
// Gymnasium's cartpole.py evaluated in the same order, so a trajectory matches Gymnasium's
// float64 state to the last bit (Gymnasium rounds only the *returned* observation to float32).
// Terminated when |x| > 2.4 or |theta| > 12° (strictly); reward 1 per step including the
// terminating one, or with sutton_barto_reward 0 per step and −1 on the terminating step.
// Truncated at step_limit (default 500, CartPole-v1's TimeLimit) when not terminated.
// reset() draws x, x_dot, theta, theta_dot in that order, each uniform in [−0.05, 0.05).
// With `continuous`, the action is the force itself, u ∈ ℝ clipped to [−10, 10] N inside the step
// (continuous cart-pole: CartPole-v1's dynamics with a force of any size up to force_mag).
//
// step() is defined here and the class is final so a loop over a CartPole (not an Env&) inlines
// it: the bench target is ≥ 50 M steps/s on one core.

#include <cmath>

#include "env/env.h"
#include "util/error.h"

namespace pg {

struct CartPoleConfig {
  double gamma = 0.99;               // [0, 1]
  int step_limit = 500;              // ≥ 0; 0 = no limit
  bool sutton_barto_reward = false;  // 0 per step, −1 on termination (Gymnasium's option)
  bool continuous = false;           // action: a force u clipped to [−10, 10] (action_dim 1)
};

struct CartPoleState {
  double x = 0.0;
  double x_dot = 0.0;
  double theta = 0.0;
  double theta_dot = 0.0;
};

namespace detail {
// Keeps a product in a register so the compiler cannot fuse it with the following add into an
// FMA (GCC fuses across statements under -std=gnu++ and -march=native). A fused multiply-add
// rounds once instead of twice and would drift from Gymnasium's NumPy arithmetic in the last bit.
inline double unfused(double v) {
#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
  asm("" : "+x"(v));
#elif defined(__GNUC__) && defined(__aarch64__)
  asm("" : "+w"(v));
#endif
  return v;
}
}  // namespace detail

class CartPole final : public Env {
 public:
  // Physical constants of CartPole-v1.
  static constexpr double kGravity = 9.8;
  static constexpr double kMassCart = 1.0;
  static constexpr double kMassPole = 0.1;
  static constexpr double kTotalMass = kMassPole + kMassCart;
  static constexpr double kLength = 0.5;  // half the pole's length
  static constexpr double kPoleMassLength = kMassPole * kLength;
  static constexpr double kForceMag = 10.0;
  static constexpr double kTau = 0.02;
  static constexpr double kThetaThreshold =
      12 * 2 * 3.141592653589793 / 360;  // 12°, as Gymnasium computes it
  static constexpr double kXThreshold = 2.4;

  // Throws InputError for gamma outside [0, 1] or a negative step_limit.
  explicit CartPole(CartPoleConfig config = {});

  std::string name() const override {
    return config_.continuous ? "continuous cartpole" : "cartpole";
  }
  int num_actions() const override { return config_.continuous ? 0 : 2; }
  int action_dim() const override { return config_.continuous ? 1 : 0; }
  double action_low(int) const override { return -kForceMag; }
  double action_high(int) const override { return kForceMag; }
  int obs_dim() const override { return 4; }
  int num_obs() const override { return 0; }
  double gamma() const override { return config_.gamma; }
  int step_limit() const override { return config_.step_limit; }

  void reset(Rng& rng) override {
    s_.x = rng.uniform(-0.05, 0.05);
    s_.x_dot = rng.uniform(-0.05, 0.05);
    s_.theta = rng.uniform(-0.05, 0.05);
    s_.theta_dot = rng.uniform(-0.05, 0.05);
    elapsed_ = 0;
  }

  StepResult step(int action, Rng&) override { return step(action); }
  StepResult step_continuous(const double* u, Rng&) override {
    PG_ASSERT(config_.continuous, "step_continuous on the discrete cart-pole");
    return step_force(u[0] < -kForceMag ? -kForceMag : (u[0] > kForceMag ? kForceMag : u[0]));
  }

  // The dynamics; no randomness. Same expression order as Gymnasium's step().
  StepResult step(int action) {
    PG_ASSERT(action == 0 || action == 1, "CartPole actions are 0 (push left) and 1 (push right)");
    return step_force(action == 1 ? kForceMag : -kForceMag);
  }
  StepResult step_force(double force) {
    using detail::unfused;
    const double costheta = std::cos(s_.theta);
    const double sintheta = std::sin(s_.theta);
    // temp = (force + polemass_length · theta_dot² · sinθ) / total_mass; Gymnasium squares with
    // np.square, the correctly rounded x*x (the pendulum's x**2 is pow: pendulum.cpp)
    const double temp =
        (force +
         unfused(unfused(kPoleMassLength * unfused(s_.theta_dot * s_.theta_dot)) * sintheta)) /
        kTotalMass;
    // thetaacc = (g sinθ − cosθ · temp) / (l (4/3 − m_pole cos²θ / total_mass))
    const double thetaacc =
        (unfused(kGravity * sintheta) - unfused(costheta * temp)) /
        (kLength * (4.0 / 3.0 - unfused(kMassPole * unfused(costheta * costheta)) / kTotalMass));
    // xacc = temp − polemass_length · thetaacc · cosθ / total_mass
    const double xacc = temp - unfused(unfused(kPoleMassLength * thetaacc) * costheta) / kTotalMass;
    // Euler: positions move with the old velocities.
    s_.x = s_.x + unfused(kTau * s_.x_dot);
    s_.x_dot = s_.x_dot + unfused(kTau * xacc);
    s_.theta = s_.theta + unfused(kTau * s_.theta_dot);
    s_.theta_dot = s_.theta_dot + unfused(kTau * thetaacc);
    ++elapsed_;

    StepResult r;
    r.terminated = s_.x < -kXThreshold || s_.x > kXThreshold || s_.theta < -kThetaThreshold ||
                   s_.theta > kThetaThreshold;
    r.reward = config_.sutton_barto_reward ? (r.terminated ? -1.0 : 0.0) : 1.0;
    r.truncated = !r.terminated && config_.step_limit > 0 && elapsed_ >= config_.step_limit;
    return r;
  }

  void observe(double* features) const override {
    features[0] = s_.x;
    features[1] = s_.x_dot;
    features[2] = s_.theta;
    features[3] = s_.theta_dot;
  }
  int elapsed() const override { return elapsed_; }
  std::unique_ptr<Env> clone() const override { return std::make_unique<CartPole>(*this); }
  // "push left"/"push right"; "← left"/"→ right"; a state from its features (x, dx/dt, θ, dθ/dt).
  // For views (DESIGN.md §3a).
  EnvPicture picture() const override { return EnvPicture::kCart; }
  std::string action_name(int a) const override;
  std::string action_label(int a) const override;
  std::string describe_state(const double* obs, int state, bool long_form) const override;
  std::string feature_name(int k) const override;

  const CartPoleConfig& config() const { return config_; }
  const CartPoleState& state() const { return s_; }
  // Sets the state (e.g. `pglab trace --init`); resets elapsed() to 0 when reset_clock is true.
  void set_state(const CartPoleState& s, bool reset_clock = true) {
    s_ = s;
    if (reset_clock) elapsed_ = 0;
  }

 private:
  CartPoleConfig config_;
  CartPoleState s_;
  int elapsed_ = 0;
};

}  // namespace pg
