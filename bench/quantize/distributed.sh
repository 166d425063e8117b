#!/usr/bin/env bash
# bench/quantize: wall time of one compression run of reference-7M on 1 process vs N local ranks
# (c10d / Gloo over 127.0.0.1, tools/launch-local.sh), one thread per rank, and a check that the
# outputs are the same bytes. usage: bench/quantize/distributed.sh [N] [extra quantize options]
# (default N = 2, no block fine-tuning: add --finetune-epochs E to include the data-parallel
# block fine-tuning).
set -euo pipefail
cd "$(dirname "$0")/../.."
SHARED=${AQLM_SHARED:-$(cd .. && pwd)/shared}
export AQLM=${AQLM:-build/bin/aqlm}
RANKS=${1:-2}; shift || true
EXTRA=("$@"); [ ${#EXTRA[@]} -gt 0 ] || EXTRA=(--no-finetune)
OUT=${BENCH_OUT:-/tmp/aqlm-bench-distributed}
rm -rf "$OUT"; mkdir -p "$OUT"
ARGS=(quantize "$SHARED/models/reference-7M/model.bin" --scheme 2x8g8 --seq-len 256 --nsamples 128
      --calib "$SHARED/data/tinystories/tinystories_train_head_2MiB.txt" --quiet --json "${EXTRA[@]}")
seconds() { python3 -c 'import time; print(f"{time.time():.2f}")'; }
t0=$(seconds); "$AQLM" "${ARGS[@]}" --out "$OUT/one" --threads 1 > "$OUT/one.log" 2>&1; t1=$(seconds)
tools/launch-local.sh "$RANKS" "${ARGS[@]}" --out "$OUT/ranks" > "$OUT/ranks.log" 2>&1; t2=$(seconds)
same=$(cmp -s "$OUT/one/model.safetensors" "$OUT/ranks/model.safetensors" && echo yes || echo NO)
python3 - "$t0" "$t1" "$t2" "$RANKS" "$same" "$(uptime)" <<'PY'
import sys
t0, t1, t2, n = float(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
one, many = t1 - t0, t2 - t1
print(f"1 process: {one:.1f} s wall; {n} ranks: {many:.1f} s wall; speed-up {one / many:.2f}x; "
      f"identical model.safetensors: {sys.argv[5]}; load: {sys.argv[6].split('load average:')[1].strip()}")
PY
