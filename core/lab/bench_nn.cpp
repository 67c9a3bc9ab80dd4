#include "lab/bench_nn.h"

#include <Eigen/Core>
#include <algorithm>
#include <ctime>
#include <vector>

#include "policy/mlp_softmax.h"
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

}  // namespace pg
