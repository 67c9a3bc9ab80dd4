"""Bad input from Python is refused at the bindings with one clear error (app/python/src/checks.h):
exact integers for indices (no 32-bit cut, no truncation of 1.7), finite numbers and logits, the key
table's ranges for numeric arguments, typed messages that name the argument and what is allowed —
never a nlohmann or pybind11 message, never a silently wrong result. Also Gymnasium's
terminated-and-truncated on the last allowed step, and bools refused as actions."""

import math
import re

import numpy as np
import pytest

import pglab

NAN, INF = float("nan"), float("inf")


def lake():
    return pglab.make("GridWorld", map="frozen-lake-8x8", slip=0.1)


LOGITS = np.zeros((64, 4))
GOOD = dict(obs=[[0], [1], [2]], actions=[1, 2, 1], rewards=[0.0, 0.0, 1.0], terminated=True,
            truncated=False)


def traj(**changes):
    d = dict(GOOD)
    d.update(changes)
    return [d]


# ---- 1. indices in trajectories and vector steps: exact integers, range-checked on 64+ bits


@pytest.mark.parametrize("key,values,index,shown", [
    ("actions", [1, 2**32 + 1, 1], 1, "4294967297"),   # was read as action 1
    ("actions", [1, 2**70, 1], 1, str(2**70)),
    ("obs", [0, 2**32, 2], 1, "4294967296"),            # was read as observation 0
    ("actions", [1, -1, 1], 1, "-1"),
])
def test_trajectory_index_out_of_range_on_full_value(key, values, index, shown):
    with pytest.raises(ValueError) as e:
        pglab.estimate(traj(**{key: values}), LOGITS, gamma=0.9)
    msg = str(e.value)
    noun = "action" if key == "actions" else "observation"
    assert f"trajectory 0: {noun} {shown} at index {index} is out of range" in msg
    assert ("[0, 3]" if key == "actions" else "[0, 63]") in msg


@pytest.mark.parametrize("key,values", [("actions", [1, 1.7, 1]), ("obs", [0, 1.7, 2]),
                                        ("actions", [1, NAN, 1])])
def test_trajectory_fractional_index_refused(key, values):
    with pytest.raises(ValueError, match=r"at index 1 is not an integer; allowed: integers in"):
        pglab.estimate(traj(**{key: values}), LOGITS, gamma=0.9)


def test_mixed_list_names_the_right_index():
    # [0, 1.7, 2**70] is an object array (2**70 fits no NumPy integer): each entry is judged at its
    # own index, in order.
    assert np.asarray([0, 1.7, 2**70]).dtype == object
    with pytest.raises(ValueError, match=r"action 1.7 at index 1 is not an integer"):
        pglab.estimate(traj(actions=[0, 1.7, 2**70]), LOGITS, gamma=0.9)
    with pytest.raises(ValueError, match=rf"action {2**70} at index 1 is out of range"):
        pglab.estimate(traj(actions=[0, 2**70, 1.7]), LOGITS, gamma=0.9)


def test_trajectory_whole_floats_accepted_as_ints():
    a = pglab.estimate(traj(actions=[1.0, 2.0, 1.0], obs=[0.0, 1.0, 2.0]), LOGITS, gamma=0.9)
    b = pglab.estimate(traj(), LOGITS, gamma=0.9)
    assert np.array_equal(a.gradient, b.gradient)


def test_trajectory_arrays_are_one_value_per_step():
    # A (2, 2) table of 4 actions or rewards was read flat as 4 steps, and a (64, 2) critic table
    # as 128 values: refused, naming the key and the shape; a column (n, 1) is one per step.
    four = dict(obs=[[0], [1], [2], [3]], actions=[1, 2, 1, 1], rewards=[0.0, 0.0, 0.0, 1.0])
    with pytest.raises(ValueError, match=r"trajectory 0: actions of shape \(2, 2\) is not one"):
        pglab.estimate(traj(**dict(four, actions=[[1, 2], [1, 1]])), LOGITS, gamma=0.9)
    with pytest.raises(ValueError, match=r"trajectory 0: rewards of shape \(2, 2\) is not one"):
        pglab.estimate(traj(**dict(four, rewards=[[0.0, 0.0], [0.0, 1.0]])), LOGITS, gamma=0.9)
    column = pglab.estimate(traj(**dict(four, actions=[[1], [2], [1], [1]],
                                        rewards=[[0.0], [0.0], [0.0], [1.0]])), LOGITS, gamma=0.9)
    flat = pglab.estimate(traj(**four), LOGITS, gamma=0.9)
    assert np.array_equal(column.gradient, flat.gradient)
    with pytest.raises(ValueError, match=r"critic_values of shape \(32, 2\) is not one"):
        pglab.estimate(traj(**four), LOGITS, gamma=0.9, baseline="critic",
                       critic_values=np.zeros((32, 2)))


def test_vector_step_refuses_floats_as_one_env_does():
    # One env's step refuses 0.0 (TypeError); a vector env stepped a float array as its ints. Now
    # both refuse every float, whole, fractional or nan, naming the entry.
    v = pglab.make_vec("CartPole-v1", num_envs=4)
    v.reset(seed=0)
    with pytest.raises(TypeError, match=r"^action must be an integer, got 0.0 \(float\)"):
        v.env(0).step(0.0)
    with pytest.raises(TypeError, match=r"^action 0.0 at index 0 is a float; integers only .*"
                                        r"allowed: integers in \[0, 1\]$"):
        v.step(np.zeros(4))
    with pytest.raises(TypeError, match=r"^action 0.7 at index 0 is a float"):
        v.step([0.7, 0.2, 1.9, 0.0])
    with _no_warning():  # NumPy's "invalid value encountered in cast" was printed before
        with pytest.raises(TypeError, match=r"^action 0.0 at index 0 is a float"):
            v.step(np.array([0.0, NAN, 0.0, 0.0]))
    with pytest.raises(ValueError, match=r"action 4294967296 at index 3 is out of range"):
        v.step(np.array([0, 0, 0, 2**32]))
    with pytest.raises(TypeError, match=r"action 1.5 at index 2 is a float"):
        v.step(np.array([0, 1, 1.5, 2**70], dtype=object))
    # Integers of any width step alike.
    w = pglab.make_vec("CartPole-v1", num_envs=4)
    v.reset(seed=0)
    w.reset(seed=0)
    assert np.array_equal(v.step(np.array([0, 1, 1, 0]))[0],
                          w.step(np.array([0, 1, 1, 0], dtype=np.uint8))[0])


class _no_warning:
    """Fails if a warning (NumPy's 'invalid value encountered in cast') is raised inside."""

    def __enter__(self):
        import warnings

        self._w = warnings.catch_warnings()
        self._w.__enter__()
        warnings.simplefilter("error")

    def __exit__(self, *exc):
        self._w.__exit__(*exc)
        return False


