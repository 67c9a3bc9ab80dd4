"""The exact oracle and the estimators, from Python values: thin conversions around pglab._core.

Policies are a pglab.Policy, a logits array (observations × actions; a flat vector is reshaped
when an env is given), or a batch dump's "policy" block (tabular, mlp or gaussian). Trajectories
are a pglab.Batch, a batch dump (dict with "trajectories"), or a list of dicts in the dump's
layout: obs, actions (indices; for a Gaussian policy each step's sample u, action_dim numbers or
one number when action_dim is 1), rewards, terminated, truncated, and optionally state (model
state per step, for the exact-value baseline where observations alias states), logp (behaviour
log-probabilities, for importance weights).
Nothing is computed here.
"""

import types

import numpy as np

from . import _core


def _kind(x):
    """A value as the messages show it: its repr (cut short) and its type."""
    r = " ".join(repr(x).split())  # one line: an array's repr spans several
    return f"{r[:57] + '...' if len(r) > 60 else r} ({type(x).__name__})"


def _core_env(env):
    """The C++ environment of a pglab.Env (or a _core.Env); anything else is a TypeError naming
    the argument, not pybind11's signature dump."""
    core = getattr(env, "core", env)
    if not isinstance(core, _core.Env):
        raise TypeError(f"env must be a pglab environment (pglab.make(...)), got {_kind(env)}")
    return core


_POLICY_KINDS = ("a pglab.Policy, a logits array (observations × actions) or a batch dump's "
                 "policy block (a dict)")


def as_policy(policy, env=None):
    """A pglab.Policy from a Policy, a logits array or a dump's policy block."""
    if isinstance(policy, _core.Policy):
        return policy
    if isinstance(policy, dict):
        return _core.Policy.from_dump(policy)
    if hasattr(policy, "detach"):  # a torch tensor
        policy = policy.detach().cpu().numpy()
    # Numbers only: np.asarray("abc", float64) would raise NumPy's "could not convert string to
    # float", None would become nan and True 1.0.
    if policy is None or isinstance(policy, (str, bytes, bool)):
        raise TypeError(f"policy must be {_POLICY_KINDS}, got {_kind(policy)}")
    try:
        logits = np.asarray(policy)
    except ValueError:  # a ragged list
        raise TypeError(f"policy must be {_POLICY_KINDS}, got {_kind(policy)}") from None
    if logits.dtype.kind not in "iuf":
        raise TypeError(f"policy must be {_POLICY_KINDS}, got {_kind(policy)}")
    # (Converted to float64 in C++, after the size check: astype here copied a 10⁹-entry array
    # before the core could refuse it.)
    if logits.ndim == 1 and env is not None:
        e = _core_env(env)
        O, A = e.num_obs, e.num_actions
        # Checked before the reshape, whose NumPy error named neither the argument nor the size.
        if logits.size != O * A and O * A > 0:
            raise ValueError(f"policy: {logits.size} logits; {e.kind} needs {O * A} "
                             f"({O} observations × {A} actions), as a {O}×{A} array or flat")
        logits = logits.reshape(O, A)
    return _core.Policy.tabular(logits)


def _grad_shape(policy, g):
    """Tabular gradients in the shape of the logits; mlp gradients flat (θ's layout)."""
    if policy.kind == "tabular":
        return g.reshape(policy.num_obs, policy.num_actions)
    return g


def _dump_block(trajectories):
    """A batch dump's policy block, or {} (not a dump, or a dump without one)."""
    block = trajectories.get("policy") if isinstance(trajectories, dict) else None
    return block if isinstance(block, dict) else {}


