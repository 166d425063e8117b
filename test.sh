#!/usr/bin/env bash
# Builds like run.sh, then runs every test through CTest. Models and data come from AQLM_SHARED
# (default ../shared); tests that need them skip with a message when they are absent.
set -euo pipefail
cd "$(dirname "$0")"
tools/install-deps.sh
tools/build.sh
export AQLM_SHARED=${AQLM_SHARED:-$(cd .. && pwd)/shared}
cd build
# Serial by default: two LibTorch processes with all-core OpenMP pools on 2 cores thrash each other.
ctest --output-on-failure -j "${TEST_JOBS:-1}" "$@"
