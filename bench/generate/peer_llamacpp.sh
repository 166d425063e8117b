#!/usr/bin/env bash
# Decode speed of a peer engine (ik_llama.cpp, or ggml-org/llama.cpp) on random-weight GGUFs of the
# shapes bench/generate measures (TinyLlama-1.1B, Llama-2-7B): for measurement only, nothing of the
# peer is part of this repository.
#
# usage: bench/generate/peer_llamacpp.sh PEER_SRC PEER_BUILD [OUT_DIR]
#   PEER_SRC    the peer's source tree (its gguf-py writes the f16 GGUF)
#   PEER_BUILD  its CMake build folder with bin/llama-quantize and bin/llama-bench, e.g.
#                 cmake PEER_SRC -DCMAKE_BUILD_TYPE=Release -DGGML_NATIVE=ON -DLLAMA_CURL=OFF \
#                   -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_SERVER=OFF
#                 cmake --build . --target llama-bench llama-quantize -j2
#   OUT_DIR     GGUF files (default /tmp/peer-gguf; 7B: f16 13.5 GB + ~8 GB of quantized files). Existing
#               files are reused (the generator is deterministic: seed 0); delete them to regenerate.
# environment:
#   SHAPES="tinyllama-1.1b llama2-7b"   TYPES="IQ2_KS Q2_K Q4_0 F16" (IQ2_KS exists in ik_llama.cpp only)
#   THREADS=2  TOKENS=64  REPS=5        llama-bench -t THREADS -p 0 -n TOKENS -r REPS
#   NICE_QUANTIZE=0   niceness of llama-quantize and the GGUF writer (10 on a shared machine; llama-bench
#                     itself runs at the caller's niceness)
#   BENCH=0           only write and quantize the GGUFs (e.g. niced ahead of time), no llama-bench
#   TOKENIZER=<repo>/../shared/models/llama2-tokenizer/tokenizer.model
#   PEER_COMMIT   the peer's commit, when PEER_SRC is not a git checkout
#   AQLM_BIN      our aqlm binary (BUILD/bin/aqlm): if set, its `bench matvec` measures the machine's read
#                 bandwidth in this run; otherwise READ_GBPS (GB/s) is used if given, else the column is left out
#   PYTHON        a python3 with numpy (default: the first of python3, /usr/bin/python3 that imports numpy)
# Prints a markdown table: file size, bits per weight, weight bytes read per decoded token (every tensor but
# token_embd, of which a token reads one row), tok/s ± sd, and that read rate as a fraction of the bandwidth.
set -euo pipefail
[ $# -ge 2 ] || { sed -n '2,28p' "$0"; exit 2; }
SRC=$(cd "$1" && pwd)
BUILD=$(cd "$2" && pwd)
OUT=${3:-/tmp/peer-gguf}
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
SHAPES=${SHAPES:-"tinyllama-1.1b llama2-7b"}
TYPES=${TYPES:-"IQ2_KS Q2_K Q4_0 F16"}
THREADS=${THREADS:-2}
TOKENS=${TOKENS:-64}
REPS=${REPS:-5}
NICE_QUANTIZE=${NICE_QUANTIZE:-0}
BENCH_RUN=${BENCH:-1}
TOKENIZER=${TOKENIZER:-$REPO/../shared/models/llama2-tokenizer/tokenizer.model}
QUANTIZE="$BUILD/bin/llama-quantize"
BENCH="$BUILD/bin/llama-bench"
for f in "$QUANTIZE" "$BENCH"; do [ -x "$f" ] || { echo "missing $f" >&2; exit 1; }; done
[ -f "$TOKENIZER" ] || { echo "missing tokenizer $TOKENIZER (set TOKENIZER=)" >&2; exit 1; }
if [ -z "${PYTHON:-}" ]; then
  for p in python3 /usr/bin/python3; do
    if "$p" -c 'import numpy' 2>/dev/null; then PYTHON=$p; break; fi
  done
fi
[ -n "${PYTHON:-}" ] || { echo "no python3 with numpy (apt-get install python3-numpy)" >&2; exit 1; }
export PYTHONPATH="$SRC/gguf-py${PYTHONPATH:+:$PYTHONPATH}"
PEER_COMMIT=${PEER_COMMIT:-$(git -C "$SRC" rev-parse HEAD 2>/dev/null || echo unknown)}
mkdir -p "$OUT"
load() { cut -d' ' -f1-3 /proc/loadavg; }

READ_BW=${READ_GBPS:-}
BW_NOTE="given as READ_GBPS"
if [ -n "${AQLM_BIN:-}" ] && [ -x "$AQLM_BIN" ]; then
  j=$("$AQLM_BIN" bench matvec --rows 4096 --cols 11008 --scheme 2x8g8 --dtype fp16 --repeats 9 \
        --threads "$THREADS" --json | tail -1)
  READ_BW=$("$PYTHON" -c 'import json,sys; print("%.1f" % json.loads(sys.argv[1])["read_gb_per_s"])' "$j")
  BW_NOTE="measured in this run by $AQLM_BIN bench matvec (parallel sum of 256 MiB, $THREADS threads)"
fi

echo "bench/generate peer $(date -u +%FT%TZ): $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)," \
     "$(nproc) cores; peer $(basename "$SRC") commit $PEER_COMMIT; llama-bench -t $THREADS -p 0 -n $TOKENS -r $REPS;" \
     "load before: $(load)"
[ -n "$READ_BW" ] && echo "read bandwidth: $READ_BW GB/s ($BW_NOTE)"

ROWS=$(mktemp)
NOTES=$(mktemp)
trap 'rm -f "$ROWS" "$NOTES"' EXIT
for shape in $SHAPES; do
  f16="$OUT/$shape-F16.gguf"
  if [ ! -s "$f16" ]; then
    echo "writing $f16 (load $(load))" >&2
    nice -n "$NICE_QUANTIZE" "$PYTHON" "$HERE/make_random_gguf.py" --shape "$shape" --tokenizer "$TOKENIZER" --out "$f16.part" >&2
    mv "$f16.part" "$f16"
  fi
  for type in $TYPES; do
    m="$OUT/$shape-$type.gguf"
    if [ ! -s "$m" ]; then
      echo "quantizing $m (load $(load))" >&2
      t0=$(date +%s)
      nice -n "$NICE_QUANTIZE" "$QUANTIZE" "$f16" "$m.part" "$type" "$THREADS" > "$m.quantize.log" 2>&1 \
        || { echo "llama-quantize $type failed, see $m.quantize.log" >&2; rm -f "$m.part"; continue; }
      mv "$m.part" "$m"
      echo "  $type: $(( $(date +%s) - t0 )) s" >&2
    fi
    [ "$BENCH_RUN" = 0 ] && continue
    echo "llama-bench $m (load $(load))" >&2
    lb=$(date +%s)
    l0=$(load)
    j=$("$BENCH" -m "$m" -t "$THREADS" -p 0 -n "$TOKENS" -r "$REPS" -o json 2> "$m.bench.log") \
      || { echo "llama-bench failed on $m, see $m.bench.log" >&2; continue; }
    "$PYTHON" - "$m" "$shape" "$type" "$j" "$READ_BW" "$l0" "$(load)" "$(( $(date +%s) - lb ))" \
      >> "$ROWS" 2>> "$NOTES" <<'PY'
import collections, json, os, sys
from gguf import GGUFReader
path, shape, qtype, js, bw, l0, l1, secs = sys.argv[1:]
r = json.loads(js)[0]
g = GGUFReader(path)
types = collections.Counter(t.tensor_type.name for t in g.tensors if len(t.shape) > 1)
emb = next(t for t in g.tensors if t.name == "token_embd.weight")
out = next(t for t in g.tensors if t.name == "output.weight")
size = os.path.getsize(path)
# on-disk bytes of each tensor from the data offsets (gguf-py's n_bytes leaves out the per-row scale of
# ik_llama.cpp's row-scaled types such as IQ2_KS)
offs = sorted(int(t.data_offset) for t in g.tensors) + [size]
nbytes = dict(zip(offs, (b - a for a, b in zip(offs, offs[1:]))))
weights = size - offs[0]
per_token = weights - nbytes[int(emb.data_offset)]
ts, sd = r["avg_ts"], r["stddev_ts"]
gbs = per_token * ts / 1e9
frac = "%.0f%%" % (100 * gbs / float(bw)) if bw else "—"
print(f"| {shape} | {qtype} | {size / 1e9:.2f} | {8 * weights / r['model_n_params']:.2f} | {per_token / 1e9:.2f} | "
      f"{ts:.2f} ± {sd:.2f} | {gbs:.1f} | {frac} | {l0.split()[0]} / {l1.split()[0]} |")
mix = ", ".join(f"{k.lower()} x{v}" for k, v in sorted(types.items(), key=lambda kv: -kv[1]))
print(f"- {shape} {qtype}: 2-D tensors {mix}; token_embd {emb.tensor_type.name.lower()}, "
      f"output {out.tensor_type.name.lower()}; {r['model_n_params'] / 1e9:.3f} B parameters; bench {secs} s",
      file=sys.stderr)
PY
  done
done
echo
echo "| shape | type | file GB | bits/weight | GB read/token | tok/s ± sd | GB/s read | of read bandwidth | load 1-min before / after |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---|"
cat "$ROWS"
echo
cat "$NOTES"
echo
echo "load after: $(load)"