# ---- 2. NaN / inf logits refused by the oracle; −inf masking kept


@pytest.mark.parametrize("fn", [pglab.exact, pglab.exact_J, pglab.fisher])
@pytest.mark.parametrize("bad,shown", [(NAN, "nan"), (INF, "inf")])
def test_nonfinite_logits_refused(fn, bad, shown):
    L = LOGITS.copy()
    L[3, 1] = bad
    with pytest.raises(ValueError, match=rf"logits\[3, 1\] is {shown}"):
        fn(lake(), L)


def test_params_setter_refuses_nan():
    p = pglab.Policy.tabular(LOGITS)
    with pytest.raises(ValueError, match=r"logits\[3, 1\] is nan"):
        p.params = np.where(np.arange(256) == 13, NAN, 0.0)


def test_minus_inf_masks_an_action_but_not_a_whole_row():
    env = lake()
    L = LOGITS.copy()
    L[3, 1] = -INF
    ex = pglab.exact(env, L)
    assert math.isfinite(ex.J)
    assert np.allclose(ex.probs[3], [1 / 3, 0, 1 / 3, 1 / 3])
    L[3, :] = -INF
    with pytest.raises(ValueError, match="logits row 3 has no finite entry"):
        pglab.exact(env, L)


def test_masked_policy_round_trips_through_its_dump():
    L = LOGITS.copy()
    L[3, 1] = -INF
    block = pglab.Policy.tabular(L).to_dump()
    assert block["logits"][3][1] == -INF  # was None (JSON text has no −inf)
    assert np.array_equal(pglab.Policy.from_dump(block).params, L.ravel())


# ---- 3. non-finite keyword values: the key table's message, not a JSON parse error


def test_nonfinite_list_element_named_by_its_index():
    with pytest.raises(ValueError, match=r"env.arm_means: element 1: value is not finite"):
        pglab.make("Bandit", arm_means=[0.1, NAN])


@pytest.mark.parametrize("call", [
    lambda: pglab.make("GridWorld", slip=NAN),
    lambda: pglab.make("GridWorld", slip=INF),
    lambda: pglab.make("Bandit", arm_means=[0.1, NAN]),
    lambda: pglab.make("Bandit", arm_means=np.array([0.1, NAN])),
])
def test_nonfinite_env_keywords(call):
    with pytest.raises(ValueError, match="value is not finite; expected a"):
        call()


def test_nonfinite_set_live():
    s = pglab.Session("gridworld-reinforce", seed=1)
    with pytest.raises(ValueError, match=r"algorithm.lr: value is not finite; expected a finite"):
        s.set_live("algorithm.lr", NAN)


def test_from_dump_nan():
    with pytest.raises(ValueError, match=r"policy.logits\[0\]\[0\] is nan"):
        pglab.Policy.from_dump({"kind": "tabular", "logits": [[NAN, 1.0]]})


# ---- 4. malformed policy blocks name the key


@pytest.mark.parametrize("block,match", [
    ({}, "policy.kind is missing"),
    ({"kind": "tabular"}, "policy.logits is missing"),
    ({"kind": "tabular", "logits": [["a", "b"]]}, r"policy.logits\[0\]\[0\] must be a number"),
    ({"kind": "tabular", "logits": [[1, 2], [3]]}, r"policy.logits\[1\] must be a list of 2"),
    ({"kind": "mlp"}, "policy.layers is missing"),
    ({"kind": "mlp", "layers": [{"b": [0]}]}, r"policy.layers\[0\].W is missing"),
    ({"kind": "mlp", "layers": [{"W": 5, "b": [0]}]}, r"policy.layers\[0\].W must be"),
    ({"kind": "mlp", "layers": [{"W": [[1.0]], "b": [0]}], "activation": 3},
     "policy.activation must be"),
    ([1, 2], "policy must be an object"),
])
def test_from_dump_malformed(block, match):
    with pytest.raises(ValueError, match=match) as e:
        pglab.Policy.from_dump(block)
    assert "json.exception" not in str(e.value)


# ---- 5. environment states must be finite


def test_states_must_be_finite():
    c = pglab.make("CartPole-v1")
    with pytest.raises(ValueError, match="cart-pole's state value nan at index 0 is not finite"):
        c.cartpole_state = [NAN, 0, 0, 0]
    p = pglab.make("Pendulum-v1")
    with pytest.raises(ValueError, match="pendulum's state value inf at index 1 is not finite"):
        p.pendulum_state = [0.0, INF]


# ---- 6. numeric arguments in the key table's ranges


@pytest.mark.parametrize("gamma", [5.0, -1.0, NAN])
def test_estimate_gamma_range(gamma):
    with pytest.raises(ValueError, match=r"gamma: .*expected a finite number in \[0, 1\]"):
        pglab.estimate(traj(), LOGITS, gamma=gamma)


def test_advantages_lam_range():
    with pytest.raises(ValueError, match=r"lam: value 2.0 is out of range; expected a finite "
                                         r"number in \[0, 1\]"):
        pglab.advantages(traj(), [0.0] * 3, [0.0], "gae", gamma=0.9, lam=2.0)


def test_ppo_clip_eps_range():
    with pytest.raises(ValueError, match=r"clip_eps: value -1 is out of range"):
        pglab.ppo_policy_gradient(LOGITS, traj(), np.log([0.25] * 3), [1, 1, 1], clip_eps=-1)


def test_numeric_arguments_of_the_wrong_kind():
    with pytest.raises(TypeError, match=r"gamma must be a number, got 'a'; expected a finite"):
        pglab.estimate(traj(), LOGITS, gamma="a")
    with pytest.raises(ValueError, match=r"n: expected an integer in \[1, 100000\]"):
        pglab.advantages(traj(), [0.0] * 3, [0.0], "nstep", gamma=0.9, n=1.5)
    r = pglab.advantages(traj(), [0.0] * 3, [0.0], "gae", gamma=np.float32(0.5), lam=1)
    assert np.allclose(r[0], [0.25, 0.5, 1.0])


def test_session_run_negative():
    s = pglab.Session("gridworld-reinforce", seed=1)
    with pytest.raises(ValueError, match=r"iterations -1 is out of range"):
        s.run(-1)


@pytest.mark.parametrize("logp", [NAN, INF, -INF])
def test_off_policy_logp_finite(logp):
    with pytest.raises(ValueError, match=r"trajectory 0: logp value .* at index 0 is not finite"):
        pglab.estimate_off_policy(traj(logp=[logp] * 3), LOGITS, gamma=0.9)


# ---- 7. type errors name the argument


