// pglab exact: the exact oracle at the scenario's θ (after --iterations of training).
#include <cstdio>

#include "cli/commands.h"
#include "cli/stop_signal.h"
#include "session/session.h"
#include "util/error.h"

namespace pg::cli {

void add_exact(CLI::App& app, ExactArgs& a) {
  CLI::App* cmd = app.add_subcommand("exact",
                                     "Exact J, ∇J, V and visitation of a finite world (J and ∇J of "
                                     "the continuous bandit), as JSON");
  add_scenario_options(*cmd, a.scenario);
  cmd->add_option("--iterations", a.iterations, "Train this many iterations first")
      ->check(integer_in(0, 10000000));
  cmd->callback([&a] { a.chosen = true; });
}

int run_exact(const ExactArgs& a) {
  // SIGINT/SIGTERM stop the oracle and the training (cli.cpp reports Cancelled).
  catch_stop_signals();
  Session s(resolve(a.scenario), stop_flag());
  // Finite worlds (the model's dynamic programme) and the continuous bandit (quadrature).
  if (!s.env().has_exact())
    throw InputError("env.kind", "exact needs a world whose J is exact; allowed: " +
                                     finite_env_names() + ", continuous-bandit");
  if (!train_before(s, a.iterations, "exact")) return kExitFailed;
  if (stop_signal()) return report_stopped("exact");
  const ExactResult& ex = *s.exact();
  auto list = [](const Eigen::VectorXd& v) {
    std::string out = "[";
    for (Eigen::Index i = 0; i < v.size(); ++i) out += (i ? ", " : "") + json_number(v[i]);
    return out + "]";
  };
  if (!s.env().model()) {
    // The continuous bandit: one state and a continuous action, so no V table or visitation
    // beyond J itself; the batch dump's exact block says the same ("method": "quadrature").
    std::printf(
        "{\"J\": %s, \"gradient_norm\": %s, \"gradient\": %s, \"method\": \"quadrature\"}\n",
        json_number(ex.J).c_str(), json_number(ex.gradient.norm()).c_str(),
        list(ex.gradient).c_str());
    return kExitOk;
  }
  std::printf("{\"J\": %s, \"gradient_norm\": %s, \"gradient\": %s, \"V\": %s, \"d\": %s}\n",
              json_number(ex.J).c_str(), json_number(ex.gradient.norm()).c_str(),
              list(ex.gradient).c_str(), list(ex.V).c_str(), list(ex.d).c_str());
  return kExitOk;
}

}  // namespace pg::cli
