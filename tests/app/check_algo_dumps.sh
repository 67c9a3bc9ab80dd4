#!/usr/bin/env bash
# Writes batch dumps of one algorithm family with `pglab grad` and checks each with the independent
# pure-Python recomputation check_dump.py (REINFORCE, NPG/TRPO and off-policy: check_dumps.sh).
#
#   check_algo_dumps.sh a2c|ppo|grpo|sac PGLAB_BINARY OUTDIR
#
# a2c, ppo, grpo: every dump must PASS, and --self-test must reject its perturbations (so the check
# can fail). sac: check_dump.py does not recompute SAC (its ĝ runs through the critics); it must
# say so — "NOT COVERED …: sac dumps are checked by tests/core/test_sac_dump.cpp" — and exit 3.
set -u

if [ $# -ne 3 ]; then
  echo "usage: check_algo_dumps.sh a2c|ppo|grpo|sac PGLAB_BINARY OUTDIR" >&2
  exit 2
fi
ALGO=$1
PGLAB=$2
OUT=$3
. "$(cd "$(dirname "$0")" && pwd)/dump_common.sh"
mkdir -p "$OUT"
rm -f "$OUT"/*.json "$OUT"/*.err

files=()
failed=0
# dump NAME SCENARIO ARGS...: one `pglab grad` dump.
dump() {
  local name=$1 scenario=$2
  shift 2
  local f="$OUT/$name.json"
  if "$PGLAB" grad --scenario "$SCEN/$scenario.json" "$@" --out "$f" 2>"$f.err"; then
    files+=("$f")
  else
    echo "FAIL $f: pglab grad failed: $(head -c 400 "$f.err")"
    failed=$((failed + 1))
  fi
}

case "$ALGO" in
  a2c)
    # Segments (8 envs × 32 steps), every advantage estimator, with and without normalisation, on
    # the 4×4 map with a step cost (frozen-lake rewards are so rare that early ĝ is often zero);
    # frozen lake itself; online updates; whole episodes; an MLP actor and critic on cart-pole.
    SMALL=(--set env.map=classic-4x4 --set env.step_reward=-0.04 --set env.pit_reward=-1)
    for adv in mc td0 nstep gae; do
      n=()
      [ "$adv" = nstep ] && n=(--set advantage.n=3)
      for norm in false true; do
        dump "a2c-grid-$adv-n$norm" a2c-gridworld "${SMALL[@]}" --iterations 3 --seed 3 \
          --set advantage.estimator=$adv "${n[@]}" --set advantage.normalize=$norm
      done
    done
    dump a2c-frozen-lake a2c-gridworld --iterations 5 --seed 3
    dump a2c-online a2c-online-gridworld --iterations 7 --seed 2
    dump a2c-episodes a2c-gridworld "${SMALL[@]}" --iterations 2 --seed 4 --set algorithm.num_steps=0 \
      --set algorithm.batch_episodes=4
    dump a2c-cartpole a2c-cartpole --iterations 2 --seed 5 --set policy.hidden=8 --set critic.hidden=8
    ;;
  ppo)
    # CleanRL's cart-pole setting (small networks), the clipping demo after updates that clip,
    # Pendulum's squashed Gaussian, and a tabular PPO on the gridworld.
    dump ppo-cartpole cartpole-ppo --iterations 2 --seed 1 --set policy.hidden=8 --set critic.hidden=8
    dump ppo-clipping ppo-clipping-demo --iterations 3 --seed 1 --set policy.hidden=8 --set critic.hidden=8
    dump ppo-pendulum pendulum-ppo --iterations 2 --seed 2 --set policy.hidden=8 --set critic.hidden=8
    dump ppo-grid-td0 a2c-gridworld --set algorithm.name=ppo --iterations 3 --seed 6 \
      --set advantage.estimator=td0
    ;;
  grpo)
    # The token task's model is written sparsely (P_sparse); tabular and MLP, mean and
    # leave-one-out baselines, with and without σ, and without the KL term. Trained until groups
    # differ (at iteration 0 every reward is 0 and Â is 0: tabular seed 1 has 32 of 64 completions
    # with Â ≠ 0 at iteration 40, the MLP 56 of 128 at 20).
    dump grpo-tabular grpo-token-task --iterations 40 --seed 1
    dump grpo-tabular-loo grpo-token-task --iterations 40 --seed 2 --set grpo.leave_one_out=true \
      --set grpo.std_normalize=false
    dump grpo-mlp grpo-token-task-mlp --iterations 20 --seed 3
    dump grpo-mlp-nokl grpo-token-task-mlp --iterations 20 --seed 4 --set grpo.kl_coef=0
    ;;
  sac)
    dump sac-gridworld sac-gridworld --iterations 3 --seed 1
    "$PYTHON" "$CHECK" "${files[@]}" >"$OUT/check.log" 2>&1
    rc=$?
    cat "$OUT/check.log"
    if [ "$rc" -eq 3 ] && grep -q "^NOT COVERED .*sac dumps are checked by tests/core/test_sac_dump.cpp" "$OUT/check.log"; then
      echo "sac: PASS (check_dump.py says it does not recompute SAC, exit 3)"
      [ "$failed" -eq 0 ]
      exit
    fi
    echo "sac: FAIL (expected NOT COVERED and exit 3, got exit $rc)"
    exit 1
    ;;
  *)
    echo "check_algo_dumps.sh: unknown algorithm '$ALGO' (a2c, ppo, grpo, sac)" >&2
    exit 2
    ;;
esac

if [ ${#files[@]} -eq 0 ]; then
  echo "no dumps written"
  exit 1
fi
"$PYTHON" "$CHECK" "${files[@]}" >"$OUT/check.log" 2>&1
echo "exit $?" >>"$OUT/check.log"
"$PYTHON" "$CHECK" --self-test "${files[@]}" >"$OUT/selftest.log" 2>&1
echo "exit $?" >>"$OUT/selftest.log"
grep -v '^exit ' "$OUT/check.log"
passed=$(grep -c '^PASS ' "$OUT/check.log")
failed=$((failed + $(grep -c -v '^PASS \|^exit 0$' "$OUT/check.log")))
grep -v '^exit ' "$OUT/selftest.log" | sed 's/^/  /'
if grep -q '^exit 0$' "$OUT/selftest.log"; then
  echo "self-test: PASS (perturbed dumps are rejected)"
else
  echo "self-test: FAIL"
  failed=$((failed + 1))
fi
echo "$ALGO: $passed dumps passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -eq ${#files[@]} ]
