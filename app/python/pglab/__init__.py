"""pglab from Python: pglab's environments with Gymnasium's API, the exact oracle and the
estimators, all computed by pglab's C++ core (the same code the app and the CLI run).

    import numpy as np, pglab
    env = pglab.make("GridWorld", map="frozen-lake-8x8", slip=0.1)
    logits = np.zeros((env.observation_space.n, env.action_space.n))
    ex = pglab.exact(env, logits)            # ex.J, ex.grad (shape of logits), ex.V, ex.Q, ex.d
    trajectories = []                        # 16 episodes of the uniform policy, the dump's layout
    for i in range(16):
        s, _ = env.reset(seed=i)
        tr = {"obs": [], "actions": [], "rewards": []}
        terminated = truncated = False
        while not (terminated or truncated):
            a = env.action_space.sample()    # softmax(zeros): uniform
            s_next, r, terminated, truncated, _ = env.step(a)
            tr["obs"].append(s)
            tr["actions"].append(a)
            tr["rewards"].append(r)
            s = s_next
        trajectories.append(dict(tr, terminated=terminated, truncated=truncated))
    est = pglab.estimate(trajectories, logits, gamma=env.gamma, baseline="leave-one-out")

See the README's Python section for the whole interface.
"""

import os as _os

# An installed package carries its assets (maps, scenarios, lessons; setup.py); the build tree's
# module reads the source tree's (compiled in). PGLAB_ASSETS set by the user wins.
_assets = _os.path.join(_os.path.dirname(__file__), "assets")
if _os.path.isdir(_assets):
    _os.environ.setdefault("PGLAB_ASSETS", _assets)

from . import _core  # noqa: E402
from . import _errors  # noqa: E402

_errors.install(_core)  # pybind11's argument tables become one-line TypeErrors
from ._core import Batch, Estimate, Policy, Session
from .envs import ENV_IDS, Env, VectorEnv, make, make_from_scenario, make_vec, register_gymnasium
from .oracle import (
    advantages,
    as_batch,
    as_policy,
    batch_kl,
    clipped_surrogate,
    clipped_surrogate_dr,
    estimate,
    estimate_off_policy,
    exact,
    exact_J,
    fisher,
    grpo_group_advantages,
    grpo_objective,
    kl_k1,
    kl_k2,
    kl_k3,
    kl_per_state,
    load_session,
    mean_kl,
    model,
    ppo_policy_gradient,
    ppo_value_loss,
)
from .spaces import Box, Discrete, MultiDiscrete

register_gymnasium()
