#!/usr/bin/env bash
# Issue 8's run-time classes: signals, full disks, resource bombs, exploding updates. Each case
# asserts the exit code, a one-line message, and that no partial or temporary file is left.
# Usage: bad_input_run.sh PGLAB_BINARY WORKDIR
set -u
PGLAB=$1
WORK=$2
rm -rf "$WORK"
mkdir -p "$WORK"
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

# The refusals must not depend on this machine's memory: every case below needs far more than
# 4 GB, and a machine with 200 GB would otherwise accept (and start) them.
export PGLAB_MEMORY_BUDGET_MB=4000

# expect CODE PATTERN -- ARGS...: exit code, stderr matching PATTERN, and one line of stderr.
expect() {
  local code=$1 pattern=$2
  shift 3
  local rc
  "$PGLAB" "$@" >"$WORK/stdout" 2>"$WORK/stderr"
  rc=$?
  if [ "$rc" = "$code" ] && grep -Eq -- "$pattern" "$WORK/stderr"; then ok; else
    bad "pglab $* -> exit $rc (want $code), stderr did not match /$pattern/: $(head -c 400 "$WORK/stderr")"
  fi
  [ "$(grep -c . "$WORK/stderr")" = 1 ] || bad "pglab $* printed $(grep -c . "$WORK/stderr") lines on stderr (want 1)"
}

# csv_complete FILE: every line has the header's column count and the file ends with a newline.
csv_complete() {
  local f=$1
  [ -s "$f" ] || { bad "$f is empty"; return; }
  [ "$(tail -c 1 "$f" | od -An -c | tr -d ' ')" = '\n' ] || bad "$f does not end with a newline"
  awk -F, 'NR == 1 { n = NF } NF != n { bad = 1 } END { exit bad }' "$f" || bad "$f has a row whose column count differs from the header's"
  [ "$(wc -l <"$f")" -ge 2 ] || bad "$f has no data row"
  ok
}

# --- signals: finish the row, close the CSV, exit 130 / 143 ----------------------------------
for sig in INT TERM; do
  csv="$WORK/signal-$sig.csv"
  "$PGLAB" train --scenario cartpole-ppo --iterations 1000000 --csv "$csv" >"$WORK/stdout" 2>"$WORK/stderr" &
  pid=$!
  # Wait for a few rows (not a fixed time: a loaded machine is slow to start), then interrupt.
  for _ in $(seq 200); do
    [ -f "$csv" ] && [ "$(wc -l <"$csv")" -ge 4 ] && break
    sleep 0.1
  done
  kill -"$sig" "$pid"
  wait "$pid"
  rc=$?
  want=130
  [ "$sig" = TERM ] && want=143
  [ "$rc" = "$want" ] && ok || bad "train killed by SIG$sig exited $rc (want $want)"
  grep -Eq "stopped by SIG$sig after [0-9]* iterations?.*complete rows?" "$WORK/stderr" && ok \
    || bad "train stopped by SIG$sig did not say so: $(head -c 300 "$WORK/stderr")"
  csv_complete "$csv"
  # The rows written equal the iterations reported.
  n=$(sed -n "s/.*after \([0-9]*\) iteration.*/\1/p" "$WORK/stderr")
  [ "$(($(wc -l <"$csv") - 1))" = "${n:--1}" ] && ok || bad "SIG$sig: $n iterations reported, $(($(wc -l <"$csv") - 1)) rows"
done

# --- write errors: exit 1 with the path and the reason ---------------------------------------
expect 1 '/dev/full.*No space left on device' -- train --scenario gridworld-reinforce --iterations 2 --csv /dev/full
expect 1 '/dev/full.*No space left on device' -- grad --scenario bandit-reinforce --out /dev/full
expect 1 'missing-dir/dump\.json.*No such file or directory' -- grad --scenario bandit-reinforce --out "$WORK/missing-dir/dump.json"
expect 1 'missing-dir/c\.csv.*No such file or directory' -- train --scenario bandit-reinforce --iterations 2 --csv "$WORK/missing-dir/c.csv"
for cmd in "trace --env cartpole --init 0,0,0.01,0 --actions 1,0,1" "exact --scenario short-corridor-reinforce"; do
  # shellcheck disable=SC2086
  "$PGLAB" $cmd >/dev/full 2>"$WORK/stderr"
  rc=$?
  [ "$rc" = 1 ] && grep -q 'standard output.*No space left on device' "$WORK/stderr" && ok \
    || bad "pglab $cmd >/dev/full exited $rc: $(head -c 300 "$WORK/stderr")"
done
# A dump that was written is whole, and replacing it leaves no temporary file.
"$PGLAB" grad --scenario bandit-reinforce --out "$WORK/dump.json" && "$PGLAB" grad --scenario gridworld-reinforce --out "$WORK/dump.json" \
  && python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert d['format']=='pglab.batch/1'" "$WORK/dump.json" && ok \
  || bad "grad --out did not leave a whole JSON dump"

# --- resource bombs inside the documented ranges: refused before starting, exit 2 ------------
expect 2 '^pglab: algorithm\.num_steps: 64 environments × 100000 steps.*would need about .*GB.*budget.*lower algorithm\.num_envs or algorithm\.num_steps$' \
  -- train --scenario cartpole-ppo --set algorithm.num_envs=64 --set algorithm.num_steps=100000
expect 2 'algorithm\.batch_episodes: 100000 episodes × up to 1000000 steps.*lower algorithm\.batch_episodes or env\.step_limit' \
  -- train --scenario gridworld-reinforce --set algorithm.batch_episodes=100000 --set env.step_limit=1000000
expect 2 'env\.step_limit: the exact oracle.*horizon of 1000000 steps.*lower env\.step_limit' \
  -- exact --scenario four-rooms-reinforce --set env.step_limit=1000000
expect 2 '^pglab: --samples: 10000000 estimates.*would need about .*lower --samples \(at most [0-9]+ fit\)$' \
  -- variance --scenario gridworld-reinforce --samples 10000000
expect 2 'grpo\.group_size: .*lower grpo\.prompts or grpo\.group_size' \
  -- grad --scenario grpo-token-task-mlp --set grpo.prompts=1024 --set grpo.group_size=97 --set policy.hidden=[1024,1024,1024] --out "$WORK/never.json"
[ -e "$WORK/never.json" ] && bad "a refused grad wrote its dump" || ok
# What fits is not refused under the same budget.
"$PGLAB" train --scenario cartpole-ppo --iterations 1 >/dev/null 2>&1 && ok || bad "cartpole-ppo refused under a 4 GB budget"

# --- exploding updates: paused with what happened and what to change, exit 1 -----------------
expect 1 'pglab train: the update at iteration 0 (moved the parameters by|collapsed).*lower algorithm\.lr.*max_grad_norm' \
  -- train --scenario gridworld-reinforce --iterations 50 --set algorithm.optimizer=sgd --set algorithm.lr=1000 \
  --set env.goal_reward=1e9 --set env.pit_reward=-1e9 --set env.step_reward=-1e9

# --- nothing partial left behind --------------------------------------------------------------
left=$(find "$WORK" -name '*.pglab-tmp-*')
[ -z "$left" ] && ok || bad "temporary files left: $left"

echo "bad_input_run: $pass passed, $fail failed"
[ "$fail" = 0 ]
