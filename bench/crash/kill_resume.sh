#!/usr/bin/env bash
# bench/crash/kill_resume.sh [KILLS] [SEED]: kills a stories260K compression with SIGKILL at KILLS
# (default 20) random moments spread over a whole run (from loading to the final export), checks
# that no killed folder loads as a model unless its run had completed, resumes each with --resume
# and compares every model file with an uninterrupted run's, byte for byte. Appends a summary line
# to bench/crash/results.tsv. The deterministic version (named kill points) is tst_kill_resume.
set -uo pipefail
cd "$(dirname "$0")/../.."
KILLS=${1:-20}
RANDOM=${2:-1}
AQLM=${AQLM_BIN:-build/bin}/aqlm
SHARED=${AQLM_SHARED:-$(cd .. && pwd)/shared}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
head -c 32768 "$SHARED/data/tinystories/tinystories_train_head_2MiB.txt" > "$work/calibration.txt"
args=(--scheme 2x6g4 --calib "$work/calibration.txt" --nsamples 4 --seq-len 32
      --max-epochs 1 --steps-per-epoch 2 --finetune-epochs 1 --threads 1 --quiet)
model=$SHARED/models/stories260K/stories260K.bin

model_files() { (cd "$1" && find . -type f -not -path './.aqlm-run/*' | sort); }
same_model() {
  [ "$(model_files "$1")" == "$(model_files "$2")" ] || return 1
  while read -r f; do cmp -s "$1/$f" "$2/$f" || return 1; done < <(model_files "$1")
}

start=$(date +%s.%N)
"$AQLM" quantize "$model" --out "$work/reference" "${args[@]}" || exit 1
total=$(echo "$(date +%s.%N) - $start" | bc)
echo "uninterrupted run: ${total}s"

failures=0 completed_before_kill=0
for i in $(seq 1 "$KILLS"); do
  out=$work/run-$i
  # Uniform over the run and a little past it, in milliseconds.
  delay_ms=$(( RANDOM * 32768 + RANDOM ))
  delay_ms=$(( delay_ms % $(echo "$total * 1100 / 1" | bc) ))
  "$AQLM" quantize "$model" --out "$out" "${args[@]}" 2>/dev/null &
  pid=$!
  sleep "$(echo "scale=3; $delay_ms / 1000" | bc)"
  if kill -9 "$pid" 2>/dev/null; then killed=yes; else killed=no; completed_before_kill=$((completed_before_kill + 1)); fi
  wait "$pid" 2>/dev/null
  state=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['status'])" "$out/.aqlm-run/run.json" 2>/dev/null || echo none)
  if "$AQLM" info "$out" >/dev/null 2>&1 && [ "$state" != complete ]; then
    echo "kill $i at ${delay_ms} ms: the unfinished folder loads as a model"; failures=$((failures + 1))
  fi
  if [ "$state" != complete ]; then
    "$AQLM" quantize "$model" --out "$out" "${args[@]}" --resume 2>"$work/resume.err" \
      || { echo "kill $i at ${delay_ms} ms: resume failed: $(tail -1 "$work/resume.err")"; failures=$((failures + 1)); continue; }
  fi
  if same_model "$work/reference" "$out"; then result=identical; else result=DIFFERENT; failures=$((failures + 1)); fi
  echo "kill $i at ${delay_ms} ms (killed: $killed, state: $state): $result"
  rm -rf "$out"
done
echo "$KILLS kills, $completed_before_kill runs had already finished, $failures failures"
printf '%s\tkills=%s\tseed=%s\trun_seconds=%s\tfinished_before_kill=%s\tfailures=%s\n' "$(date -u +%F)" "$KILLS" "${2:-1}" \
  "$total" "$completed_before_kill" "$failures" >> bench/crash/results.tsv
[ "$failures" -eq 0 ]
