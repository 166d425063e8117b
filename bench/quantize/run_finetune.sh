#!/usr/bin/env bash
# bench/quantize (fine-tuning rows): reference-7M AQLM before and after whole-model global
# fine-tuning and PV-Tuning (aqlm finetune), one scheme at a time. Compression as in run.sh
# (128 windows of 256 tokens of TinyStories train text); fine-tuning on the TinyStories train text
# (its last 10% held out for the run's own validation); perplexity on the validation head (never
# trained on), EVALUATION.md protocol. Appends to bench/quantize/finetune.csv.
# usage: bench/quantize/run_finetune.sh [SCHEME...]   (default: 1x8g4 2x6g8 1x8g8)
# env: STEPS (default 60), TOKENS (tokens per step, default 4096), EVAL_EVERY (default 10),
#      LR, CODE_LR, TAU, BENCH_OUT (default /tmp/aqlm-bench-finetune), THREADS (default 2),
#      COMPRESS ("--nsamples 128" by default, as run.sh; --quick in run.sh is
#      "--nsamples 32 --max-epochs 10 --finetune-epochs 3")
set -euo pipefail
cd "$(dirname "$0")/../.."
SHARED=${AQLM_SHARED:-$(cd .. && pwd)/shared}
AQLM=${AQLM:-build/bin/aqlm}
MODEL=$SHARED/models/reference-7M/model.bin
TRAIN=$SHARED/data/tinystories/tinystories_train_head_2MiB.txt
EVAL=$SHARED/data/tinystories/tinystories_valid_head.txt
OUT=${BENCH_OUT:-/tmp/aqlm-bench-finetune}
STEPS=${STEPS:-60}; TOKENS=${TOKENS:-4096}; EVAL_EVERY=${EVAL_EVERY:-10}; THREADS=${THREADS:-2}
LR=${LR:-1e-4}; CODE_LR=${CODE_LR:-3e-3}; TAU=${TAU:-0.01}
read -r -a COMPRESS_ARGS <<< "${COMPRESS:---nsamples 128}"
CSV=bench/quantize/finetune.csv
[ -f "$CSV" ] || echo "scheme,stage,avg_bits,ppl,steps,tokens,minutes,peak_mb,codes_changed_per_step,settings" > "$CSV"
mkdir -p "$OUT"
SCHEMES=("$@"); [ ${#SCHEMES[@]} -gt 0 ] || SCHEMES=(1x8g4 2x6g8 1x8g8)

ppl_of() { "$AQLM" perplexity "$1" --data "$EVAL" --seq-len 256 --threads "$THREADS" --json | tail -1 |
           python3 -c 'import json,sys; print(json.load(sys.stdin)["perplexity"])'; }

row() {  # scheme stage json-file ppl settings
  python3 - "$@" >> "$CSV" <<'PY'
import json, sys
scheme, stage, path, ppl, settings = sys.argv[1:6]
j = json.load(open(path))
changed = j.get("codes_changed_per_step", [])
mean = sum(changed) / len(changed) if changed else 0
minutes = j["seconds"] / 60
print(f"{scheme},{stage},{j['avg_bits']:.4f},{float(ppl):.4f},{j.get('steps', 0)},{j.get('tokens', 0)},{minutes:.1f},{j['peak_mb']:.0f},{mean:.1f},{settings}")
PY
  tail -1 "$CSV"
}

for s in "${SCHEMES[@]}"; do
  base="$OUT/aqlm-$s"
  if [ ! -f "$base/config.json" ]; then
    rm -rf "$base"
    "$AQLM" quantize "$MODEL" --out "$base" --scheme "$s" --calib "$TRAIN" "${COMPRESS_ARGS[@]}" --seq-len 256 \
      --threads "$THREADS" --quiet --json | tail -1 > "$OUT/q-$s.json"
  fi
  if [ -f "$OUT/q-$s.json" ]; then row "$s" block-ft "$OUT/q-$s.json" "$(ppl_of "$base")" "${COMPRESS_ARGS[*]}"; fi
  for mode in ${MODES:-global pv}; do
    dir="$OUT/aqlm-$s-$mode"; rm -rf "$dir"
    "$AQLM" finetune "$base" --teacher "$MODEL" --out "$dir" --data "$TRAIN" --mode "$mode" --steps "$STEPS" \
      --tokens-per-step "$TOKENS" --seq-len 256 --eval-every "$EVAL_EVERY" --lr "$LR" --code-lr "$CODE_LR" \
      --tau "$TAU" --threads "$THREADS" --quiet --json | tail -1 > "$OUT/ft-$s-$mode.json"
    row "$s" "+$mode" "$OUT/ft-$s-$mode.json" "$(ppl_of "$dir")" "lr=$LR;code_lr=$CODE_LR;tau=$TAU;tokens_per_step=$TOKENS"
  done
done
