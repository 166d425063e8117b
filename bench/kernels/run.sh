#!/usr/bin/env bash
# AQLM matvec kernels vs LibTorch fp32 and bf16 mv on Llama-2-7B and 70B layer shapes, same run.
# usage: bench/kernels/run.sh [BUILD_DIR] [THREADS] [REPEATS]
# Prints a markdown table; raw JSON lines go to bench/kernels/results.jsonl.
set -euo pipefail
BUILD=${1:-build}
THREADS=${2:-2}
REPEATS=${3:-9}
AQLM="$BUILD/bin/aqlm"
HERE=$(cd "$(dirname "$0")" && pwd)
OUT="$HERE/results.jsonl"
: > "$OUT"
echo "bench/kernels $(date -u +%FT%TZ): $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores," \
     "$THREADS threads, median of $REPEATS; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| shape (rows x cols) | scheme | kernel | AQLM ms | code GB/s | copy GB/s | fp32 mv ms | vs fp32 | bf16 mv ms | vs bf16 |"
echo "|---|---|---|---:|---:|---:|---:|---:|---:|---:|"
for shape in "4096 4096" "11008 4096" "4096 11008" "8192 8192" "28672 8192"; do
  set -- $shape
  for scheme in 1x16g8 2x8g8 1x8g8 8x8g32; do
    f=$("$AQLM" bench matvec --rows "$1" --cols "$2" --scheme "$scheme" --dtype fp32 --repeats "$REPEATS" \
          --threads "$THREADS" --json | tail -1)
    b=$("$AQLM" bench matvec --rows "$1" --cols "$2" --scheme "$scheme" --dtype bf16 --repeats "$REPEATS" \
          --threads "$THREADS" --json | tail -1)
    echo "$f" >> "$OUT"
    echo "$b" >> "$OUT"
    python3 - "$f" "$b" <<'PY'
import json, sys
f, b = json.loads(sys.argv[1]), json.loads(sys.argv[2])
aqlm = min(f["aqlm_ms"], b["aqlm_ms"])  # AQLM is timed in both invocations; report the better median
print("| %dx%d | %s | %s | %.3f | %.2f | %.1f | %.3f | %.2fx | %.3f | %.2fx |" % (
    f["rows"], f["cols"], f["scheme"], f["kernel"], aqlm, f["code_bytes"] / (aqlm * 1e-3) / 1e9,
    f["copy_gb_per_s"], f["dense_ms"], f["dense_ms"] / aqlm, b["dense_ms"], b["dense_ms"] / aqlm))
PY
  done
done
echo
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
