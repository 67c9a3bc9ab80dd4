#include "session/session.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <exception>
#include <new>

#include "algo/a2c.h"
#include "algo/fault_advice.h"
#include "env/bandit.h"
#include "env/cartpole.h"
#include "env/continuous_bandit.h"
#include "env/grid_map.h"
#include "env/gridworld.h"
#include "env/pendulum.h"
#include "env/short_corridor.h"
#include "env/token_task.h"
#include "io/json_text.h"
#include "io/params.h"
#include "policy/gaussian.h"
#include "policy/mlp_softmax.h"
#include "policy/tabular_softmax.h"
#include "session/budget.h"
#include "util/cancel.h"
#include "util/error.h"
#include "util/text.h"

namespace pg {

const char* name_of(Phase p) {
  switch (p) {
    case Phase::kCollect:
      return "collect";
    case Phase::kEstimate:
      return "estimate";
    case Phase::kUpdate:
      return "update";
    case Phase::kEvaluate:
      return "evaluate";
  }
  return "?";
}

const char* name_of(Granularity g) {
  switch (g) {
    case Granularity::kEnvStep:
      return "env step";
    case Granularity::kEpisode:
      return "episode";
    case Granularity::kBatch:
      return "batch";
    case Granularity::kEstimate:
      return "estimate";
    case Granularity::kUpdate:
      return "update";
    case Granularity::kIteration:
      return "iteration";
  }
  return "?";
}

std::unique_ptr<Env> make_env(const Scenario& s) {
  const EnvSettings& e = s.env;
  auto limit = [&](int env_default) { return e.step_limit < 0 ? env_default : e.step_limit; };
  if (e.kind == EnvKind::kGridworld) {
    // An empty name read as the file "maps/.txt", and the message named no key.
    if (e.map.empty() && e.map_text.empty())
      throw InputError(where_in_source(s, "env.map"),
                       "empty; name a map in assets/maps/ (e.g. classic-4x4) or a .txt file");
    GridWorldConfig c;
    if (!e.map_text.empty()) {
      // Inline text (a session file's map_text, an edited world) is not the named map's file:
      // messages point at map_text.
      c.map = parse_grid_map(e.map_text, "map_text");
    } else {
      const std::string path = scenario_map_path(s);
      try {
        c.map = load_grid_map(path);
      } catch (const InputError& err) {
        // The file could not be read (a parse error names its own file:line:column): say which
        // key named it, on which line of the scenario, and where that led (audit a14 F4).
        if (err.where() != shorten_path(path)) throw;
        throw InputError(where_in_source(s, "env.map"),
                         path == e.map ? std::string(err.what())
                         : e.map.find('/') == std::string::npos &&
                                 path == asset_dir() + "/maps/" + e.map + ".txt"
                             ? "'" + printable(e.map) + "' → " + err.what()
                             : "'" + printable(e.map) + "' → " + err.what() +
                                   "; a relative path is read from the scenario file's folder");
      }
    }
    c.slip = e.slip;
    c.step_reward = e.step_reward;
    c.goal_reward = e.goal_reward;
    c.pit_reward = e.pit_reward;
    c.gamma = e.gamma;
    c.step_limit = limit(100);
    return std::make_unique<GridWorld>(c);
  }
  if (e.kind == EnvKind::kPendulum) {
    PendulumConfig c;
    c.gamma = e.gamma;
    c.step_limit = limit(200);
    return std::make_unique<Pendulum>(c);
  }
  if (e.kind == EnvKind::kContinuousBandit) {
    // γ = 1 and one step are the bandit's own (env.gamma and env.step_limit not read).
    ContinuousBanditConfig c;
    c.bumps = e.bumps;
    c.stddev = e.reward_std;
    return std::make_unique<ContinuousBandit>(c);
  }
  if (e.kind == EnvKind::kCartpole || e.kind == EnvKind::kContinuousCartpole) {
    CartPoleConfig c;
    c.continuous = e.kind == EnvKind::kContinuousCartpole;
    c.gamma = e.gamma;
    c.step_limit = limit(500);
    c.sutton_barto_reward = e.sutton_barto_reward;
    return std::make_unique<CartPole>(c);
  }
  if (e.kind == EnvKind::kShortCorridor) {
    ShortCorridorConfig c;
    c.gamma = e.gamma;
    c.step_limit = limit(1000);
    return std::make_unique<ShortCorridor>(c);
  }
  if (e.kind == EnvKind::kTokenTask) {
    // γ = 1 and the limit max_tokens are the task's own (env.gamma and env.step_limit not read).
    TokenTaskConfig c;
    c.digits = e.digits;
    c.max_tokens = e.max_tokens;
    c.tabular_policy = s.policy.kind == PolicyKind::kTabular;
    return std::make_unique<TokenTask>(c);
  }
  BanditConfig c;
  c.means = e.arm_means;
  c.reward_kind = e.reward_kind;
  c.stddev = e.reward_std;
  return std::make_unique<Bandit>(c);
}

void require_exact_fisher_fits(const Scenario& s, const Policy& policy) {
  if (!s.trpo.exact_fisher || !inapplicable_reason(s, "trpo.exact_fisher").empty()) return;
  const int P = policy.num_params();
  if (P <= kMaxExactFisherParams) return;
  // What makes P, and what to lower: the network's widths, or the world's observations × actions.
  const bool tabular = s.policy.kind == PolicyKind::kTabular;
  const std::string made_of = tabular
                                  ? "a tabular policy: this world's observations × actions"
                                  : "policy.hidden " + resolved_value(s, "policy.hidden").dump();
  throw InputError(where_in_source(s, "trpo.exact_fisher"),
                   "the exact Fisher matrix of this policy's " + std::to_string(P) +
                       " parameters (" + made_of + ") is too large: at most " +
                       std::to_string(kMaxExactFisherParams) +
                       " parameters; allowed: trpo.exact_fisher=false (the sampled Fisher), or " +
                       (tabular ? "a smaller world" : "a smaller policy.hidden"));
}

std::unique_ptr<Policy> make_policy(const Scenario& s, const Env& env,
                                    const std::atomic<bool>* cancel) {
  const PolicySettings& p = s.policy;
  if (p.kind == PolicyKind::kTabular) {
    if (env.num_obs() <= 0)
      throw InputError("policy.kind", env.name() + " has continuous observations; allowed: mlp");
    if (p.precision != name_of(Precision::kFloat64))
      throw InputError("policy.precision",
                       "a tabular policy computes in float64 (float32 applies to mlp and gaussian "
                       "policies); allowed here: float64");
    auto pol = std::make_unique<TabularSoftmax>(env.num_obs(), env.num_actions());
    if (!p.init_logits.empty()) {
      if (static_cast<int>(p.init_logits.size()) != env.num_actions())
        throw InputError("policy.init_logits", "expected one logit per action (" +
                                                   std::to_string(env.num_actions()) + " for " +
                                                   env.name() + "), got " +
                                                   std::to_string(p.init_logits.size()));
      pol->fill_rows(p.init_logits);
    }
    return pol;
  }
  if (!p.init_logits.empty())
    throw InputError("policy.init_logits",
                     "applies to tabular policies only; remove it or set policy.kind=tabular");
  const Precision precision = enum_from_valid_name<Precision>(p.precision);
  Rng rng = Rng::stream(s.seed, 0, 0, Purpose::kInit);
  if (p.kind == PolicyKind::kGaussian) {
    if (env.action_dim() <= 0)
      throw InputError("policy.kind", env.name() + " has discrete actions; allowed: tabular, mlp");
    GaussianConfig c;
    c.obs_dim = env.obs_dim();
    c.action_dim = env.action_dim();
    c.hidden = p.hidden;
    c.activation = enum_from_valid_name<Activation>(p.activation);
    c.state_dependent_std = p.log_std == "state-dependent";
    c.init_log_std = p.init_log_std;
    c.squash = p.squash;
    c.precision = precision;
    c.low.resize(c.action_dim);
    c.high.resize(c.action_dim);
    for (int i = 0; i < c.action_dim; ++i) {
      c.low[i] = env.action_low(i);
      c.high[i] = env.action_high(i);
    }
    return std::make_unique<GaussianPolicy>(c, rng, cancel);
  }
  if (env.action_dim() > 0)
    throw InputError("policy.kind", env.name() + " has continuous actions; allowed: gaussian");
  return std::make_unique<MlpSoftmax>(env.obs_dim(), p.hidden,
                                      enum_from_valid_name<Activation>(p.activation),
                                      env.num_actions(), rng, precision, cancel);
}

namespace {

std::unique_ptr<ValueFunction> make_session_critic(const Scenario& s, const Env& env,
                                                   const std::atomic<bool>* cancel = nullptr) {
  CriticConfig c;
  c.kind = s.critic.kind;
  c.lr = s.critic.lr;
  c.epochs = s.critic.epochs;
  c.hidden = s.critic.hidden;
  c.precision = enum_from_valid_name<Precision>(s.policy.precision);
  Rng rng = Rng::stream(s.seed, 0, 0, Purpose::kCritic);
  return make_critic(c, env.obs_dim(), env.num_obs(), rng, cancel);
}

}  // namespace

Session::Session(Scenario scenario, const std::atomic<bool>* cancel)
    : scenario_(std::move(scenario)), cancel_(cancel) {
  try {
    build();
  } catch (const InputError& e) {
    // Rules only the built session can check name a key; from a file they name its line too.
    if (e.where().find(':') != std::string::npos) throw;
    throw InputError(where_in_source(scenario_, e.where()), e.problem());
  }
}

void Session::set_cancel(const std::atomic<bool>* cancel) {
  cancel_ = cancel;
  if (critic_) critic_->set_cancel(cancel);
}

Session::Session(const Session& o)
    : scenario_(o.scenario_),
      run_id_(o.run_id_),
      cancel_(o.cancel_),
      statistics_wanted_(o.statistics_wanted_),
      env_(o.env_->clone()),
      policy_(o.policy_->clone()),
      batch_policy_(o.batch_policy_->clone()),
      critic_(o.critic_ ? o.critic_->clone() : nullptr),
      optimizer_(o.optimizer_->clone()),
      exact_(o.exact_),
      batch_exact_(o.batch_exact_),
      store_features_(o.store_features_),
      phase_(o.phase_),
      iteration_(o.iteration_),
      episodes_done_(o.episodes_done_),
      batch_steps_(o.batch_steps_),
      batch_cap_(o.batch_cap_),
      total_episodes_(o.total_episodes_),
      total_steps_(o.total_steps_),
      runner_(o.runner_),
      batch_(o.batch_),
      estimate_(o.estimate_),
      has_estimate_(o.has_estimate_),
      estimate_before_(o.estimate_before_),
      has_estimate_before_(o.has_estimate_before_),
      update_estimate_(o.update_estimate_),
      has_update_estimate_(o.has_update_estimate_),
      pending_clear_(o.pending_clear_),
      history_(o.history_),
      fault_(o.fault_),
      algorithm_(o.algorithm_->clone()),
      update_stats_(o.update_stats_),
      completed_returns_(o.completed_returns_),
      slots_(o.slots_),
      changes_(o.changes_),
      queued_(o.queued_),
      start_(o.start_),
      seg_step_(o.seg_step_),
      seg_slot_(o.seg_slot_),
      episode_return_(o.episode_return_),
      pending_world_(o.pending_world_),
      world_changes_(o.world_changes_),
      start_world_(o.start_world_) {}

void Session::build() {
  static std::atomic<uint64_t> runs{0};
  run_id_ = runs.fetch_add(1, std::memory_order_relaxed) + 1;
  env_ = make_env(scenario_);
  require_session_fits(scenario_,
                       *env_);  // refuses what cannot fit in memory, before allocating it
  batch_cap_ = batch_cap(scenario_, *env_);
  // A wide network's init takes seconds (eight 1024² QRs): cancellable, as the oracle below.
  policy_ = make_policy(scenario_, *env_, cancel_);
  batch_policy_ = policy_->clone();
  algorithm_ = make_algorithm(scenario_, cancel_);
  require_exact_fisher_fits(scenario_, *policy_);
  if (algorithm_->needs_whole_episodes() && segments())
    throw InputError(
        "algorithm.num_steps",
        std::string(algorithm_->name()) + " learns from whole episodes; set algorithm.num_steps=0");
  // The critic exists whenever the setting may use it, so toggling the baseline to critic mid-run
  // finds one (the REINFORCE family fits it only while the baseline is critic: critic_learns).
  critic_.reset();
  if (scenario_.critic.kind == CriticKind::kMlp || env_->num_obs() > 0)
    critic_ = make_session_critic(scenario_, *env_, cancel_);
  optimizer_ = make_optimizer(scenario_.algorithm.optimizer, scenario_.algorithm.lr);
  store_features_ = policy_->kind() != PolicyKind::kTabular ||
                    (critic_ && critic_->kind() != CriticKind::kTabular);
  exact_.reset();
  batch_exact_.reset();
  if (critic_) critic_->set_cancel(cancel_);
  if (env_->has_exact()) exact_ = exact_evaluate(*env_, *policy_, env_->step_limit(), cancel_);
  phase_ = Phase::kCollect;
  iteration_ = 0;
  total_episodes_ = total_steps_ = 0;
  history_.clear();
  fault_.clear();
  has_estimate_ = false;
  has_estimate_before_ = false;
  has_update_estimate_ = false;
  update_stats_.clear();
  completed_returns_.clear();
  // At most one episode ends per env step, so the collection never outgrows these.
  completed_returns_.reserve(segments() ? static_cast<size_t>(scenario_.algorithm.num_envs) *
                                              scenario_.algorithm.num_steps
                                        : static_cast<size_t>(scenario_.algorithm.batch_episodes));
  batch_.trajectories.clear();
  batch_exact_ = exact_;
  changes_.clear();
  queued_.clear();
  start_.reset();
  pending_world_.reset();
  world_changes_.clear();
  if (const auto* gw = dynamic_cast<const GridWorld*>(env_.get())) start_world_ = world_of(*gw);
  slots_.clear();
  if (segments()) {
    slots_.resize(scenario_.algorithm.num_envs);
    for (auto& slot : slots_) slot.env = env_->clone();
  }
  begin_iteration();
}

void Session::reset() {
  // Queued changes were validated when they were queued: they become part of the settings.
  if (!queued_.empty()) set_values(scenario_, queued_);
  build();
}

void Session::begin_iteration() {
  phase_ = Phase::kCollect;
  episodes_done_ = 0;
  // A batch ends with its last episode, so the runner is normally done here; a fresh one (which
  // would drop its scratch) only when it is not.
  if (!runner_.done()) runner_ = EpisodeRunner();
  seg_step_ = seg_slot_ = 0;
  pending_clear_ = true;
}

AlgoContext Session::context() {
  return AlgoContext{scenario_,     *env_,       *policy_,           *batch_policy_,
                     critic_.get(), *optimizer_, batch_exact(),      scenario_.seed,
                     iteration_,    cancel_,     statistics_wanted_, progress_};
}

bool Session::critic_learns() const {
  if (!critic_) return false;
  const AlgorithmInfo info = algorithm_->info(scenario_);
  return info.supports(Analysis::kAdvantageEstimators) ||
         (info.reinforce_settings && scenario_.estimator.baseline == Baseline::kCritic);
}

bool Session::step_collect() {
  if (pending_clear_) {
    // The previous batch stayed visible until now. Trajectory objects are kept (moved aside with
    // their buffers, then cleared and reused by next_trajectory()) so a warm session collects
    // without allocating.
    for (auto& tr : batch_.trajectories) spare_trajectories_.push_back(std::move(tr));
    batch_.trajectories.clear();
    batch_policy_->set_params(policy_->params());
    batch_exact_ = exact_;
    has_estimate_ = false;
    has_estimate_before_ = false;
    has_update_estimate_ = false;
    pending_clear_ = false;
    batch_steps_ = 0;
    completed_returns_.clear();
    AlgoContext ctx = context();
    algorithm_->begin_iteration(ctx);
    for (auto& slot : slots_) {
      slot.piece = -1;
      if (!slot.runner.done()) {
        // The episode goes on: a fresh piece for this iteration's batch.
        slot.runner.continue_into(*slot.env, next_trajectory());
        slot.piece = batch_.size() - 1;
      }
    }
  }
  if (segments()) return step_segments();

  const int N = scenario_.algorithm.batch_episodes;
  const Policy* sampler = algorithm_->sampling_policy();
  if (runner_.done()) {
    Trajectory& fresh = next_trajectory();
    algorithm_->before_episode(*env_, iteration_, episodes_done_);
    runner_.begin(*env_, scenario_.seed, iteration_, episodes_done_, store_features_, fresh);
    episode_return_ = 0.0;
  }
  Trajectory& tr = batch_.trajectories.back();
  const bool ended = runner_.step(*env_, sampler ? *sampler : *policy_, tr);
  episode_return_ += tr.rewards.back();
  ++total_steps_;
  ++batch_steps_;
  // As sample_batch counts: the step that ends an episode never overflows the batch.
  if (!ended) batch_cap_.check(batch_steps_, episodes_done_, N);
  if (ended) {
    ++episodes_done_;
    ++total_episodes_;
    completed_returns_.push_back(episode_return_);
  }
  return ended && episodes_done_ == N;
}

bool Session::step_segments() {
  // Round robin over the slots: step k of every environment before step k + 1 of any.
  const int T = scenario_.algorithm.num_steps;
  const Policy* sampler = algorithm_->sampling_policy();
  const Policy& policy = sampler ? *sampler : *policy_;
  if (seg_slot_ == 0) prefetch_round_probs(policy);
  Slot& slot = slots_[seg_slot_];
  const int index = seg_slot_;
  if (slot.runner.done()) {
    next_trajectory();
    slot.piece = batch_.size() - 1;
    // Each slot's episodes have their own streams: episode e of slot k is the same whatever else
    // ran.
    const uint64_t stream = (1ULL << 41) + static_cast<uint64_t>(index);
    algorithm_->before_episode(*slot.env, iteration_, static_cast<int>(slot.episode));
    slot.runner.begin(*slot.env, scenario_.seed, stream, static_cast<uint64_t>(slot.episode),
                      store_features_, batch_.trajectories.back());
    ++slot.episode;
    slot.episode_return = 0.0;
  }
  Trajectory& tr = batch_.trajectories[slot.piece];
  const bool prefetched = slot.probs_iteration == iteration_ && slot.probs_seg_step == seg_step_ &&
                          slot.probs_episode == slot.episode &&
                          slot.probs_episode_step == slot.runner.episode_step();
  const bool ended = prefetched ? slot.runner.step_with_probs(*slot.env, slot.probs.data(), tr)
                                : slot.runner.step(*slot.env, policy, tr);
  slot.probs_iteration = -1;
  slot.episode_return += tr.rewards.back();
  ++total_steps_;
  if (ended) {
    ++episodes_done_;
    ++total_episodes_;
    completed_returns_.push_back(slot.episode_return);
  }
  if (++seg_slot_ == static_cast<int>(slots_.size())) {
    seg_slot_ = 0;
    if (++seg_step_ == T) {
      // The segment ends: pieces of episodes that go on are cut (bootstrapped from V(s_T)).
      for (auto& sl : slots_) {
        if (sl.runner.done() || sl.piece < 0) continue;
        Trajectory& piece = batch_.trajectories[sl.piece];
        piece.cut = true;
        if (store_features_) sl.env->observe(piece.final_obs.data());
        piece.final_state = sl.env->state_index();
      }
      return true;
    }
  }
  return false;
}

void Session::prefetch_round_probs(const Policy& policy) {
  const auto* mlp = dynamic_cast<const MlpSoftmax*>(&policy);
  if (!mlp || !mlp->batch_columns_exact() || slots_.size() < 2) return;
  const int d = mlp->obs_dim(), A = mlp->num_actions(), K = static_cast<int>(slots_.size());
  if (round_x_.rows() != d || round_x_.cols() < K) {
    round_x_.resize(d, K);
    round_p_.resize(A, K);
  }
  int k = 0;
  for (const Slot& slot : slots_)
    if (!slot.runner.done()) slot.env->observe(round_x_.col(k++).data());
  if (k == 0) return;
  mlp->probs_batch(round_x_.leftCols(k), round_p_.leftCols(k));
  k = 0;
  for (Slot& slot : slots_) {
    if (slot.runner.done()) continue;  // its next episode begins at its turn: sampled then
    const double* p = round_p_.col(k++).data();
    slot.probs.assign(p, p + A);
    slot.probs_iteration = iteration_;
    slot.probs_seg_step = seg_step_;
    slot.probs_episode = slot.episode;
    slot.probs_episode_step = slot.runner.episode_step();
  }
}

Trajectory& Session::next_trajectory() {
  if (spare_trajectories_.empty()) {
    batch_.trajectories.emplace_back();
  } else {
    batch_.trajectories.push_back(std::move(spare_trajectories_.back()));
    spare_trajectories_.pop_back();
  }
  Trajectory& tr = batch_.trajectories.back();
  if (segments()) {
    // A piece has at most num_steps steps: size it once so no later piece grows it.
    const size_t T = static_cast<size_t>(scenario_.algorithm.num_steps);
    if (store_features_) tr.obs.reserve(T * static_cast<size_t>(env_->obs_dim()));
    tr.obs_index.reserve(T);
    tr.state.reserve(T);
    tr.actions.reserve(T);
    tr.rewards.reserve(T);
    tr.logp.reserve(T);
  }
  return tr;
}

BaselineSources Session::sources() const {
  BaselineSources src;
  src.exact = batch_exact();
  src.critic = critic_.get();
  return src;
}

void Session::do_estimate() {
  AlgoContext ctx = context();
  estimate_.entropy.clear();  // filled again only by an estimator whose forward computes it
  estimate_.deferred_gradient = Estimate::DeferredGradient::kNone;  // set only by one that defers ĝ
  algorithm_->estimate(ctx, batch_, estimate_);
  has_estimate_ = true;
  phase_ = Phase::kUpdate;
}

void Session::do_update() {
  if (scenario_.algorithm.anneal_lr) {
    // Linear decay to 0 over the run (CleanRL's schedule): α_i = α (1 − i / iterations).
    const double frac = 1.0 - static_cast<double>(iteration_) / scenario_.algorithm.iterations;
    optimizer_->set_lr(scenario_.algorithm.lr * std::max(frac, 0.0));
  }
  AlgoContext ctx = context();
  update_stats_.clear();
  fault_ = algorithm_->update(ctx, batch_, estimate_, update_stats_);
  if (fault_.empty()) fault_ = update_fault();
  if (!fault_.empty()) return;
  // The update stepped from the current estimate: a flip before it leaves no before → after.
  has_estimate_before_ = false;
  phase_ = Phase::kEvaluate;
}

namespace {
constexpr int kEntropySample = 256;
}  // namespace

double Session::sampled_entropy(const Policy& p) {
  // The first ⌈256 / N⌉ steps of every trajectory: spread over the batch, bounded in cost.
  const int N = batch_.size();
  if (N == 0) return 0.0;
  const int per = std::max(1, (kEntropySample + N - 1) / N);
  check_logp_.resize(kEntropySample);
  check_entropy_.resize(kEntropySample);
  double h = 0.0;
  int M = 0;
  for (const auto& tr : batch_.trajectories) {
    const int n = std::min({tr.length(), per, kEntropySample - M});
    if (n <= 0) continue;
    const Eigen::Map<const Eigen::MatrixXd> X(tr.obs.data(), tr.obs_dim, n);
    p.log_prob_batch(X, tr.obs_index.data(), tr.all_actions(), n, check_logp_.data(),
                     check_entropy_.data());
    for (int t = 0; t < n; ++t) h += check_entropy_[t];
    M += n;
  }
  return M > 0 ? h / M : 0.0;
}

std::string Session::update_fault() {
  // An update is not to be trusted when (a) it moved θ by far more than θ's own size, or (b) it
  // took a policy that still explored to one that no longer does. Both follow an exploding
  // gradient (huge rewards with a large SGD step: ‖ĝ‖ = 1e10 saturates every softmax, after which
  // entropy and gradient are exactly 0 and training silently stops).
  //
  // (a) ‖Δθ‖ > 100 (‖θ_old‖ + 1). Logits that move by 50 already make a softmax deterministic
  //     (e^-50 ≈ 2e-22), so a step 100 × the parameters' size (+1: θ starts at 0) is never
  //     learning. Adam moves each parameter by about lr per step, so honest steps stay near
  //     lr·√P per optimizer step; over all 19 shipped scenarios, each run for its iterations, the
  //     largest ratio measured was 1.94 (four-rooms-reinforce; issue 8), 50× below the bound.
  // (b) The mean entropy over the batch's states (a sample of ≤ 256 steps) falls from at least
  //     0.05 nats to below 1e-4 of it in one update: for two actions, from p_min ≈ 1 % to
  //     p_min ≈ 3e-7, a jump of ≈ 10 in the logits' gap. The smallest ratio H_new / H_old measured
  //     over the shipped scenarios' runs was 0.75 (grpo-token-task-mlp), four orders above it.
  const Eigen::VectorXd& theta_old = batch_policy_->params();
  const Eigen::VectorXd& theta = policy_->params();
  const double old_norm = theta_old.norm();
  const double step = (theta - theta_old).norm();  // no temporary: one reduction
  const bool exploded = step > 100.0 * (old_norm + 1.0);
  double h_old = 0.0, h_new = 0.0;
  bool collapsed = false;
  if (!exploded && policy_->action_dim() > 0) {
    // A density's entropy has no floor at 0 (log σ + ½ log 2πe per dimension): a collapse is σ
    // shrinking by e^10 or more in every dimension in one update (honest steps move log σ by ~lr).
    h_old = sampled_entropy(*batch_policy_);
    h_new = sampled_entropy(*policy_);
    collapsed = h_new < h_old - 10.0 * policy_->action_dim();
  } else if (!exploded) {
    // H_old ≤ log A (a softmax over A actions), so H_new ≥ 1e-4 log A already rules the collapse
    // out: the pass at θ_old runs only when H_new is that small (the same verdict, one pass less).
    h_new = sampled_entropy(*policy_);
    if (h_new < 1e-4 * std::log(static_cast<double>(policy_->num_actions()))) {
      h_old = sampled_entropy(*batch_policy_);
      collapsed = h_old >= 0.05 && h_new < 1e-4 * h_old;
    }
  }
  if (!exploded && !collapsed) return {};  // (the message is built only when needed: no allocation)
  auto g = [](double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3g", v);
    return std::string(buf);
  };
  // ‖ĝ‖ at the batch's θ, the same number whoever runs the session: a lean estimate
  // (set_statistics_wanted(false), `pglab train`) may have deferred ĝ, so the (rare) fault
  // computes it here the way the estimate says, the same pass and bits as the full estimate's (the
  // window's and the shot's). (Only PPO's estimate defers it today: actor-critic's ψ, D = M.)
  if (!has_gradient() && estimate_.deferred_gradient == Estimate::DeferredGradient::kActorCritic)
    actor_critic_gradient(batch_, *batch_policy_, estimate_);
  const std::string gnorm =
      has_gradient() ? g(estimate_.gradient.norm()) : std::string("not computed");
  const std::string at = "the update at iteration " + std::to_string(iteration_);
  const std::string fix = "; " + fault_advice(scenario_, true);
  const std::string why =
      exploded
          ? at + " moved the parameters by " + g(step) + " (their size was " + g(old_norm) +
                "): an exploding step (gradient norm " + gnorm + ")" + fix
          : at + " collapsed the policy's entropy from " + g(h_old) + " to " + g(h_new) +
                (policy_->action_dim() > 0
                     ? " nats: σ shrank by e^10 or more in one step (gradient norm was "
                     : " nats: a saturated softmax, whose gradient is 0 from now on (gradient norm "
                       "was ") +
                gnorm + ")" + fix;
  policy_->set_params(theta_old);  // the run pauses at θ before the step
  return why;
}

void Session::do_evaluate() {
  IterationRecord rec;
  rec.iteration = iteration_;
  rec.episodes = total_episodes_;
  rec.steps = total_steps_;
  // Episodes that ended this iteration (all of the batch's, with whole episodes).
  const double n = static_cast<double>(completed_returns_.size());
  double s = 0.0, s2 = 0.0;
  for (double r : completed_returns_) {
    s += r;
    s2 += r * r;
  }
  rec.return_mean = n > 0 ? s / n : std::numeric_limits<double>::quiet_NaN();
  rec.return_std = n > 0 ? std::sqrt(std::max(0.0, s2 / n - rec.return_mean * rec.return_mean))
                         : std::numeric_limits<double>::quiet_NaN();
  // (An estimate that skipped ĝ, set_statistics_wanted(false), has none to measure.)
  rec.grad_norm =
      has_gradient() ? estimate_.gradient.norm() : std::numeric_limits<double>::quiet_NaN();
  // Mean H(π(·|s_t)) at the batch's θ, summed in the batch's step order: the estimate's per-step
  // H when its forward computed it for this batch (the same bits as the pass here:
  // Policy::batch_columns_exact), else one batched evaluation per trajectory, unless nothing
  // reads it (set_statistics_wanted(false): NaN, not computed).
  const int M = batch_.num_steps();
  const bool from_estimate = M > 0 && static_cast<int>(estimate_.entropy.size()) == M;
  double h = 0.0;
  if (from_estimate)
    for (double e : estimate_.entropy) h += e;
  else if (!statistics_wanted_)
    h = std::numeric_limits<double>::quiet_NaN();
  else
    for (const auto& tr : batch_.trajectories) {
      const int T = tr.length();
      if (T == 0) continue;
      if (static_cast<int>(eval_entropy_.size()) < T) {
        // Segment pieces have at most num_steps steps: one resize covers every later piece.
        eval_logp_.resize(std::max(T, scenario_.algorithm.num_steps));
        eval_entropy_.resize(eval_logp_.size());
      }
      // Trajectory::obs is T rows of obs_dim, row-major = obs_dim × T column-major (0 × T: no
      // features).
      const Eigen::Map<const Eigen::MatrixXd> X(tr.obs.data(), tr.obs_dim, T);
      batch_policy_->log_prob_batch(X, tr.obs_index.data(), tr.all_actions(), T, eval_logp_.data(),
                                    eval_entropy_.data());
      for (int t = 0; t < T; ++t) h += eval_entropy_[t];
    }
  rec.entropy = M > 0 ? h / M : 0.0;
  if (batch_exact_) rec.exact_J = batch_exact_->J;
  rec.settings_epoch = static_cast<int>(changes_.size());
  history_.push_back(rec);
  if (env_->has_exact()) exact_ = exact_evaluate(*env_, *policy_, env_->step_limit(), cancel_);
  ++iteration_;
  begin_iteration();
  if (pending_world_) {
    const GridWorldSpec w = std::move(*pending_world_);
    pending_world_.reset();
    apply_world(w);
  }
  apply_queued();
}

bool Session::advance(Granularity g) {
  if (!fault_.empty()) return false;
  try {
    return advance_unit(g);
  } catch (const Cancelled&) {
    fault_ = std::string("stopped on request in phase ") + name_of(phase_) + " of iteration " +
             std::to_string(iteration_) + "; reset to start again";
    throw;
  } catch (const std::bad_alloc&) {
    // Work that cannot go on mid-iteration pauses the session with its reason (exit 1 on the
    // command line) instead of escaping: the window's runner thread would end the app.
    fault_ = std::string("out of memory in phase ") + name_of(phase_) + " of iteration " +
             std::to_string(iteration_) + "; reset to start again";
    return false;
  } catch (const std::exception& e) {
    // E.g. the exact oracle refusing a θ training reached (episodes that almost never end).
    fault_ = std::string("iteration ") + std::to_string(iteration_) + ", phase " + name_of(phase_) +
             ": " + e.what() + "; reset to start again";
    return false;
  }
}

bool Session::advance_unit(Granularity g) {
  for (;;) {
    throw_if_cancelled(cancel_);
    switch (phase_) {
      case Phase::kCollect: {
        const long episodes_before = total_episodes_;
        const bool batch_done = step_collect();
        if (batch_done) phase_ = Phase::kEstimate;
        if (g == Granularity::kEnvStep) return true;
        // An episode ended (in segment collection: any environment's), or the batch did (a
        // segment ends mid-episode). With whole episodes the batch ends with an episode.
        if (g == Granularity::kEpisode && (total_episodes_ != episodes_before || batch_done))
          return true;
        if (g == Granularity::kBatch && batch_done) return true;
        break;
      }
      case Phase::kEstimate:
        do_estimate();
        if (g <= Granularity::kEstimate) return true;
        break;
      case Phase::kUpdate:
        do_update();
        if (!fault_.empty()) return false;
        if (g <= Granularity::kUpdate) return true;
        break;
      case Phase::kEvaluate:
        do_evaluate();  // ends the iteration: every granularity stops here
        return true;
    }
  }
}

bool Session::run_iterations(int n) {
  for (int i = 0; i < n; ++i)
    if (!advance(Granularity::kIteration)) return false;
  return true;
}

void Session::set_estimator(const EstimatorConfig& c) {
  Scenario next = scenario_;
  set_values(next, {{"estimator.returns", name_of(c.returns)},
                    {"estimator.baseline", name_of(c.baseline)},
                    {"estimator.normalize", c.normalize},
                    {"estimator.discount_weighting", c.discount_weighting}});
  if (c.baseline == Baseline::kExactValue && !env_->has_exact())
    throw InputError("estimator.baseline",
                     "exact-value needs a finite world (" + finite_env_names() + ")");
  if (c.baseline == Baseline::kCritic && !critic_)
    throw InputError("estimator.baseline", "critic needs critic.kind=mlp in this environment");
  // Every path that changes them (set_live, a fork, a session file's changes) comes here: a
  // change the algorithm would ignore is refused with set_live's words.
  const AlgorithmInfo info = algorithm_->info(scenario_);
  for (const char* name : kEstimatorSettings) {
    const std::string key = std::string("estimator.") + name;
    if (resolved_value(scenario_, key) != resolved_value(next, key))
      if (const std::string problem = live_key_problem(scenario_, info, key); !problem.empty())
        throw InputError(key, problem);
  }
  // Recorded key by key (live_keys() order), at the position they are made (replay_changes).
  for (const char* name : kEstimatorSettings) {
    const std::string key = std::string("estimator.") + name;
    nlohmann::json before = resolved_value(scenario_, key), after = resolved_value(next, key);
    if (before == after) continue;
    if (!start_) start_ = std::make_shared<const Scenario>(scenario_);
    changes_.push_back({iteration_, name_of(phase_), key, std::move(before), std::move(after)});
  }
  scenario_ = std::move(next);
  // Live: the current batch re-estimated at once, on the same trajectories and at the same θ_old
  // (batch_policy_, batch_exact_). Only for algorithms whose estimate is REINFORCE's settings: an
  // actor-critic's estimate reads a critic the update has since refitted.
  if (has_estimate_ && batch_complete() && algorithm_->info(scenario_).reinforce_settings) {
    // The first flip after the update keeps the estimate the update stepped from.
    const bool updated =
        phase_ == Phase::kEvaluate || (phase_ == Phase::kCollect && pending_clear_);
    if (updated && !has_update_estimate_) {
      update_estimate_ = estimate_;
      has_update_estimate_ = true;
    }
    // "Before" is what the teacher compares to, kept across flips (a second flip overwrote it
    // with the first flip's estimate): the estimate the update stepped from, or before the update
    // the batch's estimate as it was before the first flip.
    if (!has_estimate_before_) {
      estimate_before_ = has_update_estimate_ ? update_estimate_ : estimate_;
      has_estimate_before_ = true;
    }
    AlgoContext ctx = context();
    algorithm_->estimate(ctx, batch_, estimate_);
    // Flipped back to the settings "before" had: nothing to compare, no before → after.
    if (estimate_.config == estimate_before_.config) has_estimate_before_ = false;
  }
}

Scenario Session::checked_live_change(const Scenario& base, const std::string& key,
                                      const nlohmann::json& value) const {
  const LiveKey* live = find_live_key(key);
  if (!live) {
    if (!find_param(key)) {
      Scenario probe = base;
      set_value(probe, key, value);  // throws "unknown key; allowed: …"
    }
    throw InputError(key,
                     "cannot change during a run (Apply & reset, or --set, changes it); "
                     "live keys: " +
                         live_key_names());
  }
  const std::string problem = live_key_problem(base, algorithm_->info(base), key);
  if (!problem.empty()) throw InputError(key, problem);
  Scenario next = base;
  set_value(next, key, value);  // the key table's checks, with --set's messages
  if (key == "algorithm.num_steps" && next.algorithm.num_steps == 0)
    throw InputError(key,
                     "0 switches to whole episodes, which needs a reset; allowed live: an "
                     "integer in [1, 100000]");
  (void)make_algorithm(next);  // the algorithm's own checks (NPG: no entropy bonus; online A2C)
  require_session_fits(next, *env_);
  return next;
}

void Session::apply_live(const std::string& key, Scenario next) {
  nlohmann::json before = resolved_value(scenario_, key), after = resolved_value(next, key);
  if (before == after) return;
  if (!start_) start_ = std::make_shared<const Scenario>(scenario_);
  changes_.push_back({iteration_, name_of(phase_), key, std::move(before), std::move(after)});
  scenario_ = std::move(next);
  batch_cap_ = batch_cap(scenario_, *env_);
  algorithm_->settings_changed(scenario_);
  const AlgorithmSettings& a = scenario_.algorithm;
  // With anneal_lr the update sets α (1 − i / iterations) from algorithm.lr itself.
  if (key == "algorithm.lr" && !a.anneal_lr) optimizer_->set_lr(a.lr);
  if (key == "algorithm.optimizer" && optimizer_->name() != a.optimizer)
    optimizer_ = make_optimizer(a.optimizer, optimizer_->lr());  // fresh: Adam's m = v = 0, t = 0
  if (key == "algorithm.num_envs") {
    const size_t n = static_cast<size_t>(a.num_envs);
    while (slots_.size() > n) slots_.pop_back();
    while (slots_.size() < n) {
      slots_.emplace_back();
      slots_.back().env = env_->clone();
    }
  }
  completed_returns_.reserve(segments() ? static_cast<size_t>(a.num_envs) * a.num_steps
                                        : static_cast<size_t>(a.batch_episodes));
}

bool Session::set_live(const std::string& key, const nlohmann::json& value) {
  if (const LiveKey* live = find_live_key(key); live && live->estimator) {
    // Refused where the algorithm ignores it (PPO, SAC, …), as every other live key is.
    const std::string problem = live_key_problem(scenario_, algorithm_->info(scenario_), key);
    if (!problem.empty()) throw InputError(key, problem);
    Scenario next = scenario_;
    set_value(next, key, value);  // the key table's checks, with --set's messages
    set_estimator(next.estimator);
    return true;
  }
  // Validated against the settings as they will be when the queue is applied.
  Scenario base = scenario_;
  if (!queued_.empty()) set_values(base, queued_);
  Scenario next = checked_live_change(base, key, value);
  if (at_iteration_boundary()) {
    apply_live(key, std::move(next));
    return true;
  }
  for (auto& [k, v] : queued_)
    if (k == key) {
      v = value;
      return false;
    }
  queued_.emplace_back(key, value);
  return false;
}

void Session::apply_queued() {
  std::vector<std::pair<std::string, nlohmann::json>> queue;
  queue.swap(queued_);
  for (const auto& [key, value] : queue) {
    // Checked when queued, against these same settings; a failure now (the memory budget moved)
    // leaves the setting as it was.
    try {
      apply_live(key, checked_live_change(scenario_, key, value));
    } catch (const InputError&) {
    }
  }
}

Estimate Session::estimate_with(const EstimatorConfig& c) const {
  // Reachable from the views (a user picks a view on any algorithm): bad input, not a programmer
  // mistake, so a typed error the caller shows rather than an assert.
  if (segments())
    throw InputError("estimator",
                     "REINFORCE's returns and baselines need whole episodes; this " +
                         std::string(algorithm_->name()) +
                         " session collects fixed-length segments (algorithm.num_steps > 0)");
  if (!batch_complete())
    throw InputError("estimator", "no complete batch yet; advance past the collect phase first");
  Estimate e;
  estimate_reinforce(batch_, *batch_policy_, env_->gamma(), c, sources(), e);
  return e;
}

Session Session::fork_with(const EstimatorConfig& c) const {
  Session s(*this);
  s.set_estimator(c);
  return s;
}

Session Session::fork_with(const std::string& key, const nlohmann::json& value) const {
  if (!at_iteration_boundary())
    throw InputError(key, std::string("a fork starts at an iteration boundary; this session is in "
                                      "phase ") +
                              name_of(phase_) + " of iteration " + std::to_string(iteration_));
  Session s(*this);
  if (key != "seed") {
    s.set_live(key, value);
    return s;
  }
  // Every random stream is keyed by the seed (DESIGN.md §2): from here on the fork draws new ones.
  // The run started with the old seed, so its start scenario keeps it.
  Scenario next = s.scenario_;
  set_value(next, "seed", value);  // the key table's range and message
  if (!s.start_) s.start_ = std::make_shared<const Scenario>(s.scenario_);
  s.scenario_ = std::move(next);
  s.algorithm_->settings_changed(s.scenario_);
  return s;
}

namespace {

int phase_rank(const std::string& phase) {
  for (Phase p : {Phase::kCollect, Phase::kEstimate, Phase::kUpdate, Phase::kEvaluate})
    if (phase == name_of(p)) return static_cast<int>(p);
  return -1;
}

}  // namespace

bool replay_changes(Session& s, const std::vector<SettingChange>& changes, int iteration,
                    const std::function<void(Session&)>& at_boundary) {
  // One iteration on, then whatever happens at the boundary it reaches.
  auto next_iteration = [&] {
    if (!s.advance(Granularity::kIteration)) return false;
    if (at_boundary) at_boundary(s);
    return true;
  };
  if (at_boundary && s.at_iteration_boundary()) at_boundary(s);
  auto where = [](size_t k) { return "changes[" + std::to_string(k) + "]"; };
  size_t k = 0;
  while (k < changes.size()) {
    const SettingChange& c = changes[k];
    const LiveKey* live = find_live_key(c.key);
    const int rank = phase_rank(c.phase);
    if (!live)
      throw InputError(where(k),
                       quote(c.key) + " is not a live key; live keys: " + live_key_names());
    if (rank < 0 || (!live->estimator && rank != 0))
      throw InputError(where(k), "phase " + quote(c.phase) + "; expected " +
                                     (live->estimator ? "collect, estimate, update or evaluate"
                                                      : "collect (an iteration boundary)"));
    if (c.iteration > iteration)
      throw InputError(where(k), "iteration " + std::to_string(c.iteration) +
                                     " is after the session's position " +
                                     std::to_string(iteration));
    // To the position: the iteration, then the phase.
    while (s.iteration() < c.iteration)
      if (!next_iteration()) return false;
    const Granularity next_phase[] = {Granularity::kBatch, Granularity::kEstimate,
                                      Granularity::kUpdate};
    while (s.iteration() == c.iteration && static_cast<int>(s.phase()) < rank)
      if (!s.advance(next_phase[static_cast<int>(s.phase())])) return false;
    if (s.iteration() != c.iteration || static_cast<int>(s.phase()) != rank)
      throw InputError(where(k), "made at iteration " + std::to_string(c.iteration) + ", phase " +
                                     c.phase + ", which comes before the change listed above it");
    // The group: this change, and (estimator toggles) the ones one set_estimator call recorded.
    size_t end = k + 1;
    if (live->estimator)
      while (end < changes.size() && changes[end].iteration == c.iteration &&
             changes[end].phase == c.phase && find_live_key(changes[end].key) &&
             find_live_key(changes[end].key)->estimator &&
             find_live_key(changes[end].key) > find_live_key(changes[end - 1].key))
        ++end;
    Scenario next = s.scenario();
    for (size_t j = k; j < end; ++j) {
      const nlohmann::json now = resolved_value(s.scenario(), changes[j].key);
      if (now != changes[j].old_value)
        throw InputError(where(j) + ".old", brief_json(changes[j].old_value, 60) +
                                                " but the replayed run has " + brief_json(now, 60) +
                                                " there — refused");
    }
    try {
      if (live->estimator) {
        std::vector<std::pair<std::string, nlohmann::json>> values;
        for (size_t j = k; j < end; ++j) values.emplace_back(changes[j].key, changes[j].new_value);
        set_values(next, values);
        s.set_estimator(next.estimator);
      } else {
        s.set_live(c.key, c.new_value);
      }
    } catch (const InputError& e) {
      throw InputError(where(k), e.what());
    }
    k = end;
  }
  while (s.iteration() < iteration)
    if (!next_iteration()) return false;
  return true;
}

bool replay_run(Session& s, const std::vector<SettingChange>& changes,
                const std::vector<WorldChange>& edits, int iteration, std::atomic<int>* progress,
                const std::function<void(const Session&)>& observe) {
  size_t next = 0;
  auto edits_due = [&](Session& to) {
    if (progress) progress->store(to.iteration(), std::memory_order_relaxed);
    if (observe) observe(to);
    for (; next < edits.size() && edits[next].iteration == to.iteration(); ++next) {
      try {
        to.set_world(edits[next].world);
      } catch (const InputError& e) {
        throw InputError("world_edits[" + std::to_string(next) + "]", e.problem());
      }
    }
  };
  return replay_changes(s, changes, iteration, edits_due);
}

std::vector<ScheduledChange> check_scheduled_changes(const Session& s,
                                                     std::vector<ScheduledChange> plan, int last,
                                                     bool used_at_last) {
  std::stable_sort(
      plan.begin(), plan.end(),
      [](const ScheduledChange& a, const ScheduledChange& b) { return a.iteration < b.iteration; });
  if (plan.empty()) return plan;  // no copy of the session to check nothing (SAC's buffer is large)
  Session probe(s);
  for (const ScheduledChange& c : plan) {
    const std::string flag = "--change " + quote(c.text);
    if (c.iteration < s.iteration())
      throw InputError(flag, "iteration " + std::to_string(c.iteration) +
                                 " is before the session's iteration " +
                                 std::to_string(s.iteration()));
    if (c.iteration > last)
      throw InputError(flag, "iteration " + std::to_string(c.iteration) +
                                 " is never reached: this run ends at iteration " +
                                 std::to_string(last));
    if (c.iteration == last && !used_at_last)
      throw InputError(flag, "iteration " + std::to_string(c.iteration) +
                                 " is where this run ends: the change would apply to no "
                                 "iteration; give an iteration below " +
                                 std::to_string(last) + " (or --save to keep it in the session)");
    for (const ScheduledChange& d : plan) {
      if (&d == &c) break;
      if (d.iteration == c.iteration && d.key == c.key)
        throw InputError(flag, "changes " + c.key + " at iteration " + std::to_string(c.iteration) +
                                   " again, after --change " + quote(d.text) +
                                   "; one value per key and iteration");
    }
    try {
      probe.set_live(c.key, c.value);
    } catch (const InputError& e) {
      throw InputError(flag, e.what());
    }
  }
  return plan;
}

void make_due_changes(Session& s, const std::vector<ScheduledChange>& plan) {
  for (const ScheduledChange& c : plan)
    if (c.iteration == s.iteration()) s.set_live(c.key, c.value);
}

bool run_with_changes(Session& s, int n, const std::vector<ScheduledChange>& plan) {
  for (int i = 0; i < n; ++i) {
    make_due_changes(s, plan);
    if (!s.advance(Granularity::kIteration)) return false;
  }
  make_due_changes(s, plan);
  return true;
}

}  // namespace pg

