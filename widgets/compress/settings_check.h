#pragma once
// The checks the engine makes when a compression begins, made while the form is edited so that
// Start never leads to a failed run: the group size against the model's layer widths, the
// calibration texts, the output folder. Widget-free; every answer is a translated sentence, empty
// when the setting is fine.
#include "engine/api/quant_types.h"
#include "engine/api/types.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace aqlm::ui {

// Group sizes up to maxGroup dividing every quantized layer's input width (dim and hidden dim).
QList<int> fittingGroupSizes(const aqlm::ModelInfo& model, int maxGroup = 256);
// Why the method, bits and group size cannot run on this model; empty when they can.
QString schemeProblem(const aqlm::ModelInfo& model, const aqlm::CompressionOptions& options);
// Tokens in one calibration window with these options on this model (seqLen 0: the model's context).
qint64 calibrationWindowTokens(const aqlm::ModelInfo& model, const aqlm::CompressionOptions& options);
// Why these texts cannot give windows of windowTokens tokens (none, missing, empty, surely too
// short); empty when they can. windowTokens 0: the length is not checked (no model yet).
QString calibrationProblem(const QStringList& files, qint64 windowTokens);
// True when the texts' sizes alone show they give at least windowTokens tokens: no tokenizer piece
// covers more than kMaxBytesPerToken bytes. Otherwise only an exact count decides.
constexpr qint64 kMaxBytesPerToken = 64;
bool calibrationSurelyLongEnough(const QStringList& files, qint64 windowTokens);
// Why `tokens` counted tokens cannot give a window of windowTokens; empty when they can.
QString calibrationTokensProblem(qint64 tokens, qint64 windowTokens);
// Why a new compression cannot write into dir (a file, a folder holding something, not writable).
QString outputFolderProblem(const QString& dir);
// True when dir holds an unfinished run of this app that resume can continue: its .aqlm-run state
// is not complete (or the run stopped before writing it, leaving only .aqlm-run).
bool isResumableRunFolder(const QString& dir);
// base when nothing exists there, else base-2, base-3, ...: the first that does not exist.
QString uniqueFolder(const QString& base);

}  // namespace aqlm::ui
