#pragma once
// TokenTask: a tiny language-like MDP for GRPO (env.kind "token-task").
//
// A prompt is a pair of digits (a, b) with a, b < digits ("3+4="), digits² prompts, drawn uniformly
// at reset (or fixed by set_prompt, see below). The policy writes a completion one token at a time
// from an 11-token vocabulary: the digits 0–9 (actions 0..9) and EOS (action 10). The episode ends
//   - at EOS, or
//   - when max_tokens tokens have been written.
// Both are *terminations*, never truncations: the verifier scores the completion as it stands, so
// nothing is left to bootstrap (V(s_T) = 0). The verifier's reward, the only nonzero one, comes on
// the last step: 1 when the completion is the decimal spelling of a + b followed by EOS ("7↵",
// "1 2↵" for 12), else 0. A completion cut by the length limit has no EOS and scores 0 —
// max_tokens counts EOS (the key's help), so it must be ≥ (digits of 2·(digits−1)) + 1; the
// constructor refuses smaller values (some prompts could not be answered). γ = 1 (env.gamma is
// not read): J = P(success), the success probability over the uniform prompt.
//
// Observations (tabular): the (prompt, prefix) pairs where a token is chosen. A prefix reachable
// before the end holds digits only (EOS ends the episode) and has length 0..max_tokens−1, so
//   num_obs = digits² · Σ_{l<max_tokens} 10^l       (digits 5, max_tokens 3: 25 · 111 = 2775)
//   obs = prompt · prefixes_per_prompt + prefix_index,  prompt = a · digits + b,
//   prefix_index = Σ_{j<l} 10^j + (the prefix read as an l-digit base-10 number).
// Features (MLP policies, obs_dim = 2·digits + 11·(max_tokens−1)): one-hot a, one-hot b, then per
// position p < max_tokens−1 a one-hot over 11 slots — the digit written there, or slot 10 "empty".
//
// Model (exact oracle): states 0..num_obs−1 are the observations themselves (no aliasing); two
// terminal states follow: kFail = num_obs (wrong answer or cut by the limit) and kSuccess =
// num_obs + 1 (the reward-1 transitions lead there). Start is uniform over the empty-prefix
// states. step_limit() = max_tokens: every episode ends within it, so the finite-horizon oracle
// is exact.
//
// After the end, obs_index() is 0 and observe() writes obs 0's features: nothing reads them (the
// episode terminated, V(s_T) = 0); state_index() is kFail or kSuccess.
//
// GRPO groups: set_prompt(p) pins the prompt of the following resets (reset draws nothing then);
// set_prompt(-1) returns to drawing uniformly from the reset stream. The flag is part of the
// environment's state: clone() copies it.

#include <array>
#include <string>

#include "env/env.h"
#include "env/tabular_model.h"

namespace pg {

struct TokenTaskConfig {
  int digits = 5;  // [2, 10]: prompts are (a, b) with a, b < digits
  int max_tokens =
      3;  // [2, 5], EOS included; also ≥ answer length + 1 and within kMaxObs (checked)
  // Whether a tabular policy will read the observations: only the words of a refusal (too many
  // observations) depend on it.
  bool tabular_policy = true;
};

class TokenTask final : public Env {
 public:
  static constexpr int kVocab = 11;  // digits 0–9 and EOS
  static constexpr int kEos = 10;
  static constexpr int kMaxTokens = 5;  // 6 tokens make over kMaxObs observations for any digits
  // Refuses configurations with more observations than this: the exact oracle's model holds a
  // state per observation whatever the policy (a tabular policy a row of logits per observation
  // too). max_tokens ≤ 5 for digits 2–4, ≤ 4 for digits 5–10 (largest_max_tokens).
  static constexpr int kMaxObs = 200000;
  // digits² · Σ_{l<max_tokens} 10^l: the observations (prompt, prefix) of a configuration.
  static long observations(int digits, int max_tokens);
  // The largest max_tokens in [2, kMaxTokens] whose observations fit kMaxObs with these digits.
  static int largest_max_tokens(int digits);

  // Throws InputError (env.digits / env.max_tokens) for values out of range, a max_tokens too
  // short for the longest answer, or more than kMaxObs observations.
  explicit TokenTask(TokenTaskConfig config = {});

  std::string name() const override { return "token-task"; }
  int num_actions() const override { return kVocab; }
  int obs_dim() const override { return 2 * config_.digits + kVocab * (config_.max_tokens - 1); }
  int num_obs() const override { return num_prompts() * prefixes_per_prompt_; }
  double gamma() const override { return 1.0; }
  int step_limit() const override { return config_.max_tokens; }

  void reset(Rng& rng) override;
  StepResult step(int action, Rng& rng) override;
  void observe(double* features) const override;
  int obs_index() const override;
  void features_of(int obs, double* x) const override;
  int state_index() const override;
  int elapsed() const override { return length_; }
  const TabularModel* model() const override { return &model_; }
  std::unique_ptr<Env> clone() const override { return std::make_unique<TokenTask>(*this); }
  // "write 7" / "end (EOS ↵)"; "7" / "↵"; a state as the prompt and what is written: "3+4=1",
  // or the end it reached.
  // For views (DESIGN.md §3a).
  EnvPicture picture() const override { return EnvPicture::kTokens; }
  std::string action_name(int a) const override;
  std::string action_label(int a) const override;
  std::string describe_state(const double* obs, int state, bool long_form) const override;

  const TokenTaskConfig& config() const { return config_; }
  int num_prompts() const override { return config_.digits * config_.digits; }
  int prefixes_per_prompt() const { return prefixes_per_prompt_; }
  int fail_state() const { return num_obs(); }
  int success_state() const { return num_obs() + 1; }

  // GRPO: pins the prompt of the following resets (p in [0, num_prompts)), or -1 to draw again.
  void set_prompt(int p) override;
  int prompt_of_state(int state) const override {
    return state >= 0 && state < num_obs() ? state / prefixes_per_prompt_ : -1;
  }
  int pinned_prompt() const { return pinned_prompt_; }

  // The current episode.
  int prompt() const { return prompt_; }
  int length() const { return length_; }
  int token(int i) const { return tokens_[i]; }

  // Text for views: "3+4=" for a prompt; "0".."9", or "↵" (U+21B5, in the app's glyph ranges) for
  // EOS, for a token.
  std::string prompt_text(int p) const override;
  static std::string token_text(int token);
  // The answer a + b of prompt p, and whether tokens[0..n) (actions) earn the reward.
  int answer(int p) const { return p / config_.digits + p % config_.digits; }
  bool is_correct(int p, const int* tokens, int n) const;
  // The (prompt, prefix) of a tabular observation: writes the prefix tokens to prefix[0..len).
  void decode_obs(int obs, int& p, int& len, int* prefix) const;

 private:
  int obs_of(int p, int len, const int* prefix) const;
  void build_model();

  TokenTaskConfig config_;
  int prefixes_per_prompt_ = 0;
  TabularModel model_;
  int pinned_prompt_ = -1;
  int prompt_ = 0;
  int length_ = 0;
  bool done_ = false;
  bool success_ = false;
  std::array<int, kMaxTokens> tokens_{};
};

}  // namespace pg
