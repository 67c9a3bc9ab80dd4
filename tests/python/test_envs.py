"""Gymnasium API conformance of pglab's environments (issue 13): types, shapes, dtypes, seeding,
terminated vs truncated, the vector form equal to N single environments, and cart-pole equal bit
for bit to the C++ environment as `pglab trace` runs it."""

import csv
import io

import numpy as np
import pytest

import pglab
from conftest import run_cli

IDS = [
    ("CartPole-v1", {}),
    ("GridWorld", {"map": "frozen-lake-8x8", "slip": 0.1}),
    ("GridWorld", {"map": "classic-4x4"}),
    ("ShortCorridor", {}),
    ("Bandit", {"arm_means": [0.1, 0.9], "reward_kind": "bernoulli"}),
    ("TokenTask", {"digits": 3}),
]


def rollout(env, seed, steps, action_seed=0):
    """(obs, reward, terminated, truncated) of `steps` steps with seeded random actions, resetting
    (without a seed) whenever an episode ends."""
    rng = np.random.default_rng(action_seed)
    obs, _ = env.reset(seed=seed)
    out = [(np.array(obs, dtype=float).copy(), 0.0, False, False)]
    for _ in range(steps):
        obs, r, term, trunc, _ = env.step(int(rng.integers(env.action_space.n)))
        out.append((np.array(obs, dtype=float).copy(), r, term, trunc))
        if term or trunc:
            obs, _ = env.reset()
            out.append((np.array(obs, dtype=float).copy(), 0.0, False, False))
    return out


@pytest.mark.parametrize("env_id,kwargs", IDS)
def test_api_types_shapes_dtypes(env_id, kwargs):
    env = pglab.make(env_id, **kwargs)
    assert isinstance(env.action_space, pglab.Discrete)
    obs, info = env.reset(seed=1)
    assert isinstance(info, dict)
    assert env.observation_space.contains(obs), (obs, env.observation_space)
    if isinstance(env.observation_space, pglab.Box):
        assert isinstance(obs, np.ndarray) and obs.dtype == env.observation_space.dtype
        assert obs.shape == env.observation_space.shape
    else:
        assert isinstance(obs, int)
    for _ in range(20):
        a = env.action_space.sample()
        assert env.action_space.contains(a)
        obs, reward, terminated, truncated, info = env.step(a)
        assert env.observation_space.contains(obs)
        assert isinstance(reward, float)
        assert isinstance(terminated, bool) and isinstance(truncated, bool)
        assert not (terminated and truncated)
        assert isinstance(info, dict)
        if terminated or truncated:
            env.reset()
    env.close()
    assert env.unwrapped is env


@pytest.mark.parametrize("env_id,kwargs", IDS)
def test_seeding_is_deterministic(env_id, kwargs):
    a = rollout(pglab.make(env_id, **kwargs), 7, 300)
    b = rollout(pglab.make(env_id, **kwargs), 7, 300)
    assert len(a) == len(b)
    for x, y in zip(a, b):
        assert np.array_equal(x[0], y[0]) and x[1:] == y[1:]


def test_seeds_differ_and_reset_continues():
    env = pglab.make("CartPole-v1")
    s1, _ = env.reset(seed=1)
    s2, _ = env.reset(seed=2)
    assert not np.array_equal(s1, s2)
    assert np.all(np.abs(s1) < 0.05) and np.all(np.abs(s2) < 0.05)
    e1, _ = env.reset(seed=1)
    assert np.array_equal(e1, s1)
    nxt, _ = env.reset()  # the next episode of seed 1: another start
    assert not np.array_equal(nxt, s1)


def test_terminated_vs_truncated():
    # Balanced pushes keep the pole up: the limit truncates (not terminates).
    env = pglab.make("CartPole-v1", step_limit=10)
    env.reset(seed=0)
    for t in range(10):
        _, _, term, trunc, _ = env.step(t % 2)
    assert trunc and not term
    # Pushing right forever: the pole falls, terminated before 500, never truncated.
    env = pglab.make("CartPole-v1")
    env.reset(seed=0)
    for t in range(500):
        _, r, term, trunc, _ = env.step(1)
        assert r == 1.0
        if term or trunc:
            break
    assert term and not trunc and t < 100
    # Grid world: entering the goal terminates; 4×4 classic map, deterministic moves.
    g = pglab.make("GridWorld", map="classic-4x4", step_limit=3)
    g.reset(seed=0)
    ends = [g.step(0)[2:4] for _ in range(3)]  # "up" from the top-left corner stays put
    assert ends == [(False, False), (False, False), (False, True)]
    g = pglab.make("GridWorld", map="classic-4x4")
    g.reset(seed=0)
    steps = [g.step(a) for a in (1, 1, 1, 2, 2, 2)]  # right ×3, down ×3: the goal
    assert [s[2:4] for s in steps] == [(False, False)] * 5 + [(True, False)]
    assert steps[-1][1] == 1.0


