#pragma once
// One queued compression: what to compress, where to, and how.
#include "engine/api/quant_types.h"

#include <QMetaType>
#include <QString>

namespace aqlm::ui {

// Perplexity of the compressed model, measured right after the compression (EVALUATION.md
// protocol). An empty dataPath means "do not evaluate".
struct PostEvaluation {
    QString dataPath;
    qint64 seqLen = 0;      // 0: the model's context
    qint64 maxWindows = 0;  // 0: every window of the text
};

struct CompressionJob {
    int id = 0;
    QString modelPath;
    QString outDir;
    aqlm::CompressionOptions options;
    PostEvaluation evaluation;
    qint64 libraryRunId = 0;  // the library's runs row when the job continues a stored run
};

}  // namespace aqlm::ui

Q_DECLARE_METATYPE(aqlm::ui::CompressionJob)
