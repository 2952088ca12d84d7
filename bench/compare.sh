#!/usr/bin/env bash
# Side-by-side speed and memory of `tops profile` on full-size models (bench/README.md).
#   bench/compare.sh BUILD_DIR      (what `make bench` runs)
# 1. makes full-size resnet50 / alexnet / vgg16 from the weightless fixtures (zeros for the
#    stripped payloads) into BUILD_DIR/full_size (never committed);
# 2. runs bench_profile (Google Benchmark, JSON): tops read+profile vs
#    onnx::ModelProto::ParseFromString of the same bytes, in the same run;
# 3. times the CLI end to end with /usr/bin/time (wall, peak RSS), on the full-size file and on
#    the weightless fixture, to show memory does not grow with the weights.
# 4. counts the pages of each full-size file a cold `tops profile` leaves resident (fincore) and
#    its peak RSS, beside parse_full (a full protobuf parse);
# 5. runs bench_infer (shape inference + costs <= 5 ms per 1,000 nodes) and bench_rank
#    plus the `tops rank` CLI (ResNet-50 against the whole catalog <= 50 ms).
# 6. bench_cli: the whole `tops profile` command in every format on bench/models/gpt_6k.onnx,
#    <= 5 ms of CPU per 1,000 nodes.
# 7. the Python package: tops.load vs the C++ call, from_torch vs torch.onnx.export alone.
# Exits 1 when a target is missed: ratio >= 50x, wall <= 20 ms, peak RSS <= 30 MB, and RSS of
# the full-size file within 4 MB of the weightless one; inference <= 5 ms per 1,000 nodes;
# rank <= 50 ms.
set -euo pipefail

BUILD="${1:-build}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
MODELS="resnet50 alexnet vgg16"
OUT="$BUILD/full_size"
RUNS="${TOPS_BENCH_RUNS:-7}"
MIN_RATIO=50
MAX_WALL_MS=20
MAX_RSS_MB=30
MAX_RSS_GROWTH_MB=4
MAX_INFER_MS_PER_1K_NODES=5
MAX_RANK_MS=50

for exe in "$BUILD/tops" "$BUILD/bench/bench_profile" "$BUILD/bench/make_full_size" \
  "$BUILD/bench/bench_infer" "$BUILD/bench/bench_rank" "$BUILD/bench/parse_full" \
  "$BUILD/bench/bench_cli"; do
  [ -x "$exe" ] || { echo "compare: $exe not built (is libbenchmark-dev installed?)" >&2; exit 2; }
done
[ -x /usr/bin/time ] || { echo "compare: /usr/bin/time missing (scripts/install-deps.sh)" >&2; exit 2; }

mkdir -p "$OUT"
for m in $MODELS; do
  # Regenerated only when the fixture is newer than the full-size copy.
  if [ ! -s "$OUT/$m.onnx" ] || [ "$ROOT/tests/models/$m.onnx" -nt "$OUT/$m.onnx" ]; then
    "$BUILD/bench/make_full_size" "$ROOT/tests/models/$m.onnx" "$OUT/$m.onnx"
  fi
done

echo "compare: machine load: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs"
echo "compare: running bench_profile (about a minute)..."
"$BUILD/bench/bench_profile" --full-size-dir="$OUT" --benchmark_repetitions=3 \
  --benchmark_report_aggregates_only=true --benchmark_format=json \
  --benchmark_out="$OUT/bench_profile.json" --benchmark_out_format=json >/dev/null

