#!/usr/bin/env bash
# bench/quantize/layers.sh: our AQLM layer quantizer against the reference implementation on the same
# layers, H, scheme, epoch limit, tolerance and thread count (bench/RESULTS.md, "Layer quantizer").
# usage: AQLM_REFERENCE=/path/to/AQLM bench/quantize/layers.sh [SCHEME] [EPOCHS] [THREADS]
# The reference (github.com/Vahe1994/AQLM, aq_engine.py + src/) is a separate checkout, run unmodified
# with Debian's python3-torch, python3-numpy and python3-tqdm (/usr/bin/python3).
set -euo pipefail
cd "$(dirname "$0")/../.."
SHARED=${AQLM_SHARED:-$(cd .. && pwd)/shared}
SCHEME=${1:-2x8g8}; EPOCHS=${2:-3}; THREADS=${3:-2}
WORK=${WORK:-/tmp/aqlm-bench-layers}
LAYERS=$WORK/reference-7M-block0
[ -f "$LAYERS/manifest.json" ] || build/bin/bench_layers dump "$SHARED/models/reference-7M/model.bin" \
  --calib "$SHARED/data/tinystories/tinystories_train_head_2MiB.txt" --nsamples 128 --seq-len 256 --out "$LAYERS"
for update in exact adam; do
  echo "== ours, codebook update $update"
  build/bin/bench_layers run "$LAYERS" --scheme "$SCHEME" --max-epochs "$EPOCHS" --threads "$THREADS" \
    --codebook-update "$update" | tee "$WORK/ours-$update.jsonl"
done
echo "== reference"
/usr/bin/python3 bench/quantize/reference_layers.py "$LAYERS" --scheme "$SCHEME" --max-epochs "$EPOCHS" \
  --threads "$THREADS" 2>/dev/null | tee "$WORK/reference.jsonl"
