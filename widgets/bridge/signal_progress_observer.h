#pragma once
// Adapter from the engine's ProgressObserver (called on the worker thread) to EngineWorker's
// signals. Merging happens here, by timestamp, because the worker thread's event loop is blocked
// inside the engine call and cannot run timers. Anything held back is emitted before the next
// never-dropped event, so the GUI sees events in the order the engine produced them.
#include "engine/api/progress_observer.h"
#include "engine/api/types.h"

#include <QElapsedTimer>
#include <QString>

#include <optional>
#include <vector>

namespace aqlm::ui {

class EngineWorker;

class SignalProgressObserver : public aqlm::ProgressObserver {
public:
    SignalProgressObserver(EngineWorker* worker, int intervalMs);

    void onStage(aqlm::Stage stage, int64_t block, int64_t numBlocks) override;
    void onLayerStart(int64_t block, const std::string& layer, int64_t layerIndex, int64_t numLayers) override;
    void onEpoch(const aqlm::EpochReport& report) override;
    void onLayerDone(const aqlm::LayerReport& report) override;
    void onFinetuneEpoch(int64_t block, int epoch, double trainLoss, double validationLoss) override;
    void onBlockDone(int64_t block, int64_t numBlocks, double seconds, double perplexity) override;
    void onLog(const std::string& message) override;
    void onEvalProgress(const aqlm::EvalReport& report);

    // Emits whatever is held back; called before every never-dropped event and at the end.
    void flush();

private:
    struct Stage {
        QString name;
        qint64 block = 0, numBlocks = 0;
    };
    void flushIfDue();

    EngineWorker* m_worker;
    int m_intervalMs;
    QElapsedTimer m_sinceFlush;
    bool m_flushedOnce = false;
    std::optional<Stage> m_stage;
    // Every epoch since the last flush: curves must not lose points, so epochs are held back and
    // sent as one burst per interval rather than dropped (the plots replot once per burst).
    std::vector<aqlm::EpochReport> m_epochs;
    std::optional<aqlm::EvalReport> m_eval;
};

}  // namespace aqlm::ui
