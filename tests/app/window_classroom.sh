#!/usr/bin/env bash
# Issue 9 through the real binary (run under Xvfb): every shipped lesson run through the window's
# path (`pglab shot --lesson F --lesson-step last`) prints exactly the lines `pglab lesson --check F`
# prints, every claim holding; a session saved by one `shot` and opened by another shows the same
# screen; a damaged session file is one line and exit 2.
set -u
pglab="$1"; lessons="$2"; work="$3"; here="$(cd "$(dirname "$0")" && pwd)"
mkdir -p "$work"; rm -f "$work"/*.json
py=/usr/bin/python3; [ -x "$py" ] || py=python3
fail() { echo "FAIL: $*"; exit 1; }

for f in "$lessons"/*.json; do
  name=$(basename "$f" .json)
  want=$("$pglab" lesson --check "$f") || fail "$name: lesson --check exit $?"
  got=$("$pglab" shot --lesson "$f" --lesson-step last --size 1280x720 --out "$work/$name.png")
  rc=$?
  [ $rc -eq 0 ] || fail "$name: shot --lesson exit $rc"
  got=$(echo "$got" | grep -v '^wrote ')
  [ "$want" = "$got" ] || fail "$name: the window's lines differ from lesson --check:
$(diff <(echo "$want") <(echo "$got"))"
  echo "$got" | tail -1 | grep -Eq '^([0-9]+) of \1 claims hold$' || fail "$name: $(echo "$got" | tail -1)"
  echo "$name: $(echo "$got" | tail -1)"
done

# Every step of every lesson, as the window shows it beside the lesson panel (a narrower view than
# any scenario alone gets): no clipped or overlapping text at 1280×720.
for f in "$lessons"/*.json; do
  name=$(basename "$f" .json)
  steps=$("$py" -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["steps"]))' "$f")
  for ((k = 1; k <= steps; k++)); do
    err=$("$pglab" shot --lesson "$f" --lesson-step "$k" --size 1280x720 --check-clipping \
      --out "$work/$name-$k.png" 2>&1 >/dev/null)
    rc=$?
    [ $rc -eq 0 ] || fail "$name step $k: shot exit $rc: $(echo "$err" | grep -v '^clipped text: 0$')"
  done
  echo "$name: $steps steps, no clipped text"
done

# The teacher saves (after 20 iterations, the inspector in front); the student opens the file.
"$pglab" shot --scenario gridworld-reinforce --iterations 20 --view inspector --size 1280x720 \
  --out "$work/teacher.png" --save-session "$work/demo.json" >/dev/null || fail "save: exit $?"
"$pglab" shot --session "$work/demo.json" --size 1280x720 --out "$work/student.png" >/dev/null ||
  fail "open: exit $?"
diff=$("$py" "$here/png_diff.py" "$work/teacher.png" "$work/student.png") || fail "png_diff: $diff"
echo "teacher vs student: $diff"
# The one difference allowed is the status line in the controls column ("saved …" / "opened …"):
# every differing pixel lies in the left 30% of the window (the controls column is 19 font units of
# 1280 px), fewer than 1% of the pixels.
read -r _ n _ x0 y0 x1 y1 <<<"$diff"
if [ "$n" != 0 ]; then
  [ "$n" -lt 9216 ] && [ "$x1" -lt 384 ] || fail "the opened session looks different: $diff"
fi

# Damaged and foreign files: one line, exit 2.
head -c 300 "$work/demo.json" > "$work/truncated.json"
sed 's|pglab.session/1|pglab.session/2|' "$work/demo.json" > "$work/newer.json"
for bad in truncated newer; do
  err=$("$pglab" shot --session "$work/$bad.json" --out "$work/x.png" 2>&1 >/dev/null); rc=$?
  [ $rc -eq 2 ] || fail "$bad: exit $rc, expected 2"
  [ "$(echo "$err" | wc -l)" -eq 1 ] || fail "$bad: not one line: $err"
  echo "$bad: $err"
done

# A prediction that does not fit the step shown is refused, not dropped ("no prediction given"):
# the first lesson's first step asks a choice among three.
for bad in 5 -1 0.73; do
  err=$("$pglab" shot --lesson 01-bandit-reinforce --lesson-step 1 --predict "$bad" \
    --out "$work/p.png" 2>&1 >/dev/null); rc=$?
  [ $rc -eq 2 ] || fail "--predict $bad: exit $rc, expected 2"
  echo "$err" | grep -q "has choices 0 to" || fail "--predict $bad: $err"
  echo "--predict $bad: $err"
done
"$pglab" shot --lesson 01-bandit-reinforce --lesson-step 1 --predict 1 --out "$work/p.png" \
  >/dev/null || fail "--predict 1: exit $?"

# A claim that does not fit the session is bad input in the window's path as in lesson --check:
# exit 2 from both, the same line (SAC reports no clip fraction).
cat > "$work/sac-clip.json" <<'EOF'
{"format": "pglab.lesson/1", "title": "T", "steps": [
  {"title": "s", "scenario": "sac-gridworld", "check": {"claim": "clip_fraction", "min": 0}}]}
EOF
"$pglab" lesson --check "$work/sac-clip.json" >/dev/null 2>&1; rc=$?
[ $rc -eq 2 ] || fail "lesson --check sac-clip: exit $rc, expected 2"
err=$("$pglab" shot --lesson "$work/sac-clip.json" --lesson-step 1 --out "$work/x.png" 2>&1 >/dev/null); rc=$?
[ $rc -eq 2 ] || fail "shot --lesson sac-clip: exit $rc, expected 2: $err"
echo "$err" | grep -q "clip_fraction" || fail "shot --lesson sac-clip: $err"
echo "sac-clip: $err"
echo ok
