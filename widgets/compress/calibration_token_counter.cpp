#include "widgets/compress/calibration_token_counter.h"

#include "engine/api/engine_facade.h"

#include <QDateTime>
#include <QFileInfo>
#include <QPointer>
#include <QThread>

#include <exception>

namespace aqlm::ui {

CalibrationTokenCounter::CalibrationTokenCounter(QObject* parent) : QObject(parent) {}

CalibrationTokenCounter::~CalibrationTokenCounter() {
    if (m_cancel) m_cancel->cancel();  // polled between files: the wait is short
    if (m_thread) m_thread->wait();
}

QString CalibrationTokenCounter::keyOf(const QString& modelPath, const QStringList& files) {
    QString key = modelPath;
    for (const QString& f : files) {
        const QFileInfo info(f);
        key += QLatin1Char('\n') + f + QLatin1Char('|') + QString::number(info.size()) + QLatin1Char('|') +
               QString::number(info.lastModified().toMSecsSinceEpoch());
    }
    return key;
}

CalibrationTokenCounter::State CalibrationTokenCounter::state(const QString& modelPath, const QStringList& files) const {
    return keyOf(modelPath, files) == m_key ? m_state : State::None;
}

void CalibrationTokenCounter::request(const QString& modelPath, const QStringList& files) {
    const QString key = keyOf(modelPath, files);
    if (key == m_key && m_state != State::None) return;
    m_key = key;
    m_state = State::Counting;
    m_modelPath = modelPath;
    m_files = files;
    if (m_thread) {  // the old count stops first
        m_cancel->cancel();
        m_restart = true;
        return;
    }
    start();
}

void CalibrationTokenCounter::start() {
    m_cancel = std::make_shared<aqlm::CancelToken>();
    const std::shared_ptr<aqlm::CancelToken> cancel = m_cancel;
    const QString key = m_key;
    const std::string model = m_modelPath.toStdString();
    std::vector<std::string> files;
    for (const QString& f : m_files) files.push_back(f.toStdString());
    QPointer<CalibrationTokenCounter> self(this);
    m_thread = QThread::create([self, cancel, key, model, files] {
        qint64 tokens = 0;
        QString error;
        try {
            tokens = aqlm::countCalibrationTokens(model, files, cancel.get());
        } catch (const aqlm::Cancelled&) {
            return;
        } catch (const std::exception& e) {
            error = QString::fromStdString(e.what());
        }
        QMetaObject::invokeMethod(self.data(), [self, key, tokens, error] {
            if (!self || key != self->m_key) return;  // the files changed meanwhile
            self->m_tokens = tokens;
            self->m_error = error;
            self->m_state = error.isEmpty() ? State::Counted : State::Failed;
            Q_EMIT self->counted();
        }, Qt::QueuedConnection);
    });
    connect(m_thread, &QThread::finished, this, [this] {
        m_thread->deleteLater();
        m_thread = nullptr;
        if (m_restart) {
            m_restart = false;
            start();
        }
    });
    m_thread->start();
}

}  // namespace aqlm::ui
