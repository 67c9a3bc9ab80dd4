#!/usr/bin/env python3
"""Independent check of pglab batch dumps (format pglab.batch/1, DESIGN.md §3 and §4).

    check_dump.py [--self-test] [--fd-directions K] DUMP.json [DUMP.json ...]

Recomputes everything a dump claims from the dump alone, in pure Python (standard library only),
sharing no code with pglab:

  1. the policy (tabular softmax from policy.logits; MLP from policy.layers) and ∇log π by hand
     (backpropagation for the MLP), flattened in the dump's layout;
  2. the estimator of DESIGN.md §3: returns, every baseline, normalisation, discount weighting (γ^t
     on ψ for reward-to-go only; total returns ignore the flag), and
     ĝ = (1/N) Σ_i Σ_t ∇log π ψ; compared with `gradient` (‖a − b‖ ≤ 1e-9 · max(1, ‖b‖)), and the
     per-step `baseline` / `psi` arrays and `optimal_baseline` where present;
  3. off-policy dumps (README › Off-policy): ρ, ρ_0:t, the applied (capped) weights, the uncapped
     W_i and ESS recomputed from the target logits and the behaviour log-probs, and ĝ from ψ′;
  4. A2C and PPO dumps (README › A2C, PPO): Â by the dumped advantage estimator (mc, td0, nstep,
     gae) from the critic's `values` and `final_value`, per episode or segment, the `targets`,
     ψ = Â (standardised when normalize), ĝ = (1/M) Σ ∇log π ψ over the M steps, and PPO's
     `logp_old` = log π of the dumped θ_old;
  5. GRPO dumps (README › GRPO): rewards, group baselines and σ, Â_i, `logp_old`,
     ψ_it = (Â_i − β(1 − π_ref/π_old))/|o_i| and ĝ = (1/N) Σ ∇log π ψ;
  6. with `model` (dense `P`, or `P_sparse`) and `exact`: J and ∇J (policy-gradient theorem over
     the finite or infinite horizon), ∇J confirmed by central finite differences of our own J; the
     exact-value baseline against V_t(s) at every step whose state the dump gives (`state`, checked
     against the model and the observations) or the observations identify.

Algorithms covered: reinforce, npg, trpo, off-policy, a2c, ppo, grpo (COVERED below). A dump of
another algorithm (sac: its ĝ runs through the critics' Q) is not recomputed: the checker prints
"NOT COVERED <file>: … dumps are checked by <test>" and exits 3.

Exit status 0 when every dump matches, 1 when one does not (each failing dump names its first
mismatch), 2 on bad usage or an unreadable file, 3 when none failed but some dump's algorithm is
not covered. --self-test checks each dump, then perturbs it (the gradient by 1e-6 relative, one
reward, J; off-policy: W, the ESS, and W/ESS taken from the capped weights) and requires every
perturbation to be reported as a mismatch.
"""

import copy
import hashlib
import json
import math
import random
import sys

GRAD_TOL = 1e-9       # estimator gradient, relative to max(1, ‖b‖)
STEP_TOL = 1e-8       # per-step baseline / ψ, relative to max(1, |b|)
J_TOL = 1e-8          # exact J
EXACT_GRAD_TOL = 1e-7 # exact ∇J
FD_TOL = 1e-6         # finite differences of our own J against our ∇J
FD_STEP = 1e-5
FULL_FD_MAX_PARAMS = 256
# policy.precision = float32: the dump's network ran in float, this checker recomputes in double.
# Each network output or gradient is within 2e-5 of its scale (tests/core/test_mlp.cpp,
# Float32TracksFloat64: measured ≤ 4.3e-7), and ĝ and ψ are sums of such terms with independent
# rounding, so ĝ and the per-step values get 1e-4 (relative to max(1, |b|)) instead.
FLOAT32_TOL = 1e-4


def use_precision(d):
    """Sets the estimator tolerances for the precision of the dump's policy network."""
    global GRAD_TOL, STEP_TOL
    f32 = isinstance(d.get("policy"), dict) and d["policy"].get("precision") == "float32"
    GRAD_TOL = FLOAT32_TOL if f32 else 1e-9
    STEP_TOL = FLOAT32_TOL if f32 else 1e-8


class Mismatch(Exception):
    """The first disagreement between the dump and the recomputation."""


# ----------------------------------------------------------------------------- small vector helpers

def norm(v):
    return math.sqrt(math.fsum(x * x for x in v))


def diff_norm(a, b):
    return math.sqrt(math.fsum((x - y) * (x - y) for x, y in zip(a, b)))


def worst_index(a, b):
    best, k = -1.0, 0
    for i, (x, y) in enumerate(zip(a, b)):
        if abs(x - y) > best:
            best, k = abs(x - y), i
    return k


def compare_vectors(what, mine, theirs, tol, floor=1.0):
    if len(mine) != len(theirs):
        raise Mismatch("%s: length %d in the dump, expected %d" % (what, len(theirs), len(mine)))
    err = diff_norm(mine, theirs)
    scale = max(floor, norm(theirs))
    if not (err <= tol * scale):
        k = worst_index(mine, theirs)
        raise Mismatch("%s: relative error %.3e > %.0e (‖a−b‖ = %.6e, scale %.6e); worst component %d: "
                       "dump %.17g, recomputed %.17g" % (what, err / scale, tol, err, scale, k, theirs[k], mine[k]))


def compare_scalar(what, mine, theirs, tol, floor=1.0):
    scale = max(floor, abs(theirs))
    if not (abs(mine - theirs) <= tol * scale):
        raise Mismatch("%s: dump %.17g, recomputed %.17g (relative error %.3e > %.0e)"
                       % (what, theirs, mine, abs(mine - theirs) / scale, tol))


def softmax(z):
    m = max(z)
    e = [math.exp(x - m) for x in z]
    s = math.fsum(e)
    return [x / s for x in e]


# ----------------------------------------------------------------------------- policies

class TabularPolicy:
    """π(a|o) = softmax(θ[o, :]); θ flattened row-major (o·A + a)."""

    kind = "tabular"

    def __init__(self, logits, num_actions):
        self.A = num_actions
        self.O = len(logits)
        for row in logits:
            if len(row) != num_actions:
                raise Mismatch("policy.logits: a row has %d entries, num_actions is %d" % (len(row), num_actions))
        self.theta = [float(x) for row in logits for x in row]

    def num_params(self):
        return len(self.theta)

    def with_params(self, theta):
        p = copy.copy(self)
        p.theta = list(theta)
        return p

    @staticmethod
    def obs_key(obs):
        if len(obs) != 1 or int(obs[0]) != obs[0]:
            raise Mismatch("tabular observation %r is not a one-element index list" % (obs,))
        return int(obs[0])

    def probs(self, o):
        if not 0 <= o < self.O:
            raise Mismatch("observation index %d outside the %d rows of policy.logits" % (o, self.O))
        return softmax(self.theta[o * self.A:(o + 1) * self.A])

    def log_prob(self, o, a):
        return math.log(self.probs(o)[a])

    def add_grad_log_prob(self, o, a, scale, g):
        # ∂ log π(a|o) / ∂θ[o, c] = 1[c = a] − π(c|o)
        p = self.probs(o)
        base = o * self.A
        for c in range(self.A):
            g[base + c] -= scale * p[c]
        g[base + a] += scale