def test_bad_actions_and_order():
    env = pglab.make("CartPole-v1")
    with pytest.raises(RuntimeError, match="reset"):
        env.step(0)
    env.reset(seed=0)
    with pytest.raises(ValueError, match="out of range"):
        env.step(2)
    with pytest.raises(TypeError):
        env.step(0.5)
    with pytest.raises(ValueError, match="unknown environment"):
        pglab.make("Nope-v0")
    with pytest.raises(ValueError, match="env.slip"):
        pglab.make("GridWorld", slip=2.0)
    # A keyword the world does not read is refused, not ignored.
    with pytest.raises(ValueError, match="applies to env.kind gridworld only"):
        pglab.make("CartPole-v1", slip=0.1)


def test_spaces():
    d = pglab.Discrete(4)
    d.seed(3)
    xs = [d.sample() for _ in range(100)]
    assert set(xs) == {0, 1, 2, 3}
    assert 3 in d and 4 not in d and -1 not in d and 1.0 not in d
    env = pglab.make("CartPole-v1")
    box = env.observation_space
    assert box.shape == (4,) and box.dtype == np.float64
    box.seed(0)
    for _ in range(10):
        assert box.contains(box.sample())
    assert not box.contains(np.array([10.0, 0, 0, 0]))
    assert not box.contains(np.zeros(3))


def vector_row(info, i):
    """Env i's single info from Gymnasium's vector layout (a key counts where "_key" marks i)."""
    return {k: v[i].item() for k, v in info.items()
            if not k.startswith("_") and not k.startswith("final_") and info["_" + k][i]}


@pytest.mark.parametrize("env_id,kwargs", [IDS[0], IDS[1], IDS[4]])
def test_vector_equals_single_envs(env_id, kwargs):
    N, steps = 5, 400
    venv = pglab.make_vec(env_id, num_envs=N, **kwargs)
    singles = [pglab.make(env_id, **kwargs) for _ in range(N)]
    obs, info = venv.reset(seed=11)
    for i, e in enumerate(singles):
        o, single_info = e.reset(seed=11 + i)
        assert np.array_equal(obs[i], o)
        assert vector_row(info, i) == single_info
    rng = np.random.default_rng(0)
    ended_some = False
    for _ in range(steps):
        actions = rng.integers(venv.single_action_space.n, size=N)
        assert venv.action_space.contains(actions)
        obs, rew, term, trunc, info = venv.step(actions)
        assert venv.observation_space.contains(obs)
        for i, e in enumerate(singles):
            o, r, te, tr, single_info = e.step(int(actions[i]))
            assert (r, te, tr) == (rew[i], term[i], trunc[i])
            assert info["_final_obs"][i] == (te or tr)
            assert ("final_info" in info) == bool(info["_final_obs"].any())
            assert info.get("_final_info", np.zeros(N, dtype=bool))[i] == (te or tr)
            if te or tr:
                ended_some = True
                assert np.array_equal(info["final_obs"][i], o)
                assert vector_row(info["final_info"], i) == single_info
                o, single_info = e.reset()
            assert np.array_equal(obs[i], o)
            assert vector_row(info, i) == single_info
    assert ended_some
    # Resets after steps, without and with seeds: the infos are of after the reset (they were the
    # previous step's: audit a12 F1), one list of seeds and a None item included.
    for seed in (None, 3, [5, None, 6, None, 7]):
        obs, info = venv.reset(seed=seed)
        for i, e in enumerate(singles):
            s = seed + i if isinstance(seed, int) else seed[i] if seed is not None else None
            o, single_info = e.reset(seed=s)
            assert np.array_equal(obs[i], o)
            assert vector_row(info, i) == single_info
        actions = rng.integers(venv.single_action_space.n, size=N)
        venv.step(actions)
        for i, e in enumerate(singles):
            if any(e.step(int(actions[i]))[2:4]):
                e.reset()  # the vector form's same-step autoreset


