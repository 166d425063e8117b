#pragma once
// How long the compression will take on this computer, measured in the background shortly after the
// settings stop changing: the engine quantizes row slices of each layer width and runs one block of
// the model's shape (under a second for small models, tens of seconds for 70B shapes). A newer
// request cancels a measurement in progress; nothing is measured while a compression runs.
#include "engine/api/cancel_token.h"
#include "engine/api/compression_time.h"
#include "engine/api/quant_types.h"

#include <QLabel>
#include <QTimer>

#include <memory>

class QThread;

namespace aqlm::ui {

class TimeEstimateLabel : public QLabel {
    Q_OBJECT
public:
    explicit TimeEstimateLabel(QWidget* parent = nullptr);
    ~TimeEstimateLabel() override;

    // Schedules a measurement with these settings and the thread count of the Settings; settings that
    // cannot run (runnable = false) or no model clear the label instead.
    void request(const QString& modelPath, const aqlm::CompressionOptions& options, bool runnable);
    // Stops any measurement and shows nothing (a compression is running: it would compete for the cores).
    void pause();
    bool isMeasuring() const { return m_thread != nullptr; }
    // Seconds the run is expected to take with the current settings; < 0 while none is measured.
    double expectedSeconds() const { return m_valid ? m_estimate.expectedSeconds : -1; }
    static QString formatDuration(double seconds);

Q_SIGNALS:
    // A measurement for the current settings finished (expectedSeconds() holds it).
    void measured();

private:
    void startMeasuring();
    void onResult(quint64 generation, const aqlm::CompressionTimeEstimate& estimate, const QString& error);

    QTimer m_debounce;
    QString m_modelPath;
    aqlm::CompressionOptions m_options;
    quint64 m_generation = 0;                    // of the latest request; older results are dropped
    std::shared_ptr<aqlm::CancelToken> m_cancel;  // of the measurement in flight
    QThread* m_thread = nullptr;
    bool m_pendingRestart = false;               // a newer request waits for the cancelled one to end
    bool m_valid = false;
    aqlm::CompressionTimeEstimate m_estimate;
};

}  // namespace aqlm::ui
