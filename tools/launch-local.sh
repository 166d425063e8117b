#!/usr/bin/env bash
# Starts N ranks of one aqlm command on this machine over the loopback address (c10d, Gloo), each
# with one thread unless --threads is given, and waits for all of them.
#   tools/launch-local.sh 2 quantize MODEL --out DIR --scheme 2x8g8 --calib FILE
#   tools/launch-local.sh 2 finetune STUDENT --teacher ORIGINAL --out DIR --data FILE
# Env: AQLM (the aqlm binary, default build/bin/aqlm), AQLM_DIST_PORT (default: a free one).
# Each rank's output lines are prefixed with [rank R]; the exit status is the first failing rank's.
set -uo pipefail
if [ $# -lt 2 ] || ! [[ $1 =~ ^[1-9][0-9]*$ ]]; then
  echo "usage: $0 N COMMAND [aqlm options...]   (N local ranks, e.g. $0 2 quantize MODEL --out DIR ...)" >&2
  exit 2
fi
ranks=$1; shift
cd "$(dirname "$0")/.."
aqlm=${AQLM:-build/bin/aqlm}
port=${AQLM_DIST_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
threads=()
[[ " $* " == *" --threads "* ]] || threads=(--threads 1)
pids=()
for ((r = 0; r < ranks; r++)); do
  "$aqlm" "$@" "${threads[@]}" --dist-store "127.0.0.1:$port" --world-size "$ranks" --rank "$r" \
    > >(sed -u "s/^/[rank $r] /") 2> >(sed -u "s/^/[rank $r] /" >&2) &
  pids+=($!)
done
status=0
for pid in "${pids[@]}"; do
  wait "$pid"; rc=$?
  [ "$status" -eq 0 ] && status=$rc
done
exit "$status"
