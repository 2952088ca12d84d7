#!/usr/bin/env bash
# Installs the build into a temporary prefix and uses it as a user would:
#  - the layout: CLI, libtops with its SONAME, headers, CMake package, pkg-config file, man pages,
#    completions, docs;
#  - the installed tops runs (--version, a profile);
#  - a CMake project that only does find_package(tops) builds and profiles the bundled example;
#  - the same program built with `pkg-config --cflags --libs tops` does too;
#  - both print the MACs the installed CLI's JSON profile reports.
# Usage: install_test.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$(realpath "$1")
src=$(realpath "$2")
model="$src/examples/resnet18.onnx"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "install_test: FAIL: $*" >&2; exit 1; }
prefix="$tmp/prefix"

start=$(date +%s%N)
cmake --install "$build" --prefix "$prefix" >"$tmp/install.log" || { cat "$tmp/install.log"; fail "cmake --install"; }

# ---- Layout.
libdir=""
for d in lib/x86_64-linux-gnu lib; do
  if [ -e "$prefix/$d/libtops.so" ]; then libdir=$d; break; fi
done
[ -n "$libdir" ] || fail "no libtops.so under $prefix/lib"
for f in bin/tops "$libdir/libtops.so" include/tops/profile.h include/tops/version.h \
  include/tops/netron.h "$libdir/cmake/tops/topsConfig.cmake" \
  "$libdir/cmake/tops/topsConfigVersion.cmake" "$libdir/cmake/tops/topsTargets.cmake" \
  "$libdir/pkgconfig/tops.pc" share/man/man1/tops.1.gz share/man/man1/tops-profile.1.gz \
  share/man/man1/tops-fit.1.gz share/bash-completion/completions/tops \
  share/zsh/vendor-completions/_tops share/doc/tops/README.md share/doc/tops/docs/netron.md; do
  [ -e "$prefix/$f" ] || fail "not installed: $f"
done
# Nothing private leaks into the public include directory.
[ -z "$(find "$prefix/include" -type f ! -path "*/include/tops/*.h")" ] || fail "stray headers"
soname=$(readelf -d "$prefix/$libdir/libtops.so" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
[[ $soname =~ ^libtops\.so\.[0-9]+\.[0-9]+$ ]] || fail "SONAME is '$soname'"
[ -e "$prefix/$libdir/$soname" ] || fail "no $soname beside the link"
real=$(readlink -f "$prefix/$libdir/libtops.so")
[[ $(basename "$real") =~ ^libtops\.so\.[0-9]+\.[0-9]+\.[0-9]+$ ]] || fail "library file is $real"
echo "install_test: installed $(find "$prefix" -type f | wc -l) files, $soname -> $(basename "$real")"

# ---- The installed CLI.
"$prefix/bin/tops" --version >"$tmp/version.txt"
grep -Eq '^tops [0-9]+\.[0-9]+\.[0-9]+$' "$tmp/version.txt" || fail "--version: $(cat "$tmp/version.txt")"
"$prefix/bin/tops" profile "$model" --format json >"$tmp/profile.json"
want=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["totals"]["macs"])' "$tmp/profile.json")
[ "$want" -gt 0 ] || fail "no MACs in the installed CLI's profile"

# ---- CMake consumer: only the install prefix is given, never the build tree.
cmake -S "$src/tests/install/consumer" -B "$tmp/cmake-consumer" -DCMAKE_PREFIX_PATH="$prefix" \
  -DCMAKE_BUILD_TYPE=Release >"$tmp/consumer.log" 2>&1 || { cat "$tmp/consumer.log"; fail "configure consumer"; }
grep -q "tops_DIR:PATH=$prefix/" "$tmp/cmake-consumer/CMakeCache.txt" || fail "tops found outside $prefix"
cmake --build "$tmp/cmake-consumer" >>"$tmp/consumer.log" 2>&1 || { cat "$tmp/consumer.log"; fail "build consumer"; }
# ldd's output is taken whole first: `ldd | grep -q` under pipefail fails whenever grep exits
# before ldd has written everything (SIGPIPE), which a loaded machine makes happen.
libs=$(ldd "$tmp/cmake-consumer/consumer")
grep -q "$prefix/$libdir/$soname" <<<"$libs" ||
  fail "the CMake consumer does not load $soname from the prefix: $libs"
got=$("$tmp/cmake-consumer/consumer" "$model" | tee "$tmp/cmake-consumer.out" | sed -n 's/^MACs: //p')
echo "install_test: find_package(tops) consumer: MACs: $got"
[ "$got" = "$want" ] || fail "CMake consumer printed MACs $got, the CLI's JSON says $want"

# ---- pkg-config consumer.
export PKG_CONFIG_PATH="$prefix/$libdir/pkgconfig"
[ "$(pkg-config --modversion tops)" = "$(sed -n 's/^tops //p' "$tmp/version.txt")" ] ||
  fail "pkg-config version differs from tops --version"
# shellcheck disable=SC2046
g++ -std=c++20 -o "$tmp/pc-consumer" "$src/tests/install/consumer/consumer.cc" \
  $(pkg-config --cflags --libs tops) || fail "g++ with pkg-config flags"
got=$(LD_LIBRARY_PATH="$prefix/$libdir" "$tmp/pc-consumer" "$model" | sed -n 's/^MACs: //p')
echo "install_test: pkg-config consumer: MACs: $got"
[ "$got" = "$want" ] || fail "pkg-config consumer printed MACs $got, the CLI's JSON says $want"

echo "install_test: ok in $((($(date +%s%N) - start) / 1000000)) ms"