class MlpPolicy:
    """Logits = W_L h_{L−1} + b_L, h_l = act(W_l h_{l−1} + b_l), h_0 = x; θ per layer W row-major, then b."""

    kind = "mlp"

    def __init__(self, layers, activation, num_actions):
        if activation not in ("tanh", "relu"):
            raise Mismatch("policy.activation %r is neither tanh nor relu" % (activation,))
        self.act = activation
        self.A = num_actions
        self.shapes = []
        theta = []
        for l, layer in enumerate(layers):
            W, b = layer["W"], layer["b"]
            rows, cols = len(W), len(W[0]) if W else 0
            if len(b) != rows or any(len(r) != cols for r in W):
                raise Mismatch("policy.layers[%d]: W is not %d×%d or b has the wrong length" % (l, rows, cols))
            if l > 0 and cols != self.shapes[-1][0]:
                raise Mismatch("policy.layers[%d]: %d inputs but the previous layer has %d outputs"
                               % (l, cols, self.shapes[-1][0]))
            self.shapes.append((rows, cols))
            theta.extend(float(x) for r in W for x in r)
            theta.extend(float(x) for x in b)
        if not self.shapes or self.shapes[-1][0] != num_actions:
            raise Mismatch("policy.layers: the last layer must have num_actions = %d outputs" % num_actions)
        self.theta = theta

    def num_params(self):
        return len(self.theta)

    def with_params(self, theta):
        p = copy.copy(self)
        p.theta = list(theta)
        return p

    @staticmethod
    def obs_key(obs):
        return tuple(float(x) for x in obs)

    def _forward(self, x):
        """Returns the per-layer inputs and pre-activations, and the logits."""
        if len(x) != self.shapes[0][1]:
            raise Mismatch("observation of length %d, the MLP takes %d inputs" % (len(x), self.shapes[0][1]))
        inputs, pre = [], []
        h = list(x)
        off = 0
        L = len(self.shapes)
        th = self.theta
        for l, (rows, cols) in enumerate(self.shapes):
            W0 = off
            b0 = off + rows * cols
            z = []
            for r in range(rows):
                s = th[b0 + r]
                w = W0 + r * cols
                for c in range(cols):
                    s += th[w + c] * h[c]
                z.append(s)
            inputs.append(h)
            pre.append(z)
            off = b0 + rows
            if l + 1 < L:
                h = [math.tanh(v) for v in z] if self.act == "tanh" else [v if v > 0.0 else 0.0 for v in z]
            else:
                h = z
        return inputs, pre, h

    def probs(self, x):
        return softmax(self._forward(x)[2])

    def log_prob(self, x, a):
        z = self._forward(x)[2]
        m = max(z)
        return z[a] - m - math.log(math.fsum(math.exp(v - m) for v in z))

    def add_grad_log_prob(self, x, a, scale, g):
        inputs, pre, logits = self._forward(x)
        p = softmax(logits)
        delta = [-scale * pc for pc in p]  # ∂(scale·log π(a))/∂logits = scale·(onehot(a) − π)
        delta[a] += scale
        self._backward(inputs, pre, delta, g)

    def _backward(self, inputs, pre, delta, g):
        """g += ∂(Σ_r delta_r · output_r)/∂θ, after _forward gave inputs and pre."""
        offsets = []
        off = 0
        for rows, cols in self.shapes:
            offsets.append(off)
            off += rows * cols + rows
        th = self.theta
        for l in range(len(self.shapes) - 1, -1, -1):
            rows, cols = self.shapes[l]
            W0 = offsets[l]
            b0 = W0 + rows * cols
            h = inputs[l]
            for r in range(rows):
                d = delta[r]
                if d != 0.0:
                    w = W0 + r * cols
                    for c in range(cols):
                        g[w + c] += d * h[c]
                    g[b0 + r] += d
            if l == 0:
                break
            # δ_{l−1} = (W_lᵀ δ_l) ⊙ act'(z_{l−1})
            back = [0.0] * cols
            for r in range(rows):
                d = delta[r]
                if d != 0.0:
                    w = W0 + r * cols
                    for c in range(cols):
                        back[c] += th[w + c] * d
            zprev = pre[l - 1]
            if self.act == "tanh":
                hprev = inputs[l]  # = tanh(z_{l−1})
                delta = [back[c] * (1.0 - hprev[c] * hprev[c]) for c in range(cols)]
            else:
                delta = [back[c] if zprev[c] > 0.0 else 0.0 for c in range(cols)]


class GaussianPolicy:
    """u ~ N(μ(x), diag σ(x)²): μ (and, state-dependent, log σ) from an MLP on x, or μ free
    without features; θ = [network θ | μ] then [log σ] when state-independent. Actions are the
    samples u; a squashed policy's log-det term does not depend on θ for a stored u, so
    ∇θ log π = ∇θ log N(u; μ, σ): ∂/∂μ = (u − μ)/σ², ∂/∂log σ = ((u − μ)/σ)² − 1."""

    kind = "gaussian"

    def __init__(self, pol):
        self.d = int(pol["action_dim"])
        self.dependent = pol["log_std_kind"] == "state-dependent"
        self.squash = bool(pol.get("squash", False))
        self.low = [float(x) for x in pol.get("low", [])]
        self.high = [float(x) for x in pol.get("high", [])]
        self.net = None
        theta = []
        if "layers" in pol:
            out = 2 * self.d if self.dependent else self.d
            self.net = MlpPolicy(pol["layers"], pol.get("activation", "tanh"), out)
            theta.extend(self.net.theta)
        else:
            if self.dependent:
                raise Mismatch("policy: a state-dependent log σ needs the network's layers")
            theta.extend(float(x) for x in pol["mean"])
        self.n_mean = len(theta)
        if not self.dependent:
            theta.extend(float(x) for x in pol["log_std"])
        self.theta = theta

    def num_params(self):
        return len(self.theta)

    def with_params(self, theta):
        p = copy.copy(self)
        p.theta = list(theta)
        if p.net is not None:
            p.net = p.net.with_params(theta[:p.n_mean])
        return p

    @staticmethod
    def obs_key(obs):
        return tuple(float(x) for x in obs)

    def _mean_log_std(self, x):
        if self.net is not None:
            out = self.net._forward(x)[2]
            return out[:self.d], (out[self.d:] if self.dependent else self.theta[self.n_mean:])
        return self.theta[:self.d], self.theta[self.n_mean:]

    def log_prob(self, x, u):
        """log N(u; μ, σ²), minus Σ log |da/du| = log((hi − lo)/2 · (1 − tanh² u)) when squashed."""
        mu, ls = self._mean_log_std(x)
        lp = 0.0
        for i in range(self.d):
            z = (float(u[i]) - mu[i]) / math.exp(ls[i])
            lp += -0.5 * z * z - ls[i] - 0.5 * math.log(2.0 * math.pi)
            if self.squash:
                t = math.tanh(float(u[i]))
                lp -= math.log(0.5 * (self.high[i] - self.low[i]) * (1.0 - t * t))
        return lp

    def add_grad_log_prob(self, x, u, scale, g):
        d = self.d
        if len(u) != d:
            raise Mismatch("an action has %d values, action_dim is %d" % (len(u), d))
        if self.net is not None:
            inputs, pre, out = self.net._forward(x)
            mu = out[:d]
            ls = out[d:] if self.dependent else self.theta[self.n_mean:]
        else:
            inputs = pre = None
            mu = self.theta[:d]
            ls = self.theta[self.n_mean:]
        dmu, dls = [], []
        for i in range(d):
            z = (float(u[i]) - mu[i]) / math.exp(ls[i])
            dmu.append(scale * z / math.exp(ls[i]))
            dls.append(scale * (z * z - 1.0))
        if self.net is not None:
            self.net._backward(inputs, pre, dmu + (dls if self.dependent else []), g)
        else:
            for i in range(d):
                g[i] += dmu[i]
        if not self.dependent:
            for i in range(d):
                g[self.n_mean + i] += dls[i]


def make_policy(d):
    pol = d["policy"]
    A = int(pol["num_actions"])
    if pol["kind"] == "tabular":
        return TabularPolicy(pol["logits"], A)
    if pol["kind"] == "mlp":
        return MlpPolicy(pol["layers"], pol.get("activation", "tanh"), A)
    if pol["kind"] == "gaussian":
        return GaussianPolicy(pol)
    raise Mismatch("policy.kind %r is neither tabular, mlp nor gaussian" % (pol["kind"],))


