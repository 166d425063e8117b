#pragma once
// Lives on ChatController's worker thread: holds the loaded ChatSessions (one per column) and runs
// loads and generations there, one at a time in the order they were queued. Streamed text is
// merged so the GUI gets at most one update per interval (the first piece goes out at once).
#include "widgets/chat/chat_types.h"

#include "engine/api/cancel_token.h"
#include "engine/api/chat_session.h"

#include <QObject>

#include <array>
#include <atomic>
#include <memory>

namespace aqlm::ui {

class ChatWorker : public QObject {
    Q_OBJECT
public:
    static constexpr int kSlots = 2;
    explicit ChatWorker(const aqlm::CancelToken* cancel, QObject* parent = nullptr);
    ~ChatWorker() override;

    void setUpdateIntervalMs(int ms) { m_intervalMs.store(ms); }

    // Worker thread only (invoked queued by the controller).
    // A changed runtime (threads, device) reopens the model with it.
    void load(int slot, const QString& path, const aqlm::RuntimeOptions& runtime);
    void unload(int slot);
    void generate(int slot, const aqlm::ChatPrompt& prompt, const aqlm::SamplingParams& sampling, int maxNewTokens);

Q_SIGNALS:
    void modelLoaded(int slot, const aqlm::ui::ChatModelSummary& summary);
    void loadFailed(int slot, const QString& path, const QString& message);
    void answerStarted(int slot);
    void textArrived(int slot, const QString& text);
    void answerFinished(int slot, const QString& text, const aqlm::ChatAnswerStats& stats);
    void answerFailed(int slot, const QString& message);

private:
    const aqlm::CancelToken* m_cancel;
    std::array<std::unique_ptr<aqlm::ChatSession>, kSlots> m_sessions;
    std::array<QString, kSlots> m_paths;
    std::array<aqlm::RuntimeOptions, kSlots> m_runtimes;
    std::atomic<int> m_intervalMs{33};
};

}  // namespace aqlm::ui
