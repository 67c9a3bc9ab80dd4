// pglab variance: K estimates at a fixed θ on common random numbers, for the estimators the
// scenario's algorithm has (its AlgorithmInfo): REINFORCE's returns × baseline settings
// (Analysis::kEstimatorVariance), or an actor-critic's advantage estimators — Monte Carlo, TD(0),
// n-step, GAE over a λ sweep, no critic (Analysis::kAdvantageEstimators) — with bias against the
// exact gradient (and the exact advantage) where one exists. Progress on stderr when it is a
// terminal; Ctrl-C stops as usual.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>

#include "algo/describe.h"
#include "algo/formula.h"
#include "cli/commands.h"
#include "cli/progress.h"
#include "cli/stop_signal.h"
#include "lab/advantage_compare.h"
#include "lab/variance.h"
#include "session/budget.h"
#include "session/session.h"

namespace pg::cli {

namespace {

// label padded with spaces to `width` characters (code points, not bytes: labels hold λ, ₜ).
std::string padded(const std::string& label, int width) {
  int chars = 0;
  for (unsigned char ch : label) chars += (ch & 0xC0) != 0x80;
  return label + std::string(static_cast<size_t>(std::max(0, width - chars)), ' ');
}

// The settings every row shares (the rows differ in returns × baseline only), which decide what
// "unbiased" says (DESIGN.md §3), and a line for each total-returns setting left out because the
// scenario's options rule it out (optimal under normalize) — the --json rows carry both flags.
void print_row_options(const Session& s) {
  const EstimatorConfig& c = s.estimator();
  std::printf("every row: γ = %s, estimator.normalize = %s, estimator.discount_weighting = %s%s\n",
              formula_number(s.env().gamma()).c_str(), c.normalize ? "true" : "false",
              c.discount_weighting ? "true" : "false",
              c.discount_weighting
                  ? " (γᵗ ψ on the reward-to-go rows; total returns carry γᵗ already)"
                  : " (no γᵗ on the reward-to-go rows)");
  for (Baseline b : all_baselines()) {
    EstimatorConfig t = c;
    t.returns = Returns::kTotal;
    t.baseline = b;
    if (const auto problem = estimator_config_problem(t))
      std::printf("left out: %s (%s: %s)\n", setting_name(t).c_str(), problem->key.c_str(),
                  problem->what.c_str());
  }
}

int print_reinforce(const Session& s, const VarianceArgs& a) {
  VarianceReport rep;
  {
    StderrProgress progress("pglab variance", a.samples);
    VarianceOptions o;
    o.progress = &progress.done;
    o.cancel = stop_flag();
    rep = run_variance(s, all_settings(s), a.samples, o);
  }
  if (stop_signal()) return report_stopped("variance");  // (the report is empty then)
  if (a.json) {
    std::printf(
        "{\"samples\": %d, \"batch_episodes\": %d, \"exact_gradient_norm\": %s, \"settings\": [",
        rep.samples, rep.batch_episodes,
        rep.exact_gradient.size() ? json_number(rep.exact_gradient.norm()).c_str() : "null");
    for (size_t i = 0; i < rep.settings.size(); ++i) {
      const VarianceSetting& v = rep.settings[i];
      std::printf(
          "%s\n  {\"returns\": \"%s\", \"baseline\": \"%s\", \"normalize\": %s, "
          "\"discount_weighting\": %s, "
          "\"unbiased\": %s, \"trace_cov\": %s, \"bias_norm\": %s, \"bias_stderr\": %s, "
          "\"cosine_mean\": %s, "
          "\"snr\": %s}",
          i ? "," : "", name_of(v.config.returns), name_of(v.config.baseline),
          v.config.normalize ? "true" : "false", v.config.discount_weighting ? "true" : "false",
          v.unbiased ? "true" : "false", json_number(v.trace_cov).c_str(),
          v.has_bias ? json_number(v.bias_norm).c_str() : "null",
          v.has_bias ? json_number(v.bias_stderr).c_str() : "null",
          json_number(v.cosine_mean).c_str(), json_number(v.snr).c_str());
    }
    std::printf("\n]}\n");
    return kExitOk;
  }
  std::printf("%d estimates of batch %d%s\n", rep.samples, rep.batch_episodes,
              rep.exact_gradient.size() ? ", bias against the exact gradient" : "");
  print_row_options(s);
  std::printf("%-13s %-14s %-9s %12s %12s %12s %8s %8s\n", "returns", "baseline", "unbiased",
              "trace_cov", "bias_norm", "bias_stderr", "cosine", "snr");
  // "—" where the JSON says null: no bias and no standard error of it without an exact gradient.
  for (const VarianceSetting& v : rep.settings)
    std::printf("%-13s %-14s %-9s %s %s %s %s %s\n", name_of(v.config.returns),
                name_of(v.config.baseline), v.unbiased ? "yes" : "no",
                table_cell(v.trace_cov, 12).c_str(),
                table_cell(v.bias_norm, 12, "%.5g", v.has_bias).c_str(),
                table_cell(v.bias_stderr, 12, "%.5g", v.has_bias).c_str(),
                table_cell(v.cosine_mean, 8, "%.4f").c_str(), table_cell(v.snr, 8, "%.4f").c_str());
  return kExitOk;
}

int print_advantages(const Session& s, const VarianceArgs& a) {
  AdvantageReport rep;
  {
    StderrProgress progress("pglab variance", a.samples);
    AdvantageCompareOptions o;
    o.progress = &progress.done;
    o.cancel = stop_flag();
    rep = run_advantage_compare(s, advantage_sweep(s), a.samples, o);
  }
  if (stop_signal()) return report_stopped("variance");  // (the report is empty then)
  const bool exact = rep.exact_gradient.size() > 0;
  if (a.json) {
    std::printf(
        "{\"samples\": %d, \"batch_episodes\": %d, \"exact_gradient_norm\": %s, \"critic_rmse\": "
        "%s, "
        "\"advantage_estimators\": [",
        rep.samples, rep.batch_episodes,
        exact ? json_number(rep.exact_gradient.norm()).c_str() : "null",
        rep.critic_rmse >= 0 ? json_number(rep.critic_rmse).c_str() : "null");
    for (size_t i = 0; i < rep.rows.size(); ++i) {
      const AdvantageRow& r = rep.rows[i];
      std::printf(
          "%s\n  {\"estimator\": \"%s\", \"lambda\": %s, \"n\": %d, \"critic\": %s, \"current\": "
          "%s, "
          "\"trace_cov\": %s, \"bias_norm\": %s, \"bias_stderr\": %s, \"bias2\": %s, \"mse\": %s, "
          "\"cosine_mean\": %s, \"adv_std\": %s, \"adv_bias2\": %s, \"adv_variance\": %s}",
          i ? "," : "", name_of(r.setting.kind), json_number(r.setting.lambda).c_str(), r.setting.n,
          r.setting.critic ? "true" : "false",
          static_cast<int>(i) == rep.current ? "true" : "false", json_number(r.trace_cov).c_str(),
          r.has_bias ? json_number(r.bias_norm).c_str() : "null",
          r.has_bias ? json_number(r.bias_stderr).c_str() : "null",
          r.has_bias ? json_number(r.bias2).c_str() : "null",
          r.has_bias ? json_number(r.mse).c_str() : "null", json_number(r.cosine_mean).c_str(),
          json_number(r.adv_std).c_str(),
          r.has_adv_bias ? json_number(r.adv_bias2).c_str() : "null",
          r.has_adv_bias ? json_number(r.adv_variance).c_str() : "null");
    }
    std::printf("\n]}\n");
    return kExitOk;
  }
  std::printf(
      "%d estimates of %d episodes, advantage estimators at the current θ and critic; "
      "ĝ = (1/N) Σ γᵗ Âₜ ∇log π%s\n",
      rep.samples, rep.batch_episodes, exact ? ", bias against the exact ∇J and A^π" : "");
  if (rep.critic_rmse >= 0)
    std::printf("critic error √mean(V_φ − V^π)² over the sampled steps: %.4g\n", rep.critic_rmse);
  std::printf("%-15s %12s %12s %12s %12s %8s %10s %10s %10s\n", "estimator", "trace_cov",
              "bias_norm", "bias2", "mse", "cosine", "std_adv", "adv_bias2", "adv_var");
  for (size_t i = 0; i < rep.rows.size(); ++i) {
    const AdvantageRow& r = rep.rows[i];
    std::printf("%s %s %s %s %s %s %s %s %s%s\n", padded(r.setting.label(), 15).c_str(),
                table_cell(r.trace_cov, 12).c_str(),
                table_cell(r.bias_norm, 12, "%.5g", r.has_bias).c_str(),
                table_cell(r.bias2, 12, "%.5g", r.has_bias).c_str(),
                table_cell(r.mse, 12, "%.5g", r.has_bias).c_str(),
                table_cell(r.cosine_mean, 8, "%.4f").c_str(),
                table_cell(r.adv_std, 10, "%.4g").c_str(),
                table_cell(r.adv_bias2, 10, "%.4g", r.has_adv_bias).c_str(),
                table_cell(r.adv_variance, 10, "%.4g", r.has_adv_bias).c_str(),
                static_cast<int>(i) == rep.current ? "  (trained)" : "");
  }
  return kExitOk;
}

}  // namespace

void add_variance(CLI::App& app, VarianceArgs& a) {
  CLI::App* cmd = app.add_subcommand("variance",
                                     "Variance, bias and SNR of the algorithm's gradient "
                                     "estimators at a fixed θ (REINFORCE settings, "
                                     "or an actor-critic's advantage estimators)");
  add_scenario_options(*cmd, a.scenario);
  cmd->add_option("--samples", a.samples, "Number K of independent estimates (default 1000)")
      ->check(integer_in(2, 10000000));
  cmd->add_option("--iterations", a.iterations, "Train this many iterations first")
      ->check(integer_in(0, 10000000));
  add_switch(*cmd, "--json", a.json, "Print JSON instead of a table");
  cmd->callback([&a] { a.chosen = true; });
}

int run_variance_cmd(const VarianceArgs& a) {
  // SIGINT/SIGTERM stop the training and the lab (cli.cpp reports Cancelled; the lab returns).
  catch_stop_signals();
  Session s(resolve(a.scenario), stop_flag());
  require_variance_fits(
      s, a.samples);  // K estimates × settings × parameters must fit in memory (exit 2)
  if (!train_before(s, a.iterations, "variance")) return kExitFailed;
  const AlgorithmInfo info = s.algorithm().info(s.scenario());
  if (info.supports(Analysis::kEstimatorVariance)) return print_reinforce(s, a);
  if (info.supports(Analysis::kAdvantageEstimators) && s.critic()) return print_advantages(s, a);
  if (info.supports(Analysis::kImportance))
    std::fprintf(stderr,
                 "pglab variance: %s samples from its behaviour policy b, and the variance lab "
                 "compares estimators on batches from π_θ; pglab importance compares its "
                 "weightings over many batches, or try --scenario gridworld-reinforce\n",
                 info.title.c_str());
  else
    std::fprintf(stderr,
                 "pglab variance: %s has no estimator settings to compare (REINFORCE's returns × "
                 "baselines, or an actor-critic's advantage estimators); try --scenario "
                 "gridworld-reinforce or a2c-gridworld\n",
                 info.title.c_str());
  return kExitUsage;
}

}  // namespace pg::cli
