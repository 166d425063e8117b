#!/usr/bin/env bash
# Decode tokens/s of synthetic models of real shapes (random codes): AQLM vs dense fp32 (bf16 where
# fp32 does not fit in memory), same run.
# usage: bench/generate/run_synthetic.sh [BUILD_DIR] [THREADS] [DECODE_TOKENS]
set -euo pipefail
BUILD=${1:-build}
THREADS=${2:-2}
TOKENS=${3:-16}
AQLM="$BUILD/bin/aqlm"
echo "bench/generate synthetic $(date -u +%FT%TZ): $THREADS threads, $TOKENS decode tokens after an 8-token prompt;" \
     "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| model | scheme | AQLM tok/s | dense tok/s | dense dtype | speedup | note |"
echo "|---|---|---:|---:|---|---:|---|"
for model in llama-1b llama2-7b; do
  for scheme in 2x8g8 1x16g8; do
    j=$("$AQLM" bench generate --synthetic "$model" --scheme "$scheme" --threads "$THREADS" \
          --decode-tokens "$TOKENS" --json | tail -1)
    python3 - "$j" <<'PY'
import json, sys
j = json.loads(sys.argv[1])
dense = "%.2f" % j["dense_tok_s"] if j["dense_tok_s"] is not None else "—"
speed = "%.2fx" % j["speedup"] if j["speedup"] is not None else "—"
print("| %s | %s | %.2f | %s | %s | %s | %s |" % (j["synthetic"], j["scheme"], j["aqlm_tok_s"], dense, j.get("dense_dtype", ""), speed, j.get("dense_note", "")))
PY
  done
done
echo
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