def as_batch(trajectories, tabular=None, policy=None):
    """A pglab.Batch; with a policy, actions and observations are checked against its ranges
    (a ValueError naming the trajectory, the step and the range), and a Gaussian's actions are
    read as action_dim numbers per step. Without a policy a batch dump's own policy block says
    whether observations are tabular and actions continuous; tabular=None: the policy's (or
    the dump's) kind, else True."""
    if isinstance(trajectories, _core.Batch):
        return trajectories
    block = _dump_block(trajectories)
    kind = policy.kind if policy is not None else block.get("kind")
    if tabular is None:
        tabular = kind in (None, "tabular")
    if policy is not None:
        action_dim = policy.action_dim
    else:
        action_dim = block.get("action_dim", 0) if kind == "gaussian" else 0
    if isinstance(trajectories, dict):
        if "trajectories" not in trajectories:
            raise ValueError('trajectories: a dict must be a batch dump (with "trajectories"); '
                             "give one trajectory as a list of one dict")
        trajectories = trajectories["trajectories"]
    if isinstance(trajectories, (str, bytes)) or not hasattr(trajectories, "__iter__"):
        raise TypeError("trajectories must be a pglab.Batch, a batch dump (a dict with "
                        '"trajectories") or a list of trajectory dicts (obs, actions, rewards, '
                        f"…), got {_kind(trajectories)}")
    if policy is None:
        return _core.Batch.from_trajectories(list(trajectories), tabular, action_dim=action_dim)
    return _core.Batch.from_trajectories(list(trajectories), tabular, policy.num_actions,
                                         policy.num_obs if tabular else -1, action_dim)


def exact(env, policy, horizon=None):
    """J, grad (∇J, in the logits' shape for tabular policies), V, Q, d (discounted visitation),
    probs, V_t (finite horizon) and horizon, at the policy, from the env's model."""
    e = _core_env(env)  # the env first: exact(5, logits) names env, not the logits
    p = as_policy(policy, env)
    r = _core.exact(e, p, horizon)
    r["grad"] = _grad_shape(p, r["grad"])
    return types.SimpleNamespace(**r)


def exact_J(env, policy, horizon=None):
    """J, the expected discounted return of the policy from the start states, computed from the
    env's model (no sampling): J = Σ_s start(s) V_0(s), exact(env, policy, horizon).J without the
    gradient and the visitation (cheaper: for finite differences and landscapes).

    horizon: None (the env's step limit), 0 (the infinite-horizon problem) or a step count
    (episodes cut after it, no bootstrap, as the sampler cuts them). Finite worlds, and the
    continuous bandit with its Gaussian policy."""
    e = _core_env(env)
    return _core.exact_J(e, as_policy(policy, env), horizon)


def fisher(env, policy, horizon=None):
    """The exact Fisher matrix of the state-action distribution the policy induces, normalised
    by the visitation's total (README › The exact oracle):
    F = Σ_s d(s) Σ_a π(a|s) ∇log π(a|s) ∇log π(a|s)ᵀ / Σ_s d(s),
    d the discounted visitation of exact(env, policy, horizon).d (terminal states count 0).
    A num_params × num_params array in θ's layout (tabular: the logits flattened row by row,
    index o · num_actions + a); at most 4096 parameters. horizon as in exact_J."""
    e = _core_env(env)
    return _core.fisher(e, as_policy(policy, env), horizon)


def kl_per_state(env, old_policy, policy):
    """Exact KL(old_policy ‖ policy) at every model state s, from the env's model:
    KL_s = Σ_a π_old(a|s) log(π_old(a|s) / π(a|s)); the first argument is the reference (old)
    policy, and the divergence is not symmetric. One value per model state (model(env)
    ["obs_of_state"] maps states to observations); terminal states count 0 (no action is taken
    there). The two policies must act on the same actions."""
    e = _core_env(env)
    return _core.kl_per_state(e, as_policy(old_policy, env), as_policy(policy, env))


