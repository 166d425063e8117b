#pragma once
// Progress of the running compression: a bar over all layers, the stage, layer i/N, an ETA from
// the measured per-layer and per-block times (CompressionEta), and a log of what happened.
#include "engine/api/quant_types.h"
#include "widgets/plot/compression_eta.h"

#include <QElapsedTimer>
#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QProgressBar;

namespace aqlm::ui {

class RunMonitor : public QWidget {
    Q_OBJECT
public:
    explicit RunMonitor(QWidget* parent = nullptr);

    QString statusText() const;
    QString logText() const;
    int progressValue() const;
    int progressMaximum() const;

public Q_SLOTS:
    void reset();
    // The time the next run was measured to take before Start (< 0: none); the ETA uses it until the
    // run has measured a whole block.
    void setExpectedSeconds(double seconds);
    // Stored reports of finished blocks are replayed between these: their own seconds feed the ETA,
    // the live clock starts with the first live layer after endReplay().
    void beginReplay();
    void endReplay();
    void appendLog(const QString& line);
    void onStage(const QString& stage, qint64 block, qint64 numBlocks);
    void onLayerStarted(qint64 block, const QString& layer, qint64 layerIndex, qint64 numLayers);
    void onLayerReported(const aqlm::LayerReport& report);
    void onFinetuneEpoch(qint64 block, int epoch, double trainLoss, double validationLoss);
    void onBlockDone(qint64 block, qint64 numBlocks, double seconds, double perplexity);
    void onFinished(const aqlm::CompressionSummary& summary);
    void onFailed(const QString& message);
    void onCancelled();
    // The perplexity measured after compression (of the result, or of the original as the
    // baseline): the bar shows windows scored, the status what is measured and the time left.
    void onEvaluationProgress(const QString& what, qint64 windowsDone, qint64 windowsTotal, double secondsLeft);

private:
    void updateStatus();
    double elapsedSeconds() const;
    static QString formatDuration(double seconds);

    QProgressBar* m_bar = nullptr;
    QLabel* m_status = nullptr;
    QPlainTextEdit* m_log = nullptr;
    QElapsedTimer m_clock;      // since the first layer of this run (resumed blocks excluded)
    QString m_stage;
    qint64 m_layerIndex = -1, m_numLayers = 0;
    bool m_clockStarted = false;
    bool m_replaying = false;
    double m_replayClock = 0;       // seconds of the replayed reports so far
    double m_replayBlockStart = 0;  // where the replayed block in progress began on that clock
    CompressionEta m_eta;
};

}  // namespace aqlm::ui
