#include "estimator/estimator_config.h"

#include "util/error.h"

namespace pg {

Returns returns_from_name(const std::string& s) {
  return enum_from_valid_name<Returns>(s);
}

Baseline baseline_from_name(const std::string& s) {
  return enum_from_valid_name<Baseline>(s);
}

const std::vector<Baseline>& all_baselines() {
  static const std::vector<Baseline> all = [] {
    std::vector<Baseline> v;
    for (const BaselineSpec& row : EnumTable<Baseline>::rows) v.push_back(row.value);
    return v;
  }();
  return all;
}

std::string baseline_names_except(Baseline except) {
  std::string out;
  for (const BaselineSpec& row : EnumTable<Baseline>::rows)
    if (row.value != except) out += (out.empty() ? "" : ", ") + std::string(row.name);
  return out;
}

std::optional<EstimatorConfigProblem> estimator_config_problem(const EstimatorConfig& c) {
  if (c.baseline != Baseline::kOptimal) return std::nullopt;
  if (c.returns != Returns::kTotal)
    return EstimatorConfigProblem{"estimator.baseline",
                                  "optimal is defined for returns=total only; allowed with "
                                  "reward-to-go: " +
                                      baseline_names_except(Baseline::kOptimal)};
  if (c.normalize)
    return EstimatorConfigProblem{
        "estimator.normalize",
        "optimal is a per-parameter baseline and cannot be normalised; set normalize=false"};
  return std::nullopt;
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

const BaselineSpec& baseline_spec(Baseline b) {
  return enum_row(b);
}

}  // namespace pg