def parse_trace(text):
    rows = list(csv.DictReader(io.StringIO(text)))
    return rows


@pytest.mark.parametrize(
    "init,actions",
    [
        ("0.01,-0.02,0.03,0.04", [0, 1] * 40 + [1] * 200),  # runs until the pole falls
        ("0,0,0,0", [1, 0, 0, 1] * 150),                   # long balanced run, truncated at 500?
        ("-0.049,0.049,-0.049,0.049", [0] * 60),
    ],
)
def test_cartpole_bit_for_bit_with_pglab_trace(init, actions):
    text = run_cli("trace", "--env", "cartpole", "--init", init,
                   "--actions", ",".join(map(str, actions)))
    rows = parse_trace(text)
    env = pglab.make("CartPole-v1")
    env.reset(seed=0)
    env.cartpole_state = [float(v) for v in init.split(",")]
    state = np.array([float(rows[0][k]) for k in ("x", "x_dot", "theta", "theta_dot")])
    assert np.array_equal(env.cartpole_state, state)
    for row in rows[1:]:
        obs, r, term, trunc, _ = env.step(int(row["action"]))
        want = np.array([float(row[k]) for k in ("x", "x_dot", "theta", "theta_dot")])
        assert np.array_equal(obs, want), (row["t"], obs - want)  # to the last bit (%.17g)
        assert r == float(row["reward"])
        assert (term, trunc) == (row["terminated"] == "1", row["truncated"] == "1")
    assert len(rows) >= 11


def test_cartpole_reset_matches_session_stream():
    # Episode 0 of seed s starts where the session's iteration-0 episode 0 starts (the same
    # kEnvReset stream): the first observation of the first trajectory of `pglab grad`.
    import json, tempfile, os
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, "g.json")
        run_cli("grad", "--scenario", "cartpole-reinforce", "--seed", "5", "--set",
                "policy.hidden=4", "--out", out)
        dump = json.load(open(out))
    env = pglab.make("CartPole-v1")
    obs, _ = env.reset(seed=5)
    assert np.array_equal(obs, np.array(dump["trajectories"][0]["obs"][0]))


FAKE_GYMNASIUM = '''
registry = {}
class _Spec:
    def __init__(self, id, entry_point, kwargs):
        self.id, self.entry_point, self.kwargs = id, entry_point, kwargs
def register(id, entry_point, kwargs=None):
    registry[id] = _Spec(id, entry_point, kwargs or {})
def make(id, **kw):
    import importlib
    spec = registry[id]
    mod, fn = spec.entry_point.split(":")
    return getattr(importlib.import_module(mod), fn)(**{**spec.kwargs, **kw})
class Env:
    def reset(self, *, seed=None, options=None):
        self.seeded_with = seed
class spaces:
    class Discrete:
        def __init__(self, n): self.n = n
    class Box:
        def __init__(self, low, high, shape, dtype): self.shape, self.dtype = shape, dtype
'''


def test_gymnasium_registration_with_a_stand_in(tmp_path):
    # Gymnasium is not installable here; a minimal stand-in with its register/make/Env/spaces
    # names checks that `import pglab` registers every id and that the entry point builds a
    # working environment with gymnasium's space types.
    import subprocess, sys, os
    (tmp_path / "gymnasium").mkdir()
    (tmp_path / "gymnasium" / "__init__.py").write_text(FAKE_GYMNASIUM)
    code = (
        "import gymnasium, pglab\n"
        "assert sorted(gymnasium.registry) == sorted('pglab/' + i for i in pglab.ENV_IDS)\n"
        "env = gymnasium.make('pglab/GridWorld', map='classic-4x4')\n"
        "assert isinstance(env, gymnasium.Env) and env.observation_space.n == 16\n"
        "obs, info = env.reset(seed=3)\n"
        "assert env.seeded_with == 3 and obs == 0\n"
        "print(env.step(1)[:4])\n"
    )
    path = os.pathsep.join([str(tmp_path), os.environ.get("PYTHONPATH", "")])
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       env=dict(os.environ, PYTHONPATH=path), timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "(1, 0.0, False, False)"  # one step right, no reward yet


