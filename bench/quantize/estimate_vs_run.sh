#!/usr/bin/env bash
# bench/quantize: the time estimate made before Start (`aqlm bits --time`) against the measured run
# with the same settings, one after the other, then projections for real-size shapes from config.json
# alone (the estimate reads no weights).
# usage: bench/quantize/estimate_vs_run.sh [THREADS]     (prints a Markdown table)
set -euo pipefail
cd "$(dirname "$0")/../.."
SHARED=${AQLM_SHARED:-$(cd .. && pwd)/shared}
AQLM=${AQLM:-build/bin/aqlm}
THREADS=${1:-2}
CALIB=$SHARED/data/tinystories/tinystories_train_head_2MiB.txt
OUT=$(mktemp -d /tmp/aqlm-estimate-XXXXXX)
trap 'rm -rf "$OUT"' EXIT

field() { python3 -c "import json,sys; d=json.loads(sys.stdin.read().strip().splitlines()[-1]); print($1)"; }

compare() {  # label model settings...
  local label=$1 model=$2; shift 2
  local est run
  est=$("$AQLM" bits "$model" --time --threads "$THREADS" "$@" --json)
  run=$("$AQLM" quantize "$model" --out "$OUT/$label" --calib "$CALIB" --threads "$THREADS" --quiet "$@" --json 2>/dev/null)
  local e l s p
  e=$(echo "$est" | field 'd["time"]["expected_seconds"]')
  l=$(echo "$est" | field 'd["time"]["longest_seconds"]')
  p=$(echo "$est" | field 'd["time"]["probe_seconds"]')
  s=$(echo "$run" | field 'd["seconds"]')
  python3 -c "print(f'| $label | {$e:.0f} (at most {$l:.0f}) | {$s:.0f} | {$e/$s:.2f} | {$p:.1f} |')"
  rm -rf "${OUT:?}/$label"
}

echo "| run ($THREADS threads) | estimate s | measured s | estimate / measured | probe s |"
echo "|---|---:|---:|---:|---:|"
REF=$SHARED/models/reference-7M/hf
compare "reference-7M 2x8g8, no fine-tuning" "$REF" --scheme 2x8g8 --nsamples 128 --seq-len 256 --no-finetune
compare "reference-7M 2x8g8, 3 fine-tuning epochs" "$REF" --scheme 2x8g8 --nsamples 64 --seq-len 256 --finetune-epochs 3
compare "reference-7M 1x16g8, 3 epochs" "$REF" --scheme 1x16g8 --nsamples 32 --seq-len 256 --max-epochs 3 --no-finetune
compare "reference-7M gptq int4 g128" "$REF" --method gptq --bits 4 --group 128 --nsamples 128 --seq-len 256
# One real-shape block: TinyLlama-1.1B's layer widths, the whole run's per-block work.
"$AQLM" make-synthetic --shape tinyllama --layers 1 --out "$OUT/tinyllama-1" > /dev/null
compare "TinyLlama-1.1B shape, 1 block, 2x8g8, 32 x 512 tokens, 5 epochs" "$OUT/tinyllama-1" --scheme 2x8g8 \
  --nsamples 32 --seq-len 512 --max-epochs 5 --no-finetune

echo
echo "| projection ($THREADS threads) | settings | expected | at most | layers | calibration passes | block fine-tuning |"
echo "|---|---|---:|---:|---:|---:|---:|"
project() {  # shape layers label settings...
  local shape=$1 layers=$2 label=$3; shift 3
  local dir="$OUT/$shape-config"
  [ -f "$dir/config.json" ] || {
    "$AQLM" make-synthetic --shape "$shape" --layers 1 --out "$dir" > /dev/null
    python3 - "$dir/config.json" "$layers" <<'PY'
import json, sys
path, layers = sys.argv[1], int(sys.argv[2])
c = json.load(open(path)); c["num_hidden_layers"] = layers; json.dump(c, open(path, "w"), indent=2)
PY
  }
  local est
  est=$("$AQLM" bits "$dir" --time --threads "$THREADS" "$@" --json | tail -1)
  python3 - "$est" "$shape" "$label" <<'PY'
import json, sys
t = json.loads(sys.argv[1])["time"]
h = lambda s: f"{s / 3600:.1f} h"
print(f"| {sys.argv[2]} | {sys.argv[3]} | {h(t['expected_seconds'])} | {h(t['longest_seconds'])} | "
      f"{h(t['layer_seconds'])} | {h(t['forward_seconds'])} | {h(t['finetune_seconds'])} |")
PY
}
project tinyllama 22 "2x8g8, 128 x 2048 tokens, fine-tuning 10 epochs (defaults)" --scheme 2x8g8 --seq-len 2048
project tinyllama 22 "2x8g8, 128 x 512 tokens, no fine-tuning" --scheme 2x8g8 --seq-len 512 --no-finetune
project llama2-7b 32 "2x8g8, 128 x 4096 tokens, fine-tuning 10 epochs (defaults)" --scheme 2x8g8
project llama2-7b 32 "2x8g8, 128 x 512 tokens, no fine-tuning" --scheme 2x8g8 --seq-len 512 --no-finetune
project llama2-7b 32 "1x16g8, 128 x 512 tokens, no fine-tuning" --scheme 1x16g8 --seq-len 512 --no-finetune
