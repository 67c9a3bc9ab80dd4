// The variance lab's 2-D plane: x along the exact gradient (or the mean direction), y the top
// principal direction of the residuals orthogonal to it — against a naive dense eigensolver.
#include <gtest/gtest.h>

#include <Eigen/Eigenvalues>
#include <cmath>
#include <random>

#include "lab/variance_plane.h"
#include "session/session.h"

namespace pg {

namespace {

// A report with two settings whose samples are built by hand.
VarianceReport synthetic(int P, int K, const Eigen::VectorXd& exact, std::mt19937& rng,
                         const Eigen::MatrixXd& mix) {
  std::normal_distribution<double> n01(0.0, 1.0);
  VarianceReport rep;
  rep.samples = K;
  rep.exact_gradient = exact;
  for (int j = 0; j < 2; ++j) {
    VarianceSetting v;
    v.config.returns = Returns::kTotal;
    v.config.baseline = j == 0 ? Baseline::kNone : Baseline::kLeaveOneOut;
    v.mean = Eigen::VectorXd::Zero(P);
    for (int k = 0; k < K; ++k) {
      Eigen::VectorXd z(P);
      for (int i = 0; i < P; ++i) z(i) = n01(rng);
      Eigen::VectorXd g = Eigen::VectorXd::Constant(P, 0.3 * j) + (j + 1.0) * mix * z;
      v.samples.push_back(g);
      v.mean += g;
    }
    v.mean /= K;
    rep.settings.push_back(v);
  }
  return rep;
}

// The naive reference: dense covariance of the residuals with their e₁ part removed, top eigvec.
Eigen::VectorXd naive_top(const VarianceReport& rep, const Eigen::VectorXd& e1) {
  const int P = static_cast<int>(e1.size());
  Eigen::MatrixXd C = Eigen::MatrixXd::Zero(P, P);
  for (const auto& v : rep.settings)
    for (const auto& g : v.samples) {
      Eigen::VectorXd r = g - v.mean;
      r -= r.dot(e1) * e1;
      C += r * r.transpose();
    }
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(C);
  return es.eigenvectors().col(P - 1);  // eigenvalues ascending
}

}  // namespace

TEST(VariancePlane, XIsTheExactGradientYIsTheTopResidualDirection) {
  const int P = 10, K = 300;
  std::mt19937 rng(7);
  Eigen::MatrixXd mix = Eigen::MatrixXd::Identity(P, P) * 0.2;
  mix(3, 3) = 3.0;  // the dominant noise direction: axis 3 (and a bit of axis 0, which e₁ removes)
  mix(0, 3) = 1.0;
  Eigen::VectorXd exact = Eigen::VectorXd::Zero(P);
  exact(0) = 2.0;
  exact(1) = 1.0;
  const VarianceReport rep = synthetic(P, K, exact, rng, mix);
  const VariancePlane plane = variance_plane(rep);
  EXPECT_TRUE(plane.x_is_exact);
  EXPECT_NEAR((plane.x_axis - exact.normalized()).norm(), 0.0, 1e-14);
  EXPECT_NEAR(plane.y_axis.norm(), 1.0, 1e-12);
  EXPECT_NEAR(plane.x_axis.dot(plane.y_axis), 0.0, 1e-12);
  const Eigen::VectorXd ref = naive_top(rep, plane.x_axis);
  EXPECT_NEAR(std::abs(plane.y_axis.dot(ref)), 1.0, 1e-8);
  EXPECT_GT(std::abs(plane.y_axis(3)), 0.95);  // and it is the axis the noise was put on
  EXPECT_GT(plane.shown_fraction, 0.5);
  EXPECT_LE(plane.shown_fraction, 1.0);
}

TEST(VariancePlane, ProjectionsAreDotProducts) {
  const int P = 5, K = 20;
  std::mt19937 rng(3);
  const Eigen::MatrixXd mix = Eigen::MatrixXd::Random(P, P);
  Eigen::VectorXd exact = Eigen::VectorXd::Zero(P);
  exact(2) = -4.0;
  const VarianceReport rep = synthetic(P, K, exact, rng, mix);
  const VariancePlane plane = variance_plane(rep);
  // x axis is −e₂ (the exact gradient's direction, sign included).
  EXPECT_DOUBLE_EQ(plane.x_axis(2), -1.0);
  const std::vector<PlaneCloud> clouds = project_clouds(rep, plane);
  ASSERT_EQ(clouds.size(), 2u);
  for (int j = 0; j < 2; ++j) {
    ASSERT_EQ(clouds[j].x.size(), static_cast<size_t>(K));
    double mx = 0, my = 0;
    for (int k = 0; k < K; ++k) {
      const Eigen::VectorXd& g = rep.settings[j].samples[k];
      EXPECT_DOUBLE_EQ(clouds[j].x[k], -g(2));
      EXPECT_NEAR(clouds[j].y[k], g.dot(plane.y_axis), 1e-14);
      mx += clouds[j].x[k];
      my += clouds[j].y[k];
    }
    EXPECT_NEAR(clouds[j].mean_x, mx / K, 1e-12);
    EXPECT_NEAR(clouds[j].mean_y, my / K, 1e-12);
  }
  // The exact gradient lands on the x axis at its norm.
  const Eigen::Vector2d e = project(plane, exact);
  EXPECT_DOUBLE_EQ(e.x(), 4.0);
  EXPECT_NEAR(e.y(), 0.0, 1e-15);
}

TEST(VariancePlane, ResidualsInThePlaneAreAllShown) {
  // Residuals only along e₁ and one orthogonal direction: the plane holds all of the scatter.
  const int P = 6, K = 50;
  std::mt19937 rng(11);
  Eigen::MatrixXd mix = Eigen::MatrixXd::Zero(P, P);
  mix(0, 0) = 1.0;
  mix(4, 1) = 2.0;
  Eigen::VectorXd exact = Eigen::VectorXd::Unit(P, 0);
  const VariancePlane plane = variance_plane(synthetic(P, K, exact, rng, mix));
  EXPECT_NEAR(plane.shown_fraction, 1.0, 1e-12);
  EXPECT_NEAR(std::abs(plane.y_axis(4)), 1.0, 1e-12);
}

// One observation, two actions (the short corridor, any two-armed bandit): every ĝ and ∇J is a
// multiple of (1, −1), so there is no sideways scatter at all. The residuals' part across ∇J is
// rounding (~1e-14 for ĝ of norm ~300); an absolute threshold took it for scatter and a single
// Gram–Schmidt pass left the y axis at y·x ≈ 0.07 (audit a9 F1: a tilted cloud, "across" ±500).
TEST(VariancePlane, ResidualsAllAlongTheGradientShowNoSidewaysScatter) {
  std::mt19937 rng(1);
  std::normal_distribution<double> n01(0.0, 1.0);
  VarianceReport rep;
  rep.samples = 200;
  rep.exact_gradient = Eigen::Vector2d(-75.9, 75.9);
  for (int j = 0; j < 3; ++j) {
    VarianceSetting v;
    v.config.returns = Returns::kTotal;
    v.config.baseline = j == 0 ? Baseline::kNone : Baseline::kLeaveOneOut;
    v.mean = Eigen::Vector2d::Zero();
    for (int k = 0; k < rep.samples; ++k) {
      const double a = -75.9 + (300.0 / (j + 1)) * n01(rng);
      v.samples.push_back(Eigen::Vector2d(a, -a));
      v.mean += v.samples.back();
    }
    v.mean /= rep.samples;
    rep.settings.push_back(v);
  }
  const VariancePlane plane = variance_plane(rep);
  ASSERT_TRUE(plane.x_is_exact);
  EXPECT_NEAR(plane.y_axis.norm(), 1.0, 1e-15);
  EXPECT_NEAR(plane.x_axis.dot(plane.y_axis), 0.0, 1e-15);
  EXPECT_NEAR(plane.shown_fraction, 1.0, 1e-12);
  // Every estimate on the x axis: across is 0 to rounding of its size along.
  for (const PlaneCloud& c : project_clouds(rep, plane))
    for (size_t k = 0; k < c.x.size(); ++k)
      EXPECT_LE(std::abs(c.y[k]), 1e-13 * (1.0 + std::abs(c.x[k])));
}

// The same on the shipped short corridor, as the variance view runs it (lesson 3, step 1).
TEST(VariancePlane, OnTheShortCorridorTheCloudLiesOnTheGradient) {
  Session s(load_scenario("short-corridor-reinforce"));
  ASSERT_TRUE(s.run_iterations(5));
  VarianceOptions o;
  o.keep_samples = true;
  const VarianceReport rep = run_variance(s, all_settings(s), 100, o);
  const VariancePlane plane = variance_plane(rep);
  ASSERT_TRUE(plane.x_is_exact);
  ASSERT_EQ(plane.x_axis.size(), 2);
  EXPECT_NEAR(plane.x_axis.dot(plane.y_axis), 0.0, 1e-15);
  double along = 0.0, across = 0.0;
  for (const PlaneCloud& c : project_clouds(rep, plane))
    for (size_t k = 0; k < c.x.size(); ++k) {
      along = std::max(along, std::abs(c.x[k]));
      across = std::max(across, std::abs(c.y[k]));
    }
  EXPECT_GT(along, 1.0);
  EXPECT_LE(across, 1e-12 * along);
}

TEST(VariancePlane, WithoutAModelXIsTheTotalNoneMean) {
  const int P = 4, K = 40;
  std::mt19937 rng(5);
  const Eigen::MatrixXd mix = Eigen::MatrixXd::Identity(P, P);
  VarianceReport rep = synthetic(P, K, Eigen::VectorXd(), rng, mix);
  const VariancePlane plane = variance_plane(rep);
  EXPECT_FALSE(plane.x_is_exact);
  EXPECT_FALSE(plane.x_is_pc);
  EXPECT_NEAR((plane.x_axis - rep.settings[0].mean.normalized()).norm(), 0.0, 1e-14);
}

TEST(VariancePlane, OnTheGridworldVarianceLab) {
  Scenario sc = load_scenario("gridworld-reinforce");
  Session s(sc);
  ASSERT_TRUE(s.run_iterations(5));
  VarianceOptions o;
  o.keep_samples = true;
  const VarianceReport rep = run_variance(s, all_settings(s), 60, o);
  const VariancePlane plane = variance_plane(rep);
  ASSERT_TRUE(plane.x_is_exact);
  EXPECT_NEAR((plane.x_axis - rep.exact_gradient.normalized()).norm(), 0.0, 1e-12);
  EXPECT_NEAR(plane.x_axis.dot(plane.y_axis), 0.0, 1e-10);
  const Eigen::VectorXd ref = naive_top(rep, plane.x_axis);
  EXPECT_NEAR(std::abs(plane.y_axis.dot(ref)), 1.0, 1e-6);
}

TEST(VarianceOptions, BatchSizeProgressAndTheDefaultAgree) {
  Session s(load_scenario("gridworld-reinforce"));
  ASSERT_TRUE(s.run_iterations(2));
  const std::vector<EstimatorConfig> settings = all_settings(s);
  // The options overload with defaults is the old call, bit for bit.
  const VarianceReport a = run_variance(s, settings, 10);
  std::atomic<int> progress{0};
  VarianceOptions o;
  o.progress = &progress;
  const VarianceReport b = run_variance(s, settings, 10, o);
  EXPECT_EQ(progress.load(), 10);
  ASSERT_EQ(a.settings.size(), b.settings.size());
  for (size_t j = 0; j < a.settings.size(); ++j) EXPECT_EQ(a.settings[j].mean, b.settings[j].mean);
  // Another batch size is that scenario's variance lab.
  o.batch_episodes = 4;
  const VarianceReport c = run_variance(s, settings, 10, o);
  EXPECT_EQ(c.batch_episodes, 4);
  // trace Cov ∝ 1/N: N = 4 instead of 16 is ~4× the variance; 2× leaves room for K = 10's noise.
  EXPECT_GT(c.settings[0].trace_cov, 2.0 * a.settings[0].trace_cov);
  // Cancel: an empty report.
  std::atomic<bool> cancel{true};
  o.cancel = &cancel;
  EXPECT_TRUE(run_variance(s, settings, 10, o).settings.empty());
}

}  // namespace pg
