#include "widgets/bridge/engine_worker.h"

#include "widgets/bridge/signal_progress_observer.h"

#include "engine/api/engine_facade.h"

#include <exception>

namespace aqlm::ui {

EngineWorker::EngineWorker(QObject* parent) : QObject(parent) { registerEngineMetaTypes(); }

void EngineWorker::cancel() { m_cancel.cancel(); }

void EngineWorker::resetCancel() { m_cancel.reset(); }

void EngineWorker::runCompression(const QString& modelPath, const QString& outDir,
                                  const aqlm::CompressionOptions& options) {
    SignalProgressObserver observer(this, m_intervalMs);
    try {
        const aqlm::CompressionSummary summary =
            aqlm::runCompression(modelPath.toStdString(), outDir.toStdString(), options, &observer, &m_cancel);
        observer.flush();
        Q_EMIT finished(summary);
    } catch (const aqlm::Cancelled&) {
        observer.flush();
        Q_EMIT cancelled();
    } catch (const std::exception& e) {
        observer.flush();
        Q_EMIT failed(QString::fromStdString(e.what()));
    } catch (...) {
        Q_EMIT failed(tr("unknown error in the engine"));
    }
}

void EngineWorker::runPerplexity(const aqlm::EvalRequest& request) {
    SignalProgressObserver observer(this, m_intervalMs);
    try {
        const aqlm::EvalReport report = aqlm::runPerplexity(
            request, [&observer](const aqlm::EvalReport& r) { observer.onEvalProgress(r); }, &m_cancel);
        observer.flush();
        Q_EMIT evalFinished(report);
    } catch (const aqlm::Cancelled&) {
        observer.flush();
        Q_EMIT cancelled();
    } catch (const std::exception& e) {
        observer.flush();
        Q_EMIT failed(QString::fromStdString(e.what()));
    } catch (...) {
        Q_EMIT failed(tr("unknown error in the engine"));
    }
}

}  // namespace aqlm::ui
