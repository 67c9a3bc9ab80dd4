#pragma once
// The Session: the phase machine of DESIGN.md §2 that the CLI, the GUI and the tests all drive.
//
//   Session s(load_scenario("gridworld-reinforce"));
//   s.advance(Granularity::kEnvStep);     // one environment step of the current episode
//   s.advance(Granularity::kIteration);   // to the start of the next iteration
//
// An iteration is: collect (N whole episodes, or num_envs × num_steps fixed-length segments, one
// env step at a time) → estimate (the algorithm's ĝ from the batch) → update (the algorithm's
// optimizer steps and critic fit) → evaluate (exact J at the new θ, history row).
// The session owns the environment, policy, critic, optimizer and history. It is not
// thread-safe: one thread advances it; others read copies (the GUI's snapshot).

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "algo/algorithm.h"
#include "critic/value_function.h"
#include "env/env.h"
#include "env/world_edit.h"
#include "estimator/reinforce.h"
#include "exact/exact.h"
#include "io/scenario.h"
#include "nn/optimizer.h"
#include "policy/policy.h"
#include "rollout/sampler.h"
#include "rollout/trajectory.h"
#include "session/history.h"
#include "session/live_params.h"

namespace pg {

// A world edit the session took: from the start of `iteration` on, the gridworld is `world`.
struct WorldChange {
  int iteration = 0;
  GridWorldSpec world;
  bool operator==(const WorldChange&) const = default;
};

enum class Phase { kCollect, kEstimate, kUpdate, kEvaluate };
enum class Granularity { kEnvStep, kEpisode, kBatch, kEstimate, kUpdate, kIteration };

const char* name_of(Phase p);
const char* name_of(Granularity g);

// Builders from a scenario (also used by the variance lab and tests).
std::unique_ptr<Env> make_env(const Scenario& s);
// The gridworld scenario `sc` on world w: its slip, γ and map text (validated: InputError).
Scenario scenario_with_world(const Scenario& sc, const GridWorldSpec& w);
// cancel: polled between an MLP's init layers (a 1024-wide layer's QR is slow; throws Cancelled).
std::unique_ptr<Policy> make_policy(const Scenario& s, const Env& env,
                                    const std::atomic<bool>* cancel = nullptr);
// Throws InputError naming trpo.exact_fisher (at its line in the scenario's file) when NPG or TRPO
// would build the dense exact Fisher matrix of `policy` and it has more than
// kMaxExactFisherParams parameters: refused when the session is built, not at the first update.
void require_exact_fisher_fits(const Scenario& s, const Policy& policy);

class Session {
 public:
  // `cancel` (util/cancel.h), when given, is polled between env steps and phases and inside the
  // long ones (the networks' init layer by layer, the exact oracle's time steps, PPO's
  // minibatches, GRPO's epochs, TRPO's line search, a critic's fit epochs): once it is set, the
  // constructor and advance() throw Cancelled and the session pauses with a fault. The flag must
  // outlive the session.
  explicit Session(Scenario scenario, const std::atomic<bool>* cancel = nullptr);
  Session(const Session& other);  // deep copy (forking a run); shares the cancel flag
  Session& operator=(const Session&) = delete;

  // Back to iteration 0 with the same seed (bit-identical replay). The settings stay as they are
  // now (live changes included, queued ones applied); the list of changes starts empty.
  void reset();
  // Advances by one unit of `g`, stopping at its boundary. Returns false when paused by a fault.
  bool advance(Granularity g);
  // Whole iterations.
  bool run_iterations(int n);
  // Sets (or clears, with null) the cancel flag for the work from now on.
  void set_cancel(const std::atomic<bool>* cancel);
  // Sets (or clears) a counter a long update counts its inner steps into (PPO: + 1 per minibatch,
  // ppo.epochs × ppo.minibatches in all), for a front end to show. Not copied with the session.
  void set_progress(std::atomic<int>* progress) { progress_ = progress; }
  // Whether anything reads the statistics of a batch that its update does not need: the
  // estimate's ĝ (last_estimate().gradient, the history's grad_norm) and the history's entropy
  // (default: true; a fault's message quotes ‖ĝ‖ either way: the fault computes a skipped ĝ). With
  // false, from the next estimate on, an algorithm whose update does not use ĝ skips it and the
  // policy's forward over the batch (PPO: A2C's ĝ at θ_old, issue 12's "work nobody reads"): its
  // estimates then have an empty gradient, the history's grad_norm is NaN, and so is its entropy
  // wherever the estimate did not compute it on the way (no pass of its own); every other number
  // keeps its bits. `pglab train` without --csv or --save and `pglab bench` turn it off.
  void set_statistics_wanted(bool wanted) { statistics_wanted_ = wanted; }

