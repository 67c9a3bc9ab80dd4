"""Estimators from Python equal to the batch dump's (issue 13): ĝ, ψ and b for every estimator
setting of DESIGN.md §3 on `pglab grad`'s trajectories, the credit ledger summing to ĝ, the
off-policy estimate and its weights, A2C's advantages, and the KL / PPO / GRPO pieces against
their formulas."""

import numpy as np
import pytest

import pglab
from conftest import grad_dump

BASELINES = ["none", "mean", "time-mean", "leave-one-out", "optimal", "critic", "exact-value"]


def settings(finite, critic=True):
    for ret in ("total", "reward-to-go"):
        for base in BASELINES:
            if base == "exact-value" and not finite:
                continue
            if base == "critic" and not critic:
                continue
            for norm in (False, True):
                for dw in (False, True):
                    if base == "optimal" and (ret != "total" or norm):
                        continue
                    yield ret, base, norm, dw


def sets_of(ret, base, norm, dw):
    # The baseline last: cross-key rules are checked after every --set (tests/app/check_dumps.sh).
    return [f"estimator.returns={ret}", f"estimator.normalize={str(norm).lower()}",
            f"estimator.discount_weighting={str(dw).lower()}", f"estimator.baseline={base}"]


def critic_table(dump, policy):
    """V per observation, read back from the dump's per-step critic baseline b_it = V(o_it) (the
    continuous bandit's tabular critic has its one observation, 0, and empty feature rows)."""
    v = np.zeros(policy.num_obs if policy.kind == "tabular" else 1)
    for tr in dump["trajectories"]:
        for o, b in zip(tr["obs"], tr["baseline"]):
            v[o[0] if o else 0] = b
    return v


def check_against_dump(dump, env=None):
    est_cfg = dump["estimator"]
    policy = pglab.as_policy(dump["policy"])
    critic = None
    if est_cfg["baseline"] == "critic":
        critic = critic_table(dump, policy)
    est = pglab.estimate(dump, returns=est_cfg["returns"], baseline=est_cfg["baseline"],
                         normalize=est_cfg["normalize"],
                         discount_weighting=est_cfg["discount_weighting"], env=env,
                         critic_values=critic)
    want = np.array(dump["gradient"])
    got = est.gradient.ravel()
    # The same core code on the same trajectories and θ (read back from %.17g JSON): equal to the
    # bit; measured max |difference| 0 on every setting here.
    assert np.array_equal(got, want), np.abs(got - want).max()
    psi = np.concatenate([tr["psi"] for tr in dump["trajectories"]])
    assert np.array_equal(est.psi, psi)
    if "baseline" in dump["trajectories"][0]:
        b = np.concatenate([tr["baseline"] for tr in dump["trajectories"]])
        assert np.array_equal(est.baseline, b)
    if est_cfg["baseline"] == "optimal":
        assert np.array_equal(est.optimal_baseline, np.array(dump["optimal_baseline"]))
    # The credit ledger: Σ_it c_it = ĝ (summed in another order: rounding only).
    scale = max(1.0, np.abs(want).max())
    assert np.abs(est.contributions.sum(axis=0) - want).max() <= 1e-12 * scale * len(psi)
    assert est.ledger["residual"] <= 1e-12 * scale * len(psi)
    return est


@pytest.mark.parametrize("setting", list(settings(finite=True)), ids=lambda s: "-".join(map(str, s)))
def test_gridworld_every_setting(tmp_path, setting):
    dump = grad_dump(tmp_path, "gridworld-reinforce", sets_of(*setting),
                     extra=["--iterations", "2", "--seed", "3"])
    check_against_dump(dump, env=pglab.make_from_scenario("gridworld-reinforce"))


@pytest.mark.parametrize("setting", list(settings(finite=True)), ids=lambda s: "-".join(map(str, s)))
def test_bandit_every_setting(tmp_path, setting):
    dump = grad_dump(tmp_path, "bandit-reinforce", sets_of(*setting), extra=["--seed", "9"])
    check_against_dump(dump, env=pglab.make_from_scenario("bandit-reinforce"))


@pytest.mark.parametrize("setting", [x for x in settings(finite=True) if x[1] == "exact-value"],
                         ids=lambda s: "-".join(map(str, s)))