def mean_kl(env, old_policy, policy):
    """Exact mean KL(old_policy ‖ policy) over the first (old) policy's states:
    Σ_s d_old(s) KL_s / Σ_s d_old(s), KL_s as kl_per_state(env, old_policy, policy) (terminal
    states count 0) and d_old = exact(env, old_policy).d, the old policy's discounted visitation
    over the env's step limit, normalised to sum to 1 (0 when it is all 0). The quantity a
    natural-gradient step bounds: mean_kl(env, θ, θ + Δ) ≈ ½ Δᵀ fisher(env, θ) Δ for small Δ."""
    e = _core_env(env)
    return _core.mean_kl(e, as_policy(old_policy, env), as_policy(policy, env))


def model(env):
    """The env's finite MDP as arrays (a dict): P[s, a, s'] (when small enough) and P_sparse, R,
    start, terminal, obs_of_state, step_limit and gamma (README › Python). A world without a
    finite model (cart-pole, pendulum) is a ValueError."""
    return _core_env(env).model()


# DESIGN.md §3's estimator settings and their defaults when no dump gives them.
_SETTINGS = {"returns": "reward-to-go", "baseline": "none", "normalize": False,
             "discount_weighting": False}


def _dump_defaults(trajectories, policy, gamma, settings):
    """Fills what the caller left as None from the batch dump (its policy, γ and estimator), else
    the settings' defaults."""
    dump = trajectories if isinstance(trajectories, dict) else {}
    if policy is None:
        policy = dump.get("policy")
    if gamma is None:
        gamma = dump.get("gamma")
    if policy is None or gamma is None:
        raise ValueError("give policy= and gamma= (or a batch dump, which holds both)")
    given = dump.get("estimator", {})
    for key, default in _SETTINGS.items():
        if settings[key] is None:
            settings[key] = given.get(key, default)
    return policy, gamma


def _require_states(trajectories, env, baseline):
    """The exact-value baseline reads V at each step's model state. A trajectory dict without
    "state" falls back to the observation index, which is the state only where every state shows
    its own index: elsewhere (the short corridor shows one observation in three states) the
    fallback would read the wrong V without a word, so it is refused."""
    if baseline != "exact-value" or env is None:
        return
    if isinstance(trajectories, _core.Batch):
        # A Batch read from dicts knows which came without "state" (a session's batch has them).
        missing = list(getattr(trajectories, "_missing_states", []))
    else:
        trs = trajectories.get("trajectories", []) if isinstance(trajectories, dict) else trajectories
        if not isinstance(trs, (list, tuple)):
            return
        missing = [i for i, tr in enumerate(trs) if isinstance(tr, dict) and tr.get("state") is None]
    if not missing:
        return
    try:
        m = model(env)
    except ValueError:
        return  # no finite model: the core says so, with the message every oracle function gives
    if all(term or int(o) == s
           for s, (o, term) in enumerate(zip(m["obs_of_state"], m["terminal"]))):
        return
    raise ValueError(f'trajectory {missing[0]}: "state" is missing; the exact-value baseline reads '
                     "V at each step's model state, and this world's observations do not identify "
                     'its states (model(env)["obs_of_state"]); give "state" per step (batch dumps '
                     "from pglab grad --out and Session.batch_dump() carry it)")


# What each algorithm's batch dump holds a ĝ of, and where its formula is in this module: estimate()
# recomputes REINFORCE's (NPG's and TRPO's ĝ is REINFORCE's, their step the natural one),
# estimate_off_policy()
# the off-policy one; the others' ĝ is not REINFORCE's, and estimate() on their dumps returned a
# number unrelated to the dump's without a word.
_OTHER_ALGORITHMS = {
    "off-policy": "estimate_off_policy(dump) recomputes it (with the dump's weighting and truncate)",
    "a2c": "its Â come from advantages(); its ĝ = mean of ∇log π(a|s) Â",
    "ppo": "its Â come from advantages(), its objective and ĝ from ppo_policy_gradient()",
    "grpo": "grpo_objective(trajectories=dump) recomputes its objective and ĝ (Â from "
            "grpo_group_advantages(), per group)",
    "sac": "its actor's ĝ is taken under its Q critic (the dump's algorithm block has the pieces)",
}


