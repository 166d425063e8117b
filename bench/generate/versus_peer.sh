#!/usr/bin/env bash
# Decode tok/s of AQLM Studio and a peer (ik_llama.cpp / llama.cpp) interleaved rep by rep, so that
# both see the same machine state: on a shared or SMT-split 2-core machine one-off runs of either
# vary by +-20%. Uses the GGUFs bench/generate/peer_llamacpp.sh wrote (BENCH=0 writes them only).
# usage: bench/generate/versus_peer.sh BUILD_DIR PEER_BUILD GGUF_DIR SHAPE [REPS] [THREADS]
#   SHAPE: llama-1b (GGUFs tinyllama-1.1b-*) or llama2-7b; extra binaries to compare: AQLM_EXTRA="label=path ..."
# Prints mean +- sd over the reps of: ours 2x8g8 (default kernels), peer IQ2_KS and Q2_K (64 tokens,
# llama-bench -r 1 per rep), then ours dense fp16 and the peer's F16 (16 tokens).
set -euo pipefail
[ $# -ge 4 ] || { sed -n '2,9p' "$0"; exit 2; }
BUILD=$1 PEER=$2 GGUF=$3 SHAPE=$4 REPS=${5:-5} THREADS=${6:-2}
case $SHAPE in llama-1b) PEER_SHAPE=tinyllama-1.1b ;; *) PEER_SHAPE=$SHAPE ;; esac
OURS=("ours=$BUILD/bin/aqlm" ${AQLM_EXTRA:-})
RESULTS=$(mktemp)
trap 'rm -f "$RESULTS"' EXIT
ours() {  # label binary tokens args...
  local label=$1 bin=$2 tokens=$3; shift 3
  "$bin" bench generate --synthetic "$SHAPE" --threads "$THREADS" --decode-tokens "$tokens" --json "$@" | tail -1 |
    python3 -c 'import json,sys; j=json.loads(sys.stdin.read()); print(sys.argv[1], j.get("aqlm_tok_s") or j["dense_tok_s"])' "$label"
}
peer() {  # type tokens
  "$PEER/bin/llama-bench" -m "$GGUF/$PEER_SHAPE-$1.gguf" -t "$THREADS" -p 0 -n "$2" -r 1 -o json 2>/dev/null |
    python3 -c 'import json,sys; print("peer-" + sys.argv[1], json.load(sys.stdin)[0]["avg_ts"])' "$1"
}
echo "bench/generate versus_peer $(date -u +%FT%TZ): $SHAPE, $THREADS threads, $REPS reps; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for rep in $(seq "$REPS"); do
  for entry in "${OURS[@]}"; do ours "${entry%%=*}-2x8g8" "${entry#*=}" 64 --scheme 2x8g8 --no-dense; done >> "$RESULTS"
  for type in IQ2_KS Q2_K; do peer "$type" 64; done >> "$RESULTS"
done
for rep in $(seq "$REPS"); do
  ours "${OURS[0]%%=*}-dense-fp16" "${OURS[0]#*=}" 16 --no-aqlm --dense-dtype fp16 >> "$RESULTS"
  peer F16 16 >> "$RESULTS"
done
python3 - "$RESULTS" <<'PY'
import statistics as st, sys
runs = {}
for line in open(sys.argv[1]):
    label, value = line.split()
    runs.setdefault(label, []).append(float(value))
print("| run | tok/s mean ± sd | runs |")
print("|---|---:|---|")
for label, values in runs.items():
    sd = st.stdev(values) if len(values) > 1 else 0.0
    print(f"| {label} | {st.mean(values):.2f} ± {sd:.2f} | {' '.join(f'{v:.1f}' for v in values)} |")
PY
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