# Median real time in ms of one benchmark from Google Benchmark's JSON (one key per line).
median_ms() {
  awk -v want="$1_median" '
    /"name":/ { name = $0; sub(/.*"name": "/, "", name); sub(/".*/, "", name) }
    /"real_time":/ && name == want { t = $2; sub(/,/, "", t) }
    /"time_unit":/ && name == want { u = $2; gsub(/[",]/, "", u)
      f = (u == "ns") ? 1e-6 : (u == "us") ? 1e-3 : (u == "s") ? 1e3 : 1
      printf "%.3f\n", t * f; exit }' "$OUT/bench_profile.json"
}

# "wall_ms peak_rss_kb": median wall and largest peak RSS over $RUNS runs of `tops profile`.
# /usr/bin/time's %e has 10 ms resolution, so the wall reported is the nanosecond clock around
# the whole /usr/bin/time call (an upper bound: it includes starting /usr/bin/time itself); a
# run whose %e exceeds the limit fails on its own.
cli_cost() {
  local walls=() rss=0 e r t0 t1
  for _ in $(seq "$RUNS"); do
    t0=$(date +%s%N)
    /usr/bin/time -o "$OUT/time.txt" -f "%e %M" "$BUILD/tops" profile "$1" >/dev/null
    t1=$(date +%s%N)
    read -r e r <"$OUT/time.txt"
    awk -v e="$e" -v max=$MAX_WALL_MS 'BEGIN { exit !(e * 1000 <= max) }' ||
      echo "  /usr/bin/time: $1 took $e s" >&2
    walls+=("$(( (t1 - t0) / 1000 ))")
    [ "$r" -gt "$rss" ] && rss=$r
  done
  printf '%s\n' "${walls[@]}" | sort -n |
    awk -v r="$rss" '{ a[NR] = $1 } END { printf "%.1f %d\n", a[int((NR + 1) / 2)] / 1000, r }'
}

fail=0
printf '\n%-9s %8s %12s %16s %8s %10s %12s %14s\n' model "file MB" "tops ms" \
  "ParseFromString" ratio "CLI wall" "CLI RSS MB" "weightless MB"
printf '%-9s %8s %12s %16s %8s %10s %12s %14s\n' "" "" "(read+prof)" "ms" "" "ms" "full-size" \
  "RSS (fixture)"
for m in $MODELS; do
  mb=$(awk -v b="$(stat -c %s "$OUT/$m.onnx")" 'BEGIN { printf "%.1f", b / 1e6 }')
  tops_ms=$(median_ms "tops_profile/$m")
  parse_ms=$(median_ms "ParseFromString/$m")
  ratio=$(awk -v a="$parse_ms" -v b="$tops_ms" 'BEGIN { printf "%.0f", a / b }')
  read -r wall rss_kb <<<"$(cli_cost "$OUT/$m.onnx")"
  read -r _ light_kb <<<"$(cli_cost "$ROOT/tests/models/$m.onnx")"
  rss_mb=$(awk -v k="$rss_kb" 'BEGIN { printf "%.1f", k / 1024 }')
  light_mb=$(awk -v k="$light_kb" 'BEGIN { printf "%.1f", k / 1024 }')
  printf '%-9s %8s %12s %16s %7sx %10s %12s %14s\n' "$m" "$mb" "$tops_ms" "$parse_ms" "$ratio" \
    "$wall" "$rss_mb" "$light_mb"
  awk -v r="$ratio" -v min=$MIN_RATIO 'BEGIN { exit !(r >= min) }' ||
    { echo "  MISSED: $m ratio ${ratio}x < ${MIN_RATIO}x" >&2; fail=1; }
  awk -v w="$wall" -v max=$MAX_WALL_MS 'BEGIN { exit !(w <= max) }' ||
    { echo "  MISSED: $m CLI wall ${wall} ms > ${MAX_WALL_MS} ms" >&2; fail=1; }
  [ "$rss_kb" -le $((MAX_RSS_MB * 1024)) ] ||
    { echo "  MISSED: $m CLI peak RSS ${rss_mb} MB > ${MAX_RSS_MB} MB" >&2; fail=1; }
  [ $((rss_kb - light_kb)) -le $((MAX_RSS_GROWTH_MB * 1024)) ] ||
    { echo "  MISSED: $m RSS grows with weights: ${light_mb} -> ${rss_mb} MB" >&2; fail=1; }
done
echo
echo "tops ms / ParseFromString ms: medians of 3 repetitions in one bench_profile run" \
  "(JSON: $OUT/bench_profile.json)."
echo "CLI: \`/usr/bin/time -f '%e %M' tops profile FILE\`, $RUNS runs: median wall (ns clock" \
  "around the call) and largest peak RSS (%M)."
echo "Targets: ratio >= ${MIN_RATIO}x, wall <= ${MAX_WALL_MS} ms, RSS <= ${MAX_RSS_MB} MB," \
  "full-size RSS within ${MAX_RSS_GROWTH_MB} MB of weightless."

# Pages read and peak RSS, cold: each full-size file is written back and dropped from the page
# cache (sync FILE; dd iflag=nocache count=0), one command runs, and fincore counts the file's
# pages that came back. tops profile against parse_full (the whole file parsed into
# onnx::ModelProto, as a loader that keeps the weights does). Targets: tops leaves <= 1 % of the
# pages resident and peaks at <= 12 MB RSS, whatever the weight size.
MAX_RESIDENT_PCT=1
MAX_COLD_RSS_MB=12
evict() { sync "$1"; dd if="$1" iflag=nocache count=0 status=none; }
resident_pages() { fincore --raw --noheadings --output PAGES "$1"; }
# "resident_pages rss_kb" after a cold run of "$@" on file $1 (the file is the last argument).
cold_run() {
  local file="${*: -1}"
  evict "$file"
  /usr/bin/time -o "$OUT/time.txt" -f "%M" "$@" >/dev/null
  echo "$(resident_pages "$file") $(cat "$OUT/time.txt")"
}
echo
echo "Pages resident after one cold run, and peak RSS (fincore, /usr/bin/time %M):"
printf '  %-9s %8s %8s %18s %12s %18s %12s
' model "file MB" pages "tops resident" "tops RSS" \
  "parse_full res." "parse RSS"
for m in $MODELS; do
  f="$OUT/$m.onnx"
  total=$(( ($(stat -c %s "$f") + 4095) / 4096 ))
  read -r tres trss <<<"$(cold_run "$BUILD/tops" profile "$f")"
  read -r pres prss <<<"$(cold_run "$BUILD/bench/parse_full" "$f")"
  evict "$f"
  pct() { awk -v a="$1" -v b="$total" 'BEGIN { printf "%.2f %%", 100 * a / b }'; }
  printf '  %-9s %8s %8s %9s %8s %9.1f MB %9s %8s %9.1f MB
' "$m" \
    "$(awk -v b="$(stat -c %s "$f")" 'BEGIN { printf "%.1f", b / 1e6 }')" "$total" "$tres" \
    "($(pct "$tres"))" "$(awk -v k="$trss" 'BEGIN { print k / 1024 }')" "$pres" "($(pct "$pres"))" \
    "$(awk -v k="$prss" 'BEGIN { print k / 1024 }')"
  awk -v r="$tres" -v t="$total" -v max=$MAX_RESIDENT_PCT 'BEGIN { exit !(100 * r / t <= max) }' ||
    { echo "  MISSED: $m: tops left $tres of $total pages resident (> ${MAX_RESIDENT_PCT} %)" >&2
      fail=1; }
  [ "$trss" -le $((MAX_COLD_RSS_MB * 1024)) ] ||
    { echo "  MISSED: $m: tops peak RSS $trss kB > ${MAX_COLD_RSS_MB} MB" >&2; fail=1; }
done
echo "Targets: tops leaves <= ${MAX_RESIDENT_PCT} % of the file's pages resident and peaks at" \
  "<= ${MAX_COLD_RSS_MB} MB RSS; parse_full is the baseline that reads every byte."

# Budget: shape inference + costs per 1,000 nodes (CPU time, median of 3).
echo
echo "compare: running bench_infer and bench_rank..."
"$BUILD/bench/bench_infer" --benchmark_repetitions=3 --benchmark_report_aggregates_only=true \
  --benchmark_format=json --benchmark_out="$OUT/bench_infer.json" \
  --benchmark_out_format=json >/dev/null
"$BUILD/bench/bench_rank" --benchmark_repetitions=3 --benchmark_report_aggregates_only=true \
  --benchmark_format=json --benchmark_out="$OUT/bench_rank.json" \
  --benchmark_out_format=json >/dev/null
# "name value" per median: ns_per_node for bench_infer, cpu_time in ms for bench_rank.
medians() {
  awk -v key="$2" '
    /"name":/ { name = $0; sub(/.*"name": "/, "", name); sub(/".*/, "", name) }
    $0 ~ "\"" key "\":" && name ~ /_median$/ { v = $2; sub(/,/, "", v); n = name
      sub(/_median$/, "", n); vals[n] = v }
    /"time_unit":/ && name ~ /_median$/ { u = $2; gsub(/[",]/, "", u); units[n] = u }
    END { for (n in vals) { f = 1
            if (key == "cpu_time") f = (units[n] == "ns") ? 1e-6 : (units[n] == "us") ? 1e-3 : 1
            printf "%s %.4f\n", n, vals[n] * f } }' "$1" | sort
}
while read -r name ns; do
  ms=$(awk -v n="$ns" 'BEGIN { printf "%.2f", n / 1000 }')
  printf '  %-36s %6s ms per 1,000 nodes\n' "$name" "$ms"
  awk -v m="$ms" -v max=$MAX_INFER_MS_PER_1K_NODES 'BEGIN { exit !(m <= max) }' ||
    { echo "  MISSED: $name ${ms} ms per 1,000 nodes > ${MAX_INFER_MS_PER_1K_NODES}" >&2; fail=1; }
done < <(medians "$OUT/bench_infer.json" ns_per_node)
while read -r name ms; do
  printf '  %-36s %6.2f ms\n' "$name" "$ms"
done < <(medians "$OUT/bench_rank.json" cpu_time)
rank_ms=$(medians "$OUT/bench_rank.json" cpu_time | awk '$1 == "BM_ReadProfileRank" { print $2 }')
# The whole command, process start included: median wall of $RUNS runs.
rank_walls=()
for _ in $(seq "$RUNS"); do
  t0=$(date +%s%N)
  "$BUILD/tops" rank "$ROOT/tests/models/resnet50.onnx" >/dev/null
  t1=$(date +%s%N)
  rank_walls+=("$(( (t1 - t0) / 1000 ))")
done
rank_wall=$(printf '%s\n' "${rank_walls[@]}" | sort -n |
  awk '{ a[NR] = $1 } END { printf "%.1f", a[int((NR + 1) / 2)] / 1000 }')
echo "  tops rank resnet50.onnx (CLI wall)       $rank_wall ms"
for v in "$rank_ms" "$rank_wall"; do
  awk -v m="$v" -v max=$MAX_RANK_MS 'BEGIN { exit !(m != "" && m <= max) }' ||
    { echo "  MISSED: rank ${v} ms > ${MAX_RANK_MS} ms" >&2; fail=1; }
done
echo "Targets: inference <= ${MAX_INFER_MS_PER_1K_NODES} ms per 1,000 nodes (CPU time)," \
  "rank of ResNet-50 over the catalog <= ${MAX_RANK_MS} ms (benchmark and CLI wall)."

# Language model on a decoder ONNX with a multi-GB external data file: <= 50 ms, file never opened.
echo "compare: running llm_external_data.sh..."
"$ROOT/bench/llm_external_data.sh" "$BUILD" || fail=1
# TFLite (docs/tflite.md): profiling a 58 MB .tflite reads <= 1 % of its pages and takes
# <= 10 ms, with the file cached and cold (dropped from the page cache first), beside a walk that
# reads every buffer. The files come from the fixture generator (python3-flatbuffers).
TFLITE_MAX_READ_PCT=1
TFLITE_MAX_MS=10
echo
echo "compare: running bench_tflite..."
if [ ! -s "$OUT/bench_convnet.tflite" ] ||
  [ "$ROOT/tests/models/tflite/make_tflite.py" -nt "$OUT/bench_convnet.tflite" ]; then
  /usr/bin/python3 "$ROOT/tests/models/tflite/make_tflite.py" --bench "$OUT"
fi
"$BUILD/bench/bench_tflite" --tflite-dir="$OUT" --benchmark_repetitions=3 \
  --benchmark_report_aggregates_only=true --benchmark_format=json \
  --benchmark_out="$OUT/bench_tflite.json" --benchmark_out_format=json >/dev/null
# "name real_ms cold_ms pages_read pages_in_file read_pct" per median row (the counters follow
# time_unit in each entry, so a row is printed when the next one starts).
awk '
  function flush() {
    if (name ~ /_median$/) { n = name; sub(/_median$/, "", n)
      f = (u == "ns") ? 1e-6 : (u == "us") ? 1e-3 : (u == "s") ? 1e3 : 1
      printf "%s %.3f %.3f %d %d %.3f\n", n, t * f, c, r, p, q }
  }
  /"name":/ { flush(); name = $0; sub(/.*"name": "/, "", name); sub(/".*/, "", name) }
  /"real_time":/ { t = $2; sub(/,/, "", t) }
  /"time_unit":/ { u = $2; gsub(/[",]/, "", u) }
  /"cold_ms":/ { c = $2; sub(/,/, "", c) }
  /"pages_read":/ { r = $2; sub(/,/, "", r) }
  /"pages_in_file":/ { p = $2; sub(/,/, "", p) }
  /"read_pct":/ { q = $2; sub(/,/, "", q) }
  END { flush() }' "$OUT/bench_tflite.json" |
  sort >"$OUT/bench_tflite.txt"
printf '  %-38s %10s %10s %14s %8s\n' benchmark "warm ms" "cold ms" "pages read" "%"
while read -r name warm cold read pages pct; do
  printf '  %-38s %10s %10s %14s %8s\n' "$name" "$warm" "$cold" "$read / $pages" "$pct"
  case "$name" in
  tflite_profile/*)
    awk -v p="$pct" -v w="$warm" -v c="$cold" -v mp=$TFLITE_MAX_READ_PCT -v mt=$TFLITE_MAX_MS \
      'BEGIN { exit !(p <= mp && w <= mt && c <= mt) }' ||
      { echo "  MISSED: $name reads $pct % of pages or takes more than $TFLITE_MAX_MS ms" >&2
        fail=1; }
    ;;
  esac
done <"$OUT/bench_tflite.txt"
echo "Targets: tops reads <= ${TFLITE_MAX_READ_PCT} % of the pages and takes <= ${TFLITE_MAX_MS}" \
  "ms (warm median and cold run); tflite_full_walk is the baseline that reads every buffer."
# The same files through the CLI, cold as above: pages resident afterwards (fincore), peak RSS
# and wall time of the whole command (process start included, so the 10 ms is not applied).
echo "CLI, cold: tops profile FILE.tflite (fincore, /usr/bin/time %M, ns clock around the call)"
printf '  %-30s %8s %20s %10s %10s\n' file pages "tops resident" "peak RSS" "wall"
for m in bench_convnet bench_convnet_offsets; do
  f="$OUT/$m.tflite"
  total=$(( ($(stat -c %s "$f") + 4095) / 4096 ))
  evict "$f"
  t0=$(date +%s%N)
  /usr/bin/time -o "$OUT/time.txt" -f "%M" "$BUILD/tops" profile "$f" >/dev/null
  t1=$(date +%s%N)
  res=$(resident_pages "$f")
  rss=$(cat "$OUT/time.txt")
  printf '  %-30s %8s %9s %10s %7.1f MB %7.1f ms\n' "$m.tflite" "$total" "$res" \
    "($(awk -v a="$res" -v b="$total" 'BEGIN { printf "%.2f %%", 100 * a / b }'))" \
    "$(awk -v k="$rss" 'BEGIN { print k / 1024 }')" \
    "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print (b - a) / 1e6 }')"
  awk -v r="$res" -v t="$total" -v max=$TFLITE_MAX_READ_PCT 'BEGIN { exit !(100 * r / t <= max) }' ||
    { echo "  MISSED: $m.tflite: tops left $res of $total pages resident (> ${TFLITE_MAX_READ_PCT} %)" >&2
      fail=1; }
  [ "$rss" -le $((MAX_COLD_RSS_MB * 1024)) ] ||
    { echo "  MISSED: $m.tflite: tops peak RSS $rss kB > ${MAX_COLD_RSS_MB} MB" >&2; fail=1; }
done

# ---- The whole CLI on the largest fixture: `tops profile MODEL --format F` for every format,
# CPU per 1,000 nodes against its budget, beside the in-library time (bench/bench_cli.cc).
echo
echo "The whole CLI, CPU per 1,000 nodes (bench_cli):"
"$BUILD/bench/bench_cli" "$BUILD/tops" || fail=1

# ---- Python package: tops.load against the C++ call it makes, from_torch against
# torch.onnx.export alone (bench/python/bench_python.py), when the tree has the package.
if [ -d "$BUILD/python/tops" ] && [ -n "$(ls "$BUILD"/bench/python/_tops_bench*.so 2>/dev/null)" ]; then
  echo
  echo "Python package (bench/python/bench_python.py):"
  PYTHONPATH="$BUILD/python:$BUILD/bench/python" /usr/bin/python3 \
    "$ROOT/bench/python/bench_python.py" "$OUT/resnet50.onnx" || fail=1
else
  echo "compare: no Python package in $BUILD (pybind11-dev missing?): Python benchmark skipped"
fi

if [ $fail -ne 0 ]; then
  echo "compare: targets missed" >&2
  exit 1
fi
echo "compare: all targets met"
