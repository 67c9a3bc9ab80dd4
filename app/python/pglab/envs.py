"""Environments with Gymnasium's API over pglab's C++ environments (core/env).

    env = pglab.make("CartPole-v1")
    obs, info = env.reset(seed=0)
    obs, reward, terminated, truncated, info = env.step(env.action_space.sample())

    venv = pglab.make_vec("CartPole-v1", num_envs=1024)
    obs, info = venv.reset(seed=0)            # env i is seeded with seed + i
    obs, reward, terminated, truncated, info = venv.step(actions)

    env = pglab.make("Pendulum-v1")           # actions: float arrays of shape (1,), in [−2, 2]
    obs, reward, terminated, truncated, info = env.step(np.array([0.5]))

Observations: tabular worlds (grid world, short corridor, bandit, token task) return the
observation index as an int (Discrete); cart-pole returns its float64 state (x, ẋ, θ, θ̇) — the
state itself, to the bit (Gymnasium rounds its returned copy to float32). The vector form resets
an env that ends in the same call: its row of `obs` is the next episode's first observation and
`info["final_obs"][i]` the last one of the episode that ended (`info["_final_obs"]` marks those;
the other rows are 0). Infos are Gymnasium's vector layout: one array per key of the single env's
info ("state", "episode_index") and "_key" marking the envs that have it; in a step where an env ended,
`info["final_info"]` holds the ended episodes' last infos the same way (`info["_final_info"]` marks
them).

"FrozenLake8x8" is pglab's grid world on Gymnasium's 8x8 map, not Gymnasium's FrozenLake8x8-v1:
actions 0 up, 1 right, 2 down, 3 left (Gymnasium: 0 left, 1 down, 2 right, 3 up), no slip
(Gymnasium's slippery lake is slip=2/3 here), a hole gives -1 (Gymnasium 0: pit_reward=0), a
100-step limit (Gymnasium 200: max_episode_steps=200). "ShortCorridor" is Sutton & Barto's example
13.1 as the shipped scenario has it: gamma 1, no step limit.

Continuous actions (Pendulum-v1, ContinuousCartPole-v1, ContinuousBandit): the action space is a
float64 Box of shape (action_dim,) with the environment's bounds — float64 as every Box here (the
core computes in doubles; Gymnasium declares Pendulum's float32) — and step() clips the action to
them, as Gymnasium's environments do. Pendulum observes (cos θ, sin θ, θ̇) in float64 and is
truncated at 200 steps. The vector form takes actions of shape (N, action_dim).
"""

import numpy as np

from . import _core
from .spaces import Box, Discrete, MultiDiscrete

# Environment ids → (env.kind, defaults). Keyword arguments of make() are the scenario's env.* keys
# (README › Scenario files): map, slip, step_reward, goal_reward, pit_reward, gamma, step_limit,
# sutton_barto_reward, arm_means, reward_kind, reward_std, digits, max_tokens.
ENV_IDS = {
    "CartPole-v1": ("cartpole", {}),
    "GridWorld": ("gridworld", {}),
    "FrozenLake8x8": ("gridworld", {"map": "frozen-lake-8x8"}),
    # Sutton & Barto's example 13.1 as short-corridor-reinforce has it: γ 1 and no time limit, so
    # exact_J is the closed form (2p − 4)/(p(1 − p)) (the core's 1000-step default gave −379.7 for
    # −402.0 at p = 0.01: audit a12 F7).
    "ShortCorridor": ("short-corridor", {"gamma": 1.0, "step_limit": 0}),
    "Bandit": ("bandit", {}),
    "TokenTask": ("token-task", {}),
    # Continuous actions (a float array, Box action space, clipped to its bounds by the env).
    "Pendulum-v1": ("pendulum", {}),
    "ContinuousCartPole-v1": ("continuous-cartpole", {}),  # CartPole-v1 pushed with u ∈ [−10, 10]
    "ContinuousBandit": ("continuous-bandit", {"reward_std": 0.1}),  # as continuous-bandit-reinforce
}
_ALIASES = {"max_episode_steps": "step_limit", "means": "arm_means"}