def test_type_errors_name_the_argument():
    p = pglab.Policy.tabular(LOGITS)
    with pytest.raises(TypeError, match=r"observation must be an integer, got 1.5"):
        p.probs(1.5)
    with pytest.raises(TypeError, match="trajectory 0: terminated must be True or False"):
        pglab.estimate(traj(terminated="no"), LOGITS, gamma=0.9)
    with pytest.raises(TypeError, match="normalize must be True or False, got 'yes'"):
        pglab.estimate(traj(), LOGITS, gamma=0.9, normalize="yes")
    env = pglab.make("CartPole-v1")
    env.reset(seed=0)
    with pytest.raises(ValueError, match=r"action \d+ is out of range; allowed: integers in \[0, 1\]"):
        env.step(2**70)
    for seed in (2**64, -1):
        with pytest.raises(ValueError, match=r"seed -?\d+ is out of range"):
            env.reset(seed=seed)
    with pytest.raises(ValueError, match=r"seed -1 is out of range; allowed: integers in \[0, "):
        pglab.Session("gridworld-reinforce", seed=-1)
    with pytest.raises(TypeError, match=r"horizon \(0: infinite\) must be an integer, got 1.5"):
        pglab.exact(lake(), LOGITS, horizon=1.5)
    t = pglab.make("TokenTask")
    with pytest.raises(ValueError, match=r"action 99 is out of range"):
        t.action_name(99)


def test_horizon_has_the_range_of_step_limit():
    # 10**9 passed the INT_MAX check: exact ran out of memory (std::bad_alloc) and exact_J ran for
    # hours. The horizon is a step limit: env.step_limit's range, [0, 10**6].
    env, big = lake(), pglab._core.MAX_STEP_LIMIT
    assert big == 1000000
    for f in (pglab.exact, pglab.exact_J, pglab.fisher):
        for h in (10**9, big + 1, -1):
            with pytest.raises(ValueError, match=rf"horizon \(0: infinite\) {h} is out of range; "
                                                 r"allowed: integers in \[0, 1000000\]"):
                f(env, LOGITS, horizon=h)
    # The top of the range is accepted (1.4 s here) and converges to the infinite horizon's J.
    assert abs(pglab.exact_J(env, LOGITS, horizon=big) - pglab.exact_J(env, LOGITS, horizon=0)) < 1e-12


def test_num_envs_checked():
    with pytest.raises(TypeError, match="num_envs must be an integer, got 1.5"):
        pglab.make_vec("CartPole-v1", num_envs=1.5)
    for n in (0, 2**70):
        with pytest.raises(ValueError, match=rf"num_envs {n} is out of range"):
            pglab.make_vec("CartPole-v1", num_envs=n)


def test_vector_seed_does_not_wrap():
    v = pglab.make_vec("CartPole-v1", num_envs=4)
    with pytest.raises(ValueError, match=r"for 4 envs \(env i takes seed \+ i\)"):
        v.reset(seed=2**64 - 2)
    v.reset(seed=2**64 - 4)  # the last env takes 2**64 − 1


def test_vector_env_index():
    v = pglab.make_vec("CartPole-v1", num_envs=4)
    v.reset(seed=0)
    for i in (10, -1):
        with pytest.raises(IndexError, match=rf"env index {i} is out of range; allowed: 0 to 3"):
            v.env(i)
    assert v.env(3).core.seed == 3


# ---- 8. Gymnasium's flags: truncated also when terminating on the last allowed step; no bools


def test_terminated_on_last_step_is_also_truncated():
    e = pglab.make("CartPole-v1", max_episode_steps=1)
    e.reset(seed=0)
    e.cartpole_state = [0, 0, 0.2094, 5.0]
    _, _, terminated, truncated, _ = e.step(1)
    assert terminated and truncated  # Gymnasium's TimeLimit: both
    e = pglab.make("CartPole-v1")
    e.reset(seed=0)
    e.cartpole_state = [0, 0, 0.2094, 5.0]
    assert e.step(1)[2:4] == (True, False)
    # The vector form reports the same.
    v = pglab.make_vec("GridWorld", num_envs=2, map="classic-4x4", step_limit=1)
    v.reset(seed=0)
    _, _, te, tr, _ = v.step(np.array([0, 0]))
    assert tr.all()
    # A bandit's one step is its length, not a time limit: terminated only.
    b = pglab.make("Bandit")
    b.reset(seed=0)
    assert b.step(0)[2:4] == (True, False)


def test_bool_action_refused_like_discrete():
    env = pglab.make("CartPole-v1")
    env.reset(seed=0)
    assert not env.action_space.contains(True)
    with pytest.raises(TypeError, match="action True is a bool"):
        env.step(True)
    with pytest.raises(TypeError, match="action True is a bool"):
        env.step(np.bool_(True))
    v = pglab.make_vec("CartPole-v1", num_envs=2)
    v.reset(seed=0)
    with pytest.raises(TypeError, match="got an array of booleans"):
        v.step(np.array([True, False]))


# ---- continuous actions: what is not a number is a TypeError naming it


@pytest.mark.parametrize("action", [None, "x", [None], True])
def test_continuous_action_must_be_numbers(action):
    p = pglab.make("Pendulum-v1")
    p.reset(seed=1)
    with pytest.raises(TypeError, match=r"action .*: expected numbers"):
        p.step(action)
    v = pglab.make_vec("Pendulum-v1", num_envs=2)
    v.reset(seed=1)
    with pytest.raises(TypeError, match=r"actions .*: expected numbers"):
        v.step(action)


# ---- numeric arguments given as NumPy values: 0-d arrays and NumPy scalars are numbers; arrays
# with dimensions are a TypeError (PyNumber_Index returned NULL for them and the process died)


@pytest.mark.parametrize("gamma", [np.array(0.9), np.float32(0.9), np.float64(0.9), np.int64(1)])
def test_numpy_scalars_are_numbers(gamma):
    g = pglab.estimate(traj(), LOGITS, gamma=gamma)
    assert np.all(np.isfinite(g.gradient))


@pytest.mark.parametrize("gamma", [np.array([0.9]), np.array([[0.9]]), np.array(True), "0.9"])
def test_arrays_with_dimensions_are_not_numbers(gamma):
    with pytest.raises(TypeError, match="gamma must be a number"):
        pglab.estimate(traj(), LOGITS, gamma=gamma)


V2, Z2 = np.array([1.0, 2.0]), np.zeros(2)


