#include "widgets/core/app_icon.h"

#include <QFile>

namespace aqlm::ui {

QIcon appIcon() {
    QIcon icon;
    const QString svg = QStringLiteral(":/icons/aqlm-studio.svg");
    if (QFile::exists(svg)) icon.addFile(svg);
    for (int size : {16, 24, 32, 48, 64, 128, 256, 512}) {
        const QString png = QStringLiteral(":/icons/aqlm-studio-%1.png").arg(size);
        if (QFile::exists(png)) icon.addFile(png, QSize(size, size));
    }
    return icon;
}

}  // namespace aqlm::ui