def _max_episode_steps(value):
    """Gymnasium's max_episode_steps as env.step_limit: None is no time limit (the core's 0), else
    an int in [1, MAX_STEP_LIMIT] (Gymnasium's TimeLimit wants it positive). Refusals name
    max_episode_steps, the argument the caller typed."""
    if value is None:
        return 0
    allowed = f"allowed: None (no time limit) or integers in [1, {_core.MAX_STEP_LIMIT}]"
    if isinstance(value, (bool, np.bool_)) or not hasattr(value, "__index__"):
        raise TypeError(f"max_episode_steps must be an integer or None, got {value!r:.60} "
                        f"({type(value).__name__}); {allowed}")
    n = value.__index__()
    if not 1 <= n <= _core.MAX_STEP_LIMIT:
        raise ValueError(f"max_episode_steps {n} is out of range; {allowed}")
    return n


def _core_env(env_id, kwargs):
    if env_id in ENV_IDS:
        kind, defaults = ENV_IDS[env_id]
    elif env_id in {k for k, _ in ENV_IDS.values()}:
        kind, defaults = env_id, {}
    else:
        allowed = ", ".join(list(ENV_IDS) + sorted({k for k, _ in ENV_IDS.values()}))
        raise ValueError(f"unknown environment '{env_id}'; allowed: {allowed}")
    if "max_episode_steps" in kwargs and "step_limit" in kwargs:
        raise TypeError("give max_episode_steps or step_limit, not both (the same setting)")
    settings = dict(defaults)
    for key, value in kwargs.items():
        if key == "max_episode_steps":
            value = _max_episode_steps(value)
        settings[_ALIASES.get(key, key)] = value.tolist() if isinstance(value, np.ndarray) else value
    if kwargs.get("max_episode_steps", 0) is None:
        # No time limit. Worlds whose step limit is their own length (the bandits, the token
        # task: the core says which) have none already, and refuse the key.
        probe = _core.Env(kind, {k: v for k, v in settings.items() if k != "step_limit"})
        if not probe.time_limit:
            return probe
    try:
        return _core.Env(kind, settings)
    except ValueError as e:
        if "max_episode_steps" not in kwargs or "env.step_limit" not in str(e):
            raise
        # The key table's refusal ("env.step_limit: would have no effect: …") for the argument
        # the caller typed.
        raise ValueError(str(e).replace("env.step_limit", "max_episode_steps (env.step_limit)",
                                        1)) from None


def _spaces(core):
    if core.action_dim > 0:
        action = Box(core.action_low, core.action_high, (core.action_dim,), np.float64)
    else:
        action = Discrete(core.num_actions)
    if core.num_obs > 0:
        return Discrete(core.num_obs), action
    if core.kind == "pendulum":  # Gymnasium's bounds: cos, sin in [−1, 1], θ̇ in [−8, 8]
        high = np.array([1.0, 1.0, _core.PENDULUM_MAX_SPEED])
        return Box(-high, high, (3,), np.float64), action
    if core.kind in ("cartpole", "continuous cartpole"):
        big = float(np.finfo(np.float32).max)  # Gymnasium's bounds, as numbers
        high = np.array(
            [2 * _core.CARTPOLE_X_THRESHOLD, big, 2 * _core.CARTPOLE_THETA_THRESHOLD, big]
        )
        return Box(-high, high, (4,), np.float64), action
    return Box(-np.inf, np.inf, (core.obs_dim,), np.float64), action



def _float_actions(action, name):
    """A continuous action (or a state to set) as float64. np.asarray(None, float64) is nan, a
    string raises NumPy's "could not convert", a ragged list NumPy's "inhomogeneous shape" and True
    is 1.0: each is told as what it is, a TypeError naming it."""
    try:
        a = np.asarray(action)
    except ValueError:
        a = np.asarray(None)
    if a.dtype.kind not in "iuf":
        raise TypeError(f"{name} {action!r:.60}: expected numbers (a float or an array of floats)")
    return a.astype(np.float64, copy=False)

class EnvSpec:
    def __init__(self, id, kwargs, max_episode_steps=None):
        self.id = id
        self.kwargs = dict(kwargs)
        # The environment's own step limit (env.step_limit: CartPole-v1 500, Pendulum-v1 200, as
        # Gymnasium's registry says), None where episodes have none.
        self.max_episode_steps = max_episode_steps

    def __repr__(self):
        return f"EnvSpec({self.id!r}, {self.kwargs})"