@pytest.mark.parametrize("call, error, shown", [
    (lambda: pglab.ppo_value_loss(np.array([NAN, 2.0]), V2, Z2), ValueError, "v value nan"),
    (lambda: pglab.ppo_value_loss(V2, V2, np.array([0.0, INF])), ValueError, "target value inf"),
    (lambda: pglab.ppo_value_loss(V2, V2, Z2, eps=-1), ValueError, "ppo.clip_eps"),
    (lambda: pglab.ppo_value_loss(V2, V2, Z2, value_coef=INF), ValueError,
     "algorithm.value_coef"),
    (lambda: pglab.ppo_value_loss(V2, V2, Z2, clip="yes"), TypeError, "clip must be True or False"),
    (lambda: pglab.grpo_group_advantages(np.array([1.0, INF])), ValueError, "rewards value inf"),
    (lambda: pglab.grpo_group_advantages(V2, eps=-0.1), ValueError, "a finite number >= 0"),
    (lambda: pglab.grpo_group_advantages(V2, eps=NAN), ValueError, "a finite number >= 0"),
    (lambda: pglab.grpo_group_advantages(V2, std_normalize=2), TypeError, "std_normalize"),
    (lambda: pglab.grpo_group_advantages(np.array([1.0])), ValueError, "at least 2"),
])
def test_value_loss_and_group_advantage_arguments(call, error, shown):
    with pytest.raises(error, match=shown):
        call()


def test_value_loss_and_group_advantages_still_compute():
    # L_V = ½ mean((v − target)²) (clipping inactive: v = v_old); d_v = −c₁ (v − target) / n.
    L, d_v = pglab.ppo_value_loss(V2, V2, Z2, clip=True, eps=0.2, value_coef=0.5)
    assert L == pytest.approx(0.5 * (1.0 + 4.0) / 2)
    assert d_v == pytest.approx([-0.25, -0.5])
    adv, b = pglab.grpo_group_advantages(np.array([1.0, 0.0, 1.0]))
    assert b == pytest.approx([2 / 3] * 3)
    assert adv.sum() == pytest.approx(0.0, abs=1e-12)


# ---- 9. KL estimators: a non-finite log r is refused by all three (k3 returned 0 for NaN and
# ±inf through its max(0, ·), while k1 and k2 passed them on)


@pytest.mark.parametrize("fn", [pglab.kl_k1, pglab.kl_k2, pglab.kl_k3])
@pytest.mark.parametrize("bad,shown", [(NAN, "nan"), (INF, "inf"), (-INF, "-inf")])
def test_kl_estimators_refuse_nonfinite_log_r(fn, bad, shown):
    with pytest.raises(ValueError, match=rf"^log_r value {shown} at index 1 is not finite"):
        fn(np.array([0.1, bad]))
    with pytest.raises(ValueError, match=rf"^log_r value {shown} at index 0 is not finite"):
        fn(bad)


@pytest.mark.parametrize("fn", [pglab.kl_k1, pglab.kl_k2, pglab.kl_k3])
def test_kl_estimators_keep_shape_and_scalars(fn):
    x = np.array([[-0.5, 0.0], [0.25, 1.0]])
    out = fn(x)
    assert out.shape == (2, 2) and np.array_equal(out[1], fn([0.25, 1.0]))
    assert isinstance(fn(0.5), float) and fn(0.5) == fn(np.array([0.5]))[0]
    assert np.array_equal(fn([0, 1]), fn(np.array([0.0, 1.0])))  # ints read as floats


# ---- 10. PPO's clipped surrogate: eps in ppo.clip_eps's range (as ppo_policy_gradient's clip_eps),
# shapes that do not broadcast named, finite inputs


@pytest.mark.parametrize("fn", [pglab.clipped_surrogate, pglab.clipped_surrogate_dr])
@pytest.mark.parametrize("eps,shown", [(-1.0, "value -1.0 is out of range"),
                                       (0.0, "value 0.0 is out of range"),
                                       (NAN, "value is not finite"),
                                       (11, "value 11 is out of range")])
def test_clipped_surrogate_eps_range(fn, eps, shown):
    with pytest.raises(ValueError, match=rf"^eps: {shown}.*\(0, 10\] \(as the scenario key "
                                         r"ppo.clip_eps\)"):
        fn(np.array([1.5]), np.array([1.0]), eps)
    with pytest.raises(ValueError, match=r"^clip_eps: value 0 is out of range"):  # the same range
        pglab.ppo_policy_gradient(LOGITS, traj(), np.log([0.25] * 3), [1, 1, 1], clip_eps=0)


@pytest.mark.parametrize("fn", [pglab.clipped_surrogate, pglab.clipped_surrogate_dr])
def test_clipped_surrogate_shapes_and_values(fn):
    with pytest.raises(ValueError, match=r"^ratio of shape \(3,\) and adv of shape \(2,\) do not "
                                         r"broadcast together"):
        fn(np.array([1.5, 1.0, 2.0]), np.array([1.0, 2.0]), 0.2)
    with pytest.raises(ValueError, match=r"^adv value nan at index 0 is not finite"):
        fn(np.array([1.5]), np.array([NAN]), 0.2)
    with pytest.raises(TypeError, match=r"^ratio must be numbers .* got 'a' \(str\)"):
        fn("a", 1.0, 0.2)
    with pytest.raises(TypeError, match=r"^eps must be a number"):
        fn(1.0, 1.0, "0.2")
    # Broadcasting as NumPy does, element by element as before.
    r = np.array([[0.5, 1.0, 1.5]])
    adv = np.array([[1.0], [-1.0]])
    out = fn(r, adv, 0.2)
    assert out.shape == (2, 3)
    assert np.array_equal(out[1], fn(r[0], np.full(3, -1.0), 0.2))
    assert isinstance(fn(1.5, 1.0, 0.2), float)
    if fn is pglab.clipped_surrogate:
        assert np.array_equal(fn(np.array([1.5, 0.5]), np.array([1.0, -1.0]), 0.2), [1.2, -0.8])


# ---- 11. the exact oracle names the worlds it takes (finite_env_names(), also the CLI's list)


@pytest.mark.parametrize("env_id", ["CartPole-v1", "Pendulum-v1", "ContinuousCartPole-v1"])
@pytest.mark.parametrize("fn", ["exact", "exact_J", "fisher"])
def test_oracle_needs_a_finite_world(env_id, fn):
    env = pglab.make(env_id)
    with pytest.raises(ValueError, match=rf"^{fn} needs a finite world \(a finite model\), and .* "
                                         r"has none; allowed: gridworld, short-corridor, bandit, "
                                         r"token-task \(env kinds"):
        getattr(pglab, fn)(env, np.zeros((1, 2)))


def test_oracle_needs_a_finite_world_for_mlp_policies_too():
    # The MLP form passed check_fits and reached the core's "allowed: gridworld, short-corridor,
    # bandit", which left out the token task.
    mlp = pglab.Policy.from_scenario("cartpole-reinforce")
    with pytest.raises(ValueError, match=r"bandit, token-task \(env kinds"):
        pglab.exact(pglab.make("CartPole-v1"), mlp)
    with pytest.raises(ValueError, match=r"^mean_kl needs a finite world"):
        pglab.mean_kl(pglab.make("CartPole-v1"), mlp, mlp)
    # The exact-value baseline says the same.
    with pytest.raises(ValueError, match=r"^the exact-value baseline needs a finite world"):
        pglab.estimate(traj(), LOGITS, gamma=0.9, baseline="exact-value",
                       env=pglab.make("CartPole-v1"))
    # Every world the message allows has an oracle (the list comes from one place).
    for kind in ("gridworld", "short-corridor", "bandit", "token-task"):
        env = pglab.make(kind)
        n_obs, n_act = env.observation_space.n, env.action_space.n
        assert np.isfinite(pglab.exact(env, np.zeros((n_obs, n_act))).J)


