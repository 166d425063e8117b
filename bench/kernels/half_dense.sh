#!/usr/bin/env bash
# fp16 / bf16 dense kernels (engine/layers/kernels/dense_half_kernels.h) against fp32 BLAS mv and
# LibTorch's own 16-bit mv on Llama-7B layer shapes, one token; then the row-pass / tiled-BLAS crossover.
# usage: bench/kernels/half_dense.sh [BUILD_DIR] [THREADS] [REPEATS]
# Prints markdown tables; raw JSON lines go to bench/kernels/half_dense.jsonl.
set -euo pipefail
BUILD=${1:-build}
THREADS=${2:-2}
REPEATS=${3:-21}
CROSS_REPEATS=$(( REPEATS < 9 ? REPEATS : 9 ))
AQLM="$BUILD/bin/aqlm"
HERE=$(cd "$(dirname "$0")" && pwd)
OUT="$HERE/half_dense.jsonl"
: > "$OUT"
echo "bench/kernels/half_dense $(date -u +%FT%TZ): $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)," \
     "$(nproc) cores, $THREADS threads, median of $REPEATS; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| shape (rows x cols) | dtype | 16-bit kernel ms | weight GB/s | copy GB/s | of copy | read GB/s | of read | fp32 mv ms | vs fp32 | LibTorch 16-bit mv ms | vs LibTorch |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for shape in "4096 4096" "11008 4096" "4096 11008" "32000 4096"; do
  set -- $shape
  for dtype in fp16 bf16; do
    j=$("$AQLM" bench matvec --rows "$1" --cols "$2" --scheme 2x8g8 --dtype "$dtype" --repeats "$REPEATS" \
          --threads "$THREADS" --json | tail -1)
    echo "$j" >> "$OUT"
    python3 - "$j" <<'PY'
import json, sys
j = json.loads(sys.argv[1])
lt = j["libtorch_half_ms"]
lt_ms = f'{lt:.3f}' if lt is not None else 'n/a'
lt_x = f'{lt / j["dense_ms"]:.2f}x' if lt is not None else 'n/a'
print(f'| {j["rows"]}x{j["cols"]} | {j["dense_dtype"]} | {j["dense_ms"]:.3f} | {j["half_weight_gb_per_s"]:.1f} | '
      f'{j["copy_gb_per_s"]:.1f} | {100 * j["half_weight_gb_per_s"] / j["copy_gb_per_s"]:.0f}% | '
      f'{j["read_gb_per_s"]:.1f} | {100 * j["half_weight_gb_per_s"] / j["read_gb_per_s"]:.0f}% | '
      f'{j["fp32_blas_ms"]:.3f} | {j["fp32_blas_ms"] / j["dense_ms"]:.2f}x | {lt_ms} | {lt_x} |')
PY
  done
done
echo
echo "Crossover, 11008x4096 fp16, ms: row pass / tiled BLAS / fp32 BLAS matmul"
echo
echo "| tokens | row-pass | tiled-gemm | fp32 matmul |"
echo "|---:|---:|---:|---:|"
for tokens in 1 2 4 8 16 32 64 256; do
  r=$("$AQLM" bench matvec --rows 11008 --cols 4096 --scheme 2x8g8 --dtype fp16 --tokens "$tokens" --half-path row-pass \
        --repeats "$CROSS_REPEATS" --threads "$THREADS" --json | tail -1)
  t=$("$AQLM" bench matvec --rows 11008 --cols 4096 --scheme 2x8g8 --dtype fp16 --tokens "$tokens" --half-path tiled-gemm \
        --repeats "$CROSS_REPEATS" --threads "$THREADS" --json | tail -1)
  echo "$r" >> "$OUT"
  echo "$t" >> "$OUT"
  python3 - "$tokens" "$r" "$t" <<'PY'
import json, sys
r, t = json.loads(sys.argv[2]), json.loads(sys.argv[3])
fp32 = min(r["fp32_blas_ms"], t["fp32_blas_ms"])
print(f'| {sys.argv[1]} | {r["dense_ms"]:.3f} | {t["dense_ms"]:.3f} | {fp32:.3f} |')
PY
done
echo
echo "Instruction sets, 11008x4096 fp16, 1 token, ms (AQLM_ISA forces one)"
echo
echo "| isa | 16-bit kernel ms | weight GB/s |"
echo "|---|---:|---:|"
for isa in scalar avx2 avx512; do
  j=$(AQLM_ISA=$isa "$AQLM" bench matvec --rows 11008 --cols 4096 --scheme 2x8g8 --dtype fp16 --repeats "$CROSS_REPEATS" \
        --threads "$THREADS" --json | tail -1)
  echo "$j" >> "$OUT"
  python3 - "$j" <<'PY'
import json, sys
j = json.loads(sys.argv[1])
print(f'| {j["half_isa"]} | {j["dense_ms"]:.3f} | {j["half_weight_gb_per_s"]:.1f} |')
PY
done
echo
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
