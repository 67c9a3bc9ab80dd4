#!/bin/bash
# a11 F2: a fork whose update faults stops there. It stood silently at its start ("Episode still
# being sampled.", a lone dot on the curves) and `shot` exited 0. Now, as for the main run's fault:
# its branch shows the fault in the views' error colour in place of its picture, its curves' label
# says where it stopped, and `shot` prints the fault (train's words) and exits 1 — live and
# travelled back past the stop, at 1280×720 ×1 and ×1.5 and 1920×1080 ×2, with no clipped text.
# A fork that does not fault still exits 0 with no error text in the view.
# usage: window_fork_fault.sh PGLAB GUI_ALL_VIEWS OUTDIR
set -u
pglab=$1
check=$2
out=$3
mkdir -p "$out"
fail=0
want="the fork stopped at iteration 6: the update at iteration 6 collapsed the policy's entropy"
run() {  # name, size WxH, scale, then shot's arguments
  local name=$1 size=$2 scale=$3
  shift 3
  "$pglab" shot --scenario cartpole-ppo --iterations 12 --fork-at 6 --view overview \
    --size "$size" --scale "$scale" --check-clipping --out "$out/$name.png" "$@" \
    >"$out/$name.log" 2>&1
  echo $?
}
for size in 1280x720:1 1280x720:1.5 1920x1080:2 1280x720:1:at; do
  IFS=: read -r s k at <<<"$size"
  name="fault-$s-$k${at:+-at10}"
  rc=$(run "$name" "$s" "$k" --fork algorithm.lr=0.5 ${at:+--at 10})
  log="$out/$name.log"
  echo "$name: exit $rc"
  bad=0
  [ "$rc" -eq 1 ] || { echo "FAIL: $name: exit $rc, expected 1"; bad=1; }
  grep -qF "pglab shot: $want" "$log" || { echo "FAIL: $name: no fault on stderr"; bad=1; }
  grep -q '^clipped:' "$log" && { echo "FAIL: $name: clipped text"; bad=1; }
  # The fault is on screen: error-coloured text in the view area (gui_all_views --check fails on it).
  if "$check" --check "$out/$name.png" "$s" >"$out/$name.check" 2>&1 ||
    ! grep -q 'error text in the view area' "$out/$name.check"; then
    echo "FAIL: $name: no error text in the view: $(cat "$out/$name.check")"
    bad=1
  fi
  [ $bad -eq 0 ] || { cat "$log"; fail=1; }
done
# A fork that does not fault (lr = 0.001) catches up with the run: exit 0, nothing in red.
rc=$(run ok-1280x720-1 1280x720 1 --fork algorithm.lr=0.001)
echo "ok-1280x720-1: exit $rc"
[ "$rc" -eq 0 ] || { echo "FAIL: the fork that does not fault: exit $rc"; cat "$out/ok-1280x720-1.log"; fail=1; }
grep -q 'fork stopped' "$out/ok-1280x720-1.log" && { echo "FAIL: a fault reported"; fail=1; }
"$check" --check "$out/ok-1280x720-1.png" 1280x720 ||
  { echo "FAIL: the fork that does not fault: error text or a blank view"; fail=1; }
exit $fail
