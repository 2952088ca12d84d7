#!/usr/bin/env bash
# Fresh-clone check of the Python package: clones this repository's committed HEAD into a
# temporary directory, installs the package the documented way (`make python`: the extension
# built with CMake, pip-installed offline into a venv made from the system python3), imports it
# from outside the clone, and runs the README's Python example, whose output must be the one the
# README shows. Needs what scripts/install-deps.sh installs (it is called by `make python`).
# Usage: scripts/check-python-clone.sh [REPO] (default: this repository). KEEP=1 keeps the clone.
set -euo pipefail
src=$(realpath "${1:-$(dirname "$0")/..}")
tmp=$(mktemp -d /tmp/tops-clone.XXXXXX)
[ "${KEEP:-0}" = 1 ] || trap 'rm -rf "$tmp"' EXIT
fail() { echo "check-python-clone: FAIL: $*" >&2; exit 1; }

git clone -q "$src" "$tmp/tops"
cd "$tmp/tops"
echo "check-python-clone: $(git log -1 --format='%h %s' | cut -c1-80) in $tmp/tops"
start=$SECONDS
# The documented command; nothing on PYTHONPATH, no index (pip is told --no-index).
env -u PYTHONPATH make python
echo "check-python-clone: make python took $((SECONDS - start)) s"

py=$tmp/tops/.venv/bin/python
where=$(cd / && env -u PYTHONPATH "$py" -c 'import tops; print(tops.__file__)')
[[ $where == "$tmp/tops/.venv/"* ]] || fail "tops imported from $where, not the venv"
echo "check-python-clone: import tops -> $where"

# The README's Python example and the output it shows, run in the clone's root.
"$py" - README.md > example.py 3> expected.txt <<'PY'
import re, sys, os
text = open(sys.argv[1], encoding="utf-8").read()
section = text[text.index("\n## Python\n"):]
m = re.search(r"```python\n(.*?)```\s*```text\n(.*?)```", section, re.S)
sys.stdout.write(m.group(1))
os.write(3, m.group(2).encode())
PY
out=$(env -u PYTHONPATH "$py" example.py) || fail "the README's Python example failed"
echo "$out"
[ "$out" == "$(cat expected.txt)" ] || {
  diff <(echo "$out") expected.txt >&2 || true
  fail "the example's output differs from the README's"
}
echo "check-python-clone: ok"