def _dump_algorithm(trajectories):
    """The algorithm a batch dump was written by ("reinforce" when the dump does not say)."""
    if not isinstance(trajectories, dict):
        return None
    scenario = trajectories.get("scenario")
    if isinstance(scenario, dict) and isinstance(scenario.get("algorithm"), dict):
        return scenario["algorithm"].get("name")
    return None


def _refuse_other_dump(trajectories, function, computes, takes=()):
    """Another algorithm's batch dump is refused by name before anything is read from it, naming
    what computes that algorithm's pieces (its estimator block is the scenario's unused REINFORCE
    default, so reading on would fail on a setting, not on the dump). takes: the dump kinds of
    _OTHER_ALGORITHMS that `function` does take."""
    name = _dump_algorithm(trajectories)
    if name in _OTHER_ALGORITHMS and name not in takes:
        raise ValueError(f"this batch dump is {name}'s: {function}() recomputes {computes}; "
                         f"{_OTHER_ALGORITHMS[name]}")


def estimate(trajectories, policy=None, gamma=None, returns=None, baseline=None, normalize=None,
             discount_weighting=None, env=None, critic_values=None):
    """REINFORCE's ĝ (DESIGN.md §3) for one estimator setting, as the app computes it.

    Returns a namespace: gradient (logits' shape for tabular policies), psi, q_hat, baseline,
    reward_to_go, optimal_baseline, ledger (the credit ledger's per-step columns and residual),
    contributions (c_it per step, rows summing to ĝ), and the core's Estimate, Batch and Policy.
    exact-value needs env=; critic needs critic_values= (V per observation, tabular). Settings
    left out are the dump's (when trajectories is a batch dump), else reward-to-go, no baseline,
    no normalisation, no discount weighting.
    """
    _refuse_other_dump(trajectories, "estimate",
                       "REINFORCE's ĝ (reinforce, npg and trpo dumps)")
    st = dict(returns=returns, baseline=baseline, normalize=normalize,
              discount_weighting=discount_weighting)
    policy, gamma = _dump_defaults(trajectories, policy, gamma, st)
    _require_states(trajectories, env, st["baseline"])
    p = as_policy(policy, env)
    b = as_batch(trajectories, p.kind == "tabular", p)
    e = _core.estimate(b, p, gamma, st["returns"], st["baseline"], st["normalize"],
                       st["discount_weighting"],
                       None if env is None else _core_env(env),
                       critic_values)
    return _estimate_ns(e, b, p)


def _estimate_ns(e, b, p):
    return types.SimpleNamespace(
        gradient=_grad_shape(p, e.gradient), psi=e.psi, q_hat=e.q_hat, baseline=e.baseline,
        reward_to_go=e.reward_to_go, optimal_baseline=e.optimal_baseline, offset=e.offset,
        ledger=e.ledger(b, p), contributions=e.contributions(b, p), core=e, batch=b, policy=p)


