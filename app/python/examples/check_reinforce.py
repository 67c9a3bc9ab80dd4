#!/usr/bin/env python3
"""A student's REINFORCE on pglab's frozen lake, checked by pglab (issue 13's worked example).

The student samples episodes through the Gymnasium API, computes the REINFORCE gradient with
PyTorch's autograd (or by hand with NumPy when torch is not installed), and pglab checks it twice:

  1. on the same trajectories, pglab's estimator (reward-to-go, no baseline, discount weighting —
     the setting that is unbiased for the discounted objective) must give the same ĝ to 1e-9;
  2. averaged over K independent batches, ĝ must agree with pglab's exact ∇J: the error of the
     mean, ‖ḡ − ∇J‖, within 3 of its standard error √(tr Cov(ĝ) / K) (E‖ḡ − ∇J‖² = tr Cov / K for
     an unbiased ĝ, so a wrong γ, a missing 1/N or a sign error fails and a right one passes).

    python3 check_reinforce.py [--batches K] [--episodes N] [--numpy] [--bug no-discount]

Exit status 0 when both checks pass, 1 otherwise.
"""

import argparse
import sys

import numpy as np

import pglab

try:
    import torch
except ImportError:  # NumPy fallback below
    torch = None


def softmax(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def sample_batch(env, logits, n, rng):
    """n episodes with a ~ softmax(logits[s]), in the batch dump's trajectory layout."""
    probs = softmax(logits)
    batch = []
    for _ in range(n):
        s, _ = env.reset(seed=int(rng.integers(2**62)))
        obs, actions, rewards = [], [], []
        while True:
            a = int(rng.choice(len(probs[s]), p=probs[s]))
            s2, r, terminated, truncated, _ = env.step(a)
            obs.append([s])
            actions.append(a)
            rewards.append(r)
            s = s2
            if terminated or truncated:
                break
        batch.append({"obs": obs, "actions": actions, "rewards": rewards,
                      "terminated": terminated, "truncated": truncated})
    return batch


BUG = "none"


def discounted_weights(rewards, gamma):
    """γ^t G_t per step, G_t the reward-to-go (with --bug no-discount: G_t alone)."""
    g, out = 0.0, np.zeros(len(rewards))
    for t in reversed(range(len(rewards))):
        g = rewards[t] + gamma * g
        out[t] = g
    return out if BUG == "no-discount" else out * gamma ** np.arange(len(rewards))


def student_gradient_torch(logits, batch, gamma):
    theta = torch.tensor(logits, dtype=torch.float64, requires_grad=True)
    surrogate = torch.zeros((), dtype=torch.float64)
    for tr in batch:
        s = torch.tensor([o[0] for o in tr["obs"]])
        a = torch.tensor(tr["actions"])
        logp = torch.log_softmax(theta[s], dim=-1)[torch.arange(len(a)), a]
        w = torch.tensor(discounted_weights(tr["rewards"], gamma))
        surrogate = surrogate + (logp * w).sum()
    (surrogate / len(batch)).backward()
    return theta.grad.numpy()


def student_gradient_numpy(logits, batch, gamma):
    probs = softmax(logits)
    g = np.zeros_like(logits)
    for tr in batch:
        w = discounted_weights(tr["rewards"], gamma)
        for (s,), a, wt in zip(tr["obs"], tr["actions"], w):
            grad_logp = -probs[s].copy()  # ∂ log π(a|s) / ∂θ[s, ·] = 1[a = ·] − π(·|s)
            grad_logp[a] += 1.0
            g[s] += wt * grad_logp
    return g / len(batch)


def at_least(lo, why):
    """An argparse type: an int ≥ lo, else argparse's usage error saying why."""
    def parse(text):
        try:
            n = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not an integer") from None
        if n < lo:
            raise argparse.ArgumentTypeError(f"{n} is below {lo} ({why})")
        return n
    return parse


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--batches", type=at_least(2, "the standard error of the mean needs two"),
                    default=200, help="K ≥ 2 independent batches")
    ap.add_argument("--episodes", type=at_least(1, "a batch needs an episode"), default=16)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--numpy", action="store_true", help="use the NumPy gradient even with torch")
    ap.add_argument("--bug", choices=["none", "no-discount"], default="none",
                    help="plant a student's mistake (γ^t dropped) to see the checks fail")
    args = ap.parse_args()
    global BUG
    BUG = args.bug
    use_torch = torch is not None and not args.numpy
    student = student_gradient_torch if use_torch else student_gradient_numpy
    print(f"student's gradient: {'PyTorch ' + torch.__version__ if use_torch else 'NumPy'}")

    # −0.01 per step so that every step carries signal, not only the rare goal; γ = 0.9 so that
    # γ^t matters within an episode (with the planted bug, ‖bias‖ is then ~4 standard errors at
    # K = 100, measured; the right gradient stays within ~1).
    env = pglab.make("GridWorld", map="frozen-lake-8x8", slip=0.1, step_reward=-0.01, gamma=0.9)
    gamma = env.gamma
    rng = np.random.default_rng(args.seed)
    logits = rng.normal(scale=0.5, size=(env.observation_space.n, env.action_space.n))

    grads, worst = [], 0.0
    for _ in range(args.batches):
        batch = sample_batch(env, logits, args.episodes, rng)
        g = student(logits, batch, gamma)
        ref = pglab.estimate(batch, logits, gamma, returns="reward-to-go", baseline="none",
                             discount_weighting=True).gradient
        worst = max(worst, np.abs(g - ref).max() / max(1.0, np.abs(ref).max()))
        grads.append(g.ravel())
    same = worst <= 1e-9
    print(f"1. same trajectories: max |student − pglab| = {worst:.2e} (allowed 1e-9): "
          f"{'ok' if same else 'FAIL'}")

    exact = pglab.exact(env, logits)
    G = np.array(grads)
    mean = G.mean(axis=0)
    stderr = np.sqrt(np.trace(np.cov(G, rowvar=False)) / len(G))
    err = np.linalg.norm(mean - exact.grad.ravel())
    unbiased = err <= 3 * stderr
    print(f"2. over {len(G)} batches: ‖mean ĝ − ∇J‖ = {err:.4g} = {err / stderr:.2f} standard "
          f"errors ({stderr:.4g}; allowed 3), ‖∇J‖ = {np.linalg.norm(exact.grad):.4g}, "
          f"J = {exact.J:.5g}: {'ok' if unbiased else 'FAIL'}")
    ok = same and unbiased
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
