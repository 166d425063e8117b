#pragma once
// One queued compression: what to compress, where to, and how.
#include "engine/api/quant_types.h"

#include <QMetaType>
#include <QString>

namespace aqlm::ui {

struct CompressionJob {
    int id = 0;
    QString modelPath;
    QString outDir;
    aqlm::CompressionOptions options;
};

}  // namespace aqlm::ui

Q_DECLARE_METATYPE(aqlm::ui::CompressionJob)