def test_oracle_on_the_continuous_bandit():
    env = pglab.make("ContinuousBandit")
    with pytest.raises(ValueError, match=r"^exact on the continuous bandit takes a Gaussian policy "
                                         r"\(pglab.Policy.from_scenario\(\"continuous-bandit-"
                                         r"reinforce\"\)\); a tabular or MLP policy needs a finite "
                                         r"world; allowed: gridworld"):
        pglab.exact(env, np.zeros((1, 1)))
    # Its Gaussian policy is evaluated (by quadrature), as before.
    g = pglab.Policy.from_scenario("continuous-bandit-reinforce")
    assert pglab.exact(env, g).J == pglab.exact_J(env, g)
    with pytest.raises(ValueError, match=r"^fisher needs a finite world"):
        pglab.fisher(env, g)


def gaussian_2d_without_features():
    d = pglab.Policy.from_scenario("continuous-bandit-reinforce").to_dump()
    d.update(action_dim=2, low=[-4.0, -4.0], high=[4.0, 4.0], mean=[0.0, 0.0], log_std=[0.0, 0.0])
    return pglab.Policy.from_dump(d)


@pytest.mark.parametrize("policy, has", [
    (lambda: pglab.Policy.from_scenario("pendulum-ppo"), r"action_dim 1 and a mean network on 3 "
                                                         r"features"),
    (gaussian_2d_without_features, r"action_dim 2$"),
])
def test_continuous_bandit_oracle_refuses_other_gaussians(policy, has):
    # An assert in the oracle aborted the interpreter (pendulum-ppo's network, action_dim 2); the
    # core's entry refuses it as bad input, and so every path to it: exact, exact_J, the
    # exact-value baseline.
    env, pi = pglab.make("ContinuousBandit"), policy()
    shown = (r"^policy: the continuous bandit's exact oracle needs a Gaussian with action_dim 1 "
             r"and no features .*; this policy has " + has)
    with pytest.raises(ValueError, match=shown):
        pglab.exact(env, pi)
    with pytest.raises(ValueError, match=shown):
        pglab.exact_J(env, pi)
    t = [dict(obs=[[]], actions=[[0.5] * pi.action_dim], rewards=[1.0], terminated=True,
              truncated=False)] * 2
    with pytest.raises(ValueError, match=shown):
        pglab.estimate(t, pi, gamma=1.0, baseline="exact-value", env=env)


@pytest.mark.parametrize("a_old, a", [(4, 3), (5, 4), (3, 4)])
def test_batch_kl_needs_two_policies_over_the_same_actions(a_old, a):
    # (16, 4) against (16, 3) corrupted the heap (π_old's probabilities sized by π's action
    # count); (16, 5) against (16, 4) returned a negative KL.
    t = [dict(obs=[0, 1], actions=[0, 1], rewards=[0.0, 1.0], terminated=True,
              truncated=False)] * 3
    with pytest.raises(ValueError, match=rf"^policy: the two policies have {a_old} and {a} "
                                         r"actions; they must act on the same actions$"):
        pglab.batch_kl(t, np.zeros((16, a_old)), np.zeros((16, a)))
    assert pglab.batch_kl(t, np.zeros((16, a)), np.zeros((16, a)))["mean_kl"] == 0.0


def test_batch_kl_needs_two_policies_of_the_same_kind():
    g = pglab.Policy.from_scenario("continuous-bandit-reinforce")
    t = [dict(obs=[0, 1], actions=[0, 1], rewards=[0.0, 1.0], terminated=True,
              truncated=False)]
    with pytest.raises(ValueError, match=r"^policy: one policy has continuous actions and the other "
                                         r"discrete"):
        pglab.batch_kl(t, np.zeros((16, 2)), g)
    t2 = [dict(obs=[[]], actions=[[0.5, 0.5]], rewards=[1.0], terminated=True, truncated=False)]
    with pytest.raises(ValueError, match=r"^policy: the two policies have action_dim 2 and 1"):
        pglab.batch_kl(t2, gaussian_2d_without_features(), g)


# ---- 12. arguments of the wrong kind: one TypeError naming the argument and what it takes


@pytest.mark.parametrize("call, shown", [
    (lambda: pglab.estimate(5, LOGITS, gamma=0.9),
     r"^trajectories must be a pglab.Batch, a batch dump .* got 5 \(int\)"),
    (lambda: pglab.estimate("abc", LOGITS, gamma=0.9), r"^trajectories must be .* got 'abc'"),
    (lambda: pglab.batch_kl(None, LOGITS, LOGITS), r"^trajectories must be .* got None"),
    (lambda: pglab.exact(lake(), "abc"),
     r"^policy must be a pglab.Policy, a logits array .* got 'abc' \(str\)"),
    (lambda: pglab.exact(lake(), None), r"^policy must be .* got None"),
    (lambda: pglab.exact(lake(), [[0, 1], [0]]), r"^policy must be .* got \[\[0, 1\], \[0\]\]"),
    (lambda: pglab.estimate(traj(), "abc", gamma=0.9), r"^policy must be"),
    (lambda: pglab.exact(5, LOGITS), r"^env must be a pglab environment .* got 5 \(int\)"),
    (lambda: pglab.kl_k1("a"), r"^log_r must be numbers \(a float or an array of floats\), "
                               r"got 'a' \(str\)"),
    (lambda: pglab.kl_k3([None]), r"^log_r must be numbers"),
    (lambda: pglab.kl_k2(True), r"^log_r must be numbers"),
    (lambda: pglab.advantages(traj(), "abc", [0.0], gamma=0.9), r"^values must be numbers"),
    (lambda: pglab.ppo_policy_gradient(LOGITS, traj(), "x", [1, 1, 1]), r"^logp_old must be "),
    (lambda: pglab.ppo_value_loss("v", V2, Z2), r"^v must be numbers"),
    (lambda: pglab.grpo_group_advantages(["a", "b"]), r"^rewards must be numbers"),
    (lambda: pglab.estimate(traj(rewards="abc"), LOGITS, gamma=0.9),
     r"^trajectory 0: reward must be numbers"),
    (lambda: pglab.Policy.tabular("abc"), r"^logits must be numbers"),
])
def test_wrong_kinds_are_one_type_error(call, shown):
    with pytest.raises(TypeError, match=shown) as e:
        call()
    assert "incompatible function arguments" not in str(e.value)