def estimate_off_policy(trajectories, policy=None, gamma=None, returns=None, baseline=None,
                        normalize=None, discount_weighting=None, weighting=None,
                        truncate=None, env=None, critic_values=None):
    """ĝ at the target policy from trajectories of a behaviour policy (each trajectory's logp),
    with the importance weights (README › Off-policy): (estimate namespace, weights dict).
    Settings left out as in estimate(); weighting and truncate from an off-policy dump's algorithm
    block, else per-decision and 0 (no truncation). Another algorithm's dump (a2c, ppo, grpo,
    sac) is a ValueError naming the function for it, as in estimate()."""
    _refuse_other_dump(trajectories, "estimate_off_policy",
                       "the off-policy ĝ (off-policy dumps, or trajectories with their "
                       "behaviour logp)", takes=("off-policy",))
    st = dict(returns=returns, baseline=baseline, normalize=normalize,
              discount_weighting=discount_weighting)
    policy, gamma = _dump_defaults(trajectories, policy, gamma, st)
    algo = trajectories.get("algorithm") if isinstance(trajectories, dict) else None
    algo = algo if isinstance(algo, dict) and _dump_algorithm(trajectories) == "off-policy" else {}
    if weighting is None:
        weighting = algo.get("weighting", "per-decision")
    if truncate is None:
        truncate = algo.get("truncate", 0.0)
    _require_states(trajectories, env, st["baseline"])
    p = as_policy(policy, env)
    b = as_batch(trajectories, p.kind == "tabular", p)
    e, w = _core.estimate_off_policy(b, p, gamma, st["returns"], st["baseline"], st["normalize"],
                                     st["discount_weighting"], weighting, truncate,
                                     None if env is None else _core_env(env),
                                     critic_values)
    return _estimate_ns(e, b, p), w


def advantages(trajectories, values=None, final_values=None, estimator=None, gamma=None, lam=None,
               n=None, tabular=None):
    """Â per step (flat, trajectory after trajectory) and the critic's targets Â + V, for
    estimator mc, td0, nstep or gae; final_values[i] = V(s_T) of trajectory i (read where it was
    truncated or cut). tabular=None: a batch dump's policy kind says, else True.

    With an A2C or PPO batch dump, what is left out is the dump's: estimator, gamma, lam and n from
    its algorithm's "advantage" block, values and final_values from its trajectories ("values",
    "final_value"). Without a dump gamma must be given (γ is the world's: there is no default);
    estimator gae, lam 0.95 and n 5 are the defaults. Advantage normalisation is not applied."""
    dump = trajectories if isinstance(trajectories, dict) else {}
    algo = dump.get("algorithm") if isinstance(dump.get("algorithm"), dict) else {}
    given = algo.get("advantage") if isinstance(algo.get("advantage"), dict) else {}
    if gamma is None:
        gamma = given.get("gamma")
    if gamma is None:
        raise ValueError("give gamma= (the world's discount; or an A2C/PPO batch dump, which "
                         "holds it in algorithm.advantage)")
    if estimator is None:
        estimator = given.get("estimator", "gae")
    if lam is None:
        lam = given.get("lambda", 0.95)
    if n is None:
        n = given.get("n", 5)
    trs = dump.get("trajectories") if given else None
    if values is None and trs is not None:
        values = [v for tr in trs for v in tr.get("values", [])]
    if final_values is None and trs is not None:
        final_values = [tr.get("final_value", 0.0) for tr in trs]
    if values is None or final_values is None:
        raise ValueError("give values= (V per step) and final_values= (V(s_T) per trajectory); "
                         "an A2C/PPO batch dump holds both")
    b = as_batch(trajectories, tabular)
    return _core.advantages(b, values, final_values, estimator, gamma, lam, n)


def batch_kl(trajectories, old_policy, policy, tabular=None):
    """KL(old_policy ‖ policy) over the M steps of a batch (the first argument is the reference,
    e.g. the policy that sampled them): a dict with steps = M, mean_kl = (1/M) Σ_t KL_{s_t} (the
    exact per-state KL, closed form for Gaussians, averaged over the batch's states) and max_kl,
    and the sampled estimates k1, k2, k3 averaged over the steps (kl_k1/2/3 of
    log r_t = log π(a_t|s_t) − log π_old(a_t|s_t) at the batch's actions). Both log-probabilities
    are computed from the two policies, not from the trajectories' logp, so a third policy may
    have sampled the batch. The two policies must act on the same actions."""
    old, new = as_policy(old_policy), as_policy(policy)
    return _core.batch_kl(as_batch(trajectories, tabular, old), old, new)


