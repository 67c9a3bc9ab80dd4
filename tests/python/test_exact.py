"""The exact oracle from Python (issue 13): J and ∇J equal to `pglab exact` and to the batch
dump's, ∇J equal to finite differences of J, the model as arrays, Fisher and KL."""

import json

import numpy as np
import pytest

import pglab
from conftest import grad_dump, run_cli

SCENARIOS = [
    ("gridworld-reinforce", []),
    ("cliff-reinforce", ["env.step_limit=30"]),
    ("short-corridor-reinforce", []),
    ("bandit-reinforce", []),
    ("gridworld-reinforce", ["env.slip=0.2", "env.step_limit=0"]),  # infinite horizon
]


@pytest.mark.parametrize("scenario,sets", SCENARIOS)
def test_exact_equals_cli(scenario, sets):
    args = ["exact", "--scenario", scenario]
    for s in sets:
        args += ["--set", s]
    cli = json.loads(run_cli(*args))
    env = pglab.make_from_scenario(scenario, sets)
    policy = pglab.Policy.from_scenario(scenario, sets)
    ex = pglab.exact(env, policy)
    # The same code on the same numbers, printed round-trip: equal to the bit.
    assert ex.J == cli["J"]
    assert np.array_equal(ex.grad.ravel(), np.array(cli["gradient"]))
    assert np.array_equal(ex.V, np.array(cli["V"]))
    assert np.array_equal(ex.d, np.array(cli["d"]))
    assert ex.grad.shape == (policy.num_obs, policy.num_actions)


def test_exact_equals_dump_at_a_trained_theta(tmp_path):
    dump = grad_dump(tmp_path, "gridworld-reinforce", extra=["--iterations", "3", "--seed", "7"])
    env = pglab.make_from_scenario("gridworld-reinforce")
    logits = np.array(dump["policy"]["logits"])
    ex = pglab.exact(env, logits)
    assert ex.J == dump["exact"]["J"]
    assert np.array_equal(ex.grad.ravel(), np.array(dump["exact"]["gradient"]))
    m = env.model()
    assert np.array_equal(m["P"], np.array(dump["model"]["P"]))
    assert np.array_equal(m["R"], np.array(dump["model"]["R"]))
    assert np.array_equal(m["start"], np.array(dump["model"]["start"]))
    assert np.array_equal(m["terminal"].astype(int), np.array(dump["model"]["terminal"]))
    assert np.array_equal(m["obs_of_state"], np.array(dump["model"]["obs_of_state"]))


@pytest.mark.parametrize("scenario,sets", SCENARIOS)
def test_gradient_equals_finite_differences(scenario, sets):
    env = pglab.make_from_scenario(scenario, sets)
    rng = np.random.default_rng(1)
    logits = rng.normal(size=(env.observation_space.n, env.action_space.n))
    grad = pglab.exact(env, logits).grad
    # Central differences with h = 1e-5: truncation error O(h²)·|J'''| and rounding
    # O(ε |J| / h) ≈ 1e-11 · |J|; measured at most 7e-10 of ‖∇J‖∞ on these worlds (the short
    # corridor; the others 8e-11 to 2.5e-10), so the limit 1e-8 leaves a factor 14.
    h = 1e-5
    fd = np.zeros_like(logits)
    for idx in np.ndindex(logits.shape):
        up, dn = logits.copy(), logits.copy()
        up[idx] += h
        dn[idx] -= h
        fd[idx] = (pglab.exact_J(env, up) - pglab.exact_J(env, dn)) / (2 * h)
    scale = max(np.abs(grad).max(), 1e-3)
    assert np.abs(fd - grad).max() <= 1e-8 * scale, np.abs(fd - grad).max() / scale


def test_short_corridor_closed_form():
    # make("ShortCorridor") is the scenario's world (γ 1, no time limit): its J is the closed form
    # the README cites; a 1000-step default made it −379.69 at p = 0.01 (audit a12 F7).
    env = pglab.make("ShortCorridor")
    assert env.spec.max_episode_steps is None
    for p in (0.01, 0.2, 2 - np.sqrt(2), 0.8, 0.999):
        logits = np.array([[0.0, np.log(p / (1 - p))]])
        assert pglab.exact_J(env, logits) == pytest.approx((2 * p - 4) / (p * (1 - p)), rel=1e-12)