def test_integer_box_samples_its_high_bound_as_gymnasiums():
    # Gymnasium samples an integer Box on [low, high] inclusive (uniform on [low, high + 1),
    # floored); pglab's drew high never. 10000 draws from 4 values: each appears (P(miss) ≈ 1e-1249).
    box = pglab.Box(0, 3, (10000,), np.int64, seed=1)
    x = box.sample()
    assert set(np.unique(x)) == {0, 1, 2, 3}
    assert box.contains(x)
    assert pglab.Box(-1.0, 1.0, (10000,), seed=1).sample().max() < 1.0  # floats unchanged


def test_make_names_the_wrong_kind():
    with pytest.raises(TypeError, match="make: env_id must be a str"):
        pglab.make(None)


def test_cartpole_equals_gymnasiums_arithmetic_to_the_bit():
    # A plain-Python transcription of Gymnasium's CartPoleEnv.step (classic_control/cartpole.py,
    # Euler): math.cos / math.sin are libm's, squares are np.square's x*x, in its order. Every
    # state of 400 random-action episodes equals it to the bit.
    import math
    g, mc, mp, length, fmag, tau = 9.8, 1.0, 0.1, 0.5, 10.0, 0.02
    total, pml = mp + mc, mp * length
    env = pglab.make("CartPole-v1")
    rng = np.random.default_rng(5)
    steps = 0
    for ep in range(400):
        obs, _ = env.reset(seed=ep)
        x, x_dot, theta, theta_dot = (float(v) for v in obs)
        done = False
        while not done:
            a = int(rng.integers(2))
            force = fmag if a == 1 else -fmag
            costheta, sintheta = math.cos(theta), math.sin(theta)
            temp = (force + pml * (theta_dot * theta_dot) * sintheta) / total
            thetaacc = (g * sintheta - costheta * temp) / (
                length * (4.0 / 3.0 - mp * (costheta * costheta) / total))
            xacc = temp - pml * thetaacc * costheta / total
            x, x_dot = x + tau * x_dot, x_dot + tau * xacc
            theta, theta_dot = theta + tau * theta_dot, theta_dot + tau * thetaacc
            obs, _, term, trunc, _ = env.step(a)
            assert [float(v) for v in obs] == [x, x_dot, theta, theta_dot], (ep, steps)
            steps += 1
            done = term or trunc
    assert steps > 5000


def test_vector_reset_takes_a_seed_per_env_as_gymnasium():
    # Gymnasium's vector reset(seed=[s0, s1, …]); [s, s + 1, …] equals reset(seed=s), and a None
    # item starts that env's next episode.
    venv = pglab.make_vec("CartPole-v1", 3)
    listed, _ = venv.reset(seed=[7, 8, 9])
    one, _ = venv.reset(seed=7)
    assert np.array_equal(listed, one)
    mixed, _ = venv.reset(seed=[4, None, 11])
    assert np.array_equal(mixed[0], pglab.make("CartPole-v1").reset(seed=4)[0])
    assert np.array_equal(mixed[2], pglab.make("CartPole-v1").reset(seed=11)[0])
    with pytest.raises(ValueError, match="one per env"):
        venv.reset(seed=[1, 2])


def test_spec_max_episode_steps_is_the_step_limit():
    # Gymnasium's registry: CartPole-v1 500, Pendulum-v1 200; a grid world's own step_limit; None
    # where episodes have no time limit.
    assert pglab.make("CartPole-v1").spec.max_episode_steps == 500
    assert pglab.make("Pendulum-v1").spec.max_episode_steps == 200
    assert pglab.make("GridWorld", step_limit=7).spec.max_episode_steps == 7
    assert pglab.make("GridWorld", max_episode_steps=9).spec.max_episode_steps == 9
    assert pglab.make("GridWorld", step_limit=0).spec.max_episode_steps is None
    # The bandits' one step and the token task's max_tokens are their length: terminated only.
    for fixed in ("Bandit", "ContinuousBandit", "TokenTask"):
        assert pglab.make(fixed).spec.max_episode_steps is None
    assert pglab.make_from_scenario("cartpole-ppo").spec.max_episode_steps == 500
    assert pglab.make_vec("CartPole-v1", num_envs=2).spec.max_episode_steps == 500


def test_max_episode_steps_none_is_no_time_limit():
    # Gymnasium's None: no TimeLimit (it was refused as an env.step_limit value).
    env = pglab.make("Pendulum-v1", max_episode_steps=None)
    assert env.spec.max_episode_steps is None and env.step_limit == 0
    env.reset(seed=0)
    flags = [env.step(np.zeros(1))[2:4] for _ in range(250)]  # past Pendulum's 200
    assert flags == [(False, False)] * 250
    assert pglab.make("CartPole-v1", max_episode_steps=None).step_limit == 0
    # The bandits and the token task have no time limit to remove: None changes nothing.
    for fixed in ("Bandit", "ContinuousBandit", "TokenTask"):
        e = pglab.make(fixed, max_episode_steps=None)
        assert e.spec.max_episode_steps is None
        assert e.step_limit == pglab.make(fixed).step_limit


