#include "estimator/estimator_config.h"

#include "util/error.h"

namespace pg {

const char* name_of(Returns r) {
  return r == Returns::kTotal ? "total" : "reward-to-go";
}

const char* name_of(Baseline b) {
  switch (b) {
    case Baseline::kNone:
      return "none";
    case Baseline::kMean:
      return "mean";
    case Baseline::kTimeMean:
      return "time-mean";
    case Baseline::kLeaveOneOut:
      return "leave-one-out";
    case Baseline::kOptimal:
      return "optimal";
    case Baseline::kExactValue:
      return "exact-value";
    case Baseline::kCritic:
      return "critic";
  }
  return "?";
}

Returns returns_from_name(const std::string& s) {
  if (s == "total") return Returns::kTotal;
  PG_ASSERT(s == "reward-to-go",
            "returns name must be validated against the parameter table first");
  return Returns::kRewardToGo;
}

const std::vector<Baseline>& all_baselines() {
  static const std::vector<Baseline> all = {
      Baseline::kNone,    Baseline::kMean,       Baseline::kTimeMean, Baseline::kLeaveOneOut,
      Baseline::kOptimal, Baseline::kExactValue, Baseline::kCritic};
  return all;
}

Baseline baseline_from_name(const std::string& s) {
  for (Baseline b : all_baselines())
    if (s == name_of(b)) return b;
  PG_ASSERT(false, "baseline name must be validated against the parameter table first");
}

bool applies_discount_weighting(const EstimatorConfig& c) {
  return c.discount_weighting && c.returns == Returns::kRewardToGo;
}

bool is_unbiased(const EstimatorConfig& c, double gamma) {
  if (c.normalize) return false;
  if (c.baseline == Baseline::kMean || c.baseline == Baseline::kTimeMean ||
      c.baseline == Baseline::kOptimal)
    return false;
  // Total returns: R_i = Σ_t γ^t r_it already carries the discount (the flag does not apply).
  if (c.returns == Returns::kRewardToGo && gamma < 1.0 && !c.discount_weighting) return false;
  return true;
}

std::string describe(const EstimatorConfig& c) {
  std::string s = std::string("returns=") + name_of(c.returns) + " baseline=" + name_of(c.baseline);
  if (c.normalize) s += " normalize";
  if (applies_discount_weighting(c)) s += " discount_weighting";  // a no-op on total returns
  return s;
}

// ---- one table per baseline (issue 7)
// ------------------------------------------------------------

namespace {
constexpr BaselineSpec kBaselineSpecs[] = {
    {Baseline::kNone, "", "no baseline", "no baseline", "none"},
    {Baseline::kMean, "b̄", "b̄ = mean of the batch's returns R_j",
     "b̄ = mean of all G_jt in the batch", "batch mean"},
    {Baseline::kTimeMean, "b̄ₜ", "b̄ₜ = mean of Q̂_jt over episodes still running at t",
     "b̄ₜ = mean of Q̂_jt over episodes still running at t", "mean at step t"},
    {Baseline::kLeaveOneOut, "b₋ᵢ,ₜ", "b₋ᵢ = mean of the other episodes' returns R_j, j ≠ i",
     "b₋ᵢ,ₜ = mean of G_jt over the other episodes j ≠ i still running at t", "others' mean"},
    {Baseline::kOptimal, "b*ₖ", "b*ₖ = Σᵢ gᵢₖ² Rᵢ / Σᵢ gᵢₖ², one per parameter k",
     "b*ₖ = Σᵢ gᵢₖ² Rᵢ / Σᵢ gᵢₖ², one per parameter k (total returns only)", "per parameter"},
    {Baseline::kExactValue, "V^π(sᵢₜ)", "V^π(sᵢₜ) from the exact oracle",
     "V^π(sᵢₜ) from the exact oracle", "exact V^π(sₜ)"},
    {Baseline::kCritic, "V_φ(sᵢₜ)", "V_φ(sᵢₜ): the learned critic", "V_φ(sᵢₜ): the learned critic",
     "critic V_φ(sₜ)"},
};
}  // namespace

const BaselineSpec& baseline_spec(Baseline b) {
  for (const BaselineSpec& spec : kBaselineSpecs)
    if (spec.baseline == b) return spec;
  PG_ASSERT(false, "every Baseline has a row in kBaselineSpecs");
}

}  // namespace pg
