#pragma once
// The REINFORCE estimator settings of DESIGN.md §3 (contract).

#include <optional>
#include <string>
#include <vector>

#include "util/enum_table.h"

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

// The four settings' names in a scenario's "estimator" block (its keys are "estimator." + name),
// in live_keys() order: the one list the session's live changes, a fork's saved setting and its
// check read.
inline constexpr const char* kEstimatorSettings[] = {"returns", "baseline", "normalize",
                                                     "discount_weighting"};

// Names as in scenarios and dumps come from the tables below (name_of, enum_names).
Returns returns_from_name(const std::string& s);  // PG_ASSERTs a valid name (validated upstream)
Baseline baseline_from_name(const std::string& s);
const std::vector<Baseline>& all_baselines();  // in table order
// "none, mean, …" without `except` (messages: the baselines allowed where one is not).
std::string baseline_names_except(Baseline except);

// The rules a setting obeys in every world: the optimal baseline is defined for total returns only
// and, being per parameter, is not normalised. The offending key ("estimator.baseline" or
// "estimator.normalize") and why, or nothing. Scenario validation and the Python module's
// estimate() both ask this one function (the module once skipped the normalize rule: audit a12 F2).
struct EstimatorConfigProblem {
  std::string key;
  std::string what;
};
std::optional<EstimatorConfigProblem> estimator_config_problem(const EstimatorConfig& c);

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

// ---- one table per concept (issue 7): parser, messages, formula panel, inspector and views -----
template <>
struct EnumTable<Returns> {
  static constexpr EnumRow<Returns> rows[] = {
      {Returns::kTotal, "total", "total return", "Q̂ₜ = R: every step weighted by the whole return"},
      {Returns::kRewardToGo, "reward-to-go", "reward-to-go",
       "Q̂ₜ = Gₜ: each step weighted only by what follows it (causality)"},
  };
};

struct BaselineSpec {
  Baseline value;
  const char* name;           // estimator.baseline: "none", "mean", …
  const char* title;          // a few words for a legend or a table cell ("others' mean")
  const char* meaning;        // one line for a tooltip or a README list
  const char* symbol;         // as the formula writes it: "b̄", "V^π(sᵢₜ)", …; "" for none
  const char* meaning_total;  // one line, with returns = total
  const char* meaning_rtg;    // one line, with returns = reward-to-go
  const char* meaning_for(Returns r) const {
    return r == Returns::kTotal ? meaning_total : meaning_rtg;
  }
};
template <>
struct EnumTable<Baseline> {
  static constexpr BaselineSpec rows[] = {
      {Baseline::kNone, "none", "none", "nothing is subtracted", "", "no baseline", "no baseline"},
      {Baseline::kMean, "mean", "batch mean", "the batch's mean return", "b̄",
       "b̄ = mean of the batch's returns Rⱼ", "b̄ = mean of all Gⱼₜ in the batch"},
      {Baseline::kTimeMean, "time-mean", "mean at step t",
       "the mean return of the episodes still running at t", "b̄ₜ",
       "b̄ₜ = mean of Q̂ⱼₜ over episodes still running at t",
       "b̄ₜ = mean of Q̂ⱼₜ over episodes still running at t"},
      {Baseline::kLeaveOneOut, "leave-one-out", "others' mean",
       "the mean return of the other episodes (unbiased)", "b₋ᵢ,ₜ",
       "b₋ᵢ = mean of the other episodes' returns Rⱼ, j ≠ i",
       "b₋ᵢ,ₜ = mean of Gⱼₜ over the other episodes j ≠ i still running at t"},
      {Baseline::kOptimal, "optimal", "per parameter",
       "the variance-minimising constant, one per parameter (total returns)", "b*ₖ",
       "b*ₖ = Σᵢ gᵢₖ² Rᵢ / Σᵢ gᵢₖ², one per parameter k",
       "b*ₖ = Σᵢ gᵢₖ² Rᵢ / Σᵢ gᵢₖ², one per parameter k (total returns only)"},
      {Baseline::kExactValue, "exact-value", "exact V^π(sₜ)",
       "V^π(sₜ) from the exact oracle (finite worlds)", "V^π(sᵢₜ)",
       "V^π(sᵢₜ) from the exact oracle", "V^π(sᵢₜ) from the exact oracle"},
      {Baseline::kCritic, "critic", "critic V_φ(sₜ)", "the learned critic's value", "V_φ(sᵢₜ)",
       "V_φ(sᵢₜ): the learned critic", "V_φ(sᵢₜ): the learned critic"},
  };
};
const BaselineSpec& baseline_spec(Baseline b);

}  // namespace pg
