#!/usr/bin/env bash
# Builds and runs pglab's libFuzzer targets (tests/fuzz/*.cpp) with clang.
#
#   run_fuzz.sh build BUILD_DIR                 configure (clang, its own build dir) and build
#   run_fuzz.sh run   BUILD_DIR TARGET SECONDS  run TARGET over its seeds, then fuzz for SECONDS
#   run_fuzz.sh all   BUILD_DIR SECONDS         build, then run every target
#
# TARGET is scenario, grid_map, set, session or lesson. Seeds: tests/fuzz/corpus/TARGET (issue 8's
# reproducers; for session, small saved sessions and damaged variants), the shipped assets
# (scenarios, maps or lessons) and generated large reproducers (depth-70000 nesting,
# 20,000-character values). Each seed runs on its own, and every seed that fails is named.
# Inputs the fuzzer finds are kept in BUILD_DIR/corpus/TARGET; crashes in BUILD_DIR/artifacts/.
# Without clang or libFuzzer it says so and exits 77 (CTest counts that as skipped).
set -uo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
mode="${1:?usage: run_fuzz.sh build|run|all BUILD_DIR ...}"
build="${2:?missing BUILD_DIR}"
mkdir -p "$build"
build="$(cd "$build" && pwd)"
targets=(scenario grid_map set session lesson)

have_libfuzzer() {
  command -v clang++ >/dev/null || { echo "fuzz: clang++ not found (apt-get install clang libclang-rt-14-dev)"; return 1; }
  echo 'extern "C" int LLVMFuzzerTestOneInput(const unsigned char*, unsigned long) { return 0; }' \
    >"$build/probe.cpp"
  clang++ -fsanitize=fuzzer,address,undefined "$build/probe.cpp" -o "$build/probe" 2>"$build/probe.log" || {
    echo "fuzz: clang++ cannot link libFuzzer (apt-get install libclang-rt-14-dev):"; cat "$build/probe.log"; return 1; }
}

do_build() {
  have_libfuzzer || exit 77
  local launcher=()
  command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  local t0=$SECONDS
  # Line tables only (-g1): the sanitizers' reports keep file:line; ~10% less compile time.
  CXX=clang++ cmake -S "$here" -B "$build" "${launcher[@]}" \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG" >"$build/configure.log" 2>&1 ||
    { cat "$build/configure.log"; exit 1; }
  cmake --build "$build" -j"$(nproc 2>/dev/null || echo 2)" >"$build/build.log" 2>&1 ||
    { tail -50 "$build/build.log"; echo "fuzz: build failed"; exit 1; }
  echo "fuzz: built the targets in $((SECONDS - t0)) s ($build)"
}

