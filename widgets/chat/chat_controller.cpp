#include "widgets/chat/chat_controller.h"
#include "widgets/core/app_settings.h"

#include "widgets/chat/chat_worker.h"

namespace aqlm::ui {

ChatController::ChatController(QObject* parent) : QObject(parent) {
    qRegisterMetaType<aqlm::ui::ChatModelSummary>("aqlm::ui::ChatModelSummary");
    qRegisterMetaType<aqlm::ChatAnswerStats>("aqlm::ChatAnswerStats");
    m_worker = new ChatWorker(&m_cancel);
    m_worker->moveToThread(&m_thread);
    m_thread.setObjectName(QStringLiteral("chat-engine"));
    connect(m_worker, &ChatWorker::modelLoaded, this, &ChatController::modelLoaded);
    connect(m_worker, &ChatWorker::loadFailed, this, &ChatController::loadFailed);
    connect(m_worker, &ChatWorker::answerStarted, this, &ChatController::answerStarted);
    connect(m_worker, &ChatWorker::textArrived, this, &ChatController::textArrived);
    connect(m_worker, &ChatWorker::answerFinished, this,
            [this](int slot, const QString& text, const aqlm::ChatAnswerStats& stats) {
                Q_EMIT answerFinished(slot, text, stats);
                answerEnded();
            });
    connect(m_worker, &ChatWorker::answerFailed, this, [this](int slot, const QString& message) {
        Q_EMIT answerFailed(slot, message);
        answerEnded();
    });
    m_thread.start();
}

ChatController::~ChatController() {
    // The running answer stops at its next token; queued work is dropped with the event loop.
    m_cancel.cancel();
    m_thread.quit();
    m_thread.wait();
    delete m_worker;  // the thread has ended: the sessions are freed here
}

void ChatController::loadModel(int slot, const QString& path) {
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker, slot, path, runtime = AppSettings::runtime()] { w->load(slot, path, runtime); },
        Qt::QueuedConnection);
}

void ChatController::unloadModel(int slot) {
    QMetaObject::invokeMethod(m_worker, [w = m_worker, slot] { w->unload(slot); }, Qt::QueuedConnection);
}

void ChatController::generate(int slot, const aqlm::ChatPrompt& prompt, const aqlm::SamplingParams& sampling,
                              int maxNewTokens) {
    // A new request after everything ended starts uncancelled; one queued beside a running answer
    // (the second column) shares its fate, so Stop stops both.
    if (m_pendingAnswers == 0) m_cancel.reset();
    if (m_pendingAnswers++ == 0) Q_EMIT busyChanged(true);
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker, slot, prompt, sampling, maxNewTokens] { w->generate(slot, prompt, sampling, maxNewTokens); },
        Qt::QueuedConnection);
}

void ChatController::stop() {
    if (m_pendingAnswers > 0) m_cancel.cancel();
}

void ChatController::setUpdateIntervalMs(int ms) { m_worker->setUpdateIntervalMs(ms); }

void ChatController::answerEnded() {
    if (m_pendingAnswers > 0 && --m_pendingAnswers == 0) Q_EMIT busyChanged(false);
}

}  // namespace aqlm::ui