# ----------------------------------------------------------------------------- the estimator (§3)

def estimator_gradient(d, policy):
    """Returns (gradient, per-step baseline lists, per-step ψ lists, optimal b or None)."""
    gamma = float(d["gamma"])
    est = d["estimator"]
    returns, baseline = est["returns"], est["baseline"]
    normalize, dw = bool(est["normalize"]), bool(est["discount_weighting"])
    if returns not in ("total", "reward-to-go"):
        raise Mismatch("estimator.returns %r unknown" % (returns,))
    trajs = d["trajectories"]
    N = len(trajs)
    if N == 0:
        raise Mismatch("the dump has no trajectories")
    A = getattr(policy, "A", 0)

    obs, acts, G = [], [], []
    for i, tr in enumerate(trajs):
        T = len(tr["actions"])
        if len(tr["obs"]) != T or len(tr["rewards"]) != T:
            raise Mismatch("trajectory %d: obs, actions and rewards differ in length" % i)
        o = [policy.obs_key(x) for x in tr["obs"]]
        if policy.kind == "gaussian":
            a = [[float(v) for v in x] for x in tr["actions"]]
        else:
            a = [int(x) for x in tr["actions"]]
        for t, x in enumerate(a):
            if policy.kind != "gaussian" and not 0 <= x < A:
                raise Mismatch("trajectory %d step %d: action %d outside [0, %d)" % (i, t, x, A))
        # G_t = Σ_{t'≥t} γ^{t'−t} r_t', written as an explicit sum (not the backward recursion).
        r = [float(x) for x in tr["rewards"]]
        g = []
        for t in range(T):
            s, w = 0.0, 1.0
            for k in range(t, T):
                s += w * r[k]
                w *= gamma
            g.append(s)
        obs.append(o)
        acts.append(a)
        G.append(g)
    lens = [len(a) for a in acts]
    R = [g[0] if g else 0.0 for g in G]
    Q = [[R[i]] * lens[i] if returns == "total" else list(G[i]) for i in range(N)]
    M = sum(lens)
    P = policy.num_params()
    Tmax = max(lens) if lens else 0

    # Baselines.
    b = [[0.0] * lens[i] for i in range(N)]
    if baseline in ("none", "optimal"):
        pass
    elif baseline == "mean":
        if returns == "total":
            m = math.fsum(R) / N
        else:
            m = math.fsum(x for q in Q for x in q) / M if M else 0.0
        b = [[m] * lens[i] for i in range(N)]
    elif baseline == "time-mean":
        for t in range(Tmax):
            alive = [i for i in range(N) if lens[i] > t]
            m = math.fsum(Q[j][t] for j in alive) / len(alive)
            for i in alive:
                b[i][t] = m
    elif baseline == "leave-one-out":
        for i in range(N):
            for t in range(lens[i]):
                if returns == "total":
                    others = [R[j] for j in range(N) if j != i]
                else:
                    others = [G[j][t] for j in range(N) if j != i and lens[j] > t]
                b[i][t] = math.fsum(others) / len(others) if others else 0.0
    elif baseline in ("exact-value", "critic"):
        for i, tr in enumerate(trajs):
            if "baseline" not in tr:
                raise Mismatch("trajectory %d: baseline '%s' but no per-step 'baseline' array" % (i, baseline))
            if len(tr["baseline"]) != lens[i]:
                raise Mismatch("trajectory %d: 'baseline' has %d entries for %d steps" % (i, len(tr["baseline"]), lens[i]))
            b[i] = [float(x) for x in tr["baseline"]]
    else:
        raise Mismatch("estimator.baseline %r unknown" % (baseline,))

    grad = [0.0] * P
    if baseline == "optimal":
        if returns != "total" or normalize:
            raise Mismatch("baseline 'optimal' with returns=%s normalize=%s (needs total, false)" % (returns, normalize))
        # b_k = Σ_i g_ik² R_i / Σ_i g_ik²,  g_ik = Σ_t ∂_k log π(a_it|s_it);
        # ĝ_k = (1/N) Σ_i Σ_t ∂_k log π(a_it|s_it) (R_i − b_k): total returns, so discount weighting
        # does not apply.
        num, den = [0.0] * P, [0.0] * P
        gs = []
        for i in range(N):
            gi = [0.0] * P
            for t in range(lens[i]):
                policy.add_grad_log_prob(obs[i][t], acts[i][t], 1.0, gi)
            for k in range(P):
                num[k] += gi[k] * gi[k] * R[i]
                den[k] += gi[k] * gi[k]
            gs.append(gi)
        bk = [num[k] / den[k] if den[k] > 0.0 else 0.0 for k in range(P)]
        for i in range(N):
            gi = gs[i]
            for k in range(P):
                grad[k] += gi[k] * (R[i] - bk[k])
        grad = [x / N for x in grad]
        psi = [list(Q[i]) for i in range(N)]  # ψ is not per step here; the dump keeps Q̂
        return grad, b, psi, bk

    psi = [[Q[i][t] - b[i][t] for t in range(lens[i])] for i in range(N)]
    if normalize and M > 0:
        flat = [x for p in psi for x in p]
        mean = math.fsum(flat) / M
        std = math.sqrt(math.fsum((x - mean) ** 2 for x in flat) / M)
        psi = [[(x - mean) / (std + 1e-8) for x in p] for p in psi]
    # Discount weighting multiplies ψ by γ^t for reward-to-go only (DESIGN.md §3): the total return
    # already weights every reward by γ^t from the episode's start.
    if dw and returns == "reward-to-go":
        psi = [[x * gamma ** t for t, x in enumerate(p)] for p in psi]
    for i in range(N):
        for t in range(lens[i]):
            policy.add_grad_log_prob(obs[i][t], acts[i][t], psi[i][t], grad)
    grad = [x / N for x in grad]
    return grad, b, psi, None


# ----------------------------------------------------------------------------- off-policy (README › Off-policy)

