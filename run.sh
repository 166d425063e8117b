#!/usr/bin/env bash
# Quick start: install missing packages, build, start the app (aqlm-studio; arguments pass through,
# e.g. ./run.sh --help). Needs a display: xvfb-run -a ./run.sh on a headless machine.
set -euo pipefail
cd "$(dirname "$0")"
tools/install-deps.sh
tools/build.sh
if [ -x build/bin/aqlm-studio ]; then
  exec build/bin/aqlm-studio "$@"
fi
exec build/bin/aqlm --help
