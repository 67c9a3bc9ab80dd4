// Policies and the exact oracle for Python: tabular softmax from a logits array, any policy
// (tabular, mlp, Gaussian) from the batch dump's policy block, and J, ∇J, V, Q, visitation, Fisher
// and KL from core/exact.

#include "checks.h"
#include "exact/exact.h"
#include "exact/exact_kl.h"
#include "io/batch_dump.h"
#include "io/scenario.h"
#include "py_env.h"
#include "py_policy.h"
#include "session/budget.h"
#include "session/session.h"
#include "util/error.h"

namespace pgpy {

namespace {

// Logits the softmax can read (O × A, row-major): every entry finite or −inf (a masked action,
// probability 0), and each row with at least one finite entry. NaN, +inf and an all −inf row
// would make NaN probabilities, which the oracle would pass on silently as NaN J and ∇J.
void check_logits(const double* theta, int O, int A, const std::string& what) {
  for (int o = 0; o < O; ++o) {
    bool any_finite = false;
    for (int a = 0; a < A; ++a) {
      const double v = theta[static_cast<size_t>(o) * A + a];
      if (std::isnan(v) || v == std::numeric_limits<double>::infinity())
        throw py::value_error(what + "[" + std::to_string(o) + ", " + std::to_string(a) + "] is " +
                              number_text(v) +
                              "; allowed: finite numbers, or -inf to mask an action");
      any_finite |= std::isfinite(v);
    }
    if (!any_finite)
      throw py::value_error(what + " row " + std::to_string(o) +
                            " has no finite entry (every action masked with -inf); allowed: at "
                            "least one finite logit per row");
  }
}

// The policy's parameters are usable: tabular logits as check_logits, mlp weights all finite.
void check_params(const PyPolicy& pol, const Eigen::VectorXd& theta) {
  if (pol.tabular()) {
    check_logits(theta.data(), pol.num_obs(), pol.get().num_actions(), "logits");
    return;
  }
  for (Eigen::Index i = 0; i < theta.size(); ++i)
    if (!std::isfinite(theta[i]))
      throw py::value_error("policy parameter " + std::to_string(i) + " is " +
                            number_text(theta[i]) + "; allowed: finite numbers");
}
void check_params(const PyPolicy& pol) {
  check_params(pol, pol.get().params());
}

// A tabular policy's size limit: 2^24 logits (128 MiB of float64, and as much again for each copy
// the oracle makes). The largest finite world pglab ships has about 3·10^4; an array beyond the
// limit is a mistake (a batch of observations passed as logits), refused before it is copied
// (np.zeros((10**6, 1000)) ended in "MemoryError: std::bad_alloc").
constexpr int64_t kMaxTabularLogits = int64_t{1} << 24;

void check_tabular_size(int64_t rows, int64_t cols, const std::string& what) {
  if (rows > 0 && cols > 0 && rows <= kMaxTabularLogits && cols <= kMaxTabularLogits &&
      rows * cols <= kMaxTabularLogits)
    return;
  if (rows < 1 || cols < 1) return;  // the shape check says what is wrong
  throw py::value_error(what + " has " + std::to_string(rows) + " × " + std::to_string(cols) +
                        " entries; a tabular policy holds at most " +
                        std::to_string(kMaxTabularLogits) + " logits (observations × actions)");
}

PyPolicy tabular_policy(const py::handle& logits_arg) {
  if (py::isinstance<py::array>(logits_arg)) {  // before float_array copies it
    const py::array a = py::reinterpret_borrow<py::array>(logits_arg);
    if (a.ndim() == 2) check_tabular_size(a.shape(0), a.shape(1), "logits");
  }
  const DArray logits = float_array(logits_arg, "logits");
  if (logits.ndim() != 2)
    throw py::value_error("logits must be a 2-d array (observations × actions), got " +
                          std::to_string(logits.ndim()) + " dimension(s)");
  // 2-d with no rows or no columns: say which (it read "must be a 2-d array" of a 2-d array).
  if (logits.shape(0) < 1 || logits.shape(1) < 1)
    throw py::value_error("logits of shape (" + std::to_string(logits.shape(0)) + ", " +
                          std::to_string(logits.shape(1)) +
                          ") are empty; a policy needs at least one observation (row) and one "
                          "action (column)");
  check_tabular_size(logits.shape(0), logits.shape(1), "logits");
  const int O = static_cast<int>(logits.shape(0)), A = static_cast<int>(logits.shape(1));
  check_logits(logits.data(), O, A, "logits");
  auto p = std::make_shared<pg::TabularSoftmax>(O, A);
  p->set_params(to_vec(logits));
  return {p};
}

// Reading the dump's policy block: each missing or mistyped key is a ValueError naming its path
// in the block ("policy.layers[1].W") and what it should hold.
const nlohmann::json& need(const nlohmann::json& j, const char* key, const std::string& path,
                           const char* expected) {
  if (!j.is_object())
    throw py::value_error(path + " must be an object with \"" + key + "\" (" + expected + ")");
  const auto it = j.find(key);
  if (it == j.end()) throw py::value_error(path + "." + key + " is missing; expected " + expected);
  return *it;
}
const nlohmann::json& need_array(const nlohmann::json& v, const std::string& path,
                                 const char* expected) {
  if (!v.is_array() || v.empty())
    throw py::value_error(path + " must be " + expected + ", got " + v.dump().substr(0, 60));
  return v;
}
double need_number(const nlohmann::json& v, const std::string& path) {
  if (!v.is_number())
    throw py::value_error(path + " must be a number, got " + v.dump().substr(0, 60));
  const double x = v.get<double>();
  if (!std::isfinite(x))
    throw py::value_error(path + " is " + number_text(x) + "; allowed: finite numbers");
  return x;
}

// The mean network or softmax MLP of a policy block: "layers" as [{"W": out × in, "b": out}, …],
// flattened in the parameter layout both policies use (per layer W row-major, then b). Fills the
// input width, the hidden widths and the output width.
struct BlockLayers {
  int in = -1, out = -1;
  std::vector<int> hidden;
  std::vector<double> flat;
};
BlockLayers read_layers(const nlohmann::json& j, const std::string& P) {
  const auto& layers = need_array(need(j, "layers", P, "a list of {\"W\", \"b\"} layers"),
                                  P + ".layers", "a non-empty list of {\"W\", \"b\"} layers");
  BlockLayers net;
  for (size_t l = 0; l < layers.size(); ++l) {
    const std::string L = P + ".layers[" + std::to_string(l) + "]";
    const auto& W = need_array(need(layers[l], "W", L, "a matrix (outputs × inputs)"), L + ".W",
                               "a non-empty matrix (outputs × inputs)");
    const auto& b = need_array(need(layers[l], "b", L, "a list of numbers (one per output)"),
                               L + ".b", "a non-empty list of numbers (one per output)");
    const int rows = static_cast<int>(W.size());
    const int cols = W[0].is_array() ? static_cast<int>(W[0].size()) : 0;
    const int prev = net.out;
    if (cols < 1 || static_cast<int>(b.size()) != rows || (prev >= 0 && cols != prev))
      throw py::value_error(L + " has inconsistent shapes: W is " + std::to_string(rows) + " × " +
                            std::to_string(cols) + ", b has " + std::to_string(b.size()) +
                            (prev >= 0
                                 ? ", and the layer before has " + std::to_string(prev) + " outputs"
                                 : std::string()));
    if (net.in < 0) net.in = cols;
    for (int r = 0; r < rows; ++r) {
      const std::string row = L + ".W[" + std::to_string(r) + "]";
      if (!W[r].is_array() || static_cast<int>(W[r].size()) != cols)
        throw py::value_error(row + " must be a list of " + std::to_string(cols) + " numbers");
      for (int c = 0; c < cols; ++c)
        net.flat.push_back(need_number(W[r][c], row + "[" + std::to_string(c) + "]"));
    }
    for (int r = 0; r < rows; ++r)
      net.flat.push_back(need_number(b[r], L + ".b[" + std::to_string(r) + "]"));
    if (l + 1 < layers.size()) net.hidden.push_back(rows);
    net.out = rows;
  }
  return net;
}

// An optional enumerated key of the block ("activation", "precision"), by the core's own table;
// `fallback` when absent.
template <class E>
E read_enum(const nlohmann::json& j, const char* key, E fallback) {
  if (!j.contains(key)) return fallback;
  E v = fallback;
  if (!j[key].is_string() || !pg::enum_from_name(j[key].get<std::string>(), &v))
    throw py::value_error(std::string("policy.") + key + " must be one of " +
                          pg::enum_name_list<E>() + ", got " + j[key].dump().substr(0, 60));
  return v;
}

// n finite numbers at `path`.
std::vector<double> read_numbers(const nlohmann::json& v, const std::string& path, int n) {
  if (!v.is_array() || static_cast<int>(v.size()) != n)
    throw py::value_error(path + " must be a list of " + std::to_string(n) + " numbers, got " +
                          v.dump().substr(0, 60));
  std::vector<double> out;
  for (int i = 0; i < n; ++i)
    out.push_back(need_number(v[i], path + "[" + std::to_string(i) + "]"));
  return out;
}

PyPolicy tabular_from_block(const nlohmann::json& j, const std::string& P) {
  const auto& rows = need_array(need(j, "logits", P, "a table of numbers (observations × actions)"),
                                P + ".logits", "a non-empty table (observations × actions)");
  const int64_t O64 = static_cast<int64_t>(rows.size());
  const int64_t A64 = static_cast<int64_t>(
      need_array(rows[0], P + ".logits[0]", "a non-empty list of numbers").size());
  check_tabular_size(O64, A64, P + ".logits");
  const int O = static_cast<int>(O64), A = static_cast<int>(A64);
  Eigen::VectorXd theta(O * A);
  for (int o = 0; o < O; ++o) {
    const std::string row = P + ".logits[" + std::to_string(o) + "]";
    if (!rows[o].is_array() || static_cast<int>(rows[o].size()) != A)
      throw py::value_error(row + " must be a list of " + std::to_string(A) +
                            " numbers (as row 0)");
    for (int a = 0; a < A; ++a) {
      const auto& v = rows[o][a];
      // −inf (a masked action) is a float here, not JSON text: check_logits judges it.
      if (v.is_number_float() && std::isinf(v.get<double>()))
        theta[o * A + a] = v.get<double>();
      else
        theta[o * A + a] = need_number(v, row + "[" + std::to_string(a) + "]");
    }
  }
  check_logits(theta.data(), O, A, P + ".logits");
  auto p = std::make_shared<pg::TabularSoftmax>(O, A);
  p->set_params(theta);
  return {p};
}

PyPolicy mlp_from_block(const nlohmann::json& j, const std::string& P) {
  BlockLayers net = read_layers(j, P);
  const pg::Activation act = read_enum(j, "activation", pg::Activation::kTanh);
  const pg::Precision precision = read_enum(j, "precision", pg::Precision::kFloat64);
  pg::Rng rng(0);  // the initial draw is replaced by the block's parameters
  auto p = std::make_shared<pg::MlpSoftmax>(net.in, net.hidden, act, net.out, rng, precision);
  p->set_params(Eigen::Map<const Eigen::VectorXd>(net.flat.data(),
                                                  static_cast<Eigen::Index>(net.flat.size())));
  return {p};
}

// batch_dump.cpp's gaussian_json read back (README › Continuous actions): "action_dim"; "layers"
// and "activation" (the mean network: μ, then log σ when state-dependent) or "mean" (no features);
// "log_std_kind", "log_std" (state-independent); "squash", "low", "high". θ is the network (or μ),
// then the state-independent log σ: gaussian.h's layout.
PyPolicy gaussian_from_block(const nlohmann::json& j, const std::string& P) {
  pg::GaussianConfig c;
  const nlohmann::json& dim = need(j, "action_dim", P, "an integer >= 1");
  if (!dim.is_number_integer() || dim.get<int64_t>() < 1 || dim.get<int64_t>() > 1024)
    throw py::value_error(P + ".action_dim must be an integer in [1, 1024], got " +
                          dim.dump().substr(0, 60));
  const int d = c.action_dim = static_cast<int>(dim.get<int64_t>());
  const nlohmann::json& kind =
      need(j, "log_std_kind", P, "\"state-independent\" or \"state-dependent\"");
  if (kind != "state-independent" && kind != "state-dependent")
    throw py::value_error(
        P + ".log_std_kind must be \"state-independent\" or \"state-dependent\", got " +
        kind.dump().substr(0, 60));
  c.state_dependent_std = kind == "state-dependent";
  if (j.contains("squash")) {
    if (!j["squash"].is_boolean())
      throw py::value_error(P + ".squash must be true or false, got " + j["squash"].dump());
    c.squash = j["squash"].get<bool>();
  }
  c.low = read_numbers(need(j, "low", P, "the action bounds' low values"), P + ".low", d);
  c.high = read_numbers(need(j, "high", P, "the action bounds' high values"), P + ".high", d);
  for (int i = 0; i < d; ++i)
    if (!(c.low[i] < c.high[i]))
      throw py::value_error(P + ".low[" + std::to_string(i) + "] must be below " + P + ".high[" +
                            std::to_string(i) + "]");
  std::vector<double> theta;
  if (j.contains("layers")) {
    BlockLayers net = read_layers(j, P);
    const int want = c.state_dependent_std ? 2 * d : d;
    if (net.out != want)
      throw py::value_error(
          P + ".layers: the last layer has " + std::to_string(net.out) + " outputs; a " +
          kind.get<std::string>() + " Gaussian with action_dim " + std::to_string(d) + " has " +
          std::to_string(want) + (c.state_dependent_std ? " (μ, then log σ)" : " (μ)"));
    c.obs_dim = net.in;
    c.hidden = net.hidden;
    c.activation = read_enum(j, "activation", pg::Activation::kTanh);
    c.precision = read_enum(j, "precision", pg::Precision::kFloat64);
    theta = std::move(net.flat);
  } else {
    if (c.state_dependent_std)
      throw py::value_error(P + ": a state-dependent log σ needs \"layers\" (a mean network)");
    theta =
        read_numbers(need(j, "mean", P, "μ (action_dim numbers) or \"layers\""), P + ".mean", d);
  }
  if (!c.state_dependent_std) {
    const std::vector<double> ls =
        read_numbers(need(j, "log_std", P, "log σ (action_dim numbers)"), P + ".log_std", d);
    theta.insert(theta.end(), ls.begin(), ls.end());
  }
  pg::Rng rng(0);  // the initial draw is replaced by the block's parameters
  auto p = std::make_shared<pg::GaussianPolicy>(c, rng);
  PG_ASSERT(p->num_params() == static_cast<int>(theta.size()),
            "gaussian_from_block reads θ in gaussian.h's layout");
  p->set_params(
      Eigen::Map<const Eigen::VectorXd>(theta.data(), static_cast<Eigen::Index>(theta.size())));
  return {p};
}

// The dump's policy block (DESIGN.md §4): {"kind", "num_actions", "logits" | "layers",
// "activation", "precision"}, or a Gaussian's (gaussian_from_block).
PyPolicy policy_from_block(const py::handle& block) {
  const nlohmann::json j = from_py(block, "policy");
  const std::string P = "policy";
  const char* kinds = "\"tabular\", \"mlp\" or \"gaussian\"";
  const nlohmann::json& kind_v = need(j, "kind", P, kinds);
  const std::string kind = kind_v.is_string() ? kind_v.get<std::string>() : "";
  if (kind == "tabular") return tabular_from_block(j, P);
  if (kind == "mlp") return mlp_from_block(j, P);
  if (kind == "gaussian") return gaussian_from_block(j, P);
  throw py::value_error("policy.kind must be " + std::string(kinds) + ", got " + kind_v.dump());
}

pg::ObsRef obs_ref(const PyPolicy& pol, const py::handle& obs, std::vector<double>& x) {
  if (pol.tabular()) {
    return {static_cast<int>(checked_int(obs, "observation", 0, pol.num_obs() - 1)), nullptr};
  }
  // A Gaussian without features (the continuous bandit's free mean) reads no observation.
  if (pol.gaussian() && pol.obs_dim() == 0 && obs.is_none()) return {-1, nullptr};
  const DArray a = py::cast<DArray>(obs);
  if (a.size() != pol.obs_dim())
    throw py::value_error(std::string(pol.gaussian() ? "the Gaussian policy" : "the mlp policy") +
                          " reads " + std::to_string(pol.obs_dim()) + " features" +
                          (pol.obs_dim() == 0 ? " (give obs=None)" : ""));
  check_finite(a.data(), a.size(), "observation");
  x.assign(a.data(), a.data() + a.size());
  return {-1, x.data()};
}

// One action for the policy: a discrete index in range, or a Gaussian's u (action_dim finite
// numbers, before any squashing: what log π reads), kept in `u`.
pg::ActRef act_ref(const PyPolicy& pol, const py::handle& action, std::vector<double>& u) {
  if (!pol.gaussian())
    return static_cast<int>(checked_int(action, "action", 0, pol.get().num_actions() - 1));
  const DArray a = float_array(action, "action");
  if (a.size() != pol.get().action_dim())
    throw py::value_error("the Gaussian policy's action has " +
                          std::to_string(pol.get().action_dim()) + " value(s), got " +
                          std::to_string(a.size()));
  check_finite(a.data(), a.size(), "action");
  u.assign(a.data(), a.data() + a.size());
  return pg::ActRef(-1, u.data());
}

// The horizon argument (None: the env's step limit; 0: infinite), an integer in the range of the
// scenario key env.step_limit, whose meaning it has ([0, 10⁶]): the finite-horizon oracle keeps
// V_t per step (horizon × states numbers), so 10**9 ran out of memory or for hours.
// Its V_t and visitation tables must fit the memory budget (session/budget.h), checked before
// they are allocated: horizon=10**6 on the token task met the OOM killer.
int horizon_of(const pg::Env& env, const py::object& horizon) {
  if (horizon.is_none()) {
    pg::require_exact_horizon_fits(env, env.step_limit(), "horizon (None: env.step_limit)");
    return env.step_limit();
  }
  const pg::ParamSpec* spec = pg::find_param("env.step_limit");
  PG_ASSERT(spec, "the key table has env.step_limit");
  const int H = static_cast<int>(
      checked_int(horizon, "horizon (0: infinite)", 0, static_cast<int64_t>(spec->max)));
  pg::require_exact_horizon_fits(env, H, "horizon");
  return H;
}

// The checks every oracle call makes: the world has an exact oracle (check_finite_world), the
// policy fits the env and its parameters are usable.
void check_for_oracle(const PyPolicy& p, const pg::Env& env, const char* what,
                      bool gaussian_ok = false) {
  check_finite_world(p, env, what, gaussian_ok);
  check_fits(p, env);
  check_params(p);
}

}  // namespace

py::dict exact_dict(const pg::ExactResult& r) {
  py::dict d;
  d["J"] = r.J;
  d["grad"] = from_vec(r.gradient);
  d["V"] = from_vec(r.V);
  d["Q"] = from_mat(r.Q);
  d["d"] = from_vec(r.d);
  d["probs"] = from_mat(r.probs);
  d["V_t"] = from_mat(r.V_t);
  d["horizon"] = r.horizon;
  return d;
}

void bind_exact(py::module_& m) {
  m.attr("MAX_TABULAR_LOGITS") = kMaxTabularLogits;
  py::class_<PyPolicy>(m, "Policy", "A policy of the core: tabular or mlp softmax, or Gaussian.")
      .def_static("tabular", &tabular_policy, py::arg("logits"))
      .def_static("from_dump", &policy_from_block, py::arg("block"))
      .def_static(
          "from_scenario",
          [](const std::string& scenario, const std::vector<std::string>& sets) {
            pg::Scenario s = pg::load_scenario(scenario);
            pg::apply_sets(s, sets);
            const auto env = pg::make_env(s);
            return PyPolicy{PolicyPtr(pg::make_policy(s, *env))};
          },
          py::arg("scenario"), py::arg("sets") = std::vector<std::string>{})
      .def_property_readonly(
          "kind", [](const PyPolicy& p) { return std::string(pg::name_of(p.get().kind())); })
      .def_property_readonly("num_actions", [](const PyPolicy& p) { return p.get().num_actions(); })
      .def_property_readonly("action_dim", [](const PyPolicy& p) { return p.get().action_dim(); })
      .def_property_readonly("num_params", [](const PyPolicy& p) { return p.get().num_params(); })
      .def_property_readonly("num_obs", &PyPolicy::num_obs)
      .def_property_readonly("obs_dim", &PyPolicy::obs_dim)
      .def_property(
          "params", [](const PyPolicy& p) { return from_vec(p.get().params()); },
          [](PyPolicy& p, const py::handle& theta_arg) {
            const DArray theta = float_array(theta_arg, "params");
            if (theta.size() != p.get().num_params())
              throw py::value_error("expected " + std::to_string(p.get().num_params()) +
                                    " parameters, got " + std::to_string(theta.size()));
            const Eigen::VectorXd v = to_vec(theta);
            check_params(p, v);
            p.p->set_params(v);
          })
      .def("to_dump", [](const PyPolicy& p) { return to_py(pg::policy_json(p.get())); })
      .def("copy", [](const PyPolicy& p) { return PyPolicy{PolicyPtr(p.get().clone())}; })
      .def(
          "probs",
          [](const PyPolicy& p, const py::handle& obs) {
            if (p.gaussian())
              throw py::value_error(
                  "a Gaussian policy has a density, not action probabilities: use "
                  "log_prob(obs, action) or mean_log_std(obs)");
            std::vector<double> x, out(p.get().num_actions());
            p.get().probs(obs_ref(p, obs, x), out.data());
            return from_std(out);
          },
          py::arg("obs"))
      .def(
          "log_prob",
          [](const PyPolicy& p, const py::handle& obs, const py::handle& action) {
            std::vector<double> x, u;
            const pg::ActRef a = act_ref(p, action, u);
            return p.get().log_prob(obs_ref(p, obs, x), a);
          },
          py::arg("obs"), py::arg("action"))
      .def(
          "grad_log_prob",
          [](const PyPolicy& p, const py::handle& obs, const py::handle& action) {
            std::vector<double> x, u;
            const pg::ActRef a = act_ref(p, action, u);
            Eigen::VectorXd g = Eigen::VectorXd::Zero(p.get().num_params());
            p.get().add_grad_log_prob(obs_ref(p, obs, x), a, 1.0, g);
            return from_vec(g);
          },
          py::arg("obs"), py::arg("action"))
      .def(
          "mean_log_std",
          [](const PyPolicy& p, const py::handle& obs) {
            if (!p.gaussian())
              throw py::value_error("mean_log_std is a Gaussian policy's; this one is " +
                                    std::string(pg::name_of(p.get().kind())) + " (use probs(obs))");
            std::vector<double> x;
            const int d = p.get().action_dim();
            std::vector<double> mu(d), log_std(d);
            p.gaussian()->mean_log_std(obs_ref(p, obs, x), mu.data(), log_std.data());
            return py::make_tuple(from_std(mu), from_std(log_std));
          },
          py::arg("obs"));

  m.def(
      "exact",
      [](const PyEnv& e, const PyPolicy& p, const py::object& horizon) {
        check_for_oracle(p, *e.env, "exact", true);
        return exact_dict(pg::exact_evaluate(*e.env, p.get(), horizon_of(*e.env, horizon)));
      },
      py::arg("env"), py::arg("policy"), py::arg("horizon") = py::none());
  m.def(
      "exact_J",
      [](const PyEnv& e, const PyPolicy& p, const py::object& horizon) {
        check_for_oracle(p, *e.env, "exact_J", true);
        return pg::exact_J(*e.env, p.get(), horizon_of(*e.env, horizon));
      },
      py::arg("env"), py::arg("policy"), py::arg("horizon") = py::none());
  m.def(
      "fisher",
      [](const PyEnv& e, const PyPolicy& p, const py::object& horizon) {
        check_for_oracle(p, *e.env, "fisher");
        return from_mat(pg::exact_fisher(*e.env, p.get(), horizon_of(*e.env, horizon)));
      },
      py::arg("env"), py::arg("policy"), py::arg("horizon") = py::none());
  m.def(
      "kl_per_state",
      [](const PyEnv& e, const PyPolicy& old_p, const PyPolicy& p) {
        pg::check_same_actions(old_p.get(), p.get());
        check_for_oracle(old_p, *e.env, "kl_per_state");
        check_for_oracle(p, *e.env, "kl_per_state");
        return from_vec(pg::exact_kl_per_state(*e.env, old_p.get(), p.get()));
      },
      py::arg("env"), py::arg("old_policy"), py::arg("policy"));
  m.def(
      "mean_kl",
      [](const PyEnv& e, const PyPolicy& old_p, const PyPolicy& p) {
        pg::check_same_actions(old_p.get(), p.get());
        check_for_oracle(old_p, *e.env, "mean_kl");
        check_for_oracle(p, *e.env, "mean_kl");
        return pg::exact_mean_kl(*e.env, old_p.get(), p.get());
      },
      py::arg("env"), py::arg("old_policy"), py::arg("policy"));
}

}  // namespace pgpy
