// pglab variance: K estimates at a fixed θ for every returns × baseline setting (common random
// numbers), with bias against the exact gradient where one exists.
#include <cstdio>

#include "cli/commands.h"
#include "lab/variance.h"
#include "session/budget.h"
#include "session/session.h"

namespace pg::cli {

void add_variance(CLI::App& app, VarianceArgs& a) {
  CLI::App* cmd = app.add_subcommand("variance", "Variance, bias and SNR of every estimator setting at a fixed θ");
  add_scenario_options(*cmd, a.scenario);
  cmd->add_option("--samples", a.samples, "Number K of independent estimates")->check(CLI::Range(2, 10000000));
  cmd->add_option("--iterations", a.iterations, "Train this many iterations first")->check(CLI::Range(0, 10000000));
  cmd->add_flag("--json", a.json, "Print JSON instead of a table");
  cmd->callback([&a] { a.chosen = true; });
}

int run_variance_cmd(const VarianceArgs& a) {
  Session s(resolve(a.scenario));
  require_variance_fits(s, a.samples);  // K estimates × settings × parameters must fit in memory (exit 2)
  if (!s.run_iterations(a.iterations)) {
    std::fprintf(stderr, "pglab variance: %s\n", s.fault().c_str());
    return kExitFailed;
  }
  const VarianceReport rep = run_variance(s, all_settings(s), a.samples);
  if (a.json) {
    std::printf("{\"samples\": %d, \"batch_episodes\": %d, \"exact_gradient_norm\": %s, \"settings\": [", rep.samples,
                rep.batch_episodes,
                rep.exact_gradient.size() ? json_number(rep.exact_gradient.norm()).c_str() : "null");
    for (size_t i = 0; i < rep.settings.size(); ++i) {
      const VarianceSetting& v = rep.settings[i];
      std::printf("%s\n  {\"returns\": \"%s\", \"baseline\": \"%s\", \"normalize\": %s, \"discount_weighting\": %s, "
                  "\"unbiased\": %s, \"trace_cov\": %s, \"bias_norm\": %s, \"bias_stderr\": %s, \"cosine_mean\": %s, "
                  "\"snr\": %s}",
                  i ? "," : "", name_of(v.config.returns), name_of(v.config.baseline),
                  v.config.normalize ? "true" : "false", v.config.discount_weighting ? "true" : "false",
                  v.unbiased ? "true" : "false", json_number(v.trace_cov).c_str(),
                  v.has_bias ? json_number(v.bias_norm).c_str() : "null",
                  v.has_bias ? json_number(v.bias_stderr).c_str() : "null", json_number(v.cosine_mean).c_str(),
                  json_number(v.snr).c_str());
    }
    std::printf("\n]}\n");
    return kExitOk;
  }
  std::printf("%d estimates of batch %d%s\n", rep.samples, rep.batch_episodes,
              rep.exact_gradient.size() ? ", bias against the exact gradient" : "");
  std::printf("%-13s %-14s %-9s %12s %12s %12s %8s %8s\n", "returns", "baseline", "unbiased", "trace_cov", "bias_norm",
              "bias_stderr", "cosine", "snr");
  for (const VarianceSetting& v : rep.settings)
    std::printf("%-13s %-14s %-9s %12.5g %12.5g %12.5g %8.4f %8.4f\n", name_of(v.config.returns),
                name_of(v.config.baseline), v.unbiased ? "yes" : "no", v.trace_cov, v.has_bias ? v.bias_norm : NAN,
                v.bias_stderr, v.cosine_mean, v.snr);
  return kExitOk;
}

}  // namespace pg::cli
