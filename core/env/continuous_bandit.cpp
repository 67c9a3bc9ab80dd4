#include "env/continuous_bandit.h"

#include <cmath>
#include <string>

#include "util/error.h"
#include "util/text.h"

namespace pg {

ContinuousBandit::ContinuousBandit(ContinuousBanditConfig config) : config_(std::move(config)) {
  const size_t n = config_.bumps.size();
  if (n == 0 || n % 3 != 0 || n > 48)
    throw InputError("env.bumps", "expected 1 to 16 bumps as center,height,width triples, got " +
                                      std::to_string(n) + " numbers");
  for (size_t k = 0; k < n; k += 3)
    if (!(config_.bumps[k + 2] > 0.0))
      throw InputError("env.bumps", "bump " + std::to_string(k / 3 + 1) + " has width " +
                                        number_text(config_.bumps[k + 2]) +
                                        "; allowed: a width > 0");
  if (!(config_.stddev >= 0.0)) throw InputError("env.reward_std", "must be ≥ 0");
  PG_ASSERT(config_.low < config_.high, "ContinuousBandit: low < high");
}

double ContinuousBandit::curve(double a) const {
  double r = 0.0;
  for (size_t k = 0; k < config_.bumps.size(); k += 3) {
    const double z = (a - config_.bumps[k]) / config_.bumps[k + 2];
    r += config_.bumps[k + 1] * std::exp(-0.5 * z * z);
  }
  return r;
}

StepResult ContinuousBandit::step(int, Rng&) {
  PG_ASSERT(false, "the continuous bandit's action is a number: call step_continuous");
  return {};
}

StepResult ContinuousBandit::step_continuous(const double* u, Rng& rng) {
  ++elapsed_;
  StepResult r;
  r.reward = curve(clip(u[0]));
  if (config_.stddev > 0.0) r.reward += config_.stddev * rng.normal();
  r.terminated = true;
  return r;
}

}  // namespace pg