namespace pg {

namespace {

// For each state of `to`, the state of `from` on the same cell, or −1 (a new non-wall cell).
std::vector<int> states_by_cell(const GridWorld& from, const GridWorld& to) {
  std::vector<int> old_of(static_cast<size_t>(to.num_obs()), -1);
  if (from.rows() != to.rows() || from.cols() != to.cols()) return old_of;
  for (int s = 0; s < to.num_obs(); ++s) {
    const auto [r, c] = to.cell_of_state(s);
    old_of[static_cast<size_t>(s)] = from.state_of_cell(r, c);
  }
  return old_of;
}

bool identity(const std::vector<int>& old_of, int old_count) {
  if (static_cast<int>(old_of.size()) != old_count) return false;
  for (size_t s = 0; s < old_of.size(); ++s)
    if (old_of[s] != static_cast<int>(s)) return false;
  return true;
}

}  // namespace

Scenario scenario_with_world(const Scenario& sc, const GridWorldSpec& w) {
  Scenario next = sc;
  set_values(next, {{"env.slip", w.slip}, {"env.gamma", w.gamma}});
  next.env.map_text = serialize_grid_map(w.map);
  return next;
}

GridWorldSpec Session::world() const {
  const auto* gw = dynamic_cast<const GridWorld*>(env_.get());
  if (!gw)
    throw InputError("env.kind", "only gridworlds are edited by hand; this is " + env_->name());
  return world_of(*gw);
}

void Session::check_world(const GridWorldSpec& w) const {
  const auto* gw = dynamic_cast<const GridWorld*>(env_.get());
  if (!gw)
    throw InputError("env.kind", "only gridworlds are edited by hand; this is " + env_->name());
  const std::string why = world_problem(w);
  if (!why.empty()) throw InputError("edited map", why);
  const Scenario next = scenario_with_world(scenario_, w);  // throws for a bad combination
  const std::unique_ptr<Env> env = make_env(next);
  const auto& to = dynamic_cast<const GridWorld&>(*env);
  if (!identity(states_by_cell(*gw, to), gw->num_obs())) {
    if (policy_->kind() != PolicyKind::kTabular)
      throw InputError("policy.kind",
                       "this session's MLP policy reads the one-hot cell, so an edit that adds, "
                       "moves or removes a wall (or resizes the map) changes its input; keep the "
                       "walls, or use policy.kind=tabular");
    if (critic_ && critic_->kind() != CriticKind::kTabular)
      throw InputError("critic.kind",
                       "this session's MLP critic reads the one-hot cell, so an edit that adds, "
                       "moves or removes a wall changes its input; keep the walls, or use "
                       "critic.kind=tabular");
  }
}

bool Session::set_world(const GridWorldSpec& w) {
  check_world(w);
  if (w == world()) {  // nothing changes (or an undo back to it): no edit, none waiting
    pending_world_.reset();
    return true;
  }
  const bool boundary = phase_ == Phase::kCollect && pending_clear_;
  if (!boundary) {
    pending_world_ = w;
    return false;
  }
  pending_world_.reset();
  apply_world(w);
  return true;
}

std::unique_ptr<Policy> Session::carried_policy(const Scenario& next, const Env& to,
                                                const std::vector<int>& old_of) const {
  // Logits follow their cells; new cells start as a fresh policy's (policy.init_logits, else 0).
  std::unique_ptr<Policy> fresh = make_policy(next, to);
  Eigen::VectorXd theta = fresh->params();
  const Eigen::VectorXd& old_theta = policy_->params();
  const int A = to.num_actions();
  for (size_t s = 0; s < old_of.size(); ++s)
    if (old_of[s] >= 0)
      theta.segment(static_cast<Eigen::Index>(s) * A, A) =
          old_theta.segment(static_cast<Eigen::Index>(old_of[s]) * A, A);
  fresh->set_params(theta);
  return fresh;
}

Session Session::preview_world(const GridWorldSpec& w) const {
  check_world(w);
  Scenario next = scenario_with_world(scenario_, w);
  Session p(next);
  const auto& to = dynamic_cast<const GridWorld&>(*p.env_);
  const std::vector<int> old_of = states_by_cell(dynamic_cast<const GridWorld&>(*env_), to);
  p.policy_ =
      identity(old_of, env_->num_obs()) ? policy_->clone() : carried_policy(next, to, old_of);
  p.batch_policy_ = p.policy_->clone();
  p.exact_ = exact_evaluate(*p.env_, *p.policy_);
  p.batch_exact_ = p.exact_;
  return p;
}

void Session::apply_world(const GridWorldSpec& w) {
  Scenario next = scenario_with_world(scenario_, w);
  std::unique_ptr<Env> env = make_env(next);
  const auto& from = dynamic_cast<const GridWorld&>(*env_);
  const auto& to = dynamic_cast<const GridWorld&>(*env);
  const std::vector<int> old_of = states_by_cell(from, to);
  if (!identity(old_of, from.num_obs())) {
    policy_ = carried_policy(next, to, old_of);
    if (critic_) {
      // Values follow their cells too; new cells start at V = 0.
      const auto* old_v = dynamic_cast<const TabularValue*>(critic_.get());
      std::unique_ptr<ValueFunction> critic = make_session_critic(next, to);
      Eigen::VectorXd v = Eigen::VectorXd::Zero(to.num_obs());
      for (size_t s = 0; s < old_of.size(); ++s)
        if (old_of[s] >= 0 && old_v) v[static_cast<Eigen::Index>(s)] = old_v->table()[old_of[s]];
      if (auto* tv = dynamic_cast<TabularValue*>(critic.get())) tv->set_table(v);
      critic->set_lr(critic_->lr());
      critic_ = std::move(critic);
    }
    const double lr = optimizer_->lr();
    optimizer_ = make_optimizer(next.algorithm.optimizer, next.algorithm.lr);
    optimizer_->set_lr(lr);
    algorithm_ = make_algorithm(next);
  }
  scenario_ = std::move(next);
  env_ = std::move(env);
  batch_cap_ = batch_cap(scenario_, *env_);  // the new world's step limit and tables
  batch_steps_ = 0;
  batch_policy_ = policy_->clone();
  // The last batch's states belong to the old world: dropped (its buffers kept for reuse).
  for (auto& tr : batch_.trajectories) spare_trajectories_.push_back(std::move(tr));
  batch_.trajectories.clear();
  has_estimate_ = false;
  has_estimate_before_ = false;
  has_update_estimate_ = false;
  completed_returns_.clear();
  runner_ = EpisodeRunner();
  for (auto& slot : slots_) {
    slot.env = env_->clone();
    slot.runner = EpisodeRunner();  // its episode ends with the old world; the next starts anew
    slot.piece = -1;
  }
  exact_ = exact_evaluate(*env_, *policy_);
  batch_exact_ = exact_;
  world_changes_.push_back({iteration_, w});
}

}  // namespace pg
