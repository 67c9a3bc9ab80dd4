"""Continuous-action environments from Python (issue 13): Pendulum-v1 with Gymnasium's API —
types, shapes, dtypes, clipping, seeding, truncation at 200, the vector form with (N, 1) float
actions equal to N single envs — equal bit for bit to `pglab trace --env pendulum` and within 1e-12
of a NumPy transcription of Gymnasium's pendulum.py; the continuous cart-pole and bandit's spaces."""

import csv
import io
import math

import re

import numpy as np
import pytest

import pglab
from conftest import run_cli


# ---- Gymnasium's classic_control/pendulum.py (v1), its step transcribed with NumPy in float64.
def angle_normalize(x):
    return ((x + np.pi) % (2 * np.pi)) - np.pi


def gym_pendulum_step(state, u):
    """One step of Gymnasium's PendulumEnv from state (th, thdot) with action array u; returns
    (new state, observation, reward) — the observation without Gymnasium's float32 rounding."""
    th, thdot = state
    g, m, l, dt = 10.0, 1.0, 1.0, 0.05
    max_speed, max_torque = 8, 2.0
    u = np.clip(u, -max_torque, max_torque)[0]
    costs = angle_normalize(th) ** 2 + 0.1 * thdot**2 + 0.001 * (u**2)
    newthdot = thdot + (3 * g / (2 * l) * np.sin(th) + 3.0 / (m * l**2) * u) * dt
    newthdot = np.clip(newthdot, -max_speed, max_speed)
    newth = th + newthdot * dt
    state = np.array([newth, newthdot])
    obs = np.array([np.cos(newth), np.sin(newth), newthdot])
    return state, obs, -costs


def torques(seed, n):
    """n torques in [−3, 3]: a third of them outside the bounds, so clipping is exercised."""
    return np.random.default_rng(seed).uniform(-3.0, 3.0, size=(n, 1))


# ---- API: types, shapes, dtypes, spaces
def test_pendulum_spaces_types_shapes_dtypes():
    env = pglab.make("Pendulum-v1")
    a, o = env.action_space, env.observation_space
    assert isinstance(a, pglab.Box) and isinstance(o, pglab.Box)
    # The module's convention: every Box is float64 (Gymnasium declares Pendulum's float32).
    assert (a.shape, a.dtype) == ((1,), np.float64)
    assert np.array_equal(a.low, [-2.0]) and np.array_equal(a.high, [2.0])
    assert (o.shape, o.dtype) == ((3,), np.float64)
    assert np.array_equal(o.high, [1.0, 1.0, 8.0]) and np.array_equal(o.low, -o.high)
    assert env.step_limit == 200 and env.gamma == 0.99
    obs, info = env.reset(seed=0)
    assert isinstance(obs, np.ndarray) and obs.shape == (3,) and obs.dtype == np.float64
    assert isinstance(info, dict) and info["episode_index"] == 0
    assert o.contains(obs)
    th, thdot = env.pendulum_state
    assert -np.pi <= th < np.pi and -1.0 <= thdot < 1.0  # reset: θ ~ U[−π, π), θ̇ ~ U[−1, 1)
    assert np.array_equal(obs, [math.cos(th), math.sin(th), thdot])
    a.seed(1)
    for _ in range(50):
        u = a.sample()
        assert u.shape == (1,) and u.dtype == np.float64 and a.contains(u)
        obs, r, term, trunc, info = env.step(u)
        assert obs.shape == (3,) and obs.dtype == np.float64 and o.contains(obs)
        assert type(r) is float and type(term) is bool and type(trunc) is bool
        assert term is False and trunc is False
    assert not a.contains(np.array([2.5])) and not a.contains(np.zeros(2))
    assert env.step(np.array([0.5], dtype=np.float32))[0].dtype == np.float64  # float32 accepted


def test_other_continuous_worlds_spaces():
    cp = pglab.make("ContinuousCartPole-v1")
    assert (cp.action_space.shape, cp.action_space.dtype) == ((1,), np.float64)
    assert np.array_equal(cp.action_space.low, [-10.0]) and np.array_equal(cp.action_space.high, [10.0])
    assert cp.observation_space == pglab.make("CartPole-v1").observation_space
    obs, _ = cp.reset(seed=2)
    obs2, r, term, trunc, _ = cp.step(np.array([3.0]))
    assert obs2.shape == (4,) and r == 1.0 and not trunc
    # Same dynamics as CartPole-v1: a push of +10 (clipped from 25) is action 1 of the discrete one.
    d = pglab.make("CartPole-v1")
    d.reset(seed=2)
    cp.reset(seed=2)
    assert np.array_equal(cp.step(np.array([25.0]))[0], d.step(1)[0])

    b = pglab.make("ContinuousBandit", reward_std=0.0)
    assert np.array_equal(b.action_space.low, [-4.0]) and np.array_equal(b.action_space.high, [4.0])
    assert b.observation_space == pglab.Discrete(1)
    obs, _ = b.reset(seed=0)
    assert obs == 0
    obs, r, term, trunc, _ = b.step(np.array([1.5]))
    assert term and not trunc and isinstance(r, float)
    # The noiseless default curve at a = 1.5: its bump (1.5, 1.0, 0.4) plus the tail of (−1.5, 0.6, 0.5).
    assert r == pytest.approx(1.0 + 0.6 * math.exp(-9.0 / 0.5), abs=1e-15)
    b.reset()
    r_clip = b.step(np.array([9.0]))[1]
    b.reset()
    assert r_clip == b.step(np.array([4.0]))[1]


