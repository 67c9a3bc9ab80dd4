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
    env = pglab.make("ShortCorridor", step_limit=0)
    for p in (0.2, 2 - np.sqrt(2), 0.8):
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
