#include "gui/app_state.h"

#include <chrono>
#include <iterator>

#include "gui/classroom.h"
#include "gui/views/background_job.h"
#include "gui/views/views.h"
#include "io/scenario.h"
#include "io/scenario_enums.h"
#include "session/budget.h"
#include "util/cancel.h"
#include "util/error.h"
#include "util/text.h"

namespace pglab::gui {

namespace {

using pg::Analysis;

// An algorithm that does not describe its analyses (AlgorithmInfo::analyses == 0) gets every view:
// each view then says itself what it needs.
bool supports_any(const pg::AlgorithmInfo& info, std::initializer_list<Analysis> any) {
  if (info.analyses == 0) return true;
  for (Analysis a : any)
    if (info.supports(a)) return true;
  return false;
}

constexpr ViewSpec kViews[] = {
    {View::Overview, DrawOverviewView, nullptr, ""},
    {View::Variance, DrawVarianceView,
     [](const pg::Session&, const pg::AlgorithmInfo& i) {
       return supports_any(i, {Analysis::kEstimatorVariance, Analysis::kAdvantageEstimators});
     },
     "The variance view compares estimator settings on common batches sampled from π_θ "
     "(REINFORCE's returns × baselines, an actor-critic's advantage estimators). This algorithm "
     "has no such settings, or, off-policy, samples from its behaviour policy b: the importance "
     "view compares its weightings over many batches. Open gridworld-reinforce (REINFORCE) or "
     "a2c-gridworld (advantage estimators)."},
    {View::Baseline, DrawBaselineView,
     [](const pg::Session&, const pg::AlgorithmInfo& i) {
       return supports_any(i, {Analysis::kBaselineEffect, Analysis::kCriticEffect});
     },
     "Baseline effects compares baselines (or a critic against none) on batches sampled from "
     "π_θ. This algorithm has no baseline to vary, or, off-policy, samples from its behaviour "
     "policy b (its baseline is live in the controls and the inspector's ledger shows ρ·b; the "
     "importance view shows the weights). Open gridworld-reinforce or a2c-gridworld."},
    {View::Inspector, DrawInspectorView, nullptr, ""},
    {View::Rollout, DrawRolloutView, nullptr, ""},
    {View::Clip, DrawClipView,
     [](const pg::Session&, const pg::AlgorithmInfo& i) {
       return supports_any(i, {Analysis::kClipping});
     },
     "The clipping view shows how PPO-clip's ratio clipping limits an update; this algorithm does "
     "not clip (PPO with the KL penalty restrains r by β·k3 instead). On PPO, set ppo.objective "
     "to clip; or open ppo-clipping-demo, whose updates clip."},
    {View::Advantage, DrawAdvantageView,
     [](const pg::Session& s, const pg::AlgorithmInfo& i) {
       // A critic that learns: REINFORCE keeps an untrained V_φ ≡ 0 beside the other baselines.
       return s.critic() != nullptr && s.critic_learns() &&
              supports_any(i, {Analysis::kAdvantageEstimators, Analysis::kCriticEffect,
                               Analysis::kBaselineEffect});
     },
     "The advantages view compares advantage estimators (Monte Carlo, TD(0), n-step, GAE) on a "
     "learned state-value critic V, and this session learns none (REINFORCE learns V only with "
     "the critic baseline, GRPO's baseline is its group's mean reward, SAC's critics learn "
     "Q(s, a)). Open a2c-gridworld or cartpole-ppo."},
    {View::Importance, DrawImportanceView,
     [](const pg::Session&, const pg::AlgorithmInfo& i) {
       return supports_any(i, {Analysis::kImportance});
     },
     "The importance view shows the weights of off-policy learning; this algorithm samples "
     "on-policy. Open "
     "off-policy-gridworld or off-policy-corridor."},
    {View::Grpo, DrawGrpoView,
     [](const pg::Session&, const pg::AlgorithmInfo& i) {
       return supports_any(i, {Analysis::kGroups});
     },
     "The GRPO view shows groups of answers to one prompt; this algorithm has no groups. Open "
     "grpo-token-task."},
    {View::Npg, DrawNpgView,
     [](const pg::Session&, const pg::AlgorithmInfo& i) {
       return supports_any(i, {Analysis::kNaturalGradient});
     },
     "The natural-gradient view shows the Fisher matrix, F⁻¹ĝ against ĝ, the KL step and TRPO's "
     "line search; "
     "this algorithm takes plain gradient steps. Open npg-gridworld or trpo-line-search-demo."},
    {View::Landscape, DrawLandscapeView,
     [](const pg::Session& s, const pg::AlgorithmInfo&) { return s.env().model() != nullptr; },
     "The landscape view draws the exact J over a slice of parameter space, which needs a finite "
     "world (finitely many states and actions) and a softmax policy; this one has continuous "
     "states or actions. Open gridworld-reinforce, npg-gridworld or short-corridor-reinforce."},
    {View::Surrogate, DrawSurrogateView,
     [](const pg::Session& s, const pg::AlgorithmInfo&) { return s.policy().action_dim() == 0; },
     "The surrogate view is built for discrete actions; this policy is a Gaussian. Open "
     "gridworld-reinforce or cartpole-ppo."},
    {View::Meter, DrawMeterView, nullptr, ""},
    {View::Replay, DrawReplayView,
     [](const pg::Session& s, const pg::AlgorithmInfo&) {
       return s.algorithm().replay_record().buffer != nullptr;
     },
     "The replay view is for replay-based algorithms (how old the replayed samples are, which "
     "states the buffer covers, Q_φ against Q^π); this one keeps no buffer: each update learns "
     "from the batch collected in its own iteration (sampled by π_θ, or for the off-policy "
     "algorithm by its behaviour policy b: see the importance view). Open sac-gridworld or "
     "sac-cartpole."},
};
static_assert(sizeof(kViews) / sizeof(kViews[0]) == static_cast<size_t>(View::Count),
              "one row per View");
// The names and titles are the core's table (pg::ViewKind: scenarios, lessons and --view read it);
// this table adds the draw functions, in the same order.
static_assert(std::size(pg::EnumTable<pg::ViewKind>::rows) == static_cast<size_t>(View::Count),
              "one View per pg::ViewKind");
constexpr bool views_in_core_order() {
  for (size_t i = 0; i < std::size(kViews); ++i)
    if (static_cast<size_t>(kViews[i].view) != i ||
        static_cast<size_t>(pg::EnumTable<pg::ViewKind>::rows[i].value) != i)
      return false;
  return true;
}
static_assert(views_in_core_order(), "kViews and pg::ViewKind list the views in one order");

}  // namespace

const ViewSpec& view_spec(View v) {
  const ViewSpec& spec = kViews[static_cast<int>(v)];
  PG_ASSERT(spec.view == v, "kViews rows are in View order");
  return spec;
}
int view_count() {
  return static_cast<int>(View::Count);
}
pg::ViewKind view_kind(View v) {
  return static_cast<pg::ViewKind>(view_spec(v).view);
}
const char* view_name(View v) {
  return pg::name_of(view_kind(v));
}
const char* view_title(View v) {
  return pg::title_of(view_kind(v));
}

bool view_from_name(const std::string& name, View* out) {
  pg::ViewKind kind{};
  if (!pg::enum_from_name(name, &kind)) return false;
  *out = static_cast<View>(kind);
  return true;
}

std::string view_name_list() {
  return pg::enum_name_list<pg::ViewKind>();
}

bool view_applies(View v, const pg::Session& s) {
  const ViewSpec& spec = view_spec(v);
  return !spec.applies || spec.applies(s, s.algorithm().info(s.scenario()));
}

std::string collect_progress(const pg::Session& s) {
  const pg::AlgorithmSettings& a = s.scenario().algorithm;
  if (s.phase() != pg::Phase::kCollect) return "batch complete";
  if (s.segments()) {
    const int total = a.num_envs * a.num_steps;
    int done = 0;
    if (!s.batch_complete())
      for (const auto& tr : s.batch().trajectories) done += tr.length();
    return "collecting: " + std::to_string(done) + " of " + std::to_string(total) + " env steps (" +
           std::to_string(a.num_envs) + " envs × " + std::to_string(a.num_steps) + " steps)";
  }
  const int done = s.batch_complete() ? 0 : s.episodes_in_batch();
  std::string out =
      "collecting: " + std::to_string(done) + " of " + pg::counted(a.batch_episodes, "episode");
  if (s.episode_in_progress()) out += " (one in progress)";
  return out;
}

namespace {

// The new runner replaces the old one; the settings table, the per-view state and the view in
// front start over for its scenario.
void adopt(AppState& state, std::unique_ptr<SessionRunner> runner, const pg::Scenario& scenario,
           const std::string& path) {
  state.building.reset();  // whatever was being built would replace this one: it stops
  runner->set_pace(state.unlimited_speed ? 0.0 : state.iterations_per_second);
  runner->set_stop_at(state.run_past_end ? -1 : scenario.algorithm.iterations);
  state.runner = std::move(runner);
  state.scenario = scenario;
  state.edited = scenario;
  state.edited_dirty = false;
  state.scenario_path = path;
  state.scenario_error.clear();
  state.views = ViewStates{};
  if (!scenario.views.empty()) {
    View v;
    if (view_from_name(scenario.views.front(), &v)) {
      state.view = v;
      state.view_requested = true;
    }
  }
  state.status = "loaded " + (scenario.name.empty() ? path : scenario.name);
}

}  // namespace

namespace {

// Run goes to algorithm.iterations, the history keeping a row each, beside the live session and
// the timeline's copies of it (at least 2: it keeps fewer, further apart, as the run grows).
// Throws pg::InputError naming the key where the scenario sets it.
void require_run_fits(const pg::Session& s, const pg::Scenario& scenario) {
  try {
    pg::require_history_fits(s, scenario.algorithm.iterations, "algorithm.iterations", 2);
  } catch (const pg::InputError& e) {
    throw pg::InputError(pg::where_in_source(scenario, e.where()), e.problem());
  }
}

// What the window shows for a scenario it cannot load: bad input as it is; anything else (not bad
// input, but the window stays up and says it) as a failure to load.
std::string load_error(const std::exception& e) {
  const std::string what = pg::printable(e.what(), kMaxShownError);
  return dynamic_cast<const pg::InputError*>(&e) ? what : "cannot load the scenario: " + what;
}

// Reads the scenario file by path or name (the default scenario for "") and hands it to `load`;
// a file that cannot be read sets scenario_error.
template <class Load>
bool with_scenario_file(AppState& state, const std::string& path_or_name, Load load) {
  try {
    return load(pg::load_scenario(path_or_name.empty() ? "gridworld-reinforce" : path_or_name));
  } catch (const std::exception& e) {
    state.scenario_error = load_error(e);
    return false;
  }
}

}  // namespace

bool load_into(AppState& state, const pg::Scenario& scenario, const std::string& path) {
  try {
    auto runner = std::make_unique<SessionRunner>(scenario);
    require_run_fits(*runner->snapshot().session, scenario);
    adopt(state, std::move(runner), scenario, path);
    return true;
  } catch (const std::exception& e) {
    state.scenario_error = load_error(e);
    return false;
  }
}

void install_session(AppState& state, const pg::Session& session, const std::string& path) {
  adopt(state, std::make_unique<SessionRunner>(session), session.scenario(), path);
}

bool load_file_into(AppState& state, const std::string& path_or_name) {
  return with_scenario_file(state, path_or_name, [&](const pg::Scenario& s) {
    return load_into(state, s, path_or_name);
  });
}

// ---- Building in the background
// ----------------------------------------------------------------

struct ScenarioBuildResult {
  std::shared_ptr<const pg::Session> session;
  std::string error;  // printable, for scenario_error
  bool cancelled = false;
};

struct ScenarioBuild {
  pg::Scenario scenario;
  std::string path, done;
  std::chrono::steady_clock::time_point started;
  std::unique_ptr<BackgroundJob<ScenarioBuildResult>> job;
};

bool start_load(AppState& state, const pg::Scenario& scenario, const std::string& path,
                const std::string& done) {
  state.building.reset();  // one at a time: an earlier request stops first
  // A lesson step still running would install its session over the one asked for.
  cancel_lesson_step(state);
  auto b = std::make_shared<ScenarioBuild>();
  b->scenario = scenario;
  b->path = path;
  b->done = done;
  b->started = std::chrono::steady_clock::now();
  b->job = std::make_unique<BackgroundJob<ScenarioBuildResult>>(
      [scenario](std::atomic<int>&, const std::atomic<bool>& cancel) {
        ScenarioBuildResult r;
        try {
          auto s = std::make_shared<pg::Session>(scenario, &cancel);
          s->set_cancel(nullptr);  // the flag goes with the job; the session stays
          require_run_fits(*s, scenario);
          r.session = std::move(s);
        } catch (const pg::Cancelled&) {
          r.cancelled = true;
        } catch (const std::exception& e) {
          r.cancelled = cancel.load() && !dynamic_cast<const pg::InputError*>(&e);
          r.error = load_error(e);
        }
        return r;
      });
  state.building = std::move(b);
  state.scenario_error.clear();
  return true;
}

bool start_load_file(AppState& state, const std::string& path_or_name) {
  return with_scenario_file(state, path_or_name, [&](const pg::Scenario& s) {
    return start_load(state, s, path_or_name);
  });
}

bool update_scenario_build(AppState& state) {
  if (!state.building || !state.building->job->done()) return false;
  const std::shared_ptr<ScenarioBuild> b = std::move(state.building);
  ScenarioBuildResult& r = b->job->result();
  if (r.cancelled) return false;
  if (!r.session) {
    state.scenario_error = r.error;
    return false;
  }
  try {
    adopt(state, std::make_unique<SessionRunner>(*r.session), b->scenario, b->path);
  } catch (const std::exception& e) {  // the copy ran out of memory: what was open stays
    state.scenario_error = load_error(e);
    return false;
  }
  if (!b->done.empty()) state.status = b->done;
  return true;
}

BuildingStatus scenario_building(const AppState& state) {
  if (!state.building) return {};
  const ScenarioBuild& b = *state.building;
  return {b.scenario.name.empty() ? b.path : b.scenario.name,
          std::chrono::duration<double>(std::chrono::steady_clock::now() - b.started).count()};
}

void cancel_scenario_build(AppState& state) {
  state.building.reset();
}

}  // namespace pglab::gui