def test_short_corridor_exact_value_reads_the_dumps_states(tmp_path, setting):
    # The corridor's three states show one observation: V(s_t) needs the dump's "state" per step
    # (the observation index, which the estimate used before the dump carried them, gave ĝ = 2.46
    # where the dump says 12.81 at this seed).
    dump = grad_dump(tmp_path, "short-corridor-reinforce", sets_of(*setting),
                     extra=["--iterations", "2", "--seed", "11"])
    env = pglab.make_from_scenario("short-corridor-reinforce")
    assert all(len(tr["state"]) == len(tr["actions"]) for tr in dump["trajectories"])
    assert len({s for tr in dump["trajectories"] for s in tr["state"]}) > 1
    check_against_dump(dump, env=env)
    # Without them the estimate refuses rather than read V at the observation's index.
    for tr in dump["trajectories"]:
        del tr["state"]
    with pytest.raises(ValueError, match='trajectory 0: "state" is missing; the exact-value'):
        pglab.estimate(dump, env=env)
    # The same through a pglab.Batch built from those dicts (it read V at the observation's index
    # without a word: ĝ −144.38 where the dump says −145.48; audit a12 F12), while a Batch of the
    # dump with its states still estimates.
    for batch in (pglab.as_batch(dump["trajectories"], True),
                  pglab.Batch.from_trajectories(dump["trajectories"], True)):
        with pytest.raises(ValueError, match='"state" is missing; the exact-value'):
            pglab.estimate(batch, dump["policy"], gamma=1.0, env=env, returns=setting[0],
                           baseline="exact-value", normalize=setting[2],
                           discount_weighting=setting[3])


# No critic settings: without the critic baseline no critic learns, and --set refuses them.
CARTPOLE = ["policy.hidden=8,8"]


@pytest.mark.parametrize("setting", list(settings(finite=False, critic=False)),
                         ids=lambda s: "-".join(map(str, s)))
def test_cartpole_mlp_every_setting(tmp_path, setting):
    # The mlp critic's network is not in the dump, so its baseline is left out here (the tabular
    # critic is checked above).
    dump = grad_dump(tmp_path, "cartpole-reinforce", CARTPOLE + sets_of(*setting),
                     extra=["--seed", "4"])
    check_against_dump(dump)


# ---- Gaussian policies (continuous actions): the dump's actions are the samples u, its policy
# block a Gaussian's (README › Continuous actions). Every REINFORCE setting applies to the
# continuous bandit, the exact-value baseline through its quadrature oracle.
@pytest.mark.parametrize("setting", list(settings(finite=True)), ids=lambda s: "-".join(map(str, s)))
def test_continuous_bandit_every_setting(tmp_path, setting):
    # Two iterations: the critic has learned (V ≠ 0) and θ is not the initial one.
    dump = grad_dump(tmp_path, "continuous-bandit-reinforce", sets_of(*setting),
                     extra=["--iterations", "2", "--seed", "5"])
    assert dump["policy"]["kind"] == "gaussian"
    est = check_against_dump(dump, env=pglab.make_from_scenario("continuous-bandit-reinforce"))
    # The ledger's prob column is the density π(u) at each sampled u (ledger.cpp reads exp(logp),
    # which a dump does not carry: estimate fills it from the policy).
    u = np.array([a for tr in dump["trajectories"] for a in tr["actions"]])
    dens = [np.exp(est.policy.log_prob(None, x)) for x in u]
    assert np.allclose(est.ledger["prob"], dens, rtol=1e-14, atol=0)


