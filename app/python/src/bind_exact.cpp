// Policies and the exact oracle for Python: tabular softmax from a logits array, an mlp from the
// batch dump's policy block, and J, ∇J, V, Q, visitation, Fisher and KL from core/exact.

#include "exact/exact.h"
#include "exact/exact_kl.h"
#include "io/batch_dump.h"
#include "io/scenario.h"
#include "py_env.h"
#include "py_policy.h"
#include "session/session.h"
#include "util/error.h"

namespace pgpy {

namespace {

PyPolicy tabular_policy(const DArray& logits) {
  if (logits.ndim() != 2 || logits.shape(0) < 1 || logits.shape(1) < 1)
    throw py::value_error("logits must be a 2-d array (observations × actions)");
  const int O = static_cast<int>(logits.shape(0)), A = static_cast<int>(logits.shape(1));
  auto p = std::make_shared<pg::TabularSoftmax>(O, A);
  p->set_params(to_vec(logits));
  return {p};
}

// The dump's policy block (DESIGN.md §4): {"kind", "num_actions", "logits" | "layers",
// "activation"}.
PyPolicy policy_from_block(const py::handle& block) {
  const nlohmann::json j = from_py(block);
  const std::string kind = j.value("kind", "");
  if (kind == "tabular") {
    const auto& rows = j.at("logits");
    const int O = static_cast<int>(rows.size());
    const int A = O > 0 ? static_cast<int>(rows[0].size()) : 0;
    if (O < 1 || A < 1) throw py::value_error("policy.logits must be a non-empty table");
    auto p = std::make_shared<pg::TabularSoftmax>(O, A);
    Eigen::VectorXd theta(O * A);
    for (int o = 0; o < O; ++o) {
      if (static_cast<int>(rows[o].size()) != A)
        throw py::value_error("policy.logits rows differ in length");
      for (int a = 0; a < A; ++a) theta[o * A + a] = rows[o][a].get<double>();
    }
    p->set_params(theta);
    return {p};
  }
  if (kind != "mlp") throw py::value_error("policy.kind must be \"tabular\" or \"mlp\"");
  const auto& layers = j.at("layers");
  if (layers.empty()) throw py::value_error("policy.layers is empty");
  std::vector<int> hidden;
  std::vector<double> flat;
  int in = -1, prev = -1;
  for (size_t l = 0; l < layers.size(); ++l) {
    const auto& W = layers[l].at("W");
    const auto& b = layers[l].at("b");
    const int rows = static_cast<int>(W.size());
    const int cols = rows > 0 ? static_cast<int>(W[0].size()) : 0;
    if (rows < 1 || cols < 1 || static_cast<int>(b.size()) != rows || (prev >= 0 && cols != prev))
      throw py::value_error("policy.layers[" + std::to_string(l) + "] has inconsistent shapes");
    if (in < 0) in = cols;
    for (const auto& row : W) {
      if (static_cast<int>(row.size()) != cols)
        throw py::value_error("policy.layers[" + std::to_string(l) + "].W rows differ in length");
      for (const auto& v : row) flat.push_back(v.get<double>());
    }
    for (const auto& v : b) flat.push_back(v.get<double>());
    if (l + 1 < layers.size()) hidden.push_back(rows);
    prev = rows;
  }
  const pg::Activation act =
      j.value("activation", "tanh") == "relu" ? pg::Activation::kRelu : pg::Activation::kTanh;
  pg::Rng rng(0);  // the initial draw is replaced by the block's parameters
  auto p = std::make_shared<pg::MlpSoftmax>(in, hidden, act, prev, rng);
  p->set_params(
      Eigen::Map<const Eigen::VectorXd>(flat.data(), static_cast<Eigen::Index>(flat.size())));
  return {p};
}

pg::ObsRef obs_ref(const PyPolicy& pol, const py::handle& obs, std::vector<double>& x) {
  if (pol.tabular()) {
    const int o = py::cast<int>(obs);
    if (o < 0 || o >= pol.num_obs())
      throw py::value_error("observation " + std::to_string(o) + " is out of range [0, " +
                            std::to_string(pol.num_obs()) + ")");
    return {o, nullptr};
  }
  const DArray a = py::cast<DArray>(obs);
  if (a.size() != pol.obs_dim())
    throw py::value_error("the mlp policy reads " + std::to_string(pol.obs_dim()) + " features");
  x.assign(a.data(), a.data() + a.size());
  return {-1, x.data()};
}

int horizon_of(const pg::Env& env, std::optional<int> horizon) {
  const int H = horizon ? *horizon : env.step_limit();
  if (H < 0) throw py::value_error("horizon must be ≥ 0 (0: infinite)");
  return H;
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
  py::class_<PyPolicy>(m, "Policy", "A softmax policy of the core (tabular or mlp).")
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
      .def_property_readonly("num_params", [](const PyPolicy& p) { return p.get().num_params(); })
      .def_property_readonly("num_obs", &PyPolicy::num_obs)
      .def_property_readonly("obs_dim", &PyPolicy::obs_dim)
      .def_property(
          "params", [](const PyPolicy& p) { return from_vec(p.get().params()); },
          [](PyPolicy& p, const DArray& theta) {
            if (theta.size() != p.get().num_params())
              throw py::value_error("expected " + std::to_string(p.get().num_params()) +
                                    " parameters, got " + std::to_string(theta.size()));
            p.p->set_params(to_vec(theta));
          })
      .def("to_dump", [](const PyPolicy& p) { return to_py(pg::policy_json(p.get())); })
      .def("copy", [](const PyPolicy& p) { return PyPolicy{PolicyPtr(p.get().clone())}; })
      .def("probs",
           [](const PyPolicy& p, const py::handle& obs) {
             std::vector<double> x, out(p.get().num_actions());
             p.get().probs(obs_ref(p, obs, x), out.data());
             return from_std(out);
           })
      .def("grad_log_prob", [](const PyPolicy& p, const py::handle& obs, int a) {
        if (a < 0 || a >= p.get().num_actions()) throw py::value_error("action out of range");
        std::vector<double> x;
        Eigen::VectorXd g = Eigen::VectorXd::Zero(p.get().num_params());
        p.get().add_grad_log_prob(obs_ref(p, obs, x), a, 1.0, g);
        return from_vec(g);
      });

  m.def(
      "exact",
      [](const PyEnv& e, const PyPolicy& p, std::optional<int> horizon) {
        check_fits(p, *e.env);
        return exact_dict(pg::exact_evaluate(*e.env, p.get(), horizon_of(*e.env, horizon)));
      },
      py::arg("env"), py::arg("policy"), py::arg("horizon") = py::none());
  m.def(
      "exact_J",
      [](const PyEnv& e, const PyPolicy& p, std::optional<int> horizon) {
        check_fits(p, *e.env);
        return pg::exact_J(*e.env, p.get(), horizon_of(*e.env, horizon));
      },
      py::arg("env"), py::arg("policy"), py::arg("horizon") = py::none());
  m.def(
      "fisher",
      [](const PyEnv& e, const PyPolicy& p, std::optional<int> horizon) {
        check_fits(p, *e.env);
        return from_mat(pg::exact_fisher(*e.env, p.get(), horizon_of(*e.env, horizon)));
      },
      py::arg("env"), py::arg("policy"), py::arg("horizon") = py::none());
  m.def(
      "kl_per_state",
      [](const PyEnv& e, const PyPolicy& old_p, const PyPolicy& p) {
        check_fits(old_p, *e.env);
        check_fits(p, *e.env);
        return from_vec(pg::exact_kl_per_state(*e.env, old_p.get(), p.get()));
      },
      py::arg("env"), py::arg("old_policy"), py::arg("policy"));
  m.def(
      "mean_kl",
      [](const PyEnv& e, const PyPolicy& old_p, const PyPolicy& p) {
        check_fits(old_p, *e.env);
        check_fits(p, *e.env);
        return pg::exact_mean_kl(*e.env, old_p.get(), p.get());
      },
      py::arg("env"), py::arg("old_policy"), py::arg("policy"));
}

}  // namespace pgpy