def test_a_single_trajectory_dict_is_named():
    with pytest.raises(ValueError, match=r"^trajectories: a dict must be a batch dump"):
        pglab.estimate(GOOD, LOGITS, gamma=0.9)


# ---- 13. a continuous action has action_space.shape ((1,) for Pendulum), as Box.contains


@pytest.mark.parametrize("action, shown", [(np.array([[0.5]]), "(1, 1)"), (0.5, "()"),
                                           (np.array(0.5), "()"), (np.zeros(2), "(2,)")])
def test_continuous_action_shape(action, shown):
    env = pglab.make("Pendulum-v1")
    env.reset(seed=0)
    assert not env.action_space.contains(action)
    with pytest.raises(ValueError, match=rf"^pendulum takes 1 number\(s\) as its action: an array "
                                         rf"of shape \(1,\) \(action_space.shape\), got shape "
                                         rf"{re.escape(shown)}$"):
        env.step(action)
    assert env.step(np.array([0.5]))[1] < 0  # (1,) steps; a float32 one too
    assert env.step(np.array([0.5], dtype=np.float32))[1] < 0


# ---- 14. log-probabilities are at most 0 (a probability at most 1), with float32's rounding slack


@pytest.mark.parametrize("logp", [[1.0, 1.0, 1.0], [-0.5, 0.25, -1.0], [-0.1, -0.2, 1e-5]])
def test_logp_above_zero_refused(logp):
    i = next(k for k, v in enumerate(logp) if v > 0)
    with pytest.raises(ValueError, match=rf"^trajectory 0: logp value .* at index {i} is a "
                                         r"log-probability above 0 \(a probability above 1\)"):
        pglab.estimate_off_policy(traj(logp=logp), LOGITS, gamma=0.9)
    with pytest.raises(ValueError, match=rf"^logp_old value .* at index {i} is a log-probability"):
        pglab.ppo_policy_gradient(LOGITS, traj(), logp, [1, 1, 1])


def test_logp_rounding_slack():
    # log of a float32 probability one ulp above 1 (log(1 + 2**-23) ≈ 1.2e-7) is a rounding, not
    # a mistake: accepted, as 0 and exact log-probabilities are.
    tiny = float(np.log(np.float64(np.nextafter(np.float32(1), np.float32(2)))))
    assert 0 < tiny < 1e-6
    for logp in ([0.0, -1.0, tiny], np.log([0.25] * 3)):
        _, w = pglab.estimate_off_policy(traj(logp=logp), LOGITS, gamma=0.9)
        assert np.all(np.isfinite(w["rho"]))


def test_boolean_rewards_count_as_zero_and_one():
    # A verifier's pass/fail as GRPO rewards (accepted before the array checks, refused by them
    # for a day): the same advantages as 1.0/0.0; a lone bool is still a TypeError.
    adv_b, base_b = pglab.grpo_group_advantages(np.array([True, False, True]))
    adv_f, base_f = pglab.grpo_group_advantages(np.array([1.0, 0.0, 1.0]))
    assert np.array_equal(adv_b, adv_f) and np.array_equal(base_b, base_f)
    with pytest.raises(TypeError):
        pglab.kl_k1(True)


# ---- 15. no pybind11 signature dumps: wrong kinds of argument are one-line TypeErrors naming the
# argument, bad counts ValueErrors ("incompatible function arguments … Invoked with" before)


def _one_line(e):
    msg = str(e.value)
    assert "\n" not in msg and "Invoked with" not in msg and "incompatible" not in msg, msg
    return msg


@pytest.mark.parametrize("call,kind,pattern", [
    (lambda s: pglab.load_session(None), TypeError,
     r"^path must be a str or os.PathLike \(a pglab.session/1 file\), got None \(NoneType\)$"),
    (lambda s: pglab.Session(None), TypeError,
     r"^scenario must be a str or os.PathLike \(a scenario file or a shipped scenario's name\), "
     r"got None"),
    (lambda s: pglab.Session("short-corridor-reinforce", sets=[1]), TypeError,
     r"^sets\[0\] must be a str \('key=value', e.g. 'algorithm.lr=0.1'\), got 1 \(int\)$"),
    (lambda s: pglab.Session("short-corridor-reinforce", sets=5), TypeError,
     r"^sets must be a str or a list of str"),
    (lambda s: s.advance(None), TypeError,
     r"^granularity must be a str, got None \(NoneType\); allowed: env-step, episode, batch"),
    (lambda s: s.advance("iteration", -1), ValueError,
     r"^count -1 is out of range; allowed: integers in \[1, "),
    (lambda s: s.advance("iteration", 1.5), TypeError, r"^count must be an integer, got 1.5"),
    (lambda s: s.save(None), TypeError, r"^path must be a str or os.PathLike \(the file to write\)"),
    (lambda s: s.reset(5), TypeError, r"^Session.reset\(\) takes no arguments, got \(5\)$"),
    (lambda s: s.copy(deep=True), TypeError,
     r"^Session.copy\(\) takes no arguments, got \(deep=True\)$"),
    (lambda s: pglab.Batch.from_trajectories(None), TypeError,
     r"^trajectories must be a list of trajectory dicts \(obs, actions, rewards, …\), got None"),
    (lambda s: pglab.Batch.from_trajectories(traj()), TypeError, r"^tabular must be given: True"),
    (lambda s: pglab.Batch.from_trajectories(traj(), "yes"), TypeError,
     r"^tabular must be True or False, got 'yes'"),
    (lambda s: pglab.make_from_scenario("cartpole-ppo", 5), TypeError,
     r"^sets must be a str or a list of str"),
])
def test_session_and_batch_arguments_are_checked(call, kind, pattern):
    s = pglab.Session("short-corridor-reinforce")
    with pytest.raises(kind) as e:
        call(s)
    assert re.search(pattern, _one_line(e)), str(e.value)


def test_session_accepts_paths_counts_and_a_single_assignment(tmp_path):
    import pathlib

    s = pglab.Session("short-corridor-reinforce", sets="seed=5")  # one assignment, as a str
    assert s.scenario["seed"] == 5
    t = s.copy()
    assert s.advance("iteration", 3) and s.iteration == 3
    for _ in range(3):
        t.advance()
    assert np.array_equal(s.theta, t.theta)  # count=3 is three advances
    path = tmp_path / "s.json"
    s.save(path)  # a pathlib.Path
    assert pglab.load_session(pathlib.Path(path)).iteration == 3
    s.reset()
    assert s.iteration == 0


def test_make_from_scenario_takes_one_assignment_as_a_string():
    # It iterated the string: "--set 'a': expected key=value".
    one = pglab.make_from_scenario("gridworld-reinforce", "env.slip=0.3")
    listed = pglab.make_from_scenario("gridworld-reinforce", ["env.slip=0.3"])
    assert one.spec.kwargs == listed.spec.kwargs == {"sets": ["env.slip=0.3"]}
    with pytest.raises(ValueError, match=r"^env.slip: value 7(\.0)? is out of range"):
        pglab.make_from_scenario("gridworld-reinforce", "env.slip=7")


