#include "env/bandit.h"

#include <string>

#include "util/error.h"
#include "util/text.h"

namespace pg {

Bandit::Bandit(BanditConfig config) : config_(std::move(config)) {
  const int k = static_cast<int>(config_.means.size());
  if (k == 0)
    throw InputError("env.means", "the bandit has no arms; allowed: a list of at least one mean");
  BanditReward kind{};
  if (!enum_from_name(config_.reward_kind, &kind))
    throw InputError("env.reward_kind", "unknown reward kind '" + config_.reward_kind +
                                            "'; allowed: " + enum_name_list<BanditReward>());
  bernoulli_ = kind == BanditReward::kBernoulli;
  if (!bernoulli_ && !(config_.stddev >= 0.0))
    throw InputError("env.stddev",
                     "stddev " + number_text(config_.stddev) + " is invalid; allowed: ≥ 0");
  for (int a = 0; a < k; ++a) {
    const double m = config_.means[a];
    if (bernoulli_ && !(m >= 0.0 && m <= 1.0))
      throw InputError("env.means",
                       "mean " + std::to_string(m) + " of arm " + std::to_string(a) +
                           " is not a probability; allowed with bernoulli rewards: [0, 1]");
  }
  model_ = TabularModel(2, k, 1);
  for (int a = 0; a < k; ++a) {
    model_.add(0, a, 1, 1.0);
    model_.set_reward(0, a, config_.means[a]);
    model_.add(1, a, 1, 1.0);  // terminal self-loop: ignored by the oracle, keeps P stochastic
  }
  model_.set_terminal(1, true);
  model_.set_start(0, 1.0);
  model_.set_obs_of_state(0, 0);
  model_.set_obs_of_state(1, 0);
}

void Bandit::reset(Rng&) {
  state_ = 0;
  elapsed_ = 0;
}

StepResult Bandit::step(int action, Rng& rng) {
  PG_ASSERT(action >= 0 && action < num_actions(), "Bandit action must be an arm index");
  PG_ASSERT(state_ == 0, "Bandit::step after termination: call reset() first");
  const double mean = config_.means[action];
  StepResult r;
  r.reward = bernoulli_ ? (rng.uniform() < mean ? 1.0 : 0.0) : mean + config_.stddev * rng.normal();
  r.terminated = true;
  state_ = 1;
  ++elapsed_;
  return r;
}

std::string Bandit::action_name(int a) const {
  return "arm " + std::to_string(a);
}

std::string Bandit::action_label(int a) const {
  return "arm " + std::to_string(a);
}

std::string Bandit::describe_state(const double* obs, int state, bool long_form) const {
  (void)obs;
  (void)state;
  return long_form ? "the one state (one-step episode)" : "–";
}

}  // namespace pg
