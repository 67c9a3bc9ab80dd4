// pglab advantage: GAE against the exact advantage (issue 10, item 6). In a finite world, K batches
// at the current θ; for Monte Carlo, TD(0), n-step and GAE(λ) on a λ grid, the error of Â against
// the exact A^π split into bias² and variance — once with the session's critic V_φ and once with
// the exact V^π as the critic, which separates the critic's error from the estimator's
// (core/lab/advantage_compare.h, the same numbers as the Advantages view's curve).
#include <cstdio>
#include <string>

#include "cli/commands.h"
#include "cli/progress.h"
#include "cli/stop_signal.h"
#include "io/scenario_enums.h"
#include "lab/advantage_compare.h"
#include "session/session.h"
#include "util/error.h"

namespace pg::cli {

namespace {

void print_rows(const AdvantageReport& rep, bool json) {
  for (size_t i = 0; i < rep.rows.size(); ++i) {
    const AdvantageRow& r = rep.rows[i];
    if (json)
      std::printf(
          "%s\n    {\"estimator\": \"%s\", \"lambda\": %s, \"n\": %d, \"adv_bias2\": %s, "
          "\"adv_variance\": %s, \"adv_mse\": %s, \"adv_std\": %s}",
          i ? "," : "", name_of(r.setting.kind), json_number(r.setting.lambda).c_str(), r.setting.n,
          json_number(r.adv_bias2).c_str(), json_number(r.adv_variance).c_str(),
          json_number(r.adv_mse).c_str(), json_number(r.adv_std).c_str());
    else
      std::printf("  %-14s %s %s %s\n", r.setting.label().c_str(),
                  table_cell(r.adv_bias2, 12).c_str(), table_cell(r.adv_variance, 12).c_str(),
                  table_cell(r.adv_mse, 12).c_str());
  }
}

// Why no table with a learned critic V_φ, as true for the algorithm the run uses (SAC is an
// actor-critic too, but its critic is Q_φ; the REINFORCE family fits V_φ only as a baseline).
std::string no_learned_critic_note(const Session& s) {
  switch (s.scenario().algorithm.name) {
    case AlgorithmKind::kSac:
      return "SAC learns Q_φ, not a V_φ: only the exact V^π is used as critic here";
    case AlgorithmKind::kGrpo:
      return "GRPO fits no critic, its Â compare each completion with its group: only the exact "
             "V^π is used as critic here";
    default:
      return std::string("no learned critic in this setting: ") +
             name_of(s.scenario().algorithm.name) +
             " fits V_φ only with estimator.baseline = critic; a2c and ppo always fit one";
  }
}

}  // namespace

void add_advantage(CLI::App& app, AdvantageArgs& a) {
  CLI::App* cmd = app.add_subcommand(
      "advantage",
      "Finite worlds: bias² and variance of Â (MC, TD(0), n-step, GAE over λ) against the exact "
      "A^π, with the learned critic and with the exact V^π as critic");
  add_scenario_options(*cmd, a.scenario);
  cmd->add_option("--samples", a.samples, "Number K of batches (default 200)")
      ->check(integer_in(2, 1000000));
  cmd->add_option("--points", a.points, "λ values on [0, 1], ends included (default 11)")
      ->check(integer_in(2, 101));
  cmd->add_option("--iterations", a.iterations, "Train this many iterations first")
      ->check(integer_in(0, 10000000));
  add_switch(*cmd, "--json", a.json, "Print JSON instead of a table");
  cmd->callback([&a] { a.chosen = true; });
}

int run_advantage_cmd(const AdvantageArgs& a) {
  catch_stop_signals();
  Session s(resolve(a.scenario), stop_flag());
  if (!s.env().model())
    throw InputError(
        "env.kind",
        "advantage compares Â with the exact A^π, which needs a finite world; allowed: " +
            finite_env_names());
  if (!train_before(s, a.iterations, "advantage")) return kExitFailed;
  const std::vector<AdvantageEstimatorSetting> settings = lambda_curve_settings(s, a.points);
  AdvantageCompareOptions o;
  o.cancel = stop_flag();
  // Only a critic the updates fit is "learned" (README: null without one).
  const bool learns = s.critic_learns();
  AdvantageReport learned;
  if (learns) {
    StderrProgress progress("pglab advantage (learned critic)", a.samples);
    o.progress = &progress.done;
    learned = run_advantage_compare(s, settings, a.samples, o);
  }
  o.exact_critic = true;
  AdvantageReport exact;
  {
    StderrProgress progress("pglab advantage (exact critic)", a.samples);
    o.progress = &progress.done;
    exact = run_advantage_compare(s, settings, a.samples, o);
  }
  if (stop_signal()) return report_stopped("advantage");
  if (a.json) {
    std::printf("{\"samples\": %d, \"batch_episodes\": %d, \"critic_rmse\": %s, \"learned\": ",
                exact.samples, exact.batch_episodes,
                learns ? json_number(learned.critic_rmse).c_str() : "null");
    if (learns) {
      std::printf("[");
      print_rows(learned, true);
      std::printf("\n  ]");
    } else {
      std::printf("null");
    }
    std::printf(", \"exact\": [");
    print_rows(exact, true);
    std::printf("\n  ]}\n");
    return kExitOk;
  }
  std::printf("%d batches of %d episodes; error of Â against the exact A^π\n", exact.samples,
              exact.batch_episodes);
  if (learns) {
    std::printf("critic V_φ (√mean (V_φ − V^π)² = %.4g)\n  %-14s %12s %12s %12s\n",
                learned.critic_rmse, "estimator", "bias²", "variance", "mse");
    print_rows(learned, false);
  } else {
    std::printf("(%s)\n", no_learned_critic_note(s).c_str());
  }
  std::printf("exact V^π as critic\n  %-14s %12s %12s %12s\n", "estimator", "bias²", "variance",
              "mse");
  print_rows(exact, false);
  return kExitOk;
}

}  // namespace pg::cli