def test_tabular_policy_size_is_limited_before_copying():
    # np.zeros((10**6, 1000)) ended in "MemoryError: std::bad_alloc" (or took 8 GB).
    limit = pglab._core.MAX_TABULAR_LOGITS
    assert limit == 2**24
    big = np.broadcast_to(np.zeros(1), (10**6, 1000))  # no memory behind it
    with pytest.raises(ValueError, match=r"^logits has 1000000 × 1000 entries; a tabular policy "
                                         rf"holds at most {limit} logits \(observations × actions\)$"):
        pglab.as_policy(big)
    with pytest.raises(ValueError, match=r"holds at most"):
        pglab.as_policy(np.broadcast_to(np.zeros(1, dtype=np.int64), (2**12 + 1, 2**12)))
    assert pglab.as_policy(np.zeros((2**12, 2**12))).num_obs == 2**12  # the limit itself is fine


@pytest.mark.parametrize("make,kind,pattern", [
    (lambda: pglab.Discrete(2.5), TypeError, r"^Discrete n must be an integer, got 2.5 \(float\)$"),
    (lambda: pglab.Discrete(True), TypeError, r"^Discrete n must be an integer, got True"),
    (lambda: pglab.Discrete(0), ValueError, r"^Discrete n must be ≥ 1"),
    (lambda: pglab.Box(low=1, high=0), ValueError, r"^Box low must be ≤ high"),
    (lambda: pglab.Box(low=NAN, high=1), ValueError, r"^Box low holds nan"),
    (lambda: pglab.Box(low=0, high=[1, NAN]), ValueError, r"^Box high holds nan"),
    (lambda: pglab.Box(low=INF, high=INF), ValueError, r"^Box low cannot be \+inf"),
    (lambda: pglab.MultiDiscrete([-1]), ValueError, r"^MultiDiscrete nvec must be ≥ 1 each"),
    (lambda: pglab.MultiDiscrete([2, 0]), ValueError, r"^MultiDiscrete nvec must be ≥ 1 each"),
    (lambda: pglab.MultiDiscrete([2.5]), TypeError, r"^MultiDiscrete nvec must be integers"),
])
def test_spaces_refuse_what_gymnasium_refuses(make, kind, pattern):
    with pytest.raises(kind, match=pattern):
        make()


def test_spaces_still_take_what_gymnasium_takes():
    assert pglab.Discrete(np.int64(3)).n == 3
    assert pglab.Discrete(3, start=-1).contains(1)
    box = pglab.Box(low=-INF, high=INF, shape=(2,))
    assert not box.is_bounded()
    assert pglab.Box(low=0, high=0).contains(np.array(0.0))  # a point is a box
    assert pglab.MultiDiscrete(np.array([2, 3], dtype=np.uint8)).contains([1, 2])


def _public_callables():
    """Every function of pglab and every method of its classes and of the objects a student
    holds (a session, a policy, an environment, a vector environment, a batch, an estimate)."""
    session = pglab.Session("gridworld-reinforce")
    session.advance("estimate")
    objects = {
        "Session": session,
        "Policy": pglab.Policy.from_scenario("gridworld-reinforce"),
        "Env": pglab.make("GridWorld"),
        "VectorEnv": pglab.make_vec("CartPole-v1", 2),
        "Batch": session.batch(),
        "Estimate": pglab.estimate(session.batch_dump(), env=session.env()).core,
    }
    out = []
    for name in dir(pglab):
        obj = getattr(pglab, name)
        if not name.startswith("_") and callable(obj) and not isinstance(obj, type):
            out.append((name, obj))
    for cls_name, obj in objects.items():
        for attr in dir(obj):
            if attr.startswith("_") or attr in ("close", "reset", "render"):
                continue
            try:
                method = getattr(obj, attr)
            except ValueError:  # a property of another kind of world (cart-pole's thresholds)
                continue
            if callable(method) and not isinstance(method, type):
                out.append((f"{cls_name}.{attr}", method))
    for cls in (pglab.Session, pglab.Policy, pglab.Batch, pglab.VectorEnv, pglab.Env):
        out.append((cls.__name__, cls))
    return out


@pytest.mark.parametrize("args", [(), (None,), (None, None), ("x", 3.5, None, None, None, None, 1)],
                         ids=["no-args", "none", "two-nones", "too-many"])
def test_no_call_shows_pybind11s_argument_table(args):
    # README › Python: a missing argument or one of the wrong type is a one-line TypeError (or a
    # ValueError), never pybind11's multi-line "incompatible function arguments … Invoked with"
    # table. Every public function and method, with no arguments, with Nones and with too many.
    for name, fn in _public_callables():
        try:
            fn(*args)
        except Exception as e:  # noqa: BLE001 — which exception is the point of the check
            msg = str(e)
            assert "incompatible" not in msg and "Invoked with" not in msg, f"{name}{args}: {msg}"
            assert "\n" not in msg.strip(), f"{name}{args}: {msg}"
            assert isinstance(e, (TypeError, ValueError, IndexError, RuntimeError)), \
                f"{name}{args}: {type(e).__name__}: {msg}"


# ---- an audit's findings: sizes estimated before allocating, settings that would do nothing,
# numbers that overflowed


def test_make_vec_estimates_memory_before_copying(monkeypatch):
    # 2**24 copies of four-rooms (about 33 kB each, its model) were OOM-killed.
    monkeypatch.setenv("PGLAB_MEMORY_BUDGET_MB", "100")
    with pytest.raises(ValueError, match=r"^num_envs: 16777216 copies of .* at about [0-9.]+ kB each "
                                         r"would need about [0-9.]+ GB of memory; the budget is "
                                         r"100 MB \(PGLAB_MEMORY_BUDGET_MB\); lower num_envs "
                                         r"\(at most \d+ fit\)$"):
        pglab.make_vec("GridWorld", num_envs=2**24, map="four-rooms")
    assert pglab.make_vec("GridWorld", num_envs=64, map="four-rooms").num_envs == 64
    monkeypatch.setenv("PGLAB_MEMORY_BUDGET_MB", "lots")
    with pytest.raises(ValueError, match=r"^PGLAB_MEMORY_BUDGET_MB: 'lots' is not a memory budget"):
        pglab.make_vec("CartPole-v1", num_envs=2)


def test_sac_replay_buffer_counts_in_the_budget(monkeypatch):
    monkeypatch.setenv("PGLAB_MEMORY_BUDGET_MB", "100")
    with pytest.raises(ValueError, match=r"^sac.buffer_size: a replay buffer of 10000000 "
                                         r"transitions .*; lower sac.buffer_size \(at most \d+ "
                                         r"fit\)$"):
        pglab.Session("sac-cartpole", sets=["sac.buffer_size=10000000"])


