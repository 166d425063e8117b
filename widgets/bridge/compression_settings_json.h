#pragma once
// Every CompressionOptions field (and the job's post-compression evaluation) as the JSON object
// stored in the library's runs.settings_json, and back: a stored run can be shown, repeated or
// resumed after a restart with exactly the settings it started with.
#include "widgets/bridge/compression_job.h"

#include <QJsonObject>
#include <QString>

namespace aqlm::ui {

QJsonObject compressionOptionsToJson(const aqlm::CompressionOptions& options);
// Missing keys keep the defaults of CompressionOptions (settings written by older versions).
aqlm::CompressionOptions compressionOptionsFromJson(const QJsonObject& json);

// {"options": {...}, "evaluation": {...}} as compact text, and back. Throws aqlm::EngineError
// for text that is not a JSON object.
QString runSettingsJson(const aqlm::CompressionOptions& options, const PostEvaluation& evaluation);
void parseRunSettingsJson(const QString& text, aqlm::CompressionOptions* options, PostEvaluation* evaluation);

// A fine-tuning run's settings: {"finetune": {mode, teacher, out_dir, every option}} and back
// (missing keys keep FinetuneOptions' defaults). Throws aqlm::EngineError like parseRunSettingsJson.
QJsonObject finetuneOptionsToJson(const aqlm::FinetuneOptions& options);
aqlm::FinetuneOptions finetuneOptionsFromJson(const QJsonObject& json);
QString finetuneRunSettingsJson(const FinetuneStage& stage);
FinetuneStage parseFinetuneRunSettingsJson(const QString& text);
// Runs of a fine-tuning job store the mode as their method: "pv" or "global".
bool isFinetuneMethod(const QString& method);

}  // namespace aqlm::ui