  // Estimator settings are live: when the current batch is complete and estimated and the
  // algorithm uses the REINFORCE settings (AlgorithmInfo::reinforce_settings), the batch is
  // re-estimated at once on the same trajectories (the estimate to compare with is kept, see
  // estimate_before_flip()); otherwise the setting takes effect at the next estimate. Sampled
  // trajectories never change. Note: after the update phase the re-estimate reads the critic as
  // it is now (a critic baseline then uses the refitted V_φ, as estimate_with does).
  void set_estimator(const EstimatorConfig& c);
  // What a flip's re-estimate is shown against (before → after; null without a flip, or flipped
  // back to its settings): the update's estimate, before the update the batch's estimate unflipped.
  const Estimate* estimate_before_flip() const {
    return has_estimate_before_ ? &estimate_before_ : nullptr;
  }
  // The estimate the last update took its step from, when a live flip has re-estimated the batch
  // after that update (null otherwise: then last_estimate() is the step's estimate, or the update
  // has not run yet and will use last_estimate()). Views that explain the step taken read this,
  // not the re-estimate, which steers only the next batch's step.
  const Estimate* estimate_of_update() const {
    return has_update_estimate_ ? &update_estimate_ : nullptr;
  }
  const EstimatorConfig& estimator() const { return scenario_.estimator; }
  // The estimate the given setting gives on the current batch (needs a complete batch).
  Estimate estimate_with(const EstimatorConfig& c) const;
  // Forks: an identical session whose future differs only by `c`.
  Session fork_with(const EstimatorConfig& c) const;
  // Forks with one setting changed, at an iteration boundary (elsewhere InputError, so the fork's
  // first iteration differs from this session's by that setting alone): a live key
  // (session/live_params.h, estimator toggles included; as set_live(key, value) made at once) or
  // "seed" — the fork then draws its random streams from the new seed from here on (θ, critic and
  // optimizer state are shared up to now). Throws InputError as set_live does, or for a seed out of
  // the key table's range.
  Session fork_with(const std::string& key, const nlohmann::json& value) const;

  // Live hyperparameters (issue 9, item 5; the keys in session/live_params.h). At an iteration
  // boundary (phase collect, no step of the iteration taken) the change is made at once and
  // recorded; mid-iteration it is queued and made at the start of the next iteration (returns
  // false then; queued_changes() lists it; a second value for a queued key replaces the first).
  // An estimator.* key goes through set_estimator (at once, also mid-iteration). Validated by the
  // key table as `--set` is (same messages and ranges), then against the algorithm (e.g. NPG has
  // no entropy bonus) and the memory budget; throws InputError and changes nothing otherwise.
  // A value equal to the current one records nothing.
  //   algorithm.optimizer: the new optimizer starts fresh at the current step size — switching to
  //   Adam starts its moments at m = v = 0 and its step count (bias correction) at 0; moments of
  //   an earlier Adam are not kept across a switch (they describe another optimizer's path).
  //   algorithm.num_envs: added environments start new episodes on their own streams; removed
  //   ones drop the episode they were in.
  bool set_live(const std::string& key, const nlohmann::json& value);
  // Whether a change made now happens at once (an iteration boundary) rather than being queued.
  bool at_iteration_boundary() const { return phase_ == Phase::kCollect && pending_clear_; }
  // Every change made since the run started (or was reset), in order.
  const std::vector<SettingChange>& changes() const { return changes_; }
  const std::vector<std::pair<std::string, nlohmann::json>>& queued_changes() const {
    return queued_;
  }
  // The settings the run started from: scenario() with changes() undone.
  const Scenario& start_scenario() const { return start_ ? *start_ : scenario_; }