@pytest.mark.parametrize("scenario", ["sac-gridworld", "cartpole-ppo"])
def test_estimator_keys_refused_where_the_algorithm_ignores_them(scenario):
    s = pglab.Session(scenario)
    with pytest.raises(ValueError, match=r"^estimator.baseline: this algorithm does not use "
                                         r"REINFORCE's estimator settings$"):
        s.set_live("estimator.baseline", "mean")
    assert pglab.Session("gridworld-reinforce").set_live("estimator.baseline", "mean") is True


def test_grpo_advantages_of_huge_rewards_do_not_overflow():
    # (1e308)² overflowed: σ was inf and every Â 0.
    adv, b = pglab.grpo_group_advantages([1e308, -1e308, 0.0, 0.0])
    assert np.allclose(adv, [math.sqrt(2), -math.sqrt(2), 0.0, 0.0], rtol=1e-12)
    assert np.array_equal(b, [0.0] * 4)
    # The same group scaled down gives the same Â but for ε = 1e-4 against σ = 0.71 (1.4e-4).
    small, _ = pglab.grpo_group_advantages([1.0, -1.0, 0.0, 0.0])
    assert np.allclose(adv, small, rtol=2e-4)
    assert not np.allclose(adv, small, rtol=1e-5)
    adv, b = pglab.grpo_group_advantages([1e308, 1e308, 0.0, 0.0], leave_one_out=True)
    assert np.all(np.isfinite(adv)) and np.all(np.isfinite(b))
    assert adv[0] > 0 and adv[2] < 0


# A step from a state near ±1e308 overflows the dynamics (audit a8 F7): it used to return NaN in
# the observation (cart-pole) or a −inf reward (pendulum) without a word, while `pglab trace` from
# the same state stops; both now share env/step_check.h.
@pytest.mark.parametrize("env_id, attr, state, action", [
    ("CartPole-v1", "cartpole_state", (0, 1e308, 0, 1e308), 1),
    ("Pendulum-v1", "pendulum_state", (0, 1e308), np.array([1.0])),
])
def test_step_that_overflows_is_refused(env_id, attr, state, action):
    env = pglab.make(env_id)
    env.reset(seed=0)
    setattr(env, attr, state)
    with pytest.raises(ValueError, match=r"^step 1 overflowed \(the state is no longer finite\); "
                                         r"reset\(\) or set a smaller state"):
        env.step(action)
    with pytest.raises(RuntimeError, match="reset"):
        env.step(action)  # the episode is over
    obs, _ = env.reset(seed=0)
    assert np.all(np.isfinite(obs))
    _, r, _, _, _ = env.step(action)
    assert math.isfinite(r)


# A str with no UTF-8 form (a lone surrogate: os.listdir's escape of a name that is not UTF-8) is
# a ValueError naming the argument (audit a8 F1): pybind11 said "Unable to cast Python instance to
# C++ type … compile in debug mode", and estimate() blamed env=None, its documented default.
@pytest.mark.parametrize("call, name", [
    (lambda: pglab.make("GridWorld", map="\udcff"), "map"),
    (lambda: pglab.make("GridWorld", map="classic-4x4", reward_kind="\udcff"), "reward_kind"),
    (lambda: pglab.make_from_scenario("sc/\udcff.json"), "scenario"),
    (lambda: pglab.make_from_scenario("gridworld-reinforce", ["name=\udcff"]), r"sets\[0\]"),
    (lambda: pglab.Session("gridworld-reinforce", sets=["x", "name=a\udcff"]), r"sets\[1\]"),
    (lambda: pglab.estimate([{"obs": [0], "actions": [0], "rewards": [1.0], "terminated": True,
                              "truncated": False}], np.zeros((16, 4)), gamma=0.9,
                            baseline="\udcff"), "baseline"),
])
def test_str_that_is_not_utf8_names_its_argument(call, name):
    with pytest.raises(ValueError, match=rf"^{name}: not UTF-8 text \(a lone surrogate \\udcff at "
                                         r"character \d+\); paths and values must be UTF-8$"):
        call()


def test_none_for_an_argument_whose_default_is_none_is_not_blamed():
    with pytest.raises(TypeError) as e:
        pglab.estimate([{"obs": [0], "actions": [0], "rewards": [1.0], "terminated": True,
                         "truncated": False}], np.zeros((16, 4)), gamma=0.9, baseline=3)
    assert "'baseline' must be a str" in str(e.value) and "'env'" not in str(e.value)


# A flat logits array of the wrong size (audit a8 F3): NumPy's "cannot reshape array of size 63
# into shape (16,4)" named neither the argument nor what it needs.
@pytest.mark.parametrize("n", [63, 0, 65])
def test_flat_logits_of_the_wrong_size(n):
    env = pglab.make("GridWorld", map="classic-4x4")
    with pytest.raises(ValueError, match=rf"^policy: {n} logits; gridworld needs 64 \(16 "
                                         r"observations × 4 actions\), as a 16×4 array or flat$"):
        pglab.exact(env, np.zeros(n))
    assert np.isfinite(pglab.exact(env, np.zeros(64)).J)


def test_object_array_policy_is_one_line():
    with pytest.raises(TypeError) as e:
        pglab.exact(pglab.make("GridWorld", map="classic-4x4"), np.array([[None] * 4] * 16))
    assert "\n" not in str(e.value)


def test_sets_give_each_key_once():
    # audit a8 F2: the last value won silently
    with pytest.raises(ValueError, match=r"sets env\.gamma again, after --set 'env\.gamma=0\.5'"):
        pglab.Session("gridworld-reinforce", sets=["env.gamma=0.5", "env.gamma=0.6"])


def test_refusals_say_what_is_wrong():
    # Audit a12 F10: an empty logits table is 2-d (the problem is 0 rows); an unknown map lists
    # the shipped ones; a faulted session cannot "advance('iteration') first".
    with pytest.raises(ValueError, match=r"logits of shape \(0, 4\) are empty"):
        pglab.exact(pglab.make("GridWorld", map="classic-4x4"), np.zeros((0, 4)))
    with pytest.raises(ValueError, match=r"logits must be a 2-d array .*got 1 dimension"):
        pglab.Policy.tabular(np.zeros(4))
    with pytest.raises(ValueError, match=r"shipped maps are in .*/maps: classic-4x4, cliff-4x12, "
                                         r"four-rooms, frozen-lake-8x8\)"):
        pglab.make("GridWorld", map="frozen-lake-9x9")
    s = pglab.Session("cartpole-reinforce", sets=["algorithm.lr=1000", "algorithm.optimizer=sgd"])
    s.run(5)
    assert s.fault
    with pytest.raises(ValueError, match=r"a session paused by a fault cannot be saved .*reset\(\) "
                                         r"it first"):
        s.save("/nonexistent-dir/x.json")
