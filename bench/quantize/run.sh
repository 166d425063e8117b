#!/usr/bin/env bash
# bench/quantize: quality / size / time of AQLM against GPTQ and RTN on reference-7M.
# Calibrates on TinyStories train text, evaluates perplexity on the validation head (never the same
# text), and writes bench/quantize/results.csv plus a Markdown table on stdout.
# usage: bench/quantize/run.sh [--quick]   (--quick: fewer samples/epochs, for a smoke run)
set -euo pipefail
cd "$(dirname "$0")/../.."
SHARED=${AQLM_SHARED:-$(cd .. && pwd)/shared}
AQLM=${AQLM:-build/bin/aqlm}
MODEL=$SHARED/models/reference-7M/model.bin
CALIB=(--calib "$SHARED/data/tinystories/tinystories_train_head_2MiB.txt" --calib "$SHARED/data/tinystories/train/part-000.txt")
EVAL=$SHARED/data/tinystories/tinystories_valid_head.txt
OUT=${BENCH_OUT:-/tmp/aqlm-bench-quantize}
NSAMPLES=${NSAMPLES:-128}
EXTRA=()
if [ "${1:-}" = "--quick" ]; then NSAMPLES=32; EXTRA=(--max-epochs 10 --finetune-epochs 3); fi
[ -f "$SHARED/data/tinystories/train/part-000.txt" ] || CALIB=(--calib "$SHARED/data/tinystories/tinystories_train_head_2MiB.txt")
rm -rf "$OUT"; mkdir -p "$OUT"
CSV=bench/quantize/results.csv
echo "method,scheme,avg_bits,model_bits,ppl,seconds,peak_mb,bytes" > "$CSV"

ppl_of() { "$AQLM" perplexity "$1" --data "$EVAL" --seq-len 256 --json | tail -1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["perplexity"])'; }

base_ppl=$(ppl_of "$MODEL")
base_bytes=$(stat -c %s "$MODEL")
echo "fp32,-,32,32,$base_ppl,0,0,$base_bytes" >> "$CSV"

run() {  # label, then quantize arguments
  local label=$1 method=$2; shift 2
  local dir="$OUT/$label"
  local json
  json=$("$AQLM" quantize "$MODEL" --out "$dir" "${CALIB[@]}" --nsamples "$NSAMPLES" --seq-len 256 "$@" --json | tail -1)
  local ppl; ppl=$(ppl_of "$dir")
  python3 - "$method" "$label" "$ppl" "$json" >> "$CSV" <<'PY'
import json, sys
method, label, ppl, summary = sys.argv[1], sys.argv[2], float(sys.argv[3]), json.loads(sys.argv[4])
print(f"{method},{label},{summary['avg_bits']:.4f},{summary['model_bits']:.4f},{ppl:.4f},{summary['seconds']:.1f},{summary['peak_mb']:.0f},{summary['bytes']}")
PY
  tail -1 "$CSV"
}

for s in 1x8g8 2x6g8 1x8g4 2x8g8 3x8g8; do run "aqlm-$s" aqlm --scheme "$s" "${EXTRA[@]}"; done
run "aqlm-2x8g8-noft" aqlm --scheme 2x8g8 --no-finetune "${EXTRA[@]}"
for b in 2 3 4; do
  for g in 64 128; do
    run "gptq-int$b-g$g" gptq --method gptq --bits "$b" --group "$g"
    run "rtn-int$b-g$g" rtn --method rtn --bits "$b" --group "$g"
  done
done

python3 - "$CSV" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
print("| method | scheme | bits/param (quantized layers) | whole-model bits | PPL | seconds | peak MB |")
print("|---|---|---:|---:|---:|---:|---:|")
for r in rows:
    print(f"| {r['method']} | {r['scheme']} | {r['avg_bits']} | {r['model_bits']} | {r['ppl']} | {r['seconds']} | {r['peak_mb']} |")
PY
