#pragma once
// The chat page's door to the engine: owns a worker thread holding up to two loaded models
// (columns 0 and 1 of side-by-side mode). Loads and generations are queued to that thread and run
// one after another; results come back as queued signals, so the GUI never waits. stop() cancels
// the running answer and any queued one; the destructor stops and joins the thread.
//
// Side by side, the two answers are generated one after the other rather than concurrently: both
// models would share the same cores (LibTorch's intra-op pool), so concurrent runs would slow each
// other unpredictably and the tokens/s shown — what users compare — would not be each model's own.
#include "widgets/chat/chat_types.h"

#include "engine/api/cancel_token.h"

#include <QObject>
#include <QThread>

namespace aqlm::ui {

class ChatWorker;

class ChatController : public QObject {
    Q_OBJECT
public:
    static constexpr int kSlots = 2;
    explicit ChatController(QObject* parent = nullptr);
    ~ChatController() override;

    void loadModel(int slot, const QString& path);
    void unloadModel(int slot);
    void generate(int slot, const aqlm::ChatPrompt& prompt, const aqlm::SamplingParams& sampling, int maxNewTokens);
    void stop();

    bool isBusy() const { return m_pendingAnswers > 0; }
    // Spacing of streamed-text updates (default 33 ms: at most ~30 per second).
    void setUpdateIntervalMs(int ms);

Q_SIGNALS:
    void modelLoaded(int slot, const aqlm::ui::ChatModelSummary& summary);
    void loadFailed(int slot, const QString& path, const QString& message);
    void answerStarted(int slot);
    void textArrived(int slot, const QString& text);
    void answerFinished(int slot, const QString& text, const aqlm::ChatAnswerStats& stats);
    void answerFailed(int slot, const QString& message);
    void busyChanged(bool busy);

private:
    void answerEnded();

    QThread m_thread;
    ChatWorker* m_worker = nullptr;
    aqlm::CancelToken m_cancel;
    int m_pendingAnswers = 0;
};

}  // namespace aqlm::ui
