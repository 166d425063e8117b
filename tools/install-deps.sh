#!/usr/bin/env bash
# Installs the Debian 12 packages the build needs, only those missing (no-op when all are present).
set -euo pipefail
packages=(
  cmake ninja-build ccache g++ pkg-config
  qt6-base-dev qt6-tools-dev qt6-l10n-tools libqt6sql6-sqlite libqt6svg6-dev libqcustomplot-dev libgl-dev
  libtorch-dev libgloo-dev libopenblas0-openmp
  libsentencepiece-dev nlohmann-json3-dev libsqlite3-dev
  xvfb dpkg-dev qt6-translations-l10n
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "Installing missing packages: ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update -q
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
