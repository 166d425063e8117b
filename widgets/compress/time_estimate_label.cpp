#include "widgets/compress/time_estimate_label.h"

#include "widgets/core/app_settings.h"

#include <QPointer>
#include <QThread>

#include <exception>

namespace aqlm::ui {

TimeEstimateLabel::TimeEstimateLabel(QWidget* parent) : QLabel(parent) {
    setWordWrap(true);
    setTextInteractionFlags(Qt::TextSelectableByMouse);
    // A second of quiet: the measurement takes the cores for a moment, not on every keystroke.
    m_debounce.setSingleShot(true);
    m_debounce.setInterval(1000);
    connect(&m_debounce, &QTimer::timeout, this, &TimeEstimateLabel::startMeasuring);
}

TimeEstimateLabel::~TimeEstimateLabel() {
    // The engine polls the token between slices: waiting here is short.
    if (m_cancel) m_cancel->cancel();
    if (m_thread) m_thread->wait();
}

void TimeEstimateLabel::request(const QString& modelPath, const aqlm::CompressionOptions& options, bool runnable) {
    ++m_generation;
    m_valid = false;
    m_debounce.stop();
    if (m_cancel) m_cancel->cancel();
    if (!runnable || modelPath.isEmpty()) {
        clear();
        return;
    }
    m_modelPath = modelPath;
    m_options = options;
    m_options.runtime = AppSettings::runtime();
    setText(tr("Time on this computer: measuring shortly…"));
    m_debounce.start();
}

void TimeEstimateLabel::pause() {
    ++m_generation;
    m_valid = false;
    m_debounce.stop();
    if (m_cancel) m_cancel->cancel();
    m_pendingRestart = false;
    clear();
}

void TimeEstimateLabel::startMeasuring() {
    if (m_thread) {  // the cancelled measurement ends first: two would compete for the cores
        m_pendingRestart = true;
        return;
    }
    setText(tr("Time on this computer: measuring…"));
    m_cancel = std::make_shared<aqlm::CancelToken>();
    const quint64 generation = m_generation;
    const std::string path = m_modelPath.toStdString();
    const aqlm::CompressionOptions options = m_options;
    const std::shared_ptr<aqlm::CancelToken> cancel = m_cancel;
    QPointer<TimeEstimateLabel> self(this);
    m_thread = QThread::create([self, generation, path, options, cancel] {
        aqlm::CompressionTimeEstimate estimate;
        QString error;
        try {
            estimate = aqlm::estimateCompressionTime(path, options, cancel.get());
        } catch (const aqlm::Cancelled&) {
            return;
        } catch (const std::exception& ex) {
            error = QString::fromStdString(ex.what());
        }
        // Queued to the label's thread; dropped if the label is gone by then.
        QMetaObject::invokeMethod(
            self.data(), [self, generation, estimate, error] { if (self) self->onResult(generation, estimate, error); },
            Qt::QueuedConnection);
    });
    connect(m_thread, &QThread::finished, this, [this] {
        m_thread->deleteLater();
        m_thread = nullptr;
        if (m_pendingRestart) {
            m_pendingRestart = false;
            startMeasuring();
        }
    });
    m_thread->start(QThread::LowPriority);
}

void TimeEstimateLabel::onResult(quint64 generation, const aqlm::CompressionTimeEstimate& estimate, const QString& error) {
    if (generation != m_generation) return;  // the settings changed meanwhile
    if (!error.isEmpty()) {
        // The size estimate above explains settings that cannot run; this only says why there is no time.
        setText(tr("Time on this computer: could not be measured (%1).").arg(error));
        return;
    }
    m_estimate = estimate;
    m_valid = true;
    QString text = tr("Time on this computer: about %1 (threads: %2)")
                       .arg(formatDuration(estimate.expectedSeconds))
                       .arg(estimate.threads);
    if (estimate.longestSeconds > 1.05 * estimate.expectedSeconds)
        text += tr(" (at most %1 if no layer converges before %2 epochs)")
                    .arg(formatDuration(estimate.longestSeconds))
                    .arg(estimate.maxEpochs);
    text += QStringLiteral(".\n") + tr("Quantizing the layers %1, calibration passes %2, block fine-tuning %3.")
                                        .arg(formatDuration(estimate.layerSeconds), formatDuration(estimate.forwardSeconds),
                                             formatDuration(estimate.finetuneSeconds));
    setText(text);
    setToolTip(tr("Measured in %1 on this computer: the layer quantizer on slices of each layer width and one "
                  "block of this model's shape, scaled to the whole model. Layers usually stop after %2 epochs.")
                   .arg(formatDuration(estimate.probeSeconds))
                   .arg(estimate.expectedEpochs));
    Q_EMIT measured();
}

QString TimeEstimateLabel::formatDuration(double seconds) {
    const qint64 s = qint64(seconds + 0.5);
    if (s < 60) return tr("%1 s").arg(s);
    if (s < 3600) return tr("%1 min").arg((s + 30) / 60);
    if (s < 3 * 86400) return tr("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60);
    return tr("%1 days").arg(double(s) / 86400, 0, 'f', 1);
}

}  // namespace aqlm::ui
