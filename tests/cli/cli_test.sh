#!/usr/bin/env bash
# Every subcommand on a tiny budget, and every kind of bad input: one clear message, exit code 2.
# Usage: cli_test.sh PGLAB_BINARY WORKDIR
set -u
PGLAB=$1
WORK=$2
mkdir -p "$WORK"
pass=0
fail=0

# expect CODE PATTERN -- ARGS...: runs pglab, checks the exit code and that stderr (or stdout for
# code 0) matches the extended regex PATTERN.
expect() {
  local code=$1 pattern=$2
  shift 3
  local out err rc
  out=$("$PGLAB" "$@" 2>"$WORK/stderr")
  rc=$?
  err=$(cat "$WORK/stderr")
  local text=$err
  [ "$code" = 0 ] && text=$out
  if [ "$rc" = "$code" ] && grep -Eq -- "$pattern" <<<"$text"; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1))
    echo "FAIL: pglab $* -> exit $rc (want $code), output did not match /$pattern/:"
    echo "  stdout: ${out:0:300}"
    echo "  stderr: ${err:0:300}"
  fi
  # Bad input gets one line, not a dump.
  if [ "$code" = 2 ] && [ "$(grep -c . "$WORK/stderr")" -gt 2 ]; then
    fail=$((fail + 1))
    echo "FAIL: pglab $* printed more than two lines on stderr"
  fi
}

map() { printf '%b' "$2" >"$WORK/$1.txt"; }

# --- subcommands on a tiny budget -------------------------------------------------------------
expect 0 '"iterations": 3' -- train --scenario gridworld-reinforce --iterations 3
expect 0 '"exact_J"' -- train --scenario short-corridor-reinforce --iterations 5 --csv "$WORK/corridor.csv"
head -1 "$WORK/corridor.csv" | grep -q '^iteration,episodes,steps,return_mean,return_std,grad_norm,entropy,exact_J$' \
  && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: CSV header"; }