def off_policy_estimate(d, policy, b, psi):
    """Checks an off-policy dump's importance weights against the target policy and the behaviour
    log-probs, and returns (ĝ, ψ′, note) with ψ′ the importance-weighted ψ of the README:

      ρ_it = π(a_it|s_it) / b(a_it|s_it),  ρ_i,0:t = Π_{k≤t} ρ_ik,  W_i = ρ_i,0:T−1 (uncapped),
      ESS = (Σ W)² / Σ W² (uncapped);  every applied weight capped at c̄ = truncate when > 0:
      trajectory ψ′ = min(W, c̄) ψ;  per-step ψ′ = min(ρ_t, c̄) ψ;
      per-decision ψ′_t = w_t (Σ_t' c_tt' r_t' min(ρ_0:max(t,t'), c̄) − min(ρ_0:t, c̄) b_t),
      c_tt' = γ^(t'−t)[t' ≥ t] (reward-to-go) or γ^t' (total), w_t = γ^t for reward-to-go with
      discount weighting, else 1."""
    alg = d["algorithm"]
    gamma = float(d["gamma"])
    est = d["estimator"]
    returns = est["returns"]
    wt_on = bool(est["discount_weighting"]) and returns == "reward-to-go"
    weighting = alg["weighting"]
    if weighting not in ("trajectory", "per-step", "per-decision"):
        raise Mismatch("algorithm.weighting %r unknown" % (weighting,))
    c_bar = float(alg["truncate"])

    def cap(x):
        return min(x, c_bar) if c_bar > 0.0 else x

    behaviour = make_policy({"policy": alg["behaviour_policy"]}) if "behaviour_policy" in alg else None
    trajs = d["trajectories"]
    N = len(trajs)
    grad = [0.0] * policy.num_params()
    Ws, new_psi = [], []
    capped = 0
    for i, tr in enumerate(trajs):
        obs = [policy.obs_key(x) for x in tr["obs"]]
        acts = [int(a) for a in tr["actions"]]
        r = [float(x) for x in tr["rewards"]]
        T = len(acts)
        blogp = [float(x) for x in tr["behaviour_logp"]]
        if len(blogp) != T:
            raise Mismatch("trajectory %d: behaviour_logp has %d entries for %d steps" % (i, len(blogp), T))
        if behaviour is not None:
            for t in range(T):
                compare_scalar("trajectory %d step %d behaviour_logp against behaviour_policy" % (i, t),
                               math.log(behaviour.probs(obs[t])[acts[t]]), blogp[t], STEP_TOL)
        pi = [policy.probs(obs[t])[acts[t]] for t in range(T)]
        rho = [pi[t] / math.exp(blogp[t]) for t in range(T)]
        # ρ_0:t as an explicit product of the ratios (pglab sums logs).
        cum = []
        for t in range(T):
            prod = 1.0
            for k in range(t + 1):
                prod *= rho[k]
            cum.append(prod)
        W = cum[-1] if T else 1.0
        Ws.append(W)
        for name, mine in (("log_rho", [math.log(pi[t]) - blogp[t] for t in range(T)]), ("rho", rho), ("cum_rho", cum)):
            theirs = [float(x) for x in tr[name]]
            if len(theirs) != T:
                raise Mismatch("trajectory %d: %s has %d entries for %d steps" % (i, name, len(theirs), T))
            for t in range(T):
                compare_scalar("trajectory %d step %d %s" % (i, t, name), mine[t], theirs[t], STEP_TOL,
                               floor=1.0 if name == "log_rho" else 1e-300)
        if weighting == "trajectory":
            weight = [cap(W)] * T
            p2 = [weight[t] * psi[i][t] for t in range(T)]
        elif weighting == "per-step":
            weight = [cap(x) for x in rho]
            p2 = [weight[t] * psi[i][t] for t in range(T)]
        else:
            weight = [cap(x) for x in cum]
            p2 = []
            for t in range(T):
                s_ = 0.0
                for u in range(T):
                    c_tu = (gamma ** (u - t) if u >= t else 0.0) if returns == "reward-to-go" else gamma ** u
                    s_ += c_tu * r[u] * weight[max(t, u)]
                p2.append((gamma ** t if wt_on else 1.0) * (s_ - weight[t] * b[i][t]))
        capped += sum(1 for t in range(T) if weight[t] != (W if weighting == "trajectory" else
                                                           rho[t] if weighting == "per-step" else cum[t]))
        theirs = [float(x) for x in tr["weight"]]
        if len(theirs) != T:
            raise Mismatch("trajectory %d: weight has %d entries for %d steps" % (i, len(theirs), T))
        for t in range(T):
            compare_scalar("trajectory %d step %d weight (applied, capped at %g)" % (i, t, c_bar), weight[t], theirs[t],
                           STEP_TOL, floor=1e-300)
        new_psi.append(p2)
        for t in range(T):
            policy.add_grad_log_prob(obs[t], acts[t], p2[t], grad)
    grad = [x / N for x in grad]
    # W_i and the ESS from the uncapped weights.
    theirs_w = [float(x) for x in alg["w"]]
    if len(theirs_w) != N:
        raise Mismatch("algorithm.w has %d entries for %d trajectories" % (len(theirs_w), N))
    for i in range(N):
        compare_scalar("algorithm.w[%d] (W_i = uncapped product of ρ)" % i, Ws[i], theirs_w[i], STEP_TOL, floor=1e-300)
        compare_scalar("algorithm.log_w[%d]" % i, math.log(Ws[i]), float(alg["log_w"][i]), STEP_TOL)
    s1, s2 = math.fsum(Ws), math.fsum(x * x for x in Ws)
    ess = s1 * s1 / s2 if s2 > 0 else 0.0
    compare_scalar("algorithm.ess ((ΣW)²/ΣW², uncapped)", ess, float(alg["ess"]), STEP_TOL)
    return grad, new_psi, "off-policy %s weights, ESS %.3f of %d, %d step weights capped at c̄ = %g" % (
        weighting, ess, N, capped, c_bar)


# ----------------------------------------------------------------------------- A2C and PPO (README › A2C, PPO)

def _actions(policy, tr):
    if policy.kind == "gaussian":
        return [[float(v) for v in x] for x in tr["actions"]]
    return [int(x) for x in tr["actions"]]


def actor_critic_estimate(d, policy):
    """A2C's and PPO's estimate at θ_old from the dump's critic values (README › A2C, PPO), per
    piece (an episode, or a segment of one) with T steps, V_t = `values`, V_T = `final_value` where
    the piece bootstraps (`bootstrap`), else 0:
      mc     Â_t = Σ_{k<T} γ^(k−t) r_k + γ^(T−t) V_T − V_t
      td0    Â_t = δ_t = r_t + γ V_{t+1} − V_t
      nstep  Â_t = Σ_{k<m} γ^k r_{t+k} + γ^m V_{t+m} − V_t,  m = min(n, T − t)
      gae    Â_t = Σ_l (γλ)^l δ_{t+l}
    targets y = Â + V; ψ = Â, standardised over the batch ((Â − mean) / (population std + 1e-8))
    when normalize; ĝ = (1/M) Σ_it ∇log π(a_it|s_it) ψ_it over the batch's M steps. PPO: each step's
    `logp_old` is log π_θold(a|s) of the dumped policy (θ_old). Returns (ĝ, ψ, per-step V, note)."""
    alg = d["algorithm"]
    adv = alg["advantage"]
    kind = adv["estimator"]
    if kind not in ("mc", "td0", "nstep", "gae"):
        raise Mismatch("algorithm.advantage.estimator %r unknown" % (kind,))
    gamma, lam, n = float(adv["gamma"]), float(adv["lambda"]), int(adv["n"])
    compare_scalar("algorithm.advantage.gamma against gamma", gamma, float(d["gamma"]), 0.0)
    if alg.get("gradient_mean_over", "steps") != "steps":
        raise Mismatch("algorithm.gradient_mean_over %r, expected 'steps'" % (alg.get("gradient_mean_over"),))
    trajs = d["trajectories"]
    if not trajs:
        raise Mismatch("the dump has no trajectories")
    A_all, V_all, obs_all, acts_all = [], [], [], []
    for i, tr in enumerate(trajs):
        r = [float(x) for x in tr["rewards"]]
        V = [float(x) for x in tr["values"]]
        T = len(r)
        if len(V) != T or len(tr["actions"]) != T or len(tr["obs"]) != T:
            raise Mismatch("trajectory %d: rewards, values, actions and obs differ in length" % i)
        boot = bool(tr["bootstrap"])
        if boot and tr.get("terminated"):
            raise Mismatch("trajectory %d is terminated but bootstraps from V(s_T)" % i)
        VT = float(tr["final_value"])
        if not boot:
            compare_scalar("trajectory %d final_value (not bootstrapped: 0)" % i, 0.0, VT, 0.0)
        Vx = V + [VT if boot else 0.0]
        delta = [r[t] + gamma * Vx[t + 1] - V[t] for t in range(T)]
        A = []
        for t in range(T):
            if kind == "mc":
                a = math.fsum(gamma ** (k - t) * r[k] for k in range(t, T)) + gamma ** (T - t) * Vx[T] - V[t]
            elif kind == "td0":
                a = delta[t]
            elif kind == "nstep":
                m = min(n, T - t)
                a = math.fsum(gamma ** k * r[t + k] for k in range(m)) + gamma ** m * Vx[t + m] - V[t]
            else:
                a = math.fsum((gamma * lam) ** l * delta[t + l] for l in range(T - t))
            A.append(a)
        for name, mine in (("advantages", A), ("targets", [A[t] + V[t] for t in range(T)])):
            theirs = tr[name]
            if len(theirs) != T:
                raise Mismatch("trajectory %d: %s has %d entries for %d steps" % (i, name, len(theirs), T))
            for t in range(T):
                compare_scalar("trajectory %d step %d %s (%s)" % (i, t, name, kind), mine[t], float(theirs[t]), STEP_TOL)
        if "baseline" in tr:
            for t in range(T):
                compare_scalar("trajectory %d step %d baseline (= V_t)" % (i, t), V[t], float(tr["baseline"][t]), STEP_TOL)
        A_all.append(A)
        V_all.append(V)
        obs_all.append([policy.obs_key(x) for x in tr["obs"]])
        acts_all.append(_actions(policy, tr))
    M = sum(len(a) for a in A_all)
    if "num_steps" in alg and int(alg["num_steps"]) != M:
        raise Mismatch("algorithm.num_steps is %s, the trajectories have %d steps" % (alg["num_steps"], M))
    psi = [list(a) for a in A_all]
    if bool(adv["normalize"]) and M > 0:
        flat = [x for a in A_all for x in a]
        mean = math.fsum(flat) / M
        std = math.sqrt(math.fsum((x - mean) ** 2 for x in flat) / M)
        psi = [[(x - mean) / (std + 1e-8) for x in a] for a in A_all]
    grad = [0.0] * policy.num_params()
    checked_logp = 0
    for i, tr in enumerate(trajs):
        for t in range(len(psi[i])):
            policy.add_grad_log_prob(obs_all[i][t], acts_all[i][t], psi[i][t], grad)
        if "logp_old" in tr:
            lp = tr["logp_old"]
            if len(lp) != len(psi[i]):
                raise Mismatch("trajectory %d: logp_old has %d entries for %d steps" % (i, len(lp), len(psi[i])))
            for t in range(len(lp)):
                compare_scalar("trajectory %d step %d logp_old (log π_θold(a|s) of the dumped policy)" % (i, t),
                               policy.log_prob(obs_all[i][t], acts_all[i][t]), float(lp[t]), STEP_TOL)
                checked_logp += 1
    if alg["name"] == "ppo" and checked_logp == 0:
        raise Mismatch("a PPO dump without logp_old")
    grad = [x / M for x in grad]
    note = "%s: Â by %s over %d pieces, %d steps%s" % (
        alg["name"], kind, len(trajs), M, ", %d logp_old checked" % checked_logp if checked_logp else "")
    return grad, psi, V_all, note


