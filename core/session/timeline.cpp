#include "session/timeline.h"

#include <algorithm>
#include <stdexcept>

#include "session/budget.h"
#include "util/error.h"

namespace pg {

namespace {

// The part of a list after `from` entries, each at or after `iteration`: what a session at the
// boundary of `iteration` whose list had `from` entries has not made yet, if it is a branch point
// of the list's run.
template <class Item>
bool tail_after(const std::vector<Item>& later, const std::vector<Item>& earlier, int iteration) {
  if (earlier.size() > later.size()) return false;
  if (!std::equal(earlier.begin(), earlier.end(), later.begin())) return false;
  for (size_t k = earlier.size(); k < later.size(); ++k)
    if (later[k].iteration < iteration) return false;
  return true;
}

}  // namespace

bool continues(const Session& later, const Session& earlier) {
  return later.run_id() == earlier.run_id() && earlier.iteration() <= later.iteration() &&
         tail_after(later.changes(), earlier.changes(), earlier.iteration()) &&
         tail_after(later.world_changes(), earlier.world_changes(), earlier.iteration());
}

Session run_start(const Session& live, const std::atomic<bool>* cancel) {
  // The settings of the start: start_scenario() is the scenario before the first live change,
  // which a world edit made before it has already changed; the world is start_world()'s.
  const Scenario& sc = live.start_scenario();
  if (live.world_changes().empty()) return Session(sc, cancel);
  return Session(scenario_with_world(sc, live.start_world()), cancel);
}

Timeline::Timeline(int every, int max_snapshots)
    : every_(std::max(1, every)), max_(std::max(2, max_snapshots)) {}

void Timeline::observe(const Session& live) {
  if (!live.fault().empty() || !live.at_iteration_boundary()) return;
  // Snapshots that do not lead to `live` go: all of them after a reset (another run); those after
  // the fork point when `live` is a branch of the run they came from.
  while (!snapshots_.empty() && !continues(live, *snapshots_.back())) snapshots_.pop_back();
  const int i = live.iteration();
  if (i % every_ != 0) return;
  if (!snapshots_.empty() && snapshots_.back()->iteration() == i) return;
  snapshots_.push_back(std::make_shared<const Session>(live));
  // Fewer, further apart when the run's sessions are large: the window keeps a timeline of every
  // run, and 32 copies of a batch near the memory budget would not fit.
  int limit = max_;
  try {
    limit = std::min(max_, timeline_snapshots_that_fit(live));
  } catch (const std::exception&) {
    // A budget that cannot be read (a bad $PGLAB_MEMORY_BUDGET_MB set since the session was
    // built) keeps the count limit: this runs on the window's worker thread, where a throw ends
    // the app.
  }
  while (static_cast<int>(snapshots_.size()) > limit) {
    every_ *= 2;
    std::erase_if(snapshots_, [&](const auto& s) { return s->iteration() % every_ != 0; });
  }
}

std::vector<int> Timeline::iterations() const {
  std::vector<int> out;
  out.reserve(snapshots_.size());
  for (const auto& s : snapshots_) out.push_back(s->iteration());
  return out;
}

std::shared_ptr<const Session> Timeline::nearest(const Session& live, int k) const {
  for (auto it = snapshots_.rbegin(); it != snapshots_.rend(); ++it)
    if ((*it)->iteration() <= k && continues(live, **it)) return *it;
  return nullptr;
}

int Timeline::base_for(const Session& live, int k) const {
  const auto s = nearest(live, k);
  return s ? s->iteration() : 0;
}

Session Timeline::at(const Session& live, int k, const std::atomic<bool>* cancel,
                     const Session* from) const {
  if (k < 0 || k > live.iteration())
    throw InputError("iteration", std::to_string(k) + " is not in this run; allowed: 0 to " +
                                      std::to_string(live.iteration()) +
                                      " (the iterations it has reached)");
  if (k == live.iteration() && live.at_iteration_boundary()) {
    Session now(live);
    now.set_cancel(cancel);
    return now;
  }
  const std::shared_ptr<const Session> snap = nearest(live, k);
  const bool use_from = from && from->at_iteration_boundary() && from->fault().empty() &&
                        from->iteration() <= k && continues(live, *from) &&
                        (!snap || from->iteration() >= snap->iteration());
  Session s = use_from ? Session(*from) : snap ? Session(*snap) : run_start(live, cancel);
  s.set_cancel(cancel);
  replay_to(s, live, k, {});
  return s;
}

void Timeline::replay(const Session& live, int from, int to,
                      const std::function<void(const Session&)>& observe,
                      const std::atomic<bool>* cancel) const {
  if (from < 0 || from > to || to > live.iteration())
    throw InputError("iteration", "a replay from " + std::to_string(from) + " to " +
                                      std::to_string(to) + "; allowed: 0 ≤ from ≤ to ≤ " +
                                      std::to_string(live.iteration()));
  Session s = at(live, from, cancel);
  replay_to(s, live, to, observe);
}

void Timeline::replay_to(Session& s, const Session& live, int k,
                         const std::function<void(const Session&)>& observe) {
  // What live made after s, up to the boundary of k (its changes made there included).
  std::vector<SettingChange> changes;
  for (size_t j = s.changes().size(); j < live.changes().size(); ++j) {
    const SettingChange& c = live.changes()[j];
    if (c.iteration > k || (c.iteration == k && c.phase != name_of(Phase::kCollect))) break;
    changes.push_back(c);
  }
  std::vector<WorldChange> edits;
  for (size_t j = s.world_changes().size(); j < live.world_changes().size(); ++j) {
    if (live.world_changes()[j].iteration > k) break;
    edits.push_back(live.world_changes()[j]);
  }
  if (!replay_run(s, changes, edits, k, nullptr, observe))
    throw std::runtime_error("the replay to iteration " + std::to_string(k) +
                             " paused at a fault in iteration " + std::to_string(s.iteration()) +
                             " (" + s.fault() + "), which the run did not");
}

}  // namespace pg
