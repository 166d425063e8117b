#pragma once
// Runs one engine job at a time on the thread this object lives in, and re-emits the engine's
// progress callbacks as signals. Receivers in the GUI thread get them queued, so the UI never
// waits for the engine. Frequent updates (stage, epoch, evaluation progress) are merged to at
// most ~10 per second; layer reports, block completions and results are never dropped.
#include "widgets/bridge/engine_meta_types.h"

#include "engine/api/cancel_token.h"

#include <QObject>
#include <QString>

namespace aqlm::ui {

class EngineWorker : public QObject {
    Q_OBJECT
public:
    explicit EngineWorker(QObject* parent = nullptr);

    // Thread-safe: the running job stops at its next cancellation point and emits cancelled().
    void cancel();
    // Called by the owner before queueing a job, so a cancel() for the previous job cannot leak
    // into the next one and a cancel() issued right after queueing is not lost.
    void resetCancel();

    // Minimum spacing of merged progress signals; tests shorten or lengthen it.
    void setProgressIntervalMs(int ms) { m_intervalMs = ms; }
    int progressIntervalMs() const { return m_intervalMs; }

public Q_SLOTS:
    // Blocking: invoke queued so it runs on the worker thread.
    void runCompression(const QString& modelPath, const QString& outDir, const aqlm::CompressionOptions& options);
    void runPerplexity(const aqlm::EvalRequest& request);
    // Whole-model fine-tuning; every step and evaluation is reported (they are few per second).
    void runFinetune(const aqlm::FinetuneRequest& request);

Q_SIGNALS:
    void stageChanged(const QString& stage, qint64 block, qint64 numBlocks);
    void layerStarted(qint64 block, const QString& layer, qint64 layerIndex, qint64 numLayers);
    void epochReported(const aqlm::EpochReport& report);
    void layerReported(const aqlm::LayerReport& report);
    void finetuneEpochReported(qint64 block, int epoch, double trainLoss, double validationLoss);
    void blockDone(qint64 block, qint64 numBlocks, double seconds, double perplexity);
    void logMessage(const QString& message);
    void evalProgress(const aqlm::EvalReport& report);
    void finished(const aqlm::CompressionSummary& summary);
    void finetuneStep(const aqlm::FinetuneStepReport& report);
    void finetuneEvaluation(const aqlm::FinetuneEvalReport& report);
    void finetuneFinished(const aqlm::FinetuneSummary& summary);
    void evalFinished(const aqlm::EvalReport& report);
    void failed(const QString& message);
    void cancelled();

private:
    aqlm::CancelToken m_cancel;
    int m_intervalMs = 100;
};

}  // namespace aqlm::ui