class Env:
    """One environment; reset(seed=s) starts episode 0 of seed s, reset() the next episode."""

    metadata = {"render_modes": []}
    render_mode = None

    def __init__(self, core, spec=None):
        if not isinstance(core, _core.Env):
            raise TypeError("Env wraps a compiled environment; make one with pglab.make(id) or "
                            f"pglab.make_from_scenario(name), got {type(core).__name__}")
        self._env = core
        self.spec = spec
        self.observation_space, self.action_space = _spaces(core)
        self._np_random = None

    # ---- Gymnasium's API
    def reset(self, *, seed=None, options=None):
        out = self._env.reset(seed)  # checks the seed first: an int in [0, 2**64 − 1]
        if seed is not None:
            self._np_random = np.random.default_rng(seed)
        return out

    def step(self, action):
        if self._env.action_dim > 0:
            # np.asarray(None, float64) is nan and a string is a ValueError about floats: both say
            # what an action is instead (as Box.contains would refuse them).
            return self._env.step_continuous(_float_actions(action, "action"))
        return self._env.step(action)  # an int in range: not a bool, not a float (as Discrete)

    def render(self):
        return None

    def close(self):
        pass

    @property
    def unwrapped(self):
        return self

    @property
    def np_random(self):
        if self._np_random is None:
            self._np_random = np.random.default_rng()
        return self._np_random

    # ---- pglab's extras
    @property
    def core(self):
        """The C++ environment (_core.Env), for pglab.exact and pglab.estimate."""
        return self._env

    @property
    def gamma(self):
        return self._env.gamma

    @property
    def step_limit(self):
        return self._env.step_limit

    def model(self):
        """The finite MDP as arrays: P[s, a, s'] (small worlds), P_sparse, R[s, a], start, terminal,
        obs_of_state, step_limit, gamma."""
        return self._env.model()

    def action_name(self, a):
        return self._env.action_name(a)

    @property
    def cartpole_state(self):
        return self._env.cartpole_state

    @cartpole_state.setter
    def cartpole_state(self, value):
        self._env.cartpole_state = _float_actions(value, "cartpole_state")

    @property
    def pendulum_state(self):
        """Pendulum's (θ, θ̇); setting it starts an episode there, as `pglab trace --init`."""
        return self._env.pendulum_state

    @pendulum_state.setter
    def pendulum_state(self, value):
        self._env.pendulum_state = _float_actions(value, "pendulum_state")

    def __repr__(self):
        return f"<pglab.Env {self.spec.id if self.spec else self._env.kind}>"


def _same_step_mode():
    """Gymnasium ≥ 1.1's AutoresetMode.SAME_STEP, which its wrappers compare against; its value
    "SameStep" without gymnasium (or with one older than 1.1, which has no such enum)."""
    try:
        from gymnasium.vector import AutoresetMode
    except ImportError:
        return "SameStep"
    return AutoresetMode.SAME_STEP


class VectorEnv:
    """num_envs copies of one environment stepped in one C++ call, with Gymnasium ≥ 1.1's
    SAME_STEP autoreset: the step that ends an episode returns the next one's first observation,
    the ended one's last in info["final_obs"] and its last info in info["final_info"] (not 1.0's
    NEXT_STEP, nor 0.29's "final_observation" keys). metadata["autoreset_mode"] is
    gymnasium.vector.AutoresetMode.SAME_STEP when gymnasium imports, else "SameStep"."""

    metadata = {"render_modes": [], "autoreset_mode": _same_step_mode()}
    render_mode = None

    def __init__(self, env, num_envs):
        if not isinstance(env, (Env, _core.Env)):
            raise TypeError(f"VectorEnv: env must be a pglab environment (pglab.make(...)), got "
                            f"{type(env).__name__}")
        core = env.core if isinstance(env, Env) else env
        self._vec = _core.VecEnv(core, num_envs)  # an int in [1, 2**24] (1.5 refused, not cut)
        self.num_envs = self._vec.num_envs
        self.spec = env.spec if isinstance(env, Env) else None
        self.single_observation_space, self.single_action_space = _spaces(core)
        so = self.single_observation_space
        if isinstance(so, Discrete):
            self.observation_space = MultiDiscrete(np.full(self.num_envs, so.n))
        else:
            self.observation_space = Box(
                np.broadcast_to(so.low, (self.num_envs,) + so.shape),
                np.broadcast_to(so.high, (self.num_envs,) + so.shape),
                (self.num_envs,) + so.shape,
                so.dtype,
            )
        sa = self.single_action_space
        if isinstance(sa, Box):
            shape = (self.num_envs,) + sa.shape
            self.action_space = Box(
                np.broadcast_to(sa.low, shape), np.broadcast_to(sa.high, shape), shape, sa.dtype
            )
        else:
            self.action_space = MultiDiscrete(np.full(self.num_envs, sa.n))

    def reset(self, *, seed=None, options=None):
        return self._vec.reset(seed)

    def step(self, actions):
        if isinstance(self.single_action_space, Box):
            out = self._vec.step_continuous(_float_actions(actions, "actions"))
        else:
            out = self._vec.step(actions)  # exact integers, checked in C++ (not cast)
        return out  # (obs, reward, terminated, truncated, info): Gymnasium's same-step layout

    def env(self, i):
        """A copy of env i as it is now (its state and random streams)."""
        return Env(self._vec.env(i), self.spec)

    def close(self):
        pass

    @property
    def unwrapped(self):
        return self


