#!/usr/bin/env python3
"""Cart-pole steps per second from Python: one pglab.Env stepped in a Python loop, and the vector
form (pglab.make_vec) stepping N environments per call with random actions (drawn beforehand, so
the figure is the environment's and the call's cost, not the sampler's). Steps per second of
this process's CPU time (time.process_time), as `pglab bench` counts, so that the figure stays
honest when other work shares the machine.

    python3 bench_cartpole.py [--seconds S]
"""

import argparse
import time

import numpy as np

import pglab


def single(seconds):
    env = pglab.make("CartPole-v1")
    env.reset(seed=0)
    actions = np.random.default_rng(0).integers(2, size=100_000).tolist()
    steps, t0 = 0, time.process_time()
    while time.process_time() - t0 < seconds:
        for a in actions:
            _, _, term, trunc, _ = env.step(a)
            if term or trunc:
                env.reset()
        steps += len(actions)
    return steps / (time.process_time() - t0)


def vector(n, seconds):
    venv = pglab.make_vec("CartPole-v1", num_envs=n)
    venv.reset(seed=0)
    actions = np.random.default_rng(0).integers(2, size=(64, n))
    steps, t0 = 0, time.process_time()
    while time.process_time() - t0 < seconds:
        for a in actions:
            venv.step(a)
        steps += actions.size
    return steps / (time.process_time() - t0)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=2.0)
    args = ap.parse_args()
    print(f"single env, Python loop: {single(args.seconds):,.0f} steps/s")
    for n in (16, 256, 1024, 4096):
        print(f"vector, {n} envs per call: {vector(n, args.seconds):,.0f} steps/s")


if __name__ == "__main__":
    main()