  // ---- Worlds edited by hand (gridworlds; issue 9) ----
  // Swaps the world (map, slip, γ) at an iteration boundary, keeping the run going:
  // - At a boundary (phase collect, no step of the new iteration taken) it takes effect at once;
  //   otherwise it waits, and the batch in progress is finished on the old world — the edit takes
  //   effect when this iteration ends (pending_world() until then; a later edit replaces it).
  // - θ is kept. Where the edit moves, adds or removes a non-wall cell (states are the non-wall
  //   cells in row-major order, so their number and order change), a tabular policy's logits and
  //   a tabular critic's values follow their cells; new cells start at the initial logits
  //   (policy.init_logits, else 0: uniform) and V = 0. The optimizer's state (Adam's moments)
  //   and the algorithm's state across iterations (PPO's adaptive β, the off-policy ring) then
  //   restart, since they belong to parameters that moved. When the states stay the same, all
  //   of it is kept.
  // - At the switch the last batch, its estimate and returns are dropped (their states belong to
  //   the old world; the views show "no episode yet"); segment collection's environments start
  //   new episodes. The exact V^π, J, ∇J are recomputed on the new world.
  // The world as it is (w == world()) changes nothing and cancels a waiting edit.
  // Returns true when applied now, false when pending. Throws InputError (nothing changed) for an
  // invalid world (world_problem), a session that is not a gridworld, or an edit that changes
  // the states of a session with an MLP policy or critic (its input is the one-hot cell).
  bool set_world(const GridWorldSpec& w);
  // The gridworld's current world (map, slip, γ); throws InputError when it is not a gridworld.
  GridWorldSpec world() const;
  // What the session would show on `w` now, for a preview of a pending edit: a fresh session on w
  // (iteration 0, no batch) holding this session's θ carried over as set_world would carry it, and
  // the exact values at that θ. Throws as set_world.
  Session preview_world(const GridWorldSpec& w) const;
  // The edit waiting for the iteration boundary, or null.
  const GridWorldSpec* pending_world() const { return pending_world_ ? &*pending_world_ : nullptr; }
  // The edits taken since the run started (or was reset), in order; session files replay them.
  const std::vector<WorldChange>& world_changes() const { return world_changes_; }
  // The world the run started on (gridworlds; what reset() does not change is world()).
  const GridWorldSpec& start_world() const { return start_world_; }

  const Scenario& scenario() const { return scenario_; }
  // Which run this is: a number new at every construction and reset, kept by copies (forks, the
  // window's snapshots, the timeline's). Sessions with the same run id share their start; they
  // differ only by the iterations taken and the live changes and world edits made since.
  uint64_t run_id() const { return run_id_; }
  Phase phase() const { return phase_; }
  int iteration() const { return iteration_; }
  // Episodes in the current batch so far (complete ones, plus the one in progress if any).
  int episodes_in_batch() const { return episodes_done_; }
  // Whole-episode collection: an episode begun and not yet ended (segment collection: false; its
  // environments' episodes run across batches).
  bool episode_in_progress() const { return !runner_.done(); }
  long total_episodes() const { return total_episodes_; }
  long total_steps() const { return total_steps_; }

  const Env& env() const { return *env_; }
  const Policy& policy() const { return *policy_; }
  // The policy at the θ that sampled the current batch and produced the current estimate.
  const Policy& behaviour_policy() const { return *batch_policy_; }
  const ValueFunction* critic() const { return critic_.get(); }
  // Whether this session's updates fit critic(): the actor-critics (A2C, PPO) always, the
  // REINFORCE-family (REINFORCE, NPG/TRPO, off-policy) while estimator.baseline is critic.
  // Elsewhere a critic exists (so a live switch to the critic baseline finds one) but keeps its
  // initial values.
  bool critic_learns() const;
  // The batch being collected; between iterations (phase collect, no step taken yet) it is still
  // the last complete batch, with its estimate, policy and exact values, until the first env step.
  const Batch& batch() const { return batch_; }
  // Whether batch() holds a complete batch (estimate_with may be called).
  bool batch_complete() const { return phase_ != Phase::kCollect || pending_clear_; }
  // The iteration whose batch batch() holds: the last one while its batch stays shown between
  // iterations, else the current one (the batch being collected, estimated or updated on).
  int batch_iteration() const {
    return phase_ == Phase::kCollect && pending_clear_ ? iteration_ - 1 : iteration_;
  }
  bool has_estimate() const { return has_estimate_; }
  const Estimate& last_estimate() const { return estimate_; }
  // Exact quantities at the current θ (finite worlds only).
  const ExactResult* exact() const { return exact_ ? &*exact_ : nullptr; }
  // Exact quantities at the batch's θ (what the estimate is compared against).
  const ExactResult* batch_exact() const { return batch_exact_ ? &*batch_exact_ : nullptr; }
  const History& history() const { return history_; }
  // Undiscounted returns of the episodes that ended during the current (or, between iterations,
  // the last) iteration's collection.
  const std::vector<double>& completed_returns() const { return completed_returns_; }
  // What the last update reported (clip fractions, KL, critic loss, …).
  const UpdateStats& update_stats() const { return update_stats_; }
  const Algorithm& algorithm() const { return *algorithm_; }
  // Fixed-length segments (algorithm.num_steps > 0) rather than whole episodes.
  bool segments() const { return scenario_.algorithm.num_steps > 0; }

