#pragma once
// One queued compression: what to compress, where to, and how.
#include "engine/api/finetune_types.h"
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

// Whole-model fine-tuning (PV-Tuning or global KD) of a compressed model against its original,
// into a new folder. As a job's only stage the student is the job's modelPath; after a
// compression it is the compression's output and the teacher the compressed model.
struct FinetuneStage {
    bool enabled = false;
    QString teacherPath;
    QString outDir;
    aqlm::FinetuneOptions options;
};

struct CompressionJob {
    int id = 0;
    bool compress = true;        // false: a fine-tuning job (finetune.enabled, modelPath = the student)
    bool compressionDone = false;  // the compression stage finished; a resume continues with fine-tuning
    FinetuneStage finetune;
    QString modelPath;
    QString outDir;
    aqlm::CompressionOptions options;
    PostEvaluation evaluation;
    qint64 libraryRunId = 0;  // the library's runs row when the job continues a stored run
};

// The model the fine-tuning stage starts from (the student).
inline QString finetuneStudentPath(const CompressionJob& job) { return job.compress ? job.outDir : job.modelPath; }

}  // namespace aqlm::ui

Q_DECLARE_METATYPE(aqlm::ui::CompressionJob)
