#!/usr/bin/env bash
# Decode tok/s of synthetic models of real shapes, one after the other in one run: the eager LibTorch
# decode with the exact fp32 kernels (what 0.1 shipped), the fused decode step with the exact kernels,
# the fused step with the 16-bit lookup tables (the default), and the dense fp16 model. Embeddings
# and head are fp16 as in Hugging Face checkpoints. Also the share of the memory-read bound.
# usage: bench/generate/decode_speed.sh [BUILD_DIR] [THREADS] [DECODE_TOKENS] [SHAPES...]
set -euo pipefail
BUILD=${1:-build}
THREADS=${2:-2}
TOKENS=${3:-32}
shift $(( $# < 3 ? $# : 3 ))
SHAPES=${*:-llama-1b llama2-7b}
AQLM="$BUILD/bin/aqlm"
echo "bench/generate decode_speed $(date -u +%FT%TZ): $THREADS threads, $TOKENS decode tokens after an 8-token prompt;" \
     "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| shape | model | decode step | kernel | tok/s | weights MB/token | share of read bound |"
echo "|---|---|---|---|---:|---:|---:|"
row() {  # shape, label, extra args...
  local shape=$1 label=$2; shift 2
  "$AQLM" bench generate --synthetic "$shape" --threads "$THREADS" --decode-tokens "$TOKENS" --json "$@" | tail -1 |
    python3 -c '
import json, sys
j = json.loads(sys.stdin.read()); shape, label, dense = sys.argv[1], sys.argv[2], sys.argv[3] == "dense"
if dense:
    print("| %s | %s | %s | %s | %.2f | %.0f | %.0f%% |" % (shape, label, j["decode_path"], "fp16 row pass",
          j["dense_tok_s"], j["dense_weight_bytes_per_token"] / 1e6, 100 * j["dense_bandwidth_fraction"]))
else:
    print("| %s | %s | %s | %s | %.2f | %.0f | %.0f%% |" % (shape, label, j["decode_path"], j["kernel"], j["aqlm_tok_s"],
          j["aqlm_weight_bytes_per_token"] / 1e6, 100 * j["aqlm_bandwidth_fraction"]))
' "$shape" "$label" "$MODE"
}
for shape in $SHAPES; do
  MODE=aqlm row "$shape" "AQLM 2x8g8" --scheme 2x8g8 --no-dense --decode-path eager --kernel exact
  MODE=aqlm row "$shape" "AQLM 2x8g8" --scheme 2x8g8 --no-dense --decode-path fused --kernel exact
  MODE=aqlm row "$shape" "AQLM 2x8g8" --scheme 2x8g8 --no-dense --decode-path fused
  MODE=aqlm row "$shape" "AQLM 1x16g8" --scheme 1x16g8 --no-dense --decode-path fused
  MODE=dense row "$shape" "dense fp16" --no-aqlm --dense-dtype fp16 --decode-path fused
done
echo
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
