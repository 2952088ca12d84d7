#!/usr/bin/env bash
# `tops llm` on a decoder ONNX whose weights live in a multi-GB external data file
# (bench/make_llm_onnx.cc: Llama-3.2-1B sizes, 2.5 GB sparse model.onnx.data) must finish within
# 50 ms of wall time and never open the data file (checked with strace: no open/openat of it).
#   bench/llm_external_data.sh BUILD_DIR     (compare.sh runs it)
set -euo pipefail
BUILD="${1:-build}"
RUNS="${TOPS_BENCH_RUNS:-7}"
MAX_MS=50
OUT="$BUILD/llm_external"
for exe in "$BUILD/tops" "$BUILD/bench/make_llm_onnx"; do
  [ -x "$exe" ] || { echo "llm_external_data: $exe not built" >&2; exit 2; }
done
command -v strace > /dev/null || { echo "llm_external_data: strace missing (scripts/install-deps.sh)" >&2; exit 2; }
status=0
for variant in fp16 int4; do
  dir="$OUT/$variant"
  mkdir -p "$dir"
  flag=""
  [ "$variant" = int4 ] && flag="--int4"
  "$BUILD/bench/make_llm_onnx" "$dir" $flag > /dev/null
  data_bytes=$(stat -c %s "$dir/model.onnx.data")
  disk_kb=$(du -k "$dir/model.onnx.data" | cut -f1)
  cmd=("$BUILD/tops" llm "$dir/model.onnx" --chip rk3588 --quant file --prompt 512 --gen 128)
  strace -f -qq -e trace=open,openat -o "$dir/strace.txt" "${cmd[@]}" > /dev/null
  if grep -q 'model.onnx.data' "$dir/strace.txt"; then
    echo "FAIL $variant: tops opened the external data file"; status=1
  fi
  times=()
  for _ in $(seq "$RUNS"); do
    t0=$(date +%s%N); "${cmd[@]}" > /dev/null; t1=$(date +%s%N)
    times+=($(( (t1 - t0) / 1000 )))
  done
  median_us=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (RUNS + 1) / 2 ))p")
  median_ms=$(awk "BEGIN {printf \"%.1f\", $median_us / 1000}")
  verdict=ok
  if [ "$median_us" -gt $((MAX_MS * 1000)) ]; then verdict="FAIL (> $MAX_MS ms)"; status=1; fi
  echo "tops llm, $variant decoder ONNX, external data $((data_bytes / 1000000)) MB ($disk_kb kB on disk): median $median_ms ms over $RUNS runs, data file never opened: $verdict"
done
exit $status