# Seeds of one target into $build/seeds/TARGET (recreated each time, so removed seeds go away).
make_seeds() {
  local t="$1" dir="$build/seeds/$1"
  rm -rf "$dir" && mkdir -p "$dir"
  cp "$here/corpus/$t/"* "$dir/" 2>/dev/null
  local deep=70000 long=20000
  local open close value
  open="$(head -c $deep /dev/zero | tr '\0' '[')"
  close="$(head -c $deep /dev/zero | tr '\0' ']')"
  value="$(head -c $long /dev/zero | tr '\0' 'a')"
  case "$t" in
    scenario)
      for f in "$root"/assets/scenarios/*.json; do cp "$f" "$dir/shipped-$(basename "$f")"; done
      printf '{"estimator":{"baseline":%s%s}}' "$open" "$close" >"$dir/issue8-deep-nesting-70000.json"
      printf '{"name":%s"x"%s}' "$open" "$close" >"$dir/deep-nesting-name.json"
      printf '{"estimator":{"baseline":"%s"}}' "$value" >"$dir/issue8-long-bad-value.json"
      printf '{"%s":1}' "$value" >"$dir/long-unknown-key.json" ;;
    grid_map)
      for f in "$root"/assets/maps/*.txt; do cp "$f" "$dir/shipped-$(basename "$f")"; done
      printf 'S%sG\n' "$value" >"$dir/long-row.txt" ;;
    set)
      printf 'estimator.baseline=%s%s' "$open" "$close" >"$dir/issue8-deep-nesting-70000"
      printf 'estimator.baseline=%s' "$value" >"$dir/issue8-long-bad-value"
      printf 'env.map=%s' "$value" >"$dir/long-map-name"
      printf '%s=1' "$value" >"$dir/long-unknown-key" ;;
    session)
      printf '{"format":"pglab.session/1","scenario":%s%s}' "$open" "$close" >"$dir/deep-nesting-scenario.json"
      printf '{"format":"pglab.session/1","views":{"x":"%s"}}' "$value" >"$dir/long-value.json" ;;
    lesson)
      for f in "$root"/assets/lessons/*.json; do cp "$f" "$dir/shipped-$(basename "$f")"; done
      printf '{"format":"pglab.lesson/1","title":"t","steps":[%s%s]}' "$open" "$close" >"$dir/deep-nesting-steps.json"
      printf '{"format":"pglab.lesson/1","title":"t","steps":[{"title":"%s"}]}' "$value" >"$dir/long-title.json" ;;
  esac
}

do_run() {
  local t="$1" seconds="$2" bin="$build/fuzz_$1"
  [ -x "$bin" ] || { have_libfuzzer || exit 77; echo "fuzz: $bin is not built (run_fuzz.sh build $build)"; exit 1; }
  make_seeds "$t"
  local seeds="$build/seeds/$t" ok="$build/seeds-ok/$t" logs="$build/logs/$t"
  rm -rf "$ok" "$logs" && mkdir -p "$ok" "$logs" "$build/corpus/$t" "$build/artifacts"
  export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=0}"
  export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

  # 1. Every seed on its own, so a failure names its input.
  local failed=() n=0 t0=$SECONDS f
  for f in "$seeds"/*; do
    n=$((n + 1))
    if "$bin" -timeout=60 -rss_limit_mb=2048 "$f" >"$logs/$(basename "$f").log" 2>&1; then
      cp "$f" "$ok/"
    else
      failed+=("$f")
      echo "fuzz_$t: CRASH on input $f"
      grep -m3 -E 'ERROR: (AddressSanitizer|UndefinedBehaviorSanitizer|libFuzzer)|runtime error|terminate called|what\(\)|deadly signal|stack-overflow' \
        "$logs/$(basename "$f").log" | sed 's/^/    /'
      echo "    full log: $logs/$(basename "$f").log"
    fi
  done
  echo "fuzz_$t: $n seeds in $((SECONDS - t0)) s, ${#failed[@]} failed"

  # 2. Fuzzing from the seeds that pass (a failing seed would stop it at once) and the corpus
  #    kept from earlier runs.
  local status=0 max_len=4096
  # A saved session (θ of a small network, the history) is a few kB to ~20 kB.
  [ "$t" = session ] && max_len=32768
  if [ "$seconds" -gt 0 ]; then
    "$bin" -max_total_time="$seconds" -max_len="$max_len" -timeout=25 -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix="$build/artifacts/$t-" "$build/corpus/$t" "$ok" >"$logs/fuzz.log" 2>&1 || status=$?
    local runs
    runs="$(grep -m1 -o 'stat::number_of_executed_units: [0-9]*' "$logs/fuzz.log" | grep -o '[0-9]*$')"
    if [ "$status" -ne 0 ]; then
      echo "fuzz_$t: FINDING after fuzzing (exit $status); the input is in $build/artifacts/:"
      grep -E 'ERROR:|runtime error|what\(\)|Test unit written|deadly signal' "$logs/fuzz.log" | head -8 | sed 's/^/    /'
      echo "    full log: $logs/fuzz.log"
    else
      echo "fuzz_$t: ${runs:-?} executions in $seconds s, no finding; corpus $(ls "$build/corpus/$t" | wc -l) inputs"
    fi
  fi
  [ ${#failed[@]} -eq 0 ] && [ "$status" -eq 0 ]
}

case "$mode" in
  build) do_build ;;
  run) do_run "${3:?missing TARGET}" "${4:-30}" ;;
  all)
    do_build
    rc=0
    for t in "${targets[@]}"; do do_run "$t" "${3:-30}" || rc=1; done
    exit $rc ;;
  *) echo "usage: run_fuzz.sh build|run|all BUILD_DIR ..."; exit 2 ;;
esac
