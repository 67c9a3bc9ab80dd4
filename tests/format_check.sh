#!/usr/bin/env bash
# Fails if a git-tracked C++ file in app/, core/ or tests/ differs from .clang-format.
#   tests/format_check.sh [SOURCE_DIR]
# Lists every file that differs; to fix one: clang-format-14 -i FILE. CTest runs this as `format`
# when configured with -DPGLAB_CHECK_FORMAT=ON.
set -uo pipefail
cd "${1:-$(dirname "$0")/..}" || exit 2
cf="$(command -v clang-format-14 || command -v clang-format)" ||
  { echo "format: clang-format-14 not found (apt-get install clang-format-14)"; exit 77; }
git rev-parse --is-inside-work-tree >/dev/null 2>&1 || { echo "format: not a git checkout"; exit 77; }
mapfile -t files < <(git ls-files -- 'app/*.cpp' 'app/*.h' 'core/*.cpp' 'core/*.h' 'tests/*.cpp' 'tests/*.h')
bad=()
for f in "${files[@]}"; do
  [ -f "$f" ] || continue
  "$cf" --style=file --dry-run --Werror "$f" >/dev/null 2>&1 || bad+=("$f")
done
if [ ${#bad[@]} -gt 0 ]; then
  printf 'format: %s differs from .clang-format\n' "${bad[@]}"
  echo "format: ${#bad[@]} of ${#files[@]} files differ; run: $cf -i FILE"
  exit 1
fi
echo "format: ${#files[@]} files match .clang-format"
