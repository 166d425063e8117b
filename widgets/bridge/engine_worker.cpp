#include "widgets/bridge/engine_worker.h"

#include "widgets/bridge/signal_progress_observer.h"

#include "engine/api/engine_facade.h"

#include <exception>

namespace aqlm::ui {

EngineWorker::EngineWorker(QObject* parent) : QObject(parent) { registerEngineMetaTypes(); }

void EngineWorker::cancel() { m_cancel.cancel(); }

void EngineWorker::resetCancel() { m_cancel.reset(); }

namespace {

// Runs one engine job and turns its outcome into exactly one of finished / cancelled / failed,
// after flushing any progress the observer still holds back.
template <typename Job, typename OnSuccess>
void runGuarded(EngineWorker* worker, SignalProgressObserver& observer, Job job, OnSuccess onSuccess) {
    try {
        auto result = job();
        observer.flush();
        onSuccess(result);
    } catch (const aqlm::Cancelled&) {
        observer.flush();
        Q_EMIT worker->cancelled();
    } catch (const std::exception& e) {
        observer.flush();
        Q_EMIT worker->failed(QString::fromStdString(e.what()));
    } catch (...) {
        Q_EMIT worker->failed(EngineWorker::tr("unknown error in the engine"));
    }
}

// Fine-tuning steps arrive a few per second at most (each is a forward and backward pass of both
// models), so every one becomes a signal: the plots show each step.
class SignalFinetuneObserver : public aqlm::FinetuneObserver {
public:
    explicit SignalFinetuneObserver(EngineWorker* worker) : m_worker(worker) {}
    void onStep(const aqlm::FinetuneStepReport& r) override { Q_EMIT m_worker->finetuneStep(r); }
    void onEvaluation(const aqlm::FinetuneEvalReport& r) override { Q_EMIT m_worker->finetuneEvaluation(r); }
    void onLog(const std::string& message) override { Q_EMIT m_worker->logMessage(QString::fromStdString(message)); }

private:
    EngineWorker* m_worker;
};

}  // namespace

void EngineWorker::runCompression(const QString& modelPath, const QString& outDir,
                                  const aqlm::CompressionOptions& options) {
    SignalProgressObserver observer(this, m_intervalMs);
    runGuarded(
        this, observer,
        [&] { return aqlm::runCompression(modelPath.toStdString(), outDir.toStdString(), options, &observer, &m_cancel); },
        [this](const aqlm::CompressionSummary& summary) { Q_EMIT finished(summary); });
}

void EngineWorker::runPerplexity(const aqlm::EvalRequest& request) {
    SignalProgressObserver observer(this, m_intervalMs);
    runGuarded(
        this, observer,
        [&] {
            return aqlm::runPerplexity(
                request, [&observer](const aqlm::EvalReport& r) { observer.onEvalProgress(r); }, &m_cancel);
        },
        [this](const aqlm::EvalReport& report) { Q_EMIT evalFinished(report); });
}

}  // namespace aqlm::ui

namespace aqlm::ui {

void EngineWorker::runFinetune(const aqlm::FinetuneRequest& request) {
    SignalProgressObserver observer(this, m_intervalMs);  // nothing to merge; runGuarded flushes it
    SignalFinetuneObserver steps(this);
    runGuarded(
        this, observer, [&] { return aqlm::runFinetune(request, &steps, &m_cancel); },
        [this](const aqlm::FinetuneSummary& summary) { Q_EMIT finetuneFinished(summary); });
}

}  // namespace aqlm::ui
