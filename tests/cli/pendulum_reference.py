#!/usr/bin/python3
"""Pendulum-v1 traces from `pglab trace --env pendulum` against an independent reference.

The reference is written from Gymnasium's classic_control/pendulum.py (step, reset bounds,
angle_normalize) in plain Python floats: math.sin is the C library's sin, `%` is Python's float
modulo (the divisor's sign, as NumPy's), `**` is pow — the operations NumPy performs on float64
scalars, in pendulum.py's order. Each episode starts from a random (theta, theta_dot) and runs
random torques (some outside [-2, 2], which the environment clips) for up to 230 steps, so the
truncation at 200 steps is exercised. Every number of every row must agree to the last bit (the
same libm on the same machine; with x*x for x**2 the reward differed by 1 ulp in about one step in
700); the largest difference seen is printed.

usage: pendulum_reference.py PGLAB [EPISODES]
"""
import math
import random
import subprocess
import sys


class ReferencePendulum:
    def __init__(self):
        self.max_speed = 8
        self.max_torque = 2.0
        self.dt = 0.05
        self.g = 10.0
        self.m = 1.0
        self.l = 1.0

    def step(self, u):
        th, thdot = self.state
        g, m, l, dt = self.g, self.m, self.l, self.dt
        u = min(max(u, -self.max_torque), self.max_torque)
        costs = angle_normalize(th) ** 2 + 0.1 * thdot**2 + 0.001 * (u**2)
        newthdot = thdot + (3 * g / (2 * l) * math.sin(th) + 3.0 / (m * l**2) * u) * dt
        newthdot = min(max(newthdot, -self.max_speed), self.max_speed)
        newth = th + newthdot * dt
        self.state = (newth, newthdot)
        return -costs


def angle_normalize(x):
    return ((x + math.pi) % (2 * math.pi)) - math.pi


def main():
    pglab = sys.argv[1]
    episodes = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    rng = random.Random(20261130)
    worst = 0.0
    rows_checked = 0
    truncations = 0
    clipped = 0
    for ep in range(episodes):
        # Gymnasium's reset box, and every fifth episode far outside it (angles many turns away,
        # speeds at the clip) so angle_normalize and the speed clip are exercised.
        if ep % 5 == 4:
            init = (rng.uniform(-40.0, 40.0), rng.uniform(-9.0, 9.0))
        else:
            init = (rng.uniform(-math.pi, math.pi), rng.uniform(-1.0, 1.0))
        n = rng.choice([1, 17, 200, 230])
        torques = [rng.uniform(-3.0, 3.0) for _ in range(n)]
        clipped += sum(1 for u in torques if abs(u) > 2.0)
        cmd = [pglab, "trace", "--env", "pendulum", "--init", "%r,%r" % init,
               "--actions", ",".join(repr(u) for u in torques)]
        out = subprocess.run(cmd, capture_output=True, text=True)
        if out.returncode != 0:
            print("FAIL: %s exited %d: %s" % (" ".join(cmd[:6]), out.returncode, out.stderr))
            return 1
        lines = out.stdout.strip().split("\n")
        if lines[0] != "t,action,reward,terminated,truncated,theta,theta_dot":
            print("FAIL: header %r" % lines[0])
            return 1
        ref = ReferencePendulum()
        ref.state = init
        expected = [(0, None, 0.0, 0, 0, init[0], init[1])]
        for t, u in enumerate(torques):
            r = ref.step(u)
            trunc = 1 if t + 1 >= 200 else 0
            expected.append((t + 1, u, r, 0, trunc, ref.state[0], ref.state[1]))
            if trunc:
                truncations += 1
                break
        if len(lines) - 1 != len(expected):
            print("FAIL: episode %d: %d rows, expected %d" % (ep, len(lines) - 1, len(expected)))
            return 1
        for line, exp in zip(lines[1:], expected):
            f = line.split(",")
            if int(f[0]) != exp[0] or int(f[3]) != exp[3] or int(f[4]) != exp[4]:
                print("FAIL: episode %d row %r, expected %r" % (ep, line, exp))
                return 1
            if exp[1] is not None and float(f[1]) != exp[1]:
                print("FAIL: episode %d: action %s does not round-trip %r" % (ep, f[1], exp[1]))
                return 1
            for got, want in ((float(f[2]), exp[2]), (float(f[5]), exp[5]), (float(f[6]), exp[6])):
                d = abs(got - want) / max(1.0, abs(want))
                worst = max(worst, d)
                if got != want:
                    print("FAIL: episode %d row %s: %r vs reference %r" % (ep, f[0], got, want))
                    return 1
            rows_checked += 1
    print("pendulum trace: %d episodes, %d rows, %d truncations at 200, %d clipped torques; "
          "largest relative difference %.3g" % (episodes, rows_checked, truncations, clipped, worst))
    return 0


if __name__ == "__main__":
    sys.exit(main())
