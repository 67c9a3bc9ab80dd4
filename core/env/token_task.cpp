#include "env/token_task.h"

#include <string>

#include "util/error.h"

namespace pg {

namespace {

// Decimal digits of n ≥ 0, most significant first, into out; returns how many.
int decimal_digits(int n, int* out) {
  int tmp[12];
  int k = 0;
  do {
    tmp[k++] = n % 10;
    n /= 10;
  } while (n > 0);
  for (int i = 0; i < k; ++i) out[i] = tmp[k - 1 - i];
  return k;
}

}  // namespace

long TokenTask::observations(int digits, int max_tokens) {
  long per_prompt = 0, power = 1;
  for (int l = 0; l < max_tokens; ++l, power *= 10) per_prompt += power;
  return per_prompt * digits * digits;
}

int TokenTask::largest_max_tokens(int digits) {
  int L = kMaxTokens;
  while (L > 2 && observations(digits, L) > kMaxObs) --L;
  return L;
}

TokenTask::TokenTask(TokenTaskConfig config) : config_(config) {
  const int d = config_.digits, L = config_.max_tokens;
  if (d < 2 || d > 10)
    throw InputError("env.digits",
                     "digits " + std::to_string(d) + " is out of range; allowed: [2, 10]");
  if (L < 2 || L > kMaxTokens)
    throw InputError("env.max_tokens", "max_tokens " + std::to_string(L) +
                                           " is out of range; allowed: [2, " +
                                           std::to_string(kMaxTokens) + "]");
  int longest[12];
  const int need = decimal_digits(2 * (d - 1), longest) + 1;
  if (L < need)
    throw InputError("env.max_tokens",
                     "the answer " + std::to_string(2 * (d - 1)) + " to " + prompt_text(d * d - 1) +
                         " needs " + std::to_string(need) +
                         " tokens (EOS included); allowed with "
                         "env.digits=" +
                         std::to_string(d) + ": max_tokens ≥ " + std::to_string(need));
  const long obs = observations(d, L);
  if (obs > kMaxObs) {
    // The exact oracle's model holds every observation, whatever the policy; a tabular policy
    // holds a row of logits for each too.
    const std::string what =
        config_.tabular_policy
            ? "a tabular policy (a row of logits each) and the exact oracle (a state each)"
            : "the exact oracle, which holds a state for each whatever the policy";
    std::string advice = "lower env.max_tokens to " + std::to_string(largest_max_tokens(d)) +
                         " (with env.digits=" + std::to_string(d) + ")";
    int digits_fit = 0;  // the most digits that fit this max_tokens
    for (int k = 2; k <= 10 && observations(k, L) <= kMaxObs; ++k) digits_fit = k;
    if (digits_fit >= 2)
      advice += " or env.digits to " + std::to_string(digits_fit) +
                " (with env.max_tokens=" + std::to_string(L) + ")";
    throw InputError("env.max_tokens", std::to_string(obs) +
                                           " observations (digits² · Σ_{l<max_tokens} 10^l) are "
                                           "too many for " +
                                           what + "; at most " + std::to_string(kMaxObs) + ": " +
                                           advice);
  }
  prefixes_per_prompt_ = static_cast<int>(obs / (static_cast<long>(d) * d));
  build_model();
}

int TokenTask::obs_of(int p, int len, const int* prefix) const {
  int offset = 0, power = 1, value = 0;
  for (int j = 0; j < len; ++j, power *= 10) offset += power;
  for (int j = 0; j < len; ++j) value = value * 10 + prefix[j];
  return p * prefixes_per_prompt_ + offset + value;
}

void TokenTask::decode_obs(int obs, int& p, int& len, int* prefix) const {
  PG_ASSERT(obs >= 0 && obs < num_obs(), "TokenTask::decode_obs: obs out of range");
  p = obs / prefixes_per_prompt_;
  int rest = obs % prefixes_per_prompt_;
  len = 0;
  for (int power = 1; rest >= power; power *= 10) {
    rest -= power;
    ++len;
  }
  for (int j = len - 1; j >= 0; --j) {
    prefix[j] = rest % 10;
    rest /= 10;
  }
}

bool TokenTask::is_correct(int p, const int* tokens, int n) const {
  if (n < 2 || tokens[n - 1] != kEos) return false;
  int want[12];
  const int k = decimal_digits(answer(p), want);
  if (n - 1 != k) return false;
  for (int i = 0; i < k; ++i)
    if (tokens[i] != want[i]) return false;
  return true;
}

void TokenTask::build_model() {
  const int S = num_obs() + 2, L = config_.max_tokens;
  model_ = TabularModel(S, kVocab, num_obs());
  int prefix[kMaxTokens + 1];
  for (int s = 0; s < num_obs(); ++s) {
    int p = 0, len = 0;
    decode_obs(s, p, len, prefix);
    model_.set_obs_of_state(s, s);
    if (len == 0) model_.set_start(s, 1.0 / num_prompts());
    for (int a = 0; a < kVocab; ++a) {
      prefix[len] = a;
      if (a == kEos) {
        const bool ok = is_correct(p, prefix, len + 1);
        model_.add(s, a, ok ? success_state() : fail_state(), 1.0);
        model_.set_reward(s, a, ok ? 1.0 : 0.0);
      } else if (len + 1 == L) {
        model_.add(s, a, fail_state(), 1.0);  // the limit cuts a completion without EOS: wrong
      } else {
        model_.add(s, a, obs_of(p, len + 1, prefix), 1.0);
      }
    }
  }
  for (int t : {fail_state(), success_state()}) {
    model_.set_terminal(t, true);
    model_.set_obs_of_state(t, 0);
    for (int a = 0; a < kVocab; ++a) model_.add(t, a, t, 1.0);  // ignored by the oracle
  }
}

void TokenTask::set_prompt(int p) {
  PG_ASSERT(p >= -1 && p < num_prompts(),
            "TokenTask::set_prompt: p is a prompt index in [0, digits²) or -1");
  pinned_prompt_ = p;
}

void TokenTask::reset(Rng& rng) {
  prompt_ = pinned_prompt_ >= 0 ? pinned_prompt_
                                : static_cast<int>(rng.below(static_cast<uint32_t>(num_prompts())));
  length_ = 0;
  done_ = false;
  success_ = false;
}

StepResult TokenTask::step(int action, Rng&) {
  PG_ASSERT(action >= 0 && action < kVocab, "TokenTask action must be a token in [0, 11)");
  PG_ASSERT(!done_, "TokenTask::step after the episode ended: call reset() first");
  tokens_[length_++] = action;
  StepResult r;
  if (action == kEos || length_ == config_.max_tokens) {
    success_ = is_correct(prompt_, tokens_.data(), length_);
    r.reward = success_ ? 1.0 : 0.0;
    r.terminated = true;
    done_ = true;
  }
  return r;
}

int TokenTask::obs_index() const {
  return done_ ? 0 : obs_of(prompt_, length_, tokens_.data());
}

int TokenTask::state_index() const {
  if (done_) return success_ ? success_state() : fail_state();
  return obs_of(prompt_, length_, tokens_.data());
}

void TokenTask::features_of(int obs, double* x) const {
  const int d = config_.digits, positions = config_.max_tokens - 1;
  int p = 0, len = 0, prefix[kMaxTokens];
  decode_obs(obs, p, len, prefix);
  for (int i = 0; i < obs_dim(); ++i) x[i] = 0.0;
  x[p / d] = 1.0;
  x[d + p % d] = 1.0;
  for (int j = 0; j < positions; ++j) x[2 * d + kVocab * j + (j < len ? prefix[j] : kEos)] = 1.0;
}

void TokenTask::observe(double* features) const {
  if (done_) {
    // After the end: the last prefix's features are meaningless; write the empty prompt 0 row.
    features_of(0, features);
    return;
  }
  features_of(obs_of(prompt_, length_, tokens_.data()), features);
}

std::string TokenTask::prompt_text(int p) const {
  return std::to_string(p / config_.digits) + "+" + std::to_string(p % config_.digits) + "=";
}

std::string TokenTask::token_text(int token) {
  return token == kEos ? "\u21B5" : std::to_string(token);
}

std::string TokenTask::action_name(int a) const {
  return a == kEos ? "end (EOS " + token_text(kEos) + ")" : "write " + token_text(a);
}

std::string TokenTask::action_label(int a) const {
  return token_text(a);
}

std::string TokenTask::describe_state(const double* obs, int state, bool long_form) const {
  (void)obs;
  if (state == fail_state())
    return long_form ? "the end: a wrong answer, or cut by the length limit (reward 0)"
                     : "end (wrong)";
  if (state == success_state())
    return long_form ? "the end: the right answer (reward 1)" : "end (right)";
  if (state < 0 || state >= num_obs()) return "–";
  // States below num_obs are the (prompt, prefix) observations themselves.
  int p = 0, len = 0;
  std::array<int, kMaxTokens> prefix{};
  decode_obs(state, p, len, prefix.data());
  std::string written;
  for (int j = 0; j < len; ++j) written += token_text(prefix[j]);
  if (!long_form) return prompt_text(p) + written;
  return "prompt " + prompt_text(p) +
         (len == 0 ? ", nothing written yet" : ", written so far: " + written);
}

}  // namespace pg
