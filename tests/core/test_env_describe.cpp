// Environments describe themselves to the views (DESIGN.md §3a): the picture kind, action names
// and labels, and states as a student reads them — exact strings, so a view that draws by these
// shows what it showed when it compared names.
#include <gtest/gtest.h>

#include <cstdio>
#include <set>
#include <string>

#include "env/bandit.h"
#include "env/cartpole.h"
#include "env/gridworld.h"
#include "env/short_corridor.h"
#include "env/token_task.h"
#include "session/session.h"

namespace pg {

namespace {

std::unique_ptr<Env> env_of(const char* scenario) {
  return make_env(load_scenario(scenario));
}

// Every action has a distinct, non-empty name and label.
void expect_distinct_actions(const Env& env) {
  std::set<std::string> names, labels;
  for (int a = 0; a < env.num_actions(); ++a) {
    EXPECT_FALSE(env.action_name(a).empty());
    EXPECT_FALSE(env.action_label(a).empty());
    names.insert(env.action_name(a));
    labels.insert(env.action_label(a));
  }
  EXPECT_EQ(static_cast<int>(names.size()), env.num_actions());
  EXPECT_EQ(static_cast<int>(labels.size()), env.num_actions());
}

}  // namespace

TEST(EnvDescribe, GridWorld) {
  const auto env = env_of("gridworld-reinforce");
  const auto& g = dynamic_cast<const GridWorld&>(*env);
  EXPECT_EQ(env->picture(), EnvPicture::kGrid);
  EXPECT_EQ(env->action_name(0), "up");
  EXPECT_EQ(env->action_name(3), "left");
  EXPECT_EQ(env->action_label(1), "→ right");
  EXPECT_EQ(env->action_label(2), "↓ down");
  expect_distinct_actions(*env);
  // Every state names its own cell.
  for (int s = 0; s < env->num_obs(); ++s) {
    const auto [r, c] = g.cell_of_state(s);
    char short_form[32], long_form[64];
    std::snprintf(short_form, sizeof short_form, "(%d,%d)", r, c);
    std::snprintf(long_form, sizeof long_form, "cell (row %d, col %d)", r, c);
    EXPECT_EQ(env->describe_state(nullptr, s, false), short_form);
    EXPECT_EQ(env->describe_state(nullptr, s, true), long_form);
  }
  EXPECT_EQ(env->describe_state(nullptr, -1, true), "–");
  EXPECT_EQ(env->describe_state(nullptr, env->num_obs(), false), "–");
}

TEST(EnvDescribe, CartPole) {
  const auto env = env_of("cartpole-reinforce");
  EXPECT_EQ(env->picture(), EnvPicture::kCart);
  EXPECT_EQ(env->action_name(0), "push left");
  EXPECT_EQ(env->action_name(1), "push right");
  EXPECT_EQ(env->action_label(0), "← left");
  EXPECT_EQ(env->action_label(1), "→ right");
  const double x[4] = {0.1, -0.25, 0.0123, 1.5};
  EXPECT_EQ(env->describe_state(x, -1, false), "θ +0.012");
  EXPECT_EQ(env->describe_state(x, -1, true),
            "x = +0.100 m,  dx/dt = -0.250 m/s\nθ = +0.0123 rad,  dθ/dt = +1.500 rad/s");
  EXPECT_EQ(env->describe_state(nullptr, -1, true), "–");
}

TEST(EnvDescribe, ShortCorridor) {
  const auto env = env_of("short-corridor-reinforce");
  EXPECT_EQ(env->picture(), EnvPicture::kCorridor);
  EXPECT_EQ(env->action_name(0), "left");
  EXPECT_EQ(env->action_label(1), "→ right");
  EXPECT_EQ(env->describe_state(nullptr, 1, false), "1");
  EXPECT_EQ(env->describe_state(nullptr, 1, true), "state 1 (actions reversed here)");
  EXPECT_EQ(env->describe_state(nullptr, 2, true), "state 2");
  EXPECT_EQ(env->describe_state(nullptr, ShortCorridor::kGoal, true), "state 3 (the goal)");
}

TEST(EnvDescribe, Bandit) {
  const auto env = env_of("bandit-reinforce");
  EXPECT_EQ(env->picture(), EnvPicture::kArms);
  EXPECT_EQ(env->action_name(0), "arm 0");  // arms count from 0, as the dump's actions do
  EXPECT_EQ(env->action_label(2), "arm 2");
  expect_distinct_actions(*env);
  EXPECT_EQ(env->describe_state(nullptr, 0, true), "the one state (one-step episode)");
  EXPECT_EQ(env->describe_state(nullptr, 0, false), "–");
}

TEST(EnvDescribe, TokenTask) {
  const auto env = env_of("grpo-token-task");
  const auto& task = dynamic_cast<const TokenTask&>(*env);
  EXPECT_EQ(env->picture(), EnvPicture::kTokens);
  EXPECT_EQ(env->action_name(7), "write 7");
  EXPECT_EQ(env->action_name(TokenTask::kEos), "end (EOS ↵)");
  EXPECT_EQ(env->action_label(TokenTask::kEos), "↵");
  EXPECT_EQ(env->action_label(0), "0");
  expect_distinct_actions(*env);
  // Prompt 3+4= (p = 3·digits + 4), prefix "1": obs = p·prefixes + (1 + 1).
  const int digits = task.config().digits;
  const int p = 3 * digits + 4;
  EXPECT_EQ(env->describe_state(nullptr, p * task.prefixes_per_prompt(), false), "3+4=");
  EXPECT_EQ(env->describe_state(nullptr, p * task.prefixes_per_prompt(), true),
            "prompt 3+4=, nothing written yet");
  EXPECT_EQ(env->describe_state(nullptr, p * task.prefixes_per_prompt() + 2, false), "3+4=1");
  EXPECT_EQ(env->describe_state(nullptr, p * task.prefixes_per_prompt() + 2, true),
            "prompt 3+4=, written so far: 1");
  EXPECT_EQ(env->describe_state(nullptr, task.success_state(), false), "end (right)");
  EXPECT_EQ(env->describe_state(nullptr, task.fail_state(), false), "end (wrong)");
  // Every observation decodes to its prompt.
  for (int o = 0; o < env->num_obs(); o += 97) {
    const int q = o / task.prefixes_per_prompt();
    EXPECT_EQ(env->describe_state(nullptr, o, false).rfind(task.prompt_text(q), 0), 0u) << o;
  }
}

}  // namespace pg
