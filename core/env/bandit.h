#pragma once
// A k-armed bandit as a one-step episodic MDP: state 0 (observation 0, features [1.0]) and a
// terminal state 1. Every step terminates; gamma 1, step_limit 1.
// Rewards: "gaussian" → means[a] + stddev · N(0, 1) (two uniforms, Box–Muller);
//          "bernoulli" → 1 with probability means[a], else 0 (one uniform).
// The model's R[0][a] = means[a].

#include <string>
#include <vector>

#include "env/env.h"
#include "env/tabular_model.h"
#include "util/enum_table.h"

namespace pg {

// env.reward_kind (the scenario and BanditConfig keep the name; Bandit reads it through the table)
enum class BanditReward { kGaussian, kBernoulli };
template <>
struct EnumTable<BanditReward> {
  static constexpr EnumRow<BanditReward> rows[] = {
      {BanditReward::kGaussian, "gaussian", "Gaussian", "mean ± env.reward_std"},
      {BanditReward::kBernoulli, "bernoulli", "Bernoulli",
       "1 with the arm's mean as probability, else 0"},
  };
};

struct BanditConfig {
  std::vector<double> means = {0.2, 0.5,
                               0.8};     // one per arm, at least one; bernoulli: each in [0, 1]
  std::string reward_kind = "gaussian";  // "gaussian" | "bernoulli"
  double stddev = 1.0;                   // ≥ 0; gaussian only
};

class Bandit final : public Env {
 public:
  // Throws InputError for no arms, an unknown reward_kind, a negative stddev, or bernoulli means
  // outside [0, 1].
  explicit Bandit(BanditConfig config = {});

  std::string name() const override { return "bandit"; }
  int num_actions() const override { return static_cast<int>(config_.means.size()); }
  int obs_dim() const override { return 1; }
  int num_obs() const override { return 1; }
  double gamma() const override { return 1.0; }
  int step_limit() const override { return 1; }

  void reset(Rng& rng) override;
  StepResult step(int action, Rng& rng) override;
  void observe(double* features) const override { features[0] = 1.0; }
  int obs_index() const override { return 0; }
  int state_index() const override { return state_; }
  int elapsed() const override { return elapsed_; }
  const TabularModel* model() const override { return &model_; }
  std::unique_ptr<Env> clone() const override { return std::make_unique<Bandit>(*this); }
  // Arms count from 0, as the batch dump's actions and the picture do: "arm 0" …; the one state.
  // For views (DESIGN.md §3a).
  EnvPicture picture() const override { return EnvPicture::kArms; }
  std::string action_name(int a) const override;
  std::string action_label(int a) const override;
  std::string describe_state(const double* obs, int state, bool long_form) const override;

  const BanditConfig& config() const { return config_; }

 private:
  BanditConfig config_;
  bool bernoulli_ = false;
  TabularModel model_;
  int state_ = 0;
  int elapsed_ = 0;
};

}  // namespace pg
