#!/bin/bash
# a9 F4 / a9 F7 / a10 5: presenter layouts measured by `pglab shot --check-clipping`.
#  - Folding the controls gives the views width: the gridworld's map must not shrink (1280×720 ×2:
#    372 px unfolded, 156 px folded). Folded, the tabs wrap into two rows where unfolded they were
#    one menu, so the view is 50 px shorter (390 against 440 at 1280×720 ×2) and the map beside
#    the curves can lose what that costs, no more: at least 80% of the unfolded map.
#  - A fork's two pictures: no clipped text and no legend over data at 1280×720 ×1 and ×1.5 and
#    1920×1080 ×2 (a fork that faults: exit 1 with its fault on stderr, the fault in place of its
#    picture).
# usage: window_fold_world.sh PGLAB OUTDIR
set -u
pglab=$1
out=$2
mkdir -p "$out"
fail=0
world() {  # the map's height from shot's report
  sed -n 's/^environment picture: .*(world [0-9]*x\([0-9]*\)).*/\1/p' "$1"
}
for size in 1280x720:2 1600x900:2 1920x1080:1; do
  s=${size%%:*}
  k=${size##*:}
  for fold in "" --fold-controls; do
    "$pglab" shot --scenario gridworld-reinforce --iterations 3 --view overview --size "$s" \
      --scale "$k" $fold --check-clipping --out "$out/ov-$s-$k$fold.png" >"$out/ov-$s-$k$fold.log" 2>&1
    rc=$?
    [ $rc -eq 0 ] || { echo "FAIL: overview $s ×$k $fold: exit $rc"; cat "$out/ov-$s-$k$fold.log"; fail=1; }
  done
  a=$(world "$out/ov-$s-$k.log")
  b=$(world "$out/ov-$s-$k--fold-controls.log")
  echo "overview $s ×$k: map ${a:-?} px unfolded, ${b:-?} px folded"
  if [ -z "$a" ] || [ -z "$b" ] || [ $((b * 10)) -lt $((a * 8)) ]; then
    echo "FAIL: folding the controls made the map smaller"
    fail=1
  fi
done
# (The short corridor's picture kept its paragraphs in a half-width branch: 105 px past the
# branch's bottom at 1280×720 ×1.5, and at ×1 its J(p) key 181 px past the right edge. The
# continuous bandit's plots ran 64 px past the branch at 1280×720 ×1.5 and 84 px at 1920×1080 ×2,
# and at ×1 their legends stood over their data: hides 369 and 332, a11 F4. No legend over data.)
for size in 1280x720:1 1280x720:1.5 1920x1080:2; do
  s=${size%%:*}
  k=${size##*:}
  for scen in gridworld-reinforce bandit-reinforce short-corridor-reinforce \
    continuous-bandit-reinforce; do
    log="$out/fork-$scen-$s-$k.log"
    "$pglab" shot --scenario $scen --iterations 12 --fork algorithm.lr=0.5 --fork-at 6 \
      --view overview --size "$s" --scale "$k" --check-clipping --out "$out/fork-$scen-$s-$k.png" \
      >"$log" 2>&1
    rc=$?
    echo "fork $scen $s ×$k: exit $rc, $(grep -c '^clipped:' "$log") clipped"
    # (The short corridor's fork faults at iteration 7, an exploding step: shot exits 1 and its
    # branch shows the fault, a11 F2; that layout must not clip either.)
    ok=0
    [ $rc -eq 0 ] && ok=1
    [ $rc -eq 1 ] && grep -q '^pglab shot: the fork stopped' "$log" &&
      ! grep -q '^clipped:' "$log" && ok=1
    grep -q '^legend over data:' "$log" && ok=0
    [ $ok -eq 1 ] || { cat "$log"; fail=1; }
  done
done
# The short corridor's two pictures (the fork at lr = 0.5 above faults: its branch is its fault):
# with a fork that runs on, both corridors side by side (its names over the probability labels at
# 1280×720 ×1, a11 F5: test_layout's CorridorNamesStandClearOfTheArrowLabels measures them).
for size in 1280x720:1 1280x720:1.5 1920x1080:2; do
  s=${size%%:*}
  k=${size##*:}
  log="$out/fork-corridor-runs-$s-$k.log"
  "$pglab" shot --scenario short-corridor-reinforce --iterations 12 --fork algorithm.lr=0.001 \
    --fork-at 6 --view overview --size "$s" --scale "$k" --check-clipping \
    --out "$out/fork-corridor-runs-$s-$k.png" >"$log" 2>&1
  rc=$?
  echo "fork short-corridor lr=0.001 $s ×$k: exit $rc"
  { [ $rc -eq 0 ] && ! grep -q '^legend over data:' "$log"; } || { cat "$log"; fail=1; }
done
exit $fail
