#!/usr/bin/env bash
# Matvec kernel vs decode-once + BLAS GEMM by tokens per call: where the automatic choice switches.
# usage: bench/kernels/crossover.sh [BUILD_DIR] [THREADS]   (prints a markdown table)
set -euo pipefail
BUILD=${1:-build}
THREADS=${2:-2}
AQLM="$BUILD/bin/aqlm"
echo "crossover $(date -u +%FT%TZ), $THREADS threads, load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| scheme | shape | tokens | matvec ms | decode-gemm ms | faster |"
echo "|---|---|---:|---:|---:|---|"
for scheme in 2x8g8 1x8g8 8x8g32 1x16g8; do
  for shape in "4096 11008"; do
    set -- $shape
    for tokens in 1 2 4 8 16 32; do
      mv=$("$AQLM" bench matvec --rows "$1" --cols "$2" --scheme "$scheme" --tokens "$tokens" --kernel matvec \
            --repeats 7 --threads "$THREADS" --json | tail -1 | python3 -c 'import json,sys; print("%.3f" % json.load(sys.stdin)["aqlm_ms"])')
      gemm=$("$AQLM" bench matvec --rows "$1" --cols "$2" --scheme "$scheme" --tokens "$tokens" --kernel decode-gemm \
            --repeats 7 --threads "$THREADS" --json | tail -1 | python3 -c 'import json,sys; print("%.3f" % json.load(sys.stdin)["aqlm_ms"])')
      faster=$(python3 -c "print('matvec' if $mv < $gemm else 'decode-gemm')")
      echo "| $scheme | ${1}x${2} | $tokens | $mv | $gemm | $faster |"
    done
  done
done
