#pragma once
// Runs aqlm::measureDecodeSpeed on the thread it lives in (the Evaluate page's engine thread) and
// reports the outcome as queued signals.
#include "engine/api/cancel_token.h"
#include "engine/api/runtime_options.h"
#include "engine/api/types.h"

#include <QMetaType>
#include <QObject>
#include <QString>

Q_DECLARE_METATYPE(aqlm::SpeedReport)

namespace aqlm::ui {

class SpeedWorker : public QObject {
    Q_OBJECT
public:
    explicit SpeedWorker(QObject* parent = nullptr);

    void cancel() { m_cancel.cancel(); }     // thread-safe
    void resetCancel() { m_cancel.reset(); }

public Q_SLOTS:
    // Blocking: invoke queued so it runs on the worker thread.
    void measure(const QString& modelPath, int promptTokens, int newTokens, const aqlm::RuntimeOptions& runtime);

Q_SIGNALS:
    void measured(const aqlm::SpeedReport& report);
    void failed(const QString& message);
    void cancelled();

private:
    aqlm::CancelToken m_cancel;
};

}  // namespace aqlm::ui