def test_fisher_and_kl():
    env = pglab.make("GridWorld", map="classic-4x4", slip=0.1)
    rng = np.random.default_rng(2)
    old = rng.normal(size=(env.observation_space.n, 4))
    F = pglab.fisher(env, old)
    assert F.shape == (old.size, old.size) and np.allclose(F, F.T)
    # KL̄(θ, θ + εΔ) = ½ ε² Δᵀ F Δ + O(ε³) (exact/exact_kl.h): the ratio tends to 1.
    delta = rng.normal(size=old.shape)
    eps = 1e-3
    kl = pglab.mean_kl(env, old, old + eps * delta)
    quad = 0.5 * eps**2 * delta.ravel() @ F @ delta.ravel()
    assert kl == pytest.approx(quad, rel=1e-2)
    per_state = pglab.kl_per_state(env, old, old + eps * delta)
    assert per_state.shape == (env.model()["R"].shape[0],) and np.all(per_state >= 0)


def test_bad_policy_shapes_are_value_errors():
    env = pglab.make("GridWorld", map="classic-4x4")
    with pytest.raises(ValueError, match="observation rows"):
        pglab.exact(env, np.zeros((3, 4)))
    with pytest.raises(ValueError, match="actions"):
        pglab.exact(env, np.zeros((env.observation_space.n, 3)))
    with pytest.raises(ValueError, match="finite model"):
        pglab.make("CartPole-v1").model()


# ---- Gaussian policies: the dump's policy block read back (README › Continuous actions)
GAUSSIANS = [
    ("continuous-bandit-reinforce", []),  # μ itself, no features
    ("pendulum-ppo", []),  # 64-64 tanh mean network, state-independent log σ
    ("pendulum-ppo", ["policy.log_std=state-dependent", "policy.hidden=8"]),
    ("pendulum-ppo", ["policy.squash=true", "policy.hidden=", "policy.activation=relu"]),
    ("pendulum-ppo", ["policy.squash=true", "policy.log_std=state-dependent",
                      "policy.precision=float32", "policy.hidden=5,3"]),
    ("continuous-bandit-reinforce", ["policy.squash=true", "policy.init_log_std=-0.5"]),
]


@pytest.mark.parametrize("scenario,sets", GAUSSIANS)
def test_gaussian_from_dump_round_trip(scenario, sets):
    p = pglab.Policy.from_scenario(scenario, sets)
    rng = np.random.default_rng(1)
    p.params = p.params + rng.normal(scale=0.3, size=p.num_params)  # not the initial draw
    q = pglab.Policy.from_dump(p.to_dump())
    assert q.kind == "gaussian" and (q.action_dim, q.obs_dim) == (p.action_dim, p.obs_dim)
    assert np.array_equal(q.params, p.params)
    assert q.to_dump() == p.to_dump()
    # The same density, score and mean at a few (s, u): the block carries squash and bounds too.
    for _ in range(3):
        obs = None if p.obs_dim == 0 else rng.normal(size=p.obs_dim)
        u = rng.normal(scale=2.0, size=p.action_dim)
        assert q.log_prob(obs, u) == p.log_prob(obs, u)
        assert np.array_equal(q.grad_log_prob(obs, u), p.grad_log_prob(obs, u))
        for a, b in zip(q.mean_log_std(obs), p.mean_log_std(obs)):
            assert np.array_equal(a, b)
    # The comparison can fail: another θ gives another density.
    q.params = q.params + 0.1
    u = np.ones(p.action_dim)
    obs = None if p.obs_dim == 0 else np.ones(p.obs_dim)
    assert q.log_prob(obs, u) != p.log_prob(obs, u)


def test_gaussian_squash_is_read_back():
    # squash changes log π by the log-det term: a block read without it would differ.
    p = pglab.Policy.from_scenario("pendulum-ppo", ["policy.squash=true", "policy.hidden=4"])
    block = p.to_dump()
    block["squash"] = False
    obs, u = np.array([1.0, 0.0, 0.5]), np.array([0.7])
    assert pglab.Policy.from_dump(block).log_prob(obs, u) != p.log_prob(obs, u)