# ----------------------------------------------------------------------------- GRPO (README › GRPO)

def grpo_estimate(d, policy):
    """GRPO's estimate at θ_old (README › GRPO): N = P·G completions in P groups of G (trajectory i
    in group i // G), R_i = Σ_t r_it; b_i the group mean (leave_one_out: of the other G − 1), σ_g the
    population std of the group's rewards; Â_i = (R_i − b_i)/(σ_g + eps) (R_i − b_i without
    std_normalize); ρ_it = exp(logp_ref − logp_old); ψ_it = (Â_i − β(1 − ρ_it))/|o_i|;
    ĝ = (1/N) Σ_it ψ_it ∇log π(a_it|s_it); `logp_old` is log π of the dumped policy (θ_old).
    Returns (ĝ, ψ, note)."""
    alg = d["algorithm"]
    G, P = int(alg["group_size"]), int(alg["prompts"])
    beta, eps = float(alg["kl_coef"]), float(alg["eps"])
    std_norm, loo = bool(alg["std_normalize"]), bool(alg["leave_one_out"])
    if alg.get("std", "population") != "population":
        raise Mismatch("algorithm.std %r, expected 'population'" % (alg.get("std"),))
    trajs = d["trajectories"]
    N = len(trajs)
    if N != P * G:
        raise Mismatch("%d trajectories, expected prompts × group_size = %d × %d" % (N, P, G))
    R = []
    for i, tr in enumerate(trajs):
        Ri = math.fsum(float(x) for x in tr["rewards"])
        compare_scalar("trajectory %d reward (Σ_t r_t)" % i, Ri, float(tr["reward"]), STEP_TOL)
        if int(tr["group"]) != i // G:
            raise Mismatch("trajectory %d: group %s, expected %d" % (i, tr["group"], i // G))
        if i % G and int(tr["prompt"]) != int(trajs[i - 1]["prompt"]):
            raise Mismatch("trajectory %d: prompt %s differs from its group's %s" % (i, tr["prompt"], trajs[i - 1]["prompt"]))
        R.append(Ri)
    grad = [0.0] * policy.num_params()
    psi, zero_groups, tokens = [], 0, 0
    for g in range(P):
        rs = R[g * G:(g + 1) * G]
        mu = math.fsum(rs) / G
        sigma = math.sqrt(math.fsum((x - mu) ** 2 for x in rs) / G)
        zero_groups += all(x == rs[0] for x in rs)
        for k in range(G):
            i = g * G + k
            tr = trajs[i]
            b = (math.fsum(rs) - rs[k]) / (G - 1) if loo else mu
            A = R[i] - b
            if std_norm:
                A /= sigma + eps
            compare_scalar("trajectory %d advantage (group %d)" % (i, g), A, float(tr["advantage"]), STEP_TOL)
            obs = [policy.obs_key(x) for x in tr["obs"]]
            acts = _actions(policy, tr)
            T = len(acts)
            lo, lr = [float(x) for x in tr["logp_old"]], [float(x) for x in tr["logp_ref"]]
            if len(obs) != T or len(lo) != T or len(lr) != T:
                raise Mismatch("trajectory %d: obs, actions, logp_old and logp_ref differ in length" % i)
            if T == 0:
                raise Mismatch("trajectory %d is an empty completion" % i)
            p_i = []
            for t in range(T):
                compare_scalar("trajectory %d step %d logp_old (log π_θold(a|s) of the dumped policy)" % (i, t),
                               policy.log_prob(obs[t], acts[t]), lo[t], STEP_TOL)
                rho = math.exp(lr[t] - lo[t])
                p_i.append((A - beta * (1.0 - rho)) / T)
                policy.add_grad_log_prob(obs[t], acts[t], p_i[t], grad)
            if "baseline" in tr:
                for t in range(T):
                    compare_scalar("trajectory %d step %d baseline (b_i)" % (i, t), b, float(tr["baseline"][t]), STEP_TOL)
            psi.append(p_i)
            tokens += T
    grad = [x / N for x in grad]
    return grad, psi, "grpo: %d groups of %d (%d with equal rewards), %d tokens, β = %g" % (
        P, G, zero_groups, tokens, beta)


# Algorithms this checker recomputes (algorithm.name; a dump without one is REINFORCE's), and where
# the others' dumps are checked instead.
COVERED = ("reinforce", "npg", "trpo", "off-policy", "a2c", "ppo", "grpo")
CHECKED_ELSEWHERE = {
    "sac": "tests/core/test_sac_dump.cpp (SacDump.*: the critic targets, losses, actor gradient and α "
           "from the file alone)",
}
EXIT_NOT_COVERED = 3


class NotCovered(Exception):
    """The dump's algorithm is one this checker does not recompute."""


# ----------------------------------------------------------------------------- the exact oracle

class Model:
    def __init__(self, m, gamma):
        # model.P[s][a][s'] dense, or model.P_sparse[s][a] = [[s', p], …] where a dense P would be
        # too large (README › Batch dump).
        sparse = "P" not in m
        self.P = m["P_sparse"] if sparse else m["P"]
        self.S = len(self.P)
        self.A = len(self.P[0]) if self.S else 0
        self.R = [[float(x) for x in row] for row in m["R"]]
        self.start = [float(x) for x in m["start"]]
        self.terminal = [bool(x) for x in m["terminal"]]
        self.obs = [int(x) for x in m["obs_of_state"]]
        self.H = int(m.get("step_limit", 0))
        self.gamma = gamma
        for name, arr in (("R", self.R), ("start", self.start), ("terminal", self.terminal),
                          ("obs_of_state", self.obs)):
            if len(arr) != self.S:
                raise Mismatch("model.%s has %d entries for %d states" % (name, len(arr), self.S))
        # Sparse successors of every (s, a).
        self.succ = []
        for s in range(self.S):
            row = []
            if len(self.P[s]) != self.A:
                raise Mismatch("model.P[%d] has %d actions, P[0] has %d" % (s, len(self.P[s]), self.A))
            for a in range(self.A):
                ps = self.P[s][a]
                if sparse:
                    pairs = [(int(n), float(p)) for n, p in ps]
                    if any(not 0 <= n < self.S for n, _ in pairs):
                        raise Mismatch("model.P_sparse[%d][%d] names a state outside 0 … %d" % (s, a, self.S - 1))
                    tot = math.fsum(p for _, p in pairs)
                else:
                    if len(ps) != self.S:
                        raise Mismatch("model.P[%d][%d] has %d entries for %d states" % (s, a, len(ps), self.S))
                    pairs = [(n, float(p)) for n, p in enumerate(ps) if p != 0.0]
                    tot = math.fsum(ps)
                if not self.terminal[s] and abs(tot - 1.0) > 1e-9:
                    raise Mismatch("model.P[%d][%d] sums to %.17g, not 1" % (s, a, tot))
                row.append([(n, p) for n, p in pairs if p != 0.0])
            self.succ.append(row)
        tot = math.fsum(self.start)
        if abs(tot - 1.0) > 1e-9:
            raise Mismatch("model.start sums to %.17g, not 1" % tot)

    def policy_table(self, policy):
        return [policy.probs(self.obs[s]) for s in range(self.S)]

    def q_of(self, pi_unused, v_next):
        g = self.gamma
        Q = []
        for s in range(self.S):
            if self.terminal[s]:
                Q.append([0.0] * self.A)
                continue
            Q.append([self.R[s][a] + g * math.fsum(p * v_next[n] for n, p in self.succ[s][a])
                      for a in range(self.A)])
        return Q

    def solve_values(self, pi):
        """Finite horizon: lists V[0..H], Q[0..H−1]; infinite: ([V], [Q])."""
        S, A = self.S, self.A
        if self.H > 0:
            V = [None] * (self.H + 1)
            Qs = [None] * self.H
            V[self.H] = [0.0] * S
            for t in range(self.H - 1, -1, -1):
                Q = self.q_of(pi, V[t + 1])
                Qs[t] = Q
                V[t] = [0.0 if self.terminal[s] else math.fsum(pi[s][a] * Q[s][a] for a in range(A))
                        for s in range(S)]
            return V, Qs
        # (I − γ P_π) V = r_π, terminal rows the identity.
        Mx = [[0.0] * S for _ in range(S)]
        rhs = [0.0] * S
        for s in range(S):
            Mx[s][s] = 1.0
            if self.terminal[s]:
                continue
            for a in range(A):
                rhs[s] += pi[s][a] * self.R[s][a]
                for n, p in self.succ[s][a]:
                    Mx[s][n] -= self.gamma * pi[s][a] * p
        V = gauss_solve(Mx, rhs)
        return [V], [self.q_of(pi, V)]

    def J(self, policy):
        pi = self.policy_table(policy)
        V, _ = self.solve_values(pi)
        return math.fsum(self.start[s] * V[0][s] for s in range(self.S) if not self.terminal[s])

    def exact(self, policy):
        """J, ∇J by the policy-gradient theorem, and the values V_t."""
        S, A = self.S, self.A
        pi = self.policy_table(policy)
        V, Qs = self.solve_values(pi)
        J = math.fsum(self.start[s] * V[0][s] for s in range(S) if not self.terminal[s])
        grad = [0.0] * policy.num_params()
        d0 = [0.0 if self.terminal[s] else self.start[s] for s in range(S)]
        if self.H > 0:
            # d_t: state distribution at step t among episodes still running.
            d = d0
            gt = 1.0
            for t in range(self.H):
                Q = Qs[t]
                for s in range(S):
                    if d[s] == 0.0:
                        continue
                    for a in range(A):
                        policy.add_grad_log_prob(self.obs[s], a, gt * d[s] * pi[s][a] * Q[s][a], grad)
                if t + 1 < self.H:
                    nd = [0.0] * S
                    for s in range(S):
                        if d[s] == 0.0:
                            continue
                        for a in range(A):
                            m = d[s] * pi[s][a]
                            for n, p in self.succ[s][a]:
                                if not self.terminal[n]:
                                    nd[n] += m * p
                    d = nd
                gt *= self.gamma
        else:
            # Discounted visitation: (I − γ P_π)ᵀ d = d_0 over live states.
            Mt = [[0.0] * S for _ in range(S)]
            for s in range(S):
                Mt[s][s] = 1.0
            for s in range(S):
                if self.terminal[s]:
                    continue
                for a in range(A):
                    for n, p in self.succ[s][a]:
                        if not self.terminal[n]:
                            Mt[n][s] -= self.gamma * pi[s][a] * p
            dv = gauss_solve(Mt, d0)
            Q = Qs[0]
            for s in range(S):
                if self.terminal[s] or dv[s] == 0.0:
                    continue
                for a in range(A):
                    policy.add_grad_log_prob(self.obs[s], a, dv[s] * pi[s][a] * Q[s][a], grad)
        return J, grad, V

    def value_at(self, V, s, t):
        if self.H > 0:
            return V[t][s] if t < len(V) else 0.0
        return V[0][s]


def gauss_solve(Mx, rhs):
    n = len(rhs)
    a = [list(row) + [rhs[i]] for i, row in enumerate(Mx)]
    for c in range(n):
        piv = max(range(c, n), key=lambda r: abs(a[r][c]))
        if abs(a[piv][c]) < 1e-300:
            raise Mismatch("the value equations are singular (episodes may never end); J is undefined")
        a[c], a[piv] = a[piv], a[c]
        pc = a[c][c]
        for r in range(c + 1, n):
            f = a[r][c] / pc
            if f != 0.0:
                rr, rc = a[r], a[c]
                for k in range(c, n + 1):
                    rr[k] -= f * rc[k]
    x = [0.0] * n
    for r in range(n - 1, -1, -1):
        s = a[r][n] - math.fsum(a[r][k] * x[k] for k in range(r + 1, n))
        x[r] = s / a[r][r]
    if not all(math.isfinite(v) for v in x):
        raise Mismatch("the value equations have no finite solution")
    return x


_exact_cache = {}


def exact_for(d, policy, fd_directions):
    """(J, ∇J, V, model) for the dump's model and policy, FD-checked; cached per (model, θ, γ)."""
    key = hashlib.sha256(json.dumps([d["model"], d["policy"], d["gamma"]], sort_keys=True).encode()).hexdigest()
    if key in _exact_cache:
        return _exact_cache[key]
    model = Model(d["model"], float(d["gamma"]))
    if model.A != policy.A:
        raise Mismatch("model has %d actions, the policy %d" % (model.A, policy.A))
    if policy.kind == "tabular" and max(model.obs) >= policy.O:
        raise Mismatch("model.obs_of_state names observation %d, policy.logits has %d rows" % (max(model.obs), policy.O))
    J, grad, V = model.exact(policy)

    # Central finite differences of our own J, on every coordinate when there are few, else along
    # random directions (and the gradient's own direction).
    theta = policy.theta
    P = len(theta)
    h = FD_STEP
    gnorm = norm(grad)
    scale = max(gnorm, 1e-10)

    def J_at(vec, sign):
        return model.J(policy.with_params([x + sign * h * v for x, v in zip(theta, vec)]))

    if P <= FULL_FD_MAX_PARAMS and fd_directions is None:
        fd = []
        for k in range(P):
            e = [0.0] * P
            e[k] = 1.0
            fd.append((J_at(e, +1) - J_at(e, -1)) / (2 * h))
        err = diff_norm(fd, grad)
        if not (err <= FD_TOL * scale):
            k = worst_index(fd, grad)
            raise Mismatch("our own exact ∇J disagrees with central finite differences of our J: relative error "
                           "%.3e > %.0e (component %d: PG theorem %.17g, FD %.17g) — checker bug"
                           % (err / scale, FD_TOL, k, grad[k], fd[k]))
    else:
        rng = random.Random(12345)
        dirs = [[rng.gauss(0.0, 1.0) for _ in range(P)] for _ in range(fd_directions or 4)]
        if gnorm > 0:
            dirs.append(list(grad))
        for v in dirs:
            nv = norm(v)
            v = [x / nv for x in v]
            fd = (J_at(v, +1) - J_at(v, -1)) / (2 * h)
            dd = math.fsum(x * y for x, y in zip(grad, v))
            if not (abs(fd - dd) <= FD_TOL * scale):
                raise Mismatch("our own exact ∇J disagrees with central finite differences along a direction: "
                               "∇J·v = %.17g, FD %.17g — checker bug" % (dd, fd))
    _exact_cache[key] = (J, grad, V, model)
    return _exact_cache[key]


def given_states(model, tr, i, identified):
    """The dump's own per-step states, checked: one per step, each a state of the model that shows
    the step's observation and equals the state the observations pin down where they do."""
    given = [int(x) for x in tr["state"]]
    if len(given) != len(identified):
        raise Mismatch("trajectory %d: 'state' has %d entries for %d steps" % (i, len(given), len(identified)))
    for t, (g, mine) in enumerate(zip(given, identified)):
        if not 0 <= g < model.S or model.obs[g] != int(tr["obs"][t][0]):
            raise Mismatch("trajectory %d step %d: state %d does not show observation %s" % (i, t, g, tr["obs"][t]))
        if mine is not None and mine != g:
            raise Mismatch("trajectory %d step %d: state %d, but the observations pin down state %d" % (i, t, g, mine))
    return given


def identify_states(model, tr, i, segment=False):
    """Per step, the state if the observations and actions pin it down, else None. Raises when the
    trajectory cannot have happened in the model. segment: the piece may begin mid-episode (any
    live state showing its first observation) and be truncated before the step limit."""
    obs = [int(o[0]) for o in tr["obs"]]
    acts = [int(a) for a in tr["actions"]]
    T = len(acts)
    if model.H > 0 and T > model.H:
        raise Mismatch("trajectory %d has %d steps, more than model.step_limit %d" % (i, T, model.H))
    if tr.get("truncated") and model.H > 0 and T != model.H and not segment:
        raise Mismatch("trajectory %d is truncated after %d steps, step_limit is %d" % (i, T, model.H))
    if tr.get("terminated") and tr.get("truncated"):
        raise Mismatch("trajectory %d is both terminated and truncated" % i)
    out = []
    B = {s for s in range(model.S) if (segment or model.start[s] > 0) and not model.terminal[s]
         and model.obs[s] == obs[0]} if T else set()
    for t in range(T):
        if not B:
            raise Mismatch("trajectory %d step %d: no state of the model is consistent with the observations "
                           "and actions so far (obs %d)" % (i, t, obs[t]))
        out.append(next(iter(B)) if len(B) == 1 else None)
        nxt = set()
        for s in B:
            for n, p in model.succ[s][acts[t]]:
                nxt.add(n)
        if t + 1 < T:
            B = {n for n in nxt if not model.terminal[n] and model.obs[n] == obs[t + 1]}
        else:
            if tr.get("terminated") and not any(model.terminal[n] for n in nxt):
                raise Mismatch("trajectory %d ends 'terminated' but no terminal state is reachable by its last step" % i)
            if not tr.get("terminated") and not any(not model.terminal[n] for n in nxt):
                raise Mismatch("trajectory %d ends without 'terminated' but its last step surely reaches a terminal state" % i)
    return out


# ----------------------------------------------------------------------------- one dump

def check(d, fd_directions=None):
    """Raises Mismatch at the first disagreement; returns a short description otherwise."""
    if d.get("format") != "pglab.batch/1":
        raise Mismatch("format is %r, expected 'pglab.batch/1'" % (d.get("format"),))
    alg_name = d.get("algorithm", {}).get("name", "reinforce")
    if alg_name not in COVERED:
        raise NotCovered("this checker recomputes %s dumps; %s dumps are checked by %s" % (
            ", ".join(COVERED), alg_name, CHECKED_ELSEWHERE.get(alg_name, "no test this checker knows of")))
    policy = make_policy(d)
    notes = []
    bk = None
    # REINFORCE's estimator (DESIGN.md §3) is NPG's and TRPO's ĝ too, and off-policy reweights its ψ;
    # A2C, PPO and GRPO weigh ∇log π by their own ψ (their `estimator` settings do not apply).
    reinforce_like = alg_name in ("reinforce", "npg", "trpo", "off-policy")
    est = d["estimator"] if reinforce_like else {"baseline": "none"}
    if alg_name in ("a2c", "ppo"):
        grad, psi, _, note = actor_critic_estimate(d, policy)
        notes.append(note)
    elif alg_name == "grpo":
        grad, psi, note = grpo_estimate(d, policy)
        notes.append(note)
    else:
        grad, b, psi, bk = estimator_gradient(d, policy)
    if alg_name == "off-policy":
        grad, psi, note = off_policy_estimate(d, policy, b, psi)
        notes.append(note)

    # Per-step arrays first: they say where a gradient mismatch comes from.
    if reinforce_like and est["baseline"] not in ("none", "optimal", "exact-value", "critic"):
        for i, tr in enumerate(d["trajectories"]):
            if "baseline" in tr:
                for t, (mine, theirs) in enumerate(zip(b[i], tr["baseline"])):
                    compare_scalar("trajectory %d step %d baseline" % (i, t), mine, float(theirs), STEP_TOL)
    if bk is not None and "optimal_baseline" in d:
        compare_vectors("optimal_baseline", bk, [float(x) for x in d["optimal_baseline"]], STEP_TOL)
    for i, tr in enumerate(d["trajectories"]):
        if "psi" in tr:
            if len(tr["psi"]) != len(psi[i]):
                raise Mismatch("trajectory %d: 'psi' has %d entries for %d steps" % (i, len(tr["psi"]), len(psi[i])))
            for t, (mine, theirs) in enumerate(zip(psi[i], tr["psi"])):
                compare_scalar("trajectory %d step %d psi" % (i, t), mine, float(theirs), STEP_TOL)

    compare_vectors("gradient", grad, [float(x) for x in d["gradient"]], GRAD_TOL)

    if "exact" in d and d["exact"].get("method") == "quadrature":
        J, gJ = continuous_bandit_exact(d, policy)
        compare_scalar("exact.J (quadrature)", J, float(d["exact"]["J"]), J_TOL, floor=1e-12)
        compare_vectors("exact.gradient (quadrature)", gJ, [float(x) for x in d["exact"]["gradient"]],
                        EXACT_GRAD_TOL, floor=1e-12)
        notes.append("continuous bandit: exact J, ∇J checked by our own quadrature")
    elif "model" in d and "exact" in d:
        if policy.kind != "tabular":
            notes.append("exact skipped (MLP policy: the dump has no state features)")
        else:
            J, gJ, V, model = exact_for(d, policy, fd_directions)
            ex = d["exact"]
            compare_scalar("exact.J", J, float(ex["J"]), J_TOL, floor=1e-12)
            compare_vectors("exact.gradient", gJ, [float(x) for x in ex["gradient"]], EXACT_GRAD_TOL, floor=1e-12)
            if "V" in ex:
                compare_vectors("exact.V (V_0 over states)", V[0], [float(x) for x in ex["V"]], J_TOL, floor=1e-12)
            checked = 0
            # Segments (A2C/PPO with num_steps > 0, online) may begin and end mid-episode.
            segments = int(d.get("algorithm", {}).get("collection", {}).get("num_steps", 0)) > 0
            for i, tr in enumerate(d["trajectories"]):
                states = identify_states(model, tr, i, segments)
                if "state" in tr:
                    states = given_states(model, tr, i, states)
                if est["baseline"] == "exact-value":
                    for t, s in enumerate(states):
                        if s is None:
                            continue
                        compare_scalar("trajectory %d step %d exact-value baseline (state %d, V_%d)" % (i, t, s, t),
                                       model.value_at(V, s, t), float(tr["baseline"][t]), J_TOL)
                        checked += 1
            if est["baseline"] == "exact-value":
                notes.append("%d exact-value baselines checked" % checked)
                if checked == 0:
                    raise Mismatch("exact-value baseline: no step's state could be identified, nothing was checked")
            notes.append("exact J, ∇J checked")
    elif est["baseline"] == "exact-value":
        raise Mismatch("baseline exact-value but the dump has no model/exact")
    return "; ".join(notes)


def continuous_bandit_exact(d, policy):
    """J(μ, σ) = E r(clip(a(u))), u ~ N(μ, σ²), and ∇θ J = (∂J/∂μ, ∂J/∂log σ), by composite Simpson
    over z = (u − μ)/σ ∈ [−12, 12] (score-function forms: ∂J/∂μ = E[r z/σ], ∂J/∂log σ =
    E[r (z² − 1)]); r the curve of env.bumps, bounds [low, high] of the policy."""
    env = d["scenario"]["env"]
    if env.get("kind") != "continuous-bandit" or policy.kind != "gaussian" or policy.net is not None:
        raise Mismatch("a quadrature exact needs the continuous bandit with a feature-free Gaussian")
    bumps = [float(x) for x in env["bumps"]]
    pol = d["policy"]
    lo, hi = float(pol["low"][0]), float(pol["high"][0])
    mu, ls = policy.theta[0], policy.theta[1]
    sigma = math.exp(ls)
    squash = bool(pol.get("squash"))

    def reward(u):
        a = lo + (math.tanh(u) + 1.0) * 0.5 * (hi - lo) if squash else u
        a = min(max(a, lo), hi)
        return math.fsum(bumps[k + 1] * math.exp(-0.5 * ((a - bumps[k]) / bumps[k + 2]) ** 2)
                         for k in range(0, len(bumps), 3))

    # Simpson on pieces split where u reaches the bounds (the clip's kinks), 20000 intervals each.
    cuts = [-12.0, 12.0]
    if not squash:
        cuts += [z for z in ((lo - mu) / sigma, (hi - mu) / sigma) if -12.0 < z < 12.0]
    cuts.sort()
    J = dmu = dls = 0.0
    for a, b in zip(cuts, cuts[1:]):
        n = 20000
        h = (b - a) / n
        for k in range(n + 1):
            z = a + k * h
            w = (1 if k in (0, n) else (4 if k % 2 else 2)) * h / 3.0
            f = w * reward(mu + sigma * z) * math.exp(-0.5 * z * z) / math.sqrt(2 * math.pi)
            J += f
            dmu += f * z / sigma
            dls += f * (z * z - 1.0)
    return J, [dmu, dls]


def perturbations(d):
    """(name, perturbed dump) pairs the checker must reject."""
    out = []
    g = copy.deepcopy(d)
    g["gradient"] = [x * (1.0 + 1e-6) for x in d["gradient"]]
    if norm(d["gradient"]) == 0.0:
        g["gradient"][0] = 1e-6
    out.append(("gradient × (1 + 1e-6)", g))
    # One reward changed, with the per-step ψ (and the baselines we recompute ourselves) removed so
    # that the gradient comparison itself has to notice.
    r = copy.deepcopy(d)
    for t in r["trajectories"]:
        t.pop("psi", None)
        if r["estimator"]["baseline"] not in ("exact-value", "critic"):
            t.pop("baseline", None)
    r.pop("optimal_baseline", None)
    tr = next(t for t in r["trajectories"] if t["rewards"])
    tr["rewards"][0] = float(tr["rewards"][0]) + 0.5
    out.append(("reward + 0.5 (psi removed)", r))
    if d.get("algorithm", {}).get("name") == "off-policy":
        w = copy.deepcopy(d)
        w["algorithm"]["w"] = [x * (1.0 + 1e-6) for x in d["algorithm"]["w"]]
        out.append(("algorithm.w × (1 + 1e-6)", w))
        e = copy.deepcopy(d)
        e["algorithm"]["ess"] = float(d["algorithm"]["ess"]) * (1.0 + 1e-6)
        out.append(("algorithm.ess × (1 + 1e-6)", e))
        c_bar = float(d["algorithm"]["truncate"])
        if c_bar > 0.0 and any(float(x) > c_bar for x in d["algorithm"]["w"]):
            # The pre-fix dump: W and the ESS from the capped weights.
            c = copy.deepcopy(d)
            c["algorithm"]["w"] = [min(float(x), c_bar) for x in d["algorithm"]["w"]]
            s1, s2 = math.fsum(c["algorithm"]["w"]), math.fsum(x * x for x in c["algorithm"]["w"])
            c["algorithm"]["ess"] = s1 * s1 / s2
            out.append(("w and ess from the capped weights", c))
    if "exact" in d and d["policy"]["kind"] == "tabular":
        j = copy.deepcopy(d)
        j["exact"]["J"] = float(d["exact"]["J"]) * (1 + 1e-6) + 1e-6
        out.append(("exact.J × (1 + 1e-6)", j))
    return out


def main(argv):
    self_test = False
    fd_directions = None
    files = []
    k = 0
    while k < len(argv):
        a = argv[k]
        if a == "--self-test":
            self_test = True
        elif a == "--fd-directions":
            k += 1
            fd_directions = int(argv[k])
        elif a in ("-h", "--help"):
            print(__doc__)
            return 0
        else:
            files.append(a)
        k += 1
    if not files:
        sys.stderr.write("usage: check_dump.py [--self-test] [--fd-directions K] DUMP.json [...]\n")
        return 2
    failed = not_covered = 0
    for f in files:
        try:
            with open(f, encoding="utf-8") as fh:
                d = json.load(fh)
        except (OSError, ValueError) as e:
            print("FAIL %s: cannot read the dump: %s" % (f, e))
            failed += 1
            continue
        try:
            use_precision(d)
            notes = check(d, fd_directions)
        except NotCovered as e:
            print("NOT COVERED %s: %s" % (f, e))
            not_covered += 1
            continue
        except Mismatch as e:
            print("FAIL %s: %s" % (f, e))
            failed += 1
            continue
        except (KeyError, TypeError, IndexError, ValueError) as e:
            print("FAIL %s: malformed dump (%s: %s)" % (f, type(e).__name__, e))
            failed += 1
            continue
        if self_test:
            missed = []
            for name, p in perturbations(d):
                try:
                    check(p, fd_directions)
                    missed.append(name)
                except Mismatch as e:
                    print("self-test %s: %s detected: %s" % (f, name, e))
            if missed:
                print("FAIL %s: self-test: the checker accepted a perturbed dump (%s)" % (f, ", ".join(missed)))
                failed += 1
                continue
            print("PASS %s (self-test: every perturbation detected)" % f)
        else:
            print("PASS %s%s" % (f, " (" + notes + ")" if notes else ""))
    return 1 if failed else EXIT_NOT_COVERED if not_covered else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