def ppo_policy_gradient(policy, trajectories, logp_old, adv, clip_eps=0.2, kl_penalty=False,
                        beta=1.0, entropy_coef=0.0):
    """PPO's policy side at the policy's θ (the code the app's update runs; README › PPO).

    logp_old: log π_old(a|s) per step; adv: Â per step (flat, trajectory after trajectory).
    Returns a dict: objective = L, the clipped surrogate (1/n) Σ min(r Â, clip(r, 1±ε) Â) (with
    kl_penalty: (1/n) Σ [r Â − β k3]), without the entropy bonus; grad = ∇θ (L + entropy_coef ·
    mean entropy), the ascent direction with it (the logits' shape for tabular policies); logp,
    entropy and ratio r = exp(logp − logp_old) per step."""
    p = as_policy(policy)
    b = as_batch(trajectories, p.kind == "tabular", p)
    r = _core.ppo_policy_gradient(p, b, logp_old, adv, clip_eps, kl_penalty, beta, entropy_coef)
    r["grad"] = _grad_shape(p, r["grad"])
    return r


def grpo_objective(policy=None, trajectories=None, logp_old=None, logp_ref=None, adv=None,
                   clip_eps=None, beta=None):
    """GRPO's clip-k3 objective J and ∇θ J at the policy's θ, the function the app's update runs
    (README › GRPO): a dict with objective, grad (the logits' shape for tabular policies), and per
    token logp, ratio and weight (∂J/∂log π_θ), and clipped (tokens with |r − 1| > ε).

    trajectories: one completion each; logp_old, logp_ref per token (flat), adv one Â per
    completion (grpo_group_advantages, group by group). With a GRPO batch dump
    (pglab grad --scenario grpo-token-task --out …) what is left out is the dump's: its policy, the
    trajectories' logp_old, logp_ref and advantage, and algorithm.clip_eps and kl_coef — so
    grpo_objective(trajectories=dump)["grad"] is the dump's gradient."""
    dump = trajectories if isinstance(trajectories, dict) else {}
    if dump and _dump_algorithm(dump) not in (None, "grpo"):
        raise ValueError(f"this batch dump is {_dump_algorithm(dump)}'s, not grpo's")
    algo = dump.get("algorithm") if isinstance(dump.get("algorithm"), dict) else {}
    trs = dump.get("trajectories", []) if dump else None
    if policy is None:
        policy = dump.get("policy")
    if policy is None:
        raise ValueError("give policy= (or a GRPO batch dump, which holds it)")
    if trs is not None:
        if logp_old is None:
            logp_old = [x for tr in trs for x in tr.get("logp_old", [])]
        if logp_ref is None:
            logp_ref = [x for tr in trs for x in tr.get("logp_ref", [])]
        if adv is None:
            adv = [tr.get("advantage") for tr in trs]
    if logp_old is None or logp_ref is None or adv is None:
        raise ValueError("give logp_old=, logp_ref= (per token) and adv= (per completion), or a "
                         "GRPO batch dump, which holds them")
    if clip_eps is None:
        clip_eps = algo.get("clip_eps", 0.2)
    if beta is None:
        beta = algo.get("kl_coef", 0.04)
    p = as_policy(policy)
    b = as_batch(trajectories, p.kind == "tabular", p)
    r = _core.grpo_objective(p, b, logp_old, logp_ref, adv, clip_eps, beta)
    r["grad"] = _grad_shape(p, r["grad"])
    return r


kl_k1 = _core.kl_k1
kl_k2 = _core.kl_k2
kl_k3 = _core.kl_k3
clipped_surrogate = _core.clipped_surrogate
clipped_surrogate_dr = _core.clipped_surrogate_dr
ppo_value_loss = _core.ppo_value_loss
grpo_group_advantages = _core.grpo_group_advantages


def load_session(path):
    """The pglab.Session saved in a pglab.session/1 file (s.save(path), pglab train --save):
    pglab.Session.load(path). path is a str or os.PathLike."""
    return _core.Session.load(path)
