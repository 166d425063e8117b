#include "widgets/plot/run_monitor.h"

#include <QLabel>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QTime>
#include <QVBoxLayout>

#include <algorithm>

namespace aqlm::ui {

RunMonitor::RunMonitor(QWidget* parent) : QWidget(parent) {
    m_bar = new QProgressBar;
    m_bar->setRange(0, 1);
    m_bar->setValue(0);
    m_status = new QLabel;
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_log = new QPlainTextEdit;
    m_log->setReadOnly(true);
    m_log->setMaximumBlockCount(5000);  // a 70B run logs a lot; old lines go
    m_log->setPlaceholderText(tr("The run's log appears here."));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_bar);
    layout->addWidget(m_status);
    layout->addWidget(m_log, 1);
    reset();
}

void RunMonitor::reset() {
    m_stage.clear();
    m_layerIndex = -1;
    m_numLayers = 0;
    m_clockStarted = false;
    m_eta.reset();
    m_bar->setRange(0, 1);
    m_bar->setValue(0);
    m_status->setText(tr("Idle"));
}

void RunMonitor::setExpectedSeconds(double seconds) { m_eta.reset(seconds); }

void RunMonitor::beginReplay() {
    m_replaying = true;
    m_replayClock = m_replayBlockStart = 0;
}

void RunMonitor::endReplay() {
    m_replaying = false;
    m_eta.rebase();
}

void RunMonitor::appendLog(const QString& line) {
    m_log->appendPlainText(QTime::currentTime().toString(QStringLiteral("HH:mm:ss  ")) + line);
}

void RunMonitor::onStage(const QString& stage, qint64 block, qint64 numBlocks) {
    if (stage != m_stage) {
        appendLog(numBlocks > 0 && stage != QLatin1String("done") && stage != QLatin1String("saving")
                      ? tr("%1, block %2 of %3").arg(stage).arg(block + 1).arg(numBlocks)
                      : stage);
    }
    m_stage = stage;
    updateStatus();
}

void RunMonitor::onLayerStarted(qint64 block, const QString& layer, qint64 layerIndex, qint64 numLayers) {
    Q_UNUSED(layer);
    if (!m_clockStarted && !m_replaying) {  // after a resume, earlier layers took no time in this run
        m_clockStarted = true;
        m_clock.start();
    }
    m_eta.setNumBlocks(numLayers / CompressionEta::kLayersPerBlock);
    m_eta.layerStarted(block);
    m_layerIndex = layerIndex;
    m_numLayers = numLayers;
    m_bar->setRange(0, int(numLayers));
    updateStatus();
}

void RunMonitor::onLayerReported(const aqlm::LayerReport& report) {
    if (m_replaying) m_replayClock += report.seconds;
    m_eta.layerDone(QString::fromStdString(report.layer), report.dOut, report.dIn, report.seconds, elapsedSeconds());
    m_bar->setValue(int(m_layerIndex + 1));
    appendLog(tr("block %1 %2: relative error %3, %4 bits, %5 epochs, %6 s")
                  .arg(report.block + 1)
                  .arg(QString::fromStdString(report.layer))
                  .arg(report.relError, 0, 'g', 4)
                  .arg(report.bits, 0, 'f', 3)
                  .arg(report.epochs)
                  .arg(report.seconds, 0, 'f', 1));
    updateStatus();
}

void RunMonitor::onFinetuneEpoch(qint64 block, int epoch, double trainLoss, double validationLoss) {
    appendLog(tr("block %1 fine-tune epoch %2: train %3, validation %4")
                  .arg(block + 1).arg(epoch).arg(trainLoss, 0, 'g', 5).arg(validationLoss, 0, 'g', 5));
}

void RunMonitor::onBlockDone(qint64 block, qint64 numBlocks, double seconds, double perplexity) {
    m_eta.setNumBlocks(numBlocks);
    if (m_replaying) m_replayClock = std::max(m_replayClock, m_replayBlockStart + seconds);
    m_eta.blockDone(block, elapsedSeconds());
    if (m_replaying) m_replayBlockStart = m_replayClock;
    updateStatus();
    QString line = tr("block %1 of %2 done in %3 s").arg(block + 1).arg(numBlocks).arg(seconds, 0, 'f', 1);
    if (perplexity > 0) line += tr(", held-out perplexity %1").arg(perplexity, 0, 'f', 3);
    appendLog(line);
}

void RunMonitor::onFinished(const aqlm::CompressionSummary& s) {
    m_bar->setValue(m_bar->maximum());
    m_status->setText(tr("Finished: %1 bits/param (quantized layers), %2 bits/param whole model, %3 MB in %4")
                          .arg(s.avgBits, 0, 'f', 3).arg(s.modelBits, 0, 'f', 3)
                          .arg(double(s.bytes) / 1e6, 0, 'f', 1).arg(formatDuration(s.seconds)));
    appendLog(m_status->text());
}

void RunMonitor::onFailed(const QString& message) {
    m_status->setText(tr("Failed: %1").arg(message));
    appendLog(m_status->text());
}

void RunMonitor::onCancelled() {
    m_status->setText(tr("Cancelled: finished blocks are kept; Resume continues from there."));
    appendLog(m_status->text());
}

void RunMonitor::onEvaluationProgress(const QString& what, qint64 windowsDone, qint64 windowsTotal, double secondsLeft) {
    m_bar->setRange(0, int(std::max<qint64>(windowsTotal, 1)));
    m_bar->setValue(int(std::min(windowsDone, std::max<qint64>(windowsTotal, 1))));
    QString text = tr("Measuring the perplexity of %1  ·  window %2/%3").arg(what).arg(windowsDone).arg(windowsTotal);
    if (secondsLeft >= 0) text += tr("  ·  ETA %1").arg(formatDuration(secondsLeft));
    m_status->setText(text);
}

void RunMonitor::updateStatus() {
    QString text = m_stage.isEmpty() ? tr("Starting") : m_stage;
    if (m_numLayers > 0) text += tr("  ·  layer %1/%2").arg(m_layerIndex + 1).arg(m_numLayers);
    const double left = m_eta.secondsLeft(elapsedSeconds());
    if (left >= 0) text += tr("  ·  ETA %1").arg(formatDuration(left));
    m_status->setText(text);
}

double RunMonitor::elapsedSeconds() const {
    if (m_replaying) return m_replayClock;
    return m_clockStarted ? m_clock.elapsed() / 1000.0 : 0.0;
}

QString RunMonitor::formatDuration(double seconds) {
    const qint64 s = qint64(seconds + 0.5);
    if (s < 60) return tr("%1 s").arg(s);
    if (s < 3600) return tr("%1 min %2 s").arg(s / 60).arg(s % 60);
    return tr("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60);
}

QString RunMonitor::statusText() const { return m_status->text(); }
QString RunMonitor::logText() const { return m_log->toPlainText(); }
int RunMonitor::progressValue() const { return m_bar->value(); }
int RunMonitor::progressMaximum() const { return m_bar->maximum(); }

}  // namespace aqlm::ui
