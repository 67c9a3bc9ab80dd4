#pragma once
// What the Replay view shows for a replay-based learner (SAC; Algorithm::replay_record()), from
// the session alone:
//   - ages: how many updates old the last update's samples were (every gradient step's), and the
//     ages of everything the buffer holds, both counted per age — how off-policy the update is;
//   - coverage: how many stored transitions start in each model state (finite worlds) and each
//     observation index, or the values of one state feature (worlds with features);
//   - Q_φ against Q^π: min(Q₁, Q₂)(s,a) (Q₁ alone without twins) against the exact Q^π of the
//     current θ for every non-terminal state and action (finite worlds), and the RMS error.
//
//   const ReplayReport r = analyse_replay(session, /*feature=*/0);
//   if (!r.applies) show(r.why_not);

#include <cstdint>
#include <string>
#include <vector>

namespace pg {

class Session;

struct ReplayReport {
  bool applies = false;
  std::string why_not;  // when !applies: one sentence
  int capacity = 0, size = 0;
  int64_t pushed = 0;
  // Ages in updates, counted: sample_age_count[k] samples of the last update were k updates old;
  // buffer_age_count[k] stored transitions were collected k iterations before the newest.
  int last_update = -1;  // the iteration of the last gradient steps; -1: none yet (warmup)
  std::vector<int> sample_age_count, buffer_age_count;
  double sample_age_mean = 0.0, buffer_age_mean = 0.0;
  // Coverage of the stored transitions' states s.
  std::vector<double> state_count;     // per model state (finite worlds; empty otherwise)
  std::vector<double> obs_count;       // per observation index (tabular observations)
  int obs_dim = 0;                     // features the buffer keeps (0: none)
  int feature = 0;                     // the feature below (clamped to [0, obs_dim))
  std::vector<double> feature_values;  // that feature of every stored s
  // Q_φ against the exact Q^π (infinite horizon: SAC bootstraps through truncation).
  bool has_exact = false;
  std::string exact_why_not;           // when !has_exact
  std::vector<double> q_exact, q_phi;  // one per (non-terminal state, action)
  std::vector<int> q_state, q_action;
  double q_rms = 0.0;
  double alpha = 0.0;
};

ReplayReport analyse_replay(const Session& s, int feature);

}  // namespace pg
