#pragma once
// From what the engine reports about a model (ModelInfo) or an evaluation (EvalReport) to the
// library's rows, plus
// the file-system helpers import needs: the key a model is stored under, its size on disk, and
// the model candidates inside a folder.
#include "engine/api/types.h"
#include "engine/library/library_records.h"

#include <QString>
#include <QStringList>

namespace aqlm::ui {

// The absolute, cleaned path a model is stored under (the library's unique key).
QString libraryPathOf(const QString& path);

// Bytes of a file, or of every file below a folder.
qint64 diskUsage(const QString& path);

// bytesOnDisk is passed in (see diskUsage) because the engine counts only the weight files.
aqlm::ModelRecord modelRecordFromInfo(const aqlm::ModelInfo& info, const QString& path, qint64 bytesOnDisk);

// The library's row for a perplexity result on the text at datasetPath (whose sha256 makes results
// comparable across runs).
aqlm::EvaluationRecord evaluationRecordFrom(const aqlm::EvalReport& report, qint64 modelId,
                                            const std::string& datasetPath, const std::string& datasetSha256);

// Loads and validates the model (slow: call it on a worker thread) and returns its row.
// Throws aqlm::EngineError naming the file and the problem.
aqlm::ModelRecord inspectModelRecord(const QString& path);

// What a recursive scan tries to import: every folder holding config.json and a .safetensors file
// (a Hugging Face model; its sub-folders are not searched further) and every other *.bin file
// (llama2.c checkpoints; tokenizer .bin files fail validation and are reported as skipped).
QStringList findModelCandidates(const QString& folder);

// "3.4 MiB", "260.1K params"-style helpers for the table.
QString humanBytes(qint64 bytes);
QString humanCount(qint64 count);

}  // namespace aqlm::ui
