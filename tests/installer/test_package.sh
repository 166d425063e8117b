#!/usr/bin/env bash
# Builds the Debian package from the build tree, checks what it holds and declares, unpacks it into
# a temporary root with dpkg -x and runs the installed binaries from there.
# usage: test_package.sh <build dir>
set -euo pipefail
build=$(cd "$1" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

(cd "$work" && cpack -G DEB --config "$build/CPackConfig.cmake" -B "$work/out" > "$work/cpack.log" 2>&1) || {
  cat "$work/cpack.log"; echo "FAIL: cpack -G DEB failed"; exit 1; }
deb=$(ls "$work"/out/*.deb 2>/dev/null | head -1)
[ -n "$deb" ] || { cat "$work/cpack.log"; echo "FAIL: no .deb produced"; exit 1; }
echo "package: $(basename "$deb") ($(du -h "$deb" | cut -f1))"

contents=$(dpkg-deb -c "$deb")
for path in ./usr/bin/aqlm ./usr/bin/aqlm-studio ./usr/lib/aqlm-studio/aqlm_sentencepiece.so \
            ./usr/share/applications/aqlm-studio.desktop \
            ./usr/share/icons/hicolor/scalable/apps/aqlm-studio.svg \
            ./usr/share/icons/hicolor/48x48/apps/aqlm-studio.png \
            ./usr/share/icons/hicolor/256x256/apps/aqlm-studio.png; do
  grep -q " $path\$" <<< "$contents" || { echo "FAIL: $path missing from the package"; exit 1; }
done

depends=$(dpkg-deb -f "$deb" Depends)
echo "Depends: $depends"
for pkg in libqt6widgets6 libtorch1.13 libopenblas0-openmp libsqlite3-0 libqcustomplot2.1-qt6; do
  grep -q "$pkg" <<< "$depends" || { echo "FAIL: Depends lacks $pkg"; exit 1; }
done

root="$work/root"
dpkg -x "$deb" "$root"
grep -q '^Exec=aqlm-studio' "$root/usr/share/applications/aqlm-studio.desktop" || { echo "FAIL: desktop file has no Exec"; exit 1; }
if command -v desktop-file-validate > /dev/null; then desktop-file-validate "$root/usr/share/applications/aqlm-studio.desktop"; fi

expected=$(sed -n 's/^project(AqlmStudio VERSION \([0-9.]*\).*/\1/p' "$(dirname "$0")/../../CMakeLists.txt")
for exe in aqlm aqlm-studio; do
  out=$(env -u AQLM_MODULE_DIR "$root/usr/bin/$exe" --version)
  echo "$exe --version: $out"
  [ "$out" = "$exe $expected" ] || { echo "FAIL: $exe --version printed '$out', expected '$exe $expected'"; exit 1; }
done
# The example model, where the build found the shared folder: installed, and it loads from there
# with the tokenizer beside it.
if [ -f "$build/examples/stories260K.bin" ]; then
  for f in stories260K.bin tok512.bin tok512.model tinystories-train-sample.txt tinystories-valid-sample.txt README.md; do
    grep -q " ./usr/share/aqlm-studio/examples/$f\$" <<< "$contents" || { echo "FAIL: example $f missing from the package"; exit 1; }
  done
  info=$(env -u AQLM_MODULE_DIR "$root/usr/bin/aqlm" info "$root/usr/share/aqlm-studio/examples/stories260K.bin")
  grep -q "vocab" <<< "$info" || { echo "FAIL: the installed example does not load: $info"; exit 1; }
  echo "example model installed and loads"
else
  echo "no example model in this build (the shared folder was not found at configure time)"
fi
echo "PASS"