def test_continuous_bandit_from_lists_and_a_scenario_policy(tmp_path):
    # The same ĝ from trajectory dicts written by hand: actions as one number per step (action_dim
    # 1) or as [u]; the policy from the scenario with the dump's θ; γ given.
    dump = grad_dump(tmp_path, "continuous-bandit-reinforce", extra=["--iterations", "3"])
    policy = pglab.Policy.from_scenario("continuous-bandit-reinforce")
    policy.params = pglab.Policy.from_dump(dump["policy"]).params
    cfg = dump["estimator"]
    want = np.array(dump["gradient"])
    for as_float in (True, False):
        trajs = [{"obs": tr["obs"], "rewards": tr["rewards"], "terminated": tr["terminated"],
                  "truncated": tr["truncated"],
                  "actions": [a[0] if as_float else a for a in tr["actions"]]}
                 for tr in dump["trajectories"]]
        est = pglab.estimate(trajs, policy, gamma=dump["gamma"], returns=cfg["returns"],
                             baseline=cfg["baseline"])
        assert np.array_equal(est.gradient, want)
    # A trajectory's actions of the wrong width, a NaN action, and discrete trajectories for a
    # Gaussian are refused by name.
    bad = [dict(trajs[0], actions=[[0.1, 0.2]])]
    with pytest.raises(ValueError, match=r"trajectory 0: continuous actions are 1 number\(s\)"):
        pglab.estimate(bad, policy, gamma=1.0)
    with pytest.raises(ValueError, match="trajectory 0: action value nan at index 0 is not finite"):
        pglab.estimate([dict(trajs[0], actions=[float("nan")])], policy, gamma=1.0)
    discrete = pglab.Batch.from_trajectories([dict(trajs[0], actions=[0])], False)
    with pytest.raises(ValueError, match="has discrete actions; the gaussian policy takes 1"):
        pglab.estimate(discrete, policy, gamma=1.0)
    with pytest.raises(ValueError, match="estimate_off_policy takes softmax policies only"):
        pglab.estimate_off_policy(dump)


@pytest.mark.parametrize("setting", [("reward-to-go", "none", False, False),
                                     ("reward-to-go", "mean", True, True),
                                     ("total", "leave-one-out", False, False),
                                     ("total", "optimal", False, False)],
                         ids=lambda s: "-".join(map(str, s)))
def test_pendulum_reinforce_gaussian_network(tmp_path, setting):
    # A Gaussian with a mean network and learned log σ on Pendulum's features, 200-step episodes.
    sets = ["algorithm.num_steps=0", "algorithm.name=reinforce", "algorithm.batch_episodes=3",
            "policy.hidden=8"]
    dump = grad_dump(tmp_path, "pendulum-ppo", sets + sets_of(*setting), extra=["--seed", "2"])
    assert dump["policy"]["kind"] == "gaussian" and "layers" in dump["policy"]
    check_against_dump(dump)


def test_another_setting_differs(tmp_path):
    # The comparisons above can fail: the same trajectories under another setting give another ĝ.
    dump = grad_dump(tmp_path, "gridworld-reinforce", sets_of("reward-to-go", "mean", False, True))
    other = pglab.estimate(dump, baseline="none", discount_weighting=True)
    assert np.abs(other.gradient.ravel() - np.array(dump["gradient"])).max() > 1e-3


@pytest.mark.parametrize("weighting", ["trajectory", "per-step", "per-decision"])
@pytest.mark.parametrize("truncate", [0.0, 1.05])
def test_off_policy_equals_dump(tmp_path, weighting, truncate):
    dump = grad_dump(tmp_path, "off-policy-gridworld",
                     [f"offpolicy.weighting={weighting}", f"offpolicy.truncate={truncate}"],
                     extra=["--iterations", "4", "--seed", "3"])
    cfg = dump["estimator"]
    est, w = pglab.estimate_off_policy(dump, returns=cfg["returns"], baseline=cfg["baseline"],
                                       normalize=cfg["normalize"],
                                       discount_weighting=cfg["discount_weighting"],
                                       weighting=weighting, truncate=truncate,
                                       env=pglab.make_from_scenario("off-policy-gridworld"))
    assert np.array_equal(est.gradient.ravel(), np.array(dump["gradient"]))
    assert np.array_equal(w["w"], np.array(dump["algorithm"]["w"]))
    assert w["ess"] == dump["algorithm"]["ess"]
    weight = np.concatenate([tr["weight"] for tr in dump["trajectories"]])
    assert np.array_equal(w["weight"], weight)


def test_off_policy_dump_gives_its_weighting_and_truncate(tmp_path):
    # Left out, weighting and truncate are the dump's (they were per-decision and 0 whatever the
    # dump said: |Δĝ| 0.087 for a trajectory-weighted, truncated dump), as its estimator settings.
    dump = grad_dump(tmp_path, "off-policy-gridworld",
                     ["offpolicy.weighting=trajectory", "offpolicy.truncate=2"],
                     extra=["--iterations", "4", "--seed", "3"])
    est, w = pglab.estimate_off_policy(dump)
    assert np.array_equal(est.gradient.ravel(), np.array(dump["gradient"]))
    assert np.array_equal(w["w"], np.array(dump["algorithm"]["w"]))
    other, _ = pglab.estimate_off_policy(dump, weighting="per-decision", truncate=0.0)
    assert np.abs(other.gradient.ravel() - np.array(dump["gradient"])).max() > 1e-3


