#!/usr/bin/env bash
# Writes batch dumps with `pglab grad` for every valid estimator combination on five scenarios and
# checks each with the independent pure-Python recomputation check_dump.py.
#
#   check_dumps.sh PGLAB_BINARY OUTDIR
#
# Prints one line per dump and a summary `N passed, M failed`; exits non-zero on any failure.
set -u

if [ $# -ne 2 ]; then
  echo "usage: check_dumps.sh PGLAB_BINARY OUTDIR" >&2
  exit 2
fi
PGLAB=$1
OUT=$2
. "$(cd "$(dirname "$0")" && pwd)/dump_common.sh"

mkdir -p "$OUT"
rm -f "$OUT"/*.json

passed=0
failed=0
pids=()

# Runs the checker on a list of dumps (one Python process per scenario, so the exact oracle is
# computed once per θ) and counts its PASS/FAIL lines.
run_check() {
  local log=$1
  shift
  "$PYTHON" "$CHECK" "$@" >"$log" 2>&1
  echo "exit $?" >>"$log"
}

# gen TAG SCENARIO FINITE EXTRA_ARGS...: one dump per valid returns × baseline × normalize ×
# discount_weighting combination. FINITE: 1 if the world has an exact oracle (exact-value valid).
# The baseline is set last: pglab validates the cross-key rules after every --set, so
# `--set estimator.baseline=optimal` before `--set estimator.normalize=false` is rejected on a
# scenario whose file says normalize=true.
gen() {
  local tag=$1 scenario=$2 finite=$3
  shift 3
  local extra=("$@")
  local baselines="none mean time-mean leave-one-out optimal critic"
  [ "$finite" = 1 ] && baselines="$baselines exact-value"
  local files=()
  for ret in total reward-to-go; do
    for base in $baselines; do
      for norm in false true; do
        for dw in false true; do
          if [ "$base" = optimal ] && { [ "$ret" != total ] || [ "$norm" != false ]; }; then continue; fi
          local f="$OUT/$tag-$ret-$base-n$norm-d$dw.json"
          # critic.* only with the critic baseline: without it no critic learns and --set refuses
          # a key that would do nothing.
          local args=() i
          for ((i = 0; i < ${#extra[@]}; i++)); do
            if [ "${extra[i]}" = --set ] && [ "$base" != critic ] && [[ "${extra[i + 1]}" == critic.* ]]; then
              i=$((i + 1))
              continue
            fi
            args+=("${extra[i]}")
          done
          if "$PGLAB" grad --scenario "$SCEN/$scenario.json" "${args[@]}" \
               --set estimator.returns=$ret --set estimator.normalize=$norm \
               --set estimator.discount_weighting=$dw --set estimator.baseline=$base \
               --out "$f" 2>"$f.err"; then
            files+=("$f")
          else
            echo "FAIL $f: pglab grad failed: $(head -c 400 "$f.err")"
            echo "x" >>"$OUT/.gen_failures"
          fi
        done
      done
    done
  done
  printf '%s\n' "${files[@]}" >"$OUT/$tag.list"
}

rm -f "$OUT/.gen_failures"
start=$(date +%s)

gen grid gridworld-reinforce 1 &
pids+=($!)
gen cliff cliff-reinforce 1 --set env.step_limit=30 &
pids+=($!)
gen corridor short-corridor-reinforce 1 --set algorithm.batch_episodes=4 &
pids+=($!)
gen bandit bandit-reinforce 1 &
pids+=($!)
gen cartpole cartpole-reinforce 0 --set policy.hidden=8,8 --set critic.hidden=8,8 --set critic.kind=mlp &
pids+=($!)
# Continuous actions: a Gaussian on the continuous bandit (exact J, ∇J by quadrature).
gen cbandit continuous-bandit-reinforce 1 --set algorithm.batch_episodes=6 &
pids+=($!)
for p in "${pids[@]}"; do wait "$p"; done

# θ away from the start, other seeds.
extra_files=()
extra() {
  local name=$1
  shift
  local f="$OUT/extra-$name.json"
  if "$PGLAB" grad "$@" --out "$f" 2>"$f.err"; then
    extra_files+=("$f")
  else
    echo "FAIL $f: pglab grad failed: $(head -c 400 "$f.err")"
    echo "x" >>"$OUT/.gen_failures"
  fi
}
extra grid-it3-seed7 --scenario "$SCEN/gridworld-reinforce.json" --iterations 3 --seed 7
extra grid-it3-seed3-exact --scenario "$SCEN/gridworld-reinforce.json" --iterations 3 --seed 3 \
  --set estimator.baseline=exact-value --set estimator.discount_weighting=false
extra cliff-it3-seed5 --scenario "$SCEN/cliff-reinforce.json" --set env.step_limit=30 --iterations 3 --seed 5 \
  --set estimator.returns=total --set estimator.normalize=false --set estimator.baseline=optimal
extra corridor-it3-seed2 --scenario "$SCEN/short-corridor-reinforce.json" --set algorithm.batch_episodes=4 \
  --iterations 3 --seed 2 --set estimator.baseline=exact-value
extra bandit-it3-seed9 --scenario "$SCEN/bandit-reinforce.json" --iterations 3 --seed 9 \
  --set estimator.baseline=leave-one-out --set estimator.normalize=true
extra cartpole-it3-seed4 --scenario "$SCEN/cartpole-reinforce.json" --set policy.hidden=8,8 \
  --set critic.hidden=8,8 --iterations 3 --seed 4
extra cartpole-relu-seed6 --scenario "$SCEN/cartpole-reinforce.json" --set policy.hidden=8,8 \
  --set policy.activation=relu --iterations 2 --seed 6 \
  --set estimator.baseline=time-mean
# policy.precision=float32: the network (and the MLP critic) in float; checked at float's tolerance.
extra cartpole-float32-seed5 --scenario "$SCEN/cartpole-reinforce.json" --set policy.hidden=8,8 \
  --set critic.hidden=8,8 --set critic.kind=mlp --set policy.precision=float32 --iterations 2 --seed 5 \
  --set estimator.baseline=critic
# Off-policy: every weighting, with and without truncation (c̄ small enough that some weights are
# capped, so `w`/`ess` uncapped and `weight` capped differ), both returns, after a few iterations so
# that the lagged behaviour differs from the target; and a fixed behaviour on the corridor.
for wt in trajectory per-step per-decision; do
  for cbar in 0 1.05; do
    extra offgrid-$wt-c$cbar-rtg --scenario "$SCEN/off-policy-gridworld.json" --iterations 4 --seed 3 \
      --set offpolicy.weighting=$wt --set offpolicy.truncate=$cbar
    extra offgrid-$wt-c$cbar-total --scenario "$SCEN/off-policy-gridworld.json" --iterations 4 --seed 5 \
      --set offpolicy.weighting=$wt --set offpolicy.truncate=$cbar --set estimator.returns=total \
      --set estimator.baseline=none
  done
done
# Gaussian policies: an MLP mean with learned or state-dependent log σ, squashed, on Pendulum-v1
# and continuous cart-pole (REINFORCE's estimate, and TRPO's, which is REINFORCE's ĝ), after a few
# iterations.
# No critic.* or num_envs: REINFORCE with leave-one-out learns no critic and takes whole episodes,
# and --set refuses keys that would do nothing.
PEND=(--scenario "$SCEN/pendulum-ppo.json" --set policy.hidden=8,8)
# (each key once: --set refuses a key given twice)
WHOLE_EPISODES=(--set algorithm.num_steps=0 --set algorithm.batch_episodes=2
                --set estimator.baseline=leave-one-out)
REINF=(--set algorithm.name=reinforce "${WHOLE_EPISODES[@]}")
extra pendulum-reinforce "${PEND[@]}" "${REINF[@]}" --iterations 2 --seed 3
extra pendulum-dependent-squash "${PEND[@]}" "${REINF[@]}" --set policy.log_std=state-dependent \
  --set policy.squash=true --set estimator.returns=total --iterations 2 --seed 4
extra pendulum-trpo "${PEND[@]}" --set algorithm.name=trpo "${WHOLE_EPISODES[@]}" --iterations 2 --seed 6
extra ccartpole-reinforce --scenario "$SCEN/cartpole-reinforce.json" --set env.kind=continuous-cartpole \
  --set policy.kind=gaussian --set policy.hidden=8 --set critic.hidden=8 --iterations 2 --seed 2
extra cbandit-it3-squash --scenario "$SCEN/continuous-bandit-reinforce.json" --set policy.squash=true \
  --iterations 3 --seed 8 --set estimator.baseline=exact-value
extra offcorridor-fixed --scenario "$SCEN/off-policy-corridor.json" --iterations 2 --seed 4 --set offpolicy.truncate=2
printf '%s\n' "${extra_files[@]}" >"$OUT/extra.list"

# Check, one checker process per list, in parallel.
pids=()
for tag in grid cliff corridor bandit cartpole cbandit extra; do
  mapfile -t files <"$OUT/$tag.list"
  nonempty=()
  for f in "${files[@]}"; do [ -n "$f" ] && nonempty+=("$f"); done
  if [ ${#nonempty[@]} -gt 0 ]; then
    run_check "$OUT/$tag.log" "${nonempty[@]}" &
    pids+=($!)
  else
    echo "exit 0" >"$OUT/$tag.log"
  fi
done
# The checker must be able to fail: perturb one dump and require the mismatch to be reported.
selftest=("$OUT/grid-reward-to-go-exact-value-nfalse-dtrue.json" "$OUT/extra-offgrid-per-decision-c1.05-rtg.json"
          "$OUT/extra-offgrid-trajectory-c1.05-rtg.json")
run_check "$OUT/selftest.log" --self-test "${selftest[@]}" "$OUT/cartpole-reward-to-go-critic-ntrue-dfalse.json" \
  "$OUT/cbandit-total-leave-one-out-nfalse-dfalse.json" "$OUT/extra-pendulum-reinforce.json" &
pids+=($!)
for p in "${pids[@]}"; do wait "$p"; done

for tag in grid cliff corridor bandit cartpole cbandit extra; do
  cat "$OUT/$tag.log" | grep -v '^exit '
  passed=$((passed + $(grep -c '^PASS ' "$OUT/$tag.log")))
  failed=$((failed + $(grep -c '^FAIL ' "$OUT/$tag.log")))
done
gen_failed=0
[ -f "$OUT/.gen_failures" ] && gen_failed=$(wc -l <"$OUT/.gen_failures")
failed=$((failed + gen_failed))

grep -v '^exit ' "$OUT/selftest.log" | sed 's/^/  /'
if grep -q '^exit 0$' "$OUT/selftest.log" && ! grep -q '^FAIL ' "$OUT/selftest.log"; then
  echo "self-test: PASS (perturbed dumps are rejected)"
  passed=$((passed + 1))
else
  echo "self-test: FAIL"
  failed=$((failed + 1))
fi

echo "$passed passed, $failed failed ($(($(date +%s) - start)) s)"
[ "$failed" -eq 0 ]
