#include "lab/bench_nn.h"

#include <Eigen/Core>
#include <algorithm>
#include <ctime>
#include <deque>
#include <vector>

#include "io/scenario.h"
#include "policy/mlp_softmax.h"
#include "session/session.h"
#include "util/rng.h"

namespace pg {

namespace {

// This thread's CPU time: the figure should not depend on what else shares the machine (the GUI's
// render thread, a parallel build), which wall-clock time would count.
double thread_cpu_ns() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e9 + static_cast<double>(ts.tv_nsec);
}

}  // namespace

double mlp_fwd_bwd_ns_per_sample() {
  constexpr int kObs = 4, kActions = 2, kBatch = 256;
  Rng rng = Rng::stream(0, 0, 0, Purpose::kLab);
  Rng init = Rng::stream(0, 0, 0, Purpose::kInit);
  const MlpSoftmax policy(kObs, {64, 64}, Activation::kTanh, kActions, init);
  Eigen::MatrixXd X(kObs, kBatch);
  std::vector<int> actions(kBatch);
  std::vector<double> scales(kBatch);
  for (int j = 0; j < kBatch; ++j) {
    for (int i = 0; i < kObs; ++i) X(i, j) = rng.normal();
    actions[j] = static_cast<int>(rng.below(kActions));
    scales[j] = rng.normal();
  }
  Eigen::VectorXd g = Eigen::VectorXd::Zero(policy.num_params());
  auto run = [&] {
    policy.add_grad_log_prob_batch(X, nullptr, actions.data(), scales.data(), kBatch, g);
  };

  for (int i = 0; i < 20; ++i) run();  // warm: buffers sized, caches hot
  // Time a short burst to size the main run to ~0.3 s.
  const double t0 = thread_cpu_ns();
  int probe = 0;
  while (thread_cpu_ns() - t0 < 3e7) {
    run();
    ++probe;
  }
  const double probe_ns = thread_cpu_ns() - t0;
  const long reps = std::max(10L, static_cast<long>(probe * 3e8 / probe_ns));
  const double t1 = thread_cpu_ns();
  for (long r = 0; r < reps; ++r) run();
  const double ns = thread_cpu_ns() - t1;
  // Keep g observable so the work cannot be optimised away.
  volatile double sink = g[0];
  (void)sink;
  return ns / (static_cast<double>(reps) * kBatch);
}

double ppo_us_per_step(Precision precision) {
  constexpr int kIterations = 50;
  Scenario s = load_scenario("cartpole-ppo");
  s.policy.precision = name_of(precision);
  Session session(s);
  session.set_statistics_wanted(false);  // CleanRL's loop: no ĝ at θ_old beside the update
  const double t0 = thread_cpu_ns();
  session.run_iterations(kIterations);
  const double ns = thread_cpu_ns() - t0;
  return ns * 1e-3 / static_cast<double>(session.total_steps());
}

double ppo_solve_s(Precision precision, long* steps) {
  constexpr int kSeeds = 5, kWindow = 20;
  constexpr double kBar = 475.0;
  std::vector<double> seconds;
  for (int seed = 1; seed <= kSeeds; ++seed) {
    Scenario s = load_scenario("cartpole-ppo");
    s.seed = static_cast<uint64_t>(seed);
    s.policy.precision = name_of(precision);
    Session session(s);
    session.set_statistics_wanted(false);
    std::deque<double> last;  // the last 20 finished episodes' returns
    bool solved = false;
    const double t0 = thread_cpu_ns();
    for (int i = 0; i < s.algorithm.iterations && !solved; ++i) {
      if (!session.run_iterations(1)) break;
      for (double ret : session.completed_returns()) {
        last.push_back(ret);
        if (static_cast<int>(last.size()) > kWindow) last.pop_front();
      }
      double m = 0.0;
      for (double v : last) m += v;
      solved = static_cast<int>(last.size()) == kWindow && m / kWindow >= kBar;
    }
    seconds.push_back((thread_cpu_ns() - t0) * 1e-9);
    if (steps) steps[seed - 1] = solved ? session.total_steps() : -1;
  }
  std::sort(seconds.begin(), seconds.end());
  return seconds[kSeeds / 2];
}

}  // namespace pg
