// pglab importance (issue 10, item 5): the importance-sampling inspector. At the session's θ a
// behaviour b painted per state (--cell OBS:p0,p1,...) over a temperature on π (--temperature)
// or the scenario's fixed behaviour (--base scenario); K batches of N episodes from b; ordinary,
// weighted and per-decision IS estimates of ∇J against the exact ∇J — bias and variance of each
// — the log-weights and ESS, and the coverage violations (core/lab/importance_inspect.h).
#include <algorithm>
#include <cstdio>
#include <string>

#include "cli/commands.h"
#include "cli/progress.h"
#include "cli/stop_signal.h"
#include "lab/importance_inspect.h"
#include "session/session.h"
#include "util/cancel.h"
#include "util/error.h"
#include "util/number_text.h"
#include "util/text.h"

namespace pg::cli {

namespace {

// "OBS:p0,p1,..." → paint.rows[OBS]. InputError names the option and what is wrong (it said
// "with an integer OBS and numbers p" of 1e-320, which is a number: std::stod refused it).
void parse_cell(const std::string& text, BehaviourPaint& paint) {
  const std::string key = "--cell " + text;
  const std::string form = "OBS:p0,p1,... (an observation index, then one probability per action)";
  const size_t colon = text.find(':');
  if (colon == std::string::npos)
    throw InputError(key, "no ':' after the observation; expected " + form);
  long long obs = 0;
  if (!read_decimal_integer(std::string_view(text).substr(0, colon), &obs) || obs < 0 ||
      obs > 1000000000)
    throw InputError(key, "the observation " + quote(text.substr(0, colon), 40) +
                              " is not an index (an integer ≥ 0); expected " + form);
  std::vector<double> p = parse_number_list(text.substr(colon + 1), key, form);
  if (paint.rows.count(static_cast<int>(obs))) throw InputError(key, "observation painted twice");
  paint.rows[static_cast<int>(obs)] = std::move(p);
}

void print_stats(const IsEstimatorStats& st, bool json, bool last) {
  if (json)
    std::printf(
        "    {\"estimator\": \"%s\", \"bias_norm\": %s, \"bias_stderr\": %s, \"variance\": %s, "
        "\"mse\": %s, \"mean_norm\": %s}%s\n",
        st.name, json_number(st.bias_norm).c_str(), json_number(st.bias_stderr).c_str(),
        json_number(st.variance).c_str(), json_number(st.mse).c_str(),
        json_number(st.mean.norm()).c_str(), last ? "" : ",");
  else
    std::printf("  %-13s %s %s %s %s %s\n", st.name, table_cell(st.bias_norm, 12).c_str(),
                table_cell(st.bias_stderr, 12).c_str(), table_cell(st.variance, 12).c_str(),
                table_cell(st.mse, 12).c_str(), table_cell(st.mean.norm(), 12).c_str());
}

}  // namespace

void add_importance(CLI::App& app, ImportanceArgs& a) {
  CLI::App* cmd = app.add_subcommand(
      "importance",
      "Finite worlds, tabular policy: a painted behaviour b; ordinary, weighted and per-decision "
      "IS estimates of ∇J over K batches (bias, variance), log-weights, ESS, coverage violations");
  add_scenario_options(*cmd, a.scenario);
  cmd->add_option("--iterations", a.iterations, "Train this many iterations first")
      ->check(integer_in(0, 10000000));
  cmd->add_option("--episodes", a.episodes, "Episodes N per batch (default 16)")
      ->check(integer_in(1, 1000000));
  cmd->add_option("--batches", a.batches, "Number K of batches (default 100)")
      ->check(integer_in(2, 1000000));
  cmd->add_option("--temperature", a.temperature, "b(·|s) ∝ π(·|s)^(1/T) (default 1: b = π)")
      ->check(finite_number());
  cmd->add_option("--base", a.base, "Base behaviour: target (tempered π) or scenario")
      ->check(one_of({"target", "scenario"}));
  cmd->add_option("--cell", a.cells,
                  "Paint one state: OBS:p0,p1,... (probabilities per action, normalised; "
                  "repeatable)");
  add_switch(*cmd, "--json", a.json, "Print JSON instead of a table");
  cmd->callback([&a] { a.chosen = true; });
}

int run_importance_cmd(const ImportanceArgs& a) {
  if (a.base == "scenario" && a.temperature != 1.0)
    throw InputError("--temperature",
                     "has no effect with --base scenario (b is offpolicy.behaviour_logits, not a "
                     "tempered π); drop it, or use --base target");
  BehaviourPaint paint;
  paint.temperature = a.temperature;
  paint.scenario_base = a.base == "scenario";
  for (const std::string& c : a.cells) parse_cell(c, paint);
  // SIGINT/SIGTERM stop the training and the K batches (exit 130/143, nothing printed).
  catch_stop_signals();
  Session s(resolve(a.scenario), stop_flag());
  if (!train_before(s, a.iterations, "importance")) return kExitFailed;
  ImportanceInspection r;
  try {
    StderrProgress progress("pglab importance", a.batches);
    r = inspect_importance(s, paint, a.episodes, a.batches, stop_flag(), &progress.done);
  } catch (const Cancelled&) {
    return report_stopped("importance");
  } catch (const InputError& e) {
    // The lab names its inputs as the window's importance view does ("importance.temperature");
    // here they are flags.
    const std::string& w = e.where();
    for (const char* name : {"temperature", "cell", "episodes", "batches"}) {
      const std::string key = std::string("importance.") + name;
      if (w.rfind(key, 0) == 0)
        throw InputError("--" + std::string(name) + w.substr(key.size()), e.problem());
    }
    throw;
  }
  const IsEstimatorStats* all[3] = {&r.ordinary, &r.weighted, &r.per_decision};
  if (a.json) {
    std::printf(
        "{\"episodes\": %d, \"batches\": %d, \"exact_grad_norm\": %s, \"ess_first\": %s, "
        "\"ess_mean\": %s, \"cut_episodes\": %d,\n  \"log_w\": [",
        r.N, r.K, json_number(r.exact.norm()).c_str(), json_number(r.ess_first).c_str(),
        json_number(r.ess_mean).c_str(), r.cut_episodes);
    for (size_t i = 0; i < r.log_w.size(); ++i)
      std::printf("%s%s", i ? ", " : "", json_number(r.log_w[i]).c_str());
    std::printf("],\n  \"violations\": [");
    for (size_t i = 0; i < r.violations.size(); ++i)
      std::printf("%s{\"obs\": %d, \"action\": %d, \"pi\": %s}", i ? ", " : "",
                  r.violations[i].first, r.violations[i].second,
                  json_number(r.target(r.violations[i].first, r.violations[i].second)).c_str());
    std::printf("],\n  \"estimators\": [\n");
    for (int k = 0; k < 3; ++k) print_stats(*all[k], true, k == 2);
    std::printf("  ]}\n");
  } else {
    std::printf(
        "K = %d batches of N = %d episodes from b; ‖∇J‖ = %.5g; ESS (batch 0) %.3g, mean "
        "%.3g\n  %-13s %12s %12s %12s %12s %12s\n",
        r.K, r.N, r.exact.norm(), r.ess_first, r.ess_mean, "estimator", "‖bias‖", "± s.e.",
        "variance", "MSE", "‖mean ĝ‖");
    for (int k = 0; k < 3; ++k) print_stats(*all[k], false, k == 2);
    std::printf("coverage violations (b = 0 < π): %zu", r.violations.size());
    for (const auto& [o, act] : r.violations) std::printf(" (obs %d, action %d)", o, act);
    std::printf("\n");
    if (r.cut_episodes > 0) std::printf("%s\n", r.cut_note().c_str());
    std::printf(
        "s.e. = √(variance/K), the ‖bias‖ noise alone gives: within 3 s.e. is no evidence of "
        "bias\n");
  }
  return kExitOk;
}

}  // namespace pg::cli
