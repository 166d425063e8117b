#!/usr/bin/env bash
# Real-size memory and speed on this machine: a synthetic Llama-2-7B-shaped fp16 Hugging Face folder
# (random weights, 13.5 GB at 32 layers) through info, 64 decode tokens, one 2048-token perplexity
# window and the first compression block (2x8g8, 128 x 2048 calibration tokens), one after the other.
# Peaks are the aqlm process's own: VmHWM (mapped weight pages included) and sampled RssAnon (not
# backed by a file); the compression block's from /usr/bin/time. Prints one JSON line per step.
# usage: bench/memory/run.sh [WORKDIR] [LAYERS]    (defaults: /tmp/aqlm-bench-7b, 32; THREADS=2)
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${AQLM_BIN:-build/bin}
SHARED=${AQLM_SHARED:-../shared}
WORK=${1:-/tmp/aqlm-bench-7b}
LAYERS=${2:-32}
THREADS=${THREADS:-2}
MODEL=$WORK/llama2-7b-fp16
TEXT=$SHARED/data/wikitext-2-raw/wiki.test.raw
mkdir -p "$WORK"

if [ ! -f "$MODEL/config.json" ]; then
  /usr/bin/time -f '{"step": "make-synthetic", "seconds": %e, "peak_rss_kb": %M}' \
    "$BIN/aqlm" make-synthetic --shape llama2-7b --layers "$LAYERS" --out "$MODEL" --quiet
fi
echo "{\"model_bytes\": $(du -sb "$MODEL" | cut -f1), \"layers\": $LAYERS, \"threads\": $THREADS}"
sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true  # cold start where allowed (root)

/usr/bin/time -f '{"step": "info", "seconds": %e, "peak_rss_kb": %M}' "$BIN/aqlm" info "$MODEL" --json | tail -1

generate() {  # MODEL LABEL
  "$BIN/aqlm" generate "$1" --prompt "The history of the city begins" --max-new-tokens 64 \
    --threads "$THREADS" --json | tail -1 | python3 -c '
import json, sys
j = json.loads(sys.stdin.read())
print(json.dumps({"step": "generate 64 " + sys.argv[1], "decode_tok_s": round(j["tokens_per_second"], 3),
                  "prefill_tok_s": round(j["prefill_tokens_per_second"], 2),
                  "peak_rss_mb": j["peak_rss_bytes"] >> 20, "peak_anonymous_mb": j["peak_anonymous_bytes"] >> 20}))' "$2"
}
generate "$MODEL" fp16

# The same shape as random AQLM models (what a compression writes): the codes are the footprint.
for scheme in 2x8g8 1x16g8; do
  AQ=$WORK/llama2-7b-$scheme
  [ -f "$AQ/config.json" ] || "$BIN/aqlm" make-synthetic --shape llama2-7b --layers "$LAYERS" --scheme "$scheme" \
    --out "$AQ" --quiet > /dev/null
  echo "{\"step\": \"aqlm $scheme folder\", \"bytes\": $(du -sb "$AQ" | cut -f1)}"
  generate "$AQ" "$scheme"
done

/usr/bin/time -f '{"step": "perplexity 1x2048", "seconds": %e, "peak_rss_kb": %M}' \
  "$BIN/aqlm" perplexity "$MODEL" --data "$TEXT" --seq-len 2048 --max-windows 1 --threads "$THREADS" --json | tail -1

# One compression block at the paper's calibration size per sequence (NSAMPLES x 2048 tokens, default
# 128): the first block of the 7B shape, as a 1-layer folder so the run ends by itself. Activations
# beyond ACTIVATION_MIB spill to a scratch file. Slow on 2 cores (the calibration forward dominates).
L1=$WORK/llama2-7b-1layer
[ -f "$L1/config.json" ] || "$BIN/aqlm" make-synthetic --shape llama2-7b --layers 1 --out "$L1" --quiet > /dev/null
OUT=$WORK/q-2x8g8
rm -rf "$OUT"
"$BIN/aqlm" quantize "$L1" --out "$OUT" --scheme 2x8g8 --calib "$TEXT" --nsamples "${NSAMPLES:-128}" --seq-len 2048 \
  --max-epochs 1 --steps-per-epoch 2 --finetune-epochs 0 --threads "$THREADS" \
  --activation-memory "${ACTIVATION_MIB:-2048}" --json 2> "$WORK/quantize.log" | tail -1 | python3 -c '
import json, sys
j = json.loads(sys.stdin.read())
print(json.dumps({"step": "compress block 1 (2x8g8, %s x 2048 tokens)" % sys.argv[1], "seconds": round(j["seconds"], 1),
                  "peak_rss_mb": round(j["peak_mb"]), "peak_anonymous_mb": round(j["peak_anonymous_mb"])}))' "${NSAMPLES:-128}"