  // Set when a step produced NaN/Inf; the session refuses to advance until reset().
  const std::string& fault() const { return fault_; }

  // The optimizer with its state (Adam's moments and step count), for session files.
  const Optimizer& optimizer_state() const { return *optimizer_; }

 private:
  void build();
  bool advance_unit(Granularity g);  // advance() without the cancellation's fault
  void begin_iteration();
  void apply_world(const GridWorldSpec& w);  // at a boundary
  // Throws InputError when w cannot replace the current world in this session.
  void check_world(const GridWorldSpec& w) const;
  // A policy for `to` whose rows for old states (old_of[s] ≥ 0) are this policy's rows.
  std::unique_ptr<Policy> carried_policy(const Scenario& next, const Env& to,
                                         const std::vector<int>& old_of) const;
  bool step_collect();  // one env step; returns true when the batch is complete
  void do_estimate();
  void do_update();
  // "" or why the update just made is not to be trusted (an absurd step, a saturated policy).
  std::string update_fault();
  // Mean H(π(·|s)) over a spread sample of the batch's steps (at most kEntropySample).
  double sampled_entropy(const Policy& p);
  void do_evaluate();
  BaselineSources sources() const;
  AlgoContext context();
  bool
  step_segments();  // one env step of the next environment slot; true when the batch is complete
  // At a round's start: π(·|s) of every slot whose episode goes on, by one forward over all of
  // them (CleanRL's shape), when the policy's batched columns equal its one-column forward.
  void prefetch_round_probs(const Policy& policy);
  // The scenario `base` with key = value, validated (InputError otherwise); see set_live.
  Scenario checked_live_change(const Scenario& base, const std::string& key,
                               const nlohmann::json& value) const;
  // Makes a validated change now (an iteration boundary) and records it.
  void apply_live(const std::string& key, Scenario next);
  void apply_queued();
  // Appends a trajectory to batch_ for a new episode or piece: a kept one when there is one, so a
  // warm session collects without allocating (segments: sized for num_steps steps).
  Trajectory& next_trajectory();

  // One environment of segment collection: it and its episode carry on across iterations.
  struct Slot {
    std::unique_ptr<Env> env;
    EpisodeRunner runner;
    long episode = 0;           // episodes started in this slot
    double episode_return = 0;  // undiscounted, across pieces
    int piece = -1;             // index of its current piece in batch_
    // π(·|s) of its state from the round's batched forward (prefetch_round_probs), used only while
    // the stamp still names this iteration, step of the segment, episode and step of the episode
    // (never copied: a copy samples through the policy).
    std::vector<double> probs;
    int probs_iteration = -1, probs_seg_step = -1, probs_episode_step = -1;
    long probs_episode = -1;
    Slot() = default;
    Slot(const Slot& o)
        : env(o.env ? o.env->clone() : nullptr),
          runner(o.runner),
          episode(o.episode),
          episode_return(o.episode_return),
          piece(o.piece) {}
    Slot& operator=(const Slot&) = delete;
    Slot(Slot&&) = default;
  };

  Scenario scenario_;
  uint64_t run_id_ = 0;
  const std::atomic<bool>* cancel_ = nullptr;
  std::atomic<int>* progress_ = nullptr;  // not copied (a copy's owner sets its own)
  bool statistics_wanted_ = true;
  // Whether the current estimate carries a ĝ to measure (set_statistics_wanted(false) may skip
  // it).
  bool has_gradient() const { return statistics_wanted_ || estimate_.gradient.size() > 0; }
  std::unique_ptr<Env> env_;
  std::unique_ptr<Policy> policy_;
  std::unique_ptr<Policy> batch_policy_;
  std::unique_ptr<ValueFunction> critic_;
  std::unique_ptr<Optimizer> optimizer_;
  std::optional<ExactResult> exact_, batch_exact_;
  bool store_features_ = false;

