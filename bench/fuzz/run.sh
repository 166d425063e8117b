#!/usr/bin/env bash
# bench/fuzz/run.sh [RUNS] [SECONDS]: every fuzz target for RUNS executions (default 1,000,000), or
# at most SECONDS each when given, with
# ASan + UBSan, from fresh seeds; appends one line per target to bench/fuzz/results.tsv (date,
# target, executions done, seconds, corpus size, outcome). Builds build-fuzz (clang) if needed.
# Crashing inputs land in build-fuzz/fuzz/artifacts/<target>/: fix the parser and copy the input
# to tests/fuzz/regressions/<target>/ so that replay_<target> keeps checking it.
# FUZZ_TARGETS="fuzz_a fuzz_b": only those targets (several run.sh at once share the machine better
# than one after the other when other work holds the CPUs).
set -uo pipefail
cd "$(dirname "$0")/../.."
RUNS=${1:-1000000}
BUILD=${BUILD_DIR:-build-fuzz}
SHARED=${AQLM_SHARED:-$(cd .. && pwd)/shared}
if [ ! -f "$BUILD/build.ninja" ]; then
  CC=clang CXX=clang++ cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DAQLM_IO_ONLY=ON -DAQLM_FUZZ=ON
fi
ninja -C "$BUILD" -j "${JOBS:-2}" fuzzers >/dev/null || exit 1
python3 tests/fuzz/make_seeds.py "$BUILD/fuzz-seeds" "$SHARED" >/dev/null
results=bench/fuzz/results.tsv
status=0
for fuzzer in "$BUILD"/fuzz/fuzz_*; do
  name=$(basename "$fuzzer")
  [[ -x "$fuzzer" && "$name" != *.* ]] || continue  # the executables, not their logs
  [[ -z "${FUZZ_TARGETS:-}" || " $FUZZ_TARGETS " == *" $name "* ]] || continue
  dict=tests/fuzz/$(sed -n "s/^aqlm_add_fuzzer($name .*DICT \([^ )]*\).*/\1/p" tests/fuzz/CMakeLists.txt)
  args=(-runs="$RUNS")
  [ -n "${2:-}" ] && args+=(-max_total_time="$2")
  [ -f "$dict" ] && args+=(-dict="$dict")
  log=$BUILD/fuzz/$name.long.log
  start=$(date +%s)
  tests/fuzz/run_fuzzer.sh "$fuzzer" "$BUILD/fuzz-seeds/$name" "${args[@]}" >"$log" 2>&1
  rc=$?
  seconds=$(( $(date +%s) - start ))
  done_runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  corpus=$(grep -o 'corp: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*')
  outcome=$([ $rc -eq 0 ] && echo ok || echo "FAILED rc=$rc (see $log)")
  [ $rc -eq 0 ] || status=1
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u +%F)" "$name" "${done_runs:-?}" "$seconds" "${corpus:-?}" "$outcome" | tee -a "$results"
done
exit $status
