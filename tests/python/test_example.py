"""The worked example (app/python/examples/check_reinforce.py) runs and passes, and fails when the
student's gradient drops γ^t (so its checks can fail)."""

import os
import subprocess
import sys

from conftest import SOURCE

EXAMPLE = os.path.join(SOURCE, "app", "python", "examples", "check_reinforce.py")


def run(*args):
    return subprocess.run([sys.executable, EXAMPLE, *args], capture_output=True, text=True,
                          timeout=600)


def test_example_passes():
    r = run("--batches", "100")
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.rstrip().endswith("PASS")


def test_example_fails_on_a_planted_bug():
    # γ^t dropped: check 1 sees it on the same trajectories, and check 2 on its own sees the bias
    # against the exact gradient (measured 4.0 standard errors at K = 100 with these seeds).
    r = run("--batches", "100", "--bug", "no-discount")
    assert r.returncode == 1, r.stdout + r.stderr
    lines = r.stdout.splitlines()
    assert lines[1].startswith("1.") and lines[1].endswith("FAIL")
    assert lines[2].startswith("2.") and lines[2].endswith("FAIL")
