#include "widgets/chat/chat_worker.h"


#include <QElapsedTimer>
#include <QStringDecoder>

namespace aqlm::ui {

ChatWorker::ChatWorker(const aqlm::CancelToken* cancel, QObject* parent) : QObject(parent), m_cancel(cancel) {}

ChatWorker::~ChatWorker() = default;

void ChatWorker::load(int slot, const QString& path, const aqlm::RuntimeOptions& runtime) {
    if (slot < 0 || slot >= kSlots) return;
    try {
        const bool sameRuntime = m_runtimes[slot] == runtime;
        if (!m_sessions[slot] || m_paths[slot] != path || !sameRuntime) {
            m_sessions[slot].reset();  // free the old model before loading the next one
            m_paths[slot].clear();
            m_sessions[slot] = aqlm::ChatSession::open(path.toStdString(), runtime);
            m_runtimes[slot] = runtime;
            m_paths[slot] = path;
        }
        const aqlm::ChatSession& s = *m_sessions[slot];
        ChatModelSummary summary;
        summary.path = path;
        summary.contextLength = s.contextLength();
        summary.hasChatTemplate = s.hasChatTemplate();
        summary.templateFamily = QString::fromUtf8(aqlm::chatTemplateFamilyName(s.templateFamily()));
        summary.notice = QString::fromStdString(s.templateNotice());
        summary.kernel = QString::fromStdString(s.kernelDescription());
        // The estimate that decided the model could be opened.
        summary.memoryNeeded = s.memoryEstimate().totalBytes();
        summary.memoryAvailable = s.memoryEstimate().availableBytes;
        Q_EMIT modelLoaded(slot, summary);
    } catch (const std::exception& e) {
        Q_EMIT loadFailed(slot, path, QString::fromUtf8(e.what()));
    }
}

void ChatWorker::unload(int slot) {
    if (slot < 0 || slot >= kSlots) return;
    m_sessions[slot].reset();
    m_paths[slot].clear();
}

void ChatWorker::generate(int slot, const aqlm::ChatPrompt& prompt, const aqlm::SamplingParams& sampling,
                          int maxNewTokens) {
    if (slot < 0 || slot >= kSlots || !m_sessions[slot]) {
        Q_EMIT answerFailed(slot, tr("No model is loaded for this answer."));
        return;
    }
    Q_EMIT answerStarted(slot);
    // Byte-fallback tokens can split a UTF-8 character across pieces: the decoder keeps the state.
    QStringDecoder decoder(QStringDecoder::Utf8);
    QString pending, full;
    QElapsedTimer sinceUpdate;
    bool first = true;
    auto onPiece = [&](const std::string& piece) {
        const QString text = decoder.decode(QByteArrayView(piece.data(), qsizetype(piece.size())));
        pending += text;
        full += text;
        if (!pending.isEmpty() && (first || sinceUpdate.elapsed() >= m_intervalMs.load())) {
            Q_EMIT textArrived(slot, pending);
            pending.clear();
            sinceUpdate.start();
            first = false;
        }
        return true;
    };
    try {
        const aqlm::ChatAnswerStats stats = m_sessions[slot]->generate(prompt, sampling, maxNewTokens, onPiece, m_cancel);
        if (!pending.isEmpty()) Q_EMIT textArrived(slot, pending);
        Q_EMIT answerFinished(slot, full, stats);
    } catch (const std::exception& e) {
        Q_EMIT answerFailed(slot, QString::fromUtf8(e.what()));
    }
}

}  // namespace aqlm::ui