def test_exact_continuous_bandit_with_the_dump_policy(tmp_path):
    env = pglab.make_from_scenario("continuous-bandit-reinforce")
    dump = grad_dump(tmp_path, "continuous-bandit-reinforce", extra=["--iterations", "4"])
    p = pglab.Policy.from_scenario("continuous-bandit-reinforce")
    p.params = pglab.Policy.from_dump(dump["policy"]).params
    assert np.any(p.params != pglab.Policy.from_scenario("continuous-bandit-reinforce").params)
    for policy in (dump["policy"], pglab.Policy.from_dump(dump["policy"])):
        got, want = pglab.exact(env, policy), pglab.exact(env, p)
        assert got.J == want.J and np.array_equal(got.grad, want.grad)
        assert pglab.exact_J(env, policy) == want.J
    # And the dump's own exact block (the CLI's quadrature at the dump's θ), to the bit.
    assert want.J == dump["exact"]["J"]
    assert np.array_equal(want.grad, np.array(dump["exact"]["gradient"]))


@pytest.mark.parametrize("block,match", [
    ({"kind": "gaussian", "log_std_kind": "state-independent", "low": [-1.0], "high": [1.0],
      "mean": [0.0], "log_std": [0.0]}, r"policy.action_dim is missing"),
    ({"kind": "gaussian", "action_dim": 1, "log_std_kind": "state-independent", "low": [-1.0],
      "high": [1.0], "mean": [0.0]}, r"policy.log_std is missing"),
    ({"kind": "gaussian", "action_dim": 1, "log_std_kind": "sometimes", "low": [-1.0],
      "high": [1.0], "mean": [0.0], "log_std": [0.0]}, r"policy.log_std_kind must be"),
    ({"kind": "gaussian", "action_dim": 2, "log_std_kind": "state-independent", "low": [-1.0],
      "high": [1.0], "mean": [0.0, 0.0], "log_std": [0.0, 0.0]},
     r"policy.low must be a list of 2 numbers"),
    ({"kind": "gaussian", "action_dim": 1, "log_std_kind": "state-dependent", "low": [-1.0],
      "high": [1.0], "layers": [{"W": [[1.0, 2.0]], "b": [0.0]}]},
     r"the last layer has 1 outputs; a state-dependent Gaussian with action_dim 1 has 2"),
    ({"kind": "gaussian", "action_dim": 1, "log_std_kind": "state-independent", "low": [-1.0],
      "high": [1.0], "mean": [float("nan")], "log_std": [0.0]}, r"policy.mean\[0\] is nan"),
    ({"kind": "softmax"}, r'policy.kind must be "tabular", "mlp" or "gaussian"'),
])
def test_gaussian_from_dump_malformed(block, match):
    with pytest.raises(ValueError, match=match):
        pglab.Policy.from_dump(block)


def test_a_horizon_beyond_the_memory_budget_is_refused_before_allocating(monkeypatch):
    # horizon=10**6 on the token task asked for ~45 GB (V_t and the visitation, H × 2777 doubles
    # each) and met the OOM killer; refused now with make_vec's budget message (audit a12 F6).
    env = pglab.make("TokenTask")
    S = env.model()["terminal"].shape[0]
    logits = np.zeros((env.observation_space.n, env.action_space.n))
    monkeypatch.setenv("PGLAB_MEMORY_BUDGET_MB", "100")
    fit = int(100e6 // (16 * S))
    for call in (pglab.exact, pglab.exact_J, pglab.fisher):
        with pytest.raises(ValueError, match=rf"^horizon: 1000000 steps × {S} states .* would "
                                             rf"need about .*; the budget is 100 MB "
                                             rf"\(PGLAB_MEMORY_BUDGET_MB\); lower horizon "
                                             rf"\(at most {fit} fit\)"):
            call(env, logits, horizon=10**6)
    assert np.isfinite(pglab.exact_J(env, logits, horizon=fit))
    big = pglab.make("GridWorld", map="classic-4x4", step_limit=10**6)  # None: env.step_limit
    monkeypatch.setenv("PGLAB_MEMORY_BUDGET_MB", "1")
    with pytest.raises(ValueError, match=r"^horizon \(None: env.step_limit\): 1000000 steps"):
        pglab.exact_J(big, np.zeros((16, 4)))
    assert np.isfinite(pglab.exact_J(big, np.zeros((16, 4)), horizon=0))
