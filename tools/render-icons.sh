#!/usr/bin/env bash
# Renders resources/icons/aqlm-studio.svg into the PNG sizes the desktop icon theme wants
# (resources/icons/hicolor/<n>x<n>/apps/aqlm-studio.png). The PNGs are committed; rerun after
# editing the SVG. Needs qt6-base-dev and libqt6svg6-dev.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/render.cpp" <<'CPP'
#include <QGuiApplication>
#include <QImage>
#include <QPainter>
#include <QSvgRenderer>
int main(int argc, char** argv) {
    QGuiApplication app(argc, argv);
    QSvgRenderer svg(QString::fromLocal8Bit(argv[1]));
    if (!svg.isValid()) return 1;
    for (int i = 3; i < argc; ++i) {
        const int n = QString::fromLocal8Bit(argv[i]).toInt();
        QImage image(n, n, QImage::Format_ARGB32_Premultiplied);
        image.fill(Qt::transparent);
        QPainter p(&image);
        p.setRenderHint(QPainter::Antialiasing);
        svg.render(&p);
        p.end();
        const QString out = QString::fromLocal8Bit(argv[2]) + QString("/%1x%1/apps/aqlm-studio.png").arg(n);
        if (!image.save(out)) return 2;
    }
    return 0;
}
CPP
g++ -std=c++17 -fPIC "$work/render.cpp" -o "$work/render" $(pkg-config --cflags --libs Qt6Gui Qt6Svg)
sizes=(16 24 32 48 64 128 256 512)
for n in "${sizes[@]}"; do mkdir -p "resources/icons/hicolor/${n}x${n}/apps"; done
QT_QPA_PLATFORM=offscreen "$work/render" resources/icons/aqlm-studio.svg resources/icons/hicolor "${sizes[@]}"
ls -l resources/icons/hicolor/*/apps/aqlm-studio.png
