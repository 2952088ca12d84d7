#!/usr/bin/env bash
# Installs the Debian 12 packages tops needs to build and test, only those missing.
# Runs as root, or through sudo when available. Nothing is fetched from anywhere but apt.
set -euo pipefail

packages=(
  build-essential cmake g++ make pkg-config
  libprotobuf-dev protobuf-compiler libonnx-dev
  libcli11-dev nlohmann-json3-dev libyaml-cpp-dev libfmt-dev
  libgtest-dev libgmock-dev libbenchmark-dev time strace
  file gzip xz-utils
)
# Extra packages for the full test run (make test): ONNX operator oracle, fuzzing, browser, and
# for the install tests the man pages (groff, man-db) and the zsh completion (zsh -n);
# python3-flatbuffers for the TFLite fixture generator (its output is compared with the
# committed files; `make bench` also uses it to write its large .tflite).
if [ "${1:-}" = "--test" ]; then
  packages+=(libonnx-testdata clang libclang-rt-14-dev clang-format python3 python3-flatbuffers
    chromium)
  packages+=(groff-base man-db zsh)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  SUDO=sudo
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