  Phase phase_ = Phase::kCollect;
  int iteration_ = 0;
  int episodes_done_ = 0;
  double batch_steps_ = 0;  // steps collected into this iteration's batch (whole episodes)
  BatchCap batch_cap_;      // its bound where the world sets no step limit
  long total_episodes_ = 0, total_steps_ = 0;
  EpisodeRunner runner_;
  Batch batch_;
  Estimate estimate_;
  bool has_estimate_ = false;
  Estimate estimate_before_;  // the current batch's estimate before the last live flip
  bool has_estimate_before_ = false;
  Estimate update_estimate_;  // the estimate the update used, once a flip after it re-estimates
  bool has_update_estimate_ = false;
  bool pending_clear_ = false;  // the new iteration's batch starts at its first env step
  History history_;
  std::string fault_;
  std::unique_ptr<Algorithm> algorithm_;
  UpdateStats update_stats_;
  std::vector<double> completed_returns_;
  std::vector<Slot> slots_;
  std::vector<SettingChange> changes_;
  std::vector<std::pair<std::string, nlohmann::json>> queued_;
  std::shared_ptr<const Scenario> start_;  // null until the first change: scenario_ is the start
  // Trajectories of the previous batch kept with their buffers (not copied with the session).
  std::vector<Trajectory> spare_trajectories_;
  std::vector<double> eval_logp_,
      eval_entropy_;  // do_evaluate's scratch (per step of a trajectory)
  std::vector<double> check_logp_, check_entropy_;  // update_fault's scratch (kEntropySample steps)
  int seg_step_ = 0, seg_slot_ = 0;
  Eigen::MatrixXd round_x_, round_p_;  // prefetch_round_probs' scratch (obs_dim × and A × slots)
  double episode_return_ = 0;          // whole-episode mode: the episode in progress
  std::optional<GridWorldSpec> pending_world_;
  std::vector<WorldChange> world_changes_;
  GridWorldSpec start_world_;
};

// Runs s from where it is to the boundary of `iteration`, making `changes` (a recorded list, e.g.
// a session file's) at the positions they were made: the replay of a run with live changes.
// Estimator toggles recorded by one set_estimator call (consecutive, same position, keys in
// live_keys() order) are made together. Returns false when the run pauses at a fault (s.fault()).
// Throws InputError "changes[k]: …" for a change that cannot be replayed: not a live key, a
// position already passed, or an old value other than the replayed run's.
// `at_boundary` (optional) is called at every iteration boundary the replay reaches, the
// starting one included, before the changes made there (session files replay world edits so).
bool replay_changes(Session& s, const std::vector<SettingChange>& changes, int iteration,
                    const std::function<void(Session&)>& at_boundary = {});

// replay_changes with worlds edited by hand too: each edit of `edits` (in order) takes effect at
// the boundary of its iteration, before the changes made there — as a queued edit and queued
// changes are made at a boundary (session files and the timeline replay runs so). Throws
// InputError "world_edits[k]: …" for an edit the replayed session refuses, and as replay_changes.
// `progress`, when given, holds the iteration the replay has reached. `observe`, when given, sees
// the session at every boundary the replay reaches (the starting one included), before the edits
// and changes made there: as a live run's observer saw it right after the iteration ended.
bool replay_run(Session& s, const std::vector<SettingChange>& changes,
                const std::vector<WorldChange>& edits, int iteration,
                std::atomic<int>* progress = nullptr,
                const std::function<void(const Session&)>& observe = {});

// Changes asked for at iterations (the CLI's --change): sorted by iteration (stable), each
// checked by making it on a copy of s in that order, so a bad one is refused before any training
// (InputError "--change 'TEXT': …" with the key's message). `last` is the last iteration boundary
// the run reaches: a change after it, or before s's iteration, is refused too. A change at `last`
// itself is made there; `used_at_last` says whether anything comes after it (a gradient, a picture,
// a saved session) — when nothing does, it would take effect on no iteration and is refused. Two
// changes of one key at one iteration are refused (the first would be undone unseen).
std::vector<ScheduledChange> check_scheduled_changes(const Session& s,
                                                     std::vector<ScheduledChange> plan, int last,
                                                     bool used_at_last = true);
// Makes the changes of `plan` due at s's iteration (s at an iteration boundary).
void make_due_changes(Session& s, const std::vector<ScheduledChange>& plan);
// n iterations, making the due changes at every boundary on the way (the last one included).
bool run_with_changes(Session& s, int n, const std::vector<ScheduledChange>& plan);

}  // namespace pg
