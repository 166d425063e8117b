#include "widgets/core/app_icon.h"

#include <QFile>

namespace aqlm::ui {

QIcon appIcon() {
    // PNGs first: the icon then keeps every rendered size and window managers get them as they are
    // (an icon that starts from the SVG keeps one added pixmap and renders every other size).
    QIcon icon;
    for (int size : {16, 24, 32, 48, 64, 128, 256, 512}) {
        const QString png = QStringLiteral(":/icons/aqlm-studio-%1.png").arg(size);
        if (QFile::exists(png)) icon.addFile(png, QSize(size, size));
    }
    // The SVG as one more entry, and the whole icon where the PNGs are missing.
    const QString svg = QStringLiteral(":/icons/aqlm-studio.svg");
    if (QFile::exists(svg)) icon.addFile(svg);
    return icon;
}

}  // namespace aqlm::ui
