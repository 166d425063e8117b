#pragma once
// The library page's details pane: every stored field of one model, its lineage and compression
// settings when it is a variant, its evaluations and the runs that used or produced it.
#include "engine/library/model_library.h"

#include <QList>
#include <QString>

namespace aqlm::ui {

// Runs whose plots can be shown for this model: the run that produced it, then the runs that
// compressed it (newest first).
QList<aqlm::RunRecord> runsOfModel(const aqlm::ModelLibrary& db, qint64 modelId);

// HTML for a QTextBrowser; empty when the model is not in the library.
QString modelDetailsHtml(const aqlm::ModelLibrary& db, qint64 modelId);

}  // namespace aqlm::ui
