#include "widgets/compress/bit_estimate_label.h"

#include "widgets/compress/settings_check.h"

#include "engine/api/engine_facade.h"
#include "engine/api/memory_estimate.h"

#include <exception>

namespace aqlm::ui {

BitEstimateLabel::BitEstimateLabel(QWidget* parent) : QLabel(parent) {
    setWordWrap(true);
    setTextFormat(Qt::RichText);
    setTextInteractionFlags(Qt::TextSelectableByMouse);
    // Typing a path fires on every key: wait for a pause instead of parsing half-typed paths.
    m_debounce.setSingleShot(true);
    m_debounce.setInterval(200);
    connect(&m_debounce, &QTimer::timeout, this, &BitEstimateLabel::updateNow);
    setText(tr("Choose a model to see the predicted size."));
}

void BitEstimateLabel::request(const QString& modelPath, const aqlm::CompressionOptions& options) {
    m_modelPath = modelPath;
    m_options = options;
    m_debounce.start();
}

QString BitEstimateLabel::memoryText(const QString& modelPath, const aqlm::CompressionOptions& options) {
    // Headers only: cheap enough for every settings change.
    const aqlm::MemoryEstimate m = aqlm::estimateCompressionMemory(aqlm::inspectModel(modelPath.toStdString()), options);
    const QString needed = QString::fromStdString(aqlm::formatBytes(m.totalBytes()));
    const QString available = QString::fromStdString(aqlm::formatBytes(m.availableBytes));
    m_memoryFits = m.fits();
    if (m_memoryFits) return tr("Memory: about %1 needed, %2 available.").arg(needed, available);
    m_warning = true;
    return QStringLiteral("<span style=\"color:#c00000\">%1</span>")
        .arg(tr("Does not fit in memory: about %1 needed, %2 available. %3")
                 .arg(needed, available, QString::fromStdString(m.whatWouldFit))
                 .toHtmlEscaped());
}

void BitEstimateLabel::updateNow() {
    m_debounce.stop();
    m_warning = false;
    m_error = false;
    if (m_modelPath.isEmpty()) {
        setText(tr("Choose a model to see the predicted size."));
        return;
    }
    try {
        // Settings that cannot run on this model are said first, in red: Start stays disabled.
        const QString problem = schemeProblem(aqlm::inspectModel(m_modelPath.toStdString()), m_options);
        if (!problem.isEmpty()) {
            m_error = true;
            setText(QStringLiteral("<span style=\"color:#c00000\">%1</span>")
                        .arg(tr("These settings cannot run on this model: %1").arg(problem).toHtmlEscaped()));
            return;
        }
        const aqlm::BitEstimate e = aqlm::estimateBits(m_modelPath.toStdString(), m_options);
        QString text = tr("Predicted: <b>%1 bits/param</b> on quantized layers, %2 bits/param whole model, "
                          "%3 MB on disk (codebooks: %4% of the quantized bits).")
                           .arg(e.avgBits, 0, 'f', 3)
                           .arg(e.modelBits, 0, 'f', 3)
                           .arg(double(e.predictedBytes) / 1e6, 0, 'f', 2)
                           .arg(e.codebookShare * 100, 0, 'f', 1);
        if (!e.advice.empty()) {
            // Said here (translated) rather than with the engine's sentence, which names example
            // schemes: the advice must never recommend the settings already chosen.
            m_warning = true;
            const int share = int(e.codebookShare * 100 + 0.5);
            const QString advice =
                m_options.scheme.nbitsPerCodebook > 8
                    ? tr("The codebooks take %1% of the bits on a model this small: fewer bits per codebook "
                         "(for example %2x8) leave more of the budget to the codes.")
                          .arg(share)
                          .arg(m_options.scheme.numCodebooks)
                    : tr("The codebooks take %1% of the bits on a model this small; AQLM pays off on larger models.")
                          .arg(share);
            text += QStringLiteral("<br><span style=\"color:#b35900\">&#9888; %1</span>").arg(advice.toHtmlEscaped());
        }
        text += QStringLiteral("<br>") + memoryText(m_modelPath, m_options);
        setText(text);
    } catch (const std::exception& ex) {
        m_error = true;
        setText(QStringLiteral("<span style=\"color:#c00000\">%1</span>")
                    .arg(tr("Cannot estimate: %1").arg(QString::fromStdString(ex.what())).toHtmlEscaped()));
    }
}

}  // namespace aqlm::ui
