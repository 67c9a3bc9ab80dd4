#pragma once
// The REINFORCE estimator settings of DESIGN.md §3 (contract).

#include <string>
#include <vector>

namespace pg {

enum class Returns { kTotal, kRewardToGo };
enum class Baseline { kNone, kMean, kTimeMean, kLeaveOneOut, kOptimal, kExactValue, kCritic };

struct EstimatorConfig {
  Returns returns = Returns::kRewardToGo;
  Baseline baseline = Baseline::kNone;
  bool normalize = false;
  bool discount_weighting = false;

  bool operator==(const EstimatorConfig&) const = default;
};

// Names as in scenarios and dumps: "total", "reward-to-go"; "none", "mean", "time-mean",
// "leave-one-out", "optimal", "exact-value", "critic".
const char* name_of(Returns r);
const char* name_of(Baseline b);
Returns returns_from_name(const std::string& s);  // PG_ASSERTs a valid name (validated upstream)
Baseline baseline_from_name(const std::string& s);
const std::vector<Baseline>& all_baselines();

// Whether ψ_it is multiplied by γ^t (DESIGN.md §3): discount_weighting with reward-to-go only.
// Total returns already weight every reward by γ^t from the episode's start, so the flag does not
// change them. Every place that assembles ψ the REINFORCE way asks this, never the flag itself.
bool applies_discount_weighting(const EstimatorConfig& c);

// Whether the setting is an unbiased estimate of ∇J (the exact policy gradient of the discounted
// objective) — the theory the variance lab checks (DESIGN.md §3):
//  - total returns with none, leave-one-out, exact-value or critic, whatever discount_weighting
//    says (it does not apply to them);
//  - reward-to-go with those baselines when γ = 1 or with discount weighting: G_it alone drops
//    the γ^t that the discounted objective puts on step t's reward-to-go;
//  - mean, time-mean and optimal baselines reuse the same batch, which biases them by O(1/N);
//  - normalize rescales ψ by a batch statistic: biased (it is a different direction's scale).
bool is_unbiased(const EstimatorConfig& c, double gamma);

// "returns=reward-to-go baseline=mean" for tables and legends.
std::string describe(const EstimatorConfig& c);

// ---- one table per baseline (issue 7): the formula panel, the inspector and the views read it --
struct BaselineSpec {
  Baseline baseline;
  const char* symbol;         // as the formula writes it: "b̄", "V^π(sᵢₜ)", …; "" for none
  const char* meaning_total;  // one line, with returns = total
  const char* meaning_rtg;    // one line, with returns = reward-to-go
  const char* short_label;    // a few words for a legend or a table cell ("others' mean")
  const char* meaning(Returns r) const {
    return r == Returns::kTotal ? meaning_total : meaning_rtg;
  }
};
const BaselineSpec& baseline_spec(Baseline b);

}  // namespace pg
