// `pglab landscape --axes p` in the short corridor prints the landscape view's gradient cloud: the
// JSON's "cloud" equals corridor_cloud (lab/landscape.h) called directly on the same session, bit
// for bit; its exact slope is the derivative of the README's closed form
// J(p) = (2p − 4)/(p(1 − p)) at the current p; and the samples' mean lies near it.
// The binary comes from the environment (PGLAB_BIN, set by tests/cli/CMakeLists.txt).
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "io/scenario.h"
#include "lab/landscape.h"
#include "session/session.h"

namespace pg {
namespace {

// Runs the binary with `args`, returns its stdout; fails the test on a non-zero exit.
std::string run_pglab(const std::string& args) {
  const char* bin = std::getenv("PGLAB_BIN");
  if (!bin) {
    ADD_FAILURE() << "PGLAB_BIN is not set (the path of the pglab binary)";
    return "";
  }
  const std::string cmd = std::string("'") + bin + "' " + args + " 2>/dev/null";
  FILE* pipe = popen(cmd.c_str(), "r");
  if (!pipe) {
    ADD_FAILURE() << "cannot run " << cmd;
    return "";
  }
  std::string out;
  std::array<char, 4096> buf{};
  size_t n = 0;
  while ((n = std::fread(buf.data(), 1, buf.size(), pipe)) > 0) out.append(buf.data(), n);
  const int status = pclose(pipe);
  EXPECT_EQ(status, 0) << cmd;
  return out;
}

// The CLI trains --iterations N with whole iterations (cli/common.cpp train_before), as here.
Session trained(int iterations) {
  Session s(load_scenario("short-corridor-reinforce"));
  EXPECT_TRUE(s.run_iterations(iterations));
  return s;
}

void expect_cloud_equals(const nlohmann::json& j, const CorridorCloud& c) {
  ASSERT_TRUE(j.is_object()) << j.dump();
  // %.17g round-trips a double: every number is compared for equality, not within a tolerance.
  EXPECT_EQ(j.at("samples").get<size_t>(), c.slopes.size());
  EXPECT_EQ(j.at("p").get<double>(), c.p0);
  EXPECT_EQ(j.at("J").get<double>(), c.J0);
  EXPECT_EQ(j.at("slope_exact").get<double>(), c.slope_exact);
  EXPECT_EQ(j.at("slope_mean").get<double>(), c.slope_mean);
  EXPECT_EQ(j.at("slope_stderr").get<double>(), c.slope_stderr);
  EXPECT_EQ(j.at("slope_std").get<double>(), c.slope_std);
  const std::vector<double> slopes = j.at("slopes").get<std::vector<double>>();
  ASSERT_EQ(slopes.size(), c.slopes.size());
  for (size_t k = 0; k < slopes.size(); ++k) EXPECT_EQ(slopes[k], c.slopes[k]) << "slope " << k;
}

TEST(CliCorridorCloud, JsonCloudIsTheViewsCloud) {
  for (int iterations : {0, 3}) {
    SCOPED_TRACE("iterations " + std::to_string(iterations));
    const std::string out = run_pglab(
        "landscape --scenario short-corridor-reinforce --axes p --grid 9 --json --iterations " +
        std::to_string(iterations));
    const nlohmann::json d = nlohmann::json::parse(out);
    // The view's K and curve (gui/views/landscape_view.cpp: LandscapeViewState::samples).
    const Session s = trained(iterations);
    const CorridorCloud c = corridor_cloud(s, kCorridorCloudSamples, kCorridorCurvePoints);
    ASSERT_EQ(c.slopes.size(), 200u);
    expect_cloud_equals(d.at("cloud"), c);
    // The cloud's p is the landscape's origin.
    EXPECT_EQ(d.at("origin_x").get<double>(), c.p0);
  }
}

TEST(CliCorridorCloud, SamplesFlagAndExactSlope) {
  const std::string out = run_pglab(
      "landscape --scenario short-corridor-reinforce --axes p --grid 9 --samples 2000 --json");
  const nlohmann::json cloud = nlohmann::json::parse(out).at("cloud");
  const Session s = trained(0);
  expect_cloud_equals(cloud, corridor_cloud(s, 2000));
  // dJ/dp of J(p) = (2p − 4)/(p(1 − p)) is (2p(1 − p) − (2p − 4)(1 − 2p)) / (p(1 − p))²
  // = (2p² − 8p + 4) / (p(1 − p))²: the exact ∇J (exact/exact.h) against the closed form, to
  // rounding (both are sums of a few terms at p ≈ 0.5).
  const double p = cloud.at("p").get<double>();
  const double q = p * (1 - p);
  const double closed = (2 * p * p - 8 * p + 4) / (q * q);
  const double exact = cloud.at("slope_exact").get<double>();
  EXPECT_NEAR(exact, closed, 1e-12 * std::abs(closed)) << "p = " << p;
  // REINFORCE is unbiased, so the mean of the K = 2000 sampled slopes lies within 3 standard
  // errors of the exact slope: K batches of one episode are independent, the mean is close to
  // normal at this K, and |z| > 3 has probability 0.3% — with this fixed seed the test is
  // deterministic (measured z printed below). A slope estimate off by 20% (one s.e. here is
  // ≈ 6% of the slope) fails.
  const double mean = cloud.at("slope_mean").get<double>();
  const double se = cloud.at("slope_stderr").get<double>();
  ASSERT_GT(se, 0.0);
  std::printf("exact dJ/dp %.6g, sample mean %.6g ± %.3g (s.e.), z = %.3f\n", exact, mean, se,
              (mean - exact) / se);
  EXPECT_NEAR(mean, exact, 3 * se);
  EXPECT_LT(se, 0.1 * std::abs(exact));  // the 3 s.e. margin is tight enough to catch a 20% bias
}

}  // namespace
}  // namespace pg