[ "$(wc -l <"$WORK/corridor.csv")" = 6 ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: CSV rows"; }
expect 0 '"return_mean"' -- train --scenario cartpole-reinforce --iterations 2 --seed 3
# The summary's exact_J_final is J of the policy the run ends with: pglab exact's J, to the bit.
final=$("$PGLAB" train --scenario gridworld-reinforce --iterations 3 | sed -n 's/.*"exact_J_final": \([^,}]*\).*/\1/p')
exactJ=$("$PGLAB" exact --scenario gridworld-reinforce --iterations 3 | sed -n 's/^{"J": \([^,}]*\).*/\1/p')
[ -n "$final" ] && [ "$final" = "$exactJ" ] && pass=$((pass + 1)) \
  || { fail=$((fail + 1)); echo "FAIL: exact_J_final '$final' is not pglab exact's J '$exactJ'"; }
# Without --csv and --save, train runs PPO lean (no ĝ, no batch entropy: nobody reads them); the
# run itself must be the same bits: the summary (all but the wall time) equals the full run's.
lean=$("$PGLAB" train --scenario cartpole-ppo --iterations 12 --seed 2 | sed 's/, "wall_s".*//')
full=$("$PGLAB" train --scenario cartpole-ppo --iterations 12 --seed 2 --csv "$WORK/ppo_full.csv" \
  | sed 's/, "wall_s".*//')
[ -n "$lean" ] && [ "$lean" = "$full" ] && pass=$((pass + 1)) \
  || { fail=$((fail + 1)); echo "FAIL: lean train differs from the full run: '$lean' vs '$full'"; }
# Sessions (pglab.session/1): 4 + 6 iterations through a file give the CSV rows of 10 straight.
expect 0 '"iterations": 10' -- train --scenario a2c-gridworld --set env.step_reward=-0.01 --iterations 10 \
  --csv "$WORK/straight.csv"
expect 0 '"iterations": 4' -- train --scenario a2c-gridworld --set env.step_reward=-0.01 --iterations 4 \
  --save "$WORK/s4.json"
expect 0 '"iterations": 10' -- train --load "$WORK/s4.json" --iterations 6 --csv "$WORK/more.csv"
diff <(tail -n +6 "$WORK/straight.csv") <(tail -n +2 "$WORK/more.csv") >/dev/null \
  && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: save/load CSV differs from the straight run"; }
head -2 "$WORK/s4.json" | grep -q '"format": "pglab.session/1"' && pass=$((pass + 1)) \
  || { fail=$((fail + 1)); echo "FAIL: session format line"; }
sed 's#pglab.session/1#pglab.session/2#' "$WORK/s4.json" >"$WORK/v2.json"
expect 2 'v2\.json:[0-9]+: format: .*pglab\.session/2.*another version' -- train --load "$WORK/v2.json"
head -c 2000 "$WORK/s4.json" >"$WORK/cut.json"
expect 2 'cut\.json:[0-9]+:[0-9]+: malformed JSON' -- train --load "$WORK/cut.json"
expect 2 '--load: .*cannot be given' -- train --load "$WORK/s4.json" --set seed=2
expect 2 '--scenario: required' -- train
# Live changes (--change ITER:key=value): a live session headless; with changes at 3 and 6, 4 + 6
# through a file give the rows of 10 straight, and the CSV's last column names the changes.
expect 0 '"iterations": 10' -- train --scenario gridworld-reinforce --set algorithm.batch_episodes=4 \
  --iterations 10 --csv "$WORK/ch_straight.csv" --change 3:algorithm.lr=0.3 --change 6:algorithm.batch_episodes=6
expect 0 '"iterations": 4' -- train --scenario gridworld-reinforce --set algorithm.batch_episodes=4 \
  --iterations 4 --save "$WORK/ch4.json" --change 3:algorithm.lr=0.3
expect 2 'never reached' -- train --scenario gridworld-reinforce --iterations 4 --change 9:algorithm.lr=0.3
expect 0 '"iterations": 10' -- train --load "$WORK/ch4.json" --iterations 6 --csv "$WORK/ch_more.csv" \
  --change 6:algorithm.batch_episodes=6
diff <(tail -n +6 "$WORK/ch_straight.csv") <(tail -n +2 "$WORK/ch_more.csv") >/dev/null \
  && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: save/load with --change differs from the straight run"; }
head -1 "$WORK/ch_straight.csv" | grep -q ',exact_J,changes$' && grep -q '^3,.*,algorithm.lr=0.3$' "$WORK/ch_straight.csv" \
  && grep -q '^6,.*,algorithm.batch_episodes=6$' "$WORK/ch_straight.csv" && grep -q '^4,.*[0-9],$' "$WORK/ch_straight.csv" \
  && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: the CSV's changes column"; }
expect 2 "--change '3:algorithm.lr=-1': algorithm.lr: value -1(\\.0)? is out of range" -- train --scenario gridworld-reinforce \
  --iterations 4 --change 3:algorithm.lr=-1
expect 2 'env.gamma: cannot change during a run' -- train --scenario gridworld-reinforce --change 3:env.gamma=0.5
expect 2 'expected ITER:key=value' -- train --scenario gridworld-reinforce --change lr=0.5
expect 2 'ppo.clip_eps: applies to PPO' -- train --scenario gridworld-reinforce --change 1:ppo.clip_eps=0.1
expect 2 "^pglab: --save: cannot write '.*nodir/x\.json': the directory '.*nodir' does not exist$" -- train --scenario bandit-reinforce \
  --iterations 1 --save "$WORK/nodir/x.json"
expect 0 '^t,action,reward,terminated,truncated,x,x_dot,theta,theta_dot' -- trace --env cartpole --init 0,0,0.01,0 --actions 1,1,0
expect 0 '^3,0,1,0,0,' -- trace --env cartpole --init 0,0,0.01,0 --actions 1,1,0
expect 0 '' -- grad --scenario bandit-reinforce --out "$WORK/bandit.json"
grep -q '"format":"pglab.batch/1"' "$WORK/bandit.json" && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: dump format"; }
expect 0 '"J": -82.10526315789' -- exact --scenario short-corridor-reinforce
expect 0 '"settings"' -- variance --scenario gridworld-reinforce --samples 50 --json
# The table says which normalize and γᵗ weighting every row uses ("unbiased" depends on both), and
# why a setting is missing (optimal under normalize), not only --json per row.
expect 0 '^every row: γ = 0\.99, estimator\.normalize = false, estimator\.discount_weighting = true \(γᵗ ψ on the reward-to-go rows; total returns carry γᵗ already\)$' \
  -- variance --scenario gridworld-reinforce --samples 3
expect 0 '^every row: γ = 0\.99, estimator\.normalize = false, estimator\.discount_weighting = false \(no γᵗ on the reward-to-go rows\)$' \
  -- variance --scenario gridworld-reinforce --samples 3 --set estimator.discount_weighting=false
expect 0 '^left out: total/optimal \(estimator\.normalize: optimal is a per-parameter baseline and cannot be normalised; set normalize=false\)$' \
  -- variance --scenario bandit-reinforce --samples 3 --set estimator.normalize=true
"$PGLAB" variance --scenario gridworld-reinforce --samples 3 | grep -q '^left out' \
  && { fail=$((fail + 1)); echo "FAIL: variance names a left-out setting without normalize"; } || pass=$((pass + 1))
expect 0 'leave-one-out' -- variance --scenario cliff-reinforce --samples 20 --set env.step_limit=20
expect 0 '"advantage_estimators"' -- variance --scenario a2c-gridworld --samples 5 --json
expect 0 'GAE' -- variance --scenario cartpole-ppo-fast --samples 3
# Without an exact gradient the table and the JSON agree: "—" and null for every bias field (the
# table printed a bias_stderr beside bias_norm nan, the JSON null for both).
expect 0 '^total +none +no +[0-9.e+-]+ +— +— +[0-9.-]+ +[0-9.-]+$' -- variance --scenario cartpole-reinforce --samples 3
"$PGLAB" variance --scenario cartpole-reinforce --samples 3 | grep -q nan && { fail=$((fail + 1)); echo "FAIL: variance table shows nan"; } || pass=$((pass + 1))
expect 0 '"bias_norm": null, "bias_stderr": null' -- variance --scenario cartpole-reinforce --samples 3 --json
expect 0 '^TD\(0\) +[0-9.e+-]+ +— +— +— ' -- variance --scenario cartpole-ppo-fast --samples 3
expect 0 '"bias_norm": null, "bias_stderr": null, "bias2": null, "mse": null' -- variance --scenario cartpole-ppo-fast --samples 3 --json
expect 0 '^ +0 +[-0-9.e+]+ +[-0-9.e+]+ +[0-9.e+]+ +[0-9.e+]+ +— ' -- meter --scenario cartpole-reinforce --iterations 1
expect 2 'no estimator settings to compare' -- variance --scenario grpo-token-task --samples 3
# Not under the sanitizers (make test-asan sets ASAN_OPTIONS): the figures mean nothing there and
# the bench's five PPO solves take many minutes.
if [ -z "${ASAN_OPTIONS:-}" ]; then
  expect 0 'cartpole_steps_per_s' -- bench --json
fi
expect 0 'Subcommands' -- --help

# --- bad maps ---------------------------------------------------------------------------------
map unknown '; unknown character\nS..\n.Q.\n..G\n'
expect 2 'unknown\.txt:3:2.*Q.*allowed' -- train --scenario gridworld-reinforce --set env.map="$WORK/unknown.txt"
map nostart '...\n..G\n'
expect 2 'nostart\.txt.*(no start|start)' -- train --scenario gridworld-reinforce --set env.map="$WORK/nostart.txt"
map unreachable 'S.#.\n..#G\n'
expect 2 'unreachable\.txt.*reach' -- train --scenario gridworld-reinforce --set env.map="$WORK/unreachable.txt"
map ragged 'S..\n..\n..G\n'
expect 2 'ragged\.txt:2:.*2 cells.*expected 3' -- train --scenario gridworld-reinforce --set env.map="$WORK/ragged.txt"
python3 - "$WORK/huge.txt" <<'PY'
import sys
rows = ["S" + "." * 64] + ["." * 65 for _ in range(63)] + ["." * 64 + "G"]
open(sys.argv[1], "w").write("\n".join(rows) + "\n")
PY
expect 2 'huge\.txt.*64' -- train --scenario gridworld-reinforce --set env.map="$WORK/huge.txt"
expect 2 'no-such-map.*cannot open' -- train --scenario gridworld-reinforce --set env.map=no-such-map

# --- bad scenarios ----------------------------------------------------------------------------
printf '{\n  "seed": 1,\n  "env": {"kind": "gridworld",}\n}\n' >"$WORK/malformed.json"
expect 2 'malformed\.json:3:[0-9]+: malformed JSON' -- train --scenario "$WORK/malformed.json"
printf '{\n  "env": {\n    "kind": "gridworld",\n    "gama": 0.9\n  }\n}\n' >"$WORK/unknown-key.json"
expect 2 'unknown-key\.json:4: env\.gama: unknown key; did you mean env\.gamma\? allowed here: .*gamma' -- train --scenario "$WORK/unknown-key.json"
printf '{\n  "env": {"gamma": -0.1}\n}\n' >"$WORK/neg-gamma.json"
expect 2 'neg-gamma\.json:2: env\.gamma: .*\[0, 1\]' -- train --scenario "$WORK/neg-gamma.json"
printf '{\n  "algorithm": {\n    "batch_episodes": 0\n  }\n}\n' >"$WORK/batch0.json"
expect 2 'batch0\.json:3: algorithm\.batch_episodes: .*\[1, 100000\]' -- train --scenario "$WORK/batch0.json"
# Seeds (issue 9 item 6): one seed's mean is that seed's train row, its s.e. 0; bad lists exit 2.
expect 0 '^iteration,seeds,return_mean_mean,return_mean_se,return_mean_min,return_mean_max,.*exact_J_max$' -- \
  seeds --scenario gridworld-reinforce --seeds 1-3 --iterations 4
expect 0 'wrote|' -- seeds --scenario gridworld-reinforce --seeds 4 --iterations 3 --csv "$WORK/seed4.csv"
expect 0 '"iterations": 3' -- train --scenario gridworld-reinforce --seed 4 --iterations 3 --csv "$WORK/train4.csv"
[ "$(cut -d, -f3,4 "$WORK/seed4.csv" | tail -n +2)" = "$(cut -d, -f4 "$WORK/train4.csv" | tail -n +2 | sed 's/$/,0/')" ] \
  && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: seeds --seeds 4 against train --seed 4"; }
expect 2 "--seeds: range '5-1' goes down; allowed: " -- seeds --scenario gridworld-reinforce --seeds 5-1
expect 2 "--seeds: seed 2 given twice" -- seeds --scenario gridworld-reinforce --seeds 1-3,2
# seeds takes no --seed (each run takes one of --seeds): its help listed one that always exited 2.
expect 2 "^pglab: '--seed' is not an option of pglab seeds; did you mean --seeds\?" -- seeds --scenario gridworld-reinforce --seeds 1-2 --seed 3
"$PGLAB" seeds --help | grep -Eq -- '--seed( |$)' && { fail=$((fail + 1)); echo "FAIL: seeds --help lists --seed"; } || pass=$((pass + 1))
# issue 10: landscapes and surrogates. The short corridor's p axis is the closed form
# J(p) = (2p − 4)/(p(1 − p)) (γ = 1, no step limit) at every grid point.
expect 0 '"format": "pglab.landscape/1"' -- landscape --scenario short-corridor-reinforce --axes p --grid 49 --json
"$PGLAB" landscape --scenario short-corridor-reinforce --axes p --grid 49 --json >"$WORK/corridor_landscape.json"
python3 - "$WORK/corridor_landscape.json" <<'PY' && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: landscape --axes p is not (2p-4)/(p(1-p))"; }
import json, sys
d = json.load(open(sys.argv[1]))
xs, J = d["x"], d["J"][0]
assert len(xs) == 49 and len(J) == 49
for p, j in zip(xs, J):
    closed = (2 * p - 4) / (p * (1 - p))
    assert abs(j - closed) <= 1e-9 * abs(closed), (p, j, closed)
PY
expect 0 '"paths": \[\{"name": "vanilla PG"' -- landscape --scenario gridworld-reinforce --iterations 2 --grid 5 --steps 3 --json
expect 0 'natural PG  3 steps' -- landscape --scenario npg-gridworld --axes theta:0,theta:1 --grid 5 --steps 3
expect 0 '"curves": \[\{"name": "L\^CPI"' -- surrogate --scenario gridworld-reinforce --iterations 2 --points 5 --json
expect 0 '"exact": false' -- surrogate --scenario cartpole-ppo-fast --points 3 --episodes 4 --json
# θ_old is the θ the last batch was sampled with: after 2 iterations (0 and 1), iteration 1's.
expect 0 'from θ_old of iteration 1,' -- surrogate --scenario gridworld-reinforce --iterations 2 --points 5
expect 0 'from θ_old of iteration 0,' -- surrogate --scenario gridworld-reinforce --iterations 0 --points 5 --direction ghat
# Standardised Â: a line says L is not in J's units, and no verdict compares values.
expect 0 'Â is standardised \(advantage.normalize\): L is in units of std Â, not of J' -- surrogate --scenario cartpole-ppo-fast --points 3 --episodes 4
expect 0 'L\^CPI +ΔL at the end [-0-9.e]+, (moves with J \(within its band\)|stops moving with J at)' -- surrogate --scenario cartpole-ppo-fast --points 3 --episodes 4
expect 0 'L\^CPI +ΔL at the end [-0-9.e]+, (parts from J at|follows J throughout)' -- surrogate --scenario gridworld-reinforce --iterations 2 --points 5
expect 2 "--axes: unknown axis 'sideways'; allowed: theta:K" -- landscape --scenario gridworld-reinforce --axes sideways
expect 2 '--axes: the p axis stands alone' -- landscape --scenario short-corridor-reinforce --axes p,grad
expect 2 'axes: parameter 64 does not exist; allowed: theta:0 … theta:63' -- landscape --scenario gridworld-reinforce --axes theta:64,theta:0
expect 2 'env.kind: landscape needs a finite world' -- landscape --scenario cartpole-reinforce
expect 2 '--grid' -- landscape --scenario gridworld-reinforce --grid 1
expect 2 "--direction: unknown axis 'up'" -- surrogate --scenario gridworld-reinforce --direction up
expect 2 'direction: p is not a direction' -- surrogate --scenario short-corridor-reinforce --direction p
# A largest step the user chose is bad input (exit 2); the list of directions leaves out p.
expect 2 "max-step: L\\^CPI is not finite at α = .*lower the largest step" -- surrogate --scenario gridworld-reinforce --max-step 1e6
expect 2 "--direction: unknown axis 'up'; allowed: theta:K .*update \\(the last update's step\\)$" -- surrogate --scenario gridworld-reinforce --direction up
expect 2 '--lr: .*finite' -- landscape --scenario gridworld-reinforce --lr nan
expect 2 '--kl-step: .*finite' -- landscape --scenario gridworld-reinforce --kl-step inf
# A painted behaviour that never ends an episode: the cut episodes are counted, and ESS of equal
# (underflowing) weights is N, not 0/0.
expect 0 '"ess_first": 4, "ess_mean": 4, "cut_episodes": 12' -- importance --scenario short-corridor-reinforce --episodes 4 --batches 3 --cell 0:1,0 --json
# Issue 10: the loss ≠ progress meter and the exact-advantage curve.
expect 0 '"badges": \["loss-zero"' -- meter --scenario cartpole-ppo --iterations 1 --json
expect 0 '"badge_counts": \{"loss-zero": [0-9]+, "zero-spread": [1-9]' -- meter --scenario grpo-token-task --iterations 2 --json
expect 0 'badges fired over 3 iterations' -- meter --scenario gridworld-reinforce --iterations 3
expect 2 "--iterations: '0' is out of range; expected an integer in \\[1, 10000000\\]" -- meter --scenario gridworld-reinforce --iterations 0
expect 2 'estimator\.baseline: .*one of: none, mean' -- meter --scenario gridworld-reinforce --set estimator.baseline=avg
expect 0 '"exact": \[' -- advantage --scenario a2c-gridworld --samples 4 --points 3 --json
# A critic nothing fits is not "learned" (leave-one-out baseline); with the critic baseline it is.
expect 0 '"learned": null' -- advantage --scenario gridworld-reinforce --samples 4 --points 2 --json
expect 0 '"learned": \[' -- advantage --scenario gridworld-reinforce --set estimator.baseline=critic \
  --samples 4 --points 2 --json
# Why there is no learned-critic table, true per algorithm: SAC is an actor-critic, with a Q critic
# (it said "unless … the algorithm is an actor-critic"); REINFORCE fits V_φ as its critic baseline.
expect 0 '^\(SAC learns Q_φ, not a V_φ: only the exact V\^π is used as critic here\)$' -- advantage \
  --scenario sac-gridworld --samples 2 --points 2
expect 0 '^\(no learned critic in this setting: reinforce fits V_φ only with estimator\.baseline = critic' \
  -- advantage --scenario gridworld-reinforce --samples 2 --points 2
expect 2 'env\.kind: advantage compares .* needs a finite world' -- advantage --scenario a2c-cartpole --samples 4
expect 2 "--points: '1' is out of range; expected an integer in \\[2, 101\\]" -- advantage --scenario a2c-gridworld --points 1
# Time travel (issue 10): replay --at 7 of a 20-iteration run (snapshots every 4, a live change at
# 3) gives the θ of train --iterations 7 --save and the CSV's row 7; a fork at 7 with lr doubled
# shares θ_7 and ĝ_7 and parts at θ_8. Bad --at, --fork and a missing scenario: exit 2.
TT=(--scenario gridworld-reinforce --set algorithm.batch_episodes=4 --change 3:algorithm.lr=0.3)
"$PGLAB" replay "${TT[@]}" --iterations 20 --at 7 --every 4 --fork algorithm.lr=0.6 \
  >"$WORK/replay.json" 2>"$WORK/stderr"
"$PGLAB" train "${TT[@]}" --iterations 7 --save "$WORK/at7.json" >/dev/null 2>&1
"$PGLAB" train "${TT[@]}" --iterations 8 --csv "$WORK/train8.csv" >/dev/null 2>&1
python3 - "$WORK/replay.json" "$WORK/at7.json" "$WORK/train8.csv" <<'PY' \
  && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: replay --at 7 against train"; }
import json, sys
r = json.load(open(sys.argv[1]))
s = json.load(open(sys.argv[2]))
row = [line.strip().split(",") for line in open(sys.argv[3])][1:][7]
at, fork = r["at"], r["fork"]["at"]
checks = {
    "theta": at["theta"] == s["policy"]["theta"],
    "return_mean": float(row[3]) == at["return_mean"],
    "grad_norm": float(row[5]) == at["grad_norm"],
    "J": float(row[7]) == at["J"],
    "snapshots": r["snapshots"] == [0, 4, 8, 12, 16, 20] and r["replayed_from"] == 4,
    "fork shares theta_7 and g_7": fork["theta"] == at["theta"] and fork["gradient"] == at["gradient"],
    "fork parts at theta_8": fork["theta_next"] != at["theta_next"],
    "fork setting": r["fork"]["setting"] == "lr=0.6",
}
bad = [k for k, ok in checks.items() if not ok]
print("replay mismatches:", bad) if bad else None
sys.exit(1 if bad else 0)
PY
expect 2 "--at: 30 is after the run's last iteration 5" -- replay --scenario gridworld-reinforce --iterations 5 --at 30
expect 2 "--fork: 'env.gamma' is not a live key" -- replay --scenario gridworld-reinforce --iterations 5 --at 2 --fork env.gamma=0.9
expect 2 '--scenario: required' -- replay --at 3
expect 2 'algorithm\.lr: ' -- replay --scenario gridworld-reinforce --iterations 5 --at 2 --fork algorithm.lr=-1
printf '{"algorithm": {"lr": NaN}}\n' >"$WORK/nan.json"
expect 2 'nan\.json:1:[0-9]+: malformed JSON' -- train --scenario "$WORK/nan.json"
expect 2 'algorithm\.lr: .*not finite' -- train --scenario gridworld-reinforce --set algorithm.lr=nan
expect 2 'env\.gamma: .*out of range' -- train --scenario gridworld-reinforce --set env.gamma=-0.5
expect 2 'algorithm\.batch_episodes: .*\[1, 100000\]' -- grad --scenario gridworld-reinforce --set algorithm.batch_episodes=0 --out "$WORK/x.json"
expect 2 'estimator\.baselin: unknown key; did you mean estimator\.baseline\? allowed: .*baseline' -- train --scenario gridworld-reinforce --set estimator.baselin=mean
expect 2 'estimator\.baseline: .*one of: none, mean' -- train --scenario gridworld-reinforce --set estimator.baseline=avg
expect 2 'exact-value needs a finite world' -- train --scenario cartpole-reinforce --set estimator.baseline=exact-value
expect 2 'no such scenario file; shipped scenarios: .*gridworld-reinforce' -- train --scenario missing-scenario
expect 2 'exact needs a world whose J is exact; allowed: gridworld, .*continuous-bandit' -- exact --scenario cartpole-reinforce
# The continuous bandit's exact J and ∇J (quadrature) are the batch dump's, bit for bit.
if "$PGLAB" exact --scenario continuous-bandit-reinforce >"$WORK/cb-exact.json" 2>"$WORK/stderr" &&
  "$PGLAB" grad --scenario continuous-bandit-reinforce --out "$WORK/cb-dump.json" 2>>"$WORK/stderr" &&
  python3 -c '
import json, sys
e = json.load(open(sys.argv[1]))
d = json.load(open(sys.argv[2]))["exact"]
assert e["method"] == "quadrature" and e["J"] == d["J"] and e["gradient"] == d["gradient"], (e, d)
' "$WORK/cb-exact.json" "$WORK/cb-dump.json" 2>>"$WORK/stderr"; then
  pass=$((pass + 1))
else
  fail=$((fail + 1))
  echo "FAIL: exact on the continuous bandit differs from the dump's exact block: $(head -c 300 "$WORK/stderr")"
fi

# --- bad flags --------------------------------------------------------------------------------
expect 2 "'--bogus' is not an option of pglab train" -- train --scenario gridworld-reinforce --bogus
expect 2 'nosuchcommand' -- nosuchcommand
expect 2 '--init.*4 numbers' -- trace --env cartpole --init 0,0,0 --actions 1
expect 2 '--actions.*0 \(push left\) or 1' -- trace --env cartpole --init 0,0,0,0 --actions 1,2
expect 2 '--iterations' -- train --scenario gridworld-reinforce --iterations -3
# An empty file name is refused, not read as the flag left out (--save "" saved nothing, exit 0).
expect 2 '--save: an empty file name' -- train --scenario bandit-reinforce --iterations 2 --save ""
expect 2 '--csv: an empty file name' -- train --scenario bandit-reinforce --iterations 2 --csv ""
expect 2 '--out: an empty file name' -- grad --scenario bandit-reinforce --out ""
expect 2 '--scenario: an empty file name' -- --scenario ""
# --csv - is standard output: only CSV there, the summary line on stderr, no file named "-".
pglab_abs="$(cd "$(dirname "$PGLAB")" && pwd)/$(basename "$PGLAB")"
(cd "$WORK" && "$pglab_abs" train --scenario bandit-reinforce --iterations 3 --csv - >"$WORK/stdout.csv" 2>"$WORK/summary.txt")
if [ "$(head -c 10 "$WORK/stdout.csv")" = "iteration," ] && [ "$(grep -c . "$WORK/stdout.csv")" = 4 ] &&
  grep -q '"iterations": 3' "$WORK/summary.txt" && [ ! -e "$WORK/-" ]; then
  pass=$((pass + 1))
else
  fail=$((fail + 1))
  echo "FAIL: train --csv - did not put exactly the CSV on stdout and the summary on stderr"
fi
expect 0 '^iteration,seeds,' -- seeds --scenario bandit-reinforce --iterations 2 --seeds 2 --csv -
# A key given twice, and rules the built session checks, name the file's line.
printf '{"env": {"kind": "bandit"},\n "env": {"kind": "gridworld"}}\n' >"$WORK/twice.json"
expect 2 "twice\.json:2: env: the key 'env' is given twice" -- train --scenario "$WORK/twice.json"
printf '{"env": {"kind": "bandit"},\n "algorithm": {"lr": 0.1},\n "algorithm.lr": 0.2}\n' >"$WORK/dotted.json"
expect 2 "dotted\.json:3: algorithm\.lr: the key is given twice \(nested and as a dotted name\)" -- train --scenario "$WORK/dotted.json"
# GRPO derives its batch: a dotted batch_episodes that disagrees is refused as a nested one is.
printf '{"algorithm": {"name": "grpo"}, "algorithm.batch_episodes": 5,\n "env": {"kind": "token-task"}}\n' >"$WORK/grpo_dotted.json"
expect 2 "grpo_dotted\.json:1: algorithm\.batch_episodes: grpo samples .*leave algorithm\.batch_episodes out" -- train --scenario "$WORK/grpo_dotted.json"
printf '{"env": {"kind": "bandit"},\n "algorithm": {"name": "reinforce",\n  "num_steps": 128}}\n' >"$WORK/steps.json"
expect 2 'steps\.json:3: algorithm\.num_steps: reinforce learns from whole episodes' -- train --scenario "$WORK/steps.json"
expect 2 '^pglab: algorithm\.num_steps: reinforce' -- train --scenario "$WORK/steps.json" --set algorithm.num_steps=64
# Without a display, a bad file for the window is still bad input (exit 2), not a display problem.
DISPLAY= WAYLAND_DISPLAY= expect 2 'nosuch: no such scenario file' -- --scenario nosuch
DISPLAY= WAYLAND_DISPLAY= expect 2 'nosuch: no such lesson file' -- --lesson nosuch
echo '{"format": "pglab.lesson/1"}' >"$WORK/not-a-session.json"
DISPLAY= WAYLAND_DISPLAY= expect 2 'not-a-session.json.*not a session file' -- --session "$WORK/not-a-session.json"
# Axes asked for that draw no plane say which would, under the flag's name (it said "axes:" here
# and "--axes:" for a token it could not read).
expect 2 '^pglab: --axes: the two axes point the same way here \(grad, natural\).*allowed: .*grad,theta:0' -- landscape --scenario bandit-reinforce --axes grad,natural --grid 5
expect 2 '^pglab: --axes: .*allowed: .*or p alone' -- landscape --scenario short-corridor-reinforce --axes grad,natural --grid 5
expect 2 '^pglab: --axes: parameter 2 does not exist; allowed: theta:0 … theta:1$' -- landscape --scenario short-corridor-reinforce --axes theta:2
expect 2 '^pglab: --axes: the update direction is zero here' -- landscape --scenario short-corridor-reinforce --axes theta:0,update --grid 5 --set algorithm.batch_episodes=1 --set env.step_limit=1
expect 2 '^pglab: --direction: parameter 9 does not exist' -- surrogate --scenario short-corridor-reinforce --direction theta:9
# ...and without --axes the default draws on every finite scenario the help names: grad,natural,
# or the two logits where that plane does not form (a uniform policy in a one-observation world).
expect 0 'axes theta:0,theta:1: the default grad,natural makes no plane here \(∇J and F⁻¹∇J point the same way\)' -- landscape --scenario short-corridor-reinforce --grid 5 --steps 3
expect 0 '"axes": \["theta:0", "theta:1"\]' -- landscape --scenario bandit-reinforce --grid 5 --steps 3 --json
expect 0 'along ∇J × along F⁻¹∇J' -- landscape --scenario gridworld-reinforce --grid 5 --steps 3
PGLAB_MEMORY_BUDGET_MB=abc expect 2 "PGLAB_MEMORY_BUDGET_MB: 'abc' is not a memory budget" -- train --scenario bandit-reinforce

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
