// Advantages against naive references written from the definitions (CleanRL's GAE equivalence
// habit): GAE(λ=0) = TD(0), GAE(λ=1) = MC, n-step with n ≥ T = MC, and GAE against the explicit
// sum Σ_l (γλ)^l δ_{t+l}; termination bootstraps from 0, truncation and cuts from V(s_T).
#include <gtest/gtest.h>

#include <cmath>

#include "estimator/advantages.h"
#include "util/rng.h"

namespace pg {

namespace {

Batch make_batch() {
  Batch b;
  Rng rng = Rng::stream(5, 0, 0, Purpose::kLab);
  const bool term[3] = {true, false, false};
  const bool trunc[3] = {false, true, false};
  const bool cut[3] = {false, false, true};
  for (int i = 0; i < 3; ++i) {
    Trajectory tr;
    tr.clear(0);
    const int T = 4 + 3 * i;
    for (int t = 0; t < T; ++t) {
      tr.actions.push_back(0);
      tr.obs_index.push_back(0);
      tr.rewards.push_back(rng.uniform(-1, 2));
    }
    tr.terminated = term[i];
    tr.truncated = trunc[i];
    tr.cut = cut[i];
    b.trajectories.push_back(tr);
  }
  return b;
}

struct Flat {
  std::vector<int> offset;
  std::vector<double> V, final_V;
};

Flat values_for(const Batch& b) {
  Flat f;
  f.offset.push_back(0);
  Rng rng = Rng::stream(6, 0, 0, Purpose::kLab);
  for (const auto& tr : b.trajectories) {
    f.offset.push_back(f.offset.back() + tr.length());
    for (int t = 0; t < tr.length(); ++t) f.V.push_back(rng.uniform(-1, 1));
    f.final_V.push_back(rng.uniform(-1, 1));
  }
  return f;
}

std::vector<double> run(const Batch& b, const Flat& f, AdvantageKind k, double gamma, double lambda,
                        int n) {
  std::vector<double> adv(f.V.size()), tgt(f.V.size());
  compute_advantages(b, {k, gamma, lambda, n}, f.offset, f.V.data(), f.final_V.data(), adv.data(),
                     tgt.data());
  for (size_t i = 0; i < adv.size(); ++i) EXPECT_NEAR(tgt[i], adv[i] + f.V[i], 1e-12);
  return adv;
}

}  // namespace

TEST(Advantages, GaeMatchesTheExplicitSum) {
  const Batch b = make_batch();
  const Flat f = values_for(b);
  const double g = 0.9, lam = 0.7;
  const auto adv = run(b, f, AdvantageKind::kGAE, g, lam, 1);
  for (int i = 0; i < b.size(); ++i) {
    const auto& tr = b.trajectories[i];
    const int T = tr.length();
    const double vT = tr.terminated ? 0.0 : f.final_V[i];
    auto V = [&](int t) { return t < T ? f.V[f.offset[i] + t] : vT; };
    for (int t = 0; t < T; ++t) {
      double sum = 0.0;
      for (int l = 0; t + l < T; ++l) {
        const double delta = tr.rewards[t + l] + g * V(t + l + 1) - V(t + l);
        sum += std::pow(g * lam, l) * delta;
      }
      EXPECT_NEAR(adv[f.offset[i] + t], sum, 1e-12) << "traj " << i << " t " << t;
    }
  }
}

TEST(Advantages, LimitsAgree) {
  const Batch b = make_batch();
  const Flat f = values_for(b);
  const double g = 0.95;
  const auto gae0 = run(b, f, AdvantageKind::kGAE, g, 0.0, 1);
  const auto td0 = run(b, f, AdvantageKind::kTD0, g, 0.0, 1);
  const auto gae1 = run(b, f, AdvantageKind::kGAE, g, 1.0, 1);
  const auto mc = run(b, f, AdvantageKind::kMonteCarlo, g, 0.0, 1);
  const auto n1 = run(b, f, AdvantageKind::kNStep, g, 0.0, 1);
  const auto nbig = run(b, f, AdvantageKind::kNStep, g, 0.0, 1000);
  for (size_t k = 0; k < mc.size(); ++k) {
    EXPECT_NEAR(gae0[k], td0[k], 1e-12);
    EXPECT_NEAR(gae1[k], mc[k], 1e-12);
    EXPECT_NEAR(n1[k], td0[k], 1e-12);
    EXPECT_NEAR(nbig[k], mc[k], 1e-12);
  }
}

TEST(Advantages, TerminationBootstrapsFromZeroTruncationFromV) {
  Batch b;
  Trajectory tr;
  tr.clear(0);
  tr.actions = {0};
  tr.obs_index = {0};
  tr.rewards = {1.0};
  tr.terminated = true;
  b.trajectories.push_back(tr);
  tr.terminated = false;
  tr.truncated = true;
  b.trajectories.push_back(tr);
  std::vector<int> offset = {0, 1, 2};
  std::vector<double> V = {0.5, 0.5}, finals = {10.0, 10.0}, adv(2), tgt(2);
  compute_advantages(b, {AdvantageKind::kTD0, 0.9, 0.0, 1}, offset, V.data(), finals.data(),
                     adv.data(), tgt.data());
  EXPECT_DOUBLE_EQ(adv[0], 1.0 - 0.5);               // V(s_T) = 0 after termination
  EXPECT_DOUBLE_EQ(adv[1], 1.0 + 0.9 * 10.0 - 0.5);  // bootstrapped after truncation
}

TEST(Advantages, NormalizeInPlace) {
  std::vector<double> x = {1, 2, 3, 4};
  normalize_in_place(x.data(), 4);
  double m = 0, v = 0;
  for (double e : x) m += e;
  for (double e : x) v += e * e;
  EXPECT_NEAR(m, 0.0, 1e-12);
  EXPECT_NEAR(v / 4, 1.0, 1e-7);
}

}  // namespace pg