def test_clipping_and_bad_actions():
    env = pglab.make("Pendulum-v1")
    for big, bound in [(5.0, 2.0), (-100.0, -2.0), (2.0000001, 2.0)]:
        env.reset(seed=0)
        env.pendulum_state = [0.7, -0.3]
        o1, r1, *_ = env.step(np.array([big]))
        env.pendulum_state = [0.7, -0.3]
        o2, r2, *_ = env.step(np.array([bound]))
        assert np.array_equal(o1, o2) and r1 == r2
    env.reset(seed=0)
    with pytest.raises(ValueError, match="takes 1 number"):
        env.step(np.zeros(2))
    with pytest.raises(ValueError, match="not finite"):
        env.step(np.array([np.nan]))
    with pytest.raises(ValueError, match="float array"):
        env.core.step(1)
    with pytest.raises(ValueError, match="discrete actions"):
        pglab.make("CartPole-v1").core.step_continuous(np.zeros(1))
    with pytest.raises(RuntimeError, match="reset"):
        pglab.make("Pendulum-v1").step(np.zeros(1))


# ---- Seeding and truncation
def rollout(env, seed, us):
    obs, _ = env.reset(seed=seed)
    out = [obs]
    for u in us:
        obs, r, term, trunc, _ = env.step(u)
        out.append(np.concatenate([obs, [r, term, trunc]]))
    return np.array(out[1:]), out[0]


def test_seeding_is_deterministic():
    us = torques(0, 150)
    a, a0 = rollout(pglab.make("Pendulum-v1"), 7, us)
    b, b0 = rollout(pglab.make("Pendulum-v1"), 7, us)
    assert np.array_equal(a0, b0) and np.array_equal(a, b)
    c, c0 = rollout(pglab.make("Pendulum-v1"), 8, us)
    assert not np.array_equal(a0, c0)
    env = pglab.make("Pendulum-v1")
    first, _ = env.reset(seed=7)
    second, info = env.reset()  # the next episode of seed 7: a new start
    assert info["episode_index"] == 1 and not np.array_equal(first, second)
    again, _ = env.reset(seed=7)
    assert np.array_equal(first, again)


def test_truncated_at_200_never_terminated():
    env = pglab.make("Pendulum-v1")
    env.reset(seed=3)
    us = torques(3, 200)
    for t in range(200):
        _, _, term, trunc, _ = env.step(us[t])
        assert term is False
        assert trunc is (t == 199), t
    assert env.core.elapsed == 200
    with pytest.raises(RuntimeError):
        env.step(us[0])
    env = pglab.make("Pendulum-v1", max_episode_steps=5)
    env.reset(seed=0)
    assert [env.step(np.zeros(1))[3] for _ in range(5)] == [False] * 4 + [True]


# ---- The vector form
@pytest.mark.parametrize("env_id", ["Pendulum-v1", "ContinuousBandit"])
def test_vector_equals_single_envs(env_id):
    N, steps = 4, 450  # Pendulum: two truncations at 200 per env, autoreset in the same call
    venv = pglab.make_vec(env_id, num_envs=N)
    singles = [pglab.make(env_id) for _ in range(N)]
    assert venv.action_space.shape == (N, 1) and venv.action_space.dtype == np.float64
    obs, _ = venv.reset(seed=21)
    for i, e in enumerate(singles):
        assert np.array_equal(obs[i], e.reset(seed=21 + i)[0])
    rng = np.random.default_rng(5)
    ended = 0
    for _ in range(steps):
        actions = rng.uniform(-5.0, 5.0, size=(N, 1))
        obs, rew, term, trunc, info = venv.step(actions)
        assert rew.dtype == np.float64 and term.dtype == bool and obs.shape[0] == N
        for i, e in enumerate(singles):
            o, r, te, tr, _ = e.step(actions[i])
            assert (r, te, tr) == (rew[i], term[i], trunc[i])
            if te or tr:
                ended += 1
                assert info["_final_obs"][i] and np.array_equal(info["final_obs"][i], o)
                o, _ = e.reset()
            assert np.array_equal(obs[i], o)
    assert ended >= 2 * N
    with pytest.raises(ValueError, match="shape"):
        venv.step(np.zeros((N, 2)))


