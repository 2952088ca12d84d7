#!/usr/bin/env bash
# Installs the Debian package that `make package` built, as a user would (apt install ./tops_*.deb),
# runs the installed tops: --version, man tops, the README's first example; then removes it and
# checks that nothing it installed is left. When the package holds the Python package, imports it
# with Debian's python3 and runs the README's Python example. Needs root (or sudo).
# Usage: scripts/test-deb.sh [BUILD]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "test-deb: needs root or sudo" >&2; exit 1; }
  SUDO=sudo
fi
fail() { echo "test-deb: FAIL: $*" >&2; exit 1; }

debs=("$build"/tops_*.deb)
[ -f "${debs[0]}" ] || fail "no $build/tops_*.deb (run make package)"
[ ${#debs[@]} -eq 1 ] || fail "several packages in $build: ${debs[*]}"
deb=$(realpath "${debs[0]}")
echo "test-deb: $(basename "$deb"), $(stat -c %s "$deb") bytes"
dpkg-deb --field "$deb" Package Version Architecture Depends Suggests

installed() { [[ $(dpkg-query -W -f='${Status}' tops 2>/dev/null || true) == "install ok installed" ]]; }
if installed; then
  fail "a tops package is already installed; remove it first (apt-get remove tops)"
fi
files=$(dpkg-deb --contents "$deb" | awk '{print $NF}' | sed 's|^\./|/|' | grep -v '/$')
removed=0
cleanup() {
  if [ "$removed" -eq 0 ]; then $SUDO env DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq tops >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT

start=$SECONDS
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$deb"
echo "test-deb: installed in $((SECONDS - start)) s"

[ "$(command -v tops)" = /usr/bin/tops ] || fail "tops on PATH is $(command -v tops), not /usr/bin/tops"
# Outputs are captured before grep so that neither pipefail nor an early grep exit hides a result.
deps=$(ldd /usr/bin/tops)
[[ $deps == *"not found"* ]] && fail "/usr/bin/tops has unresolved libraries: $deps"
lib=$(dpkg -L tops | grep -E '/libtops\.so\.[0-9]+\.[0-9]+$' || true)
[ -n "$lib" ] || fail "libtops.so.MAJOR.MINOR not installed"
deps=$(ldd "$lib")
[[ $deps == *"not found"* ]] && fail "$lib has unresolved libraries: $deps"
cache=$(ldconfig -p)
[[ $cache == *"$(basename "$lib")"* ]] || fail "libtops is not in the ldconfig cache"

echo "test-deb: tops --version"
/usr/bin/tops --version | tee /tmp/test-deb-version.txt
grep -q "^tops $(dpkg-deb --field "$deb" Version)$" /tmp/test-deb-version.txt ||
  fail "--version does not print the package version"
grep -Eq "^catalog sha256:[0-9a-f]{16} " /tmp/test-deb-version.txt || fail "--version: no catalog"
grep -q "^revision " /tmp/test-deb-version.txt || fail "--version: no revision"

echo "test-deb: man tops"
man_text=$(MANWIDTH=100 man -P cat tops 2>&1) || fail "man tops failed: $man_text"
[[ $man_text == *"tops profile"* ]] || fail "man tops has no example of tops profile"
man_text=$(MANWIDTH=100 man -P cat tops-profile 2>&1) || fail "man tops-profile failed: $man_text"
[[ $man_text == *"--format"* ]] || fail "man tops-profile lists no --format"

# The README's first example: the first "$ tops ..." line of its first text block, run from the
# repository root with the installed binary; its totals must be the ones the README shows.
example=$(grep -m1 '^\$ tops ' README.md | sed 's/^\$ //')
echo "test-deb: $example"
out=$(/usr/bin/${example}) || fail "the README's first example failed"
echo "$out" | head -5
readme_macs=$(grep -m1 '^MACs:' README.md)
[[ $out == *"$readme_macs"* ]] || fail "README shows '$readme_macs', the installed tops does not"

# The Python package: `import tops` with Debian's python3 from the installed files alone (run
# from / so that nothing of the clone is on sys.path), then the README's Python example from the
# repository root, whose output must be the one the README shows.
pydir=/usr/lib/python3/dist-packages/tops
if [ -n "$(dpkg -L tops | grep "^$pydir/__init__.py$" || true)" ]; then
  ls "$pydir"/_tops.*.so >/dev/null 2>&1 || fail "no extension module in $pydir"
  deps=$(ldd "$pydir"/_tops.*.so)
  [[ $deps == *"not found"* ]] && fail "the extension has unresolved libraries: $deps"
  where=$(cd / && env -u PYTHONPATH /usr/bin/python3 -c 'import tops; print(tops.__file__)') ||
    fail "python3 -c 'import tops' failed"
  [ "$where" = "$pydir/__init__.py" ] || fail "tops imported from $where, not $pydir"
  echo "test-deb: python3: import tops -> $where"
  readme_py=$(awk '/^## Python$/{s=1} s&&/^```python$/{p=1;next} p&&/^```$/{exit} p' README.md)
  readme_out=$(awk '/^## Python$/{s=1} s&&/^```python$/{c=1} c&&/^```text$/{p=1;next} p&&/^```$/{exit} p' README.md)
  [ -n "$readme_py" ] || fail "no Python example in the README"
  out=$(env -u PYTHONPATH /usr/bin/python3 -c "$readme_py") || fail "the README's Python example failed"
  echo "$out"
  [ "$out" == "$readme_out" ] || fail "the README's Python example printed something else"
else
  echo "test-deb: the package holds no Python package (built without pybind11)"
fi

[ -f /usr/share/bash-completion/completions/tops ] || fail "no bash completion"
bash -c 'source /usr/share/bash-completion/completions/tops && complete -p tops' >/dev/null ||
  fail "the bash completion does not load"

start=$SECONDS
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq tops
removed=1
echo "test-deb: removed in $((SECONDS - start)) s"
installed && fail "still installed"
left=0
while IFS= read -r f; do
  if [ -e "$f" ] || [ -L "$f" ]; then echo "test-deb: left behind: $f" >&2; left=1; fi
done <<<"$files"
[ "$left" -eq 0 ] || fail "files left after removal"
[ -e /usr/lib/python3/dist-packages/tops ] && fail "/usr/lib/python3/dist-packages/tops left after removal"
cache=$(ldconfig -p)
[[ $cache == *"$(basename "$lib")"* ]] && fail "libtops still in the ldconfig cache"
# Removal leaves dpkg's record of the maintainer scripts (state rc, as for any package with a
# postrm); purging it must run them and leave dpkg knowing nothing of tops, as before the test.
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq tops >/dev/null
state=$(dpkg-query -W -f='${Status}' tops 2>/dev/null || true)
[ -z "$state" ] || [ "$state" = "unknown ok not-installed" ] || fail "after purge dpkg says: $state"
echo "test-deb: ok"