@pytest.mark.parametrize("scenario, function", [("off-policy-gridworld", "estimate_off_policy"),
                                                ("a2c-gridworld", "advantages"),
                                                ("cartpole-ppo", "ppo_policy_gradient"),
                                                ("grpo-token-task", "grpo_objective"),
                                                ("sac-gridworld", "Q critic")])
def test_estimate_refuses_another_algorithms_dump(tmp_path, scenario, function):
    # REINFORCE's ĝ on another algorithm's batch is a number unrelated to the dump's: refused,
    # naming what computes that algorithm's pieces.
    dump = grad_dump(tmp_path, scenario, [], extra=["--iterations", "2"])
    with pytest.raises(ValueError, match=function):
        pglab.estimate(dump)


@pytest.mark.parametrize("scenario, function", [("a2c-gridworld", "advantages"),
                                                ("ppo-clipping-demo", "ppo_policy_gradient"),
                                                ("grpo-token-task", "grpo_objective"),
                                                ("sac-gridworld", "Q critic")])
def test_estimate_off_policy_refuses_another_algorithms_dump(tmp_path, scenario, function):
    # The dump's estimator block is the scenario's unused REINFORCE default (normalize: true): the
    # refusal was about normalisation, then about critic values, never about the dump.
    dump = grad_dump(tmp_path, scenario, [], extra=["--iterations", "2"])
    name = dump["scenario"]["algorithm"]["name"]
    with pytest.raises(ValueError, match=rf"^this batch dump is {name}'s: estimate_off_policy\(\) "
                                         rf"recomputes the off-policy ĝ .*{function}"):
        pglab.estimate_off_policy(dump)


def test_npg_dump_is_reinforces_estimate(tmp_path):
    dump = grad_dump(tmp_path, "npg-gridworld", [], extra=["--iterations", "2"])
    assert np.array_equal(pglab.estimate(dump).gradient.ravel(), np.array(dump["gradient"]))


def test_per_sample_arguments_are_one_dimensional():
    # Two groups of 4 as a (2, 4) table were read as one group of 8 (baseline 0.4625).
    with pytest.raises(ValueError, match=r"rewards of shape \(2, 4\).*one group per call"):
        pglab.grpo_group_advantages(np.array([[0.0, 1.0, 0.0, 1.0], [1.0, 1.0, 0.0, 0.0]]))
    with pytest.raises(ValueError, match=r"target of shape \(2, 3\)"):
        pglab.ppo_value_loss(np.zeros(6), np.zeros(6), np.ones((2, 3)))
    # A column (a critic head's (n, 1) output) is one value per entry.
    adv, _ = pglab.grpo_group_advantages(np.array([[0.0], [1.0], [0.0], [1.0]]))
    assert np.allclose(adv, pglab.grpo_group_advantages(np.array([0.0, 1.0, 0.0, 1.0]))[0])


# a2c-cartpole and cartpole-ppo collect segments whose pieces are cut mid-episode (`cut`,
# bootstrapped from V(s_T)): read as terminated, their Â were off by γ V(s_T).
@pytest.mark.parametrize("scenario", ["a2c-gridworld", "a2c-cartpole", "cartpole-ppo"])
@pytest.mark.parametrize("estimator", ["mc", "td0", "nstep", "gae"])
def test_advantages_equal_a2c_dump(tmp_path, scenario, estimator):
    dump = grad_dump(tmp_path, scenario, [f"advantage.estimator={estimator}"],
                     extra=["--iterations", "3"])
    if scenario != "a2c-gridworld":
        assert any(tr["cut"] and tr["final_value"] != 0 for tr in dump["trajectories"])
    adv_cfg = dump["algorithm"]["advantage"]
    trajs = dump["trajectories"]
    values = np.concatenate([tr["values"] for tr in trajs])
    final = np.array([tr["final_value"] for tr in trajs])
    adv, targets = pglab.advantages(dump, values, final, estimator, adv_cfg["gamma"],
                                    adv_cfg["lambda"], adv_cfg["n"])
    assert np.array_equal(adv, np.concatenate([tr["advantages"] for tr in trajs]))
    assert np.array_equal(targets, np.concatenate([tr["targets"] for tr in trajs]))


