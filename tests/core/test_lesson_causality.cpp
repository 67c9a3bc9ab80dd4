// The causality/baseline lesson (assets/scenarios/lesson-causality-baselines.json) at iteration 0
// and at the iterations its description sends the class to (10, 25, 50), θ trained by the
// scenario's own settings:
//  (a) every setting marked unbiased averages to the exact ∇J within 3 standard errors;
//  (b) the textbook ordering of the trace of the covariance holds:
//      total/none ≥ reward-to-go/none ≥ reward-to-go/exact-value.
#include <gtest/gtest.h>

#include "lab/variance.h"
#include "session/session.h"

namespace pg {
namespace {

const VarianceSetting& find(const VarianceReport& r, Returns ret, Baseline b) {
  for (const auto& v : r.settings)
    if (v.config.returns == ret && v.config.baseline == b) return v;
  throw std::runtime_error("setting missing from the variance report");
}

}  // namespace

TEST(LessonCausality, UnbiasedSettingsAndTheTextbookOrderingAtEveryVisitedIteration) {
  Session s(load_scenario("lesson-causality-baselines"));
  ASSERT_EQ(s.env().gamma(), 1.0);
  int done = 0;
  for (int iteration : {0, 10, 25, 50}) {
    ASSERT_TRUE(s.run_iterations(iteration - done));
    done = iteration;
    SCOPED_TRACE("iteration " + std::to_string(iteration));
    // K = 1000 batches of the lesson's N = 16, every setting on the same batches.
    const VarianceReport rep = run_variance(s, all_settings(s), 1000);
    ASSERT_GT(rep.exact_gradient.norm(), 0.0);
    int unbiased = 0;
    for (const VarianceSetting& v : rep.settings) {
      if (!v.unbiased) continue;
      ++unbiased;
      // For an unbiased setting E‖ḡ − ∇J‖² = tr Cov / K = bias_stderr², so the ratio below is about
      // 1; with ~60 parameters it concentrates there (a χ²-like sum over many directions), and 3 is
      // far in its tail. Measured at these fixed seeds: 0.75–1.14 over the 8 settings × 4
      // iterations.
      EXPECT_LT(v.bias_norm, 3.0 * v.bias_stderr)
          << describe(v.config) << ": ‖ḡ − ∇J‖ = " << v.bias_norm << ", standard error "
          << v.bias_stderr;
    }
    // total and reward-to-go (both unbiased at γ = 1) with none, leave-one-out and exact-value (no
    // critic: the lesson trains with leave-one-out, so its V_φ is never fitted and the lab leaves
    // it out).
    EXPECT_EQ(unbiased, 6);
    const double total = find(rep, Returns::kTotal, Baseline::kNone).trace_cov;
    const double rtg = find(rep, Returns::kRewardToGo, Baseline::kNone).trace_cov;
    const double rtg_v = find(rep, Returns::kRewardToGo, Baseline::kExactValue).trace_cov;
    // Measured (K = 1000): total/none 977, 319, 34.2, 10.6; rtg/none 343, 115, 14.5, 4.65;
    // rtg/exact-value 26.5, 26.4, 2.63, 0.60 at iterations 0, 10, 25, 50 — ratios of at least 2.3
    // and 4.3, while a trace estimated from K = 1000 batches is good to a few per cent.
    EXPECT_GT(total, rtg) << "total/none " << total << " vs reward-to-go/none " << rtg;
    EXPECT_GT(rtg, rtg_v) << "reward-to-go/none " << rtg << " vs reward-to-go/exact-value "
                          << rtg_v;
    // The 3-standard-error test has the power to see an O(1/N) bias: the optimal baseline, fitted
    // on the batch it weights, is flagged (measured 5.3–6.5 standard errors at iterations
    // 10–50; 3.9 at 0).
    if (iteration > 0) {
      const VarianceSetting& opt = find(rep, Returns::kTotal, Baseline::kOptimal);
      EXPECT_GT(opt.bias_norm, 3.0 * opt.bias_stderr);
    }
    std::printf("iteration %d: trace total/none %.4g, rtg/none %.4g, rtg/exact-value %.4g\n",
                iteration, total, rtg, rtg_v);
  }
}

}  // namespace pg
