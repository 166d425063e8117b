#pragma once
// Engine value types travel through queued signals between the worker thread and the GUI thread,
// so Qt's meta-type system has to know them.
#include "engine/api/engine_facade.h"
#include "engine/api/quant_types.h"
#include "engine/api/types.h"

#include <QMetaType>

Q_DECLARE_METATYPE(aqlm::EpochReport)
Q_DECLARE_METATYPE(aqlm::LayerReport)
Q_DECLARE_METATYPE(aqlm::CompressionOptions)
Q_DECLARE_METATYPE(aqlm::CompressionSummary)
Q_DECLARE_METATYPE(aqlm::EvalReport)
Q_DECLARE_METATYPE(aqlm::EvalRequest)
Q_DECLARE_METATYPE(aqlm::FinetuneRequest)
Q_DECLARE_METATYPE(aqlm::FinetuneStepReport)
Q_DECLARE_METATYPE(aqlm::FinetuneEvalReport)
Q_DECLARE_METATYPE(aqlm::FinetuneSummary)

namespace aqlm::ui {

// Idempotent; called by every bridge object's constructor so no caller can forget it.
void registerEngineMetaTypes();

}  // namespace aqlm::ui