def test_gae_against_naive_loop():
    # One trajectory of 6 steps, truncated: GAE(λ) by its definition Σ_l (γλ)^l δ_{t+l}.
    r = np.array([1.0, -0.5, 0.25, 0.0, 2.0, -1.0])
    v = np.array([0.3, -0.2, 0.5, 0.1, 0.9, 0.4])
    v_end, g, lam = 0.7, 0.9, 0.8
    traj = [{"obs": [[0]] * 6, "actions": [0] * 6, "rewards": r, "terminated": False,
             "truncated": True}]
    adv, _ = pglab.advantages(traj, v, [v_end], "gae", g, lam)
    nv = np.append(v[1:], v_end)
    delta = r + g * nv - v
    naive = [sum((g * lam) ** l * delta[t + l] for l in range(6 - t)) for t in range(6)]
    assert np.allclose(adv, naive, rtol=1e-13, atol=1e-15)


def test_kl_ppo_grpo_pieces():
    log_r = np.array([-0.5, 0.0, 0.3, 2.0])
    r = np.exp(log_r)
    assert np.array_equal(pglab.kl_k1(log_r), -log_r)
    assert np.array_equal(pglab.kl_k2(log_r), 0.5 * log_r**2)
    assert np.allclose(pglab.kl_k3(log_r), (r - 1) - log_r, rtol=1e-14, atol=1e-16)
    adv = np.array([1.0, -1.0, 1.0, -1.0])
    assert np.array_equal(pglab.clipped_surrogate(r, adv, 0.2),
                          np.minimum(r * adv, np.clip(r, 0.8, 1.2) * adv))
    R = np.array([1.0, 0.0, 0.0, 1.0, 1.0])
    a, b = pglab.grpo_group_advantages(R)
    assert np.allclose(a, (R - R.mean()) / (R.std() + 1e-4), rtol=1e-14)
    zero, _ = pglab.grpo_group_advantages(np.ones(4))
    assert np.array_equal(zero, np.zeros(4))


def test_ppo_gradient_is_reinforce_at_theta_old(tmp_path):
    # At θ = θ_old every ratio is 1 and nothing is clipped: PPO's gradient is (1/M) Σ Â ∇log π.
    dump = grad_dump(tmp_path, "gridworld-reinforce", extra=["--seed", "2"])
    policy = pglab.as_policy(dump["policy"])
    batch = pglab.as_batch(dump, tabular=True)
    M = batch.num_steps
    adv = np.random.default_rng(0).normal(size=M)
    logp_old = np.concatenate([[np.log(policy.probs(o[0])[a]) for o, a in
                                zip(tr["obs"], tr["actions"])] for tr in dump["trajectories"]])
    out = pglab.ppo_policy_gradient(policy, batch, logp_old, adv)
    assert np.allclose(out["ratio"], 1.0, rtol=0, atol=1e-14)
    want = np.zeros(policy.num_params)
    k = 0
    for tr in dump["trajectories"]:
        for o, a in zip(tr["obs"], tr["actions"]):
            want += adv[k] * policy.grad_log_prob(o[0], a) / M
            k += 1
    assert np.allclose(out["grad"].ravel(), want, rtol=1e-12, atol=1e-15)


def test_bad_trajectories_are_value_errors():
    logits = np.zeros((3, 2))
    good = {"obs": [[0], [1]], "actions": [0, 1], "rewards": [0.0, 1.0], "terminated": True}
    pglab.estimate([good], logits, 0.9)
    with pytest.raises(ValueError, match="observation 5"):
        pglab.estimate([dict(good, obs=[[0], [5]])], logits, 0.9)
    with pytest.raises(ValueError, match="action 2"):
        pglab.estimate([dict(good, actions=[0, 2])], logits, 0.9)
    with pytest.raises(ValueError, match="same length"):
        pglab.estimate([dict(good, rewards=[0.0])], logits, 0.9)
    with pytest.raises(ValueError, match="baseline 'avg'"):
        pglab.estimate([good], logits, 0.9, baseline="avg")
    with pytest.raises(ValueError, match="exact-value needs env"):
        pglab.estimate([good], logits, 0.9, baseline="exact-value")


