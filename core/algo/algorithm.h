#pragma once
// Session algorithms (DESIGN.md §2): what an iteration's estimate and update phases do.
//
// The session owns collection — whole episodes (algorithm.batch_episodes of them) or fixed-length
// segments (algorithm.num_envs environments × algorithm.num_steps steps, bootstrapped where they
// are cut) — and the evaluate phase (history row, exact J). An Algorithm turns the collected
// batch into an estimate (estimate()) and changes the parameters (update()). One file per
// algorithm in core/algo/, each an explicit sequence of phases.
//
//   estimate(): ĝ at θ_old (the θ that sampled the batch) with its per-step pieces — ψ or Â,
//               baselines or values — kept in the Estimate for the views and the dump;
//   update():   the optimizer steps (one for REINFORCE; epochs × minibatches for PPO; a line
//               search for TRPO), the critic fit, and named statistics for the views.

#include <atomic>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "algo/describe.h"
#include "algo/records.h"
#include "algo/replay_record.h"
#include "estimator/reinforce.h"
#include "rollout/trajectory.h"

namespace pg {

class Env;
class Policy;
class ValueFunction;
class Optimizer;
struct ExactResult;
struct Scenario;

// Named scalars of one update ("clip_fraction", "approx_kl_k3", "explained_variance", …).
// clear() keeps the entries' strings aside and set() takes them back, so an update that sets the
// same keys every iteration does not allocate once warm (keys longer than the small-string buffer
// would otherwise be allocated anew every update).
struct UpdateStats {
  std::vector<std::pair<std::string, double>> values;
  void clear();
  void set(std::string_view key, double v);
  // NaN when absent.
  double get(const std::string& key) const;
  bool has(const std::string& key) const;

 private:
  std::vector<std::pair<std::string, double>> spare_;  // cleared entries, reused by set()
};

// What estimate() and update() work with. References stay valid for the call only.
struct AlgoContext {
  const Scenario& scenario;
  const Env& env;  // the world: gamma(), model() (finite worlds), features_of()
  Policy& policy;  // θ: update() changes it in place
  const Policy&
      behaviour;  // θ_old: the policy the estimate is taken at (sampled the batch on-policy)
  ValueFunction* critic;  // null when the scenario has none
  Optimizer& optimizer;
  const ExactResult* exact;  // exact values at θ_old (finite worlds), else null
  uint64_t seed = 0;
  int iteration = 0;
  // Polled between the update's inner steps (minibatches, epochs, line-search tries): long
  // updates throw Cancelled once it is set (util/cancel.h). Null: never cancelled.
  const std::atomic<bool>* cancel = nullptr;
  // False when nothing reads the estimate's ĝ (est.gradient) or its per-step entropies
  // (est.entropy) beyond update() itself (Session::set_statistics_wanted): an algorithm whose
  // update uses neither may then leave both empty (PPO).
  bool statistics_wanted = true;
  // + 1 per minibatch of a PPO update, when given (Session::set_progress): a front end shows it.
  std::atomic<int>* progress = nullptr;
};

class Algorithm {
 public:
  virtual ~Algorithm() = default;
  virtual const char* name() const = 0;

  // Called before each episode starts (GRPO chooses the episode's prompt here).
  virtual void before_episode(Env& env, int iteration, int episode) const {
    (void)env;
    (void)iteration;
    (void)episode;
  }
  // Called when an iteration's collection starts (ctx.behaviour is the current θ then).
  virtual void begin_iteration(AlgoContext& ctx) { (void)ctx; }
  // The policy that samples the batch when it is not the current one (off-policy learning); null
  // means on-policy. Points into the algorithm itself; valid until the next begin_iteration.
  virtual const Policy* sampling_policy() const { return nullptr; }
  // Collection: whole episodes unless the algorithm works on fixed-length segments.
  virtual bool needs_whole_episodes() const { return false; }
  // A live setting changed between two iterations (Session::set_live; session/live_params.h):
  // an algorithm that keeps a copy of a setting (GAE's λ, GRPO's settings, PPO's critic
  // optimizer) takes the new one from s here. Its other state (β, reference policy, rings) stays.
  virtual void settings_changed(const Scenario& s) { (void)s; }

  // The estimate phase: fills est at θ_old. Throws InputError for settings it cannot honour.
  virtual void estimate(AlgoContext& ctx, const Batch& batch, Estimate& est) = 0;
  // The update phase: returns "" or a message when the step produced NaN/Inf (the session then
  // pauses with that message; the parameters must be left as they were).
  virtual std::string update(AlgoContext& ctx, const Batch& batch, const Estimate& est,
                             UpdateStats& stats) = 0;

  // What the views may show for this algorithm (DESIGN.md §3a). Default: the name, no analyses.
  virtual AlgorithmInfo info(const Scenario& s) const;
  // The per-step decomposition of the estimate's ascent direction (DESIGN.md §3a). Default: one
  // piece, ψ = est.psi, divisor est.gradient_divisor().
  virtual void decompose(const DecomposeInput& in, StepDecomposition& out) const;
  // Data a view shows beyond the decomposition (algo/records.h); null when the algorithm keeps
  // none: PPO's ratios and clipping of its last update, GRPO's groups and KL to π_ref.
  virtual const PpoUpdateRecord* clip_record() const { return nullptr; }
  virtual const GrpoRecord* group_record() const { return nullptr; }
  // Off-policy learning's importance weights of the last estimate; null when on-policy.
  virtual const ImportanceRecord* importance_record() const { return nullptr; }
  // A replay-based learner's buffer, Q critics, α and last gradient step (algo/replay_record.h);
  // `buffer` null for the others.
  virtual ReplayRecord replay_record() const { return {}; }
  // What the batch dump writes for this algorithm beyond the Estimate (PPO's β and log π_old,
  // GRPO's log π_old and log π_ref). Pointers stay valid until the next estimate or update.
  virtual void dump_extras(DumpExtras& out) const { (void)out; }

  virtual std::unique_ptr<Algorithm> clone() const = 0;
};

// The algorithm a scenario names (algorithm.name). Throws InputError for one not available.
// cancel: polled while an algorithm builds networks of its own (SAC's Q: throws Cancelled).
std::unique_ptr<Algorithm> make_algorithm(const Scenario& s,
                                          const std::atomic<bool>* cancel = nullptr);

// Shared update steps, so every algorithm applies them the same way.
// Clips v to norm max_norm (no-op when max_norm <= 0); returns the norm before clipping.
double clip_norm(Eigen::Ref<Eigen::VectorXd> v, double max_norm);
// θ ← optimizer step along `direction` (ascent), refusing non-finite results: returns "" or why.
std::string apply_ascent(AlgoContext& ctx, const Eigen::VectorXd& direction);
// The same with the caller's buffer for θ (no allocation once it has the policy's size).
std::string apply_ascent(AlgoContext& ctx, const Eigen::VectorXd& direction,
                         Eigen::VectorXd& theta_scratch);

}  // namespace pg
