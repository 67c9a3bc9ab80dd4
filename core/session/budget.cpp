#include "session/budget.h"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <vector>

#include "critic/value_function.h"
#include "env/env.h"
#include "env/tabular_model.h"
#include "io/params.h"
#include "io/scenario.h"
#include "lab/variance.h"
#include "session/session.h"
#include "util/error.h"
#include "util/text.h"

namespace pg {
namespace {

// Bytes per sample of one MLP's batch buffers (nn/mlp.cpp): the input, every layer's
// pre-activation, and each hidden layer's activation and backward delta, as doubles (+ one for
// the ones vector).
double mlp_batch_bytes(int in, const std::vector<int>& hidden, int out) {
  double n = in + out + 1;
  for (int h : hidden) n += 3.0 * h;
  return 8.0 * n;
}

std::string count(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.0f", v);
  return buf;
}

// "FLAG (at most N fit)": how every refusal says how many of one quantity fit.
std::string at_most_fit(const std::string& flag, double fit) {
  return flag + " (at most " + count(fit) + " fit)";
}

// Two quantities a lab asks for (episodes and batches, estimates and episodes), each with its
// flag, its minimum and its bytes per unit, beside `fixed` bytes it cannot change. When the larger
// share cannot fit by lowering it alone (the room beside the other is below its minimum) the other
// is named instead, and when neither alone can, both, scaled together by one factor that fits:
// never "at most 0 fit" for a flag whose range starts above 0.
struct Quantity {
  std::string flag;
  double asked = 0, minimum = 1, bytes_each = 0;
  double need() const { return asked * bytes_each; }
};
std::string lower_advice(const Quantity& a, const Quantity& b, double fixed, double budget,
                         const std::string& fixed_lower, std::string* key) {
  auto fit_alone = [&](const Quantity& q, const Quantity& other) {
    if (!(q.bytes_each > 0)) return -1.0;  // lowering it frees nothing
    return std::floor((budget - fixed - other.need()) / q.bytes_each);
  };
  const bool a_first = a.need() >= b.need();
  const Quantity& first = a_first ? a : b;
  const Quantity& second = a_first ? b : a;
  for (const auto& [q, other] : {std::pair{&first, &second}, std::pair{&second, &first}}) {
    const double fit = fit_alone(*q, *other);
    if (fit >= q->minimum) {
      *key = q->flag;
      return "lower " + at_most_fit(q->flag, fit);
    }
  }
  *key = first.flag;
  const double f = (budget - fixed) / (a.need() + b.need());
  const double fa = std::floor(f * a.asked), fb = std::floor(f * b.asked);
  if (f > 0 && fa >= a.minimum && fb >= b.minimum)
    return "lower " + a.flag + " and " + b.flag +
           " together: lowering one alone cannot fit (e.g. " + a.flag + " " + count(fa) + " " +
           b.flag + " " + count(fb) + " fit)";
  return "not even " + a.flag + " " + count(a.minimum) + " " + b.flag + " " + count(b.minimum) +
         " fit beside the session's " + format_bytes(fixed) + "; lower " +
         (fixed_lower.empty() ? std::string("the scenario's batch") : fixed_lower);
}

// The budget a limit in bytes gives (80 %), when it is lower than `b`.
void lower_to(MemoryBudget& b, double limit, const char* what) {
  if (!(limit > 0) || 0.8 * limit >= b.bytes) return;
  b.bytes = 0.8 * limit;
  b.source = std::string("80 % of ") + what;
}

}  // namespace

namespace {

std::string format_bytes_digits(double bytes, int digits) {
  const char* units[] = {"bytes", "kB", "MB", "GB", "TB", "PB"};
  int u = 0;
  while (bytes >= 1000.0 && u < 5) {
    bytes /= 1000.0;
    ++u;
  }
  char buf[48];
  if (u == 0)
    std::snprintf(buf, sizeof buf, "%.0f %s", bytes, units[u]);
  else
    std::snprintf(buf, sizeof buf, "%.*g %s", digits, bytes, units[u]);
  return buf;
}

}  // namespace

std::string format_bytes(double bytes) {
  return format_bytes_digits(bytes, 3);
}

std::string format_bytes(double bytes, double other) {
  for (int digits = 3; digits < 12; ++digits) {
    std::string a = format_bytes_digits(bytes, digits);
    if (a != format_bytes_digits(other, digits)) return a;
  }
  return format_bytes_digits(bytes, 12);
}

MemoryBudget memory_budget() {
  MemoryBudget b;
  const double pages = static_cast<double>(sysconf(_SC_PHYS_PAGES));
  const double page = static_cast<double>(sysconf(_SC_PAGE_SIZE));
  b.bytes = pages > 0 && page > 0 ? 0.5 * pages * page : 2e9;  // unknown: assume a 4 GB machine
  b.source =
      pages > 0 && page > 0 ? "half of the physical memory" : "a guess (physical memory unknown)";
  for (const auto& [resource, what] : {std::pair{RLIMIT_AS, "the address-space limit (ulimit -v)"},
                                       std::pair{RLIMIT_DATA, "the data-size limit (ulimit -d)"}}) {
    rlimit rl{};
    if (getrlimit(resource, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
      lower_to(b, static_cast<double>(rl.rlim_cur), what);
  }
  // cgroup v2: a number of bytes, or "max". Read a bounded line only.
  std::ifstream cg("/sys/fs/cgroup/memory.max");
  char line[32] = {};
  if (cg && cg.getline(line, sizeof line)) {
    char* end = nullptr;
    const double v = std::strtod(line, &end);
    if (end != line) lower_to(b, v, "the cgroup memory limit");
  }
  // Set and empty counts as unset; anything else must be a budget (a typo is not ignored).
  if (const char* env = std::getenv("PGLAB_MEMORY_BUDGET_MB"); env && *env) {
    char* end = nullptr;
    const double mb = std::strtod(env, &end);
    if (end == env || *end != '\0' || !(mb > 0) || !std::isfinite(mb))
      throw InputError("PGLAB_MEMORY_BUDGET_MB",
                       quote(env, 40) +
                           " is not a memory budget; allowed: a positive number of megabytes "
                           "(10⁶ bytes), e.g. 4000, or unset");
    if (mb * 1e6 < b.bytes) {
      b.bytes = mb * 1e6;
      b.source = "PGLAB_MEMORY_BUDGET_MB";
    }
  }
  return b;
}

ResourceEstimate estimate_session(const Scenario& s, const Env& env) {
  ResourceEstimate e;
  const AlgorithmSettings& a = s.algorithm;
  const int limit = env.step_limit();
  if (a.num_steps > 0) {
    e.batch_steps = static_cast<double>(a.num_envs) * a.num_steps;
    e.batch_what = count(a.num_envs) + " environments × " + count(a.num_steps) + " steps";
    e.batch_lower = "algorithm.num_envs or algorithm.num_steps";
    e.batch_key = "algorithm.num_steps";
    e.batch_keys = {"algorithm.num_envs", "algorithm.num_steps"};
    e.batch_factors = {static_cast<double>(a.num_envs), static_cast<double>(a.num_steps)};
  } else if (limit > 0) {
    // Worst case: every episode runs to the step limit (a policy that never reaches a goal).
    e.batch_steps = static_cast<double>(a.batch_episodes) * limit;
    e.batch_what = count(a.batch_episodes) + " episodes × up to " + count(limit) + " steps";
    if (a.name == AlgorithmKind::kGrpo) {
      e.batch_lower = "grpo.prompts or grpo.group_size";
      e.batch_key = "grpo.group_size";
      e.batch_keys = {"grpo.prompts", "grpo.group_size"};
      e.batch_factors = {static_cast<double>(s.grpo.prompts),
                         static_cast<double>(s.grpo.group_size)};
    } else {
      e.batch_lower = "algorithm.batch_episodes or env.step_limit";
      e.batch_key = "algorithm.batch_episodes";
      e.batch_keys = {"algorithm.batch_episodes", "env.step_limit"};
      e.batch_factors = {static_cast<double>(a.batch_episodes), static_cast<double>(limit)};
    }
  }
  // Per collected step: the trajectory (indices, action, reward, log-prob, features), the estimate
  // (Q̂, b, ψ, G, V, Â, targets), the algorithm's copies of the features and its per-step records,
  // and the batch buffers of every MLP that runs over the whole batch (the policy's; the critic's
  // when it is an MLP). Measured peak-RSS slopes on 64 envs × 500…2500 steps or 200…2200 episodes
  // (issue 8): cartpole-ppo 6.2 kB/step (this model: 8.2 kB), a2c-cartpole 7.7 (8.2),
  // cartpole-reinforce 3.4 (4.3), trpo-cartpole 2.2 (2.9), tabular gridworlds 0.09–0.10 (0.2).
  // The 1.25 on the networks covers the A2C update's extra full-batch copies; the model errs high.
  const int d = env.obs_dim();
  const bool mlp_policy = s.policy.kind == PolicyKind::kMlp;
  const bool mlp_critic = s.critic.kind == CriticKind::kMlp;
  const bool features = mlp_policy || mlp_critic;
  double per_step = 200.0 + (features ? 16.0 * d : 0.0);
  if (mlp_policy)
    per_step +=
        1.25 * (mlp_batch_bytes(d, s.policy.hidden, env.num_actions()) + 16.0 * env.num_actions());
  if (mlp_critic) per_step += 1.25 * (mlp_batch_bytes(d, s.critic.hidden, 1) + 8.0 * d);
  e.bytes_per_step = per_step;
  e.batch_bytes = e.batch_steps * per_step;
  // The exact oracle with a finite horizon H keeps V_t (H × S) in the session's current and batch
  // results and, while evaluating, a new V_t and the visitation d_t (H × S each): 4 tables.
  // Measured with env.step_limit=1e6: 514 MB for S = 16, 1.51 GB for S = 48, 2.58 GB for S = 104
  // (model: 0.51, 1.54, 3.33 GB). Its time, two evaluations per iteration of O(H · S · A) work at
  // about 50 ns each, measured 8.6 s per iteration for S = 16 and 31 s for S = 104 at H = 1e6.
  if (const TabularModel* m = env.model(); m && limit > 0) {
    const double cells = static_cast<double>(limit) * m->num_states();
    e.exact_bytes = 4.0 * 8.0 * cells;
    e.exact_seconds = 2.0 * cells * m->num_actions() * 50e-9;
  }
  // SAC's replay buffer (rollout/replay.h), sized to its capacity at once: per transition the
  // features of s and s′ (when a network or an MLP critic reads them), the action as the env got
  // it, four ints (s, s′, a, iteration), the reward and two flags: 90 bytes on cart-pole, where
  // a Python Session with sac.buffer_size=10⁷ measured 0.89 GB. Two buffers are counted: the
  // session's and one more held beside it at times — the copy `train` checks its --change flags
  // on, the algorithm a live change builds to run its checks (Session::checked_live_change), a
  // fork (train measured 1.77 GB peak before its copy was skipped without --change flags).
  if (a.name == AlgorithmKind::kSac) {
    const bool sac_features = s.policy.kind != PolicyKind::kTabular || mlp_critic;
    e.replay_transitions = s.sac.buffer_size;
    e.bytes_per_transition = (sac_features ? 16.0 * d : 0.0) + 8.0 * env.action_dim() + 26.0;
    e.replay_bytes = 2.0 * e.replay_transitions * e.bytes_per_transition;
  }
  return e;
}

namespace {

// What to lower when the session's batch does not fit: each factor of the batch (batch_keys)
// lowered alone, the others kept — "lower algorithm.num_envs (at most 12 fit) or
// algorithm.num_steps (at most 390 fit)". env.step_limit also sizes the exact tables. A factor that
// cannot reach its minimum alone is left out; when none can, they are lowered together.
std::string batch_advice(const ResourceEstimate& e, double budget) {
  std::string advice;
  for (size_t i = 0; i < e.batch_keys.size() && i < e.batch_factors.size(); ++i) {
    const double v = e.batch_factors[i];
    if (!(v > 0)) continue;
    const std::string& key = e.batch_keys[i];
    const ParamSpec* spec = find_param(key);
    const double minimum = std::max(1.0, spec ? spec->min : 1.0);
    const double exact_each = key == "env.step_limit" ? e.exact_bytes / v : 0.0;
    const double room = budget - e.replay_bytes - (e.exact_bytes - exact_each * v);
    const double fit = std::floor(room / (e.batch_steps / v * e.bytes_per_step + exact_each));
    if (fit >= minimum) advice += (advice.empty() ? "lower " : " or ") + at_most_fit(key, fit);
  }
  if (advice.empty()) return "lower " + e.batch_lower + " together: lowering one alone cannot fit";
  return advice;
}

}  // namespace

double env_copy_bytes(const Env& env) {
  // The object, its RNG state and observation buffer: a few hundred bytes.
  double bytes = 512.0 + 16.0 * env.obs_dim();
  if (const TabularModel* m = env.model()) {
    const int S = m->num_states(), A = m->num_actions();
    // Per (s, a): a vector of successors (24 bytes) and its heap block (16 a transition + the
    // allocator's 16), the reward; per state: start, terminal, observation, and the world's own
    // tables (successors, rewards, cells: about 64 bytes a state in the grid world).
    for (int st = 0; st < S; ++st)
      for (int a = 0; a < A; ++a) {
        const size_t n = m->successors(st, a).size();
        bytes += 32.0 + (n > 0 ? 16.0 + 16.0 * n : 0.0);
      }
    bytes += 80.0 * S;
  }
  return bytes;
}

void require_env_copies_fit(const Env& env, double copies, const std::string& knob) {
  const double each = env_copy_bytes(env);
  const double need = copies * each;
  const MemoryBudget b = memory_budget();
  if (need <= b.bytes) return;
  throw InputError(knob, count(copies) + " copies of " + env.name() + " at about " +
                             format_bytes(each) + " each would need about " +
                             format_bytes(need, b.bytes) + " of memory; the budget is " +
                             format_bytes(b.bytes, need) + " (" + b.source + "); lower " +
                             at_most_fit(knob, std::floor(b.bytes / each)));
}

void require_exact_horizon_fits(const Env& env, int horizon, const std::string& knob) {
  const TabularModel* m = env.model();
  if (!m || horizon <= 0) return;
  const double per_step = 2.0 * 8.0 * m->num_states();  // V_t and d_t, one row each per step
  const double need = horizon * per_step;
  const MemoryBudget b = memory_budget();
  if (need <= b.bytes) return;
  throw InputError(knob, count(horizon) + " steps × " + count(m->num_states()) +
                             " states of the exact oracle's tables (V_t and the visitation) "
                             "would need about " +
                             format_bytes(need, b.bytes) + " of memory; the budget is " +
                             format_bytes(b.bytes, need) + " (" + b.source + "); lower " +
                             at_most_fit(knob, std::floor(b.bytes / per_step)) +
                             ", or 0 for the infinite horizon");
}

void require_session_fits(const Scenario& s, const Env& env) {
  const ResourceEstimate e = estimate_session(s, env);
  const MemoryBudget b = memory_budget();
  if (e.bytes() <= b.bytes) return;
  const std::string budget =
      "; the budget is " + format_bytes(b.bytes, e.bytes()) + " (" + b.source + ")";
  if (e.replay_bytes >= e.batch_bytes && e.replay_bytes >= e.exact_bytes) {
    const double fit =
        std::floor((b.bytes - e.batch_bytes - e.exact_bytes) / (2.0 * e.bytes_per_transition));
    throw InputError(
        "sac.buffer_size",
        "a replay buffer of " + count(e.replay_transitions) + " transitions at about " +
            format_bytes(e.bytes_per_transition) + " each (and room for a copy) would need about " +
            format_bytes(e.bytes(), b.bytes) + " of memory with the batch" + budget + "; lower " +
            (fit >= 1 ? at_most_fit("sac.buffer_size", fit) : std::string("sac.buffer_size")));
  }
  if (e.batch_bytes >= e.exact_bytes) {
    // The Session names the key's line in the scenario file (where_in_source); a factor given on
    // the command line is named instead, or the file would be blamed for a value it does not hold.
    std::string key = e.batch_key;
    std::vector<std::string> given, not_given;
    for (const std::string& k : e.batch_keys)
      (given_in_source(s, k) ? given : not_given).push_back(k);
    if (!given.empty() && !not_given.empty()) key = not_given.front();
    throw InputError(key, e.batch_what + " per batch at about " + format_bytes(e.bytes_per_step) +
                              " a step would need about " + format_bytes(e.bytes(), b.bytes) +
                              " of memory" + budget + "; " + batch_advice(e, b.bytes));
  }
  // Both the tables and a batch of whole episodes grow with the horizon.
  const double limit = env.step_limit();
  const bool batch_grows =
      std::find(e.batch_keys.begin(), e.batch_keys.end(), "env.step_limit") != e.batch_keys.end();
  const double each = (e.exact_bytes + (batch_grows ? e.batch_bytes : 0.0)) / limit;
  const double fit =
      std::floor((b.bytes - e.replay_bytes - (batch_grows ? 0.0 : e.batch_bytes)) / each);
  throw InputError(
      "env.step_limit",
      "the exact oracle's tables over a horizon of " + count(limit) + " steps would need about " +
          format_bytes(e.bytes(), b.bytes) + " of memory" + budget + "; lower " +
          (fit >= 1 ? at_most_fit("env.step_limit", fit) : std::string("env.step_limit")));
}

BatchCap batch_cap(const Scenario& s, const Env& env) {
  const ResourceEstimate e = estimate_session(s, env);
  BatchCap cap;
  if (e.batch_steps > 0) return cap;
  // A quarter of what the budget leaves beside the exact tables: the window holds the live
  // session, its copy at the iteration boundary, a timeline snapshot and a lab's own batch at once,
  // each up to one batch.
  const MemoryBudget b = memory_budget();
  const double share = 0.25 * (b.bytes - e.exact_bytes);
  cap.steps = std::max(1.0, std::floor(share / e.bytes_per_step));
  cap.budget =
      format_bytes(share) + " (a quarter of " + format_bytes(b.bytes) + ", " + b.source + ")";
  cap.lower = s.algorithm.name == AlgorithmKind::kGrpo ? "grpo.prompts or grpo.group_size"
                                                       : "algorithm.batch_episodes";
  return cap;
}

void require_estimates_fit(const Session& s, int samples, int settings, const char* flag,
                           int batch_episodes, const char* batch_name) {
  // K gradient estimates (P doubles, plus the vector's header and the allocator's) of every
  // setting; the session's batch and exact tables; the lab's own batch of N whole episodes (the
  // labs sample whole episodes whatever the run collects) with every setting's per-step arrays
  // over it (Q̂, b, ψ, G and the shared product's ψ column: 5 doubles a step; 100 settings × 10⁷
  // steps was 40 GB unasked). A world without a step limit bounds the lab's batch by batch_cap.
  const double P = s.policy().num_params();
  const double per_sample = settings * (8.0 * P + 48.0);
  const ResourceEstimate e = estimate_session(s.scenario(), s.env());
  const AlgorithmSettings& a = s.scenario().algorithm;
  const int N = batch_episodes > 0 ? batch_episodes : a.batch_episodes;
  const int limit = s.env().step_limit();
  const double lab_steps = limit > 0 ? static_cast<double>(N) * limit : 0.0;
  const double batch_need = lab_steps * (e.bytes_per_step + settings * 40.0);
  const double need = samples * per_sample + e.bytes() + batch_need;
  const MemoryBudget b = memory_budget();
  if (need <= b.bytes) return;
  const std::string budget =
      " of memory; the budget is " + format_bytes(b.bytes, need) + " (" + b.source + "); ";
  // The lab's own N (a view's slider, a command's option) or the scenario's batch size.
  const bool own = batch_episodes > 0;
  const Quantity estimates{flag, static_cast<double>(samples), 2.0, per_sample};
  const Quantity episodes{own ? std::string(batch_name) : std::string("algorithm.batch_episodes"),
                          static_cast<double>(N), 1.0,
                          limit > 0 ? limit * (e.bytes_per_step + settings * 40.0) : 0.0};
  std::string key;
  const std::string advice =
      lower_advice(estimates, episodes, e.bytes(), b.bytes, e.batch_lower, &key);
  if (key == episodes.flag) {
    throw InputError(key, count(settings) + " settings over batches of " + count(N) +
                              " episodes × up to " + count(limit) + " steps would need about " +
                              format_bytes(need, b.bytes) + budget + advice);
  }
  throw InputError(key, count(samples) + " estimates × " + count(settings) + " settings × " +
                            count(P) + " parameters would need about " +
                            format_bytes(need, b.bytes) + budget + advice);
}

void require_variance_fits(const Session& s, int samples) {
  require_estimates_fit(s, samples, static_cast<int>(all_settings(s).size()), "--samples");
}

namespace {

// Each snapshot is a whole session: a batch of `batch_steps` steps, the exact tables, and the
// networks with their optimizer state (a few copies of θ and φ).
double snapshot_bytes(const Session& s, double batch_steps) {
  const ResourceEstimate e = estimate_session(s.scenario(), s.env());
  const double P = s.policy().num_params() + (s.critic() ? s.critic()->num_params() : 0);
  // A copy holds one replay buffer (the second of replay_bytes is the build's, not the copy's).
  const double replay = 0.5 * e.replay_bytes;
  return batch_steps * e.bytes_per_step + e.exact_bytes + replay + 4.0 * 8.0 * P + 65536.0;
}

}  // namespace

int timeline_snapshots_that_fit(const Session& s) {
  // The batch this session holds (the next ones are as large where the settings bound them; in a
  // world without a step limit they are what the policy makes, and this follows them).
  const double fit =
      std::floor(memory_budget().bytes / snapshot_bytes(s, s.batch().num_steps())) - 2.0;
  return static_cast<int>(std::clamp(fit, 2.0, 1e6));
}

void require_timeline_fits(const Session& s, int max_snapshots) {
  // The batch the scenario declares at most (none in a world without a step limit, whose batches
  // the timeline follows as they come: timeline_snapshots_that_fit).
  const double per_snapshot =
      snapshot_bytes(s, estimate_session(s.scenario(), s.env()).batch_steps);
  const double need = (max_snapshots + 2.0) * per_snapshot;  // and the live run and a replay
  const MemoryBudget b = memory_budget();
  if (need <= b.bytes) return;
  const double fit = std::floor(b.bytes / per_snapshot) - 2.0;
  // --max-snapshots starts at 2: below that, the session itself is what to lower.
  // Below that, what makes a snapshot large: SAC's replay buffer, or the batch.
  const ResourceEstimate e = estimate_session(s.scenario(), s.env());
  const std::string advice =
      fit >= 2 ? "lower " + at_most_fit("--max-snapshots", fit)
      : 0.5 * e.replay_bytes > e.batch_bytes
          ? std::string(
                "not even 2 snapshots fit; lower sac.buffer_size (each snapshot copies the "
                "replay buffer)")
          : "not even 2 snapshots fit; lower the session's batch" +
                (e.batch_lower.empty() ? std::string() : " (" + e.batch_lower + ")");
  throw InputError("--max-snapshots",
                   count(max_snapshots) + " snapshots of a session of up to " +
                       format_bytes(per_snapshot) + " each would need about " +
                       format_bytes(need, b.bytes) + " of memory; the budget is " +
                       format_bytes(b.bytes, need) + " (" + b.source + "); " + advice);
}

void require_history_fits(const Session& s, double more, const std::string& key, int snapshots) {
  const ResourceEstimate e = estimate_session(s.scenario(), s.env());
  const double have = static_cast<double>(s.history().size());
  const double copies =
      snapshots > 0
          ? snapshots * snapshot_bytes(
                            s, std::max(e.batch_steps, static_cast<double>(s.batch().num_steps())))
          : 0.0;
  const double fixed = e.bytes() + copies;
  const double rows = have + more;
  const double need = fixed + rows * kHistoryRowBytes;
  const MemoryBudget b = memory_budget();
  if (need <= b.bytes) return;
  const double fit = std::floor((b.bytes - fixed) / kHistoryRowBytes - have);
  const std::string beside = snapshots > 0
                                 ? "the session and " + count(snapshots) +
                                       " copies of it for time travel (" + format_bytes(fixed) + ")"
                                 : "the session's " + format_bytes(fixed);
  const std::string advice =
      fit >= 1   ? "lower " + at_most_fit(key, fit)
      : have > 0 ? "not even 1 more iteration fits beside the " + count(have) +
                       " rows kept; start a fresh session"
                 : "not even 1 iteration fits; lower the session's batch" +
                       (e.batch_lower.empty() ? std::string() : " (" + e.batch_lower + ")");
  throw InputError(key, count(more) + (have > 0 ? " more" : "") + " iterations keep " +
                            (have > 0 ? count(rows) + " history rows (" + count(have) + " kept)"
                                      : count(rows) + " history rows") +
                            " at about " + format_bytes(kHistoryRowBytes) + " each: about " +
                            format_bytes(need, b.bytes) + " of memory with " + beside +
                            "; the budget is " + format_bytes(b.bytes, need) + " (" + b.source +
                            "); " + advice);
}

void require_seeds_fit(const Scenario& s, const Env& env, int threads, int seeds, int iterations,
                       double row_bytes, double aggregate_bytes, double output_bytes,
                       const SeedsKnobs& knobs) {
  const ResourceEstimate e = estimate_session(s, env);
  const MemoryBudget b = memory_budget();
  // A seed's session is never copied: one replay buffer each, not the room for a second that
  // estimate_session keeps (ResourceEstimate::replay_bytes counts two).
  const double each = e.bytes() - 0.5 * e.replay_bytes;
  const double sessions = each * threads;
  // No threads knob (the window picks them): the session's batch, or SAC's buffer, is what to
  // lower.
  const std::string lower_session =
      0.5 * e.replay_bytes > e.batch_bytes ? std::string("sac.buffer_size") : e.batch_lower;
  const std::string lower_threads =
      knobs.threads.empty() ? lower_session : knobs.threads + " or " + lower_session;
  const auto budget = [&](double need) {
    return "; the budget is " + format_bytes(b.bytes, need) + " (" + b.source + ")";
  };
  if (sessions > b.bytes)
    throw InputError(knobs.threads.empty() ? knobs.iterations : knobs.threads,
                     count(threads) + " seeds at once would need " +
                         format_bytes(sessions, b.bytes) + " (" + format_bytes(each) + " each" +
                         budget(sessions) + "): lower " + lower_threads);
  // Per iteration: a row of every kept history and of every live session's own (copied into the
  // kept one when its seed ends), the aggregate's row and the output's.
  const double per_iteration =
      (static_cast<double>(seeds) + threads) * row_bytes + aggregate_bytes + output_bytes;
  const double need = sessions + iterations * per_iteration;
  if (need <= b.bytes) return;
  const double room = b.bytes - sessions;
  const double fit_iterations = std::floor(room / per_iteration);
  // With the iterations asked, each seed's history costs iterations × row_bytes.
  const double fit_seeds =
      std::floor((room - iterations * (threads * row_bytes + aggregate_bytes + output_bytes)) /
                 (iterations * row_bytes));
  std::string advice;
  if (fit_iterations < 1) {  // the sessions leave no room for a row: fewer at once
    advice = "lower " + lower_threads;
  } else {
    advice = "lower " + knobs.iterations + " (at most " + count(fit_iterations) + " fit with " +
             count(seeds) + (seeds == 1 ? " seed)" : " seeds)");
    if (fit_seeds >= 1 && seeds > 1) advice += " or " + at_most_fit(knobs.seeds, fit_seeds);
  }
  throw InputError(knobs.iterations,
                   count(seeds) + (seeds == 1 ? " seed" : " seeds") + " × " + count(iterations) +
                       " iterations keep " + count(static_cast<double>(seeds) * iterations) +
                       " history rows (about " + format_bytes(per_iteration) +
                       " an iteration with the aggregate" +
                       (output_bytes > 0 ? " and its CSV" : "") + ") beside " + count(threads) +
                       (threads == 1 ? " session" : " sessions at once") + ": about " +
                       format_bytes(need, b.bytes) + " of memory" + budget(need) + "; " + advice);
}

void require_importance_fits(const Session& s, int episodes, int batches) {
  // One batch of N episodes from b (each up to the step limit; a world without one is bounded by
  // what b does, as a training batch is), and K estimates of three estimators.
  const ResourceEstimate e = estimate_session(s.scenario(), s.env());
  const int limit = s.env().step_limit();
  const double per_batch = limit > 0 ? static_cast<double>(limit) * e.bytes_per_step : 0.0;
  const double per_estimate = 3.0 * (8.0 * s.policy().num_params() + 48.0);
  const double need = episodes * per_batch + batches * per_estimate + e.bytes();
  const MemoryBudget b = memory_budget();
  if (need <= b.bytes) return;
  std::string key;
  const std::string advice =
      lower_advice({"--episodes", static_cast<double>(episodes), 1.0, per_batch},
                   {"--batches", static_cast<double>(batches), 2.0, per_estimate}, e.bytes(),
                   b.bytes, e.batch_lower, &key);
  const std::string each = limit > 0 ? "up to " + count(limit) + " steps each"
                                     : "no step limit: as long as b makes them";
  throw InputError(key, count(episodes) + " episodes per batch (" + each + ") and " +
                            count(batches) + " batches of three estimates would need about " +
                            format_bytes(need, b.bytes) + " of memory; the budget is " +
                            format_bytes(b.bytes, need) + " (" + b.source + "); " + advice);
}

}  // namespace pg
