#pragma once
// Predicted bits per parameter, size and memory (next to what the machine has available) for the
// current settings, from the model's headers only.
// Recomputed shortly after the settings stop changing; engine errors become text, never a crash.
#include "engine/api/quant_types.h"

#include <QLabel>
#include <QTimer>

namespace aqlm::ui {

class BitEstimateLabel : public QLabel {
    Q_OBJECT
public:
    explicit BitEstimateLabel(QWidget* parent = nullptr);

    // Schedules an update; the latest settings win.
    void request(const QString& modelPath, const aqlm::CompressionOptions& options);
    // Computes right away (tests, first show).
    void updateNow();
    bool hasWarning() const { return m_warning; }
    bool hasError() const { return m_error; }
    bool memoryFits() const { return m_memoryFits; }

private:
    QString memoryText(const QString& modelPath, const aqlm::CompressionOptions& options);

    QTimer m_debounce;
    QString m_modelPath;
    aqlm::CompressionOptions m_options;
    bool m_warning = false;
    bool m_error = false;
    bool m_memoryFits = true;
};

}  // namespace aqlm::ui
