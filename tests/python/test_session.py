"""Sessions from Python (issue 13): advance by every granularity, the history as arrays equal to
`pglab train --csv`, save and load continuing bit for bit, the batch dump from a session."""

import csv

import numpy as np
import pytest

import pglab
from conftest import run_cli


def test_history_equals_cli_train(tmp_path):
    s = pglab.Session("gridworld-reinforce", seed=3)
    assert s.run(5)
    h = s.history()
    out = tmp_path / "train.csv"
    run_cli("train", "--scenario", "gridworld-reinforce", "--seed", "3", "--iterations", "5",
            "--csv", str(out))
    rows = [r for r in csv.DictReader(open(out)) if r["iteration"].isdigit()]
    assert len(rows) == 5 == len(h["iteration"])
    for k in ("return_mean", "return_std", "grad_norm", "entropy", "exact_J"):
        assert np.array_equal(h[k], np.array([float(r[k]) for r in rows])), k  # %.17g: the bits


def test_granularities():
    s = pglab.Session("gridworld-reinforce")
    assert s.phase == "collect" and s.total_steps == 0
    s.advance("env-step")
    assert s.total_steps == 1
    s.advance("episode")
    s.advance("batch")
    s.advance("estimate")
    est = s.estimate()
    assert est is not None and s.phase == "update"
    dump = s.batch_dump()
    again = pglab.estimate(dump)  # the dump's policy, γ and estimator settings
    assert np.array_equal(again.gradient.ravel(), est.gradient)
    s.advance("update")
    s.advance("iteration")
    assert s.iteration == 1 and s.saveable
    with pytest.raises(ValueError, match="granularity"):
        s.advance("century")


def test_save_load_continue_bit_for_bit(tmp_path):
    a = pglab.Session("gridworld-reinforce", seed=4)
    a.run(3)
    path = str(tmp_path / "s.pglab.json")
    a.save(path)
    b = pglab.load_session(path)
    assert b.iteration == 3 and np.array_equal(a.theta, b.theta)
    a.run(2)
    b.run(2)
    assert np.array_equal(a.theta, b.theta)
    ha, hb = a.history(), b.history()
    for k in ha:
        if k == "changes":  # str per row (equal_nan reads numbers only)
            assert list(ha[k]) == list(hb[k])
            continue
        assert np.array_equal(ha[k], hb[k], equal_nan=True), k
    a.advance("env-step")
    with pytest.raises(ValueError, match="iteration boundary"):
        a.save(path)


def test_bad_input_is_a_value_error(tmp_path):
    with pytest.raises(ValueError, match="estimator.baseline"):
        pglab.Session("gridworld-reinforce", sets=["estimator.baseline=avg"])
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "pglab.session/9"}')
    with pytest.raises(ValueError):
        pglab.load_session(str(bad))


@pytest.mark.parametrize("call", ["s.run(1000000)", "s.advance('env-step', 2**31 - 1)"])
def test_ctrl_c_stops_a_long_run(call):
    """SIGINT during a long run (issue 8, audit a8 F6): KeyboardInterrupt within about an
    iteration, the session at the last completed step (it used to run on until SIGTERM)."""
    import signal
    import subprocess
    import sys

    code = f"""
import sys, pglab
s = pglab.Session("cartpole-ppo")
s.run(1)
print("started", flush=True)
try:
    {call}
    print("finished")
except KeyboardInterrupt:
    print("interrupted", s.iteration, s.total_steps, flush=True)
    assert s.fault == "" and s.run(1), s.fault
    print("continued", s.iteration, flush=True)
"""
    p = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
    try:
        assert p.stdout.readline().strip() == "started"
        import time
        time.sleep(1.0)
        p.send_signal(signal.SIGINT)
        out, err = p.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        p.kill()
        p.communicate()
        pytest.fail(f"{call} still running 20 s after SIGINT")
    assert p.returncode == 0, err
    lines = out.split("\n")
    assert lines[0].startswith("interrupted"), out
    _, it, steps = lines[0].split()
    assert int(steps) > 0
    assert lines[1] == f"continued {int(it) + 1}", out


def test_history_has_train_csvs_changes_column(tmp_path):
    # train --csv's `changes` says which live change took effect at which iteration; history()
    # had no such column (audit a12 F10b).
    out = tmp_path / "train.csv"
    run_cli("train", "--scenario", "gridworld-reinforce", "--iterations", "5", "--change",
            "2:algorithm.lr=0.3", "--csv", str(out))
    rows = [r for r in csv.DictReader(open(out)) if r["iteration"].isdigit()]
    s = pglab.Session("gridworld-reinforce")
    s.run(2)
    s.set_live("algorithm.lr", 0.3)
    s.run(3)
    h = s.history()
    assert list(h["changes"]) == [r["changes"] for r in rows]
    assert list(h["changes"]) == ["", "", "algorithm.lr=0.3", "", ""]
