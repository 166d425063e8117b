#include "widgets/evaluate/speed_worker.h"

#include "engine/api/engine_facade.h"

#include <exception>

namespace aqlm::ui {

SpeedWorker::SpeedWorker(QObject* parent) : QObject(parent) { qRegisterMetaType<aqlm::SpeedReport>(); }

void SpeedWorker::measure(const QString& modelPath, int promptTokens, int newTokens,
                          const aqlm::RuntimeOptions& runtime) {
    try {
        Q_EMIT measured(aqlm::measureDecodeSpeed(modelPath.toStdString(), promptTokens, newTokens, &m_cancel, runtime));
    } catch (const aqlm::Cancelled&) {
        Q_EMIT cancelled();
    } catch (const std::exception& e) {
        Q_EMIT failed(QString::fromUtf8(e.what()));
    } catch (...) {
        Q_EMIT failed(tr("unknown error in the engine"));
    }
}

}  // namespace aqlm::ui
