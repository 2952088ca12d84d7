#!/usr/bin/env bash
# `tops llm` on a decoder ONNX whose weights live in a multi-GB external data file
# (bench/make_llm_onnx.cc: Llama-3.2-1B sizes, 2.5 GB sparse model.onnx.data) must finish within
# 50 ms (CPU time of the process) and never open the data file (checked with strace: no open/openat of it).
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
  walls=()
  cpus=()
  for _ in $(seq "$RUNS"); do
    t0=$(date +%s%N)
    /usr/bin/time -f "%U %S" -o "$dir/time.txt" "${cmd[@]}" > /dev/null
    t1=$(date +%s%N)
    walls+=($(( (t1 - t0) / 1000 )))
    cpus+=($(awk '{ printf "%d", ($1 + $2) * 1000000 }' "$dir/time.txt"))
  done
  median() { printf '%s\n' "$@" | sort -n | sed -n "$(( (RUNS + 1) / 2 ))p"; }
  wall_us=$(median "${walls[@]}")
  cpu_us=$(median "${cpus[@]}")
  # The process is single-threaded and does no I/O beyond mapping the model: on an idle machine
  # its wall time is its CPU time. The verdict uses CPU time so a loaded machine does not decide.
  verdict=ok
  if [ "$cpu_us" -gt $((MAX_MS * 1000)) ]; then verdict="FAIL (> $MAX_MS ms)"; status=1; fi
  echo "tops llm, $variant decoder ONNX, external data $((data_bytes / 1000000)) MB ($disk_kb kB on disk):" \
    "median CPU $(awk "BEGIN {printf \"%.1f\", $cpu_us / 1000}") ms, wall $(awk "BEGIN {printf \"%.1f\", $wall_us / 1000}") ms" \
    "over $RUNS runs (load $(cut -d' ' -f1 /proc/loadavg)); data file never opened: $verdict"
done
exit $status