def test_optimal_baseline_refuses_what_the_scenario_refuses():
    # The CLI and a session refuse optimal × normalize and optimal × reward-to-go with these
    # messages; estimate() once ignored normalize=True silently (audit a12 F2). Both come from one
    # core function, so the words are the scenario's.
    logits = np.zeros((3, 2))
    good = {"obs": [[0], [1]], "actions": [0, 1], "rewards": [0.0, 1.0], "terminated": True}
    pglab.estimate([good], logits, 0.9, returns="total", baseline="optimal")
    with pytest.raises(ValueError, match="estimator.normalize: optimal is a per-parameter "
                                         "baseline and cannot be normalised"):
        pglab.estimate([good], logits, 0.9, returns="total", baseline="optimal", normalize=True)
    with pytest.raises(ValueError, match="estimator.baseline: optimal is defined for "
                                         "returns=total only"):
        pglab.estimate([good], logits, 0.9, baseline="optimal")
    with pytest.raises(ValueError, match="estimator.baseline: off-policy"):
        pglab.estimate_off_policy([dict(good, logp=[np.log(0.5)] * 2)], logits, 0.9,
                                  returns="total", baseline="optimal")
    with pytest.raises(ValueError, match="estimator.normalize: optimal is a per-parameter"):
        pglab.Session("gridworld-reinforce", sets=["estimator.returns=total",
                                                   "estimator.baseline=optimal",
                                                   "estimator.normalize=true"])


def test_a_trajectory_must_say_how_it_ended():
    # V(s_T) is 0 after a termination and final_values' entry after a truncation or a cut; an end
    # no flag states was read as terminated and final_values ignored (audit a12 F9).
    base = {"obs": [0, 1, 2], "actions": [0, 1, 0], "rewards": [1.0, 1.0, 1.0]}
    V, FV = np.array([0.5, 0.5, 0.5]), np.array([10.0])
    for flags in ({"terminated": False, "truncated": False}, {}):
        with pytest.raises(ValueError, match='trajectory 0: ends neither terminated, truncated '
                                             'nor cut; give "terminated": True'):
            pglab.advantages([dict(base, **flags)], V, FV, "mc", gamma=0.9)
        with pytest.raises(ValueError, match="trajectory 0: ends neither"):
            pglab.estimate([dict(base, **flags)], np.zeros((3, 2)), 0.9)
    cut, _ = pglab.advantages([dict(base, cut=True)], V, FV, "mc", gamma=0.9)
    assert np.allclose(cut, 3 * [1 + 0.9 + 0.81 + 0.729 * 10 - 0.5], rtol=0, atol=1e-12)
    term, _ = pglab.advantages([dict(base, terminated=True)], V, FV, "mc", gamma=0.9)
    assert np.allclose(term, [2.71 - 0.5, 1.9 - 0.5, 0.5], rtol=0, atol=1e-12)


def test_advantages_take_a_dumps_settings(tmp_path):
    # advantages(dump, V, FV) used γ 0.99, gae, λ 0.95 whatever the dump said (audit a12 F8): a
    # dump of γ 0.9 and nstep n 4 was off by 0.023 (max |Â| 0.12). With a dump, what is left out
    # is the dump's, as estimate(dump) does; without one, gamma is required.
    dump = grad_dump(tmp_path, "a2c-online-gridworld", ["env.gamma=0.9"],
                     extra=["--iterations", "2"])
    assert dump["algorithm"]["advantage"]["gamma"] == 0.9
    trs = dump["trajectories"]
    V = np.concatenate([tr["values"] for tr in trs])
    FV = np.array([tr["final_value"] for tr in trs])
    want = np.concatenate([tr["advantages"] for tr in trs])
    for adv, targets in (pglab.advantages(dump, V, FV), pglab.advantages(dump)):
        assert np.array_equal(adv, want)
        assert np.array_equal(targets, np.concatenate([tr["targets"] for tr in trs]))
    other, _ = pglab.advantages(dump, gamma=0.99)  # an explicit argument still wins
    assert not np.allclose(other, want)
    with pytest.raises(ValueError, match="give gamma="):
        pglab.advantages(trs, V, FV)
    with pytest.raises(ValueError, match="give values="):
        pglab.advantages(trs, gamma=0.9)