def test_max_episode_steps_refusals_name_it():
    for bad in (0, -1, 10**6 + 1, 2**70):
        with pytest.raises(ValueError, match=rf"max_episode_steps {bad} is out of range; allowed: "
                                             r"None \(no time limit\) or integers in \[1, 1000000\]"):
            pglab.make("CartPole-v1", max_episode_steps=bad)
    for bad in (1.5, True, "10"):
        with pytest.raises(TypeError, match="max_episode_steps must be an integer or None"):
            pglab.make("CartPole-v1", max_episode_steps=bad)
    assert pglab.make("CartPole-v1", max_episode_steps=np.int64(7)).spec.max_episode_steps == 7
    # A world whose step limit is its length: the key table's refusal, under the typed name.
    with pytest.raises(ValueError, match=r"^max_episode_steps \(env.step_limit\)"):
        pglab.make("Bandit", max_episode_steps=5)
    with pytest.raises(TypeError, match="not both"):
        pglab.make("CartPole-v1", max_episode_steps=5, step_limit=5)


def test_time_limit_comes_from_the_core():
    # Whether step_limit is a time limit is the key table's answer (which worlds read
    # env.step_limit), not a list of display names in Python.
    for env_id in pglab.ENV_IDS:
        core = pglab.make(env_id).core
        assert core.time_limit == (env_id not in ("Bandit", "ContinuousBandit", "TokenTask"))


def test_box_repr_gives_bounds_that_differ_as_arrays():
    # As Gymnasium prints them: Pendulum's low [-1, -1, -8] was shown as -8.0 (low.min()).
    obs = pglab.make("Pendulum-v1").observation_space
    assert repr(obs) == "Box([-1. -1. -8.], [1. 1. 8.], (3,), float64)"
    act = pglab.make("Pendulum-v1").action_space
    assert repr(act).startswith("Box(-2.0, 2.0, (1,)")


def test_autoreset_mode_is_gymnasiums_enum_when_it_imports(tmp_path):
    # Gymnasium ≥ 1.1 wrappers compare metadata["autoreset_mode"] with AutoresetMode.SAME_STEP;
    # it was the string "same-step", which matched neither the enum nor its value (audit a12 F5).
    import subprocess, sys, os
    assert pglab.make_vec("Bandit", 2).metadata["autoreset_mode"] == "SameStep"  # no gymnasium
    (tmp_path / "gymnasium" / "vector").mkdir(parents=True)
    (tmp_path / "gymnasium" / "__init__.py").write_text(FAKE_GYMNASIUM)
    (tmp_path / "gymnasium" / "vector" / "__init__.py").write_text(
        "import enum\n"
        "class AutoresetMode(enum.Enum):\n"
        "    NEXT_STEP = 'NextStep'\n    SAME_STEP = 'SameStep'\n    DISABLED = 'Disabled'\n")
    code = ("import pglab\nfrom gymnasium.vector import AutoresetMode\n"
            "print(pglab.make_vec('Bandit', 2).metadata['autoreset_mode'] is "
            "AutoresetMode.SAME_STEP)\n")
    path = os.pathsep.join([str(tmp_path), os.environ.get("PYTHONPATH", "")])
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       env=dict(os.environ, PYTHONPATH=path), timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "True"


def test_info_episode_index_does_not_clash_with_record_episode_statistics():
    # Gymnasium loops test `"episode" in infos` for RecordEpisodeStatistics' {"r", "l", "t"}
    # dict; pglab's episode index under that key made them fire on every step (audit a12 F5).
    env = pglab.make("CartPole-v1")
    _, info = env.reset(seed=0)
    assert "episode" not in info and info["episode_index"] == 0
    env.reset()
    _, _, _, _, info = env.step(0)
    assert "episode" not in info and info["episode_index"] == 1
    venv = pglab.make_vec("CartPole-v1", 2)
    _, info = venv.reset(seed=0)
    assert "episode" not in info and list(info["episode_index"]) == [0, 0]
    assert list(info["_episode_index"]) == [True, True]
