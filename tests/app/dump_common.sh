# Sourced by check_dumps.sh and check_algo_dumps.sh: where the scenarios and the independent checker
# are, and the Python that runs it (Debian's, else the one on PATH).
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SCEN=$(cd "$HERE/../../assets/scenarios" && pwd)
CHECK="$HERE/check_dump.py"
PYTHON=${PYTHON:-}
if [ -z "$PYTHON" ]; then
  if [ -x /usr/bin/python3 ]; then PYTHON=/usr/bin/python3; else PYTHON=python3; fi
fi
