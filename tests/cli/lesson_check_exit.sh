#!/usr/bin/env bash
# `pglab lesson --check`: exit 1 with a FAILS line when a claim is false, exit 1 for a wrong number
# prediction with its claim counted as holding, exit 2 with one file:line message for a bad file.
set -u
pglab="$1"; work="$2"; mkdir -p "$work"
fail() { echo "FAIL: $*"; exit 1; }
cat > "$work/false.json" <<'JSON'
{"format": "pglab.lesson/1", "title": "a false claim",
 "steps": [{"title": "uniform bandit", "scenario": "bandit-reinforce",
            "check": {"claim": "exact_J", "op": ">", "value": 0.5}}]}
JSON
out=$("$pglab" lesson --check "$work/false.json"); rc=$?
[ $rc -eq 1 ] || fail "false claim: exit $rc, expected 1"
echo "$out" | grep -q "step 1 | uniform bandit | exact_J > 0.5 | exact J = 0.5 | FAILS" || fail "no FAILS line: $out"
# A claim that holds with a number prediction that is wrong: exit 1 (the prediction fails the
# check), but the claim is counted as holding (it read "0 of 1 claims hold").
cat > "$work/guess.json" <<'JSON'
{"format": "pglab.lesson/1", "title": "a wrong guess",
 "steps": [{"title": "uniform bandit", "scenario": "bandit-reinforce",
            "prediction": {"question": "J?", "number": 0.9, "tolerance": 0.01},
            "check": {"claim": "exact_J", "op": ">=", "value": 0.4}}]}
JSON
out=$("$pglab" lesson --check "$work/guess.json"); rc=$?
[ $rc -eq 1 ] || fail "wrong prediction: exit $rc, expected 1"
echo "$out" | grep -q "| holds; prediction 0.9 +- 0.01 WRONG$" || fail "no WRONG line: $out"
[ "$(echo "$out" | tail -1)" = "1 of 1 claims hold; 1 number prediction wrong" ] || fail "claims counted: $out"
cat > "$work/bad.json" <<'JSON'
{"format": "pglab.lesson/1", "title": "a bad claim",
 "steps": [{"title": "x", "scenario": "bandit-reinforce",
            "check": {"claim": "exact_j"}}]}
JSON
# refused NAME PATTERN: lesson --check on $work/NAME.json is exit 2 with one line matching PATTERN.
refused() {
  local err rc
  err=$("$pglab" lesson --check "$work/$1.json" 2>&1 >/dev/null); rc=$?
  [ $rc -eq 2 ] || fail "$1: exit $rc, expected 2"
  [ "$(echo "$err" | wc -l)" -eq 1 ] || fail "$1: not one line: $err"
  echo "$err" | grep -q "$2" || fail "$1: message: $err"
}
refused bad "bad.json:3: steps\[0\].check.claim: unknown claim 'exact_j'; allowed: exact_J"
"$pglab" lesson --check no-such-lesson >/dev/null 2>&1; rc=$?
[ $rc -eq 2 ] || fail "missing lesson: exit $rc, expected 2"
cat > "$work/misfit.json" <<'JSON'
{"format": "pglab.lesson/1", "title": "an exact claim without a model",
 "steps": [{"title": "x", "scenario": "cartpole-ppo-fast",
            "check": {"claim": "exact_J", "op": ">", "value": 0}}]}
JSON
refused misfit "misfit.json:3: steps\[0\].check: .*no exact model"
# A step whose keys the session refuses is named by its place (the message named no file before).
cat > "$work/refused.json" <<'JSON'
{"format": "pglab.lesson/1", "title": "a setting the session refuses",
 "steps": [{"title": "x", "scenario": "bandit-reinforce"},
           {"title": "y", "set": {"algorithm.num_steps": 5}}]}
JSON
refused refused "refused.json:3: steps\[1\]: algorithm.num_steps: "
# A key that would do nothing in the step's scenario is refused at its set (PPO's minibatches
# on REINFORCE).
cat > "$work/noeffect.json" <<'JSON'
{"format": "pglab.lesson/1", "title": "a setting that does nothing",
 "steps": [{"title": "x", "scenario": "bandit-reinforce"},
           {"title": "y", "set": {"ppo.minibatches": 2}}]}
JSON
refused noeffect "noeffect.json:3: steps\[1\].set: ppo.minibatches: would have no effect"
# The variance lab's claims compare REINFORCE's estimators: refused on SAC (it "held" before).
cat > "$work/sac.json" <<'JSON'
{"format": "pglab.lesson/1", "title": "a REINFORCE claim on SAC",
 "steps": [{"title": "x", "scenario": "sac-gridworld", "advance": {"by": "iteration", "count": 2},
            "check": {"claim": "estimator_unbiased", "returns": "reward-to-go", "baseline": "none",
                      "samples": 50, "within": 3}}]}
JSON
refused sac "sac.json:3: steps\[0\].check: .*does not use REINFORCE's estimator"
# A number beyond double inside a step is named by its whole path (it said "steps: number …").
cat > "$work/huge.json" <<'JSON'
{"format": "pglab.lesson/1", "title": "a huge tolerance",
 "steps": [{"title": "x", "scenario": "bandit-reinforce",
            "check": {"claim": "estimator_unbiased", "returns": "reward-to-go", "baseline": "none",
                      "samples": 50, "within": 1e999}}]}
JSON
refused huge "huge.json:4:[0-9]*: steps\[0\].check.within: number '1e999' is out of range"
echo "ok"
