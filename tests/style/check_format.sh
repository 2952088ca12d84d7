#!/usr/bin/env bash
# The house style (.clang-format, Google-based, 100 columns) holds for every C++ file.
# Fix with `make format`.
set -euo pipefail
root=${1:?usage: check_format.sh REPO_ROOT}
cd "$root"
command -v clang-format >/dev/null || { echo "clang-format not installed (scripts/install-deps.sh --test installs it)"; exit 1; }
mapfile -d '' files < <(find include src tools tests bench python \( -name '*.cc' -o -name '*.h' \) -print0)
echo "checking ${#files[@]} files"
clang-format --dry-run -Werror "${files[@]}"
echo "all ${#files[@]} files formatted"
