// pglab landscape: exact J over a 1-D or 2-D slice of parameter space (lab/landscape.h), with the
// paths of vanilla PG, natural PG and PPO across a 2-D slice.
// pglab surrogate: the surrogates L^CPI, L^CLIP, L^KL (and GRPO's objective) against the true J
// along a direction through the last batch's θ_old (lab/surrogate.h).
// Both print JSON with --json (formats pglab.landscape/1 and pglab.surrogate/1, README), else a
// short summary.
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/progress.h"
#include "cli/stop_signal.h"
#include "io/scenario_enums.h"
#include "lab/landscape.h"
#include "lab/surrogate.h"
#include "session/session.h"
#include "util/error.h"

namespace pg::cli {

namespace {

std::string list(const std::vector<double>& v) {
  std::string out = "[";
  for (size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + json_number(v[i]);
  return out + "]";
}
std::string list(const Eigen::VectorXd& v) {
  return list(std::vector<double>(v.data(), v.data() + v.size()));
}
std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// Trains --iterations, then (when asked) takes the next batch and its estimate so ĝ exists.
// Returns false (message printed) when training faulted.
bool prepare(Session& s, int iterations, bool need_estimate, const char* cmd) {
  if (!train_before(s, iterations, cmd)) return false;
  if (need_estimate && (!s.has_estimate() || !s.batch_complete()) &&
      !s.advance(Granularity::kEstimate)) {
    std::fprintf(stderr, "pglab %s: %s\n", cmd, s.fault().c_str());
    return false;
  }
  return true;
}

// The short corridor's gradient cloud (lab/landscape.h corridor_cloud, the landscape view's
// numbers), as the "cloud" member of pglab.landscape/1; null when there is none.
std::string cloud_json(const CorridorCloud* c) {
  if (!c) return "null";
  return "{\"samples\": " + std::to_string(c->slopes.size()) + ", \"p\": " + json_number(c->p0) +
         ", \"J\": " + json_number(c->J0) + ", \"slope_exact\": " + json_number(c->slope_exact) +
         ", \"slope_mean\": " + json_number(c->slope_mean) +
         ", \"slope_stderr\": " + json_number(c->slope_stderr) +
         ", \"slope_std\": " + json_number(c->slope_std) + ",\n  \"slopes\": " + list(c->slopes) +
         "}";
}

// The cloud as a table: the current p, the exact slope, the samples' mean ± s.e., then the K
// slopes, eight to a row.
void print_cloud(const CorridorCloud& c) {
  std::printf(
      "gradient cloud at p = %.6g (J %.6g): %zu sampled slopes dĴ/dp = (ĝ[1] − ĝ[0]) / "
      "(2p(1 − p))\n",
      c.p0, c.J0, c.slopes.size());
  std::printf("exact dJ/dp   %.6g\n", c.slope_exact);
  std::printf("sample mean   %.6g ± %.3g (s.e.; sd %.4g), %.2f s.e. from the exact slope\n",
              c.slope_mean, c.slope_stderr, c.slope_std,
              c.slope_stderr > 0.0 ? (c.slope_mean - c.slope_exact) / c.slope_stderr : 0.0);
  for (size_t k = 0; k < c.slopes.size(); ++k)
    std::printf("%s%11.5g%s", k % 8 == 0 ? "  " : " ", c.slopes[k],
                k % 8 == 7 || k + 1 == c.slopes.size() ? "\n" : "");
}

void print_landscape_json(const Scenario& sc, const Landscape& L, const CorridorCloud* cloud) {
  std::string axes = "[";
  for (size_t i = 0; i < L.axes.size(); ++i)
    axes += (i ? ", " : "") + quoted(slice_axis_name(L.axes[i]));
  axes += "]";
  std::string J = "[";
  for (Eigen::Index i = 0; i < L.J.rows(); ++i) {
    std::vector<double> row(static_cast<size_t>(L.J.cols()));
    for (Eigen::Index j = 0; j < L.J.cols(); ++j) row[static_cast<size_t>(j)] = L.J(i, j);
    J += (i ? ", " : "") + list(row);
  }
  J += "]";
  std::string paths = "[";
  for (size_t k = 0; k < L.paths.size(); ++k) {
    const LandscapePath& p = L.paths[k];
    paths += (k ? ", " : "") + std::string("{\"name\": ") + quoted(p.name) +
             ", \"x\": " + list(p.x) + ", \"y\": " + list(p.y) + ", \"J\": " + list(p.J) + "}";
  }
  paths += "]";
  std::printf(
      "{\"format\": \"pglab.landscape/1\", \"scenario\": %s, \"axes\": %s, \"x_label\": %s, "
      "\"y_label\": %s,\n \"x\": %s,\n \"y\": %s,\n \"J\": %s,\n \"J_origin\": %s, \"origin_x\": "
      "%s, \"origin_y\": %s, \"J_min\": %s, \"J_max\": %s, \"span\": %s,\n \"origin\": %s,\n "
      "\"e1\": %s,\n \"e2\": %s,\n \"paths\": %s,\n \"lr\": %s, \"kl_step\": %s, \"clip_eps\": "
      "%s, \"epochs\": %d,\n \"cloud\": %s}\n",
      quoted(sc.name).c_str(), axes.c_str(), quoted(L.x_label).c_str(), quoted(L.y_label).c_str(),
      list(L.x).c_str(), list(L.y).c_str(), J.c_str(), json_number(L.J_origin).c_str(),
      json_number(L.origin_x).c_str(), json_number(L.origin_y).c_str(),
      json_number(L.J_min).c_str(), json_number(L.J_max).c_str(), json_number(L.span).c_str(),
      list(L.origin).c_str(), list(L.e1).c_str(), list(L.e2).c_str(), paths.c_str(),
      json_number(L.lr).c_str(), json_number(L.kl_step).c_str(), json_number(L.clip_eps).c_str(),
      L.epochs, cloud_json(cloud).c_str());
}

void print_surrogate_json(const Scenario& sc, const SurrogateReport& R) {
  std::string curves = "[";
  for (size_t k = 0; k < R.curves.size(); ++k)
    curves += (k ? ", " : "") + std::string("{\"name\": ") + quoted(R.curves[k].name) +
              ", \"L\": " + list(R.curves[k].L) +
              ", \"part_alpha\": " + json_number(R.curves[k].part_alpha) + "}";
  curves += "]";
  std::printf(
      "{\"format\": \"pglab.surrogate/1\", \"scenario\": %s, \"direction\": %s, \"exact\": %s, "
      "\"same_scale\": %s, \"mc_episodes\": %d,\n \"alpha\": %s,\n \"J\": %s,\n \"J_lo\": %s,\n "
      "\"J_hi\": %s,\n "
      "\"curves\": %s,\n \"step_alpha\": %s, \"slope_ghat\": %s, \"slope_surrogate\": %s, "
      "\"slope_true\": %s, "
      "\"clip_eps\": %s, \"kl_beta\": %s, \"part_floor\": %s}\n",
      quoted(sc.name).c_str(), quoted(slice_axis_name(R.direction)).c_str(),
      R.exact ? "true" : "false", R.same_scale ? "true" : "false", R.mc_episodes,
      list(R.alpha).c_str(), list(R.J).c_str(), list(R.J_lo).c_str(), list(R.J_hi).c_str(),
      curves.c_str(), json_number(R.step_alpha).c_str(), json_number(R.slope_ghat).c_str(),
      json_number(R.slope_surrogate).c_str(), json_number(R.slope_true).c_str(),
      json_number(R.clip_eps).c_str(), json_number(R.kl_beta).c_str(),
      json_number(R.part_floor).c_str());
}

}  // namespace

void add_landscape(CLI::App& app, LandscapeArgs& a) {
  CLI::App* cmd = app.add_subcommand(
      "landscape", "Exact J over a slice of parameter space, with the paths of PG, NPG and PPO");
  add_scenario_options(*cmd, a.scenario);
  cmd->add_option("--iterations", a.iterations, "Train this many iterations first")
      ->check(integer_in(0, 10000000));
  cmd->add_option("--axes", a.axes,
                  "One or two comma-separated axes: theta:K, grad, natural, ghat, update; or p "
                  "alone (default grad,natural, or theta:0,theta:1 where that plane does not "
                  "form, e.g. a two-action corridor at a uniform policy)")
      ->check(not_empty("one or two comma-separated axes: theta:K, grad, natural, ghat, update; "
                        "or p alone"));
  cmd->add_option("--grid", a.grid, "Points per axis (2 … 401)")->check(integer_in(2, 401));
  cmd->add_option("--span", a.span, "Half-width of each axis in parameter units (0: fit paths)")
      ->check(number_in(0.0, kMaxLandscapeSpan));
  cmd->add_option("--steps", a.steps, "Steps of each path (2-D slices; 0: none)")
      ->check(integer_in(0, 10000));
  cmd->add_option("--lr", a.lr, "Step size α of vanilla PG and PPO's epochs (0: automatic)")
      ->check(number_in(0.0, 1e6));
  cmd->add_option("--kl-step", a.kl_step, "KL budget δ of each natural step (0: trpo.max_kl)")
      ->check(number_in(0.0, 1e6));
  CLI::Option* samples =
      cmd->add_option("--samples", a.samples,
                      "--axes p in the short corridor: sampled gradients in the cloud (2 … 100000; "
                      "default " +
                          std::to_string(kCorridorCloudSamples) + ", as the view)")
          ->check(integer_in(2, 100000));
  add_switch(*cmd, "--json", a.json, "Print the grid and paths as JSON (pglab.landscape/1)");
  cmd->callback([&a, samples] {
    a.chosen = true;
    a.samples_given = samples->count() > 0;
  });
}

int run_landscape(const LandscapeArgs& a) {
  catch_stop_signals();
  const Scenario sc = resolve(a.scenario);
  LandscapeSpec spec;
  if (!a.axes.empty()) spec.axes = parse_slice_axes(a.axes, "--axes");
  spec.grid = a.grid;
  spec.span = a.span;
  spec.path_steps = a.steps;
  spec.lr = a.lr;
  spec.kl_step = a.kl_step;
  Session s(sc, stop_flag());
  if (!s.env().model())
    throw InputError("env.kind",
                     "landscape needs a finite world (exact J); allowed: " + finite_env_names());
  bool need_estimate = false;
  for (const SliceAxis& ax : spec.axes)
    need_estimate |=
        ax.kind == SliceAxisKind::kSampledGradient || ax.kind == SliceAxisKind::kUpdate;
  if (!prepare(s, a.iterations, need_estimate, "landscape")) return kExitFailed;
  // No --axes: grad,natural, or the first two logits where that plane does not form here (the
  // defaults failed on the short corridor the help names: exit 2 for no flag given).
  std::string passed_over;
  if (spec.axes.empty()) spec.axes = default_slice_axes(s, &passed_over);
  Landscape L;
  try {
    // The paths first (where the time goes on a large world: an exact ∇J, and NPG's Fisher, at
    // every step), then the grid; the line says which.
    const LandscapeWork w = landscape_work(spec);
    StderrProgress progress("pglab landscape", w.total(), [w](int d, int) {
      const int in_paths = w.paths * w.path_points;
      if (d < in_paths)
        return std::string("paths: ") + kLandscapePathOrder[d / w.path_points] + " " +
               std::to_string(d % w.path_points) + "/" + std::to_string(w.path_points) + " steps";
      return std::to_string(d - in_paths) + "/" + std::to_string(w.grid_points) + " grid points";
    });
    L = compute_landscape(s, spec, stop_flag(), &progress.done);
  } catch (const InputError& e) {
    throw as_flag_error(e, {"axes", "grid", "span", "steps", "lr", "kl-step"});
  }
  if (stop_signal()) return report_stopped("landscape");
  // On the p axis the cloud of sampled gradients at the current p, as the landscape view draws it
  // (same function, K and curve points); only where the algorithm has REINFORCE estimates.
  const bool p_axis = spec.axes.size() == 1 && spec.axes[0].kind == SliceAxisKind::kProb;
  if (a.samples_given && !p_axis)
    throw InputError("--samples", "the gradient cloud is drawn on the p axis alone: add --axes p");
  CorridorCloud cloud;
  bool has_cloud = false;
  std::string no_cloud;
  if (p_axis && !s.algorithm().info(s.scenario()).reinforce_settings) {
    no_cloud = std::string("no gradient cloud: ") + name_of(s.scenario().algorithm.name) +
               " has no REINFORCE estimates to sample";
    if (a.samples_given) throw InputError("--samples", no_cloud);
  } else if (p_axis) {
    try {
      StderrProgress progress("pglab landscape", a.samples, "sampled gradients");
      cloud = corridor_cloud(s, a.samples, kCorridorCurvePoints, stop_flag(), &progress.done);
      has_cloud = true;
    } catch (const InputError& e) {
      throw as_flag_error(e, {"samples"});
    }
    if (stop_signal()) return report_stopped("landscape");
  }
  if (a.json) {
    print_landscape_json(sc, L, has_cloud ? &cloud : nullptr);
    return kExitOk;
  }
  std::printf("landscape of %s: %s%s%s, %d × %zu points\n", sc.name.c_str(), L.x_label.c_str(),
              L.is_2d() ? " × " : "", L.y_label.c_str(), static_cast<int>(L.x.size()), L.y.size());
  if (!passed_over.empty()) {
    std::string names;
    for (const SliceAxis& ax : spec.axes) names += (names.empty() ? "" : ",") + slice_axis_name(ax);
    std::printf("axes %s: the default grad,natural makes no plane here (%s)\n", names.c_str(),
                passed_over.c_str());
  }
  std::printf("J at the origin %.6g; over the grid %.6g … %.6g\n", L.J_origin, L.J_min, L.J_max);
  for (const LandscapePath& p : L.paths)
    std::printf("%-11s %zu steps: J %.6g → %.6g\n", p.name.c_str(), p.x.size() - 1, p.J.front(),
                p.J.back());
  if (has_cloud) print_cloud(cloud);
  if (!no_cloud.empty()) std::printf("%s\n", no_cloud.c_str());
  return kExitOk;
}

void add_surrogate(CLI::App& app, SurrogateArgs& a) {
  CLI::App* cmd = app.add_subcommand(
      "surrogate", "Surrogate objectives (CPI, CLIP, KL, GRPO) against the true J along a step");
  add_scenario_options(*cmd, a.scenario);
  cmd->add_option("--iterations", a.iterations,
                  "Train this many iterations first (the last one's batch and step are used)")
      ->check(integer_in(0, 10000000));
  cmd->add_option("--direction", a.direction,
                  "update (the last step), ghat, grad, natural or theta:K (default update)")
      ->check(not_empty("an axis: update, ghat, grad, natural or theta:K"));
  cmd->add_option("--points", a.points,
                  "Step sizes α on [0, max] (2 … 1001; default as the app's view: 41 where J is "
                  "exact, 21 where it is sampled)")
      ->check(integer_in(2, 1001));
  cmd->add_option("--max-step", a.max_step,
                  "Largest α in parameter units (0: 3 × the update's length ‖θ − θ_old‖, the "
                  "app view's default reach, along every direction)")
      ->check(number_in(0.0, 1e6));
  cmd->add_option("--episodes", a.episodes,
                  "Episodes per α where J is sampled (2 … 100000; default 32, as the app's view)")
      ->check(integer_in(2, 100000));
  add_switch(*cmd, "--json", a.json, "Print the curves as JSON (pglab.surrogate/1)");
  cmd->callback([&a] { a.chosen = true; });
}

int run_surrogate(const SurrogateArgs& a) {
  catch_stop_signals();
  const Scenario sc = resolve(a.scenario);
  SurrogateSpec spec;
  const bool direction_given = !a.direction.empty();  // '' given is refused (not_empty)
  spec.direction = parse_direction(direction_given ? a.direction : "update", "--direction");
  spec.max_step = a.max_step;
  spec.mc_episodes = a.episodes > 0 ? a.episodes : 32;  // 32: the app's view
  Session s(sc, stop_flag());
  const bool exact = s.env().model() != nullptr;
  // Episodes given where J is exact would be silently unused: say so rather than print
  // numbers that look as if they came from that many episodes.
  if (a.episodes > 0 && exact)
    throw InputError("--episodes", "J is exact in " + s.env().name() +
                                       " (a finite world), so no episodes are sampled; drop "
                                       "--episodes (it sets the episodes per α where J is "
                                       "sampled: cart-pole, pendulum, continuous worlds)");
  spec.points = a.points > 0 ? a.points : default_surrogate_points(exact);
  if (!prepare(s, a.iterations, true, "surrogate")) return kExitFailed;
  SurrogateReport R;
  try {
    StderrProgress progress("pglab surrogate", spec.points, "step sizes");
    R = surrogate_vs_truth(s, spec, stop_flag(), &progress.done);
  } catch (const InputError& e) {
    // A refusal of the direction the user did not choose names the default it fell back to.
    if (e.where() == "direction" && !direction_given)
      throw InputError("--direction", "not given, so the default update; " + e.problem());
    throw as_flag_error(e, {"direction", "points", "max-step", "episodes"});
  }
  if (stop_signal()) return report_stopped("surrogate");
  if (a.json) {
    print_surrogate_json(sc, R);
    return kExitOk;
  }
  // θ_old is the θ the last batch was sampled with: iteration N − 1 after N iterations (the
  // iterations count from 0, as train --csv and the app number them).
  std::printf("surrogates along %s from θ_old of iteration %d, α ∈ [%.4g, %.4g], J %s\n",
              slice_axis_name(R.direction).c_str(), s.batch_iteration(), R.alpha.front(),
              R.alpha.back(), R.exact ? "exact" : "sampled (95% band)");
  // "—" where there is no number (no exact ∇J outside finite worlds, no step), as tables print.
  auto num = [](double v) { return table_cell(v, 0, "%.6g"); };
  std::printf(
      "slopes at 0: ĝ·d = %s%s, ∇J·d = %s; step taken at α = %s\n", num(R.slope_ghat).c_str(),
      surrogate_slope_is_not_ghat(R)
          ? (", the surrogates' " + num(R.slope_surrogate) + " (ĝ is not their gradient)").c_str()
          : "",
      num(R.slope_true).c_str(), num(R.step_alpha).c_str());
  std::printf("ΔJ at the end %.6g\n", R.J.back() - R.J.front());
  if (!R.same_scale) std::printf("%s\n", surrogate_units_note(R).c_str());
  for (const SurrogateCurve& c : R.curves)
    std::printf("%-7s ΔL at the end %.6g, %s\n", c.name.c_str(), c.L.back() - c.L.front(),
                surrogate_verdict(R, c, 6).c_str());
  return kExitOk;
}

}  // namespace pg::cli
