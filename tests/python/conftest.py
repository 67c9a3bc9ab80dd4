"""Shared set-up for the pglab Python module's tests (tests/python, run by CTest through pytest).

CTest sets PYTHONPATH to the build tree's package (build/app/python) and PGLAB_BIN to the CLI,
whose output these tests compare against.
"""

import json
import os
import subprocess

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.dirname(os.path.dirname(HERE))
SCENARIOS = os.path.join(SOURCE, "assets", "scenarios")


def pglab_bin():
    path = os.environ.get("PGLAB_BIN")
    if not path:
        pytest.skip("PGLAB_BIN is not set (CTest sets it to build/app/pglab)")
    return path


def run_cli(*args):
    """Runs `pglab ARGS…` and returns its standard output (fails the test on a non-zero exit)."""
    r = subprocess.run([pglab_bin(), *args], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, f"pglab {' '.join(args)} exited {r.returncode}: {r.stderr}"
    return r.stdout


def grad_dump(tmp_path, scenario, sets=(), extra=()):
    """`pglab grad --scenario S --set …` as parsed JSON."""
    out = tmp_path / f"dump-{abs(hash((scenario, tuple(sets), tuple(extra))))}.json"
    args = ["grad", "--scenario", scenario, "--out", str(out), *extra]
    for s in sets:
        args += ["--set", s]
    run_cli(*args)
    with open(out) as f:
        return json.load(f)