def make(env_id, **kwargs):
    """pglab.make("CartPole-v1"), pglab.make("GridWorld", map="frozen-lake-8x8", slip=0.1), …

    "FrozenLake8x8" is not Gymnasium's FrozenLake8x8-v1 (actions 0 up, 1 right, 2 down, 3 left;
    no slip; a hole -1; 100 steps): see the module's docstring."""
    if not isinstance(env_id, str):
        raise TypeError(f"make: env_id must be a str (one of {', '.join(ENV_IDS)}), got "
                        f"{type(env_id).__name__}")
    core = _core_env(env_id, kwargs)
    return Env(core, EnvSpec(env_id, kwargs, _limit(core)))


def make_vec(env_id, num_envs=1, **kwargs):
    """A VectorEnv of num_envs copies of make(env_id, **kwargs), stepped in one C++ call with
    Gymnasium ≥ 1.1's SAME_STEP autoreset; reset(seed=s) seeds env i with s + i. num_envs is an
    int in [1, 2²⁴] whose copies fit the memory budget (a ValueError says what they need)."""
    return VectorEnv(make(env_id, **kwargs), num_envs)


def make_from_scenario(scenario, sets=()):
    """The environment of a scenario file or name (`--set` assignments applied: a list of
    'key=value' strings, or one such string)."""
    if isinstance(sets, str):
        sets = [sets]  # one assignment (iterated, a str was its characters)
    elif isinstance(sets, tuple):
        sets = list(sets)
    core = _core.Env.from_scenario(scenario, sets)  # a TypeError for anything else
    return Env(core, EnvSpec(scenario, {"sets": list(sets)}, _limit(core)))


def _limit(core):
    """spec.max_episode_steps: the step limit where it is a time limit (the key table says which
    worlds read env.step_limit; the bandits' and the token task's is their length), else None."""
    return core.step_limit if core.step_limit > 0 and core.time_limit else None


def register_gymnasium():
    """Registers pglab/<id> for every id with gymnasium, when gymnasium is importable."""
    try:
        import gymnasium
    except ImportError:
        return False
    for env_id in ENV_IDS:
        name = f"pglab/{env_id}"
        if name not in gymnasium.registry:
            gymnasium.register(id=name, entry_point="pglab.envs:_gymnasium_env", kwargs={"env_id": env_id})
    return True


def _gymnasium_env(env_id, **kwargs):
    """A gymnasium.Env (with gymnasium's own spaces) around pglab.make(env_id, **kwargs)."""
    import gymnasium

    inner = make(env_id, **kwargs)

    def convert(space):
        if isinstance(space, Discrete):
            return gymnasium.spaces.Discrete(space.n)
        return gymnasium.spaces.Box(space.low, space.high, space.shape, space.dtype)

    class PglabGymEnv(gymnasium.Env):
        metadata = {"render_modes": []}

        def __init__(self):
            self.observation_space = convert(inner.observation_space)
            self.action_space = convert(inner.action_space)
            self.pglab_env = inner

        def reset(self, *, seed=None, options=None):
            super().reset(seed=seed)
            return inner.reset(seed=seed, options=options)

        def step(self, action):
            return inner.step(action)

    return PglabGymEnv()
