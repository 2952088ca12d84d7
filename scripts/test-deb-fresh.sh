#!/usr/bin/env bash
# The Debian package on a fresh Debian 12: debootstrap a minimal bookworm (minbase) into ROOT
# (reused when it exists), `apt install ./tops_*.deb` inside it, which must pull the declared
# dependencies and nothing else, run tops there, then `apt remove tops`. Needs root, debootstrap and
# a Debian mirror: MIRROR, else the first bookworm archive this machine's apt is configured with;
# not run by CI (it downloads a base system). Usage:
#   scripts/test-deb-fresh.sh [BUILD] [ROOT]      (defaults: build, /tmp/tops-bookworm)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
root=${2:-/tmp/tops-bookworm}
debs=("$build"/tops_*.deb)
[ -f "${debs[0]}" ] || { echo "test-deb-fresh: no $build/tops_*.deb (run make package)" >&2; exit 1; }
command -v debootstrap >/dev/null || apt-get install -y -qq debootstrap
# The main archive of this machine's own apt sources (deb822 or one-line format), not a host
# named here: the chroot then fetches from where the machine already does.
apt_mirror() {
  local f
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    # deb822: the first URI of a stanza whose Suites include plain bookworm.
    awk -v RS= '/(^|\n)Suites:[^\n]*[ \t]bookworm([ \t]|\n|$)/ {
      if (match($0, /(^|\n)URIs:[ \t]*[^ \t\n]+/)) {
        u = substr($0, RSTART, RLENGTH); sub(/^\n?URIs:[ \t]*/, "", u); print u } }' "$f"
  done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    awk '$1 == "deb" && $3 == "bookworm" { print $2 }' "$f"
  done
}
mirror=${MIRROR:-$(apt_mirror | sed -n 1p)}
[ -n "$mirror" ] || { echo "test-deb-fresh: no Debian mirror in /etc/apt; set MIRROR" >&2; exit 1; }
if [ ! -x "$root/usr/bin/apt-get" ]; then
  debootstrap --variant=minbase bookworm "$root" "$mirror"
fi
cp "${debs[0]}" "$root/tmp/tops.deb"
cp examples/resnet18.onnx "$root/tmp/"
mount -t proc proc "$root/proc"
trap 'umount "$root/proc"' EXIT
chroot "$root" /bin/bash -euo pipefail -c '
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends /tmp/tops.deb >/tmp/apt.log 2>&1
  echo "test-deb-fresh: installed: $(sed -n "s/^Setting up \([^ ]*\).*/\1/p" /tmp/apt.log | tr "\n" " ")"
  tops --version
  tops profile /tmp/resnet18.onnx --top 1 | grep "^MACs:"
  man -w tops >/dev/null 2>&1 || [ -f /usr/share/man/man1/tops.1.gz ]
  # The Python package: its interpreter is only recommended, so it comes when asked for; then
  # `import tops` runs against the installed files and nothing else.
  if [ -f /usr/lib/python3/dist-packages/tops/__init__.py ]; then
    apt-get install -y -qq --no-install-recommends python3 >/dev/null 2>&1
    cd / && python3 -c "import tops; p = tops.load(\"/tmp/resnet18.onnx\");
print(\"test-deb-fresh: python3 -c import tops:\", tops.__file__, f\"{p.macs:,} MACs\")"
    cd / && python3 -c "import tops; print(tops.fit(\"/tmp/resnet18.onnx\", chip=\"rk3588\").fits)" |
      grep -qx True
  fi
  apt-get remove -y -qq tops >/dev/null 2>&1
  apt-mark auto python3 >/dev/null 2>&1 || true
  apt-get autoremove -y -qq >/dev/null 2>&1  # the dependencies it pulled, so a rerun starts fresh
  [ ! -e /usr/bin/tops ] && [ ! -e /usr/lib/python3/dist-packages/tops ] &&
    echo "test-deb-fresh: removed, ok"
'
