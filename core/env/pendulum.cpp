#include "env/pendulum.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "env/cartpole.h"  // detail::unfused
#include "util/error.h"
#include "util/text.h"

namespace pg {
namespace {

// pendulum.py's x**2 on a NumPy float64: libm's pow(x, 2), which is not always the correctly
// rounded x*x (glibc: 1 ulp apart for about one argument in 1000; the reward differed in 8 of 6000
// steps). The exponent is read through a volatile so the compiler cannot fold pow(x, 2) into x*x.
double py_square(double x) {
  static const volatile double kTwo = 2.0;
  return std::pow(x, kTwo);
}

}  // namespace

Pendulum::Pendulum(PendulumConfig config) : config_(config) {
  if (!(config_.gamma >= 0.0 && config_.gamma <= 1.0))
    throw InputError("env.gamma",
                     "gamma " + number_text(config_.gamma) + " is out of range; allowed: [0, 1]");
  if (config_.step_limit < 0)
    throw InputError("env.step_limit",
                     "step_limit " + std::to_string(config_.step_limit) +
                         " is negative; allowed: 0 (no limit) or a positive number of steps");
}

void Pendulum::reset(Rng& rng) {
  s_.theta = rng.uniform(-kPi, kPi);
  s_.theta_dot = rng.uniform(-1.0, 1.0);
  last_u_ = 0.0;
  elapsed_ = 0;
}

StepResult Pendulum::step(int, Rng&) {
  PG_ASSERT(false, "Pendulum's action is a torque: call step_continuous");
  return {};
}

double Pendulum::angle_normalize(double x) {
  const double y = x + kPi;
  const double two_pi = 2 * kPi;
  // NumPy's remainder: fmod, moved into [0, 2π) when it has the dividend's negative sign.
  double mod = std::fmod(y, two_pi);
  if (mod != 0.0) {
    if (mod < 0.0) mod += two_pi;
  } else {
    mod = 0.0;  // copysign(0, 2π)
  }
  return mod - kPi;
}

StepResult Pendulum::step_torque(double u) {
  using detail::unfused;  // no FMA: NumPy rounds each product (cartpole.h)
  const double th = s_.theta, thdot = s_.theta_dot;
  u = std::min(std::max(u, -kMaxTorque), kMaxTorque);
  last_u_ = u;
  const double an = angle_normalize(th);
  // costs = angle_normalize(th)**2 + 0.1 * thdot**2 + 0.001 * (u**2)
  const double costs =
      py_square(an) + unfused(0.1 * py_square(thdot)) + unfused(0.001 * py_square(u));
  // newthdot = thdot + (3 * g / (2 * l) * np.sin(th) + 3.0 / (m * l**2) * u) * dt
  const double a = unfused(3 * kG / (2 * kL) * std::sin(th));
  const double b = unfused(3.0 / (kM * (kL * kL)) * u);
  double newthdot = thdot + unfused((a + b) * kDt);
  newthdot = std::min(std::max(newthdot, -kMaxSpeed), kMaxSpeed);
  // newth = th + newthdot * dt
  const double newth = th + unfused(newthdot * kDt);
  s_.theta = newth;
  s_.theta_dot = newthdot;
  ++elapsed_;
  StepResult r;
  r.reward = -costs;
  r.terminated = false;
  r.truncated = config_.step_limit > 0 && elapsed_ >= config_.step_limit;
  return r;
}

void Pendulum::observe(double* features) const {
  features[0] = std::cos(s_.theta);
  features[1] = std::sin(s_.theta);
  features[2] = s_.theta_dot;
}

std::string Pendulum::action_name(int) const {
  return "torque";
}
std::string Pendulum::action_label(int) const {
  return "u";
}

std::string Pendulum::feature_name(int k) const {
  static const char* const kNames[] = {"cos θ", "sin θ", "angular velocity dθ/dt (rad/s)"};
  return k >= 0 && k < 3 ? kNames[k] : Env::feature_name(k);
}

std::string Pendulum::describe_state(const double* x, int, bool long_form) const {
  if (!x) return "–";
  const double th = std::atan2(x[1], x[0]);
  char buf[160];
  if (long_form)
    std::snprintf(buf, sizeof buf, "θ = %+.3f rad (0 = upright),  dθ/dt = %+.3f rad/s", th, x[2]);
  else
    std::snprintf(buf, sizeof buf, "θ %+.2f", th);
  return buf;
}

}  // namespace pg
