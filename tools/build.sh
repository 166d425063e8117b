#!/usr/bin/env bash
# Configures (once) and builds the release tree in build/ with Ninja and ccache.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
if [ ! -f "$BUILD_DIR/build.ninja" ]; then
  cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-Release}" "$@"
fi
# Two parallel jobs per core overload a 2-core, header-heavy LibTorch build less than ninja's default.
ninja -C "$BUILD_DIR" -j "${JOBS:-$(nproc)}"
