#!/usr/bin/env bash
# Quick start: install missing packages, build, start the app (the CLI's help until the GUI exists).
set -euo pipefail
cd "$(dirname "$0")"
tools/install-deps.sh
tools/build.sh
if [ -x build/bin/aqlm-studio ]; then
  exec build/bin/aqlm-studio "$@"
fi
exec build/bin/aqlm --help
