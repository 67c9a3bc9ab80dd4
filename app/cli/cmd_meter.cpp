// pglab meter: the "loss ≠ progress" meter (core/lab/meter.h) for every iteration of a run — the
// pseudo-loss against exact (or estimated) J, ‖ĝ‖, the gradient's SNR, the critic's explained
// variance, the entropy, and the dead-signal badges each iteration fires.
#include <cstdio>
#include <string>

#include "cli/commands.h"
#include "cli/stop_signal.h"
#include "lab/meter.h"
#include "session/session.h"
#include "util/cancel.h"
#include "util/text.h"

namespace pg::cli {

namespace {

const char* loss_form_name(LossForm f) {
  return f == LossForm::kRatio ? "ratio" : "log-prob";
}

std::string badge_names(const std::vector<Badge>& badges) {
  std::string out;
  for (const Badge& b : badges) {
    if (!out.empty()) out.push_back(',');
    out.append(dead_signal_spec(b.kind).name);
  }
  return out;
}

void print_json_row(const MeterReading& r, const std::vector<Badge>& badges, bool first) {
  std::printf(
      "%s\n  {\"iteration\": %d, \"loss\": %s, \"loss_scale\": %s, \"exact_J\": %s, \"optimal_J\": "
      "%s, \"return_mean\": %s, \"grad_norm\": %s, \"grad_scale\": %s, \"snr\": %s, "
      "\"cosine_exact\": %s, \"explained_variance\": %s, \"entropy\": %s, \"entropy_max\": %s, "
      "\"sigma\": %s, \"sigma_scale\": %s, \"pieces\": %d, \"normalizes\": %s, \"returns_equal\": "
      "%s, \"weight_std\": %s, \"groups\": "
      "%d, \"zero_spread_groups\": %d, \"badges\": [",
      first ? "" : ",", r.iteration, json_number(r.loss).c_str(), json_number(r.loss_scale).c_str(),
      json_number(r.exact_J).c_str(), json_number(r.optimal_J).c_str(),
      json_number(r.return_mean).c_str(), json_number(r.grad_norm).c_str(),
      json_number(r.grad_scale).c_str(), json_number(r.snr).c_str(),
      json_number(r.cosine_exact).c_str(), json_number(r.explained_variance).c_str(),
      json_number(r.entropy).c_str(), json_number(r.entropy_max).c_str(),
      json_number(r.sigma).c_str(), json_number(r.sigma_scale).c_str(), r.pieces,
      r.normalizes ? "true" : "false", r.returns_equal ? "true" : "false",
      json_number(r.weight_std).c_str(), r.groups, r.zero_spread_groups);
  for (size_t k = 0; k < badges.size(); ++k)
    std::printf("%s\"%s\"", k ? ", " : "", dead_signal_spec(badges[k].kind).name);
  std::printf("]}");
}

}  // namespace

void add_meter(CLI::App& app, MeterArgs& a) {
  CLI::App* cmd = app.add_subcommand(
      "meter",
      "Loss ≠ progress: per iteration the pseudo-loss, J, ‖ĝ‖, SNR, explained variance, entropy "
      "and the dead-signal badges");
  add_scenario_options(*cmd, a.scenario);
  cmd->add_option("--iterations", a.iterations, "Iterations to run and read (default 20)")
      ->check(integer_in(1, 10000000));
  add_switch(*cmd, "--json", a.json, "Print JSON instead of a table");
  cmd->callback([&a] { a.chosen = true; });
}

int run_meter_cmd(const MeterArgs& a) {
  catch_stop_signals();
  Session s(resolve(a.scenario), stop_flag());
  const AlgorithmInfo info = s.algorithm().info(s.scenario());
  int counts[5] = {0, 0, 0, 0, 0};
  static_assert(std::size(EnumTable<DeadSignal>::rows) == 5, "one count per dead signal");
  if (a.json)
    std::printf("{\"algorithm\": \"%s\", \"loss_form\": \"%s\", \"iterations\": [",
                info.title.c_str(), loss_form_name(info.loss_form));
  else
    std::printf("%s, pseudo-loss in the %s form\n%5s %12s %12s %10s %10s %8s %8s %8s  %s\n",
                info.title.c_str(), loss_form_name(info.loss_form), "iter", "loss",
                s.env().has_exact() ? "J" : "return", "‖ĝ‖", "SNR", "cos∇J", "EV", "H", "badges");
  // A SIGINT/SIGTERM stops between iterations or inside one (Cancelled); the rows printed so far
  // stay, and the output is closed over them (the JSON stays one document, the table gets its
  // badge line), so the stop message says what was written, not "nothing written".
  int done = 0;
  for (int i = 0; i < a.iterations && !stop_signal(); ++i) {
    bool advanced = false;
    try {
      advanced = s.advance(Granularity::kIteration);
    } catch (const Cancelled&) {
      break;  // no row for the iteration stopped
    }
    if (!advanced) {
      if (a.json) std::printf("\n]}\n");
      std::fprintf(stderr, "pglab meter: %s\n", s.fault().c_str());
      return kExitFailed;
    }
    const MeterReading r = read_meter(s);
    const std::vector<Badge> badges = dead_signals(r);
    for (const Badge& b : badges) ++counts[static_cast<int>(b.kind)];
    if (a.json) {
      print_json_row(r, badges, i == 0);
    } else {
      const double J = std::isfinite(r.exact_J) ? r.exact_J : r.return_mean;
      // "—" where the JSON says null (no exact ∇J to take a cosine with, no critic's EV).
      std::printf("%5d %s %s %s %s %s %s %s  %s\n", r.iteration, table_cell(r.loss, 12).c_str(),
                  table_cell(J, 12).c_str(), table_cell(r.grad_norm, 10, "%.4g").c_str(),
                  table_cell(r.snr, 10, "%.4g").c_str(),
                  table_cell(r.cosine_exact, 8, "%.3f").c_str(),
                  table_cell(r.explained_variance, 8, "%.3f").c_str(),
                  table_cell(r.entropy, 8, "%.4f").c_str(), badge_names(badges).c_str());
    }
    ++done;
  }
  if (a.json) {
    std::printf("\n], \"badge_counts\": {");
    for (int k = 0; k < 5; ++k)
      std::printf("%s\"%s\": %d", k ? ", " : "", EnumTable<DeadSignal>::rows[k].name, counts[k]);
    std::printf("}}\n");
  } else {
    std::printf("badges fired over %d iterations:", done);
    for (int k = 0; k < 5; ++k)
      std::printf(" %s %d", EnumTable<DeadSignal>::rows[k].name, counts[k]);
    std::printf("\n");
  }
  if (const int sig = stop_signal()) {
    std::fflush(stdout);
    const std::string held = a.json
                                 ? "the JSON of those iterations, closed, with their badge counts"
                                 : counted(done, "row") + " and the badge line over them";
    std::fprintf(stderr,
                 "pglab meter: stopped by %s after %d of %d iterations; standard output holds %s\n",
                 signal_name(sig), done, a.iterations, held.c_str());
    return exit_code_of(sig);
  }
  return kExitOk;
}

}  // namespace pg::cli
