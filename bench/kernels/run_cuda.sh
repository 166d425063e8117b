#!/usr/bin/env bash
# On a GPU machine (engine built with a CUDA LibTorch): AQLM CUDA matvec kernels vs cuBLAS fp16 mv on
# the Llama-2-7B and 70B shapes, same run. Also runs the kernel correctness test first.
# usage: bench/kernels/run_cuda.sh [BUILD_DIR] [REPEATS]
set -euo pipefail
BUILD=${1:-build}
REPEATS=${2:-50}
AQLM="$BUILD/bin/aqlm"
"$BUILD/tests/tst_cuda_kernels"
if ! "$AQLM" bench matvec --rows 64 --cols 128 --scheme 2x8g8 --device cuda --repeats 1 > /dev/null 2>&1; then
  echo "aqlm bench --device cuda is unavailable (engine built with a CPU-only LibTorch): kernel test above only"
  exit 0
fi
nvidia-smi --query-gpu=name,driver_version --format=csv,noheader || true
echo "| shape (rows x cols) | scheme | kernel | AQLM ms | cuBLAS fp16 mv ms | speedup |"
echo "|---|---|---|---:|---:|---:|"
for shape in "4096 4096" "11008 4096" "4096 11008" "8192 8192" "28672 8192"; do
  set -- $shape
  for scheme in 1x16g8 2x8g8; do
    "$AQLM" bench matvec --rows "$1" --cols "$2" --scheme "$scheme" --device cuda --dtype fp16 \
        --repeats "$REPEATS" --json | tail -1 | python3 -c '
import json, sys
j = json.load(sys.stdin)
print("| %dx%d | %s | %s | %.4f | %.4f | %.2fx |" % (j["rows"], j["cols"], j["scheme"], j["kernel"], j["aqlm_ms"],
      j["dense_ms"], j["speedup"]))'
  done
done
