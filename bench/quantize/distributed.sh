#!/usr/bin/env bash
# bench/quantize: wall time of one compression run of reference-7M on 1 process vs N local ranks
# (c10d / Gloo over 127.0.0.1, tools/launch-local.sh), one thread per rank, the ranks once with
# whole layers per rank (--layer-split layers) and once with every layer's rows split across them
# (--layer-split rows), and a check that all outputs are the same bytes.
# usage: bench/quantize/distributed.sh [N] [extra quantize options] (default N = 2, no block
# fine-tuning: add --finetune-epochs E to include the data-parallel block fine-tuning).
# MODEL=DIR: another model (e.g. aqlm make-synthetic --shape tinyllama --layers 1 --out DIR for
# layers of real size; its blocks take far longer than reference-7M's).
set -euo pipefail
cd "$(dirname "$0")/../.."
SHARED=${AQLM_SHARED:-$(cd .. && pwd)/shared}
export AQLM=${AQLM:-build/bin/aqlm}
RANKS=${1:-2}; shift || true
EXTRA=("$@"); [ ${#EXTRA[@]} -gt 0 ] || EXTRA=(--no-finetune)
OUT=${BENCH_OUT:-/tmp/aqlm-bench-distributed}
rm -rf "$OUT"; mkdir -p "$OUT"
MODEL=${MODEL:-$SHARED/models/reference-7M/model.bin}
ARGS=(quantize "$MODEL" --scheme 2x8g8 --seq-len 256 --nsamples 128
      --calib "$SHARED/data/tinystories/tinystories_train_head_2MiB.txt" --quiet --json "${EXTRA[@]}")
seconds() { python3 -c 'import time; print(f"{time.time():.2f}")'; }
t0=$(seconds); "$AQLM" "${ARGS[@]}" --out "$OUT/one" --threads 1 > "$OUT/one.log" 2>&1; t1=$(seconds)
tools/launch-local.sh "$RANKS" "${ARGS[@]}" --out "$OUT/layers" --layer-split layers > "$OUT/layers.log" 2>&1; t2=$(seconds)
tools/launch-local.sh "$RANKS" "${ARGS[@]}" --out "$OUT/rows" --layer-split rows > "$OUT/rows.log" 2>&1; t3=$(seconds)
same() { cmp -s "$OUT/one/model.safetensors" "$OUT/$1/model.safetensors" && echo yes || echo NO; }
python3 - "$OUT" "$t0" "$t1" "$t2" "$t3" "$RANKS" "$(same layers)" "$(same rows)" "$(uptime)" <<'PY'
import re, sys
out, t0, t1, t2, t3, n = sys.argv[1], *map(float, sys.argv[2:6]), int(sys.argv[6])
def block1(log, prefix=""):
    # Block 1's wall time as rank 0 reported it ("block 1/8 done in 7.4s").
    for l in open(f"{out}/{log}"):
        m = re.search(r"block 1/\d+ done in ([0-9.]+)s", l)
        if l.startswith(prefix) and m:
            return float(m.group(1))
    return float("nan")
one, lay, rows = t1 - t0, t2 - t1, t3 - t2
b1, b1l, b1r = block1("one.log"), block1("layers.log", "[rank 0]"), block1("rows.log", "[rank 0]")
print(f"1 process: {one:.1f} s wall (block 1 {b1:.1f} s)")
print(f"{n} ranks, whole layers: {lay:.1f} s wall (block 1 {b1l:.1f} s), speed-up {one / lay:.2f}x, identical: {sys.argv[7]}")
print(f"{n} ranks, rows split:   {rows:.1f} s wall (block 1 {b1r:.1f} s), speed-up {one / rows:.2f}x, identical: {sys.argv[8]}")
print(f"load: {sys.argv[9].split('load average:')[1].strip()}")
PY