@pytest.mark.parametrize("env_id", ["Pendulum-v1", "ContinuousBandit"])
@pytest.mark.parametrize("shape", [(4,), (4, 1, 1), (1, 4), (3, 1)])
def test_vector_refuses_other_shapes(env_id, shape):
    # action_space.shape is (N, 1): (N,) is refused as Gymnasium's Box.contains refuses it (it was
    # stepped as (N, 1) while the message said "(N, 1)"), and so is every other shape.
    venv = pglab.make_vec(env_id, num_envs=4)
    venv.reset(seed=0)
    assert not venv.action_space.contains(np.zeros(shape))
    want = f"actions must have shape (4, 1) (float; action_space.shape), got shape {shape}"
    with pytest.raises(ValueError, match=re.escape(want)):
        venv.step(np.zeros(shape))
    venv.step(np.zeros((4, 1)))  # the right shape still steps


# ---- Against `pglab trace --env pendulum` (bit for bit) and Gymnasium's pendulum.py (1e-12)
@pytest.mark.parametrize("init,seed", [("0.3,-0.5", 0), ("3.1,7.9", 1), ("-2.5,0", 2)])
def test_bit_for_bit_with_pglab_trace(init, seed):
    us = torques(seed, 210)  # past the limit: the trace stops at 200, truncated
    text = run_cli("trace", "--env", "pendulum", "--init", init,
                   "--actions", ",".join("%.17g" % u for u in us[:, 0]))
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 201
    env = pglab.make("Pendulum-v1")
    env.pendulum_state = [float(v) for v in init.split(",")]
    for row, u in zip(rows[1:], us):
        assert float(row["action"]) == u[0]
        obs, r, term, trunc, _ = env.step(u)
        th, thdot = float(row["theta"]), float(row["theta_dot"])
        assert np.array_equal(env.pendulum_state, [th, thdot]), row["t"]  # to the last bit
        assert np.array_equal(obs, [math.cos(th), math.sin(th), thdot]), row["t"]
        assert r == float(row["reward"])
        assert (term, trunc) == (row["terminated"] == "1", row["truncated"] == "1")
    assert trunc


def test_equal_to_numpy_gymnasium_pendulum():
    # 10 seeded episodes of 200 steps from pglab's own resets; each step of the NumPy reference
    # starts from pglab's state before it. NumPy's sin/cos may differ from the C library's by an
    # ulp, and the swinging pendulum amplifies such a difference step after step (left to run on
    # its own state the reference drifted to 1.1e-12 after 150 steps), hence one step at a time.
    worst = 0.0
    for seed in range(10):
        env = pglab.make("Pendulum-v1")
        env.reset(seed=seed)
        for t, u in enumerate(torques(100 + seed, 200)):
            before = env.pendulum_state
            obs, r, term, trunc, _ = env.step(u)
            state, ref_obs, ref_r = gym_pendulum_step(before, u)
            err = max(np.max(np.abs(env.pendulum_state - state)), np.max(np.abs(obs - ref_obs)),
                      abs(r - ref_r))
            worst = max(worst, err)
            assert err <= 1e-12, (seed, t, err)
            assert (term, trunc) == (False, t == 199)
    print(f"worst |pglab − NumPy pendulum.py| per step over 2000 steps: {worst:.3g}")


@pytest.mark.parametrize("scenario,obs", [("pendulum-ppo", [0.3, -0.9, 0.5]),
                                          ("continuous-bandit-reinforce", None)])
def test_gaussian_policy_log_prob_and_its_gradient(scenario, obs):
    # log π(u|x) is the Gaussian density at the policy's own (μ, log σ) (issue 11), and
    # grad_log_prob matches central finite differences of log_prob: h = 1e-6 balances truncation
    # (h²·|∂³ log π| ≈ 1e-12) and rounding (1e-16/h ≈ 1e-10); measured 5e-11 on pendulum-ppo.
    p = pglab.Policy.from_scenario(scenario)
    x = None if obs is None else np.array(obs)
    u = np.array([0.3])
    mu, log_std = p.mean_log_std(x)
    want = -0.5 * ((u - mu) / np.exp(log_std)) ** 2 - log_std - 0.5 * np.log(2 * np.pi)
    assert abs(p.log_prob(x, u) - want.sum()) <= 1e-12
    g = p.grad_log_prob(x, u)
    theta = p.params.copy()
    fd = np.zeros_like(theta)
    h = 1e-6
    for i in range(len(theta)):
        t = theta.copy()
        t[i] += h
        p.params = t
        up = p.log_prob(x, u)
        t[i] -= 2 * h
        p.params = t
        down = p.log_prob(x, u)
        fd[i] = (up - down) / (2 * h)
    p.params = theta
    assert np.abs(g - fd).max() <= 1e-6 * max(1.0, np.abs(g).max())
    with pytest.raises(ValueError, match="a Gaussian policy has a density"):
        p.probs(x)