def test_ppo_value_loss_returns_the_loss_and_its_scaled_negated_derivative():
    # (L_V, d_v): L_V unscaled, d_v = −c₁ ∂L_V/∂v (the critic's ascent direction). Both the
    # docstring and the README say so; help() showed only handle signatures (audit a12 F3).
    rng = np.random.default_rng(1)
    v, vo, y = rng.normal(size=6), rng.normal(size=6), rng.normal(size=6)
    L, dv = pglab.ppo_value_loss(v, vo, y, clip=False, eps=0.2, value_coef=0.5)
    assert L == pytest.approx(0.5 * np.mean((v - y) ** 2), rel=1e-14)
    assert np.allclose(dv, -0.5 * (v - y) / 6, rtol=1e-14, atol=0)
    docs = {f: getattr(pglab, f).__doc__ or "" for f in
            ("ppo_value_loss", "ppo_policy_gradient", "grpo_group_advantages", "kl_k1", "kl_k2",
             "kl_k3")}
    assert "−value_coef · ∂L_V/∂v_j" in docs["ppo_value_loss"]
    assert "WITHOUT the entropy bonus" in docs["ppo_policy_gradient"].replace(
        "without the entropy bonus", "WITHOUT the entropy bonus")
    assert "Returns (adv, baseline)" in docs["grpo_group_advantages"]
    assert "−log r" in docs["kl_k1"] and "½ (log r)²" in docs["kl_k2"]
    assert "(r − 1) − log r" in docs["kl_k3"]


def test_grpo_objective_equals_the_dumps_gradient(tmp_path):
    # The app's GRPO objective and ĝ from Python (audit a12 F11: only the group advantages were
    # there). At θ_old (the dump's policy) r = 1 and ∇J is the dump's gradient.
    dump = grad_dump(tmp_path, "grpo-token-task", extra=["--iterations", "40"])
    trs = dump["trajectories"]
    out = pglab.grpo_objective(trajectories=dump)
    want = np.asarray(dump["gradient"]).reshape(out["grad"].shape)
    assert np.abs(want).max() > 0
    assert np.allclose(out["grad"], want, rtol=0, atol=1e-12 * np.abs(want).max())
    assert np.allclose(out["ratio"], 1.0, rtol=0, atol=1e-12) and out["clipped"] == 0
    psi = np.concatenate([tr["psi"] for tr in trs])
    assert np.allclose(out["weight"] * len(trs), psi, rtol=0, atol=1e-12)
    # The same with every argument given, the advantages from grpo_group_advantages.
    al = dump["algorithm"]
    G = al["group_size"]
    adv = np.concatenate([pglab.grpo_group_advantages(
        [tr["reward"] for tr in trs[g:g + G]], std_normalize=al["std_normalize"],
        leave_one_out=al["leave_one_out"], eps=al["eps"])[0] for g in range(0, len(trs), G)])
    lo = np.concatenate([tr["logp_old"] for tr in trs])
    lr = np.concatenate([tr["logp_ref"] for tr in trs])
    again = pglab.grpo_objective(dump["policy"], trs, lo, lr, adv, al["clip_eps"], al["kl_coef"])
    assert np.allclose(again["grad"], want, rtol=0, atol=1e-12 * np.abs(want).max())
    # Away from θ_old (clipping active on some tokens) grad is ∇ of objective: central
    # differences on a few logits.
    L = np.asarray(dump["policy"]["logits"])
    theta = L + 0.3 * np.random.default_rng(0).normal(size=L.shape)
    at = pglab.grpo_objective(theta, trs, lo, lr, adv, 0.2, al["kl_coef"])
    assert at["clipped"] > 0
    h = 1e-6
    for idx in [tuple(np.unravel_index(k, L.shape)) for k in np.argsort(-np.abs(at["grad"]).ravel())[:5]]:
        up, dn = theta.copy(), theta.copy()
        up[idx] += h
        dn[idx] -= h
        fd = (pglab.grpo_objective(up, trs, lo, lr, adv, 0.2, al["kl_coef"])["objective"] -
              pglab.grpo_objective(dn, trs, lo, lr, adv, 0.2, al["kl_coef"])["objective"]) / (2 * h)
        assert fd == pytest.approx(at["grad"][idx], rel=1e-5, abs=1e-9)
