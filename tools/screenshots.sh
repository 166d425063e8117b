#!/usr/bin/env bash
# Regenerates docs/screenshots/*.png: starts aqlm-studio under Xvfb on a fresh library (a temporary
# AQLM_STUDIO_DATA) with stories260K and reference-7M, compresses stories260K (the seconds-long
# "Tiny test" preset), PV-tunes the result from the Library (finetune.png), evaluates, chats
# (single and side by side) and grabs every page and the settings dialog.
# usage: tools/screenshots.sh [OUT_DIR]   (default docs/screenshots; needs a built tree and ../shared)
set -euo pipefail
cd "$(dirname "$0")/.."
shared=${AQLM_SHARED:-$(cd .. && pwd)/shared}
out=${1:-docs/screenshots}
app=build/bin/aqlm-studio
[ -x "$app" ] || { echo "build the app first (./test.sh or tools/build.sh)"; exit 1; }
command -v xvfb-run > /dev/null || { echo "xvfb-run missing: apt-get install xvfb"; exit 1; }
for f in "$shared/models/stories260K" "$shared/models/reference-7M/hf" \
         "$shared/data/tinystories/tinystories_train_head_2MiB.txt" "$shared/data/tinystories/tinystories_valid_head.txt"; do
  [ -e "$f" ] || { echo "missing $f (set AQLM_SHARED)"; exit 1; }
done

data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT
mkdir -p "$out"
# A private QSettings home too, so the user's language or data folder never leaks into the pictures.
export XDG_CONFIG_HOME="$data/config" AQLM_STUDIO_DATA="$data/library" LANG=C.UTF-8
xvfb-run -a -s "-screen 0 1600x1000x24" "$app" \
  --tour "$out" \
  --import "$shared/models/stories260K/stories260K.bin" --import "$shared/models/reference-7M/hf" \
  --calib "$shared/data/tinystories/tinystories_train_head_2MiB.txt" \
  --eval "$shared/data/tinystories/tinystories_valid_head.txt" \
  --preset "Tiny test 1x8 g4" --out "$data/library/models/stories260K-1x8g4"
ls -l "$out"
