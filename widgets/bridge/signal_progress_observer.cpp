#include "widgets/bridge/signal_progress_observer.h"

#include "widgets/bridge/engine_worker.h"

namespace aqlm::ui {

SignalProgressObserver::SignalProgressObserver(EngineWorker* worker, int intervalMs)
    : m_worker(worker), m_intervalMs(intervalMs) {
    m_sinceFlush.start();
}

void SignalProgressObserver::onStage(aqlm::Stage stage, int64_t block, int64_t numBlocks) {
    m_stage = Stage{QString::fromLatin1(aqlm::stageName(stage)), block, numBlocks};
    // Done ends the run: nothing would come later to push it out.
    if (stage == aqlm::Stage::Done) flush();
    else flushIfDue();
}

void SignalProgressObserver::onLayerStart(int64_t block, const std::string& layer, int64_t layerIndex,
                                          int64_t numLayers) {
    flush();
    Q_EMIT m_worker->layerStarted(block, QString::fromStdString(layer), layerIndex, numLayers);
}

void SignalProgressObserver::onEpoch(const aqlm::EpochReport& report) {
    m_epochs.push_back(report);
    flushIfDue();
}

void SignalProgressObserver::onLayerDone(const aqlm::LayerReport& report) {
    flush();  // the layer's last epoch reaches the curve before its final report
    Q_EMIT m_worker->layerReported(report);
}

void SignalProgressObserver::onFinetuneEpoch(int64_t block, int epoch, double trainLoss, double validationLoss) {
    flush();
    Q_EMIT m_worker->finetuneEpochReported(block, epoch, trainLoss, validationLoss);
}

void SignalProgressObserver::onBlockDone(int64_t block, int64_t numBlocks, double seconds, double perplexity) {
    flush();
    Q_EMIT m_worker->blockDone(block, numBlocks, seconds, perplexity);
}

void SignalProgressObserver::onLog(const std::string& message) {
    flush();
    Q_EMIT m_worker->logMessage(QString::fromStdString(message));
}

void SignalProgressObserver::onEvalProgress(const aqlm::EvalReport& report) {
    m_eval = report;
    flushIfDue();
}

void SignalProgressObserver::flushIfDue() {
    if (!m_flushedOnce || m_sinceFlush.elapsed() >= m_intervalMs) flush();
}

void SignalProgressObserver::flush() {
    const bool any = m_stage || !m_epochs.empty() || m_eval;
    if (m_stage) Q_EMIT m_worker->stageChanged(m_stage->name, m_stage->block, m_stage->numBlocks);
    for (const aqlm::EpochReport& epoch : m_epochs) Q_EMIT m_worker->epochReported(epoch);
    if (m_eval) Q_EMIT m_worker->evalProgress(*m_eval);
    m_stage.reset();
    m_epochs.clear();
    m_eval.reset();
    // Only real emissions count against the rate, so a lone update after a quiet spell goes out at once.
    if (any) {
        m_flushedOnce = true;
        m_sinceFlush.restart();
    }
}

}  // namespace aqlm::ui
